-- Pass corpus 172: Sequin's Ecto migrations (sequinstream/sequin priv/repo/migrations, commit
-- 46ce4e1048437575ce3c40ebb3eb589a4b9e4f27), which take their schemas from the config
-- (`@config_schema`, `@stream_schema`): 20240626021320_create_initial.exs (`CREATE EXTENSION IF NOT
-- EXISTS "uuid-ossp"` and citext without a schema, `create schema if not exists #{@stream_schema}`,
-- enums made by `execute "CREATE TYPE #{@config_schema}.consumer_status AS ENUM (...)"`, `CREATE
-- SEQUENCE #{@config_schema}.consumer_seq` shared by two tables through `default:
-- fragment("nextval('#{@config_schema}.consumer_seq')")`, composite keys `references(...,
-- with: [account_id: :account_id])` onto unique (id, account_id) indexes, jsonb[] columns, and the
-- message tables `PARTITION BY LIST (consumer_id)` with uuid_generate_v4() defaults),
-- 20240914151645 (a trigger function raising when `unnest(new.source_tables) as st` has a row whose
-- `(st->>'sort_column_attnum')::int is null`, on two tables), 20241004200622 (`alter table ... alter
-- column seq set default nextval('...consumer_seq')`), 20241120224011 (a BEFORE UPDATE trigger
-- setting `NOW() AT TIME ZONE 'UTC'` on state changes, a partial unique index `where: "state =
-- 'active'"`), 20250409171520 (a BEFORE DELETE trigger whose function counts the rows whose
-- `(sc.sink->>'http_endpoint_id')::uuid = OLD.id` and returns OLD), 20250609234114 (the first
-- trigger and its function dropped with `if exists`, the column it read dropped), and 20251220115210 (DO blocks
-- that read information_schema.columns and information_schema.tables of the configured schema, run a
-- constant `EXECUTE '...' INTO` to block the migration with RAISE EXCEPTION, drop a column only if
-- it exists, then `DROP TABLE IF EXISTS ... consumer_records CASCADE` with its partitions and `DROP
-- TYPE IF EXISTS` of an enum). Re-homed as an operator who sets both of Sequin's schema prefixes to
-- expert_network: every `#{@config_schema}` and `#{@stream_schema}` is expert_network, so `create
-- schema if not exists` names the schema that is there already (the server skips it with a notice),
-- the DSL's tables qualified as Ecto writes them, the partition a consumer gets at run time
-- (`CREATE TABLE ... PARTITION OF ... FOR VALUES IN (...)`) made as Sequin makes it; tables and
-- types prefixed sq_. sq_prevent_http_endpoint_deletion() as Sequin writes it (no path of its own) was
-- refused rightly: sq_http_endpoints' account key cascades on delete, so a delete of an account
-- fires it as the table's owner, and its unqualified `->>` and `=` are looked up on a path that
-- searches expert_network (PG 15: an `expert_network.->>(jsonb, jsonb)` made there was picked for
-- `sink->>'type'`, the literal taken as jsonb); it carries the fence's hint here, `SET search_path =
-- pg_catalog, pg_temp`, its names already qualified as Sequin writes them. The fence passed it; psql on PostgreSQL 15 applied it, the guarded drop left
-- pg_class with no sq_consumer_records nor its partition, and the trigger refused the delete of an
-- endpoint in use.
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE EXTENSION IF NOT EXISTS citext;
create schema if not exists expert_network;

CREATE TABLE "expert_network"."sq_accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" varchar(255) NOT NULL, "inserted_at" timestamp(0) NOT NULL, "updated_at" timestamp(0) NOT NULL, PRIMARY KEY ("id"));
CREATE TABLE "expert_network"."sq_users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" varchar(255), "email" citext NOT NULL, "hashed_password" varchar(255), "auth_provider" varchar(255) NOT NULL, "auth_provider_id" varchar(255), "account_id" uuid NOT NULL CONSTRAINT "sq_users_account_id_fkey" REFERENCES "expert_network"."sq_accounts"("id") ON DELETE CASCADE, "inserted_at" timestamp(0) NOT NULL, "updated_at" timestamp(0) NOT NULL, PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "sq_users_email_index" ON "expert_network"."sq_users" ("email");
CREATE UNIQUE INDEX "sq_users_auth_provider_auth_provider_id_index" ON "expert_network"."sq_users" ("auth_provider", "auth_provider_id") WHERE auth_provider_id is not null;
ALTER TABLE "expert_network"."sq_users" ADD CONSTRAINT "sq_auth_provider_constraint" CHECK ((auth_provider = 'identity' AND hashed_password IS NOT NULL AND auth_provider_id IS NULL) OR
(auth_provider != 'identity' AND hashed_password IS NULL AND auth_provider_id IS NOT NULL)
);
CREATE TABLE "expert_network"."sq_postgres_replication_slots" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "publication_name" varchar(255) NOT NULL, "slot_name" varchar(255) NOT NULL, "account_id" uuid NOT NULL CONSTRAINT "sq_postgres_replication_slots_account_id_fkey" REFERENCES "expert_network"."sq_accounts"("id"), "inserted_at" timestamp(0) NOT NULL, "updated_at" timestamp(0) NOT NULL, PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "sq_postgres_replication_slots_id_account_id_index" ON "expert_network"."sq_postgres_replication_slots" ("id", "account_id");
CREATE TABLE "expert_network"."sq_http_endpoints" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" varchar(255), "base_url" varchar(255) NOT NULL, "headers" jsonb DEFAULT '{}', "account_id" uuid NOT NULL CONSTRAINT "sq_http_endpoints_account_id_fkey" REFERENCES "expert_network"."sq_accounts"("id") ON DELETE CASCADE, "inserted_at" timestamp(0) NOT NULL, "updated_at" timestamp(0) NOT NULL, PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "sq_http_endpoints_id_account_id_index" ON "expert_network"."sq_http_endpoints" ("id", "account_id");
CREATE TYPE expert_network.sq_consumer_status AS ENUM ('active', 'disabled');
CREATE TYPE expert_network.sq_consumer_message_kind AS ENUM ('record', 'event');
CREATE SEQUENCE expert_network.sq_consumer_seq;
CREATE TABLE "expert_network"."sq_sink_consumers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "name" text NOT NULL, "sink" jsonb NOT NULL, "replication_slot_id" uuid NOT NULL, "source_tables" jsonb[] DEFAULT '{}' NOT NULL, "message_kind" expert_network.sq_consumer_message_kind DEFAULT 'record' NOT NULL, "status" expert_network.sq_consumer_status DEFAULT 'active' NOT NULL, "seq" integer DEFAULT nextval('expert_network.sq_consumer_seq') NOT NULL, "inserted_at" timestamp(0) NOT NULL, "updated_at" timestamp(0) NOT NULL, CONSTRAINT "sq_sink_consumers_replication_slot_id_fkey" FOREIGN KEY ("replication_slot_id","account_id") REFERENCES "expert_network"."sq_postgres_replication_slots"("id","account_id"), PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "sq_sink_consumers_account_id_name_index" ON "expert_network"."sq_sink_consumers" ("account_id", "name");
CREATE UNIQUE INDEX "sq_sink_consumers_id_account_id_index" ON "expert_network"."sq_sink_consumers" ("id", "account_id");
CREATE TABLE "expert_network"."sq_wal_pipelines" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" varchar(255) NOT NULL, "seq" integer NOT NULL, "source_tables" jsonb[] DEFAULT '{}' NOT NULL, "account_id" uuid NOT NULL CONSTRAINT "sq_wal_pipelines_account_id_fkey" REFERENCES "expert_network"."sq_accounts"("id"), "inserted_at" timestamp(0) NOT NULL, "updated_at" timestamp(0) NOT NULL, PRIMARY KEY ("id"));
alter table expert_network.sq_wal_pipelines alter column seq set default nextval('expert_network.sq_consumer_seq');

create type expert_network.sq_consumer_record_state as enum ('acked', 'available', 'delivered', 'pending_redelivery');
CREATE TABLE "expert_network"."sq_consumer_events" ("consumer_id" uuid NOT NULL, "id" serial NOT NULL, "commit_lsn" bigint NOT NULL, "record_pks" text[] NOT NULL, "table_oid" integer NOT NULL, "data" jsonb NOT NULL, "ack_id" uuid DEFAULT uuid_generate_v4() NOT NULL, "not_visible_until" timestamp, "deliver_count" integer DEFAULT 0 NOT NULL, "last_delivered_at" timestamp, "inserted_at" timestamp NOT NULL, "updated_at" timestamp NOT NULL, PRIMARY KEY ("consumer_id","id")) PARTITION BY LIST (consumer_id);
CREATE UNIQUE INDEX "sq_consumer_events_consumer_id_ack_id_index" ON "expert_network"."sq_consumer_events" ("consumer_id", "ack_id");
CREATE INDEX "sq_consumer_events_consumer_id_not_visible_until_last_delivered_at_index" ON "expert_network"."sq_consumer_events" ("consumer_id", "not_visible_until", "last_delivered_at");
CREATE TABLE "expert_network"."sq_consumer_records" ("consumer_id" uuid NOT NULL, "id" serial NOT NULL, "commit_lsn" bigint, "record_pks" text[] NOT NULL, "table_oid" integer NOT NULL, "state" expert_network.sq_consumer_record_state NOT NULL, "ack_id" uuid DEFAULT uuid_generate_v4() NOT NULL, "inserted_at" timestamp NOT NULL, "updated_at" timestamp NOT NULL, PRIMARY KEY ("consumer_id","id")) PARTITION BY LIST (consumer_id);
CREATE UNIQUE INDEX "sq_consumer_records_consumer_id_record_pks_table_oid_index" ON "expert_network"."sq_consumer_records" ("consumer_id", "record_pks", "table_oid");
CREATE TABLE IF NOT EXISTS expert_network.sq_consumer_records_2f4a PARTITION OF expert_network.sq_consumer_records FOR VALUES IN ('2f4a1c8e-9b7d-4e53-a1f0-6c2d8e9b0a11');

create or replace function expert_network.sq_check_sort_column_attnum()
returns trigger as $$
begin
  if new.message_kind = 'record' then
    if array_length(new.source_tables, 1) = 0 then
      raise exception 'source_tables must not be empty when message_kind is record';
    end if;

    if exists (
      select 1
      from unnest(new.source_tables) as st
      where (st->>'sort_column_attnum')::int is null
    ) then
      raise exception 'All source tables must have a sort_column_attnum when message_kind is record';
    end if;
  end if;
  return new;
end;
$$ language plpgsql;

create trigger sq_check_sort_column_attnum_push
before insert or update on expert_network.sq_sink_consumers
for each row execute function expert_network.sq_check_sort_column_attnum();

CREATE TYPE expert_network.sq_backfill_state AS ENUM (
  'active', 'completed', 'cancelled'
);
CREATE TABLE "expert_network"."sq_backfills" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL CONSTRAINT "sq_backfills_account_id_fkey" REFERENCES "expert_network"."sq_accounts"("id") ON DELETE CASCADE, "sink_consumer_id" uuid NOT NULL, "state" expert_network.sq_backfill_state NOT NULL, "rows_processed_count" integer DEFAULT 0 NOT NULL, "completed_at" timestamp(0), "canceled_at" timestamp(0), "inserted_at" timestamp(0) NOT NULL, "updated_at" timestamp(0) NOT NULL, CONSTRAINT "sq_backfills_sink_consumer_id_fkey" FOREIGN KEY ("sink_consumer_id","account_id") REFERENCES "expert_network"."sq_sink_consumers"("id","account_id") ON DELETE CASCADE, PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "sq_backfills_sink_consumer_id_index" ON "expert_network"."sq_backfills" ("sink_consumer_id") WHERE state = 'active';
CREATE OR REPLACE FUNCTION expert_network.sq_set_backfill_timestamps()
RETURNS TRIGGER AS $$
BEGIN
  IF NEW.state = 'completed' AND OLD.state != 'completed' THEN
    NEW.completed_at = NOW() AT TIME ZONE 'UTC';
  ELSIF NEW.state = 'cancelled' AND OLD.state != 'cancelled' THEN
    NEW.canceled_at = NOW() AT TIME ZONE 'UTC';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER sq_set_backfill_timestamps
BEFORE UPDATE ON expert_network.sq_backfills
FOR EACH ROW
EXECUTE FUNCTION expert_network.sq_set_backfill_timestamps();

CREATE OR REPLACE FUNCTION expert_network.sq_prevent_http_endpoint_deletion()
RETURNS TRIGGER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  in_use_count INTEGER;
BEGIN
  SELECT COUNT(*) INTO in_use_count
  FROM expert_network.sq_sink_consumers sc
  WHERE (sc.sink->>'type' = 'http_push' AND (sc.sink->>'http_endpoint_id')::uuid = OLD.id)
    AND sc.account_id = OLD.account_id;

  IF in_use_count > 0 THEN
    RAISE EXCEPTION 'Cannot delete HTTP endpoint % (%), as it is in use by % sink consumer(s)',
      OLD.name, OLD.id, in_use_count;
  END IF;

  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER sq_prevent_http_endpoint_deletion
BEFORE DELETE ON expert_network.sq_http_endpoints
FOR EACH ROW
EXECUTE FUNCTION expert_network.sq_prevent_http_endpoint_deletion();

INSERT INTO expert_network.sq_accounts (id, name, inserted_at, updated_at) VALUES ('0b9e8f3a-5d2c-4a61-9e7f-1c3b5d7f9a01', 'acme', now(), now());
INSERT INTO expert_network.sq_postgres_replication_slots (id, publication_name, slot_name, account_id, inserted_at, updated_at) VALUES ('0b9e8f3a-5d2c-4a61-9e7f-1c3b5d7f9a02', 'sequin_pub', 'sequin_slot', '0b9e8f3a-5d2c-4a61-9e7f-1c3b5d7f9a01', now(), now());
INSERT INTO expert_network.sq_sink_consumers (account_id, name, sink, replication_slot_id, message_kind, inserted_at, updated_at) VALUES ('0b9e8f3a-5d2c-4a61-9e7f-1c3b5d7f9a01', 'orders', '{"type": "sqs"}', '0b9e8f3a-5d2c-4a61-9e7f-1c3b5d7f9a02', 'event', now(), now());

-- 20250609234114_drop_sink_consumers_source_tables.exs
drop trigger if exists sq_check_sort_column_attnum_push on expert_network.sq_sink_consumers;
drop function if exists expert_network.sq_check_sort_column_attnum();
ALTER TABLE "expert_network"."sq_sink_consumers" DROP COLUMN "source_tables";

-- 20251220115210_drop_consumer_records_and_message_kind.exs
DO $$
DECLARE
  record_consumer_exists boolean;
  consumer_record_messages_exist boolean;
BEGIN
  -- Check for consumers with message_kind = 'record' (only if column exists)
  IF EXISTS (
    SELECT 1 FROM information_schema.columns
    WHERE table_schema = 'expert_network'
    AND table_name = 'sq_sink_consumers'
    AND column_name = 'message_kind'
  ) THEN
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM expert_network.sq_sink_consumers WHERE message_kind = ''record'' LIMIT 1)' INTO record_consumer_exists;
    IF record_consumer_exists THEN
      RAISE EXCEPTION 'Migration blocked: This version of Sequin no longer supports record-type consumers (message_kind = ''record''). Please change all your consumers to use event-type (message_kind = ''event'') before upgrading Sequin.';
    END IF;
  END IF;

  -- Check for any messages in consumer_records table
  IF EXISTS (
    SELECT 1 FROM information_schema.tables
    WHERE table_schema = 'expert_network'
    AND table_name = 'sq_consumer_records'
  ) THEN
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM expert_network.sq_consumer_records LIMIT 1)' INTO consumer_record_messages_exist;
    IF consumer_record_messages_exist THEN
      RAISE EXCEPTION 'Migration blocked: You have existing messages in the consumer_records table.';
    END IF;
  END IF;
END
$$;

DO $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM information_schema.columns
    WHERE table_schema = 'expert_network'
    AND table_name = 'sq_sink_consumers'
    AND column_name = 'message_kind'
  ) THEN
    ALTER TABLE expert_network.sq_sink_consumers DROP COLUMN message_kind;
  END IF;
END
$$;

DROP TABLE IF EXISTS expert_network.sq_consumer_records CASCADE;
DROP TYPE IF EXISTS expert_network.sq_consumer_message_kind;
