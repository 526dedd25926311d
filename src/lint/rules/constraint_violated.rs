//! `constraint-violated` (`--live`): a CHECK or FOREIGN KEY added (validated) to an existing table
//! asks how many rows already break it. A foreign key without a referenced column list (meaning the
//! referenced table's primary key) is not counted: the columns are not in the statement.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::{ConstrType, Constraint};
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    let Some((a, table)) = nodes::existing_alter(node, cx) else {
        return vec![];
    };
    let from = nodes::rel_quoted(&a.relation);
    nodes::alter_cmds(a)
        .filter_map(|(_, c)| nodes::added_constraint(c))
        .filter(|(k, _)| !k.skip_validation)
        .filter_map(|(k, kind)| {
            let (what, sql, counted) = match kind {
                ConstrType::ConstrCheck => {
                    let expr = nodes::deparse_expr(k.raw_expr.as_deref()?)?;
                    (
                        "CHECK",
                        nodes::count_sql(&from, &format!("WHERE NOT ({expr})")),
                        format!("rows failing CHECK ({expr})"),
                    )
                }
                ConstrType::ConstrForeign => foreign(&from, k)?,
                _ => return None,
            };
            Some(
                Hit::new(format!("ADD CONSTRAINT {} {what} on {table}", k.conname))
                    .counting(sql, counted),
            )
        })
        .collect()
}

/// Rows whose key (all columns non-NULL: MATCH SIMPLE skips the rest) has no referenced row.
fn foreign(from: &str, k: &Constraint) -> Option<(&'static str, String, String)> {
    let fk = nodes::strings(&k.fk_attrs);
    let pk = nodes::strings(&k.pk_attrs);
    if pk.is_empty() || pk.len() != fk.len() {
        return None;
    }
    let present: Vec<String> = fk
        .iter()
        .map(|c| format!("c.{} IS NOT NULL", nodes::ident(c)))
        .collect();
    let joined: Vec<String> = fk
        .iter()
        .zip(&pk)
        .map(|(f, p)| format!("p.{} = c.{}", nodes::ident(p), nodes::ident(f)))
        .collect();
    let parent = nodes::rel_quoted(&k.pktable);
    Some((
        "FOREIGN KEY",
        nodes::count_sql(
            &format!("{from} AS c"),
            &format!(
                "WHERE {} AND NOT EXISTS (SELECT 1 FROM {parent} AS p WHERE {})",
                present.join(" AND "),
                joined.join(" AND ")
            ),
        ),
        format!(
            "rows referring to no row of {}",
            nodes::rel_name(&k.pktable)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, counts};
    use crate::lint::Rule::ConstraintViolated as R;

    #[test]
    fn constraint_violated_err() {
        assert_eq!(
            counts(R, R.about().example),
            ["SELECT count(*) FROM (SELECT 1 FROM \"expert_network\".\"experts\" WHERE NOT (hourly_rate_usd > 0) LIMIT 1000) AS offending -- rows failing CHECK (hourly_rate_usd > 0)"]
        );
        assert_eq!(
            counts(R, "ALTER TABLE expert_network.experts ADD CONSTRAINT f FOREIGN KEY (campaign_id) REFERENCES expert_network.campaigns (id);"),
            ["SELECT count(*) FROM (SELECT 1 FROM \"expert_network\".\"experts\" AS c WHERE c.\"campaign_id\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \"expert_network\".\"campaigns\" AS p WHERE p.\"id\" = c.\"campaign_id\") LIMIT 1000) AS offending -- rows referring to no row of expert_network.campaigns"]
        );
    }

    #[test]
    fn constraint_violated_ok() {
        assert_ok(
            R,
            &[
                "ALTER TABLE expert_network.experts ADD CONSTRAINT rate_positive CHECK (hourly_rate_usd > 0) NOT VALID;",
                "ALTER TABLE expert_network.experts ADD CONSTRAINT f FOREIGN KEY (campaign_id) REFERENCES expert_network.campaigns;",
                "CREATE TABLE expert_network.n (x int);\nALTER TABLE expert_network.n ADD CONSTRAINT k CHECK (x > 0);",
            ],
        );
    }
}
