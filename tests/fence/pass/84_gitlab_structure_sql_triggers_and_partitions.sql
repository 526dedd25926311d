-- Pass corpus 84: a sample of GitLab's db/structure.sql (gitlabhq/gitlabhq, commit
-- 0016ea0586afbe89b5823f3fc254045ce7115af2), as Rails loads it: trigger functions that assign ids
-- from a sequence (assign_ci_runners_id_value), find a row as its table's row type
-- (find_namespaces_by_id), delete a project's namespace, record deletes through a statement
-- trigger's transition table (insert_into_loose_foreign_keys_deleted_records and its
-- _override_table twin, fired by `REFERENCING OLD TABLE AS old_table`), refuse a write while the
-- table is locked for writes (gitlab_schema_prevent_write, which reads the custom setting
-- `current_setting(CONCAT('lock_writes.', TG_TABLE_NAME), true)`), and list-partitioned tables
-- (loose_foreign_keys_deleted_records, ci_runners with a partition attached and its indexes
-- attached to the parent's), with their CREATE TRIGGER statements. Re-homed into expert_network: every
-- name qualified (GitLab's dynamic partitions live in its own gitlab_partitions_* schemas, which a
-- migration of expert_network may not make: its partition here is expert_network's), names prefixed
-- pp_gl_ and two cut below 63 bytes, the tables cut to a few columns, btree_gist left out (an
-- earlier pass file holds an operator <-> that its CREATE EXTENSION collides with). The fence had
-- refused gitlab_schema_prevent_write's computed setting name; the name always holds the constant's
-- dot, so it names a setting of the custom class lock_writes, as a literal does (PG 15: the 21
-- settings pg_settings hides from raguser are core ones, none dotted).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION expert_network.pp_gl_assign_ci_runners_id_value() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
IF NEW."id" IS NOT NULL THEN
  RAISE WARNING 'Manually assigning ids is not allowed, the value will be ignored';
END IF;
NEW."id" := nextval('expert_network.pp_gl_ci_runners_id_seq'::regclass);
RETURN NEW;

END
$$;

CREATE TABLE expert_network.pp_gl_namespaces (
    id bigint NOT NULL,
    name character varying NOT NULL,
    path character varying NOT NULL,
    type character varying DEFAULT 'User'::character varying NOT NULL,
    description character varying DEFAULT ''::character varying NOT NULL,
    parent_id bigint,
    project_namespace_id bigint,
    traversal_ids bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    organization_id bigint,
    CONSTRAINT check_2eae3bdf93 CHECK ((organization_id IS NOT NULL))
);

CREATE FUNCTION expert_network.pp_gl_find_namespaces_by_id(namespaces_id bigint) RETURNS expert_network.pp_gl_namespaces
    LANGUAGE plpgsql STABLE COST 1 PARALLEL SAFE
    AS $$
BEGIN
  return (SELECT pp_gl_namespaces FROM expert_network.pp_gl_namespaces WHERE id = namespaces_id LIMIT 1);
END;
$$;

CREATE FUNCTION expert_network.pp_gl_delete_associated_project_namespace() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
DELETE FROM expert_network.pp_gl_namespaces
WHERE pp_gl_namespaces.id = OLD.project_namespace_id AND
pp_gl_namespaces.type = 'Project';
RETURN NULL;

END
$$;

CREATE FUNCTION expert_network.pp_gl_gitlab_schema_prevent_write() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF COALESCE(NULLIF(current_setting(CONCAT('lock_writes.', TG_TABLE_NAME), true), ''), 'true') THEN
      RAISE EXCEPTION 'Table: "%" is write protected within this Gitlab database.', TG_TABLE_NAME
        USING ERRCODE = 'modifying_sql_data_not_permitted',
        HINT = 'Make sure you are using the right database connection';
    END IF;
    RETURN NEW;
END
$$;

CREATE TABLE expert_network.pp_gl_loose_foreign_keys_deleted_records (
    id bigint NOT NULL,
    partition bigint DEFAULT 1 NOT NULL,
    primary_key_value bigint NOT NULL,
    status smallint DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    fully_qualified_table_name text NOT NULL,
    consume_after timestamp with time zone DEFAULT now(),
    cleanup_attempts smallint DEFAULT 0,
    CONSTRAINT check_1a541f3235 CHECK ((char_length(fully_qualified_table_name) <= 150))
)
PARTITION BY LIST (partition);

CREATE SEQUENCE expert_network.pp_gl_loose_foreign_keys_deleted_records_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE expert_network.pp_gl_loose_foreign_keys_deleted_records_id_seq OWNED BY expert_network.pp_gl_loose_foreign_keys_deleted_records.id;

ALTER TABLE ONLY expert_network.pp_gl_loose_foreign_keys_deleted_records ALTER COLUMN id SET DEFAULT nextval('expert_network.pp_gl_loose_foreign_keys_deleted_records_id_seq'::regclass);

CREATE TABLE expert_network.pp_gl_loose_foreign_keys_deleted_records_1 PARTITION OF expert_network.pp_gl_loose_foreign_keys_deleted_records FOR VALUES IN ('1');

ALTER TABLE ONLY expert_network.pp_gl_loose_foreign_keys_deleted_records
    ADD CONSTRAINT pp_gl_loose_foreign_keys_deleted_records_pkey PRIMARY KEY (partition, id);

CREATE INDEX pp_gl_index_lfk_deleted_records_for_partitioned_query ON ONLY expert_network.pp_gl_loose_foreign_keys_deleted_records USING btree (partition, fully_qualified_table_name, consume_after, id) WHERE (status = 1);

CREATE FUNCTION expert_network.pp_gl_insert_into_loose_foreign_keys_deleted_records() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  INSERT INTO expert_network.pp_gl_loose_foreign_keys_deleted_records
  (fully_qualified_table_name, primary_key_value)
  SELECT TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, old_table.id FROM old_table;

  RETURN NULL;
END
$$;

CREATE FUNCTION expert_network.pp_gl_insert_into_lfk_deleted_records_override_table() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  INSERT INTO expert_network.pp_gl_loose_foreign_keys_deleted_records
  (fully_qualified_table_name, primary_key_value)
  SELECT current_schema() || '.' || TG_ARGV[0], old_table.id FROM old_table;

  RETURN NULL;
END
$$;

CREATE FUNCTION expert_network.pp_gl_next_traversal_ids_sibling(traversal_ids bigint[]) RETURNS bigint[]
    LANGUAGE plpgsql IMMUTABLE STRICT
    AS $$
BEGIN
  return traversal_ids[1:array_length(traversal_ids, 1)-1] ||
  ARRAY[traversal_ids[array_length(traversal_ids, 1)]+1];
END;
$$;

CREATE FUNCTION expert_network.pp_gl_prevent_delete_of_default_organization() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
IF OLD.id = 1 THEN
  RAISE EXCEPTION 'Deletion of the default Organization is not allowed.';
END IF;
RETURN OLD;

END
$$;

CREATE TABLE expert_network.pp_gl_organizations (
    id bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    name text DEFAULT ''::text NOT NULL,
    path text NOT NULL,
    visibility_level smallint DEFAULT 0 NOT NULL,
    CONSTRAINT check_0b4296b5ea CHECK ((char_length(path) <= 255)),
    CONSTRAINT check_d130d769e0 CHECK ((char_length(name) <= 255))
);

CREATE SEQUENCE expert_network.pp_gl_ci_runners_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;

CREATE TABLE expert_network.pp_gl_ci_runners (
    id bigint NOT NULL,
    runner_type smallint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    token_encrypted text,
    sharding_key_id bigint
)
PARTITION BY LIST (runner_type);

CREATE TABLE expert_network.pp_gl_instance_type_ci_runners (
    id bigint NOT NULL,
    runner_type smallint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    token_encrypted text,
    sharding_key_id bigint,
    CONSTRAINT check_sharding_key_id_nullness CHECK ((sharding_key_id IS NULL))
);

ALTER TABLE ONLY expert_network.pp_gl_ci_runners ATTACH PARTITION expert_network.pp_gl_instance_type_ci_runners FOR VALUES IN ('1');

ALTER TABLE ONLY expert_network.pp_gl_ci_runners ADD CONSTRAINT pp_gl_ci_runners_pkey PRIMARY KEY (id, runner_type);

ALTER TABLE ONLY expert_network.pp_gl_instance_type_ci_runners ADD CONSTRAINT pp_gl_instance_type_ci_runners_pkey PRIMARY KEY (id, runner_type);

ALTER INDEX expert_network.pp_gl_ci_runners_pkey ATTACH PARTITION expert_network.pp_gl_instance_type_ci_runners_pkey;

CREATE INDEX pp_gl_index_ci_runners_on_token_encrypted ON ONLY expert_network.pp_gl_ci_runners USING btree (token_encrypted);

CREATE INDEX pp_gl_instance_type_ci_runners_token_encrypted_idx ON expert_network.pp_gl_instance_type_ci_runners USING btree (token_encrypted);

ALTER INDEX expert_network.pp_gl_index_ci_runners_on_token_encrypted ATTACH PARTITION expert_network.pp_gl_instance_type_ci_runners_token_encrypted_idx;

CREATE INDEX pp_gl_index_namespaces_on_name_trigram ON expert_network.pp_gl_namespaces USING gin (name gin_trgm_ops);

CREATE INDEX pp_gl_index_namespaces_on_traversal_ids ON expert_network.pp_gl_namespaces USING gin (traversal_ids);

ALTER TABLE ONLY expert_network.pp_gl_namespaces ADD CONSTRAINT pp_gl_namespaces_pkey PRIMARY KEY (id);

ALTER TABLE ONLY expert_network.pp_gl_organizations ADD CONSTRAINT pp_gl_organizations_pkey PRIMARY KEY (id);

CREATE TRIGGER pp_gl_assign_ci_runners_id_trigger BEFORE INSERT ON expert_network.pp_gl_ci_runners FOR EACH ROW EXECUTE FUNCTION expert_network.pp_gl_assign_ci_runners_id_value();

CREATE TRIGGER pp_gl_namespaces_loose_fk_trigger AFTER DELETE ON expert_network.pp_gl_namespaces REFERENCING OLD TABLE AS old_table FOR EACH STATEMENT EXECUTE FUNCTION expert_network.pp_gl_insert_into_loose_foreign_keys_deleted_records();

CREATE TRIGGER pp_gl_organizations_loose_fk_trigger AFTER DELETE ON expert_network.pp_gl_organizations REFERENCING OLD TABLE AS old_table FOR EACH STATEMENT EXECUTE FUNCTION expert_network.pp_gl_insert_into_lfk_deleted_records_override_table('organizations');

CREATE TRIGGER pp_gl_prevent_delete_of_default_organization_before_destroy BEFORE DELETE ON expert_network.pp_gl_organizations FOR EACH ROW EXECUTE FUNCTION expert_network.pp_gl_prevent_delete_of_default_organization();

CREATE TRIGGER pp_gl_trigger_delete_project_namespace_on_project_delete AFTER DELETE ON expert_network.pp_gl_namespaces FOR EACH ROW WHEN ((old.project_namespace_id IS NOT NULL)) EXECUTE FUNCTION expert_network.pp_gl_delete_associated_project_namespace();

CREATE TRIGGER pp_gl_gitlab_schema_write_trigger_for_organizations BEFORE INSERT OR DELETE OR UPDATE OR TRUNCATE ON expert_network.pp_gl_organizations FOR EACH STATEMENT EXECUTE FUNCTION expert_network.pp_gl_gitlab_schema_prevent_write();

ALTER TABLE ONLY expert_network.pp_gl_namespaces
    ADD CONSTRAINT fk_rails_3d5e4a6f7 FOREIGN KEY (organization_id) REFERENCES expert_network.pp_gl_organizations(id) ON DELETE CASCADE;
