-- en-migrate: no-transaction
-- Refuse corpus 146: besides a DO block that commits (corpus 141), a no-transaction file's
-- CONCURRENTLY forms and VACUUM are what the runner sends bare, with no database-side check around
-- them (`db::notx::runs_alone`). Such a statement evaluates expressions: a CREATE INDEX
-- CONCURRENTLY its own index's expressions and predicate, a REINDEX CONCURRENTLY the stored ones of
-- the indexes it rebuilds, a VACUUM (ANALYZE) those of the indexes and statistics objects it
-- gathers for. A call there of the migrations' own function whose body acts (writes, EXECUTE, DDL,
-- at any depth of the migrations' calls) runs that body unseen: what the fence lets such a body do
-- because the check follows each migration (a computed EXECUTE under a transactional file's
-- `allow dynamic-sql`, a DELETE another application's key acts on) reaches public.
-- Proof: not runnable by prove.py, which wraps a file in one transaction. Through `up` on PG 15 as
-- the runner's superuser (demo/public_apps.sql, sql/001-003 through `up`, then, as another
-- application would, `CREATE TABLE public.partner_links (id serial PRIMARY KEY, vendor_id uuid NOT
-- NULL REFERENCES expert_network.vendor_platforms (id) ON DELETE CASCADE, url text)` holding a row
-- for each of the 11 built-in vendors), with the en-migrate of main before this fix: a
-- transactional 004 under `allow dynamic-sql` made c146_probe (one row), a SECURITY DEFINER
-- c146_run() whose `EXECUTE coalesce((SELECT q FROM expert_network.c146_job), 'SELECT 1')` ran
-- the job, the IMMUTABLE definer c146_key(int) that PERFORMs it, a BRIN index and a statistics
-- object over c146_key(id) (the job empty then: nothing ran); 005 inserted the job `DELETE FROM
-- public.partner_links`; a no-transaction 006 holding any one of the statements below as 146 has
-- them (the CONCURRENTLY index of the expression, of the predicate, the REINDEX CONCURRENTLY of
-- the BRIN index, the VACUUM (ANALYZE)) exited 0, every file recorded, and public.partner_links
-- held 0 rows. The same CREATE INDEX without CONCURRENTLY in a transactional 006 was caught by the
-- check and rolled back (exit 3, "rows written to public.partner_links", 11 rows kept). The bodies
-- below write expert_network's vendor_platforms instead (raguser's key cascades from it): in the
-- seeded database, whose default privileges give raguser TRIGGER there, the fence refuses such a
-- definer's write on its own, so the proof's bodies took the computed EXECUTE.

CREATE FUNCTION expert_network.c146_retire() RETURNS int LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    DELETE FROM expert_network.vendor_platforms WHERE slug = 'guidepoint' AND user_id IS NULL AND EXISTS (SELECT FROM expert_network.c146_arm);
    RETURN 1;
END $$;

CREATE FUNCTION expert_network.c146_key(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    PERFORM expert_network.c146_retire();
    RETURN i;
END $$;

CREATE TABLE IF NOT EXISTS expert_network.c146_arm (armed boolean);
CREATE TABLE IF NOT EXISTS expert_network.c146_probe (id int);
INSERT INTO expert_network.c146_probe VALUES (1);

-- Runs guarded (a statement of its own, in a transaction with the check around it): passes here.
CREATE INDEX IF NOT EXISTS c146_probe_plain ON expert_network.c146_probe USING brin (expert_network.c146_key(id));
CREATE STATISTICS IF NOT EXISTS expert_network.c146_st ON (expert_network.c146_key(id)) FROM expert_network.c146_probe;
INSERT INTO expert_network.c146_arm VALUES (true);

-- Reaches: public.partner_links' rows, through c146_key's body, evaluated bare by the build.
-- refuse: outside-schema
CREATE INDEX CONCURRENTLY IF NOT EXISTS c146_probe_key ON expert_network.c146_probe (expert_network.c146_key(id));

-- Reaches: the same, through the index's predicate.
-- refuse: outside-schema
CREATE INDEX CONCURRENTLY IF NOT EXISTS c146_probe_part ON expert_network.c146_probe (id) WHERE expert_network.c146_key(id) > 0;

-- Reaches: the same, through the stored expression of the index it rebuilds.
-- refuse: outside-schema
REINDEX INDEX CONCURRENTLY expert_network.c146_probe_plain;

-- Reaches: the same, through the expressions of the index and statistics object it analyzes.
-- refuse: outside-schema
VACUUM (ANALYZE) expert_network.c146_probe;

-- Passes: a concurrent build over a function of the migrations' that only reads (Firezone's
-- immutable unaccent wrapper, pass corpus 176), and one of pg_catalog's functions alone.
CREATE FUNCTION expert_network.c146_norm(t text) RETURNS text LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$ SELECT pg_catalog.lower(t) $$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS c146_probe_norm ON expert_network.c146_probe (expert_network.c146_norm(id::text));
CREATE INDEX CONCURRENTLY IF NOT EXISTS c146_probe_lower ON expert_network.c146_probe (pg_catalog.lower(id::text));
DROP INDEX CONCURRENTLY IF EXISTS expert_network.c146_probe_key;
