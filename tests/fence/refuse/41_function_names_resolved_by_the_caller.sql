-- Refuse corpus 41: a function's string body (SQL or PL/pgSQL) is parsed when the function runs, and
-- its unqualified names are looked up under the search_path of the session that calls it, not under
-- the path the migration ran with. A trigger function fires in the sessions of the applications that
-- write the table, whose path is "$user", public: an unqualified name that the migration's path
-- resolved to expert_network finds public's table of that name first (public.campaigns, the
-- marketing app's, against expert_network.campaigns). Each refused statement is followed by a
-- `-- proof:` query that calls the function the way such a session does; run on PG 15 as the
-- runner's superuser with `tests/fence/prove.py`, each proof printed what the comment above it says.
-- Found by a hunt: before, every statement below passed `check` and applied through `up` (nothing
-- outside expert_network changes while the migration runs, so the guard sees nothing).

-- The shipped migrations' table (sql/001), for the fence's model; on the proof's database a no-op.
CREATE TABLE IF NOT EXISTS expert_network.campaigns (id uuid PRIMARY KEY);

CREATE TABLE expert_network.cp_log (id int);

-- Reaches: public.campaigns emptied by a trigger function, when an application inserts a row.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.cp_trim() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    DELETE FROM campaigns WHERE true;
    RETURN NEW;
END
$f$;
-- proof: CREATE TRIGGER cp_trim AFTER INSERT ON expert_network.cp_log FOR EACH ROW EXECUTE FUNCTION expert_network.cp_trim(); SET LOCAL search_path = "$user", public; INSERT INTO expert_network.cp_log VALUES (1); SELECT count(*) = 0 FROM public.campaigns

-- Reaches: public.campaigns read by an SQL function: it counts the marketing app's 2 rows, where
-- expert_network.campaigns holds none.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.cp_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM campaigns';
-- proof: SET LOCAL search_path = "$user", public; SELECT expert_network.cp_count(), (SELECT count(*) FROM expert_network.campaigns) AS own

-- With its own search_path, or with qualified names, or as BEGIN ATOMIC (bound when created), the body
-- reaches expert_network whoever calls it.
CREATE FUNCTION expert_network.cp_count_own_path() RETURNS bigint LANGUAGE sql
    SET search_path = expert_network, pg_catalog, pg_temp AS 'SELECT count(*) FROM campaigns';

CREATE FUNCTION expert_network.cp_count_qualified() RETURNS bigint LANGUAGE sql
    AS 'SELECT count(*) FROM expert_network.campaigns';

CREATE FUNCTION expert_network.cp_count_atomic() RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
    SELECT count(*) FROM campaigns;
END;
