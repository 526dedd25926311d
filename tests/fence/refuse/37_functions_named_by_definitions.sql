-- Refuse corpus 37 (issue 11, class 4): a built-in that takes a name, named by a definition instead of
-- called. The server calls an operator's function, an aggregate's final function and an operator
-- class's support functions with arguments no statement spells, whenever the operator, the aggregate
-- or the index or hash partitioning is used, by the migration or later by the application. Proven with
-- `tests/fence/prove.py` on PG 15 (see 36): each proof printed public.campaign_code_seq moved, a move
-- a rollback does not undo.

-- Reaches: every sequence outside expert_network reset through an operator on computed regclass values.
-- refuse: dynamic-name
CREATE OPERATOR expert_network.=== (leftarg = regclass, rightarg = bigint, function = pg_catalog.setval);
-- proof: SELECT c.oid::regclass OPERATOR(expert_network.===) 5 FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname <> 'expert_network'; SELECT last_value = 5 FROM public.campaign_code_seq

-- Reaches: the same with a prefix operator spelt with PROCEDURE and an unqualified nextval.
-- refuse: dynamic-name
CREATE OPERATOR expert_network.!!! (rightarg = regclass, procedure = nextval);
-- proof: SELECT OPERATOR(expert_network.!!!) c.oid::regclass FROM pg_catalog.pg_class AS c WHERE c.relname = 'campaign_code_seq'; SELECT last_value FROM public.campaign_code_seq

CREATE FUNCTION expert_network.pp_keep(regclass, int) RETURNS regclass LANGUAGE sql AS 'SELECT $1';

-- Reaches: public.campaign_code_seq moved by an aggregate whose state starts as its name.
-- refuse: dynamic-name
CREATE AGGREGATE expert_network.pp_bump(int) (
    sfunc = expert_network.pp_keep, stype = regclass,
    initcond = 'PUBLIC.campaign_code_seq', finalfunc = pg_catalog.nextval
);
-- proof: SELECT expert_network.pp_bump(1); SELECT last_value FROM public.campaign_code_seq

-- Reaches: public.campaign_code_seq set to a hash seed by every row inserted into a table hash-partitioned
-- with this operator class (its extended hash function is setval).
-- refuse: dynamic-name
CREATE OPERATOR CLASS expert_network.pp_rc_ops FOR TYPE regclass USING hash AS
    OPERATOR 1 pg_catalog.= (oid, oid),
    FUNCTION 1 pg_catalog.hashoid(oid),
    FUNCTION 2 pg_catalog.setval(regclass, bigint);
-- proof: CREATE TABLE expert_network.pp_rc (r regclass) PARTITION BY HASH (r expert_network.pp_rc_ops); CREATE TABLE expert_network.pp_rc_0 PARTITION OF expert_network.pp_rc FOR VALUES WITH (MODULUS 1, REMAINDER 0); INSERT INTO expert_network.pp_rc SELECT c.oid FROM pg_catalog.pg_class AS c WHERE c.relname = 'campaign_code_seq'; SELECT last_value FROM public.campaign_code_seq

CREATE OPERATOR FAMILY expert_network.pp_rc_family USING hash;

CREATE OPERATOR CLASS expert_network.pp_rc_ops2 FOR TYPE regclass USING hash FAMILY expert_network.pp_rc_family AS
    OPERATOR 1 pg_catalog.= (oid, oid),
    FUNCTION 1 pg_catalog.hashoid(oid);

-- Reaches: the same, the function added to the family afterwards.
-- refuse: dynamic-name
ALTER OPERATOR FAMILY expert_network.pp_rc_family USING hash ADD FUNCTION 2 (regclass) setval(regclass, bigint);
-- proof: CREATE TABLE expert_network.pp_rc2 (r regclass) PARTITION BY HASH (r expert_network.pp_rc_ops2); CREATE TABLE expert_network.pp_rc2_0 PARTITION OF expert_network.pp_rc2 FOR VALUES WITH (MODULUS 1, REMAINDER 0); SELECT setval('public.campaign_code_seq', 1000); INSERT INTO expert_network.pp_rc2 SELECT c.oid FROM pg_catalog.pg_class AS c WHERE c.relname = 'campaign_code_seq'; SELECT last_value FROM public.campaign_code_seq
