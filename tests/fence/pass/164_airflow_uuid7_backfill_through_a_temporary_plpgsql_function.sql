-- Pass corpus 164: Apache Airflow's Alembic revision d59cbbef95eb (apache/airflow, commit
-- 000479235772e81a492e1a83b682948b2416dc3f,
-- airflow-core/src/airflow/migrations/versions/0042_3_0_0_add_uuid_primary_key_to_task_instance_.py)
-- as it runs on PostgreSQL, in Alembic's offline form (`airflow db migrate --show-sql-only`): the
-- `id UUID` column added; pg_uuid7_fn, a DO block that makes pgcrypto unless pg_extension already
-- holds it (`CREATE EXTENSION pgcrypto;` without a schema, inside IF and an exception block that
-- falls back on insufficient_privilege) and a PL/pgSQL uuid_generate_v7() (a `CONSTANT bytea NOT
-- NULL DEFAULT substring(int8send(...) from 3)` variable, pgcrypto's gen_random_bytes() or a
-- gen_random_uuid() fallback, set_byte / get_byte through `b'0111' || ...::bit(4)` casts); one
-- batch of its backfill (`WITH cte AS (SELECT ctid ... LIMIT 10000) UPDATE ... FROM cte WHERE
-- task_instance.ctid = cte.ctid`), the function dropped by its signature, `ALTER TABLE IF EXISTS
-- task_instance DROP CONSTRAINT task_instance_pkey CASCADE` (the referencing keys go with it),
-- then the new keys and the foreign keys made again, ON DELETE / ON UPDATE CASCADE. The tables are
-- cut to the columns the revision touches, with two rows to backfill. Re-homed into expert_network
-- as an operator would: `SET search_path TO expert_network;` first, the tables, their constraints,
-- the function and Alembic's version_table prefixed af_.
-- The fence refused the call of gen_random_bytes() as an unknown function (run alone, before any
-- file installs pgcrypto): the extension a DO block makes counted for nothing. The server runs the
-- block's statements under the block's path, so without SCHEMA pgcrypto lands in its first schema,
-- expert_network here, where the fence's own check of the CREATE EXTENSION already placed it; the
-- model now counts it there too.
-- Proof (PostgreSQL 15, psql as the superuser, ON_ERROR_STOP, one transaction, on the seeded
-- database with expert_network and no pgcrypto): applied; NOTICE "pgcrypto extension successfully
-- created.", pg_extension then gave pgcrypto in expert_network; both rows got distinct version-7
-- ids; "drop cascades to constraint af_task_instance_note_ti_fkey ... af_task_map_task_instance_fkey";
-- pg_constraint then held af_task_instance_pkey and af_task_instance_composite_key and both foreign
-- keys again, and pg_proc no af_uuid_generate_v7. Through `up` alone the same; in the corpus, after
-- 38 made pgcrypto, the block skips it.
SET search_path TO expert_network;

CREATE TABLE af_task_instance (
    task_id VARCHAR(250) NOT NULL,
    dag_id VARCHAR(250) NOT NULL,
    run_id VARCHAR(250) NOT NULL,
    map_index INTEGER DEFAULT '-1' NOT NULL,
    start_date TIMESTAMP WITH TIME ZONE,
    queued_dttm TIMESTAMP WITH TIME ZONE,
    state VARCHAR(20),
    CONSTRAINT af_task_instance_pkey PRIMARY KEY (dag_id, task_id, run_id, map_index)
);

CREATE TABLE af_task_instance_note (
    task_id VARCHAR(250) NOT NULL,
    dag_id VARCHAR(250) NOT NULL,
    run_id VARCHAR(250) NOT NULL,
    map_index INTEGER NOT NULL,
    content VARCHAR(1000),
    CONSTRAINT af_task_instance_note_pkey PRIMARY KEY (task_id, dag_id, run_id, map_index),
    CONSTRAINT af_task_instance_note_ti_fkey FOREIGN KEY(dag_id, task_id, run_id, map_index) REFERENCES af_task_instance (dag_id, task_id, run_id, map_index) ON DELETE CASCADE
);

CREATE TABLE af_task_map (
    dag_id VARCHAR(250) NOT NULL,
    task_id VARCHAR(250) NOT NULL,
    run_id VARCHAR(250) NOT NULL,
    map_index INTEGER NOT NULL,
    length INTEGER NOT NULL,
    keys JSONB,
    CONSTRAINT af_task_map_pkey PRIMARY KEY (dag_id, task_id, run_id, map_index),
    CONSTRAINT af_task_map_length_not_negative CHECK (length >= 0),
    CONSTRAINT af_task_map_task_instance_fkey FOREIGN KEY(dag_id, task_id, run_id, map_index) REFERENCES af_task_instance (dag_id, task_id, run_id, map_index) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE af_alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT af_alembic_version_pkc PRIMARY KEY (version_num)
);

INSERT INTO af_alembic_version (version_num) VALUES ('05234396c6fc');

INSERT INTO af_task_instance (task_id, dag_id, run_id, map_index, start_date, queued_dttm, state)
VALUES ('extract', 'etl', 'manual__2024-10-21', -1, now(), now() - interval '1 minute', 'success'),
       ('load', 'etl', 'manual__2024-10-21', -1, NULL, NULL, 'scheduled');

-- Running upgrade 05234396c6fc -> d59cbbef95eb, Add UUID primary key to ``task_instance`` table.

ALTER TABLE af_task_instance ADD COLUMN id UUID;

DO $$
DECLARE
    pgcrypto_installed BOOLEAN;
BEGIN
    -- Check if pgcrypto is already installed
    pgcrypto_installed := EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pgcrypto');

    -- Attempt to create pgcrypto if it is not installed
    IF NOT pgcrypto_installed THEN
        BEGIN
            CREATE EXTENSION pgcrypto;
            pgcrypto_installed := TRUE;
            RAISE NOTICE 'pgcrypto extension successfully created.';
        EXCEPTION
            WHEN insufficient_privilege THEN
                RAISE NOTICE 'pgcrypto extension could not be installed due to insufficient privileges; using fallback';
                pgcrypto_installed := FALSE;
            WHEN OTHERS THEN
                RAISE NOTICE 'An unexpected error occurred while attempting to install pgcrypto; using fallback';
                pgcrypto_installed := FALSE;
        END;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION af_uuid_generate_v7(p_timestamp timestamp with time zone)
RETURNS uuid
LANGUAGE plpgsql
PARALLEL SAFE
AS $$
DECLARE
    unix_time_ms CONSTANT bytea NOT NULL DEFAULT substring(int8send((extract(epoch FROM p_timestamp) * 1000)::bigint) from 3);
    buffer bytea;
    pgcrypto_installed BOOLEAN := EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pgcrypto');
BEGIN
    -- Use pgcrypto if available, otherwise use the fallback
    -- fallback from https://brandur.org/fragments/secure-bytes-without-pgcrypto
    IF pgcrypto_installed THEN
        buffer := unix_time_ms || gen_random_bytes(10);
    ELSE
        buffer := unix_time_ms || substring(uuid_send(gen_random_uuid()) FROM 1 FOR 5) ||
                  substring(uuid_send(gen_random_uuid()) FROM 12 FOR 5);
    END IF;

    -- Set UUID version and variant bits
    buffer := set_byte(buffer, 6, (b'0111' || get_byte(buffer, 6)::bit(4))::bit(8)::int);
    buffer := set_byte(buffer, 8, (b'10'   || get_byte(buffer, 8)::bit(6))::bit(8)::int);
    RETURN encode(buffer, 'hex')::uuid;
END
$$;

                    WITH cte AS (
                        SELECT ctid
                        FROM af_task_instance
                        WHERE id IS NULL
                        LIMIT 10000
                    )
                    UPDATE af_task_instance
                    SET id = af_uuid_generate_v7(coalesce(queued_dttm, start_date, clock_timestamp()))
                    FROM cte
                    WHERE af_task_instance.ctid = cte.ctid;

DROP FUNCTION IF EXISTS af_uuid_generate_v7(timestamp with time zone);

ALTER TABLE IF EXISTS af_task_instance DROP CONSTRAINT af_task_instance_pkey CASCADE;

ALTER TABLE af_task_instance ALTER COLUMN id SET NOT NULL;

ALTER TABLE af_task_instance ADD CONSTRAINT af_task_instance_composite_key UNIQUE (dag_id, task_id, run_id, map_index);

ALTER TABLE af_task_instance ADD CONSTRAINT af_task_instance_pkey PRIMARY KEY (id);

ALTER TABLE af_task_instance_note ADD CONSTRAINT af_task_instance_note_ti_fkey FOREIGN KEY(dag_id, task_id, run_id, map_index) REFERENCES af_task_instance (dag_id, task_id, run_id, map_index) ON DELETE CASCADE;

ALTER TABLE af_task_map ADD CONSTRAINT af_task_map_task_instance_fkey FOREIGN KEY(dag_id, task_id, run_id, map_index) REFERENCES af_task_instance (dag_id, task_id, run_id, map_index) ON DELETE CASCADE ON UPDATE CASCADE;

UPDATE af_alembic_version SET version_num='d59cbbef95eb' WHERE af_alembic_version.version_num = '05234396c6fc';
