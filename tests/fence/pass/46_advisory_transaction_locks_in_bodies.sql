-- Pass corpus 46: functions that serialise the application's own work with a transaction-level
-- advisory lock, as Zitadel's eventstore push(), Cap-go's triggers and hatchet's queue functions do
-- (re-homed into expert_network). The lock is taken when the application calls the function, in its
-- transaction, and ends with it; it changes no object. The migration itself takes none (refuse 31, 36).

CREATE TABLE expert_network.pass_events (
    aggregate_id text NOT NULL,
    sequence     bigint NOT NULL,
    payload      jsonb,
    PRIMARY KEY (aggregate_id, sequence)
);

CREATE OR REPLACE FUNCTION expert_network.pass_push_event(p_aggregate text, p_payload jsonb)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    next_seq bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext(p_aggregate));
    SELECT coalesce(max(sequence), 0) + 1 INTO next_seq
      FROM expert_network.pass_events WHERE aggregate_id = p_aggregate;
    INSERT INTO expert_network.pass_events (aggregate_id, sequence, payload)
      VALUES (p_aggregate, next_seq, p_payload);
    RETURN next_seq;
END;
$$;

CREATE OR REPLACE FUNCTION expert_network.pass_events_serialise()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('pass_events'), hashtext(NEW.aggregate_id)) THEN
        PERFORM pg_advisory_xact_lock(hashtext('pass_events'), hashtext(NEW.aggregate_id));
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER pass_events_serialise BEFORE INSERT ON expert_network.pass_events
    FOR EACH ROW EXECUTE FUNCTION expert_network.pass_events_serialise();

CREATE FUNCTION expert_network.pass_claim(p_key bigint) RETURNS boolean
LANGUAGE sql AS $$ SELECT pg_catalog.pg_try_advisory_xact_lock_shared(p_key) $$;
