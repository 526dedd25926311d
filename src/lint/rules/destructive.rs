//! `destructive`: `DROP COLUMN` and `DROP TABLE` of what existed before the file: data is lost and
//! the running release may still read it.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::{AlterTableType, ObjectType};
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    match node {
        NodeEnum::DropStmt(d) if d.remove_type == ObjectType::ObjectTable as i32 => d
            .objects
            .iter()
            .filter_map(|o| match o.node.as_ref() {
                Some(NodeEnum::List(l)) => Some(nodes::dotted(&l.items).0),
                _ => None,
            })
            .filter(|t| !cx.is_new(t))
            .map(|t| Hit::new(format!("DROP TABLE {t}")))
            .collect(),
        _ => nodes::existing_cmds(node, cx, AlterTableType::AtDropColumn)
            .into_iter()
            .map(|(c, table, _)| Hit::new(format!("DROP COLUMN {} on {table}", c.name)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::Destructive as R;

    #[test]
    fn destructive_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["DROP COLUMN bio on expert_network.experts"]
        );
        assert_eq!(
            hits(R, "DROP TABLE expert_network.e;"),
            ["DROP TABLE expert_network.e"]
        );
    }

    #[test]
    fn destructive_ok() {
        assert_ok(
            R,
            &[
                "DROP VIEW expert_network.v;",
                "CREATE TABLE expert_network.n (id int, x int);\nALTER TABLE expert_network.n DROP COLUMN x;\nDROP TABLE expert_network.n;",
            ],
        );
    }
}
