-- en-migrate: allow dynamic-sql
-- Pass corpus 191: supabase/storage's newer tenant migrations (migrations/tenant): 0040-vector-buckets
-- (commit bb40d5bc6376e090e6ee99719e3b6fbcc08967a9), a DO block that reads the roles it grants to
-- from settings (`COALESCE(current_setting('storage.anon_role', true), 'anon')`), makes a table with
-- RLS on, `EXECUTE 'GRANT ALL ON TABLE ... TO ' || service_role || ...` and REVOKEs, and returns
-- early when `storage.multitenant` is set; 0050-prevent-direct-deletes (commit
-- 396bb16d3f6e881f5bdeefd79328c2412f92ecef), a PL/pgSQL trigger function that raises ERRCODE 42501
-- unless `current_setting('storage.can_delete', true)` is 'true', fixed `BEFORE DELETE ... FOR EACH
-- STATEMENT` on each storage table, and the rest made in a DO block only outside multitenant mode;
-- 0057-event-log (commit 0e68eb4da2834e396f4922b1f8bccbfa12e4a292), a bigserial table with a partial
-- `WHERE status = 'PENDING'` index. Before them, the tables they expect (0002-storage-schema and
-- 0021-s3-multipart-uploads, cut to a few columns) and the BucketType enum an earlier migration of
-- theirs makes, here made with its three values in a DO block that reads pg_type first (0042
-- uses VECTOR as a default, so the value must exist before this transaction). Re-homed as an
-- operator adopting en-migrate would: storage.x written expert_network.st_x, and the roles anon,
-- authenticated and service_role the seeded database's en_pass_reader, raguser and en_pass_writer
-- (the defaults of the COALESCEs; the settings are unset). The file states `allow dynamic-sql` for
-- the DO block's EXECUTEs of computed GRANTs, whose text the fence cannot see: the database-side
-- check reads what they granted.
-- PostgreSQL 15 applied it with psql; read back: pg_class.relrowsecurity true for st_objects and
-- st_buckets_vectors, information_schema.role_table_grants ALL on st_buckets_vectors and
-- st_vector_indexes to en_pass_writer and SELECT on st_vector_indexes to raguser and
-- en_pass_reader (their grants on st_buckets_vectors revoked), pg_trigger the five protect_*
-- triggers with tgtype 10 (BEFORE, DELETE, statement), a DELETE from st_buckets refused with the
-- trigger's message and one after `SET LOCAL storage.can_delete = 'true'` deleting the row, and
-- pg_index idx_event_log_status_id's predicate `(status = 'PENDING'::text)`.
SET search_path TO expert_network;

-- The tables the guarded migrations expect (0002-storage-schema, 0021-s3-multipart-uploads, cut to a few columns).
CREATE TABLE IF NOT EXISTS expert_network.st_buckets (
    id text NOT NULL PRIMARY KEY,
    name text NOT NULL,
    owner uuid,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    public boolean DEFAULT false
);
CREATE UNIQUE INDEX IF NOT EXISTS st_bname ON expert_network.st_buckets USING btree (name);
CREATE TABLE IF NOT EXISTS expert_network.st_objects (
    id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    bucket_id text REFERENCES expert_network.st_buckets (id),
    name text,
    owner uuid,
    created_at timestamptz DEFAULT now(),
    metadata jsonb
);
CREATE UNIQUE INDEX IF NOT EXISTS st_bucketid_objname ON expert_network.st_objects USING btree (bucket_id, name);
ALTER TABLE expert_network.st_objects ENABLE ROW LEVEL SECURITY;
CREATE TABLE IF NOT EXISTS expert_network.st_s3_multipart_uploads (
    id text PRIMARY KEY,
    in_progress_size bigint NOT NULL DEFAULT 0,
    upload_signature text NOT NULL,
    bucket_id text NOT NULL REFERENCES expert_network.st_buckets (id),
    key text COLLATE "C" NOT NULL,
    version text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS st_idx_multipart_uploads_list ON expert_network.st_s3_multipart_uploads USING btree (bucket_id, key, created_at);

-- 0038-iceberg-catalog-flag-on-buckets and 0042-vector-buckets: the bucket type enum, made only where
-- it is missing (its VECTOR value, which 0042 adds in a migration of its own, written here with the rest:
-- a value added in this transaction could not be used by 0040's default before it commits).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'st_buckettype' AND typnamespace = 'expert_network'::regnamespace) THEN
        CREATE TYPE expert_network.st_BucketType AS ENUM ('STANDARD', 'ANALYTICS', 'VECTOR');
    END IF;
END$$;

-- 0040-vector-buckets
DO $$
    DECLARE
        is_multitenant bool = COALESCE(current_setting('storage.multitenant', true), 'false')::boolean;
        anon_role text = COALESCE(current_setting('storage.anon_role', true), 'en_pass_reader');
        authenticated_role text = COALESCE(current_setting('storage.authenticated_role', true), 'raguser');
        service_role text = COALESCE(current_setting('storage.service_role', true), 'en_pass_writer');
    BEGIN
        CREATE TABLE IF NOT EXISTS expert_network.st_buckets_vectors (
            id text not null primary key,
            type expert_network.st_BucketType NOT NULL default 'VECTOR',
            created_at timestamptz NOT NULL default now(),
            updated_at timestamptz NOT NULL default now()
        );

        ALTER TABLE expert_network.st_buckets_vectors ENABLE ROW LEVEL SECURITY;

        EXECUTE 'GRANT ALL ON TABLE expert_network.st_buckets_vectors TO ' || service_role || ', ' || authenticated_role || ', ' || anon_role;

        IF is_multitenant THEN
            RETURN;
        END IF;

        CREATE TABLE IF NOT EXISTS expert_network.st_vector_indexes
        (
            id                     text COLLATE "C" primary key default gen_random_uuid(),
            bucket_id              text             NOT NULL references expert_network.st_buckets_vectors (id),
            data_type              text             NOT NULL,
            dimension              integer          NOT NULL,
            distance_metric        text             NOT NULL,
            metadata_configuration jsonb,
            created_at             timestamptz      NOT NULL default now(),
            updated_at             timestamptz      NOT NULL default now()
        );

        EXECUTE 'revoke all on expert_network.st_buckets_vectors from ' || anon_role || ', ' || authenticated_role;
        EXECUTE 'GRANT ALL ON TABLE expert_network.st_buckets_vectors TO ' || service_role;

        EXECUTE 'revoke all on expert_network.st_vector_indexes from ' || anon_role || ', ' || authenticated_role;
        EXECUTE 'GRANT ALL ON TABLE expert_network.st_vector_indexes TO ' || service_role;
        EXECUTE 'GRANT SELECT ON TABLE expert_network.st_vector_indexes TO ' || authenticated_role || ', ' || anon_role;
END$$;

-- 0050-prevent-direct-deletes
-- Create a function that prevents direct deletes unless storage.can_delete is set
CREATE OR REPLACE FUNCTION expert_network.st_protect_delete()
RETURNS TRIGGER
LANGUAGE plpgsql
AS $$
BEGIN
    -- Check if storage.can_delete is set to 'true'
    IF COALESCE(current_setting('storage.can_delete', true), 'false') != 'true' THEN
        RAISE EXCEPTION 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
            USING HINT = 'This prevents accidental data loss from orphaned objects.',
                  ERRCODE = '42501';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER protect_buckets_delete
    BEFORE DELETE ON expert_network.st_buckets
    FOR EACH STATEMENT
    EXECUTE FUNCTION expert_network.st_protect_delete();

CREATE TRIGGER protect_objects_delete
    BEFORE DELETE ON expert_network.st_objects
    FOR EACH STATEMENT
    EXECUTE FUNCTION expert_network.st_protect_delete();

CREATE TRIGGER protect_s3_multipart_uploads_delete
    BEFORE DELETE ON expert_network.st_s3_multipart_uploads
    FOR EACH STATEMENT
    EXECUTE FUNCTION expert_network.st_protect_delete();

CREATE TRIGGER protect_buckets_vectors_delete
    BEFORE DELETE ON expert_network.st_buckets_vectors
    FOR EACH STATEMENT
    EXECUTE FUNCTION expert_network.st_protect_delete();

-- Create triggers for vector indexes (only exist in non-multitenant mode)
DO $$
    DECLARE
        is_multitenant bool = COALESCE(current_setting('storage.multitenant', true), 'false')::boolean;
    BEGIN
        IF is_multitenant THEN
            RETURN;
        END IF;

        CREATE TRIGGER protect_vector_indexes_delete
            BEFORE DELETE ON expert_network.st_vector_indexes
            FOR EACH STATEMENT
            EXECUTE FUNCTION expert_network.st_protect_delete();
END$$;

-- 0057-event-log
CREATE TABLE IF NOT EXISTS expert_network.st_event_log (
  id BIGSERIAL PRIMARY KEY,
  event_name TEXT NOT NULL,
  payload JSONB NOT NULL,
  send_options JSONB,
  signature TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'PENDING',
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX idx_event_log_status_id ON expert_network.st_event_log(status, id) WHERE status = 'PENDING';
