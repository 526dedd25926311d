-- Refuse corpus 94: the setting default_text_search_config names the text search configuration
-- that every to_tsvector(x), plainto_tsquery(x), websearch_to_tsquery(x) ... given none applies;
-- the server looks the name up when the session uses it. A setting's value is a string, which the
-- fence read only as plain (policy), so a configuration of public or of another application's
-- schema named there passed where a written `to_tsvector('public.english', x)` is refused (corpus
-- 89 for a trigger's argument). A function's `SET` option sets it on every call, `set_config` in a
-- body for the rest of the caller's transaction, a migration's `SET` for its session. Each refused
-- statement is followed by a `-- proof:` query; run on PG 15 as the runner's superuser with
-- `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied, placeholders
-- raguser and expert_network_readonly; then, as the other applications would, `CREATE TEXT SEARCH
-- CONFIGURATION public.english (COPY = pg_catalog.simple); CREATE SCHEMA other_app; CREATE TEXT
-- SEARCH CONFIGURATION other_app.english (COPY = pg_catalog.simple)`, which the server requires
-- before a SET names them): the other application's configuration made the vector, so each proof
-- printed 'runs':1 where pg_catalog.english gives 'run':1. Found by a hunt: before, every refused statement below
-- passed `check`.

-- Reaches: public.english, read on every call.
-- refuse: touches-public
CREATE FUNCTION expert_network.tc_vec(t text) RETURNS tsvector LANGUAGE sql STABLE
    SET default_text_search_config = 'public.english' AS $f$ SELECT pg_catalog.to_tsvector(t) $f$;
-- proof: SELECT expert_network.tc_vec('runs')

CREATE FUNCTION expert_network.tc_vec2(t text) RETURNS tsvector LANGUAGE sql STABLE
    SET default_text_search_config = 'pg_catalog.english' AS $f$ SELECT pg_catalog.to_tsvector(t) $f$;

-- Reaches: another schema's configuration, set on a function the migrations made.
-- refuse: outside-schema
ALTER FUNCTION expert_network.tc_vec2(text) SET default_text_search_config = 'other_app.english';
-- proof: SELECT expert_network.tc_vec2('runs')

-- Reaches: public.english, set by the body for the rest of the calling transaction.
-- refuse: touches-public
CREATE FUNCTION expert_network.tc_vec3(t text) RETURNS tsvector LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
    PERFORM pg_catalog.set_config('default_text_search_config', 'public.english', true);
    RETURN pg_catalog.to_tsvector(t);
END
$f$;
-- proof: SELECT expert_network.tc_vec3('runs')

-- pg_catalog's configurations, and expert_network's own, pass.
SET default_text_search_config = 'pg_catalog.english';

CREATE TEXT SEARCH CONFIGURATION expert_network.tc_cfg (COPY = pg_catalog.english);

CREATE FUNCTION expert_network.tc_vec4(t text) RETURNS tsvector LANGUAGE sql STABLE
    SET default_text_search_config = 'expert_network.tc_cfg' AS $f$ SELECT pg_catalog.to_tsvector(t) $f$;
