-- Refuse corpus 53: the default of a PL/pgSQL variable of type record, of a composite type or of a
-- type given the fence's stand-in (expert_network's own types: see src/fence/declared.rs). The server
-- evaluates every declaration's default when the block is entered, but libpg_query's JSON of the
-- PL/pgSQL parse leaves a record or row variable's default out (PLpgSQL_rec has no default_val in
-- pg_query_json_plpgsql.c), so the fence never saw these expressions: each statement below passed
-- `check`, and a DO block's runs inside the migration's transaction, where the guard sees no catalog
-- change in a read.
-- Each refused statement is followed by a `-- proof:` query; run on PG 15 as the runner's superuser
-- with `tests/fence/prove.py` on the proof database (demo/public_apps.sql and sql/001-002 applied),
-- each proof printed what the comment above it says.

CREATE TABLE expert_network.rd_copies (id int GENERATED ALWAYS AS IDENTITY, v text);

CREATE TYPE expert_network.rd_pair AS (a text, b text);

-- Reaches: public.session's rows (BetterAuth's session tokens), copied into expert_network.
-- refuse: touches-public
DO $$
DECLARE
    r record := (SELECT s FROM public.session s LIMIT 1);
BEGIN
    INSERT INTO expert_network.rd_copies (v) VALUES (r::text);
END;
$$;
-- proof: SELECT count(*) = 1 AND bool_and(v LIKE '(ses_%') AS copied_a_session_row FROM expert_network.rd_copies

-- Reaches: the server's file system, through a composite variable of expert_network's own type.
-- refuse: file-access
DO $$
DECLARE
    p expert_network.rd_pair := ROW(pg_catalog.pg_read_file('PG_VERSION'), NULL);
BEGIN
    INSERT INTO expert_network.rd_copies (v) VALUES (p.a);
END;
$$;
-- proof: SELECT v LIKE '1%' AS read_pg_version FROM expert_network.rd_copies ORDER BY id DESC LIMIT 1

-- Reaches: public.account, from a function's row variable (run at each call).
-- refuse: touches-public
CREATE FUNCTION expert_network.rd_first_account() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    r expert_network.rd_pair DEFAULT (SELECT ROW(a.id, a.provider_id)::expert_network.rd_pair FROM public.account a LIMIT 1);
BEGIN
    RETURN r.a;
END;
$$;
-- proof: SELECT expert_network.rd_first_account() IS NOT DISTINCT FROM (SELECT a.id FROM public.account a LIMIT 1) AS reads_public_account

-- A default of expert_network's own stays accepted.
DO $$
DECLARE
    r record := (SELECT c FROM expert_network.rd_copies c LIMIT 1);
    p expert_network.rd_pair := ROW('a', 'b');
BEGIN
    PERFORM r, p;
END;
$$;
