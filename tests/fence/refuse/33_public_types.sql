-- Refuse corpus 33 (issue 11, class 6): a dependency on public's types, through columns, arrays, row
-- types, casts and SETOF. Written without `public.` they resolve through the pinned search_path to
-- nothing (and fail) -- but once any search_path escape lets `public` in, they bind expert_network
-- to another application's type, which then cannot change without breaking expert_network.
-- Proven with psql on PG 15: public."user" and public.chats are composite types there.

-- refuse: touches-public
CREATE TABLE expert_network.pp_shadow (u public."user");
-- refuse: touches-public
CREATE TABLE expert_network.pp_shadow_list (us public."user"[]);
-- refuse: touches-public
ALTER TABLE expert_network.experts ADD COLUMN pp_chat public.chats;
-- refuse: touches-public
CREATE FUNCTION expert_network.pp_users() RETURNS SETOF public."user" LANGUAGE sql AS $$ SELECT NULL::public."user" $$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pp_take(u public.session) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
-- refuse: touches-public
CREATE TYPE expert_network.pp_pair AS (a int, b public.chats);
-- refuse: touches-public
CREATE DOMAIN expert_network.pp_chat_domain AS public.chats;
-- refuse: touches-public
SELECT NULL::"public"."user";
-- refuse: touches-public
CREATE VIEW expert_network.pp_v AS SELECT CAST(NULL AS public.session) AS s;
-- refuse: touches-public
DO $$
DECLARE
    r public."user";
BEGIN
    NULL;
END
$$;
