-- en-migrate: no-transaction
-- Pass corpus 83: GIN indexes built concurrently on operator classes of extensions made without a
-- schema, as outline/outline (commit d77dcdf853868c5d5fe125c895c9b71f0eff5c68) writes through
-- Sequelize's queryInterface.sequelize.query, one statement a call and outside any transaction, in
-- server/migrations/20250217012609-document-title-index.js (`CREATE EXTENSION IF NOT EXISTS
-- "pg_trgm";`, `CREATE INDEX CONCURRENTLY documents_title_idx ON documents USING GIN (title
-- gin_trgm_ops);`), 20260803143858-add-documents-team-search-vector-index.js (`CREATE EXTENSION IF
-- NOT EXISTS "btree_gin";`, `CREATE INDEX CONCURRENTLY IF NOT EXISTS "documents_team_id_tsv_idx" ON
-- "documents" USING gin("teamId", "searchVector");`, `DROP INDEX CONCURRENTLY IF EXISTS
-- "documents_tsv_idx";`) and 20250826204500-modify-shares-unique-constraint-with-revoked-condition.js
-- (`CREATE UNIQUE INDEX CONCURRENTLY "shares_urlId_teamId_not_revoked_uk" ON "shares" ("urlId",
-- "teamId") WHERE "revokedAt" IS NULL;`). Re-homed into expert_network: the tables qualified (corpus
-- 80's, whose documents gain the teamId column Outline's createTable gave them), names prefixed
-- pp_ol_; the extensions as Outline wrote them, without a schema (under the pinned path they land in
-- expert_network, corpus 38), and gin_trgm_ops unqualified, found there. The fence passed them.

ALTER TABLE expert_network.pp_ol_documents ADD COLUMN IF NOT EXISTS "teamId" uuid;

CREATE EXTENSION IF NOT EXISTS "pg_trgm";

CREATE INDEX CONCURRENTLY pp_ol_documents_title_idx ON expert_network.pp_ol_documents USING GIN (title gin_trgm_ops);

CREATE EXTENSION IF NOT EXISTS "btree_gin";

CREATE INDEX CONCURRENTLY IF NOT EXISTS "pp_ol_documents_team_id_tsv_idx" ON expert_network."pp_ol_documents" USING gin("teamId", "searchVector");

DROP INDEX CONCURRENTLY IF EXISTS expert_network."pp_ol_documents_tsv_idx";

CREATE TABLE IF NOT EXISTS expert_network.pp_ol_shares (
    id uuid PRIMARY KEY,
    "urlId" varchar(255),
    "teamId" uuid,
    "revokedAt" timestamp with time zone
);

CREATE UNIQUE INDEX CONCURRENTLY "pp_ol_shares_urlId_teamId_not_revoked_uk"
         ON expert_network."pp_ol_shares" ("urlId", "teamId")
         WHERE "revokedAt" IS NULL;
