-- Every function in pg_catalog: name, argument count, defaults, variadic, argument type names,
-- return type, set-returning, volatility, kind (f function, a aggregate, w window, p procedure).
SELECT p.proname,
       p.pronargs,
       p.pronargdefaults,
       p.provariadic <> 0,
       coalesce((SELECT string_agg(t.typname, ',' ORDER BY a.ord)
                 FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(oid, ord)
                 JOIN pg_catalog.pg_type AS t ON t.oid = a.oid), ''),
       p.prorettype::regtype::text,
       p.proretset,
       p.provolatile,
       p.prokind
FROM pg_catalog.pg_proc AS p
WHERE p.pronamespace = 'pg_catalog'::regnamespace
ORDER BY 1, 2, 5;
