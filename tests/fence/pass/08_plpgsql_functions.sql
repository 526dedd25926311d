-- Pass corpus 08: PL/pgSQL functions and a procedure touching only expert_network and the
-- catalogs: SET search_path = pg_catalog / expert_network, pg_catalog; %TYPE / %ROWTYPE;
-- FOREACH, FOR ... IN SELECT, WHILE, cursors, RETURN QUERY with a CTE, RETURN NEXT,
-- nested blocks with exception handlers, GET DIAGNOSTICS, PERFORM, assignments from subqueries.
CREATE FUNCTION expert_network.pass_touch_updated_at()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE FUNCTION expert_network.pass_assign_team(p_campaign uuid, p_user_ids text[])
RETURNS integer
LANGUAGE plpgsql
SET search_path = expert_network, pg_catalog
AS $fn$
DECLARE
    v_user     text;
    v_added    integer := 0;
    v_campaign expert_network.pass_campaigns%ROWTYPE;
    v_status   expert_network.pass_campaigns.status%TYPE;
BEGIN
    SELECT * INTO STRICT v_campaign
    FROM expert_network.pass_campaigns
    WHERE id = p_campaign;

    v_status := v_campaign.status;
    IF v_status = 'closed' THEN
        RAISE EXCEPTION 'campaign % is closed', p_campaign USING ERRCODE = 'check_violation';
    END IF;

    FOREACH v_user IN ARRAY p_user_ids LOOP
        BEGIN
            INSERT INTO expert_network.pass_campaign_team_assignments (campaign_id, user_id)
            VALUES (p_campaign, v_user);
            v_added := v_added + 1;
        EXCEPTION
            WHEN unique_violation THEN
                RAISE NOTICE 'user % already assigned', v_user;
            WHEN foreign_key_violation THEN
                RAISE NOTICE 'user % is not a team member (see public."user")', v_user;
        END;
    END LOOP;
    RETURN v_added;
END;
$fn$;

CREATE FUNCTION expert_network.pass_campaign_report(p_user_id text)
RETURNS TABLE (campaign_id uuid, campaign_name text, expert_count bigint, avg_rating numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog
AS $$
BEGIN
    RETURN QUERY
    WITH ratings AS (
        SELECT e.campaign_id AS cid, avg(i.rating) AS avg_rating
        FROM expert_network.pass_experts AS e
        JOIN expert_network.pass_interviews AS i ON i.expert_id = e.id
        GROUP BY e.campaign_id
    )
    SELECT c.id, c.campaign_name, count(e.id), r.avg_rating
    FROM expert_network.pass_campaigns AS c
    LEFT JOIN expert_network.pass_experts AS e ON e.campaign_id = c.id
    LEFT JOIN ratings AS r ON r.cid = c.id
    WHERE c.user_id = p_user_id
    GROUP BY c.id, c.campaign_name, r.avg_rating;
END;
$$;

CREATE FUNCTION expert_network.pass_schema_inventory()
RETURNS TABLE (object_name text, object_kind text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog
AS $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT c.relname::text AS relname, c.relkind::text AS relkind
        FROM pg_catalog.pg_class AS c
        JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = 'expert_network'
        ORDER BY c.relname
    LOOP
        object_name := r.relname;
        object_kind := CASE r.relkind
                           WHEN 'r' THEN 'table'
                           WHEN 'v' THEN 'view'
                           WHEN 'm' THEN 'materialized view'
                           WHEN 'i' THEN 'index'
                           WHEN 'S' THEN 'sequence'
                           ELSE 'other'
                       END;
        RETURN NEXT;
    END LOOP;

    -- information_schema may be read too; 'public' below is only a literal.
    IF EXISTS (SELECT 1
               FROM information_schema.tables AS t
               WHERE t.table_schema = 'public' AND t.table_name = 'user') THEN
        object_name := 'public.user';
        object_kind := 'external reference';
        RETURN NEXT;
    END IF;
END;
$$;

CREATE FUNCTION expert_network.pass_backfill_rates(p_default numeric DEFAULT 150)
RETURNS integer
LANGUAGE plpgsql
SET search_path = expert_network, pg_catalog
AS $$
DECLARE
    v_count   integer := 0;
    v_batch   integer;
    v_pending bigint := (SELECT count(*) FROM expert_network.pass_experts WHERE hourly_rate IS NULL);
BEGIN
    WHILE v_pending > 0 LOOP
        UPDATE expert_network.pass_experts AS e
           SET hourly_rate = coalesce((e.profile ->> 'rate')::numeric, p_default)
         WHERE e.id IN (SELECT x.id
                        FROM expert_network.pass_experts AS x
                        WHERE x.hourly_rate IS NULL
                        LIMIT 100);
        GET DIAGNOSTICS v_batch = ROW_COUNT;
        v_count := v_count + v_batch;
        v_pending := (SELECT count(*) FROM expert_network.pass_experts WHERE hourly_rate IS NULL);
        EXIT WHEN v_batch = 0;
    END LOOP;
    PERFORM 1 FROM expert_network.pass_audit_log LIMIT 1;
    RETURN v_count;
END;
$$;

CREATE FUNCTION expert_network.pass_first_vendor_names(p_limit integer)
RETURNS text[]
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog
AS $$
DECLARE
    cur CURSOR FOR
        SELECT v.name FROM expert_network.pass_vendor_platforms AS v ORDER BY v.name;
    v_name  text;
    v_names text[] := '{}';
BEGIN
    OPEN cur;
    LOOP
        FETCH cur INTO v_name;
        EXIT WHEN NOT FOUND OR cardinality(v_names) >= p_limit;
        v_names := v_names || v_name;
    END LOOP;
    CLOSE cur;
    RETURN v_names;
END;
$$;

CREATE FUNCTION expert_network.pass_visibility_label(p expert_network.pass_visibility)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS 'BEGIN
    RETURN CASE WHEN p = ''public'' THEN ''shown on the public profile'' ELSE ''hidden'' END;
END';

-- Parameters, return types and DECLAREd variables typed with expert_network's own types.
CREATE FUNCTION expert_network.pass_budget_total(p_campaigns uuid[])
RETURNS expert_network.pass_money
LANGUAGE plpgsql STABLE
SET search_path = expert_network, pg_catalog
AS $$
DECLARE
    v_total  expert_network.pass_money := ROW(0, 'USD')::expert_network.pass_money;
    v_budget expert_network.pass_money;
    v_id     uuid;
BEGIN
    FOREACH v_id IN ARRAY p_campaigns LOOP
        SELECT c.budget INTO v_budget FROM expert_network.pass_campaigns AS c WHERE c.id = v_id;
        IF v_budget IS NOT NULL THEN
            v_total.amount := v_total.amount + coalesce(v_budget.amount, 0);
        END IF;
    END LOOP;
    RETURN v_total;
END;
$$;

CREATE PROCEDURE expert_network.pass_log(p_action text, p_row text DEFAULT NULL)
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
    INSERT INTO expert_network.pass_audit_log (table_schema, table_name, action, row_id)
    VALUES ('expert_network', 'n/a', p_action, p_row);
END;
$$;
