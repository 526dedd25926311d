//! `en-migrate check` and `en-migrate lint`, offline: the static fence (every finding, not just the
//! first; exit 3 when anything is refused) and the lint warnings beside it.

use crate::cli::{CheckArgs, Format, LintArgs};
use crate::exit::Outcome;
use crate::report::{self, CheckReport};
use crate::{fence, lint, up};
use anyhow::Result;

pub fn run(args: &CheckArgs, format: Format) -> Result<Outcome> {
    let loaded = up::load(&args.source)?;
    if let (Some(d), true) = (&args.source.dir, loaded.migrations.is_empty()) {
        anyhow::bail!(
            "{} holds no migration files (NNN_name.sql); nothing was checked.\nHint: check the path given to --dir or EN_MIGRATE_DIR",
            d.display()
        );
    }
    let mut rep = CheckReport {
        migrations: loaded.migrations.len(),
        statements: 0,
        findings: Vec::new(),
        warnings: Vec::new(),
    };
    for (m, text) in loaded.migrations.iter().zip(&loaded.texts) {
        let r = fence::check(m, text);
        rep.statements += r.statements;
        rep.findings.extend(r.findings);
        rep.warnings.extend(lint::lint(m, text));
    }
    report::check(&rep, format);
    let refused = !rep.findings.is_empty() || (args.deny_warnings && !rep.warnings.is_empty());
    Ok(if refused {
        Outcome::Refused
    } else {
        Outcome::Ok
    })
}

/// `en-migrate lint`: only the warnings. Exit 0 unless `--deny-warnings` and there are some (exit 3).
pub fn lint(args: &LintArgs, format: Format) -> Result<Outcome> {
    let loaded = up::load(&args.source)?;
    let warnings: Vec<_> = loaded
        .migrations
        .iter()
        .zip(&loaded.texts)
        .flat_map(|(m, t)| lint::lint(m, t))
        .collect();
    report::warnings(&warnings, format);
    if format == Format::Text && warnings.is_empty() {
        let n = loaded.migrations.len();
        println!(
            "ok: no warnings in {n} migration{}",
            if n == 1 { "" } else { "s" }
        );
    }
    Ok(if args.deny_warnings && !warnings.is_empty() {
        Outcome::Refused
    } else {
        Outcome::Ok
    })
}
