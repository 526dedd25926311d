//! `prefer-identity` (style, off by default): `serial` columns, where an identity column says the same
//! without a separately owned sequence.

use crate::lint::{nodes, Cx, Hit};
use pg_query::NodeEnum;

pub const SERIAL: &[&str] = &[
    "serial",
    "serial4",
    "bigserial",
    "serial8",
    "smallserial",
    "serial2",
];

pub fn check(node: &NodeEnum, _cx: &Cx<'_>) -> Vec<Hit> {
    nodes::columns_typed(node, |ty, _| SERIAL.contains(&ty).then(|| ty.to_string()))
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::PreferIdentity as R;

    #[test]
    fn prefer_identity_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["column id of expert_network.tags is bigserial"]
        );
    }

    #[test]
    fn prefer_identity_ok() {
        assert_ok(
            R,
            &["CREATE TABLE expert_network.tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);"],
        );
    }
}
