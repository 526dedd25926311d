-- Pass corpus 54: a schema dump whose `public.` prefixes were stripped, as element-hq/synapse ships
-- synapse/storage/schema/main/full_schemas/72/full.sql.postgres and concourse/concourse its
-- atc/db/migration/migrations/1510262030_initial_schema.up.sql (re-homed into expert_network):
-- `ALTER SEQUENCE ... OWNED BY instance_map.instance_id` names the table unqualified. The fence
-- refused it as "table instance_map is not schema-qualified"; the server looks the table up on the
-- search_path as `ALTER TABLE instance_map` does, which resolves to expert_network's.
CREATE TABLE expert_network.pp_sy_instance_map (
    instance_id integer NOT NULL,
    instance_name text NOT NULL
);
CREATE SEQUENCE expert_network.pp_sy_instance_map_instance_id_seq
    AS integer
    CACHE 1;
ALTER SEQUENCE expert_network.pp_sy_instance_map_instance_id_seq OWNED BY pp_sy_instance_map.instance_id;
ALTER TABLE ONLY expert_network.pp_sy_instance_map ALTER COLUMN instance_id SET DEFAULT nextval('expert_network.pp_sy_instance_map_instance_id_seq'::regclass);
ALTER TABLE ONLY expert_network.pp_sy_instance_map
    ADD CONSTRAINT pp_sy_instance_map_pkey PRIMARY KEY (instance_id);

CREATE TABLE expert_network.pp_cc_teams (
    id integer NOT NULL,
    name text NOT NULL,
    auth text
);
CREATE SEQUENCE expert_network.pp_cc_teams_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
    OWNED BY pp_cc_teams.id;
COMMENT ON COLUMN pp_cc_teams.auth IS 'the team''s auth configuration';
