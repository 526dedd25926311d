-- Pass corpus 53: triggers, policies and comments named on a table written unqualified, as
-- goharbor/harbor's make/migrations/postgresql/0004_1.8.0_schema.up.sql drops
-- `replication_target_update_time_at_modtime ON replication_target` and LemmyNet/lemmy's
-- migrations `DROP TRIGGER IF EXISTS refresh_comment ON comment` (re-homed into expert_network).
-- The fence refused the table as "trigger replication_target is not schema-qualified", although the
-- server looks it up as it does `ALTER TABLE replication_target`, which the fence resolves to the
-- table the migrations create in expert_network.
create table expert_network.pp_hb_replication_target (
 id SERIAL NOT NULL,
 name varchar(64),
 url varchar(64),
 creation_time timestamp default CURRENT_TIMESTAMP,
 update_time timestamp default CURRENT_TIMESTAMP,
 PRIMARY KEY (id)
);

CREATE FUNCTION expert_network.pp_hb_update_update_time_at_column() RETURNS TRIGGER
  LANGUAGE plpgsql SET search_path = expert_network, pg_catalog, pg_temp
  AS $$
  BEGIN
    NEW.update_time = NOW();
    RETURN NEW;
  END;
$$;

CREATE TRIGGER replication_target_update_time_at_modtime BEFORE UPDATE ON expert_network.pp_hb_replication_target FOR EACH ROW EXECUTE PROCEDURE expert_network.pp_hb_update_update_time_at_column();

COMMENT ON COLUMN pp_hb_replication_target.url IS 'the registry endpoint';

ALTER TABLE expert_network.pp_hb_replication_target ENABLE ROW LEVEL SECURITY;
CREATE POLICY pp_hb_read ON expert_network.pp_hb_replication_target FOR SELECT USING (true);
DROP POLICY IF EXISTS pp_hb_read ON pp_hb_replication_target;

/*upgrade the replication_target to registry*/
DROP TRIGGER replication_target_update_time_at_modtime ON pp_hb_replication_target;
ALTER TABLE expert_network.pp_hb_replication_target RENAME TO pp_hb_registry;
ALTER TABLE expert_network.pp_hb_registry ALTER COLUMN url TYPE varchar(256);

DROP TRIGGER IF EXISTS pp_hb_refresh_registry ON pp_hb_registry;
