//! `update-whole-table`: an UPDATE without WHERE of a table that existed before the file: a backfill
//! holding every row lock until it commits. A no-transaction file is no way out: its one statement
//! is its own transaction, and it is the same single UPDATE.

use crate::lint::{nodes, Cx, Hit};
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    let NodeEnum::UpdateStmt(u) = node else {
        return vec![];
    };
    let table = nodes::rel_name(&u.relation);
    if u.where_clause.is_some() || cx.is_new(&table) {
        return vec![];
    }
    vec![Hit::new(format!("UPDATE {table} without WHERE")).locking(nodes::rel_quoted(&u.relation))]
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::UpdateWholeTable as R;

    #[test]
    fn update_whole_table_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["UPDATE expert_network.experts without WHERE"]
        );
        assert_eq!(
            hits(
                R,
                "-- en-migrate: no-transaction\nUPDATE expert_network.experts SET bio = '';"
            )
            .len(),
            1
        );
    }

    #[test]
    fn update_whole_table_ok() {
        assert_ok(
            R,
            &[
                "UPDATE expert_network.experts SET bio = '' WHERE id BETWEEN 1 AND 1000;",
                "CREATE TABLE expert_network.n (x int);\nUPDATE expert_network.n SET x = 0;",
            ],
        );
    }
}
