-- Pass corpus 96: stack-auth's time-fold queue and the head of its worker function, as
-- stack-auth/stack-auth (commit 2f719903b181c20940159e9f3aaaa99bc3ec3b0f) writes them in
-- apps/backend/prisma/migrations/20260323150000_add_bulldozer_timefold_queue/migration.sql (the tables,
-- the singleton row, the indexes; the function cut before its EXECUTE of the reducer's SQL). Re-homed
-- into expert_network: the tables qualified (Prisma connects with ?schema=, its SQL names none), the
-- function's public made expert_network. The function has no search_path of its own, so its
-- unqualified `queued_row "BulldozerTimeFoldQueue"%ROWTYPE` is looked up under the caller's path, and
-- the fence rightly refused it, hinting `SET search_path = expert_network, pg_catalog, pg_temp`; that
-- option is given here, its body left as stack-auth wrote it.
-- With the hint followed the fence refused again: "bulldozertimefoldqueue%ROWTYPE names relation
-- bulldozertimefoldqueue without its schema, and no migration creates
-- expert_network.bulldozertimefoldqueue". libpg_query hands a %ROWTYPE's names over case-folded
-- already, quotes dropped, and the fence folded them again: under the function's path the server finds
-- expert_network."BulldozerTimeFoldQueue" (PG 15: called under a path of public alone, the function
-- compiled and emptied the queue; a DO block under the pinned path declared the row type, and its
-- unquoted `BulldozerTimeFoldQueue%ROWTYPE` failed: "relation bulldozertimefoldqueue does not exist").
CREATE TABLE expert_network."BulldozerTimeFoldQueue" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tableStoragePath" JSONB[] NOT NULL,
    "groupKey" JSONB NOT NULL,
    "rowIdentifier" TEXT NOT NULL,
    "scheduledAt" TIMESTAMPTZ NOT NULL,
    "stateAfter" JSONB NOT NULL,
    "rowData" JSONB NOT NULL,
    "reducerSql" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BulldozerTimeFoldQueue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE expert_network."BulldozerTimeFoldMetadata" (
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastProcessedAt" TIMESTAMPTZ NOT NULL,

    CONSTRAINT "BulldozerTimeFoldMetadata_pkey" PRIMARY KEY ("key")
);

-- Seed singleton metadata row.
INSERT INTO expert_network."BulldozerTimeFoldMetadata" ("key", "lastProcessedAt")
VALUES ('singleton', now())
ON CONFLICT ("key") DO NOTHING;

-- CreateIndex
CREATE UNIQUE INDEX "BulldozerTimeFoldQueue_table_group_row_key"
  ON expert_network."BulldozerTimeFoldQueue"("tableStoragePath", "groupKey", "rowIdentifier");

-- CreateIndex
CREATE INDEX "BulldozerTimeFoldQueue_scheduledAt_idx"
  ON expert_network."BulldozerTimeFoldQueue"("scheduledAt");

-- Worker function used by pg_cron and callable manually in tests.
CREATE OR REPLACE FUNCTION expert_network.bulldozer_timefold_process_queue()
RETURNS void
LANGUAGE plpgsql
SET search_path = expert_network, pg_catalog, pg_temp
AS $function$
DECLARE
  cutoff_timestamp timestamptz;
  queued_row "BulldozerTimeFoldQueue"%ROWTYPE;
  group_path jsonb[];
BEGIN
  PERFORM pg_advisory_xact_lock(7857391);

  INSERT INTO "BulldozerTimeFoldMetadata" ("key", "lastProcessedAt")
  VALUES ('singleton', now())
  ON CONFLICT ("key") DO NOTHING;

  cutoff_timestamp := now();

  UPDATE "BulldozerTimeFoldMetadata"
  SET
    "lastProcessedAt" = cutoff_timestamp,
    "updatedAt" = CURRENT_TIMESTAMP
  WHERE "key" = 'singleton';

  LOOP
    SELECT *
    INTO queued_row
    FROM "BulldozerTimeFoldQueue"
    WHERE "scheduledAt" <= cutoff_timestamp
    ORDER BY "scheduledAt" ASC, "id" ASC
    LIMIT 1
    FOR UPDATE SKIP LOCKED;

    EXIT WHEN NOT FOUND;

    DELETE FROM "BulldozerTimeFoldQueue"
    WHERE "id" = queued_row."id";

    group_path := queued_row."tableStoragePath" || ARRAY[to_jsonb('groups'::text), queued_row."groupKey"]::jsonb[];
  END LOOP;
END;
$function$;
