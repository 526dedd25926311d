-- Refuse corpus 36 (issue 11, classes 1-4 and 6-8): more spellings of each class. Each refused statement
-- is followed by a `-- proof:` query; run on PG 15 as the runner's superuser, in one transaction under
-- the pinned search_path (expert_network, pg_catalog, pg_temp), each statement inside a savepoint rolled
-- back after its proof (`tests/fence/prove.py` writes that psql script), the proof printed what the comment
-- above it says. The unannotated statements are the legitimate setup the attacks use. Run after
-- `ANALYZE public."user"` (pg_statistic's samples) and with another session connected to the database
-- (pg_stat_activity's query text, pg_terminate_backend).

-- Class 1: an unqualified write target is never a CTE; it lands in pg_catalog.
-- Reaches: pg_catalog.pg_class, a new row version of public.session's entry (UPDATE 1).
-- refuse: outside-schema
UPDATE pg_class SET relname = relname WHERE relname = 'session';
-- proof: SELECT count(*) FROM pg_catalog.pg_class WHERE relname = 'session' AND xmin::text::bigint > pg_catalog.txid_current()

-- Reaches: pg_catalog.pg_authid, raguser gets CREATEDB; the CTE in mixed case folds to the target's name.
-- refuse: outside-schema
WITH Pg_Authid AS (SELECT 1) UPDATE PG_AUTHID SET rolcreatedb = true WHERE rolname = 'raguser';
-- proof: SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: pg_catalog.pg_description, every comment of every application deleted, from a data-modifying CTE.
-- refuse: outside-schema
WITH pg_description AS (SELECT 1), d AS (DELETE FROM pg_description WHERE description IS NOT NULL RETURNING 1)
SELECT count(*) FROM d;
-- proof: SELECT count(*) = 0 FROM pg_catalog.pg_description

-- Reaches: pg_catalog.pg_db_role_setting, track_counts off for every later session of raguser.
-- refuse: outside-schema
WITH pg_db_role_setting AS (SELECT 1)
INSERT INTO pg_db_role_setting SELECT 0, oid, ARRAY['track_counts=off'] FROM pg_catalog.pg_roles WHERE rolname = 'raguser';
-- proof: SELECT setconfig FROM pg_catalog.pg_db_role_setting WHERE setrole = 'raguser'::regrole

-- Reaches: pg_catalog.pg_authid from PL/pgSQL's RETURN QUERY, when the function is called.
-- refuse: outside-schema
CREATE FUNCTION expert_network.c1_f() RETURNS SETOF int LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY WITH pg_authid AS (SELECT 1) UPDATE pg_authid SET rolsuper = true WHERE rolname = 'raguser' RETURNING 1;
END
$$;
-- proof: SELECT count(*) FROM expert_network.c1_f(); SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: pg_catalog.pg_authid from a BEGIN ATOMIC body, when the function is called.
-- refuse: outside-schema
CREATE FUNCTION expert_network.c1_g() RETURNS void LANGUAGE sql BEGIN ATOMIC
    WITH pg_authid AS (SELECT 1) UPDATE pg_authid SET rolbypassrls = true WHERE rolname = 'raguser';
END;
-- proof: SELECT expert_network.c1_g(); SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: pg_catalog.pg_shdescription, the comments on every database and role of the server.
-- refuse: outside-schema
WITH t AS (SELECT 1) DELETE FROM pg_shdescription WHERE true;
-- proof: SELECT count(*) = 0 FROM pg_catalog.pg_shdescription

-- Class 2: writes through a view over a catalog, naming only expert_network.
CREATE VIEW expert_network.c2_desc AS
    SELECT d.objoid, d.classoid, d.objsubid, d.description FROM pg_catalog.pg_description AS d;

-- Reaches: pg_catalog.pg_description through the view: other applications' comments deleted.
-- refuse: outside-schema
DELETE FROM expert_network.c2_desc WHERE description IS NOT NULL;
-- proof: SELECT count(*) = 0 FROM pg_catalog.pg_description

-- Reaches: pg_catalog.pg_description through the view: a comment forged on public.session.
-- refuse: outside-schema
INSERT INTO expert_network.c2_desc
VALUES ((SELECT oid FROM pg_catalog.pg_class WHERE relname = 'session'), 'pg_catalog.pg_class'::regclass, 0, 'mine');
-- proof: SELECT obj_description('public.session'::regclass, 'pg_class')

CREATE VIEW expert_network.c2_ns WITH (security_barrier) AS
    SELECT n.oid, n.nspname FROM pg_catalog.pg_namespace AS n WHERE n.nspname <> 'expert_network'
    WITH CHECK OPTION;

-- Reaches: pg_catalog.pg_namespace through a security_barrier view WITH CHECK OPTION: schema public renamed.
-- refuse: outside-schema
UPDATE expert_network.c2_ns SET nspname = 'public_old' WHERE nspname = 'public';
-- proof: SELECT to_regnamespace('public_old') IS NOT NULL

CREATE TABLE expert_network.c2_t (id int);

-- Reaches: pg_catalog.pg_description, when a row of expert_network.c2_t is deleted.
-- refuse: outside-schema
CREATE RULE c2_r AS ON DELETE TO expert_network.c2_t DO INSTEAD DELETE FROM pg_description;
-- proof: INSERT INTO expert_network.c2_t VALUES (1); DELETE FROM expert_network.c2_t; SELECT count(*) = 0 FROM pg_catalog.pg_description

-- Reaches: pg_catalog.pg_description through a rule whose action writes the view over it.
-- refuse: outside-schema
CREATE RULE c2_r2 AS ON INSERT TO expert_network.c2_t
    DO ALSO INSERT INTO expert_network.c2_desc VALUES ('public.session'::regclass, 'pg_catalog.pg_class'::regclass, 0, 'ruled');
-- proof: INSERT INTO expert_network.c2_t VALUES (2); SELECT obj_description('public.session'::regclass, 'pg_class')

-- Class 3: session state that reaches the statements after it and the next migration.
-- Reaches: the default path, "$user", public: unqualified names resolve into public.
-- refuse: session-state
SET search_path TO DEFAULT;
-- proof: SHOW search_path; SELECT count(*) FROM session

-- Reaches: the same, for the rest of the migration.
-- refuse: session-state
SET LOCAL search_path = DEFAULT;
-- proof: SHOW search_path; SELECT count(*) FROM session

-- Reaches: public on the path, spelt in capitals (folded).
-- refuse: session-state
SET search_path = expert_network, PUBLIC;
-- proof: SELECT count(*) FROM session

-- Reaches: public appended to whatever the path is.
-- refuse: session-state
SELECT pg_catalog.set_config('search_path', pg_catalog.current_setting('search_path') || ', public', false);
-- proof: SELECT count(*) FROM session

-- Reaches: track_counts off (the database-side check counts on it), the name computed.
-- refuse: session-state
SELECT set_config(name, 'off', false) FROM pg_catalog.pg_settings WHERE name = 'track_' || 'counts';
-- proof: SHOW track_counts

-- Reaches: standard_conforming_strings off through pg_settings, aliased.
-- refuse: outside-schema
UPDATE pg_catalog.pg_settings AS s SET setting = 'off' WHERE s.name = 'standard_conforming_strings';
-- proof: SHOW standard_conforming_strings

-- Reaches: public on the path through pg_settings (its rule turns the UPDATE into set_config), with FROM.
-- refuse: outside-schema
UPDATE pg_settings SET setting = 'public' FROM (SELECT 1) AS x WHERE name = 'search_path';
-- proof: SELECT count(*) FROM session

-- Reaches: track_counts off, spelt as a number.
-- refuse: session-state
SET track_counts TO 0;
-- proof: SHOW track_counts

-- Reaches: standard_conforming_strings off for the rest of the migration: its later parts are read with
-- backslash escapes, unlike the fence read them.
-- refuse: session-state
SET LOCAL standard_conforming_strings = false;
-- proof: SHOW standard_conforming_strings

-- Reaches: the same, the value computed.
-- refuse: session-state
SELECT set_config('standard_conforming_strings', 'of' || 'f', true);
-- proof: SHOW standard_conforming_strings

-- Reaches: the bytes of the statements after it read as Shift-JIS, whose characters may end in a backslash.
-- refuse: session-state
SET client_encoding = 'SJIS';
-- proof: SHOW client_encoding

CREATE FUNCTION expert_network.c3_fn() RETURNS int LANGUAGE sql AS 'SELECT 1';

-- Reaches: a function of expert_network that resolves its names in public.
-- refuse: touches-public
ALTER FUNCTION expert_network.c3_fn() SET search_path = expert_network, public;
-- proof: SELECT proconfig FROM pg_catalog.pg_proc WHERE proname = 'c3_fn'

-- Class 4: names computed at run time, and effects a rollback does not undo.
-- Reaches: public.campaign_code_seq moved (and stays moved after ROLLBACK).
-- refuse: dynamic-name
SELECT nextval(quote_ident('public') || '.campaign_code_seq');
-- proof: SELECT last_value FROM public.campaign_code_seq

-- Reaches: public.campaign_code_seq set, the name from a scalar subquery.
-- refuse: dynamic-name
SELECT pg_catalog.setval((SELECT 'public.campaign_code_seq')::regclass, 5);
-- proof: SELECT last_value = 5 FROM public.campaign_code_seq

-- Reaches: public.campaign_code_seq moved, the name from a VALUES list.
-- refuse: dynamic-name
SELECT nextval(s) FROM (VALUES ('public.campaign_code_seq')) AS v(s);
-- proof: SELECT last_value FROM public.campaign_code_seq

-- Reaches: public.campaign_code_seq moved, the name from an array.
-- refuse: dynamic-name
SELECT nextval(x) FROM unnest(ARRAY['public.campaign_code_seq']) AS x;
-- proof: SELECT last_value FROM public.campaign_code_seq

-- Reaches: every sequence of public reset to 1, found through the catalogs.
-- refuse: dynamic-name
SELECT setval(c.oid::regclass, 1) FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace WHERE n.nspname = 'pub' || 'lic' AND c.relkind = 'S';
-- proof: SELECT last_value = 1 FROM public.campaign_code_seq

-- Reaches: public.chat_messages_id_seq moved, found by pg_get_serial_sequence of a computed table name.
-- refuse: dynamic-name
SELECT pg_catalog.nextval(pg_catalog.pg_get_serial_sequence(pg_catalog.concat('pub', 'lic.chat_messages'), 'id'));
-- proof: SELECT last_value FROM public.chat_messages_id_seq

-- Reaches: public.campaign_code_seq set, the name made by replace().
-- refuse: dynamic-name
SELECT setval(replace('xublic.campaign_code_seq', 'x', 'p'), 7);
-- proof: SELECT last_value = 7 FROM public.campaign_code_seq

-- Reaches: an advisory lock other applications may use (key 42), held to the end of the transaction.
-- refuse: session-state
SELECT pg_advisory_xact_lock(42);
-- proof: SELECT count(*) FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()

-- Reaches: a session-level advisory lock, which outlives the migration's rollback.
-- refuse: session-state
SELECT pg_try_advisory_lock_shared(1, 2);
-- proof: SELECT count(*) FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()

-- Reaches: public.session's statistics counters reset (not undone by a rollback).
-- refuse: database-wide
SELECT pg_stat_reset_single_table_counters(c.oid) FROM pg_catalog.pg_class AS c WHERE c.relname = 'session';
-- proof: SELECT 1

-- Reaches: PostgREST's listener, the channel computed.
-- refuse: notify
SELECT pg_notify(chr(112) || 'grst', 'reload schema');
-- proof: SELECT 1

-- Reaches: every other session of this database, ended.
-- refuse: catalog-data
-- refuse: database-wide
SELECT pg_terminate_backend(a.pid) FROM pg_catalog.pg_stat_activity AS a
WHERE a.datname = current_database() AND a.pid <> pg_backend_pid();
-- proof: SELECT 1

-- Reaches: the whole database's statistics reset.
-- refuse: database-wide
SELECT pg_stat_reset();
-- proof: SELECT 1

-- Class 6: public's types in expert_network's objects (a dependency on public).
-- Reaches: a column of public.session's row type, quoted schema.
-- refuse: touches-public
CREATE TABLE expert_network.c6_t (s "public".session);
-- proof: SELECT count(*) FROM pg_catalog.pg_depend WHERE refobjid = 'public.session'::regtype

-- Reaches: an array of public.session's row type, spelt ARRAY.
-- refuse: touches-public
CREATE TABLE expert_network.c6_arr (s public.session ARRAY);
-- proof: SELECT format_type(atttypid, NULL) FROM pg_catalog.pg_attribute WHERE attrelid = 'expert_network.c6_arr'::regclass AND attname = 's'

-- Reaches: a function returning TABLE of public.session's row type.
-- refuse: touches-public
CREATE FUNCTION expert_network.c6_f() RETURNS TABLE (s public.session) LANGUAGE sql AS $$ SELECT NULL::public.session $$;
-- proof: SELECT count(*) FROM pg_catalog.pg_depend WHERE refobjid = 'public.session'::regtype

-- Reaches: a VARIADIC argument of public.chats[].
-- refuse: touches-public
CREATE FUNCTION expert_network.c6_g(VARIADIC public.chats[]) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
-- proof: SELECT count(*) FROM pg_catalog.pg_proc WHERE proname = 'c6_g'

-- Reaches: a PL/pgSQL variable of public.session%ROWTYPE.
-- refuse: touches-public
CREATE FUNCTION expert_network.c6_h() RETURNS void LANGUAGE plpgsql AS $$
DECLARE r public.session%ROWTYPE;
BEGIN NULL; END $$;
-- proof: SELECT expert_network.c6_h()

-- Reaches: a PL/pgSQL variable of public.session.token%TYPE.
-- refuse: touches-public
CREATE FUNCTION expert_network.c6_i() RETURNS void LANGUAGE plpgsql AS $$
DECLARE e public.session.token%TYPE;
BEGIN NULL; END $$;
-- proof: SELECT expert_network.c6_i()

-- Reaches: a range type over public.chats's row type.
-- refuse: touches-public
CREATE TYPE expert_network.c6_range AS RANGE (subtype = public.chats);
-- proof: SELECT count(*) FROM pg_catalog.pg_depend WHERE refobjid = 'public.chats'::regtype

-- Reaches: a view column of public.chats's row type, from a cast of a literal.
-- refuse: touches-public
CREATE VIEW expert_network.c6_v AS SELECT NULL::public.chats AS c;
-- proof: SELECT count(*) FROM pg_catalog.pg_depend WHERE refobjid = 'public.chats'::regtype

-- Reaches: a cast into public's type, which is database-wide (pg_cast) and depends on public.chats.
-- refuse: touches-public
CREATE CAST (expert_network.c2_t AS public.chats) WITH INOUT;
-- proof: SELECT count(*) FROM pg_catalog.pg_cast WHERE casttarget = 'public.chats'::regtype

-- Class 7: catalog relations that expose other applications' data or the server's secrets, and row
-- locks on catalog rows.
-- Reaches: samples of public."user"'s column values (after ANALYZE).
-- refuse: catalog-data
SELECT s.stavalues1::text FROM pg_statistic AS s WHERE s.starelid = (SELECT c.oid FROM pg_catalog.pg_class AS c WHERE c.relname = 'user');
-- proof: SELECT 1

-- Reaches: other sessions' query text.
-- refuse: catalog-data
SELECT query FROM pg_stat_activity;
-- proof: SELECT 1

-- Reaches: other sessions' query text through the function behind pg_stat_activity.
-- refuse: catalog-data
SELECT s.query FROM pg_catalog.pg_stat_get_activity(NULL) AS s;
-- proof: SELECT 1

-- Reaches: the values of public's sequences.
-- refuse: catalog-data
SELECT last_value FROM pg_sequences WHERE schemaname = 'pub' || 'lic';
-- proof: SELECT 1

-- Reaches: the password hashes, copied into a view of expert_network.
-- refuse: catalog-data
CREATE VIEW expert_network.c7_hashes AS SELECT a.rolname, a.rolpassword FROM pg_catalog.pg_authid AS a;
-- proof: SELECT rolpassword IS NOT NULL FROM expert_network.c7_hashes WHERE rolname = 'raguser'

-- Reaches: samples of public's column values, through a view of expert_network.
-- refuse: catalog-data
CREATE VIEW expert_network.c7_v AS SELECT s.schemaname, s.attname, s.most_common_vals::text AS vals FROM pg_catalog.pg_stats AS s;
-- proof: SELECT count(*) > 0 FROM expert_network.c7_v WHERE schemaname = 'public'

-- Reaches: the server's pg_hba.conf.
-- refuse: file-access
SELECT pg_read_file('pg_hba.conf');
-- proof: SELECT 1

-- Reaches: a row lock on public."user"'s pg_class row, which stalls other applications' DDL on it.
-- refuse: outside-schema
SELECT 1 FROM pg_catalog.pg_class AS c WHERE c.relname = 'user' FOR UPDATE OF c;
-- proof: SELECT count(*) FROM pg_catalog.pg_locks WHERE relation = 'pg_catalog.pg_class'::regclass AND pid = pg_backend_pid() AND mode = 'RowShareLock'

-- Reaches: row locks on every schema's pg_namespace row.
-- refuse: outside-schema
SELECT 1 FROM pg_namespace FOR NO KEY UPDATE;
-- proof: SELECT count(*) FROM pg_catalog.pg_locks WHERE relation = 'pg_catalog.pg_namespace'::regclass AND pid = pg_backend_pid()

-- Reaches: row locks on every function's pg_proc row.
-- refuse: outside-schema
SELECT 1 FROM pg_catalog.pg_proc FOR KEY SHARE;
-- proof: SELECT count(*) FROM pg_catalog.pg_locks WHERE relation = 'pg_catalog.pg_proc'::regclass AND pid = pg_backend_pid()

-- Reaches: row locks on pg_class, from a subquery.
-- refuse: outside-schema
SELECT * FROM (SELECT oid FROM pg_catalog.pg_class FOR SHARE) AS s;
-- proof: SELECT count(*) FROM pg_catalog.pg_locks WHERE relation = 'pg_catalog.pg_class'::regclass AND pid = pg_backend_pid()

-- Reaches: row locks on pg_type, from a CTE.
-- refuse: outside-schema
WITH l AS (SELECT oid FROM pg_catalog.pg_type FOR UPDATE) SELECT count(*) FROM l;
-- proof: SELECT count(*) FROM pg_catalog.pg_locks WHERE relation = 'pg_catalog.pg_type'::regclass AND pid = pg_backend_pid()

-- Reaches: pg_class locked in SHARE mode: no application can create or alter a table until commit.
-- refuse: outside-schema
LOCK TABLE pg_catalog.pg_class IN SHARE MODE;
-- proof: SELECT mode FROM pg_catalog.pg_locks WHERE relation = 'pg_catalog.pg_class'::regclass AND pid = pg_backend_pid()

-- Reaches: pg_authid locked ACCESS EXCLUSIVE: no login to any database of the server until commit.
-- refuse: outside-schema
LOCK pg_authid;
-- proof: SELECT mode FROM pg_catalog.pg_locks WHERE relation = 'pg_catalog.pg_authid'::regclass AND pid = pg_backend_pid()

-- Reaches: row locks on pg_class from PL/pgSQL's PERFORM, when called.
-- refuse: outside-schema
CREATE FUNCTION expert_network.c7_f() RETURNS void LANGUAGE plpgsql AS $$
BEGIN PERFORM 1 FROM pg_catalog.pg_class FOR UPDATE; END $$;
-- proof: SELECT expert_network.c7_f(); SELECT count(*) FROM pg_catalog.pg_locks WHERE relation = 'pg_catalog.pg_class'::regclass AND pid = pg_backend_pid()

-- Class 8: roles, role settings and databases, which the server shares with every application.
-- Reaches: raguser can no longer connect.
-- refuse: roles
ALTER ROLE raguser CONNECTION LIMIT 0;
-- proof: SELECT rolconnlimit FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser's password expired.
-- refuse: roles
ALTER ROLE raguser VALID UNTIL '2000-01-01';
-- proof: SELECT rolvaliduntil FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser's password changed.
-- refuse: roles
ALTER USER raguser WITH PASSWORD 'x';
-- proof: SELECT rolpassword IS NOT NULL FROM pg_catalog.pg_authid WHERE rolname = 'raguser'

-- Reaches: expert_network_readonly made a member of raguser (all of public's data).
-- refuse: roles
ALTER GROUP raguser ADD USER expert_network_readonly;
-- proof: SELECT pg_has_role('expert_network_readonly', 'raguser', 'USAGE')

-- Reaches: pg_shdescription, a comment on a role of the server.
-- refuse: roles
COMMENT ON ROLE raguser IS 'owned';
-- proof: SELECT shobj_description('raguser'::regrole, 'pg_authid')

-- Reaches: the maintenance database closed to new connections.
-- refuse: database-wide
ALTER DATABASE postgres CONNECTION LIMIT 0;
-- proof: SELECT datconnlimit FROM pg_catalog.pg_database WHERE datname = 'postgres'

-- Reaches: every role but the owner shut out of the maintenance database.
-- refuse: database-wide
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
-- proof: SELECT datacl FROM pg_catalog.pg_database WHERE datname = 'postgres'

-- Reaches: raguser made admin of a new role, a membership of the application's role changed.
-- refuse: roles
CREATE ROLE c8_r ADMIN raguser;
-- proof: SELECT count(*) FROM pg_catalog.pg_auth_members WHERE member = 'raguser'::regrole

-- Reaches: raguser made a member of a new role.
-- refuse: roles
CREATE ROLE c8_s ROLE raguser;
-- proof: SELECT count(*) FROM pg_catalog.pg_auth_members WHERE member = 'raguser'::regrole

-- Reaches: a new superuser.
-- refuse: roles
CREATE ROLE c8_t SUPERUSER NOLOGIN;
-- proof: SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'c8_t'

-- Reaches: raguser may run programs on the server (COPY ... PROGRAM).
-- refuse: roles
GRANT pg_execute_server_program TO raguser;
-- proof: SELECT pg_has_role('raguser', 'pg_execute_server_program', 'USAGE')

-- Reaches: the runner's login made admin of raguser.
-- refuse: roles
GRANT raguser TO CURRENT_USER WITH ADMIN OPTION;
-- proof: SELECT admin_option FROM pg_catalog.pg_auth_members WHERE roleid = 'raguser'::regrole AND member = 'postgres'::regrole

-- Reaches: the application's login renamed: it can no longer connect.
-- refuse: roles
ALTER ROLE raguser RENAME TO raguser_old;
-- proof: SELECT count(*) FROM pg_catalog.pg_roles WHERE rolname = 'raguser_old'

-- Reaches: raguser's sessions in the maintenance database start with public first.
-- refuse: session-state
ALTER ROLE raguser IN DATABASE postgres SET search_path = public;
-- proof: SELECT setconfig FROM pg_catalog.pg_db_role_setting WHERE setrole = 'raguser'::regrole

-- Reaches: every later session of the maintenance database starts with track_counts off.
-- refuse: session-state
ALTER DATABASE postgres SET track_counts = off;
-- proof: SELECT count(*) FROM pg_catalog.pg_db_role_setting WHERE setdatabase = (SELECT oid FROM pg_catalog.pg_database WHERE datname = 'postgres')
