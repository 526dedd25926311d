-- Refuse corpus 69: a range type's MULTIRANGE_TYPE_NAME names the multirange type (and its array
-- type) the server creates with the range, in the schema written there and not the range's own. The
-- fence read the option as a reference, which may name pg_catalog or information_schema, so
-- `CREATE TYPE expert_network.r AS RANGE (..., MULTIRANGE_TYPE_NAME = pg_catalog.session)` passed
-- `check` and made pg_catalog.session: pg_catalog is searched first on every path, so every
-- application's unqualified type name `session` (BetterAuth's public.session row type) now means the
-- multirange. `up`'s guard leaves pg_catalog and information_schema to the server: through `up` (demo
-- seeded, sql/001-003 and this file's first case as 004) the migration was applied, the guard saw
-- nothing, and under BetterAuth's path `'session'::regtype` was no longer public.session. Unqualified,
-- the name lands in the path's first schema (QualifiedNameGetCreationNamespace), pg_catalog after
-- `SET LOCAL search_path = pg_catalog, expert_network`, which the fence accepted too.
-- Each refused statement is followed by a `-- proof:` query; run on PG 15 as the runner's superuser
-- with `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied), each proof
-- printed what the comment above it says. Found by a hunt: before, every refused statement below
-- passed `check`.

-- Reaches: pg_catalog.session (and pg_catalog._session) made, shadowing public.session's row type for
-- every session whose path reaches public after pg_catalog: the proof prints t, then f.
-- refuse: outside-schema
CREATE TYPE expert_network.session_window AS RANGE (SUBTYPE = pg_catalog.timestamptz, MULTIRANGE_TYPE_NAME = pg_catalog.session);
-- proof: SELECT count(*) = 2 FROM pg_catalog.pg_type WHERE typname IN ('session', '_session') AND typnamespace = 'pg_catalog'::regnamespace; SET LOCAL search_path = "$user", public; SELECT 'session'::regtype::oid = 'public.session'::regclass::oid AS resolves_to_public_session; SET LOCAL search_path = expert_network, pg_catalog, pg_temp

-- Reaches: a type made in information_schema, which the guard does not look at either.
-- refuse: outside-schema
CREATE TYPE expert_network.span_is AS RANGE (SUBTYPE = pg_catalog.int4, MULTIRANGE_TYPE_NAME = information_schema.span_is_multi);
-- proof: SELECT count(*) = 2 FROM pg_catalog.pg_type WHERE typname IN ('span_is_multi', '_span_is_multi') AND typnamespace = 'information_schema'::regnamespace

-- Written as a string, the name is one unqualified name, dot and all ('pg_catalog.x' makes a type
-- named "pg_catalog.x"): it lands in the path's first schema, expert_network under the pinned path as
-- the proof shows, pg_catalog under the path set below, so it is refused as the unqualified name it is.
-- refuse: unqualified-name
CREATE TYPE expert_network.span_s AS RANGE (SUBTYPE = pg_catalog.int4, MULTIRANGE_TYPE_NAME = 'span_s_multi');
-- proof: SELECT count(*) = 1 FROM pg_catalog.pg_type WHERE typname = 'span_s_multi' AND typnamespace = 'expert_network'::regnamespace

-- A path the fence accepts (it names only expert_network and pg_catalog), with pg_catalog first.
SET LOCAL search_path = pg_catalog, expert_network;

-- Reaches: unqualified, under that path, pg_catalog.span_multi.
-- refuse: unqualified-name
CREATE TYPE expert_network.span AS RANGE (SUBTYPE = pg_catalog.int4, MULTIRANGE_TYPE_NAME = span_multi);
-- proof: SELECT count(*) = 1 FROM pg_catalog.pg_type WHERE typname = 'span_multi' AND typnamespace = 'pg_catalog'::regnamespace

SET LOCAL search_path = expert_network, pg_catalog, pg_temp;

-- Named with expert_network, the multirange stays in the schema and passes.
CREATE TYPE expert_network.span_ok AS RANGE (SUBTYPE = pg_catalog.int4, MULTIRANGE_TYPE_NAME = expert_network.span_ok_multi);
