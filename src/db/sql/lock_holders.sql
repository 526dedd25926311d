SELECT l.pid, coalesce(a.state, '?'),
       pg_catalog.left(pg_catalog.regexp_replace(coalesce(a.query, ''), '\s+', ' ', 'g'), 120),
       pg_catalog.string_agg(DISTINCT l.relation::pg_catalog.regclass::text, ', '),
       pg_catalog.string_agg(DISTINCT l.mode, ', ')
FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
WHERE l.granted AND l.pid <> pg_catalog.pg_backend_pid()
  AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())
  AND l.relation IN (
    SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'expert_network' AND c.relkind IN ('r', 'p', 'm', 'v', 'f', 'S'))
GROUP BY l.pid, a.state, a.query
ORDER BY l.pid
LIMIT 10
