//! The PL/pgSQL tree as libpg_query writes it (`pg_query_json_plpgsql.c`, its only output for PL/pgSQL),
//! read into typed structs rather than walked as JSON: every statement kind and every field that file
//! writes is named here, and `deny_unknown_fields` with externally tagged enums makes a kind or field
//! this does not know a decoding error, which the fence refuses. Owns the shapes only; judging them is
//! `body.rs`'s.

// Every field libpg_query writes is named, so that an unknown one is refused; the walk reads some.
#![allow(dead_code)]

use serde::Deserialize;

/// One function of the parse result (libpg_query writes a list, one per function parsed).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum Function {
    #[serde(rename = "PLpgSQL_function")]
    Function(FunctionBody),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FunctionBody {
    #[serde(default)]
    pub new_varno: i64,
    #[serde(default)]
    pub old_varno: i64,
    #[serde(default)]
    pub datums: Vec<Datum>,
    pub action: Option<BlockNode>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum BlockNode {
    #[serde(rename = "PLpgSQL_stmt_block")]
    Block(Block),
}

/// A variable, row, record or record field the function declares (parameters included).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum Datum {
    #[serde(rename = "PLpgSQL_var")]
    Var(Var),
    #[serde(rename = "PLpgSQL_row")]
    Row(Row),
    #[serde(rename = "PLpgSQL_rec")]
    Rec(Rec),
    #[serde(rename = "PLpgSQL_recfield")]
    RecField(RecField),
}

/// The target of INTO, FETCH, FOR and CALL: what `dump_variable` writes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum Variable {
    #[serde(rename = "PLpgSQL_var")]
    Var(Var),
    #[serde(rename = "PLpgSQL_row")]
    Row(Row),
    #[serde(rename = "PLpgSQL_rec")]
    Rec(Rec),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Var {
    pub refname: Option<String>,
    #[serde(default)]
    pub lineno: i64,
    pub datatype: Option<TypeNode>,
    #[serde(default)]
    pub isconst: bool,
    #[serde(default)]
    pub notnull: bool,
    pub default_val: Option<Expr>,
    pub cursor_explicit_expr: Option<Expr>,
    #[serde(default)]
    pub cursor_explicit_argrow: i64,
    #[serde(default)]
    pub cursor_options: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum TypeNode {
    #[serde(rename = "PLpgSQL_type")]
    Type(Type),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Type {
    pub typname: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Row {
    pub refname: Option<String>,
    #[serde(default)]
    pub lineno: i64,
    #[serde(default)]
    pub fields: Vec<Option<RowField>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RowField {
    pub name: String,
    #[serde(default)]
    pub varno: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Rec {
    pub refname: Option<String>,
    #[serde(default)]
    pub dno: i64,
    #[serde(default)]
    pub lineno: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RecField {
    pub fieldname: Option<String>,
    #[serde(default)]
    pub recparentno: i64,
}

/// An embedded SQL expression or query, with the raw-parse mode PL/pgSQL parses it in.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum Expr {
    #[serde(rename = "PLpgSQL_expr")]
    Expr(ExprBody),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExprBody {
    #[serde(default)]
    pub query: String,
    #[serde(rename = "parseMode", default)]
    pub parse_mode: i32,
}

impl Expr {
    pub(super) fn body(&self) -> &ExprBody {
        let Expr::Expr(e) = self;
        e
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Block {
    #[serde(default)]
    pub lineno: i64,
    pub label: Option<String>,
    #[serde(default)]
    pub body: Vec<Stmt>,
    pub exceptions: Option<ExceptionBlockNode>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum ExceptionBlockNode {
    #[serde(rename = "PLpgSQL_exception_block")]
    Block(ExceptionBlock),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExceptionBlock {
    #[serde(default)]
    pub exc_list: Vec<ExceptionNode>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum ExceptionNode {
    #[serde(rename = "PLpgSQL_exception")]
    Exception(Exception),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Exception {
    #[serde(default)]
    pub conditions: Vec<ConditionNode>,
    #[serde(default)]
    pub action: Vec<Stmt>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum ConditionNode {
    #[serde(rename = "PLpgSQL_condition")]
    Condition { condname: Option<String> },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum IfElsifNode {
    #[serde(rename = "PLpgSQL_if_elsif")]
    Elsif(Branch),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum CaseWhenNode {
    #[serde(rename = "PLpgSQL_case_when")]
    When(Branch),
}

/// An ELSIF or a WHEN of CASE: a condition and its statements.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Branch {
    #[serde(default)]
    pub lineno: i64,
    #[serde(alias = "expr")]
    pub cond: Option<Expr>,
    #[serde(default)]
    pub stmts: Vec<Stmt>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum RaiseOptionNode {
    #[serde(rename = "PLpgSQL_raise_option")]
    Option {
        #[serde(default)]
        opt_type: i64,
        expr: Option<Expr>,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum DiagItemNode {
    #[serde(rename = "PLpgSQL_diag_item")]
    Item {
        kind: Option<String>,
        #[serde(default)]
        target: i64,
    },
}

/// A PL/pgSQL statement: one variant per kind `dump_stmt` writes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum Stmt {
    #[serde(rename = "PLpgSQL_stmt_block")]
    Block(Block),
    #[serde(rename = "PLpgSQL_stmt_assign")]
    Assign {
        #[serde(default)]
        lineno: i64,
        #[serde(default)]
        varno: i64,
        expr: Option<Expr>,
    },
    #[serde(rename = "PLpgSQL_stmt_if")]
    If {
        #[serde(default)]
        lineno: i64,
        cond: Option<Expr>,
        #[serde(default)]
        then_body: Vec<Stmt>,
        #[serde(default)]
        elsif_list: Vec<IfElsifNode>,
        #[serde(default)]
        else_body: Vec<Stmt>,
    },
    #[serde(rename = "PLpgSQL_stmt_case")]
    Case {
        #[serde(default)]
        lineno: i64,
        t_expr: Option<Expr>,
        #[serde(default)]
        t_varno: i64,
        #[serde(default)]
        case_when_list: Vec<CaseWhenNode>,
        #[serde(default)]
        have_else: bool,
        #[serde(default)]
        else_stmts: Vec<Stmt>,
    },
    #[serde(rename = "PLpgSQL_stmt_loop")]
    Loop {
        #[serde(default)]
        lineno: i64,
        label: Option<String>,
        #[serde(default)]
        body: Vec<Stmt>,
    },
    #[serde(rename = "PLpgSQL_stmt_while")]
    While {
        #[serde(default)]
        lineno: i64,
        label: Option<String>,
        cond: Option<Expr>,
        #[serde(default)]
        body: Vec<Stmt>,
    },
    #[serde(rename = "PLpgSQL_stmt_fori")]
    ForI {
        #[serde(default)]
        lineno: i64,
        label: Option<String>,
        var: Option<Variable>,
        lower: Option<Expr>,
        upper: Option<Expr>,
        step: Option<Expr>,
        #[serde(default)]
        reverse: bool,
        #[serde(default)]
        body: Vec<Stmt>,
    },
    #[serde(rename = "PLpgSQL_stmt_fors")]
    ForS {
        #[serde(default)]
        lineno: i64,
        label: Option<String>,
        var: Option<Variable>,
        #[serde(default)]
        body: Vec<Stmt>,
        query: Option<Expr>,
    },
    #[serde(rename = "PLpgSQL_stmt_forc")]
    ForC {
        #[serde(default)]
        lineno: i64,
        label: Option<String>,
        var: Option<Variable>,
        #[serde(default)]
        body: Vec<Stmt>,
        #[serde(default)]
        curvar: i64,
        argquery: Option<Expr>,
    },
    #[serde(rename = "PLpgSQL_stmt_foreach_a")]
    ForEachA {
        #[serde(default)]
        lineno: i64,
        label: Option<String>,
        #[serde(default)]
        varno: i64,
        #[serde(default)]
        slice: i64,
        expr: Option<Expr>,
        #[serde(default)]
        body: Vec<Stmt>,
    },
    #[serde(rename = "PLpgSQL_stmt_exit")]
    Exit {
        #[serde(default)]
        lineno: i64,
        #[serde(default)]
        is_exit: bool,
        label: Option<String>,
        cond: Option<Expr>,
    },
    #[serde(rename = "PLpgSQL_stmt_return")]
    Return {
        #[serde(default)]
        lineno: i64,
        expr: Option<Expr>,
    },
    #[serde(rename = "PLpgSQL_stmt_return_next")]
    ReturnNext {
        #[serde(default)]
        lineno: i64,
        expr: Option<Expr>,
    },
    #[serde(rename = "PLpgSQL_stmt_return_query")]
    ReturnQuery {
        #[serde(default)]
        lineno: i64,
        query: Option<Expr>,
        dynquery: Option<Expr>,
        #[serde(default)]
        params: Vec<Expr>,
    },
    #[serde(rename = "PLpgSQL_stmt_raise")]
    Raise {
        #[serde(default)]
        lineno: i64,
        #[serde(default)]
        elog_level: i64,
        condname: Option<String>,
        message: Option<String>,
        #[serde(default)]
        params: Vec<Expr>,
        #[serde(default)]
        options: Vec<RaiseOptionNode>,
    },
    #[serde(rename = "PLpgSQL_stmt_assert")]
    Assert {
        #[serde(default)]
        lineno: i64,
        cond: Option<Expr>,
        message: Option<Expr>,
    },
    #[serde(rename = "PLpgSQL_stmt_execsql")]
    ExecSql {
        #[serde(default)]
        lineno: i64,
        sqlstmt: Option<Expr>,
        #[serde(default)]
        into: bool,
        #[serde(default)]
        strict: bool,
        target: Option<Variable>,
    },
    #[serde(rename = "PLpgSQL_stmt_dynexecute")]
    DynExecute {
        #[serde(default)]
        lineno: i64,
        query: Option<Expr>,
        #[serde(default)]
        into: bool,
        #[serde(default)]
        strict: bool,
        target: Option<Variable>,
        #[serde(default)]
        params: Vec<Expr>,
    },
    #[serde(rename = "PLpgSQL_stmt_dynfors")]
    DynForS {
        #[serde(default)]
        lineno: i64,
        label: Option<String>,
        var: Option<Variable>,
        #[serde(default)]
        body: Vec<Stmt>,
        query: Option<Expr>,
        #[serde(default)]
        params: Vec<Expr>,
    },
    #[serde(rename = "PLpgSQL_stmt_getdiag")]
    GetDiag {
        #[serde(default)]
        lineno: i64,
        #[serde(default)]
        is_stacked: bool,
        #[serde(default)]
        diag_items: Vec<DiagItemNode>,
    },
    #[serde(rename = "PLpgSQL_stmt_open")]
    Open {
        #[serde(default)]
        lineno: i64,
        #[serde(default)]
        curvar: i64,
        #[serde(default)]
        cursor_options: i64,
        argquery: Option<Expr>,
        query: Option<Expr>,
        dynquery: Option<Expr>,
        #[serde(default)]
        params: Vec<Expr>,
    },
    #[serde(rename = "PLpgSQL_stmt_fetch")]
    Fetch {
        #[serde(default)]
        lineno: i64,
        target: Option<Variable>,
        #[serde(default)]
        curvar: i64,
        #[serde(default)]
        direction: i64,
        #[serde(default)]
        how_many: i64,
        expr: Option<Expr>,
        #[serde(default)]
        is_move: bool,
        #[serde(default)]
        returns_multiple_rows: bool,
    },
    #[serde(rename = "PLpgSQL_stmt_close")]
    Close {
        #[serde(default)]
        lineno: i64,
        #[serde(default)]
        curvar: i64,
    },
    #[serde(rename = "PLpgSQL_stmt_perform")]
    Perform {
        #[serde(default)]
        lineno: i64,
        expr: Option<Expr>,
    },
    #[serde(rename = "PLpgSQL_stmt_call")]
    Call {
        #[serde(default)]
        lineno: i64,
        expr: Option<Expr>,
        #[serde(default)]
        is_call: bool,
        target: Option<Variable>,
    },
    #[serde(rename = "PLpgSQL_stmt_commit")]
    Commit {
        #[serde(default)]
        lineno: i64,
        #[serde(default)]
        chain: bool,
    },
    #[serde(rename = "PLpgSQL_stmt_rollback")]
    Rollback {
        #[serde(default)]
        lineno: i64,
        #[serde(default)]
        chain: bool,
    },
}
