-- Pass corpus 173: River's job-queue migrations for PostgreSQL (riverqueue/river, commit
-- fdf6cdf12567a5b70c003f5ff850273f09e7efcf, riverdriver/riverpgxv5/migration/main/001 to 004
-- *.up.sql; pass corpus 174 is 005 to 007), one after another as `rivermigrate` runs them with
-- `Schema: "expert_network"`: River writes every name after a `/* TEMPLATE: schema */` comment that
-- its migrator replaces with the configured schema and a dot, so each statement here is River's
-- with that comment made `expert_network.`, nothing else changed. The idioms: an enum and a table
-- whose CHECKs read `state IN (...)`, GIN indexes on jsonb, `CREATE UNLOGGED TABLE
-- river_leader`, the river_job_notify() trigger function calling pg_notify (002) and its AFTER
-- INSERT trigger, dropped by 004 with a DROP FUNCTION without an argument list, `ALTER TYPE ... ADD
-- VALUE IF NOT EXISTS 'pending' AFTER 'discarded'` (River runs each version in its own
-- transaction: 006 uses the value, so it is in the next file), and a multi-action ALTER TABLE that
-- sets a default, drops a constraint and adds it again. The fence passed it; psql on PostgreSQL 15
-- applied it, pg_class read back relpersistence 'u' for expert_network.river_leader, and pg_enum
-- river_job_state's 'pending' sorted between 'discarded' and 'retryable'.

-- 001_create_river_migration.up.sql
CREATE TABLE expert_network.river_migration(
  id bigserial PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT NOW(),
  version bigint NOT NULL,
  CONSTRAINT version CHECK (version >= 1)
);

CREATE UNIQUE INDEX ON expert_network.river_migration USING btree(version);
-- 002_initial_schema.up.sql
CREATE TYPE expert_network.river_job_state AS ENUM(
  'available',
  'cancelled',
  'completed',
  'discarded',
  'retryable',
  'running',
  'scheduled'
);

CREATE TABLE expert_network.river_job(
  -- 8 bytes
  id bigserial PRIMARY KEY,

  -- 8 bytes (4 bytes + 2 bytes + 2 bytes)
  --
  -- `state` is kept near the top of the table for operator convenience -- when
  -- looking at jobs with `SELECT *` it'll appear first after ID. The other two
  -- fields aren't as important but are kept adjacent to `state` for alignment
  -- to get an 8-byte block.
  state expert_network.river_job_state NOT NULL DEFAULT 'available',
  attempt smallint NOT NULL DEFAULT 0,
  max_attempts smallint NOT NULL,

  -- 8 bytes each (no alignment needed)
  attempted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT NOW(),
  finalized_at timestamptz,
  scheduled_at timestamptz NOT NULL DEFAULT NOW(),

  -- 2 bytes (some wasted padding probably)
  priority smallint NOT NULL DEFAULT 1,

  -- types stored out-of-band
  args jsonb,
  attempted_by text[],
  errors jsonb[],
  kind text NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  queue text NOT NULL DEFAULT 'default',
  tags varchar(255)[],

  CONSTRAINT finalized_or_finalized_at_null CHECK ((state IN ('cancelled', 'completed', 'discarded') AND finalized_at IS NOT NULL) OR finalized_at IS NULL),
  CONSTRAINT max_attempts_is_positive CHECK (max_attempts > 0),
  CONSTRAINT priority_in_range CHECK (priority >= 1 AND priority <= 4),
  CONSTRAINT queue_length CHECK (char_length(queue) > 0 AND char_length(queue) < 128),
  CONSTRAINT kind_length CHECK (char_length(kind) > 0 AND char_length(kind) < 128)
);

-- We may want to consider adding another property here after `kind` if it seems
-- like it'd be useful for something.
CREATE INDEX river_job_kind ON expert_network.river_job USING btree(kind);

CREATE INDEX river_job_state_and_finalized_at_index ON expert_network.river_job USING btree(state, finalized_at) WHERE finalized_at IS NOT NULL;

CREATE INDEX river_job_prioritized_fetching_index ON expert_network.river_job USING btree(state, queue, priority, scheduled_at, id);

CREATE INDEX river_job_args_index ON expert_network.river_job USING GIN(args);

CREATE INDEX river_job_metadata_index ON expert_network.river_job USING GIN(metadata);

CREATE OR REPLACE FUNCTION expert_network.river_job_notify()
  RETURNS TRIGGER
  AS $$
DECLARE
  payload json;
BEGIN
  IF NEW.state = 'available' THEN
    -- Notify will coalesce duplicate notifications within a transaction, so
    -- keep these payloads generalized:
    payload = json_build_object('queue', NEW.queue);
    PERFORM
      pg_notify('river_insert', payload::text);
  END IF;
  RETURN NULL;
END;
$$
LANGUAGE plpgsql;

CREATE TRIGGER river_notify
  AFTER INSERT ON expert_network.river_job
  FOR EACH ROW
  EXECUTE PROCEDURE expert_network.river_job_notify();

CREATE UNLOGGED TABLE expert_network.river_leader(
    -- 8 bytes each (no alignment needed)
    elected_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,

    -- types stored out-of-band
    leader_id text NOT NULL,
    name text PRIMARY KEY,

    CONSTRAINT name_length CHECK (char_length(name) > 0 AND char_length(name) < 128),
    CONSTRAINT leader_id_length CHECK (char_length(leader_id) > 0 AND char_length(leader_id) < 128)
);

-- 003_river_job_tags_non_null.up.sql
ALTER TABLE expert_network.river_job ALTER COLUMN tags SET DEFAULT '{}';
UPDATE expert_network.river_job SET tags = '{}' WHERE tags IS NULL;
ALTER TABLE expert_network.river_job ALTER COLUMN tags SET NOT NULL;

-- 004_pending_and_more.up.sql
-- The args column never had a NOT NULL constraint or default value at the
-- database level, though we tried to ensure one at the application level.
ALTER TABLE expert_network.river_job ALTER COLUMN args SET DEFAULT '{}';
UPDATE expert_network.river_job SET args = '{}' WHERE args IS NULL;
ALTER TABLE expert_network.river_job ALTER COLUMN args SET NOT NULL;
ALTER TABLE expert_network.river_job ALTER COLUMN args DROP DEFAULT;

-- The metadata column never had a NOT NULL constraint or default value at the
-- database level, though we tried to ensure one at the application level.
ALTER TABLE expert_network.river_job ALTER COLUMN metadata SET DEFAULT '{}';
UPDATE expert_network.river_job SET metadata = '{}' WHERE metadata IS NULL;
ALTER TABLE expert_network.river_job ALTER COLUMN metadata SET NOT NULL;

-- The 'pending' job state will be used for upcoming functionality:
ALTER TYPE expert_network.river_job_state ADD VALUE IF NOT EXISTS 'pending' AFTER 'discarded';

ALTER TABLE expert_network.river_job DROP CONSTRAINT finalized_or_finalized_at_null;
ALTER TABLE expert_network.river_job ADD CONSTRAINT finalized_or_finalized_at_null CHECK (
    (finalized_at IS NULL AND state NOT IN ('cancelled', 'completed', 'discarded')) OR
    (finalized_at IS NOT NULL AND state IN ('cancelled', 'completed', 'discarded'))
);

DROP TRIGGER river_notify ON expert_network.river_job;
DROP FUNCTION expert_network.river_job_notify;

--
-- Create table `river_queue`.
--

CREATE TABLE expert_network.river_queue (
    name text PRIMARY KEY NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    metadata jsonb NOT NULL DEFAULT '{}' ::jsonb,
    paused_at timestamptz,
    updated_at timestamptz NOT NULL
);

--
-- Alter `river_leader` to add a default value of 'default` to `name`.
--

ALTER TABLE expert_network.river_leader
    ALTER COLUMN name SET DEFAULT 'default',
    DROP CONSTRAINT name_length,
    ADD CONSTRAINT name_length CHECK (name = 'default');
