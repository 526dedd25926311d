//! `table-rewrite-lock`: `VACUUM FULL` and `CLUSTER`, which rewrite a table under ACCESS EXCLUSIVE.

use crate::lint::{nodes, Cx, Hit};
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, _cx: &Cx<'_>) -> Vec<Hit> {
    match node {
        NodeEnum::VacuumStmt(v) => {
            let full = v.options.iter().any(
                |o| matches!(o.node.as_ref(), Some(NodeEnum::DefElem(d)) if d.defname == "full"),
            );
            if !full {
                return vec![];
            }
            let first = v.rels.iter().find_map(|r| match r.node.as_ref() {
                Some(NodeEnum::VacuumRelation(r)) => Some(nodes::rel_quoted(&r.relation)),
                _ => None,
            });
            let hit = Hit::new("VACUUM FULL");
            vec![match first {
                Some(rel) => hit.locking(rel),
                None => hit,
            }]
        }
        NodeEnum::ClusterStmt(c) => {
            let hit = Hit::new("CLUSTER");
            vec![match &c.relation {
                Some(_) => hit.locking(nodes::rel_quoted(&c.relation)),
                None => hit,
            }]
        }
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::TableRewriteLock as R;

    #[test]
    fn table_rewrite_lock_err() {
        assert_eq!(hits(R, R.about().example), ["VACUUM FULL"]);
        assert_eq!(hits(R, "CLUSTER expert_network.e USING i;"), ["CLUSTER"]);
    }

    #[test]
    fn table_rewrite_lock_ok() {
        assert_ok(
            R,
            &[
                "VACUUM expert_network.e;",
                "VACUUM (ANALYZE) expert_network.e;",
            ],
        );
    }
}
