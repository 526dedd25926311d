//! How `verify --drift` reads: one block per difference (`changed`, `missing`, `unexpected`, the
//! object, its expected and found definitions, the migration that defined it), a summary line, the
//! JSON document with `--format json`, and GitHub annotations when `GITHUB_ACTIONS` is set. Writes
//! only to stdout.

use super::diff::State;
use super::DriftReport;
use crate::cli::Format;
use std::io::Write;

pub fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

pub fn report(rep: &DriftReport, format: Format) {
    if format == Format::Json {
        // Part of the run's one document, which `report::emit` prints with `ok` (and `error`).
        crate::report::json("verify", &serde_json::json!({ "drift": rep }));
        return;
    }
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not worth a panic.
    let _ = write_report(
        &mut out,
        rep,
        format,
        std::env::var_os("GITHUB_ACTIONS").is_some(),
    );
}

pub fn write_report(
    out: &mut impl Write,
    rep: &DriftReport,
    format: Format,
    github: bool,
) -> std::io::Result<()> {
    if format == Format::Json {
        let doc = serde_json::json!({"command": "verify", "drift": rep});
        return writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        );
    }
    if let Some(why) = &rep.skipped {
        return writeln!(out, "drift: not compared: {why}");
    }
    writeln!(
        out,
        "drift: expert_network compared with {}",
        rep.expected_from
    )?;
    for d in &rep.differences {
        let with = if d.includes > 0 {
            format!(" (and {} of it)", count(d.includes, "object"))
        } else {
            String::new()
        };
        writeln!(out, "{} {}{with}", d.state.word(), d.object)?;
        if let Some(e) = &d.expected {
            writeln!(out, "  expected: {}", indent(e))?;
        }
        if let Some(f) = &d.found {
            writeln!(out, "  found:    {}", indent(f))?;
        }
        if let Some(m) = &d.migration {
            let line = d.line.map(|l| format!(":{l}")).unwrap_or_default();
            writeln!(out, "  defined by {m}{line}")?;
        }
    }
    let n = |s: State| rep.differences.iter().filter(|d| d.state == s).count();
    if rep.differences.is_empty() {
        writeln!(
            out,
            "no drift: {} as expected",
            count(rep.objects, "object")
        )?;
    } else {
        writeln!(
            out,
            "{} ({} changed, {} missing, {} unexpected)",
            count(rep.differences.len(), "difference"),
            n(State::Changed),
            n(State::Missing),
            n(State::Unexpected)
        )?;
    }
    if github {
        for d in &rep.differences {
            let at = match (&d.migration, d.line) {
                (Some(m), Some(l)) => format!(" file={m},line={l},"),
                (Some(m), None) => format!(" file={m},"),
                _ => " ".to_string(),
            };
            let msg = match (&d.expected, &d.found) {
                (Some(e), Some(f)) => format!("expected {e}, found {f}"),
                (Some(e), None) => format!("expected {e}"),
                (None, Some(f)) => format!("found {f}; no migration makes it"),
                (None, None) => String::new(),
            };
            writeln!(
                out,
                "::error{at}title=en-migrate drift: {} {}::{}",
                d.state.word(),
                d.object.replace([',', ':'], " "),
                gh_escape(&msg)
            )?;
        }
    }
    Ok(())
}

/// Continuation lines of a multi-line definition, indented under the first.
fn indent(s: &str) -> String {
    s.trim_end().replace('\n', "\n            ")
}

fn gh_escape(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::drift::diff::Difference;

    #[test]
    fn a_report_names_each_difference_and_annotates_it() {
        let rep = DriftReport {
            source: "record",
            expected_from: "the record of 003_grants.sql (tracker row 3)".into(),
            skipped: None,
            objects: 300,
            differences: vec![
                Difference {
                    state: State::Changed,
                    object: "table column expert_network.campaigns.title".into(),
                    expected: Some("text NOT NULL".into()),
                    found: Some("text".into()),
                    includes: 0,
                    migration: Some("sql/001_a.sql".into()),
                    line: Some(7),
                },
                Difference {
                    state: State::Unexpected,
                    object: "table expert_network.scratch".into(),
                    expected: None,
                    found: Some("row level security disabled".into()),
                    includes: 2,
                    migration: None,
                    line: None,
                },
            ],
            ok: false,
        };
        let mut out = Vec::new();
        write_report(&mut out, &rep, Format::Text, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "drift: expert_network compared with the record of 003_grants.sql (tracker row 3)\n\
             changed table column expert_network.campaigns.title\n  expected: text NOT NULL\n  found:    text\n  defined by sql/001_a.sql:7\n\
             unexpected table expert_network.scratch (and 2 objects of it)\n  found:    row level security disabled\n\
             2 differences (1 changed, 0 missing, 1 unexpected)\n\
             ::error file=sql/001_a.sql,line=7,title=en-migrate drift: changed table column expert_network.campaigns.title::expected text NOT NULL, found text\n\
             ::error title=en-migrate drift: unexpected table expert_network.scratch::found row level security disabled; no migration makes it\n"
        );
    }
}
