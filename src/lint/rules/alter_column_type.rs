//! `alter-column-type`: `ALTER COLUMN ... TYPE` on an existing table, which (for most changes)
//! rewrites it under ACCESS EXCLUSIVE.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    nodes::existing_cmds(node, cx, AlterTableType::AtAlterColumnType)
        .into_iter()
        .map(|(c, table, rel)| {
            Hit::new(format!("ALTER COLUMN {} TYPE on {table}", c.name)).locking(rel)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::AlterColumnType as R;

    #[test]
    fn alter_column_type_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["ALTER COLUMN hourly_rate_usd TYPE on expert_network.experts"]
        );
    }

    #[test]
    fn alter_column_type_ok() {
        assert_ok(
            R,
            &[
                "ALTER TABLE expert_network.e ADD COLUMN x2 bigint;",
                "CREATE TABLE expert_network.n (x int);\nALTER TABLE expert_network.n ALTER COLUMN x TYPE bigint;",
            ],
        );
    }
}
