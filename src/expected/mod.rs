//! What the migrations say the database should hold, derived by reading them with PostgreSQL's own
//! parser (libpg_query) instead of being listed by hand: the tables of `expert_network`, and the slugs
//! of the built-in vendors the migrations insert. `verify` compares these with what it finds.
//!
//! Pure: no database, no files. It replays the DDL that decides which tables exist (CREATE TABLE,
//! CREATE TABLE AS, SELECT INTO, RENAME, SET SCHEMA, DROP TABLE / SCHEMA, partitions and inheritance)
//! in file order, as `up` would run it. It must never guess: a statement it cannot read is left out,
//! and `up` refuses such a file before it could have been applied anyway.

mod replay;
#[cfg(test)]
mod tests;

use crate::fence::{self, SCHEMA};
use pg_query::protobuf::{a_const, Node, RangeVar};
use pg_query::NodeEnum;
use std::collections::BTreeSet;

/// What the migrations say the database holds once every one of them has run.
#[derive(Debug, Default)]
pub struct Expected {
    /// The tables of `expert_network`.
    pub tables: BTreeSet<String>,
    /// Every slug inserted into `expert_network.vendor_platforms` by `INSERT ... (..., slug, ...)
    /// VALUES (...)`, in order of appearance, without repeats. Rows whose slug is not a string
    /// constant, and INSERTs without a column list, are left out: their slug is not known without
    /// running them.
    pub vendor_slugs: Vec<String>,
}

/// Reads `texts` (placeholder-substituted, in order), statement by statement, once.
pub fn derive(texts: &[&str]) -> Expected {
    let mut sim = replay::Tables::default();
    let mut vendor_slugs = Vec::new();
    for text in texts {
        for stmt in statements(text) {
            match leading_keyword(stmt).as_str() {
                // DML, comments and grants create, rename and drop no table, so they are not parsed
                // (a large seed file is never parsed at all), except the INSERTs that seed vendors.
                "INSERT" if contains_ignore_case(stmt, "vendor_platforms") => {
                    slugs(stmt, &mut vendor_slugs)
                }
                "INSERT" | "UPDATE" | "DELETE" | "MERGE" | "COPY" | "COMMENT" | "GRANT"
                | "REVOKE" => {}
                _ => {
                    if let Ok(parsed) = pg_query::parse(stmt, 0) {
                        for raw in &parsed.protobuf.stmts {
                            if let Some(node) = raw.stmt.as_deref().and_then(|n| n.node.as_ref()) {
                                sim.statement(node, None);
                            }
                        }
                    }
                }
            }
        }
    }
    Expected {
        tables: sim.into_tables(),
        vendor_slugs,
    }
}

/// `needle` is lower-case.
fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    // std's substring search, not a byte-window loop: this runs over every INSERT of a seed file.
    haystack.to_ascii_lowercase().contains(needle)
}

/// The vendor slugs of one INSERT statement, added to `out` unless already there.
fn slugs(stmt: &str, out: &mut Vec<String>) {
    let Ok(parsed) = pg_query::parse(stmt, 0) else {
        return;
    };
    for raw in &parsed.protobuf.stmts {
        let Some(NodeEnum::InsertStmt(ins)) = raw.stmt.as_deref().and_then(|n| n.node.as_ref())
        else {
            continue;
        };
        if ins.relation.as_ref().and_then(our_name).as_deref() != Some("vendor_platforms") {
            continue;
        }
        let Some(col) = ins
            .cols
            .iter()
            .position(|c| matches!(&c.node, Some(NodeEnum::ResTarget(r)) if r.name == "slug"))
        else {
            continue;
        };
        let Some(NodeEnum::SelectStmt(sel)) =
            ins.select_stmt.as_deref().and_then(|n| n.node.as_ref())
        else {
            continue;
        };
        for row in &sel.values_lists {
            let Some(NodeEnum::List(items)) = &row.node else {
                continue;
            };
            if let Some(slug) = items.items.get(col).and_then(string_constant) {
                if !out.contains(&slug) {
                    out.push(slug);
                }
            }
        }
    }
}

/// The statements of one file, split as the fence splits them.
fn statements(text: &str) -> Vec<&str> {
    fence::split(text).into_iter().map(|s| s.sql).collect()
}

/// The first keyword of a statement, upper-cased, after white space and comments ("" if none).
fn leading_keyword(sql: &str) -> String {
    let b = sql.as_bytes();
    let mut i = 0;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        match crate::files::lexer::comment_end(b, i) {
            Some((end, _)) => i = end,
            None => break,
        }
    }
    let end = b[i..]
        .iter()
        .position(|c| !c.is_ascii_alphabetic())
        .map_or(b.len(), |n| i + n);
    sql[i..end].to_ascii_uppercase()
}

/// A string constant, possibly cast (`'glg'::text`).
pub(super) fn string_constant(node: &Node) -> Option<String> {
    match node.node.as_ref()? {
        NodeEnum::AConst(c) => match &c.val {
            Some(a_const::Val::Sval(s)) => Some(s.sval.clone()),
            _ => None,
        },
        NodeEnum::TypeCast(t) => t.arg.as_deref().and_then(string_constant),
        _ => None,
    }
}

/// The name in `expert_network` that a relation reference means, if it is there. Unqualified names
/// count: every transactional migration runs with `search_path = expert_network, pg_catalog, pg_temp`
/// (apply.rs), so that is where they land. Temporary tables never do.
pub(super) fn our_name(rv: &RangeVar) -> Option<String> {
    let ours = rv.schemaname == SCHEMA || (rv.schemaname.is_empty() && rv.relpersistence != "t");
    ours.then(|| rv.relname.clone())
}
