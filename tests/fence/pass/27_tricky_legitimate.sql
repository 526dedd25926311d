-- Pass corpus 27: legitimate patterns today's fence refuses (issue 11's bug list): trigger transition
-- tables, unqualified catalog relations, temporary tables at the top level and in a function, a
-- PL/pgSQL INTO with several targets one of an expert_network type, FOR UPDATE OF an alias, NOTIFY in
-- a trigger body, tsvector_update_trigger named both ways, a constant EXECUTE in a DO block, and a
-- function's SET search_path = ''.
CREATE TABLE expert_network.pp_notes (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title  text NOT NULL,
    body   text,
    search tsvector
);

CREATE TABLE expert_network.pp_notes_audit (
    note_id bigint NOT NULL,
    op      text   NOT NULL,
    at      timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION expert_network.pp_notes_audit_rows() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    INSERT INTO expert_network.pp_notes_audit (note_id, op)
    SELECT n.id, TG_OP FROM new_rows AS n;
    NOTIFY pp_notes_changed;
    RETURN NULL;
END
$$;

CREATE TRIGGER pp_notes_audit AFTER INSERT ON expert_network.pp_notes
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION expert_network.pp_notes_audit_rows();

CREATE TRIGGER pp_notes_search BEFORE INSERT OR UPDATE ON expert_network.pp_notes
    FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger(search, 'pg_catalog.english', title, body);

CREATE TABLE expert_network.pp_notes2 (LIKE expert_network.pp_notes INCLUDING DEFAULTS);
ALTER TABLE expert_network.pp_notes2 ALTER COLUMN id DROP IDENTITY IF EXISTS;

CREATE TRIGGER pp_notes2_search BEFORE INSERT OR UPDATE ON expert_network.pp_notes2
    FOR EACH ROW EXECUTE FUNCTION pg_catalog.tsvector_update_trigger(search, 'pg_catalog.english', title, body);

-- A temporary table at the top level of the migration.
CREATE TEMPORARY TABLE pp_import (title text) ON COMMIT DROP;
INSERT INTO pp_import VALUES ('first'), ('second');
INSERT INTO pg_temp.pp_import VALUES ('third');
INSERT INTO expert_network.pp_notes (title) SELECT i.title FROM pp_import AS i;

-- A temporary table created and used inside a function.
CREATE FUNCTION expert_network.pp_dedupe_titles() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_count integer;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS pp_seen (title text PRIMARY KEY) ON COMMIT DROP;
    INSERT INTO pp_seen SELECT DISTINCT n.title FROM expert_network.pp_notes AS n ON CONFLICT DO NOTHING;
    SELECT count(*) INTO v_count FROM pp_seen;
    RETURN v_count;
END
$$;
SELECT expert_network.pp_dedupe_titles();

-- Several INTO targets, one of an expert_network type.
CREATE TYPE expert_network.pp_note_kind AS ENUM ('memo', 'call');
ALTER TABLE expert_network.pp_notes ADD COLUMN kind expert_network.pp_note_kind NOT NULL DEFAULT 'memo';
CREATE FUNCTION expert_network.pp_first_kind(OUT k expert_network.pp_note_kind, OUT c bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_kind  expert_network.pp_note_kind;
    v_count bigint;
BEGIN
    SELECT x.kind, count(*) OVER () INTO v_kind, v_count FROM expert_network.pp_notes AS x ORDER BY x.id LIMIT 1;
    k := v_kind;
    c := v_count;
END
$$;
SELECT * FROM expert_network.pp_first_kind();

-- FOR UPDATE OF an alias, and unqualified catalog relations.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT n.id FROM expert_network.pp_notes AS n ORDER BY n.id FOR UPDATE OF n LOOP
        UPDATE expert_network.pp_notes SET body = coalesce(body, '') WHERE id = r.id;
    END LOOP;
    PERFORM 1 FROM pg_tables WHERE schemaname = 'expert_network' AND tablename = 'pp_notes';
    PERFORM 1 FROM pg_roles WHERE rolname = current_user;
    PERFORM 1 FROM pg_inherits WHERE inhparent = 'expert_network.pp_notes'::regclass;
    PERFORM 1 FROM pg_rewrite WHERE ev_class = 'pg_rewrite'::regclass;
END
$$;

-- A constant EXECUTE in a DO block is an ordinary statement.
DO $$
BEGIN
    EXECUTE 'CREATE INDEX pp_notes_title_idx ON expert_network.pp_notes (title)';
END
$$;

-- Aggregates and an operator over functions that take no names: a definition's functions are judged as
-- calls whose arguments the fence never sees, and these are safe whatever they are given.
CREATE AGGREGATE expert_network.pp_array_cat_agg(anycompatiblearray) (SFUNC = array_cat, STYPE = anycompatiblearray);
CREATE FUNCTION expert_network.pp_first_agg(anyelement, anyelement) RETURNS anyelement
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT $1';
CREATE AGGREGATE expert_network.pp_first(anyelement) (SFUNC = expert_network.pp_first_agg, STYPE = anyelement, PARALLEL = SAFE);
CREATE OPERATOR expert_network.<-> (leftarg = int, rightarg = int, function = pg_catalog.int4mi);
CREATE OPERATOR expert_network.=~= (leftarg = int, rightarg = int, function = int4eq, restrict = eqsel, join = eqjoinsel);
SELECT expert_network.pp_first(x ORDER BY x), 7 OPERATOR(expert_network.<->) 2 FROM generate_series(3, 1, -1) AS x;
