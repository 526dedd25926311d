//! `exclusion-constraint`: `ADD CONSTRAINT ... EXCLUDE` on an existing table, built and checked under
//! ACCESS EXCLUSIVE, with no concurrent or NOT VALID form.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::ConstrType;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    let Some((a, table)) = nodes::existing_alter(node, cx) else {
        return vec![];
    };
    nodes::alter_cmds(a)
        .filter_map(|(_, c)| nodes::added_constraint(c))
        .filter(|(_, kind)| *kind == ConstrType::ConstrExclusion)
        .map(|(k, _)| {
            Hit::new(format!("ADD CONSTRAINT {} EXCLUDE on {table}", k.conname))
                .locking(nodes::rel_quoted(&a.relation))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::ExclusionConstraint as R;

    #[test]
    fn exclusion_constraint_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["ADD CONSTRAINT no_overlap EXCLUDE on expert_network.interviews"]
        );
    }

    #[test]
    fn exclusion_constraint_ok() {
        assert_ok(
            R,
            &[
                "CREATE TABLE expert_network.slots (r tstzrange, EXCLUDE USING gist (r WITH &&));",
                "CREATE TABLE expert_network.n (r int);\nALTER TABLE expert_network.n ADD CONSTRAINT x EXCLUDE USING btree (r WITH =);",
            ],
        );
    }
}
