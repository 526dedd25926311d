-- Refuse corpus 31 (issue 11, class 4): relation names computed at run time, passed to functions
-- that take a name; and effects a rollback does not undo. Proven with psql on PG 15: after
-- BEGIN; <statement>; ROLLBACK; public.campaign_code_seq / public.chats_id_seq keep the new value,
-- the statistics stay reset, and a LISTEN in another session receives the notification.

-- refuse: dynamic-name
SELECT setval('pub' || 'lic.campaign_code_seq', 1);
-- refuse: dynamic-name
SELECT nextval(format('%I.%I', 'public', 'campaign_code_seq'));
-- refuse: dynamic-name
SELECT setval(('public' || '.campaign_code_seq')::regclass, 1, false);
-- A cast of a constant is no computed name: the fence reads the literal, which names public.
-- refuse: touches-public
SELECT setval('public.campaign_code_seq'::text::regclass, 999999);
-- refuse: dynamic-name
SELECT nextval(c.oid) FROM pg_catalog.pg_class AS c WHERE c.relkind = 'S' AND c.relname = 'campaign_code_seq';
-- refuse: dynamic-name
SELECT currval(concat('public', '.', 'campaign_code_seq'));
-- refuse: dynamic-name
SELECT setval(pg_catalog.to_regclass(lower('PUBLIC.CAMPAIGN_CODE_SEQ')), 1);
-- refuse: dynamic-name
SELECT pg_catalog.setval(s.seqrelid, 1) FROM pg_catalog.pg_sequence AS s;
-- refuse: dynamic-name
SELECT setval(pg_get_serial_sequence('pub' || 'lic.chat_messages', 'id'), 1);

-- The same inside a DO block.
-- refuse: dynamic-name
DO $$
DECLARE
    v_seq text := 'public.' || 'campaign_code_seq';
BEGIN
    PERFORM setval(v_seq, 1);
END
$$;

-- Statistics resets are not undone by a rollback, and they blind the database-side check.
-- refuse: database-wide
SELECT pg_stat_reset();
-- refuse: database-wide
SELECT pg_catalog.pg_stat_reset_single_table_counters(c.oid) FROM pg_catalog.pg_class AS c WHERE c.relname = 'user';
-- refuse: database-wide
SELECT pg_stat_reset_shared('bgwriter');

-- Advisory locks are shared with every application on the server (a session lock outlives the
-- migration).
-- refuse: session-state
SELECT pg_advisory_lock(42);
-- refuse: session-state
SELECT pg_try_advisory_lock(hashtext('other-app-job-queue'));
-- refuse: session-state
SELECT pg_advisory_xact_lock(1, 2);

-- A notification from the migration itself reaches other applications' listeners.
-- refuse: notify
SELECT pg_notify('pgrst', 'reload schema');
-- refuse: notify
NOTIFY betterauth_sessions, 'revoke-all';

-- Signals and server control.
-- refuse: database-wide
SELECT pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid();
-- refuse: database-wide
SELECT pg_reload_conf();
-- refuse: database-wide
SELECT pg_switch_wal();

-- Functions that run query text, with a literal that reaches public.
-- refuse: dynamic-sql
SELECT query_to_xml('SELECT email FROM public."user"', true, false, '');
-- refuse: dynamic-sql
SELECT * FROM ts_stat('SELECT to_tsvector(content) FROM public.chat_messages');
