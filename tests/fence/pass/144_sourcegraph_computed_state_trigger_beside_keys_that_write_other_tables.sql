-- Pass corpus 144: Sourcegraph's frontend schema (sourcegraph/sourcegraph migrations/frontend/squashed.sql
-- at commit 14adb82a766da67e559b06dda20b8fd616c12823, the schema Sourcegraph's migrator squashes its
-- migrations into): the changesets' BEFORE INSERT OR UPDATE trigger changesets_computed_state_ensure()
-- (a PL/pgSQL assignment whose CASE carries an `AS computed_state` alias, with no path of its own)
-- on a table whose only key points at changeset_specs with no action, while changeset_specs' and
-- batch_changes' own keys set their user column NULL when a user is deleted, and access_requests'
-- does too. A user's delete writes batch_changes, changeset_specs and access_requests as their owner,
-- never the changesets that reference changeset_specs by a plain key (PG 15: raguser's DELETE of a
-- user row, with raguser's `expert_network.=(text, text)` on its own path, left the changesets row's
-- xmin as it was and raguser no superuser); only a key whose own action writes the changesets would
-- run the trigger as their owner, and that one (changesets_owned_by_batch_spec_id_fkey, ON DELETE SET
-- NULL to batch_changes) is left out: it is refused, and rightly (the same DELETE of its batch change
-- gave raguser SUPERUSER). Also the users' `BEFORE UPDATE OF passwd` trigger and the packages'
-- `WHEN ((old.* IS DISTINCT FROM new.*))` one, with builtin-only bodies. Re-homed into expert_network:
-- `SET search_path TO expert_network` for the path Sourcegraph's connection has, the tables prefixed
-- pp_sg_ and cut to a few columns, the functions and triggers prefixed likewise. Before, the fence
-- refused changeset_specs' `ON DELETE SET NULL` key for the changesets' trigger: it counted every
-- table whose key references a written one as written too, whatever that key's action.
SET search_path TO expert_network;

CREATE FUNCTION pp_sg_changesets_computed_state_ensure() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN

    NEW.computed_state = CASE
        WHEN NEW.reconciler_state = 'errored' THEN 'RETRYING'
        WHEN NEW.reconciler_state = 'failed' THEN 'FAILED'
        WHEN NEW.reconciler_state = 'scheduled' THEN 'SCHEDULED'
        WHEN NEW.reconciler_state != 'completed' THEN 'PROCESSING'
        WHEN NEW.publication_state = 'UNPUBLISHED' THEN 'UNPUBLISHED'
        ELSE NEW.external_state
    END AS computed_state;

    RETURN NEW;
END $$;

CREATE FUNCTION pp_sg_func_package_repo_filters_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at = statement_timestamp();
    RETURN NEW;
END $$;

CREATE FUNCTION pp_sg_invalidate_session_for_userid_on_password_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
        IF OLD.passwd != NEW.passwd THEN
            NEW.invalidated_sessions_at = now() + (1 * interval '1 second');
            RETURN NEW;
        END IF;
    RETURN NEW;
    END;
$$;

CREATE TABLE pp_sg_access_requests (
    id integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    name text NOT NULL,
    email text NOT NULL,
    status text NOT NULL,
    decision_by_user_id integer
);

CREATE SEQUENCE pp_sg_access_requests_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE pp_sg_access_requests_id_seq OWNED BY pp_sg_access_requests.id;

CREATE TABLE pp_sg_batch_changes (
    id bigint NOT NULL,
    name text NOT NULL,
    creator_id integer,
    namespace_user_id integer,
    namespace_org_id integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT batch_change_name_is_valid CHECK ((name ~ '^[\w.-]+$'::text)),
    CONSTRAINT batch_changes_has_1_namespace CHECK (((namespace_user_id IS NULL) <> (namespace_org_id IS NULL))),
    CONSTRAINT batch_changes_name_not_blank CHECK ((name <> ''::text))
);

CREATE TABLE pp_sg_changeset_specs (
    id bigint NOT NULL,
    rand_id text NOT NULL,
    spec jsonb DEFAULT '{}'::jsonb,
    repo_id integer NOT NULL,
    user_id integer,
    head_ref text,
    title text,
    external_id text,
    type text NOT NULL
);

CREATE TABLE pp_sg_changesets (
    id bigint NOT NULL,
    batch_change_ids jsonb DEFAULT '{}'::jsonb NOT NULL,
    repo_id integer NOT NULL,
    external_id text,
    external_service_type text NOT NULL,
    external_state text,
    current_spec_id bigint,
    previous_spec_id bigint,
    publication_state text DEFAULT 'UNPUBLISHED'::text,
    owned_by_batch_change_id bigint,
    reconciler_state text DEFAULT 'queued'::text,
    computed_state text NOT NULL,
    CONSTRAINT changesets_batch_change_ids_check CHECK ((jsonb_typeof(batch_change_ids) = 'object'::text)),
    CONSTRAINT changesets_external_id_check CHECK ((external_id <> ''::text)),
    CONSTRAINT changesets_external_service_type_not_blank CHECK ((external_service_type <> ''::text))
);

CREATE TABLE pp_sg_package_repo_filters (
    id integer NOT NULL,
    behaviour text NOT NULL,
    scheme text NOT NULL,
    matcher jsonb NOT NULL,
    deleted_at timestamp with time zone,
    updated_at timestamp with time zone DEFAULT statement_timestamp() NOT NULL
);

CREATE TABLE pp_sg_users (
    id integer NOT NULL,
    username text NOT NULL,
    passwd text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    invalidated_sessions_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY pp_sg_access_requests ALTER COLUMN id SET DEFAULT nextval('pp_sg_access_requests_id_seq'::regclass);

ALTER TABLE ONLY pp_sg_access_requests
    ADD CONSTRAINT pp_sg_access_requests_pkey PRIMARY KEY (id);

ALTER TABLE ONLY pp_sg_batch_changes
    ADD CONSTRAINT pp_sg_batch_changes_pkey PRIMARY KEY (id);

ALTER TABLE ONLY pp_sg_changeset_specs
    ADD CONSTRAINT pp_sg_changeset_specs_pkey PRIMARY KEY (id);

ALTER TABLE ONLY pp_sg_changesets
    ADD CONSTRAINT pp_sg_changesets_pkey PRIMARY KEY (id);

ALTER TABLE ONLY pp_sg_package_repo_filters
    ADD CONSTRAINT pp_sg_package_repo_filters_pkey PRIMARY KEY (id);

ALTER TABLE ONLY pp_sg_users
    ADD CONSTRAINT pp_sg_users_pkey PRIMARY KEY (id);

CREATE UNIQUE INDEX pp_sg_users_username ON pp_sg_users USING btree (username) WHERE (deleted_at IS NULL);

CREATE TRIGGER pp_sg_changesets_update_computed_state BEFORE INSERT OR UPDATE ON pp_sg_changesets FOR EACH ROW EXECUTE FUNCTION pp_sg_changesets_computed_state_ensure();

CREATE TRIGGER pp_sg_trig_invalidate_session_on_password_change BEFORE UPDATE OF passwd ON pp_sg_users FOR EACH ROW EXECUTE FUNCTION pp_sg_invalidate_session_for_userid_on_password_change();

CREATE TRIGGER pp_sg_trigger_package_repo_filters_updated_at BEFORE UPDATE ON pp_sg_package_repo_filters FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION pp_sg_func_package_repo_filters_updated_at();

ALTER TABLE ONLY pp_sg_access_requests
    ADD CONSTRAINT pp_sg_access_requests_decision_by_user_id_fkey FOREIGN KEY (decision_by_user_id) REFERENCES pp_sg_users(id) ON DELETE SET NULL;

ALTER TABLE ONLY pp_sg_batch_changes
    ADD CONSTRAINT pp_sg_batch_changes_initial_applier_id_fkey FOREIGN KEY (creator_id) REFERENCES pp_sg_users(id) ON DELETE SET NULL DEFERRABLE;

ALTER TABLE ONLY pp_sg_changeset_specs
    ADD CONSTRAINT pp_sg_changeset_specs_user_id_fkey FOREIGN KEY (user_id) REFERENCES pp_sg_users(id) ON DELETE SET NULL DEFERRABLE;

ALTER TABLE ONLY pp_sg_changesets
    ADD CONSTRAINT pp_sg_changesets_changeset_spec_id_fkey FOREIGN KEY (current_spec_id) REFERENCES pp_sg_changeset_specs(id) DEFERRABLE;

ALTER TABLE ONLY pp_sg_changesets
    ADD CONSTRAINT pp_sg_changesets_previous_spec_id_fkey FOREIGN KEY (previous_spec_id) REFERENCES pp_sg_changeset_specs(id) DEFERRABLE;
