-- en-migrate: no-transaction
-- Refuse corpus 148: what corpus 146 refuses for a call, through a coercion to the migrations'
-- domain: an index's expression `(id::d)` runs d's CHECKs on every value the build (or a REINDEX
-- of the stored index) computes, and a CHECK that calls the migrations' function whose body acts
-- (writes, EXECUTE, DDL, at any depth of their calls) runs it with no database-side check around
-- the statement a no-transaction file sends bare (`db::notx::runs_alone`).
-- Proof: not runnable by prove.py, which wraps a file in one transaction. Through `up` on PG 15, as
-- corpus 146's (public.partner_links with 11 rows cascading from vendor_platforms; the
-- transactional 004 under `allow dynamic-sql` made c146_probe, the definer c146_run() whose
-- computed EXECUTE ran the job 005 inserted, `DELETE FROM public.partner_links`, and the
-- IMMUTABLE definer c146_key(int) that PERFORMs it), with main's en-migrate before this fix: 004
-- also made `CREATE DOMAIN expert_network.c148_dom AS int CHECK (expert_network.c146_key(VALUE) >
-- 0)`, and a no-transaction 006 `CREATE INDEX CONCURRENTLY c148_d ON expert_network.c146_probe
-- ((id::expert_network.c148_dom))` exited 0, every file recorded, public.partner_links emptied;
-- likewise with 004 making the plain index c148_i of the same expression (the job empty then)
-- and 006 `REINDEX INDEX CONCURRENTLY expert_network.c148_i`: exit 0, 0 rows left. The bodies
-- below write expert_network's vendor_platforms instead (see corpus 146 for why the proof's
-- bodies took the computed EXECUTE).

CREATE TABLE IF NOT EXISTS expert_network.c148_probe (id int);

CREATE FUNCTION expert_network.c148_retire() RETURNS int LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    DELETE FROM expert_network.vendor_platforms WHERE slug = 'guidepoint' AND user_id IS NULL;
    RETURN 1;
END $$;

CREATE FUNCTION expert_network.c148_key(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    PERFORM expert_network.c148_retire();
    RETURN i;
END $$;

CREATE DOMAIN expert_network.c148_dom AS int CHECK (expert_network.c148_key(VALUE) > 0);

-- Runs guarded (a statement of its own, in a transaction with the check around it): passes here.
CREATE INDEX IF NOT EXISTS c148_i ON expert_network.c148_probe ((id::expert_network.c148_dom));

-- Reaches: public.partner_links' rows, through the domain's CHECK the build's cast runs.
-- refuse: outside-schema
CREATE INDEX CONCURRENTLY IF NOT EXISTS c148_d ON expert_network.c148_probe ((id::expert_network.c148_dom));

-- Reaches: the same, through the stored expression of the index it rebuilds.
-- refuse: outside-schema
REINDEX INDEX CONCURRENTLY expert_network.c148_i;

-- Passes: a concurrent build that names no such domain.
CREATE INDEX CONCURRENTLY IF NOT EXISTS c148_plain ON expert_network.c148_probe (id);
