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
    let on_added = nodes::alter_cmds(a)
        .filter_map(|(_, c)| nodes::added_column(c))
        .flat_map(|col| {
            nodes::column_constraints(col).filter_map(|(_, kind)| {
                let what = match kind {
                    ConstrType::ConstrForeign => "REFERENCES",
                    ConstrType::ConstrCheck => "CHECK",
                    _ => return None,
                };
                Some(
                    Hit::new(format!(
                        "ADD COLUMN {} {what} on {table}: the constraint is validated over every row",
                        col.colname
                    ))
                    .locking(nodes::rel_quoted(&a.relation)),
                )
            })
        });
    let mut out: Vec<Hit> = on_added.collect();
    out.extend(added(a, &table));
    out
}

fn added(a: &pg_query::protobuf::AlterTableStmt, table: &str) -> Vec<Hit> {
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
