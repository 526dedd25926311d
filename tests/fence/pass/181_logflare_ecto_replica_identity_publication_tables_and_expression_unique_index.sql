-- Pass corpus 181: Logflare's Ecto `execute`s for its cache-busting logical replication and data
-- moves (Logflare/logflare priv/repo/migrations, commit e9444de8cd96fd1772dba0309ce89132d7c8b676):
-- 20210810182003_set_rules_to_replica_identity_full.exs and 20220803211705 (`alter table rules
-- replica identity full`), 20241204120824, 20251216234322 and 20260209080416 (`ALTER PUBLICATION
-- #{p} ADD TABLE #{@table};` by the table's bare name, for each publication of its config),
-- 20221210011115 (a default of `gen_random_uuid()` then `UPDATE teams SET token=gen_random_uuid()
-- WHERE token is null`), 20250224140820 (`UPDATE users AS u SET ... FROM partner_users AS pu`),
-- 20251205181853 (a DELETE by a column value) and 20260610224521 (`DROP INDEX IF EXISTS` by bare
-- name, an UPDATE, and Ecto's unique_index over `((meta->>'version_number')::integer)` WHERE
-- `meta->>'version_number' IS NOT NULL`), on the tables those name (cut to the columns used).
-- Re-homed as an operator adopting en-migrate would: Logflare's bare names kept under the file's
-- own `SET search_path TO expert_network` (Ecto's session path), the tables prefixed lf_, and its
-- publication logflare_pub the one the seeded database holds, supabase_realtime (making one is
-- database-wide: the fence refuses 20210729161959's `CREATE PUBLICATION`, its dev-only `ALTER
-- SYSTEM SET wal_level` and `ALTER USER ... WITH REPLICATION`, and 20240708025030's `DROP
-- PUBLICATION`, rightly: they reach past the schema).
-- PostgreSQL 15 applied it with psql; read back: pg_publication_tables lists expert_network's
-- lf_rules, lf_oauth_access_tokens, lf_saved_searches and lf_key_values under supabase_realtime,
-- pg_class.relreplident 'f' for lf_rules and lf_sources, the teams' null token filled, users'
-- partner_id copied from lf_partner_users, and pg_indexes the expression index with its WHERE.
SET search_path TO expert_network;

CREATE TABLE lf_users (id bigserial PRIMARY KEY, email varchar(255), partner_id bigint, partner_upgraded boolean DEFAULT false);
CREATE TABLE lf_partner_users (id bigserial PRIMARY KEY, user_id bigint REFERENCES lf_users (id), partner_id bigint, upgraded boolean DEFAULT false);
CREATE TABLE lf_teams (id bigserial PRIMARY KEY, name varchar(255), token varchar(255));
CREATE TABLE lf_sources (id bigserial PRIMARY KEY, name varchar(255), system_source_type varchar(255));
CREATE TABLE lf_rules (id bigserial PRIMARY KEY, source_id bigint REFERENCES lf_sources (id) ON DELETE CASCADE, lql_string text);
CREATE TABLE lf_oauth_access_tokens (id bigserial PRIMARY KEY, token varchar(255) NOT NULL);
CREATE TABLE lf_saved_searches (id bigserial PRIMARY KEY, querystring text);
CREATE TABLE lf_key_values (id bigserial PRIMARY KEY, key varchar(255), value varchar(255));
CREATE TABLE lf_versions (id bigserial PRIMARY KEY, item_type varchar(255), item_id bigint, meta jsonb);

INSERT INTO lf_teams (name) VALUES ('t1');
INSERT INTO lf_users (email) VALUES ('a@example.com');
INSERT INTO lf_partner_users (user_id, partner_id, upgraded) VALUES (1, 7, true);

-- 20210810182003_set_rules_to_replica_identity_full, 20220803211705_source_replica_identity_full
alter table lf_rules replica identity full;
alter table lf_sources replica identity full;

-- 20221210011115_set_token_default_values
ALTER TABLE "lf_teams" ALTER COLUMN "token" SET DEFAULT gen_random_uuid();
UPDATE lf_teams SET token=gen_random_uuid() WHERE token is null;

-- 20241204120824, 20251216234322, 20260209080416
ALTER PUBLICATION supabase_realtime ADD TABLE lf_rules;
ALTER PUBLICATION supabase_realtime ADD TABLE lf_oauth_access_tokens;
ALTER PUBLICATION supabase_realtime ADD TABLE lf_saved_searches;
ALTER PUBLICATION supabase_realtime ADD TABLE lf_key_values;

-- 20250224140820_migrate_partner_user_upgraded_column_to_user_partner_details
  UPDATE lf_users AS u
  SET
    partner_id = pu.partner_id,
    partner_upgraded = pu.upgraded
  FROM lf_partner_users AS pu
  WHERE pu.user_id = u.id;

-- 20251205181853_remove_rejected_event_system_sources
DELETE FROM lf_sources WHERE system_source_type = 'rejected_events';

-- 20260610224521_migrate_endpoint_query_versions_item_type
DROP INDEX IF EXISTS lf_versions_queries_item_id_version_number_index;
UPDATE lf_versions SET item_type = 'EndpointQuery' WHERE item_type = 'Query';
CREATE UNIQUE INDEX "lf_versions_queries_item_id_version_number_index" ON "lf_versions" ("item_type", "item_id", ((meta->>'version_number')::integer)) WHERE meta->>'version_number' IS NOT NULL;
