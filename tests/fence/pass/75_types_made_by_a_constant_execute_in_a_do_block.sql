-- Pass corpus 75: a type made by a DO block's constant EXECUTE under IF NOT EXISTS, then named by a
-- column, as linkwarden/linkwarden (commit 7550ebb8907e0cd22e8b3e0785bf3da03ab96e3a) writes in
-- packages/prisma/migrations/20250627210016_add_theme/migration.sql (`DO $$ BEGIN IF NOT EXISTS (SELECT 1
-- FROM pg_type t JOIN pg_namespace n ... WHERE t.typname = 'Theme' AND n.nspname = current_schema())
-- THEN EXECUTE 'CREATE TYPE "Theme" AS ENUM (''dark'', ''light'', ''auto'')'; END IF; END $$;` then
-- `ALTER TABLE "User" ADD COLUMN IF NOT EXISTS "theme" "Theme" ...`). Re-homed into expert_network: the
-- table of 20230719181459_init qualified and cut to its key, the type named in the EXECUTEd string
-- qualified (as the fence asks of every created name), names prefixed PpLw; the rest as linkwarden
-- wrote it. The fence walks a constant EXECUTE string like the statement it holds, but did not know
-- the type it makes, and refused the column ("type Theme is not schema-qualified, and it is neither
-- a built-in type nor one the migrations create in expert_network"). Applied with psql on PG 15: the
-- enum and the column's type are expert_network's.
CREATE TABLE expert_network."PpLwUser" (
    "id" SERIAL NOT NULL,

    CONSTRAINT "PpLwUser_pkey" PRIMARY KEY ("id")
);

DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1
      FROM pg_type t
      JOIN pg_namespace n ON t.typnamespace = n.oid
     WHERE t.typname = 'PpLwTheme'
       AND n.nspname = current_schema()
  ) THEN
    EXECUTE
      'CREATE TYPE expert_network."PpLwTheme" AS ENUM (''dark'', ''light'', ''auto'')';
  END IF;
END
$$;

ALTER TABLE "PpLwUser"
  ADD COLUMN IF NOT EXISTS "theme" "PpLwTheme" NOT NULL DEFAULT 'dark';
