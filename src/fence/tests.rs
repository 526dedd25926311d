//! Unit tests of the fence: one `_ok` and one `_err` case per rule, beside the corpus in tests/fence.

use super::*;
use crate::files::lexer::line_of;

fn findings(sql: &str) -> Vec<(usize, &'static str)> {
    findings_tx(sql, false)
}

/// A migration file at `path` holding `text` as it is, with no directives read from it.
fn file_at(version: u64, path: &str, text: String, no_transaction: bool) -> Migration {
    Migration {
        version,
        name: "f".into(),
        file_name: path.into(),
        path: path.into(),
        text,
        placeholders: vec![],
        checksum: String::new(),
        no_transaction,
        allows: vec![],
        kind: Default::default(),
        directives: Default::default(),
        statements: Default::default(),
    }
}

fn findings_tx(sql: &str, no_transaction: bool) -> Vec<(usize, &'static str)> {
    let m = file_at(1, "001_t.sql", sql.into(), no_transaction);
    check(&m)
        .findings
        .into_iter()
        .map(|f| (f.line, f.rule.name()))
        .collect()
}

fn rules(sql: &str) -> Vec<&'static str> {
    let mut r: Vec<_> = findings(sql).into_iter().map(|f| f.1).collect();
    r.dedup();
    r
}

#[test]
fn qualified_expert_network_ok() {
    assert_eq!(rules("CREATE TABLE expert_network.t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), is_public boolean);"), Vec::<&str>::new());
    assert_eq!(
        rules(
            "SELECT c.relname FROM pg_catalog.pg_class c JOIN information_schema.tables t ON true;"
        ),
        Vec::<&str>::new()
    );
    assert_eq!(rules("-- public.user is BetterAuth's\nINSERT INTO expert_network.public_profiles (note) VALUES ('public.user');"), Vec::<&str>::new());
    assert_eq!(
        rules("WITH x AS (SELECT 1 AS a) SELECT * FROM x;"),
        Vec::<&str>::new()
    );
}

#[test]
fn public_err_in_every_spelling() {
    for sql in [
        "SELECT * FROM public.user;",
        "SELECT * FROM \"public\".\"user\";",
        "SELECT * FROM PUBLIC.session;",
        "SELECT * FROM U&\"\\0070ublic\".account;",
        "UPDATE expert_network.t SET a = 1 FROM public.session s WHERE s.id = t.id;",
        "WITH d AS (DELETE FROM public.session RETURNING *) SELECT * FROM d;",
        "CREATE TABLE expert_network.t (u text REFERENCES public.\"user\"(id));",
        "CREATE TABLE expert_network.t () INHERITS (public.chats);",
        "ALTER TABLE expert_network.t SET SCHEMA public;",
        "GRANT ALL ON SCHEMA public TO x;",
        "DROP SCHEMA public CASCADE;",
        "SELECT nextval('public.chats_id_seq');",
        "SELECT 'public.user'::regclass;",
    ] {
        assert!(
            rules(sql).contains(&"touches-public"),
            "{sql}: {:?}",
            rules(sql)
        );
    }
}

#[test]
fn unqualified_err() {
    assert_eq!(
        rules("CREATE TABLE campaigns (id int);"),
        vec!["unqualified-name"]
    );
    assert_eq!(
        rules("INSERT INTO experts VALUES (1);"),
        vec!["unqualified-name"]
    );
    assert_eq!(
        rules("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';"),
        vec!["unqualified-name"]
    );
}

#[test]
fn bodies_are_fenced() {
    let sql = "CREATE FUNCTION expert_network.f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM 1;\n  DELETE FROM public.session;\n  RETURN 1;\nEND $$;";
    assert_eq!(findings(sql), vec![(4, "touches-public")]);
    // A constant string is fenced like the statement it holds; a computed one cannot be.
    let sql = "DO $$\nBEGIN\n  EXECUTE 'DROP TABLE x';\nEND $$;";
    assert_eq!(findings(sql), vec![(3, "unqualified-name")]);
    let sql = "DO $$\nDECLARE t text := 'x';\nBEGIN\n  EXECUTE 'DROP TABLE ' || t;\nEND $$;";
    assert_eq!(findings(sql), vec![(4, "dynamic-sql")]);
    let sql = "CREATE FUNCTION expert_network.f() RETURNS int LANGUAGE sql AS $$ SELECT count(*) FROM chats $$;";
    assert_eq!(rules(sql), vec!["unqualified-name"]);
    let sql = "CREATE FUNCTION expert_network.f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM public.chats; END;";
    assert_eq!(rules(sql), vec!["touches-public"]);
    let trig = "CREATE FUNCTION expert_network.touch() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND $$;";
    assert_eq!(rules(trig), Vec::<&str>::new());
    let trig_bad = "CREATE FUNCTION expert_network.touch() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  INSERT INTO public.audit VALUES (NEW.id);\n  RETURN NEW;\nEND $$;";
    assert_eq!(findings(trig_bad), vec![(3, "touches-public")]);
    let path = "CREATE FUNCTION expert_network.f() RETURNS int LANGUAGE sql SET search_path = public AS 'SELECT 1';";
    assert_eq!(rules(path), vec!["touches-public"]);
}

/// A function created inside a DO block, a SQL function's body or a constant EXECUTE string is read
/// from its own text: read from the statement holding it, it held the same function again (a DO
/// block overflowed the stack; a SQL function's nested PL/pgSQL body went unread).
#[test]
fn functions_created_inside_bodies_are_read_from_their_own_text() {
    let plpgsql = "CREATE OR REPLACE FUNCTION expert_network.g() RETURNS int LANGUAGE plpgsql AS $b$\n  BEGIN RETURN 1; END $b$";
    let bad = "CREATE FUNCTION expert_network.g() RETURNS void LANGUAGE plpgsql AS $b$\n  BEGIN DELETE FROM public.chats; END $b$";
    let do_ok = format!("DO $$\nBEGIN\n  {plpgsql};\nEND $$;");
    assert_eq!(rules(&do_ok), Vec::<&str>::new());
    let do_bad = format!("DO $$\nBEGIN\n  {bad};\nEND $$;");
    assert_eq!(findings(&do_bad), vec![(4, "touches-public")]);
    let sql_bad =
        format!("CREATE FUNCTION expert_network.mk() RETURNS void LANGUAGE sql AS $$\n{bad}\n$$;");
    assert_eq!(findings(&sql_bad), vec![(3, "touches-public")]);
    let exec_ok = format!("DO $$\nBEGIN\n  EXECUTE '{plpgsql}';\nEND $$;");
    assert_eq!(rules(&exec_ok), Vec::<&str>::new());
    let two = format!("DO $$\nBEGIN\n  {plpgsql};\n  {bad};\nEND $$;");
    assert_eq!(findings(&two), vec![(6, "touches-public")]);
}

/// A function in pg_temp is the migration session's own: made, called and dropped by the
/// migration's statements, DO blocks and other temporary functions; refused where the call is kept
/// for later (a function body, a default), which would find the running session's pg_temp.
#[test]
fn temporary_functions_are_the_migration_sessions() {
    let make = "CREATE FUNCTION pg_temp.gen() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;\n";
    let ok = format!("{make}CREATE FUNCTION pg_temp.fix(x jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN jsonb_set(x, '{{id}}', to_jsonb(pg_temp.gen()));\nEND $$;\nUPDATE expert_network.t SET d = pg_temp.fix(d);\nDO $$ BEGIN PERFORM pg_temp.gen(); END $$;\nDROP FUNCTION pg_temp.fix(jsonb), pg_temp.gen;");
    assert_eq!(rules(&ok), Vec::<&str>::new());
    let kept = format!("{make}CREATE FUNCTION expert_network.keep() RETURNS text LANGUAGE sql AS $$ SELECT pg_temp.gen() $$;");
    assert_eq!(findings(&kept), vec![(2, "outside-schema")]);
    let default =
        format!("{make}ALTER TABLE expert_network.t ALTER COLUMN id SET DEFAULT pg_temp.gen();");
    assert_eq!(findings(&default), vec![(2, "outside-schema")]);
    assert_eq!(rules("SELECT pg_temp.nope();"), vec!["unknown-function"]);
    // The body is fenced like any other; a temporary function made by a kept body is not the session's.
    let bad = "CREATE FUNCTION pg_temp.bad() RETURNS void LANGUAGE sql AS $$ DELETE FROM public.chats $$;";
    assert_eq!(rules(bad), vec!["touches-public"]);
    let nested = "CREATE FUNCTION expert_network.mk() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  CREATE FUNCTION pg_temp.x() RETURNS int LANGUAGE sql AS 'SELECT 1';\nEND $$;";
    assert_eq!(findings(nested), vec![(3, "outside-schema")]);
    // Only functions: an aggregate, a table's DROP or a type there is no helper of this kind.
    assert_eq!(
        rules("CREATE AGGREGATE pg_temp.agg(int) (SFUNC = int4pl, STYPE = int);"),
        vec!["outside-schema"]
    );
    assert_eq!(rules("DROP TYPE pg_temp.x;"), vec!["outside-schema"]);
}

/// PL/pgSQL labels a function's outer block with its name: `calc.total := ...` assigns its OUT
/// parameter. libpg_query labelled it with the schema instead and the body could not be parsed.
#[test]
fn a_parameter_qualified_with_the_functions_name_is_assignable() {
    let ok = "CREATE FUNCTION expert_network.calc(n int) RETURNS TABLE (ns text, k int) LANGUAGE plpgsql AS $$\nBEGIN\n  calc.ns := 'a';\n  calc.k := calc.n;\n  RETURN NEXT;\nEND $$;";
    assert_eq!(rules(ok), Vec::<&str>::new());
    let quoted = "CREATE PROCEDURE \"expert_network\" . \"Calc\"(INOUT n int) LANGUAGE plpgsql AS $$\nBEGIN\n  \"Calc\".n := \"Calc\".n + 1;\nEND $$;";
    assert_eq!(rules(quoted), Vec::<&str>::new());
    // A name that is a keyword once alone, written in any case.
    let keyword = "CREATE FUNCTION expert_network.Create(OUT n int) LANGUAGE plpgsql AS $$\nBEGIN\n  \"create\".n := 1;\nEND $$;";
    assert_eq!(rules(keyword), Vec::<&str>::new());
    let bad = "CREATE FUNCTION expert_network.calc(OUT total bigint) LANGUAGE plpgsql AS $$\nBEGIN\n  calc.total := (SELECT count(*) FROM public.chats);\nEND $$;";
    assert_eq!(findings(bad), vec![(3, "touches-public")]);
}

/// A function, aggregate, procedure, type or domain the migrations made answers to its new name
/// after RENAME TO (its body was fenced under the old one); a rename in another schema makes nothing.
#[test]
fn renamed_functions_and_types_keep_being_the_migrations() {
    let sql = "CREATE FUNCTION expert_network.a() RETURNS text LANGUAGE sql AS 'SELECT 1::text';\nALTER FUNCTION expert_network.a RENAME TO b;\nALTER FUNCTION expert_network.b() RENAME TO c;\nCREATE DOMAIN expert_network.d1 AS text;\nALTER DOMAIN expert_network.d1 RENAME TO d2;\nCREATE TYPE expert_network.e1 AS ENUM ('x');\nALTER TYPE expert_network.e1 RENAME TO e2;\nCREATE TABLE expert_network.t (k d2 DEFAULT c(), e e2, f text DEFAULT expert_network.b());";
    assert_eq!(rules(sql), Vec::<&str>::new());
    let elsewhere = "ALTER TYPE other.e1 RENAME TO e3;\nCREATE TABLE expert_network.t (e e3);";
    assert_eq!(rules(elsewhere), vec!["outside-schema", "unqualified-name"]);
    assert_eq!(rules("SELECT never_made();"), vec!["unknown-function"]);
}

/// A field of a `%ROWTYPE` variable is an assignment target (`r.col := ...`); libpg_query read such a
/// variable as one without fields. The declared type is still judged as written.
#[test]
fn a_rowtype_variables_fields_are_assignable() {
    let ok = "CREATE FUNCTION expert_network.f(p uuid) RETURNS void LANGUAGE plpgsql AS $$\nDECLARE\n  r expert_network.t%ROWTYPE;\n  c pg_catalog.pg_class%ROWTYPE;\nBEGIN\n  r.id := p;\n  c.relname := 'x';\nEND $$;";
    assert_eq!(rules(ok), Vec::<&str>::new());
    let public = "CREATE FUNCTION expert_network.f() RETURNS void LANGUAGE plpgsql AS $$\nDECLARE\n  r public.chats%ROWTYPE;\nBEGIN\n  r.id := 1;\nEND $$;";
    assert_eq!(findings(public), vec![(3, "touches-public")]);
    let undeclared = "CREATE FUNCTION expert_network.f() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  nope.id := 1;\nEND $$;";
    assert_eq!(rules(undeclared), vec!["parse-error"]);
}

/// A regprocedure's text names argument types after the function (`f(expert_network.t[], int)`):
/// each is judged as a written type, the name as what precedes them.
#[test]
fn a_signature_in_a_name_literal_is_a_name_and_its_types() {
    let ok = "SELECT to_regprocedure('expert_network.f(expert_network.cmd[], character varying(10))'), 'expert_network.f(\"expert_network\".\"cmd\")'::regprocedure;";
    assert_eq!(rules(ok), Vec::<&str>::new());
    assert_eq!(
        rules("SELECT to_regprocedure('public.f(int)');"),
        vec!["touches-public"]
    );
    assert_eq!(
        rules("SELECT 'expert_network.f(public.t)'::regprocedure;"),
        vec!["touches-public"]
    );
    assert_eq!(
        rules("SELECT to_regprocedure('expert_network.f(a.b.c)');"),
        vec!["outside-schema"]
    );
}

#[test]
fn session_and_transaction_err() {
    assert_eq!(rules("SET search_path = public;"), vec!["session-state"]);
    assert_eq!(rules("SET LOCAL lock_timeout = '1s';"), Vec::<&str>::new());
    assert_eq!(
        rules("SELECT set_config('search_path', 'public', true);"),
        vec!["session-state"]
    );
    assert_eq!(rules("BEGIN;"), vec!["transaction-control"]);
    assert_eq!(rules("COMMIT;"), vec!["transaction-control"]);
    assert_eq!(rules("PREPARE p AS SELECT 1;"), vec!["dynamic-sql"]);
    assert_eq!(
        rules("COPY expert_network.t FROM '/etc/passwd';"),
        vec!["file-access"]
    );
    assert_eq!(rules("DROP OWNED BY raguser;"), vec!["ownership"]);
    assert_eq!(
        rules("ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO x;"),
        vec!["default-privileges"]
    );
    assert_eq!(
        rules("ALTER DEFAULT PRIVILEGES IN SCHEMA expert_network GRANT SELECT ON TABLES TO x;"),
        Vec::<&str>::new()
    );
    assert_eq!(
        rules("CREATE PUBLICATION p FOR ALL TABLES;"),
        vec!["database-wide"]
    );
    assert_eq!(
        rules("ALTER ROLE x SET search_path = public;"),
        vec!["session-state"]
    );
    assert_eq!(rules("CREATE ROLE x NOLOGIN;"), Vec::<&str>::new());
    assert_eq!(rules("CREATE ROLE x SUPERUSER;"), vec!["roles"]);
    assert_eq!(
        rules("GRANT SELECT ON ALL TABLES IN SCHEMA expert_network TO x;"),
        Vec::<&str>::new()
    );
}

#[test]
fn tracker_and_catalog_writes() {
    assert_eq!(
        rules("DELETE FROM public.schema_migrations;"),
        vec!["tracker-table"]
    );
    assert_eq!(
        rules("UPDATE pg_catalog.pg_class SET relname = 'x';"),
        vec!["outside-schema"]
    );
    assert_eq!(
        rules("CREATE TABLE other_app.t (id int);"),
        vec!["outside-schema"]
    );
}

#[test]
fn concurrently_needs_no_transaction() {
    let sql = "CREATE INDEX CONCURRENTLY i ON expert_network.t (a);";
    assert_eq!(rules(sql), vec!["concurrent-in-transaction"]);
    assert!(findings_tx(sql, true).is_empty());
}

#[test]
fn unparsable_and_meta_commands() {
    assert_eq!(rules("SELEC 1;"), vec!["parse-error"]);
    assert_eq!(rules("\\i other.sql\nSELECT 1;"), vec!["psql-meta-command"]);
    assert_eq!(rules("LISTEN x;"), vec!["unknown-statement"]);
}

#[test]
fn lines_point_at_the_statement() {
    let f = findings("SELECT 1;\n\n-- comment\nSELECT *\nFROM public.user;");
    assert_eq!(f, vec![(5, "touches-public")]);
}

#[test]
fn shipped_migrations_pass() {
    let p = crate::files::migration::Placeholders::default();
    for mut m in crate::files::source::load(&crate::files::source::Source::Embedded).unwrap() {
        let text = p.substitute(&m.text).unwrap();
        m.replace_text(text);
        let r = check(&m);
        assert!(r.findings.is_empty(), "{}: {:#?}", m.file_name, r.findings);
    }
}

/// The corpus in tests/fence: every statement annotated `-- refuse: RULE` must get that rule; every
/// statement without an annotation must get nothing, in refuse and pass files alike.
#[test]
fn corpus() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fence");
    let mut failures = Vec::new();
    let mut checked = 0;
    // The pass files are one migration history (fence_db applies them in order): names they create
    // resolve in every file, as `check` resolves names against every migration.
    let mut pass: Vec<_> = std::fs::read_dir(root.join("pass"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pass.sort();
    let history: Vec<String> = pass
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let history_model =
        std::sync::LazyLock::new(|| Model::build(history.iter().map(String::as_str)));
    for kind in ["refuse", "pass"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(kind))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let m = Migration::from_bytes(
                1,
                "t".into(),
                name.clone(),
                name.clone(),
                text.clone().into_bytes(),
            )
            .unwrap();
            // A pass file is in the history already, as `check --dir` models it once: one model
            // serves them all. A refuse file joins the history as one more migration. (Modelling a
            // pass file twice made its second copy's renames meet the first's objects:
            // graphile-worker's view renamed onto the table it reads looked like a cycle that no
            // real directory has.)
            let own;
            let model = if kind == "pass" {
                &*history_model
            } else {
                own = Model::build(history.iter().map(String::as_str).chain([text.as_str()]));
                &own
            };
            let report = check_in(model, &m);
            for (index, stmt) in split(&text).into_iter().enumerate() {
                let lead_end = stmt.sql.len()
                    - stmt
                        .sql
                        .trim_start_matches(|c: char| c.is_whitespace())
                        .len();
                let expected: Vec<&str> = stmt
                    .sql
                    .lines()
                    .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with("--"))
                    .filter_map(|l| l.trim().strip_prefix("-- refuse:").map(str::trim))
                    .collect();
                let _ = lead_end;
                let mine: Vec<&Finding> = report
                    .findings
                    .iter()
                    .filter(|f| f.statement == index)
                    .collect();
                let found: Vec<&str> = mine.iter().map(|f| f.rule.name()).collect();
                let line = line_of(
                    text.as_bytes(),
                    stmt.offset + stmt.sql.len() - stmt.sql.trim_start().len(),
                );
                let first_code_line = stmt
                    .sql
                    .lines()
                    .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
                    .unwrap_or("")
                    .trim();
                checked += 1;
                // A broken statement leaves fragments (`END`, `$$`) that are refused on their own.
                let fragments_expected = name.starts_with("20_parse_errors");
                if expected.is_empty() && !found.is_empty() && !fragments_expected {
                    failures.push(format!("{kind}/{name}:{line}: expected nothing, got {:?}: {:?} | {first_code_line}", found, mine.iter().map(|f| &f.message).collect::<Vec<_>>()));
                }
                for e in &expected {
                    if !found.contains(e) {
                        failures.push(format!(
                            "{kind}/{name}:{line}: expected {e}, got {found:?} | {first_code_line}"
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} statements in the corpus");
    assert!(
        failures.is_empty(),
        "{} of {checked} corpus statements misjudged:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn lexical_split_keeps_quotes_whole() {
    let split = |sql| -> Vec<&str> {
        super::lexical_split(sql)
            .into_iter()
            .map(str::trim)
            .collect()
    };
    let sql = "SELECT 'a;b'; SELECT E'\\';'; SELECT $x$ ; $x$; /* ; /* ; */ */ SELECT \"c;d\"; SELECT 1abc";
    assert_eq!(
        split(sql),
        vec![
            "SELECT 'a;b'",
            "SELECT E'\\';'",
            "SELECT $x$ ; $x$",
            "/* ; /* ; */ */ SELECT \"c;d\"",
            "SELECT 1abc"
        ]
    );
    // Doubled quotes, a backslash at the very end of an E string, quotes that never close.
    let sql = "SELECT 'it''s;'; SELECT \"a\"\";b\"; SELECT E'\\\\'; SELECT 'open;";
    assert_eq!(
        split(sql),
        vec![
            "SELECT 'it''s;'",
            "SELECT \"a\"\";b\"",
            "SELECT E'\\\\'",
            "SELECT 'open;"
        ]
    );
    assert_eq!(super::lexical_split("SELECT E'\\").len(), 1);
}

#[test]
fn begin_atomic_is_found_in_any_case_and_only_as_words() {
    assert!(super::opens_begin_atomic(
        "CREATE FUNCTION expert_network.f() RETURNS int LANGUAGE sql BeGiN AtOmIc SELECT 1"
    ));
    assert!(!super::opens_begin_atomic("SELECT 'atomic'"));
    assert!(!super::opens_begin_atomic("SELECT 1 -- atomi"));
    assert!(!super::opens_begin_atomic("BEGIN ATOMICITY"));
    assert!(super::opens_begin_atomic(
        "-- a comment\n/* and /* a nested */ one */ create procedure expert_network.p() begin atomic select 1"
    ));
    assert!(!super::opens_begin_atomic(
        "INSERT INTO expert_network.t VALUES ('begin atomic')"
    ));
}

/// A BEGIN ATOMIC that never ends is refused, and every statement after it is still judged on its
/// own (the search for its end is bounded, so such a file costs no more than any other).
#[test]
fn an_unclosed_begin_atomic_does_not_swallow_the_file() {
    let mut sql = String::from(
        "CREATE FUNCTION expert_network.f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;\n",
    );
    for i in 0..1200 {
        if i == 700 {
            sql += "DROP TABLE public.chats;\n";
        } else {
            sql += &format!("CREATE TABLE expert_network.t{i} (id int);\n");
        }
    }
    let found = findings(&sql);
    assert!(found.contains(&(1, "parse-error")), "{found:?}");
    assert!(found.contains(&(702, "touches-public")), "{found:?}");
}

/// `up` fences on two threads (libpg_query keeps its parser state per thread): the corpus, many times
/// over and as one large file, must get exactly the findings it gets on one thread, in the same order.
#[test]
fn a_literal_row_with_a_name_cast_to_regclass_is_judged_as_the_full_walk_judges_it() {
    // Literal rows otherwise take the fast path; a cast whose input is a name must not.
    let row = "INSERT INTO expert_network.t VALUES ('public.users'::regclass);";
    let walked = "INSERT INTO expert_network.t VALUES ('public.users'::regclass) RETURNING 1;";
    assert_eq!(rules(row), rules(walked));
    assert_eq!(rules(row), vec!["touches-public"]);
}

#[test]
fn a_write_through_a_view_named_past_63_bytes_takes_the_full_walk() {
    // The server cuts both names to the same 63 bytes: the INSERT fills the view.
    let long = format!("v{}", "x".repeat(69));
    let sql = format!(
        "CREATE VIEW expert_network.{long} AS SELECT nspname FROM pg_catalog.pg_namespace;\nINSERT INTO expert_network.{long} VALUES ('x');"
    );
    assert_eq!(findings(&sql), vec![(2, "outside-schema")]);
}

/// A routine one migration makes whose body may drop schema expert_network may be called by any
/// later statement of any later file: those files are judged with the schema possibly gone, as the
/// statements after it in its own file are (PG 15 through `up`: a later no-transaction file's
/// `SELECT expert_network.reset(); CREATE EXTENSION IF NOT EXISTS pg_trgm;` installed pg_trgm in
/// pg_catalog; refuse corpus 111).
#[test]
fn a_routine_that_may_drop_the_schema_leaves_it_possibly_gone_in_later_files() {
    let dropper = file_at(
        1,
        "001_f.sql",
        "CREATE FUNCTION expert_network.reset() RETURNS void LANGUAGE sql AS 'DROP SCHEMA expert_network CASCADE';".into(),
        false,
    );
    let later = file_at(
        2,
        "002_f.sql",
        "SELECT expert_network.reset();\nCREATE EXTENSION IF NOT EXISTS pg_trgm;".into(),
        true,
    );
    let got = |files: &[&Migration]| -> Vec<(usize, &'static str)> {
        check_in(&Model::of(files), &later)
            .findings
            .into_iter()
            .map(|f| (f.line, f.rule.name()))
            .collect()
    };
    assert_eq!(got(&[&dropper, &later]), vec![(2, "database-wide")]);
    let keeper = file_at(
        1,
        "001_f.sql",
        "CREATE FUNCTION expert_network.reset() RETURNS void LANGUAGE sql AS 'DROP TABLE expert_network.t';".into(),
        false,
    );
    assert_eq!(got(&[&keeper, &later]), vec![]);
}

#[test]
fn a_view_renamed_in_a_later_file_is_still_a_view_however_the_model_is_read() {
    // The model reads the heavier first file and the second in separate halves; the write through
    // the renamed view must still take the full walk, which refuses it.
    let file =
        |version: u64, text: String| file_at(version, &format!("00{version}_f.sql"), text, false);
    let first = file(
        1,
        format!(
            "{}CREATE VIEW expert_network.v AS SELECT nspname FROM pg_catalog.pg_namespace;",
            "-- the heavier half\n".repeat(64)
        ),
    );
    let second = file(
        2,
        "ALTER VIEW expert_network.v RENAME TO w;\nINSERT INTO expert_network.w VALUES ('x');"
            .into(),
    );
    let model = Model::of(&[&first, &second]);
    let got: Vec<_> = check_in(&model, &second)
        .findings
        .into_iter()
        .map(|f| (f.line, f.rule.name()))
        .collect();
    assert_eq!(got, vec![(2, "outside-schema")]);
}

#[test]
fn sharing_the_fence_between_threads_changes_nothing() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fence");
    let mut files: Vec<Migration> = Vec::new();
    for kind in ["refuse", "pass"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(kind))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).unwrap();
            let version = files.len() as u64 + 1;
            files.push(file_at(version, &p.display().to_string(), text, false));
        }
    }
    // One large file of legitimate statements, whose statements are shared out too.
    let pass: String = files
        .iter()
        .filter(|m| m.path.contains("/pass/"))
        .map(|m| m.text.as_str())
        .collect::<Vec<_>>()
        .join("\n;\n");
    let big = Migration {
        path: "big.sql".into(),
        text: pass.repeat(3),
        ..files[0].clone()
    };
    let mut items: Vec<&Migration> = Vec::new();
    for _ in 0..2 {
        items.extend(files.iter());
    }
    items.push(&big);
    // The model is read in two halves on two threads (this much text), then merged.
    let model = Model::of(&items);
    let one: Vec<_> = items.iter().map(|m| check_in(&model, m)).collect();
    let two = check_pending(&model, &items);
    assert!(items.iter().map(|m| m.text.len()).sum::<usize>() > 2 * SHARE_ABOVE);
    // The model read in one pass, in file order, gives the same reports.
    let in_order = Model::build(items.iter().map(|m| m.text.as_str()));
    let three: Vec<_> = items.iter().map(|m| check_in(&in_order, m)).collect();
    assert_eq!(one.len(), two.len());
    for ((a, b), c) in one.iter().zip(&two).zip(&three) {
        assert_eq!(a.findings, b.findings);
        assert_eq!(a.findings, c.findings);
        assert_eq!((a.statements, &a.ends), (b.statements, &b.ends));
    }
    assert!(two.iter().map(|r| r.findings.len()).sum::<usize>() > 1000);
}

mod fuzz {
    //! The fence never panics and never hangs, whatever it is fed: arbitrary text, SQL-like noise, and
    //! real statements cut at random points. Bounded: a fixed number of cases, run in CI.
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "SELECT ",
        "FROM ",
        "public.",
        "expert_network.",
        "\"public\"",
        "U&\"\\0070ublic\"",
        "user",
        " ",
        ";",
        "'",
        "''",
        "$$",
        "$a$",
        "E'\\''",
        "/*",
        "*/",
        "--",
        "\n",
        "(",
        ")",
        "BEGIN ATOMIC ",
        "END",
        "CREATE FUNCTION ",
        "DO ",
        "LANGUAGE plpgsql ",
        "AS ",
        "EXECUTE ",
        "WITH x AS (",
        "DELETE ",
        "INSERT INTO ",
        "VALUES (1)",
        "\\i ",
        "::regclass",
        "CREATE TABLE ",
        "ALTER ",
        "DROP ",
        "GRANT ",
        "ON ",
        "TO ",
        "x",
        "1",
        ",",
        ".",
        "*",
        "%ROWTYPE",
        "DECLARE ",
    ];

    fn check_text(text: &str) -> Report {
        check(&file_at(1, "001_f.sql", text.into(), false))
    }

    /// What every report must be, whatever the input: findings that point inside the text (each names
    /// a `Rule`, by its type), and text that is not only comments and semicolons judged as something.
    fn well_formed(text: &str, r: &Report) -> Result<(), TestCaseError> {
        let lines = text.split('\n').count();
        for f in &r.findings {
            prop_assert!(
                f.line >= 1 && f.line <= lines,
                "line {} of {lines}: {f:?}",
                f.line
            );
            prop_assert!(f.column >= 1, "{f:?}");
        }
        // Empty statements (`;`) are nothing; anything else is at least one statement or a refusal.
        if !crate::files::lexer::is_comment_only(&text.replace(';', " ")) {
            prop_assert!(
                r.statements > 0 || !r.findings.is_empty(),
                "text with code judged as nothing: {text:?}"
            );
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_text(s in "\\PC{0,200}") {
            well_formed(&s, &check_text(&s))?;
        }

        #[test]
        fn sql_like_noise(parts in proptest::collection::vec(proptest::sample::select(PIECES), 0..60)) {
            let text: String = parts.concat();
            let r = check_text(&text);
            well_formed(&text, &r)?;
            // Noise that is nothing but `public.` names in FROM position is always refused.
            let plain = format!("SELECT 1 FROM {}", parts.iter().filter(|p| **p == "public.").map(|_| "public.x").collect::<Vec<_>>().join(", "));
            if plain.contains("public.x") {
                prop_assert!(check_text(&plain).findings.iter().any(|f| f.rule == "touches-public"), "{plain}");
            }
        }

        #[test]
        fn corpus_statements_cut_anywhere(cut in 0usize..20000) {
            let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fence/refuse/06_plpgsql_bodies.sql")).unwrap();
            let mut at = cut.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let r = check_text(&text[..at]);
            well_formed(&text[..at], &r)?;
            // A prefix of a file full of refusals is never accepted whole unless it holds no statement.
            if text[..at].contains("DELETE FROM public.session;") {
                prop_assert!(!r.findings.is_empty());
            }
        }
    }
}

/// src/fence/nodes.rs is what scripts/gen-nodes.py makes from the pg_query in Cargo.lock, so the walk
/// knows every node kind and field of the parser it links.
#[test]
fn generated_nodes_are_current() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("python3")
        .arg(root.join("scripts/gen-nodes.py"))
        .output()
        .expect("python3 runs scripts/gen-nodes.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = std::fs::read_to_string(root.join("src/fence/nodes.rs")).unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout) == committed,
        "src/fence/nodes.rs is stale: run `make gen-nodes`"
    );
}

/// Every PL/pgSQL statement kind libpg_query writes decodes into `plpgsql.rs`'s types (an unknown
/// field or kind would be refused, so each one must be known).
#[test]
fn plpgsql_every_statement_kind_decodes() {
    let body = r#"
CREATE PROCEDURE expert_network.p(a int, INOUT b int DEFAULT 0) LANGUAGE plpgsql AS $f$
DECLARE
  r record;
  x int := 1;
  arr int[] := ARRAY[1, 2];
  c CURSOR (k int) FOR SELECT k;
  d refcursor;
  n bigint;
BEGIN
  x := x + 1;
  IF x > 1 THEN NULL; ELSIF x < 0 THEN NULL; ELSE NULL; END IF;
  CASE x WHEN 1 THEN NULL; ELSE NULL; END CASE;
  LOOP EXIT WHEN x > 2; x := x + 1; END LOOP;
  WHILE x < 5 LOOP x := x + 1; CONTINUE; END LOOP;
  FOR i IN 1..3 BY 1 LOOP NULL; END LOOP;
  FOR r IN SELECT 1 AS v LOOP NULL; END LOOP;
  FOR r IN c(1) LOOP NULL; END LOOP;
  FOREACH x IN ARRAY arr LOOP NULL; END LOOP;
  FOR r IN EXECUTE 'SELECT 1' LOOP NULL; END LOOP;
  EXECUTE 'SELECT 1' INTO x;
  OPEN d FOR SELECT 1;
  FETCH d INTO x;
  MOVE d;
  CLOSE d;
  OPEN d FOR EXECUTE 'SELECT 1';
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM 1;
  SELECT 1 INTO STRICT x;
  RAISE NOTICE 'x %', x USING HINT = 'h';
  ASSERT x > 0, 'positive';
  CALL expert_network.q();
  COMMIT;
  ROLLBACK;
  b := 2;
EXCEPTION WHEN division_by_zero OR unique_violation THEN
  GET STACKED DIAGNOSTICS n = PG_EXCEPTION_CONTEXT;
END
$f$;
CREATE FUNCTION expert_network.f() RETURNS SETOF int LANGUAGE plpgsql AS $f$
BEGIN
  RETURN NEXT 1;
  RETURN QUERY SELECT 1;
  RETURN QUERY EXECUTE 'SELECT 1';
  RETURN;
END
$f$;
"#;
    let stmts = split(body);
    assert_eq!(stmts.len(), 2);
    for stmt in stmts {
        let parsed = parse::plpgsql(stmt.sql);
        assert!(parsed.is_ok(), "{}: {}", stmt.sql, parsed.unwrap_err());
    }
}

/// A PL/pgSQL statement kind or field the fence does not know is a decoding error, never skipped.
#[test]
fn plpgsql_unknown_shape_is_refused() {
    let kind = r#"[{"PLpgSQL_function":{"datums":[],"action":{"PLpgSQL_stmt_block":{"lineno":1,"body":[{"PLpgSQL_stmt_teleport":{"lineno":2}}]}}}}]"#;
    let field = r#"[{"PLpgSQL_function":{"datums":[],"action":{"PLpgSQL_stmt_block":{"lineno":1,"body":[{"PLpgSQL_stmt_perform":{"lineno":2,"target_elsewhere":1}}]}}}}]"#;
    let known = r#"[{"PLpgSQL_function":{"datums":[],"action":{"PLpgSQL_stmt_block":{"lineno":1,"body":[{"PLpgSQL_stmt_perform":{"lineno":2}}]}}}}]"#;
    for (json, ok) in [(kind, false), (field, false), (known, true)] {
        let decoded = serde_json::from_str::<Vec<plpgsql::Function>>(json);
        assert_eq!(decoded.is_ok(), ok, "{json}: {decoded:?}");
    }
}

#[test]
fn a_files_split_is_kept_with_it_and_forgotten_with_its_text() {
    let mut m = Migration::from_bytes(
        1,
        "t".into(),
        "001_t.sql".into(),
        "001_t.sql".into(),
        b"INSERT INTO expert_network.t VALUES (1);\nSELECT 1;\n".to_vec(),
    )
    .unwrap();
    {
        let first = statements(&m);
        assert_eq!(first.len(), 2);
        assert_eq!(first[0].literal_target().as_deref(), Some("t"));
        assert_eq!(first[1].literal_target(), None);
        // A second reader gets the kept answer (borrowed from the split); a fresh split asks anew.
        let again = statements(&m);
        assert!(matches!(
            again[0].literal_target(),
            Some(std::borrow::Cow::Borrowed("t"))
        ));
        assert!(matches!(
            split(&m.text)[0].literal_target(),
            Some(std::borrow::Cow::Owned(_))
        ));
    }
    m.replace_text("INSERT INTO public.x VALUES (1);".into());
    let now = statements(&m);
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].literal_target(), None);
    // A copy given another text splits that text, not the original's kept split.
    let copy = Migration {
        text: "SELECT 2; SELECT 3; SELECT 4;".into(),
        ..m.clone()
    };
    assert_eq!(statements(&copy).len(), 3);
}

#[test]
fn statements_are_named_in_their_sql_words() {
    use super::statements::sql_kind;
    assert_eq!(sql_kind("CreatePublicationStmt"), "CREATE PUBLICATION");
    assert_eq!(sql_kind("CreateEventTrigStmt"), "CREATE EVENT TRIGGER");
    assert_eq!(sql_kind("CreatedbStmt"), "CREATE DATABASE");
    assert_eq!(sql_kind("AlterFdwStmt"), "ALTER FOREIGN DATA WRAPPER");
}

#[test]
fn a_split_moved_to_another_text_is_not_read() {
    let m = Migration::from_bytes(
        1,
        "t".into(),
        "001_t.sql".into(),
        "001_t.sql".into(),
        b"INSERT INTO expert_network.t VALUES (1);".to_vec(),
    )
    .unwrap();
    assert_eq!(statements(&m)[0].literal_target().as_deref(), Some("t"));
    // Struct update without a clone moves the kept split along with every other field.
    let mut moved = Migration {
        text: "SELECT 1;\nINSERT INTO expert_network.t VALUES ((SELECT 1 FROM public.user));"
            .into(),
        ..m
    };
    let now = statements(&moved);
    assert_eq!(now.len(), 2);
    assert!(now[1].sql.contains("public.user") && now[1].literal_target().is_none());
    // So does a plain assignment, which skips `replace_text`.
    moved.text = "SELECT 2;".into();
    assert_eq!(statements(&moved)[0].sql, "SELECT 2");
}

#[test]
fn an_extension_without_schema_is_ours_only_where_expert_network_comes_first() {
    assert_eq!(findings("CREATE EXTENSION IF NOT EXISTS pgcrypto;"), vec![]);
    assert_eq!(
        findings("DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; END $$;"),
        vec![]
    );
    // Under a path whose first schema is pg_catalog it would land there.
    let r = findings("SET search_path = pg_catalog, expert_network;\nCREATE EXTENSION pg_trgm;");
    assert_eq!(r, vec![(2, "database-wide")]);
    // Not allowlisted: refused wherever it would land.
    assert_eq!(
        findings("CREATE EXTENSION dblink;"),
        vec![(1, "database-wide")]
    );
}

#[test]
fn an_extension_a_do_block_makes_is_ours_where_the_blocks_path_creates() {
    // Airflow's uuid7 helper: pgcrypto made in a DO block (inside IF and an exception block, as a
    // fallback may skip it), then its gen_random_bytes() called by a function of the migration.
    let airflow = "DO $$\nDECLARE ok BOOLEAN;\nBEGIN\n    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pgcrypto') THEN\n        BEGIN\n            CREATE EXTENSION pgcrypto;\n        EXCEPTION WHEN insufficient_privilege THEN ok := FALSE;\n        END;\n    END IF;\nEND $$;\nSELECT gen_random_bytes(10);";
    assert_eq!(findings(airflow), vec![]);
    assert_eq!(
        findings("SET search_path TO expert_network;\nDO $$ BEGIN CREATE EXTENSION pgcrypto; END $$;\nSELECT gen_random_bytes(10);"),
        vec![]
    );
    // Where the block's path creates elsewhere, or it names another schema, the extension is
    // refused and its functions stay unknown.
    assert_eq!(
        findings("SET search_path = pg_catalog, expert_network;\nDO $$ BEGIN CREATE EXTENSION pgcrypto; END $$;\nSELECT expert_network.gen_random_bytes(10);"),
        vec![(2, "database-wide"), (3, "unknown-function")]
    );
    let r = findings(
        "DO $$ BEGIN CREATE EXTENSION pgcrypto SCHEMA other; END $$;\nSELECT gen_random_bytes(10);",
    );
    assert!(r.contains(&(2, "unknown-function")), "{r:?}");
    // A function body's runs under its caller's path: it makes nothing known.
    let r = findings("CREATE FUNCTION expert_network.f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN CREATE EXTENSION pgcrypto; END $$;\nSELECT gen_random_bytes(10);");
    assert!(r.contains(&(2, "unknown-function")), "{r:?}");
}

#[test]
fn each_statement_runs_under_the_path_its_file_last_set_however_many_statements_it_has() {
    // Enough statements for several of check_with's blocks, the path changed twice in between.
    let filler = |n: usize| -> String {
        (0..n)
            .map(|i| format!("INSERT INTO expert_network.t (a) VALUES ({i});\n"))
            .collect()
    };
    let sql = format!(
        "CREATE TABLE expert_network.t (a int);\nCREATE EXTENSION pg_trgm;\n{}SET search_path = pg_catalog, expert_network;\n{}CREATE EXTENSION hstore;\nSET search_path = expert_network, pg_catalog;\n{}CREATE EXTENSION citext;\n",
        filler(700),
        filler(700),
        filler(700)
    );
    // Line 2 + 700 fillers + the SET + 700 fillers: the second extension is on line 1404.
    assert_eq!(findings(&sql), vec![(1404, "database-wide")]);

    let stmts = split(&sql);
    let paths = policy::paths(&stmts);
    let set = stmts
        .iter()
        .position(|s| s.sql.contains("pg_catalog, expert_network"))
        .unwrap();
    assert_eq!(
        paths.at(set),
        &policy::SearchPath::Pinned,
        "a SET holds from the next statement"
    );
    assert_ne!(paths.at(set + 1), &policy::SearchPath::Pinned);
    assert_eq!(paths.at(set + 1), paths.at(set + 700));
    assert_eq!(paths.at(stmts.len() - 1).creation(), Some("expert_network"));
}

/// A definer's call of expert_network's own function is accepted only where no overload another role
/// adds can match its arguments better: each cast to the declared parameter types, `int` and
/// `integer` alike; a defaulted parameter or an uncast argument leaves room for one.
#[test]
fn a_definers_call_of_its_schemas_function_casts_to_the_declared_types() {
    let made = "CREATE FUNCTION expert_network.f(a text, b integer) RETURNS text LANGUAGE sql SET search_path = '' AS $$ SELECT a $$;\n\
                CREATE FUNCTION expert_network.g(a text, b int DEFAULT 1) RETURNS text LANGUAGE sql SET search_path = '' AS $$ SELECT a $$;\n";
    let definer = |call: &str| {
        format!("{made}CREATE FUNCTION expert_network.d() RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ SELECT {call} $$;")
    };
    for ok in [
        "expert_network.f('x'::pg_catalog.text, CAST(1 AS integer))",
        // An integer literal that fits is int4 (`arg_types.rs`).
        "expert_network.f('x'::pg_catalog.text, 1)",
        // The whole list of a function with a default: another with it is ambiguous (PG 15).
        "expert_network.g('x'::pg_catalog.text, 1::int)",
    ] {
        assert_eq!(rules(&definer(ok)), Vec::<&str>::new(), "{ok}");
    }
    for call in [
        "expert_network.f('x'::pg_catalog.varchar, 1::int)",
        "expert_network.f('x', 1)",
        "expert_network.f(b => 1::int, a => 'x'::pg_catalog.text)",
    ] {
        assert_eq!(rules(&definer(call)), vec!["unqualified-name"], "{call}");
    }
}

/// An invoker a definer calls runs with the owner's rights, and so does whatever it calls in turn:
/// a call with arguments of expert_network's function, or an invoker whose path searches
/// expert_network, is refused at any depth; calls without arguments down to pg_catalog-only
/// leaves, a definer further down (its body is judged itself), and literals that are not SQL
/// are accepted. What the body's tokens cannot show (a Unicode-escaped name, EXECUTE) is refused.
#[test]
fn a_definers_calls_are_followed_through_invokers_at_any_depth() {
    let leaf = "CREATE FUNCTION expert_network.leaf() RETURNS text LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT pg_catalog.lower('It''s') $$;\n";
    let mid = |body: &str| {
        format!("{leaf}CREATE FUNCTION expert_network.mid() RETURNS text LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$ BEGIN {body} END $$;\n")
    };
    let definer = |made: &str, call: &str| {
        format!("{made}CREATE FUNCTION expert_network.d() RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ SELECT {call} $$;")
    };
    for ok in [
        definer(&mid("RETURN expert_network.leaf();"), "expert_network.mid()"),
        definer(&mid("RETURN 'a(b)';"), "expert_network.mid()"),
        definer(
            &format!("{}CREATE FUNCTION expert_network.leaf2() RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ SELECT expert_network.leaf() $$;\n{}",
                leaf,
                "CREATE FUNCTION expert_network.mid() RETURNS text LANGUAGE sql SET search_path = pg_catalog AS $$ SELECT expert_network.leaf2() $$;\n"),
            "expert_network.mid()",
        ),
    ] {
        assert_eq!(rules(&ok), Vec::<&str>::new(), "{ok}");
    }
    for body in [
        "RETURN expert_network.leaf2('x');",
        "RETURN \"expert_network\".\"leaf2\"(1);",
        "RETURN U&\"expert_network\".leaf();",
        "EXECUTE 'SELECT 1'; RETURN '';",
        "RETURN 'a' OPERATOR(expert_network.||) 'b';",
        "PERFORM expert_network.leaf(); DO $d$ BEGIN PERFORM expert_network.leaf2(1); END $d$; RETURN '';",
    ] {
        let made = format!("{}CREATE FUNCTION expert_network.leaf2(t text) RETURNS text LANGUAGE sql SET search_path = '' AS $$ SELECT t $$;\n", mid(body));
        assert_eq!(rules(&definer(&made, "expert_network.mid()")), vec!["unqualified-name"], "{body}");
    }
    // Deeper: an unpathed or expert_network-searching invoker two calls down; a renamed middle.
    let unpathed = "CREATE FUNCTION expert_network.open() RETURNS text LANGUAGE sql AS $$ SELECT lower('x') $$;\n";
    let made = format!("{unpathed}{}", mid("RETURN expert_network.open();"));
    assert_eq!(
        rules(&definer(&made, "expert_network.mid()")),
        vec!["unqualified-name"]
    );
    let renamed = format!(
        "{}ALTER FUNCTION expert_network.mid() RENAME TO mid2;\n",
        mid("RETURN expert_network.leaf2(1);")
    );
    let made = format!("{renamed}CREATE FUNCTION expert_network.leaf2(t text) RETURNS text LANGUAGE sql SET search_path = '' AS $$ SELECT t $$;\n");
    assert_eq!(
        rules(&definer(&made, "expert_network.mid2()")),
        vec!["unqualified-name"]
    );
}

/// An invoker's path set later by ALTER FUNCTION is the one it runs under when a definer calls it,
/// in whichever order the two statements come; a later path of pg_catalog alone changes nothing.
#[test]
fn an_invokers_path_altered_to_search_expert_network_is_judged_for_its_definers() {
    let invoker = "CREATE FUNCTION expert_network.inv() RETURNS text LANGUAGE sql SET search_path = pg_catalog AS $$ SELECT lower('x') $$;\n";
    let definer = "CREATE FUNCTION expert_network.d() RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ SELECT expert_network.inv() $$;\n";
    let alter =
        |path: &str| format!("ALTER FUNCTION expert_network.inv() SET search_path = {path};\n");
    for path in ["expert_network, pg_catalog", "pg_catalog, expert_network"] {
        let a = alter(path);
        assert_eq!(
            rules(&format!("{invoker}{definer}{a}")),
            vec!["unqualified-name"],
            "{a}"
        );
        assert_eq!(
            rules(&format!("{invoker}{a}{definer}")),
            vec!["unqualified-name"],
            "{a}"
        );
    }
    assert_eq!(
        rules(&format!(
            "{invoker}{definer}{}",
            alter("pg_catalog, pg_temp")
        )),
        Vec::<&str>::new()
    );
}

/// The triggers a write fires in an invoker that a definer calls run with the owner's rights too:
/// each way of writing the table is followed to its trigger function; a write of a table without
/// triggers, or whose trigger function's path is pg_catalog alone, is accepted.
#[test]
fn an_invokers_writes_fire_triggers_with_its_definers_rights() {
    let made = |trigger_path: &str, write: &str| {
        format!("CREATE TABLE expert_network.t (v text);\n\
                 CREATE TABLE expert_network.quiet (v text);\n\
                 CREATE FUNCTION expert_network.tf() RETURNS trigger LANGUAGE plpgsql SET search_path = {trigger_path} AS $$ BEGIN NEW.v := lower(NEW.v); RETURN NEW; END $$;\n\
                 CREATE TRIGGER tt BEFORE INSERT OR UPDATE OR DELETE ON expert_network.t FOR EACH ROW EXECUTE FUNCTION expert_network.tf();\n\
                 CREATE FUNCTION expert_network.w() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog AS $$ BEGIN {write}; END $$;\n\
                 CREATE FUNCTION expert_network.d() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ SELECT expert_network.w() $$;")
    };
    for write in [
        "INSERT INTO expert_network.t VALUES ('a')",
        "UPDATE ONLY \"expert_network\".T SET v = 'b'",
        "DELETE FROM expert_network.t",
        "TRUNCATE TABLE ONLY expert_network.t",
        "MERGE INTO expert_network.t AS x USING expert_network.quiet AS q ON true WHEN MATCHED THEN DELETE",
    ] {
        let sql = made("expert_network, pg_catalog", write);
        assert_eq!(rules(&sql), vec!["unqualified-name"], "{write}");
    }
    let quiet = made(
        "expert_network, pg_catalog",
        "INSERT INTO expert_network.quiet VALUES ('a')",
    );
    assert_eq!(rules(&quiet), Vec::<&str>::new());
    let safe = made(
        "pg_catalog, pg_temp",
        "INSERT INTO expert_network.t VALUES ('a')",
    );
    assert_eq!(rules(&safe), Vec::<&str>::new());
}

/// Every expression stored on a relation a definer writes runs with the owner's rights: a DEFAULT
/// (also one set later), a CHECK, a generated column, an index expression, a trigger's WHEN, a
/// column's domain's CHECK. Each calling an invoker whose path searches expert_network is refused;
/// stored expressions of pg_catalog's functions only, and invokers on pg_catalog alone, pass.
#[test]
fn a_definers_writes_run_the_expressions_stored_on_the_relation() {
    let f = "CREATE FUNCTION expert_network.f(t text) RETURNS text LANGUAGE sql SET search_path = expert_network, pg_catalog AS $$ SELECT lower(t) $$;\n\
             CREATE FUNCTION expert_network.safe(t text) RETURNS text LANGUAGE sql SET search_path = pg_catalog AS $$ SELECT lower(t) $$;\n\
             CREATE FUNCTION expert_network.tf() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$ BEGIN RETURN NEW; END $$;\n";
    let definer = "CREATE FUNCTION expert_network.d() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ INSERT INTO expert_network.t (v) VALUES ('a') $$;";
    for stored in [
        "CREATE TABLE expert_network.t (v text, w text DEFAULT expert_network.f('x'));",
        "CREATE TABLE expert_network.t (v text, w text); ALTER TABLE expert_network.t ALTER COLUMN w SET DEFAULT expert_network.f('x');",
        "CREATE TABLE expert_network.t (v text CHECK (expert_network.f(v) <> ''));",
        "CREATE TABLE expert_network.t (v text, w text GENERATED ALWAYS AS (expert_network.f(v)) STORED);",
        "CREATE TABLE expert_network.t (v text); CREATE INDEX t_f ON expert_network.t (expert_network.f(v));",
        "CREATE TABLE expert_network.t (v text); CREATE TRIGGER tt BEFORE INSERT ON expert_network.t FOR EACH ROW WHEN (expert_network.f(NEW.v) <> '') EXECUTE FUNCTION expert_network.tf();",
        "CREATE DOMAIN expert_network.dm AS text CHECK (expert_network.f(VALUE) <> ''); CREATE TABLE expert_network.t (v expert_network.dm);",
    ] {
        let sql = format!("{f}{stored}\n{definer}");
        assert_eq!(rules(&sql), vec!["unqualified-name"], "{stored}");
    }
    for stored in [
        "CREATE TABLE expert_network.t (v text, at timestamptz DEFAULT now(), id uuid DEFAULT gen_random_uuid());",
        "CREATE TABLE expert_network.t (v text CHECK (expert_network.safe(v) <> ''));",
    ] {
        let sql = format!("{f}{stored}\n{definer}");
        assert_eq!(rules(&sql), Vec::<&str>::new(), "{stored}");
    }
}

/// A definer's write fires the triggers a relation kept through a rename, and those of the tables
/// whose foreign keys reference it (a cascade writes them), also added by ALTER TABLE; a table
/// that references nothing written is not followed.
#[test]
fn a_definers_writes_follow_renames_and_foreign_keys() {
    let trig = |on: &str| {
        format!("CREATE FUNCTION expert_network.tf() RETURNS trigger LANGUAGE plpgsql SET search_path = expert_network, pg_catalog AS $$ BEGIN PERFORM lower('x'); RETURN OLD; END $$;\n\
                 CREATE TRIGGER tt BEFORE DELETE ON expert_network.{on} FOR EACH ROW EXECUTE FUNCTION expert_network.tf();\n")
    };
    let definer = |rel: &str| {
        format!("CREATE FUNCTION expert_network.d() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ DELETE FROM expert_network.{rel} $$;")
    };
    let tables = "CREATE TABLE expert_network.p (id int PRIMARY KEY);\nCREATE TABLE expert_network.c (id int);\nCREATE TABLE expert_network.o (id int);\n";
    let fk = "ALTER TABLE expert_network.c ADD FOREIGN KEY (id) REFERENCES expert_network.p ON DELETE CASCADE;\n";
    let cases = [
        (
            format!("{tables}{fk}{}{}", trig("c"), definer("p")),
            vec!["unqualified-name"],
        ),
        (
            format!(
                "{tables}{}ALTER TABLE expert_network.o RENAME TO o2;\n{}",
                trig("o"),
                definer("o2")
            ),
            vec!["unqualified-name"],
        ),
        (format!("{tables}{fk}{}{}", trig("o"), definer("p")), vec![]),
    ];
    for (sql, want) in cases {
        assert_eq!(rules(&sql), want, "{sql}");
    }
}

#[test]
fn sequences_of_serial_and_identity_columns_are_expert_networks_ok() {
    // The server makes `t_id_seq` in the table's schema; harbor reads `last_value` from it unqualified.
    for column in [
        "id serial PRIMARY KEY",
        "id bigserial",
        "id SMALLSERIAL",
        "id int GENERATED ALWAYS AS IDENTITY",
    ] {
        assert_eq!(
            rules(&format!("CREATE TABLE expert_network.t ({column}, v text);\nSELECT last_value FROM t_id_seq;\nSELECT setval('t_id_seq', 5);")),
            Vec::<&str>::new(),
            "{column}"
        );
    }
    assert_eq!(rules("CREATE TABLE expert_network.t (v text);\nALTER TABLE expert_network.t ADD COLUMN n serial;\nSELECT last_value FROM t_n_seq;"), Vec::<&str>::new());
    assert_eq!(rules("CREATE TABLE expert_network.t (n int NOT NULL);\nALTER TABLE expert_network.t ALTER COLUMN n ADD GENERATED BY DEFAULT AS IDENTITY;\nSELECT last_value FROM t_n_seq;"), Vec::<&str>::new());
    assert_eq!(rules("CREATE TABLE expert_network.t (n int GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME expert_network.t_numbers));\nSELECT last_value FROM t_numbers;"), Vec::<&str>::new());
    // makeObjectName clips the longer name: 40 + 30 bytes leave 29 + 29.
    let (table, column) = ("a".repeat(40), "b".repeat(30));
    let seq = format!("{}_{}_seq", "a".repeat(29), "b".repeat(29));
    assert_eq!(
        rules(&format!(
            "CREATE TABLE expert_network.{table} ({column} serial);\nSELECT last_value FROM {seq};"
        )),
        Vec::<&str>::new()
    );
}

#[test]
fn sequences_of_other_schemas_tables_and_of_plain_columns_err() {
    // A serial column of another schema's table makes its sequence there, not in expert_network.
    assert!(
        rules("CREATE TABLE other.t (id serial);\nSELECT last_value FROM t_id_seq;")
            .contains(&"unqualified-name")
    );
    // `int` makes no sequence, and `some.serial` is a type named serial, not the keyword.
    assert!(
        rules("CREATE TABLE expert_network.t (id int);\nSELECT last_value FROM t_id_seq;")
            .contains(&"unqualified-name")
    );
    assert!(rules("CREATE TABLE expert_network.t (id expert_network.serial);\nSELECT last_value FROM t_id_seq;").contains(&"unqualified-name"));
    // An identity column whose sequence is named for another schema makes nothing in expert_network.
    assert!(rules("CREATE TABLE expert_network.t (n int GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME other.s));\nSELECT last_value FROM s;").contains(&"unqualified-name"));
    // A table created unqualified is refused, and its sequence made known by nothing.
    assert_eq!(
        rules("CREATE TABLE t (id serial);\nSELECT last_value FROM t_id_seq;"),
        vec!["unqualified-name"]
    );
    assert_eq!(
        findings("CREATE TABLE t (id serial);\nSELECT last_value FROM t_id_seq;").len(),
        2
    );
}

#[test]
fn sub_objects_on_expert_networks_unqualified_tables_ok() {
    // Lemmy's `DROP TRIGGER IF EXISTS refresh_comment ON comment`, Harbor's `DROP TRIGGER ... ON
    // replication_target`: the table resolves as `ALTER TABLE comment` does, to expert_network's.
    let t = "CREATE TABLE expert_network.r (id int, CONSTRAINT c CHECK (id > 0));\n";
    for sql in [
        "DROP TRIGGER IF EXISTS t_upd ON r;",
        "DROP POLICY IF EXISTS p ON r;",
        "DROP RULE IF EXISTS ru ON r;",
        "COMMENT ON COLUMN r.id IS 'x';",
        "COMMENT ON CONSTRAINT c ON r IS 'y';",
        "CREATE TEMP TABLE tt (a int);\nCOMMENT ON COLUMN tt.a IS 'z';",
    ] {
        assert_eq!(rules(&format!("{t}{sql}")), Vec::<&str>::new(), "{sql}");
    }
}

#[test]
fn sub_objects_on_tables_outside_expert_network_err() {
    let t = "CREATE TABLE expert_network.r (id int);\n";
    for (sql, rule) in [
        ("DROP TRIGGER x ON pg_class;".to_string(), "outside-schema"),
        ("COMMENT ON COLUMN pg_class.relname IS 'x';".into(), "outside-schema"),
        ("DROP TRIGGER x ON users;".into(), "unqualified-name"),
        ("DROP POLICY p ON public.users;".into(), "touches-public"),
        ("DROP TRIGGER x ON other.r;".into(), "outside-schema"),
        // A string body runs under its caller's path, where `r` may be public's.
        (format!("{t}CREATE FUNCTION expert_network.f() RETURNS void LANGUAGE sql AS $f$ DROP TRIGGER t ON r $f$;"), "unqualified-name"),
    ] {
        assert_eq!(rules(&sql), vec![rule], "{sql}");
    }
}

#[test]
fn owned_by_an_unqualified_table_of_expert_networks_ok() {
    // Synapse's and Concourse's schema dumps: `ALTER SEQUENCE ... OWNED BY instance_map.instance_id`.
    let t = "CREATE TABLE expert_network.m (id bigint);\n";
    assert_eq!(
        rules(&format!(
            "{t}CREATE SEQUENCE expert_network.m_id_seq OWNED BY m.id;"
        )),
        Vec::<&str>::new()
    );
    assert_eq!(
        rules(&format!(
            "{t}CREATE SEQUENCE expert_network.s;\nALTER SEQUENCE expert_network.s OWNED BY m.id;"
        )),
        Vec::<&str>::new()
    );
    assert_eq!(
        rules(&format!(
            "{t}CREATE SEQUENCE expert_network.s OWNED BY NONE;"
        )),
        Vec::<&str>::new()
    );
}

#[test]
fn owned_by_a_table_outside_expert_network_err() {
    for (table, rule) in [
        ("users", "unqualified-name"),
        ("pg_class", "outside-schema"),
        ("public.users", "touches-public"),
    ] {
        let sql = format!("CREATE SEQUENCE expert_network.s OWNED BY {table}.id;");
        assert_eq!(rules(&sql), vec![rule], "{sql}");
    }
}

/// A definer's write to a table on which the migrations let another role add triggers (TRIGGER or
/// ALL granted by name, on all tables of the schema, through default privileges in force when the
/// table is made, or the table given to that role) is refused, directly and through an invoker it
/// calls; a REVOKE of TRIGGER from that very role, or default privileges set after the table is
/// made or without TRIGGER, leave nothing to refuse. Sub-case after sub-case, the same definer.
#[test]
fn a_definers_writes_where_another_role_may_add_triggers() {
    let write = |grants: &str, body: &str| {
        format!(
            "CREATE TABLE expert_network.t (v text);\n{grants}\n\
             CREATE FUNCTION expert_network.w() RETURNS void LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ INSERT INTO expert_network.t VALUES ('a') $$;\n\
             CREATE FUNCTION expert_network.d() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ {body} $$;"
        )
    };
    let direct = "INSERT INTO expert_network.t VALUES ('a')";
    let through = "SELECT expert_network.w()";
    let defaults_first =
        |g: &str| format!("ALTER DEFAULT PRIVILEGES IN SCHEMA expert_network {g};");
    for grants in [
        "GRANT ALL ON ALL TABLES IN SCHEMA expert_network TO raguser;".to_string(),
        "GRANT SELECT, TRIGGER ON TABLE expert_network.t TO raguser;".to_string(),
        "GRANT ALL PRIVILEGES ON expert_network.t TO PUBLIC;".to_string(),
        "ALTER TABLE expert_network.t OWNER TO raguser;".to_string(),
        "REVOKE TRIGGER ON expert_network.t FROM raguser; GRANT ALL ON expert_network.t TO raguser;"
            .to_string(),
    ] {
        for body in [direct, through, "TRUNCATE expert_network.t", "DELETE FROM expert_network.t"] {
            // Through an invoker, the chain's refusal (`definer_calls_invoker`) says it.
            let rule = if body == through { "unqualified-name" } else { "ownership" };
            assert_eq!(rules(&write(&grants, body)), vec![rule], "{grants} {body}");
        }
    }
    let made_after = format!(
        "{}\n{}",
        defaults_first("GRANT ALL ON TABLES TO raguser"),
        write("", direct)
    );
    assert_eq!(rules(&made_after), vec!["ownership"]);
    for quiet in [
        write("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA expert_network TO raguser;", direct),
        write("GRANT ALL ON expert_network.t TO raguser; REVOKE TRIGGER ON expert_network.t FROM raguser;", through),
        write("GRANT ALL ON expert_network.t TO raguser; REVOKE GRANT OPTION FOR ALL ON expert_network.t FROM raguser; REVOKE ALL ON expert_network.t FROM raguser;", direct),
        write("GRANT ALL ON expert_network.t TO CURRENT_USER; ALTER TABLE expert_network.t OWNER TO SESSION_USER;", direct),
        write(&defaults_first("GRANT ALL ON TABLES TO raguser"), direct),
        format!("{}\n{}", defaults_first("GRANT SELECT ON TABLES TO raguser"), write("", direct)),
    ] {
        assert_eq!(rules(&quiet), Vec::<&str>::new(), "{quiet}");
    }
}

/// A definer's call of a function the migrations give to another role (ALTER FUNCTION / ROUTINE /
/// PROCEDURE ... OWNER TO), directly, two calls down, or as the trigger of what it writes, is
/// refused: that role may replace the body. Given back to the runner's own spelling, it is not.
#[test]
fn a_definers_calls_of_functions_given_to_another_role() {
    let sql = |owner: &str, body: &str| {
        format!(
            "CREATE TABLE expert_network.t (v text);\n\
             CREATE FUNCTION expert_network.f() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$ BEGIN RETURN NEW; END $$;\n\
             CREATE TRIGGER tt BEFORE INSERT ON expert_network.t FOR EACH ROW EXECUTE FUNCTION expert_network.f();\n\
             CREATE FUNCTION expert_network.g() RETURNS int LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;\n\
             CREATE FUNCTION expert_network.h() RETURNS int LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT expert_network.g() $$;\n\
             ALTER FUNCTION expert_network.g() OWNER TO {owner};\n\
             ALTER ROUTINE expert_network.f() OWNER TO {owner};\n\
             CREATE FUNCTION expert_network.d() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ {body} $$;"
        )
    };
    let cases = [
        ("SELECT expert_network.g()", "ownership"),
        ("SELECT expert_network.h()", "unqualified-name"),
        ("INSERT INTO expert_network.t VALUES ('a')", "ownership"),
    ];
    for (body, rule) in cases {
        assert_eq!(rules(&sql("raguser", body)), vec![rule], "{body}");
        assert_eq!(
            rules(&sql("CURRENT_USER", body)),
            Vec::<&str>::new(),
            "{body}"
        );
    }
}

/// Where the migrations give schema expert_network to another role, every SECURITY DEFINER
/// function with a string body is refused: the schema's owner may drop and make again what it
/// names. A BEGIN ATOMIC body depends on what it names and is not; the schema given back to the
/// runner's own spelling, or another schema, leaves nothing to refuse.
#[test]
fn definers_where_the_schema_is_given_to_another_role() {
    let definer = "CREATE FUNCTION expert_network.d() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;";
    let atomic = "CREATE FUNCTION expert_network.a() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp BEGIN ATOMIC SELECT 1; END;";
    let give = "ALTER SCHEMA expert_network OWNER TO raguser;";
    let made = "CREATE SCHEMA IF NOT EXISTS expert_network AUTHORIZATION raguser;";
    let refused = vec!["ownership"];
    let cases = [
        (format!("{give}\n{definer}"), refused.clone()),
        (format!("{definer}\n{give}"), refused.clone()),
        (format!("{made}\n{definer}"), refused),
        (format!("{give}\n{atomic}"), vec![]),
        (
            format!("ALTER SCHEMA expert_network OWNER TO CURRENT_USER;\n{definer}"),
            vec![],
        ),
        (
            format!(
                "CREATE SCHEMA IF NOT EXISTS expert_network AUTHORIZATION SESSION_USER;\n{definer}"
            ),
            vec![],
        ),
    ];
    for (sql, want) in cases {
        assert_eq!(rules(&sql), want, "{sql}");
    }
}

/// A BEGIN ATOMIC SECURITY DEFINER body's write fires the triggers another role may add, and a
/// call there runs the body a function's new owner wrote: both refused as a string body's are.
#[test]
fn a_begin_atomic_definers_writes_and_calls() {
    let sql = |grants: &str, body: &str| {
        format!(
            "CREATE TABLE expert_network.t (v text);\n{grants}\n\
             CREATE FUNCTION expert_network.g() RETURNS int LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;\n\
             CREATE FUNCTION expert_network.d() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp BEGIN ATOMIC {body}; END;"
        )
    };
    let write = "INSERT INTO expert_network.t VALUES ('a')";
    let call = "SELECT expert_network.g()";
    let granted = "GRANT ALL ON expert_network.t TO raguser;";
    let given = "ALTER FUNCTION expert_network.g() OWNER TO raguser;";
    assert_eq!(rules(&sql(granted, write)), vec!["ownership"]);
    assert_eq!(rules(&sql(given, call)), vec!["ownership"]);
    assert_eq!(rules(&sql(granted, call)), Vec::<&str>::new());
    assert_eq!(rules(&sql(given, write)), Vec::<&str>::new());
    assert_eq!(rules(&sql("", write)), Vec::<&str>::new());
}

/// The functions a view calls run with the reader's rights: read in a SECURITY DEFINER body, a
/// string one or BEGIN ATOMIC, through any depth of views, an invoker whose path searches
/// expert_network is refused; so is a BEGIN ATOMIC definer's own call of one. Invokers on
/// pg_catalog alone, and views read outside a definer, pass.
#[test]
fn a_definers_reads_of_views_and_begin_atomic_calls_run_invokers() {
    let sql = |path: &str, body: &str| {
        format!(
            "CREATE TABLE expert_network.t (v text);\n\
             CREATE FUNCTION expert_network.n(x text) RETURNS text LANGUAGE sql SET search_path = {path} AS $$ SELECT lower(x) $$;\n\
             CREATE VIEW expert_network.v AS SELECT expert_network.n(t.v) AS n FROM expert_network.t;\n\
             CREATE VIEW expert_network.w AS SELECT v.n FROM expert_network.v;\n\
             CREATE FUNCTION expert_network.d() RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp {body};"
        )
    };
    let bodies = [
        "AS $$ SELECT v.n FROM expert_network.v LIMIT 1 $$",
        "AS $$ SELECT w.n FROM expert_network.w LIMIT 1 $$",
        "BEGIN ATOMIC SELECT w.n FROM expert_network.w LIMIT 1; END",
        "BEGIN ATOMIC SELECT expert_network.n('a'); END",
    ];
    for body in bodies {
        let searching = sql("expert_network, pg_catalog, pg_temp", body);
        assert_eq!(rules(&searching), vec!["unqualified-name"], "{body}");
        let safe = sql("pg_catalog, pg_temp", body);
        assert_eq!(rules(&safe), Vec::<&str>::new(), "{body}");
    }
    let plain = sql(
        "expert_network, pg_catalog, pg_temp",
        "AS $$ SELECT 'x'::text $$",
    ) + "\nCREATE TABLE expert_network.copy AS SELECT w.n FROM expert_network.w;";
    assert_eq!(rules(&plain), Vec::<&str>::new());
}

/// A definer's call of an aggregate of expert_network calls every support function its definition
/// names: one whose path searches expert_network is refused, whichever option names it.
#[test]
fn a_definers_aggregate_calls_run_their_support_functions() {
    let sql = |path: &str, options: &str| {
        format!(
            "CREATE FUNCTION expert_network.s(a text, x text) RETURNS text LANGUAGE sql SET search_path = {path} AS $$ SELECT a || lower(x) $$;\n\
             CREATE FUNCTION expert_network.f(a text) RETURNS text LANGUAGE sql SET search_path = {path} AS $$ SELECT lower(a) $$;\n\
             CREATE AGGREGATE expert_network.agg(text) ({options});\n\
             CREATE FUNCTION expert_network.d() RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp BEGIN ATOMIC SELECT expert_network.agg('a'); END;"
        )
    };
    for options in [
        "SFUNC = expert_network.s, STYPE = text",
        "SFUNC = pg_catalog.textcat, STYPE = text, FINALFUNC = expert_network.f",
        "SFUNC = pg_catalog.textcat, STYPE = text, MSFUNC = s, MINVFUNC = pg_catalog.textcat, MSTYPE = text",
    ] {
        let searching = sql("expert_network, pg_catalog, pg_temp", options);
        assert_eq!(rules(&searching), vec!["unqualified-name"], "{options}");
        let safe = sql("pg_catalog, pg_temp", options);
        assert_eq!(rules(&safe), Vec::<&str>::new(), "{options}");
    }
}

/// A domain's CHECKs run wherever a value becomes the domain: in a SECURITY DEFINER body a cast,
/// a PL/pgSQL variable, the declared result, a BEGIN ATOMIC body's cast, and through a domain
/// over it, each calling an invoker whose path searches expert_network, are refused; on
/// pg_catalog alone, or outside a definer, they pass.
#[test]
fn a_definers_casts_to_domains_run_their_checks() {
    let sql = |path: &str, f: &str| {
        format!(
            "CREATE FUNCTION expert_network.c(t text) RETURNS boolean LANGUAGE sql SET search_path = {path} AS $$ SELECT lower(t) = t $$;\n\
             CREATE DOMAIN expert_network.d AS text CHECK (expert_network.c(VALUE));\n\
             CREATE DOMAIN expert_network.dd AS expert_network.d;\n{f}"
        )
    };
    let head = "CREATE FUNCTION expert_network.f(x text) RETURNS";
    let definer = "SECURITY DEFINER SET search_path = pg_catalog, pg_temp";
    let cases = [
        format!("{head} boolean LANGUAGE sql {definer} AS $$ SELECT x::expert_network.d IS NULL $$;"),
        format!("{head} boolean LANGUAGE sql {definer} AS $$ SELECT x::expert_network.dd IS NULL $$;"),
        format!("{head} boolean LANGUAGE plpgsql {definer} AS $$ DECLARE v expert_network.d; BEGIN v := x; RETURN true; END $$;"),
        format!("{head} expert_network.d LANGUAGE sql {definer} AS $$ SELECT x $$;"),
        format!("{head} boolean LANGUAGE sql {definer} BEGIN ATOMIC SELECT CAST(x AS expert_network.d) IS NULL; END;"),
    ];
    for f in &cases {
        let searching = sql("expert_network, pg_catalog, pg_temp", f);
        assert_eq!(rules(&searching), vec!["unqualified-name"], "{f}");
        assert_eq!(
            rules(&sql("pg_catalog, pg_temp", f)),
            Vec::<&str>::new(),
            "{f}"
        );
        let invoker = f.replace(definer, "SET search_path = pg_catalog, pg_temp");
        let plain = sql("expert_network, pg_catalog, pg_temp", &invoker);
        assert_eq!(rules(&plain), Vec::<&str>::new(), "{invoker}");
    }
}

/// An operator class's support functions and an operator's function run for a type's ORDER BY,
/// joins and index upkeep without a call naming them: while one of them is an invoker whose path
/// searches expert_network, every SECURITY DEFINER function is refused; on pg_catalog alone, or
/// with no definer, nothing is.
#[test]
fn definers_and_the_functions_operator_classes_run() {
    let sql = |path: &str, definer: bool| {
        let d = if definer {
            "CREATE FUNCTION expert_network.d() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;"
        } else {
            ""
        };
        format!(
            "CREATE TYPE expert_network.p AS (a text);\n\
             CREATE FUNCTION expert_network.cmp(x expert_network.p, y expert_network.p) RETURNS int LANGUAGE sql SET search_path = {path} AS $$ SELECT pg_catalog.btint4cmp(length(x.a), length(y.a)) $$;\n\
             CREATE FUNCTION expert_network.lt(x expert_network.p, y expert_network.p) RETURNS boolean LANGUAGE sql SET search_path = {path} AS $$ SELECT length(x.a) < length(y.a) $$;\n\
             CREATE OPERATOR expert_network.<<< (LEFTARG = expert_network.p, RIGHTARG = expert_network.p, FUNCTION = expert_network.lt);\n\
             CREATE OPERATOR FAMILY expert_network.f USING btree;\n\
             ALTER OPERATOR FAMILY expert_network.f USING btree ADD FUNCTION 1 (expert_network.p, expert_network.p) expert_network.cmp(expert_network.p, expert_network.p);\n{d}"
        )
    };
    let searching = "expert_network, pg_catalog, pg_temp";
    assert_eq!(rules(&sql(searching, true)), vec!["unqualified-name"]);
    // Without a definer too: maintenance (ANALYZE, autovacuum's included) runs an operator family's
    // functions as the table's owner (corpus 76), judged at the family's statement.
    assert_eq!(rules(&sql(searching, false)), vec!["unqualified-name"]);
    let safe = sql("pg_catalog, pg_temp", true)
        .replace("length(", "pg_catalog.length(")
        .replace(" < ", " OPERATOR(pg_catalog.<) ");
    assert_eq!(rules(&safe), Vec::<&str>::new());
}

/// A foreign key's check runs as the referenced table's owner in the writing role's session, under
/// its path, comparing with the equality operator of the family of the referenced key's unique
/// index and scanning it with the family's support function; any role with REFERENCES may add the
/// referencing table (PG 15: the application's role's own insert ran its `expert_network.lower(text)`
/// as the superuser through either; corpus 93). So an operator class's functions without a path of
/// their own are refused where the class is made, with or without a foreign key in the migrations.
#[test]
fn foreign_key_checks_run_an_operator_classs_functions_as_the_owner() {
    let sql = |eq_path: &str, cmp_path: &str| {
        format!(
            "CREATE FUNCTION expert_network.eq(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE{eq_path} AS $$ SELECT lower(a) = lower(b) $$;\n\
             CREATE FUNCTION expert_network.cmp(a text, b text) RETURNS int LANGUAGE sql IMMUTABLE{cmp_path} AS $$ SELECT bttextcmp(lower(a), lower(b)) $$;\n\
             CREATE OPERATOR expert_network.=== (LEFTARG = text, RIGHTARG = text, FUNCTION = expert_network.eq);\n\
             CREATE OPERATOR CLASS expert_network.ci FOR TYPE text USING btree AS OPERATOR 3 expert_network.===, FUNCTION 1 expert_network.cmp(text, text);"
        )
    };
    let pinned = " SET search_path = pg_catalog, pg_temp";
    assert_eq!(rules(&sql("", pinned)), vec!["unqualified-name"]);
    assert_eq!(rules(&sql(pinned, "")), vec!["unqualified-name"]);
    assert_eq!(rules(&sql(pinned, pinned)), Vec::<&str>::new());
    // ALTER OPERATOR FAMILY ... ADD is judged so too.
    let family = |path: &str| {
        format!(
            "CREATE FUNCTION expert_network.cmp(a text, b text) RETURNS int LANGUAGE sql IMMUTABLE{path} AS $$ SELECT bttextcmp(lower(a), lower(b)) $$;\n\
             CREATE OPERATOR FAMILY expert_network.f USING btree;\n\
             ALTER OPERATOR FAMILY expert_network.f USING btree ADD FUNCTION 1 (text, text) expert_network.cmp(text, text);"
        )
    };
    assert_eq!(rules(&family("")), vec!["unqualified-name"]);
    assert_eq!(rules(&family(pinned)), Vec::<&str>::new());
    // A hash class whose operator a btree family may hold is scanned by the key's queries too;
    // point's `~=` is in none, so only maintenance runs that class (refuse corpus 43).
    let hash = |ty: &str, op: &str| {
        format!(
            "CREATE FUNCTION expert_network.h(v {ty}) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT hashtext(v::text) $$;\n\
             CREATE OPERATOR CLASS expert_network.hc FOR TYPE {ty} USING hash AS OPERATOR 1 {op} ({ty}, {ty}), FUNCTION 1 expert_network.h({ty});"
        )
    };
    assert_eq!(
        rules(&hash("text", "pg_catalog.=")),
        vec!["unqualified-name"]
    );
    assert_eq!(rules(&hash("text", "=")), vec!["unqualified-name"]);
    assert_eq!(rules(&hash("point", "pg_catalog.~=")), Vec::<&str>::new());
}

/// A foreign key's action that updates the referencing rows inserts their new versions into the
/// table's indexes as its owner, under the writing role's path: a GiST index over a range type
/// calls the range's SUBTYPE_DIFF to choose a page (PG 15: raguser's update of a referenced range
/// ran its `expert_network.abs(float8)` as the superuser; corpus 93). A delete inserts nothing, and
/// without such a key only maintenance runs it, under its own path: those pass.
#[test]
fn foreign_key_updates_run_a_ranges_subtype_diff_as_the_owner() {
    let sql = |path: &str, action: &str| {
        format!(
            "CREATE FUNCTION expert_network.diff(a float8, b float8) RETURNS float8 LANGUAGE sql IMMUTABLE{path} AS $$ SELECT abs(a - b) $$;\n\
             CREATE TYPE expert_network.r AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = expert_network.diff);\n\
             CREATE TABLE expert_network.p (r expert_network.r PRIMARY KEY);\n\
             CREATE TABLE expert_network.c (r expert_network.r REFERENCES expert_network.p (r){action});\n\
             CREATE INDEX c_r ON expert_network.c USING gist (r);"
        )
    };
    let pinned = " SET search_path = pg_catalog, pg_temp";
    assert_eq!(
        rules(&sql("", " ON UPDATE CASCADE")),
        vec!["unqualified-name"]
    );
    assert_eq!(
        rules(&sql("", " ON DELETE SET NULL")),
        vec!["unqualified-name"]
    );
    assert_eq!(
        rules(&sql(pinned, " ON UPDATE CASCADE")),
        Vec::<&str>::new()
    );
    assert_eq!(rules(&sql("", " ON DELETE CASCADE")), Vec::<&str>::new());
    assert_eq!(rules(&sql("", "")), Vec::<&str>::new());
}

/// A definer's write through a view fires the triggers of the view's base table.
#[test]
fn a_definers_write_through_a_view_fires_its_base_tables_triggers() {
    let sql = |path: &str| {
        format!(
            "CREATE TABLE expert_network.b (v text);\n\
             CREATE FUNCTION expert_network.tf() RETURNS trigger LANGUAGE plpgsql SET search_path = {path} AS $$ BEGIN NEW.v := lower(NEW.v); RETURN NEW; END $$;\n\
             CREATE TRIGGER tt BEFORE INSERT ON expert_network.b FOR EACH ROW EXECUTE FUNCTION expert_network.tf();\n\
             CREATE VIEW expert_network.v AS SELECT b.v FROM expert_network.b;\n\
             CREATE FUNCTION expert_network.d() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ INSERT INTO expert_network.v VALUES ('a') $$;"
        )
    };
    let searching = sql("expert_network, pg_catalog, pg_temp");
    assert_eq!(rules(&searching), vec!["unqualified-name"]);
    assert_eq!(rules(&sql("pg_catalog, pg_temp")), Vec::<&str>::new());
}

/// A definer's write to a partitioned or inherited table reaches its partitions' and children's
/// rows and fires their triggers (PG 15: an INSERT into the parent ran the partition's trigger,
/// whose lower() found the application's expert_network.lower(text), as the superuser), however
/// the partition or child was made.
#[test]
fn a_definers_write_to_a_parent_fires_its_partitions_triggers() {
    let sql = |child: &str, path: &str| {
        format!(
            "CREATE TABLE expert_network.p (k int, v text) PARTITION BY RANGE (k);\n\
             CREATE TABLE expert_network.q (k int, v text);\n{child}\n\
             CREATE FUNCTION expert_network.tf() RETURNS trigger LANGUAGE plpgsql SET search_path = {path} AS $$ BEGIN PERFORM lower(NEW.v); RETURN NEW; END $$;\n\
             CREATE TRIGGER tt BEFORE INSERT OR DELETE ON expert_network.c FOR EACH ROW EXECUTE FUNCTION expert_network.tf();\n\
             CREATE FUNCTION expert_network.d() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ INSERT INTO expert_network.p VALUES (1, 'a'); DELETE FROM expert_network.q $$;"
        )
    };
    for child in [
        "CREATE TABLE expert_network.c PARTITION OF expert_network.p FOR VALUES FROM (0) TO (9);",
        "CREATE TABLE expert_network.c (k int, v text); ALTER TABLE expert_network.p ATTACH PARTITION expert_network.c FOR VALUES FROM (0) TO (9);",
        "CREATE TABLE expert_network.c () INHERITS (expert_network.q);",
        "CREATE TABLE expert_network.c (k int, v text); ALTER TABLE expert_network.c INHERIT expert_network.q;",
    ] {
        let searching = sql(child, "expert_network, pg_catalog, pg_temp");
        assert_eq!(rules(&searching), vec!["unqualified-name"], "{child}");
        assert_eq!(rules(&sql(child, "pg_catalog, pg_temp")), Vec::<&str>::new(), "{child}");
    }
}

/// An expression the server runs as its relation's owner whenever maintenance asks (an index's, an
/// EXCLUDE constraint's, a statistics object's) calls a function whose
/// own path searches expert_network: ANALYZE, autovacuum's included, ran the application's
/// `expert_network.lower(text)` as the superuser (PG 15, corpus 76). A function without a path of
/// its own takes maintenance's (autovacuum's default, PostgreSQL 17's pinned `pg_catalog, pg_temp`),
/// and one whose path searches pg_catalog alone finds only pg_catalog's: those pass.
#[test]
fn expressions_maintenance_runs_as_the_owner() {
    let f = |path: &str| {
        let path = if path.is_empty() {
            String::new()
        } else {
            format!(" SET search_path = {path}")
        };
        format!(
            "CREATE TABLE expert_network.t (id int, v text);\n\
             CREATE FUNCTION expert_network.n(x text) RETURNS text LANGUAGE sql IMMUTABLE{path} AS $$ SELECT lower(x) $$;\n"
        )
    };
    let uses = [
        "CREATE INDEX t_n ON expert_network.t (expert_network.n(v));",
        "CREATE INDEX t_p ON expert_network.t (id) WHERE expert_network.n(v) = 'a';",
        "CREATE STATISTICS expert_network.s ON (expert_network.n(v)), id FROM expert_network.t;",
        "ALTER TABLE expert_network.t ADD CONSTRAINT x EXCLUDE USING btree (expert_network.n(v) WITH =);",
        "CREATE TABLE expert_network.u (v text, EXCLUDE USING btree ((expert_network.n(v)) WITH =));",
    ];
    for u in uses {
        let searching = f("expert_network, pg_catalog, pg_temp") + u;
        assert_eq!(rules(&searching), vec!["unqualified-name"], "{u}");
        assert_eq!(
            rules(&(f("pg_catalog, pg_temp") + u)),
            Vec::<&str>::new(),
            "{u}"
        );
        assert_eq!(rules(&(f("") + u)), Vec::<&str>::new(), "{u}");
    }
    // Reached through an invoker the expression's function calls, at any depth.
    let deeper = "CREATE TABLE expert_network.t (v text);\n\
         CREATE FUNCTION expert_network.inner(x text) RETURNS text LANGUAGE sql IMMUTABLE SET search_path = expert_network, pg_catalog AS $$ SELECT lower(x) $$;\n\
         CREATE FUNCTION expert_network.outer(x text) RETURNS text LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$ SELECT expert_network.inner(x) $$;\n\
         CREATE INDEX t_o ON expert_network.t (expert_network.outer(v));";
    assert_eq!(rules(deeper), vec!["unqualified-name"]);
    // An operator of expert_network's in the expression runs its function so.
    let op = |path: &str, written: &str| {
        format!(
            "CREATE TABLE expert_network.t (v text);\n\
             CREATE FUNCTION expert_network.j(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE SET search_path = {path} AS $$ SELECT lower(a) || b $$;\n\
             CREATE OPERATOR expert_network.~~~ (LEFTARG = text, RIGHTARG = text, FUNCTION = expert_network.j);\n\
             CREATE INDEX t_j ON expert_network.t ((v {written} 'x'));"
        )
    };
    for written in ["~~~", "OPERATOR(expert_network.~~~)"] {
        assert_eq!(
            rules(&op("expert_network, pg_catalog", written)),
            vec!["unqualified-name"]
        );
        assert_eq!(rules(&op("pg_catalog", written)), Vec::<&str>::new());
    }
    // One a BETWEEN or CASE x WHEN implies.
    let implied = |sql_op: &str, expr: &str| {
        format!(
            "CREATE TABLE expert_network.t (v text);\n\
             CREATE FUNCTION expert_network.c(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE SET search_path = expert_network, pg_catalog AS $$ SELECT lower(a) OPERATOR(pg_catalog.=) b $$;\n\
             CREATE OPERATOR expert_network.{sql_op} (LEFTARG = text, RIGHTARG = text, FUNCTION = expert_network.c);\n\
             CREATE INDEX t_c ON expert_network.t (({expr}));"
        )
    };
    assert_eq!(
        rules(&implied(">=", "v BETWEEN 'a' AND 'z'")),
        vec!["unqualified-name"]
    );
    assert_eq!(
        rules(&implied("=", "CASE v WHEN 'a' THEN 1 ELSE 0 END")),
        vec!["unqualified-name"]
    );
    // A plain view's query runs as its reader: not judged so.
    let view = f("expert_network, pg_catalog, pg_temp")
        + "CREATE VIEW expert_network.w AS SELECT expert_network.n(t.v) AS n FROM expert_network.t;";
    assert_eq!(rules(&view), Vec::<&str>::new());
}

/// A range type's SUBTYPE_DIFF runs for the type's values without a call naming it (ANALYZE's length
/// histogram, as the table's owner; a GiST index's upkeep): judged where the range is made, and as
/// every definer's call (PG 15, corpus 77).
#[test]
fn a_ranges_subtype_diff_runs_as_the_owner() {
    let sql = |path: &str| {
        format!(
            "CREATE FUNCTION expert_network.d(a text, b text) RETURNS float8 LANGUAGE sql IMMUTABLE SET search_path = {path} AS $$ SELECT (length(a) - length(b))::float8 $$;\n\
             CREATE TYPE expert_network.r AS RANGE (SUBTYPE = text, SUBTYPE_DIFF = expert_network.d);"
        )
    };
    assert_eq!(
        rules(&sql("expert_network, pg_catalog, pg_temp")),
        vec!["unqualified-name"]
    );
    assert_eq!(rules(&sql("pg_catalog, pg_temp")), Vec::<&str>::new());
    let text = sql("pg_catalog, pg_temp");
    let model = crate::fence::model::Model::build([text.as_str()]);
    assert_eq!(model.implicit_functions(), vec!["d".to_string()]);
}

/// A domain the migrations give to another role may get a CHECK of that role's (`ALTER DOMAIN ...
/// ADD CONSTRAINT`), which runs where a value becomes the domain, with the rights of what makes it:
/// a definer's cast, variable or write of a column of it (or of a domain over it), an index's or
/// statistics object's expression (PG 15, corpus 78). Kept by the runner, the same passes.
#[test]
fn domains_given_to_another_role() {
    let base = "CREATE DOMAIN expert_network.d AS text;\n\
                CREATE DOMAIN expert_network.e AS expert_network.d;\n\
                CREATE TABLE expert_network.t (id int, c expert_network.e);\n\
                REVOKE TRIGGER ON expert_network.t FROM raguser;\n";
    let uses = [
        "CREATE FUNCTION expert_network.f(x text) RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT (x::expert_network.d)::text $$;",
        "CREATE FUNCTION expert_network.f(x text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ DECLARE v expert_network.e; BEGIN v := x; END $$;",
        "CREATE FUNCTION expert_network.f(x text) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ INSERT INTO expert_network.t (id, c) VALUES (1, x) $$;",
        "CREATE INDEX t_d ON expert_network.t ((c::text::expert_network.d));",
        "CREATE STATISTICS expert_network.s ON ((c::text::expert_network.d)), id FROM expert_network.t;",
    ];
    for u in uses {
        let kept = format!("{base}{u}");
        assert_eq!(rules(&kept), Vec::<&str>::new(), "{u}");
        for give in [
            "ALTER DOMAIN expert_network.d OWNER TO raguser;",
            "ALTER TYPE expert_network.d OWNER TO raguser;",
        ] {
            let given = format!("{base}{give}\n{u}");
            assert_eq!(rules(&given), vec!["ownership"], "{give} {u}");
        }
    }
}

/// A type the migrations give to another role lets that role `CREATE CAST` from it `WITH FUNCTION` of
/// its own, which a SECURITY DEFINER string body's cast of a value read from a column of the type
/// (explicit, or an assignment cast) calls with the owner's rights (PG 15, corpus 81): through a
/// view, a rename, or a domain over the type alike. A domain given away lends no cast (a domain's
/// casts are its base type's), a type kept passes, and a BEGIN ATOMIC body bound its casts.
#[test]
fn a_definers_read_of_a_column_of_a_type_given_to_another_role() {
    let sql = |column_type: &str, give: &str, read: &str, atomic: bool| {
        let body = if atomic {
            format!("BEGIN ATOMIC SELECT x.c::text FROM {read} x LIMIT 1; END")
        } else {
            format!("AS $$ SELECT x.c::text FROM {read} x LIMIT 1 $$")
        };
        format!(
            "CREATE TYPE expert_network.e AS ENUM ('a');\n\
             CREATE DOMAIN expert_network.d AS expert_network.e;\n\
             CREATE DOMAIN expert_network.dt AS text;\n\
             CREATE TABLE expert_network.t (id int, c {column_type});\n\
             CREATE VIEW expert_network.v AS SELECT t.id, t.c FROM expert_network.t;\n\
             ALTER TABLE expert_network.t RENAME TO u;\n\
             {give}\n\
             CREATE FUNCTION expert_network.f() RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp {body};"
        )
    };
    let give_e = "ALTER TYPE expert_network.e OWNER TO raguser;";
    for read in ["expert_network.u", "expert_network.v"] {
        for ty in ["expert_network.e", "expert_network.e[]", "expert_network.d"] {
            assert_eq!(
                rules(&sql(ty, give_e, read, false)),
                vec!["ownership"],
                "{ty} {read}"
            );
            assert_eq!(
                rules(&sql(ty, "", read, false)),
                Vec::<&str>::new(),
                "{ty} {read}"
            );
            assert_eq!(
                rules(&sql(ty, give_e, read, true)),
                Vec::<&str>::new(),
                "{ty} {read}"
            );
        }
        let give_d = "ALTER DOMAIN expert_network.dt OWNER TO raguser;";
        assert_eq!(
            rules(&sql("expert_network.dt", give_d, read, false)),
            Vec::<&str>::new(),
            "{read}"
        );
    }
    let model = crate::fence::model::Model::build([sql(
        "expert_network.d",
        give_e,
        "expert_network.v",
        false,
    )
    .as_str()]);
    assert_eq!(model.reads_given_away_type("v"), Some("e".to_string()));
    assert_eq!(model.reads_given_away_type("u"), Some("e".to_string()));
    assert_eq!(model.reads_given_away_type("nothing"), None);
}

/// A partitioned table the migrations give to another role while a partition of it (at any depth,
/// made by PARTITION OF or attached) keeps the runner: CREATE INDEX by its new owner is built on the
/// partition as the partition's owner, running the new owner's function with the runner's rights (PG
/// 15, corpus 82). Given with every partition, given back, or kept, it passes.
#[test]
fn partitioned_tables_given_away_with_partitions_kept() {
    let base = "CREATE TABLE expert_network.p (id int NOT NULL) PARTITION BY RANGE (id);\n\
                CREATE TABLE expert_network.p1 PARTITION OF expert_network.p FOR VALUES FROM (0) TO (10) PARTITION BY RANGE (id);\n\
                CREATE TABLE expert_network.p2 (id int NOT NULL);\n\
                ALTER TABLE expert_network.p1 ATTACH PARTITION expert_network.p2 FOR VALUES FROM (0) TO (5);\n";
    let give = |t: &str| format!("ALTER TABLE expert_network.{t} OWNER TO raguser;\n");
    assert_eq!(rules(&format!("{base}{}", give("p"))), vec!["ownership"]);
    assert_eq!(rules(&format!("{base}{}", give("p1"))), vec!["ownership"]);
    // The partition given, the parent kept: the partition's own index runs as its owner.
    assert_eq!(rules(&format!("{base}{}", give("p2"))), Vec::<&str>::new());
    let all = format!("{base}{}{}{}", give("p2"), give("p1"), give("p"));
    assert_eq!(rules(&all), Vec::<&str>::new());
    let back = format!(
        "{base}{}ALTER TABLE expert_network.p OWNER TO CURRENT_USER;\n",
        give("p")
    );
    assert_eq!(rules(&back), Vec::<&str>::new());
    // Renamed after it was given away, the partition is still kept.
    let renamed = format!(
        "{base}{}ALTER TABLE expert_network.p2 RENAME TO p3;\n",
        give("p1")
    );
    assert_eq!(rules(&renamed), vec!["ownership"]);
    let model = crate::fence::model::Model::build([format!("{base}{}", give("p")).as_str()]);
    assert_eq!(
        model.partitions_kept("p"),
        vec!["p1".to_string(), "p2".to_string()]
    );
    assert!(model.partitions_kept("p2").is_empty());
}

/// A rule's actions are part of the write to its relation: a SECURITY DEFINER body's write fires the
/// triggers of what the actions write, and runs what they call, with the owner's rights (PG 15, corpus
/// 83). A target no other role may add triggers to, and actions that call nothing, pass.
#[test]
fn a_definers_write_runs_the_rules_actions() {
    let sql = |grant: &str, action: &str| {
        format!(
            "CREATE TABLE expert_network.a (id int, v text);\n\
             CREATE TABLE expert_network.b (id int);\n\
             REVOKE TRIGGER ON expert_network.a FROM raguser;\n\
             REVOKE TRIGGER ON expert_network.b FROM raguser;\n\
             {grant}\n\
             CREATE FUNCTION expert_network.g(t text) RETURNS text LANGUAGE sql SET search_path = expert_network, pg_catalog AS $$ SELECT lower(t) $$;\n\
             CREATE RULE r AS ON INSERT TO expert_network.a DO ALSO {action};\n\
             CREATE FUNCTION expert_network.d() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ INSERT INTO expert_network.a (id, v) VALUES (1, 'x') $$;"
        )
    };
    let grant = "GRANT TRIGGER ON expert_network.b TO raguser;";
    for action in [
        "INSERT INTO expert_network.b (id) VALUES (NEW.id)",
        "UPDATE expert_network.b SET id = NEW.id",
        "DELETE FROM expert_network.b WHERE id = NEW.id",
    ] {
        assert_eq!(rules(&sql(grant, action)), vec!["ownership"], "{action}");
        assert_eq!(rules(&sql("", action)), Vec::<&str>::new(), "{action}");
    }
    assert_eq!(
        rules(&sql("", "SELECT expert_network.g(NEW.v)")),
        vec!["unqualified-name"]
    );
}

/// A definer's read of a view of the runner's that reads, at any depth (a join, a subquery), a
/// relation the migrations give to another role: the server expands the inner view's current query,
/// which its owner may replace (PG 15, corpus 84). Over relations kept, it passes.
#[test]
fn a_definers_read_through_views_of_a_relation_given_away() {
    let sql = |owner: &str, outer: &str| {
        format!(
            "CREATE TABLE expert_network.t (id int);\n\
             CREATE TABLE expert_network.u (id int);\n\
             CREATE VIEW expert_network.i AS SELECT t.id FROM expert_network.t;\n\
             {owner}\n\
             CREATE VIEW expert_network.o AS {outer};\n\
             CREATE VIEW expert_network.top AS SELECT o.id FROM expert_network.o, expert_network.u WHERE u.id = o.id;\n\
             CREATE FUNCTION expert_network.d() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT count(*) FROM expert_network.top $$;"
        )
    };
    let give = "ALTER VIEW expert_network.i OWNER TO raguser;";
    for outer in [
        "SELECT i.id FROM expert_network.i JOIN expert_network.u ON u.id = i.id",
        "SELECT u.id FROM expert_network.u WHERE u.id IN (SELECT i.id FROM expert_network.i)",
        "SELECT i.id FROM expert_network.i",
    ] {
        assert_eq!(rules(&sql(give, outer)), vec!["ownership"], "{outer}");
        assert_eq!(rules(&sql("", outer)), Vec::<&str>::new(), "{outer}");
    }
    let model = crate::fence::model::Model::build([sql(
        give,
        "SELECT i.id FROM expert_network.i JOIN expert_network.u ON u.id = i.id",
    )
    .as_str()]);
    assert_eq!(model.read_owners("top"), vec!["raguser".to_string()]);
    assert!(model.read_owners("u").is_empty());
}

/// A view read by a subquery or a CTE of another view runs its calls on every read of the outer one:
/// read in a SECURITY DEFINER body, with the owner's rights (PG 15, corpus 85). Its invoker's path
/// searching expert_network is refused as if the definer read the inner view itself.
#[test]
fn a_definers_read_runs_the_calls_of_views_in_a_views_subqueries() {
    let sql = |outer: &str| {
        format!(
            "CREATE TABLE expert_network.t (id int, v text);\n\
             CREATE TABLE expert_network.u (id int);\n\
             CREATE FUNCTION expert_network.g(t text) RETURNS text LANGUAGE sql SET search_path = expert_network, pg_catalog AS $$ SELECT lower(t) $$;\n\
             CREATE VIEW expert_network.i AS SELECT t.id, expert_network.g(t.v) AS tag FROM expert_network.t;\n\
             CREATE VIEW expert_network.p AS SELECT t.id FROM expert_network.t;\n\
             CREATE VIEW expert_network.o AS {outer};\n\
             CREATE FUNCTION expert_network.d() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT count(*) FROM expert_network.o $$;"
        )
    };
    for inner in ["i", "p"] {
        let want = if inner == "i" {
            vec!["unqualified-name"]
        } else {
            Vec::new()
        };
        for outer in [
            format!("SELECT u.id FROM expert_network.u WHERE u.id IN (SELECT x.id FROM expert_network.{inner} x)"),
            format!("SELECT u.id, (SELECT x.id FROM expert_network.{inner} x WHERE x.id = u.id) AS y FROM expert_network.u"),
            format!("WITH c AS (SELECT x.id FROM expert_network.{inner} x) SELECT c.id FROM c"),
        ] {
            assert_eq!(rules(&sql(&outer)), want, "{outer}");
        }
    }
}

/// An invoker run with the owner's rights (from an index's expression ANALYZE evaluates, or from a
/// definer) runs the calls of the views its body reads (PG 15, corpus 86); the body's reads are read
/// from its tokens, qualified or after FROM / JOIN.
#[test]
fn invokers_run_the_calls_of_the_views_they_read() {
    let calls = super::invoker_calls::of_body(
        "SELECT count(*) FROM expert_network.v JOIN w ON true WHERE x IN (SELECT 1 FROM expert_network.\"Q\")",
    );
    assert_eq!(calls.reads, vec!["v", "w", "Q"]);
    assert!(calls.callees.is_empty());
    let sql = |view_calls: bool, user: &str| {
        let expr = if view_calls {
            "expert_network.g(t.v)"
        } else {
            "t.v"
        };
        format!(
            "CREATE TABLE expert_network.t (id int, v text);\n\
             CREATE FUNCTION expert_network.g(t text) RETURNS text LANGUAGE sql SET search_path = expert_network, pg_catalog AS $$ SELECT lower(t) $$;\n\
             CREATE VIEW expert_network.tv AS SELECT t.id, {expr} AS tag FROM expert_network.t;\n\
             CREATE FUNCTION expert_network.k(p text) RETURNS text LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$ SELECT p || (SELECT count(*) FROM expert_network.tv)::text $$;\n\
             {user}"
        )
    };
    for user in [
        "CREATE INDEX t_k ON expert_network.t ((expert_network.k(v)));",
        "CREATE FUNCTION expert_network.d() RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT expert_network.k() $$;",
    ] {
        assert_eq!(rules(&sql(true, user)), vec!["unqualified-name"], "{user}");
        assert_eq!(rules(&sql(false, user)), Vec::<&str>::new(), "{user}");
    }
}

/// An invoker run with the owner's rights that reads a view the migrations give to another role (or
/// a view over one): its owner may replace the query the invoker runs (PG 15, corpus 87). Kept, it
/// passes.
#[test]
fn invokers_reading_a_relation_given_to_another_role() {
    let sql = |owner: &str| {
        format!(
            "CREATE TABLE expert_network.t (id int);\n\
             CREATE VIEW expert_network.v AS SELECT t.id FROM expert_network.t;\n\
             CREATE VIEW expert_network.w AS SELECT v.id FROM expert_network.v JOIN expert_network.t ON t.id = v.id;\n\
             {owner}\n\
             CREATE FUNCTION expert_network.c() RETURNS bigint LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$ SELECT count(*) FROM expert_network.w $$;\n\
             CREATE FUNCTION expert_network.d() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT expert_network.c() $$;"
        )
    };
    assert_eq!(
        rules(&sql("ALTER VIEW expert_network.v OWNER TO raguser;")),
        vec!["unqualified-name"]
    );
    assert_eq!(rules(&sql("")), Vec::<&str>::new());
}

/// A definer's read of a relation the migrations give to another role: its owner may replace a
/// view's query (or a table with a view of its name), whose calls run with the definer's owner's
/// rights (PG 15, corpus 79). Kept, or taken back, it passes.
#[test]
fn a_definers_read_of_a_relation_given_to_another_role() {
    let sql = |owner: &str, atomic: bool| {
        let body = if atomic {
            "BEGIN ATOMIC SELECT count(*) FROM expert_network.v; END"
        } else {
            "AS $$ SELECT count(*) FROM expert_network.v $$"
        };
        format!(
            "CREATE TABLE expert_network.t (x int);\n\
             CREATE VIEW expert_network.v AS SELECT t.x FROM expert_network.t;\n\
             {owner}\n\
             CREATE FUNCTION expert_network.d() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp {body};"
        )
    };
    for atomic in [false, true] {
        assert_eq!(
            rules(&sql(
                "ALTER VIEW expert_network.v OWNER TO raguser;",
                atomic
            )),
            vec!["ownership"]
        );
        assert_eq!(
            rules(&sql(
                "ALTER TABLE expert_network.v OWNER TO raguser;",
                atomic
            )),
            vec!["ownership"]
        );
        assert_eq!(rules(&sql("", atomic)), Vec::<&str>::new());
        let back = "ALTER VIEW expert_network.v OWNER TO raguser; ALTER VIEW expert_network.v OWNER TO CURRENT_USER;";
        assert_eq!(rules(&sql(back, atomic)), Vec::<&str>::new());
    }
}

/// A foreign key's CASCADE, SET NULL or SET DEFAULT writes the referencing rows as their table's
/// owner, in the session (and on the search_path) of any role that writes a referenced row: the
/// referencing table's BEFORE triggers and stored expressions run inline with those rights (PG 15,
/// corpus 80). An AFTER trigger, a key without such an action, or a function whose path searches
/// pg_catalog alone passes.
#[test]
fn foreign_key_actions_write_as_the_referencing_tables_owner() {
    let sql = |path: &str, timing: &str, action: &str, added: bool| {
        let path = if path.is_empty() {
            String::new()
        } else {
            format!(" SET search_path = {path}")
        };
        let key = format!("REFERENCES expert_network.p (id){action}");
        let (col, alter) = if added {
            (
                String::new(),
                format!("ALTER TABLE expert_network.c ADD FOREIGN KEY (p_id) {key};\n"),
            )
        } else {
            (format!(" {key}"), String::new())
        };
        format!(
            "CREATE TABLE expert_network.p (id int PRIMARY KEY);\n\
             CREATE FUNCTION expert_network.f() RETURNS trigger LANGUAGE plpgsql{path} AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$;\n\
             CREATE TABLE expert_network.c (id int, p_id int{col}, at timestamptz);\n\
             {alter}CREATE TRIGGER t {timing} UPDATE ON expert_network.c FOR EACH ROW EXECUTE FUNCTION expert_network.f();"
        )
    };
    for added in [false, true] {
        for action in [
            " ON DELETE SET NULL",
            " ON UPDATE CASCADE",
            " ON DELETE SET DEFAULT",
        ] {
            for path in ["", "expert_network, pg_catalog"] {
                assert_eq!(
                    rules(&sql(path, "BEFORE", action, added)),
                    vec!["unqualified-name"],
                    "{path} {action} {added}"
                );
            }
            assert_eq!(
                rules(&sql("pg_catalog", "BEFORE", action, added)),
                Vec::<&str>::new()
            );
            assert_eq!(rules(&sql("", "AFTER", action, added)), Vec::<&str>::new());
        }
        assert_eq!(rules(&sql("", "BEFORE", "", added)), Vec::<&str>::new());
        assert_eq!(
            rules(&sql("", "BEFORE", " ON DELETE RESTRICT", added)),
            Vec::<&str>::new()
        );
    }
}

/// A foreign key's action writes the referencing rows by UPDATE or DELETE only, so a BEFORE INSERT
/// trigger of the referencing table never runs in it (PG 15: raguser's UPDATE and DELETE of the
/// parent fired the child's BEFORE UPDATE trigger as the superuser, never its BEFORE INSERT one;
/// logto's set_tenant_id on every table). Unless the write may turn into an INSERT: a partitioned
/// table's row moved by a key update fires the destination partition's BEFORE INSERT triggers, and
/// a rule's actions insert where they say (both PG 15, as the superuser).
#[test]
fn foreign_key_actions_fire_no_before_insert_trigger() {
    let f = "CREATE TABLE expert_network.p (id int PRIMARY KEY);\n\
             CREATE FUNCTION expert_network.f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$;\n";
    let plain = |events: &str, action: &str| {
        format!(
            "{f}CREATE TABLE expert_network.c (id int, p_id int REFERENCES expert_network.p (id){action}, at timestamptz);\n\
             CREATE TRIGGER t BEFORE {events} ON expert_network.c FOR EACH ROW EXECUTE FUNCTION expert_network.f();"
        )
    };
    for action in [
        " ON UPDATE CASCADE ON DELETE CASCADE",
        " ON DELETE SET NULL",
        " ON UPDATE SET DEFAULT",
    ] {
        assert_eq!(
            rules(&plain("INSERT", action)),
            Vec::<&str>::new(),
            "{action}"
        );
        assert_eq!(
            rules(&plain("TRUNCATE", action).replace("FOR EACH ROW", "FOR EACH STATEMENT")),
            Vec::<&str>::new(),
            "{action}"
        );
        for events in [
            "INSERT OR UPDATE",
            "UPDATE OF p_id",
            "INSERT OR UPDATE OR DELETE",
        ] {
            assert_eq!(
                rules(&plain(events, action)),
                vec!["unqualified-name"],
                "{events} {action}"
            );
        }
    }
    // A BEFORE DELETE trigger runs only where an action deletes (its kind of write: below).
    for events in ["DELETE", "INSERT OR DELETE"] {
        assert_eq!(
            rules(&plain(events, " ON UPDATE CASCADE ON DELETE CASCADE")),
            vec!["unqualified-name"],
            "{events}"
        );
    }
    // The ON DELETE CASCADE of a grandchild's key, reached through the child's: still no INSERT.
    let chain = format!(
        "{f}CREATE TABLE expert_network.c (id int PRIMARY KEY, p_id int REFERENCES expert_network.p (id) ON DELETE CASCADE);\n\
         CREATE TABLE expert_network.g (c_id int REFERENCES expert_network.c (id) ON DELETE CASCADE, at timestamptz);\n\
         CREATE TRIGGER t BEFORE INSERT ON expert_network.g FOR EACH ROW EXECUTE FUNCTION expert_network.f();"
    );
    assert_eq!(rules(&chain), Vec::<&str>::new());
    assert_eq!(
        rules(&chain.replace("BEFORE INSERT", "BEFORE DELETE")),
        vec!["unqualified-name"]
    );
    // A partitioned referencing table: the cascaded key update moves the row.
    let parted = format!(
        "{f}CREATE TABLE expert_network.c (p_id int REFERENCES expert_network.p (id) ON UPDATE CASCADE, at timestamptz) PARTITION BY RANGE (p_id);\n\
         CREATE TABLE expert_network.c1 PARTITION OF expert_network.c FOR VALUES FROM (0) TO (100);\n\
         CREATE TRIGGER t BEFORE INSERT ON expert_network.c FOR EACH ROW EXECUTE FUNCTION expert_network.f();"
    );
    assert_eq!(rules(&parted), vec!["unqualified-name"]);
    // Attached later, the trigger on the partition itself.
    let attached = format!(
        "{f}CREATE TABLE expert_network.c (p_id int REFERENCES expert_network.p (id) ON UPDATE CASCADE, at timestamptz) PARTITION BY RANGE (p_id);\n\
         CREATE TABLE expert_network.c1 (p_id int, at timestamptz);\n\
         CREATE TRIGGER t BEFORE INSERT ON expert_network.c1 FOR EACH ROW EXECUTE FUNCTION expert_network.f();\n\
         ALTER TABLE expert_network.c ATTACH PARTITION expert_network.c1 FOR VALUES FROM (0) TO (100);"
    );
    assert_eq!(rules(&attached), vec!["unqualified-name"]);
    // A rule on the referencing table: its actions insert, here or into another table.
    let ruled = |action: &str| {
        format!(
            "{f}CREATE TABLE expert_network.c (p_id int REFERENCES expert_network.p (id) ON UPDATE CASCADE, at timestamptz);\n\
             CREATE TABLE expert_network.l (p_id int, at timestamptz);\n\
             CREATE TRIGGER t BEFORE INSERT ON expert_network.l FOR EACH ROW EXECUTE FUNCTION expert_network.f();\n\
             CREATE TRIGGER t BEFORE INSERT ON expert_network.c FOR EACH ROW EXECUTE FUNCTION expert_network.f();\n\
             CREATE RULE r AS ON UPDATE TO expert_network.c DO {action};"
        )
    };
    for action in [
        "ALSO INSERT INTO expert_network.l VALUES (new.p_id)",
        "INSTEAD INSERT INTO expert_network.c VALUES (new.p_id)",
        "ALSO NOTHING",
    ] {
        assert_eq!(rules(&ruled(action)), vec!["unqualified-name"], "{action}");
    }
}

/// What a foreign key's action runs inline goes by the kind of write it makes: ON DELETE CASCADE
/// deletes the referencing rows, and a DELETE fires only BEFORE DELETE triggers and evaluates no
/// stored expression (PG 15: raguser's DELETE of a parent row cascaded to a child whose BEFORE
/// INSERT OR UPDATE trigger, CHECK, generated column and index expression called lower(), and
/// raguser's `expert_network.lower(text)` never ran; Outline's search-vector trigger on documents,
/// whose parentDocumentId key cascades on delete, corpus 80); the UPDATE of ON UPDATE CASCADE or
/// ON DELETE SET NULL fires no BEFORE DELETE trigger (PG 15). Both kinds on one table, by one key
/// or two, count both.
#[test]
fn foreign_key_actions_run_what_their_kind_of_write_runs() {
    let f = "CREATE TABLE expert_network.p (id int PRIMARY KEY);\n\
             CREATE FUNCTION expert_network.f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.v := lower(NEW.v); RETURN NEW; END $$;\n\
             CREATE FUNCTION expert_network.k(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN lower(t); END $$;\n";
    let child = |action: &str, col: &str, after: &str| {
        format!(
            "{f}CREATE TABLE expert_network.c (id int, p_id int REFERENCES expert_network.p (id){action}, v text{col});\n{after}"
        )
    };
    let trigger = |events: &str| {
        format!("CREATE TRIGGER t BEFORE {events} ON expert_network.c FOR EACH ROW EXECUTE FUNCTION expert_network.f();")
    };
    let cascade = " ON DELETE CASCADE";
    // A DELETE alone: no INSERT or UPDATE trigger, no stored expression.
    for (col, after) in [
        ("", trigger("INSERT OR UPDATE")),
        ("", trigger("UPDATE OF p_id")),
        (", CHECK (expert_network.k(v) <> '')", String::new()),
        (
            ", g text GENERATED ALWAYS AS (expert_network.k(v)) STORED",
            String::new(),
        ),
        (
            "",
            "CREATE INDEX ON expert_network.c (expert_network.k(v));".to_string(),
        ),
        (
            "",
            "CREATE INDEX ON expert_network.c (v) WHERE expert_network.k(v) <> '';".to_string(),
        ),
    ] {
        assert_eq!(
            rules(&child(cascade, col, &after)),
            Vec::<&str>::new(),
            "{col} {after}"
        );
        // An action that updates runs each of them.
        for action in [
            " ON DELETE CASCADE ON UPDATE CASCADE",
            " ON DELETE SET NULL",
            " ON UPDATE SET NULL",
        ] {
            assert_eq!(
                rules(&child(action, col, &after)),
                vec!["unqualified-name"],
                "{action} {col} {after}"
            );
        }
    }
    assert_eq!(
        rules(&child(cascade, "", &trigger("DELETE"))),
        vec!["unqualified-name"]
    );
    // An UPDATE alone fires no BEFORE DELETE trigger.
    for action in [
        " ON UPDATE CASCADE",
        " ON DELETE SET NULL",
        " ON DELETE SET DEFAULT",
    ] {
        assert_eq!(
            rules(&child(action, "", &trigger("DELETE"))),
            Vec::<&str>::new(),
            "{action}"
        );
    }
    // A second key that updates, added later, counts at its own statement.
    let two = child(
        cascade,
        ", q_id int",
        &format!(
            "{}\nALTER TABLE expert_network.c ADD FOREIGN KEY (q_id) REFERENCES expert_network.p (id) ON UPDATE CASCADE;",
            trigger("UPDATE")
        ),
    );
    assert_eq!(rules(&two), vec!["unqualified-name"]);
    // A rule's actions are part of the write: the cascaded DELETE ran an ON DELETE rule's INSERT, whose
    // table's BEFORE INSERT trigger called raguser's lower() as the superuser (PG 15).
    let ruled = child(
        cascade,
        "",
        "CREATE TABLE expert_network.l (v text);\n\
         CREATE TRIGGER t BEFORE INSERT ON expert_network.l FOR EACH ROW EXECUTE FUNCTION expert_network.f();\n\
         CREATE RULE r AS ON DELETE TO expert_network.c DO ALSO INSERT INTO expert_network.l VALUES (old.v);",
    );
    assert_eq!(rules(&ruled), vec!["unqualified-name"]);
}

/// A foreign key's action writes the referencing table, and reaches a table further on only where
/// that table's own key's action writes it: a DELETE there reaches the ON DELETE actions of the keys
/// that reference it, an UPDATE their ON UPDATE ones, and NO ACTION or RESTRICT writes nothing (PG 15:
/// raguser's DELETE of a user row, set NULL in changeset_specs, left the changesets that reference
/// changeset_specs by a plain key untouched, their BEFORE UPDATE trigger unfired; Sourcegraph's,
/// corpus 144 of pass/). And a trigger made under the name the table takes by a later rename fires
/// for a key made under the old one (PG 15: corpus 96).
#[test]
fn foreign_key_actions_reach_further_tables_only_by_their_own_actions() {
    let f = "CREATE TABLE expert_network.p (id int PRIMARY KEY);\n\
             CREATE FUNCTION expert_network.f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.v := lower(NEW.v); RETURN NEW; END $$;\n";
    let chain = |first: &str, second: &str, events: &str| {
        format!(
            "{f}CREATE TABLE expert_network.c (id int PRIMARY KEY, p_id int REFERENCES expert_network.p (id){first});\n\
             CREATE TABLE expert_network.g (id int, c_id int REFERENCES expert_network.c (id){second}, v text);\n\
             CREATE TRIGGER t BEFORE {events} ON expert_network.g FOR EACH ROW EXECUTE FUNCTION expert_network.f();"
        )
    };
    // c is written, g only read (a plain key, RESTRICT) or written (by its own key too) by a kind
    // its trigger ignores.
    for (first, second, events) in [
        (" ON DELETE SET NULL", "", "UPDATE OR DELETE"),
        (
            " ON DELETE SET NULL",
            " ON DELETE RESTRICT",
            "UPDATE OR DELETE",
        ),
        (" ON DELETE SET NULL", " ON DELETE CASCADE", "UPDATE"),
        (" ON UPDATE CASCADE", " ON DELETE SET NULL", "DELETE"),
        (" ON DELETE CASCADE", " ON UPDATE CASCADE", "DELETE"),
        (" ON DELETE CASCADE", " ON DELETE CASCADE", "UPDATE"),
    ] {
        assert_eq!(
            rules(&chain(first, second, events)),
            Vec::<&str>::new(),
            "{first} {second} {events}"
        );
    }
    // g is written by its own key's action, for the kind of write c gets: refused at both keys.
    for (first, second, events) in [
        (" ON DELETE CASCADE", " ON DELETE SET NULL", "UPDATE"),
        (" ON DELETE CASCADE", " ON DELETE CASCADE", "DELETE"),
    ] {
        let sql = chain(first, second, events);
        assert_eq!(rules(&sql), vec!["unqualified-name"], "{first} {second}");
        let lines: Vec<_> = findings(&sql).into_iter().map(|f| f.0).collect();
        assert_eq!(lines.len(), 2, "{first} {second} {events}: {lines:?}");
    }
    // A trigger made under the name the key's table takes later, renamed unqualified or not.
    for rename in [
        "SET search_path TO expert_network;\nALTER TABLE c RENAME TO c2;",
        "ALTER TABLE expert_network.c RENAME TO c2;",
    ] {
        let sql = format!(
            "{f}CREATE TABLE expert_network.c (id int, p_id int REFERENCES expert_network.p (id) ON DELETE SET NULL, v text);\n\
             {rename}\n\
             CREATE TRIGGER t BEFORE UPDATE ON expert_network.c2 FOR EACH ROW EXECUTE FUNCTION expert_network.f();"
        );
        assert_eq!(rules(&sql), vec!["unqualified-name"], "{rename}");
    }
}

/// A BEFORE `UPDATE OF cols` trigger fires only when the UPDATE sets one of its columns (or a
/// generated column computed from one), and a foreign key's action sets only the key's columns
/// (PG 15: an ON DELETE SET NULL and an ON UPDATE CASCADE of `worker_id` fired the child's `BEFORE
/// UPDATE OF worker_id` trigger, never its `BEFORE UPDATE OF status` one; procrastinate's
/// abort_requested sync trigger, Logto's `before update of identities on users`, corpus 94). A
/// generated column counts whatever it reads; a column renamed, or columns taken from another
/// relation (LIKE, INHERITS, PARTITION OF), count every such trigger.
#[test]
fn foreign_key_actions_fire_update_of_triggers_only_on_the_columns_they_set() {
    let f = "CREATE TABLE expert_network.w (id int PRIMARY KEY);\n\
             CREATE FUNCTION expert_network.f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.v := lower(NEW.v); RETURN NEW; END $$;\n";
    let child = |key: &str, extra: &str, events: &str| {
        format!(
            "{f}CREATE TABLE expert_network.j (id int, v text, status text{key});\n{extra}\n\
             CREATE TRIGGER t BEFORE {events} ON expert_network.j FOR EACH ROW EXECUTE FUNCTION expert_network.f();"
        )
    };
    let none = Vec::<&str>::new();
    let refused = vec!["unqualified-name"];
    for key in [
        ", worker_id int REFERENCES expert_network.w (id) ON DELETE SET NULL",
        ", worker_id int REFERENCES expert_network.w ON UPDATE CASCADE ON DELETE CASCADE",
        ", worker_id int, FOREIGN KEY (worker_id) REFERENCES expert_network.w (id) ON DELETE SET DEFAULT",
    ] {
        assert_eq!(rules(&child(key, "", "UPDATE OF status")), none, "{key}");
        assert_eq!(rules(&child(key, "", "UPDATE OF v, status")), none, "{key}");
        assert_eq!(rules(&child(key, "", "UPDATE OF status, worker_id")), refused, "{key}");
        assert_eq!(rules(&child(key, "", "UPDATE")), refused, "{key}");
        // A generated column is recomputed from what the action sets.
        let generated = format!("{key}, g text GENERATED ALWAYS AS (v || worker_id) STORED");
        assert_eq!(rules(&child(&generated, "", "UPDATE OF g")), refused, "{key}");
        // Renamed, the trigger's column may be the key's under another name.
        let renamed = "ALTER TABLE expert_network.j RENAME COLUMN worker_id TO status2;";
        assert_eq!(rules(&child(key, renamed, "UPDATE OF status")), refused, "{key}");
    }
    // The DELETE of an ON DELETE CASCADE still fires the trigger's DELETE.
    let cascade = ", worker_id int REFERENCES expert_network.w ON DELETE CASCADE";
    assert_eq!(
        rules(&child(cascade, "", "UPDATE OF status OR DELETE")),
        refused
    );
    assert_eq!(rules(&child(cascade, "", "UPDATE OF worker_id")), none);
    // A key added later sets its own columns.
    let later = "ALTER TABLE expert_network.j ADD COLUMN w2 int REFERENCES expert_network.w ON DELETE SET NULL;";
    assert_eq!(rules(&child("", later, "UPDATE OF status")), none);
    assert_eq!(rules(&child("", later, "UPDATE OF w2")), refused);
    let added = "ALTER TABLE expert_network.j ADD CONSTRAINT k FOREIGN KEY (status) REFERENCES expert_network.w2 (s) ON UPDATE CASCADE;";
    let w2 = format!("CREATE TABLE expert_network.w2 (s text PRIMARY KEY);\n{added}");
    assert_eq!(rules(&child("", &w2, "UPDATE OF status")), refused);
    // A cascade reaching a grandchild sets the grandchild's key.
    let grand = |events: &str| {
        format!(
            "{f}CREATE TABLE expert_network.j (id int PRIMARY KEY, w_id int REFERENCES expert_network.w ON UPDATE CASCADE);\n\
             CREATE TABLE expert_network.g (j_id int REFERENCES expert_network.j ON UPDATE CASCADE, v text);\n\
             CREATE TRIGGER t BEFORE {events} ON expert_network.g FOR EACH ROW EXECUTE FUNCTION expert_network.f();"
        )
    };
    assert_eq!(rules(&grand("UPDATE OF v")), none);
    assert_eq!(rules(&grand("UPDATE OF j_id")), refused);
    // Columns another relation lends are not followed by name.
    let inherited = format!(
        "{f}CREATE TABLE expert_network.base (v text, g text GENERATED ALWAYS AS (lower(v)) STORED);\n\
         CREATE TABLE expert_network.j (w_id int REFERENCES expert_network.w ON DELETE SET NULL) INHERITS (expert_network.base);\n\
         CREATE TRIGGER t BEFORE UPDATE OF g ON expert_network.j FOR EACH ROW EXECUTE FUNCTION expert_network.f();"
    );
    assert_eq!(rules(&inherited), refused);
}

/// A foreign key's CASCADE or SET NULL runs no DEFAULT of the referencing table (PG 15: raguser's
/// cascaded UPDATE and SET NULL ran no `DEFAULT immich_uuid_v7()`-like call); a SET DEFAULT action
/// runs its key's, as the table's owner (PG 15), and a write that may become an INSERT (a rule)
/// any. A CHECK, a generated column, an index expression still count.
#[test]
fn foreign_key_actions_run_no_default_but_set_defaults() {
    let f = "CREATE TABLE expert_network.p (id int PRIMARY KEY);\n\
             CREATE FUNCTION expert_network.mk() RETURNS uuid LANGUAGE sql AS $$ SELECT gen_random_uuid() $$;\n";
    let child = |col: &str, action: &str| {
        format!(
            "{f}CREATE TABLE expert_network.c (p_id int REFERENCES expert_network.p (id){action}, {col});"
        )
    };
    for action in [
        " ON UPDATE CASCADE ON DELETE CASCADE",
        " ON DELETE SET NULL",
    ] {
        assert_eq!(
            rules(&child(
                "u uuid NOT NULL DEFAULT expert_network.mk()",
                action
            )),
            Vec::<&str>::new(),
            "{action}"
        );
        // Added later, by ALTER COLUMN ... SET DEFAULT.
        let later = format!(
            "{}\nALTER TABLE expert_network.c ALTER COLUMN u SET DEFAULT expert_network.mk();",
            child("u uuid", action)
        );
        assert_eq!(rules(&later), Vec::<&str>::new(), "{action}");
        for col in [
            "u uuid CHECK (u <> expert_network.mk())",
            "u text GENERATED ALWAYS AS (expert_network.mk()::text) STORED",
        ] {
            assert_eq!(
                rules(&child(col, action)),
                vec!["unqualified-name"],
                "{col} {action}"
            );
        }
        // A call outside the DEFAULT too.
        let both = format!(
            "{}\nCREATE INDEX ON expert_network.c ((u = expert_network.mk()));",
            child("u uuid DEFAULT expert_network.mk()", action)
        );
        assert!(rules(&both).contains(&"unqualified-name"), "{action}");
    }
    // SET DEFAULT writes the key's DEFAULT, on this table or another the write reaches.
    assert_eq!(
        rules(&child(
            "u uuid DEFAULT expert_network.mk()",
            " ON DELETE SET DEFAULT"
        )),
        vec!["unqualified-name"]
    );
    let added = format!(
        "{f}CREATE TABLE expert_network.c (p_id int, u uuid DEFAULT expert_network.mk());\n\
         ALTER TABLE expert_network.c ADD FOREIGN KEY (p_id) REFERENCES expert_network.p (id) ON UPDATE SET DEFAULT;"
    );
    assert_eq!(rules(&added), vec!["unqualified-name"]);
    // A rule's INSERT runs its target's DEFAULTs.
    let ruled = format!(
        "{}\nCREATE TABLE expert_network.l (u uuid DEFAULT expert_network.mk());\n\
         CREATE RULE r AS ON UPDATE TO expert_network.c DO ALSO INSERT INTO expert_network.l DEFAULT VALUES;",
        child("x int", " ON UPDATE CASCADE")
    );
    assert_eq!(rules(&ruled), vec!["unqualified-name"]);
}

/// `split` cuts where libpg_query's scanner split cuts (its reference: the server's own lexer), on
/// every SQL file of the corpus and the shipped migrations whose parentheses balance.
#[test]
fn the_split_cuts_where_the_scanners_split_cuts() {
    let mut compared = 0;
    for dir in ["tests/fence/pass", "tests/fence/refuse", "sql", "demo"] {
        for entry in
            std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)).unwrap()
        {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "sql") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let Ok(scanned) = pg_query::split_with_scanner(&text) else {
                continue;
            };
            let ours: Vec<&str> = super::split(&text).iter().map(|s| s.sql.trim()).collect();
            let theirs: Vec<&str> = super::join_begin_atomic(
                &text,
                scanned
                    .iter()
                    .map(|s| {
                        let start = s.as_ptr() as usize - text.as_ptr() as usize;
                        (start, start + s.len())
                    })
                    .collect(),
            )
            .into_iter()
            .map(|(a, b)| text[a..b].trim())
            .filter(|s| !crate::files::lexer::is_comment_only(s))
            .collect();
            if path.ends_with("20_parse_errors.sql") {
                // An unclosed parenthesis: the scanner split drops the rest of the file, ours cuts it
                // at every semicolon (`a_stray_parenthesis_...`).
                assert!(ours.len() > theirs.len(), "{}", path.display());
                continue;
            }
            assert_eq!(ours, theirs, "{}", path.display());
            compared += 1;
        }
    }
    assert!(compared > 150, "{compared}");
}

#[test]
fn a_rules_actions_in_parentheses_stay_one_statement_and_a_stray_parenthesis_cuts_at_every_semicolon(
) {
    let cut = |sql: &str| -> Vec<String> {
        super::split(sql)
            .iter()
            .map(|s| s.sql.trim().to_string())
            .collect()
    };
    let rule = "CREATE RULE r AS ON UPDATE TO expert_network.v DO ALSO (INSERT INTO expert_network.a VALUES (1); UPDATE public.b SET c = 1)";
    assert_eq!(
        cut(&format!("{rule}; SELECT ')'")),
        vec![rule, "SELECT ')'"]
    );
    // Unbalanced either way, nothing parses past it: each statement is still judged on its own.
    for sql in [
        "SELECT (1; DROP TABLE public.user; SELECT 2",
        "SELECT 1); DROP TABLE public.user; SELECT (2",
    ] {
        let pieces = cut(sql);
        assert_eq!(pieces.len(), 3, "{sql}");
        assert_eq!(pieces[1], "DROP TABLE public.user");
    }
}

/// What a function's body creates counts as what the migrations create, for what a write then
/// runs: an index or a BEFORE trigger a called body makes on the referencing table of a cascading
/// foreign key runs its function as that table's owner in the session of whoever writes the
/// referenced row (PG 15, corpus 88), a PL/pgSQL body's, a SQL body's, a DO block's or a nested
/// function's alike. Its relations and functions are not counted as made (the body may never run).
#[test]
fn what_a_body_creates_runs_on_writes() {
    let head = "CREATE TABLE expert_network.p (id int PRIMARY KEY);\n\
                CREATE FUNCTION expert_network.k(v int) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN lower(v::text); END $$;\n\
                CREATE FUNCTION expert_network.f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$;\n\
                CREATE TABLE expert_network.c (id int, p_id int REFERENCES expert_network.p (id) ON UPDATE CASCADE, at timestamptz);\n";
    let index = "CREATE INDEX c_k ON expert_network.c ((expert_network.k(p_id)))";
    let trigger = "CREATE TRIGGER t BEFORE UPDATE ON expert_network.c FOR EACH ROW EXECUTE FUNCTION expert_network.f()";
    for ddl in [index, trigger] {
        for body in [
            format!("CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $b$ BEGIN {ddl}; END $b$;"),
            format!("CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $b$ SELECT 1; {ddl}; $b$;"),
            format!("CREATE PROCEDURE expert_network.s() LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $b$ BEGIN DO $d$ BEGIN {ddl}; END $d$; END $b$;"),
            format!("DO $d$ BEGIN CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $b$ {ddl} $b$; END $d$;"),
        ] {
            assert_eq!(rules(&format!("{head}{body}")), vec!["unqualified-name"], "{body}");
        }
    }
    // Without the cascade nothing runs as the owner; a body that makes a table does not make it ours.
    let plain = head.replace(" ON UPDATE CASCADE", "");
    assert_eq!(
        rules(&format!("{plain}CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $b$ BEGIN {index}; END $b$;")),
        Vec::<&str>::new()
    );
    assert_eq!(
        rules("CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $b$ BEGIN CREATE TABLE expert_network.made (id int); END $b$;\nSELECT id FROM made;"),
        vec!["unqualified-name"]
    );
}

/// A PL/pgSQL body is read for what it creates under its own function's header: a trigger
/// function's `RETURN NEW`, a `RETURNS int` body's `RETURN 1`, `RETURN QUERY` in a set-returning
/// one, an assignment to a parameter, a VARIADIC or an OUT one (of an expert_network type too) compile
/// only there, and under `RETURNS void` alone the index such a body makes had counted as never made
/// (PG 15, corpus 92).
#[test]
fn what_a_body_returning_a_value_creates_runs_on_writes() {
    let head = "CREATE TABLE expert_network.p (id int PRIMARY KEY);\n\
                CREATE TYPE expert_network.tp AS (a int);\n\
                CREATE FUNCTION expert_network.k(v int) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN lower(v::text); END $$;\n\
                CREATE TABLE expert_network.c (id int, p_id int REFERENCES expert_network.p (id) ON UPDATE CASCADE);\n";
    let index = "CREATE INDEX c_k ON expert_network.c ((expert_network.k(p_id)))";
    for (header, tail) in [
        ("() RETURNS trigger", "NEW.id := 1; RETURN NEW;"),
        ("() RETURNS int", "RETURN 1;"),
        ("() RETURNS SETOF int", "RETURN QUERY SELECT 1;"),
        ("() RETURNS TABLE (x int)", "x := 1; RETURN NEXT;"),
        ("(v int, OUT w int)", "v := v + 1; w := v;"),
        ("(VARIADIC a int[]) RETURNS void", "a[1] := 2;"),
        (
            "(r expert_network.tp) RETURNS expert_network.tp",
            "r := NULL; RETURN r;",
        ),
    ] {
        let body = format!("CREATE FUNCTION expert_network.s{header} LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $b$ BEGIN {index}; {tail} END $b$;");
        assert_eq!(
            rules(&format!("{head}{body}")),
            vec!["unqualified-name"],
            "{body}"
        );
        // Without the cascade nothing runs as the owner.
        let plain = head.replace(" ON UPDATE CASCADE", "");
        assert_eq!(
            rules(&format!("{plain}{body}")),
            Vec::<&str>::new(),
            "{body}"
        );
    }
}

/// What a function's body replaces counts as well as what it creates: its CREATE OR REPLACE of a
/// routine the migrations made gives the routine the new body's reach beside the old one's, a
/// trigger's function too (PG 15: an index's pathed function, replaced by a called body with one
/// without a path, ran its lower() as the table's owner on ON UPDATE CASCADE, corpus 130). The
/// name still counts as made only by the top-level statement.
#[test]
fn what_a_body_replaces_runs_on_writes() {
    let head = "CREATE TABLE expert_network.p (id int PRIMARY KEY);\n\
                CREATE FUNCTION expert_network.k(v int) RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$ BEGIN RETURN lower(v::text); END $$;\n\
                CREATE FUNCTION expert_network.f() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$;\n\
                CREATE TABLE expert_network.c (id int, p_id int REFERENCES expert_network.p (id) ON UPDATE CASCADE, at timestamptz);\n\
                CREATE INDEX c_k ON expert_network.c ((expert_network.k(p_id)));\n\
                CREATE TRIGGER t BEFORE UPDATE ON expert_network.c FOR EACH ROW EXECUTE FUNCTION expert_network.f();\n";
    assert_eq!(rules(head), Vec::<&str>::new());
    let k = "CREATE OR REPLACE FUNCTION expert_network.k(v int) RETURNS text LANGUAGE sql IMMUTABLE AS $i$ SELECT lower(v::text) $i$";
    let f = "CREATE OR REPLACE FUNCTION expert_network.f() RETURNS trigger LANGUAGE plpgsql AS $i$ BEGIN NEW.at := now(); RETURN NEW; END $i$";
    for ddl in [k, f] {
        for body in [
            format!("CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $b$ BEGIN {ddl}; END $b$;"),
            format!("CREATE FUNCTION expert_network.s() RETURNS int LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $b$ {ddl}; SELECT 1; $b$;"),
            format!("CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $b$ BEGIN DO $d$ BEGIN {ddl}; END $d$; END $b$;"),
        ] {
            assert_eq!(rules(&format!("{head}{body}")), vec!["unqualified-name"], "{body}");
        }
    }
    // A replacement that keeps a path of its own reaches nothing more.
    let pathed = k.replace(
        "IMMUTABLE AS",
        "IMMUTABLE SET search_path = pg_catalog, pg_temp AS",
    );
    assert_eq!(
        rules(&format!("{head}CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $b$ BEGIN {pathed}; END $b$;")),
        Vec::<&str>::new()
    );
    // A function a body makes is still not one the migrations make.
    assert_eq!(
        rules("CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $b$ BEGIN CREATE FUNCTION expert_network.made() RETURNS int LANGUAGE sql AS 'SELECT 1'; END $b$;\nSELECT expert_network.made();"),
        vec!["unknown-function"]
    );
}

/// A SECURITY DEFINER routine a body makes is a definer to a later ALTER FUNCTION of its name, at
/// top level or in a body: a path that searches the caller's pg_temp first exposes the casts its
/// body was judged to find in pg_catalog (PG 15, corpus 131).
#[test]
fn a_definer_a_body_makes_keeps_its_path() {
    let make = "CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $b$ BEGIN \
                CREATE FUNCTION expert_network.d(n int) RETURNS pg_catalog.text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $i$ SELECT 'item ' || n::text $i$; \
                END $b$;\nSELECT expert_network.s();\n";
    assert_eq!(rules(make), Vec::<&str>::new());
    let alter = "ALTER FUNCTION expert_network.d(int) SET search_path = pg_temp, pg_catalog;";
    assert_eq!(rules(&format!("{make}{alter}")), vec!["unqualified-name"]);
    let in_body = make.replace(" END $b$", &format!(" {alter} END $b$"));
    assert_eq!(rules(&in_body), vec!["unqualified-name"]);
    // An invoker a body makes is not held to it.
    let invoker = make.replace(" SECURITY DEFINER", "");
    assert_eq!(rules(&format!("{invoker}{alter}")), Vec::<&str>::new());
}

/// A routine a body renames to a name the migrations made runs under that name for later calls: a
/// definer whose path searches expert_network calling it finds its unqualified functions there
/// (PG 15, corpus 133). Its new name is still not made.
#[test]
fn a_routine_a_body_renames_runs_under_the_new_name() {
    let head = "CREATE FUNCTION expert_network.safe() RETURNS text LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $i$ SELECT lower('x') $i$;\n\
                CREATE FUNCTION expert_network.bad() RETURNS text LANGUAGE sql AS $i$ SELECT lower('x') $i$;\n";
    let swap = "CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $b$ BEGIN \
                ALTER FUNCTION expert_network.safe() RENAME TO old; ALTER FUNCTION expert_network.bad() RENAME TO safe; END $b$;\n";
    let definer = "CREATE FUNCTION expert_network.d() RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = expert_network, pg_catalog, pg_temp AS $i$ BEGIN RETURN expert_network.safe(); END $i$;\n";
    assert_eq!(rules(&format!("{head}{definer}")), Vec::<&str>::new());
    assert_eq!(
        rules(&format!("{head}{swap}{definer}")),
        vec!["unqualified-name"]
    );
    assert_eq!(
        rules(&format!("{head}{definer}{swap}")),
        vec!["unqualified-name"]
    );
    // Through a second rename in another body too: bad to mid, then mid to safe.
    let chain = "CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $b$ ALTER FUNCTION expert_network.bad() RENAME TO mid $b$;\n\
                 CREATE FUNCTION expert_network.s2() RETURNS void LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $b$ ALTER FUNCTION expert_network.mid() RENAME TO safe $b$;\n";
    assert_eq!(
        rules(&format!("{head}{chain}{definer}")),
        vec!["unqualified-name"]
    );
    assert_eq!(
        rules(&format!("{swap}SELECT expert_network.old();")),
        vec!["unknown-function"]
    );
}

/// A body's CREATE OR REPLACE VIEW, or its ON SELECT rule over a table (PostgreSQL before 16), of a
/// relation the migrations made is what a later write or row lock through the name reaches
/// (PG 15: an UPDATE through either wrote pg_catalog, corpus 132), and so is what a body renames to
/// such a name. A view a body makes of a new name is not made.
#[test]
fn a_view_a_body_repoints_reaches_its_new_relations() {
    let head = "CREATE TABLE expert_network.own (oid oid, lanname name, lanpltrusted boolean);\n\
                CREATE VIEW expert_network.v AS SELECT l.oid, l.lanname, l.lanpltrusted FROM expert_network.own AS l;\n";
    let update = "UPDATE expert_network.v SET lanpltrusted = true WHERE lanname = 'internal';";
    assert_eq!(rules(&format!("{head}{update}")), Vec::<&str>::new());
    let view = "CREATE OR REPLACE VIEW expert_network.v AS SELECT l.oid, l.lanname, l.lanpltrusted FROM pg_catalog.pg_language AS l";
    let rule = "CREATE RULE \"_RETURN\" AS ON SELECT TO expert_network.own DO INSTEAD SELECT l.oid, l.lanname, l.lanpltrusted FROM pg_catalog.pg_language AS l";
    for (ddl, write) in [
        (view, update.to_string()),
        (
            rule,
            update.replace("expert_network.v", "expert_network.own"),
        ),
        (
            view,
            "SELECT lanname FROM expert_network.v FOR UPDATE;".to_string(),
        ),
    ] {
        for body in [
            format!("CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $b$ BEGIN {ddl}; END $b$;\n"),
            format!("CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $b$ {ddl}; $b$;\n"),
        ] {
            assert_eq!(
                rules(&format!("{head}{body}{write}")),
                vec!["outside-schema"],
                "{body}{write}"
            );
        }
    }
    // A body runs whenever it is called: made before the view, it still repoints it; a view it
    // repoints and a statement then renames reads its query under the new name; a relation it
    // renames to a name the migrations made is what that name reaches.
    let early = format!("CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $b$ {view}; $b$;\n");
    assert_eq!(
        rules(&format!("{early}{head}{update}")),
        vec!["outside-schema"]
    );
    assert_eq!(
        rules(&format!(
            "{head}{early}ALTER VIEW expert_network.v RENAME TO w;\n{}",
            update.replace(".v ", ".w ")
        )),
        vec!["outside-schema"]
    );
    let swap = "CREATE VIEW expert_network.bad AS SELECT l.oid, l.lanname, l.lanpltrusted FROM pg_catalog.pg_language AS l;\n\
                CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $b$ BEGIN \
                ALTER TABLE expert_network.own RENAME TO old; ALTER VIEW expert_network.bad RENAME TO own; END $b$;\n";
    let own = update.replace("expert_network.v", "expert_network.own");
    assert_eq!(rules(&format!("{head}{swap}{own}")), vec!["outside-schema"]);
    assert_eq!(rules(&format!("{head}{own}")), Vec::<&str>::new());
    let new_name = view.replace("expert_network.v AS", "expert_network.w AS");
    assert_eq!(
        rules(&format!("{head}CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $b$ {new_name}; $b$;\n{update}")),
        Vec::<&str>::new()
    );
}

/// TRIGGER granted, or a relation given to another role, by a function's body counts as the
/// migrations' own grant (corpus 88), whatever a later statement takes back: the body may run after
/// it. A REVOKE in a body takes nothing back.
#[test]
fn what_a_body_grants_counts() {
    let body = |ddl: &str| {
        format!("CREATE FUNCTION expert_network.s() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $b$ BEGIN {ddl}; END $b$;\n")
    };
    let t = "CREATE TABLE expert_network.t (id int);\nCREATE VIEW expert_network.v AS SELECT t.id FROM expert_network.t t;\n";
    let write = "CREATE FUNCTION expert_network.w() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ INSERT INTO expert_network.t VALUES (1) $$;";
    let read = "CREATE FUNCTION expert_network.r() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT count(*) FROM expert_network.v $$;";
    assert_eq!(rules(&format!("{t}{write}\n{read}")), Vec::<&str>::new());
    for grant in [
        "GRANT TRIGGER ON expert_network.t TO raguser",
        "GRANT ALL ON ALL TABLES IN SCHEMA expert_network TO raguser",
        "ALTER TABLE expert_network.t OWNER TO raguser",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA expert_network GRANT TRIGGER ON TABLES TO raguser",
    ] {
        let revoked = format!("{t}{}REVOKE ALL ON expert_network.t FROM raguser;\nALTER TABLE expert_network.t OWNER TO CURRENT_USER;\n{write}", body(grant));
        assert_eq!(rules(&revoked), vec!["ownership"], "{grant}");
    }
    assert_eq!(
        rules(&format!(
            "{t}{}{read}",
            body("ALTER VIEW expert_network.v OWNER TO raguser")
        )),
        vec!["ownership"]
    );
    assert_eq!(
        rules(&format!(
            "{t}GRANT TRIGGER ON expert_network.t TO raguser;\n{}{write}",
            body("REVOKE TRIGGER ON expert_network.t FROM raguser")
        )),
        vec!["ownership"]
    );
    // A routine's path a body changes: the invoker a definer calls then searches expert_network.
    let inv = "CREATE FUNCTION expert_network.i() RETURNS text LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$ BEGIN RETURN lower('X'); END $$;\n";
    let def = "CREATE FUNCTION expert_network.d() RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT expert_network.i() $$;";
    assert_eq!(rules(&format!("{inv}{def}")), Vec::<&str>::new());
    let repath = body(
        "ALTER FUNCTION expert_network.i() SET search_path = expert_network, pg_catalog, pg_temp",
    );
    assert_eq!(
        rules(&format!("{inv}{repath}{def}")),
        vec!["unqualified-name"]
    );
}

/// A materialized view's query runs on every REFRESH as the view's owner (a SECURITY DEFINER
/// body's REFRESH; from PostgreSQL 17 the application's role's own, holding MAINTAIN): judged as an
/// index's expressions are (corpus 91). CREATE TABLE AS runs its query once, now.
#[test]
fn materialized_views_run_as_their_owner() {
    let f = |path: &str| {
        format!("CREATE TABLE expert_network.t (v text);\nCREATE FUNCTION expert_network.n(p text) RETURNS text LANGUAGE plpgsql SET search_path = {path} AS $$ BEGIN RETURN lower(p); END $$;\n")
    };
    let mv = "CREATE MATERIALIZED VIEW expert_network.m AS SELECT expert_network.n(t.v) AS n FROM expert_network.t t;";
    let ctas = "CREATE TABLE expert_network.c AS SELECT expert_network.n(t.v) AS n FROM expert_network.t t;";
    let ours = f("expert_network, pg_catalog, pg_temp");
    assert_eq!(rules(&format!("{ours}{mv}")), vec!["unqualified-name"]);
    assert_eq!(rules(&format!("{ours}{ctas}")), Vec::<&str>::new());
    assert_eq!(
        rules(&format!("{}{mv}", f("pg_catalog, pg_temp"))),
        Vec::<&str>::new()
    );
    // An invoker without a path of its own takes the refreshing definer's.
    let unpathed = f("pg_catalog, pg_temp").replace(" SET search_path = pg_catalog, pg_temp", "");
    let refresh = |path: &str| {
        format!("\nCREATE FUNCTION expert_network.r() RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = {path} AS $$ BEGIN REFRESH MATERIALIZED VIEW expert_network.m; END $$;")
    };
    assert_eq!(rules(&format!("{unpathed}{mv}")), Vec::<&str>::new());
    assert_eq!(
        rules(&format!(
            "{unpathed}{mv}{}",
            refresh("expert_network, pg_catalog, pg_temp")
        )),
        vec!["unqualified-name"]
    );
    assert_eq!(
        rules(&format!("{unpathed}{mv}{}", refresh("pg_catalog, pg_temp"))),
        Vec::<&str>::new()
    );
}

/// A cast belongs to no schema: one between two types no schema but expert_network holds changes how
/// every application's expressions of them resolve (refuse corpus 134), one from or to a type of
/// expert_network's reaches only expressions over it (Hibernate's `CREATE CAST (character varying
/// as status) WITH INOUT AS IMPLICIT`, pass corpus 152), named with the schema or unqualified where
/// the file's own path makes it there. Its function runs for every cast of the type's values, so it
/// is expert_network's own and counts as every SECURITY DEFINER body's call.
#[test]
fn casts_from_or_to_a_type_of_expert_network() {
    let ty = "CREATE TYPE expert_network.st AS ENUM ('a');\n";
    for ok in [
        "CREATE CAST (varchar AS expert_network.st) WITH INOUT AS IMPLICIT;",
        "CREATE CAST (expert_network.st AS text) WITH INOUT AS ASSIGNMENT;",
        "CREATE CAST (varchar AS expert_network.st[]) WITH INOUT;",
        "DROP CAST IF EXISTS (varchar AS expert_network.st);",
        "COMMENT ON CAST (varchar AS expert_network.st) IS 'x';",
        "SET search_path TO expert_network;\nCREATE CAST (character varying as st) WITH INOUT AS IMPLICIT;",
        // The pinned path finds the one the migrations make in expert_network.
        "CREATE CAST (varchar AS st) WITH INOUT;",
        "DO $$ BEGIN CREATE CAST (varchar AS expert_network.st) WITH INOUT AS IMPLICIT; END $$;",
    ] {
        assert_eq!(rules(&format!("{ty}{ok}")), Vec::<&str>::new(), "{ok}");
    }
    for (bad, rule) in [
        ("CREATE CAST (int4 AS text) WITH INOUT AS IMPLICIT;", "database-wide"),
        ("CREATE CAST (\"varchar\" AS pg_catalog.\"bool\") WITH INOUT AS ASSIGNMENT;", "database-wide"),
        ("DROP CAST IF EXISTS (uuid AS text);", "database-wide"),
        ("COMMENT ON CAST (int4 AS int8) IS 'x';", "database-wide"),
        // A name the migrations do not make may be any schema's.
        ("CREATE CAST (varchar AS st2) WITH INOUT;", "database-wide"),
        ("CREATE CAST (public.x AS expert_network.st) WITH INOUT;", "touches-public"),
        ("CREATE CAST (text AS expert_network.st) WITH FUNCTION pg_catalog.lower(text);", "outside-schema"),
        ("CREATE FUNCTION expert_network.mk() RETURNS void LANGUAGE plpgsql AS $f$ BEGIN CREATE CAST (varchar AS st) WITH INOUT; END $f$;", "database-wide"),
    ] {
        assert!(rules(&format!("{ty}{bad}")).contains(&rule), "{bad}");
    }
    let with_function = |path: &str| {
        format!(
            "{ty}CREATE FUNCTION expert_network.st_of(x text) RETURNS expert_network.st LANGUAGE sql IMMUTABLE SET search_path = {path} AS $$ SELECT lower(x)::expert_network.st $$;\n\
             CREATE CAST (text AS expert_network.st) WITH FUNCTION expert_network.st_of(text) AS ASSIGNMENT;\n\
             CREATE FUNCTION expert_network.g() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;"
        )
    };
    assert_eq!(
        rules(&with_function("pg_catalog, pg_temp")),
        Vec::<&str>::new()
    );
    assert_eq!(
        rules(&with_function("expert_network, pg_catalog, pg_temp")),
        vec!["unqualified-name"]
    );
    let text = with_function("pg_catalog, pg_temp");
    let model = crate::fence::model::Model::build([text.as_str()]);
    assert!(model.implicit_functions().contains(&"st_of".to_string()));
}

/// A cast WITHOUT FUNCTION makes its types binary coercible: the server reads one type's bytes as the
/// other's, so a bytea's chosen bytes became a text range of expert_network's holding a forged TOAST
/// pointer that read another application's stored value (refuse corpus 138). Whatever its types, in
/// a body too; WITH INOUT and WITH FUNCTION still pass.
#[test]
fn casts_without_function_are_refused_whatever_their_types() {
    let ty = "CREATE TYPE expert_network.sp AS RANGE (subtype = text);\nCREATE TYPE expert_network.st AS ENUM ('a');\n";
    for bad in [
        "CREATE CAST (bytea AS expert_network.sp) WITHOUT FUNCTION;",
        "CREATE CAST (expert_network.sp AS bytea) WITHOUT FUNCTION AS ASSIGNMENT;",
        "CREATE CAST (expert_network.st AS expert_network.sp) WITHOUT FUNCTION AS IMPLICIT;",
        "SET search_path TO expert_network;\nCREATE CAST (bytea AS sp) WITHOUT FUNCTION;",
        "DO $$ BEGIN CREATE CAST (bytea AS expert_network.sp) WITHOUT FUNCTION; END $$;",
    ] {
        assert!(
            rules(&format!("{ty}{bad}")).contains(&"database-wide"),
            "{bad}"
        );
    }
    assert_eq!(
        rules(&format!(
            "{ty}CREATE CAST (varchar AS expert_network.st) WITH INOUT AS IMPLICIT;"
        )),
        Vec::<&str>::new()
    );
}

/// Definitions that wire built-in C functions together over an `internal` structure, or hand a
/// support function values of another type, crash the server when a mismatched set is used (refuse
/// corpus 139): an aggregate of internal state, a text search template or parser, an operator class
/// or family's support function taking internal or given member types not its own. An aggregate
/// of a SQL state and a btree or hash class over its own types still pass.
#[test]
fn internal_structures_and_mistyped_support_functions_are_refused() {
    let ty = "CREATE TYPE expert_network.lv AS ENUM ('a');\n";
    for bad in [
        "CREATE AGGREGATE expert_network.g(text) (SFUNC = pg_catalog.array_agg_transfn, STYPE = internal, FINALFUNC = pg_catalog.json_agg_finalfn);",
        "CREATE AGGREGATE expert_network.g(text) (SFUNC = pg_catalog.textcat, STYPE = text, MSFUNC = pg_catalog.array_agg_transfn, MINVFUNC = pg_catalog.array_agg_transfn, MSTYPE = pg_catalog.internal);",
        "CREATE TEXT SEARCH TEMPLATE expert_network.tp (INIT = pg_catalog.dsimple_init, LEXIZE = pg_catalog.dsnowball_lexize);",
        "CREATE TEXT SEARCH PARSER expert_network.pr (START = pg_catalog.prsd_start, GETTOKEN = pg_catalog.prsd_nexttoken, END = pg_catalog.prsd_end, LEXTYPES = pg_catalog.prsd_lextype);",
        "CREATE OPERATOR CLASS expert_network.w FOR TYPE text USING gin AS FUNCTION 1 pg_catalog.bttextcmp(text, text), FUNCTION 2 pg_catalog.gin_extract_tsvector(tsvector, internal, internal), STORAGE text;",
        "CREATE OPERATOR CLASS expert_network.l FOR TYPE expert_network.lv USING btree AS FUNCTION 1 (expert_network.lv, expert_network.lv) pg_catalog.bttextcmp(text, text);",
        "CREATE OPERATOR CLASS expert_network.h FOR TYPE bytea USING hash AS FUNCTION 1 (bytea) pg_catalog.hashtext(text);",
        "CREATE OPERATOR FAMILY expert_network.f USING btree;\nALTER OPERATOR FAMILY expert_network.f USING btree ADD FUNCTION 1 (int4, int4) pg_catalog.btint48cmp(int4, int8);",
        "CREATE OPERATOR FAMILY expert_network.f USING btree;\nALTER OPERATOR FAMILY expert_network.f USING btree ADD FUNCTION 2 (int4, int4) pg_catalog.btint4sortsupport(internal);",
    ] {
        assert!(rules(&format!("{ty}{bad}")).contains(&"database-wide"), "{bad}");
    }
    for ok in [
        "CREATE AGGREGATE expert_network.g(int) (SFUNC = pg_catalog.int4pl, STYPE = int, INITCOND = '0');",
        "CREATE OPERATOR FAMILY expert_network.f USING btree;\nALTER OPERATOR FAMILY expert_network.f USING btree ADD FUNCTION 1 (int4, int8) pg_catalog.btint48cmp(int4, int8);",
        "CREATE OPERATOR FAMILY expert_network.f USING btree;\nALTER OPERATOR FAMILY expert_network.f USING btree DROP FUNCTION 2 (int4, int4);",
        "CREATE OPERATOR CLASS expert_network.h FOR TYPE text USING hash AS OPERATOR 1 pg_catalog.= (text, text), FUNCTION 1 (text) pg_catalog.hashtext(text);",
    ] {
        assert!(!rules(&format!("{ty}{ok}")).contains(&"database-wide"), "{ok}");
    }
}

/// `SUPPORT f` hands a built-in planner support function the calls of another function, whose
/// arguments it reads as the types of the one it was written for: PG 15 crashed on the first call
/// (refuse corpus 140). Refused on CREATE and ALTER FUNCTION alike.
#[test]
fn planner_support_functions_are_refused() {
    for bad in [
        "CREATE FUNCTION expert_network.r(n int8) RETURNS SETOF int LANGUAGE plpgsql SUPPORT pg_catalog.array_unnest_support AS $$ BEGIN RETURN; END $$;",
        "CREATE FUNCTION expert_network.r(n int8) RETURNS SETOF int LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$;\nALTER FUNCTION expert_network.r(int8) SUPPORT pg_catalog.array_unnest_support;",
    ] {
        assert!(rules(bad).contains(&"database-wide"), "{bad}");
    }
    assert_eq!(
        rules("CREATE FUNCTION expert_network.r(n int8) RETURNS SETOF int LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp ROWS 10 AS $$ BEGIN RETURN; END $$;"),
        Vec::<&str>::new()
    );
}

/// A DO block of a no-transaction file that commits or rolls back runs bare, with no database-side
/// check: its deletes, CALLs and calls of the migrations' functions, and writes of a table whose
/// triggers run one, fire other applications' foreign keys referencing expert_network's tables
/// unseen (refuse corpus 141). The same statements in a block that does not commit run guarded and
/// pass; a plain INSERT or UPDATE (a batched backfill) passes in either.
#[test]
fn writes_in_do_blocks_that_commit_in_a_no_transaction_file() {
    let t = "CREATE TABLE expert_network.v (id int PRIMARY KEY, n int UNIQUE);
CREATE FUNCTION expert_network.f() RETURNS void LANGUAGE sql AS $$ DELETE FROM expert_network.v $$;
CREATE PROCEDURE expert_network.p() LANGUAGE sql AS $$ DELETE FROM expert_network.v $$;
CREATE TABLE expert_network.w (id int);
CREATE FUNCTION expert_network.wt() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$ BEGIN DELETE FROM expert_network.v; RETURN NEW; END $$;
CREATE TRIGGER wt BEFORE UPDATE ON expert_network.w FOR EACH ROW EXECUTE FUNCTION expert_network.wt();
";
    for bad in [
        "DO $$ BEGIN DELETE FROM expert_network.v WHERE id = 1; COMMIT; END $$;",
        "DO $$ BEGIN COMMIT; MERGE INTO expert_network.v USING (SELECT 1 AS id) s ON v.id = s.id WHEN MATCHED THEN DELETE; END $$;",
        "DO $$ BEGIN CALL expert_network.p(); ROLLBACK; END $$;",
        "DO $$ BEGIN UPDATE expert_network.w SET id = 2; COMMIT; END $$;",
        "DO $$ BEGIN PERFORM expert_network.f(); COMMIT; END $$;",
    ] {
        assert!(
            findings_tx(&format!("{t}{bad}"), true).iter().any(|(_, r)| *r == "outside-schema"),
            "{bad}"
        );
        let guarded = bad.replace("COMMIT;", "").replace("ROLLBACK;", "");
        assert_eq!(findings_tx(&format!("{t}{guarded}"), true), vec![], "{guarded}");
    }
    for ok in [
        "DO $$ BEGIN INSERT INTO expert_network.v VALUES (1, 1); COMMIT; END $$;",
        "DO $$ BEGIN UPDATE expert_network.v SET n = n + 1; COMMIT; END $$;",
    ] {
        assert_eq!(findings_tx(&format!("{t}{ok}"), true), vec![], "{ok}");
    }
}

/// The other statements a no-transaction file sends bare (CREATE INDEX CONCURRENTLY, REINDEX
/// CONCURRENTLY, VACUUM) evaluate the index's expressions: a call there of the migrations' function
/// whose body acts, at any depth of their calls, or of an operator over one, runs unseen (refuse
/// corpus 146, 147); REINDEX and VACUUM run what the stored expressions call. A function that only
/// reads passes (Firezone's unaccent wrapper, pass corpus 176), and so does the same in a
/// transactional file, where the check follows.
#[test]
fn acting_calls_in_statements_a_no_transaction_file_runs_bare() {
    let t = "CREATE TABLE expert_network.v (id int);
CREATE FUNCTION expert_network.del() RETURNS int LANGUAGE sql SET search_path = pg_catalog AS $$ DELETE FROM expert_network.v WHERE false RETURNING 1 $$;
CREATE FUNCTION expert_network.k(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER SET search_path = pg_catalog AS $$ BEGIN PERFORM expert_network.del(); RETURN i; END $$;
CREATE FUNCTION expert_network.r(t text) RETURNS text LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$ SELECT pg_catalog.lower(t) $$;
";
    let refused = |sql: &str, no_tx: bool| {
        findings_tx(&format!("{t}{sql}"), no_tx)
            .iter()
            .any(|(_, r)| *r == "outside-schema")
    };
    for bad in [
        "CREATE INDEX CONCURRENTLY i ON expert_network.v (expert_network.k(id));",
        "CREATE INDEX CONCURRENTLY i ON expert_network.v (id) WHERE expert_network.k(id) > 0;",
        "CREATE INDEX i ON expert_network.v (expert_network.k(id));\nREINDEX TABLE CONCURRENTLY expert_network.v;",
        "CREATE INDEX i ON expert_network.v (expert_network.k(id));\nVACUUM (ANALYZE) expert_network.v;",
        "CREATE DOMAIN expert_network.d AS int CHECK (expert_network.k(VALUE) > 0);\nCREATE INDEX CONCURRENTLY i ON expert_network.v ((id::expert_network.d));",
    ] {
        assert!(refused(bad, true), "{bad}");
        if !bad.contains("CONCURRENTLY") && !bad.contains("VACUUM") {
            assert!(!refused(bad, false), "{bad}");
        }
    }
    for ok in [
        "CREATE INDEX CONCURRENTLY i ON expert_network.v (expert_network.r(id::text));",
        "CREATE INDEX CONCURRENTLY i ON expert_network.v (pg_catalog.lower(id::text));",
        "CREATE INDEX i ON expert_network.v (expert_network.r(id::text));\nREINDEX TABLE CONCURRENTLY expert_network.v;",
        "VACUUM (ANALYZE) expert_network.v;",
    ] {
        assert!(!refused(ok, true), "{ok}");
    }
    assert!(!refused(
        "CREATE INDEX i ON expert_network.v (expert_network.k(id));",
        false
    ));
    // A quoted callee keeps its case.
    let reach = r#"CREATE FUNCTION expert_network."Del"() RETURNS int LANGUAGE sql SET search_path = pg_catalog AS $$ DELETE FROM expert_network.v WHERE false RETURNING 1 $$;
CREATE FUNCTION expert_network.q(i int) RETURNS int LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$ SELECT i + expert_network."Del"() $$;
CREATE INDEX CONCURRENTLY i ON expert_network.v (expert_network.q(id));"#;
    assert!(refused(reach, true), "{reach}");
}

/// The tables the maintenance tests work on: v with an index over k(), whose body acts (a DELETE
/// through del()), and w with a plain index.
const MAINTAINED: &str = "CREATE TABLE expert_network.v (id int);
CREATE TABLE expert_network.w (id int);
CREATE FUNCTION expert_network.del() RETURNS int LANGUAGE sql SET search_path = pg_catalog AS $$ DELETE FROM expert_network.v WHERE false RETURNING 1 $$;
CREATE FUNCTION expert_network.k(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$ BEGIN PERFORM expert_network.del(); RETURN i; END $$;
CREATE INDEX v_k ON expert_network.v (expert_network.k(id));
CREATE INDEX w_id ON expert_network.w (id);
";

/// Whether a no-transaction file of `MAINTAINED` and then `sql` is refused for running k() bare.
fn maintenance_refused(sql: &str) -> bool {
    let m = file_at(1, "001_t.sql", format!("{MAINTAINED}{sql}"), true);
    check(&m)
        .findings
        .iter()
        .any(|f| f.message.contains("among which the migrations' own k()"))
}

/// REINDEX CONCURRENTLY and VACUUM evaluate what is stored on the tables they work on: a table
/// (or an index's table) whose stored expressions call none of the migrations' acting functions
/// passes while another table's do (a REINDEX of Immich's plain index beside its f_unaccent index
/// was refused), and the table counts with its partitions and under its names before a rename. An
/// index the fence does not see made (a key's index of a name it cannot tell, one a body made)
/// counts every table's, as an extended statistics object's expressions count for ANALYZE.
#[test]
fn maintenance_counts_what_is_stored_on_the_tables_it_works_on() {
    let refused = |sql: &str| {
        maintenance_refused(&format!(
            "CREATE INDEX ON expert_network.w (id, id2);\n{sql}"
        ))
    };
    for ok in [
        "REINDEX INDEX CONCURRENTLY expert_network.w_id;",
        "REINDEX INDEX CONCURRENTLY expert_network.w_id_id2_idx;",
        "REINDEX TABLE CONCURRENTLY expert_network.w;",
        "VACUUM (ANALYZE) expert_network.w;",
        "VACUUM expert_network.w (id);",
        "ALTER INDEX expert_network.w_id RENAME TO w_id2;\nREINDEX INDEX CONCURRENTLY expert_network.w_id2;",
    ] {
        assert!(!refused(ok), "{ok}");
    }
    for bad in [
        "REINDEX INDEX CONCURRENTLY expert_network.v_k;",
        "REINDEX TABLE CONCURRENTLY expert_network.v;",
        "VACUUM (ANALYZE) expert_network.w, expert_network.v;",
        // Not an index the migrations are seen making.
        "REINDEX INDEX CONCURRENTLY expert_network.somewhere_idx;",
        "REINDEX TABLE CONCURRENTLY expert_network.unknown;",
        // Under the name a rename gave it.
        "ALTER TABLE expert_network.v RENAME TO v2;\nVACUUM (ANALYZE) expert_network.v2;",
        "ALTER INDEX expert_network.v_k RENAME TO v_k2;\nREINDEX INDEX CONCURRENTLY expert_network.v_k2;",
        // A partition's index is rebuilt with its parent's.
        "CREATE TABLE expert_network.p (id int) PARTITION BY RANGE (id);\nCREATE TABLE expert_network.p1 PARTITION OF expert_network.p FOR VALUES FROM (0) TO (9);\nCREATE INDEX ON expert_network.p1 (expert_network.k(id));\nVACUUM (ANALYZE) expert_network.p;",
        // ANALYZE evaluates an extended statistics object's expressions.
        "CREATE STATISTICS expert_network.w_s ON (expert_network.k(id)) FROM expert_network.w;\nVACUUM (ANALYZE) expert_network.w;",
    ] {
        assert!(refused(bad), "{bad}");
    }
}

/// A write through views follows each relation once: 24 views, each made twice and each joining
/// the one below to itself, offer 4^24 paths to the table, and a view the model holds as naming
/// its own name (a rename onto what it reads) ends the walk rather than repeating it. A chain
/// deeper than 32 is still refused, and a view over public's table still is at any depth.
#[test]
fn writes_through_views_follow_each_relation_once() {
    let mut sql = String::from("CREATE TABLE expert_network.v0 (id int);\n");
    for i in 1..=24 {
        for _ in 0..2 {
            sql += &format!("CREATE OR REPLACE VIEW expert_network.v{i} AS SELECT a.id FROM expert_network.v{} a JOIN expert_network.v{} b USING (id);\n", i - 1, i - 1);
        }
    }
    let write = "UPDATE expert_network.v24 SET id = 1;";
    assert_eq!(findings(&format!("{sql}{write}")), vec![]);
    let selfish = "CREATE TABLE expert_network.s (id int);\nCREATE VIEW expert_network.s2 AS SELECT id FROM expert_network.s;\nALTER VIEW expert_network.s2 RENAME TO s;\nUPDATE expert_network.s SET id = 1;";
    assert_eq!(findings(selfish), vec![]);
    let mut deep = String::from("CREATE TABLE expert_network.d0 (id int);\n");
    for i in 1..=34 {
        deep += &format!(
            "CREATE VIEW expert_network.d{i} AS SELECT id FROM expert_network.d{};\n",
            i - 1
        );
    }
    assert!(
        rules(&format!("{deep}UPDATE expert_network.d34 SET id = 1;")).contains(&"outside-schema")
    );
    let public = sql.replace(
        "CREATE TABLE expert_network.v0 (id int);",
        "CREATE VIEW expert_network.v0 AS SELECT id FROM public.session;",
    );
    assert!(rules(&format!("{public}{write}")).contains(&"outside-schema"));
}

/// An owner-run body's call with cast arguments: a whole argument cast to one of pg_catalog's types
/// (qualified, in an SQL spelling the parser qualifies, or unqualified under a path that looks in
/// pg_catalog first) is typed; a cast of part of the argument, to another schema's type, or
/// unqualified under a path that may find expert_network's type first is not.
#[test]
fn invoker_calls_type_arguments_cast_to_catalog_types() {
    let typed = |body: &str, catalog_first: bool| {
        let c = super::invoker_calls::of_sql_body(body, &[], catalog_first);
        (c.typed, c.overloadable)
    };
    let one = |ty: &str| (vec![("u7".to_string(), vec![ty.to_string()])], false);
    let untyped = (vec![], true);
    assert_eq!(
        typed("SELECT expert_network.u7(ts::timestamptz)", true),
        one("timestamptz")
    );
    assert_eq!(
        typed("SELECT expert_network.u7(ts::timestamptz)", false),
        untyped
    );
    for qualified in [
        "SELECT expert_network.u7(ts::pg_catalog.timestamptz)",
        "SELECT expert_network.u7(CAST(ts AS timestamp with time zone))",
        "SELECT expert_network.u7((ts)::timestamp with time zone)",
    ] {
        assert_eq!(typed(qualified, false), one("timestamptz"), "{qualified}");
    }
    assert_eq!(
        typed(
            "SELECT expert_network.u7(a::int4, f(b, c)::text[], $1)",
            true
        ),
        untyped,
        "an unknown $1"
    );
    let c = super::invoker_calls::of_sql_body(
        "SELECT expert_network.u7(a::int4, f(b, c)::text[], $1)",
        &[Some("int8".to_string())],
        true,
    );
    assert_eq!(
        (c.typed, c.overloadable),
        (
            vec![(
                "u7".to_string(),
                vec!["int4".into(), "text[]".into(), "int8".into()]
            )],
            false
        )
    );
    for not in [
        "SELECT expert_network.u7(ts::timestamptz + interval '1 s')",
        "SELECT expert_network.u7(a || b::text)",
        "SELECT expert_network.u7(ts::expert_network.stamp)",
        "SELECT expert_network.u7(ts::stamp)",
        "SELECT expert_network.u7(x::anyelement)",
        "SELECT expert_network.u7(ts)",
        "SELECT expert_network.u7(p => ts::text)",
    ] {
        assert_eq!(typed(not, true), untyped, "{not}");
    }
}

/// Immich's trigger function (pass corpus 182) calls `immich_uuid_v7(clock_timestamp::timestamptz)`
/// under `SET search_path = pg_catalog, pg_temp`: the cast's type is pg_catalog's, the call the
/// exact match of the function the file made, and it passes. With pg_temp searched first the
/// cast's name may find a temporary type the session's role made, and the call is refused.
#[test]
fn a_cast_names_pg_catalogs_type_only_where_the_path_searches_it_first() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fence/pass");
    let path = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("182_"))
        .unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let pinned =
        "  LANGUAGE PLPGSQL\n  SET search_path = pg_catalog, pg_temp\n  AS $$\n    DECLARE";
    assert!(text.contains(pinned));
    assert_eq!(findings(&text), vec![]);
    let temp_first = text.replace(
        pinned,
        &pinned.replace("pg_catalog, pg_temp", "pg_temp, pg_catalog"),
    );
    assert!(rules(&temp_first).contains(&"unqualified-name"));
}

/// A function's parameter type written unqualified is looked up on the path it is made under: the
/// pinned `expert_network, pg_catalog, pg_temp` finds expert_network's `point` (a table's row type)
/// before pg_catalog's, so `expert_network.f(p point)` takes the table's type and a call cast to
/// `pg_catalog.point` is no exact match of it (PG 15: raguser's `expert_network.f(pg_catalog.point)`
/// ran as the superuser through a definer's invoker). Qualified, or under a path that searches
/// pg_catalog first, the parameter is pg_catalog's and the call the exact match.
#[test]
fn an_unqualified_parameter_type_is_pg_catalogs_only_where_the_path_searches_it_first() {
    let file = |param: &str| {
        format!(
            "CREATE TABLE expert_network.point (id int PRIMARY KEY);
CREATE FUNCTION expert_network.f(p {param}) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$ BEGIN RAISE NOTICE 'ours'; END $$;
CREATE FUNCTION expert_network.i() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$ BEGIN PERFORM expert_network.f('(1,2)'::pg_catalog.point); END $$;
CREATE FUNCTION expert_network.d() RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ BEGIN PERFORM expert_network.i(); END $$;
"
        )
    };
    assert!(rules(&file("point")).contains(&"unqualified-name"));
    assert!(rules(&format!(
        "SET search_path TO expert_network, pg_catalog;\n{}",
        file("point")
    ))
    .contains(&"unqualified-name"));
    assert_eq!(findings(&file("pg_catalog.point")), vec![]);
    assert_eq!(
        findings(&format!(
            "SET search_path TO expert_network;\n{}",
            file("point")
        )),
        vec![]
    );
}

/// A function body's rename counts for what a maintenance statement works on: a body that renames
/// a table away and gives another, whose index calls an acting function, its name, leaves a
/// no-transaction `VACUUM (ANALYZE)` of the name evaluating that index (PG 15: the function's
/// DELETE cascaded into raguser's rows in public, with no check after), and so does a REINDEX of
/// an index name a body gives another index.
#[test]
fn maintenance_follows_a_bodys_renames() {
    let refused = maintenance_refused;
    let tables = "CREATE FUNCTION expert_network.mv() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $b$ BEGIN ALTER TABLE expert_network.w RENAME TO w_old; ALTER TABLE expert_network.v RENAME TO w; END $b$;\n";
    let sql_tables = "CREATE FUNCTION expert_network.mv() RETURNS void LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $b$ ALTER TABLE expert_network.w RENAME TO w_old; ALTER TABLE expert_network.v RENAME TO w; $b$;\n";
    let index = "CREATE FUNCTION expert_network.mv() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $b$ BEGIN ALTER INDEX expert_network.w_id RENAME TO w_old; ALTER INDEX expert_network.v_k RENAME TO w_id; END $b$;\n";
    assert!(!refused("VACUUM (ANALYZE) expert_network.w;"));
    for bad in [
        format!("{tables}VACUUM (ANALYZE) expert_network.w;"),
        format!("{sql_tables}VACUUM (ANALYZE) expert_network.w;"),
        format!("{tables}REINDEX TABLE CONCURRENTLY expert_network.w;"),
        format!("{index}REINDEX INDEX CONCURRENTLY expert_network.w_id;"),
    ] {
        assert!(refused(&bad), "{bad}");
    }
}

/// A cast's unqualified type counts as pg_catalog's only where every server version the fence knows
/// has it: on PG 15, `pg_stat_io` (PG 16's view's row type) falls through a pinned path's pg_catalog
/// to pg_temp, where raguser's temporary table of that name took the cast and its
/// `expert_network.f(anyelement)` ran as the superuser through a definer.
#[test]
fn a_cast_to_a_type_some_versions_lack_is_untyped() {
    let typed = |body: &str| {
        let c = super::invoker_calls::of_sql_body(body, &[], true);
        (c.typed, c.overloadable)
    };
    for not in [
        "SELECT expert_network.f(NULL::pg_stat_io)",
        "SELECT expert_network.f(NULL::pg_stat_io[])",
        "SELECT expert_network.f(NULL::int4multirange)",
        "SELECT expert_network.f(NULL::pg_brin_bloom_summary)",
    ] {
        assert_eq!(typed(not), (vec![], true), "{not}");
    }
    assert_eq!(
        typed("SELECT expert_network.f(NULL::pg_catalog.int4multirange)"),
        (
            vec![("f".to_string(), vec!["int4multirange".to_string()])],
            false
        )
    );
    let file = "SET search_path TO expert_network;
CREATE TABLE pg_stat_io (id int PRIMARY KEY);
CREATE FUNCTION f(p pg_stat_io) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$ BEGIN RAISE NOTICE 'ours'; END $$;
CREATE FUNCTION i() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$ BEGIN PERFORM expert_network.f(NULL::pg_stat_io); END $$;
CREATE FUNCTION d() RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ BEGIN PERFORM expert_network.i(); END $$;
";
    assert!(rules(file).contains(&"unqualified-name"));
}

/// A temporary table's stored expressions count for a maintenance statement of it: qualified
/// `pg_temp.w`, or unqualified where the migrations make a temporary `w` (PG 15: a no-transaction
/// `VACUUM (ANALYZE) pg_temp.w` ran the acting function of its index bare, and its DELETE cascaded
/// into raguser's rows in public).
#[test]
fn maintenance_counts_a_temporary_tables_stored_expressions() {
    let refused = maintenance_refused;
    let temp =
        "CREATE TEMP TABLE w (id int);\nCREATE INDEX w_k ON pg_temp.w (expert_network.k(id));\n";
    for bad in [
        format!("{temp}VACUUM (ANALYZE) pg_temp.w;"),
        format!("{temp}CREATE TABLE expert_network.w (id int);\nSET search_path TO pg_temp, expert_network;\nVACUUM (ANALYZE) w;"),
        format!("{temp}REINDEX TABLE CONCURRENTLY pg_temp.w;"),
    ] {
        assert!(refused(&bad), "{bad}");
    }
}

/// A PL/pgSQL trigger body of assignments from constants, NEW/OLD fields and SQL's clock keywords,
/// then RETURN, looks nothing up on the path it runs under; a call, an operator, a cast, a DECLARE
/// or a query may.
#[test]
fn trigger_bodies_that_look_nothing_up() {
    use super::invoker_calls::looks_up_nothing;
    for inert in [
        "\nBEGIN\n    -- keep the stamp\n    NEW.updated_at = CURRENT_TIMESTAMP;\n    RETURN NEW;\nEND;\n",
        "BEGIN NEW.\"updatedAt\" := LOCALTIMESTAMP; NEW.type = 0; NEW.s = 'x'; NEW.a = OLD.a; NEW.b = NULL; RETURN NEW; END",
        "begin return null; end;",
    ] {
        assert!(looks_up_nothing(inert), "{inert}");
    }
    for not in [
        "BEGIN NEW.updated_at = now(); RETURN NEW; END;",
        "BEGIN NEW.updated_at = CURRENT_TIMESTAMP::timestamp; RETURN NEW; END;",
        "BEGIN NEW.n = OLD.n + 1; RETURN NEW; END;",
        "BEGIN IF NEW.a THEN NEW.b = 1; END IF; RETURN NEW; END;",
        "DECLARE t timestamp; BEGIN NEW.a = t; RETURN NEW; END;",
        "BEGIN PERFORM 1; RETURN NEW; END;",
        "BEGIN NEW.a = (SELECT 1); RETURN NEW; END;",
        "BEGIN NEW.a = CURRENT_TIMESTAMP; RETURN NEW; END; x",
        "BEGIN x.a = CURRENT_TIMESTAMP; RETURN NEW; END;",
    ] {
        assert!(!looks_up_nothing(not), "{not}");
    }
}
