//! `volatile-default`: `ADD COLUMN ... DEFAULT` a function whose value differs per row, which makes
//! PostgreSQL write the value into every row (a rewrite) instead of storing one default.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::{ConstrType, Node};
use pg_query::{NodeEnum, NodeRef};

/// Functions whose value differs per row.
const VOLATILE: &[&str] = &[
    "random",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v4",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "txid_current",
    "setseed",
    "uuidv4",
    "uuidv7",
];

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    nodes::added_columns(
        node,
        cx,
        |col| {
            col.raw_default.as_deref().is_some_and(calls_volatile)
                || nodes::column_constraints(col).any(|(k, kind)| {
                    kind == ConstrType::ConstrDefault
                        && k.raw_expr.as_deref().is_some_and(calls_volatile)
                })
        },
        |col, table| format!("ADD COLUMN {col} on {table} with a volatile default"),
    )
}

/// A call to a known volatile function, or to a schema-qualified function outside pg_catalog (its
/// volatility is unknown here, so it is assumed volatile).
fn calls_volatile(expr: &Node) -> bool {
    let Some(n) = expr.node.as_ref() else {
        return false;
    };
    n.nodes().iter().any(|(r, _, _, _)| match r {
        NodeRef::FuncCall(f) => {
            let parts = nodes::strings(&f.funcname);
            match parts.as_slice() {
                [name] => VOLATILE.contains(name),
                [schema, name] => *schema != "pg_catalog" || VOLATILE.contains(name),
                _ => true,
            }
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::VolatileDefault as R;

    #[test]
    fn volatile_default_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["ADD COLUMN token on expert_network.experts with a volatile default"]
        );
        assert_eq!(
            hits(
                R,
                "ALTER TABLE expert_network.e ADD COLUMN k int DEFAULT expert_network.next_k();"
            )
            .len(),
            1
        );
    }

    #[test]
    fn volatile_default_ok() {
        assert_ok(
            R,
            &[
                "ALTER TABLE expert_network.e ADD COLUMN k timestamptz DEFAULT now();",
                "ALTER TABLE expert_network.e ADD COLUMN k int DEFAULT 0;",
                "ALTER TABLE expert_network.e ADD COLUMN k text DEFAULT pg_catalog.lower('A');",
                "CREATE TABLE expert_network.n (id int);\nALTER TABLE expert_network.n ADD COLUMN k uuid DEFAULT gen_random_uuid();",
            ],
        );
    }
}
