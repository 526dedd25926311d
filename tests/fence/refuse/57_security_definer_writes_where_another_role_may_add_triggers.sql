-- Refuse corpus 57: a SECURITY DEFINER body's write to a table on which another role holds the
-- TRIGGER privilege, or which another role owns. Whoever holds TRIGGER on a table may create
-- triggers on it with a function of their own; a trigger function runs with the rights of the
-- writer, and a definer's write is its owner's (the runner's superuser). `sql/003_grants.sql`
-- grants the application's role ALL on every table of expert_network, TRIGGER included, and
-- `ALTER DEFAULT PRIVILEGES ... GRANT ALL ON TABLES` does so for every table made later, so every
-- definer that writes a table was a way in: the fence judged only the triggers the migrations make.
-- So is the write of an invoker the definer calls, and one in a BEGIN ATOMIC body (its names are
-- bound when it is made, but the triggers a write fires are the table's when it runs).
-- Each refused statement is followed by a `-- proof:` query; run on PG 15 as the runner's superuser
-- with `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied, placeholders
-- raguser and expert_network_readonly), each proof printed what the comment above it says
-- (raguser's attribute false, then true). Found by a hunt: before, every refused statement below
-- passed `check` and `up` applied it (exit 0; the migration changes nothing outside
-- expert_network, so the guard sees nothing); then as raguser `CREATE FUNCTION expert_network.ev()
-- RETURNS trigger ... 'ALTER ROLE raguser SUPERUSER'`, `CREATE TRIGGER ... ON expert_network.tp_items
-- ... EXECUTE FUNCTION expert_network.ev()` and `SELECT expert_network.tp_add('x')` made raguser a
-- superuser.

ALTER DEFAULT PRIVILEGES IN SCHEMA expert_network GRANT ALL ON TABLES TO raguser;

CREATE TABLE expert_network.tp_items (v text);

-- Reaches: raguser gets CREATEROLE: its trigger on tp_items (the default privileges above gave it
-- TRIGGER) runs with the definer's owner's rights.
-- refuse: ownership
CREATE FUNCTION expert_network.tp_add(x text) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ INSERT INTO expert_network.tp_items VALUES (x) $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.tp_ev() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN ALTER ROLE raguser CREATEROLE; RETURN NEW; END'; CREATE TRIGGER tp_ev BEFORE INSERT ON expert_network.tp_items FOR EACH ROW EXECUTE FUNCTION expert_network.tp_ev(); SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.tp_add('x'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEROLE: a BEGIN ATOMIC body bound its names when it was made, but
-- its INSERT still fires whatever triggers the table has when it runs.
-- refuse: ownership
CREATE FUNCTION expert_network.tp_add_atomic(x text) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    INSERT INTO expert_network.tp_items VALUES (x);
END;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.tp_ev() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN ALTER ROLE raguser CREATEROLE; RETURN NEW; END'; CREATE TRIGGER tp_ev BEFORE INSERT ON expert_network.tp_items FOR EACH ROW EXECUTE FUNCTION expert_network.tp_ev(); SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.tp_add_atomic('x'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.tp_add_inner(x text) RETURNS void LANGUAGE sql
    SET search_path = pg_catalog, pg_temp AS $f$ INSERT INTO expert_network.tp_items VALUES (x) $f$;

-- Reaches: raguser gets CREATEROLE: the write is an invoker's that the definer calls, and runs
-- with the definer's owner's rights all the same.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.tp_add_outer(x text) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT expert_network.tp_add_inner(x) $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.tp_ev() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN ALTER ROLE raguser CREATEROLE; RETURN NEW; END'; CREATE TRIGGER tp_ev BEFORE INSERT ON expert_network.tp_items FOR EACH ROW EXECUTE FUNCTION expert_network.tp_ev(); SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.tp_add_outer('x'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE TABLE expert_network.tp_log (v text);

REVOKE TRIGGER ON expert_network.tp_log FROM raguser;

GRANT TRIGGER ON TABLE expert_network.tp_log TO raguser;

-- Reaches: raguser gets CREATEDB: a statement-level TRUNCATE trigger, TRIGGER granted by name
-- after it was revoked.
-- refuse: ownership
CREATE FUNCTION expert_network.tp_clear() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    TRUNCATE expert_network.tp_log;
END
$f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.tp_ev() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN ALTER ROLE raguser CREATEDB; RETURN NULL; END'; CREATE TRIGGER tp_ev BEFORE TRUNCATE ON expert_network.tp_log FOR EACH STATEMENT EXECUTE FUNCTION expert_network.tp_ev(); SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.tp_clear(); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE TABLE expert_network.tp_owned (v text);

REVOKE ALL ON expert_network.tp_owned FROM raguser;

ALTER TABLE expert_network.tp_owned OWNER TO raguser;

-- Reaches: raguser gets BYPASSRLS: it owns tp_owned, so it may add a trigger whatever was revoked.
-- refuse: ownership
CREATE FUNCTION expert_network.tp_upd() RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ UPDATE expert_network.tp_owned SET v = 'y' $f$;
-- proof: INSERT INTO expert_network.tp_owned VALUES ('x'); SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.tp_ev() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN ALTER ROLE raguser BYPASSRLS; RETURN NEW; END'; CREATE TRIGGER tp_ev BEFORE UPDATE ON expert_network.tp_owned FOR EACH ROW EXECUTE FUNCTION expert_network.tp_ev(); SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.tp_upd(); RESET ROLE; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE TABLE expert_network.tp_safe (v text);

REVOKE TRIGGER ON expert_network.tp_safe FROM raguser;

-- Allowed: no role but the owner may add a trigger to tp_safe (raguser's TRIGGER revoked).
CREATE FUNCTION expert_network.tp_keep(x text) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ INSERT INTO expert_network.tp_safe VALUES (x) $f$;
