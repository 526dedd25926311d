//! Opening a session and learning what kind of server and path it is: the server version, whether it
//! is read-only (a hot standby, `default_transaction_read_only`), and whether this session reaches the
//! server directly or through a proxy or pooler. A command's first queries travel in the same round
//! trip as the settings query, and its file work runs while the session opens.

use crate::cli::ConnectOpts;
use crate::db;
use crate::db::connect::{self, Conn};
use crate::exit::Fail;
use anyhow::{anyhow, bail, Context, Result};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use tokio_postgres::Client;

pub struct Session {
    pub conn: Conn,
    pub version_num: i32,
    /// Why the server will not take writes, if it will not.
    pub read_only: Option<String>,
    /// The server sees this process's own address: no proxy or pooler in between.
    pub direct: bool,
    pub server_sees: String,
    /// The server backend of this session (`pg_backend_pid()`), for watching it from another one.
    pub pid: i32,
    /// The role this session logged in as (`session_user`).
    pub user: String,
}

impl Session {
    pub fn client(&self) -> &tokio_postgres::Client {
        &self.conn.client
    }
}

/// Queries a command sends in the session's first round trip, beside the settings query.
pub type Also<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

/// Opens a session. The settings query, the session's pins (see `apply::SESSION_PINS`) and `also`'s
/// queries leave in one message, the first the session sends: tokio-postgres writes every request
/// queued before it flushes, and the three are polled together, the settings query first. They are
/// also the check that the session answers (`connect::connect_then`), so connecting costs no round
/// trip of its own; `also` runs again on a new session if that one is retried. They must not depend
/// on the settings (read-only, pooler), which are only known when all are back.
pub async fn open_with<T: Send + 'static>(
    opts: &ConnectOpts,
    also: impl for<'c> Fn(&'c Client) -> Also<'c, T> + Send + Sync,
) -> Result<(Session, T)> {
    let target = connect::resolve(
        opts.database_url.as_deref(),
        Duration::from_secs(opts.connect_timeout),
        &|k| std::env::var(k).ok(),
    )?;
    tracing::debug!("connecting to {}", target.describe());
    let first: &connect::First<Opening<T>> = &|c| {
        let more = also(c);
        Box::pin(async move {
            let (row, pinned, more) = futures_util::future::join3(
                db::rows(c, include_str!("sql/session_opening.sql")),
                db::rows(c, crate::db::apply::SESSION_PINS),
                more,
            )
            .await;
            match row {
                // A pooler refusing while its server logins fail: this attempt failed.
                Err(e) => {
                    let e = anyhow::Error::new(e);
                    if connect::is_transient(&e) {
                        Err(e)
                    } else {
                        Ok((Err(e), pinned, more))
                    }
                }
                row => Ok((row.map_err(anyhow::Error::new), pinned, more)),
            }
        })
    };
    let (conn, (row, pinned, more)) = connect::connect_then(&target, first).await?;
    pinned
        .with_context(|| format!("cannot pin the session's settings on {}", target.describe()))?;
    let row = row
        .with_context(|| format!("cannot read the server's settings on {}", target.describe()))?
        .into_iter()
        .next()
        .unwrap_or_default();
    let cell = |i: usize| row.get(i).cloned().flatten();
    let version_num = cell(0).and_then(|v| v.parse().ok()).unwrap_or(0);
    let read_only = if cell(1).as_deref() == Some("true") {
        Some("the server is a hot standby (in recovery)".to_string())
    } else if cell(2).as_deref() == Some("on") {
        Some("default_transaction_read_only is on for this session".to_string())
    } else {
        None
    };
    let (addr, port) = (cell(3), cell(4));
    let server_sees = match (&addr, &port) {
        (Some(a), Some(p)) => format!("{a}:{p}"),
        _ => "a Unix socket".into(),
    };
    // Direct when the server sees our end of the socket as its client. With the peer we dialled on
    // this very host (loopback, or our own address), a pooler there could hold a socket to the
    // server of the same ephemeral port as ours to it (seen on PostgreSQL 13 through PgBouncer), so
    // the server's own end must then be that peer too. Not otherwise: through a DNAT without SNAT (a
    // Kubernetes Service), the server's end is the pod's address, not the one we dialled.
    let same = |end: Option<std::net::SocketAddr>, a: Option<&str>, p: Option<&str>| {
        matches!((end, a, p), (Some(end), Some(a), Some(p))
            if end.port().to_string() == p && end.ip().to_canonical().to_string() == canonical(a))
    };
    let here = conn.peer.is_some_and(|p| {
        p.ip().to_canonical().is_loopback() || conn.local.is_some_and(|l| l.ip() == p.ip())
    });
    let direct = match (conn.local, &addr) {
        (None, None) => conn.unix,
        _ => {
            same(conn.local, addr.as_deref(), port.as_deref())
                && (!here || same(conn.peer, cell(7).as_deref(), cell(8).as_deref()))
        }
    };
    let user = cell(6).unwrap_or_default();
    let pid = cell(5).and_then(|v| v.parse().ok()).unwrap_or(0);
    Ok((
        Session {
            conn,
            version_num,
            read_only,
            direct,
            server_sees,
            pid,
            user,
        },
        more,
    ))
}

/// What the session's first message brings back: the settings row, the pins, and `also`'s answer.
type Opening<T> = (
    Result<Vec<Vec<Option<String>>>>,
    Result<Vec<Vec<Option<String>>>, tokio_postgres::Error>,
    T,
);

/// Opens a session with nothing else in its first round trip.
pub async fn open(opts: &ConnectOpts) -> Result<Session> {
    Ok(open_with(opts, |_| Box::pin(async {})).await?.0)
}

/// Runs `files` (reading, checksumming and fencing migration files: blocking work) on a blocking
/// thread while the session opens (`open_with`), so neither waits for the other. What the files say
/// comes first: their error is returned as soon as it is known, without waiting for a slow or
/// retrying connect, and even when connecting failed too; a connection error is returned only for
/// files that are fine.
pub async fn open_beside<F, T>(
    opts: &ConnectOpts,
    files: impl FnOnce() -> Result<F> + Send + 'static,
    also: impl for<'c> Fn(&'c Client) -> Also<'c, T> + Send + Sync,
) -> Result<(F, Session, T)>
where
    F: Send + 'static,
    T: Send + 'static,
{
    let mut files = tokio::task::spawn_blocking(files);
    let opening = open_with(opts, also);
    tokio::pin!(opening);
    let (files, opened) = tokio::select! {
        f = &mut files => (f, None),
        o = &mut opening => (files.await, Some(o)),
    };
    let files = match files {
        Ok(f) => f?,
        Err(e) => match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => return Err(anyhow!("reading the migration files stopped: {e}")),
        },
    };
    let (session, more) = match opened {
        Some(o) => o?,
        None => opening.await?,
    };
    Ok((files, session, more))
}

/// Before `up --migration-role ROLE` applies anything: the role exists, this session may become it,
/// and the roles the migrations grant to (`roles`, the placeholders' values) exist already, since a
/// role that owns expert_network and holds nothing else cannot CREATE ROLE. Names what is missing and
/// the statements that make it.
pub async fn check_migration_role(
    client: &tokio_postgres::Client,
    role: &str,
    roles: &[&str],
) -> Result<()> {
    let lit = db::literal(role);
    let wanted: Vec<String> = roles.iter().map(|r| db::literal(r)).collect();
    let sql = format!(
        "SELECT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {lit}), \
         EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {lit} AND pg_catalog.pg_has_role(SESSION_USER, oid, 'MEMBER')), \
         (SELECT pg_catalog.string_agg(w, ', ') FROM pg_catalog.unnest(ARRAY[{}]::text[]) w WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname = w)), \
         SESSION_USER::text, \
         (SELECT pg_catalog.pg_get_userbyid(n.nspowner) FROM pg_catalog.pg_namespace n WHERE n.nspname = 'expert_network')",
        wanted.join(", ")
    );
    let row = db::rows(client, &sql)
        .await
        .context("cannot read the roles for --migration-role")?
        .into_iter()
        .next()
        .unwrap_or_default();
    let cell = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
    let login = cell(3);
    if cell(0) != "t" {
        bail!(
            anyhow!("--migration-role {role}: no such role; nothing was applied.").hint(format!(
                "as an administrator: CREATE ROLE {role} NOLOGIN; ALTER SCHEMA expert_network OWNER TO {role}; GRANT {role} TO {login}; (see the README's privileges section)"
            ))
        );
    }
    if cell(1) != "t" {
        bail!(anyhow!(
            "--migration-role {role}: {login} is not a member of {role}, so it cannot SET ROLE to it; nothing was applied."
        )
        .hint(format!("GRANT {role} TO {login};")));
    }
    match cell(4) {
        owner if owner == role => {}
        owner if owner.is_empty() => bail!(anyhow!(
            "--migration-role {role}: schema expert_network does not exist, and the migration role cannot create it; nothing was applied."
        )
        .hint(format!("CREATE SCHEMA expert_network AUTHORIZATION {role};"))),
        owner => bail!(anyhow!(
            "--migration-role {role}: schema expert_network is owned by {owner}, not by {role}; nothing was applied."
        )
        .hint(format!("ALTER SCHEMA expert_network OWNER TO {role}; and for objects created before, REASSIGN OWNED BY {owner} TO {role} in this database if {owner} owns nothing else here"))),
    }
    let missing = cell(2);
    if !missing.is_empty() {
        let create: Vec<String> = missing
            .split(", ")
            .map(|r| format!("CREATE ROLE {r} NOLOGIN;"))
            .collect();
        bail!(anyhow!(
            "--migration-role {role}: the migrations grant to roles that do not exist ({missing}), and the migration role cannot create roles; nothing was applied."
        )
        .hint(format!(
            "create them first as a role with CREATEROLE: {}, or name existing roles with --set app_role=... --set readonly_role=...",
            create.join(" ")
        )));
    }
    Ok(())
}

/// An address as the server prints it (`host(inet)`), IPv4-mapped IPv6 as plain IPv4, to compare
/// with a socket's.
fn canonical(a: &str) -> String {
    a.parse::<std::net::IpAddr>()
        .map_or_else(|_| a.to_string(), |ip| ip.to_canonical().to_string())
}
