//! One migration file as data: its text, its checksum, its directives and its placeholders.
//!
//! Owns the checksum rule (it never changes: sha256 of the file with a leading UTF-8 BOM removed and
//! CRLF turned into LF; a repeatable file's is taken over its text after placeholders, see `files::load`)
//! (the directives are read by `crate::files::directives`, comments by `crate::files::lexer`). Pure: no
//! parsing of SQL beyond comments, no database.

use crate::files::lexer::{is_comment_only, line_of};
use anyhow::{bail, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::OnceLock;

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
    /// substituted. Changed only through `replace_text`, which forgets `statements`.
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
    /// Where `text`'s statements are, once the fence has split it (`fence::statements`): the model,
    /// lint and fence of one run share one split, and one answer per statement to whether it is a
    /// literal INSERT.
    pub statements: Statements,
}

/// A slot the fence fills the first time it splits a file's text; see `Migration::statements`. The
/// rule is the fence's: this module only keeps the answer with the file it belongs to. A clone starts
/// empty, so a copy given another text (`Migration { text, ..m.clone() }`) never reads the old split;
/// and the split names the text it was made of (where it is, how long), so one moved to another text
/// (`Migration { text, ..m }`, `m.text = t`) is not read either.
#[derive(Debug, Default)]
pub struct Statements(OnceLock<Split>);

#[derive(Debug)]
struct Split {
    /// The address and length of the text split.
    of: (usize, usize),
    spans: Vec<Span>,
}

impl Clone for Statements {
    fn clone(&self) -> Statements {
        Statements::default()
    }
}

/// One statement's bytes in the text (`start..end`), and the fence's answer, once asked, to whether
/// it is a literal INSERT: the table it fills.
#[derive(Debug, Clone)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub literal: OnceLock<Option<Box<str>>>,
}

impl Statements {
    /// The spans of `text`, split by `split` the first time; None when the split kept is of another
    /// text (the caller splits afresh).
    pub fn get_or_init(&self, text: &str, split: impl FnOnce() -> Vec<Span>) -> Option<&[Span]> {
        let of = (text.as_ptr() as usize, text.len());
        let kept = self.0.get_or_init(|| Split { of, spans: split() });
        if kept.of != of {
            return None;
        }
        Some(&kept.spans)
    }
}

impl Migration {
    /// Replaces the text (placeholders substituted) and forgets any split of the old one.
    pub fn replace_text(&mut self, text: String) {
        self.text = text;
        self.statements = Statements::default();
    }
}

/// So the plan reads a slice of files, or of anything that carries one (`fence::Checked`), alike.
impl AsRef<Migration> for Migration {
    fn as_ref(&self) -> &Migration {
        self
    }
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
            statements: Statements::default(),
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

    /// Substitutes `${name}`. An unknown `${name}` is an error naming its line, unless it is inside a
    /// comment (`-- ...`, `/* ... */`), where it stays as written. Line structure is kept,
    /// so line numbers in the result are the file's.
    pub fn substitute(&self, text: &str) -> Result<String> {
        if !text.contains("${") {
            return Ok(text.to_string());
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        let mut comments = None;
        while let Some(at) = rest.find("${") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let ident_len = after
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            if ident_len > 0 && after.as_bytes().get(ident_len) == Some(&b'}') {
                let key = &after[..ident_len];
                let offset = text.len() - rest.len() + at;
                match self.get(key) {
                    Some(v) => out.push_str(v),
                    // A comment is never run: Prisma's and others' comments quote `${...}` of their
                    // own (a URL template), which must not stop the run.
                    None if in_comment(text, offset, &mut comments) => {
                        out.push_str(&rest[at..at + 3 + ident_len]);
                    }
                    None => {
                        let line = line_of(text.as_bytes(), offset);
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

/// Whether byte `offset` of `text` lies inside a comment, by the server's own scanner (a `--` inside
/// a string is no comment). The comments' ranges are found once per text, on the first unknown
/// placeholder; a text the scanner cannot read has none.
fn in_comment(
    text: &str,
    offset: usize,
    comments: &mut Option<Vec<std::ops::Range<usize>>>,
) -> bool {
    use pg_query::protobuf::Token;
    let ranges = comments.get_or_insert_with(|| {
        pg_query::scan_tokens(text)
            .map(|tokens| {
                tokens
                    .iter()
                    .filter(|t| {
                        t.token == Token::SqlComment as i32 || t.token == Token::CComment as i32
                    })
                    .map(|t| t.start as usize..t.end as usize)
                    .collect()
            })
            .unwrap_or_default()
    });
    ranges.iter().any(|r| r.contains(&offset))
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
        // In a comment an unknown one stays as written; in a string it is still an error.
        assert_eq!(
            p.substitute("-- see ${WEBAPP_URL}/x\n/* ${a} */ SELECT 1; -- ${app_role}\n")
                .unwrap(),
            "-- see ${WEBAPP_URL}/x\n/* ${a} */ SELECT 1; -- app_rw\n"
        );
        assert!(p.substitute("SELECT '-- ${nope}';").is_err());
        assert!(p.substitute("SELECT $q$ /* ${nope} */ $q$;").is_err());
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
