//! `drop-index-blocking`: `DROP INDEX` without `CONCURRENTLY`, which takes ACCESS EXCLUSIVE on the
//! index's table.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::ObjectType;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, _cx: &Cx<'_>) -> Vec<Hit> {
    let NodeEnum::DropStmt(d) = node else {
        return vec![];
    };
    if d.remove_type != ObjectType::ObjectIndex as i32 || d.concurrent {
        return vec![];
    }
    d.objects
        .iter()
        .filter_map(|o| match o.node.as_ref() {
            Some(NodeEnum::List(l)) => Some(nodes::dotted(&l.items)),
            _ => None,
        })
        .map(|(name, quoted)| {
            Hit::new(format!("DROP INDEX {name} without CONCURRENTLY")).locking(quoted)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::DropIndexBlocking as R;

    #[test]
    fn drop_index_blocking_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["DROP INDEX expert_network.experts_user_id_idx without CONCURRENTLY"]
        );
    }

    #[test]
    fn drop_index_blocking_ok() {
        assert_ok(
            R,
            &[
                "-- en-migrate: no-transaction\nDROP INDEX CONCURRENTLY expert_network.experts_user_id_idx;",
                "DROP TABLE expert_network.e;",
            ],
        );
    }
}
