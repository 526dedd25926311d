-- Refuse corpus 131: a SECURITY DEFINER function a body creates is judged as a definer where it is
-- created, but the model kept only top-level definers for what a later ALTER FUNCTION may change:
-- a path put before the body's own, searching the caller's pg_temp first, was accepted for the
-- body-made one. Its body, judged under `pg_catalog, pg_temp`, casts to `text` unqualified; with
-- pg_temp first the server finds the caller's temporary domain `text`, whose CHECK runs with the
-- definer's owner's rights (corpus 47). The refused statement is followed by a `-- proof:` query;
-- run on PG 15 as the runner's superuser with `tests/fence/prove.py` (database: demo/public_apps.sql
-- and sql/001-003 applied, placeholders raguser and expert_network_readonly), it printed raguser's
-- rolcreaterole f, then t. Found by a hunt: before, the refused statement below passed `check`.

CREATE FUNCTION expert_network.bd_setup() RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    CREATE FUNCTION expert_network.bd_label(n int) RETURNS pg_catalog.text LANGUAGE sql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp AS $i$ SELECT 'item ' || n::text $i$;
END
$f$;

SELECT expert_network.bd_setup();

-- Reaches: raguser gets CREATEROLE: the definer bd_setup() made searches raguser's pg_temp first.
-- refuse: unqualified-name
ALTER FUNCTION expert_network.bd_label(int) SET search_path = pg_temp, pg_catalog;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION pg_temp.bd_evil() RETURNS boolean LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT true'; CREATE DOMAIN pg_temp.text AS pg_catalog.text CHECK (pg_temp.bd_evil()); SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.bd_label(1); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'
