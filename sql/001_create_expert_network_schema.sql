-- 001_create_expert_network_schema.sql
--
-- Creates the expert_network schema and the 11 tables of the Expert Networks
-- app, their indexes, and one BEFORE UPDATE trigger per table that keeps
-- updated_at current.
--
-- Conventions:
--   * every name is schema-qualified with expert_network;
--   * user_id is the BetterAuth user id (text). It is a convention, not a
--     foreign key: the auth tables belong to another schema we never touch;
--   * foreign keys stay inside expert_network; ON DELETE CASCADE for owned
--     children, RESTRICT or SET NULL where history must survive;
--   * every table has user_id, created_at and updated_at, an index on user_id
--     and an index on every foreign key column;
--   * runs on PostgreSQL 13 and later (gen_random_uuid() is built in since 13).

CREATE SCHEMA IF NOT EXISTS expert_network;

COMMENT ON SCHEMA expert_network IS 'Expert Networks app: research campaigns, vendor-proposed experts, interviews.';

-- ---------------------------------------------------------------------------
-- updated_at maintenance
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION expert_network.set_updated_at()
    RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    NEW.updated_at := pg_catalog.now();
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION expert_network.set_updated_at() IS 'BEFORE UPDATE trigger: sets NEW.updated_at to the transaction timestamp.';

-- ---------------------------------------------------------------------------
-- projects: a user's grouping of related research campaigns
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS expert_network.projects (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     text        NOT NULL,
    name        text        NOT NULL CHECK (length(btrim(name)) > 0),
    description text,
    status      text        NOT NULL DEFAULT 'active'
                            CHECK (status IN ('active', 'on_hold', 'completed', 'archived')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE expert_network.projects IS 'Research project: groups related campaigns for one user.';
COMMENT ON COLUMN expert_network.projects.user_id IS 'BetterAuth user id of the owner (convention, no foreign key).';

CREATE INDEX IF NOT EXISTS projects_user_id_idx ON expert_network.projects (user_id);

-- ---------------------------------------------------------------------------
-- campaigns: one research question put to expert networks
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS expert_network.campaigns (
    id                     uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                text          NOT NULL,
    project_id             uuid          REFERENCES expert_network.projects (id) ON DELETE SET NULL,
    campaign_name          text          NOT NULL CHECK (length(btrim(campaign_name)) > 0),
    research_brief         text,
    industry               text,
    target_geographies     text[]        NOT NULL DEFAULT '{}',
    status                 text          NOT NULL DEFAULT 'draft'
                                         CHECK (status IN ('draft', 'active', 'paused', 'completed', 'cancelled', 'archived')),
    start_date             date,
    target_completion_date date,
    target_expert_count    integer       CHECK (target_expert_count > 0),
    budget_usd             numeric(12,2) CHECK (budget_usd >= 0),
    created_at             timestamptz   NOT NULL DEFAULT now(),
    updated_at             timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT campaigns_dates_check
        CHECK (target_completion_date IS NULL OR start_date IS NULL OR target_completion_date >= start_date)
);

COMMENT ON TABLE expert_network.campaigns IS 'Expert research campaign: a research brief sent to one or more expert network vendors.';
COMMENT ON COLUMN expert_network.campaigns.user_id IS 'BetterAuth user id of the owner (convention, no foreign key).';
COMMENT ON COLUMN expert_network.campaigns.project_id IS 'Optional grouping; set to NULL when the project is deleted so the campaign survives.';

CREATE INDEX IF NOT EXISTS campaigns_user_id_status_idx ON expert_network.campaigns (user_id, status);
CREATE INDEX IF NOT EXISTS campaigns_project_id_idx ON expert_network.campaigns (project_id);

-- ---------------------------------------------------------------------------
-- vendor_platforms: catalog of expert networks (GLG, AlphaSights, ...)
-- user_id NULL = built-in vendor shared by everyone (seeded by 002);
-- user_id set  = a vendor a user added for themselves.
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS expert_network.vendor_platforms (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      text,
    slug         text        NOT NULL CHECK (slug ~ '^[a-z0-9-]+$' AND length(slug) <= 64),
    display_name text        NOT NULL CHECK (length(btrim(display_name)) > 0),
    website_url  text        CHECK (website_url ~ '^https?://'),
    description  text,
    is_active    boolean     NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE expert_network.vendor_platforms IS 'Expert network vendors. user_id NULL marks a built-in vendor; otherwise the vendor is private to that user.';
COMMENT ON COLUMN expert_network.vendor_platforms.user_id IS 'NULL for built-in vendors, else the BetterAuth user id that added the vendor.';
COMMENT ON COLUMN expert_network.vendor_platforms.is_active IS 'Retire a vendor by clearing this flag; rows referenced by history cannot be deleted.';

-- Built-in slugs are unique among built-ins (target of the seed's ON CONFLICT);
-- a user's own slugs are unique per user.
CREATE UNIQUE INDEX IF NOT EXISTS vendor_platforms_builtin_slug_key
    ON expert_network.vendor_platforms (slug) WHERE user_id IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS vendor_platforms_user_slug_key
    ON expert_network.vendor_platforms (user_id, slug) WHERE user_id IS NOT NULL;
-- Serves "built-in or mine" lookups (user_id IS NULL OR user_id = $1).
CREATE INDEX IF NOT EXISTS vendor_platforms_user_id_idx ON expert_network.vendor_platforms (user_id);

-- ---------------------------------------------------------------------------
-- campaign_vendor_enrollments: a vendor working on a campaign
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS expert_network.campaign_vendor_enrollments (
    id                   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id              text        NOT NULL,
    campaign_id          uuid        NOT NULL REFERENCES expert_network.campaigns (id) ON DELETE CASCADE,
    vendor_platform_id   uuid        NOT NULL REFERENCES expert_network.vendor_platforms (id) ON DELETE RESTRICT,
    status               text        NOT NULL DEFAULT 'pending'
                                     CHECK (status IN ('pending', 'active', 'paused', 'completed', 'withdrawn')),
    vendor_project_code  text,
    vendor_contact_name  text,
    vendor_contact_email text,
    enrolled_at          timestamptz NOT NULL DEFAULT now(),
    notes                text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT campaign_vendor_enrollments_campaign_vendor_key UNIQUE (campaign_id, vendor_platform_id)
);

COMMENT ON TABLE expert_network.campaign_vendor_enrollments IS 'Vendors enrolled in a campaign; at most one enrollment per (campaign, vendor).';
COMMENT ON COLUMN expert_network.campaign_vendor_enrollments.vendor_project_code IS 'The vendor''s own reference for this project, as used on their invoices.';

CREATE INDEX IF NOT EXISTS campaign_vendor_enrollments_user_id_idx ON expert_network.campaign_vendor_enrollments (user_id);
-- campaign_id is covered by the leading column of the UNIQUE constraint.
CREATE INDEX IF NOT EXISTS campaign_vendor_enrollments_vendor_platform_id_idx ON expert_network.campaign_vendor_enrollments (vendor_platform_id);

-- ---------------------------------------------------------------------------
-- experts: an expert profile proposed by a vendor for a campaign
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS expert_network.experts (
    id                 uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id            text          NOT NULL,
    campaign_id        uuid          NOT NULL REFERENCES expert_network.campaigns (id) ON DELETE CASCADE,
    vendor_platform_id uuid          REFERENCES expert_network.vendor_platforms (id) ON DELETE RESTRICT,
    vendor_expert_ref  text,
    full_name          text          NOT NULL CHECK (length(btrim(full_name)) > 0),
    current_title      text,
    current_company    text,
    former_title       text,
    former_company     text,
    geography          text,
    years_experience   integer       CHECK (years_experience BETWEEN 0 AND 80),
    bio                text,
    linkedin_url       text,
    hourly_rate_usd    numeric(10,2) CHECK (hourly_rate_usd >= 0),
    relevance_score    smallint      CHECK (relevance_score BETWEEN 1 AND 5),
    status             text          NOT NULL DEFAULT 'proposed'
                                     CHECK (status IN ('proposed', 'shortlisted', 'requested', 'scheduled',
                                                       'interviewed', 'rejected', 'declined', 'unavailable')),
    proposed_at        timestamptz   NOT NULL DEFAULT now(),
    notes              text,
    created_at         timestamptz   NOT NULL DEFAULT now(),
    updated_at         timestamptz   NOT NULL DEFAULT now()
);

COMMENT ON TABLE expert_network.experts IS 'Expert proposed by a vendor for a campaign (one row per proposal).';
COMMENT ON COLUMN expert_network.experts.vendor_platform_id IS 'Proposing vendor; NULL when sourced directly. A vendor with proposals cannot be deleted.';
COMMENT ON COLUMN expert_network.experts.vendor_expert_ref IS 'The vendor''s own id for this expert.';
COMMENT ON COLUMN expert_network.experts.relevance_score IS 'Team''s 1-5 fit score for the campaign.';

CREATE INDEX IF NOT EXISTS experts_user_id_idx ON expert_network.experts (user_id);
CREATE INDEX IF NOT EXISTS experts_campaign_id_status_idx ON expert_network.experts (campaign_id, status);
CREATE INDEX IF NOT EXISTS experts_vendor_platform_id_idx ON expert_network.experts (vendor_platform_id);

-- ---------------------------------------------------------------------------
-- team_members: people in the user's organization who run campaigns
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS expert_network.team_members (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    text        NOT NULL,
    full_name  text        NOT NULL CHECK (length(btrim(full_name)) > 0),
    email      text        NOT NULL CHECK (position('@' IN email) > 1),
    job_title  text,
    team_role  text        NOT NULL DEFAULT 'analyst'
                           CHECK (team_role IN ('admin', 'manager', 'analyst', 'associate', 'viewer')),
    is_active  boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE expert_network.team_members IS 'Team members of the owner''s organization; assigned to campaigns and interviews.';

-- One row per e-mail address per owner (case-insensitive); leading user_id also serves user_id lookups.
CREATE UNIQUE INDEX IF NOT EXISTS team_members_user_id_email_key ON expert_network.team_members (user_id, lower(email));

-- ---------------------------------------------------------------------------
-- interviews: a scheduled or completed call with an expert
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS expert_network.interviews (
    id                         uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                    text          NOT NULL,
    expert_id                  uuid          NOT NULL REFERENCES expert_network.experts (id) ON DELETE RESTRICT,
    interviewer_team_member_id uuid          REFERENCES expert_network.team_members (id) ON DELETE SET NULL,
    status                     text          NOT NULL DEFAULT 'requested'
                                             CHECK (status IN ('requested', 'scheduled', 'completed',
                                                               'cancelled', 'no_show')),
    scheduled_start            timestamptz,
    duration_minutes           integer       CHECK (duration_minutes BETWEEN 1 AND 600),
    meeting_url                text,
    completed_at               timestamptz,
    transcript_url             text,
    transcript_text            text,
    transcript_rating          smallint      CHECK (transcript_rating BETWEEN 1 AND 5),
    rating_notes               text,
    cost_usd                   numeric(10,2) CHECK (cost_usd >= 0),
    notes                      text,
    created_at                 timestamptz   NOT NULL DEFAULT now(),
    updated_at                 timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT interviews_scheduled_has_time_check
        CHECK (status NOT IN ('scheduled', 'completed') OR scheduled_start IS NOT NULL)
);

COMMENT ON TABLE expert_network.interviews IS 'Expert calls. History: an interviewed expert cannot be deleted (RESTRICT), archive the campaign instead.';
COMMENT ON COLUMN expert_network.interviews.interviewer_team_member_id IS 'Team member who ran the call; NULL once that member is deleted.';
COMMENT ON COLUMN expert_network.interviews.transcript_rating IS 'Quality rating of the call transcript, 1 (poor) to 5 (excellent).';

CREATE INDEX IF NOT EXISTS interviews_user_id_scheduled_start_idx ON expert_network.interviews (user_id, scheduled_start);
CREATE INDEX IF NOT EXISTS interviews_expert_id_idx ON expert_network.interviews (expert_id);
CREATE INDEX IF NOT EXISTS interviews_interviewer_team_member_id_idx ON expert_network.interviews (interviewer_team_member_id);

-- ---------------------------------------------------------------------------
-- screening_questions: vetting questions asked of proposed experts
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS expert_network.screening_questions (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       text        NOT NULL,
    campaign_id   uuid        NOT NULL REFERENCES expert_network.campaigns (id) ON DELETE CASCADE,
    question_text text        NOT NULL CHECK (length(btrim(question_text)) > 0),
    question_type text        NOT NULL DEFAULT 'free_text'
                              CHECK (question_type IN ('free_text', 'yes_no', 'single_choice',
                                                       'multiple_choice', 'numeric')),
    options       jsonb       CHECK (options IS NULL OR jsonb_typeof(options) = 'array'),
    is_required   boolean     NOT NULL DEFAULT true,
    display_order integer     NOT NULL DEFAULT 0 CHECK (display_order >= 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE expert_network.screening_questions IS 'Screening questions for a campaign, sent to vendors to vet experts.';
COMMENT ON COLUMN expert_network.screening_questions.options IS 'JSON array of allowed answers for choice questions.';

CREATE INDEX IF NOT EXISTS screening_questions_user_id_idx ON expert_network.screening_questions (user_id);
CREATE INDEX IF NOT EXISTS screening_questions_campaign_id_order_idx ON expert_network.screening_questions (campaign_id, display_order);

-- ---------------------------------------------------------------------------
-- expert_screening_responses: an expert's answer to a screening question
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS expert_network.expert_screening_responses (
    id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id               text        NOT NULL,
    expert_id             uuid        NOT NULL REFERENCES expert_network.experts (id) ON DELETE CASCADE,
    screening_question_id uuid        NOT NULL REFERENCES expert_network.screening_questions (id) ON DELETE CASCADE,
    response_text         text,
    response_data         jsonb,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT expert_screening_responses_expert_question_key UNIQUE (expert_id, screening_question_id),
    CONSTRAINT expert_screening_responses_has_answer_check
        CHECK (response_text IS NOT NULL OR response_data IS NOT NULL)
);

COMMENT ON TABLE expert_network.expert_screening_responses IS 'Expert answers to screening questions; one answer per (expert, question).';
COMMENT ON COLUMN expert_network.expert_screening_responses.response_data IS 'Structured answer (choice, number, yes/no) as JSON.';

CREATE INDEX IF NOT EXISTS expert_screening_responses_user_id_idx ON expert_network.expert_screening_responses (user_id);
-- expert_id is covered by the leading column of the UNIQUE constraint.
CREATE INDEX IF NOT EXISTS expert_screening_responses_screening_question_id_idx ON expert_network.expert_screening_responses (screening_question_id);

-- ---------------------------------------------------------------------------
-- campaign_team_assignments: team members staffed on a campaign
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS expert_network.campaign_team_assignments (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         text        NOT NULL,
    campaign_id     uuid        NOT NULL REFERENCES expert_network.campaigns (id) ON DELETE CASCADE,
    team_member_id  uuid        NOT NULL REFERENCES expert_network.team_members (id) ON DELETE CASCADE,
    assignment_role text        NOT NULL DEFAULT 'member'
                                CHECK (assignment_role IN ('lead', 'member', 'reviewer', 'observer')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT campaign_team_assignments_campaign_member_key UNIQUE (campaign_id, team_member_id)
);

COMMENT ON TABLE expert_network.campaign_team_assignments IS 'Team members assigned to campaigns; one row per (campaign, member).';

CREATE INDEX IF NOT EXISTS campaign_team_assignments_user_id_idx ON expert_network.campaign_team_assignments (user_id);
-- campaign_id is covered by the leading column of the UNIQUE constraint.
CREATE INDEX IF NOT EXISTS campaign_team_assignments_team_member_id_idx ON expert_network.campaign_team_assignments (team_member_id);

-- ---------------------------------------------------------------------------
-- user_ui_preferences: one row of UI settings per user
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS expert_network.user_ui_preferences (
    id                      uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                 text        NOT NULL,
    theme                   text        NOT NULL DEFAULT 'system'
                                        CHECK (theme IN ('light', 'dark', 'system')),
    campaign_view           text        NOT NULL DEFAULT 'table'
                                        CHECK (campaign_view IN ('table', 'board', 'cards')),
    page_size               smallint    NOT NULL DEFAULT 25 CHECK (page_size BETWEEN 10 AND 200),
    time_zone               text,
    last_viewed_campaign_id uuid        REFERENCES expert_network.campaigns (id) ON DELETE SET NULL,
    preferences             jsonb       NOT NULL DEFAULT '{}'::jsonb
                                        CHECK (jsonb_typeof(preferences) = 'object'),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT user_ui_preferences_user_id_key UNIQUE (user_id)
);

COMMENT ON TABLE expert_network.user_ui_preferences IS 'Per-user UI settings; exactly one row per user (upsert on user_id).';
COMMENT ON COLUMN expert_network.user_ui_preferences.preferences IS 'Free-form JSON object for settings without a column of their own.';

-- user_id is covered by the UNIQUE constraint.
CREATE INDEX IF NOT EXISTS user_ui_preferences_last_viewed_campaign_id_idx ON expert_network.user_ui_preferences (last_viewed_campaign_id);

-- ---------------------------------------------------------------------------
-- updated_at triggers (DROP IF EXISTS + CREATE keeps this re-runnable on
-- PostgreSQL 13, which has no CREATE OR REPLACE TRIGGER)
-- ---------------------------------------------------------------------------

DROP TRIGGER IF EXISTS projects_set_updated_at ON expert_network.projects;
CREATE TRIGGER projects_set_updated_at
    BEFORE UPDATE ON expert_network.projects
    FOR EACH ROW EXECUTE FUNCTION expert_network.set_updated_at();

DROP TRIGGER IF EXISTS campaigns_set_updated_at ON expert_network.campaigns;
CREATE TRIGGER campaigns_set_updated_at
    BEFORE UPDATE ON expert_network.campaigns
    FOR EACH ROW EXECUTE FUNCTION expert_network.set_updated_at();

DROP TRIGGER IF EXISTS vendor_platforms_set_updated_at ON expert_network.vendor_platforms;
CREATE TRIGGER vendor_platforms_set_updated_at
    BEFORE UPDATE ON expert_network.vendor_platforms
    FOR EACH ROW EXECUTE FUNCTION expert_network.set_updated_at();

DROP TRIGGER IF EXISTS campaign_vendor_enrollments_set_updated_at ON expert_network.campaign_vendor_enrollments;
CREATE TRIGGER campaign_vendor_enrollments_set_updated_at
    BEFORE UPDATE ON expert_network.campaign_vendor_enrollments
    FOR EACH ROW EXECUTE FUNCTION expert_network.set_updated_at();

DROP TRIGGER IF EXISTS experts_set_updated_at ON expert_network.experts;
CREATE TRIGGER experts_set_updated_at
    BEFORE UPDATE ON expert_network.experts
    FOR EACH ROW EXECUTE FUNCTION expert_network.set_updated_at();

DROP TRIGGER IF EXISTS team_members_set_updated_at ON expert_network.team_members;
CREATE TRIGGER team_members_set_updated_at
    BEFORE UPDATE ON expert_network.team_members
    FOR EACH ROW EXECUTE FUNCTION expert_network.set_updated_at();

DROP TRIGGER IF EXISTS interviews_set_updated_at ON expert_network.interviews;
CREATE TRIGGER interviews_set_updated_at
    BEFORE UPDATE ON expert_network.interviews
    FOR EACH ROW EXECUTE FUNCTION expert_network.set_updated_at();

DROP TRIGGER IF EXISTS screening_questions_set_updated_at ON expert_network.screening_questions;
CREATE TRIGGER screening_questions_set_updated_at
    BEFORE UPDATE ON expert_network.screening_questions
    FOR EACH ROW EXECUTE FUNCTION expert_network.set_updated_at();

DROP TRIGGER IF EXISTS expert_screening_responses_set_updated_at ON expert_network.expert_screening_responses;
CREATE TRIGGER expert_screening_responses_set_updated_at
    BEFORE UPDATE ON expert_network.expert_screening_responses
    FOR EACH ROW EXECUTE FUNCTION expert_network.set_updated_at();

DROP TRIGGER IF EXISTS campaign_team_assignments_set_updated_at ON expert_network.campaign_team_assignments;
CREATE TRIGGER campaign_team_assignments_set_updated_at
    BEFORE UPDATE ON expert_network.campaign_team_assignments
    FOR EACH ROW EXECUTE FUNCTION expert_network.set_updated_at();

DROP TRIGGER IF EXISTS user_ui_preferences_set_updated_at ON expert_network.user_ui_preferences;
CREATE TRIGGER user_ui_preferences_set_updated_at
    BEFORE UPDATE ON expert_network.user_ui_preferences
    FOR EACH ROW EXECUTE FUNCTION expert_network.set_updated_at();
