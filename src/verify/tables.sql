SELECT schemaname::text, tablename::text
FROM pg_catalog.pg_tables
WHERE schemaname IN ('public', 'expert_network')
ORDER BY schemaname, tablename
