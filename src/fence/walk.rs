//! The parse-tree walk behind the fence: a statement-kind allowlist, and one generic descent that sees
//! every node, so that a relation or schema named anywhere in a tree (a CTE, an UPDATE's FROM list, a
//! foreign key, a rule action) is checked without a list of places.
//!
//! The tree is pg_query's typed protobuf. The descent is `nodes.rs`, generated from pg_query.proto:
//! every message-typed field of every node kind is visited unless a handler visits it itself, so a
//! field or node kind pg_query adds is walked (or, for a statement kind, fails to compile) rather than
//! skipped. Recursion runs on a stack grown on demand, so nesting the server accepts is never refused.

use super::nodes::Ref;
use super::{Rule, Sink, SCHEMA, TRACKER};
use pg_query::protobuf::{self as pb, a_const::Val, node::Node as N, ObjectType};

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

/// What a statement does with a relation it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Use {
    Read,
    /// INSERT/UPDATE/DELETE/MERGE targets, TRUNCATE, COPY FROM, LOCK, row locks.
    Write,
    /// DDL on an existing relation (ALTER, CREATE INDEX/TRIGGER/POLICY ON, REFERENCES, ...).
    Alter,
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
    /// Walking a DO block of a no-transaction file that commits or rolls back: the runner sends it
    /// bare, with no database-side check around it (`db::notx::runs_alone`), see `unguarded_write`.
    pub(super) unguarded: bool,
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
    /// Inside a string body of a function without its own `SET search_path`: the server resolves
    /// its names when it is called, under the caller's path (an application's `"$user", public`).
    pub(super) caller_path: bool,
    /// Inside a function with its own `SET search_path`: whatever its body looks up when it runs (a
    /// name given as text included) is looked up under that path, whoever calls it.
    pub(super) own_path: bool,
    /// Inside the string body of a SECURITY DEFINER function: it runs with its owner's rights in the
    /// caller's session, whose temporary schema (which any role may fill) is searched for relations
    /// and types wherever the path puts it, first when the path does not name it.
    pub(super) definer: bool,
    /// Inside the BEGIN ATOMIC body of a SECURITY DEFINER function: its names were bound when it
    /// was made, but what its writes fire, and the bodies of the functions it calls, still run
    /// with its owner's rights (see `definer_writes`).
    pub(super) atomic_definer: bool,
    /// With `definer`: where each body the statement gave the definer stops running, as
    /// `Model::definer_ends` finds them (empty: it runs on after the migrations).
    pub(super) definer_ends: Vec<Option<usize>>,
    /// With `atomic_definer`: whether an invoker it calls without a path of its own looks up its
    /// functions in expert_network (the definer's own path does, or it has none).
    pub(super) atomic_searches_ours: bool,
    /// Inside an expression the server runs as its relation's owner on maintenance, whoever asks
    /// for it (see `owner_runs`): what the refusals name as the caller instead of a definer.
    pub(super) owner_run: Option<&'static str>,
    /// Inside a statement that keeps its expressions for later (see `stores_expressions`): a name
    /// given as text is looked up when they run, in another session, under another path.
    pub(super) stored: bool,
    /// The relations a FOR UPDATE OF list names (None: every relation in FROM is locked).
    pub(super) lock_names: Option<Vec<String>>,
    /// The text of a statement that is not the file's own (one inside a DO block, a function body
    /// or a constant EXECUTE string): a function it creates re-reads its header from this text, not
    /// from the top-level statement that holds it, which would hold the same function again.
    pub(super) embedded: Option<String>,
    /// The code walked runs in the migration's own session, now: the file's statements, its DO
    /// blocks and the bodies of its temporary functions. There pg_temp is the migration's own schema,
    /// gone when the session ends, which no other role may use (`permission denied for schema
    /// pg_temp_3`); anywhere else (a kept function body, a default) it is the running session's.
    pub(super) in_session: bool,
    /// The top-level statement is one `SELECT set_config(...)` alone, the only form in which
    /// set_config may change search_path: the one `policy::paths` follows for what comes after.
    pub(super) set_config_alone: bool,
    /// The top-level statement is one `policy::paths` does not read for a path it sets
    /// (`policy::may_set_path`): a change of search_path in it would go unfollowed, the rest of the
    /// file judged under the path before it, so one is refused.
    pub(super) path_unfollowed: bool,
    /// The top-level statement does not name check_function_bodies as a plain word
    /// (`policy::names_check_function_bodies`): the model then reads the file's SQL string bodies as
    /// checked by the server when made, so a setting of it here is refused (`bodies_check_spelled`).
    pub(super) bodies_check_unread: bool,
    /// Inside a SECURITY DEFINER string body: what its parameters and variables are known to be,
    /// for the arguments of its calls of expert_network's functions (`arg_types.rs`).
    pub(super) known: Option<Box<super::arg_types::Known>>,
    /// What the names of the embedded statement being walked may mean besides the body's own
    /// parameters and variables (`arg_types::scope_of`).
    pub(super) scope: super::arg_types::Scope,
}

/// The node inside an optional child.
pub(super) fn inner(n: &Option<Box<pb::Node>>) -> Option<&N> {
    n.as_deref().and_then(|x| x.node.as_ref())
}

/// A list of `String` nodes -> the name parts.
pub(super) fn name_parts(list: &[pb::Node]) -> Option<Vec<String>> {
    list.iter()
        .map(|n| match &n.node {
            Some(N::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
}

/// A string constant's text, if the node is one.
pub(super) fn const_str(n: &N) -> Option<&str> {
    match n {
        N::AConst(c) => match &c.val {
            Some(Val::Sval(s)) => Some(&s.sval),
            _ => None,
        },
        _ => None,
    }
}

/// An `ObjectType` field's value (`Undefined` for a number this pg_query does not know).
pub(super) fn object_type(n: i32) -> ObjectType {
    ObjectType::try_from(n).unwrap_or(ObjectType::Undefined)
}

/// "CREATE PUBLICATION"-ish words for an object type in messages.
pub(super) fn object_words(t: ObjectType) -> String {
    t.as_str_name()
        .trim_start_matches("OBJECT_")
        .to_lowercase()
        .replace('_', " ")
}

/// The object kinds that are relations, which the server looks up on the search_path as a RangeVar.
pub(super) fn is_relation_kind(t: ObjectType) -> bool {
    use ObjectType as O;
    matches!(
        t,
        O::ObjectTable
            | O::ObjectIndex
            | O::ObjectView
            | O::ObjectMatview
            | O::ObjectSequence
            | O::ObjectForeignTable
    )
}

/// The address of the node in `n`, to tell a handler's own children from the rest.
pub(super) fn addr(n: &pb::Node) -> Option<*const ()> {
    n.node.as_ref().map(|x| Ref::of(x).addr())
}

/// Splits a function's or operator's name as written in a string from its argument types
/// (`'expert_network.f(expert_network.t[], int)'::regprocedure`, `to_regprocedure(...)`), honouring
/// double quotes: the name's text, and each argument type's (none when there is no list).
pub(super) fn split_signature(text: &str) -> (&str, Vec<&str>) {
    let mut quoted = false;
    let open = text.char_indices().find_map(|(i, c)| match c {
        '"' => {
            quoted = !quoted;
            None
        }
        '(' if !quoted => Some(i),
        _ => None,
    });
    let Some(open) = open else {
        return (text, Vec::new());
    };
    let inner = text[open + 1..].trim_end();
    let inner = inner.strip_suffix(')').unwrap_or(inner);
    let (mut args, mut depth, mut start, mut quoted) = (Vec::new(), 0i32, 0, false);
    for (i, c) in inner.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                args.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    if !inner[start..].trim().is_empty() {
        args.push(inner[start..].trim());
    }
    (text[..open].trim_end(), args)
}

/// An argument type of a signature written in a string, without its typmod and array bounds
/// (`character varying(10)`, `expert_network.t[]`), split as `split_qualified` splits a name.
pub(super) fn signature_type(arg: &str) -> Vec<String> {
    let mut t = arg.trim();
    loop {
        let before = t;
        t = t.trim_end();
        if let Some(x) = t.strip_suffix("[]") {
            t = x;
        }
        if t.ends_with(')') {
            if let Some(i) = t.rfind('(') {
                t = &t[..i];
            }
        }
        if t == before {
            break;
        }
    }
    split_qualified(t)
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
            unguarded: false,
            ctes: Vec::new(),
            stmt_start: base,
            stmt_end: base + len,
            pinned: false,
            path: super::policy::SearchPath::Pinned,
            temps: Vec::new(),
            body: Body::Top,
            caller_path: false,
            own_path: false,
            definer: false,
            atomic_definer: false,
            definer_ends: Vec::new(),
            atomic_searches_ours: false,
            owner_run: None,
            stored: false,
            lock_names: None,
            embedded: None,
            in_session: true,
            set_config_alone: false,
            path_unfollowed: false,
            bodies_check_unread: false,
            known: None,
            scope: super::arg_types::Scope::UNREAD,
        }
    }

    pub(super) fn check_schema_pub(&mut self, schema: &str, object: &str, read: bool) {
        self.schema(schema, object, read)
    }

    /// Refuses a setting of `setting` (SET, RESET, set_config, a routine's SET option) that is
    /// check_function_bodies in a spelling the model does not read (`bodies_check_unread`): the file
    /// would make SQL bodies unchecked that the fence judged as checked by the server.
    pub(super) fn bodies_check_spelled(&mut self, setting: &str) {
        if self.bodies_check_unread && setting.eq_ignore_ascii_case("check_function_bodies") {
            self.refuse(
                Rule::SessionState,
                "check_function_bodies set in a spelling the fence does not read: the SQL bodies after it would be judged as checked by the server when made".into(),
                Some("write check_function_bodies as a plain word: SET check_function_bodies = false"),
            );
        }
    }

    pub(super) fn refuse(&mut self, rule: Rule, message: String, hint: Option<&str>) {
        let here = self.here;
        self.sink
            .push(here, rule, message, hint.map(str::to_string));
    }

    /// Walks one top-level statement node.
    pub fn statement(&mut self, node: &pb::Node) {
        self.node_of(node, Ctx::default());
    }

    /// Walks one statement of a parsed text that is not the file's own (`text` is what was parsed),
    /// with `embedded` set to that statement's own text while it is walked.
    pub(super) fn embedded_statement(
        &mut self,
        text: &str,
        raw: &pb::RawStmt,
        walk: impl FnOnce(&mut Self, &pb::Node),
    ) {
        let Some(node) = &raw.stmt else { return };
        let start = usize::try_from(raw.stmt_location).unwrap_or(0);
        let len = usize::try_from(raw.stmt_len).unwrap_or(0);
        // stmt_len 0: the statement runs to the end of the text.
        let end = if len == 0 {
            text.len()
        } else {
            start.saturating_add(len)
        };
        let own = text.get(start..end).unwrap_or(text).to_string();
        let saved = self.embedded.replace(own);
        let scope = node
            .node
            .as_ref()
            .map_or(super::arg_types::Scope::UNREAD, super::arg_types::scope_of);
        let saved_scope = std::mem::replace(&mut self.scope, scope);
        walk(self, node);
        self.embedded = saved;
        self.scope = saved_scope;
    }

    /// Checks a schema name used for a relation or object. `read` allows the catalogs.
    pub(super) fn schema(&mut self, schema: &str, object: &str, read: bool) {
        match schema {
            SCHEMA => {}
            "public" if object == TRACKER => self.refuse(
                Rule::TrackerTable,
                format!("public.{TRACKER} is en-migrate's tracker; only en-migrate writes it"),
                Some("remove this statement: en-migrate records every migration itself"),
            ),
            "public" => self.refuse(
                Rule::TouchesPublic,
                if object.is_empty() { "the public schema itself".to_string() } else { format!("public.{object} is in schema public") },
                Some("public belongs to BetterAuth and the other applications; keep every object in expert_network"),
            ),
            "pg_catalog" | "information_schema" if read => {}
            "pg_catalog" | "information_schema" => self.refuse(
                Rule::OutsideSchema,
                format!("{schema}.{object}: the catalogs may be read, never written or altered"),
                None,
            ),
            other => self.refuse(
                Rule::OutsideSchema,
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
                    Rule::OutsideSchema,
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
                Rule::UnqualifiedName,
                format!("{what} {} is not schema-qualified", parts[0]),
                Some(&format!("write {SCHEMA}.{}", parts[0])),
            ),
            n => {
                self.schema(&parts[n - 2], &parts[n - 1], false);
                if n >= 3 {
                    self.refuse(
                        Rule::OutsideSchema,
                        format!("{} names another database", parts.join(".")),
                        None,
                    );
                }
            }
        }
    }

    /// Object kinds that are not in any schema: refused whatever their name. True when refused.
    pub(super) fn refuse_kind(&mut self, objtype: ObjectType) -> bool {
        use ObjectType as O;
        let what = object_words(objtype);
        match objtype {
            O::ObjectRole => {
                self.refuse(Rule::Roles, "statements on roles other than CREATE ROLE and GRANT ... TO a role are refused".into(), None);
                true
            }
            O::ObjectAccessMethod
            | O::ObjectCast
            | O::ObjectDatabase
            | O::ObjectEventTrigger
            | O::ObjectExtension
            | O::ObjectFdw
            | O::ObjectForeignServer
            | O::ObjectLanguage
            | O::ObjectLargeobject
            | O::ObjectParameterAcl
            | O::ObjectPublication
            | O::ObjectPublicationNamespace
            | O::ObjectPublicationRel
            | O::ObjectSubscription
            | O::ObjectTablespace
            | O::ObjectTransform
            | O::ObjectUserMapping
            | O::ObjectForeignTable => {
                self.refuse(
                    Rule::DatabaseWide,
                    format!(
                        "{} {what} is a database-wide object, outside schema {SCHEMA}",
                        if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
                            "an"
                        } else {
                            "a"
                        }
                    ),
                    None,
                );
                true
            }
            _ => false,
        }
    }

    /// A target object as DropStmt / CommentStmt / GrantStmt / ... carry it, by object type.
    pub(super) fn object(&mut self, objtype: ObjectType, obj: &pb::Node) {
        use ObjectType as O;
        let what = object_words(objtype);
        if objtype == O::ObjectSchema {
            if let Some(N::String(s)) = &obj.node {
                self.schema(&s.sval, "", false);
            }
            return;
        }
        // `DROP CAST (a AS b)`, `COMMENT ON CAST (a AS b)`: named by its two types.
        if objtype == O::ObjectCast {
            if let Some(N::List(l)) = &obj.node {
                if let [a, b] = l.items.as_slice() {
                    if let (Some(N::TypeName(a)), Some(N::TypeName(b))) = (&a.node, &b.node) {
                        self.cast_types(a, b);
                        return;
                    }
                }
            }
        }
        if self.refuse_kind(objtype) {
            return;
        }
        if let Some(f) = self.own_routine_unqualified(objtype, obj) {
            // The name resolves to expert_network's routine; its argument types are still names.
            self.nodes(&f.objargs, Ctx::default());
            self.nodes(&f.objfuncargs, Ctx::default());
            return;
        }
        let sub_object = matches!(
            objtype,
            O::ObjectColumn
                | O::ObjectTrigger
                | O::ObjectPolicy
                | O::ObjectRule
                | O::ObjectTabconstraint
        );
        // `DROP INDEX IF EXISTS users_email_idx` (supabase/auth), `DROP TABLE tiered_storage_tasks`
        // (Temporal): the server finds a relation named by DROP, COMMENT or SECURITY LABEL on the
        // search_path as it finds `ALTER TABLE`'s, so it resolves the same way.
        let relation = is_relation_kind(objtype);
        if objtype == O::ObjectStatisticExt {
            if let Some(N::List(l)) = &obj.node {
                if let Some([name]) = name_parts(&l.items).as_deref() {
                    if self.statistics_found_only_in_ours() && self.sink.model.has_statistics(name)
                    {
                        return;
                    }
                }
            }
        }
        match &obj.node {
            Some(N::List(l)) => {
                if let Some(parts) = name_parts(&l.items) {
                    match parts.split_last() {
                        Some((_, table)) if sub_object => self.table_of(table, &what),
                        Some((_, [])) if relation => self.table_of(&parts, &what),
                        Some((name, [])) if matches!(objtype, O::ObjectType | O::ObjectDomain) => {
                            self.type_target(name, &what);
                        }
                        _ => self.target(&parts, &what),
                    }
                } else {
                    // e.g. a domain constraint: [TypeName, String]
                    for item in &l.items {
                        if let Some(n) = &item.node {
                            self.object_node(Ref::of(n), &what);
                        }
                    }
                }
            }
            Some(N::String(s)) if !sub_object => {
                self.target(std::slice::from_ref(&s.sval), &what);
            }
            Some(N::String(_)) => {}
            Some(n) => self.object_node(Ref::of(n), &what),
            None => {}
        }
    }

    /// The table a sub-object is named on: a trigger, policy, rule or constraint (`DROP TRIGGER
    /// t_upd ON registry`), a column (`COMMENT ON COLUMN registry.url`), a sequence's `OWNED BY
    /// registry.id`. The server looks an unqualified one up on the search_path as it does for
    /// `ALTER TABLE registry`, so it is resolved as that statement's is (a table the migrations
    /// create in expert_network, a temporary one of the session), not required qualified.
    pub(super) fn table_of(&mut self, table: &[String], what: &str) {
        match table {
            [name] => {
                let rv = pb::RangeVar {
                    relname: name.clone(),
                    inh: true,
                    relpersistence: "p".into(),
                    location: -1,
                    ..Default::default()
                };
                self.relation(&rv, Ctx::default(), Use::Alter);
            }
            _ => self.target(table, what),
        }
    }

    pub(super) fn object_node(&mut self, obj: Ref<'_>, what: &str) {
        match obj {
            Ref::TypeName(t) => match name_parts(&t.names).as_deref() {
                Some([name]) => self.type_target(name, what),
                Some(parts) => self.target(parts, what),
                None => {}
            },
            Ref::ObjectWithArgs(o) => {
                if let Some(parts) = name_parts(&o.objname) {
                    match parts.as_slice() {
                        [name]
                            if self.routine_found_only_in_ours(name, what)
                                && self.sink.model.has_function(name) => {}
                        _ => self.target(&parts, what),
                    }
                }
                self.nodes(&o.objargs, Ctx::default());
                self.nodes(&o.objfuncargs, Ctx::default());
            }
            Ref::RangeVar(_) => self.node(obj, Ctx::default()),
            _ => {}
        }
    }

    /// Whether a function (procedure, aggregate) that DROP, ALTER, COMMENT or GRANT names
    /// unqualified can only be expert_network's (one the migrations make there, or with `DROP ... IF
    /// EXISTS` any: `ddl_checks::dropped_if_exists`), as a relation not named `pg_*` can
    /// (`unmade_outside_the_catalogs`): outside string bodies (which run under their caller's
    /// path), on a path that searches expert_network and pg_catalog alone for functions (the
    /// session's pg_temp never is), and named as no function of pg_catalog is on PostgreSQL 13 to 18
    /// (`known::function`), where `up` refuses to run while pg_catalog holds one the server did not
    /// make. rust-lang/crates.io's diesel migrations write `DROP FUNCTION
    /// to_semver_no_prerelease(text)`, `drop function if exists semver_ord(varchar)` and `comment on
    /// function semver_ord is '...'` so. A name pg_catalog has stays refused: when expert_network
    /// holds no function of exactly the types written, `DROP FUNCTION IF EXISTS` goes on to
    /// pg_catalog's, where PG 15 leaves 5 unpinned (`dsnowball_init(internal)`, ...).
    pub(super) fn routine_found_only_in_ours(&self, name: &str, what: &str) -> bool {
        matches!(what, "function" | "procedure" | "routine" | "aggregate")
            && super::known::function(name).is_none()
            && self.statistics_found_only_in_ours()
    }

    /// Whether a statistics object that DROP, ALTER or COMMENT names unqualified can
    /// only be expert_network's: outside string bodies (which run under their caller's path), on a
    /// path that searches expert_network and pg_catalog alone. The server looks such a name up on
    /// the path but never in the session's pg_temp (`get_statistics_object_oid` skips it), and
    /// pg_catalog holds no statistics object on PostgreSQL 13 to 18 (initdb makes none; one a
    /// superuser made there makes `up` refuse the run, `db::preflight::catalog_intruders`), so the
    /// only one it can find is expert_network's. Lemmy's diesel migrations make theirs with `CREATE
    /// statistics comment_actions_liked_stat ON ...` and drop them with `DROP statistics
    /// comment_actions_liked_stat, ...` so (corpus 141 of pass/). Functions are looked up so too
    /// (`routine_found_only_in_ours`), where pg_catalog holds many.
    pub(super) fn statistics_found_only_in_ours(&self) -> bool {
        !self.body.is_function()
            && !self.definer
            && !self.caller_path
            && self
                .path
                .functions()
                .iter()
                .all(|s| matches!(*s, SCHEMA | "pg_catalog"))
    }

    /// The name of a statistics object ALTER STATISTICS changes: unqualified, one the migrations make
    /// in expert_network (`statistics_found_only_in_ours`), or with IF EXISTS any.
    pub(super) fn altered_statistics(&mut self, names: &[pb::Node], missing_ok: bool) {
        if let Some([name]) = name_parts(names).as_deref() {
            if self.statistics_found_only_in_ours()
                && (missing_ok || self.sink.model.has_statistics(name))
            {
                return;
            }
        }
        self.target_list(names, "statistics object");
    }

    pub(super) fn target_list(&mut self, list: &[pb::Node], what: &str) {
        if let Some(parts) = name_parts(list) {
            self.target(&parts, what);
        }
    }

    /// Visits a node: moves `here` to its location, then dispatches it (`statements.rs`), on a stack
    /// grown whenever this one runs low.
    pub(super) fn node(&mut self, n: Ref<'_>, ctx: Ctx) {
        if let Some(loc) = n.location() {
            if loc >= 0 && !self.pinned {
                self.here = self.base + loc as usize;
            }
        }
        stacker::maybe_grow(RED_ZONE, STACK_STEP, || self.typed_node(n, ctx));
    }

    pub(super) fn node_of(&mut self, n: &pb::Node, ctx: Ctx) {
        if let Some(x) = &n.node {
            self.node(Ref::of(x), ctx);
        }
    }

    pub(super) fn nodes(&mut self, list: &[pb::Node], ctx: Ctx) {
        for n in list {
            self.node_of(n, ctx);
        }
    }

    /// The generic descent: every child of `n`.
    pub(super) fn descend(&mut self, n: Ref<'_>, ctx: Ctx) {
        n.children(&mut |c| self.node(c, ctx));
    }

    /// Every child of `n` but those at `skip` (the ones its handler visited itself).
    pub(super) fn descend_except(&mut self, n: Ref<'_>, ctx: Ctx, skip: &[Option<*const ()>]) {
        n.children(&mut |c| {
            if !skip.contains(&Some(c.addr())) {
                self.node(c, ctx)
            }
        });
    }

    /// A WITH list: each CTE sees the ones before it (all of them, and itself, when RECURSIVE); the
    /// statement sees them all. The names stay pushed; the caller truncates.
    pub(super) fn with_clause(&mut self, w: Option<&pb::WithClause>, ctx: Ctx) {
        let Some(w) = w else {
            return;
        };
        let names: Vec<String> = w
            .ctes
            .iter()
            .map(|c| match &c.node {
                Some(N::CommonTableExpr(c)) => c.ctename.clone(),
                _ => String::new(),
            })
            .collect();
        if w.recursive {
            self.ctes.extend(names.iter().cloned());
        }
        for (i, cte) in w.ctes.iter().enumerate() {
            if let Some(N::CommonTableExpr(c)) = &cte.node {
                self.descend(Ref::CommonTableExpr(c), Ctx { read: false, ..ctx });
            }
            if !w.recursive {
                self.ctes.push(names[i].clone());
            }
        }
    }

    pub(super) fn range_var(&mut self, rv: &pb::RangeVar, ctx: Ctx) {
        let rel = rv.relname.as_str();
        let alias = rv.alias.as_ref().map_or("", |a| a.aliasname.as_str());
        // FOR UPDATE / SHARE locks the tables and subqueries of FROM; the server skips a CTE's
        // reference (its rows are locked only by a locking clause inside the CTE, and naming it in OF
        // is an error), so an unqualified name a CTE in scope takes is read, not locked.
        let cte = rv.schemaname.is_empty()
            && rv.catalogname.is_empty()
            && self.ctes.iter().any(|c| c == rel);
        let locked = ctx.lock
            && !cte
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
        self.relation(rv, ctx, use_);
        let ours = rv.schemaname == SCHEMA || (rv.schemaname.is_empty() && !cte);
        if ours && (self.definer || self.atomic_definer) {
            for f in self.sink.model.view_calls(rel) {
                self.definer_calls_invoker(&f);
            }
            if !ctx.write {
                self.definer_reads_given_away(rel);
                self.definer_reads_given_away_type(rel);
            }
        }
    }

    /// Whether an object this statement creates unqualified lands in expert_network and is accepted
    /// so: under a path the file set itself with expert_network first (`SearchPath::lands_in_schema`),
    /// in code the migration runs now (its statements and DO blocks: a kept body creates under its
    /// caller's path, or its own).
    pub(super) fn lands_in_schema(&self) -> bool {
        !self.body.is_function()
            && !self.caller_path
            && !self.definer
            && self.path.lands_in_schema()
    }

    /// A relation a statement creates: qualified with expert_network, or temporary, or unqualified
    /// where it lands in expert_network (`lands_in_schema`).
    pub(super) fn created_relation(&mut self, rv: Option<&pb::RangeVar>, ctx: Ctx, what: &str) {
        let Some(rv) = rv else {
            return;
        };
        if rv.location >= 0 && !self.pinned {
            self.here = self.base + rv.location as usize;
        }
        let schema = rv.schemaname.as_str();
        let rel = rv.relname.clone();
        if rv.relpersistence == "t" && (schema.is_empty() || schema == "pg_temp") {
            self.temps.push(rel);
            return;
        }
        if !rv.catalogname.is_empty() {
            self.refuse(
                Rule::OutsideSchema,
                format!("{}.{schema}.{rel} names another database", rv.catalogname),
                Some("drop the database name"),
            );
        }
        match schema {
            "" if ctx.implicit_schema || self.lands_in_schema() => {}
            "" => self.refuse(
                Rule::UnqualifiedName,
                format!("{what} {rel} is not schema-qualified"),
                Some(&format!("write {SCHEMA}.{rel}")),
            ),
            "pg_temp" => self.temps.push(rel),
            _ => self.schema(schema, &rel, false),
        }
    }
}

/// How close to its end the stack may get before the walk moves to a new piece, and that piece's size.
const RED_ZONE: usize = 128 << 10;
const STACK_STEP: usize = 4 << 20;
