-- Pass corpus 79: a column DEFAULT calling the migrations' own function, on tables whose foreign keys
-- cascade, as immich-app/immich (commit 3b980b0ca79dd0ee0fb377b0e8cf0a816dc7c7dc) writes in
-- server/src/schema/migrations/1744910873969-InitialMigration.ts (Kysely's sql`...`: `CREATE OR
-- REPLACE FUNCTION immich_uuid_v7(p_timestamp timestamp with time zone default clock_timestamp())
-- RETURNS uuid VOLATILE LANGUAGE SQL AS $$ select encode(set_bit(set_bit(overlay(...)...)), 'hex')::uuid;
-- $$;`, `CREATE TABLE "libraries" (... "updateId" uuid NOT NULL DEFAULT immich_uuid_v7());`, `ALTER
-- TABLE "libraries" ADD CONSTRAINT "FK_..." FOREIGN KEY ("ownerId") REFERENCES "users" ("id") ON
-- UPDATE CASCADE ON DELETE CASCADE;`). Re-homed into expert_network: `SET search_path TO
-- expert_network` first (Kysely runs these under public), tables cut to the columns used, names
-- prefixed pp_im_, the rest as immich wrote it (its `CREATE OR REPLACE TRIGGER ... updated_at()` left
-- out: PostgreSQL 14 syntax, and a BEFORE UPDATE trigger there stays refused, refuse corpus 80). The
-- fence refused each key: "immich_uuid_v7() runs with the owner's rights when a foreign key's ON
-- DELETE or ON UPDATE action ... calls it". A foreign key's CASCADE or SET NULL runs no DEFAULT of
-- the referencing table (psql on PG 15: raguser's cascaded UPDATE and SET NULL ran no DEFAULT of the
-- child's); SET DEFAULT runs its key's, as the table's owner (PG 15), and stays refused, as does a
-- DEFAULT of a table a rule's INSERT writes, and every CHECK, generated column or index expression.
BEGIN;

SET search_path TO expert_network;

CREATE OR REPLACE FUNCTION pp_im_immich_uuid_v7(p_timestamp timestamp with time zone default clock_timestamp())
  RETURNS uuid
  VOLATILE LANGUAGE SQL
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

CREATE TABLE "pp_im_users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying NOT NULL, "createdAt" timestamp with time zone NOT NULL DEFAULT now(), "updatedAt" timestamp with time zone NOT NULL DEFAULT now(), "updateId" uuid NOT NULL DEFAULT pp_im_immich_uuid_v7());
CREATE TABLE "pp_im_libraries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying NOT NULL, "ownerId" uuid NOT NULL, "importPaths" text[] NOT NULL, "updatedAt" timestamp with time zone NOT NULL DEFAULT now(), "updateId" uuid NOT NULL DEFAULT pp_im_immich_uuid_v7());
CREATE TABLE "pp_im_assets" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "ownerId" uuid NOT NULL, "libraryId" uuid, "stackId" uuid, "updatedAt" timestamp with time zone NOT NULL DEFAULT now(), "updateId" uuid NOT NULL DEFAULT pp_im_immich_uuid_v7());
ALTER TABLE "pp_im_users" ADD CONSTRAINT "PK_pp_im_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id");
ALTER TABLE "pp_im_libraries" ADD CONSTRAINT "PK_pp_im_505fedfcad00a09b3734b4223de" PRIMARY KEY ("id");
ALTER TABLE "pp_im_assets" ADD CONSTRAINT "PK_pp_im_da96729a8b113377cfb6a62439c" PRIMARY KEY ("id");
ALTER TABLE "pp_im_libraries" ADD CONSTRAINT "FK_pp_im_0f6fc2fb195f24d19b0fb0d57c1" FOREIGN KEY ("ownerId") REFERENCES "pp_im_users" ("id") ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE "pp_im_assets" ADD CONSTRAINT "FK_pp_im_2c5ac0d6fb58b238fd2068de67d" FOREIGN KEY ("ownerId") REFERENCES "pp_im_users" ("id") ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE "pp_im_assets" ADD CONSTRAINT "FK_pp_im_9977c3c1de01c3d848039a6b90c" FOREIGN KEY ("libraryId") REFERENCES "pp_im_libraries" ("id") ON UPDATE CASCADE ON DELETE CASCADE;
CREATE INDEX "IDX_pp_im_2c5ac0d6fb58b238fd2068de67" ON "pp_im_assets" ("ownerId");

COMMIT;
