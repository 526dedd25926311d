-- Refuse corpus 134: a cast belongs to no schema, and one between two types that no schema but
-- expert_network holds changes how every application's expressions of them resolve; one from or to
-- a type of expert_network's reaches only expressions over that type (pass corpus 152, Hibernate's
-- `CREATE CAST (varchar AS status) WITH INOUT AS IMPLICIT`, which the fence now passes). Each refused
-- statement is followed by `-- proof:` queries; run on PG 15 as the runner's superuser with
-- `tests/fence/prove.py` (database: demo/public_apps.sql and sql/001-003 applied, placeholders
-- raguser and expert_network_readonly), each printed what its comment says, in an application's
-- session (search_path "$user", public).

CREATE TYPE expert_network.ck_status AS ENUM ('OPEN', 'CLOSED');

-- Reaches: every application's `integer = text` now compares as text (without the cast: "operator
-- does not exist: integer = text"); the proof printed t.
-- refuse: database-wide
CREATE CAST (int4 AS text) WITH INOUT AS IMPLICIT;
-- proof: SET LOCAL search_path = "$user", public; SELECT 1::int4 = '1'::text AS int_eq_text; SET LOCAL search_path = expert_network, pg_catalog, pg_temp

-- Reaches: GoTrue's legacy cast (a Supabase project's migration wrote it so): every application's
-- `length(uuid)` now resolves (without it: "function length(uuid) does not exist"); printed 36.
-- refuse: database-wide
CREATE CAST (uuid AS text) WITH INOUT AS IMPLICIT;
-- proof: SET LOCAL search_path = "$user", public; SELECT length(gen_random_uuid()) AS uuid_length; SET LOCAL search_path = expert_network, pg_catalog, pg_temp

-- Reaches: quoted names of pg_catalog's types: BetterAuth's insert of a varchar into its boolean
-- public."user".email_verified is now taken (without the cast: "column email_verified is of type
-- boolean but expression is of type character varying"); printed t.
-- refuse: database-wide
CREATE CAST ("varchar" AS "bool") WITH INOUT AS ASSIGNMENT;
-- proof: INSERT INTO public."user" (id, name, email, email_verified) VALUES ('ck-1', 'ck', 'ck@example.org', 'true'::varchar) RETURNING email_verified

-- Reaches: the description of pg_catalog's own cast from integer to bigint; printed "ours now".
-- refuse: database-wide
COMMENT ON CAST (int4 AS int8) IS 'ours now';
-- proof: SELECT obj_description(c.oid, 'pg_cast') FROM pg_cast c WHERE c.castsource = 'int4'::regtype AND c.casttarget = 'int8'::regtype

-- Reaches: a cast to expert_network's type named unqualified in a function's body is looked up
-- under the caller's path when the body runs: called from an application's session whose public
-- has a ck_status of its own, it made the cast to public.ck_status; printed public.ck_status.
-- refuse: database-wide
CREATE FUNCTION expert_network.ck_make_cast() RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
    CREATE CAST (varchar AS ck_status) WITH INOUT AS IMPLICIT;
END
$f$;
-- proof: CREATE TYPE public.ck_status AS ENUM ('x'); SET LOCAL search_path = "$user", public; SELECT expert_network.ck_make_cast(); SET LOCAL search_path = expert_network, pg_catalog, pg_temp; SELECT c.casttarget::regtype::text FROM pg_cast c WHERE c.castsource = 'varchar'::regtype AND c.casttarget::regtype::text LIKE '%ck_status'
