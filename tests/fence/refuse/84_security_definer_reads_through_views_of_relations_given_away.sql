-- Refuse corpus 84: a SECURITY DEFINER body that reads a view of the runner's which reads, at any
-- depth, a relation of expert_network the migrations give to another role (`ALTER VIEW ... OWNER TO
-- raguser`). The server expands each view a query reads when the query is planned, so the outer view
-- reads whatever query the inner one's owner gave it since (CREATE OR REPLACE VIEW keeps the view the
-- outer one names), and that query's calls run with the reader's rights, in a definer its owner's
-- (the runner's superuser). The fence refused a definer's read of the view given away (corpus 79) and
-- of a view over it only when that view was a plain one over a single relation, not a join's or a
-- subquery's. Each refused statement is followed by a `-- proof:` query; run on PG 15 as the runner's
-- superuser with `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied,
-- placeholders raguser and expert_network_readonly), each proof printed raguser's attribute f, then
-- t: raguser, not a superuser, replaced its view's query with a call of its own function and then
-- called the definer. Found by a hunt: before, every refused statement below passed `check`.

CREATE TABLE expert_network.gv_t (id int, v text);

CREATE TABLE expert_network.gv_u (id int, w text);

INSERT INTO expert_network.gv_t VALUES (1, 'a');

INSERT INTO expert_network.gv_u VALUES (1, 'b');

CREATE VIEW expert_network.gv_inner AS SELECT t.id, t.v FROM expert_network.gv_t t;

ALTER VIEW expert_network.gv_inner OWNER TO raguser;

CREATE VIEW expert_network.gv_outer AS
    SELECT i.id, i.v, u.w FROM expert_network.gv_inner i JOIN expert_network.gv_u u ON u.id = i.id;

-- Reaches: raguser gets SUPERUSER: a join view over raguser's view.
-- refuse: ownership
CREATE FUNCTION expert_network.gv_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT count(*) FROM expert_network.gv_outer $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gv_evil() RETURNS boolean LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser SUPERUSER; END IF; RETURN true; END'; CREATE OR REPLACE VIEW expert_network.gv_inner AS SELECT t.id, t.v FROM expert_network.gv_t t WHERE expert_network.gv_evil(); SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.gv_count(); RESET ROLE; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE VIEW expert_network.gv_filtered AS
    SELECT u.id, u.w FROM expert_network.gv_u u WHERE u.id IN (SELECT i.id FROM expert_network.gv_inner i);

CREATE VIEW expert_network.gv_top AS SELECT f.id, f.w, 1 AS n FROM expert_network.gv_filtered f, expert_network.gv_t t WHERE t.id = f.id;

-- Reaches: raguser gets CREATEROLE: two levels of views, the inner one in a WHERE subquery.
-- refuse: ownership
CREATE FUNCTION expert_network.gv_top_count() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ BEGIN RETURN (SELECT count(*) FROM expert_network.gv_top); END $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gv_evil() RETURNS boolean LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser CREATEROLE; END IF; RETURN true; END'; CREATE OR REPLACE VIEW expert_network.gv_inner AS SELECT t.id, t.v FROM expert_network.gv_t t WHERE expert_network.gv_evil(); SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.gv_top_count(); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Views over relations the runner keeps pass.
CREATE VIEW expert_network.gv_kept AS
    SELECT t.id, u.w FROM expert_network.gv_t t JOIN expert_network.gv_u u ON u.id = t.id;
CREATE FUNCTION expert_network.gv_kept_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT count(*) FROM expert_network.gv_kept $f$;
