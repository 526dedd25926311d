-- Refuse corpus 86: an invoker that runs with another's rights (called from an expression ANALYZE
-- evaluates as the table's owner, corpus 76, or from a SECURITY DEFINER body, corpus 58) runs the
-- calls of every view its body reads with those rights too: a view's query runs with the reader's
-- rights for its calls. The fence followed such an invoker into the functions it calls and the
-- triggers of what it writes, at any depth, not into the views it reads. Here the view calls an
-- invoker whose path searches expert_network, where the application's role may create
-- (sql/003_grants.sql grants it ALL ON SCHEMA expert_network). Each refused statement is followed by
-- a `-- proof:` query; run on PG 15 as the runner's superuser with `tests/fence/prove.py` (database:
-- demo/public_apps.sql and sql/001-003 applied, placeholders raguser and expert_network_readonly),
-- each proof printed raguser's attribute f, then t: raguser, not a superuser, made
-- expert_network.lower(text), then the runner's ANALYZE (standing for autovacuum's) or raguser's call
-- of the definer ran it as postgres. Found by a hunt: before, every refused statement below passed
-- `check`.

CREATE TABLE expert_network.gm_t (id int, v text);

INSERT INTO expert_network.gm_t SELECT g, 'A' FROM pg_catalog.generate_series(1, 5) g;

CREATE FUNCTION expert_network.gm_tag(t text) RETURNS text LANGUAGE sql
    SET search_path = expert_network, pg_catalog AS $f$ SELECT lower(t) $f$;

CREATE VIEW expert_network.gm_tags AS SELECT t.id, expert_network.gm_tag(t.v) AS tag FROM expert_network.gm_t t;

CREATE FUNCTION expert_network.gm_key(p text) RETURNS text LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT p || (SELECT count(*) FROM expert_network.gm_tags g WHERE g.tag <> '')::text $f$;

-- Reaches: raguser gets SUPERUSER: ANALYZE evaluates the index's gm_key as the table's owner, and
-- gm_key's read of the view runs gm_tag.
-- refuse: unqualified-name
CREATE INDEX gm_t_key ON expert_network.gm_t ((expert_network.gm_key(v)));
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gm_do() RETURNS void LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser SUPERUSER; END IF; END'; CREATE FUNCTION expert_network.lower(t text) RETURNS text LANGUAGE plpgsql AS 'BEGIN PERFORM expert_network.gm_do(); RETURN t; END'; RESET ROLE; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; ANALYZE expert_network.gm_t; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.gm_count() RETURNS bigint LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$ BEGIN RETURN (SELECT count(*) FROM expert_network.gm_tags); END $f$;

-- Reaches: raguser gets CREATEROLE: a definer calls the invoker, whose read of the view runs gm_tag.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.gm_report() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT expert_network.gm_count() $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gm_do() RETURNS void LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser CREATEROLE; END IF; END'; CREATE FUNCTION expert_network.lower(t text) RETURNS text LANGUAGE plpgsql AS 'BEGIN PERFORM expert_network.gm_do(); RETURN t; END'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.gm_report(); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- An invoker reading a view that calls nothing passes.
CREATE VIEW expert_network.gm_plain AS SELECT t.id FROM expert_network.gm_t t;
CREATE FUNCTION expert_network.gm_plain_count() RETURNS bigint LANGUAGE sql
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT count(*) FROM expert_network.gm_plain $f$;
CREATE FUNCTION expert_network.gm_plain_report() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT expert_network.gm_plain_count() $f$;
