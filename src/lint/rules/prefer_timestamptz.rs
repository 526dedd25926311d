//! `prefer-timestamptz` (style, off by default): `timestamp` without time zone.

use crate::lint::{nodes, Cx, Hit};
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, _cx: &Cx<'_>) -> Vec<Hit> {
    nodes::columns_typed(node, |ty, _| {
        (ty == "timestamp").then(|| "timestamp without time zone".to_string())
    })
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::PreferTimestamptz as R;

    #[test]
    fn prefer_timestamptz_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["column seen_at of expert_network.tags is timestamp without time zone"]
        );
        assert_eq!(
            hits(
                R,
                "ALTER TABLE expert_network.e ALTER COLUMN at TYPE timestamp(3) without time zone;"
            ),
            ["column at of expert_network.e is timestamp without time zone"]
        );
    }

    #[test]
    fn prefer_timestamptz_ok() {
        assert_ok(
            R,
            &["CREATE TABLE expert_network.tags (seen_at timestamptz, d date, t timestamp with time zone);"],
        );
    }
}
