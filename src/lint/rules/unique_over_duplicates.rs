//! `unique-over-duplicates` (`--live`): a unique index or UNIQUE / PRIMARY KEY constraint on an
//! existing table. It asks the database how many key values are already duplicated; the build fails on
//! any. Expression keys are not counted (the index's own expressions would have to be evaluated).

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::ConstrType;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    match node {
        NodeEnum::IndexStmt(ix) if ix.unique && !cx.is_new(&nodes::rel_name(&ix.relation)) => {
            let cols: Option<Vec<&str>> = ix
                .index_params
                .iter()
                .map(|p| match p.node.as_ref() {
                    Some(NodeEnum::IndexElem(e)) if e.expr.is_none() => Some(e.name.as_str()),
                    _ => None,
                })
                .collect();
            let Some(cols) = cols else { return vec![] };
            let partial = match ix.where_clause.as_deref() {
                Some(w) => match nodes::deparse_expr(w) {
                    Some(sql) => Some(sql),
                    None => return vec![],
                },
                None => None,
            };
            vec![hit(
                &ix.relation,
                &cols,
                Nulls::of(ix.nulls_not_distinct),
                partial,
            )]
        }
        _ => {
            let Some((a, _)) = nodes::existing_alter(node, cx) else {
                return vec![];
            };
            nodes::alter_cmds(a)
                .filter_map(|(_, c)| nodes::added_constraint(c))
                .filter(|(k, kind)| {
                    matches!(kind, ConstrType::ConstrUnique | ConstrType::ConstrPrimary)
                        && k.indexname.is_empty()
                })
                .map(|(k, kind)| {
                    let nulls = if kind == ConstrType::ConstrPrimary {
                        Nulls::Refused
                    } else {
                        Nulls::of(k.nulls_not_distinct)
                    };
                    hit(&a.relation, &nodes::strings(&k.keys), nulls, None)
                })
                .collect()
        }
    }
}

/// What a NULL in the key does to the build.
#[derive(Clone, Copy, PartialEq)]
enum Nulls {
    /// Never collides (the default of a unique index or constraint).
    Distinct,
    /// Collides with another NULL (NULLS NOT DISTINCT).
    Equal,
    /// Fails the build by itself: a primary key makes its columns NOT NULL.
    Refused,
}

impl Nulls {
    fn of(nulls_not_distinct: bool) -> Nulls {
        if nulls_not_distinct {
            Nulls::Equal
        } else {
            Nulls::Distinct
        }
    }
}

fn hit(
    rel: &Option<pg_query::protobuf::RangeVar>,
    cols: &[&str],
    nulls: Nulls,
    partial: Option<String>,
) -> Hit {
    let quoted: Vec<String> = cols.iter().map(|c| nodes::ident(c)).collect();
    let mut filter: Vec<String> = if nulls == Nulls::Distinct {
        quoted.iter().map(|c| format!("{c} IS NOT NULL")).collect()
    } else {
        Vec::new()
    };
    filter.extend(partial.map(|p| format!("({p})")));
    let filter = if filter.is_empty() {
        String::new()
    } else {
        format!("WHERE {} ", filter.join(" AND "))
    };
    let list = cols.join(", ");
    // GROUP BY puts NULLs together, so one group per key value, NULL keys included.
    let (having, what) = if nulls == Nulls::Refused {
        let null: Vec<String> = quoted.iter().map(|c| format!("{c} IS NULL")).collect();
        (
            format!("count(*) > 1 OR bool_or({})", null.join(" OR ")),
            format!("values of ({list}) held by more than one row, or NULL"),
        )
    } else {
        (
            "count(*) > 1".to_string(),
            format!("values of ({list}) held by more than one row"),
        )
    };
    let kind = if nulls == Nulls::Refused {
        "PRIMARY KEY"
    } else {
        "UNIQUE"
    };
    Hit::new(format!("{kind} ({list}) on {}", nodes::rel_name(rel))).counting(
        nodes::count_sql(
            &nodes::rel_quoted(rel),
            &format!("{filter}GROUP BY {} HAVING {having}", quoted.join(", ")),
        ),
        what,
    )
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, counts};
    use crate::lint::Rule::UniqueOverDuplicates as R;

    #[test]
    fn unique_over_duplicates_err() {
        assert_eq!(
            counts(R, R.about().example),
            ["SELECT count(*) FROM (SELECT 1 FROM \"expert_network\".\"experts\" WHERE \"email\" IS NOT NULL GROUP BY \"email\" HAVING count(*) > 1 LIMIT 1000) AS offending -- values of (email) held by more than one row"]
        );
        assert_eq!(
            counts(R, "CREATE UNIQUE INDEX u ON expert_network.t (a, b) WHERE deleted_at IS NULL;"),
            ["SELECT count(*) FROM (SELECT 1 FROM \"expert_network\".\"t\" WHERE \"a\" IS NOT NULL AND \"b\" IS NOT NULL AND (deleted_at IS NULL) GROUP BY \"a\", \"b\" HAVING count(*) > 1 LIMIT 1000) AS offending -- values of (a, b) held by more than one row"]
        );
        // A primary key refuses NULLs outright: a group of NULL keys counts even when it holds one row.
        assert_eq!(
            counts(R, "ALTER TABLE expert_network.t ADD PRIMARY KEY (a, b);"),
            ["SELECT count(*) FROM (SELECT 1 FROM \"expert_network\".\"t\" GROUP BY \"a\", \"b\" HAVING count(*) > 1 OR bool_or(\"a\" IS NULL OR \"b\" IS NULL) LIMIT 1000) AS offending -- values of (a, b) held by more than one row, or NULL"]
        );
        assert_eq!(
            counts(R, "ALTER TABLE expert_network.t ADD CONSTRAINT k UNIQUE NULLS NOT DISTINCT (a);"),
            ["SELECT count(*) FROM (SELECT 1 FROM \"expert_network\".\"t\" GROUP BY \"a\" HAVING count(*) > 1 LIMIT 1000) AS offending -- values of (a) held by more than one row"]
        );
    }

    #[test]
    fn unique_over_duplicates_ok() {
        assert_ok(
            R,
            &[
                "CREATE INDEX i ON expert_network.t (a);",
                "CREATE UNIQUE INDEX u ON expert_network.t (lower(a));",
                "ALTER TABLE expert_network.t ADD CONSTRAINT k UNIQUE USING INDEX u;",
                "CREATE TABLE expert_network.n (a int);\nCREATE UNIQUE INDEX u ON expert_network.n (a);",
            ],
        );
    }
}
