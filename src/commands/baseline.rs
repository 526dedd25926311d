//! `en-migrate baseline --version V`: records every versioned file up to V as applied without running
//! it, for an `expert_network` made by hand or by another tool. Refuses when the tracker already holds
//! a migration beyond V, when it records a file's version under another name (a renamed file), and
//! when `expert_network` lacks a table that the baselined files create (derived from them as `verify`
//! derives it, `crate::expected`), unless `--force`.
//!
//! Writes only tracker rows (checksum recorded, applied_by `baseline by USER at TIME`, execution_ms
//! NULL: nothing ran), in one transaction under the migration lock. Never runs migration SQL.

use super::{in_lock, read_tracker, say, who_sql, writable};
use crate::cli::{BaselineArgs, Format};
use crate::db;
use crate::db::session;
use crate::db::tracker::{self, Applied, Shape};
use crate::exit::{Fail, Kind, Outcome};
use crate::expected;
use crate::fence::SCHEMA;
use crate::files::migration::Migration;
use anyhow::{anyhow, Result};
use serde::Serialize;
use std::time::Duration;

#[derive(Debug, Serialize)]
struct Report {
    version: u64,
    /// Recorded as applied by this run (or, with --dry-run, what would be).
    recorded: Vec<String>,
    /// Already in the tracker, left as they are.
    already_recorded: Vec<String>,
    /// Tables the baselined files create that expert_network lacks (allowed only with --force).
    missing_tables: Vec<String>,
    dry_run: bool,
}

pub async fn run(args: &BaselineArgs, format: Format) -> Result<Outcome> {
    let migrations = super::load(&args.source)?;
    let v = args.version;
    if !migrations
        .iter()
        .any(|m| !m.is_repeatable() && m.version == v)
    {
        return Err(anyhow!("--version {v}: no migration has that version").kind(Kind::Usage));
    }
    let upto: Vec<usize> = (0..migrations.len())
        .filter(|&i| !migrations[i].is_repeatable() && migrations[i].version <= v)
        .collect();
    let session = session::open(&args.connect).await?;
    let (shape, rows) = read_tracker(&session).await?;
    let beyond: Vec<&str> = rows
        .iter()
        .filter(|r| r.version().is_some_and(|rv| rv > v))
        .map(|r| r.migration_name.as_str())
        .collect();
    if !beyond.is_empty() {
        return Err(anyhow!(
            "the tracker already records migrations beyond version {v}: {}; baseline only marks the start of a history, so nothing was changed.",
            beyond.join(", ")
        )
        .kind(Kind::Drift)
        .hint("`en-migrate status` shows what is recorded"));
    }
    let recorded_names: std::collections::HashSet<String> =
        rows.iter().map(|r| r.file_name()).collect();
    let (already, todo): (Vec<usize>, Vec<usize>) = upto
        .iter()
        .partition(|&&i| recorded_names.contains(&migrations[i].file_name));
    refuse_renamed(&migrations, &rows, &todo)?;

    // What the baselined files create, against what expert_network holds.
    let texts: Vec<&str> = upto.iter().map(|&i| migrations[i].text.as_str()).collect();
    let want = expected::derive(&texts);
    let found: std::collections::HashSet<String> = db::rows(
        session.client(),
        &format!("SELECT tablename::text FROM pg_catalog.pg_tables WHERE schemaname = '{SCHEMA}'"),
    )
    .await?
    .into_iter()
    .filter_map(|r| r.into_iter().next().flatten())
    .collect();
    let missing: Vec<String> = want
        .tables
        .iter()
        .filter(|t| !found.contains(*t))
        .cloned()
        .collect();
    let rep = Report {
        version: v,
        recorded: todo
            .iter()
            .map(|&i| migrations[i].file_name.clone())
            .collect(),
        already_recorded: already
            .iter()
            .map(|&i| migrations[i].file_name.clone())
            .collect(),
        missing_tables: missing.clone(),
        dry_run: args.dry_run,
    };
    if !missing.is_empty() && !args.force {
        print(&rep, format);
        return Err(anyhow!(
            "{SCHEMA} lacks {} that the migrations up to version {v} create: {}; recording them as applied would hide that, so nothing was changed.",
            if missing.len() == 1 { "a table" } else { "tables" },
            missing.join(", ")
        )
        .kind(Kind::Drift)
        .hint("baseline at the version this schema was really built to, or pass --force if the difference is intended"));
    }
    if args.dry_run || todo.is_empty() {
        print(&rep, format);
        return Ok(Outcome::Ok);
    }
    writable(&session, "baseline")?;
    let mut body = String::new();
    if matches!(shape, Shape::Absent) {
        body += &tracker::still_absent_sql();
    }
    if !matches!(shape, Shape::Ours) {
        body += &tracker::ensure_sql();
    }
    for &i in &todo {
        let m = &migrations[i];
        body += &format!(
            "INSERT INTO {} (migration_name, checksum, execution_ms, applied_by) VALUES ({}, {}, NULL, {});\n",
            tracker::TABLE,
            db::literal(&m.file_name),
            db::literal(&m.checksum),
            who_sql("baseline")
        );
    }
    // Any tracker that exists (an adopted one too) is checked for rows written since it was read:
    // a runner that applied a migration beyond V meanwhile must stop this baseline.
    let last_id = match shape {
        Shape::Absent => None,
        _ => Some(rows.iter().map(|r| r.id).max().unwrap_or(0)),
    };
    in_lock(
        &session,
        last_id,
        &body,
        Duration::from_secs(args.lock_wait),
        |_| Ok(()),
    )
    .await?;
    print(&rep, format);
    Ok(Outcome::Ok)
}

/// A file whose version the tracker records under another name was renamed (or replaced): recording
/// it would leave the old row without a file, drift for every later `up`.
fn refuse_renamed(migrations: &[Migration], rows: &[Applied], todo: &[usize]) -> Result<()> {
    let renamed: Vec<String> = todo
        .iter()
        .filter_map(|&i| {
            let m = &migrations[i];
            rows.iter()
                .find(|r| r.version() == Some(m.version))
                .map(|r| format!("{}'s version as {}", m.file_name, r.migration_name))
        })
        .collect();
    if renamed.is_empty() {
        return Ok(());
    }
    Err(anyhow!(
        "the tracker records {} (renamed files); recording them too would leave those rows without a file, so nothing was changed.",
        renamed.join(", ")
    )
    .kind(Kind::Drift)
    .hint("give the file its recorded name back (`en-migrate status` shows what is recorded)"))
}

fn print(rep: &Report, format: Format) {
    if format == Format::Json {
        crate::report::json("baseline", rep);
        return;
    }
    let verb = if rep.dry_run {
        "would record"
    } else {
        "recorded"
    };
    for r in &rep.recorded {
        say(&format!("{verb} {r} as applied (baseline, not run)"));
    }
    for r in &rep.already_recorded {
        say(&format!("already recorded {r}"));
    }
    if !rep.missing_tables.is_empty() {
        say(&format!(
            "{SCHEMA} lacks {} (the baselined files create {})",
            rep.missing_tables.join(", "),
            if rep.missing_tables.len() == 1 {
                "it"
            } else {
                "them"
            }
        ));
    }
    if rep.recorded.is_empty() {
        say(&format!(
            "nothing to record: every migration up to version {} is recorded",
            rep.version
        ));
    }
}
