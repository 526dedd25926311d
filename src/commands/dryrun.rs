//! `up --dry-run --sql`: prints, per migration, the messages `up` would send, built by the very
//! functions `apply.rs` sends them with (`open_sql`, `message`, `close_sql`, `ensure_tracker_sql`), so
//! the two cannot diverge. Sends the server nothing but reads: the tracker's sequence, to show the
//! ids the tracker rows will get.
//!
//! Two values only the run itself learns are shown as they would be: the tracker ids (predicted from
//! the sequence, exact unless another session writes the tracker in between) and public's state,
//! which the run's first migration takes and later ones compare with (shown as a quoted note).

use crate::cli::{Format, UpArgs};
use crate::db::apply;
use crate::db::guard::{self, Baseline};
use crate::db::session::Session;
use crate::db::tracker::Applied;
use crate::db::tracker::{self, Shape, LOCK_KEY};
use crate::exit::Outcome;
use crate::fence::Checked;
use crate::plan::Plan;
use anyhow::Result;
use serde::Serialize;
use std::io::Write;

/// What later migrations' openings show in place of public's state, which the first one takes.
pub const BASELINE_NOTE: &str = "<the state of public that the first migration of the run takes>";

pub async fn print(
    session: &Session,
    args: &UpArgs,
    shape: &Shape,
    p: &Plan,
    migrations: &[Checked],
    rows: &[Applied],
    format: Format,
) -> Result<Outcome> {
    // As `up` decides it (if creating the guard's functions fails, or a pooler moves the session,
    // `up` sends the guard inline instead).
    let settings = super::up::settings(session, args, p.to_apply.len());
    let mut out: Vec<Message> = Vec::new();
    let mut say = |migration: Option<&str>, what: String, sql: String| {
        out.push(Message {
            migration: migration.map(str::to_string),
            what,
            sql,
        })
    };
    if p.to_apply.is_empty() {
        write_out(&out, format);
        return Ok(Outcome::Ok);
    }
    let functions = |say: &mut dyn FnMut(Option<&str>, String, String)| {
        if settings.session_functions {
            say(
                None,
                "once per run: the guard's functions, in pg_temp of this session".into(),
                guard::session_functions(LOCK_KEY),
            );
        }
    };
    let mut next_id = match shape {
        Shape::Ours if p.backfill.is_empty() => {
            functions(&mut say);
            sequence_value(session).await?
        }
        // As `up` does (its `ahead`): sent beside the last checks, after the guard's functions, and
        // committed once they pass.
        Shape::Absent if p.backfill.is_empty() && !migrations[p.to_apply[0]].no_transaction => {
            functions(&mut say);
            say(
                None,
                "the tracker, created first in a transaction of its own, sent beside the last checks; its COMMIT follows in a message of its own once they pass".into(),
                apply::tracker_open_sql(&settings, &[]),
            );
            say(
                None,
                "right behind it, in the same transaction, its answer not waited for: the guard's start, run once to fill the session's catalog caches and plans before the first migration's opening".into(),
                apply::warm_up_sql(&settings.for_file(&migrations[p.to_apply[0]])),
            );
            0
        }
        _ => {
            let backfill: Vec<(i64, String)> = p
                .backfill
                .iter()
                .map(|&(ri, fi)| (rows[ri].id, migrations[fi].checksum.clone()))
                .collect();
            // As `up` does: its functions are made beside its last checks, before the loop
            // creates, completes or adopts the tracker.
            functions(&mut say);
            say(
                None,
                "the tracker, created or completed first, in a transaction of its own".into(),
                apply::ensure_tracker_sql(&settings, &backfill),
            );
            match shape {
                Shape::Ours => sequence_value(session).await?,
                _ => rows.iter().map(|r| r.id).max().unwrap_or(0),
            }
        }
    };
    let mut last_id = rows.iter().map(|r| r.id).max().unwrap_or(0);
    for (k, &fi) in p.to_apply.iter().enumerate() {
        let (m, text) = (&migrations[fi], migrations[fi].text.as_str());
        let mut s = settings.for_file(m);
        // As `up` does: the last migration of the run records the schema (verify --drift).
        s.record_schema = k + 1 == p.to_apply.len();
        // Every insert takes a value of the sequence, a re-applied repeatable file's too (ON
        // CONFLICT), which then keeps its row's id.
        next_id += 1;
        let existing = rows
            .iter()
            .find(|r| m.is_repeatable() && r.migration_name == m.file_name);
        let id = existing.map_or(next_id, |r| r.id);
        if m.no_transaction {
            say(Some(&m.file_name), format!("no-transaction, under the session-level migration lock: the session is pinned with SET (search_path, standard_conforming_strings, lock_timeout = '{}ms'{}), each statement the server takes in a transaction block is sent in one, between the database-side check's start and end, and committed once it passed (the CONCURRENTLY forms, VACUUM and a DO block that commits are sent alone), then the settings are RESET and the tracker row is written",
                s.ddl_lock_timeout.as_millis(),
                s.statement_timeout.map(|t| format!(", statement_timeout = '{}ms'", t.as_millis())).unwrap_or_default()),
                format!("{text}\n{};\n{}", tracker::record_sql(m),
                    // As notx.rs sends it: the record rides with the tracker row of the run's last file.
                    if s.record_schema { crate::db::schema_record::record_sql() } else { String::new() }));
        } else {
            // As `up` does: the run's first migration takes public's state in a message of its own
            // (the transaction stays open), so the guard gets it from the runner, never from what the
            // migration could rewrite; later migrations carry it in their opening.
            let mut open = if k == 0 {
                say(
                    Some(&m.file_name),
                    "first, in a message of its own, the transaction opens and takes public's state".into(),
                    apply::open_sql(&s, Some(last_id), &Baseline::Take),
                );
                String::new()
            } else {
                apply::open_sql(&s, Some(last_id), &Baseline::Known(BASELINE_NOTE))
            };
            open += &apply::role_sql(&s);
            open += &crate::db::guard::state_row(s.session_functions, s.function_oids.as_deref());
            let (msg, _) = apply::message(&open, text, &apply::close_sql(&s, m, BASELINE_NOTE));
            let pieces = if text.len() > apply::CHUNK {
                " (sent in pieces of about 1 MB, cut at statement ends, in the same transaction, each piece ending with a check that standard_conforming_strings is on and client_encoding UTF8, so that the next is read as the fence read it)"
            } else {
                ""
            };
            say(
                Some(&m.file_name),
                format!("one message{pieces}, then COMMIT in a message of its own"),
                format!("{msg}COMMIT;"),
            );
        }
        last_id = last_id.max(id);
    }
    write_out(&out, format);
    Ok(Outcome::Ok)
}

/// One message (or, for a no-transaction file, the statements) `up` would send.
#[derive(Debug, Serialize)]
struct Message {
    /// The migration it carries; `null` for the tracker's creation and the guard's functions.
    migration: Option<String>,
    /// What it is and how it travels.
    what: String,
    sql: String,
}

/// Text: a `-- ` heading per message, then its SQL, so the whole output reads as a script. JSON:
/// `{"command": "up", "dry_run": true, "messages": [{"migration", "what", "sql"}]}`.
fn write_out(messages: &[Message], format: Format) {
    if format == Format::Json {
        #[derive(Serialize)]
        struct Doc<'a> {
            dry_run: bool,
            messages: &'a [Message],
        }
        return crate::report::json(
            "up",
            &Doc {
                dry_run: true,
                messages,
            },
        );
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "-- en-migrate up --dry-run --sql: the messages `up` would send, in order. Nothing was sent but reads.");
    if messages.is_empty() {
        let _ = writeln!(out, "-- nothing to apply");
    }
    for m in messages {
        let heading = match &m.migration {
            Some(name) => format!("{name}: {}", m.what),
            None => m.what.clone(),
        };
        let _ = writeln!(out, "\n-- {heading}:\n{}", m.sql);
    }
}

/// The tracker sequence's last value: the next row gets the one after it.
async fn sequence_value(session: &Session) -> Result<i64> {
    let v = crate::db::value(
        session.client(),
        &format!(
            "SELECT coalesce(pg_catalog.pg_sequence_last_value(pg_catalog.pg_get_serial_sequence('{}', 'id')::pg_catalog.regclass), 0)",
            tracker::TABLE
        ),
    )
    .await?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}
