//! One migration file as data: its text, its checksum, its directives and its placeholders.
//!
//! Owns the checksum rule (it never changes: sha256 of the file with a leading UTF-8 BOM removed and
//! CRLF turned into LF; a repeatable file's is taken over its text after placeholders, see `files::load`)
//! (the directives are read by `crate::files::directives`). Pure: no parsing of SQL beyond comments, no
//! database.

use anyhow::{bail, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What a file is, by its name: `NNN_name.sql` runs once, in version order; `R_name.sql` runs after
/// them whenever its checksum (after placeholders) differs from the recorded one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    #[default]
    Versioned,
    Repeatable,
}

pub use crate::files::directives::Directives;
/// A migration file, validated.
#[derive(Debug, Clone)]
pub struct Migration {
    pub version: u64,
    pub name: String,
    /// The file name, which is also the tracker's `migration_name`.
    pub file_name: String,
    /// Where the file is, for messages.
    pub path: String,
    /// The text as written, minus a leading BOM; once loaded (`files::load`), with its placeholders
    /// substituted.
    pub text: String,
    /// The placeholders the file's text named (`app_role` for `${app_role}`), before substitution.
    pub placeholders: Vec<String>,
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
    sql_start(text).is_none()
}

/// Where the first byte that is neither white space nor part of a comment is, if there is one.
pub fn sql_start(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' => i += 1,
            _ => match comment_end(b, i) {
                Some((end, _)) => i = end,
                None => return Some(i),
            },
        }
    }
    None
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
        let p = crate::files::directives::parse(&text)?;
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
            placeholders: Vec::new(),
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

/// The words of one statement's text, lower-cased, without comments, up to its `;`: enough to
/// recognise a statement made only of keywords and plain names. Quoting is not undone, so a quoted
/// name never matches a plain one.
fn words(stmt: &str) -> Vec<String> {
    let b = stmt.as_bytes();
    let (mut out, mut word, mut i) = (Vec::new(), String::new(), 0);
    while i < b.len() {
        if let Some(j) = skip_comment(b, i) {
            i = j;
        } else if b[i] == b';' {
            // A statement's range may start with the `;` of the one before.
            if out.is_empty() && word.is_empty() {
                i += 1;
                continue;
            }
            break;
        } else {
            if b[i].is_ascii_whitespace() {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            } else {
                word.push(b[i].to_ascii_lowercase() as char);
            }
            i += 1;
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Past the comment that starts at `i`, if one does (`--` to the line's end, nested `/* */`).
fn skip_comment(b: &[u8], i: usize) -> Option<usize> {
    if b[i..].starts_with(b"--") {
        return Some(i + memchr::memchr(b'\n', &b[i..]).unwrap_or(b.len() - i));
    }
    if !b[i..].starts_with(b"/*") {
        return None;
    }
    let (mut depth, mut j) = (1, i + 2);
    while j < b.len() && depth > 0 {
        if b[j..].starts_with(b"/*") {
            depth += 1;
            j += 1;
        } else if b[j..].starts_with(b"*/") {
            depth -= 1;
            j += 1;
        }
        j += 1;
    }
    Some(j.min(b.len()))
}

/// Where the code of a statement's range begins, past white space, `;` and comments: the place to
/// name in a message.
pub fn code_start(text: &str, range: std::ops::Range<usize>) -> usize {
    let b = &text.as_bytes()[..range.end];
    let mut i = range.start;
    while i < b.len() {
        if b[i] == b';' || b[i].is_ascii_whitespace() {
            i += 1;
        } else if let Some(j) = skip_comment(b, i) {
            i = j;
        } else {
            break;
        }
    }
    i.min(range.end)
}

/// The byte range of each statement, from the fence's statement ends, without the `;` of the one
/// before (blanking a statement must leave its neighbour's terminator alone).
pub fn statements<'a>(
    text: &'a str,
    ends: &'a [usize],
) -> impl Iterator<Item = std::ops::Range<usize>> + 'a {
    ends.iter().scan(0, move |start, &end| {
        let from = std::mem::replace(start, end);
        let skip = text.as_bytes()[from..end]
            .iter()
            .take_while(|&&c| c == b';' || c.is_ascii_whitespace())
            .count();
        Some(from + skip..end)
    })
}

/// A file wholly wrapped in `BEGIN;` ... `COMMIT;` (Django's `sqlmigrate` writes them): the ranges of
/// the two wrapper statements, which en-migrate drops since it runs every migration in its own
/// transaction. `ends` are the fence's statement ends. Any other transaction control is not a
/// wrapper (the fence refuses it).
pub fn transaction_wrapper(text: &str, ends: &[usize]) -> Option<[std::ops::Range<usize>; 2]> {
    let all: Vec<_> = statements(text, ends).collect();
    let (first, last) = (all.first()?.clone(), all.last()?.clone());
    if all.len() < 2 {
        return None;
    }
    let is = |r: &std::ops::Range<usize>, forms: &[&[&str]]| {
        let w = words(&text[r.clone()]);
        forms.iter().any(|f| w == *f)
    };
    let opens: &[&[&str]] = &[
        &["begin"],
        &["begin", "transaction"],
        &["begin", "work"],
        &["start", "transaction"],
    ];
    let closes: &[&[&str]] = &[
        &["commit"],
        &["commit", "transaction"],
        &["commit", "work"],
        &["end"],
        &["end", "transaction"],
        &["end", "work"],
    ];
    (is(&first, opens) && is(&last, closes)).then_some([first, last])
}

/// The statements of `text` that are exactly `form` (lower-case words), e.g. the shipped
/// `CREATE SCHEMA IF NOT EXISTS expert_network`.
pub fn statements_like(text: &str, ends: &[usize], form: &[&str]) -> Vec<std::ops::Range<usize>> {
    statements(text, ends)
        .filter(|r| words(&text[r.clone()]) == form)
        .collect()
}

/// `text` with every byte of `ranges` but line ends turned into spaces: the statements vanish, and
/// every position and line of the rest stays where it was.
pub fn blank(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut out = text.to_string().into_bytes();
    for r in ranges {
        for i in r.clone() {
            if out[i] != b'\n' {
                out[i] = b' ';
            }
        }
    }
    // Whole UTF-8 characters became spaces (the ranges are statement bounds), so this is UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod wrapper_tests {
    use super::*;

    fn ends(text: &str) -> Vec<usize> {
        crate::fence::split(text)
            .unwrap()
            .iter()
            .map(|s| s.offset + s.sql.len())
            .collect()
    }

    #[test]
    fn a_django_file_is_wrapped_and_blanking_keeps_every_position() {
        let text = "--\n-- Create model Expert\n--\nBEGIN;\nCREATE TABLE expert_network.e (id int); -- é\nCOMMIT;\n";
        let e = ends(text);
        let [open, close] = transaction_wrapper(text, &e).unwrap();
        let out = blank(text, &[open, close]);
        assert_eq!(out.len(), text.len());
        assert_eq!(out.lines().count(), text.lines().count());
        assert!(!out.contains("BEGIN") && !out.contains("COMMIT"));
        assert_eq!(out.find("CREATE"), text.find("CREATE"));
        pg_query::parse(&out, 0).unwrap();
        for wrapped in [
            "begin work;\nSELECT 1;\n/* done */ END;",
            "START TRANSACTION;\nSELECT 1;\ncommit transaction;",
        ] {
            assert!(
                transaction_wrapper(wrapped, &ends(wrapped)).is_some(),
                "{wrapped}"
            );
        }
    }

    #[test]
    fn other_transaction_control_is_no_wrapper() {
        for text in [
            "BEGIN;\nSELECT 1;",
            "SELECT 1;\nCOMMIT;",
            "BEGIN;",
            "BEGIN ISOLATION LEVEL SERIALIZABLE;\nSELECT 1;\nCOMMIT;",
            "BEGIN;\nSELECT 1;\nROLLBACK;",
            "BEGIN;\nSELECT 1;\nCOMMIT AND CHAIN;",
        ] {
            assert!(transaction_wrapper(text, &ends(text)).is_none(), "{text}");
        }
    }

    #[test]
    fn the_shipped_create_schema_is_found_by_its_words() {
        let text = "-- x\nCREATE SCHEMA IF NOT EXISTS expert_network;\nCOMMENT ON SCHEMA expert_network IS 'a';\ncreate schema if not exists \"expert_network\";";
        let form = ["create", "schema", "if", "not", "exists", "expert_network"];
        let found = statements_like(text, &ends(text), &form);
        assert_eq!(found.len(), 1);
        let out = blank(text, &found);
        assert!(!out.contains("CREATE SCHEMA"));
        assert_eq!(out.find("COMMENT ON"), text.find("COMMENT ON"));
        assert_eq!(pg_query::parse(&out, 0).unwrap().protobuf.stmts.len(), 2);
        assert!(text[found[0].clone()].contains("CREATE SCHEMA"));
    }
}
