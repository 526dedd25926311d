-- Pass corpus 82: Oban's job tables as Ecto writes them under a prefix, as oban-bg/oban (commit
-- 2939e3134d0812195fbfcfe9a8e8d4bbd30bb23b) writes in lib/oban/migrations/postgres/v01.ex to v14.ex
-- (Plausible and most Elixir applications run these through `Oban.Migration.up(prefix: ...)`):
-- v01's DO block that makes the oban_job_state enum unless pg_type holds it in the prefix's
-- namespace (`typnamespace = '#{escaped}'::regnamespace::oid`), `create_if_not_exists
-- table(:oban_jobs, prefix: prefix)`, the oban_jobs_notify() trigger function that calls
-- pg_notify('#{escaped}.oban_insert', ...), v02's partial index and CHECKs, v08's replaced
-- function and trigger, v09's `ALTER TYPE ... ADD VALUE IF NOT EXISTS`, v10's GIN indexes, v11's
-- oban_peers `SET UNLOGGED`, v12's NOT VALID CHECK and the drops of the trigger and function.
-- Re-homed into expert_network: Oban's prefix is the application's own schema, here
-- expert_network (Ecto quotes it: "expert_network"."oban_jobs"); Ecto's migration DSL written out
-- as the SQL Ecto runs for it; tables renamed pp_ob_ (the prefix is the schema, so Oban's names
-- would collide with nothing, but a corpus keeps its own). The fence passed it as Oban writes it:
-- a trigger's pg_notify is not the migration's own (it runs when an application inserts a job).

DO $$
BEGIN
IF NOT EXISTS (SELECT 1 FROM pg_type
               WHERE typname = 'pp_ob_job_state'
                 AND typnamespace = 'expert_network'::regnamespace::oid) THEN
    CREATE TYPE "expert_network".pp_ob_job_state AS ENUM (
      'available',
      'suspended',
      'scheduled',
      'executing',
      'retryable',
      'completed',
      'discarded',
      'cancelled'
    );
  END IF;
END$$;

CREATE TABLE IF NOT EXISTS "expert_network"."pp_ob_jobs" ("id" bigserial, "state" "expert_network".pp_ob_job_state NOT NULL DEFAULT 'available', "queue" text NOT NULL DEFAULT 'default', "worker" text NOT NULL, "args" jsonb NOT NULL, "errors" jsonb[] NOT NULL DEFAULT ARRAY[]::jsonb[], "attempt" integer NOT NULL DEFAULT 0, "max_attempts" integer NOT NULL DEFAULT 20, "inserted_at" timestamp NOT NULL DEFAULT timezone('UTC', now()), "scheduled_at" timestamp NOT NULL DEFAULT timezone('UTC', now()), "attempted_at" timestamp, "completed_at" timestamp, PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "pp_ob_jobs_queue_index" ON "expert_network"."pp_ob_jobs" ("queue");
CREATE INDEX IF NOT EXISTS "pp_ob_jobs_state_index" ON "expert_network"."pp_ob_jobs" ("state");
CREATE INDEX IF NOT EXISTS "pp_ob_jobs_scheduled_at_index" ON "expert_network"."pp_ob_jobs" ("scheduled_at");

CREATE OR REPLACE FUNCTION "expert_network".pp_ob_jobs_notify() RETURNS trigger AS $$
DECLARE
  channel text;
  notice json;
BEGIN
  IF (TG_OP = 'INSERT') THEN
    channel = 'expert_network.oban_insert';
    notice = json_build_object('queue', NEW.queue, 'state', NEW.state);

    -- No point triggering for a job that isn't scheduled to run now
    IF NEW.scheduled_at IS NOT NULL AND NEW.scheduled_at > now() AT TIME ZONE 'utc' THEN
      RETURN null;
    END IF;
  ELSE
    channel = 'expert_network.oban_update';
    notice = json_build_object('queue', NEW.queue, 'new_state', NEW.state, 'old_state', OLD.state);
  END IF;

  PERFORM pg_notify(channel, notice::text);

  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS pp_ob_notify ON "expert_network".pp_ob_jobs;

CREATE TRIGGER pp_ob_notify
AFTER INSERT OR UPDATE OF state ON "expert_network".pp_ob_jobs
FOR EACH ROW EXECUTE PROCEDURE "expert_network".pp_ob_jobs_notify();

-- v02
DROP INDEX IF EXISTS "expert_network"."pp_ob_jobs_scheduled_at_index";
CREATE INDEX "pp_ob_jobs_scheduled_at_index" ON "expert_network"."pp_ob_jobs" ("scheduled_at") WHERE state in ('available'::"expert_network".pp_ob_job_state, 'scheduled'::"expert_network".pp_ob_job_state);
ALTER TABLE "expert_network"."pp_ob_jobs" ADD CONSTRAINT "worker_length" CHECK (char_length(worker) > 0 AND char_length(worker) < 128);
ALTER TABLE "expert_network"."pp_ob_jobs" ADD CONSTRAINT "queue_length" CHECK (char_length(queue) > 0 AND char_length(queue) < 128);

CREATE OR REPLACE FUNCTION "expert_network".pp_ob_wrap_id(value bigint) RETURNS int AS $$
BEGIN
  RETURN (CASE WHEN value > 2147483647 THEN mod(value, 2147483647) ELSE value END)::int;
END;
$$ LANGUAGE plpgsql IMMUTABLE;

-- v03, v04, v05, v07
ALTER TABLE "expert_network"."pp_ob_jobs" ADD COLUMN IF NOT EXISTS "attempted_by" text[];
DROP FUNCTION IF EXISTS "expert_network".pp_ob_wrap_id(value bigint);
DROP INDEX IF EXISTS "expert_network"."pp_ob_jobs_scheduled_at_index";
DROP INDEX IF EXISTS "expert_network"."pp_ob_jobs_queue_index";
DROP INDEX IF EXISTS "expert_network"."pp_ob_jobs_state_index";
CREATE INDEX IF NOT EXISTS "pp_ob_jobs_queue_state_scheduled_at_id_index" ON "expert_network"."pp_ob_jobs" ("queue", "state", "scheduled_at", "id");
CREATE INDEX IF NOT EXISTS "pp_ob_jobs_attempted_at_id_index" ON "expert_network"."pp_ob_jobs" (attempted_at desc, "id") WHERE state in ('completed', 'discarded');

-- v08
ALTER TABLE "expert_network"."pp_ob_jobs" ADD COLUMN IF NOT EXISTS "discarded_at" timestamp, ADD COLUMN IF NOT EXISTS "priority" integer, ADD COLUMN IF NOT EXISTS "tags" text[];
ALTER TABLE "expert_network"."pp_ob_jobs" ALTER COLUMN "priority" TYPE integer, ALTER COLUMN "priority" SET DEFAULT 0, ALTER COLUMN "tags" TYPE text[], ALTER COLUMN "tags" SET DEFAULT ARRAY[]::text[];
DROP INDEX IF EXISTS "expert_network"."pp_ob_jobs_queue_state_scheduled_at_id_index";
CREATE INDEX IF NOT EXISTS "pp_ob_jobs_state_queue_priority_scheduled_at_id_index" ON "expert_network"."pp_ob_jobs" ("state", "queue", "priority", "scheduled_at", "id");

CREATE OR REPLACE FUNCTION "expert_network".pp_ob_jobs_notify() RETURNS trigger AS $$
DECLARE
  channel text;
  notice json;
BEGIN
  IF NEW.state = 'available' THEN
    channel = 'expert_network.oban_insert';
    notice = json_build_object('queue', NEW.queue);

    PERFORM pg_notify(channel, notice::text);
  END IF;

  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS pp_ob_notify ON "expert_network".pp_ob_jobs;

CREATE TRIGGER pp_ob_notify
AFTER INSERT ON "expert_network".pp_ob_jobs
FOR EACH ROW EXECUTE PROCEDURE "expert_network".pp_ob_jobs_notify();

-- v09, v10, v11, v12, v13, v14
ALTER TABLE "expert_network"."pp_ob_jobs" ADD COLUMN IF NOT EXISTS "meta" jsonb DEFAULT '{}'::jsonb, ADD COLUMN IF NOT EXISTS "cancelled_at" timestamp;
ALTER TYPE "expert_network".pp_ob_job_state ADD VALUE IF NOT EXISTS 'cancelled';
ALTER TABLE "expert_network"."pp_ob_jobs" ALTER COLUMN "args" TYPE jsonb, ALTER COLUMN "args" SET DEFAULT '{}'::jsonb, ALTER COLUMN "priority" TYPE integer, ALTER COLUMN "priority" SET NOT NULL;
ALTER TABLE "expert_network"."pp_ob_jobs" ADD CONSTRAINT "priority_range" CHECK (priority between 0 and 3);
ALTER TABLE "expert_network"."pp_ob_jobs" ADD CONSTRAINT "positive_max_attempts" CHECK (max_attempts > 0);
ALTER TABLE "expert_network"."pp_ob_jobs" ADD CONSTRAINT "attempt_range" CHECK (attempt between 0 and max_attempts);
DROP INDEX IF EXISTS "expert_network"."pp_ob_jobs_args_vector";
DROP INDEX IF EXISTS "expert_network"."pp_ob_jobs_worker_gist";
DROP INDEX IF EXISTS "expert_network"."pp_ob_jobs_attempted_at_id_index";
CREATE INDEX IF NOT EXISTS "pp_ob_jobs_args_index" ON "expert_network"."pp_ob_jobs" USING gin ("args");
CREATE INDEX IF NOT EXISTS "pp_ob_jobs_meta_index" ON "expert_network"."pp_ob_jobs" USING gin ("meta");
CREATE TABLE IF NOT EXISTS "expert_network"."pp_ob_peers" ("name" text NOT NULL, "node" text NOT NULL, "started_at" timestamp NOT NULL, "expires_at" timestamp NOT NULL, PRIMARY KEY ("name"));
ALTER TABLE "expert_network".pp_ob_peers SET UNLOGGED;
ALTER TABLE "expert_network"."pp_ob_jobs" DROP CONSTRAINT "priority_range";
ALTER TABLE "expert_network"."pp_ob_jobs" ADD CONSTRAINT "non_negative_priority" CHECK (priority >= 0) NOT VALID;
DROP TRIGGER IF EXISTS pp_ob_notify ON "expert_network".pp_ob_jobs;
DROP FUNCTION IF EXISTS "expert_network".pp_ob_jobs_notify();
CREATE INDEX IF NOT EXISTS "pp_ob_jobs_state_cancelled_at_index" ON "expert_network"."pp_ob_jobs" ("state", "cancelled_at");
CREATE INDEX IF NOT EXISTS "pp_ob_jobs_state_discarded_at_index" ON "expert_network"."pp_ob_jobs" ("state", "discarded_at");
    ALTER TYPE "expert_network".pp_ob_job_state ADD VALUE IF NOT EXISTS 'suspended' BEFORE 'scheduled';
