-- Pass corpus 14: DO blocks that read pg_catalog and information_schema (including about the
-- public schema, through literals only) and change only expert_network.
DO $$
DECLARE
    r         record;
    v_missing text[] := '{}';
BEGIN
    FOR r IN
        SELECT t.table_name::text AS table_name
        FROM information_schema.tables AS t
        WHERE t.table_schema = 'expert_network'
          AND t.table_name LIKE 'pass\_%'
    LOOP
        IF NOT EXISTS (
            SELECT 1
            FROM pg_catalog.pg_description AS d
            JOIN pg_catalog.pg_class AS c ON c.oid = d.objoid AND d.objsubid = 0
            JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
            WHERE n.nspname = 'expert_network'
              AND c.relname = r.table_name
        ) THEN
            v_missing := array_append(v_missing, r.table_name);
        END IF;
    END LOOP;
    RAISE NOTICE 'expert_network tables without comments: %', v_missing;
END
$$;

DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1
        FROM pg_catalog.pg_attribute AS a
        WHERE a.attrelid = 'expert_network.pass_experts'::regclass
          AND a.attname = 'linkedin_url'
          AND NOT a.attisdropped
    ) THEN
        ALTER TABLE expert_network.pass_experts ADD COLUMN linkedin_url text;
    END IF;
END
$$;

DO LANGUAGE plpgsql $do$
DECLARE
    v_public_tables integer;
BEGIN
    -- Reading the catalogs about public is fine; touching public is not.
    SELECT count(*) INTO v_public_tables
    FROM pg_catalog.pg_tables
    WHERE schemaname = 'public';

    INSERT INTO expert_network.pass_audit_log (table_schema, table_name, action, payload)
    VALUES ('expert_network', 'catalog', 'inventory',
            jsonb_build_object('public_tables_seen', v_public_tables));
END
$do$;

DO $$
DECLARE
    v_updated integer;
BEGIN
    WITH bumped AS (
        UPDATE expert_network.pass_campaigns
           SET priority = 1
         WHERE status = 'active'
        RETURNING id
    )
    SELECT count(*) INTO v_updated FROM bumped;

    IF v_updated = 0 THEN
        RAISE NOTICE 'no active campaigns';
    END IF;
END
$$;

DO 'BEGIN PERFORM expert_network.pass_first_vendor_names(2); END';
