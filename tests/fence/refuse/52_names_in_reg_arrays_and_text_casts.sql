-- Refuse corpus 52: names that reach a reg* type inside an array, or as text. Corpus 44 judges a string
-- the server coerces to a reg* type; the same string coerced to an array of one (`'{public.session}'
-- ::regclass[]`, `_regclass`, an `ARRAY['public.session']::regclass[]`, a `regclass[]` column's or
-- domain's default) names an object with every element, and the scalar cast through text
-- (`'session'::text::regclass`, `'{session}'::text[]::regclass[]`, a default `ARRAY['session']`) names
-- one too, looked up each time the expression runs. Each element is judged as the scalar literal is.
-- On PG 15 a constant array is bound where written and stored as the oids of what it found, with no
-- dependency recorded (public's table can be dropped and expert_network's default goes on holding its
-- oid); a name reaching the type as text is stored as text and looked up by every INSERT, under the
-- inserting session's path, where 'session' is public.session.
-- Each refused statement is followed by a `-- proof:` query; run on PG 15 as the runner's superuser
-- with `tests/fence/prove.py` on the proof database (demo/public_apps.sql and sql/001-002 applied),
-- each proof printed what the comment above it says (`t`). Found by a hunt: before, the array forms
-- of defaults, `_regclass` casts and the casts through text passed `check`; `'{public.x}'::regclass[]`
-- was refused only because its text was misread as schema `{public`, which refused
-- `'{pg_class}'::regclass[]` too.

CREATE TABLE expert_network.ra_events (id int PRIMARY KEY, kind text);

-- Reaches: public.session's oid, stored in expert_network's default.
-- refuse: touches-public
CREATE TABLE expert_network.ra_watch (id int, rels regclass[] DEFAULT '{public.session}');
-- proof: SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) = '''{public.session}''::regclass[]' AS names_public_session FROM pg_catalog.pg_attrdef d WHERE d.adrelid = 'expert_network.ra_watch'::regclass

-- Reaches: the same, with the element quoted, among expert_network's own.
-- refuse: touches-public
ALTER TABLE expert_network.ra_events ADD COLUMN rels regclass[] NOT NULL DEFAULT '{expert_network.ra_events, "public.account"}';
-- proof: INSERT INTO expert_network.ra_events (id) VALUES (1) RETURNING rels[2] = 'public.account'::regclass AS holds_public_account

-- Reaches: public.touch_updated_at() (a function of public's), named by a domain's array default.
-- refuse: touches-public
CREATE DOMAIN expert_network.ra_hooks AS regproc[] DEFAULT '{public.touch_updated_at}';
-- proof: SELECT pg_catalog.pg_get_expr(t.typdefaultbin, 0) LIKE '%public.touch_updated_at%' AS names_public_function FROM pg_catalog.pg_type t WHERE t.oid = 'expert_network.ra_hooks'::regtype

-- Reaches: public.user's row type, from a parameter's default, spelled with the array type's own name.
-- refuse: touches-public
CREATE FUNCTION expert_network.ra_kinds(k _regtype DEFAULT '{public.user}') RETURNS regtype[] LANGUAGE sql AS 'SELECT k';
-- proof: SELECT (expert_network.ra_kinds())[1] = 'public.user'::regtype AS public_user_type

-- Reaches: a view of expert_network's that names public.session and public.account.
-- refuse: touches-public
CREATE VIEW expert_network.ra_view AS SELECT ARRAY['public.session', 'public.account']::regclass[] AS rels;
-- proof: SELECT (SELECT rels[1] FROM expert_network.ra_view) = 'public.session'::regclass AS names_public_session

-- Reaches: public's table of that name, for every application's INSERT: the default holds the text
-- 'ra_events', looked up under the inserting session's path ("$user", public).
-- refuse: unqualified-name
ALTER TABLE expert_network.ra_events ADD COLUMN audited regclass DEFAULT 'ra_events'::text::regclass;
-- proof: SET LOCAL search_path = "$user", public; CREATE TABLE public.ra_events (id int); INSERT INTO expert_network.ra_events (id) VALUES (2) RETURNING audited = 'public.ra_events'::regclass AS found_in_public; SET LOCAL search_path = expert_network, pg_catalog, pg_temp

-- Reaches: the same through an array default built as text[].
-- refuse: unqualified-name
ALTER TABLE expert_network.ra_events ADD COLUMN audited_all regclass[] DEFAULT ARRAY['ra_events'];
-- proof: SET LOCAL search_path = "$user", public; CREATE TABLE public.ra_events (id int); INSERT INTO expert_network.ra_events (id) VALUES (3) RETURNING audited_all[1] = 'public.ra_events'::regclass AS found_in_public; SET LOCAL search_path = expert_network, pg_catalog, pg_temp

-- Reaches: public's table named through text by a top-level statement: its oid.
-- refuse: touches-public
SELECT 'public.session'::text::regclass;
-- proof: SELECT 'public.session'::text::regclass::oid = 'public.session'::regclass::oid AS public_session

-- pg_catalog's and expert_network's own, in every form, stay accepted: bound where written, or
-- qualified.
SELECT '{pg_class,pg_catalog.pg_type}'::regclass[], '{english}'::regconfig[], ARRAY['expert_network.ra_events']::regclass[];

CREATE TABLE expert_network.ra_own (id int, a regclass[] DEFAULT '{ra_events}', b regclass DEFAULT 'expert_network.ra_events'::text::regclass, c regclass[] DEFAULT ARRAY['expert_network.ra_events'], d regtype[] DEFAULT '{int4, NULL}');
