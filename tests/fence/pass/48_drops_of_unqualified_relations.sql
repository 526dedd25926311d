-- Pass corpus 48: relations dropped by an unqualified name, as temporalio/temporal (commit
-- 6805caea59e35d0611ed96be69641b8d86bff11c) writes in schema/postgresql/v12/temporal/versioned/
-- v1.8/drop_unused_tasks_table.sql (`DROP TABLE tiered_storage_tasks;`, the table v1.7 made) and
-- v1.13/nexus_endpoints.sql (`DROP TABLE nexus_incoming_services;`), and supabase/auth (commit
-- bc32168e13fdc928c98b449fc76bc3fdb9a293c5) in migrations/20220114185221_update_user_idx.up.sql
-- (`DROP INDEX IF EXISTS users_instance_id_email_idx;`, then made again with lower(email)),
-- re-homed into expert_network: the creating statements qualified, the drops as the projects wrote
-- them. The fence refused each as "table tiered_storage_tasks is not schema-qualified" ("index
-- users_instance_id_email_idx ..."), although the server finds a relation named by DROP or COMMENT
-- on the search_path as it finds `ALTER TABLE`'s, which the fence resolves to expert_network's.
CREATE TABLE expert_network.pp_tp_tiered_storage_tasks(
  shard_id INTEGER NOT NULL,
  task_id BIGINT NOT NULL,
  --
  data BYTEA NOT NULL,
  data_encoding VARCHAR(16) NOT NULL,
  PRIMARY KEY (shard_id, task_id)
);

DROP TABLE pp_tp_tiered_storage_tasks;

-- Stores information about Nexus incoming services
CREATE TABLE expert_network.pp_tp_nexus_incoming_services (
    service_id      BYTEA NOT NULL,
    data            BYTEA NOT NULL,
    data_encoding   VARCHAR(16) NOT NULL,
    version         BIGINT NOT NULL,
    PRIMARY KEY (service_id)
);

CREATE TABLE expert_network.pp_tp_nexus_incoming_services_partition_status (
    id      INT NOT NULL PRIMARY KEY DEFAULT 0,
    version BIGINT NOT NULL,
    CONSTRAINT only_one_row CHECK (id = 0)
);

DROP TABLE pp_tp_nexus_incoming_services;
DROP TABLE pp_tp_nexus_incoming_services_partition_status;

CREATE TABLE IF NOT EXISTS expert_network.pp_ga_users (
	instance_id uuid NULL,
	id uuid NOT NULL UNIQUE,
	aud varchar(255) NULL,
	email varchar(255) NULL UNIQUE,
	confirmation_token varchar(255) NULL,
	created_at timestamptz NULL,
	CONSTRAINT pp_ga_users_pkey PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS pp_ga_users_instance_id_email_idx ON expert_network.pp_ga_users USING btree (instance_id, email);
comment on table expert_network.pp_ga_users is 'Auth: Stores user login data within a secure schema.';

-- updates users_instance_id_email_idx definition

DROP INDEX IF EXISTS pp_ga_users_instance_id_email_idx;
CREATE INDEX IF NOT EXISTS pp_ga_users_instance_id_email_idx on "expert_network".pp_ga_users using btree (instance_id, lower(email));
