-- Pass corpus 182: Immich's first Kysely migration (immich-app/immich
-- server/src/schema/migrations/1744910873969-InitialMigration.ts, commit
-- 1549980417419ba20050e7b803accf64b39da7cf), the sql`...` strings it executes one by one:
-- `CREATE EXTENSION IF NOT EXISTS` "uuid-ossp", "unaccent", "cube", "earthdistance" and "pg_trgm";
-- immich_uuid_v7(p_timestamp timestamptz default clock_timestamp()), a LANGUAGE SQL function
-- setting the version bits of gen_random_uuid()'s bytes; the plpgsql trigger function updated_at()
-- whose DECLARE shadows clock_timestamp; f_concat_ws and f_unaccent (a SQL-standard `RETURN` body);
-- ll_to_earth_public over the earthdistance/cube types; the *_delete_audit functions inserting
-- `SELECT ... FROM OLD`, fired by `CREATE OR REPLACE TRIGGER ... AFTER DELETE ... REFERENCING OLD
-- TABLE AS "old" FOR EACH STATEMENT WHEN (pg_trigger_depth() = 0)`; enum types; TypeORM-named
-- PRIMARY KEY, FOREIGN KEY (ON UPDATE CASCADE ON DELETE CASCADE / SET NULL), UNIQUE and CHECK
-- constraints (one over CURRENT_DATE); COMMENT ON COLUMN; an identity column; and its indexes:
-- GIN trigram over f_unaccent(...), expressions over `date_trunc('MONTH', ... AT TIME ZONE 'UTC')`
-- and `::date`, partial unique indexes, and an earth index -- cut to the tables users, assets,
-- activity, person, assets_audit, users_audit, geodata_places and naturalearth_countries and the
-- columns those statements use. The pgvecto.rs/pgvector tables and indexes are left out (no such
-- extension on the allowlist). Pass corpus 79 holds this migration's immich_uuid_v7 defaults on
-- cascading tables (the function repeated here verbatim); it left out the updated_at BEFORE UPDATE
-- triggers (refuse corpus 80 keeps their unpinned form refused), which pass here pinned, as below.
-- Re-homed as an operator adopting en-migrate would: Immich's bare names kept under the file's own
-- `SET search_path TO expert_network` (the extensions land in expert_network, the path's first
-- schema), tables prefixed im_, the audit functions' INSERT targets qualified (a trigger body
-- without its own path resolves under the session's), and, because expert_network is a schema the
-- application's role may create in where Immich's `public` extension schema is not:
-- * f_unaccent's `unaccent('unaccent', $1)` given its dictionary as
--   `'expert_network.unaccent'::regdictionary`: the bare literal is an unknown, so a raguser-made
--   unaccent(text, text) wins the call the index runs as its owner on REINDEX (corpus 176 proves
--   it; the fence refuses that spelling, rightly).
-- * immich_uuid_v7, updated_at and ll_to_earth_public given `SET search_path = pg_catalog, pg_temp`
--   (updated_at fires as the table's owner in the ON UPDATE CASCADE of im_assets' and im_person's
--   keys), ll_to_earth_public's `public.earth`/`public.cube` made expert_network's, and
--   updated_at's `immich_uuid_v7(clock_timestamp)` made
--   `expert_network.immich_uuid_v7(clock_timestamp::timestamptz)`: the variable is a `timestamp`
--   and the parameter a `timestamptz`, so a raguser-made `immich_uuid_v7(timestamp)` is the exact
--   match of the uncast call: PG 15, with raguser granted CREATE on expert_network and UPDATE on
--   im_users, its overload raised "ran as postgres" when its UPDATE of im_users.id cascaded to
--   im_assets -- the fence refuses that spelling, rightly. The cast call is safe (the same test ran
--   neither raguser's (timestamp) nor its (text) overload), and the fence types it: a whole
--   argument cast to pg_catalog's type, unqualified under a path that looks in pg_catalog first
--   (`invoker_calls::cast_type`; refused until the cast arguments were read).
-- * the earth index made over the extension's own `ll_to_earth(latitude, longitude)` (the same
--   formula ll_to_earth_public spells out): ll_to_earth_public's nested `expert_network.cube(...)`
--   calls take expressions whose types the fence does not infer, so it counts them overloadable in
--   what ANALYZE runs as the owner (a conservative refusal; every one is an exact match).
-- PostgreSQL 15 applied it with psql; read back: pg_extension lists uuid-ossp, unaccent, cube,
-- earthdistance and pg_trgm in expert_network, pg_trigger the two statement-level AFTER DELETE
-- triggers with tgoldtable "old" (tgtype 8) and three BEFORE UPDATE row triggers (19); an UPDATE of
-- a user set a version-7 "updateId" (its 15th character '7'), deleting the user wrote one
-- im_users_audit row through the transition table and none to im_assets_audit (the cascade runs at
-- pg_trigger_depth() 1), f_unaccent('Café') = 'Cafe', and pg_indexes lists the GIN trigram,
-- date_trunc, ::date, partial unique and earth indexes.
SET search_path TO expert_network;

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE EXTENSION IF NOT EXISTS "unaccent";
CREATE EXTENSION IF NOT EXISTS "cube";
CREATE EXTENSION IF NOT EXISTS "earthdistance";
CREATE EXTENSION IF NOT EXISTS "pg_trgm";
CREATE OR REPLACE FUNCTION immich_uuid_v7(p_timestamp timestamp with time zone default clock_timestamp())
  RETURNS uuid
  VOLATILE LANGUAGE SQL
  SET search_path = pg_catalog, pg_temp
  AS $$
    select encode(
      set_bit(
        set_bit(
          overlay(uuid_send(gen_random_uuid())
                  placing substring(int8send(floor(extract(epoch from p_timestamp) * 1000)::bigint) from 3)
                  from 1 for 6
          ),
          52, 1
        ),
        53, 1
      ),
      'hex')::uuid;
  $$;
CREATE OR REPLACE FUNCTION updated_at()
  RETURNS TRIGGER
  LANGUAGE PLPGSQL
  SET search_path = pg_catalog, pg_temp
  AS $$
    DECLARE
        clock_timestamp TIMESTAMP := clock_timestamp();
    BEGIN
        new."updatedAt" = clock_timestamp;
        new."updateId" = expert_network.immich_uuid_v7(clock_timestamp::timestamptz);
        return new;
    END;
  $$;
CREATE OR REPLACE FUNCTION f_concat_ws(text, text[])
  RETURNS text
  PARALLEL SAFE IMMUTABLE LANGUAGE SQL
  AS $$SELECT array_to_string($2, $1)$$;
CREATE OR REPLACE FUNCTION f_unaccent(text)
  RETURNS text
  PARALLEL SAFE STRICT IMMUTABLE LANGUAGE SQL
    RETURN unaccent('expert_network.unaccent'::regdictionary, $1);
CREATE OR REPLACE FUNCTION ll_to_earth_public(latitude double precision, longitude double precision)
  RETURNS expert_network.earth
  PARALLEL SAFE STRICT IMMUTABLE LANGUAGE SQL
  SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT expert_network.cube(expert_network.cube(expert_network.cube(expert_network.earth()*cos(radians(latitude))*cos(radians(longitude))),expert_network.earth()*cos(radians(latitude))*sin(radians(longitude))),expert_network.earth()*sin(radians(latitude)))::expert_network.earth
  $$;
CREATE OR REPLACE FUNCTION users_delete_audit()
  RETURNS TRIGGER
  LANGUAGE PLPGSQL
  AS $$
    BEGIN
      INSERT INTO expert_network.im_users_audit ("userId")
      SELECT "id"
      FROM OLD;
      RETURN NULL;
    END;
  $$;
CREATE OR REPLACE FUNCTION assets_delete_audit()
  RETURNS TRIGGER
  LANGUAGE PLPGSQL
  AS $$
    BEGIN
      INSERT INTO expert_network.im_assets_audit ("assetId", "ownerId")
      SELECT "id", "ownerId"
      FROM OLD;
      RETURN NULL;
    END;
  $$;
CREATE TYPE "im_assets_status_enum" AS ENUM ('active','trashed','deleted');
CREATE TYPE "im_sourcetype" AS ENUM ('machine-learning','exif','manual');
CREATE TABLE "im_users" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "email" character varying NOT NULL, "createdAt" timestamp with time zone NOT NULL DEFAULT now(), "isAdmin" boolean NOT NULL DEFAULT false, "deletedAt" timestamp with time zone, "updatedAt" timestamp with time zone NOT NULL DEFAULT now(), "storageLabel" character varying, "name" character varying NOT NULL DEFAULT '', "quotaUsageInBytes" bigint NOT NULL DEFAULT 0, "status" character varying NOT NULL DEFAULT 'active', "updateId" uuid NOT NULL DEFAULT immich_uuid_v7());
CREATE TABLE "im_assets" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "ownerId" uuid NOT NULL, "originalPath" character varying NOT NULL, "checksum" bytea NOT NULL, "livePhotoVideoId" uuid, "isVisible" boolean NOT NULL DEFAULT true, "isArchived" boolean NOT NULL DEFAULT false, "updatedAt" timestamp with time zone NOT NULL DEFAULT now(), "originalFileName" character varying NOT NULL, "libraryId" uuid, "localDateTime" timestamp with time zone NOT NULL, "status" im_assets_status_enum NOT NULL DEFAULT 'active', "updateId" uuid NOT NULL DEFAULT immich_uuid_v7());
CREATE TABLE "im_activity" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "createdAt" timestamp with time zone NOT NULL DEFAULT now(), "updatedAt" timestamp with time zone NOT NULL DEFAULT now(), "albumId" uuid NOT NULL, "userId" uuid NOT NULL, "assetId" uuid, "comment" text, "isLiked" boolean NOT NULL DEFAULT false, "updateId" uuid NOT NULL DEFAULT immich_uuid_v7());
CREATE TABLE "im_assets_audit" ("id" uuid NOT NULL DEFAULT immich_uuid_v7(), "assetId" uuid NOT NULL, "ownerId" uuid NOT NULL, "deletedAt" timestamp with time zone NOT NULL DEFAULT clock_timestamp());
CREATE TABLE "im_person" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "ownerId" uuid NOT NULL, "name" character varying NOT NULL DEFAULT '', "birthDate" date, "faceAssetId" uuid, "sourceType" im_sourcetype NOT NULL DEFAULT 'machine-learning', "updatedAt" timestamp with time zone NOT NULL DEFAULT now(), "updateId" uuid NOT NULL DEFAULT immich_uuid_v7());
CREATE TABLE "im_geodata_places" ("id" integer NOT NULL, "name" character varying(200) NOT NULL, "longitude" double precision NOT NULL, "latitude" double precision NOT NULL, "countryCode" character(2) NOT NULL, "admin1Name" character varying, "alternateNames" character varying);
CREATE TABLE "im_naturalearth_countries" ("id" integer NOT NULL GENERATED ALWAYS AS IDENTITY, "admin" character varying(50) NOT NULL, "admin_a3" character varying(3) NOT NULL, "type" character varying(50) NOT NULL, "coordinates" polygon NOT NULL);
CREATE TABLE "im_users_audit" ("userId" uuid NOT NULL, "deletedAt" timestamp with time zone NOT NULL DEFAULT clock_timestamp(), "id" uuid NOT NULL DEFAULT immich_uuid_v7());
COMMENT ON COLUMN "im_assets"."livePhotoVideoId" IS 'Asset ID of the paired video';
ALTER TABLE "im_users" ADD CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id");
ALTER TABLE "im_assets" ADD CONSTRAINT "PK_da96729a8b113377cfb6a62439c" PRIMARY KEY ("id");
ALTER TABLE "im_activity" ADD CONSTRAINT "PK_24625a1d6b1b089c8ae206fe467" PRIMARY KEY ("id");
ALTER TABLE "im_assets_audit" ADD CONSTRAINT "PK_99bd5c015f81a641927a32b4212" PRIMARY KEY ("id");
ALTER TABLE "im_person" ADD CONSTRAINT "PK_5fdaf670315c4b7e70cce85daa3" PRIMARY KEY ("id");
ALTER TABLE "im_geodata_places" ADD CONSTRAINT "PK_c29918988912ef4036f3d7fbff4" PRIMARY KEY ("id");
ALTER TABLE "im_naturalearth_countries" ADD CONSTRAINT "PK_21a6d86d1ab5d841648212e5353" PRIMARY KEY ("id");
ALTER TABLE "im_users_audit" ADD CONSTRAINT "PK_e9b2bdfd90e7eb5961091175180" PRIMARY KEY ("id");
ALTER TABLE "im_assets" ADD CONSTRAINT "FK_2c5ac0d6fb58b238fd2068de67d" FOREIGN KEY ("ownerId") REFERENCES "im_users" ("id") ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE "im_assets" ADD CONSTRAINT "FK_16294b83fa8c0149719a1f631ef" FOREIGN KEY ("livePhotoVideoId") REFERENCES "im_assets" ("id") ON UPDATE CASCADE ON DELETE SET NULL;
ALTER TABLE "im_activity" ADD CONSTRAINT "FK_3571467bcbe021f66e2bdce96ea" FOREIGN KEY ("userId") REFERENCES "im_users" ("id") ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE "im_activity" ADD CONSTRAINT "FK_8091ea76b12338cb4428d33d782" FOREIGN KEY ("assetId") REFERENCES "im_assets" ("id") ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE "im_person" ADD CONSTRAINT "FK_5527cc99f530a547093f9e577b6" FOREIGN KEY ("ownerId") REFERENCES "im_users" ("id") ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE "im_users" ADD CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email");
ALTER TABLE "im_users" ADD CONSTRAINT "UQ_b309cf34fa58137c416b32cea3a" UNIQUE ("storageLabel");
ALTER TABLE "im_activity" ADD CONSTRAINT "CHK_2ab1e70f113f450eb40c1e3ec8" CHECK (("comment" IS NULL AND "isLiked" = true) OR ("comment" IS NOT NULL AND "isLiked" = false));
ALTER TABLE "im_person" ADD CONSTRAINT "CHK_b0f82b0ed662bfc24fbb58bb45" CHECK ("birthDate" <= CURRENT_DATE);
CREATE INDEX "IDX_users_updated_at_asc_id_asc" ON "im_users" ("updatedAt", "id");
CREATE INDEX "IDX_users_update_id" ON "im_users" ("updateId");
CREATE INDEX "idx_originalfilename_trigram" ON "im_assets" USING gin (f_unaccent("originalFileName") gin_trgm_ops);
CREATE INDEX "IDX_originalPath_libraryId" ON "im_assets" ("originalPath", "libraryId");
CREATE INDEX "idx_local_date_time_month" ON "im_assets" ((date_trunc('MONTH'::text, ("localDateTime" AT TIME ZONE 'UTC'::text)) AT TIME ZONE 'UTC'::text));
CREATE INDEX "idx_local_date_time" ON "im_assets" ((("localDateTime" at time zone 'UTC')::date));
CREATE UNIQUE INDEX "UQ_assets_owner_library_checksum" ON "im_assets" ("ownerId", "libraryId", "checksum") WHERE ("libraryId" IS NOT NULL);
CREATE UNIQUE INDEX "UQ_assets_owner_checksum" ON "im_assets" ("ownerId", "checksum") WHERE ("libraryId" IS NULL);
CREATE UNIQUE INDEX "IDX_activity_like" ON "im_activity" ("assetId", "userId", "albumId") WHERE ("isLiked" = true);
CREATE INDEX "IDX_assets_audit_deleted_at" ON "im_assets_audit" ("deletedAt");
CREATE INDEX "IDX_geodata_gist_earthcoord" ON "im_geodata_places" (ll_to_earth(latitude, longitude));
CREATE INDEX "idx_geodata_places_name" ON "im_geodata_places" USING gin (f_unaccent("name") gin_trgm_ops);
CREATE INDEX "idx_geodata_places_alternate_names" ON "im_geodata_places" USING gin (f_unaccent("alternateNames") gin_trgm_ops);
CREATE INDEX "IDX_users_audit_deleted_at" ON "im_users_audit" ("deletedAt");
CREATE OR REPLACE TRIGGER "users_delete_audit"
  AFTER DELETE ON "im_users"
  REFERENCING OLD TABLE AS "old"
  FOR EACH STATEMENT
  WHEN (pg_trigger_depth() = 0)
  EXECUTE FUNCTION users_delete_audit();
CREATE OR REPLACE TRIGGER "users_updated_at"
  BEFORE UPDATE ON "im_users"
  FOR EACH ROW
  EXECUTE FUNCTION updated_at();
CREATE OR REPLACE TRIGGER "assets_delete_audit"
  AFTER DELETE ON "im_assets"
  REFERENCING OLD TABLE AS "old"
  FOR EACH STATEMENT
  WHEN (pg_trigger_depth() = 0)
  EXECUTE FUNCTION assets_delete_audit();
CREATE OR REPLACE TRIGGER "assets_updated_at"
  BEFORE UPDATE ON "im_assets"
  FOR EACH ROW
  EXECUTE FUNCTION updated_at();
CREATE OR REPLACE TRIGGER "person_updated_at"
  BEFORE UPDATE ON "im_person"
  FOR EACH ROW
  EXECUTE FUNCTION updated_at();
