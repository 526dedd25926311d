//! The checks of the DDL statements the allowlist (`statements.rs`) lets through: what a CREATE, ALTER,
//! DROP, COMMENT, RENAME or SET SCHEMA names, the functions and triggers an object is defined by, the
//! extensions a migration may create, REINDEX, VACUUM and CLUSTER.
//!
//! Must never accept DDL on an object outside expert_network: what it cannot prove is refused, by the
//! rule that names why.

use super::nodes::Ref;
use super::walk::{addr, inner, name_parts, object_type, object_words, Body, Ctx, Walker};
use super::{body, known, Rule, SCHEMA};
use pg_query::protobuf::{self as pb, node::Node as N, ReindexObjectType};

impl Walker<'_, '_> {
    /// CREATE TABLE / VIEW / SEQUENCE / TYPE AS: the relation made, then the rest.
    pub(super) fn creates(&mut self, n: Ref<'_>, ctx: Ctx, rel: Option<&pb::RangeVar>, what: &str) {
        self.created_relation(rel, ctx, what);
        let skip = [rel.map(|r| Ref::RangeVar(r).addr())];
        self.descend_except(n, Ctx { read: false, ..ctx }, &skip);
    }

    /// The name of an object a statement makes that is not a relation (a type, domain, aggregate,
    /// operator, collation, text search object, conversion, operator class or family, statistics
    /// object): qualified with expert_network, or unqualified where it lands there
    /// (`lands_in_schema`). The server makes every one of them in the path's first schema, as it makes
    /// a table (PG 15, under `SET search_path TO expert_network`: `CREATE STATISTICS s ... FROM t`,
    /// `CREATE COLLATION`, `CREATE TEXT SEARCH CONFIGURATION`, `CREATE AGGREGATE`, `CREATE OPERATOR`
    /// all made expert_network's).
    pub(super) fn created_names(&mut self, names: &[pb::Node], what: &str) {
        if !(names.len() == 1 && self.lands_in_schema()) {
            self.target_list(names, what);
        }
    }

    /// `created_names`, then the rest of the statement.
    pub(super) fn created_names_then_descend(
        &mut self,
        n: Ref<'_>,
        ctx: Ctx,
        names: &[pb::Node],
        what: &str,
    ) {
        self.created_names(names, what);
        self.descend(n, ctx);
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

    /// An existing type or domain a statement alters (`ALTER TYPE content_type ADD VALUE 'visual'`):
    /// unqualified, it resolves as a column's type does (`type_target`).
    pub(super) fn altered_type_then_descend(
        &mut self,
        n: Ref<'_>,
        ctx: Ctx,
        names: &[pb::Node],
        what: &str,
    ) {
        match name_parts(names).as_deref() {
            Some([name]) => {
                self.type_target(name, what);
                self.descend(n, ctx);
            }
            _ => self.names_then_descend(n, ctx, names, what),
        }
    }

    /// A sequence's OWNED BY names a column of a table that must be expert_network's (`table_of`).
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
                        self.table_of(&parts[..parts.len().saturating_sub(1)], "table");
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
        let kind = ReindexObjectType::try_from(r.kind);
        let rv = r.relation.as_ref();
        let on = match kind {
            Ok(ReindexObjectType::ReindexObjectIndex) => rv
                .and_then(|rv| self.maintained(rv))
                .and_then(|index| self.sink.model.index_tables(&index)),
            Ok(ReindexObjectType::ReindexObjectTable) => {
                rv.and_then(|rv| self.maintained_table(rv)).map(|t| vec![t])
            }
            _ => None,
        };
        self.unguarded_maintenance("REINDEX ... CONCURRENTLY", true, on.as_deref());
        match kind {
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
        if let Some(rv) = composite_type_unqualified(r.relation_type, r.relation.as_ref()) {
            self.type_target(&rv.relname, "type");
            return;
        }
        if let Some(rv) = &r.relation {
            // `ALTER INDEX IF EXISTS sgrif_testing RENAME TO ...` (rust-lang/crates.io renames
            // indexes made on production by hand): as `DROP ... IF EXISTS`, a relation no migration
            // makes that the path can find only in expert_network or the session's pg_temp.
            let unmade = r.missing_ok
                && rv.schemaname.is_empty()
                && [r.rename_type, r.relation_type]
                    .iter()
                    .any(|&t| super::walk::is_relation_kind(object_type(t)))
                && self.unmade_outside_the_catalogs(&rv.relname);
            if !unmade {
                self.node(Ref::RangeVar(rv), ctx);
            }
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
            // initdb makes plpgsql in every database (pg_dump up to PostgreSQL 10, older Rails
            // structure.sql files and procrastinate write this line): the server skips it (PG 15:
            // "extension already exists, skipping", no catalog row written). In a database left
            // without it the server would make it in pg_catalog, the schema its control file fixes
            // (any other is an error), but a migration's transaction never gets that far: the
            // runner's own PL/pgSQL fails first and it is rolled back (PG 15 through `up`; corpus
            // 95). A no-transaction file has no such transaction: it stays refused.
            Some(x)
                if name == "plpgsql"
                    && c.if_not_exists
                    && !self.no_transaction
                    && (x == "pg_catalog" || x == SCHEMA) => {}
            None if name == "plpgsql" && c.if_not_exists && !self.no_transaction => {}
            _ if known::extension(name).is_none() => self.refuse(Rule::DatabaseWide, format!("extension {name} is not on the fence's allowlist: its functions can reach beyond expert_network"), Some("use an allowlisted extension (pgcrypto, uuid-ossp, citext, pg_trgm, btree_gist, hstore, ltree, unaccent, ...), or do without it")),
            Some(x) if x == SCHEMA => {}
            Some(x) => {
                self.refuse(Rule::DatabaseWide, format!("CREATE EXTENSION {name} installs into schema {x}"), Some("use SCHEMA expert_network"));
                self.schema(&x, "", false);
            }
            // Without SCHEMA the server installs into the path's first schema (an allowlisted extension
            // is relocatable: its control file names none): expert_network under the pinned path, as
            // Prisma, TypeORM and most projects write it. Were expert_network missing at run time, it
            // would land in pg_catalog, which the database-side check refuses.
            None if self.path.creation() == Some(SCHEMA) => {}
            None => self.refuse(Rule::DatabaseWide, format!("CREATE EXTENSION {name} without SCHEMA installs into the search_path's first schema, which is not expert_network here"), Some("add SCHEMA expert_network")),
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

    /// The arguments a built-in trigger function reads as names: tsvector_update_trigger's second
    /// is a text search configuration's, which the server looks up on every write the trigger
    /// fires on (qualified: it refuses an unqualified one), so it is judged as the name written
    /// (PG 15: `'public.english'` indexed expert_network's rows with public's configuration;
    /// corpus 89). A trigger's arguments are strings, which the walk does not read as names.
    pub(super) fn trigger_arguments(&mut self, funcname: &[pb::Node], args: &[pb::Node]) {
        let parts = name_parts(funcname).unwrap_or_default();
        let config_named = matches!(
            parts
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice(),
            ["pg_catalog", "tsvector_update_trigger"] | ["tsvector_update_trigger"]
        );
        if let (true, Some(Some(N::String(s)))) =
            (config_named, args.get(1).map(|a| a.node.as_ref()))
        {
            self.reference(&super::walk::split_qualified(&s.sval));
        }
    }

    pub(super) fn alter_table(&mut self, a: &pb::AlterTableStmt, n: Ref<'_>, stmt_ctx: Ctx) {
        for cmd in &a.cmds {
            if let Some(N::AlterTableCmd(c)) = &cmd.node {
                self.cascade(c.behavior, "ALTER TABLE");
                if let Some(def) = c.def.as_deref() {
                    let writes = super::definer::referential_writes_of(std::slice::from_ref(def));
                    if writes.any() {
                        self.referential_writes(a.relation.as_ref(), writes);
                    }
                }
                if let Some(N::PartitionCmd(p)) = inner(&c.def) {
                    if p.concurrent && !self.no_transaction {
                        self.concurrently("DETACH PARTITION ... CONCURRENTLY");
                    }
                }
                if c.subtype == pb::AlterTableType::AtChangeOwner as i32 {
                    self.partitioned_table_given_away(a.relation.as_ref());
                }
            }
        }
        if let Some(rv) = composite_type_unqualified(a.objtype, a.relation.as_ref()) {
            self.type_target(&rv.relname, "type");
            let skip = [Some(Ref::RangeVar(rv).addr())];
            self.descend_except(n, stmt_ctx, &skip);
            return;
        }
        // `ALTER TABLE IF EXISTS "product_tax_rate" DROP CONSTRAINT IF EXISTS "FK_..."` (medusa's
        // tax module, dropping the keys of the tables its v1 made): as `DROP ... IF EXISTS`, a
        // relation no migration makes that the path can find only in expert_network or the
        // session's pg_temp, and what is dropped of it runs nothing (a constraint, a column, a
        // default, NOT NULL).
        let unmade = a.missing_ok
            && a.relation.as_ref().is_some_and(|rv| {
                rv.schemaname.is_empty() && self.unmade_outside_the_catalogs(&rv.relname)
            })
            && !a.cmds.is_empty()
            && a.cmds.iter().all(|cmd| match &cmd.node {
                Some(N::AlterTableCmd(c)) => only_drops(c),
                _ => false,
            });
        if unmade {
            let skip = [a.relation.as_ref().map(|r| Ref::RangeVar(r).addr())];
            self.descend_except(n, stmt_ctx, &skip);
            return;
        }
        self.descend(n, stmt_ctx);
    }

    /// `ALTER TABLE p OWNER TO r` of expert_network's partitioned table whose partitions the
    /// migrations leave to another owner (`Model::partitions_kept`): r may CREATE INDEX on p, which
    /// the server builds on each partition as its owner, running r's index expressions with the
    /// runner's rights.
    fn partitioned_table_given_away(&mut self, rel: Option<&pb::RangeVar>) {
        let Some(rv) = rel.filter(|r| r.schemaname == SCHEMA || r.schemaname.is_empty()) else {
            return;
        };
        let kept = self.sink.model.partitions_kept(&rv.relname);
        if kept.is_empty() {
            return;
        }
        let list = kept
            .iter()
            .map(|p| format!("{SCHEMA}.{p}"))
            .collect::<Vec<_>>()
            .join(", ");
        self.refuse(
            Rule::Ownership,
            format!("this gives the partitioned table {SCHEMA}.{} to another role while its partitions ({list}) keep another owner: the new owner may CREATE INDEX on it, and the server makes and builds that index on every partition as the partition's owner, running the index's expressions (a function of the new owner's) with the partition owner's rights, and again on every ANALYZE and autovacuum of it", rv.relname),
            Some("keep the partitioned table owned by the runner, or give every partition to the same role"),
        );
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
        // The tables named, where each is one the migrations make in expert_network.
        let on: Option<Vec<String>> = v
            .rels
            .iter()
            .map(|r| match &r.node {
                Some(N::VacuumRelation(vr)) => vr
                    .relation
                    .as_ref()
                    .and_then(|rv| self.maintained_table(rv)),
                _ => None,
            })
            .collect();
        self.unguarded_maintenance("VACUUM", true, on.as_deref());
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
        // A function in pg_temp made by the migration's own statements is the session's, dropped
        // when it ends (a backfill's helper); its body is fenced like any other's.
        let temp = self.in_session
            && matches!(name_parts(&f.funcname).as_deref(), Some([s, _]) if s == "pg_temp");
        let landing = self.lands_in_schema() && f.funcname.len() == 1;
        if !temp && !landing {
            self.target_list(&f.funcname, what);
        }
        // Made and dropped again by this transactional file's own statements (`short_lived.rs`).
        let short_lived = self.body == Body::Top
            && self.embedded.is_none()
            && self.sink.short_lived.contains(&self.sink.statement);
        let saved = (self.body, self.own_path, self.in_session);
        self.in_session = temp;
        // Set for BEGIN ATOMIC bodies too, which are walked as part of this tree.
        self.body = if body::returns_trigger(f) {
            Body::Trigger
        } else {
            Body::Function
        };
        body::function(self, f, short_lived);
        // A string body's result is cast to its declared type inside the call, with the owner's
        // rights (a BEGIN ATOMIC one's return type is walked below, as its body is).
        let returned = f.return_type.as_ref().and_then(|t| name_parts(&t.names));
        if let (Some(parts), true) = (returned, body::security_definer(&f.options)) {
            self.definer_type(&parts, f.sql_body.is_none());
        }
        let skip: Vec<_> = f.options.iter().map(addr).collect();
        let saved_atomic = (self.atomic_definer, self.atomic_searches_ours);
        self.atomic_searches_ours = body::function_path(&f.options, &self.path)
            .is_none_or(|p| p.functions().contains(&super::SCHEMA));
        // What the server calls for a type without a call naming it may run in any definer's
        // body: judged as its calls, whatever the body says.
        self.atomic_definer = body::security_definer(&f.options);
        for name in self.sink.model.implicit_functions() {
            self.definer_calls_invoker(&name);
        }
        self.atomic_definer = f.sql_body.is_some() && body::security_definer(&f.options);
        self.descend_except(n, stmt_ctx, &skip);
        (self.atomic_definer, self.atomic_searches_ours) = saved_atomic;
        (self.body, self.own_path, self.in_session) = saved;
    }

    /// `CREATE OPERATOR CLASS ... DEFAULT FOR TYPE t`: the server picks a type's default operator class
    /// for every index, DISTINCT, GROUP BY, ORDER BY, hash join and unique check on that type that
    /// names none, in every schema. For a type of another schema or a built-in with no default for
    /// the access method yet (point has no btree or hash one; int4 no gist one), an operator class
    /// of expert_network's would decide how the other applications' future indexes and queries on
    /// that type compare, through expert_network's functions: a database-wide reach. The server
    /// refuses a second default where one exists, so only these cases get that far. A default for a
    /// type of expert_network's (a domain, enum, composite or an extension's type installed there)
    /// stays inside it.
    pub(super) fn default_opclass(&mut self, c: &pb::CreateOpClassStmt) {
        if !c.is_default {
            return;
        }
        let parts = c
            .datatype
            .as_ref()
            .and_then(|t| name_parts(&t.names))
            .unwrap_or_default();
        let model = self.sink.model;
        let ours = match parts.as_slice() {
            [schema, _] => schema == SCHEMA,
            [name] => {
                let element = name.strip_prefix('_').unwrap_or(name);
                let made = |n: &str| model.has_type(n) || model.relation(n).is_some();
                self.path.functions().first() == Some(&SCHEMA)
                    && (made(name) || made(element))
                    && !known::is_catalog_type(name)
            }
            _ => false,
        };
        if !ours {
            let ty = parts.join(".");
            self.refuse(
                Rule::DatabaseWide,
                format!("a DEFAULT operator class for {ty}, a type outside {SCHEMA}, becomes what every schema's indexes, sorts and hashes of {ty} use when they name none"),
                Some("drop DEFAULT and name the operator class in expert_network's own indexes (USING gist (col expert_network.my_ops))"),
            );
        }
    }

    pub(super) fn alter_function(&mut self, a: &pb::AlterFunctionStmt) {
        if let Some(f) = &a.func {
            // `ALTER FUNCTION f(int) STABLE` names the routine as DROP does
            // (`own_routine_unqualified`); the checks below go by its name either way.
            let wrapped = pb::Node {
                node: Some(N::ObjectWithArgs(f.clone())),
            };
            if self
                .own_routine_unqualified(object_type(a.objtype), &wrapped)
                .is_some()
            {
                self.nodes(&f.objargs, Ctx::default());
                self.nodes(&f.objfuncargs, Ctx::default());
            } else {
                self.object_node(Ref::ObjectWithArgs(f), "function");
            }
        }
        body::function_set_options(self, &a.actions);
        let parts = a.func.as_ref().and_then(|f| name_parts(&f.objname));
        let name = parts
            .as_deref()
            .and_then(<[String]>::last)
            .map(String::as_str);
        body::path_removed(self, &a.actions, name.unwrap_or_default());
        // Its body was read as one that runs with the caller's rights; as the owner's, the names it
        // leaves unqualified may be the caller's temporary objects (see `Walker::definer`).
        let definer = match parts.as_deref() {
            Some([name]) | Some([_, name]) => self.sink.model.may_be_definer(name),
            _ => false,
        };
        if definer && body::path_searches_temp_early(&a.actions, &self.path) {
            self.refuse(
                Rule::UnqualifiedName,
                "this search_path lets a SECURITY DEFINER function's body find the caller's temporary objects before its own: the caller's code would run with the owner's rights".into(),
                Some("name expert_network on the function's search_path and end it with pg_temp: SET search_path = expert_network, pg_catalog, pg_temp"),
            );
        }
        // A body judged with its functions and operators found in pg_catalog alone may leave them
        // unqualified; on a path that searches expert_network a role that may create there picks
        // them (see `definer.rs`).
        let searched_ours = match parts.as_deref() {
            Some([name]) | Some([_, name]) => self.sink.model.definer_searched_ours(name),
            _ => false,
        };
        if definer && !searched_ours && super::definer::path_searches_ours(&a.actions, &self.path) {
            self.refuse(
                Rule::UnqualifiedName,
                "this search_path lets a SECURITY DEFINER function's body find functions and operators in expert_network, where a role that may create there can add ones its unqualified calls pick: they would run with the owner's rights".into(),
                Some("write the function again with CREATE OR REPLACE FUNCTION and the new path, so its body is checked under it"),
            );
        }
        if body::security_definer(&a.actions) {
            self.refuse(
                Rule::UnqualifiedName,
                "ALTER FUNCTION ... SECURITY DEFINER makes a body checked as the caller's run with its owner's rights".into(),
                Some("write the function again with CREATE OR REPLACE FUNCTION ... SECURITY DEFINER, so its body is checked as a definer's"),
            );
        }
    }

    pub(super) fn define(&mut self, d: &pb::DefineStmt, n: Ref<'_>, stmt_ctx: Ctx) {
        let what = object_type(d.kind)
            .as_str_name()
            .trim_start_matches("OBJECT_")
            .to_lowercase();
        self.functions_defined_by(&d.definition);
        self.operators_linked_by(&d.definition, &d.definition);
        self.internal_wiring(d);
        self.created_names_then_descend(n, stmt_ctx, &d.defnames, &what);
    }

    /// The definitions that wire built-in C functions together over a structure the server passes
    /// between them as `internal`: an aggregate whose state (STYPE, MSTYPE) is `internal`, a text
    /// search template (INIT, LEXIZE) or parser (START, GETTOKEN, ...). The server lets only a
    /// superuser make them, as it cannot tell whether one function's structure is the one the next
    /// reads; the runner is one, and a mismatched pair read one C structure as another (PG 15:
    /// `SFUNC = array_agg_transfn, STYPE = internal, FINALFUNC = json_agg_finalfn`, and a template of
    /// `dsimple_init` with `dsnowball_lexize`, each crashed the server on its first call, every
    /// application's session cut off: refuse corpus 139). The fence cannot prove a set matches, so
    /// they are refused.
    fn internal_wiring(&mut self, d: &pb::DefineStmt) {
        let what = match object_type(d.kind) {
            pb::ObjectType::ObjectTstemplate => Some("a text search template"),
            pb::ObjectType::ObjectTsparser => Some("a text search parser"),
            pb::ObjectType::ObjectAggregate => d
                .definition
                .iter()
                .any(|e| match &e.node {
                    Some(N::DefElem(e)) if matches!(e.defname.as_str(), "stype" | "mstype") => {
                        matches!(inner(&e.arg), Some(N::TypeName(t)) if is_internal(t))
                    }
                    _ => false,
                })
                .then_some("an aggregate whose state is internal"),
            _ => None,
        };
        if let Some(what) = what {
            self.refuse(
                Rule::DatabaseWide,
                format!("{what} hands its functions a C structure the server cannot check they agree on: a mismatched set reads one as another and crashes the server"),
                Some("use an aggregate whose state is a SQL type (STYPE = anyarray, jsonb, a composite of expert_network), and the text search templates and parsers pg_catalog has"),
            );
        }
    }

    /// The support functions `CREATE OPERATOR CLASS` or `ALTER OPERATOR FAMILY ... ADD` names: the
    /// server lets only a superuser make these and checks little of them (PG 15 took a GIN class
    /// for text whose FUNCTION 2 is `gin_extract_tsvector(tsvector, internal, internal)`, and a
    /// btree one `FOR TYPE` a composite with `FUNCTION 1 (t, t) bttextcmp(text, text)`): an index's
    /// upkeep then hands the function values of a type it reads as another (a text read as a
    /// tsvector crashed the server in CREATE INDEX: refuse corpus 139). So a support function is
    /// accepted only where its types are the ones it will be given: no `internal` parameter or
    /// result (GiST, GIN, SP-GiST and BRIN functions, a btree's sort support: a C structure the
    /// server passes), and member types `(left, right)`, where written, its own parameter types.
    pub(super) fn support_function_types(&mut self, items: &[pb::Node]) {
        for i in super::resolve::function_items(items) {
            let args: Vec<&pb::TypeName> = i
                .name
                .iter()
                .flat_map(|f| &f.objargs)
                .filter_map(|a| match &a.node {
                    Some(N::TypeName(t)) => Some(t),
                    _ => None,
                })
                .collect();
            let typed = |t: &pb::TypeName| super::model::signature_type(t);
            let internal = args.iter().any(|t| is_internal(t));
            let members_differ = i.class_args.iter().enumerate().any(|(k, m)| {
                let Some(N::TypeName(m)) = &m.node else {
                    return true;
                };
                let own = args.get(k).or(args.first());
                own.and_then(|t| typed(t)).is_none() || own.and_then(|t| typed(t)) != typed(m)
            });
            if internal || members_differ {
                self.refuse(
                    Rule::DatabaseWide,
                    format!("support function {} of an operator class or family {}: an index's upkeep hands it values of a type it reads as another, which crashes the server", i.number, if internal { "takes internal, a C structure the server cannot check it matches" } else { "is given member types that are not its own parameter types" }),
                    Some("use the operator classes pg_catalog and expert_network's extensions have, or a btree or hash class whose functions take the class's own type"),
                );
            }
        }
    }

    /// `CREATE CAST (source AS target) WITH FUNCTION f(...) | WITH INOUT | WITHOUT FUNCTION [AS
    /// ASSIGNMENT | AS IMPLICIT]`. A cast belongs to no schema, but the server applies it only to
    /// values of its two types: one between two types no schema but expert_network holds changes
    /// how every application's expressions of them resolve (PG 15: `CREATE CAST (int4 AS text) WITH
    /// INOUT AS IMPLICIT` made every schema's `int4 = text` compare as text), while one from or to a
    /// type of expert_network's reaches only expressions over that type, which no other
    /// application's code holds without naming expert_network (a polymorphic `anyenum` operator of
    /// pg_catalog takes no cast: PG 15, with casts from varchar to an enum of expert_network and from
    /// it to text made `AS IMPLICIT`, an application's `v = 'a'`, `v = s`, `g(v)`, `v || 'x'` and
    /// `v < 'b'` over a varchar column of public planned exactly as before). Hibernate's projects
    /// write it for every enum
    /// (navikt/faktureringskomponenten's Flyway migrations: `CREATE CAST (character varying as
    /// fakturaserie_status) WITH INOUT AS IMPLICIT`; corpus 152 of pass/). The function it names
    /// runs in whatever session casts a value of the type, a SECURITY DEFINER body's too without a
    /// call naming it (an assignment to a column, a `::`): expert_network's own, counted among the
    /// functions the server calls for a type (`Model::implicit_functions`).
    ///
    /// `WITHOUT FUNCTION` makes the two types binary coercible: the server then hands one type's
    /// bytes to the other's functions unchanged, checking only that their length, passing and
    /// alignment agree, whichever schema holds them. A value whose bytes a statement chooses (a
    /// bytea, or a type of expert_network's holding a bound or a field) then becomes a range,
    /// composite or other value no input function checked: a forged TOAST pointer in it reads any
    /// table's stored values without a privilege check (PG 15 through `up`: a text range of
    /// expert_network's cast from bytea copied public.account's toasted id_token into a table of
    /// expert_network; a wrong size crashed the server), refuse corpus 138. So it is refused
    /// whatever its types; `WITH INOUT` and `WITH FUNCTION` convert through functions that check
    /// what they read.
    pub(super) fn create_cast(&mut self, c: &pb::CreateCastStmt) {
        if c.func.is_none() && !c.inout {
            self.refuse(
                Rule::DatabaseWide,
                "a cast WITHOUT FUNCTION makes its types binary coercible: the bytes of one are read as the other's, so a statement can forge a value (a TOAST pointer into any table) that no input function checked".into(),
                Some(&format!("convert through the types' text forms or a function of {SCHEMA}: CREATE CAST (varchar AS {SCHEMA}.status) WITH INOUT AS IMPLICIT")),
            );
        }
        if let (Some(source), Some(target)) = (&c.sourcetype, &c.targettype) {
            self.cast_types(source, target);
        }
        if let Some(f) = &c.func {
            self.object_node(Ref::ObjectWithArgs(f), "function");
        }
    }

    /// The two types a cast is made, dropped or commented on between (see `create_cast`): one of them
    /// must be expert_network's (`cast_type_ours`); each is a type named like any other.
    pub(super) fn cast_types(&mut self, source: &pb::TypeName, target: &pb::TypeName) {
        if !(self.cast_type_ours(source) || self.cast_type_ours(target)) {
            let name = |t: &pb::TypeName| {
                name_parts(&t.names)
                    .map(|p| p.join("."))
                    .unwrap_or_default()
            };
            self.refuse(
                Rule::DatabaseWide,
                format!("a cast between {} and {}, neither of them a type of {SCHEMA}, changes how every schema's expressions of those types resolve", name(source), name(target)),
                Some(&format!("cast only from or to a type of {SCHEMA}: CREATE CAST (varchar AS {SCHEMA}.status) WITH INOUT AS IMPLICIT")),
            );
        }
        self.node(Ref::TypeName(source), Ctx::default());
        self.node(Ref::TypeName(target), Ctx::default());
    }

    /// Whether a cast's type is expert_network's: written with the schema (its array type too), or
    /// unqualified where the server's lookup finds expert_network's, as for a column's type
    /// (`Walker::type_target`): outside string bodies (run under their caller's path), on a path that
    /// searches expert_network, a type or relation the migrations make there, no built-in's name and
    /// no temporary table's of the migration's session.
    fn cast_type_ours(&self, t: &pb::TypeName) -> bool {
        let model = self.sink.model;
        match name_parts(&t.names).as_deref() {
            Some([schema, _]) => schema == SCHEMA,
            Some([name]) => {
                !(self.body.is_function() || self.definer || self.caller_path)
                    && self.path.relations().contains(&SCHEMA)
                    && (model.has_type(name) || model.relation(name).is_some())
                    && !known::is_catalog_type(name)
                    && !model.is_temp(name)
            }
            _ => false,
        }
    }

    pub(super) fn alter_operator(&mut self, a: &pb::AlterOperatorStmt) {
        if let Some(o) = &a.opername {
            self.object_node(Ref::ObjectWithArgs(o), "operator");
        }
        self.functions_defined_by(&a.options);
        let args: Vec<pb::Node> = a.opername.iter().flat_map(|o| o.objargs.clone()).collect();
        self.operators_linked_by(&a.options, &args);
    }

    /// An operator's COMMUTATOR and NEGATOR (CREATE OPERATOR, ALTER OPERATOR ... SET): the server
    /// writes the operator they name, a shell it creates in that schema when there is none
    /// (`OPERATOR(public.###)` made one in public), or the existing operator's own link when it has
    /// none yet (`pg_catalog.-` for int4 would get a commutator of expert_network's). So they are
    /// written targets: in expert_network, or unqualified only over a type of the schema's (which no
    /// other schema's operator takes) while the path's first schema is expert_network. `types` holds the operator's argument types (LEFTARG/RIGHTARG
    /// elements, or ALTER OPERATOR's argument list).
    fn operators_linked_by(&mut self, options: &[pb::Node], types: &[pb::Node]) {
        let ours = types.iter().any(|t| {
            let t = match &t.node {
                Some(N::DefElem(d)) if matches!(d.defname.as_str(), "leftarg" | "rightarg") => inner(&d.arg),
                other => other.as_ref(),
            };
            matches!(t, Some(N::TypeName(t)) if name_parts(&t.names).is_some_and(|p| p.len() == 2 && p[0] == SCHEMA))
        });
        for o in options {
            let Some(N::DefElem(d)) = &o.node else {
                continue;
            };
            if !matches!(d.defname.as_str(), "commutator" | "negator") {
                continue;
            }
            let parts = match inner(&d.arg) {
                Some(N::List(l)) => name_parts(&l.items),
                Some(N::TypeName(t)) => name_parts(&t.names),
                _ => None,
            };
            match parts {
                // Unqualified, a shell the server makes for a name it finds nowhere lands in the
                // path's first schema (get_other_operator's QualifiedNameGetCreationNamespace), not
                // the operator's: pg_catalog after `SET search_path = pg_catalog, expert_network`,
                // where the guard does not look (even `COMMUTATOR = ===` of expert_network.=== then
                // made pg_catalog.===).
                Some(p) if p.len() == 1 && ours && self.path.creation() == Some(SCHEMA) => {}
                Some(p) if p.len() == 1 && ours => self.refuse(
                    Rule::UnqualifiedName,
                    format!("the {} {} would be made in the search_path's first schema, which is not {SCHEMA} here", d.defname, p[0]),
                    Some(&format!("write {} = OPERATOR({SCHEMA}.{})", d.defname.to_uppercase(), p[0])),
                ),
                Some(p) if p.len() == 1 => self.refuse(
                    Rule::UnqualifiedName,
                    format!("the {} {} may resolve to an operator of pg_catalog, which the server would change", d.defname, p[0]),
                    Some(&format!("write {} = OPERATOR({SCHEMA}.{})", d.defname.to_uppercase(), p[0])),
                ),
                Some(p) => self.target(&p, "operator"),
                None => {}
            }
        }
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

    /// A DELETE, MERGE, CALL, call of the migrations' own function, or an INSERT or UPDATE of a
    /// table whose triggers or stored expressions run one, in a DO block of a no-transaction file
    /// that commits or rolls back (`Walker::unguarded`): the runner sends such a block bare, with no
    /// database-side check around it, and a delete of expert_network's rows fires what only that
    /// check sees: another application's foreign key referencing the table (the application's role
    /// holds REFERENCES on it), whose ON DELETE action writes that application's rows (the runner
    /// refuses other roles' triggers and functions in expert_network before it starts; their keys
    /// live in their own schemas). A batched backfill's plain UPDATE of a table with none of the
    /// migrations' triggers still passes (an UPDATE that changes a referenced key would fire an
    /// ON UPDATE action: the fence does not tell key columns apart). PG 15 through `up`: such a block's `DELETE FROM
    /// expert_network.vendor_platforms` deleted public.partner_links' row through that table's
    /// cascading key, applied with exit 0; the same DELETE in a block that does not commit was
    /// caught by the check and rolled back (exit 3): refuse corpus 141.
    ///
    /// The same holds for the other statements the runner sends bare (`bare_maintenance`: CREATE
    /// INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, ...): a call of the migrations' own
    /// function or operator in their expressions or predicate runs that body there, and whatever
    /// the fence let through in it because the check follows each migration (a computed EXECUTE
    /// under an earlier file's opt-in, a DELETE another application's key acts on) runs unseen
    /// (PG 15 through `up`: a `CREATE INDEX CONCURRENTLY ... (expert_network.key(id))` whose
    /// function's EXECUTE rewrote public.account's rows, the file applied and recorded, exit 0;
    /// refuse corpus 146).
    pub(super) fn unguarded_write(&mut self, what: &str) {
        if !self.unguarded {
            return;
        }
        match self.body {
            Body::Do => self.refuse(
                Rule::OutsideSchema,
                format!("{what} in a DO block that commits, in a no-transaction file, runs with no database-side check: another application's foreign key referencing a table of {SCHEMA} whose rows it deletes acts outside {SCHEMA} unseen"),
                Some("write it as a statement of its own in the no-transaction file (each runs guarded), or in a transactional file, or in batches of statements rather than a DO block that commits"),
            ),
            Body::Top => self.refuse(
                Rule::OutsideSchema,
                format!("{what} in a statement a no-transaction file runs bare (a CONCURRENTLY form, VACUUM) runs with no database-side check: what its body does outside {SCHEMA} (a computed EXECUTE, another application's foreign key acting on rows it deletes) goes unseen"),
                Some("build the index from pg_catalog's functions and operators only, or build it without CONCURRENTLY in a transactional file"),
            ),
            _ => {}
        }
    }

    /// The name `parts` gives in expert_network (qualified so, or unqualified: the pinned path
    /// searches it first), in a statement the runner sends bare; None elsewhere.
    fn unguarded_own<'p>(&self, parts: &'p [String]) -> Option<&'p String> {
        match parts {
            _ if !self.unguarded => None,
            [s, name] if s == SCHEMA => Some(name),
            [name] => Some(name),
            _ => None,
        }
    }

    /// An operator of expert_network's (the migrations make one of that name) in a statement the
    /// runner sends bare: its function runs there as a call of it would (`unguarded_write`).
    pub(super) fn unguarded_operator(&mut self, parts: &[String]) {
        let Some(op) = self.unguarded_own(parts) else {
            return;
        };
        if self
            .sink
            .model
            .operator_functions(op)
            .iter()
            .any(|f| self.sink.model.acting(f))
        {
            self.unguarded_write(&format!("the operator {op} of {SCHEMA}"));
        }
    }

    /// A type of expert_network's named in a statement the runner sends bare (a cast in an index's
    /// expression): a coercion to a domain runs its CHECKs, and their calls of the migrations'
    /// acting functions run unseen (`unguarded_write`; PG 15 through `up`: a concurrent index of
    /// `(id::expert_network.c148_dom)`, whose CHECK called an earlier file's EXECUTE, emptied
    /// public.partner_links with exit 0; refuse corpus 148).
    pub(super) fn unguarded_type(&mut self, parts: &[String]) {
        let Some(ty) = self.unguarded_own(parts) else {
            return;
        };
        if let Some(f) = self
            .sink
            .model
            .domain_calls(ty)
            .into_iter()
            .find(|f| self.sink.model.acting(f))
        {
            self.unguarded_write(&format!(
                "a coercion to {SCHEMA}.{ty}, whose CHECK calls {f}(),"
            ));
        }
    }

    /// REINDEX CONCURRENTLY or VACUUM in a no-transaction file, sent bare: it evaluates the stored
    /// expressions of the indexes it rebuilds or summarizes and of the statistics it gathers, and
    /// the operator classes' support functions of what it sorts, none named in the statement
    /// (`Model::maintenance_calls`). Where the migrations' own functions are among them it runs
    /// their bodies with no check after (as `unguarded_write`): refused while what is stored on the
    /// tables it works on (`on`: those it names, an index's table; None where the fence cannot tell,
    /// and then every relation's) holds any. A CREATE INDEX CONCURRENTLY evaluates only its own
    /// expressions (`unguarded_write` judges their calls) and its columns' types' support: `stored`
    /// false counts only the latter.
    pub(super) fn unguarded_maintenance(
        &mut self,
        what: &str,
        stored: bool,
        on: Option<&[String]>,
    ) {
        if !self.unguarded {
            return;
        }
        let calls = self.sink.model.maintenance_calls(stored, on);
        if calls.is_empty() {
            return;
        }
        let list = calls.join("(), ");
        self.refuse(
            Rule::OutsideSchema,
            format!("{what} in a no-transaction file runs bare, with no database-side check, and evaluates the stored expressions and operator class support of what it rebuilds or analyzes, among which the migrations' own {list}(): what their bodies do outside {SCHEMA} (a computed EXECUTE, another application's foreign key acting on rows they delete) goes unseen"),
            Some("run it in a transactional file (REINDEX without CONCURRENTLY, ANALYZE), or keep the migrations' functions out of stored expressions"),
        );
    }

    /// The name of expert_network's relation a maintenance statement names (qualified so, or
    /// unqualified: the pinned path searches expert_network first), for `unguarded_maintenance`;
    /// None for a temporary one, whose stored expressions count under `pg_temp.name`.
    fn maintained(&self, rv: &pb::RangeVar) -> Option<String> {
        // Unqualified, a name the migrations make temporary may be the session's temporary table
        // (a path may search pg_temp first): the fence cannot tell which.
        (rv.schemaname == SCHEMA
            || (rv.schemaname.is_empty() && !self.sink.model.is_temp(&rv.relname)))
        .then(|| rv.relname.clone())
    }

    /// `maintained`, for a table the migrations are seen making: only then is what is stored on it
    /// known (`unguarded_maintenance` counts every relation's otherwise).
    fn maintained_table(&self, rv: &pb::RangeVar) -> Option<String> {
        self.maintained(rv)
            .filter(|t| self.sink.model.relation(t).is_some())
    }

    /// A CASCADE (DROP, TRUNCATE, ALTER TABLE ... DROP, ALTER DOMAIN ... DROP) in a no-transaction
    /// file: it drops or empties, with expert_network's object, what other schemas hold that depends
    /// on it (another application's view over a table, its column of an enum, its rows with a foreign
    /// key to a table), and after a transactional migration the database-side check rolls that back,
    /// but nothing checks a no-transaction file (corpus 74).
    pub(super) fn cascade(&mut self, behavior: i32, what: &str) {
        if self.no_transaction && behavior == pb::DropBehavior::DropCascade as i32 {
            self.refuse(
                Rule::OutsideSchema,
                format!("{what} ... CASCADE in a no-transaction file reaches whatever depends on the object in other schemas, and no database-side check follows it"),
                Some("move the statement to a transactional migration, or name what to drop and leave CASCADE out"),
            );
        }
    }

    pub(super) fn drop(&mut self, d: &pb::DropStmt) {
        let ot = object_type(d.remove_type);
        self.cascade(d.behavior, "DROP");
        if d.concurrent && !self.no_transaction {
            self.concurrently("DROP INDEX CONCURRENTLY");
        }
        // `policy::paths` leaves expert_network out of the path after a statement that may drop it,
        // read by its words; a body's `DROP SCHEMA U&"expert\005fnetwork"` holds none of them, and
        // the rest of the file was judged with the schema there (refuse corpus 111).
        let ours = |o: &pb::Node| matches!(&o.node, Some(N::String(s)) if s.sval == SCHEMA);
        if ot == pg_query::protobuf::ObjectType::ObjectSchema && d.objects.iter().any(ours) {
            let top = self
                .sink
                .text
                .get(self.stmt_start..self.stmt_end)
                .unwrap_or_default();
            if !super::policy::may_drop_schema(top) {
                self.refuse(
                    Rule::OutsideSchema,
                    format!("DROP SCHEMA {SCHEMA} spelled so that the fence does not see the schema may be gone after it"),
                    Some(&format!("write DROP SCHEMA {SCHEMA} with the schema's name as a plain word")),
                );
            }
        }
        for o in &d.objects {
            if self.temp_function(ot, o) || (d.missing_ok && self.dropped_if_exists(ot, o)) {
                continue;
            }
            self.object(ot, o);
        }
    }

    /// Whether `o` is a relation of kind `ot` named unqualified by `DROP ... IF EXISTS` that the
    /// search_path can find only in expert_network or the session's pg_temp (`resolve.rs`), a
    /// function of a name pg_catalog has none of (`Walker::routine_found_only_in_ours`), or a
    /// statistics object (`Walker::statistics_found_only_in_ours`).
    fn dropped_if_exists(&self, ot: pg_query::protobuf::ObjectType, o: &pb::Node) -> bool {
        let relation = super::walk::is_relation_kind(ot);
        let name = match &o.node {
            Some(N::List(l)) => name_parts(&l.items),
            _ => None,
        };
        match name.as_deref() {
            Some([rel]) if relation => self.unmade_outside_the_catalogs(rel),
            Some([_]) if ot == pg_query::protobuf::ObjectType::ObjectStatisticExt => {
                self.statistics_found_only_in_ours()
            }
            _ => match &o.node {
                Some(N::ObjectWithArgs(f)) => matches!(name_parts(&f.objname).as_deref(),
                    Some([name]) if self.routine_found_only_in_ours(name, &object_words(ot))),
                _ => false,
            },
        }
    }

    /// `o` when it names, unqualified, a function, procedure or routine that the migrations create in
    /// expert_network (`DROP PROCEDURE create_attribute_view();`, Mattermost's
    /// 000137_update_attribute_view.up.sql; `GRANT EXECUTE ON FUNCTION get_next_aggregate_version(UUID)
    /// TO web`, Tamarou/Registry's; COMMENT ON, ALTER ... RENAME TO, OWNER TO, which the model reads
    /// unqualified too), in the migration's own session (the file's statements
    /// and DO blocks, never a kept body, which runs under its caller's path), on a path that searches
    /// functions only in expert_network and pg_catalog, for a name that no PostgreSQL from 13 to 18
    /// has a function of in pg_catalog (`known::function`): the server looks a routine named by DROP
    /// up on the path (pg_temp is never searched for functions), and the only schemas it can find one
    /// of that name in are then expert_network. A name no migration makes stays refused.
    pub(super) fn own_routine_unqualified<'o>(
        &self,
        ot: pg_query::protobuf::ObjectType,
        o: &'o pb::Node,
    ) -> Option<&'o pb::ObjectWithArgs> {
        match &o.node {
            Some(N::ObjectWithArgs(f)) => match name_parts(&f.objname).as_deref() {
                // Where and under which path: `routine_found_only_in_ours`; which name: one the
                // migrations make.
                Some([name])
                    if self.routine_found_only_in_ours(name, &object_words(ot))
                        && self.sink.model.has_function(name) =>
                {
                    Some(f)
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether `o` names a function in pg_temp from the migration's own session (DROP FUNCTION
    /// pg_temp.helper(int) after a backfill): only the session's temporary schema is reached.
    fn temp_function(&self, ot: pg_query::protobuf::ObjectType, o: &pb::Node) -> bool {
        use pg_query::protobuf::ObjectType as O;
        if !self.in_session
            || !matches!(
                ot,
                O::ObjectFunction | O::ObjectProcedure | O::ObjectRoutine
            )
        {
            return false;
        }
        matches!(&o.node, Some(N::ObjectWithArgs(f))
            if matches!(name_parts(&f.objname).as_deref(), Some([s, _]) if s == "pg_temp"))
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
}

/// Whether an ALTER TABLE subcommand only drops what runs no code when it goes: a constraint, a
/// column, a column's DEFAULT or NOT NULL.
fn only_drops(c: &pb::AlterTableCmd) -> bool {
    use pg_query::protobuf::AlterTableType as T;
    [T::AtDropConstraint, T::AtDropColumn, T::AtDropNotNull]
        .iter()
        .any(|&t| c.subtype == t as i32)
        || (c.subtype == T::AtColumnDefault as i32 && c.def.is_none())
}

/// The composite type an `ALTER TYPE comp ADD | DROP | ALTER ATTRIBUTE` or `RENAME ATTRIBUTE` names
/// unqualified. The server looks it up as a relation (pg_class holds it), on the path as `ALTER TABLE`
/// does (the session's pg_temp, then the path; every relation initdb makes in pg_catalog is named
/// `pg_*`), so it resolves as a column's type does (`type_target`), to the one the migrations make
/// in expert_network (PG 15, under `SET search_path TO expert_network`: `CREATE TYPE comp AS (x int,
/// y text)`, then each of those four changed expert_network.comp).
fn composite_type_unqualified(objtype: i32, rel: Option<&pb::RangeVar>) -> Option<&pb::RangeVar> {
    rel.filter(|rv| {
        objtype == pg_query::protobuf::ObjectType::ObjectType as i32
            && rv.schemaname.is_empty()
            && rv.catalogname.is_empty()
    })
}

/// Whether a written type is the pseudo-type `internal` (a C pointer the server passes).
fn is_internal(t: &pb::TypeName) -> bool {
    super::model::signature_type(t).as_deref() == Some("internal")
}
