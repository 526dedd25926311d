-- en-migrate: no-transaction
-- en-migrate: allow dynamic-sql
-- Refuse corpus 137: `allow dynamic-sql` accepts a computed EXECUTE inside a function the file
-- defines because the database-side check follows the migration's transaction. A no-transaction
-- file (first line above) has no such transaction: the statements the server refuses inside one
-- (a DO block that commits, the CONCURRENTLY forms) run bare, with no check after them, and may
-- call what the file defines. The opt-in does not apply here. Proof: not runnable by prove.py,
-- which wraps a file in one transaction; through `up` on PG 15 as the runner's superuser
-- (database: demo/public_apps.sql, then sql/001-003 through `up`), with the en-migrate of main
-- before this fix, this file applied as 004 and was recorded, and every name of public."user"
-- ended in `!`. (A call from a statement the server takes in a transaction block now runs guarded,
-- `db::notx`; one from an index expression the fence refuses already, as maintenance runs it.)
-- Found by a hunt: before, the refused statement below passed `check`.

-- Reaches: public."user"'s rows, rewritten by the DO block that commits.
-- refuse: dynamic-sql
CREATE FUNCTION expert_network.corpus137_run(s text) RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE s; END $$;
-- The block that commits runs bare: a call of the migrations' own function in it is refused too
-- (corpus 141).
-- refuse: outside-schema
DO $$ BEGIN PERFORM expert_network.corpus137_run(concat('UPDATE public.', 'user SET name = name || ''!''')); COMMIT; END $$;

-- A constant EXECUTE is fenced as the statement it holds, opt-in or not: this passes.
CREATE FUNCTION expert_network.corpus137_fixed() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'SELECT 1'; END $$;
