-- Refuse corpus 13: server-side file and program access and outbound connections: COPY to / from
-- a file or PROGRAM, pg_read_file & friends, large-object import / export, adminpack's
-- pg_file_write, dblink. COPY ... TO STDOUT of expert_network data is not file access.

-- refuse: file-access
COPY expert_network.vendor_platforms FROM '/var/lib/postgresql/vendors.csv' WITH (FORMAT csv, HEADER true);
-- refuse: file-access
COPY expert_network.vendor_platforms TO '/tmp/vendors.csv';
-- refuse: file-access
COPY (SELECT * FROM expert_network.experts) TO '/tmp/experts.csv' CSV HEADER;
-- refuse: file-access
COPY expert_network.vendor_platforms FROM PROGRAM 'curl -s https://example.invalid/vendors.csv';
-- refuse: file-access
COPY (SELECT 1) TO PROGRAM 'rm -rf /var/lib/postgresql';
-- refuse: file-access
COPY expert_network.audit_log (action) FROM '/etc/passwd';
-- refuse: file-access
COPY expert_network.audit_log TO PROGRAM 'gzip > /tmp/audit.gz' WITH (FORMAT binary);
-- refuse: file-access
-- refuse: touches-public
COPY public."user" TO '/tmp/users.csv' WITH (FORMAT csv);
-- refuse: file-access
-- refuse: touches-public
COPY public.session FROM PROGRAM 'cat /tmp/sessions.csv';
-- refuse: file-access
SELECT pg_read_file('/etc/passwd');
-- refuse: file-access
SELECT pg_catalog.pg_read_file('postgresql.auto.conf', 0, 1000);
-- refuse: file-access
SELECT pg_read_binary_file('global/pg_control');
-- refuse: file-access
SELECT * FROM pg_ls_dir('.');
-- refuse: file-access
SELECT pg_catalog.pg_ls_dir('pg_wal', true, false);
-- refuse: file-access
SELECT lo_import('/etc/passwd');
-- refuse: file-access
SELECT pg_catalog.lo_import('/etc/shadow', 424242);
-- refuse: file-access
SELECT lo_export(16400, '/tmp/evil.so');
-- refuse: file-access
SELECT pg_file_write('/tmp/x', 'data', false);
-- refuse: file-access
INSERT INTO expert_network.audit_log (action) VALUES (pg_read_file('/etc/hostname'));
-- refuse: file-access
SELECT c.id FROM expert_network.campaigns c WHERE length(pg_read_file('/etc/hostname')) > 0;
-- refuse: file-access
SELECT * FROM dblink('dbname=ragdb', 'DELETE FROM public.session RETURNING 1') AS t (n integer);
-- refuse: file-access
SELECT dblink_connect('other', 'host=127.0.0.1 dbname=ragdb user=postgres');
-- refuse: file-access
SELECT dblink_exec('dbname=ragdb', 'DROP TABLE public.session');
-- refuse: file-access
SELECT pg_stat_file('postgresql.conf');
-- refuse: file-access
SELECT * FROM pg_ls_logdir();
-- refuse: file-access
CREATE FUNCTION expert_network.fa_read() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RETURN pg_read_file('/etc/passwd');
END;
$$;
-- refuse: file-access
CREATE FUNCTION expert_network.fa_copy() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    COPY expert_network.audit_log TO PROGRAM 'nc 127.0.0.1 4444';
END;
$$;
-- refuse: file-access
CREATE FUNCTION expert_network.fa_lo() RETURNS oid LANGUAGE sql AS $$ SELECT lo_import('/etc/shadow') $$;
-- refuse: file-access
CREATE FUNCTION expert_network.fa_atomic() RETURNS text LANGUAGE sql
BEGIN ATOMIC
    SELECT pg_read_file('/etc/passwd');
END;
-- refuse: file-access
DO $$ BEGIN PERFORM dblink_exec('dbname=ragdb', 'TRUNCATE public.session'); END $$;

-- Allowed: COPY of expert_network data to the client.
COPY expert_network.vendor_platforms TO STDOUT;
COPY (SELECT id, name FROM expert_network.vendor_platforms) TO STDOUT WITH (FORMAT csv);
