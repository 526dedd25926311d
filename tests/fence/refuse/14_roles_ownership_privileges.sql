-- Refuse corpus 14: privileges on public objects and on SCHEMA public, ownership bulk operations,
-- default privileges outside expert_network, and role management beyond a plain CREATE ROLE.

-- Allowed: plain roles and privileges on expert_network objects.
CREATE ROLE en_reader NOLOGIN;
CREATE ROLE en_app LOGIN PASSWORD 'dev-only';
GRANT USAGE ON SCHEMA expert_network TO en_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA expert_network TO en_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON expert_network.campaigns TO en_app;
REVOKE DELETE ON expert_network.campaigns FROM en_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA expert_network TO en_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA expert_network GRANT SELECT ON TABLES TO en_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE en_app IN SCHEMA expert_network GRANT SELECT ON TABLES TO en_reader;

-- refuse: touches-public
GRANT SELECT ON public."user" TO en_reader;
-- refuse: touches-public
GRANT SELECT (id, email) ON public."user" TO en_reader;
-- refuse: touches-public
GRANT ALL PRIVILEGES ON TABLE public.session TO en_app;
-- refuse: touches-public
GRANT SELECT ON expert_network.campaigns, public.account TO en_reader;
-- refuse: touches-public
GRANT SELECT ON ALL TABLES IN SCHEMA public TO en_reader;
-- refuse: touches-public
GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO en_app;
-- refuse: touches-public
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA expert_network, public TO en_app;
-- refuse: touches-public
GRANT USAGE ON SCHEMA public TO en_app;
-- refuse: touches-public
GRANT CREATE ON SCHEMA public TO en_app;
-- refuse: touches-public
GRANT ALL ON SCHEMA expert_network, public TO en_app;
-- refuse: touches-public
REVOKE ALL ON SCHEMA public FROM en_app;
-- refuse: touches-public
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- refuse: touches-public
REVOKE ALL ON public."user" FROM en_reader CASCADE;
-- refuse: touches-public
GRANT USAGE, SELECT ON SEQUENCE public.project_id_seq TO en_app;
-- refuse: touches-public
GRANT EXECUTE ON FUNCTION public.set_updated_at() TO en_app;
-- refuse: touches-public
GRANT EXECUTE ON PROCEDURE public.cleanup_sessions() TO en_app;
-- refuse: touches-public
GRANT USAGE ON TYPE public.chat_role TO en_app;
-- refuse: touches-public
GRANT USAGE ON DOMAIN public.email TO en_app;
-- refuse: touches-public
ALTER TABLE public."user" OWNER TO en_app;
-- refuse: touches-public
ALTER FUNCTION public.set_updated_at() OWNER TO en_app;

-- refuse: ownership
DROP OWNED BY en_app;
-- refuse: ownership
DROP OWNED BY en_app, en_reader CASCADE;
-- refuse: ownership
DROP OWNED BY CURRENT_USER;
-- refuse: ownership
REASSIGN OWNED BY en_app TO postgres;
-- refuse: ownership
REASSIGN OWNED BY postgres TO en_app;
-- refuse: ownership
REASSIGN OWNED BY SESSION_USER TO en_reader;

-- refuse: default-privileges
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO en_reader;
-- refuse: default-privileges
ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT ALL ON TABLES TO en_app;
-- refuse: default-privileges
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
-- refuse: default-privileges
ALTER DEFAULT PRIVILEGES FOR USER en_app GRANT USAGE ON TYPES TO en_reader;
-- refuse: default-privileges
ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO en_app;
-- refuse: default-privileges
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO en_reader;
-- refuse: default-privileges
ALTER DEFAULT PRIVILEGES IN SCHEMA other_app GRANT SELECT ON TABLES TO en_reader;
-- refuse: default-privileges
ALTER DEFAULT PRIVILEGES IN SCHEMA expert_network, public GRANT USAGE ON SEQUENCES TO en_app;

-- refuse: roles
CREATE ROLE en_root SUPERUSER;
-- refuse: roles
CREATE ROLE en_root2 WITH LOGIN SUPERUSER PASSWORD 'x';
-- refuse: roles
CREATE USER en_admin CREATEROLE;
-- refuse: roles
CREATE ROLE en_dbmaker CREATEDB;
-- refuse: roles
CREATE ROLE en_repl REPLICATION LOGIN;
-- refuse: roles
CREATE ROLE en_norls BYPASSRLS;
-- refuse: roles
CREATE GROUP en_group WITH SUPERUSER;
-- refuse: roles
CREATE ROLE en_member IN ROLE pg_read_server_files;
-- refuse: roles
CREATE ROLE en_boss ROLE postgres;
-- refuse: roles
CREATE ROLE en_adm ADMIN en_app;
-- refuse: roles
ALTER ROLE en_app SUPERUSER;
-- refuse: roles
ALTER ROLE en_app WITH CREATEROLE CREATEDB;
-- refuse: roles
ALTER ROLE en_app PASSWORD 'changed';
-- refuse: roles
ALTER ROLE en_app RENAME TO en_app_old;
-- refuse: roles
ALTER USER en_app NOLOGIN;
-- refuse: roles
ALTER ROLE postgres NOSUPERUSER;
-- refuse: roles
ALTER GROUP en_group ADD USER en_app;
-- refuse: roles
ALTER GROUP en_group DROP USER en_app;
-- refuse: roles
DROP ROLE en_app;
-- refuse: roles
DROP ROLE IF EXISTS en_reader, en_app;
-- refuse: roles
DROP USER en_app2;
-- refuse: roles
DROP GROUP en_group;
-- refuse: roles
GRANT en_reader TO en_app;
-- refuse: roles
GRANT pg_read_server_files TO en_app;
-- refuse: roles
GRANT pg_execute_server_program TO en_app WITH ADMIN OPTION;
-- refuse: roles
GRANT postgres TO en_app;
-- refuse: roles
GRANT en_reader TO en_app WITH INHERIT TRUE, SET FALSE;
-- refuse: roles
REVOKE en_reader FROM en_app;
-- refuse: roles
REVOKE ADMIN OPTION FOR en_reader FROM en_app;
