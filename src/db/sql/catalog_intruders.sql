-- Relations, types and statistics objects in pg_catalog that initdb did not make (oids from FirstNormalObjectId, 16384,
-- on): a superuser's `CREATE TYPE pg_catalog.x`, or a relation moved in by `ALTER ... SET SCHEMA
-- pg_catalog` (PG 15 allows both without allow_system_table_mods). The fence resolves unqualified
-- names as if pg_catalog held only the server's own; under the pinned path such an object is what an
-- unqualified name finds while expert_network has none of that name. Functions and operators too: the
-- fence takes an unqualified call of `lower` or `=` for the built-in, where a `pg_catalog.lower(varchar)`
-- a superuser made would take a varchar argument first. Not an extension's members (adminpack installs
-- into pg_catalog): the fence knows a function by its name and schema, and refuses those it does not
-- know. At most 20 rows, for the message.
SELECT what FROM (
    SELECT 'relation pg_catalog.' || pg_catalog.quote_ident(c.relname) AS what, c.oid
    FROM pg_catalog.pg_class c
    WHERE c.relnamespace = 'pg_catalog'::pg_catalog.regnamespace AND c.oid >= 16384
    UNION ALL
    SELECT 'type pg_catalog.' || pg_catalog.quote_ident(t.typname), t.oid
    FROM pg_catalog.pg_type t
    WHERE t.typnamespace = 'pg_catalog'::pg_catalog.regnamespace AND t.oid >= 16384 AND t.typrelid = 0
      -- An array type comes with its element type or relation, which is listed already.
      AND NOT (t.typcategory = 'A' AND t.typelem <> 0)
    UNION ALL
    -- initdb makes no statistics object: the fence takes one named unqualified by DROP, ALTER or
    -- COMMENT for expert_network's (pg_temp is never searched for them).
    SELECT 'statistics object pg_catalog.' || pg_catalog.quote_ident(s.stxname), s.oid
    FROM pg_catalog.pg_statistic_ext s
    WHERE s.stxnamespace = 'pg_catalog'::pg_catalog.regnamespace AND s.oid >= 16384
    UNION ALL
    SELECT f.what, f.oid
    FROM (
        SELECT 'function ' || p.oid::pg_catalog.regprocedure::text, p.oid, 'pg_catalog.pg_proc'::pg_catalog.regclass
        FROM pg_catalog.pg_proc p
        WHERE p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace AND p.oid >= 16384
        UNION ALL
        SELECT 'operator ' || o.oid::pg_catalog.regoperator::text, o.oid, 'pg_catalog.pg_operator'::pg_catalog.regclass
        FROM pg_catalog.pg_operator o
        WHERE o.oprnamespace = 'pg_catalog'::pg_catalog.regnamespace AND o.oid >= 16384
    ) AS f(what, oid, classid)
    WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                      WHERE d.classid = f.classid AND d.objid = f.oid AND d.deptype = 'e')
) AS found
ORDER BY oid
LIMIT 20
