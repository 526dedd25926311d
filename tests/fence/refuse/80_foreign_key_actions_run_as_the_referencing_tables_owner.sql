-- Refuse corpus 80: a foreign key's ON DELETE or ON UPDATE action (CASCADE, SET NULL, SET DEFAULT)
-- writes the referencing rows as the referencing table's owner (the runner's superuser: the server's
-- RI queries switch to it), in the session of whatever role deletes or updates a referenced row, under
-- that role's search_path. The BEFORE triggers of the referencing table, and the expressions stored
-- on it, run inline in that write with the owner's rights (AFTER triggers wait for the end of the
-- role's own statement and run as that role). The application's role deletes and updates
-- expert_network's rows (sql/003_grants.sql grants it ALL on its tables) and creates there (ALL ON
-- SCHEMA), so it adds a function that a trigger function's unqualified call then finds: on the
-- function's own path that searches expert_network, or, without a path of its own, on the role's own
-- (`SET search_path = expert_network, pg_catalog`: the common `NEW.updated_at := now()` trigger). The
-- fence judged these writes only where a SECURITY DEFINER body made them (corpus 62). Each refused
-- statement is followed by a `-- proof:` query; run on PG 15 as the runner's superuser with
-- `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied, placeholders
-- raguser and expert_network_readonly), each proof printed raguser's attribute f, then t: raguser,
-- not a superuser, made its function and deleted (or updated) a referenced row itself. Found by a
-- hunt: before, every refused statement below passed `check`.

CREATE TABLE expert_network.fa_parent (id int PRIMARY KEY);

INSERT INTO expert_network.fa_parent VALUES (1), (2);

CREATE FUNCTION expert_network.fa_touch() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$f$;

-- Reaches: raguser gets CREATEROLE: ON DELETE SET NULL updates the child as its owner, and the child's
-- BEFORE UPDATE trigger, without a path of its own, finds raguser's now() on raguser's own path.
-- refuse: unqualified-name
CREATE TABLE expert_network.fa_child (id int, parent_id int REFERENCES expert_network.fa_parent (id) ON DELETE SET NULL, updated_at timestamptz);
INSERT INTO expert_network.fa_child VALUES (1, 1, NULL);
CREATE TRIGGER fa_child_touch BEFORE UPDATE ON expert_network.fa_child FOR EACH ROW
    EXECUTE FUNCTION expert_network.fa_touch();
-- proof: SET LOCAL ROLE raguser; SET LOCAL search_path = expert_network, pg_catalog; CREATE FUNCTION expert_network.now() RETURNS timestamptz LANGUAGE plpgsql AS 'BEGIN IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN ALTER ROLE raguser CREATEROLE; END IF; RETURN pg_catalog.now(); END'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; DELETE FROM expert_network.fa_parent WHERE id = 1; RESET ROLE; SET LOCAL search_path = expert_network, pg_catalog, pg_temp; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.fa_norm() RETURNS trigger LANGUAGE plpgsql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$
BEGIN
    PERFORM lower(OLD.v);
    RETURN OLD;
END
$f$;

-- Reaches: raguser gets CREATEDB: ON DELETE CASCADE deletes the child's rows as its owner, and the
-- BEFORE DELETE trigger's function, whose own path searches expert_network, finds raguser's lower().
-- (The key is added to a table made before; the trigger is made after it: the order does not matter.)
CREATE TABLE expert_network.fa_items (id int, parent_id int, v text);
INSERT INTO expert_network.fa_items VALUES (1, 2, 'x');
-- refuse: unqualified-name
ALTER TABLE expert_network.fa_items ADD CONSTRAINT fa_items_parent_fk FOREIGN KEY (parent_id) REFERENCES expert_network.fa_parent (id) ON DELETE CASCADE;
CREATE TRIGGER fa_items_norm BEFORE DELETE ON expert_network.fa_items FOR EACH ROW
    EXECUTE FUNCTION expert_network.fa_norm();
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE plpgsql AS 'BEGIN IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN ALTER ROLE raguser CREATEDB; END IF; RETURN pg_catalog.lower($1); END'; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; DELETE FROM expert_network.fa_parent WHERE id = 2; RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- A trigger function with a path that searches pg_catalog alone, as sql/001's set_updated_at has, or an
-- AFTER trigger (run as the deleting role), or a key with NO ACTION: these pass.
CREATE FUNCTION expert_network.fa_safe_touch() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog AS $f$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$f$;
CREATE TABLE expert_network.fa_safe (id int, parent_id int REFERENCES expert_network.fa_parent (id) ON DELETE SET NULL, updated_at timestamptz);
CREATE TRIGGER fa_safe_touch BEFORE UPDATE ON expert_network.fa_safe FOR EACH ROW
    EXECUTE FUNCTION expert_network.fa_safe_touch();
CREATE TABLE expert_network.fa_after (id int, parent_id int REFERENCES expert_network.fa_parent (id) ON DELETE SET NULL, updated_at timestamptz);
CREATE TRIGGER fa_after_touch AFTER UPDATE ON expert_network.fa_after FOR EACH ROW
    EXECUTE FUNCTION expert_network.fa_touch();
CREATE TABLE expert_network.fa_plain (id int, parent_id int REFERENCES expert_network.fa_parent (id), updated_at timestamptz);
CREATE TRIGGER fa_plain_touch BEFORE UPDATE ON expert_network.fa_plain FOR EACH ROW
    EXECUTE FUNCTION expert_network.fa_touch();
