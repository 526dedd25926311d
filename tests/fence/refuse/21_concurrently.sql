-- Refuse corpus 21: CONCURRENTLY forms in a file without the no-transaction directive. en-migrate
-- runs such a file in a transaction, where these fail (or, for REFRESH, hold locks the
-- author did not expect).

-- refuse: concurrent-in-transaction
CREATE INDEX CONCURRENTLY campaigns_user_idx ON expert_network.campaigns (user_id);
-- refuse: concurrent-in-transaction
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS experts_email_uq
    ON expert_network.experts (pg_catalog.lower(email));
-- refuse: concurrent-in-transaction
CREATE INDEX CONCURRENTLY ON expert_network.interviews USING brin (scheduled_at);
-- refuse: concurrent-in-transaction
create index concurrently campaigns_status_lc_idx on expert_network.campaigns (status);
-- refuse: concurrent-in-transaction
DROP INDEX CONCURRENTLY expert_network.campaigns_user_idx;
-- refuse: concurrent-in-transaction
DROP INDEX CONCURRENTLY IF EXISTS expert_network.experts_email_uq;
-- refuse: concurrent-in-transaction
REINDEX INDEX CONCURRENTLY expert_network.campaigns_user_idx;
-- refuse: concurrent-in-transaction
REINDEX TABLE CONCURRENTLY expert_network.campaigns;
-- refuse: concurrent-in-transaction
REINDEX (CONCURRENTLY, VERBOSE) SCHEMA expert_network;
-- refuse: concurrent-in-transaction
ALTER TABLE expert_network.campaigns_by_year
    DETACH PARTITION expert_network.campaigns_2024 CONCURRENTLY;
-- Allowed: REFRESH ... CONCURRENTLY runs inside a transaction.
REFRESH MATERIALIZED VIEW CONCURRENTLY expert_network.expert_stats;
-- refuse: concurrent-in-transaction
-- refuse: touches-public
CREATE INDEX CONCURRENTLY session_token_idx ON public.session (token);

-- Allowed: the same indexes without CONCURRENTLY.
CREATE INDEX campaigns_status_idx ON expert_network.campaigns (status);
DROP INDEX IF EXISTS expert_network.campaigns_status_idx;
