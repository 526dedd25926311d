-- Refuse corpus 67: a value cast, assigned or returned as a domain of expert_network in a SECURITY
-- DEFINER body runs the domain's CHECKs, and the functions they call, with the definer's owner's
-- rights (the runner's superuser). The fence followed a domain's CHECK only into writes of a column
-- of that domain (corpus 61); a cast (`x::d`, `CAST(x AS d)`), a PL/pgSQL variable of the domain
-- and a function's declared result of it run it too, in a string body and a BEGIN ATOMIC one alike.
-- Here the CHECK's function searches expert_network first, and the application's role
-- (sql/003_grants.sql grants it ALL ON SCHEMA expert_network) adds `expert_network.lower(text)`,
-- which its `lower(t)` then finds before pg_catalog's. Each refused statement is followed by a
-- `-- proof:` query; run on PG 15 as the runner's superuser with `tests/fence/prove.py` (database:
-- demo/public_apps.sql and sql/001-003 applied, placeholders raguser and expert_network_readonly),
-- each proof printed what the comment above it says (raguser's attribute false, then true). Found
-- by a hunt: before, every refused statement below passed `check` and `up` applied it (exit 0;
-- nothing outside expert_network changed, so the guard sees nothing); then as raguser, after
-- creating expert_network.lower(text), a call of each definer gave raguser CREATEROLE.

CREATE FUNCTION expert_network.dm_chk(t text) RETURNS boolean LANGUAGE sql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT lower(t) = t $f$;

CREATE DOMAIN expert_network.dm_lc AS text CHECK (expert_network.dm_chk(VALUE));

-- Reaches: raguser gets CREATEROLE: the cast runs dm_chk with the definer's owner's rights.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.dm_cast(x text) RETURNS boolean LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT x::expert_network.dm_lc IS NOT NULL $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT pg_catalog.lower($1)'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.dm_cast('a'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEROLE: the assignment to a variable of the domain runs it.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.dm_var(x text) RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
    v expert_network.dm_lc;
BEGIN
    v := x;
    RETURN v IS NOT NULL;
END
$f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT pg_catalog.lower($1)'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.dm_var('a'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEROLE: the result is cast to the declared domain inside the call.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.dm_ret(x text) RETURNS expert_network.dm_lc LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT x $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT pg_catalog.lower($1)'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.dm_ret('a'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEROLE: a BEGIN ATOMIC body's cast, the same way.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.dm_atomic(x text) RETURNS boolean LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT CAST(x AS expert_network.dm_lc) IS NOT NULL;
END;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT pg_catalog.lower($1)'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.dm_atomic('a'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.dm_safe_chk(t text) RETURNS boolean LANGUAGE sql
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.lower(t) OPERATOR(pg_catalog.=) t $f$;

CREATE DOMAIN expert_network.dm_safe AS text CHECK (expert_network.dm_safe_chk(VALUE));

-- Allowed: the safe domain's CHECK finds its functions in pg_catalog alone.
CREATE FUNCTION expert_network.dm_safe_cast(x text) RETURNS expert_network.dm_safe LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT x::expert_network.dm_safe $f$;
