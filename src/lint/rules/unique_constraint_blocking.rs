//! `unique-constraint-blocking`: `ADD PRIMARY KEY` / `ADD UNIQUE` on an existing table without
//! `USING INDEX`, which builds the index under ACCESS EXCLUSIVE.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::ConstrType;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    let Some((a, table)) = nodes::existing_alter(node, cx) else {
        return vec![];
    };
    nodes::alter_cmds(a)
        .filter_map(|(_, c)| nodes::added_constraint(c))
        .filter(|(k, _)| k.indexname.is_empty())
        .filter_map(|(k, kind)| {
            let what = match kind {
                ConstrType::ConstrPrimary => "PRIMARY KEY",
                ConstrType::ConstrUnique => "UNIQUE",
                _ => return None,
            };
            let name = if k.conname.is_empty() {
                String::new()
            } else {
                format!("{} ", k.conname)
            };
            Some(
                Hit::new(format!(
                    "ADD CONSTRAINT {name}{what} on {table} builds its index under an ACCESS EXCLUSIVE lock"
                ))
                .locking(nodes::rel_quoted(&a.relation)),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::UniqueConstraintBlocking as R;

    #[test]
    fn unique_constraint_blocking_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["ADD CONSTRAINT experts_email_key UNIQUE on expert_network.experts builds its index under an ACCESS EXCLUSIVE lock"]
        );
        assert_eq!(
            hits(R, "ALTER TABLE expert_network.e ADD PRIMARY KEY (id);"),
            ["ADD CONSTRAINT PRIMARY KEY on expert_network.e builds its index under an ACCESS EXCLUSIVE lock"]
        );
    }

    #[test]
    fn unique_constraint_blocking_ok() {
        assert_ok(
            R,
            &[
                "ALTER TABLE expert_network.experts ADD CONSTRAINT experts_email_key UNIQUE USING INDEX experts_email_idx;",
                "ALTER TABLE expert_network.e ADD CONSTRAINT e_pkey PRIMARY KEY USING INDEX e_id_idx;",
                "CREATE TABLE expert_network.n (id int);\nALTER TABLE expert_network.n ADD PRIMARY KEY (id);",
            ],
        );
    }
}
