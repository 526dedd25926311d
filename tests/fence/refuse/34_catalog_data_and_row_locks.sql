-- Refuse corpus 34 (issue 11, class 7): catalog relations that expose other applications' data or the
-- server's secrets, and row locks on catalog rows (a SELECT ... FOR UPDATE on pg_class stalls other
-- applications' DDL until the migration commits). Proven with psql on PG 15 as the runner's
-- superuser: pg_stats shows samples of public."user".email, pg_authid the password hashes.

-- refuse: catalog-data
CREATE TABLE expert_network.pp_loot AS
    SELECT s.attname, s.most_common_vals::text AS vals FROM pg_catalog.pg_stats AS s WHERE s.schemaname = 'public';
-- refuse: catalog-data
CREATE TABLE expert_network.pp_hashes AS SELECT rolname, rolpassword FROM pg_catalog.pg_authid;
-- refuse: catalog-data
SELECT * FROM pg_shadow;
-- refuse: catalog-data
SELECT stavalues1::text FROM pg_catalog.pg_statistic;
-- refuse: catalog-data
SELECT * FROM pg_catalog.pg_hba_file_rules;
-- refuse: catalog-data
SELECT sourcefile, setting FROM pg_catalog.pg_file_settings;
-- refuse: catalog-data
SELECT query FROM pg_catalog.pg_stat_activity;
-- refuse: catalog-data
SELECT * FROM pg_catalog.pg_user_mappings;
-- refuse: catalog-data
SELECT subconninfo FROM pg_catalog.pg_subscription;
-- refuse: catalog-data
SELECT data FROM pg_catalog.pg_largeobject;
-- refuse: catalog-data
SELECT last_value FROM pg_catalog.pg_sequences WHERE schemaname = 'public';
-- refuse: catalog-data
SELECT * FROM pg_catalog.pg_stat_get_activity(NULL);
-- In a view, the data would be read each time the application reads the view.
-- refuse: catalog-data
CREATE VIEW expert_network.pp_sessions AS SELECT usename, query FROM pg_catalog.pg_stat_activity;
-- In a function body.
-- refuse: catalog-data
CREATE FUNCTION expert_network.pp_hashes() RETURNS SETOF text LANGUAGE sql AS $$ SELECT rolpassword FROM pg_catalog.pg_authid $$;

-- Other spellings: TABLE, unqualified, a scalar subquery, a materialized view.
-- refuse: catalog-data
TABLE pg_catalog.pg_authid;
-- refuse: catalog-data
SELECT attname, histogram_bounds::text FROM pg_stats WHERE tablename = 'user';
-- refuse: catalog-data
SELECT (SELECT a.rolpassword FROM pg_catalog.pg_authid AS a WHERE a.rolname = 'postgres') AS h;
-- refuse: catalog-data
CREATE MATERIALIZED VIEW expert_network.pp_mv AS SELECT * FROM pg_catalog.pg_stats_ext;
-- refuse: catalog-data
SELECT * FROM pg_catalog.pg_ident_file_mappings;

-- Row locks on catalog rows.
-- refuse: outside-schema
SELECT c.relname FROM pg_catalog.pg_class AS c WHERE c.relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace AS n WHERE n.nspname = 'public') FOR UPDATE;
-- refuse: outside-schema
SELECT 1 FROM pg_catalog.pg_namespace AS n FOR SHARE;
-- refuse: outside-schema
SELECT c.relname FROM expert_network.experts AS e, pg_catalog.pg_class AS c FOR NO KEY UPDATE OF c;
-- refuse: outside-schema
SELECT * FROM pg_class FOR KEY SHARE;
-- refuse: outside-schema
DO $$
BEGIN
    PERFORM 1 FROM pg_catalog.pg_class AS c WHERE c.relname = 'user' FOR UPDATE SKIP LOCKED;
END
$$;
