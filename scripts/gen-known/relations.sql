-- Every table, view, materialized view and foreign table of pg_catalog and information_schema.
SELECT n.nspname, c.relname, c.relkind
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname IN ('pg_catalog', 'information_schema')
  AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
ORDER BY 1, 2;
