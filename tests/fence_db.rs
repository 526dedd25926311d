//! The fence against a database: the corpus through `up` (refused before anything is applied, public
//! unchanged; the legitimate migrations apply), and the database-side guard catching what a static
//! check cannot see.

mod common;
use common::*;
use std::path::Path;

fn corpus(kind: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("tests/fence").join(kind))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn only(file: &Path) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(file, d.path().join(file.file_name().unwrap())).unwrap();
    d
}

#[test]
fn every_refuse_file_is_refused_by_up_with_nothing_applied() {
    let db = TestDb::seeded();
    db.exec("CREATE SCHEMA expert_network");
    let before = (db.dump_public(), outside(&db));
    for file in corpus("refuse") {
        let d = only(&file);
        let path = d.path().to_str().unwrap();
        let r = run(Some(&db.url), &["up", "--dir", path]);
        assert_eq!(
            r.code,
            3,
            "{}: expected exit 3\n{}\n{}",
            file.display(),
            r.stdout,
            r.stderr
        );
        // Whole: up refuses with exactly the refusals `check` reports offline, and says nothing else.
        let offline = run(None, &["check", "--dir", path]);
        let said = r.masked(&[(path, "DIR")]);
        assert!(
            refusals_of(&offline.stdout.replace(path, "DIR")).contains(&said),
            "{}: {said}",
            file.display()
        );
    }
    assert_eq!((db.dump_public(), outside(&db)), before);
    assert!(db.tables("expert_network").is_empty());
    // Refused before anything was written: not even the tracker exists.
    assert_eq!(
        db.one("SELECT to_regclass('public.schema_migrations') IS NULL"),
        "t"
    );
}

/// What `up` may print, exit code and all, for files of which `check` printed `check_out`: its refused
/// findings (each a line and its hint), without the warnings, and the count of them as the error,
/// which says "before connecting" where a refusal is structural and "in pending migrations" where not.
fn refusals_of(check_out: &str) -> [String; 2] {
    let (body, summary) = check_out
        .trim_end()
        .rsplit_once('\n')
        .expect("findings, then check's summary line");
    let mut findings: Vec<String> = Vec::new();
    for line in body.lines() {
        if line.starts_with("DIR/") {
            findings.push(String::new());
        }
        let last = findings.last_mut().expect("a finding's first line");
        *last += line;
        *last += "\n";
    }
    let refused: String = findings
        .iter()
        .filter(|f| f.lines().next().unwrap().contains(": refused ["))
        .map(String::as_str)
        .collect();
    // "86 statements refused (89 findings) in 1 migration (86 statements)"
    let (statements, findings) = summary
        .split(" in ")
        .next()
        .and_then(|c| c.split_once(" refused "))
        .expect("check's summary line");
    ["refused before connecting", "in pending migrations refused"].map(|wording| {
        format!(
            "exit: 3\n--- stdout\n{refused}--- stderr\nError: {statements} {wording} {findings}; nothing was applied\n"
        )
    })
}

#[test]
fn every_refuse_file_is_refused_by_check_with_its_rules() {
    for file in corpus("refuse") {
        let d = only(&file);
        let r = run(
            None,
            &[
                "check",
                "--dir",
                d.path().to_str().unwrap(),
                "--format",
                "json",
            ],
        );
        assert_eq!(r.code, 3, "{}: {}", file.display(), r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        let annotated: std::collections::BTreeSet<&str> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("-- refuse:"))
            .map(str::trim)
            .collect();
        let found: std::collections::BTreeSet<&str> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        for rule in &annotated {
            assert!(
                found.contains(rule),
                "{}: no finding for rule {rule}; found {found:?}",
                file.display()
            );
        }
    }
}

#[test]
fn the_pass_corpus_applies_in_order_and_leaves_public_alone() {
    let db = TestDb::seeded();
    // The corpus is written for PostgreSQL 15+ (BEGIN ATOMIC function bodies, MERGE, security_invoker
    // views); on 13 and 14 the fence still judges it (the unit test), but the server cannot run it.
    let version: i32 = db.one("SHOW server_version_num").parse().unwrap();
    if version < 150000 {
        assert!(
            run(
                None,
                &[
                    "check",
                    "--dir",
                    root().join("tests/fence/pass").to_str().unwrap()
                ]
            )
            .code
                == 0
        );
        return;
    }
    // Supabase creates this publication; a migration may only add expert_network's tables to it.
    db.exec("CREATE PUBLICATION supabase_realtime");
    let before = db.dump_public();
    let d = tempfile::tempdir().unwrap();
    for file in corpus("pass") {
        std::fs::copy(&file, d.path().join(file.file_name().unwrap())).unwrap();
    }
    let path = d.path().to_str().unwrap();
    run(None, &["check", "--dir", path]).assert_code(0);
    let r = run(Some(&db.url), &["up", "--dir", path]);
    r.assert_code(0);
    assert_eq!(db.applied().len(), corpus("pass").len());
    assert_eq!(db.dump_public(), before);
}

/// A function that existed before en-migrate (the static fence cannot see its body) does the damage;
/// the database-side check must roll the migration back.
#[test]
fn the_database_side_check_catches_what_the_parser_cannot_see() {
    let attacks = [
        ("rows", "DELETE FROM public.session"),
        ("create", "CREATE TABLE public.evil (id int)"),
        ("alter", "ALTER TABLE public.\"user\" ADD COLUMN evil text"),
        ("drop", "DROP TABLE public.alembic_version"),
        ("grant", "GRANT ALL ON public.account TO raguser"),
        ("comment", "COMMENT ON TABLE public.chats IS 'evil'"),
        ("truncate", "TRUNCATE public.chat_messages"),
        (
            "function",
            "CREATE FUNCTION public.evil() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        ),
        ("index", "CREATE INDEX evil_idx ON public.documents (id)"),
        (
            "default",
            "ALTER TABLE public.session ALTER COLUMN token SET DEFAULT 'evil'",
        ),
        (
            "constraint",
            "ALTER TABLE public.chats ADD CONSTRAINT evil CHECK (true)",
        ),
        (
            "sequence",
            "ALTER SEQUENCE public.campaign_code_seq INCREMENT 7",
        ),
        (
            "rename",
            "ALTER TABLE public.chunks RENAME COLUMN id TO evil",
        ),
        (
            "move in",
            "ALTER TABLE expert_network.fine_1 SET SCHEMA public",
        ),
    ];
    // Every attack both ways: short runs carry the guard inline, longer ones call it from pg_temp.
    let cases = attacks
        .iter()
        .flat_map(|a| [(a, 1), (a, 4)])
        .collect::<Vec<_>>();
    let mut said = String::new();
    for ((name, attack), ok_files) in cases {
        let db = TestDb::seeded();
        db.exec(&format!(
            "CREATE SCHEMA expert_network;
             CREATE FUNCTION expert_network.innocent() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE {}; END $$;",
            postgres_literal(attack)
        ));
        let before = db.dump_public();
        let mut files: Vec<(String, String)> = (1..=ok_files)
            .map(|k| {
                (
                    format!("00{k}_ok.sql"),
                    format!("CREATE TABLE expert_network.fine_{k} (id int);"),
                )
            })
            .collect();
        let sneaky = format!("00{}_sneaky.sql", files.len() + 1);
        files.push((
            sneaky.clone(),
            // The fence calls only functions the migrations create: this one re-creates it, with SQL
            // computed at run time, which the opt-in lets through to the database-side check.
            format!(
                "-- en-migrate: allow dynamic-sql\nCREATE TABLE expert_network.t (id int);\n\
                 CREATE OR REPLACE FUNCTION expert_network.innocent() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE concat('', {}); END $$;\n\
                 SELECT expert_network.innocent();",
                postgres_literal(attack)
            ),
        ));
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let d = dir(&refs);
        let path = d.path().to_str().unwrap();
        let r = run(Some(&db.url), &["up", "--dir", path]);
        said += &format!("== {name}, {ok_files} before\n{}", guarded(&r, path));
        assert_eq!(db.dump_public(), before, "{name}: public changed");
        assert_eq!(db.applied().len(), files.len() - 1, "{name}");
        assert!(db.to_regclass("expert_network.t").is_none(), "{name}");
    }
    insta::assert_snapshot!(said, @r#"
    == rows, 1 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    --- stderr
    Error: 002_sneaky.sql changed something outside schema expert_network and was rolled back: rows written to public.session (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == rows, 4 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    applied 002_ok.sql (N ms)
    applied 003_ok.sql (N ms)
    applied 004_ok.sql (N ms)
    --- stderr
    Error: 005_sneaky.sql changed something outside schema expert_network and was rolled back: rows written to public.session (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == create, 1 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    --- stderr
    Error: 002_sneaky.sql changed something outside schema expert_network and was rolled back: object in public: table public.evil (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == create, 4 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    applied 002_ok.sql (N ms)
    applied 003_ok.sql (N ms)
    applied 004_ok.sql (N ms)
    --- stderr
    Error: 005_sneaky.sql changed something outside schema expert_network and was rolled back: object in public: table public.evil (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == alter, 1 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    --- stderr
    Error: 002_sneaky.sql changed something outside schema expert_network and was rolled back: column public."user".evil; relation public.user (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == alter, 4 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    applied 002_ok.sql (N ms)
    applied 003_ok.sql (N ms)
    applied 004_ok.sql (N ms)
    --- stderr
    Error: 005_sneaky.sql changed something outside schema expert_network and was rolled back: column public."user".evil; relation public.user (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == drop, 1 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    --- stderr
    Error: 002_sneaky.sql changed something outside schema expert_network and was rolled back: objects outside schema expert_network were dropped or changed (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == drop, 4 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    applied 002_ok.sql (N ms)
    applied 003_ok.sql (N ms)
    applied 004_ok.sql (N ms)
    --- stderr
    Error: 005_sneaky.sql changed something outside schema expert_network and was rolled back: objects outside schema expert_network were dropped or changed (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == grant, 1 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    --- stderr
    Error: 002_sneaky.sql changed something outside schema expert_network and was rolled back: relation public.account (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == grant, 4 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    applied 002_ok.sql (N ms)
    applied 003_ok.sql (N ms)
    applied 004_ok.sql (N ms)
    --- stderr
    Error: 005_sneaky.sql changed something outside schema expert_network and was rolled back: relation public.account (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == comment, 1 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    --- stderr
    Error: 002_sneaky.sql changed something outside schema expert_network and was rolled back: comment on table public.chats (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == comment, 4 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    applied 002_ok.sql (N ms)
    applied 003_ok.sql (N ms)
    applied 004_ok.sql (N ms)
    --- stderr
    Error: 005_sneaky.sql changed something outside schema expert_network and was rolled back: comment on table public.chats (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == truncate, 1 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    --- stderr
    Error: 002_sneaky.sql changed something outside schema expert_network and was rolled back: relation public.chat_messages; relation public.chat_messages_pkey; relation public.chat_messages_session_idx (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == truncate, 4 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    applied 002_ok.sql (N ms)
    applied 003_ok.sql (N ms)
    applied 004_ok.sql (N ms)
    --- stderr
    Error: 005_sneaky.sql changed something outside schema expert_network and was rolled back: relation public.chat_messages; relation public.chat_messages_pkey; relation public.chat_messages_session_idx (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == function, 1 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    --- stderr
    Error: 002_sneaky.sql changed something outside schema expert_network and was rolled back: object in public: function public.evil() (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == function, 4 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    applied 002_ok.sql (N ms)
    applied 003_ok.sql (N ms)
    applied 004_ok.sql (N ms)
    --- stderr
    Error: 005_sneaky.sql changed something outside schema expert_network and was rolled back: object in public: function public.evil() (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == index, 1 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    --- stderr
    Error: 002_sneaky.sql changed something outside schema expert_network and was rolled back: a dependency on public.documents: index public.evil_idx (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == index, 4 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    applied 002_ok.sql (N ms)
    applied 003_ok.sql (N ms)
    applied 004_ok.sql (N ms)
    --- stderr
    Error: 005_sneaky.sql changed something outside schema expert_network and was rolled back: a dependency on public.documents: index public.evil_idx (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == default, 1 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    --- stderr
    Error: 002_sneaky.sql changed something outside schema expert_network and was rolled back: a dependency on public.session: default value for column token of table public.session; column default on public.session; column public.session.token (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == default, 4 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    applied 002_ok.sql (N ms)
    applied 003_ok.sql (N ms)
    applied 004_ok.sql (N ms)
    --- stderr
    Error: 005_sneaky.sql changed something outside schema expert_network and was rolled back: a dependency on public.session: default value for column token of table public.session; column default on public.session; column public.session.token (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == constraint, 1 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    --- stderr
    Error: 002_sneaky.sql changed something outside schema expert_network and was rolled back: a dependency on public.chats: constraint evil on table public.chats; constraint evil on public.chats; relation public.chats (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == constraint, 4 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    applied 002_ok.sql (N ms)
    applied 003_ok.sql (N ms)
    applied 004_ok.sql (N ms)
    --- stderr
    Error: 005_sneaky.sql changed something outside schema expert_network and was rolled back: a dependency on public.chats: constraint evil on table public.chats; constraint evil on public.chats; relation public.chats (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == sequence, 1 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    --- stderr
    Error: 002_sneaky.sql changed something outside schema expert_network and was rolled back: relation public.campaign_code_seq; sequence settings of public.campaign_code_seq (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == sequence, 4 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    applied 002_ok.sql (N ms)
    applied 003_ok.sql (N ms)
    applied 004_ok.sql (N ms)
    --- stderr
    Error: 005_sneaky.sql changed something outside schema expert_network and was rolled back: relation public.campaign_code_seq; sequence settings of public.campaign_code_seq (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == rename, 1 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    --- stderr
    Error: 002_sneaky.sql changed something outside schema expert_network and was rolled back: column public.chunks.evil (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == rename, 4 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    applied 002_ok.sql (N ms)
    applied 003_ok.sql (N ms)
    applied 004_ok.sql (N ms)
    --- stderr
    Error: 005_sneaky.sql changed something outside schema expert_network and was rolled back: column public.chunks.evil (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == move in, 1 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    --- stderr
    Error: 002_sneaky.sql changed something outside schema expert_network and was rolled back: object in public: table public.fine_1 (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    == move in, 4 before
    exit: 3
    --- stdout
    applied 001_ok.sql (N ms)
    applied 002_ok.sql (N ms)
    applied 003_ok.sql (N ms)
    applied 004_ok.sql (N ms)
    --- stderr
    Error: 005_sneaky.sql changed something outside schema expert_network and was rolled back: object in public: table public.fine_1 (catalog state [counts])
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    "#);
}

#[test]
fn unqualified_names_cannot_resolve_into_public_at_run_time() {
    let db = TestDb::seeded();
    // A function without its own search_path, created outside en-migrate, naming `session` unqualified.
    db.exec(
        "CREATE SCHEMA expert_network;
         CREATE FUNCTION expert_network.cleanup() RETURNS void LANGUAGE sql AS 'DELETE FROM session';",
    );
    let sessions = db.one("SELECT count(*) FROM public.session");
    // The fence calls only functions the migrations create, so the migration re-creates it the way
    // it slips past the static half: SQL computed at run time, under the opt-in.
    let d = dir(&[(
        "001_call.sql",
        "-- en-migrate: allow dynamic-sql\n\
         CREATE OR REPLACE FUNCTION expert_network.cleanup() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE concat('DELETE FROM ', 'session'); END $$;\n\
         SELECT expert_network.cleanup();",
    )]);
    let r = run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]);
    insta::assert_snapshot!(r.masked(&[(d.path().to_str().unwrap(), "DIR")]), @r#"
    exit: 1
    --- stdout
    --- stderr
    Error: DIR/001_call.sql at line 3, column 1 failed and was rolled back (SQLSTATE 42P01): relation "session" does not exist
    Context: PL/pgSQL function cleanup() line 1 at EXECUTE
    Nothing was applied in this run.
    "#);
    assert_eq!(db.one("SELECT count(*) FROM public.session"), sessions);
}

/// What the refuse corpus aims at besides public (whose dump holds its sequences' values): the roles it
/// names (the runner's login and the application's, which the seed creates), their memberships and
/// settings, the database's settings, and the settings a new session starts with. Roles and settings
/// are the server's, so only these rows are compared: other tests make roles of their own meanwhile.
fn outside(db: &TestDb) -> Vec<Vec<Option<String>>> {
    db.query(
        "SELECT 'role', r.rolname || ' ' || r.rolsuper || r.rolinherit || r.rolcreaterole || r.rolcreatedb                 || r.rolcanlogin || r.rolreplication || r.rolbypassrls || ' ' || coalesce(r.rolvaliduntil::text, '')                 || ' ' || coalesce(r.rolconfig::text, '')            FROM pg_catalog.pg_roles AS r WHERE r.rolname IN ('postgres', 'raguser')          UNION ALL SELECT 'member', m.roleid::regrole || ' ' || m.member::regrole || ' ' || m.admin_option            FROM pg_catalog.pg_auth_members AS m            WHERE m.member IN (SELECT oid FROM pg_catalog.pg_roles WHERE rolname IN ('postgres', 'raguser'))          UNION ALL SELECT 'db setting', coalesce(s.setconfig::text, '') FROM pg_catalog.pg_db_role_setting AS s            WHERE s.setdatabase = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())          UNION ALL SELECT 'setting', name || '=' || setting FROM pg_catalog.pg_settings            WHERE source NOT IN ('client', 'session') ORDER BY 1, 2",
    )
}

/// What a run the database-side guard stopped said, masked: the catalog's row counts it names differ
/// from one server version to the next.
fn guarded(r: &Run, path: &str) -> String {
    let counts = regex::Regex::new(r"\(catalog state [^)]*\)").unwrap();
    counts
        .replace_all(&r.masked(&[(path, "DIR")]), "(catalog state [counts])")
        .into_owned()
}

fn postgres_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A migration over 1 MB travels in parts, and the server lexes each under whatever the part before left.
/// A part that turns `standard_conforming_strings` off, or changes `client_encoding`, out of the fence's
/// sight (dynamic SQL under the opt-in) must stop the migration before the next part is read otherwise:
/// here that part holds what the fence reads as a harmless SELECT of two strings, and backslash escapes
/// read as a copy of the password hashes into expert_network, which no database-side check would see.
#[test]
fn a_part_that_changes_how_the_next_is_read_stops_the_migration() {
    let mut said = String::new();
    for (left, change) in [
        (
            "standard_conforming_strings = off",
            "SET standard_conforming_strings = off",
        ),
        ("client_encoding = LATIN1", "SET client_encoding = LATIN1"),
    ] {
        let db = TestDb::seeded();
        db.exec("CREATE SCHEMA expert_network");
        let before = db.dump_public();
        let mut text = format!(
            "-- en-migrate: allow dynamic-sql\nCREATE TABLE expert_network.t (id int, note text);\n\
             CREATE FUNCTION expert_network.switch() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE concat('', {}); END $$;\n\
             SELECT expert_network.switch();\n",
            postgres_literal(change)
        );
        while text.len() < 1_200_000 {
            text += "INSERT INTO expert_network.t VALUES (1, 'filler, to make the file longer than one part');\n";
        }
        text += "SELECT 'x\\', '; CREATE TABLE expert_network.loot AS SELECT rolname, rolpassword FROM pg_catalog.pg_authid; --'\n;\n";
        let d = dir(&[("001_big.sql", &text)]);
        let path = d.path().to_str().unwrap();
        run(None, &["check", "--dir", path]).assert_code(0);
        let r = run(Some(&db.url), &["up", "--dir", path]);
        said += &guarded(&r, path);
        assert!(db.applied().is_empty(), "{left}");
        assert_eq!(db.to_regclass("expert_network.t"), None, "{left}");
        assert_eq!(db.to_regclass("expert_network.loot"), None, "{left}");
        assert_eq!(db.dump_public(), before, "{left}");
    }
    insta::assert_snapshot!(said, @"
    exit: 3
    --- stdout
    --- stderr
    Error: 001_big.sql changed something outside schema expert_network and was rolled back: up to line 11652 it left standard_conforming_strings = off and client_encoding = UTF8, under which the server would read the rest of the file unlike the fence read it. Keep standard_conforming_strings on and client_encoding UTF8
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    exit: 3
    --- stdout
    --- stderr
    Error: 001_big.sql changed something outside schema expert_network and was rolled back: up to line 11652 it left standard_conforming_strings = on and client_encoding = LATIN1, under which the server would read the rest of the file unlike the fence read it. Keep standard_conforming_strings on and client_encoding UTF8
    Hint: the database's own check caught what the static fence did not; keep every change inside expert_network
    ");
}

/// A no-transaction file's statements travel one a message, so each is lexed under what the one before
/// left: the same check runs between them, and the statement that would be read otherwise never runs.
#[test]
fn a_no_transaction_statement_is_not_read_under_what_the_one_before_left() {
    let db = TestDb::seeded();
    db.exec("CREATE SCHEMA expert_network");
    // The switch is made by a transactional file (the opt-in does not apply in a no-transaction one)
    // and called by the no-transaction file, in a transaction with the database-side check around it
    // that commits: the setting outlives it, as a bare statement's would.
    let switch = "-- en-migrate: allow dynamic-sql\n\
        CREATE FUNCTION expert_network.switch() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE concat('SET standard_conforming_strings', ' = off'); END $$;\n";
    let text = "-- en-migrate: no-transaction\n\
        SELECT expert_network.switch();\n\
        SELECT 'x\\', '; CREATE TABLE expert_network.loot AS SELECT rolname, rolpassword FROM pg_catalog.pg_authid; --'\n;\n";
    let d = dir(&[("001_switch.sql", switch), ("002_notx.sql", text)]);
    let path = d.path().to_str().unwrap();
    run(None, &["check", "--dir", path]).assert_code(0);
    let r = run(Some(&db.url), &["up", "--dir", path]);
    insta::assert_snapshot!(r.masked(&[(path, "DIR")]), @"
    exit: 1
    --- stdout
    applied 001_switch.sql (N ms)
    --- stderr
    Error: DIR/002_notx.sql:3 failed (SQLSTATE EN001): the migration changed how PostgreSQL reads its text
    Detail: up to line 2 it left standard_conforming_strings = off and client_encoding = UTF8, under which the server would read the rest of the file unlike the fence read it. Keep standard_conforming_strings on and client_encoding UTF8
    It ran without a transaction, so nothing was rolled back. The statements before it took effect and stay (line 2); the file is not recorded, so the next `up` runs them again.
    Hint: fix the cause; make the statements that took effect idempotent (IF NOT EXISTS, IF EXISTS) or undo them by hand, then run `en-migrate up` again
    ");
    assert_eq!(db.to_regclass("expert_network.loot"), None);
    assert_eq!(db.applied(), vec!["001_switch.sql".to_string()]);
}

/// No database-side check follows what a no-transaction file must run bare (here a DO block that
/// commits), so the fence refuses a call of the migrations' function there (through computed SQL the
/// fence cannot read, opted into with `allow dynamic-sql` by an earlier file, it made objects in
/// pg_catalog: refuse corpus 141), and what such a block left in pg_catalog stops the next run.
/// (The same call alone runs guarded, and the check refuses it: guard_db.rs.)
#[test]
fn a_no_transaction_file_that_leaves_objects_in_pg_catalog_stops_the_run() {
    for (made, listed) in [
        (
            "CREATE TYPE pg_catalog.zz_made AS ENUM (''a'')",
            "type pg_catalog.zz_made",
        ),
        // Before a run, an extension's types are listed (its functions are not).
        (
            "CREATE EXTENSION hstore SCHEMA pg_catalog",
            "type pg_catalog.hstore",
        ),
    ] {
        let db = TestDb::seeded();
        let (head, tail) = made.split_at(made.find(' ').unwrap());
        let maker = format!(
            "-- en-migrate: allow dynamic-sql\nCREATE FUNCTION expert_network.maker() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE concat('{head}', '{tail}'); END $$;"
        );
        let d = dir(&[
            (
                "001_schema.sql",
                "CREATE SCHEMA IF NOT EXISTS expert_network;",
            ),
            ("002_maker.sql", &maker),
            (
                "003_call.sql",
                "-- en-migrate: no-transaction\nDO $$ BEGIN PERFORM expert_network.maker(); COMMIT; END $$;",
            ),
            (
                "004_after.sql",
                "CREATE TABLE expert_network.after_it (id int);",
            ),
        ]);
        let path = d.path().to_str().unwrap();
        // The fence refuses the call in the block that commits now (refuse corpus 141): it ran
        // bare, and only this check after the file saw what it made.
        let check = run(None, &["check", "--dir", path]);
        check.assert_code(3);
        assert!(
            check.stdout.contains("in a DO block that commits"),
            "{}",
            check.stdout
        );
        // What such a block made (here by hand, as its call did) still stops the next run.
        db.exec(&made.replace("''", "'"));
        let first = dir(&[(
            "001_schema.sql",
            "CREATE SCHEMA IF NOT EXISTS expert_network;",
        )]);
        run(
            Some(&db.url),
            &["up", "--dir", first.path().to_str().unwrap()],
        )
        .assert_code(3)
        .assert_stderr("pg_catalog holds what the server did not make")
        .assert_stderr(listed);
        // Refused before it made en-migrate's tracker: nothing ran.
        assert_eq!(db.to_regclass("public.schema_migrations"), None);
    }
}

/// A function or operator a superuser made in pg_catalog takes an unqualified call the fence reads as
/// the built-in's (`lower(name)` over a varchar column, with a `pg_catalog.lower(varchar)` made, calls
/// the new one): `up` refuses to start while pg_catalog holds one.
#[test]
fn up_refuses_a_pg_catalog_holding_functions_or_operators_the_server_did_not_make() {
    let db = TestDb::seeded();
    db.exec(
        "CREATE SCHEMA expert_network;
         CREATE FUNCTION pg_catalog.lower(character varying) RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$;
         CREATE FUNCTION pg_catalog.zz_eq(int, text) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
         CREATE OPERATOR pg_catalog.= (LEFTARG = int, RIGHTARG = text, FUNCTION = pg_catalog.zz_eq);",
    );
    let d = dir(&[(
        "001_t.sql",
        "CREATE TABLE expert_network.t (name varchar);\nSELECT lower(name) FROM expert_network.t;",
    )]);
    let path = d.path().to_str().unwrap();
    run(None, &["check", "--dir", path]).assert_code(0);
    run(Some(&db.url), &["up", "--dir", path])
        .assert_code(3)
        .assert_stderr("pg_catalog holds what the server did not make")
        .assert_stderr("function lower(character varying); function zz_eq(integer,text); operator =(integer,text)");
    assert_eq!(db.to_regclass("expert_network.t"), None);
}

/// The fence resolves an unqualified name no object of expert_network answers yet as if pg_catalog held
/// only the server's own: a type a superuser made there, or a table moved there, would be what the
/// name finds (PG 15: `DROP TYPE IF EXISTS zz_mood CASCADE` before the migration that makes
/// expert_network's dropped pg_catalog.zz_mood). `up` refuses to start while pg_catalog holds one.
#[test]
fn up_refuses_a_pg_catalog_holding_what_the_server_did_not_make() {
    let db = TestDb::seeded();
    db.exec(
        "CREATE SCHEMA expert_network;
         CREATE TYPE pg_catalog.zz_mood AS ENUM ('a');
         CREATE TABLE public.zz_moved (a int);
         ALTER TABLE public.zz_moved SET SCHEMA pg_catalog;",
    );
    let d = dir(&[
        (
            "001_types.sql",
            "DROP TYPE IF EXISTS zz_mood CASCADE;\nCREATE TYPE expert_network.zz_mood AS ENUM ('b');",
        ),
        (
            "002_tables.sql",
            "DROP TABLE IF EXISTS zz_moved;\nCREATE TABLE expert_network.zz_moved (a int);",
        ),
    ]);
    let path = d.path().to_str().unwrap();
    run(None, &["check", "--dir", path]).assert_code(0);
    let r = run(Some(&db.url), &["up", "--dir", path]);
    insta::assert_snapshot!(r.masked(&[(path, "DIR")]), @"
    exit: 3
    --- stdout
    --- stderr
    Error: pg_catalog holds what the server did not make, which a migration's unqualified name may find: type pg_catalog.zz_mood; relation pg_catalog.zz_moved; nothing was applied
    Hint: move those objects out of pg_catalog (ALTER ... SET SCHEMA) or drop them: the fence resolves unqualified names as if pg_catalog held only the server's own
    ");
    assert_eq!(
        db.one("SELECT pg_catalog.to_regtype('pg_catalog.zz_mood') IS NOT NULL"),
        "t"
    );
    assert_eq!(
        db.to_regclass("pg_catalog.zz_moved").as_deref(),
        Some("zz_moved")
    );
    // Refused before the tracker was made.
    assert_eq!(db.to_regclass("public.schema_migrations"), None);
}

/// The fence takes a statistics object named unqualified by DROP, ALTER or COMMENT for
/// expert_network's, as pg_catalog holds none the server made and pg_temp is never searched for
/// them; one a superuser made in pg_catalog (PG 15 allows `CREATE STATISTICS pg_catalog.s`), which
/// the pinned path searches first, stops the run before anything is applied.
#[test]
fn up_refuses_a_pg_catalog_holding_a_statistics_object_the_server_did_not_make() {
    let db = TestDb::seeded();
    db.exec(
        "CREATE SCHEMA expert_network;
         CREATE TABLE public.zz_stat_t (a int, b int);
         CREATE STATISTICS pg_catalog.zz_stat ON a, b FROM public.zz_stat_t;",
    );
    let d = dir(&[("001_stats.sql", "DROP STATISTICS IF EXISTS zz_stat;")]);
    let path = d.path().to_str().unwrap();
    run(None, &["check", "--dir", path]).assert_code(0);
    let r = run(Some(&db.url), &["up", "--dir", path]);
    r.assert_code(3);
    assert!(
        r.stderr.contains("statistics object pg_catalog.zz_stat"),
        "{}",
        r.stderr
    );
    assert_eq!(
        db.one("SELECT count(*) FROM pg_catalog.pg_statistic_ext WHERE stxname = 'zz_stat'"),
        "1"
    );
    assert_eq!(db.to_regclass("public.schema_migrations"), None);
}
