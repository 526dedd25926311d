-- Pass corpus 37: PL/pgSQL functions whose parameters and result are typed by a column
-- (`table.column%TYPE`), as PL/SQL-trained authors and Oracle ports write them, e.g.
--   CREATE FUNCTION get_user_email(p_user_id users.id%TYPE) RETURNS users.email%TYPE ...
-- The server takes the column's type (with a NOTICE); libpg_query's PL/pgSQL parser cannot look the
-- column up and failed ("Not implemented"), so every such function was refused as parse-error.
-- Applied with psql on PG 15.

CREATE TABLE expert_network.pass_members (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    last_seen_at timestamptz
);

CREATE OR REPLACE FUNCTION expert_network.pass_member_email(p_member_id expert_network.pass_members.id%TYPE)
RETURNS expert_network.pass_members.email%TYPE
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    v_email expert_network.pass_members.email%TYPE;
BEGIN
    SELECT m.email INTO v_email FROM expert_network.pass_members m WHERE m.id = p_member_id;
    RETURN v_email;
END;
$$;

-- Unqualified, resolved through the pinned search_path to the table this file creates.
CREATE OR REPLACE FUNCTION expert_network.pass_member_seen(
    p_member_id pass_members.id%TYPE,
    OUT o_updated integer
)
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE expert_network.pass_members SET last_seen_at = now() WHERE id = p_member_id;
    GET DIAGNOSTICS o_updated = ROW_COUNT;
END;
$$;

INSERT INTO expert_network.pass_members (email) VALUES ('ada@example.org');
SELECT expert_network.pass_member_seen(1), expert_network.pass_member_email(1);
