-- Pass corpus 184: Documenso's Prisma migrations (documenso/documenso packages/prisma/migrations,
-- the commits named per migration), in order on the tables they change (cut to the columns used;
-- the tables made first as Prisma's initial migration writes them):
-- 20230505091928_add_past_due_value (commit 13570c0278cae93cbca195c688c25a2398d5b224: `ALTER TYPE
-- "SubscriptionStatus" ADD VALUE 'PAST_DUE'` inside the migration's transaction, the value unused
-- there); 20230907075057_user_roles (4bbe2a79d8839e6eeff8a3b18441976507148ea3: an enum and a
-- `"Role"[] DEFAULT ARRAY['USER']::"Role"[]` column); 20230907074451_insert_old_data_into_document_data_table
-- (a840801bdeb27e8752a437158fd7675fa1bbe53f: `INSERT INTO ... (SELECT CAST(gen_random_uuid () AS
-- TEXT), ...)`, the SELECT in parentheses); 20230922143322_random_document_id
-- (40ba7bd2b4d19a6e4a7df154387e8afdeb1a118e: the SERIAL key made TEXT -- foreign keys dropped,
-- `ALTER TABLE "Document" DROP CONSTRAINT "Document_pkey", ALTER COLUMN "id" SET DEFAULT
-- gen_random_uuid(), ALTER COLUMN "id" DROP DEFAULT, ALTER COLUMN "id" SET DATA TYPE TEXT, ADD
-- CONSTRAINT "Document_pkey" PRIMARY KEY ("id")`, `DROP SEQUENCE "Document_id_seq"` by its bare
-- name, the referencing columns retyped and the keys remade ON DELETE CASCADE ON UPDATE CASCADE);
-- and 20240205120648_create_delete_account (3ccc7b19e89ef9ec98efac4921657fac9492e162: a DO block
-- that inserts the service user `IF NOT EXISTS (SELECT 1 FROM "public"."User" ...)`, with
-- `ARRAY['USER'::TEXT]::"public"."Role" []` and `CAST('GOOGLE'::TEXT AS "public"."IdentityProvider")`).
-- Re-homed as an operator adopting en-migrate would: Prisma's bare names kept under the file's own
-- `SET search_path TO expert_network` (Prisma's ?schema=), the tables and types prefixed ds_, and the
-- DO block's `"public".` made `"expert_network".` (Documenso qualifies its own schema; here that
-- schema is expert_network -- written as `"public"` it would insert into public's tables, which the
-- fence refuses, rightly).
-- PostgreSQL 15 applied it with psql; read back: pg_enum lists ACTIVE, CANCELED, PAST_DUE in that
-- order; information_schema.columns shows ds_Document.id as text keeping the default
-- gen_random_uuid() (the server runs that ALTER TABLE's DROP DEFAULT before its SET DEFAULT, whatever
-- their written order) and ds_Field/ds_Recipient.documentId as text; pg_class has no
-- ds_Document_id_seq; pg_constraint shows both keys remade with confupdtype and confdeltype 'c';
-- ds_DocumentData holds the document's bytes under a 36-character uuid id; the users' roles read
-- back {USER} (the existing row took the column's default) and the service user's identityProvider
-- GOOGLE; the same IF NOT EXISTS block run again inserted nothing.
SET search_path TO expert_network;

-- CreateEnum (the initial migration's)
CREATE TYPE "ds_IdentityProvider" AS ENUM ('DOCUMENSO', 'GOOGLE');
CREATE TYPE "ds_SubscriptionStatus" AS ENUM ('ACTIVE', 'CANCELED');

-- CreateTable
CREATE TABLE "ds_User" (
    "id" SERIAL NOT NULL,
    "name" TEXT,
    "email" TEXT NOT NULL,
    "emailVerified" TIMESTAMP(3),
    "password" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSignedIn" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "identityProvider" "ds_IdentityProvider" NOT NULL DEFAULT 'DOCUMENSO',
    "twoFactorEnabled" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "ds_User_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ds_User_email_key" ON "ds_User"("email");
CREATE TABLE "ds_Subscription" (
    "id" SERIAL NOT NULL,
    "status" "ds_SubscriptionStatus" NOT NULL DEFAULT 'ACTIVE',
    "userId" INTEGER NOT NULL,
    CONSTRAINT "ds_Subscription_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "ds_Document" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "document" TEXT,
    CONSTRAINT "ds_Document_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "ds_Recipient" (
    "id" SERIAL NOT NULL,
    "documentId" INTEGER NOT NULL,
    "email" VARCHAR(255) NOT NULL,
    CONSTRAINT "ds_Recipient_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "ds_Field" (
    "id" SERIAL NOT NULL,
    "documentId" INTEGER NOT NULL,
    "recipientId" INTEGER,
    CONSTRAINT "ds_Field_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "ds_DocumentData" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "initialData" TEXT NOT NULL,
    "documentId" INTEGER NOT NULL,
    CONSTRAINT "ds_DocumentData_pkey" PRIMARY KEY ("id")
);
ALTER TABLE "ds_Subscription" ADD CONSTRAINT "ds_Subscription_userId_fkey" FOREIGN KEY ("userId") REFERENCES "ds_User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ds_Document" ADD CONSTRAINT "ds_Document_userId_fkey" FOREIGN KEY ("userId") REFERENCES "ds_User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ds_Recipient" ADD CONSTRAINT "ds_Recipient_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "ds_Document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ds_Field" ADD CONSTRAINT "ds_Field_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "ds_Document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
INSERT INTO "ds_User" ("email") VALUES ('owner@example.com');
INSERT INTO "ds_Document" ("userId", "title", "document") VALUES (1, 'contract', 'JVBERi0xLjQK');

-- 20230505091928_add_past_due_value
-- AlterEnum
ALTER TYPE "ds_SubscriptionStatus" ADD VALUE 'PAST_DUE';

-- 20230907075057_user_roles
-- CreateEnum
CREATE TYPE "ds_Role" AS ENUM ('ADMIN', 'USER');

-- AlterTable
ALTER TABLE "ds_User" ADD COLUMN     "roles" "ds_Role"[] DEFAULT ARRAY['USER']::"ds_Role"[];

-- 20230907074451_insert_old_data_into_document_data_table
INSERT INTO
  "ds_DocumentData" ("id", "type", "data", "initialData", "documentId") (
    SELECT
      CAST(gen_random_uuid () AS TEXT),
      'BYTES_64',
      d."document",
      d."document",
      d."id"
    FROM
      "ds_Document" d
    WHERE
      d."id" IS NOT NULL
      AND d."document" IS NOT NULL
  );
ALTER TABLE "ds_DocumentData" DROP COLUMN "documentId";

-- 20230922143322_random_document_id
-- DropForeignKey
ALTER TABLE "ds_Field" DROP CONSTRAINT "ds_Field_documentId_fkey";

-- DropForeignKey
ALTER TABLE "ds_Recipient" DROP CONSTRAINT "ds_Recipient_documentId_fkey";

-- AlterTable
ALTER TABLE "ds_Document" DROP CONSTRAINT "ds_Document_pkey",
ALTER COLUMN "id" SET DEFAULT gen_random_uuid(),
ALTER COLUMN "id" DROP DEFAULT,
ALTER COLUMN "id" SET DATA TYPE TEXT,
ADD CONSTRAINT "ds_Document_pkey" PRIMARY KEY ("id");
DROP SEQUENCE "ds_Document_id_seq";

-- AlterTable
ALTER TABLE "ds_Field" ALTER COLUMN "documentId" SET DATA TYPE TEXT;

-- AlterTable
ALTER TABLE "ds_Recipient" ALTER COLUMN "documentId" SET DATA TYPE TEXT;

-- AddForeignKey
ALTER TABLE "ds_Recipient" ADD CONSTRAINT "ds_Recipient_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "ds_Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ds_Field" ADD CONSTRAINT "ds_Field_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "ds_Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 20240205120648_create_delete_account
-- Create deleted@documenso.com
DO $$
BEGIN  
  IF NOT EXISTS (SELECT 1 FROM "expert_network"."ds_User" WHERE "email" = 'deleted-account@documenso.com') THEN  
    INSERT INTO
      "expert_network"."ds_User" (
        "email",
        "emailVerified",
        "password",
        "createdAt",
        "updatedAt",
        "lastSignedIn",
        "roles",
        "identityProvider",
        "twoFactorEnabled"
      )
    VALUES
      (
        'deleted-account@documenso.com',
        NOW(),
        NULL,
        NOW(),
        NOW(),
        NOW(),
        ARRAY['USER'::TEXT]::"expert_network"."ds_Role" [],
        CAST('GOOGLE'::TEXT AS "expert_network"."ds_IdentityProvider"),
        FALSE
      );
  END IF;  
END $$
