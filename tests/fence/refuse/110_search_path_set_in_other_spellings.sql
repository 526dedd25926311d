-- Refuse corpus 110: the server takes other spellings of a change of search_path than `SET
-- search_path`: `SET [LOCAL | SESSION] SCHEMA 'x'` is `SET search_path = x` to the grammar, and
-- set_config's name may be an escape string (E'search\137path', U&'search\005fpath'). The fence
-- followed a path change only in a statement whose text held the word search_path, so it judged the
-- statements after these under the path set before (`SET search_path TO expert_network`), where
-- e59a0ad and corpus 74 accept unqualified creations, while the server created them in pg_catalog:
-- among them `CREATE OR REPLACE FUNCTION lower(text)`, which replaced pg_catalog's lower(text) in
-- place (same oid 870), so every application's `lower(email)` on BetterAuth's users returned the
-- migration's value. Through `up` (demo seeded, sql/001-003, then the first case as 004 in a
-- no-transaction file) the file was applied and recorded, and a new session's
-- `SELECT lower(email) FROM public."user"` printed `pwned`; in a transactional file the guard caught
-- the changed built-in. Each refused statement's paragraph ends with a `-- proof:` query; run on PG
-- 15 as the runner's superuser with `tests/fence/prove.py` (database: demo/public_apps.sql and
-- sql/001-003 applied), each proof printed what the comment above it says. Found by a hunt: before,
-- every statement below passed `check` but the last.

-- Reaches: pg_catalog.lower(text) replaced: the proof prints pwned, then pg_catalog.
SET search_path TO expert_network;
SET SCHEMA 'pg_catalog';
-- refuse: unqualified-name
CREATE OR REPLACE FUNCTION lower(text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT ''pwned''';
-- proof: SELECT pg_catalog.lower(u.email) FROM public."user" u LIMIT 1; SELECT pg_catalog.current_setting('search_path')

-- Reaches: a collation made in pg_catalog, which every schema's COLLATE finds: the proof prints
-- pg_catalog.
SET search_path TO expert_network;
SET LOCAL SCHEMA 'pg_catalog';
-- refuse: unqualified-name
CREATE COLLATION corpus110_c FROM "C";
-- proof: SELECT collnamespace::regnamespace FROM pg_catalog.pg_collation WHERE collname = 'corpus110_c'

-- Reaches: a type made in pg_catalog, found before public's by every application's unqualified
-- name: the proof prints pg_catalog.
SET search_path TO expert_network;
SELECT set_config(E'search\137path', 'pg_catalog', false);
-- refuse: unqualified-name
CREATE TYPE corpus110_kind AS ENUM ('a');
-- proof: SELECT typnamespace::regnamespace FROM pg_catalog.pg_type WHERE typname = 'corpus110_kind'

-- Reaches: an operator family made in pg_catalog: the proof prints pg_catalog.
SET search_path TO expert_network;
SELECT pg_catalog.set_config(U&'search\005fpath', 'pg_catalog', true);
-- refuse: unqualified-name
CREATE OPERATOR FAMILY corpus110_fam USING btree;
-- proof: SELECT opfnamespace::regnamespace FROM pg_catalog.pg_opfamily WHERE opfname = 'corpus110_fam'

-- Reaches: the path changed in a statement the fence does not read for one (the function's name
-- and the setting's both escaped, neither a plain word in its text; a comment holding one would
-- have it read, and followed): the proof prints pg_catalog.
-- refuse: session-state
SELECT
  U&"set\005fconfig"(E'search\137path', 'pg_catalog', false);
-- proof: SELECT pg_catalog.current_setting('search_path')
