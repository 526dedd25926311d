-- Refuse corpus 06: PL/pgSQL bodies. public (or an unqualified relation) hidden in every
-- place a PL/pgSQL body can hold SQL: plain statements, IF / ELSIF conditions, CASE, FOR ... IN
-- SELECT loops, WHILE and EXIT WHEN conditions, FOREACH arrays, RETURN QUERY, RETURN (expr),
-- PERFORM, SELECT INTO, assignments, DECLARE defaults, %TYPE / %ROWTYPE / declared types,
-- cursors, RAISE arguments, ASSERT, CALL, nested and labelled blocks, exception handlers.

-- refuse: touches-public
CREATE FUNCTION expert_network.pl_delete() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM public.session;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_if(p_user text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM public."user" WHERE id = p_user) THEN
        RETURN true;
    END IF;
    RETURN false;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_elsif(p integer) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    IF p IS NULL THEN
        RETURN 0;
    ELSIF (SELECT count(*) FROM public.session) > p THEN
        RETURN 1;
    ELSE
        RETURN 2;
    END IF;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_case() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    CASE
        WHEN (SELECT count(*) FROM public.account) = 0 THEN RETURN 'none';
        ELSE RETURN 'some';
    END CASE;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_for_select() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    r record;
    n integer := 0;
BEGIN
    FOR r IN SELECT id, email FROM public."user" LOOP
        INSERT INTO expert_network.team_members (user_id, email) VALUES (r.id, r.email);
        n := n + 1;
    END LOOP;
    RETURN n;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_for_write() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.user_id FROM expert_network.campaigns c LOOP
        UPDATE public.account SET scope = 'experts' WHERE "userId" = r.user_id;
    END LOOP;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_for_int() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1 .. (SELECT count(*) FROM public.chats) LOOP
        RAISE NOTICE '%', i;
    END LOOP;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_while() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    WHILE (SELECT count(*) FROM expert_network.queue) > 0 LOOP
        DELETE FROM public.session WHERE token IN (SELECT token FROM expert_network.queue LIMIT 1);
    END LOOP;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_while_cond() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    WHILE EXISTS (SELECT 1 FROM public.verification) LOOP
        PERFORM pg_sleep(1);
    END LOOP;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_exit_when() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOOP
        EXIT WHEN NOT EXISTS (SELECT FROM public.session);
        PERFORM pg_sleep(1);
    END LOOP;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_foreach() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v text;
BEGIN
    FOREACH v IN ARRAY ARRAY(SELECT id FROM public."user") LOOP
        RAISE NOTICE '%', v;
    END LOOP;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_return_query() RETURNS TABLE (id text, email text)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY SELECT u.id, u.email FROM public."user" u;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_return_query_cte() RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY
    WITH d AS (DELETE FROM public.session RETURNING "userId")
    SELECT "userId" FROM d;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_return_expr(p text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RETURN (SELECT email FROM public."user" WHERE id = p);
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_perform() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM public.session WHERE "expiresAt" < now();
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_perform_fn() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM public.set_updated_at();
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_assign() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    n := (SELECT count(*) FROM public."user");
    RETURN n;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_select_into() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    SELECT count(*) INTO n FROM public.session;
    RETURN n;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_select_into_strict(p text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v text;
BEGIN
    SELECT email INTO STRICT v FROM public."user" WHERE id = p;
    RETURN v;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_delete_returning(p text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v text;
BEGIN
    DELETE FROM public.session WHERE token = p RETURNING "userId" INTO v;
    RETURN v;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_declare_default() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint := (SELECT count(*) FROM public."user");
BEGIN
    RETURN n;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_type() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    e public."user".email%TYPE;
BEGIN
    e := 'x';
    RETURN e;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_rowtype() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    r public.session%ROWTYPE;
BEGIN
    RETURN r.token;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_declared_type() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v public.citext;
BEGIN
    RETURN v::text;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_cursor() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    c CURSOR FOR SELECT token FROM public.session;
    v text;
BEGIN
    OPEN c;
    FETCH c INTO v;
    CLOSE c;
    RETURN v;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_open_for() RETURNS refcursor LANGUAGE plpgsql AS $$
DECLARE
    c refcursor;
BEGIN
    OPEN c FOR SELECT * FROM public.account;
    RETURN c;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_raise() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'users: %', (SELECT count(*) FROM public."user");
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_assert() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    ASSERT (SELECT count(*) FROM public.session) >= 0, 'never';
END;
$$;
-- refuse: touches-public
CREATE PROCEDURE expert_network.pl_call() LANGUAGE plpgsql AS $$
BEGIN
    CALL public.cleanup_sessions();
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_nested() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        BEGIN
            UPDATE public.account SET password = NULL;
        END;
    END;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_labelled() RETURNS void LANGUAGE plpgsql AS $$
<<outer_block>>
DECLARE
    n integer := 0;
BEGIN
    <<inner_block>>
    BEGIN
        n := outer_block.n + 1;
        TRUNCATE public.verification;
    END inner_block;
END outer_block;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_handler() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO expert_network.audit_log (action) VALUES ('try');
EXCEPTION
    WHEN unique_violation THEN
        NULL;
    WHEN others THEN
        DELETE FROM public.verification WHERE identifier = SQLERRM;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_update_from() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE expert_network.campaigns c SET owner_email = u.email
    FROM public."user" u WHERE u.id = c.user_id;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_quoted_body() RETURNS void LANGUAGE plpgsql
AS 'BEGIN UPDATE public."user" SET name = ''hacked''; END';
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_upper_lang() RETURNS void LANGUAGE PLPGSQL AS $x$
BEGIN
    DELETE FROM public.account;
END
$x$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_quoted_lang() RETURNS void AS $$
BEGIN
    DELETE FROM public.account;
END
$$ LANGUAGE 'plpgsql';
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_search_path() RETURNS void LANGUAGE plpgsql
SET search_path = public, pg_catalog
AS $$
BEGIN
    RAISE NOTICE 'hello';
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_nextval() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    RETURN nextval('public.project_id_seq');
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.pl_regclass() RETURNS oid LANGUAGE plpgsql AS $$
DECLARE
    v oid := 'public.session'::regclass;
BEGIN
    RETURN v;
END;
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.on_campaign_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.account (id, "userId", "providerId", "accountId")
    VALUES (gen_random_uuid()::text, NEW.user_id, 'expert_network', NEW.id::text);
    RETURN NEW;
END;
$$;
-- refuse: touches-public
CREATE PROCEDURE expert_network.pl_procedure() LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM public.session WHERE "expiresAt" < now();
END;
$$;

-- refuse: unqualified-name
CREATE FUNCTION expert_network.pl_unq_if() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM campaigns) THEN
        RETURN true;
    END IF;
    RETURN false;
END;
$$;
-- refuse: unqualified-name
CREATE FUNCTION expert_network.pl_unq_for() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM experts LOOP
        RAISE NOTICE '%', r;
    END LOOP;
END;
$$;
-- refuse: unqualified-name
CREATE FUNCTION expert_network.pl_unq_return_query() RETURNS SETOF uuid LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY SELECT id FROM interviews;
END;
$$;
-- refuse: unqualified-name
CREATE FUNCTION expert_network.pl_unq_perform() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM team_members;
END;
$$;
-- refuse: unqualified-name
CREATE FUNCTION expert_network.pl_unq_assign() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    n := (SELECT count(*) FROM campaigns);
    RETURN n;
END;
$$;
-- refuse: unqualified-name
CREATE FUNCTION expert_network.pl_unq_handler() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO expert_network.audit_log (action) VALUES ('try');
EXCEPTION
    WHEN others THEN
        INSERT INTO audit_log (action) VALUES (SQLERRM);
END;
$$;
-- refuse: unqualified-name
CREATE FUNCTION expert_network.pl_unq_search_path() RETURNS bigint LANGUAGE plpgsql
SET search_path = expert_network, pg_catalog
AS $$
BEGIN
    RETURN (SELECT count(*) FROM campaigns);
END;
$$;
-- refuse: unqualified-name
CREATE FUNCTION expert_network.pl_unq_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO campaign_history (campaign_id, changed_at) VALUES (NEW.id, now());
    RETURN NEW;
END;
$$;
-- refuse: unqualified-name
CREATE FUNCTION expert_network.pl_unq_type() RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
    v campaigns.id%TYPE;
BEGIN
    RETURN v;
END;
$$;
-- refuse: unqualified-name
CREATE FUNCTION expert_network.pl_unq_declare() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint := (SELECT count(*) FROM experts);
BEGIN
    RETURN n;
END;
$$;

-- refuse: outside-schema
CREATE FUNCTION expert_network.pl_other_schema() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO chat.messages (body) VALUES ('hi');
END;
$$;
-- refuse: tracker-table
CREATE FUNCTION expert_network.pl_tracker() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE public.schema_migrations SET applied_at = now();
END;
$$;
-- refuse: session-state
CREATE FUNCTION expert_network.pl_set() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    SET search_path = expert_network, pg_catalog;
END;
$$;
-- refuse: file-access
CREATE FUNCTION expert_network.pl_file() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RETURN pg_read_file('/etc/passwd');
END;
$$;
-- refuse: roles
CREATE FUNCTION expert_network.pl_role() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    CREATE ROLE en_escalate SUPERUSER;
END;
$$;
-- refuse: ownership
CREATE FUNCTION expert_network.pl_owned() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DROP OWNED BY en_app;
END;
$$;

-- Allowed: the same shapes over expert_network and the catalogs.
CREATE FUNCTION expert_network.pl_ok() RETURNS integer LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
    r record;
    n integer := 0;
    v expert_network.campaigns.id%TYPE;
BEGIN
    FOR r IN SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relnamespace = 'expert_network'::regnamespace LOOP
        n := n + 1;
    END LOOP;
    IF EXISTS (SELECT 1 FROM information_schema.tables t WHERE t.table_schema = 'public') THEN
        RAISE NOTICE 'public schema has tables (read only)';
    END IF;
    SELECT c.id INTO v FROM expert_network.campaigns c LIMIT 1;
    RETURN n;
END;
$$;
