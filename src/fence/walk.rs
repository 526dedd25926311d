//! The parse-tree walk behind the fence: a statement-kind allowlist, and one generic descent that sees
//! every node, so that a relation or schema named anywhere in a tree (a CTE, an UPDATE's FROM list, a
//! foreign key, a rule action) is checked without a list of places.
//!
//! The tree is pg_query's protobuf, viewed as JSON (`{"node": {"RangeVar": {...}}}`): every field of
//! every node is visited unless a statement handler says otherwise.

use super::resolve::Use;
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
    /// The relation named here is written (an INSERT/UPDATE/DELETE/MERGE target, TRUNCATE, LOCK, COPY FROM).
    pub(super) write: bool,
    /// Inside the FROM list of a SELECT with FOR UPDATE/SHARE: the relations named here are locked.
    pub(super) lock: bool,
}

/// What kind of text the walk is in: a top-level statement runs now, a function body later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Body {
    #[default]
    Top,
    /// A DO block: runs now, inside the migration.
    Do,
    Function,
    /// A function returning trigger: its transition tables are in scope.
    Trigger,
}

impl Body {
    /// A body the migration only defines (it runs when the application calls it).
    pub(super) fn is_function(self) -> bool {
        matches!(self, Body::Function | Body::Trigger)
    }
    pub(super) fn is_any(self) -> bool {
        self != Body::Top
    }
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
    /// The search_path unqualified names resolve under.
    pub(super) path: super::policy::SearchPath,
    /// Temporary tables created so far in this statement (and the bodies inside it).
    pub(super) temps: Vec<String>,
    pub(super) body: Body,
    /// The relations a FOR UPDATE OF list names (None: every relation in FROM is locked).
    pub(super) lock_names: Option<Vec<String>>,
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

impl<'s, 'a> Walker<'s, 'a> {
    pub fn new(sink: &'s mut Sink<'a>, base: usize, len: usize, no_transaction: bool) -> Self {
        let lead = sink
            .text
            .get(base..base + len)
            .map_or(0, super::statement_start);
        Walker {
            sink,
            base,
            here: base + lead,
            no_transaction,
            ctes: Vec::new(),
            stmt_start: base,
            stmt_end: base + len,
            pinned: false,
            path: super::policy::SearchPath::Pinned,
            temps: Vec::new(),
            body: Body::Top,
            lock_names: None,
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
        let rel = s(body, "relname");
        let alias = body.get("alias").map(|a| s(a, "aliasname")).unwrap_or("");
        let locked = ctx.lock
            && self
                .lock_names
                .as_ref()
                .is_none_or(|names| names.iter().any(|n| n == rel || n == alias));
        let use_ = if ctx.write || locked {
            Use::Write
        } else if ctx.read {
            Use::Read
        } else {
            Use::Alter
        };
        self.relation(body, ctx, use_);
    }

    /// A relation a statement creates: qualified with expert_network, or temporary.
    pub(super) fn created_relation(&mut self, body: Option<&Value>, ctx: Ctx, what: &str) {
        let Some(body) = body.filter(|b| !b.is_null()) else {
            return;
        };
        if let Some(loc) = body.get("location").and_then(Value::as_i64) {
            if loc >= 0 && !self.pinned {
                self.here = self.base + loc as usize;
            }
        }
        let schema = s(body, "schemaname").to_string();
        let rel = s(body, "relname").to_string();
        if s(body, "relpersistence") == "t" && (schema.is_empty() || schema == "pg_temp") {
            self.temps.push(rel);
            return;
        }
        if !s(body, "catalogname").is_empty() {
            self.refuse(
                "outside-schema",
                format!(
                    "{}.{schema}.{rel} names another database",
                    s(body, "catalogname")
                ),
                Some("drop the database name"),
            );
        }
        match schema.as_str() {
            "" if ctx.implicit_schema => {}
            "" => self.refuse(
                "unqualified-name",
                format!("{what} {rel} is not schema-qualified"),
                Some(&format!("write {SCHEMA}.{rel}")),
            ),
            "pg_temp" => self.temps.push(rel),
            _ => self.schema(&schema, &rel, false),
        }
    }

    pub(super) fn func_call(&mut self, body: &Value, ctx: Ctx) {
        self.function_call(body);
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
    } else if map.contains_key("rel") && map.contains_key("on_commit") {
        Some("IntoClause")
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
