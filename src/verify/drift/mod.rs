//! Drift: every object of expert_network compared with what the migrations made. Owns choosing which
//! record (`db::schema_record`, stored in the tracker row of the last migration of each `up` run) or
//! replay is fair to compare with, and the `drift` check of plain `verify`, `verify --drift` and
//! `up --refuse-on-drift`.
//!
//! Reads only. It must never
//! report drift it cannot stand behind: a tracker without records, a record older than the newest
//! applied migration, one of another record format or server major are reported as such (with
//! `--shadow-url` as the way to compare), never as differences.

pub mod diff;
mod print;
mod shadow;

use crate::cli::{Format, VerifyArgs};
use crate::db;
use crate::db::schema_record::{snapshot, Snapshot, FORMAT};
use crate::db::tracker::{self, Shape};
use crate::exit::{Fail, Kind, Outcome};
use crate::files::migration::Migration;
use crate::report::VerifyCheck;
use anyhow::{anyhow, Context, Result};
use diff::{Difference, State};
use serde::Serialize;
use tokio_postgres::Client;

use crate::db::tracker::TABLE as TRACKER;

/// What the live schema is compared with.
pub struct Expectation {
    /// Where it came from, for people: `the record of 003_grants.sql (tracker row 3)`.
    pub from: String,
    pub source: &'static str,
    pub snapshot: Snapshot,
    /// Every record, oldest first (for attribution); empty for a shadow.
    pub records: Vec<(i64, Snapshot)>,
}

/// The record to compare with, or why there is none that is fair to use.
async fn from_records(
    client: &Client,
    shape: &Shape,
    all: bool,
    live_version: i32,
) -> Result<std::result::Result<Expectation, String>> {
    const SHADOW: &str = "compare with a replay of the migrations instead: `en-migrate verify --drift --shadow-url URL` (or `--shadow`)";
    let has_column = match shape {
        Shape::Ours => true,
        Shape::Seed { missing } => !missing.contains(&"schema_snapshot"),
        Shape::Absent | Shape::Foreign(_) => return Ok(Err("no en-migrate tracker here".into())),
    };
    if !has_column {
        return Ok(Err(format!("the tracker predates schema records (adopted from the earlier runner, or written by an earlier en-migrate); the next `en-migrate up` that applies a migration records one; {SHADOW}")));
    }
    let sql = format!(
        "SELECT id::text, migration_name, schema_snapshot::text, (SELECT max(id) FROM {t})::text FROM {t} \
         WHERE schema_snapshot IS NOT NULL ORDER BY id DESC{}",
        if all { "" } else { " LIMIT 1" },
        t = TRACKER
    );
    let rows = db::rows(client, &sql)
        .await
        .with_context(|| format!("cannot read the schema records in {TRACKER}"))?;
    let Some(newest) = rows.first() else {
        return Ok(Err(format!(
            "no applied migration has a schema record (the rows predate it); {SHADOW}"
        )));
    };
    let cell = |r: &Vec<Option<String>>, i: usize| r.get(i).cloned().flatten().unwrap_or_default();
    let id: i64 = cell(newest, 0).parse().unwrap_or(0);
    let max: i64 = cell(newest, 3).parse().unwrap_or(0);
    let name = cell(newest, 1);
    if max > id {
        return Ok(Err(format!("migrations applied after {name} have no schema record (a run stopped before its last migration, or an earlier en-migrate applied them); the next `en-migrate up` that applies a migration records one; {SHADOW}")));
    }
    let mut records = Vec::with_capacity(rows.len());
    for r in rows.iter().rev() {
        let snap: Snapshot = serde_json::from_str(&cell(r, 2)).with_context(|| {
            format!(
                "the schema record of {} is not en-migrate's JSON",
                cell(r, 1)
            )
        })?;
        records.push((cell(r, 0).parse().unwrap_or(0), snap));
    }
    // Invariant: `rows` is not empty (checked above), so neither is `records`.
    let snapshot = records
        .last()
        .map(|(_, s)| s.clone())
        .ok_or_else(|| anyhow!("no record"))?;
    if snapshot.format != FORMAT {
        return Ok(Err(format!("the record of {name} was written in record format {} and this en-migrate writes {FORMAT}; {SHADOW}", snapshot.format)));
    }
    if snapshot.server_version_num / 10000 != live_version / 10000 {
        return Ok(Err(format!(
            "the record of {name} was made on PostgreSQL {} and the server is {} now: view and function definitions deparse differently across majors; {SHADOW}",
            snapshot.server_version_num / 10000,
            live_version / 10000
        )));
    }
    Ok(Ok(Expectation {
        from: format!("the record of {name} (tracker row {id})"),
        source: "record",
        snapshot,
        records,
    }))
}

/// The `drift` check of plain `verify`, inside its read-only transaction. Runs last: it pins
/// search_path for the rest of the transaction.
pub async fn check(client: &Client, shape: &Shape, live_version: i32) -> Result<VerifyCheck> {
    const NAME: &str = "drift";
    let want = match from_records(client, shape, false, live_version).await? {
        Ok(w) => w,
        Err(why) => return Ok(super::pass(NAME, format!("skipped: {why}"))),
    };
    let live = snapshot(client).await?;
    let found = diff::diff(&want.snapshot, &live);
    if found.is_empty() {
        return Ok(super::pass(
            NAME,
            format!(
                "every object of expert_network is as in {} ({} objects)",
                want.from,
                live.objects.len()
            ),
        ));
    }
    let named: Vec<String> = found
        .iter()
        .map(|d| format!("{} {}", d.state.word(), d.object))
        .collect();
    Ok(super::fail(
        NAME,
        format!(
            "{} from {}: {}; run `en-migrate verify --drift` for the definitions",
            print::count(found.len(), "difference"),
            want.from,
            named.join(", ")
        ),
    ))
}

/// What `verify --drift` reports.
#[derive(Debug, Serialize)]
pub struct DriftReport {
    /// `record` or `shadow`.
    pub source: &'static str,
    /// Where the expectation came from, for people.
    pub expected_from: String,
    /// Why nothing was compared, when nothing was.
    pub skipped: Option<String>,
    /// Objects in the live schema's record.
    pub objects: usize,
    pub differences: Vec<Difference>,
    pub ok: bool,
}

/// `en-migrate verify --drift [--shadow-url URL | --shadow]`.
pub async fn run(args: &VerifyArgs, migrations: &[Migration], format: Format) -> Result<Outcome> {
    let session = crate::db::session::open(&args.connect).await?;
    let client = session.client();
    let shadow = if args.shadow || args.shadow_url.is_some() {
        Some(shadow::expectation(args, migrations, client).await?)
    } else {
        None
    };
    db::rows(
        client,
        "START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY",
    )
    .await
    .context("cannot start a read-only transaction for verify")?;
    let gathered = gather(client, session.version_num, shadow).await;
    let _ = db::rows(client, "ROLLBACK").await;
    let (want, live, rows) = gathered?;
    let mut rep = DriftReport {
        source: "record",
        expected_from: String::new(),
        skipped: None,
        objects: live.objects.len(),
        differences: Vec::new(),
        ok: true,
    };
    match want {
        Err(why) => rep.skipped = Some(why),
        Ok(want) => {
            rep.source = want.source;
            rep.expected_from = want.from.clone();
            rep.differences = diff::diff(&want.snapshot, &live);
            let records: Vec<(i64, &Snapshot)> =
                want.records.iter().map(|(i, s)| (*i, s)).collect();
            let rows: Vec<diff::Row<'_>> = rows
                .iter()
                .map(|(id, name)| diff::Row { id: *id, name })
                .collect();
            let files: Vec<diff::File<'_>> = migrations
                .iter()
                .map(|m| diff::File {
                    name: &m.file_name,
                    path: &m.path,
                    text: &m.text,
                })
                .collect();
            for d in &mut rep.differences {
                if d.state != State::Unexpected {
                    diff::attribute(d, &records, &rows, &files);
                }
            }
            rep.ok = rep.differences.is_empty();
        }
    }
    print::report(&rep, format);
    Ok(if rep.ok { Outcome::Ok } else { Outcome::Drift })
}

type Gathered = (
    std::result::Result<Expectation, String>,
    Snapshot,
    Vec<(i64, String)>,
);

async fn gather(client: &Client, version: i32, shadow: Option<Expectation>) -> Result<Gathered> {
    let shape = tracker::shape(client).await?;
    let rows = match shape {
        Shape::Foreign(_) | Shape::Absent => Vec::new(),
        _ => tracker::read(client, &shape, 0, tracker::Columns::Checksums).await?,
    };
    let want = match shadow {
        Some(s) => Ok(s),
        None => from_records(client, &shape, true, version).await?,
    };
    let live = snapshot(client).await?;
    let rows = rows.into_iter().map(|r| (r.id, r.migration_name)).collect();
    Ok((want, live, rows))
}

/// `up --refuse-on-drift`: an error (exit 4) naming the differences when expert_network is not as
/// the record of the newest migration says; a warning when there is no record fair to compare with.
pub async fn refuse(client: &Client, shape: &Shape, version: i32) -> Result<()> {
    db::rows(
        client,
        "START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY",
    )
    .await
    .context("cannot start a read-only transaction for --refuse-on-drift")?;
    let out = async {
        let want = from_records(client, shape, false, version).await?;
        let live = snapshot(client).await?;
        Ok::<_, anyhow::Error>((want, live))
    }
    .await;
    let _ = db::rows(client, "ROLLBACK").await;
    let (want, live) = out?;
    let want = match want {
        Ok(w) => w,
        Err(why) => {
            tracing::warn!("--refuse-on-drift cannot tell: {why}; applying anyway");
            return Ok(());
        }
    };
    let found = diff::diff(&want.snapshot, &live);
    if found.is_empty() {
        return Ok(());
    }
    let named: Vec<String> = found
        .iter()
        .map(|d| format!("{} {}", d.state.word(), d.object))
        .collect();
    Err(anyhow!(
        "expert_network has drifted from {} ({}), so nothing was applied (--refuse-on-drift):\n  {}",
        want.from,
        print::count(found.len(), "difference"),
        named.join("\n  ")
    )
    .kind(Kind::Drift)
    .hint("run `en-migrate verify --drift` for the definitions; undo the hand-made change or write the migration that makes it, then run `up` again"))
}
