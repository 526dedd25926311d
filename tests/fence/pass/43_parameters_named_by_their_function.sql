-- Pass corpus 43: OUT and TABLE parameters assigned through the function's name, as openmeter's
-- migrations write them (tools/migrate/migrations/20250807075408_usageperiod_duration_calculations.up.sql:
-- `om_func_calc_usage_period_durations_batch.namespace := current_entitlement.namespace;`, where a
-- TABLE column has the name of a table's column). PL/pgSQL labels a function's outermost block with
-- the function's name; libpg_query labelled it with the first part of a qualified name (the schema),
-- so `check` could not parse the body of any schema-qualified function written this way. Applied with
-- psql on PG 15.

CREATE TABLE expert_network.pp_fn_label_entitlements (
    id text PRIMARY KEY,
    namespace text NOT NULL,
    usage_period_interval text NOT NULL DEFAULT 'P1M'
);
INSERT INTO expert_network.pp_fn_label_entitlements (id, namespace) VALUES ('e1', 'default'), ('e2', 'other');

CREATE OR REPLACE FUNCTION expert_network.pp_fn_label_periods(IN ent_ids text[])
RETURNS TABLE (
    namespace text,
    entitlement_id text,
    usage_period_interval text
) AS $$
DECLARE
    current_entitlement RECORD;
BEGIN
    FOR current_entitlement IN
        SELECT * FROM expert_network.pp_fn_label_entitlements e
        WHERE e.id = ANY(ent_ids)
    LOOP
        pp_fn_label_periods.namespace := current_entitlement.namespace;
        pp_fn_label_periods.entitlement_id := current_entitlement.id;
        pp_fn_label_periods.usage_period_interval := current_entitlement.usage_period_interval;
        RETURN NEXT;
    END LOOP;
END;
$$ LANGUAGE plpgsql;

CREATE PROCEDURE expert_network.pp_fn_label_bump(INOUT counter int, IN step int DEFAULT 1)
LANGUAGE plpgsql AS $$
BEGIN
    pp_fn_label_bump.counter := pp_fn_label_bump.counter + pp_fn_label_bump.step;
END;
$$;

SELECT * FROM expert_network.pp_fn_label_periods(ARRAY['e1', 'e2']);
CALL expert_network.pp_fn_label_bump(41);
