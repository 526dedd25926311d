-- Pass corpus 50: `DROP INDEX IF EXISTS` of unqualified names that no migration made, as ory/hydra
-- (commit 83127c5752d907f52dd5f048a734c596c4316477) writes in persistence/sql/migrations/
-- 20240612222110000001_add_oauth2_expires_at_indices.autocommit.up.sql (the CREATE INDEX lines it
-- commented out, the drops kept), 20241012144910000001_unused_indices.up.sql and
-- 20250523000001000000_rm_oauth2_trusted_jwt_bearer_issuer_unefficient_uq_idx.postgres.autocommit.up.sql
-- (the index CockroachDB made for a UNIQUE constraint, which PostgreSQL named otherwise), re-homed
-- into expert_network (names prefixed pp_hy_). The fence refused each as "relation
-- hydra_oauth2_access_expires_at_idx is not schema-qualified, and no migration creates
-- expert_network.hydra_oauth2_access_expires_at_idx". On the pinned path an unqualified relation is
-- looked up in expert_network, pg_catalog and the session's pg_temp only; the relations initdb makes
-- in pg_catalog are all named pg_* (PG 15: 261, none otherwise), none can be created there, and `up`
-- refuses to run while pg_catalog holds one a superuser moved in (PG 15 allows ALTER ... SET SCHEMA
-- pg_catalog), so such a name can drop only expert_network's or the session's own. The last drop is not Hydra's: it names the index
-- public.session holds (demo/public_apps.sql), which the integration test shows untouched.

-- These turn out to not be necessary.
-- CREATE INDEX IF NOT EXISTS hydra_oauth2_access_expires_at_v2_idx ON hydra_oauth2_access (expires_at);
-- CREATE INDEX IF NOT EXISTS hydra_oauth2_refresh_expires_at_v2_idx ON hydra_oauth2_refresh (expires_at);

DROP INDEX IF EXISTS pp_hy_oauth2_access_expires_at_idx;
DROP INDEX IF EXISTS pp_hy_oauth2_refresh_expires_at_idx;
DROP INDEX IF EXISTS pp_hy_oauth2_code_expires_at_idx;
DROP INDEX IF EXISTS pp_hy_oauth2_pkce_expires_at_idx;

DROP INDEX IF EXISTS pp_hy_oauth2_access_client_id_subject_idx;
DROP INDEX IF EXISTS pp_hy_oauth2_access_expires_at_v2_idx; -- janitor still uses requested_at index

DROP INDEX IF EXISTS pp_hy_oauth2_trusted_jwt_bearer_issuer_issuer_subject_key_id_key;

DROP INDEX IF EXISTS session_user_id_idx;
