SELECT pg_catalog.current_setting('server_version_num'),
       pg_catalog.pg_is_in_recovery()::text,
       pg_catalog.current_setting('default_transaction_read_only'),
       pg_catalog.host(pg_catalog.inet_client_addr()),
       pg_catalog.inet_client_port()::text,
       pg_catalog.pg_backend_pid()::text,
       SESSION_USER::text,
       pg_catalog.host(pg_catalog.inet_server_addr()),
       pg_catalog.inet_server_port()::text
