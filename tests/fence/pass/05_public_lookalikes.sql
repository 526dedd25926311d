-- Pass corpus 05: identifiers and literals that contain the word public but do not name the
-- public schema: a table expert_network.public_profiles, columns is_public / public_slug,
-- 'public.user' and public."user" inside string literals and dollar-quoted text.
CREATE TABLE expert_network.public_profiles (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    expert_id          uuid NOT NULL UNIQUE
                       REFERENCES expert_network.pass_experts (id) ON DELETE CASCADE,
    is_public          boolean NOT NULL DEFAULT true,
    public_slug        text NOT NULL UNIQUE CHECK (public_slug ~ '^[a-z0-9-]+$'),
    publicly_listed_at timestamptz,
    visibility         expert_network.pass_visibility NOT NULL DEFAULT 'public',
    source_ref         text NOT NULL DEFAULT 'public.user',  -- a literal, not a reference
    notes              text DEFAULT $$Copied from public."user" by hand$$
);

CREATE INDEX public_profiles_listed_idx
    ON expert_network.public_profiles (publicly_listed_at)
    WHERE is_public;

COMMENT ON TABLE expert_network.public_profiles IS
    'Expert profiles that may be shown publicly. This table is not in the public schema.';
COMMENT ON COLUMN expert_network.public_profiles.source_ref IS
    $c$Always 'public.user' for BetterAuth-backed rows$c$;

SELECT 'public'               AS schema_word,
       'public.user'          AS qualified_word,
       'public."user"'::text  AS quoted_word,
       $q$ DROP SCHEMA public CASCADE $q$ AS text_that_is_never_executed;

SELECT "expert_network"."public_profiles".is_public
FROM "expert_network"."public_profiles"
WHERE false;

SELECT p.id FROM EXPERT_NETWORK.PUBLIC_PROFILES AS p WHERE p.is_public AND false;
SELECT p.id FROM U&"expert\005Fnetwork".public_profiles AS p WHERE false;
