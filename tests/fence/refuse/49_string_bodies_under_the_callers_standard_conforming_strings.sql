-- Refuse corpus 49: a function's string body is parsed when it runs, in the calling session and under
-- that session's standard_conforming_strings, which any client may turn off (`SET
-- standard_conforming_strings = off`; some legacy drivers do). Then a backslash escapes the quote after
-- it, and a plain '...' literal the fence read as ending there runs on: the text the fence read as the
-- next string literal becomes SQL. Corpus 39 closed the function's own `SET standard_conforming_strings
-- = off`; here the caller chooses. Each refused statement is followed by a `-- proof:` query; run on
-- PG 15 as the runner's superuser with `tests/fence/prove.py` (database: demo/public_apps.sql and
-- sql/001-003 applied; public.session holds 2 rows), each proof printed what the comment above it says.
-- Found by a hunt: before, every statement below passed `check` and applied through `up` (creating the
-- function changes nothing outside expert_network, so the guard sees nothing).

-- Reaches: public.session emptied (2 rows, then 0) by any session that runs the function with
-- standard_conforming_strings off; with it on, the same call only selects a string.
-- refuse: session-state
CREATE FUNCTION expert_network.sc_touch() RETURNS void LANGUAGE sql AS $body$
SELECT 'x\' || ' ; DELETE FROM public.session; SELECT ''--';
$body$;
-- proof: SELECT expert_network.sc_touch(); SELECT count(*) FROM public.session; SET LOCAL standard_conforming_strings = off; SELECT expert_network.sc_touch(); RESET standard_conforming_strings; SELECT count(*) FROM public.session

-- Reaches: raguser made SUPERUSER: a SECURITY DEFINER body so written runs the hidden statement as its
-- owner for a caller who turns the setting off in its own session.
-- refuse: session-state
CREATE FUNCTION expert_network.sc_label() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $body$
SELECT 'x\' || ' ; ALTER ROLE raguser SUPERUSER; SELECT ''--';
$body$;
-- proof: SET LOCAL ROLE raguser; SET LOCAL standard_conforming_strings = off; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; SELECT expert_network.sc_label(); RESET ROLE; RESET standard_conforming_strings; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: public.campaign_code_seq moved to 424242 (a move no rollback undoes) by a PL/pgSQL body,
-- whose statements the server also parses in the calling session, at their first run there: with
-- the setting off, the text after the first literal is a second column calling setval, and the
-- comment the fence read inside the second literal swallows its closing quote.
-- refuse: session-state
CREATE FUNCTION expert_network.sc_note() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    PERFORM 'x\' || ' , pg_catalog.setval((SELECT c.oid FROM pg_catalog.pg_class AS c WHERE c.relname = $$campaign_code_seq$$), 424242) --'
    ;
END
$body$;
-- proof: SET LOCAL standard_conforming_strings = off; SELECT expert_network.sc_note(); RESET standard_conforming_strings; SELECT last_value FROM public.campaign_code_seq

-- The function's own SET runs before the body is parsed, whatever the caller has (PG 15: public.session
-- keeps its 2 rows); backslashes elsewhere change a literal's value, never where it ends; E'' and
-- dollar-quoted literals read alike under either setting.
CREATE FUNCTION expert_network.sc_touch_safe() RETURNS void LANGUAGE sql SET standard_conforming_strings = on AS $body$
SELECT 'x\' || ' ; DELETE FROM public.session; SELECT ''--';
$body$;

CREATE FUNCTION expert_network.sc_digits(v text) RETURNS boolean LANGUAGE sql AS $body$
SELECT v ~ '^\d+$' AND pg_catalog.regexp_replace(v, '\s+', ' ', 'g') <> E'\\' AND v <> $q$\'$q$;
$body$;
