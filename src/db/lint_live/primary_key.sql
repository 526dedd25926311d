-- lint --live: the primary key columns of :rel, in key order, for a bare `REFERENCES :rel`.
SELECT a.attname::text
  FROM pg_catalog.pg_index i
 CROSS JOIN LATERAL pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY AS k(attnum, n)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
 WHERE i.indrelid = pg_catalog.to_regclass(:rel) AND i.indisprimary
 ORDER BY k.n
