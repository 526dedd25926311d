-- Refuse corpus 39: a function's own SET options. The server runs each as a SET LOCAL on every call,
-- before a string body is even parsed, in whatever session calls it (a trigger fires in the other
-- applications' sessions, where no database-side check runs), so each is judged as the migration's own
-- SET would be. Each refused statement is followed by a `-- proof:` query; run on PG 15 as the runner's
-- superuser with `tests/fence/prove.py`, each proof printed what the comment above it says.
-- Found by a hunt: before, only `SET search_path` was looked at, and every statement below passed
-- `check` and applied through `up` (the guard sees nothing: the migration itself touches nothing).

-- Reaches: public.session emptied. With standard_conforming_strings off the server reads the body's
-- `'x\' || '` as one string, and the text the fence read as a second string literal becomes a DELETE.
-- refuse: session-state
CREATE FUNCTION expert_network.fs_scs() RETURNS void LANGUAGE sql SET standard_conforming_strings = off
AS $f$ SELECT 'x\' || ' ; DELETE FROM public.session; SELECT 1 -- ' || 'y' $f$;
-- proof: SELECT expert_network.fs_scs(); SELECT count(*) = 0 FROM public.session

-- Reaches: the same through PL/pgSQL, whose body is compiled at the first call under the function's
-- settings, spelt `false`.
-- refuse: session-state
CREATE FUNCTION expert_network.fs_scs_pl() RETURNS void LANGUAGE plpgsql SET standard_conforming_strings TO false
AS $f$
BEGIN
    PERFORM 'x\' || ' ; DELETE FROM public.session; PERFORM 1; -- ' || 'y';
END
$f$;
-- proof: SELECT expert_network.fs_scs_pl(); SELECT count(*) = 0 FROM public.session

CREATE FUNCTION expert_network.fs_plain() RETURNS int LANGUAGE sql SET work_mem = '64MB' SET search_path = '' AS 'SELECT 1';

-- Reaches: the same, the setting added to an existing function.
-- refuse: session-state
ALTER FUNCTION expert_network.fs_plain() SET standard_conforming_strings = off;
-- proof: SELECT proconfig FROM pg_catalog.pg_proc WHERE proname = 'fs_plain'

-- Reaches: track_counts off while the function runs: the database-side check counts this session's
-- writes through the statistics it stops.
-- refuse: session-state
CREATE FUNCTION expert_network.fs_blind() RETURNS text LANGUAGE sql SET track_counts = off
AS 'SELECT pg_catalog.current_setting(''track_counts'')';
-- proof: SELECT expert_network.fs_blind()

-- Reaches: triggers and foreign keys off, for every table written while it runs.
-- refuse: session-state
CREATE PROCEDURE expert_network.fs_replica() LANGUAGE sql SET session_replication_role = replica
AS 'SELECT pg_catalog.current_setting(''session_replication_role'')';
-- proof: SELECT proconfig FROM pg_catalog.pg_proc WHERE proname = 'fs_replica'

-- Reaches: the body runs as another role.
-- refuse: session-state
CREATE FUNCTION expert_network.fs_role() RETURNS name LANGUAGE sql SET role = raguser AS 'SELECT CURRENT_USER';
-- proof: SELECT expert_network.fs_role()

