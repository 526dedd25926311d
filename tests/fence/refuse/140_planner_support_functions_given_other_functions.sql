-- Refuse corpus 140: `SUPPORT f` on CREATE or ALTER FUNCTION. The planner hands a support function
-- (a built-in's C function of `internal`; the server lets only a superuser name one, and the
-- runner is one) the calls of the function it supports, and the support function reads their
-- arguments as the types of the function it was written for: given another function's, it reads
-- a value of one type as another's. Run on PG 15 as the runner's superuser (demo/public_apps.sql
-- and sql/001-003 applied, pinned search_path): each statement was taken, and the call its
-- comment names ended with "server closed the connection unexpectedly" and, in the server's log,
-- "server process ... was terminated by signal 11: Segmentation fault", "terminating any other
-- active server processes": every application's session cut off, crash recovery run. The proofs
-- (`tests/fence/prove.py`) print the support function the server recorded, never the call.

-- Reaches: the server. `SELECT * FROM expert_network.sp_rows(123456789)`: array_unnest_support
-- estimated the rows from the constant as if it were unnest's array, reading 123456789 as a
-- pointer, and crashed the server (signal 11).
-- refuse: database-wide
CREATE FUNCTION expert_network.sp_rows(n int8) RETURNS SETOF int LANGUAGE plpgsql SUPPORT pg_catalog.array_unnest_support AS $$ BEGIN RETURN; END $$;
-- proof: SELECT prosupport::text FROM pg_proc WHERE oid = 'expert_network.sp_rows'::regproc

CREATE FUNCTION expert_network.sp_pages(n int8) RETURNS SETOF int LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$;

-- Reaches: the server, as above: `SELECT * FROM expert_network.sp_pages(987654321)` crashed it
-- (signal 11) once ALTER FUNCTION had given it the same support function.
-- refuse: database-wide
ALTER FUNCTION expert_network.sp_pages(int8) SUPPORT pg_catalog.array_unnest_support;
-- proof: SELECT prosupport::text FROM pg_proc WHERE oid = 'expert_network.sp_pages'::regproc
