-- en-migrate: no-transaction
-- Refuse corpus 73: the server skips a schema of the search_path that does not exist, so after
-- `DROP SCHEMA expert_network` the pinned path (expert_network, pg_catalog, pg_temp) creates in
-- pg_catalog. The fence judged a CREATE EXTENSION without SCHEMA as landing in the path's first
-- schema as written, expert_network, and left the case of a missing one to the database-side check,
-- which a no-transaction file (first line above) does not get: the extension's types, functions and
-- operators were installed into pg_catalog. Through `up` (demo seeded, sql/001-003, then this file's
-- first case as 004) the file was applied and recorded, `hstore | pg_catalog` in pg_extension after
-- it, and the next `up` said "nothing to do". Each refused statement's paragraph ends with a
-- `-- proof:` query; run on PG 15 as the runner's superuser with `tests/fence/prove.py` (it wraps
-- the file in one transaction, where the landing is the same; database: demo/public_apps.sql and
-- sql/001-003 applied), each proof printed what the comment above it says. Found by a hunt: before,
-- every refused statement below passed `check`.

-- Reaches: hstore installed into pg_catalog: the proof prints pg_catalog. (The CASCADE is refused
-- here too: corpus 74.)
-- refuse: outside-schema
DROP SCHEMA IF EXISTS expert_network CASCADE;
-- refuse: database-wide
CREATE EXTENSION IF NOT EXISTS hstore;
-- proof: SELECT extnamespace::regnamespace FROM pg_catalog.pg_extension WHERE extname = 'hstore'

-- Reaches: the same after a DO block drops the schema: the proof prints pg_catalog.
-- refuse: outside-schema
DO $$ BEGIN DROP SCHEMA IF EXISTS expert_network CASCADE; END $$;
-- refuse: database-wide
CREATE EXTENSION IF NOT EXISTS citext;
-- proof: SELECT extnamespace::regnamespace FROM pg_catalog.pg_extension WHERE extname = 'citext'

-- Made again, the schema is the path's first again: the extension lands in it.
CREATE SCHEMA IF NOT EXISTS expert_network;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
