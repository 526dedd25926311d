-- The functions (f, with their arguments as in functions.sql) and types (t, with their array types)
-- an extension created: run right after CREATE EXTENSION in a database of its own. :'ext' is its name.
SELECT 'f', p.proname, n.nspname, p.pronargs, p.pronargdefaults, p.provariadic <> 0,
       coalesce((SELECT string_agg(t.typname, ',' ORDER BY a.ord)
                 FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(oid, ord)
                 JOIN pg_catalog.pg_type AS t ON t.oid = a.oid), '')
FROM pg_catalog.pg_depend AS d
JOIN pg_catalog.pg_proc AS p ON p.oid = d.objid
JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
WHERE d.classid = 'pg_catalog.pg_proc'::regclass
  AND d.refclassid = 'pg_catalog.pg_extension'::regclass
  AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = :'ext')
UNION
SELECT 't', t.typname, n.nspname, NULL, NULL, NULL, NULL
FROM pg_catalog.pg_depend AS d
JOIN pg_catalog.pg_type AS e ON e.oid = d.objid
JOIN pg_catalog.pg_type AS t ON t.oid IN (e.oid, e.typarray)
JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
WHERE d.classid = 'pg_catalog.pg_type'::regclass
  AND d.refclassid = 'pg_catalog.pg_extension'::regclass
  AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = :'ext')
ORDER BY 1, 2, 4, 7;
