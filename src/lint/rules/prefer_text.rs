//! `prefer-text` (style, off by default): `varchar(n)`, a length limit welded into the type.

use crate::lint::{nodes, Cx, Hit};
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, _cx: &Cx<'_>) -> Vec<Hit> {
    nodes::columns_typed(node, |ty, has_length| {
        (ty == "varchar" && has_length).then(|| "varchar(n)".to_string())
    })
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::PreferText as R;

    #[test]
    fn prefer_text_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["column name of expert_network.tags is varchar(n)"]
        );
        assert_eq!(
            hits(
                R,
                "ALTER TABLE expert_network.e ADD COLUMN c character varying(10);"
            )
            .len(),
            1
        );
    }

    #[test]
    fn prefer_text_ok() {
        assert_ok(
            R,
            &[
                "CREATE TABLE expert_network.tags (name text CHECK (length(name) <= 40));",
                "CREATE TABLE expert_network.tags (name varchar);",
            ],
        );
    }
}
