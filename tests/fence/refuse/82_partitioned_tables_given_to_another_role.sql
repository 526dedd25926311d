-- Refuse corpus 82: a partitioned table of expert_network's that the migrations give to another role
-- (`ALTER TABLE ... OWNER TO raguser`) while its partitions stay the runner's. Only the partitioned
-- table's owner may CREATE INDEX on it, and the server then makes an index on every partition and
-- builds it as that partition's owner (the runner's superuser), running the index's expressions, a
-- function of the new owner's, with those rights; ANALYZE and autovacuum of the partition run them
-- again later (corpus 76). No SECURITY DEFINER anywhere: the fence followed a relation given away only
-- into definers' reads and writes of it (corpora 57, 79). Each refused statement is followed by a
-- `-- proof:` query; run on PG 15 as the runner's superuser with `tests/fence/prove.py` (database:
-- demo/public_apps.sql and sql/001-003 applied, placeholders raguser and expert_network_readonly),
-- each proof printed raguser's attribute f, then t: raguser, not a superuser, made its function and
-- the index, and the index's build on the partition ran the function as postgres (an IMMUTABLE
-- function, as an index needs, calling a VOLATILE one that runs the ALTER ROLE). Found by a hunt:
-- before, every refused statement below passed `check`.

CREATE TABLE expert_network.gp_events (id int NOT NULL, v text) PARTITION BY RANGE (id);

CREATE TABLE expert_network.gp_events_1 PARTITION OF expert_network.gp_events FOR VALUES FROM (0) TO (1000);

INSERT INTO expert_network.gp_events SELECT g, 'x' FROM pg_catalog.generate_series(1, 10) g;

-- Reaches: raguser gets SUPERUSER: its index on the partitioned table is built on the partition as
-- postgres.
-- refuse: ownership
ALTER TABLE expert_network.gp_events OWNER TO raguser;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gp_do() RETURNS void LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser SUPERUSER; END IF; END'; CREATE FUNCTION expert_network.gp_evil(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS 'BEGIN PERFORM expert_network.gp_do(); RETURN t; END'; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; CREATE INDEX gp_evil_idx ON expert_network.gp_events ((expert_network.gp_evil(v))); RESET ROLE; SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

CREATE TABLE expert_network.gp_log (id int NOT NULL, at date NOT NULL, v text) PARTITION BY RANGE (at);

CREATE TABLE expert_network.gp_log_2026 PARTITION OF expert_network.gp_log FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY LIST (id);

CREATE TABLE expert_network.gp_log_2026_a (id int NOT NULL, at date NOT NULL, v text);

ALTER TABLE expert_network.gp_log_2026 ATTACH PARTITION expert_network.gp_log_2026_a FOR VALUES IN (1, 2, 3);

INSERT INTO expert_network.gp_log VALUES (1, '2026-03-01', 'x');

-- Reaches: raguser gets CREATEDB: the middle level, itself partitioned, given away: its attached
-- partition is built as postgres.
-- refuse: ownership
ALTER TABLE expert_network.gp_log_2026 OWNER TO raguser;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gp_do() RETURNS void LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser CREATEDB; END IF; END'; CREATE FUNCTION expert_network.gp_evil(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS 'BEGIN PERFORM expert_network.gp_do(); RETURN t; END'; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; CREATE INDEX gp_log_2026_evil_idx ON expert_network.gp_log_2026 ((expert_network.gp_evil(v))); RESET ROLE; SELECT rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Reaches: raguser gets CREATEROLE: the top level given away: the partition two levels down, attached,
-- is built as postgres.
-- refuse: ownership
ALTER TABLE expert_network.gp_log OWNER TO raguser;
-- proof: SET LOCAL ROLE raguser; CREATE FUNCTION expert_network.gp_do() RETURNS void LANGUAGE plpgsql AS 'BEGIN IF current_user = ''postgres'' THEN ALTER ROLE raguser CREATEROLE; END IF; END'; CREATE FUNCTION expert_network.gp_evil(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS 'BEGIN PERFORM expert_network.gp_do(); RETURN t; END'; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'; CREATE INDEX gp_log_evil_idx ON expert_network.gp_log ((expert_network.gp_evil(v))); RESET ROLE; SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'raguser'

-- Given with every partition, or kept, a partitioned table passes: an index of the new owner's is
-- built as that owner on each partition.
CREATE TABLE expert_network.gp_all (id int NOT NULL) PARTITION BY RANGE (id);
CREATE TABLE expert_network.gp_all_1 PARTITION OF expert_network.gp_all FOR VALUES FROM (0) TO (10);
ALTER TABLE expert_network.gp_all_1 OWNER TO raguser;
ALTER TABLE expert_network.gp_all OWNER TO raguser;
CREATE TABLE expert_network.gp_kept (id int NOT NULL) PARTITION BY RANGE (id);
CREATE TABLE expert_network.gp_kept_1 PARTITION OF expert_network.gp_kept FOR VALUES FROM (0) TO (10);
