//! `up` through PgBouncer in transaction pooling mode, started by the test itself: concurrent runners
//! apply each migration once, no advisory lock survives on the server, nothing trips over prepared
//! statements, and a no-transaction migration is refused with the way out.
//!
//! PgBouncer is required (`make deps` installs it): without it these tests fail, they do not skip.

mod common;
use common::*;
use std::time::Duration;

/// PgBouncer in `pool_mode` with `pool_size` server sessions per database and user, in front of the
/// shared test server.
fn pool(pool_mode: &str, pool_size: usize) -> Bouncer {
    let c = cluster();
    pool_for((&c.host, c.port), pool_mode, pool_size)
}

/// The same in front of the server at `upstream` (host, port).
fn pool_for(upstream: (&str, u16), pool_mode: &str, pool_size: usize) -> Bouncer {
    Bouncer::start(
        upstream,
        &format!(
            "pool_mode = {pool_mode}\nmax_client_conn = 100\ndefault_pool_size = {pool_size}\n"
        ),
    )
}

#[test]
fn concurrent_runners_through_a_transaction_pooler_apply_each_migration_once() {
    let db = TestDb::seeded();
    let pool = pool("transaction", 5);
    let url = pool.url(&db.name);
    let children: Vec<_> = (0..8).map(|_| spawn(Some(&url), &["up"], &[])).collect();
    let runs: Vec<Run> = children.into_iter().map(finish).collect();
    for r in &runs {
        r.assert_code(0);
        // Nothing on stderr: no prepared-statement clash, no warning.
        assert_eq!(r.stderr, "");
    }
    assert_shipped_applied_once(&db, &runs);
    // On a direct connection: no advisory lock is left on any of PgBouncer's server sessions.
    assert_eq!(advisory_locks(&db), 0);
    // Nor did PgBouncer see a prepared-statement clash.
    assert!(!pool.log().contains("prepared statement"), "{}", pool.log());
    let r = run(Some(&url), &["status"]);
    insta::assert_snapshot!(r.masked(&[]), @"
    exit: 0
    --- stdout
    migration                             state     applied at                        ms
    001_create_expert_network_schema.sql  applied   [applied at]  [ms]
    002_seed_vendor_platforms.sql         applied   [applied at]  [ms]
    003_grants.sql                        applied   [applied at]  [ms]
    --- stderr
    ");
    run(Some(&url), &["up"]).assert_code(0);
}

/// What `up` said when it refused the files in `path` through the pooler, masked: the pooler's own
/// port on the server, which the refusal names, differs from run to run.
fn refusal(r: &Run, path: &str) -> String {
    let sees = regex::Regex::new(r"the server sees 127\.0\.0\.1:\d+").unwrap();
    sees.replace_all(
        &r.masked(&[(path, "DIR")]),
        "the server sees 127.0.0.1:[its port]",
    )
    .into_owned()
}

#[test]
fn a_no_transaction_migration_through_a_transaction_pooler_is_refused_with_the_way_out() {
    let db = TestDb::seeded();
    let pool = pool("transaction", 5);
    let d = dir(&[
        ("001_t.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.t (a int);\n"),
        ("002_ix.sql", "-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY t_a ON expert_network.t (a);\n"),
    ]);
    let path = d.path().to_str().unwrap();
    let r = run(Some(&pool.url(&db.name)), &["up", "--dir", path]);
    insta::assert_snapshot!(refusal(&r, path), @"
    exit: 1
    --- stdout
    --- stderr
    Error: 002_ix.sql is a no-transaction migration, which needs one server session from start to end, but this session goes through a proxy or pooler (the server sees 127.0.0.1:[its port]).
    Hint: use a direct URL for `up`, the database server's own host and port; a session-mode pool cannot be told apart from a transaction-mode one, so every pooler is refused here
    ");
    // Refused before anything was applied, even the transactional 001.
    assert_eq!(db.to_regclass("expert_network.t"), None);
    assert_eq!(db.to_regclass("expert_network.t_a"), None);
    assert_eq!(advisory_locks(&db), 0);
    // The way out works: the same files on a direct URL.
    run(Some(&db.url), &["up", "--dir", path]).assert_code(0);
    assert_eq!(db.applied(), ["001_t.sql", "002_ix.sql"]);
}

#[test]
fn a_direct_connection_is_not_mistaken_for_a_pooler_and_a_session_pool_is_refused_too() {
    // The other side of the detection: without PgBouncer the same no-transaction file applies.
    let db = TestDb::seeded();
    let d = dir(&[
        ("001_t.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.t (a int);\n"),
        ("002_ix.sql", "-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY t_a ON expert_network.t (a);\n"),
    ]);
    let path = d.path().to_str().unwrap();
    run(Some(&db.url), &["up", "--dir", path]).assert_code(0);
    // A session-mode pool would be safe, but from the server's side it looks exactly like a
    // transaction-mode one, so it is refused too, and the message must not send people there.
    let pool = pool("session", 5);
    std::fs::write(
        d.path().join("003_ix2.sql"),
        "-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY t_a2 ON expert_network.t (a);\n",
    )
    .unwrap();
    let r = run(Some(&pool.url(&db.name)), &["up", "--dir", path]);
    // Whole: it sends no one to a session-mode URL.
    insta::assert_snapshot!(refusal(&r, path), @"
    exit: 1
    --- stdout
    --- stderr
    Error: 003_ix2.sql is a no-transaction migration, which needs one server session from start to end, but this session goes through a proxy or pooler (the server sees 127.0.0.1:[its port]).
    Hint: use a direct URL for `up`, the database server's own host and port; a session-mode pool cannot be told apart from a transaction-mode one, so every pooler is refused here
    ");
    assert_eq!(db.to_regclass("expert_network.t_a2"), None);
    // Transactional migrations are fine through it.
    std::fs::remove_file(d.path().join("003_ix2.sql")).unwrap();
    std::fs::write(
        d.path().join("003_u.sql"),
        "CREATE TABLE expert_network.u (a int);\n",
    )
    .unwrap();
    run(Some(&pool.url(&db.name)), &["up", "--dir", path]).assert_code(0);
    assert_eq!(db.applied(), ["001_t.sql", "002_ix.sql", "003_u.sql"]);
}

/// Migrations that each take a moment, so concurrent runners overlap on every one of them, and a
/// repeatable file.
fn slow_files(n: usize) -> tempfile::TempDir {
    let d = table_migrations(n, |i| (i % 5) as f64 / 100.0);
    std::fs::write(
        d.path().join("R__view.sql"),
        "CREATE OR REPLACE VIEW expert_network.v AS SELECT 1 AS one;\n",
    )
    .unwrap();
    d
}

#[test]
fn runners_racing_through_a_small_transaction_pool_reread_the_tracker_and_go_on() {
    // A transaction pool of two server sessions for twelve runners: every transaction of a runner may
    // land on another server session, and the migration lock lives only as long as one transaction,
    // so the others keep finding the tracker moved under them between their read and their lock.
    let db = TestDb::empty();
    let pool = pool("transaction", 2);
    let url = pool.url(&db.name);
    let d = slow_files(10);
    let path = d.path().to_str().unwrap();
    for round in 0..3 {
        if round == 2 {
            // A new version of the repeatable file: every runner wants to re-apply it.
            std::fs::write(
                d.path().join("R__view.sql"),
                "CREATE OR REPLACE VIEW expert_network.v AS SELECT 2 AS one;\n",
            )
            .unwrap();
        }
        let children: Vec<_> = (0..12)
            .map(|_| {
                spawn(
                    Some(&url),
                    &["up", "--dir", path, "--lock-wait", "120"],
                    &[],
                )
            })
            .collect();
        for r in children.into_iter().map(finish) {
            assert!(!r.stderr.contains("EN003"), "round {round}: {}", r.stderr);
            r.assert_code(0);
        }
    }
    let names = db.applied();
    assert_eq!(names.len(), 11, "{names:?}");
    for i in 2..=10 {
        assert_eq!(
            db.one(&format!("SELECT count(*) FROM expert_network.t{i}")),
            "1"
        );
    }
    assert_eq!(db.one("SELECT one FROM expert_network.v"), "2");
    assert_eq!(advisory_locks(&db), 0);
}

#[test]
fn runners_through_a_transaction_pool_survive_kills_terminations_and_a_restart_without_en003() {
    // The soak's pooler half, bounded: rounds of runners through PgBouncer while one is killed, the
    // server's en-migrate backends are terminated, or the server restarts. A runner's session outlives
    // its server sessions here, so it keeps going where a direct one would have lost its connection.
    let c = Dedicated::new("pchaos", 47);
    let admin = c.start();
    exec_url(&admin, "CREATE DATABASE pdb");
    let direct = c.url("postgres", "pdb");
    let pool = pool_for(("127.0.0.1", c.port), "transaction", 2);
    let url = pool.url("pdb");
    let d = slow_files(3);
    let path = d.path().to_str().unwrap().to_string();
    let mut rng = Rng::seeded();
    let mut next = |below: u64| rng.next(below);
    const ROUNDS: usize = 8;
    for round in 0..ROUNDS {
        // Two new migrations a round, so every round has work to race for.
        for i in [4 + 2 * round, 5 + 2 * round] {
            std::fs::write(
                d.path().join(format!("{i:03}_t{i}.sql")),
                format!("CREATE TABLE expert_network.t{i} (id int);\nINSERT INTO expert_network.t{i} VALUES ({i});\nSELECT pg_sleep(0.2);\n"),
            )
            .unwrap();
        }
        let mut children = patient_runners(&url, &path, 6);
        std::thread::sleep(Duration::from_millis(100 + next(500)));
        match next(4) {
            0 => {
                let _ = children[next(6) as usize].kill();
            }
            1 => {
                let _ = try_one(&direct, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '/* en-migrate %' AND pid <> pg_backend_pid()");
            }
            2 if round % 2 == 0 => {
                c.stop();
                c.start();
            }
            _ => {}
        }
        for r in children.into_iter().map(finish) {
            assert!(
                !r.stderr.contains("EN003") && !r.stderr.contains("tracker changed"),
                "round {round}: {}",
                r.stderr
            );
            assert!(
                !r.stderr.contains("panicked"),
                "round {round}: {}",
                r.stderr
            );
        }
        let dup = try_one(
            &direct,
            "SELECT count(*) - count(DISTINCT migration_name) FROM public.schema_migrations",
        );
        assert!(
            matches!(dup.as_deref(), None | Some("0")),
            "round {round}: a migration recorded twice"
        );
    }
    run(Some(&url), &["up", "--dir", &path]).assert_code(0);
    let last = 3 + 2 * ROUNDS;
    for i in 2..=last {
        assert_eq!(
            try_one(
                &direct,
                &format!("SELECT count(*) FROM expert_network.t{i}")
            )
            .as_deref(),
            Some("1")
        );
    }
    assert_eq!(
        try_one(&direct, "SELECT count(*) FROM public.schema_migrations").as_deref(),
        Some((last + 1).to_string().as_str())
    );
}

#[test]
fn a_transaction_that_reaches_a_server_session_without_the_guards_functions_sends_the_guard_inline()
{
    // The guard's functions live in pg_temp of the server session that created them; through a
    // transaction pooler a later transaction may reach another one. There the opening's call fails
    // before anything of the migration ran, and the run goes on with the guard inline.
    const INLINE: &str = "the server session changed under the run (a pooler or proxy), so the database-side check travels inline with each migration from now on";
    let files: Vec<(String, String)> = (1..=5)
        .map(|i| {
            (
                format!("00{i}_t{i}.sql"),
                format!("CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.t{i} (id int);\n"),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, s)| (n.as_str(), s.as_str()))
        .collect();
    let d = dir(&files);
    // A retry of en-migrate's in flight at the moment this client frees its session would keep it on
    // its own: then the scenario is tried again. Every try must apply everything, once.
    let mut moved = false;
    for _ in 0..3 {
        let db = TestDb::seeded();
        let pool = pool("transaction", 2);
        let url = pool.url(&db.name);
        // This client holds one of the pool's two server sessions, so en-migrate creates its functions
        // on the other, and retries its first migration there while another runner holds the lock.
        let mut mine = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        mine.batch_execute("BEGIN; SELECT 1").unwrap();
        let holder = db.hold_migration_lock();
        let child = spawn(
            Some(&url),
            &[
                "up",
                "-v",
                "--dir",
                d.path().to_str().unwrap(),
                "--lock-wait",
                "60",
            ],
            &[],
        );
        wait_for(
            Duration::from_secs(30),
            "en-migrate to create its functions on the other server session and wait for the lock",
            || {
                (db.one("SELECT count(*) FROM pg_catalog.pg_proc WHERE proname LIKE 'en\\_migrate\\_begin\\_%'") != "0"
                    && db.one("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = 'ROLLBACK'") != "0")
                    .then_some(())
            },
        );
        // PgBouncer hands out the most recently freed server session: en-migrate's next try reaches
        // this one, which lacks the functions.
        mine.batch_execute("COMMIT").unwrap();
        drop(holder);
        let r = finish(child);
        r.assert_code(0);
        assert_eq!(
            db.applied(),
            [
                "001_t1.sql",
                "002_t2.sql",
                "003_t3.sql",
                "004_t4.sql",
                "005_t5.sql"
            ]
        );
        drop(mine);
        assert_eq!(advisory_locks(&db), 0);
        if r.stderr.contains(INLINE) {
            moved = true;
            break;
        }
    }
    assert!(
        moved,
        "no try reached the server session without the functions"
    );
}

#[test]
fn through_a_session_pool_the_guard_runs_from_its_session_functions() {
    // Any proxy makes the server see another address than en-migrate's own socket; where the server
    // session stays the same, the guard's functions are created once and called by every migration,
    // not sent inline (50 KB of PL/pgSQL to compile) with each.
    let db = TestDb::seeded();
    let pool = pool("session", 2);
    let url = pool.url(&db.name);
    let mut files: Vec<(String, String)> = (1..=4)
        .map(|i| {
            (
                format!("00{i}_t{i}.sql"),
                format!("CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.t{i} (id int);\n"),
            )
        })
        .collect();
    files.push(("005_slow.sql".into(), "SELECT pg_sleep(2);\n".into()));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, s)| (n.as_str(), s.as_str()))
        .collect();
    let d = dir(&files);
    let child = spawn(
        Some(&url),
        &["up", "-v", "--dir", d.path().to_str().unwrap()],
        &[],
    );
    wait_for(
        Duration::from_secs(30),
        "005 to sleep inside a message that calls the guard's session function",
        || {
            (db.one("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '/* en-migrate %' AND query LIKE '%SELECT pg_temp.en\\_migrate\\_begin\\_%' AND query NOT LIKE '%DO $en$%'") != "0")
                .then_some(())
        },
    );
    let r = finish(child);
    r.assert_code(0);
    assert!(
        !r.stderr.contains("travels inline"),
        "the guard fell back to inline:\n{}",
        r.stderr
    );
    assert_eq!(
        db.applied(),
        [
            "001_t1.sql",
            "002_t2.sql",
            "003_t3.sql",
            "004_t4.sql",
            "005_slow.sql"
        ]
    );
}
