-- Refuse corpus 42: a function's own search_path removed after the fence judged its string body
-- under it. The body of a function with SET search_path = expert_network, ... was resolved under that
-- path; ALTER FUNCTION ... RESET search_path (or SET search_path TO DEFAULT, or RESET ALL) takes the
-- path away, and from then on the body resolves under the path of whichever session calls it: an
-- application's "$user", public finds public.campaigns (the marketing app's) where the fence saw
-- expert_network.campaigns. Each refused statement is followed by a `-- proof:` query that calls the
-- function the way such a session does; run on PG 15 as the runner's superuser with
-- `tests/fence/prove.py`, each proof printed what the comment above it says (0 rows left in
-- public.campaigns). Found by a hunt: before, every statement below passed `check` and applied through
-- `up` (nothing outside expert_network changes while the migration runs, so the guard sees nothing).

-- The shipped migrations' table (sql/001), for the fence's model; on the proof's database a no-op.
CREATE TABLE IF NOT EXISTS expert_network.campaigns (id uuid PRIMARY KEY);

CREATE FUNCTION expert_network.fp_trim() RETURNS void LANGUAGE sql
    SET search_path = expert_network, pg_catalog, pg_temp AS 'DELETE FROM campaigns WHERE true';

-- Reaches: public.campaigns emptied when an application's session calls the function.
-- refuse: session-state
ALTER FUNCTION expert_network.fp_trim() RESET search_path;
-- proof: SET LOCAL search_path = "$user", public; SELECT expert_network.fp_trim(); SELECT count(*) = 0 FROM public.campaigns

-- Reaches: the same, spelt as a SET to the default.
-- refuse: session-state
ALTER FUNCTION expert_network.fp_trim() SET search_path TO DEFAULT;
-- proof: SET LOCAL search_path = "$user", public; SELECT expert_network.fp_trim(); SELECT count(*) = 0 FROM public.campaigns

-- Reaches: the same, every setting of the function reset at once, through ALTER PROCEDURE's sibling.
-- refuse: session-state
ALTER ROUTINE expert_network.fp_trim() RESET ALL;
-- proof: SET LOCAL search_path = "$user", public; SELECT expert_network.fp_trim(); SELECT count(*) = 0 FROM public.campaigns

-- Another path the fence allows, or the path the migration runs under, keeps the body in expert_network.
ALTER FUNCTION expert_network.fp_trim() SET search_path FROM CURRENT;

ALTER FUNCTION expert_network.fp_trim() SET search_path = pg_catalog, expert_network;

-- A function created without its own path was judged under the caller's: a RESET changes nothing.
CREATE FUNCTION expert_network.fp_count() RETURNS bigint LANGUAGE sql SET work_mem = '8MB'
    AS 'SELECT count(*) FROM expert_network.campaigns';

ALTER FUNCTION expert_network.fp_count() RESET ALL;
