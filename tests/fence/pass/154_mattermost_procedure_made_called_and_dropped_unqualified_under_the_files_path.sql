-- Pass corpus 154: the procedure a migration makes for itself, calls and drops again, written as
-- mattermost/mattermost writes it in server/channels/db/migrations/postgres/000137_update_attribute_view.up.sql
-- (commit cd7900facc0476089615cc970a580e7a34ea1160): every name unqualified, `CREATE OR REPLACE
-- PROCEDURE create_attribute_view() LANGUAGE plpgsql AS $$ BEGIN EXECUTE ' CREATE MATERIALIZED VIEW
-- IF NOT EXISTS AttributeView AS SELECT ... FROM PropertyValues pv LEFT JOIN PropertyFields pf ...';
-- END; $$; call create_attribute_view(); DROP PROCEDURE create_attribute_view();`. Corpus 71 has it
-- with the procedure qualified; here it is re-homed as morph runs it on a DSN whose search_path is
-- expert_network (the session's `SET search_path TO expert_network`), over corpus 71's pp_mm_
-- tables, the view's query cut to `jsonb_object_agg(pf.Name, pv.Value)` (Mattermost's CASE over
-- select and multiselect options left out), the view it makes qualified as corpus 71 has it (pp_mm_attributeview_v2: an unqualified
-- CREATE inside a body stays refused). The fence refused the body ("pp_mm_propertyvalues
-- in a function without its own search_path is looked up under the caller's path when it runs"):
-- the short-lived rule asked for `expert_network.name`, while under a path the file set with
-- expert_network first the server makes the unqualified procedure there (PG 15: created under
-- `SET search_path TO expert_network`, pg_proc showed it in expert_network; the CALL made
-- expert_network.pp_mm_attributeview_v2; after COMMIT pg_proc held no pp_mm_create_attribute_view_v2
-- in any schema). The fence passes it now.
SET search_path TO expert_network;

CREATE OR REPLACE PROCEDURE pp_mm_create_attribute_view_v2()
LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE 'CREATE MATERIALIZED VIEW IF NOT EXISTS expert_network.pp_mm_attributeview_v2 AS
        SELECT pv.GroupID, pv.TargetID, pv.TargetType, jsonb_object_agg(pf.Name, pv.Value) AS Attributes
        FROM pp_mm_propertyvalues pv LEFT JOIN pp_mm_propertyfields pf ON pf.ID = pv.FieldID
        WHERE (pv.DeleteAt = 0 OR pv.DeleteAt IS NULL) AND (pf.DeleteAt = 0 OR pf.DeleteAt IS NULL)
        GROUP BY pv.GroupID, pv.TargetID, pv.TargetType        ';
END;
$$;

call pp_mm_create_attribute_view_v2();
DROP PROCEDURE pp_mm_create_attribute_view_v2();
