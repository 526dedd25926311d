//! Function bodies and DO blocks, which are not opaque to the fence: SQL bodies are parsed as SQL,
//! PL/pgSQL bodies with PostgreSQL's own PL/pgSQL parser, and every embedded query is walked by the same
//! rules as a top-level statement. Dynamic SQL and other languages cannot be proven, so they are refused.

use super::walk::{name_parts, split_qualified, typed, Ctx, Walker};
use super::{Sink, SCHEMA};
use serde_json::Value;

fn s<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Option DefElems of CREATE FUNCTION / DO: (name, arg).
fn def_elems(list: &[Value]) -> impl Iterator<Item = (&str, Option<&Value>)> {
    list.iter().filter_map(|o| match typed(o) {
        Some(("DefElem", d)) => Some((s(d, "defname"), d.get("arg"))),
        _ => None,
    })
}

fn arg_string(arg: Option<&Value>) -> Option<String> {
    match arg.and_then(typed) {
        Some(("String", b)) => Some(s(b, "sval").to_string()),
        _ => None,
    }
}

/// CREATE FUNCTION / PROCEDURE: the options (language, body, SET search_path) and the body.
pub(super) fn function(w: &mut Walker<'_, '_>, stmt: &Value) {
    let opts = stmt.get("options").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    let mut language = "sql".to_string();
    let mut bodies: Vec<String> = Vec::new();
    for (name, arg) in def_elems(opts) {
        match name {
            "language" => language = arg_string(arg).unwrap_or_default().to_lowercase(),
            "as" => {
                if let Some(("List", l)) = arg.and_then(typed) {
                    bodies = l.get("items").and_then(Value::as_array).into_iter().flatten().filter_map(|i| arg_string(Some(i))).collect();
                }
            }
            _ => {}
        }
    }
    function_set_options(w, opts);
    let Some(body) = bodies.first() else { return }; // BEGIN ATOMIC / RETURN: walked as part of the tree
    let returns_trigger = stmt
        .get("return_type")
        .and_then(|r| r.get("names"))
        .and_then(Value::as_array)
        .and_then(|n| name_parts(n))
        .and_then(|p| p.last().cloned())
        .is_some_and(|t| t == "trigger" || t == "event_trigger");
    match language.as_str() {
        "sql" => sql_body(w, body),
        "plpgsql" => plpgsql_body(w, body, if returns_trigger { Wrap::Trigger } else { Wrap::Original }),
        "c" | "internal" => w.refuse("database-wide", format!("a LANGUAGE {language} function loads server code"), None),
        other => w.refuse(
            "unknown-statement",
            format!("a LANGUAGE {other} body cannot be proven by the fence"),
            Some("write the function in SQL or PL/pgSQL"),
        ),
    }
}

/// `SET search_path = ...` on a function: only expert_network, the catalogs and pg_temp.
pub(super) fn function_set_options(w: &mut Walker<'_, '_>, opts: &[Value]) {
    for (name, arg) in def_elems(opts) {
        if name != "set" {
            continue;
        }
        let Some(("VariableSetStmt", v)) = arg.and_then(typed) else { continue };
        if !s(v, "name").eq_ignore_ascii_case("search_path") {
            continue;
        }
        for a in v.get("args").and_then(Value::as_array).into_iter().flatten() {
            let text = match typed(a) {
                Some(("AConst", c)) => c.get("val").and_then(|x| x.get("Sval")).map(|x| s(x, "sval").to_string()),
                _ => None,
            };
            for schema in text.iter().flat_map(|t| t.split(',')).map(|x| split_qualified(x).join(".")) {
                match schema.as_str() {
                    SCHEMA | "pg_catalog" | "pg_temp" | "information_schema" => {}
                    "public" => w.refuse(
                        "touches-public",
                        "the function's SET search_path names public".into(),
                        Some("use SET search_path = expert_network, pg_catalog, pg_temp"),
                    ),
                    other => w.refuse(
                        "outside-schema",
                        format!("the function's SET search_path names {other}"),
                        Some("use SET search_path = expert_network, pg_catalog, pg_temp"),
                    ),
                }
            }
        }
    }
}

/// DO blocks: PL/pgSQL (the default) is parsed; other languages are refused.
pub(super) fn do_block(w: &mut Walker<'_, '_>, stmt: &Value) {
    let args = stmt.get("args").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
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
        w.refuse("unknown-statement", format!("a DO block in LANGUAGE {language} cannot be proven by the fence"), Some("write it in PL/pgSQL"));
        return;
    }
    plpgsql_body(w, &body, Wrap::Do);
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
    match pg_query::parse(body, 0) {
        Err(e) => w.refuse("parse-error", format!("cannot parse the SQL function body: {e}"), None),
        Ok(parsed) => {
            let Ok(tree) = serde_json::to_value(&parsed.protobuf) else { return };
            let (old_base, old_here) = (w.base, w.here);
            w.base = base;
            w.here = base;
            for raw in tree.get("stmts").and_then(Value::as_array).into_iter().flatten() {
                if let Some(node) = raw.get("stmt") {
                    w.statement(node);
                }
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
        Wrap::Trigger => "CREATE FUNCTION en_migrate_fence(\"new\" record, \"old\" record) RETURNS record",
        Wrap::Original => "",
    };
    let sql = if head.is_empty() {
        // Rebuild the real header so RETURN QUERY, OUT parameters and the like are judged as written.
        let stmt_text = statement_text(w);
        stmt_text.to_string()
    } else {
        format!("{head} LANGUAGE plpgsql AS {tag}{body}{tag}")
    };
    let parsed = pg_query::parse_plpgsql(&sql).or_else(|first| {
        // Fallback for headers libpg_query cannot take: the body alone, as a function returning record.
        if head.is_empty() {
            pg_query::parse_plpgsql(&format!("CREATE FUNCTION en_migrate_fence() RETURNS SETOF record LANGUAGE plpgsql AS {tag}{body}{tag}")).map_err(|_| first)
        } else {
            Err(first)
        }
    });
    match parsed {
        Err(e) => w.refuse("parse-error", format!("cannot parse the PL/pgSQL body: {e}"), None),
        Ok(tree) => {
            let old = (w.base, w.here);
            let mut pl = PlWalk { base, line: 1 };
            pl.walk(w, &tree);
            w.base = old.0;
            w.here = old.1;
        }
    }
}

/// The text of the statement being walked (from its start to the end of the file is enough for
/// libpg_query, which reads one statement).
fn statement_text<'t>(w: &Walker<'_, 't>) -> &'t str {
    let text: &'t str = w.sink.text;
    let start = w.stmt_start.min(text.len());
    let end = w.stmt_end.min(text.len()).max(start);
    &text[start..end]
}

struct PlWalk {
    /// File offset of the body's first character; PL/pgSQL line 1 is that line.
    base: usize,
    line: usize,
}

impl PlWalk {
    fn offset(&self, sink: &Sink<'_>) -> usize {
        let text = sink.text;
        let mut off = self.base.min(text.len());
        for _ in 1..self.line {
            match text[off..].find('\n') {
                Some(i) => off += i + 1,
                None => break,
            }
        }
        // Point at the first non-blank character of that line.
        off + text[off..].len() - text[off..].trim_start_matches([' ', '\t']).len()
    }

    fn walk(&mut self, w: &mut Walker<'_, '_>, v: &Value) {
        match v {
            Value::Object(map) => {
                if let Some(l) = map.get("lineno").and_then(Value::as_u64) {
                    self.line = l.max(1) as usize;
                    w.here = self.offset(w.sink);
                }
                for (k, child) in map {
                    match k.as_str() {
                        "PLpgSQL_expr" => self.expr(w, child),
                        "PLpgSQL_stmt_dynexecute" | "PLpgSQL_stmt_dynfors" => {
                            if let Some(l) = child.get("lineno").and_then(Value::as_u64) {
                                self.line = l as usize;
                                w.here = self.offset(w.sink);
                            }
                            w.refuse("dynamic-sql", "EXECUTE runs SQL that cannot be proven before it runs".into(), Some("write the statement statically, with schema-qualified names"));
                            self.walk(w, child);
                        }
                        "dynquery" if !child.is_null() => {
                            w.refuse("dynamic-sql", "a dynamic query (EXECUTE) cannot be proven before it runs".into(), Some("write the query statically"));
                        }
                        "PLpgSQL_stmt_commit" | "PLpgSQL_stmt_rollback" => {
                            if let Some(l) = child.get("lineno").and_then(Value::as_u64) {
                                self.line = l as usize;
                                w.here = self.offset(w.sink);
                            }
                            w.refuse("transaction-control", "COMMIT / ROLLBACK inside a procedure ends en-migrate's transaction".into(), None);
                        }
                        "PLpgSQL_type" => {
                            let typname = s(child, "typname").to_lowercase();
                            self.type_name(w, &typname);
                        }
                        _ => self.walk(w, child),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| self.walk(w, i)),
            _ => {}
        }
    }

    /// `public.user%rowtype`, `expert_network.t.col%type`, `text`.
    fn type_name(&mut self, w: &mut Walker<'_, '_>, typname: &str) {
        let (name, pct) = match typname.split_once('%') {
            Some((n, p)) => (n, Some(p)),
            None => (typname, None),
        };
        let parts = split_qualified(name);
        let schema_at = match pct {
            Some("type") if parts.len() >= 3 => Some(parts.len() - 3),
            Some(_) if parts.len() >= 2 => Some(parts.len() - 2),
            None if parts.len() >= 2 => Some(parts.len() - 2),
            _ => None,
        };
        match schema_at {
            Some(i) => {
                let obj = parts.get(i + 1).cloned().unwrap_or_default();
                w.check_schema_pub(&parts[i], &obj, true);
            }
            None if pct.is_some() && !(pct == Some("type") && parts.len() == 1) => {
                w.refuse("unqualified-name", format!("{typname} names a relation without its schema"), Some(&format!("write {SCHEMA}.{name}%{}", pct.unwrap_or(""))));
            }
            None => {}
        }
    }

    /// Parses one embedded query in the mode PL/pgSQL itself uses and walks it.
    fn expr(&mut self, w: &mut Walker<'_, '_>, e: &Value) {
        let query = s(e, "query");
        let mode = e.get("parseMode").and_then(Value::as_i64).unwrap_or(0) as i32;
        let parsed = pg_query::parse(query, mode).or_else(|_| pg_query::parse(&format!("SELECT {query}"), 0));
        let here = self.offset(w.sink);
        match parsed {
            Err(err) => {
                w.here = here;
                w.refuse("parse-error", format!("cannot parse `{query}` in the PL/pgSQL body: {err}"), None);
            }
            Ok(p) => {
                let Ok(tree) = serde_json::to_value(&p.protobuf) else { return };
                // Locations inside an embedded query are relative to it; report its line instead.
                w.base = here;
                for raw in tree.get("stmts").and_then(Value::as_array).into_iter().flatten() {
                    if let Some(node) = raw.get("stmt") {
                        w.here = here;
                        w.pinned = true;
                        w.node_ctx(node, Ctx::default());
                        w.pinned = false;
                    }
                }
            }
        }
    }
}
