//! `table-rewrite-lock`: `VACUUM FULL`, `CLUSTER`, and `ALTER TABLE ... SET LOGGED | SET UNLOGGED |
//! SET TABLESPACE` on an existing table, which rewrite or copy the whole table under ACCESS EXCLUSIVE.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

/// The ALTER TABLE forms that rewrite (LOGGED/UNLOGGED) or copy (TABLESPACE) the table's files.
const REWRITING: [(AlterTableType, &str); 3] = [
    (AlterTableType::AtSetLogged, "SET LOGGED"),
    (AlterTableType::AtSetUnLogged, "SET UNLOGGED"),
    (AlterTableType::AtSetTableSpace, "SET TABLESPACE"),
];

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    match node {
        NodeEnum::AlterTableStmt(_) => REWRITING
            .iter()
            .flat_map(|&(kind, what)| {
                nodes::existing_cmds(node, cx, kind)
                    .into_iter()
                    .map(move |(_, table, rel)| Hit::new(format!("{what} on {table}")).locking(rel))
            })
            .collect(),
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
        assert_eq!(
            hits(R, "ALTER TABLE expert_network.e SET UNLOGGED;\nALTER TABLE expert_network.e SET LOGGED, SET TABLESPACE pg_default;"),
            [
                "SET UNLOGGED on expert_network.e",
                "SET LOGGED on expert_network.e",
                "SET TABLESPACE on expert_network.e"
            ]
        );
    }

    #[test]
    fn table_rewrite_lock_ok() {
        assert_ok(
            R,
            &[
                "VACUUM expert_network.e;",
                "VACUUM (ANALYZE) expert_network.e;",
                "CREATE TABLE expert_network.n (x int);\nALTER TABLE expert_network.n SET UNLOGGED;",
                "ALTER TABLE expert_network.e SET (fillfactor = 70);",
            ],
        );
    }
}
