-- en-migrate: no-transaction
-- Refuse corpus 74: CASCADE drops or empties, with an object of expert_network, what other schemas
-- hold that depends on it: another application's view over its table or column, its column of
-- expert_network's enum, its rows with a foreign key to expert_network's table. After a
-- transactional migration the database-side check sees public change and rolls it back; a
-- no-transaction file (first line above) runs with no check after it, and the fence accepted every
-- CASCADE there. Proof, on PG 15 as the runner's superuser (database: demo/public_apps.sql, then
-- sql/001-003 through `up`): with another application's `CREATE VIEW public.en_vendor_names AS
-- SELECT slug, display_name FROM expert_network.vendor_platforms` and `CREATE TABLE
-- public.chat_campaign_links (chat_id int, campaign_id uuid REFERENCES expert_network.campaigns
-- (id))` holding one row, `up` applied the first two cases as 004 and 005 (each a no-transaction
-- file) and recorded them: `to_regclass('public.en_vendor_names')` was then null and
-- public.chat_campaign_links held 0 rows. In psql (inside a rolled-back transaction: the reach is
-- the same), the third case dropped a view public.en_campaign_names over campaigns.campaign_name
-- ("drop cascades to view public.en_campaign_names"), and the fourth the column `state` of a table
-- public.chat_reviews of that enum ("drop cascades to column state of table public.chat_reviews").
-- Found by a hunt: before, every refused statement below passed `check`.

-- refuse: outside-schema
DROP TABLE IF EXISTS expert_network.vendor_platforms CASCADE;

-- refuse: outside-schema
TRUNCATE expert_network.campaigns CASCADE;

-- refuse: outside-schema
ALTER TABLE expert_network.campaigns DROP COLUMN IF EXISTS campaign_name CASCADE;

-- refuse: outside-schema
DROP TYPE IF EXISTS expert_network.review_state CASCADE;

-- refuse: outside-schema
DO $$ BEGIN DROP TABLE IF EXISTS expert_network.vendor_platforms CASCADE; END $$;

-- Without CASCADE the server refuses to drop what another schema depends on: these pass.
DROP TABLE IF EXISTS expert_network.vendor_platforms;
ALTER TABLE expert_network.campaigns DROP COLUMN IF EXISTS campaign_name;
DROP INDEX CONCURRENTLY IF EXISTS expert_network.campaigns_old_idx;
