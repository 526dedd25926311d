//! `detach-partition-blocking`: `DETACH PARTITION` without `CONCURRENTLY` on an existing partitioned
//! table, which takes ACCESS EXCLUSIVE on it.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    let Some((a, table)) = nodes::existing_alter(node, cx) else {
        return vec![];
    };
    nodes::alter_cmds(a)
        .filter(|(t, _)| *t == AlterTableType::AtDetachPartition)
        .filter_map(
            |(_, c)| match c.def.as_ref().and_then(|d| d.node.as_ref()) {
                Some(NodeEnum::PartitionCmd(p)) if !p.concurrent => Some(
                    Hit::new(format!(
                        "DETACH PARTITION {} from {table} without CONCURRENTLY",
                        nodes::rel_name(&p.name)
                    ))
                    .locking(nodes::rel_quoted(&a.relation)),
                ),
                _ => None,
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::DetachPartitionBlocking as R;

    #[test]
    fn detach_partition_blocking_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["DETACH PARTITION expert_network.events_2025 from expert_network.events without CONCURRENTLY"]
        );
    }

    #[test]
    fn detach_partition_blocking_ok() {
        assert_ok(
            R,
            &[
                "-- en-migrate: no-transaction\nALTER TABLE expert_network.events DETACH PARTITION expert_network.events_2025 CONCURRENTLY;",
                "ALTER TABLE expert_network.events ATTACH PARTITION expert_network.events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
            ],
        );
    }
}
