-- Pass corpus 156: SpiceDB's PostgreSQL datastore migrations (authzed/spicedb, commit
-- 96ab9662469d94061e57cd8c591339ce27c902bd, internal/datastore/postgres/migrations/), whose SQL is
-- Go string constants that its migrator runs through pgx, each atomic migration in one transaction
-- on the connection's path. This file holds the transactional ones up to the xid8 backfill, in order:
-- zz_migration.0001_1eaeba4b8a73_initial.go (BIGSERIAL keys, a bigint default written as a string, a
-- `timestamp` column, SpiceDB's own `alembic_version` table and its rows), 0002 (reverse indexes),
-- 0003 (a DELETE of row values NOT IN a grouped subquery, then a UNIQUE constraint), 0004, 0005 (a
-- default of `now() AT TIME ZONE 'UTC'`), 0007 (a `metadata` table; its `$1` parameter spelled as
-- a literal), 0008 (DROP CONSTRAINT IF EXISTS, then a BIGSERIAL PRIMARY KEY added), 0009 (caveat
-- table, JSONB column), 0010 (xid8 and pg_snapshot columns defaulting to `pg_current_xact_id()` and
-- `pg_current_snapshot()`, a bigint id defaulting to `pg_current_xact_id()::text::bigint`) and the
-- defaults of 0011_backfill_xid_add_indices.go. Re-homed into expert_network as an operator would:
-- `SET search_path TO expert_network;` first (pgx's connection path), every name as SpiceDB writes
-- it, the tables prefixed sdb_ (its `alembic_version` too, which public also holds, as Alembic's).
-- Proof (PostgreSQL 15, psql as the superuser, ON_ERROR_STOP, on the seeded database, with 157-159
-- after it): applied; pg_attribute read back sdb_relation_tuple_transaction.xid as xid8 and .snapshot
-- as pg_snapshot, pg_attrdef gave xid's default as pg_current_xact_id(); pg_class held
-- sdb_alembic_version in expert_network, and public.alembic_version kept its one row.
SET search_path TO expert_network;

-- zz_migration.0001_1eaeba4b8a73_initial.go
CREATE TABLE sdb_relation_tuple_transaction (
    id BIGSERIAL NOT NULL,
    timestamp TIMESTAMP WITHOUT TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_rttx PRIMARY KEY (id)
);

CREATE TABLE sdb_namespace_config (
    namespace VARCHAR NOT NULL,
    serialized_config BYTEA NOT NULL,
    created_transaction BIGINT NOT NULL,
    deleted_transaction BIGINT NOT NULL DEFAULT '9223372036854775807',
    CONSTRAINT pk_namespace_config PRIMARY KEY (namespace, created_transaction)
);

CREATE TABLE sdb_relation_tuple (
    id BIGSERIAL NOT NULL,
    namespace VARCHAR NOT NULL,
    object_id VARCHAR NOT NULL,
    relation VARCHAR NOT NULL,
    userset_namespace VARCHAR NOT NULL,
    userset_object_id VARCHAR NOT NULL,
    userset_relation VARCHAR NOT NULL,
    created_transaction BIGINT NOT NULL,
    deleted_transaction BIGINT NOT NULL DEFAULT '9223372036854775807',
    CONSTRAINT pk_relation_tuple PRIMARY KEY (id),
    CONSTRAINT uq_relation_tuple_namespace UNIQUE (namespace, object_id, relation, userset_namespace, userset_object_id, userset_relation, created_transaction, deleted_transaction),
    CONSTRAINT uq_relation_tuple_living UNIQUE (namespace, object_id, relation, userset_namespace, userset_object_id, userset_relation, deleted_transaction)
);

INSERT INTO sdb_relation_tuple_transaction (timestamp) VALUES (to_timestamp(0));

CREATE TABLE sdb_alembic_version (
	version_num VARCHAR NOT NULL
);

INSERT INTO sdb_alembic_version (version_num) VALUES ('');

-- zz_migration.0002_add_reverse_index.go
CREATE INDEX ix_relation_tuple_by_subject ON sdb_relation_tuple (userset_object_id, userset_namespace, userset_relation, namespace, relation);
CREATE INDEX ix_relation_tuple_by_subject_relation ON sdb_relation_tuple (userset_namespace, userset_relation, namespace, relation);

-- zz_migration.0003_add_unique_living_ns.go
	DELETE FROM sdb_namespace_config WHERE namespace IN (
		SELECT namespace FROM sdb_namespace_config WHERE deleted_transaction = 9223372036854775807 GROUP BY namespace HAVING COUNT(created_transaction) > 1
	) AND (namespace, created_transaction) NOT IN (
		SELECT namespace, max(created_transaction) from sdb_namespace_config where deleted_transaction = 9223372036854775807 GROUP BY namespace HAVING COUNT(created_transaction) > 1);

	ALTER TABLE sdb_namespace_config
	ADD CONSTRAINT uq_namespace_living UNIQUE (namespace, deleted_transaction);

-- zz_migration.0004_add_transaction_timestamp_index.go
	CREATE INDEX ix_relation_tuple_transaction_by_timestamp on sdb_relation_tuple_transaction(timestamp);

-- zz_migration.0005_change_transaction_timestamp_default.go
	ALTER TABLE sdb_relation_tuple_transaction 
		ALTER COLUMN timestamp SET DEFAULT (now() AT TIME ZONE 'UTC');

-- zz_migration.0007_add_unique_datastore_id.go
CREATE TABLE sdb_metadata (
		unique_id VARCHAR PRIMARY KEY
	);
INSERT INTO sdb_metadata (unique_id) VALUES ('8a3f3c1e-0d5b-4a59-9f7e-2b1a6a3c9d41');

-- zz_migration.0008_add_ns_config_id.go
ALTER TABLE sdb_namespace_config DROP CONSTRAINT IF EXISTS pk_namespace_config;
ALTER TABLE sdb_namespace_config ADD COLUMN id BIGSERIAL PRIMARY KEY;

-- zz_migration.0009_caveat.go
	CREATE TABLE sdb_caveat (
		name VARCHAR NOT NULL,
		definition BYTEA NOT NULL,
		created_transaction BIGINT NOT NULL,
		deleted_transaction BIGINT NOT NULL DEFAULT '9223372036854775807',
		CONSTRAINT pk_caveat_v1 PRIMARY KEY (name, deleted_transaction),
		CONSTRAINT uq_caveat_v1 UNIQUE (name, created_transaction, deleted_transaction));
	ALTER TABLE sdb_relation_tuple
		ADD COLUMN caveat_name VARCHAR,
		ADD COLUMN caveat_context JSONB;

-- zz_migration.0010_add_xid8_columns.go
		ALTER TABLE sdb_relation_tuple_transaction
			ALTER COLUMN id SET DEFAULT (pg_current_xact_id()::text::bigint),
			ADD COLUMN xid xid8 NOT NULL DEFAULT (pg_current_xact_id()),
			ADD COLUMN snapshot pg_snapshot;

		ALTER TABLE sdb_relation_tuple
			ADD COLUMN created_xid xid8,
			ADD COLUMN deleted_xid xid8 NOT NULL DEFAULT ('9223372036854775807');

		ALTER TABLE sdb_namespace_config
			ADD COLUMN created_xid xid8,
			ADD COLUMN deleted_xid xid8 NOT NULL DEFAULT ('9223372036854775807');

		ALTER TABLE sdb_caveat
			ADD COLUMN created_xid xid8,
			ADD COLUMN deleted_xid xid8 NOT NULL DEFAULT ('9223372036854775807');

		ALTER TABLE sdb_relation_tuple_transaction
			ALTER COLUMN snapshot SET DEFAULT (pg_current_snapshot());

-- zz_migration.0011_backfill_xid_add_indices.go: its defaults (pgx runs them on the connection
-- outside a transaction; here they join the transactional file, the concurrent indexes follow in 157)
		ALTER TABLE sdb_relation_tuple
			ALTER COLUMN created_xid SET DEFAULT (pg_current_xact_id());

		ALTER TABLE sdb_namespace_config
			ALTER COLUMN created_xid SET DEFAULT (pg_current_xact_id());

		ALTER TABLE sdb_caveat
			ALTER COLUMN created_xid SET DEFAULT (pg_current_xact_id());

-- rows for the backfill to move, as a datastore written before 0010 holds them
INSERT INTO sdb_relation_tuple_transaction (id, timestamp, xid, snapshot) VALUES (2, now(), '2', NULL);
INSERT INTO sdb_namespace_config (namespace, serialized_config, created_transaction, created_xid) VALUES ('document', '\x0a08646f63756d656e74', 2, NULL);
INSERT INTO sdb_relation_tuple (namespace, object_id, relation, userset_namespace, userset_object_id, userset_relation, created_transaction, created_xid)
VALUES ('document', 'readme', 'viewer', 'user', 'alice', '...', 2, NULL);
