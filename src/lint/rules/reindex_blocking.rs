//! `reindex-blocking`: `REINDEX` without `CONCURRENTLY`, which blocks writes to the table.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::ReindexObjectType;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    let NodeEnum::ReindexStmt(r) = node else {
        return vec![];
    };
    let concurrently = r.params.iter().any(|p| {
        matches!(p.node.as_ref(), Some(NodeEnum::DefElem(d)) if d.defname == "concurrently"
            && !matches!(d.arg.as_deref().and_then(|a| a.node.as_ref()),
                Some(NodeEnum::String(s)) if s.sval == "false"))
    });
    let table = nodes::rel_name(&r.relation);
    if concurrently || (r.relation.is_some() && cx.is_new(&table)) {
        return vec![];
    }
    let kind = match ReindexObjectType::try_from(r.kind) {
        Ok(ReindexObjectType::ReindexObjectIndex) => "INDEX",
        Ok(ReindexObjectType::ReindexObjectTable) => "TABLE",
        Ok(ReindexObjectType::ReindexObjectSchema) => "SCHEMA",
        Ok(ReindexObjectType::ReindexObjectSystem) => "SYSTEM",
        _ => "DATABASE",
    };
    let name = if r.relation.is_some() {
        table
    } else {
        r.name.clone()
    };
    let hit = Hit::new(format!("REINDEX {kind} {name} without CONCURRENTLY"));
    vec![if r.relation.is_some() {
        hit.locking(nodes::rel_quoted(&r.relation))
    } else {
        hit
    }]
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::ReindexBlocking as R;

    #[test]
    fn reindex_blocking_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["REINDEX INDEX expert_network.experts_user_id_idx without CONCURRENTLY"]
        );
        assert_eq!(
            hits(R, "REINDEX SCHEMA expert_network;"),
            ["REINDEX SCHEMA expert_network without CONCURRENTLY"]
        );
    }

    #[test]
    fn reindex_blocking_ok() {
        assert_ok(
            R,
            &[
                "-- en-migrate: no-transaction\nREINDEX INDEX CONCURRENTLY expert_network.experts_user_id_idx;",
                "-- en-migrate: no-transaction\nREINDEX (CONCURRENTLY) TABLE expert_network.experts;",
            ],
        );
    }
}
