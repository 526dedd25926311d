//! The apply loop of `en-migrate up`, once its decisions are made: take the migration lock (waiting
//! politely for other runners), apply each pending migration in its own transaction with the previous
//! one's COMMIT pipelined ahead of it, retry what a retry can fix (a busy lock, a lock timeout, a tracker
//! another runner moved, another session's DDL in public), and report what was applied before a stop.
//!
//! It never decides whether to run: the fence, the plan, the read-only and pooler refusals are made
//! before it starts (`up.rs`). One attempt at a migration (sending it, its progress, a stall) is
//! `runner/attempt.rs`; per-migration SQL lives in `db/apply.rs` and `db/notx.rs`.

use super::failure::{
    applied_before, breach, commit_lost, concurrent_twice, failed, interrupted, moved,
    stalled_commit,
};
use super::waiter::Waiter;
use crate::cli::{Format, UpArgs};
use crate::db::apply::{self, Attempt, Settings};
use crate::db::session::Session;
use crate::db::stop;
use crate::db::tracker::{self, Applied, Shape};
use crate::db::{progress, stall};
use crate::exit::{Fail, Kind, Outcome};
use crate::fence::{self, Checked};
use crate::files::migration::Migration;
use crate::plan::{self, Options, Plan};
use crate::report::{self, AppliedItem, UpReport};
use anyhow::{anyhow, bail, Context, Result};
use std::time::{Duration, Instant};
use tokio_postgres::Client;

mod attempt;

/// What the decisions hand the loop: the files, each with its fence report, the tracker as read, the
/// plan over it, and the report so far.
pub struct Start<'a> {
    pub session: &'a Session,
    pub args: &'a UpArgs,
    pub format: Format,
    /// Every file; each pending one fenced (`report` is `Some`).
    pub migrations: &'a [Checked],
    pub opts: Options,
    pub shape: Shape,
    pub rows: Vec<Applied>,
    pub plan: Plan,
    pub rep: UpReport,
    pub settings: Settings,
    pub started: Instant,
    /// public's state, taken in the first pending migration's transaction that `up` opened right
    /// behind its last checks (`apply::take`), when it did: that transaction is open.
    pub taken: Option<String>,
}

/// The apply loop's state, from the first lock attempt to the summary.
pub struct Runner<'a> {
    client: &'a Client,
    args: &'a UpArgs,
    format: Format,
    migrations: &'a [Checked],
    opts: Options,
    shape: Shape,
    rows: Vec<Applied>,
    plan: Plan,
    rep: UpReport,
    settings: Settings,
    started: Instant,
    progress: progress::Watch,
    watch: stall::Watch,
    waiter: Waiter,
    lock_retries: u32,
    /// Whether this migration was already retried because another session changed public.
    concurrent_retry: bool,
    /// Re-reads after EN003 in a row that found the tracker as it was (see `Attempt::Stale`).
    unseen_rereads: u32,
    last_id: i64,
    /// public's state, taken by the first migration and checked after every one (see guard.rs).
    baseline: Option<String>,
    /// The first pending migration's transaction is open already, `baseline` just taken in it.
    taken: bool,
    /// The migration whose transaction waits for its COMMIT.
    open: Option<Open>,
}

impl<'a> Runner<'a> {
    pub fn new(s: Start<'a>) -> Self {
        let session = s.session;
        Runner {
            taken: s.taken.is_some(),
            baseline: s.taken,
            client: session.client(),
            progress: progress::Watch::new(&s.args.connect, session.direct.then_some(session.pid)),
            watch: stall::Watch::new(&s.args.connect),
            waiter: Waiter::new(Duration::from_secs(s.args.lock_wait)),
            lock_retries: 0,
            concurrent_retry: false,
            unseen_rereads: 0,
            last_id: s.rows.iter().map(|r| r.id).max().unwrap_or(0),
            open: None,
            args: s.args,
            format: s.format,
            migrations: s.migrations,
            opts: s.opts,
            shape: s.shape,
            rows: s.rows,
            plan: s.plan,
            rep: s.rep,
            settings: s.settings,
            started: s.started,
        }
    }

    /// Applies every pending migration, then prints the summary.
    pub async fn run(mut self) -> Result<Outcome> {
        loop {
            if stop::requested().is_some() {
                return Err(self.stopped().await);
            }
            // Create, complete or adopt the tracker first, in a transaction of its own.
            if !matches!(self.shape, Shape::Ours) || !self.plan.backfill.is_empty() {
                self.ensure_tracker().await?;
                continue;
            }
            let Some(&fi) = self.plan.to_apply.first() else {
                break;
            };
            self.settings.record_schema = self.plan.to_apply.len() == 1;
            let (attempt, started) = self.attempt(fi).await?;
            self.outcome(fi, attempt, started).await?;
        }
        self.finish().await
    }

    /// The error for a stop requested between migrations. A migration that ran but waits for its
    /// COMMIT is rolled back, not committed: the operator asked to stop, and it is reported as not
    /// applied.
    async fn stopped(&mut self) -> anyhow::Error {
        let migrations = self.migrations;
        let pending = self.open.take().map(|o| &migrations[o.fi].migration);
        if (pending.is_some() || self.taken) && !self.client.is_closed() {
            let _ = self.client.simple_query("ROLLBACK").await;
        }
        report::partial(&self.rep, self.format);
        interrupted(pending, &self.rep)
    }

    /// The guard's session functions were not on the server session a transaction reached: from now
    /// on the guard travels inline with each migration. Nothing of the attempt ran; it is retried.
    fn guard_inline(&mut self) {
        tracing::info!("the server session changed under the run (a pooler or proxy), so the database-side check travels inline with each migration from now on");
        self.settings.session_functions = false;
        self.settings.function_oids = None;
    }

    /// Creates, completes or adopts the tracker, then reads it again and plans afresh.
    async fn ensure_tracker(&mut self) -> Result<()> {
        let (client, migrations) = (self.client, self.migrations);
        let backfill: Vec<(i64, String)> = self
            .plan
            .backfill
            .iter()
            .map(|&(ri, fi)| (self.rows[ri].id, migrations[fi].checksum.clone()))
            .collect();
        // The tracker is read again right behind its creation, in the same round trip (polled
        // together, the creation first); when the creation failed, that read ran in its aborted
        // transaction, and is dropped.
        let (ensured, reread) = futures_util::future::join(
            apply::ensure_tracker(client, &self.settings, &backfill),
            tracker::opening(client, tracker::Columns::Checksums),
        )
        .await;
        match ensured
            .with_context(|| format!("cannot create or adopt the tracker {}", tracker::TABLE))?
        {
            Attempt::LockBusy => return self.waiter.wait(client).await,
            Attempt::GuardGone => {
                self.guard_inline();
                return Ok(());
            }
            Attempt::Failed { error, .. } => bail!(
                "cannot create or adopt {}: {} (SQLSTATE {})",
                tracker::TABLE,
                error.message,
                error.code
            ),
            _ => {}
        }
        if matches!(self.shape, Shape::Seed { .. }) || !self.plan.backfill.is_empty() {
            for name in &self.rep.adopted {
                tracing::info!(
                    "adopted {name} from the earlier runner's tracker and recorded its checksum"
                );
            }
        }
        (self.shape, self.rows) = reread?;
        self.last_id = self.rows.iter().map(|r| r.id).max().unwrap_or(0);
        self.plan = plan_checked(migrations, &self.rows, self.opts)?;
        Ok(())
    }

    /// What an attempt's outcome leads to: the next migration, a retry, or the error that stops the
    /// run.
    async fn outcome(&mut self, fi: usize, attempt: Attempt, started: Instant) -> Result<()> {
        let migrations = self.migrations;
        let m = &migrations[fi];
        match attempt {
            Attempt::Ready { id } | Attempt::Applied { id } => {
                self.waiter = Waiter::new(Duration::from_secs(self.args.lock_wait));
                self.lock_retries = 0;
                self.concurrent_retry = false;
                self.last_id = id.max(self.last_id);
                self.plan.to_apply.remove(0);
                if matches!(attempt, Attempt::Ready { .. }) {
                    // Reported once its COMMIT is in (with the next migration, or at the end).
                    self.open = Some(Open { fi, id, started });
                } else {
                    self.record(m, id, started);
                }
            }
            Attempt::LockBusy => self.waiter.wait(self.client).await?,
            Attempt::Stale => self.reread().await?,
            Attempt::GuardGone => self.guard_inline(),
            Attempt::Concurrent { detail } if !self.concurrent_retry => {
                // Another application's DDL, not the migration's: take public's state afresh, once.
                tracing::warn!("{}: another session changed objects outside schema expert_network while it ran ({detail}); it was rolled back and runs again", m.file_name);
                self.concurrent_retry = true;
                self.baseline = None;
            }
            Attempt::Concurrent { detail } => {
                report::partial(&self.rep, self.format);
                return Err(concurrent_twice(m, &detail, &self.rep));
            }
            Attempt::Moved { detail } => {
                report::partial(&self.rep, self.format);
                return Err(moved(m, &detail, &self.rep));
            }
            Attempt::Breach { detail } => {
                report::partial(&self.rep, self.format);
                return Err(breach(m, &detail));
            }
            Attempt::Failed { error, .. }
                if error.code == "55P03" && self.lock_retries < self.args.lock_retries =>
            {
                self.lock_retries += 1;
                let pause = Duration::from_millis(500 << self.lock_retries.min(5));
                tracing::warn!("{} waited longer than --ddl-lock-timeout for a lock; retry {} of {} in {pause:?}", m.file_name, self.lock_retries, self.args.lock_retries);
                tokio::select! {
                    _ = tokio::time::sleep(pause) => {}
                    _ = stop::wait() => {}
                }
            }
            Attempt::Failed {
                error,
                line,
                column,
            } => {
                let holders = if error.code == "55P03" {
                    Some(apply::lock_holders(self.client).await)
                } else {
                    None
                };
                report::partial(&self.rep, self.format);
                let at = (line, column);
                return Err(failed(
                    m,
                    &error,
                    at,
                    holders,
                    self.args.lock_retries,
                    &self.rep,
                ));
            }
        }
        Ok(())
    }

    /// After EN003 (the tracker changed since it was read): read all of it again and plan afresh.
    async fn reread(&mut self) -> Result<()> {
        // All of it: a re-applied repeatable file's row keeps its id.
        let before = tracker_state(&self.rows);
        self.rows = tracker::read(self.client, &self.shape, 0, tracker::Columns::Checksums).await?;
        self.last_id = self.rows.iter().map(|r| r.id).max().unwrap_or(self.last_id);
        // The check under the lock saw rows this read does not: the read reached another
        // server than the check (a pooler or proxy sending reads to a lagging replica).
        // Retried a few times, then an error that says so, never a loop.
        if tracker_state(&self.rows) == before {
            self.unseen_rereads += 1;
            if self.unseen_rereads >= STALE_REREADS {
                report::partial(&self.rep, self.format);
                return Err(anyhow!(
                    "the tracker changed since it was read, and {STALE_REREADS} reads of it since showed nothing new: the reads and the migration lock reach different servers{}",
                    applied_before(&self.rep)
                )
                .hint("point `up` at the primary itself (or a pooler that sends every query of a session to it)"));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        } else {
            self.unseen_rereads = 0;
        }
        self.plan = plan_checked(self.migrations, &self.rows, self.opts)?;
        Ok(())
    }

    /// Sends the open migration's COMMIT on its own, and settles it.
    async fn commit_open(&mut self) -> Result<()> {
        let Some(o) = self.open.take() else {
            return Ok(());
        };
        let c = match self.watch.run(apply::commit(self.client)).await {
            Ok(c) => c,
            Err(stalled) => {
                report::partial(&self.rep, self.format);
                return Err(stalled_commit(stalled, &self.migrations[o.fi], &self.rep));
            }
        };
        self.settle(o, c)
    }

    /// The last COMMIT (or, when a stop was asked for, its ROLLBACK) and the summary.
    async fn finish(mut self) -> Result<Outcome> {
        if let (Some(o), Some(_)) = (&self.open, stop::requested()) {
            let _ = self.client.simple_query("ROLLBACK").await;
            report::partial(&self.rep, self.format);
            return Err(interrupted(Some(&self.migrations[o.fi]), &self.rep));
        }
        self.commit_open().await?;
        let (p, rep) = (&self.plan, &mut self.rep);
        // The plan may have been read again mid-run (after EN003), when this run's own rows are in it.
        rep.already_applied = p
            .entries
            .iter()
            .filter(|e| e.state == plan::State::Applied)
            .filter(|e| !rep.applied.iter().any(|a| a.name == e.name))
            .count();
        rep.ahead = plan::ahead(p);
        rep.total_ms = self.started.elapsed().as_millis();
        report::up(rep, self.format);
        // The process ends with this run: the tracker's rows are left to the exit rather than freed
        // one by one (a long history's 10,000 rows took longer to free than to plan).
        std::mem::forget(std::mem::take(&mut self.rows));
        Ok(Outcome::Ok)
    }

    /// Reports a COMMIT's outcome: the migration is applied, or the run stops.
    fn settle(&mut self, o: Open, c: apply::Commit) -> Result<()> {
        let migrations = self.migrations;
        let m = &migrations[o.fi];
        match c {
            apply::Commit::Done => {
                self.record(m, o.id, o.started);
                Ok(())
            }
            apply::Commit::Failed { error }
                if error.code == crate::db::guard::READ_ONLY_AT_COMMIT =>
            {
                report::partial(&self.rep, self.format);
                Err(breach(
                    m,
                    &format!("what it left to run at COMMIT, after the database-side check, tried to write ({})", error.message),
                ))
            }
            apply::Commit::Failed { error } => {
                report::partial(&self.rep, self.format);
                Err(failed(m, &error, (None, None), None, 0, &self.rep))
            }
            apply::Commit::Lost { error } => {
                report::partial(&self.rep, self.format);
                Err(commit_lost(&error, m, &self.rep))
            }
        }
    }

    /// Records an applied migration: its line in the output, the report, the rows the plan knows.
    fn record(&mut self, m: &Migration, id: i64, started: Instant) {
        let item = AppliedItem {
            version: (!m.is_repeatable()).then_some(m.version),
            name: m.file_name.clone(),
            duration_ms: started.elapsed().as_millis(),
        };
        report::applied_line(&item, self.format);
        self.rep.applied.push(item);
        self.rows.push(Applied {
            id,
            migration_name: m.file_name.clone(),
            checksum: Some(m.checksum.clone()),
            applied_at: None,
            execution_ms: None,
        });
    }
}

/// A migration that ran to its tracker row; its transaction waits for COMMIT.
struct Open {
    fi: usize,
    id: i64,
    started: Instant,
}

/// Re-reads of the tracker after EN003 in a row that find it unchanged, at which `up` gives up.
const STALE_REREADS: u32 = 5;

/// What the EN003 check and a re-read compare: every row's id, name and checksum.
fn tracker_state(rows: &[Applied]) -> Vec<(i64, String, Option<String>)> {
    let mut v: Vec<_> = rows
        .iter()
        .map(|r| (r.id, r.migration_name.clone(), r.checksum.clone()))
        .collect();
    v.sort_unstable();
    v
}

/// The plan over the tracker's rows, refusing drift: what `up` does each time it (re-)reads them.
/// The fence's report on a file the loop applies. Invariant: `up` fences every pending file before the
/// loop starts (`fence_pending`), and the loop applies only pending files.
fn fenced(m: &Checked) -> &fence::Report {
    m.report
        .as_ref()
        .expect("every pending file is fenced before the apply loop")
}

pub fn plan_checked<M: AsRef<Migration>>(
    files: &[M],
    rows: &[Applied],
    opts: Options,
) -> Result<plan::Plan> {
    let p = plan::plan(files, rows, opts);
    let problems = plan::drift(&p, files, rows, opts);
    if problems.is_empty() {
        return Ok(p);
    }
    Err(anyhow!(
        "the database does not match the migration files, so nothing was applied:\n  {}",
        problems.join("\n  ")
    )
    .kind(Kind::Drift))
}
