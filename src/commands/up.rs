//! `en-migrate up`: load, fence, plan against the tracker, then apply pending migrations one
//! transaction at a time, waiting politely for other runners.
//!
//! Owns the run loop: lock waits and their bound, lock-timeout retries, re-planning when another runner
//! moved the tracker, adoption of the seed's tracker, and the report of what was applied before a
//! failure. Per-migration SQL lives in `apply.rs`.

use crate::cli::UpArgs;
use crate::db::apply::{self, Attempt, Settings};
use crate::db::session;
use crate::db::tracker::{self, Applied, Shape};
use crate::exit::{Fail, Kind, Outcome};
use crate::fence::{self, Finding};
use crate::files::migration::{Migration, Placeholders};
use crate::plan::{self, Options};
use crate::report::{self, AppliedItem, UpReport};
use anyhow::{anyhow, bail, Context, Result};
use std::time::{Duration, Instant};

/// Files above this size are fenced only when pending, so a no-op run does not re-parse a large seed.
pub const EAGER_FENCE_BYTES: usize = 4 << 20;

/// Fenced before connecting: files that could hold a statement PostgreSQL refuses inside a
/// transaction (the word CONCURRENTLY, or VACUUM) and no-transaction files, so that mistake is refused
/// without a database. Every other file is fenced after the plan, and only when pending, so a no-op
/// run over a long history parses nothing.
fn fence_before_connecting(m: &Migration, text: &str) -> bool {
    // At each place the word's first letter is, in either case (a memchr: most files are read whole
    // here and nowhere else).
    let has = |word: &[u8]| {
        let b = text.as_bytes();
        memchr::memchr2_iter(word[0], word[0].to_ascii_uppercase(), b).any(|i| {
            b[i..]
                .get(..word.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(word))
        })
    };
    m.no_transaction
        || (text.len() <= EAGER_FENCE_BYTES && (has(b"concurrently") || has(b"vacuum")))
}

/// What is known before the database is: the files, and the fence's report on each file fenced so
/// far (`None` until it is: a file is fenced early, or once it is pending).
struct Early {
    migrations: Vec<Migration>,
    fenced: Vec<Option<fence::Report>>,
}

/// Loads the files and fences what a transaction would refuse anyway (see fence_before_connecting),
/// refusing structural findings. Runs on a blocking thread while the session opens
/// (`session::open_beside`), whose connection error never hides this refusal; nor a `--target` that
/// names no file.
fn fence_early(
    source: &crate::cli::SourceOpts,
    target: Option<u64>,
    format: crate::cli::Format,
) -> Result<Early> {
    let migrations = super::load(source)?;
    // What every file creates, read only once something is to be fenced (a no-op run parses nothing).
    let model = std::cell::OnceCell::new();
    let model =
        || model.get_or_init(|| fence::Model::build(migrations.iter().map(|m| m.text.as_str())));
    let fenced: Vec<Option<fence::Report>> = migrations
        .iter()
        .map(|m| fence_before_connecting(m, &m.text).then(|| fence::check_in(model(), m, &m.text)))
        .collect();
    let structural = fenced
        .iter()
        .flatten()
        .flat_map(|r| &r.findings)
        // A refusal that means the file could never have applied cleanly (`fence::rules`).
        .any(|f| f.rule.about().structural);
    if structural {
        // Stopping here, report every refusal `check` would, not only the ones that stopped it.
        let all: Vec<Finding> = migrations
            .iter()
            .zip(&fenced)
            .flat_map(|(m, r)| match r {
                Some(r) => r.findings.clone(),
                None => fence::check_in(model(), m, &m.text).findings,
            })
            .collect();
        report::findings(&all, format);
        return Err(anyhow!(
            "{} refused before connecting ({}); nothing was applied",
            count(fence::statements_refused(&all), "statement"),
            count(all.len(), "finding")
        )
        .kind(Kind::Refused));
    }
    if let Some(t) = target {
        if !migrations.iter().any(|m| m.version == t) {
            bail!(anyhow!("--target {t}: no migration has that version").kind(Kind::Usage));
        }
    }
    Ok(Early { migrations, fenced })
}

pub async fn run(args: &UpArgs, format: crate::cli::Format) -> Result<Outcome> {
    let started = Instant::now();
    // Every up document says what was applied, even when the run fails before applying anything.
    report::partial(&UpReport::default(), format);
    let (source, target) = (args.source.clone(), args.target);
    let (early, session, opening) = session::open_beside(
        &args.connect,
        move || fence_early(&source, target, format),
        |c| Box::pin(tracker::opening(c)),
    )
    .await?;
    let Early {
        migrations,
        mut fenced,
    } = early;
    let migrations = &migrations;
    // What every file creates, read only if something pending is still to be fenced.
    let model = std::cell::OnceCell::new();
    let model =
        || model.get_or_init(|| fence::Model::build(migrations.iter().map(|m| m.text.as_str())));
    let client = session.client();
    crate::db::stop::register(client, &args.connect, session.pid).await;
    let opts = Options {
        ignore_missing: args.ignore_missing,
        allow_out_of_order: args.allow_out_of_order,
        target: args.target,
        post_deploy: args.post_deploy,
        strict: args.strict,
    };

    let (mut shape, mut rows) = opening?;
    if let Shape::Foreign(cols) = &shape {
        let cols: Vec<String> = cols.iter().map(|(c, t)| format!("{c} {t}")).collect();
        return Err(anyhow!(
            "public.schema_migrations exists but is not en-migrate's tracker (columns: {}); another tool (golang-migrate, dbmate, Rails?) owns it.",
            cols.join(", ")
        )
        .kind(Kind::Drift)
        .hint("nothing was changed; point en-migrate at the database it owns, or rename that table"));
    }
    let mut p = plan_checked(migrations, &rows, opts)?;
    if args.refuse_on_drift {
        crate::verify::drift::refuse(client, &shape, session.version_num).await?;
    }

    // Refusals of pending migrations stop everything; refusals of applied ones are history.
    let unfenced: Vec<usize> = p
        .to_apply
        .iter()
        .copied()
        .filter(|&fi| fenced[fi].is_none())
        .collect();
    let items: Vec<(&Migration, &str)> = unfenced
        .iter()
        .map(|&fi| (&migrations[fi], migrations[fi].text.as_str()))
        .collect();
    let pending_reports = if items.is_empty() {
        Vec::new()
    } else {
        let reports = fence::check_pending(model(), &items);
        model().drop_trees();
        reports
    };
    for (fi, r) in unfenced.into_iter().zip(pending_reports) {
        fenced[fi] = Some(r);
    }
    // Every pending file is fenced now.
    let fenced: Vec<fence::Report> = fenced.into_iter().map(Option::unwrap_or_default).collect();
    let refused: Vec<Finding> = p
        .to_apply
        .iter()
        .flat_map(|&fi| fenced[fi].findings.iter().cloned())
        .collect();
    if !refused.is_empty() {
        report::findings(&refused, format);
        return Err(anyhow!(
            "{} in pending migrations refused ({}); nothing was applied",
            count(fence::statements_refused(&refused), "statement"),
            count(refused.len(), "finding")
        )
        .kind(Kind::Refused));
    }
    for &fi in &p.to_apply {
        if migrations[fi].no_transaction && !session.direct {
            return Err(anyhow!(
                "{} is a no-transaction migration, which needs one server session from start to end, but this session goes through a proxy or pooler (the server sees {}).",
                migrations[fi].file_name,
                session.server_sees
            )
            .hint("use a direct URL for `up`, the database server's own host and port; a session-mode pool cannot be told apart from a transaction-mode one, so every pooler is refused here"));
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
    rep.held = plan::held(&p)
        .into_iter()
        .map(|fi| migrations[fi].file_name.clone())
        .collect();
    if args.dry_run && args.sql {
        return crate::commands::dryrun::print(
            &session, args, &shape, &p, migrations, &rows, format,
        )
        .await;
    }
    if args.dry_run {
        rep.plan = p
            .to_apply
            .iter()
            .map(|&fi| migrations[fi].file_name.clone())
            .collect();
        rep.already_applied = count_applied(&p);
        rep.ahead = plan::ahead(&p);
        rep.total_ms = started.elapsed().as_millis();
        // One run: a table an earlier pending migration creates is new in the later ones.
        let mut linter = crate::lint::Linter::new(crate::lint::Options {
            carry: true,
            ..Default::default()
        });
        rep.warnings = p
            .to_apply
            .iter()
            .flat_map(|&fi| linter.file(&migrations[fi], &migrations[fi].text))
            .collect();
        report::up(&rep, format);
        return Ok(Outcome::Ok);
    }
    if let Some(why) = &session.read_only {
        return Err(
            anyhow!("{why}; `up` writes, so it was refused before any write.")
                .hint("run `up` against the primary; `status` and `verify` work here"),
        );
    }
    crate::db::preflight::roles(client, &args.source, migrations, &p.to_apply).await?;

    if let (Some(role), false) = (&args.migration_role, p.to_apply.is_empty()) {
        let placeholders = Placeholders::with_sets(&args.source.set)?;
        let roles: Vec<&str> = ["app_role", "readonly_role"]
            .iter()
            .filter_map(|k| placeholders.get(k))
            .collect();
        session::check_migration_role(client, role, &roles).await?;
    }

    // On a direct session the guard's PL/pgSQL lives in pg_temp, planned once for the whole run;
    // through a pooler (or without TEMP privilege) it travels inline with each migration.
    // Creating them (and pg_temp) costs more than inline planning saves on a handful of migrations.
    let session_functions = session.direct
        && p.to_apply.len() > 3
        && crate::db::rows(
            client,
            &crate::db::guard::session_functions(tracker::LOCK_KEY),
        )
        .await
        .map_err(|e| tracing::debug!("the guard travels inline: {e}"))
        .is_ok();
    let mut settings = Settings {
        ddl_lock_timeout: args.ddl_lock_timeout,
        statement_timeout: args.statement_timeout,
        check_interval: session.version_num >= 140000,
        session_functions,
        record_schema: false,
        session_user: session.user.clone(),
        migration_role: args.migration_role.clone(),
    };
    let progress =
        crate::db::progress::Watch::new(&args.connect, session.direct.then_some(session.pid));
    let watch = crate::db::stall::Watch::new(&args.connect);
    let lock_wait = Duration::from_secs(args.lock_wait);
    let mut waiter = Waiter::new(lock_wait);
    let mut lock_retries = 0u32;
    // Whether this migration was already retried because another session changed public.
    let mut concurrent_retry = false;
    // Re-reads after EN003 in a row that found the tracker as it was (see `Attempt::Stale`).
    let mut unseen_rereads = 0u32;
    let mut last_id = rows.iter().map(|r| r.id).max().unwrap_or(0);
    // public's state, taken by the first migration and checked after every one (see guard.rs).
    let mut baseline: Option<String> = None;
    // The migration whose transaction waits for its COMMIT.
    let mut open: Option<Open> = None;

    loop {
        if crate::db::stop::requested().is_some() {
            // A migration that ran but waits for its COMMIT is rolled back, not committed: the
            // operator asked to stop, and it is reported as not applied.
            let pending = open.take().map(|o| &migrations[o.fi]);
            if pending.is_some() && !client.is_closed() {
                let _ = client.simple_query("ROLLBACK").await;
            }
            report::partial(&rep, format);
            return Err(interrupted(pending, &rep));
        }
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
            p = plan_checked(migrations, &rows, opts)?;
            continue;
        }
        let Some(&fi) = p.to_apply.first() else { break };
        let m = &migrations[fi];
        settings.record_schema = p.to_apply.len() == 1;
        if m.no_transaction {
            // Nothing runs ahead of an open COMMIT that might still fail when what runs cannot be
            // rolled back.
            if let Some(o) = open.take() {
                let c = match watch.run(apply::commit(client)).await {
                    Ok(c) => c,
                    Err(stalled) => {
                        report::partial(&rep, format);
                        return Err(stalled_commit(stalled, &migrations[o.fi], &rep));
                    }
                };
                settle(o, c, migrations, &mut rep, &mut rows, format)?;
            }
        }
        let attempt_start = Instant::now();
        tracing::debug!(version = m.version, name = %m.name, "applying {}", m.path);
        let (attempt, spinner) = if m.no_transaction {
            let spinner = report::spinner(&m.file_name, fenced[fi].statements, format);
            let file_settings = settings.for_file(m);
            let run = crate::db::notx::apply(
                client,
                m,
                &m.text,
                &fenced[fi].ends,
                last_id,
                &file_settings,
            );
            let attempt = match progress
                .during(&m.file_name, spinner.as_ref(), watch.run(run))
                .await
            {
                Ok(a) => a,
                Err(stalled) => {
                    report::partial(&rep, format);
                    return Err(stalled_error(stalled, m, &rep));
                }
            };
            if crate::db::stop::requested().is_some() {
                if let Err(e) = &attempt {
                    tracing::warn!("{}: {e:#}", m.file_name);
                }
                if !matches!(attempt, Ok(Attempt::Applied { .. })) {
                    report::partial(&rep, format);
                    return Err(interrupted(Some(m), &rep));
                }
            }
            (attempt?, spinner)
        } else {
            let file_settings = settings.for_file(m);
            let next = apply::transactional(
                client,
                m,
                &m.text,
                &fenced[fi].ends,
                last_id,
                &file_settings,
                &mut baseline,
            );
            tokio::pin!(next);
            // The previous migration's COMMIT travels right ahead of this one, without a round trip
            // in between, and is reported as soon as it is in. Both are watched together: a path that
            // goes silent leaves the COMMIT's answer outstanding too.
            let finished = match open.take() {
                Some(o) => match watch.run(apply::commit_ahead(client, next.as_mut())).await {
                    Ok((c, out)) => {
                        settle(o, c, migrations, &mut rep, &mut rows, format)?;
                        out
                    }
                    Err(stalled) => {
                        report::partial(&rep, format);
                        return Err(stalled_commit(stalled, &migrations[o.fi], &rep));
                    }
                },
                None => None,
            };
            let spinner = report::spinner(&m.file_name, fenced[fi].statements, format);
            let out = match finished {
                Some(out) => out,
                None => match progress
                    .during(&m.file_name, spinner.as_ref(), watch.run(next.as_mut()))
                    .await
                {
                    Ok(out) => out,
                    Err(stalled) => {
                        report::partial(&rep, format);
                        return Err(stalled_error(stalled, m, &rep));
                    }
                },
            };
            let out = match out {
                Ok(Attempt::Failed { .. }) | Err(_) if crate::db::stop::requested().is_some() => {
                    report::partial(&rep, format);
                    return Err(interrupted(Some(m), &rep));
                }
                out => out,
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
                concurrent_retry = false;
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
                // All of it: a re-applied repeatable file's row keeps its id.
                let before = tracker_state(&rows);
                rows = tracker::read(client, &shape, 0).await?;
                last_id = rows.iter().map(|r| r.id).max().unwrap_or(last_id);
                // The check under the lock saw rows this read does not: the read reached another
                // server than the check (a pooler or proxy sending reads to a lagging replica).
                // Retried a few times, then an error that says so, never a loop.
                if tracker_state(&rows) == before {
                    unseen_rereads += 1;
                    if unseen_rereads >= STALE_REREADS {
                        report::partial(&rep, format);
                        return Err(anyhow!(
                            "the tracker changed since it was read, and {STALE_REREADS} reads of it since showed nothing new: the reads and the migration lock reach different servers{}",
                            applied_before(&rep)
                        )
                        .hint("point `up` at the primary itself (or a pooler that sends every query of a session to it)"));
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                } else {
                    unseen_rereads = 0;
                }
                p = plan_checked(migrations, &rows, opts)?;
            }
            Attempt::Concurrent { detail } if !concurrent_retry => {
                // Another application's DDL, not the migration's: take public's state afresh, once.
                tracing::warn!("{}: another session changed schema public while it ran ({detail}); it was rolled back and runs again", m.file_name);
                concurrent_retry = true;
                baseline = None;
            }
            Attempt::Concurrent { detail } => {
                report::partial(&rep, format);
                bail!(anyhow!(
                    "{} was rolled back twice because other sessions kept changing schema public while it ran: {detail}{}",
                    m.file_name,
                    applied_before(&rep)
                )
                .hint("nothing of the migration was applied; run `en-migrate up` again when the other application's DDL is done"));
            }
            Attempt::Moved { detail } => {
                report::partial(&rep, format);
                return Err(anyhow!(
                    "{} moved sequences of schema public; it was rolled back, but a rollback does not put sequence values back: {detail}{}",
                    m.file_name,
                    applied_before(&rep)
                )
                .kind(Kind::Refused)
                .hint("run the setval statements above (if no other session used those sequences since), then keep every change inside expert_network"));
            }
            Attempt::Breach { detail } => {
                report::partial(&rep, format);
                return Err(anyhow!(
                    "{} changed something outside schema expert_network and was rolled back: {detail}",
                    m.file_name
                )
                .kind(Kind::Refused)
                .hint("the database's own check caught what the static fence did not; keep every change inside expert_network"));
            }
            Attempt::Failed { error, .. }
                if error.code == "55P03" && lock_retries < args.lock_retries =>
            {
                lock_retries += 1;
                let pause = Duration::from_millis(500 << lock_retries.min(5));
                tracing::warn!("{} waited longer than --ddl-lock-timeout for a lock; retry {lock_retries} of {} in {pause:?}", m.file_name, args.lock_retries);
                tokio::select! {
                    _ = tokio::time::sleep(pause) => {}
                    _ = crate::db::stop::wait() => {}
                }
            }
            Attempt::Failed {
                error,
                line,
                column,
            } => {
                let holders = if error.code == "55P03" {
                    Some(apply::lock_holders(client).await)
                } else {
                    None
                };
                report::partial(&rep, format);
                let at = (line, column);
                return Err(failed(m, &error, at, holders, args.lock_retries, &rep));
            }
        }
    }
    if let Some(o) = open.take() {
        if crate::db::stop::requested().is_some() {
            let _ = client.simple_query("ROLLBACK").await;
            report::partial(&rep, format);
            return Err(interrupted(Some(&migrations[o.fi]), &rep));
        }
        let c = match watch.run(apply::commit(client)).await {
            Ok(c) => c,
            Err(stalled) => {
                report::partial(&rep, format);
                return Err(stalled_commit(stalled, &migrations[o.fi], &rep));
            }
        };
        settle(o, c, migrations, &mut rep, &mut rows, format)?;
    }
    // The plan may have been read again mid-run (after EN003), when this run's own rows are in it.
    rep.already_applied = p
        .entries
        .iter()
        .filter(|e| e.state == plan::State::Applied)
        .filter(|e| !rep.applied.iter().any(|a| a.name == e.name))
        .count();
    rep.ahead = plan::ahead(&p);
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
            Err(failed(m, &error, (None, None), None, 0, rep))
        }
        apply::Commit::Lost { error } => {
            report::partial(rep, format);
            Err(anyhow!(
                "the connection was lost while committing {} ({error}); whether it was applied, only the tracker can say.{}",
                m.file_name,
                applied_before(rep)
            )
            .hint(STATUS_THEN_UP))
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
        version: (!m.is_repeatable()).then_some(m.version),
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

/// The error for a migration that failed: where (file, line, column), what the server said, what was
/// applied before.
fn failed(
    m: &Migration,
    error: &crate::db::ServerError,
    (line, column): (Option<usize>, Option<usize>),
    holders: Option<String>,
    lock_retries: u32,
    rep: &UpReport,
) -> anyhow::Error {
    let at = match (line, column) {
        (Some(l), Some(c)) => format!(" at line {l}, column {c}"),
        (Some(l), None) => format!(" at line {l}"),
        _ => String::new(),
    };
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
    if let Some(c) = &error.context {
        msg += &format!("\nContext: {}", c.replace('\n', "\n  "));
    }
    let mut hint = error.hint.clone();
    if error.code == "3F000" && hint.is_none() && error.message.contains("expert_network") {
        hint = Some("schema expert_network does not exist yet: the first migration must create it (CREATE SCHEMA IF NOT EXISTS expert_network), or apply the built-in migrations first (`en-migrate up` without --dir)".into());
    }
    if let Some(h) = holders {
        msg += &format!(
            "\nThe migration could not get its locks within --ddl-lock-timeout after {lock_retries} retries. Sessions holding locks on expert_network:\n  {h}"
        );
        hint = Some("wait for them to finish, or inspect them with SELECT * FROM pg_stat_activity WHERE pid = <pid>".into());
    }
    msg += &applied_before(rep);
    let err = anyhow::Error::new(report::MigrationError {
        text: msg,
        at: report::Located {
            file: Some(m.path.clone()),
            line,
            column,
            sqlstate: Some(error.code.clone()),
            detail: error.detail.clone(),
            context: error.context.clone(),
        },
    });
    match hint {
        Some(h) => err.hint(h),
        None => err,
    }
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

/// The error for a migration whose answer never came (see stall.rs).
fn stalled_error(s: crate::db::stall::Stalled, m: &Migration, rep: &UpReport) -> anyhow::Error {
    anyhow!(
        "gave up waiting for the server while applying {}: {}; {} was not recorded (COMMIT was never sent), and the server ends its open transaction, freeing its locks, within idle_in_transaction_session_timeout (30s).{}",
        m.file_name,
        s.0,
        m.file_name,
        applied_before(rep)
    )
    .hint("check the network path, proxy or pooler between en-migrate and the server, then run `en-migrate up` again")
}

/// What to do when only the tracker can say whether a migration was applied.
const STATUS_THEN_UP: &str = "run `en-migrate status` to see, then `en-migrate up` to continue";

/// The error for a COMMIT whose answer never came: applied or not, only the tracker can say.
fn stalled_commit(s: crate::db::stall::Stalled, m: &Migration, rep: &UpReport) -> anyhow::Error {
    anyhow!(
        "gave up waiting for the server while committing {}: {}; whether it was applied, only the tracker can say.{}",
        m.file_name,
        s.0,
        applied_before(rep)
    )
    .hint(STATUS_THEN_UP)
}

/// The error for a run stopped by SIGINT or SIGTERM: what was rolled back, what stays applied.
fn interrupted(m: Option<&Migration>, rep: &UpReport) -> anyhow::Error {
    let sig = crate::db::stop::name(crate::db::stop::requested().unwrap_or(2));
    let current = match m {
        Some(m) if m.no_transaction => format!(
            "{} was cancelled and is not recorded (it runs without a transaction; an index a cancelled CREATE INDEX CONCURRENTLY leaves INVALID is named on the next run)",
            m.file_name
        ),
        Some(m) => format!("{} was rolled back and is not applied", m.file_name),
        None => "no migration was running".into(),
    };
    let before = applied_before(rep).replace("the failure", "the stop");
    anyhow!("stopped by {sig}: {current}.{before}")
        .kind(Kind::Interrupted)
        .hint("run `en-migrate up` again to continue")
}

fn connection_lost(e: tokio_postgres::Error, m: &Migration, rep: &UpReport) -> anyhow::Error {
    anyhow!(
        "the connection was lost while applying {} ({e}); the server rolls back the open transaction, so {} is not applied.{}",
        m.file_name,
        m.file_name,
        applied_before(rep)
    )
    .hint("run `en-migrate up` again when the server is reachable; it continues where this run stopped")
}

/// The plan over the tracker's rows, refusing drift: what `up` does each time it (re-)reads them.
fn plan_checked(files: &[Migration], rows: &[Applied], opts: Options) -> Result<plan::Plan> {
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
