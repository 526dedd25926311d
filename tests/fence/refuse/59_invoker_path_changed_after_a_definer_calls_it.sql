-- Refuse corpus 59: an invoker's search_path changed by ALTER FUNCTION after a SECURITY DEFINER body
-- that calls it was judged. Called from the definer, the invoker runs with the owner's rights (the
-- runner's superuser) and looks up its unqualified functions and operators on its own path; the
-- fence judged that path as CREATE FUNCTION wrote it (pg_catalog only), and a later
-- `ALTER FUNCTION ... SET search_path` that searches expert_network first went unseen (corpus 42
-- closed RESET, and the same ALTER of a definer was refused already). Then the application's role
-- (sql/003_grants.sql grants it ALL ON SCHEMA expert_network) adds `expert_network.lower(text)`,
-- which the invoker's `lower('Label')` finds before pg_catalog's. The refused statement is followed
-- by a `-- proof:` query; run on PG 15 as the runner's superuser with `tests/fence/prove.py`
-- (database: demo/public_apps.sql and sql/001-003 applied, placeholders raguser and
-- expert_network_readonly), the proof printed what the comment above it says (raguser's attribute
-- false, then true). Found by a hunt: before, this file passed `check` (exit 0; the migration changes
-- nothing outside expert_network, so `up`'s guard sees nothing either).

CREATE FUNCTION expert_network.al_label() RETURNS text LANGUAGE sql
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT lower('Label') $f$;

-- Reaches: raguser gets CREATEROLE through raguser's expert_network.lower(text), found first on the
-- path the ALTER FUNCTION below gives al_label.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.al_labels() RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT expert_network.al_label() $f$;
-- proof: ALTER FUNCTION expert_network.al_label() SET search_path = expert_network, pg_catalog, pg_temp; SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.al_labels(); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

ALTER FUNCTION expert_network.al_label() SET search_path = expert_network, pg_catalog, pg_temp;
