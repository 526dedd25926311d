-- Pass corpus 41: PL/pgSQL functions created inside DO blocks and other bodies, as idempotent
-- migrations write them (supabase/postgres migrations/db/migrations/20220317095840_pg_graphql.sql
-- creates its placeholder graphql() in LANGUAGE plpgsql from inside a PL/pgSQL function; Kong-style
-- migrations wrap each CREATE FUNCTION in a DO block that checks for it first). `check` read such a
-- function's header from the statement holding it, which held the same function again: a DO block
-- overflowed the stack. Zitadel's cmd/setup steps re-create a function only where an older one
-- exists, `IF to_regprocedure('eventstore.commands_to_events(eventstore.command[])') IS NOT NULL
-- THEN EXECUTE $f$ CREATE OR REPLACE FUNCTION ... AS $ctoe$ ... $ctoe$; $f$;`: a constant EXECUTE,
-- fenced as the statement it holds, and a signature whose argument type is qualified, which `check`
-- read as a name of another database. Each body is fenced where it is written. Applied with psql
-- on PG 15.

CREATE TABLE expert_network.pp_body_made_events (
    id bigserial PRIMARY KEY,
    kind text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);

DO $do$
BEGIN
  IF to_regproc('expert_network.pp_body_made_count') IS NULL THEN
    CREATE FUNCTION expert_network.pp_body_made_count(k text) RETURNS bigint
    LANGUAGE plpgsql STABLE AS $fn$
    DECLARE
      n bigint;
    BEGIN
      SELECT count(*) INTO n FROM expert_network.pp_body_made_events e WHERE e.kind = k;
      RETURN n;
    END;
    $fn$;
  END IF;
END;
$do$;

-- A trigger function made in a DO block, and the trigger on it.
DO $do$
BEGIN
  CREATE OR REPLACE FUNCTION expert_network.pp_body_made_stamp() RETURNS trigger
  LANGUAGE plpgsql AS $fn$
  BEGIN
    NEW.payload := NEW.payload || jsonb_build_object('stamped', true);
    RETURN NEW;
  END;
  $fn$;
EXCEPTION WHEN duplicate_function THEN
  NULL;
END;
$do$;

CREATE TRIGGER pp_body_made_stamp BEFORE INSERT ON expert_network.pp_body_made_events
FOR EACH ROW EXECUTE FUNCTION expert_network.pp_body_made_stamp();

-- A function whose body (re)creates a PL/pgSQL placeholder, as pg_graphql's setup does.
CREATE OR REPLACE FUNCTION expert_network.pp_body_made_placeholder() RETURNS void
LANGUAGE plpgsql AS $outer$
BEGIN
  CREATE OR REPLACE FUNCTION expert_network.pp_body_made_hello(who text DEFAULT 'world')
  RETURNS jsonb LANGUAGE plpgsql AS $$
  DECLARE
    server_version float;
  BEGIN
    server_version = (SELECT split_part(current_setting('server_version'), '.', 1)::float);
    RETURN jsonb_build_object('hello', who, 'major', server_version);
  END;
  $$;
END;
$outer$;

SELECT expert_network.pp_body_made_placeholder();
INSERT INTO expert_network.pp_body_made_events (kind) VALUES ('made');
SELECT expert_network.pp_body_made_count('made');

-- Zitadel's shape: replace an overload only where it exists, from a constant EXECUTE.
CREATE TYPE expert_network.pp_body_made_command AS (kind text, payload jsonb);
CREATE FUNCTION expert_network.pp_body_made_to_events(commands expert_network.pp_body_made_command[])
RETURNS SETOF expert_network.pp_body_made_events LANGUAGE sql STABLE AS $$
  SELECT NULL::bigint, c.kind, c.payload, now() FROM unnest(commands) AS c
$$;

DO $$
BEGIN
  IF to_regtype('expert_network.pp_body_made_command') IS NOT NULL
     AND to_regprocedure('expert_network.pp_body_made_to_events(expert_network.pp_body_made_command[])') IS NOT NULL THEN
    EXECUTE $f$
      CREATE OR REPLACE FUNCTION expert_network.pp_body_made_to_events(commands expert_network.pp_body_made_command[])
      RETURNS SETOF expert_network.pp_body_made_events
      LANGUAGE plpgsql STABLE
      AS $ctoe$
      DECLARE
        c record;
      BEGIN
        FOR c IN SELECT * FROM unnest(commands) LOOP
          RETURN QUERY SELECT NULL::bigint, c.kind, c.payload, statement_timestamp();
        END LOOP;
        RETURN;
      END;
      $ctoe$;
    $f$;
  END IF;
END;
$$;

SELECT count(*) FROM expert_network.pp_body_made_to_events(
  ARRAY[ROW('made', '{}')::expert_network.pp_body_made_command]);
SELECT 'expert_network.pp_body_made_to_events(expert_network.pp_body_made_command[])'::regprocedure;
