//! Resolving where and how to connect, in libpq's order: the connection string first, then the
//! service it names (`service=` or `PGSERVICE`), then the `PG*` variables, then the defaults; then the
//! password file for every host still without a password. Reads the environment only through the
//! function it is given, and files only where libpq would.

use super::params::{self, Params, KEYWORDS};
use super::{pgpass, service};
use anyhow::{anyhow, bail, Result};
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

/// libpq's sslmode values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// libpq's `target_session_attrs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionAttrs {
    Any,
    ReadWrite,
    ReadOnly,
    Primary,
    Standby,
    PreferStandby,
}

/// One entry of the host list.
#[derive(Debug, Clone, PartialEq)]
pub enum Host {
    Tcp(String),
    /// A socket directory; TLS is never tried on it (libpq ignores sslmode there).
    Unix(PathBuf),
}

// No Debug on the three below: they hold passwords.
#[derive(Clone)]
pub struct Endpoint {
    pub host: Host,
    /// `hostaddr`: the address to dial instead of resolving the host name.
    pub hostaddr: Option<IpAddr>,
    pub port: u16,
    /// The password for this host, and the password file it came from, if it came from one.
    pub password: Option<(String, Option<PathBuf>)>,
}

impl Endpoint {
    pub fn name(&self) -> String {
        match (&self.host, self.hostaddr) {
            (Host::Tcp(h), _) if !h.is_empty() => h.clone(),
            (_, Some(a)) => a.to_string(),
            (Host::Unix(p), None) => p.display().to_string(),
            (Host::Tcp(h), None) => h.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Tls {
    pub mode: SslMode,
    pub rootcert: Option<String>,
    /// The client certificate and key; `explicit` when named rather than libpq's default path.
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    pub cert_explicit: bool,
    pub password: Option<String>,
    pub sni: bool,
    pub min_tls13: bool,
    pub max_tls12: bool,
}

/// Where and how to connect, resolved from flags, the connection string, the service file and the
/// environment.
#[derive(Clone)]
pub struct Target {
    pub endpoints: Vec<Endpoint>,
    pub user: String,
    pub dbname: String,
    pub options: Option<String>,
    pub application_name: String,
    pub tls: Tls,
    pub channel_binding: tokio_postgres::config::ChannelBinding,
    pub session_attrs: SessionAttrs,
    pub load_balance: bool,
    /// How long to keep retrying: the smaller of `--connect-timeout` and `connect_timeout`.
    pub connect_timeout: Duration,
    /// `keepalives=0` turns them off; otherwise idle, interval, count.
    pub keepalives: Option<(Duration, Duration, u32)>,
    pub tcp_user_timeout: Option<Duration>,
}

impl Target {
    /// `user@host:port[,host:port...]/db`, never the password.
    pub fn describe(&self) -> String {
        let hosts: Vec<String> = self
            .endpoints
            .iter()
            .map(|e| format!("{}:{}", e.name(), e.port))
            .collect();
        format!("{}@{}/{}", self.user, hosts.join(","), self.dbname)
    }
}

/// The directory libpq's default Unix socket is in: Debian's, else the upstream default.
pub fn default_socket_dir() -> PathBuf {
    ["/var/run/postgresql", "/tmp"]
        .into_iter()
        .map(PathBuf::from)
        .find(|d| d.exists())
        .unwrap_or_else(|| PathBuf::from("/tmp"))
}

/// Every keyword's value and where it came from, in libpq's order of precedence.
struct Sources {
    values: Params,
    origin: std::collections::BTreeMap<String, String>,
}

impl Sources {
    fn get(&self, k: &str) -> Option<&str> {
        self.values.get(k).map(String::as_str)
    }
    fn origin(&self, k: &str) -> &str {
        self.origin
            .get(k)
            .map(String::as_str)
            .unwrap_or("the defaults")
    }
    fn add(&mut self, from: Params, origin: &str) {
        for (k, v) in from {
            if !self.values.contains_key(&k) {
                self.origin.insert(k.clone(), origin.to_string());
                self.values.insert(k, v);
            }
        }
    }
    /// A parse error that names the keyword, its value and where it came from.
    fn bad(&self, k: &str, why: &str) -> anyhow::Error {
        anyhow!(
            "invalid {k}={:?} (from {}): {why}",
            self.get(k).unwrap_or(""),
            self.origin(k)
        )
    }
}

fn gather(url: Option<&str>, env: &dyn Fn(&str) -> Option<String>) -> Result<Sources> {
    let conn = url.unwrap_or("");
    let mut s = Sources {
        values: Params::new(),
        origin: Default::default(),
    };
    let from = if params::is_url(conn) {
        "the connection URL"
    } else {
        "the connection string"
    };
    s.add(params::parse(conn)?, from);
    let service = match s.get("service") {
        Some(name) => Some(name.to_string()),
        None => env("PGSERVICE").filter(|v| !v.is_empty()),
    };
    if let Some(name) = service {
        let home = env("HOME").map(PathBuf::from);
        let user_file = s
            .get("servicefile")
            .map(PathBuf::from)
            .or_else(|| env("PGSERVICEFILE").map(PathBuf::from))
            .or_else(|| home.map(|h| h.join(".pg_service.conf")));
        let sysconf = env("PGSYSCONFDIR").unwrap_or_else(|| "/etc/postgresql-common".into());
        let files: Vec<PathBuf> = user_file
            .into_iter()
            .chain([PathBuf::from(sysconf).join("pg_service.conf")])
            .collect();
        let (found, file) = service::lookup(&name, &files)?;
        s.add(found, &format!("service {name:?} in {}", file.display()));
    }
    for k in KEYWORDS {
        let Some(var) = k.env else { continue };
        if s.values.contains_key(k.name) {
            continue;
        }
        if let Some(v) = env(var).filter(|v| !v.is_empty()) {
            params::check(k.name, &v, var)?;
            s.add(Params::from([(k.name.to_string(), v)]), var);
        }
    }
    Ok(s)
}

/// Resolves the connection target: the connection string (`--database-url` / `DATABASE_URL`), the
/// service file, libpq's `PG*` variables for whatever those leave out, then libpq's defaults.
pub fn resolve(
    url: Option<&str>,
    connect_timeout: Duration,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Target> {
    let s = gather(url, env)?;
    let user = s
        .get("user")
        .map(str::to_string)
        .or_else(|| env("USER"))
        .or_else(|| env("LOGNAME"))
        .unwrap_or_else(|| "postgres".into());
    let dbname = s.get("dbname").unwrap_or(&user).to_string();
    let mut endpoints = endpoints(&s)?;
    passwords(&s, &mut endpoints, &user, &dbname, env);
    let mut options: Vec<String> = s.get("options").map(str::to_string).into_iter().collect();
    // libpq sends these three variables as session settings.
    for (var, guc) in [
        ("PGDATESTYLE", "datestyle"),
        ("PGTZ", "timezone"),
        ("PGGEQO", "geqo"),
    ] {
        if let Some(v) = env(var).filter(|v| !v.is_empty()) {
            options.push(format!("-c {guc}={}", v.replace(' ', "\\ ")));
        }
    }
    let tls = tls(&s, env)?;
    let channel_binding = match s.get("channel_binding").unwrap_or("prefer") {
        "disable" => tokio_postgres::config::ChannelBinding::Disable,
        "prefer" => tokio_postgres::config::ChannelBinding::Prefer,
        "require" if tls.mode == SslMode::Disable => {
            bail!("channel_binding=require (from {}) needs TLS, but sslmode is disable; set sslmode=require or stronger", s.origin("channel_binding"))
        }
        "require" => tokio_postgres::config::ChannelBinding::Require,
        _ => return Err(s.bad("channel_binding", "use disable, prefer or require")),
    };
    let session_attrs = match s.get("target_session_attrs").unwrap_or("any") {
        "any" => SessionAttrs::Any,
        "read-write" => SessionAttrs::ReadWrite,
        "read-only" => SessionAttrs::ReadOnly,
        "primary" => SessionAttrs::Primary,
        "standby" => SessionAttrs::Standby,
        "prefer-standby" => SessionAttrs::PreferStandby,
        _ => {
            return Err(s.bad(
                "target_session_attrs",
                "use any, read-write, read-only, primary, standby or prefer-standby",
            ))
        }
    };
    let load_balance = match s.get("load_balance_hosts").unwrap_or("disable") {
        "disable" => false,
        "random" => true,
        _ => return Err(s.bad("load_balance_hosts", "use disable or random")),
    };
    let seconds = |k: &str| -> Result<Option<i64>> {
        s.get(k)
            .map(|v| {
                v.trim()
                    .parse::<i64>()
                    .map_err(|_| s.bad(k, "not a whole number"))
            })
            .transpose()
    };
    // libpq: zero or negative waits indefinitely, and less than 2 seconds counts as 2.
    let connect_timeout = match seconds("connect_timeout")? {
        Some(t) if t > 0 => connect_timeout.min(Duration::from_secs(t.max(2) as u64)),
        _ => connect_timeout,
    };
    let keepalives = match s.get("keepalives") {
        Some("0") => None,
        None | Some("1") => Some((
            Duration::from_secs(seconds("keepalives_idle")?.unwrap_or(5).max(1) as u64),
            Duration::from_secs(seconds("keepalives_interval")?.unwrap_or(2).max(1) as u64),
            seconds("keepalives_count")?.unwrap_or(3).clamp(1, 255) as u32,
        )),
        Some(_) => return Err(s.bad("keepalives", "use 1 or 0")),
    };
    let tcp_user_timeout = seconds("tcp_user_timeout")?
        .filter(|ms| *ms > 0)
        .map(|ms| Duration::from_millis(ms as u64));
    Ok(Target {
        endpoints,
        user,
        dbname,
        options: (!options.is_empty()).then(|| options.join(" ")),
        application_name: s
            .get("application_name")
            .or(s.get("fallback_application_name"))
            .unwrap_or("en-migrate")
            .to_string(),
        tls,
        channel_binding,
        session_attrs,
        load_balance,
        connect_timeout,
        keepalives,
        tcp_user_timeout,
    })
}

/// The password of every host: `password`/`PGPASSWORD` for all, else the password file's line for it.
fn passwords(
    s: &Sources,
    endpoints: &mut [Endpoint],
    user: &str,
    dbname: &str,
    env: &dyn Fn(&str) -> Option<String>,
) {
    let passfile = s
        .get("passfile")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".pgpass")));
    let default_dir = default_socket_dir();
    for e in endpoints.iter_mut() {
        // libpq: an empty password is no password, and the file is read.
        if let Some(p) = s.get("password").filter(|p| !p.is_empty()) {
            e.password = Some((p.to_string(), None));
            continue;
        }
        let Some(file) = &passfile else { continue };
        // libpq: `localhost` in the file stands for the default socket directory too.
        let host = match &e.host {
            Host::Unix(d) if *d == default_dir => "localhost".to_string(),
            _ => e.name(),
        };
        let want = pgpass::Want {
            host: &host,
            port: e.port,
            dbname,
            user,
        };
        e.password = pgpass::lookup(file, &want).map(|p| (p, Some(file.clone())));
    }
}

/// The host list: `host` and `hostaddr` entries pair up, and `port` gives one port for all or one each.
fn endpoints(s: &Sources) -> Result<Vec<Endpoint>> {
    let list = |k: &str| -> Vec<String> {
        s.get(k)
            .map(|v| v.split(',').map(|p| p.trim().to_string()).collect())
            .unwrap_or_default()
    };
    let (hosts, addrs, ports) = (list("host"), list("hostaddr"), list("port"));
    if !hosts.is_empty() && !addrs.is_empty() && hosts.len() != addrs.len() {
        bail!(
            "could not match {} host names to {} hostaddr values (host from {}, hostaddr from {})",
            hosts.len(),
            addrs.len(),
            s.origin("host"),
            s.origin("hostaddr")
        );
    }
    let n = hosts.len().max(addrs.len()).max(1);
    if ports.len() > 1 && ports.len() != n {
        bail!(
            "could not match {} port numbers to {n} hosts (port from {})",
            ports.len(),
            s.origin("port")
        );
    }
    (0..n)
        .map(|i| {
            let host = hosts.get(i).map(String::as_str).unwrap_or("");
            let hostaddr = match addrs.get(i).map(String::as_str).unwrap_or("") {
                "" => None,
                a => Some(a.parse::<IpAddr>().map_err(|_| {
                    s.bad("hostaddr", &format!("{a:?} is not a numeric IP address"))
                })?),
            };
            let port = match ports
                .get(i)
                .or(ports.first())
                .map(String::as_str)
                .unwrap_or("")
            {
                "" => 5432,
                p => p
                    .parse::<u16>()
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or_else(|| s.bad("port", &format!("{p:?} is not a port number")))?,
            };
            let host = if host.starts_with('/') || host.starts_with('@') {
                Host::Unix(PathBuf::from(host))
            } else if host.is_empty() && hostaddr.is_none() {
                Host::Unix(default_socket_dir())
            } else {
                Host::Tcp(host.to_string())
            };
            Ok(Endpoint {
                host,
                hostaddr,
                port,
                password: None,
            })
        })
        .collect()
}

fn tls(s: &Sources, env: &dyn Fn(&str) -> Option<String>) -> Result<Tls> {
    let mode = match (s.get("sslmode"), s.get("requiressl")) {
        (Some(m), _) => match m {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => {
                return Err(s.bad(
                    "sslmode",
                    "use disable, allow, prefer, require, verify-ca or verify-full",
                ))
            }
        },
        (None, Some("1")) => SslMode::Require,
        (None, _) => SslMode::Prefer,
    };
    let pg_dir = env("HOME").map(|h| PathBuf::from(h).join(".postgresql"));
    let cert_explicit = s.get("sslcert").is_some();
    let cert = match s.get("sslcertmode") {
        Some("disable") => None,
        _ => s
            .get("sslcert")
            .map(PathBuf::from)
            .or_else(|| pg_dir.as_ref().map(|d| d.join("postgresql.crt"))),
    };
    let key = s
        .get("sslkey")
        .map(PathBuf::from)
        .or_else(|| pg_dir.as_ref().map(|d| d.join("postgresql.key")));
    let version = |k: &str| -> Result<Option<u8>> {
        match s.get(k) {
            None | Some("") => Ok(None),
            Some("TLSv1") => Ok(Some(0)),
            Some("TLSv1.1") => Ok(Some(1)),
            Some("TLSv1.2") => Ok(Some(2)),
            Some("TLSv1.3") => Ok(Some(3)),
            Some(_) => Err(s.bad(k, "use TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3")),
        }
    };
    let (min, max) = (
        version("ssl_min_protocol_version")?,
        version("ssl_max_protocol_version")?,
    );
    if max.is_some_and(|m| m < 2) {
        return Err(s.bad(
            "ssl_max_protocol_version",
            "rustls speaks TLSv1.2 and TLSv1.3 only",
        ));
    }
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            bail!("ssl_min_protocol_version is above ssl_max_protocol_version; no TLS version is left");
        }
    }
    let sni = match s.get("sslsni").unwrap_or("1") {
        "1" => true,
        "0" => false,
        _ => return Err(s.bad("sslsni", "use 1 or 0")),
    };
    Ok(Tls {
        mode,
        // libpq's default root certificate, used (and, for `require`, verified against) when it exists.
        rootcert: s.get("sslrootcert").map(str::to_string).or_else(|| {
            let p = pg_dir.as_ref()?.join("root.crt");
            p.exists().then(|| p.display().to_string())
        }),
        cert,
        key,
        cert_explicit,
        password: s.get("sslpassword").map(str::to_string),
        sni,
        min_tls13: min == Some(3),
        max_tls12: max == Some(2),
    })
}

#[cfg(test)]
mod tests;
