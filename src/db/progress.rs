//! Progress of a long statement: while a migration runs longer than `AFTER`, what PostgreSQL reports
//! for its backend, read from a second connection: `pg_stat_progress_create_index` (phase, blocks and
//! tuples done of total), `pg_stat_progress_cluster`, `pg_stat_progress_vacuum`, and who blocks it
//! when it waits for a lock. On a terminal it drives the running migration's spinner as a bar; in CI
//! or when stderr is not a terminal, it logs a line every `EVERY` to stderr.
//!
//! Only reads, on its own connection (application_name `en-migrate progress`), one short statement at
//! a time, so it holds no snapshot a `CREATE INDEX CONCURRENTLY` would wait for. A failure to watch
//! is logged at debug level and never disturbs the migration. Through a pooler there is no one
//! backend to watch, so nothing is shown.

use crate::cli::ConnectOpts;
use crate::db;
use crate::db::connect;
use std::future::Future;
use std::time::{Duration, Instant};

/// A statement is watched once it has run this long.
pub const AFTER: Duration = Duration::from_secs(3);
/// How often a plain line is printed.
pub const EVERY: Duration = Duration::from_secs(3);
/// How often the terminal's bar is refreshed.
const TICK: Duration = Duration::from_millis(500);

/// What is needed to watch this run's backend.
pub struct Watch {
    connect: ConnectOpts,
    /// The backend running the migrations, or `None` when there is none to watch (a pooler).
    pid: Option<i32>,
}

impl Watch {
    pub fn new(connect: &ConnectOpts, pid: Option<i32>) -> Watch {
        Watch {
            connect: connect.clone(),
            pid,
        }
    }

    /// Runs `fut` (one migration) and, once it has taken `AFTER`, shows its progress until it ends.
    /// `bar` is the migration's spinner on a terminal.
    pub async fn during<F: Future>(
        &self,
        name: &str,
        bar: Option<&indicatif::ProgressBar>,
        fut: F,
    ) -> F::Output {
        tokio::pin!(fut);
        let Some(pid) = self.pid else {
            return fut.await;
        };
        tokio::select! {
            out = &mut fut => return out,
            _ = tokio::time::sleep(AFTER) => {}
        }
        let started = Instant::now() - AFTER;
        tokio::select! {
            out = &mut fut => out,
            e = self.watch(pid, name, bar, started) => {
                tracing::debug!("stopped showing progress of {name}: {e:#}");
                fut.await
            }
        }
    }

    /// Reports until an error; the caller's select ends it when the migration ends.
    async fn watch(
        &self,
        pid: i32,
        name: &str,
        bar: Option<&indicatif::ProgressBar>,
        started: Instant,
    ) -> anyhow::Error {
        let client = match self.open().await {
            Ok(c) => c,
            Err(e) => return e,
        };
        if let Some(b) = bar {
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} applying {prefix} ({elapsed}) [{bar:30}] {percent}% {msg}",
            ) {
                b.set_style(style.progress_chars("=> "));
                b.set_prefix(name.to_string());
            }
        }
        let sql = sql(pid);
        loop {
            let row = match db::rows(&client.client, &sql).await {
                Ok(rows) => rows.into_iter().next().unwrap_or_default(),
                Err(e) => return e.into(),
            };
            let report = Report::from_row(&row);
            match bar {
                Some(b) => {
                    if let Some((done, total)) = report.fraction {
                        b.set_length(total);
                        b.set_position(done);
                    }
                    b.set_message(report.text.clone());
                    tokio::time::sleep(TICK).await;
                }
                None => {
                    eprintln!(
                        "  {name}: running for {}s{}",
                        started.elapsed().as_secs(),
                        if report.text.is_empty() {
                            String::new()
                        } else {
                            format!(", {}", report.text)
                        }
                    );
                    tokio::time::sleep(EVERY).await;
                }
            }
        }
    }

    async fn open(&self) -> anyhow::Result<connect::Conn> {
        let mut target = connect::resolve(
            self.connect.database_url.as_deref(),
            Duration::from_secs(self.connect.connect_timeout),
            &|k| std::env::var(k).ok(),
        )?;
        target.application_name = "en-migrate progress".into();
        connect::connect(&target).await
    }
}

/// What one look at the backend found.
#[derive(Debug, Default, PartialEq, Eq)]
struct Report {
    /// e.g. `building index: scanning table, blocks 120 of 443 (27%)`, `waiting for a lock held by pid 42 (...)`.
    text: String,
    /// (done, total) for the bar, when a progress view counts something.
    fraction: Option<(u64, u64)>,
}

impl Report {
    fn from_row(row: &[Option<String>]) -> Report {
        let cell = |i: usize| row.get(i).cloned().flatten().filter(|s| !s.is_empty());
        let num = |i: usize| cell(i).and_then(|v| v.parse::<u64>().ok());
        let mut parts = Vec::new();
        let mut fraction = None;
        if let Some(phase) = cell(0) {
            let (done, total) = (num(1).unwrap_or(0), num(2).unwrap_or(0));
            match (done * 100).checked_div(total) {
                Some(percent) => {
                    parts.push(format!(
                        "{phase}, {} {done} of {total} ({percent}%)",
                        cell(3).unwrap_or_default()
                    ));
                    fraction = Some((done, total));
                }
                None => parts.push(phase),
            }
        }
        if let Some(blockers) = cell(4) {
            parts.push(format!("waiting for a lock held by {blockers}"));
        } else if let Some(wait) = cell(5) {
            parts.push(format!("waiting on {wait}"));
        }
        Report {
            text: parts.join("; "),
            fraction,
        }
    }
}

/// One row: phase, done, total, unit (from whichever progress view has the backend), the blockers,
/// and what it waits on otherwise. CREATE INDEX counts tuples while it sorts and builds, blocks
/// while it scans; the view says which by filling the total.
fn sql(pid: i32) -> String {
    format!(
        "SELECT coalesce(i.phase, c.command || ': ' || c.phase, 'vacuum: ' || v.phase), \
           coalesce(CASE WHEN i.tuples_total > 0 THEN i.tuples_done ELSE i.blocks_done END, c.heap_blks_scanned, v.heap_blks_scanned), \
           coalesce(CASE WHEN i.tuples_total > 0 THEN i.tuples_total ELSE i.blocks_total END, c.heap_blks_total, v.heap_blks_total), \
           CASE WHEN i.tuples_total > 0 THEN 'tuples' ELSE 'blocks' END, \
           (SELECT pg_catalog.string_agg(pg_catalog.format('pid %s (%s: %s)', b.pid, coalesce(b.state, '?'), \
              pg_catalog.left(pg_catalog.regexp_replace(coalesce(b.query, ''), '\\s+', ' ', 'g'), 60)), ', ') \
            FROM pg_catalog.pg_stat_activity b WHERE b.pid = ANY (pg_catalog.pg_blocking_pids({pid}))), \
           (SELECT a.wait_event_type || ' ' || a.wait_event FROM pg_catalog.pg_stat_activity a \
            WHERE a.pid = {pid} AND a.wait_event_type IN ('Lock', 'IO', 'IPC')) \
         FROM (SELECT 1) one \
         LEFT JOIN pg_catalog.pg_stat_progress_create_index i ON i.pid = {pid} \
         LEFT JOIN pg_catalog.pg_stat_progress_cluster c ON c.pid = {pid} \
         LEFT JOIN pg_catalog.pg_stat_progress_vacuum v ON v.pid = {pid}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[Option<&str>]) -> Vec<Option<String>> {
        cells.iter().map(|c| c.map(str::to_string)).collect()
    }

    #[test]
    fn reports_read_as_the_progress_views_count() {
        let r = Report::from_row(&row(&[
            Some("building index: scanning table"),
            Some("120"),
            Some("443"),
            Some("blocks"),
            None,
            None,
        ]));
        assert_eq!(
            r.text,
            "building index: scanning table, blocks 120 of 443 (27%)"
        );
        assert_eq!(r.fraction, Some((120, 443)));
        let r = Report::from_row(&row(&[
            Some("waiting for old snapshots"),
            Some("0"),
            Some("0"),
            Some("blocks"),
            None,
            Some("Lock virtualxid"),
        ]));
        assert_eq!(
            (r.text.as_str(), r.fraction),
            (
                "waiting for old snapshots; waiting on Lock virtualxid",
                None
            )
        );
        let r = Report::from_row(&row(&[
            None,
            None,
            None,
            Some("blocks"),
            Some("pid 42 (idle in transaction: SELECT 1)"),
            Some("Lock relation"),
        ]));
        assert_eq!(
            r.text,
            "waiting for a lock held by pid 42 (idle in transaction: SELECT 1)"
        );
        assert_eq!(
            Report::from_row(&row(&[None, None, None, Some("blocks"), None, None])),
            Report::default()
        );
    }

    #[test]
    fn the_query_parses() {
        pg_query::parse(&sql(42), 0).unwrap();
    }
}
