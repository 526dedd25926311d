-- Refuse corpus 135: what belongs to no schema, the whole database's or the server's: another
-- application's large object, a privilege on a server parameter, a language, a tablespace, and
-- pg_catalog's own functions. The fence refused each by its rule already; on PG 15 the database-side
-- check did not see one of them until it watched large objects, parameters, databases and
-- tablespaces (guard_db.rs: changes_to_what_belongs_to_no_schema_are_refused), so a body the fence
-- cannot see committed each through `up`. Each refused statement is followed by `-- proof:` queries;
-- run on PG 15 as the runner's superuser with `tests/fence/prove.py` (database:
-- demo/public_apps.sql and sql/001-003 applied, placeholders raguser and expert_network_readonly,
-- and another application's large object made first: `SELECT lo_from_bytea(4242, 'another
-- application''s data')`), each printed what its comment says.

-- Reaches: another application's large object is gone; printed 0.
-- refuse: file-access
SELECT pg_catalog.lo_unlink(l.oid) FROM pg_catalog.pg_largeobject_metadata l;
-- proof: SELECT count(*) FROM pg_catalog.pg_largeobject_metadata WHERE oid = 4242

-- Reaches: another application's large object overwritten; printed "Xnother application's data".
-- refuse: file-access
SELECT lo_put(4242, 0, 'X'::bytea);
-- proof: SELECT encode(lo_get(4242), 'escape')

-- Reaches: the application's role reads another application's large object; printed its data.
-- refuse: database-wide
GRANT SELECT, UPDATE ON LARGE OBJECT 4242 TO raguser;
-- proof: SET LOCAL ROLE raguser; SELECT encode(lo_get(4242), 'escape'); RESET ROLE

-- Reaches: the application's role may switch off every table's triggers and foreign keys, public's
-- included (without the grant: "permission denied to set parameter"); printed replica.
-- refuse: database-wide
GRANT SET ON PARAMETER session_replication_role TO raguser;
-- proof: SET LOCAL ROLE raguser; SET LOCAL session_replication_role = replica; SHOW session_replication_role; RESET ROLE

-- Reaches: no role but the superusers may write PL/pgSQL any more, every application's migrations
-- included; printed f.
-- refuse: database-wide
REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC;
-- proof: SELECT has_language_privilege('raguser', 'plpgsql', 'USAGE')

-- Reaches: the cluster's default tablespace, every database's; printed t.
-- refuse: database-wide
GRANT CREATE ON TABLESPACE pg_default TO raguser;
-- proof: SELECT has_tablespace_privilege('raguser', 'pg_default', 'CREATE')

-- Reaches: every application's now(), its defaults included; printed f.
-- refuse: outside-schema
REVOKE EXECUTE ON FUNCTION pg_catalog.now() FROM PUBLIC;
-- proof: SELECT has_function_privilege('raguser', 'pg_catalog.now()', 'EXECUTE')

-- Reaches: pg_catalog's file functions for the application's role; printed t.
-- refuse: outside-schema
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pg_catalog TO raguser;
-- proof: SELECT has_function_privilege('raguser', 'pg_catalog.pg_read_file(text)', 'EXECUTE')
