//! One migration file as data: its text, its checksum, its directives and its placeholders.
//!
//! Owns the checksum rule (it never changes: sha256 of the file with a leading UTF-8 BOM removed and
//! CRLF turned into LF; a repeatable file's is taken over its text after placeholders, see `up::load`)
//! and the `-- en-migrate:` directive grammar, one table (`DIRECTIVES`) that every directive is a row
//! of. Pure: no parsing of SQL beyond comments, no database.

use anyhow::{bail, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::time::Duration;

/// What a file is, by its name: `NNN_name.sql` runs once, in version order; `R_name.sql` runs after
/// them whenever its checksum (after placeholders) differs from the recorded one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    #[default]
    Versioned,
    Repeatable,
}

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

/// A migration file, validated.
#[derive(Debug, Clone)]
pub struct Migration {
    pub version: u64,
    pub name: String,
    /// The file name, which is also the tracker's `migration_name`.
    pub file_name: String,
    /// Where the file is, for messages.
    pub path: String,
    /// The text as written, minus a leading BOM. `up::load` moves it into the substituted texts when
    /// the file has no placeholders, leaving this empty.
    pub text: String,
    /// Lower-case hex sha256 by the checksum rule.
    pub checksum: String,
    /// `-- en-migrate: no-transaction` on the first line.
    pub no_transaction: bool,
    /// `-- en-migrate: allow RULE` lines: (line of the directive, rule).
    pub allows: Vec<(usize, String)>,
    /// Versioned or repeatable, from the file name.
    pub kind: Kind,
    /// The header's other directives.
    pub directives: Directives,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The checksum rule: sha256 over the bytes with a leading UTF-8 BOM removed and every CRLF turned into
/// LF, so a Windows checkout of the same file is not drift.
pub fn checksum(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut h = Sha256::new();
    // Most files have no CR at all: hash them in one call (`contains` on bytes is a memchr).
    if !bytes.contains(&b'\r') {
        h.update(bytes);
        return hex(&h.finalize());
    }
    // Feed runs between CRs so a 50 MB seed is hashed without a second copy.
    let mut start = 0;
    for (i, w) in bytes.windows(2).enumerate() {
        if w == b"\r\n" {
            h.update(&bytes[start..i]);
            start = i + 1;
        }
    }
    h.update(&bytes[start..]);
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// 1-based line of a byte offset.
pub fn line_of(text: &[u8], offset: usize) -> usize {
    1 + memchr::memchr_iter(b'\n', &text[..offset.min(text.len())]).count()
}

/// Line numbers of one text by offset, found once: a file can have thousands of findings or
/// statements, and counting from the start for each would cost the square of its size.
pub struct Lines {
    newlines: Vec<usize>,
}

impl Lines {
    pub fn new(text: &[u8]) -> Self {
        Lines {
            newlines: memchr::memchr_iter(b'\n', text).collect(),
        }
    }

    /// The 1-based line of `offset`, as `line_of` counts it.
    pub fn line(&self, offset: usize) -> usize {
        1 + self.newlines.partition_point(|&n| n < offset)
    }
}

/// Refuses UTF-16 and NUL bytes, naming the line and byte (UTF-8 itself is checked by `utf8`).
fn check_encoding(bytes: &[u8]) -> Result<()> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        bail!("the file is UTF-16 (byte order mark at line 1, byte 0); save it as UTF-8");
    }
    // `contains` first: a memchr, where `position` walks byte by byte (5 ms on a 15 MB seed).
    if let Some(pos) = bytes
        .contains(&0)
        .then(|| bytes.iter().position(|&b| b == 0))
        .flatten()
    {
        let hint = if bytes.len() > 1 && (bytes[1] == 0 || bytes[0] == 0) {
            " (it looks like UTF-16; save it as UTF-8)"
        } else {
            ""
        };
        bail!(
            "NUL byte at line {}, byte {pos}{hint}; PostgreSQL cannot take NUL in SQL text",
            line_of(bytes, pos)
        );
    }
    Ok(())
}

/// The file as text, or an error naming the first byte that is not UTF-8.
fn utf8(bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let pos = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        anyhow::anyhow!(
            "not UTF-8: byte 0x{:02X} at line {}, byte {pos} (Latin-1 or another legacy encoding?); save the file as UTF-8",
            bytes[pos],
            line_of(bytes, pos)
        )
    })
}

/// If a comment starts at `i` (`--` to the end of the line, or a `/* */` block, which nests in
/// PostgreSQL), where it ends and whether it was closed. The one place that knows SQL comments;
/// every lexer in en-migrate skips them through it.
pub fn comment_end(b: &[u8], i: usize) -> Option<(usize, bool)> {
    if b.get(i) == Some(&b'-') && b.get(i + 1) == Some(&b'-') {
        return Some((
            b[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |p| i + p),
            true,
        ));
    }
    if !(b.get(i) == Some(&b'/') && b.get(i + 1) == Some(&b'*')) {
        return None;
    }
    let (mut i, mut depth) = (i, 0usize);
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return Some((i, true));
            }
        } else {
            i += 1;
        }
    }
    Some((b.len(), false))
}

/// True when the text holds nothing but white space and comments.
pub fn is_comment_only(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' => i += 1,
            _ => match comment_end(b, i) {
                Some((end, _)) => i = end,
                None => return false,
            },
        }
    }
    true
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
#[derive(Default)]
struct Parsed {
    no_transaction: bool,
    allows: Vec<(usize, String)>,
    directives: Directives,
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

/// A directive's duration: what the flags take (`2s`, `500ms`, `30min`), and more than zero, since
/// PostgreSQL reads 0 as "no limit", which is not what a file asking for a timeout means.
fn timeout(v: &str) -> Result<Duration, String> {
    let d = crate::cli::parse_duration(v)?;
    if d.as_millis() == 0 {
        return Err(format!("{v:?} is zero, which PostgreSQL reads as no limit; give a duration such as 2s or 30min"));
    }
    Ok(d)
}

/// `allow RULE[, RULE...]`: lint rules silenced on the next statement.
fn allow(p: &mut Parsed, rules: &str, lineno: usize) -> Result<(), String> {
    for rule in rules.split([',', ' ']).filter(|r| !r.is_empty()) {
        if !crate::lint::RULES.iter().any(|(r, _, _)| *r == rule) {
            return Err(format!(
                "`allow {rule}` names no lint rule; the rules are {}",
                crate::lint::RULES
                    .iter()
                    .map(|(r, _, _)| *r)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
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
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' => i += 1,
            _ => match comment_end(b, i) {
                Some((end, _)) => i = end,
                None => return line_of(b, i),
            },
        }
    }
    usize::MAX
}

/// Parses the `-- en-migrate:` directives. Any comment that starts like one but is not exactly one is an
/// error, so a misspelt `no-transaction` never silently runs a file inside a transaction.
fn directives(text: &str) -> Result<Parsed> {
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

impl Migration {
    pub fn is_repeatable(&self) -> bool {
        self.kind == Kind::Repeatable
    }

    pub fn from_bytes(
        version: u64,
        name: String,
        file_name: String,
        path: String,
        bytes: Vec<u8>,
    ) -> Result<Self> {
        let checksum = checksum(&bytes);
        let body = bytes.strip_prefix(BOM).unwrap_or(&bytes);
        check_encoding(body)?;
        // Validated once, as it becomes a String.
        let text = if body.len() == bytes.len() {
            utf8(bytes)?
        } else {
            utf8(body.to_vec())?
        };
        if is_comment_only(&text) {
            bail!("the file is empty or holds only comments; add SQL or delete the file");
        }
        let p = directives(&text)?;
        let kind = if file_name.starts_with("R_") {
            Kind::Repeatable
        } else {
            Kind::Versioned
        };
        Ok(Migration {
            version,
            name,
            file_name,
            path,
            text,
            checksum,
            no_transaction: p.no_transaction,
            allows: p.allows,
            kind,
            directives: p.directives,
        })
    }
}

/// Values for `${name}` placeholders.
#[derive(Debug, Clone)]
pub struct Placeholders(BTreeMap<String, String>);

impl Default for Placeholders {
    fn default() -> Self {
        let mut m = BTreeMap::new();
        m.insert("app_role".to_string(), "raguser".to_string());
        m.insert(
            "readonly_role".to_string(),
            "expert_network_readonly".to_string(),
        );
        Placeholders(m)
    }
}

impl Placeholders {
    /// Applies `--set NAME=VALUE` pairs. A value must be a plain lower-case identifier, so no SQL can
    /// travel through a flag; `public` and `pg_*` are refused because granting to them reaches every role.
    pub fn with_sets(sets: &[String]) -> Result<Self> {
        let mut p = Placeholders::default();
        for set in sets {
            let Some((k, v)) = set.split_once('=') else {
                bail!("--set {set:?}: expected NAME=VALUE, for example --set app_role=raguser");
            };
            if !p.0.contains_key(k) {
                bail!(
                    "--set {k}: unknown placeholder; the placeholders are {}",
                    p.names().join(", ")
                );
            }
            let plain = !v.is_empty()
                && v.len() <= 63
                && v.bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
                && v.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !plain {
                bail!("--set {k}={v:?}: the value must be a plain identifier ([a-z_][a-z0-9_]*, at most 63 bytes)");
            }
            if v == "public" || v.starts_with("pg_") {
                bail!("--set {k}={v}: `public` and `pg_*` roles are refused; name a real role");
            }
            p.0.insert(k.to_string(), v.to_string());
        }
        Ok(p)
    }

    pub fn names(&self) -> Vec<String> {
        self.0.keys().cloned().collect()
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Substitutes `${name}`. An unknown `${name}` is an error naming its line. Line structure is kept,
    /// so line numbers in the result are the file's.
    pub fn substitute(&self, text: &str) -> Result<String> {
        if !text.contains("${") {
            return Ok(text.to_string());
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("${") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let ident_len = after
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            if ident_len > 0 && after.as_bytes().get(ident_len) == Some(&b'}') {
                let key = &after[..ident_len];
                match self.get(key) {
                    Some(v) => out.push_str(v),
                    None => {
                        let line = line_of(text.as_bytes(), text.len() - rest.len() + at);
                        bail!(
                            "line {line}: unknown placeholder ${{{key}}}; the placeholders are {}",
                            self.names()
                                .iter()
                                .map(|n| format!("${{{n}}}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        );
                    }
                }
                rest = &after[ident_len + 1..];
            } else {
                out.push_str("${");
                rest = after;
            }
        }
        out.push_str(rest);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mig(text: &[u8]) -> Result<Migration> {
        Migration::from_bytes(
            1,
            "a".into(),
            "001_a.sql".into(),
            "001_a.sql".into(),
            text.to_vec(),
        )
    }

    #[test]
    fn checksum_ignores_bom_and_crlf() {
        let lf = checksum(b"SELECT 1;\nSELECT 2;\n");
        assert_eq!(lf, checksum(b"\xEF\xBB\xBFSELECT 1;\r\nSELECT 2;\r\n"));
        assert_ne!(lf, checksum(b"SELECT 1;\nSELECT 3;\n"));
        // A lone CR is content, not a line ending.
        assert_ne!(checksum(b"a\rb"), checksum(b"a\nb"));
        assert_eq!(
            checksum(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn hostile_bytes_are_named() {
        let e = format!("{:#}", mig(b"SELECT 1;\nSELECT 'caf\xE9';").unwrap_err());
        assert!(e.contains("line 2") && e.contains("0xE9"), "{e}");
        let e = format!("{:#}", mig(b"\xFF\xFES\0E\0").unwrap_err());
        assert!(e.contains("UTF-16"), "{e}");
        let e = format!("{:#}", mig(b"SELECT 1;\n\0").unwrap_err());
        assert!(e.contains("NUL byte at line 2, byte 10"), "{e}");
    }

    #[test]
    fn comments_end_where_postgresql_ends_them() {
        let b = b"-- a\nx /* a /* b */ c */y /* open";
        assert_eq!(comment_end(b, 0), Some((4, true)));
        assert_eq!(comment_end(b, 5), None);
        assert_eq!(comment_end(b, 7), Some((24, true)));
        assert_eq!(comment_end(b, 26), Some((b.len(), false)));
    }

    #[test]
    fn empty_and_comment_only_files_are_refused() {
        assert!(mig(b"").is_err());
        assert!(mig(b"-- nothing\n/* nested /* block */ still */\n").is_err());
        assert!(mig(b"-- x\nSELECT 1;").is_ok());
    }

    #[test]
    fn directives() {
        let m = mig(
            b"-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY i ON expert_network.t (a);",
        )
        .unwrap();
        assert!(m.no_transaction);
        assert!(mig(b"SELECT 1;\n-- en-migrate: no-transaction\n").is_err());
        assert!(mig(b"-- en-migrate: no-transactions\nSELECT 1;").is_err());
        assert!(mig(b"-- en-migrate no-transaction\nSELECT 1;").is_err());
        let m = mig(b"-- en-migrate: allow create-index-blocking\nSELECT 1;").unwrap();
        assert_eq!(m.allows, vec![(1, "create-index-blocking".to_string())]);
        // Found by searching for `--`: line numbers across CRLF, indented comments, a `--` inside a
        // line (not a directive line), two on one line.
        let text = "SELECT 1; -- en-migrate: bogus\r\n\r\n  -- a -- b\r\nSELECT '--';\n\t-- en-migrate: allow create-index-blocking\nSELECT 2;";
        assert_eq!(
            super::comment_lines(text),
            vec![
                (3, "  -- a -- b"),
                (5, "\t-- en-migrate: allow create-index-blocking")
            ]
        );
        let m = mig(text.as_bytes()).unwrap();
        assert_eq!(m.allows, vec![(5, "create-index-blocking".to_string())]);
    }

    #[test]
    fn header_directives_set_per_file_settings() {
        let m = mig(b"-- why: a long rebuild\n-- en-migrate: lock-timeout=2s\n--   en-migrate: statement-timeout=30min\n\n-- en-migrate: post-deploy\nSELECT 1;").unwrap();
        assert_eq!(
            m.directives,
            Directives {
                post_deploy: true,
                lock_timeout: Some(Duration::from_secs(2)),
                statement_timeout: Some(Duration::from_secs(1800)),
            }
        );
        assert!(!m.no_transaction);
        let m = mig(b"-- en-migrate: post-deploy\n-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY i ON expert_network.t (a);").unwrap();
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
            let e = format!("{:#}", mig(text.as_bytes()).unwrap_err());
            assert!(e.contains(expect), "{text:?}: {e}");
        }
        // `allow` may sit anywhere: it speaks of the next statement.
        assert!(
            mig(b"SELECT 1;\n-- en-migrate: allow destructive\nDROP TABLE expert_network.t;")
                .is_ok()
        );
    }

    #[test]
    fn the_kind_comes_from_the_file_name() {
        let r = Migration::from_bytes(
            0,
            "v".into(),
            "R_v.sql".into(),
            "R_v.sql".into(),
            b"SELECT 1;".to_vec(),
        )
        .unwrap();
        assert!(r.is_repeatable());
        assert!(!mig(b"SELECT 1;").unwrap().is_repeatable());
    }

    #[test]
    fn placeholders() {
        let p = Placeholders::with_sets(&["app_role=app_rw".into()]).unwrap();
        assert_eq!(
            p.substitute("GRANT x TO ${app_role}, ${readonly_role};")
                .unwrap(),
            "GRANT x TO app_rw, expert_network_readonly;"
        );
        let e = p
            .substitute("SELECT 1;\nSELECT '${nope}';")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2") && e.contains("${nope}"), "{e}");
        assert_eq!(
            p.substitute("SELECT $$ ${ not one $$;").unwrap(),
            "SELECT $$ ${ not one $$;"
        );
        assert!(Placeholders::with_sets(&["app_role=x; DROP TABLE y".into()]).is_err());
        assert!(Placeholders::with_sets(&["app_role=Raguser".into()]).is_err());
        assert!(Placeholders::with_sets(&["app_role=public".into()]).is_err());
        assert!(Placeholders::with_sets(&["nope=x".into()]).is_err());
    }
}
