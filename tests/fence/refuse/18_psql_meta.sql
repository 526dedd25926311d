-- Refuse corpus 18: psql backslash commands. en-migrate sends SQL to the server; a backslash
-- command would be a syntax error there, or (run through psql) include other files, change
-- connection, run shell commands or generate SQL the fence never saw.

-- refuse: psql-meta-command
\i other.sql
-- refuse: psql-meta-command
\ir ../../sql/001_create_expert_network_schema.sql
-- refuse: psql-meta-command
\include /tmp/evil.sql
-- refuse: psql-meta-command
\set ON_ERROR_STOP off
-- refuse: psql-meta-command
\unset ON_ERROR_STOP
-- refuse: psql-meta-command
\c postgres
-- refuse: psql-meta-command
\connect ragdb postgres
-- refuse: psql-meta-command
\copy public."user" to '/tmp/users.csv' csv
-- refuse: psql-meta-command
\copy expert_network.vendor_platforms from 'vendors.csv' with (format csv)
-- refuse: psql-meta-command
\! rm -rf /var/lib/postgresql
-- refuse: psql-meta-command
\o /tmp/out.txt
-- refuse: psql-meta-command
\setenv PGOPTIONS '-c search_path=public'
-- refuse: psql-meta-command
\echo creating tables
-- refuse: psql-meta-command
\if :is_prod
-- refuse: psql-meta-command
\endif
-- refuse: psql-meta-command
    \i indented.sql
SELECT format('TRUNCATE public.%I;', tablename) FROM pg_catalog.pg_tables WHERE schemaname = 'public';
-- refuse: psql-meta-command
\gexec
-- refuse: psql-meta-command
SELECT format('DROP TABLE public.%I CASCADE', tablename) FROM pg_catalog.pg_tables WHERE schemaname = 'public' \gexec
-- refuse: psql-meta-command
SELECT current_user AS me \gset
SELECT 1;
-- refuse: psql-meta-command
\i after_a_statement.sql

-- Allowed: backslashes inside literals and dollar-quoted text are not psql commands.
COMMENT ON TABLE expert_network.campaigns IS $doc$
\i this line is text inside a dollar-quoted literal, not a psql command
$doc$;
SELECT 'C:\tmp\i.sql' AS windows_path;
SELECT E'\\i not a command' AS escaped;
