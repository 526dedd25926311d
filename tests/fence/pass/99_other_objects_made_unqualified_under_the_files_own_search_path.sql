-- Pass corpus 99: corpus 74's idiom (a deploy script that sets the search_path to its schema and then
-- makes every object unqualified, as sqitch's and Flyway's scripts for one schema are written) with the
-- objects corpus 74 left out: extended statistics over correlated columns, a collation made from
-- "C" for byte-order keys, a text search configuration copied from english, an aggregate, an
-- operator, a conversion, an operator family and a shell type. The fence refused each of them ("statistics
-- object pp_sp_order_dep is not schema-qualified", and so on) while it accepted the table they belong
-- to. Under a path the file set itself with expert_network first the server makes every one of them
-- there, as it makes a table (psql on PG 15: each in expert_network, read from pg_statistic_ext,
-- pg_collation, pg_ts_config, pg_proc, pg_operator, pg_conversion, pg_opfamily and pg_type). Under
-- the pinned path alone, or with pg_catalog first, they stay refused.
BEGIN;

SET search_path TO expert_network;

CREATE TABLE IF NOT EXISTS pp_sp_orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    country text NOT NULL,
    city text NOT NULL,
    sku text NOT NULL,
    quantity integer NOT NULL DEFAULT 1
);

-- city implies country: tell the planner, so it stops multiplying their selectivities.
CREATE STATISTICS IF NOT EXISTS pp_sp_order_dep (dependencies, ndistinct) ON country, city FROM pp_sp_orders;

CREATE COLLATION IF NOT EXISTS pp_sp_bytes FROM "C";
ALTER TABLE pp_sp_orders ALTER COLUMN sku TYPE text COLLATE pp_sp_bytes;

CREATE TEXT SEARCH CONFIGURATION pp_sp_search (COPY = pg_catalog.english);

CREATE AGGREGATE pp_sp_total (integer) (SFUNC = pg_catalog.int4pl, STYPE = integer, INITCOND = '0');

CREATE OPERATOR <~> (LEFTARG = text, RIGHTARG = text, FUNCTION = pg_catalog.texticlike);

CREATE CONVERSION pp_sp_latin1 FOR 'LATIN1' TO 'UTF8' FROM pg_catalog.iso8859_1_to_utf8;

CREATE OPERATOR FAMILY pp_sp_family USING btree;

CREATE TYPE pp_sp_later;

COMMIT;
