-- Refuse corpus 04: relations and created objects written without a schema. search_path
-- decides where they go or what they read, and public is on it by default (and
-- public.project sits next to expert_network.projects). CTE names, aliases and table
-- functions are not relations and stay allowed.

-- refuse: unqualified-name
CREATE TABLE campaigns (id uuid PRIMARY KEY, name text NOT NULL);
-- refuse: unqualified-name
CREATE TABLE IF NOT EXISTS experts (id uuid PRIMARY KEY);
-- refuse: unqualified-name
CREATE TABLE expert_network.interviews (id uuid PRIMARY KEY, expert_id uuid REFERENCES experts (id));
-- refuse: unqualified-name
CREATE TABLE expert_network.campaigns_v2 (
    id uuid PRIMARY KEY,
    project_id uuid,
    FOREIGN KEY (project_id) REFERENCES projects (id)
);
-- refuse: unqualified-name
ALTER TABLE expert_network.campaigns
    ADD CONSTRAINT campaigns_project_fk FOREIGN KEY (project_id) REFERENCES projects (id);
-- refuse: unqualified-name
ALTER TABLE expert_network.campaigns ADD COLUMN vendor_id uuid REFERENCES vendor_platforms;
-- refuse: unqualified-name
SELECT * FROM campaigns;
-- refuse: unqualified-name
SELECT * FROM campaigns WHERE user_id = 'u1';
-- refuse: unqualified-name
SELECT c.id FROM expert_network.campaigns c JOIN experts e ON e.campaign_id = c.id;
-- refuse: unqualified-name
SELECT id FROM expert_network.campaigns WHERE user_id IN (SELECT user_id FROM team_members);
-- refuse: unqualified-name
INSERT INTO experts (id, name) VALUES (gen_random_uuid(), 'Jane Doe');
-- refuse: unqualified-name
INSERT INTO expert_network.experts (id, name) SELECT id, name FROM expert_proposals;
-- refuse: unqualified-name
UPDATE campaigns SET status = 'archived';
-- refuse: unqualified-name
UPDATE expert_network.campaigns c SET status = 'archived' FROM projects p WHERE p.id = c.project_id;
-- Resolves to expert_network.interviews, which this file creates (issue 11).
DELETE FROM interviews;
-- refuse: unqualified-name
DELETE FROM expert_network.interviews i USING experts e WHERE e.id = i.expert_id;
-- refuse: unqualified-name
MERGE INTO campaigns c USING expert_network.campaigns_staging s ON s.id = c.id WHEN MATCHED THEN DELETE;
-- refuse: unqualified-name
WITH x AS (SELECT 1) SELECT * FROM session;
-- refuse: unqualified-name
SELECT * FROM "user";
-- refuse: unqualified-name
DELETE FROM "session";
-- refuse: unqualified-name
SELECT * FROM (WITH s AS (SELECT 1 AS n) SELECT n FROM s) AS q, s;
-- refuse: unqualified-name
WITH a AS (SELECT * FROM b), b AS (SELECT 1 AS n) SELECT * FROM a;
-- refuse: unqualified-name
TRUNCATE campaigns;
-- refuse: unqualified-name
DROP TABLE campaigns;
-- refuse: unqualified-name
DROP TABLE expert_network.old_campaigns, old_experts;
-- refuse: unqualified-name
ALTER TABLE campaigns ADD COLUMN notes text;
-- refuse: unqualified-name
ALTER TABLE campaigns RENAME TO campaigns_old;
-- refuse: unqualified-name
CREATE INDEX campaigns_user_idx ON campaigns (user_id);
-- refuse: unqualified-name
CREATE VIEW campaign_overview AS SELECT * FROM expert_network.campaigns;
-- refuse: unqualified-name
CREATE VIEW expert_network.campaign_overview AS SELECT * FROM campaigns;
-- refuse: unqualified-name
CREATE VIEW expert_network.campaign_projects AS
SELECT c.* FROM expert_network.campaigns c WHERE c.project_id IN (SELECT id FROM projects);
-- refuse: unqualified-name
CREATE MATERIALIZED VIEW expert_stats AS SELECT count(*) FROM expert_network.experts;
-- refuse: unqualified-name
REFRESH MATERIALIZED VIEW expert_stats;
-- refuse: unqualified-name
CREATE SEQUENCE invoice_seq;
-- refuse: unqualified-name
CREATE TYPE campaign_status AS ENUM ('draft', 'active');
-- refuse: unqualified-name
ALTER TYPE campaign_status ADD VALUE 'paused';
-- refuse: unqualified-name
CREATE DOMAIN email_address AS text CHECK (VALUE LIKE '%@%');
-- refuse: unqualified-name
CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
-- refuse: unqualified-name
DROP FUNCTION touch_updated_at();
-- refuse: unqualified-name
CREATE PROCEDURE archive_all() LANGUAGE sql AS $$ UPDATE expert_network.campaigns SET status = 'archived' $$;
-- refuse: unqualified-name
CREATE STATISTICS campaign_dep_stats ON user_id, status FROM expert_network.campaigns;
-- refuse: unqualified-name
CREATE TABLE expert_network.campaigns_2025 PARTITION OF campaigns_by_year
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- refuse: unqualified-name
CREATE TABLE expert_network.campaign_archive (LIKE campaigns INCLUDING ALL);
-- refuse: unqualified-name
CREATE TABLE expert_network.vip_experts () INHERITS (experts);
-- refuse: unqualified-name
CREATE TABLE campaign_copy AS SELECT * FROM expert_network.campaigns;
-- refuse: unqualified-name
SELECT * INTO campaigns_backup FROM expert_network.campaigns;
-- A temporary table is the migration's own (issue 11).
CREATE TEMP TABLE scratch_ids (id uuid);
-- refuse: unqualified-name
COMMENT ON TABLE campaigns IS 'Expert research campaigns';
-- refuse: unqualified-name
GRANT SELECT ON campaigns TO en_reader;
-- refuse: unqualified-name
LOCK TABLE campaigns IN SHARE MODE;
-- refuse: unqualified-name
COPY campaigns TO STDOUT;
-- refuse: unqualified-name
CREATE TRIGGER campaigns_touch BEFORE UPDATE ON campaigns
    FOR EACH ROW EXECUTE FUNCTION expert_network.touch_updated_at();
-- refuse: unqualified-name
CREATE POLICY campaigns_owner ON campaigns USING (user_id = current_user);
-- refuse: unqualified-name
CREATE RULE no_delete AS ON DELETE TO campaigns DO INSTEAD NOTHING;
-- refuse: unqualified-name
ALTER SEQUENCE expert_network.invoice_seq OWNED BY invoices.id;
-- refuse: unqualified-name
SELECT nextval('invoice_seq');
-- refuse: unqualified-name
SELECT 'campaigns'::regclass;
-- An unqualified structure catalog resolves to pg_catalog (issue 11).
SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'expert_network'::regnamespace;

-- Allowed: CTE names, aliases, table functions and VALUES lists are not relations.
WITH recent AS (
    SELECT * FROM expert_network.campaigns WHERE created_at > now() - interval '7 days'
)
SELECT count(*) FROM recent;
WITH RECURSIVE chain (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM chain WHERE n < 10) SELECT * FROM chain;
WITH moved AS (
    DELETE FROM expert_network.campaigns WHERE status = 'archived' RETURNING *
)
INSERT INTO expert_network.campaign_archive SELECT * FROM moved;
WITH session AS (SELECT 1 AS n) SELECT n FROM session;
SELECT e.id, job FROM expert_network.experts e, LATERAL jsonb_array_elements(e.profile -> 'jobs') AS job;
SELECT g FROM generate_series(1, 3) AS g;
SELECT v.n FROM (VALUES (1), (2)) AS v (n);
SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relnamespace = 'expert_network'::regnamespace;
