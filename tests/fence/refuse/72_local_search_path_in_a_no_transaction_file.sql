-- en-migrate: no-transaction
-- Refuse corpus 72: a no-transaction file (first line above) runs each statement alone, a
-- transaction of its own, and no database-side check follows it. A `SET LOCAL search_path` there
-- lasts only for itself (the server says "SET LOCAL can only be used in transaction blocks" and
-- keeps the path), and so does `set_config('search_path', ..., true)`; the fence followed both for
-- the statements after them (policy::paths), so after a real `SET search_path = pg_catalog,
-- expert_network` either one made the fence judge what followed on the pinned path while the
-- server kept pg_catalog first. A CREATE EXTENSION without SCHEMA, accepted on the pinned path,
-- then installed into pg_catalog, with nothing to roll it back. Proof: not runnable by prove.py,
-- which wraps a file in one transaction; on PG 15 as the runner's superuser, psql in autocommit
-- (each -c its own statement, as `up` sends them; database: demo/public_apps.sql and sql/001-003)
-- ran the first case as written, then `SELECT extname, extnamespace::regnamespace FROM
-- pg_catalog.pg_extension WHERE extname = 'hstore'` printed `hstore | pg_catalog`, and 25 functions
-- named hstore% were in pg_catalog; the second case printed `citext | pg_catalog`. Through `up`
-- (demo seeded, sql/001-003, the first case as 004) the file was applied and recorded, hstore in
-- pg_catalog. Found by a hunt: before, every statement below passed `check`.

SET search_path = pg_catalog, expert_network;

-- Reaches: hstore's types, functions and operators made in pg_catalog.
-- refuse: session-state
SET LOCAL search_path = expert_network, pg_catalog, pg_temp;
CREATE EXTENSION IF NOT EXISTS hstore;

-- Reaches: citext's made in pg_catalog.
-- refuse: session-state
SELECT pg_catalog.set_config('search_path', 'expert_network, pg_catalog, pg_temp', true);
CREATE EXTENSION IF NOT EXISTS citext;

-- A session-level change lasts for the statements after it, as the fence follows it: this file's
-- extensions then go to expert_network.
SELECT pg_catalog.set_config('search_path', 'expert_network, pg_catalog, pg_temp', false);
CREATE EXTENSION IF NOT EXISTS pg_trgm;
SET search_path = expert_network, pg_catalog, pg_temp;
CREATE EXTENSION IF NOT EXISTS btree_gist;
