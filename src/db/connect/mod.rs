//! Connecting as libpq does: the connection string, service file, `PG*` variables and password file
//! resolved in `target`, then every host of the list tried in order (or shuffled, with
//! `load_balance_hosts=random`) until one matches `target_session_attrs`, TLS over rustls with
//! libpq's sslmode semantics, bounded retries of transient failures, and TCP keepalives.
//!
//! Owns the only socket en-migrate opens. It connects the socket itself (rather than letting
//! tokio-postgres do it) so that it knows its own address: comparing it with the address the server
//! sees tells a direct session from one behind a proxy or pooler. Never logs a password.

mod hosts;
mod keys;
mod params;
mod pgpass;
mod service;
mod target;
mod tls;
mod tls_stream;

pub use target::{resolve, Target};

use crate::exit::Fail;
use anyhow::{Context, Result};
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::time::{Duration, Instant};
use tokio_postgres::Client;

/// A connected session.
pub struct Conn {
    pub client: Client,
    /// Our end of the TCP socket; `None` over a Unix socket.
    pub local: Option<SocketAddr>,
    /// The other end: the server's, unless a pooler or proxy stands between.
    pub peer: Option<SocketAddr>,
    pub unix: bool,
}

/// A session's first queries, run as part of connecting (`connect_then`).
pub type First<'a, T> = dyn for<'c> Fn(&'c Client) -> Pin<Box<dyn Future<Output = Result<T>> + Send + 'c>>
    + Send
    + Sync
    + 'a;

/// Connects, and checks that the session answers `SELECT 1` within the connect timeout; see
/// `connect_then`.
pub async fn connect(target: &Target) -> Result<Conn> {
    let bound = target.connect_timeout;
    let probe: &First<()> = &|c| {
        Box::pin(async move {
            match tokio::time::timeout(bound, c.simple_query("SELECT 1")).await {
                Ok(answer) => answer.context("cannot run SELECT 1").map(drop),
                Err(_) => Err(anyhow::anyhow!("timed out after {bound:?}")),
            }
        })
    };
    Ok(connect_then(target, probe).await?.0)
}

/// Connects and runs `first` on the new session, retrying transient failures of either (refused,
/// reset, the server starting up, a pooler whose server logins are failing) with back-off until
/// `connect_timeout`; permanent ones (a bad password, an unknown database, a missing Unix socket, no
/// host of the kind asked for) fail at once. `first` is what the session would send first anyway, so
/// that checking the session costs no round trip of its own; it may run once per attempt, and runs
/// outside the connect timeout (it may wait on a lock as long as the command allows).
pub async fn connect_then<T: 'static>(target: &Target, first: &First<'_, T>) -> Result<(Conn, T)> {
    let tls = tls_for(target)?;
    let deadline = Instant::now() + target.connect_timeout;
    let mut delay = Duration::from_millis(50);
    let mut attempt = 0;
    loop {
        let err = match hosts::pass(target, tls.as_ref(), deadline, attempt == 0, first).await {
            Ok(conn) => return Ok(conn),
            Err(e) => e,
        };
        attempt += 1;
        let transient = is_transient(&err);
        if !transient || Instant::now() + delay >= deadline {
            let hint = if transient {
                "is the server running and accepting connections there? Raise --connect-timeout if it is still starting"
            } else {
                permanent_hint(&err)
            };
            return Err(err
                .context(format!("cannot connect to {}", target.describe()))
                .hint(hint));
        }
        tracing::debug!("connect attempt failed ({err:#}); retrying in {delay:?}");
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(1));
    }
}

/// The TLS configuration, built once before any attempt: a missing or bad sslrootcert or client key
/// is the operator's to fix, not something to retry. None when every host is a Unix socket, where
/// libpq ignores sslmode.
fn tls_for(target: &Target) -> Result<Option<std::sync::Arc<rustls::ClientConfig>>> {
    let unix_only = target
        .endpoints
        .iter()
        .all(|e| matches!(e.host, target::Host::Unix(_)));
    if target.tls.mode == target::SslMode::Disable || unix_only {
        return Ok(None);
    }
    let config = tls::tls_config(target)
        .with_context(|| format!("cannot connect to {}", target.describe()))?;
    Ok(Some(std::sync::Arc::new(config)))
}

/// Sends the protocol's cancel request for the session `token` came from to every host of the list,
/// over TLS where the session used it (one host is the session's; the others ignore a key they do
/// not know). Ok if any host took it.
// For stopping on a signal (src/stop.rs on the branch that adds it): Target no longer carries a
// tokio-postgres Config to read the hosts from, and a plain cancel request fails under sslmode=require.
#[allow(dead_code)]
pub async fn cancel_request(target: &Target, token: &tokio_postgres::CancelToken) -> Result<()> {
    let tls = tls_for(target)?;
    let mut last = None;
    for ep in &target.endpoints {
        match hosts::cancel(target, ep, tls.as_ref(), token).await {
            Ok(()) => return Ok(()),
            Err(e) => {
                last = Some(e.context(format!("cancel request to {}:{}", ep.name(), ep.port)))
            }
        }
    }
    Err(last.unwrap_or_else(|| anyhow::anyhow!("no host to send the cancel request to")))
}

/// The hint for a failure that retrying cannot fix, by what failed: the name, TLS, or the login.
fn permanent_hint(err: &anyhow::Error) -> &'static str {
    if let Some(all) = err
        .chain()
        .find_map(|c| c.downcast_ref::<hosts::Failures>())
    {
        // The first host that failed for good says what to fix; a mismatch only if all did.
        let hints: Vec<&str> = all
            .0
            .iter()
            .filter(|e| !is_transient(e))
            .map(permanent_hint)
            .collect();
        return hints
            .iter()
            .find(|h| !h.contains("target_session_attrs"))
            .or(hints.first())
            .copied()
            .unwrap_or("is the server running and accepting connections there?");
    }
    let text = format!("{err:#}");
    if err
        .chain()
        .any(|c| c.downcast_ref::<hosts::Mismatch>().is_some())
    {
        "no host in the list is of the kind target_session_attrs asks for; list the right host, or change target_session_attrs"
    } else if err
        .chain()
        .any(|c| c.downcast_ref::<hosts::NoSocket>().is_some())
    {
        "no server listens on that Unix socket: is it running on this machine, and are the socket directory (host) and port right?"
    } else if text.contains("lookup address")
        || text.contains("Name or service not known")
        || text.contains("nodename nor servname")
    {
        "the host name does not resolve; check the host in DATABASE_URL or PGHOST"
    } else if text.contains("channel binding") {
        "channel_binding=require needs SCRAM-SHA-256 authentication over TLS (sslmode=require or stronger) and a server certificate signed with RSA or ECDSA and SHA-1/2"
    } else if text.contains("requires a valid client certificate") {
        "the server wants a client certificate: set sslcert and sslkey (or PGSSLCERT and PGSSLKEY, or put them in ~/.postgresql/postgresql.crt and postgresql.key)"
    } else if text.contains("TLS") || text.contains("certificate") {
        "the TLS handshake failed; check sslmode and sslrootcert: the server must offer TLS, its certificate must chain to sslrootcert, and for verify-full name the host connected to"
    } else {
        "check the user, password and database name in DATABASE_URL or the PG* variables"
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
            | TimedOut
            | UnexpectedEof
            | BrokenPipe
    )
}

/// PgBouncer's answers while it cannot log in to the server (for about `server_login_retry` after
/// the server restarts): 08P01, which is otherwise a protocol violation and permanent.
fn pooler_refusal(db: &tokio_postgres::error::DbError) -> bool {
    db.code().code() == "08P01"
        && (db.message().contains("server login has been failing")
            || db.message().contains("pgbouncer cannot connect to server"))
}

/// Whether another attempt could succeed where this error failed (see `connect_then`).
pub fn is_transient(err: &anyhow::Error) -> bool {
    for cause in err.chain() {
        if let Some(all) = cause.downcast_ref::<hosts::Failures>() {
            return all.0.iter().any(is_transient);
        }
        if cause.downcast_ref::<hosts::NoSocket>().is_some()
            || cause.downcast_ref::<hosts::Mismatch>().is_some()
        {
            return false;
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return io_transient(io);
        }
        if let Some(pg) = cause.downcast_ref::<tokio_postgres::Error>() {
            if let Some(db) = pg.as_db_error() {
                // cannot_connect_now: the server is starting up or shutting down; too_many_connections.
                return matches!(db.code().code(), "57P03" | "53300") || pooler_refusal(db);
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
