//! Lint: warnings about statements that take locks production will feel, on tables that existed before
//! the migration (a table created earlier in the same file is empty and unseen, so locking it is free).
//!
//! Same split and parse as the fence, but warnings never refuse anything unless `--deny-warnings`. A
//! comment `-- en-migrate: allow RULE` on the line before a statement silences that rule there.

use crate::fence;
use crate::migration::{Lines, Migration};
use pg_query::protobuf::{AlterTableType, ConstrType, ObjectType};
use pg_query::NodeEnum;
use serde::Serialize;
use std::collections::HashSet;

/// Every lint rule: (name, why it matters, the safer form).
pub const RULES: &[(&str, &str, &str)] = &[
    (
        "create-index-blocking",
        "CREATE INDEX without CONCURRENTLY blocks every write to the table until the index is built",
        "put `CREATE INDEX CONCURRENTLY` alone in a file whose first line is `-- en-migrate: no-transaction`",
    ),
    (
        "constraint-validating",
        "adding a FOREIGN KEY or CHECK constraint scans the whole table under a lock that blocks writes",
        "add it NOT VALID, then `ALTER TABLE ... VALIDATE CONSTRAINT` in a later migration",
    ),
    (
        "set-not-null",
        "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
        "add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (PostgreSQL uses the constraint)",
    ),
    (
        "alter-column-type",
        "changing a column's type rewrites the table under an ACCESS EXCLUSIVE lock",
        "add a new column, backfill it in batches, switch readers, then drop the old column",
    ),
    (
        "volatile-default",
        "a column added with a volatile default rewrites the whole table under an ACCESS EXCLUSIVE lock",
        "add the column without a default (or with a constant), then backfill in batches",
    ),
    (
        "destructive",
        "DROP COLUMN / DROP TABLE loses data and breaks code that still reads it",
        "stop using it in a release first; drop it in a later migration once nothing reads it",
    ),
    (
        "table-rewrite-lock",
        "VACUUM FULL and CLUSTER rewrite the table under an ACCESS EXCLUSIVE lock",
        "use pg_repack, or plain VACUUM, outside a migration",
    ),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub rule: &'static str,
    pub message: String,
    pub why: &'static str,
    pub instead: &'static str,
}

/// Functions whose value differs per row: a column added with one as default rewrites the table.
const VOLATILE: &[&str] = &[
    "random",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v4",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "txid_current",
    "setseed",
    "uuidv4",
    "uuidv7",
];

/// Lints one migration whose placeholders are substituted.
pub fn lint(m: &Migration, text: &str) -> Vec<Warning> {
    let mut out = Vec::new();
    let Ok(stmts) = fence::split(text) else {
        return out;
    };
    let mut created: HashSet<String> = HashSet::new();
    let lines = Lines::new(text.as_bytes());
    for stmt in stmts {
        // Literal rows warn about nothing; do not build their trees.
        if fence::is_literal_insert(stmt.sql) {
            continue;
        }
        // The fence's parse: no recursion limit, and long literal IN lists compacted.
        let Ok(parsed) = fence::parse_statement(stmt.sql) else {
            continue;
        };
        let lead = stmt.sql.len() - stmt.sql.trim_start().len();
        // The statement's first code line, past leading comments.
        let code_at = stmt.sql[lead..]
            .lines()
            .scan(lead, |off, l| {
                let here = *off;
                *off += l.len() + 1;
                Some((here, l))
            })
            .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
            .map_or(lead, |(o, _)| o);
        let offset = stmt.offset + code_at;
        let line = lines.line(offset);
        for raw in &parsed.stmts {
            let Some(node) = raw.stmt.as_ref().and_then(|s| s.node.as_ref()) else {
                continue;
            };
            for (rule, message) in judge(node, &mut created, m.no_transaction) {
                if m.allows.iter().any(|(l, r)| *l + 1 == line && r == rule) {
                    continue;
                }
                let (_, why, instead) = RULES
                    .iter()
                    .find(|(r, _, _)| *r == rule)
                    .copied()
                    .unwrap_or((rule, "", ""));
                out.push(Warning {
                    path: m.path.clone(),
                    line,
                    column: 1,
                    rule,
                    message,
                    why,
                    instead,
                });
            }
        }
    }
    out
}

fn rel_name(r: &Option<pg_query::protobuf::RangeVar>) -> String {
    r.as_ref()
        .map(|r| {
            if r.schemaname.is_empty() {
                r.relname.clone()
            } else {
                format!("{}.{}", r.schemaname, r.relname)
            }
        })
        .unwrap_or_default()
}

fn has_volatile_call(node: &pg_query::protobuf::Node) -> bool {
    let Some(n) = node.node.as_ref() else {
        return false;
    };
    n.nodes().iter().any(|(r, _, _, _)| match r {
        pg_query::NodeRef::FuncCall(f) => f.funcname.iter().filter_map(|p| match p.node.as_ref() {
            Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
            _ => None,
        }).next_back().is_some_and(|name| VOLATILE.contains(&name) || f.funcname.len() > 1 && !name.is_empty() && f.funcname.first().is_some_and(|s| matches!(s.node.as_ref(), Some(NodeEnum::String(x)) if x.sval != "pg_catalog"))),
        _ => false,
    })
}

/// The warnings one statement earns, given the tables created earlier in the same file.
fn judge(
    node: &NodeEnum,
    created: &mut HashSet<String>,
    no_transaction: bool,
) -> Vec<(&'static str, String)> {
    let mut w = Vec::new();
    match node {
        NodeEnum::CreateStmt(c) => {
            created.insert(rel_name(&c.relation));
        }
        NodeEnum::CreateTableAsStmt(c) => {
            created.insert(rel_name(&c.into.as_ref().and_then(|i| i.rel.clone())));
        }
        NodeEnum::IndexStmt(ix) => {
            let table = rel_name(&ix.relation);
            if !ix.concurrent && !created.contains(&table) && !no_transaction {
                w.push((
                    "create-index-blocking",
                    format!("CREATE INDEX on {table} without CONCURRENTLY"),
                ));
            }
        }
        NodeEnum::AlterTableStmt(a) => {
            let table = rel_name(&a.relation);
            if created.contains(&table) {
                return w;
            }
            for cmd in &a.cmds {
                let Some(NodeEnum::AlterTableCmd(c)) = cmd.node.as_ref() else {
                    continue;
                };
                let sub = AlterTableType::try_from(c.subtype).unwrap_or(AlterTableType::Undefined);
                match sub {
                    AlterTableType::AtAddConstraint => {
                        if let Some(NodeEnum::Constraint(k)) =
                            c.def.as_ref().and_then(|d| d.node.as_ref())
                        {
                            let kind =
                                ConstrType::try_from(k.contype).unwrap_or(ConstrType::Undefined);
                            if matches!(kind, ConstrType::ConstrForeign | ConstrType::ConstrCheck)
                                && !k.skip_validation
                            {
                                let what = if kind == ConstrType::ConstrForeign {
                                    "FOREIGN KEY"
                                } else {
                                    "CHECK"
                                };
                                w.push((
                                    "constraint-validating",
                                    format!(
                                        "ADD CONSTRAINT {} {what} on {table} without NOT VALID",
                                        k.conname
                                    ),
                                ));
                            }
                        }
                    }
                    AlterTableType::AtSetNotNull => w.push((
                        "set-not-null",
                        format!("ALTER COLUMN {} SET NOT NULL on {table}", c.name),
                    )),
                    AlterTableType::AtAlterColumnType => w.push((
                        "alter-column-type",
                        format!("ALTER COLUMN {} TYPE on {table}", c.name),
                    )),
                    AlterTableType::AtDropColumn => {
                        w.push(("destructive", format!("DROP COLUMN {} on {table}", c.name)))
                    }
                    AlterTableType::AtAddColumn => {
                        if let Some(NodeEnum::ColumnDef(col)) =
                            c.def.as_ref().and_then(|d| d.node.as_ref())
                        {
                            let default_volatile = col
                                .raw_default
                                .as_deref()
                                .is_some_and(has_volatile_call)
                                || col.constraints.iter().any(|k| match k.node.as_ref() {
                                    Some(NodeEnum::Constraint(k)) => {
                                        k.contype == ConstrType::ConstrDefault as i32
                                            && k.raw_expr.as_deref().is_some_and(has_volatile_call)
                                    }
                                    _ => false,
                                });
                            if default_volatile {
                                w.push((
                                    "volatile-default",
                                    format!(
                                        "ADD COLUMN {} on {table} with a volatile default",
                                        col.colname
                                    ),
                                ));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        NodeEnum::DropStmt(d) if d.remove_type == ObjectType::ObjectTable as i32 => {
            w.push(("destructive", "DROP TABLE".to_string()));
        }
        NodeEnum::VacuumStmt(v) => {
            let full = v.options.iter().any(
                |o| matches!(o.node.as_ref(), Some(NodeEnum::DefElem(d)) if d.defname == "full"),
            );
            if full {
                w.push(("table-rewrite-lock", "VACUUM FULL".to_string()));
            }
        }
        NodeEnum::ClusterStmt(_) => w.push(("table-rewrite-lock", "CLUSTER".to_string())),
        _ => {}
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(sql: &str) -> Vec<&'static str> {
        let m = Migration::from_bytes(
            2,
            "x".into(),
            "002_x.sql".into(),
            "002_x.sql".into(),
            sql.as_bytes().to_vec(),
        )
        .unwrap();
        lint(&m, sql).into_iter().map(|w| w.rule).collect()
    }

    #[test]
    fn index_ok_and_err() {
        assert_eq!(
            rules("CREATE INDEX i ON expert_network.experts (user_id);"),
            ["create-index-blocking"]
        );
        assert!(rules(
            "CREATE TABLE expert_network.n (id int);\nCREATE INDEX i ON expert_network.n (id);"
        )
        .is_empty());
        assert!(rules("-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY i ON expert_network.experts (user_id);").is_empty());
    }

    #[test]
    fn constraints_ok_and_err() {
        assert_eq!(rules("ALTER TABLE expert_network.e ADD CONSTRAINT f FOREIGN KEY (c) REFERENCES expert_network.c (id);"), ["constraint-validating"]);
        assert!(rules("ALTER TABLE expert_network.e ADD CONSTRAINT f FOREIGN KEY (c) REFERENCES expert_network.c (id) NOT VALID;").is_empty());
        assert_eq!(
            rules("ALTER TABLE expert_network.e ADD CONSTRAINT k CHECK (x > 0);"),
            ["constraint-validating"]
        );
        assert!(
            rules("ALTER TABLE expert_network.e ADD CONSTRAINT k CHECK (x > 0) NOT VALID;")
                .is_empty()
        );
    }

    #[test]
    fn columns_ok_and_err() {
        assert_eq!(
            rules("ALTER TABLE expert_network.e ALTER COLUMN x SET NOT NULL;"),
            ["set-not-null"]
        );
        assert_eq!(
            rules("ALTER TABLE expert_network.e ALTER COLUMN x TYPE bigint;"),
            ["alter-column-type"]
        );
        assert_eq!(
            rules("ALTER TABLE expert_network.e ADD COLUMN k uuid DEFAULT gen_random_uuid();"),
            ["volatile-default"]
        );
        assert!(
            rules("ALTER TABLE expert_network.e ADD COLUMN k timestamptz DEFAULT now();")
                .is_empty()
        );
        assert!(rules("ALTER TABLE expert_network.e ADD COLUMN k int DEFAULT 0;").is_empty());
        assert_eq!(
            rules("ALTER TABLE expert_network.e DROP COLUMN k;"),
            ["destructive"]
        );
        assert_eq!(rules("DROP TABLE expert_network.e;"), ["destructive"]);
        assert_eq!(
            rules("VACUUM FULL expert_network.e;"),
            ["table-rewrite-lock"]
        );
        assert_eq!(
            rules("CLUSTER expert_network.e USING i;"),
            ["table-rewrite-lock"]
        );
    }

    #[test]
    fn allow_directive_silences_one_rule_on_the_next_statement() {
        assert!(rules("-- en-migrate: allow destructive\nDROP TABLE expert_network.e;").is_empty());
        assert_eq!(
            rules("-- en-migrate: allow destructive\nSELECT 1;\nDROP TABLE expert_network.e;"),
            ["destructive"]
        );
        assert_eq!(
            rules("-- en-migrate: allow set-not-null\nDROP TABLE expert_network.e;"),
            ["destructive"]
        );
    }

    #[test]
    fn shipped_migrations_lint_clean() {
        let p = crate::migration::Placeholders::default();
        for m in crate::source::load(&crate::source::Source::Embedded).unwrap() {
            let text = p.substitute(&m.text).unwrap();
            assert_eq!(lint(&m, &text), vec![], "{}", m.file_name);
        }
    }
}
