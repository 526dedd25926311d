-- Refuse corpus 50: a FOR UPDATE / FOR SHARE of a view locks rows in every relation its FROM reads,
-- through joins and LATERAL subqueries, not only in an auto-updatable view's single base; a LOCK of a
-- view locks every relation its query names. A view of
-- expert_network that joins a catalog is a plain read (the CREATE VIEWs pass); locking through it
-- locks the catalog's rows, which stalls other applications' DDL on their own tables until the
-- migration commits (corpus 34 refuses the same lock written on the catalog itself). Each refused
-- statement is followed by a `-- proof:` query; run on PG 15 as the runner's superuser with
-- `tests/fence/prove.py`, with the pgrowlocks extension installed in public to see the locks
-- (`CREATE EXTENSION pgrowlocks SCHEMA public` in the proof database), each proof printed 2: the
-- pg_class rows of public."user" and public.session locked (the LOCK cases: the lock on pg_class).
-- Found by a hunt: before, every statement below passed `check` and applied through `up` (a row lock
-- changes no catalog row the guard counts).

CREATE TABLE expert_network.rl_watch (id int, relname name);

INSERT INTO expert_network.rl_watch VALUES (1, 'session'), (2, 'user');

CREATE VIEW expert_network.rl_joined AS
    SELECT w.id, c.relname, c.relkind FROM expert_network.rl_watch AS w JOIN pg_catalog.pg_class AS c ON c.relname = w.relname;

CREATE VIEW expert_network.rl_lateral AS
    SELECT w.id, x.relname FROM expert_network.rl_watch AS w,
        LATERAL (SELECT c.relname FROM pg_catalog.pg_class AS c WHERE c.relname = w.relname) AS x;

CREATE VIEW expert_network.rl_nested AS SELECT j.id, j.relname FROM expert_network.rl_joined AS j;

-- Reaches: row locks on pg_catalog.pg_class, through a join view.
-- refuse: outside-schema
SELECT j.id FROM expert_network.rl_joined AS j FOR UPDATE;
-- proof: SELECT count(*) FROM public.pgrowlocks('pg_catalog.pg_class')

-- Reaches: the same through a LATERAL subquery of the view, FOR SHARE.
-- refuse: outside-schema
SELECT l.id FROM expert_network.rl_lateral AS l FOR SHARE;
-- proof: SELECT count(*) FROM public.pgrowlocks('pg_catalog.pg_class')

-- Reaches: the same through a view over the join view, named in OF.
-- refuse: outside-schema
SELECT n.id FROM expert_network.rl_nested AS n FOR NO KEY UPDATE OF n;
-- proof: SELECT count(*) FROM public.pgrowlocks('pg_catalog.pg_class')

-- Reaches: the same from PL/pgSQL's query loop.
-- refuse: outside-schema
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT j.id FROM expert_network.rl_joined AS j FOR KEY SHARE LOOP
        NULL;
    END LOOP;
END
$$;
-- proof: SELECT count(*) FROM public.pgrowlocks('pg_catalog.pg_class')

CREATE VIEW expert_network.rl_filtered AS
    SELECT w.id FROM expert_network.rl_watch AS w WHERE w.relname IN (SELECT c.relname FROM pg_catalog.pg_class AS c);

-- Reaches: ACCESS EXCLUSIVE on pg_catalog.pg_class, which stops every other session's queries until
-- the migration commits: LOCK of a view locks every relation its query names, a subquery of WHERE
-- included (FOR UPDATE locks only FROM's).
-- refuse: outside-schema
LOCK TABLE expert_network.rl_filtered IN ACCESS EXCLUSIVE MODE;
-- proof: SELECT l.mode FROM pg_catalog.pg_locks AS l WHERE l.pid = pg_catalog.pg_backend_pid() AND l.relation = 'pg_catalog.pg_class'::pg_catalog.regclass AND l.mode = 'AccessExclusiveLock'

-- Reaches: SHARE on pg_catalog.pg_class, every application's DDL stalled, through a join view.
-- refuse: outside-schema
LOCK expert_network.rl_joined IN SHARE MODE;
-- proof: SELECT l.mode FROM pg_catalog.pg_locks AS l WHERE l.pid = pg_catalog.pg_backend_pid() AND l.relation = 'pg_catalog.pg_class'::pg_catalog.regclass AND l.mode = 'ShareLock'

-- A lock of the view's own expert_network rows only, a catalog read only in a subquery of WHERE (the
-- server locks FROM's rows), and UPDATE ... FROM the view (its other relations are read) lock no
-- catalog row (PG 15: pgrowlocks shows none).
SELECT j.id FROM expert_network.rl_joined AS j, expert_network.rl_watch AS w WHERE w.id = j.id FOR UPDATE OF w;

UPDATE expert_network.rl_watch AS w SET id = w.id FROM expert_network.rl_joined AS j WHERE j.id = w.id;
