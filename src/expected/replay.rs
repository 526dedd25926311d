//! The replay behind `expected::tables`: the DDL statements that decide which tables `expert_network`
//! holds, applied one by one to a set of names, with enough of the partition and inheritance tree to
//! know what a DROP TABLE takes with it. Never touches a database.

use super::{our_name, string_constant, SCHEMA};
use pg_query::protobuf::{
    AlterTableStmt, AlterTableType, CreateStmt, DoStmt, DropBehavior, DropStmt, Node, ObjectType,
    RangeVar, SelectStmt,
};
use pg_query::NodeEnum;
use std::collections::{BTreeMap, BTreeSet};

/// A `schema.name` list (DROP TABLE's objects) as the name in `expert_network`, if it is there.
fn our_list_name(node: &Node) -> Option<String> {
    let Some(NodeEnum::List(l)) = &node.node else {
        return None;
    };
    let parts: Vec<&str> = l
        .items
        .iter()
        .filter_map(|i| match &i.node {
            Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
            _ => None,
        })
        .collect();
    match parts.as_slice() {
        [name] => Some(name.to_string()),
        [.., schema, name] if *schema == SCHEMA => Some(name.to_string()),
        _ => None,
    }
}

fn object_type(n: i32) -> ObjectType {
    ObjectType::try_from(n).unwrap_or(ObjectType::Undefined)
}
/// How a child table hangs off its parent, which decides whether DROP TABLE of the parent takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    /// PARTITION OF / ATTACH PARTITION: dropped with the parent, always.
    Partition,
    /// INHERITS / INHERIT: dropped with the parent only by DROP ... CASCADE.
    Inherits,
}

/// The replay: the tables of `expert_network`, and which of them are children of which.
#[derive(Debug, Default)]
pub(super) struct Tables {
    tables: BTreeSet<String>,
    /// child -> (parent, link), both in expert_network.
    parent: BTreeMap<String, (String, Link)>,
}

impl Tables {
    /// One statement. `schema` is the schema that unqualified names land in, inside
    /// `CREATE SCHEMA ... CREATE TABLE ...`.
    pub(super) fn statement(&mut self, node: &NodeEnum, schema: Option<&str>) {
        match node {
            NodeEnum::CreateSchemaStmt(s) => {
                for elt in &s.schema_elts {
                    if let Some(n) = &elt.node {
                        self.statement(n, Some(&s.schemaname));
                    }
                }
            }
            NodeEnum::CreateStmt(c) => self.create_table(c, schema),
            NodeEnum::CreateTableAsStmt(c) if object_type(c.objtype) == ObjectType::ObjectTable => {
                if let Some(rv) = c.into.as_ref().and_then(|i| i.rel.as_ref()) {
                    self.created(rv, schema);
                }
            }
            NodeEnum::SelectStmt(s) => self.select_into(s, schema),
            NodeEnum::ExplainStmt(e) => {
                // EXPLAIN ANALYZE runs its statement, so EXPLAIN ANALYZE CREATE TABLE AS creates it.
                let analyze = e.options.iter().any(
                    |o| matches!(&o.node, Some(NodeEnum::DefElem(d)) if d.defname == "analyze"),
                );
                if analyze {
                    if let Some(q) = e.query.as_deref().and_then(|n| n.node.as_ref()) {
                        self.statement(q, schema);
                    }
                }
            }
            NodeEnum::RenameStmt(r) => match object_type(r.rename_type) {
                // ALTER INDEX ... RENAME TO works on a table too (PostgreSQL allows any relation kind there).
                ObjectType::ObjectTable | ObjectType::ObjectIndex => {
                    if let Some(old) = r
                        .relation
                        .as_ref()
                        .and_then(our_name)
                        .filter(|n| self.tables.contains(n))
                    {
                        self.rename(&old, &r.newname);
                    }
                }
                ObjectType::ObjectSchema if r.subname == SCHEMA => self.clear(),
                _ => {}
            },
            NodeEnum::AlterObjectSchemaStmt(a)
                if object_type(a.object_type) == ObjectType::ObjectTable =>
            {
                let Some(rv) = &a.relation else { return };
                if rv.schemaname == a.newschema {
                    return;
                }
                if a.newschema == SCHEMA {
                    // Moved in from another schema (the fence refuses this, but the replay follows it).
                    self.tables.insert(rv.relname.clone());
                } else if let Some(name) = our_name(rv) {
                    // Its partitions stay behind, in expert_network.
                    self.remove(&name);
                }
            }
            NodeEnum::AlterTableStmt(a) => self.alter_table(a),
            NodeEnum::DropStmt(d) => self.drop_statement(d),
            NodeEnum::DoStmt(d) => self.do_block(d, schema),
            _ => {}
        }
    }

    fn create_table(&mut self, c: &CreateStmt, schema: Option<&str>) {
        let Some(rv) = &c.relation else { return };
        let Some(name) = self.created(rv, schema) else {
            return;
        };
        let link = if c.partbound.is_some() {
            Link::Partition
        } else {
            Link::Inherits
        };
        for p in &c.inh_relations {
            if let Some(NodeEnum::RangeVar(prv)) = &p.node {
                if let Some(parent) = our_name(prv).filter(|p| self.tables.contains(p)) {
                    self.parent.insert(name.clone(), (parent, link));
                }
            }
        }
    }

    fn select_into(&mut self, s: &SelectStmt, schema: Option<&str>) {
        // SELECT ... INTO: in a UNION the INTO sits on the leftmost SELECT.
        let mut left = s;
        while left.into_clause.is_none() {
            match &left.larg {
                Some(l) => left = l,
                None => return,
            }
        }
        if let Some(rv) = left.into_clause.as_ref().and_then(|i| i.rel.as_ref()) {
            self.created(rv, schema);
        }
    }

    fn alter_table(&mut self, a: &AlterTableStmt) {
        let Some(parent) = a.relation.as_ref().and_then(our_name) else {
            return;
        };
        for cmd in &a.cmds {
            let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else {
                continue;
            };
            let def = cmd.def.as_deref().and_then(|d| d.node.as_ref());
            let sub = AlterTableType::try_from(cmd.subtype).unwrap_or(AlterTableType::Undefined);
            match (sub, def) {
                (AlterTableType::AtAttachPartition, Some(NodeEnum::PartitionCmd(p))) => {
                    if let Some(child) = p
                        .name
                        .as_ref()
                        .and_then(our_name)
                        .filter(|c| self.tables.contains(c))
                    {
                        self.parent.insert(child, (parent.clone(), Link::Partition));
                    }
                }
                (AlterTableType::AtDetachPartition, Some(NodeEnum::PartitionCmd(p))) => {
                    if let Some(child) = p.name.as_ref().and_then(our_name) {
                        self.parent.remove(&child);
                    }
                }
                // Here the statement's relation is the child and `def` the parent.
                (AlterTableType::AtAddInherit, Some(NodeEnum::RangeVar(prv))) => {
                    if let Some(p) = our_name(prv).filter(|p| self.tables.contains(p)) {
                        self.parent.insert(parent.clone(), (p, Link::Inherits));
                    }
                }
                (AlterTableType::AtDropInherit, Some(NodeEnum::RangeVar(_))) => {
                    self.parent.remove(&parent);
                }
                _ => {}
            }
        }
    }

    fn drop_statement(&mut self, d: &DropStmt) {
        let cascade = DropBehavior::try_from(d.behavior) == Ok(DropBehavior::DropCascade);
        match object_type(d.remove_type) {
            ObjectType::ObjectTable => {
                for name in d.objects.iter().filter_map(our_list_name) {
                    self.drop(&name, cascade);
                }
            }
            ObjectType::ObjectSchema => {
                let ours = d
                    .objects
                    .iter()
                    .any(|o| matches!(&o.node, Some(NodeEnum::String(s)) if s.sval == SCHEMA));
                if ours {
                    self.clear();
                }
            }
            _ => {}
        }
    }

    /// Records a created table if it lands in expert_network; returns its name.
    pub(super) fn into_tables(self) -> BTreeSet<String> {
        self.tables
    }

    fn created(&mut self, rv: &RangeVar, schema: Option<&str>) -> Option<String> {
        let name = match schema {
            // Inside CREATE SCHEMA x ...: unqualified names land in x.
            Some(s) if rv.schemaname.is_empty() => (s == SCHEMA).then(|| rv.relname.clone()),
            _ => our_name(rv),
        }?;
        self.tables.insert(name.clone());
        Some(name)
    }

    fn rename(&mut self, old: &str, new: &str) {
        self.tables.remove(old);
        self.tables.insert(new.to_string());
        if let Some(link) = self.parent.remove(old) {
            self.parent.insert(new.to_string(), link);
        }
        for (p, _) in self.parent.values_mut() {
            if p == old {
                *p = new.to_string();
            }
        }
    }

    /// The table leaves expert_network; its children stay, without a parent here.
    fn remove(&mut self, name: &str) {
        self.tables.remove(name);
        self.parent.remove(name);
        self.parent.retain(|_, (p, _)| p != name);
    }

    /// DROP TABLE: partitions go with their parent; inheriting children only with CASCADE.
    fn drop(&mut self, name: &str, cascade: bool) {
        if !self.tables.contains(name) {
            return;
        }
        let children: Vec<(String, Link)> = self
            .parent
            .iter()
            .filter(|(_, (p, _))| p == name)
            .map(|(c, (_, l))| (c.clone(), *l))
            .collect();
        self.remove(name);
        for (child, link) in children {
            if link == Link::Partition || cascade {
                self.drop(&child, cascade);
            }
        }
    }

    fn clear(&mut self) {
        self.tables.clear();
        self.parent.clear();
    }

    /// A PL/pgSQL DO block: its static SQL statements are replayed as if they ran. A statement under
    /// an IF counts as run, since a migration's DO block is there to do its work.
    fn do_block(&mut self, d: &DoStmt, schema: Option<&str>) {
        let mut language = "plpgsql".to_string();
        let mut body = None;
        for arg in &d.args {
            let Some(NodeEnum::DefElem(e)) = &arg.node else {
                continue;
            };
            let value = e.arg.as_deref().and_then(string_constant_or_string);
            match e.defname.as_str() {
                "language" => language = value.unwrap_or_default().to_lowercase(),
                "as" => body = value,
                _ => {}
            }
        }
        let Some(body) = body.filter(|_| language == "plpgsql") else {
            return;
        };
        let mut tag = "$enm$".to_string();
        while body.contains(&tag) {
            tag.insert(tag.len() - 1, 'x');
        }
        let wrapped = format!("CREATE FUNCTION en_migrate_expected() RETURNS void LANGUAGE plpgsql AS {tag}{body}{tag}");
        let Ok(tree) = pg_query::parse_plpgsql(&wrapped) else {
            return;
        };
        let mut queries = Vec::new();
        execsql_queries(&tree, &mut queries);
        for q in queries {
            if let Ok(parsed) = pg_query::parse(&q, 0) {
                for raw in &parsed.protobuf.stmts {
                    if let Some(node) = raw.stmt.as_deref().and_then(|n| n.node.as_ref()) {
                        self.statement(node, schema);
                    }
                }
            }
        }
    }
}

/// A DefElem argument: a bare String node (DO's body and language) or a string constant.
fn string_constant_or_string(node: &Node) -> Option<String> {
    match node.node.as_ref()? {
        NodeEnum::String(s) => Some(s.sval.clone()),
        _ => string_constant(node),
    }
}

/// The text of every plain SQL statement (`PLpgSQL_stmt_execsql`) in a PL/pgSQL parse tree, in order.
/// PL/pgSQL strips a variable-assigning INTO from that text, so `SELECT ... INTO v` is not read as
/// SELECT INTO a table.
fn execsql_queries(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                if k == "PLpgSQL_stmt_execsql" {
                    if let Some(q) = child
                        .pointer("/sqlstmt/PLpgSQL_expr/query")
                        .and_then(serde_json::Value::as_str)
                    {
                        out.push(q.to_string());
                    }
                }
                execsql_queries(child, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| execsql_queries(i, out)),
        _ => {}
    }
}
