-- Every setting the server knows before any library is loaded: name, context, category, type.
SELECT name, context, category, vartype
FROM pg_catalog.pg_settings
ORDER BY 1;
