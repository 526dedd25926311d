-- Refuse corpus 51: `CREATE RULE "_RETURN" AS ON SELECT` turns an empty table into a view (PostgreSQL
-- before 16; pg_dump wrote this for views in a dependency loop), and `CREATE OR REPLACE RULE "_RETURN"`
-- gives a view another query. The fence knew the name as a table, or as a view over its first query,
-- so a write or a row lock on it was judged as one on expert_network's own rows, while the server
-- sends it through the new query, into the catalog it reads. Each refused statement is followed by a
-- `-- proof:` query; run on PG 15 as the runner's superuser with `tests/fence/prove.py`, each proof
-- printed what the comment above it says.
-- Found by a hunt: before, every statement below passed `check`. `up` stopped the rename of
-- public."user" (EN001), but the guard does not count built-in pg_language rows, and `up` committed the
-- pg_language update (PG 15: afterwards raguser created a LANGUAGE internal function over pg_read_file
-- and read pg_hba.conf).

CREATE TABLE expert_network.rv_langs (oid oid, lanname name, lanpltrusted boolean);

CREATE RULE "_RETURN" AS ON SELECT TO expert_network.rv_langs
    DO INSTEAD SELECT l.oid, l.lanname, l.lanpltrusted FROM pg_catalog.pg_language AS l;

-- Reaches: pg_catalog.pg_language: LANGUAGE internal made trusted, and raguser, the application's
-- role, reads the server's pg_hba.conf through a function over the server's own C code.
-- refuse: outside-schema
UPDATE expert_network.rv_langs SET lanpltrusted = true WHERE lanname = 'internal';
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.rv_read(text) RETURNS text LANGUAGE internal STRICT AS 'pg_read_file_all'; SELECT current_user, pg_catalog.left(expert_network.rv_read('pg_hba.conf'), 40) AS server_file; RESET ROLE

CREATE TABLE expert_network.rv_rels (oid oid, relname name, relnamespace oid);

CREATE RULE "_RETURN" AS ON SELECT TO rv_rels
    DO INSTEAD SELECT c.oid, c.relname, c.relnamespace FROM pg_catalog.pg_class AS c;

-- Reaches: pg_catalog.pg_class, public."user" renamed, through a table turned into a view by a rule
-- that names it unqualified.
-- refuse: outside-schema
UPDATE expert_network.rv_rels SET relname = 'user_gone' WHERE relname = 'user';
-- proof: SELECT c.relname FROM pg_catalog.pg_class AS c WHERE c.relname = 'user_gone'

-- Reaches: row locks on pg_catalog.pg_class through it (corpus 50).
-- refuse: outside-schema
SELECT r.relname FROM expert_network.rv_rels AS r WHERE r.relname IN ('user', 'session') FOR UPDATE;
-- proof: SELECT count(*) FROM public.pgrowlocks('pg_catalog.pg_class')

CREATE TABLE expert_network.rv_own (oid oid, lanname name, lanpltrusted boolean);

CREATE VIEW expert_network.rv_names AS SELECT o.oid, o.lanname, o.lanpltrusted FROM expert_network.rv_own AS o;

CREATE OR REPLACE RULE "_RETURN" AS ON SELECT TO expert_network.rv_names
    DO INSTEAD SELECT l.oid, l.lanname, l.lanpltrusted FROM pg_catalog.pg_language AS l;

-- Reaches: pg_catalog.pg_language through a view over an expert_network table whose query a rule
-- replaced: LANGUAGE c made trusted.
-- refuse: outside-schema
UPDATE expert_network.rv_names SET lanpltrusted = true WHERE lanname = 'c';
-- proof: SELECT l.lanpltrusted FROM pg_catalog.pg_language AS l WHERE l.lanname = 'c'

-- A rule over expert_network's own table makes a view a write through which stays in expert_network.
CREATE TABLE expert_network.rv_items (id int);

CREATE TABLE expert_network.rv_items_view (id int);

CREATE RULE "_RETURN" AS ON SELECT TO expert_network.rv_items_view DO INSTEAD SELECT i.id FROM expert_network.rv_items AS i;

UPDATE expert_network.rv_items_view SET id = 1;
