//! `en-migrate check`: the static fence over every migration, offline. Lists every finding, not just
//! the first; exit 3 when anything is refused.

use crate::cli::{CheckArgs, Format};
use crate::exit::Outcome;
use crate::fence;
use crate::report::{self, CheckReport};
use crate::up;
use anyhow::Result;

pub fn run(args: &CheckArgs, format: Format) -> Result<Outcome> {
    let loaded = up::load(&args.source)?;
    let mut rep = CheckReport {
        migrations: loaded.migrations.len(),
        statements: 0,
        findings: Vec::new(),
    };
    for (m, text) in loaded.migrations.iter().zip(&loaded.texts) {
        let r = fence::check(m, text);
        rep.statements += r.statements;
        rep.findings.extend(r.findings);
    }
    report::check(&rep, format);
    Ok(if rep.findings.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Refused
    })
}
