-- en-migrate: no-transaction
-- Refuse corpus 149: what corpus 146 refuses for an index's stored expression, through an extended
-- statistics object's: `CREATE STATISTICS ... ON (f(id)) FROM t` (PG 14 and later) stores an
-- expression that every ANALYZE of t evaluates for each sampled row, and a VACUUM (ANALYZE) in a
-- no-transaction file is sent bare, with no database-side check around it
-- (`db::notx::runs_alone`). Where f is the migrations' function whose body acts (writes, EXECUTE,
-- DDL, at any depth of their calls), that body runs unseen. The fence counted the stored
-- expressions of tables, indexes, domains and triggers, not of statistics objects: with no index
-- over the function, the VACUUM below passed.
-- Proof: PG 15, psql as the superuser: a table of 100 rows, `CREATE FUNCTION w() ... INSERT INTO
-- hits VALUES (1)`, an IMMUTABLE plpgsql f(int) that PERFORMs w(), `CREATE STATISTICS s ON (f(id))
-- FROM t`: `ANALYZE t` left 200 rows in hits, and `VACUUM (ANALYZE) t` 200 more. The bare path is
-- corpus 146's, proven there through `up` (its VACUUM (ANALYZE) emptied public.partner_links with
-- exit 0 while a BRIN index over the function stood beside its statistics object).

CREATE TABLE IF NOT EXISTS expert_network.c149_probe (id int);
CREATE TABLE IF NOT EXISTS expert_network.c149_other (id int);

CREATE FUNCTION expert_network.c149_retire() RETURNS int LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    DELETE FROM expert_network.vendor_platforms WHERE slug = 'guidepoint' AND user_id IS NULL;
    RETURN 1;
END $$;

CREATE FUNCTION expert_network.c149_key(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
BEGIN
    PERFORM expert_network.c149_retire();
    RETURN i;
END $$;

-- Runs guarded (a statement of its own, in a transaction with the check around it): passes here.
CREATE STATISTICS IF NOT EXISTS expert_network.c149_stats ON (expert_network.c149_key(id)) FROM expert_network.c149_probe;

-- Reaches: what c149_retire()'s DELETE cascades to (another application's key on vendor_platforms).
-- refuse: outside-schema
VACUUM (ANALYZE) expert_network.c149_probe;

-- Passes: a table with no such stored expression.
VACUUM (ANALYZE) expert_network.c149_other;
