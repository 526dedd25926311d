-- Pass corpus 95: the head of procrastinate's first migration, as procrastinate-org/procrastinate
-- (commit f099a753730d5492bdebdc1c1f2796ffa5cf5671) writes it in
-- procrastinate/sql/migrations/00.00.00_01_initial.sql: pg_dump's `CREATE EXTENSION IF NOT EXISTS
-- plpgsql WITH SCHEMA pg_catalog` (pg_dump wrote it up to PostgreSQL 10; Rails' structure.sql kept
-- it), then its version table. Re-homed into expert_network: the table qualified, procrastinate
-- writes none; the extension's pg_catalog is the server's, as written.
-- The fence refused the line: "extension plpgsql is not on the fence's allowlist". initdb makes
-- plpgsql in every database, and the server skips it (PG 15: "extension "plpgsql" already exists,
-- skipping", no catalog row written); in a database whose plpgsql was dropped the migration's
-- transaction fails on the runner's own PL/pgSQL before the line runs, and is rolled back (PG 15
-- through `up`: "language "plpgsql" does not exist", nothing made).
CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog;

CREATE TABLE IF NOT EXISTS expert_network.procrastinate_version (
    id BIGSERIAL PRIMARY KEY,
    version TEXT,
    name TEXT,
    applied_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);
