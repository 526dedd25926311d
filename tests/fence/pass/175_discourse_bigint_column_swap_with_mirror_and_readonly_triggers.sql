-- Pass corpus 175: Discourse's int-to-bigint column swap and its readonly-column trigger
-- (discourse/discourse): db/migrate/20240826121505_add_big_int_user_badges_notification_id.rb
-- (commit b92cc88bb8846e76702bb42cc756ef7772e0ef0c: `ALTER TABLE user_badges ADD COLUMN
-- new_notification_id BIGINT`, then `execute <<~SQL.squish` of a one-line `CREATE FUNCTION
-- mirror_user_badges_notification_id() RETURNS trigger AS $$ BEGIN NEW.new_notification_id =
-- NEW.notification_id; RETURN NEW; END; $$ LANGUAGE plpgsql` and its BEFORE INSERT trigger),
-- 20240826121506_copy_user_badges_notification_id_values.rb (commit
-- 025ef7d5068897542450a9419969eef1e8430f7d: the batched `UPDATE user_badges SET
-- new_notification_id = notification_id WHERE id >= ... AND id < ... AND notification_id IS NOT NULL
-- AND new_notification_id IS NULL`, one batch here), 20240826121507_swap_big_int_user_badges_notification_id.rb
-- (same commit: `DROP TRIGGER ... ON user_badges`, `DROP FUNCTION mirror_user_badges_notification_id()`
-- unqualified, the two RENAME COLUMNs, then `Migration::ColumnDropper.mark_readonly(:user_badges,
-- :old_notification_id)`), and the SQL that lib/migration/column_dropper.rb (commit
-- 07189971705e53768525871c3fc838cb2330d027) and lib/migration/base_dropper.rb (commit
-- 02b45d2056886808d520bdb11f6a1d2cdc40d2fd) run for it: the information_schema.columns read of the
-- column's default, `CREATE OR REPLACE FUNCTION ... raise_user_badges_old_notification_id_readonly()
-- RETURNS trigger AS $rcr$ BEGIN RAISE EXCEPTION '...'; END $rcr$ LANGUAGE plpgsql;` (its own dollar
-- tag), the `BEFORE INSERT OR UPDATE OF old_notification_id ... FOR EACH ROW WHEN
-- (NEW.old_notification_id IS NOT NULL) EXECUTE PROCEDURE` trigger, and, when the column is dropped
-- later (execute_drop), `DROP FUNCTION IF EXISTS <schema>.raise_..._readonly() CASCADE` (which drops
-- the trigger with it), the backward-compatible `DROP FUNCTION IF EXISTS raise_..._readonly()
-- CASCADE` of the old unqualified name, and `ALTER TABLE user_badges DROP COLUMN IF EXISTS
-- old_notification_id`. Re-homed into expert_network: Discourse keeps the readonly functions in a
-- schema of its own, `CREATE SCHEMA IF NOT EXISTS discourse_functions` (refused rightly: creating
-- another schema reaches outside expert_network), so they are made in expert_network; the table
-- (cut to its columns) and the objects made qualified, the DROPs, renames and the UPDATE as
-- Discourse writes them, unqualified; names prefixed dc_. The fence passed it; psql on PostgreSQL 15
-- applied it, an UPDATE setting old_notification_id failed with "Discourse: old_notification_id in
-- dc_user_badges is readonly" before the drop, and pg_attribute read back notification_id as bigint.
CREATE TABLE expert_network.dc_user_badges (
    id serial PRIMARY KEY,
    badge_id integer NOT NULL,
    user_id integer NOT NULL,
    granted_at timestamp without time zone NOT NULL,
    notification_id integer
);
CREATE INDEX index_dc_user_badges_on_badge_id_and_user_id ON expert_network.dc_user_badges USING btree (badge_id, user_id);
INSERT INTO expert_network.dc_user_badges (badge_id, user_id, granted_at, notification_id) VALUES (1, 1, now(), 10), (2, 1, now(), NULL);

-- 20240826121505_add_big_int_user_badges_notification_id.rb
ALTER TABLE expert_network.dc_user_badges ADD COLUMN new_notification_id BIGINT;
CREATE FUNCTION expert_network.dc_mirror_user_badges_notification_id() RETURNS trigger AS $$ BEGIN NEW.new_notification_id = NEW.notification_id; RETURN NEW; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER dc_user_badges_new_notification_id_trigger BEFORE INSERT ON expert_network.dc_user_badges FOR EACH ROW EXECUTE PROCEDURE expert_network.dc_mirror_user_badges_notification_id();

-- 20240826121506_copy_user_badges_notification_id_values.rb
SELECT MIN(id), MAX(id) FROM dc_user_badges;
UPDATE dc_user_badges SET new_notification_id = notification_id WHERE id >= 1 AND id < 10001 AND notification_id IS NOT NULL AND new_notification_id IS NULL;

-- 20240826121507_swap_big_int_user_badges_notification_id.rb
DROP TRIGGER dc_user_badges_new_notification_id_trigger ON dc_user_badges;
DROP FUNCTION dc_mirror_user_badges_notification_id();
ALTER TABLE dc_user_badges RENAME COLUMN notification_id TO old_notification_id;
ALTER TABLE dc_user_badges RENAME COLUMN new_notification_id TO notification_id;

-- Migration::ColumnDropper.mark_readonly(:user_badges, :old_notification_id)
SELECT column_default IS NOT NULL
FROM information_schema.columns
WHERE table_schema = 'expert_network'
AND table_name = 'dc_user_badges'
AND column_name = 'old_notification_id';
CREATE OR REPLACE FUNCTION expert_network.dc_raise_user_badges_old_notification_id_readonly() RETURNS trigger AS $rcr$
  BEGIN
    RAISE EXCEPTION 'Discourse: old_notification_id in dc_user_badges is readonly';
  END
$rcr$ LANGUAGE plpgsql;
CREATE TRIGGER dc_user_badges_old_notification_id_readonly
BEFORE INSERT OR UPDATE OF old_notification_id
ON expert_network.dc_user_badges
FOR EACH ROW
WHEN (NEW.old_notification_id IS NOT NULL)
EXECUTE PROCEDURE expert_network.dc_raise_user_badges_old_notification_id_readonly();

-- Migration::ColumnDropper.execute_drop(:user_badges, [:old_notification_id]), a later release
DROP FUNCTION IF EXISTS expert_network.dc_raise_user_badges_old_notification_id_readonly() CASCADE;
DROP FUNCTION IF EXISTS dc_raise_user_badges_old_notification_id_readonly() CASCADE;
ALTER TABLE dc_user_badges DROP COLUMN IF EXISTS old_notification_id;
