-- Refuse corpus 90: an allowlisted extension's function may read a string argument as an object's
-- name, as pg_catalog's do (`to_tsvector('public.english', x)`, refused): unaccent's
-- unaccent(regdictionary, text) takes the dictionary it applies, so `unaccent('public.unaccent', x)`
-- names public's dictionary, bound (and depended on) where a view or default keeps it, looked up
-- when a function body runs. The fence knew the reg* arguments of built-ins only. Each refused
-- statement is followed by a `-- proof:` query; run on PG 15 as the runner's superuser with
-- `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied, placeholders
-- raguser and expert_network_readonly): the function's first call failed with `text search
-- dictionary "public.unaccent" does not exist` (caught, printed as a NOTICE); once the public
-- application had made that dictionary (in the proof), the call printed Hotel through it. Found by
-- a hunt: before, every refused statement below passed `check`.

CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA expert_network;

-- Reaches: public.unaccent, looked up on every call.
-- refuse: touches-public
CREATE FUNCTION expert_network.ua_plain(p text) RETURNS text LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    RETURN expert_network.unaccent('public.unaccent', p);
END
$f$;
-- proof: DO $d$ BEGIN PERFORM expert_network.ua_plain('Hôtel'); EXCEPTION WHEN OTHERS THEN RAISE NOTICE '%', SQLERRM; END $d$; CREATE TEXT SEARCH DICTIONARY public.unaccent (TEMPLATE = expert_network.unaccent, RULES = 'unaccent'); SELECT expert_network.ua_plain('Hôtel')

-- The extension's own dictionary, and the one-argument form, pass.
CREATE VIEW expert_network.ua_own AS SELECT expert_network.unaccent('expert_network.unaccent', 'Hôtel') AS a, expert_network.unaccent('Hôtel') AS b;
