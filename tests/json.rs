//! `--format json` as a tool reads it: every command, success or failure, prints exactly one JSON
//! document on stdout with `ok`, and on failure an `error` object (kind, message, exit_code, and where
//! known file, line, column, sqlstate, hint). Also the failing statement's line and column, the
//! database ahead of a rolling deploy's files, and the roles pre-flight, whose reports these documents
//! carry.

mod common;
use common::*;
use serde_json::Value;

fn path(d: &tempfile::TempDir) -> &str {
    d.path().to_str().unwrap()
}

const NOWHERE: &str = "postgres://postgres:pw@127.0.0.1:1/x";

/// Parses stdout as one JSON document (serde_json refuses trailing text) and checks the contract.
/// `up --format json` over `d`: its one document.
fn up_json(db: &TestDb, d: &tempfile::TempDir) -> Value {
    doc(
        &run(Some(&db.url), &["up", "--dir", path(d), "--format", "json"]),
        "up",
    )
}

fn doc(r: &Run, command: &str) -> Value {
    let v: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}):\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        )
    });
    assert_eq!(v["command"], command, "{v:#}");
    assert_eq!(v["ok"], r.code == 0, "{v:#}");
    if r.code != 0 {
        let e = &v["error"];
        assert_eq!(e["exit_code"], r.code, "{v:#}");
        assert!(e["kind"].is_string() && e["message"].is_string(), "{v:#}");
    } else {
        assert!(v.get("error").is_none(), "{v:#}");
    }
    v
}

fn schema() -> (&'static str, &'static str) {
    (
        "001_schema.sql",
        "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.t (id int);\n",
    )
}

#[test]
fn a_runtime_error_without_a_position_names_the_statements_line_and_what_applied_before() {
    let db = TestDb::empty();
    let d = dir(&[
        schema(),
        (
            "002_bad.sql",
            "-- a comment first\nINSERT INTO expert_network.t VALUES (1);\n\n  /* then */ SELECT 1 / 0;\nSELECT 2;\n",
        ),
    ]);
    let r = run(
        Some(&db.url),
        &["up", "--dir", path(&d), "--format", "json"],
    );
    r.assert_code(1);
    let v = doc(&r, "up");
    let e = &v["error"];
    assert_eq!(e["kind"], "migration");
    assert!(e["file"].as_str().unwrap().ends_with("002_bad.sql"));
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(4), Some(14)),
        "{v:#}"
    );
    assert_eq!(e["sqlstate"], "22012");
    assert_eq!(v["applied"][0]["name"], "001_schema.sql");
    assert_eq!(db.applied(), ["001_schema.sql"]);
    // Text says the same place.
    let r = run(Some(&db.url), &["up", "--dir", path(&d)]);
    r.assert_code(1).assert_stderr("002_bad.sql at line 4, column 14 failed and was rolled back (SQLSTATE 22012): division by zero");
}

#[test]
fn a_positioned_error_maps_through_en_migrates_opening_and_carries_detail_hint_and_context() {
    let db = TestDb::empty();
    let d = dir(&[
        schema(),
        (
            "002_missing.sql",
            "INSERT INTO expert_network.t VALUES (1);\nSELECT *\n  FROM expert_network.nope;\n",
        ),
    ]);
    let v = up_json(&db, &d);
    assert_eq!(
        (v["error"]["line"].as_u64(), v["error"]["column"].as_u64()),
        (Some(3), Some(8)),
        "{v:#}"
    );
    assert_eq!(v["error"]["sqlstate"], "42P01");

    // PL/pgSQL: the DO statement's line, the server's hint, detail and context.
    std::fs::write(
        d.path().join("002_missing.sql"),
        "SELECT 1;\nDO $$\nBEGIN\n  RAISE EXCEPTION 'boom' USING DETAIL = 'the detail', HINT = 'the hint';\nEND $$;\n",
    )
    .unwrap();
    let v = up_json(&db, &d);
    let e = &v["error"];
    assert_eq!(e["line"], 2, "{v:#}");
    assert_eq!(e["sqlstate"], "P0001");
    assert_eq!(e["detail"], "the detail");
    assert_eq!(e["hint"], "the hint");
    assert_eq!(
        e["context"],
        "PL/pgSQL function inline_code_block line 3 at RAISE"
    );
    // In text, the whole error: the message with the server's detail and context, what this run
    // applied, and the hint last, on its own line.
    let r = run(Some(&db.url), &["up", "--dir", path(&d)]);
    assert_eq!(
        masked(&r.stderr, &[(path(&d), "DIR")]),
        "Error: DIR/002_missing.sql at line 2, column 1 failed and was rolled back (SQLSTATE P0001): boom\n\
         Detail: the detail\n\
         Context: PL/pgSQL function inline_code_block line 3 at RAISE\n\
         Nothing was applied in this run.\n\
         Hint: the hint\n"
    );
}

#[test]
fn a_no_transaction_migrations_error_names_its_line() {
    let db = TestDb::empty();
    let d = dir(&[
        schema(),
        (
            "002_ix.sql",
            "-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY t_nope ON expert_network.t (nope);\n",
        ),
    ]);
    let v = up_json(&db, &d);
    assert_eq!(
        (v["error"]["line"].as_u64(), v["error"]["sqlstate"].as_str()),
        (Some(2), Some("42703")),
        "{v:#}"
    );
}

#[test]
fn every_failure_kind_is_one_document() {
    let db = TestDb::empty();
    let d = dir(&[schema()]);
    // connection
    let r = run(
        Some(NOWHERE),
        &["status", "--format", "json", "--connect-timeout", "1"],
    );
    r.assert_code(1);
    assert_eq!(doc(&r, "status")["error"]["kind"], "connection");
    let r = run(
        Some(NOWHERE),
        &["verify", "--format", "json", "--connect-timeout", "1"],
    );
    assert_eq!(doc(&r, "verify")["error"]["kind"], "connection");
    // usage, from clap and from en-migrate
    let r = run(None, &["up", "--bogus", "--format", "json"]);
    r.assert_code(2);
    assert_eq!(doc(&r, "up")["error"]["kind"], "usage");
    let r = run(
        Some(NOWHERE),
        &["up", "--set", "app_role=select", "--format", "json"],
    );
    r.assert_code(2);
    let v = doc(&r, "up");
    assert_eq!(v["error"]["kind"], "usage");
    insta::assert_snapshot!(v["error"]["message"].as_str().unwrap(), @"--set app_role=select: select is a reserved word in SQL and cannot name a role unquoted; choose another name");
    // refused by the fence, in up: an up document with the findings, not a check document
    let bad = dir(&[("001_x.sql", "CREATE TABLE public.x (id int);\n")]);
    let r = run(
        Some(&db.url),
        &["up", "--dir", path(&bad), "--format", "json"],
    );
    r.assert_code(3);
    let v = doc(&r, "up");
    assert_eq!(v["error"]["kind"], "refused");
    assert_eq!(v["findings"][0]["line"], 1, "{v:#}");
    // check refused: an outcome, not an error, still with an error object
    let r = run(None, &["check", "--dir", path(&bad), "--format", "json"]);
    r.assert_code(3);
    assert_eq!(doc(&r, "check")["error"]["kind"], "refused");
    // drift
    run(Some(&db.url), &["up", "--dir", path(&d)]).assert_code(0);
    std::fs::write(
        d.path().join("001_schema.sql"),
        "CREATE SCHEMA IF NOT EXISTS expert_network;\n",
    )
    .unwrap();
    let r = run(
        Some(&db.url),
        &["up", "--dir", path(&d), "--format", "json"],
    );
    r.assert_code(4);
    let v = doc(&r, "up");
    assert_eq!(v["error"]["kind"], "drift");
    assert!(v["error"]["hint"].is_null() || v["error"]["hint"].is_string());
    // success: ok true, and the hint of a failure is its own field
    let r = run(
        Some(&db.url),
        &["status", "--dir", path(&d), "--format", "json"],
    );
    r.assert_code(0);
    assert_eq!(doc(&r, "status")["migrations"][0]["state"], "changed");
    let r = run(
        None,
        &["check", "--dir", "/nonexistent-dir", "--format", "json"],
    );
    r.assert_code(1);
    let v = doc(&r, "check");
    insta::assert_snapshot!(masked(&v["error"].to_string(), &[]), @r#"{"kind":"connection","message":"cannot read the migrations directory /nonexistent-dir; pass --dir with an existing directory\nCaused by: No such file or directory (os error 2)","exit_code":1}"#);
}

#[test]
fn a_database_ahead_of_these_files_is_not_drift_unless_strict_but_a_gap_is() {
    let db = TestDb::empty();
    let newer = dir(&[
        schema(),
        ("002_two.sql", "SELECT 2;\n"),
        ("003_three.sql", "SELECT 3;\n"),
    ]);
    run(Some(&db.url), &["up", "--dir", path(&newer)]).assert_code(0);
    // The old release knows 001 and 002 only.
    let old = dir(&[schema(), ("002_two.sql", "SELECT 2;\n")]);
    let r = run(Some(&db.url), &["up", "--dir", path(&old)]);
    insta::assert_snapshot!(r.masked(&[(path(&old), "DIR")]), @"
    exit: 0
    --- stdout
    the database is ahead of these files: 003_three.sql applied by a newer release (not drift; --strict makes it drift)
    nothing to do: 2 migrations already applied
    --- stderr
    ");
    let r = run(
        Some(&db.url),
        &["up", "--dir", path(&old), "--format", "json"],
    );
    assert_eq!(doc(&r, "up")["ahead"][0], "003_three.sql");
    let r = run(
        Some(&db.url),
        &["status", "--dir", path(&old), "--format", "json"],
    );
    r.assert_code(0);
    assert_eq!(doc(&r, "status")["migrations"][2]["state"], "ahead");
    run(Some(&db.url), &["up", "--dir", path(&old), "--strict"]).assert_code(4);
    run(Some(&db.url), &["status", "--dir", path(&old), "--strict"]).assert_code(4);
    // A gap in the middle stays drift.
    let gap = dir(&[schema(), ("003_three.sql", "SELECT 3;\n")]);
    let r = run(Some(&db.url), &["up", "--dir", path(&gap)]);
    r.assert_code(4)
        .assert_stderr("002_two.sql is recorded as applied but has no file");
}

#[test]
fn missing_roles_without_createrole_are_refused_before_anything_is_applied() {
    let db = TestDb::empty();
    let who = format!("nocreate_{}", std::process::id());
    db.exec(&format!(
        "DROP ROLE IF EXISTS {who}; DROP ROLE IF EXISTS app_missing_x; DROP ROLE IF EXISTS ro_missing_x; CREATE ROLE {who} LOGIN PASSWORD 'pw'; GRANT CREATE ON DATABASE {} TO {who}; GRANT CREATE ON SCHEMA public TO {who}",
        db.name
    ));
    let url = db.url.replacen("postgres@", &format!("{who}:pw@"), 1);
    let r = run(
        Some(&url),
        &[
            "up",
            "--set",
            "app_role=app_missing_x",
            "--set",
            "readonly_role=ro_missing_x",
            "--format",
            "json",
        ],
    );
    r.assert_code(1);
    let v = doc(&r, "up");
    insta::assert_snapshot!(masked(v["error"]["message"].as_str().unwrap(), &[(&who, "WHO")]), @"the migrations name roles that do not exist: app_missing_x (${app_role}, used by 003_grants.sql), ro_missing_x (${readonly_role}, used by 003_grants.sql), and WHO cannot create roles (no CREATEROLE); nothing was applied.");
    insta::assert_snapshot!(masked(v["error"]["hint"].as_str().unwrap(), &[(&who, "WHO")]), @"pre-create them as an administrator (CREATE ROLE app_missing_x NOLOGIN; CREATE ROLE ro_missing_x NOLOGIN;), or grant CREATEROLE to WHO, or name existing roles with --set app_role=<an existing role> --set readonly_role=<an existing role>");
    assert!(v["applied"].as_array().unwrap().is_empty(), "{v:#}");
    assert!(db.to_regclass("public.schema_migrations").is_none() || db.applied().is_empty());
    // Pre-created roles let it through.
    db.exec("CREATE ROLE app_missing_x NOLOGIN; CREATE ROLE ro_missing_x NOLOGIN");
    let r = run(
        Some(&url),
        &[
            "up",
            "--set",
            "app_role=app_missing_x",
            "--set",
            "readonly_role=ro_missing_x",
        ],
    );
    db.exec("DROP OWNED BY app_missing_x, ro_missing_x CASCADE; DROP ROLE app_missing_x; DROP ROLE ro_missing_x");
    r.assert_code(0);
    assert_eq!(db.applied().len(), 3);
    db.exec(&format!("DROP OWNED BY {who} CASCADE"));
}
