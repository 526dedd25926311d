-- Pass corpus 03: plain, multi-column, partial, expression, GIN, BRIN and covering indexes,
-- and extended statistics. Index names are unqualified by grammar (an index lives in its
-- table's schema); the tables are always qualified.
CREATE INDEX pass_campaigns_user_idx
    ON expert_network.pass_campaigns (user_id);

CREATE INDEX pass_campaigns_status_created_idx
    ON expert_network.pass_campaigns (status, created_at DESC NULLS LAST);

CREATE INDEX pass_campaigns_active_idx
    ON expert_network.pass_campaigns (user_id, created_at)
    WHERE status = 'active';

CREATE UNIQUE INDEX pass_projects_user_name_uq
    ON expert_network.pass_projects (user_id, pg_catalog.lower(name));

CREATE UNIQUE INDEX pass_experts_email_uq
    ON expert_network.pass_experts (lower(email::text))
    WHERE email IS NOT NULL;

CREATE INDEX pass_experts_profile_gin
    ON expert_network.pass_experts USING gin (profile jsonb_path_ops);

CREATE INDEX pass_experts_tags_gin
    ON expert_network.pass_experts USING gin (tags);

CREATE INDEX pass_interviews_expert_idx
    ON expert_network.pass_interviews (expert_id) INCLUDE (scheduled_at);

CREATE INDEX pass_vendor_public_idx
    ON expert_network.pass_vendor_platforms (name)
    WHERE is_public;

CREATE INDEX IF NOT EXISTS pass_audit_log_logged_at_brin
    ON expert_network.pass_audit_log USING brin (logged_at);

CREATE INDEX pass_campaigns_metadata_source_idx
    ON expert_network.pass_campaigns ((metadata ->> 'source'));

CREATE STATISTICS expert_network.pass_campaigns_user_status_stats (dependencies, ndistinct)
    ON user_id, status FROM expert_network.pass_campaigns;

COMMENT ON INDEX expert_network.pass_vendor_public_idx IS 'Only vendors that are listed publicly';
