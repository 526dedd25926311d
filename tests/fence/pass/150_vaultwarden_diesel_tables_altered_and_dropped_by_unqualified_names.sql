-- Pass corpus 150: Vaultwarden's diesel migrations for PostgreSQL (dani-garcia/vaultwarden, commit
-- 46d71107f5094460dd5ecbe1dbac6e6c71e5189a, migrations/postgresql/*/up.sql; all 46 passed the
-- fence): 2019-09-12-100000_create_tables (tables with inline `REFERENCES users (uuid)`),
-- 2019-09-16-150000_fix_attachments (`ALTER TABLE users ALTER COLUMN uuid TYPE VARCHAR(40)`),
-- 2020-08-02-025025_add_favorites_table (`INSERT INTO favorites(user_uuid, cipher_uuid) SELECT
-- user_uuid, uuid FROM ciphers WHERE favorite = TRUE ...`, then `ALTER TABLE ciphers DROP COLUMN
-- favorite`), 2024-03-13-170000_sso_users_cascade (`ALTER TABLE sso_users DROP CONSTRAINT
-- "sso_users_user_uuid_fkey", ADD CONSTRAINT ... ON UPDATE CASCADE ON DELETE CASCADE`),
-- 2025-08-20-120000_sso_nonce_to_auth (`DROP TABLE IF EXISTS sso_nonce;` of a table made
-- before) and 2026-03-09-005927_add_archives (`DROP TABLE IF EXISTS archives;` of a
-- table no migration made, before its CREATE). Re-homed as diesel runs them on a connection whose
-- search_path is expert_network: the names the files create qualified, every other name as
-- Vaultwarden writes it, unqualified; tables prefixed pp_vw_. The fence passed it.
CREATE TABLE expert_network.pp_vw_users (
  uuid                CHAR(36) NOT NULL PRIMARY KEY,
  created_at          TIMESTAMP NOT NULL,
  updated_at          TIMESTAMP NOT NULL,
  email               VARCHAR(255) NOT NULL UNIQUE,
  name                TEXT     NOT NULL,
  password_hash       BYTEA     NOT NULL,
  security_stamp      TEXT     NOT NULL
);

CREATE TABLE expert_network.pp_vw_ciphers (
  uuid              CHAR(36) NOT NULL PRIMARY KEY,
  created_at        TIMESTAMP NOT NULL,
  updated_at        TIMESTAMP NOT NULL,
  user_uuid         CHAR(36) REFERENCES pp_vw_users (uuid),
  atype             INTEGER  NOT NULL,
  name              TEXT     NOT NULL,
  data              TEXT     NOT NULL,
  favorite          BOOLEAN  NOT NULL
);

CREATE TABLE expert_network.pp_vw_sso_nonce (
  nonce               CHAR(36) NOT NULL PRIMARY KEY,
  created_at          TIMESTAMP NOT NULL DEFAULT now()
);

CREATE TABLE expert_network.pp_vw_sso_users (
  user_uuid           CHAR(36) NOT NULL PRIMARY KEY,
  identifier          TEXT NOT NULL UNIQUE,
  created_at          TIMESTAMP NOT NULL DEFAULT now(),

  FOREIGN KEY(user_uuid) REFERENCES pp_vw_users(uuid)
);

-- Switch from CHAR() types to VARCHAR() types to avoid padding issues.
ALTER TABLE pp_vw_users ALTER COLUMN uuid TYPE VARCHAR(40);
ALTER TABLE pp_vw_users ALTER COLUMN email TYPE TEXT;
ALTER TABLE pp_vw_ciphers ALTER COLUMN uuid TYPE VARCHAR(40);
ALTER TABLE pp_vw_ciphers ALTER COLUMN user_uuid TYPE VARCHAR(40);
ALTER TABLE pp_vw_sso_users ALTER COLUMN user_uuid TYPE VARCHAR(40);

CREATE TABLE expert_network.pp_vw_favorites (
  user_uuid   VARCHAR(40) NOT NULL REFERENCES pp_vw_users(uuid),
  cipher_uuid VARCHAR(40) NOT NULL REFERENCES pp_vw_ciphers(uuid),

  PRIMARY KEY (user_uuid, cipher_uuid)
);

-- Transfer favorite status for user-owned ciphers.
INSERT INTO pp_vw_favorites(user_uuid, cipher_uuid)
SELECT user_uuid, uuid
FROM pp_vw_ciphers
WHERE favorite = TRUE
  AND user_uuid IS NOT NULL;

ALTER TABLE pp_vw_ciphers
DROP COLUMN favorite;

ALTER TABLE pp_vw_sso_users
  DROP CONSTRAINT "pp_vw_sso_users_user_uuid_fkey",
  ADD CONSTRAINT "pp_vw_sso_users_user_uuid_fkey" FOREIGN KEY(user_uuid) REFERENCES pp_vw_users(uuid) ON UPDATE CASCADE ON DELETE CASCADE;

DROP TABLE IF EXISTS pp_vw_sso_nonce;

CREATE TABLE expert_network.pp_vw_sso_auth (
    state               TEXT NOT NULL PRIMARY KEY,
    client_challenge    TEXT NOT NULL,
    nonce               TEXT NOT NULL,
    redirect_uri        TEXT NOT NULL,
    code_response       TEXT,
    auth_response       TEXT,
    created_at          TIMESTAMP NOT NULL DEFAULT now(),
    updated_at          TIMESTAMP NOT NULL DEFAULT now()
);

DROP TABLE IF EXISTS pp_vw_archives;

CREATE TABLE expert_network.pp_vw_archives (
    user_uuid   VARCHAR(40) NOT NULL REFERENCES pp_vw_users (uuid) ON DELETE CASCADE,
    cipher_uuid VARCHAR(40) NOT NULL REFERENCES pp_vw_ciphers (uuid) ON DELETE CASCADE,
    archived_at TIMESTAMP NOT NULL DEFAULT now(),
    PRIMARY KEY (user_uuid, cipher_uuid)
);
