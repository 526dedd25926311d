-- Refuse corpus 87: an invoker that runs with another's rights (called from a SECURITY DEFINER body,
-- corpus 58, or from an expression ANALYZE evaluates as the table's owner, corpus 76) and reads a
-- view of expert_network the migrations give to another role (`ALTER VIEW ... OWNER TO raguser`). The
-- view's owner may replace its query (CREATE OR REPLACE VIEW), and the query's calls run with the
-- reader's rights, here the runner's superuser's. The fence refused a definer's own read of such a
-- relation (corpus 79), not an invoker's it calls. Each refused statement is followed by a `-- proof:`
-- query; run on PG 15 as the runner's superuser with `tests/fence/prove.py` (database:
-- demo/public_apps.sql and sql/001-003 applied, placeholders raguser and expert_network_readonly),
-- each proof printed raguser's attribute f, then t: raguser, not a superuser, replaced the view's query
-- with a call of its own function, then called the definer (or the runner's ANALYZE stood for
-- autovacuum's). Found by a hunt: before, every refused statement below passed `check`.

CREATE TABLE expert_network.gi_t (id int, v text);

INSERT INTO expert_network.gi_t SELECT g, 'a' FROM pg_catalog.generate_series(1, 5) g;

CREATE VIEW expert_network.gi_v AS SELECT t.id, t.v FROM expert_network.gi_t t;

ALTER VIEW expert_network.gi_v OWNER TO raguser;

CREATE FUNCTION expert_network.gi_count() RETURNS bigint LANGUAGE sql
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT count(*) FROM expert_network.gi_v $f$;

-- Reaches: raguser gets SUPERUSER: the definer's invoker reads raguser's view.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.gi_report() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT expert_network.gi_count() $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gi_evil() RETURNS boolean LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser SUPERUSER; END IF; RETURN true; END'; CREATE OR REPLACE VIEW expert_network.gi_v AS SELECT t.id, t.v FROM expert_network.gi_t t WHERE expert_network.gi_evil(); SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.gi_report(); RESET ROLE; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.gi_key(p text) RETURNS text LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT p || (SELECT count(*) FROM expert_network.gi_v)::text $f$;

-- Reaches: raguser gets CREATEROLE: ANALYZE evaluates the index's gi_key as the table's owner, and
-- gi_key reads raguser's view.
-- refuse: unqualified-name
CREATE INDEX gi_t_key ON expert_network.gi_t ((expert_network.gi_key(v)));
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gi_evil() RETURNS boolean LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser CREATEROLE; END IF; RETURN true; END'; CREATE OR REPLACE VIEW expert_network.gi_v AS SELECT t.id, t.v FROM expert_network.gi_t t WHERE expert_network.gi_evil(); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; ANALYZE expert_network.gi_t; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- An invoker reading a view the runner keeps passes.
CREATE VIEW expert_network.gi_kept AS SELECT t.id FROM expert_network.gi_t t;
CREATE FUNCTION expert_network.gi_kept_count() RETURNS bigint LANGUAGE sql
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT count(*) FROM expert_network.gi_kept $f$;
CREATE FUNCTION expert_network.gi_kept_report() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT expert_network.gi_kept_count() $f$;
