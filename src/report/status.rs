//! What `status` and `verify` print: the migrations with their state, and verify's tables by schema
//! and checks.

use super::{json, to_stdout};
use crate::cli::Format;
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Serialize)]
pub struct StatusRow {
    pub version: Option<u64>,
    pub name: String,
    pub state: crate::plan::State,
    /// A repeatable file (`R_name.sql`): `changed` means the next `up` re-applies it.
    pub repeatable: bool,
    pub applied_at: Option<String>,
    pub execution_ms: Option<i64>,
}

/// The line saying a newer release ran first, in text.
pub(super) fn write_ahead(w: &mut impl Write, names: &[String]) -> std::io::Result<()> {
    if !names.is_empty() {
        say!(
            w,
            "the database is ahead of these files: {} applied by a newer release (not drift; --strict makes it drift)",
            names.join(", ")
        );
    }
    Ok(())
}

pub fn status(rows: &[StatusRow], format: Format) {
    #[derive(Serialize)]
    struct S<'a> {
        migrations: &'a [StatusRow],
        #[serde(skip_serializing_if = "Vec::is_empty")]
        ahead: Vec<String>,
    }
    let names: Vec<String> = rows
        .iter()
        .filter(|r| r.state == crate::plan::State::Ahead)
        .map(|r| r.name.clone())
        .collect();
    if format == Format::Json {
        return json(
            "status",
            &S {
                migrations: rows,
                ahead: names,
            },
        );
    }
    to_stdout(|w| write_status(w, rows, &names));
}

/// The status table: one row per migration, and the ahead line.
pub(super) fn write_status(
    w: &mut impl Write,
    rows: &[StatusRow],
    ahead: &[String],
) -> std::io::Result<()> {
    let wn = rows.iter().map(|r| r.name.len()).max().unwrap_or(4).max(9);
    say!(
        w,
        "{:<wn$}  {:<8}  {:<26}  {:>8}",
        "migration",
        "state",
        "applied at",
        "ms"
    );
    for r in rows {
        let state = serde_json::to_value(r.state)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        say!(
            w,
            "{:<wn$}  {:<8}  {:<26}  {:>8}",
            r.name,
            state,
            r.applied_at.as_deref().unwrap_or("-"),
            r.execution_ms.map_or("-".to_string(), |m| m.to_string())
        );
    }
    write_ahead(w, ahead)
}

/// One row of the seed's tables-by-schema query.
#[derive(Debug, Serialize)]
pub struct VerifyTable {
    pub schema: String,
    pub table: String,
    /// `BetterAuth`, `Expert Networks App`, `en-migrate tracker` or `Other App`.
    pub purpose: String,
}

/// One check of `verify`. A check that had nothing to check (no vendor seeds in `--dir`) is ok, and
/// its detail starts with `skipped:`.
#[derive(Debug, Serialize)]
pub struct VerifyCheck {
    /// `expert_network`, `betterauth`, `migrations`, `grants`, `vendor-seeds` or `tracker`.
    pub name: &'static str,
    pub ok: bool,
    /// What was found when ok; what is wrong, by name, and what to do when not.
    pub detail: String,
}

/// `verify --format json`:
/// `{"command": "verify", "tables": [{"schema": "public", "table": "account", "purpose": "BetterAuth"}, ...],
///   "checks": [{"name": "grants", "ok": false, "detail": "raguser lacks INSERT on table expert_network.experts"}, ...],
///   "summary": "public: 4 BetterAuth tables + 13 other tables; expert_network: 11 Expert Networks tables",
///   "ok": false}`. Tables are ordered by schema, then name; `ok` is true when every check is.
#[derive(Debug, Serialize)]
pub struct VerifyReport {
    pub tables: Vec<VerifyTable>,
    pub checks: Vec<VerifyCheck>,
    pub summary: String,
    pub ok: bool,
}

pub fn verify(rep: &VerifyReport, format: Format) {
    if format == Format::Json {
        return json("verify", rep);
    }
    to_stdout(|w| write_verify(w, rep));
}

/// The seed's tables-by-schema listing, the checks, and the summary line.
pub(super) fn write_verify(w: &mut impl Write, rep: &VerifyReport) -> std::io::Result<()> {
    let ws = rep
        .tables
        .iter()
        .map(|t| t.schema.len())
        .max()
        .unwrap_or(6)
        .max(10);
    let wt = rep
        .tables
        .iter()
        .map(|t| t.table.len())
        .max()
        .unwrap_or(5)
        .max(9);
    say!(w, "{:<ws$}  {:<wt$}  purpose", "schemaname", "tablename");
    for t in &rep.tables {
        say!(w, "{:<ws$}  {:<wt$}  {}", t.schema, t.table, t.purpose);
    }
    say!(w, "");
    for c in &rep.checks {
        say!(
            w,
            "{:<6} {:<16} {}",
            if c.ok { "ok" } else { "FAILED" },
            c.name,
            c.detail
        );
    }
    say!(w, "");
    say!(w, "{}", rep.summary);
    Ok(())
}
