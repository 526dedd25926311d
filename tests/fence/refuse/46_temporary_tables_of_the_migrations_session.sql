-- Refuse corpus 46: a temporary table exists only in the session that made it. A migration's
-- temporary table is in the migration's session; a string body without its own search_path is parsed
-- when it is called, in the caller's session, which has no such table: there its unqualified name
-- finds the first table of that name on the caller's path, under an application's "$user", public
-- public.session, BetterAuth's. Each refused statement is followed by a `-- proof:` query that drops
-- the temporary table first (as another session never had it) and calls the function the way such a
-- session does; run on PG 15 as the runner's superuser with `tests/fence/prove.py`, each proof printed
-- what the comment above it says.
-- Found by a hunt: before, every statement below passed `check` and applied through `up` (the
-- migration itself writes only its temporary table, so the guard sees nothing).

CREATE TEMPORARY TABLE session (id text);

-- Reaches: public.session emptied (every user of the application signed out) by an SQL function.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.tt_forget() RETURNS void LANGUAGE sql AS 'DELETE FROM session';
-- proof: DROP TABLE pg_temp.session; SET LOCAL search_path = "$user", public; SELECT expert_network.tt_forget(); SELECT count(*) = 0 FROM public.session

-- Reaches: the same from a trigger function, when an application inserts into expert_network's table.
-- refuse: unqualified-name
CREATE FUNCTION expert_network.tt_on_insert() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    DELETE FROM session WHERE true;
    RETURN NEW;
END
$f$;
-- proof: DROP TABLE pg_temp.session; CREATE TABLE expert_network.tt_rows (id int); CREATE TRIGGER tt_on_insert AFTER INSERT ON expert_network.tt_rows FOR EACH ROW EXECUTE FUNCTION expert_network.tt_on_insert(); SET LOCAL search_path = "$user", public; INSERT INTO expert_network.tt_rows VALUES (1); SELECT count(*) = 0 FROM public.session

CREATE TEMPORARY SEQUENCE campaign_code_seq;

-- Reaches: public.campaign_code_seq, the marketing app's, moved by a default that names the
-- migration's temporary sequence as text (looked up on each insert, in the inserting session).
-- refuse: unqualified-name
CREATE TABLE expert_network.tt_codes (note text, code bigint DEFAULT pg_catalog.nextval('campaign_code_seq'::text));
-- proof: DROP SEQUENCE pg_temp.campaign_code_seq; SET LOCAL search_path = "$user", public; INSERT INTO expert_network.tt_codes (note) VALUES ('x') RETURNING code; SELECT last_value FROM public.campaign_code_seq

-- A temporary table the body makes itself, or one named pg_temp.x, is the caller's own.
CREATE FUNCTION expert_network.tt_own() RETURNS bigint LANGUAGE plpgsql AS $f$
BEGIN
    CREATE TEMPORARY TABLE IF NOT EXISTS tt_seen (id text) ON COMMIT DROP;
    RETURN (SELECT count(*) FROM tt_seen);
END
$f$;

CREATE FUNCTION expert_network.tt_qualified() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM pg_temp.session';
