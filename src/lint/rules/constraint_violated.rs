//! `constraint-violated` (`--live`): a CHECK or FOREIGN KEY added (validated) to an existing table
//! asks how many rows already break it. A foreign key without a referenced column list means the
//! referenced table's primary key, which the database names when the count is asked.

use crate::lint::{nodes, Cx, Hit, KeyOf, KEY_MATCH};
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
            let hit =
                |what: &str| Hit::new(format!("ADD CONSTRAINT {} {what} on {table}", k.conname));
            match kind {
                ConstrType::ConstrCheck => {
                    let expr = nodes::deparse_expr(k.raw_expr.as_deref()?)?;
                    Some(hit("CHECK").counting(
                        nodes::count_sql(&from, &format!("WHERE NOT ({expr})")),
                        format!("rows failing CHECK ({expr})"),
                    ))
                }
                ConstrType::ConstrForeign => foreign(&from, k, hit("FOREIGN KEY")),
                _ => None,
            }
        })
        .collect()
}

/// Rows whose key (all columns non-NULL: MATCH SIMPLE skips the rest) has no referenced row; under
/// MATCH FULL also the rows whose key is NULL in some columns but not all, which it refuses outright.
fn foreign(from: &str, k: &Constraint, hit: Hit) -> Option<Hit> {
    let fk = nodes::strings(&k.fk_attrs);
    let pk = nodes::strings(&k.pk_attrs);
    if fk.is_empty() || !(pk.is_empty() || pk.len() == fk.len()) {
        return None;
    }
    let present: Vec<String> = fk
        .iter()
        .map(|c| format!("c.{} IS NOT NULL", nodes::ident(c)))
        .collect();
    let joined = if pk.is_empty() {
        KEY_MATCH.to_string()
    } else {
        key_match(&pk, &fk)
    };
    let parent = nodes::rel_quoted(&k.pktable);
    let dangling = format!(
        "{} AND NOT EXISTS (SELECT 1 FROM {parent} AS p WHERE {joined})",
        present.join(" AND ")
    );
    // `fk_matchtype` is 'f' for MATCH FULL ('s' simple, 'p' partial, which the server does not run).
    let filter = if k.fk_matchtype == "f" && fk.len() > 1 {
        let absent: Vec<String> = fk
            .iter()
            .map(|c| format!("c.{} IS NULL", nodes::ident(c)))
            .collect();
        format!(
            "WHERE ({dangling}) OR (({}) AND NOT ({}))",
            absent.join(" OR "),
            absent.join(" AND ")
        )
    } else {
        format!("WHERE {dangling}")
    };
    let hit = hit.counting(
        nodes::count_sql(&format!("{from} AS c"), &filter),
        format!(
            "rows referring to no row of {}",
            nodes::rel_name(&k.pktable)
        ),
    );
    Some(if pk.is_empty() {
        hit.keyed(KeyOf {
            parent,
            columns: fk.iter().map(|c| c.to_string()).collect(),
        })
    } else {
        hit
    })
}

/// `p."pk1" = c."fk1" AND ...`: the referenced row of `c`, by key.
pub fn key_match(pk: &[&str], fk: &[&str]) -> String {
    fk.iter()
        .zip(pk)
        .map(|(f, p)| format!("p.{} = c.{}", nodes::ident(p), nodes::ident(f)))
        .collect::<Vec<_>>()
        .join(" AND ")
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
        assert_eq!(
            counts(R, "ALTER TABLE expert_network.t ADD CONSTRAINT f FOREIGN KEY (a, b) REFERENCES expert_network.p (x, y) MATCH FULL;"),
            ["SELECT count(*) FROM (SELECT 1 FROM \"expert_network\".\"t\" AS c WHERE (c.\"a\" IS NOT NULL AND c.\"b\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \"expert_network\".\"p\" AS p WHERE p.\"x\" = c.\"a\" AND p.\"y\" = c.\"b\")) OR ((c.\"a\" IS NULL OR c.\"b\" IS NULL) AND NOT (c.\"a\" IS NULL AND c.\"b\" IS NULL)) LIMIT 1000) AS offending -- rows referring to no row of expert_network.p"]
        );
        // A bare REFERENCES: the key's comparisons wait for the database to name the primary key.
        let w = crate::lint::tests::found(R, "ALTER TABLE expert_network.experts ADD CONSTRAINT f FOREIGN KEY (campaign_id) REFERENCES expert_network.campaigns;");
        let c = w[0].count.clone().unwrap();
        assert!(c.sql.contains("AS p WHERE /* key match */)"), "{}", c.sql);
        assert_eq!(
            c.key_of,
            Some(crate::lint::KeyOf {
                parent: "\"expert_network\".\"campaigns\"".into(),
                columns: vec!["campaign_id".into()]
            })
        );
    }

    #[test]
    fn constraint_violated_ok() {
        assert_ok(
            R,
            &[
                "ALTER TABLE expert_network.experts ADD CONSTRAINT rate_positive CHECK (hourly_rate_usd > 0) NOT VALID;",
                "CREATE TABLE expert_network.n (x int);\nALTER TABLE expert_network.n ADD CONSTRAINT k CHECK (x > 0);",
            ],
        );
    }
}
