-- Pass corpus 40: DDL wrapped in DO blocks, as Kong's migrations write every step
-- (kong/db/migrations/core/024_380_to_390.lua creates clustering_sync_version in a DO block, and
-- 025_390_to_3100.lua then reads pg_get_serial_sequence('clustering_sync_version', 'version')), and as
-- idempotent migrations catch duplicate_object around CREATE TYPE / CREATE FUNCTION. What a DO block
-- creates in expert_network exists afterwards as a top-level statement's would: later statements name
-- it unqualified and call its functions. Applied with psql on PG 15.

DO $$
BEGIN
  CREATE TABLE IF NOT EXISTS expert_network.pp_kong_sync_version (
    "version" SERIAL PRIMARY KEY
  );
END;
$$;

DO $$
BEGIN
  CREATE TYPE expert_network.pp_kong_protocol AS ENUM ('http', 'https', 'grpc');
EXCEPTION WHEN duplicate_object THEN
  -- Do nothing, accept existing state
END;
$$;

DO $$
BEGIN
  IF (SELECT to_regclass('expert_network.pp_kong_targets')) IS NULL THEN
    CREATE TABLE expert_network.pp_kong_targets (
      id uuid PRIMARY KEY,
      target text NOT NULL,
      protocol expert_network.pp_kong_protocol NOT NULL DEFAULT 'http',
      created_at timestamptz DEFAULT (CURRENT_TIMESTAMP(0) AT TIME ZONE 'UTC')
    );
    CREATE OR REPLACE FUNCTION expert_network.pp_kong_batch_delete_expired(cutoff timestamptz)
    RETURNS bigint LANGUAGE sql AS $f$
      WITH gone AS (DELETE FROM expert_network.pp_kong_targets WHERE created_at < cutoff RETURNING 1)
      SELECT count(*) FROM gone
    $f$;
  END IF;
END;
$$;

DO $$
BEGIN
  ALTER TABLE IF EXISTS ONLY expert_network.pp_kong_targets ADD COLUMN cache_key text UNIQUE;
EXCEPTION WHEN duplicate_column THEN
  -- Do nothing, accept existing state
END;
$$;

DO $$
DECLARE
  seq_name text;
BEGIN
  SELECT pg_get_serial_sequence('pp_kong_sync_version', 'version') INTO seq_name;
  ALTER TABLE expert_network.pp_kong_sync_version ALTER COLUMN version TYPE bigint USING version::bigint;
END;
$$;

-- A DO block whose variable has an expert_network type (the PL/pgSQL parser cannot resolve it).
DO $$
DECLARE
  p expert_network.pp_kong_protocol := 'grpc';
BEGIN
  CREATE TABLE IF NOT EXISTS expert_network.pp_kong_routes (
    id serial PRIMARY KEY,
    protocol expert_network.pp_kong_protocol NOT NULL DEFAULT 'http'
  );
  INSERT INTO expert_network.pp_kong_routes (protocol) VALUES (p);
END;
$$;

INSERT INTO pp_kong_routes (protocol) VALUES ('https');
INSERT INTO pp_kong_sync_version DEFAULT VALUES;
INSERT INTO pp_kong_targets (id, target, protocol)
VALUES ('00000000-0000-0000-0000-00000000000a', '127.0.0.1:8000', 'https');
SELECT expert_network.pp_kong_batch_delete_expired(now() - interval '1 day');
SELECT pg_get_serial_sequence('pp_kong_sync_version', 'version');
