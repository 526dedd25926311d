-- Pass corpus 13: partitioning (PARTITION OF, DEFAULT, LIKE + ATTACH), inheritance, row level
-- security policies and a rule, all within expert_network.
CREATE TABLE expert_network.pass_call_events (
    id           bigint GENERATED ALWAYS AS IDENTITY,
    interview_id uuid NOT NULL,
    occurred_at  timestamptz NOT NULL,
    kind         text NOT NULL,
    detail       jsonb,
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);

CREATE TABLE expert_network.pass_call_events_2025
    PARTITION OF expert_network.pass_call_events
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

CREATE TABLE expert_network.pass_call_events_default
    PARTITION OF expert_network.pass_call_events DEFAULT;

CREATE TABLE expert_network.pass_call_events_2026
    (LIKE expert_network.pass_call_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS);

ALTER TABLE expert_network.pass_call_events
    ATTACH PARTITION expert_network.pass_call_events_2026
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

INSERT INTO expert_network.pass_call_events (interview_id, occurred_at, kind, detail)
SELECT i.id, i.scheduled_at, 'scheduled', jsonb_build_object('minutes', i.duration_minutes)
FROM expert_network.pass_interviews AS i;

CREATE TABLE expert_network.pass_notes (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    body       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE expert_network.pass_expert_notes (
    expert_id uuid NOT NULL REFERENCES expert_network.pass_experts (id) ON DELETE CASCADE
) INHERITS (expert_network.pass_notes);

CREATE RULE pass_notes_soft_delete AS
    ON DELETE TO expert_network.pass_notes
    DO INSTEAD
        UPDATE expert_network.pass_notes SET body = '[deleted]' WHERE id = OLD.id;

ALTER TABLE expert_network.pass_campaigns ENABLE ROW LEVEL SECURITY;

CREATE POLICY pass_campaigns_owner ON expert_network.pass_campaigns
    FOR ALL
    TO en_pass_writer
    USING (user_id = current_setting('app.user_id', true))
    WITH CHECK (user_id = current_setting('app.user_id', true));

CREATE POLICY pass_campaigns_team_read ON expert_network.pass_campaigns
    FOR SELECT
    TO en_pass_reader
    USING (EXISTS (
        SELECT 1
        FROM expert_network.pass_campaign_team_assignments AS a
        WHERE a.campaign_id = pass_campaigns.id
          AND a.user_id = current_setting('app.user_id', true)
    ));

ALTER POLICY pass_campaigns_owner ON expert_network.pass_campaigns
    USING (user_id = current_setting('app.user_id', true) OR status = 'draft');
