-- Pass corpus 162: Harbor's migrations from 2.10 to 2.16 (goharbor/harbor, commit
-- c50c7ddd6ea4e335a480b49c618281882ab7eec9, make/migrations/postgresql/), which golang-migrate runs
-- one file at a time, every name unqualified, on the connection's path. The tables they change are
-- made first as Harbor's earlier files made them (0001_initial_schema's
-- update_update_time_at_column() trigger function, 0004_1.8.0's robot with its
-- BEFORE UPDATE trigger, 0040_2.1.0's p2p_preheat_policy and p2p_preheat_instance, 0080_2.5.0's
-- artifact_accessory, cut to the columns the later files touch), then verbatim but for the prefix:
-- 0130_2.10.0 (DROP TABLE IF EXISTS of a table no migration made here, CREATE INDEX IF NOT EXISTS),
-- 0140_2.11.0 (ADD COLUMN IF NOT EXISTS, an UPDATE, SET NOT NULL, a table with an inline UNIQUE),
-- 0150_2.12.0, 0160_2.13.0 (DROP COLUMN IF EXISTS, a BIGSERIAL table and its indexes), 0170_2.14.0
-- (serial keys retyped `ALTER COLUMN id TYPE BIGINT` and their sequences `ALTER SEQUENCE
-- role_permission_id_seq AS BIGINT`), 0180, 0181 (int columns to bigint) and 0190_2.16.0 (a DEFAULT'd varchar column,
-- robot's id and creator_ref to bigint under its trigger, `ALTER SEQUENCE robot_id_seq AS bigint
-- MAXVALUE 9007199254740991`). Re-homed as an operator adopting en-migrate would:
-- `SET search_path TO expert_network;` first, the tables prefixed hb2_ (corpus 52 holds pp_hb_).
-- Proof (PostgreSQL 15, psql as the superuser, ON_ERROR_STOP, on the seeded database): applied;
-- pg_sequence gave expert_network.hb2_robot_id_seq seqtypid bigint and seqmax 9007199254740991, and
-- hb2_role_permission_id_seq and hb2_permission_policy_id_seq seqtypid bigint; pg_attribute gave
-- hb2_robot.id int8; pg_trigger held hb2_robot_update_time_at_modtime on expert_network.hb2_robot.
SET search_path TO expert_network;

-- 0001_initial_schema.up.sql
CREATE FUNCTION hb2_update_update_time_at_column() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
  BEGIN
    NEW.update_time = NOW();
    RETURN NEW;
  END;
$$;

create table hb2_role_permission (
 id SERIAL PRIMARY KEY NOT NULL,
 role_type varchar(255) NOT NULL,
 role_id int NOT NULL,
 permission_policy_id int NOT NULL,
 creation_time timestamp default CURRENT_TIMESTAMP,
 CONSTRAINT hb2_unique_rbac_role_permission UNIQUE (role_type, role_id, permission_policy_id)
);

create table hb2_permission_policy (
 id SERIAL PRIMARY KEY NOT NULL,
 scope varchar(255) NOT NULL,
 resource varchar(255),
 action varchar(255),
 effect varchar(255),
 creation_time timestamp default CURRENT_TIMESTAMP,
 CONSTRAINT hb2_unique_rbac_policy UNIQUE (scope, resource, action, effect)
);

-- 0004_1.8.0_schema.up.sql
CREATE TABLE hb2_robot (
 id SERIAL PRIMARY KEY NOT NULL,
 name varchar(255),
 description varchar(1024),
 project_id int,
 expiresat bigint,
 disabled boolean DEFAULT false NOT NULL,
 creation_time timestamp default CURRENT_TIMESTAMP,
 update_time timestamp default CURRENT_TIMESTAMP,
 CONSTRAINT hb2_unique_robot UNIQUE (name, project_id)
);

CREATE TRIGGER hb2_robot_update_time_at_modtime BEFORE UPDATE ON hb2_robot FOR EACH ROW EXECUTE PROCEDURE hb2_update_update_time_at_column();

-- 0010_1.9.0_schema.up.sql, 0040_2.1.0_schema.up.sql, 0080_2.5.0_schema.up.sql (cut)
CREATE TABLE hb2_artifact
(
  id            SERIAL PRIMARY KEY NOT NULL,
  project_id    int                NOT NULL,
  media_type    varchar(255)       NOT NULL,
  digest        varchar(255)       NOT NULL,
  repository_id int                NOT NULL,
  CONSTRAINT hb2_unique_artifact UNIQUE (repository_id, digest)
);

create table hb2_schedule
(
  id            SERIAL NOT NULL,
  job_id        varchar(64),
  status        varchar(64),
  revision      integer,
  creation_time timestamp default CURRENT_TIMESTAMP,
  update_time   timestamp default CURRENT_TIMESTAMP,
  PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS hb2_task (
    id SERIAL PRIMARY KEY NOT NULL,
    execution_id int NOT NULL,
    job_id varchar(64),
    status varchar(16) NOT NULL,
    status_code int NOT NULL,
    status_revision int,
    status_message text,
    run_count int,
    extra_attrs JSON,
    creation_time timestamp DEFAULT CURRENT_TIMESTAMP,
    start_time timestamp,
    update_time timestamp,
    end_time timestamp
);

CREATE TABLE IF NOT EXISTS hb2_p2p_preheat_instance (
  id          SERIAL PRIMARY KEY NOT NULL,
  name        varchar(255) NOT NULL,
  description varchar(255),
  vendor	  varchar(255) NOT NULL,
  endpoint    varchar(255) NOT NULL,
  auth_mode   varchar(255),
  auth_data   text,
  enabled     boolean,
  is_default  boolean,
  insecure    boolean,
  setup_timestamp int,
  UNIQUE (name)
);

CREATE TABLE IF NOT EXISTS hb2_p2p_preheat_policy (
    id SERIAL PRIMARY KEY NOT NULL,
    name varchar(255) NOT NULL,
    description varchar(1024),
    project_id int NOT NULL,
    provider_id int NOT NULL,
    filters varchar(1024),
    trigger varchar(255),
    enabled boolean,
    creation_time timestamp,
    update_time timestamp,
    UNIQUE (name, project_id)
);

CREATE TABLE IF NOT EXISTS hb2_artifact_accessory (
    id SERIAL PRIMARY KEY NOT NULL,
    /*
       the artifact id of the accessory itself.
    */
    artifact_id bigint,
    /*
     the subject artifact id of the accessory.
    */
    subject_artifact_id bigint,
    /*
     the type of the accessory, like signature.cosign.
    */
    type varchar(256),
    size bigint,
    digest varchar(1024),
    creation_time timestamp default CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS hb2_registry (
  id SERIAL PRIMARY KEY NOT NULL,
  name varchar(64),
  url varchar(256),
  access_key varchar(255),
  access_secret varchar(4096),
  UNIQUE (name)
);

CREATE TABLE IF NOT EXISTS hb2_vulnerability_record (
  id serial NOT NULL PRIMARY KEY,
  cve_id text NOT NULL,
  registration_uuid text NOT NULL
);

CREATE TABLE IF NOT EXISTS hb2_replication_policy (
  id SERIAL PRIMARY KEY NOT NULL,
  name varchar(256),
  enabled boolean NOT NULL DEFAULT true
);

-- 0130_2.10.0_schema.up.sql
DROP TABLE IF EXISTS hb2_harbor_resource_label;

CREATE INDEX IF NOT EXISTS idx_hb2_artifact_accessory_subject_artifact_id ON hb2_artifact_accessory (subject_artifact_id);

-- 0140_2.11.0_schema.up.sql
/*
Add new column artifact_type for artifact table to work with oci-spec v1.1.0 list referrer api
*/
ALTER TABLE hb2_artifact ADD COLUMN IF NOT EXISTS artifact_type varchar(255);

/*
set value for artifact_type
then set column artifact_type as not null
*/
UPDATE hb2_artifact SET artifact_type = media_type WHERE artifact_type IS NULL;

ALTER TABLE hb2_artifact ALTER COLUMN artifact_type SET NOT NULL;

CREATE TABLE IF NOT EXISTS hb2_sbom_report
(
    id SERIAL PRIMARY KEY NOT NULL,
    uuid VARCHAR(64) UNIQUE NOT NULL,
    artifact_id INT NOT NULL,
    registration_uuid VARCHAR(64) NOT NULL,
    mime_type VARCHAR(256) NOT NULL,
    media_type VARCHAR(256) NOT NULL,
    report JSON,
    UNIQUE(artifact_id, registration_uuid, mime_type, media_type)
);

-- 0150_2.12.0_schema.up.sql
/*
Add new column creator_ref and creator_type for robot table to record the creator information of the robot
*/
ALTER TABLE hb2_robot ADD COLUMN IF NOT EXISTS creator_ref integer default 0;
ALTER TABLE hb2_robot ADD COLUMN IF NOT EXISTS creator_type varchar(255);

ALTER TABLE hb2_p2p_preheat_policy ADD COLUMN IF NOT EXISTS scope varchar(255);

-- 0160_2.13.0_schema.up.sql
ALTER TABLE hb2_p2p_preheat_policy DROP COLUMN IF EXISTS scope;
ALTER TABLE hb2_p2p_preheat_policy ADD COLUMN IF NOT EXISTS extra_attrs text;

CREATE TABLE IF NOT EXISTS hb2_audit_log_ext
(
	id BIGSERIAL PRIMARY KEY NOT NULL,
	project_id BIGINT,
	operation VARCHAR(50) NULL,
	resource_type VARCHAR(255) NULL,
	resource VARCHAR(1024) NULL,
	username VARCHAR(255) NULL,
	op_desc VARCHAR(1024) NULL,
	op_result BOOLEAN DEFAULT true,
	payload TEXT NULL,
	source_ip VARCHAR(50) NULL,
	op_time TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

-- add index to the audit_log_ext table
CREATE INDEX IF NOT EXISTS idx_hb2_audit_log_ext_op_time ON hb2_audit_log_ext (op_time);
CREATE INDEX IF NOT EXISTS idx_hb2_audit_log_ext_project_id_optime ON hb2_audit_log_ext (project_id, op_time);
CREATE INDEX IF NOT EXISTS idx_hb2_audit_log_ext_project_id_resource_type ON hb2_audit_log_ext (project_id, resource_type);
CREATE INDEX IF NOT EXISTS idx_hb2_audit_log_ext_project_id_operation ON hb2_audit_log_ext (project_id, operation);

-- 0170_2.14.0_schema.up.sql
ALTER TABLE hb2_role_permission ALTER COLUMN id TYPE BIGINT;
ALTER SEQUENCE hb2_role_permission_id_seq AS BIGINT;

ALTER TABLE hb2_permission_policy ALTER COLUMN id TYPE BIGINT;
ALTER SEQUENCE hb2_permission_policy_id_seq AS BIGINT;

ALTER TABLE hb2_role_permission ALTER COLUMN permission_policy_id TYPE BIGINT;

ALTER TABLE hb2_vulnerability_record ADD COLUMN IF NOT EXISTS status text;

ALTER TABLE hb2_replication_policy ADD COLUMN IF NOT EXISTS single_active_replication boolean;

-- 0171_2.14.1_schema.up.sql: its DO block reading audit_log_id_seq's last_value is corpus 52's.

-- 0180_2.15.0_schema.up.sql
ALTER TABLE hb2_registry ADD COLUMN IF NOT EXISTS ca_certificate TEXT;

-- 0181_2.15.3_schema.up.sql
/*
Convert setup_timestamp in p2p_preheat_instance, status_revision in task, and revision in schedule to bigint to avoid y2k38 overflow, issue #23711.
*/
ALTER TABLE hb2_p2p_preheat_instance ALTER COLUMN setup_timestamp TYPE bigint;
ALTER TABLE hb2_task ALTER COLUMN status_revision TYPE bigint;
ALTER TABLE hb2_schedule ALTER COLUMN revision TYPE bigint;

-- 0190_2.16.0_schema.up.sql
ALTER TABLE hb2_artifact_accessory ADD COLUMN IF NOT EXISTS source varchar(50) DEFAULT 'local';

/*
Increase the length of the registry access_key column so it can store long-form credentials.

This keeps access_key consistent with access_secret, which is already varchar(4096).

See: https://github.com/goharbor/harbor/issues/23303
*/
ALTER TABLE hb2_registry ALTER COLUMN access_key TYPE varchar(4096);

/*
Convert the robot account ID columns to bigint to avoid running out of the int4 range, issue #23091.
*/
ALTER TABLE hb2_robot ALTER COLUMN id TYPE bigint;
ALTER TABLE hb2_robot ALTER COLUMN creator_ref TYPE bigint;
ALTER TABLE hb2_role_permission ALTER COLUMN role_id TYPE bigint;
ALTER SEQUENCE hb2_robot_id_seq AS bigint MAXVALUE 9007199254740991;
