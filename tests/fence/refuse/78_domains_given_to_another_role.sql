-- Refuse corpus 78: a domain of expert_network's that the migrations give to another role (`ALTER
-- DOMAIN ... OWNER TO raguser`). A domain's owner may add a CHECK to it (`ALTER DOMAIN ... ADD
-- CONSTRAINT ... CHECK (f(VALUE))`) calling a function of its own, and the CHECK runs wherever a value
-- becomes the domain, with the rights of whoever casts or writes it: in a SECURITY DEFINER body its
-- owner's (the runner's superuser), and in an index's expression the table owner's when ANALYZE,
-- autovacuum's included, evaluates it (corpus 76). The fence followed a domain's CHECKs as the
-- migrations wrote them (corpus 67), and a function given away (corpus 63), not a domain given away.
-- Each refused statement but the last is followed by a `-- proof:` query; run on PG 15 as the runner's superuser
-- with `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied, placeholders
-- raguser and expert_network_readonly), each proof printed raguser's attribute f, then t: raguser,
-- not a superuser, added the CHECK and then called the definer (or the runner's ANALYZE stood for
-- autovacuum's). Found by a hunt: before, every refused statement below passed `check`.

CREATE DOMAIN expert_network.gd_code AS text;

ALTER DOMAIN expert_network.gd_code OWNER TO raguser;

-- Reaches: raguser gets CREATEROLE: the definer's cast runs the CHECK raguser added.
-- refuse: ownership
CREATE FUNCTION expert_network.gd_make(x text) RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT (x::expert_network.gd_code)::text $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gd_evil(v text) RETURNS boolean LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT true'; ALTER DOMAIN expert_network.gd_code ADD CONSTRAINT gd_evil CHECK (expert_network.gd_evil(VALUE)); SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.gd_make('abc'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- A domain over it: a value of it passes gd_code's CHECKs too.
CREATE DOMAIN expert_network.gd_short AS expert_network.gd_code CHECK (length(VALUE) < 10);

CREATE TABLE expert_network.gd_items (id int, c expert_network.gd_short);

REVOKE TRIGGER ON expert_network.gd_items FROM raguser;

-- Reaches: raguser gets CREATEDB: the definer's write of the column runs the CHECK raguser added.
-- refuse: ownership
CREATE FUNCTION expert_network.gd_add(x text) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ INSERT INTO expert_network.gd_items (id, c) VALUES (1, x) $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gd_evil(v text) RETURNS boolean LANGUAGE sql AS 'ALTER ROLE raguser CREATEDB; SELECT true'; ALTER DOMAIN expert_network.gd_code ADD CONSTRAINT gd_evil CHECK (expert_network.gd_evil(VALUE)); SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.gd_add('abc'); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE TABLE expert_network.gd_names (id int, v text);

INSERT INTO expert_network.gd_names VALUES (1, 'a'), (2, 'b');

-- Reaches: raguser gets BYPASSRLS: ANALYZE evaluates the statistics object's cast as the table's
-- owner.
-- refuse: ownership
CREATE STATISTICS expert_network.gd_names_stats ON ((v::expert_network.gd_code)), id FROM expert_network.gd_names;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gd_evil(v text) RETURNS boolean LANGUAGE sql AS 'ALTER ROLE raguser BYPASSRLS; SELECT true'; ALTER DOMAIN expert_network.gd_code ADD CONSTRAINT gd_evil CHECK (expert_network.gd_evil(VALUE)); SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; RESET ROLE; ANALYZE expert_network.gd_names; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: the same through an index's cast (no `-- proof:`: a session keeps an index's expressions
-- as they were when it first read them, without a CHECK added since, so one session cannot show it;
-- an autovacuum worker reads them fresh). Committed on a scratch database, then in a new session
-- raguser's `ALTER DOMAIN ... ADD CONSTRAINT`, then in a third session as the runner `ANALYZE
-- expert_network.gd_names`: rolbypassrls went from f to t.
-- refuse: ownership
CREATE INDEX gd_names_code_idx ON expert_network.gd_names ((v::expert_network.gd_code));

-- A domain the runner keeps: its CHECKs are the migrations' own. This passes.
CREATE DOMAIN expert_network.gd_kept AS text;
CREATE FUNCTION expert_network.gd_keep(x text) RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT (x::expert_network.gd_kept)::text $f$;
