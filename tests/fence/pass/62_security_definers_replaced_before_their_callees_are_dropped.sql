-- Pass corpus 62 (with 63): a SECURITY DEFINER function given a new body by CREATE OR REPLACE, then
-- dropped before the helpers it called, as supabase/storage (commit
-- 4fa61fba9371c4bd40cbb81509f07bcb3af21683) writes in migrations/tenant/
-- 0040-fix-prefix-race-conditions-optimized.sql (`CREATE OR REPLACE FUNCTION
-- storage.delete_leaf_prefixes(bucket_ids text[], names text[]) ... SECURITY DEFINER`, calling
-- `storage.get_prefixes(t.name)` and `storage.get_level(name)`), 0041-add-object-level-update-trigger.sql
-- (the same function replaced with a body that reads `o.level`) and 0059-drop-unused-functions.sql
-- (corpus 63: `DROP FUNCTION IF EXISTS storage.delete_leaf_prefixes(text[],text[]);` then
-- `storage.get_level(text)` and `storage.get_prefixes(text)`). The fence judged every body a
-- definer was ever given against what the migrations leave at the end, where the helpers are gone,
-- and refused both ("get_prefixes() is dropped or renamed away by the migrations", and "is called
-- with arguments": no get_prefixes(text) was left to match): a body replaced, or dropped, before its
-- callee is dropped never runs while the callee's name is free (PG 15: after 0041's replace
-- `pg_get_functiondef` shows only the new body; after 0059 no function of the three is left).
-- Re-homed into expert_network: `storage.` made expert_network., names prefixed pp_sl_, the tables
-- cut to the columns the bodies use; the functions given the `SET search_path` the fence asks of a
-- definer and of what it calls, and each column passed to the schema's own function cast to its
-- parameter's type (storage's have neither: refused as true reaches, the application's role may add
-- the function, operator or closer overload they would find), the bodies otherwise as storage wrote
-- them.
CREATE TABLE expert_network.pp_sl_objects (
    "id" uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    "bucket_id" text,
    "name" text COLLATE "C",
    "level" int
);

CREATE OR REPLACE FUNCTION expert_network."pp_sl_get_level"("name" text)
    RETURNS int
    SET search_path = ''
AS $func$
SELECT array_length(string_to_array("name", '/'), 1);
$func$ LANGUAGE SQL IMMUTABLE STRICT;

CREATE TABLE IF NOT EXISTS expert_network."pp_sl_prefixes" (
    "bucket_id" text,
    "name" text COLLATE "C" NOT NULL,
    "level" int GENERATED ALWAYS AS (expert_network."pp_sl_get_level"("name")) STORED,
    PRIMARY KEY ("bucket_id", "level", "name")
);

CREATE OR REPLACE FUNCTION expert_network."pp_sl_get_prefixes"("name" text)
    RETURNS text[]
    SET search_path = ''
AS $func$
DECLARE
    parts text[];
    prefixes text[];
    prefix text;
BEGIN
    -- Split the name into parts by '/'
    parts := string_to_array("name", '/');
    prefixes := '{}';

    -- Construct the prefixes, stopping one level below the last part
    FOR i IN 1..array_length(parts, 1) - 1 LOOP
            prefix := array_to_string(parts[1:i], '/');
            prefixes := array_append(prefixes, prefix);
    END LOOP;

    RETURN prefixes;
END;
$func$ LANGUAGE plpgsql IMMUTABLE STRICT;

-- 0040: Helper: Given arrays of bucket_ids and names, compute all ancestor
-- prefixes and delete those that are leaves (no children objects or prefixes).
-- Repeats bottom-up until no more rows are removed.
CREATE OR REPLACE FUNCTION expert_network.pp_sl_delete_leaf_prefixes(bucket_ids text[], names text[])
    RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_rows_deleted integer;
BEGIN
    LOOP
        WITH candidates AS (
            SELECT DISTINCT t.bucket_id,
                unnest(expert_network.pp_sl_get_prefixes(t.name::pg_catalog.text)) AS name
            FROM unnest(bucket_ids, names) AS t(bucket_id, name)
        ),
        uniq AS (
            SELECT bucket_id,
                   name,
                   expert_network.pp_sl_get_level(name::pg_catalog.text) AS level
             FROM candidates
             WHERE name <> ''
             GROUP BY bucket_id, name
        ),
        leaf AS (
            SELECT p.bucket_id, p.name, p.level
            FROM expert_network.pp_sl_prefixes AS p
            JOIN uniq AS u
              ON u.bucket_id = p.bucket_id
                  AND u.name = p.name
                  AND u.level = p.level
            WHERE NOT EXISTS (
                SELECT 1
                FROM expert_network.pp_sl_objects AS o
                WHERE o.bucket_id = p.bucket_id
                  AND expert_network.pp_sl_get_level(o.name::pg_catalog.text) = p.level + 1
                  AND o.name COLLATE "C" LIKE p.name || '/%'
            )
            AND NOT EXISTS (
                SELECT 1
                FROM expert_network.pp_sl_prefixes AS c
                WHERE c.bucket_id = p.bucket_id
                  AND c.level = p.level + 1
                  AND c.name COLLATE "C" LIKE p.name || '/%'
            )
        )
        DELETE FROM expert_network.pp_sl_prefixes AS p
        USING leaf AS l
        WHERE p.bucket_id = l.bucket_id
          AND p.name = l.name
          AND p.level = l.level;

        GET DIAGNOSTICS v_rows_deleted = ROW_COUNT;
        EXIT WHEN v_rows_deleted = 0;
    END LOOP;
END;
$$;

-- 0041: the same function, replaced.
CREATE OR REPLACE FUNCTION expert_network.pp_sl_delete_leaf_prefixes(bucket_ids text[], names text[])
    RETURNS void
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_rows_deleted integer;
BEGIN
    LOOP
        WITH candidates AS (
            SELECT DISTINCT
                t.bucket_id,
                unnest(expert_network.pp_sl_get_prefixes(t.name::pg_catalog.text)) AS name
            FROM unnest(bucket_ids, names) AS t(bucket_id, name)
        ),
        uniq AS (
             SELECT
                 bucket_id,
                 name,
                 expert_network.pp_sl_get_level(name::pg_catalog.text) AS level
             FROM candidates
             WHERE name <> ''
             GROUP BY bucket_id, name
        ),
        leaf AS (
             SELECT
                 p.bucket_id,
                 p.name,
                 p.level
             FROM expert_network.pp_sl_prefixes AS p
                  JOIN uniq AS u
                       ON u.bucket_id = p.bucket_id
                           AND u.name = p.name
                           AND u.level = p.level
             WHERE NOT EXISTS (
                 SELECT 1
                 FROM expert_network.pp_sl_objects AS o
                 WHERE o.bucket_id = p.bucket_id
                   AND o.level = p.level + 1
                   AND o.name COLLATE "C" LIKE p.name || '/%'
             )
             AND NOT EXISTS (
                 SELECT 1
                 FROM expert_network.pp_sl_prefixes AS c
                 WHERE c.bucket_id = p.bucket_id
                   AND c.level = p.level + 1
                   AND c.name COLLATE "C" LIKE p.name || '/%'
             )
        )
        DELETE
        FROM expert_network.pp_sl_prefixes AS p
            USING leaf AS l
        WHERE p.bucket_id = l.bucket_id
          AND p.name = l.name
          AND p.level = l.level;

        GET DIAGNOSTICS v_rows_deleted = ROW_COUNT;
        EXIT WHEN v_rows_deleted = 0;
    END LOOP;
END;
$$;
