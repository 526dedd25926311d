use super::*;
use std::collections::HashMap;

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k: &str| map.get(k).cloned()
}

fn t(url: &str, env: &[(&str, &str)]) -> Target {
    resolve(Some(url), Duration::from_secs(10), &env_of(env)).unwrap()
}

fn err(url: &str, env: &[(&str, &str)]) -> String {
    match resolve(Some(url), Duration::from_secs(10), &env_of(env)) {
        Ok(_) => panic!("{url} resolved"),
        Err(e) => format!("{e:#}"),
    }
}

#[test]
fn env_fills_what_the_url_leaves_out() {
    let env = [
        ("PGHOST", "db.internal"),
        ("PGPORT", "6432"),
        ("PGUSER", "ci"),
        ("PGDATABASE", "ragdb"),
        ("PGSSLMODE", "require"),
    ];
    let x = t("", &env);
    assert_eq!(x.describe(), "ci@db.internal:6432/ragdb");
    assert_eq!(x.tls.mode, SslMode::Require);
    let x = t("postgres://app:secret@h:5555/x", &env);
    assert_eq!(x.describe(), "app@h:5555/x");
    assert!(!x.describe().contains("secret"));
    // PGPORT fills a URL that names a host but no port.
    assert_eq!(t("postgres://u@h/x", &env).describe(), "u@h:6432/x");
    assert_eq!(t("postgres://u@h/x", &[]).describe(), "u@h:5432/x");
}

#[test]
fn libpq_variables_and_defaults() {
    let x = t(
        "postgres://u@h/d",
        &[
            ("PGAPPNAME", "job-7"),
            ("PGOPTIONS", "-c work_mem=64MB"),
            ("PGTZ", "UTC"),
        ],
    );
    assert_eq!(x.application_name, "job-7");
    assert_eq!(
        x.options.as_deref(),
        Some("-c work_mem=64MB -c timezone=UTC")
    );
    let x = t("postgres://u@h/d", &[]);
    assert_eq!(x.application_name, "en-migrate");
    assert_eq!(x.session_attrs, SessionAttrs::Any);
    assert_eq!(
        t("postgres://u@h/d?fallback_application_name=f", &[]).application_name,
        "f"
    );
    assert_eq!(
        t("postgres://u@h/d?application_name=a", &[("PGAPPNAME", "b")]).application_name,
        "a"
    );
    assert_eq!(
        t("postgres://u@h/d", &[("PGTARGETSESSIONATTRS", "primary")]).session_attrs,
        SessionAttrs::Primary
    );
    assert_eq!(
        t("host=h target_session_attrs=prefer-standby", &[]).session_attrs,
        SessionAttrs::PreferStandby
    );
    assert!(t("postgres://h/d?load_balance_hosts=random", &[]).load_balance);
    assert_eq!(
        t("postgres://h/d?requiressl=1", &[]).tls.mode,
        SslMode::Require
    );
    assert_eq!(t("postgres://h/d?keepalives=0", &[]).keepalives, None);
    assert_eq!(
        t("postgres://h/d?tcp_user_timeout=1500", &[]).tcp_user_timeout,
        Some(Duration::from_millis(1500))
    );
}

#[test]
fn the_smaller_connect_timeout_wins() {
    assert_eq!(
        t("postgres://h/d?connect_timeout=3", &[]).connect_timeout,
        Duration::from_secs(3)
    );
    assert_eq!(
        t("postgres://h/d?connect_timeout=60", &[]).connect_timeout,
        Duration::from_secs(10)
    );
    assert_eq!(
        t("postgres://h/d", &[("PGCONNECT_TIMEOUT", "4")]).connect_timeout,
        Duration::from_secs(4)
    );
    // libpq: zero waits indefinitely (so --connect-timeout bounds it), one counts as two.
    assert_eq!(
        t("postgres://h/d?connect_timeout=0", &[]).connect_timeout,
        Duration::from_secs(10)
    );
    assert_eq!(
        t("postgres://h/d?connect_timeout=1", &[]).connect_timeout,
        Duration::from_secs(2)
    );
    assert!(err("postgres://h/d?connect_timeout=soon", &[]).contains(
        "invalid connect_timeout=\"soon\" (from the connection URL): not a whole number"
    ));
}

#[test]
fn host_lists_pair_with_ports_and_sockets_are_told_apart() {
    let x = t("postgres://u@a:1,b:2,c/d", &[]);
    let ports: Vec<u16> = x.endpoints.iter().map(|e| e.port).collect();
    assert_eq!(ports, [1, 2, 5432]);
    let x = t("host=a,b,/run/pg port=7000", &[]);
    assert_eq!(
        x.endpoints.iter().map(|e| e.port).collect::<Vec<_>>(),
        [7000, 7000, 7000]
    );
    assert_eq!(x.endpoints[2].host, Host::Unix(PathBuf::from("/run/pg")));
    assert_eq!(
        t("dbname=d", &[]).endpoints[0].host,
        Host::Unix(default_socket_dir())
    );
    let x = t("host=db hostaddr=10.0.0.5", &[]);
    assert_eq!(x.endpoints[0].hostaddr, Some("10.0.0.5".parse().unwrap()));
    assert_eq!(x.endpoints[0].name(), "db");
    assert!(err("host=a,b,c port=1,2", &[]).contains("could not match 2 port numbers to 3 hosts"));
    assert!(err("host=a,b hostaddr=1.2.3.4", &[])
        .contains("could not match 2 host names to 1 hostaddr values"));
    assert!(err("", &[("PGPORT", "x")]).contains("invalid port=\"x\" (from PGPORT)"));
    assert!(err("host=h hostaddr=db", &[]).contains("\"db\" is not a numeric IP address"));
}

#[test]
fn refused_parameters_name_themselves_wherever_they_come_from() {
    assert!(err("", &[("PGSSLCRL", "/x")]).contains("sslcrl in PGSSLCRL is not supported"));
    assert!(err("", &[("PGGSSENCMODE", "require")])
        .contains("gssencmode=require in PGGSSENCMODE is not supported"));
    assert!(t("", &[("PGGSSENCMODE", "prefer")]).endpoints.len() == 1);
    assert!(err(
        "postgres://h/d?channel_binding=require&sslmode=disable",
        &[]
    )
    .contains("needs TLS"));
    assert!(err("postgres://h/d?target_session_attrs=master", &[]).contains("use any, read-write"));
    assert!(err("postgres://h/d?sslmode=bogus", &[]).contains("invalid sslmode=\"bogus\""));
    assert!(err("postgres://h/d?ssl_max_protocol_version=TLSv1.1", &[])
        .contains("TLSv1.2 and TLSv1.3 only"));
}

#[test]
fn a_service_fills_in_under_the_connection_string_and_over_the_environment() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join(".pg_service.conf"),
        "[prod]\nhost=svc-host\nport=7777\ndbname=svcdb\n",
    )
    .unwrap();
    let sys = d.path().join("etc");
    std::fs::create_dir(&sys).unwrap();
    std::fs::write(sys.join("pg_service.conf"), "[sys]\nhost=sys-host\n").unwrap();
    let home = d.path().to_str().unwrap();
    let sysdir = sys.to_str().unwrap();
    let env = [
        ("HOME", home),
        ("PGSYSCONFDIR", sysdir),
        ("PGPORT", "1111"),
        ("PGUSER", "u"),
    ];
    assert_eq!(t("service=prod", &env).describe(), "u@svc-host:7777/svcdb");
    assert_eq!(
        t("postgres://other/x?service=prod", &env).describe(),
        "u@other:7777/x"
    );
    let with = [env.as_slice(), &[("PGSERVICE", "sys")]].concat();
    assert_eq!(t("", &with).describe(), "u@sys-host:1111/u");
    let file = d.path().join("custom.conf");
    std::fs::write(&file, "[prod]\nhost=custom\n").unwrap();
    let with = [env.as_slice(), &[("PGSERVICEFILE", file.to_str().unwrap())]].concat();
    assert_eq!(t("service=prod", &with).describe(), "u@custom:1111/u");
    assert!(err("service=nope", &env).contains("definition of service \"nope\" not found"));
}

#[test]
fn the_password_file_is_read_per_host() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join(".pgpass");
    std::fs::write(&f, "a:5432:d:u:pa\n*:*:*:u:any\nlocalhost:5432:*:*:sock\n").unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
    let home = d.path().to_str().unwrap();
    let x = t("postgres://u@a,b/d", &[("HOME", home)]);
    let pw: Vec<_> = x
        .endpoints
        .iter()
        .map(|e| e.password.clone().unwrap().0)
        .collect();
    assert_eq!(pw, ["pa", "any"]);
    // The default socket directory is `localhost` to the file.
    let x = t("user=other dbname=d", &[("HOME", home)]);
    assert_eq!(
        x.endpoints[0].password.as_ref().map(|p| p.0.as_str()),
        Some("sock")
    );
    // A password given outright wins over the file; PGPASSFILE moves it.
    let x = t("postgres://u:@a/d", &[("HOME", home)]);
    assert_eq!(
        x.endpoints[0].password.as_ref().map(|p| p.0.as_str()),
        Some("pa")
    );
    let x = t("postgres://u:given@a/d", &[("HOME", home)]);
    assert_eq!(x.endpoints[0].password, Some(("given".into(), None)));
    let x = t(
        "postgres://u@a/d",
        &[
            ("HOME", "/nonexistent"),
            ("PGPASSFILE", f.to_str().unwrap()),
        ],
    );
    assert_eq!(
        x.endpoints[0].password,
        Some(("pa".into(), Some(f.clone())))
    );
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(
        t("postgres://u@a/d", &[("HOME", home)]).endpoints[0].password,
        None
    );
}
