SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = pg_catalog.to_regclass('{tracker}') AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
