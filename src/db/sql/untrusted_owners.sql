-- What in expert_network a migration may run, or find by name ahead of pg_catalog, that a role other
-- than the migrations' own can change: functions, operators, types and relations that role owns, and
-- triggers on the schema's tables whose function it owns, or that call in their WHEN a function or
-- operator it owns (in any schema: a WHEN is stored with the trigger, and runs as whoever writes the
-- table; PG 15: the application's trigger WHEN (rag.ev()) read pg_authid during `up`). {trusted} are
-- the roles migrations run as; superusers are trusted too. At most 20 rows, for the message.
WITH en AS (
    SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = 'expert_network'
), found(what, owner) AS (
    SELECT 'function ' || p.oid::pg_catalog.regprocedure::text, p.proowner
    FROM pg_catalog.pg_proc p JOIN en ON p.pronamespace = en.oid
    UNION ALL
    SELECT 'operator ' || o.oid::pg_catalog.regoperator::text, o.oprowner
    FROM pg_catalog.pg_operator o JOIN en ON o.oprnamespace = en.oid
    UNION ALL
    SELECT 'type ' || t.oid::pg_catalog.regtype::text, t.typowner
    FROM pg_catalog.pg_type t JOIN en ON t.typnamespace = en.oid
    WHERE t.typrelid = 0 AND t.typelem = 0
    UNION ALL
    -- A composite type is a relation too ('c'): its name shadows pg_catalog's types for a migration's
    -- unqualified `text`, and its owner's casts to it run on the migration's writes (PG 15: raguser's
    -- `expert_network.text AS (...)` took the column of `CREATE TABLE ... (body text)`, and its
    -- assignment cast from text copied pg_authid on the INSERT that followed).
    SELECT CASE c.relkind WHEN 'c' THEN 'type ' ELSE 'relation ' END || c.oid::pg_catalog.regclass::text,
           c.relowner
    FROM pg_catalog.pg_class c JOIN en ON c.relnamespace = en.oid
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
    UNION ALL
    SELECT 'trigger ' || g.tgname || ' on ' || g.tgrelid::pg_catalog.regclass::text
           || ', which runs ' || g.tgfoid::pg_catalog.regprocedure::text, p.proowner
    FROM pg_catalog.pg_trigger g
    JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid
    JOIN en ON c.relnamespace = en.oid
    JOIN pg_catalog.pg_proc p ON p.oid = g.tgfoid
    WHERE NOT g.tgisinternal
    UNION ALL
    SELECT 'trigger ' || g.tgname || ' on ' || g.tgrelid::pg_catalog.regclass::text
           || ', whose WHEN calls ' || coalesce(p.oid::pg_catalog.regprocedure::text,
                                                 o.oid::pg_catalog.regoperator::text),
           coalesce(p.proowner, o.oprowner)
    FROM pg_catalog.pg_trigger g
    JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid
    JOIN en ON c.relnamespace = en.oid
    JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass
                                AND d.objid = g.oid
    LEFT JOIN pg_catalog.pg_proc p ON d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                                   AND p.oid = d.refobjid AND p.oid <> g.tgfoid
    LEFT JOIN pg_catalog.pg_operator o ON d.refclassid = 'pg_catalog.pg_operator'::pg_catalog.regclass
                                       AND o.oid = d.refobjid
    WHERE NOT g.tgisinternal AND (p.oid IS NOT NULL OR o.oid IS NOT NULL)
)
SELECT f.what || ' (owner ' || r.rolname || ')'
FROM found f JOIN pg_catalog.pg_roles r ON r.oid = f.owner
WHERE NOT r.rolsuper AND r.rolname <> ALL ({trusted})
ORDER BY 1
LIMIT 20
