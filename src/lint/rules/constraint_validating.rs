//! `constraint-validating`: `ADD CONSTRAINT ... FOREIGN KEY` or `CHECK` without `NOT VALID` on an
//! existing table: the validating scan runs under a lock that blocks writes. A CHECK or REFERENCES on
//! a column the statement adds is validated by the same scan, and cannot be written NOT VALID.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::ConstrType;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    let Some((a, table)) = nodes::existing_alter(node, cx) else {
        return vec![];
    };
    let mut says = Vec::new();
    for (_, c) in nodes::alter_cmds(a) {
        if let Some((k, kind)) = nodes::added_constraint(c).filter(|(k, _)| !k.skip_validation) {
            says.extend(validated(kind, "FOREIGN KEY").map(|what| {
                format!(
                    "ADD CONSTRAINT {} {what} on {table} without NOT VALID",
                    k.conname
                )
            }));
        }
        if let Some(col) = nodes::added_column(c) {
            for (_, kind) in nodes::column_constraints(col) {
                says.extend(validated(kind, "REFERENCES").map(|what| {
                    format!(
                        "ADD COLUMN {} {what} on {table}: the constraint is validated over every row",
                        col.colname
                    )
                }));
            }
        }
    }
    says.into_iter()
        .map(|s| Hit::new(s).locking(nodes::rel_quoted(&a.relation)))
        .collect()
}

/// The constraints whose adding scans the table, spelled as the statement spells them.
fn validated(kind: ConstrType, foreign: &'static str) -> Option<&'static str> {
    match kind {
        ConstrType::ConstrForeign => Some(foreign),
        ConstrType::ConstrCheck => Some("CHECK"),
        _ => None,
    }
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
        // A constraint on an added column scans the table too (even though the column is NULL).
        assert_eq!(
            hits(R, "ALTER TABLE expert_network.e ADD COLUMN c bigint REFERENCES expert_network.c (id), ADD COLUMN d text CHECK (d <> '');"),
            [
                "ADD COLUMN c REFERENCES on expert_network.e: the constraint is validated over every row",
                "ADD COLUMN d CHECK on expert_network.e: the constraint is validated over every row"
            ]
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
                "CREATE TABLE expert_network.n (x int);\nALTER TABLE expert_network.n ADD COLUMN c int REFERENCES expert_network.c (id);",
                "ALTER TABLE expert_network.e ADD COLUMN c int NOT NULL DEFAULT 0;",
            ],
        );
    }
}
