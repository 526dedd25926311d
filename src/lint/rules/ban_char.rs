//! `ban-char` (style, off by default): `char(n)` / `character(n)`, blank-padded.

use crate::lint::{nodes, Cx, Hit};
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, _cx: &Cx<'_>) -> Vec<Hit> {
    // `char(n)` parses as pg_catalog.bpchar; the one-byte internal `"char"` is a different type.
    nodes::columns_typed(node, |ty, _| {
        (ty == "bpchar").then(|| "char(n)".to_string())
    })
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::BanChar as R;

    #[test]
    fn ban_char_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["column code of expert_network.tags is char(n)"]
        );
        assert_eq!(
            hits(R, "ALTER TABLE expert_network.e ADD COLUMN c character(2);").len(),
            1
        );
    }

    #[test]
    fn ban_char_ok() {
        assert_ok(
            R,
            &["CREATE TABLE expert_network.tags (code text, flag \"char\", v varchar(3));"],
        );
    }
}
