//! Everything en-migrate prints as a result: text for people, JSON for tools (`--format json`), and
//! GitHub Actions annotations for fence findings when `GITHUB_ACTIONS` is set.
//!
//! Results go to stdout; logs and errors go to stderr (tracing, and `main`). The JSON shapes are the
//! structs below, made for output and documented in the README.

use crate::cli::Format;
use crate::fence::Finding;
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Default, Serialize)]
pub struct UpReport {
    pub applied: Vec<AppliedItem>,
    pub already_applied: usize,
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

fn out() -> std::io::StdoutLock<'static> {
    std::io::stdout().lock()
}

/// Writes a line to stdout; a closed pipe (`| head`) is not an error worth a panic.
macro_rules! say {
    ($($t:tt)*) => {{ let _ = writeln!(out(), $($t)*); }};
}

pub fn json<T: Serialize>(command: &str, value: &T) {
    #[derive(Serialize)]
    struct Tagged<'a, T> {
        command: &'a str,
        #[serde(flatten)]
        value: &'a T,
    }
    if let Ok(s) = serde_json::to_string_pretty(&Tagged { command, value }) {
        say!("{s}");
    }
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
        say!("applied {} ({} ms)", item.name, item.duration_ms);
    }
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
    for a in &rep.adopted {
        say!("adopted {a} from the earlier runner's tracker; recorded its checksum");
    }
    for h in &rep.held {
        say!("held {h} (post-deploy): apply it with `en-migrate up --post-deploy` once the release that stops using what it removes is rolled out");
    }
    if rep.dry_run {
        if rep.plan.is_empty() {
            say!(
                "dry run: nothing to apply ({} already applied)",
                rep.already_applied
            );
        } else {
            say!(
                "dry run: would apply {} migration{}, in this order:",
                rep.plan.len(),
                plural(rep.plan.len())
            );
            for p in &rep.plan {
                say!("  {p}");
            }
        }
        warnings(&rep.warnings, Format::Text);
        return;
    }
    if rep.applied.is_empty() {
        say!(
            "nothing to do: {} migration{} already applied",
            rep.already_applied,
            plural(rep.already_applied)
        );
    } else {
        say!(
            "{} applied, {} already applied, in {} ms",
            rep.applied.len(),
            rep.already_applied,
            rep.total_ms
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Fence findings: `path:line:col: refused [rule]: message`, a hint line, and annotations in CI.
pub fn findings(list: &[Finding], format: Format) {
    if format == Format::Json {
        return json(
            "check",
            &CheckReport {
                migrations: 0,
                statements: 0,
                findings: list.to_vec(),
                warnings: vec![],
            },
        );
    }
    for f in list {
        say!(
            "{}:{}:{}: refused [{}]: {}",
            f.path,
            f.line,
            f.column,
            f.rule,
            f.message
        );
        if let Some(h) = &f.hint {
            say!("  hint: {h}");
        }
    }
    annotations(list);
}

/// `::error file=...,line=...::...` lines for GitHub Actions.
pub fn annotations(list: &[Finding]) {
    if std::env::var_os("GITHUB_ACTIONS").is_none() {
        return;
    }
    for f in list {
        let msg = gh_escape(&format!("[{}] {}", f.rule, f.message));
        say!(
            "::error file={},line={},col={},title=en-migrate fence::{msg}",
            f.path,
            f.line,
            f.column
        );
    }
}

#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub migrations: usize,
    pub statements: usize,
    pub findings: Vec<Finding>,
    pub warnings: Vec<crate::lint::Warning>,
}

/// Lint warnings: `path:line:col: warning [rule]: message`, why and the safer form.
pub fn warnings(list: &[crate::lint::Warning], format: Format) {
    #[derive(Serialize)]
    struct L<'a> {
        warnings: &'a [crate::lint::Warning],
    }
    if format == Format::Json {
        return json("lint", &L { warnings: list });
    }
    let level = |w: &crate::lint::Warning| match w.severity {
        crate::lint::Severity::Warning => "warning",
        crate::lint::Severity::Error => "error",
    };
    for w in list {
        say!(
            "{}:{}:{}: {} [{}]: {}",
            w.path,
            w.line,
            w.column,
            level(w),
            w.rule,
            w.message
        );
        if let Some(t) = &w.table {
            say!("  table: {}", t.describe());
        }
        say!("  why: {}", w.why);
        say!("  instead: {}", w.instead);
    }
    if std::env::var_os("GITHUB_ACTIONS").is_some() {
        for w in list {
            let table = w
                .table
                .as_ref()
                .map(|t| format!(" ({})", t.describe()))
                .unwrap_or_default();
            say!(
                "::{} file={},line={},title=en-migrate lint {}::{}",
                level(w),
                w.path,
                w.line,
                w.rule,
                gh_escape(&format!("{}{table}. {}", w.message, w.instead))
            );
        }
    }
}

/// `lint --list-rules`: every rule with its default, severity, summary and example.
pub fn rules(format: Format) {
    use crate::lint::Rule;
    if format == Format::Json {
        #[derive(Serialize)]
        struct R {
            name: &'static str,
            default_on: bool,
            severity: crate::lint::Severity,
            needs_database: bool,
            summary: &'static str,
            example: &'static str,
            why: &'static str,
            instead: &'static str,
        }
        #[derive(Serialize)]
        struct L {
            rules: Vec<R>,
        }
        let rules = Rule::ALL
            .iter()
            .map(|r| {
                let a = r.about();
                R {
                    name: a.name,
                    default_on: a.default_on,
                    severity: a.severity,
                    needs_database: a.needs_database,
                    summary: a.summary,
                    example: a.example,
                    why: a.why,
                    instead: a.instead,
                }
            })
            .collect();
        return json("lint", &L { rules });
    }
    for r in Rule::ALL {
        let a = r.about();
        let when = match (a.default_on, a.needs_database) {
            (_, true) => "on with --live",
            (true, false) => "on",
            (false, false) => "off",
        };
        let level = if a.severity == crate::lint::Severity::Error {
            "error"
        } else {
            "warning"
        };
        say!("{} ({when}, {level}): {}", a.name, a.summary);
        for l in a.example.lines() {
            say!("  e.g. {l}");
        }
    }
}

fn gh_escape(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub fn check(rep: &CheckReport, format: Format) {
    if format == Format::Json {
        return json("check", rep);
    }
    findings(&rep.findings, Format::Text);
    warnings(&rep.warnings, Format::Text);
    if rep.findings.is_empty() {
        say!(
            "ok: {} migration{}, {} statement{}, nothing refused",
            rep.migrations,
            plural(rep.migrations),
            rep.statements,
            plural(rep.statements)
        );
    } else {
        let refused = crate::fence::statements_refused(&rep.findings);
        say!(
            "{} statement{} refused ({} finding{}) in {} migration{} ({} statement{})",
            refused,
            plural(refused),
            rep.findings.len(),
            plural(rep.findings.len()),
            rep.migrations,
            plural(rep.migrations),
            rep.statements,
            plural(rep.statements)
        );
    }
}

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

pub fn status(rows: &[StatusRow], format: Format) {
    #[derive(Serialize)]
    struct S<'a> {
        migrations: &'a [StatusRow],
    }
    if format == Format::Json {
        return json("status", &S { migrations: rows });
    }
    let w = rows.iter().map(|r| r.name.len()).max().unwrap_or(4).max(9);
    say!(
        "{:<w$}  {:<8}  {:<26}  {:>8}",
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
            "{:<w$}  {:<8}  {:<26}  {:>8}",
            r.name,
            state,
            r.applied_at.as_deref().unwrap_or("-"),
            r.execution_ms.map_or("-".to_string(), |m| m.to_string())
        );
    }
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
    say!("{:<ws$}  {:<wt$}  purpose", "schemaname", "tablename");
    for t in &rep.tables {
        say!("{:<ws$}  {:<wt$}  {}", t.schema, t.table, t.purpose);
    }
    say!("");
    for c in &rep.checks {
        say!(
            "{:<6} {:<16} {}",
            if c.ok { "ok" } else { "FAILED" },
            c.name,
            c.detail
        );
    }
    say!("");
    say!("{}", rep.summary);
}
