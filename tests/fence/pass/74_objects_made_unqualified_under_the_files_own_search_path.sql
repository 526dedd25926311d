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
-- pinned path alone an unqualified CREATE stays refused (refuse corpus 04).
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
