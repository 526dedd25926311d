-- Pass corpus 66: indexes made on production by hand, renamed with IF EXISTS and then made for every
-- other database, as rust-lang/crates.io (commit 57fa000662f511321daa61e6769f190ea0e80771) writes in
-- migrations/2019-09-19-185655_add_experimental_indexes/up.sql (`ALTER INDEX IF EXISTS sgrif_testing
-- RENAME TO index_recent_crate_downloads_by_downloads;`, then `CREATE INDEX IF NOT EXISTS
-- index_recent_crate_downloads_by_downloads ON recent_crate_downloads USING btree (downloads);`),
-- over the materialized view of 2018-04-24-145128_create_recent_crate_downloads and the table of
-- its version downloads. The fence refused each rename ("relation sgrif_testing is not
-- schema-qualified, and no migration creates expert_network.sgrif_testing"), although it accepts
-- `DROP INDEX IF EXISTS` of such a name (corpus 50): the pinned path finds a relation not named
-- pg_* only in expert_network or the session's pg_temp, and without one the rename is a notice (PG
-- 15: "relation "pp_cr_sgrif_testing" does not exist, skipping"; a public.pp_cr_sgrif_testing is
-- left as it was). Re-homed into expert_network: the CREATE statements qualified, names prefixed
-- pp_cr_, the rest as crates.io wrote it.
CREATE TABLE expert_network.pp_cr_crate_downloads (
    crate_id integer NOT NULL,
    date date NOT NULL DEFAULT CURRENT_DATE,
    downloads integer NOT NULL DEFAULT 0,
    PRIMARY KEY (crate_id, date)
);
CREATE TABLE expert_network.pp_cr_version_downloads (
    version_id integer NOT NULL,
    date date NOT NULL DEFAULT CURRENT_DATE,
    downloads integer NOT NULL DEFAULT 0,
    PRIMARY KEY (version_id, date)
);

CREATE MATERIALIZED VIEW expert_network.pp_cr_recent_crate_downloads (crate_id, downloads) AS
  SELECT crate_id, SUM(downloads) FROM expert_network.pp_cr_crate_downloads
    WHERE date > date(CURRENT_TIMESTAMP - INTERVAL '90 days')
    GROUP BY crate_id;
CREATE UNIQUE INDEX pp_cr_recent_crate_downloads_crate_id ON pp_cr_recent_crate_downloads (crate_id);

-- These indexes were created on production by hand and never existed in migrations; give them
-- better names now that we know we want to keep them
ALTER INDEX IF EXISTS pp_cr_sgrif_testing RENAME TO pp_cr_index_recent_crate_downloads_by_downloads;
ALTER INDEX IF EXISTS pp_cr_sgrif_testing2 RENAME TO pp_cr_index_version_downloads_by_date;

-- Create the above indexes for databases other than production
CREATE INDEX IF NOT EXISTS pp_cr_index_recent_crate_downloads_by_downloads
  ON pp_cr_recent_crate_downloads USING btree (downloads);
CREATE INDEX IF NOT EXISTS pp_cr_index_version_downloads_by_date ON pp_cr_version_downloads USING brin (date);
