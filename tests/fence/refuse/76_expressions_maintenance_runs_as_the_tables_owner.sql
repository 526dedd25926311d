-- Refuse corpus 76: expressions the server runs with their relation's owner's rights (the runner's
-- superuser) whenever maintenance asks for them, not only when the migrations do. ANALYZE evaluates
-- an index's expressions (an EXCLUDE constraint's index's too) and a statistics object's expressions
-- over sampled rows (and the functions of the operators they apply), and sorts a column's sample
-- with its type's default btree operator class's support function, as the table's owner;
-- autovacuum runs that ANALYZE by itself once enough rows changed, whoever wrote them. The function such an expression calls was bound when it was stored,
-- but its string body looks up its names when it runs, on its own path. Here the functions' paths
-- search expert_network first, and the application's role (sql/003_grants.sql grants it ALL ON
-- SCHEMA expert_network and INSERT on its tables) adds `expert_network.lower(text)` or
-- `expert_network.length(text)`, which their unqualified calls then find before pg_catalog's. The
-- fence judged these calls only where a SECURITY DEFINER body made them (corpus 61, 66).
-- Through `up` (demo/public_apps.sql seeded, sql/001-003, then the first case's two statements as
-- 004, a plpgsql `norm_slug` over expert_network.vendor_platforms.slug): applied and recorded; then,
-- in another session as raguser, `CREATE FUNCTION expert_network.lower(text)` (plpgsql, running
-- `ALTER ROLE raguser SUPERUSER` when its current_user is a superuser) and an INSERT of 200 rows into
-- vendor_platforms; a minute later pg_stat_user_tables showed autoanalyze_count 1 for vendor_platforms
-- and pg_roles showed raguser's rolsuper t (f before). Each refused statement below is followed by a
-- `-- proof:` query; run on PG 15 as the runner's superuser with `tests/fence/prove.py` (database:
-- demo/public_apps.sql and sql/001-003 applied, placeholders raguser and expert_network_readonly),
-- its ANALYZE standing for autovacuum's, each proof printed raguser's attribute f, then t. Found by a
-- hunt: before, every refused statement below passed `check`.

CREATE TABLE expert_network.mx_items (id int, v text);

INSERT INTO expert_network.mx_items VALUES (1, 'Alpha'), (2, 'Beta'), (3, 'Gamma');

CREATE FUNCTION expert_network.mx_norm(t text) RETURNS text LANGUAGE sql IMMUTABLE
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT lower(t) $f$;

-- Reaches: raguser gets CREATEROLE: ANALYZE evaluates the index's expression.
-- refuse: unqualified-name
CREATE INDEX mx_items_norm_idx ON expert_network.mx_items (expert_network.mx_norm(v));
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT pg_catalog.lower($1)'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; RESET ROLE; ANALYZE expert_network.mx_items; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEDB: the same, the call inside another expression of the index.
-- refuse: unqualified-name
CREATE INDEX mx_items_norm_id_idx ON expert_network.mx_items (id, (expert_network.mx_norm(v) || 'x'));
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEDB; SELECT pg_catalog.lower($1)'; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; RESET ROLE; ANALYZE expert_network.mx_items; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets BYPASSRLS: an EXCLUDE constraint's index evaluates its expression so.
-- refuse: unqualified-name
ALTER TABLE expert_network.mx_items ADD CONSTRAINT mx_items_norm_excl
    EXCLUDE USING btree (expert_network.mx_norm(v) WITH =);
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser BYPASSRLS; SELECT pg_catalog.lower($1)'; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; RESET ROLE; ANALYZE expert_network.mx_items; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets REPLICATION: the same, made with the table.
-- refuse: unqualified-name
CREATE TABLE expert_network.mx_slots (v text, EXCLUDE USING btree (expert_network.mx_norm(v) WITH =));
INSERT INTO expert_network.mx_slots VALUES ('One'), ('Two');
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser REPLICATION; SELECT pg_catalog.lower($1)'; SELECT rolreplication FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; RESET ROLE; ANALYZE expert_network.mx_slots; SELECT rolreplication FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets SUPERUSER: ANALYZE evaluates a statistics object's expressions.
-- refuse: unqualified-name
CREATE STATISTICS expert_network.mx_items_norm_stats ON (expert_network.mx_norm(v)), id FROM expert_network.mx_items;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser SUPERUSER; SELECT pg_catalog.lower($1)'; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; RESET ROLE; ANALYZE expert_network.mx_items; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.mx_join(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT lower(a) || b $f$;

CREATE OPERATOR expert_network.~~~ (LEFTARG = text, RIGHTARG = text, FUNCTION = expert_network.mx_join);

-- Reaches: raguser gets CREATEROLE: the index's expression applies an operator of expert_network's,
-- written unqualified (found there under the pinned path), whose function runs so.
-- refuse: unqualified-name
CREATE INDEX mx_items_join_idx ON expert_network.mx_items ((v ~~~ 'x'));
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT pg_catalog.lower($1)'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; RESET ROLE; ANALYZE expert_network.mx_items; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEDB: the same, the operator written OPERATOR(expert_network.~~~).
-- refuse: unqualified-name
CREATE INDEX mx_items_join2_idx ON expert_network.mx_items ((v OPERATOR(expert_network.~~~) 'y'));
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser CREATEDB; SELECT pg_catalog.lower($1)'; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; RESET ROLE; ANALYZE expert_network.mx_items; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.mx_ge(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT lower(a) OPERATOR(pg_catalog.>=) b $f$;

CREATE OPERATOR expert_network.>= (LEFTARG = text, RIGHTARG = text, FUNCTION = expert_network.mx_ge);

-- Reaches: raguser gets BYPASSRLS: BETWEEN is parsed into `>=` and `<=`, and under the pinned path
-- the `>=` for text found is expert_network's (an exact match, in the path's first schema).
-- refuse: unqualified-name
CREATE INDEX mx_items_between_idx ON expert_network.mx_items ((v BETWEEN 'a' AND 'z'));
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser BYPASSRLS; SELECT pg_catalog.lower($1)'; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; RESET ROLE; ANALYZE expert_network.mx_items; SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE FUNCTION expert_network.mx_given(t text) RETURNS text LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT lower(t) $f$;

-- Reaches: raguser gets REPLICATION: the index's function is given to raguser, who replaces its body
-- (CREATE OR REPLACE keeps the function the index calls), and ANALYZE runs the new one as the owner.
-- refuse: ownership
CREATE INDEX mx_items_given_idx ON expert_network.mx_items (expert_network.mx_given(v));
ALTER FUNCTION expert_network.mx_given(text) OWNER TO raguser;
-- proof: SET LOCAL ROLE raguser; CREATE OR REPLACE FUNCTION expert_network.mx_given(t text) RETURNS text LANGUAGE sql AS 'ALTER ROLE raguser REPLICATION; SELECT pg_catalog.lower(t)'; SELECT rolreplication FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; RESET ROLE; ANALYZE expert_network.mx_items; SELECT rolreplication FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE TYPE expert_network.mx_pt AS (a text);

CREATE TABLE expert_network.mx_points (p expert_network.mx_pt);

INSERT INTO expert_network.mx_points VALUES (ROW('A')), (ROW('BB')), (ROW('CCC'));

CREATE FUNCTION expert_network.mx_cmp(x expert_network.mx_pt, y expert_network.mx_pt) RETURNS int LANGUAGE sql IMMUTABLE
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT pg_catalog.btint4cmp(length(x.a), length(y.a)) $f$;

CREATE FUNCTION expert_network.mx_lt(x expert_network.mx_pt, y expert_network.mx_pt) RETURNS boolean LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.length(x.a) OPERATOR(pg_catalog.<) pg_catalog.length(y.a) $f$;

CREATE OPERATOR expert_network.<<< (LEFTARG = expert_network.mx_pt, RIGHTARG = expert_network.mx_pt, FUNCTION = expert_network.mx_lt);

CREATE FUNCTION expert_network.mx_le(x expert_network.mx_pt, y expert_network.mx_pt) RETURNS boolean LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.length(x.a) OPERATOR(pg_catalog.<=) pg_catalog.length(y.a) $f$;

CREATE OPERATOR expert_network.<<= (LEFTARG = expert_network.mx_pt, RIGHTARG = expert_network.mx_pt, FUNCTION = expert_network.mx_le);

CREATE FUNCTION expert_network.mx_eq(x expert_network.mx_pt, y expert_network.mx_pt) RETURNS boolean LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.length(x.a) OPERATOR(pg_catalog.=) pg_catalog.length(y.a) $f$;

CREATE OPERATOR expert_network.=== (LEFTARG = expert_network.mx_pt, RIGHTARG = expert_network.mx_pt, FUNCTION = expert_network.mx_eq);

CREATE FUNCTION expert_network.mx_ge(x expert_network.mx_pt, y expert_network.mx_pt) RETURNS boolean LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.length(x.a) OPERATOR(pg_catalog.>=) pg_catalog.length(y.a) $f$;

CREATE OPERATOR expert_network.>>= (LEFTARG = expert_network.mx_pt, RIGHTARG = expert_network.mx_pt, FUNCTION = expert_network.mx_ge);

CREATE FUNCTION expert_network.mx_gt(x expert_network.mx_pt, y expert_network.mx_pt) RETURNS boolean LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.length(x.a) OPERATOR(pg_catalog.>) pg_catalog.length(y.a) $f$;

CREATE OPERATOR expert_network.>>> (LEFTARG = expert_network.mx_pt, RIGHTARG = expert_network.mx_pt, FUNCTION = expert_network.mx_gt);

-- Reaches: raguser gets CREATEROLE: ANALYZE sorts the column's sample with the type's default
-- btree class, whose support function mx_cmp runs; no index and no SECURITY DEFINER function needed.
-- refuse: unqualified-name
CREATE OPERATOR CLASS expert_network.mx_ops DEFAULT FOR TYPE expert_network.mx_pt USING btree AS
    OPERATOR 1 expert_network.<<<, OPERATOR 2 expert_network.<<=, OPERATOR 3 expert_network.===, OPERATOR 4 expert_network.>>=, OPERATOR 5 expert_network.>>>,
    FUNCTION 1 expert_network.mx_cmp(expert_network.mx_pt, expert_network.mx_pt);
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.length(text) RETURNS int LANGUAGE sql AS 'ALTER ROLE raguser CREATEROLE; SELECT pg_catalog.length($1)'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; RESET ROLE; ANALYZE expert_network.mx_points; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- With a path that searches pg_catalog alone, or with every name qualified, nothing is the
-- application's: these pass.
CREATE FUNCTION expert_network.mx_safe(t text) RETURNS text LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $f$ SELECT lower(t) $f$;
CREATE INDEX mx_items_safe_idx ON expert_network.mx_items (expert_network.mx_safe(v));
CREATE STATISTICS expert_network.mx_items_safe_stats ON (expert_network.mx_safe(v)), id FROM expert_network.mx_items;
CREATE INDEX mx_items_lower_idx ON expert_network.mx_items (lower(v));
