//! The integration-test harness: one throwaway PostgreSQL for the whole test run, a fresh database per
//! test (so tests run in parallel, under nextest's process-per-test too), and helpers to run the
//! en-migrate binary and look at the database. No mocks: every test talks to a real server.
//!
//! `EN_MIGRATE_TEST_DATABASE_URL=postgres://superuser@host:port/db` points the tests at an existing
//! server instead. Otherwise the harness starts one with `scripts/pg.sh` in `target/test-pg` (port
//! `EN_MIGRATE_TEST_PORT`, default 55433) and leaves it running for the next test; `make test` stops it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

pub const TEMPLATE: &str = "en_migrate_seed_template";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Cluster {
    /// URL of the maintenance database, `.../postgres`.
    pub admin_url: String,
    pub host: String,
    pub port: u16,
    pub bindir: PathBuf,
}

impl Cluster {
    pub fn url_for(&self, db: &str) -> String {
        format!("postgres://postgres@{}:{}/{db}", self.host, self.port)
    }
}

fn sh(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

pub fn cluster() -> &'static Cluster {
    static C: OnceLock<Cluster> = OnceLock::new();
    C.get_or_init(|| {
        let bindir = PathBuf::from(sh(Command::new(root().join("scripts/pg.sh")).arg("bindir")));
        let admin_url = match std::env::var("EN_MIGRATE_TEST_DATABASE_URL") {
            Ok(url) => url,
            Err(_) => {
                let dir = root().join("target/test-pg");
                std::fs::create_dir_all(&dir).unwrap();
                let port = std::env::var("EN_MIGRATE_TEST_PORT").unwrap_or_else(|_| "55433".into());
                // One process starts the server and builds the template; the others wait here.
                let lock = std::fs::File::create(root().join("target/test-pg.lock")).unwrap();
                lock.lock().unwrap();
                let url = sh(Command::new(root().join("scripts/pg.sh")).args([
                    "start",
                    dir.to_str().unwrap(),
                    &port,
                    "fast",
                ]));
                ensure_template(&url, &bindir);
                lock.unlock().unwrap();
                url
            }
        };
        let (host, port) = host_port(&admin_url);
        if std::env::var("EN_MIGRATE_TEST_DATABASE_URL").is_ok() {
            let lock =
                std::fs::File::create(std::env::temp_dir().join("en-migrate-test-template.lock"))
                    .unwrap();
            lock.lock().unwrap();
            ensure_template(&admin_url, &bindir);
            lock.unlock().unwrap();
        }
        Cluster {
            admin_url,
            host,
            port,
            bindir,
        }
    })
}

fn host_port(url: &str) -> (String, u16) {
    let cfg: postgres::Config = url.parse().unwrap();
    let host = match cfg.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "127.0.0.1".into(),
    };
    (host, cfg.get_ports().first().copied().unwrap_or(5432))
}

/// The seed-like template: BetterAuth's and other applications' tables in public, with rows.
fn ensure_template(admin_url: &str, bindir: &Path) {
    let mut c = postgres::Client::connect(admin_url, postgres::NoTls).unwrap();
    let exists = c
        .simple_query(&format!(
            "SELECT 1 FROM pg_database WHERE datname = '{TEMPLATE}'"
        ))
        .unwrap()
        .iter()
        .any(|m| matches!(m, postgres::SimpleQueryMessage::Row(_)));
    if exists {
        return;
    }
    c.batch_execute(&format!("CREATE DATABASE {TEMPLATE}_build"))
        .unwrap();
    let url = replace_db(admin_url, &format!("{TEMPLATE}_build"));
    sh(Command::new(bindir.join("psql"))
        .args([&url, "-q", "-v", "ON_ERROR_STOP=1", "-f"])
        .arg(root().join("demo/public_apps.sql")));
    c.batch_execute(&format!(
        "ALTER DATABASE {TEMPLATE}_build RENAME TO {TEMPLATE}"
    ))
    .unwrap();
}

pub fn replace_db(url: &str, db: &str) -> String {
    let (head, _) = url.rsplit_once('/').unwrap();
    let query = url
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    format!("{head}/{db}{query}")
}

/// A database of one test, dropped when the test ends.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl TestDb {
    /// A database like the seed's: other applications' tables in public, with rows.
    pub fn seeded() -> TestDb {
        Self::create(Some(TEMPLATE))
    }

    /// An empty database.
    pub fn empty() -> TestDb {
        Self::create(Some("template0"))
    }

    fn create(template: Option<&str>) -> TestDb {
        let c = cluster();
        let name = format!(
            "t_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        let mut admin = postgres::Client::connect(&c.admin_url, postgres::NoTls).unwrap();
        let tpl = template
            .map(|t| format!(" TEMPLATE {t}"))
            .unwrap_or_default();
        // CREATE DATABASE from the same template at once can collide; retry briefly.
        for attempt in 0..50 {
            match admin.batch_execute(&format!("CREATE DATABASE {name}{tpl}")) {
                Ok(()) => break,
                Err(e) if attempt < 49 => {
                    let _ = e;
                    std::thread::sleep(std::time::Duration::from_millis(50 + attempt * 20));
                }
                Err(e) => panic!("CREATE DATABASE {name}: {e}"),
            }
        }
        let url = replace_db(&c.admin_url, &name);
        TestDb { name, url }
    }

    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).unwrap()
    }

    /// Rows of `sql` as text cells.
    pub fn query(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        self.client()
            .simple_query(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .into_iter()
            .filter_map(|m| match m {
                postgres::SimpleQueryMessage::Row(r) => {
                    Some((0..r.len()).map(|i| r.get(i).map(str::to_string)).collect())
                }
                _ => None,
            })
            .collect()
    }

    /// The first cell of the first row.
    pub fn one(&self, sql: &str) -> String {
        self.query(sql)
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next().flatten())
            .unwrap_or_default()
    }

    pub fn exec(&self, sql: &str) {
        self.client()
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Tables of a schema, sorted.
    pub fn tables(&self, schema: &str) -> Vec<String> {
        self.query(&format!(
            "SELECT tablename FROM pg_tables WHERE schemaname = '{schema}' ORDER BY 1"
        ))
        .into_iter()
        .map(|r| r[0].clone().unwrap())
        .collect()
    }

    /// pg_dump of schema public (schema and data), without en-migrate's tracker.
    pub fn dump_public(&self) -> String {
        let c = cluster();
        let out = sh(Command::new(c.bindir.join("pg_dump")).args([
            "--schema=public",
            "--exclude-table=public.schema_migrations",
            "--exclude-table=public.schema_migrations_id_seq",
            &self.url,
        ]));
        // pg_dump 15.14+ writes a random \restrict key; it is not content.
        out.lines()
            .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn applied(&self) -> Vec<String> {
        self.query("SELECT migration_name FROM public.schema_migrations ORDER BY id")
            .into_iter()
            .map(|r| r[0].clone().unwrap())
            .collect()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if std::thread::panicking() && std::env::var_os("EN_MIGRATE_KEEP_FAILED_DB").is_some() {
            return;
        }
        if let Ok(mut admin) = postgres::Client::connect(&cluster().admin_url, postgres::NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_en-migrate")
}

/// Runs en-migrate with DATABASE_URL set to `url` (if any) and a clean environment of PG* variables.
pub fn run(url: Option<&str>, args: &[&str]) -> Run {
    run_env(url, args, &[])
}

pub fn command(url: Option<&str>, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(bin());
    cmd.args(args).arg("--no-dotenv");
    for var in [
        "DATABASE_URL",
        "PGHOST",
        "PGPORT",
        "PGUSER",
        "PGPASSWORD",
        "PGDATABASE",
        "PGSSLMODE",
        "EN_MIGRATE_DIR",
        "GITHUB_ACTIONS",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    if let Some(u) = url {
        cmd.env("DATABASE_URL", u);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

pub fn run_env(url: Option<&str>, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out: Output = command(url, args, env).output().expect("run en-migrate");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A directory of migration files: (file name, content).
pub fn dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (name, body) in files {
        std::fs::write(d.path().join(name), body).unwrap();
    }
    d
}
