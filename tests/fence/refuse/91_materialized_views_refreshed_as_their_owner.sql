-- Refuse corpus 91: a materialized view's query runs again on every REFRESH MATERIALIZED VIEW, as
-- the view's owner (the runner's superuser), in the session of whoever refreshes it: a SECURITY
-- DEFINER body's REFRESH (PostgreSQL 13 to 16 look the query's names up on the refreshing
-- session's path, the definer's), and from PostgreSQL 17 the application's role itself, which holds
-- MAINTAIN on the schema's tables through `GRANT ALL` (sql/003_grants.sql; the server then pins
-- `pg_catalog, pg_temp`, so a function's own path counts). The fence judged an index's expressions
-- so (corpus 76), not a materialized view's query, nor the path a definer's REFRESH gives the
-- query's functions that have none. Each refused statement is followed by a `-- proof:` query; run
-- on PG 15 as the runner's superuser with `tests/fence/prove.py` (database:
-- demo/public_apps.sql and sql/001-003 applied, placeholders raguser and expert_network_readonly),
-- each printed raguser's attribute f, then t: raguser, not a superuser, made its lower(text) and
-- called the definer that refreshes. On PG 18 (18.4), raguser's own REFRESH MATERIALIZED VIEW of
-- the runner's view, with no definer, gave it the attribute the same way. (`DISCARD PLANS` stands
-- for raguser's own session: the view's creation had planned the invoker in the proof's one.)
-- Found by a hunt: before, every refused statement below passed `check`.

CREATE TABLE expert_network.mr_t (id int, v text);

INSERT INTO expert_network.mr_t VALUES (1, 'A');

CREATE FUNCTION expert_network.mr_norm(p text) RETURNS text LANGUAGE plpgsql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$
BEGIN
    RETURN lower(p);
END
$f$;

-- Reaches: raguser gets CREATEROLE: the definer's REFRESH runs the query's mr_norm(), whose own path
-- finds raguser's lower() first, as the superuser.
-- refuse: unqualified-name
CREATE MATERIALIZED VIEW expert_network.mr_norms AS
    SELECT t.id, expert_network.mr_norm(t.v) AS n FROM expert_network.mr_t t;
-- The definer that refreshes it runs the same call, and is refused as well.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.mr_refresh() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    REFRESH MATERIALIZED VIEW expert_network.mr_norms;
END
$f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser CREATEROLE; END IF; RETURN $1; END'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; DISCARD PLANS; SELECT expert_network.mr_refresh(); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.mr_trim(p text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
    RETURN lower(p);
END
$f$;

CREATE MATERIALIZED VIEW expert_network.mr_trims AS
    SELECT t.id, expert_network.mr_trim(t.v) AS n FROM expert_network.mr_t t;

-- Reaches: raguser gets CREATEDB: the definer's REFRESH runs the query's mr_trim(), without a path
-- of its own, on the definer's path, which finds raguser's lower() first, as the superuser.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.mr_refresh_trims() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$
BEGIN
    REFRESH MATERIALIZED VIEW expert_network.mr_trims;
END
$f$;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser CREATEDB; END IF; RETURN $1; END'; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; DISCARD PLANS; SELECT expert_network.mr_refresh_trims(); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- A query whose functions call only pg_catalog's passes, as does a plain table made by a query.
CREATE FUNCTION expert_network.mr_plain(p text) RETURNS text LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.lower(p) $f$;
CREATE MATERIALIZED VIEW expert_network.mr_plains AS
    SELECT t.id, expert_network.mr_plain(t.v) AS n FROM expert_network.mr_t t;
CREATE TABLE expert_network.mr_copy AS SELECT t.id, expert_network.mr_norm(t.v) AS n FROM expert_network.mr_t t;
