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

/// Runs a renderer on stdout. A closed pipe (`| head`) is not an error worth a panic: the renderer
/// stops at the first failed write, and nothing is reported.
fn to_stdout(render: impl FnOnce(&mut std::io::StdoutLock<'static>) -> std::io::Result<()>) {
    let _ = render(&mut std::io::stdout().lock());
}

/// GitHub Actions annotations are written when `GITHUB_ACTIONS` is set.
fn github() -> bool {
    std::env::var_os("GITHUB_ACTIONS").is_some()
}

/// Writes a line to the renderer's writer `w`, returning from the renderer if it fails.
macro_rules! say {
    ($w:expr, $($t:tt)*) => { writeln!($w, $($t)*)? };
}

/// The one JSON document of this run, filled by the command as it goes and printed by [`emit`] at the
/// end with `ok` and, on failure, `error`: a tool reading stdout gets exactly one document, success or not.
static DOC: std::sync::Mutex<Option<serde_json::Map<String, serde_json::Value>>> =
    std::sync::Mutex::new(None);

/// Adds `value`'s fields to the run's document (printed by [`emit`], never here).
pub fn json<T: Serialize>(command: &str, value: &T) {
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(value) else {
        return;
    };
    if let Ok(mut doc) = DOC.lock() {
        let doc = doc.get_or_insert_with(serde_json::Map::new);
        doc.entry("command").or_insert(command.into());
        doc.extend(fields);
    }
}

/// A command's own result document, for commands outside this module (`new`).
pub fn document<T: Serialize>(command: &str, value: &T) {
    json(command, value);
}

/// Where a failure happened, when it happened in a migration, and what the server said besides its
/// message. (What to do about it is the error's hint: `exit::Fail::hint`.)
#[derive(Debug, Clone, Default)]
pub struct Located {
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub sqlstate: Option<String>,
    pub detail: Option<String>,
    pub context: Option<String>,
}

/// An error that knows where in a migration it happened; its text is the whole message.
#[derive(Debug)]
pub struct MigrationError {
    pub text: String,
    pub at: Located,
}

impl std::fmt::Display for MigrationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for MigrationError {}

/// The `error` object of a failed run's document; optional fields are left out when unknown.
#[derive(Debug, Serialize)]
pub struct ErrorDoc {
    /// `usage`, `refused`, `drift`, `lock_timeout`, `interrupted`, `migration`, `connection` or `error`.
    pub kind: &'static str,
    pub message: String,
    pub exit_code: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sqlstate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
}

impl ErrorDoc {
    pub fn new(err: &anyhow::Error, exit_code: i32) -> ErrorDoc {
        let at = crate::exit::causes(err)
            .find_map(|e| e.downcast_ref::<MigrationError>())
            .map(|m| m.at.clone())
            .unwrap_or_default();
        let connection = crate::exit::causes(err).any(|e| {
            e.downcast_ref::<tokio_postgres::Error>()
                .is_some_and(|p| p.as_db_error().is_none())
                || e.downcast_ref::<std::io::Error>().is_some()
        });
        let kind = match crate::exit::kind(err) {
            Some(k) => k.name(),
            None if at.file.is_some() => "migration",
            None if connection => "connection",
            None => "error",
        };
        ErrorDoc {
            kind,
            message: crate::exit::message(err),
            exit_code,
            hint: crate::exit::hint(err).map(str::to_string),
            ..ErrorDoc::at(kind, exit_code, at)
        }
    }

    /// A document of `kind` with `at`'s fields and no message or hint yet.
    fn at(kind: &'static str, exit_code: i32, at: Located) -> ErrorDoc {
        ErrorDoc {
            kind,
            message: String::new(),
            exit_code,
            file: at.file,
            line: at.line,
            column: at.column,
            sqlstate: at.sqlstate,
            detail: at.detail,
            hint: None,
            context: at.context,
        }
    }

    /// A command that ended with a refusal or drift it reported itself (`check`, `verify`).
    pub fn outcome(outcome: crate::exit::Outcome, exit_code: i32) -> ErrorDoc {
        let (kind, message) = match outcome {
            crate::exit::Outcome::Refused => (
                "refused",
                "the schema fence refused statements (see findings)",
            ),
            _ => (
                "drift",
                "the database does not match the migrations (see the failed checks)",
            ),
        };
        ErrorDoc {
            message: message.into(),
            ..ErrorDoc::at(kind, exit_code, Located::default())
        }
    }
}

/// Prints the run's one document: what the command put in it, `"ok"`, and `"error"` when it failed.
pub fn emit(command: &str, error: Option<ErrorDoc>) {
    let doc = DOC
        .lock()
        .ok()
        .and_then(|mut d| d.take())
        .unwrap_or_default();
    to_stdout(|w| write_document(w, doc, command, error));
}

/// The document `doc` with `command`, `ok` and the error, pretty-printed.
fn write_document(
    w: &mut impl Write,
    mut doc: serde_json::Map<String, serde_json::Value>,
    command: &str,
    error: Option<ErrorDoc>,
) -> std::io::Result<()> {
    doc.insert("command".into(), command.into());
    doc.insert("ok".into(), error.is_none().into());
    if let Some(e) = error {
        if let Ok(v) = serde_json::to_value(e) {
            doc.insert("error".into(), v);
        }
    }
    if let Ok(s) = serde_json::to_string_pretty(&serde_json::Value::Object(doc)) {
        say!(w, "{s}");
    }
    Ok(())
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

fn write_applied(w: &mut impl Write, item: &AppliedItem) -> std::io::Result<()> {
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
fn write_up(w: &mut impl Write, rep: &UpReport, github: bool) -> std::io::Result<()> {
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
        #[derive(Serialize)]
        struct F<'a> {
            findings: &'a [Finding],
        }
        return json("check", &F { findings: list });
    }
    to_stdout(|w| write_findings(w, list, github()));
}

fn write_findings(w: &mut impl Write, list: &[Finding], github: bool) -> std::io::Result<()> {
    for f in list {
        say!(
            w,
            "{}:{}:{}: refused [{}]: {}",
            f.path,
            f.line,
            f.column,
            f.rule,
            f.message
        );
        if let Some(h) = &f.hint {
            say!(w, "  hint: {h}");
        }
    }
    if github {
        write_annotations(w, list)?;
    }
    Ok(())
}

/// `::error file=...,line=...::...` lines for GitHub Actions.
fn write_annotations(w: &mut impl Write, list: &[Finding]) -> std::io::Result<()> {
    for f in list {
        let msg = gh_escape(&format!("[{}] {}", f.rule, f.message));
        say!(
            w,
            "::error file={},line={},col={},title=en-migrate fence::{msg}",
            f.path,
            f.line,
            f.column
        );
    }
    Ok(())
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
    to_stdout(|w| write_warnings(w, list, github()));
}

fn write_warnings(
    w: &mut impl Write,
    list: &[crate::lint::Warning],
    github: bool,
) -> std::io::Result<()> {
    let level = |w: &crate::lint::Warning| match w.severity {
        crate::lint::Severity::Warning => "warning",
        crate::lint::Severity::Error => "error",
    };
    for x in list {
        say!(
            w,
            "{}:{}:{}: {} [{}]: {}",
            x.path,
            x.line,
            x.column,
            level(x),
            x.rule,
            x.message
        );
        if let Some(t) = &x.table {
            say!(w, "  table: {}", t.describe());
        }
        say!(w, "  why: {}", x.why);
        say!(w, "  instead: {}", x.instead);
    }
    if github {
        for x in list {
            let table = x
                .table
                .as_ref()
                .map(|t| format!(" ({})", t.describe()))
                .unwrap_or_default();
            say!(
                w,
                "::{} file={},line={},title=en-migrate lint {}::{}",
                level(x),
                x.path,
                x.line,
                x.rule,
                gh_escape(&format!("{}{table}. {}", x.message, x.instead))
            );
        }
    }
    Ok(())
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
    to_stdout(write_rules);
}

fn write_rules(w: &mut impl Write) -> std::io::Result<()> {
    use crate::lint::Rule;
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
        say!(w, "{} ({when}, {level}): {}", a.name, a.summary);
        for l in a.example.lines() {
            say!(w, "  e.g. {l}");
        }
    }
    Ok(())
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
    to_stdout(|w| write_check(w, rep, github()));
}

fn write_check(w: &mut impl Write, rep: &CheckReport, github: bool) -> std::io::Result<()> {
    write_findings(w, &rep.findings, github)?;
    write_warnings(w, &rep.warnings, github)?;
    if rep.findings.is_empty() {
        say!(
            w,
            "ok: {} migration{}, {} statement{}, nothing refused",
            rep.migrations,
            plural(rep.migrations),
            rep.statements,
            plural(rep.statements)
        );
    } else {
        let refused = crate::fence::statements_refused(&rep.findings);
        say!(
            w,
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
    Ok(())
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

/// The line saying a newer release ran first, in text.
fn write_ahead(w: &mut impl Write, names: &[String]) -> std::io::Result<()> {
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
fn write_status(w: &mut impl Write, rows: &[StatusRow], ahead: &[String]) -> std::io::Result<()> {
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
fn write_verify(w: &mut impl Write, rep: &VerifyReport) -> std::io::Result<()> {
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

#[cfg(test)]
mod tests;
