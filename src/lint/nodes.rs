//! Reading pg_query's typed nodes the way the lint's rules need them: relation names, the commands of
//! an ALTER TABLE, the constraints and columns they add, type names, and quoting for the questions
//! `--live` asks. Pure: no rule decides anything here.

use pg_query::protobuf::{
    AlterTableCmd, AlterTableStmt, AlterTableType, ColumnDef, ConstrType, Constraint, Node,
    RangeVar, TypeName,
};
use pg_query::NodeEnum;

/// `schema.table` as written (unquoted), the key of the tables a file created.
pub fn rel_name(r: &Option<RangeVar>) -> String {
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

/// The relation quoted for SQL: `"schema"."table"`.
pub fn rel_quoted(r: &Option<RangeVar>) -> String {
    match r {
        Some(r) if r.schemaname.is_empty() => ident(&r.relname),
        Some(r) => format!("{}.{}", ident(&r.schemaname), ident(&r.relname)),
        None => String::new(),
    }
}

/// A dotted name from String nodes (`DROP INDEX a.b`, a type's name), unquoted and quoted.
pub fn dotted(names: &[Node]) -> (String, String) {
    let parts = strings(names);
    (
        parts.join("."),
        parts.iter().map(|p| ident(p)).collect::<Vec<_>>().join("."),
    )
}

/// The `sval`s of String nodes.
pub fn strings(nodes: &[Node]) -> Vec<&str> {
    nodes
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
            _ => None,
        })
        .collect()
}

/// An identifier, always double-quoted, so any name (upper case, a keyword) reads back as written.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The commands of an ALTER TABLE with their kind.
pub fn alter_cmds(a: &AlterTableStmt) -> impl Iterator<Item = (AlterTableType, &AlterTableCmd)> {
    a.cmds.iter().filter_map(|c| match c.node.as_ref() {
        Some(NodeEnum::AlterTableCmd(c)) => Some((
            AlterTableType::try_from(c.subtype).unwrap_or(AlterTableType::Undefined),
            c.as_ref(),
        )),
        _ => None,
    })
}

/// The ALTER TABLE statement's table, when it is one that existed before this file (or run).
pub fn existing_alter<'a>(
    node: &'a NodeEnum,
    cx: &super::Cx<'_>,
) -> Option<(&'a AlterTableStmt, String)> {
    match node {
        NodeEnum::AlterTableStmt(a) => {
            let table = rel_name(&a.relation);
            (!cx.is_new(&table)).then_some((a, table))
        }
        _ => None,
    }
}

/// The commands of one kind in an ALTER TABLE of an existing table, with the table's name and quoted
/// name: the whole of what most one-command rules need.
pub fn existing_cmds<'a>(
    node: &'a NodeEnum,
    cx: &super::Cx<'_>,
    kind: AlterTableType,
) -> Vec<(&'a AlterTableCmd, String, String)> {
    let Some((a, table)) = existing_alter(node, cx) else {
        return Vec::new();
    };
    alter_cmds(a)
        .filter(|(t, _)| *t == kind)
        .map(|(_, c)| (c, table.clone(), rel_quoted(&a.relation)))
        .collect()
}

/// A lock warning for each column an ALTER TABLE of an existing table adds that `pred` picks, worded
/// by `say(column, table)`.
pub fn added_columns(
    node: &NodeEnum,
    cx: &super::Cx<'_>,
    pred: impl Fn(&ColumnDef) -> bool,
    say: impl Fn(&str, &str) -> String,
) -> Vec<super::Hit> {
    existing_cmds(node, cx, AlterTableType::AtAddColumn)
        .into_iter()
        .filter_map(|(c, table, rel)| {
            let col = column_def(c).filter(|col| pred(col))?;
            Some(super::Hit::new(say(&col.colname, &table)).locking(rel))
        })
        .collect()
}

/// The constraint an `ADD CONSTRAINT` command adds, with its kind.
pub fn added_constraint(c: &AlterTableCmd) -> Option<(&Constraint, ConstrType)> {
    if AlterTableType::try_from(c.subtype) != Ok(AlterTableType::AtAddConstraint) {
        return None;
    }
    match c.def.as_ref().and_then(|d| d.node.as_ref()) {
        Some(NodeEnum::Constraint(k)) => Some((k, kind(k))),
        _ => None,
    }
}

pub fn kind(k: &Constraint) -> ConstrType {
    ConstrType::try_from(k.contype).unwrap_or(ConstrType::Undefined)
}

/// The column an `ADD COLUMN` command adds.
pub fn added_column(c: &AlterTableCmd) -> Option<&ColumnDef> {
    if AlterTableType::try_from(c.subtype) != Ok(AlterTableType::AtAddColumn) {
        return None;
    }
    column_def(c)
}

pub fn column_def(c: &AlterTableCmd) -> Option<&ColumnDef> {
    match c.def.as_ref().and_then(|d| d.node.as_ref()) {
        Some(NodeEnum::ColumnDef(col)) => Some(col),
        _ => None,
    }
}

/// A column's own constraints (`NOT NULL`, `DEFAULT`, `PRIMARY KEY`, `GENERATED` ...).
pub fn column_constraints(col: &ColumnDef) -> impl Iterator<Item = (&Constraint, ConstrType)> {
    col.constraints
        .iter()
        .filter_map(|k| match k.node.as_ref() {
            Some(NodeEnum::Constraint(k)) => Some((k.as_ref(), kind(k))),
            _ => None,
        })
}

/// Every column a statement declares with a type: CREATE TABLE's columns, ADD COLUMN, ALTER COLUMN
/// TYPE; with the table's name and, for CREATE TABLE, its table-level constraints.
pub fn typed_columns(node: &NodeEnum) -> Vec<(String, &ColumnDef, Vec<&Constraint>)> {
    match node {
        NodeEnum::CreateStmt(c) => {
            let table = rel_name(&c.relation);
            let table_level: Vec<&Constraint> = c
                .table_elts
                .iter()
                .filter_map(|e| match e.node.as_ref() {
                    Some(NodeEnum::Constraint(k)) => Some(k.as_ref()),
                    _ => None,
                })
                .collect();
            c.table_elts
                .iter()
                .filter_map(|e| match e.node.as_ref() {
                    Some(NodeEnum::ColumnDef(col)) => {
                        Some((table.clone(), col.as_ref(), table_level.clone()))
                    }
                    _ => None,
                })
                .collect()
        }
        NodeEnum::AlterTableStmt(a) => {
            let table = rel_name(&a.relation);
            alter_cmds(a)
                .filter(|(t, _)| {
                    matches!(
                        t,
                        AlterTableType::AtAddColumn | AlterTableType::AtAlterColumnType
                    )
                })
                .filter_map(|(_, c)| column_def(c).map(|col| (table.clone(), col, Vec::new())))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// "column C of T is WHAT" for every declared column whose type `what` describes (None: not this rule's).
pub fn columns_typed(
    node: &NodeEnum,
    what: impl Fn(&str, bool) -> Option<String>,
) -> Vec<super::Hit> {
    typed_columns(node)
        .into_iter()
        .filter_map(|(table, col, _)| {
            let (ty, has_length) = type_of(&col.type_name);
            what(&ty, has_length).map(|w| {
                super::Hit::new(format!(
                    "column {} of {table} is {w}",
                    column_name(node, col)
                ))
            })
        })
        .collect()
}

/// The column's name: ALTER COLUMN TYPE puts it on the command, not the ColumnDef.
pub fn column_name<'a>(node: &'a NodeEnum, col: &'a ColumnDef) -> &'a str {
    if !col.colname.is_empty() {
        return &col.colname;
    }
    if let NodeEnum::AlterTableStmt(a) = node {
        for (_, c) in alter_cmds(a) {
            if column_def(c).is_some_and(|d| std::ptr::eq(d, col)) {
                return &c.name;
            }
        }
    }
    ""
}

/// A type's last name, lower case (`pg_catalog.int4` -> `int4`), and whether it has a length.
pub fn type_of(t: &Option<TypeName>) -> (String, bool) {
    match t {
        Some(t) => (
            strings(&t.names)
                .last()
                .map(|s| s.to_ascii_lowercase())
                .unwrap_or_default(),
            !t.typmods.is_empty(),
        ),
        None => (String::new(), false),
    }
}

/// An expression as SQL: `SELECT true` parsed, its target swapped for `expr`, deparsed by libpg_query.
/// (A SelectStmt built from defaults would carry enum values libpg_query's deparser rejects.)
pub fn deparse_expr(expr: &Node) -> Option<String> {
    let mut parsed = pg_query::parse("SELECT true", 0).ok()?.protobuf;
    let stmt = parsed.stmts.first_mut()?.stmt.as_mut()?;
    let Some(NodeEnum::SelectStmt(select)) = stmt.node.as_mut() else {
        return None;
    };
    let Some(NodeEnum::ResTarget(target)) = select.target_list.first_mut()?.node.as_mut() else {
        return None;
    };
    target.val = Some(Box::new(expr.clone()));
    pg_query::deparse(&parsed, Default::default())
        .ok()?
        .strip_prefix("SELECT ")
        .map(str::to_string)
}

/// The bounded query that counts the rows of `from` matching `rest` (a WHERE / GROUP BY tail).
pub fn count_sql(from: &str, rest: &str) -> String {
    let rest = if rest.is_empty() {
        String::new()
    } else {
        format!(" {rest}")
    };
    format!(
        "SELECT count(*) FROM (SELECT 1 FROM {from}{rest} LIMIT {}) AS offending",
        super::COUNT_LIMIT
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_deparse_as_sql() {
        let p = pg_query::parse("SELECT (rate > 0 AND \"Bio\" <> '')", 0).unwrap();
        let Some(NodeEnum::SelectStmt(s)) = p.protobuf.stmts[0]
            .stmt
            .as_ref()
            .and_then(|s| s.node.as_ref())
        else {
            panic!()
        };
        let Some(NodeEnum::ResTarget(t)) = s.target_list[0].node.as_ref() else {
            panic!()
        };
        assert_eq!(
            deparse_expr(t.val.as_deref().unwrap()).as_deref(),
            Some("rate > 0 AND \"Bio\" <> ''")
        );
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
    }
}
