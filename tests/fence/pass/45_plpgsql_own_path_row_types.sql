-- Pass corpus 45: PL/pgSQL functions that carry their own `SET search_path` (as Supabase's and
-- PostgREST's guides recommend, and every SECURITY DEFINER function should) and so write the tables
-- of expert_network unqualified, in DECLARE too: `v_row accounts%ROWTYPE`, `v accounts.email%TYPE`.
-- The server resolves a DECLAREd type when the body is compiled, at the function's first call, under
-- the path that call runs with: the function's own, so these name expert_network's tables exactly
-- as the body's queries do. The fence refused them (unqualified-name, and `t.col%TYPE` was read as
-- schema t) although it accepted the same names in the body's queries.
-- Applied with psql on PG 15 (and each function called) under the runner's pinned path.

CREATE TABLE expert_network.pass_accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email varchar(255) NOT NULL UNIQUE,
    balance numeric(12, 2) NOT NULL DEFAULT 0,
    closed_at timestamptz
);

CREATE TABLE expert_network.pass_account_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES expert_network.pass_accounts (id),
    amount numeric(12, 2) NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION expert_network.pass_account_credit(p_account_id bigint, p_amount numeric)
RETURNS numeric
LANGUAGE plpgsql
SET search_path = expert_network, pg_catalog
AS $$
DECLARE
    v_account pass_accounts%ROWTYPE;
    v_balance pass_accounts.balance%TYPE;
    v_event   pass_account_events.id%TYPE;
BEGIN
    SELECT * INTO STRICT v_account FROM pass_accounts WHERE id = p_account_id FOR UPDATE;
    IF v_account.closed_at IS NOT NULL THEN
        RAISE EXCEPTION 'account % is closed', v_account.id;
    END IF;
    UPDATE pass_accounts SET balance = balance + p_amount WHERE id = v_account.id
        RETURNING balance INTO v_balance;
    INSERT INTO pass_account_events (account_id, amount) VALUES (v_account.id, p_amount)
        RETURNING id INTO v_event;
    RETURN v_balance;
END;
$$;

-- A function with its own path and pg_temp last; a catalog row type beside ours, and types with a
-- modifier as real DECLARE sections write them. Not SECURITY DEFINER: a definer's path may search only
-- pg_catalog for functions and operators, since the application's role may create in expert_network
-- (refuse corpus 48).
CREATE OR REPLACE FUNCTION expert_network.pass_account_close(p_email text)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = expert_network, pg_catalog, pg_temp
AS $$
DECLARE
    v_id    pass_accounts.id%TYPE;
    v_table pg_class%ROWTYPE;
    v_email varchar(255) := lower(p_email);
    v_limit pg_catalog.numeric(12, 2) NOT NULL DEFAULT 0;
BEGIN
    SELECT c.* INTO v_table FROM pg_catalog.pg_class c WHERE c.oid = 'expert_network.pass_accounts'::regclass;
    UPDATE pass_accounts SET closed_at = now() WHERE email = v_email AND balance >= v_limit AND closed_at IS NULL
        RETURNING id INTO v_id;
    RETURN v_id IS NOT NULL AND v_table.relkind = 'r';
END;
$$;

INSERT INTO expert_network.pass_accounts (email) VALUES ('grace@example.org');
SELECT expert_network.pass_account_credit(a.id, 10.50) FROM expert_network.pass_accounts a WHERE a.email = 'grace@example.org';
SELECT expert_network.pass_account_close('grace@example.org');
