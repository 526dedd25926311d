-- en-migrate: no-transaction
-- Pass corpus 161: Prefect's revisions that build indexes in Alembic's `autocommit_block()`
-- (PrefectHQ/prefect, src/prefect/server/database/_migrations/versions/postgresql/), each statement
-- run alone, as this file's directive does: 2023_11_20_084708_9c493c02ca6d_add_trgm_index_to_block_document_name.py
-- (commit c27c285c20e65f34c90af6b890d6fcb03e42cea8: a concurrent `USING gin (name gin_trgm_ops)`
-- index), 2026_07_20_000000_50737cdaee36_add_event_resources_event_id_index.py (commit
-- 699d995ce9c44f1543ab03e1aa57d5edbf138476: the guard query `SELECT 1 FROM pg_class c JOIN pg_index
-- i ... WHERE c.relname = '...' AND NOT i.indisvalid`, the DROP INDEX CONCURRENTLY IF EXISTS it runs
-- when that finds a row, then CREATE INDEX CONCURRENTLY IF NOT EXISTS) and
-- 2026_09_04_000000_c8d5f2a71b3e_rebuild_invalid_event_resources_occurred_index.py (commit
-- 30fa0f836107826e34180d129fec54a3e7147a7f: the guard by `i.indexrelid = to_regclass('...')`, the
-- name unqualified, resolved on the path). Re-homed as corpus 160 is (`SET search_path TO
-- expert_network;`, tables prefixed pf_, the index names Prefect's own); the guards' DROPs are
-- written as the migration runs them when a build was left INVALID.
-- Proof (PostgreSQL 15, psql as the superuser, autocommit, ON_ERROR_STOP, after 160 and the pass
-- corpus's pg_trgm): applied; both guard queries returned no row, pg_index gave
-- trgm_ix_block_document_name, ix_event_resources__event_id and ix_event_resources__occurred
-- indisvalid on expert_network's tables.
SET search_path TO expert_network;

-- 9c493c02ca6d
            CREATE INDEX CONCURRENTLY IF NOT EXISTS
            trgm_ix_block_document_name
            ON pf_block_document USING gin (name gin_trgm_ops);

-- 50737cdaee36
                    SELECT 1
                    FROM pg_class c
                    JOIN pg_index i ON i.indexrelid = c.oid
                    WHERE c.relname = 'ix_event_resources__event_id'
                    AND NOT i.indisvalid;
DROP INDEX CONCURRENTLY IF EXISTS ix_event_resources__event_id;
            CREATE INDEX CONCURRENTLY IF NOT EXISTS
            ix_event_resources__event_id
            ON pf_event_resources (event_id);

-- c8d5f2a71b3e
                    SELECT 1
                    FROM pg_index i
                    WHERE i.indexrelid =
                        to_regclass('ix_event_resources__occurred')
                    AND NOT i.indisvalid;
DROP INDEX CONCURRENTLY IF EXISTS ix_event_resources__occurred;
            CREATE INDEX CONCURRENTLY IF NOT EXISTS
            ix_event_resources__occurred
            ON pf_event_resources (occurred);
