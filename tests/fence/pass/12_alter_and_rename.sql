-- Pass corpus 12: ALTER TABLE ADD COLUMN / ADD CONSTRAINT (NOT VALID + VALIDATE) / RENAME,
-- ALTER TYPE ADD VALUE / RENAME VALUE, ALTER DOMAIN, renames of indexes, views, functions.
-- RENAME TO takes an unqualified new name by grammar: the object stays in expert_network.
ALTER TABLE expert_network.pass_campaigns ADD COLUMN IF NOT EXISTS archived_at timestamptz;
ALTER TABLE expert_network.pass_campaigns ADD COLUMN priority smallint NOT NULL DEFAULT 3;
ALTER TABLE expert_network.pass_campaigns
    ADD CONSTRAINT pass_campaigns_priority_chk CHECK (priority BETWEEN 1 AND 5) NOT VALID;
ALTER TABLE expert_network.pass_campaigns VALIDATE CONSTRAINT pass_campaigns_priority_chk;

ALTER TABLE expert_network.pass_interviews ADD COLUMN campaign_id uuid;
UPDATE expert_network.pass_interviews AS i
   SET campaign_id = e.campaign_id
  FROM expert_network.pass_experts AS e
 WHERE e.id = i.expert_id;
ALTER TABLE expert_network.pass_interviews ALTER COLUMN campaign_id SET NOT NULL;
ALTER TABLE expert_network.pass_interviews
    ADD CONSTRAINT pass_interviews_campaign_fk
    FOREIGN KEY (campaign_id) REFERENCES expert_network.pass_campaigns (id) ON DELETE CASCADE;
ALTER TABLE expert_network.pass_interviews
    RENAME CONSTRAINT pass_interviews_campaign_fk TO pass_interviews_campaign_id_fkey;

CREATE TABLE expert_network.pass_scratch_notes (
    id       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    body_txt text
);
ALTER TABLE expert_network.pass_scratch_notes RENAME COLUMN body_txt TO body;
ALTER TABLE expert_network.pass_scratch_notes ALTER COLUMN body TYPE varchar(2000);
ALTER TABLE expert_network.pass_scratch_notes ALTER COLUMN body SET DEFAULT '';
ALTER TABLE expert_network.pass_scratch_notes RENAME TO pass_campaign_notes;
ALTER TABLE expert_network.pass_campaign_notes
    ADD COLUMN campaign_id uuid REFERENCES expert_network.pass_campaigns (id) ON DELETE CASCADE;

ALTER TABLE expert_network.pass_team_members
    ADD CONSTRAINT pass_team_members_email_uq UNIQUE (email);
ALTER TABLE expert_network.pass_campaigns ALTER COLUMN target_count SET DEFAULT 10;
ALTER TABLE expert_network.pass_vendor_platforms
    ALTER COLUMN settings SET DEFAULT jsonb_build_object('tier', 'standard');

ALTER TYPE expert_network.pass_campaign_status ADD VALUE IF NOT EXISTS 'archived' AFTER 'closed';
ALTER TYPE expert_network.pass_visibility RENAME VALUE 'team' TO 'internal';
ALTER DOMAIN expert_network.pass_user_id
    ADD CONSTRAINT pass_user_id_no_spaces CHECK (VALUE !~ '\s');

ALTER INDEX expert_network.pass_campaigns_user_idx RENAME TO pass_campaigns_user_id_idx;
ALTER VIEW expert_network.pass_campaign_overview RENAME TO pass_campaign_summary;
ALTER FUNCTION expert_network.pass_label_for(expert_network.pass_visibility)
    RENAME TO pass_visibility_text;
ALTER FUNCTION expert_network.pass_normalize_email(text) SET search_path = pg_catalog;
ALTER FUNCTION expert_network.pass_campaign_count(text) STABLE;
ALTER SEQUENCE expert_network.pass_invoice_number_seq INCREMENT BY 10;

CREATE OR REPLACE FUNCTION expert_network.pass_is_public(p_visibility expert_network.pass_visibility)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN p_visibility IN ('public');

COMMENT ON COLUMN expert_network.pass_campaigns.priority IS
    '1 = highest. Unrelated to any public.* table';
