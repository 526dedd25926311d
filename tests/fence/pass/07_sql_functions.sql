-- Pass corpus 07: SQL-language functions and procedures with every body form: a quoted string
-- (with doubled quotes), $$...$$, $fn$...$fn$, BEGIN ATOMIC ... END and RETURN expr.
CREATE FUNCTION expert_network.pass_campaign_count(p_user_id text)
RETURNS bigint
LANGUAGE sql STABLE
SET search_path = pg_catalog
AS 'SELECT count(*) FROM expert_network.pass_campaigns WHERE user_id = p_user_id';

CREATE FUNCTION expert_network.pass_label_for(p_visibility expert_network.pass_visibility)
RETURNS text
LANGUAGE sql IMMUTABLE
AS 'SELECT CASE p_visibility WHEN ''public'' THEN ''Visible to everyone'' ELSE ''Restricted'' END';

CREATE FUNCTION expert_network.pass_campaigns_for(p_user_id text)
RETURNS SETOF expert_network.pass_campaigns
LANGUAGE sql STABLE
SET search_path = expert_network, pg_catalog
AS $$
    SELECT c.*
    FROM expert_network.pass_campaigns AS c
    WHERE c.user_id = p_user_id
    ORDER BY c.created_at DESC
$$;

CREATE FUNCTION expert_network.pass_expert_summary(p_campaign uuid)
RETURNS TABLE (expert_id uuid, full_name text, interviews bigint)
LANGUAGE sql STABLE
AS $fn$
    WITH counted AS (
        SELECT i.expert_id, count(*) AS n
        FROM expert_network.pass_interviews AS i
        GROUP BY i.expert_id
    )
    SELECT e.id, e.full_name, coalesce(c.n, 0)
    FROM expert_network.pass_experts AS e
    LEFT JOIN counted AS c ON c.expert_id = e.id
    WHERE e.campaign_id = p_campaign
$fn$;

CREATE FUNCTION expert_network.pass_close_campaign(p_id uuid)
RETURNS expert_network.pass_campaign_status
LANGUAGE sql
BEGIN ATOMIC
    UPDATE expert_network.pass_campaigns
       SET status = 'closed', updated_at = now()
     WHERE id = p_id;
    INSERT INTO expert_network.pass_audit_log (table_schema, table_name, action, row_id)
    VALUES ('expert_network', 'pass_campaigns', 'close', p_id::text);
    SELECT status FROM expert_network.pass_campaigns WHERE id = p_id;
END;

CREATE FUNCTION expert_network.pass_is_public(p_visibility expert_network.pass_visibility)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN p_visibility = 'public';

CREATE FUNCTION expert_network.pass_normalize_email(p_email text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT
RETURN pg_catalog.lower(pg_catalog.btrim(p_email));

CREATE FUNCTION expert_network.pass_budget_of(p_campaign uuid)
RETURNS expert_network.pass_money
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT coalesce(c.budget, ROW(0, 'USD')::expert_network.pass_money)
    FROM expert_network.pass_campaigns AS c
    WHERE c.id = p_campaign;
END;

CREATE PROCEDURE expert_network.pass_archive_closed_campaigns(p_before timestamptz DEFAULT now())
LANGUAGE sql
BEGIN ATOMIC
    UPDATE expert_network.pass_campaigns
       SET metadata = metadata || jsonb_build_object('archived_at', p_before)
     WHERE status = 'closed' AND updated_at < p_before;
END;

CREATE FUNCTION expert_network.pass_literal_demo()
RETURNS text
LANGUAGE sql IMMUTABLE
AS $body$
    SELECT 'public.user is BetterAuth''s table; ' || $txt$and $$ inside is just text$txt$
$body$;

COMMENT ON FUNCTION expert_network.pass_literal_demo() IS 'Returns text that mentions public.user';
