//! `en-migrate check` and `en-migrate lint`, offline: the static fence (every finding, not just the
//! first; exit 3 when anything is refused) and the lint warnings beside it.

use crate::cli::{CheckArgs, Format, LintArgs};
use crate::db::{session, tracker};
use crate::exit::{Fail, Outcome};
use crate::files::migration::Migration;
use crate::report::{self, CheckReport};
use crate::{fence, lint, plan};
use anyhow::{bail, Result};

pub fn run(args: &CheckArgs, format: Format) -> Result<Outcome> {
    let migrations = super::load(&args.source)?;
    if let (Some(d), true) = (&args.source.dir, migrations.is_empty()) {
        bail!(anyhow::anyhow!(
            "{} holds no migration files (NNN_name.sql); nothing was checked.",
            d.display()
        )
        .hint("check the path given to --dir or EN_MIGRATE_DIR"));
    }
    let mut rep = CheckReport {
        migrations: migrations.len(),
        statements: 0,
        findings: Vec::new(),
        warnings: Vec::new(),
    };
    let model = fence::Model::of(&migrations);
    // Each file is linted and fenced on its own (`check` lints without carrying tables across files),
    // so the files are shared between two threads, in order.
    let judged = fence::shared(
        &migrations,
        |m| m.text.len() + fence::PER_ITEM,
        |m| {
            // Lint first: it reads the model's trees, and the fence takes them.
            let warnings = lint::Linter::new(lint::Options::default()).file_in(&model, m);
            (warnings, fence::check_in(&model, m))
        },
    );
    for (warnings, r) in judged {
        rep.warnings.extend(warnings);
        rep.statements += r.statements;
        rep.findings.extend(r.findings);
    }
    report::check(&rep, format);
    let refused = !rep.findings.is_empty() || (args.deny_warnings && !rep.warnings.is_empty());
    Ok(if refused {
        Outcome::Refused
    } else {
        Outcome::Ok
    })
}

/// `en-migrate lint`: only the warnings. Exit 0 unless an error (a `--live` count found rows the
/// migration would fail on), or `--deny-warnings` and there are warnings (exit 3).
pub fn lint(args: &LintArgs, format: Format) -> Result<Outcome> {
    if args.list_rules {
        report::rules(format);
        return Ok(Outcome::Ok);
    }
    let migrations = super::load(&args.source)?;
    let mut opts = lint::Options::with(&args.rules);
    let (warnings, linted) = if args.live {
        opts.live = true;
        opts.carry = true;
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(lint_live(args, &migrations, opts))?
    } else {
        let mut linter = lint::Linter::new(opts);
        let w: Vec<_> = migrations.iter().flat_map(|m| linter.file(m)).collect();
        (w, migrations.len())
    };
    report::warnings(&warnings, format);
    if format == Format::Text && warnings.is_empty() {
        println!(
            "ok: no warnings in {linted} {}migration{}",
            if args.live { "pending " } else { "" },
            if linted == 1 { "" } else { "s" }
        );
    }
    let errors = warnings.iter().any(|w| w.severity == lint::Severity::Error);
    Ok(if errors || (args.deny_warnings && !warnings.is_empty()) {
        Outcome::Refused
    } else {
        Outcome::Ok
    })
}

/// `lint --live`: the pending migrations only (what `up` would run), as one run, so a table an earlier
/// pending file creates is new in the later ones; then the database answers the questions, all in one
/// read-only transaction.
async fn lint_live(
    args: &LintArgs,
    migrations: &[Migration],
    opts: lint::Options,
) -> Result<(Vec<lint::Warning>, usize)> {
    let session = session::open(&args.connect).await?;
    let client = session.client();
    crate::db::lint_live::begin(client, args.live_timeout).await?;
    let answered = async {
        let shape = tracker::shape(client).await?;
        if let tracker::Shape::Foreign(_) = &shape {
            bail!("{} is not en-migrate's tracker; another tool owns it, so which migrations are pending is unknown", tracker::TABLE);
        }
        let rows = tracker::read(client, &shape, 0, tracker::Columns::Checksums).await?;
        // Held post-deploy files too: `up --post-deploy` runs them against these very rows.
        let everything = plan::Options {
            post_deploy: true,
            ..Default::default()
        };
        let p = plan::plan(migrations, &rows, everything);
        let mut linter = lint::Linter::new(opts);
        let asked: Vec<_> = p
            .to_apply
            .iter()
            .flat_map(|&i| linter.file(&migrations[i]))
            .collect();
        Ok((crate::db::lint_live::resolve(client, asked).await?, p.to_apply.len()))
    }
    .await;
    crate::db::lint_live::end(client).await;
    answered
}
