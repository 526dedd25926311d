-- Pass corpus 94: procrastinate's jobs table, the BEFORE UPDATE OF status trigger that keeps its
-- abort_requested flag in step with the status, and the workers table whose key the jobs reference ON
-- DELETE SET NULL, as procrastinate-org/procrastinate (commit
-- f099a753730d5492bdebdc1c1f2796ffa5cf5671) writes them in procrastinate/sql/migrations/
-- 00.00.00_01_initial.sql (the enum and the table, cut to their columns), 02.06.00_01_add_cancel_states.sql
-- (the enum's new values), 03.00.00_01_pre_cancel_notification.sql (the flag, its backfill, the trigger)
-- and 03.01.00_01_pre_add_heartbeat.sql (the workers, the key, its index). Re-homed into
-- expert_network: every name qualified, procrastinate writes none. (Procrastinate's post-migration
-- 03.00.00_50 drops the trigger again before the heartbeat migration adds the key; here the two
-- stand together, the harder case.)
-- The fence refused the key: "procrastinate_sync_abort_requested_with_status_temp() runs with the
-- owner's rights when a foreign key's ON DELETE or ON UPDATE action ... calls it". It does not: a
-- BEFORE UPDATE OF trigger fires only when the UPDATE sets one of its columns (or a generated column
-- computed from one), and the key's ON DELETE SET NULL sets worker_id alone (PG 15: deleting a
-- worker set the job's worker_id NULL and fired a BEFORE UPDATE OF worker_id trigger, never the
-- BEFORE UPDATE OF status one). An `UPDATE OF worker_id` trigger would still be refused.
CREATE TYPE expert_network.procrastinate_job_status AS ENUM (
    'todo',  -- The job is queued
    'doing',  -- The job has been fetched by a worker
    'succeeded',  -- The job ended successfully
    'failed'  -- The job ended with an error
);

CREATE TABLE expert_network.procrastinate_jobs (
    id bigserial PRIMARY KEY,
    queue_name character varying(128) NOT NULL,
    task_name character varying(128) NOT NULL,
    lock text,
    args jsonb DEFAULT '{}' NOT NULL,
    status expert_network.procrastinate_job_status DEFAULT 'todo'::expert_network.procrastinate_job_status NOT NULL,
    scheduled_at timestamp with time zone NULL,
    attempts integer DEFAULT 0 NOT NULL
);

ALTER TYPE expert_network.procrastinate_job_status ADD VALUE 'cancelled';
ALTER TYPE expert_network.procrastinate_job_status ADD VALUE 'aborting';
ALTER TYPE expert_network.procrastinate_job_status ADD VALUE 'aborted';

-- Add an 'abort_requested' column to the procrastinate_jobs table
ALTER TABLE expert_network.procrastinate_jobs ADD COLUMN abort_requested boolean DEFAULT false NOT NULL;

-- Add temporary triggers to sync the abort_requested flag with the status
-- so that blue-green deployments can work
CREATE OR REPLACE FUNCTION expert_network.procrastinate_sync_abort_requested_with_status_temp()
    RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.status = 'aborting' THEN
        NEW.abort_requested = true;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER procrastinate_trigger_sync_abort_requested_with_status_temp
    BEFORE UPDATE OF status ON expert_network.procrastinate_jobs
    FOR EACH ROW
    EXECUTE FUNCTION expert_network.procrastinate_sync_abort_requested_with_status_temp();

CREATE TABLE expert_network.procrastinate_workers(
    id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
    last_heartbeat timestamp with time zone NOT NULL DEFAULT NOW()
);

ALTER TABLE expert_network.procrastinate_jobs ADD COLUMN worker_id bigint REFERENCES expert_network.procrastinate_workers(id) ON DELETE SET NULL;

CREATE INDEX idx_procrastinate_jobs_worker_not_null ON expert_network.procrastinate_jobs(worker_id) WHERE worker_id IS NOT NULL AND status = 'doing'::expert_network.procrastinate_job_status;

CREATE INDEX idx_procrastinate_workers_last_heartbeat ON expert_network.procrastinate_workers(last_heartbeat);
