-- The server's own (pg_catalog) functions that the triggers on expert_network's tables run with the
-- rights of whoever writes the table: each trigger's function when it is pg_catalog's, every function
-- its WHEN calls there, and the functions of the pg_catalog operators its WHEN applies. A trigger has
-- no owner: a role holding TRIGGER on a table (the seed grants the application's role ALL on the
-- schema's tables) may make one with pg_catalog's suppress_redundant_updates_trigger() and a WHEN of
-- built-ins only, which untrusted_owners.sql, going by the owners of what a trigger runs, cannot tell
-- from the migrations' own (PG 15: raguser's WHEN (pg_notify('leak', query_to_xml('SELECT ... FROM
-- pg_authid', ...)::pg_catalog.text) IS NULL) ran as postgres on a later migration's UPDATE, through `up`, and
-- raguser's listener got pg_authid's rows). Rows: what, the function's name, its number of arguments,
-- its signature; the caller keeps those whose built-in is not one the fence lets a migration call
-- anywhere (`fence::known`).
WITH en AS (
    SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = 'expert_network'
), t AS (
    SELECT g.oid, g.tgname, g.tgfoid, g.tgqual,
           'expert_network.' || pg_catalog.quote_ident(c.relname) AS rel
    FROM pg_catalog.pg_trigger g
    JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid
    JOIN en ON c.relnamespace = en.oid
    WHERE NOT g.tgisinternal
), runs(trig, fn, how) AS (
    SELECT t.oid, t.tgfoid, 'runs' FROM t
    UNION
    -- The server records no dependency on its own (pinned) objects, so the stored WHEN is read:
    -- a call's :funcid, an operator's :opfuncid and :opno (opfuncid may be stored unset, 0).
    SELECT t.oid, m[1]::pg_catalog.oid, 'whose WHEN calls'
    FROM t, pg_catalog.regexp_matches(t.tgqual::pg_catalog.text, ':(?:funcid|opfuncid) ([0-9]+)', 'g') m
    UNION
    SELECT t.oid, o.oprcode::pg_catalog.oid, 'whose WHEN calls'
    FROM t, pg_catalog.regexp_matches(t.tgqual::pg_catalog.text, ':opno ([0-9]+)', 'g') m
    JOIN pg_catalog.pg_operator o ON o.oid = m[1]::pg_catalog.oid
)
SELECT 'trigger ' || t.tgname || ' on ' || t.rel || ', ' || r.how || ' pg_catalog.'
           || p.oid::pg_catalog.regprocedure::pg_catalog.text,
       p.proname::pg_catalog.text, p.pronargs::pg_catalog.text
FROM runs r
JOIN t ON t.oid = r.trig
JOIN pg_catalog.pg_proc p ON p.oid = r.fn
WHERE p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace
ORDER BY 1
