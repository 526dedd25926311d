//! The walk over a PL/pgSQL function's tree, as libpg_query's PL/pgSQL parser writes it
//! (`plpgsql.rs`): every embedded query and expression is parsed and walked by the same rules as a
//! top-level statement, each at its own line of the file; dynamic SQL the fence cannot prove is refused.
//!
//! Must never skip a statement or field it does not know: those are refused as unknown.

use super::plpgsql as pl;
use super::walk::{inner, split_qualified, Body, Ctx, Walker};
use super::{Rule, Sink};
use pg_query::protobuf::{self as pb, node::Node as N};

/// `SELECT expr` parsed, and `f` of its one expression (None when it is not one).
pub(super) fn sole_expression<T>(expr: &str, f: impl FnOnce(&N) -> Option<T>) -> Option<T> {
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

pub(super) struct PlWalk {
    /// File offset of the body's first character; PL/pgSQL line 1 is that line.
    pub(super) base: usize,
    pub(super) line: usize,
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

    pub(super) fn function(&mut self, w: &mut Walker<'_, '_>, f: &pl::FunctionBody) {
        if let Some(known) = w.known.as_deref_mut() {
            known.datums(f.datums.iter().filter_map(|d| match d {
                pl::Datum::Var(v) => v.refname.as_deref(),
                pl::Datum::Row(r) => r.refname.as_deref(),
                pl::Datum::Rec(r) => r.refname.as_deref(),
                pl::Datum::RecField(_) => None,
            }));
        }
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
            // As libpg_query wrote it: a `%ROWTYPE`'s names are already case-folded (`type_name`).
            self.type_name(w, t.typname.as_deref().unwrap_or(""));
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
                // The query is written on the FOR line, not where the body ended.
                self.at(w, *lineno);
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
                self.at(w, *lineno);
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
    /// defines (the database-side check still runs when it does), in a transactional file.
    fn dynamic(&mut self, w: &mut Walker<'_, '_>, query: Option<&pl::Expr>) {
        let text = query.map_or("", |q| q.body().query.as_str());
        let constant = sole_expression(text, |e| super::walk::const_str(e).map(str::to_string));
        if let Some(sql) = constant {
            let here = self.offset(w.sink);
            match super::parse(&sql).ok() {
                Some(tree) => {
                    let old_base = w.base;
                    // The string's names are never the body's variables, and its `$n` are
                    // EXECUTE's USING values: no argument type is known there.
                    let known = w.known.take();
                    walk_embedded(w, &tree, &sql, here);
                    w.known = known;
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
        // The opt-in rests on the database-side check that follows a transaction; a no-transaction
        // file may call what it makes from a statement that runs bare, with no check after it (PG 15
        // through `up`: such a file's function, called by the file, changed public's rows and made
        // raguser SUPERUSER, and the file was recorded). A DO block of a transactional file runs
        // inside that transaction, as a call of the file's own function does (which the opt-in
        // already lets through): the check follows it alike (pg-boss's queue_stats partitions made
        // by `EXECUTE format(...)` in a DO block, corpus 179 of pass/).
        // Not in a SECURITY DEFINER body: the SQL it is given runs with its owner's rights for
        // any caller granted EXECUTE (PG 15 through `up`: `EXECUTE q` of a definer's text
        // parameter, and raguser's call of it with `ALTER ROLE raguser SUPERUSER` made raguser a
        // superuser; refuse corpus 143). A definer's call of an invoker whose body EXECUTEs is refused
        // at the call, as one the fence cannot follow (`invoker_calls`).
        if w.sink.opts.dynamic_sql
            && (w.body.is_function() || w.body == Body::Do)
            && !w.no_transaction
            && !w.definer
        {
            return;
        }
        let hint = if w.definer {
            "a SECURITY DEFINER function runs the SQL it is given with its owner's rights for every caller: build no SQL at run time in one (the opt-in does not apply); write the statements statically"
        } else if w.body.is_function() && w.no_transaction {
            "make this function in a transactional migration: the opt-in (`-- en-migrate: allow dynamic-sql`) does not apply in a no-transaction file"
        } else if w.body.is_function() || w.body == Body::Do {
            "write the statement statically; or, if this body only builds SQL from its arguments (diesel_manage_updated_at, partition helpers), add `-- en-migrate: allow dynamic-sql` to the file"
        } else {
            "write the statement statically, with schema-qualified names"
        };
        w.refuse(
            Rule::DynamicSql,
            "EXECUTE runs SQL that cannot be proven before it runs".into(),
            Some(hint),
        );
    }

    /// `public.user%rowtype`, `expert_network.t.col%type`, `text`. libpg_query writes a `%TYPE` or
    /// `%ROWTYPE` declaration's names as the scanner read them, case-folded where unquoted, quotes
    /// dropped (`"BigQ"%ROWTYPE` is `BigQ%rowtype`, `BigQ%ROWTYPE` is `bigq%rowtype`), so their case
    /// is the name's own and is kept (stack-auth's `queued_row "BulldozerTimeFoldQueue"%ROWTYPE`).
    fn type_name(&mut self, w: &mut Walker<'_, '_>, typname: &str) {
        let (name, pct) = match typname.split_once('%') {
            Some((n, p)) => (n, Some(p.to_ascii_lowercase())),
            None => (typname, None),
        };
        match pct.as_deref() {
            Some(pct @ ("type" | "rowtype")) => {
                let parts: Vec<String> = name.split('.').map(str::to_string).collect();
                w.declared_type_source(&parts, pct == "rowtype")
            }
            _ => {
                let parts = split_qualified(name);
                if let [.., schema, object] = parts.as_slice() {
                    w.check_schema_pub(schema, object, true)
                }
            }
        }
    }

    /// Parses one embedded query in the mode PL/pgSQL itself uses and walks it.
    fn expr(&mut self, w: &mut Walker<'_, '_>, e: &pl::Expr) {
        let e = e.body();
        let (query, mode) = (e.query.as_str(), e.parse_mode);
        // The text that parsed, for the statements' own text (`walk_embedded`).
        let (parsed, text) = match super::parse::sql(query, mode) {
            Ok(tree) => (Ok(tree), query.to_string()),
            Err(_) => {
                let select = format!("SELECT {query}");
                (super::parse(&select), select)
            }
        };
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
                walk_embedded(w, &tree, &text, here);
            }
        }
    }
}

/// Walks an expression read from a PL/pgSQL body's text (a declaration's default), at `here`:
/// PL/pgSQL evaluates it as `SELECT expr`; text that does not parse so is refused.
pub(super) fn walk_expression_text(w: &mut Walker<'_, '_>, text: &str, here: usize) {
    let sql = format!("SELECT {text}");
    match super::parse(&sql) {
        Ok(tree) => {
            let old = (w.base, w.here);
            walk_embedded(w, &tree, &sql, here);
            (w.base, w.here) = old;
        }
        Err(err) => {
            w.here = here;
            w.refuse(
                Rule::ParseError,
                format!(
                    "cannot parse the default `{}` in the PL/pgSQL body: {err}",
                    text.trim()
                ),
                Some("fix the expression's syntax"),
            );
        }
    }
}

/// Walks the statements of a query embedded in PL/pgSQL (an expression, a constant EXECUTE string),
/// whose node locations are relative to it: every finding is reported at `here`, its line.
fn walk_embedded(w: &mut Walker<'_, '_>, tree: &pb::ParseResult, text: &str, here: usize) {
    w.base = here;
    for raw in &tree.stmts {
        w.embedded_statement(text, raw, |w, node| {
            w.here = here;
            w.pinned = true;
            w.node_of(node, Ctx::default());
            w.pinned = false;
        });
    }
}
