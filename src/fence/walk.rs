//! The parse-tree walk behind the fence: a statement-kind allowlist, and one generic descent that sees
//! every node, so that a relation or schema named anywhere in a tree (a CTE, an UPDATE's FROM list, a
//! foreign key, a rule action) is checked without a list of places.
//!
//! The tree is pg_query's protobuf, viewed as JSON (`{"node": {"RangeVar": {...}}}`): every field of
//! every node is visited unless a statement handler says otherwise.

use super::{body, Sink, SCHEMA, TRACKER};
use pg_query::protobuf::{GrantTargetType, ObjectType, VariableSetKind};
use serde_json::Value;

/// What the walk knows about where it is.
#[derive(Clone, Copy, Default)]
pub(super) struct Ctx {
    /// Inside a FROM / USING list: catalogs may be read here, and only here.
    read: bool,
    /// Inside `CREATE SCHEMA expert_network ...` elements, whose unqualified names land in that schema.
    implicit_schema: bool,
}

pub struct Walker<'s, 'a> {
    pub(super) sink: &'s mut Sink<'a>,
    /// Byte offset in the file of the text whose node locations we are reading.
    pub(super) base: usize,
    /// Best known position for a finding on a node without a location of its own.
    pub(super) here: usize,
    pub(super) no_transaction: bool,
    /// CTE names in scope: an unqualified reference to one of these is not a relation.
    ctes: Vec<String>,
    /// The statement being walked, as file offsets (function bodies re-read their header from it).
    pub(super) stmt_start: usize,
    pub(super) stmt_end: usize,
    /// Inside an embedded PL/pgSQL query, node locations are not file positions: keep `here`.
    pub(super) pinned: bool,
}

/// `{"node": {"Type": body}}` -> ("Type", body).
pub(super) fn typed(v: &Value) -> Option<(&str, &Value)> {
    let inner = v.get("node")?.as_object()?;
    inner.iter().next().map(|(k, b)| (k.as_str(), b))
}

/// A node's type and body, whether it is tagged (`{"node": {...}}`) or a message-typed field.
pub(super) fn kind_of(v: &Value) -> Option<(&str, &Value)> {
    typed(v).or_else(|| v.as_object().and_then(shape).map(|t| (t, v)))
}

fn s<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn b(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn arr<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn object_type(v: &Value, key: &str) -> &'static str {
    let n = v.get(key).and_then(Value::as_i64).unwrap_or(0) as i32;
    ObjectType::try_from(n).map_or("OBJECT_UNKNOWN", |t| t.as_str_name())
}

/// A list of `String` nodes -> the name parts.
pub(super) fn name_parts(list: &[Value]) -> Option<Vec<String>> {
    list.iter()
        .map(|n| match typed(n) {
            Some(("String", b)) => Some(s(b, "sval").to_string()),
            _ => None,
        })
        .collect()
}

/// A string constant's text, if the node is one.
fn const_str(v: &Value) -> Option<&str> {
    let (t, body) = typed(v)?;
    if t != "AConst" {
        return None;
    }
    body.get("val")?.get("Sval")?.get("sval")?.as_str()
}

/// Splits `schema.name` as written in a string (`'public.user'::regclass`), honouring double quotes.
pub(super) fn split_qualified(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut cur)),
            c if quoted => cur.push(c),
            c => cur.extend(c.to_lowercase()),
        }
    }
    parts.push(cur);
    parts
}

const STATEMENT_CATALOG_FUNCS_FILE: &[&str] = &[
    "pg_read_file",
    "pg_read_binary_file",
    "pg_ls_dir",
    "pg_stat_file",
    "pg_ls_logdir",
    "pg_ls_waldir",
    "pg_ls_tmpdir",
    "pg_ls_archive_statusdir",
    "pg_ls_logicalmapdir",
    "pg_ls_logicalsnapdir",
    "pg_ls_replslotdir",
    "lo_import",
    "lo_export",
    "lo_create",
    "lo_creat",
    "lo_unlink",
    "lo_from_bytea",
    "lo_put",
    "pg_file_write",
    "pg_file_rename",
    "pg_file_unlink",
    "pg_file_sync",
    "pg_logdir_ls",
    "dblink",
    "dblink_exec",
    "dblink_connect",
    "dblink_connect_u",
    "dblink_send_query",
    "dblink_open",
];
const DATABASE_WIDE_FUNCS: &[&str] = &[
    "pg_terminate_backend",
    "pg_cancel_backend",
    "pg_reload_conf",
    "pg_rotate_logfile",
    "pg_promote",
    "pg_switch_wal",
    "pg_create_restore_point",
    "pg_backup_start",
    "pg_backup_stop",
    "pg_start_backup",
    "pg_stop_backup",
    "pg_create_physical_replication_slot",
    "pg_create_logical_replication_slot",
    "pg_drop_replication_slot",
    "pg_copy_physical_replication_slot",
    "pg_copy_logical_replication_slot",
    "pg_replication_origin_create",
    "pg_replication_origin_drop",
    "pg_wal_replay_pause",
    "pg_wal_replay_resume",
    "pg_log_backend_memory_contexts",
    "pg_stat_reset",
    "pg_stat_reset_shared",
    "pg_import_system_collations",
    "pg_logical_emit_message",
];
const SESSION_FUNCS: &[&str] = &[
    "set_config",
    "pg_advisory_lock",
    "pg_advisory_lock_shared",
    "pg_try_advisory_lock",
    "pg_try_advisory_lock_shared",
    "pg_advisory_unlock",
    "pg_advisory_unlock_shared",
    "pg_advisory_unlock_all",
];
/// Functions whose first argument is a relation name given as text.
/// Functions that run SQL or read relations named in text at run time.
const DYNAMIC_FUNCS: &[&str] = &[
    "query_to_xml",
    "query_to_xmlschema",
    "query_to_xml_and_xmlschema",
    "ts_stat",
    "ts_rewrite",
    "table_to_xml",
    "table_to_xmlschema",
    "table_to_xml_and_xmlschema",
    "schema_to_xml",
    "schema_to_xmlschema",
    "schema_to_xml_and_xmlschema",
    "database_to_xml",
    "database_to_xmlschema",
    "database_to_xml_and_xmlschema",
    "cursor_to_xml",
    "cursor_to_xmlschema",
];
const RELATION_ARG_FUNCS: &[&str] = &["nextval", "setval", "currval", "pg_get_serial_sequence"];
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

impl<'s, 'a> Walker<'s, 'a> {
    pub fn new(sink: &'s mut Sink<'a>, base: usize, len: usize, no_transaction: bool) -> Self {
        let lead = sink
            .text
            .get(base..base + len)
            .map_or(0, |t| t.len() - t.trim_start().len());
        Walker {
            sink,
            base,
            here: base + lead,
            no_transaction,
            ctes: Vec::new(),
            stmt_start: base,
            stmt_end: base + len,
            pinned: false,
        }
    }

    pub(super) fn node_ctx(&mut self, v: &Value, ctx: Ctx) {
        self.node(v, ctx)
    }

    pub(super) fn check_schema_pub(&mut self, schema: &str, object: &str, read: bool) {
        self.schema(schema, object, read)
    }

    pub(super) fn refuse(&mut self, rule: &'static str, message: String, hint: Option<&str>) {
        let here = self.here;
        self.sink
            .push(here, rule, message, hint.map(str::to_string));
    }

    /// Walks one top-level statement node.
    pub fn statement(&mut self, node: &Value) {
        self.node(node, Ctx::default());
    }

    /// Checks a schema name used for a relation or object. `read` allows the catalogs.
    fn schema(&mut self, schema: &str, object: &str, read: bool) {
        match schema {
            SCHEMA => {}
            "public" if object == TRACKER => self.refuse(
                "tracker-table",
                format!("public.{TRACKER} is en-migrate's tracker; only en-migrate writes it"),
                Some("remove this statement: en-migrate records every migration itself"),
            ),
            "public" => self.refuse(
                "touches-public",
                if object.is_empty() { "the public schema itself".to_string() } else { format!("public.{object} is in schema public") },
                Some("public belongs to BetterAuth and the other applications; keep every object in expert_network"),
            ),
            "pg_catalog" | "information_schema" if read => {}
            "pg_catalog" | "information_schema" => self.refuse(
                "outside-schema",
                format!("{schema}.{object}: the catalogs may be read, never written or altered"),
                None,
            ),
            other => self.refuse(
                "outside-schema",
                format!("{}{} is outside schema {SCHEMA}", other, if object.is_empty() { String::new() } else { format!(".{object}") }),
                Some("en-migrate migrations may only touch expert_network"),
            ),
        }
    }

    /// A name that references an existing function, type, operator or collation: unqualified is fine
    /// (it resolves through the pinned search_path), qualified must be expert_network or a catalog.
    fn reference(&mut self, parts: &[String]) {
        if parts.len() >= 2 {
            let schema = &parts[parts.len() - 2];
            self.schema(schema, &parts[parts.len() - 1], true);
            if parts.len() >= 3 {
                self.refuse(
                    "outside-schema",
                    format!("{} names another database", parts.join(".")),
                    None,
                );
            }
        }
    }

    /// A name that a statement creates, alters, drops, comments on or grants on: it must be written
    /// `expert_network.name`.
    fn target(&mut self, parts: &[String], what: &str) {
        match parts.len() {
            0 => {}
            1 => self.refuse(
                "unqualified-name",
                format!("{what} {} is not schema-qualified", parts[0]),
                Some(&format!("write {SCHEMA}.{}", parts[0])),
            ),
            n => {
                self.schema(&parts[n - 2], &parts[n - 1], false);
                if n >= 3 {
                    self.refuse(
                        "outside-schema",
                        format!("{} names another database", parts.join(".")),
                        None,
                    );
                }
            }
        }
    }

    /// Object kinds that are not in any schema: refused whatever their name. True when refused.
    fn refuse_kind(&mut self, objtype: &str) -> bool {
        let what = objtype
            .trim_start_matches("OBJECT_")
            .to_lowercase()
            .replace('_', " ");
        match objtype {
            "OBJECT_ROLE" => {
                self.refuse("roles", "statements on roles other than CREATE ROLE and GRANT ... TO a role are refused".into(), None);
                true
            }
            "OBJECT_ACCESS_METHOD"
            | "OBJECT_CAST"
            | "OBJECT_DATABASE"
            | "OBJECT_EVENT_TRIGGER"
            | "OBJECT_EXTENSION"
            | "OBJECT_FDW"
            | "OBJECT_FOREIGN_SERVER"
            | "OBJECT_LANGUAGE"
            | "OBJECT_LARGEOBJECT"
            | "OBJECT_PARAMETER_ACL"
            | "OBJECT_PUBLICATION"
            | "OBJECT_PUBLICATION_NAMESPACE"
            | "OBJECT_PUBLICATION_REL"
            | "OBJECT_SUBSCRIPTION"
            | "OBJECT_TABLESPACE"
            | "OBJECT_TRANSFORM"
            | "OBJECT_USER_MAPPING"
            | "OBJECT_FOREIGN_TABLE" => {
                self.refuse(
                    "database-wide",
                    format!("a {what} is a database-wide object, outside schema {SCHEMA}"),
                    None,
                );
                true
            }
            _ => false,
        }
    }

    /// A target object as DropStmt / CommentStmt / GrantStmt / ... carry it, by object type.
    fn object(&mut self, objtype: &str, obj: &Value) {
        let what = objtype
            .trim_start_matches("OBJECT_")
            .to_lowercase()
            .replace('_', " ");
        match objtype {
            "OBJECT_SCHEMA" => {
                if let Some(("String", body)) = typed(obj) {
                    let name = s(body, "sval").to_string();
                    self.schema(&name, "", false);
                }
                return;
            }
            _ => {
                if self.refuse_kind(objtype) {
                    return;
                }
            }
        }
        let sub_object = matches!(
            objtype,
            "OBJECT_COLUMN"
                | "OBJECT_TRIGGER"
                | "OBJECT_POLICY"
                | "OBJECT_RULE"
                | "OBJECT_TABCONSTRAINT"
        );
        match typed(obj) {
            Some(("List", body)) => {
                let items = arr(body, "items");
                if let Some(parts) = name_parts(items) {
                    let parts = if sub_object && !parts.is_empty() {
                        &parts[..parts.len() - 1]
                    } else {
                        &parts[..]
                    };
                    self.target(parts, &what);
                } else {
                    // e.g. a domain constraint: [TypeName, String]
                    for item in items {
                        self.object_node(item, &what);
                    }
                }
            }
            Some(("String", body)) => {
                let name = s(body, "sval").to_string();
                if !sub_object {
                    self.target(&[name], &what);
                }
            }
            _ => self.object_node(obj, &what),
        }
    }

    fn object_node(&mut self, obj: &Value, what: &str) {
        match kind_of(obj) {
            Some(("TypeName", body)) => {
                if let Some(parts) = name_parts(arr(body, "names")) {
                    self.target(&parts, what);
                }
            }
            Some(("ObjectWithArgs", body)) => {
                if let Some(parts) = name_parts(arr(body, "objname")) {
                    self.target(&parts, what);
                }
                for a in arr(body, "objargs").iter().chain(arr(body, "objfuncargs")) {
                    self.node(a, Ctx::default());
                }
            }
            Some(("RangeVar", _)) => self.node(obj, Ctx::default()),
            _ => {}
        }
    }

    fn target_list(&mut self, v: &Value, key: &str, what: &str) {
        if let Some(parts) = name_parts(arr(v, key)) {
            self.target(&parts, what);
        }
    }

    /// Visits a node: a typed node is dispatched; anything else is descended into field by field.
    pub(super) fn node(&mut self, v: &Value, ctx: Ctx) {
        match v {
            Value::Object(map) => {
                if let Some((ty, body)) = typed(v) {
                    if let Some(loc) = body.get("location").and_then(Value::as_i64) {
                        if loc >= 0 && !self.pinned {
                            self.here = self.base + loc as usize;
                        }
                    }
                    self.typed_node(ty, body, ctx);
                } else if let Some(ty) = shape(map) {
                    // A message-typed field (DeleteStmt.relation is a RangeVar, not a Node) carries
                    // no type tag: recognise it by its fields, so it gets the same checks.
                    if let Some(loc) = map.get("location").and_then(Value::as_i64) {
                        if loc >= 0 && !self.pinned {
                            self.here = self.base + loc as usize;
                        }
                    }
                    self.typed_node(ty, v, ctx);
                } else {
                    for (k, child) in map {
                        self.field(k, child, ctx);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| self.node(i, ctx)),
            _ => {}
        }
    }

    fn field(&mut self, key: &str, child: &Value, ctx: Ctx) {
        let ctx = match key {
            "from_clause" | "using_clause" | "source_relation" | "fromlist" => {
                Ctx { read: true, ..ctx }
            }
            _ => ctx,
        };
        self.node(child, ctx)
    }

    fn fields(&mut self, body: &Value, ctx: Ctx, skip: &[&str]) {
        if let Value::Object(map) = body {
            for (k, child) in map {
                if !skip.contains(&k.as_str()) {
                    self.field(k, child, ctx);
                }
            }
        }
    }

    fn typed_node(&mut self, ty: &str, body: &Value, ctx: Ctx) {
        // Writes and DDL never count as reads, even inside a FROM list (CTEs are not in FROM).
        let stmt_ctx = Ctx { read: false, ..ctx };
        match ty {
            "RangeVar" => self.range_var(body, ctx),
            "FuncCall" => self.func_call(body, ctx),
            "TypeCast" => {
                if let (Some(text), Some(tn)) = (body.get("arg").and_then(const_str), body.get("type_name")) {
                    let tparts = name_parts(arr(tn, "names")).unwrap_or_default();
                    if let Some(t) = tparts.last().filter(|t| REG_TYPES.contains(&t.as_str())) {
                        let parts = split_qualified(text);
                        if t == "regclass" && parts.len() == 1 {
                            self.refuse("unqualified-name", format!("'{text}'::regclass is not schema-qualified"), Some(&format!("write '{SCHEMA}.{text}'")));
                        } else {
                            self.reference(&parts);
                        }
                    } else if tparts.last().map(String::as_str) == Some("regnamespace") {
                        self.schema(&text.to_lowercase(), "", true);
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
                        self.schema(&schema, &rel, ctx.read || true);
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
            "SelectStmt" | "InsertStmt" | "UpdateStmt" | "DeleteStmt" | "MergeStmt" => {
                let ctx = if ty == "SelectStmt" { ctx } else { stmt_ctx };
                let mark = self.ctes.len();
                self.with_clause(body, ctx);
                self.fields(body, ctx, &["with_clause"]);
                self.ctes.truncate(mark);
            }
            "CreateTrigStmt" => {
                self.target_list(body, "funcname", "trigger function");
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
            "PlassignStmt" | "ReturnStmt" | "VariableShowStmt" | "ConstraintsSetStmt" | "CompositeTypeStmt"
            | "ViewStmt" | "CreateTableAsStmt" | "CreateStmt" | "RuleStmt" | "CreatePolicyStmt" | "AlterPolicyStmt"
            | "TruncateStmt" | "LockStmt" | "RefreshMatViewStmt" | "ExplainStmt" | "CallStmt"
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
                body::function(self, body);
                self.fields(body, stmt_ctx, &["funcname", "options"]);
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
                self.fields(body, stmt_ctx, &["opclassname", "opfamilyname"]);
            }
            "CreateOpFamilyStmt" | "AlterOpFamilyStmt" => {
                self.target_list(body, "opfamilyname", "operator family");
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
                match schema {
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
                let file = s(body, "filename");
                if b(body, "is_program") || !file.is_empty() {
                    self.refuse("file-access", "COPY to or from a server file or program".into(), Some("load data with INSERT statements"));
                } else if b(body, "is_from") {
                    self.refuse("file-access", "COPY ... FROM STDIN needs a client data stream, which a migration does not have".into(), Some("load data with INSERT statements"));
                }
                self.fields(body, stmt_ctx, &[]);
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
            "CreatePublicationStmt" | "AlterPublicationStmt" | "CreateSubscriptionStmt" | "AlterSubscriptionStmt"
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

    /// A WITH list: each CTE sees the ones before it (all of them, and itself, when RECURSIVE); the
    /// statement sees them all. The names stay pushed; the caller truncates.
    fn with_clause(&mut self, body: &Value, ctx: Ctx) {
        let Some(w) = body.get("with_clause").filter(|w| !w.is_null()) else {
            return;
        };
        let ctes = arr(w, "ctes");
        let names: Vec<String> = ctes
            .iter()
            .filter_map(|c| typed(c).map(|(_, b)| s(b, "ctename").to_string()))
            .collect();
        if b(w, "recursive") {
            self.ctes.extend(names.iter().cloned());
        }
        for (i, cte) in ctes.iter().enumerate() {
            if let Some(("CommonTableExpr", c)) = typed(cte) {
                self.fields(c, Ctx { read: false, ..ctx }, &[]);
            }
            if !b(w, "recursive") {
                self.ctes.push(names[i].clone());
            }
        }
    }

    fn range_var(&mut self, body: &Value, ctx: Ctx) {
        let schema = s(body, "schemaname").to_string();
        let rel = s(body, "relname").to_string();
        if !s(body, "catalogname").is_empty() {
            self.refuse(
                "outside-schema",
                format!(
                    "{}.{schema}.{rel} names another database",
                    s(body, "catalogname")
                ),
                None,
            );
        }
        if schema.is_empty() {
            if self.ctes.contains(&rel) || ctx.implicit_schema {
                return;
            }
            self.refuse(
                "unqualified-name",
                format!(
                    "relation {rel} is not schema-qualified; it would resolve through search_path"
                ),
                Some(&format!("write {SCHEMA}.{rel}")),
            );
        } else {
            self.schema(&schema, &rel, ctx.read);
        }
        if let Some(alias) = body.get("alias") {
            self.node(alias, ctx);
        }
    }

    fn func_call(&mut self, body: &Value, ctx: Ctx) {
        let parts = name_parts(arr(body, "funcname")).unwrap_or_default();
        self.reference(&parts);
        let name = parts.last().map(String::as_str).unwrap_or("");
        let catalog_or_bare = parts.len() == 1 || parts.first().is_some_and(|p| p == "pg_catalog");
        if catalog_or_bare {
            if SESSION_FUNCS.contains(&name) {
                self.refuse(
                    "session-state",
                    format!("{name}() changes the session"),
                    None,
                );
            } else if STATEMENT_CATALOG_FUNCS_FILE.contains(&name) || name.starts_with("dblink") {
                self.refuse(
                    "file-access",
                    format!("{name}() reaches files or other servers"),
                    None,
                );
            } else if DYNAMIC_FUNCS.contains(&name) {
                self.refuse(
                    "dynamic-sql",
                    format!("{name}() runs SQL given as text, which the fence cannot see"),
                    None,
                );
            } else if DATABASE_WIDE_FUNCS.contains(&name) {
                self.refuse(
                    "database-wide",
                    format!("{name}() acts on the whole server"),
                    None,
                );
            } else if RELATION_ARG_FUNCS.contains(&name) {
                if let Some(text) = arr(body, "args").first().and_then(const_str) {
                    let rel = split_qualified(text);
                    if rel.len() == 1 {
                        self.refuse(
                            "unqualified-name",
                            format!("{name}('{text}') names a sequence without its schema"),
                            Some(&format!("write {name}('{SCHEMA}.{text}')")),
                        );
                    } else {
                        let (schema, obj) =
                            (rel[rel.len() - 2].clone(), rel[rel.len() - 1].clone());
                        self.schema(&schema, &obj, false);
                    }
                }
            }
        }
        self.fields(body, ctx, &["funcname"]);
    }

    fn variable_set(&mut self, body: &Value) {
        let name = s(body, "name").to_lowercase();
        let kind = body.get("kind").and_then(Value::as_i64).unwrap_or(0) as i32;
        let kind = VariableSetKind::try_from(kind).map_or("", |k| k.as_str_name());
        let plain_local = b(body, "is_local")
            && matches!(
                kind,
                "VAR_SET_VALUE" | "VAR_SET_DEFAULT" | "VAR_SET_CURRENT"
            )
            && !matches!(
                name.as_str(),
                "search_path" | "role" | "session_authorization" | "session_replication_role"
            )
            && !name.starts_with("en_migrate.");
        if !plain_local {
            let what = if name.is_empty() {
                "RESET ALL / SET TRANSACTION".to_string()
            } else {
                name.clone()
            };
            self.refuse(
                "session-state",
                format!("SET/RESET of {what} changes the session en-migrate runs every migration in"),
                Some("use SET LOCAL for a plain setting such as lock_timeout; search_path and the role are pinned by en-migrate"),
            );
        }
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

/// The node type of an untagged message, by the fields that only it has.
fn shape(map: &serde_json::Map<String, Value>) -> Option<&'static str> {
    if map.contains_key("relname") && map.contains_key("relpersistence") {
        Some("RangeVar")
    } else if map.contains_key("names") && map.contains_key("pct_type") {
        Some("TypeName")
    } else if map.contains_key("objname") && map.contains_key("objargs") {
        Some("ObjectWithArgs")
    } else if map.contains_key("funcname") && map.contains_key("agg_star") {
        Some("FuncCall")
    } else if map.contains_key("collname") && map.contains_key("arg") && map.len() <= 3 {
        Some("CollateClause")
    } else {
        None
    }
}

/// "CreatePublicationStmt" -> "CREATE PUBLICATION"-ish words for messages.
pub(super) fn sql_kind(ty: &str) -> String {
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
