-- Pass corpus 170: Lobe Chat's drizzle-kit migrations (lobehub/lobe-chat
-- packages/database/migrations): 0006_add_knowledge_base.sql (commit
-- 39652787be53e8aea65f73bd1d29c6d5fc41da43: `CREATE TABLE IF NOT EXISTS`, composite primary keys
-- named `<table>_<cols>_pk`, `ALTER TABLE "files_to_messages" RENAME TO "messages_files"`, `DROP
-- TABLE "files_to_agents"`, and each foreign key inside drizzle-kit 0.2x's `DO $$ BEGIN ALTER TABLE
-- ... ADD CONSTRAINT ... REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
-- EXCEPTION WHEN duplicate_object THEN null; END $$;`), 0032_improve_agents_field.sql (commit
-- aa348acdcb3616d934ea8aeeb030af4a3d69532b: a hand-written `UPDATE agents SET title = LEFT(title,
-- 255)` before `SET DATA TYPE varchar(255)`), 0047_add_slug_document.sql (commit
-- 468844426df5b76cdf1f03a9ad925a2f50befea0: a partial unique index made inside a DO block that
-- swallows duplicate_object) and 0111_workspace_device_and_ai_infra_surrogate_pk.sql (commit
-- 5e912a4dcdcba65461dcc4218a3c684c085ecf0e: a backfill with gen_random_uuid(), `DROP CONSTRAINT IF
-- EXISTS` of the old composite keys, the new primary key added only when `pg_constraint` holds none
-- for `'ai_providers'::regclass`, partial unique indexes `WHERE "workspace_id" IS NULL` / `IS NOT
-- NULL`, `ADD COLUMN IF NOT EXISTS`, `DROP INDEX IF EXISTS` of an unqualified index). Every
-- statement ends in drizzle's `--> statement-breakpoint` comment. Re-homed into expert_network as
-- an operator who runs drizzle's SQL through en-migrate would: the file's own `SET search_path`
-- first (drizzle's SQL names no schema but in its references), drizzle's `"public".` qualifier made
-- `"expert_network".`, the tables cut to the columns used and prefixed lc_; the earlier tables the
-- migrations alter (users, agents, files, documents, messages, ai_providers, ai_models, devices,
-- workspaces) made first. The fence passed it; psql on PostgreSQL 15 applied it, and pg_constraint
-- read back lc_ai_providers_pkey (contype p) on "_id" and the three foreign keys of
-- lc_agents_knowledge_bases, all in expert_network.
SET search_path TO expert_network;

CREATE TABLE IF NOT EXISTS "lc_users" (
	"id" text PRIMARY KEY NOT NULL,
	"username" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lc_users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "lc_agents" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text,
	"description" text,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "lc_files" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slug" varchar(100),
	"user_id" text NOT NULL,
	CONSTRAINT "lc_files_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "lc_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"content" text,
	"user_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "lc_files_to_messages" (
	"file_id" text NOT NULL,
	"message_id" text NOT NULL,
	CONSTRAINT "lc_files_to_messages_file_id_message_id_pk" PRIMARY KEY("file_id","message_id")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "lc_files_to_agents" (
	"file_id" text NOT NULL,
	"agent_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "lc_documents" (
	"id" varchar(255) PRIMARY KEY NOT NULL,
	"title" text,
	"source_type" text NOT NULL,
	"file_type" varchar(255) NOT NULL,
	"user_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "lc_workspaces" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "lc_devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"device_id" text NOT NULL,
	"workspace_id" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "lc_devices_user_id_device_id_unique" ON "lc_devices" USING btree ("user_id","device_id");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "lc_ai_providers" (
	"id" varchar(64) NOT NULL,
	"user_id" text NOT NULL,
	"workspace_id" text,
	"_id" uuid,
	"enabled" boolean,
	CONSTRAINT "lc_ai_providers_id_user_id_pk" PRIMARY KEY("id","user_id")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "lc_ai_models" (
	"id" varchar(150) NOT NULL,
	"provider_id" varchar(64) NOT NULL,
	"user_id" text NOT NULL,
	"workspace_id" text,
	"_id" uuid,
	CONSTRAINT "lc_ai_models_id_provider_id_user_id_pk" PRIMARY KEY("id","provider_id","user_id")
);
--> statement-breakpoint
INSERT INTO "lc_ai_providers" ("id", "user_id", "enabled") VALUES ('openai', 'u1', true);--> statement-breakpoint

-- 0006_add_knowledge_base.sql
CREATE TABLE IF NOT EXISTS "lc_agents_knowledge_bases" (
	"agent_id" text NOT NULL,
	"knowledge_base_id" text NOT NULL,
	"user_id" text NOT NULL,
	"enabled" boolean DEFAULT true,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lc_agents_knowledge_bases_agent_id_knowledge_base_id_pk" PRIMARY KEY("agent_id","knowledge_base_id")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "lc_async_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text,
	"status" text,
	"error" jsonb,
	"user_id" text NOT NULL,
	"duration" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "lc_knowledge_bases" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"type" text,
	"user_id" text NOT NULL,
	"is_public" boolean DEFAULT false,
	"settings" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "lc_message_query_chunks" (
	"id" text,
	"query_id" uuid,
	"chunk_id" uuid,
	"similarity" numeric(6, 5),
	CONSTRAINT "lc_message_query_chunks_chunk_id_id_query_id_pk" PRIMARY KEY("chunk_id","id","query_id")
);
--> statement-breakpoint
ALTER TABLE "lc_files_to_messages" RENAME TO "lc_messages_files";--> statement-breakpoint
DROP TABLE "lc_files_to_agents";--> statement-breakpoint
ALTER TABLE "lc_files" ADD COLUMN "file_hash" varchar(64);--> statement-breakpoint
ALTER TABLE "lc_files" ADD COLUMN "chunk_task_id" uuid;--> statement-breakpoint
DO $$ BEGIN
 ALTER TABLE "lc_agents_knowledge_bases" ADD CONSTRAINT "lc_agents_knowledge_bases_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "expert_network"."lc_agents"("id") ON DELETE cascade ON UPDATE no action;
EXCEPTION
 WHEN duplicate_object THEN null;
END $$;
--> statement-breakpoint
DO $$ BEGIN
 ALTER TABLE "lc_agents_knowledge_bases" ADD CONSTRAINT "lc_agents_kbs_knowledge_base_id_knowledge_bases_id_fk" FOREIGN KEY ("knowledge_base_id") REFERENCES "expert_network"."lc_knowledge_bases"("id") ON DELETE cascade ON UPDATE no action;
EXCEPTION
 WHEN duplicate_object THEN null;
END $$;
--> statement-breakpoint
DO $$ BEGIN
 ALTER TABLE "lc_agents_knowledge_bases" ADD CONSTRAINT "lc_agents_knowledge_bases_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "expert_network"."lc_users"("id") ON DELETE cascade ON UPDATE no action;
EXCEPTION
 WHEN duplicate_object THEN null;
END $$;
--> statement-breakpoint
DO $$ BEGIN
 ALTER TABLE "lc_files" ADD CONSTRAINT "lc_files_chunk_task_id_async_tasks_id_fk" FOREIGN KEY ("chunk_task_id") REFERENCES "expert_network"."lc_async_tasks"("id") ON DELETE set null ON UPDATE no action;
EXCEPTION
 WHEN duplicate_object THEN null;
END $$;
--> statement-breakpoint
DO $$ BEGIN
 ALTER TABLE "lc_messages_files" ADD CONSTRAINT "lc_messages_files_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "expert_network"."lc_messages"("id") ON DELETE cascade ON UPDATE no action;
EXCEPTION
 WHEN duplicate_object THEN null;
END $$;
--> statement-breakpoint

-- 0032_improve_agents_field.sql
-- Truncate titles longer than 255 characters to 255
UPDATE lc_agents
SET title = LEFT(title, 255)
WHERE LENGTH(title) > 255;--> statement-breakpoint
ALTER TABLE "lc_agents" ALTER COLUMN "title" SET DATA TYPE varchar(255);--> statement-breakpoint
ALTER TABLE "lc_agents" ALTER COLUMN "description" SET DATA TYPE varchar(1000);

-- 0047_add_slug_document.sql
ALTER TABLE "lc_documents" ADD COLUMN IF NOT EXISTS "slug" varchar(255);--> statement-breakpoint
DO $$ BEGIN
 CREATE UNIQUE INDEX IF NOT EXISTS "lc_documents_slug_user_id_unique" ON "lc_documents" ("slug","user_id") WHERE "slug" IS NOT NULL;
EXCEPTION
 WHEN duplicate_object THEN null;
END $$;
CREATE INDEX IF NOT EXISTS "lc_documents_query_idx" ON "lc_documents" USING btree ("user_id","source_type","file_type","updated_at");--> statement-breakpoint
ALTER TABLE "lc_files" DROP CONSTRAINT IF EXISTS "lc_files_slug_unique";--> statement-breakpoint
ALTER TABLE "lc_files" DROP COLUMN IF EXISTS "slug";

-- 0111_workspace_device_and_ai_infra_surrogate_pk.sql
-- 1) backfill rows still missing _id (no-op on prod; fills self-host history) --
UPDATE "lc_ai_providers" SET "_id" = gen_random_uuid() WHERE "_id" IS NULL;--> statement-breakpoint
UPDATE "lc_ai_models" SET "_id" = gen_random_uuid() WHERE "_id" IS NULL;--> statement-breakpoint

-- 2) enforce NOT NULL (no-op if already set) --
ALTER TABLE "lc_ai_providers" ALTER COLUMN "_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "lc_ai_models" ALTER COLUMN "_id" SET NOT NULL;--> statement-breakpoint

-- 3) drop old composite PKs (no-op on prod, already dropped in [7]) --
ALTER TABLE "lc_ai_providers" DROP CONSTRAINT IF EXISTS "lc_ai_providers_id_user_id_pk";--> statement-breakpoint
ALTER TABLE "lc_ai_models" DROP CONSTRAINT IF EXISTS "lc_ai_models_id_provider_id_user_id_pk";--> statement-breakpoint

-- 4) promote _id to PK only when the table has no PK yet
--    (Postgres has no `ADD PRIMARY KEY IF NOT EXISTS`; guard via pg_constraint) --
DO $$ BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_constraint WHERE conrelid = 'lc_ai_providers'::regclass AND contype = 'p'
  ) THEN
    ALTER TABLE "lc_ai_providers" ADD CONSTRAINT "lc_ai_providers_pkey" PRIMARY KEY ("_id");
  END IF;
END $$;--> statement-breakpoint
DO $$ BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_constraint WHERE conrelid = 'lc_ai_models'::regclass AND contype = 'p'
  ) THEN
    ALTER TABLE "lc_ai_models" ADD CONSTRAINT "lc_ai_models_pkey" PRIMARY KEY ("_id");
  END IF;
END $$;--> statement-breakpoint

-- 5) workspace-scoped partial unique indexes (no-op on prod, already built in [6]) --
CREATE UNIQUE INDEX IF NOT EXISTS "lc_ai_providers_id_user_id_unique" ON "lc_ai_providers" USING btree ("id","user_id") WHERE "workspace_id" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "lc_ai_providers_id_user_id_workspace_id_unique" ON "lc_ai_providers" USING btree ("id","user_id","workspace_id") WHERE "workspace_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "lc_ai_models_id_provider_id_user_id_unique" ON "lc_ai_models" USING btree ("id","provider_id","user_id") WHERE "workspace_id" IS NULL;--> statement-breakpoint

DROP INDEX IF EXISTS "lc_devices_user_id_device_id_unique";--> statement-breakpoint
ALTER TABLE "lc_workspaces" ADD COLUMN IF NOT EXISTS "frozen" boolean DEFAULT false;--> statement-breakpoint
ALTER TABLE "lc_workspaces" ADD COLUMN IF NOT EXISTS "frozen_reason" text;--> statement-breakpoint
ALTER TABLE "lc_workspaces" ADD COLUMN IF NOT EXISTS "frozen_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "lc_devices_workspace_id_device_id_unique" ON "lc_devices" USING btree ("workspace_id","device_id") WHERE "lc_devices"."workspace_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "lc_devices_user_id_device_id_unique" ON "lc_devices" USING btree ("user_id","device_id") WHERE "lc_devices"."workspace_id" IS NULL;
