//! The argument types the fence knows exactly in a SECURITY DEFINER string body, for
//! `definer_own_function`: a call of expert_network's own function whose every argument type is
//! known and equals the parameter types of a function the migrations create under that name cannot
//! be out-matched by an overload the application's role adds (one with the same list cannot be
//! created beside it; see `definer.rs`).
//!
//! A type is known only where the server cannot read the argument as anything else (PG 15, each
//! case proven, see `tests/fence/pass/47_*` and `refuse/56_*`):
//! - a parameter of the function, by name or `$n`, with a plain declared type (a domain is its own
//!   type, `varchar(20)` is varchar: both as `model::signature_type` writes them). Polymorphic and
//!   pseudo-types (`anyelement`, `record`, `"any"`) take the caller's type, so they are not known;
//!   nor is an unqualified type name that expert_network also has (it named whichever the path
//!   found when that function was created);
//! - a PL/pgSQL variable DECLAREd once, with a plain type (not `%TYPE`, `ALIAS`, a cursor), whose
//!   name no other variable of the body takes (a nested block's re-declaration, a `FOR i IN 1..n`
//!   loop's integer, an exception block's implicit ones: each is a datum of the same name);
//! - written alone or qualified by the function's name (`f.p`); in an SQL body only in a statement
//!   that brings no relation's columns into scope (no FROM item, no INSERT / UPDATE / DELETE /
//!   MERGE target), as in a PL/pgSQL body with a `#variable_conflict` directive: there a column of
//!   the same name wins over a parameter. Under PL/pgSQL's default a clash is an error ("column
//!   reference is ambiguous"), and the setting cannot be changed by the caller (PG 15: "permission
//!   denied to set parameter", a superuser-only setting) nor by a migration (a function's or the
//!   session's `SET plpgsql.variable_conflict` is refused, see `policy::setting`);
//! - an integer literal that fits int4 (int4) and `true` / `false` (bool). A string literal is of
//!   unknown type, resolved against the candidates, so it is never known.
//!
//! Must never call a type known that the server may resolve otherwise: anything it cannot prove is
//! left unknown, and the call refused as before.

use super::model::{signature_type, Model};
use super::walk::Walker;
use pg_query::protobuf::{self as pb, a_const::Val, node::Node as N};
use std::collections::HashMap;

/// What one SECURITY DEFINER string body's names are known to be.
#[derive(Debug, Default)]
pub(super) struct Known {
    /// Parameter and variable names (as the parser folds them): Some(type) when exactly one
    /// declaration of the name is known, with a plain type; None when the name is ambiguous.
    names: HashMap<String, Option<String>>,
    /// The types of `$1..$n`: only the input parameters before any OUT or TABLE one, where PL/pgSQL
    /// (which numbers every parameter) and SQL (which numbers the input ones) agree.
    positional: Vec<Option<String>>,
    /// Whether each of `positional` has no name: PL/pgSQL names its variable `$n` then.
    unnamed: Vec<bool>,
    /// The parameter names, which a PL/pgSQL declaration of the same name shadows.
    params: Vec<String>,
    /// The function's own name, which qualifies its parameters (`f.p`): PL/pgSQL's outer label.
    function: String,
    /// A column of a relation in scope may take a name's place: in SQL bodies always, in
    /// PL/pgSQL under a `#variable_conflict` directive (without one, the default makes a clash an
    /// error; a function's `SET plpgsql.variable_conflict` is refused, see `policy::setting`).
    column_may_win: bool,
}

/// Pseudo-types and polymorphic types: an argument of one of these has the caller's type, or a
/// type resolved at run time, never the written one.
pub(super) const NOT_PLAIN: [&str; 16] = [
    "any",
    "anyelement",
    "anyarray",
    "anynonarray",
    "anyenum",
    "anyrange",
    "anymultirange",
    "anycompatible",
    "anycompatiblearray",
    "anycompatiblenonarray",
    "anycompatiblerange",
    "anycompatiblemultirange",
    "record",
    "cstring",
    "internal",
    "unknown",
];

/// `t` as `signature_type` writes it, when its written name fixes the type: not `%TYPE`, not a
/// pseudo or polymorphic type, not an unqualified name expert_network also has a type of.
pub(super) fn plain_type(t: &pb::TypeName, model: &Model) -> Option<String> {
    let written = signature_type(t)?;
    let base = written.trim_end_matches("[]");
    let unqualified = t.names.len() == 1;
    if NOT_PLAIN.contains(&base) || (unqualified && model.has_type(base)) {
        return None;
    }
    Some(written)
}

/// The types of `$1..$n` of the function `stmt` creates, as `Known` reads them for an SQL body
/// (None where a type is not known exactly), for `invoker_calls::of_sql_body`.
pub(super) fn positional_types(
    stmt: &pb::CreateFunctionStmt,
    model: &Model,
) -> Vec<Option<String>> {
    Known::of_header(stmt, false, "", model).positional
}

impl Known {
    /// The parameters of the function `stmt` creates, in a body of `language`.
    pub(super) fn of_header(
        stmt: &pb::CreateFunctionStmt,
        plpgsql: bool,
        body: &str,
        model: &Model,
    ) -> Known {
        use pb::FunctionParameterMode as M;
        let mut k = Known {
            function: super::walk::name_parts(&stmt.funcname)
                .and_then(|p| p.last().cloned())
                .unwrap_or_default(),
            column_may_win: !plpgsql || body.to_ascii_lowercase().contains("variable_conflict"),
            ..Known::default()
        };
        let mut numbered = true;
        for p in &stmt.parameters {
            let Some(N::FunctionParameter(p)) = &p.node else {
                return Known::default();
            };
            let output = matches!(M::try_from(p.mode), Ok(M::FuncParamOut | M::FuncParamTable));
            let ty = p.arg_type.as_ref().and_then(|t| plain_type(t, model));
            if output {
                numbered = false;
            } else if numbered {
                k.positional.push(ty.clone());
                k.unnamed.push(p.name.is_empty());
            }
            // An SQL body cannot name an OUT parameter; PL/pgSQL makes it a variable of its type.
            if !p.name.is_empty() && (!output || plpgsql) {
                k.declare(&p.name, ty);
                k.params.push(p.name.clone());
            }
        }
        k
    }

    /// One more declaration of `name`: a second one (of any type) makes it ambiguous.
    pub(super) fn declare(&mut self, name: &str, ty: Option<String>) {
        match self.names.get_mut(name) {
            Some(known) => *known = None,
            None => {
                self.names.insert(name.to_string(), ty);
            }
        }
    }

    /// PL/pgSQL's variables, counted by name from the parser's datums (a `FOR` loop's integer and
    /// an exception block's implicit ones included): a name with more than one is ambiguous. The
    /// parameters are datums too, so a name that is a parameter counts one more than declared.
    pub(super) fn datums<'n>(&mut self, names: impl IntoIterator<Item = &'n str>) {
        let mut count: HashMap<&str, usize> = HashMap::new();
        for n in names {
            *count.entry(n).or_default() += 1;
        }
        for (name, c) in count {
            // `DECLARE "$1" ...` shadows the parameter `$1` (PG 15): beyond the unnamed parameter's
            // own variable, a datum of that name makes `$n` ambiguous.
            let at = name.strip_prefix('$').and_then(|n| n.parse::<usize>().ok());
            if let Some(at) = at.and_then(|n| n.checked_sub(1)) {
                let own = usize::from(self.unnamed.get(at).copied().unwrap_or(false));
                if c > own {
                    if let Some(t) = self.positional.get_mut(at) {
                        *t = None;
                    }
                }
            }
            match self.names.get_mut(name) {
                Some(known) if c > 1 => *known = None,
                Some(_) => {}
                // A variable the DECLARE reading did not see (a loop's, an exception's).
                None => {
                    self.names.insert(name.to_string(), None);
                }
            }
        }
    }
}

impl Walker<'_, '_> {
    /// A DECLAREd variable `name` of the PL/pgSQL body being walked, with its type as written
    /// (None: `%TYPE`, `ALIAS`, a cursor, or text that does not read as a plain type).
    pub(super) fn declared_variable(&mut self, name: &str, written: Option<&str>) {
        let model = self.sink.model;
        let Some(known) = self.known.as_deref_mut() else {
            return;
        };
        let ty = written.and_then(|text| {
            super::plpgsql_walk::sole_expression(&format!("NULL::{text}"), |e| match e {
                N::TypeCast(c) => plain_type(c.type_name.as_ref()?, model),
                _ => None,
            })
        });
        // Shadowing a parameter: which one a name means depends on the block.
        let ty = ty.filter(|_| !known.params.iter().any(|p| p == name));
        known.declare(name, ty);
    }

    /// The type of argument `a` when the fence knows it exactly (see the module doc).
    pub(super) fn known_arg_type(&self, a: &pb::Node) -> Option<String> {
        let names = self.known.as_deref().filter(|_| !self.scope.foreign);
        match a.node.as_ref()? {
            N::TypeCast(c) => super::model::signature_type(c.type_name.as_ref()?),
            N::AConst(c) => match c.val.as_ref()? {
                // The parser reads an integer that fits int4 as int4 (`-42` too: the sign is folded
                // into the constant), a larger one as int8 or numeric, written here as a Float.
                Val::Ival(_) => Some("int4".to_string()),
                Val::Boolval(_) => Some("bool".to_string()),
                _ => None,
            },
            N::ParamRef(p) => {
                let at = usize::try_from(p.number).ok()?.checked_sub(1)?;
                names?.positional.get(at)?.clone()
            }
            N::ColumnRef(c) => {
                let known = names?;
                if self.scope.columns && known.column_may_win {
                    return None;
                }
                fn field(n: &pb::Node) -> Option<&str> {
                    match &n.node {
                        Some(N::String(s)) => Some(s.sval.as_str()),
                        _ => None,
                    }
                }
                let name = match c.fields.as_slice() {
                    [f] => field(f)?,
                    // `f.p`, the function's name qualifying its parameter (or a variable of its
                    // outer block), unless a variable takes that name (a record's field).
                    [q, f]
                        if field(q)? == known.function
                            && !known.names.contains_key(&known.function) =>
                    {
                        field(f)?
                    }
                    _ => return None,
                };
                known.names.get(name)?.clone()
            }
            _ => None,
        }
    }
}

/// What a statement's names may mean besides the body's parameters and variables. Outside an
/// embedded statement whose tree was read (`Walker::embedded_statement`) anything (`UNREAD`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Scope {
    /// Some relation's columns are in scope, where a column may take a parameter's or variable's
    /// name: any FROM item (a table, a function, a subquery, XMLTABLE) or the target of a write,
    /// at any depth.
    pub(super) columns: bool,
    /// The statement holds a PREPARE or a CREATE FUNCTION, whose `$n` and names are its own.
    pub(super) foreign: bool,
}

impl Scope {
    pub(super) const UNREAD: Scope = Scope {
        columns: true,
        foreign: true,
    };
}

/// The scope of statement `n` (see `Scope`).
pub(super) fn scope_of(n: &N) -> Scope {
    fn visit(r: super::nodes::Ref<'_>, s: &mut Scope) {
        use super::nodes::Ref;
        match r {
            Ref::RangeVar(_)
            | Ref::RangeFunction(_)
            | Ref::RangeSubselect(_)
            | Ref::RangeTableFunc(_)
            | Ref::JsonTable(_) => s.columns = true,
            Ref::PrepareStmt(_) | Ref::CreateFunctionStmt(_) => s.foreign = true,
            _ => {}
        }
        r.children(&mut |c| visit(c, s));
    }
    let mut s = Scope {
        columns: false,
        foreign: false,
    };
    visit(super::nodes::Ref::of(n), &mut s);
    s
}
