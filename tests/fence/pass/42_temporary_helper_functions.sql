-- Pass corpus 42: helper functions created in pg_temp for one backfill, as openmeter's migrations
-- write them (tools/migrate/migrations/20250605131637_migrate_flat_fees_to_ubp_flat_fees.up.sql:
-- "pg_temp only exists for the current session, so we don't need to clean up the function after
-- the migration is done"; 20260...backfill_charge_discount_correlation_ids.up.sql). A temporary
-- function is the migration session's own: it is dropped when the session ends, no other role may
-- use its schema ("permission denied for schema pg_temp_3" on PG 15), and PostgreSQL never looks
-- functions up in pg_temp unqualified. Its body is fenced like any other's; it may be called from the
-- migration's statements, its DO blocks and other temporary functions. Applied with psql on PG 15.

CREATE TABLE expert_network.pp_temp_fn_lines (
    id text PRIMARY KEY,
    kind text NOT NULL,
    discounts jsonb NOT NULL DEFAULT '{}',
    config_id text
);
INSERT INTO expert_network.pp_temp_fn_lines (id, kind, discounts) VALUES
    ('l1', 'flat_fee', '{"percentage": {"value": 10}}'),
    ('l2', 'usage', '{}');

CREATE OR REPLACE FUNCTION pg_temp.pp_generate_id() RETURNS text
LANGUAGE sql VOLATILE AS $$
  SELECT md5(random()::text || clock_timestamp()::text)
$$;

CREATE OR REPLACE FUNCTION pg_temp.pp_upsert_correlation_id(discounts jsonb, discount_type text, correlation_id text)
RETURNS jsonb
AS $$
  SELECT CASE
    WHEN jsonb_typeof(discounts -> discount_type) = 'object'
      AND COALESCE(discounts #>> ARRAY[discount_type, 'correlationID'], '') = ''
    THEN jsonb_set(discounts, ARRAY[discount_type, 'correlationID'], to_jsonb(correlation_id), true)
    ELSE discounts
  END
$$
LANGUAGE sql IMMUTABLE;

CREATE OR REPLACE FUNCTION pg_temp.pp_migrate_line(line_id text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  new_config_id text;
BEGIN
  new_config_id = pg_temp.pp_generate_id();
  UPDATE expert_network.pp_temp_fn_lines
  SET config_id = new_config_id
  WHERE id = line_id;
END;
$$;

UPDATE expert_network.pp_temp_fn_lines
SET discounts = pg_temp.pp_upsert_correlation_id(discounts, 'percentage', pg_temp.pp_generate_id());

SELECT pg_temp.pp_migrate_line(id) FROM expert_network.pp_temp_fn_lines WHERE kind = 'flat_fee';

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM expert_network.pp_temp_fn_lines WHERE kind = 'flat_fee' AND config_id IS NULL) THEN
    RAISE EXCEPTION 'flat fee lines left unmigrated';
  END IF;
  PERFORM pg_temp.pp_migrate_line('l2');
END;
$$;

DROP FUNCTION pg_temp.pp_migrate_line(text);
DROP FUNCTION IF EXISTS pg_temp.pp_upsert_correlation_id(jsonb, text, text), pg_temp.pp_generate_id();
