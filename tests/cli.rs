//! The command line as people and tools see it: help, `new`, lint and check output in every format,
//! snapshot-tested with stdout, stderr and the exit code together.

mod common;
use common::*;

fn snap(r: &Run, replace: &[(&str, &str)]) -> String {
    let mut s = format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        r.code, r.stdout, r.stderr
    );
    for (from, to) in replace {
        s = s.replace(from, to);
    }
    s
}

#[test]
fn help_is_short_imperatives_with_defaults_and_env() {
    let r = run(None, &["--help"]);
    insta::assert_snapshot!("help", snap(&r, &[]));
    let r = run(None, &["up", "--help"]);
    insta::assert_snapshot!("help_up", snap(&r, &[]));
}

#[test]
fn version_and_usage_errors() {
    let r = run(None, &["--version"]);
    r.assert_code(0);
    assert!(r.stdout.starts_with("en-migrate "));
    run(None, &["up", "--no-such-flag"]).assert_code(2);
    run(None, &["frobnicate"]).assert_code(2);
}

/// An error prints as `Error:`, a `Caused by:` line per cause, then `Hint:`; its kind is only the
/// exit code.
#[test]
fn errors_print_their_causes_then_their_hint() {
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().to_str().unwrap();
    let r = run(None, &["check", "--dir", path]);
    insta::assert_snapshot!("error_with_hint", snap(&r, &[(path, "DIR")]));
    let r = run(
        None,
        &[
            "status",
            "--database-url",
            "postgres://u@127.0.0.1:1/x",
            "--connect-timeout",
            "1",
        ],
    );
    insta::assert_snapshot!("error_with_causes_and_hint", snap(&r, &[]));
    let r = run(None, &["new", "Bad", "--dir", path]);
    insta::assert_snapshot!("error_of_a_kind", snap(&r, &[]));
}

/// `up` fences some files on a blocking thread while it connects: a short, deeply nested statement
/// (under the fence's grown-stack threshold) is read there as on the main thread, and the run goes on
/// to its connection error.
#[test]
fn the_early_fence_reads_a_nested_statement_on_its_blocking_thread() {
    let view = format!(
        "-- vacuum: fenced before connecting\nCREATE VIEW expert_network.sum AS SELECT 1{} AS x;\n",
        "+1".repeat(100)
    );
    let d = dir(&[("001_sum.sql", &view)]);
    let path = d.path().to_str().unwrap();
    let url = "postgres://u@127.0.0.1:1/x";
    let r = run(
        None,
        &[
            "up",
            "--dir",
            path,
            "--database-url",
            url,
            "--connect-timeout",
            "1",
        ],
    );
    assert!(!r.stderr.contains("overflowed"), "{}", r.stderr);
    assert!(r.stderr.contains("cannot connect"), "{}", r.stderr);
}

#[test]
fn new_creates_the_next_zero_padded_file() {
    let d = dir(&[("0007_first.sql", "SELECT 1;"), ("notes.txt", "")]);
    let path = d.path().to_str().unwrap();
    let r = run(None, &["new", "add_campaign_budget", "--dir", path]);
    insta::assert_snapshot!("new", snap(&r, &[(path, "DIR")]));
    let body = std::fs::read_to_string(d.path().join("0008_add_campaign_budget.sql")).unwrap();
    insta::assert_snapshot!("new_file", body);
    let r = run(None, &["new", "Bad-Name", "--dir", path]);
    r.assert_code(2);
    assert!(!d.path().join("0009_Bad-Name.sql").exists());
}

const LINTY: &str = "CREATE INDEX experts_name ON expert_network.experts (full_name);\n\
    ALTER TABLE expert_network.experts ADD CONSTRAINT rate_positive CHECK (hourly_rate_usd > 0);\n\
    -- en-migrate: allow destructive\n\
    ALTER TABLE expert_network.experts DROP COLUMN bio;\n\
    ALTER TABLE expert_network.experts DROP COLUMN linkedin_url;\n";

#[test]
fn lint_output_in_every_format() {
    let d = dir(&[("002_tune.sql", LINTY)]);
    let path = d.path().to_str().unwrap();
    let r = run(None, &["lint", "--dir", path]);
    r.assert_code(0);
    insta::assert_snapshot!("lint_text", snap(&r, &[(path, "DIR")]));
    let r = run(None, &["lint", "--dir", path, "--format", "json"]);
    insta::assert_snapshot!("lint_json", snap(&r, &[(path, "DIR")]));
    let r = run_env(
        None,
        &["lint", "--dir", path],
        &[("GITHUB_ACTIONS", "true")],
    );
    insta::assert_snapshot!("lint_github", snap(&r, &[(path, "DIR")]));
    run(None, &["lint", "--dir", path, "--deny-warnings"]).assert_code(3);
    // An allow directive naming no rule is an error, not a silent no-op.
    let bad = dir(&[(
        "001_x.sql",
        "-- en-migrate: allow destructiv\nDROP TABLE expert_network.x;",
    )]);
    let bad_path = bad.path().to_str().unwrap();
    let r = run(None, &["lint", "--dir", bad_path]);
    insta::assert_snapshot!(r.masked(&[(bad_path, "DIR")]), @r#"
    exit: 1
    --- stdout
    --- stderr
    Error: DIR/001_x.sql: line 1: `allow destructiv`: "destructiv" names no lint rule; the rules are create-index-blocking, constraint-validating, set-not-null, alter-column-type, volatile-default, destructive, table-rewrite-lock, drop-index-blocking, add-column-not-null, unique-constraint-blocking, rename, drop-not-null, truncate-cascade, reindex-blocking, detach-partition-blocking, domain-check, enum-value-order, identifier-too-long, duplicate-assignment, validate-same-transaction, stored-generated-column, json-column, exclusion-constraint, update-whole-table, prefer-bigint-key, prefer-identity, prefer-text, prefer-timestamptz, ban-char, unique-over-duplicates, not-null-over-nulls, constraint-violated
    "#);
}

#[test]
fn the_shipped_migrations_lint_silent_with_every_static_rule() {
    let all: Vec<&str> = [
        "prefer-bigint-key",
        "prefer-identity",
        "prefer-text",
        "prefer-timestamptz",
        "ban-char",
    ]
    .to_vec();
    let r = run(None, &["lint"]);
    r.assert_code(0);
    assert_eq!(r.stdout, "ok: no warnings in 3 migrations\n");
    let r = run(
        None,
        &["lint", "--rules", &all.join(","), "--deny-warnings"],
    );
    r.assert_code(0);
}

#[test]
fn style_rules_run_when_named_and_an_unknown_name_is_a_usage_error() {
    let d = dir(&[(
        "001_tags.sql",
        "CREATE TABLE expert_network.tags (id serial PRIMARY KEY, name varchar(40), seen_at timestamp);\n",
    )]);
    let path = d.path().to_str().unwrap();
    let r = run(None, &["lint", "--dir", path]);
    r.assert_code(0);
    assert_eq!(r.stdout, "ok: no warnings in 1 migration\n");
    let r = run(
        None,
        &[
            "lint",
            "--dir",
            path,
            "--rules",
            "prefer-identity,prefer-text",
        ],
    );
    insta::assert_snapshot!("lint_rules", snap(&r, &[(path, "DIR")]));
    let r = run_env(
        None,
        &["lint", "--dir", path],
        &[("EN_MIGRATE_LINT_RULES", "prefer-timestamptz")],
    );
    insta::assert_snapshot!(r.masked(&[(path, "DIR")]), @"
    exit: 0
    --- stdout
    DIR/001_tags.sql:1:1: warning [prefer-timestamptz]: column seen_at of expert_network.tags is timestamp without time zone
      why: it stores wall-clock time with no zone, so its meaning depends on the writer's TimeZone setting, and arithmetic across DST changes is wrong
      instead: `timestamptz`
    --- stderr
    ");
    let r = run(None, &["lint", "--dir", path, "--rules", "prefer-txt"]);
    insta::assert_snapshot!(r.masked(&[(path, "DIR")]), @r#"
    exit: 2
    --- stdout
    --- stderr
    error: invalid value 'prefer-txt' for '--rules <RULE,...>': "prefer-txt" names no lint rule; the rules are create-index-blocking, constraint-validating, set-not-null, alter-column-type, volatile-default, destructive, table-rewrite-lock, drop-index-blocking, add-column-not-null, unique-constraint-blocking, rename, drop-not-null, truncate-cascade, reindex-blocking, detach-partition-blocking, domain-check, enum-value-order, identifier-too-long, duplicate-assignment, validate-same-transaction, stored-generated-column, json-column, exclusion-constraint, update-whole-table, prefer-bigint-key, prefer-identity, prefer-text, prefer-timestamptz, ban-char, unique-over-duplicates, not-null-over-nulls, constraint-violated

    For more information, try '--help'.
    "#);
}

#[test]
fn list_rules_prints_every_rule() {
    let r = run(None, &["lint", "--list-rules"]);
    r.assert_code(0);
    insta::assert_snapshot!("lint_list_rules", snap(&r, &[]));
    let r = run(None, &["lint", "--list-rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let rules = v["rules"].as_array().unwrap();
    assert_eq!(rules[0]["name"], "create-index-blocking");
    assert!(rules
        .iter()
        .any(|r| r["name"] == "ban-char" && r["default_on"] == false));
}

#[test]
fn check_output_lists_every_finding_with_hints_and_annotations() {
    let d = dir(&[
        ("001_ok.sql", "CREATE TABLE expert_network.ok (id int);"),
        (
            "002_bad.sql",
            "SELECT * FROM public.\"user\";\nCREATE TABLE campaigns (id int);\nBEGIN;\n",
        ),
    ]);
    let path = d.path().to_str().unwrap();
    let r = run(None, &["check", "--dir", path]);
    r.assert_code(3);
    insta::assert_snapshot!("check_text", snap(&r, &[(path, "DIR")]));
    let r = run_env(
        None,
        &["check", "--dir", path],
        &[("GITHUB_ACTIONS", "true")],
    );
    insta::assert_snapshot!(r.masked(&[(path, "DIR")]), @"
    exit: 3
    --- stdout
    DIR/002_bad.sql:1:15: refused [touches-public]: public.user is in schema public
      hint: public belongs to BetterAuth and the other applications; keep every object in expert_network
    DIR/002_bad.sql:2:14: refused [unqualified-name]: table campaigns is not schema-qualified
      hint: write expert_network.campaigns
    DIR/002_bad.sql:3:1: refused [transaction-control]: transaction control in a migration
      hint: en-migrate wraps each migration in its own transaction; for work that cannot run in one, use a `-- en-migrate: no-transaction` file
    ::error file=DIR/002_bad.sql,line=1,col=15,title=en-migrate fence::[touches-public] public.user is in schema public
    ::error file=DIR/002_bad.sql,line=2,col=14,title=en-migrate fence::[unqualified-name] table campaigns is not schema-qualified
    ::error file=DIR/002_bad.sql,line=3,col=1,title=en-migrate fence::[transaction-control] transaction control in a migration
    3 statements refused (3 findings) in 2 migrations (4 statements)
    --- stderr
    ");
    let r = run(None, &["check"]);
    insta::assert_snapshot!(r.masked(&[]), @"
    exit: 0
    --- stdout
    ok: 3 migrations, 97 statements, nothing refused
    --- stderr
    ");
}

#[test]
fn completions_and_man_page() {
    let r = run(None, &["completions", "bash"]);
    r.assert_code(0);
    assert!(r.stdout.contains("en-migrate") && r.stdout.contains("--lock-wait"));
    let r = run(None, &["man"]);
    r.assert_code(0);
    assert!(r.stdout.contains(".TH en-migrate"));
}

#[test]
fn piped_output_has_no_escape_codes() {
    let db = TestDb::seeded();
    let r = run_env(Some(&db.url), &["up"], &[("CI", "")]);
    // Compared whole, so no escape code can hide in either stream.
    assert_eq!(r.masked(&[]), UP_SHIPPED);
}

#[test]
fn dotenv_supplies_database_url_unless_told_not_to() {
    let db = TestDb::seeded();
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(
        cwd.path().join(".env"),
        format!("DATABASE_URL={}\n", db.url),
    )
    .unwrap();
    let mut cmd = hermetic();
    cmd.current_dir(cwd.path())
        .args(["status", "--connect-timeout", "2"]);
    assert_eq!(Run::from(cmd.output().unwrap()).masked(&[]), STATUS_PENDING);
    let out = hermetic()
        .current_dir(cwd.path())
        .env("PGHOST", "127.0.0.1")
        .env("PGPORT", "1")
        .args(["status", "--no-dotenv", "--connect-timeout", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn dry_run_prints_the_plan_and_lint_warnings() {
    let db = TestDb::seeded();
    run(Some(&db.url), &["up"]).assert_code(0);
    let d = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(root().join("sql")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, d.path().join(f.file_name().unwrap())).unwrap();
    }
    std::fs::write(d.path().join("004_tune.sql"), LINTY).unwrap();
    let r = run(
        Some(&db.url),
        &["up", "--dry-run", "--dir", d.path().to_str().unwrap()],
    );
    insta::assert_snapshot!(r.masked(&[(d.path().to_str().unwrap(), "DIR")]), @"
    exit: 0
    --- stdout
    dry run: would apply 1 migration, in this order:
      004_tune.sql
    DIR/004_tune.sql:1:1: warning [create-index-blocking]: CREATE INDEX on expert_network.experts without CONCURRENTLY
      why: CREATE INDEX without CONCURRENTLY blocks every write to the table until the index is built
      instead: put `CREATE INDEX CONCURRENTLY` alone in a file whose first line is `-- en-migrate: no-transaction`
    DIR/004_tune.sql:2:1: warning [constraint-validating]: ADD CONSTRAINT rate_positive CHECK on expert_network.experts without NOT VALID
      why: adding a FOREIGN KEY or CHECK constraint scans the whole table under a lock that blocks writes
      instead: add it NOT VALID (for a new column: add the column, then the constraint), then `ALTER TABLE ... VALIDATE CONSTRAINT` in a later migration
    DIR/004_tune.sql:5:1: warning [destructive]: DROP COLUMN linkedin_url on expert_network.experts
      why: DROP COLUMN / DROP TABLE loses data and breaks code that still reads it
      instead: stop using it in a release first; drop it in a later migration once nothing reads it, or mark the file `-- en-migrate: post-deploy` so a plain `up` holds it until `up --post-deploy` after the rollout
    --- stderr
    ");
    assert_eq!(db.applied().len(), 3);
}

#[test]
fn a_malformed_dotenv_is_an_error_naming_its_line() {
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(
        cwd.path().join(".env"),
        "# settings\nFOO=bar\nthis line is bad\nDATABASE_URL=postgres://nobody@127.0.0.1:1/db\n",
    )
    .unwrap();
    let out = std::process::Command::new(bin())
        .current_dir(cwd.path())
        .env_remove("DATABASE_URL")
        .args(["status", "--connect-timeout", "1"])
        .output()
        .unwrap();
    // Whole, so also not a connection attempt with what the good lines said.
    insta::assert_snapshot!(Run::from(out).masked(&[]), @r#"
    exit: 1
    --- stdout
    --- stderr
    Error: .env in the working directory cannot be read: line 3: "this line is bad" is not NAME=VALUE (at character 5)
    Hint: fix or remove that line, or pass --no-dotenv
    "#);
}

#[test]
fn check_on_an_empty_or_missing_directory_is_an_error() {
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().to_str().unwrap();
    let r = run(None, &["check", "--dir", path]);
    insta::assert_snapshot!(r.masked(&[(path, "DIR")]), @"
    exit: 1
    --- stdout
    --- stderr
    Error: DIR holds no migration files (NNN_name.sql); nothing was checked.
    Hint: check the path given to --dir or EN_MIGRATE_DIR
    ");
    // A file that is not a migration does not make it one.
    std::fs::write(empty.path().join("notes.txt"), "hello\n").unwrap();
    run(None, &["check", "--dir", path]).assert_code(1);
    let missing = empty.path().join("migratoins");
    let r = run(None, &["check", "--dir", missing.to_str().unwrap()]);
    insta::assert_snapshot!(r.masked(&[(path, "DIR")]), @"
    exit: 1
    --- stdout
    --- stderr
    Error: cannot read the migrations directory DIR/migratoins; pass --dir with an existing directory
    Caused by: No such file or directory (os error 2)
    ");
}
