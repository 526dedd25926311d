-- Refuse corpus 132: what a function's body creates counts as the migrations' own (corpus 88), a
-- view's query too. The model read the relations a view reads (a write or a row lock through it
-- lands there: corpus 50, 51) from top-level statements and DO blocks alone, so a body's CREATE OR
-- REPLACE VIEW, or its ON SELECT rule turning a table into a view (PostgreSQL before 16), left the
-- name reading what it read before, and its ALTER ... RENAME TO a name the migrations made left the
-- name holding only what the migrations made of it. A body runs whenever it is called, so what it
-- does counts for the name at every point, a body made before the view included. Each refused statement is followed by a `-- proof:` query; run
-- on PG 15 as the runner's superuser with `tests/fence/prove.py` (database: demo/public_apps.sql and
-- sql/001-003 applied, placeholders raguser and expert_network_readonly), each proof printed what
-- its comment says. Found by a hunt: before, every refused statement below passed `check`.

CREATE TABLE expert_network.bv_own (oid oid, lanname name, lanpltrusted boolean);

CREATE VIEW expert_network.bv_langs AS SELECT l.oid, l.lanname, l.lanpltrusted FROM expert_network.bv_own AS l;

CREATE FUNCTION expert_network.bv_repoint() RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    CREATE OR REPLACE VIEW expert_network.bv_langs AS
        SELECT l.oid, l.lanname, l.lanpltrusted FROM pg_catalog.pg_language AS l;
END
$f$;

SELECT expert_network.bv_repoint();

-- Reaches: pg_catalog.pg_language: LANGUAGE internal made trusted through the view the body
-- repointed (the proof printed t).
-- refuse: outside-schema
UPDATE expert_network.bv_langs SET lanpltrusted = true WHERE lanname = 'internal';
-- proof: SELECT l.lanpltrusted FROM pg_catalog.pg_language AS l WHERE l.lanname = 'internal'

CREATE TABLE expert_network.bv_rels (oid oid, relname name, relnamespace oid);

CREATE FUNCTION expert_network.bv_turn() RETURNS void LANGUAGE sql
    SET search_path = pg_catalog, pg_temp AS $f$
CREATE RULE "_RETURN" AS ON SELECT TO expert_network.bv_rels
    DO INSTEAD SELECT c.oid, c.relname, c.relnamespace FROM pg_catalog.pg_class AS c;
$f$;

SELECT expert_network.bv_turn();

-- Reaches: pg_catalog.pg_class: public."user" renamed through the table the body's rule made a
-- view (the proof printed user_gone).
-- refuse: outside-schema
UPDATE expert_network.bv_rels SET relname = 'user_gone' WHERE relname = 'user';
-- proof: SELECT c.relname FROM pg_catalog.pg_class AS c WHERE c.relname = 'user_gone'

CREATE TABLE expert_network.bv_names (oid oid, lanname name, lanpltrusted boolean);

CREATE VIEW expert_network.bv_catalog AS SELECT l.oid, l.lanname, l.lanpltrusted FROM pg_catalog.pg_language AS l;

CREATE FUNCTION expert_network.bv_swap() RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    ALTER TABLE expert_network.bv_names RENAME TO bv_names_old;
    ALTER VIEW expert_network.bv_catalog RENAME TO bv_names;
END
$f$;

SELECT expert_network.bv_swap();

-- Reaches: pg_catalog.pg_language: the C language made trusted through the view the body renamed
-- to the table's name (the proof printed t).
-- refuse: outside-schema
UPDATE expert_network.bv_names SET lanpltrusted = true WHERE lanname = 'c';
-- proof: SELECT l.lanpltrusted FROM pg_catalog.pg_language AS l WHERE l.lanname = 'c'
