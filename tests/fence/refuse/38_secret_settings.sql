-- Refuse corpus 38 (issue 11, class 7): the server's secrets read through settings. PostgreSQL shows
-- the settings that hold commands, file paths and connection strings (a standby's primary_conninfo
-- carries its replication password) only to superusers and pg_read_all_settings; a migration run as
-- a superuser can copy them into expert_network, where the application reads. The list of such
-- settings is generated from PG 13..18 (scripts/gen-known/settings.sql). Proven on PG 15 as a
-- superuser: each read returned the server's value (data_directory, hba_file, config_file); as a
-- role without pg_read_all_settings each one fails with "must be superuser or have privileges of
-- pg_read_all_settings".

CREATE TABLE expert_network.leaked (v text);

-- Reaches: the standby's connection string, password included, copied into expert_network.
-- refuse: catalog-data
INSERT INTO expert_network.leaked SELECT current_setting('primary_conninfo');

-- Reaches: the server's data directory, qualified and with missing_ok.
-- refuse: catalog-data
INSERT INTO expert_network.leaked SELECT pg_catalog.current_setting('data_directory', true);

-- Reaches: the same setting named by a computed text.
-- refuse: dynamic-name
INSERT INTO expert_network.leaked SELECT pg_catalog.current_setting('hba' || '_file');

-- Reaches: every setting's value, the secret ones included, through the view.
-- refuse: catalog-data
INSERT INTO expert_network.leaked SELECT setting FROM pg_catalog.pg_settings WHERE name = 'config_file';

-- Reaches: the same through the function behind the view.
-- refuse: catalog-data
INSERT INTO expert_network.leaked SELECT setting FROM pg_catalog.pg_show_all_settings() WHERE name = 'ssl_passphrase_command';

-- Reaches: SHOW of a secret setting, and SHOW ALL, which lists them.
-- refuse: catalog-data
SHOW primary_conninfo;
-- refuse: catalog-data
SHOW ALL;
