-- Pass corpus 09: trigger functions and triggers on expert_network tables (row, statement,
-- WHEN clause, constraint trigger, EXECUTE PROCEDURE spelling, a 'public' trigger argument).
CREATE TRIGGER pass_campaigns_touch_updated_at
    BEFORE UPDATE ON expert_network.pass_campaigns
    FOR EACH ROW
    EXECUTE FUNCTION expert_network.pass_touch_updated_at();

CREATE TRIGGER pass_projects_touch_updated_at
    BEFORE UPDATE ON expert_network.pass_projects
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION expert_network.pass_touch_updated_at();

CREATE FUNCTION expert_network.pass_audit_row()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
    v_row jsonb;
    v_tag text := coalesce(TG_ARGV[0], 'untagged');
BEGIN
    IF TG_OP = 'DELETE' THEN
        v_row := to_jsonb(OLD);
    ELSE
        v_row := to_jsonb(NEW);
    END IF;
    INSERT INTO expert_network.pass_audit_log (table_schema, table_name, action, row_id, payload)
    VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, lower(TG_OP), v_row ->> 'id',
            jsonb_build_object('tag', v_tag, 'row', v_row));
    RETURN NULL;
END;
$$;

-- The argument 'public' is a string handed to the trigger function, not a schema.
CREATE TRIGGER pass_experts_audit
    AFTER INSERT OR UPDATE OR DELETE ON expert_network.pass_experts
    FOR EACH ROW
    EXECUTE FUNCTION expert_network.pass_audit_row('public');

CREATE TRIGGER pass_interviews_audit
    AFTER INSERT OR DELETE ON expert_network.pass_interviews
    FOR EACH ROW
    EXECUTE PROCEDURE expert_network.pass_audit_row('interviews');

CREATE FUNCTION expert_network.pass_check_interview_window()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = expert_network, pg_catalog
AS $$
DECLARE
    v_end date;
BEGIN
    SELECT c.end_date INTO v_end
    FROM expert_network.pass_experts AS e
    JOIN expert_network.pass_campaigns AS c ON c.id = e.campaign_id
    WHERE e.id = NEW.expert_id;

    IF v_end IS NOT NULL AND NEW.scheduled_at::date > v_end THEN
        RAISE EXCEPTION 'interview % is after the campaign end date %', NEW.id, v_end;
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER pass_interviews_window
    AFTER INSERT OR UPDATE OF scheduled_at, expert_id ON expert_network.pass_interviews
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW
    EXECUTE FUNCTION expert_network.pass_check_interview_window();

CREATE FUNCTION expert_network.pass_count_statement()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
    INSERT INTO expert_network.pass_audit_log (table_schema, table_name, action)
    VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, 'statement:' || lower(TG_OP));
    RETURN NULL;
END;
$$;

CREATE TRIGGER pass_vendor_platforms_statement
    AFTER INSERT OR UPDATE OR DELETE ON expert_network.pass_vendor_platforms
    FOR EACH STATEMENT
    EXECUTE FUNCTION expert_network.pass_count_statement();

COMMENT ON TRIGGER pass_experts_audit ON expert_network.pass_experts IS
    'Audits expert rows; never touches public.';
