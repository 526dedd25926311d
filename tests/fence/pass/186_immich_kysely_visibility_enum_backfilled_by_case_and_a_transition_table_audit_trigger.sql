-- Pass corpus 186: later Immich Kysely migrations on pass corpus 182's tables (immich-app/immich
-- server/src/schema/migrations): 1745902563899-AddAssetVisibilityColumn.ts (commit
-- 4952b9eb02012df66bcabdae7b89aab4a3b7b995: an enum, `ADD "visibility" asset_visibility_enum NOT
-- NULL DEFAULT 'timeline'`, an UPDATE by `CASE WHEN ... THEN 'archive'::asset_visibility_enum ...`
-- and the two boolean columns it replaces dropped); 1746844028242-AddLockedVisibilityEnum.ts
-- (1f4b19948e8526fd88d71f3220acf66713bed081: `ALTER TYPE ... ADD VALUE IF NOT EXISTS 'locked'`,
-- unused in its transaction); and 1750780093818-AddAlbumToAssetDeleteTrigger.ts
-- (aec6b6ef474388b548cce3e56a5d3f924593e7a1: the audit function inserting `SELECT ... FROM OLD WHERE
-- "albumsId" IN (SELECT "id" FROM albums WHERE "id" IN (SELECT "albumsId" FROM OLD))`, a TypeORM-named
-- key ON UPDATE CASCADE ON DELETE CASCADE, and `CREATE OR REPLACE TRIGGER ... AFTER DELETE ...
-- REFERENCING OLD TABLE AS "old" FOR EACH STATEMENT WHEN (pg_trigger_depth() <= 1)`), on the album
-- tables as InitialMigration and 1749828850775-AddAlbumAssetAuditTable make them (cut to the
-- columns used).
-- Re-homed as corpus 182: bare names under the file's own `SET search_path TO expert_network`, the
-- objects prefixed im_, the audit body's names qualified (a trigger body without its own path
-- resolves under the session's; the fence refuses the bare spelling, rightly).
-- PostgreSQL 15 applied it with psql after corpus 182; read back: pg_enum lists archive, timeline,
-- hidden, locked; the archived asset's visibility is 'archive', the hidden one's 'hidden', the
-- rest 'timeline'; isVisible and isArchived are gone; deleting one of an album's asset links wrote
-- one im_album_assets_audit row, and deleting the album cascaded to its remaining links (the
-- trigger, at pg_trigger_depth 1, found no album left and wrote nothing) and to its audit rows,
-- leaving both tables empty, as Immich intends.
SET search_path TO expert_network;

CREATE TABLE "im_albums" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "ownerId" uuid NOT NULL, "albumName" character varying NOT NULL DEFAULT 'Untitled Album', "updatedAt" timestamp with time zone NOT NULL DEFAULT now(), "updateId" uuid NOT NULL DEFAULT immich_uuid_v7());
CREATE TABLE "im_albums_assets_assets" ("albumsId" uuid NOT NULL, "assetsId" uuid NOT NULL, "createdAt" timestamp with time zone NOT NULL DEFAULT now());
CREATE TABLE "im_album_assets_audit" ("id" uuid NOT NULL DEFAULT immich_uuid_v7(), "albumId" uuid NOT NULL, "assetId" uuid NOT NULL, "deletedAt" timestamp with time zone NOT NULL DEFAULT clock_timestamp());
ALTER TABLE "im_albums" ADD CONSTRAINT "PK_7f71c7b5bc7c87b8f94c9a93a00" PRIMARY KEY ("id");
ALTER TABLE "im_albums_assets_assets" ADD CONSTRAINT "PK_c67bc36fa845fb7b18e0e398180" PRIMARY KEY ("albumsId", "assetsId");
ALTER TABLE "im_album_assets_audit" ADD CONSTRAINT "PK_32969b576ec8f78d84f37c2eb2d" PRIMARY KEY ("id");
ALTER TABLE "im_albums" ADD CONSTRAINT "FK_b22c53f35ef20c28c21637c85f4" FOREIGN KEY ("ownerId") REFERENCES "im_users" ("id") ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE "im_albums_assets_assets" ADD CONSTRAINT "FK_e590fa396c6898fcd4a50e40927" FOREIGN KEY ("albumsId") REFERENCES "im_albums" ("id") ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE "im_albums_assets_assets" ADD CONSTRAINT "FK_4bd1303d199f4e72ccdf998c621" FOREIGN KEY ("assetsId") REFERENCES "im_assets" ("id") ON UPDATE CASCADE ON DELETE CASCADE;
CREATE INDEX "IDX_album_assets_audit_album_id" ON "im_album_assets_audit" ("albumId");
CREATE INDEX "IDX_album_assets_audit_deleted_at" ON "im_album_assets_audit" ("deletedAt");
CREATE OR REPLACE TRIGGER "albums_updated_at"
  BEFORE UPDATE ON "im_albums"
  FOR EACH ROW
  EXECUTE FUNCTION updated_at();

-- 1745902563899-AddAssetVisibilityColumn
CREATE TYPE "im_asset_visibility_enum" AS ENUM ('archive','timeline','hidden');
ALTER TABLE "im_assets"
    ADD "visibility" im_asset_visibility_enum NOT NULL DEFAULT 'timeline';

    UPDATE "im_assets"
    SET "visibility" = CASE
                        WHEN "isArchived" THEN 'archive'::im_asset_visibility_enum
                        WHEN "isVisible" THEN 'timeline'::im_asset_visibility_enum
                        ELSE 'hidden'::im_asset_visibility_enum
                      END;

ALTER TABLE "im_assets" DROP COLUMN "isVisible";
ALTER TABLE "im_assets" DROP COLUMN "isArchived";

-- 1746844028242-AddLockedVisibilityEnum
ALTER TYPE "im_asset_visibility_enum" ADD VALUE IF NOT EXISTS 'locked';

-- 1750780093818-AddAlbumToAssetDeleteTrigger
CREATE OR REPLACE FUNCTION album_assets_delete_audit()
  RETURNS TRIGGER
  LANGUAGE PLPGSQL
  AS $$
    BEGIN
      INSERT INTO expert_network.im_album_assets_audit ("albumId", "assetId")
      SELECT "albumsId", "assetsId" FROM OLD
      WHERE "albumsId" IN (SELECT "id" FROM expert_network.im_albums WHERE "id" IN (SELECT "albumsId" FROM OLD));
      RETURN NULL;
    END
  $$;
ALTER TABLE "im_album_assets_audit" ADD CONSTRAINT "FK_8047b44b812619a3c75a2839b0d" FOREIGN KEY ("albumId") REFERENCES "im_albums" ("id") ON UPDATE CASCADE ON DELETE CASCADE;
CREATE OR REPLACE TRIGGER "album_assets_delete_audit"
  AFTER DELETE ON "im_albums_assets_assets"
  REFERENCING OLD TABLE AS "old"
  FOR EACH STATEMENT
  WHEN (pg_trigger_depth() <= 1)
  EXECUTE FUNCTION album_assets_delete_audit();
