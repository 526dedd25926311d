//! `truncate-cascade`: `TRUNCATE ... CASCADE` empties tables the statement does not name.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::DropBehavior;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, _cx: &Cx<'_>) -> Vec<Hit> {
    let NodeEnum::TruncateStmt(t) = node else {
        return vec![];
    };
    if t.behavior != DropBehavior::DropCascade as i32 {
        return vec![];
    }
    let names: Vec<String> = t
        .relations
        .iter()
        .filter_map(|r| match r.node.as_ref() {
            Some(NodeEnum::RangeVar(r)) => Some(nodes::rel_name(&Some(r.clone()))),
            _ => None,
        })
        .collect();
    vec![Hit::new(format!("TRUNCATE {} CASCADE", names.join(", ")))]
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::TruncateCascade as R;

    #[test]
    fn truncate_cascade_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["TRUNCATE expert_network.campaigns CASCADE"]
        );
    }

    #[test]
    fn truncate_cascade_ok() {
        assert_ok(
            R,
            &[
                "TRUNCATE expert_network.campaigns, expert_network.experts;",
                "TRUNCATE expert_network.campaigns RESTRICT;",
            ],
        );
    }
}
