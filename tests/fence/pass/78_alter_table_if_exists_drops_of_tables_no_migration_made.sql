-- Pass corpus 78: ALTER TABLE IF EXISTS ... DROP CONSTRAINT IF EXISTS of tables no migration of this
-- history makes (its v1 did, on the databases being upgraded), as medusajs/medusa (commit
-- 59e6747800133e091d20c2c167f600981abc5c0d) writes in
-- packages/modules/tax/src/migrations/Migration20240227090331.ts (MikroORM's `this.addSql('ALTER
-- TABLE IF EXISTS "product_tax_rate" DROP CONSTRAINT IF EXISTS "FK_346e0016cf045b9980747747645";')`,
-- and the same for "product_type_tax_rate" and "shipping_tax_rate"), after creating its tax tables.
-- Re-homed into expert_network: `SET search_path TO expert_network` first (MikroORM runs under public),
-- the module's table cut to its key, names prefixed pp_md_, the rest as medusa wrote it. The fence
-- refused each ALTER: "relation product_tax_rate is not schema-qualified, and no migration creates
-- expert_network.product_tax_rate". As for `DROP ... IF EXISTS` of such a name (RULES.md), the path (expert_network, pg_catalog, pg_temp, or the file's own of expert_network)
-- finds a relation not named pg_* only in expert_network or the session's pg_temp, and what the
-- statement drops (a constraint, a column, a DEFAULT, NOT NULL) runs nothing (psql on PG 15, under the
-- pinned path and under `SET search_path TO expert_network`: "relation product_tax_rate does not
-- exist, skipping" while public.product_tax_rate kept its constraint and columns; with
-- expert_network.product_tax_rate made, its constraint was dropped). Anything else such an ALTER
-- does (ADD, SET DEFAULT, OWNER TO, ENABLE TRIGGER) stays refused, as does the statement without IF
-- EXISTS or inside a function body.
SET search_path TO expert_network;
CREATE TABLE IF NOT EXISTS "pp_md_tax_provider" ("id" text not null, "is_enabled" boolean not null default true, CONSTRAINT "pp_md_tax_provider_pkey" PRIMARY KEY ("id"));
ALTER TABLE IF EXISTS "pp_md_product_tax_rate" DROP CONSTRAINT IF EXISTS "FK_346e0016cf045b9980747747645";
ALTER TABLE IF EXISTS "pp_md_product_type_tax_rate" DROP CONSTRAINT IF EXISTS "FK_ece65a774192b34253abc4cd672";
ALTER TABLE IF EXISTS "pp_md_shipping_tax_rate" DROP CONSTRAINT IF EXISTS "FK_346e0016cf045b9980747747645";
