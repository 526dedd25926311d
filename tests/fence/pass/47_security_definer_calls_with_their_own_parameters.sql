-- Pass corpus 47: SECURITY DEFINER functions written the Supabase way (`SET search_path = ''`, every
-- name qualified) that call the schema's own functions with their own parameters and DECLAREd
-- variables, as Cap-go's RBAC checks, basejump's account helpers and graphile starter's
-- organization functions do (re-homed into expert_network). Each argument's type is declared in the
-- migration and equals the callee's parameter type exactly, so no overload the application's role
-- adds can match better: one with the same list cannot be created, one with an extra defaulted
-- parameter makes the call ambiguous (an error), a VARIADIC one loses to the plain one (PG 15). In
-- PL/pgSQL a column that clashes with a variable is an error under the default
-- `variable_conflict`, which no caller may change (PG 15: permission denied); an SQL body names
-- its parameters here only where no relation's columns are in scope.

CREATE TABLE expert_network.pass_orgs (
    id         uuid PRIMARY KEY,
    created_by uuid NOT NULL,
    name       text NOT NULL
);

CREATE TABLE expert_network.pass_org_members (
    org_id  uuid NOT NULL REFERENCES expert_network.pass_orgs (id),
    user_id uuid NOT NULL,
    role    text NOT NULL DEFAULT 'member',
    rank    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, user_id)
);

CREATE FUNCTION expert_network.pass_is_member_of_org(user_id uuid, org_id uuid)
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = ''
AS $$
    SELECT EXISTS (
        SELECT 1 FROM expert_network.pass_org_members m
        WHERE m.user_id OPERATOR(pg_catalog.=) $1 AND m.org_id OPERATOR(pg_catalog.=) $2
    )
$$;

CREATE FUNCTION expert_network.pass_has_role(p_user uuid, p_org uuid, p_role text, p_min_rank integer DEFAULT 0)
RETURNS boolean LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT pg_catalog.count(*) OPERATOR(pg_catalog.>) 0 FROM expert_network.pass_org_members m
    WHERE (m.user_id, m.org_id, m.role) OPERATOR(pg_catalog.=) ROW(p_user, p_org, p_role)
      AND m.rank OPERATOR(pg_catalog.>=) p_min_rank
$$;

CREATE FUNCTION expert_network.pass_log_decision(decision text, VARIADIC details text[])
RETURNS void
LANGUAGE sql
SET search_path = ''
AS $$ SELECT NULL::void $$;

-- An SQL definer passing its parameters by name, by position and qualified by its name, in
-- statements without a FROM item.
CREATE FUNCTION expert_network.pass_can_see_org(user_id uuid, org_id uuid)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    SELECT expert_network.pass_is_member_of_org(user_id, org_id)
        OR expert_network.pass_is_member_of_org($1, pass_can_see_org.org_id)
$$;

-- A PL/pgSQL definer: parameters, DECLAREd variables, an integer literal, a defaulted parameter
-- left out or given, a VARIADIC list passed with VARIADIC; some inside queries with a FROM item.
CREATE FUNCTION expert_network.pass_rename_org(p_user uuid, p_org uuid, p_name text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_role pg_catalog.text := 'admin';
    v_rank pg_catalog.int4;
    v_notes pg_catalog.text[];
BEGIN
    IF NOT expert_network.pass_is_member_of_org(p_user, p_org) THEN
        RAISE EXCEPTION 'not a member';
    END IF;
    SELECT m.rank INTO v_rank
    FROM expert_network.pass_org_members m
    WHERE expert_network.pass_has_role(p_user, p_org, v_role)
      AND m.user_id OPERATOR(pg_catalog.=) p_user AND m.org_id OPERATOR(pg_catalog.=) p_org;
    IF NOT expert_network.pass_has_role(p_user, p_org, v_role, 10) THEN
        v_notes := pg_catalog.array_append(v_notes, p_name);
        PERFORM expert_network.pass_log_decision(v_role, VARIADIC v_notes);
    END IF;
    UPDATE expert_network.pass_orgs o SET name = p_name
    WHERE o.id OPERATOR(pg_catalog.=) p_org AND expert_network.pass_has_role(p_user, p_org, v_role, v_rank);
    RETURN p_name;
END
$$;

-- The re-definition pattern: dropped, then created again with the same name and a new body.
DROP FUNCTION expert_network.pass_is_member_of_org(uuid, uuid);

CREATE FUNCTION expert_network.pass_is_member_of_org(user_id uuid, org_id uuid)
RETURNS boolean LANGUAGE plpgsql STABLE SET search_path = '' AS $$
BEGIN
    RETURN EXISTS (SELECT FROM expert_network.pass_org_members m
                   WHERE m.user_id OPERATOR(pg_catalog.=) $1 AND m.org_id OPERATOR(pg_catalog.=) $2);
END
$$;
