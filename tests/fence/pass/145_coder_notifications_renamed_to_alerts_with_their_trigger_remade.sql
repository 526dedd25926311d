-- Pass corpus 145: Coder's rename of its notification system to an alerts system (coder/coder
-- coderd/database/migrations, the up migration that begins `-- Rename notification system to alerts
-- system.`, and compute_notification_message_dedupe_hash() as coderd/database/dump.sql at commit
-- 0001d5018f9992a7cbef90ef49f2fa4a5ba79274 holds it), golang-migrate files as sqlc reads them:
-- DROP TRIGGER and DROP FUNCTION IF EXISTS, ALTER TYPE ... RENAME TO of enums, ALTER TABLE ...
-- RENAME TO, RENAME COLUMN, RENAME CONSTRAINT of primary, unique and foreign keys by the names the
-- server gave them, ALTER INDEX ... RENAME TO, ALTER TYPE ... RENAME VALUE, and a BEFORE INSERT OR
-- UPDATE dedupe-hash trigger (MD5, CONCAT_WS, DATE_TRUNC and NOW() with no path of its own) made
-- again under the messages table's new name. The messages' keys cascade on delete, which fires no
-- BEFORE UPDATE trigger, so the trigger the key reaches under the table's later name passes (PG 15:
-- raguser's DELETE of a user row, with raguser's `expert_network.md5(text)` on its own path,
-- deleted the message and left raguser without CREATEROLE); with a SET NULL key it is refused (refuse
-- corpus 96). The tables and types first, as Coder's earlier notification migrations made them,
-- cut to the columns this migration names (written for this file, not Coder's text). Re-homed into
-- expert_network: `SET search_path TO expert_network` for the path Coder's connection has, every
-- object prefixed pp_cd_ (constraints and indexes by the names the server derives from the
-- prefixed tables); the inhibit_enqueue_if_disabled() function and trigger are left out (their body
-- reads the preference tables unqualified with no path of its own: refused, and rightly). The
-- fence passed it.
SET search_path TO expert_network;
CREATE TABLE pp_cd_users (id uuid PRIMARY KEY, deleted boolean DEFAULT false NOT NULL);
CREATE TYPE pp_cd_notification_method AS ENUM ('smtp', 'webhook');
CREATE TYPE pp_cd_notification_message_status AS ENUM ('pending', 'leased', 'sent', 'permanent_failure', 'temporary_failure', 'unknown');
CREATE TYPE pp_cd_notification_template_kind AS ENUM ('system');
CREATE TYPE pp_cd_inbox_notification_read_status AS ENUM ('all', 'unread', 'read');
CREATE TYPE pp_cd_resource_type AS ENUM ('organization', 'notifications_settings', 'notification_template');
CREATE TABLE pp_cd_notification_templates
(
    id              uuid                 NOT NULL,
    name            text                 NOT NULL,
    title_template  text                 NOT NULL,
    body_template   text                 NOT NULL,
    actions         jsonb,
    "group"         text,
    method          pp_cd_notification_method,
    kind            pp_cd_notification_template_kind DEFAULT 'system'::pp_cd_notification_template_kind NOT NULL,
    enabled_by_default boolean DEFAULT TRUE NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (name)
);
CREATE TABLE pp_cd_notification_messages
(
    id                       uuid                        NOT NULL,
    notification_template_id uuid                        NOT NULL,
    user_id                  uuid                        NOT NULL,
    method                   pp_cd_notification_method         NOT NULL,
    status                   pp_cd_notification_message_status NOT NULL DEFAULT 'pending'::pp_cd_notification_message_status,
    payload                  jsonb                       NOT NULL,
    targets                  uuid[],
    created_at               timestamp with time zone    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    dedupe_hash              text NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (notification_template_id) REFERENCES pp_cd_notification_templates (id) ON DELETE CASCADE,
    FOREIGN KEY (user_id) REFERENCES pp_cd_users (id) ON DELETE CASCADE
);
CREATE INDEX pp_cd_idx_notification_messages_status ON pp_cd_notification_messages (status);
CREATE UNIQUE INDEX pp_cd_notification_messages_dedupe_hash_idx ON pp_cd_notification_messages (dedupe_hash);
CREATE TABLE pp_cd_notification_preferences
(
	user_id                  uuid REFERENCES pp_cd_users ON DELETE CASCADE                  NOT NULL,
	notification_template_id uuid REFERENCES pp_cd_notification_templates ON DELETE CASCADE NOT NULL,
	disabled                 bool                                                     NOT NULL DEFAULT FALSE,
	PRIMARY KEY (user_id, notification_template_id)
);
CREATE TABLE pp_cd_notification_report_generator_logs
(
    notification_template_id uuid NOT NULL,
    last_generated_at timestamp with time zone NOT NULL,
    PRIMARY KEY (notification_template_id)
);
CREATE TABLE pp_cd_inbox_notifications (
    id                  UUID PRIMARY KEY,
    user_id             UUID NOT NULL,
    template_id         UUID NOT NULL,
    targets             UUID[],
    title               TEXT NOT NULL,
    read_at             TIMESTAMP WITH TIME ZONE,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    FOREIGN KEY (user_id) REFERENCES pp_cd_users(id) ON DELETE CASCADE,
    FOREIGN KEY (template_id) REFERENCES pp_cd_notification_templates(id) ON DELETE CASCADE
);
CREATE INDEX pp_cd_idx_inbox_notifications_user_id_read_at ON pp_cd_inbox_notifications(user_id, read_at);
CREATE INDEX pp_cd_idx_inbox_notifications_user_id_template_id_targets ON pp_cd_inbox_notifications(user_id, template_id, targets);
CREATE FUNCTION pp_cd_compute_notification_message_dedupe_hash() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.dedupe_hash := MD5(CONCAT_WS(':',
                                     NEW.notification_template_id,
                                     NEW.user_id,
                                     NEW.method,
                                     NEW.payload::text,
                                     ARRAY_TO_STRING(NEW.targets, ','),
                                     DATE_TRUNC('day', NEW.created_at AT TIME ZONE 'UTC')::text
                           ));
    RETURN NEW;
END;
$$;
CREATE TRIGGER pp_cd_update_notification_message_dedupe_hash BEFORE INSERT OR UPDATE ON pp_cd_notification_messages FOR EACH ROW EXECUTE FUNCTION pp_cd_compute_notification_message_dedupe_hash();

-- Rename notification system to alerts system.

-- First, drop all triggers that depend on functions we'll rename.
DROP TRIGGER IF EXISTS pp_cd_update_notification_message_dedupe_hash ON pp_cd_notification_messages;
DROP TRIGGER IF EXISTS pp_cd_inhibit_enqueue_if_disabled ON pp_cd_notification_messages;

-- Drop the functions.
DROP FUNCTION IF EXISTS pp_cd_compute_notification_message_dedupe_hash();
DROP FUNCTION IF EXISTS pp_cd_inhibit_enqueue_if_disabled();

-- Rename types.
ALTER TYPE pp_cd_inbox_notification_read_status RENAME TO pp_cd_inbox_alert_read_status;
ALTER TYPE pp_cd_notification_message_status RENAME TO pp_cd_alert_message_status;
ALTER TYPE pp_cd_notification_method RENAME TO pp_cd_alert_method;
ALTER TYPE pp_cd_notification_template_kind RENAME TO pp_cd_alert_template_kind;

-- Rename tables.
ALTER TABLE pp_cd_notification_templates RENAME TO pp_cd_alert_templates;
ALTER TABLE pp_cd_notification_messages RENAME TO pp_cd_alert_messages;
ALTER TABLE pp_cd_notification_preferences RENAME TO pp_cd_alert_preferences;
ALTER TABLE pp_cd_notification_report_generator_logs RENAME TO pp_cd_alert_report_generator_logs;
ALTER TABLE pp_cd_inbox_notifications RENAME TO pp_cd_inbox_alerts;

-- Rename columns that reference old names.
ALTER TABLE pp_cd_alert_messages RENAME COLUMN notification_template_id TO alert_template_id;
ALTER TABLE pp_cd_alert_preferences RENAME COLUMN notification_template_id TO alert_template_id;
ALTER TABLE pp_cd_alert_report_generator_logs RENAME COLUMN notification_template_id TO alert_template_id;

-- Rename constraints.
ALTER TABLE pp_cd_alert_templates RENAME CONSTRAINT pp_cd_notification_templates_pkey TO pp_cd_alert_templates_pkey;
ALTER TABLE pp_cd_alert_templates RENAME CONSTRAINT pp_cd_notification_templates_name_key TO pp_cd_alert_templates_name_key;
ALTER TABLE pp_cd_alert_messages RENAME CONSTRAINT pp_cd_notification_messages_pkey TO pp_cd_alert_messages_pkey;
ALTER TABLE pp_cd_alert_preferences RENAME CONSTRAINT pp_cd_notification_preferences_pkey TO pp_cd_alert_preferences_pkey;
ALTER TABLE pp_cd_alert_report_generator_logs RENAME CONSTRAINT pp_cd_notification_report_generator_logs_pkey TO pp_cd_alert_report_generator_logs_pkey;
ALTER TABLE pp_cd_inbox_alerts RENAME CONSTRAINT pp_cd_inbox_notifications_pkey TO pp_cd_inbox_alerts_pkey;

-- Rename foreign key constraints.
ALTER TABLE pp_cd_alert_messages RENAME CONSTRAINT pp_cd_notification_messages_notification_template_id_fkey TO pp_cd_alert_messages_alert_template_id_fkey;
ALTER TABLE pp_cd_alert_messages RENAME CONSTRAINT pp_cd_notification_messages_user_id_fkey TO pp_cd_alert_messages_user_id_fkey;
ALTER TABLE pp_cd_alert_preferences RENAME CONSTRAINT pp_cd_notification_preferences_notification_template_id_fkey TO pp_cd_alert_preferences_alert_template_id_fkey;
ALTER TABLE pp_cd_alert_preferences RENAME CONSTRAINT pp_cd_notification_preferences_user_id_fkey TO pp_cd_alert_preferences_user_id_fkey;
ALTER TABLE pp_cd_inbox_alerts RENAME CONSTRAINT pp_cd_inbox_notifications_template_id_fkey TO pp_cd_inbox_alerts_template_id_fkey;
ALTER TABLE pp_cd_inbox_alerts RENAME CONSTRAINT pp_cd_inbox_notifications_user_id_fkey TO pp_cd_inbox_alerts_user_id_fkey;

-- Rename indexes.
ALTER INDEX pp_cd_idx_notification_messages_status RENAME TO pp_cd_idx_alert_messages_status;
ALTER INDEX pp_cd_notification_messages_dedupe_hash_idx RENAME TO pp_cd_alert_messages_dedupe_hash_idx;
ALTER INDEX pp_cd_idx_inbox_notifications_user_id_read_at RENAME TO pp_cd_idx_inbox_alerts_user_id_read_at;
ALTER INDEX pp_cd_idx_inbox_notifications_user_id_template_id_targets RENAME TO pp_cd_idx_inbox_alerts_user_id_template_id_targets;

-- Recreate the dedupe hash function with the new name.
CREATE FUNCTION pp_cd_compute_alert_message_dedupe_hash() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.dedupe_hash = MD5(
        COALESCE(NEW.user_id::text, '') ||
        COALESCE(NEW.alert_template_id::text, '') ||
        COALESCE(NEW.targets::text, '') ||
        DATE(NOW())::text
    );
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION pp_cd_compute_alert_message_dedupe_hash() IS 'Computes a unique hash which will be used to prevent duplicate messages from being enqueued on the same day';

CREATE TRIGGER pp_cd_update_alert_message_dedupe_hash BEFORE INSERT OR UPDATE ON pp_cd_alert_messages FOR EACH ROW EXECUTE FUNCTION pp_cd_compute_alert_message_dedupe_hash();

ALTER TYPE pp_cd_resource_type RENAME VALUE 'notification_template' TO 'alert_template';
ALTER TYPE pp_cd_resource_type RENAME VALUE 'notifications_settings' TO 'alerts_settings';
