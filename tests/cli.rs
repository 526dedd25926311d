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
    assert!(r.stdout.contains("[env: DATABASE_URL]") && r.stdout.contains("[default: 300]"));
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
    let r = run(None, &["lint", "--dir", bad.path().to_str().unwrap()]);
    r.assert_code(1);
    assert!(r.stderr.contains("names no lint rule"), "{}", r.stderr);
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
    assert!(r.stdout.contains("warning [prefer-timestamptz]: column seen_at of expert_network.tags is timestamp without time zone"), "{}", r.stdout);
    let r = run(None, &["lint", "--dir", path, "--rules", "prefer-txt"]);
    r.assert_code(2);
    r.assert_stderr("\"prefer-txt\" names no lint rule; the rules are create-index-blocking, ");
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
    assert!(r.stdout.contains("::error file="), "{}", r.stdout);
    let r = run(None, &["check"]);
    r.assert_code(0);
    assert!(r.stdout.starts_with("ok: 3 migrations,"), "{}", r.stdout);
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
    r.assert_code(0);
    assert!(
        !r.stdout.contains('\x1b') && !r.stderr.contains('\x1b'),
        "{:?}",
        r.stdout
    );
    assert!(
        r.stdout.contains("3 applied, 0 already applied"),
        "{}",
        r.stdout
    );
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
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("pending"));
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
    r.assert_code(0);
    assert!(
        r.stdout.contains("would apply 1 migration")
            && r.stdout.contains("warning [create-index-blocking]"),
        "{}",
        r.stdout
    );
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
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(".env in the working directory cannot be read: line 3: \"this line is bad\" is not NAME=VALUE"),
        "{stderr}"
    );
    assert!(stderr.contains("--no-dotenv"), "{stderr}");
    // Not a connection attempt with what the good lines said.
    assert!(!stderr.contains("127.0.0.1:1"), "{stderr}");
}

#[test]
fn check_on_an_empty_or_missing_directory_is_an_error() {
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().to_str().unwrap();
    let r = run(None, &["check", "--dir", path]);
    r.assert_code(1)
        .assert_stderr("holds no migration files (NNN_name.sql); nothing was checked")
        .assert_stderr("Hint: check the path given to --dir");
    assert!(!r.stdout.contains("ok"), "{}", r.stdout);
    // A file that is not a migration does not make it one.
    std::fs::write(empty.path().join("notes.txt"), "hello\n").unwrap();
    run(None, &["check", "--dir", path]).assert_code(1);
    let missing = empty.path().join("migratoins");
    run(None, &["check", "--dir", missing.to_str().unwrap()])
        .assert_code(1)
        .assert_stderr("cannot read the migrations directory");
}
