-- Refuse corpus 07: anonymous DO blocks. The body is PL/pgSQL (whatever quoting it uses, and
-- LANGUAGE may come before or after it); every rule applies inside it.

-- refuse: touches-public
DO $$ BEGIN DELETE FROM public.session; END $$;
-- refuse: touches-public
DO LANGUAGE plpgsql $$ BEGIN UPDATE public."user" SET "emailVerified" = true; END $$;
-- refuse: touches-public
DO $$ BEGIN DELETE FROM public.account; END $$ LANGUAGE plpgsql;
-- refuse: touches-public
DO $do$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_tables WHERE schemaname = 'public' AND tablename = 'user') THEN
        ALTER TABLE public."user" ADD COLUMN IF NOT EXISTS expert_role text;
    END IF;
END
$do$;
-- refuse: touches-public
DO 'BEGIN TRUNCATE public.verification; END';
-- refuse: touches-public
DO E'BEGIN\n    DELETE FROM public.account;\nEND';
-- refuse: touches-public
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT id FROM public."user" LOOP
        INSERT INTO expert_network.team_members (user_id) VALUES (r.id) ON CONFLICT DO NOTHING;
    END LOOP;
END
$$;
-- refuse: touches-public
DO $$ BEGIN PERFORM public.set_updated_at(); END $$;
-- refuse: touches-public
DO $$
BEGIN
    CREATE TABLE public.expert_flags (id integer);
EXCEPTION
    WHEN duplicate_table THEN NULL;
END
$$;
-- refuse: touches-public
DO $$
BEGIN
    BEGIN
        GRANT ALL ON SCHEMA public TO en_migrator;
    EXCEPTION
        WHEN others THEN NULL;
    END;
END
$$;
-- refuse: touches-public
DO $$
BEGIN
    INSERT INTO expert_network.audit_log (action) VALUES ('x');
EXCEPTION
    WHEN others THEN
        UPDATE public."user" SET banned = true;
END
$$;
-- refuse: touches-public
DO $$
DECLARE
    n integer := (SELECT count(*) FROM public.chats);
BEGIN
    RAISE NOTICE '%', n;
END
$$;
-- refuse: touches-public
DO $$ BEGIN ALTER TABLE expert_network.campaigns SET SCHEMA public; END $$;
-- refuse: touches-public
DO $$
BEGIN
    IF (SELECT count(*) FROM public.alembic_version) > 0 THEN
        RAISE NOTICE 'alembic present';
    END IF;
END
$$;

-- refuse: unqualified-name
DO $$ BEGIN INSERT INTO campaigns (id) VALUES (gen_random_uuid()); END $$;
-- refuse: unqualified-name
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM vendor_platforms) THEN
        RAISE EXCEPTION 'seed missing';
    END IF;
END
$$;
-- refuse: unqualified-name
DO $$ BEGIN CREATE TABLE scratch (id integer); END $$;

DO $$ BEGIN EXECUTE 'DROP TABLE expert_network.scratch'; END $$;
-- refuse: dynamic-sql
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public' LOOP
        EXECUTE format('TRUNCATE %I.%I CASCADE', 'public', t);
    END LOOP;
END
$$;
-- refuse: session-state
DO $$ BEGIN PERFORM set_config('search_path', 'public', false); END $$;
-- refuse: session-state
DO $$ BEGIN SET search_path = expert_network; END $$;
-- refuse: transaction-control
DO $$
BEGIN
    INSERT INTO expert_network.audit_log (action) VALUES ('x');
    COMMIT;
END
$$;
-- refuse: transaction-control
DO $$ BEGIN ROLLBACK; END $$;
-- refuse: file-access
DO $$
DECLARE
    s text;
BEGIN
    s := pg_read_file('/etc/passwd');
END
$$;
-- refuse: file-access
DO $$ BEGIN COPY expert_network.audit_log TO '/tmp/audit.csv'; END $$;
-- refuse: roles
DO $$ BEGIN CREATE ROLE en_root SUPERUSER; END $$;
-- refuse: roles
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'en_app') THEN
        CREATE ROLE en_app NOLOGIN;
    END IF;
    GRANT pg_write_all_data TO en_app;
END
$$;
-- refuse: ownership
DO $$ BEGIN REASSIGN OWNED BY en_app TO postgres; END $$;
-- refuse: outside-schema
DO $$ BEGIN UPDATE pg_catalog.pg_class SET relname = 'x' WHERE oid = 1; END $$;
-- refuse: tracker-table
DO $$ BEGIN INSERT INTO public.schema_migrations (migration_name) VALUES ('999_fake.sql'); END $$;
-- refuse: default-privileges
DO $$ BEGIN ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO en_app; END $$;

-- Allowed: DO blocks that read the catalogs and change only expert_network.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'en_reader') THEN
        CREATE ROLE en_reader NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object THEN
        RAISE NOTICE 'role en_reader already exists (not in public)';
END
$$;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.tables
               WHERE table_schema = 'public' AND table_name = 'user') THEN
        RAISE NOTICE 'BetterAuth public.user is present';
    END IF;
END
$$;
DO LANGUAGE plpgsql 'BEGIN UPDATE expert_network.campaigns SET status = ''draft'' WHERE status IS NULL; END';
