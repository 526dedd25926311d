//! The checks of the statement kinds the allowlist (`statements.rs`) lets through with more than a
//! generic descent: a SELECT's CTEs and locks, a write's target, what a GRANT, RENAME, ALTER
//! PUBLICATION or SET may name, the functions an object is defined by.
//!
//! Must never accept a statement whose effect reaches outside expert_network: what it cannot prove is
//! refused, by the rule that names why.

use super::nodes::Ref;
use super::walk::{addr, inner, name_parts, object_type, Body, Ctx, Walker};
use super::{body, known, policy, Rule, SCHEMA};
use pg_query::protobuf::{
    self as pb, node::Node as N, GrantTargetType, ReindexObjectType, VariableSetKind,
};

impl Walker<'_, '_> {
    pub(super) fn select(&mut self, sel: &pb::SelectStmt, n: Ref<'_>, ctx: Ctx) {
        let mark = self.ctes.len();
        self.with_clause(sel.with_clause.as_ref(), ctx);
        // FOR UPDATE / SHARE [OF name]: the names are FROM items (aliases), not relations; the
        // relations they lock are written, as far as the catalogs are concerned.
        let clauses = &sel.locking_clause;
        let saved = self.lock_names.take();
        if !clauses.is_empty() {
            let mut names = Some(Vec::new());
            for c in clauses {
                let rels: &[pb::Node] = match &c.node {
                    Some(N::LockingClause(l)) => &l.locked_rels,
                    _ => &[],
                };
                if rels.is_empty() {
                    names = None;
                } else if let Some(list) = names.as_mut() {
                    list.extend(rels.iter().filter_map(|r| match &r.node {
                        Some(N::RangeVar(rv)) => Some(rv.relname.clone()),
                        _ => None,
                    }));
                }
            }
            self.lock_names = names;
        }
        let lock = !clauses.is_empty() || (ctx.lock && ctx.read);
        if !lock {
            self.lock_names = saved.clone();
        }
        self.nodes(
            &sel.from_clause,
            Ctx {
                read: true,
                lock,
                ..ctx
            },
        );
        let mut skip: Vec<_> = sel.from_clause.iter().chain(clauses).map(addr).collect();
        skip.push(sel.with_clause.as_ref().map(|w| Ref::WithClause(w).addr()));
        self.descend_except(n, Ctx { lock: false, ..ctx }, &skip);
        self.lock_names = saved;
        self.ctes.truncate(mark);
    }

    /// INSERT / UPDATE / DELETE / MERGE: the target is written, `from` (FROM, USING, the MERGE source)
    /// is read, and the statement's own CTEs are in scope for everything but the target.
    pub(super) fn write_statement(
        &mut self,
        n: Ref<'_>,
        ctx: Ctx,
        with: Option<&pb::WithClause>,
        rel: Option<&pb::RangeVar>,
        from: &[pb::Node],
    ) {
        let mark = self.ctes.len();
        self.with_clause(with, ctx);
        // The target first, before this statement's own CTEs could hide it (they cannot: a write
        // target never resolves to a CTE).
        if let Some(r) = rel {
            self.node(Ref::RangeVar(r), Ctx { write: true, ..ctx });
        }
        let plain = Ctx {
            write: false,
            ..ctx
        };
        self.nodes(
            from,
            Ctx {
                read: true,
                ..plain
            },
        );
        let mut skip: Vec<_> = from.iter().map(addr).collect();
        skip.push(with.map(|w| Ref::WithClause(w).addr()));
        skip.push(rel.map(|r| Ref::RangeVar(r).addr()));
        self.descend_except(n, plain, &skip);
        self.ctes.truncate(mark);
    }

    /// TRUNCATE / LOCK: every relation named is written.
    pub(super) fn write_relations(&mut self, n: Ref<'_>, ctx: Ctx, rels: &[pb::Node]) {
        self.nodes(rels, Ctx { write: true, ..ctx });
        let skip: Vec<_> = rels.iter().map(addr).collect();
        self.descend_except(n, ctx, &skip);
    }

    /// CREATE TABLE / VIEW / SEQUENCE / TYPE AS: the relation made, then the rest.
    pub(super) fn creates(&mut self, n: Ref<'_>, ctx: Ctx, rel: Option<&pb::RangeVar>, what: &str) {
        self.created_relation(rel, ctx, what);
        let skip = [rel.map(|r| Ref::RangeVar(r).addr())];
        self.descend_except(n, Ctx { read: false, ..ctx }, &skip);
    }

    pub(super) fn names_then_descend(
        &mut self,
        n: Ref<'_>,
        ctx: Ctx,
        names: &[pb::Node],
        what: &str,
    ) {
        self.target_list(names, what);
        self.descend(n, ctx);
    }

    /// A sequence's OWNED BY names a column of a table that must be expert_network's.
    pub(super) fn owned_by(&mut self, options: &[pb::Node]) {
        for opt in options {
            let Some(N::DefElem(d)) = &opt.node else {
                continue;
            };
            if d.defname != "owned_by" {
                continue;
            }
            if let Some(N::List(l)) = inner(&d.arg) {
                if let Some(parts) = name_parts(&l.items) {
                    if !(parts.len() == 1 && parts[0] == "none") {
                        self.target(&parts[..parts.len().saturating_sub(1)], "table");
                    }
                }
            }
        }
    }

    pub(super) fn reindex(&mut self, r: &pb::ReindexStmt, n: Ref<'_>, ctx: Ctx) {
        let concurrently = r
            .params
            .iter()
            .any(|p| matches!(&p.node, Some(N::DefElem(d)) if d.defname == "concurrently"));
        if concurrently && !self.no_transaction {
            self.concurrently("REINDEX ... CONCURRENTLY");
        }
        match ReindexObjectType::try_from(r.kind) {
            Ok(ReindexObjectType::ReindexObjectIndex | ReindexObjectType::ReindexObjectTable) => {
                self.descend(n, ctx)
            }
            Ok(ReindexObjectType::ReindexObjectSchema) => self.schema(&r.name, "", false),
            _ => self.refuse(
                Rule::DatabaseWide,
                "REINDEX SYSTEM / DATABASE reaches the whole database".into(),
                Some("name the expert_network index or table"),
            ),
        }
    }

    pub(super) fn rename(&mut self, r: &pb::RenameStmt, ctx: Ctx) {
        let ot = object_type(r.rename_type);
        if self.refuse_kind(ot) {
            return;
        }
        if ot == pg_query::protobuf::ObjectType::ObjectSchema {
            if r.newname == "public" {
                self.schema("public", "", false);
            }
            if r.subname == SCHEMA {
                self.refuse(
                    Rule::OutsideSchema,
                    format!("renaming schema {SCHEMA} moves every object out of it"),
                    None,
                );
            } else {
                self.schema(&r.subname, "", false);
            }
            return;
        }
        if let Some(o) = r.object.as_deref() {
            self.object(ot, o);
        }
        if let Some(rv) = &r.relation {
            self.node(Ref::RangeVar(rv), ctx);
        }
    }

    pub(super) fn default_privileges(&mut self, options: &[pb::Node]) {
        let mut schemas: Option<Vec<String>> = None;
        for opt in options {
            if let Some(N::DefElem(d)) = &opt.node {
                if d.defname == "schemas" {
                    if let Some(N::List(l)) = inner(&d.arg) {
                        schemas = name_parts(&l.items);
                    }
                }
            }
        }
        match schemas {
            Some(list) if list.iter().all(|x| x == SCHEMA) => {}
            Some(list) => {
                if list.iter().any(|x| x == "public") {
                    self.schema("public", "", false);
                }
                self.refuse(Rule::DefaultPrivileges, format!("ALTER DEFAULT PRIVILEGES IN SCHEMA {} reaches beyond {SCHEMA}", list.join(", ")), Some("write IN SCHEMA expert_network"));
            }
            None => self.refuse(Rule::DefaultPrivileges, "ALTER DEFAULT PRIVILEGES without IN SCHEMA changes every future object of the role".into(), Some("add IN SCHEMA expert_network")),
        }
    }

    pub(super) fn create_extension(&mut self, c: &pb::CreateExtensionStmt) {
        let schema = c.options.iter().find_map(|o| match &o.node {
            Some(N::DefElem(d)) if d.defname == "schema" => match inner(&d.arg) {
                Some(N::String(s)) => Some(s.sval.clone()),
                _ => None,
            },
            _ => None,
        });
        let name = c.extname.as_str();
        match schema {
            _ if known::extension(name).is_none() => self.refuse(Rule::DatabaseWide, format!("extension {name} is not on the fence's allowlist: its functions can reach beyond expert_network"), Some("use an allowlisted extension (pgcrypto, uuid-ossp, citext, pg_trgm, btree_gist, hstore, ltree, unaccent, ...), or do without it")),
            Some(x) if x == SCHEMA => {}
            Some(x) => {
                self.refuse(Rule::DatabaseWide, format!("CREATE EXTENSION {name} installs into schema {x}"), Some("use SCHEMA expert_network"));
                self.schema(&x, "", false);
            }
            None => self.refuse(Rule::DatabaseWide, format!("CREATE EXTENSION {name} without SCHEMA installs into whatever schema comes first"), Some("add SCHEMA expert_network")),
        }
    }

    pub(super) fn concurrently(&mut self, what: &str) {
        self.refuse(
            Rule::ConcurrentInTransaction,
            format!("{what} cannot run inside a transaction"),
            Some("put it alone in a file whose first line is `-- en-migrate: no-transaction`"),
        );
    }

    pub(super) fn variable_set(&mut self, v: &pb::VariableSetStmt) {
        let name = v.name.to_lowercase();
        let kind = VariableSetKind::try_from(v.kind).unwrap_or(VariableSetKind::Undefined);
        let hint = "plain settings (lock_timeout, statement_timeout, work_mem, ...) may be SET; en-migrate puts them back after the migration";
        // Inside a body a SET runs in whatever session calls it; a search_path change there would also
        // escape the path the fence resolved the rest of the migration under.
        let in_body = self.body.is_any() && name == "search_path";
        match kind {
            _ if in_body => self.refuse(Rule::SessionState, "SET search_path inside a function body or DO block".into(), Some("set the path on the function (CREATE FUNCTION ... SET search_path = ...), or at the top level of the migration")),
            VariableSetKind::VarSetValue => match policy::set_values(&v.args) {
                Some(values) => {
                    if let Err((rule, msg, hint)) = policy::setting(&name, &values) {
                        self.refuse(rule, msg, Some(hint));
                    }
                }
                None => self.refuse(Rule::SessionState, format!("SET {name} to a value the fence cannot read"), Some(hint)),
            },
            VariableSetKind::VarSetDefault | VariableSetKind::VarReset
                if !matches!(name.as_str(), "search_path" | "role" | "session_authorization")
                    && known::setting(&name) == known::SettingClass::Plain => {}
            VariableSetKind::VarSetMulti if name == "transaction" => {}
            _ => {
                let what = if name.is_empty() {
                    "RESET ALL / SET SESSION CHARACTERISTICS".to_string()
                } else {
                    format!("{} of {name}", kind.as_str_name().trim_start_matches("VAR_").replace('_', " "))
                };
                self.refuse(Rule::SessionState, format!("{what} changes the session en-migrate runs every migration in"), Some(hint));
            }
        }
    }

    pub(super) fn trigger_function(&mut self, funcname: &[pb::Node]) {
        let parts = name_parts(funcname).unwrap_or_default();
        let builtin = |n: &str| known::function(n) == Some(known::FnClass::Safe);
        match parts
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            [SCHEMA, _] => {}
            ["pg_catalog", n] if builtin(n) => {}
            [n] if builtin(n) || self.sink.model.has_function(n) => {}
            _ => self.target(&parts, "trigger function"),
        }
    }

    /// ALTER PUBLICATION ... ADD / DROP TABLE of expert_network's own tables (Supabase realtime).
    /// SET TABLE would take other applications' tables out of the publication; a publication's
    /// options and FOR ALL TABLES / TABLES IN SCHEMA stay refused.
    pub(super) fn alter_publication(&mut self, p: &pb::AlterPublicationStmt, ctx: Ctx) {
        use pg_query::protobuf::{AlterPublicationAction as A, PublicationObjSpecType as P};
        let tables: Option<Vec<&pb::RangeVar>> = p
            .pubobjects
            .iter()
            .map(|o| match &o.node {
                Some(N::PublicationObjSpec(s)) if s.pubobjtype == P::PublicationobjTable as i32 => {
                    s.pubtable.as_ref().and_then(|t| t.relation.as_ref())
                }
                _ => None,
            })
            .collect();
        let add_or_drop = p.action == A::ApAddObjects as i32 || p.action == A::ApDropObjects as i32;
        match tables {
            Some(tables) if !tables.is_empty() && p.options.is_empty() && !p.for_all_tables && add_or_drop => {
                for rel in tables {
                    self.node(Ref::RangeVar(rel), ctx);
                }
            }
            _ => self.refuse(Rule::DatabaseWide, "ALTER PUBLICATION other than ADD / DROP TABLE of expert_network's tables reaches beyond the schema".into(), Some("write ALTER PUBLICATION name ADD TABLE expert_network.t")),
        }
    }

    pub(super) fn grant(&mut self, g: &pb::GrantStmt) {
        let ot = object_type(g.objtype);
        if g.targtype == GrantTargetType::AclTargetAllInSchema as i32 {
            for o in &g.objects {
                if let Some(N::String(s)) = &o.node {
                    self.schema(&s.sval, "", false);
                }
            }
            return;
        }
        for o in &g.objects {
            match &o.node {
                Some(N::RangeVar(rv)) => self.node(Ref::RangeVar(rv), Ctx::default()),
                _ => self.object(ot, o),
            }
        }
    }

    pub(super) fn notify(&mut self, ns: &pb::NotifyStmt) {
        if !(self.body.is_function() || self.sink.opts.notify) {
            self.refuse(Rule::Notify, format!("NOTIFY {} run by the migration reaches every listening application", ns.conditionname), Some("notifications belong in the application's triggers; if the migration must send one (PostgREST's NOTIFY pgrst), add `-- en-migrate: allow notify`"));
        }
    }

    pub(super) fn show(&mut self, v: &pb::VariableShowStmt) {
        if v.name.eq_ignore_ascii_case("all") {
            self.secret_setting("SHOW ALL shows every setting, those");
        } else if known::is_secret_setting(&v.name) {
            self.secret_setting(&format!("{} is a setting", v.name));
        }
    }

    pub(super) fn alter_table(&mut self, a: &pb::AlterTableStmt, n: Ref<'_>, stmt_ctx: Ctx) {
        for cmd in &a.cmds {
            if let Some(N::AlterTableCmd(c)) = &cmd.node {
                if let Some(N::PartitionCmd(p)) = inner(&c.def) {
                    if p.concurrent && !self.no_transaction {
                        self.concurrently("DETACH PARTITION ... CONCURRENTLY");
                    }
                }
            }
        }
        self.descend(n, stmt_ctx);
    }

    pub(super) fn vacuum(&mut self, v: &pb::VacuumStmt, n: Ref<'_>, stmt_ctx: Ctx) {
        if v.rels.is_empty() {
            self.refuse(
                Rule::DatabaseWide,
                "VACUUM / ANALYZE without a table works on the whole database".into(),
                Some("name the expert_network tables"),
            );
        }
        if v.is_vacuumcmd && !self.no_transaction {
            self.concurrently("VACUUM");
        }
        self.descend(n, stmt_ctx);
    }

    pub(super) fn cluster(&mut self, c: &pb::ClusterStmt, n: Ref<'_>, stmt_ctx: Ctx) {
        if c.relation.is_none() {
            self.refuse(
                Rule::DatabaseWide,
                "CLUSTER without a table works on the whole database".into(),
                Some("name the expert_network table"),
            );
        }
        self.descend(n, stmt_ctx);
    }

    pub(super) fn create_function(
        &mut self,
        f: &pb::CreateFunctionStmt,
        n: Ref<'_>,
        stmt_ctx: Ctx,
    ) {
        let what = if f.is_procedure {
            "procedure"
        } else {
            "function"
        };
        self.target_list(&f.funcname, what);
        let saved = self.body;
        // Set for BEGIN ATOMIC bodies too, which are walked as part of this tree.
        self.body = if body::returns_trigger(f) {
            Body::Trigger
        } else {
            Body::Function
        };
        body::function(self, f);
        let skip: Vec<_> = f.options.iter().map(addr).collect();
        self.descend_except(n, stmt_ctx, &skip);
        self.body = saved;
    }

    pub(super) fn alter_function(&mut self, a: &pb::AlterFunctionStmt) {
        if let Some(f) = &a.func {
            self.object_node(Ref::ObjectWithArgs(f), "function");
        }
        body::function_set_options(self, &a.actions);
    }

    pub(super) fn define(&mut self, d: &pb::DefineStmt, n: Ref<'_>, stmt_ctx: Ctx) {
        let what = object_type(d.kind)
            .as_str_name()
            .trim_start_matches("OBJECT_")
            .to_lowercase();
        self.functions_defined_by(&d.definition);
        self.names_then_descend(n, stmt_ctx, &d.defnames, &what);
    }

    pub(super) fn alter_operator(&mut self, a: &pb::AlterOperatorStmt) {
        if let Some(o) = &a.opername {
            self.object_node(Ref::ObjectWithArgs(o), "operator");
        }
        self.functions_defined_by(&a.options);
    }

    pub(super) fn alter_ts_configuration(&mut self, a: &pb::AlterTsConfigurationStmt) {
        self.target_list(&a.cfgname, "text search configuration");
        for d in &a.dicts {
            if let Some(N::List(l)) = &d.node {
                if let Some(parts) = name_parts(&l.items) {
                    self.reference(&parts);
                }
            }
        }
    }

    pub(super) fn drop(&mut self, d: &pb::DropStmt) {
        let ot = object_type(d.remove_type);
        if d.concurrent && !self.no_transaction {
            self.concurrently("DROP INDEX CONCURRENTLY");
        }
        for o in &d.objects {
            self.object(ot, o);
        }
    }

    pub(super) fn comment(&mut self, c: &pb::CommentStmt) {
        let extension_ours = object_type(c.objtype)
            == pg_query::protobuf::ObjectType::ObjectExtension
            && matches!(inner(&c.object), Some(N::String(s)) if self.sink.model.has_extension(&s.sval));
        if !extension_ours {
            if let Some(o) = c.object.as_deref() {
                self.object(object_type(c.objtype), o);
            }
        }
    }

    pub(super) fn security_label(&mut self, c: &pb::SecLabelStmt) {
        if let Some(o) = c.object.as_deref() {
            self.object(object_type(c.objtype), o);
        }
    }

    pub(super) fn alter_object_schema(&mut self, a: &pb::AlterObjectSchemaStmt, stmt_ctx: Ctx) {
        let ot = object_type(a.object_type);
        if self.refuse_kind(ot) {
            return;
        }
        if let Some(o) = a.object.as_deref() {
            self.object(ot, o);
        }
        if let Some(r) = &a.relation {
            self.node(Ref::RangeVar(r), stmt_ctx);
        }
        if a.newschema != SCHEMA {
            self.schema(&a.newschema, "", false);
        }
    }

    pub(super) fn alter_owner(&mut self, a: &pb::AlterOwnerStmt, stmt_ctx: Ctx) {
        let ot = object_type(a.object_type);
        if self.refuse_kind(ot) {
            return;
        }
        if let Some(o) = a.object.as_deref() {
            self.object(ot, o);
        }
        if let Some(r) = &a.relation {
            self.node(Ref::RangeVar(r), stmt_ctx);
        }
    }

    pub(super) fn create_schema(&mut self, c: &pb::CreateSchemaStmt, stmt_ctx: Ctx) {
        let name = c.schemaname.as_str();
        if name != SCHEMA {
            self.schema(
                if name.is_empty() {
                    "(authorization name)"
                } else {
                    name
                },
                "",
                false,
            );
        }
        let inner = Ctx {
            implicit_schema: name == SCHEMA,
            ..stmt_ctx
        };
        self.nodes(&c.schema_elts, inner);
    }

    pub(super) fn create_role(&mut self, c: &pb::CreateRoleStmt) {
        for opt in &c.options {
            if let Some(N::DefElem(d)) = &opt.node {
                let name = d.defname.as_str();
                let on = !matches!(inner(&d.arg), Some(N::Boolean(b)) if !b.boolval);
                let privileged = matches!(
                    name,
                    "superuser" | "createrole" | "createdb" | "isreplication" | "bypassrls"
                );
                let membership = matches!(name, "addroleto" | "rolemembers" | "adminmembers");
                if (privileged && on) || membership {
                    self.refuse(Rule::Roles, format!("CREATE ROLE with {name} reaches beyond the schema"), Some("create a plain role (LOGIN or NOLOGIN) and grant it privileges on expert_network"));
                }
            }
        }
    }

    pub(super) fn copy(&mut self, c: &pb::CopyStmt, n: Ref<'_>, stmt_ctx: Ctx) {
        if let Some(r) = &c.relation {
            self.node(
                Ref::RangeVar(r),
                Ctx {
                    write: c.is_from,
                    read: !c.is_from,
                    ..stmt_ctx
                },
            );
        }
        if c.is_program || !c.filename.is_empty() {
            self.refuse(
                Rule::FileAccess,
                "COPY to or from a server file or program".into(),
                Some("load data with INSERT statements"),
            );
        } else if c.is_from {
            self.refuse(
                Rule::FileAccess,
                "COPY ... FROM STDIN needs a client data stream, which a migration does not have"
                    .into(),
                Some("load data with INSERT statements"),
            );
        }
        let skip = [c.relation.as_ref().map(|r| Ref::RangeVar(r).addr())];
        self.descend_except(n, stmt_ctx, &skip);
    }
}
