-- Foreign keys of another schema's tables (public's, another application's, a session's temporary
-- ones) that reference a table of expert_network and act on it: ON UPDATE or ON DELETE CASCADE, SET
-- NULL or SET DEFAULT write their own rows when expert_network's referenced rows change. A DO block
-- of a no-transaction file that commits runs with no database-side check around it (notx.rs), and
-- such a key would carry its writes outside unseen. At most 20, for the message.
SELECT pg_catalog.format('%s on %s (ON UPDATE %s, ON DELETE %s)', k.conname, k.conrelid::pg_catalog.regclass,
           CASE k.confupdtype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' ELSE 'NO ACTION' END,
           CASE k.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' ELSE 'NO ACTION' END)
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class r ON r.oid = k.confrelid
JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
JOIN pg_catalog.pg_class s ON s.oid = k.conrelid
WHERE k.contype = 'f'
  AND rn.nspname = 'expert_network'
  AND s.relnamespace <> r.relnamespace
  AND (k.confupdtype NOT IN ('a', 'r') OR k.confdeltype NOT IN ('a', 'r'))
ORDER BY 1
LIMIT 20
