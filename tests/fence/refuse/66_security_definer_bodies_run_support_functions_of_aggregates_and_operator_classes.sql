-- Refuse corpus 66: support functions a SECURITY DEFINER body runs without a call naming them,
-- with the definer's owner's rights (the runner's superuser): an aggregate's (SFUNC, FINALFUNC, ...)
-- where the body calls the aggregate, and an operator class's and its operators' functions, which
-- the server calls for the type's ORDER BY, DISTINCT, joins and index upkeep wherever a body uses
-- a value of the type. Their string bodies look their names up when they run. The fence followed
-- an invoker's body to the functions it calls (corpus 58), but an aggregate and an operator class
-- have no body: what they call is in their definition. Here the support functions' paths search
-- expert_network first, and the application's role (sql/003_grants.sql grants it ALL ON SCHEMA
-- expert_network) adds `expert_network.lower(text)` (`upper`, `length`), which they then find
-- before pg_catalog's. The refused statements are followed by a `-- proof:` query; run on PG 15 as
-- the runner's superuser with `tests/fence/prove.py` (database: demo/public_apps.sql and
-- sql/001-003 applied, placeholders raguser and expert_network_readonly), each proof printed what
-- the comment above it says (raguser's attribute false, then true). Found by a hunt: before, each
-- refused definer passed `check` and `up` applied it (exit 0; nothing outside expert_network
-- changed, so the guard sees nothing); then as raguser, after creating the function its support
-- function finds, a call of the definer gave raguser CREATEROLE or CREATEDB. (An operator class
-- makes every definer of the migrations a caller of its functions: which bodies use the type is
-- not followed, so any definer is refused while one of them is unsafe.)

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

CREATE TYPE expert_network.oc_pt AS (a text);

CREATE TABLE expert_network.oc_items (p expert_network.oc_pt);

INSERT INTO expert_network.oc_items VALUES (ROW('A')), (ROW('BB'));

CREATE FUNCTION expert_network.oc_cmp(x expert_network.oc_pt, y expert_network.oc_pt) RETURNS int LANGUAGE sql IMMUTABLE
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT pg_catalog.btint4cmp(length(x.a), length(y.a)) $f$;

CREATE FUNCTION expert_network.oc_lt(x expert_network.oc_pt, y expert_network.oc_pt) RETURNS boolean LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.btint4cmp(pg_catalog.length(x.a), pg_catalog.length(y.a)) OPERATOR(pg_catalog.<) 0 $f$;

CREATE OPERATOR expert_network.<<< (LEFTARG = expert_network.oc_pt, RIGHTARG = expert_network.oc_pt, FUNCTION = expert_network.oc_lt);

CREATE FUNCTION expert_network.oc_le(x expert_network.oc_pt, y expert_network.oc_pt) RETURNS boolean LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.btint4cmp(pg_catalog.length(x.a), pg_catalog.length(y.a)) OPERATOR(pg_catalog.<=) 0 $f$;

CREATE OPERATOR expert_network.<<= (LEFTARG = expert_network.oc_pt, RIGHTARG = expert_network.oc_pt, FUNCTION = expert_network.oc_le);

CREATE FUNCTION expert_network.oc_eq(x expert_network.oc_pt, y expert_network.oc_pt) RETURNS boolean LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.btint4cmp(pg_catalog.length(x.a), pg_catalog.length(y.a)) OPERATOR(pg_catalog.=) 0 $f$;

CREATE OPERATOR expert_network.=== (LEFTARG = expert_network.oc_pt, RIGHTARG = expert_network.oc_pt, FUNCTION = expert_network.oc_eq);

CREATE FUNCTION expert_network.oc_ge(x expert_network.oc_pt, y expert_network.oc_pt) RETURNS boolean LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.btint4cmp(pg_catalog.length(x.a), pg_catalog.length(y.a)) OPERATOR(pg_catalog.>=) 0 $f$;

CREATE OPERATOR expert_network.>>= (LEFTARG = expert_network.oc_pt, RIGHTARG = expert_network.oc_pt, FUNCTION = expert_network.oc_ge);

CREATE FUNCTION expert_network.oc_gt(x expert_network.oc_pt, y expert_network.oc_pt) RETURNS boolean LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.btint4cmp(pg_catalog.length(x.a), pg_catalog.length(y.a)) OPERATOR(pg_catalog.>) 0 $f$;

CREATE OPERATOR expert_network.>>> (LEFTARG = expert_network.oc_pt, RIGHTARG = expert_network.oc_pt, FUNCTION = expert_network.oc_gt);

-- Reaches: raguser gets BYPASSRLS: the ORDER BY runs the class's support function oc_cmp. (Since
-- corpus 76 the class itself is refused too: ANALYZE, autovacuum's included, runs oc_cmp as the
-- table's owner without any definer; one paragraph, so the proof has the class.)
-- refuse: unqualified-name
CREATE OPERATOR CLASS expert_network.oc_ops DEFAULT FOR TYPE expert_network.oc_pt USING btree AS
    OPERATOR 1 expert_network.<<<, OPERATOR 2 expert_network.<<=, OPERATOR 3 expert_network.===, OPERATOR 4 expert_network.>>=, OPERATOR 5 expert_network.>>>,
    FUNCTION 1 expert_network.oc_cmp(expert_network.oc_pt, expert_network.oc_pt);
-- refuse: unqualified-name
CREATE FUNCTION expert_network.oc_sorted() RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT (i.p).a FROM expert_network.oc_items AS i ORDER BY i.p LIMIT 1 $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.length(text) RETURNS int LANGUAGE sql AS 'ALTER ROLE raguser BYPASSRLS; SELECT pg_catalog.length($1)'; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.oc_sorted(); RESET ROLE; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'
