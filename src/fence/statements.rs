//! What each statement kind may do: the allowlist. `statement` is an exhaustive match over the
//! statement kinds pg_query knows (`nodes::Stmt`, generated), so a kind added to pg_query does not
//! compile until it is given an arm here; the kinds not allowed are refused by name. Expression-level
//! nodes with a check of their own (a relation, a function call, a type, a cast to `regclass`) have an
//! arm in `typed_node`; every other node is descended generically, field by field.

use super::nodes::{Ref, Stmt};
use super::walk::{
    inner, name_parts, signature_type, split_qualified, split_signature, Ctx, Walker,
};
use super::{body, Rule, SCHEMA};
use pg_query::protobuf::{self as pb, node::Node as N};

/// Whether a statement of this kind keeps expressions that run later, in whatever session uses the
/// object (a view, a default, a check, a policy, a trigger's WHEN, a rule, a BEGIN ATOMIC body, a
/// materialized view refreshed later), rather than running them now under the migration's path. Every
/// kind but those that run at once counts as keeping them, so a kind added later fails closed.
fn stores_expressions(s: &Stmt<'_>) -> bool {
    match s {
        Stmt::CreateTableAsStmt(c) => c.objtype == pb::ObjectType::ObjectMatview as i32,
        Stmt::SelectStmt(_)
        | Stmt::InsertStmt(_)
        | Stmt::UpdateStmt(_)
        | Stmt::DeleteStmt(_)
        | Stmt::MergeStmt(_)
        | Stmt::CallStmt(_)
        | Stmt::DoStmt(_)
        | Stmt::ExplainStmt(_)
        | Stmt::CopyStmt(_)
        | Stmt::PlassignStmt(_)
        | Stmt::ReturnStmt(_)
        | Stmt::VariableSetStmt(_)
        | Stmt::VariableShowStmt(_)
        | Stmt::TruncateStmt(_)
        | Stmt::LockStmt(_)
        | Stmt::NotifyStmt(_)
        | Stmt::ConstraintsSetStmt(_) => false,
        _ => true,
    }
}

/// What runs the expressions `Walker::owner_runs` walks, with their relation's owner's rights.
const INDEX_RUN: &str = "ANALYZE (autovacuum's too, after any role's writes), REINDEX or CLUSTER, evaluating an index's expressions or predicate as the table's owner,";
const STATISTICS_RUN: &str = "ANALYZE (autovacuum's too, after any role's writes), evaluating a statistics object's expressions as the table's owner,";
const RANGE_RUN: &str = "ANALYZE (autovacuum's too, after any role's writes), measuring a sample of a column of the range type with its SUBTYPE_DIFF as the table's owner,";
const MATVIEW_RUN: &str = "REFRESH MATERIALIZED VIEW (a SECURITY DEFINER body's, or from PostgreSQL 17 any role's holding MAINTAIN), running the materialized view's query as its owner,";
const OPCLASS_RUN: &str = "a foreign key's check or action (comparing the keys with the operator family's equality operator and scanning its index as the referenced or referencing table's owner, in the session and under the search_path of any role that writes a row; any role with REFERENCES on the table may add the referencing table), or maintenance (ANALYZE, VACUUM, REINDEX, CLUSTER) comparing or indexing values of the operator class's type as the table's owner,";

/// Types whose text input is a name: a string cast to one names an object.
pub(super) const REG_TYPES: &[&str] = &[
    "regclass",
    "regtype",
    "regproc",
    "regprocedure",
    "regoper",
    "regoperator",
    "regconfig",
    "regdictionary",
    "regcollation",
];

/// The options of CREATE OPERATOR / AGGREGATE / TYPE / range types and CREATE SEQUENCE whose value is a type.
const TYPE_OPTIONS: &[&str] = &[
    "leftarg", "rightarg", "stype", "mstype", "basetype", "element", "like", "subtype", "as",
];

/// The statements whose node name is not their SQL spelled in capitals (see `sql_kind`).
const SQL_NAMES: &[(&str, &str)] = &[
    (
        "AlterDatabaseRefreshCollStmt",
        "ALTER DATABASE REFRESH COLLATION VERSION",
    ),
    ("AlterEventTrigStmt", "ALTER EVENT TRIGGER"),
    ("AlterExtensionContentsStmt", "ALTER EXTENSION ADD/DROP"),
    ("AlterFdwStmt", "ALTER FOREIGN DATA WRAPPER"),
    ("AlterObjectDependsStmt", "ALTER ... DEPENDS ON EXTENSION"),
    ("AlterOpFamilyStmt", "ALTER OPERATOR FAMILY"),
    ("AlterSeqStmt", "ALTER SEQUENCE"),
    ("AlterStatsStmt", "ALTER STATISTICS"),
    ("AlterTableMoveAllStmt", "ALTER ... ALL IN TABLESPACE"),
    ("AlterTableSpaceOptionsStmt", "ALTER TABLESPACE"),
    (
        "AlterTsconfigurationStmt",
        "ALTER TEXT SEARCH CONFIGURATION",
    ),
    ("AlterTsdictionaryStmt", "ALTER TEXT SEARCH DICTIONARY"),
    ("CheckPointStmt", "CHECKPOINT"),
    ("CreateAmStmt", "CREATE ACCESS METHOD"),
    ("CreateEventTrigStmt", "CREATE EVENT TRIGGER"),
    ("CreateFdwStmt", "CREATE FOREIGN DATA WRAPPER"),
    ("CreateOpClassStmt", "CREATE OPERATOR CLASS"),
    ("CreateOpFamilyStmt", "CREATE OPERATOR FAMILY"),
    ("CreatePlangStmt", "CREATE LANGUAGE"),
    ("CreateSeqStmt", "CREATE SEQUENCE"),
    ("CreateStatsStmt", "CREATE STATISTICS"),
    ("CreateTableSpaceStmt", "CREATE TABLESPACE"),
    ("CreateTrigStmt", "CREATE TRIGGER"),
    ("CreatedbStmt", "CREATE DATABASE"),
    ("DropTableSpaceStmt", "DROP TABLESPACE"),
    ("DropdbStmt", "DROP DATABASE"),
    ("RefreshMatViewStmt", "REFRESH MATERIALIZED VIEW"),
    ("SecLabelStmt", "SECURITY LABEL"),
];

/// "CreatePublicationStmt" -> "CREATE PUBLICATION": the statement's SQL words for messages.
pub(super) fn sql_kind(ty: &str) -> String {
    if let Some((_, sql)) = SQL_NAMES.iter().find(|(node, _)| *node == ty) {
        return sql.to_string();
    }
    let t = ty.trim_end_matches("Stmt");
    let mut out = String::new();
    for (i, c) in t.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(c.to_uppercase());
    }
    out
}

impl Walker<'_, '_> {
    /// An operator class's (or family's) operators and support functions run, with the owner's
    /// rights, wherever maintenance compares or indexes a value of its type: ANALYZE sorting a
    /// column's sample by its type's default class, an index's upkeep in VACUUM, REINDEX or CLUSTER.
    /// And a foreign key's queries run them as a table's owner in the session of whatever role
    /// writes, under that role's search_path: the check of a referencing row reads the referenced
    /// table as its owner, comparing with the equality operator of the family of the referenced
    /// key's unique index and scanning that index with the family's support function (the actions,
    /// as the referencing table's owner, compare and upkeep its indexes so too). Any role with
    /// REFERENCES on the table may add the referencing table itself (PG 15: the application's role
    /// made one, and its insert ran its own `expert_network.lower(text)` as the superuser through
    /// the operator's function, which had no path of its own; corpus 93). So where a foreign key's
    /// queries may apply the class (`foreign_keys_apply`), the caller's path counts as searching
    /// expert_network, as for a foreign key's action (`referential_writes`); elsewhere it is
    /// maintenance's. Judged as the calls of an expression the owner runs (`owner_runs`), as every
    /// SECURITY DEFINER body counts as their caller (`implicit_functions`).
    fn maintained_support_functions(&mut self, amname: &str, items: &[pb::Node]) {
        let by_foreign_keys = self.foreign_keys_apply(amname, items);
        self.owner_runs(OPCLASS_RUN, |w| {
            w.atomic_searches_ours = by_foreign_keys;
            for name in w.sink.model.implicit_functions() {
                w.definer_calls_invoker(&name);
            }
        });
    }

    /// Whether a foreign key's queries may apply an operator class or family of access method
    /// `amname` holding `items`: the server takes a key's equality operator from the btree family of
    /// the referenced key's unique index (it refuses any other method there), and the queries scan
    /// whatever index of the queried table has a family holding that operator, a hash one included.
    /// So a btree class counts, and a hash one with an operator a btree family may hold: one of the
    /// migrations' own, or pg_catalog's named `=` or `*=` (the only names of pg_catalog's btree
    /// equality operators, PostgreSQL 13 to 18). Other methods' support functions take `internal`,
    /// which only C can, and their operators are not a key's.
    fn foreign_keys_apply(&self, amname: &str, items: &[pb::Node]) -> bool {
        // OPCLASS_ITEM_OPERATOR in PostgreSQL's parsenodes.h.
        const OPERATOR: i32 = 1;
        match amname {
            "btree" => true,
            "hash" => items.iter().any(|item| {
                let Some(N::CreateOpClassItem(i)) = &item.node else {
                    return false;
                };
                let parts = i.name.as_ref().and_then(|n| name_parts(&n.objname));
                i.itemtype == OPERATOR
                    && match parts.as_deref() {
                        Some([op]) => {
                            matches!(op.as_str(), "=" | "*=")
                                || !self.sink.model.operator_functions(op).is_empty()
                        }
                        Some([schema, op]) if schema == "pg_catalog" => {
                            matches!(op.as_str(), "=" | "*=")
                        }
                        _ => true,
                    }
            }),
            _ => false,
        }
    }

    /// A tablespace a statement places what it makes or moves in (`CREATE TABLE ... TABLESPACE`,
    /// `CREATE INDEX ... TABLESPACE`, `USING INDEX TABLESPACE`, `CREATE MATERIALIZED VIEW ...
    /// TABLESPACE`, `ALTER ... SET TABLESPACE`, `REINDEX (TABLESPACE ...)`): a tablespace is
    /// database-wide, another application's storage, as `SET default_tablespace` is refused for
    /// (PG 15: expert_network's table landed in the other application's tablespace's directory,
    /// and that application's `DROP TABLESPACE` then fails, not empty; corpus 95). pg_default, the
    /// cluster's own, where everything without a clause goes, passes.
    fn tablespace_named(&mut self, n: Ref<'_>) {
        // AT_SetTableSpace of ALTER TABLE / INDEX / MATERIALIZED VIEW.
        const SET_TABLESPACE: i32 = pb::AlterTableType::AtSetTableSpace as i32;
        let space = match n {
            Ref::CreateStmt(c) => c.tablespacename.as_str(),
            Ref::IndexStmt(i) => i.table_space.as_str(),
            Ref::IntoClause(i) => i.table_space_name.as_str(),
            Ref::Constraint(c) => c.indexspace.as_str(),
            Ref::AlterTableCmd(c) if c.subtype == SET_TABLESPACE => c.name.as_str(),
            Ref::DefElem(d) if d.defname == "tablespace" => match inner(&d.arg) {
                Some(N::String(v)) => v.sval.as_str(),
                Some(N::TypeName(t)) => match t.names.as_slice() {
                    [pb::Node {
                        node: Some(N::String(v)),
                    }] => v.sval.as_str(),
                    _ => "",
                },
                _ => "",
            },
            _ => "",
        };
        if !space.is_empty() && space != "pg_default" {
            self.refuse(
                Rule::DatabaseWide,
                format!("TABLESPACE {space}: a tablespace is database-wide, outside schema {SCHEMA}"),
                Some("leave the TABLESPACE clause out (or write pg_default): expert_network's objects live in the database's default tablespace"),
            );
        }
    }

    pub(super) fn typed_node(&mut self, n: Ref<'_>, ctx: Ctx) {
        self.tablespace_named(n);
        match n {
            Ref::RangeVar(rv) => self.range_var(rv, ctx),
            Ref::FuncCall(f) => {
                self.function_call(f);
                self.descend(n, ctx);
            }
            Ref::TypeCast(c) => {
                let reg = c.type_name.as_ref().and_then(super::reg_values::reg_type);
                if let (Some((ty, array)), Some(arg)) = (reg, inner(&c.arg)) {
                    self.reg_value(arg, &ty, array, false);
                }
                self.descend(n, ctx);
            }
            Ref::ColumnRef(c) => {
                let f = &c.fields;
                if f.len() >= 3 {
                    if let Some(N::String(sb)) = &f[f.len() - 3].node {
                        let rel = match &f[f.len() - 2].node {
                            Some(N::String(r)) => r.sval.as_str(),
                            _ => "",
                        };
                        // A column reference only reads.
                        self.schema(&sb.sval, rel, true);
                    }
                }
                self.descend(n, ctx);
            }
            Ref::TypeName(t) => {
                if let Some(parts) = name_parts(&t.names) {
                    self.type_reference(&parts, t.pct_type);
                    if !t.pct_type {
                        self.definer_type(&parts, false);
                        self.unguarded_type(&parts);
                    }
                }
                self.descend(n, ctx);
            }
            Ref::AExpr(a) => {
                if let Some(parts) = name_parts(&a.name) {
                    self.reference(&parts);
                    self.owner_runs_operator(&parts);
                    self.unguarded_operator(&parts);
                }
                // BETWEEN is parsed into `>=` and `<=` (SYMMETRIC: `<=` and `>=` both ways).
                use pb::AExprKind as K;
                if matches!(
                    K::try_from(a.kind),
                    Ok(K::AexprBetween
                        | K::AexprNotBetween
                        | K::AexprBetweenSym
                        | K::AexprNotBetweenSym)
                ) {
                    self.owner_runs_operator(&[">=".to_string()]);
                    self.owner_runs_operator(&["<=".to_string()]);
                }
                self.implied_operators(n);
                self.descend(n, ctx);
            }
            Ref::SubLink(_) | Ref::CaseExpr(_) | Ref::JoinExpr(_) | Ref::SortBy(_) => {
                // `CASE x WHEN v` compares with `=`.
                if matches!(n, Ref::CaseExpr(c) if c.arg.is_some()) {
                    self.owner_runs_operator(&["=".to_string()]);
                }
                self.implied_operators(n);
                self.descend(n, ctx);
            }
            Ref::CollateClause(c) => {
                if let Some(parts) = name_parts(&c.collname) {
                    self.reference(&parts);
                }
                self.descend(n, ctx);
            }
            Ref::IndexElem(e) => {
                self.references(&[&e.opclass, &e.collation]);
                self.descend(n, ctx);
            }
            Ref::PartitionElem(e) => {
                self.references(&[&e.opclass, &e.collation]);
                self.descend(n, ctx);
            }
            // A default of a reg* column, domain or parameter: the server coerces its literal to the
            // type, so `cfg regconfig DEFAULT 'public.english'` names public's configuration (and
            // records a dependency on it).
            Ref::ColumnDef(c) => {
                self.reg_defaults(
                    c.type_name.as_ref(),
                    &c.constraints,
                    c.raw_default.as_deref(),
                );
                self.descend(n, ctx);
            }
            Ref::FunctionParameter(p) => {
                self.reg_defaults(p.arg_type.as_ref(), &[], p.defexpr.as_deref());
                self.descend(n, ctx);
            }
            // An EXCLUDE constraint is an index: its expressions and predicate run as an index's,
            // and each of its operators is named.
            Ref::Constraint(c) if !c.exclusions.is_empty() => {
                for ex in &c.exclusions {
                    if let Some(N::List(l)) = &ex.node {
                        for item in &l.items {
                            if let Some(N::List(ops)) = &item.node {
                                if let Some(parts) = name_parts(&ops.items) {
                                    self.reference(&parts);
                                }
                            }
                        }
                    }
                }
                self.owner_runs(INDEX_RUN, |w| w.descend(n, ctx));
            }
            // An identity column's SEQUENCE NAME names the sequence the server creates for it (the
            // server then fails to own it from another schema, but the fence does not lean on that).
            // Unqualified, it is made in its table's schema, not the path's first (PostgreSQL's
            // generateSerialSequence, as for serial's implied sequence), so the table's own name
            // judges where it lands; the option is refused anywhere but an identity column.
            Ref::DefElem(d) if d.defname == "sequence_name" => {
                if let Some(N::List(l)) = inner(&d.arg) {
                    match name_parts(&l.items) {
                        Some(parts) if parts.len() == 1 => {}
                        Some(parts) => self.target(&parts, "sequence"),
                        None => {}
                    }
                }
            }
            // A range type's MULTIRANGE_TYPE_NAME names the multirange type (and its array type) the
            // server creates with it, in the schema written there, not the range's: a
            // `pg_catalog.session` made there shadows the row type of public.session for every
            // application's unqualified `::session`, and the guard leaves pg_catalog and
            // information_schema to the server. Unqualified, it lands in the path's first schema
            // (QualifiedNameGetCreationNamespace), which a `SET search_path = pg_catalog, ...` moves,
            // so it is judged as any created object's name: written with expert_network.
            Ref::DefElem(d) if d.defname == "multirange_type_name" => {
                let parts = match inner(&d.arg) {
                    Some(N::TypeName(t)) => name_parts(&t.names),
                    Some(N::List(l)) => name_parts(&l.items),
                    _ => None,
                };
                match parts {
                    Some(parts) => self.target(&parts, "multirange type"),
                    // A string ('pg_catalog.x') is one unqualified name, dot and all.
                    None => self.refuse(
                        Rule::UnqualifiedName,
                        "MULTIRANGE_TYPE_NAME not written as a schema-qualified name".into(),
                        Some(&format!("write MULTIRANGE_TYPE_NAME = {SCHEMA}.name")),
                    ),
                }
            }
            // An option's value written as a bare word parses as a TypeName (`provider = icu`,
            // `autovacuum_enabled = off`, `input = my_in`): a type only for the options that take
            // one; otherwise a name, checked as any reference is.
            Ref::DefElem(d) if !TYPE_OPTIONS.contains(&d.defname.as_str()) => match inner(&d.arg) {
                Some(N::TypeName(t)) => {
                    if let Some(parts) = name_parts(&t.names) {
                        self.reference(&parts);
                    }
                }
                // A qualified name written as a list (`SORTOP = OPERATOR(public.>)`, `FROM public.x`
                // of CREATE COLLATION): a reference like any other. OWNED BY's table.column is
                // judged by `owned_by`.
                Some(N::List(l)) if d.defname != "owned_by" => match name_parts(&l.items) {
                    Some(parts) if parts.len() >= 2 => self.reference(&parts),
                    _ => self.descend(n, ctx),
                },
                _ => self.descend(n, ctx),
            },
            Ref::IntoClause(i) => {
                self.created_relation(i.rel.as_ref(), ctx, "table");
                let skip = [i.rel.as_ref().map(|r| Ref::RangeVar(r).addr())];
                self.descend_except(n, Ctx { read: false, ..ctx }, &skip);
            }
            _ => match n.stmt() {
                Some(s) => self.statement_kind(s, n, ctx),
                None => self.descend(n, ctx),
            },
        }
    }

    /// The values of a setting the server reads as an object's name when the session uses it:
    /// `default_text_search_config` names the text search configuration every `to_tsvector(x)`,
    /// `plainto_tsquery(x)`, ... without one applies, as a regconfig literal does (PG 15: a
    /// function `SET default_text_search_config = 'public.english'` indexed with public's
    /// configuration; corpus 94). Looked up when used, under the path then: judged as a name
    /// looked up late. (search_path, the other, is `policy::setting`'s.)
    pub(super) fn setting_names(&mut self, setting: &str, values: &[String]) {
        if setting.eq_ignore_ascii_case("default_text_search_config") {
            for v in values {
                self.name_literal(v.trim(), "regconfig", true);
            }
        }
    }

    /// A string the server reads as the name of an object because it is coerced to `ty` (a cast, a
    /// reg* parameter of a built-in, a reg* column's default, an element of an array of `ty`):
    /// judged as that name written would be. Unqualified it resolves under the path as any written
    /// name does (`'english'`: pg_catalog's); `late`, it is looked up when the expression runs (it
    /// reaches `ty` as text), under the path of the session that runs it (see `named_by_text`).
    pub(super) fn name_literal(&mut self, text: &str, ty: &str, late: bool) {
        match ty {
            "regclass" => self.named_by_text(text, "regclass", false, late),
            "regnamespace" => self.schema(&text.to_lowercase(), "", true),
            t if REG_TYPES.contains(&t) => {
                // A regprocedure or regoperator names its argument types too: each is a type
                // looked up, judged as a written one; the name is what precedes them.
                let (name, args) = split_signature(text);
                let parts = split_qualified(name);
                let model = self.sink.model;
                let own = |n: &String| {
                    model.has_function(n) || model.has_type(n) || model.relation(n).is_some()
                };
                match parts.as_slice() {
                    [one] if late && own(one) => self.named_by_text(name, t, false, true),
                    _ => self.reference(&parts),
                }
                for arg in args {
                    self.reference(&signature_type(arg));
                }
            }
            _ => {}
        }
    }

    /// The defaults (`DEFAULT` constraints, or an already placed default) of a column, domain or
    /// parameter of type `ty`, when that is a reg* type or an array of one: the server coerces the
    /// default to it (a literal where written; `'x'::text` or an `ARRAY['x']` when it runs).
    fn reg_defaults(
        &mut self,
        ty: Option<&pb::TypeName>,
        constraints: &[pb::Node],
        raw: Option<&pb::Node>,
    ) {
        // CONSTR_DEFAULT in PostgreSQL's parsenodes.h.
        const DEFAULT: i32 = pb::ConstrType::ConstrDefault as i32;
        let Some((t, array)) = ty.and_then(super::reg_values::reg_type) else {
            return;
        };
        let defaults = constraints
            .iter()
            .filter_map(|c| match &c.node {
                Some(N::Constraint(c)) if c.contype == DEFAULT => c.raw_expr.as_deref(),
                _ => None,
            })
            .chain(raw);
        for d in defaults {
            if let Some(v) = d.node.as_ref() {
                self.reg_value(v, &t, array, true);
            }
        }
    }

    fn references(&mut self, lists: &[&Vec<pb::Node>]) {
        for list in lists {
            if let Some(parts) = name_parts(list) {
                self.reference(&parts);
            }
        }
    }

    /// The allowlist over statement kinds. No catch-all arm: see the module doc.
    fn statement_kind(&mut self, s: Stmt<'_>, n: Ref<'_>, ctx: Ctx) {
        // Writes and DDL never count as reads, even inside a FROM list (CTEs are not in FROM).
        let stmt_ctx = Ctx { read: false, ..ctx };
        let kind = sql_kind(n.kind());
        let (saved_stored, saved_session) = (self.stored, self.in_session);
        let stores = stores_expressions(&s);
        self.stored |= stores;
        // What a statement keeps runs later, in whichever session uses it; a function's body is the
        // exception `create_function` decides (a temporary function's runs in this session), and
        // DROP keeps nothing.
        if stores && !matches!(s, Stmt::CreateFunctionStmt(_) | Stmt::DropStmt(_)) {
            self.in_session = false;
        }
        self.statement_of_kind(s, n, ctx, stmt_ctx, kind);
        (self.stored, self.in_session) = (saved_stored, saved_session);
    }

    fn statement_of_kind(
        &mut self,
        s: Stmt<'_>,
        n: Ref<'_>,
        ctx: Ctx,
        stmt_ctx: Ctx,
        kind: String,
    ) {
        // In a DO block that commits (no check around it): a DELETE or MERGE fires any referencing
        // key's ON DELETE action, a CALL runs what the routine writes; an INSERT or UPDATE only the
        // migrations' functions its table's triggers and stored expressions run (which may delete).
        let target = match &s {
            Stmt::InsertStmt(i) => i.relation.as_ref(),
            Stmt::UpdateStmt(u) => u.relation.as_ref(),
            _ => None,
        };
        let runs_ours = target.is_some_and(|r| {
            (r.schemaname.is_empty() || r.schemaname == SCHEMA)
                && !self.sink.model.trigger_functions(&r.relname).is_empty()
        });
        if runs_ours
            || matches!(
                s,
                Stmt::DeleteStmt(_) | Stmt::MergeStmt(_) | Stmt::CallStmt(_)
            )
        {
            self.unguarded_write(&kind);
        }
        match s {
            Stmt::SelectStmt(sel) => self.select(sel, n, ctx),
            Stmt::InsertStmt(i) => {
                self.write_statement(n, stmt_ctx, i.with_clause.as_ref(), i.relation.as_ref(), &[])
            }
            Stmt::UpdateStmt(u) => self.write_statement(
                n,
                stmt_ctx,
                u.with_clause.as_ref(),
                u.relation.as_ref(),
                &u.from_clause,
            ),
            Stmt::DeleteStmt(d) => self.write_statement(
                n,
                stmt_ctx,
                d.with_clause.as_ref(),
                d.relation.as_ref(),
                &d.using_clause,
            ),
            Stmt::MergeStmt(m) => self.write_statement(
                n,
                stmt_ctx,
                m.with_clause.as_ref(),
                m.relation.as_ref(),
                m.source_relation.as_deref().map(std::slice::from_ref).unwrap_or(&[]),
            ),
            Stmt::TruncateStmt(t) => {
                self.cascade(t.behavior, "TRUNCATE");
                self.write_relations(n, stmt_ctx, &t.relations)
            }
            Stmt::LockStmt(l) => {
                self.write_relations(n, stmt_ctx, &l.relations);
                // LOCK of a view locks every relation its query names, WHERE's subqueries included.
                for r in &l.relations {
                    if let Some(N::RangeVar(rv)) = &r.node {
                        if rv.schemaname == SCHEMA || rv.schemaname.is_empty() {
                            self.lock_through(&rv.relname);
                        }
                    }
                }
            }
            Stmt::CreateStmt(c) => {
                let writes = super::definer::referential_writes_of(&c.table_elts);
                if writes.any() {
                    self.referential_writes(c.relation.as_ref(), writes);
                }
                self.creates(n, ctx, c.relation.as_ref(), "table")
            }
            Stmt::ViewStmt(v) => self.creates(n, ctx, v.view.as_ref(), "view"),
            Stmt::CompositeTypeStmt(c) => self.creates(n, ctx, c.typevar.as_ref(), "type"),
            Stmt::CreateSeqStmt(c) => {
                self.owned_by(&c.options);
                self.creates(n, ctx, c.sequence.as_ref(), "sequence");
            }
            Stmt::AlterSeqStmt(a) => {
                self.owned_by(&a.options);
                self.descend(n, stmt_ctx);
            }
            Stmt::NotifyStmt(ns) => self.notify(ns),
            Stmt::AlterPublicationStmt(p) => self.alter_publication(p, stmt_ctx),
            Stmt::CreateTrigStmt(t) => {
                self.trigger_function(&t.funcname);
                self.trigger_arguments(&t.funcname, &t.args);
                self.descend(n, stmt_ctx);
            }
            // Nothing of their own to check: every node inside is.
            Stmt::VariableShowStmt(v) => self.show(v),
            Stmt::ConstraintsSetStmt(c) => self.constraints_set(c, stmt_ctx),
            Stmt::PlassignStmt(_)
            | Stmt::ReturnStmt(_)
            | Stmt::RuleStmt(_)
            | Stmt::CreatePolicyStmt(_)
            | Stmt::AlterPolicyStmt(_)
            | Stmt::ExplainStmt(_)
            | Stmt::CallStmt(_)
            // Only inside ALTER TABLE, whose relation is checked there.
            | Stmt::ReplicaIdentityStmt(_) => self.descend(n, stmt_ctx),
            // A materialized view's query runs again on every REFRESH, as the view's owner: a
            // SECURITY DEFINER body's REFRESH runs it with the runner's rights (PG 15: the query's
            // invoker, on its own path searching expert_network, ran the application's
            // `expert_network.lower(text)` as the superuser; corpus 91), and from PostgreSQL 17 the
            // application's role refreshes it itself (MAINTAIN, part of ALL ON TABLES). Judged as
            // an index's expressions are.
            Stmt::CreateTableAsStmt(c) if c.objtype == pb::ObjectType::ObjectMatview as i32 => {
                self.owner_runs(MATVIEW_RUN, |w| w.descend(n, stmt_ctx))
            }
            Stmt::CreateTableAsStmt(_) => self.descend(n, stmt_ctx),
            // A SECURITY DEFINER body's REFRESH runs the view's query under the body's path.
            Stmt::RefreshMatViewStmt(r) => {
                let ours = r
                    .relation
                    .as_ref()
                    .filter(|rv| rv.schemaname == SCHEMA || rv.schemaname.is_empty());
                if let (Some(rv), true) = (ours, self.definer) {
                    for f in self.sink.model.refresh_calls(&rv.relname) {
                        self.definer_calls_invoker(&f);
                    }
                }
                self.descend(n, stmt_ctx)
            }
            Stmt::AlterTableStmt(a) => self.alter_table(a, n, stmt_ctx),
            Stmt::IndexStmt(i) => {
                if i.concurrent && !self.no_transaction {
                    self.concurrently("CREATE INDEX CONCURRENTLY");
                }
                self.unguarded_maintenance("CREATE INDEX CONCURRENTLY", false, None);
                self.owner_runs(INDEX_RUN, |w| w.descend(n, stmt_ctx));
            }
            Stmt::ReindexStmt(r) => self.reindex(r, n, stmt_ctx),
            Stmt::VacuumStmt(v) => self.vacuum(v, n, stmt_ctx),
            Stmt::ClusterStmt(c) => self.cluster(c, n, stmt_ctx),
            Stmt::CreateFunctionStmt(f) => self.create_function(f, n, stmt_ctx),
            Stmt::AlterFunctionStmt(a) => self.alter_function(a),
            Stmt::DoStmt(d) => body::do_block(self, d),
            Stmt::DefineStmt(d) => self.define(d, n, stmt_ctx),
            Stmt::CreateDomainStmt(d) => {
                self.reg_defaults(d.type_name.as_ref(), &d.constraints, None);
                self.created_names_then_descend(n, stmt_ctx, &d.domainname, "domain")
            }
            Stmt::CreateEnumStmt(e) => {
                self.created_names_then_descend(n, stmt_ctx, &e.type_name, "type")
            }
            Stmt::CreateRangeStmt(e) => {
                let named = super::model::definition_functions(&e.params, super::model::RANGE_FUNCTIONS);
                self.owner_runs(RANGE_RUN, |w| {
                    for f in &named {
                        w.definer_calls_invoker(f);
                    }
                });
                self.created_names_then_descend(n, stmt_ctx, &e.type_name, "type")
            }
            Stmt::AlterEnumStmt(e) => self.altered_type_then_descend(n, stmt_ctx, &e.type_name, "type"),
            Stmt::AlterTypeStmt(e) => self.altered_type_then_descend(n, stmt_ctx, &e.type_name, "type"),
            Stmt::AlterDomainStmt(d) => {
                self.cascade(d.behavior, "ALTER DOMAIN");
                self.altered_type_then_descend(n, stmt_ctx, &d.type_name, "domain")
            }
            Stmt::CreateConversionStmt(c) => {
                self.created_names_then_descend(n, stmt_ctx, &c.conversion_name, "conversion")
            }
            Stmt::CreateOpClassStmt(c) => {
                self.maintained_support_functions(&c.amname, &c.items);
                self.created_names(&c.opclassname, "operator class");
                self.default_opclass(c);
                self.support_function_types(&c.items);
                self.functions_of_items(&c.items);
                self.names_then_descend(n, stmt_ctx, &c.opfamilyname, "operator family");
            }
            Stmt::CreateOpFamilyStmt(c) => {
                self.created_names_then_descend(n, stmt_ctx, &c.opfamilyname, "operator family")
            }
            Stmt::AlterOpFamilyStmt(c) => {
                if !c.is_drop {
                    self.maintained_support_functions(&c.amname, &c.items);
                    self.support_function_types(&c.items);
                }
                self.functions_of_items(&c.items);
                self.names_then_descend(n, stmt_ctx, &c.opfamilyname, "operator family")
            }
            Stmt::AlterCollationStmt(c) => self.target_list(&c.collname, "collation"),
            Stmt::AlterStatsStmt(a) => self.altered_statistics(&a.defnames, a.missing_ok),
            Stmt::CreateStatsStmt(c) => self.owner_runs(STATISTICS_RUN, |w| {
                w.created_names_then_descend(n, stmt_ctx, &c.defnames, "statistics object")
            }),
            Stmt::AlterOperatorStmt(a) => self.alter_operator(a),
            Stmt::CreateCastStmt(c) => self.create_cast(c),
            Stmt::AlterTsdictionaryStmt(a) => self.target_list(&a.dictname, "text search dictionary"),
            Stmt::AlterTsconfigurationStmt(a) => self.alter_ts_configuration(a),
            Stmt::DropStmt(d) => self.drop(d),
            Stmt::CommentStmt(c) => self.comment(c),
            Stmt::SecLabelStmt(c) => self.security_label(c),
            Stmt::RenameStmt(r) => self.rename(r, stmt_ctx),
            Stmt::AlterObjectSchemaStmt(a) => self.alter_object_schema(a, stmt_ctx),
            Stmt::AlterOwnerStmt(a) => self.alter_owner(a, stmt_ctx),
            Stmt::GrantStmt(g) => self.grant(g),
            Stmt::AlterDefaultPrivilegesStmt(a) => self.default_privileges(&a.options),
            Stmt::CreateSchemaStmt(c) => self.create_schema(c, stmt_ctx),
            Stmt::CreateExtensionStmt(c) => self.create_extension(c),
            Stmt::CreateRoleStmt(c) => self.create_role(c),
            Stmt::CopyStmt(c) => self.copy(c, n, stmt_ctx),
            Stmt::VariableSetStmt(v) => self.variable_set(v),
            Stmt::DiscardStmt(_) | Stmt::LoadStmt(_) | Stmt::AlterRoleSetStmt(_) | Stmt::AlterDatabaseSetStmt(_) => {
                self.refuse(Rule::SessionState, format!("{kind} changes the session or other sessions' defaults"), None)
            }
            Stmt::TransactionStmt(_) => self.refuse(
                Rule::TransactionControl,
                "transaction control in a migration".into(),
                Some("en-migrate wraps each migration in its own transaction; for work that cannot run in one, use a `-- en-migrate: no-transaction` file"),
            ),
            Stmt::PrepareStmt(_) | Stmt::ExecuteStmt(_) | Stmt::DeallocateStmt(_) => {
                self.refuse(Rule::DynamicSql, format!("{kind} runs SQL the fence cannot see"), None);
                self.descend(n, stmt_ctx);
            }
            Stmt::DropOwnedStmt(_) | Stmt::ReassignOwnedStmt(_) => {
                self.refuse(Rule::Ownership, format!("{kind} reaches objects in every schema"), None)
            }
            Stmt::AlterRoleStmt(_) | Stmt::DropRoleStmt(_) | Stmt::GrantRoleStmt(_) => {
                self.refuse(Rule::Roles, format!("{kind} changes roles shared by every database"), Some("only CREATE ROLE and GRANT privileges ON expert_network objects are allowed"))
            }
            Stmt::CreatePublicationStmt(_) | Stmt::CreateSubscriptionStmt(_) | Stmt::AlterSubscriptionStmt(_)
            | Stmt::DropSubscriptionStmt(_) | Stmt::CreateEventTrigStmt(_) | Stmt::AlterEventTrigStmt(_)
            | Stmt::AlterSystemStmt(_) | Stmt::CreatedbStmt(_) | Stmt::AlterDatabaseStmt(_)
            | Stmt::AlterDatabaseRefreshCollStmt(_) | Stmt::DropdbStmt(_) | Stmt::CreateTableSpaceStmt(_)
            | Stmt::DropTableSpaceStmt(_) | Stmt::AlterTableSpaceOptionsStmt(_) | Stmt::AlterTableMoveAllStmt(_)
            | Stmt::CreateFdwStmt(_) | Stmt::AlterFdwStmt(_) | Stmt::CreateForeignServerStmt(_)
            | Stmt::AlterForeignServerStmt(_) | Stmt::CreateUserMappingStmt(_) | Stmt::AlterUserMappingStmt(_)
            | Stmt::DropUserMappingStmt(_) | Stmt::CreatePlangStmt(_) | Stmt::CheckPointStmt(_)
            | Stmt::CreateTransformStmt(_) | Stmt::ImportForeignSchemaStmt(_)
            | Stmt::CreateForeignTableStmt(_) | Stmt::AlterExtensionStmt(_) | Stmt::AlterExtensionContentsStmt(_)
            | Stmt::CreateAmStmt(_) | Stmt::AlterObjectDependsStmt(_) => {
                self.refuse(Rule::DatabaseWide, format!("{kind} reaches beyond schema {SCHEMA}"), None)
            }
            // Not allowed yet: cursors, LISTEN, and the kinds that occur only in analysed trees.
            Stmt::RawStmt(_)
            | Stmt::SetOperationStmt(_)
            | Stmt::DeclareCursorStmt(_)
            | Stmt::ClosePortalStmt(_)
            | Stmt::FetchStmt(_)
            | Stmt::ListenStmt(_)
            | Stmt::UnlistenStmt(_) => self.refuse(
                Rule::UnknownStatement,
                format!("{kind} is a statement kind the fence does not know"),
                Some("the fence is an allowlist; if this statement is safe, open an issue"),
            ),
        }
    }
}
