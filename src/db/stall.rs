//! A bound on waiting for the server while a migration runs, that a long legitimate statement never
//! trips: while en-migrate waits for a migration's answer, a second session looks at the migration's
//! backend every few seconds. Running (`active`) is fine however long it takes; idle while we still wait
//! means the answer was lost on the way; gone, or no answer from the server on a second session either,
//! means the path is dead.
//!
//! The migration's backend is found by a marker comment at the start of every message en-migrate sends
//! for a migration (`pg_stat_activity.query` starts with it), not by pid: through a transaction pooler the
//! pid at connect time is not the backend that runs the migration. Owns no SQL of the migration itself.

use crate::cli::ConnectOpts;
use crate::db::connect::{self, Target};
use std::sync::OnceLock;
use std::time::Duration;

/// How often the second session looks, and how long one look may take.
pub const PROBE_EVERY: Duration = Duration::from_secs(5);
/// Looks that find the backend idle while we wait (the answer was lost), before giving up.
const IDLE_LOOKS: u32 = 2;
/// Looks that get no answer at all (the server unreachable on a second session too), before giving up.
const DEAD_LOOKS: u32 = 3;

/// `/* en-migrate <pid>.<nanos> */`: the start of every message of this run's migrations.
pub fn marker() -> &'static str {
    static M: OnceLock<String> = OnceLock::new();
    M.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        format!("/* en-migrate {}.{nanos} */ ", std::process::id())
    })
}

/// Why the wait was given up.
#[derive(Debug)]
pub struct Stalled(pub String);

/// Where the second session connects.
pub struct Watch {
    target: Option<Target>,
}

impl Watch {
    pub fn new(opts: &ConnectOpts) -> Watch {
        Watch {
            target: connect::resolve(
                opts.database_url.as_deref(),
                Duration::from_secs(opts.connect_timeout),
                &|k| std::env::var(k).ok(),
            )
            .ok(),
        }
    }

    /// Runs `fut` (a wait for the server's answer to a migration) under the watch.
    pub async fn run<F: std::future::Future>(&self, fut: F) -> Result<F::Output, Stalled> {
        let Some(target) = &self.target else {
            return Ok(fut.await);
        };
        tokio::pin!(fut);
        let mut probe: Option<connect::Conn> = None;
        let (mut idle, mut dead) = (0u32, 0u32);
        loop {
            tokio::select! {
                out = &mut fut => return Ok(out),
                _ = tokio::time::sleep(PROBE_EVERY) => {}
            }
            let look = tokio::time::timeout(PROBE_EVERY, look(target, &mut probe)).await;
            match look {
                Ok(Ok(Some(state))) if state == "active" => (idle, dead) = (0, 0),
                Ok(Ok(Some(state))) => {
                    dead = 0;
                    idle += 1;
                    if idle >= IDLE_LOOKS {
                        return Err(Stalled(format!("the server finished the statement and sits {state}, but its answer never arrived")));
                    }
                }
                Ok(Ok(None)) => {
                    return Err(Stalled(
                        "the server no longer has the migration's session (terminated, or the connection was cut)".into(),
                    ))
                }
                Ok(Err(e)) => {
                    probe = None;
                    dead += 1;
                    tracing::debug!("watching the migration's backend: {e:#}");
                }
                Err(_) => {
                    probe = None;
                    dead += 1;
                }
            }
            if dead >= DEAD_LOOKS {
                return Err(Stalled(format!(
                    "neither the migration's connection nor a second one got an answer from the server for {}s",
                    (PROBE_EVERY * 2 * DEAD_LOOKS).as_secs()
                )));
            }
        }
    }
}

/// The state of the backend running this run's migration, or `None` when there is none. Through a
/// transaction pooler an earlier message of the run may have gone to another backend, which then sits
/// idle with the marker as its last query: the one still running, else the latest, is the migration's.
async fn look(
    target: &Target,
    probe: &mut Option<connect::Conn>,
) -> anyhow::Result<Option<String>> {
    if probe.as_ref().is_none_or(|c| c.client.is_closed()) {
        *probe = Some(connect::connect(target).await?);
    }
    let Some(conn) = probe.as_ref() else {
        return Ok(None);
    };
    let like = crate::db::literal(&format!(
        "{}%",
        marker().replace('%', "\\%").replace('_', "\\_")
    ));
    let state = crate::db::value(
        &conn.client,
        &format!(
            "SELECT coalesce(a.state, '')
               FROM pg_catalog.pg_stat_activity a
              WHERE a.query LIKE {like} AND a.pid <> pg_catalog.pg_backend_pid()
              ORDER BY a.state = 'active' DESC, a.query_start DESC NULLS LAST
              LIMIT 1"
        ),
    )
    .await?;
    Ok(state)
}
