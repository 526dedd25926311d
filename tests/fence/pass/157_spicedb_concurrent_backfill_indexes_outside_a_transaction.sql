-- en-migrate: no-transaction
-- Pass corpus 157: SpiceDB's non-transactional migrations (authzed/spicedb, commit
-- 96ab9662469d94061e57cd8c591339ce27c902bd, internal/datastore/postgres/migrations/; registered with
-- `noTxMigration`, so pgx runs each statement alone on the connection, as this file's directive
-- does): zz_migration.0006_add_gc_index.go (`CREATE INDEX CONCURRENTLY` on deleted_transaction) and
-- zz_migration.0011_backfill_xid_add_indices.go: temporary concurrent expression indexes on
-- `(snapshot IS NULL)` and `(created_xid IS NULL)`, the batched backfill UPDATEs (`%d` spelled as
-- 1000) that cast bigints to xid8 through text and build a pg_snapshot by CONCAT, each a row-value
-- `IN (SELECT ... LIMIT ... FOR UPDATE)`, the unique concurrent indexes the next migration makes
-- keys of, and the temporary indexes dropped. Re-homed as corpus 156 is (`SET search_path TO
-- expert_network;`, tables prefixed sdb_, index names SpiceDB's own).
-- Proof (PostgreSQL 15, psql as the superuser, autocommit, ON_ERROR_STOP, after 156): applied; the
-- backfill left no NULL created_xid, pg_index gave ix_relation_tuple_pk and ix_rttx_pk indisunique
-- and indisvalid in expert_network, and pg_class held no ix_backfill_* index.
SET search_path TO expert_network;

-- zz_migration.0006_add_gc_index.go
CREATE INDEX CONCURRENTLY ix_relation_tuple_by_deleted_transaction ON sdb_relation_tuple (deleted_transaction);

-- zz_migration.0011_backfill_xid_add_indices.go: addBackfillIndices
	CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_backfill_rtt_temp
		ON sdb_relation_tuple_transaction ( (snapshot IS NULL) );
	CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_backfill_ns_temp
		ON sdb_namespace_config ( (created_xid IS NULL) );
	CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_backfill_tuple_temp
		ON sdb_relation_tuple ( (created_xid IS NULL) );
	CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_backfill_caveat_temp
		ON sdb_caveat ( (created_xid IS NULL) );

-- backfills
	UPDATE sdb_relation_tuple_transaction 
		SET xid = id::text::xid8, snapshot = CONCAT(id, ':', id, ':')::pg_snapshot
		WHERE id IN (
			SELECT id FROM sdb_relation_tuple_transaction
			WHERE snapshot IS NULL
			LIMIT 1000
			FOR UPDATE
		);
	UPDATE sdb_relation_tuple 
		SET deleted_xid = deleted_transaction::text::xid8,
		created_xid = created_transaction::text::xid8
		WHERE (namespace, object_id, relation, userset_namespace, userset_object_id,
			   userset_relation, created_transaction, deleted_transaction
		) IN (
			SELECT namespace, object_id, relation, userset_namespace, userset_object_id,
				userset_relation, created_transaction, deleted_transaction
			FROM sdb_relation_tuple
			WHERE created_xid IS NULL
			LIMIT 1000
			FOR UPDATE
		);
	UPDATE sdb_namespace_config 
		SET deleted_xid = deleted_transaction::text::xid8,
		created_xid = created_transaction::text::xid8
		WHERE (namespace, created_transaction, deleted_transaction) IN (
			SELECT namespace, created_transaction, deleted_transaction
			FROM sdb_namespace_config
			WHERE created_xid IS NULL
			LIMIT 1000
			FOR UPDATE
		);
	UPDATE sdb_caveat 
		SET deleted_xid = deleted_transaction::text::xid8,
		created_xid = created_transaction::text::xid8
		WHERE (name, created_transaction, deleted_transaction) IN (
			SELECT name, created_transaction, deleted_transaction
			FROM sdb_caveat
			WHERE created_xid IS NULL
			LIMIT 1000
			FOR UPDATE
		);

-- addXIDIndices
	CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_rttx_oldpk
		ON sdb_relation_tuple_transaction (id);
	CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_namespace_config_oldpk
		ON sdb_namespace_config (id);

	CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_rttx_pk
		ON sdb_relation_tuple_transaction (xid);
	CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_namespace_config_pk
		ON sdb_namespace_config (namespace, created_xid, deleted_xid);
	CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_namespace_config_living
		ON sdb_namespace_config (namespace, deleted_xid);
	CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_relation_tuple_pk
		ON sdb_relation_tuple (namespace, object_id, relation, userset_namespace, userset_object_id,
						   userset_relation, created_xid, deleted_xid);
	CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_relation_tuple_living
		ON sdb_relation_tuple (namespace, object_id, relation, userset_namespace, userset_object_id,
						   userset_relation, deleted_xid);
	CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_caveat_unique
		ON sdb_caveat (name, created_xid, deleted_xid);
	CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_caveat_living
		ON sdb_caveat (name, deleted_xid);

-- dropBackfillIndices
DROP INDEX ix_backfill_rtt_temp;
DROP INDEX ix_backfill_ns_temp;
DROP INDEX ix_backfill_tuple_temp;
DROP INDEX ix_backfill_caveat_temp;
