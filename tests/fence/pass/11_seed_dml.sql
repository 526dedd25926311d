-- Pass corpus 11: seed data the way real migrations write it: INSERT ... VALUES / SELECT,
-- ON CONFLICT, data-modifying CTEs, UPDATE ... FROM and DELETE ... USING other expert_network
-- tables, MERGE, VALUES lists, LATERAL unnest WITH ORDINALITY, jsonb operators, casts to uuid,
-- text[], jsonb and expert_network's own types, and calls of our own functions.
INSERT INTO expert_network.pass_vendor_platforms (name, website, is_public, settings) VALUES
    ('GLG',         'https://glginsights.com', true,  '{"tier": "premium", "regions": ["us", "eu"]}'),
    ('AlphaSights', 'https://alphasights.com', true,  '{"tier": "premium"}'),
    ('Internal',    NULL,                      false, '{}')
ON CONFLICT (name) DO UPDATE
    SET website  = EXCLUDED.website,
        settings = expert_network.pass_vendor_platforms.settings || EXCLUDED.settings;

INSERT INTO expert_network.pass_team_members (user_id, display_name, email, role) VALUES
    ('usr_alice', 'Alice', 'alice@example.com', 'owner'),
    ('usr_bob',   'Bob',   'bob@example.com',   'member')
ON CONFLICT (user_id) DO NOTHING;

WITH new_project AS (
    INSERT INTO expert_network.pass_projects (user_id, name, description)
    VALUES ('usr_alice', 'Semiconductor supply chain',
            'Seed project; the owner id comes from public."user"')
    RETURNING id, user_id
)
INSERT INTO expert_network.pass_campaigns
    (project_id, user_id, campaign_name, status, industries, target_count, budget, metadata, start_date)
SELECT np.id,
       np.user_id,
       'Foundry capacity 2025',
       'active'::expert_network.pass_campaign_status,
       ARRAY['semiconductors', 'manufacturing']::text[],
       12,
       ROW(25000, 'USD')::expert_network.pass_money,
       jsonb_build_object('source', 'seed', 'visibility', 'public'),
       CURRENT_DATE
FROM new_project AS np;

INSERT INTO expert_network.pass_campaigns (id, user_id, campaign_name, metadata)
VALUES ('6f1c2a4e-3b7d-4c8e-9f10-2a3b4c5d6e7f'::uuid, 'usr_bob', 'Draft: battery recycling',
        '{"source": "seed"}'::jsonb);

INSERT INTO expert_network.pass_campaign_vendor_enrollments (campaign_id, vendor_platform_id)
SELECT c.id, v.id
FROM expert_network.pass_campaigns AS c
CROSS JOIN expert_network.pass_vendor_platforms AS v
WHERE v.is_public OR v.name = 'Internal'
ON CONFLICT DO NOTHING;

INSERT INTO expert_network.pass_experts
    (campaign_id, vendor_platform_id, full_name, email, visibility, profile, tags)
SELECT c.id,
       v.id,
       x.full_name,
       x.email,
       x.visibility::expert_network.pass_visibility,
       x.profile::jsonb,
       x.tags::text[]
FROM (VALUES
        ('Dana Park',  'dana@example.com', 'public',
         '{"rate": "400", "jobs": [{"company": "TSMC", "years": 6}]}', '{fab,ops}'),
        ('Eli Moreno', NULL,               'private',
         '{"jobs": []}',                                               '{}')
     ) AS x (full_name, email, visibility, profile, tags)
JOIN expert_network.pass_campaigns AS c ON c.campaign_name = 'Foundry capacity 2025'
JOIN expert_network.pass_vendor_platforms AS v ON v.name = 'GLG';

UPDATE expert_network.pass_experts AS e
   SET hourly_rate = (e.profile ->> 'rate')::numeric
  FROM expert_network.pass_campaigns AS c
 WHERE c.id = e.campaign_id
   AND c.status = 'active'
   AND e.profile ? 'rate';

INSERT INTO expert_network.public_profiles (expert_id, public_slug, publicly_listed_at)
SELECT e.id, lower(replace(e.full_name, ' ', '-')), now()
FROM expert_network.pass_experts AS e
WHERE e.visibility = 'public';

INSERT INTO expert_network.pass_interviews (expert_id, scheduled_at, duration_minutes, rating)
SELECT e.id, date_trunc('hour', now()) + make_interval(days => g), 45, 4
FROM expert_network.pass_experts AS e,
     generate_series(1, 2) AS g
WHERE e.email IS NOT NULL;

INSERT INTO expert_network.pass_screening_questions (campaign_id, sort_order, question)
SELECT c.id, q.ord, q.question
FROM expert_network.pass_campaigns AS c
CROSS JOIN LATERAL unnest(ARRAY['Years at a foundry?', 'Familiar with public filings?'])
     WITH ORDINALITY AS q (question, ord)
WHERE c.status = 'active';

INSERT INTO expert_network.pass_invoices (campaign_id, amount_usd, line_items)
SELECT c.id, 1200.00,
       jsonb_build_array(jsonb_build_object('fee_type', 'per_call', 'units', 3))
FROM expert_network.pass_campaigns AS c
WHERE c.status = 'active';

MERGE INTO expert_network.pass_campaign_team_assignments AS a
USING (
    SELECT c.id AS campaign_id, t.user_id
    FROM expert_network.pass_campaigns AS c
    JOIN expert_network.pass_team_members AS t ON t.user_id = c.user_id
) AS s
ON a.campaign_id = s.campaign_id AND a.user_id = s.user_id
WHEN NOT MATCHED THEN
    INSERT (campaign_id, user_id) VALUES (s.campaign_id, s.user_id);

DELETE FROM expert_network.pass_campaign_vendor_enrollments AS en
USING expert_network.pass_vendor_platforms AS v
WHERE v.id = en.vendor_platform_id
  AND NOT v.is_public;

WITH stale AS (
    SELECT id
    FROM expert_network.pass_campaigns
    WHERE status = 'draft'
      AND created_at < now() - interval '1 year'
)
UPDATE expert_network.pass_campaigns AS c
   SET status = 'closed'
  FROM stale AS s
 WHERE s.id = c.id;

UPDATE expert_network.pass_vendor_platforms
   SET settings = jsonb_set(settings, '{tier}', '"standard"'::jsonb)
 WHERE NOT (settings ? 'tier')
   AND settings @> '{}'::jsonb;

SELECT expert_network.pass_assign_team(c.id, ARRAY['usr_alice', 'usr_bob', 'usr_nobody'])
FROM expert_network.pass_campaigns AS c
WHERE c.status = 'active';

CALL expert_network.pass_log('seed', 'public.user rows untouched');

SELECT expert_network.pass_backfill_rates();

REFRESH MATERIALIZED VIEW expert_network.pass_expert_stats;
