-- Pass corpus 19: `prisma migrate dev` output for a schema with `@@schema("expert_network")`:
-- every identifier quoted, camelCase columns, TIMESTAMP(3), enums, arrays, named constraints.

-- CreateEnum
CREATE TYPE "expert_network"."PpRole" AS ENUM ('USER', 'ADMIN');

-- CreateTable
CREATE TABLE "expert_network"."PpUser" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "role" "expert_network"."PpRole" NOT NULL DEFAULT 'USER',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PpUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "expert_network"."PpPost" (
    "id" TEXT NOT NULL,
    "title" VARCHAR(255) NOT NULL,
    "content" TEXT,
    "published" BOOLEAN NOT NULL DEFAULT false,
    "tags" TEXT[],
    "meta" JSONB,
    "score" DECIMAL(65,30),
    "authorId" INTEGER NOT NULL,

    CONSTRAINT "PpPost_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "expert_network"."_PpPostToPpUser" (
    "A" TEXT NOT NULL,
    "B" INTEGER NOT NULL,

    CONSTRAINT "_PpPostToPpUser_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE UNIQUE INDEX "PpUser_email_key" ON "expert_network"."PpUser"("email");

-- CreateIndex
CREATE INDEX "PpPost_authorId_published_idx" ON "expert_network"."PpPost"("authorId", "published");

-- CreateIndex
CREATE INDEX "_PpPostToPpUser_B_index" ON "expert_network"."_PpPostToPpUser"("B");

-- AddForeignKey
ALTER TABLE "expert_network"."PpPost" ADD CONSTRAINT "PpPost_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "expert_network"."PpUser"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "expert_network"."_PpPostToPpUser" ADD CONSTRAINT "_PpPostToPpUser_A_fkey" FOREIGN KEY ("A") REFERENCES "expert_network"."PpPost"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "expert_network"."_PpPostToPpUser" ADD CONSTRAINT "_PpPostToPpUser_B_fkey" FOREIGN KEY ("B") REFERENCES "expert_network"."PpUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterEnum
ALTER TYPE "expert_network"."PpRole" ADD VALUE 'EDITOR';

-- AlterTable
ALTER TABLE "expert_network"."PpUser" ADD COLUMN     "bio" TEXT,
ALTER COLUMN "name" SET DATA TYPE VARCHAR(100);
