-- Refuse corpus 45: a name given as text to a function that takes an object's name is looked up when
-- the server turns the text into the object, under the search_path of the session doing it. A bare
-- literal or one cast first to regclass becomes the oid when the statement is parsed (and a stored
-- default keeps that oid), but a literal typed as text first (`'s'::text`, the form of pre-8.1 dumps)
-- is looked up each time the expression runs, and a string body without its own search_path is parsed
-- when it is called: both, when the expression is kept (a default, a view, a check, a BEGIN ATOMIC
-- body) or the body is a string, in the sessions of the applications, whose path is "$user", public, where
-- the name expert_network's sequence has here is public.campaign_code_seq, the marketing app's.
-- Each refused statement is followed by a `-- proof:` query that runs the object the way such a
-- session does; run on PG 15 as the runner's superuser with `tests/fence/prove.py`, each proof printed
-- what the comment above it says (public's sequence moved, expert_network's not called).
-- Found by a hunt: before, every statement below passed `check` and applied through `up` (nothing
-- outside expert_network changes while the migration runs, so the guard sees nothing).

CREATE SEQUENCE expert_network.campaign_code_seq;

-- Reaches: public.campaign_code_seq moved by a column default, on each insert by an application.
-- refuse: unqualified-name
CREATE TABLE expert_network.lt_codes (note text, code bigint DEFAULT pg_catalog.nextval('campaign_code_seq'::text));
-- proof: SET LOCAL search_path = "$user", public; INSERT INTO expert_network.lt_codes (note) VALUES ('x') RETURNING code; SELECT last_value, (SELECT is_called FROM expert_network.campaign_code_seq) AS own_called FROM public.campaign_code_seq

-- Reaches: public.campaign_code_seq set to 4242 by a view, whenever an application reads it.
-- refuse: unqualified-name
CREATE VIEW expert_network.lt_reset AS SELECT pg_catalog.setval(text 'campaign_code_seq', 4242) AS v;
-- proof: SET LOCAL search_path = "$user", public; SELECT v FROM expert_network.lt_reset; SELECT last_value = 4242 FROM public.campaign_code_seq

-- Reaches: the same from a BEGIN ATOMIC body, bound when created but for the text it is given.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.lt_next() RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
    SELECT pg_catalog.setval(CAST('campaign_code_seq' AS varchar)::regclass, 4343);
END;
-- proof: SET LOCAL search_path = "$user", public; SELECT expert_network.lt_next(); SELECT last_value = 4343 FROM public.campaign_code_seq

-- Reaches: the same from a CHECK constraint, on each insert by an application.
-- refuse: unqualified-name
CREATE TABLE expert_network.lt_checked (n int CHECK (pg_catalog.setval('campaign_code_seq'::text, 4444) > 0));
-- proof: SET LOCAL search_path = "$user", public; INSERT INTO expert_network.lt_checked VALUES (1); SELECT last_value = 4444 FROM public.campaign_code_seq

-- Reaches: the same from an SQL string body: a bare literal too, since the body is parsed when called.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.lt_take() RETURNS bigint LANGUAGE sql AS $f$ SELECT pg_catalog.setval('campaign_code_seq', 4545) $f$;
-- proof: SET LOCAL search_path = "$user", public; SELECT expert_network.lt_take(); SELECT last_value = 4545 FROM public.campaign_code_seq

-- Reaches: the same from a trigger function, in the session of the application that writes the table.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.lt_stamp() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    PERFORM pg_catalog.setval('campaign_code_seq', 4646);
    RETURN NEW;
END
$f$;
-- proof: CREATE TABLE expert_network.lt_rows (id int); CREATE TRIGGER lt_stamp BEFORE INSERT ON expert_network.lt_rows FOR EACH ROW EXECUTE FUNCTION expert_network.lt_stamp(); SET LOCAL search_path = "$user", public; INSERT INTO expert_network.lt_rows VALUES (1); SELECT last_value = 4646 FROM public.campaign_code_seq

CREATE TABLE expert_network.project (id serial PRIMARY KEY);

-- Reaches: public.project_id_seq, the project app's, reset to 1 by a view: pg_get_serial_sequence takes
-- the table's name as text, a bare literal included, and looks it up when the view runs. The project
-- app's next insert then collides with its own rows.
-- refuse: unqualified-name
CREATE VIEW expert_network.lt_restart AS SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('project', 'id'), 1) AS v;
-- proof: SET LOCAL search_path = "$user", public; SELECT v FROM expert_network.lt_restart; SELECT last_value = 1 FROM public.project_id_seq

-- A statement that runs at once looks such a name up under the migration's path, now.
SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('project', 'id'), 1);

SELECT pg_catalog.nextval('campaign_code_seq'::text);

-- Bound where written (a bare literal or a regclass cast, stored as the oid), qualified, or under the
-- function's own path, the name reaches expert_network's sequence whoever runs it.
CREATE TABLE expert_network.lt_bound (a bigint DEFAULT pg_catalog.nextval('campaign_code_seq'), b bigint DEFAULT pg_catalog.nextval('campaign_code_seq'::regclass));

CREATE TABLE expert_network.lt_qualified (a bigint DEFAULT pg_catalog.nextval('expert_network.campaign_code_seq'::text));

CREATE FUNCTION expert_network.lt_own_path() RETURNS bigint LANGUAGE sql
    SET search_path = expert_network, pg_catalog, pg_temp AS $f$ SELECT nextval('campaign_code_seq'::text) $f$;

CREATE FUNCTION expert_network.lt_qualified_body() RETURNS bigint LANGUAGE sql
    AS $f$ SELECT pg_catalog.nextval('expert_network.campaign_code_seq') $f$;
