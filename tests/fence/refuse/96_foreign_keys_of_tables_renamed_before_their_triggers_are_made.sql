-- Refuse corpus 96: a foreign key's action writes the referencing rows as their table's owner in the
-- session of whatever role deletes or updates a referenced row, and fires that table's BEFORE
-- triggers inline with the owner's rights (corpus 80). The fence judged the key by the table's name
-- when the key was made, and counted the triggers made under that name or an earlier one of the
-- same relation, but not those made after an unqualified `ALTER TABLE ... RENAME TO` under the new
-- name: the idiom of Coder's migration that renames its notification tables to alert tables
-- (coder/coder coderd/database/migrations, `ALTER TABLE notification_messages RENAME TO
-- alert_messages;` then `CREATE TRIGGER update_alert_message_dedupe_hash BEFORE INSERT OR UPDATE ON
-- alert_messages ... EXECUTE FUNCTION compute_alert_message_dedupe_hash()`, whose body calls MD5()
-- and NOW() with no path of its own), here with the messages' user key ON DELETE SET NULL where
-- Coder's cascades (a cascaded DELETE fires no BEFORE UPDATE trigger, so Coder's own passes). The
-- relation keeps its keys and triggers across the rename, so the server fires the new name's
-- trigger for the old name's key. Run on PG 15 as the runner's superuser with `tests/fence/prove.py`
-- (database: demo/public_apps.sql and sql/001-003 applied, placeholders raguser and
-- expert_network_readonly), the proof printed raguser's rolcreaterole f, then t: raguser, not a
-- superuser, made its own `expert_network.md5(text)` and deleted a user row of its own; the key set
-- the message's user NULL as the superuser, and the trigger's MD5() found raguser's on raguser's
-- path (the rows are inserted before the trigger is made: a PL/pgSQL function's simple expressions
-- keep the calls the session's first run of it found). Found by a hunt: before, the refused
-- statement passed `check`.

CREATE TABLE expert_network.rn_users (id uuid PRIMARY KEY, deleted boolean DEFAULT false NOT NULL);

-- Reaches: raguser gets CREATEROLE.
-- refuse: unqualified-name
CREATE TABLE expert_network.rn_notification_messages (id uuid PRIMARY KEY, user_id uuid REFERENCES expert_network.rn_users (id) ON DELETE SET NULL, targets uuid[], dedupe_hash text, created_at timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP);
ALTER TABLE expert_network.rn_notification_messages RENAME TO rn_alert_messages;
CREATE FUNCTION expert_network.rn_compute_alert_message_dedupe_hash() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.dedupe_hash = MD5(
        COALESCE(NEW.user_id::text, '') ||
        COALESCE(NEW.targets::text, '') ||
        DATE(NOW())::text
    );
    RETURN NEW;
END;
$$;
INSERT INTO expert_network.rn_users VALUES ('00000000-0000-0000-0000-000000000001');
INSERT INTO expert_network.rn_alert_messages (id, user_id) VALUES ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001');
CREATE TRIGGER rn_update_alert_message_dedupe_hash BEFORE INSERT OR UPDATE ON expert_network.rn_alert_messages FOR EACH ROW EXECUTE FUNCTION expert_network.rn_compute_alert_message_dedupe_hash();
GRANT ALL ON ALL TABLES IN SCHEMA expert_network TO raguser;
-- proof: SET LOCAL ROLE raguser; SET LOCAL search_path = expert_network, pg_catalog; CREATE FUNCTION expert_network.md5(t text) RETURNS text LANGUAGE plpgsql AS 'BEGIN IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN ALTER ROLE raguser CREATEROLE; END IF; RETURN pg_catalog.md5(t); END'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; DELETE FROM expert_network.rn_users; RESET ROLE; SET LOCAL search_path = expert_network, pg_catalog, pg_temp; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'
