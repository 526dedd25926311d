-- Refuse corpus 05: SQL-language function and procedure bodies. Every body form must be
-- looked into: '...' (with doubled quotes), E'...', U&'...', adjacent string literals joined by
-- a newline, $$...$$, $tag$...$tag$, BEGIN ATOMIC ... END, RETURN expr; plus signatures
-- (argument / return types, defaults) and SET search_path clauses.

-- refuse: touches-public
CREATE FUNCTION expert_network.user_email(p_user_id text) RETURNS text
LANGUAGE sql STABLE
AS 'SELECT email FROM public."user" WHERE id = p_user_id';
-- refuse: touches-public
CREATE FUNCTION expert_network.user_count() RETURNS bigint
LANGUAGE sql
AS 'SELECT count(*) FROM public.user WHERE email <> ''''';
-- refuse: touches-public
CREATE FUNCTION expert_network.purge_sessions_e() RETURNS void
LANGUAGE sql
AS E'DELETE FROM public.session WHERE token <> \'\'';
-- refuse: touches-public
CREATE FUNCTION expert_network.purge_sessions_u() RETURNS void
LANGUAGE sql
AS U&'DELETE FROM \0070ublic.session';
-- refuse: touches-public
CREATE FUNCTION expert_network.purge_sessions_split() RETURNS void
LANGUAGE sql
AS 'DELETE FROM '
   'public.session';
-- refuse: touches-public
CREATE OR REPLACE FUNCTION expert_network.purge_sessions() RETURNS void
LANGUAGE sql
AS $$ DELETE FROM public.session $$;
-- refuse: touches-public
CREATE FUNCTION expert_network.purge_sessions2() RETURNS void AS $fn$
    DELETE FROM public.session WHERE "expiresAt" < now();
$fn$ LANGUAGE sql;
-- refuse: touches-public
CREATE FUNCTION expert_network.purge_sessions3() RETURNS void LANGUAGE 'sql' AS $body$
    SELECT 1;  -- a harmless first statement
    UPDATE public."user" SET "emailVerified" = false;
$body$;
-- refuse: touches-public
CREATE FUNCTION expert_network.purge_sessions4() RETURNS void LANGUAGE SQL AS $outer$
    SELECT $inner$ not the body's end $outer $inner$;
    DELETE FROM public.verification;
$outer$;
-- refuse: touches-public
CREATE FUNCTION expert_network.session_count() RETURNS bigint
LANGUAGE sql
BEGIN ATOMIC
    SELECT count(*) FROM public.session;
END;
-- refuse: touches-public
CREATE FUNCTION expert_network.forget(p text) RETURNS void
LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO expert_network.audit_log (action) VALUES (p);
    DELETE FROM public.verification WHERE identifier = p;
END;
-- refuse: touches-public
CREATE FUNCTION expert_network.user_exists(p text) RETURNS boolean
LANGUAGE sql
RETURN EXISTS (SELECT 1 FROM public."user" WHERE id = p);
-- refuse: touches-public
CREATE FUNCTION expert_network.user_email2(p text) RETURNS text
LANGUAGE sql STABLE
RETURN (SELECT u.email FROM public."user" u WHERE u.id = p);
-- refuse: touches-public
CREATE PROCEDURE expert_network.wipe_sessions() LANGUAGE sql AS $$ TRUNCATE public.session $$;
-- refuse: touches-public
CREATE PROCEDURE expert_network.wipe_accounts() LANGUAGE sql BEGIN ATOMIC DELETE FROM public.account; END;
-- refuse: touches-public
CREATE FUNCTION expert_network.users_mirror() RETURNS SETOF public."user"
LANGUAGE sql AS $$ SELECT * FROM expert_network.users_copy $$;
-- refuse: touches-public
CREATE FUNCTION expert_network.email_of(u public."user") RETURNS text LANGUAGE sql AS $$ SELECT u.email $$;
-- refuse: touches-public
CREATE FUNCTION expert_network.tenant_or(p text DEFAULT public.current_tenant()) RETURNS text
LANGUAGE sql AS $$ SELECT p $$;
-- refuse: touches-public
CREATE FUNCTION expert_network.ci(p text) RETURNS public.citext LANGUAGE sql AS $$ SELECT p $$;
-- refuse: touches-public
CREATE FUNCTION expert_network.sp1() RETURNS text LANGUAGE sql
SET search_path = public
AS $$ SELECT 'x' $$;
-- refuse: touches-public
CREATE FUNCTION expert_network.sp2() RETURNS text LANGUAGE sql
SET search_path = "$user", public
AS $$ SELECT 'x' $$;
-- refuse: touches-public
CREATE FUNCTION expert_network.sp3() RETURNS text LANGUAGE sql
SET search_path TO expert_network, public, pg_catalog
AS $$ SELECT 'x' $$;
-- refuse: touches-public
CREATE FUNCTION expert_network.sp4() RETURNS text LANGUAGE sql
SET search_path = 'public'
AS $$ SELECT 'x' $$;
-- refuse: touches-public
CREATE FUNCTION expert_network.sp5() RETURNS text LANGUAGE sql
SET search_path = PUBLIC
AS $$ SELECT 'x' $$;
-- refuse: touches-public
CREATE FUNCTION expert_network.sp6() RETURNS text LANGUAGE sql
SET search_path = pg_catalog, "public"
AS $$ SELECT 'x' $$;
-- refuse: touches-public
ALTER FUNCTION expert_network.touch_updated_at() SET search_path = public;
-- refuse: touches-public
ALTER FUNCTION expert_network.touch_updated_at() SET search_path TO "$user", public;
-- refuse: touches-public
ALTER PROCEDURE expert_network.archive_campaigns() SET search_path = expert_network, public;
-- refuse: touches-public
CREATE FUNCTION expert_network.next_project_id() RETURNS bigint
LANGUAGE sql AS $$ SELECT nextval('public.project_id_seq') $$;
-- refuse: touches-public
CREATE FUNCTION expert_network.user_regclass() RETURNS regclass
LANGUAGE sql AS $$ SELECT 'public."user"'::regclass $$;
-- refuse: touches-public
CREATE FUNCTION expert_network.unaccented(p text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT public.unaccent(p) $$;
-- refuse: touches-public
CREATE FUNCTION public.expert_count() RETURNS bigint
LANGUAGE sql AS $$ SELECT count(*) FROM expert_network.experts $$;
-- refuse: touches-public
CREATE FUNCTION expert_network.campaigns_with_email() RETURNS TABLE (id uuid, email text)
LANGUAGE sql STABLE AS $$
    WITH u AS (SELECT id, email FROM public."user")
    SELECT c.id, u.email FROM expert_network.campaigns c JOIN u ON u.id = c.user_id
$$;
-- refuse: touches-public
-- refuse: unqualified-name
CREATE FUNCTION expert_network.import_team() RETURNS void LANGUAGE sql AS $$
    INSERT INTO team_members (user_id) SELECT id FROM public."user"
$$;

-- refuse: unqualified-name
CREATE FUNCTION expert_network.campaign_count() RETURNS bigint
LANGUAGE sql AS 'SELECT count(*) FROM campaigns';
-- refuse: unqualified-name
CREATE FUNCTION expert_network.expert_names() RETURNS SETOF text
LANGUAGE sql AS $$ SELECT name FROM experts $$;
-- refuse: unqualified-name
CREATE FUNCTION expert_network.interview_count() RETURNS bigint
LANGUAGE sql
BEGIN ATOMIC
    SELECT count(*) FROM interviews;
END;
-- refuse: unqualified-name
CREATE FUNCTION expert_network.campaign_exists(p uuid) RETURNS boolean
LANGUAGE sql RETURN EXISTS (SELECT 1 FROM campaigns WHERE id = p);
-- refuse: unqualified-name
CREATE FUNCTION expert_network.campaign_count2() RETURNS bigint
LANGUAGE sql
SET search_path = expert_network, pg_catalog
AS $$ SELECT count(*) FROM campaigns $$;
-- refuse: unqualified-name
CREATE FUNCTION expert_network.log_x() RETURNS void
LANGUAGE sql AS $$ INSERT INTO audit_log (action) VALUES ('x') $$;
-- refuse: unqualified-name
CREATE FUNCTION expert_network.first_email() RETURNS text
LANGUAGE sql AS $$ SELECT email FROM "user" LIMIT 1 $$;
-- refuse: unqualified-name
CREATE FUNCTION expert_network.recent_ids() RETURNS SETOF uuid LANGUAGE sql AS $$
    WITH recent AS (SELECT id FROM expert_network.campaigns ORDER BY created_at DESC LIMIT 10)
    SELECT r.id FROM recent r JOIN experts e ON e.campaign_id = r.id
$$;

-- refuse: outside-schema
CREATE FUNCTION expert_network.wipe_chat() RETURNS void LANGUAGE sql AS $$ DELETE FROM chat.messages $$;
-- refuse: outside-schema
CREATE FUNCTION other_app.helper() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
-- refuse: tracker-table
CREATE FUNCTION expert_network.forget_migrations() RETURNS void
LANGUAGE sql AS $$ DELETE FROM public.schema_migrations $$;
-- refuse: session-state
CREATE FUNCTION expert_network.reset_path() RETURNS text
LANGUAGE sql AS $$ SELECT set_config('search_path', 'expert_network', false) $$;
-- refuse: file-access
CREATE FUNCTION expert_network.passwd() RETURNS text
LANGUAGE sql AS $$ SELECT pg_read_file('/etc/passwd') $$;

-- Allowed: bodies that only mention public in literals, read the catalogs, or touch expert_network.
CREATE FUNCTION expert_network.ok_label() RETURNS text
LANGUAGE sql IMMUTABLE AS 'SELECT ''public.user''::text';
CREATE FUNCTION expert_network.ok_count() RETURNS bigint
LANGUAGE sql STABLE SET search_path = pg_catalog
AS $$ SELECT count(*) FROM expert_network.campaigns $$;
CREATE FUNCTION expert_network.ok_public_tables() RETURNS SETOF text
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public';
END;
CREATE FUNCTION expert_network.ok_return(p text) RETURNS boolean
LANGUAGE sql IMMUTABLE RETURN p = 'public';
