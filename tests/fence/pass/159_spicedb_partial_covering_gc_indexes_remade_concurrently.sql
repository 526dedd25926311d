-- en-migrate: no-transaction
-- Pass corpus 159: SpiceDB's index migrations after 0014 (authzed/spicedb, commit
-- 96ab9662469d94061e57cd8c591339ce27c902bd, internal/datastore/postgres/migrations/, each
-- `noTxMigration`): zz_migration.0015_add_gc_covering_index.go (a partial index on
-- `deleted_xid::text::bigint < 9223372036854775807`), 0016 (a descending partial index on an xid8
-- literal, the 0015 index dropped `CONCURRENTLY IF EXISTS`, `ANALYZE relation_tuple`), 0017 (a
-- partial covering index, INCLUDE with a JSONB column), and 0020, 0022 and 0023, which
-- registerIndexMigration makes through schema.CreateIndexConcurrently (indexutil.go: `DROP INDEX
-- CONCURRENTLY IF EXISTS name;` and then `CREATE INDEX CONCURRENTLY name ON <ColumnsSQL>`, with the
-- definitions of schema/indexes.go: ix_watch_api_index, ix_relation_tuple_expired WHERE expiration
-- IS NOT NULL, ix_relation_tuple_transaction_xid_desc_timestamp). Re-homed as corpus 156 is.
-- Proof (PostgreSQL 15, psql as the superuser, autocommit, ON_ERROR_STOP, after 156-158): applied;
-- pg_index gave ix_gc_index and ix_relation_tuple_expired a predicate (indpred not null) and
-- ix_relation_tuple_alive_by_resource_rel_subject_covering indnatts 7 over indnkeyatts 3, each valid,
-- on expert_network.sdb_relation_tuple; pg_class held no ix_relation_tuple_by_deleted_xid.
SET search_path TO expert_network;

-- zz_migration.0015_add_gc_covering_index.go
CREATE INDEX CONCURRENTLY 
	IF NOT EXISTS ix_relation_tuple_by_deleted_xid
	ON sdb_relation_tuple (deleted_xid)
	WHERE (deleted_xid::text::bigint < 9223372036854775807);

-- zz_migration.0016_add_tuned_gc_index.go
CREATE INDEX CONCURRENTLY 
	IF NOT EXISTS ix_gc_index
	ON sdb_relation_tuple (deleted_xid DESC)
    WHERE deleted_xid < '9223372036854775807'::xid8;
DROP INDEX CONCURRENTLY IF EXISTS ix_relation_tuple_by_deleted_xid;
ANALYZE sdb_relation_tuple;

-- zz_migration.0017_add_index_tuple_alive_by_resource_rel_subject.go
CREATE INDEX CONCURRENTLY 
	IF NOT EXISTS ix_relation_tuple_alive_by_resource_rel_subject_covering
	ON sdb_relation_tuple (namespace, relation, userset_namespace)
    INCLUDE (userset_object_id, userset_relation, caveat_name, caveat_context)
    WHERE deleted_xid = '9223372036854775807'::xid8;

-- zz_migration.0020_add_watch_api_index.go (schema.IndexWatchAPI)
	DROP INDEX CONCURRENTLY IF EXISTS 
	ix_watch_api_index;

CREATE INDEX CONCURRENTLY 
	ix_watch_api_index
	ON
	sdb_relation_tuple (created_xid);

-- zz_migration.0022_add_expiration_index.go (schema.IndexExpiringRelationships)
	DROP INDEX CONCURRENTLY IF EXISTS 
	ix_relation_tuple_expired;

CREATE INDEX CONCURRENTLY 
	ix_relation_tuple_expired
	ON
	sdb_relation_tuple (expiration) WHERE expiration IS NOT NULL;

-- zz_migration.0023_add_index_for_transaction_gc.go (schema.IndexSortedRelationTupleTransaction)
	DROP INDEX CONCURRENTLY IF EXISTS 
	ix_relation_tuple_transaction_xid_desc_timestamp;

CREATE INDEX CONCURRENTLY 
	ix_relation_tuple_transaction_xid_desc_timestamp
	ON
	sdb_relation_tuple_transaction (xid DESC, timestamp);
