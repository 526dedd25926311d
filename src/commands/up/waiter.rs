//! Waiting for the migration lock while another runner holds it: polls from an idle connection with
//! back-off until `--lock-wait` runs out, then names the holder. It holds no transaction between polls
//! (so a waiting runner never stalls another session's `CREATE INDEX CONCURRENTLY`) and never takes the
//! lock itself: the next migration's own transaction does (`db/apply.rs`).

use crate::db::apply;
use crate::exit::{Fail, Kind};
use anyhow::{anyhow, Result};
use std::time::{Duration, Instant};

/// Polls for the migration lock from an idle connection, with back-off, until `--lock-wait` runs out.
pub struct Waiter {
    started: Option<Instant>,
    delay: Duration,
    limit: Duration,
}

impl Waiter {
    pub fn new(limit: Duration) -> Self {
        Waiter {
            started: None,
            delay: Duration::from_millis(20),
            limit,
        }
    }

    pub async fn wait(&mut self, client: &tokio_postgres::Client) -> Result<()> {
        let started = *self.started.get_or_insert_with(Instant::now);
        if started.elapsed() >= self.limit {
            let holder = apply::advisory_holder(client)
                .await
                .unwrap_or_else(|| "a session that has just finished".into());
            return Err(anyhow!(
                "another en-migrate run held the migration lock for longer than --lock-wait ({}s): {holder}.",
                self.limit.as_secs()
            )
            .kind(Kind::LockTimeout)
            .hint("inspect it with SELECT * FROM pg_stat_activity WHERE pid = <pid>; if it is stuck, end it with SELECT pg_terminate_backend(<pid>)"));
        }
        if self.started.is_some() && self.delay == Duration::from_millis(20) {
            tracing::info!(
                "another en-migrate run holds the migration lock; waiting up to {}s",
                self.limit.as_secs()
            );
        }
        let left = self.limit.saturating_sub(started.elapsed());
        tokio::select! {
            _ = tokio::time::sleep(self.delay.min(left)) => {}
            _ = crate::db::stop::wait() => {}
        }
        self.delay = (self.delay * 3 / 2).min(Duration::from_millis(500));
        Ok(())
    }
}
