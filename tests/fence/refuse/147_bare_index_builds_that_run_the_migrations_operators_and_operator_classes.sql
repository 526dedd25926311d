-- en-migrate: no-transaction
-- Refuse corpus 147: what corpus 146 refuses for a call, through the migrations' operator and
-- operator class: a CREATE INDEX CONCURRENTLY (sent bare, with no database-side check around it,
-- `db::notx::runs_alone`) runs the function of an operator its expressions or predicate name, and
-- the support functions of the operator classes it builds with (here named, or a type's default):
-- a body there that acts (writes, EXECUTE, DDL, at any depth of the migrations' calls) runs
-- unseen. The fence does not follow a class to the columns it serves: while the migrations' own
-- operators or classes have such a function, every concurrent build, REINDEX CONCURRENTLY and
-- VACUUM of the file is refused.
-- Proof: not runnable by prove.py, which wraps a file in one transaction. Through `up` on PG 15, as
-- corpus 146's (public.partner_links with 11 rows cascading from vendor_platforms; the
-- transactional 004 under `allow dynamic-sql` made c146_probe and the definer c146_run() whose
-- computed EXECUTE ran the job 005 inserted, `DELETE FROM public.partner_links`), with
-- main's en-migrate before this fix: 004 also made the IMMUTABLE definer `c146_eq(int, int)`
-- that PERFORMs c146_run() and the operator `expert_network.===` over it, and a no-transaction
-- 006 `CREATE INDEX CONCURRENTLY c146_o ON expert_network.c146_probe (id) WHERE id
-- OPERATOR(expert_network.===) 1` exited 0, every file recorded, public.partner_links emptied;
-- likewise with 004 making `c147_cmp(int, int)` (PERFORMs c146_run(), returns btint4cmp) and the
-- btree class `expert_network.c147_ops FOR TYPE int` with it as FUNCTION 1 (probe holding two rows),
-- and 006 `CREATE INDEX CONCURRENTLY c147_o ON expert_network.c146_probe (id
-- expert_network.c147_ops)`: exit 0, 0 rows left. The bodies below write expert_network's
-- vendor_platforms instead (raguser's key cascades from it; see corpus 146 for why the proof's
-- bodies took the computed EXECUTE).

CREATE TABLE IF NOT EXISTS expert_network.c147_probe (id int);

CREATE FUNCTION expert_network.c147_retire() RETURNS int LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    DELETE FROM expert_network.vendor_platforms WHERE slug = 'guidepoint' AND user_id IS NULL;
    RETURN 1;
END $$;

CREATE FUNCTION expert_network.c147_eq(a int, b int) RETURNS boolean LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    PERFORM expert_network.c147_retire();
    RETURN a OPERATOR(pg_catalog.=) b;
END $$;

CREATE OPERATOR expert_network.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = expert_network.c147_eq);

CREATE FUNCTION expert_network.c147_cmp(a int, b int) RETURNS int LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    PERFORM expert_network.c147_retire();
    RETURN pg_catalog.btint4cmp(a, b);
END $$;

CREATE OPERATOR CLASS expert_network.c147_ops FOR TYPE int USING btree AS
    OPERATOR 1 pg_catalog.<, OPERATOR 2 pg_catalog.<=, OPERATOR 3 pg_catalog.=,
    OPERATOR 4 pg_catalog.>=, OPERATOR 5 pg_catalog.>,
    FUNCTION 1 expert_network.c147_cmp(int, int);

-- Reaches: public.partner_links' rows, through the operator's function in the predicate.
-- refuse: outside-schema
CREATE INDEX CONCURRENTLY IF NOT EXISTS c147_probe_op ON expert_network.c147_probe (id) WHERE id OPERATOR(expert_network.===) 1;

-- Reaches: the same, through the class's comparison support, which the build's sort calls.
-- refuse: outside-schema
CREATE INDEX CONCURRENTLY IF NOT EXISTS c147_probe_ops ON expert_network.c147_probe (id expert_network.c147_ops);
