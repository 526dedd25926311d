-- Pass corpus 44: functions and types renamed, then used by their new names, as HashiCorp
-- Boundary's migrations do (internal/db/schema/migrations/oss/postgres/15/01_wh_rename_key_columns.up.sql:
-- `alter function wh_dim_id rename to wh_dim_key;` and `alter domain wh_dim_id rename to wh_dim_key;`,
-- then 16/01_wh_credential_dimension.up.sql: `key wh_dim_key primary key default wh_dim_key()`).
-- What a migration created keeps its body and its schema under the new name; `check` knew it only by
-- the old one. Applied with psql on PG 15.

CREATE DOMAIN expert_network.pp_wh_dim_id AS text;
CREATE FUNCTION expert_network.pp_wh_dim_id() RETURNS text
LANGUAGE sql VOLATILE AS $$ SELECT 'w' || md5(random()::text) $$;
CREATE TYPE expert_network.pp_wh_purpose_old AS ENUM ('brokered', 'injected');
CREATE AGGREGATE expert_network.pp_wh_total_old(int) (SFUNC = int4pl, STYPE = int, INITCOND = '0');
CREATE PROCEDURE expert_network.pp_wh_touch_old(INOUT n int) LANGUAGE sql AS $$ SELECT n + 1 $$;

ALTER FUNCTION expert_network.pp_wh_dim_id RENAME TO pp_wh_dim_key;
ALTER DOMAIN expert_network.pp_wh_dim_id RENAME TO pp_wh_dim_key;
ALTER TYPE expert_network.pp_wh_purpose_old RENAME TO pp_wh_purpose;
ALTER AGGREGATE expert_network.pp_wh_total_old(int) RENAME TO pp_wh_total;
ALTER PROCEDURE expert_network.pp_wh_touch_old(int) RENAME TO pp_wh_touch;

CREATE TABLE expert_network.pp_wh_credential_dimension (
    key pp_wh_dim_key PRIMARY KEY DEFAULT pp_wh_dim_key(),
    purpose pp_wh_purpose NOT NULL,
    uses int NOT NULL DEFAULT 1
);
INSERT INTO expert_network.pp_wh_credential_dimension (purpose) VALUES ('brokered'), ('injected');

CREATE FUNCTION expert_network.pp_wh_upsert(p_purpose expert_network.pp_wh_purpose)
RETURNS expert_network.pp_wh_dim_key
LANGUAGE plpgsql AS $$
DECLARE
  k expert_network.pp_wh_dim_key;
BEGIN
  INSERT INTO expert_network.pp_wh_credential_dimension (purpose) VALUES (p_purpose)
  RETURNING key INTO k;
  RETURN k;
END;
$$;

SELECT expert_network.pp_wh_upsert('brokered'), expert_network.pp_wh_total(uses)
FROM expert_network.pp_wh_credential_dimension;
CALL expert_network.pp_wh_touch(1);
