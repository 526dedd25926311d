-- Refuse corpus 29 (issue 11, class 2): the statement names only expert_network objects, but the view
-- or rule it goes through writes a catalog. Views over structure catalogs are readable (the CREATE
-- VIEWs pass); writing through them is a catalog write. Proven with psql on PG 15 (rolled back).

CREATE VIEW expert_network.v_rels AS
    SELECT c.oid, c.relname, c.relnamespace FROM pg_catalog.pg_class AS c;

-- Reaches: pg_catalog.pg_class through an auto-updatable view: public's "user" table renamed.
-- refuse: outside-schema
UPDATE expert_network.v_rels SET relname = 'user_gone'
WHERE relname = 'user' AND relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace AS n WHERE n.nspname = 'public');

-- Reaches: pg_catalog.pg_class, DELETE through the view (public.session vanishes from the catalog).
-- refuse: outside-schema
DELETE FROM expert_network.v_rels WHERE relname = 'session';

-- Reaches: every setting's value, the superuser-only ones included (see 38): reading pg_settings is
-- refused too, so the view that would carry the write below is refused already.
-- refuse: catalog-data
CREATE VIEW expert_network.v_settings AS
    SELECT s.name, s.setting FROM pg_catalog.pg_settings AS s;

-- Reaches: the session's search_path, through pg_settings' own UPDATE rule (set_config underneath).
-- refuse: outside-schema
UPDATE expert_network.v_settings SET setting = 'public' WHERE name = 'search_path';

CREATE TABLE expert_network.pp_inbox (id bigint PRIMARY KEY, note text);

-- Reaches: pg_catalog.pg_authid each time the application inserts into the inbox.
-- refuse: outside-schema
CREATE RULE pp_inbox_escalate AS ON INSERT TO expert_network.pp_inbox
    DO ALSO UPDATE pg_catalog.pg_authid SET rolsuper = true WHERE rolname = 'raguser';

-- Reaches: pg_catalog.pg_settings (track_counts off) through an unqualified rule action.
-- refuse: outside-schema
CREATE RULE pp_inbox_blind AS ON UPDATE TO expert_network.pp_inbox
    DO ALSO UPDATE pg_settings SET setting = 'off' WHERE name = 'track_counts';

-- Reaches: pg_catalog.pg_class through a view of a view.
CREATE VIEW expert_network.v_rels2 AS SELECT * FROM expert_network.v_rels;
-- refuse: outside-schema
UPDATE expert_network.v_rels2 SET relname = 'chats_old' WHERE relname = 'chats';
