//! Hostile migration files: bad encodings, file names at the edges of the grammar, and SQL that
//! defeats naive statement splitting. Refusals must happen before connecting (an unreachable URL
//! proves it); what is accepted must build exactly what `psql -1 -f` builds from the same file.

mod common;
use common::*;
use std::process::Command;

/// A URL nobody listens on: a command that fails with it did not need a connection.
const NOWHERE: &str = "postgres://postgres:pw@127.0.0.1:1/x";

fn dir_bytes(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (name, body) in files {
        std::fs::write(d.path().join(name), body).unwrap();
    }
    d
}

/// What `command` (`up` or `status`, with [`NOWHERE`]; `check`, offline) says about the files in `d`,
/// masked, the directory as `DIR`: compared whole, it shows the refusal came before any connection.
fn refused_offline(command: &str, d: &tempfile::TempDir) -> String {
    let path = d.path().to_str().unwrap();
    let r = match command {
        "check" => run(None, &["check", "--dir", path]),
        _ => run(
            Some(NOWHERE),
            &[command, "--dir", path, "--connect-timeout", "1"],
        ),
    };
    assert_ne!(r.code, 0, "accepted: {r:?}");
    r.masked(&[(path, "DIR")])
}

/// `up`, `status` and `check` on 001 and the file `name` holding `bytes`: one refusal, three times.
fn encoding_refusal(name: &str, bytes: &[u8]) -> String {
    let d = dir_bytes(&[
        ("001_ok.sql", b"CREATE TABLE expert_network.ok (id int);\n"),
        (name, bytes),
    ]);
    let up = refused_offline("up", &d);
    for command in ["status", "check"] {
        assert_eq!(
            refused_offline(command, &d),
            up,
            "{command} refuses otherwise than up"
        );
    }
    up
}

#[test]
fn bad_encodings_are_refused_before_connecting_naming_file_line_and_byte() {
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "SELECT 1;\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let mut utf16be = vec![0xFE, 0xFF];
    for u in "SELECT 1;\n".encode_utf16() {
        utf16be.extend_from_slice(&u.to_be_bytes());
    }
    insta::assert_snapshot!(the_problem(&encoding_refusal("002_latin1.sql", b"SELECT 1;\nINSERT INTO expert_network.ok VALUES (1); -- caf\xE9\n")), @"DIR/002_latin1.sql: not UTF-8: byte 0xE9 at line 2, byte 58 (Latin-1 or another legacy encoding?); save the file as UTF-8");
    insta::assert_snapshot!(the_problem(&encoding_refusal("002_utf16.sql", &utf16)), @"DIR/002_utf16.sql: the file is UTF-16 (byte order mark at line 1, byte 0); save it as UTF-8");
    insta::assert_snapshot!(the_problem(&encoding_refusal("002_utf16be.sql", &utf16be)), @"DIR/002_utf16be.sql: the file is UTF-16 (byte order mark at line 1, byte 0); save it as UTF-8");
    insta::assert_snapshot!(the_problem(&encoding_refusal("002_nul.sql", b"SELECT 1;\nSELECT 2;\0\n")), @"DIR/002_nul.sql: NUL byte at line 2, byte 19; PostgreSQL cannot take NUL in SQL text");
}

#[test]
fn versions_order_numerically_not_as_text() {
    let db = TestDb::seeded();
    // As text, 010_b sorts first and fails: its table references 9_a's.
    let d = dir(&[
        ("9_a.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.a (id int PRIMARY KEY);\n"),
        ("010_b.sql", "CREATE TABLE expert_network.b (a_id int REFERENCES expert_network.a (id));\n"),
        // Editor leftovers are not migrations.
        (".010_b.sql.swp", "\u{0}\u{1}binary swap"),
        ("010_b.sql.swp", "garbage"),
        ("010_b.sql~", "garbage"),
        ("README.md", "notes"),
    ]);
    let r = run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]);
    r.assert_code(0);
    assert_eq!(db.applied(), ["9_a.sql", "010_b.sql"]);
    let r = run(
        Some(&db.url),
        &["status", "--dir", d.path().to_str().unwrap()],
    );
    // Whole: no editor leftover or README is listed.
    insta::assert_snapshot!(r.masked(&[]), @"
    exit: 0
    --- stdout
    migration  state     applied at                        ms
    9_a.sql    applied   [applied at]  [ms]
    010_b.sql  applied   [applied at]  [ms]
    --- stderr
    ");
}

#[test]
fn malformed_file_names_are_all_refused_before_connecting() {
    let d = dir(&[
        ("001_ok.sql", "CREATE TABLE expert_network.ok (id int);\n"),
        ("99999999999999999999_x.sql", "SELECT 1;\n"),
        ("003-a.sql", "SELECT 1;\n"),
        ("005_Upper.sql", "SELECT 1;\n"),
        ("006_y.SQL", "SELECT 1;\n"),
    ]);
    std::fs::create_dir(d.path().join("004_x.sql")).unwrap();
    // Every problem is listed at once. In the directory's listing order, which the file system picks:
    // sorted here.
    let said = refused_offline("up", &d);
    let (head, problems) = said.split_once("\n  ").unwrap();
    let mut problems: Vec<&str> = problems.lines().map(str::trim_start).collect();
    problems.sort();
    insta::assert_snapshot!(format!("{head}\n  {}\n", problems.join("\n  ")), @"
    exit: 1
    --- stdout
    --- stderr
    Error: 5 problems with the migration files in DIR:
      DIR/003-a.sql: expected NNN_name.sql (a number, an underscore, a name) or R_name.sql (repeatable)
      DIR/004_x.sql: named like a migration but is not a regular file
      DIR/005_Upper.sql: the name after the version must match [a-z0-9_]+
      DIR/006_y.SQL: the extension must be lower-case `.sql`
      DIR/99999999999999999999_x.sql: version 99999999999999999999 does not fit in 64 bits
    ");
    // The largest version that fits is fine.
    let d = dir(&[(
        "18446744073709551615_max.sql",
        "CREATE TABLE expert_network.ok (id int);\n",
    )]);
    let r = run(None, &["check", "--dir", d.path().to_str().unwrap()]);
    r.assert_code(0);
}

/// Every way a naive splitter gets `;` wrong. Version 14+ adds SQL-standard function bodies.
fn torture(v14: bool) -> String {
    let mut sql = String::from(
        r#"-- it's a comment; with 'quotes' and $$dollars$$ and "idents
CREATE SCHEMA IF NOT EXISTS expert_network;
/* a block comment /* nested; with 'an apostrophe */ still inside; $$ */
CREATE TABLE expert_network."semi;colon" (
    id int PRIMARY KEY,
    "quo""ted;col" text DEFAULT 'a;b',
    note text DEFAULT E'it\'s $$ not a dollar quote; \\ still the string',
    tag text DEFAULT $tag$ $$ ; inside a tagged quote $tag$,
    uni text DEFAULT U&'\0041;\+000042'
);
COMMENT ON TABLE expert_network."semi;colon" IS 'semicolons; everywhere; $$ -- /*';
CREATE FUNCTION expert_network.nested() RETURNS text LANGUAGE plpgsql AS $outer$
BEGIN
    -- a comment inside the body; $$
    RETURN $inner$ inner ; $$ not the end $inner$ || $$;$$ || E'\';' || 'END;';
END
$outer$;
CREATE TABLE expert_network.U&"d\0061t\+000061" (U&"v!0061l" UESCAPE '!' int DEFAULT 1, "x;" text);
CREATE VIEW expert_network.v AS SELECT id, ';' AS semi, $$'$$ AS apostrophe FROM expert_network."semi;colon";
INSERT INTO expert_network."semi;colon" (id, "quo""ted;col") VALUES (1, 'x;y'), (2, $$';'$$), (3, E'\n;\n');
INSERT INTO expert_network.data (val, "x;") VALUES (2, expert_network.nested());
"#,
    );
    if v14 {
        sql += r#"CREATE FUNCTION expert_network.atomic_add(a int, b int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
    SELECT a + b;
END;
CREATE PROCEDURE expert_network.atomic_ins(v int) LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO expert_network."semi;colon" (id, note) VALUES (v, 'first;');
    INSERT INTO expert_network."semi;colon" (id, note) VALUES (v + 1000, 'second;');
END;
CALL expert_network.atomic_ins(10);
"#;
    }
    sql += "SELECT 'the end; no semicolon after this comment' -- ;";
    sql
}

#[test]
fn splitting_torture_builds_what_psql_builds() {
    let ours = TestDb::empty();
    let theirs = TestDb::empty();
    let v14 = server_version(&ours.url) >= 140000;
    let d = dir(&[("001_torture.sql", &torture(v14))]);
    let file = d.path().join("001_torture.sql");

    let r = run(
        Some(&ours.url),
        &["up", "--dir", d.path().to_str().unwrap()],
    );
    r.assert_code(0);
    let out = Command::new(client_bindir().join("psql"))
        .args([&theirs.url, "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-f"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "psql -1 -f failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let listing = ours.catalog("expert_network", true);
    assert_eq!(listing, theirs.catalog("expert_network", true));
    // The listing saw what the file made, so the comparison means something.
    for expect in [
        "relation semi;colon r",
        "relation data r",
        "column data.val integer",
        "function CREATE OR REPLACE FUNCTION expert_network.nested()",
    ] {
        assert!(
            listing.iter().any(|l| l.starts_with(expect)),
            "{expect:?} missing from {listing:#?}"
        );
    }
    assert_eq!(
        ours.one("SELECT expert_network.nested()"),
        " inner ; $$ not the end ;';END;"
    );
    assert_eq!(
        ours.one(r#"SELECT count(*) FROM expert_network."semi;colon""#),
        if v14 { "5" } else { "3" }
    );
    if v14 {
        assert!(
            listing.iter().any(|l| l.contains("BEGIN ATOMIC")),
            "{listing:#?}"
        );
    }
    if pg_dump_usable(&ours.url) {
        let dump = |db: &TestDb| {
            let out = Command::new(client_bindir().join("pg_dump"))
                .args(["--schema=expert_network", "--schema-only", &db.url])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            strip_restrict(&String::from_utf8_lossy(&out.stdout))
        };
        assert_eq!(dump(&ours), dump(&theirs));
    }
}

#[test]
fn repeatable_file_names_follow_the_same_grammar_and_are_refused_before_connecting() {
    let refused = |bad: &str| {
        let d = dir(&[
            ("001_ok.sql", "CREATE TABLE expert_network.ok (id int);\n"),
            (bad, "SELECT 1;\n"),
        ]);
        refused_offline("up", &d)
    };
    insta::assert_snapshot!(the_problem(&refused("r_view.sql")), @"DIR/r_view.sql: expected NNN_name.sql (the version must be digits) or R_name.sql (repeatable, capital R)");
    insta::assert_snapshot!(the_problem(&refused("R_View.sql")), @"DIR/R_View.sql: the name of a repeatable file R_name.sql must match [a-z0-9_]+");
    insta::assert_snapshot!(the_problem(&refused("R_.sql")), @"DIR/R_.sql: the name of a repeatable file R_name.sql must match [a-z0-9_]+");
    insta::assert_snapshot!(the_problem(&refused("R-view.sql")), @"DIR/R-view.sql: expected NNN_name.sql (a number, an underscore, a name) or R_name.sql (repeatable)");
    // Two repeatable files never collide on a version, and a repeatable file may not be empty.
    let d = dir(&[
        ("R_a.sql", "-- only a comment\n"),
        ("R_b.sql", "SELECT 1;\n"),
    ]);
    insta::assert_snapshot!(the_problem(&refused_offline("up", &d)), @"DIR/R_a.sql: the file is empty or holds only comments; add SQL or delete the file");
}
