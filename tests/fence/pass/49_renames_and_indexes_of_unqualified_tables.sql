-- Pass corpus 49: tables renamed and indexes made on tables named unqualified, as ory/kratos (commit
-- b86338da04a040247a07f46100a86dcfb3875909) writes in persistence/sql/migrations/sql/:
-- 20191100000008000005_selfservice_verification.postgres.up.sql makes the table,
-- 20200810161022000008_flow_rename.postgres.up.sql renames it (`ALTER TABLE
-- "selfservice_verification_requests" RENAME TO "selfservice_verification_flows"`),
-- 20200830130642000000 and 20200830130643000000_add_verification_methods then alter and update the new
-- name; 20230619000000000001_sessions_add_sorted_indices.up.sql makes
-- `sessions_identity_id_nid_sorted_idx ON sessions`, which 20241023142500000002_drop_unused_indices_
-- sessions.up.sql drops. Re-homed into expert_network: the CREATE TABLEs qualified, the rest as Kratos
-- wrote it; the sessions table cut to the columns its indexes use. The fence refused every use of
-- the renamed table ("relation selfservice_verification_flows is not schema-qualified, and no
-- migration creates expert_network.selfservice_verification_flows") and the drop of the index
-- ("... sessions_identity_id_nid_sorted_idx ..."): the server renames the relation an unqualified
-- name finds, expert_network's, and makes an index in its table's schema.
CREATE TABLE expert_network."pp_kr_selfservice_verification_requests" (
"id" UUID NOT NULL,
PRIMARY KEY("id"),
"request_url" VARCHAR (2048) NOT NULL,
"issued_at" timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
"expires_at" timestamp NOT NULL,
"form" jsonb NOT NULL,
"via" VARCHAR (16) NOT NULL,
"csrf_token" VARCHAR (255) NOT NULL,
"success" bool NOT NULL,
"created_at" timestamp NOT NULL,
"updated_at" timestamp NOT NULL
);

ALTER TABLE "pp_kr_selfservice_verification_requests" RENAME TO "pp_kr_selfservice_verification_flows";

ALTER TABLE "pp_kr_selfservice_verification_flows" ADD COLUMN "state" VARCHAR (255) NOT NULL DEFAULT 'show_form';

UPDATE pp_kr_selfservice_verification_flows SET state='passed_challenge' WHERE success IS TRUE;

ALTER TABLE "pp_kr_selfservice_verification_flows" DROP COLUMN "success";

CREATE TABLE expert_network."pp_kr_sessions" (
"id" UUID NOT NULL,
PRIMARY KEY("id"),
"nid" UUID,
"identity_id" UUID NOT NULL,
"authenticated_at" timestamp NOT NULL,
"created_at" timestamp NOT NULL
);

CREATE INDEX pp_kr_sessions_identity_id_nid_idx ON pp_kr_sessions (identity_id, nid);

CREATE INDEX pp_kr_sessions_identity_id_nid_sorted_idx
  ON pp_kr_sessions (identity_id, nid, authenticated_at DESC);

DROP INDEX pp_kr_sessions_identity_id_nid_idx;

CREATE INDEX IF NOT EXISTS pp_kr_sessions_list_idx ON pp_kr_sessions (nid ASC, created_at DESC, id ASC);
CREATE INDEX IF NOT EXISTS pp_kr_sessions_list_identity_idx ON pp_kr_sessions (identity_id ASC, nid ASC, created_at DESC);

DROP INDEX IF EXISTS pp_kr_sessions_identity_id_nid_sorted_idx;
