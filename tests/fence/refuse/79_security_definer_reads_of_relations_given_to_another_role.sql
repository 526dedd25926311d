-- Refuse corpus 79: a SECURITY DEFINER body that reads a relation of expert_network the migrations
-- give to another role (`ALTER VIEW / TABLE ... OWNER TO raguser`). The owner of a view may replace
-- its query (CREATE OR REPLACE VIEW keeps the view, so a BEGIN ATOMIC body that bound it reads the
-- new query too), and the owner of a table may drop it and make a view of that name; a view's
-- function calls run with the reader's rights, in a definer its owner's (the runner's superuser).
-- The fence refused a definer's write to a relation given away (the owner may add triggers, corpus
-- 57), not its read. Each refused statement is followed by a `-- proof:` query; run on PG 15 as the
-- runner's superuser with `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003
-- applied, placeholders raguser and expert_network_readonly), each proof printed raguser's attribute
-- f, then t: raguser, not a superuser, replaced the view (or the table) and called the definer.
-- Found by a hunt: before, every refused statement below passed `check`.

CREATE TABLE expert_network.vw_items (id int, v text);

INSERT INTO expert_network.vw_items VALUES (1, 'a');

CREATE VIEW expert_network.vw_names AS SELECT i.v FROM expert_network.vw_items AS i;

ALTER VIEW expert_network.vw_names OWNER TO raguser;

-- Reaches: raguser gets CREATEROLE: its new query calls its function, with the definer's rights.
-- refuse: ownership
CREATE FUNCTION expert_network.vw_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT count(*) FROM expert_network.vw_names $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.vw_evil() RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT ''x''::text'; CREATE OR REPLACE VIEW expert_network.vw_names AS SELECT expert_network.vw_evil() AS v; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.vw_count(); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEDB: the same for a BEGIN ATOMIC body, bound to the view it replaced.
-- refuse: ownership
CREATE FUNCTION expert_network.vw_first() RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT n.v FROM expert_network.vw_names AS n LIMIT 1;
END;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.vw_evil() RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEDB; SELECT ''x''::text'; CREATE OR REPLACE VIEW expert_network.vw_names AS SELECT expert_network.vw_evil() AS v; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.vw_first(); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE TABLE expert_network.vw_given (id int, v text);

ALTER TABLE expert_network.vw_given OWNER TO raguser;

-- Reaches: raguser gets BYPASSRLS: it drops the table it was given and makes a view of its name.
-- refuse: ownership
CREATE FUNCTION expert_network.vw_given_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT count(*) FROM expert_network.vw_given AS g WHERE g.v IS NOT NULL $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.vw_evil() RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser BYPASSRLS; SELECT ''x''::text'; DROP TABLE expert_network.vw_given; CREATE VIEW expert_network.vw_given AS SELECT 1 AS id, expert_network.vw_evil() AS v; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.vw_given_count(); RESET ROLE; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- A view the runner keeps, or gives and then takes back: its query is the migrations' own. These pass.
CREATE VIEW expert_network.vw_kept AS SELECT i.v FROM expert_network.vw_items AS i;
CREATE VIEW expert_network.vw_back AS SELECT i.v FROM expert_network.vw_items AS i;
ALTER VIEW expert_network.vw_back OWNER TO raguser;
ALTER VIEW expert_network.vw_back OWNER TO CURRENT_USER;
CREATE FUNCTION expert_network.vw_kept_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT (SELECT count(*) FROM expert_network.vw_kept) + (SELECT count(*) FROM expert_network.vw_back) $f$;
