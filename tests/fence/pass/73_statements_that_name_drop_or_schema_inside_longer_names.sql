-- en-migrate: allow dynamic-sql
-- Pass corpus 73: statements whose text holds "drop" and "schema" only inside longer names, before
-- statements that name expert_network's tables unqualified. Corpus 73 of refuse/ takes expert_network
-- off the path after a statement that may drop it (one whose text names DROP, SCHEMA and
-- expert_network); the fence read those words anywhere in the text, so `information_schema`,
-- `table_schema`, `schemaname`, `current_schema()` or a function called drop_... beside a qualified
-- name were enough, and every unqualified name after them was refused as "no migration creates
-- expert_network.x". Now each must be a word of its own. First mattermost/mattermost's
-- server/channels/db/migrations/postgres/000066_upgrade_posts_v6.0.up.sql (commit
-- b24f322ebce36b9d20e777f99a0d8d747ae40202 of the copy in legendaSVD/mattermost): a labelled DO block that reads
-- information_schema.columns and drops a column, then `CREATE INDEX IF NOT EXISTS ... ON posts(...)`
-- and `DROP INDEX IF EXISTS idx_posts_root_id`, re-homed with the DO block's ALTER TABLE qualified as
-- the fence's hint asks (names prefixed pp_mmp_, the table cut to the columns used). Then
-- thingsboard/thingsboard's dao/src/main/resources/sql/schema-ts-psql.sql (commit
-- dfe65d5abc3aa959aaa853952d74943fbd6867bd): the procedure drop_partitions_by_system_ttl, which lists
-- `pg_tables WHERE schemaname = current_schema()` and drops old partitions by a format()ed EXECUTE
-- (hence the opt-in above; the EXECUTE runs only when ThingsBoard calls it), re-homed qualified with
-- its YEARS branch alone, then an index on the partitioned table named unqualified. Applied with psql
-- on PG 15: every object landed in expert_network.
CREATE TABLE expert_network.pp_mmp_posts (
    id varchar(26) PRIMARY KEY,
    rootid varchar(26),
    parentid varchar(26),
    deleteat bigint,
    fileids varchar(150),
    props text
);

DO $$
<<migrate_root_id>>
DECLARE
    parentid_exist boolean := false;
    alter_fileids boolean := false;
    alter_props boolean := false;
BEGIN
SELECT count(*) != 0 INTO parentid_exist
    FROM information_schema.columns
    WHERE table_name = 'pp_mmp_posts'
    AND table_schema = current_schema()
    AND column_name = 'parentid';
SELECT count(*) != 0 INTO alter_fileids
    FROM information_schema.columns
    WHERE table_name = 'pp_mmp_posts'
    AND table_schema = current_schema()
    AND column_name = 'fileids'
    AND data_type = 'character varying'
    AND character_maximum_length != 300;
SELECT count(*) != 0 INTO alter_props
    FROM information_schema.columns
    WHERE table_name = 'pp_mmp_posts'
    AND table_schema = current_schema()
    AND column_name = 'props'
    AND data_type != 'jsonb';
IF alter_fileids OR alter_props THEN
    IF parentid_exist THEN
        UPDATE expert_network.pp_mmp_posts SET rootid = parentid WHERE rootid = '' AND rootid != parentid;
        ALTER TABLE expert_network.pp_mmp_posts ALTER COLUMN fileids TYPE varchar(300), ALTER COLUMN props TYPE jsonb USING props::jsonb, DROP COLUMN ParentId;
    ELSE
        ALTER TABLE expert_network.pp_mmp_posts ALTER COLUMN fileids TYPE varchar(300), ALTER COLUMN props TYPE jsonb USING props::jsonb;
    END IF;
END IF;
END migrate_root_id $$;
CREATE INDEX IF NOT EXISTS idx_pp_mmp_posts_root_id_delete_at ON pp_mmp_posts(rootid, deleteat);
DROP INDEX IF EXISTS idx_pp_mmp_posts_root_id;

CREATE TABLE IF NOT EXISTS expert_network.pp_tb_ts_kv
(
    entity_id uuid   NOT NULL,
    key       int    NOT NULL,
    ts        bigint NOT NULL,
    long_v    bigint,
    CONSTRAINT pp_tb_ts_kv_pkey PRIMARY KEY (entity_id, key, ts)
) PARTITION BY RANGE (ts);

CREATE OR REPLACE PROCEDURE expert_network.pp_tb_drop_partitions_by_system_ttl(IN partition_type varchar, IN system_ttl bigint, INOUT deleted bigint)
    LANGUAGE plpgsql AS
$$
DECLARE
    partition_by_max_ttl_year  varchar;
    partition                  varchar;
    partition_year             integer;
BEGIN
    if system_ttl IS NOT NULL AND system_ttl > 0 THEN
        partition_by_max_ttl_year := to_char(to_timestamp(EXTRACT(EPOCH FROM current_timestamp) - system_ttl), 'YYYY');
        IF partition_type = 'YEARS' THEN
            FOR partition IN SELECT tablename
                             FROM pg_tables
                             WHERE schemaname = current_schema()
                               AND tablename like 'pp_tb_ts_kv_' || '%'
            LOOP
                partition_year := SPLIT_PART(partition, '_', 5)::integer;
                IF partition_year < partition_by_max_ttl_year::integer THEN
                    RAISE NOTICE 'Partition to delete by max ttl: %', partition;
                    EXECUTE format('DROP TABLE IF EXISTS %I', partition);
                    deleted := deleted + 1;
                END IF;
            END LOOP;
        END IF;
    END IF;
END
$$;

CREATE INDEX IF NOT EXISTS idx_pp_tb_ts_kv_key_ts ON pp_tb_ts_kv (key, ts);
