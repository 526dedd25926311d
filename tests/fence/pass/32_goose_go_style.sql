-- +goose Up
-- Pass corpus 32: a goose migration as goose users write them: StatementBegin/End around a PL/pgSQL
-- function, a backfill in batches through a DO block, a CHECK added NOT VALID then validated, a
-- deferrable unique constraint, a generated column, an identity column restarted, COMMENT ON, and the
-- `SET LOCAL` timeouts in front of the ALTERs. (goose runs only the Up half; the file holds it alone.)
SET LOCAL lock_timeout = '3s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE expert_network.pp_goose_accounts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    handle     text NOT NULL,
    first_name text NOT NULL DEFAULT '',
    last_name  text NOT NULL DEFAULT '',
    full_name  text GENERATED ALWAYS AS (btrim(first_name || ' ' || last_name)) STORED,
    balance    numeric(12, 2) NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pp_goose_accounts_handle_key UNIQUE (handle) DEFERRABLE INITIALLY IMMEDIATE
);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION expert_network.pp_goose_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.balance < 0 THEN
        RAISE EXCEPTION 'balance of % would go negative', NEW.handle USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER pp_goose_accounts_touch
    BEFORE INSERT OR UPDATE OF balance ON expert_network.pp_goose_accounts
    FOR EACH ROW EXECUTE FUNCTION expert_network.pp_goose_touch();

INSERT INTO expert_network.pp_goose_accounts (handle, first_name, last_name)
SELECT 'user' || g, 'First' || g, 'Last' || g FROM generate_series(1, 50) AS g;

ALTER TABLE expert_network.pp_goose_accounts ADD COLUMN email text;

-- +goose StatementBegin
DO $$
DECLARE
    batch int := 10;
    moved int;
BEGIN
    LOOP
        UPDATE expert_network.pp_goose_accounts AS a
        SET email = lower(a.handle) || '@example.com'
        WHERE a.id IN (SELECT b.id FROM expert_network.pp_goose_accounts AS b WHERE b.email IS NULL LIMIT batch);
        GET DIAGNOSTICS moved = ROW_COUNT;
        EXIT WHEN moved = 0;
    END LOOP;
END
$$;
-- +goose StatementEnd

ALTER TABLE expert_network.pp_goose_accounts
    ADD CONSTRAINT pp_goose_accounts_email_check CHECK (email LIKE '%@%') NOT VALID;
ALTER TABLE expert_network.pp_goose_accounts VALIDATE CONSTRAINT pp_goose_accounts_email_check;
ALTER TABLE expert_network.pp_goose_accounts ALTER COLUMN email SET NOT NULL;
ALTER TABLE expert_network.pp_goose_accounts ALTER COLUMN id RESTART WITH 1000;

COMMENT ON COLUMN expert_network.pp_goose_accounts.full_name IS 'generated from first_name and last_name';
COMMENT ON TABLE expert_network.pp_goose_accounts IS 'accounts, goose-managed';
