-- Refuse corpus 139: definitions that wire built-in C functions together over a structure the server
-- passes between them as `internal`, or hand a support function values of a type it reads as
-- another. The server lets only a superuser make them (an aggregate of internal state, a text search
-- template or parser, an operator class), because it cannot check that one function's structure is
-- the one the next reads, or that a support function's types are the class's; the runner is a
-- superuser, so a migration's mismatched set is made, and its first use crashes the server: every
-- session of every application is cut off and the server runs crash recovery. Each case was run on
-- PG 15 as the runner's superuser, on a database with demo/public_apps.sql and sql/001-003 applied,
-- under the pinned search_path: the statement was taken, and the use its comment names ended with
-- "server closed the connection unexpectedly" and, in the server's log, "server process ... was
-- terminated by signal 11: Segmentation fault", "terminating any other active server processes".
-- Through `up`, case 1 with the call in the file: the migration's connection was lost mid-file (exit
-- 1, nothing recorded), and an application's session of raguser running meanwhile was terminated
-- with it; the database-side guard never ran. `tests/fence/prove.py` runs the definitions (each
-- proof prints the catalog row the server made) but never the crashing use.

CREATE TYPE expert_network.ck_level AS ENUM ('low', 'high');

-- Reaches: the server. `SELECT expert_network.ck_tags_agg(x) FROM (VALUES ('a'), ('b')) v(x)` read
-- array_agg's ArrayBuildState as json_agg's state and crashed the server (signal 11).
-- refuse: database-wide
CREATE AGGREGATE expert_network.ck_tags_agg(text) (SFUNC = pg_catalog.array_agg_transfn, STYPE = internal, FINALFUNC = pg_catalog.json_agg_finalfn);
-- proof: SELECT aggtransfn::text, aggfinalfn::text, aggtranstype::regtype::text FROM pg_aggregate WHERE aggfnoid = 'expert_network.ck_tags_agg'::regproc

-- Reaches: the server. A dictionary of it, `CREATE TEXT SEARCH DICTIONARY expert_network.ck_dict
-- (TEMPLATE = expert_network.ck_tpl)`, and `SELECT ts_lexize('expert_network.ck_dict', 'running')`
-- read the simple dictionary's structure as snowball's and crashed the server (signal 11).
-- refuse: database-wide
CREATE TEXT SEARCH TEMPLATE expert_network.ck_tpl (INIT = pg_catalog.dsimple_init, LEXIZE = pg_catalog.dsnowball_lexize);
-- proof: SELECT tmplinit::text, tmpllexize::text FROM pg_ts_template WHERE tmplname = 'ck_tpl'

-- Reaches: the server. With a table `expert_network.ck_notes (body text)` holding
-- `repeat(chr(1), 4) || 'abc'`, `CREATE INDEX ON expert_network.ck_notes USING gin (body
-- expert_network.ck_words_ops)` read the text as a tsvector of 16,843,009 entries and crashed the
-- server (signal 11; 'zzzz...' instead asked to allocate 16,438,776,784 bytes).
-- refuse: database-wide
CREATE OPERATOR CLASS expert_network.ck_words_ops FOR TYPE text USING gin AS
    OPERATOR 1 pg_catalog.@@ (tsvector, tsquery),
    FUNCTION 1 pg_catalog.bttextcmp(text, text),
    FUNCTION 2 pg_catalog.gin_extract_tsvector(tsvector, internal, internal),
    FUNCTION 3 pg_catalog.gin_extract_tsquery(tsvector, internal, smallint, internal, internal, internal, internal),
    FUNCTION 4 pg_catalog.gin_tsquery_consistent(internal, smallint, tsvector, integer, internal, internal, internal, internal),
    STORAGE text;
-- proof: SELECT amprocnum, amproc::text FROM pg_amproc p JOIN pg_opclass c ON c.opcfamily = p.amprocfamily WHERE c.opcname = 'ck_words_ops' ORDER BY 1

-- Reaches: the server. With `expert_network.ck_levels (l expert_network.ck_level)` holding 'low' and
-- 'high', `CREATE INDEX ON expert_network.ck_levels (l expert_network.ck_level_ops)` handed the enum's
-- oids, passed by value, to text's comparison as pointers and crashed the server (signal 11).
-- refuse: database-wide
CREATE OPERATOR CLASS expert_network.ck_level_ops FOR TYPE expert_network.ck_level USING btree AS
    OPERATOR 1 pg_catalog.< (anyenum, anyenum),
    FUNCTION 1 (expert_network.ck_level, expert_network.ck_level) pg_catalog.bttextcmp(text, text);
-- proof: SELECT amproclefttype::regtype::text, amproc::text FROM pg_amproc p JOIN pg_opclass c ON c.opcfamily = p.amprocfamily WHERE c.opcname = 'ck_level_ops'
