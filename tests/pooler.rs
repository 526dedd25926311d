//! `up` through PgBouncer in transaction pooling mode, started by the test itself: concurrent runners
//! apply each migration once, no advisory lock survives on the server, nothing trips over prepared
//! statements, and a no-transaction migration is refused with the way out.
//!
//! PgBouncer is required (`make deps` installs it): without it these tests fail, they do not skip.

mod common;
use common::*;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A PgBouncer of one test, in front of the shared test server; killed when dropped.
struct Bouncer {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Bouncer {
    fn start(pool_mode: &str) -> Bouncer {
        let exe = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .unwrap_or_else(|| panic!("pgbouncer is not installed: run `make deps` (apt-get install pgbouncer); the pooler tests need it"));
        let c = cluster();
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let ini = dir.path().join("pgbouncer.ini");
        std::fs::write(dir.path().join("userlist.txt"), "\"postgres\" \"\"\n").unwrap();
        std::fs::write(
            &ini,
            format!(
                "[databases]\n* = host={host} port={pgport}\n\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n\
                 auth_type = trust\nauth_file = {d}/userlist.txt\npool_mode = {pool_mode}\nmax_client_conn = 100\ndefault_pool_size = 5\n\
                 ignore_startup_parameters = extra_float_digits,options\nlogfile = {d}/pgbouncer.log\npidfile = {d}/pgbouncer.pid\n",
                host = c.host,
                pgport = c.port,
                d = dir.path().display(),
            ),
        )
        .unwrap();
        chown_postgres(dir.path());
        // PgBouncer, like PostgreSQL, will not run as root: as root it drops to the postgres user.
        let mut cmd = Command::new(exe);
        if is_root() {
            cmd.args(["-u", "postgres"]);
        }
        let child = cmd
            .arg(&ini)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start pgbouncer");
        let b = Bouncer {
            child,
            port,
            _dir: dir,
        };
        wait_for(
            Duration::from_secs(10),
            "pgbouncer to accept connections",
            || std::net::TcpStream::connect(("127.0.0.1", port)).ok(),
        );
        b
    }

    fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("pgbouncer.log")).unwrap_or_default()
    }
}

impl Drop for Bouncer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn concurrent_runners_through_a_transaction_pooler_apply_each_migration_once() {
    let db = TestDb::seeded();
    let pool = Bouncer::start("transaction");
    let url = pool.url(&db.name);
    let children: Vec<_> = (0..8).map(|_| spawn(Some(&url), &["up"], &[])).collect();
    let runs: Vec<Run> = children.into_iter().map(finish).collect();
    for r in &runs {
        r.assert_code(0);
        assert!(!r.stderr.contains("prepared statement"), "{}", r.stderr);
    }
    assert_shipped_applied_once(&db, &runs);
    // On a direct connection: no advisory lock is left on any of PgBouncer's server sessions.
    assert_eq!(advisory_locks(&db), 0);
    // Nor did PgBouncer see a prepared-statement clash.
    assert!(!pool.log().contains("prepared statement"), "{}", pool.log());
    let r = run(Some(&url), &["status"]);
    r.assert_code(0);
    assert_eq!(
        r.stdout
            .lines()
            .filter(|l| l.starts_with("00") && l.contains(" applied "))
            .count(),
        3,
        "{}",
        r.stdout
    );
    run(Some(&url), &["up"]).assert_code(0);
}

#[test]
fn a_no_transaction_migration_through_a_transaction_pooler_is_refused_with_the_way_out() {
    let db = TestDb::seeded();
    let pool = Bouncer::start("transaction");
    let d = dir(&[
        ("001_t.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.t (a int);\n"),
        ("002_ix.sql", "-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY t_a ON expert_network.t (a);\n"),
    ]);
    let path = d.path().to_str().unwrap();
    let r = run(Some(&pool.url(&db.name)), &["up", "--dir", path]);
    assert_ne!(r.code, 0, "{r:?}");
    assert!(
        r.stderr
            .contains("002_ix.sql is a no-transaction migration"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("proxy or pooler"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("use a direct URL for `up`, the database server's own host and port"),
        "{}",
        r.stderr
    );
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
    let pool = Bouncer::start("session");
    std::fs::write(
        d.path().join("003_ix2.sql"),
        "-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY t_a2 ON expert_network.t (a);\n",
    )
    .unwrap();
    let r = run(Some(&pool.url(&db.name)), &["up", "--dir", path]);
    assert_ne!(r.code, 0, "{r:?}");
    assert!(
        r.stderr.contains("use a direct URL") && !r.stderr.contains("session-mode URL"),
        "{}",
        r.stderr
    );
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
