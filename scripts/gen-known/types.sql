-- Every type of pg_catalog (base, array, pseudo, domain, the catalogs' row types).
SELECT t.typname
FROM pg_catalog.pg_type AS t
WHERE t.typnamespace = 'pg_catalog'::regnamespace
ORDER BY 1;
