//! `update-whole-table`: an UPDATE without WHERE of a table that existed before the file, inside the
//! migration's transaction: a backfill holding every row lock until COMMIT.

use crate::lint::{nodes, Cx, Hit};
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    let NodeEnum::UpdateStmt(u) = node else {
        return vec![];
    };
    let table = nodes::rel_name(&u.relation);
    if u.where_clause.is_some() || cx.no_transaction || cx.is_new(&table) {
        return vec![];
    }
    vec![Hit::new(format!(
        "UPDATE {table} without WHERE in a transactional migration"
    ))
    .locking(nodes::rel_quoted(&u.relation))]
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::UpdateWholeTable as R;

    #[test]
    fn update_whole_table_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["UPDATE expert_network.experts without WHERE in a transactional migration"]
        );
    }

    #[test]
    fn update_whole_table_ok() {
        assert_ok(
            R,
            &[
                "UPDATE expert_network.experts SET bio = '' WHERE id BETWEEN 1 AND 1000;",
                "-- en-migrate: no-transaction\nUPDATE expert_network.experts SET bio = '';",
                "CREATE TABLE expert_network.n (x int);\nUPDATE expert_network.n SET x = 0;",
            ],
        );
    }
}
