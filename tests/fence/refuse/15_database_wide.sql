-- Refuse corpus 15: objects and commands that act on the whole cluster or database rather than
-- on schema expert_network: publications, subscriptions, event triggers, ALTER SYSTEM,
-- databases, tablespaces, foreign data wrappers, servers, user mappings, languages,
-- CHECKPOINT, extensions outside expert_network, whole-database maintenance.

-- refuse: database-wide
CREATE PUBLICATION en_pub FOR ALL TABLES;
-- refuse: database-wide
CREATE PUBLICATION en_pub2 FOR TABLE expert_network.campaigns;
-- refuse: database-wide
CREATE PUBLICATION en_pub3 FOR TABLES IN SCHEMA expert_network;
-- Accepted since issue 11: adding expert_network's own table (Supabase realtime).
ALTER PUBLICATION en_pub2 ADD TABLE expert_network.experts;
-- refuse: database-wide
DROP PUBLICATION IF EXISTS en_pub;
-- refuse: database-wide
CREATE SUBSCRIPTION en_sub CONNECTION 'host=127.0.0.1 dbname=ragdb' PUBLICATION en_pub;
-- refuse: database-wide
ALTER SUBSCRIPTION en_sub DISABLE;
-- refuse: database-wide
DROP SUBSCRIPTION en_sub;
-- refuse: database-wide
CREATE EVENT TRIGGER en_block_ddl ON ddl_command_start
    EXECUTE FUNCTION expert_network.block_ddl();
-- refuse: database-wide
CREATE EVENT TRIGGER en_sql_drop ON sql_drop
    WHEN TAG IN ('DROP TABLE')
    EXECUTE PROCEDURE expert_network.on_drop();
-- refuse: database-wide
ALTER EVENT TRIGGER en_block_ddl DISABLE;
-- refuse: database-wide
DROP EVENT TRIGGER IF EXISTS en_block_ddl;
-- refuse: database-wide
ALTER SYSTEM SET search_path = 'expert_network';
-- refuse: database-wide
ALTER SYSTEM SET shared_preload_libraries = 'evil';
-- refuse: database-wide
ALTER SYSTEM RESET ALL;
-- refuse: database-wide
CREATE DATABASE expert_network_db;
-- refuse: database-wide
CREATE DATABASE ragdb_copy TEMPLATE ragdb;
-- refuse: database-wide
ALTER DATABASE ragdb RENAME TO ragdb_old;
-- refuse: database-wide
ALTER DATABASE ragdb OWNER TO en_app;
-- refuse: database-wide
ALTER DATABASE ragdb CONNECTION LIMIT 0;
-- refuse: database-wide
ALTER DATABASE ragdb SET TABLESPACE fast_ssd;
-- refuse: database-wide
DROP DATABASE ragdb;
-- refuse: database-wide
DROP DATABASE IF EXISTS ragdb WITH (FORCE);
-- refuse: database-wide
CREATE TABLESPACE en_space LOCATION '/var/lib/postgresql/en_space';
-- refuse: database-wide
ALTER TABLESPACE en_space RENAME TO en_space2;
-- refuse: database-wide
DROP TABLESPACE en_space;
-- refuse: database-wide
CREATE FOREIGN DATA WRAPPER en_fdw;
-- refuse: database-wide
ALTER FOREIGN DATA WRAPPER postgres_fdw OWNER TO en_app;
-- refuse: database-wide
DROP FOREIGN DATA WRAPPER IF EXISTS en_fdw;
-- refuse: database-wide
CREATE SERVER ragdb_remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', dbname 'ragdb');
-- refuse: database-wide
ALTER SERVER ragdb_remote OPTIONS (SET host 'localhost');
-- refuse: database-wide
DROP SERVER ragdb_remote CASCADE;
-- refuse: database-wide
CREATE USER MAPPING FOR en_app SERVER ragdb_remote OPTIONS (user 'postgres', password 'x');
-- refuse: database-wide
ALTER USER MAPPING FOR CURRENT_USER SERVER ragdb_remote OPTIONS (SET password 'y');
-- refuse: database-wide
DROP USER MAPPING IF EXISTS FOR PUBLIC SERVER ragdb_remote;
-- refuse: database-wide
IMPORT FOREIGN SCHEMA public FROM SERVER ragdb_remote INTO expert_network;
-- refuse: database-wide
CREATE LANGUAGE plperlu;
-- refuse: database-wide
CREATE OR REPLACE TRUSTED LANGUAGE plsample HANDLER plsample_call_handler;
-- refuse: database-wide
ALTER LANGUAGE plpgsql OWNER TO en_app;
-- refuse: database-wide
DROP LANGUAGE IF EXISTS plpython3u;
-- refuse: database-wide
CHECKPOINT;
-- refuse: database-wide
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;
-- refuse: database-wide
CREATE EXTENSION citext SCHEMA other_app;
-- refuse: database-wide
CREATE EXTENSION postgres_fdw;
-- refuse: database-wide
CREATE EXTENSION dblink CASCADE;
-- refuse: database-wide
ALTER EXTENSION pg_trgm UPDATE;
-- refuse: database-wide
ALTER EXTENSION pgcrypto SET SCHEMA public;
-- refuse: database-wide
DROP EXTENSION IF EXISTS pgcrypto CASCADE;
-- refuse: database-wide
VACUUM;
-- refuse: database-wide
VACUUM FULL;
-- refuse: database-wide
ANALYZE;
-- refuse: database-wide
CLUSTER;
-- refuse: database-wide
REINDEX DATABASE ragdb;
-- refuse: database-wide
REINDEX SYSTEM;

-- Allowed: an extension installed into expert_network.
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA expert_network;
