-- Pass corpus 51: listmonk's way (knadh/listmonk, commit 911e0b774abad4fbf7b534be43a34a80fb6ace5b):
-- schema.sql drops each type, table and index unqualified right before making it (`DROP TYPE IF
-- EXISTS subscriber_status CASCADE; CREATE TYPE subscriber_status ...`, `DROP INDEX IF EXISTS
-- idx_subs_email; CREATE UNIQUE INDEX idx_subs_email ON subscribers(LOWER(email))`), and the SQL of
-- internal/migrations/v0.7.0.go and v1.0.0.go alters them unqualified (`DROP TYPE subscriber_status
-- CASCADE`, `ALTER TYPE content_type ADD VALUE IF NOT EXISTS 'markdown'`). Re-homed into
-- expert_network: the CREATE TYPE and CREATE TABLE statements qualified, names prefixed pp_lm_, the
-- rest as listmonk wrote it; the subscribers table cut to the columns these statements use. The fence
-- refused every type named by DROP and ALTER TYPE ("type subscriber_status is not schema-qualified"),
-- which the server looks up on the search_path as it does a column's type, and the drops of the
-- table and its indexes (corpus 48's rule; the indexes, made ON the unqualified table, corpus 49's).
DROP TYPE IF EXISTS pp_lm_subscriber_status CASCADE; CREATE TYPE expert_network.pp_lm_subscriber_status AS ENUM ('enabled', 'disabled', 'blacklisted');
DROP TYPE IF EXISTS pp_lm_content_type CASCADE; CREATE TYPE expert_network.pp_lm_content_type AS ENUM ('richtext', 'html', 'plain');

-- subscribers
DROP TABLE IF EXISTS pp_lm_subscribers CASCADE;
CREATE TABLE expert_network.pp_lm_subscribers (
    id              SERIAL PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    status          pp_lm_subscriber_status NOT NULL DEFAULT 'enabled',
    created_at      TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);
DROP INDEX IF EXISTS pp_lm_idx_subs_email; CREATE UNIQUE INDEX pp_lm_idx_subs_email ON pp_lm_subscribers(LOWER(email));
DROP INDEX IF EXISTS pp_lm_idx_subs_status; CREATE INDEX pp_lm_idx_subs_status ON pp_lm_subscribers(status);

-- v0.7.0: blacklisted becomes blocklisted.
ALTER TABLE pp_lm_subscribers ALTER COLUMN status TYPE TEXT;
UPDATE pp_lm_subscribers SET status='blocklisted' WHERE status='blacklisted';
DROP TYPE pp_lm_subscriber_status CASCADE;
CREATE TYPE expert_network.pp_lm_subscriber_status AS ENUM ('enabled', 'disabled', 'blocklisted');
ALTER TABLE pp_lm_subscribers ALTER COLUMN status TYPE pp_lm_subscriber_status
    USING (status::pp_lm_subscriber_status);

-- v1.0.0
ALTER TYPE pp_lm_content_type ADD VALUE IF NOT EXISTS 'markdown';
