-- Pass corpus 71: a procedure a migration makes for itself, calls and drops again, as mattermost/mattermost
-- writes in server/channels/db/migrations/postgres/000137_update_attribute_view.up.sql (commit
-- cd7900facc0476089615cc970a580e7a34ea1160): `CREATE OR REPLACE PROCEDURE create_attribute_view()
-- LANGUAGE plpgsql AS $$ BEGIN EXECUTE ' CREATE MATERIALIZED VIEW IF NOT EXISTS AttributeView AS SELECT
-- ... FROM PropertyValues pv LEFT JOIN PropertyFields pf ...'; END; $$; call create_attribute_view();
-- DROP PROCEDURE create_attribute_view();`, over the tables of 000129_add_property_system_architecture.up.sql.
-- Re-homed into expert_network: the tables, the procedure and the view it makes qualified (names prefixed
-- pp_mm_, the tables cut to the columns the view reads), the body's FROM, the CALL and the DROP as
-- Mattermost wrote them. The fence refused the body ("propertyvalues in a function without its own
-- search_path is looked up under the caller's path when it runs") and the DROP ("procedure
-- create_attribute_view is not schema-qualified"). The procedure never outlives the migration's
-- transaction: no other session sees it before COMMIT, and the DROP commits with it, so its body runs
-- only in the migration's session, under the path the file runs under; and an unqualified DROP
-- finds a routine only in expert_network when pg_catalog has none of that name. The second part is
-- the same shape as a backfill helper: a PL/pgSQL function with a parameter, called by SELECT, dropped
-- with its argument types by `DROP FUNCTION IF EXISTS`. Applied with psql on PG 15: the view landed in
-- expert_network, and after COMMIT pg_proc held neither routine.
CREATE TABLE IF NOT EXISTS expert_network.pp_mm_propertyfields (
	ID varchar(26) PRIMARY KEY,
	GroupID varchar(26) NOT NULL,
	Name varchar(255) NOT NULL,
	Type text,
	Attrs jsonb,
	TargetID varchar(255),
	TargetType varchar(255),
	CreateAt bigint NOT NULL,
	UpdateAt bigint NOT NULL,
	DeleteAt bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS expert_network.pp_mm_propertyvalues (
	ID varchar(26) PRIMARY KEY,
	TargetID varchar(255) NOT NULL,
	TargetType varchar(255) NOT NULL,
	GroupID varchar(26) NOT NULL,
	FieldID varchar(26) NOT NULL,
	Value jsonb NOT NULL,
	CreateAt bigint NOT NULL,
	UpdateAt bigint NOT NULL,
	DeleteAt bigint NOT NULL
);

DROP MATERIALIZED VIEW IF EXISTS pp_mm_attributeview;

CREATE OR REPLACE PROCEDURE expert_network.pp_mm_create_attribute_view()
LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE '
    CREATE MATERIALIZED VIEW IF NOT EXISTS expert_network.pp_mm_attributeview AS
	SELECT
        pv.GroupID,
        pv.TargetID,
        pv.TargetType,
        jsonb_object_agg(
            pf.Name,
            CASE
                WHEN pf.Type = ''select'' THEN (
                    SELECT to_jsonb(options.name)
                    FROM jsonb_to_recordset(pf.Attrs->''options'') AS options(id text, name text)
                    WHERE options.id = pv.Value #>> ''{}''
                    LIMIT 1
                )
                WHEN pf.Type = ''multiselect'' AND jsonb_typeof(pv.Value) = ''array'' THEN (
                    SELECT jsonb_agg(option_names.name)
                    FROM jsonb_array_elements_text(pv.Value) AS option_id
                    JOIN jsonb_to_recordset(pf.Attrs->''options'') AS option_names(id text, name text)
                    ON option_id = option_names.id
                )
                ELSE pv.Value
            END
        ) AS Attributes    FROM pp_mm_propertyvalues pv
    LEFT JOIN pp_mm_propertyfields pf ON pf.ID = pv.FieldID
    WHERE (pv.DeleteAt = 0 OR pv.DeleteAt IS NULL) AND (pf.DeleteAt = 0 OR pf.DeleteAt IS NULL)
    GROUP BY pv.GroupID, pv.TargetID, pv.TargetType
        ';
END;
$$;

call pp_mm_create_attribute_view();
DROP PROCEDURE pp_mm_create_attribute_view();

CREATE FUNCTION expert_network.pp_mm_backfill_deleteat(p_batch integer)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    n integer;
BEGIN
    UPDATE pp_mm_propertyvalues
       SET DeleteAt = 0
     WHERE ID IN (SELECT ID FROM pp_mm_propertyvalues WHERE DeleteAt IS NULL LIMIT p_batch);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;

SELECT expert_network.pp_mm_backfill_deleteat(1000);
DROP FUNCTION IF EXISTS pp_mm_backfill_deleteat(integer);
