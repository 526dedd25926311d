-- Refuse corpus 16: public.schema_migrations is en-migrate's own tracker table. Only en-migrate
-- writes it; a migration that forges, deletes or reshapes history must be refused with the
-- more specific rule tracker-table (it is also in public).

-- refuse: tracker-table
INSERT INTO public.schema_migrations (migration_name) VALUES ('003_fake.sql');
-- refuse: tracker-table
INSERT INTO public.schema_migrations (migration_name, applied_at)
SELECT '004_' || n || '.sql', now() FROM generate_series(1, 3) AS n;
-- refuse: tracker-table
UPDATE public.schema_migrations SET applied_at = now()
WHERE migration_name = '001_create_expert_network_schema.sql';
-- refuse: tracker-table
DELETE FROM public.schema_migrations WHERE migration_name LIKE '002%';
-- refuse: tracker-table
DELETE FROM public.schema_migrations;
-- refuse: tracker-table
TRUNCATE public.schema_migrations;
-- refuse: tracker-table
TRUNCATE TABLE public.schema_migrations RESTART IDENTITY;
-- refuse: tracker-table
DROP TABLE public.schema_migrations;
-- refuse: tracker-table
DROP TABLE IF EXISTS public.schema_migrations CASCADE;
-- refuse: tracker-table
CREATE TABLE IF NOT EXISTS public.schema_migrations (
    id             serial PRIMARY KEY,
    migration_name varchar(255) UNIQUE NOT NULL,
    applied_at     timestamp DEFAULT now()
);
-- refuse: tracker-table
ALTER TABLE public.schema_migrations ADD COLUMN checksum text;
-- refuse: tracker-table
ALTER TABLE public.schema_migrations RENAME TO schema_migrations_old;
-- refuse: tracker-table
ALTER TABLE public.schema_migrations DISABLE TRIGGER ALL;
-- refuse: tracker-table
ALTER TABLE public.schema_migrations SET SCHEMA expert_network;
-- refuse: tracker-table
LOCK TABLE public.schema_migrations IN ACCESS EXCLUSIVE MODE;
-- refuse: tracker-table
INSERT INTO "public"."schema_migrations" (migration_name) VALUES ('x.sql');
-- refuse: tracker-table
DELETE FROM PUBLIC.SCHEMA_MIGRATIONS;
-- refuse: tracker-table
UPDATE U&"\0070ublic".U&"schema\005Fmigrations" SET migration_name = 'x.sql';
-- refuse: tracker-table
WITH d AS (DELETE FROM public.schema_migrations RETURNING *) SELECT count(*) FROM d;
-- refuse: tracker-table
INSERT INTO public.schema_migrations (migration_name)
SELECT name FROM expert_network.pending_migrations
ON CONFLICT (migration_name) DO NOTHING;
-- refuse: tracker-table
MERGE INTO public.schema_migrations m
USING (VALUES ('005.sql')) AS v (name) ON m.migration_name = v.name
WHEN NOT MATCHED THEN INSERT (migration_name) VALUES (v.name);
-- refuse: tracker-table
SELECT migration_name FROM public.schema_migrations ORDER BY id;
-- refuse: tracker-table
UPDATE expert_network.campaigns c SET notes = m.migration_name FROM public.schema_migrations m;
-- refuse: tracker-table
CREATE TRIGGER sm_guard BEFORE DELETE ON public.schema_migrations
    FOR EACH ROW EXECUTE FUNCTION expert_network.noop();
-- refuse: tracker-table
CREATE RULE sm_noop AS ON INSERT TO public.schema_migrations DO INSTEAD NOTHING;
-- refuse: tracker-table
GRANT INSERT, DELETE ON public.schema_migrations TO en_app;
-- refuse: tracker-table
COMMENT ON TABLE public.schema_migrations IS 'rewritten';
-- refuse: tracker-table
CREATE FUNCTION expert_network.tt_delete() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM public.schema_migrations WHERE migration_name = '002_seed_vendor_platforms.sql';
END;
$$;
-- refuse: tracker-table
CREATE FUNCTION expert_network.tt_forge() RETURNS void LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO public.schema_migrations (migration_name) VALUES ('999.sql');
END;
-- refuse: tracker-table
DO $$ BEGIN UPDATE public.schema_migrations SET applied_at = now(); END $$;
-- refuse: tracker-table
COPY public.schema_migrations TO STDOUT;
-- refuse: tracker-table
-- refuse: file-access
COPY public.schema_migrations FROM '/tmp/fake_history.csv';
-- refuse: touches-public
ALTER TABLE expert_network.schema_migrations SET SCHEMA public;
-- refuse: touches-public
SELECT setval('public.schema_migrations_id_seq', 1, false);
-- refuse: touches-public
DELETE FROM public."Schema_Migrations";
-- refuse: unqualified-name
INSERT INTO schema_migrations (migration_name) VALUES ('x.sql');
-- refuse: unqualified-name
DELETE FROM "schema_migrations";

-- Allowed: expert_network's own tables may carry similar names; literals may name the tracker.
CREATE TABLE expert_network.schema_migrations (id integer PRIMARY KEY, note text);
CREATE TABLE expert_network.migration_notes (migration_name text PRIMARY KEY, note text);
COMMENT ON TABLE expert_network.migration_notes IS 'Keyed by public.schema_migrations.migration_name';
SELECT 'public.schema_migrations'::text;
-- refuse: catalog-data
SELECT count(*) FROM pg_catalog.pg_stat_user_tables WHERE schemaname = 'public' AND relname = 'schema_migrations';
