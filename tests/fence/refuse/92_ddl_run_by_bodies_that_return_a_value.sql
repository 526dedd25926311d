-- Refuse corpus 92: what a function's body creates counts as the migrations' own (corpus 88), but
-- the model read a PL/pgSQL body's statements by compiling it as a function returning void, and
-- PL/pgSQL compiles a body against its own header: `RETURN NULL` in a trigger function, `RETURN 1`
-- in one returning int, `RETURN QUERY` in a set-returning one, an assignment to a parameter (a
-- VARIADIC one too, which libpg_query cannot compile as written), each fails to compile there,
-- and the body counted as making nothing. So an index such a body makes on
-- the referencing table of an ON UPDATE CASCADE key was unknown to the judgement of the key: the
-- action updates the referencing rows as their table's owner (the runner's superuser) in the
-- session of whatever role updates the referenced row, under that role's search_path, and the
-- index computes its function there (corpus 80). The application's role creates in expert_network
-- (ALL ON SCHEMA), so an unqualified call of a function without a path of its own finds that
-- role's function. Each refused statement is followed by a `-- proof:` query; run on PG 15 as the
-- runner's superuser with `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003
-- applied, placeholders raguser and expert_network_readonly), each proof printed raguser's
-- attribute f, then t: raguser, not a superuser, made its function and updated a referenced row.
-- (`DISCARD PLANS` stands for raguser's own session, as in corpus 88.) Found by a hunt: before,
-- every refused statement below passed `check`.

CREATE TABLE expert_network.rv_parent (id int PRIMARY KEY);

INSERT INTO expert_network.rv_parent VALUES (1), (2);

CREATE FUNCTION expert_network.rv_key(p int) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $f$
BEGIN
    RETURN lower(p::text);
END
$f$;

CREATE FUNCTION expert_network.rv_index_trigger() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    CREATE INDEX IF NOT EXISTS rv_child_key ON expert_network.rv_child ((expert_network.rv_key(parent_id)));
    RETURN NULL;
END
$f$;

CREATE FUNCTION expert_network.rv_index_count() RETURNS int LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    CREATE INDEX rv_other_key ON expert_network.rv_other ((expert_network.rv_key(parent_id)));
    RETURN 1;
END
$f$;

CREATE FUNCTION expert_network.rv_index_variadic(VARIADIC ids int[]) RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    ids[1] := 0;
    CREATE INDEX rv_third_key ON expert_network.rv_third ((expert_network.rv_key(parent_id)));
END
$f$;

-- Reaches: raguser gets SUPERUSER: a trigger function's body (`RETURN NULL`) makes the index, when
-- the migration's insert into the parent fires it; ON UPDATE CASCADE then computes rv_key() as the
-- child's owner, whose lower() finds raguser's on raguser's own path.
-- refuse: unqualified-name
CREATE TABLE expert_network.rv_child (id int, parent_id int REFERENCES expert_network.rv_parent (id) ON UPDATE CASCADE);
INSERT INTO expert_network.rv_child VALUES (1, 1);
CREATE TRIGGER rv_index AFTER INSERT ON expert_network.rv_parent FOR EACH STATEMENT EXECUTE FUNCTION expert_network.rv_index_trigger();
INSERT INTO expert_network.rv_parent VALUES (5);
-- proof: SET LOCAL ROLE raguser; SET LOCAL search_path = expert_network, pg_catalog; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser SUPERUSER; END IF; RETURN $1; END'; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; DISCARD PLANS; UPDATE expert_network.rv_parent SET id = 3 WHERE id = 1; RESET ROLE; SET LOCAL search_path = expert_network, pg_catalog, pg_temp; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets SUPERUSER likewise: the body of a function returning int (`RETURN 1`)
-- makes the index when the migration calls it.
-- refuse: unqualified-name
CREATE TABLE expert_network.rv_other (id int, parent_id int REFERENCES expert_network.rv_parent (id) ON UPDATE CASCADE);
INSERT INTO expert_network.rv_other VALUES (1, 2);
SELECT expert_network.rv_index_count();
-- proof: SET LOCAL ROLE raguser; SET LOCAL search_path = expert_network, pg_catalog; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser SUPERUSER; END IF; RETURN $1; END'; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; DISCARD PLANS; UPDATE expert_network.rv_parent SET id = 4 WHERE id = 2; RESET ROLE; SET LOCAL search_path = expert_network, pg_catalog, pg_temp; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets SUPERUSER likewise: the body assigns to its VARIADIC parameter.
-- refuse: unqualified-name
CREATE TABLE expert_network.rv_third (id int, parent_id int REFERENCES expert_network.rv_parent (id) ON UPDATE CASCADE);
INSERT INTO expert_network.rv_third VALUES (1, 1);
SELECT expert_network.rv_index_variadic(1, 2);
-- proof: SET LOCAL ROLE raguser; SET LOCAL search_path = expert_network, pg_catalog; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser SUPERUSER; END IF; RETURN $1; END'; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; DISCARD PLANS; UPDATE expert_network.rv_parent SET id = 6 WHERE id = 1; RESET ROLE; SET LOCAL search_path = expert_network, pg_catalog, pg_temp; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'
