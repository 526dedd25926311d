-- Refuse corpus 88: what a function's body creates when it runs (here the migration calls it; the
-- application's role may call it too, EXECUTE being granted by default) is on the schema as much as
-- what a top-level statement or a DO block creates. The fence's model read DDL only from those, so
-- an index or a trigger made by a body was unknown to the judgements that follow a write: a foreign
-- key's ON UPDATE / ON DELETE action writes the referencing rows as their table's owner (the
-- runner's superuser) in the session of whatever role writes the referenced row, under that role's
-- search_path, and the referencing table's index expressions and BEFORE triggers run inline there
-- (corpus 80). The application's role creates in expert_network (ALL ON SCHEMA), so an unqualified
-- call of a function without a path of its own finds that role's function. Likewise what a body
-- grants (TRIGGER on a table a SECURITY DEFINER body writes, corpus 57) or gives away (a view such a
-- body reads, ALTER VIEW ... OWNER TO, corpus 79) or the path it gives a function (ALTER FUNCTION ...
-- SET search_path) counted only where a statement did it. Each refused statement is followed by a
-- `-- proof:` query; run on PG 15 as the runner's superuser with
-- `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied, placeholders
-- raguser and expert_network_readonly), each proof printed raguser's attribute f, then t: raguser,
-- not a superuser, made its function (its trigger, its view's query) and wrote a referenced row or
-- called the definer itself. (`DISCARD PLANS` stands for
-- raguser's own session, which plans the index's function afresh: in the proof's one session the
-- server kept the plan it made when the index was built.) Found by a hunt: before, every refused
-- statement below passed `check`.

CREATE TABLE expert_network.db_parent (id int PRIMARY KEY);

INSERT INTO expert_network.db_parent VALUES (1), (2);

CREATE FUNCTION expert_network.db_key(p int) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $f$
BEGIN
    RETURN lower(p::text);
END
$f$;

CREATE FUNCTION expert_network.db_index() RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    CREATE INDEX db_child_key ON expert_network.db_child ((expert_network.db_key(parent_id)));
END
$f$;

-- Reaches: raguser gets SUPERUSER: ON UPDATE CASCADE updates the child as its owner, and the index
-- db_index() made computes db_key(), whose lower() finds raguser's on raguser's own path.
-- refuse: unqualified-name
CREATE TABLE expert_network.db_child (id int, parent_id int REFERENCES expert_network.db_parent (id) ON UPDATE CASCADE);
INSERT INTO expert_network.db_child VALUES (1, 1);
SELECT expert_network.db_index();
-- proof: SET LOCAL ROLE raguser; SET LOCAL search_path = expert_network, pg_catalog; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser SUPERUSER; END IF; RETURN $1; END'; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; DISCARD PLANS; UPDATE expert_network.db_parent SET id = 3 WHERE id = 1; RESET ROLE; SET LOCAL search_path = expert_network, pg_catalog, pg_temp; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.db_touch() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$f$;

CREATE FUNCTION expert_network.db_triggers() RETURNS void LANGUAGE sql
    SET search_path = pg_catalog, pg_temp AS $f$
CREATE TRIGGER db_item_touch BEFORE UPDATE ON expert_network.db_item FOR EACH ROW
    EXECUTE FUNCTION expert_network.db_touch();
$f$;

-- Reaches: raguser gets CREATEROLE: ON DELETE SET NULL updates the item as its owner, and the
-- BEFORE UPDATE trigger db_triggers() made, without a path of its own, finds raguser's now().
-- refuse: unqualified-name
CREATE TABLE expert_network.db_item (id int, parent_id int REFERENCES expert_network.db_parent (id) ON DELETE SET NULL, updated_at timestamptz);
INSERT INTO expert_network.db_item VALUES (1, 2, NULL);
SELECT expert_network.db_triggers();
-- proof: SET LOCAL ROLE raguser; SET LOCAL search_path = expert_network, pg_catalog; CREATE FUNCTION expert_network.now() RETURNS timestamptz LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser CREATEROLE; END IF; RETURN pg_catalog.now(); END'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; DELETE FROM expert_network.db_parent WHERE id = 2; RESET ROLE; SET LOCAL search_path = expert_network, pg_catalog, pg_temp; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- What a body grants counts too, and after every statement (a body may run after a later REVOKE):
-- TRIGGER granted, or a relation given to another role, by a body the migration calls.
CREATE TABLE expert_network.db_log (id int);

CREATE FUNCTION expert_network.db_share() RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    GRANT TRIGGER ON expert_network.db_log TO raguser;
END
$f$;

SELECT expert_network.db_share();

-- Reaches: raguser gets CREATEDB: its trigger on the table db_share() let it add triggers to runs
-- on the definer's INSERT as the superuser.
-- refuse: ownership
CREATE FUNCTION expert_network.db_add(p int) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ INSERT INTO expert_network.db_log VALUES (p) $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.db_ev() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN ALTER ROLE raguser CREATEDB; RETURN NEW; END'; CREATE TRIGGER db_ev BEFORE INSERT ON expert_network.db_log FOR EACH ROW EXECUTE FUNCTION expert_network.db_ev(); SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.db_add(1); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

INSERT INTO expert_network.db_log VALUES (1);

CREATE VIEW expert_network.db_ids AS SELECT l.id FROM expert_network.db_log l;

CREATE FUNCTION expert_network.db_give() RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    ALTER VIEW expert_network.db_ids OWNER TO raguser;
END
$f$;

SELECT expert_network.db_give();

-- Reaches: raguser gets BYPASSRLS: the view db_give() gave it, its query replaced with a call of its
-- own function, read by the definer as the superuser.
-- refuse: ownership
CREATE FUNCTION expert_network.db_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT count(*) FROM expert_network.db_ids $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.db_evil() RETURNS boolean LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser BYPASSRLS; END IF; RETURN true; END'; CREATE OR REPLACE VIEW expert_network.db_ids AS SELECT l.id FROM expert_network.db_log l WHERE expert_network.db_evil(); SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.db_count(); RESET ROLE; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.db_label() RETURNS text LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    RETURN lower('LABEL');
END
$f$;

CREATE FUNCTION expert_network.db_repath() RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    ALTER FUNCTION expert_network.db_label() SET search_path = expert_network, pg_catalog, pg_temp;
END
$f$;

SELECT expert_network.db_repath();

-- Reaches: raguser gets REPLICATION: the invoker's path db_repath() changed searches expert_network
-- first, and the definer's call runs its lower(), raguser's, as the superuser.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.db_show() RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT expert_network.db_label() $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser REPLICATION; END IF; RETURN $1; END'; SELECT rolreplication FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.db_show(); RESET ROLE; SELECT rolreplication FROM pg_catalog.pg_roles WHERE rolname = 'raguser'
