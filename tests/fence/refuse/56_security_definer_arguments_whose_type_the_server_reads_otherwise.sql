-- Refuse corpus 56: a SECURITY DEFINER body's call of expert_network's own function is accepted when
-- every argument's type is known and equals the callee's parameter types (corpus pass 47): the
-- definer's own parameters and DECLAREd variables. These look the same but are not: the server
-- reads the argument as another type, or the callee's signature is no longer the migrations', and
-- an overload the application's role adds (sql/003_grants.sql grants it ALL ON SCHEMA
-- expert_network) matches exactly and runs with the definer's owner's rights (the runner's
-- superuser). Each refused statement is followed by a `-- proof:` query; run on PG 15 as the
-- runner's superuser with `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003
-- applied, placeholders raguser and expert_network_readonly), each proof printed what the comment
-- above it says (raguser's attribute false, then true).
-- Found while relaxing the rule for parameters and variables (Cap-go, basejump, graphile starter):
-- each shape is one the relaxed rule must keep refused; the last two passed `check` before (a
-- signature dropped while its name was made again, and a function's SET plpgsql.variable_conflict).

CREATE TABLE expert_network.ka_items (p varchar(40));

INSERT INTO expert_network.ka_items VALUES ('First');

CREATE DOMAIN expert_network.ka_label AS text;

CREATE FUNCTION expert_network.ka_norm(x text) RETURNS text LANGUAGE sql
    SET search_path = '' AS $f$ SELECT pg_catalog.lower(x) $f$;

CREATE FUNCTION expert_network.ka_all(VARIADIC x text[]) RETURNS text LANGUAGE sql
    SET search_path = '' AS $f$ SELECT pg_catalog.array_to_string(x, ',') $f$;

-- Reaches: raguser gets CREATEROLE: in an SQL body the column p of ka_items wins over the
-- parameter p, and is varchar, which raguser's ka_norm(varchar) matches exactly.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.ka_sql_column(p text) RETURNS SETOF text LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $f$ SELECT expert_network.ka_norm(p) FROM expert_network.ka_items $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.ka_norm(character varying) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1::text'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ka_sql_column('x'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEDB: `#variable_conflict use_column` makes the column win in PL/pgSQL
-- too (without it the clash is an error).
-- refuse: unqualified-name
CREATE FUNCTION expert_network.ka_pl_column(p text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = '' AS $f$
#variable_conflict use_column
BEGIN
    RETURN (SELECT expert_network.ka_norm(p) FROM expert_network.ka_items LIMIT 1);
END
$f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.ka_norm(character varying) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEDB; SELECT $1::text'; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ka_pl_column('x'); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEROLE: a domain over text is its own type, which raguser's
-- ka_norm(ka_label) matches exactly.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.ka_domain(p expert_network.ka_label) RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $f$ SELECT expert_network.ka_norm(p) $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.ka_norm(expert_network.ka_label) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1::text'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ka_domain('x'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEDB: the nested block's x is varchar, whatever the outer x is.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.ka_nested() RETURNS text LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = '' AS $f$
DECLARE
    x pg_catalog.text := 'outer';
BEGIN
    DECLARE
        x pg_catalog.varchar := 'inner';
    BEGIN
        RETURN expert_network.ka_norm(x);
    END;
END
$f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.ka_norm(character varying) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEDB; SELECT $1::text'; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ka_nested(); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEROLE: a VARIADIC function given its elements matches in its
-- expanded form, which raguser's plain ka_all(text) beats.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.ka_variadic(p text) RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $f$ SELECT expert_network.ka_all(p) $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.ka_all(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ka_variadic('x'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.ka_trim(x text) RETURNS text LANGUAGE sql
    SET search_path = '' AS $f$ SELECT pg_catalog.btrim(x) $f$;

-- Reaches: raguser gets CREATEDB: ka_trim(text) is dropped and the name made again for integer, so
-- the name is the migrations' but the list ka_cast casts to is free, and raguser's new
-- ka_trim(text) is what ka_cast's exact cast then finds.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.ka_cast(p text) RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $f$ SELECT expert_network.ka_trim(p::pg_catalog.text) $f$;
DROP FUNCTION expert_network.ka_trim(text);
CREATE FUNCTION expert_network.ka_trim(x integer) RETURNS text LANGUAGE sql
    SET search_path = '' AS $f$ SELECT x::pg_catalog.text $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.ka_trim(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEDB; SELECT $1'; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ka_cast('x'); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.ka_first(p text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = '' AS $f$
BEGIN
    RETURN (SELECT expert_network.ka_norm(p) FROM expert_network.ka_items LIMIT 1);
END
$f$;

-- Reaches: raguser gets CREATEROLE: the setting, applied before the body is compiled, makes the
-- column p win in ka_first, which was read with the default (a clash is an error).
-- refuse: session-state
ALTER FUNCTION expert_network.ka_first(text) SET plpgsql.variable_conflict = use_column;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.ka_norm(character varying) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1::text'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ka_first('x'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'
