-- Refuse corpus 70: an operator's unqualified COMMUTATOR or NEGATOR that names no existing operator
-- makes a shell operator, and the server makes it in the search_path's first schema
-- (get_other_operator's QualifiedNameGetCreationNamespace), not the operator's own. Corpus 40 let the
-- unqualified form through over a type of expert_network's, which no other schema's operator takes;
-- after `SET LOCAL search_path = pg_catalog, expert_network` (a path the fence accepts) the shells land
-- in pg_catalog, where `up`'s guard does not look (nor does `up`'s pg_catalog check, which lists
-- relations and types), and even `COMMUTATOR = ===` of expert_network.=== links it to a new
-- pg_catalog.=== shell instead of itself: under any path that searches pg_catalog first, `a === b`
-- now finds the shell ("operator is only a shell"). Each refused statement is followed by a
-- `-- proof:` query; run on PG 15 as the runner's superuser with `tests/fence/prove.py` (database:
-- demo/public_apps.sql and sql/001-003 applied), each proof printed what the comment above it says.
-- Found by a hunt: before, every refused statement below passed `check`.

CREATE TYPE expert_network.shell_pair AS (a int);

CREATE FUNCTION expert_network.shell_pair_eq(expert_network.shell_pair, expert_network.shell_pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true';

-- A path the fence accepts (it names only expert_network and pg_catalog), with pg_catalog first.
SET LOCAL search_path = pg_catalog, expert_network;

-- Reaches: shells pg_catalog.===(shell_pair, shell_pair) and pg_catalog.!==(shell_pair, shell_pair),
-- and expert_network.=== names the first as its commutator: the proof prints 2, then pg_catalog.
-- refuse: unqualified-name
CREATE OPERATOR expert_network.=== (LEFTARG = expert_network.shell_pair, RIGHTARG = expert_network.shell_pair, FUNCTION = expert_network.shell_pair_eq, COMMUTATOR = ===, NEGATOR = !==);
-- proof: SELECT count(*) FROM pg_catalog.pg_operator WHERE oprnamespace = 'pg_catalog'::regnamespace AND oprname IN ('===', '!==') AND oprleft = 'expert_network.shell_pair'::regtype; SELECT c.oprnamespace::regnamespace FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_operator c ON c.oid = o.oprcom WHERE o.oprnamespace = 'expert_network'::regnamespace AND o.oprname = '==='

SET LOCAL search_path = expert_network, pg_catalog, pg_temp;

-- Under the pinned path the shells stay in expert_network and pass, as in corpus 40.
CREATE OPERATOR expert_network.=== (LEFTARG = expert_network.shell_pair, RIGHTARG = expert_network.shell_pair, FUNCTION = expert_network.shell_pair_eq, COMMUTATOR = ===, NEGATOR = !==);
