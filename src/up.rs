//! `en-migrate up`: load, fence, plan against the tracker, then apply pending migrations one
//! transaction at a time, waiting politely for other runners.
//!
//! Owns the run loop: lock waits and their bound, lock-timeout retries, re-planning when another runner
//! moved the tracker, adoption of the seed's tracker, and the report of what was applied before a
//! failure. Per-migration SQL lives in `apply.rs`.

use crate::apply::{self, Attempt, Settings};
use crate::cli::UpArgs;
use crate::exit::{Failure, Outcome};
use crate::fence::{self, Finding};
use crate::migration::{Migration, Placeholders};
use crate::plan::{self, Applied, Options};
use crate::report::{self, AppliedItem, UpReport};
use crate::session;
use crate::source::{self, Source};
use crate::tracker::{self, Shape};
use anyhow::{anyhow, bail, Context, Result};
use std::time::{Duration, Instant};

/// Files above this size are fenced only when pending, so a no-op run does not re-parse a large seed.
pub const EAGER_FENCE_BYTES: usize = 4 << 20;

/// Fenced before connecting: files that could hold a statement PostgreSQL refuses inside a
/// transaction (the word CONCURRENTLY, or VACUUM) and no-transaction files, so that mistake is refused
/// without a database. Every other file is fenced after the plan, and only when pending, so a no-op
/// run over a long history parses nothing.
fn fence_before_connecting(m: &Migration, text: &str) -> bool {
    let has = |word: &[u8]| {
        text.as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word))
    };
    m.no_transaction
        || (text.len() <= EAGER_FENCE_BYTES && (has(b"concurrently") || has(b"vacuum")))
}

/// Rules whose refusal means the file could never have applied cleanly: refused before connecting,
/// whatever the tracker says.
const STRUCTURAL: &[&str] = &[
    "parse-error",
    "psql-meta-command",
    "concurrent-in-transaction",
    "unknown-statement",
];

pub struct Loaded {
    pub migrations: Vec<Migration>,
    /// Placeholder-substituted text of each migration.
    pub texts: Vec<String>,
}

pub fn load(source: &crate::cli::SourceOpts) -> Result<Loaded> {
    let placeholders =
        Placeholders::with_sets(&source.set).map_err(|e| e.context(Failure::Usage))?;
    let src = match &source.dir {
        Some(d) => Source::Dir(d.clone()),
        None => Source::Embedded,
    };
    let mut migrations = source::load(&src)?;
    let mut texts = Vec::with_capacity(migrations.len());
    let mut problems = Vec::new();
    for m in &mut migrations {
        // Without placeholders the text moves rather than copies: a 50 MB seed is held once.
        if !m.text.contains("${") {
            texts.push(std::mem::take(&mut m.text));
            continue;
        }
        match placeholders.substitute(&m.text) {
            Ok(t) => texts.push(t),
            Err(e) => {
                problems.push(format!("{}: {e:#}", m.path));
                texts.push(String::new());
            }
        }
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    Ok(Loaded { migrations, texts })
}

/// What is known before the database is: the files, and the fence's results for those fenced early.
struct Early {
    loaded: Loaded,
    findings: Vec<Vec<Finding>>,
    statements: Vec<usize>,
    ends: Vec<Vec<usize>>,
    fenced: Vec<bool>,
}

/// Loads the files and fences what a transaction would refuse anyway (see fence_before_connecting),
/// refusing structural findings. Runs on a blocking thread while the session opens
/// (`session::open_beside`), whose connection error never hides this refusal.
fn fence_early(source: &crate::cli::SourceOpts, format: crate::cli::Format) -> Result<Early> {
    let loaded = load(source)?;
    let (migrations, texts) = (&loaded.migrations, &loaded.texts);
    let mut findings: Vec<Vec<Finding>> = vec![Vec::new(); migrations.len()];
    let mut statements: Vec<usize> = vec![0; migrations.len()];
    let mut ends: Vec<Vec<usize>> = vec![Vec::new(); migrations.len()];
    let mut fenced = vec![false; migrations.len()];
    for (i, m) in migrations.iter().enumerate() {
        if fence_before_connecting(m, &texts[i]) {
            let r = fence::check(m, &texts[i]);
            (findings[i], statements[i], ends[i]) = (r.findings, r.statements, r.ends);
            fenced[i] = true;
        }
    }
    let structural: Vec<Finding> = findings
        .iter()
        .flatten()
        .filter(|f| STRUCTURAL.contains(&f.rule))
        .cloned()
        .collect();
    if !structural.is_empty() {
        report::findings(&structural, format);
        return Err(anyhow!(
            "{} refused before connecting; nothing was applied",
            count(structural.len(), "statement")
        )
        .context(Failure::Refused));
    }

    Ok(Early {
        loaded,
        findings,
        statements,
        ends,
        fenced,
    })
}

pub async fn run(args: &UpArgs, format: crate::cli::Format) -> Result<Outcome> {
    let started = Instant::now();
    let source = args.source.clone();
    let (early, session, opening) = session::open_beside(
        &args.connect,
        move || fence_early(&source, format),
        |c| Box::pin(tracker::opening(c)),
    )
    .await?;
    let Early {
        loaded,
        mut findings,
        mut statements,
        mut ends,
        mut fenced,
    } = early;
    let (migrations, texts) = (&loaded.migrations, &loaded.texts);
    let client = session.client();
    let opts = Options {
        ignore_missing: args.ignore_missing,
        allow_out_of_order: args.allow_out_of_order,
        target: args.target,
    };
    if let Some(t) = args.target {
        if !migrations.iter().any(|m| m.version == t) {
            bail!(anyhow!("--target {t}: no migration has that version").context(Failure::Usage));
        }
    }

    let (mut shape, mut rows) = opening?;
    if let Shape::Foreign(cols) = &shape {
        let cols: Vec<String> = cols.iter().map(|(c, t)| format!("{c} {t}")).collect();
        return Err(anyhow!(
            "public.schema_migrations exists but is not en-migrate's tracker (columns: {}); another tool (golang-migrate, dbmate, Rails?) owns it.\n\
             Hint: nothing was changed; point en-migrate at the database it owns, or rename that table",
            cols.join(", ")
        )
        .context(Failure::Drift));
    }
    let mut p = plan::plan(migrations, &rows, opts);
    check_drift(&p, migrations, &rows, opts)?;

    // Refusals of pending migrations stop everything; refusals of applied ones are history.
    let unfenced: Vec<usize> = p
        .to_apply
        .iter()
        .copied()
        .filter(|&fi| !fenced[fi])
        .collect();
    let items: Vec<(&Migration, &str)> = unfenced
        .iter()
        .map(|&fi| (&migrations[fi], texts[fi].as_str()))
        .collect();
    for (fi, r) in unfenced.into_iter().zip(fence::check_pending(&items)) {
        (findings[fi], statements[fi], ends[fi]) = (r.findings, r.statements, r.ends);
        fenced[fi] = true;
    }
    let refused: Vec<Finding> = p
        .to_apply
        .iter()
        .flat_map(|&fi| findings[fi].iter().cloned())
        .collect();
    if !refused.is_empty() {
        report::findings(&refused, format);
        return Err(anyhow!(
            "{} in pending migrations refused; nothing was applied",
            count(refused.len(), "statement")
        )
        .context(Failure::Refused));
    }
    for &fi in &p.to_apply {
        if migrations[fi].no_transaction && !session.direct {
            return Err(anyhow!(
                "{} is a no-transaction migration, which needs one server session from start to end, but this session goes through a proxy or pooler (the server sees {}).\n\
                 Hint: use a direct URL for `up`, the database server's own host and port; a session-mode pool cannot be told apart from a transaction-mode one, so every pooler is refused here",
                migrations[fi].file_name,
                session.server_sees
            ));
        }
    }

    let mut rep = UpReport {
        dry_run: args.dry_run,
        ..Default::default()
    };
    rep.adopted = p
        .backfill
        .iter()
        .map(|&(ri, _)| rows[ri].migration_name.clone())
        .collect();
    if args.dry_run {
        rep.plan = p
            .to_apply
            .iter()
            .map(|&fi| migrations[fi].file_name.clone())
            .collect();
        rep.already_applied = count_applied(&p);
        rep.total_ms = started.elapsed().as_millis();
        rep.warnings = p
            .to_apply
            .iter()
            .flat_map(|&fi| crate::lint::lint(&migrations[fi], &texts[fi]))
            .collect();
        report::up(&rep, format);
        return Ok(Outcome::Ok);
    }
    if let Some(why) = &session.read_only {
        return Err(anyhow!("{why}; `up` writes, so it was refused before any write.\nHint: run `up` against the primary; `status` and `verify` work here"));
    }

    // On a direct session the guard's PL/pgSQL lives in pg_temp, planned once for the whole run;
    // through a pooler (or without TEMP privilege) it travels inline with each migration.
    // Creating them (and pg_temp) costs more than inline planning saves on a handful of migrations.
    let session_functions = session.direct
        && p.to_apply.len() > 3
        && crate::db::rows(client, &crate::guard::session_functions(tracker::LOCK_KEY))
            .await
            .map_err(|e| tracing::debug!("the guard travels inline: {e}"))
            .is_ok();
    let settings = Settings {
        ddl_lock_timeout: args.ddl_lock_timeout,
        statement_timeout: args.statement_timeout,
        check_interval: session.version_num >= 140000,
        session_functions,
    };
    let lock_wait = Duration::from_secs(args.lock_wait);
    let mut waiter = Waiter::new(lock_wait);
    let mut lock_retries = 0u32;
    let mut last_id = rows.iter().map(|r| r.id).max().unwrap_or(0);
    // public's state, taken by the first migration and checked after every one (see guard.rs).
    let mut baseline: Option<String> = None;
    // The migration whose transaction waits for its COMMIT.
    let mut open: Option<Open> = None;

    loop {
        // Create, complete or adopt the tracker first, in a transaction of its own.
        if !matches!(shape, Shape::Ours) || !p.backfill.is_empty() {
            let backfill: Vec<(i64, String)> = p
                .backfill
                .iter()
                .map(|&(ri, fi)| (rows[ri].id, migrations[fi].checksum.clone()))
                .collect();
            // The tracker is read again right behind its creation, in the same round trip (polled
            // together, the creation first); when the creation failed, that read ran in its aborted
            // transaction, and is dropped.
            let (ensured, reread) = futures_util::future::join(
                apply::ensure_tracker(client, &settings, &backfill),
                tracker::opening(client),
            )
            .await;
            match ensured.context("cannot create or adopt the tracker public.schema_migrations")? {
                Attempt::LockBusy => {
                    waiter.wait(client).await?;
                    continue;
                }
                Attempt::Failed { error, .. } => bail!(
                    "cannot create or adopt public.schema_migrations: {} (SQLSTATE {})",
                    error.message,
                    error.code
                ),
                _ => {}
            }
            if matches!(shape, Shape::Seed { .. }) || !p.backfill.is_empty() {
                for name in &rep.adopted {
                    tracing::info!("adopted {name} from the earlier runner's tracker and recorded its checksum");
                }
            }
            (shape, rows) = reread?;
            last_id = rows.iter().map(|r| r.id).max().unwrap_or(0);
            p = plan::plan(migrations, &rows, opts);
            check_drift(&p, migrations, &rows, opts)?;
            continue;
        }
        let Some(&fi) = p.to_apply.first() else { break };
        let m = &migrations[fi];
        if m.no_transaction {
            // Nothing runs ahead of an open COMMIT that might still fail when what runs cannot be
            // rolled back.
            if let Some(o) = open.take() {
                let c = apply::commit(client).await;
                settle(o, c, migrations, &mut rep, &mut rows, format)?;
            }
        }
        let attempt_start = Instant::now();
        tracing::debug!(version = m.version, name = %m.name, "applying {}", m.path);
        let (attempt, spinner) = if m.no_transaction {
            let spinner = report::spinner(&m.file_name, statements[fi], format);
            (
                crate::notx::apply(client, m, &texts[fi], last_id, &settings).await?,
                spinner,
            )
        } else {
            let next = apply::transactional(
                client,
                m,
                &texts[fi],
                &ends[fi],
                last_id,
                &settings,
                &mut baseline,
            );
            tokio::pin!(next);
            // The previous migration's COMMIT travels right ahead of this one, without a round trip
            // in between, and is reported as soon as it is in.
            let finished = match open.take() {
                Some(o) => {
                    let (c, out) = apply::commit_ahead(client, next.as_mut()).await;
                    settle(o, c, migrations, &mut rep, &mut rows, format)?;
                    out
                }
                None => None,
            };
            let spinner = report::spinner(&m.file_name, statements[fi], format);
            let out = match finished {
                Some(out) => out,
                None => next.await,
            };
            (out.map_err(|e| connection_lost(e, m, &rep))?, spinner)
        };
        if let Some(s) = spinner {
            s.finish_and_clear();
        }
        match attempt {
            Attempt::Ready { id } | Attempt::Applied { id } => {
                waiter = Waiter::new(lock_wait);
                lock_retries = 0;
                last_id = id.max(last_id);
                p.to_apply.remove(0);
                if matches!(attempt, Attempt::Ready { .. }) {
                    // Reported once its COMMIT is in (with the next migration, or at the end).
                    open = Some(Open {
                        fi,
                        id,
                        started: attempt_start,
                    });
                } else {
                    record(m, id, attempt_start, &mut rep, &mut rows, format);
                }
            }
            Attempt::LockBusy => waiter.wait(client).await?,
            Attempt::Stale => {
                let newer = tracker::read(client, &shape, last_id).await?;
                last_id = newer.iter().map(|r| r.id).max().unwrap_or(last_id);
                rows.extend(newer);
                p = plan::plan(migrations, &rows, opts);
                check_drift(&p, migrations, &rows, opts)?;
            }
            Attempt::Breach { detail } => {
                report::partial(&rep, format);
                return Err(anyhow!(
                    "{} changed something outside schema expert_network and was rolled back: {detail}\n\
                     Hint: the database's own check caught what the static fence did not; keep every change inside expert_network",
                    m.file_name
                )
                .context(Failure::Refused));
            }
            Attempt::Failed { error, line }
                if error.code == "55P03" && lock_retries < args.lock_retries =>
            {
                lock_retries += 1;
                let pause = Duration::from_millis(500 << lock_retries.min(5));
                tracing::warn!("{} waited longer than --ddl-lock-timeout for a lock; retry {lock_retries} of {} in {pause:?}", m.file_name, args.lock_retries);
                let _ = line;
                tokio::time::sleep(pause).await;
            }
            Attempt::Failed { error, line } => {
                let holders = if error.code == "55P03" {
                    Some(apply::lock_holders(client).await)
                } else {
                    None
                };
                report::partial(&rep, format);
                return Err(failed(m, &error, line, holders, args.lock_retries, &rep));
            }
        }
    }
    if let Some(o) = open.take() {
        let c = apply::commit(client).await;
        settle(o, c, migrations, &mut rep, &mut rows, format)?;
    }
    rep.already_applied = count_applied(&p).saturating_sub(rep.applied.len());
    rep.total_ms = started.elapsed().as_millis();
    report::up(&rep, format);
    Ok(Outcome::Ok)
}

/// A migration that ran to its tracker row; its transaction waits for COMMIT.
struct Open {
    fi: usize,
    id: i64,
    started: Instant,
}

/// Reports a COMMIT's outcome: the migration is applied, or the run stops.
fn settle(
    o: Open,
    c: apply::Commit,
    migrations: &[Migration],
    rep: &mut UpReport,
    rows: &mut Vec<Applied>,
    format: crate::cli::Format,
) -> Result<()> {
    let m = &migrations[o.fi];
    match c {
        apply::Commit::Done => {
            record(m, o.id, o.started, rep, rows, format);
            Ok(())
        }
        apply::Commit::Failed { error } => {
            report::partial(rep, format);
            Err(failed(m, &error, None, None, 0, rep))
        }
        apply::Commit::Lost { error } => {
            report::partial(rep, format);
            Err(anyhow!(
                "the connection was lost while committing {} ({error}); whether it was applied, only the tracker can say.\n\
                 Hint: run `en-migrate status` to see, then `en-migrate up` to continue{}",
                m.file_name,
                applied_before(rep)
            ))
        }
    }
}

/// Records an applied migration: its line in the output, the report, the rows the plan knows.
fn record(
    m: &Migration,
    id: i64,
    started: Instant,
    rep: &mut UpReport,
    rows: &mut Vec<Applied>,
    format: crate::cli::Format,
) {
    let item = AppliedItem {
        version: m.version,
        name: m.file_name.clone(),
        duration_ms: started.elapsed().as_millis(),
    };
    report::applied_line(&item, format);
    rep.applied.push(item);
    rows.push(Applied {
        id,
        migration_name: m.file_name.clone(),
        checksum: Some(m.checksum.clone()),
        applied_at: None,
        execution_ms: None,
    });
}

/// The error for a migration that failed: where, what the server said, what was applied before.
fn failed(
    m: &Migration,
    error: &crate::db::ServerError,
    line: Option<usize>,
    holders: Option<String>,
    lock_retries: u32,
    rep: &UpReport,
) -> anyhow::Error {
    let at = line.map(|l| format!(" at line {l}")).unwrap_or_default();
    // A no-transaction migration has no transaction to roll back: PostgreSQL undid its one failed
    // statement (a failed concurrent build, which it does not undo, is reported by notx).
    let undone = if m.no_transaction {
        "failed without a transaction; PostgreSQL undid the failed statement"
    } else {
        "failed and was rolled back"
    };
    let mut msg = format!(
        "{}{at} {undone} (SQLSTATE {}): {}",
        m.path, error.code, error.message
    );
    if let Some(d) = &error.detail {
        msg += &format!("\nDetail: {d}");
    }
    if let Some(h) = holders {
        msg += &format!(
            "\nThe migration could not get its locks within --ddl-lock-timeout after {lock_retries} retries. Sessions holding locks on expert_network:\n  {h}\nHint: wait for them to finish, or inspect them with SELECT * FROM pg_stat_activity WHERE pid = <pid>"
        );
    } else if let Some(h) = &error.hint {
        msg += &format!("\nHint: {h}");
    }
    msg += &applied_before(rep);
    anyhow!(msg)
}

fn count_applied(p: &plan::Plan) -> usize {
    p.entries
        .iter()
        .filter(|e| e.state == plan::State::Applied)
        .count()
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

fn applied_before(rep: &UpReport) -> String {
    if rep.applied.is_empty() {
        "\nNothing was applied in this run.".into()
    } else {
        format!(
            "\nApplied before the failure (these stay applied): {}",
            rep.applied
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn connection_lost(e: tokio_postgres::Error, m: &Migration, rep: &UpReport) -> anyhow::Error {
    anyhow!(
        "the connection was lost while applying {} ({e}); the server rolls back the open transaction, so {} is not applied.\n\
         Hint: run `en-migrate up` again when the server is reachable; it continues where this run stopped{}",
        m.file_name,
        m.file_name,
        applied_before(rep)
    )
}

fn check_drift(p: &plan::Plan, files: &[Migration], rows: &[Applied], opts: Options) -> Result<()> {
    let problems = plan::drift(p, files, rows, opts);
    if problems.is_empty() {
        return Ok(());
    }
    Err(anyhow!(
        "the database does not match the migration files, so nothing was applied:\n  {}",
        problems.join("\n  ")
    )
    .context(Failure::Drift))
}

/// Polls for the migration lock from an idle connection, with back-off, until `--lock-wait` runs out.
struct Waiter {
    started: Option<Instant>,
    delay: Duration,
    limit: Duration,
}

impl Waiter {
    fn new(limit: Duration) -> Self {
        Waiter {
            started: None,
            delay: Duration::from_millis(20),
            limit,
        }
    }

    async fn wait(&mut self, client: &tokio_postgres::Client) -> Result<()> {
        let started = *self.started.get_or_insert_with(Instant::now);
        if started.elapsed() >= self.limit {
            let holder = apply::advisory_holder(client)
                .await
                .unwrap_or_else(|| "a session that has just finished".into());
            return Err(anyhow!(
                "another en-migrate run held the migration lock for longer than --lock-wait ({}s): {holder}.\n\
                 Hint: inspect it with SELECT * FROM pg_stat_activity WHERE pid = <pid>; if it is stuck, end it with SELECT pg_terminate_backend(<pid>)",
                self.limit.as_secs()
            )
            .context(Failure::LockTimeout));
        }
        if self.started.is_some() && self.delay == Duration::from_millis(20) {
            tracing::info!(
                "another en-migrate run holds the migration lock; waiting up to {}s",
                self.limit.as_secs()
            );
        }
        let left = self.limit.saturating_sub(started.elapsed());
        tokio::time::sleep(self.delay.min(left)).await;
        self.delay = (self.delay * 3 / 2).min(Duration::from_millis(500));
        Ok(())
    }
}
