//! The opening round trip against a real PostgreSQL: `up` and `status` read the tracker's shape and,
//! speculatively in en-migrate's own shape, its rows, pipelined behind the settings query. Whatever
//! shape the tracker has (none yet, the seed runner's, somebody else's, en-migrate's), each must
//! come to what reading the shape first and the rows second would: the speculative read's failure is
//! never reported, and a real failure of the read is.

mod common;
use common::*;

/// The shipped migrations, each with its state.
fn shipped(states: [&str; 3]) -> Vec<(String, String)> {
    SHIPPED
        .iter()
        .zip(states)
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect()
}

#[test]
fn without_a_tracker_everything_is_pending_and_up_creates_it() {
    let db = TestDb::seeded();
    assert_eq!(
        status_states(&db.url, &[]),
        shipped(["pending", "pending", "pending"])
    );
    assert_eq!(db.to_regclass("public.schema_migrations"), None);
    let r = run(Some(&db.url), &["up"]);
    assert_eq!(r.masked(&[]), UP_SHIPPED);
    assert_eq!(db.applied(), SHIPPED);
    assert_eq!(
        status_states(&db.url, &[]),
        shipped(["applied", "applied", "applied"])
    );
    // The run recorded every migration in the tracker it created: the no-op after it has nothing to do.
    let r = run(Some(&db.url), &["up", "--format", "json"]);
    r.assert_code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["applied"].as_array().unwrap().len(), 0, "{}", r.stdout);
}

#[test]
fn the_seed_runners_tracker_is_read_in_its_own_shape() {
    let db = TestDb::seeded();
    db.exec(
        "CREATE TABLE public.schema_migrations (id SERIAL PRIMARY KEY, migration_name VARCHAR(255) UNIQUE NOT NULL, applied_at TIMESTAMP DEFAULT NOW());
         INSERT INTO public.schema_migrations (id, migration_name) VALUES (5, '001_create_expert_network_schema'), (6, '002_seed_vendor_platforms.sql');",
    );
    for f in &SHIPPED[..2] {
        db.exec(&std::fs::read_to_string(root().join("sql").join(f)).unwrap());
    }
    // Read without writing: the seed's rows stand for 001 and 002 (001 without its .sql).
    assert_eq!(
        status_states(&db.url, &[]),
        shipped(["applied", "applied", "pending"])
    );
    assert_eq!(
        db.one("SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.schema_migrations'::regclass AND attname = 'checksum'"),
        "0"
    );
    let r = run(Some(&db.url), &["up"]);
    r.assert_code(0);
    assert_eq!(masked(&r.stdout, &[]), SEED_ADOPTED);
    assert_eq!(
        db.one("SELECT count(*) FROM public.schema_migrations WHERE checksum IS NOT NULL"),
        "3"
    );
}

#[test]
fn a_foreign_tracker_is_refused_by_status_and_up_alike() {
    let db = TestDb::seeded();
    db.exec("CREATE TABLE public.schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO public.schema_migrations VALUES (20240101, false);");
    let r = run(Some(&db.url), &["status"]);
    // Whole: the refusal names the table's columns, never the speculative read's missing column.
    insta::assert_snapshot!(r.masked(&[]), @"
    exit: 4
    --- stdout
    --- stderr
    Error: public.schema_migrations is not en-migrate's tracker (columns: version, dirty); another tool owns it
    ");
    let r = run(Some(&db.url), &["up"]);
    assert_eq!(r.masked(&[]), FOREIGN_TRACKER_UP);
}

#[test]
fn a_tracker_the_role_cannot_read_is_an_error_not_an_empty_history() {
    let db = TestDb::seeded();
    run(Some(&db.url), &["up"]).assert_code(0);
    db.exec(
        "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'en_open_noread') THEN CREATE ROLE en_open_noread LOGIN; END IF; END$$",
    );
    let url = db.url.replacen("postgres@", "en_open_noread@", 1);
    assert_ne!(url, db.url, "the test URL names its user: {}", db.url);
    let r = run(Some(&url), &["status"]);
    insta::assert_snapshot!(r.masked(&[]), @"
    exit: 1
    --- stdout
    --- stderr
    Error: cannot read the tracker public.schema_migrations
    Caused by: ERROR: permission denied for table schema_migrations
    ");
}

/// The files are read and fenced on a thread while the session opens; a connection that fails at once
/// (a URL that does not resolve fails before any file is read) still never hides what the files say.
#[test]
fn what_the_files_say_comes_before_a_connection_error_that_came_first() {
    let bad_url = "postgres://postgres@127.0.0.1:1/x?sslmode=bogus";
    let d = dir(&[
        ("001_a.sql", "CREATE SCHEMA expert_network;"),
        (
            "002_b.sql",
            "CREATE INDEX CONCURRENTLY b_idx ON expert_network.b (id);",
        ),
    ]);
    let path = d.path().to_str().unwrap();
    let r = run(Some(bad_url), &["up", "--dir", path]);
    // Whole: nothing of the URL's error.
    insta::assert_snapshot!(r.masked(&[(path, "DIR")]), @"
    exit: 3
    --- stdout
    DIR/002_b.sql:1:1: refused [concurrent-in-transaction]: CREATE INDEX CONCURRENTLY cannot run inside a transaction
      hint: put it alone in a file whose first line is `-- en-migrate: no-transaction`
    --- stderr
    Error: 1 statement refused before connecting (1 finding); nothing was applied
    ");

    let d = dir(&[(
        "001_a.sql",
        "GRANT USAGE ON SCHEMA expert_network TO ${nobody};",
    )]);
    let path = d.path().to_str().unwrap();
    let up = run(Some(bad_url), &["up", "--dir", path]).masked(&[(path, "DIR")]);
    insta::assert_snapshot!(up, @"
    exit: 1
    --- stdout
    --- stderr
    Error: DIR/001_a.sql: line 1: unknown placeholder ${nobody}; the placeholders are ${app_role}, ${readonly_role}
    ");
    for cmd in ["status", "verify"] {
        let r = run(Some(bad_url), &[cmd, "--dir", path]);
        assert_eq!(r.masked(&[(path, "DIR")]), up, "{cmd}");
    }

    // With files that are fine, the connection's error is the one reported.
    let d = dir(&[("001_a.sql", "CREATE SCHEMA expert_network;")]);
    let path = d.path().to_str().unwrap();
    for cmd in ["up", "status", "verify"] {
        let r = run(Some(bad_url), &[cmd, "--dir", path]);
        r.assert_stderr("sslmode=\"bogus\"");
    }
}
