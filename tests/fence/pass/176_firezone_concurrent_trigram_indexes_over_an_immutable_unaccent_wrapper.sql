-- en-migrate: no-transaction
-- Pass corpus 176: Firezone's trigram search indexes (firezone/firezone elixir/priv/repo/migrations,
-- commit df8139e82dd537f4bc99af32f7f94033b809ef3e), Ecto migrations with `@disable_ddl_transaction
-- true`, so each `execute` runs alone outside a transaction, as this file's directive does:
-- 20240301170517_enable_unnacent.exs (`CREATE EXTENSION IF NOT EXISTS unaccent;`),
-- 20251219000000_add_fulltext_search_indexes.exs (`CREATE EXTENSION IF NOT EXISTS pg_trgm`, the
-- wrapper `CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text AS $$ SELECT
-- public.unaccent($1) $$ LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT` that lets an index use
-- unaccent, which is only STABLE, and `CREATE INDEX CONCURRENTLY IF NOT EXISTS ... USING
-- gin(immutable_unaccent(name) gin_trgm_ops)`, one partial `WHERE email IS NOT NULL`) and
-- 20260209000000_add_compound_gin_indexes.exs (`CREATE EXTENSION IF NOT EXISTS btree_gin` and GIN
-- indexes over `(account_id, immutable_unaccent(name) gin_trgm_ops)`), on pass corpus 171's tables
-- (their name columns varchar(255), Ecto's :string). Re-homed as corpus 171: the wrapper and the
-- indexed tables qualified, Firezone's `public.unaccent` made `expert_network.unaccent` (the
-- extensions land in expert_network, the path's first schema); names prefixed fz_.
-- The fence refused each index: the wrapper, which ANALYZE, REINDEX and CLUSTER run as the table's
-- owner, calls an expert_network function with an argument, and the application's role may create
-- there. But the argument is the wrapper's own text parameter, and unaccent(text) is the extension's:
-- PG 15, with raguser granted CREATE on expert_network, `CREATE FUNCTION expert_network.unaccent(text)`
-- failed ("already exists with same argument types"), and raguser's unaccent(varchar) and
-- unaccent(anyelement), which raise a notice, never ran when REINDEX evaluated the index (the
-- index's own call of the wrapper was bound when the index was made). The fence now finds such a
-- call by its exact match (`Model::has_signature` with the extensions' argument lists). The unknown
-- literal of the two-argument form many projects write, `unaccent('public.unaccent', $1)`, stays
-- refused: raguser's `unaccent(text, text)` ran as the superuser on REINDEX. The fence passed it;
-- psql on PostgreSQL 15 applied it, and pg_index read back the four indexes valid (indisvalid).
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE OR REPLACE FUNCTION expert_network.fz_immutable_unaccent(text)
RETURNS text AS $$
  SELECT expert_network.unaccent($1)
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT;

CREATE INDEX CONCURRENTLY IF NOT EXISTS fz_resources_name_trigram_idx
ON expert_network.fz_resources USING gin(expert_network.fz_immutable_unaccent(name) gin_trgm_ops);

CREATE INDEX CONCURRENTLY IF NOT EXISTS fz_actors_email_trigram_idx
ON expert_network.fz_actors USING gin(expert_network.fz_immutable_unaccent(email) gin_trgm_ops)
WHERE email IS NOT NULL;

CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX CONCURRENTLY IF NOT EXISTS fz_actors_account_name_trigram_idx
ON expert_network.fz_actors USING gin(account_id, expert_network.fz_immutable_unaccent(name) gin_trgm_ops);

CREATE INDEX CONCURRENTLY IF NOT EXISTS fz_resources_account_address_trigram_idx
ON expert_network.fz_resources USING gin(account_id, expert_network.fz_immutable_unaccent(address) gin_trgm_ops);
