-- Refuse corpus 11: transaction control. en-migrate wraps each migration in its own
-- transaction and records it in the same transaction; a migration that commits, rolls back
-- or ends the transaction early breaks that. Includes COMMIT / ROLLBACK in procedures and DO.
-- (PL/pgSQL BEGIN ... END blocks and SQL BEGIN ATOMIC bodies are NOT transaction control.)

-- refuse: transaction-control
BEGIN;
-- refuse: transaction-control
BEGIN WORK;
-- refuse: transaction-control
BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE;
-- refuse: transaction-control
START TRANSACTION;
-- refuse: transaction-control
START TRANSACTION READ ONLY;
-- refuse: transaction-control
COMMIT;
-- refuse: transaction-control
COMMIT WORK;
-- refuse: transaction-control
COMMIT AND CHAIN;
-- refuse: transaction-control
END;
-- refuse: transaction-control
END TRANSACTION;
-- refuse: transaction-control
ROLLBACK;
-- refuse: transaction-control
ROLLBACK AND NO CHAIN;
-- refuse: transaction-control
ABORT;
-- refuse: transaction-control
SAVEPOINT before_seed;
-- refuse: transaction-control
RELEASE SAVEPOINT before_seed;
-- refuse: transaction-control
RELEASE before_seed;
-- refuse: transaction-control
ROLLBACK TO SAVEPOINT before_seed;
-- refuse: transaction-control
ROLLBACK TO before_seed;
-- refuse: transaction-control
PREPARE TRANSACTION 'en_migrate_tx';
-- refuse: transaction-control
COMMIT PREPARED 'en_migrate_tx';
-- refuse: transaction-control
ROLLBACK PREPARED 'en_migrate_tx';
-- refuse: transaction-control
CREATE PROCEDURE expert_network.tc_commit() LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO expert_network.audit_log (action) VALUES ('batch');
    COMMIT;
END;
$$;
-- refuse: transaction-control
CREATE PROCEDURE expert_network.tc_rollback(p boolean) LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM expert_network.audit_log;
    IF p THEN
        ROLLBACK;
    END IF;
END;
$$;
-- refuse: transaction-control
CREATE PROCEDURE expert_network.tc_chain() LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1 .. 10 LOOP
        INSERT INTO expert_network.audit_log (action) VALUES ('batch ' || i);
        COMMIT AND CHAIN;
    END LOOP;
END;
$$;
-- refuse: transaction-control
CREATE PROCEDURE expert_network.tc_sql() LANGUAGE sql AS $$ COMMIT $$;
-- refuse: transaction-control
DO $$
BEGIN
    INSERT INTO expert_network.audit_log (action) VALUES ('half');
    COMMIT;
    INSERT INTO expert_network.audit_log (action) VALUES ('other half');
END
$$;
-- refuse: transaction-control
DO $$ BEGIN ROLLBACK AND CHAIN; END $$;

-- Allowed: BEGIN ATOMIC and PL/pgSQL blocks.
CREATE FUNCTION expert_network.tc_ok_atomic() RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
    SELECT count(*) FROM expert_network.audit_log;
END;
CREATE FUNCTION expert_network.tc_ok_blocks() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        INSERT INTO expert_network.audit_log (action) VALUES ('nested');
    EXCEPTION
        WHEN others THEN NULL;
    END;
END;
$$;
