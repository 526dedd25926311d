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

fn refused_offline(d: &tempfile::TempDir) -> Run {
    let r = run(
        Some(NOWHERE),
        &[
            "up",
            "--dir",
            d.path().to_str().unwrap(),
            "--connect-timeout",
            "1",
        ],
    );
    assert_ne!(r.code, 0, "accepted: {r:?}");
    assert!(
        !r.stderr.contains("cannot connect"),
        "it tried to connect first:\n{}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r
}

#[test]
fn bad_encodings_are_refused_before_connecting_naming_file_line_and_byte() {
    let good: &[u8] = b"CREATE TABLE expert_network.ok (id int);\n";
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "SELECT 1;\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let mut utf16be = vec![0xFE, 0xFF];
    for u in "SELECT 1;\n".encode_utf16() {
        utf16be.extend_from_slice(&u.to_be_bytes());
    }
    let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        (
            "002_latin1.sql",
            b"SELECT 1;\nINSERT INTO expert_network.ok VALUES (1); -- caf\xE9\n".to_vec(),
            vec!["not UTF-8", "byte 0xE9", "line 2", "byte 58"],
        ),
        ("002_utf16.sql", utf16, vec!["UTF-16", "line 1", "byte 0"]),
        (
            "002_utf16be.sql",
            utf16be,
            vec!["UTF-16", "line 1", "byte 0"],
        ),
        (
            "002_nul.sql",
            b"SELECT 1;\nSELECT 2;\0\n".to_vec(),
            vec!["NUL byte", "line 2", "byte 19"],
        ),
    ];
    for (name, bytes, expect) in cases {
        let d = dir_bytes(&[("001_ok.sql", good), (name, &bytes)]);
        let r = refused_offline(&d);
        assert!(
            r.stderr.contains(name),
            "{name} is not named:\n{}",
            r.stderr
        );
        for e in expect {
            assert!(
                r.stderr.contains(e),
                "{name}: expected {e:?} in:\n{}",
                r.stderr
            );
        }
        // `status` and `check` refuse the same file.
        let r = run(
            Some(NOWHERE),
            &[
                "status",
                "--dir",
                d.path().to_str().unwrap(),
                "--connect-timeout",
                "1",
            ],
        );
        assert!(
            r.code != 0 && r.stderr.contains(name) && !r.stderr.contains("cannot connect"),
            "{r:?}"
        );
        let r = run(None, &["check", "--dir", d.path().to_str().unwrap()]);
        assert!(r.code != 0 && r.stderr.contains(name), "{r:?}");
    }
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
    r.assert_code(0);
    assert!(
        !r.stdout.contains("swp") && !r.stdout.contains("README"),
        "{}",
        r.stdout
    );
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
    let r = refused_offline(&d);
    for (name, why) in [
        ("99999999999999999999_x.sql", "does not fit in 64 bits"),
        ("003-a.sql", "expected NNN_name.sql"),
        ("004_x.sql", "not a regular file"),
        ("005_Upper.sql", "[a-z0-9_]+"),
        ("006_y.SQL", "lower-case `.sql`"),
    ] {
        let line = r
            .stderr
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not named:\n{}", r.stderr));
        assert!(line.contains(why), "{name}: expected {why:?} in {line:?}");
    }
    assert!(
        r.stderr.contains("5 problems"),
        "every problem is listed at once:\n{}",
        r.stderr
    );
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
    for (bad, expect) in [
        ("r_view.sql", "capital R"),
        ("R_View.sql", "must match [a-z0-9_]+"),
        ("R_.sql", "must match [a-z0-9_]+"),
        ("R-view.sql", "R_name.sql"),
    ] {
        let d = dir(&[
            ("001_ok.sql", "CREATE TABLE expert_network.ok (id int);\n"),
            (bad, "SELECT 1;\n"),
        ]);
        let r = refused_offline(&d);
        r.assert_stderr(bad).assert_stderr(expect);
    }
    // Two repeatable files never collide on a version, and a repeatable file may not be empty.
    let d = dir(&[
        ("R_a.sql", "-- only a comment\n"),
        ("R_b.sql", "SELECT 1;\n"),
    ]);
    refused_offline(&d).assert_stderr("R_a.sql: the file is empty or holds only comments");
}
