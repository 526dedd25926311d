-- Refuse corpus 55: corpus 49 refused a plain '...' literal of a function's string body whose
-- end moves when the calling session has standard_conforming_strings off; but a literal's value may
-- be SQL the server parses later in that same session: a constant EXECUTE, a DO block or a function
-- created inside the body. Quoted otherwise (dollar quotes, E'...', U&'...'), the outer literal does
-- not move, and the statement inside it does. Each refused statement is followed by a `-- proof:`
-- query; run on PG 15 as the runner's superuser with `tests/fence/prove.py` (database:
-- demo/public_apps.sql and sql/001-003 applied; public.session holds 2 rows), each proof printed what
-- the comment above it says.
-- Found in review: before, the function below passed `check`.

CREATE TABLE expert_network.sl_copies (v text);

-- Reaches: public.session emptied (2 rows, then 0) by a caller with standard_conforming_strings off;
-- with it on, the same call inserts one string.
-- refuse: session-state
CREATE FUNCTION expert_network.sl_exec() RETURNS void LANGUAGE plpgsql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$
BEGIN
  EXECUTE $e$INSERT INTO expert_network.sl_copies VALUES ('x\' || ' ); DELETE FROM public.session; -- ')$e$;
END $f$;
-- proof: SELECT expert_network.sl_exec(); SELECT count(*) FROM public.session; SET LOCAL standard_conforming_strings = off; SELECT expert_network.sl_exec(); RESET standard_conforming_strings; SELECT count(*) FROM public.session

-- With the setting pinned by the function, or the inner literal written as E'...', the statement is
-- read one way only.
CREATE FUNCTION expert_network.sl_exec_pinned() RETURNS void LANGUAGE plpgsql
    SET standard_conforming_strings = on
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$
BEGIN
  EXECUTE $e$INSERT INTO expert_network.sl_copies VALUES ('x\' || ' ); SELECT 1; -- ')$e$;
END $f$;

CREATE FUNCTION expert_network.sl_exec_escaped() RETURNS void LANGUAGE plpgsql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$
BEGIN
  EXECUTE $e$INSERT INTO expert_network.sl_copies VALUES (E'x\\')$e$;
END $f$;
