//! `not-null-over-nulls` (`--live`): `SET NOT NULL` on an existing table asks how many rows hold NULL
//! there; `ADD COLUMN ... NOT NULL` without a default asks how many rows there are (each would be NULL).

use super::add_column_not_null::required_without_default;
use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    let Some((a, table)) = nodes::existing_alter(node, cx) else {
        return vec![];
    };
    let from = nodes::rel_quoted(&a.relation);
    let mut out = Vec::new();
    for (t, c) in nodes::alter_cmds(a) {
        if t == AlterTableType::AtSetNotNull {
            out.push(
                Hit::new(format!("ALTER COLUMN {} SET NOT NULL on {table}", c.name)).counting(
                    nodes::count_sql(&from, &format!("WHERE {} IS NULL", nodes::ident(&c.name))),
                    format!("rows holding NULL in {}", c.name),
                ),
            );
        }
        if let Some(col) = nodes::added_column(c).filter(|col| required_without_default(col)) {
            out.push(
                Hit::new(format!(
                    "ADD COLUMN {} NOT NULL without a default on {table}",
                    col.colname
                ))
                .counting(
                    nodes::count_sql(&from, ""),
                    format!("rows, each of which would hold NULL in {}", col.colname),
                ),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, counts};
    use crate::lint::Rule::NotNullOverNulls as R;

    #[test]
    fn not_null_over_nulls_err() {
        assert_eq!(
            counts(R, R.about().example),
            ["SELECT count(*) FROM (SELECT 1 FROM \"expert_network\".\"experts\" WHERE \"bio\" IS NULL LIMIT 1000) AS offending -- rows holding NULL in bio"]
        );
        assert_eq!(
            counts(R, "ALTER TABLE expert_network.experts ADD COLUMN region text NOT NULL;"),
            ["SELECT count(*) FROM (SELECT 1 FROM \"expert_network\".\"experts\" LIMIT 1000) AS offending -- rows, each of which would hold NULL in region"]
        );
    }

    #[test]
    fn not_null_over_nulls_ok() {
        assert_ok(
            R,
            &[
                "ALTER TABLE expert_network.experts ADD COLUMN region text NOT NULL DEFAULT 'eu';",
                "CREATE TABLE expert_network.n (x int);\nALTER TABLE expert_network.n ALTER COLUMN x SET NOT NULL;",
            ],
        );
    }
}
