-- Refuse corpus 66: an aggregate of expert_network called from a SECURITY DEFINER body runs its
-- support functions (SFUNC, FINALFUNC, ...) with the definer's owner's rights (the runner's
-- superuser), and their string bodies look their names up when they run. The fence followed an
-- invoker's body to the functions it calls (corpus 58), but an aggregate has no body: what it
-- calls is in its definition. Here the state function's path searches expert_network first, and
-- the application's role (sql/003_grants.sql grants it ALL ON SCHEMA expert_network) adds
-- `expert_network.lower(text)`, which its `lower(x)` then finds before pg_catalog's. The refused
-- statements are followed by a `-- proof:` query; run on PG 15 as the runner's superuser with
-- `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied, placeholders
-- raguser and expert_network_readonly), each proof printed what the comment above it says
-- (raguser's attribute false, then true). Found by a hunt: before, the BEGIN ATOMIC definer passed
-- `check` and `up` applied it (exit 0; nothing outside expert_network changed, so the guard sees
-- nothing); then as raguser, after creating expert_network.lower(text), `SELECT
-- expert_network.ag_all()` gave raguser CREATEROLE.

CREATE TABLE expert_network.ag_items (v text);

INSERT INTO expert_network.ag_items VALUES ('A');

CREATE FUNCTION expert_network.ag_step(acc text, x text) RETURNS text LANGUAGE sql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT acc || lower(x) $f$;

CREATE FUNCTION expert_network.ag_done(acc text) RETURNS text LANGUAGE sql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT upper(acc) $f$;

CREATE AGGREGATE expert_network.ag_join(text) (SFUNC = expert_network.ag_step, STYPE = text, INITCOND = '');

CREATE AGGREGATE expert_network.ag_shout(text) (SFUNC = pg_catalog.textcat, STYPE = text, FINALFUNC = expert_network.ag_done);

-- Reaches: raguser gets CREATEROLE: the aggregate's SFUNC runs with the definer's owner's rights.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.ag_all() RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT expert_network.ag_join(i.v) FROM expert_network.ag_items AS i;
END;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ag_all(); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEDB: the FINALFUNC, the same way.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.ag_loud() RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT expert_network.ag_shout(i.v) FROM expert_network.ag_items AS i;
END;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.upper(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEDB; SELECT $1'; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ag_loud(); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.ag_safe_step(acc text, x text) RETURNS text LANGUAGE sql
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT acc OPERATOR(pg_catalog.||) pg_catalog.lower(x) $f$;

CREATE AGGREGATE expert_network.ag_safe(text) (SFUNC = expert_network.ag_safe_step, STYPE = text, INITCOND = '');

-- Allowed: the SFUNC finds its functions in pg_catalog alone.
CREATE FUNCTION expert_network.ag_safe_all() RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT expert_network.ag_safe(i.v) FROM expert_network.ag_items AS i;
END;
