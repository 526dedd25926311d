//! One pass over the host list, as libpq makes it: dial each host in turn (shuffled first with
//! `load_balance_hosts=random`), log in, and keep the first session that is of the kind
//! `target_session_attrs` asks for, checked with `SHOW transaction_read_only` or
//! `pg_is_in_recovery()` as libpq does; `prefer-standby` makes a second pass that takes any host.
//! Never retries: that is the caller's, by what the failures were.

use super::target::{Endpoint, Host, SessionAttrs, SslMode, Target};
use super::{tls_stream, Conn};
use anyhow::{anyhow, bail, Context, Result};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_postgres::config::SslMode as PgSslMode;
use tokio_postgres::{Client, Config};

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// Every host failed; each failure says which host.
#[derive(Debug)]
pub struct Failures(pub Vec<anyhow::Error>);

impl std::fmt::Display for Failures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let all: Vec<String> = self.0.iter().map(|e| format!("{e:#}")).collect();
        write!(f, "no host could be used: {}", all.join("; "))
    }
}
impl std::error::Error for Failures {}

/// A Unix socket that is not there: psql fails at once, and so does en-migrate.
#[derive(Debug)]
pub struct NoSocket(pub String);

impl std::fmt::Display for NoSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "no server socket at {}: No such file or directory",
            self.0
        )
    }
}
impl std::error::Error for NoSocket {}

/// The server answered but is not of the kind `target_session_attrs` asks for.
#[derive(Debug)]
pub struct Mismatch(pub String);

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Mismatch {}

/// Tries every host once, running `query` on the first session of the kind asked for; a host whose
/// `query` fails counts as failed. In the first pass every host gets at least two seconds (libpq's
/// least connect_timeout), so that a host that hangs cannot keep the next one from being tried.
pub async fn pass<T: 'static>(
    target: &Target,
    tls: Option<&Arc<rustls::ClientConfig>>,
    deadline: Instant,
    first: bool,
    query: &super::First<'_, T>,
) -> Result<(Conn, T)> {
    let mut order: Vec<&Endpoint> = target.endpoints.iter().collect();
    if target.load_balance {
        fastrand::shuffle(&mut order);
    }
    let wants = match target.session_attrs {
        SessionAttrs::PreferStandby => vec![SessionAttrs::Standby, SessionAttrs::Any],
        a => vec![a],
    };
    let mut failures = Vec::new();
    for want in wants {
        for ep in &order {
            let mut left = deadline.saturating_duration_since(Instant::now());
            if first {
                left = left.max(Duration::from_secs(2));
            } else if left.is_zero() {
                break;
            }
            let at = format!("{}:{}", ep.name(), ep.port);
            let res = match tokio::time::timeout(left, one(target, tls, ep, want)).await {
                Ok(r) => r,
                Err(_) => Err(anyhow!("timed out after {:?}", target.connect_timeout)),
            };
            // Outside the connect timeout: the first queries may wait on a lock for as long as the
            // command allows (a silent path is bounded by the command, see main.rs). PgBouncer
            // accepts a login from its cache and refuses at the first query while its server
            // logins fail: that refusal is this host's, retried like a refused connection.
            let res = match res {
                Ok(conn) => query(&conn.client).await.map(|answer| (conn, answer)),
                Err(e) => Err(e),
            };
            match res {
                Ok(done) => {
                    tracing::debug!("connected to {at}");
                    return Ok(done);
                }
                Err(e) if target.endpoints.len() == 1 => failures.push(e),
                Err(e) => failures.push(e.context(at)),
            }
        }
    }
    if failures.len() == 1 {
        return Err(failures.remove(0));
    }
    Err(Failures(failures).into())
}

async fn one(
    target: &Target,
    tls: Option<&Arc<rustls::ClientConfig>>,
    ep: &Endpoint,
    want: SessionAttrs,
) -> Result<Conn> {
    let (stream, local, peer) = dial(target, ep).await?;
    let unix = matches!(ep.host, Host::Unix(_));
    // libpq ignores sslmode on a Unix socket.
    let tls = if unix { None } else { tls };
    let client = match handshake(target, ep, tls, stream).await {
        Ok(c) => c,
        Err(e) => {
            let from_file = ep.password.as_ref().and_then(|(_, f)| f.as_ref());
            let auth = e
                .downcast_ref::<tokio_postgres::Error>()
                .and_then(|p| p.as_db_error())
                .is_some_and(|d| d.code().code() == "28P01");
            return Err(match from_file {
                Some(f) if auth => {
                    e.context(format!("password retrieved from file {}", f.display()))
                }
                _ => e,
            });
        }
    };
    check_kind(&client, want).await?;
    Ok(Conn {
        client,
        local,
        peer,
        unix,
    })
}

/// One cancel request to one host, over the TLS the session would have used there.
#[allow(dead_code)]
pub async fn cancel(
    target: &Target,
    ep: &Endpoint,
    tls: Option<&Arc<rustls::ClientConfig>>,
    token: &tokio_postgres::CancelToken,
) -> Result<()> {
    let (stream, _, _) = dial(target, ep).await?;
    match tls.filter(|_| !matches!(ep.host, Host::Unix(_))) {
        None => {
            token
                .cancel_query_raw(stream, tokio_postgres::NoTls)
                .await?
        }
        Some(tls) => {
            token
                .cancel_query_raw(stream, tls_connect(ep, tls)?)
                .await?
        }
    }
    Ok(())
}

fn tls_connect(ep: &Endpoint, tls: &Arc<rustls::ClientConfig>) -> Result<tls_stream::Connect> {
    // The name verify-full checks and SNI sends: the host name, or hostaddr when there is none.
    let name = ep.name();
    let name = rustls::pki_types::ServerName::try_from(name.clone())
        .map_err(|e| anyhow!("{name} is not a valid TLS server name: {e}"))?;
    Ok(tls_stream::Connect {
        name,
        connector: tokio_rustls::TlsConnector::from(tls.clone()),
    })
}

/// The stream, and over TCP its two ends: ours and the peer's (a pooler's or proxy's, when there is
/// one between en-migrate and the server).
type Dialed = (Box<dyn Io>, Option<SocketAddr>, Option<SocketAddr>);

async fn dial(target: &Target, ep: &Endpoint) -> Result<Dialed> {
    match &ep.host {
        Host::Tcp(name) => {
            let s = match ep.hostaddr {
                Some(a) => tokio::net::TcpStream::connect(SocketAddr::new(a, ep.port)).await,
                None => tokio::net::TcpStream::connect((name.as_str(), ep.port)).await,
            }
            .map_err(|e| anyhow::Error::new(e).context(format!("{}:{}", ep.name(), ep.port)))?;
            let _ = s.set_nodelay(true);
            let sock = socket2::SockRef::from(&s);
            // Detect a dead peer within seconds rather than hours (a killed pod, a dropped NAT entry).
            if let Some((idle, interval, count)) = target.keepalives {
                let ka = socket2::TcpKeepalive::new()
                    .with_time(idle)
                    .with_interval(interval)
                    .with_retries(count);
                let _ = sock.set_tcp_keepalive(&ka);
            }
            #[cfg(any(target_os = "linux", target_os = "android"))]
            if let Some(t) = target.tcp_user_timeout {
                sock.set_tcp_user_timeout(Some(t))
                    .context("cannot set tcp_user_timeout on the socket")?;
            }
            let (local, peer) = (s.local_addr().ok(), s.peer_addr().ok());
            Ok((Box::new(s), local, peer))
        }
        Host::Unix(dir) => {
            if dir.to_string_lossy().starts_with('@') {
                bail!(
                    "abstract Unix sockets ({}) are not supported; give the socket directory",
                    dir.display()
                );
            }
            let path = dir.join(format!(".s.PGSQL.{}", ep.port));
            match tokio::net::UnixStream::connect(&path).await {
                Ok(s) => Ok((Box::new(s), None, None)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    Err(NoSocket(path.display().to_string()).into())
                }
                Err(e) => Err(anyhow::Error::new(e).context(path.display().to_string())),
            }
        }
    }
}

async fn handshake(
    target: &Target,
    ep: &Endpoint,
    tls: Option<&Arc<rustls::ClientConfig>>,
    stream: Box<dyn Io>,
) -> Result<Client> {
    let mut config = Config::new();
    config
        .user(&target.user)
        .dbname(&target.dbname)
        .application_name(&target.application_name)
        .channel_binding(target.channel_binding);
    if let Some(o) = &target.options {
        config.options(o);
    }
    if let Some((p, _)) = &ep.password {
        config.password(p);
    }
    config.ssl_mode(match (tls, target.tls.mode) {
        (None, _) | (_, SslMode::Disable) => PgSslMode::Disable,
        (_, SslMode::Allow | SslMode::Prefer) => PgSslMode::Prefer,
        _ => PgSslMode::Require,
    });
    let Some(tls) = tls else {
        let (client, conn) = config.connect_raw(stream, tokio_postgres::NoTls).await?;
        spawn_connection(conn);
        return Ok(client);
    };
    let connect = tls_connect(ep, tls)?;
    let (client, conn) = config.connect_raw(stream, connect).await?;
    spawn_connection(conn);
    Ok(client)
}

/// libpq's checks for `target_session_attrs`, on the session just opened.
async fn check_kind(client: &Client, want: SessionAttrs) -> Result<()> {
    let ask = |sql: &'static str| async move {
        let rows = client
            .simple_query(sql)
            .await
            .with_context(|| format!("cannot run {sql}"))?;
        let value = rows.into_iter().find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
            _ => None,
        });
        value.ok_or_else(|| anyhow!("{sql} returned nothing"))
    };
    let (ok, is, wanted) = match want {
        // The caller's first query (`one`) is the check that the session answers at all.
        SessionAttrs::Any => return Ok(()),
        SessionAttrs::ReadWrite | SessionAttrs::ReadOnly => {
            let read_only = ask("SHOW transaction_read_only").await? == "on";
            let is = if read_only { "read-only" } else { "read-write" };
            let wanted = if want == SessionAttrs::ReadWrite {
                "read-write"
            } else {
                "read-only"
            };
            (is == wanted, is, wanted)
        }
        _ => {
            let standby = ask("SELECT pg_catalog.pg_is_in_recovery()").await? == "t";
            let is = if standby { "standby" } else { "primary" };
            let wanted = if want == SessionAttrs::Primary {
                "primary"
            } else {
                "standby"
            };
            (is == wanted, is, wanted)
        }
    };
    if ok {
        return Ok(());
    }
    Err(Mismatch(format!(
        "the server is {}, and target_session_attrs={wanted} asks for {}",
        article(is),
        article(wanted)
    ))
    .into())
}

fn article(kind: &str) -> String {
    match kind {
        "primary" | "standby" => format!("a {kind}"),
        _ => kind.to_string(),
    }
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
