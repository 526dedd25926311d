-- Refuse corpus 54: a SECURITY DEFINER body that qualifies expert_network's own function or operator
-- still lets the application's role choose which one runs. The server gathers every function (or
-- operator) of that name in the named schema and prefers one whose parameter types match the
-- arguments exactly; the application's role may create in expert_network (sql/003_grants.sql grants it
-- ALL ON SCHEMA expert_network), so an overload it adds later, for the argument's own type, wins over
-- the migration's function that needs a cast, and runs with the definer's owner's rights (the
-- runner's superuser). Corpus 48 closed the unqualified names; these pass its rules (search_path ''). So
-- does an invoker the definer calls: it runs with the owner's rights too.
-- Each refused statement is followed by a `-- proof:` query; run on PG 15 as the runner's superuser
-- with `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied, placeholders
-- raguser and expert_network_readonly), each proof printed what the comment above it says (raguser's
-- attribute false, then true).
-- Found in review: before, every refused statement below passed `check`.

CREATE TABLE expert_network.ov_items (id int, name varchar(40));

INSERT INTO expert_network.ov_items VALUES (1, 'First');

CREATE FUNCTION expert_network.ov_norm(x text) RETURNS text LANGUAGE sql
    SET search_path = '' AS $f$ SELECT pg_catalog.lower(x) $f$;

CREATE FUNCTION expert_network.ov_same(a text, b text) RETURNS boolean LANGUAGE sql
    SET search_path = '' AS $f$ SELECT a OPERATOR(pg_catalog.=) b $f$;

CREATE OPERATOR expert_network.=== (leftarg = text, rightarg = text, function = expert_network.ov_same);

-- Reaches: raguser gets CREATEROLE: name is varchar, and raguser's expert_network.ov_norm(varchar)
-- matches it exactly where the migration's ov_norm(text) needs a cast.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.ov_names() RETURNS SETOF text LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $f$ SELECT expert_network.ov_norm(i.name) FROM expert_network.ov_items AS i $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.ov_norm(character varying) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1::text'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ov_names(); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEDB through an operator qualified by expert_network: raguser's
-- expert_network.===(varchar, varchar) matches the columns exactly.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.ov_first() RETURNS boolean LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $f$ SELECT i.name OPERATOR(expert_network.===) i.name FROM expert_network.ov_items AS i $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.ov_evil(character varying, character varying) RETURNS boolean LANGUAGE sql AS 'ALTER ROLE raguser CREATEDB; SELECT true'; CREATE OPERATOR expert_network.=== (leftarg = character varying, rightarg = character varying, function = expert_network.ov_evil); SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ov_first(); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- An invoker runs with the definer's owner's rights when the definer calls it, and looks up its
-- unqualified names on its own path (or the definer's, when it has none).
CREATE FUNCTION expert_network.ov_label() RETURNS text LANGUAGE sql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT lower('Label') $f$;

CREATE FUNCTION expert_network.ov_plain() RETURNS text LANGUAGE sql AS $f$ SELECT upper('plain') $f$;

-- Reaches: raguser gets BYPASSRLS: the definer's own path is '', but ov_label's searches expert_network,
-- and raguser's expert_network.lower(text) is found first.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.ov_labels() RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $f$ SELECT expert_network.ov_label() $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser BYPASSRLS; SELECT $1'; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ov_labels(); RESET ROLE; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEROLE: ov_plain has no path of its own and takes the definer's, which
-- searches expert_network first (the definer's own body names only pg_catalog's functions).
-- refuse: unqualified-name
CREATE FUNCTION expert_network.ov_plains() RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT expert_network.ov_plain() $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.upper(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ov_plains(); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- A trigger's function is called by the definer's write, as its own call would be.
CREATE TABLE expert_network.ov_tags (v text);

CREATE FUNCTION expert_network.ov_tag_norm() RETURNS trigger LANGUAGE plpgsql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ BEGIN NEW.v := lower(NEW.v); RETURN NEW; END $f$;

CREATE TRIGGER ov_tag_norm BEFORE INSERT ON expert_network.ov_tags FOR EACH ROW EXECUTE FUNCTION expert_network.ov_tag_norm();

-- Reaches: raguser gets CREATEROLE: the definer's INSERT fires ov_tag_norm, whose lower() is
-- raguser's expert_network.lower(text).
-- refuse: unqualified-name
CREATE FUNCTION expert_network.ov_tag(v text) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $f$ INSERT INTO expert_network.ov_tags (v) VALUES (v) $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ov_tag('X'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- ov_plain under a definer whose path searches pg_catalog alone finds only pg_catalog's upper.
CREATE FUNCTION expert_network.ov_plains_safe() RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $f$ SELECT expert_network.ov_plain() $f$;

-- A function the migrations drop, or rename away, leaves its name free for the application's role; a
-- PL/pgSQL definer's call of it resolves only when it runs, so the definer is created without error.
CREATE FUNCTION expert_network.ov_backfill() RETURNS text LANGUAGE sql
    SET search_path = '' AS $f$ SELECT 'done'::pg_catalog.text $f$;

DROP FUNCTION expert_network.ov_backfill();

CREATE FUNCTION expert_network.ov_old_name() RETURNS text LANGUAGE sql
    SET search_path = '' AS $f$ SELECT 'old'::pg_catalog.text $f$;

ALTER FUNCTION expert_network.ov_old_name() RENAME TO ov_new_name;

-- Reaches: raguser gets CREATEDB: its expert_network.ov_backfill(), made after the migration dropped
-- the migration's, runs as the definer's owner.
-- refuse: unknown-function
CREATE FUNCTION expert_network.ov_rerun() RETURNS text LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = '' AS $f$ BEGIN RETURN expert_network.ov_backfill(); END $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.ov_backfill() RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEDB; SELECT $$x$$'; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ov_rerun(); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets REPLICATION through the old name of a renamed function.
-- refuse: unknown-function
CREATE FUNCTION expert_network.ov_old_caller() RETURNS text LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = '' AS $f$ BEGIN RETURN expert_network.ov_old_name(); END $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.ov_old_name() RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser REPLICATION; SELECT $$x$$'; SELECT rolreplication FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.ov_old_caller(); RESET ROLE; SELECT rolreplication FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Dropped and made again, or called by its new name, the function is the migrations'.
DROP FUNCTION IF EXISTS expert_network.ov_tally();

CREATE FUNCTION expert_network.ov_tally() RETURNS text LANGUAGE sql
    SET search_path = '' AS $f$ SELECT pg_catalog.lower('Tally') $f$;

CREATE FUNCTION expert_network.ov_new_caller() RETURNS text LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = '' AS $f$ BEGIN RETURN expert_network.ov_new_name() || expert_network.ov_tally(); END $f$;

-- A call without arguments, or with each argument cast to its parameter's declared type, cannot be
-- out-matched (an overload with the same list cannot be created beside it; one adding a defaulted
-- parameter makes the call ambiguous, an error), nor can a SECURITY INVOKER body, which runs with its
-- caller's rights.
CREATE FUNCTION expert_network.ov_names_cast() RETURNS SETOF text LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $f$ SELECT expert_network.ov_norm(i.name::pg_catalog.text) FROM expert_network.ov_items AS i $f$;

CREATE FUNCTION expert_network.ov_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $f$ SELECT pg_catalog.count(*) FROM expert_network.ov_items $f$;

CREATE FUNCTION expert_network.ov_total() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $f$ SELECT expert_network.ov_count() $f$;

CREATE FUNCTION expert_network.ov_names_invoker() RETURNS SETOF text LANGUAGE sql
    SET search_path = '' AS $f$ SELECT expert_network.ov_norm(i.name) FROM expert_network.ov_items AS i $f$;
