//! `domain-check`: `CREATE DOMAIN` with a CHECK, and `ALTER DOMAIN ... ADD CONSTRAINT`: the check is
//! verified against every column of the domain in every table, under lock.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::ConstrType;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, _cx: &Cx<'_>) -> Vec<Hit> {
    match node {
        NodeEnum::CreateDomainStmt(d) => {
            let checks = d.constraints.iter().any(|k| {
                matches!(k.node.as_ref(), Some(NodeEnum::Constraint(k)) if nodes::kind(k) == ConstrType::ConstrCheck)
            });
            if !checks {
                return vec![];
            }
            vec![Hit::new(format!(
                "CREATE DOMAIN {} with a CHECK constraint",
                nodes::dotted(&d.domainname).0
            ))]
        }
        // Subtype 'C' is ADD CONSTRAINT (PostgreSQL's AlterDomainStmt.subtype letters).
        NodeEnum::AlterDomainStmt(d) if d.subtype == "C" => {
            let name = match d.def.as_deref().and_then(|n| n.node.as_ref()) {
                Some(NodeEnum::Constraint(k)) if !k.conname.is_empty() => format!(" {}", k.conname),
                _ => String::new(),
            };
            vec![Hit::new(format!(
                "ALTER DOMAIN {} ADD CONSTRAINT{name}",
                nodes::dotted(&d.type_name).0
            ))]
        }
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::DomainCheck as R;

    #[test]
    fn domain_check_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["CREATE DOMAIN expert_network.rate with a CHECK constraint"]
        );
        assert_eq!(
            hits(
                R,
                "ALTER DOMAIN expert_network.rate ADD CONSTRAINT rate_positive CHECK (VALUE > 0);"
            ),
            ["ALTER DOMAIN expert_network.rate ADD CONSTRAINT rate_positive"]
        );
    }

    #[test]
    fn domain_check_ok() {
        assert_ok(
            R,
            &[
                "CREATE DOMAIN expert_network.rate AS numeric NOT NULL;",
                "ALTER DOMAIN expert_network.rate DROP CONSTRAINT rate_positive;",
                "ALTER TABLE expert_network.experts ADD CONSTRAINT rate_positive CHECK (hourly_rate_usd > 0) NOT VALID;",
            ],
        );
    }
}
