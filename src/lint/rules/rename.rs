//! `rename`: renaming a column or a table that existed before the file; the running release still
//! uses the old name.

use crate::lint::{nodes, Cx, Hit};
use pg_query::protobuf::ObjectType;
use pg_query::NodeEnum;

pub fn check(node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    let NodeEnum::RenameStmt(r) = node else {
        return vec![];
    };
    let table = nodes::rel_name(&r.relation);
    if cx.is_new(&table) {
        return vec![];
    }
    match ObjectType::try_from(r.rename_type) {
        Ok(ObjectType::ObjectColumn) => vec![Hit::new(format!(
            "RENAME COLUMN {} TO {} on {table}",
            r.subname, r.newname
        ))],
        Ok(ObjectType::ObjectTable) => {
            vec![Hit::new(format!("RENAME TABLE {table} TO {}", r.newname))]
        }
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::Rename as R;

    #[test]
    fn rename_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["RENAME COLUMN bio TO biography on expert_network.experts"]
        );
        assert_eq!(
            hits(R, "ALTER TABLE expert_network.experts RENAME TO people;"),
            ["RENAME TABLE expert_network.experts TO people"]
        );
    }

    #[test]
    fn rename_ok() {
        assert_ok(
            R,
            &[
                "ALTER INDEX expert_network.i RENAME TO j;",
                "ALTER TABLE expert_network.e RENAME CONSTRAINT a TO b;",
                "CREATE TABLE expert_network.n (x int);\nALTER TABLE expert_network.n RENAME COLUMN x TO y;",
            ],
        );
    }
}
