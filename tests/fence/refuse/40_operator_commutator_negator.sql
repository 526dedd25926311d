-- Refuse corpus 40: an operator's COMMUTATOR and NEGATOR name operators the server writes: a shell
-- operator it creates in the named schema when there is none, or the named operator's own link when it
-- has none yet. Each refused statement is followed by a `-- proof:` query; run on PG 15 as the runner's
-- superuser with `tests/fence/prove.py`, each proof printed what the comment above it says.
-- Found by a hunt: before, neither option was looked at, and every statement below passed `check`.

-- Reaches: a shell operator public.### created in public.
-- refuse: touches-public
CREATE OPERATOR expert_network.### (LEFTARG = int4, RIGHTARG = int4, FUNCTION = pg_catalog.int4pl, COMMUTATOR = OPERATOR(public.###));
-- proof: SELECT count(*) = 1 FROM pg_catalog.pg_operator WHERE oprname = '###' AND oprnamespace = 'public'::regnamespace

-- Reaches: the same, as a negator.
-- refuse: touches-public
CREATE OPERATOR expert_network.#=# (LEFTARG = int4, RIGHTARG = int4, FUNCTION = pg_catalog.int4eq, NEGATOR = OPERATOR(public.#<>#));
-- proof: SELECT count(*) = 1 FROM pg_catalog.pg_operator WHERE oprname = '#<>#' AND oprnamespace = 'public'::regnamespace

-- Reaches: pg_catalog.-(int4, int4), which had no commutator, now says expert_network's is one: the
-- planner of every application may commute `a - b` into `b - a`.
-- refuse: outside-schema
CREATE OPERATOR expert_network.- (LEFTARG = int4, RIGHTARG = int4, FUNCTION = pg_catalog.int4mi, COMMUTATOR = OPERATOR(pg_catalog.-));
-- proof: SELECT c.oprnamespace::regnamespace FROM pg_catalog.pg_operator AS o JOIN pg_catalog.pg_operator AS c ON c.oid = o.oprcom WHERE o.oid = 'pg_catalog.-(int4,int4)'::regoperator

-- Reaches: the same, unqualified: the name resolves to pg_catalog's operator over these built-in types.
-- refuse: unqualified-name
CREATE OPERATOR expert_network.- (LEFTARG = int4, RIGHTARG = int4, FUNCTION = pg_catalog.int4mi, COMMUTATOR = -);
-- proof: SELECT c.oprnamespace::regnamespace FROM pg_catalog.pg_operator AS o JOIN pg_catalog.pg_operator AS c ON c.oid = o.oprcom WHERE o.oid = 'pg_catalog.-(int4,int4)'::regoperator

-- Over a type of expert_network's no other schema has an operator, and unqualified links stay there.
CREATE TYPE expert_network.op_pair AS (a int, b int);

CREATE FUNCTION expert_network.op_pair_eq(expert_network.op_pair, expert_network.op_pair) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS 'SELECT $1.a = $2.a AND $1.b = $2.b';

CREATE OPERATOR expert_network.=== (
    LEFTARG = expert_network.op_pair, RIGHTARG = expert_network.op_pair,
    FUNCTION = expert_network.op_pair_eq, COMMUTATOR = ===, NEGATOR = OPERATOR(expert_network.!==)
);
