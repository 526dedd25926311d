//! `drop-not-null`: `ALTER COLUMN ... DROP NOT NULL` on an existing table; the running release may
//! not expect NULLs there.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    nodes::existing_cmds(node, cx, AlterTableType::AtDropNotNull)
        .into_iter()
        .map(|(c, table, _)| Hit::new(format!("ALTER COLUMN {} DROP NOT NULL on {table}", c.name)))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::DropNotNull as R;

    #[test]
    fn drop_not_null_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["ALTER COLUMN full_name DROP NOT NULL on expert_network.experts"]
        );
    }

    #[test]
    fn drop_not_null_ok() {
        assert_ok(
            R,
            &[
                "ALTER TABLE expert_network.e ALTER COLUMN x DROP DEFAULT;",
                "CREATE TABLE expert_network.n (x int NOT NULL);\nALTER TABLE expert_network.n ALTER COLUMN x DROP NOT NULL;",
            ],
        );
    }
}
