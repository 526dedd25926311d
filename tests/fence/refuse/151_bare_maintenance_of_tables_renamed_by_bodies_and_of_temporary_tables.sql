-- en-migrate: no-transaction
-- Refuse corpus 151: the VACUUM and REINDEX CONCURRENTLY a no-transaction file sends bare count what
-- is stored on the tables they work on (corpus 146-149), and so must follow every way a table comes
-- to bear the name written: a function body's renames (a body's `ALTER TABLE v RENAME TO w` makes
-- the table with the acting index the one `VACUUM w` analyzes), and a temporary table's own stored
-- expressions (an index `ON pg_temp.t (f(id))`, which the fence recorded nowhere).
-- Proof: PG 15 through `up`, raguser owning public.rag_docs (3 rows) whose key references
-- expert_network.projects ON DELETE CASCADE, with the en-migrate of main before this fix: a
-- transactional 001 made v, indexed on k(id) whose PERFORMed del() deletes from projects, and a
-- plpgsql mv() renaming w away and v to w, and called it; a no-transaction 002 `VACUUM (ANALYZE)
-- expert_network.w` exited 0 and rag_docs held 0 rows. Likewise a no-transaction 002 making
-- `CREATE TEMP TABLE w`, `CREATE INDEX ON pg_temp.w (expert_network.k(id))`, arming del() by a flag
-- row, then `VACUUM (ANALYZE) pg_temp.w`: exit 0, 0 rows. The bodies below write expert_network's
-- vendor_platforms instead (another application's key cascades from it, corpus 146).

CREATE TABLE IF NOT EXISTS expert_network.c151_v (id int);
CREATE TABLE IF NOT EXISTS expert_network.c151_w (id int);

CREATE FUNCTION expert_network.c151_retire() RETURNS int LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    DELETE FROM expert_network.vendor_platforms WHERE slug = 'guidepoint' AND user_id IS NULL;
    RETURN 1;
END $$;

CREATE FUNCTION expert_network.c151_key(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
BEGIN
    PERFORM expert_network.c151_retire();
    RETURN i;
END $$;

CREATE INDEX IF NOT EXISTS c151_v_k ON expert_network.c151_v (expert_network.c151_key(id));

CREATE FUNCTION expert_network.c151_swap() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    ALTER TABLE expert_network.c151_w RENAME TO c151_w_old;
    ALTER TABLE expert_network.c151_v RENAME TO c151_w;
END $$;

SELECT expert_network.c151_swap();

-- Reaches: what c151_retire()'s DELETE cascades to, through the index the body's rename brought.
-- refuse: outside-schema
VACUUM (ANALYZE) expert_network.c151_w;

CREATE TEMP TABLE c151_t (id int);
CREATE INDEX c151_t_k ON pg_temp.c151_t (expert_network.c151_key(id));

-- Reaches: the same, through the temporary table's own index.
-- refuse: outside-schema
VACUUM (ANALYZE) pg_temp.c151_t;
