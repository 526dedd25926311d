-- Refuse corpus 95: a TABLESPACE clause places what a statement makes or moves in the tablespace it
-- names, a database-wide object (another application's storage, often its own disk), as the SET
-- default_tablespace the fence refuses does; but the clauses themselves passed. Each refused
-- statement is followed by a `-- proof:` query; run on PG 15 as the runner's superuser with
-- `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied, placeholders
-- raguser and expert_network_readonly; then, as the other application would, outside a
-- transaction, `CREATE TABLESPACE other_ts LOCATION '<an empty directory of the server's user>'`):
-- each proof printed other_ts, where the relation's file now is (and the other application's
-- `DROP TABLESPACE other_ts` fails while it is there: not empty). Found by a hunt: before, every
-- refused statement below passed `check`.

-- Reaches: other_ts, which the table's file lands in.
-- refuse: database-wide
CREATE TABLE expert_network.ts_docs (id int PRIMARY KEY, body text) TABLESPACE other_ts;
-- proof: SELECT t.spcname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace WHERE c.oid = 'expert_network.ts_docs'::pg_catalog.regclass

CREATE TABLE expert_network.ts_notes (id int, body text);

-- Reaches: other_ts, for an index, and for a constraint's index.
-- refuse: database-wide
CREATE INDEX ts_notes_body ON expert_network.ts_notes (body) TABLESPACE other_ts;
-- proof: SELECT t.spcname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace WHERE c.oid = 'expert_network.ts_notes_body'::pg_catalog.regclass

-- refuse: database-wide
ALTER TABLE expert_network.ts_notes ADD CONSTRAINT ts_notes_id UNIQUE (id) USING INDEX TABLESPACE other_ts;
-- proof: SELECT t.spcname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace WHERE c.oid = 'expert_network.ts_notes_id'::pg_catalog.regclass

-- Reaches: other_ts, a table of expert_network moved there.
-- refuse: database-wide
ALTER TABLE expert_network.ts_notes SET TABLESPACE other_ts;
-- proof: SELECT t.spcname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace WHERE c.oid = 'expert_network.ts_notes'::pg_catalog.regclass

-- Reaches: other_ts, for a materialized view.
-- refuse: database-wide
CREATE MATERIALIZED VIEW expert_network.ts_counts TABLESPACE other_ts AS SELECT count(*) AS n FROM expert_network.ts_notes;
-- proof: SELECT t.spcname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace WHERE c.oid = 'expert_network.ts_counts'::pg_catalog.regclass

-- pg_default, where everything without a clause goes, passes.
CREATE TABLE expert_network.ts_plain (id int, UNIQUE (id) USING INDEX TABLESPACE pg_default) TABLESPACE pg_default;
