-- Pass corpus 160: Prefect's Alembic migrations for PostgreSQL (PrefectHQ/prefect,
-- src/prefect/server/database/_migrations/versions/postgresql/) as `alembic upgrade --sql` prints
-- them: Alembic's own BEGIN; ... COMMIT;, its version table made and stamped by each revision,
-- every name unqualified. The enum and tables are cut to what the revisions below touch (from the
-- initial revision's `state_type` enum and its block_document, block_document_reference,
-- events and event_resources tables); then, verbatim but for the prefix,
-- 2022_11_23_092449_5e4f924ff96c_add_paused_state_type.py (commit
-- c27c285c20e65f34c90af6b890d6fcb03e42cea8: `ALTER TYPE state_type ADD VALUE IF NOT EXISTS
-- 'PAUSED';`, ADD VALUE inside the transaction, which PostgreSQL 12 and later take while the new
-- value is not used there) and 2026_05_05_000000_7218aad17905_add_block_document_reference_self_check.py
-- (commit 924047fe69f0ccf06f505c3f4be27567736044b3: a DELETE of self-references, then
-- op.create_check_constraint's `ALTER TABLE ... ADD CONSTRAINT ... CHECK (... != ...)`). Re-homed into
-- expert_network as an operator would: `SET search_path TO expert_network;` first, the tables and
-- type prefixed pf_, Alembic's version_table set to pf_alembic_version.
-- Proof (PostgreSQL 15, psql as the superuser, ON_ERROR_STOP, on the seeded database): applied;
-- pg_enum held PAUSED for expert_network.pf_state_type, pg_constraint
-- ck_block_document_reference__no_self_reference (contype 'c') on expert_network's table, and
-- pf_alembic_version held 7218aad17905; public.alembic_version kept its one row.
SET search_path TO expert_network;

BEGIN;

CREATE TABLE pf_alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT pf_alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 25f4b90a7a42

CREATE TYPE pf_state_type AS ENUM ('SCHEDULED', 'PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED');

CREATE TABLE pf_block_document (
    id UUID DEFAULT (GEN_RANDOM_UUID()) NOT NULL, 
    created TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    updated TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    name VARCHAR NOT NULL, 
    data JSONB DEFAULT '{}' NOT NULL, 
    is_anonymous BOOLEAN DEFAULT false NOT NULL, 
    CONSTRAINT pk_pf_block_document PRIMARY KEY (id)
);

CREATE INDEX ix_pf_block_document__updated ON pf_block_document (updated);

CREATE TABLE pf_block_document_reference (
    id UUID DEFAULT (GEN_RANDOM_UUID()) NOT NULL, 
    created TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    updated TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    name VARCHAR NOT NULL, 
    parent_block_document_id UUID NOT NULL, 
    reference_block_document_id UUID NOT NULL, 
    CONSTRAINT pk_pf_block_document_reference PRIMARY KEY (id), 
    CONSTRAINT fk_pf_block_document_reference__parent_block_document_id__block_document FOREIGN KEY(parent_block_document_id) REFERENCES pf_block_document (id) ON DELETE cascade, 
    CONSTRAINT fk_pf_block_document_reference__reference_block_document_id__block_document FOREIGN KEY(reference_block_document_id) REFERENCES pf_block_document (id) ON DELETE cascade
);

CREATE TABLE pf_flow_run_state (
    id UUID DEFAULT (GEN_RANDOM_UUID()) NOT NULL, 
    type pf_state_type NOT NULL, 
    timestamp TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, 
    name VARCHAR NOT NULL, 
    CONSTRAINT pk_pf_flow_run_state PRIMARY KEY (id)
);

CREATE TABLE pf_events (
    id UUID DEFAULT (GEN_RANDOM_UUID()) NOT NULL, 
    occurred TIMESTAMP WITH TIME ZONE NOT NULL, 
    event TEXT NOT NULL, 
    resource_id TEXT NOT NULL, 
    resource JSONB NOT NULL, 
    related_resource_ids JSONB DEFAULT '[]' NOT NULL, 
    payload JSONB NOT NULL, 
    CONSTRAINT pk_pf_events PRIMARY KEY (id)
);

CREATE TABLE pf_event_resources (
    id UUID DEFAULT (GEN_RANDOM_UUID()) NOT NULL, 
    occurred TIMESTAMP WITH TIME ZONE NOT NULL, 
    resource_id TEXT NOT NULL, 
    resource_role TEXT NOT NULL, 
    resource JSON NOT NULL, 
    event_id UUID NOT NULL, 
    CONSTRAINT pk_pf_event_resources PRIMARY KEY (id)
);

INSERT INTO pf_alembic_version (version_num) VALUES ('25f4b90a7a42') RETURNING pf_alembic_version.version_num;

-- Running upgrade 5d526270ddb4 -> 5e4f924ff96c

ALTER TYPE pf_state_type ADD VALUE IF NOT EXISTS 'PAUSED';;

UPDATE pf_alembic_version SET version_num='5e4f924ff96c' WHERE pf_alembic_version.version_num = '25f4b90a7a42';

-- Running upgrade 09a9e091e578 -> 7218aad17905

DELETE FROM pf_block_document_reference
        WHERE parent_block_document_id = reference_block_document_id;

ALTER TABLE pf_block_document_reference ADD CONSTRAINT ck_block_document_reference__no_self_reference CHECK (parent_block_document_id != reference_block_document_id);

UPDATE pf_alembic_version SET version_num='7218aad17905' WHERE pf_alembic_version.version_num = '5e4f924ff96c';

COMMIT;
