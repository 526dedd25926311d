-- demo/public_apps.sql
--
-- Demo fixture, NOT a migration: the "pre-existing applications" that share
-- the database with the Expert Networks app, all in schema public.
-- Load it with psql into a fresh database before running en-migrate:
--
--     psql -v ON_ERROR_STOP=1 -1 -f demo/public_apps.sql "$DATABASE_URL"
--
-- It contains BetterAuth's tables, a chat app, a RAG store, an older project
-- system, organizations, Alembic's version table and a marketing app that
-- happens to own a table called campaigns, plus a function, a trigger, a
-- sequence and a view, so that a before/after dump of public is meaningful:
-- en-migrate must leave every byte of it alone.

-- The application role of the shared database.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'raguser') THEN
        CREATE ROLE raguser NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN
        NULL;
END
$$;

-- ---------------------------------------------------------------------------
-- Shared helper: updated_at trigger function used by the other apps
-- ---------------------------------------------------------------------------

CREATE FUNCTION public.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

-- ---------------------------------------------------------------------------
-- BetterAuth (user, session, account, verification), text ids
-- ---------------------------------------------------------------------------

CREATE TABLE public."user" (
    id             text        PRIMARY KEY,
    name           text        NOT NULL,
    email          text        NOT NULL UNIQUE,
    email_verified boolean     NOT NULL DEFAULT false,
    image          text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.session (
    id         text        PRIMARY KEY,
    expires_at timestamptz NOT NULL,
    token      text        NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    ip_address text,
    user_agent text,
    user_id    text        NOT NULL REFERENCES public."user" (id) ON DELETE CASCADE
);
CREATE INDEX session_user_id_idx ON public.session (user_id);

CREATE TABLE public.account (
    id                       text        PRIMARY KEY,
    account_id               text        NOT NULL,
    provider_id              text        NOT NULL,
    user_id                  text        NOT NULL REFERENCES public."user" (id) ON DELETE CASCADE,
    access_token             text,
    refresh_token            text,
    id_token                 text,
    access_token_expires_at  timestamptz,
    refresh_token_expires_at timestamptz,
    scope                    text,
    password                 text,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_user_id_idx ON public.account (user_id);

CREATE TABLE public.verification (
    id         text        PRIMARY KEY,
    identifier text        NOT NULL,
    value      text        NOT NULL,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO public."user" (id, name, email, email_verified) VALUES
    ('usr_01HZX3ALICE', 'Alice Analyst', 'alice@example.com', true),
    ('usr_01HZX3BOBBY', 'Bob Partner',   'bob@example.com',   true),
    ('usr_01HZX3CAROL', 'Carol New',     'carol@example.com', false);

INSERT INTO public.session (id, expires_at, token, ip_address, user_agent, user_id) VALUES
    ('ses_alice_1', now() + interval '7 days', 'tok_9f2c1a', '10.0.0.12', 'Mozilla/5.0', 'usr_01HZX3ALICE'),
    ('ses_bob_1',   now() + interval '7 days', 'tok_71be44', '10.0.0.31', 'Mozilla/5.0', 'usr_01HZX3BOBBY');

INSERT INTO public.account (id, account_id, provider_id, user_id, password) VALUES
    ('acc_alice_cred', 'usr_01HZX3ALICE', 'credential', 'usr_01HZX3ALICE', '$scrypt$demo-hash-not-a-real-password'),
    ('acc_bob_google', '1093847561203',   'google',     'usr_01HZX3BOBBY', NULL);

INSERT INTO public.verification (id, identifier, value, expires_at) VALUES
    ('ver_carol_1', 'carol@example.com', '482913', now() + interval '1 hour');

-- ---------------------------------------------------------------------------
-- Organizations
-- ---------------------------------------------------------------------------

CREATE TABLE public.organization (
    id         serial      PRIMARY KEY,
    name       text        NOT NULL,
    slug       text        NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.org_members (
    org_id    integer     NOT NULL REFERENCES public.organization (id) ON DELETE CASCADE,
    user_id   text        NOT NULL REFERENCES public."user" (id) ON DELETE CASCADE,
    role      text        NOT NULL DEFAULT 'member',
    joined_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, user_id)
);

INSERT INTO public.organization (name, slug) VALUES
    ('Acme Capital', 'acme-capital'),
    ('Northwind Advisory', 'northwind');

INSERT INTO public.org_members (org_id, user_id, role) VALUES
    (1, 'usr_01HZX3ALICE', 'admin'),
    (1, 'usr_01HZX3BOBBY', 'member'),
    (2, 'usr_01HZX3CAROL', 'member');

-- ---------------------------------------------------------------------------
-- Chat app
-- ---------------------------------------------------------------------------

CREATE TABLE public.chats (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    text        NOT NULL REFERENCES public."user" (id) ON DELETE CASCADE,
    title      text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER chats_touch_updated_at
    BEFORE UPDATE ON public.chats
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

CREATE TABLE public.chat_sessions (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    chat_id    uuid        NOT NULL REFERENCES public.chats (id) ON DELETE CASCADE,
    model      text        NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    ended_at   timestamptz
);

CREATE TABLE public.chat_messages (
    id              bigserial   PRIMARY KEY,
    chat_session_id uuid        NOT NULL REFERENCES public.chat_sessions (id) ON DELETE CASCADE,
    role            text        NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    content         text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_messages_session_idx ON public.chat_messages (chat_session_id, created_at);

INSERT INTO public.chats (id, user_id, title) VALUES
    ('0b6c1b5e-2f43-4f6a-9a51-1d1a7e0c0001', 'usr_01HZX3ALICE', 'Semiconductor supply chain'),
    ('0b6c1b5e-2f43-4f6a-9a51-1d1a7e0c0002', 'usr_01HZX3BOBBY', 'Q3 board memo');

INSERT INTO public.chat_sessions (id, chat_id, model) VALUES
    ('5d0e7a61-8b1e-4d8e-8f3b-2c2c9b0a0001', '0b6c1b5e-2f43-4f6a-9a51-1d1a7e0c0001', 'gpt-4o'),
    ('5d0e7a61-8b1e-4d8e-8f3b-2c2c9b0a0002', '0b6c1b5e-2f43-4f6a-9a51-1d1a7e0c0002', 'claude-3-5-sonnet');

INSERT INTO public.chat_messages (chat_session_id, role, content) VALUES
    ('5d0e7a61-8b1e-4d8e-8f3b-2c2c9b0a0001', 'user',      'Who are the main suppliers of EUV lithography?'),
    ('5d0e7a61-8b1e-4d8e-8f3b-2c2c9b0a0001', 'assistant', 'ASML is the sole supplier of EUV scanners.'),
    ('5d0e7a61-8b1e-4d8e-8f3b-2c2c9b0a0002', 'user',      'Summarise the attached memo.');

-- ---------------------------------------------------------------------------
-- RAG document store (embeddings as real[]: no extension needed)
-- ---------------------------------------------------------------------------

CREATE TABLE public.collections (
    id         serial      PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    owner_id   text        REFERENCES public."user" (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.documents (
    id            serial      PRIMARY KEY,
    collection_id integer     NOT NULL REFERENCES public.collections (id) ON DELETE CASCADE,
    title         text        NOT NULL,
    source_uri    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER documents_touch_updated_at
    BEFORE UPDATE ON public.documents
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

CREATE TABLE public.chunks (
    id          bigserial PRIMARY KEY,
    document_id integer   NOT NULL REFERENCES public.documents (id) ON DELETE CASCADE,
    chunk_index integer   NOT NULL,
    content     text      NOT NULL,
    embedding   real[],
    UNIQUE (document_id, chunk_index)
);

INSERT INTO public.collections (name, owner_id) VALUES
    ('research-notes', 'usr_01HZX3ALICE'),
    ('board-packs',    'usr_01HZX3BOBBY');

INSERT INTO public.documents (collection_id, title, source_uri) VALUES
    (1, 'Foundry capacity 2024', 's3://rag-demo/foundry-2024.pdf'),
    (2, 'Q3 board pack',          's3://rag-demo/q3-board.pdf');

INSERT INTO public.chunks (document_id, chunk_index, content, embedding) VALUES
    (1, 0, 'Leading-edge foundry capacity is concentrated in Taiwan.', '{0.12,-0.40,0.88}'),
    (1, 1, 'Advanced packaging is the next bottleneck.',               '{0.05,0.31,-0.72}'),
    (2, 0, 'Revenue grew 14% quarter on quarter.',                     '{-0.22,0.10,0.45}');

-- ---------------------------------------------------------------------------
-- Older project system (note: project, singular; ours is expert_network.projects)
-- ---------------------------------------------------------------------------

CREATE TABLE public.project (
    id         serial      PRIMARY KEY,
    org_id     integer     REFERENCES public.organization (id) ON DELETE CASCADE,
    name       text        NOT NULL,
    archived   boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.project_members (
    project_id integer NOT NULL REFERENCES public.project (id) ON DELETE CASCADE,
    user_id    text    NOT NULL REFERENCES public."user" (id) ON DELETE CASCADE,
    role       text    NOT NULL DEFAULT 'viewer',
    PRIMARY KEY (project_id, user_id)
);

CREATE TABLE public.project_mappings (
    id            serial  PRIMARY KEY,
    project_id    integer NOT NULL REFERENCES public.project (id) ON DELETE CASCADE,
    collection_id integer REFERENCES public.collections (id) ON DELETE SET NULL,
    external_ref  text
);

INSERT INTO public.project (org_id, name) VALUES
    (1, 'Semis deep dive'),
    (2, 'Retail turnaround');

INSERT INTO public.project_members (project_id, user_id, role) VALUES
    (1, 'usr_01HZX3ALICE', 'owner'),
    (1, 'usr_01HZX3BOBBY', 'viewer');

INSERT INTO public.project_mappings (project_id, collection_id, external_ref) VALUES
    (1, 1, 'JIRA-SEMI-12');

-- ---------------------------------------------------------------------------
-- Another app's campaigns table: same name as expert_network.campaigns
-- ---------------------------------------------------------------------------

CREATE SEQUENCE public.campaign_code_seq START 1000;

CREATE TABLE public.campaigns (
    id         serial      PRIMARY KEY,
    code       text        NOT NULL UNIQUE DEFAULT 'MKT-' || nextval('public.campaign_code_seq'),
    name       text        NOT NULL,
    channel    text        NOT NULL CHECK (channel IN ('email', 'social', 'events')),
    starts_on  date,
    created_at timestamptz NOT NULL DEFAULT now()
);

ALTER SEQUENCE public.campaign_code_seq OWNED BY public.campaigns.code;

INSERT INTO public.campaigns (name, channel, starts_on) VALUES
    ('Spring newsletter', 'email',  DATE '2024-03-01'),
    ('Investor day',      'events', DATE '2024-06-12');

-- ---------------------------------------------------------------------------
-- Alembic (another app's migration tool)
-- ---------------------------------------------------------------------------

CREATE TABLE public.alembic_version (
    version_num varchar(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

INSERT INTO public.alembic_version (version_num) VALUES ('3f9c2d1ab7e4');

-- ---------------------------------------------------------------------------
-- A view across apps
-- ---------------------------------------------------------------------------

CREATE VIEW public.project_overview AS
SELECT p.id,
       p.name,
       o.name AS organization_name,
       count(pm.user_id) AS member_count
FROM public.project p
LEFT JOIN public.organization o ON o.id = p.org_id
LEFT JOIN public.project_members pm ON pm.project_id = p.id
GROUP BY p.id, p.name, o.name;

-- ---------------------------------------------------------------------------
-- The application role already has access to the other apps' tables
-- ---------------------------------------------------------------------------

GRANT USAGE ON SCHEMA public TO raguser;
GRANT ALL ON ALL TABLES IN SCHEMA public TO raguser;
GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO raguser;
