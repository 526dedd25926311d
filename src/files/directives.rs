//! The `-- en-migrate:` directives: one table (`DIRECTIVES`) with a row per directive, its form, whether
//! it must sit in the file's header, and what it sets. A directive of another part (the fence's, say)
//! is one more row. Anything that starts like a directive but is not exactly one is an error naming
//! its line, so a misspelt `no-transaction` never silently runs a file inside a transaction.
//!
//! Pure: reads comments only, never SQL, never a database.

use crate::files::lexer::{line_of, sql_start};
use anyhow::{bail, Result};
use std::time::Duration;

/// The per-file settings that directives in the file's header set (see `DIRECTIVES`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directives {
    /// `-- en-migrate: post-deploy`: held back from a plain `up`, applied by `up --post-deploy`.
    pub post_deploy: bool,
    /// `-- en-migrate: lock-timeout=2s`: this file's `--ddl-lock-timeout`.
    pub lock_timeout: Option<Duration>,
    /// `-- en-migrate: statement-timeout=30min`: this file's `--statement-timeout`.
    pub statement_timeout: Option<Duration>,
}

/// The lines of `text` that start with `--` (after white space), with their 1-based numbers: found by
/// searching for `--` rather than walking every line, since a seed has a hundred thousand of them.
fn comment_lines(text: &str) -> Vec<(usize, &str)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut counted_to, mut line) = (0, 1);
    let mut done_to = 0;
    for p in memchr::memmem::find_iter(b, b"--") {
        if p < done_to {
            continue; // a second `--` on a line already looked at
        }
        let start = memchr::memrchr(b'\n', &b[..p]).map_or(0, |n| n + 1);
        let end = memchr::memchr(b'\n', &b[p..]).map_or(b.len(), |n| p + n);
        done_to = end;
        if !b[start..p].iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        line += memchr::memchr_iter(b'\n', &b[counted_to..start]).count();
        counted_to = start;
        let l = &text[start..end];
        out.push((line, l.strip_suffix('\r').unwrap_or(l)));
    }
    out
}

/// What the directives of one file set.
#[derive(Debug, Default)]
pub struct Parsed {
    pub no_transaction: bool,
    pub allows: Vec<(usize, String)>,
    pub directives: Directives,
}

/// How a directive is written after `-- en-migrate:`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `name` alone.
    Flag,
    /// `name=value`.
    Value,
    /// `name word word...`.
    Words,
}

/// One directive: its name, how it is written, whether it must sit in the file's header (the comment
/// lines before the first SQL), and what it sets. Every directive is a row here, so a new one (the
/// fence's own, say) is one more row, and the error for an unknown one lists them all.
struct Directive {
    name: &'static str,
    form: Form,
    header: bool,
    set: fn(&mut Parsed, &str, usize) -> Result<(), String>,
}

const DIRECTIVES: &[Directive] = &[
    Directive {
        name: "no-transaction",
        form: Form::Flag,
        header: true,
        set: |p, _, _| {
            p.no_transaction = true;
            Ok(())
        },
    },
    Directive {
        name: "post-deploy",
        form: Form::Flag,
        header: true,
        set: |p, _, _| {
            p.directives.post_deploy = true;
            Ok(())
        },
    },
    Directive {
        name: "lock-timeout",
        form: Form::Value,
        header: true,
        set: |p, v, _| {
            p.directives.lock_timeout = Some(timeout(v)?);
            Ok(())
        },
    },
    Directive {
        name: "statement-timeout",
        form: Form::Value,
        header: true,
        set: |p, v, _| {
            p.directives.statement_timeout = Some(timeout(v)?);
            Ok(())
        },
    },
    Directive {
        name: "allow",
        form: Form::Words,
        header: false,
        set: allow,
    },
];

/// "5s", "500ms", "2min", "1h", or bare seconds: a directive's duration, and the flags' (`cli`).
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a duration; write e.g. 5s, 500ms, 2min"))?;
    let secs = match unit.trim() {
        "" | "s" | "sec" => n,
        "ms" => n / 1000.0,
        "min" | "m" => n * 60.0,
        "h" => n * 3600.0,
        other => return Err(format!("unknown unit {other:?}; use ms, s, min or h")),
    };
    Ok(std::time::Duration::from_secs_f64(secs))
}

/// A directive's duration: what the flags take (`2s`, `500ms`, `30min`), and more than zero, since
/// PostgreSQL reads 0 as "no limit", which is not what a file asking for a timeout means.
fn timeout(v: &str) -> Result<Duration, String> {
    let d = parse_duration(v)?;
    if d.as_millis() == 0 {
        return Err(format!("{v:?} is zero, which PostgreSQL reads as no limit; give a duration such as 2s or 30min"));
    }
    Ok(d)
}

/// `allow RULE[, RULE...]`: lint rules silenced on the next statement. Whether RULE names a lint rule
/// is checked by `lint::check_allows` where files are loaded, so the files do not depend on the lint.
fn allow(p: &mut Parsed, rules: &str, lineno: usize) -> Result<(), String> {
    for rule in rules.split([',', ' ']).filter(|r| !r.is_empty()) {
        p.allows.push((lineno, rule.to_string()));
    }
    Ok(())
}

/// How every directive is written, for error messages.
fn directive_forms() -> String {
    DIRECTIVES
        .iter()
        .map(|d| match d.form {
            Form::Flag => format!("`{}`", d.name),
            Form::Value => format!("`{}=DURATION`", d.name),
            Form::Words => format!("`{} RULE`", d.name),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The line where the file's SQL starts: the header is the comment and blank lines before it.
fn first_sql_line(text: &str) -> usize {
    sql_start(text).map_or(usize::MAX, |i| line_of(text.as_bytes(), i))
}

/// Parses the `-- en-migrate:` directives. Any comment that starts like one but is not exactly one is an
/// error, so a misspelt `no-transaction` never silently runs a file inside a transaction.
pub fn parse(text: &str) -> Result<Parsed> {
    let mut p = Parsed::default();
    let mut sql_from: Option<usize> = None;
    for (lineno, line) in comment_lines(text) {
        let t = line.trim_start();
        let Some(rest) = t.strip_prefix("--") else {
            continue;
        };
        let rest = rest.trim_start();
        let lower = rest.to_ascii_lowercase();
        if !(lower.starts_with("en-migrate")
            || lower.starts_with("en_migrate")
            || lower.starts_with("enmigrate"))
        {
            continue;
        }
        let Some(body) = rest.strip_prefix("en-migrate:") else {
            bail!(
                "line {lineno}: malformed directive {t:?}; write `-- en-migrate: NAME`, where NAME is one of {}",
                directive_forms()
            );
        };
        let body = body.trim();
        let name_end = body.find([' ', '=']).unwrap_or(body.len());
        let (name, arg) = body.split_at(name_end);
        let Some(d) = DIRECTIVES.iter().find(|d| d.name == name) else {
            bail!(
                "line {lineno}: unknown directive {body:?}; the directives are {}",
                directive_forms()
            );
        };
        let arg = match (d.form, arg.strip_prefix('='), arg.strip_prefix(' ')) {
            (Form::Flag, _, _) if arg.trim().is_empty() => "",
            (Form::Value, Some(v), _) if !v.trim().is_empty() => v.trim(),
            (Form::Words, _, Some(w)) if !w.trim().is_empty() => w.trim(),
            _ => bail!(
                "line {lineno}: malformed directive {body:?}; write {}",
                directive_forms()
                    .split(", ")
                    .find(|f| f.starts_with(&format!("`{name}")))
                    .unwrap_or(name)
            ),
        };
        if d.header && lineno >= *sql_from.get_or_insert_with(|| first_sql_line(text)) {
            bail!("line {lineno}: `-- en-migrate: {name}` must be the first line of the file or follow only comments; move it above the SQL");
        }
        (d.set)(&mut p, arg, lineno).map_err(|e| anyhow::anyhow!("line {lineno}: {e}"))?;
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives() {
        let m = parse(
            "-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY i ON expert_network.t (a);",
        )
        .unwrap();
        assert!(m.no_transaction);
        assert!(parse("SELECT 1;\n-- en-migrate: no-transaction\n").is_err());
        assert!(parse("-- en-migrate: no-transactions\nSELECT 1;").is_err());
        assert!(parse("-- en-migrate no-transaction\nSELECT 1;").is_err());
        let m = parse("-- en-migrate: allow create-index-blocking\nSELECT 1;").unwrap();
        assert_eq!(m.allows, vec![(1, "create-index-blocking".to_string())]);
        // Found by searching for `--`: line numbers across CRLF, indented comments, a `--` inside a
        // line (not a directive line), two on one line.
        let text = "SELECT 1; -- en-migrate: bogus\r\n\r\n  -- a -- b\r\nSELECT '--';\n\t-- en-migrate: allow create-index-blocking\nSELECT 2;";
        assert_eq!(
            comment_lines(text),
            vec![
                (3, "  -- a -- b"),
                (5, "\t-- en-migrate: allow create-index-blocking")
            ]
        );
        let m = parse(text).unwrap();
        assert_eq!(m.allows, vec![(5, "create-index-blocking".to_string())]);
    }

    #[test]
    fn header_directives_set_per_file_settings() {
        let m = parse("-- why: a long rebuild\n-- en-migrate: lock-timeout=2s\n--   en-migrate: statement-timeout=30min\n\n-- en-migrate: post-deploy\nSELECT 1;").unwrap();
        assert_eq!(
            m.directives,
            Directives {
                post_deploy: true,
                lock_timeout: Some(Duration::from_secs(2)),
                statement_timeout: Some(Duration::from_secs(1800)),
            }
        );
        assert!(!m.no_transaction);
        let m = parse("-- en-migrate: post-deploy\n-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY i ON expert_network.t (a);").unwrap();
        assert!(m.no_transaction && m.directives.post_deploy);
        for (text, expect) in [
            ("SELECT 1;\n-- en-migrate: lock-timeout=2s\n", "line 2: `-- en-migrate: lock-timeout` must be the first line"),
            ("/* a\n b */ SELECT 1;\n-- en-migrate: post-deploy\n", "line 3: `-- en-migrate: post-deploy`"),
            ("-- en-migrate: lock-timeout\nSELECT 1;", "line 1: malformed directive \"lock-timeout\"; write `lock-timeout=DURATION`"),
            ("-- en-migrate: lock-timeout=soon\nSELECT 1;", "line 1: \"soon\" is not a duration"),
            ("-- en-migrate: statement-timeout=0\nSELECT 1;", "line 1: \"0\" is zero"),
            ("-- en-migrate: post-deploy=yes\nSELECT 1;", "line 1: malformed directive"),
            ("-- en-migrate: lock_timeout=2s\nSELECT 1;", "line 1: unknown directive \"lock_timeout=2s\"; the directives are `no-transaction`, `post-deploy`, `lock-timeout=DURATION`"),
        ] {
            let e = format!("{:#}", parse(text).unwrap_err());
            assert!(e.contains(expect), "{text:?}: {e}");
        }
        // `allow` may sit anywhere: it speaks of the next statement.
        assert!(
            parse("SELECT 1;\n-- en-migrate: allow destructive\nDROP TABLE expert_network.t;")
                .is_ok()
        );
    }
}
