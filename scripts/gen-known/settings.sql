-- Every setting the server knows before any library is loaded: name, context, category, type, and
-- whether a role without pg_read_all_settings is kept from reading it (GUC_SUPERUSER_ONLY: the
-- settings that hold commands, file paths and connection strings, passwords included).
CREATE ROLE gen_known_nobody NOLOGIN;
SET ROLE gen_known_nobody;
CREATE TEMPORARY TABLE visible AS SELECT name FROM pg_catalog.pg_settings;
RESET ROLE;
SELECT s.name, s.context, s.category, s.vartype, (v.name IS NULL)::text
FROM pg_catalog.pg_settings s LEFT JOIN visible v USING (name)
ORDER BY 1;
DROP TABLE visible;
DROP ROLE gen_known_nobody;
