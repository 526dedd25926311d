-- Refuse corpus 10: session state. A migration must not change search_path, role or any other
-- setting for the runner's session (or for roles / the database), nor load libraries.
-- set_config() is SET in function form, wherever it is called from.

-- Accepted since issue 11: a plain setting or an allowed search_path, put back after the migration.
SET search_path = expert_network;
-- refuse: session-state
SET search_path TO expert_network, public;
-- refuse: session-state
set search_path=public;
-- Accepted since issue 11: a plain setting or an allowed search_path, put back after the migration.
SET LOCAL search_path = expert_network, pg_catalog;
-- refuse: session-state
SET SESSION search_path TO DEFAULT;
-- Accepted since issue 11: a plain setting or an allowed search_path, put back after the migration.
SET "search_path" = 'expert_network';
-- refuse: session-state
RESET search_path;
-- refuse: session-state
RESET ALL;
-- refuse: session-state
SET ROLE postgres;
-- refuse: session-state
SET ROLE NONE;
-- refuse: session-state
SET LOCAL ROLE en_admin;
-- refuse: session-state
RESET ROLE;
-- refuse: session-state
SET SESSION AUTHORIZATION postgres;
-- refuse: session-state
SET SESSION AUTHORIZATION DEFAULT;
-- refuse: session-state
RESET SESSION AUTHORIZATION;
-- Accepted since issue 11: a plain setting or an allowed search_path, put back after the migration.
SET statement_timeout = 0;
-- Accepted since issue 11: a plain setting or an allowed search_path, put back after the migration.
SET lock_timeout TO '5s';
-- Accepted since issue 11: a plain setting or an allowed search_path, put back after the migration.
SET TIME ZONE 'UTC';
-- Accepted since issue 11: a plain setting or an allowed search_path, put back after the migration.
SET client_min_messages = warning;
-- refuse: session-state
SET session_replication_role = replica;
-- Accepted since issue 11: a plain setting or an allowed search_path, put back after the migration.
SET row_security = off;
-- Accepted since issue 11: a plain setting or an allowed search_path, put back after the migration.
SET check_function_bodies = false;
-- Accepted since issue 11: a plain setting or an allowed search_path, put back after the migration.
SET default_tablespace = '';
-- Accepted since issue 11: a plain setting or an allowed search_path, put back after the migration.
SET app.current_user_id = 'en-admin';
-- refuse: session-state
SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE;
-- Accepted since issue 11: a plain setting or an allowed search_path, put back after the migration.
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
-- refuse: session-state
DISCARD ALL;
-- refuse: session-state
DISCARD PLANS;
-- refuse: session-state
DISCARD TEMP;
-- refuse: session-state
DISCARD SEQUENCES;
-- refuse: session-state
SELECT set_config('search_path', 'public', false);
-- Accepted since issue 11: a plain setting or an allowed search_path, put back after the migration.
SELECT pg_catalog.set_config('search_path', '', true);
-- refuse: session-state
SELECT set_config('role', 'postgres', false);
-- refuse: session-state
SELECT "set_config"('search_path', 'public', false);
-- refuse: session-state
SELECT PG_CATALOG.SET_CONFIG('search_path', 'public', false);
-- refuse: session-state
SELECT 1 FROM expert_network.campaigns WHERE set_config('search_path', 'public', true) IS NOT NULL;
-- refuse: session-state
INSERT INTO expert_network.audit_log (action)
VALUES (set_config('session_replication_role', 'replica', false));
-- refuse: session-state
WITH s AS (SELECT set_config('search_path', 'public', false) AS v) SELECT v FROM s;
-- refuse: session-state
ALTER ROLE en_app SET search_path = public;
-- refuse: session-state
ALTER ROLE en_app IN DATABASE ragdb SET search_path TO expert_network;
-- refuse: session-state
ALTER ROLE ALL SET statement_timeout = '1min';
-- refuse: session-state
ALTER ROLE en_app RESET ALL;
-- refuse: session-state
ALTER USER en_app SET role = 'postgres';
-- refuse: session-state
ALTER ROLE CURRENT_USER SET search_path = expert_network, public;
-- refuse: session-state
ALTER DATABASE ragdb SET search_path = expert_network, public;
-- refuse: session-state
ALTER DATABASE ragdb RESET search_path;
-- refuse: session-state
ALTER DATABASE ragdb SET session_replication_role = replica;
-- refuse: session-state
LOAD 'auto_explain';
-- refuse: session-state
LOAD '$libdir/plugins/evil';
-- refuse: session-state
CREATE FUNCTION expert_network.ss1() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('search_path', 'public', false);
END;
$$;
-- refuse: session-state
CREATE FUNCTION expert_network.ss2() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    SET search_path = expert_network, pg_catalog;
END;
$$;
-- refuse: session-state
CREATE FUNCTION expert_network.ss3() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RESET ROLE;
END;
$$;
-- refuse: session-state
CREATE FUNCTION expert_network.ss4() RETURNS text LANGUAGE sql AS $$
    SELECT set_config('role', 'postgres', true)
$$;
-- refuse: session-state
CREATE FUNCTION expert_network.ss5() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v text;
BEGIN
    v := set_config('search_path', 'public', false);
END;
$$;
-- refuse: session-state
CREATE FUNCTION expert_network.ss6() RETURNS text LANGUAGE sql
BEGIN ATOMIC
    SELECT set_config('search_path', 'expert_network', false);
END;

-- Allowed: reading settings, and a function's own SET clause that does not name public.
SELECT current_setting('search_path');
SELECT pg_catalog.current_setting('app.user_id', true);
CREATE FUNCTION expert_network.ss_ok() RETURNS text LANGUAGE sql STABLE
SET search_path = pg_catalog
AS $$ SELECT current_setting('search_path') $$;
CREATE FUNCTION expert_network.ss_ok2() RETURNS text LANGUAGE sql STABLE
SET search_path = expert_network, pg_catalog
AS $$ SELECT 'ok'::text $$;
