//! `create-index-blocking`: `CREATE INDEX` without `CONCURRENTLY` on a table that existed before the
//! file. A no-transaction file does not help: the plain build blocks writes there too.

use crate::lint::{nodes, Cx, Hit};
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    let NodeEnum::IndexStmt(ix) = node else {
        return vec![];
    };
    let table = nodes::rel_name(&ix.relation);
    if ix.concurrent || cx.is_new(&table) {
        return vec![];
    }
    vec![
        Hit::new(format!("CREATE INDEX on {table} without CONCURRENTLY"))
            .locking(nodes::rel_quoted(&ix.relation)),
    ]
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::CreateIndexBlocking as R;

    #[test]
    fn create_index_blocking_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["CREATE INDEX on expert_network.experts without CONCURRENTLY"]
        );
        assert_eq!(
            hits(R, "-- en-migrate: no-transaction\nCREATE UNIQUE INDEX i ON expert_network.experts (user_id);"),
            ["CREATE INDEX on expert_network.experts without CONCURRENTLY"]
        );
    }

    #[test]
    fn create_index_blocking_ok() {
        assert_ok(
            R,
            &[
                "-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY i ON expert_network.experts (user_id);",
                "CREATE TABLE expert_network.n (id int);\nCREATE INDEX i ON expert_network.n (id);",
            ],
        );
    }
}
