//! The integration-test harness: one throwaway PostgreSQL for the whole test run, a fresh database per
//! test (so tests run in parallel, under nextest's process-per-test too), and helpers to run the
//! en-migrate binary and look at the database. No mocks: every test talks to a real server.
//!
//! `EN_MIGRATE_TEST_DATABASE_URL=postgres://superuser@host:port/db` points the tests at an existing
//! server instead. Otherwise the harness starts one with `scripts/pg.sh` in `EN_MIGRATE_TEST_PG_DIR`
//! (default `target/test-pg`; port `EN_MIGRATE_TEST_PORT`, default 25433) and leaves it running for the
//! next test; `make test` stops it. `PG_BINDIR` picks the server binaries (the version matrix uses it).
//!
//! Tests that stop, restart or reconfigure a server get a [`Dedicated`] cluster of their own, on port
//! `EN_MIGRATE_TEST_PORT` + a fixed offset per test, so that the shared server is never disturbed.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

mod bouncer;
mod shipped;
#[allow(unused_imports)] // the pooler and connection tests use it
pub use bouncer::Bouncer;
#[allow(unused_imports)] // each test binary uses some of them
pub use shipped::{EXPECTED_TABLES, SHIPPED};

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
                let dir = test_pg_dir();
                std::fs::create_dir_all(&dir).unwrap();
                let port = base_port().to_string();
                // One process starts the server and builds the template; the others wait here.
                let lock = std::fs::File::create(dir.with_extension("lock")).unwrap();
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

/// The shared test server's directory: `EN_MIGRATE_TEST_PG_DIR`, relative to the crate, or `target/test-pg`.
pub fn test_pg_dir() -> PathBuf {
    match std::env::var("EN_MIGRATE_TEST_PG_DIR") {
        Ok(d) if !d.is_empty() => root().join(d),
        _ => root().join("target/test-pg"),
    }
}

/// `EN_MIGRATE_TEST_PORT`: the shared server's port; dedicated clusters take the ports just above it.
pub fn base_port() -> u16 {
    std::env::var("EN_MIGRATE_TEST_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(25433)
}

/// Where psql and pg_dump are: the server's bindir if it has them (a Debian install), else the newest
/// client on the machine (the version matrix's server-only packages ship no clients).
pub fn client_bindir() -> PathBuf {
    let server = cluster().bindir.clone();
    if server.join("psql").exists() && server.join("pg_dump").exists() {
        return server;
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("psql").exists())
        .collect();
    found.sort_by_key(|b| {
        b.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    found.pop().unwrap_or_else(|| PathBuf::from("/usr/bin"))
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
    let psql = if bindir.join("psql").exists() {
        bindir.join("psql")
    } else {
        PathBuf::from("psql")
    };
    sh(Command::new(psql)
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
            .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
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

    /// pg_dump of schema public (schema and data), without en-migrate's tracker. Where the only pg_dump
    /// is older than the server (the version matrix), the catalog listing with a hash of each table's rows.
    pub fn dump_public(&self) -> String {
        if !pg_dump_usable(&self.url) {
            return self.catalog("public", true).join("\n");
        }
        let out = sh(Command::new(client_bindir().join("pg_dump")).args([
            "--schema=public",
            "--exclude-table=public.schema_migrations",
            "--exclude-table=public.schema_migrations_id_seq",
            &self.url,
        ]));
        strip_restrict(&out)
    }

    /// A listing of what `schema` holds, from the catalogs, on any server version: relations, columns,
    /// constraints, indexes, views, functions, triggers, types, sequences, policies, rules, comments and
    /// privileges; with `data`, a hash of every table's rows. The tracker is left out.
    pub fn catalog(&self, schema: &str, data: bool) -> Vec<String> {
        let s = schema.replace('\'', "''");
        let mut sql = format!(
            "WITH n AS (SELECT oid FROM pg_namespace WHERE nspname = '{s}'), \
             r AS (SELECT c.* FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM n) AND c.relname NOT LIKE 'schema_migrations%') \
             SELECT 'relation ' || relname || ' ' || relkind::text || ' ' || relpersistence::text || ' ' || coalesce(reloptions::text, '') || ' ' || coalesce(relacl::text, '') FROM r \
             UNION ALL SELECT 'column ' || r.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' ' || a.attidentity::text || ' ' || a.attgenerated::text \
               || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' ' || coalesce(a.attacl::text, '') \
               FROM r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped LEFT JOIN pg_attrdef d ON d.adrelid = r.oid AND d.adnum = a.attnum \
             UNION ALL SELECT 'constraint ' || c.conname || ' on ' || coalesce(c.conrelid::regclass::text, c.contypid::regtype::text) || ' ' || pg_get_constraintdef(c.oid) \
               FROM pg_constraint c WHERE c.connamespace = (SELECT oid FROM n) AND c.conrelid NOT IN (SELECT oid FROM pg_class WHERE relname = 'schema_migrations') \
             UNION ALL SELECT 'index ' || pg_get_indexdef(i.indexrelid) || ' valid=' || i.indisvalid FROM pg_index i WHERE i.indrelid IN (SELECT oid FROM r) \
             UNION ALL SELECT 'view ' || r.relname || ' ' || pg_get_viewdef(r.oid) FROM r WHERE r.relkind IN ('v', 'm') \
             UNION ALL SELECT 'function ' || pg_get_functiondef(p.oid) || ' ' || coalesce(p.proacl::text, '') FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM n) AND p.prokind IN ('f', 'p') \
             UNION ALL SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t WHERE t.tgrelid IN (SELECT oid FROM r) AND NOT t.tgisinternal \
             UNION ALL SELECT 'type ' || t.typname || ' ' || t.typtype::text || ' ' || coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '') \
               FROM pg_type t WHERE t.typnamespace = (SELECT oid FROM n) AND t.typtype IN ('e', 'd', 'c', 'r') AND t.typname NOT LIKE '%schema_migrations%' AND (t.typrelid = 0 OR t.typrelid IN (SELECT oid FROM r WHERE relkind = 'c')) \
             UNION ALL SELECT 'sequence ' || q.seqrelid::regclass::text || ' ' || q.seqtypid::regtype::text || ' ' || q.seqstart || ' ' || q.seqincrement || ' ' || q.seqmax || ' ' || q.seqmin || ' ' || q.seqcycle \
               FROM pg_sequence q WHERE q.seqrelid IN (SELECT oid FROM r) \
             UNION ALL SELECT 'policy ' || p.polname || ' ' || p.polcmd::text || ' ' || coalesce(pg_get_expr(p.polqual, p.polrelid), '') || ' ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '') FROM pg_policy p WHERE p.polrelid IN (SELECT oid FROM r) \
             UNION ALL SELECT 'rule ' || pg_get_ruledef(w.oid) FROM pg_rewrite w WHERE w.ev_class IN (SELECT oid FROM r) AND w.rulename <> '_RETURN' \
             UNION ALL SELECT 'comment ' || coalesce(c.relname, '') || ' ' || d.objsubid || ' ' || d.description FROM pg_description d LEFT JOIN r c ON c.oid = d.objoid \
               WHERE d.objoid IN (SELECT oid FROM r) OR d.objoid IN (SELECT oid FROM pg_proc WHERE pronamespace = (SELECT oid FROM n)) \
             UNION ALL SELECT 'schema ' || nspname || ' ' || coalesce(nspacl::text, '') FROM pg_namespace WHERE oid = (SELECT oid FROM n)"
        );
        if data {
            sql += &format!(
                " UNION ALL SELECT 'rows of ' || r.relname || ' ' || (xpath('/row/h/text()', query_to_xml(format( \
                 'SELECT md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), %L)) AS h FROM %I.%I t', '', '{s}', r.relname), false, false, '')))[1]::text \
                 FROM r WHERE r.relkind IN ('r', 'p')"
            );
        }
        sql += " ORDER BY 1";
        self.query(&sql)
            .into_iter()
            .map(|r| r[0].clone().unwrap_or_default())
            .collect()
    }

    /// `to_regclass(name)`: the relation's name if it exists.
    pub fn to_regclass(&self, name: &str) -> Option<String> {
        self.query(&format!(
            "SELECT to_regclass('{}')::text",
            name.replace('\'', "''")
        ))
        .into_iter()
        .next()
        .and_then(|r| r[0].clone())
    }

    pub fn applied(&self) -> Vec<String> {
        self.query("SELECT migration_name FROM public.schema_migrations ORDER BY id")
            .into_iter()
            .map(|r| r[0].clone().unwrap())
            .collect()
    }
}

/// en-migrate's migration lock (`tracker::LOCK_KEY`, "en-migra" in ASCII), for tests that hold it.
pub const LOCK_KEY: i64 = 0x656e_2d6d_6967_7261;

/// Another session of a test's database that holds what `sql` took (a lock, a transaction it left
/// open) until it is dropped, which ends the session and frees it all.
pub struct Holder {
    pub client: postgres::Client,
    /// Its backend's pid, as en-migrate names it.
    pub pid: i32,
}

impl TestDb {
    /// Opens a session, runs `sql` in it and keeps it: see [`Holder`].
    pub fn hold(&self, sql: &str) -> Holder {
        let mut client = self.client();
        let pid = client
            .query_one("SELECT pg_backend_pid()", &[])
            .unwrap()
            .get(0);
        client
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        Holder { client, pid }
    }

    /// A session that holds en-migrate's migration lock, as another runner would.
    pub fn hold_migration_lock(&self) -> Holder {
        self.hold(&format!("SELECT pg_advisory_lock({LOCK_KEY})"))
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

/// pg_dump refuses a server newer than itself; the version matrix has no matching pg_dump.
pub fn pg_dump_usable(url: &str) -> bool {
    let out = Command::new(client_bindir().join("pg_dump"))
        .arg("--version")
        .output();
    let Ok(out) = out else { return false };
    let text = String::from_utf8_lossy(&out.stdout);
    let client: u32 = text
        .split_whitespace()
        .last()
        .and_then(|v| v.split('.').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let server: i32 = c
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .unwrap()
        .get(0);
    client as i32 >= server / 10000
}

/// pg_dump 15.14+ writes a random `\restrict` key; it is not content.
pub fn strip_restrict(dump: &str) -> String {
    dump.lines()
        .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
        .collect::<Vec<_>>()
        .join("\n")
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

    /// The whole run as one text, its exit code, stdout and stderr, [`masked`] (with `replace` first):
    /// what a test compares to its expected output instead of looking for fragments.
    pub fn masked(&self, replace: &[(&str, &str)]) -> String {
        masked(
            &format!(
                "exit: {}\n--- stdout\n{}--- stderr\n{}",
                self.code, self.stdout, self.stderr
            ),
            replace,
        )
    }

    /// Asserts that stderr says `needle`, showing it all if not.
    pub fn assert_stderr(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_en-migrate")
}

/// Runs en-migrate with DATABASE_URL set to `url` (if any) in a cleared environment (see [`command`]).
pub fn run(url: Option<&str>, args: &[&str]) -> Run {
    run_env(url, args, &[])
}

/// en-migrate with a cleared environment: nothing of the runner's (PG* variables, DATABASE_URL,
/// GITHUB_ACTIONS, RUST_LOG, CI...) reaches it, since it reads them all; only what a process needs.
pub fn hermetic() -> Command {
    let mut cmd = Command::new(bin());
    cmd.env_clear();
    for var in KEPT_ENV {
        if let Some(v) = std::env::var_os(var) {
            cmd.env(var, v);
        }
    }
    cmd
}

/// [`hermetic`] en-migrate with `args`, `--no-dotenv`, DATABASE_URL set to `url` (if any) and `env`.
pub fn command(url: Option<&str>, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = hermetic();
    cmd.args(args).arg("--no-dotenv");
    if let Some(u) = url {
        cmd.env("DATABASE_URL", u);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// What a test's en-migrate keeps of the runner's environment: where programs are, who it runs as
/// (libpq's default user is the OS user) and where its home and temporary files are.
const KEPT_ENV: [&str; 6] = [
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "TMPDIR",
    "RUST_BACKTRACE",
];

pub fn run_env(url: Option<&str>, args: &[&str], env: &[(&str, &str)]) -> Run {
    Run::from(command(url, args, env).output().expect("run en-migrate"))
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// (name, state) of every migration `status --format json` lists, after checking it exits 0.
pub fn status_states(url: &str, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["status", "--format", "json"];
    all.extend_from_slice(args);
    let r = run(Some(url), &all);
    r.assert_code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    v["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap().to_string(),
                m["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// After concurrent `up` runs of the shipped migrations: each was applied once, by exactly one
/// runner (the others saw it done), and its seed rows were inserted once, not once per runner.
pub fn assert_shipped_applied_once(db: &TestDb, runs: &[Run]) {
    assert_eq!(db.applied(), SHIPPED);
    for name in SHIPPED {
        let n = runs
            .iter()
            .filter(|r| r.stdout.contains(&format!("applied {name}")))
            .count();
        assert_eq!(n, 1, "{name} reported applied by {n} runners");
    }
    assert_eq!(
        db.one("SELECT count(*) FROM expert_network.vendor_platforms WHERE slug = 'glg'"),
        "1"
    );
}

/// `text` with what changes from run to run masked, so a test compares whole outputs: durations
/// (`(12 ms)`, `in 40 ms`), status's applied-at and milliseconds, other timestamps, pids, checksums, shadow databases' names, drift's object counts, the stall marker; and each
/// `(from, to)` of `replace` (paths, ports) first.
pub fn masked(text: &str, replace: &[(&str, &str)]) -> String {
    let mut s = text.to_string();
    for (from, to) in replace {
        s = s.replace(from, to);
    }
    static MASKS: OnceLock<Vec<(regex::Regex, &str)>> = OnceLock::new();
    let masks = MASKS.get_or_init(|| {
        [
            (r"/\* en-migrate \d+\.\d+ \*/", "/* en-migrate [marker] */"),
            (r"\(\d+ ms\)", "(N ms)"),
            (r"\bin \d+ ms\b", "in N ms"),
            (r"\bpid \d+", "pid N"),
            (r"\b[0-9a-f]{64}\b", "[checksum]"),
            (r"\ben_migrate_shadow_\d+", "en_migrate_shadow_N"),
            // How many objects drift compares differs between server versions (18 records NOT NULL
            // constraints).
            (r"\b\d+ objects\b", "N objects"),
            (
                r"(?m)\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? +\d+$",
                "[applied at]  [ms]",
            ),
            // Any other moment, as the server prints a timestamptz.
            (
                r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d(:\d\d)?|Z)?",
                "[timestamp]",
            ),
        ]
        .into_iter()
        .map(|(re, to)| (regex::Regex::new(re).unwrap(), to))
        .collect()
    });
    for (re, to) in masks {
        s = re.replace_all(&s, *to).into_owned();
    }
    s
}

/// The one problem with the files that a [`Run::masked`] text (the directory as `DIR`) names, after
/// checking all the rest of it: exit 1, nothing on stdout, and that problem as the whole error.
pub fn the_problem(said: &str) -> &str {
    said.strip_prefix(
        "exit: 1\n--- stdout\n--- stderr\nError: 1 problem with the migration files in DIR:\n  ",
    )
    .and_then(|rest| rest.strip_suffix('\n'))
    .filter(|line| !line.contains('\n'))
    .unwrap_or_else(|| panic!("not one problem with the files:\n{said}"))
}

/// What `up` prints (with [`Run::masked`]) when it applies the shipped migrations to a database without them.
pub const UP_SHIPPED: &str = "exit: 0\n\
     --- stdout\n\
     applied 001_create_expert_network_schema.sql (N ms)\n\
     applied 002_seed_vendor_platforms.sql (N ms)\n\
     applied 003_grants.sql (N ms)\n\
     3 applied, 0 already applied, in N ms\n\
     --- stderr\n\
     ";

/// What `status` prints (with [`Run::masked`]) on a database the shipped migrations have not touched.
pub const STATUS_PENDING: &str = "exit: 0\n\
     --- stdout\n\
     migration                             state     applied at                        ms\n\
     001_create_expert_network_schema.sql  pending   -                                  -\n\
     002_seed_vendor_platforms.sql         pending   -                                  -\n\
     003_grants.sql                        pending   -                                  -\n\
     --- stderr\n\
     ";

/// What `up` prints (with [`Run::masked`]) where another tool's tracker (golang-migrate's `version bigint, dirty boolean`) is public.schema_migrations.
pub const FOREIGN_TRACKER_UP: &str = "exit: 4\n\
     --- stdout\n\
     --- stderr\n\
     Error: public.schema_migrations exists but is not en-migrate's tracker (columns: version bigint, dirty boolean); another tool (golang-migrate, dbmate, Rails?) owns it.\n\
     Hint: nothing was changed; point en-migrate at the database it owns, or rename that table\n\
     ";

/// What `up` prints (masked) on a database the seed's runner migrated through 002: 003 applied, and
/// the two rows the earlier runner wrote adopted, by the names it recorded them under.
pub const SEED_ADOPTED: &str = "applied 003_grants.sql (N ms)\n\
     adopted 001_create_expert_network_schema from the earlier runner's tracker; recorded its checksum\n\
     adopted 002_seed_vendor_platforms.sql from the earlier runner's tracker; recorded its checksum\n\
     1 applied, 2 already applied, in N ms\n";

/// Two migrations: 001 makes `expert_network.big` with `rows` rows and an index function that sleeps
/// `pause` seconds a row; 002 builds that index with CREATE INDEX CONCURRENTLY in a no-transaction
/// file, so the build takes about `rows` x `pause` however fast the machine.
pub fn slow_index_files(rows: u32, pause: &str) -> tempfile::TempDir {
    dir(&[
        (
            "001_big.sql",
            &format!(
                "CREATE SCHEMA IF NOT EXISTS expert_network;\n\
                 CREATE TABLE expert_network.big (id int, v int);\n\
                 INSERT INTO expert_network.big SELECT g, g % 1000 FROM generate_series(1, {rows}) g;\n\
                 CREATE FUNCTION expert_network.slow(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$\n\
                 BEGIN\n  PERFORM pg_catalog.pg_sleep({pause});\n  RETURN i;\nEND\n$$;\n"
            ),
        ),
        ("002_index.sql", "-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY big_slow ON expert_network.big (expert_network.slow(v));\n"),
    ])
}

/// A directory of migration files: (file name, content).
pub fn dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (name, body) in files {
        std::fs::write(d.path().join(name), body).unwrap();
    }
    d
}

/// Starts en-migrate in the background with its output captured.
pub fn spawn(url: Option<&str>, args: &[&str], env: &[(&str, &str)]) -> std::process::Child {
    command(url, args, env)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn en-migrate")
}

/// Waits for a spawned run to end and collects what it printed.
pub fn finish(child: std::process::Child) -> Run {
    Run::from(child.wait_with_output().expect("wait for en-migrate"))
}

/// Polls `f` every 50 ms until it returns `Some`, or panics with `what` after `timeout`.
pub fn wait_for<T>(
    timeout: std::time::Duration,
    what: &str,
    mut f: impl FnMut() -> Option<T>,
) -> T {
    let start = std::time::Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            start.elapsed() < timeout,
            "timed out after {timeout:?} waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// First cell of the first row of `sql` on any URL, or `None` if the query fails.
pub fn try_one(url: &str, sql: &str) -> Option<String> {
    let mut c = postgres::Client::connect(url, postgres::NoTls).ok()?;
    let msgs = c.simple_query(sql).ok()?;
    msgs.into_iter().find_map(|m| match m {
        postgres::SimpleQueryMessage::Row(r) => Some(r.get(0).map(str::to_string)),
        _ => None,
    })?
}

/// Runs `sql` on any URL, panicking on failure.
pub fn exec_url(url: &str, sql: &str) {
    let mut c = postgres::Client::connect(url, postgres::NoTls)
        .unwrap_or_else(|e| panic!("connect {url}: {e}"));
    c.batch_execute(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
}

/// The server version as `server_version_num` (150014, 180004, ...).
pub fn server_version(url: &str) -> i32 {
    try_one(url, "SELECT current_setting('server_version_num')")
        .and_then(|v| v.parse().ok())
        .expect("server_version_num")
}

/// The pids of en-migrate's backends in `db` whose query matches `like`.
pub fn migrate_backends(db: &TestDb, like: &str) -> Vec<i32> {
    db.query(&format!(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'en-migrate' AND pid <> pg_backend_pid() AND query LIKE '{}' ORDER BY pid",
        like.replace('\'', "''")
    ))
    .into_iter()
    .filter_map(|r| r[0].as_deref().and_then(|p| p.parse().ok()))
    .collect()
}

/// Advisory locks held in `db`'s database by anyone.
pub fn advisory_locks(db: &TestDb) -> i64 {
    db.one("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())").parse().unwrap()
}

/// A throwaway cluster of one test, for tests that stop, restart or reconfigure the server. It lives in
/// `<test-pg dir>-<name>` on port `EN_MIGRATE_TEST_PORT + offset` and is stopped when dropped.
pub struct Dedicated {
    pub dir: PathBuf,
    pub port: u16,
}

impl Dedicated {
    /// A fresh cluster (any earlier one of the same name is wiped), not started yet.
    pub fn new(name: &str, offset: u16) -> Dedicated {
        let base = test_pg_dir();
        let dir = base.with_file_name(format!(
            "{}-{name}",
            base.file_name().unwrap().to_string_lossy()
        ));
        let d = Dedicated {
            dir,
            port: base_port() + offset,
        };
        d.stop();
        let _ = std::fs::remove_dir_all(&d.dir);
        d
    }

    /// Starts the cluster (initialising it the first time) and returns the URL of database postgres.
    pub fn start(&self) -> String {
        sh(Command::new(root().join("scripts/pg.sh")).args([
            "start",
            self.dir.to_str().unwrap(),
            &self.port.to_string(),
            "fast",
        ]))
    }

    pub fn stop(&self) {
        let _ = Command::new(root().join("scripts/pg.sh"))
            .args(["stop", self.dir.to_str().unwrap()])
            .output();
    }

    pub fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    pub fn url(&self, user_pass: &str, db: &str) -> String {
        format!("postgres://{user_pass}@127.0.0.1:{}/{db}", self.port)
    }

    /// Runs pg_ctl as the server's OS user.
    pub fn pg_ctl(&self, args: &[&str]) {
        let bindir = cluster_bindir();
        let mut cmd = if is_root() {
            Command::new("runuser")
        } else {
            Command::new(bindir.join("pg_ctl"))
        };
        if is_root() {
            cmd.args(["-u", "postgres", "--"])
                .arg(bindir.join("pg_ctl"));
        }
        sh(cmd.arg("-D").arg(self.data()).args(args));
    }

    /// Writes a file into the cluster's data directory, owned by the server's OS user.
    pub fn write(&self, name: &str, content: &str, mode: u32) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.data().join(name);
        std::fs::write(&path, content).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        chown_postgres(&path);
        path
    }
}

impl Drop for Dedicated {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The server binaries' directory, without starting the shared server.
pub fn cluster_bindir() -> PathBuf {
    PathBuf::from(sh(Command::new(root().join("scripts/pg.sh")).arg("bindir")))
}

pub fn is_root() -> bool {
    sh(Command::new("id").arg("-u")) == "0"
}

/// As root, hands `path` to the `postgres` OS user, which the servers and PgBouncer run as.
pub fn chown_postgres(path: &Path) {
    if is_root() {
        sh(Command::new("chown").args(["-R", "postgres"]).arg(path));
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A copy of the shipped migrations in a temporary directory, with `extra` files added, for --dir.
pub fn shipped_with(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("sql")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, d.path().join(p.file_name().unwrap())).unwrap();
    }
    for (name, body) in extra {
        std::fs::write(d.path().join(name), body).unwrap();
    }
    d
}

/// xorshift64: enough randomness for choosing moments and victims in the chaos tests, and replayable
/// from its seed.
pub struct Rng(pub u64);

impl Rng {
    /// From EN_MIGRATE_CHAOS_SEED, else the clock; printed, so a failing run can be replayed.
    pub fn seeded() -> Rng {
        let seed = std::env::var("EN_MIGRATE_CHAOS_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        println!("chaos seed {seed}");
        Rng(seed)
    }

    pub fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below.max(1)
    }
}

/// `n` runners of `up --dir dir` started at once, patient enough to outlast what a chaos test does to
/// them: each waits up to 60 s for the migration lock and 30 s for a connection.
pub fn patient_runners(url: &str, dir: &str, n: usize) -> Vec<std::process::Child> {
    let args = [
        "up",
        "--dir",
        dir,
        "--lock-wait",
        "60",
        "--connect-timeout",
        "30",
    ];
    (0..n).map(|_| spawn(Some(url), &args, &[])).collect()
}

/// Migrations 001 (the schema) to `n`: each later one creates table `t<i>`, inserts the row `<i>` and
/// sleeps `sleep(i)` seconds, so concurrent runners overlap on it.
pub fn table_migrations(n: usize, sleep: impl Fn(usize) -> f64) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("001_schema.sql"),
        "CREATE SCHEMA IF NOT EXISTS expert_network;\n",
    )
    .unwrap();
    for i in 2..=n {
        std::fs::write(
            d.path().join(format!("{i:03}_t{i}.sql")),
            format!(
                "CREATE TABLE expert_network.t{i} (id int);\nINSERT INTO expert_network.t{i} VALUES ({i});\nSELECT pg_sleep({});\n",
                sleep(i)
            ),
        )
        .unwrap();
    }
    d
}
