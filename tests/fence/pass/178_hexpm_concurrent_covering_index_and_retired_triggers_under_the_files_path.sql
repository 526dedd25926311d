-- en-migrate: no-transaction
-- Pass corpus 178: Hex.pm's Ecto migrations with `@disable_ddl_transaction true` and
-- `@disable_migration_lock true` (hexpm/hexpm priv/repo/migrations, commit
-- dee4f9b235f21e17149c504155ba1f9fb468bb01), each `execute` alone outside a transaction, as this
-- file's directive runs them, on pass corpus 177's tables:
-- 20260806130000_cover_downloads_package_day_index.exs (`CREATE INDEX CONCURRENTLY IF NOT EXISTS
-- ... INCLUDE (downloads)`, `DROP INDEX CONCURRENTLY IF EXISTS` of the index it covers, then
-- `SET lock_timeout TO '5s'`, `ALTER TABLE downloads DROP CONSTRAINT IF EXISTS downloads_pkey`,
-- `SET lock_timeout TO DEFAULT`), 20260814120200/20260814120300 (indexes over the generated sort
-- key, `DROP INDEX CONCURRENTLY IF EXISTS public.x` before each CREATE) and
-- 20260511000000_drop_package_dependants_triggers.exs (the triggers, their functions and the
-- unlogged cache table dropped by unqualified names, `DROP ... IF EXISTS`). Re-homed as an operator
-- adopting en-migrate would: Hex.pm's unqualified names kept under the file's own `SET search_path
-- TO expert_network` (Ecto's session path), its `public.` written expert_network.; names hx_.
-- PostgreSQL 15 applied it with psql; read back: pg_index holds hx_downloads_package_id_day_downloads_idx
-- (indnkeyatts 2 of 3 columns) and the two semver indexes valid, pg_constraint no hx_downloads_pkey,
-- and pg_trigger, pg_proc and pg_class none of the retired triggers, functions and cache table.
SET search_path TO expert_network;

CREATE INDEX CONCURRENTLY IF NOT EXISTS hx_downloads_package_id_day_downloads_idx
ON hx_downloads (package_id, day) INCLUDE (downloads);

DROP INDEX CONCURRENTLY IF EXISTS hx_downloads_package_id_day_idx;

-- Dropping the constraint is a catalog change, but it still needs ACCESS
-- EXCLUSIVE and would otherwise queue behind a long read and block writers.
SET lock_timeout TO '5s';

ALTER TABLE hx_downloads DROP CONSTRAINT IF EXISTS hx_downloads_pkey;

SET lock_timeout TO DEFAULT;

DROP INDEX CONCURRENTLY IF EXISTS expert_network.hx_releases_package_id_semver_sort_key_desc_index;

CREATE INDEX CONCURRENTLY hx_releases_package_id_semver_sort_key_desc_index
ON expert_network.hx_releases (package_id, semver_sort_key DESC);

DROP INDEX CONCURRENTLY IF EXISTS expert_network.hx_releases_package_id_stable_semver_sort_key_desc_index;

CREATE INDEX CONCURRENTLY hx_releases_package_id_stable_semver_sort_key_desc_index
ON expert_network.hx_releases (package_id, semver_stable DESC, semver_sort_key DESC);

DROP TRIGGER IF EXISTS hx_package_dependants_after_requirement_insert ON hx_requirements;

DROP TRIGGER IF EXISTS hx_package_dependants_after_requirement_delete ON hx_requirements;

DROP TRIGGER IF EXISTS hx_package_dependants_before_release_delete ON hx_releases;

DROP TRIGGER IF EXISTS hx_package_dependants_after_release_delete ON hx_releases;

DROP FUNCTION IF EXISTS hx_package_dependants_insert();

DROP FUNCTION IF EXISTS hx_package_dependants_delete();

DROP FUNCTION IF EXISTS hx_package_dependants_cache_deleted_release();

DROP FUNCTION IF EXISTS hx_package_dependants_cleanup_deleted_releases();

DROP TABLE IF EXISTS hx_package_dependants_deleted_releases;
