//! `add-column-not-null`: `ADD COLUMN ... NOT NULL` without a default on an existing table, which
//! fails as soon as the table has a row (identity and generated columns fill themselves, so they pass).

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::{ColumnDef, ConstrType};
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    nodes::added_columns(node, cx, required_without_default, |col, table| {
        format!("ADD COLUMN {col} NOT NULL without a default on {table}")
    })
}

/// NOT NULL (or PRIMARY KEY), with nothing that fills existing rows: no DEFAULT, identity or
/// generation expression.
pub fn required_without_default(col: &ColumnDef) -> bool {
    let kinds: Vec<ConstrType> = nodes::column_constraints(col).map(|(_, k)| k).collect();
    let not_null = col.is_not_null
        || kinds
            .iter()
            .any(|k| matches!(k, ConstrType::ConstrNotnull | ConstrType::ConstrPrimary));
    let filled = col.raw_default.is_some()
        || !col.identity.is_empty()
        || !col.generated.is_empty()
        || kinds.iter().any(|k| {
            matches!(
                k,
                ConstrType::ConstrDefault
                    | ConstrType::ConstrIdentity
                    | ConstrType::ConstrGenerated
            )
        });
    not_null && !filled
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::AddColumnNotNull as R;

    #[test]
    fn add_column_not_null_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["ADD COLUMN region NOT NULL without a default on expert_network.experts"]
        );
    }

    #[test]
    fn add_column_not_null_ok() {
        assert_ok(
            R,
            &[
                "ALTER TABLE expert_network.e ADD COLUMN region text NOT NULL DEFAULT 'eu';",
                "ALTER TABLE expert_network.e ADD COLUMN region text;",
                "ALTER TABLE expert_network.e ADD COLUMN n bigint NOT NULL GENERATED ALWAYS AS IDENTITY;",
                "CREATE TABLE expert_network.n (id int);\nALTER TABLE expert_network.n ADD COLUMN region text NOT NULL;",
            ],
        );
    }
}
