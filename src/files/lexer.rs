//! The one SQL lexer en-migrate has, below the parser: where a comment ends, where the SQL of a text
//! starts, the line of an offset, and a statement's words and byte range, by which the transaction
//! wrapper and the shipped `CREATE SCHEMA` are recognised and blanked out.
//!
//! Pure: knows comments and white space only, never parses SQL, never touches a database. Every
//! other part that skips comments (the files, the fence, the lint, the database edge) does it here.

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

/// Past the comment that starts at `i`, if one does (`comment_end`, closed or not).
fn skip_comment(b: &[u8], i: usize) -> Option<usize> {
    comment_end(b, i).map(|(end, _)| end)
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

/// Whether `text` holds `word` in any ASCII case: the cheap look (is a statement about search_path,
/// does a SELECT say INTO) that decides whether a statement is parsed again. A seed's statements are
/// megabytes of rows, and comparing a window at every byte was half of `check`'s second thread there
/// (212 M of 417 M instructions on the 17.7 MB seed, for `search_path` alone): this jumps with memchr
/// to the word's byte least likely in SQL and data (one that is not a letter, as `_` in search_path,
/// else its first letter in either case) and compares only there.
pub fn mentions(text: &str, word: &str) -> bool {
    let (t, w) = (text.as_bytes(), word.as_bytes());
    let Some(first) = w.first() else {
        return true;
    };
    let k = w.iter().position(|b| !b.is_ascii_alphabetic()).unwrap_or(0);
    let b = if k == 0 { *first } else { w[k] };
    memchr::memchr2_iter(b.to_ascii_lowercase(), b.to_ascii_uppercase(), t).any(|i| {
        i >= k
            && t.get(i - k..i - k + w.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(w))
    })
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

/// The transaction blocks of a file that runs in en-migrate's transaction: the ranges of their
/// `BEGIN` and `COMMIT` statements, which en-migrate drops, so that what they held runs in its own
/// transaction with the rest of the file. Django's `sqlmigrate` wraps the whole file in one block;
/// Prisma writes a block in the middle of a file (its enum changes: a new type, the columns moved to
/// it, the renames), run with autocommit before and after. Both then run as one transaction, which is
/// stricter than either tool: nothing of the file commits unless all of it does.
///
/// A tool that runs each file in a transaction of its own (sql-migrate, goose, golang-migrate) lets a
/// file split it with `COMMIT; BEGIN;`, as heroiclabs/nakama's migrate/sql/
/// 20250926112031-console-fine-grained-acl.sql does between an ALTER TABLE and the UPDATE of the new
/// column ("CockroachDB does not allow ALTER TABLE ... UPDATE in a transaction block"): such a pair,
/// a plain COMMIT with no block open and at once a plain BEGIN, is dropped as well, and both halves
/// run in en-migrate's one transaction. A COMMIT followed by anything else (Nakama's `COMMIT; CREATE
/// INDEX CONCURRENTLY ...; BEGIN;`, which needs a `-- en-migrate: no-transaction` file) drops nothing.
/// A plain COMMIT with no block open as the file's last statement (comments after it at most) ends the
/// tool's transaction where the tool would end it anyway: quartz-scheduler/quartz's
/// tables_postgres.sql ends so, and projects copy it whole into a Flyway migration. It is dropped too:
/// en-migrate commits the same statements itself, after its database-side check (corpus 163).
///
/// Only plain pairs, one after another, never nested: every statement whose first word is one of
/// transaction control's must be exactly `BEGIN [WORK | TRANSACTION]` or `START TRANSACTION` opening
/// a block, or `COMMIT [WORK | TRANSACTION]` or `END [WORK | TRANSACTION]` closing the open one, and
/// the file must hold a statement besides them. Otherwise nothing is dropped and the fence refuses
/// every one of them (`COMMIT AND NO CHAIN`, `BEGIN ISOLATION LEVEL ...`, a `ROLLBACK`, a `SAVEPOINT`,
/// a block left open). The fence asks this function which statements it skips, so the two halves
/// cannot disagree. `ends` are the fence's statement ends.
pub fn transaction_blocks(text: &str, ends: &[usize]) -> Vec<std::ops::Range<usize>> {
    const OPENS: &[&[&str]] = &[
        &["begin"],
        &["begin", "transaction"],
        &["begin", "work"],
        &["start", "transaction"],
    ];
    const CLOSES: &[&[&str]] = &[
        &["commit"],
        &["commit", "transaction"],
        &["commit", "work"],
        &["end"],
        &["end", "transaction"],
        &["end", "work"],
    ];
    // Every statement kind of transaction control starts with one of these (PREPARE TRANSACTION too;
    // PREPARE of a query is refused as dynamic SQL whatever this says).
    const CONTROL: &[&str] = &[
        "begin",
        "start",
        "commit",
        "end",
        "rollback",
        "abort",
        "savepoint",
        "release",
        "prepare",
    ];
    let (mut dropped, mut open, mut others) = (Vec::new(), None, false);
    // A COMMIT with no block open: it ends the tool's own transaction, and must be followed at once
    // by a BEGIN of the next one (Nakama's `COMMIT; BEGIN;`, see below).
    let mut split: Option<std::ops::Range<usize>> = None;
    for r in statements(text, ends) {
        // The first word alone for most statements: a seed's INSERTs are megabytes of words.
        let start = code_start(text, r.clone());
        let first = text[start..r.end]
            .bytes()
            .take_while(u8::is_ascii_alphabetic)
            .count();
        if !CONTROL
            .iter()
            .any(|c| text[start..start + first].eq_ignore_ascii_case(c))
        {
            if split.is_some() && start < r.end {
                return Vec::new();
            }
            others |= start < r.end;
            continue;
        }
        let w = words(&text[r.clone()]);
        let is = |forms: &[&[&str]]| forms.iter().any(|f| w == *f);
        match (open.take(), split.take()) {
            (None, None) if is(OPENS) => open = Some(r),
            (None, None) if is(CLOSES) => split = Some(r),
            (None, Some(commit)) if is(OPENS) => dropped.extend([commit, r]),
            (Some(begin), None) if is(CLOSES) => dropped.extend([begin, r]),
            _ => return Vec::new(),
        }
    }
    if open.is_some() || !others {
        return Vec::new();
    }
    // The file's last statement: a COMMIT of the tool's own transaction, which en-migrate makes.
    dropped.extend(split);
    dropped
}

/// The isolation level a file asks for where PostgreSQL takes one, in the first statement of its
/// transaction: `SET TRANSACTION ISOLATION LEVEL ...` first in the file, or right after a leading
/// `BEGIN;` that `transaction_blocks` drops (Langfuse's `BEGIN; SET TRANSACTION ISOLATION LEVEL
/// REPEATABLE READ;`). en-migrate's own statements come first in the transaction, and the server then
/// refuses the SET ("must be called before any query", SQLSTATE 25001), so `up` opens the transaction
/// at that level (`BEGIN ISOLATION LEVEL ...`) and blanks the statement: the range it returns, up to
/// its `;`, with the level as the server spells it. One level alone, keywords only: any other form
/// (`, READ ONLY`, `DEFERRABLE`, `SNAPSHOT`) is left to the server, as is a SET later in the file.
pub fn leading_isolation(text: &str) -> Option<(std::ops::Range<usize>, &'static str)> {
    let mut at = 0;
    // At most a BEGIN, then the SET.
    for _ in 0..2 {
        let range = keyword_statement(text, at)?;
        let w = words(&text[range.clone()]);
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        match w.as_slice() {
            ["begin"] | ["begin", "transaction"] | ["begin", "work"] | ["start", "transaction"]
                if at == 0 =>
            {
                at = range.end + 1;
            }
            ["set", "transaction", "isolation", "level", level @ ..] => {
                let level = match level {
                    ["serializable"] => "SERIALIZABLE",
                    ["repeatable", "read"] => "REPEATABLE READ",
                    ["read", "committed"] => "READ COMMITTED",
                    ["read", "uncommitted"] => "READ UNCOMMITTED",
                    _ => return None,
                };
                return Some((range, level));
            }
            _ => return None,
        }
    }
    None
}

/// The statement that starts at or after `from` (past white space and comments), up to its `;` or
/// the end, when it is made of plain words only: a quote, a dollar or any other punctuation ends
/// the look (such a statement is never one `leading_isolation` wants, and its `;` could be quoted).
fn keyword_statement(text: &str, from: usize) -> Option<std::ops::Range<usize>> {
    let start = from + sql_start(text.get(from..)?)?;
    let b = text.as_bytes();
    let mut i = start;
    while i < b.len() && b[i] != b';' {
        if let Some(j) = skip_comment(b, i) {
            i = j;
        } else if b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i].is_ascii_whitespace() {
            i += 1;
        } else {
            return None;
        }
    }
    Some(start..i)
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
mod tests {
    use super::*;

    #[test]
    fn the_isolation_level_a_file_asks_for_first_is_found() {
        fn at(t: &str) -> Option<(&str, &'static str)> {
            leading_isolation(t).map(|(r, l)| (&t[r], l))
        }
        assert_eq!(
            at("BEGIN;\nSET TRANSACTION ISOLATION LEVEL REPEATABLE READ;\nSELECT 1;"),
            Some((
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
                "REPEATABLE READ"
            ))
        );
        assert_eq!(
            at("-- up\n/* a /* nested */ note */ set transaction\n  isolation level serializable"),
            Some((
                "set transaction\n  isolation level serializable",
                "SERIALIZABLE"
            ))
        );
        assert_eq!(
            at("START TRANSACTION; SET TRANSACTION -- why\n ISOLATION LEVEL READ COMMITTED; x"),
            Some((
                "SET TRANSACTION -- why\n ISOLATION LEVEL READ COMMITTED",
                "READ COMMITTED"
            ))
        );
        for other in [
            "SELECT 1;\nSET TRANSACTION ISOLATION LEVEL SERIALIZABLE;",
            "BEGIN;\nBEGIN;\nSET TRANSACTION ISOLATION LEVEL SERIALIZABLE;",
            "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY;",
            "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE READ ONLY;",
            "SET TRANSACTION READ ONLY;",
            "SET TRANSACTION SNAPSHOT '00000003-0000001B-1';",
            "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE;",
            "BEGIN ISOLATION LEVEL SERIALIZABLE;",
            "SET TRANSACTION ISOLATION LEVEL \"serializable\";",
            "",
        ] {
            assert_eq!(at(other), None, "{other}");
        }
    }

    #[test]
    fn a_word_is_found_in_any_case_and_only_whole() {
        assert!(mentions("SET Search_Path = x", "search_path"));
        assert!(mentions("search_path", "search_path"));
        assert!(mentions("xsearch_pathx", "search_path"));
        assert!(!mentions("search-path search_pat _path", "search_path"));
        assert!(!mentions("_path", "search_path"));
        assert!(mentions("SELECT 1 INTO x", "into"));
        assert!(mentions("int iNTo", "into"));
        assert!(!mentions("int in to", "into"));
        assert!(mentions("anything", ""));
        assert!(!mentions("", "into"));
        // Bytes beyond ASCII around the word, and a word at either end.
        assert!(mentions("é_Search_Pathé", "search_path"));
        assert!(mentions("INTO", "into"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, failure_persistence: None, ..Default::default() })]
        /// Against the plain window-at-every-byte comparison it replaces.
        #[test]
        fn mentions_is_the_window_comparison(text in "[sSeEaArRcChH_pPtT iInNoO;é]{0,40}", word in proptest::sample::select(vec!["search_path", "into", "values", "_", "h_p"])) {
            let windows = text.as_bytes().windows(word.len()).any(|w| w.eq_ignore_ascii_case(word.as_bytes()));
            proptest::prop_assert_eq!(mentions(&text, word), windows);
        }
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
    fn words_and_code_start_skip_comments_as_comment_end_ends_them() {
        let text = ";\n/* a /* nested */ still */ -- x\n  Begin /* b */ WORK; SELECT 1";
        assert_eq!(&text[code_start(text, 0..text.len())..][..5], "Begin");
        assert_eq!(words(text), ["begin", "work"]);
        assert_eq!(words("/* open to the end; BEGIN"), Vec::<String>::new());
    }

    fn ends(text: &str) -> Vec<usize> {
        crate::fence::split(text)
            .iter()
            .map(|s| s.offset + s.sql.len())
            .collect()
    }

    #[test]
    fn a_django_file_is_wrapped_and_blanking_keeps_every_position() {
        let text = "--\n-- Create model Expert\n--\nBEGIN;\nCREATE TABLE expert_network.e (id int); -- é\nCOMMIT;\n";
        let e = ends(text);
        let blocks = transaction_blocks(text, &e);
        assert_eq!(blocks.len(), 2);
        let out = blank(text, &blocks);
        assert_eq!(out.len(), text.len());
        assert_eq!(out.lines().count(), text.lines().count());
        assert!(!out.contains("BEGIN") && !out.contains("COMMIT"));
        assert_eq!(out.find("CREATE"), text.find("CREATE"));
        pg_query::parse(&out, 0).unwrap();
        for wrapped in [
            "begin work;\nSELECT 1;\n/* done */ END;",
            "START TRANSACTION;\nSELECT 1;\ncommit transaction;",
        ] {
            assert_eq!(
                transaction_blocks(wrapped, &ends(wrapped)).len(),
                2,
                "{wrapped}"
            );
        }
    }

    #[test]
    fn prisma_blocks_in_the_middle_of_a_file_are_dropped_pair_by_pair() {
        let text = "-- AlterEnum\nALTER TYPE expert_network.\"A\" ADD VALUE 'x';\n\n-- AlterEnum\nBEGIN;\nCREATE TYPE expert_network.\"R_new\" AS ENUM ('a');\nALTER TYPE expert_network.\"R\" RENAME TO \"R_old\";\nCOMMIT;\n\n-- AlterTable\nALTER TABLE expert_network.t ADD COLUMN c int;\nbegin;\nSELECT 1;\nend work;\nBEGIN; COMMIT;\n";
        let blocks = transaction_blocks(text, &ends(text));
        let words: Vec<Vec<String>> = blocks.iter().map(|r| words(&text[r.clone()])).collect();
        assert_eq!(
            words,
            [
                vec!["begin"],
                vec!["commit"],
                vec!["begin"],
                vec!["end", "work"],
                vec!["begin"],
                vec!["commit"]
            ]
        );
        let out = blank(text, &blocks);
        assert!(!out.to_lowercase().contains("begin") && !out.contains("COMMIT"));
        assert_eq!(out.find("ALTER TABLE"), text.find("ALTER TABLE"));
        pg_query::parse(&out, 0).unwrap();
    }

    #[test]
    fn a_commit_then_begin_inside_the_tools_transaction_is_dropped() {
        let text = "ALTER TABLE expert_network.c ADD COLUMN IF NOT EXISTS acl jsonb;\n\n-- Needed because CockroachDB does not allow ALTER TABLE ... UPDATE in a transaction block.\nCOMMIT;\nBEGIN;\n\nUPDATE expert_network.c SET acl = '{}';\ncommit work; start transaction;\nSELECT 1;\n";
        let blocks = transaction_blocks(text, &ends(text));
        let words: Vec<Vec<String>> = blocks.iter().map(|r| words(&text[r.clone()])).collect();
        assert_eq!(
            words,
            [
                vec!["commit"],
                vec!["begin"],
                vec!["commit", "work"],
                vec!["start", "transaction"]
            ]
        );
        let out = blank(text, &blocks);
        assert!(!out.contains("BEGIN;") && !out.contains("COMMIT;"));
        pg_query::parse(&out, 0).unwrap();
        // Beside Prisma's blocks.
        let mixed = "SELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nBEGIN;\nSELECT 3;\nCOMMIT;";
        assert_eq!(transaction_blocks(mixed, &ends(mixed)).len(), 4);
    }

    #[test]
    fn a_commit_that_ends_the_file_is_dropped() {
        // Quartz's tables_postgres.sql: statements, then a COMMIT with no block open, blank lines
        // and comments after it at most.
        let text = "DROP TABLE IF EXISTS QRTZ_LOCKS;\nCREATE TABLE QRTZ_LOCKS (SCHED_NAME VARCHAR(120) NOT NULL);\nCREATE INDEX IDX_QRTZ_L ON QRTZ_LOCKS (SCHED_NAME);\n\n\nCOMMIT;\n-- done\n";
        let blocks = transaction_blocks(text, &ends(text));
        let words: Vec<Vec<String>> = blocks.iter().map(|r| words(&text[r.clone()])).collect();
        assert_eq!(words, [vec!["commit"]]);
        let out = blank(text, &blocks);
        assert!(!out.contains("COMMIT"));
        assert_eq!(pg_query::parse(&out, 0).unwrap().protobuf.stmts.len(), 3);
        for (text, dropped) in [
            ("SELECT 1;\ncommit work;", 1),
            ("SELECT 1;\nEND;\n/* the end */", 1),
            // After a block of the file, or after Nakama's split: everything commits at the end.
            ("BEGIN;\nSELECT 1;\nCOMMIT;\nCOMMIT;", 3),
            ("SELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nCOMMIT;", 3),
        ] {
            assert_eq!(
                transaction_blocks(text, &ends(text)).len(),
                dropped,
                "{text}"
            );
        }
    }

    #[test]
    fn other_transaction_control_drops_no_block() {
        for text in [
            "BEGIN;\nSELECT 1;",
            "BEGIN;",
            "BEGIN ISOLATION LEVEL SERIALIZABLE;\nSELECT 1;\nCOMMIT;",
            "BEGIN;\nSELECT 1;\nROLLBACK;",
            "BEGIN;\nSELECT 1;\nCOMMIT AND CHAIN;",
            // Words the parser reads as a plain COMMIT, but not one of the forms: never dropped, so
            // it would commit en-migrate's own transaction were the fence to accept it.
            "BEGIN;\nSELECT 1;\nCOMMIT AND NO CHAIN;",
            "BEGIN;\nBEGIN;\nSELECT 1;\nCOMMIT;\nCOMMIT;",
            "BEGIN;\nSELECT 1;\nCOMMIT;\nCOMMIT;\nCOMMIT;",
            "BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;",
            "BEGIN;\nSELECT 1;\nCOMMIT;\nSAVEPOINT a;",
            "BEGIN;\nSAVEPOINT a;\nSELECT 1;\nRELEASE a;\nCOMMIT;",
            "BEGIN;\nSELECT 1;\nPREPARE TRANSACTION 'x';",
            "ABORT;\nBEGIN;\nSELECT 1;\nCOMMIT;",
            "BEGIN;\nCOMMIT;",
            "BEGIN;\n-- nothing\nCOMMIT;\n/* at all */",
            // A COMMIT with no block open, followed by a statement that is not a plain BEGIN: Nakama's
            // way out of the transaction for CREATE INDEX CONCURRENTLY, or a BEGIN of another kind.
            "SELECT 1;\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON expert_network.t (a);\nBEGIN;\nSELECT 2;",
            "SELECT 1;\nCOMMIT;\nSELECT 2;",
            "SELECT 1;\nCOMMIT;\nBEGIN ISOLATION LEVEL SERIALIZABLE;\nSELECT 2;",
            "SELECT 1;\nCOMMIT AND CHAIN;",
            "SELECT 1;\nCOMMIT;\n-- then\nSELECT 2;",
            "SELECT 1;\nCOMMIT;\nCOMMIT;\nBEGIN;\nSELECT 2;",
            "SELECT 1;\nCOMMIT;\nCOMMIT;",
            "SELECT 1;\nCOMMIT;\nROLLBACK;\nSELECT 2;",
            "COMMIT;\nBEGIN;",
        ] {
            assert!(transaction_blocks(text, &ends(text)).is_empty(), "{text}");
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
