//! A fast proof for the statement that makes seed files large: `INSERT INTO expert_network.t [(cols)]
//! VALUES (literals), ... [ON CONFLICT DO NOTHING]`, checked token by token without building a parse
//! tree (a 17 MB seed would otherwise cost seconds and hundreds of megabytes of tree).
//!
//! Sound because the grammar it accepts is tiny: a schema-qualified target in expert_network, plain
//! column names, and values made only of string and number literals, NULL/TRUE/FALSE/DEFAULT, ARRAY[...],
//! parentheses, arithmetic and `||`, and casts to unqualified type names other than the reg* types
//! (whose input is an object's name). No identifier can appear in a value, so nothing else can be
//! named. Anything outside that grammar (a function call, a subquery, a dollar quote, `U&`, a qualified
//! type, a reg* cast) returns false and the statement takes the full parse. The transaction pins
//! `standard_conforming_strings = on`, so the server reads strings as this lexer does.

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    /// An unquoted word as written (compared without case, folded only where a name is kept).
    Word(&'a str),
    Quoted(&'a str),
    Str,
    Num,
    Punct(&'a str),
    /// Something the fast path does not take: every comparison fails on it, so the statement takes
    /// the full parse.
    Bad,
}

/// The tokens of a statement, one at a time: the grammar below needs one token of lookahead, so a
/// 177 KB statement is judged without a vector of its tokens (which cost a third of `check`'s time
/// on a seed).
struct Lexer<'a> {
    sql: &'a str,
    i: usize,
}

impl<'a> Lexer<'a> {
    /// The next token; None at the end.
    fn next(&mut self) -> Option<Tok<'a>> {
        let (sql, b) = (self.sql, self.sql.as_bytes());
        let mut i = self.i;
        let tok = loop {
            let Some(&c) = b.get(i) else {
                self.i = i;
                return None;
            };
            match c {
                b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' => i += 1,
                b'-' | b'/' if crate::files::lexer::comment_end(b, i).is_some() => {
                    match crate::files::lexer::comment_end(b, i) {
                        Some((end, true)) => i = end,
                        _ => break Tok::Bad,
                    }
                }
                b'\'' => {
                    i += 1;
                    let closed = loop {
                        // Straight to the next quote: a seed is mostly string literals.
                        let Some(k) = b.get(i..).and_then(|rest| memchr::memchr(b'\'', rest))
                        else {
                            break false;
                        };
                        i += k;
                        if b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                        } else {
                            i += 1;
                            break true;
                        }
                    };
                    if !closed {
                        break Tok::Bad;
                    }
                    // 'a' 'b' on separate lines concatenate; a quote right after is a new string.
                    break Tok::Str;
                }
                b'"' => {
                    let start = i + 1;
                    i += 1;
                    while i < b.len() && b[i] != b'"' {
                        i += 1;
                    }
                    if i >= b.len() || b.get(i + 1) == Some(&b'"') {
                        break Tok::Bad; // an escaped quote inside: leave it to the parser
                    }
                    i += 1;
                    break Tok::Quoted(&sql[start..i - 1]);
                }
                b'0'..=b'9' | b'.' if c != b'.' || b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                        i += 1;
                    }
                    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
                        i += 1;
                        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
                            i += 1;
                        }
                        while i < b.len() && b[i].is_ascii_digit() {
                            i += 1;
                        }
                    }
                    if i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'_') {
                        break Tok::Bad; // 1abc, 0x1F: let the parser judge
                    }
                    break Tok::Num;
                }
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    let start = i;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                        i += 1;
                    }
                    if matches!(b.get(i), Some(b'\'' | b'&' | b'$')) {
                        break Tok::Bad; // E'..', B'..', X'..', N'..', U&"..", a$b
                    }
                    break Tok::Word(&sql[start..i]);
                }
                b'(' | b')' | b',' | b';' | b'.' | b'[' | b']' | b'+' | b'*' | b'/' | b'-' => {
                    i += 1;
                    break Tok::Punct(&sql[i - 1..i]);
                }
                b'|' if b.get(i + 1) == Some(&b'|') => {
                    i += 2;
                    break Tok::Punct("||");
                }
                b':' if b.get(i + 1) == Some(&b':') => {
                    i += 2;
                    break Tok::Punct("::");
                }
                _ => break Tok::Bad,
            }
        };
        // Nothing is read past a token the fast path does not take.
        self.i = if tok == Tok::Bad { b.len() } else { i };
        Some(tok)
    }
}

/// The parser over the lexer: `cur` is the token under it (None: the end).
struct P<'a> {
    lex: Lexer<'a>,
    cur: Option<Tok<'a>>,
}

/// A name as written: a word (folded to lower case by the server) or a quoted name (kept as is).
#[derive(Clone, Copy)]
enum Name<'a> {
    Word(&'a str),
    Quoted(&'a str),
}

impl Name<'_> {
    fn is(&self, folded: &str) -> bool {
        match self {
            Name::Word(w) => w.eq_ignore_ascii_case(folded),
            Name::Quoted(q) => *q == folded,
        }
    }
    fn folded(&self) -> String {
        match self {
            Name::Word(w) => w.to_ascii_lowercase(),
            Name::Quoted(q) => q.to_string(),
        }
    }
}

impl<'a> P<'a> {
    fn new(sql: &'a str) -> P<'a> {
        let mut lex = Lexer { sql, i: 0 };
        let cur = lex.next();
        P { lex, cur }
    }
    fn advance(&mut self) {
        self.cur = self.lex.next();
    }
    fn word(&mut self, w: &str) -> bool {
        if matches!(self.cur, Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w)) {
            self.advance();
            true
        } else {
            false
        }
    }
    fn punct(&mut self, p: &str) -> bool {
        if matches!(self.cur, Some(Tok::Punct(x)) if x == p) {
            self.advance();
            true
        } else {
            false
        }
    }
    /// A plain column or type name: an unquoted word that is not a keyword we act on, or a quoted name.
    fn name(&mut self) -> Option<Name<'a>> {
        let name = match self.cur {
            Some(Tok::Word(w))
                if !["select", "values", "default", "on", "returning"]
                    .iter()
                    .any(|k| w.eq_ignore_ascii_case(k)) =>
            {
                Name::Word(w)
            }
            Some(Tok::Quoted(q)) => Name::Quoted(q),
            _ => return None,
        };
        self.advance();
        Some(name)
    }
    fn term(&mut self) -> bool {
        let ok = match self.cur {
            Some(Tok::Str) | Some(Tok::Num) => {
                self.advance();
                true
            }
            Some(Tok::Word(w))
                if ["null", "true", "false", "default"]
                    .iter()
                    .any(|k| w.eq_ignore_ascii_case(k)) =>
            {
                self.advance();
                true
            }
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("array") => {
                self.advance();
                if !self.punct("[") {
                    return false;
                }
                if !self.punct("]") {
                    loop {
                        if !self.expr() {
                            return false;
                        }
                        if self.punct("]") {
                            break;
                        }
                        if !self.punct(",") {
                            return false;
                        }
                    }
                }
                true
            }
            Some(Tok::Punct("(")) => {
                self.advance();
                self.expr() && self.punct(")")
            }
            Some(Tok::Punct("-")) | Some(Tok::Punct("+")) => {
                self.advance();
                self.term()
            }
            _ => false,
        };
        // Casts to an unqualified type: 'x'::jsonb, '{}'::text[]. A qualified type would name a schema;
        // a reg* type (regclass, regproc, ..., or its array _regclass) reads its input as the name of
        // an object ('public.users'::regclass), which the full walk judges.
        while ok && self.punct("::") {
            let names_an_object = |t: Name<'_>| {
                let t = t.folded();
                t.trim_start_matches('_').starts_with("reg")
            };
            if self.name().is_none_or(names_an_object) || self.punct(".") {
                return false;
            }
            while self.punct("[") {
                if !self.punct("]") {
                    return false;
                }
            }
        }
        ok
    }
    fn expr(&mut self) -> bool {
        if !self.term() {
            return false;
        }
        while ["||", "+", "-", "*", "/"].iter().any(|op| self.punct(op)) {
            if !self.term() {
                return false;
            }
        }
        true
    }
}

/// True when `sql` is an INSERT of literal rows into an expert_network table.
#[cfg(test)]
fn is_literal_insert(sql: &str) -> bool {
    literal_insert_target(sql).is_some()
}

/// The table (in expert_network) of a literal INSERT, if `sql` is one. The caller still has to
/// check that the name is not a view over something else.
pub fn literal_insert_target(sql: &str) -> Option<String> {
    // Cheap rejection first: the fast path is for large statements that start like one.
    let mut head = sql.trim_start();
    while head.starts_with("--") || head.starts_with("/*") {
        let end = if head.starts_with("--") {
            head.find('\n')
        } else {
            head.find("*/").map(|e| e + 1)
        };
        match end {
            Some(e) => head = head[e + 1..].trim_start(),
            None => return None,
        }
    }
    if !head
        .get(..6)
        .is_some_and(|h| h.eq_ignore_ascii_case("insert"))
    {
        return None;
    }
    let mut p = P::new(sql);
    if !(p.word("insert") && p.word("into")) {
        return None;
    }
    if !p.name()?.is(super::SCHEMA) || !p.punct(".") {
        return None;
    }
    let target = server_name(p.name()?.folded());
    if p.punct("(") {
        loop {
            p.name()?;
            if p.punct(")") {
                break;
            }
            if !p.punct(",") {
                return None;
            }
        }
    }
    if !p.word("values") {
        return None;
    }
    loop {
        if !p.punct("(") {
            return None;
        }
        loop {
            if !p.expr() {
                return None;
            }
            if p.punct(")") {
                break;
            }
            if !p.punct(",") {
                return None;
            }
        }
        if !p.punct(",") {
            break;
        }
    }
    if p.word("on") && !(p.word("conflict") && p.word("do") && p.word("nothing")) {
        return None;
    }
    p.punct(";");
    p.cur.is_none().then_some(target)
}

/// The longest name the server keeps, in bytes (NAMEDATALEN - 1 in a default build).
const NAME_MAX: usize = 63;

/// `name` as the server stores it: cut to `NAME_MAX` bytes at a character boundary, as its parser
/// cuts every identifier, so the model (whose names come from that parser) is asked about the table
/// the INSERT really fills.
fn server_name(mut name: String) -> String {
    if name.len() > NAME_MAX {
        let mut end = NAME_MAX;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
    }
    name
}

/// Above this size a statement's long `IN (literal, ...)` lists are blanked to their first literal
/// before parsing (`compact_in_lists`): a million-literal list would otherwise cost gigabytes of tree.
pub const COMPACT_ABOVE: usize = 1 << 20;

/// `sql` with every `IN (` list made only of plain literals (numbers, `'strings'`, NULL, TRUE,
/// FALSE, a leading minus) cut to its first literal by overwriting the rest with spaces (newlines
/// kept), so every byte offset and line stays where it was. Sound because a literal in an IN list
/// names nothing: only a literal given to a function or cast can, and those are not plain list items.
/// Quotes, dollar quotes, identifiers and comments are stepped over. None when nothing was cut.
pub fn compact_in_lists(sql: &str) -> Option<String> {
    let b = sql.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
    while i < b.len() {
        let c = b[i];
        if let Some((end, _)) = crate::files::lexer::comment_end(b, i) {
            i = end;
        } else if c == b'\'' || c == b'"' {
            i = quoted_end(b, i);
        } else if c == b'$' && (i == 0 || !ident(b[i - 1])) {
            let tag_end = (i + 1..b.len())
                .find(|&j| !ident(b[j]) || b[j] == b'$')
                .unwrap_or(b.len());
            if b.get(tag_end) == Some(&b'$') {
                let tag = &sql[i..=tag_end];
                i = sql[tag_end + 1..]
                    .find(tag)
                    .map_or(b.len(), |k| tag_end + 1 + k + tag.len());
            } else {
                i += 1;
            }
        } else if ident(c) {
            let start = i;
            while i < b.len() && ident(b[i]) {
                i += 1;
            }
            if b[start..i].eq_ignore_ascii_case(b"in") && (start == 0 || !ident(b[start - 1])) {
                if let Some((first_end, close)) = literal_list(b, i) {
                    let o = out.get_or_insert_with(|| b.to_vec());
                    for byte in &mut o[first_end..close] {
                        if *byte != b'\n' {
                            *byte = b' ';
                        }
                    }
                    i = close;
                }
            }
        } else {
            i += 1;
        }
    }
    // Only ASCII bytes outside quotes were overwritten, with spaces: still UTF-8.
    out.and_then(|o| String::from_utf8(o).ok())
}

/// The end of a quoted string or identifier starting at `i` ('' and "" escapes).
fn quoted_end(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let mut j = i + 1;
    while j < b.len() {
        if b[j] == q {
            if b.get(j + 1) == Some(&q) {
                j += 2;
                continue;
            }
            return j + 1;
        }
        j += 1;
    }
    b.len()
}

/// After `IN` at `i`: `( lit , lit , ... )` of at least two plain literals. Returns (the end of the
/// first literal, the offset of the closing parenthesis).
fn literal_list(b: &[u8], mut i: usize) -> Option<(usize, usize)> {
    let ws = |b: &[u8], mut i: usize| {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    i = ws(b, i);
    if b.get(i) != Some(&b'(') {
        return None;
    }
    i += 1;
    let mut first_end = None;
    let mut n = 0;
    loop {
        i = ws(b, i);
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let start = i;
        match b.get(i)? {
            b'\'' => {
                // A plain string: no E'' / U&'' prefix can precede it here, it follows ( or ,.
                i = quoted_end(b, i);
                if b.get(i - 1) != Some(&b'\'') {
                    return None;
                }
            }
            c if c.is_ascii_digit() || *c == b'.' => {
                while i < b.len()
                    && (b[i].is_ascii_digit()
                        || b[i] == b'.'
                        || b[i] == b'e'
                        || b[i] == b'E'
                        || b[i] == b'_')
                {
                    i += 1;
                }
            }
            _ => {
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1;
                }
                let w = &b[start..i];
                if !(w.eq_ignore_ascii_case(b"null")
                    || w.eq_ignore_ascii_case(b"true")
                    || w.eq_ignore_ascii_case(b"false"))
                {
                    return None;
                }
            }
        }
        if i == start {
            return None;
        }
        n += 1;
        first_end.get_or_insert(i);
        i = ws(b, i);
        match b.get(i)? {
            b',' => i += 1,
            b')' if n >= 2 => return first_end.map(|f| (f, i)),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_literal_insert as ok;

    #[test]
    fn literal_inserts_take_the_fast_path() {
        assert!(ok(
            "INSERT INTO expert_network.seed_rows (id, name) VALUES (1, 'a'), (2, 'it''s');"
        ));
        assert!(ok("insert into expert_network.t values (1, -2.5e3, NULL, TRUE, DEFAULT, 'x' || 'y', '{}'::jsonb, ARRAY[1,2]::int[])"));
        assert!(ok(
            "INSERT INTO \"expert_network\".t (\"Name\") VALUES ('a') ON CONFLICT DO NOTHING"
        ));
        assert!(ok("-- seed\nINSERT INTO expert_network.t VALUES ('-- not a comment; DROP TABLE public.x')"));
    }

    #[test]
    fn a_long_target_is_named_as_the_server_cuts_it() {
        let long = format!("v{}", "x".repeat(69));
        let sql = format!("INSERT INTO expert_network.{long} VALUES (1)");
        assert_eq!(
            super::literal_insert_target(&sql),
            Some(long[..63].to_string())
        );
        // A quoted name is cut at a character boundary: 62 bytes, not half of the last é.
        let quoted = format!("\"{}\"", "é".repeat(40));
        let sql = format!("INSERT INTO expert_network.{quoted} VALUES (1)");
        assert_eq!(super::literal_insert_target(&sql), Some("é".repeat(31)));
    }

    #[test]
    fn anything_else_takes_the_full_parse() {
        for sql in [
            "INSERT INTO public.session VALUES (1)",
            "INSERT INTO expert_network.t VALUES (nextval('public.s'))",
            "INSERT INTO expert_network.t VALUES ((SELECT 1 FROM public.user))",
            "INSERT INTO expert_network.t VALUES ('a'::public.citext)",
            "INSERT INTO expert_network.t VALUES ('public.users'::regclass)",
            "INSERT INTO expert_network.t VALUES ('public.f()'::text::RegProcedure)",
            "INSERT INTO expert_network.t VALUES ('{public.users}'::\"_regclass\")",
            "INSERT INTO expert_network.t VALUES ('public'::regnamespace)",
            "INSERT INTO expert_network.t VALUES ($$x$$)",
            "INSERT INTO expert_network.t VALUES (E'\\'')",
            "INSERT INTO expert_network.t VALUES (1); DELETE FROM public.session",
            "INSERT INTO expert_network.t VALUES (1) RETURNING (SELECT 1 FROM public.user)",
            "INSERT INTO expert_network.t VALUES (1) ON CONFLICT (id) DO UPDATE SET a = 1",
            "INSERT INTO expert_network.t SELECT * FROM public.user",
            "INSERT INTO expert_network.t VALUES (x)",
            "INSERT INTO expert_network.t VALUES ('unterminated)",
            "WITH d AS (DELETE FROM public.session) INSERT INTO expert_network.t VALUES (1)",
            "INSERT INTO expert_network . t VALUES (U&'\\0041')",
            "INSERT INTO expert_network.schema_x.t VALUES (1)",
        ] {
            assert!(!ok(sql), "{sql}");
        }
    }
}
