-- Pass corpus 06: views (with CTEs, LATERAL, security_barrier, CHECK OPTION) and a materialized
-- view over expert_network tables only. CTE names and aliases are not relations.
CREATE VIEW expert_network.pass_campaign_overview AS
SELECT c.id,
       c.campaign_name,
       c.status,
       p.name      AS project_name,
       count(e.id) AS expert_count
FROM expert_network.pass_campaigns AS c
LEFT JOIN expert_network.pass_projects AS p ON p.id = c.project_id
LEFT JOIN expert_network.pass_experts AS e ON e.campaign_id = c.id
GROUP BY c.id, c.campaign_name, c.status, p.name;

CREATE OR REPLACE VIEW expert_network.pass_active_campaigns
    WITH (security_barrier = true) AS
WITH active AS (
    SELECT id, user_id, campaign_name
    FROM expert_network.pass_campaigns
    WHERE status = 'active'
)
SELECT a.id, a.user_id, a.campaign_name
FROM active AS a;

CREATE VIEW expert_network.pass_public_experts AS
SELECT e.id, e.full_name, pp.public_slug
FROM expert_network.pass_experts AS e
JOIN expert_network.public_profiles AS pp ON pp.expert_id = e.id
WHERE pp.is_public
  AND e.visibility = 'public'::expert_network.pass_visibility;

CREATE VIEW expert_network.pass_draft_campaigns AS
SELECT *
FROM expert_network.pass_campaigns
WHERE status = 'draft'
WITH LOCAL CHECK OPTION;

CREATE VIEW expert_network.pass_expert_jobs AS
SELECT e.id                   AS expert_id,
       job ->> 'company'      AS company,
       (job ->> 'years')::int AS years
FROM expert_network.pass_experts AS e
CROSS JOIN LATERAL jsonb_array_elements(coalesce(e.profile -> 'jobs', '[]'::jsonb)) AS job;

CREATE MATERIALIZED VIEW expert_network.pass_expert_stats AS
SELECT c.id                                AS campaign_id,
       count(DISTINCT e.id)                AS experts,
       avg(i.rating)::numeric(3, 2)        AS avg_rating,
       coalesce(array_agg(DISTINCT t.tag) FILTER (WHERE t.tag IS NOT NULL), '{}'::text[]) AS tags
FROM expert_network.pass_campaigns AS c
LEFT JOIN expert_network.pass_experts AS e ON e.campaign_id = c.id
LEFT JOIN expert_network.pass_interviews AS i ON i.expert_id = e.id
LEFT JOIN LATERAL unnest(e.tags) AS t (tag) ON true
GROUP BY c.id
WITH DATA;

CREATE UNIQUE INDEX pass_expert_stats_campaign_uq
    ON expert_network.pass_expert_stats (campaign_id);

REFRESH MATERIALIZED VIEW expert_network.pass_expert_stats;

COMMENT ON MATERIALIZED VIEW expert_network.pass_expert_stats IS
    'Per-campaign expert statistics; nothing here reads public.';
COMMENT ON VIEW expert_network.pass_public_experts IS 'Experts whose profile is public';
