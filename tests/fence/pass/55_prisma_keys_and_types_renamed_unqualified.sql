-- Pass corpus 55: a Prisma model renamed in place, as formbricks/formbricks (commit
-- b66c1dd978af618a0e402bd3343b456bed68594c) writes in packages/database/migration/
-- 20260414000000_added_connector_model/migration.sql (every key named by Prisma: `CONSTRAINT
-- "Connector_pkey" PRIMARY KEY ("id")`) and 20260528120000_rename_connector_to_feedback_source/
-- migration.sql (`ALTER TYPE "ConnectorType" RENAME TO "FeedbackSourceType"`, `ALTER TABLE "Connector"
-- RENAME TO "FeedbackSource"`, `ALTER INDEX "Connector_pkey" RENAME TO "FeedbackSource_pkey"`, all
-- unqualified). Re-homed into expert_network: Prisma's "public". prefixes made expert_network. (names
-- prefixed PpFb), the rename migration as Formbricks wrote it; one table of three, and its
-- workspace column's foreign key left out (the Workspace table is not here). The fence refused the
-- renamed type's uses, the pkey's rename ("relation Connector_pkey is not schema-qualified, and no
-- migration creates expert_network.Connector_pkey") and the renames after: a named PRIMARY KEY or
-- UNIQUE constraint makes an index of its name in its table's schema, and an unqualified RENAME TO
-- renames what the path finds, expert_network's.

-- CreateEnum
CREATE TYPE expert_network."PpFbConnectorType" AS ENUM ('formbricks_survey', 'csv');

-- CreateEnum
CREATE TYPE expert_network."PpFbConnectorStatus" AS ENUM ('active', 'paused', 'error');

-- CreateTable
CREATE TABLE expert_network."PpFbConnector" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "name" TEXT NOT NULL,
    "type" expert_network."PpFbConnectorType" NOT NULL,
    "status" expert_network."PpFbConnectorStatus" NOT NULL DEFAULT 'active',
    "workspaceId" TEXT NOT NULL,
    "last_sync_at" TIMESTAMP(3),
    "created_by" TEXT,
    CONSTRAINT "PpFbConnector_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "PpFbConnector_id_workspaceId_key" ON expert_network."PpFbConnector"("id", "workspaceId");
CREATE UNIQUE INDEX "PpFbConnector_workspaceId_name_key" ON expert_network."PpFbConnector"("workspaceId", "name");
CREATE INDEX "PpFbConnector_type_idx" ON expert_network."PpFbConnector"("type");

-- Rename enums
ALTER TYPE "PpFbConnectorType" RENAME TO "PpFbFeedbackSourceType";
ALTER TYPE "PpFbConnectorStatus" RENAME TO "PpFbFeedbackSourceStatus";

-- Rename tables
ALTER TABLE "PpFbConnector" RENAME TO "PpFbFeedbackSource";

-- Rename the primary-key constraint on each renamed table
ALTER INDEX "PpFbConnector_pkey" RENAME TO "PpFbFeedbackSource_pkey";

-- Rename indexes on the FeedbackSource table
ALTER INDEX "PpFbConnector_id_workspaceId_key" RENAME TO "PpFbFeedbackSource_id_workspaceId_key";
ALTER INDEX "PpFbConnector_workspaceId_name_key" RENAME TO "PpFbFeedbackSource_workspaceId_name_key";
ALTER INDEX "PpFbConnector_type_idx" RENAME TO "PpFbFeedbackSource_type_idx";

-- Not Formbricks': a use of the renamed table and type, both expert_network's after.
ALTER TABLE "PpFbFeedbackSource" ALTER COLUMN "status" SET DEFAULT 'paused'::"PpFbFeedbackSourceStatus";
