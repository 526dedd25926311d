-- Refuse corpus 83: a rule's actions run as part of the write to the relation it is made for: a
-- `DO ALSO` or `DO INSTEAD` INSERT, UPDATE or DELETE writes another relation in the same statement,
-- with the writer's rights for what it runs (the relations are checked as the rule's owner). Written
-- by a SECURITY DEFINER body, the action's write fires the triggers of its target, and the action's
-- calls run, with the definer's owner's rights (the runner's superuser). The fence followed a
-- definer's write into the written relation's triggers, its partitions and children, its foreign
-- keys' cascades and a view's single base relation (corpora 57, 60, 62, 68), not into a rule's
-- actions. The grants are written out: `sql/003_grants.sql`'s default privileges give the
-- application's role TRIGGER on every table a migration makes, and each file here is checked alone.
-- Each refused statement is followed by a `-- proof:` query; run on PG 15 as the runner's superuser
-- with `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied, placeholders
-- raguser and expert_network_readonly), each proof printed raguser's attribute f, then t: raguser,
-- not a superuser, made its trigger (or its function) and then called the definer. Found by a hunt:
-- before, every refused statement below passed `check`.

CREATE TABLE expert_network.gr_orders (id int PRIMARY KEY, v text);

CREATE TABLE expert_network.gr_audit (id int, v text);

REVOKE TRIGGER ON expert_network.gr_orders FROM raguser;

GRANT TRIGGER ON expert_network.gr_audit TO raguser;

CREATE RULE gr_orders_audit AS ON INSERT TO expert_network.gr_orders
    DO ALSO INSERT INTO expert_network.gr_audit (id, v) VALUES (NEW.id, NEW.v);

-- Reaches: raguser gets SUPERUSER: the rule's INSERT into gr_audit fires raguser's trigger there.
-- refuse: ownership
CREATE FUNCTION expert_network.gr_place(p_id int, p_v text) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ INSERT INTO expert_network.gr_orders (id, v) VALUES (p_id, p_v) $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gr_evil() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser SUPERUSER; END IF; RETURN NEW; END'; CREATE TRIGGER gr_evil BEFORE INSERT ON expert_network.gr_audit FOR EACH ROW EXECUTE FUNCTION expert_network.gr_evil(); SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.gr_place(1, 'x'); RESET ROLE; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE TABLE expert_network.gr_lines (id int, order_id int, v text);

CREATE VIEW expert_network.gr_order_lines AS
    SELECT o.id, l.v FROM expert_network.gr_orders o JOIN expert_network.gr_lines l ON l.order_id = o.id;

CREATE TABLE expert_network.gr_changes (id int, v text);

GRANT TRIGGER ON expert_network.gr_changes TO raguser;

CREATE RULE gr_order_lines_upd AS ON UPDATE TO expert_network.gr_order_lines
    DO INSTEAD INSERT INTO expert_network.gr_changes (id, v) VALUES (NEW.id, NEW.v);

INSERT INTO expert_network.gr_lines VALUES (1, 7, 'a');

INSERT INTO expert_network.gr_orders VALUES (7, 'o');

-- Reaches: raguser gets CREATEROLE: an UPDATE of a join view, which only an INSTEAD rule makes
-- writable, lands in the rule's target and fires raguser's trigger there.
-- refuse: ownership
CREATE FUNCTION expert_network.gr_relabel(p_id int, p_v text) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ UPDATE expert_network.gr_order_lines SET v = p_v WHERE id = p_id $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gr_evil() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser CREATEROLE; END IF; RETURN NEW; END'; CREATE TRIGGER gr_evil BEFORE INSERT ON expert_network.gr_changes FOR EACH ROW EXECUTE FUNCTION expert_network.gr_evil(); SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.gr_relabel(7, 'b'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE TABLE expert_network.gr_notes (id int PRIMARY KEY, v text);

REVOKE TRIGGER ON expert_network.gr_notes FROM raguser;

CREATE FUNCTION expert_network.gr_tag(t text) RETURNS text LANGUAGE sql
    SET search_path = expert_network, pg_catalog AS $f$ SELECT lower(t) $f$;

CREATE RULE gr_notes_tag AS ON DELETE TO expert_network.gr_notes
    DO ALSO SELECT expert_network.gr_tag(OLD.v);

INSERT INTO expert_network.gr_notes VALUES (1, 'N');

-- Reaches: raguser gets CREATEDB: the rule's action calls an invoker whose path searches
-- expert_network, where raguser's lower(text) is found before pg_catalog's.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.gr_forget(p_id int) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ DELETE FROM expert_network.gr_notes WHERE id = p_id $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gr_do() RETURNS void LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser CREATEDB; END IF; END'; CREATE FUNCTION expert_network.lower(t text) RETURNS text LANGUAGE plpgsql AS 'BEGIN PERFORM expert_network.gr_do(); RETURN t; END'; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.gr_forget(1); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- A rule whose target no other role may add triggers to, and whose actions call nothing, passes.
CREATE TABLE expert_network.gr_kept (id int, v text);
REVOKE TRIGGER ON expert_network.gr_kept FROM raguser;
CREATE TABLE expert_network.gr_kept_log (id int);
REVOKE TRIGGER ON expert_network.gr_kept_log FROM raguser;
CREATE RULE gr_kept_log AS ON INSERT TO expert_network.gr_kept DO ALSO INSERT INTO expert_network.gr_kept_log (id) VALUES (NEW.id);
CREATE FUNCTION expert_network.gr_keep(p_id int) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ INSERT INTO expert_network.gr_kept (id, v) VALUES (p_id, 'k') $f$;
