-- Refuse corpus 62: what a SECURITY DEFINER body's write fires, when the fence knew it under another
-- name or on another relation. A renamed table keeps its triggers, but the fence kept them under the
-- name they were made on; a DELETE that ON DELETE CASCADE carries into a referencing table fires that
-- table's triggers too, with the definer's owner's rights (the runner's superuser). Here the trigger
-- functions' paths search expert_network first, and the application's role (sql/003_grants.sql grants
-- it ALL ON SCHEMA expert_network) adds `expert_network.lower(text)`, which their `lower(...)` then
-- finds before pg_catalog's. Each refused statement is followed by a `-- proof:` query; run on PG 15
-- as the runner's superuser with `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003
-- applied, placeholders raguser and expert_network_readonly), each proof printed what the comment
-- above it says (raguser's attribute false, then true). Found by a hunt: before, `up` applied both
-- definers (exit 0; the guard sees nothing), and as raguser, after creating expert_network.lower(text),
-- a call of each gave raguser CREATEROLE and CREATEDB.

CREATE TABLE expert_network.cp_parent (id int PRIMARY KEY);

INSERT INTO expert_network.cp_parent VALUES (1);

-- Reaches: raguser gets CREATEROLE through the trigger of cp_child that the cascade fires. (Since
-- corpus 80 the foreign key is refused too: its cascade runs cp_child's BEFORE trigger as the
-- table's owner whenever any role deletes a parent row, no definer needed; one paragraph, so the
-- proof has the table.)
-- refuse: unqualified-name
CREATE TABLE expert_network.cp_child (id int REFERENCES expert_network.cp_parent ON DELETE CASCADE, v text);
INSERT INTO expert_network.cp_child VALUES (1, 'x');
CREATE FUNCTION expert_network.cp_fn() RETURNS trigger LANGUAGE plpgsql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$
BEGIN
    PERFORM lower(OLD.v);
    RETURN OLD;
END
$f$;
CREATE TRIGGER cp_t BEFORE DELETE ON expert_network.cp_child FOR EACH ROW
    EXECUTE FUNCTION expert_network.cp_fn();
-- refuse: unqualified-name
CREATE FUNCTION expert_network.cp_del() RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ DELETE FROM expert_network.cp_parent $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.cp_del(); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE TABLE expert_network.rn_a (v text);

CREATE FUNCTION expert_network.rn_fn() RETURNS trigger LANGUAGE plpgsql
    SET search_path = expert_network, pg_catalog, pg_temp
    AS $f$ BEGIN NEW.v := pg_catalog.btrim(lower(NEW.v)); RETURN NEW; END $f$;

CREATE TRIGGER rn_t BEFORE INSERT ON expert_network.rn_a FOR EACH ROW EXECUTE FUNCTION expert_network.rn_fn();

ALTER TABLE expert_network.rn_a RENAME TO rn_b;

-- Reaches: raguser gets CREATEDB through the trigger rn_b kept from its old name.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.rn_add() RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ INSERT INTO expert_network.rn_b VALUES ('X') $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEDB; SELECT $1'; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.rn_add(); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'
