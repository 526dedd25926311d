-- Refuse corpus 61: the expressions stored on a relation run on every write to it, as whoever writes:
-- a column's DEFAULT, a CHECK, a generated column, an index's expressions, a trigger's WHEN, the CHECK
-- of a column's domain. Written by a SECURITY DEFINER body, they run with its owner's rights (the
-- runner's superuser). The function a stored expression calls is bound when it is stored, but an
-- invoker's string body still resolves its own names when it runs, on its own path. The fence
-- followed a definer's writes to their triggers only. Here the functions' paths search expert_network
-- first, and the application's role (sql/003_grants.sql grants it ALL ON SCHEMA expert_network) adds
-- `expert_network.lower(text)`, which their `lower(...)` then finds before pg_catalog's. Each refused
-- statement is followed by a `-- proof:` query; run on PG 15 as the runner's superuser with
-- `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied, placeholders
-- raguser and expert_network_readonly), each proof printed what the comment above it says (raguser's
-- attribute false, then true). Found by a hunt: before, `up` applied the DEFAULT and CHECK cases
-- (exit 0; the migration changes nothing outside expert_network, so the guard sees nothing), and as
-- raguser, after creating expert_network.lower(text), a call of each definer gave raguser CREATEROLE
-- and CREATEDB.

CREATE FUNCTION expert_network.df_code() RETURNS text LANGUAGE sql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT lower('CODE') $f$;

CREATE TABLE expert_network.df_items (id int, code text DEFAULT expert_network.df_code());

-- Reaches: raguser gets CREATEROLE through the DEFAULT the definer's INSERT fills.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.df_add(i int) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ INSERT INTO expert_network.df_items (id) VALUES (i) $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.df_add(1); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.ck_ok(t text) RETURNS boolean LANGUAGE sql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT lower(t) = t $f$;

CREATE DOMAIN expert_network.ck_code AS text CHECK (expert_network.ck_ok(VALUE));

CREATE TABLE expert_network.ck_items (id int, code expert_network.ck_code);

-- Reaches: raguser gets CREATEDB through the CHECK of the domain of the column the definer writes.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.ck_add(c text) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ INSERT INTO expert_network.ck_items (id, code) VALUES (1, c) $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEDB; SELECT $1'; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ck_add('abc'); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'
