-- Pass corpus 39: row locks over CTEs, as hatchet's goose migrations write them
-- (cmd/hatchet-migrate/migrate/migrations/20250224171706_v1_0_0.sql and later: the
-- after_v1_concurrency_slot_delete_function trigger): a statement-level trigger's CTE reads the
-- transition table, a second CTE joins it to the table whose rows it locks `FOR UPDATE` (no OF list),
-- and the UPDATE reads that CTE. PostgreSQL's FOR UPDATE without OF locks only FROM's tables and
-- subqueries, never a CTE's reference; the CTE's own FROM is not locked either. Applied with psql on PG 15.

CREATE TABLE expert_network.pp_hatchet_workflow_slot (
    strategy_id bigint NOT NULL,
    workflow_run_id uuid NOT NULL,
    child_strategy_ids bigint[] NOT NULL DEFAULT '{}',
    completed_child_strategy_ids bigint[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (strategy_id, workflow_run_id)
);

CREATE TABLE expert_network.pp_hatchet_task_slot (
    task_id bigint PRIMARY KEY,
    strategy_id bigint NOT NULL,
    parent_strategy_id bigint,
    workflow_run_id uuid NOT NULL
);

CREATE OR REPLACE FUNCTION expert_network.pp_hatchet_after_task_slot_delete()
RETURNS trigger AS $$
BEGIN
    WITH parent_slot AS (
        SELECT cs.workflow_run_id, cs.strategy_id, cs.parent_strategy_id
        FROM deleted_rows cs
        WHERE cs.parent_strategy_id IS NOT NULL
    ), locked_parent_slots AS (
        SELECT wcs.strategy_id, wcs.workflow_run_id, cs.strategy_id AS child_strategy_id
        FROM expert_network.pp_hatchet_workflow_slot wcs
        JOIN parent_slot cs
          ON (wcs.strategy_id, wcs.workflow_run_id) = (cs.parent_strategy_id, cs.workflow_run_id)
        ORDER BY wcs.strategy_id, wcs.workflow_run_id
        FOR UPDATE
    )
    UPDATE expert_network.pp_hatchet_workflow_slot wcs
    SET completed_child_strategy_ids = ARRAY(
        SELECT DISTINCT UNNEST(ARRAY_APPEND(wcs.completed_child_strategy_ids, cs.child_strategy_id))
    )
    FROM locked_parent_slots cs
    WHERE wcs.strategy_id = cs.strategy_id
      AND wcs.workflow_run_id = cs.workflow_run_id;

    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER pp_hatchet_after_task_slot_delete
AFTER DELETE ON expert_network.pp_hatchet_task_slot
REFERENCING OLD TABLE AS deleted_rows
FOR EACH STATEMENT
EXECUTE FUNCTION expert_network.pp_hatchet_after_task_slot_delete();

INSERT INTO expert_network.pp_hatchet_workflow_slot (strategy_id, workflow_run_id, child_strategy_ids)
VALUES (1, '00000000-0000-0000-0000-000000000001', '{2}');
INSERT INTO expert_network.pp_hatchet_task_slot VALUES
    (10, 2, 1, '00000000-0000-0000-0000-000000000001');
DELETE FROM expert_network.pp_hatchet_task_slot WHERE task_id = 10;

-- The same shape at the top level, as a backfill locks the rows it is about to rewrite.
WITH done AS (
    SELECT strategy_id, workflow_run_id
    FROM expert_network.pp_hatchet_workflow_slot
    WHERE cardinality(child_strategy_ids) = cardinality(completed_child_strategy_ids)
)
SELECT w.strategy_id
FROM expert_network.pp_hatchet_workflow_slot w
JOIN done USING (strategy_id, workflow_run_id)
FOR UPDATE;
