//! The checks of the statements other than DDL (`ddl_checks.rs`) that the allowlist (`statements.rs`)
//! lets through with more than a generic descent: a SELECT's CTEs and locks, a write's target, COPY,
//! what a GRANT, default privileges, CREATE ROLE or ALTER PUBLICATION may name, SET, SHOW and NOTIFY.
//!
//! Must never accept a statement whose effect reaches outside expert_network: what it cannot prove is
//! refused, by the rule that names why.

use super::nodes::Ref;
use super::walk::{addr, inner, name_parts, object_type, Ctx, Walker};
use super::{known, policy, Rule, SCHEMA};
use pg_query::protobuf::{self as pb, node::Node as N, GrantTargetType, VariableSetKind};

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
            self.definer_writes(r);
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
        for r in rels {
            if let Some(N::RangeVar(rv)) = &r.node {
                self.definer_writes(rv);
            }
        }
        let skip: Vec<_> = rels.iter().map(addr).collect();
        self.descend_except(n, ctx, &skip);
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
        self.bodies_check_spelled(&name);
        match kind {
            _ if in_body => self.refuse(Rule::SessionState, "SET search_path inside a function body or DO block".into(), Some("set the path on the function (CREATE FUNCTION ... SET search_path = ...), or at the top level of the migration")),
            // Each statement of a no-transaction file is a transaction of its own: the server drops
            // a SET LOCAL with a warning, and `policy::paths` would judge the statements after it
            // under a path the server never took (corpus 72).
            _ if v.is_local && name == "search_path" && self.no_transaction => self.refuse(Rule::SessionState, "SET LOCAL search_path in a no-transaction file does nothing".into(), Some(super::resolve::NO_TRANSACTION_LOCAL_PATH)),
            // `SET SCHEMA 'x'` is `SET search_path = x` (corpus 110).
            VariableSetKind::VarSetValue if name == "search_path" && self.path_unfollowed => self.refuse(Rule::SessionState, "SET search_path spelled so that the fence does not follow it".into(), Some("write SET search_path = ...")),
            VariableSetKind::VarSetValue => match policy::set_values(&v.args) {
                Some(values) => {
                    if let Err((rule, msg, hint)) = policy::setting(&name, &values, true) {
                        self.refuse(rule, msg, Some(hint));
                    }
                    self.setting_names(&name, &values);
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

    /// `SET CONSTRAINTS name [, ...] { IMMEDIATE | DEFERRED }`, which Django writes before every
    /// DROP CONSTRAINT of a foreign key (`SET CONSTRAINTS "x_fk" IMMEDIATE; ALTER TABLE ... DROP
    /// CONSTRAINT "x_fk"`, its sql_delete_fk; Saleor's and NetBox's migrations, pass corpus 122).
    /// The names are constraints, not relations: the server looks each unqualified one up in the
    /// path's schemas in order and takes the first schema's (`AfterTriggerSetState`), and only
    /// changes when this transaction's own queued checks of it run. In the migration's statements
    /// and DO blocks the path is the pinned `expert_network, pg_catalog, pg_temp` (or the file's own
    /// of those alone): expert_network's, pg_catalog's (none deferrable: IMMEDIATE changes nothing,
    /// DEFERRED is an error) or the session's own temporary tables' (PG 15: with public holding a
    /// deferred `pp_sc_fk` and expert_network one, `SET CONSTRAINTS pp_sc_fk IMMEDIATE` checked
    /// expert_network's alone; with only public's, "constraint does not exist"). A qualified name is
    /// judged by its schema, as before; in a function body the caller's path finds it, and it stays
    /// judged as a relation there.
    pub(super) fn constraints_set(&mut self, c: &pb::ConstraintsSetStmt, ctx: Ctx) {
        let session = !self.body.is_function() && !self.definer && !self.caller_path;
        for k in &c.constraints {
            match &k.node {
                Some(N::RangeVar(rv))
                    if session && rv.schemaname.is_empty() && rv.catalogname.is_empty() => {}
                _ => self.node_of(k, ctx),
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
