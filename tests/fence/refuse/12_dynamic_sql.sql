-- Refuse corpus 12: dynamic SQL. EXECUTE in PL/pgSQL (any form: literal, format(), concatenation,
-- variable, INTO / USING, RETURN QUERY EXECUTE, FOR ... IN EXECUTE, OPEN ... FOR EXECUTE) cannot be
-- proven safe, even when the string only names expert_network. PREPARE / EXECUTE / DEALLOCATE too.

-- refuse: dynamic-sql
PREPARE campaigns_by_user (text) AS
SELECT * FROM expert_network.campaigns WHERE user_id = $1;
-- refuse: dynamic-sql
EXECUTE campaigns_by_user ('u1');
-- refuse: dynamic-sql
CREATE TABLE expert_network.dyn_copy AS EXECUTE campaigns_by_user ('u1');
-- refuse: dynamic-sql
DEALLOCATE campaigns_by_user;
-- refuse: dynamic-sql
DEALLOCATE PREPARE ALL;
-- refuse: dynamic-sql
DEALLOCATE ALL;
-- refuse: dynamic-sql
-- refuse: touches-public
PREPARE wipe AS DELETE FROM public.session;

-- A constant string is fenced like the statement it holds (issue 11).
CREATE FUNCTION expert_network.dyn_literal() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'TRUNCATE expert_network.audit_log';
END;
$$;
-- refuse: dynamic-sql
CREATE FUNCTION expert_network.dyn_format() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('DROP TABLE IF EXISTS %I.%I', 'public', 'session');
END;
$$;
-- refuse: dynamic-sql
CREATE FUNCTION expert_network.dyn_concat(p_schema text, p_table text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'DELETE FROM ' || quote_ident(p_schema) || '.' || quote_ident(p_table);
END;
$$;
-- A constant string with parameters is fenced like the statement it holds (issue 11).
CREATE FUNCTION expert_network.dyn_into_using(p_user text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE 'SELECT count(*) FROM expert_network.campaigns WHERE user_id = $1' INTO n USING p_user;
    RETURN n;
END;
$$;
-- refuse: dynamic-sql
CREATE FUNCTION expert_network.dyn_variable(p_sql text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_sql text := p_sql;
BEGIN
    EXECUTE v_sql;
END;
$$;
-- refuse: dynamic-sql
CREATE FUNCTION expert_network.dyn_return_query(p_table text) RETURNS SETOF uuid LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE 'SELECT id FROM expert_network.' || quote_ident(p_table);
END;
$$;
CREATE FUNCTION expert_network.dyn_for_execute() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    r record;
    n integer := 0;
BEGIN
    FOR r IN EXECUTE 'SELECT id FROM expert_network.campaigns' LOOP
        n := n + 1;
    END LOOP;
    RETURN n;
END;
$$;
-- refuse: dynamic-sql
CREATE FUNCTION expert_network.dyn_open_for(p_table text) RETURNS refcursor LANGUAGE plpgsql AS $$
DECLARE
    c refcursor;
BEGIN
    OPEN c FOR EXECUTE format('SELECT * FROM %s', p_table);
    RETURN c;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.dyn_in_handler() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO expert_network.audit_log (action) VALUES ('x');
EXCEPTION
    WHEN others THEN
        EXECUTE 'DROP SCHEMA public CASCADE';
END;
$$;
-- refuse: database-wide
CREATE FUNCTION expert_network.dyn_nested() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        IF true THEN
            execute 'ANALYZE';
        END IF;
    END;
END;
$$;
-- refuse: dynamic-sql
CREATE PROCEDURE expert_network.dyn_procedure() LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'ALTER TABLE expert_network.audit_log SET SCHEMA ' || 'public';
END;
$$;
-- refuse: dynamic-sql
DO $$ BEGIN EXECUTE 'ALTER TABLE public.' || 'session DISABLE TRIGGER ALL'; END $$;
-- refuse: dynamic-sql
DO $$
DECLARE
    stmt text;
BEGIN
    FOR stmt IN SELECT format('GRANT ALL ON %I.%I TO en_app', schemaname, tablename)
                FROM pg_catalog.pg_tables WHERE schemaname = 'public' LOOP
        EXECUTE stmt;
    END LOOP;
END
$$;
-- refuse: database-wide
-- refuse: unqualified-name
CREATE FUNCTION expert_network.dyn_and_unqualified() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_log (action) VALUES ('dyn');
    EXECUTE 'VACUUM';
END;
$$;
-- refuse: dynamic-sql
SELECT query_to_xml('SELECT * FROM public."user"', true, false, '');
-- refuse: dynamic-sql
SELECT * FROM ts_stat('SELECT to_tsvector(content) FROM public.documents');

-- Allowed: EXECUTE as a keyword of other statements, and the word in literals.
CREATE FUNCTION expert_network.dyn_ok() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'EXECUTE is not used here';
    RETURN NEW;
END;
$$;
CREATE TRIGGER dyn_ok_trg BEFORE INSERT ON expert_network.audit_log
    FOR EACH ROW EXECUTE FUNCTION expert_network.dyn_ok();
GRANT EXECUTE ON FUNCTION expert_network.dyn_ok() TO en_reader;
