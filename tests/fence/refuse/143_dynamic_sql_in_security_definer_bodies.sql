-- en-migrate: allow dynamic-sql
-- Refuse corpus 143: `allow dynamic-sql` lets a computed EXECUTE through in a body that runs with
-- its caller's rights, in its caller's session, where the database-side check follows the
-- migration's own calls. A SECURITY DEFINER body runs what it is given with its owner's rights
-- (the runner's superuser) for every role granted EXECUTE, the application's by default, long after
-- any check: the opt-in does not apply there.
-- Proof (PostgreSQL 15, on the seeded database, demo/public_apps.sql then sql/001-003 through `up`):
-- the first case alone, as 010 with the opt-in, passed `check` and applied through `up` (exit 0,
-- recorded); pg_proc gave expert_network.corpus143_run owned by postgres, prosecdef t. Then, as
-- raguser, `SELECT expert_network.corpus143_run('ALTER ROLE raguser SUPERUSER')` turned raguser's
-- rolsuper from f to t. The guard saw nothing: the migration itself changed nothing outside
-- expert_network. The format() case builds its SQL from a text parameter the same way.
-- A definer calling an invoker whose body EXECUTEs what it reads was already refused (invoker_calls).
-- Found by a hunt: before, each refused statement below passed `check`.

-- Reaches: whatever SQL the caller passes, run as the function's owner.
-- refuse: dynamic-sql
CREATE FUNCTION expert_network.corpus143_run(q text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  EXECUTE q;
END $$;

-- Reaches: a grant of the caller's choosing, made as the function's owner.
-- refuse: dynamic-sql
CREATE FUNCTION expert_network.corpus143_grant(tbl text, who text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  EXECUTE pg_catalog.format('GRANT SELECT ON %s TO %I', tbl, who);
END $$;

-- An invoker's computed EXECUTE stays accepted under the opt-in (diesel_manage_updated_at's kind).
CREATE FUNCTION expert_network.corpus143_touch(tbl regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  EXECUTE pg_catalog.format('CREATE TRIGGER set_updated_at BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION expert_network.corpus143_stamp()', tbl);
END $$;
