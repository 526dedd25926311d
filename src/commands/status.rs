//! `en-migrate status`: every migration known to the files or the tracker, with its state (applied,
//! pending, changed, missing, or held: a post-deploy file a plain `up` holds back). Reads only; works
//! on a hot standby.

use crate::cli::{Format, StatusArgs};
use crate::db::{session, tracker};
use crate::exit::{Fail, Kind, Outcome};
use crate::plan::{self, Options};
use crate::report::{self, StatusRow};
use anyhow::{anyhow, Result};

pub async fn run(args: &StatusArgs, format: Format) -> Result<Outcome> {
    let source = args.source.clone();
    let (migrations, session, opening) = session::open_beside(
        &args.connect,
        move || super::load(&source),
        |c| Box::pin(tracker::opening(c, tracker::Columns::WithTimes)),
    )
    .await?;
    let (shape, rows) = opening?;
    crate::db::stop::register(session.client(), &args.connect, session.pid).await;
    if let tracker::Shape::Foreign(cols) = &shape {
        return Err(anyhow!(
            "{} is not en-migrate's tracker (columns: {}); another tool owns it",
            tracker::TABLE,
            cols.iter()
                .map(|(c, _)| c.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
        .kind(Kind::Drift));
    }
    let opts = Options {
        strict: args.strict,
        ..Options::default()
    };
    let p = plan::plan(&migrations, &rows, opts);
    let out: Vec<StatusRow> = p
        .entries
        .iter()
        .map(|e| {
            let row = e.row.map(|ri| &rows[ri]);
            StatusRow {
                version: e.version,
                name: e.name.clone(),
                state: e.state,
                repeatable: e.repeatable,
                applied_at: row.and_then(|r| r.applied_at.clone()),
                execution_ms: row.and_then(|r| r.execution_ms),
            }
        })
        .collect();
    report::status(&out, format);
    // Read-only, so drift is only reported here; with --strict a newer release's migrations count.
    let strict_drift = plan::drift(&p, &migrations, &rows, opts);
    if args.strict && p.entries.iter().any(|e| e.state == plan::State::Ahead) {
        eprintln!(
            "the database is ahead of these files, which --strict counts as drift:\n  {}",
            strict_drift.join("\n  ")
        );
        return Ok(Outcome::Drift);
    }
    Ok(Outcome::Ok)
}
