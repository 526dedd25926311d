-- Refuse corpus 32 (issue 11, class 5): extensions installed into expert_network whose functions reach
-- anywhere. Proven with psql on PG 15 (contrib): after each CREATE EXTENSION the named call reads or
-- writes outside expert_network.

-- dblink('dbname=ragdb', 'DELETE FROM public.session') runs any SQL over a new connection.
-- refuse: database-wide
CREATE EXTENSION dblink SCHEMA expert_network;
-- crosstab('SELECT ... FROM public."user"') runs query text.
-- refuse: database-wide
CREATE EXTENSION tablefunc SCHEMA expert_network;
-- get_raw_page('public.user', 0) reads any relation's pages, password hashes included.
-- refuse: database-wide
CREATE EXTENSION IF NOT EXISTS pageinspect WITH SCHEMA expert_network;
-- heap_force_kill('public.session'::regclass, ...) destroys other applications' rows.
-- refuse: database-wide
CREATE EXTENSION pg_surgery SCHEMA expert_network;
-- check_foreign_key() triggers write relations named in trigger arguments.
-- refuse: database-wide
CREATE EXTENSION refint SCHEMA expert_network;
-- refuse: database-wide
CREATE EXTENSION "postgres_fdw" SCHEMA expert_network;
-- refuse: database-wide
CREATE EXTENSION pgstattuple SCHEMA expert_network;
-- refuse: database-wide
CREATE EXTENSION pg_buffercache SCHEMA expert_network;
-- refuse: database-wide
CREATE EXTENSION pg_stat_statements SCHEMA expert_network;
-- xpath_table() runs query text.
-- refuse: database-wide
CREATE EXTENSION xml2 SCHEMA expert_network;
-- refuse: database-wide
CREATE EXTENSION lo SCHEMA expert_network;

-- The functions of a refused extension someone else installed are unknown to the fence.
-- refuse: unknown-function
SELECT * FROM expert_network.crosstab('SELECT rolname, 1, 2 FROM pg_catalog.pg_authid') AS t(a name, b int);
