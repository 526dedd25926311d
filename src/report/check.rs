//! What `check` and `lint` print: the fence's findings (with GitHub Actions annotations in CI), the
//! lint warnings, the list of lint rules, and `check`'s summary.

use super::{github, json, plural, to_stdout};
use crate::cli::Format;
use crate::fence::Finding;
use serde::Serialize;
use std::io::Write;

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

pub(super) fn write_findings(
    w: &mut impl Write,
    list: &[Finding],
    github: bool,
) -> std::io::Result<()> {
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
pub(super) fn write_annotations(w: &mut impl Write, list: &[Finding]) -> std::io::Result<()> {
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

pub(super) fn write_warnings(
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

pub(super) fn write_rules(w: &mut impl Write) -> std::io::Result<()> {
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

pub(super) fn write_check(
    w: &mut impl Write,
    rep: &CheckReport,
    github: bool,
) -> std::io::Result<()> {
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
