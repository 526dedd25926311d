-- Pass corpus 01: the schema, enums, domains, a composite and a range type, all inside expert_network.
-- The word public appears here only in comments and string literals, which the fence must allow.
CREATE SCHEMA IF NOT EXISTS expert_network;

CREATE TYPE expert_network.pass_campaign_status AS ENUM ('draft', 'active', 'paused', 'closed');

-- 'public' as an enum label is just a string.
CREATE TYPE expert_network.pass_visibility AS ENUM ('private', 'team', 'public');

CREATE TYPE expert_network.pass_money AS (
    amount   numeric(12, 2),
    currency char(3)
);

CREATE TYPE expert_network.pass_rate_range AS RANGE (subtype = numeric);

CREATE DOMAIN expert_network.pass_user_id AS text
    CHECK (VALUE <> '' AND length(VALUE) <= 64);

CREATE DOMAIN expert_network.pass_email AS text
    CHECK (VALUE ~* '^[^@\s]+@[^@\s]+$');

CREATE DOMAIN expert_network.pass_positive_minutes AS integer
    DEFAULT 60
    CONSTRAINT pass_positive_minutes_chk CHECK (VALUE > 0);

COMMENT ON TYPE expert_network.pass_visibility IS
    'Visibility of an expert profile; public means visible to the whole team, not the public schema.';
COMMENT ON DOMAIN expert_network.pass_user_id IS
    'BetterAuth user id (text). Mirrors public."user".id by convention, without a foreign key.';
