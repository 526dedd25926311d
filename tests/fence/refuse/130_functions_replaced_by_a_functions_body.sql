-- Refuse corpus 130: what a function's body creates counts as the migrations' own (corpus 88), and
-- so does what it replaces. The model read a body's CREATE OR REPLACE FUNCTION only for the DDL of
-- the new body, never as the routine's new body itself: an index's function made with its own
-- `SET search_path`, replaced by a called body with one that has none, counted as the pathed one.
-- A foreign key's ON UPDATE action then updates the referencing rows as their table's owner (the
-- runner's superuser) in the session of whatever role updates the referenced row, under that
-- role's search_path, and the index computes the replaced function there (corpus 80). The
-- application's role creates in expert_network (ALL ON SCHEMA), so the body's unqualified lower()
-- finds that role's function. The refused statement is followed by a `-- proof:` query; run on
-- PG 15 as the runner's superuser with `tests/fence/prove.py` (database: demo/public_apps.sql and
-- sql/001-003 applied, placeholders raguser and expert_network_readonly), it printed raguser's
-- rolsuper f, then t. (`DISCARD PLANS` stands for raguser's own session, as in corpus 88.) Found
-- by a hunt: before, the refused statement below passed `check`.

CREATE TABLE expert_network.rb_parent (id int PRIMARY KEY);

INSERT INTO expert_network.rb_parent VALUES (1), (2);

CREATE FUNCTION expert_network.rb_key(p int) RETURNS text LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    RETURN lower(p::text);
END
$f$;

CREATE FUNCTION expert_network.rb_rekey() RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    CREATE OR REPLACE FUNCTION expert_network.rb_key(p int) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $i$
    BEGIN
        RETURN lower(p::text);
    END
    $i$;
END
$f$;

-- Reaches: raguser gets SUPERUSER: rb_rekey() replaces rb_key() with one without a path of its
-- own, which the index computes as the child's owner on ON UPDATE CASCADE, under raguser's path.
-- refuse: unqualified-name
CREATE TABLE expert_network.rb_child (id int, parent_id int REFERENCES expert_network.rb_parent (id) ON UPDATE CASCADE);
INSERT INTO expert_network.rb_child VALUES (1, 1);
CREATE INDEX rb_child_key ON expert_network.rb_child ((expert_network.rb_key(parent_id)));
SELECT expert_network.rb_rekey();
-- proof: SET LOCAL ROLE raguser; SET LOCAL search_path = expert_network, pg_catalog; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser SUPERUSER; END IF; RETURN $1; END'; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; DISCARD PLANS; UPDATE expert_network.rb_parent SET id = 3 WHERE id = 1; RESET ROLE; SET LOCAL search_path = expert_network, pg_catalog, pg_temp; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'
