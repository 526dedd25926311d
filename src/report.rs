//! Everything en-migrate prints as a result: text for people, JSON for tools (`--format json`), and
//! GitHub Actions annotations for fence findings when `GITHUB_ACTIONS` is set.
//!
//! Results go to stdout; logs and errors go to stderr (tracing, and `main`). The JSON shapes are the
//! structs of the renderers, made for output and documented in the README. This module owns what every
//! command shares (the one JSON document, errors as documents, the writers); each command's renderers
//! sit beside it: `up.rs`, `check.rs` (check and lint), `status.rs` (status and verify).

use serde::Serialize;
use std::io::Write;

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

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

mod check;
mod status;
mod up;
pub use check::{check, findings, rules, warnings, CheckReport};
pub use status::{status, verify, StatusRow, VerifyCheck, VerifyReport, VerifyTable};
pub use up::{applied_line, partial, spinner, up, AppliedItem, UpReport};

#[cfg(test)]
mod tests;
