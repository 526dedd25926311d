-- Refuse corpus 47: a SECURITY DEFINER function runs with its owner's rights (the runner's superuser)
-- in the caller's session, and its string body is parsed there. The caller's temporary schema, which
-- every role may fill (PUBLIC has TEMP on the database), is searched for relations and types wherever
-- the path names pg_temp, and first of all when it does not (`SET search_path = ''` included); a
-- function without its own path leaves the order to the caller. A temporary view, or a domain whose
-- CHECK calls a function in pg_temp, then runs the caller's code as the owner. Each refused statement
-- is followed by a `-- proof:` query in which raguser, the application's role, makes the temporary
-- objects and calls the function; run on PG 15 as the runner's superuser with `tests/fence/prove.py`,
-- each proof printed what the comment above it says (raguser's attribute false, then true).
-- Found by a hunt: before, every statement below passed `check` and applied through `up` (the
-- migration itself changes nothing outside expert_network, so the guard sees nothing).

CREATE TABLE expert_network.sd_items (id int);

-- Reaches: raguser made SUPERUSER: pg_temp, first on the function's path, has raguser's view sd_items.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.sd_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_temp, expert_network, pg_catalog AS 'SELECT count(*) FROM sd_items';
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION pg_temp.sd_evil() RETURNS int LANGUAGE sql AS 'ALTER ROLE raguser SUPERUSER; SELECT 1'; CREATE TEMPORARY VIEW sd_items AS SELECT pg_temp.sd_evil() AS id; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.sd_count(); RESET ROLE; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEROLE through a type: Supabase's `set search_path = ''` searches pg_temp
-- first, where raguser's domain text checks with raguser's function.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.sd_label(n int) RETURNS pg_catalog.text LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $f$ SELECT 'item ' || n::text $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION pg_temp.sd_evil() RETURNS boolean LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT true'; CREATE DOMAIN pg_temp.text AS pg_catalog.text CHECK (pg_temp.sd_evil()); SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.sd_label(1); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: the same through a cast in a PL/pgSQL expression, parsed at the first call.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.sd_first(n int) RETURNS pg_catalog.text LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = '' AS $f$
BEGIN
    RETURN 'first ' || n::text;
END
$f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION pg_temp.sd_evil() RETURNS boolean LANGUAGE sql AS 'ALTER ROLE raguser CREATEDB; SELECT true'; CREATE DOMAIN pg_temp.text AS pg_catalog.text CHECK (pg_temp.sd_evil()); SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.sd_first(1); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets BYPASSRLS through a catalog's name: without a path of its own the function
-- searches the caller's, and raguser puts pg_temp first.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.sd_relations() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    AS 'SELECT count(*) FROM pg_class';
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION pg_temp.sd_evil() RETURNS int LANGUAGE sql AS 'ALTER ROLE raguser BYPASSRLS; SELECT 1'; CREATE TEMPORARY VIEW pg_class AS SELECT pg_temp.sd_evil() AS oid; SET LOCAL search_path = pg_temp, pg_catalog; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.sd_relations(); RESET ROLE; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.sd_plain() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM expert_network.sd_items';

-- Reaches: the same, the function made a definer after its body was checked as an invoker's.
-- refuse: unqualified-name
ALTER FUNCTION expert_network.sd_plain() SECURITY DEFINER;
-- proof: SELECT prosecdef FROM pg_catalog.pg_proc WHERE proname = 'sd_plain'

-- With pg_temp last on its own path and the names it finds before it (its functions, operators and
-- built-in types qualified, since the path searches expert_network: see 48), or every name qualified,
-- a definer's body is the owner's whoever calls it; an invoker runs the caller's objects with the
-- caller's rights only.
CREATE FUNCTION expert_network.sd_count_safe() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT pg_catalog.count(*) FROM sd_items WHERE 'x'::pg_catalog.text OPERATOR(pg_catalog.<>) '' $f$;

CREATE FUNCTION expert_network.sd_label_safe(n int) RETURNS pg_catalog.text LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $f$ SELECT 'item ' || n::pg_catalog.text $f$;

CREATE FUNCTION expert_network.sd_label_invoker(n int) RETURNS pg_catalog.text LANGUAGE sql
    SET search_path = '' AS $f$ SELECT 'item ' || n::text $f$;

-- Reaches: raguser made SUPERUSER, the definer's own path changed after its body was checked.
-- refuse: unqualified-name
ALTER FUNCTION expert_network.sd_count_safe() SET search_path = pg_temp, expert_network;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION pg_temp.sd_evil() RETURNS int LANGUAGE sql AS 'ALTER ROLE raguser SUPERUSER; SELECT 1'; CREATE TEMPORARY VIEW sd_items AS SELECT pg_temp.sd_evil() AS id; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.sd_count_safe(); RESET ROLE; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser made SUPERUSER, the definer's path changed to one without expert_network: pg_temp
-- is last, but sd_items, found in expert_network when the body was checked, now falls through
-- pg_catalog to raguser's view (found in review).
-- refuse: unqualified-name
ALTER FUNCTION expert_network.sd_count_safe() SET search_path = pg_catalog, pg_temp;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION pg_temp.sd_evil() RETURNS int LANGUAGE sql AS 'ALTER ROLE raguser SUPERUSER; SELECT 1'; CREATE TEMPORARY VIEW sd_items AS SELECT pg_temp.sd_evil() AS id; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.sd_count_safe(); RESET ROLE; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- An invoker's path may be anything the fence allows (Supabase's linter asks for '').
ALTER FUNCTION expert_network.sd_label_invoker(int) SET search_path = '';
