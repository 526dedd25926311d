-- Pass corpus 02: core tables with foreign keys inside expert_network, CHECK constraints,
-- jsonb / text[] / uuid columns, a generated column and an identity column.
CREATE TABLE expert_network.pass_projects (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     expert_network.pass_user_id NOT NULL,  -- BetterAuth public."user".id, by convention only
    name        text NOT NULL,
    description text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pass_projects_name_chk CHECK (btrim(name) <> '')
);

CREATE TABLE expert_network.pass_vendor_platforms (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name      text NOT NULL UNIQUE,
    website   text,
    is_public boolean NOT NULL DEFAULT false,
    settings  jsonb NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT pass_vendor_settings_is_object CHECK (jsonb_typeof(settings) = 'object')
);

CREATE TABLE expert_network.pass_campaigns (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id    uuid REFERENCES expert_network.pass_projects (id) ON DELETE SET NULL,
    user_id       expert_network.pass_user_id NOT NULL,
    campaign_name text NOT NULL,
    status        expert_network.pass_campaign_status NOT NULL DEFAULT 'draft',
    industries    text[] NOT NULL DEFAULT '{}'::text[],
    target_count  integer CHECK (target_count IS NULL OR target_count BETWEEN 1 AND 500),
    budget        expert_network.pass_money,
    metadata      jsonb NOT NULL DEFAULT '{}'::jsonb,
    start_date    date,
    end_date      date,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pass_campaigns_dates_chk
        CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);

CREATE TABLE expert_network.pass_campaign_vendor_enrollments (
    campaign_id        uuid NOT NULL REFERENCES expert_network.pass_campaigns (id) ON DELETE CASCADE,
    vendor_platform_id uuid NOT NULL REFERENCES expert_network.pass_vendor_platforms (id),
    enrolled_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, vendor_platform_id)
);

CREATE TABLE expert_network.pass_experts (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id        uuid NOT NULL REFERENCES expert_network.pass_campaigns (id) ON DELETE CASCADE,
    vendor_platform_id uuid REFERENCES expert_network.pass_vendor_platforms (id),
    full_name          text NOT NULL,
    email              expert_network.pass_email,
    visibility         expert_network.pass_visibility NOT NULL DEFAULT 'private',
    hourly_rate        numeric(10, 2) CHECK (hourly_rate >= 0),
    profile            jsonb NOT NULL DEFAULT '{}'::jsonb,
    tags               text[] NOT NULL DEFAULT ARRAY[]::text[],
    search_name        text GENERATED ALWAYS AS (lower(full_name)) STORED,
    created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE expert_network.pass_interviews (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    expert_id        uuid NOT NULL REFERENCES expert_network.pass_experts (id) ON DELETE CASCADE,
    scheduled_at     timestamptz NOT NULL,
    duration_minutes expert_network.pass_positive_minutes NOT NULL,
    rating           smallint CHECK (rating BETWEEN 1 AND 5),
    notes            text,
    UNIQUE (expert_id, scheduled_at)
);

CREATE TABLE expert_network.pass_team_members (
    user_id      expert_network.pass_user_id PRIMARY KEY,
    display_name text NOT NULL,
    email        expert_network.pass_email NOT NULL,
    role         text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member'))
);

CREATE TABLE expert_network.pass_campaign_team_assignments (
    campaign_id uuid REFERENCES expert_network.pass_campaigns (id) ON DELETE CASCADE,
    user_id     expert_network.pass_user_id
                REFERENCES expert_network.pass_team_members (user_id) ON DELETE CASCADE,
    assigned_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, user_id)
);

CREATE TABLE expert_network.pass_audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_schema text NOT NULL,
    table_name   text NOT NULL,
    action       text NOT NULL,
    row_id       text,
    payload      jsonb,
    logged_at    timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE expert_network.pass_campaigns IS
    'Expert research campaigns; user_id holds a BetterAuth id from public."user"';
COMMENT ON COLUMN expert_network.pass_vendor_platforms.is_public IS
    'Whether the vendor appears in the public directory';
