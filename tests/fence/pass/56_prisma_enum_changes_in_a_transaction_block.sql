-- Pass corpus 56: `prisma migrate dev` output (with `@@schema("expert_network")`) for a schema whose
-- enum gains a value and loses another (ADMIN, which no row holds). Prisma runs a migration file without a transaction of its own
-- and writes this change as a `BEGIN;` ... `COMMIT;` block in the middle of the file, between
-- statements that run on their own (its "AlterEnum" step; real3 found it in Formbricks'
-- packages/database/migrations, among others). The fence refused the block's BEGIN and COMMIT as
-- transaction control, as only a wrapper around the whole file (Django's) was accepted. en-migrate
-- now drops every plain BEGIN ... COMMIT pair of a transactional file, so the block runs in the
-- migration's own transaction with the rest of the file: all of it commits, or none of it.

-- AlterEnum
ALTER TYPE "expert_network"."PpRole" ADD VALUE 'REVIEWER';

-- AlterEnum
BEGIN;
CREATE TYPE "expert_network"."PpRole_new" AS ENUM ('USER', 'EXPERT', 'REVIEWER');
ALTER TABLE "expert_network"."PpUser" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "expert_network"."PpUser" ALTER COLUMN "role" TYPE "expert_network"."PpRole_new" USING ("role"::text::"expert_network"."PpRole_new");
ALTER TYPE "expert_network"."PpRole" RENAME TO "PpRole_old";
ALTER TYPE "expert_network"."PpRole_new" RENAME TO "PpRole";
DROP TYPE "expert_network"."PpRole_old";
ALTER TABLE "expert_network"."PpUser" ALTER COLUMN "role" SET DEFAULT 'USER';
COMMIT;

-- AlterTable
ALTER TABLE "expert_network"."PpUser" ADD COLUMN "expertSince" TIMESTAMP(3);
