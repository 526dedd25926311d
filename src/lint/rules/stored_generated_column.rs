//! `stored-generated-column`: `ADD COLUMN ... GENERATED ALWAYS AS (...) STORED` on an existing table,
//! a rewrite under ACCESS EXCLUSIVE. PostgreSQL 18's VIRTUAL generated columns compute on read and pass.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::ConstrType;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    nodes::added_columns(
        node,
        cx,
        |col| {
            nodes::column_constraints(col)
                .any(|(k, kind)| kind == ConstrType::ConstrGenerated && k.generated_kind != "v")
        },
        |col, table| format!("ADD COLUMN {col} GENERATED ... STORED on {table}"),
    )
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::StoredGeneratedColumn as R;

    #[test]
    fn stored_generated_column_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["ADD COLUMN name_lower GENERATED ... STORED on expert_network.experts"]
        );
    }

    #[test]
    fn stored_generated_column_ok() {
        assert_ok(
            R,
            &[
                "ALTER TABLE expert_network.experts ADD COLUMN name_lower text GENERATED ALWAYS AS (lower(full_name)) VIRTUAL;",
                "ALTER TABLE expert_network.experts ADD COLUMN name_lower text;",
                "CREATE TABLE expert_network.n (a text, b text GENERATED ALWAYS AS (lower(a)) STORED);",
            ],
        );
    }
}
