-- Pass corpus 36: a PL/pgSQL DECLARE section that holds a variable of an expert_network type beside a
-- bound cursor and a default computed by a query, as batch jobs written in PL/pgSQL do (archive
-- or expire rows in chunks, keyed by an enum status). The fence parses such a body with a stand-in
-- for the expert_network type; the stand-in once also replaced the tables in the cursor's query and
-- in the default's subquery, which were then refused as an unqualified relation "record".
-- Applied with psql on PG 15.

CREATE TYPE expert_network.pass_job_state AS ENUM ('queued', 'running', 'done', 'expired');

CREATE TABLE expert_network.pass_jobs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    state expert_network.pass_job_state NOT NULL DEFAULT 'queued',
    queued_at timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION expert_network.pass_expire_jobs(max_age interval)
RETURNS integer
LANGUAGE plpgsql
SET search_path = expert_network, pg_catalog, pg_temp
AS $$
DECLARE
    v_new_state expert_network.pass_job_state := 'expired';
    v_total integer := (SELECT count(*) FROM expert_network.pass_jobs j WHERE j.state = 'queued');
    stale CURSOR (cutoff timestamptz) FOR
        SELECT j.id FROM expert_network.pass_jobs j
        WHERE j.state = 'queued' AND j.queued_at < cutoff
        ORDER BY j.id
        FOR UPDATE;
    v_done integer := 0;
BEGIN
    FOR r IN stale(now() - max_age) LOOP
        UPDATE expert_network.pass_jobs SET state = v_new_state WHERE CURRENT OF stale;
        v_done := v_done + 1;
    END LOOP;
    RAISE NOTICE 'expired % of % queued jobs', v_done, v_total;
    RETURN v_done;
END;
$$;

INSERT INTO expert_network.pass_jobs (queued_at) VALUES (now() - interval '2 days'), (now());
SELECT expert_network.pass_expire_jobs(interval '1 day');
