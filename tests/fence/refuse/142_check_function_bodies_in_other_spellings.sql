-- Refuse corpus 142: the fence takes an SQL string body's call of an allowlisted extension's function
-- made IF NOT EXISTS as resolved by the server when the function is made (no such function in
-- expert_network: an error), unless the file names the setting that checks bodies as a plain word
-- (corpus 150; this file's comments leave the word out, as a comment counts). The server takes the
-- setting in spellings that do not hold the word: an escape string given to set_config, a
-- Unicode-escaped identifier after SET, a DO block's constant EXECUTE of either, a routine's SET
-- option (its body's CREATE FUNCTION then made unchecked). Each is refused as a spelling the fence
-- does not read; a role's or database's default of off is overridden by the runner's session pin
-- (src/db/apply/sql.rs SESSION_PINS).
-- Proof (PostgreSQL 15, on the seeded database, demo/public_apps.sql then sql/001-003 through `up`,
-- with `CREATE EXTENSION unaccent SCHEMA public` made first by the superuser): corpus 150's index case
-- with its plain SET of the setting to false replaced by `SELECT pg_catalog.set_config(E'check\137
-- function_bodies', 'off', true)` (one string), and again by `SET U&"check\005ffunction_bodies" = off`,
-- each passed `check` and applied through `up` as 010 (exit 0, recorded); pg_extension still gave
-- unaccent in public and expert_network held no unaccent. Then raguser made its PL/pgSQL
-- `expert_network.unaccent(text)` that runs `ALTER ROLE raguser SUPERUSER` when its current_user is a
-- superuser and inserted one row: the superuser's `ANALYZE expert_network.corpus142_names` turned
-- raguser's rolsuper from f to t. The same with no setting in the file at all, under `ALTER DATABASE
-- ... SET` of the setting to off, did the same (before the session pin). The DO block's EXECUTE
-- turned the setting off (`SHOW` after it: off). The guard saw nothing: the migration itself changed
-- nothing outside expert_network.
-- Not runnable by prove.py (the extension must sit in public before the migration).
-- Found by a hunt: before, each refused statement below passed `check`.

CREATE EXTENSION IF NOT EXISTS unaccent;

-- refuse: session-state
SELECT pg_catalog.set_config(E'check\137function_bodies', 'off', true);

-- refuse: session-state
SET U&"check\005ffunction_bodies" = off;

-- refuse: session-state
SET LOCAL U&"CHECK\005FFUNCTION\005FBODIES" TO DEFAULT;

-- refuse: session-state
DO $$
BEGIN
  EXECUTE E'SET LOCAL check\137function_bodies = off';
END $$;

-- A function's own SET option in such a spelling: its body's CREATE FUNCTION would be made unchecked.
-- refuse: session-state
CREATE FUNCTION expert_network.corpus142_quiet() RETURNS void
LANGUAGE sql SET U&"check\005ffunction_bodies" = off AS $$ SELECT $$;

CREATE TABLE expert_network.corpus142_names (name text);

-- Reaches (once the setting is off): raguser's expert_network.unaccent(text), run as the table's
-- owner by ANALYZE. The file names the setting in no plain word, so the fence judges this as a body
-- the server checked; the refusals above are what keep that true.
CREATE FUNCTION expert_network.corpus142_unaccented(text) RETURNS text
AS $$ SELECT expert_network.unaccent($1) $$ LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp;

CREATE INDEX corpus142_names_unaccented ON expert_network.corpus142_names (expert_network.corpus142_unaccented(name));
