-- Pass corpus 30: a later `prisma migrate dev` for a multiSchema datasource (`schemas = ["expert_network"]`):
-- the CREATE SCHEMA IF NOT EXISTS Prisma writes first, a second enum, an implicit many-to-many table with
-- its `_AB_unique` index, @updatedAt and @default(uuid()) columns, Timestamptz(3), a self-relation,
-- AddForeignKey with ON DELETE/UPDATE actions, an enum value added, a column retyped with USING.

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "expert_network";

-- CreateEnum
CREATE TYPE "expert_network"."PpCallStatus" AS ENUM ('SCHEDULED', 'DONE', 'CANCELLED');

-- AlterEnum
ALTER TYPE "expert_network"."PpRole" ADD VALUE 'EXPERT';

-- CreateTable
CREATE TABLE "expert_network"."PpCall" (
    "id" TEXT NOT NULL,
    "status" "expert_network"."PpCallStatus" NOT NULL DEFAULT 'SCHEDULED',
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "durationMin" INTEGER NOT NULL DEFAULT 60,
    "notes" TEXT,
    "hostId" INTEGER NOT NULL,
    "parentId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PpCall_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "expert_network"."PpTopic" (
    "id" SERIAL NOT NULL,
    "label" VARCHAR(80) NOT NULL,

    CONSTRAINT "PpTopic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "expert_network"."_PpCallToPpTopic" (
    "A" TEXT NOT NULL,
    "B" INTEGER NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "PpTopic_label_key" ON "expert_network"."PpTopic"("label");

-- CreateIndex
CREATE INDEX "PpCall_hostId_startsAt_idx" ON "expert_network"."PpCall"("hostId", "startsAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "_PpCallToPpTopic_AB_unique" ON "expert_network"."_PpCallToPpTopic"("A", "B");

-- CreateIndex
CREATE INDEX "_PpCallToPpTopic_B_index" ON "expert_network"."_PpCallToPpTopic"("B");

-- AddForeignKey
ALTER TABLE "expert_network"."PpCall" ADD CONSTRAINT "PpCall_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "expert_network"."PpUser"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "expert_network"."PpCall" ADD CONSTRAINT "PpCall_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "expert_network"."PpCall"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "expert_network"."_PpCallToPpTopic" ADD CONSTRAINT "_PpCallToPpTopic_A_fkey" FOREIGN KEY ("A") REFERENCES "expert_network"."PpCall"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "expert_network"."_PpCallToPpTopic" ADD CONSTRAINT "_PpCallToPpTopic_B_fkey" FOREIGN KEY ("B") REFERENCES "expert_network"."PpTopic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "expert_network"."PpCall" ALTER COLUMN "durationMin" SET DATA TYPE SMALLINT USING "durationMin"::smallint,
ADD COLUMN     "recordingUrl" TEXT;

-- RenameIndex
ALTER INDEX "expert_network"."PpCall_hostId_startsAt_idx" RENAME TO "PpCall_host_starts_idx";
