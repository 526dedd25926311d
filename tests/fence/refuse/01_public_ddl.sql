-- Refuse corpus 01: DDL that creates, alters, drops or maintains objects in schema public,
-- or moves expert_network objects into it. BetterAuth's tables ("user", session, account,
-- verification) and other apps' tables (chats, documents, chunks, ...) live there.

-- refuse: touches-public
CREATE TABLE public.expert_notes (id uuid PRIMARY KEY, body text);
-- refuse: touches-public
CREATE TABLE IF NOT EXISTS public.campaigns (id uuid PRIMARY KEY, user_id text NOT NULL);
-- refuse: touches-public
CREATE UNLOGGED TABLE public.scratch (id integer);
-- refuse: touches-public
CREATE TABLE public.campaigns_copy AS SELECT * FROM expert_network.campaigns;
-- refuse: touches-public
SELECT * INTO public.campaigns_backup FROM expert_network.campaigns;
-- refuse: touches-public
CREATE TABLE public.user_extra (LIKE expert_network.campaigns INCLUDING ALL);
-- refuse: touches-public
ALTER TABLE public."user" ADD COLUMN expert_role text;
-- refuse: touches-public
ALTER TABLE public."user" DROP COLUMN email;
-- refuse: touches-public
ALTER TABLE public."user" ALTER COLUMN email TYPE varchar(64);
-- refuse: touches-public
ALTER TABLE public."user" ALTER COLUMN "emailVerified" SET DEFAULT true;
-- refuse: touches-public
ALTER TABLE public.session RENAME TO session_old;
-- refuse: touches-public
ALTER TABLE public.session RENAME COLUMN token TO session_token;
-- refuse: touches-public
ALTER TABLE IF EXISTS public.account
    ADD CONSTRAINT account_provider_chk CHECK ("providerId" <> '');
-- refuse: touches-public
ALTER TABLE public.verification DROP CONSTRAINT verification_pkey;
-- refuse: touches-public
ALTER TABLE public.documents OWNER TO en_migrator;
-- refuse: touches-public
ALTER TABLE public.chat_messages SET SCHEMA expert_network;
-- refuse: touches-public
ALTER TABLE public.chunks SET UNLOGGED;
-- refuse: touches-public
ALTER TABLE public.collections DISABLE TRIGGER ALL;
-- refuse: touches-public
ALTER TABLE public."user" ENABLE ROW LEVEL SECURITY;
-- refuse: touches-public
ALTER TABLE public.session FORCE ROW LEVEL SECURITY;
-- refuse: touches-public
ALTER TABLE ONLY public.project ALTER COLUMN name SET NOT NULL;
-- refuse: touches-public
ALTER TABLE expert_network.campaigns SET SCHEMA public;
-- refuse: touches-public
ALTER VIEW expert_network.campaign_summary SET SCHEMA public;
-- refuse: touches-public
ALTER MATERIALIZED VIEW expert_network.expert_stats SET SCHEMA public;
-- refuse: touches-public
ALTER SEQUENCE expert_network.invoice_seq SET SCHEMA public;
-- refuse: touches-public
ALTER TYPE expert_network.campaign_status SET SCHEMA public;
-- refuse: touches-public
ALTER DOMAIN expert_network.email_address SET SCHEMA public;
-- refuse: touches-public
ALTER FUNCTION expert_network.touch_updated_at() SET SCHEMA public;
-- refuse: touches-public
ALTER PROCEDURE expert_network.archive_campaigns() SET SCHEMA public;
-- refuse: touches-public
ALTER STATISTICS expert_network.campaign_stats SET SCHEMA public;
-- refuse: touches-public
DROP TABLE public.session;
-- refuse: touches-public
DROP TABLE IF EXISTS public."user" CASCADE;
-- refuse: touches-public
DROP TABLE expert_network.scratch, public.verification;
-- refuse: touches-public
DROP VIEW public.user_overview;
-- refuse: touches-public
DROP MATERIALIZED VIEW IF EXISTS public.document_stats;
-- refuse: touches-public
DROP INDEX public.session_token_idx;
-- refuse: touches-public
DROP SEQUENCE public.project_id_seq;
-- refuse: touches-public
DROP TYPE public.chat_role;
-- refuse: touches-public
DROP FUNCTION public.set_updated_at();
-- refuse: touches-public
DROP TRIGGER set_updated_at ON public.project;
-- refuse: touches-public
DROP POLICY org_isolation ON public.organization;
-- refuse: touches-public
DROP RULE protect_user ON public."user";
-- refuse: touches-public
CREATE INDEX ON public.session (token);
-- refuse: touches-public
CREATE UNIQUE INDEX session_user_idx ON public.session ("userId", "expiresAt");
-- refuse: touches-public
CREATE INDEX documents_fts_idx ON public.documents USING gin (to_tsvector('english', content));
-- refuse: touches-public
CREATE INDEX campaigns_title_trgm ON expert_network.campaigns USING gin (title public.gin_trgm_ops);
-- refuse: touches-public
ALTER INDEX public.session_token_key RENAME TO session_token_uq;
-- refuse: touches-public
TRUNCATE public.session;
-- refuse: touches-public
TRUNCATE TABLE expert_network.scratch, public.verification RESTART IDENTITY;
-- refuse: touches-public
TRUNCATE ONLY public.chat_messages CASCADE;
-- refuse: touches-public
LOCK TABLE public."user" IN ACCESS EXCLUSIVE MODE;
-- refuse: touches-public
LOCK expert_network.campaigns, public.session IN SHARE MODE NOWAIT;
-- refuse: touches-public
CLUSTER public.session USING session_pkey;
-- refuse: touches-public
VACUUM FULL public.chunks;
-- refuse: touches-public
VACUUM (ANALYZE, VERBOSE) public."user" (email);
-- refuse: touches-public
ANALYZE public.documents;
-- refuse: touches-public
ANALYZE expert_network.campaigns, public.session;
-- refuse: touches-public
REINDEX TABLE public.session;
-- refuse: touches-public
REINDEX INDEX public.session_token_key;
-- refuse: touches-public
REINDEX SCHEMA public;
-- refuse: touches-public
REFRESH MATERIALIZED VIEW public.document_stats;
-- refuse: touches-public
COMMENT ON TABLE public."user" IS 'owned by expert_network now';
-- refuse: touches-public
COMMENT ON COLUMN public."user".email IS 'pii';
-- refuse: touches-public
COMMENT ON SCHEMA public IS 'standard public schema';
-- refuse: touches-public
COMMENT ON INDEX public.session_token_key IS NULL;
-- refuse: touches-public
COMMENT ON CONSTRAINT session_pkey ON public.session IS 'primary key';
-- refuse: touches-public
COMMENT ON FUNCTION public.set_updated_at() IS 'shared trigger function';
-- refuse: touches-public
SECURITY LABEL FOR selinux ON TABLE public."user" IS 'system_u:object_r:sepgsql_table_t:s0';
-- refuse: touches-public
SECURITY LABEL ON SCHEMA public IS 'system_u:object_r:sepgsql_schema_t:s0';
-- refuse: touches-public
CREATE SCHEMA public;
-- refuse: touches-public
CREATE SCHEMA IF NOT EXISTS public AUTHORIZATION en_migrator;
-- refuse: touches-public
DROP SCHEMA public CASCADE;
-- refuse: touches-public
DROP SCHEMA IF EXISTS public RESTRICT;
-- refuse: touches-public
ALTER SCHEMA public RENAME TO public_old;
-- refuse: touches-public
ALTER SCHEMA public OWNER TO en_migrator;
-- refuse: touches-public
ALTER SCHEMA expert_network RENAME TO public;
-- refuse: touches-public
CREATE STATISTICS public.campaign_stats ON status, user_id FROM expert_network.campaigns;
-- refuse: touches-public
CREATE STATISTICS expert_network.user_stats (dependencies) ON email, name FROM public."user";
-- refuse: touches-public
ALTER STATISTICS public.user_stats SET STATISTICS 1000;
-- refuse: touches-public
DROP STATISTICS public.user_stats;
-- refuse: touches-public
CREATE TABLE expert_network.campaign_users (campaign_id uuid, u public."user");
-- refuse: touches-public
CREATE TABLE expert_network.contacts (
    id    uuid PRIMARY KEY DEFAULT public.uuid_generate_v4(),
    email text
);
-- refuse: touches-public
CREATE TABLE expert_network.contacts2 (id uuid PRIMARY KEY, email public.citext NOT NULL);
-- refuse: touches-public
ALTER TABLE expert_network.campaigns ADD COLUMN owner_email public.citext;
-- refuse: touches-public
ALTER TABLE expert_network.campaigns ALTER COLUMN id SET DEFAULT public.gen_random_uuid();
-- refuse: touches-public
ALTER TABLE expert_network.campaigns ALTER COLUMN title TYPE text COLLATE public.case_insensitive;
