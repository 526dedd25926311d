//! Stopping `up` the way an operator or a container runtime does: SIGINT and SIGTERM, also to en-migrate
//! as PID 1 of a new PID namespace. Each test asserts the migration rolled back, what stays applied,
//! the exit code, and that the server stopped the statement (on PostgreSQL 13 too, which has no
//! client_connection_check_interval: the cancel request is what stops it there).

mod common;
use common::*;
use std::time::Duration;

fn path(d: &tempfile::TempDir) -> &str {
    d.path().to_str().unwrap()
}

/// A first migration that applies at once, and a second that takes a lock and sleeps.
fn first_then_sleep() -> tempfile::TempDir {
    dir(&[
        (
            "001_first.sql",
            "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.first (id int);\n",
        ),
        (
            "002_sleepy.sql",
            "CREATE TABLE expert_network.half (id int);\n\nSELECT pg_sleep(60);\n",
        ),
    ])
}

/// en-migrate's backend in `db` while it sleeps inside the migration.
fn sleeping_backend(db: &TestDb) -> i32 {
    backend_where(
        db,
        "state = 'active' AND wait_event = 'PgSleep'",
        Duration::from_secs(30),
        "en-migrate's backend to reach pg_sleep",
    )
}

/// Waits at most `within` for en-migrate's backend in `db` to be where `state` (a condition on
/// pg_stat_activity) says, and returns its pid.
fn backend_where(db: &TestDb, state: &str, within: Duration, what: &str) -> i32 {
    let sql = format!("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'en-migrate' AND {state}");
    wait_for(within, what, || {
        db.query(&sql)
            .first()
            .and_then(|r| r[0].as_deref().and_then(|p| p.parse().ok()))
    })
}

/// How many advisory locks any session holds in `db` (en-migrate's migration lock among them).
fn advisory_locks(db: &TestDb) -> String {
    db.one("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
}

/// Waits at most `within` for the server backend `backend` to be gone.
fn wait_backend_gone(db: &TestDb, backend: i32, within: Duration, what: &str) {
    wait_for(within, what, || {
        (db.one(&format!(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = {backend}"
        )) == "0")
            .then_some(())
    });
}

fn kill(pid: u32, sig: &str) {
    let ok = std::process::Command::new("kill")
        .args([&format!("-{sig}"), &pid.to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{sig} {pid}");
}

/// What every stopped run must leave: 001 applied, 002 not, no lock, and the sleeping statement no
/// longer running once en-migrate has exited (it waits for the server to take the cancel).
fn assert_stopped_cleanly(db: &TestDb, backend: i32, r: &Run, code: i32, sig: &str) {
    r.assert_code(code)
        .assert_stderr(&format!(
            "stopped by {sig}: 002_sleepy.sql was rolled back and is not applied"
        ))
        .assert_stderr("Applied before the stop (these stay applied): 001_first.sql");
    assert_eq!(
        db.one(&format!(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = {backend} AND state = 'active'"
        )),
        "0",
        "the server still runs the migration's statement after en-migrate exited"
    );
    wait_backend_gone(
        db,
        backend,
        Duration::from_secs(1),
        "the stopped runner's backend to end",
    );
    assert_eq!(db.applied(), ["001_first.sql"]);
    assert_eq!(db.to_regclass("expert_network.half"), None);
    assert_eq!(advisory_locks(db), "0");
}

#[test]
fn sigint_cancels_the_statement_rolls_back_and_exits_130() {
    let db = TestDb::seeded();
    let d = first_then_sleep();
    let child = spawn(Some(&db.url), &["up", "--dir", path(&d)], &[]);
    let backend = sleeping_backend(&db);
    kill(child.id(), "INT");
    let r = finish(child);
    assert_stopped_cleanly(&db, backend, &r, 130, "SIGINT");
    assert_eq!(masked(&r.stdout, &[]), "applied 001_first.sql (N ms)\n");

    // The next run finishes the job, with the sleep gone.
    std::fs::write(
        d.path().join("002_sleepy.sql"),
        "CREATE TABLE expert_network.half (id int);\n",
    )
    .unwrap();
    run(Some(&db.url), &["up", "--dir", path(&d)]).assert_code(0);
    assert_eq!(db.applied(), ["001_first.sql", "002_sleepy.sql"]);
}

#[test]
fn sigterm_to_en_migrate_as_pid_1_of_a_new_pid_namespace_exits_143() {
    let db = TestDb::seeded();
    let d = first_then_sleep();
    // unshare forks en-migrate as PID 1 of the new namespace: the kernel delivers a signal from outside
    // to it only if it installed a handler.
    let plain = command(Some(&db.url), &["up", "--dir", path(&d)], &[]);
    let mut cmd = std::process::Command::new("unshare");
    cmd.args(["-fp", "--mount-proc", bin()])
        .args(plain.get_args());
    for (k, v) in plain.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("unshare");
    let backend = sleeping_backend(&db);
    let unshare = child.id();
    let pid1: u32 = std::fs::read_to_string(format!("/proc/{unshare}/task/{unshare}/children"))
        .unwrap()
        .split_whitespace()
        .next()
        .expect("unshare's child")
        .parse()
        .unwrap();
    let ns_pid = std::fs::read_to_string(format!("/proc/{pid1}/status"))
        .unwrap()
        .lines()
        .find(|l| l.starts_with("NSpid:"))
        .map(|l| l.split_whitespace().last().unwrap_or("").to_string())
        .unwrap();
    assert_eq!(ns_pid, "1", "en-migrate is not PID 1 of its namespace");
    kill(pid1, "TERM");
    let r = finish(child);
    assert_stopped_cleanly(&db, backend, &r, 143, "SIGTERM");
}

#[test]
fn a_second_signal_exits_at_once() {
    let db = TestDb::seeded();
    // The statement ignores the cancel request's first effect for a while: a sleep inside a loop that
    // swallows query_canceled, so only the second signal ends the run.
    let d = dir(&[(
        "001_stubborn.sql",
        "CREATE SCHEMA IF NOT EXISTS expert_network;\n\
         DO $$ BEGIN\n  FOR i IN 1..150 LOOP\n    BEGIN PERFORM pg_catalog.pg_sleep(0.1); EXCEPTION WHEN query_canceled THEN NULL; END;\n  END LOOP;\nEND $$;\n",
    )]);
    let mut child = spawn(Some(&db.url), &["up", "--dir", path(&d)], &[]);
    let backend = sleeping_backend(&db);
    kill(child.id(), "INT");
    // The first signal was taken (the runner says so) before the second is sent.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    while !said.contains("received;") {
        let mut line = String::new();
        let n = std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
        assert!(n > 0, "en-migrate ended before the second signal: {said}");
        said += &line;
    }
    kill(child.id(), "INT");
    std::io::Read::read_to_string(&mut stderr, &mut said).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{said}");
    insta::assert_snapshot!(masked(&said, &[(path(&d), "DIR")]), @"
    en-migrate: SIGINT received; cancelling the running statement and rolling back (send it again to exit at once)
    en-migrate: SIGINT received again; exiting now without waiting for the rollback (the server rolls back when it sees the connection close)
    ");
    // The server rolls back what the closed connection left open: nothing is recorded.
    wait_backend_gone(&db, backend, Duration::from_secs(30), "the backend to end");
    assert!(db.to_regclass("public.schema_migrations").is_none() || db.applied().is_empty());
}

/// Pending files whose fence takes seconds in a debug build (about 40 MB of rows): long enough
/// for a signal to land while the fence runs, and under the size beyond which `up` opens nothing
/// ahead of the fence.
fn slow_to_fence() -> tempfile::TempDir {
    let mut rows = String::with_capacity(41 << 20);
    let mut id = 0;
    while rows.len() < 40 << 20 {
        rows += "INSERT INTO expert_network.rows (id, note) VALUES\n";
        for i in 0..1000 {
            id += 1;
            let sep = if i == 999 { ";" } else { "," };
            rows += &format!(
                "  ({id}, 'note {id:08} padded to look like a real row of a seed file'){sep}\n"
            );
        }
    }
    dir(&[
        (
            "001_rows_table.sql",
            "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.rows (id bigint PRIMARY KEY, note text);\n",
        ),
        ("002_rows.sql", &rows),
    ])
}

/// Starts `up` on `d`, waits until its backend has opened, beside its checks, what it commits only
/// once the fence has passed (the tracker's creation, or the first migration's transaction: idle in
/// a transaction while the fence still runs), stops it with SIGTERM, and asserts it stopped before
/// any migration ran and its backend ended.
fn stop_while_fencing(db: &TestDb, d: &tempfile::TempDir) {
    let child = spawn(Some(&db.url), &["up", "--dir", path(d)], &[]);
    let backend = backend_where(
        db,
        "state = 'idle in transaction'",
        Duration::from_secs(60),
        "en-migrate's opening ahead of the fence",
    );
    kill(child.id(), "TERM");
    finish(child)
        .assert_code(143)
        .assert_stderr("stopped by SIGTERM: no migration was running.");
    wait_backend_gone(
        db,
        backend,
        Duration::from_secs(5),
        "the stopped runner's backend to end",
    );
}

#[test]
fn a_stop_while_the_pending_files_are_fenced_rolls_back_what_was_opened_ahead() {
    let db = TestDb::seeded();
    let d = slow_to_fence();

    // No tracker yet: its creation is open, uncommitted, while the fence runs. The stop leaves no
    // tracker and nothing of expert_network.
    stop_while_fencing(&db, &d);
    assert_eq!(db.to_regclass("public.schema_migrations"), None);
    assert_eq!(
        db.one("SELECT count(*) FROM pg_namespace WHERE nspname = 'expert_network'"),
        "0"
    );

    // With the tracker and 001 applied, the opening ahead is 002's own transaction: the stop rolls it
    // back, 001 stays the only migration applied, and the lock is free.
    run(Some(&db.url), &["up", "--dir", path(&d), "--target", "1"]).assert_code(0);
    assert_eq!(db.applied(), ["001_rows_table.sql"]);
    stop_while_fencing(&db, &d);
    assert_eq!(db.applied(), ["001_rows_table.sql"]);
    assert_eq!(db.one("SELECT count(*) FROM expert_network.rows"), "0");
    assert_eq!(advisory_locks(&db), "0");
}

// ---------------------------------------------------------------------------------------------
// Stalls: a TCP proxy between en-migrate and the server that forwards, then goes silent

/// A TCP proxy to `upstream` that forwards both ways until `silent` is set, then forwards nothing (and
/// accepts new connections without forwarding either): a hung proxy or a dead path that keeps its
/// sockets open.
struct Proxy {
    port: u16,
    silent: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Proxy {
    fn start(upstream: (String, u16)) -> Proxy {
        use std::sync::atomic::{AtomicBool, Ordering};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let silent = std::sync::Arc::new(AtomicBool::new(false));
        let flag = silent.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = std::net::TcpStream::connect((upstream.0.as_str(), upstream.1))
                else {
                    continue;
                };
                for (from, to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    let flag = flag.clone();
                    std::thread::spawn(move || pump(from, to, &flag));
                }
            }
        });
        fn pump(mut from: std::net::TcpStream, mut to: std::net::TcpStream, silent: &AtomicBool) {
            use std::io::{Read, Write};
            from.set_read_timeout(Some(Duration::from_millis(50)))
                .unwrap();
            let mut buf = [0u8; 16384];
            loop {
                if silent.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
                match from.read(&mut buf) {
                    Ok(0) => return,
                    // Read while the proxy went silent: dropped, as everything after it.
                    Ok(_) if silent.load(Ordering::SeqCst) => {}
                    Ok(n) => {
                        if to.write_all(&buf[..n]).is_err() {
                            return;
                        }
                    }
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) => {}
                    Err(_) => return,
                }
            }
        }
        Proxy { port, silent }
    }

    fn go_silent(&self) {
        self.silent.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

#[test]
fn a_path_that_goes_silent_mid_migration_fails_within_the_bound_and_the_server_frees_the_locks() {
    let db = TestDb::seeded();
    let c = cluster();
    let proxy = Proxy::start((c.host.clone(), c.port));
    let via = db.url.replacen(
        &format!("{}:{}", c.host, c.port),
        &format!("127.0.0.1:{}", proxy.port),
        1,
    );
    let d = dir(&[
        (
            "001_first.sql",
            "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.first (id int);\n",
        ),
        (
            "002_locks.sql",
            "CREATE TABLE expert_network.half (id int);\nSELECT pg_sleep(2);\n",
        ),
    ]);
    let child = spawn(
        Some(&via),
        &["up", "--dir", path(&d), "--format", "json"],
        &[],
    );
    let backend = sleeping_backend(&db);
    // The answer to 002 will never arrive: the server finishes the statement and sits idle in transaction,
    // holding its lock on expert_network.half.
    proxy.go_silent();
    let r = finish(child);
    r.assert_code(1)
        .assert_stderr("gave up waiting for the server while applying 002_locks.sql")
        .assert_stderr("002_locks.sql was not recorded");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["applied"][0]["name"], "001_first.sql");
    assert_eq!(v["ok"], false);
    // The server ends the abandoned transaction within idle_in_transaction_session_timeout (30 s).
    wait_backend_gone(
        &db,
        backend,
        Duration::from_secs(40),
        "the server to end the stalled transaction",
    );
    assert_eq!(db.applied(), ["001_first.sql"]);
    assert_eq!(db.to_regclass("expert_network.half"), None);
}

#[test]
fn a_long_statement_on_a_healthy_path_is_never_taken_for_a_stall() {
    let db = TestDb::seeded();
    // Longer than three looks of the watch (stall.rs PROBE_EVERY is 5 s).
    let d = dir(&[(
        "001_long.sql",
        "CREATE SCHEMA IF NOT EXISTS expert_network;\nSELECT pg_sleep(17);\n",
    )]);
    let r = run(Some(&db.url), &["up", "--dir", path(&d)]);
    r.assert_code(0);
    assert_eq!(db.applied(), ["001_long.sql"]);
}

/// `db`'s URL through `proxy`.
fn via(db: &TestDb, proxy: &Proxy) -> String {
    let c = cluster();
    db.url.replacen(
        &format!("{}:{}", c.host, c.port),
        &format!("127.0.0.1:{}", proxy.port),
        1,
    )
}

#[test]
fn a_path_that_goes_silent_before_commits_answer_fails_within_the_bound_and_the_tracker_tells() {
    let db = TestDb::seeded();
    let proxy = Proxy::start((cluster().host.clone(), cluster().port));
    // A deferred constraint trigger that sleeps at COMMIT: en-migrate fires the migration's deferred
    // triggers before its guard, so this one is queued by another that defers everything again
    // first. The migration runs to its tracker row at once, and its COMMIT then runs on the server
    // for seconds, long enough for the path to go silent meanwhile.
    let d = dir(&[(
        "001_slow_commit.sql",
        "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.t (a int);\nCREATE TABLE expert_network.u (a int);\n\
         CREATE FUNCTION expert_network.again() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN SET CONSTRAINTS ALL DEFERRED; INSERT INTO expert_network.u VALUES (1); RETURN NULL; END$$;\n\
         CREATE FUNCTION expert_network.slow() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN PERFORM pg_sleep(4); RETURN NULL; END$$;\n\
         CREATE CONSTRAINT TRIGGER again AFTER INSERT ON expert_network.t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION expert_network.again();\n\
         CREATE CONSTRAINT TRIGGER slow AFTER INSERT ON expert_network.u DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION expert_network.slow();\n\
         INSERT INTO expert_network.t VALUES (1);\n",
    )]);
    let child = spawn(
        Some(&via(&db, &proxy)),
        &["up", "--dir", path(&d), "--format", "json"],
        &[],
    );
    wait_for(
        Duration::from_secs(30),
        "en-migrate's COMMIT to run",
        || {
            db.query("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'en-migrate' AND state = 'active' AND query LIKE '/* en-migrate %' AND query LIKE '%COMMIT' AND wait_event = 'PgSleep'")
            .first()
            .map(|_| ())
        },
    );
    proxy.go_silent();
    let r = finish(child);
    r.assert_code(1)
        .assert_stderr("gave up waiting for the server while committing 001_slow_commit.sql")
        .assert_stderr("whether it was applied, only the tracker can say")
        .assert_stderr("run `en-migrate status` to see");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["ok"], false);
    // The server did commit: the tracker says so, and the migration is there whole.
    wait_for(Duration::from_secs(30), "the COMMIT to finish", || {
        (db.one("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%COMMIT' AND query LIKE '/* en-migrate %'") == "0").then_some(())
    });
    assert_eq!(db.applied(), ["001_slow_commit.sql"]);
    assert_eq!(db.one("SELECT count(*) FROM expert_network.t"), "1");
}

#[test]
fn status_and_verify_give_up_within_their_bound_when_the_path_goes_silent() {
    let db = TestDb::seeded();
    run(Some(&db.url), &["up"]).assert_code(0);
    let proxy = Proxy::start((cluster().host.clone(), cluster().port));
    let url = via(&db, &proxy);
    // Both wait on a lock on the tracker, so the silence falls while their query is on the server.
    let mut holder = db.client();
    holder
        .batch_execute("BEGIN; LOCK TABLE public.schema_migrations IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let children: Vec<_> = [
        &["status", "--connect-timeout", "1", "--read-timeout", "15s"][..],
        &["verify", "--connect-timeout", "1", "--read-timeout", "15s"],
    ]
    .iter()
    .map(|args| spawn(Some(&url), args, &[]))
    .collect();
    wait_for(
        Duration::from_secs(30),
        "status and verify to wait for the lock",
        || {
            (db.one("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'en-migrate' AND wait_event_type = 'Lock'") == "2").then_some(())
        },
    );
    proxy.go_silent();
    // Their answers are ready on the server now, and never arrive.
    holder.batch_execute("COMMIT").unwrap();
    for r in children.into_iter().map(finish) {
        // --read-timeout plus --connect-timeout.
        r.assert_code(1)
            .assert_stderr("no answer from the server within 16s; nothing was changed (this command only reads)")
            .assert_stderr("Hint: check the network path, proxy or pooler");
    }
}

#[test]
fn another_backend_left_idle_after_a_message_of_this_run_is_not_taken_for_the_migrations() {
    // Through a transaction pooler, an earlier message of the run may have gone to another server
    // backend, which then sits idle with this run's marker as its last query. The watch must judge the
    // backend that runs the migration now, not whichever matching row the catalog lists first.
    let db = TestDb::seeded();
    // Opened before en-migrate connects, so these backends take the earlier slots in pg_stat_activity.
    let mut decoys: Vec<postgres::Client> = (0..3).map(|_| db.client()).collect();
    let d = dir(&[(
        "001_long.sql",
        "CREATE SCHEMA IF NOT EXISTS expert_network;\nSELECT pg_sleep(16);\n",
    )]);
    let child = spawn(Some(&db.url), &["up", "--dir", path(&d)], &[]);
    let marker = wait_for(
        Duration::from_secs(30),
        "en-migrate's backend to reach pg_sleep",
        || {
            db.query("SELECT substr(query, 1, strpos(query, '*/') + 2) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND wait_event = 'PgSleep' AND query LIKE '/* en-migrate %'")
                .first()
                .and_then(|r| r[0].clone())
        },
    );
    for c in &mut decoys {
        c.batch_execute(&format!("{marker}SELECT 1")).unwrap();
    }
    let idle = db.one(&format!(
        // The marker holds only digits and dots, so it quotes as it is.
        "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle' AND query LIKE '{marker}%'"
    ));
    assert_eq!(idle, "3", "the decoys sit idle with the run's marker");
    let r = finish(child);
    r.assert_code(0);
    assert_eq!(db.applied(), ["001_long.sql"]);
}
