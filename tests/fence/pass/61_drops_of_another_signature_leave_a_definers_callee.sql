-- Pass corpus 61: a clean-up migration that drops functions by a signature they were not made with,
-- as supabase/storage (commit 4fa61fba9371c4bd40cbb81509f07bcb3af21683) writes in
-- migrations/tenant/0052-drop-not-used-indexes-and-functions.sql: each `DROP FUNCTION IF EXISTS
-- storage.get_level();`, `storage.get_prefixes();` in a DO block of its own with `EXCEPTION WHEN
-- OTHERS THEN NULL`, where 0026-objects-prefixes.sql made `get_level("name" text)` and
-- `get_prefixes("name" text)`, which a SECURITY DEFINER `add_prefixes("_bucket_id" TEXT, "_name"
-- TEXT)` calls (0059-drop-unused-functions.sql says "this is a fix for functions that had the wrong
-- signature in 0052"). PostgreSQL drops only the function of exactly the input types written (PG 15:
-- "NOTICE: function expert_network.g() does not exist, skipping", and g(text) is left; `g(varchar)`,
-- `g(text, text)`, `h(text)` of `h(a text, b int DEFAULT 0, OUT c text)` and `v(text)` of
-- `v(VARIADIC xs text[])` likewise drop nothing). The fence refused the definer ("get_prefixes() is
-- dropped or renamed away by the migrations"): any drop of a name counted as a drop of every function
-- of it. Re-homed into expert_network: `storage.` made expert_network., names prefixed pp_sg_, the
-- tables cut to the columns these functions use; the functions given the `SET search_path` the fence
-- asks of a definer and of what it calls (storage's have none: refused as true reaches, the
-- application's role may add the function or operator their unqualified names find), the rest as
-- storage wrote it.
CREATE TABLE IF NOT EXISTS expert_network."pp_sg_buckets" (
    "id" text not NULL,
    "name" text NOT NULL,
    "created_at" timestamptz DEFAULT now(),
    PRIMARY KEY ("id")
);

--- Index Functions
CREATE OR REPLACE FUNCTION expert_network."pp_sg_get_level"("name" text)
    RETURNS int
    SET search_path = ''
AS $func$
SELECT array_length(string_to_array("name", '/'), 1);
$func$ LANGUAGE SQL IMMUTABLE STRICT;

-- Table
CREATE TABLE IF NOT EXISTS expert_network."pp_sg_prefixes" (
    "bucket_id" text,
    "name" text COLLATE "C" NOT NULL,
    "level" int GENERATED ALWAYS AS (expert_network."pp_sg_get_level"("name")) STORED,
    "created_at" timestamptz DEFAULT now(),
    "updated_at" timestamptz DEFAULT now(),
    CONSTRAINT "pp_sg_prefixes_bucketId_fkey" FOREIGN KEY ("bucket_id") REFERENCES expert_network."pp_sg_buckets"("id"),
    PRIMARY KEY ("bucket_id", "level", "name")
);

ALTER TABLE expert_network.pp_sg_prefixes ENABLE ROW LEVEL SECURITY;

CREATE OR REPLACE FUNCTION expert_network."pp_sg_get_prefixes"("name" text)
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

CREATE OR REPLACE FUNCTION expert_network."pp_sg_add_prefixes"(
    "_bucket_id" TEXT,
    "_name" TEXT
)
RETURNS void
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $func$
DECLARE
    prefixes text[];
BEGIN
    prefixes := expert_network."pp_sg_get_prefixes"("_name");

    IF array_length(prefixes, 1) > 0 THEN
        INSERT INTO expert_network.pp_sg_prefixes (name, bucket_id)
        SELECT UNNEST(prefixes) as name, "_bucket_id" ON CONFLICT DO NOTHING;
    END IF;
END;
$func$ LANGUAGE plpgsql VOLATILE;

-- Drop functions with exception handling so failures don't block migration
DO $$
BEGIN
    DROP FUNCTION IF EXISTS expert_network.pp_sg_get_level();
EXCEPTION WHEN OTHERS THEN NULL;
END;
$$;

DO $$
BEGIN
    DROP FUNCTION IF EXISTS expert_network.pp_sg_get_prefixes();
EXCEPTION WHEN OTHERS THEN NULL;
END;
$$;

-- The same drops written as statements of their own, and by other lists than the one made.
DROP FUNCTION IF EXISTS expert_network.pp_sg_get_prefixes();
DROP FUNCTION IF EXISTS expert_network.pp_sg_get_prefixes(varchar);
DROP FUNCTION IF EXISTS expert_network.pp_sg_get_prefixes(text, text);
DROP FUNCTION IF EXISTS expert_network.pp_sg_get_prefixes(text[]);
