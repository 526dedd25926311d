-- Refuse corpus 85: a view's query runs on every read of it with the reader's rights for its calls,
-- and so does the query of every view it reads, wherever it reads it: FROM, a WHERE's or the select
-- list's subquery, a CTE. Read in a SECURITY DEFINER body, they run with its owner's rights (the
-- runner's superuser). The fence followed a definer's read into the calls of views read through
-- FROM at any depth (corpus 65), not into a view read by a subquery of another. Here the inner
-- view calls an invoker whose path searches expert_network, where the application's role may
-- create (sql/003_grants.sql grants it ALL ON SCHEMA expert_network). Each refused statement is
-- followed by a `-- proof:` query; run on PG 15 as the runner's superuser with
-- `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied, placeholders
-- raguser and expert_network_readonly), each proof printed raguser's attribute f, then t: raguser,
-- not a superuser, made expert_network.lower(text) and then called the definer. Found by a hunt:
-- before, every refused statement below passed `check`.

CREATE TABLE expert_network.gw_t (id int, v text);

CREATE TABLE expert_network.gw_u (id int);

INSERT INTO expert_network.gw_t VALUES (1, 'A');

INSERT INTO expert_network.gw_u VALUES (1);

CREATE FUNCTION expert_network.gw_tag(t text) RETURNS text LANGUAGE sql
    SET search_path = expert_network, pg_catalog AS $f$ SELECT lower(t) $f$;

CREATE VIEW expert_network.gw_tagged AS SELECT t.id, expert_network.gw_tag(t.v) AS tag FROM expert_network.gw_t t;

CREATE VIEW expert_network.gw_tagged_ids AS
    SELECT u.id FROM expert_network.gw_u u WHERE u.id IN (SELECT g.id FROM expert_network.gw_tagged g WHERE g.tag <> '');

-- Reaches: raguser gets SUPERUSER: the inner view, read in a WHERE's subquery, calls gw_tag.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.gw_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT count(*) FROM expert_network.gw_tagged_ids $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gw_do() RETURNS void LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser SUPERUSER; END IF; END'; CREATE FUNCTION expert_network.lower(t text) RETURNS text LANGUAGE plpgsql AS 'BEGIN PERFORM expert_network.gw_do(); RETURN t; END'; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.gw_count(); RESET ROLE; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE VIEW expert_network.gw_first_tag AS
    SELECT u.id, (SELECT g.tag FROM expert_network.gw_tagged g WHERE g.id = u.id) AS tag FROM expert_network.gw_u u;

-- Reaches: raguser gets CREATEROLE: the inner view read in the select list's subquery.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.gw_first(p_id int) RETURNS text LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ BEGIN RETURN (SELECT f.tag FROM expert_network.gw_first_tag f WHERE f.id = p_id); END $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gw_do() RETURNS void LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser CREATEROLE; END IF; END'; CREATE FUNCTION expert_network.lower(t text) RETURNS text LANGUAGE plpgsql AS 'BEGIN PERFORM expert_network.gw_do(); RETURN t; END'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.gw_first(1); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- A view whose subquery reads a view that calls nothing passes.
CREATE VIEW expert_network.gw_plain AS SELECT t.id FROM expert_network.gw_t t;
CREATE VIEW expert_network.gw_plain_ids AS SELECT u.id FROM expert_network.gw_u u WHERE u.id IN (SELECT p.id FROM expert_network.gw_plain p);
CREATE FUNCTION expert_network.gw_plain_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT count(*) FROM expert_network.gw_plain_ids $f$;
