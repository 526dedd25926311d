//! `set-not-null`: `ALTER COLUMN ... SET NOT NULL` on an existing table, a full scan under ACCESS
//! EXCLUSIVE (unless a validated CHECK already proves it, which PostgreSQL 12+ uses).

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    nodes::existing_cmds(node, cx, AlterTableType::AtSetNotNull)
        .into_iter()
        .map(|(c, table, rel)| {
            Hit::new(format!("ALTER COLUMN {} SET NOT NULL on {table}", c.name)).locking(rel)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::SetNotNull as R;

    #[test]
    fn set_not_null_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["ALTER COLUMN bio SET NOT NULL on expert_network.experts"]
        );
    }

    #[test]
    fn set_not_null_ok() {
        assert_ok(
            R,
            &[
                "ALTER TABLE expert_network.e ADD CONSTRAINT x_nn CHECK (x IS NOT NULL) NOT VALID;",
                "CREATE TABLE expert_network.n (x int);\nALTER TABLE expert_network.n ALTER COLUMN x SET NOT NULL;",
            ],
        );
    }
}
