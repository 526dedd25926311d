-- Pass corpus 192: Hasura's source catalog, what graphql-engine runs in the user's own database to
-- deliver event triggers (hasura/graphql-engine server/src-rsr/init_pg_source.sql, commit
-- 03edeb4aaa56ccdd75df900a4fbfd09e9c94a691): gen_hasura_uuid(), an SQL function whose body is a
-- single-quoted `'select gen_random_uuid()'`, used as the tables' default; a one-row guard, a unique
-- index over the expression `(version IS NOT NULL)`; event_log with an unnamed `CREATE INDEX ON
-- ... (trigger_name)` and a partial fetch index with NULLS FIRST keys; insert_event_log(), PL/pgSQL
-- that reads `current_setting('server_version_num')` and `current_setting('hasura.user', 't')`
-- into json variables (with a pre-9.6 branch catching every error); a table with a CHECK ... IN
-- and a UNIQUE pair. Then an event trigger as Hasura's metadata API makes it on a table of the
-- application's (server/src-rsr/trigger.sql.shakespeare, commit
-- 119926806eec474196255ac2d50961349d01ff59, its #{...} placeholders filled as mkTriggerFunctionQ
-- fills them for an UPDATE trigger on two columns): a trigger function that compares
-- `row(OLD."name", OLD."rate")` with `_new` by `<>` and, on undefined_function, by the record
-- operator `*<>`, then `PERFORM`s insert_event_log; `DROP TRIGGER IF EXISTS` and `CREATE TRIGGER
-- ... EXECUTE PROCEDURE`. Re-homed as an operator adopting en-migrate would: the schemas
-- hdb_catalog and hdb_views written expert_network, event_log and its kin and insert_event_log
-- prefixed hdb_, the trigger on hdb_authors; then two updates, one that changes a value and one
-- that does not.
-- PostgreSQL 15 applied it with psql; read back: hdb_event_log holds one row, author_updated's
-- UPDATE of 'a' with a 36-character id (the update that changed nothing left none), and pg_index the
-- unnamed indexes as hdb_event_log_trigger_name_idx and hdb_event_invocation_logs_event_id_idx, the
-- one-row index over `((version IS NOT NULL))` and the fetch index's predicate.
CREATE OR REPLACE FUNCTION expert_network.gen_hasura_uuid() RETURNS uuid AS
  -- We assume gen_random_uuid() is available in the search_path.
  -- This may not be true but we can't do much till https://github.com/hasura/graphql-engine/issues/3657
'select gen_random_uuid()' LANGUAGE SQL;

CREATE TABLE expert_network.hdb_source_catalog_version(
  version TEXT NOT NULL,
  upgraded_on TIMESTAMPTZ NOT NULL
);

CREATE UNIQUE INDEX hdb_source_catalog_version_one_row
ON expert_network.hdb_source_catalog_version((version IS NOT NULL));

CREATE TABLE expert_network.hdb_event_log
(
  id TEXT DEFAULT expert_network.gen_hasura_uuid() PRIMARY KEY,
  schema_name TEXT NOT NULL,
  table_name TEXT NOT NULL,
  trigger_name TEXT NOT NULL,
  payload JSONB NOT NULL,
  delivered BOOLEAN NOT NULL DEFAULT FALSE,
  error BOOLEAN NOT NULL DEFAULT FALSE,
  tries INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMP DEFAULT NOW(),
  /* when locked IS NULL the event is unlocked and can be processed */
  locked TIMESTAMPTZ,
  next_retry_at TIMESTAMP,
  archived BOOLEAN NOT NULL DEFAULT FALSE
);

/* This powers `archiveEvents` */
CREATE INDEX ON expert_network.hdb_event_log (trigger_name);
/* This index powers `fetchEvents` */
CREATE INDEX hdb_event_log_fetch_events
  ON expert_network.hdb_event_log (locked NULLS FIRST, next_retry_at NULLS FIRST, created_at)
  WHERE delivered = 'f'
    and error = 'f'
    and archived = 'f'
;


CREATE TABLE expert_network.hdb_event_invocation_logs
(
  id TEXT DEFAULT expert_network.gen_hasura_uuid() PRIMARY KEY,
  trigger_name TEXT,
  event_id TEXT,
  status INTEGER,
  request JSON,
  response JSON,
  created_at TIMESTAMP DEFAULT NOW()
);

/* This index improves the performance of deletes by event_id, so that if somebody
tries to delete an event from the hdb_catalog.event_log along with the invocation log
it will be faster with an index compared to without an index. */
CREATE INDEX ON expert_network.hdb_event_invocation_logs (event_id);

CREATE OR REPLACE FUNCTION
  expert_network.hdb_insert_event_log(schema_name text, table_name text, trigger_name text, op text, row_data json)
  RETURNS text AS $$
  DECLARE
    id text;
    payload json;
    session_variables json;
    server_version_num int;
    trace_context json;
  BEGIN
    id := gen_random_uuid();
    server_version_num := current_setting('server_version_num');
    IF server_version_num >= 90600 THEN
      session_variables := current_setting('hasura.user', 't');
      trace_context := current_setting('hasura.tracecontext', 't');
    ELSE
      BEGIN
        session_variables := current_setting('hasura.user');
      EXCEPTION WHEN OTHERS THEN
                  session_variables := NULL;
      END;
      BEGIN
        trace_context := current_setting('hasura.tracecontext');
      EXCEPTION WHEN OTHERS THEN
        trace_context := NULL;
      END;
    END IF;
    payload := json_build_object(
      'op', op,
      'data', row_data,
      'session_variables', session_variables,
      'trace_context', trace_context
    );
    INSERT INTO expert_network.hdb_event_log
                (id, schema_name, table_name, trigger_name, payload)
    VALUES
    (id, schema_name, table_name, trigger_name, payload);
    RETURN id;
  END;
$$ LANGUAGE plpgsql;

CREATE TABLE expert_network.hdb_event_log_cleanups
(
  id TEXT DEFAULT expert_network.gen_hasura_uuid() PRIMARY KEY,
  trigger_name TEXT NOT NULL,
  scheduled_at TIMESTAMP NOT NULL,
  deleted_event_logs INTEGER,
  deleted_event_invocation_logs INTEGER,
  status TEXT NOT NULL,
  CHECK (status IN ('scheduled', 'paused', 'completed', 'dead')),

  UNIQUE (trigger_name, scheduled_at)
);

INSERT INTO expert_network.hdb_source_catalog_version (version, upgraded_on) VALUES ('3', now());

-- A table of the application's, and the event trigger `author_updated` that Hasura's metadata API
-- makes on its UPDATE of name and rate (trigger.sql.shakespeare, as mkTriggerFunctionQ renders it).
CREATE TABLE expert_network.hdb_authors (id serial PRIMARY KEY, name text NOT NULL, rate numeric);

CREATE OR REPLACE function expert_network."notify_hasura_author_updated_UPDATE"() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE
    _old record;
    _new record;
    _data json;
  BEGIN
    IF TG_OP = 'UPDATE' THEN
      _old := row(OLD."name", OLD."rate");
      _new := row(NEW."name", NEW."rate");
    ELSE
    /* initialize _old and _new with dummy values for INSERT and UPDATE events*/
      _old := row((select 1));
      _new := row((select 1));
    END IF;
    _data := json_build_object(
      'old', row_to_json(OLD),
      'new', row_to_json(NEW)
    );
    BEGIN
      IF (TG_OP <> 'UPDATE') OR (_old <> _new) THEN
        PERFORM expert_network.hdb_insert_event_log(CAST(TG_TABLE_SCHEMA AS text), CAST(TG_TABLE_NAME AS text), CAST('author_updated' AS text), TG_OP, _data);
      END IF;
      EXCEPTION WHEN undefined_function THEN
        IF (TG_OP <> 'UPDATE') OR (_old *<> _new) THEN
          PERFORM expert_network.hdb_insert_event_log(CAST(TG_TABLE_SCHEMA AS text), CAST(TG_TABLE_NAME AS text), CAST('author_updated' AS text), TG_OP, _data);
        END IF;
    END;

    RETURN NULL;
  END;
$$;
DROP TRIGGER IF EXISTS "notify_hasura_author_updated_UPDATE" ON expert_network.hdb_authors;
CREATE TRIGGER "notify_hasura_author_updated_UPDATE" AFTER UPDATE ON expert_network.hdb_authors FOR EACH ROW EXECUTE PROCEDURE expert_network."notify_hasura_author_updated_UPDATE"();

INSERT INTO expert_network.hdb_authors (name, rate) VALUES ('a', 1), ('b', 2);
UPDATE expert_network.hdb_authors SET rate = 3 WHERE name = 'a';
UPDATE expert_network.hdb_authors SET rate = rate WHERE name = 'b';
