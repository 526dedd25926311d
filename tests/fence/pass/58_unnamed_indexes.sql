-- Pass corpus 58: indexes made without a name, as node-pg-migrate's documentation shows
-- `pgm.createIndex('table', ['col1', 'col2'])` becoming `CREATE INDEX ON "table" ("col1", "col2")`,
-- and a later migration that renames or drops them by the name PostgreSQL 15 gave them,
-- `<table>_<columns>_idx` (INCLUDE columns joined in, UNIQUE or not) in the table's schema: psql
-- showed pp_pm_events_account_id_created_at_idx and pp_pm_events_kind_id_payload_idx. Re-homed into
-- expert_network: the table qualified, names prefixed pp_pm_, the indexes made on it unqualified as
-- node-pg-migrate quotes them. The fence refused the ALTER INDEX and DROP INDEX ("relation
-- pp_pm_events_account_id_created_at_idx is not schema-qualified, and no migration creates
-- expert_network.pp_pm_events_account_id_created_at_idx"): only a named index was known to it.
CREATE TABLE expert_network."pp_pm_events" (
  "id" serial PRIMARY KEY,
  "account_id" integer NOT NULL,
  "kind" text NOT NULL,
  "payload" jsonb,
  "created_at" timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON "pp_pm_events" ("account_id", "created_at");
CREATE UNIQUE INDEX ON "pp_pm_events" ("kind", "id") INCLUDE ("payload");

ALTER INDEX "pp_pm_events_account_id_created_at_idx" RENAME TO "pp_pm_events_account_recent_idx";
DROP INDEX "pp_pm_events_kind_id_payload_idx";
