-- 003_grants.sql
--
-- Grants on the expert_network schema for two roles, whose names en-migrate
-- substitutes for the placeholders:
--   ${app_role}       the application: full access to the schema's objects
--   ${readonly_role}  reporting / support: read-only access
-- Both roles are created NOLOGIN if missing (log-in users are granted
-- membership outside this migration). Re-running is harmless.
--
-- ALTER DEFAULT PRIVILEGES covers objects created later in expert_network by
-- the role that runs the migrations, so future migrations need no new grants.

-- Roles. Parallel databases on one cluster may create the same role at the
-- same moment, hence the exception handler.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${app_role}') THEN
        CREATE ROLE ${app_role} NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN
        NULL;
END
$$;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${readonly_role}') THEN
        CREATE ROLE ${readonly_role} NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN
        NULL;
END
$$;

-- Application role: everything in expert_network.
GRANT ALL ON SCHEMA expert_network TO ${app_role};
GRANT ALL ON ALL TABLES IN SCHEMA expert_network TO ${app_role};
GRANT ALL ON ALL SEQUENCES IN SCHEMA expert_network TO ${app_role};
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA expert_network TO ${app_role};

ALTER DEFAULT PRIVILEGES IN SCHEMA expert_network GRANT ALL ON TABLES TO ${app_role};
ALTER DEFAULT PRIVILEGES IN SCHEMA expert_network GRANT ALL ON SEQUENCES TO ${app_role};
ALTER DEFAULT PRIVILEGES IN SCHEMA expert_network GRANT EXECUTE ON FUNCTIONS TO ${app_role};

-- Read-only role: look, don't touch.
GRANT USAGE ON SCHEMA expert_network TO ${readonly_role};
GRANT SELECT ON ALL TABLES IN SCHEMA expert_network TO ${readonly_role};

ALTER DEFAULT PRIVILEGES IN SCHEMA expert_network GRANT SELECT ON TABLES TO ${readonly_role};
