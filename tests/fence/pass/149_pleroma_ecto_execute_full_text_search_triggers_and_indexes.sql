-- Pass corpus 149: Pleroma's and Akkoma's Ecto migrations (pleroma-social/pleroma commit
-- f917285b72dbc770be40478e1a55973f29d5db7d, BDX-town/Akkoma commit
-- 071bb07a5a390785e669e1b5dfaca8b532c456e3, priv/repo/migrations and
-- priv/repo/optional_migrations/rum_indexing): 20170522160642_case_insensivtivity.exs,
-- 20180516144508_add_trigram_extension.exs and 20181201104428_add_uuid_extension.exs
-- (`execute("create extension if not exists citext")`, pg_trgm, "uuid-ossp", without a schema),
-- 20190115085500_create_user_fts_index.exs (a GIN index over `setweight(to_tsvector('simple',
-- regexp_replace(nickname, '\W', ' ', 'g')), 'A') || ...`), 20191026190317_set_not_null_for_activities.exs
-- (`execute("ALTER TABLE activities ALTER COLUMN data SET NOT NULL, ALTER COLUMN local SET NOT NULL")`,
-- unqualified as Pleroma writes it), and rum_indexing/20190510135645_add_fts_index_to_objects_two.exs:
-- the `objects_fts_update()` trigger function that fills a tsvector column, its `BEFORE INSERT OR
-- UPDATE` trigger and the `UPDATE objects SET updated_at = NOW()` that backfills through it (its RUM
-- index left out: rum is no allowlisted extension, refused as database-wide). Re-homed as Ecto runs
-- them with `migration_default_prefix: "expert_network"` and the connection's search_path
-- expert_network: the DSL's tables, columns and indexes qualified as Ecto quotes them, `execute`
-- strings as written but for the names they create, qualified (an object created unqualified under
-- the pinned path alone is refused by the fence's contract); tables prefixed pp_pl_. The fence
-- passed it as the projects write it.
CREATE TABLE "expert_network"."pp_pl_users" ("id" bigserial, "nickname" varchar(255), "name" varchar(255), "ap_id" varchar(255), "info" jsonb DEFAULT '{}', "local" boolean DEFAULT true, "inserted_at" timestamp(0) NOT NULL, "updated_at" timestamp(0) NOT NULL, PRIMARY KEY ("id"));
CREATE TABLE "expert_network"."pp_pl_objects" ("id" bigserial, "data" jsonb, "inserted_at" timestamp(0) NOT NULL, "updated_at" timestamp(0) NOT NULL, PRIMARY KEY ("id"));
CREATE TABLE "expert_network"."pp_pl_activities" ("id" bigserial, "data" jsonb, "local" boolean DEFAULT true, "actor" varchar(255), "recipients" varchar(255)[], "inserted_at" timestamp(0) NOT NULL, "updated_at" timestamp(0) NOT NULL, PRIMARY KEY ("id"));

create extension if not exists citext;

create extension if not exists pg_trgm;

create extension if not exists "uuid-ossp";

CREATE INDEX IF NOT EXISTS "pp_pl_users_fts_index" ON "expert_network"."pp_pl_users" USING gin ((setweight(to_tsvector('simple', regexp_replace(nickname, '\W', ' ', 'g')), 'A') ||
setweight(to_tsvector('simple', regexp_replace(coalesce(name, ''), '\W', ' ', 'g')), 'B'))
);

ALTER TABLE pp_pl_activities
    ALTER COLUMN data SET NOT NULL,
    ALTER COLUMN local SET NOT NULL;

DROP INDEX IF EXISTS "expert_network"."pp_pl_objects_fts";

ALTER TABLE "expert_network"."pp_pl_objects" ADD COLUMN "fts_content" tsvector;

CREATE FUNCTION expert_network.pp_pl_objects_fts_update() RETURNS trigger AS $$
    begin
    new.fts_content := to_tsvector('english', new.data->>'content');
    return new;
    end
    $$ LANGUAGE plpgsql;

create index if not exists pp_pl_objects_fts on pp_pl_objects using gin (fts_content);

CREATE TRIGGER tsvectorupdate BEFORE INSERT OR UPDATE ON pp_pl_objects
    FOR EACH ROW EXECUTE PROCEDURE pp_pl_objects_fts_update();

UPDATE pp_pl_objects SET updated_at = NOW();
