-- Pass corpus 60: a key renamed with ALTER TABLE ... RENAME CONSTRAINT, which renames its index with
-- it, then that index named by its new name unqualified. lukevella/rallly's Prisma migration
-- packages/database/prisma/migrations/20220511180705_naming_convention_update renames each table
-- and then its primary key (`ALTER TABLE "comments" RENAME CONSTRAINT "Comment_pkey" TO
-- "comments_pkey";`, Prisma's RenamePrimaryKey step), and nhost/hasura-auth's
-- go/migrations/postgres/00009_rename-authenticator-to-security-key.up.sql renames a table with its
-- key and its unique constraint the same way (`ALTER TABLE auth.user_security_keys RENAME
-- CONSTRAINT user_authenticators_credential_id_key TO user_security_key_credential_id_key;`).
-- PostgreSQL renames the index of a PRIMARY KEY, UNIQUE or EXCLUDE constraint with it, in the
-- table's schema (psql on PG 15 after this file: pp_rn_comments_pkey and
-- pp_nh_security_key_credential_id_key are indexes of expert_network, the old names are gone).
-- Re-homed into expert_network: the tables qualified, names prefixed pp_rn_ / pp_nh_, the renames
-- as rallly and nhost wrote them. The ALTER INDEX statements that follow are the later migrations'
-- way of naming an index, unqualified as Rails' rename_table and debsources write it (corpus 57):
-- the fence refused each ("relation pp_rn_comments_pkey is not schema-qualified, and no migration
-- creates expert_network.pp_rn_comments_pkey"), as the model knew the index only by its old name.
CREATE TABLE expert_network."pp_rn_Comment" (
    "id" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    CONSTRAINT "pp_rn_Comment_pkey" PRIMARY KEY ("id")
);
CREATE TABLE expert_network.pp_nh_authenticators (
    id uuid DEFAULT gen_random_uuid () NOT NULL PRIMARY KEY,
    credential_id text NOT NULL UNIQUE,
    nickname text
);

-- rallly: RenameTable, then RenamePrimaryKey.
ALTER TABLE "expert_network"."pp_rn_Comment" RENAME TO "pp_rn_comments";
ALTER TABLE "expert_network"."pp_rn_comments" RENAME CONSTRAINT "pp_rn_Comment_pkey" TO "pp_rn_comments_pkey";

-- nhost: the table, then its unique constraint and its key (unnamed: pp_nh_authenticators_pkey,
-- pp_nh_authenticators_credential_id_key), the table named unqualified as the later statement of
-- a migration does once it has been renamed.
ALTER TABLE expert_network.pp_nh_authenticators RENAME TO pp_nh_security_keys;
ALTER TABLE pp_nh_security_keys RENAME CONSTRAINT pp_nh_authenticators_credential_id_key TO pp_nh_security_key_credential_id_key;
ALTER TABLE pp_nh_security_keys RENAME CONSTRAINT pp_nh_authenticators_pkey TO pp_nh_security_keys_pkey;

-- Later migrations name the renamed indexes.
ALTER INDEX "pp_rn_comments_pkey" SET (fillfactor = 90);
COMMENT ON INDEX pp_nh_security_keys_pkey IS 'the key of a security key';
ALTER INDEX pp_nh_security_key_credential_id_key RENAME TO pp_nh_security_keys_credential_id_key;
