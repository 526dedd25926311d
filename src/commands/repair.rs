//! `en-migrate repair`: after an intentional edit of an applied file (a comment, a typo in a message),
//! shows each applied versioned file whose checksum changed, old and new, and with `--yes` records the
//! new checksum, so `up` stops refusing with drift. The row keeps its id, applied_at and
//! execution_ms; applied_by gains `; repaired by USER at TIME (checksum was OLD)`, so the tracker says
//! who accepted the edit, when, and what was applied before it.
//!
//! Refuses to touch a file named on the command line that is pending, missing, or unchanged; a
//! repeatable file needs no repair (`up` re-applies it). Never runs migration SQL; writes in one
//! transaction under the migration lock, and only rows whose checksum is still the one it showed.

use super::{in_lock, read_tracker, say, who_sql, writable};
use crate::cli::{Format, RepairArgs};
use crate::db;
use crate::db::session;
use crate::db::tracker::TABLE as TRACKER;
use crate::exit::{Fail, Kind, Outcome};
use crate::plan::{self, Options, State};
use anyhow::{anyhow, Result};
use serde::Serialize;
use std::time::Duration;

#[derive(Debug, Clone, Serialize)]
struct Changed {
    name: String,
    recorded: String,
    file: String,
}

#[derive(Debug, Serialize)]
struct Report {
    changed: Vec<Changed>,
    /// True when the new checksums were recorded (`--yes`).
    repaired: bool,
}

pub async fn run(args: &RepairArgs, format: Format) -> Result<Outcome> {
    let migrations = super::load(&args.source)?;
    let session = session::open(&args.connect).await?;
    let (_, rows) = read_tracker(&session).await?;
    let p = plan::plan(&migrations, &rows, Options::default());
    for name in &args.files {
        let entry = p.entries.iter().find(|e| &e.name == name);
        let why = match entry.map(|e| (e.state, e.repeatable)) {
            Some((State::Changed, false)) => continue,
            None => "no file or tracker row has that name",
            Some((State::Changed, true)) => "it is repeatable: `en-migrate up` re-applies it",
            Some((State::Applied, _)) => "it is applied and unchanged",
            Some((State::Pending | State::Held, _)) => {
                "it is pending: nothing was applied to repair; `en-migrate up` applies it"
            }
            Some((State::Missing, _)) => {
                "it has no file: restore the file, or pass --ignore-missing to `up`"
            }
            Some((State::Ahead, _)) => {
                "a newer release applied it and this release has no file for it: repair it from that release"
            }
        };
        return Err(anyhow!("cannot repair {name}: {why}; nothing was changed").kind(Kind::Usage));
    }
    let changed: Vec<(i64, Changed)> = p
        .entries
        .iter()
        .filter(|e| e.state == State::Changed && !e.repeatable)
        .filter(|e| args.files.is_empty() || args.files.contains(&e.name))
        .filter_map(|e| {
            let (r, f) = (&rows[e.row?], &migrations[e.file?]);
            Some((
                r.id,
                Changed {
                    name: e.name.clone(),
                    recorded: r.checksum.clone().unwrap_or_default(),
                    file: f.checksum.clone(),
                },
            ))
        })
        .collect();
    let mut rep = Report {
        changed: changed.iter().map(|(_, c)| c.clone()).collect(),
        repaired: false,
    };
    if !changed.is_empty() && args.yes {
        writable(&session, "repair")?;
        let mut body = String::new();
        for (id, c) in &changed {
            body += &format!(
                "UPDATE {TRACKER} SET checksum = {new}, applied_by = pg_catalog.concat_ws('; ', applied_by, {who} || ' (checksum was ' || {old} || ')') \
                 WHERE id = {id} AND checksum = {old} RETURNING id;\n",
                new = db::literal(&c.file),
                old = db::literal(&c.recorded),
                who = who_sql("repaired"),
            );
        }
        let want = changed.len();
        let last_id = rows.iter().map(|r| r.id).max();
        in_lock(
            &session,
            last_id,
            &body,
            Duration::from_secs(args.lock_wait),
            |got| {
                if got.len() == want {
                    Ok(())
                } else {
                    Err(anyhow!(
                        "another session changed a checksum while repair ran; nothing was changed."
                    )
                    .hint("run `en-migrate repair` again"))
                }
            },
        )
        .await?;
        rep.repaired = true;
    }
    print(&rep, format);
    Ok(Outcome::Ok)
}

fn print(rep: &Report, format: Format) {
    if format == Format::Json {
        crate::report::json("repair", rep);
        return;
    }
    if rep.changed.is_empty() {
        say("nothing to repair: no applied migration's file has changed");
        return;
    }
    for c in &rep.changed {
        say(&format!(
            "{}: recorded checksum {}, the file now has {}",
            c.name, c.recorded, c.file
        ));
    }
    if rep.repaired {
        say(&format!(
            "recorded the new checksum of {} migration{}; nothing was run",
            rep.changed.len(),
            if rep.changed.len() == 1 { "" } else { "s" }
        ));
    } else {
        say("nothing was changed: run `en-migrate repair --yes` to record the new checksums (only if the edit changes nothing the database holds; otherwise restore the file and write a new migration)");
    }
}
