-- Pass corpus 93: Misskey's chart-v2 migration (misskey-dev/misskey packages/backend/migration/1615965918224-chart-v2.js,
-- commit 2ec4ec9a7578d1e71238100935c9ea14e67b9dc2), cut to corpus 92's table: the day rows deleted,
-- the indexes dropped by their unqualified names (`DROP INDEX "IDX_..."`, as Misskey writes them: the
-- migrations made them in expert_network), the span column and its enum type dropped, the unique
-- column dropped, a unique index made. Re-homed into expert_network: TypeORM's "public" type
-- qualifier made "expert_network", the table qualified, names prefixed pp_mk_. The fence passed it.
DELETE FROM expert_network."__pp_mk_chart__users" WHERE "span" = 'day';
DROP INDEX "IDX_pp_mk_a770a57c70e668cc61590c9161";
DROP INDEX "IDX_pp_mk_f091abb24193d50c653c6b77fc";
ALTER TABLE expert_network."__pp_mk_chart__users" DROP COLUMN "span";
DROP TYPE "expert_network"."__pp_mk_chart__users_span_enum";
ALTER TABLE expert_network."__pp_mk_chart__users" DROP COLUMN "unique";
CREATE UNIQUE INDEX "IDX_pp_mk_845254b3eaf708ae8a6cac3026" ON expert_network."__pp_mk_chart__users" ("date", "group") ;
