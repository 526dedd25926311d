-- Refuse corpus 111: the fence leaves expert_network out of the path after a statement that may drop
-- it (corpus 73), and reads a DO block's or a routine's body for that by its words: DROP, SCHEMA
-- and the schema's name. A body may spell the name so that its text holds no such word, a Unicode
-- escape (`U&"expert\005Fnetwork"`) or an escape string's constant EXECUTE
-- (`E'... expert\137network ...'`), and the server drops the schema all the same: the fence then
-- judged what followed under `SET search_path TO expert_network, pg_catalog` as landing in
-- expert_network (e59a0ad accepts unqualified creations there), while the server, skipping the
-- schema that was gone, created in pg_catalog. Such a DROP is refused. (Also fixed with it, shown
-- through `up` and in the unit tests, as one file alone cannot hold it: a routine an earlier
-- migration made to `DROP SCHEMA expert_network CASCADE`, called by a later no-transaction file,
-- left that file's `CREATE EXTENSION IF NOT EXISTS pg_trgm` judged as landing in expert_network;
-- `up` applied it and pg_extension said `pg_trgm | pg_catalog`. A file after one that makes such a
-- routine is now judged with the schema possibly gone.) Each refused statement's paragraph ends
-- with a `-- proof:` query; run on PG 15 as the runner's superuser with `tests/fence/prove.py`
-- (database: demo/public_apps.sql and sql/001-003 applied), each proof printed what the comment
-- above it says; in a transactional file the guard catches what lands in pg_catalog. Found by a
-- hunt: before, every statement below passed `check`.

SET search_path TO expert_network, pg_catalog;

-- Reaches: a collation made in pg_catalog: the proof prints pg_catalog.
-- refuse: outside-schema
DO $$ BEGIN DROP SCHEMA U&"expert\005Fnetwork" CASCADE; END $$;
CREATE COLLATION corpus111_c FROM "C";
-- proof: SELECT collnamespace::regnamespace FROM pg_catalog.pg_collation WHERE collname = 'corpus111_c'

-- Reaches: the same through a constant EXECUTE of an escape string: the proof prints pg_catalog.
-- refuse: outside-schema
DO $$
BEGIN EXECUTE E'DROP SCHEMA expert\137network CASCADE'; END $$;
CREATE COLLATION corpus111_c FROM "C";
-- proof: SELECT collnamespace::regnamespace FROM pg_catalog.pg_collation WHERE collname = 'corpus111_c'

-- Reaches: the same through a function made unqualified under the file's path (its statement holds
-- no word of the schema's), then called: the proof prints pg_catalog.
-- refuse: outside-schema
CREATE FUNCTION corpus111_reset() RETURNS void LANGUAGE sql AS
$b$ DROP SCHEMA U&"expert\005Fnetwork" CASCADE $b$;
SELECT expert_network.corpus111_reset();
CREATE COLLATION corpus111_c FROM "C";
-- proof: SELECT collnamespace::regnamespace FROM pg_catalog.pg_collation WHERE collname = 'corpus111_c'
