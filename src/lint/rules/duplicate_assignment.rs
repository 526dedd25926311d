//! `duplicate-assignment`: one column assigned twice in an INSERT column list or an UPDATE's SET,
//! which PostgreSQL refuses when the statement runs.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::Node;
use pg_query::NodeEnum;
use std::collections::HashSet;

pub fn check(node: &NodeEnum, _cx: &Cx<'_>) -> Vec<Hit> {
    let (verb, relation, targets) = match node {
        NodeEnum::InsertStmt(i) => ("INSERT INTO", &i.relation, &i.cols),
        NodeEnum::UpdateStmt(u) => ("UPDATE", &u.relation, &u.target_list),
        _ => return vec![],
    };
    repeated(targets)
        .into_iter()
        .map(|col| {
            Hit::new(format!(
                "column {col} assigned twice in {verb} {}",
                nodes::rel_name(relation)
            ))
        })
        .collect()
}

/// Whether a literal INSERT's column list may name a column twice: the lint skips parsing literal rows
/// (a seed has a hundred thousand), so this textual look at the list decides whether to parse one.
pub fn may_repeat(insert: &str) -> bool {
    let Some(open) = insert.find('(') else {
        return false;
    };
    // `INSERT INTO t VALUES (...)`: no column list.
    if crate::files::lexer::mentions(&insert[..open], "values") {
        return false;
    }
    let Some(len) = insert[open..].find(')') else {
        return false;
    };
    // Lists are short: comparing each pair allocates nothing, unlike a set of lower-cased names.
    let cols: Vec<&str> = insert[open + 1..open + len]
        .split(',')
        .map(str::trim)
        .collect();
    let same = |a: &str, b: &str| {
        if a.starts_with('"') || b.starts_with('"') {
            a == b
        } else {
            a.eq_ignore_ascii_case(b)
        }
    };
    cols.iter()
        .enumerate()
        .any(|(i, a)| cols[i + 1..].iter().any(|b| same(a, b)))
}

/// Columns named more than once; `a[1]` and `a[2]` (with indirection) assign different parts.
fn repeated(targets: &[Node]) -> Vec<&str> {
    let mut seen = HashSet::new();
    let mut twice = Vec::new();
    for t in targets {
        if let Some(NodeEnum::ResTarget(r)) = t.node.as_ref() {
            if r.indirection.is_empty()
                && !seen.insert(r.name.as_str())
                && !twice.contains(&r.name.as_str())
            {
                twice.push(r.name.as_str());
            }
        }
    }
    twice
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::DuplicateAssignment as R;

    #[test]
    fn duplicate_assignment_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["column bio assigned twice in UPDATE expert_network.experts"]
        );
        assert_eq!(
            hits(
                R,
                "INSERT INTO expert_network.tags (id, name, id) VALUES (1, 'a', 2);"
            ),
            ["column id assigned twice in INSERT INTO expert_network.tags"]
        );
    }

    #[test]
    fn literal_inserts_are_parsed_only_when_their_list_may_repeat() {
        use super::may_repeat;
        assert!(may_repeat(
            "INSERT INTO t (id, name, ID) VALUES (1, 'a', 2);"
        ));
        assert!(!may_repeat("INSERT INTO t (id, \"ID\") VALUES (1, 2);"));
        assert!(!may_repeat("INSERT INTO t VALUES (1, 1);"));
    }

    #[test]
    fn duplicate_assignment_ok() {
        assert_ok(
            R,
            &[
                "INSERT INTO expert_network.tags (id, name) VALUES (1, 'a');",
                "UPDATE expert_network.t SET a[1] = 1, a[2] = 2 WHERE id = 1;",
                "UPDATE expert_network.experts SET bio = '', full_name = 'x' WHERE id = 1;",
            ],
        );
    }
}
