-- Refuse corpus 64: a SECURITY DEFINER function where the migrations give schema expert_network
-- itself to another role (`ALTER SCHEMA ... OWNER TO`, `CREATE SCHEMA ... AUTHORIZATION`). A
-- schema's owner may drop every object in it, whoever owns that object, and make another of the
-- same name: each function, table or view a definer's body names may then be that role's, and runs
-- with the definer's owner's rights (the runner's superuser). The refused statement is followed by
-- a `-- proof:` query; run on PG 15 as the runner's superuser with `tests/fence/prove.py`
-- (database: demo/public_apps.sql and sql/001-003 applied, placeholders raguser and
-- expert_network_readonly), the proof printed what the comment above it says (raguser's attribute
-- false, then true). Found by a hunt: before, this file passed `check` and `up` applied it (exit 0;
-- nothing outside expert_network changed, so the guard sees nothing); then as raguser `DROP
-- FUNCTION expert_network.so_count()`, `CREATE FUNCTION expert_network.so_count() ... 'ALTER ROLE
-- raguser CREATEROLE; ...'` and `SELECT expert_network.so_stats()` gave raguser CREATEROLE, although
-- no grant of the migrations lets it touch so_items or so_count.

CREATE TABLE expert_network.so_items (v text);

REVOKE ALL ON expert_network.so_items FROM raguser;

CREATE FUNCTION expert_network.so_count() RETURNS bigint LANGUAGE sql
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.count(*) FROM expert_network.so_items $f$;

ALTER SCHEMA expert_network OWNER TO raguser;

-- Reaches: raguser gets CREATEROLE: as the schema's owner it drops so_count and makes its own.
-- refuse: ownership
CREATE FUNCTION expert_network.so_stats() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT expert_network.so_count() $f$;
-- proof: SET LOCAL ROLE raguser; DROP FUNCTION expert_network.so_count() CASCADE; CREATE FUNCTION expert_network.so_count() RETURNS bigint LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT 1::bigint'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.so_stats(); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Allowed: a BEGIN ATOMIC body depends on what it names, which the schema's owner can drop only
-- with it (PG 15: DROP TABLE expert_network.so_items as raguser needs CASCADE, which drops so_atomic).
CREATE FUNCTION expert_network.so_atomic() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT pg_catalog.count(*) FROM expert_network.so_items;
END;

ALTER SCHEMA expert_network OWNER TO CURRENT_USER;
