-- Pass corpus 43: PL/pgSQL assignment targets libpg_query could not resolve, though PostgreSQL does.
-- OUT and TABLE parameters assigned through the function's name, as openmeter's migrations write
-- them (tools/migrate/migrations/20250807075408_usageperiod_duration_calculations.up.sql:
-- `om_func_calc_usage_period_durations_batch.namespace := current_entitlement.namespace;`, where a
-- TABLE column has the name of a table's column): PL/pgSQL labels a function's outermost block with
-- the function's name, libpg_query with the first part of a qualified name (the schema). And fields
-- of a `%ROWTYPE` variable, as Cap-go's Supabase baseline writes them
-- (supabase/migrations/20260708000000_prod_baseline.sql, calculate_org_metrics_cache_entry:
-- `cache_record public.org_metrics_cache%ROWTYPE; ... cache_record.org_id := p_org_id;`), which
-- libpg_query reads as variables without fields. `check` could not parse either body. Applied with
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

CREATE TABLE expert_network.pp_fn_label_metrics_cache (
    org_id uuid NOT NULL,
    start_date date NOT NULL,
    mau bigint NOT NULL,
    cached_at timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION expert_network.pp_fn_label_cache_entry(p_org_id uuid, p_start_date date)
RETURNS expert_network.pp_fn_label_metrics_cache
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_mau bigint;
    cache_record expert_network.pp_fn_label_metrics_cache%ROWTYPE;
BEGIN
    SELECT count(*) INTO v_mau FROM expert_network.pp_fn_label_entitlements;
    cache_record.org_id := p_org_id;
    cache_record.start_date := p_start_date;
    cache_record.mau := v_mau;
    cache_record.cached_at := clock_timestamp();
    INSERT INTO expert_network.pp_fn_label_metrics_cache SELECT cache_record.*;
    RETURN cache_record;
END;
$$;

SELECT (expert_network.pp_fn_label_cache_entry('00000000-0000-0000-0000-000000000001', current_date)).mau;
