-- lint --live: the table a statement locks (:rel names a table, or an index standing for its table),
-- its planner row estimate, its size with indexes and TOAST, and how many other client sessions
-- (autovacuum is not a user) hold or wait for a lock on it now. No row when the relation does not
-- exist (yet). Catalogs only, from the statistics of the last VACUUM/ANALYZE: pg_total_relation_size
-- would wait behind the very lock holders it is asked to report.
WITH rel AS (
    SELECT coalesce(
        (SELECT i.indrelid FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass(:rel)),
        pg_catalog.to_regclass(:rel)::pg_catalog.oid
    ) AS oid
)
-- The name is spelled qualified whatever the search_path (a regclass would drop a schema on it).
SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname),
       c.reltuples::bigint::text,
       (SELECT sum(r.relpages)::bigint * pg_catalog.current_setting('block_size')::bigint
          FROM pg_catalog.pg_class r
         WHERE r.oid IN (c.oid, c.reltoastrelid)
            OR r.oid IN (SELECT x.indexrelid FROM pg_catalog.pg_index x WHERE x.indrelid = c.oid))::text,
       (SELECT count(DISTINCT l.pid) FROM pg_catalog.pg_locks l
          JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid AND a.backend_type = 'client backend'
         WHERE l.relation = c.oid AND l.pid <> pg_catalog.pg_backend_pid())::text
  FROM rel JOIN pg_catalog.pg_class c ON c.oid = rel.oid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
