-- Pass corpus 59: a trigger function that declares arrays of the application's own enum, as ente
-- (ente-io/ente, commit a621d733154a834f23754e7e874de769be532d9d) writes in
-- server/migrations/89_file_data_table.up.sql (`DECLARE all_buckets s3region[]; duplicate_buckets
-- s3region[];` in ensure_no_common_entries(), s3region made by 9_create_datacenter.up.sql).
-- Re-homed into expert_network: the type, table and function qualified, names prefixed pp_en_, the
-- table cut to the columns the body reads, and the function given its own `SET search_path`, as an
-- operator does for a body whose unqualified names must not follow the caller's path; the body as
-- ente wrote it. The fence refused the function ("cannot parse the PL/pgSQL body: ... Not
-- implemented (LookupExplicitNamespace only supports pg_catalog and public)"): libpg_query cannot
-- look up an unqualified type of expert_network either, and only a qualified one was given a
-- stand-in for the parse.
CREATE TYPE expert_network.pp_en_s3region AS ENUM ('b2-eu-cen', 'scw-eu-fr', 'wasabi-eu-central-2');

CREATE TABLE IF NOT EXISTS expert_network.pp_en_file_data
(
    file_id              BIGINT             NOT NULL,
    latest_bucket        pp_en_s3region     NOT NULL,
    replicated_buckets   pp_en_s3region[]   NOT NULL DEFAULT '{}',
    delete_from_buckets  pp_en_s3region[]   NOT NULL DEFAULT '{}',
    inflight_rep_buckets pp_en_s3region[]   NOT NULL DEFAULT '{}',
    PRIMARY KEY (file_id)
);

CREATE OR REPLACE FUNCTION expert_network.pp_en_ensure_no_common_entries()
    RETURNS TRIGGER AS
$$
DECLARE
    all_buckets       pp_en_s3region[];
    duplicate_buckets pp_en_s3region[];
BEGIN
    -- Combine all bucket IDs into a single array
    all_buckets := ARRAY [NEW.latest_bucket] || NEW.replicated_buckets || NEW.delete_from_buckets ||
                   NEW.inflight_rep_buckets;

    -- Find duplicate bucket IDs
    SELECT ARRAY_AGG(DISTINCT bucket)
    INTO duplicate_buckets
    FROM unnest(all_buckets) bucket
    GROUP BY bucket
    HAVING COUNT(*) > 1;

    -- If duplicates exist, raise an exception with details
    IF ARRAY_LENGTH(duplicate_buckets, 1) > 0 THEN
        RAISE EXCEPTION 'Duplicate bucket IDs found: %. Latest: %, Replicated: %, To Delete: %, Inflight: %',
            duplicate_buckets, NEW.latest_bucket, NEW.replicated_buckets, NEW.delete_from_buckets, NEW.inflight_rep_buckets;
    END IF;

    RETURN NEW;
END;
$$ LANGUAGE plpgsql SET search_path = expert_network, pg_catalog, pg_temp;

CREATE TRIGGER check_no_common_entries
    BEFORE INSERT OR UPDATE
    ON pp_en_file_data
    FOR EACH ROW
EXECUTE FUNCTION pp_en_ensure_no_common_entries();

INSERT INTO expert_network.pp_en_file_data (file_id, latest_bucket, replicated_buckets)
VALUES (1, 'b2-eu-cen', '{scw-eu-fr}');
