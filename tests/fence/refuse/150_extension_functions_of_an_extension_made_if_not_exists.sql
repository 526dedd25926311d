-- Refuse corpus 150: an allowlisted extension's argument list makes a call an exact match no
-- overload of the application's role can beat only where the function surely is the extension's, in
-- expert_network. `CREATE EXTENSION IF NOT EXISTS unaccent` (or one inside a DO block, which an IF or
-- an EXCEPTION clause may skip) does nothing where the database holds unaccent in another schema
-- already, as a shared database's other application may: expert_network then holds no unaccent at
-- all, and the application's role, which may create there, makes its own `unaccent(text)`, found by
-- the very call the fence took for the extension's. A plain CREATE EXTENSION (it fails where the
-- extension exists anywhere) makes the list sure; an SQL string body's call is checked by the server
-- when the function is made (no such function: an error), but not under check_function_bodies off.
-- Proof (PostgreSQL 15, on the seeded database, demo/public_apps.sql then sql/001-003 through `up`,
-- with `CREATE EXTENSION unaccent SCHEMA public` made first by the superuser): each case applied
-- through `up` as 010 alone, exit 0, recorded; pg_extension then still gave unaccent in public and
-- pg_proc no unaccent in expert_network. Then, as raguser: case 1, `CREATE FUNCTION
-- expert_network.unaccent(text)` returning current_user and rolsuper, and `SELECT
-- expert_network.corpus150_clean('x')` gave "ran as postgres super=true"; case 2, raguser's
-- PL/pgSQL `expert_network.unaccent(text)` that runs `ALTER ROLE raguser SUPERUSER` when its
-- current_user is a superuser, and an INSERT of one row into corpus150_names: the superuser's
-- `ANALYZE expert_network.corpus150_names` (as autovacuum's would) turned raguser's rolsuper from f
-- to t; case 3, with uuid-ossp made in public first, raguser's own PL/pgSQL
-- `expert_network.uuid_generate_v4()` raised "ran as postgres super=t" when raguser called
-- corpus150_new_id(). The guard saw nothing in any case: the migration itself changed nothing
-- outside expert_network. Not runnable by prove.py (the extension must sit in public before the migration).
-- Found by a hunt: before, both refused statements below passed `check`.

CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

-- Reaches: raguser's expert_network.unaccent(text), run with the definer's owner's rights.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.corpus150_clean(p text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN expert_network.unaccent(p);
END $$;

-- Without arguments too: no overload is needed where expert_network holds no such function.
-- Reaches: raguser's expert_network.uuid_generate_v4(), run with the definer's owner's rights.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.corpus150_new_id() RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN expert_network.uuid_generate_v4();
END $$;

SET check_function_bodies = false;

CREATE TABLE expert_network.corpus150_names (name text);

-- Not inlined (its own SET), so CREATE INDEX on the empty table never parses its body.
CREATE FUNCTION expert_network.corpus150_unaccented(text) RETURNS text
AS $$ SELECT expert_network.unaccent($1) $$ LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp;

-- Reaches: raguser's expert_network.unaccent(text), run as the table's owner by ANALYZE.
-- refuse: unqualified-name
CREATE INDEX corpus150_names_unaccented ON expert_network.corpus150_names (expert_network.corpus150_unaccented(name));
