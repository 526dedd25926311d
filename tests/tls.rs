//! Connecting under adverse conditions, against real servers: wrong passwords (SCRAM and md5), an
//! unknown host, a closed port, a server that is not up yet, and TLS with libpq's sslmode semantics
//! against a server with its own CA. Every failure must be a clear message within --connect-timeout,
//! and no password may ever reach stdout or stderr.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RIGHT: &str = "right-Secret-123";
const WRONG: &str = "wrong-Pass-456";
const MD5_RIGHT: &str = "md5-Pass-789";

fn assert_no_secret(r: &Run) {
    for secret in [RIGHT, WRONG, MD5_RIGHT] {
        assert!(
            !r.stdout.contains(secret) && !r.stderr.contains(secret),
            "a password was printed:\n{}\n{}",
            r.stdout,
            r.stderr
        );
    }
}

/// The error a run ended with, whole: stderr from its `Error:` line on, after any log lines.
fn error_of(r: &Run) -> &str {
    let at = r.stderr.rfind("\nError: ").map_or(0, |i| i + 1);
    assert!(
        r.stderr[at..].starts_with("Error: "),
        "no error in:\n{}",
        r.stderr
    );
    &r.stderr[at..]
}

fn status(url: &str, extra: &[&str], env: &[(&str, &str)]) -> (Run, Duration) {
    let d = dir(&[("001_a.sql", "CREATE TABLE expert_network.a (id int);\n")]);
    let mut args = vec!["status", "--dir", d.path().to_str().unwrap()];
    args.extend_from_slice(extra);
    let t = Instant::now();
    let r = run_env(Some(url), &args, env);
    (r, t.elapsed())
}

// ---------------------------------------------------------------------------------------------
// Connection faults

#[test]
fn wrong_passwords_fail_at_once_and_no_password_is_ever_printed() {
    let c = Dedicated::new("auth", 2);
    let admin = c.start();
    exec_url(
        &admin,
        &format!(
            "SET password_encryption = 'scram-sha-256'; ALTER ROLE postgres PASSWORD '{RIGHT}';\n\
             SET password_encryption = 'md5'; CREATE ROLE md5user LOGIN SUPERUSER PASSWORD '{MD5_RIGHT}';"
        ),
    );
    // Password authentication on TCP; the Unix socket stays trusted for the test's own set-up.
    c.write(
        "pg_hba.conf",
        "local all all trust\nhost all md5user 127.0.0.1/32 md5\nhost all all 127.0.0.1/32 scram-sha-256\n",
        0o600,
    );
    exec_url(&admin, "SELECT pg_reload_conf()");
    std::thread::sleep(Duration::from_millis(300));

    let mut refusals = String::new();
    for (user, pass, method) in [("postgres", WRONG, "SCRAM"), ("md5user", WRONG, "md5")] {
        let url = c.url(&format!("{user}:{pass}"), "postgres");
        // -vv: not even trace logging may show it.
        let (r, took) = status(&url, &["-vv", "--connect-timeout", "10"], &[]);
        assert_ne!(r.code, 0, "{method}: {r:?}");
        // The error whole, after -vv's log lines (which vary).
        refusals += &format!(
            "== {method}\n{}",
            masked(error_of(&r), &[(&format!(":{}", c.port), ":PORT")])
        );
        // Permanent: not retried until --connect-timeout.
        assert!(
            took < Duration::from_secs(5),
            "{method}: a wrong password took {took:?}"
        );
        assert_no_secret(&r);
    }
    insta::assert_snapshot!(refusals, @r#"
    == SCRAM
    Error: cannot connect to postgres@127.0.0.1:PORT/postgres
    Caused by: FATAL: password authentication failed for user "postgres"
    Hint: check the user, password and database name in DATABASE_URL or the PG* variables
    == md5
    Error: cannot connect to md5user@127.0.0.1:PORT/postgres
    Caused by: FATAL: password authentication failed for user "md5user"
    Hint: check the user, password and database name in DATABASE_URL or the PG* variables
    "#);
    // Through PGPASSWORD too.
    let (r, _) = status(
        &c.url("postgres", "postgres"),
        &[],
        &[("PGPASSWORD", WRONG)],
    );
    insta::assert_snapshot!(r.masked(&[(&format!(":{}", c.port), ":PORT")]), @r#"
    exit: 1
    --- stdout
    --- stderr
    Error: cannot connect to postgres@127.0.0.1:PORT/postgres
    Caused by: FATAL: password authentication failed for user "postgres"
    Hint: check the user, password and database name in DATABASE_URL or the PG* variables
    "#);
    assert_no_secret(&r);

    // The right passwords work, and are not printed either.
    let (r, _) = status(
        &c.url(&format!("postgres:{RIGHT}"), "postgres"),
        &["-vv"],
        &[],
    );
    r.assert_code(0);
    assert_no_secret(&r);
    let (r, _) = status(
        &c.url(&format!("md5user:{MD5_RIGHT}"), "postgres"),
        &[],
        &[],
    );
    r.assert_code(0);
    let (r, _) = status(
        &c.url("postgres", "postgres"),
        &[],
        &[("PGPASSWORD", RIGHT)],
    );
    r.assert_code(0);
    assert_no_secret(&r);
}

#[test]
fn an_unknown_host_fails_clearly_within_the_connect_timeout() {
    let url = format!("postgres://postgres:{WRONG}@no-such-host.invalid:5432/x");
    let (r, took) = status(&url, &["--connect-timeout", "3"], &[]);
    insta::assert_snapshot!(r.masked(&[]), @"
    exit: 1
    --- stdout
    --- stderr
    Error: cannot connect to postgres@no-such-host.invalid:5432/x
    Caused by: no-such-host.invalid:5432
    Caused by: failed to lookup address information: Name or service not known
    Hint: the host name does not resolve; check the host in DATABASE_URL or PGHOST
    ");
    assert!(
        took < Duration::from_secs(6),
        "took {took:?} with --connect-timeout 3"
    );
    assert_no_secret(&r);
}

#[test]
fn a_closed_port_is_retried_until_the_connect_timeout_then_fails_clearly() {
    let port = free_port();
    let url = format!("postgres://postgres:{WRONG}@127.0.0.1:{port}/x");
    let (r, took) = status(&url, &["--connect-timeout", "2"], &[]);
    insta::assert_snapshot!(r.masked(&[(&format!(":{port}"), ":PORT")]), @"
    exit: 1
    --- stdout
    --- stderr
    Error: cannot connect to postgres@127.0.0.1:PORT/x
    Caused by: 127.0.0.1:PORT
    Caused by: Connection refused (os error 111)
    Hint: is the server running and accepting connections there? Raise --connect-timeout if it is still starting
    ");
    assert!(
        took >= Duration::from_millis(1500) && took < Duration::from_secs(5),
        "took {took:?} with --connect-timeout 2"
    );
    assert_no_secret(&r);
}

#[test]
fn a_server_that_is_still_starting_is_waited_for_within_the_connect_timeout() {
    let c = Dedicated::new("starting", 3);
    c.start();
    exec_url(&c.url("postgres", "postgres"), "CREATE DATABASE sdb");
    c.stop();
    let url = c.url("postgres", "sdb");

    // Down for longer than --connect-timeout: a clear failure, on time.
    let (r, took) = status(&url, &["--connect-timeout", "2"], &[]);
    insta::assert_snapshot!(r.masked(&[(&format!(":{}", c.port), ":PORT")]), @"
    exit: 1
    --- stdout
    --- stderr
    Error: cannot connect to postgres@127.0.0.1:PORT/sdb
    Caused by: 127.0.0.1:PORT
    Caused by: Connection refused (os error 111)
    Hint: is the server running and accepting connections there? Raise --connect-timeout if it is still starting
    ");
    assert!(took < Duration::from_secs(5), "{took:?}");

    // Coming up while en-migrate waits: it connects and does its job.
    let d = dir(&[("001_a.sql", "CREATE SCHEMA expert_network;\n")]);
    let child = spawn(
        Some(&url),
        &[
            "up",
            "--dir",
            d.path().to_str().unwrap(),
            "--connect-timeout",
            "60",
        ],
        &[],
    );
    std::thread::sleep(Duration::from_millis(1500));
    c.start();
    let r = finish(child);
    r.assert_code(0);
    assert_eq!(
        try_one(&url, "SELECT count(*) FROM public.schema_migrations").as_deref(),
        Some("1")
    );
}

// ---------------------------------------------------------------------------------------------
// TLS

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl is needed for the TLS tests: run `make deps`");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA and a server certificate it signed for `localhost` only (no IP address), in `dir`.
fn make_certs(dir: &Path) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    let ca_ext = [
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ];
    let mut args = vec![
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=en-migrate test CA",
    ];
    args.extend(ca_ext);
    openssl(dir, &args);
    let mut args = vec![
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "other-ca.key",
        "-out",
        "other-ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=some other CA",
    ];
    args.extend(ca_ext);
    openssl(dir, &args);
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ],
    );
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
    );
    (
        dir.join("ca.crt"),
        dir.join("other-ca.crt"),
        dir.join("server.crt"),
        dir.join("server.key"),
    )
}

#[test]
fn sslmodes_against_a_server_with_its_own_ca() {
    let c = Dedicated::new("tls", 4);
    let admin = c.start();
    let certs = tempfile::tempdir().unwrap();
    let (ca, other_ca, crt, key) = make_certs(certs.path());
    let crt = c.write("server.crt", &std::fs::read_to_string(crt).unwrap(), 0o644);
    let key = c.write("server.key", &std::fs::read_to_string(key).unwrap(), 0o600);
    exec_url(
        &admin,
        &format!("ALTER SYSTEM SET ssl_cert_file = '{}'", crt.display()),
    );
    exec_url(
        &admin,
        &format!("ALTER SYSTEM SET ssl_key_file = '{}'", key.display()),
    );
    exec_url(&admin, "ALTER SYSTEM SET ssl = on");
    // Only TLS connections get in over TCP, so a success below proves TLS was used.
    c.write("pg_hba.conf", "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\nhostnossl all all all reject\n", 0o600);
    exec_url(&admin, "SELECT pg_reload_conf()");
    std::thread::sleep(Duration::from_millis(300));
    let home = tempfile::tempdir().unwrap(); // no ~/.postgresql/root.crt
    let home_env = [("HOME", home.path().to_str().unwrap())];
    let ca = ca.to_str().unwrap();
    let other_ca = other_ca.to_str().unwrap();
    let at =
        |host: &str, query: &str| format!("postgres://postgres@{host}:{}/postgres?{query}", c.port);

    let port = format!(":{}", c.port);
    // PostgreSQL 13's pg_hba.conf refusal says "SSL off" where later ones say "no encryption".
    let replace = [
        (other_ca, "OTHER_CA"),
        (ca, "CA"),
        (port.as_str(), ":PORT"),
        ("\", SSL off", "\", no encryption"),
    ];
    let mut refusals = String::new();
    for (url, ok, why) in [
        (at("127.0.0.1", "sslmode=disable"), false, "the server refuses connections without TLS"),
        (at("127.0.0.1", "sslmode=prefer"), true, "prefer uses TLS when the server has it"),
        (at("127.0.0.1", "sslmode=require"), true, "require encrypts without checking the certificate"),
        (at("127.0.0.1", &format!("sslmode=require&sslrootcert={other_ca}")), false, "require with a root certificate checks the chain, as libpq does"),
        (at("127.0.0.1", &format!("sslmode=verify-ca&sslrootcert={ca}")), true, "verify-ca checks the chain, not the name"),
        (at("127.0.0.1", &format!("sslmode=verify-ca&sslrootcert={other_ca}")), false, "verify-ca with the wrong CA"),
        (at("localhost", &format!("sslmode=verify-full&sslrootcert={ca}")), true, "verify-full with the right CA and name"),
        (at("127.0.0.1", &format!("sslmode=verify-full&sslrootcert={ca}")), false, "the certificate names localhost, not 127.0.0.1"),
        (at("localhost", &format!("sslmode=verify-full&sslrootcert={other_ca}")), false, "verify-full with the wrong CA"),
        (at("localhost", "sslmode=verify-full"), false, "verify-full without any root certificate"),
        (format!("host=localhost port={} user=postgres dbname=postgres sslmode=verify-full sslrootcert='{ca}'", c.port), true, "the key=value form"),
    ] {
        let (r, took) = status(&url, &["--connect-timeout", "5"], &home_env);
        assert_eq!(r.code == 0, ok, "{why}: {url}\n{}\n{}", r.stdout, r.stderr);
        if !ok {
            refusals += &format!("== {why}\n{}", r.masked(&replace));
            assert!(took < Duration::from_secs(4), "{why}: a permanent TLS failure was retried for {took:?}");
        }
    }
    // Each failure whole: what failed, and the fix (sslrootcert where no root certificate was given).
    insta::assert_snapshot!(refusals, @r#"
    == the server refuses connections without TLS
    exit: 1
    --- stdout
    --- stderr
    Error: cannot connect to postgres@127.0.0.1:PORT/postgres
    Caused by: FATAL: pg_hba.conf rejects connection for host "127.0.0.1", user "postgres", database "postgres", no encryption
    Hint: check the user, password and database name in DATABASE_URL or the PG* variables
    == require with a root certificate checks the chain, as libpq does
    exit: 1
    --- stdout
    --- stderr
    Error: cannot connect to postgres@127.0.0.1:PORT/postgres
    Caused by: error performing TLS handshake
    Caused by: invalid peer certificate: UnknownIssuer
    Hint: the TLS handshake failed; check sslmode and sslrootcert: the server must offer TLS, its certificate must chain to sslrootcert, and for verify-full name the host connected to
    == verify-ca with the wrong CA
    exit: 1
    --- stdout
    --- stderr
    Error: cannot connect to postgres@127.0.0.1:PORT/postgres
    Caused by: error performing TLS handshake
    Caused by: invalid peer certificate: UnknownIssuer
    Hint: the TLS handshake failed; check sslmode and sslrootcert: the server must offer TLS, its certificate must chain to sslrootcert, and for verify-full name the host connected to
    == the certificate names localhost, not 127.0.0.1
    exit: 1
    --- stdout
    --- stderr
    Error: cannot connect to postgres@127.0.0.1:PORT/postgres
    Caused by: error performing TLS handshake
    Caused by: invalid peer certificate: certificate not valid for name "127.0.0.1"; certificate is only valid for DnsName("localhost")
    Hint: the TLS handshake failed; check sslmode and sslrootcert: the server must offer TLS, its certificate must chain to sslrootcert, and for verify-full name the host connected to
    == verify-full with the wrong CA
    exit: 1
    --- stdout
    --- stderr
    Error: cannot connect to postgres@localhost:PORT/postgres
    Caused by: error performing TLS handshake
    Caused by: invalid peer certificate: UnknownIssuer
    Hint: the TLS handshake failed; check sslmode and sslrootcert: the server must offer TLS, its certificate must chain to sslrootcert, and for verify-full name the host connected to
    == verify-full without any root certificate
    exit: 1
    --- stdout
    --- stderr
    Error: cannot connect to postgres@localhost:PORT/postgres
    Caused by: sslmode=VerifyFull needs a root certificate: set sslrootcert=/path/to/ca.pem (or sslrootcert=system)
    "#);

    // libpq's variables work too, and `up` applies over verify-full.
    let env = [
        ("HOME", home.path().to_str().unwrap()),
        ("PGSSLMODE", "verify-full"),
        ("PGSSLROOTCERT", ca),
    ];
    let url = format!("postgres://postgres@localhost:{}/postgres", c.port);
    let d = dir(&[(
        "001_a.sql",
        "CREATE SCHEMA expert_network;\nCREATE TABLE expert_network.a (id int);\n",
    )]);
    run_env(
        Some(&url),
        &["up", "--dir", d.path().to_str().unwrap()],
        &env,
    )
    .assert_code(0);
    let (r, _) = status(
        &url,
        &[],
        &[
            ("HOME", home.path().to_str().unwrap()),
            ("PGSSLMODE", "verify-full"),
            ("PGSSLROOTCERT", other_ca),
        ],
    );
    assert_ne!(r.code, 0, "PGSSLROOTCERT was ignored: {r:?}");
}

#[test]
fn require_against_a_server_without_tls_fails_with_no_silent_downgrade() {
    // The shared test server runs without TLS.
    let db = TestDb::seeded();
    let home = tempfile::tempdir().unwrap();
    let env = [("HOME", home.path().to_str().unwrap())];
    let port = format!(":{}", cluster().port);
    let replace = [(db.name.as_str(), "DB"), (port.as_str(), ":PORT")];
    let mut refusals = String::new();
    for mode in ["require", "verify-ca", "verify-full"] {
        let url = format!("{}?sslmode={mode}&sslrootcert=/nonexistent/ca.pem", db.url);
        let url = if mode == "require" {
            format!("{}?sslmode=require", db.url)
        } else {
            url
        };
        let (r, took) = status(&url, &["--connect-timeout", "5"], &env);
        assert_ne!(r.code, 0, "sslmode={mode} connected without TLS: {r:?}");
        refusals += &format!("== {mode}\n{}", r.masked(&replace));
        assert!(took < Duration::from_secs(4), "{mode}: {took:?}");
    }
    // Each whole: the cause (no TLS on the server) or the missing root certificate is said.
    insta::assert_snapshot!(refusals, @"
    == require
    exit: 1
    --- stdout
    --- stderr
    Error: cannot connect to postgres@127.0.0.1:PORT/DB
    Caused by: error performing TLS handshake
    Caused by: server does not support TLS
    Hint: the TLS handshake failed; check sslmode and sslrootcert: the server must offer TLS, its certificate must chain to sslrootcert, and for verify-full name the host connected to
    == verify-ca
    exit: 1
    --- stdout
    --- stderr
    Error: cannot connect to postgres@127.0.0.1:PORT/DB
    Caused by: cannot read sslrootcert /nonexistent/ca.pem
    Caused by: No such file or directory (os error 2)
    == verify-full
    exit: 1
    --- stdout
    --- stderr
    Error: cannot connect to postgres@127.0.0.1:PORT/DB
    Caused by: cannot read sslrootcert /nonexistent/ca.pem
    Caused by: No such file or directory (os error 2)
    ");
    // And nothing was written: `up` with require fails the same way before any write.
    let r = run_env(Some(&format!("{}?sslmode=require", db.url)), &["up"], &env);
    assert_ne!(r.code, 0);
    assert_eq!(db.to_regclass("public.schema_migrations"), None);
    // prefer falls back to plain text, as libpq does.
    let (r, _) = status(&format!("{}?sslmode=prefer", db.url), &[], &env);
    r.assert_code(0);
}

/// A client certificate for user `cn`, signed by the CA that `make_certs` wrote into `dir`.
fn make_client_cert(dir: &Path, cn: &str) -> (PathBuf, PathBuf) {
    let subj = format!("/CN={cn}");
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "client.key",
            "-out",
            "client.csr",
            "-subj",
            &subj,
        ],
    );
    std::fs::write(
        dir.join("client.ext"),
        "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "client.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "client.crt",
            "-days",
            "2",
            "-extfile",
            "client.ext",
        ],
    );
    (dir.join("client.crt"), dir.join("client.key"))
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn client_certificates_sslpassword_and_channel_binding() {
    let c = Dedicated::new("clientcert", 40);
    let admin = c.start();
    let certs = tempfile::tempdir().unwrap();
    let (ca, _, crt, key) = make_certs(certs.path());
    let (client_crt, client_key) = make_client_cert(certs.path(), "postgres");
    chmod(&client_key, 0o600);
    let crt = c.write("server.crt", &std::fs::read_to_string(crt).unwrap(), 0o644);
    let key = c.write("server.key", &std::fs::read_to_string(key).unwrap(), 0o600);
    let ca_file = c.write("ca.crt", &std::fs::read_to_string(&ca).unwrap(), 0o644);
    for (k, v) in [
        ("ssl_cert_file", &crt),
        ("ssl_key_file", &key),
        ("ssl_ca_file", &ca_file),
    ] {
        exec_url(&admin, &format!("ALTER SYSTEM SET {k} = '{}'", v.display()));
    }
    exec_url(&admin, "ALTER SYSTEM SET ssl = on");
    exec_url(&admin, &format!("SET password_encryption = 'scram-sha-256'; CREATE ROLE scram LOGIN SUPERUSER PASSWORD '{RIGHT}'"));
    // postgres must show a certificate naming it; scram logs in with a password over TLS only.
    c.write(
        "pg_hba.conf",
        "local all all trust\nhostssl all postgres 127.0.0.1/32 trust clientcert=verify-full\nhostssl all scram 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 reject\n",
        0o600,
    );
    exec_url(&admin, "SELECT pg_reload_conf()");
    wait_for(
        Duration::from_secs(10),
        "TLS and pg_hba.conf to be reloaded",
        || {
            postgres::Client::connect(&c.url("postgres", "postgres"), postgres::NoTls)
                .is_err()
                .then_some(())
        },
    );
    let home = tempfile::tempdir().unwrap();
    let h = home.path().to_str().unwrap();
    let url = |query: &str| {
        format!(
            "postgres://postgres@127.0.0.1:{}/postgres?sslmode=require&{query}",
            c.port
        )
    };
    let (cc, ck) = (client_crt.to_str().unwrap(), client_key.to_str().unwrap());

    // No certificate: the server refuses, and the fix is named.
    let (r, _) = status(&url(""), &[], &[("HOME", h)]);
    r.assert_code(1)
        .assert_stderr("Hint: the server wants a client certificate");
    // sslcert/sslkey in the URL, PGSSLCERT/PGSSLKEY, and libpq's defaults in ~/.postgresql.
    status(
        &url(&format!("sslcert={cc}&sslkey={ck}")),
        &[],
        &[("HOME", h)],
    )
    .0
    .assert_code(0);
    status(
        &url(""),
        &[],
        &[("HOME", h), ("PGSSLCERT", cc), ("PGSSLKEY", ck)],
    )
    .0
    .assert_code(0);
    let pg_dir = home.path().join(".postgresql");
    std::fs::create_dir(&pg_dir).unwrap();
    std::fs::copy(&client_crt, pg_dir.join("postgresql.crt")).unwrap();
    std::fs::copy(&client_key, pg_dir.join("postgresql.key")).unwrap();
    chmod(&pg_dir.join("postgresql.key"), 0o600);
    status(&url(""), &[], &[("HOME", h)]).0.assert_code(0);
    // sslcertmode=disable does not send it.
    assert_ne!(
        status(&url("sslcertmode=disable"), &[], &[("HOME", h)])
            .0
            .code,
        0
    );

    // A key others can read is refused, as libpq refuses it; a named certificate must exist.
    chmod(&pg_dir.join("postgresql.key"), 0o644);
    status(&url(""), &[], &[("HOME", h)])
        .0
        .assert_code(1)
        .assert_stderr("has group or world access; file must have permissions u=rw (0600) or less");
    chmod(&pg_dir.join("postgresql.key"), 0o600);
    status(&url("sslcert=/nonexistent/client.crt"), &[], &[("HOME", h)])
        .0
        .assert_code(1)
        .assert_stderr("sslcert /nonexistent/client.crt does not exist");

    // An encrypted key with sslpassword; without it or with a wrong one, a clear refusal.
    openssl(
        certs.path(),
        &[
            "pkcs8",
            "-topk8",
            "-v2",
            "aes-256-cbc",
            "-in",
            "client.key",
            "-out",
            "enc.key",
            "-passout",
            "pass:key-Pass-1",
        ],
    );
    let enc = certs.path().join("enc.key");
    chmod(&enc, 0o600);
    let ek = enc.to_str().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let e = [("HOME", empty.path().to_str().unwrap())];
    status(
        &url(&format!("sslcert={cc}&sslkey={ek}&sslpassword=key-Pass-1")),
        &[],
        &e,
    )
    .0
    .assert_code(0);
    status(&url(&format!("sslcert={cc}&sslkey={ek}")), &[], &e)
        .0
        .assert_code(1)
        .assert_stderr("is encrypted; give its passphrase with sslpassword=");
    let (r, _) = status(
        &url(&format!("sslcert={cc}&sslkey={ek}&sslpassword=nope")),
        &[],
        &e,
    );
    r.assert_code(1)
        .assert_stderr("cannot decrypt private key file");

    // channel_binding=require: SCRAM-SHA-256-PLUS over TLS works; without SCRAM it cannot.
    let scram = format!(
        "postgres://scram:{RIGHT}@127.0.0.1:{}/postgres?sslmode=require&channel_binding=require",
        c.port
    );
    let (r, _) = status(&scram, &[], &e);
    r.assert_code(0);
    assert_no_secret(&r);
    let (r, _) = status(
        &url(&format!("sslcert={cc}&sslkey={ck}&channel_binding=require")),
        &[],
        &e,
    );
    r.assert_code(1)
        .assert_stderr("Hint: channel_binding=require needs SCRAM-SHA-256");
    status(
        &format!(
            "postgres://scram@127.0.0.1:{}/postgres?sslmode=disable&channel_binding=require",
            c.port
        ),
        &[],
        &e,
    )
    .0
    .assert_code(1)
    .assert_stderr("needs TLS, but sslmode is disable");
}
