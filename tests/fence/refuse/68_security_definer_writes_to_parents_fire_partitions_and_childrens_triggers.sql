-- Refuse corpus 68: a SECURITY DEFINER body's write to a partitioned table lands in its partitions,
-- and an UPDATE or DELETE of an inheritance parent (without ONLY) reaches its children's rows; the
-- triggers of the partition or child fire, with the definer's owner's rights (the runner's
-- superuser), and a trigger function's string body resolves its names when it runs, on its own
-- path. The fence followed a definer's writes into the written relation's own triggers, those of
-- the relations its foreign keys cascade to (corpus 62) and a view's base table (corpus 65), but not
-- into partitions (`PARTITION OF`, `ATTACH PARTITION`) or inheritance children (`INHERITS`,
-- `ALTER TABLE ... INHERIT`). Here the trigger's path searches expert_network first, and the
-- application's role (sql/003_grants.sql grants it ALL ON SCHEMA expert_network) adds
-- `expert_network.lower(text)`, which the trigger's `lower(NEW.v)` then finds before pg_catalog's.
-- Each refused statement is followed by a `-- proof:` query; run on PG 15 as the runner's superuser
-- with `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied, placeholders
-- raguser and expert_network_readonly), each proof printed what the comment above it says
-- (raguser's attribute false, then true). Found by a hunt (fixed in a183555, unit tests only until
-- this file): before, every refused statement below passed `check` (exit 0; nothing outside
-- expert_network changed, so `up`'s guard sees nothing either).

CREATE TABLE expert_network.pt_parent (k int, v text) PARTITION BY RANGE (k);

CREATE TABLE expert_network.pt_part PARTITION OF expert_network.pt_parent FOR VALUES FROM (0) TO (100);

CREATE TABLE expert_network.pt_base (k int, v text);

CREATE TABLE expert_network.pt_child () INHERITS (expert_network.pt_base);

CREATE FUNCTION expert_network.pt_fn() RETURNS trigger LANGUAGE plpgsql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$
BEGIN
    NEW.v := lower(NEW.v);
    RETURN NEW;
END
$f$;

CREATE TRIGGER pt_t BEFORE INSERT ON expert_network.pt_part FOR EACH ROW
    EXECUTE FUNCTION expert_network.pt_fn();

CREATE TRIGGER pt_u BEFORE UPDATE ON expert_network.pt_child FOR EACH ROW
    EXECUTE FUNCTION expert_network.pt_fn();

INSERT INTO expert_network.pt_child VALUES (1, 'a');

-- Reaches: raguser gets CREATEROLE through raguser's expert_network.lower(text), which the
-- partition's trigger (fired by the definer's insert into the parent) finds first, as the superuser.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.pt_add(x text) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ INSERT INTO expert_network.pt_parent VALUES (1, x) $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.pt_add('a'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEROLE through the inheritance child's trigger, fired by the definer's
-- UPDATE of the parent (without ONLY it reaches the child's rows), as the superuser.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.pt_set(x text) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ UPDATE expert_network.pt_base SET v = x $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT $1'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.pt_set('b'); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'
