-- Pass corpus 190: Kill Bill's PostgreSQL setup (killbill/killbill
-- util/src/main/resources/org/killbill/billing/util/ddl-postgresql.sql, commit
-- 19586efd64458c7f51c96e216cce03e3a057c85f), which maps the MySQL types its DDL is written in onto
-- domains (`DROP DOMAIN IF EXISTS datetime CASCADE; CREATE DOMAIN datetime AS timestamp without time
-- zone`, mediumtext, mediumblob), runs `CREATE OR REPLACE LANGUAGE plpgsql` and makes
-- last_insert_id() (a PL/pgSQL `SELECT lastval() INTO result` with an `EXCEPTION WHEN OTHERS`
-- handler), then the shared DDL (util/src/main/resources/org/killbill/billing/util/ddl.sql, commit
-- 10320f0ca8fdd73ba9a05b98b24d142bc41805db) with MySQL's conditional comments left in
-- (`/*! SET storage_engine=INNODB */;`, an empty statement once the comment goes, and
-- `bigint /*! unsigned */`): `DROP TABLE IF EXISTS` before each `CREATE TABLE` of serial unique
-- record ids and datetime columns, and its indexes; then the insert and the `SELECT
-- last_insert_id()` its DAO runs after one. Re-homed as an operator adopting en-migrate would:
-- `SET search_path TO expert_network` for the schema Kill Bill's JDBC URL names, the tables cut to
-- four (custom_fields, audit_log, notifications, sessions) and prefixed kb_, the domains kept under
-- their own names (no earlier file makes a datatype of theirs). `CREATE OR REPLACE LANGUAGE` without
-- a handler is, from PostgreSQL 13 on, the parser's `CREATE EXTENSION IF NOT EXISTS plpgsql`: PG 15
-- said `extension "plpgsql" already exists, skipping`.
-- PostgreSQL 15 applied it with psql; read back: pg_type holds the domains datetime, mediumtext
-- and mediumblob in expert_network over timestamp, text and bytea, kb_sessions' columns are
-- expert_network.datetime and expert_network.mediumblob, pg_extension still has plpgsql in
-- pg_catalog alone, and `SELECT expert_network.last_insert_id()` returned 1.
SET search_path TO expert_network;

/* We cannot use timestamp in MySQL because of the implicit TimeZone conversions it does behind the scenes */
DROP DOMAIN IF EXISTS datetime CASCADE;
CREATE DOMAIN datetime AS timestamp without time zone;
/* TEXT in MySQL is smaller then MEDIUMTEXT */
DROP DOMAIN IF EXISTS mediumtext CASCADE;
CREATE DOMAIN mediumtext AS text;
/* PostgreSQL uses BYTEA to manage all BLOB types */
DROP DOMAIN IF EXISTS mediumblob CASCADE;
CREATE DOMAIN mediumblob AS bytea;

CREATE OR REPLACE LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION last_insert_id() RETURNS BIGINT AS $$
    DECLARE
        result BIGINT;
    BEGIN
        SELECT lastval() INTO result;
        RETURN result;
    EXCEPTION WHEN OTHERS THEN
        SELECT NULL INTO result;
        RETURN result;
    END;
$$ LANGUAGE plpgsql VOLATILE;

/*! SET storage_engine=INNODB */;

DROP TABLE IF EXISTS kb_custom_fields;
CREATE TABLE kb_custom_fields (
    record_id serial unique,
    id varchar(36) NOT NULL,
    object_id varchar(36) NOT NULL,
    object_type varchar(30) NOT NULL,
    is_active boolean default true,
    field_name varchar(30) NOT NULL,
    field_value varchar(255),
    created_by varchar(50) NOT NULL,
    created_date datetime NOT NULL,
    updated_by varchar(50) DEFAULT NULL,
    updated_date datetime DEFAULT NULL,
    account_record_id bigint /*! unsigned */ not null,
    tenant_record_id bigint /*! unsigned */ not null default 0,
    PRIMARY KEY(record_id)
) /*! CHARACTER SET utf8 COLLATE utf8_bin */;
CREATE UNIQUE INDEX kb_custom_fields_id ON kb_custom_fields(id);
CREATE INDEX kb_custom_fields_object_id_object_type ON kb_custom_fields(object_id, object_type);
CREATE INDEX kb_custom_fields_tenant_account_record_id ON kb_custom_fields(tenant_record_id, account_record_id);

DROP TABLE IF EXISTS kb_audit_log;
CREATE TABLE kb_audit_log (
    record_id serial unique,
    id varchar(36) NOT NULL,
    target_record_id bigint /*! unsigned */ not null,
    table_name varchar(50) NOT NULL,
    change_type varchar(6) NOT NULL,
    created_date datetime NOT NULL,
    created_by varchar(50) NOT NULL,
    reason_code varchar(255) DEFAULT NULL,
    comments varchar(255) DEFAULT NULL,
    user_token varchar(36),
    /* Note: can be NULL (e.g. tenant_kvs audits) */
    account_record_id bigint /*! unsigned */ default null,
    tenant_record_id bigint /*! unsigned */ not null default 0,
    PRIMARY KEY(record_id)
) /*! CHARACTER SET utf8 COLLATE utf8_bin */;
CREATE INDEX kb_audit_log_fetch_target_record_id ON kb_audit_log(table_name, target_record_id);
CREATE INDEX kb_audit_log_user_name ON kb_audit_log(created_by);
CREATE INDEX kb_audit_log_tenant_account_record_id ON kb_audit_log(tenant_record_id, account_record_id);
CREATE INDEX kb_audit_log_via_history ON kb_audit_log(target_record_id, table_name, tenant_record_id);

DROP TABLE IF EXISTS kb_notifications;
CREATE TABLE kb_notifications (
    record_id serial unique,
    class_name varchar(256) NOT NULL,
    event_json varchar(2048) NOT NULL,
    user_token varchar(36),
    created_date datetime NOT NULL,
    creating_owner varchar(50) NOT NULL,
    processing_owner varchar(50) DEFAULT NULL,
    processing_available_date datetime DEFAULT NULL,
    processing_state varchar(14) DEFAULT 'AVAILABLE',
    error_count int /*! unsigned */ DEFAULT 0,
    search_key1 bigint /*! unsigned */ not null,
    search_key2 bigint /*! unsigned */ not null default 0,
    queue_name varchar(64) NOT NULL,
    effective_date datetime NOT NULL,
    future_user_token varchar(36),
    PRIMARY KEY(record_id)
) /*! CHARACTER SET utf8 COLLATE utf8_bin */;
CREATE INDEX kb_idx_comp_where ON kb_notifications (effective_date, processing_state, processing_owner, processing_available_date);
CREATE INDEX kb_idx_update ON kb_notifications (processing_state, processing_owner, processing_available_date);
CREATE INDEX kb_idx_get_ready ON kb_notifications (effective_date, created_date);
CREATE INDEX kb_notifications_tenant_account_record_id ON kb_notifications(search_key2, search_key1);

drop table if exists kb_sessions;
create table kb_sessions (
  record_id serial unique
, start_timestamp datetime not null
, last_access_time datetime default null
, timeout int
, host varchar(100) default null
, session_data mediumblob default null
, primary key(record_id)
) /*! CHARACTER SET utf8 COLLATE utf8_bin */;

-- What Kill Bill's DAO runs after an insert (EntitySqlDao's getRecordId through last_insert_id()).
INSERT INTO kb_custom_fields (id, object_id, object_type, field_name, field_value, created_by, created_date, account_record_id)
VALUES ('c1', 'o1', 'ACCOUNT', 'color', 'blue', 'admin', now(), 1);
SELECT last_insert_id();
