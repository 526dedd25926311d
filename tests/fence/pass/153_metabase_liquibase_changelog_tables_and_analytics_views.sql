-- Pass corpus 153: Metabase's Liquibase changelog as it runs on PostgreSQL (metabase/metabase):
-- Liquibase's own lock and changelog tables (`CREATE TABLE <schema>.databasechangeloglock (ID
-- INTEGER NOT NULL, LOCKED BOOLEAN NOT NULL, ...)`, the lock taken and released by UPDATE, the
-- changelog row INSERTed after each changeSet), then from
-- resources/migrations/060/20260216_analytics_views.yaml (commit
-- f672557939dfb2068df9f7aeb10f61d856f81132) the changeSets v60.2026-02-17T12:00:00 to 12:01:02
-- (addColumn query_execution.transform_id with its remarks as COMMENT ON COLUMN, createIndex
-- idx_query_execution_transform_id, addColumn lens_id) and the `sqlFile` views of
-- resources/instance_analytics_views/ (users.sql, commit 14e23912cd3fd8f7444a1cfcb84f9ba13072d7c2:
-- `create or replace view v_users as select id as user_id, ... concat(first_name, ' ', last_name)
-- ... from core_user`; postgres-content.sql, commit 21256f3333d38fa99000ff841861bf5e43113e19:
-- `create or replace view v_content as select ... from collection union select ... from
-- report_card`, cut to two of its five branches and the columns those tables have). Re-homed as
-- Liquibase runs on a JDBC connection whose currentSchema is expert_network (its
-- defaultSchemaName; the session's `SET search_path TO expert_network`): Liquibase qualifies its
-- own tables and those of its change types with that schema, the sqlFile views stay unqualified
-- as Metabase writes them; the app tables prefixed pp_mb_ and cut to the columns used, the views
-- v_ prefixed pp_mb_ too. The fence passed it.
SET search_path TO expert_network;

CREATE TABLE expert_network.databasechangeloglock (ID INTEGER NOT NULL, LOCKED BOOLEAN NOT NULL, LOCKGRANTED TIMESTAMP WITHOUT TIME ZONE, LOCKEDBY VARCHAR(255), CONSTRAINT databasechangeloglock_pkey PRIMARY KEY (ID));

DELETE FROM expert_network.databasechangeloglock;

INSERT INTO expert_network.databasechangeloglock (ID, LOCKED) VALUES (1, FALSE);

UPDATE expert_network.databasechangeloglock SET LOCKED = TRUE, LOCKEDBY = 'metabase-host (127.0.0.1)', LOCKGRANTED = NOW() WHERE ID = 1 AND LOCKED = FALSE;

CREATE TABLE expert_network.databasechangelog (ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL, FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED TIMESTAMP WITHOUT TIME ZONE NOT NULL, ORDEREXECUTED INTEGER NOT NULL, EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35), DESCRIPTION VARCHAR(255), COMMENTS VARCHAR(255), TAG VARCHAR(255), LIQUIBASE VARCHAR(20), CONTEXTS VARCHAR(255), LABELS VARCHAR(255), DEPLOYMENT_ID VARCHAR(10));

CREATE TABLE expert_network.pp_mb_core_user (id SERIAL NOT NULL, email VARCHAR(254) NOT NULL, first_name VARCHAR(254), last_name VARCHAR(254), date_joined TIMESTAMP WITH TIME ZONE NOT NULL, last_login TIMESTAMP WITH TIME ZONE, updated_at TIMESTAMP WITH TIME ZONE, is_superuser BOOLEAN DEFAULT FALSE NOT NULL, is_active BOOLEAN DEFAULT TRUE NOT NULL, sso_source VARCHAR(254), locale VARCHAR(5), CONSTRAINT pp_mb_core_user_pkey PRIMARY KEY (id));

CREATE TABLE expert_network.pp_mb_collection (id SERIAL NOT NULL, name TEXT NOT NULL, description TEXT, archived BOOLEAN DEFAULT FALSE NOT NULL, created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW() NOT NULL, authority_level VARCHAR(255), personal_owner_id INTEGER, CONSTRAINT pp_mb_collection_pkey PRIMARY KEY (id));

CREATE TABLE expert_network.pp_mb_report_card (id SERIAL NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL, name VARCHAR(254) NOT NULL, description TEXT, display VARCHAR(254) NOT NULL, database_id INTEGER NOT NULL, query_type VARCHAR(16), creator_id INTEGER NOT NULL, collection_id INTEGER, made_public_by_id INTEGER, enable_embedding BOOLEAN DEFAULT FALSE NOT NULL, archived BOOLEAN DEFAULT FALSE NOT NULL, dataset BOOLEAN DEFAULT FALSE NOT NULL, CONSTRAINT pp_mb_report_card_pkey PRIMARY KEY (id));

CREATE TABLE expert_network.pp_mb_query_execution (id SERIAL NOT NULL, started_at TIMESTAMP WITH TIME ZONE NOT NULL, running_time INTEGER NOT NULL, card_id INTEGER, executor_id INTEGER, CONSTRAINT pp_mb_query_execution_pkey PRIMARY KEY (id));

ALTER TABLE expert_network.pp_mb_query_execution ADD transform_id INTEGER;

COMMENT ON COLUMN expert_network.pp_mb_query_execution.transform_id IS 'The ID of the Transform associated with this query execution, if any.';

INSERT INTO expert_network.databasechangelog (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, DEPLOYMENT_ID) VALUES ('v60.2026-02-17T12:00:00', 'bronsa', 'migrations/060_update_migrations.yaml', NOW(), 1, '9:0123456789abcdef0123456789abcdef', 'addColumn tableName=query_execution', 'Add query_execution.transform_id for inspector query attribution', 'EXECUTED', NULL, NULL, '4.26.0', '1234567890');

CREATE INDEX idx_query_execution_transform_id ON expert_network.pp_mb_query_execution(transform_id);

ALTER TABLE expert_network.pp_mb_query_execution ADD lens_id VARCHAR(254);

COMMENT ON COLUMN expert_network.pp_mb_query_execution.lens_id IS 'The ID of the inspector lens associated with this query execution, if any.';

create or replace view pp_mb_v_users as
select
    id as user_id,
    email,
    first_name,
    last_name,
    concat(first_name, ' ', last_name) as full_name,
    date_joined,
    last_login,
    updated_at,
    is_superuser as is_admin,
    is_active,
    sso_source,
    locale
    from pp_mb_core_user;

create or replace view pp_mb_v_content as
select
    pp_mb_collection.id as entity_id,
    concat('collection_', id) as entity_qualified_id,
    'collection' as entity_type,
    created_at,
    null as updated_at,
    null as creator_id,
    name,
    description,
    null as collection_id,
    archived,
    case when authority_level='official' then true else false end as collection_is_official,
    case when personal_owner_id is not null then true else false end as collection_is_personal,
    null as question_is_native
    from pp_mb_collection
union
select
    pp_mb_report_card.id as entity_id,
    concat(
        case when dataset
            then 'model_'
            else 'question_'
        end, id) as entity_qualified_id,
    case when dataset then 'model' else 'question' end as entity_type,
    created_at,
    updated_at,
    creator_id,
    name,
    description,
    collection_id as collection_id,
    archived,
    null as collection_is_official,
    null as collection_is_personal,
    case when query_type='native' then true else false end as question_is_native
    from pp_mb_report_card;

UPDATE expert_network.databasechangeloglock SET LOCKED = FALSE, LOCKEDBY = NULL, LOCKGRANTED = NULL WHERE ID = 1;
