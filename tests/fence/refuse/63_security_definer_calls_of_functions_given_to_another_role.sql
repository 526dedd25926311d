-- Refuse corpus 63: a SECURITY DEFINER body that calls a function of expert_network, or writes a
-- table whose trigger runs one, that the migrations give to another role (`ALTER FUNCTION ... OWNER
-- TO`). Its owner may replace the body (CREATE OR REPLACE FUNCTION keeps the name and the call),
-- and the definer then runs the new body with its owner's rights (the runner's superuser). The
-- fence judged the body the migrations wrote. Each refused statement is followed by a `-- proof:`
-- query; run on PG 15 as the runner's superuser with `tests/fence/prove.py` (database:
-- demo/public_apps.sql and sql/001-003 applied, placeholders raguser and expert_network_readonly),
-- each proof printed what the comment above it says (raguser's attribute false, then true). Found
-- by a hunt: before, the first refused statement and the OWNER TO passed `check` and `up` applied
-- them (exit 0; nothing outside expert_network changed, so the guard sees nothing); then as raguser
-- `CREATE OR REPLACE FUNCTION expert_network.ow_count() ... 'ALTER ROLE raguser SUPERUSER; ...'` and
-- `SELECT expert_network.ow_stats()` made raguser a superuser.

CREATE TABLE expert_network.ow_items (v text);

CREATE FUNCTION expert_network.ow_count() RETURNS bigint LANGUAGE sql
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.count(*) FROM expert_network.ow_items $f$;

ALTER FUNCTION expert_network.ow_count() OWNER TO raguser;

-- Reaches: raguser gets CREATEROLE: it owns ow_count, replaces its body, and the definer runs it.
-- refuse: ownership
CREATE FUNCTION expert_network.ow_stats() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT expert_network.ow_count() $f$;
-- proof: SET LOCAL ROLE raguser; CREATE OR REPLACE FUNCTION expert_network.ow_count() RETURNS bigint LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT 1::bigint'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ow_stats(); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE TABLE expert_network.ow_log (v text);

REVOKE TRIGGER ON expert_network.ow_log FROM raguser;

CREATE FUNCTION expert_network.ow_stamp() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    NEW.v := pg_catalog.upper(NEW.v);
    RETURN NEW;
END
$f$;

CREATE TRIGGER ow_stamp BEFORE INSERT ON expert_network.ow_log FOR EACH ROW
    EXECUTE FUNCTION expert_network.ow_stamp();

ALTER ROUTINE expert_network.ow_stamp() OWNER TO raguser;

-- Reaches: raguser gets CREATEDB: the trigger function it was given runs on the definer's INSERT.
-- refuse: ownership
CREATE FUNCTION expert_network.ow_add(x text) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ INSERT INTO expert_network.ow_log VALUES (x) $f$;
-- proof: SET LOCAL ROLE raguser; CREATE OR REPLACE FUNCTION expert_network.ow_stamp() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN ALTER ROLE raguser CREATEDB; RETURN NEW; END'; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ow_add('x'); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.ow_mine() RETURNS bigint LANGUAGE sql
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.count(*) FROM expert_network.ow_items $f$;

ALTER FUNCTION expert_network.ow_mine() OWNER TO CURRENT_USER;

-- Allowed: ow_mine stays the runner's.
CREATE FUNCTION expert_network.ow_total() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT expert_network.ow_mine() $f$;
