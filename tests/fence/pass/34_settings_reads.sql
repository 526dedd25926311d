-- Pass corpus 34 (issue 11, class 7's other side): settings any role may read, named by a literal, as
-- migrations and Supabase/PostgREST policies read them. Applied with psql on PG 15.

DO $$
BEGIN
    IF pg_catalog.current_setting('server_version_num')::int < 130000 THEN
        RAISE EXCEPTION 'expert_network needs PostgreSQL 13 or newer';
    END IF;
END
$$;

SHOW lock_timeout;

CREATE FUNCTION expert_network.request_user_id() RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT pg_catalog.current_setting('request.jwt.claim.sub', true) $$;
