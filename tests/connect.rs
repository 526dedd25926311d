//! Connecting as libpq does, against real parts: a hot standby made with `pg_basebackup -R` (or, where
//! the server's binaries lack it, a cold copy set up as `-R` would) beside its primary for
//! `target_session_attrs`, a password file and a service file in a temporary HOME, `PGPORT` under a
//! URL without a port, `PGAPPNAME`/`PGOPTIONS`, `sslmode` over a Unix socket, a
//! missing socket, and PgBouncer refusing logins while its server restarts.
//!
//! Dedicated clusters here take offsets 41..=45 above `EN_MIGRATE_TEST_PORT`.

mod common;
use common::*;
use std::process::Command;
use std::time::{Duration, Instant};

fn status(url: Option<&str>, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let d = dir(&[("001_a.sql", "CREATE SCHEMA expert_network;\n")]);
    let mut args = vec!["status", "-v", "--dir", d.path().to_str().unwrap()];
    args.extend_from_slice(extra);
    run_env(url, &args, env)
}

fn as_postgres(cmd: &str) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", cmd]);
        c
    } else {
        Command::new(cmd)
    }
}

/// A primary and a hot standby streaming from it, made with `pg_basebackup -R` where the server's
/// binaries have it, else (the version matrix's server-only packages) from a cold copy of the
/// primary's data directory, stopped cleanly, with `standby.signal` and `primary_conninfo`: what
/// `-R` writes.
fn primary_and_standby() -> (Dedicated, Dedicated) {
    let primary = Dedicated::new("primary", 41);
    primary.start();
    let standby = Dedicated::new("standby", 42);
    std::fs::create_dir_all(&standby.dir).unwrap();
    chown_postgres(&standby.dir);
    let basebackup = cluster_bindir().join("pg_basebackup");
    if basebackup.exists() {
        let out = as_postgres(basebackup.to_str().unwrap())
            .arg("-D")
            .arg(standby.data())
            .args(["-R", "-X", "stream", "-d"])
            .arg(primary.url("postgres", "postgres"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_basebackup: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    } else {
        primary.stop();
        let out = Command::new("cp")
            .arg("-a")
            .arg(primary.data())
            .arg(standby.data())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "cp: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        chown_postgres(&standby.dir);
        let auto = standby.data().join("postgresql.auto.conf");
        let conf = std::fs::read_to_string(&auto).unwrap_or_default()
            + &format!(
                "primary_conninfo = 'host=127.0.0.1 port={} user=postgres application_name=standby'\n",
                primary.port
            );
        standby.write("postgresql.auto.conf", &conf, 0o600);
        standby.write("standby.signal", "", 0o600);
        primary.start();
    }
    standby.start();
    let surl = standby.url("postgres", "postgres");
    assert_eq!(
        try_one(&surl, "SELECT pg_is_in_recovery()").as_deref(),
        Some("t")
    );
    (primary, standby)
}

#[test]
fn target_session_attrs_picks_the_primary_or_the_standby_whichever_is_listed_first() {
    let (p, s) = primary_and_standby();
    let both = |first: u16, second: u16, attrs: &str| {
        format!("postgres://postgres@127.0.0.1:{first},127.0.0.1:{second}/postgres?target_session_attrs={attrs}")
    };
    let (pp, sp) = (p.port, s.port);
    for (url, reaches) in [
        (both(sp, pp, "read-write"), pp),
        (both(pp, sp, "read-write"), pp),
        (both(sp, pp, "primary"), pp),
        (both(pp, sp, "read-only"), sp),
        (both(pp, sp, "standby"), sp),
        (both(pp, sp, "prefer-standby"), sp),
        (both(sp, pp, "any"), sp),
        (
            format!(
                "postgres://postgres@127.0.0.1:{pp}/postgres?target_session_attrs=prefer-standby"
            ),
            pp,
        ),
    ] {
        let r = status(Some(&url), &[], &[]);
        r.assert_code(0)
            .assert_stderr(&format!("connected to 127.0.0.1:{reaches}"));
    }
    // The variable works as the parameter does.
    let url = format!("postgres://postgres@127.0.0.1:{sp},127.0.0.1:{pp}/postgres");
    status(Some(&url), &[], &[("PGTARGETSESSIONATTRS", "read-write")])
        .assert_code(0)
        .assert_stderr(&format!("connected to 127.0.0.1:{pp}"));

    // load_balance_hosts=random: over enough runs both hosts are reached (each run has even odds).
    let random = format!("{}&load_balance_hosts=random", both(pp, sp, "any"));
    let mut reached = std::collections::BTreeSet::new();
    for _ in 0..30 {
        let r = status(Some(&random), &[], &[]);
        r.assert_code(0);
        reached.extend(
            [pp, sp]
                .into_iter()
                .filter(|p| r.stderr.contains(&format!("connected to 127.0.0.1:{p}"))),
        );
        if reached.len() == 2 {
            break;
        }
    }
    assert_eq!(
        reached.len(),
        2,
        "30 runs with load_balance_hosts=random all reached {reached:?}"
    );

    // `up` with read-write reaches the primary even with the standby listed first, and applies there.
    let d = dir(&[(
        "001_a.sql",
        "CREATE SCHEMA expert_network;\nCREATE TABLE expert_network.a (id int);\n",
    )]);
    run_env(
        Some(&both(sp, pp, "read-write")),
        &["up", "--dir", d.path().to_str().unwrap()],
        &[],
    )
    .assert_code(0);
    assert_eq!(
        try_one(
            &p.url("postgres", "postgres"),
            "SELECT count(*) FROM public.schema_migrations"
        )
        .as_deref(),
        Some("1")
    );

    // No host of the kind asked for: a clear failure at once, naming why.
    let only_standby =
        format!("postgres://postgres@127.0.0.1:{sp}/postgres?target_session_attrs=primary");
    let r = status(Some(&only_standby), &["--connect-timeout", "30"], &[]);
    r.assert_code(1)
        .assert_stderr(
            "the server is a standby, and target_session_attrs=primary asks for a primary",
        )
        .assert_stderr("Hint: no host in the list is of the kind target_session_attrs asks for");
    let only_primary =
        format!("postgres://postgres@127.0.0.1:{pp}/postgres?target_session_attrs=read-only");
    status(Some(&only_primary), &[], &[])
        .assert_code(1)
        .assert_stderr("the server is read-write");
}

/// A cluster that wants a SCRAM password over TCP (the Unix socket stays trusted for set-up).
fn password_cluster(name: &str, offset: u16, password: &str) -> Dedicated {
    let c = Dedicated::new(name, offset);
    let admin = c.start();
    exec_url(
        &admin,
        &format!(
            "SET password_encryption = 'scram-sha-256'; ALTER ROLE postgres PASSWORD '{password}'"
        ),
    );
    c.write(
        "pg_hba.conf",
        "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n",
        0o600,
    );
    exec_url(&admin, "SELECT pg_reload_conf()");
    wait_for(
        Duration::from_secs(10),
        "pg_hba.conf to be reloaded",
        || {
            postgres::Client::connect(&c.url("postgres", "postgres"), postgres::NoTls)
                .is_err()
                .then_some(())
        },
    );
    c
}

fn private(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn the_password_file_and_the_service_file_in_home() {
    let c = password_cluster("pgpass", 43, "pass-Word-1");
    let home = tempfile::tempdir().unwrap();
    let h = home.path().to_str().unwrap();
    let pgpass = home.path().join(".pgpass");
    std::fs::write(
        &pgpass,
        format!(
            "# test\nother:*:*:*:wrong\n127.0.0.1:{}:*:postgres:pass-Word-1\n",
            c.port
        ),
    )
    .unwrap();
    private(&pgpass, 0o600);
    let url = c.url("postgres", "postgres");
    status(Some(&url), &[], &[("HOME", h)]).assert_code(0);

    // Readable by others: ignored with libpq's warning, so the login has no password.
    private(&pgpass, 0o644);
    let r = status(Some(&url), &[], &[("HOME", h)]);
    // Whole: libpq's warning, and no password.
    let port = format!(":{}", c.port);
    insta::assert_snapshot!(r.masked(&[(h, "HOME"), (&port, ":PORT")]), @r#"
    exit: 1
    --- stdout
    --- stderr
     WARN password file "HOME/.pgpass" has group or world access; permissions should be u=rw (0600) or less; ignoring it
    DEBUG connecting to postgres@127.0.0.1:PORT/postgres
    Error: cannot connect to postgres@127.0.0.1:PORT/postgres
    Caused by: invalid configuration
    Caused by: password missing
    Hint: check the user, password and database name in DATABASE_URL or the PG* variables
    "#);

    // PGPASSFILE elsewhere; a wrong password from it says where it came from.
    let other = tempfile::tempdir().unwrap();
    let file = other.path().join("pw");
    std::fs::write(&file, "*:*:*:*:not-It\n").unwrap();
    private(&file, 0o600);
    let f = file.to_str().unwrap();
    status(Some(&url), &[], &[("HOME", h), ("PGPASSFILE", f)])
        .assert_code(1)
        .assert_stderr("password authentication failed")
        .assert_stderr(&format!("password retrieved from file {f}"));
    std::fs::write(&file, "127.0.0.1:*:postgres:postgres:pass-Word-1\n").unwrap();
    status(Some(&url), &[], &[("HOME", h), ("PGPASSFILE", f)]).assert_code(0);

    // The service file: ~/.pg_service.conf by service= or PGSERVICE, the password from .pgpass.
    private(&pgpass, 0o600);
    std::fs::write(
        home.path().join(".pg_service.conf"),
        format!(
            "[mig]\nhost=127.0.0.1\nport={}\nuser=postgres\ndbname=postgres\n",
            c.port
        ),
    )
    .unwrap();
    status(Some("service=mig"), &[], &[("HOME", h)])
        .assert_code(0)
        .assert_stderr(&format!("connected to 127.0.0.1:{}", c.port));
    status(None, &[], &[("HOME", h), ("PGSERVICE", "mig")]).assert_code(0);
    status(
        Some("postgres:///postgres?service=mig"),
        &[],
        &[("HOME", h)],
    )
    .assert_code(0);
    // PGSYSCONFDIR's pg_service.conf when the user file does not have it; a missing one is named.
    let sys = tempfile::tempdir().unwrap();
    std::fs::write(
        sys.path().join("pg_service.conf"),
        format!("[sysmig]\nhost=127.0.0.1\nport={}\nuser=postgres\n", c.port),
    )
    .unwrap();
    let s = sys.path().to_str().unwrap();
    status(
        Some("service=sysmig dbname=postgres"),
        &[],
        &[("HOME", h), ("PGSYSCONFDIR", s)],
    )
    .assert_code(0);
    status(
        Some("service=nope"),
        &[],
        &[("HOME", h), ("PGSYSCONFDIR", s)],
    )
    .assert_code(1)
    .assert_stderr("definition of service \"nope\" not found");
}

#[test]
fn pgport_fills_a_url_without_a_port_and_hostaddr_is_dialled_instead_of_the_name() {
    let db = TestDb::empty();
    let c = cluster();
    // The name does not resolve; hostaddr is what is dialled, as in libpq.
    let conn = format!(
        "host=no-such-host.invalid hostaddr={} port={} user=postgres dbname={}",
        c.host, c.port, db.name
    );
    status(Some(&conn), &[], &[])
        .assert_code(0)
        .assert_stderr(&format!("connected to no-such-host.invalid:{}", c.port));
    let url = format!("postgres://postgres@{}/{}", c.host, db.name);
    status(Some(&url), &[], &[("PGPORT", &c.port.to_string())])
        .assert_code(0)
        .assert_stderr(&format!("connected to {}:{}", c.host, c.port));
}

#[test]
fn application_name_and_options_come_from_pgappname_and_pgoptions() {
    let migration = "CREATE SCHEMA expert_network;\nCREATE TABLE expert_network.seen AS SELECT current_setting('application_name') AS app, current_setting('work_mem') AS wm;\n";
    for (env, app, wm) in [
        (vec![], "en-migrate", None),
        (
            vec![("PGAPPNAME", "deploy-42"), ("PGOPTIONS", "-c work_mem=7MB")],
            "deploy-42",
            Some("7MB"),
        ),
    ] {
        let db = TestDb::empty();
        let d = dir(&[("001_a.sql", migration)]);
        run_env(
            Some(&db.url),
            &["up", "--dir", d.path().to_str().unwrap()],
            &env,
        )
        .assert_code(0);
        assert_eq!(db.one("SELECT app FROM expert_network.seen"), app);
        if let Some(wm) = wm {
            assert_eq!(db.one("SELECT wm FROM expert_network.seen"), wm);
        }
    }
    let db = TestDb::empty();
    let url = format!(
        "{}?options=-c%20work_mem%3D9MB&application_name=from-url",
        db.url
    );
    let d = dir(&[("001_a.sql", migration)]);
    run_env(
        Some(&url),
        &["up", "--dir", d.path().to_str().unwrap()],
        &[("PGAPPNAME", "ignored")],
    )
    .assert_code(0);
    assert_eq!(
        db.one("SELECT app || ' ' || wm FROM expert_network.seen"),
        "from-url 9MB"
    );
}

#[test]
fn unix_sockets_ignore_sslmode_and_a_missing_one_fails_at_once() {
    let db = TestDb::empty();
    let c = cluster();
    let socket_dir = test_pg_dir();
    // The shared server has no TLS; over its socket, require is ignored as libpq ignores it.
    let conn = format!(
        "host={} port={} user=postgres dbname={} sslmode=require",
        socket_dir.display(),
        c.port,
        db.name
    );
    status(Some(&conn), &[], &[]).assert_code(0);
    let url = format!(
        "postgres://postgres@%2F{}:{}/{}?sslmode=verify-full",
        socket_dir
            .display()
            .to_string()
            .trim_start_matches('/')
            .replace('/', "%2F"),
        c.port,
        db.name
    );
    status(Some(&url), &[], &[]).assert_code(0);

    let t = Instant::now();
    let r = status(
        Some("host=/nonexistent/socket/dir port=5999 user=postgres dbname=x"),
        &["--connect-timeout", "60"],
        &[],
    );
    r.assert_code(1)
        .assert_stderr("no server socket at /nonexistent/socket/dir/.s.PGSQL.5999")
        .assert_stderr("Hint: no server listens on that Unix socket");
    assert!(
        t.elapsed() < Duration::from_secs(30),
        "a missing socket was retried for {:?}",
        t.elapsed()
    );
}

#[test]
fn a_bad_connection_string_says_which_part_is_wrong() {
    for (conn, says) in [
        (
            "postgres://postgres@127.0.0.1:54x2/db",
            "the port \"54x2\" of host \"127.0.0.1\" is not a number",
        ),
        (
            "postgres://postgres@127.0.0.1/db?sslmod=require",
            "unknown query parameter \"sslmod\"",
        ),
        ("host=127.0.0.1 dbname", "missing \"=\" after \"dbname\""),
        (
            "postgres://h/db?sslcrl=/etc/crl.pem",
            "sslcrl in the connection URL is not supported",
        ),
        (
            "postgres://h/db?target_session_attrs=master",
            "invalid target_session_attrs=\"master\"",
        ),
    ] {
        status(Some(conn), &[], &[])
            .assert_code(1)
            .assert_stderr(says);
    }
    status(
        Some("postgres://h/db"),
        &[],
        &[("PGREQUIREPEER", "postgres")],
    )
    .assert_code(1)
    .assert_stderr("requirepeer in PGREQUIREPEER is not supported");
}

/// PgBouncer in session mode in front of the dedicated server on `pgport`, with a short
/// `server_login_retry`.
fn bouncer(pgport: u16) -> Bouncer {
    Bouncer::start(
        ("127.0.0.1", pgport),
        "pool_mode = session\nserver_login_retry = 10\nquery_wait_timeout = 5\n",
    )
}

#[test]
fn a_pooler_refusing_logins_while_its_server_restarts_is_retried_within_the_connect_timeout() {
    let c = Dedicated::new("bouncer", 45);
    c.start();
    let b = bouncer(c.port);
    let url = format!("{}?sslmode=disable", b.url("postgres"));
    status(Some(&url), &[], &[]).assert_code(0);
    // With its server down, PgBouncer refuses clients with 08P01 for server_login_retry after each
    // failed server login (the first client waits query_wait_timeout for it).
    c.stop();
    let refused = || {
        let e = match postgres::Client::connect(&url, postgres::NoTls) {
            Err(e) => e,
            Ok(mut client) => client.simple_query("SELECT 1").err()?,
        };
        let db = e.as_db_error()?;
        (db.code().code() == "08P01" && db.message().contains("server login has been failing"))
            .then_some(())
    };
    wait_for(
        Duration::from_secs(30),
        "PgBouncer to refuse logins",
        refused,
    );
    let d = dir(&[("001_a.sql", "CREATE SCHEMA expert_network;\n")]);
    let child = spawn(
        Some(&url),
        &[
            "up",
            "-v",
            "--dir",
            d.path().to_str().unwrap(),
            "--connect-timeout",
            "60",
        ],
        &[],
    );
    c.start();
    let r = finish(child);
    r.assert_code(0)
        .assert_stderr("server login has been failing");
    assert_eq!(
        try_one(
            &c.url("postgres", "postgres"),
            "SELECT count(*) FROM public.schema_migrations"
        )
        .as_deref(),
        Some("1")
    );
}
