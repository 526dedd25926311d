-- Refuse corpus 35 (issue 11, class 8, the static part): role attributes, memberships and role
-- settings. The app role made SUPERUSER, given CREATEROLE, BYPASSRLS or REPLICATION, or a setting
-- that every later session of the role inherits. Proven with psql on PG 15 as the runner's superuser.

-- refuse: roles
ALTER ROLE raguser SUPERUSER;
-- refuse: roles
ALTER ROLE raguser WITH CREATEROLE BYPASSRLS;
-- refuse: roles
ALTER USER raguser REPLICATION;
-- refuse: session-state
ALTER ROLE CURRENT_USER SET search_path = public;
-- refuse: session-state
ALTER ROLE ALL SET track_counts = off;
-- refuse: roles
GRANT pg_read_all_data TO raguser;
-- refuse: roles
GRANT pg_write_all_data TO expert_network_readonly;
-- refuse: roles
CREATE ROLE pp_admin SUPERUSER;
-- refuse: roles
CREATE ROLE pp_ops IN ROLE pg_signal_backend;
-- refuse: roles
CREATE USER pp_copy WITH BYPASSRLS;
-- refuse: roles
DO $$
BEGIN
    ALTER ROLE raguser SUPERUSER;
END
$$;
-- refuse: roles
CREATE FUNCTION expert_network.pp_promote() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    ALTER ROLE raguser CREATEROLE;
END
$$;
