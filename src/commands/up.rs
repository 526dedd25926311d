//! `en-migrate up`: load, fence, plan against the tracker, then apply pending migrations one
//! transaction at a time, waiting politely for other runners.
//!
//! Owns the decisions: the early fence, `--target`, the tracker's owner, drift, the fence of pending
//! files, the pooler and read-only refusals, the dry run, the role checks. The checks on the server
//! travel in one round trip with the first migration's opening while the pending files are fenced
//! (`ahead`). The apply loop that follows them (lock waits, retries, re-planning, adoption of the
//! seed's tracker, the report of what was applied before a failure) is `runner`'s.

mod ahead;
mod failure;
mod runner;
mod waiter;

use crate::cli::{Format, UpArgs};
use crate::db::apply::Settings;
use crate::db::session::{self, Session};
use crate::db::tracker::{self, Shape};
use crate::exit::{Fail, Kind, Outcome};
use crate::fence::{self, Checked, Finding};
use crate::files::migration::Migration;
use crate::plan::{self, Options, Plan};
use crate::report::{self, UpReport};
use ahead::{ahead, settle_opened, Opened};
use anyhow::{anyhow, bail, Result};
use runner::{plan_checked, Runner, Start};
use std::time::Instant;

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

/// Loads the files and fences what a transaction would refuse anyway (see fence_before_connecting),
/// refusing structural findings. Runs on a blocking thread while the session opens
/// (`session::open_beside`), whose connection error never hides this refusal; nor a `--target` that
/// names no file. Returns the files, and the model of what they create if it was read, for the fence
/// of the pending files to use rather than read every file again.
fn fence_early(
    source: &crate::cli::SourceOpts,
    target: Option<u64>,
    format: crate::cli::Format,
) -> Result<(Vec<Checked>, Option<fence::Model>)> {
    let mut migrations: Vec<Checked> = super::load(source)?
        .into_iter()
        .map(Checked::unread)
        .collect();
    // What every file creates, read only once something is to be fenced (a no-op run parses nothing).
    let read = std::cell::OnceCell::new();
    let model = |all: &[Checked]| read.get_or_init(|| fence::Model::of(all));
    for i in 0..migrations.len() {
        let m = &migrations[i];
        if fence_before_connecting(m, &m.text) {
            let r = fence::check_in(model(&migrations), m);
            migrations[i].report = Some(r);
        }
    }
    let structural = migrations
        .iter()
        .filter_map(|m| m.report.as_ref())
        .flat_map(|r| &r.findings)
        // A refusal that means the file could never have applied cleanly (`fence::rules`).
        .any(|f| f.rule.about().structural);
    if structural {
        // Stopping here, report every refusal `check` would, not only the ones that stopped it.
        let all: Vec<Finding> = migrations
            .iter()
            .flat_map(|m| match &m.report {
                Some(r) => r.findings.clone(),
                None => fence::check_in(model(&migrations), m).findings,
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
    Ok((migrations, read.into_inner()))
}

pub async fn run(args: &UpArgs, format: Format) -> Result<Outcome> {
    let started = Instant::now();
    // Every up document says what was applied, even when the run fails before applying anything.
    report::partial(&UpReport::default(), format);
    let (source, target) = (args.source.clone(), args.target);
    let ((mut migrations, model), session, opening) = session::open_beside(
        &args.connect,
        move || fence_early(&source, target, format),
        |c| Box::pin(tracker::opening(c, tracker::Columns::Checksums)),
    )
    .await?;
    let client = session.client();
    crate::db::stop::register(client, &args.connect, session.pid).await;
    let opts = Options {
        ignore_missing: args.ignore_missing,
        allow_out_of_order: args.allow_out_of_order,
        target: args.target,
        post_deploy: args.post_deploy,
        strict: args.strict,
    };

    let (shape, rows) = opening?;
    if let Shape::Foreign(cols) = &shape {
        let cols: Vec<String> = cols.iter().map(|(c, t)| format!("{c} {t}")).collect();
        return Err(anyhow!(
            "{} exists but is not en-migrate's tracker (columns: {}); another tool (golang-migrate, dbmate, Rails?) owns it.",
            tracker::TABLE,
            cols.join(", ")
        )
        .kind(Kind::Drift)
        .hint("nothing was changed; point en-migrate at the database it owns, or rename that table"));
    }
    let p = plan_checked(&migrations, &rows, opts)?;
    if args.refuse_on_drift {
        crate::verify::drift::refuse(client, &shape, session.version_num).await?;
    }
    if args.dry_run || session.read_only.is_some() {
        // Nothing would be applied: the fence, then what is shown or refused.
        fence_pending(&mut migrations, model, &p, format)?;
        let migrations: &[Checked] = Vec::leak(migrations);
        refuse_pooled_no_transaction(&session, migrations, &p)?;
        let mut rep = report_of(args, &p, &rows, migrations);
        if args.dry_run && args.sql {
            return crate::commands::dryrun::print(
                &session, args, &shape, &p, migrations, &rows, format,
            )
            .await;
        }
        if args.dry_run {
            dry_run(&mut rep, &p, migrations, started);
            report::up(&rep, format);
            return Ok(Outcome::Ok);
        }
        let why = session.read_only.as_deref().unwrap_or_default();
        return Err(
            anyhow!("{why}; `up` writes, so it was refused before any write.")
                .hint("run `up` against the primary; `status` and `verify` work here"),
        );
    }
    // The pending files are fenced on a blocking thread while the last checks, the guard's functions
    // and the first migration's opening (or, with no tracker yet, the tracker's creation) travel to
    // the server together, in one round trip (`ahead`). Nothing of that is committed before every
    // refusal has been looked for, the fence's first, in the order of checking one after the other;
    // a refusal, or a stop asked for meanwhile, rolls it back.
    let all = std::sync::Arc::new(migrations);
    let started_fence = Instant::now();
    // No thread when nothing is pending (a no-op run): there is nothing to fence.
    let fencing = async {
        if p.to_apply.is_empty() {
            return Ok(Vec::new());
        }
        let (all, pending) = (all.clone(), p.to_apply.clone());
        tokio::task::spawn_blocking(move || fence_reports(&all, model, &pending)).await
    };
    let ((checked, settings, opened), reports) =
        futures_util::future::join(ahead(&session, args, &all, &p, &shape, &rows), fencing).await;
    let reports = match reports {
        Ok(r) => r,
        Err(e) => match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => return Err(anyhow!("fencing the pending files stopped: {e}")),
        },
    };
    let mut migrations =
        std::sync::Arc::try_unwrap(all).expect("the fence's thread has let go of the files");
    for (fi, r) in reports {
        migrations[fi].report = Some(r);
    }
    // Every file, for the rest of the process: left to the exit rather than freed one by one at the
    // end of the run (freeing a long history's 10,000 files took as long as planning over them).
    let migrations: &[Checked] = Vec::leak(migrations);
    let verdict = refuse_findings(migrations, &p, format)
        .and_then(|()| refuse_pooled_no_transaction(&session, migrations, &p))
        .and(checked)
        .and_then(|()| match crate::db::stop::requested() {
            // As the loop stops between migrations: nothing of this run is committed.
            Some(_) => {
                report::partial(&UpReport::default(), format);
                Err(failure::interrupted(None, &UpReport::default()))
            }
            None => Ok(()),
        });
    // What was opened is rolled back on a refusal, and after a long fence too: it has sat idle under
    // the pinned idle_in_transaction_session_timeout (30 s), and could die under the first migration.
    let idle_too_long = started_fence.elapsed() > ahead::LONGEST_IDLE;
    let opened = match opened {
        Opened::Nothing => Opened::Nothing,
        o if verdict.is_ok() && !idle_too_long => o,
        _ => {
            if !client.is_closed() {
                let _ = client.simple_query("ROLLBACK").await;
            }
            Opened::Nothing
        }
    };
    verdict?;
    let last_id = rows.iter().map(|r| r.id).max().unwrap_or(0);
    let first = p
        .to_apply
        .first()
        .map(|&fi| settings.for_file(&migrations[fi]));
    let (shape, taken) = match first {
        Some(first) => settle_opened(client, opened, shape, &first, last_id).await?,
        None => (shape, None),
    };
    let rep = report_of(args, &p, &rows, migrations);
    Runner::new(Start {
        session: &session,
        args,
        format,
        migrations,
        opts,
        shape,
        rows,
        plan: p,
        rep,
        settings,
        started,
        taken,
    })
    .run()
    .await
}

/// The up report's start: what the plan adopts from the seed's tracker and holds back.
fn report_of(
    args: &UpArgs,
    p: &Plan,
    rows: &[tracker::Applied],
    migrations: &[Checked],
) -> UpReport {
    UpReport {
        dry_run: args.dry_run,
        adopted: p
            .backfill
            .iter()
            .map(|&(ri, _)| rows[ri].migration_name.clone())
            .collect(),
        held: plan::held(p)
            .into_iter()
            .map(|fi| migrations[fi].file_name.clone())
            .collect(),
        ..Default::default()
    }
}

/// Fences every pending file not fenced yet, refusing them all if any is refused (`refuse_findings`).
/// After it, every pending file has its report; an applied file is never read. `model` is the early
/// fence's, when it read one.
fn fence_pending(
    migrations: &mut [Checked],
    model: Option<fence::Model>,
    p: &Plan,
    format: Format,
) -> Result<()> {
    for (fi, r) in fence_reports(migrations, model, &p.to_apply) {
        migrations[fi].report = Some(r);
    }
    refuse_findings(migrations, p, format)
}

/// The fence's reports on the `pending` files it has not read yet, by index.
fn fence_reports(
    migrations: &[Checked],
    model: Option<fence::Model>,
    pending: &[usize],
) -> Vec<(usize, fence::Report)> {
    let unfenced: Vec<usize> = pending
        .iter()
        .copied()
        .filter(|&fi| migrations[fi].report.is_none())
        .collect();
    if unfenced.is_empty() {
        return Vec::new();
    }
    // What every file creates, read only now that something pending is to be fenced.
    let model = model.unwrap_or_else(|| fence::Model::of(migrations));
    let items: Vec<&Migration> = unfenced
        .iter()
        .map(|&fi| &migrations[fi].migration)
        .collect();
    let reports = fence::check_pending(&model, &items);
    model.drop_trees();
    unfenced.into_iter().zip(reports).collect()
}

/// Refuses the run if any pending file (all fenced) is refused: refusals of pending migrations stop
/// everything; refusals of applied ones are history.
fn refuse_findings(migrations: &[Checked], p: &Plan, format: Format) -> Result<()> {
    let refused: Vec<Finding> = p
        .to_apply
        .iter()
        .filter_map(|&fi| migrations[fi].report.as_ref())
        .flat_map(|r| r.findings.iter().cloned())
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
    Ok(())
}

/// A pending no-transaction migration needs one server session from start to end.
fn refuse_pooled_no_transaction(session: &Session, migrations: &[Checked], p: &Plan) -> Result<()> {
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
    Ok(())
}

/// The report of a dry run: the plan, and the lint's warnings on what it would apply.
fn dry_run(rep: &mut UpReport, p: &Plan, migrations: &[Checked], started: Instant) {
    rep.plan = p
        .to_apply
        .iter()
        .map(|&fi| migrations[fi].file_name.clone())
        .collect();
    rep.already_applied = count_applied(p);
    rep.ahead = plan::ahead(p);
    rep.total_ms = started.elapsed().as_millis();
    // One run: a table an earlier pending migration creates is new in the later ones.
    let mut linter = crate::lint::Linter::new(crate::lint::Options {
        carry: true,
        ..Default::default()
    });
    rep.warnings = p
        .to_apply
        .iter()
        .flat_map(|&fi| linter.file(&migrations[fi]))
        .collect();
}

/// How each migration is applied in this session, `pending` of them. The guard's PL/pgSQL lives in
/// pg_temp, planned once for the whole run, also through a proxy or pooler (the server sees another
/// address on a NAT, an SSH tunnel or a cloud proxy too): when a transaction reaches a server session
/// without them, the run sends it inline from then on (`Attempt::GuardGone`). Whether they are made is
/// decided here; `ahead` makes them, and turns this off if it cannot (no TEMP privilege). `up
/// --dry-run --sql` shows what this decides.
pub fn settings(session: &Session, args: &UpArgs, pending: usize) -> Settings {
    Settings {
        ddl_lock_timeout: args.ddl_lock_timeout,
        statement_timeout: args.statement_timeout,
        check_interval: session.version_num >= 140000,
        session_functions: crate::db::guard::worth_session_functions(pending),
        function_oids: None,
        record_schema: false,
        session_user: session.user.clone(),
        migration_role: args.migration_role.clone(),
        isolation: None,
    }
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
