-- Pass corpus 92: Misskey's __chart__users chart table as TypeORM writes it, its span enum and the
-- two indexes the next migration drops, as misskey-dev/misskey packages/backend/migration/
-- 1615965918224-chart-v2.js (commit 2ec4ec9a7578d1e71238100935c9ea14e67b9dc2) makes them again in
-- its down() (`CREATE TYPE "public"."__chart__users_span_enum" AS ENUM('hour', 'day')`, `CREATE
-- INDEX "IDX_a770a57c70e668cc61590c9161" ON "__chart__users" ("date", "group", "span")`), each
-- queryRunner.query one statement. Re-homed into expert_network: TypeORM's "public" enum qualifier
-- made "expert_network", the table qualified, names prefixed pp_mk_. The fence passed it.
CREATE TYPE "expert_network"."__pp_mk_chart__users_span_enum" AS ENUM('hour', 'day');
CREATE TABLE expert_network."__pp_mk_chart__users" ("id" SERIAL NOT NULL, "date" integer NOT NULL, "group" character varying(128), "span" "expert_network"."__pp_mk_chart__users_span_enum" NOT NULL, "unique" jsonb NOT NULL DEFAULT '{}', "___local_total" bigint NOT NULL, CONSTRAINT "PK_pp_mk_chart_users" PRIMARY KEY ("id"));
CREATE INDEX "IDX_pp_mk_a770a57c70e668cc61590c9161" ON expert_network."__pp_mk_chart__users" ("date", "group", "span") ;
CREATE INDEX "IDX_pp_mk_f091abb24193d50c653c6b77fc" ON expert_network."__pp_mk_chart__users" ("date", "span") ;
