//! `json-column`: a column declared `json` (in CREATE TABLE, ADD COLUMN or ALTER COLUMN TYPE), on any
//! table: json has no equality operator.

use crate::lint::{nodes, Cx, Hit};
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, _cx: &Cx<'_>) -> Vec<Hit> {
    nodes::columns_typed(node, |ty, _| (ty == "json").then(|| "json".to_string()))
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::JsonColumn as R;

    #[test]
    fn json_column_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["column extra of expert_network.experts is json"]
        );
        assert_eq!(
            hits(
                R,
                "CREATE TABLE expert_network.n (id bigint, doc pg_catalog.json);"
            ),
            ["column doc of expert_network.n is json"]
        );
        assert_eq!(
            hits(
                R,
                "ALTER TABLE expert_network.e ALTER COLUMN doc TYPE json;"
            ),
            ["column doc of expert_network.e is json"]
        );
    }

    #[test]
    fn json_column_ok() {
        assert_ok(
            R,
            &[
                "ALTER TABLE expert_network.experts ADD COLUMN extra jsonb;",
                "SELECT '{}'::json;",
            ],
        );
    }
}
