-- Refuse corpus 44: a string literal the server turns into an object's name because it coerces it to
-- a reg* type: the argument of a built-in whose parameter is regconfig, regdictionary, regtype,
-- regproc, ... (to_tsvector('public.english', x), ts_lexize, PG 16's pg_input_is_valid(text, type)),
-- or the default of a column, domain or parameter of such a type. The server looks the name up as a
-- written name would be; in a stored expression (a default, an index, a generated column) it also
-- records a dependency on what it found, so public's object can no longer be dropped without
-- cascading into expert_network. Judged now as the name written ('public.english'::regconfig was
-- refused already); unqualified, the name resolves under the pinned path like any other, so
-- to_tsvector('english', x) and `regconfig DEFAULT 'english'` read pg_catalog's and stay accepted.
-- Each refused statement is followed by a `-- proof:` query; run on PG 15 as the runner's superuser
-- with `tests/fence/prove.py`, on the proof database with one more object of the marketing app's,
-- `CREATE TEXT SEARCH CONFIGURATION public.english (COPY = pg_catalog.simple)`, each proof printed what
-- the comment above it says. Found by a hunt: before, every statement below passed `check` and applied
-- through `up` (a dependency on a public object other than a relation is not in the guard's state).

CREATE TABLE expert_network.na_docs (id int PRIMARY KEY, body text);

-- Reaches: public.english runs on the text: 'stars' comes back unstemmed, as public's configuration
-- (a copy of simple) makes it, not as pg_catalog.english would ('star').
-- refuse: touches-public
SELECT pg_catalog.to_tsvector('public.english', 'stars');
-- proof: SELECT pg_catalog.to_tsvector('public.english', 'stars') AS public_english, pg_catalog.to_tsvector('english', 'stars') AS catalog_english

-- Reaches: an index of expert_network's that depends on public.english (public can no longer drop it).
-- refuse: touches-public
CREATE INDEX na_docs_fts ON expert_network.na_docs USING gin (to_tsvector('public.english', body));
-- proof: SELECT pg_catalog.pg_describe_object(classid, objid, objsubid) FROM pg_catalog.pg_depend WHERE refclassid = 'pg_catalog.pg_ts_config'::regclass AND refobjid = 'public.english'::regconfig

-- Reaches: the same through a column default of type regconfig.
-- refuse: touches-public
ALTER TABLE expert_network.na_docs ADD COLUMN cfg regconfig DEFAULT 'public.english';
-- proof: SELECT pg_catalog.pg_describe_object(classid, objid, objsubid) FROM pg_catalog.pg_depend WHERE refclassid = 'pg_catalog.pg_ts_config'::regclass AND refobjid = 'public.english'::regconfig

-- Reaches: a dependency on public.user (the BetterAuth table's row type), from a regtype default: DROP
-- TABLE public.user is refused from then on.
-- refuse: touches-public
CREATE TABLE expert_network.na_kinds (k regtype DEFAULT 'public.user');
-- proof: SELECT pg_catalog.pg_describe_object(classid, objid, objsubid) FROM pg_catalog.pg_depend WHERE refclassid = 'pg_catalog.pg_type'::regclass AND refobjid = 'public.user'::regtype

-- Reaches: a dependency on public.touch_updated_at() from a domain's default.
-- refuse: touches-public
CREATE DOMAIN expert_network.na_hook AS regproc DEFAULT 'public.touch_updated_at';
-- proof: SELECT pg_catalog.pg_describe_object(classid, objid, objsubid) FROM pg_catalog.pg_depend WHERE refclassid = 'pg_catalog.pg_proc'::regclass AND refobjid = 'public.touch_updated_at'::regproc AND classid = 'pg_catalog.pg_type'::regclass

-- Reaches: the same from a parameter's default.
-- refuse: touches-public
CREATE FUNCTION expert_network.na_call(f regproc DEFAULT 'public.touch_updated_at') RETURNS int LANGUAGE sql AS 'SELECT 1';
-- proof: SELECT pg_catalog.pg_describe_object(classid, objid, objsubid) FROM pg_catalog.pg_depend WHERE refclassid = 'pg_catalog.pg_proc'::regclass AND refobjid = 'public.touch_updated_at'::regproc AND classid = 'pg_catalog.pg_proc'::regclass

-- pg_catalog's configurations and dictionaries, named with or without the schema, and expert_network's
-- own objects, stay accepted.
ALTER TABLE expert_network.na_docs ADD COLUMN lang regconfig NOT NULL DEFAULT 'english';

CREATE INDEX na_docs_fts_catalog ON expert_network.na_docs USING gin (to_tsvector('english', body));

CREATE INDEX na_docs_fts_column ON expert_network.na_docs USING gin (to_tsvector(lang, body));

SELECT pg_catalog.to_tsvector('pg_catalog.simple', 'stars'), pg_catalog.ts_lexize('english_stem', 'stars'),
    pg_catalog.websearch_to_tsquery('english', 'star -moon'), 'expert_network.na_docs'::regclass;

CREATE TABLE expert_network.na_own_kinds (k regtype DEFAULT 'expert_network.na_docs', n regclass DEFAULT 'expert_network.na_docs');
