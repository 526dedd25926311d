-- Pass corpus 10: roles created idempotently in DO blocks (plain NOLOGIN roles only), privileges
-- on expert_network objects granted to and revoked from them, default privileges IN SCHEMA
-- expert_network.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'en_pass_reader') THEN
        CREATE ROLE en_pass_reader NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object THEN
        RAISE NOTICE 'role en_pass_reader already exists';
END
$$;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'en_pass_writer') THEN
        CREATE ROLE en_pass_writer NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object THEN
        RAISE NOTICE 'role en_pass_writer already exists';
END
$$;

GRANT USAGE ON SCHEMA expert_network TO en_pass_reader, en_pass_writer;
GRANT SELECT ON ALL TABLES IN SCHEMA expert_network TO en_pass_reader;
GRANT SELECT, INSERT, UPDATE, DELETE
    ON expert_network.pass_campaigns, expert_network.pass_experts
    TO en_pass_writer;
GRANT SELECT (id, public_slug, is_public) ON expert_network.public_profiles TO en_pass_writer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA expert_network TO en_pass_writer;
GRANT USAGE, SELECT ON SEQUENCE expert_network.pass_invoice_number_seq TO en_pass_writer;
GRANT EXECUTE ON FUNCTION expert_network.pass_campaign_count(text) TO en_pass_reader;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA expert_network TO en_pass_writer;
GRANT EXECUTE ON PROCEDURE expert_network.pass_log(text, text) TO en_pass_writer;
GRANT USAGE ON TYPE expert_network.pass_campaign_status TO en_pass_reader;
GRANT SELECT ON expert_network.pass_expert_stats TO en_pass_reader;

REVOKE DELETE ON expert_network.pass_experts FROM en_pass_writer;
REVOKE EXECUTE ON FUNCTION expert_network.pass_backfill_rates(numeric) FROM en_pass_writer;

ALTER DEFAULT PRIVILEGES IN SCHEMA expert_network
    GRANT SELECT ON TABLES TO en_pass_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA expert_network
    GRANT USAGE, SELECT ON SEQUENCES TO en_pass_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA expert_network
    GRANT EXECUTE ON FUNCTIONS TO en_pass_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA expert_network
    REVOKE EXECUTE ON FUNCTIONS FROM en_pass_reader;
