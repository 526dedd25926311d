//! The parse-tree walk behind the fence: a statement-kind allowlist, and one generic descent that sees
//! every node, so that a relation or schema named anywhere in a tree (a CTE, an UPDATE's FROM list, a
//! foreign key, a rule action) is checked without a list of places.
//!
//! The tree is pg_query's protobuf, viewed as JSON (`{"node": {"RangeVar": {...}}}`): every field of
//! every node is visited unless a statement handler says otherwise.

use super::{Sink, SCHEMA, TRACKER};
use pg_query::protobuf::ObjectType;
use serde_json::Value;

/// What the walk knows about where it is.
#[derive(Clone, Copy, Default)]
pub(super) struct Ctx {
    /// Inside a FROM / USING list: catalogs may be read here, and only here.
    pub(super) read: bool,
    /// Inside `CREATE SCHEMA expert_network ...` elements, whose unqualified names land in that schema.
    pub(super) implicit_schema: bool,
}

pub struct Walker<'s, 'a> {
    pub(super) sink: &'s mut Sink<'a>,
    /// Byte offset in the file of the text whose node locations we are reading.
    pub(super) base: usize,
    /// Best known position for a finding on a node without a location of its own.
    pub(super) here: usize,
    pub(super) no_transaction: bool,
    /// CTE names in scope: an unqualified reference to one of these is not a relation.
    pub(super) ctes: Vec<String>,
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

pub(super) fn s<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

pub(super) fn b(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

pub(super) fn arr<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

pub(super) fn object_type(v: &Value, key: &str) -> &'static str {
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
pub(super) fn const_str(v: &Value) -> Option<&str> {
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
    pub(super) fn schema(&mut self, schema: &str, object: &str, read: bool) {
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
    pub(super) fn reference(&mut self, parts: &[String]) {
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
    pub(super) fn target(&mut self, parts: &[String], what: &str) {
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
    pub(super) fn refuse_kind(&mut self, objtype: &str) -> bool {
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
    pub(super) fn object(&mut self, objtype: &str, obj: &Value) {
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

    pub(super) fn object_node(&mut self, obj: &Value, what: &str) {
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

    pub(super) fn target_list(&mut self, v: &Value, key: &str, what: &str) {
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

    pub(super) fn field(&mut self, key: &str, child: &Value, ctx: Ctx) {
        let ctx = match key {
            "from_clause" | "using_clause" | "source_relation" | "fromlist" => {
                Ctx { read: true, ..ctx }
            }
            _ => ctx,
        };
        self.node(child, ctx)
    }

    pub(super) fn fields(&mut self, body: &Value, ctx: Ctx, skip: &[&str]) {
        if let Value::Object(map) = body {
            for (k, child) in map {
                if !skip.contains(&k.as_str()) {
                    self.field(k, child, ctx);
                }
            }
        }
    }

    /// A WITH list: each CTE sees the ones before it (all of them, and itself, when RECURSIVE); the
    /// statement sees them all. The names stay pushed; the caller truncates.
    pub(super) fn with_clause(&mut self, body: &Value, ctx: Ctx) {
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

    pub(super) fn range_var(&mut self, body: &Value, ctx: Ctx) {
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

    pub(super) fn func_call(&mut self, body: &Value, ctx: Ctx) {
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
}

/// The node type of an untagged message, by the fields that only it has.
pub(super) fn shape(map: &serde_json::Map<String, Value>) -> Option<&'static str> {
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
