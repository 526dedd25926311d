-- Refuse corpus 09: expert_network tables tied to public objects: FOREIGN KEY ... REFERENCES
-- public."user"(id) (what the pre-fence schema did), INHERITS, PARTITION OF / ATTACH / DETACH,
-- LIKE, typed tables, OWNED BY, defaults / checks / generated columns / exclusion operators /
-- collations / opclasses that name public.

-- refuse: touches-public
CREATE TABLE expert_network.ri_campaigns (
    id      uuid PRIMARY KEY,
    user_id text NOT NULL REFERENCES public."user" (id)
);
-- refuse: touches-public
CREATE TABLE expert_network.ri_campaigns2 (
    id      uuid PRIMARY KEY,
    user_id text NOT NULL,
    CONSTRAINT ri_user_fk FOREIGN KEY (user_id) REFERENCES public."user" (id) ON DELETE CASCADE
);
-- refuse: touches-public
CREATE TABLE expert_network.ri_sessions (token text REFERENCES public.session (token) ON UPDATE CASCADE);
-- refuse: touches-public
ALTER TABLE expert_network.campaigns
    ADD CONSTRAINT campaigns_user_fk FOREIGN KEY (user_id) REFERENCES public."user" (id) NOT VALID;
-- refuse: touches-public
ALTER TABLE expert_network.campaigns ADD COLUMN owner_id text REFERENCES public."user";
-- refuse: touches-public
ALTER TABLE expert_network.campaigns ADD FOREIGN KEY (user_id) REFERENCES PUBLIC.USER (ID);
-- refuse: touches-public
ALTER TABLE public.project
    ADD CONSTRAINT project_campaign_fk FOREIGN KEY (campaign_id) REFERENCES expert_network.campaigns (id);
-- refuse: touches-public
CREATE TABLE expert_network.ri_users () INHERITS (public."user");
-- refuse: touches-public
CREATE TABLE expert_network.ri_mixed (extra text) INHERITS (expert_network.campaigns, public.session);
-- refuse: touches-public
ALTER TABLE expert_network.ri_users INHERIT public.account;
-- refuse: touches-public
ALTER TABLE expert_network.ri_users NO INHERIT public."user";
-- refuse: touches-public
CREATE TABLE expert_network.ri_chats_2025 PARTITION OF public.chats
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- refuse: touches-public
CREATE TABLE public.campaigns_2025 PARTITION OF expert_network.campaigns_by_year
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- refuse: touches-public
ALTER TABLE expert_network.campaigns_by_year
    ATTACH PARTITION public.old_campaigns FOR VALUES FROM ('2000-01-01') TO ('2025-01-01');
-- refuse: touches-public
ALTER TABLE public.chats ATTACH PARTITION expert_network.ri_chats_2026
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
-- refuse: touches-public
ALTER TABLE public.chats DETACH PARTITION public.chats_2024;
-- refuse: touches-public
CREATE TABLE expert_network.ri_user_shape (LIKE public."user" INCLUDING ALL);
-- refuse: touches-public
CREATE TABLE expert_network.ri_doc_shape (
    LIKE public.documents INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    extra jsonb
);
-- refuse: touches-public
CREATE TABLE expert_network.ri_typed OF public.user_type;
-- refuse: touches-public
ALTER TABLE expert_network.ri_typed2 OF public.user_type;
-- refuse: touches-public
CREATE SEQUENCE expert_network.ri_seq OWNED BY public.session.id;
-- refuse: touches-public
ALTER SEQUENCE expert_network.ri_seq OWNED BY public."user".id;
-- refuse: touches-public
CREATE TABLE expert_network.ri_defaults (
    id      bigint DEFAULT nextval('public.project_id_seq'),
    user_id text
);
-- refuse: touches-public
CREATE TABLE expert_network.ri_defaults2 (id bigint, user_id text DEFAULT public.current_user_id());
-- refuse: touches-public
CREATE TABLE expert_network.ri_checks (user_id text CHECK (public.is_valid_user(user_id)));
-- refuse: touches-public
CREATE TABLE expert_network.ri_generated (
    email      text,
    email_norm text GENERATED ALWAYS AS (public.normalize_email(email)) STORED
);
-- refuse: touches-public
CREATE TABLE expert_network.ri_excl (r tstzrange, EXCLUDE USING gist (r WITH OPERATOR(public.&&)));
-- refuse: touches-public
CREATE TABLE expert_network.ri_collated (title text COLLATE public.case_insensitive);
-- refuse: touches-public
CREATE TABLE expert_network.ri_partitioned (id integer, created date)
    PARTITION BY RANGE (created public.date_ops);
-- refuse: touches-public
CREATE TABLE expert_network.ri_tsv (doc tsvector DEFAULT to_tsvector('public.expert_fts'::regconfig, ''));

-- refuse: unqualified-name
CREATE TABLE expert_network.ri_unq (id uuid PRIMARY KEY, project_id uuid REFERENCES projects (id));
-- refuse: unqualified-name
CREATE TABLE expert_network.ri_unq2 (user_id text REFERENCES "user" (id));
-- refuse: unqualified-name
CREATE TABLE expert_network.ri_unq3 () INHERITS (campaigns);
-- refuse: unqualified-name
CREATE TABLE expert_network.ri_unq4 PARTITION OF campaigns_by_year DEFAULT;
-- refuse: unqualified-name
CREATE TABLE expert_network.ri_unq5 (LIKE experts);
-- refuse: unqualified-name
ALTER TABLE expert_network.campaigns_by_year ATTACH PARTITION campaigns_2027
    FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
-- refuse: outside-schema
CREATE TABLE expert_network.ri_other (chat_id uuid REFERENCES chat.chats (id));
-- refuse: outside-schema
CREATE TABLE expert_network.ri_other2 () INHERITS (other_app.base);

-- Allowed: foreign keys inside expert_network; the BetterAuth link stays a plain text column.
CREATE TABLE expert_network.ri_projects (id uuid PRIMARY KEY DEFAULT gen_random_uuid());
CREATE TABLE expert_network.ri_campaigns_ok (
    id         uuid PRIMARY KEY,
    project_id uuid REFERENCES expert_network.ri_projects (id) ON DELETE CASCADE,
    user_id    text NOT NULL  -- holds public."user".id; deliberately no foreign key
);
