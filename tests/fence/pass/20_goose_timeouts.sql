-- +goose Up
-- Pass corpus 20: a goose migration (the Up half) with the lock_timeout / statement_timeout pair goose
-- and sql-migrate users put in front of DDL on busy tables, as session SETs and as SET LOCAL.
-- +goose StatementBegin
SET lock_timeout = '5s';
SET statement_timeout = '60s';
-- +goose StatementEnd

CREATE TABLE expert_network.pp_goose_events (
    id         bigserial PRIMARY KEY,
    kind       text        NOT NULL,
    payload    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);

SET LOCAL lock_timeout TO '2s';
SET LOCAL idle_in_transaction_session_timeout = '1min';
SET work_mem = '64MB';
SET maintenance_work_mem TO '256MB';

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION expert_network.pp_goose_kind_ok(k text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN k IN ('created', 'updated', 'deleted');
END;
$$;
-- +goose StatementEnd

ALTER TABLE expert_network.pp_goose_events
    ADD CONSTRAINT pp_goose_events_kind_ok CHECK (expert_network.pp_goose_kind_ok(kind));

CREATE INDEX pp_goose_events_created_at_idx ON expert_network.pp_goose_events (created_at DESC);

RESET statement_timeout;
RESET lock_timeout;
