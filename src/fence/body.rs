//! Function bodies and DO blocks, which are not opaque to the fence: SQL bodies are parsed as SQL,
//! PL/pgSQL bodies with PostgreSQL's own PL/pgSQL parser, and every embedded query is walked by the same
//! rules as a top-level statement. Dynamic SQL and other languages cannot be proven, so they are refused.

use super::declared::{declared_types, drop_column_types, drop_variadic, neutralise_types};
use super::plpgsql as pl;
use super::plpgsql_walk::PlWalk;
use super::policy::SearchPath;
use super::resolve::literal_text;
use super::walk::{inner, name_parts, split_qualified, Body, Walker};
use super::{Rule, SCHEMA};
use pg_query::protobuf::{self as pb, node::Node as N};

/// Option DefElems of CREATE FUNCTION / DO: (name, arg).
fn def_elems(list: &[pb::Node]) -> impl Iterator<Item = (&str, Option<&N>)> {
    list.iter().filter_map(|o| match &o.node {
        Some(N::DefElem(d)) => Some((d.defname.as_str(), inner(&d.arg))),
        _ => None,
    })
}

fn arg_string(arg: Option<&N>) -> Option<String> {
    match arg {
        Some(N::String(b)) => Some(b.sval.clone()),
        _ => None,
    }
}

/// A CREATE FUNCTION's string body (the first string of its `AS`); None for BEGIN ATOMIC and
/// RETURN bodies, which are part of the statement's tree.
pub(super) fn string_body(opts: &[pb::Node]) -> Option<&str> {
    def_elems(opts).find_map(|(name, arg)| match (name, arg) {
        ("as", Some(N::List(l))) => match l.items.first()?.node.as_ref()? {
            N::String(s) => Some(s.sval.as_str()),
            _ => None,
        },
        _ => None,
    })
}

/// Whether a CREATE FUNCTION's options name `language` (lower case), SQL when none is given.
pub(super) fn language_is(opts: &[pb::Node], language: &str) -> bool {
    def_elems(opts)
        .find(|(name, _)| *name == "language")
        .map_or(language == "sql", |(_, arg)| {
            arg_string(arg).is_some_and(|l| l.eq_ignore_ascii_case(language))
        })
}

/// CREATE FUNCTION / PROCEDURE: the options (language, body, SET search_path) and the body.
/// `short_lived`: the file drops the routine again before its transaction ends (`short_lived.rs`),
/// so a body without a path of its own runs only under the path the file runs under, now.
pub(super) fn function(w: &mut Walker<'_, '_>, stmt: &pb::CreateFunctionStmt, short_lived: bool) {
    let opts = stmt.options.as_slice();
    let mut language = "sql".to_string();
    for (name, arg) in def_elems(opts) {
        if name == "language" {
            language = arg_string(arg).unwrap_or_default().to_lowercase();
        }
    }
    function_set_options(w, opts);
    let own_path = function_path(opts, &w.path)
        .or_else(|| (short_lived && !security_definer(opts)).then(|| w.path.clone()));
    w.own_path = own_path.is_some(); // the caller restores it, after a BEGIN ATOMIC body too
                                     // A BEGIN ATOMIC body depends on what it names: the schema's owner can drop those only with it.
    let replaceable = string_body(opts).is_some();
    if replaceable && security_definer(opts) && w.sink.model.schema_given_away() {
        w.refuse(
            Rule::Ownership,
            format!("this SECURITY DEFINER function is made where the migrations give schema {SCHEMA} to another role: a schema's owner may drop and make again every object in it, so each table, view or function the body names may become that role's, run with this function's owner's rights"),
            Some(&format!("keep schema {SCHEMA} owned by the runner (leave out ALTER SCHEMA ... OWNER TO and CREATE SCHEMA ... AUTHORIZATION)")),
        );
    }
    let Some(body) = string_body(opts) else {
        return;
    }; // BEGIN ATOMIC / RETURN: walked as part of the tree
    let returns_trigger = returns_trigger(stmt);
    let saved = (w.body, w.path.clone());
    w.body = if returns_trigger {
        Body::Trigger
    } else {
        Body::Function
    };
    let saved_caller = (w.caller_path, w.definer);
    w.caller_path = own_path.is_none();
    w.definer = security_definer(opts);
    // A top-level statement's bodies, which the model read by its text.
    let ends = match (w.definer, &w.embedded, own_name(stmt)) {
        (true, None, Some(name)) => {
            let sql = w
                .sink
                .text
                .get(w.stmt_start..w.stmt_end)
                .unwrap_or_default();
            w.sink.model.definer_ends(sql, name)
        }
        _ => Vec::new(),
    };
    let saved_ends = std::mem::replace(&mut w.definer_ends, ends);
    let known = w.definer.then(|| {
        let plpgsql = language == "plpgsql";
        let k = super::arg_types::Known::of_header(stmt, plpgsql, body, w.sink.model);
        Box::new(k)
    });
    let saved_known = std::mem::replace(&mut w.known, known);
    // The temporary tables made so far are the migration session's, not the caller's: only those the
    // body makes itself are in scope when it runs.
    let saved_temps = if w.caller_path {
        std::mem::take(&mut w.temps)
    } else {
        w.temps.clone()
    };
    if let Some(p) = own_path {
        w.path = p;
    }
    if matches!(language.as_str(), "sql" | "plpgsql") && !sets_conforming_strings(opts) {
        conforming_strings(w, body);
    }
    match language.as_str() {
        "sql" => sql_body(w, body),
        "plpgsql" => plpgsql_body(
            w,
            body,
            if returns_trigger {
                Wrap::Trigger
            } else {
                Wrap::Original
            },
        ),
        "c" | "internal" => w.refuse(
            Rule::DatabaseWide,
            format!("a LANGUAGE {language} function loads server code"),
            None,
        ),
        other => w.refuse(
            Rule::UnknownStatement,
            format!("a LANGUAGE {other} body cannot be proven by the fence"),
            Some("write the function in SQL or PL/pgSQL"),
        ),
    }
    (w.body, w.path) = saved;
    (w.caller_path, w.definer) = saved_caller;
    w.definer_ends = saved_ends;
    w.known = saved_known;
    w.temps = saved_temps;
}

/// The name of the function `stmt` makes in expert_network, written qualified.
fn own_name(stmt: &pb::CreateFunctionStmt) -> Option<&str> {
    match stmt.funcname.as_slice() {
        [s, n] => match (s.node.as_ref()?, n.node.as_ref()?) {
            (N::String(s), N::String(n)) if s.sval == SCHEMA => Some(n.sval.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether the options make the function run with `standard_conforming_strings` on whatever the
/// caller's session has: the server applies them before it parses the body.
fn sets_conforming_strings(opts: &[pb::Node]) -> bool {
    def_elems(opts).any(|(name, arg)| match arg {
        Some(N::VariableSetStmt(v))
            if name == "set" && v.name.eq_ignore_ascii_case("standard_conforming_strings") =>
        {
            super::policy::set_values(&v.args).is_some_and(|vals| {
                matches!(vals.as_slice(), [x] if ["on", "true", "1", "yes"].contains(&x.to_ascii_lowercase().as_str()))
            })
        }
        _ => false,
    })
}

/// A string body is parsed when it runs, under the calling session's `standard_conforming_strings`:
/// a literal whose end moves when that is off hides SQL the fence did not read (see `conforming.rs`).
fn conforming_strings(w: &mut Walker<'_, '_>, body: &str) {
    let Some(at) = super::conforming::literal_read_otherwise(body) else {
        return;
    };
    let saved = w.here;
    w.here = body_base(w, body) + at;
    w.refuse(
        Rule::SessionState,
        "a backslash before a quote in this string literal ends it elsewhere when the calling session has standard_conforming_strings off: the server parses the body in that session when it runs, and would run text the fence read as part of a string".into(),
        Some("write the literal as E'...' (backslashes doubled) or in dollar quotes, or give the function SET standard_conforming_strings = on"),
    );
    w.here = saved;
}

/// Whether the options set a search_path on which the caller's pg_temp is searched before another
/// schema (not last, or not named, when it is searched first), or before expert_network because the
/// path leaves it out: a definer's body was judged with its unqualified names found in expert_network,
/// and under `pg_catalog, pg_temp` each of them falls through to the caller's temporary schema.
/// `current` is the path the statement runs under, which `FROM CURRENT` takes.
pub(super) fn path_searches_temp_early(opts: &[pb::Node], current: &SearchPath) -> bool {
    function_path(opts, current).is_some_and(|p| {
        let order = p.relations();
        order.last() != Some(&"pg_temp") || !order.contains(&SCHEMA)
    })
}

/// Whether the options (CREATE or ALTER FUNCTION) make the function run as its owner.
pub(super) fn security_definer(opts: &[pb::Node]) -> bool {
    def_elems(opts)
        .any(|(name, arg)| name == "security" && matches!(arg, Some(N::Boolean(b)) if b.boolval))
}

/// Whether a CREATE FUNCTION returns trigger (or event_trigger).
pub(super) fn returns_trigger(stmt: &pb::CreateFunctionStmt) -> bool {
    stmt.return_type
        .as_ref()
        .and_then(|r| name_parts(&r.names))
        .and_then(|p| p.last().cloned())
        .is_some_and(|t| t == "trigger" || t == "event_trigger")
}

/// The `SET search_path = ...` options of a function.
fn search_path_options(opts: &[pb::Node]) -> impl Iterator<Item = &pb::VariableSetStmt> {
    def_elems(opts).filter_map(|(name, arg)| match arg {
        Some(N::VariableSetStmt(v))
            if name == "set" && v.name.eq_ignore_ascii_case("search_path") =>
        {
            Some(v)
        }
        _ => None,
    })
}

/// The search_path a function sets for its own body (`SET search_path = ''` or naming only
/// expert_network, pg_catalog, pg_temp): its body resolves under it. `FROM CURRENT` is the path the
/// statement runs under; `TO DEFAULT` sets none, so the body resolves under the caller's.
pub(super) fn function_path(opts: &[pb::Node], current: &SearchPath) -> Option<SearchPath> {
    use pg_query::protobuf::VariableSetKind as K;
    let v = search_path_options(opts).next()?;
    match K::try_from(v.kind).unwrap_or(K::Undefined) {
        K::VarSetValue => {}
        K::VarSetCurrent => return Some(current.clone()),
        _ => return None,
    }
    let values: Vec<String> = v
        .args
        .iter()
        .filter_map(|a| a.node.as_ref().and_then(literal_text))
        .collect();
    SearchPath::parse_names(&values)
}

/// A function's `SET` options (CREATE FUNCTION, ALTER FUNCTION): each is a `SET LOCAL` the server runs
/// on every call, for the call, before a string body is even parsed. So each is judged as a SET of the
/// migration would be (`standard_conforming_strings = off` would make the server read the body's text
/// otherwise than the fence read it; `track_counts`, `session_replication_role`, `role` reach what the
/// runner and the other applications rely on), and `search_path` may name only expert_network, the
/// catalogs and pg_temp. `FROM CURRENT` takes the value the fenced migration runs under; a RESET on
/// ALTER FUNCTION removes a setting.
pub(super) fn function_set_options(w: &mut Walker<'_, '_>, opts: &[pb::Node]) {
    use pg_query::protobuf::VariableSetKind as K;
    let hint = "a function may SET only plain settings (work_mem, statement_timeout, ...) and search_path to expert_network, pg_catalog, pg_temp or ''";
    // `SUPPORT f`: the planner hands f (a built-in's C function taking internal: only a superuser
    // may name one) the calls of this function, and f reads their arguments as the types of the
    // function it was written for. PG 15: `SUPPORT pg_catalog.array_unnest_support` on a set-returning
    // function of int8, and `SELECT * FROM f(123456789)` read the constant as an array's pointer and
    // crashed the server, every application's session cut off (refuse corpus 140).
    if def_elems(opts).any(|(name, _)| name == "support") {
        w.refuse(
            Rule::DatabaseWide,
            "a SUPPORT function reads the calls' arguments as the types of the function it was written for: given another's, it crashes the server".into(),
            Some("leave out SUPPORT: the planner then estimates the function's calls as any other's"),
        );
    }
    for (name, arg) in def_elems(opts) {
        let Some(N::VariableSetStmt(v)) = arg else {
            continue;
        };
        let setting = v.name.to_ascii_lowercase();
        if name != "set" || setting == "search_path" {
            continue;
        }
        w.bodies_check_spelled(&setting);
        let kind = K::try_from(v.kind).unwrap_or(K::Undefined);
        let judged = match kind {
            K::VarSetValue => match super::policy::set_values(&v.args) {
                Some(values) => {
                    w.setting_names(&setting, &values);
                    super::policy::setting(&setting, &values, true)
                }
                None => Err((
                    Rule::SessionState,
                    format!("SET {setting} to a value the fence cannot read"),
                    hint,
                )),
            },
            K::VarSetCurrent | K::VarSetDefault | K::VarReset | K::VarResetAll
                if !matches!(setting.as_str(), "role" | "session_authorization") =>
            {
                Ok(())
            }
            _ => Err((
                Rule::SessionState,
                format!("SET {setting} changes who the function runs as"),
                hint,
            )),
        };
        if let Err((rule, msg, hint)) = judged {
            w.refuse(rule, format!("the function's {msg}"), Some(hint));
        }
    }
    // Each value is one schema name to the server, as in a SET statement (`SearchPath::parse_names`):
    // `'expert_network, pg_catalog'` is a schema that does not exist, not two (corpus 75).
    for v in search_path_options(opts) {
        let values: Option<Vec<String>> = v
            .args
            .iter()
            .map(|a| a.node.as_ref().and_then(literal_text))
            .collect();
        // Only where the loop below, splitting them, finds nothing to refuse.
        let split_only = values.is_some_and(|v| {
            SearchPath::parse(&v).is_some() && SearchPath::parse_names(&v).is_none()
        });
        if split_only {
            w.refuse(
                Rule::SessionState,
                "the function's SET search_path has a value that is not exactly one of expert_network, pg_catalog, pg_temp: the server reads each value as one schema name".into(),
                Some("write each schema as a value of its own: SET search_path = expert_network, pg_catalog, pg_temp"),
            );
        }
    }
    let args = search_path_options(opts).flat_map(|v| &v.args);
    for a in args {
        let text = a.node.as_ref().and_then(super::walk::const_str);
        for schema in text
            .iter()
            .flat_map(|t| t.split(','))
            .map(|x| split_qualified(x).join("."))
        {
            match schema.as_str() {
                // '' is the empty path, the hardening the PostgreSQL manual recommends.
                "" | SCHEMA | "pg_catalog" | "pg_temp" => {}
                "public" => w.refuse(
                    Rule::TouchesPublic,
                    "the function's SET search_path names public".into(),
                    Some("use SET search_path = expert_network, pg_catalog, pg_temp"),
                ),
                other => w.refuse(
                    Rule::OutsideSchema,
                    format!("the function's SET search_path names {other}"),
                    Some("use SET search_path = expert_network, pg_catalog, pg_temp"),
                ),
            }
        }
    }
}

/// ALTER FUNCTION ... `RESET search_path`, `SET search_path TO DEFAULT` or `RESET ALL`: the function
/// loses its own path, and from then on its string body resolves under the path of whichever session
/// calls it (an application's `"$user", public`). The fence judged that body, when it was created,
/// under the path it had; so the removal is refused for a function created with `SET search_path`, and
/// for one the migrations do not create, whose body the fence never saw. (A path changed to another
/// one the fence allows keeps the body inside expert_network and the catalogs.)
pub(super) fn path_removed(w: &mut Walker<'_, '_>, actions: &[pb::Node], function: &str) {
    use pg_query::protobuf::VariableSetKind as K;
    for (name, arg) in def_elems(actions) {
        let Some(N::VariableSetStmt(v)) = arg else {
            continue;
        };
        let kind = K::try_from(v.kind).unwrap_or(K::Undefined);
        let removes = match kind {
            K::VarReset | K::VarSetDefault => v.name.eq_ignore_ascii_case("search_path"),
            K::VarResetAll => true,
            _ => false,
        };
        if name == "set" && removes && w.sink.model.may_rely_on_own_path(function) {
            w.refuse(
                Rule::SessionState,
                format!("removing {function}()'s own search_path makes its body resolve under the caller's path (an application's \"$user\", public), not the one the fence judged it under"),
                Some(&format!("keep SET search_path = {SCHEMA}, pg_catalog, pg_temp, or recreate the function with qualified names and no path")),
            );
        }
    }
}

/// DO blocks: PL/pgSQL (the default) is parsed; other languages are refused.
pub(super) fn do_block(w: &mut Walker<'_, '_>, stmt: &pb::DoStmt) {
    let args = stmt.args.as_slice();
    let mut language = "plpgsql".to_string();
    let mut body = None;
    for (name, arg) in def_elems(args) {
        match name {
            "language" => language = arg_string(arg).unwrap_or_default().to_lowercase(),
            "as" => body = arg_string(arg),
            _ => {}
        }
    }
    let Some(body) = body else { return };
    if language != "plpgsql" {
        w.refuse(
            Rule::UnknownStatement,
            format!("a DO block in LANGUAGE {language} cannot be proven by the fence"),
            Some("write it in PL/pgSQL"),
        );
        return;
    }
    let saved = (w.body, w.unguarded);
    w.body = Body::Do;
    // The runner sends a no-transaction file's DO block that commits or rolls back bare (each of
    // its transactions ends inside it, where no check can wrap it); it looks for the words as the
    // runner does (`db::notx::runs_alone`).
    w.unguarded |= w.no_transaction
        && pg_query::scan(&body).is_ok_and(|t| {
            t.tokens.iter().any(|t| {
                t.token == pg_query::protobuf::Token::Commit as i32
                    || t.token == pg_query::protobuf::Token::Rollback as i32
            })
        });
    plpgsql_body(w, &body, Wrap::Do);
    (w.body, w.unguarded) = saved;
}

/// Where a body's text sits in the file, found by looking for it in the statement text; the statement
/// start when it was written with escapes and cannot be found verbatim.
fn body_base(w: &Walker<'_, '_>, body: &str) -> usize {
    let stmt_start = w.base;
    let text = w.sink.text;
    let from = stmt_start.min(text.len());
    match text[from..].find(body) {
        Some(i) if !body.is_empty() => from + i,
        _ => w.here,
    }
}

/// Parses an SQL body and walks its statements with locations mapped into the file.
fn sql_body(w: &mut Walker<'_, '_>, body: &str) {
    let base = body_base(w, body);
    match super::parse(body) {
        Err(e) => w.refuse(
            Rule::ParseError,
            format!("cannot parse the SQL function body: {e}"),
            Some("fix the body's syntax"),
        ),
        Ok(parsed) => {
            let (old_base, old_here) = (w.base, w.here);
            w.base = base;
            w.here = base;
            for raw in &parsed.stmts {
                w.embedded_statement(body, raw, |w, node| w.statement(node));
            }
            w.base = old_base;
            w.here = old_here;
        }
    }
}

#[derive(Clone, Copy)]
enum Wrap {
    /// A plain function: parse a function of the same shape around the body.
    Original,
    /// A trigger function: libpg_query cannot serialise those (libpg_query#337), so the body is parsed
    /// as a function taking NEW and OLD records, which is what PL/pgSQL gives a trigger.
    Trigger,
    Do,
}

/// A dollar-quote tag that does not occur in the body.
fn tag_for(body: &str) -> String {
    let mut tag = "$enm$".to_string();
    let mut n = 0;
    while body.contains(&tag) {
        n += 1;
        tag = format!("$enm{n}$");
    }
    tag
}

fn plpgsql_body(w: &mut Walker<'_, '_>, body: &str, wrap: Wrap) {
    let base = body_base(w, body);
    let tag = tag_for(body);
    let head = match wrap {
        Wrap::Do => "CREATE FUNCTION en_migrate_fence() RETURNS void",
        Wrap::Trigger => {
            "CREATE FUNCTION en_migrate_fence(\"new\" record, \"old\" record) RETURNS record"
        }
        Wrap::Original => "",
    };
    let sql = if head.is_empty() {
        // Rebuild the real header so RETURN QUERY, OUT parameters and the like are judged as written.
        function_named_alone(&statement_text(w))
    } else {
        format!("{head} LANGUAGE plpgsql AS {tag}{body}{tag}")
    };
    let parsed = super::parse::plpgsql(&sql).or_else(|first| {
        // libpg_query resolves type names only in pg_catalog and public ("LookupExplicitNamespace only
        // supports pg_catalog and public"), so a parameter or variable of an expert_network type
        // cannot be parsed as written. The types do not matter to the fence (they were checked as
        // names above): parse again with them replaced by text (header) and record (declarations).
        // A VARIADIC parameter cannot be parsed as written either (see `drop_variadic`).
        let why = first.to_string();
        // Nor a `table.column%TYPE` in the header (see `drop_column_types`).
        // Nor a field of a `%ROWTYPE` variable as an assignment's target ("is not a known variable").
        // Nor an array of a type it cannot resolve (`s3region[]`): it reads the unknown type as
        // record, and an array of record as a pseudo-type no variable may have (nor a parameter:
        // `target_type application_type[]`, unqualified under the file's own path).
        if !why.contains("LookupExplicitNamespace")
            && !why.contains("has pseudo-type _record")
            && !why.contains("cannot accept type _record")
            && !why.contains("VARIADIC parameter must be an array")
            && !why.contains("Not implemented")
            && !why.contains("is not a known variable")
        {
            return Err(first);
        }
        let stmt = if head.is_empty() {
            function_named_alone(&statement_text(w))
        } else {
            sql.clone()
        };
        // The body is in the statement verbatim (dollar-quoted) or with its quotes doubled.
        let escaped = body.replace('\'', "''");
        let (at, written, quoted) = match stmt.find(body) {
            Some(at) => (at, body.len(), false),
            None => match stmt.find(&escaped) {
                Some(at) => (at, escaped.len(), true),
                None => return Err(first),
            },
        };
        // `record` keeps `v.col` readable; but a record cannot be one of several INTO targets, so
        // a body that does that is read with `text` in its place.
        let own = |name: &str| w.sink.model.has_type(name);
        let rewrite = |with: &str| {
            let new_body = neutralise_types(body, with, true, &own);
            format!(
                "{}{}{}",
                drop_variadic(&neutralise_types(
                    &drop_column_types(&stmt[..at]),
                    "text",
                    false,
                    &own
                )),
                if quoted {
                    new_body.replace('\'', "''")
                } else {
                    new_body
                },
                &stmt[at + written..]
            )
        };
        super::parse::plpgsql(&rewrite("record"))
            .or_else(|_| super::parse::plpgsql(&rewrite("text")))
            .map_err(|_| first)
    });
    declared_types(w, body, base);
    match parsed {
        Err(e @ super::parse::PlError::Shape(_)) => w.refuse(
            Rule::UnknownStatement,
            format!("the PL/pgSQL body holds a statement or field the fence does not know: {e}"),
            Some("the fence is an allowlist; if this body is safe, open an issue with it"),
        ),
        Err(super::parse::PlError::Syntax(e)) => w.refuse(
            Rule::ParseError,
            format!("cannot parse the PL/pgSQL body: {e}"),
            Some(if e.contains("LookupExplicitNamespace") {
                "the fence's PL/pgSQL parser cannot resolve a type here; declare the variable with a pg_catalog type or %TYPE, and open an issue with the body"
            } else {
                "fix the body's syntax"
            }),
        ),
        Ok(tree) => {
            let old = (w.base, w.here);
            let mut walk = PlWalk { base, line: 1 };
            for pl::Function::Function(f) in &tree {
                walk.function(w, f);
            }
            w.base = old.0;
            w.here = old.1;
        }
    }
}

/// A `CREATE FUNCTION schema.name` statement's text with the function named without its schema.
/// PL/pgSQL labels a function's outermost block with the function's name, so a body may write
/// `name.param := ...` for an OUT or TABLE parameter; libpg_query labels it with the first part of
/// the name instead (`linitial(stmt->funcname)`, the schema), and refuses that assignment as "not a
/// known variable". The name was judged on the statement's own tree; this text only feeds the body's
/// parse.
fn function_named_alone(stmt: &str) -> String {
    use pg_query::protobuf::Token;
    let Ok(tokens) = pg_query::scan_tokens(stmt) else {
        return stmt.to_string();
    };
    let at = tokens
        .iter()
        .position(|t| t.token == Token::Function as i32 || t.token == Token::Procedure as i32);
    if let Some([_, schema, dot, name, open]) = at.and_then(|i| tokens.get(i..i + 5)) {
        if dot.token == Token::Ascii46 as i32 && open.token == Token::Ascii40 as i32 {
            let (from, to) = (schema.start as usize, name.end as usize);
            if let (Some(head), Some(written), Some(tail)) = (
                stmt.get(..from),
                stmt.get(name.start as usize..to),
                stmt.get(to..),
            ) {
                // Quoted, so that a name that is a keyword once alone (pgmq's `pgmq.create`) still
                // parses; an unquoted name is the identifier PostgreSQL folds it to.
                let alone = if written.starts_with('"') {
                    written.to_string()
                } else {
                    format!("\"{}\"", written.to_ascii_lowercase())
                };
                return format!("{head}{alone}{tail}");
            }
        }
    }
    stmt.to_string()
}

/// The text of the statement being walked: the embedded one (a function created inside a DO block
/// or another body), else the file's top-level statement.
fn statement_text(w: &Walker<'_, '_>) -> String {
    if let Some(own) = &w.embedded {
        return own.clone();
    }
    let text = w.sink.text;
    let start = w.stmt_start.min(text.len());
    let end = w.stmt_end.min(text.len()).max(start);
    text[start..end].to_string()
}
