-- Refuse corpus 65: what a SECURITY DEFINER body runs through a view, or without a string body of
-- its own calling it. A view's query runs on every read of it, and the functions it calls run with
-- the reader's rights (only its relations are checked as the view's owner): read in a definer, its
-- owner's (the runner's superuser). A write through a view lands in its base table and fires that
-- table's triggers, which the fence followed only on the name written. And a BEGIN ATOMIC definer
-- binds its calls when it is made, but the string body of an invoker it calls still looks its
-- names up when it runs. The fence followed a definer's writes (corpus 60, 61) and the calls of
-- string-bodied definers (corpus 58), not these. Here the invokers' paths search expert_network
-- first, and the application's role (sql/003_grants.sql grants it ALL ON SCHEMA expert_network)
-- adds `expert_network.lower(text)`, which their `lower(t)` then finds before pg_catalog's. Each
-- refused statement is followed by a `-- proof:` query; run on PG 15 as the runner's superuser
-- with `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied, placeholders
-- raguser and expert_network_readonly), each proof printed what the comment above it says
-- (raguser's attribute false, then true). Found by a hunt: before, every refused statement passed
-- `check` (the write through the view where no TRIGGER grant covers the view) and `up` applied
-- the first two (exit 0; nothing outside expert_network changed, so the guard sees nothing); then
-- as raguser, after creating expert_network.lower(text), a call of each definer gave raguser
-- CREATEROLE.

CREATE TABLE expert_network.vr_items (v varchar(40));

INSERT INTO expert_network.vr_items VALUES ('A');

CREATE FUNCTION expert_network.vr_norm(t text) RETURNS text LANGUAGE sql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT lower(t) $f$;

CREATE VIEW expert_network.vr_view AS SELECT expert_network.vr_norm(i.v) AS n FROM expert_network.vr_items AS i;

CREATE VIEW expert_network.vr_outer AS SELECT w.n FROM expert_network.vr_view AS w;

-- Reaches: raguser gets CREATEROLE: the definer reads a view over the view that calls vr_norm.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.vr_first() RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT o.n FROM expert_network.vr_outer AS o LIMIT 1 $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.vr_first(); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEROLE: the BEGIN ATOMIC definer's call of vr_norm is bound, its body
-- is not.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.vr_atomic() RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT expert_network.vr_norm('B');
END;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.vr_atomic(); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE TABLE expert_network.vr_base (v text);

CREATE FUNCTION expert_network.vr_fn() RETURNS trigger LANGUAGE plpgsql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$
BEGIN
    IF NEW.v IS NOT NULL THEN
        NEW.v := lower(NEW.v);
    END IF;
    RETURN NEW;
END
$f$;

CREATE TRIGGER vr_t BEFORE INSERT ON expert_network.vr_base FOR EACH ROW EXECUTE FUNCTION expert_network.vr_fn();

CREATE VIEW expert_network.vr_base_view AS SELECT b.v FROM expert_network.vr_base AS b;

-- Reaches: raguser gets CREATEROLE: the INSERT through the view fires vr_base's trigger.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.vr_add(x text) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ INSERT INTO expert_network.vr_base_view VALUES (x) $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.vr_add('x'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.vr_safe(t text) RETURNS text LANGUAGE sql
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.lower(t) $f$;

CREATE VIEW expert_network.vr_safe_view AS SELECT expert_network.vr_safe(i.v) AS n FROM expert_network.vr_items AS i;

-- Allowed: the view's and the BEGIN ATOMIC body's invoker finds its functions in pg_catalog alone.
CREATE FUNCTION expert_network.vr_safe_first() RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT expert_network.vr_safe('C');
    SELECT s.n FROM expert_network.vr_safe_view AS s LIMIT 1;
END;
