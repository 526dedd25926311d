-- Refuse corpus 23: the fence must use PostgreSQL's own lexer. Comments and literals that
-- mention public are allowed; real statements that a naive scanner would think are inside a
-- string or comment (E'' escapes, standard-conforming '\', nested /* */ comments, dollar tags)
-- must still be refused.

-- Allowed: public only inside comments and literals.
SELECT 'DELETE FROM public.session' AS not_sql;
SELECT $$DROP SCHEMA public CASCADE$$ AS dollar_text;
SELECT $q$ public."user" $q$ AS tagged_text;
SELECT $public$ a dollar tag named public $public$ AS tag_is_not_a_name;
SELECT E'it\'s public.user' AS escaped;
/* DELETE FROM public.session; */
/* outer /* nested */ DELETE FROM public.session; still inside the outer comment */
SELECT 1 AS after_comments; -- DELETE FROM public.session;
COMMENT ON TABLE expert_network.campaigns IS 'Mirrors public."user" rows; see public.session';

-- A real statement after an E-string whose \' a naive scanner would take as the end.
SELECT E'\'' AS quote_char;
-- refuse: touches-public
DELETE FROM public.session; -- '

-- A real statement after a standard-conforming '\' (the backslash does not escape).
SELECT '\' AS backslash;
-- refuse: touches-public
DELETE FROM public.account; -- '

-- A real statement after a dollar literal that contains another tag.
SELECT $a$ $b$ $a$ AS nested_tag;
-- refuse: touches-public
DELETE FROM public.verification; -- $b$

-- refuse: touches-public
/* harmless */ DELETE FROM public."user";
-- refuse: touches-public
/* nested /* comment */ still comment */ TRUNCATE public.session;
-- refuse: touches-public
SELECT 'x' -- a trailing comment
  FROM public.session;
-- refuse: touches-public
SELECT 'public' AS word FROM public.chats;
-- refuse: touches-public
CREATE FUNCTION expert_network.lt_tag() RETURNS void LANGUAGE plpgsql AS $public$
BEGIN
    DELETE FROM public.session;
END
$public$;
-- refuse: touches-public
CREATE FUNCTION expert_network.lt_inner_dollar() RETURNS text LANGUAGE plpgsql AS $fn$
BEGIN
    RAISE NOTICE '%', $$ harmless $$;
    DELETE FROM public.session;
    RETURN $$done$$;
END
$fn$;
-- refuse: touches-public
CREATE FUNCTION expert_network.lt_body_comment() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    /* a comment */ DELETE FROM public.session; -- trailing
END
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.lt_body_string() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'it''s fine'; DELETE FROM public.account;
END
$$;
-- refuse: touches-public
CREATE FUNCTION expert_network.lt_body_estring() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE E'\''; DELETE FROM public.account; -- '
END
$$;

-- Allowed: bodies whose only mention of public is commented out or quoted.
CREATE FUNCTION expert_network.lt_ok1() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    /* DELETE FROM public.session; */
    RETURN;
END
$$;
CREATE FUNCTION expert_network.lt_ok2() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- DELETE FROM public.session;
    RAISE NOTICE 'DELETE FROM public.session is not run';
END
$$;
CREATE FUNCTION expert_network.lt_ok3() RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT /* public.user */ 'public.session' -- public.account
$$;
