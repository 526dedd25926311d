-- Refuse corpus 81: a type of expert_network's (an enum here; a composite, a range or a domain alike)
-- that the migrations give to another role (`ALTER TYPE ... OWNER TO raguser`), read by a SECURITY
-- DEFINER string body from a column. A type's owner may `CREATE CAST` from or to it `WITH FUNCTION` of
-- its own (the server asks for ownership of either type and USAGE on the other, nothing more), and a
-- string body parses its casts each time it is planned in a session: an explicit `::text`, or the
-- assignment cast of a PL/pgSQL `INTO` or a SQL function's result, then calls that function with the
-- definer's owner's rights (the runner's superuser). The fence refused a value made of the type in the
-- body (corpus 78: the type named there), not one read from a column, which names no type.
-- Each refused statement is followed by a `-- proof:` query; run on PG 15 as the runner's superuser
-- with `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied, placeholders
-- raguser and expert_network_readonly), each proof printed raguser's attribute f, then t: raguser,
-- not a superuser, made the cast and then called the definer. Found by a hunt: before, every refused
-- statement below passed `check`.

CREATE TYPE expert_network.gc_state AS ENUM ('new', 'done');

CREATE TABLE expert_network.gc_jobs (id int PRIMARY KEY, state expert_network.gc_state NOT NULL DEFAULT 'new');

INSERT INTO expert_network.gc_jobs (id) VALUES (1);

ALTER TYPE expert_network.gc_state OWNER TO raguser;

-- Reaches: raguser gets SUPERUSER: the definer's `::text` runs raguser's cast function.
-- refuse: ownership
CREATE FUNCTION expert_network.gc_state_of(p_id int) RETURNS text LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    RETURN (SELECT j.state::text FROM expert_network.gc_jobs j WHERE j.id = p_id);
END
$f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gc_evil(s expert_network.gc_state) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser SUPERUSER; SELECT ''x'''; CREATE CAST (expert_network.gc_state AS text) WITH FUNCTION expert_network.gc_evil(expert_network.gc_state); SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.gc_state_of(1); RESET ROLE; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEROLE: no cast written, the SQL function's result is assigned to text,
-- and raguser's cast is AS ASSIGNMENT.
-- refuse: ownership
CREATE FUNCTION expert_network.gc_state_sql(p_id int) RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT j.state FROM expert_network.gc_jobs j WHERE j.id = p_id $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gc_evil(s expert_network.gc_state) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT ''x'''; CREATE CAST (expert_network.gc_state AS text) WITH FUNCTION expert_network.gc_evil(expert_network.gc_state) AS ASSIGNMENT; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.gc_state_sql(1); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE VIEW expert_network.gc_open_jobs AS SELECT j.id, j.state FROM expert_network.gc_jobs j WHERE j.state = 'new';

-- Reaches: raguser gets CREATEDB: through a view of the table, a PL/pgSQL `INTO` a text variable.
-- refuse: ownership
CREATE FUNCTION expert_network.gc_first_open() RETURNS text LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
    s text;
BEGIN
    SELECT v.state INTO s FROM expert_network.gc_open_jobs v ORDER BY v.id LIMIT 1;
    RETURN s;
END
$f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gc_evil(s expert_network.gc_state) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEDB; SELECT ''x'''; CREATE CAST (expert_network.gc_state AS text) WITH FUNCTION expert_network.gc_evil(expert_network.gc_state) AS ASSIGNMENT; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.gc_first_open(); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

ALTER TABLE expert_network.gc_jobs RENAME TO gc_tasks;

-- Reaches: raguser gets BYPASSRLS: the table under the name a rename gave it.
-- refuse: ownership
CREATE FUNCTION expert_network.gc_task_state(p_id int) RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT t.state::text FROM expert_network.gc_tasks t WHERE t.id = p_id $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gc_evil(s expert_network.gc_state) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser BYPASSRLS; SELECT ''x'''; CREATE CAST (expert_network.gc_state AS text) WITH FUNCTION expert_network.gc_evil(expert_network.gc_state); SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.gc_task_state(1); RESET ROLE; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE DOMAIN expert_network.gc_known AS expert_network.gc_state;

CREATE TABLE expert_network.gc_history (id int PRIMARY KEY, last expert_network.gc_known, seen expert_network.gc_state[]);

INSERT INTO expert_network.gc_history VALUES (1, 'done', '{new,done}');

-- Reaches: raguser gets REPLICATION: a column of a domain over the type, and one of an array of it: a
-- domain's casts are its base type's, an array's element cast is the element type's.
-- refuse: ownership
CREATE FUNCTION expert_network.gc_history_of(p_id int) RETURNS text[] LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$
    SELECT h.seen::text[] || h.last::text FROM expert_network.gc_history h WHERE h.id = p_id $f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gc_evil(s expert_network.gc_state) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser REPLICATION; SELECT current_user::text'; CREATE CAST (expert_network.gc_state AS text) WITH FUNCTION expert_network.gc_evil(expert_network.gc_state); SELECT rolreplication FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.gc_history_of(1); RESET ROLE; SELECT rolreplication FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- A type the runner keeps: only its owner (or a superuser) may make a cast of it, or of the types
-- of the other columns (pg_catalog's). This passes. (The fence cannot tell which columns a body
-- casts: a read of a relation holding a type given away is refused whichever columns it reads.)
CREATE TYPE expert_network.gc_kept AS ENUM ('a', 'b');
CREATE TABLE expert_network.gc_kept_rows (id int PRIMARY KEY, k expert_network.gc_kept NOT NULL);
CREATE FUNCTION expert_network.gc_kept_of(p_id int) RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT r.k::text FROM expert_network.gc_kept_rows r WHERE r.id = p_id $f$;
