-- Pass corpus 194: Zitadel's eventstore push (zitadel/zitadel): the events2 table as
-- cmd/initialise/sql/postgres/08_events_table.sql makes it (commit
-- d09b72f7bab12a5695039a961749458eb9972f8d: `CREATE TABLE IF NOT EXISTS` with quoted "sequence",
-- "owner" and "position" columns, `CREATE INDEX IF NOT EXISTS` with a DESC key), then setup step 40:
-- 00_in_tx_order_type.sql (commit 0245f4774a06008762c3aeee96cd8696ca9f28ad), the
-- information_schema.columns query whose answer Zitadel writes into the functions' {{
-- .InTxOrderType }} placeholder (here `integer`, as it answered); 01_type.sql (commit
-- eca7c4c4d1e50daef7b3f5931702c7d5efb18090), the composite type command made in a DO block that
-- swallows `duplicate_object`; 02_func.sql (commit 8616760efdb9acf8821f16ee82887e89fdfea026):
-- latest_aggregate_state (PL/pgSQL with OUT parameters read by `$1`..`$3` and SELECT ... INTO
-- them), commands_to_events (a `RETURNS SETOF events2 ... ROWS 10` PL/pgSQL that loops over
-- `SELECT DISTINCT ... FROM UNNEST(commands)` of the composite array, `SELECT * INTO` two
-- variables from a function call, and `RETURN QUERY ... FROM UNNEST(commands) WITH ORDINALITY AS c`
-- with `ROW_NUMBER() OVER ()`), and push, an SQL `INSERT INTO events2 SELECT * FROM ... ORDER BY
-- in_tx_order RETURNING *`. Then a push of three commands, an `ARRAY[ROW(...), ...]` cast to the
-- composite's array type. Re-homed as an operator adopting en-migrate would: schema eventstore
-- written expert_network and its objects prefixed zt_ (the information_schema query names them so).
-- PostgreSQL 15 applied it with psql; read back: the query answered `integer`, and the push
-- returned sequences 1 and 2 for the instance's events and 1 for the user's, with in_tx_order 1, 2
-- and 3.
-- cmd/initialise/sql/postgres/08_events_table.sql
CREATE TABLE IF NOT EXISTS expert_network.zt_events2 (
    instance_id TEXT NOT NULL
    , aggregate_type TEXT NOT NULL
    , aggregate_id TEXT NOT NULL
    
    , event_type TEXT NOT NULL
    , "sequence" BIGINT NOT NULL
    , revision SMALLINT NOT NULL
    , created_at TIMESTAMPTZ NOT NULL
    , payload JSONB
    , creator TEXT NOT NULL
    , "owner" TEXT NOT NULL
    
    , "position" DECIMAL NOT NULL
    , in_tx_order INTEGER NOT NULL

    , PRIMARY KEY (instance_id, aggregate_type, aggregate_id, "sequence")
);

CREATE INDEX IF NOT EXISTS zt_es_active_instances ON expert_network.zt_events2 (created_at DESC, instance_id);
CREATE INDEX IF NOT EXISTS zt_es_wm ON expert_network.zt_events2 (aggregate_id, instance_id, aggregate_type, event_type);
CREATE INDEX IF NOT EXISTS zt_es_projection ON expert_network.zt_events2 (instance_id, aggregate_type, event_type, "position");

-- cmd/setup/40/00_in_tx_order_type.sql: the query whose answer fills {{ .InTxOrderType }} below
SELECT data_type
FROM information_schema.columns
WHERE table_schema = 'expert_network'
AND table_name = 'zt_events2'
AND column_name = 'in_tx_order';

-- cmd/setup/40/01_type.sql
-- represents an event to be created.
DO $$ BEGIN
    CREATE TYPE expert_network.zt_command AS (
        instance_id TEXT
        , aggregate_type TEXT
        , aggregate_id TEXT
        , command_type TEXT
        , revision INT2
        , payload JSONB
        , creator TEXT
        , owner TEXT
    );
EXCEPTION
    WHEN duplicate_object THEN null;
END $$;

-- cmd/setup/40/02_func.sql
CREATE OR REPLACE FUNCTION expert_network.zt_latest_aggregate_state(
    instance_id TEXT
    , aggregate_type TEXT
    , aggregate_id TEXT
    
    , sequence OUT BIGINT
    , owner OUT TEXT
)
    LANGUAGE 'plpgsql'
    STABLE PARALLEL SAFE
AS $$
    BEGIN
        SELECT
            COALESCE(e.sequence, 0) AS sequence
            , e.owner
        INTO
            sequence
            , owner
        FROM
            expert_network.zt_events2 e
        WHERE
            e.instance_id = $1
            AND e.aggregate_type = $2
            AND e.aggregate_id = $3
        ORDER BY 
            e.sequence DESC
        LIMIT 1;

        RETURN;
    END;
$$;

CREATE OR REPLACE FUNCTION expert_network.zt_commands_to_events(commands expert_network.zt_command[])
    RETURNS SETOF expert_network.zt_events2 
    LANGUAGE 'plpgsql'
    STABLE PARALLEL SAFE
    ROWS 10
AS $$
DECLARE
    "aggregate" RECORD;
    current_sequence BIGINT;
    current_owner TEXT;
    created_at TIMESTAMPTZ;
BEGIN
    created_at := statement_timestamp();
    FOR "aggregate" IN 
        SELECT DISTINCT
            instance_id
            , aggregate_type
            , aggregate_id
        FROM UNNEST(commands)
    LOOP
        SELECT 
            * 
        INTO
            current_sequence
            , current_owner 
        FROM expert_network.zt_latest_aggregate_state(
            "aggregate".instance_id
            , "aggregate".aggregate_type
            , "aggregate".aggregate_id
        );

        RETURN QUERY
        SELECT
            c.instance_id
            , c.aggregate_type
            , c.aggregate_id
            , c.command_type -- AS event_type
            , COALESCE(current_sequence, 0) + ROW_NUMBER() OVER () -- AS sequence
            , c.revision
            , created_at
            , c.payload
            , c.creator
            , COALESCE(current_owner, c.owner) -- AS owner
            , EXTRACT(EPOCH FROM created_at) -- AS position
            , c.ordinality::integer -- AS in_tx_order
        FROM
            UNNEST(commands) WITH ORDINALITY AS c
        WHERE
            c.instance_id = aggregate.instance_id
            AND c.aggregate_type = aggregate.aggregate_type
            AND c.aggregate_id = aggregate.aggregate_id;
    END LOOP;
    RETURN;
END;
$$;

CREATE OR REPLACE FUNCTION expert_network.zt_push(commands expert_network.zt_command[]) RETURNS SETOF expert_network.zt_events2 VOLATILE AS $$
INSERT INTO expert_network.zt_events2
SELECT * FROM expert_network.zt_commands_to_events(commands)
ORDER BY in_tx_order
RETURNING *
$$ LANGUAGE SQL;

-- A push of three commands in one statement, as Zitadel's eventstore makes one: an instance's two
-- events and a user's one.
SELECT "sequence", in_tx_order FROM expert_network.zt_push(ARRAY[
    ROW('inst1', 'instance', 'inst1', 'instance.added', 1, '{"name": "acme"}', 'SYSTEM', 'inst1')
    , ROW('inst1', 'instance', 'inst1', 'instance.domain.added', 1, '{"domain": "acme.example"}', 'SYSTEM', 'inst1')
    , ROW('inst1', 'user', 'u1', 'user.human.added', 1, '{"username": "alice"}', 'SYSTEM', 'org1')
]::expert_network.zt_command[]);
