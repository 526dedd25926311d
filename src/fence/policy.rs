//! The fence's policy over what a migration may change in its own session, and the forms it accepts
//! because en-migrate handles them at run time: session settings (put back after each migration by
//! `session.rs`), a migration's own `SET search_path` naming only the schemas a migration may reach
//! (the fence then resolves names under it), transaction blocks (Django's whole-file `BEGIN;` ...
//! `COMMIT;`, Prisma's inside a file: dropped by `apply.rs`, found by [`transaction_blocks`] here), and the per-file opt-ins.
//!
//! Pure: decides from the statement text and `known`'s classification; never a database.

use super::known::{self, SettingClass};
use super::{Rule, Statement, SCHEMA};
use crate::files::migration::Migration;
use pg_query::protobuf::VariableSetKind;
use pg_query::NodeEnum;

/// The fence's own per-file opt-ins, `-- en-migrate: allow RULE` (beside the lint rules): the fence
/// rules a file may turn off, and what that allows.
pub const OPT_INS: &[(Rule, &str)] = &[
    (Rule::DynamicSql, "EXECUTE inside functions the migration defines and its DO blocks, in a transactional file (the database-side check still runs)"),
    (Rule::Notify, "NOTIFY / pg_notify() run by the migration itself, which reach other applications' listeners"),
];

/// A file's opt-ins.
#[derive(Debug, Clone, Copy, Default)]
pub struct FileOptions {
    pub dynamic_sql: bool,
    pub notify: bool,
}

impl FileOptions {
    pub fn of(m: &Migration) -> FileOptions {
        let has = |rule: Rule| m.allows.iter().any(|(_, r)| r == rule.name());
        FileOptions {
            dynamic_sql: has(Rule::DynamicSql),
            notify: has(Rule::Notify),
        }
    }
}

/// The schemas a migration's own `SET search_path` may name.
const PATH_SCHEMAS: [&str; 3] = [SCHEMA, "pg_catalog", "pg_temp"];

/// The search_path a statement runs under.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SearchPath {
    /// `expert_network, pg_catalog, pg_temp`, which every transactional migration starts with.
    #[default]
    Pinned,
    /// What the migration set, every entry one of `PATH_SCHEMAS`.
    Custom(Vec<String>),
}

impl SearchPath {
    /// The schemas searched for an unqualified relation, in the server's order: pg_temp first unless
    /// listed, then pg_catalog unless listed, then the list.
    pub fn relations(&self) -> Vec<&str> {
        match self {
            SearchPath::Pinned => PATH_SCHEMAS.to_vec(),
            SearchPath::Custom(list) => {
                let mut out = Vec::with_capacity(3);
                if !list.iter().any(|s| s == "pg_temp") {
                    out.push("pg_temp");
                }
                if !list.iter().any(|s| s == "pg_catalog") {
                    out.push("pg_catalog");
                }
                out.extend(list.iter().map(String::as_str));
                out
            }
        }
    }

    /// The schema an object created without one lands in: the path's first entry (`expert_network`
    /// for the pinned path). Where the migration drops that schema the server takes the next one
    /// (pg_catalog), so `paths` leaves it out there; a database-side check does not follow a
    /// no-transaction file to catch it.
    pub fn creation(&self) -> Option<&str> {
        match self {
            SearchPath::Pinned => Some(SCHEMA),
            SearchPath::Custom(list) => list.first().map(String::as_str),
        }
    }

    /// Whether an object created unqualified under this path is one of expert_network's that the
    /// fence accepts so: the migration set the path itself (`SET search_path TO expert_network`, as
    /// sqitch's deploy scripts and pg_dump-style files do before their unqualified CREATEs) and put
    /// expert_network first, where the server creates it (PG 15: `CREATE TABLE users` under
    /// `SET search_path TO expert_network` makes expert_network.users; with the schema gone it fails,
    /// "no schema has been selected to create in", and after a statement that may drop it `paths`
    /// leaves it out). Under the pinned path alone an unqualified CREATE stays refused: the file says
    /// nothing of where it meant it to go (a project's own, written for public).
    pub fn lands_in_schema(&self) -> bool {
        matches!(self, SearchPath::Custom(_)) && self.creation() == Some(SCHEMA)
    }

    /// The path as the server uses it while schema expert_network does not exist: without it.
    pub(super) fn without_schema(&self) -> SearchPath {
        let list = match self {
            SearchPath::Pinned => PATH_SCHEMAS.to_vec(),
            SearchPath::Custom(list) => list.iter().map(String::as_str).collect(),
        };
        SearchPath::Custom(
            list.into_iter()
                .filter(|s| *s != SCHEMA)
                .map(str::to_string)
                .collect(),
        )
    }

    /// The schemas searched for an unqualified function or type: pg_temp never is.
    pub fn functions(&self) -> Vec<&str> {
        let mut r = self.relations();
        r.retain(|s| *s != "pg_temp");
        r
    }

    /// Reads the values of a `SET search_path = a, b` (a statement's, or a function's SET option):
    /// the server quotes each as one schema name (flatten_set_variable_args: search_path is
    /// GUC_LIST_QUOTE), never splitting it, so `'expert_network, pg_catalog'` is one schema that does
    /// not exist and `'EXPERT_NETWORK'` another; an identifier arrives lowercased by the parser. Split
    /// as set_config's list is, such a string passed for expert_network first while the server
    /// skipped it and created in the next schema named, pg_catalog (corpus 75). None when a value
    /// is not exactly one of the schemas a path may name.
    pub fn parse_names(values: &[String]) -> Option<SearchPath> {
        let mut list = Vec::new();
        for v in values {
            match v.as_str() {
                // '' is `""`, a schema that does not exist: the server skips it.
                "" => {}
                name if PATH_SCHEMAS.contains(&name) => list.push(name.to_string()),
                _ => return None,
            }
        }
        Some(SearchPath::Custom(list))
    }

    /// Reads a search_path value as set_config gives it, one string holding the list; None when it
    /// names anything else.
    pub fn parse(values: &[String]) -> Option<SearchPath> {
        let mut list = Vec::new();
        for v in values {
            for item in v.split(',') {
                let item = item.trim();
                if item.is_empty() || item == "\"\"" {
                    continue;
                }
                let name = match item.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
                    Some(q) => q.replace("\"\"", "\""),
                    None => item.to_lowercase(),
                };
                if !PATH_SCHEMAS.contains(&name.as_str()) {
                    return None;
                }
                list.push(name);
            }
        }
        Some(SearchPath::Custom(list))
    }
}

/// Settings pg_dump's header sets (and the timeouts every migration tool's users write).
const PG_DUMP_HEADER: &[&str] = &[
    "statement_timeout",
    "lock_timeout",
    "idle_in_transaction_session_timeout",
    "transaction_timeout",
    "client_min_messages",
    "check_function_bodies",
    "xmloption",
    "row_security",
    "default_table_access_method",
    "default_with_oids",
    "timezone",
    "datestyle",
    "intervalstyle",
    "work_mem",
    "maintenance_work_mem",
];

/// A refusal of a setting: (rule, message, hint).
pub type Refusal = (Rule, String, &'static str);

const PATH_HINT: &str = "a migration's search_path may name only expert_network, pg_catalog and pg_temp (or nothing); qualify names instead";

/// Whether a migration may set `name` to `values` (SET, SET LOCAL, set_config; values as written).
/// `names`: the values are a SET's, each one item of a list setting (see `SearchPath::parse_names`),
/// not set_config's one string.
pub fn setting(name: &str, values: &[String], names: bool) -> Result<(), Refusal> {
    let name = name.to_ascii_lowercase();
    let lower: Vec<String> = values
        .iter()
        .map(|v| v.trim().to_ascii_lowercase())
        .collect();
    let only = |allowed: &[&str]| lower.len() == 1 && allowed.contains(&lower[0].as_str());
    let refuse = |why: &str, hint: &'static str| -> Result<(), Refusal> {
        Err((Rule::SessionState, format!("SET {name}: {why}"), hint))
    };
    match name.as_str() {
        "search_path" => match if names { SearchPath::parse_names(values) } else { SearchPath::parse(values) } {
            Some(_) => Ok(()),
            None if lower.iter().any(|v| v.split(',').any(|s| s.trim().trim_matches('"') == "public")) => Err((
                Rule::SessionState,
                "SET search_path naming public would make unqualified names land in public".into(),
                PATH_HINT,
            )),
            None => refuse("names a schema outside expert_network", PATH_HINT),
        },
        // `use_column` or `use_variable` changes which of a column and a PL/pgSQL variable of the
        // same name a body's identifier means, after the fence read the body with the default
        // (an ambiguity is an error), on which `arg_types.rs` relies.
        "plpgsql.variable_conflict" if only(&["error"]) => Ok(()),
        "plpgsql.variable_conflict" => refuse(
            "changes what the names in PL/pgSQL bodies mean after the fence read them",
            "remove this SET; write #variable_conflict in the body that needs it",
        ),
        // The fence reads strings as the server does with this on; off, the server would read the
        // next migration's strings differently from the parser that fenced them.
        "standard_conforming_strings" if only(&["on", "true", "1", "yes"]) => Ok(()),
        "standard_conforming_strings" => refuse(
            "only `on` is accepted: the fence reads strings as the server does with it on",
            "remove this SET; write strings with E'' where you need escapes",
        ),
        "client_encoding" if only(&["utf8", "utf-8", "unicode"]) => Ok(()),
        "client_encoding" => refuse(
            "only UTF8 is accepted: migration files are read as UTF-8",
            "remove this SET; save the file as UTF-8",
        ),
        "default_tablespace" if only(&[""]) => Ok(()),
        "default_tablespace" => refuse(
            "a tablespace is database-wide",
            "remove this SET, or set it to ''",
        ),
        // pg_dump's header and the timeouts goose and sql-migrate users write: plain whatever the
        // generated table says, so a dump restores.
        n if PG_DUMP_HEADER.contains(&n) => Ok(()),
        "role" | "session_authorization" => Err((
            Rule::SessionState,
            format!("SET {name} changes who the migration runs as"),
            "en-migrate runs every migration as its own role; grant privileges instead",
        )),
        _ => match known::setting(&name) {
            SettingClass::Plain => Ok(()),
            SettingClass::Pinned => refuse(
                "en-migrate relies on this setting; a migration may not change it",
                "remove this SET",
            ),
            SettingClass::Forbidden => refuse(
                "not a setting a migration may change (it needs a superuser, a reload, or reaches other sessions)",
                "remove this SET; plain settings such as lock_timeout and statement_timeout are accepted",
            ),
        },
    }
}

/// The literal values of a SET statement's arguments (strings, identifiers, numbers as written).
pub fn set_values(args: &[pg_query::protobuf::Node]) -> Option<Vec<String>> {
    use pg_query::protobuf::a_const::Val;
    args.iter()
        .map(|a| match a.node.as_ref()? {
            NodeEnum::AConst(c) => match c.val.as_ref()? {
                Val::Sval(s) => Some(s.sval.clone()),
                Val::Ival(i) => Some(i.ival.to_string()),
                Val::Fval(f) => Some(f.fval.clone()),
                Val::Boolval(b) => Some(if b.boolval { "on" } else { "off" }.to_string()),
                Val::Bsval(_) => None,
            },
            _ => None,
        })
        .collect()
}

/// The search_path each statement of a file runs under (`paths`), kept as the places it changes: a
/// file of half a million INSERTs changes it once or never, and a path per statement would cost more
/// memory than the statements' own places.
#[derive(Debug)]
pub struct Paths {
    /// (the first statement it holds for, the path), by statement; the first entry is statement 0's.
    from: Vec<(usize, SearchPath)>,
}

impl Paths {
    /// Whether statements `i` to `j` (`i <= j`) all run under one path: none of them after `i`
    /// changes it (`paths` notes the path after every statement that may, changed or not).
    pub fn same_between(&self, i: usize, j: usize) -> bool {
        let at = self.at(i);
        self.from
            .iter()
            .filter(|(start, _)| *start > i && *start <= j)
            .all(|(_, p)| p == at)
    }

    /// The path statement `i` runs under.
    pub fn at(&self, i: usize) -> &SearchPath {
        let k = self.from.partition_point(|(start, _)| *start <= i);
        &self.from[k.saturating_sub(1)].1
    }
}

/// The search_path each statement runs under: the pinned one, changed by each accepted top-level
/// `SET search_path` or `set_config('search_path', ...)` for the statements after it. Only
/// statements that mention search_path, or schema expert_network, are parsed.
///
/// The server skips a schema of the path that does not exist: after a `DROP SCHEMA expert_network`
/// the pinned path creates in pg_catalog, so a CREATE EXTENSION without SCHEMA installed there (in
/// a no-transaction file, with no database-side check after it: corpus 73). So from a statement that
/// may drop the schema (one naming DROP, SCHEMA and expert_network: a DO block's too) until one that
/// is `CREATE SCHEMA expert_network`, the path is the set one without expert_network.
pub fn paths(stmts: &[Statement<'_>]) -> Paths {
    paths_after(stmts, false)
}

/// `paths`, where `gone` says the schema may be missing from the file's start: an earlier file made
/// a routine whose body may drop it (`Model::schema_dropper`), which any statement may call. A
/// function made by one migration to `DROP SCHEMA expert_network CASCADE`, called by a later
/// no-transaction file, left its `CREATE EXTENSION pg_trgm` without SCHEMA judged under a path with
/// expert_network first while the server installed it in pg_catalog (PG 15 through `up`, refuse
/// corpus 111).
pub fn paths_after(stmts: &[Statement<'_>], gone: bool) -> Paths {
    let start = if gone {
        SearchPath::Pinned.without_schema()
    } else {
        SearchPath::Pinned
    };
    let mut from = vec![(0, start)];
    let (mut set, mut missing) = (SearchPath::Pinned, gone);
    for (i, s) in stmts.iter().enumerate() {
        let path = may_set_path(s.sql);
        let schema = crate::files::lexer::mentions(s.sql, SCHEMA)
            && crate::files::lexer::mentions(s.sql, "schema");
        if !path && !schema {
            continue;
        }
        if let Some(p) = path.then(|| sets_search_path(s.sql)).flatten() {
            set = p;
        }
        if let Some(made) = schema.then(|| schema_made_or_dropped(s.sql)).flatten() {
            missing = !made;
        }
        from.push((
            i + 1,
            if missing {
                set.without_schema()
            } else {
                set.clone()
            },
        ));
    }
    Paths { from }
}

/// Whether `text` holds `word` in any ASCII case as a word of its own, not inside a longer name:
/// `drop_partitions_by_system_ttl`, `schemaname`, `information_schema`, `current_schema()` and
/// `expert_network_old` hold none of DROP, SCHEMA and expert_network, which the server never reads
/// as those words either (an identifier runs on over letters, digits, `_`, `$` and every non-ASCII
/// byte). Comments and string literals are read too: a constant EXECUTE's words count.
fn mentions_word(text: &str, word: &str) -> bool {
    let (t, w) = (text.as_bytes(), word.as_bytes());
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || !b.is_ascii();
    (0..t.len().saturating_sub(w.len() - 1)).any(|i| {
        t[i..i + w.len()].eq_ignore_ascii_case(w)
            && (i == 0 || !ident(t[i - 1]))
            && t.get(i + w.len()).is_none_or(|&b| !ident(b))
    })
}

/// Some(true) for `CREATE SCHEMA [IF NOT EXISTS] expert_network` (after it the schema exists),
/// Some(false) for a statement that may drop it: `DROP SCHEMA ... expert_network`, or a DO block or
/// a function (a later call runs it) whose body names DROP, SCHEMA and expert_network, each as a
/// word of its own (`mentions_word`).
/// Whether `sql` may drop schema expert_network for `paths`: a DROP SCHEMA of it, or a DO block or
/// routine whose text names DROP, SCHEMA and expert_network as words (`schema_made_or_dropped`).
pub(super) fn may_drop_schema(sql: &str) -> bool {
    (crate::files::lexer::mentions(sql, SCHEMA) && crate::files::lexer::mentions(sql, "schema"))
        && schema_made_or_dropped(sql) == Some(false)
}

fn schema_made_or_dropped(sql: &str) -> Option<bool> {
    use pg_query::protobuf::ObjectType;
    let parsed = super::parse(sql).ok()?;
    let [raw] = parsed.stmts.as_slice() else {
        return None;
    };
    let names = |text: &str| {
        ["drop", "schema", SCHEMA]
            .iter()
            .all(|w| mentions_word(text, w))
    };
    match raw.stmt.as_deref()?.node.as_ref()? {
        NodeEnum::CreateSchemaStmt(c) if c.schemaname == SCHEMA => Some(true),
        NodeEnum::DropStmt(d) if d.remove_type == ObjectType::ObjectSchema as i32 => d
            .objects
            .iter()
            .any(|o| matches!(&o.node, Some(NodeEnum::String(s)) if s.sval == SCHEMA))
            .then_some(false),
        NodeEnum::DoStmt(_) | NodeEnum::CreateFunctionStmt(_) => {
            names(&sql[super::statement_start(sql)..]).then_some(false)
        }
        _ => None,
    }
}

/// Whether `paths` reads `sql` for a path it sets: a statement that mentions search_path or
/// set_config, or begins with SET. The server takes other spellings of the same change: `SET SCHEMA
/// 'pg_catalog'` is `SET search_path = pg_catalog` to the grammar, and `set_config(E'search\137path',
/// ...)` names search_path in an escape; a text test for search_path alone let both through unread,
/// judging the rest of the file under the path the file had set before while the server created its
/// unqualified `CREATE OR REPLACE FUNCTION lower(text)` in pg_catalog, replacing the built-in every
/// application calls (PG 15, refuse corpus 110). The fence refuses a path change in a statement this
/// does not read (`Walker::path_unfollowed`), so a spelling it misses is refused, never followed wrong.
pub(super) fn may_set_path(sql: &str) -> bool {
    crate::files::lexer::mentions(sql, "search_path")
        || crate::files::lexer::mentions(sql, "set_config")
        || super::leading_keyword(sql).eq_ignore_ascii_case("set")
}

/// Whether `sql` names `check_function_bodies` as a plain word: the one spelling the model reads for
/// a file whose SQL string bodies may be made unchecked (`Model::file_unchecked`). The server takes
/// others (`set_config(E'check\137function_bodies', 'off', true)`, `SET U&"check\005ffunction_bodies"
/// = off`, a constant EXECUTE's escape string): PG 15, either one let a wrapper's call of an extension's
/// function that sat in public be made unresolved, and raguser's own function of its name then ran
/// as the superuser in ANALYZE (refuse corpus 142). The walker refuses a setting of it in a statement
/// this does not hold for (`Walker::bodies_check_unread`), so a spelling it misses is refused.
pub(super) fn names_check_function_bodies(sql: &str) -> bool {
    crate::files::lexer::mentions(sql, "check_function_bodies")
}

/// The path a statement sets, if it is `SET [LOCAL] search_path ...` or a SELECT of
/// `set_config('search_path', literal, literal)` that the fence accepts.
fn sets_search_path(sql: &str) -> Option<SearchPath> {
    let parsed = super::parse(sql).ok()?;
    let [raw] = parsed.stmts.as_slice() else {
        return None;
    };
    match raw.stmt.as_deref()?.node.as_ref()? {
        NodeEnum::VariableSetStmt(v) if v.name.eq_ignore_ascii_case("search_path") => {
            if v.kind != VariableSetKind::VarSetValue as i32 {
                return None;
            }
            SearchPath::parse_names(&set_values(&v.args)?)
        }
        NodeEnum::SelectStmt(s) => {
            let vals = set_config_alone(s)?;
            match vals.as_slice() {
                [n, v, _] if n.eq_ignore_ascii_case("search_path") => {
                    SearchPath::parse(std::slice::from_ref(v))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether `parsed` is one `SELECT [pg_catalog.]set_config(literal, literal, literal)` and nothing
/// else: the one form whose path change `paths` follows, so the one form in which a migration may
/// set search_path through set_config (`Walker::effect`).
///
/// Read off the fence's own tree of the statement: parsing it again here was a quarter of `check`'s
/// work on small files.
pub(super) fn is_set_config_alone(parsed: &pg_query::protobuf::ParseResult) -> bool {
    matches!(parsed.stmts.as_slice(), [raw] if matches!(
        raw.stmt.as_deref().and_then(|s| s.node.as_ref()),
        Some(NodeEnum::SelectStmt(s)) if set_config_alone(s).is_some()
    ))
}

/// The literal arguments of a SELECT whose only content is one call of set_config: no FROM, WHERE,
/// LIMIT, CTE, second column or anything else that decides whether or how often the call runs.
/// `SELECT 1, set_config('search_path', 'pg_catalog, expert_network', true)` and `SELECT
/// set_config('search_path', 'expert_network', true) WHERE false` once passed, each judged under a
/// path the server was not using (the first changed it unseen, the second was followed and never
/// ran), and an unqualified COMMUTATOR's shell landed in pg_catalog (corpus 71).
fn set_config_alone(s: &pg_query::protobuf::SelectStmt) -> Option<Vec<String>> {
    let [target] = s.target_list.as_slice() else {
        return None;
    };
    let mut rest = s.clone();
    rest.target_list.clear();
    if rest != *bare_select() {
        return None;
    }
    let Some(NodeEnum::ResTarget(r)) = &target.node else {
        return None;
    };
    let Some(NodeEnum::FuncCall(f)) = r.val.as_deref().and_then(|v| v.node.as_ref()) else {
        return None;
    };
    let name: Vec<&str> = f
        .funcname
        .iter()
        .filter_map(|n| match &n.node {
            Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
            _ => None,
        })
        .collect();
    let plain = r.indirection.is_empty()
        && f.agg_order.is_empty()
        && f.agg_filter.is_none()
        && f.over.is_none()
        && !f.agg_within_group
        && !f.agg_star
        && !f.agg_distinct
        && !f.func_variadic;
    if !plain
        || !matches!(
            name.as_slice(),
            ["set_config"] | ["pg_catalog", "set_config"]
        )
    {
        return None;
    }
    set_values(&f.args)
}

/// `SELECT 1` without its target list: what a SELECT that only computes its columns leaves.
fn bare_select() -> &'static pg_query::protobuf::SelectStmt {
    static BARE: std::sync::OnceLock<pg_query::protobuf::SelectStmt> = std::sync::OnceLock::new();
    BARE.get_or_init(|| {
        let parsed = super::parse("SELECT 1").expect("SELECT 1 parses");
        let node = parsed.stmts[0].stmt.as_deref().and_then(|s| s.node.clone());
        let Some(NodeEnum::SelectStmt(mut s)) = node else {
            unreachable!("SELECT 1 is a SelectStmt")
        };
        s.target_list.clear();
        *s
    })
}

/// The indexes of the statements that open and close the file's transaction blocks, which `apply.rs`
/// drops, running what they held in en-migrate's own transaction; the fence fences the rest. One
/// decision for both halves: `files::lexer::transaction_blocks`, which apply.rs takes too.
pub fn transaction_blocks(text: &str, ends: &[usize]) -> Vec<usize> {
    crate::files::lexer::transaction_blocks(text, ends)
        .iter()
        .filter_map(|r| ends.binary_search(&r.end).ok())
        .collect()
}
