//! `enum-value-order`: `ALTER TYPE ... ADD VALUE` without `BEFORE`/`AFTER`; the value sorts last.

use crate::lint::{nodes, Cx, Hit};
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, _cx: &Cx<'_>) -> Vec<Hit> {
    let NodeEnum::AlterEnumStmt(e) = node else {
        return vec![];
    };
    // RENAME VALUE sets old_val; ADD VALUE does not.
    if e.new_val.is_empty() || !e.old_val.is_empty() || !e.new_val_neighbor.is_empty() {
        return vec![];
    }
    vec![Hit::new(format!(
        "ALTER TYPE {} ADD VALUE '{}' without BEFORE or AFTER",
        nodes::dotted(&e.type_name).0,
        e.new_val
    ))]
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::EnumValueOrder as R;

    #[test]
    fn enum_value_order_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["ALTER TYPE expert_network.campaign_status ADD VALUE 'paused' without BEFORE or AFTER"]
        );
    }

    #[test]
    fn enum_value_order_ok() {
        assert_ok(
            R,
            &[
                "ALTER TYPE expert_network.campaign_status ADD VALUE 'paused' AFTER 'active';",
                "ALTER TYPE expert_network.campaign_status ADD VALUE IF NOT EXISTS 'draft' BEFORE 'active';",
                "ALTER TYPE expert_network.campaign_status RENAME VALUE 'paused' TO 'held';",
            ],
        );
    }
}
