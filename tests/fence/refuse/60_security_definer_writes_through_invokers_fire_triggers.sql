-- Refuse corpus 60: the triggers of a relation that an invoker writes, when a SECURITY DEFINER body
-- calls that invoker. The invoker runs with the definer's owner's rights (the runner's superuser),
-- and so do the triggers its write fires; a trigger function's string body resolves its names when it
-- runs, on its own path. The fence judged a definer's own writes so (corpus 54's fix, `definer_writes`),
-- and since corpus 58 the functions an invoker calls, but not the writes of an invoker the definer
-- calls. Here the trigger's path searches expert_network first, and the application's role
-- (sql/003_grants.sql grants it ALL ON SCHEMA expert_network) adds `expert_network.lower(varchar)`,
-- which matches the trigger's `lower(NEW.v)` of a varchar exactly. The refused statement is followed
-- by a `-- proof:` query; run on PG 15 as the runner's superuser with `tests/fence/prove.py`
-- (database: demo/public_apps.sql and sql/001-003 applied, placeholders raguser and
-- expert_network_readonly), the proof printed what the comment above it says (raguser's attribute
-- false, then true). Found by a hunt: before, this file passed `check` (exit 0; the migration
-- changes nothing outside expert_network, so `up`'s guard sees nothing either).

CREATE TABLE expert_network.tg_items (v varchar(40));

CREATE FUNCTION expert_network.tg_fn() RETURNS trigger LANGUAGE plpgsql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$
BEGIN
    NEW.v := lower(NEW.v);
    RETURN NEW;
END
$f$;

CREATE TRIGGER tg_t BEFORE INSERT ON expert_network.tg_items FOR EACH ROW
    EXECUTE FUNCTION expert_network.tg_fn();

CREATE FUNCTION expert_network.tg_ins(x text) RETURNS void LANGUAGE sql
    SET search_path = pg_catalog, pg_temp AS $f$ INSERT INTO expert_network.tg_items VALUES (x) $f$;

-- Reaches: raguser gets CREATEROLE through raguser's expert_network.lower(varchar), which the trigger
-- that tg_ins's insert fires finds first, with the definer's owner's rights.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.tg_add() RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT expert_network.tg_ins('a'::text) $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(character varying) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1::text'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.tg_add(); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'
