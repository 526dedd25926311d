-- Refuse corpus 75: the server reads each value of `SET search_path = a, b` as one schema name
-- (flatten_set_variable_args quotes each: search_path is GUC_LIST_QUOTE), never splitting a string
-- or folding its case, so `'expert_network, pg_catalog'` is one schema, `"expert_network,
-- pg_catalog"`, and `'EXPERT_NETWORK'` another, neither of which exists. The fence read the values
-- as set_config's one list string is read, split at commas and lowercased, and so judged what
-- followed with expert_network first, while the server skipped the missing schema and created in the
-- next one named: pg_catalog. An unqualified COMMUTATOR's shell (corpus 70, accepted on a path whose
-- first schema is expert_network) then landed in pg_catalog, where `up`'s guard does not look.
-- `check` reported nothing for the first case (with the type and function above it) before the
-- fix; it was not run through `up`. Each refused statement's paragraph ends with a
-- `-- proof:` query; run on PG 15 as the runner's superuser with `tests/fence/prove.py` (database:
-- demo/public_apps.sql and sql/001-003 applied), each proof printed what the comment above it says.
-- Found by a hunt: before, every refused statement below passed `check`.

CREATE TYPE expert_network.quote_pair AS (a int);

CREATE FUNCTION expert_network.quote_pair_eq(expert_network.quote_pair, expert_network.quote_pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true';

-- Reaches: shells pg_catalog.=== and pg_catalog.!==: the proof prints 2, then the path as the
-- server holds it, "expert_network, pg_catalog", pg_catalog.
-- refuse: session-state
SET LOCAL search_path = 'expert_network, pg_catalog', pg_catalog;
CREATE OPERATOR expert_network.=== (LEFTARG = expert_network.quote_pair, RIGHTARG = expert_network.quote_pair, FUNCTION = expert_network.quote_pair_eq, COMMUTATOR = ===, NEGATOR = !==);
-- proof: SELECT count(*) FROM pg_catalog.pg_operator WHERE oprnamespace = 'pg_catalog'::regnamespace AND oprname IN ('===', '!=='); SELECT pg_catalog.current_setting('search_path')

-- Reaches: the same through a string in capitals: the proof prints 2, then "EXPERT_NETWORK", pg_catalog.
-- refuse: session-state
SET LOCAL search_path = 'EXPERT_NETWORK', pg_catalog;
CREATE OPERATOR expert_network.=== (LEFTARG = expert_network.quote_pair, RIGHTARG = expert_network.quote_pair, FUNCTION = expert_network.quote_pair_eq, COMMUTATOR = ===, NEGATOR = !==);
-- proof: SELECT count(*) FROM pg_catalog.pg_operator WHERE oprnamespace = 'pg_catalog'::regnamespace AND oprname IN ('===', '!=='); SELECT pg_catalog.current_setting('search_path')

-- A function's SET option is flattened the same way: one schema that does not exist, then pg_temp.
-- refuse: session-state
CREATE FUNCTION expert_network.quote_path() RETURNS int LANGUAGE sql SET search_path = 'expert_network, pg_catalog', pg_temp AS 'SELECT 1';
-- proof: SELECT pg_catalog.array_to_string(proconfig, ';') FROM pg_catalog.pg_proc WHERE proname = 'quote_path'

-- Each schema a value of its own, identifiers or strings, exactly as written: these pass.
SET LOCAL search_path = 'expert_network', 'pg_catalog', pg_temp;
SET LOCAL search_path = "expert_network", pg_catalog, pg_temp;
SET LOCAL search_path = Expert_Network, pg_catalog, pg_temp;
SELECT pg_catalog.set_config('search_path', 'EXPERT_NETWORK, pg_catalog, pg_temp', true);
CREATE OPERATOR expert_network.=== (LEFTARG = expert_network.quote_pair, RIGHTARG = expert_network.quote_pair, FUNCTION = expert_network.quote_pair_eq, COMMUTATOR = ===, NEGATOR = !==);
