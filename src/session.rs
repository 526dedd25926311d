//! Opening a session and learning what kind of server and path it is: the server version, whether it
//! is read-only (a hot standby, `default_transaction_read_only`), and whether this session reaches the
//! server directly or through a proxy or pooler.

use crate::cli::ConnectOpts;
use crate::connect::{self, Conn};
use crate::db;
use anyhow::{Context, Result};
use std::time::Duration;

pub struct Session {
    pub conn: Conn,
    pub version_num: i32,
    /// Why the server will not take writes, if it will not.
    pub read_only: Option<String>,
    /// The server sees this process's own address: no proxy or pooler in between.
    pub direct: bool,
    pub server_sees: String,
    /// The role this session logged in as (`session_user`).
    pub user: String,
}

impl Session {
    pub fn client(&self) -> &tokio_postgres::Client {
        &self.conn.client
    }
}

pub async fn open(opts: &ConnectOpts) -> Result<Session> {
    let target = connect::resolve(
        opts.database_url.as_deref(),
        Duration::from_secs(opts.connect_timeout),
        &|k| std::env::var(k).ok(),
    )?;
    tracing::debug!("connecting to {}", target.describe());
    let conn = connect::connect(&target).await?;
    let row = db::rows(
        &conn.client,
        "SELECT pg_catalog.current_setting('server_version_num'), pg_catalog.pg_is_in_recovery()::text, \
         pg_catalog.current_setting('default_transaction_read_only'), pg_catalog.host(pg_catalog.inet_client_addr()), \
         pg_catalog.inet_client_port()::text, SESSION_USER::text",
    )
    .await
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
    let direct = match (conn.local, addr, port) {
        (None, None, _) => conn.unix,
        (Some(local), Some(a), Some(p)) => {
            local.port().to_string() == p && local.ip().to_string() == a
        }
        _ => false,
    };
    let user = cell(5).unwrap_or_default();
    Ok(Session {
        user,
        conn,
        version_num,
        read_only,
        direct,
        server_sees,
    })
}
