//! `validate-same-transaction`: `VALIDATE CONSTRAINT` of a constraint added NOT VALID earlier in the
//! same transaction, whose lock is still held, so the validation scans under it.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    let Some((a, table)) = nodes::existing_alter(node, cx) else {
        return vec![];
    };
    if cx.no_transaction {
        return vec![];
    }
    nodes::alter_cmds(a)
        .filter(|(t, c)| {
            *t == AlterTableType::AtValidateConstraint && cx.added_not_valid(&table, &c.name)
        })
        .map(|(_, c)| {
            Hit::new(format!(
                "VALIDATE CONSTRAINT {} on {table} in the transaction that added it NOT VALID",
                c.name
            ))
            .locking(nodes::rel_quoted(&a.relation))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::ValidateSameTransaction as R;

    #[test]
    fn validate_same_transaction_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["VALIDATE CONSTRAINT rate_positive on expert_network.experts in the transaction that added it NOT VALID"]
        );
    }

    #[test]
    fn validate_same_transaction_ok() {
        assert_ok(
            R,
            &[
                "ALTER TABLE expert_network.experts VALIDATE CONSTRAINT rate_positive;",
                "-- en-migrate: no-transaction\nALTER TABLE expert_network.experts ADD CONSTRAINT rate_positive CHECK (hourly_rate_usd > 0) NOT VALID;\nALTER TABLE expert_network.experts VALIDATE CONSTRAINT rate_positive;",
                "ALTER TABLE expert_network.experts ADD CONSTRAINT a CHECK (hourly_rate_usd > 0) NOT VALID;\nALTER TABLE expert_network.experts VALIDATE CONSTRAINT b;",
            ],
        );
    }
}
