-- Refuse corpus 24: creating or changing functions, procedures, types, domains, sequences,
-- aggregates, operators, collations, text search objects and conversions in public (replacing
-- a shared public function would hijack other apps' triggers), and names of public objects
-- passed as strings to regclass-style inputs: nextval / setval / currval('public.x'),
-- 'public.x'::regclass, regproc, regtype, regnamespace.

-- refuse: touches-public
CREATE FUNCTION public.expert_count() RETURNS bigint
LANGUAGE sql AS $$ SELECT count(*) FROM expert_network.experts $$;
-- refuse: touches-public
CREATE OR REPLACE FUNCTION public.set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."updatedAt" := now();
    RETURN NEW;
END;
$$;
-- refuse: touches-public
CREATE PROCEDURE public.en_cleanup() LANGUAGE sql AS $$ DELETE FROM expert_network.audit_log $$;
-- refuse: touches-public
CREATE TYPE public.campaign_status AS ENUM ('draft', 'active', 'closed');
-- refuse: touches-public
CREATE TYPE public.money_range AS RANGE (subtype = numeric);
-- refuse: touches-public
CREATE TYPE public.expert_ref AS (id uuid, name text);
-- refuse: touches-public
CREATE TYPE expert_network.user_ref AS (u public."user", note text);
-- refuse: touches-public
ALTER TYPE public.chat_role ADD VALUE 'expert';
-- refuse: touches-public
ALTER TYPE public.chat_role RENAME VALUE 'user' TO 'member';
-- refuse: touches-public
CREATE DOMAIN public.email AS text CHECK (VALUE ~ '@');
-- refuse: touches-public
CREATE DOMAIN expert_network.email AS public.citext;
-- refuse: touches-public
CREATE DOMAIN expert_network.user_ref_id AS text CHECK (public.is_valid_user(VALUE));
-- refuse: touches-public
ALTER DOMAIN public.email DROP CONSTRAINT email_check;
-- refuse: touches-public
CREATE SEQUENCE public.expert_seq;
-- refuse: touches-public
CREATE SEQUENCE IF NOT EXISTS "public"."invoice_seq" START 1000;
-- refuse: touches-public
ALTER SEQUENCE public.project_id_seq RESTART WITH 1;
-- refuse: touches-public
CREATE AGGREGATE public.concat_all (text) (sfunc = textcat, stype = text);
-- refuse: touches-public
CREATE AGGREGATE expert_network.concat_all2 (text) (sfunc = public.my_textcat, stype = text);
-- refuse: touches-public
CREATE OPERATOR public.=== (leftarg = text, rightarg = text, function = texteq);
-- refuse: touches-public
CREATE OPERATOR expert_network.=== (leftarg = text, rightarg = text, function = public.texteq_ci);
-- refuse: touches-public
CREATE COLLATION public.case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
-- refuse: touches-public
CREATE TEXT SEARCH CONFIGURATION public.expert_fts (COPY = pg_catalog.english);
-- refuse: touches-public
CREATE TEXT SEARCH DICTIONARY public.expert_dict (TEMPLATE = pg_catalog.simple);
-- refuse: touches-public
CREATE CONVERSION public.en_latin1 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
-- refuse: touches-public
DROP AGGREGATE public.concat_all (text);
-- refuse: touches-public
DROP OPERATOR public.=== (text, text);
-- refuse: touches-public
DROP DOMAIN public.email;
-- refuse: touches-public
DROP PROCEDURE public.cleanup_sessions();
-- refuse: touches-public
DROP ROUTINE public.set_updated_at;
-- refuse: touches-public
ALTER FUNCTION public.set_updated_at() RENAME TO set_updated_at_old;
-- refuse: touches-public
ALTER FUNCTION public.set_updated_at() SECURITY DEFINER;
-- refuse: touches-public
ALTER ROUTINE public.set_updated_at() SET search_path = expert_network;

-- refuse: touches-public
SELECT nextval('public.project_id_seq');
-- refuse: touches-public
SELECT pg_catalog.nextval('"public"."project_id_seq"');
-- refuse: touches-public
SELECT nextval('PUBLIC.PROJECT_ID_SEQ');
-- refuse: touches-public
SELECT setval('public.chat_messages_id_seq', 1, false);
-- refuse: touches-public
SELECT currval('public.project_id_seq');
-- refuse: touches-public
SELECT nextval('public.project_id_seq'::regclass);
-- refuse: touches-public
INSERT INTO expert_network.invoices (id) VALUES (nextval('public.project_id_seq'));
-- refuse: touches-public
ALTER TABLE expert_network.invoices ALTER COLUMN id SET DEFAULT nextval('public.project_id_seq');
-- refuse: touches-public
CREATE TABLE expert_network.wrong_seq (id bigint DEFAULT nextval('public.project_id_seq'::regclass) PRIMARY KEY);
-- refuse: touches-public
SELECT 'public."user"'::regclass;
-- refuse: touches-public
SELECT 'public.user'::regclass::oid;
-- refuse: touches-public
SELECT 'PUBLIC.SESSION'::pg_catalog.regclass;
-- refuse: touches-public
SELECT CAST('public.account' AS regclass);
-- refuse: touches-public
SELECT regclass 'public.verification';
-- refuse: touches-public
SELECT 'public.documents'::regclass::text;
-- refuse: touches-public
SELECT 'public.set_updated_at()'::regprocedure;
-- refuse: touches-public
SELECT 'public.set_updated_at'::regproc;
-- refuse: touches-public
SELECT 'public.chat_role'::regtype;
-- refuse: touches-public
SELECT 'public'::regnamespace;
-- refuse: touches-public
SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relnamespace = 'public'::regnamespace;

-- Allowed: the same functions and casts on expert_network names, and public as plain text.
SELECT 'public.user'::text;
SELECT nextval('expert_network.invoice_seq');
SELECT 'expert_network.campaigns'::regclass;
SELECT pg_catalog.format('%I.%I', 'public', 'user');
SELECT c.relname FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public';
