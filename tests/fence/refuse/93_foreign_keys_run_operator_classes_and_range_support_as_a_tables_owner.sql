-- Refuse corpus 93: a foreign key's queries run as a table's owner in the session of whatever role
-- writes, under that role's search_path: the check of an inserted or updated referencing row reads
-- the referenced table as the referenced table's owner (the runner's superuser), the actions and the
-- NO ACTION check write or read the referencing table as its owner (corpus 80). Those queries
-- compare the keys with the equality operator of the operator family of the referenced key's unique
-- index, and scan that index with the family's support function. The fence judged an operator
-- class's functions only as maintenance runs them (ANALYZE, autovacuum, REINDEX: a path that does
-- not search expert_network), so a function of one without a path of its own, reached by an
-- operator of the class or named as its support function, passed. Any role with REFERENCES on the
-- table may add the referencing table itself: the application's role holds REFERENCES on every
-- table of expert_network and CREATE on the schema (sql/003_grants.sql grants ALL), so it makes its
-- own referencing table, an `expert_network.lower(text)` the function's unqualified call finds on
-- its own `SET search_path = expert_network, pg_catalog`, and inserts a row. And an action that
-- updates the referencing rows inserts their new versions into the referencing table's indexes as
-- its owner: a GiST index over a range type calls the range's SUBTYPE_DIFF, which the fence judged
-- only as ANALYZE runs it (corpus 77). Each refused statement is followed by a `-- proof:` query;
-- run on PG 15 as the runner's superuser with `tests/fence/prove.py` (database: demo/public_apps.sql
-- and sql/001-003 applied, placeholders raguser and expert_network_readonly), each proof printed
-- raguser's attribute f, then t: raguser, not a superuser, made its function (and table, or rows)
-- and wrote a row of its own. (The operator classes' and the range's functions are every
-- statement's concern, so each refused statement is reported for all of them.) Found by a hunt:
-- before, every refused statement below passed `check`.

CREATE FUNCTION expert_network.ck_eq(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $f$ SELECT lower(a) = lower(b) $f$;

CREATE FUNCTION expert_network.ck_lt(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT lower(a) < lower(b) $f$;

CREATE FUNCTION expert_network.ck_le(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT lower(a) <= lower(b) $f$;

CREATE FUNCTION expert_network.ck_gt(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT lower(a) > lower(b) $f$;

CREATE FUNCTION expert_network.ck_ge(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT lower(a) >= lower(b) $f$;

CREATE FUNCTION expert_network.ck_cmp(a text, b text) RETURNS int LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT bttextcmp(lower(a), lower(b)) $f$;

CREATE FUNCTION expert_network.ck_eq_pinned(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT lower(a) = lower(b) $f$;

CREATE FUNCTION expert_network.ck_cmp_unpinned(a text, b text) RETURNS int LANGUAGE sql IMMUTABLE
    AS $f$ SELECT pg_catalog.bttextcmp(lower(a), lower(b)) $f$;

CREATE OPERATOR expert_network.=== (LEFTARG = text, RIGHTARG = text, FUNCTION = expert_network.ck_eq);

CREATE OPERATOR expert_network.==== (LEFTARG = text, RIGHTARG = text, FUNCTION = expert_network.ck_eq_pinned);

CREATE OPERATOR expert_network.<<< (LEFTARG = text, RIGHTARG = text, FUNCTION = expert_network.ck_lt);

CREATE OPERATOR expert_network.<<= (LEFTARG = text, RIGHTARG = text, FUNCTION = expert_network.ck_le);

CREATE OPERATOR expert_network.>>> (LEFTARG = text, RIGHTARG = text, FUNCTION = expert_network.ck_gt);

CREATE OPERATOR expert_network.>>= (LEFTARG = text, RIGHTARG = text, FUNCTION = expert_network.ck_ge);

-- Reaches: raguser gets CREATEROLE: its own table's key references ck_key, whose unique index is of
-- this class; the check of its insert compares with `===` as ck_key's owner, and ck_eq's lower()
-- finds raguser's on raguser's own path.
-- refuse: unqualified-name
CREATE OPERATOR CLASS expert_network.ck_ops FOR TYPE text USING btree AS
    OPERATOR 1 expert_network.<<<, OPERATOR 2 expert_network.<<=, OPERATOR 3 expert_network.===,
    OPERATOR 4 expert_network.>>=, OPERATOR 5 expert_network.>>>, FUNCTION 1 expert_network.ck_cmp(text, text);
CREATE TABLE expert_network.ck_key (k text NOT NULL);
CREATE UNIQUE INDEX ck_key_k ON expert_network.ck_key (k expert_network.ck_ops);
INSERT INTO expert_network.ck_key VALUES ('a');
-- proof: SET LOCAL ROLE raguser; SET LOCAL search_path = expert_network, pg_catalog; CREATE FUNCTION expert_network.lower(t text) RETURNS text LANGUAGE plpgsql AS 'BEGIN IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN ALTER ROLE raguser CREATEROLE; END IF; RETURN pg_catalog.lower(t); END'; CREATE TABLE expert_network.ck_mine (k text REFERENCES expert_network.ck_key (k)); SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; INSERT INTO expert_network.ck_mine VALUES ('A'); RESET ROLE; SET LOCAL search_path = expert_network, pg_catalog, pg_temp; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEROLE: the check scans ck_key2's unique index with the family's support
-- function as ck_key2's owner, and ck_cmp_unpinned's lower() finds raguser's.
-- refuse: unqualified-name
CREATE OPERATOR CLASS expert_network.ck_ops2 FOR TYPE text USING btree AS
    OPERATOR 1 expert_network.<<<, OPERATOR 2 expert_network.<<=, OPERATOR 3 expert_network.====,
    OPERATOR 4 expert_network.>>=, OPERATOR 5 expert_network.>>>, FUNCTION 1 expert_network.ck_cmp_unpinned(text, text);
CREATE TABLE expert_network.ck_key2 (k text NOT NULL);
CREATE UNIQUE INDEX ck_key2_k ON expert_network.ck_key2 (k expert_network.ck_ops2);
INSERT INTO expert_network.ck_key2 SELECT pg_catalog.md5(i::text) FROM pg_catalog.generate_series(1, 2000) AS i;
ANALYZE expert_network.ck_key2;
-- proof: SET LOCAL ROLE raguser; SET LOCAL search_path = expert_network, pg_catalog; CREATE FUNCTION expert_network.lower(t text) RETURNS text LANGUAGE plpgsql AS 'BEGIN IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN ALTER ROLE raguser CREATEROLE; END IF; RETURN pg_catalog.lower(t); END'; CREATE TABLE expert_network.ck_mine (k text REFERENCES expert_network.ck_key2 (k)); SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; INSERT INTO expert_network.ck_mine VALUES (pg_catalog.md5('7')); RESET ROLE; SET LOCAL search_path = expert_network, pg_catalog, pg_temp; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'


CREATE FUNCTION expert_network.ck_diff(a float8, b float8) RETURNS float8 LANGUAGE sql IMMUTABLE
    AS $f$ SELECT abs(a - b) $f$;

CREATE TYPE expert_network.ck_range AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = expert_network.ck_diff);

CREATE TABLE expert_network.ck_span (r expert_network.ck_range PRIMARY KEY);

INSERT INTO expert_network.ck_span SELECT pg_catalog.format('[%s,%s)', i, i + 1)::expert_network.ck_range FROM pg_catalog.generate_series(1, 3000) AS i;

-- Reaches: raguser gets CREATEROLE: it fills ck_span_use with rows of its own (the GiST index grows
-- pages), then updates a referenced range; the update cascades to ck_span_use as that table's owner,
-- and the new row version's index entry, beyond every page's bounds, calls the range's SUBTYPE_DIFF
-- to choose its page, whose abs() finds raguser's on raguser's own path.
-- refuse: unqualified-name
CREATE TABLE expert_network.ck_span_use (r expert_network.ck_range REFERENCES expert_network.ck_span (r) ON UPDATE CASCADE);
CREATE INDEX ck_span_use_r ON expert_network.ck_span_use USING gist (r);
-- proof: SET LOCAL ROLE raguser; SET LOCAL search_path = expert_network, pg_catalog; CREATE FUNCTION expert_network.abs(t float8) RETURNS float8 LANGUAGE plpgsql AS 'BEGIN IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN ALTER ROLE raguser CREATEROLE; END IF; RETURN pg_catalog.abs(t); END'; INSERT INTO expert_network.ck_span_use SELECT r FROM expert_network.ck_span; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; UPDATE expert_network.ck_span SET r = '[5000,5001)' WHERE r = '[1,2)'; RESET ROLE; SET LOCAL search_path = expert_network, pg_catalog, pg_temp; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'
