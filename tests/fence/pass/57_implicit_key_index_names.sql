-- Pass corpus 57: a table renamed with the indexes its unnamed keys made, as Debian/debsources
-- (commit c0fdc59ef615d01c67c143411167f5a2b663c0ca) writes in python/migrate/006-to-007.sql
-- (`ALTER TABLE packages RENAME TO package_names ; ALTER INDEX packages_pkey RENAME TO
-- package_names_pkey ; ALTER SEQUENCE packages_id_seq RENAME TO package_names_id_seq ;`, `ALTER
-- INDEX metrics_sourceversion_id_metric_key RENAME TO metrics_version_id_metric_key ;`, all
-- unqualified) and as Rails' rename_table runs it (`ALTER INDEX "widgets_pkey" RENAME TO
-- "gadgets_pkey"`). The tables, written the way diesel, sqlx, goose and Vaultwarden write theirs
-- (`id SERIAL PRIMARY KEY`, `name ... UNIQUE`, `UNIQUE (a, b)`), name no key: PostgreSQL 15 names
-- the index of each `<table>_pkey` and `<table>_<columns>_key` in the table's schema (psql showed
-- pp_ds_packages_pkey, pp_ds_packages_name_key, pp_ds_metrics_sourceversion_id_metric_key). Re-homed
-- into expert_network: the CREATE TABLE statements qualified, names prefixed pp_ds_ / pp_rl_, the
-- renames as debsources and Rails wrote them. The fence refused every ALTER INDEX ("relation
-- pp_ds_packages_pkey is not schema-qualified, and no migration creates
-- expert_network.pp_ds_packages_pkey"): only a named constraint made an index the model knew.
CREATE TABLE expert_network.pp_ds_packages (
  id SERIAL PRIMARY KEY,
  name VARCHAR NOT NULL UNIQUE
);
CREATE TABLE expert_network.pp_ds_metrics (
  id SERIAL PRIMARY KEY,
  sourceversion_id INTEGER NOT NULL REFERENCES expert_network.pp_ds_packages (id),
  metric VARCHAR NOT NULL,
  value INTEGER,
  UNIQUE (sourceversion_id, metric)
);

ALTER TABLE pp_ds_metrics
  RENAME COLUMN sourceversion_id TO version_id ;
ALTER INDEX pp_ds_metrics_sourceversion_id_metric_key
  RENAME TO pp_ds_metrics_version_id_metric_key ;

ALTER TABLE pp_ds_packages RENAME TO pp_ds_package_names ;
ALTER INDEX pp_ds_packages_pkey
  RENAME TO pp_ds_package_names_pkey ;
ALTER INDEX pp_ds_packages_name_key
  RENAME TO pp_ds_package_names_name_key ;
ALTER SEQUENCE pp_ds_packages_id_seq
  RENAME TO pp_ds_package_names_id_seq ;

-- Rails: create_table, a unique column added later, then rename_table.
CREATE TABLE expert_network."pp_rl_widgets" ("id" bigserial primary key, "name" character varying);
ALTER TABLE "pp_rl_widgets" ADD COLUMN "sku" character varying UNIQUE;
ALTER TABLE "pp_rl_widgets" RENAME TO "pp_rl_gadgets";
ALTER INDEX "pp_rl_widgets_pkey" RENAME TO "pp_rl_gadgets_pkey";
ALTER TABLE "expert_network"."pp_rl_widgets_id_seq" RENAME TO "pp_rl_gadgets_id_seq";
ALTER INDEX "pp_rl_widgets_sku_key" RENAME TO "index_pp_rl_gadgets_on_sku";
