-- Refuse corpus 28 (issue 11, class 1): a write target never resolves to a CTE. PostgreSQL looks an
-- INSERT/UPDATE/DELETE/MERGE target up in the catalogs only, so under the pinned search_path
-- (expert_network, pg_catalog, pg_temp) an unqualified target with a catalog's name lands in
-- pg_catalog even when a CTE of that name is in scope. Proven with psql as the migration runner's
-- superuser on PG 15: each statement below changes pg_catalog (rolled back).

-- Reaches: pg_catalog.pg_authid, the role raguser becomes SUPERUSER.
-- refuse: outside-schema
WITH pg_authid AS (SELECT 1 AS x)
UPDATE pg_authid SET rolsuper = true WHERE rolname = 'raguser';

-- Reaches: pg_catalog.pg_authid, BYPASSRLS, with the CTE quoted.
-- refuse: outside-schema
WITH "pg_authid" AS (SELECT 'raguser'::name AS rolname)
UPDATE "pg_authid" SET rolbypassrls = true WHERE rolname IN (SELECT rolname FROM "pg_authid");

-- Reaches: pg_catalog.pg_description, other applications' comments deleted.
-- refuse: outside-schema
WITH pg_description AS (SELECT 0::oid AS objoid)
DELETE FROM pg_description WHERE objoid <> 0;

-- Reaches: pg_catalog.pg_db_role_setting, a search_path including public for every later session.
-- refuse: outside-schema
WITH RECURSIVE pg_db_role_setting(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM pg_db_role_setting WHERE n < 2)
INSERT INTO pg_db_role_setting (setdatabase, setrole, setconfig)
SELECT 0, r.oid, ARRAY['search_path=public'] FROM pg_catalog.pg_roles AS r WHERE r.rolname = 'raguser';

-- Reaches: pg_catalog.pg_authid, a CTE in a subquery's scope and the write in a data-modifying CTE.
-- refuse: outside-schema
WITH pg_authid AS (SELECT 1),
     changed AS (UPDATE pg_authid SET rolcreaterole = true WHERE rolname = 'raguser' RETURNING 1)
SELECT count(*) FROM changed;

-- Reaches: pg_catalog.pg_authid through MERGE (PG 15+).
-- refuse: outside-schema
WITH pg_authid AS (SELECT 'raguser'::name AS rolname)
MERGE INTO pg_authid AS a
USING (SELECT 'raguser'::name AS rolname) AS s ON a.rolname = s.rolname
WHEN MATCHED THEN UPDATE SET rolreplication = true;

-- Reaches: pg_catalog.pg_authid from a function body; the CTE has the target's name.
-- refuse: outside-schema
CREATE FUNCTION expert_network.promote_app() RETURNS void
LANGUAGE sql AS $$
    WITH pg_authid AS (SELECT 1)
    UPDATE pg_authid SET rolsuper = true WHERE rolname = 'raguser'
$$;

-- Reaches: pg_catalog.pg_authid from a DO block.
-- refuse: outside-schema
DO $$
BEGIN
    WITH pg_authid AS (SELECT 1)
    UPDATE pg_authid SET rolsuper = true WHERE rolname = 'raguser';
END
$$;

-- Reaches: pg_catalog.pg_authid, the CTE spelt MATERIALIZED and the target ONLY.
-- refuse: outside-schema
WITH pg_authid AS MATERIALIZED (SELECT 1)
UPDATE ONLY pg_authid SET rolcreaterole = true WHERE rolname = 'raguser';

-- Reaches: pg_catalog.pg_authid, aliased, with UPDATE ... FROM.
-- refuse: outside-schema
WITH pg_authid AS (SELECT 'raguser'::name AS n)
UPDATE pg_authid AS a SET rolbypassrls = true FROM (SELECT 'raguser'::name AS n) AS s WHERE a.rolname = s.n;

-- Reaches: pg_catalog.pg_largeobject_metadata, every application's large objects orphaned.
-- refuse: outside-schema
WITH pg_largeobject_metadata AS (SELECT 0::oid AS oid)
DELETE FROM pg_largeobject_metadata WHERE oid NOT IN (SELECT oid FROM pg_largeobject_metadata);

-- Reaches: pg_catalog.pg_description, with the CTE named in RETURNING's scope.
-- refuse: outside-schema
WITH pg_description AS (SELECT 1 AS n)
INSERT INTO pg_description (objoid, classoid, objsubid, description)
SELECT c.oid, 'pg_catalog.pg_class'::regclass, 0, 'owned by expert_network now'
FROM pg_catalog.pg_class AS c WHERE c.relname = 'user'
RETURNING objoid;

-- Reaches: pg_catalog.pg_class without any CTE: an unqualified name the migrations never created
-- resolves to pg_catalog (the hint must say pg_catalog.pg_class, not expert_network.pg_class).
-- refuse: outside-schema
UPDATE pg_class SET relname = 'user_old' WHERE relname = 'user' AND relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace AS n WHERE n.nspname = 'public');
