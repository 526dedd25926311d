-- Refuse corpus 17: names in schemas other than expert_network (another app's schema, a new
-- schema, moving objects out of expert_network) and any write to pg_catalog or
-- information_schema. Reading pg_catalog / information_schema stays allowed.

-- refuse: outside-schema
CREATE SCHEMA other_app;
-- refuse: outside-schema
CREATE SCHEMA IF NOT EXISTS expert_network_archive;
-- refuse: outside-schema
CREATE SCHEMA AUTHORIZATION en_app;
-- refuse: outside-schema
CREATE SCHEMA reporting
    CREATE TABLE daily (id integer)
    CREATE VIEW daily_v AS SELECT * FROM daily;
-- refuse: outside-schema
DROP SCHEMA chat CASCADE;
-- refuse: outside-schema
ALTER SCHEMA chat RENAME TO chat_old;
-- refuse: outside-schema
ALTER SCHEMA expert_network RENAME TO en;
-- refuse: outside-schema
CREATE TABLE other_app.campaigns (id integer);
-- refuse: outside-schema
CREATE TABLE chat.expert_threads (id uuid PRIMARY KEY);
-- refuse: outside-schema
SELECT * FROM chat.messages;
-- refuse: outside-schema
SELECT c.id FROM expert_network.campaigns c JOIN rag.documents d ON d.owner_id = c.user_id;
-- refuse: outside-schema
INSERT INTO rag.documents (id) VALUES (1);
-- refuse: outside-schema
UPDATE other_app.settings SET value = 'x';
-- refuse: outside-schema
DELETE FROM auth.users;
-- refuse: outside-schema
TRUNCATE other_app.jobs;
-- refuse: outside-schema
ALTER TABLE expert_network.campaigns SET SCHEMA other_app;
-- refuse: outside-schema
ALTER FUNCTION expert_network.touch_updated_at() SET SCHEMA archive;
-- refuse: outside-schema
ALTER TYPE expert_network.campaign_status SET SCHEMA archive;
-- refuse: outside-schema
CREATE VIEW archive.campaigns AS SELECT * FROM expert_network.campaigns;
-- refuse: outside-schema
CREATE INDEX ON chat.messages (created_at);
-- refuse: outside-schema
GRANT SELECT ON ALL TABLES IN SCHEMA chat TO en_reader;
-- refuse: outside-schema
GRANT USAGE ON SCHEMA other_app TO en_reader;
-- refuse: outside-schema
CREATE FUNCTION other_app.helper2() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
-- refuse: outside-schema
CREATE FUNCTION expert_network.count_messages() RETURNS bigint
LANGUAGE sql AS $$ SELECT count(*) FROM chat.messages $$;
-- refuse: outside-schema
CREATE TABLE expert_network.oa_ref (id integer REFERENCES other_app.base (id));
-- A temporary table is the migration's own (issue 11).
CREATE TABLE pg_temp.scratch (id integer);
-- refuse: outside-schema
SELECT * FROM pg_toast.pg_toast_2619;

-- refuse: outside-schema
UPDATE pg_catalog.pg_class SET relname = 'user_renamed' WHERE relname = 'user';
-- refuse: outside-schema
DELETE FROM pg_catalog.pg_namespace WHERE nspname = 'public';
-- refuse: outside-schema
UPDATE pg_catalog.pg_authid SET rolsuper = true WHERE rolname = current_user;
-- refuse: outside-schema
INSERT INTO pg_catalog.pg_description (objoid, classoid, objsubid, description)
VALUES (1, 1259, 0, 'x');
-- refuse: outside-schema
UPDATE pg_catalog.pg_settings SET setting = 'public' WHERE name = 'search_path';
-- refuse: outside-schema
UPDATE information_schema.sql_features SET is_supported = 'NO';
-- refuse: outside-schema
DELETE FROM information_schema.sql_implementation_info;
-- refuse: outside-schema
CREATE TABLE pg_catalog.expert_cache (id integer);
-- refuse: outside-schema
CREATE FUNCTION pg_catalog.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT $1 $$;
-- refuse: outside-schema
CREATE OR REPLACE FUNCTION pg_catalog.now() RETURNS timestamptz
LANGUAGE sql AS $$ SELECT '2000-01-01'::timestamptz $$;
-- refuse: outside-schema
CREATE VIEW information_schema.expert_tables AS SELECT 1 AS one;
-- refuse: outside-schema
ALTER TABLE pg_catalog.pg_class ADD COLUMN x integer;
-- refuse: outside-schema
CREATE INDEX ON pg_catalog.pg_class (relname);
-- refuse: outside-schema
COMMENT ON TABLE pg_catalog.pg_class IS 'x';
-- refuse: outside-schema
TRUNCATE pg_catalog.pg_statistic;
-- refuse: outside-schema
GRANT UPDATE ON pg_catalog.pg_class TO en_app;
-- refuse: outside-schema
WITH x AS (DELETE FROM pg_catalog.pg_depend WHERE objid = 0 RETURNING 1) SELECT count(*) FROM x;
-- refuse: outside-schema
CREATE FUNCTION expert_network.cw_proc() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE pg_catalog.pg_proc SET prosecdef = true WHERE proname = 'touch_updated_at';
END;
$$;

-- Allowed: reading the catalogs, including about public.
SELECT c.relname
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public';
SELECT table_name FROM information_schema.tables WHERE table_schema IN ('public', 'expert_network');
SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public';
WITH t AS (
    SELECT table_schema, table_name FROM information_schema.columns WHERE table_schema = 'public'
)
SELECT count(*) FROM t;
