//! Function bodies and DO blocks, which are not opaque to the fence: SQL bodies are parsed as SQL,
//! PL/pgSQL bodies with PostgreSQL's own PL/pgSQL parser, and every embedded query is walked by the same
//! rules as a top-level statement. Dynamic SQL and other languages cannot be proven, so they are refused.

use super::plpgsql as pl;
use super::policy::SearchPath;
use super::resolve::literal_text;
use super::walk::{inner, name_parts, split_qualified, Body, Ctx, Walker};
use super::{Rule, Sink, SCHEMA};
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

/// CREATE FUNCTION / PROCEDURE: the options (language, body, SET search_path) and the body.
pub(super) fn function(w: &mut Walker<'_, '_>, stmt: &pb::CreateFunctionStmt) {
    let opts = stmt.options.as_slice();
    let mut language = "sql".to_string();
    let mut bodies: Vec<String> = Vec::new();
    for (name, arg) in def_elems(opts) {
        match name {
            "language" => language = arg_string(arg).unwrap_or_default().to_lowercase(),
            "as" => {
                if let Some(N::List(l)) = arg {
                    bodies = l
                        .items
                        .iter()
                        .filter_map(|i| arg_string(i.node.as_ref()))
                        .collect();
                }
            }
            _ => {}
        }
    }
    function_set_options(w, opts);
    let own_path = function_path(opts);
    let Some(body) = bodies.first() else { return }; // BEGIN ATOMIC / RETURN: walked as part of the tree
    let returns_trigger = returns_trigger(stmt);
    let saved = (w.body, w.path.clone());
    w.body = if returns_trigger {
        Body::Trigger
    } else {
        Body::Function
    };
    if let Some(p) = own_path {
        w.path = p;
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
/// expert_network, pg_catalog, pg_temp): its body resolves under it.
fn function_path(opts: &[pb::Node]) -> Option<SearchPath> {
    let v = search_path_options(opts).next()?;
    let values: Vec<String> = v
        .args
        .iter()
        .filter_map(|a| a.node.as_ref().and_then(literal_text))
        .collect();
    SearchPath::parse(&values)
}

/// `SET search_path = ...` on a function: only expert_network, the catalogs and pg_temp.
pub(super) fn function_set_options(w: &mut Walker<'_, '_>, opts: &[pb::Node]) {
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
    let saved = w.body;
    w.body = Body::Do;
    plpgsql_body(w, &body, Wrap::Do);
    w.body = saved;
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
                if let Some(node) = &raw.stmt {
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
        Wrap::Trigger => {
            "CREATE FUNCTION en_migrate_fence(\"new\" record, \"old\" record) RETURNS record"
        }
        Wrap::Original => "",
    };
    let sql = if head.is_empty() {
        // Rebuild the real header so RETURN QUERY, OUT parameters and the like are judged as written.
        let stmt_text = statement_text(w);
        stmt_text.to_string()
    } else {
        format!("{head} LANGUAGE plpgsql AS {tag}{body}{tag}")
    };
    let parsed = super::parse::plpgsql(&sql).or_else(|first| {
        // libpg_query resolves type names only in pg_catalog and public ("LookupExplicitNamespace only
        // supports pg_catalog and public"), so a parameter or variable of an expert_network type
        // cannot be parsed as written. The types do not matter to the fence (they were checked as
        // names above): parse again with them replaced by text (header) and record (declarations).
        if !first.to_string().contains("LookupExplicitNamespace") {
            return Err(first);
        }
        let stmt = if head.is_empty() {
            statement_text(w).to_string()
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
        let rewrite = |with: &str| {
            let new_body = neutralise_types(body, with, true);
            format!(
                "{}{}{}",
                neutralise_types(&stmt[..at], "text", false),
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

/// The text of the statement being walked (from its start to the end of the file is enough for
/// libpg_query, which reads one statement).
fn statement_text<'t>(w: &Walker<'_, 't>) -> &'t str {
    let text: &'t str = w.sink.text;
    let start = w.stmt_start.min(text.len());
    let end = w.stmt_end.min(text.len()).max(start);
    &text[start..end]
}

/// A token of PL/pgSQL text: (start, end, lower-cased text). Strings, comments and dollar-quoted text
/// are skipped; quoted identifiers keep their quotes in `text`.
fn tokens(text: &str) -> Vec<(usize, usize, String)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
    while i < b.len() {
        let c = b[i];
        if let Some((end, _)) = crate::files::lexer::comment_end(b, i) {
            i = end;
        } else if c == b'\'' {
            i += 1;
            while i < b.len() && !(b[i] == b'\'' && b.get(i + 1) != Some(&b'\'')) {
                i += if b[i] == b'\'' { 2 } else { 1 };
            }
            i += 1;
        } else if c == b'"' {
            let start = i;
            i += 1;
            while i < b.len() && !(b[i] == b'"' && b.get(i + 1) != Some(&b'"')) {
                i += if b[i] == b'"' { 2 } else { 1 };
            }
            i = (i + 1).min(b.len());
            out.push((start, i, text[start..i].to_string()));
        } else if c == b'$' && !b.get(i + 1).is_some_and(|d| d.is_ascii_digit()) {
            let end = (i + 1..b.len())
                .find(|&j| !word(b[j]) || b[j] == b'$')
                .unwrap_or(b.len());
            if b.get(end) == Some(&b'$') {
                let tag = &text[i..=end];
                i = text[end + 1..]
                    .find(tag)
                    .map_or(b.len(), |k| end + 1 + k + tag.len());
            } else {
                i += 1;
            }
        } else if word(c) {
            let start = i;
            while i < b.len() && word(b[i]) {
                i += 1;
            }
            out.push((start, i, text[start..i].to_lowercase()));
        } else {
            if !c.is_ascii_whitespace() {
                out.push((i, i + 1, (c as char).to_string()));
            }
            i += 1;
        }
    }
    out
}

fn unquote(t: &str) -> String {
    t.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .map_or_else(|| t.to_string(), |x| x.replace("\"\"", "\""))
}

/// Replaces `expert_network.name` used as a type (not followed by `(`, `.` or `%`) with `with`; in a
/// body only inside DECLARE sections.
fn neutralise_types(text: &str, with: &str, declare_only: bool) -> String {
    let toks = tokens(text);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut in_declare = !declare_only;
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i].2;
        if declare_only && t == "declare" {
            in_declare = true;
        } else if declare_only && t == "begin" {
            in_declare = false;
        }
        if in_declare
            && unquote(t) == SCHEMA
            && toks.get(i + 1).is_some_and(|d| d.2 == ".")
            && i + 2 < toks.len()
        {
            let next = toks.get(i + 3).map(|x| x.2.as_str());
            if !matches!(next, Some("(") | Some(".") | Some("%")) {
                out.push_str(&text[last..toks[i].0]);
                out.push_str(with);
                last = toks[i + 2].1;
                i += 3;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&text[last..]);
    out
}

/// The types of DECLAREd variables, read from the text: libpg_query's JSON drops the type of a
/// variable whose type it cannot resolve (`x public.citext` comes back without a name).
fn declared_types(w: &mut Walker<'_, '_>, body: &str, base: usize) {
    let toks = tokens(body);
    let mut in_declare = false;
    let mut at_decl_start = false;
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i].2.as_str();
        match t {
            "declare" => {
                in_declare = true;
                at_decl_start = true;
            }
            "begin" => in_declare = false,
            ";" if in_declare => at_decl_start = true,
            _ if in_declare && at_decl_start => {
                // name [CONSTANT] type ...
                at_decl_start = false;
                let mut j = i + 1;
                if toks.get(j).is_some_and(|x| x.2 == "constant") {
                    j += 1;
                }
                if toks.get(j).is_some_and(|x| {
                    x.2 == "alias" || x.2 == "cursor" || x.2 == "no" || x.2 == "scroll"
                }) {
                    i += 1;
                    continue;
                }
                let mut parts = Vec::new();
                let start = toks.get(j).map_or(0, |x| x.0);
                while let Some(x) = toks.get(j) {
                    parts.push(unquote(&x.2));
                    if toks.get(j + 1).is_some_and(|d| d.2 == ".") {
                        j += 2;
                    } else {
                        break;
                    }
                }
                let pct = toks
                    .get(j + 1)
                    .filter(|d| d.2 == "%")
                    .and_then(|_| toks.get(j + 2))
                    .map(|x| x.2.clone());
                let schema_at = match pct.as_deref() {
                    Some("type") if parts.len() >= 3 => Some(parts.len() - 3),
                    Some("type") => None,
                    _ if parts.len() >= 2 => Some(parts.len() - 2),
                    _ => None,
                };
                let unqualified_rel = match pct.as_deref() {
                    Some("type") => parts.len() == 2,
                    Some("rowtype") => parts.len() == 1,
                    _ => false,
                };
                w.here = base + start;
                if let Some(k) = schema_at {
                    let obj = parts.get(k + 1).cloned().unwrap_or_default();
                    w.check_schema_pub(&parts[k], &obj, true);
                } else if unqualified_rel {
                    w.refuse(
                        Rule::UnqualifiedName,
                        format!(
                            "{}%{} names a relation without its schema",
                            parts.join("."),
                            pct.unwrap_or_default()
                        ),
                        Some(&format!("write {SCHEMA}.{}", parts.join("."))),
                    );
                } else if pct.is_none() && parts.len() == 1 {
                    // The type as written up to `:=`, DEFAULT, NOT NULL, COLLATE or `;`, read by
                    // the SQL parser, which maps SQL's spellings (`double precision`) to types.
                    let end = toks[j..]
                        .iter()
                        .find(|t| {
                            matches!(
                                t.2.as_str(),
                                ":" | "=" | ";" | "default" | "not" | "collate"
                            )
                        })
                        .map_or(body.len(), |t| t.0);
                    if let Some(names) = declared_type_names(&body[start..end.max(start)]) {
                        w.type_reference(&names, false);
                    }
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
}

/// `SELECT expr` parsed, and `f` of its one expression (None when it is not one).
fn sole_expression<T>(expr: &str, f: impl FnOnce(&N) -> Option<T>) -> Option<T> {
    let parsed = super::parse(&format!("SELECT {expr}")).ok()?;
    let [raw] = parsed.stmts.as_slice() else {
        return None;
    };
    let Some(N::SelectStmt(sel)) = raw.stmt.as_ref()?.node.as_ref() else {
        return None;
    };
    let [target] = sel.target_list.as_slice() else {
        return None;
    };
    let Some(N::ResTarget(r)) = &target.node else {
        return None;
    };
    inner(&r.val).and_then(f)
}

/// The type name parts of `text` read as a type by the SQL parser (`SELECT NULL::text`); None when
/// it does not read as one (the PL/pgSQL parser reports that).
fn declared_type_names(text: &str) -> Option<Vec<String>> {
    sole_expression(&format!("NULL::{text}"), |e| match e {
        N::TypeCast(c) => name_parts(&c.type_name.as_ref()?.names),
        _ => None,
    })
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

    /// Moves to the line of a node that has one (libpg_query writes no `lineno` when it is 0).
    fn at(&mut self, w: &mut Walker<'_, '_>, lineno: i64) {
        if lineno > 0 {
            self.line = lineno as usize;
            w.here = self.offset(w.sink);
        }
    }

    fn function(&mut self, w: &mut Walker<'_, '_>, f: &pl::FunctionBody) {
        for d in &f.datums {
            match d {
                pl::Datum::Var(v) => self.var(w, v),
                pl::Datum::Row(r) => self.at(w, r.lineno),
                pl::Datum::Rec(r) => self.at(w, r.lineno),
                pl::Datum::RecField(_) => {}
            }
        }
        if let Some(pl::BlockNode::Block(b)) = &f.action {
            self.block(w, b);
        }
    }

    fn var(&mut self, w: &mut Walker<'_, '_>, v: &pl::Var) {
        self.at(w, v.lineno);
        if let Some(pl::TypeNode::Type(t)) = &v.datatype {
            let typname = t.typname.as_deref().unwrap_or("").to_lowercase();
            self.type_name(w, &typname);
        }
        self.exprs(w, [&v.default_val, &v.cursor_explicit_expr]);
    }

    fn variable(&mut self, w: &mut Walker<'_, '_>, v: &Option<pl::Variable>) {
        match v {
            Some(pl::Variable::Var(v)) => self.var(w, v),
            Some(pl::Variable::Row(r)) => self.at(w, r.lineno),
            Some(pl::Variable::Rec(r)) => self.at(w, r.lineno),
            None => {}
        }
    }

    fn exprs<'e>(
        &mut self,
        w: &mut Walker<'_, '_>,
        list: impl IntoIterator<Item = &'e Option<pl::Expr>>,
    ) {
        for e in list.into_iter().flatten() {
            self.expr(w, e);
        }
    }

    fn params(&mut self, w: &mut Walker<'_, '_>, list: &[pl::Expr]) {
        for e in list {
            self.expr(w, e);
        }
    }

    fn block(&mut self, w: &mut Walker<'_, '_>, b: &pl::Block) {
        self.at(w, b.lineno);
        self.stmts(w, &b.body);
        if let Some(pl::ExceptionBlockNode::Block(e)) = &b.exceptions {
            for pl::ExceptionNode::Exception(x) in &e.exc_list {
                self.stmts(w, &x.action);
            }
        }
    }

    fn stmts(&mut self, w: &mut Walker<'_, '_>, list: &[pl::Stmt]) {
        for s in list {
            // Nested IFs and loops recurse here: on a stack grown on demand, as the SQL walk does.
            stacker::maybe_grow(128 << 10, 4 << 20, || self.stmt(w, s));
        }
    }

    fn branch(&mut self, w: &mut Walker<'_, '_>, b: &pl::Branch) {
        self.at(w, b.lineno);
        self.exprs(w, [&b.cond]);
        self.stmts(w, &b.stmts);
    }

    /// One PL/pgSQL statement: every expression and nested statement in it. No catch-all arm, so a
    /// kind added to `plpgsql::Stmt` needs an arm here.
    fn stmt(&mut self, w: &mut Walker<'_, '_>, s: &pl::Stmt) {
        use pl::Stmt as S;
        match s {
            S::Block(b) => self.block(w, b),
            S::Assign { lineno, expr, .. }
            | S::Return { lineno, expr }
            | S::ReturnNext { lineno, expr }
            | S::Perform { lineno, expr } => {
                self.at(w, *lineno);
                self.exprs(w, [expr]);
            }
            S::If {
                lineno,
                cond,
                then_body,
                elsif_list,
                else_body,
            } => {
                self.at(w, *lineno);
                self.exprs(w, [cond]);
                self.stmts(w, then_body);
                for pl::IfElsifNode::Elsif(b) in elsif_list {
                    self.branch(w, b);
                }
                self.stmts(w, else_body);
            }
            S::Case {
                lineno,
                t_expr,
                case_when_list,
                else_stmts,
                ..
            } => {
                self.at(w, *lineno);
                self.exprs(w, [t_expr]);
                for pl::CaseWhenNode::When(b) in case_when_list {
                    self.branch(w, b);
                }
                self.stmts(w, else_stmts);
            }
            S::Loop { lineno, body, .. } => {
                self.at(w, *lineno);
                self.stmts(w, body);
            }
            S::While {
                lineno, cond, body, ..
            } => {
                self.at(w, *lineno);
                self.exprs(w, [cond]);
                self.stmts(w, body);
            }
            S::ForI {
                lineno,
                var,
                lower,
                upper,
                step,
                body,
                ..
            } => {
                self.at(w, *lineno);
                self.variable(w, var);
                self.exprs(w, [lower, upper, step]);
                self.stmts(w, body);
            }
            S::ForS {
                lineno,
                var,
                body,
                query,
                ..
            } => {
                self.at(w, *lineno);
                self.variable(w, var);
                self.stmts(w, body);
                self.exprs(w, [query]);
            }
            S::ForC {
                lineno,
                var,
                body,
                argquery,
                ..
            } => {
                self.at(w, *lineno);
                self.variable(w, var);
                self.stmts(w, body);
                self.exprs(w, [argquery]);
            }
            S::ForEachA {
                lineno, expr, body, ..
            } => {
                self.at(w, *lineno);
                self.exprs(w, [expr]);
                self.stmts(w, body);
            }
            S::Exit { lineno, cond, .. } => {
                self.at(w, *lineno);
                self.exprs(w, [cond]);
            }
            S::ReturnQuery {
                lineno,
                query,
                dynquery,
                params,
            } => {
                self.at(w, *lineno);
                self.exprs(w, [query]);
                if dynquery.is_some() {
                    self.dynamic(w, dynquery.as_ref());
                }
                self.params(w, params);
            }
            S::Raise {
                lineno,
                params,
                options,
                ..
            } => {
                self.at(w, *lineno);
                self.params(w, params);
                for pl::RaiseOptionNode::Option { expr, .. } in options {
                    self.exprs(w, [expr]);
                }
            }
            S::Assert {
                lineno,
                cond,
                message,
            } => {
                self.at(w, *lineno);
                self.exprs(w, [cond, message]);
            }
            S::ExecSql {
                lineno,
                sqlstmt,
                target,
                ..
            } => {
                self.at(w, *lineno);
                self.exprs(w, [sqlstmt]);
                self.variable(w, target);
            }
            S::DynExecute {
                lineno,
                query,
                target,
                params,
                ..
            } => {
                self.at(w, *lineno);
                self.dynamic(w, query.as_ref());
                self.variable(w, target);
                self.params(w, params);
            }
            S::DynForS {
                lineno,
                var,
                body,
                query,
                params,
                ..
            } => {
                self.at(w, *lineno);
                self.dynamic(w, query.as_ref());
                self.variable(w, var);
                self.stmts(w, body);
                self.params(w, params);
            }
            S::GetDiag { lineno, .. } | S::Close { lineno, .. } => self.at(w, *lineno),
            S::Open {
                lineno,
                argquery,
                query,
                dynquery,
                params,
                ..
            } => {
                self.at(w, *lineno);
                self.exprs(w, [argquery, query]);
                if dynquery.is_some() {
                    self.dynamic(w, dynquery.as_ref());
                }
                self.params(w, params);
            }
            S::Fetch {
                lineno,
                target,
                expr,
                ..
            } => {
                self.at(w, *lineno);
                self.variable(w, target);
                self.exprs(w, [expr]);
            }
            S::Call {
                lineno,
                expr,
                target,
                ..
            } => {
                self.at(w, *lineno);
                self.exprs(w, [expr]);
                self.variable(w, target);
            }
            S::Commit { lineno, .. } | S::Rollback { lineno, .. } => {
                self.at(w, *lineno);
                // A DO block in a no-transaction file runs outside any transaction of en-migrate's,
                // so it may commit its own work (batched backfills).
                if !(w.no_transaction && w.body == Body::Do) {
                    w.refuse(Rule::TransactionControl, "COMMIT / ROLLBACK inside a procedure or DO block ends en-migrate's transaction".into(), Some("put the DO block alone in a `-- en-migrate: no-transaction` file"));
                }
            }
        }
    }

    /// EXECUTE: a constant string is parsed and fenced like any statement; anything computed is
    /// refused, unless the file opts in and the EXECUTE sits in a function the migration only
    /// defines (the database-side check still runs when it does).
    fn dynamic(&mut self, w: &mut Walker<'_, '_>, query: Option<&pl::Expr>) {
        let text = query.map_or("", |q| q.body().query.as_str());
        let constant = sole_expression(text, |e| super::walk::const_str(e).map(str::to_string));
        if let Some(sql) = constant {
            let here = self.offset(w.sink);
            match super::parse(&sql).ok() {
                Some(tree) => {
                    let old_base = w.base;
                    walk_embedded(w, &tree, here);
                    w.base = old_base;
                }
                None => w.refuse(
                    Rule::ParseError,
                    format!("cannot parse the EXECUTEd string {sql:?}"),
                    Some("fix the string's syntax"),
                ),
            }
            return;
        }
        if w.sink.opts.dynamic_sql && w.body.is_function() {
            return;
        }
        let hint = if w.body.is_function() {
            "write the statement statically; or, if this function only builds SQL from its arguments (diesel_manage_updated_at, partition helpers), add `-- en-migrate: allow dynamic-sql` to the file"
        } else {
            "write the statement statically, with schema-qualified names"
        };
        w.refuse(
            Rule::DynamicSql,
            "EXECUTE runs SQL that cannot be proven before it runs".into(),
            Some(hint),
        );
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
                w.refuse(
                    Rule::UnqualifiedName,
                    format!("{typname} names a relation without its schema"),
                    Some(&format!("write {SCHEMA}.{name}%{}", pct.unwrap_or(""))),
                );
            }
            None => {}
        }
    }

    /// Parses one embedded query in the mode PL/pgSQL itself uses and walks it.
    fn expr(&mut self, w: &mut Walker<'_, '_>, e: &pl::Expr) {
        let e = e.body();
        let (query, mode) = (e.query.as_str(), e.parse_mode);
        let parsed =
            super::parse::sql(query, mode).or_else(|_| super::parse(&format!("SELECT {query}")));
        let here = self.offset(w.sink);
        match parsed {
            Err(err) => {
                w.here = here;
                w.refuse(
                    Rule::ParseError,
                    format!("cannot parse `{query}` in the PL/pgSQL body: {err}"),
                    Some("fix the query's syntax"),
                );
            }
            Ok(tree) => {
                // Locations inside an embedded query are relative to it; report its line instead.
                walk_embedded(w, &tree, here);
            }
        }
    }
}

/// Walks the statements of a query embedded in PL/pgSQL (an expression, a constant EXECUTE string),
/// whose node locations are relative to it: every finding is reported at `here`, its line.
fn walk_embedded(w: &mut Walker<'_, '_>, tree: &pb::ParseResult, here: usize) {
    w.base = here;
    for raw in &tree.stmts {
        if let Some(node) = &raw.stmt {
            w.here = here;
            w.pinned = true;
            w.node_of(node, Ctx::default());
            w.pinned = false;
        }
    }
}
