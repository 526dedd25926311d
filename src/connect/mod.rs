//! Connecting: libpq's URL and key=value forms and PG* environment variables, TLS over rustls with
//! libpq's sslmode semantics, bounded retries of transient failures, and TCP keepalives.
//!
//! Owns the only socket en-migrate opens. It connects the socket itself (rather than letting
//! tokio-postgres do it) so that it knows its own address: comparing it with the address the server
//! sees tells a direct session from one behind a proxy or pooler. Never logs a password.

mod tls;

use anyhow::{anyhow, bail, Context, Result};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_postgres::config::{Host, SslMode as PgSslMode};
use tokio_postgres::{Client, Config};

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

impl SslMode {
    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => bail!("unknown sslmode {other:?}; use disable, allow, prefer, require, verify-ca or verify-full"),
        })
    }
}

/// Where and how to connect, resolved from flags, the URL and the environment.
#[derive(Clone)]
pub struct Target {
    pub config: Config,
    pub sslmode: SslMode,
    pub sslrootcert: Option<String>,
    pub connect_timeout: Duration,
}

impl Target {
    /// `user@host:port/db`, never the password.
    pub fn describe(&self) -> String {
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(p)) => p.display().to_string(),
            None => "?".into(),
        };
        format!(
            "{}@{}:{}/{}",
            self.config.get_user().unwrap_or("?"),
            host,
            self.config.get_ports().first().copied().unwrap_or(5432),
            self.config.get_dbname().unwrap_or("?")
        )
    }
}

/// Removes the TLS parameters tokio-postgres does not understand (verify-ca, verify-full, sslrootcert)
/// from a URL or key=value string, returning them separately.
fn take_ssl_params(conn: &str) -> (String, Option<String>, Option<String>) {
    let mut mode = None;
    let mut root = None;
    if conn.starts_with("postgres://") || conn.starts_with("postgresql://") {
        let Some((head, query)) = conn.split_once('?') else {
            return (conn.to_string(), None, None);
        };
        let mut keep = Vec::new();
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("sslmode", v)) => mode = Some(v.to_string()),
                Some(("sslrootcert", v)) => root = Some(percent_decode(v)),
                _ => keep.push(pair),
            }
        }
        let rebuilt = if keep.is_empty() {
            head.to_string()
        } else {
            format!("{head}?{}", keep.join("&"))
        };
        (rebuilt, mode, root)
    } else {
        // key=value form; values may be single-quoted.
        let mut out = String::new();
        let chars: Vec<char> = conn.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let start = i;
            let mut in_quote = false;
            while i < chars.len() && (in_quote || !chars[i].is_whitespace()) {
                if chars[i] == '\\' {
                    i += 1;
                } else if chars[i] == '\'' {
                    in_quote = !in_quote;
                }
                i += 1;
            }
            let token: String = chars[start..i.min(chars.len())].iter().collect();
            if let Some(v) = token.strip_prefix("sslmode=") {
                mode = Some(v.trim_matches('\'').to_string());
            } else if let Some(v) = token.strip_prefix("sslrootcert=") {
                root = Some(v.trim_matches('\'').to_string());
            } else if !token.is_empty() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&token);
            }
        }
        (out, mode, root)
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves the connection target: `--database-url` / `DATABASE_URL` first, then libpq's PG* variables
/// for whatever the URL leaves out, then libpq's defaults.
pub fn resolve(
    url: Option<&str>,
    connect_timeout: Duration,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Target> {
    let (rest, url_mode, url_root) = take_ssl_params(url.unwrap_or(""));
    let mut config: Config = if rest.trim().is_empty() {
        Config::new()
    } else {
        rest.parse().map_err(|e| anyhow!("{e}")).context(
            "cannot read the database URL; use postgres://user:password@host:port/database or host=... dbname=...",
        )?
    };
    if config.get_hosts().is_empty() {
        match env("PGHOST") {
            Some(h) => {
                for part in h.split(',') {
                    config.host(part);
                }
            }
            None => {
                let dir = ["/var/run/postgresql", "/tmp"]
                    .into_iter()
                    .find(|d| std::path::Path::new(d).exists())
                    .unwrap_or("/tmp");
                config.host_path(dir);
            }
        }
    }
    if config.get_ports().is_empty() {
        let port = env("PGPORT")
            .map(|p| {
                p.parse::<u16>()
                    .with_context(|| format!("PGPORT={p:?} is not a port number"))
            })
            .transpose()?;
        config.port(port.unwrap_or(5432));
    }
    if config.get_user().is_none() {
        let user = env("PGUSER")
            .or_else(|| env("USER"))
            .or_else(|| env("LOGNAME"))
            .unwrap_or_else(|| "postgres".into());
        config.user(&user);
    }
    if config.get_password().is_none() {
        if let Some(p) = env("PGPASSWORD") {
            config.password(p);
        }
    }
    if config.get_dbname().is_none() {
        let db = env("PGDATABASE")
            .unwrap_or_else(|| config.get_user().unwrap_or("postgres").to_string());
        config.dbname(&db);
    }
    if config.get_application_name().is_none() {
        config.application_name("en-migrate");
    }
    let mode = url_mode
        .or_else(|| env("PGSSLMODE"))
        .unwrap_or_else(|| "prefer".into());
    let sslmode = SslMode::parse(&mode)?;
    let sslrootcert = url_root.or_else(|| env("PGSSLROOTCERT"));
    config.ssl_mode(match sslmode {
        SslMode::Disable => PgSslMode::Disable,
        SslMode::Allow | SslMode::Prefer => PgSslMode::Prefer,
        _ => PgSslMode::Require,
    });
    // Detect a dead peer within seconds rather than hours (a killed pod, a dropped NAT entry).
    config.keepalives(true);
    config.keepalives_idle(Duration::from_secs(5));
    config.keepalives_interval(Duration::from_secs(2));
    config.keepalives_retries(3);
    Ok(Target {
        config,
        sslmode,
        sslrootcert,
        connect_timeout,
    })
}

/// A connected session.
pub struct Conn {
    pub client: Client,
    /// Our end of the TCP socket; `None` over a Unix socket.
    pub local: Option<SocketAddr>,
    pub unix: bool,
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// Connects, retrying transient failures (refused, reset, the server starting up) with back-off until
/// `connect_timeout`; permanent ones (bad password, unknown database) fail at once.
pub async fn connect(target: &Target) -> Result<Conn> {
    // Built once, before any attempt: a missing or bad sslrootcert is the operator's to fix, and reading
    // a missing file fails with NotFound, which the retry rule below would take for a socket not there yet.
    let tls = match target.sslmode {
        SslMode::Disable => None,
        _ => Some(
            tls::tls_config(target)
                .with_context(|| format!("cannot connect to {}", target.describe()))?,
        ),
    };
    let deadline = Instant::now() + target.connect_timeout;
    let mut delay = Duration::from_millis(50);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let attempt = tokio::time::timeout(
            left.max(Duration::from_millis(1)),
            connect_once(target, tls.as_ref()),
        )
        .await;
        let err = match attempt {
            Ok(Ok(conn)) => return Ok(conn),
            Ok(Err(e)) => e,
            Err(_) => anyhow!("timed out after {:?}", target.connect_timeout),
        };
        let transient = is_transient(&err);
        if !transient || Instant::now() + delay >= deadline {
            let hint = if transient {
                "Hint: is the server running and accepting connections there? Raise --connect-timeout if it is still starting"
            } else {
                permanent_hint(&err)
            };
            return Err(err.context(format!("cannot connect to {}\n{hint}", target.describe())));
        }
        tracing::debug!("connect attempt failed ({err:#}); retrying in {delay:?}");
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(1));
    }
}

/// The hint for a failure that retrying cannot fix, by what failed: the name, TLS, or the login.
fn permanent_hint(err: &anyhow::Error) -> &'static str {
    let text = format!("{err:#}");
    if text.contains("lookup address")
        || text.contains("Name or service not known")
        || text.contains("nodename nor servname")
    {
        "Hint: the host name does not resolve; check the host in DATABASE_URL or PGHOST"
    } else if text.contains("TLS") || text.contains("certificate") {
        "Hint: the TLS handshake failed; check sslmode and sslrootcert: the server must offer TLS, its certificate must chain to sslrootcert, and for verify-full name the host connected to"
    } else {
        "Hint: check the user, password and database name in DATABASE_URL or the PG* variables"
    }
}

/// Network failures worth another try: the server is not up yet, or the connection dropped.
fn io_transient(io: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        io.kind(),
        ConnectionRefused
            | ConnectionReset
            | ConnectionAborted
            | NotFound
            | TimedOut
            | UnexpectedEof
            | BrokenPipe
    )
}

fn is_transient(err: &anyhow::Error) -> bool {
    for cause in err.chain() {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return io_transient(io);
        }
        if let Some(pg) = cause.downcast_ref::<tokio_postgres::Error>() {
            if let Some(db) = pg.as_db_error() {
                // cannot_connect_now: the server is starting up or shutting down; too_many_connections.
                return matches!(db.code().code(), "57P03" | "53300");
            }
            if pg.is_closed() {
                return true;
            }
            if let Some(io) =
                std::error::Error::source(pg).and_then(|src| src.downcast_ref::<std::io::Error>())
            {
                return io_transient(io);
            }
        }
        if cause.to_string().starts_with("timed out") {
            return true;
        }
    }
    false
}

async fn connect_once(target: &Target, tls: Option<&rustls::ClientConfig>) -> Result<Conn> {
    let hosts = target.config.get_hosts();
    let ports = target.config.get_ports();
    let mut last = None;
    for (i, host) in hosts.iter().enumerate() {
        let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
        let res: Result<(Box<dyn Io>, Option<SocketAddr>, String)> = match host {
            Host::Tcp(name) => match tokio::net::TcpStream::connect((name.as_str(), port)).await {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    let sock = socket2::SockRef::from(&s);
                    let ka = socket2::TcpKeepalive::new()
                        .with_time(Duration::from_secs(5))
                        .with_interval(Duration::from_secs(2))
                        .with_retries(3);
                    let _ = sock.set_tcp_keepalive(&ka);
                    let local = s.local_addr().ok();
                    Ok((Box::new(s), local, name.clone()))
                }
                Err(e) => Err(anyhow::Error::new(e).context(format!("{name}:{port}"))),
            },
            Host::Unix(dir) => {
                let path: PathBuf = dir.join(format!(".s.PGSQL.{port}"));
                match tokio::net::UnixStream::connect(&path).await {
                    Ok(s) => Ok((Box::new(s), None, "localhost".into())),
                    Err(e) => Err(anyhow::Error::new(e).context(path.display().to_string())),
                }
            }
        };
        match res {
            Ok((stream, local, sni)) => {
                let client = handshake(target, tls, stream, &sni).await?;
                return Ok(Conn {
                    client,
                    local,
                    unix: matches!(host, Host::Unix(_)),
                });
            }
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| anyhow!("no host to connect to")))
}

async fn handshake(
    target: &Target,
    tls: Option<&rustls::ClientConfig>,
    stream: Box<dyn Io>,
    host: &str,
) -> Result<Client> {
    use tokio_postgres::tls::MakeTlsConnect;
    let Some(tls) = tls else {
        let (client, conn) = target
            .config
            .connect_raw(stream, tokio_postgres::NoTls)
            .await?;
        spawn_connection(conn);
        return Ok(client);
    };
    let mut make = tokio_postgres_rustls::MakeRustlsConnect::new(tls.clone());
    let tls = <tokio_postgres_rustls::MakeRustlsConnect as MakeTlsConnect<Box<dyn Io>>>::make_tls_connect(&mut make, host)
        .map_err(|e| anyhow!("{host} is not a valid TLS server name: {e}"))?;
    let (client, conn) = target.config.connect_raw(stream, tls).await?;
    spawn_connection(conn);
    Ok(client)
}

fn spawn_connection<F>(conn: F)
where
    F: std::future::Future<Output = Result<(), tokio_postgres::Error>> + Send + 'static,
{
    tokio::spawn(async move {
        if let Err(e) = conn.await {
            tracing::debug!("connection closed: {e}");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn ssl_params_are_taken_from_urls_and_key_values() {
        let (rest, mode, root) = take_ssl_params("postgres://u:p@h/db?sslmode=verify-full&sslrootcert=%2Ftmp%2Fca.pem&application_name=x");
        assert_eq!(rest, "postgres://u:p@h/db?application_name=x");
        assert_eq!(mode.as_deref(), Some("verify-full"));
        assert_eq!(root.as_deref(), Some("/tmp/ca.pem"));
        let (rest, mode, _) = take_ssl_params("host=h password='a b' sslmode=verify-ca dbname=d");
        assert_eq!(rest, "host=h password='a b' dbname=d");
        assert_eq!(mode.as_deref(), Some("verify-ca"));
    }

    #[test]
    fn env_fills_what_the_url_leaves_out() {
        let env = |k: &str| match k {
            "PGHOST" => Some("db.internal".to_string()),
            "PGPORT" => Some("6432".to_string()),
            "PGUSER" => Some("ci".to_string()),
            "PGDATABASE" => Some("ragdb".to_string()),
            "PGSSLMODE" => Some("require".to_string()),
            _ => None,
        };
        let t = resolve(None, Duration::from_secs(1), &env).unwrap();
        assert_eq!(t.describe(), "ci@db.internal:6432/ragdb");
        assert_eq!(t.sslmode, SslMode::Require);
        let t = resolve(
            Some("postgres://app:secret@h:5555/x"),
            Duration::from_secs(1),
            &env,
        )
        .unwrap();
        assert_eq!(t.describe(), "app@h:5555/x");
        assert!(!t.describe().contains("secret"));
        assert!(resolve(
            Some("postgres://h/x?sslmode=bogus"),
            Duration::from_secs(1),
            &no_env
        )
        .is_err());
    }
}
