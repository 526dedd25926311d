-- Pass corpus 195: Authelia's V0007.ConsistencyFixes (authelia/authelia
-- internal/storage/migrations/postgres/V0007.ConsistencyFixes.up.sql, commit
-- 6dc2940cccc1a887b17382692256b0346d8cff6f): `DROP TABLE IF EXISTS` of thirteen tables of older
-- schemas by bare, partly mixed-case names (`AuthenticationLogs`, `_bkp_UP_V0002_u2f_devices`) that no
-- migration here makes; `ALTER COLUMN ... DROP NOT NULL` and an UPDATE; then, for each table, `ALTER
-- TABLE ... DROP CONSTRAINT IF EXISTS` of the unique constraints earlier schemas may have made (the
-- `_key`, `_key1`, `_pkey1` names the server picks), `DROP INDEX IF EXISTS` of the same names (the
-- constraint's index, or an index a plain CREATE UNIQUE INDEX made), and `CREATE UNIQUE INDEX`
-- under the name again; and the OAuth 2 keys dropped and made again with `ON UPDATE CASCADE ON
-- DELETE RESTRICT` or `CASCADE`. Before it, the tables it fixes, written here as V0001 to V0006
-- leave them (cut to the columns used; unnamed UNIQUE constraints on the columns V0007 re-indexes,
-- so the server names their indexes `<table>_<column>_key`, the names it drops). Re-homed as an
-- operator adopting en-migrate would: `SET search_path TO expert_network` for the schema Authelia's
-- connection names, and the tables of both schemas, with their constraints and indexes, prefixed au_
-- (the thirteen legacy names left bare: none exists).
-- PostgreSQL 15 applied it with psql; read back: pg_indexes shows au_duo_devices_username_key,
-- au_encryption_name_key and au_totp_configurations_username_key made again and
-- au_webauthn_devices' kid and lookup keys (its primary key dropped, as V0007 drops it),
-- pg_constraint the access-token keys with confupdtype 'c' and confdeltype 'c' and 'r', and the
-- zeroed aaguid NULL.
SET search_path TO expert_network;

-- The tables V0007 fixes, as V0001.Initial_Schema and V0002-V0006 left them (cut to the columns used).
CREATE TABLE au_user_opaque_identifier (
    id SERIAL CONSTRAINT au_user_opaque_identifier_pkey PRIMARY KEY,
    service VARCHAR(20) NOT NULL,
    sector_id VARCHAR(255) NOT NULL,
    username VARCHAR(100) NOT NULL,
    identifier CHAR(36) NOT NULL
);
CREATE UNIQUE INDEX au_user_opaque_identifier_service_sector_id_username_key ON au_user_opaque_identifier (service, sector_id, username);
CREATE UNIQUE INDEX au_user_opaque_identifier_identifier_key ON au_user_opaque_identifier (identifier);
CREATE TABLE au_duo_devices (
    id SERIAL CONSTRAINT au_duo_devices_pkey PRIMARY KEY,
    username VARCHAR(100) UNIQUE NOT NULL,
    device VARCHAR(32) NOT NULL,
    method VARCHAR(16) NOT NULL
);
CREATE TABLE au_encryption (
    id SERIAL CONSTRAINT au_encryption_pkey PRIMARY KEY,
    name VARCHAR(100) UNIQUE NOT NULL,
    value BYTEA NOT NULL
);
CREATE TABLE au_totp_configurations (
    id SERIAL CONSTRAINT au_totp_configurations_pkey PRIMARY KEY,
    username VARCHAR(100) UNIQUE NOT NULL,
    secret BYTEA NOT NULL
);
CREATE TABLE au_webauthn_devices (
    id SERIAL CONSTRAINT au_webauthn_devices_pkey PRIMARY KEY,
    username VARCHAR(100) NOT NULL,
    description VARCHAR(30) NOT NULL DEFAULT 'Primary',
    kid VARCHAR(512) NOT NULL,
    aaguid CHAR(36) NOT NULL,
    UNIQUE (username, description),
    UNIQUE (kid)
);
CREATE TABLE au_oauth2_consent_preconfiguration (
    id SERIAL CONSTRAINT au_oauth2_consent_preconfiguration_pkey PRIMARY KEY,
    client_id VARCHAR(255) NOT NULL,
    subject CHAR(36) NOT NULL,
    CONSTRAINT au_oauth2_consent_preconfiguration_subjct_fkey
        FOREIGN KEY (subject)
            REFERENCES au_user_opaque_identifier (identifier) ON UPDATE RESTRICT ON DELETE RESTRICT
);
CREATE TABLE au_oauth2_consent_session (
    id SERIAL CONSTRAINT au_oauth2_consent_session_pkey PRIMARY KEY,
    challenge_id CHAR(36) NOT NULL,
    client_id VARCHAR(255) NOT NULL,
    subject CHAR(36),
    preconfiguration INTEGER NULL,
    CONSTRAINT au_oauth2_consent_session_subject_fkey
        FOREIGN KEY (subject)
            REFERENCES au_user_opaque_identifier (identifier) ON UPDATE RESTRICT ON DELETE RESTRICT,
    CONSTRAINT au_oauth2_consent_session_preconfiguration_fkey
        FOREIGN KEY (preconfiguration)
            REFERENCES au_oauth2_consent_preconfiguration (id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE UNIQUE INDEX au_oauth2_consent_session_challenge_id_key ON au_oauth2_consent_session (challenge_id);
CREATE TABLE au_oauth2_access_token_session (
    id SERIAL CONSTRAINT au_oauth2_access_token_session_pkey PRIMARY KEY,
    challenge_id CHAR(36) NULL,
    request_id VARCHAR(40) NOT NULL,
    signature VARCHAR(255) NOT NULL,
    subject CHAR(36) NOT NULL,
    CONSTRAINT au_oauth2_access_token_session_challenge_id_fkey
        FOREIGN KEY (challenge_id)
            REFERENCES au_oauth2_consent_session (challenge_id) ON UPDATE RESTRICT ON DELETE RESTRICT,
    CONSTRAINT au_oauth2_access_token_session_subject_fkey
        FOREIGN KEY (subject)
            REFERENCES au_user_opaque_identifier (identifier) ON UPDATE RESTRICT ON DELETE RESTRICT
);
INSERT INTO au_webauthn_devices (username, kid, aaguid) VALUES ('john', 'k1', '00000000-00000000-00000000-00000000');

-- V0007.ConsistencyFixes.up.sql
DROP TABLE IF EXISTS _bkp_UP_V0002_totp_configurations;
DROP TABLE IF EXISTS _bkp_UP_V0002_u2f_devices;
DROP TABLE IF EXISTS totp_secrets;
DROP TABLE IF EXISTS identity_verification_tokens;
DROP TABLE IF EXISTS u2f_devices;
DROP TABLE IF EXISTS config;
DROP TABLE IF EXISTS AuthenticationLogs;
DROP TABLE IF EXISTS IdentityVerificationTokens;
DROP TABLE IF EXISTS Preferences;
DROP TABLE IF EXISTS PreferencesTableName;
DROP TABLE IF EXISTS SecondFactorPreferences;
DROP TABLE IF EXISTS TOTPSecrets;
DROP TABLE IF EXISTS U2FDeviceHandles;

ALTER TABLE au_webauthn_devices
    ALTER COLUMN aaguid DROP NOT NULL;

UPDATE au_webauthn_devices
SET aaguid = NULL
WHERE aaguid = '' OR aaguid = '00000000-00000000-00000000-00000000';

ALTER TABLE au_duo_devices
    DROP CONSTRAINT IF EXISTS au_duo_devices_username_key;

DROP INDEX IF EXISTS au_duo_devices_username_key;

CREATE UNIQUE INDEX au_duo_devices_username_key ON au_duo_devices (username);

ALTER TABLE au_encryption
    DROP CONSTRAINT IF EXISTS au_encryption_name_key;

DROP INDEX IF EXISTS au_encryption_name_key;

CREATE UNIQUE INDEX au_encryption_name_key ON au_encryption (name);

ALTER TABLE au_totp_configurations
    DROP CONSTRAINT IF EXISTS au_totp_configurations_username_key1,
    DROP CONSTRAINT IF EXISTS au_totp_configurations_username_key,
    DROP CONSTRAINT IF EXISTS au_totp_configurations_pkey,
    DROP CONSTRAINT IF EXISTS au_totp_configurations_pkey1;

DROP INDEX IF EXISTS au_totp_configurations_username_key1;
DROP INDEX IF EXISTS au_totp_configurations_username_key;

CREATE UNIQUE INDEX au_totp_configurations_username_key ON au_totp_configurations (username);

ALTER TABLE au_webauthn_devices
    DROP CONSTRAINT IF EXISTS au_webauthn_devices_username_description_key1,
    DROP CONSTRAINT IF EXISTS au_webauthn_devices_kid_key1,
    DROP CONSTRAINT IF EXISTS au_webauthn_devices_lookup_key1,
    DROP CONSTRAINT IF EXISTS au_webauthn_devices_username_description_key,
    DROP CONSTRAINT IF EXISTS au_webauthn_devices_kid_key,
    DROP CONSTRAINT IF EXISTS au_webauthn_devices_lookup_key,
    DROP CONSTRAINT IF EXISTS au_webauthn_devices_pkey,
    DROP CONSTRAINT IF EXISTS au_webauthn_devices_pkey1;

DROP INDEX IF EXISTS au_webauthn_devices_username_description_key1;
DROP INDEX IF EXISTS au_webauthn_devices_kid_key1;
DROP INDEX IF EXISTS au_webauthn_devices_lookup_key1;
DROP INDEX IF EXISTS au_webauthn_devices_username_description_key;
DROP INDEX IF EXISTS au_webauthn_devices_kid_key;
DROP INDEX IF EXISTS au_webauthn_devices_lookup_key;

CREATE UNIQUE INDEX au_webauthn_devices_kid_key ON au_webauthn_devices (kid);
CREATE UNIQUE INDEX au_webauthn_devices_lookup_key ON au_webauthn_devices (username, description);

ALTER TABLE au_oauth2_consent_session
    DROP CONSTRAINT au_oauth2_consent_session_subject_fkey,
    DROP CONSTRAINT au_oauth2_consent_session_preconfiguration_fkey;

ALTER TABLE au_oauth2_consent_preconfiguration
    DROP CONSTRAINT IF EXISTS au_oauth2_consent_preconfiguration_subjct_fkey,
    DROP CONSTRAINT IF EXISTS  au_oauth2_consent_preconfiguration_subject_fkey;

ALTER TABLE au_oauth2_access_token_session
    DROP CONSTRAINT au_oauth2_access_token_session_challenge_id_fkey,
    DROP CONSTRAINT au_oauth2_access_token_session_subject_fkey;

ALTER TABLE au_oauth2_consent_session
    ADD CONSTRAINT au_oauth2_consent_session_subject_fkey
        FOREIGN KEY (subject)
            REFERENCES au_user_opaque_identifier (identifier) ON UPDATE CASCADE ON DELETE RESTRICT,
    ADD CONSTRAINT au_oauth2_consent_session_preconfiguration_fkey
        FOREIGN KEY (preconfiguration)
            REFERENCES au_oauth2_consent_preconfiguration (id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE au_oauth2_consent_preconfiguration
    ADD CONSTRAINT au_oauth2_consent_preconfiguration_subject_fkey
        FOREIGN KEY (subject)
            REFERENCES au_user_opaque_identifier (identifier) ON UPDATE CASCADE ON DELETE RESTRICT;

ALTER TABLE au_oauth2_access_token_session
    ADD CONSTRAINT au_oauth2_access_token_session_challenge_id_fkey
        FOREIGN KEY (challenge_id)
            REFERENCES au_oauth2_consent_session (challenge_id) ON UPDATE CASCADE ON DELETE CASCADE,
    ADD CONSTRAINT au_oauth2_access_token_session_subject_fkey
        FOREIGN KEY (subject)
            REFERENCES au_user_opaque_identifier (identifier) ON UPDATE CASCADE ON DELETE RESTRICT;
