//! The schema fence, static half: proves with the real PostgreSQL parser (libpg_query) that a
//! migration touches nothing outside `expert_network` except the catalogs it reads.
//!
//! Owns splitting a migration into statements, the rules (`rules.rs`), and findings as values (never errors),
//! so that `check` can list every refusal and `up` can stop before applying anything. It is an
//! allowlist: a statement kind it does not know, or text it cannot parse, is refused. It must never
//! touch a database; the database-side half lives in `guard.rs`.

mod arg_types;
mod body;
mod checked;
mod conforming;
mod ddl_checks;
mod declared;
mod definer;
mod invoker_calls;
pub mod known;
mod literal;
mod model;
#[rustfmt::skip]
mod nodes;
mod parse;
mod plpgsql;
mod plpgsql_walk;
mod policy;
mod reg_values;
mod resolve;
mod rules;
mod short_lived;
mod statement_checks;
mod statements;
mod trigger_holders;
mod walk;

pub use checked::Checked;
pub use model::Model;
pub use policy::OPT_INS;
pub use rules::Rule;

use crate::files::lexer::Lines;
use crate::files::migration::{Migration, Span};
use serde::Serialize;
use std::borrow::Cow;
use std::sync::OnceLock;

/// The schema that en-migrate owns.
pub const SCHEMA: &str = "expert_network";
pub(crate) use rules::tracker_name;
/// en-migrate's own tracker, which migrations may not touch (unqualified: the catalog's `relname`).
pub const TRACKER: &str = tracker_name!();

/// One refusal, as a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub rule: Rule,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Index of the refused statement in its file, so statements and findings are counted apart.
    #[serde(skip)]
    pub statement: usize,
}

/// How many distinct statements `findings` refuse.
pub fn statements_refused(findings: &[Finding]) -> usize {
    let mut seen: Vec<(&str, usize)> = findings
        .iter()
        .map(|f| (f.path.as_str(), f.statement))
        .collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

/// One statement of a migration: its text and where it starts in the file.
#[derive(Debug, Clone, Copy)]
pub struct Statement<'a> {
    pub sql: &'a str,
    /// Byte offset of `sql` in the (substituted) migration text.
    pub offset: usize,
    /// Where the answer to `literal_target` is kept, when the statement came from a file's shared
    /// split (`statements`); None: asked afresh each time.
    literal: Option<&'a OnceLock<Option<Box<str>>>>,
}

impl<'a> Statement<'a> {
    /// The expert_network table this statement fills, if it is an INSERT of literal rows (the fast
    /// path, `literal.rs`); asked at most once per statement of a shared split, however many passes
    /// (model, lint, fence) want it.
    pub fn literal_target(&self) -> Option<Cow<'a, str>> {
        match self.literal {
            Some(memo) => memo
                .get_or_init(|| literal::literal_insert_target(self.sql).map(Into::into))
                .as_deref()
                .map(Cow::Borrowed),
            None => literal::literal_insert_target(self.sql).map(Cow::Owned),
        }
    }
    pub fn is_literal_insert(&self) -> bool {
        self.literal_target().is_some()
    }
}

/// The statements of `m`, split once per file: the first call splits its text (`split`) and keeps
/// where the statements are in `m.statements`; the model, lint and fence then read the same split.
pub fn statements(m: &Migration) -> Vec<Statement<'_>> {
    let text = m.text.as_str();
    let kept = m.statements.get_or_init(text, || {
        spans(text)
            .into_iter()
            .map(|(start, end)| Span {
                start,
                end,
                literal: OnceLock::new(),
            })
            .collect()
    });
    // The split kept is of a text this file no longer holds: this text's own, unkept.
    let Some(spans) = kept else {
        return split(text);
    };
    spans
        .iter()
        .map(|s| Statement {
            sql: &text[s.start..s.end],
            offset: s.start,
            literal: Some(&s.literal),
        })
        .collect()
}

/// The result of fencing one migration.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub statements: usize,
    /// Byte offset just past each statement: where a large migration may be cut into messages.
    pub ends: Vec<usize>,
}

/// Splits `text` into statements (`lexical_split`), so `;` inside strings, dollar quotes, quoted
/// identifiers, nested comments and parentheses never splits. Leading comments are kept with the
/// statement; a piece of nothing but white space and comments is no statement. Nothing in the file
/// goes unfenced: the pieces cover the whole text.
pub fn split(text: &str) -> Vec<Statement<'_>> {
    spans(text)
        .into_iter()
        .map(|(start, end)| Statement {
            sql: &text[start..end],
            offset: start,
            literal: None,
        })
        .collect()
}

/// Where `split`'s statements are in `text` (start and end offsets).
fn spans(text: &str) -> Vec<(usize, usize)> {
    let base = text.as_ptr() as usize;
    let all: Vec<(usize, usize)> = lexical_split(text)
        .into_iter()
        .map(|sql| {
            let start = sql.as_ptr() as usize - base;
            (start, start + sql.len())
        })
        .collect();
    let mut all = join_begin_atomic(text, all);
    all.retain(|&(start, end)| !crate::files::lexer::is_comment_only(&text[start..end]));
    all
}

/// The bytes `lexical_split` has to look at.
const SPLIT_SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut k = 0;
    let special = *b"-/'\"$;()";
    while k < special.len() {
        t[special[k] as usize] = true;
        k += 1;
    }
    t
};

/// Cuts `text` at each semicolon outside parentheses, as libpg_query's scanner split does
/// (`pg_query_split.c`: a `CREATE RULE ... DO ALSO (a; b)` stays whole), knowing PostgreSQL's
/// quoting (strings with '' and E'\\' escapes, quoted identifiers, dollar quotes, nested block
/// comments, line comments) and nothing else.
///
/// Used instead of the scanner, which lexes every keyword and runs twice: it was a tenth of `check`
/// on small files, and its C API copies a large file's text twice. A cut where the server's lexer
/// would not cut lies inside a token (a string, a comment, a dollar quote) or inside parentheses,
/// so the piece before it does not parse and is refused; a cut missed only joins two statements in
/// one piece, which the parser still reads statement by statement.
///
/// Where the parentheses do not balance (a `)` before its `(`, or one left open at the end) the file
/// cannot parse, and the rest of it would be one piece: it is cut at every semicolon outside quotes
/// instead, so each statement after the stray parenthesis is still judged, and refused, on its own.
fn lexical_split(text: &str) -> Vec<&str> {
    match cut(text, true) {
        Some(pieces) => pieces,
        None => cut(text, false).unwrap_or_default(),
    }
}

/// `lexical_split`'s cuts, outside parentheses when `parens`; None where they do not balance.
fn cut(text: &str, parens: bool) -> Option<Vec<&str>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut start) = (0, 0);
    let mut depth: usize = 0;
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    while i < b.len() {
        // Step over what can neither open a quote, a comment or a dollar quote nor end a statement.
        while i < b.len() && !SPLIT_SPECIAL[b[i] as usize] {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        match b[i] {
            b'-' | b'/' if crate::files::lexer::comment_end(b, i).is_some() => {
                i = crate::files::lexer::comment_end(b, i).map_or(i + 1, |(end, _)| end);
            }
            q @ (b'\'' | b'"') => {
                let escapes = q == b'\''
                    && i > 0
                    && (b[i - 1] == b'E' || b[i - 1] == b'e')
                    && (i < 2 || !ident(b[i - 2]));
                i += 1;
                // Jump to the next quote (or backslash) rather than step byte by byte: a seed is
                // mostly string literals.
                while i < b.len() {
                    let next = if escapes {
                        memchr::memchr2(q, b'\\', &b[i..])
                    } else {
                        memchr::memchr(q, &b[i..])
                    };
                    let Some(k) = next else {
                        i = b.len();
                        break;
                    };
                    i += k;
                    if b[i] == b'\\' || b.get(i + 1) == Some(&q) {
                        i += 2;
                    } else {
                        i += 1;
                        break;
                    }
                }
            }
            b'$' if i == 0 || !ident(b[i - 1]) => {
                let tag_end = (i + 1..b.len())
                    .find(|&j| !(ident(b[j]) && !(j == i + 1 && b[j].is_ascii_digit())))
                    .unwrap_or(b.len());
                if b.get(tag_end) == Some(&b'$') {
                    let tag = &text[i..=tag_end];
                    match text[tag_end + 1..].find(tag) {
                        Some(close) => i = tag_end + 1 + close + tag.len(),
                        None => i = b.len(),
                    }
                } else {
                    i += 1;
                }
            }
            b';' if depth == 0 => {
                out.push(&text[start..i]);
                i += 1;
                start = i;
            }
            b'(' if parens => {
                depth += 1;
                i += 1;
            }
            b')' if parens => {
                depth = depth.checked_sub(1)?;
                i += 1;
            }
            _ => i += 1,
        }
    }
    if depth != 0 {
        return None;
    }
    if start < b.len() {
        out.push(&text[start..]);
    }
    Some(out)
}

/// The split cuts `CREATE FUNCTION ... BEGIN ATOMIC a; b; END` at its inner semicolons; psql
/// keeps it whole. A piece that opens BEGIN ATOMIC and does not parse is joined with the pieces after
/// it until the whole parses.
fn join_begin_atomic(text: &str, pieces: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while i < pieces.len() {
        let (start, end) = pieces[i];
        if opens_begin_atomic(&text[start..end]) && parse(&text[start..end]).is_err() {
            // Bounded, so a file that opens BEGIN ATOMIC and never closes it costs a few hundred
            // parses, not one per remaining piece of the file; unjoined, the piece is refused.
            if let Some(j) = (i + 1..pieces.len())
                .take(JOIN_PIECES)
                .take_while(|&j| pieces[j].1 - start <= JOIN_BYTES)
                .find(|&j| parse(&text[start..pieces[j].1]).is_ok())
            {
                out.push((start, pieces[j].1));
                i = j + 1;
                continue;
            }
        }
        out.push((start, end));
        i += 1;
    }
    out
}

/// How far a BEGIN ATOMIC body may reach: statements inside it, and bytes.
const JOIN_PIECES: usize = 500;
const JOIN_BYTES: usize = 1 << 20;

fn opens_begin_atomic(sql: &str) -> bool {
    // Only CREATE FUNCTION / PROCEDURE has a BEGIN ATOMIC body; and most of those never say "atomic":
    // find that out without copying them (a seed's INSERTs are megabytes each).
    let b = sql.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match crate::files::lexer::comment_end(b, i) {
            Some((end, _)) => i = end,
            None if b[i].is_ascii_whitespace() => i += 1,
            None => break,
        }
    }
    if !b
        .get(i..i + 6)
        .is_some_and(|w| w.eq_ignore_ascii_case(b"create"))
    {
        return false;
    }
    if !memchr::memchr2_iter(b'a', b'A', b).any(|i| {
        b.get(i..i + 6)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"atomic"))
    }) {
        return false;
    }
    let lower = sql.to_ascii_lowercase();
    let mut words = lower
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty());
    let mut prev = "";
    for w in words.by_ref() {
        if prev == "begin" && w == "atomic" {
            return true;
        }
        prev = w;
    }
    false
}

/// Where the statement itself starts in `sql`: past white space and leading comments, so a finding
/// on a statement without a location of its own points at its first keyword.
pub(crate) fn statement_start(sql: &str) -> usize {
    let b = sql.as_bytes();
    let mut i = 0;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        match crate::files::lexer::comment_end(b, i) {
            Some((end, _)) => i = end,
            None => return i,
        }
    }
}

/// Whether `sql` is one `CREATE TABLE expert_network.<tracker's name>` (any spelling the parser folds
/// to those names). A cheap test of the text first: a dump of thousands of tables parses none.
fn creates_own_tracker_name(sql: &str) -> bool {
    if !leading_keyword(sql).eq_ignore_ascii_case("create")
        || !sql.to_ascii_lowercase().contains(TRACKER)
    {
        return false;
    }
    let Ok(parsed) = parse(sql) else { return false };
    match parsed.stmts.as_slice() {
        [raw] => matches!(
            raw.stmt.as_deref().and_then(|s| s.node.as_ref()),
            Some(pg_query::protobuf::node::Node::CreateStmt(c))
                if c.relation.as_ref().is_some_and(|r| r.schemaname == SCHEMA
                    && r.relname == TRACKER
                    && r.relpersistence != "t")
        ),
        _ => false,
    }
}

/// The statement's first word (empty when it has none).
pub(crate) fn leading_keyword(sql: &str) -> &str {
    let rest = &sql[statement_start(sql)..];
    let end = rest
        .bytes()
        .position(|c| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Parses one statement of a migration as the fence reads it: above `literal::COMPACT_ABOVE` with
/// its long literal IN lists cut to their first literal (offsets unchanged), so a million-literal
/// list costs megabytes, not gigabytes. Lint reads statements through this too.
pub fn parse_statement(sql: &str) -> Result<pg_query::protobuf::ParseResult, String> {
    let compacted = (sql.len() > literal::COMPACT_ABOVE)
        .then(|| literal::compact_in_lists(sql))
        .flatten();
    parse(compacted.as_deref().unwrap_or(sql))
}

/// Parses SQL text with the server's grammar and no limit of the wrapper's own (see `parse.rs`).
pub(crate) fn parse(sql: &str) -> Result<pg_query::protobuf::ParseResult, String> {
    parse::sql(sql, 0)
}

/// Fences one migration whose placeholders are already substituted, knowing only the objects it
/// creates itself.
#[cfg(test)]
pub fn check(migration: &Migration) -> Report {
    check_in(&Model::of(&[migration]), migration)
}

/// Fences one migration, resolving names against `model` (what every migration file creates).
pub fn check_in(model: &Model, migration: &Migration) -> Report {
    check_with(model, migration, false)
}

/// Fences the migrations `up` is about to apply, sharing the work between two threads when there is
/// enough of it: the server waits for the whole fence before the first migration may start, and the
/// machine has a core to spare. The reports are the same as `check`'s, in the same order.
pub fn check_pending(model: &Model, items: &[&Migration]) -> Vec<Report> {
    shared(
        items,
        |m| m.text.len() + PER_ITEM,
        |m| check_with(model, m, true),
    )
}

/// What fencing one file costs beyond its bytes (splitting, a parse call), in bytes' worth.
pub(crate) const PER_ITEM: usize = 2_000;
/// Below this much work (in bytes' worth) a second thread costs more than it saves.
const SHARE_ABOVE: usize = 64 << 10;

/// Where `items` divide into two parts of about half their total `weight` each: the length of the
/// first part (all of them when one item outweighs the rest).
pub(crate) fn half_cut<T>(items: &[T], weight: impl Fn(&T) -> usize) -> usize {
    let total: usize = items.iter().map(&weight).sum();
    let mut acc = 0;
    items
        .iter()
        .position(|it| {
            acc += weight(it);
            acc * 2 >= total
        })
        .map_or(items.len(), |i| i + 1)
}

/// `items.map(f)`, in order, on two threads when their total `weight` is above `SHARE_ABOVE`: the
/// first part on this thread, the rest (cut at half the weight) on another.
pub(crate) fn shared<T: Sync, R: Send>(
    items: &[T],
    weight: impl Fn(&T) -> usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let total: usize = items.iter().map(&weight).sum();
    if items.len() < 2 || total < SHARE_ABOVE {
        return items.iter().map(&f).collect();
    }
    let cut = half_cut(items, &weight).clamp(1, items.len() - 1);
    let (first, rest) = items.split_at(cut);
    let f = &f;
    std::thread::scope(|s| {
        let other = std::thread::Builder::new()
            .stack_size(THREAD_STACK)
            .spawn_scoped(s, move || rest.iter().map(f).collect::<Vec<R>>());
        let mut out: Vec<R> = first.iter().map(f).collect();
        match other {
            Ok(other) => match other.join() {
                Ok(more) => out.extend(more),
                Err(panic) => std::panic::resume_unwind(panic),
            },
            // No thread to be had: the rest on this one, as below SHARE_ABOVE.
            Err(_) => out.extend(rest.iter().map(f)),
        }
        out
    })
}

/// The stack of a thread that parses, decodes or walks statements off the main thread (`shared`'s
/// second thread, tokio's blocking threads): the main thread's on Linux. Statements up to `DEEP`
/// bytes are read on the thread's own stack, and that limit was set for the main thread; a spawned
/// thread's default is a quarter of it.
pub const THREAD_STACK: usize = 8 << 20;

fn check_with(model: &Model, migration: &Migration, share: bool) -> Report {
    let text = migration.text.as_str();
    let mut report = Report::default();
    let lines = OnceLock::new();
    let opts = policy::FileOptions::of(migration);
    let stmts = statements(migration);
    report.statements = stmts.len();
    report.ends = stmts.iter().map(|s| s.offset + s.sql.len()).collect();
    // The search_path each statement runs under, from the migration's own accepted SETs.
    let paths = policy::paths_after(&stmts, model.schema_dropper());
    // The BEGIN and COMMIT of the file's transaction blocks: dropped when applied (apply.rs), so not fenced.
    let control = if migration.no_transaction {
        Vec::new()
    } else {
        policy::transaction_blocks(text, &report.ends)
    };
    let short_lived = if migration.no_transaction {
        std::collections::HashSet::new()
    } else {
        short_lived::short_lived(&stmts, &paths, model)
    };
    let tracker_made = stmts.iter().position(|s| creates_own_tracker_name(s.sql));
    // The statements in blocks, each fenced into one list of findings: a file of half a
    // million INSERTs then needs no list (nor index) per statement.
    // Each block with its weight, for `shared` to cut the file by.
    let mut blocks: Vec<(std::ops::Range<usize>, usize)> = Vec::new();
    let (mut start, mut weight) = (0, 0);
    for (i, s) in stmts.iter().enumerate() {
        weight += s.sql.len() + PER_ITEM;
        if weight >= BLOCK_WEIGHT || i + 1 == stmts.len() {
            blocks.push((start..i + 1, weight));
            (start, weight) = (i + 1, 0);
        }
    }
    let block = |(range, _): &(std::ops::Range<usize>, usize)| {
        let mut own = Sink {
            path: &migration.path,
            text,
            lines: &lines,
            findings: Vec::new(),
            model,
            opts,
            statement: 0,
            short_lived: &short_lived,
            tracker_made,
        };
        for i in range.clone() {
            if control.contains(&i) {
                continue;
            }
            own.statement = i;
            check_statement_in(&mut own, &stmts[i], migration.no_transaction, paths.at(i));
        }
        own.findings
    };
    // A large file's statements are shared out like files are (a seed's INSERTs).
    let found = if share {
        shared(&blocks, |(_, weight)| *weight, block)
    } else {
        blocks.iter().map(block).collect()
    };
    report.findings = found.into_iter().flatten().collect();
    report
}

/// The weight (`PER_ITEM` and the text) of the statements fenced as one piece of work in
/// `check_with`: a large statement is a piece of its own, so two threads still share a file of large
/// INSERTs evenly, and about thirty small ones make a piece, so a file of small ones costs no list
/// per statement.
const BLOCK_WEIGHT: usize = 64 << 10;

/// Above this length a statement is walked on a stack of its own, so that nesting the server accepts
/// never overflows the fence's stack (each level of nesting costs at least one byte of text).
pub(crate) const DEEP: usize = 512;
const DEEP_STACK: usize = 256 << 20;

/// Runs `f` on a stack of `DEEP_STACK` bytes of its own: what reads the tree of a statement above
/// `DEEP` (parse, decode, walk, drop) runs there, as the server accepts nesting deeper than a
/// thread's stack. libpg_query is called on this thread's own stack first (`parse::prime`), or
/// its parses there would have too small a budget.
pub(crate) fn on_deep_stack<R>(f: impl FnOnce() -> R) -> R {
    parse::prime();
    stacker::grow(DEEP_STACK, f)
}

fn check_statement_in(
    sink: &mut Sink<'_>,
    stmt: &Statement<'_>,
    no_transaction: bool,
    path: &policy::SearchPath,
) {
    // The fast path, unless the target is a view the migrations made (a write through it is judged
    // by the full walk).
    if let Some(target) = stmt.literal_target() {
        let view = sink
            .model
            .relation(&target)
            .is_some_and(|k| k.iter().any(|r| matches!(r, model::Rel::View(..))));
        if !view {
            return;
        }
    }
    if stmt.sql.len() > DEEP {
        on_deep_stack(|| fence_statement(sink, stmt, no_transaction, path));
    } else {
        fence_statement(sink, stmt, no_transaction, path);
    }
}

/// Whether the server refuses `node` inside a transaction block as maintenance, so that the runner
/// of a no-transaction file sends it bare, with no database-side check around it
/// (`db::notx::runs_alone`, which adds a DO block that commits): `CREATE INDEX CONCURRENTLY`,
/// `DROP INDEX CONCURRENTLY`, `REINDEX (CONCURRENTLY)`, `ALTER TABLE ... DETACH PARTITION ...
/// CONCURRENTLY`, `VACUUM`. The fence walks such a statement as unguarded (`unguarded_write`).
pub fn bare_maintenance(node: &pg_query::NodeEnum) -> bool {
    use pg_query::NodeEnum as N;
    let def_elem = |n: &pg_query::protobuf::Node, name: &str| matches!(&n.node, Some(N::DefElem(d)) if d.defname == name);
    match node {
        N::IndexStmt(i) => i.concurrent,
        N::DropStmt(d) => d.concurrent,
        N::ReindexStmt(r) => r.params.iter().any(|p| def_elem(p, "concurrently")),
        N::VacuumStmt(v) => v.is_vacuumcmd,
        N::AlterTableStmt(a) => a.cmds.iter().any(|c| {
            matches!(&c.node, Some(N::AlterTableCmd(c)) if matches!(
                c.def.as_deref().and_then(|d| d.node.as_ref()),
                Some(N::PartitionCmd(p)) if p.concurrent
            ))
        }),
        _ => false,
    }
}

fn fence_statement(
    sink: &mut Sink<'_>,
    stmt: &Statement<'_>,
    no_transaction: bool,
    path: &policy::SearchPath,
) {
    let lead = statement_start(stmt.sql);
    // Parsed once per run: the model's tree when it read this statement already.
    let parsed = match sink.model.tree(stmt.sql, true) {
        Some(tree) => Ok(tree),
        None => parse_statement(stmt.sql).map(std::sync::Arc::new),
    };
    match parsed {
        Err(e) => {
            let (rule, hint) = if has_meta_command(stmt.sql) {
                (
                    Rule::PsqlMetaCommand,
                    "en-migrate is not psql: write plain SQL, one file per migration",
                )
            } else {
                (
                    Rule::ParseError,
                    "fix the syntax (PostgreSQL 18's grammar, the newest en-migrate knows)",
                )
            };
            sink.push(
                stmt.offset + lead,
                rule,
                format!("cannot parse: {e}"),
                Some(hint.into()),
            );
        }
        Ok(parsed) => {
            let mut w = walk::Walker::new(sink, stmt.offset, stmt.sql.len(), no_transaction);
            w.path = path.clone();
            w.set_config_alone = policy::is_set_config_alone(&parsed);
            w.path_unfollowed = !policy::may_set_path(stmt.sql);
            w.bodies_check_unread = !policy::names_check_function_bodies(stmt.sql);
            for raw in &parsed.stmts {
                if let Some(node) = &raw.stmt {
                    w.unguarded =
                        no_transaction && node.node.as_ref().is_some_and(bare_maintenance);
                    w.statement(node);
                }
            }
        }
    }
}

/// A backslash at the start of a line or before a psql command word, outside what parsed.
fn has_meta_command(sql: &str) -> bool {
    sql.lines().any(|l| l.trim_start().starts_with('\\'))
        || [
            "\\gexec",
            "\\gset",
            "\\g ",
            "\\copy",
            "\\i ",
            "\\ir ",
            "\\set ",
            "\\connect",
            "\\c ",
        ]
        .iter()
        .any(|m| sql.contains(m))
        || sql.trim_end().ends_with("\\g")
}

/// Collects findings for one file and turns byte offsets into lines and columns.
pub struct Sink<'a> {
    pub path: &'a str,
    pub text: &'a str,
    /// The text's line index, made on the first finding and shared by every sink of the text.
    pub lines: &'a OnceLock<Lines>,
    pub findings: Vec<Finding>,
    /// What the migrations create: where unqualified names resolve.
    pub model: &'a Model,
    /// The file's opt-ins (`-- en-migrate: allow dynamic-sql`, `allow notify`).
    pub opts: policy::FileOptions,
    /// Index of the statement being fenced in its file.
    pub statement: usize,
    /// The file's CREATE FUNCTION / PROCEDURE statements whose routine a later statement of this
    /// transactional file drops (`short_lived.rs`): their bodies run only under the file's path.
    pub short_lived: &'a std::collections::HashSet<usize>,
    /// The file's first statement that makes `expert_network.<tracker's name>` (`CREATE TABLE
    /// expert_network.schema_migrations`, as Rails' structure.sql makes its own, re-homed): only a
    /// later statement's unqualified write of that name may be taken for it (`resolve.rs`).
    pub tracker_made: Option<usize>,
}

impl Sink<'_> {
    pub fn push(&mut self, offset: usize, rule: Rule, message: String, hint: Option<String>) {
        let offset = offset.min(self.text.len());
        let line = self
            .lines
            .get_or_init(|| Lines::new(self.text.as_bytes()))
            .line(offset);
        let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..offset].chars().count() + 1;
        // Every refusal carries a hint: the rule's own when the site has nothing more specific.
        let hint = hint.or_else(|| Some(rule.about().hint.to_string()));
        let f = Finding {
            path: self.path.to_string(),
            line,
            column,
            rule,
            message,
            hint,
            statement: self.statement,
        };
        if !self.findings.contains(&f) {
            self.findings.push(f);
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_arg_types;
#[cfg(test)]
mod tests_resolve;
#[cfg(test)]
mod tests_unqualified;
