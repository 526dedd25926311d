-- Pass corpus 74: a sqitch deploy script that sets the search_path to its schema, then creates every
-- object unqualified, as Tamarou/Registry (commit 6cf43ab0c5944467701ad10cef52440a1be662bb) writes in
-- sql/deploy/users.sql (`CREATE SCHEMA registry; GRANT SELECT ON ALL TABLES IN SCHEMA registry TO
-- public; SET search_path TO registry, public; CREATE TABLE IF NOT EXISTS users (...)`) and
-- sql/deploy/workflows.sql (`SET search_path TO registry; CREATE TABLE IF NOT EXISTS workflows (...)`,
-- `REFERENCES workflows`, `REFERENCES workflow_steps`), each inside sqitch's `BEGIN;` ... `COMMIT;`.
-- Re-homed into expert_network: the schema renamed (`CREATE SCHEMA IF NOT EXISTS expert_network`, and
-- `SET search_path TO expert_network` without public, which the fence refuses), the grant to corpus 10's
-- role instead of PUBLIC (which the fence accepts too: kept out of the shared test database), names prefixed pp_rg_,
-- the two deploy scripts one after the other in one file, the rest as Registry wrote it. The fence
-- refused every CREATE as "table users is not schema-qualified"; under a path the file set itself
-- with expert_network first the server creates there (psql on PG 15: all six tables in
-- expert_network; with the schema dropped, "no schema has been selected to create in"). Under the
-- pinned path alone an unqualified CREATE stays refused (refuse corpus 04). Last, a grant of a function named
-- unqualified (see the end).
BEGIN;

SET client_min_messages = 'warning';

CREATE SCHEMA IF NOT EXISTS expert_network;
GRANT SELECT ON ALL TABLES IN SCHEMA expert_network TO en_pass_reader;

SET search_path TO expert_network;

CREATE TABLE IF NOT EXISTS pp_rg_users (
    id uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    username text UNIQUE NOT NULL,
    passhash text NOT NULL,
    created_at timestamp with time zone DEFAULT now()
);

CREATE TABLE IF NOT EXISTS pp_rg_user_profiles (
    user_id uuid PRIMARY KEY REFERENCES pp_rg_users (id),
    email text UNIQUE NOT NULL,
    name text NOT NULL,
    phone text NULL,
    data jsonb, -- we probably want to do something more strutured here
    created_at timestamp with time zone DEFAULT now()
);

COMMIT;

BEGIN;

SET client_min_messages = 'warning';
SET search_path TO expert_network;

CREATE TABLE IF NOT EXISTS pp_rg_workflows (
    id uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    slug text UNIQUE NOT NULL,
    name text UNIQUE NOT NULL,
    description text NULL,
    first_step text DEFAULT 'landing',
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now()
);

CREATE TABLE IF NOT EXISTS pp_rg_templates (
    id uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    name text UNIQUE NOT NULL,
    slug text UNIQUE NOT NULL,
    content text NOT NULL,
    metadata jsonb NULL,
    notes text NULL,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now()
);

CREATE TABLE IF NOT EXISTS pp_rg_workflow_steps (
    id uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    slug text NOT NULL,
    description text NULL,
    workflow_id uuid NOT NULL REFERENCES pp_rg_workflows,
    template_id uuid REFERENCES pp_rg_templates,
    metadata jsonb NULL,
    depends_on uuid REFERENCES pp_rg_workflow_steps
    ON DELETE CASCADE ON UPDATE SET NULL,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now(),
    UNIQUE (workflow_id, slug) -- workflow steps are only unique per workflow
);

-- append only table
CREATE TABLE IF NOT EXISTS pp_rg_workflow_runs (
    id uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    workflow_id uuid NOT NULL REFERENCES pp_rg_workflows,
    latest_step_id uuid REFERENCES pp_rg_workflow_steps,
    continuation_id uuid NULL REFERENCES pp_rg_workflow_runs,
    user_id uuid NULL REFERENCES pp_rg_users,
    data jsonb NULL,
    created_at timestamp with time zone DEFAULT now()
);

COMMIT;

-- sql/deploy/pricing-relationship-events.sql, re-homed the same way (the function written with the
-- schema, as Registry qualifies its tables there): a function, then the grant of it named
-- unqualified in a DO block (`GRANT EXECUTE ON FUNCTION get_next_aggregate_version(UUID) TO web`),
-- which resolves to expert_network's as its DROP would (pg_catalog has no function of that name).
BEGIN;

CREATE TABLE IF NOT EXISTS expert_network.pp_rg_pricing_relationship_events (
    id uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    relationship_id uuid NOT NULL,
    aggregate_version integer NOT NULL
);

-- Function to get next aggregate version for a relationship
CREATE OR REPLACE FUNCTION expert_network.pp_rg_get_next_aggregate_version(p_relationship_id UUID)
RETURNS INTEGER AS $$
DECLARE
    v_version INTEGER;
BEGIN
    SELECT COALESCE(MAX(aggregate_version), 0) + 1
    INTO v_version
    FROM expert_network.pp_rg_pricing_relationship_events
    WHERE relationship_id = p_relationship_id;

    RETURN v_version;
END;
$$ LANGUAGE plpgsql;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'en_pass_reader') THEN
        GRANT SELECT, INSERT ON expert_network.pp_rg_pricing_relationship_events TO en_pass_reader;
        GRANT EXECUTE ON FUNCTION pp_rg_get_next_aggregate_version(UUID) TO en_pass_reader;
    END IF;
END $$;

COMMIT;
