-- Pass corpus 65: an index made without a name on an expression, dropped later by the name the
-- server gave it, as rust-lang/crates.io (commit 57fa000662f511321daa61e6769f190ea0e80771) writes in
-- migrations/20170305095748_create_reserved_crate_names/up.sql (`CREATE UNIQUE INDEX ON
-- reserved_crate_names (canon_crate_name(name));`, canon_crate_name made by
-- 20150319224700_dumped_migration_93) and 2018-04-27-194025_remove_unused_indexes/up.sql (`DROP
-- INDEX reserved_crate_names_canon_crate_name_idx;`). PostgreSQL names an expression's column as
-- FigureIndexColname does: a call by its function's name, a column by its own, a cast by its type
-- unless what it casts has a name, an operator `expr` (PG 15 made
-- pp_cr_reserved_crate_names_pp_cr_canon_crate_name_idx, pp_cr_crate_names_lower_idx,
-- pp_cr_crate_names_expr_idx and pp_cr_crate_names_created_at_idx). The fence refused the drop ("relation
-- reserved_crate_names_canon_crate_name_idx is not schema-qualified, and no migration creates
-- expert_network.reserved_crate_names_canon_crate_name_idx"): an unnamed index on an expression
-- was left unnamed in the model (corpus 58). Re-homed into expert_network: the CREATE statements
-- qualified, names prefixed pp_cr_, the reserved names cut to a few; the other indexes are the
-- shapes crates.io's and other projects' unnamed expression indexes take (lower(), a sum, a cast).
CREATE FUNCTION expert_network.pp_cr_canon_crate_name(text) RETURNS text AS $$
                    SELECT replace(lower($1), '-', '_')
                $$ LANGUAGE SQL
            ;

CREATE TABLE expert_network.pp_cr_reserved_crate_names (
    name TEXT PRIMARY KEY
);
CREATE UNIQUE INDEX ON pp_cr_reserved_crate_names (pp_cr_canon_crate_name(name));
INSERT INTO pp_cr_reserved_crate_names (name) VALUES
    ('alloc'), ('arena'), ('ast'), ('builtins'), ('collections');

CREATE TABLE expert_network.pp_cr_crate_names (
    id serial PRIMARY KEY,
    name text NOT NULL,
    downloads int NOT NULL DEFAULT 0,
    recent_downloads int NOT NULL DEFAULT 0,
    created_at timestamp NOT NULL DEFAULT now()
);
CREATE INDEX ON pp_cr_crate_names (lower(name));
CREATE INDEX ON pp_cr_crate_names ((downloads + recent_downloads));
CREATE INDEX ON pp_cr_crate_names ((created_at::date));

DROP INDEX pp_cr_reserved_crate_names_pp_cr_canon_crate_name_idx;
ALTER INDEX pp_cr_crate_names_lower_idx RENAME TO pp_cr_index_crate_names_lower;
DROP INDEX pp_cr_crate_names_expr_idx;
COMMENT ON INDEX pp_cr_crate_names_created_at_idx IS 'by day';
