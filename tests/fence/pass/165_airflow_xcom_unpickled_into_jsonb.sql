-- Pass corpus 165: Apache Airflow's Alembic revision eed27faa34e3 (apache/airflow, commit
-- 83ebee8d0e73e7cecc713dffb88c49ee3ee954fc,
-- airflow-core/src/airflow/migrations/versions/0049_3_0_0_remove_pickled_data_from_xcom_table.py)
-- on PostgreSQL as `airflow db migrate --show-sql-only` prints it: `_xcom_archive` made IF NOT
-- EXISTS, the pickled values (`get_byte(value, 0) = 128`) copied there and deleted, NaN in the
-- JSON bytes rewritten by `convert_to(regexp_replace(convert_from(value, 'UTF8'),
-- '([:,\[]\s*)NaN(\s*[,}\]])', '\1"nan"\2', 'g'), 'UTF8')` (backslashes in plain literals, under
-- standard_conforming_strings), then the bytea column retyped `TYPE JSONB USING CASE WHEN ... THEN
-- CAST(CONVERT_FROM(value, 'UTF8') AS JSONB) ELSE NULL END`. Its online-only guard (a read of
-- pg_settings for statement_timeout, then `SET LOCAL statement_timeout='1800s'`) is not in the
-- offline SQL and not here: the fence refuses pg_settings as catalog-data (it shows a superuser the
-- settings other roles may not read). The xcom table is cut to the columns the revision touches,
-- with a JSON row and a pickled one. Re-homed into expert_network as corpus 164 is (tables
-- prefixed af_, the archive _af_xcom_archive).
-- Proof (PostgreSQL 15, psql as the superuser, ON_ERROR_STOP, one transaction, after 164, with
-- standard_conforming_strings on): applied; the archive held the pickled row, af_xcom kept
-- {"ok": [1, "nan"], "rows": "nan"}, and pg_attribute gave af_xcom.value the type jsonb, in
-- expert_network.
SET search_path TO expert_network;

CREATE TABLE af_xcom (
    dag_run_id INTEGER NOT NULL,
    task_id VARCHAR(250) NOT NULL,
    map_index INTEGER DEFAULT -1 NOT NULL,
    key VARCHAR(512) NOT NULL,
    dag_id VARCHAR(250) NOT NULL,
    run_id VARCHAR(250) NOT NULL,
    value BYTEA,
    timestamp TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT af_xcom_pkey PRIMARY KEY (dag_run_id, task_id, map_index, key)
);

INSERT INTO af_xcom VALUES
    (1, 'extract', -1, 'return_value', 'etl', 'manual__1', convert_to('{"rows": NaN, "ok": [1, NaN]}', 'UTF8'), now()),
    (1, 'load', -1, 'return_value', 'etl', 'manual__1', '\x80047d942e'::bytea, now());

-- Running upgrade 9fc3fc5de720 -> eed27faa34e3, Remove pickled data from xcom table.

CREATE TABLE IF NOT EXISTS _af_xcom_archive (
    dag_run_id INTEGER NOT NULL, 
    task_id VARCHAR(250) NOT NULL, 
    map_index INTEGER DEFAULT -1 NOT NULL, 
    key VARCHAR(512) NOT NULL, 
    dag_id VARCHAR(250) NOT NULL, 
    run_id VARCHAR(250) NOT NULL, 
    value BYTEA, 
    timestamp TIMESTAMP WITH TIME ZONE NOT NULL, 
    PRIMARY KEY (dag_run_id, task_id, map_index, key)
);

            INSERT INTO _af_xcom_archive (dag_run_id, task_id, map_index, "key", dag_id, run_id, value, timestamp)
            SELECT dag_run_id, task_id, map_index, "key", dag_id, run_id, value, timestamp
            FROM af_xcom
            WHERE value IS NOT NULL AND get_byte(value, 0) = 128;

DELETE FROM af_xcom WHERE value IS NOT NULL AND get_byte(value, 0) = 128;

                UPDATE af_xcom
                SET value = convert_to(
                    regexp_replace(
                        convert_from(value, 'UTF8'),
                        '([:,\[]\s*)NaN(\s*[,}\]])',
                        '\1"nan"\2',
                        'g'
                    ),
                    'UTF8'
                )
                WHERE value IS NOT NULL AND get_byte(value, 0) != 128;

            ALTER TABLE af_xcom
            ALTER COLUMN value TYPE JSONB
            USING CASE
                WHEN value IS NOT NULL THEN CAST(CONVERT_FROM(value, 'UTF8') AS JSONB)
                ELSE NULL
            END;
