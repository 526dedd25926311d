-- Refuse corpus 20: text the PostgreSQL parser rejects. Each broken statement ends with its own
-- semicolon so that the statements around it are still checked. Bodies count: a SQL or
-- PL/pgSQL body that does not parse cannot be checked, so it is a parse error too.

-- refuse: parse-error
SELEC * FROM expert_network.campaigns;
-- refuse: parse-error
CREATE TABLE expert_network.pe1 (id integer,);
-- refuse: parse-error
CREATE TABLE expert_network.pe2 (id integer PRIMARY KEY, name text NOT NULL DEFAULT);
-- refuse: parse-error
INSERT INTO expert_network.pe1 VALUES (1,,2);
-- refuse: parse-error
DELETE expert_network.pe1 WHERE id = 1;
-- refuse: parse-error
UPDATE expert_network.pe1 id = 2;
-- refuse: parse-error
ALTER TABLE expert_network.pe1 ADD COLUMN;
-- refuse: parse-error
DROP TABLE;
-- refuse: parse-error
CREATE INDEX ON (id);
-- refuse: parse-error
SELECT * FROM expert_network.campaigns WHERE (id = 1;
-- refuse: parse-error
GRANT SELECT ON TO en_reader;
-- refuse: parse-error
WITH x AS (SELECT 1);
-- refuse: parse-error
SELECT 'a' 'b';
-- refuse: parse-error
COMMENT ON TABLE expert_network.pe1 'missing IS';
-- refuse: parse-error
CREATE TABLE expert_network.pe3 (id serial PRIMARY KEY) PARTITION BY;
-- refuse: parse-error
SELECT 1 FROM expert_network.campaigns LIMIT ALL ALL;
-- refuse: parse-error
CREATE FUNCTION expert_network.pe_body() RETURNS integer LANGUAGE sql AS $$ SELEC 1 $$;
-- refuse: parse-error
CREATE FUNCTION expert_network.pe_body2() RETURNS integer LANGUAGE sql AS 'SELECT 1 FROM';
-- refuse: parse-error
CREATE FUNCTION expert_network.pe_atomic() RETURNS integer LANGUAGE sql
BEGIN ATOMIC
    SELEC 1;
END;
-- refuse: parse-error
CREATE FUNCTION expert_network.pe_plpgsql() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF true THEN
        NULL;
END;
$$;
-- refuse: parse-error
CREATE FUNCTION expert_network.pe_plpgsql_sql() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE expert_network.pe1;
END;
$$;
-- refuse: parse-error
DO $$ BEGIN LOOP NULL; END $$;
-- refuse: parse-error
DO $$ BEGIN PERFORM FROM WHERE; END $$;

-- Allowed: this statement after the broken ones is valid and must not be reported.
SELECT 1 AS still_checked;
