-- Pass corpus 15: dropping this corpus's own expert_network objects, TRUNCATE / LOCK / ANALYZE
-- of our own tables, and use of the enum value added in 12.
CREATE TABLE expert_network.pass_scratch (id integer PRIMARY KEY, note text);
INSERT INTO expert_network.pass_scratch VALUES (1, 'temporary'), (2, 'public is just a word');
CREATE INDEX pass_scratch_note_idx ON expert_network.pass_scratch (note);
CREATE VIEW expert_network.pass_scratch_view AS SELECT s.id FROM expert_network.pass_scratch AS s;
CREATE SEQUENCE expert_network.pass_scratch_seq;
CREATE TYPE expert_network.pass_scratch_kind AS ENUM ('a', 'b');
CREATE DOMAIN expert_network.pass_scratch_code AS text CHECK (VALUE <> '');
CREATE FUNCTION expert_network.pass_scratch_fn(p integer) RETURNS integer
    LANGUAGE sql IMMUTABLE RETURN p + 1;
CREATE TRIGGER pass_scratch_audit
    AFTER INSERT ON expert_network.pass_scratch
    FOR EACH ROW EXECUTE FUNCTION expert_network.pass_audit_row('scratch');

LOCK TABLE expert_network.pass_scratch IN SHARE ROW EXCLUSIVE MODE;
TRUNCATE expert_network.pass_scratch;
ANALYZE expert_network.pass_campaigns;

UPDATE expert_network.pass_campaigns SET status = 'archived' WHERE status = 'closed';

DROP TRIGGER pass_scratch_audit ON expert_network.pass_scratch;
DROP POLICY IF EXISTS pass_campaigns_team_read ON expert_network.pass_campaigns;
DROP RULE pass_notes_soft_delete ON expert_network.pass_notes;
DROP VIEW expert_network.pass_scratch_view;
DROP INDEX expert_network.pass_scratch_note_idx;
DROP TABLE IF EXISTS expert_network.pass_scratch;
DROP SEQUENCE expert_network.pass_scratch_seq;
DROP FUNCTION expert_network.pass_scratch_fn(integer);
DROP TYPE expert_network.pass_scratch_kind;
DROP DOMAIN expert_network.pass_scratch_code;
DROP STATISTICS IF EXISTS expert_network.pass_campaigns_user_status_stats;
DROP TABLE expert_network.pass_call_events_2026;
ALTER TABLE expert_network.pass_experts DROP COLUMN IF EXISTS linkedin_url;
ALTER TABLE expert_network.pass_campaigns DROP CONSTRAINT IF EXISTS pass_campaigns_dates_chk;
DROP VIEW IF EXISTS expert_network.pass_expert_jobs;
