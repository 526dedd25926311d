//! Reliability of `up` against real servers: many runners at once, the migration lock and its bound,
//! crashes and lost connections in the middle of a migration, no-transaction migrations, and the
//! production-safety flags (`--ddl-lock-timeout`, `--lock-retries`, `--statement-timeout`, read-only
//! targets). Every test asserts database state, not only exit codes.

mod common;
use common::*;
use std::time::{Duration, Instant};

/// A URL nobody listens on: a command that fails with it did not need a connection.
const NOWHERE: &str = "postgres://postgres:pw@127.0.0.1:1/x";

fn path(d: &tempfile::TempDir) -> &str {
    d.path().to_str().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Concurrency and the migration lock

#[test]
fn twenty_runners_at_once_apply_each_migration_exactly_once() {
    let db = TestDb::seeded();
    let children: Vec<_> = (0..20)
        .map(|_| spawn(Some(&db.url), &["up"], &[]))
        .collect();
    let runs: Vec<Run> = children.into_iter().map(finish).collect();
    for r in &runs {
        r.assert_code(0);
    }
    assert_shipped_applied_once(&db, &runs);
    assert_eq!(advisory_locks(&db), 0);
}

#[test]
fn a_waiting_runner_holds_no_snapshot_and_does_not_stall_create_index_concurrently() {
    let db = TestDb::seeded();
    // An expression index over a function that sleeps a little per row: a concurrent build that takes
    // seconds, long enough to watch a second runner wait.
    let d = slow_index_files(5000, "0.0001");
    run(Some(&db.url), &["up", "--dir", path(&d), "--target", "1"]).assert_code(0);

    let started = Instant::now();
    let a = spawn(Some(&db.url), &["up", "--dir", path(&d)], &[]);
    let a_pid = wait_for(
        Duration::from_secs(20),
        "runner A's CREATE INDEX CONCURRENTLY",
        || {
            migrate_backends(&db, "%CREATE INDEX CONCURRENTLY%")
                .first()
                .copied()
        },
    );
    let b = spawn(
        Some(&db.url),
        &["up", "--dir", path(&d), "--lock-wait", "120"],
        &[],
    );
    let b_pid = wait_for(Duration::from_secs(20), "runner B's session", || {
        migrate_backends(&db, "%").into_iter().find(|p| *p != a_pid)
    });

    // While A builds, B polls for the lock. B must hold no snapshot between polls: a snapshot would make
    // A's build wait for B, and B waits for A.
    let mut samples = 0;
    let mut with_snapshot = 0;
    while samples < 30 {
        let row = db.query(&format!(
            "SELECT backend_xmin IS NOT NULL, (SELECT count(*) FROM pg_stat_activity WHERE pid = {a_pid} AND query LIKE '%CONCURRENTLY%') FROM pg_stat_activity WHERE pid = {b_pid}"
        ));
        let Some(row) = row.first() else { break };
        if row[1].as_deref() != Some("1") {
            break; // A has finished its build
        }
        samples += 1;
        if row[0].as_deref() == Some("t") {
            with_snapshot += 1;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(samples >= 5, "runner A finished too fast to observe B waiting ({samples} samples); make the build slower");
    assert!(
        with_snapshot <= 1,
        "runner B held a snapshot in {with_snapshot} of {samples} samples while waiting"
    );

    let ra = finish(a);
    let a_took = started.elapsed();
    ra.assert_code(0);
    let rb = finish(b);
    rb.assert_code(0);
    assert!(
        a_took < Duration::from_secs(60),
        "A's concurrent build took {a_took:?}: it was stalled"
    );
    assert_eq!(
        masked(&ra.stdout, &[]),
        "applied 002_index.sql (N ms)\n1 applied, 1 already applied, in N ms\n"
    );
    assert_eq!(
        rb.stdout, "nothing to do: 2 migrations already applied\n",
        "B applied it again"
    );
    assert_eq!(db.one("SELECT indisvalid FROM pg_index WHERE indexrelid = 'expert_network.big_slow'::regclass"), "t");
    assert_eq!(db.applied(), ["001_big.sql", "002_index.sql"]);
    assert_eq!(advisory_locks(&db), 0);
}

#[test]
fn lock_wait_is_bounded_names_the_holder_and_ignores_a_roles_lock_timeout() {
    let db = TestDb::seeded();
    // A role default that would cut any server-side lock wait short after 100 ms.
    db.exec(&format!(
        "ALTER ROLE postgres IN DATABASE {} SET lock_timeout = '100ms'",
        db.name
    ));
    let mut holder = db.hold_migration_lock();
    let holder_pid = holder.pid;

    let t = Instant::now();
    let r = run(Some(&db.url), &["up", "--lock-wait", "2"]);
    let took = t.elapsed();
    // The holder's pid named, as HOLDER: any other pid stays a number.
    let holder_is = format!("pid {holder_pid}");
    insta::assert_snapshot!(r.masked(&[(&holder_is, "pid HOLDER")]), @"
    exit: 5
    --- stdout
    --- stderr
    Error: another en-migrate run held the migration lock for longer than --lock-wait (2s): pid HOLDER (no application_name, from 127.0.0.1, idle).
    Hint: inspect it with SELECT * FROM pg_stat_activity WHERE pid = <pid>; if it is stuck, end it with SELECT pg_terminate_backend(<pid>)
    ");
    assert!(
        took >= Duration::from_millis(1900),
        "gave up after {took:?}, before --lock-wait 2"
    );
    assert!(
        took < Duration::from_secs(10),
        "waited {took:?} for --lock-wait 2"
    );
    assert_eq!(
        db.to_regclass("public.schema_migrations"),
        None,
        "nothing may be written while waiting"
    );

    // A runner that waits and gets the lock when the holder lets go.
    let t = Instant::now();
    let mut child = spawn(Some(&db.url), &["up", "--lock-wait", "30"], &[]);
    // Still waiting 1.5 s in, well past the role's lock_timeout, not failed through it.
    wait_for(
        Duration::from_secs(30),
        "the waiting runner's session to be 1.5 s old",
        || {
            let ended = child.try_wait().unwrap();
            assert!(
                ended.is_none(),
                "the waiting runner ended while the lock was held: {ended:?}"
            );
            let old = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'en-migrate' AND now() - backend_start > interval '1.5 s'";
            (db.one(old) != "0").then_some(())
        },
    );
    assert_eq!(db.to_regclass("public.schema_migrations"), None);
    holder
        .client
        .execute("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY])
        .unwrap();
    let r = finish(child);
    r.assert_code(0);
    assert!(t.elapsed() >= Duration::from_millis(1500));
    assert_eq!(db.applied().len(), 3);
    // No lock left behind, by anyone.
    assert_eq!(advisory_locks(&db), 0);
}

#[test]
fn lock_wait_bounds_a_no_transaction_migration_too() {
    let db = TestDb::seeded();
    let d = dir(&[
        ("001_t.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.t (a int);\n"),
        ("002_ix.sql", "-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY t_a ON expert_network.t (a);\n"),
    ]);
    run(Some(&db.url), &["up", "--dir", path(&d), "--target", "1"]).assert_code(0);
    let holder = db.hold_migration_lock();
    let holder_pid = holder.pid;
    let t = Instant::now();
    let r = run(
        Some(&db.url),
        &["up", "--dir", path(&d), "--lock-wait", "2"],
    );
    let took = t.elapsed();
    let holder_is = format!("pid {holder_pid}");
    insta::assert_snapshot!(r.masked(&[(path(&d), "DIR"), (&holder_is, "pid HOLDER")]), @"
    exit: 5
    --- stdout
    --- stderr
    Error: another en-migrate run held the migration lock for longer than --lock-wait (2s): pid HOLDER (no application_name, from 127.0.0.1, idle).
    Hint: inspect it with SELECT * FROM pg_stat_activity WHERE pid = <pid>; if it is stuck, end it with SELECT pg_terminate_backend(<pid>)
    ");
    assert!(
        took >= Duration::from_millis(1900) && took < Duration::from_millis(3500),
        "--lock-wait 2 waited {took:?}"
    );
    assert_eq!(db.applied(), ["001_t.sql"]);
    // The holder's backend lets go of its lock when it sees the session close, a moment after the drop.
    drop(holder);
    wait_for(Duration::from_secs(10), "no advisory lock left", || {
        (advisory_locks(&db) == 0).then_some(())
    });
}

// ---------------------------------------------------------------------------------------------
// Crashes and lost connections

/// A migration that creates a table and then sleeps, and the same file without the sleep.
fn sleepy(seconds: u32) -> [(&'static str, String); 1] {
    [("001_sleepy.sql", format!("CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.half (id int);\nSELECT pg_sleep({seconds});\n"))]
}

fn write_files(d: &tempfile::TempDir, files: &[(&str, String)]) {
    for (name, body) in files {
        std::fs::write(d.path().join(name), body).unwrap();
    }
}

/// Waits until en-migrate's backend in `db` is inside pg_sleep, and returns its pid.
fn sleeping_backend(db: &TestDb) -> i32 {
    wait_for(
        Duration::from_secs(20),
        "en-migrate's backend to reach pg_sleep",
        || {
            db.query("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'en-migrate' AND state = 'active' AND wait_event = 'PgSleep'")
            .first()
            .and_then(|r| r[0].as_deref().and_then(|p| p.parse().ok()))
        },
    )
}

/// What a run says when its connection went away in the middle of 001_sleepy.sql, however it went.
const LOST: &str = "exit: 1\n--- stdout\n--- stderr\n\
    Error: the connection was lost while applying 001_sleepy.sql ([cause]); the server rolls back the open transaction, so 001_sleepy.sql is not applied.\n\
    Nothing was applied in this run.\n\
    Hint: run `en-migrate up` again when the server is reachable; it continues where this run stopped\n";

/// `r` masked, with the cause of the lost connection (how the server or the socket ended it, which
/// depends on the moment) as `[cause]`.
fn lost(r: &Run) -> String {
    let cause = regex::Regex::new(r"while applying 001_sleepy\.sql \([^)]*\)").unwrap();
    cause
        .replace(&r.masked(&[]), "while applying 001_sleepy.sql ([cause])")
        .into_owned()
}

fn assert_nothing_applied(db: &TestDb) {
    assert_eq!(
        db.to_regclass("expert_network.half"),
        None,
        "the migration's table exists: half applied"
    );
    if db.to_regclass("public.schema_migrations").is_some() {
        assert!(db.applied().is_empty(), "recorded: {:?}", db.applied());
    }
}

#[test]
fn kill_9_mid_migration_leaves_nothing_half_applied_and_the_next_run_needs_no_repair() {
    let db = TestDb::seeded();
    // PostgreSQL 14+ notices a vanished client mid-statement (client_connection_check_interval, which
    // en-migrate sets); 13 finds out only when the statement ends, so sleep less there.
    let v14 = server_version(&db.url) >= 140000;
    let d = tempfile::tempdir().unwrap();
    write_files(&d, &sleepy(if v14 { 60 } else { 4 }));
    let mut child = spawn(Some(&db.url), &["up", "--dir", path(&d)], &[]);
    let pid = sleeping_backend(&db);
    child.kill().unwrap(); // SIGKILL
    let _ = child.wait();
    let killed = Instant::now();
    wait_for(
        Duration::from_secs(30),
        "the killed runner's backend to end",
        || {
            (db.one(&format!(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = {pid}"
            )) == "0")
                .then_some(())
        },
    );
    if v14 {
        assert!(
            killed.elapsed() < Duration::from_secs(8),
            "the backend outlived its client by {:?}",
            killed.elapsed()
        );
    }
    // Even where the server finished the statement after its client died (13), nothing committed:
    // COMMIT is only ever sent by a runner alive to report it.
    assert_nothing_applied(&db);
    assert_eq!(advisory_locks(&db), 0);

    // The next run, with the sleep gone, finishes with no manual repair.
    write_files(&d, &sleepy(0));
    let r = run(Some(&db.url), &["up", "--dir", path(&d)]);
    r.assert_code(0);
    assert!(db.to_regclass("expert_network.half").is_some());
    assert_eq!(db.applied(), ["001_sleepy.sql"]);
}

#[test]
fn a_terminated_backend_is_a_clear_error_and_the_rerun_succeeds() {
    let db = TestDb::seeded();
    let d = tempfile::tempdir().unwrap();
    write_files(&d, &sleepy(60));
    let child = spawn(Some(&db.url), &["up", "--dir", path(&d)], &[]);
    let pid = sleeping_backend(&db);
    let t = Instant::now();
    assert_eq!(db.one(&format!("SELECT pg_terminate_backend({pid})")), "t");
    let r = finish(child);
    assert!(
        t.elapsed() < Duration::from_secs(10),
        "en-migrate took {:?} to notice",
        t.elapsed()
    );
    assert_eq!(lost(&r), LOST);
    assert_nothing_applied(&db);

    write_files(&d, &sleepy(0));
    run(Some(&db.url), &["up", "--dir", path(&d)]).assert_code(0);
    assert_eq!(db.applied(), ["001_sleepy.sql"]);
}

#[test]
fn a_server_restart_mid_run_is_a_clear_error_and_the_rerun_succeeds() {
    let c = Dedicated::new("restart", 1);
    let admin = c.start();
    exec_url(&admin, "CREATE DATABASE rdb");
    let url = c.url("postgres", "rdb");
    let d = tempfile::tempdir().unwrap();
    write_files(&d, &sleepy(60));
    let child = spawn(Some(&url), &["up", "--dir", path(&d)], &[]);
    wait_for(
        Duration::from_secs(20),
        "en-migrate's backend to reach pg_sleep",
        || {
            (try_one(&url, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'en-migrate' AND wait_event = 'PgSleep'").as_deref() == Some("1")).then_some(())
        },
    );
    c.stop();
    let r = finish(child);
    assert_eq!(lost(&r), LOST);

    c.start();
    assert_eq!(
        try_one(&url, "SELECT to_regclass('expert_network.half') IS NULL").as_deref(),
        Some("t")
    );
    write_files(&d, &sleepy(0));
    run(Some(&url), &["up", "--dir", path(&d)]).assert_code(0);
    assert_eq!(
        try_one(
            &url,
            "SELECT string_agg(migration_name, ',') FROM public.schema_migrations"
        )
        .as_deref(),
        Some("001_sleepy.sql")
    );
}

// ---------------------------------------------------------------------------------------------
// No-transaction migrations

#[test]
fn create_index_concurrently_applies_in_a_no_transaction_migration() {
    let db = TestDb::seeded();
    let d = dir(&[
        ("001_t.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.t (a int);\nINSERT INTO expert_network.t SELECT g FROM generate_series(1, 1000) g;\n"),
        ("002_ix.sql", "-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON expert_network.t (a);\n"),
        ("003_after.sql", "CREATE TABLE expert_network.after (id int);\n"),
    ]);
    let r = run(Some(&db.url), &["up", "--dir", path(&d)]);
    r.assert_code(0);
    assert_eq!(
        masked(&r.stdout, &[]),
        "applied 001_t.sql (N ms)\n\
         applied 002_ix.sql (N ms)\n\
         applied 003_after.sql (N ms)\n\
         3 applied, 0 already applied, in N ms\n"
    );
    assert_eq!(
        db.one("SELECT indisvalid FROM pg_index WHERE indexrelid = 'expert_network.t_a'::regclass"),
        "t"
    );
    assert_eq!(db.applied(), ["001_t.sql", "002_ix.sql", "003_after.sql"]);
    let sums = db.query("SELECT count(*) FROM public.schema_migrations WHERE checksum IS NULL OR length(checksum) <> 64");
    assert_eq!(sums[0][0].as_deref(), Some("0"));
    assert_eq!(advisory_locks(&db), 0);
    // The session settings of the no-transaction path did not leak into later runs.
    run(Some(&db.url), &["up", "--dir", path(&d)]).assert_code(0);
}

/// An index is made beside its table: one the file leaves to the path (Saleor's Django migrations,
/// pass corpus 121) is expert_network's, and a quoted name keeps its case. Both were looked up
/// wrongly: `.name` (invalid name syntax, before anything ran) and the name folded to lower case.
#[test]
fn an_invalid_index_of_a_table_left_to_the_path_is_found_in_expert_network() {
    let db = TestDb::seeded();
    let d = dir(&[
        ("001_t.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.t (a int);\nINSERT INTO expert_network.t VALUES (1), (1), (2);\n"),
        ("002_uq.sql", "-- en-migrate: no-transaction\nSET search_path TO expert_network;\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"T_a_Key\" ON t (a);\n"),
    ]);
    run(Some(&db.url), &["up", "--dir", path(&d), "--target", "1"]).assert_code(0);
    let r = run(Some(&db.url), &["up", "--dir", path(&d)]);
    assert!(
        r.stderr
            .contains("The failed build left index expert_network.T_a_Key INVALID."),
        "{}",
        r.stderr
    );
    let r = run(Some(&db.url), &["up", "--dir", path(&d)]);
    assert!(
        r.stderr
            .contains("index expert_network.T_a_Key exists but is INVALID"),
        "{}",
        r.stderr
    );
    assert_eq!(db.applied(), ["001_t.sql"]);
    db.exec("DELETE FROM expert_network.t WHERE ctid = (SELECT max(ctid) FROM expert_network.t WHERE a = 1)");
    db.exec("DROP INDEX CONCURRENTLY expert_network.\"T_a_Key\"");
    run(Some(&db.url), &["up", "--dir", path(&d)]).assert_code(0);
    assert_eq!(db.applied(), ["001_t.sql", "002_uq.sql"]);
}

#[test]
fn an_invalid_index_left_by_an_interrupted_build_is_detected_and_never_reported_as_success() {
    let db = TestDb::seeded();
    let d = dir(&[
        ("001_t.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.t (a int);\nINSERT INTO expert_network.t VALUES (1), (1), (2);\n"),
        ("002_uq.sql", "-- en-migrate: no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_a_key ON expert_network.t (a);\n"),
    ]);
    run(Some(&db.url), &["up", "--dir", path(&d), "--target", "1"]).assert_code(0);

    // en-migrate's own build fails on the duplicates and leaves the index INVALID.
    let r = run(Some(&db.url), &["up", "--dir", path(&d)]);
    // Whole: a no-transaction migration is not said to be rolled back.
    insta::assert_snapshot!(r.masked(&[(path(&d), "DIR")]), @r#"
    exit: 1
    --- stdout
    --- stderr
    Error: DIR/002_uq.sql:2 failed (SQLSTATE 23505): could not create unique index "t_a_key"
    Detail: Key (a)=(1) is duplicated.
    It ran without a transaction, so nothing was rolled back. The failed build left index expert_network.t_a_key INVALID.
    Hint: fix the cause, run DROP INDEX CONCURRENTLY expert_network.t_a_key; then run `en-migrate up` again
    "#);
    assert_eq!(
        db.one(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'expert_network.t_a_key'::regclass"
        ),
        "f"
    );
    assert_eq!(db.applied(), ["001_t.sql"]);

    // The next run finds the INVALID index before building and says how to fix it; IF NOT EXISTS
    // would have skipped it and reported success.
    let r = run(Some(&db.url), &["up", "--dir", path(&d)]);
    let found_invalid = r.masked(&[(path(&d), "DIR")]);
    insta::assert_snapshot!(found_invalid, @"
    exit: 1
    --- stdout
    --- stderr
    Error: 002_uq.sql: index expert_network.t_a_key exists but is INVALID, left by an interrupted CREATE INDEX CONCURRENTLY; it is not usable and IF NOT EXISTS would skip it.
    Hint: run DROP INDEX CONCURRENTLY expert_network.t_a_key; then run `en-migrate up` again
    ");
    assert_eq!(db.applied(), ["001_t.sql"]);

    // The same when the interrupted build was someone else's (here: the test's own).
    db.exec("DROP INDEX CONCURRENTLY expert_network.t_a_key");
    let _ = db
        .client()
        .batch_execute("CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON expert_network.t (a)");
    assert_eq!(
        db.one(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'expert_network.t_a_key'::regclass"
        ),
        "f"
    );
    let r = run(Some(&db.url), &["up", "--dir", path(&d)]);
    assert_eq!(r.masked(&[(path(&d), "DIR")]), found_invalid);
    assert_eq!(db.applied(), ["001_t.sql"]);

    // Following the hint works.
    db.exec("DELETE FROM expert_network.t WHERE ctid = (SELECT max(ctid) FROM expert_network.t WHERE a = 1)");
    db.exec("DROP INDEX CONCURRENTLY expert_network.t_a_key");
    run(Some(&db.url), &["up", "--dir", path(&d)]).assert_code(0);
    assert_eq!(
        db.one(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'expert_network.t_a_key'::regclass"
        ),
        "t"
    );
    assert_eq!(db.applied(), ["001_t.sql", "002_uq.sql"]);
    assert_eq!(advisory_locks(&db), 0);
}

#[test]
fn concurrently_in_a_transactional_file_is_refused_before_connecting() {
    let d = dir(&[
        ("001_t.sql", "CREATE TABLE expert_network.t (a int);\n"),
        (
            "002_ix.sql",
            "CREATE INDEX CONCURRENTLY t_a ON expert_network.t (a);\n",
        ),
    ]);
    let r = run(
        Some(NOWHERE),
        &["up", "--dir", path(&d), "--connect-timeout", "1"],
    );
    insta::assert_snapshot!(r.masked(&[(path(&d), "DIR")]), @"
    exit: 3
    --- stdout
    DIR/002_ix.sql:1:1: refused [concurrent-in-transaction]: CREATE INDEX CONCURRENTLY cannot run inside a transaction
      hint: put it alone in a file whose first line is `-- en-migrate: no-transaction`
    --- stderr
    Error: 1 statement refused before connecting (1 finding); nothing was applied
    ");
}

#[test]
fn unknown_or_misspelt_directives_are_errors() {
    // What `up` says, before connecting, about 002 starting with `directive`; `check` refuses it too.
    let refused = |directive: &str| {
        let body = format!("{directive}\nCREATE INDEX CONCURRENTLY t_a ON expert_network.t (a);\n");
        let d = dir(&[
            ("001_t.sql", "CREATE TABLE expert_network.t (a int);\n"),
            ("002_ix.sql", &body),
        ]);
        let r = run(
            Some(NOWHERE),
            &["up", "--dir", path(&d), "--connect-timeout", "1"],
        );
        let check = run(None, &["check", "--dir", path(&d)]);
        assert_ne!(check.code, 0, "check accepted {body:?}: {check:?}");
        r.masked(&[(path(&d), "DIR")])
    };
    insta::assert_snapshot!(the_problem(&refused("-- en-migrate: no-transactoin")), @r#"DIR/002_ix.sql: line 1: unknown directive "no-transactoin"; the directives are `no-transaction`, `post-deploy`, `lock-timeout=DURATION`, `statement-timeout=DURATION`, `allow RULE`"#);
    insta::assert_snapshot!(the_problem(&refused("-- en-migrate no-transaction")), @r#"DIR/002_ix.sql: line 1: malformed directive "-- en-migrate no-transaction"; write `-- en-migrate: NAME`, where NAME is one of `no-transaction`, `post-deploy`, `lock-timeout=DURATION`, `statement-timeout=DURATION`, `allow RULE`"#);
    insta::assert_snapshot!(the_problem(&refused("-- EN-MIGRATE: no-transaction")), @r#"DIR/002_ix.sql: line 1: malformed directive "-- EN-MIGRATE: no-transaction"; write `-- en-migrate: NAME`, where NAME is one of `no-transaction`, `post-deploy`, `lock-timeout=DURATION`, `statement-timeout=DURATION`, `allow RULE`"#);
    insta::assert_snapshot!(the_problem(&refused("-- en_migrate: no-transaction")), @r#"DIR/002_ix.sql: line 1: malformed directive "-- en_migrate: no-transaction"; write `-- en-migrate: NAME`, where NAME is one of `no-transaction`, `post-deploy`, `lock-timeout=DURATION`, `statement-timeout=DURATION`, `allow RULE`"#);
    insta::assert_snapshot!(the_problem(&refused("SELECT 1;\n-- en-migrate: no-transaction")), @"DIR/002_ix.sql: line 2: `-- en-migrate: no-transaction` must be the first line of the file or follow only comments; move it above the SQL");
}

// ---------------------------------------------------------------------------------------------
// Production safety

#[test]
fn a_blocked_migration_times_out_retries_and_names_the_blocker() {
    let db = TestDb::seeded();
    let d = dir(&[
        (
            "001_t.sql",
            "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.t (a int);\n",
        ),
        (
            "002_alter.sql",
            "ALTER TABLE expert_network.t ADD COLUMN b int;\n",
        ),
    ]);
    run(Some(&db.url), &["up", "--dir", path(&d), "--target", "1"]).assert_code(0);
    // Another application reads the table in a transaction it leaves open.
    let mut blocker = db.hold("BEGIN; SELECT count(*) FROM expert_network.t;");
    let blocker_pid = blocker.pid;

    let t = Instant::now();
    let r = run(
        Some(&db.url),
        &[
            "up",
            "--dir",
            path(&d),
            "--ddl-lock-timeout",
            "200ms",
            "--lock-retries",
            "2",
        ],
    );
    let took = t.elapsed();
    // Whole: two retries and no third, the blocker (its pid as BLOCKER) and what it does.
    let blocker_is = format!("pid {blocker_pid}");
    insta::assert_snapshot!(r.masked(&[(path(&d), "DIR"), (&blocker_is, "pid BLOCKER")]), @"
    exit: 1
    --- stdout
    --- stderr
     WARN 002_alter.sql waited longer than --ddl-lock-timeout for a lock; retry 1 of 2 in 1s
     WARN 002_alter.sql waited longer than --ddl-lock-timeout for a lock; retry 2 of 2 in 2s
    Error: DIR/002_alter.sql at line 1, column 1 failed and was rolled back (SQLSTATE 55P03): canceling statement due to lock timeout
    The migration could not get its locks within --ddl-lock-timeout after 2 retries. Sessions holding locks on expert_network:
      pid BLOCKER (idle in transaction, AccessShareLock on expert_network.t): BEGIN; SELECT count(*) FROM expert_network.t;
    Nothing was applied in this run.
    Hint: wait for them to finish, or inspect them with SELECT * FROM pg_stat_activity WHERE pid = <pid>
    ");
    // Three attempts of 200 ms and two pauses (1 s, 2 s); a role or server default did not stretch them.
    assert!(
        took >= Duration::from_millis(3500) && took < Duration::from_secs(15),
        "took {took:?}"
    );
    assert_eq!(db.one("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'expert_network' AND table_name = 't' AND column_name = 'b'"), "0");
    assert_eq!(db.applied(), ["001_t.sql"]);

    // Once the blocker is gone the same command applies it.
    blocker.client.batch_execute("COMMIT").unwrap();
    run(
        Some(&db.url),
        &[
            "up",
            "--dir",
            path(&d),
            "--ddl-lock-timeout",
            "200ms",
            "--lock-retries",
            "2",
        ],
    )
    .assert_code(0);
    assert_eq!(db.applied(), ["001_t.sql", "002_alter.sql"]);
}

#[test]
fn statement_timeout_overrides_the_roles_default() {
    let db = TestDb::seeded();
    db.exec(&format!(
        "ALTER ROLE postgres IN DATABASE {} SET statement_timeout = '100ms'",
        db.name
    ));
    let d = dir(&[("001_slow.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.slow (id int);\nSELECT pg_sleep(0.5);\n")]);

    // The role's 100 ms applies when no flag is given: the migration is cancelled and rolled back.
    let r = run(Some(&db.url), &["up", "--dir", path(&d)]);
    insta::assert_snapshot!(r.masked(&[(path(&d), "DIR")]), @"
    exit: 1
    --- stdout
    --- stderr
    Error: DIR/001_slow.sql at line 3, column 1 failed and was rolled back (SQLSTATE 57014): canceling statement due to statement timeout
    Nothing was applied in this run.
    ");
    assert_eq!(db.to_regclass("expert_network.slow"), None);

    // --statement-timeout 5s lifts it for the migration.
    run(
        Some(&db.url),
        &["up", "--dir", path(&d), "--statement-timeout", "5s"],
    )
    .assert_code(0);
    assert_eq!(db.applied(), ["001_slow.sql"]);

    // And it is a bound, not only an override: 1s stops a 3 s statement, in either kind of migration.
    std::fs::write(d.path().join("002_slower.sql"), "SELECT pg_sleep(3);\n").unwrap();
    let t = Instant::now();
    let r = run(
        Some(&db.url),
        &["up", "--dir", path(&d), "--statement-timeout", "1s"],
    );
    insta::assert_snapshot!(r.masked(&[(path(&d), "DIR")]), @"
    exit: 1
    --- stdout
    --- stderr
    Error: DIR/002_slower.sql at line 1, column 1 failed and was rolled back (SQLSTATE 57014): canceling statement due to statement timeout
    Nothing was applied in this run.
    ");
    assert!(
        t.elapsed() < Duration::from_millis(2800),
        "{:?}",
        t.elapsed()
    );
    std::fs::write(
        d.path().join("002_slower.sql"),
        "-- en-migrate: no-transaction\nSELECT pg_sleep(3);\n",
    )
    .unwrap();
    let r = run(
        Some(&db.url),
        &["up", "--dir", path(&d), "--statement-timeout", "1s"],
    );
    insta::assert_snapshot!(r.masked(&[(path(&d), "DIR")]), @"
    exit: 1
    --- stdout
    --- stderr
    Error: DIR/002_slower.sql at line 2, column 1 failed without a transaction; PostgreSQL undid the failed statement (SQLSTATE 57014): canceling statement due to statement timeout
    Nothing was applied in this run.
    ");
    assert_eq!(db.applied(), ["001_slow.sql"]);
}

#[test]
fn a_read_only_target_is_refused_before_any_write_while_status_works() {
    let db = TestDb::seeded();
    db.exec(&format!(
        "ALTER DATABASE {} SET default_transaction_read_only = on",
        db.name
    ));
    let r = run(Some(&db.url), &["up"]);
    // Whole: the refusal came before any write, not from a failed one (25006).
    insta::assert_snapshot!(r.masked(&[]), @"
    exit: 1
    --- stdout
    --- stderr
    Error: default_transaction_read_only is on for this session; `up` writes, so it was refused before any write.
    Hint: run `up` against the primary; `status` and `verify` work here
    ");
    assert_eq!(db.to_regclass("public.schema_migrations"), None);
    assert_eq!(
        db.one("SELECT count(*) FROM pg_namespace WHERE nspname = 'expert_network'"),
        "0"
    );

    let r = run(Some(&db.url), &["status"]);
    assert_eq!(r.masked(&[]), STATUS_PENDING);
    // --dry-run reads only, so it works too.
    run(Some(&db.url), &["up", "--dry-run"]).assert_code(0);
}

// ---------------------------------------------------------------------------------------------
// Faults a chaos soak found in no-transaction migrations

#[test]
fn an_index_built_by_a_runner_that_died_before_recording_it_is_recognised_and_recorded() {
    let db = TestDb::seeded();
    let d = slow_index_files(20000, "0.0005");
    std::fs::write(
        d.path().join("002_index.sql"),
        "-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY big_v ON expert_network.big (v);\n",
    )
    .unwrap();
    run(Some(&db.url), &["up", "--dir", path(&d), "--target", "1"]).assert_code(0);
    // What a runner killed after its build completed, before its tracker row, leaves: the index, valid.
    db.exec("CREATE INDEX CONCURRENTLY big_v ON expert_network.big (v)");
    let r = run(Some(&db.url), &["up", "--dir", path(&d)]);
    r.assert_code(0).assert_stderr(
        "index expert_network.big_v already exists, valid and as the file defines it",
    );
    assert_eq!(db.applied(), ["001_big.sql", "002_index.sql"]);

    // An index of that name that is not what the file defines is not taken for it.
    let other = dir(&[(
        "003_other.sql",
        "-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY big_id ON expert_network.big (id);\n",
    )]);
    for f in ["001_big.sql", "002_index.sql"] {
        std::fs::copy(d.path().join(f), other.path().join(f)).unwrap();
    }
    db.exec("CREATE INDEX big_id ON expert_network.big (v)");
    let r = run(Some(&db.url), &["up", "--dir", path(&other)]);
    r.assert_code(1).assert_stderr("already exists");
    assert_eq!(db.applied(), ["001_big.sql", "002_index.sql"]);
}

#[test]
fn a_terminated_concurrent_build_reports_the_real_error_and_the_next_run_names_the_invalid_index() {
    let db = TestDb::seeded();
    let d = slow_index_files(20000, "0.0005");
    run(Some(&db.url), &["up", "--dir", path(&d), "--target", "1"]).assert_code(0);
    let child = spawn(Some(&db.url), &["up", "--dir", path(&d)], &[]);
    let pid = wait_for(Duration::from_secs(20), "the concurrent build", || {
        migrate_backends(&db, "%CREATE INDEX CONCURRENTLY%")
            .first()
            .copied()
    });
    assert_eq!(db.one(&format!("SELECT pg_terminate_backend({pid})")), "t");
    let r = finish(child);
    assert_ne!(r.code, 0);
    assert!(
        !r.stderr.contains("cannot release the migration lock"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("the server ended the session while the statement ran")
            || r.stderr
                .contains("connection was lost while applying 002_index.sql"),
        "{}",
        r.stderr
    );
    assert_eq!(db.applied(), ["001_big.sql"]);
    let r = run(Some(&db.url), &["up", "--dir", path(&d)]);
    r.assert_code(1).assert_stderr("is INVALID");
    assert_eq!(advisory_locks(&db), 0);
}

#[test]
fn a_migration_into_a_schema_that_does_not_exist_yet_gets_the_hint() {
    let db = TestDb::seeded();
    let d = dir(&[("001_t.sql", "CREATE TABLE expert_network.t (a int);\n")]);
    let r = run(Some(&db.url), &["up", "--dir", path(&d)]);
    r.assert_code(1)
        .assert_stderr("001_t.sql at line 1, column 14 failed and was rolled back (SQLSTATE 3F000)")
        .assert_stderr("Hint: schema expert_network does not exist yet: the first migration must create it (CREATE SCHEMA IF NOT EXISTS expert_network)");
    assert!(db.to_regclass("public.schema_migrations").is_none() || db.applied().is_empty());
}

#[test]
fn a_lock_timeout_names_each_blocking_session_once() {
    let db = TestDb::seeded();
    let d = dir(&[
        (
            "001_t.sql",
            "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.t (a int PRIMARY KEY, b int UNIQUE);\nCREATE INDEX t_ab ON expert_network.t (a, b);\n",
        ),
        ("002_alter.sql", "ALTER TABLE expert_network.t ADD COLUMN c int;\n"),
    ]);
    run(Some(&db.url), &["up", "--dir", path(&d), "--target", "1"]).assert_code(0);
    // Two sessions read the table (which takes locks on its three indexes too) in open transactions.
    let mut blockers: Vec<(postgres::Client, i32)> = (0..2)
        .map(|_| {
            let mut c = db.client();
            let pid: i32 = c.query_one("SELECT pg_backend_pid()", &[]).unwrap().get(0);
            c.batch_execute("BEGIN; SELECT count(*) FROM expert_network.t WHERE a > 0;")
                .unwrap();
            (c, pid)
        })
        .collect();
    let r = run(
        Some(&db.url),
        &[
            "up",
            "--dir",
            path(&d),
            "--ddl-lock-timeout",
            "100ms",
            "--lock-retries",
            "0",
        ],
    );
    // Each blocker once, by its pid (as BLOCKER): the two lines are alike but for it.
    let pids: Vec<String> = blockers
        .iter()
        .map(|(_, pid)| format!("pid {pid} ("))
        .collect();
    let replace: Vec<(&str, &str)> = pids.iter().map(|p| (p.as_str(), "pid BLOCKER (")).collect();
    insta::assert_snapshot!(r.masked(&[&[(path(&d), "DIR")], &replace[..]].concat()), @"
    exit: 1
    --- stdout
    --- stderr
    Error: DIR/002_alter.sql at line 1, column 1 failed and was rolled back (SQLSTATE 55P03): canceling statement due to lock timeout
    The migration could not get its locks within --ddl-lock-timeout after 0 retries. Sessions holding locks on expert_network:
      pid BLOCKER (idle in transaction, AccessShareLock on expert_network.t): BEGIN; SELECT count(*) FROM expert_network.t WHERE a > 0;
      pid BLOCKER (idle in transaction, AccessShareLock on expert_network.t): BEGIN; SELECT count(*) FROM expert_network.t WHERE a > 0;
    Nothing was applied in this run.
    Hint: wait for them to finish, or inspect them with SELECT * FROM pg_stat_activity WHERE pid = <pid>
    ");
    for (c, _) in &mut blockers {
        c.batch_execute("COMMIT").unwrap();
    }
    assert_eq!(db.applied(), ["001_t.sql"]);
}

#[test]
fn a_tracker_the_reads_never_see_move_ends_the_run_after_bounded_rereads() {
    // What a proxy that sends reads to a lagging replica does, made on one server: a row-level policy
    // shows the tracker's newer rows only to a session holding the migration lock, so the check under
    // the lock sees a row that every read of the tracker misses.
    let db = TestDb::empty();
    let role = format!("lagged_{}", std::process::id());
    db.exec(&format!("DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN; ALTER DATABASE {} OWNER TO {role}; ALTER SCHEMA public OWNER TO {role}", db.name));
    let url = db.url.replacen("postgres@", &format!("{role}@"), 1);
    let d = dir(&[
        (
            "001_schema.sql",
            "CREATE SCHEMA IF NOT EXISTS expert_network;\n",
        ),
        ("002_t.sql", "CREATE TABLE expert_network.t (a int);\n"),
    ]);
    run(Some(&url), &["up", "--dir", path(&d)]).assert_code(0);
    db.exec(
        "ALTER TABLE public.schema_migrations ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
         CREATE POLICY lag ON public.schema_migrations USING (migration_name < '003' OR EXISTS
           (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted));
         INSERT INTO public.schema_migrations (migration_name, checksum) VALUES ('003_elsewhere.sql', 'x')",
    );
    std::fs::write(
        d.path().join("003_elsewhere.sql"),
        "CREATE TABLE expert_network.elsewhere (a int);\n",
    )
    .unwrap();
    let r = run(Some(&url), &["up", "--dir", path(&d)]);
    r.assert_code(1)
        .assert_stderr("the tracker changed since it was read, and 5 reads of it since showed nothing new: the reads and the migration lock reach different servers")
        .assert_stderr("Hint: point `up` at the primary itself");
    // Never run: the check under the lock refused it every time.
    assert_eq!(db.to_regclass("expert_network.elsewhere"), None);
    assert_eq!(db.one("SELECT count(*) FROM public.schema_migrations"), "3");
    assert_eq!(advisory_locks(&db), 0);
    drop(db);
    let admin = cluster().url_for("postgres");
    exec_url(&admin, &format!("DROP ROLE IF EXISTS {role}"));
}
