-- Refuse corpus 30 (issue 11, class 3): session state changed without a SET statement, and carried
-- into the next migration on the same connection: a search_path that includes public, track_counts
-- off (which blinds the database-side check), standard_conforming_strings off (the server then reads
-- the next migration's strings unlike the parser that fenced them). Proven with psql on PG 15: after
-- each statement `SHOW <setting>` in the same session prints the new value.

-- refuse: outside-schema
UPDATE pg_catalog.pg_settings SET setting = 'expert_network, public' WHERE name = 'search_path';
-- refuse: outside-schema
UPDATE pg_settings SET setting = 'off' WHERE name = 'track_counts';
-- refuse: session-state
SELECT set_config('search_path', 'public', false);
-- refuse: session-state
SELECT pg_catalog.set_config('standard_conforming_strings', 'off', false);
-- refuse: session-state
SELECT set_config(s.name, 'off', false) FROM pg_catalog.pg_settings AS s WHERE s.name = 'track_counts';
-- refuse: session-state
SELECT set_config('search' || '_path', 'pub' || 'lic', false);
-- refuse: session-state
SELECT "set_config"('search_path', 'public', false);
-- refuse: session-state
SET LOCAL track_counts = off;
-- refuse: session-state
SET standard_conforming_strings = off;
-- refuse: session-state
SET LOCAL standard_conforming_strings TO off;
-- refuse: session-state
SET client_encoding = 'SJIS';
-- refuse: session-state
SET LOCAL stats_fetch_consistency = snapshot;
-- refuse: session-state
SET session_replication_role = replica;
-- refuse: session-state
SET default_transaction_read_only = on;
-- refuse: session-state
SET escape_string_warning = off;

-- In a body: runs when the DO block runs, in the runner's session.
-- refuse: session-state
DO $$
BEGIN
    PERFORM pg_catalog.set_config('search_path', 'public, expert_network', false);
END
$$;

-- In a function the migration calls: the setting escapes with the call.
-- refuse: session-state
CREATE FUNCTION expert_network.pp_loosen() RETURNS void
LANGUAGE sql AS $$ SELECT pg_catalog.set_config('standard_conforming_strings', 'off', false) $$;

-- A function's own SET search_path may name only expert_network, pg_catalog, pg_temp or nothing.
-- refuse: touches-public
CREATE FUNCTION expert_network.pp_path() RETURNS int
LANGUAGE sql SET search_path = expert_network, public AS $$ SELECT 1 $$;
