//! What `up` prints: the spinner while a migration runs, a line per applied migration, and the
//! run's summary (text, or the `up` JSON document's fields).

use super::check::write_warnings;
use super::status::write_ahead;
use super::{github, json, plural, to_stdout};
use crate::cli::Format;
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Default, Serialize)]
pub struct UpReport {
    pub applied: Vec<AppliedItem>,
    pub already_applied: usize,
    /// Applied by a newer release, newer than every file here: the database is ahead (not drift
    /// unless --strict).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ahead: Vec<String>,
    /// Rows adopted from the seed's runner whose checksums were recorded in this run.
    pub adopted: Vec<String>,
    pub dry_run: bool,
    /// With --dry-run: what would be applied, in order.
    pub plan: Vec<String>,
    /// Pending post-deploy files this run held back (`up --post-deploy` applies them).
    pub held: Vec<String>,
    /// With --dry-run: lint warnings of the pending migrations.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<crate::lint::Warning>,
    pub total_ms: u128,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppliedItem {
    /// None for a repeatable file.
    pub version: Option<u64>,
    pub name: String,
    pub duration_ms: u128,
}

/// A spinner with the running migration and its elapsed time: only on a terminal, never in CI, never
/// with `--format json`, so piped output carries no escape codes.
pub fn spinner(name: &str, statements: usize, format: Format) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if format != Format::Text
        || !std::io::stdout().is_terminal()
        || std::env::var_os("CI").is_some()
    {
        return None;
    }
    let pb = indicatif::ProgressBar::new_spinner();
    let style =
        indicatif::ProgressStyle::with_template("{spinner} applying {msg} ({elapsed})").ok()?;
    pb.set_style(style);
    pb.set_message(format!(
        "{name}, {statements} statement{}",
        plural(statements)
    ));
    pb.enable_steady_tick(std::time::Duration::from_millis(100));
    Some(pb)
}

pub fn applied_line(item: &AppliedItem, format: Format) {
    if format == Format::Text {
        to_stdout(|w| write_applied(w, item));
    }
}

pub(super) fn write_applied(w: &mut impl Write, item: &AppliedItem) -> std::io::Result<()> {
    say!(w, "applied {} ({} ms)", item.name, item.duration_ms);
    Ok(())
}

/// What a failed `up` applied before it stopped: in JSON only, since the text lines were printed as
/// each migration was applied and the error says the rest.
pub fn partial(rep: &UpReport, format: Format) {
    if format == Format::Json {
        json("up", rep);
    }
}

pub fn up(rep: &UpReport, format: Format) {
    if format == Format::Json {
        return json("up", rep);
    }
    to_stdout(|w| write_up(w, rep, github()));
}

/// `up`'s closing lines in text (each applied migration had its line as it was applied).
pub(super) fn write_up(w: &mut impl Write, rep: &UpReport, github: bool) -> std::io::Result<()> {
    for a in &rep.adopted {
        say!(
            w,
            "adopted {a} from the earlier runner's tracker; recorded its checksum"
        );
    }
    for h in &rep.held {
        say!(w, "held {h} (post-deploy): apply it with `en-migrate up --post-deploy` once the release that stops using what it removes is rolled out");
    }
    write_ahead(w, &rep.ahead)?;
    if rep.dry_run {
        if rep.plan.is_empty() {
            say!(
                w,
                "dry run: nothing to apply ({} already applied)",
                rep.already_applied
            );
        } else {
            say!(
                w,
                "dry run: would apply {} migration{}, in this order:",
                rep.plan.len(),
                plural(rep.plan.len())
            );
            for p in &rep.plan {
                say!(w, "  {p}");
            }
        }
        return write_warnings(w, &rep.warnings, github);
    }
    if rep.applied.is_empty() {
        say!(
            w,
            "nothing to do: {} migration{} already applied",
            rep.already_applied,
            plural(rep.already_applied)
        );
    } else {
        say!(
            w,
            "{} applied, {} already applied, in {} ms",
            rep.applied.len(),
            rep.already_applied,
            rep.total_ms
        );
    }
    Ok(())
}
