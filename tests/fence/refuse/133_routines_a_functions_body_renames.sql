-- Refuse corpus 133: a function's body's ALTER FUNCTION ... RENAME TO a name the migrations made
-- gives that name the renamed routine's body, and later calls by the name run it; the model
-- followed only top-level renames. A SECURITY DEFINER function whose path searches expert_network
-- calls `fr_safe()`, made with a path of its own; a called body renames it away and an invoker
-- without a path to its name, whose lower() the definer's path then finds in expert_network, where
-- the application's role creates (ALL ON SCHEMA). The refused statement is followed by a `-- proof:`
-- query; run on PG 15 as the runner's superuser with `tests/fence/prove.py` (database:
-- demo/public_apps.sql and sql/001-003 applied, placeholders raguser and expert_network_readonly),
-- it printed raguser's rolsuper f, then t. Found by a hunt: before, the refused statement below
-- passed `check`.

CREATE FUNCTION expert_network.fr_safe() RETURNS text LANGUAGE sql
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT lower('X') $f$;

CREATE FUNCTION expert_network.fr_bad() RETURNS text LANGUAGE sql AS $f$ SELECT lower('X') $f$;

CREATE FUNCTION expert_network.fr_swap() RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    ALTER FUNCTION expert_network.fr_safe() RENAME TO fr_old;
    ALTER FUNCTION expert_network.fr_bad() RENAME TO fr_safe;
END
$f$;

SELECT expert_network.fr_swap();

-- Reaches: raguser gets SUPERUSER: the definer's call of fr_safe() runs the renamed invoker, whose
-- lower() is raguser's expert_network.lower(text), as the superuser.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.fr_def() RETURNS text LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$
BEGIN
    RETURN expert_network.fr_safe();
END
$f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser SUPERUSER; END IF; RETURN $1; END'; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.fr_def(); RESET ROLE; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'
