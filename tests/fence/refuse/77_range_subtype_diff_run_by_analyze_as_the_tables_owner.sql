-- Refuse corpus 77: a range type's SUBTYPE_DIFF function is called for the type's values without a
-- call naming it: ANALYZE of a table with a column of the range type builds its length histogram
-- with it, as the table's owner (the runner's superuser), and autovacuum runs that ANALYZE by itself
-- once enough rows changed, whoever wrote them (corpus 76); a GiST index's upkeep calls it too. Its
-- string body looks up its names when it runs, on its own path. Here that path searches
-- expert_network first, and the application's role (sql/003_grants.sql grants it ALL ON SCHEMA
-- expert_network) adds `expert_network.length(text)`, which the body's `length(...)` then finds before
-- pg_catalog's. The refused statement is followed by a `-- proof:` query; run on PG 15 as the
-- runner's superuser with `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003
-- applied, placeholders raguser and expert_network_readonly), its ANALYZE standing for autovacuum's,
-- the proof printed raguser's rolcreaterole f, then t. Found by a hunt: before, every statement
-- below passed `check`.

CREATE FUNCTION expert_network.rg_diff(a text, b text) RETURNS float8 LANGUAGE sql IMMUTABLE
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT (length(a) - length(b))::float8 $f$;

-- Reaches: raguser gets CREATEROLE: ANALYZE measures the column's sample with rg_diff.
-- refuse: unqualified-name
CREATE TYPE expert_network.rg_span AS RANGE (SUBTYPE = text, SUBTYPE_DIFF = expert_network.rg_diff);
CREATE TABLE expert_network.rg_items (s expert_network.rg_span);
INSERT INTO expert_network.rg_items VALUES ('[a,bb)'), ('[c,ddd)'), ('[e,f)');
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.length(text) RETURNS int LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT pg_catalog.length($1)'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; RESET ROLE; ANALYZE expert_network.rg_items; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- A SUBTYPE_DIFF whose path searches pg_catalog alone finds only pg_catalog's: this passes.
CREATE FUNCTION expert_network.rg_safe_diff(a text, b text) RETURNS float8 LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT (length(a) - length(b))::float8 $f$;
CREATE TYPE expert_network.rg_safe_span AS RANGE (SUBTYPE = text, SUBTYPE_DIFF = expert_network.rg_safe_diff);
