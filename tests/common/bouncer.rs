//! PgBouncer started by a test, in front of the server the test names, and killed when the test drops
//! it. It listens on a free port of 127.0.0.1, lets the postgres user in without a password and writes
//! its log to a file of its own; everything else (the pool mode, sizes, retries) is the test's to say.
//! Only a launcher: it never changes the server behind it.
//!
//! PgBouncer is required (`make deps` installs it): without it these tests fail, they do not skip.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running PgBouncer of one test; killed when dropped.
pub struct Bouncer {
    child: Child,
    pub port: u16,
    dir: tempfile::TempDir,
}

impl Bouncer {
    /// PgBouncer in front of the server at `upstream` (host, port), with `settings`: lines of its
    /// `[pgbouncer]` section besides where it listens, how it authenticates and where it logs.
    pub fn start(upstream: (&str, u16), settings: &str) -> Bouncer {
        let exe = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .unwrap_or_else(|| panic!("pgbouncer is not installed: run `make deps` (apt-get install pgbouncer); the pooler tests need it"));
        let dir = tempfile::tempdir().unwrap();
        let port = super::free_port();
        let ini = dir.path().join("pgbouncer.ini");
        std::fs::write(dir.path().join("userlist.txt"), "\"postgres\" \"\"\n").unwrap();
        std::fs::write(
            &ini,
            format!(
                "[databases]\n* = host={host} port={pgport}\n\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n\
                 auth_type = trust\nauth_file = {d}/userlist.txt\n{settings}\
                 ignore_startup_parameters = extra_float_digits,options\nlogfile = {d}/pgbouncer.log\npidfile = {d}/pgbouncer.pid\n",
                host = upstream.0,
                pgport = upstream.1,
                d = dir.path().display(),
            ),
        )
        .unwrap();
        super::chown_postgres(dir.path());
        // PgBouncer, like PostgreSQL, will not run as root: as root it drops to the postgres user.
        let mut cmd = Command::new(exe);
        if super::is_root() {
            cmd.args(["-u", "postgres"]);
        }
        let child = cmd
            .arg(&ini)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start pgbouncer");
        let b = Bouncer { child, port, dir };
        super::wait_for(
            Duration::from_secs(10),
            "pgbouncer to accept connections",
            || std::net::TcpStream::connect(("127.0.0.1", port)).ok(),
        );
        b
    }

    /// The URL of database `db` through it, as postgres.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// What it logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("pgbouncer.log")).unwrap_or_default()
    }
}

impl Drop for Bouncer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
