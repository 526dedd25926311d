//! `constraint-validating`: `ADD CONSTRAINT ... FOREIGN KEY` or `CHECK` without `NOT VALID` on an
//! existing table: the validating scan runs under a lock that blocks writes.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::ConstrType;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    let Some((a, table)) = nodes::existing_alter(node, cx) else {
        return vec![];
    };
    nodes::alter_cmds(a)
        .filter_map(|(_, c)| nodes::added_constraint(c))
        .filter(|(k, _)| !k.skip_validation)
        .filter_map(|(k, kind)| {
            let what = match kind {
                ConstrType::ConstrForeign => "FOREIGN KEY",
                ConstrType::ConstrCheck => "CHECK",
                _ => return None,
            };
            Some(
                Hit::new(format!(
                    "ADD CONSTRAINT {} {what} on {table} without NOT VALID",
                    k.conname
                ))
                .locking(nodes::rel_quoted(&a.relation)),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::ConstraintValidating as R;

    #[test]
    fn constraint_validating_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["ADD CONSTRAINT rate_positive CHECK on expert_network.experts without NOT VALID"]
        );
        assert_eq!(
            hits(R, "ALTER TABLE expert_network.e ADD CONSTRAINT f FOREIGN KEY (c) REFERENCES expert_network.c (id);"),
            ["ADD CONSTRAINT f FOREIGN KEY on expert_network.e without NOT VALID"]
        );
    }

    #[test]
    fn constraint_validating_ok() {
        assert_ok(
            R,
            &[
                "ALTER TABLE expert_network.e ADD CONSTRAINT f FOREIGN KEY (c) REFERENCES expert_network.c (id) NOT VALID;",
                "ALTER TABLE expert_network.e ADD CONSTRAINT k CHECK (x > 0) NOT VALID;",
                "CREATE TABLE expert_network.n (x int);\nALTER TABLE expert_network.n ADD CONSTRAINT k CHECK (x > 0);",
            ],
        );
    }
}
