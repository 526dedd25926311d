//! Lint: warnings about statements that take locks production will feel, break the running release or
//! fail on the data already there. Tables created earlier in the same file (or, when a run carries them,
//! in an earlier pending migration of that run) are new and unseen, so locking them is free.
//!
//! Same split as the fence (`fence::split`), but each statement is parsed here with pg_query and judged
//! on its typed nodes, one rule per file under `rules/`. Warnings never refuse anything unless
//! `--deny-warnings`; errors (the data-dependent rules, judged only with `--live`) always do. A comment
//! `-- en-migrate: allow RULE` on the line before a statement silences that rule there. Pure (no database):
//! `db/lint_live` asks the database the rules' questions for `--live`, and must only read.

mod nodes;
mod rule;
pub mod rules;

pub use rule::{Rule, Severity};

use crate::fence;
use crate::files::lexer::Lines;
use crate::files::migration::Migration;
use anyhow::{bail, Result};
use pg_query::NodeEnum;
use serde::Serialize;
use std::collections::HashSet;

/// One lint finding, as a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub why: &'static str,
    pub instead: &'static str,
    /// With `--live`: how big the locked table is and who is using it now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<TableInfo>,
    /// The existing relation the statement locks (quoted), for `--live` to look up.
    #[serde(skip)]
    pub locks: Option<String>,
    /// The bounded query counting the rows the statement would fail on, for `--live` to run.
    #[serde(skip)]
    pub count: Option<Count>,
}

/// A question for the live database: how many rows would make the statement fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    /// `SELECT count(*) FROM (... LIMIT COUNT_LIMIT) AS offending`.
    pub sql: String,
    /// What the count counts, before the number: "rows holding NULL in bio".
    pub what: String,
    /// `REFERENCES parent` without columns means parent's primary key, which only the database
    /// knows: `sql` then holds `KEY_MATCH`, for `live` to replace with the key's comparisons.
    pub key_of: Option<KeyOf>,
}

/// The referenced table (quoted) and the referencing columns, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyOf {
    pub parent: String,
    pub columns: Vec<String>,
}

/// Where the referenced key's comparisons go in a count's SQL (see `Count::key_of`).
pub const KEY_MATCH: &str = "/* key match */";

/// Counting stops here: the error needs a number, not an exact one, and the scan must stay bounded.
pub const COUNT_LIMIT: u32 = 1000;

/// What one rule found in one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub message: String,
    pub locks: Option<String>,
    pub count: Option<Count>,
}

impl Hit {
    pub fn new(message: impl Into<String>) -> Hit {
        Hit {
            message: message.into(),
            locks: None,
            count: None,
        }
    }

    /// The statement locks `rel`, an existing relation (quoted): `--live` says how big it is.
    pub fn locking(mut self, rel: String) -> Hit {
        self.locks = Some(rel);
        self
    }

    /// The count needs the primary key of `key_of.parent` first (a bare `REFERENCES parent`).
    pub fn keyed(mut self, key_of: KeyOf) -> Hit {
        if let Some(c) = &mut self.count {
            c.key_of = Some(key_of);
        }
        self
    }

    pub fn counting(mut self, sql: String, what: impl Into<String>) -> Hit {
        self.count = Some(Count {
            sql,
            what: what.into(),
            key_of: None,
        });
        self
    }
}

/// What a rule may know about the statements before the one it judges.
pub struct Cx<'a> {
    /// The statement's text, for what the tree no longer shows (an identifier cut to 63 bytes).
    pub sql: &'a str,
    created: &'a HashSet<String>,
    not_valid: &'a HashSet<(String, String)>,
    /// The file runs without a transaction: each statement commits on its own.
    pub no_transaction: bool,
}

impl Cx<'_> {
    /// The table was created earlier in this file (or run): nobody else can see it, so locks are free.
    pub fn is_new(&self, table: &str) -> bool {
        self.created.contains(table)
    }

    /// `constraint` was added NOT VALID to `table` earlier in this transaction.
    pub fn added_not_valid(&self, table: &str, constraint: &str) -> bool {
        self.not_valid
            .contains(&(table.to_string(), constraint.to_string()))
    }
}

/// Which rules run, and whether the data-dependent ones may.
#[derive(Debug, Clone)]
pub struct Options {
    pub rules: Vec<Rule>,
    /// `--live`: emit the data-dependent rules' questions (their answers come from `db::lint_live::resolve`).
    pub live: bool,
    /// Tables created by one file stay new in the files after it (the pending migrations of one run).
    pub carry: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options::with(&[])
    }
}

impl Options {
    /// The rules on by default, and `extra` (the style rules a project turns on with `--rules`).
    pub fn with(extra: &[Rule]) -> Options {
        Options {
            rules: Rule::ALL
                .iter()
                .copied()
                .filter(|r| r.about().default_on || extra.contains(r))
                .collect(),
            live: false,
            carry: false,
        }
    }
}

/// Lints files one after the other, remembering the tables they create when `carry` is set.
pub struct Linter {
    opts: Options,
    created: HashSet<String>,
}

/// Lints one migration whose placeholders are substituted, with the default rules.
#[cfg(test)]
pub fn lint(m: &Migration) -> Vec<Warning> {
    Linter::new(Options::default()).file(m)
}

impl Linter {
    pub fn new(opts: Options) -> Linter {
        Linter {
            opts,
            created: HashSet::new(),
        }
    }

    pub fn file(&mut self, m: &Migration) -> Vec<Warning> {
        self.file_with(None, m)
    }

    /// Lints one migration, reading the statements `model` parsed from its trees.
    pub fn file_in(&mut self, model: &fence::Model, m: &Migration) -> Vec<Warning> {
        self.file_with(Some(model), m)
    }

    fn file_with(&mut self, model: Option<&fence::Model>, m: &Migration) -> Vec<Warning> {
        let text = m.text.as_str();
        if !self.opts.carry {
            self.created.clear();
        }
        let mut out = Vec::new();
        let stmts = fence::statements(m);
        let mut not_valid = HashSet::new();
        let lines = Lines::new(text.as_bytes());
        for stmt in stmts {
            // A deeply nested statement decodes, walks and drops its tree on a grown stack, as
            // the fence does: the server accepts what nests deeper than the main thread's stack.
            if stmt.sql.len() > fence::DEEP {
                fence::on_deep_stack(|| {
                    self.statement(model, m, &stmt, &lines, &mut not_valid, &mut out)
                });
            } else {
                self.statement(model, m, &stmt, &lines, &mut not_valid, &mut out);
            }
        }
        out
    }

    /// Lints one statement of `m`, adding what it warns about to `out`.
    fn statement(
        &mut self,
        model: Option<&fence::Model>,
        m: &Migration,
        stmt: &fence::Statement<'_>,
        lines: &Lines,
        not_valid: &mut HashSet<(String, String)>,
        out: &mut Vec<Warning>,
    ) {
        // Literal rows warn about nothing but a repeated column; do not build their trees.
        if stmt.is_literal_insert()
            && !(self.opts.rules.contains(&Rule::DuplicateAssignment)
                && rules::duplicate_assignment::may_repeat(stmt.sql))
        {
            return;
        }
        // The fence's parse: no recursion limit, and long literal IN lists compacted.
        let parsed = match model.and_then(|model| model.tree(stmt.sql, false)) {
            Some(tree) => tree,
            None => match fence::parse_statement(stmt.sql) {
                Ok(p) => std::sync::Arc::new(p),
                Err(_) => return,
            },
        };
        let line = lines.line(stmt.offset + code_start(stmt.sql));
        for raw in &parsed.stmts {
            let Some(node) = raw.stmt.as_ref().and_then(|s| s.node.as_ref()) else {
                continue;
            };
            let cx = Cx {
                sql: stmt.sql,
                created: &self.created,
                not_valid: &*not_valid,
                no_transaction: m.no_transaction,
            };
            for &rule in &self.opts.rules {
                let about = rule.about();
                if about.needs_database && !self.opts.live {
                    continue;
                }
                if m.allows
                    .iter()
                    .any(|(l, r)| *l + 1 == line && r == about.name)
                {
                    continue;
                }
                for hit in rule.check(node, &cx) {
                    out.push(Warning {
                        path: m.path.clone(),
                        line,
                        column: 1,
                        rule: about.name,
                        severity: about.severity,
                        message: hit.message,
                        why: about.why,
                        instead: about.instead,
                        table: None,
                        locks: hit.locks,
                        count: hit.count,
                    });
                }
            }
            self.remember(node, not_valid, m.no_transaction);
        }
    }

    /// What later statements need to know: the tables this one created, the constraints it added
    /// NOT VALID inside the file's transaction.
    fn remember(
        &mut self,
        node: &NodeEnum,
        not_valid: &mut HashSet<(String, String)>,
        no_tx: bool,
    ) {
        match node {
            NodeEnum::CreateStmt(c) => {
                self.created.insert(nodes::rel_name(&c.relation));
            }
            NodeEnum::CreateTableAsStmt(c) => {
                if let Some(into) = &c.into {
                    self.created.insert(nodes::rel_name(&into.rel));
                }
            }
            NodeEnum::AlterTableStmt(a) if !no_tx => {
                let table = nodes::rel_name(&a.relation);
                for (_, cmd) in nodes::alter_cmds(a) {
                    if let Some((k, _)) = nodes::added_constraint(cmd) {
                        if k.skip_validation {
                            not_valid.insert((table.clone(), k.conname.clone()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Offset of the statement's first code line, past leading comments and blank lines: the line the
/// allow directive must sit just above.
fn code_start(sql: &str) -> usize {
    let mut off = 0;
    for l in sql.split_inclusive('\n') {
        let t = l.trim();
        if !t.is_empty() && !t.starts_with("--") {
            return off + (l.len() - l.trim_start().len()).min(l.len());
        }
        off += l.len();
    }
    sql.len() - sql.trim_start().len()
}

/// Refuses an `-- en-migrate: allow RULE` naming no rule, so a misspelt allow never silently allows
/// nothing. Checked where migrations are loaded, so files need not know the lint's rules.
pub fn check_allows(migrations: &[Migration]) -> Result<()> {
    let problems: Vec<String> = migrations
        .iter()
        .flat_map(|m| {
            m.allows.iter().filter_map(move |(line, rule)| {
                // The fence's own opt-ins (`allow dynamic-sql`, `allow notify`) are not lint rules.
                if crate::fence::OPT_INS.iter().any(|(r, _)| r.name() == rule) {
                    return None;
                }
                Rule::from_name(rule)
                    .err()
                    .map(|e| format!("{}: line {line}: `allow {rule}`: {e}", m.path))
            })
        })
        .collect();
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    Ok(())
}

/// The table a lock warning is about, as the database sees it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableInfo {
    pub name: String,
    /// The planner's estimate (`pg_class.reltuples`); absent when the table was never analysed.
    pub rows_estimate: Option<i64>,
    /// The table with its indexes and TOAST, from `pg_class.relpages` (as of the last VACUUM/ANALYZE).
    pub bytes: i64,
    /// Other sessions holding any lock on the table right now (`pg_locks`).
    pub sessions: i64,
}

impl TableInfo {
    /// `expert_network.experts: ~1200 rows, 96 kB, 2 other sessions hold locks on it now`.
    pub fn describe(&self) -> String {
        let rows = match self.rows_estimate {
            Some(n) => format!("~{n} rows"),
            None => "rows not estimated yet".to_string(),
        };
        let sessions = match self.sessions {
            0 => "no other session holds a lock on it now".to_string(),
            1 => "1 other session holds a lock on it now".to_string(),
            n => format!("{n} other sessions hold locks on it now"),
        };
        format!("{}: {rows}, {}, {sessions}", self.name, size(self.bytes))
    }
}

fn size(bytes: i64) -> String {
    const UNITS: [&str; 4] = ["bytes", "kB", "MB", "GB"];
    let mut v = bytes as f64;
    let mut unit = 0;
    while v >= 10240.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{} {}", v.round() as i64, UNITS[unit])
}

#[cfg(test)]
pub(crate) mod tests;
