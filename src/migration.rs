//! One migration file as data: its text, its checksum, its directives and its placeholders.
//!
//! Owns the checksum rule (it never changes: sha256 of the file with a leading UTF-8 BOM removed and
//! CRLF turned into LF) and the `-- en-migrate:` directive grammar. Pure: no parsing of SQL beyond
//! comments, no database.

use anyhow::{bail, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

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

/// Parses the `-- en-migrate:` directives. Any comment that starts like one but is not exactly one is an
/// error, so a misspelt `no-transaction` never silently runs a file inside a transaction.
fn directives(text: &str) -> Result<(bool, Vec<(usize, String)>)> {
    let mut no_tx = false;
    let mut allows = Vec::new();
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
            bail!("line {lineno}: malformed directive {t:?}; write `-- en-migrate: no-transaction` or `-- en-migrate: allow RULE`");
        };
        let body = body.trim();
        if body == "no-transaction" {
            if lineno != 1 {
                bail!("line {lineno}: `-- en-migrate: no-transaction` must be the first line of the file");
            }
            no_tx = true;
        } else if let Some(rules) = body.strip_prefix("allow ") {
            for rule in rules.split([',', ' ']).filter(|r| !r.is_empty()) {
                if !crate::lint::RULES.iter().any(|(r, _, _)| *r == rule) {
                    bail!(
                        "line {lineno}: `allow {rule}` names no lint rule; the rules are {}",
                        crate::lint::RULES
                            .iter()
                            .map(|(r, _, _)| *r)
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
                allows.push((lineno, rule.to_string()));
            }
        } else {
            bail!("line {lineno}: unknown directive {body:?}; the directives are `no-transaction` (first line) and `allow RULE`");
        }
    }
    Ok((no_tx, allows))
}

impl Migration {
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
        let (no_transaction, allows) = directives(&text)?;
        Ok(Migration {
            version,
            name,
            file_name,
            path,
            text,
            checksum,
            no_transaction,
            allows,
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
            // A reserved word (select, user, all) cannot stand as a role name unquoted: the migration
            // would fail to parse on the server, after the ones before it were applied.
            if pg_query::parse(&format!("GRANT USAGE ON SCHEMA s TO {v}"), 0).is_err() {
                bail!("--set {k}={v}: {v} is a reserved word in SQL and cannot name a role unquoted; choose another name");
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
        let reserved = Placeholders::with_sets(&["app_role=select".into()]).unwrap_err();
        assert!(
            format!("{reserved:#}").contains("reserved word"),
            "{reserved:#}"
        );
        assert!(Placeholders::with_sets(&["app_role=user".into()]).is_err());
        assert!(Placeholders::with_sets(&["app_role=app_user".into()]).is_ok());
        assert!(Placeholders::with_sets(&["nope=x".into()]).is_err());
    }
}
