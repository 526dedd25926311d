-- Pass corpus 52: the sequences the server makes for serial and identity columns, read unqualified
-- as goharbor/harbor's make/migrations/postgresql/0171_2.14.1_schema.up.sql reads `audit_log_id_seq`
-- in a DO block (re-homed into expert_network). The fence refused `audit_log_id_seq` as a relation
-- no migration creates: `id SERIAL` makes expert_network.audit_log_id_seq (makeObjectName(table,
-- column, "seq"), in the table's schema), and `GENERATED ... AS IDENTITY` the same name.
create table expert_network.pp_hb_properties (
 id SERIAL NOT NULL,
 k varchar(64) NOT NULL,
 v varchar(1024) NOT NULL,
 PRIMARY KEY(id),
 UNIQUE (k)
);

CREATE TABLE expert_network.pp_hb_audit_log
(
 id             SERIAL PRIMARY KEY NOT NULL,
 project_id     int NOT NULL,
 operation      varchar(20) NOT NULL,
 op_time        timestamp default CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS expert_network.pp_hb_audit_log_ext
(
 id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
 project_id     BIGINT,
 operation      VARCHAR(50) NULL,
 op_time        TIMESTAMP default CURRENT_TIMESTAMP
);

ALTER TABLE expert_network.pp_hb_audit_log ADD COLUMN IF NOT EXISTS seq_no bigserial;

/*
Initialize skip_audit_log_database configuration based on existing audit log usage - Only insert the configuration if it doesn't already exist
1. If tables exist and show evidence of previous usage
   set skip_audit_log_database to false
2. If tables exist but show no evidence of usage, don't create the configuration record
*/
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pp_hb_properties WHERE k = 'skip_audit_log_database') THEN
        RETURN;
    END IF;

    IF (SELECT last_value FROM pp_hb_audit_log_id_seq) > 1
       OR (SELECT last_value FROM pp_hb_audit_log_ext_id_seq) > 1
       OR (SELECT last_value FROM pp_hb_audit_log_seq_no_seq) > 1 THEN
        INSERT INTO pp_hb_properties (k, v) VALUES ('skip_audit_log_database', 'false');
    END IF;
END $$;

SELECT setval('pp_hb_audit_log_id_seq', (SELECT COALESCE(MAX(id), 0) + 1 FROM expert_network.pp_hb_audit_log), false);
