-- Pass corpus 155: Fider's migrations (getfider/fider, commit 67c52826cca176724a59dd58b9795e1bc8d67bc8,
-- migrations/), which its Go migrator runs one file a transaction, every name unqualified, on the
-- connection's path. Re-homed into expert_network as an operator adopting en-migrate writes them: the
-- file sets `SET search_path TO expert_network;` first, as sqitch's scripts do, and every table takes
-- the prefix fd_ (so do the names the server gives their keys and sequences). Condensed from
-- 201701261850_create_tenants through 201803011831_add_tenant_id_everywhere (the tables as they stood
-- before the rename), then verbatim but for the prefix: 201808152020_rename_idea_post.sql (a
-- `user_settings` UPDATE, the ideas tables, their indexes, constraints and `ideas_id_seq` renamed by
-- unqualified names), 202107031320_add_locale_field.sql, 202510211300_add_search_column_to_posts.sql
-- (a `regconfig` column, a PL/pgSQL IMMUTABLE mapping function of `'english'::regconfig` casts, an
-- UPDATE through a correlated subquery, a STORED generated tsvector column and its GIN index) and
-- 202601191200_fix_regconfig_column.sql (the generated column dropped, the column retyped to text
-- `USING language::TEXT`, the function dropped by its signature and made again, the generated column
-- now calling the migration's own function).
-- Proof (PostgreSQL 15, psql as the superuser, ON_ERROR_STOP, on the seeded database): applied whole;
-- pg_class then held fd_posts, fd_posts_id_seq, fd_posts_pkey, fd_post_tags and idx_fd_posts_search_gin
-- in expert_network and none of them in public; pg_attribute gave fd_posts.search attgenerated 's' and
-- fd_posts.language the type text; pg_proc held expert_network.fd_map_language_to_tsvector(text)
-- (provolatile 'i').
SET search_path TO expert_network;

create table if not exists fd_tenants (
     id           serial primary key,
     name         varchar(60) not null,
     subdomain    varchar(40) not null,
     cname        varchar(100) null,
     status       int not null,
     created_on   timestamptz not null
);

create table if not exists fd_users (
     id           serial primary key,
     name         varchar(100) null,
     email        varchar(200) not null,
     tenant_id    int references fd_tenants(id),
     role         int not null,
     created_on   timestamptz not null
);
CREATE UNIQUE INDEX fd_user_id_tenant_id_key ON fd_users (tenant_id, id);

create table if not exists fd_ideas (
     id           serial primary key,
     number       int not null,
     title        varchar(100) not null,
     slug         varchar(100) not null,
     description  text null,
     tenant_id    int not null,
     user_id      int references fd_users (id),
     supporters   int not null,
     status       int not null,
     original_id  int null references fd_ideas(id),
     created_on   timestamptz not null,
     foreign key (tenant_id) references fd_tenants(id)
);
CREATE UNIQUE INDEX fd_idea_number_tenant_key ON fd_ideas (tenant_id, number);
CREATE UNIQUE INDEX fd_idea_slug_tenant_key ON fd_ideas (tenant_id, slug);
CREATE UNIQUE INDEX fd_idea_id_tenant_id_key ON fd_ideas (tenant_id, id);

create table if not exists fd_tags (
     id             serial primary key,
     tenant_id      int not null,
     name           varchar(30) not null,
     slug           varchar(30) not null,
     color          varchar(6) not null,
     is_public      boolean not null,
     created_on     timestamptz not null,
     foreign key (tenant_id) references fd_tenants(id)
);
create table if not exists fd_idea_tags (
     tag_id         int not null,
     idea_id        int not null,
     created_on     timestamptz not null,
     created_by_id  int not null,
     primary key (tag_id, idea_id),
     foreign key (idea_id) references fd_ideas(id),
     foreign key (tag_id) references fd_tags(id),
     foreign key (created_by_id) references fd_users(id)
);

create table if not exists fd_comments (
     id          serial primary key,
     content     text null,
     idea_id     int not null,
     user_id     int not null,
     tenant_id   int not null,
     created_on  timestamptz not null,
     foreign key (user_id) references fd_users(id)
);
ALTER TABLE fd_comments
   ADD CONSTRAINT fd_comments_idea_id_fkey
   FOREIGN KEY (idea_id, tenant_id)
   REFERENCES fd_ideas(id, tenant_id);

create table if not exists fd_user_settings (
  id          serial primary key,
  user_id     int not null,
  key         varchar(100) not null,
  value       varchar(100) null,
  foreign key (user_id) references fd_users(id)
);
create unique index fd_user_settings_uq_key on fd_user_settings (user_id, key);

INSERT INTO fd_tenants (name, subdomain, cname, status, created_on) VALUES ('Demo', 'demo', '', 1, now());

-- 201808152020_rename_idea_post.sql
UPDATE fd_user_settings
SET key = 'event_notification_new_post'
WHERE key = 'event_notification_new_idea';

ALTER TABLE fd_idea_tags RENAME COLUMN idea_id TO post_id;
ALTER TABLE fd_comments RENAME COLUMN idea_id TO post_id;

ALTER TABLE fd_ideas RENAME TO fd_posts;
ALTER TABLE fd_idea_tags RENAME TO fd_post_tags;

ALTER INDEX fd_idea_id_tenant_id_key RENAME TO fd_post_id_tenant_id_key;
ALTER INDEX fd_idea_number_tenant_key RENAME TO fd_post_number_tenant_key;
ALTER INDEX fd_idea_slug_tenant_key RENAME TO fd_post_slug_tenant_key;
ALTER INDEX fd_idea_tags_pkey RENAME TO fd_post_tags_pkey;
ALTER INDEX fd_ideas_pkey RENAME TO fd_posts_pkey;

ALTER TABLE fd_comments RENAME CONSTRAINT fd_comments_idea_id_fkey TO fd_comments_post_id_fkey;
ALTER TABLE fd_post_tags RENAME CONSTRAINT fd_idea_tags_created_by_id_fkey TO fd_post_tags_created_by_id_fkey;
ALTER TABLE fd_post_tags RENAME CONSTRAINT fd_idea_tags_idea_id_fkey TO fd_post_tags_post_id_fkey;
ALTER TABLE fd_post_tags RENAME CONSTRAINT fd_idea_tags_tag_id_fkey TO fd_post_tags_tag_id_fkey;
ALTER TABLE fd_posts RENAME CONSTRAINT fd_ideas_original_id_fkey TO fd_posts_original_id_fkey;
ALTER TABLE fd_posts RENAME CONSTRAINT fd_ideas_tenant_id_fkey TO fd_posts_tenant_id_fkey;
ALTER TABLE fd_posts RENAME CONSTRAINT fd_ideas_user_id_fkey TO fd_posts_user_id_fkey;

ALTER SEQUENCE fd_ideas_id_seq RENAME TO fd_posts_id_seq;

-- 202107031320_add_locale_field.sql
ALTER TABLE fd_tenants ADD locale VARCHAR(10) NULL;
UPDATE fd_tenants SET locale = 'en';
ALTER TABLE fd_tenants ALTER COLUMN locale SET NOT NULL;

-- 202510211300_add_search_column_to_posts.sql
-- 1. Add language column
ALTER TABLE fd_posts ADD COLUMN language regconfig;

-- 2. Create language mapping function
CREATE OR REPLACE FUNCTION fd_map_language_to_tsvector(lang TEXT)
RETURNS regconfig AS $$
BEGIN
	RETURN CASE lang
        WHEN 'ar' THEN 'arabic'::regconfig
        WHEN 'de' THEN 'german'::regconfig
        WHEN 'en' THEN 'english'::regconfig
        WHEN 'es-ES' THEN 'spanish'::regconfig
        WHEN 'fr' THEN 'french'::regconfig
        WHEN 'ja' THEN 'simple'::regconfig    -- Japanese not supported, fallback to simple
        WHEN 'nl' THEN 'dutch'::regconfig
        WHEN 'pt-BR' THEN 'portuguese'::regconfig
        WHEN 'ru' THEN 'russian'::regconfig
        WHEN 'sv-SE' THEN 'swedish'::regconfig
        WHEN 'tr' THEN 'turkish'::regconfig
		ELSE 'simple'::regconfig
	END;
END;
$$ LANGUAGE plpgsql IMMUTABLE;

-- 3. Update language column using tenant's language (assuming you have a way to join or fetch it)
UPDATE fd_posts
SET language = fd_map_language_to_tsvector(
        (SELECT locale::TEXT FROM fd_tenants WHERE fd_tenants.id = fd_posts.tenant_id)
);

-- 4. Add search as a generated column
ALTER TABLE fd_posts ADD search tsvector GENERATED ALWAYS AS (
    CASE WHEN language <> 'simple'::regconfig THEN
        setweight(to_tsvector(language, title::TEXT), 'A') ||
        setweight(to_tsvector(language, description), 'B') ||
        setweight(to_tsvector('simple'::regconfig, title::TEXT), 'C') ||
        setweight(to_tsvector('simple'::regconfig, description), 'D')::tsvector
    ELSE
        setweight(to_tsvector('simple'::regconfig, title::TEXT), 'A') ||
        setweight(to_tsvector('simple'::regconfig, description), 'B')::tsvector
    END
) STORED;

-- 5. Create GIN index
CREATE INDEX idx_fd_posts_search_gin ON fd_posts USING GIN (search);

-- 202601191200_fix_regconfig_column.sql
-- 1. Drop the generated column that depends on language
ALTER TABLE fd_posts DROP COLUMN search;

-- 2. Change language column from regconfig to TEXT
-- The regconfig values like 'english'::regconfig convert to their name when cast to TEXT
ALTER TABLE fd_posts ALTER COLUMN language TYPE TEXT USING language::TEXT;

-- 3. Drop and recreate the mapping function to accept config names directly
-- Must be IMMUTABLE for use in generated columns
DROP FUNCTION IF EXISTS fd_map_language_to_tsvector(TEXT);
CREATE FUNCTION fd_map_language_to_tsvector(config_name TEXT)
RETURNS regconfig AS $$
BEGIN
    RETURN CASE config_name
        WHEN 'arabic' THEN 'arabic'::regconfig
        WHEN 'dutch' THEN 'dutch'::regconfig
        WHEN 'english' THEN 'english'::regconfig
        WHEN 'french' THEN 'french'::regconfig
        WHEN 'german' THEN 'german'::regconfig
        WHEN 'italian' THEN 'italian'::regconfig
        WHEN 'portuguese' THEN 'portuguese'::regconfig
        WHEN 'russian' THEN 'russian'::regconfig
        WHEN 'spanish' THEN 'spanish'::regconfig
        WHEN 'swedish' THEN 'swedish'::regconfig
        WHEN 'turkish' THEN 'turkish'::regconfig
        -- Unsupported languages fall back to 'simple':
        -- Chinese, Czech, Greek, Japanese, Korean, Persian, Polish, Sinhala, Slovak
        ELSE 'simple'::regconfig
    END;
END;
$$ LANGUAGE plpgsql IMMUTABLE;

-- 4. Recreate the search column using the IMMUTABLE function
ALTER TABLE fd_posts ADD search tsvector GENERATED ALWAYS AS (
    CASE WHEN language <> 'simple' THEN
        setweight(to_tsvector(fd_map_language_to_tsvector(language), title::TEXT), 'A') ||
        setweight(to_tsvector(fd_map_language_to_tsvector(language), description), 'B') ||
        setweight(to_tsvector('simple'::regconfig, title::TEXT), 'C') ||
        setweight(to_tsvector('simple'::regconfig, description), 'D')::tsvector
    ELSE
        setweight(to_tsvector('simple'::regconfig, title::TEXT), 'A') ||
        setweight(to_tsvector('simple'::regconfig, description), 'B')::tsvector
    END
) STORED;

-- 5. Recreate the GIN index
CREATE INDEX idx_fd_posts_search_gin ON fd_posts USING GIN (search);
