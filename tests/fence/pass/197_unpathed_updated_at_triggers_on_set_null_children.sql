-- Pass corpus 197: the `updated_at` trigger many projects write by hand, a PL/pgSQL function with no
-- search_path of its own (`NEW.updated_at = CURRENT_TIMESTAMP; RETURN NEW;`), on a table whose
-- foreign key is ON DELETE SET NULL. The key's action updates the child as its owner in the session
-- of whoever deletes the parent, and the trigger body runs under that session's path; a body that
-- looks up no name there (assignments of NEW's fields from constants, other fields and SQL's clock
-- keywords, which the parser binds to pg_catalog itself) runs the same whatever the path, so the
-- fence accepts it (`invoker_calls::looks_up_nothing`). The same body with `now()` stays refused.
-- Proof: PG 15, psql: these tables and a second child whose trigger said `now()`; raguser, owning
-- schema rag with rag.now() and rag.current_timestamp() that RAISE NOTICE current_user, granted
-- DELETE on the parent, `SET search_path = rag, pg_catalog` and deleted each parent row: the
-- CURRENT_TIMESTAMP child's stamp was set and no notice raised; the now() child's delete raised
-- "raguser now() ran as postgres".

CREATE TABLE expert_network.p197_projects (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE expert_network.p197_tasks (
    id bigint PRIMARY KEY,
    project_id bigint REFERENCES expert_network.p197_projects (id) ON DELETE SET NULL,
    status text NOT NULL DEFAULT 'open',
    created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamptz
);

CREATE OR REPLACE FUNCTION expert_network.p197_set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- stamp every change
    NEW.updated_at = CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$;

CREATE TRIGGER p197_tasks_updated_at BEFORE UPDATE ON expert_network.p197_tasks
    FOR EACH ROW EXECUTE FUNCTION expert_network.p197_set_updated_at();
