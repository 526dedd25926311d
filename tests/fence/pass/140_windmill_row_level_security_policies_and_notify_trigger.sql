-- Pass corpus 140: Windmill's sqlx migrations (windmill-labs/windmill backend/migrations,
-- 20220123221903_first.up.sql at commit 08374e79845f2793cab06e95191be489127d51ad,
-- 20231002123723_notify_delete_config.up.sql at c8543d7ed4e53f984dbc5ee9cc83a244e6e0dccb): row
-- level security policies whose USING and WITH CHECK read the session's custom settings
-- (`current_setting('session.user')`, `session.groups`, `session.pgroups`) and a subquery of
-- another table; a DROP POLICY; and an AFTER DELETE trigger whose function calls pg_notify (the
-- trigger's body, not the migration, notifies). Re-homed into expert_network: `SET search_path TO
-- expert_network` for the path sqlx's connection has, the tables prefixed pp_wm_ and cut to a few
-- columns; the DO block that makes windmill_user and grants it ALL ON ALL TABLES IN SCHEMA public
-- is left out (re-homed, its TRIGGER privilege on every table makes the SECURITY DEFINER writes of
-- earlier pass files refused, as the ownership rule says it must). The fence passed it.
SET search_path TO expert_network;

CREATE TABLE pp_wm_workspace (
    id VARCHAR(50) PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    owner VARCHAR(50) NOT NULL,
    CONSTRAINT proper_id CHECK (id ~ '^\w+(-\w+)*$')
);

CREATE TABLE pp_wm_queue (
  id UUID PRIMARY KEY,
  workspace_id VARCHAR(50) NOT NULL REFERENCES pp_wm_workspace(id),
  permissioned_as VARCHAR(55) NOT NULL DEFAULT 'g/all'
);

CREATE TABLE pp_wm_audit (
    workspace_id VARCHAR(50) NOT NULL,
    id SERIAL,
    username VARCHAR(50) NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

CREATE TABLE pp_wm_group_ (
    workspace_id VARCHAR(50) NOT NULL REFERENCES pp_wm_workspace(id),
    name VARCHAR(50),
    summary TEXT,
    PRIMARY KEY (workspace_id, name),
	CONSTRAINT proper_name CHECK (name ~ '^[\w-]+$')
);

CREATE TABLE pp_wm_usr_to_group(
    workspace_id VARCHAR(50) NOT NULL REFERENCES pp_wm_workspace(id),
    group_ VARCHAR(50) NOT NULL,
	usr VARCHAR(50) NOT NULL DEFAULT 'ruben',
    CONSTRAINT fk_group FOREIGN KEY(workspace_id, group_) REFERENCES pp_wm_group_(workspace_id, name),
    PRIMARY KEY (workspace_id, usr, group_)
);

INSERT INTO pp_wm_group_ SELECT id, 'all', 'The group that always contains all users of this workspace' FROM pp_wm_workspace;

ALTER TABLE pp_wm_audit ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_log_see_own ON pp_wm_audit FOR SELECT
USING(pp_wm_audit.username = current_setting('session.user') or current_setting('session.is_admin')::boolean);

DROP POLICY audit_log_see_own on pp_wm_audit;
CREATE POLICY see_own ON pp_wm_audit FOR ALL
USING (pp_wm_audit.username = current_setting('session.user'));

ALTER TABLE pp_wm_queue ENABLE ROW LEVEL SECURITY;

CREATE POLICY see_own ON pp_wm_queue FOR ALL
USING (SPLIT_PART(pp_wm_queue.permissioned_as, '/', 1) = 'u' AND SPLIT_PART(pp_wm_queue.permissioned_as, '/', 2) = current_setting('session.user'));

CREATE POLICY see_member ON pp_wm_queue FOR ALL
USING (SPLIT_PART(pp_wm_queue.permissioned_as, '/', 1) = 'g' AND SPLIT_PART(pp_wm_queue.permissioned_as, '/', 2) = any(regexp_split_to_array(current_setting('session.groups'), ',')::text[]));

CREATE POLICY schedule ON pp_wm_audit FOR INSERT
WITH CHECK (pp_wm_audit.username LIKE 'schedule-%');

ALTER TABLE pp_wm_group_
ADD COLUMN extra_perms JSONB NOT NULL DEFAULT '{}';

CREATE INDEX pp_wm_group_extra_perms ON pp_wm_group_ USING GIN (extra_perms);

ALTER TABLE pp_wm_usr_to_group ENABLE ROW LEVEL SECURITY;

CREATE POLICY see_extra_perms_user ON pp_wm_usr_to_group FOR ALL
USING (true)
WITH CHECK (EXISTS(SELECT 1 FROM pp_wm_group_ WHERE pp_wm_usr_to_group.group_ = pp_wm_group_.name AND pp_wm_usr_to_group.workspace_id = pp_wm_group_.workspace_id  AND (pp_wm_group_.extra_perms ->> CONCAT('u/', current_setting('session.user')))::boolean));

CREATE POLICY see_extra_perms_groups ON pp_wm_usr_to_group FOR ALL
USING (true)
WITH CHECK (exists(
    SELECT f.* FROM pp_wm_group_ g, jsonb_each_text(g.extra_perms) f 
    WHERE pp_wm_usr_to_group.group_ = g.name AND pp_wm_usr_to_group.workspace_id = g.workspace_id AND SPLIT_PART(key, '/', 1) = 'g' AND key = ANY(regexp_split_to_array(current_setting('session.pgroups'), ',')::text[])
    AND value::boolean));

CREATE TABLE pp_wm_global_settings (
    name VARCHAR(255) PRIMARY KEY,
    value JSONB NOT NULL,
    updated_at TIMESTAMP NOT NULL DEFAULT now()
);

CREATE FUNCTION "pp_wm_notify_global_setting_delete" ()
RETURNS TRIGGER AS $$
BEGIN
    PERFORM pg_notify('notify_global_setting_change', OLD.name::text);
    RETURN OLD;
END;
$$ LANGUAGE PLPGSQL;
  
CREATE OR REPLACE TRIGGER "notify_global_setting_delete"
 AFTER DELETE ON "pp_wm_global_settings"
    FOR EACH ROW
EXECUTE FUNCTION "pp_wm_notify_global_setting_delete" ();
