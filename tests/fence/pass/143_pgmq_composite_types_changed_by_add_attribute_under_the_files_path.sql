-- Pass corpus 143: pgmq's composite types and their later changes (tembo-io/pgmq, commit
-- a5890283f79f08b2a578bc19b750a3efce9b9b23: pgmq--0.25.0--0.26.0.sql's `CREATE TYPE
-- pgmq.message_record AS (...)`, pgmq--0.33.1--0.33.2.sql's `CREATE TYPE pgmq.metrics_result AS
-- (...)`, and pgmq--1.4.5--1.5.0.sql's `ALTER TYPE pgmq.metrics_result ADD ATTRIBUTE
-- queue_visible_length bigint` and `ALTER TYPE pgmq.message_record ADD ATTRIBUTE headers JSONB`), as
-- an application that keeps them in its own schema writes them: under the file's `SET search_path
-- TO expert_network`, the `pgmq.` qualifier left out (pgmq writes its schema's name; a file written
-- for its own path leaves it out); a `RENAME ATTRIBUTE` and an `ALTER ATTRIBUTE ... TYPE` added. The server looks the type up as a relation, on the path as ALTER TABLE does, and
-- changes expert_network's (PG 15). The types prefixed pp_mq_. The fence passed it.
SET search_path TO expert_network;

CREATE TYPE pp_mq_message_record AS (
    msg_id BIGINT,
    read_ct INTEGER,
    enqueued_at TIMESTAMP WITH TIME ZONE,
    vt TIMESTAMP WITH TIME ZONE,
    message JSONB
);

CREATE TYPE pp_mq_metrics_result AS (
    queue_name text,
    queue_length bigint,
    newest_msg_age_sec int,
    oldest_msg_age_sec int,
    total_messages bigint,
    scrape_time timestamp with time zone
);

-- Add queue visible length to metrics
ALTER TYPE pp_mq_metrics_result ADD ATTRIBUTE queue_visible_length bigint;

-- Headers
-- Update types
ALTER TYPE pp_mq_message_record ADD ATTRIBUTE headers JSONB;

ALTER TYPE pp_mq_metrics_result RENAME ATTRIBUTE scrape_time TO scraped_at;

ALTER TYPE pp_mq_metrics_result ALTER ATTRIBUTE newest_msg_age_sec TYPE bigint;
