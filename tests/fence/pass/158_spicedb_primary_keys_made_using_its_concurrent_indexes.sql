-- Pass corpus 158: SpiceDB's transactional migrations after the xid8 backfill (authzed/spicedb,
-- commit 96ab9662469d94061e57cd8c591339ce27c902bd, internal/datastore/postgres/migrations/):
-- zz_migration.0012_add_xid_constraints.go (the two catalog queries its Go code runs to find
-- namespace_config's primary key, `information_schema.table_constraints` under `current_schema()`
-- and `pg_index, pg_class` by `'namespace_config'::regclass`, then the key dropped by that name,
-- SET NOT NULL, and keys remade `PRIMARY KEY USING INDEX` / `UNIQUE USING INDEX` from the concurrent
-- indexes of 157), 0013 (constraints dropped, DROP NOT NULL), 0014 (the bigserial ids and the
-- bigint transaction columns dropped, their sequences with them), 0018 (relationship_counter, a
-- pg_snapshot column), 0019 (`ADD COLUMN IF NOT EXISTS ... JSONB ... DEFAULT '{}'`), 0021 (a
-- TIMESTAMPTZ expiration), 0024 (its `schema` and `schema_revision` tables, partial indexes
-- `WHERE deleted_xid < '9223372036854775807'::xid8`) and 0025's `SELECT DISTINCT ON` reads and
-- INSERTs (its `$1, $2, $3` spelled as literals). Re-homed as corpus 156 is (`SET search_path TO
-- expert_network;`, tables prefixed sdb_, `current_schema()` and the regclass then naming
-- expert_network's table).
-- Proof (PostgreSQL 15, psql as the superuser, ON_ERROR_STOP, after 156-157): applied; both queries
-- returned sdb_namespace_config_pkey; the server noticed "ADD CONSTRAINT USING INDEX will rename
-- index "ix_rttx_pk" to "pk_rttx"" (and so for each key), and pg_constraint then held pk_rttx,
-- pk_namespace_config, pk_relation_tuple, uq_relation_tuple_living_xid and pk_caveat_v2, each on the
-- index of its own name in expert_network; pg_class held no sdb_relation_tuple_id_seq.
SET search_path TO expert_network;

-- zz_migration.0012_add_xid_constraints.go
	SELECT constraint_name FROM information_schema.table_constraints
		WHERE table_schema = current_schema()
      	AND table_name = 'sdb_namespace_config'
      	AND constraint_type = 'PRIMARY KEY';

	SELECT relname from pg_index, pg_class
		WHERE pg_index.indisprimary
		AND pg_index.indrelid = 'sdb_namespace_config'::regclass
		AND pg_class.oid = pg_index.indexrelid;

ALTER TABLE sdb_namespace_config DROP CONSTRAINT sdb_namespace_config_pkey;

ALTER TABLE sdb_relation_tuple_transaction ALTER COLUMN snapshot SET NOT NULL;
ALTER TABLE sdb_relation_tuple ALTER COLUMN created_xid SET NOT NULL;
ALTER TABLE sdb_namespace_config ALTER COLUMN created_xid SET NOT NULL;
ALTER TABLE sdb_caveat ALTER COLUMN created_xid SET NOT NULL;
	ALTER TABLE sdb_relation_tuple_transaction
		DROP CONSTRAINT pk_rttx,
		ADD CONSTRAINT pk_rttx PRIMARY KEY USING INDEX ix_rttx_pk;
	ALTER TABLE sdb_namespace_config
		ADD CONSTRAINT pk_namespace_config PRIMARY KEY USING INDEX ix_namespace_config_pk,
		ADD CONSTRAINT uq_namespace_living_xid UNIQUE USING INDEX ix_namespace_config_living;
	ALTER TABLE sdb_relation_tuple
		DROP CONSTRAINT pk_relation_tuple,
		ADD CONSTRAINT pk_relation_tuple PRIMARY KEY USING INDEX ix_relation_tuple_pk,
		ADD CONSTRAINT uq_relation_tuple_living_xid UNIQUE USING INDEX ix_relation_tuple_living;
	ALTER TABLE sdb_caveat
		DROP CONSTRAINT pk_caveat_v1,
		ADD CONSTRAINT pk_caveat_v2 PRIMARY KEY USING INDEX ix_caveat_living,
		ADD CONSTRAINT uq_caveat_v2 UNIQUE USING INDEX ix_caveat_unique;

-- zz_migration.0013_drop_id_constraints.go
	ALTER TABLE sdb_relation_tuple
		DROP CONSTRAINT uq_relation_tuple_namespace,
		DROP CONSTRAINT uq_relation_tuple_living,
		ALTER COLUMN created_transaction DROP NOT NULL,
		ALTER COLUMN deleted_transaction DROP NOT NULL;
	ALTER TABLE sdb_namespace_config
		DROP CONSTRAINT uq_namespace_living,
		ALTER COLUMN created_transaction DROP NOT NULL,
		ALTER COLUMN deleted_transaction DROP NOT NULL;
	ALTER TABLE sdb_caveat
		DROP CONSTRAINT uq_caveat_v1,
		ALTER COLUMN created_transaction DROP NOT NULL,
		ALTER COLUMN deleted_transaction DROP NOT NULL;

-- zz_migration.0014_drop_bigserial_ids.go
	ALTER TABLE sdb_relation_tuple_transaction
		DROP COLUMN id;
	ALTER TABLE sdb_namespace_config
		DROP COLUMN id,
		DROP COLUMN created_transaction,
		DROP COLUMN deleted_transaction;
	ALTER TABLE sdb_relation_tuple
		DROP COLUMN id,
		DROP COLUMN created_transaction,
		DROP COLUMN deleted_transaction;

-- zz_migration.0018_add_relationship_counters_table.go
CREATE TABLE sdb_relationship_counter (
    name VARCHAR NOT NULL,
	serialized_filter BYTEA NOT NULL,
	current_count BIGINT NOT NULL DEFAULT 0,
	updated_revision_snapshot pg_snapshot,
    created_xid xid8 NOT NULL DEFAULT (pg_current_xact_id()),
	deleted_xid xid8 NOT NULL DEFAULT ('9223372036854775807'),
    CONSTRAINT pk_relationship_counter PRIMARY KEY (name),
    CONSTRAINT uq_relationship_counter_living UNIQUE (name, deleted_xid)
);

-- zz_migration.0019_add_metadata_to_transaction_table.go
ALTER TABLE sdb_relation_tuple_transaction ADD COLUMN IF NOT EXISTS metadata JSONB NOT NULL DEFAULT '{}';

-- zz_migration.0021_add_expiration_column.go
	ALTER TABLE sdb_relation_tuple
	ADD COLUMN expiration TIMESTAMPTZ DEFAULT NULL;

-- zz_migration.0024_add_schema_tables.go
	CREATE TABLE sdb_schema (
		name VARCHAR NOT NULL,
		chunk_index INT NOT NULL,
		chunk_data BYTEA NOT NULL,
		created_xid xid8 NOT NULL DEFAULT (pg_current_xact_id()),
		deleted_xid xid8 NOT NULL DEFAULT ('9223372036854775807'),
		CONSTRAINT pk_schema PRIMARY KEY (name, chunk_index, created_xid));
	CREATE INDEX ix_schema_gc ON sdb_schema (deleted_xid DESC) WHERE deleted_xid < '9223372036854775807'::xid8;
	CREATE TABLE sdb_schema_revision (
		name VARCHAR NOT NULL DEFAULT 'current',
		hash BYTEA NOT NULL,
		created_xid xid8 NOT NULL DEFAULT (pg_current_xact_id()),
		deleted_xid xid8 NOT NULL DEFAULT ('9223372036854775807'),
		CONSTRAINT pk_schema_revision PRIMARY KEY (name, created_xid));
	CREATE INDEX ix_schema_revision_gc ON sdb_schema_revision (deleted_xid DESC) WHERE deleted_xid < '9223372036854775807'::xid8;

-- zz_migration.0025_populate_schema_tables.go
				SELECT DISTINCT ON (namespace)
					namespace, serialized_config
				FROM sdb_namespace_config
				WHERE deleted_xid = '9223372036854775807'::xid8
				ORDER BY namespace, created_xid DESC;
				SELECT DISTINCT ON (name)
					name, definition
				FROM sdb_caveat
				WHERE deleted_xid = '9223372036854775807'::xid8
				ORDER BY name, created_xid DESC;
					INSERT INTO sdb_schema (name, chunk_index, chunk_data)
					VALUES ('unified_schema', 0, '\x0801');
				INSERT INTO sdb_schema_revision (name, hash)
				VALUES ('current', '\x5f3c');
