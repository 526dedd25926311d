//! What a SECURITY INVOKER function's string body calls of expert_network's, read for the model from
//! the body's tokens. Called from a SECURITY DEFINER body, an invoker runs with the definer's owner's
//! rights, and so does every function it calls in turn, at any depth, and every trigger of a
//! relation it writes (a trigger function's string body, too, resolves when it runs): a qualified call with
//! arguments there (`expert_network.norm(v)`) runs whichever overload of `norm` matches the
//! arguments best, and the application's role may add one to expert_network (PG 15: a definer
//! calling `expert_network.dd_count()`, whose body called `expert_network.dd_norm(v)` of a varchar,
//! ran the application's `dd_norm(varchar)` as the superuser). The tokens are read, not the tree:
//! the same reading serves SQL and PL/pgSQL bodies, and it can only see more calls than there are
//! (a name followed by `(` in a literal, or a write's name that is no relation, counts too), never fewer. What
//! it cannot read (a Unicode-escaped identifier, a dynamic `EXECUTE`, an escaped string whose value
//! may be SQL) counts as an overloadable call. `definer.rs` judges; this module must never touch a
//! database.

use super::SCHEMA;
use pg_query::protobuf::Token;

/// The calls of expert_network's functions a body makes, as far as its tokens show.
#[derive(Debug, Default, Clone)]
pub(super) struct Calls {
    /// The functions called qualified as `expert_network.name(...)`, by name.
    pub callees: Vec<String>,
    /// The relations the body writes (INSERT, UPDATE, DELETE, MERGE, TRUNCATE), by their last name,
    /// qualified or not: their triggers run as the body does.
    pub writes: Vec<String>,
    /// The relations the body names qualified (`expert_network.v` not followed by `(`) or after
    /// FROM or JOIN, by their last name: a view's query, and the calls in it, run as the body does.
    pub reads: Vec<String>,
    /// A call the server resolves among overloads the application's role may add: a qualified call
    /// with arguments, an `OPERATOR(expert_network.op)`, or text this reading cannot follow.
    pub overloadable: bool,
    /// The qualified calls with arguments whose every argument's type is known exactly: each
    /// written `$n` in an SQL body, the function's own input parameter of a plain type (an SQL
    /// function's `$n` is always its parameter, bound to the declared type when it was created),
    /// or a cast to one of pg_catalog's types (`cast_type`).
    /// Overloadable unless `Model::has_signature` finds that exact list (`model.rs`).
    pub typed: Vec<(String, Vec<String>)>,
    /// The names of `typed`'s calls with an argument typed by its cast: pg_catalog's type, which a
    /// parameter written with its name unqualified may not be (`Model::has_signature`).
    pub cast: Vec<String>,
    /// The body may be made without the server resolving its calls (check_function_bodies off,
    /// or made by another function's body when it runs): `typed` then finds only the argument
    /// lists of what is surely expert_network's (`Model::extension_signature`).
    pub unvalidated: bool,
}

/// What `body` calls (see the module doc), with no parameter's type known.
#[cfg(test)]
pub(super) fn of_body(body: &str) -> Calls {
    of_sql_body(body, &[], false)
}

/// What the `body` of a function whose `$n` parameters have the types `positional` (None: not
/// known, see `arg_types::positional_types`) calls; `catalog_first`: the function's own
/// search_path looks types up in pg_catalog before any other schema (`SET search_path =
/// pg_catalog, ...`).
pub(super) fn of_sql_body(body: &str, positional: &[Option<String>], catalog_first: bool) -> Calls {
    let mut calls = Calls::default();
    read(body, &mut calls, 0, positional, catalog_first);
    calls
}

/// The type of a call's argument written `text` where the server cannot read it as any other:
/// the whole argument is a cast (`x::timestamptz`, `CAST(x AS text)`, `'a'::pg_catalog.text`; the
/// real parser says so, as `a || b::text` is no cast of the whole) to a type of pg_catalog's, which
/// no role may add to. Written qualified, or in an SQL spelling the parser qualifies itself
/// (`timestamp with time zone`, `integer`, `varchar(20)`), it is surely pg_catalog's; unqualified,
/// only where the body's own path searches pg_catalog first (`catalog_first`) and pg_catalog has a
/// type of that name, else the path may find one another role made in expert_network. A cast is
/// resolved each time the body is planned, so it is judged as written, never by what the
/// migrations make (Immich's `expert_network.immich_uuid_v7(clock_timestamp::timestamptz)` in a
/// trigger function pinned to `pg_catalog, pg_temp`: the exact match of the function it made).
fn cast_type(text: &str, catalog_first: bool) -> Option<String> {
    use pg_query::protobuf::node::Node as N;
    let parsed = pg_query::parse(&format!("SELECT {text}"), 0).ok()?;
    let [raw] = parsed.protobuf.stmts.as_slice() else {
        return None;
    };
    let Some(N::SelectStmt(select)) = raw.stmt.as_ref()?.node.as_ref() else {
        return None;
    };
    let [target] = select.target_list.as_slice() else {
        return None;
    };
    let Some(N::ResTarget(target)) = &target.node else {
        return None;
    };
    let Some(N::TypeCast(cast)) = target.val.as_ref()?.node.as_ref() else {
        return None;
    };
    let ty = cast.type_name.as_ref()?;
    let written = super::model::signature_type(ty)?;
    let base = written.trim_end_matches("[]");
    let catalogs = match super::walk::name_parts(&ty.names)?.as_slice() {
        [s, _] => s == "pg_catalog",
        [_] => catalog_first && !in_some_versions(base),
        _ => false,
    };
    (catalogs
        && super::known::is_catalog_type(base)
        && !super::arg_types::NOT_PLAIN.contains(&base))
    .then_some(written)
}

/// Whether pg_catalog's type `name` (an element type, without `[]`) is one that some of the
/// server versions the fence knows lack (`known::TYPES` is the union of PG 13 to 18's): a catalog
/// relation's row type (`pg_stat_io` is PG 16's), or one PG 14 added (the multiranges, the BRIN
/// summaries). Unqualified, where the server lacks it, the name falls through the path to pg_temp,
/// where the session's role may make one (PG 15: raguser's temporary table `pg_stat_io` took a
/// pinned invoker's `expert_network.f(NULL::pg_stat_io)`, and its `expert_network.f(anyelement)`
/// ran as the superuser through a definer).
fn in_some_versions(name: &str) -> bool {
    let element = name.strip_prefix('_').unwrap_or(name);
    [name, element]
        .iter()
        .any(|n| super::known::catalog_relation("pg_catalog", n).is_some())
        || element.contains("multirange")
        || element.starts_with("pg_brin_")
}

/// How deep string values are read as SQL before giving up (and counting the body as overloadable).
const DEPTH: usize = 8;

fn read(
    text: &str,
    calls: &mut Calls,
    depth: usize,
    positional: &[Option<String>],
    catalog_first: bool,
) {
    let Ok(scanned) = pg_query::scan(text) else {
        // A body the scanner refuses the server cannot parse either; a literal's value that does
        // not scan is no SQL that could run.
        calls.overloadable |= depth == 0;
        return;
    };
    let tokens = &scanned.tokens;
    let raw = |i: usize| -> Option<&str> {
        let t = tokens.get(i)?;
        text.get(usize::try_from(t.start).ok()?..usize::try_from(t.end).ok()?)
    };
    let is = |i: usize, k: Token| tokens.get(i).is_some_and(|t| t.token == k as i32);
    let ours = |i: usize| raw(i).and_then(identifier).is_some_and(|n| n == SCHEMA);
    // Where the name of the relation a write at token `i` targets starts.
    let write_target = |i: usize| -> Option<usize> {
        let mut at = i + 1;
        if is(i, Token::Insert) || is(i, Token::Merge) {
            is(at, Token::Into).then_some(())?;
            at += 1;
        } else if is(i, Token::DeleteP) {
            is(at, Token::From).then_some(())?;
            at += 1;
        } else if is(i, Token::Truncate) {
            at += usize::from(is(at, Token::Table));
        } else if !is(i, Token::Update) {
            return None;
        }
        at += usize::from(is(at, Token::Only));
        Some(at)
    };
    for (i, t) in tokens.iter().enumerate() {
        if t.token == Token::Uident as i32 || t.token == Token::Execute as i32 {
            // `U&"..."` may spell expert_network; PL/pgSQL's EXECUTE runs SQL not in the tokens.
            calls.overloadable = true;
        } else if t.token == Token::Sconst as i32 || t.token == Token::Usconst as i32 {
            // A literal's value may be SQL the body runs (a DO block, a function it creates).
            match raw(i).and_then(super::conforming::plain_value) {
                // A literal's `$n` is no parameter of this body's function.
                Some(v) if depth < DEPTH => read(&v, calls, depth + 1, &[], false),
                Some(_) => calls.overloadable = true,
                None => {
                    if raw(i).is_some_and(|r| r.contains('\\') || r.starts_with(['U', 'u'])) {
                        calls.overloadable = true;
                    }
                }
            }
        } else if let Some(at) = write_target(i) {
            // The relation's last name: `expert_network.t` or `t` (found on the path) alike.
            let mut end = at;
            while is(end + 1, Token::Ascii46) {
                end += 2;
            }
            if let Some(rel) = raw(end).and_then(identifier) {
                calls.writes.push(rel);
            }
        } else if ours(i) && is(i + 1, Token::Ascii46) && !is(i + 3, Token::Ascii40) {
            if let Some(rel) = raw(i + 2).and_then(identifier) {
                calls.reads.push(rel);
            }
        } else if (is(i, Token::From) || is(i, Token::Join)) && !is(i + 2, Token::Ascii46) {
            if let Some(rel) = raw(i + 1).and_then(identifier) {
                calls.reads.push(rel);
            }
        } else if ours(i) && is(i + 1, Token::Ascii46) && is(i + 3, Token::Ascii40) {
            let name = raw(i + 2).and_then(identifier);
            if let Some(name) = &name {
                calls.callees.push(name.clone());
            }
            if !is(i + 4, Token::Ascii41) {
                // `$a, x::t, ...)`: each a parameter of a known type or a cast to one, split at
                // the commas outside parentheses and brackets.
                let mut types = Vec::new();
                let mut by_cast = false;
                let (mut start, mut at, mut nest) = (i + 4, i + 4, 0usize);
                let typed = loop {
                    let Some(t) = tokens.get(at) else { break false };
                    let open = t.token == Token::Ascii40 as i32 || t.token == Token::Ascii91 as i32;
                    let close =
                        t.token == Token::Ascii41 as i32 || t.token == Token::Ascii93 as i32;
                    if open {
                        nest += 1;
                    } else if close && nest > 0 {
                        nest -= 1;
                    } else if nest == 0 && (close || t.token == Token::Ascii44 as i32) {
                        let ty = if at == start + 1 && is(start, Token::Param) {
                            raw(start)
                                .and_then(|r| r.strip_prefix('$')?.parse::<usize>().ok())
                                .and_then(|n| positional.get(n.checked_sub(1)?)?.clone())
                        } else {
                            let from = tokens
                                .get(start)
                                .and_then(|t| usize::try_from(t.start).ok());
                            let to = at
                                .checked_sub(1)
                                .and_then(|l| tokens.get(l))
                                .and_then(|t| usize::try_from(t.end).ok());
                            from.zip(to)
                                .filter(|(a, b)| a < b)
                                .and_then(|(a, b)| text.get(a..b))
                                .and_then(|arg| cast_type(arg, catalog_first))
                                .inspect(|_| by_cast = true)
                        };
                        let Some(ty) = ty else { break false };
                        types.push(ty);
                        if close {
                            break true;
                        }
                        start = at + 1;
                    }
                    at += 1;
                };
                match name {
                    Some(name) if typed => {
                        if by_cast {
                            calls.cast.push(name.clone());
                        }
                        calls.typed.push((name, types));
                    }
                    _ => calls.overloadable = true,
                }
            }
        } else if t.token == Token::Operator as i32
            && is(i + 1, Token::Ascii40)
            && ours(i + 2)
            && is(i + 3, Token::Ascii46)
        {
            calls.overloadable = true;
        }
    }
}

/// A name token as the server folds it: a quoted identifier without its quotes, else lower case.
fn identifier(raw: &str) -> Option<String> {
    if let Some(q) = raw.strip_prefix('"') {
        return Some(q.strip_suffix('"')?.replace("\"\"", "\""));
    }
    Some(raw.to_ascii_lowercase())
}

/// Whether a PL/pgSQL trigger function's `body` looks nothing up by name when it runs, so that the
/// path it runs under (its caller's, having none of its own) cannot change what it does: a single
/// block, with no DECLARE, of assignments to fields of NEW or OLD from a constant, NULL, a field of
/// NEW or OLD, or one of SQL's clock keywords (`CURRENT_TIMESTAMP`, `LOCALTIMESTAMP`, ...: the
/// parser binds them to pg_catalog's functions itself), then `RETURN NEW`, `OLD` or `NULL`.
/// The assignment's coercion to the column's type is found by type, never by name. Anything else
/// (a call, an operator, a cast, a condition, a query) may look a name up on the caller's path, which
/// the application's role sets in its own session (PG 15: an unpathed trigger's `now()` found
/// raguser's on a cascade; real23's `NEW.updated_at = CURRENT_TIMESTAMP` found nothing).
pub(super) fn looks_up_nothing(body: &str) -> bool {
    let Ok(scanned) = pg_query::scan(body) else {
        return false;
    };
    let tokens: Vec<&pg_query::protobuf::ScanToken> = scanned
        .tokens
        .iter()
        .filter(|t| t.token != Token::SqlComment as i32 && t.token != Token::CComment as i32)
        .collect();
    let is = |i: usize, k: Token| tokens.get(i).is_some_and(|t| t.token == k as i32);
    // NEW and OLD are keywords to the scanner; a column's name after them may be one too.
    let record = |i: usize| is(i, Token::New) || is(i, Token::Old);
    let name = |i: usize| is(i, Token::Ident) || tokens.get(i).is_some_and(|t| t.keyword_kind != 0);
    // `NEW.col` or `OLD.col` at `i`: its length in tokens.
    let field = |i: usize| (record(i) && is(i + 1, Token::Ascii46) && name(i + 2)).then_some(3);
    let value = |i: usize| {
        field(i).or_else(|| {
            [
                Token::CurrentTimestamp,
                Token::CurrentDate,
                Token::CurrentTime,
                Token::Localtimestamp,
                Token::Localtime,
                Token::NullP,
                Token::TrueP,
                Token::FalseP,
                Token::Iconst,
                Token::Sconst,
            ]
            .iter()
            .any(|k| is(i, *k))
            .then_some(1)
        })
    };
    if !is(0, Token::BeginP) {
        return false;
    }
    let mut at = 1;
    loop {
        if is(at, Token::EndP) {
            at += 1;
            at += usize::from(is(at, Token::Ascii59));
            return at == tokens.len();
        }
        if is(at, Token::Return)
            && (record(at + 1) || is(at + 1, Token::NullP))
            && is(at + 2, Token::Ascii59)
        {
            at += 3;
            continue;
        }
        let Some(target) = field(at) else {
            return false;
        };
        at += target;
        if !(is(at, Token::Ascii61) || is(at, Token::ColonEquals)) {
            return false;
        }
        let Some(v) = value(at + 1) else { return false };
        at += 1 + v;
        if !is(at, Token::Ascii59) {
            return false;
        }
        at += 1;
    }
}
