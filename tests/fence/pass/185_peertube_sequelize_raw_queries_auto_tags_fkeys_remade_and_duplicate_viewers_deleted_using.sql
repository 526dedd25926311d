-- Pass corpus 185: PeerTube's Sequelize migrations (Chocobozzz/PeerTube
-- server/core/initializers/migrations), the strings they pass to `utils.sequelize.query` and the SQL
-- Sequelize's queryInterface emits for their addColumn/changeColumn/removeColumn calls, in order:
-- 0755-unique-viewer-url.ts (commit 5a3d0650c90066c31ffd3c67b69781aa5f52f5fe: `DELETE FROM
-- "localVideoViewer" t1 USING (SELECT MIN(id) as id, "url" FROM ... GROUP BY "url" HAVING COUNT(*) >
-- 1) t2 WHERE ...`); 0840-auto-tags.ts (29329d6c459f69ce9168f20cfb84c020e41c6e7a: `CREATE TABLE IF
-- NOT EXISTS` with column REFERENCES ... ON DELETE CASCADE ON UPDATE CASCADE, composite primary keys,
-- a varchar(255)[] column, then the commentsPolicy column added with a default, backfilled by an
-- UPDATE, its default dropped, and commentsEnabled removed); 1100-video-infohash.ts
-- (6ae80bfb3237908d39860d085220cdabffb9c2eb: a BYTEA table whose keys cascade);
-- 1125-video-comment-replies-index.ts (same commit: `DROP INDEX IF EXISTS` by bare name); and
-- 1130-user-notification-fkeys.ts (ae319486d23dcb42386b77557f746089be11126b: DELETEs by type, then
-- `ALTER TABLE ... DROP CONSTRAINT "..._fkey", ADD CONSTRAINT "..._fkey" FOREIGN KEY ... ON DELETE
-- CASCADE ON UPDATE CASCADE` in one statement, one renamed as it is remade). The tables they read are
-- made first as PeerTube's models create them (cut to the columns used).
-- Re-homed as an operator adopting en-migrate would: PeerTube's bare names kept under the file's own
-- `SET search_path TO expert_network`, the tables prefixed pt_; Sequelize's addColumn and
-- removeColumn write `ALTER TABLE "public"."video" ...`, qualified with the dialect's default schema,
-- which here is expert_network (written "public" it alters public's tables, which the fence refuses,
-- rightly).
-- PostgreSQL 15 applied it with psql; read back: pt_localVideoViewer kept one row per url (the
-- lowest id), pt_video's commentsPolicy is 2 for the video whose comments were disabled and has no
-- default, commentsEnabled is gone, pg_constraint lists pt_userNotification's keys pluginId_fkey,
-- applicationId_fkey and abuseId_fkey with confdeltype 'c' (videoAbuseId_fkey gone), and the rows
-- of types 17 and 18 without their plugin or application were deleted.
SET search_path TO expert_network;

-- The tables as PeerTube's models make them.
CREATE TABLE IF NOT EXISTS "pt_account" ("id" SERIAL, "name" VARCHAR(255) NOT NULL, PRIMARY KEY ("id"));
CREATE TABLE IF NOT EXISTS "pt_video" ("id" SERIAL, "name" VARCHAR(255) NOT NULL, "commentsEnabled" BOOLEAN NOT NULL DEFAULT true, PRIMARY KEY ("id"));
CREATE TABLE IF NOT EXISTS "pt_videoComment" ("id" SERIAL, "videoId" INTEGER NOT NULL REFERENCES "pt_video" ("id") ON DELETE CASCADE ON UPDATE CASCADE, "inReplyToCommentId" INTEGER, PRIMARY KEY ("id"));
CREATE INDEX "pt_video_comment_in_reply_to_comment_id" ON "pt_videoComment" ("inReplyToCommentId");
CREATE TABLE IF NOT EXISTS "pt_videoFile" ("id" SERIAL, "videoId" INTEGER REFERENCES "pt_video" ("id") ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY ("id"));
CREATE TABLE IF NOT EXISTS "pt_videoStreamingPlaylist" ("id" SERIAL, "videoId" INTEGER REFERENCES "pt_video" ("id") ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY ("id"));
CREATE TABLE IF NOT EXISTS "pt_localVideoViewer" ("id" SERIAL, "url" VARCHAR(255) NOT NULL, "videoId" INTEGER REFERENCES "pt_video" ("id") ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY ("id"));
CREATE TABLE IF NOT EXISTS "pt_plugin" ("id" SERIAL, "name" VARCHAR(255) NOT NULL, PRIMARY KEY ("id"));
CREATE TABLE IF NOT EXISTS "pt_application" ("id" SERIAL, "migrationVersion" INTEGER, PRIMARY KEY ("id"));
CREATE TABLE IF NOT EXISTS "pt_abuse" ("id" SERIAL, "reason" VARCHAR(3000) NOT NULL, PRIMARY KEY ("id"));
CREATE TABLE IF NOT EXISTS "pt_userNotification" ("id" SERIAL, "type" INTEGER NOT NULL, "pluginId" INTEGER, "applicationId" INTEGER, "abuseId" INTEGER, PRIMARY KEY ("id"));
ALTER TABLE "pt_userNotification" ADD CONSTRAINT "pt_userNotification_pluginId_fkey" FOREIGN KEY ("pluginId") REFERENCES "pt_plugin" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "pt_userNotification" ADD CONSTRAINT "pt_userNotification_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "pt_application" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "pt_userNotification" ADD CONSTRAINT "pt_userNotification_videoAbuseId_fkey" FOREIGN KEY ("abuseId") REFERENCES "pt_abuse" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
INSERT INTO "pt_video" ("name", "commentsEnabled") VALUES ('open', true), ('closed', false);
INSERT INTO "pt_localVideoViewer" ("url", "videoId") VALUES ('https://pt.example/v/1', 1), ('https://pt.example/v/1', 1), ('https://pt.example/v/2', 2);
INSERT INTO "pt_userNotification" ("type") VALUES (17), (18), (1);

-- 0755-unique-viewer-url
DELETE FROM "pt_localVideoViewer" t1 USING (SELECT MIN(id) as id, "url" FROM "pt_localVideoViewer" GROUP BY "url" HAVING COUNT(*) > 1) t2 WHERE t1."url" = t2."url" AND t1.id <> t2.id;

-- 0840-auto-tags
CREATE TABLE IF NOT EXISTS "pt_automaticTag" ("id"   SERIAL , "name" VARCHAR(255) NOT NULL, PRIMARY KEY ("id"));

CREATE TABLE IF NOT EXISTS "pt_videoAutomaticTag"(
  "videoId" integer REFERENCES "pt_video"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "automaticTagId" integer NOT NULL REFERENCES "pt_automaticTag"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "accountId" integer REFERENCES "pt_account"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "createdAt" timestamp with time zone NOT NULL,
  "updatedAt" timestamp with time zone NOT NULL,
  PRIMARY KEY ("videoId", "automaticTagId", "accountId")
);

CREATE TABLE IF NOT EXISTS "pt_commentAutomaticTag"(
  "commentId" integer REFERENCES "pt_videoComment"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "automaticTagId" integer NOT NULL REFERENCES "pt_automaticTag"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "accountId" integer REFERENCES "pt_account"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "createdAt" timestamp with time zone NOT NULL,
  "updatedAt" timestamp with time zone NOT NULL,
  PRIMARY KEY ("commentId", "automaticTagId", "accountId")
);

CREATE TABLE IF NOT EXISTS "pt_watchedWordsList"(
  "id" serial,
  "listName" varchar(255) NOT NULL,
  "words" varchar(255)[] NOT NULL,
  "accountId" integer NOT NULL REFERENCES "pt_account"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "createdAt" timestamp with time zone NOT NULL,
  "updatedAt" timestamp with time zone NOT NULL,
  PRIMARY KEY ("id")
);

CREATE TABLE IF NOT EXISTS "pt_accountAutomaticTagPolicy"(
  "id" serial,
  "policy" integer,
  "accountId" integer NOT NULL REFERENCES "pt_account"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "automaticTagId" integer NOT NULL REFERENCES "pt_automaticTag"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "createdAt" timestamp with time zone NOT NULL,
  "updatedAt" timestamp with time zone NOT NULL,
  PRIMARY KEY ("id")
);

ALTER TABLE "expert_network"."pt_video" ADD COLUMN "commentsPolicy" INTEGER NOT NULL DEFAULT 1;
UPDATE "pt_video" SET "commentsPolicy" = 2 WHERE "commentsEnabled" IS FALSE;
ALTER TABLE "pt_video" ALTER COLUMN "commentsPolicy" SET NOT NULL;ALTER TABLE "pt_video" ALTER COLUMN "commentsPolicy" DROP DEFAULT;ALTER TABLE "pt_video" ALTER COLUMN "commentsPolicy" TYPE INTEGER;
ALTER TABLE "expert_network"."pt_video" DROP COLUMN "commentsEnabled";
ALTER TABLE "expert_network"."pt_videoComment" ADD COLUMN "heldForReview" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "pt_videoComment" ALTER COLUMN "heldForReview" SET NOT NULL;ALTER TABLE "pt_videoComment" ALTER COLUMN "heldForReview" DROP DEFAULT;ALTER TABLE "pt_videoComment" ALTER COLUMN "heldForReview" TYPE BOOLEAN;

-- 1100-video-infohash
CREATE TABLE IF NOT EXISTS "pt_videoInfohash" (
  "id" SERIAL,
  "infohash" BYTEA NOT NULL,
  "videoStreamingPlaylistId" INTEGER REFERENCES "pt_videoStreamingPlaylist" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "videoFileId" INTEGER REFERENCES "pt_videoFile" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  PRIMARY KEY ("id")
);

-- 1125-video-comment-replies-index
DROP INDEX IF EXISTS "pt_video_comment_in_reply_to_comment_id";

-- 1130-user-notification-fkeys
DELETE FROM "pt_userNotification" WHERE type IN (17) AND "pluginId" IS NULL;
DELETE FROM "pt_userNotification" WHERE type IN (18) AND "applicationId" IS NULL;
ALTER TABLE "pt_userNotification" DROP CONSTRAINT "pt_userNotification_pluginId_fkey", ADD CONSTRAINT "pt_userNotification_pluginId_fkey" FOREIGN KEY ("pluginId") REFERENCES "pt_plugin" ("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "pt_userNotification" DROP CONSTRAINT "pt_userNotification_applicationId_fkey", ADD CONSTRAINT "pt_userNotification_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "pt_application" ("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "pt_userNotification" DROP CONSTRAINT "pt_userNotification_videoAbuseId_fkey", ADD CONSTRAINT "pt_userNotification_abuseId_fkey" FOREIGN KEY ("abuseId") REFERENCES "pt_abuse" ("id") ON DELETE CASCADE ON UPDATE CASCADE;
