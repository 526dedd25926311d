-- Refuse corpus 48: a SECURITY DEFINER function runs with its owner's rights (the runner's superuser),
-- and the server looks up the functions, operators, types and relations its string body leaves
-- unqualified when it runs, on the function's own path (the caller's, when it has none). Corpus 47
-- closed the caller's temporary schema; but expert_network is on such a path too, and the application's
-- role may create there (sql/003_grants.sql grants it ALL ON SCHEMA expert_network). Searched before
-- pg_catalog, expert_network shadows every built-in of the same name; searched after it, it still wins
-- for functions and operators whenever its candidate matches the argument types exactly and
-- pg_catalog's needs a cast (the server gathers the candidates of every schema on the path). pg_temp is
-- never searched for functions and operators, so only a path that searches pg_catalog alone for them
-- (`''`, `pg_catalog, pg_temp`) is safe, or names qualified (`pg_catalog.lower`,
-- `OPERATOR(pg_catalog.<>)`). Each refused statement is followed by a `-- proof:` query in which
-- raguser, the application's role, creates its objects in expert_network and calls the function; run
-- on PG 15 as the runner's superuser with `tests/fence/prove.py` (database: demo/public_apps.sql and
-- sql/001-003 applied, placeholders raguser and expert_network_readonly), each proof printed what the
-- comment above it says (raguser's attribute false, then true).
-- Found by a hunt: before, every statement below passed `check` and applied through `up` (the
-- migration itself changes nothing outside expert_network, so the guard sees nothing); the last
-- unannotated definer of corpus 47 was one of them.

CREATE TABLE expert_network.sp_items (id int, name varchar(40));

INSERT INTO expert_network.sp_items VALUES (1, 'First');

-- Reaches: raguser gets CREATEROLE: the definer's path searches expert_network before pg_catalog, and
-- raguser's expert_network.lower(text) is found first.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.sp_lower(x text) RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT lower(x) $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.sp_lower('X'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEDB with pg_catalog first on the path: name is varchar, and raguser's
-- expert_network.lower(varchar) matches exactly where pg_catalog.lower(text) needs a cast.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.sp_names() RETURNS SETOF text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, expert_network, pg_temp AS $f$ SELECT lower(i.name) FROM expert_network.sp_items AS i $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(character varying) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEDB; SELECT $1::text'; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.sp_names(); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets BYPASSRLS: without a path of its own the function searches the caller's, and
-- raguser names expert_network before pg_catalog.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.sp_upper(x text) RETURNS text LANGUAGE sql SECURITY DEFINER
    AS $f$ SELECT upper(x) $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.upper(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser BYPASSRLS; SELECT $1'; SET LOCAL search_path = expert_network, pg_catalog; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.sp_upper('x'); RESET ROLE; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser made SUPERUSER through an operator (corpus 47's former safe example): raguser's
-- expert_network.<>(text, text) is found before pg_catalog's.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.sp_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT pg_catalog.count(*) FROM sp_items WHERE 'x'::pg_catalog.text <> '' $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.sp_evil(text, text) RETURNS boolean LANGUAGE sql AS 'ALTER ROLE raguser SUPERUSER; SELECT true'; CREATE OPERATOR expert_network.<> (leftarg = text, rightarg = text, function = expert_network.sp_evil); SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.sp_count(); RESET ROLE; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets REPLICATION through the `=` a CASE implies, written nowhere in the body.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.sp_label(n int) RETURNS pg_catalog.text LANGUAGE sql SECURITY DEFINER
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT CASE n WHEN 1 THEN 'one' ELSE 'other' END $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.sp_evil(int, int) RETURNS boolean LANGUAGE sql AS 'ALTER ROLE raguser REPLICATION; SELECT true'; CREATE OPERATOR expert_network.= (leftarg = int, rightarg = int, function = expert_network.sp_evil); SELECT rolreplication FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.sp_label(1); RESET ROLE; SELECT rolreplication FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser made SUPERUSER through a catalog's name: raguser's view expert_network.pg_class is
-- found before pg_catalog.pg_class.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.sp_relations() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT pg_catalog.count(*) FROM pg_class $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.sp_evil() RETURNS int LANGUAGE sql AS 'ALTER ROLE raguser SUPERUSER; SELECT 1'; CREATE VIEW expert_network.pg_class AS SELECT expert_network.sp_evil() AS oid; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.sp_relations(); RESET ROLE; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEROLE through a built-in type's name: raguser's domain expert_network.text
-- checks with raguser's function.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.sp_tag(n int) RETURNS pg_catalog.text LANGUAGE sql SECURITY DEFINER
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT 'item'::text $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.sp_evil() RETURNS boolean LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT true'; CREATE DOMAIN expert_network.text AS pg_catalog.text CHECK (expert_network.sp_evil()); SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.sp_tag(1); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- With only pg_catalog searched for them (Supabase's `set search_path = ''`, or pg_catalog, pg_temp)
-- and expert_network's names qualified, or the functions and operators qualified, a definer's body
-- finds only the owner's objects.
CREATE FUNCTION expert_network.sp_lower_safe(x text) RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $f$ SELECT lower(x) || '!' $f$;

CREATE FUNCTION expert_network.sp_names_safe() RETURNS SETOF text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, expert_network, pg_temp AS $f$ SELECT pg_catalog.lower(i.name) FROM expert_network.sp_items AS i WHERE i.id OPERATOR(pg_catalog.>) 0 $f$;

-- Reaches: raguser gets CREATEDB, the definer's path changed after its body was checked with
-- functions found in pg_catalog alone: raguser's expert_network.lower(text) is now found first.
-- refuse: unqualified-name
ALTER FUNCTION expert_network.sp_lower_safe(text) SET search_path = expert_network, pg_catalog, pg_temp;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEDB; SELECT $1'; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.sp_lower_safe('X'); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'
