//! Stopping on SIGINT and SIGTERM: the first signal sends the server a cancel request for the running
//! statement and lets the command roll back and report; a second one exits at once.
//!
//! Why a cancel request and not just closing the socket: PostgreSQL 13 has no
//! `client_connection_check_interval`, so a backend whose client died keeps running its statement, and
//! holding its locks, until the statement ends. Why handlers at all: as PID 1 in a container the kernel
//! drops every signal that has no handler, so without them a Job could only be stopped by SIGKILL.
//!
//! Owns the signal handlers and the registered session; never commits, rolls back or prints results:
//! the commands see [`requested`] and stop themselves.

use crate::db::connect::{self, Target};
use crate::exit::{Fail, Kind, Outcome};
use anyhow::{anyhow, Result};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tokio::signal::unix::{signal, SignalKind};
use tokio_postgres::{CancelToken, Client};

/// The signal that asked us to stop (2 or 15), 0 while none has.
static SIGNAL: AtomicI32 = AtomicI32::new(0);
static WOKEN: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// How to cancel the statement the registered session is running.
struct Registered {
    token: CancelToken,
    target: Target,
    pid: Option<String>,
}

static SESSION: Mutex<Option<Registered>> = Mutex::new(None);

/// After the first signal, how long the command gets to roll back and report before we exit anyway
/// (the cancel request may not reach a server behind a dead path).
pub const GRACE: Duration = Duration::from_secs(10);

/// The signal number that asked us to stop, if one has.
pub fn requested() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// Resolves once a stop has been requested: for sleeps that must not outlast a signal.
pub async fn wait() {
    let woken = WOKEN.notified();
    if requested().is_some() {
        return;
    }
    woken.await;
}

/// `SIGINT` or `SIGTERM`.
pub fn name(sig: i32) -> &'static str {
    if sig == libc_sigterm() {
        "SIGTERM"
    } else {
        "SIGINT"
    }
}

const fn libc_sigterm() -> i32 {
    15
}

/// Remembers the session whose running statement a signal cancels. The cancel request is a new
/// connection to where the session was opened, resolved again from the same options.
pub async fn register(client: &Client, opts: &crate::cli::ConnectOpts, backend_pid: i32) {
    let Ok(target) = connect::resolve(
        opts.database_url.as_deref(),
        Duration::from_secs(opts.connect_timeout),
        &|k| std::env::var(k).ok(),
    ) else {
        return;
    };
    // The pid serves the fallback, pg_cancel_backend from a second session, when the plain cancel
    // request cannot be sent. The session read it in its opening round trip (`Session::pid`); asking
    // again here cost every run a round trip.
    let pid = (backend_pid > 0).then(|| backend_pid.to_string());
    if let Ok(mut s) = SESSION.lock() {
        *s = Some(Registered {
            token: client.cancel_token(),
            target,
            pid,
        });
    }
}

/// Sends the cancel request for the registered session's running statement; a statement that has
/// already ended is not affected (the server cancels only what runs when the request arrives).
async fn cancel() {
    let reg = match SESSION.lock() {
        Ok(s) => s
            .as_ref()
            .map(|r| (r.token.clone(), r.target.clone(), r.pid.clone())),
        Err(_) => None,
    };
    let Some((token, target, pid)) = reg else {
        return;
    };
    if cancel_request(&token, &target).await.is_ok() {
        return;
    }
    if let Some(pid) = pid {
        let via_session = async {
            let conn = connect::connect(&target).await?;
            crate::db::rows(
                &conn.client,
                &format!("SELECT pg_catalog.pg_cancel_backend({pid})"),
            )
            .await?;
            anyhow::Ok(())
        };
        match tokio::time::timeout(Duration::from_secs(5), via_session).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!("could not cancel the running statement: {e:#}"),
            Err(_) => tracing::warn!("could not cancel the running statement: no answer in 5s"),
        }
    }
}

/// The protocol's cancel request, to each host the target names, over TLS where the session used it
/// (connect.rs owns how a host is dialled).
async fn cancel_request(token: &CancelToken, target: &Target) -> Result<()> {
    connect::cancel_request(target, token).await
}

/// Runs a database command so that signals stop it cleanly: the first cancels the running statement
/// and gives the command [`GRACE`] to roll back and report; a second exits at once.
pub async fn guard<F>(command: F) -> Result<Outcome>
where
    F: std::future::Future<Output = Result<Outcome>>,
{
    // The handlers must be installed before the command starts, or an early signal kills us unreported.
    let mut int = signal(SignalKind::interrupt())?;
    let mut term = signal(SignalKind::terminate())?;
    tokio::pin!(command);
    let sig = tokio::select! {
        out = &mut command => return out,
        _ = int.recv() => 2,
        _ = term.recv() => libc_sigterm(),
    };
    SIGNAL.store(sig, Ordering::SeqCst);
    WOKEN.notify_waiters();
    eprintln!(
        "en-migrate: {} received; cancelling the running statement and rolling back (send it again to exit at once)",
        name(sig)
    );
    // The same streams listen for the second signal from here on: a stream made later would miss one
    // that arrives in between.
    let again = async {
        tokio::select! {
            _ = int.recv() => 2,
            _ = term.recv() => libc_sigterm(),
        }
    };
    tokio::pin!(again);
    let finish = async {
        cancel().await;
        tokio::time::timeout(GRACE, &mut command).await
    };
    let out = tokio::select! {
        out = finish => match out {
            Ok(out) => out,
            Err(_) => Err(anyhow!(
                "the command did not stop within {}s of the cancel request; exiting, and the server rolls back what was not committed when it sees the connection close",
                GRACE.as_secs()
            )),
        },
        again = &mut again => {
            eprintln!("en-migrate: {} received again; exiting now without waiting for the rollback (the server rolls back when it sees the connection close)", name(again));
            std::process::exit(128 + again);
        }
    };
    // Whatever the command made of it, the run was stopped: the exit code says by which signal.
    match out {
        Ok(o) => Ok(o),
        Err(e) if crate::exit::kind(&e) == Some(Kind::Interrupted) => Err(e),
        Err(e) => Err(e.kind(Kind::Interrupted)),
    }
}
