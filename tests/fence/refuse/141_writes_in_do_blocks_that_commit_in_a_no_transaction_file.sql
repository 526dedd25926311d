-- en-migrate: no-transaction
-- Refuse corpus 141: a no-transaction file's DO block that commits or rolls back is the one
-- statement (with the CONCURRENTLY forms and VACUUM) the runner sends bare, with no database-side
-- check around it (`db::notx::runs_alone`): each transaction ends inside the block. A delete or
-- update of expert_network's rows there fires what only that check sees: another application's
-- foreign key referencing the table (the application's role holds REFERENCES on expert_network's
-- tables), whose ON DELETE action writes that application's rows; so may a write of a table whose
-- triggers run the migrations' functions (they may delete), and a CALL or a call of one. Proof: not runnable
-- by prove.py, which wraps a file in one transaction. Through `up` on PG 15 as the runner's
-- superuser (demo/public_apps.sql, then sql/001-003 through `up`; then, as another application
-- would, `CREATE TABLE public.partner_links (id serial PRIMARY KEY, vendor_id uuid NOT NULL
-- REFERENCES expert_network.vendor_platforms (id) ON DELETE CASCADE, url text)` holding a row for
-- each of the 11 vendors), with the en-migrate of main before this fix: the first block below,
-- applied as 004, exited 0 and was recorded, and public.partner_links held 10 rows (guidepoint's
-- gone); so did the procedure's CALL in the second. The same files without their COMMITs were
-- caught by the check around each statement and rolled back (exit 3, "rows written to
-- public.partner_links"), the table keeping 11 rows.

-- Reaches: public.partner_links' row of guidepoint, deleted by its own key's cascade.
-- refuse: outside-schema
DO $$
BEGIN
    DELETE FROM expert_network.vendor_platforms WHERE slug = 'guidepoint' AND user_id IS NULL;
    COMMIT;
END
$$;

CREATE PROCEDURE expert_network.c141_retire_vendor(s text) LANGUAGE sql AS $$ DELETE FROM expert_network.vendor_platforms WHERE slug = s AND user_id IS NULL $$;

-- Reaches: the same row, deleted by the procedure the block calls between its commits.
-- refuse: outside-schema
DO $$
BEGIN
    COMMIT;
    CALL expert_network.c141_retire_vendor('guidepoint');
    COMMIT;
END
$$;

CREATE TABLE IF NOT EXISTS expert_network.c141_notes (id int PRIMARY KEY, note text);

-- A batched backfill passes: a block that commits between plain writes of a table none of the
-- migrations' triggers or stored expressions run a function on (an INSERT or UPDATE fires no
-- referencing key's ON DELETE action; vendor_platforms has its updated_at trigger, so the same
-- writes of it are refused).
DO $$
BEGIN
    INSERT INTO expert_network.c141_notes VALUES (1, 'a') ON CONFLICT DO NOTHING;
    COMMIT;
    UPDATE expert_network.c141_notes SET note = note || '!' WHERE id = 1;
    COMMIT;
END
$$;
