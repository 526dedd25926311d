//! `prefer-bigint-key` (style, off by default): a primary or foreign key column of a 32- or 16-bit
//! integer type.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::{ColumnDef, ConstrType, Constraint};
use pg_query::NodeEnum;

const SMALL: &[&str] = &[
    "int4",
    "int2",
    "serial",
    "serial4",
    "smallserial",
    "serial2",
];

pub fn check(node: &NodeEnum, _cx: &Cx<'_>) -> Vec<Hit> {
    nodes::typed_columns(node)
        .into_iter()
        .filter(|(_, col, table_level)| {
            SMALL.contains(&nodes::type_of(&col.type_name).0.as_str()) && is_key(col, table_level)
        })
        .map(|(table, col, _)| {
            Hit::new(format!(
                "key column {} of {table} is {}",
                nodes::column_name(node, col),
                nodes::type_of(&col.type_name).0
            ))
        })
        .collect()
}

/// A PRIMARY KEY or REFERENCES on the column itself, or a table-level one that names it.
fn is_key(col: &ColumnDef, table_level: &[&Constraint]) -> bool {
    let key = |k: ConstrType| matches!(k, ConstrType::ConstrPrimary | ConstrType::ConstrForeign);
    nodes::column_constraints(col).any(|(_, k)| key(k))
        || table_level.iter().any(|k| {
            let cols = match nodes::kind(k) {
                ConstrType::ConstrPrimary => &k.keys,
                ConstrType::ConstrForeign => &k.fk_attrs,
                _ => return false,
            };
            nodes::strings(cols).contains(&col.colname.as_str())
        })
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::PreferBigintKey as R;

    #[test]
    fn prefer_bigint_key_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["key column id of expert_network.tags is int4"]
        );
        assert_eq!(
            hits(R, "CREATE TABLE expert_network.t (id bigint, tag_id smallint, PRIMARY KEY (id), FOREIGN KEY (tag_id) REFERENCES expert_network.tags (id));"),
            ["key column tag_id of expert_network.t is int2"]
        );
    }

    #[test]
    fn prefer_bigint_key_ok() {
        assert_ok(
            R,
            &[
                "CREATE TABLE expert_network.tags (id bigint PRIMARY KEY, n int);",
                "ALTER TABLE expert_network.e ADD COLUMN n integer;",
            ],
        );
    }
}
