-- en-migrate: no-transaction
-- Refuse corpus 22: with the no-transaction directive (first line above) CONCURRENTLY forms are
-- allowed, but every other rule still applies.

CREATE INDEX CONCURRENTLY IF NOT EXISTS campaigns_user_idx ON expert_network.campaigns (user_id);
DROP INDEX CONCURRENTLY IF EXISTS expert_network.campaigns_old_idx;
REINDEX INDEX CONCURRENTLY expert_network.campaigns_user_idx;

-- refuse: touches-public
CREATE INDEX CONCURRENTLY session_expires_idx ON public.session ("expiresAt");
-- refuse: unqualified-name
CREATE INDEX CONCURRENTLY experts_campaign_idx ON experts (campaign_id);
-- refuse: outside-schema
CREATE INDEX CONCURRENTLY messages_created_idx ON chat.messages (created_at);
-- refuse: transaction-control
BEGIN;
-- refuse: transaction-control
COMMIT;
