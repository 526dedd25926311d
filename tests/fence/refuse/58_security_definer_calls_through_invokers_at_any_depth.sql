-- Refuse corpus 58: an invoker that a SECURITY DEFINER body calls runs with the definer's owner's
-- rights (the runner's superuser), and so does every function that invoker calls in turn, at any
-- depth. Corpus 54 judged the invoker the definer calls by its own search_path only; what its body
-- calls was not followed. The invokers below have safe paths of their own, but call expert_network's
-- functions with arguments, where the application's role (sql/003_grants.sql grants it ALL ON SCHEMA
-- expert_network) can add an overload that matches the arguments exactly and wins, or call a further
-- invoker whose path searches expert_network. Each refused statement is followed by a `-- proof:`
-- query; run on PG 15 as the runner's superuser with `tests/fence/prove.py` (database:
-- demo/public_apps.sql and sql/001-003 applied, placeholders raguser and expert_network_readonly),
-- each proof printed what the comment above it says (raguser's attribute false, then true).
-- Found by a hunt: before, every refused statement below passed `check`, and `up` applied the first
-- one (exit 0); then, as raguser, `CREATE FUNCTION expert_network.dd_norm(varchar) ... 'ALTER ROLE
-- raguser SUPERUSER; ...'` and `SELECT expert_network.dd_stats()` made raguser a superuser (the
-- migration itself changes nothing outside expert_network, so the guard sees nothing).

CREATE TABLE expert_network.dd_names (v varchar(40));

INSERT INTO expert_network.dd_names VALUES ('Alice');

CREATE FUNCTION expert_network.dd_norm(t text) RETURNS text LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.lower(t) $f$;

-- Two deep: dd_count's own path is safe, but it calls dd_norm with a varchar where dd_norm takes text.
CREATE FUNCTION expert_network.dd_count() RETURNS bigint LANGUAGE sql
    SET search_path = pg_catalog, pg_temp
    AS $f$ SELECT pg_catalog.count(expert_network.dd_norm(n.v)) FROM expert_network.dd_names AS n $f$;

-- Reaches: raguser gets CREATEROLE: raguser's expert_network.dd_norm(varchar) matches dd_names.v exactly,
-- and runs with the definer's owner's rights two calls down.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.dd_stats() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT expert_network.dd_count() $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.dd_norm(character varying) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1::text'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.dd_stats(); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Three deep, in PL/pgSQL: dd_outer and dd_middle call without arguments, dd_inner's path searches
-- expert_network before pg_catalog.
CREATE FUNCTION expert_network.dd_inner() RETURNS text LANGUAGE sql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT lower('Inner') $f$;

CREATE FUNCTION expert_network.dd_middle() RETURNS text LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    RETURN expert_network.dd_inner();
END
$f$;

CREATE FUNCTION expert_network.dd_outer() RETURNS text LANGUAGE sql
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT expert_network.dd_middle() $f$;

-- Reaches: raguser gets BYPASSRLS: raguser's expert_network.lower(text) is found before pg_catalog's
-- three calls down.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.dd_report() RETURNS text LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    RETURN expert_network.dd_outer();
END
$f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser BYPASSRLS; SELECT $1'; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.dd_report(); RESET ROLE; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'
