-- Refuse corpus 71: the fence judges each statement under the search_path the file's earlier
-- statements set (policy::paths), which follows `SET [LOCAL] search_path` and a statement that is
-- one `SELECT set_config('search_path', ...)`. The walker accepted set_config('search_path', ...)
-- with a value naming only expert_network, pg_catalog and pg_temp anywhere at the top level, so the
-- path the fence judged under and the one the server used parted: beside another column, in EXPLAIN
-- ANALYZE or in a view read later, the call changed the path unseen; under `WHERE false` it was
-- followed and never ran. Either way the statements after it were judged under expert_network
-- first while pg_catalog came first, and an unqualified COMMUTATOR's shell (corpus 70, accepted on
-- the pinned path) landed in pg_catalog, where `up`'s guard does not look. Through `up` (demo seeded,
-- sql/001-003, then the first case as 004; the second likewise) the migration was applied, and the
-- shells pg_catalog.=== and pg_catalog.!== were left behind. A view that calls set_config also
-- changes the path of every session that reads it (the application's role may: 003's default
-- privileges). Each refused statement's paragraph ends with a `-- proof:` query; run on PG 15 as
-- the runner's superuser with `tests/fence/prove.py` (database: demo/public_apps.sql and
-- sql/001-003 applied), each proof printed what the comment above it says. Found by a hunt: before,
-- every statement below passed `check`.

CREATE TYPE expert_network.path_pair AS (a int);

CREATE FUNCTION expert_network.path_pair_eq(expert_network.path_pair, expert_network.path_pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true';

-- Reaches: the path becomes pg_catalog, expert_network unseen, and the operator after it (accepted
-- on the path the fence believed) makes shells pg_catalog.=== and pg_catalog.!==: the proof prints
-- 2, then pg_catalog, expert_network.
-- refuse: session-state
SELECT 1 AS one, pg_catalog.set_config('search_path', 'pg_catalog, expert_network', true);
CREATE OPERATOR expert_network.=== (LEFTARG = expert_network.path_pair, RIGHTARG = expert_network.path_pair, FUNCTION = expert_network.path_pair_eq, COMMUTATOR = ===, NEGATOR = !==);
-- proof: SELECT count(*) FROM pg_catalog.pg_operator WHERE oprnamespace = 'pg_catalog'::regnamespace AND oprname IN ('===', '!=='); SELECT pg_catalog.current_setting('search_path')

-- Reaches: the same through EXPLAIN ANALYZE, which runs the call: the proof prints 2.
-- refuse: session-state
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT pg_catalog.set_config('search_path', 'pg_catalog, expert_network', true);
CREATE OPERATOR expert_network.=== (LEFTARG = expert_network.path_pair, RIGHTARG = expert_network.path_pair, FUNCTION = expert_network.path_pair_eq, COMMUTATOR = ===, NEGATOR = !==);
-- proof: SELECT count(*) FROM pg_catalog.pg_operator WHERE oprnamespace = 'pg_catalog'::regnamespace AND oprname IN ('===', '!==')

-- Reaches: a view whose column calls set_config changes the path of whoever reads it, the
-- migration's own next statement here: the proof prints 2.
-- refuse: session-state
CREATE VIEW expert_network.path_switch AS SELECT pg_catalog.set_config('search_path', 'pg_catalog, expert_network', true) AS path;
SELECT path FROM expert_network.path_switch;
CREATE OPERATOR expert_network.=== (LEFTARG = expert_network.path_pair, RIGHTARG = expert_network.path_pair, FUNCTION = expert_network.path_pair_eq, COMMUTATOR = ===, NEGATOR = !==);
-- proof: SELECT count(*) FROM pg_catalog.pg_operator WHERE oprnamespace = 'pg_catalog'::regnamespace AND oprname IN ('===', '!==')

-- Reaches: followed as if it ran, a call under WHERE false left pg_catalog first; the operator,
-- accepted before on the pinned path the fence believed, is refused now that the fence keeps the
-- path it has. The proof prints 2, then pg_catalog, expert_network.
SET LOCAL search_path = pg_catalog, expert_network;
-- refuse: session-state
SELECT pg_catalog.set_config('search_path', 'expert_network, pg_catalog, pg_temp', true) WHERE false;
-- refuse: unqualified-name
CREATE OPERATOR expert_network.=== (LEFTARG = expert_network.path_pair, RIGHTARG = expert_network.path_pair, FUNCTION = expert_network.path_pair_eq, COMMUTATOR = ===, NEGATOR = !==);
-- proof: SELECT count(*) FROM pg_catalog.pg_operator WHERE oprnamespace = 'pg_catalog'::regnamespace AND oprname IN ('===', '!=='); SELECT pg_catalog.current_setting('search_path')

-- As a statement of its own, the call is followed, and the operator after it judged under the
-- path it sets (expert_network first: the shells stay there, as in corpus 70).
SELECT pg_catalog.set_config('search_path', 'expert_network, pg_catalog, pg_temp', true);
CREATE OPERATOR expert_network.=== (LEFTARG = expert_network.path_pair, RIGHTARG = expert_network.path_pair, FUNCTION = expert_network.path_pair_eq, COMMUTATOR = ===, NEGATOR = !==);
