-- Refuse corpus 43: a DEFAULT operator class for a type outside expert_network. The server uses a
-- type's default operator class of an access method wherever a statement names none: every index,
-- and for btree and hash also DISTINCT, GROUP BY, ORDER BY, UNION, hash joins and unique checks on
-- that type, in every schema. It refuses a second default where one exists, so what gets through is a
-- default for a built-in (or another schema's) type that had none for that method: point has no btree
-- or hash one, so from then on the other applications' DISTINCT over a point, and their hash indexes
-- on one, compare through expert_network's functions (and a later DROP ... CASCADE of them drops those
-- indexes). Each refused statement is followed by a `-- proof:` query; run on PG 15 as the runner's
-- superuser with `tests/fence/prove.py`, each proof printed what the comment above it says.
-- Found by a hunt: before, every statement below passed `check` and applied through `up` (an operator
-- class in expert_network is not public's, so the guard sees nothing).

CREATE FUNCTION expert_network.oc_point_hash(point) RETURNS int LANGUAGE sql IMMUTABLE STRICT
    AS 'SELECT pg_catalog.hashfloat8($1[0]) # pg_catalog.hashfloat8($1[1])';

-- Reaches: public's queries and indexes on point: a DISTINCT over points, an error before ("could not
-- identify an equality operator for type point"), now hashes with expert_network.oc_point_hash, and a
-- hash index of public's made without naming an operator class takes expert_network's.
-- refuse: database-wide
CREATE OPERATOR CLASS expert_network.oc_point_ops DEFAULT FOR TYPE point USING hash AS
    OPERATOR 1 pg_catalog.~= (point, point),
    FUNCTION 1 expert_network.oc_point_hash(point);
-- proof: SELECT count(*) AS one FROM (SELECT DISTINCT p FROM (VALUES (point '(1,1)'), (point '(1,1)')) v(p)) d; CREATE TABLE public.oc_places (p point); CREATE INDEX oc_places_p ON public.oc_places USING hash (p); SELECT c.opcnamespace::regnamespace AS opclass_schema FROM pg_catalog.pg_index i JOIN pg_catalog.pg_opclass c ON c.oid = i.indclass[0] WHERE i.indexrelid = 'public.oc_places_p'::regclass

-- Reaches: the same, the type written qualified.
-- refuse: database-wide
CREATE OPERATOR CLASS expert_network.oc_point_ops2 DEFAULT FOR TYPE pg_catalog.point USING hash AS
    OPERATOR 1 pg_catalog.~= (point, point),
    FUNCTION 1 expert_network.oc_point_hash(point);
-- proof: SELECT count(*) AS one FROM (SELECT DISTINCT p FROM (VALUES (point '(1,1)'), (point '(1,1)')) v(p)) d

-- Without DEFAULT the operator class is used only where a statement names it.
CREATE OPERATOR CLASS expert_network.oc_point_named FOR TYPE point USING hash AS
    OPERATOR 1 pg_catalog.~= (point, point),
    FUNCTION 1 expert_network.oc_point_hash(point);

-- A default for a type of expert_network's own reaches only columns of that type.
CREATE DOMAIN expert_network.oc_spot AS point;

CREATE OPERATOR CLASS expert_network.oc_spot_ops DEFAULT FOR TYPE expert_network.oc_spot USING hash AS
    OPERATOR 1 pg_catalog.~= (point, point),
    FUNCTION 1 expert_network.oc_point_hash(point);
