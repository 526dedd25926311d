WITH ns AS (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public'),
     t AS (SELECT pg_catalog.to_regclass('{tracker}') AS oid),
     ours(name) AS (VALUES ('en_migrate'), ('{tracker_name}_'))
SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
         WHEN 'S' THEN 'sequence' WHEN 'i' THEN 'index' WHEN 'I' THEN 'index' WHEN 'f' THEN 'foreign table' ELSE 'relation' END,
       'public.' || c.relname
FROM pg_catalog.pg_class c WHERE c.relnamespace = (SELECT oid FROM ns)
  AND EXISTS (SELECT 1 FROM ours WHERE pg_catalog.starts_with(pg_catalog.lower(c.relname::text), ours.name))
  AND c.oid IS DISTINCT FROM (SELECT oid FROM t)
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indexrelid = c.oid AND i.indrelid = (SELECT oid FROM t))
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
    AND d.objid = c.oid AND d.refobjid = (SELECT oid FROM t) AND d.deptype IN ('a', 'i'))
UNION ALL
SELECT 'function', 'public.' || p.proname FROM pg_catalog.pg_proc p WHERE p.pronamespace = (SELECT oid FROM ns)
  AND EXISTS (SELECT 1 FROM ours WHERE pg_catalog.starts_with(pg_catalog.lower(p.proname::text), ours.name))
UNION ALL
SELECT 'type', 'public.' || y.typname FROM pg_catalog.pg_type y WHERE y.typnamespace = (SELECT oid FROM ns) AND y.typrelid = 0
  AND EXISTS (SELECT 1 FROM ours WHERE pg_catalog.starts_with(pg_catalog.lower(y.typname::text), ours.name))
ORDER BY 2, 1
