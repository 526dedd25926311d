//! What each statement kind may do: the allowlist. One arm per node type that needs more than the
//! generic descent in `walk.rs` (a target name to check, a kind to refuse, a nested body to parse);
//! a statement kind not named here is refused as unknown.

use super::walk::{
    arr, b, const_str, name_parts, object_type, s, split_qualified, sql_kind, typed, Body, Ctx,
    Walker,
};
use super::{body, known, policy, SCHEMA};
use pg_query::protobuf::{GrantTargetType, VariableSetKind};
use serde_json::Value;

/// Types whose text input is a name: a string cast to one names an object.
const REG_TYPES: &[&str] = &[
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

impl Walker<'_, '_> {
    pub(super) fn typed_node(&mut self, ty: &str, body: &Value, ctx: Ctx) {
        // Writes and DDL never count as reads, even inside a FROM list (CTEs are not in FROM).
        let stmt_ctx = Ctx { read: false, ..ctx };
        match ty {
            "RangeVar" => self.range_var(body, ctx),
            "FuncCall" => self.func_call(body, ctx),
            "TypeCast" => {
                if let (Some(text), Some(tn)) = (body.get("arg").and_then(const_str), body.get("type_name")) {
                    let tparts = name_parts(arr(tn, "names")).unwrap_or_default();
                    match tparts.last().map(String::as_str) {
                        Some("regclass") => self.named_by_text(text, "regclass", false),
                        Some(t) if REG_TYPES.contains(&t) => self.reference(&split_qualified(text)),
                        Some("regnamespace") => self.schema(&text.to_lowercase(), "", true),
                        _ => {}
                    }
                }
                self.fields(body, ctx, &[]);
            }
            "ColumnRef" => {
                let f = arr(body, "fields");
                if f.len() >= 3 {
                    if let Some(("String", sb)) = typed(&f[f.len() - 3]) {
                        let schema = s(sb, "sval").to_string();
                        let rel = typed(&f[f.len() - 2]).map(|(_, b)| s(b, "sval").to_string()).unwrap_or_default();
                        // A column reference only reads.
                        self.schema(&schema, &rel, true);
                    }
                }
            }
            "TypeName" => {
                if let Some(parts) = name_parts(arr(body, "names")) {
                    if b(body, "pct_type") && parts.len() >= 3 {
                        self.schema(&parts[parts.len() - 3], &parts[parts.len() - 2], true);
                    } else if !b(body, "pct_type") {
                        self.reference(&parts);
                    }
                }
                self.fields(body, ctx, &["names"]);
            }
            "AExpr" => {
                if let Some(parts) = name_parts(arr(body, "name")) {
                    self.reference(&parts);
                }
                self.fields(body, ctx, &["name"]);
            }
            "CollateClause" => {
                if let Some(parts) = name_parts(arr(body, "collname")) {
                    self.reference(&parts);
                }
                self.fields(body, ctx, &["collname"]);
            }
            "IndexElem" => {
                for key in ["opclass", "collation"] {
                    if let Some(parts) = name_parts(arr(body, key)) {
                        self.reference(&parts);
                    }
                }
                self.fields(body, ctx, &["opclass", "collation"]);
            }
            "SelectStmt" => {
                let mark = self.ctes.len();
                self.with_clause(body, ctx);
                // FOR UPDATE / SHARE [OF name]: the names are FROM items (aliases), not relations; the
                // relations they lock are written, as far as the catalogs are concerned.
                let clauses = arr(body, "locking_clause");
                let saved = self.lock_names.take();
                if !clauses.is_empty() {
                    let mut names = Some(Vec::new());
                    for c in clauses {
                        let rels = typed(c).map(|(_, b)| arr(b, "locked_rels")).unwrap_or(&[]);
                        if rels.is_empty() {
                            names = None;
                        } else if let Some(list) = names.as_mut() {
                            list.extend(rels.iter().filter_map(|r| typed(r).map(|(_, b)| s(b, "relname").to_string())));
                        }
                    }
                    self.lock_names = names;
                }
                let lock = !clauses.is_empty() || (ctx.lock && ctx.read);
                if !lock {
                    self.lock_names = saved.clone();
                }
                let from = Ctx { read: true, lock, ..ctx };
                if let Some(f) = body.get("from_clause") {
                    self.node(f, from);
                }
                self.fields(body, Ctx { lock: false, ..ctx }, &["with_clause", "from_clause", "locking_clause"]);
                self.lock_names = saved;
                self.ctes.truncate(mark);
            }
            "InsertStmt" | "UpdateStmt" | "DeleteStmt" | "MergeStmt" => {
                let mark = self.ctes.len();
                self.with_clause(body, stmt_ctx);
                // The target first, before this statement's own CTEs could hide it (they cannot:
                // a write target never resolves to a CTE).
                if let Some(r) = body.get("relation") {
                    self.node(r, Ctx { write: true, ..stmt_ctx });
                }
                self.fields(body, Ctx { write: false, ..stmt_ctx }, &["with_clause", "relation"]);
                self.ctes.truncate(mark);
            }
            "TruncateStmt" | "LockStmt" => {
                if let Some(r) = body.get("relations") {
                    self.node(r, Ctx { write: true, ..stmt_ctx });
                }
                self.fields(body, stmt_ctx, &["relations"]);
            }
            "CreateStmt" => {
                self.created_relation(body.get("relation"), ctx, "table");
                self.fields(body, stmt_ctx, &["relation"]);
            }
            "ViewStmt" => {
                self.created_relation(body.get("view"), ctx, "view");
                self.fields(body, stmt_ctx, &["view"]);
            }
            "CreateSeqStmt" if body.get("sequence").is_some() => {
                self.created_relation(body.get("sequence"), ctx, "sequence");
                let rest = body.as_object().map(|m| {
                    let mut m = m.clone();
                    m.remove("sequence");
                    Value::Object(m)
                });
                if let Some(rest) = rest {
                    self.typed_node("CreateSeqStmt", &rest, ctx);
                }
            }
            "IntoClause" => {
                self.created_relation(body.get("rel"), ctx, "table");
                self.fields(body, stmt_ctx, &["rel"]);
            }
            "CompositeTypeStmt" => {
                self.created_relation(body.get("typevar"), ctx, "type");
                self.fields(body, stmt_ctx, &["typevar"]);
            }
            "NotifyStmt" => {
                if !(self.body.is_function() || self.sink.opts.notify) {
                    self.refuse("notify", format!("NOTIFY {} run by the migration reaches every listening application", s(body, "conditionname")), Some("notifications belong in the application's triggers; if the migration must send one (PostgREST's NOTIFY pgrst), add `-- en-migrate: allow notify`"));
                }
            }
            "AlterPublicationStmt" => self.alter_publication(body, stmt_ctx),
            "CreateTrigStmt" => {
                self.trigger_function(body);
                self.fields(body, stmt_ctx, &["funcname"]);
            }
            "Constraint" => {
                for ex in arr(body, "exclusions") {
                    if let Some(("List", l)) = typed(ex) {
                        for item in arr(l, "items") {
                            if let Some(("List", ops)) = typed(item) {
                                if let Some(parts) = name_parts(arr(ops, "items")) {
                                    self.reference(&parts);
                                }
                            }
                        }
                    }
                }
                self.fields(body, ctx, &[]);
            }
            "PartitionElem" => {
                for key in ["opclass", "collation"] {
                    if let Some(parts) = name_parts(arr(body, key)) {
                        self.reference(&parts);
                    }
                }
                self.fields(body, ctx, &["opclass", "collation"]);
            }
            "PlassignStmt" | "ReturnStmt" | "VariableShowStmt" | "ConstraintsSetStmt"
            | "CreateTableAsStmt" | "RuleStmt" | "CreatePolicyStmt" | "AlterPolicyStmt"
            | "RefreshMatViewStmt" | "ExplainStmt" | "CallStmt"
            | "SecLabelStmt_" => self.fields(body, stmt_ctx, &[]),
            "CreateSeqStmt" | "AlterSeqStmt" => {
                for opt in arr(body, "options") {
                    if let Some(("DefElem", d)) = typed(opt) {
                        if s(d, "defname") == "owned_by" {
                            if let Some(("List", l)) = d.get("arg").and_then(typed) {
                                if let Some(parts) = name_parts(arr(l, "items")) {
                                    if !(parts.len() == 1 && parts[0] == "none") {
                                        self.target(&parts[..parts.len().saturating_sub(1)], "table");
                                    }
                                }
                            }
                        }
                    }
                }
                self.fields(body, stmt_ctx, &[]);
            }
            "AlterTableStmt" => {
                for cmd in arr(body, "cmds") {
                    if let Some(("AlterTableCmd", c)) = typed(cmd) {
                        if let Some(("PartitionCmd", p)) = c.get("def").and_then(typed) {
                            if b(p, "concurrent") && !self.no_transaction {
                                self.concurrently("DETACH PARTITION ... CONCURRENTLY");
                            }
                        }
                    }
                }
                self.fields(body, stmt_ctx, &[]);
            }
            "IndexStmt" => {
                if b(body, "concurrent") && !self.no_transaction {
                    self.concurrently("CREATE INDEX CONCURRENTLY");
                }
                self.fields(body, stmt_ctx, &[]);
            }
            "ReindexStmt" => {
                let concurrently = arr(body, "params").iter().any(|p| typed(p).is_some_and(|(_, d)| s(d, "defname") == "concurrently"));
                if concurrently && !self.no_transaction {
                    self.concurrently("REINDEX ... CONCURRENTLY");
                }
                match body.get("kind").and_then(Value::as_i64) {
                    // REINDEX_OBJECT_INDEX = 1, TABLE = 2: a relation follows.
                    Some(1) | Some(2) => self.fields(body, stmt_ctx, &[]),
                    // SCHEMA = 3
                    Some(3) => {
                        let name = s(body, "name").to_string();
                        self.schema(&name, "", false);
                    }
                    _ => self.refuse("database-wide", "REINDEX SYSTEM / DATABASE reaches the whole database".into(), Some("name the expert_network index or table")),
                }
            }
            "VacuumStmt" => {
                if arr(body, "rels").is_empty() {
                    self.refuse("database-wide", "VACUUM / ANALYZE without a table works on the whole database".into(), Some("name the expert_network tables"));
                }
                if b(body, "is_vacuumcmd") && !self.no_transaction {
                    self.concurrently("VACUUM");
                }
                self.fields(body, stmt_ctx, &[]);
            }
            "ClusterStmt" => {
                if body.get("relation").is_none_or(Value::is_null) {
                    self.refuse("database-wide", "CLUSTER without a table works on the whole database".into(), Some("name the expert_network table"));
                }
                self.fields(body, stmt_ctx, &[]);
            }
            "CreateFunctionStmt" => {
                let what = if b(body, "is_procedure") { "procedure" } else { "function" };
                self.target_list(body, "funcname", what);
                let saved = self.body;
                // Set for BEGIN ATOMIC bodies too, which are walked as part of this tree.
                self.body = if body::returns_trigger(body) { Body::Trigger } else { Body::Function };
                body::function(self, body);
                self.fields(body, stmt_ctx, &["funcname", "options"]);
                self.body = saved;
            }
            "AlterFunctionStmt" => {
                if let Some(f) = body.get("func") {
                    self.object_node(f, "function");
                }
                body::function_set_options(self, arr(body, "actions"));
            }
            "DoStmt" => body::do_block(self, body),
            "DefineStmt" => {
                let what = object_type(body, "kind").trim_start_matches("OBJECT_").to_lowercase();
                self.target_list(body, "defnames", &what);
                self.functions_defined_by(arr(body, "definition"));
                self.fields(body, stmt_ctx, &["defnames"]);
            }
            "CreateDomainStmt" => {
                self.target_list(body, "domainname", "domain");
                self.fields(body, stmt_ctx, &["domainname"]);
            }
            "CreateEnumStmt" | "CreateRangeStmt" | "AlterEnumStmt" | "AlterTypeStmt" => {
                self.target_list(body, "type_name", "type");
                self.fields(body, stmt_ctx, &["type_name"]);
            }
            "AlterDomainStmt" => {
                self.target_list(body, "type_name", "domain");
                self.fields(body, stmt_ctx, &["type_name"]);
            }
            "CreateConversionStmt" => {
                self.target_list(body, "conversion_name", "conversion");
                self.fields(body, stmt_ctx, &["conversion_name"]);
            }
            "CreateOpClassStmt" => {
                self.target_list(body, "opclassname", "operator class");
                self.target_list(body, "opfamilyname", "operator family");
                self.functions_of_items(arr(body, "items"));
                self.fields(body, stmt_ctx, &["opclassname", "opfamilyname"]);
            }
            "CreateOpFamilyStmt" | "AlterOpFamilyStmt" => {
                self.target_list(body, "opfamilyname", "operator family");
                self.functions_of_items(arr(body, "items"));
                self.fields(body, stmt_ctx, &["opfamilyname"]);
            }
            "AlterCollationStmt" => self.target_list(body, "collname", "collation"),
            "AlterStatsStmt" => self.target_list(body, "defnames", "statistics object"),
            "CreateStatsStmt" => {
                self.target_list(body, "defnames", "statistics object");
                self.fields(body, stmt_ctx, &["defnames"]);
            }
            "AlterOperatorStmt" => {
                if let Some(o) = body.get("opername") {
                    self.object_node(o, "operator");
                }
                self.functions_defined_by(arr(body, "options"));
            }
            "AlterTsdictionaryStmt" => self.target_list(body, "dictname", "text search dictionary"),
            "AlterTsconfigurationStmt" => {
                self.target_list(body, "cfgname", "text search configuration");
                for d in arr(body, "dicts") {
                    if let Some(("List", l)) = typed(d) {
                        if let Some(parts) = name_parts(arr(l, "items")) {
                            self.reference(&parts);
                        }
                    }
                }
            }
            "DropStmt" => {
                let ot = object_type(body, "remove_type");
                if b(body, "concurrent") && !self.no_transaction {
                    self.concurrently("DROP INDEX CONCURRENTLY");
                }
                for o in arr(body, "objects") {
                    self.object(ot, o);
                }
            }
            "CommentStmt" if object_type(body, "objtype") == "OBJECT_EXTENSION"
                && body.get("object").and_then(typed).is_some_and(|(t, b)| t == "String" && self.sink.model.has_extension(s(b, "sval"))) => {}
            "CommentStmt" | "SecLabelStmt" => {
                let ot = object_type(body, "objtype");
                if let Some(o) = body.get("object") {
                    self.object(ot, o);
                }
            }
            "RenameStmt" => {
                let ot = object_type(body, "rename_type");
                if self.refuse_kind(ot) {
                    return;
                }
                match ot {
                    "OBJECT_SCHEMA" => {
                        let name = s(body, "subname").to_string();
                        if s(body, "newname") == "public" {
                            self.schema("public", "", false);
                        }
                        if name == SCHEMA {
                            self.refuse("outside-schema", format!("renaming schema {SCHEMA} moves every object out of it"), None);
                        } else {
                            self.schema(&name, "", false);
                        }
                    }
                    _ => {
                        if let Some(o) = body.get("object").filter(|o| !o.is_null()) {
                            self.object(ot, o);
                        }
                        if let Some(r) = body.get("relation").filter(|r| !r.is_null()) {
                            self.node(r, stmt_ctx);
                        }
                    }
                }
            }
            "AlterObjectSchemaStmt" => {
                let ot = object_type(body, "object_type");
                if self.refuse_kind(ot) {
                    return;
                }
                if let Some(o) = body.get("object").filter(|o| !o.is_null()) {
                    self.object(ot, o);
                }
                if let Some(r) = body.get("relation").filter(|r| !r.is_null()) {
                    self.node(r, stmt_ctx);
                }
                let newschema = s(body, "newschema").to_string();
                if newschema != SCHEMA {
                    self.schema(&newschema, "", false);
                }
            }
            "AlterOwnerStmt" => {
                let ot = object_type(body, "object_type");
                if self.refuse_kind(ot) {
                    return;
                }
                if let Some(o) = body.get("object").filter(|o| !o.is_null()) {
                    self.object(ot, o);
                }
                if let Some(r) = body.get("relation").filter(|r| !r.is_null()) {
                    self.node(r, stmt_ctx);
                }
            }
            "GrantStmt" => self.grant(body),
            "AlterDefaultPrivilegesStmt" => {
                let mut schemas: Option<Vec<String>> = None;
                for opt in arr(body, "options") {
                    if let Some(("DefElem", d)) = typed(opt) {
                        if s(d, "defname") == "schemas" {
                            if let Some(("List", l)) = d.get("arg").and_then(typed) {
                                schemas = name_parts(arr(l, "items"));
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
                        self.refuse("default-privileges", format!("ALTER DEFAULT PRIVILEGES IN SCHEMA {} reaches beyond {SCHEMA}", list.join(", ")), Some("write IN SCHEMA expert_network"));
                    }
                    None => self.refuse("default-privileges", "ALTER DEFAULT PRIVILEGES without IN SCHEMA changes every future object of the role".into(), Some("add IN SCHEMA expert_network")),
                }
            }
            "CreateSchemaStmt" => {
                let name = s(body, "schemaname").to_string();
                if name == "public" || name != SCHEMA {
                    self.schema(if name.is_empty() { "(authorization name)" } else { &name }, "", false);
                }
                let inner = Ctx { implicit_schema: name == SCHEMA, ..stmt_ctx };
                self.node(body.get("schema_elts").unwrap_or(&Value::Null), inner);
            }
            "CreateExtensionStmt" => {
                let schema = arr(body, "options").iter().find_map(|o| match typed(o) {
                    Some(("DefElem", d)) if s(d, "defname") == "schema" => d.get("arg").and_then(typed).map(|(_, a)| s(a, "sval").to_string()),
                    _ => None,
                });
                let name = s(body, "extname");
                match schema {
                    _ if known::extension(name).is_none() => self.refuse("database-wide", format!("extension {name} is not on the fence's allowlist: its functions can reach beyond expert_network"), Some("use an allowlisted extension (pgcrypto, uuid-ossp, citext, pg_trgm, btree_gist, hstore, ltree, unaccent, ...), or do without it")),
                    Some(x) if x == SCHEMA => {}
                    Some(x) => {
                        self.refuse("database-wide", format!("CREATE EXTENSION {} installs into schema {x}", s(body, "extname")), Some("use SCHEMA expert_network"));
                        self.schema(&x, "", false);
                    }
                    None => self.refuse("database-wide", format!("CREATE EXTENSION {} without SCHEMA installs into whatever schema comes first", s(body, "extname")), Some("add SCHEMA expert_network")),
                }
            }
            "CreateRoleStmt" => {
                for opt in arr(body, "options") {
                    if let Some(("DefElem", d)) = typed(opt) {
                        let name = s(d, "defname");
                        let on = d.get("arg").and_then(typed).is_none_or(|(t, a)| t != "Boolean" || b(a, "boolval"));
                        let privileged = matches!(name, "superuser" | "createrole" | "createdb" | "isreplication" | "bypassrls");
                        let membership = matches!(name, "addroleto" | "rolemembers" | "adminmembers");
                        if (privileged && on) || membership {
                            self.refuse("roles", format!("CREATE ROLE with {name} reaches beyond the schema"), Some("create a plain role (LOGIN or NOLOGIN) and grant it privileges on expert_network"));
                        }
                    }
                }
            }
            "CopyStmt" => {
                if let Some(r) = body.get("relation") {
                    let write = b(body, "is_from");
                    self.node(r, Ctx { write, read: !write, ..stmt_ctx });
                }
                let file = s(body, "filename");
                if b(body, "is_program") || !file.is_empty() {
                    self.refuse("file-access", "COPY to or from a server file or program".into(), Some("load data with INSERT statements"));
                } else if b(body, "is_from") {
                    self.refuse("file-access", "COPY ... FROM STDIN needs a client data stream, which a migration does not have".into(), Some("load data with INSERT statements"));
                }
                self.fields(body, stmt_ctx, &["relation"]);
            }
            "VariableSetStmt" => self.variable_set(body),
            "DiscardStmt" | "LoadStmt" | "AlterRoleSetStmt" | "AlterDatabaseSetStmt" => {
                self.refuse("session-state", format!("{} changes the session or other sessions' defaults", sql_kind(ty)), None)
            }
            "TransactionStmt" => self.refuse(
                "transaction-control",
                "transaction control in a migration".into(),
                Some("en-migrate wraps each migration in its own transaction; for work that cannot run in one, use a `-- en-migrate: no-transaction` file"),
            ),
            "PrepareStmt" | "ExecuteStmt" | "DeallocateStmt" => {
                self.refuse("dynamic-sql", format!("{} runs SQL the fence cannot see", sql_kind(ty)), None);
                self.fields(body, stmt_ctx, &[]);
            }
            "DropOwnedStmt" | "ReassignOwnedStmt" => {
                self.refuse("ownership", format!("{} reaches objects in every schema", sql_kind(ty)), None)
            }
            "AlterRoleStmt" | "DropRoleStmt" | "GrantRoleStmt" => {
                self.refuse("roles", format!("{} changes roles shared by every database", sql_kind(ty)), Some("only CREATE ROLE and GRANT privileges ON expert_network objects are allowed"))
            }
            "CreatePublicationStmt" | "CreateSubscriptionStmt" | "AlterSubscriptionStmt"
            | "DropSubscriptionStmt" | "CreateEventTrigStmt" | "AlterEventTrigStmt" | "AlterSystemStmt" | "CreatedbStmt"
            | "AlterDatabaseStmt" | "AlterDatabaseRefreshCollStmt" | "DropdbStmt" | "CreateTableSpaceStmt"
            | "DropTableSpaceStmt" | "AlterTableSpaceOptionsStmt" | "AlterTableMoveAllStmt" | "CreateFdwStmt"
            | "AlterFdwStmt" | "CreateForeignServerStmt" | "AlterForeignServerStmt" | "CreateUserMappingStmt"
            | "AlterUserMappingStmt" | "DropUserMappingStmt" | "CreatePlangStmt" | "CheckPointStmt" | "CreateCastStmt"
            | "CreateTransformStmt" | "ImportForeignSchemaStmt" | "CreateForeignTableStmt" | "AlterExtensionStmt"
            | "AlterExtensionContentsStmt" | "CreateAmStmt" | "AlterObjectDependsStmt" => {
                self.refuse("database-wide", format!("{} reaches beyond schema {SCHEMA}", sql_kind(ty)), None)
            }
            t if t.ends_with("Stmt") => self.refuse(
                "unknown-statement",
                format!("{} is a statement kind the fence does not know", sql_kind(t)),
                Some("the fence is an allowlist; if this statement is safe, open an issue"),
            ),
            _ => self.fields(body, ctx, &[]),
        }
    }

    fn concurrently(&mut self, what: &str) {
        self.refuse(
            "concurrent-in-transaction",
            format!("{what} cannot run inside a transaction"),
            Some("put it alone in a file whose first line is `-- en-migrate: no-transaction`"),
        );
    }

    fn variable_set(&mut self, body: &Value) {
        let name = s(body, "name").to_lowercase();
        let kind = body.get("kind").and_then(Value::as_i64).unwrap_or(0) as i32;
        let kind = VariableSetKind::try_from(kind).map_or("", |k| k.as_str_name());
        let hint = "plain settings (lock_timeout, statement_timeout, work_mem, ...) may be SET; en-migrate puts them back after the migration";
        // Inside a body a SET runs in whatever session calls it; a search_path change there would also
        // escape the path the fence resolved the rest of the migration under.
        let in_body = self.body.is_any() && name == "search_path";
        match kind {
            _ if in_body => self.refuse("session-state", "SET search_path inside a function body or DO block".into(), Some("set the path on the function (CREATE FUNCTION ... SET search_path = ...), or at the top level of the migration")),
            "VAR_SET_VALUE" => {
                let values = body_values(arr(body, "args"));
                match values {
                    Some(v) => {
                        if let Err((rule, msg, hint)) = policy::setting(&name, &v) {
                            self.refuse(rule, msg, Some(hint));
                        }
                    }
                    None => self.refuse("session-state", format!("SET {name} to a value the fence cannot read"), Some(hint)),
                }
            }
            "VAR_SET_DEFAULT" | "VAR_RESET" if !matches!(name.as_str(), "search_path" | "role" | "session_authorization")
                && known::setting(&name) == known::SettingClass::Plain => {}
            "VAR_SET_MULTI" if name == "transaction" => {}
            _ => {
                let what = if name.is_empty() { "RESET ALL / SET SESSION CHARACTERISTICS".to_string() } else { format!("{} of {name}", kind.trim_start_matches("VAR_").replace('_', " ")) };
                self.refuse("session-state", format!("{what} changes the session en-migrate runs every migration in"), Some(hint));
            }
        }
    }

    fn trigger_function(&mut self, body: &Value) {
        let parts = name_parts(arr(body, "funcname")).unwrap_or_default();
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
    fn alter_publication(&mut self, body: &Value, ctx: Ctx) {
        use pg_query::protobuf::{AlterPublicationAction as A, PublicationObjSpecType as P};
        let num = |v: &Value, k: &str| v.get(k).and_then(Value::as_i64).unwrap_or(0) as i32;
        let action = num(body, "action");
        let objs = arr(body, "pubobjects");
        let tables_only = !objs.is_empty()
            && objs.iter().all(|o| {
                typed(o).is_some_and(|(_, b)| num(b, "pubobjtype") == P::PublicationobjTable as i32)
            });
        let add_or_drop = action == A::ApAddObjects as i32 || action == A::ApDropObjects as i32;
        if arr(body, "options").is_empty()
            && !b(body, "for_all_tables")
            && tables_only
            && add_or_drop
        {
            for o in objs {
                if let Some(rel) = typed(o)
                    .and_then(|(_, b)| b.get("pubtable"))
                    .and_then(|t| t.get("relation"))
                {
                    self.node(rel, ctx);
                }
            }
            return;
        }
        self.refuse("database-wide", "ALTER PUBLICATION other than ADD / DROP TABLE of expert_network's tables reaches beyond the schema".into(), Some("write ALTER PUBLICATION name ADD TABLE expert_network.t"));
    }

    fn grant(&mut self, body: &Value) {
        let targ = body.get("targtype").and_then(Value::as_i64).unwrap_or(0) as i32;
        let targ = GrantTargetType::try_from(targ).map_or("", |t| t.as_str_name());
        let ot = object_type(body, "objtype");
        match targ {
            "ACL_TARGET_ALL_IN_SCHEMA" => {
                for o in arr(body, "objects") {
                    if let Some(("String", sb)) = typed(o) {
                        let name = s(sb, "sval").to_string();
                        self.schema(&name, "", false);
                    }
                }
            }
            _ => {
                for o in arr(body, "objects") {
                    if matches!(typed(o), Some(("RangeVar", _))) {
                        self.node(o, Ctx::default());
                    } else {
                        self.object(ot, o);
                    }
                }
            }
        }
    }
}

/// A SET statement's arguments as text (strings, numbers, ON/OFF as written), or None.
fn body_values(args: &[Value]) -> Option<Vec<String>> {
    args.iter()
        .map(|a| {
            let (t, c) = typed(a)?;
            if t != "AConst" {
                return None;
            }
            let val = c.get("val")?;
            if let Some(sv) = val.get("Sval") {
                return Some(s(sv, "sval").to_string());
            }
            if let Some(iv) = val.get("Ival") {
                return Some(
                    iv.get("ival")
                        .and_then(Value::as_i64)
                        .unwrap_or(0)
                        .to_string(),
                );
            }
            if let Some(fv) = val.get("Fval") {
                return Some(s(fv, "fval").to_string());
            }
            if let Some(bv) = val.get("Boolval") {
                return Some(if b(bv, "boolval") { "on" } else { "off" }.to_string());
            }
            None
        })
        .collect()
}
