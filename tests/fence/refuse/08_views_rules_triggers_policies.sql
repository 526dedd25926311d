-- Refuse corpus 08: views and materialized views over public, rules, triggers (on public
-- tables, calling public functions, or on expert_network tables whose function writes public),
-- row level security policies and extended statistics.

CREATE TABLE expert_network.vrt_campaigns (id uuid PRIMARY KEY, user_id text NOT NULL, title text);

-- refuse: touches-public
CREATE VIEW expert_network.campaigns_with_users AS
SELECT c.*, u.email
FROM expert_network.vrt_campaigns c
JOIN public."user" u ON u.id = c.user_id;
-- refuse: touches-public
CREATE OR REPLACE VIEW expert_network.active_sessions AS
SELECT * FROM public.session WHERE "expiresAt" > now();
-- refuse: touches-public
CREATE VIEW public.expert_campaigns AS SELECT * FROM expert_network.vrt_campaigns;
-- refuse: touches-public
CREATE VIEW expert_network.verified_campaigns (n) AS
SELECT count(*) FROM expert_network.vrt_campaigns
WHERE user_id IN (SELECT id FROM public."user" WHERE "emailVerified");
-- refuse: touches-public
CREATE VIEW expert_network.v_cte AS
WITH s AS (SELECT "userId" FROM public.session) SELECT count(*) FROM s;
-- refuse: touches-public
CREATE VIEW expert_network.v_lateral AS
SELECT c.id, l.token
FROM expert_network.vrt_campaigns c
LEFT JOIN LATERAL (
    SELECT s.token FROM public.session s WHERE s."userId" = c.user_id LIMIT 1
) l ON true;
-- refuse: touches-public
CREATE VIEW expert_network.v_union AS
SELECT user_id AS id FROM expert_network.vrt_campaigns
UNION ALL
SELECT id FROM public."user";
-- refuse: touches-public
CREATE MATERIALIZED VIEW expert_network.user_campaign_counts AS
SELECT u.id, count(c.id) AS campaigns
FROM public."user" u
LEFT JOIN expert_network.vrt_campaigns c ON c.user_id = u.id
GROUP BY u.id;
-- refuse: touches-public
CREATE MATERIALIZED VIEW public.expert_stats AS
SELECT count(*) FROM expert_network.vrt_campaigns
WITH NO DATA;
-- refuse: touches-public
ALTER VIEW public.user_overview RENAME TO user_overview_old;
-- refuse: touches-public
ALTER VIEW expert_network.v_union ALTER COLUMN id SET DEFAULT public.current_user_id();

-- refuse: touches-public
CREATE RULE campaigns_delete_sessions AS
    ON DELETE TO expert_network.vrt_campaigns
    DO ALSO DELETE FROM public.session WHERE "userId" = OLD.user_id;
-- refuse: touches-public
CREATE RULE protect_user AS ON DELETE TO public."user" DO INSTEAD NOTHING;
-- refuse: touches-public
CREATE OR REPLACE RULE only_known_users AS
    ON INSERT TO expert_network.vrt_campaigns
    WHERE NOT EXISTS (SELECT 1 FROM public."user" u WHERE u.id = NEW.user_id)
    DO INSTEAD NOTHING;
-- refuse: touches-public
CREATE RULE touch_user AS
    ON UPDATE TO expert_network.vrt_campaigns
    DO ALSO (
        INSERT INTO expert_network.audit_log (action) VALUES ('u');
        UPDATE public."user" SET "updatedAt" = now() WHERE id = NEW.user_id
    );
-- refuse: touches-public
ALTER RULE protect_user ON public."user" RENAME TO protect_user2;

-- refuse: touches-public
CREATE TRIGGER user_sync
    AFTER INSERT ON public."user"
    FOR EACH ROW EXECUTE FUNCTION expert_network.on_user_created();
-- refuse: touches-public
CREATE TRIGGER session_audit
    BEFORE DELETE ON public.session
    FOR EACH STATEMENT EXECUTE PROCEDURE expert_network.audit_stmt();
-- refuse: touches-public
CREATE OR REPLACE TRIGGER account_check
    AFTER UPDATE ON public.account
    FOR EACH ROW EXECUTE FUNCTION expert_network.check_account();
-- refuse: touches-public
CREATE CONSTRAINT TRIGGER account_deferred
    AFTER UPDATE ON public.account
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION expert_network.check_account();
-- refuse: touches-public
CREATE CONSTRAINT TRIGGER campaigns_user_fk
    AFTER INSERT ON expert_network.vrt_campaigns
    FROM public."user"
    FOR EACH ROW EXECUTE FUNCTION expert_network.noop();
-- refuse: touches-public
CREATE TRIGGER campaigns_touch
    BEFORE UPDATE ON expert_network.vrt_campaigns
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
-- refuse: touches-public
CREATE TRIGGER campaigns_when
    AFTER UPDATE ON expert_network.vrt_campaigns
    FOR EACH ROW
    WHEN (NEW.user_id IS DISTINCT FROM OLD.user_id)
    EXECUTE FUNCTION public.audit();
-- refuse: touches-public
ALTER TABLE public.session DISABLE TRIGGER session_audit;
-- refuse: touches-public
ALTER TRIGGER user_sync ON public."user" RENAME TO user_sync2;
-- refuse: touches-public
DROP TRIGGER IF EXISTS user_sync ON public."user";

-- A trigger on an expert_network table is fine; its function is what writes public.
-- refuse: touches-public
CREATE FUNCTION expert_network.vrt_push_title() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE public."user" SET name = NEW.title WHERE id = NEW.user_id;
    RETURN NEW;
END;
$$;
CREATE TRIGGER vrt_push_title
    AFTER UPDATE ON expert_network.vrt_campaigns
    FOR EACH ROW EXECUTE FUNCTION expert_network.vrt_push_title();

-- refuse: touches-public
CREATE POLICY user_self ON public."user" USING (id = current_user);
-- refuse: touches-public
CREATE POLICY campaigns_owner ON expert_network.vrt_campaigns
    USING (user_id IN (SELECT id FROM public."user" WHERE email = current_user));
-- refuse: touches-public
CREATE POLICY campaigns_insert ON expert_network.vrt_campaigns
    FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM public.session s WHERE s."userId" = user_id));
-- refuse: touches-public
ALTER POLICY user_self ON public."user" USING (true);
-- refuse: touches-public
ALTER POLICY campaigns_owner ON expert_network.vrt_campaigns
    USING (user_id = (SELECT id FROM public."user" LIMIT 1));
-- refuse: touches-public
DROP POLICY IF EXISTS user_self ON public."user";
-- refuse: touches-public
CREATE STATISTICS expert_network.vrt_user_stats (dependencies) ON email, name FROM public."user";

-- Both resolve to expert_network.vrt_campaigns, which this file creates (issue 11).
CREATE VIEW expert_network.v_unq AS SELECT * FROM vrt_campaigns;
CREATE TRIGGER t_unq BEFORE INSERT ON vrt_campaigns
    FOR EACH ROW EXECUTE FUNCTION expert_network.noop();
-- No migration creates it (the pass corpus's diesel and sqlx files create expert_network.set_updated_at).
-- refuse: unqualified-name
CREATE TRIGGER t_fn_unq BEFORE INSERT ON expert_network.vrt_campaigns
    FOR EACH ROW EXECUTE FUNCTION vrt_set_updated_at();
-- refuse: unqualified-name
CREATE RULE r_unq AS ON INSERT TO expert_network.vrt_campaigns
    DO ALSO INSERT INTO audit_log (action) VALUES ('i');
-- refuse: unqualified-name
CREATE POLICY p_unq ON expert_network.vrt_campaigns
    USING (user_id IN (SELECT user_id FROM team_members));
-- refuse: outside-schema
CREATE VIEW reporting.campaigns AS SELECT * FROM expert_network.vrt_campaigns;
-- refuse: outside-schema
CREATE TRIGGER t_other AFTER INSERT ON chat.messages
    FOR EACH ROW EXECUTE FUNCTION expert_network.noop();

-- Allowed.
CREATE VIEW expert_network.vrt_public_campaigns AS
SELECT id, title FROM expert_network.vrt_campaigns WHERE title <> 'public';
CREATE POLICY vrt_owner ON expert_network.vrt_campaigns
    USING (user_id = current_setting('app.user_id', true));
