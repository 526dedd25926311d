//! What the migrations themselves create, as the fence needs it to resolve names the way the server
//! will: the relations, functions, types and extensions of `expert_network`, the temporary tables, and
//! the transition-table names that triggers declare (`REFERENCING NEW TABLE AS x`).
//!
//! Read from every file (applied ones too, the SQL a DO block runs included) with PostgreSQL's parser, in file order (a rename copies
//! what the old name holds at that point; read in two halves, the later half's changes are replayed
//! onto the earlier's): the fence uses it only to say that a name exists in `expert_network`, and where
//! the same name also exists in `pg_catalog` it refuses a write rather than guess which one the server
//! finds first. Pure: never a database; a
//! statement it cannot parse adds nothing (the fence refuses that statement anyway).

use super::definer::RiWrites;
use super::SCHEMA;
use crate::files::migration::Migration;
use pg_query::protobuf::{
    AlterTableType, ColumnDef, ConstrType, Constraint, Node, ObjectType, ParseResult, RangeVar,
    SelectStmt,
};
use pg_query::NodeEnum;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// A relation the migrations create in `expert_network`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rel {
    Table,
    Sequence,
    /// A view: a write through it lands in its single base relation (`schema`, `name`; schema empty
    /// when unqualified), if it has exactly one. `None`: not auto-updatable, or a base the fence cannot
    /// name (a write through it fails, or needs an INSTEAD trigger / rule, which are fenced themselves).
    /// Then every relation its FROM reads, through joins and subqueries: a `FOR UPDATE` / `FOR SHARE`
    /// of the view locks rows in each of them (PG 15: a join view over pg_class locked public's rows).
    /// Then every relation its query names anywhere (WHERE's subqueries, CTEs): `LOCK` of a view
    /// takes its lock on each of them (PG 15: ACCESS EXCLUSIVE on pg_class through a WHERE subquery).
    View(
        Option<(String, String)>,
        Vec<(String, String)>,
        Vec<(String, String)>,
    ),
    /// Anything else a write cannot land in through this name (index, materialized view, ...).
    Other,
}

/// How a function of the migrations' may be called: its input parameters' types (IN, INOUT and
/// VARIADIC ones), each as `signature_type` writes it, how many have no default, and whether the
/// last is VARIADIC.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Sig {
    types: Vec<String>,
    required: usize,
    variadic: bool,
    /// A parameter's type is written unqualified with a name pg_catalog has, where the path it was
    /// made under searches expert_network first (`Model::catalog_types_first`): it may be
    /// expert_network's type of that name, which a call's cast to pg_catalog's does not match.
    unsure: bool,
}

impl Sig {
    /// Whether a call with arguments of exactly `args` (the last written `VARIADIC`: `variadic`)
    /// finds this function by an exact match no other function of the schema can beat (PG 15): a
    /// list given whole, or leaving out defaulted parameters (another function with the same
    /// types, defaulted or not, makes the call ambiguous, an error; a VARIADIC one loses to a
    /// plain one). A VARIADIC function is matched only by a call that writes VARIADIC: one that
    /// lists the elements matches it through its expanded form, which a plain overload beats.
    fn matches(&self, args: &[String], variadic: bool) -> bool {
        if self.variadic {
            variadic && args == self.types.as_slice()
        } else {
            !variadic && args.len() >= self.required && self.types.get(..args.len()) == Some(args)
        }
    }

    /// Whether a call with `n` arguments can reach this function: all of its parameters without a
    /// default and at most all of them, or for a VARIADIC one, any number of elements after them.
    fn takes(&self, n: usize) -> bool {
        n >= self.required && (self.variadic || n <= self.types.len())
    }
}

/// What the migrations do to a routine name of expert_network's, in their order (see
/// `Model::function_gone` and `Model::has_signature`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum RoutineEvent {
    /// Created, or renamed to: its call signature when it is a function whose parameters the fence
    /// reads (`signature`), None otherwise (an aggregate, a renamed function, a `%TYPE`).
    Made(Option<Sig>),
    /// Dropped, renamed away or moved to another schema. `Some(types)`: `DROP FUNCTION f(types)`,
    /// which drops only the function of exactly those input types (None for a type the fence cannot
    /// read); None: every other way, counted as every function of the name.
    Gone(Option<Vec<Option<String>>>),
    /// `DROP FUNCTION f` without a list: the server drops the one function of the name (more than
    /// one is an error, and the migration stops).
    GoneOnly,
}

impl RoutineEvent {
    /// Whether this event surely ends the function made with the signature `made`: a `CREATE OR
    /// REPLACE` of the same input types gives it another body, a drop of exactly them or of the only
    /// one drops it. A rename or a move keeps the body (under another name), and a drop the fence
    /// cannot match exactly may have dropped another: neither ends it.
    fn ends(&self, made: &Sig) -> bool {
        match self {
            RoutineEvent::Made(Some(sig)) => sig.types == made.types,
            RoutineEvent::Gone(Some(types)) => {
                types.len() == made.types.len()
                    && types
                        .iter()
                        .zip(&made.types)
                        .all(|(t, m)| t.as_ref() == Some(m))
            }
            RoutineEvent::GoneOnly => true,
            RoutineEvent::Made(None) | RoutineEvent::Gone(None) => false,
        }
    }
}

/// Whether `DROP FUNCTION f(dropped)` may drop the function of the input types `made`. The server
/// drops only the function of exactly the input types written (`LookupFuncWithArgs`: no defaults
/// filled in, no variadic expanded), so a list of another length drops another function, or none
/// (with IF EXISTS, a notice). Types are compared by their last name only (a type named through the
/// path may be the one qualified), and one spelled `_name` may be `name[]`: where the fence cannot
/// tell, it counts the function dropped, which only refuses more.
fn may_drop(dropped: &[Option<String>], made: &[String]) -> bool {
    fn last(t: &str) -> &str {
        let base = t.strip_suffix("[]").unwrap_or(t);
        let at = base.rfind('.').map_or(0, |i| i + 1);
        &t[at..]
    }
    dropped.len() == made.len()
        && dropped.iter().zip(made).all(|(d, m)| {
            d.as_deref().is_none_or(|d| {
                let (d, m) = (last(d), last(m));
                d == m || d.starts_with('_') || m.starts_with('_')
            })
        })
}

/// The signatures left of a routine name after `events` (its own, in order): None for one whose
/// signature the fence does not know, which every drop of the name may drop.
fn routines_left<'a>(
    events: impl Iterator<Item = &'a RoutineEvent>,
) -> (Vec<&'a Option<Sig>>, bool) {
    let mut left: Vec<&Option<Sig>> = Vec::new();
    let mut dropped = false;
    for event in events {
        match event {
            RoutineEvent::Made(sig) => left.push(sig),
            RoutineEvent::Gone(None) | RoutineEvent::GoneOnly => {
                left.clear();
                dropped = true;
            }
            RoutineEvent::Gone(Some(types)) => {
                left.retain(|s| s.as_ref().is_some_and(|s| !may_drop(types, &s.types)));
                dropped = true;
            }
        }
    }
    (left, dropped)
}

/// The call signature of the parameters `params`; None when one cannot be read (a `%TYPE`).
/// `catalog_first`: the path it is made under looks unqualified types up in pg_catalog before
/// expert_network (else a type of pg_catalog's name written unqualified leaves it `unsure`).
fn signature(params: &[Node], catalog_first: bool) -> Option<Sig> {
    use pg_query::protobuf::FunctionParameterMode as M;
    let mut sig = Sig {
        types: Vec::new(),
        required: 0,
        variadic: false,
        unsure: false,
    };
    for p in params {
        let Some(NodeEnum::FunctionParameter(p)) = &p.node else {
            return None;
        };
        match M::try_from(p.mode) {
            Ok(M::FuncParamOut | M::FuncParamTable) => continue,
            Ok(M::FuncParamVariadic) => sig.variadic = true,
            _ => {}
        }
        let written = p.arg_type.as_ref()?;
        let ty = signature_type(written)?;
        if !catalog_first
            && super::walk::name_parts(&written.names)?.len() == 1
            && super::known::is_catalog_type(ty.trim_end_matches("[]"))
        {
            sig.unsure = true;
        }
        sig.types.push(ty);
        // The server refuses a parameter without a default after one with a default.
        if p.defexpr.is_none() {
            sig.required = sig.types.len();
        }
    }
    Some(sig)
}

/// A written type as a call's cast and a parameter are compared: its name without a leading
/// pg_catalog (`int` and `integer` are both pg_catalog.int4 to the parser), with `[]` for an array,
/// without its typmod (which resolution ignores). None for `%TYPE`, whose type only the server knows.
pub(super) fn signature_type(t: &pg_query::protobuf::TypeName) -> Option<String> {
    if t.pct_type || t.setof {
        return None;
    }
    let parts = super::walk::name_parts(&t.names)?;
    let parts = match parts.as_slice() {
        [s, rest @ ..] if s == "pg_catalog" => rest.to_vec(),
        _ => parts,
    };
    let array = if t.array_bounds.is_empty() { "" } else { "[]" };
    Some(format!("{}{array}", parts.join(".")))
}

/// The type names that make a column `serial` (`transformColumnDefinition`: one unqualified name).
const SERIALS: [&str; 6] = [
    "smallserial",
    "serial2",
    "serial",
    "serial4",
    "bigserial",
    "serial8",
];

/// `makeObjectName(name1, name2, label)` of PostgreSQL's `indexcmds.c`: `name1_name2_label`, the
/// longer of the two names clipped a byte at a time until it fits in NAMEDATALEN - 1 (63) bytes.
/// None when a name is not ASCII and would be clipped (the server clips at character boundaries).
fn object_name(name1: &str, name2: &str, label: &str) -> Option<String> {
    let avail = 63 - (label.len() + 2);
    let (mut n1, mut n2) = (name1.len(), name2.len());
    if n1 + n2 > avail && !(name1.is_ascii() && name2.is_ascii()) {
        return None;
    }
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    Some(format!("{}_{}_{label}", &name1[..n1], &name2[..n2]))
}

/// The name the server gives the index of an unnamed PRIMARY KEY or UNIQUE constraint (PG 15
/// `ChooseIndexName`): `makeObjectName(table, NULL, "pkey")` for a key, `makeObjectName(table,
/// "col1_col2", "key")` for a unique constraint (`ChooseIndexNameAddition` joins the column names
/// with `_`). When a relation of that name is in the schema already the server adds a number, but the
/// name is then a relation of the table's schema either way, which is all the model says (as for a
/// serial's sequence). None where the server's choice is not certain from the statement alone: an
/// EXCLUDE constraint or one with INCLUDE columns (their names join the addition), a column list
/// long enough to be clipped, a name that is not ASCII and would be clipped.
fn implicit_index_name(table: &str, k: &Constraint, column: Option<&str>) -> Option<String> {
    // `PRIMARY KEY USING INDEX i` keeps the index's own name.
    if !k.including.is_empty() || !k.indexname.is_empty() {
        return None;
    }
    if k.contype == ConstrType::ConstrPrimary as i32 {
        let avail = 63 - ("pkey".len() + 1);
        if table.len() > avail && !table.is_ascii() {
            return None;
        }
        return Some(format!("{}_pkey", &table[..table.len().min(avail)]));
    }
    if k.contype != ConstrType::ConstrUnique as i32 {
        return None;
    }
    let columns: Vec<String> = if k.keys.is_empty() {
        vec![column?.to_string()]
    } else {
        k.keys
            .iter()
            .map(|n| match &n.node {
                Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                _ => None,
            })
            .collect::<Option<_>>()?
    };
    let addition = columns.join("_");
    // ChooseIndexNameAddition stops at NAMEDATALEN (64) bytes, and makeObjectName clips what is
    // longer than fits: past 63 bytes the clip is no longer the one `object_name` makes.
    if addition.is_empty() || addition.len() > 63 {
        return None;
    }
    object_name(table, &addition, "key")
}

/// The name the server gives an index that `CREATE INDEX ON t (a, b)` leaves unnamed (PG 15
/// `ChooseIndexName`): `makeObjectName(t, "a_b", "idx")`, the key and INCLUDE columns joined by
/// `_`, whether the index is UNIQUE or not. As for a key's index, a number is added where the name
/// is taken, and the name is then a relation of the table's schema either way. None for an
/// expression whose name `index_expression_name` does not know, a column named twice (the server
/// numbers the second), a list that would be clipped, a name that is not ASCII. An expression
/// names its column as `FigureIndexColname` does (`CREATE UNIQUE INDEX ON reserved_crate_names
/// (canon_crate_name(name))` makes `reserved_crate_names_canon_crate_name_idx`, which
/// rust-lang/crates.io drops by that name; `(a + b)` makes `t_expr_idx`).
fn implicit_plain_index_name(table: &str, i: &pg_query::protobuf::IndexStmt) -> Option<String> {
    if i.primary || i.isconstraint || !i.exclude_op_names.is_empty() {
        return None;
    }
    let mut columns: Vec<&str> = Vec::new();
    for p in i.index_params.iter().chain(&i.index_including_params) {
        let name = match &p.node {
            Some(NodeEnum::IndexElem(e)) if !e.name.is_empty() && e.indexcolname.is_empty() => {
                e.name.as_str()
            }
            Some(NodeEnum::IndexElem(e)) if e.name.is_empty() && e.indexcolname.is_empty() => {
                let expr = e.expr.as_deref().and_then(|x| x.node.as_ref())?;
                index_expression_name(expr)?.0.unwrap_or("expr")
            }
            _ => return None,
        };
        if columns.contains(&name) {
            return None;
        }
        columns.push(name);
    }
    let addition = columns.join("_");
    if addition.is_empty() || addition.len() > 63 {
        return None;
    }
    object_name(table, &addition, "idx")
}

/// The name PostgreSQL gives an index column made of the expression `n` (`FigureColnameInternal`
/// of PG 13 to 18, with its strength: 2 a function's or column's name, 1 a cast's type, 0 none,
/// where the index calls it `expr`), for the shapes that name it the same way on every version:
/// a call written as a call (an SQL-syntax form such as `EXTRACT` was `date_part` before PG 14), a
/// column, a cast, a COLLATE, an operator. None for any other shape, which the model leaves
/// unnamed.
fn index_expression_name(n: &NodeEnum) -> Option<(Option<&str>, u8)> {
    use pg_query::protobuf::{AExprKind, CoercionForm};
    fn last(names: &[Node]) -> Option<&str> {
        match names.last().and_then(|n| n.node.as_ref()) {
            Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
            _ => None,
        }
    }
    match n {
        NodeEnum::FuncCall(f) if f.funcformat == CoercionForm::CoerceExplicitCall as i32 => {
            Some((Some(last(&f.funcname)?), 2))
        }
        NodeEnum::ColumnRef(c) => {
            let field = c.fields.iter().rev().find_map(|f| match &f.node {
                Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
                _ => None,
            });
            Some((field, if field.is_some() { 2 } else { 0 }))
        }
        NodeEnum::TypeCast(t) => {
            let (name, strength) = index_expression_name(t.arg.as_deref()?.node.as_ref()?)?;
            if strength > 1 {
                return Some((name, strength));
            }
            Some((Some(last(&t.type_name.as_ref()?.names)?), 1))
        }
        NodeEnum::CollateClause(c) => index_expression_name(c.arg.as_deref()?.node.as_ref()?),
        NodeEnum::AExpr(a) if a.kind == AExprKind::AexprNullif as i32 => Some((Some("nullif"), 2)),
        NodeEnum::AExpr(a) if a.kind == AExprKind::AexprOp as i32 => Some((None, 0)),
        _ => None,
    }
}

/// The object kinds of `DROP` that drop a function of pg_proc.
const ROUTINES: [ObjectType; 4] = [
    ObjectType::ObjectFunction,
    ObjectType::ObjectProcedure,
    ObjectType::ObjectRoutine,
    ObjectType::ObjectAggregate,
];

/// The objects the migrations create. See the module doc.
#[derive(Debug, Default)]
pub struct Model {
    relations: HashMap<String, Vec<Rel>>,
    /// Every change made to `relations`, in order, for `merge` to replay: a rename copies what the
    /// old name holds at that point, so a model read from later files is right only once replayed
    /// after what the earlier files made.
    ops: Vec<RelOp>,
    functions: HashSet<String>,
    /// The functions created with their own `SET search_path`, whose string bodies the fence judged
    /// under that path: removing it later (ALTER FUNCTION ... RESET) would change what they reach.
    pathed: HashSet<String>,
    /// The functions created SECURITY DEFINER: a later ALTER FUNCTION ... SET search_path changes
    /// where their body, checked under the old path, finds names, with their owner's rights.
    definers: HashSet<String>,
    /// The routines a function's body or a DO block nested in one creates SECURITY DEFINER (see
    /// `body_sql`): not counted as made, nor as ending a chain of invokers (the name may still be a
    /// top-level invoker's when it runs), but a later ALTER FUNCTION of that name changes a path a
    /// definer's body was judged under, when the body ran first (PG 15: a called body made one
    /// with `SET search_path = pg_catalog, pg_temp`, a top-level ALTER put pg_temp first, and its
    /// `n::text` found the application's temporary domain, whose CHECK ran as the superuser;
    /// corpus 131).
    body_definers: HashSet<String>,
    /// What function bodies do to relations, by the name it reaches (see `settle`).
    body_relations: Vec<(String, BodyRel)>,
    /// The routines function bodies rename, from and to (see `settle`): the new name runs the
    /// renamed routine's body when a later call names it. Never counted as made (`function_renames`
    /// would make the new name a function of the migrations, and a definer).
    body_function_renames: Vec<(String, String)>,
    /// The indexes of expert_network's a function body renames, `(from, to)`: a REINDEX INDEX of the
    /// new name, whenever the body ran, may rebuild the old one (`names_before`).
    body_index_renames: Vec<(String, String)>,
    /// The definers whose own path, as written, searches expert_network for functions: their bodies
    /// were refused any unqualified function or operator (see `definer.rs`), so a later path that
    /// searches expert_network too exposes nothing. Any other definer's body may hold such names,
    /// judged under a path where only pg_catalog has them.
    definers_searching_ours: HashSet<String>,
    /// The functions created SECURITY INVOKER with a string body whose own path searches
    /// expert_network for functions, and those with no path of their own (they take their caller's).
    /// Called from a definer's body they run with its owner's rights, and find what they leave
    /// unqualified where the application's role may create (see `definer.rs`).
    invokers_searching_ours: HashSet<String>,
    invokers_unpathed: HashSet<String>,
    /// What each SECURITY INVOKER string body calls of expert_network's (see `invoker_calls.rs`), by
    /// the function's name (every overload's calls together): called from a definer, each of those
    /// runs with its owner's rights too, at any depth (`invoker_reaches_overloadable`).
    invoker_calls: HashMap<String, super::invoker_calls::Calls>,
    /// The migrations' functions whose string body holds a word of a statement that acts rather
    /// than reads (INSERT, UPDATE, DELETE, MERGE, TRUNCATE, EXECUTE, CALL, COPY, DDL, GRANT), and
    /// those with no string body (its statements unread here); and what each body may call, every
    /// name written before `(` (an operator it names is an implicit function's: every bare build is
    /// refused while one acts, `maintenance_calls`). See `acting`.
    acting_bodies: HashSet<String>,
    body_callees: HashMap<String, HashSet<String>>,
    /// The functions of the triggers made on each of expert_network's tables and views, by the
    /// relation's name: a definer's write there runs them with its owner's rights.
    trigger_functions: HashMap<String, HashSet<String>>,
    /// Of those, the BEFORE triggers' (row or statement): they run inline in the write that fires
    /// them, with its rights, where an AFTER trigger of a foreign key's action waits for the end of
    /// the statement that set the action off, and runs with that statement's rights.
    before_trigger_functions: HashMap<String, HashSet<String>>,
    /// Of those, the triggers that fire on UPDATE, and those that fire on DELETE: a foreign key's
    /// action writes the referencing rows only by UPDATE (ON UPDATE CASCADE, SET NULL, SET DEFAULT)
    /// or DELETE (ON DELETE CASCADE), so a BEFORE INSERT (or TRUNCATE) trigger never runs in it
    /// (PG 15: raguser's UPDATE and DELETE of a parent row fired the child's BEFORE UPDATE trigger
    /// as the superuser, never its BEFORE INSERT one) unless the write turns into an INSERT
    /// (`row_moving`), and each runs only where the key's actions make its kind of write
    /// (`RiWrites`).
    ri_before_update_functions: HashMap<String, HashSet<String>>,
    ri_before_delete_functions: HashMap<String, HashSet<String>>,
    /// The BEFORE `UPDATE OF col, ...` triggers, with their columns, kept apart from
    /// `ri_before_update_functions`: the server fires one only when the UPDATE's target list (or a
    /// generated column computed from it) holds one of its columns, and a foreign key's action
    /// sets only the key's own columns (PG 15: an ON DELETE SET NULL of `worker_id` fired the
    /// child's `BEFORE UPDATE OF worker_id` trigger and never its `BEFORE UPDATE OF status` one;
    /// corpus 94). See `ri_updated_columns`.
    ri_column_update_functions: HashMap<String, Vec<(String, Vec<String>)>>,
    /// The columns an UPDATE made by a foreign key's action may modify on each relation: the
    /// columns of its keys whose action writes by UPDATE (ON UPDATE CASCADE, SET NULL, SET DEFAULT,
    /// ON DELETE SET NULL, SET DEFAULT; by name, as the statements wrote them), and every generated
    /// column it has (recomputed when a column it reads is set: counted whatever it reads).
    ri_updated_columns: HashMap<String, HashSet<String>>,
    /// The relations whose columns the fence cannot follow by name (a column renamed, columns or
    /// generated columns taken from another relation by LIKE, INHERITS, PARTITION OF, ATTACH
    /// PARTITION or INHERIT): their `UPDATE OF` triggers count as firing on every action's UPDATE.
    columns_unknown: HashSet<String>,
    /// The relations where an UPDATE or DELETE may become another kind of write: a partitioned
    /// table or a partition (an UPDATE of the partition key moves the row, firing the destination's
    /// BEFORE INSERT triggers: PG 15, a cascaded key update did so as the superuser) and one with a
    /// rule on INSERT, UPDATE or DELETE (its actions may insert, here or elsewhere).
    row_moving: HashSet<String>,
    /// The functions the expressions stored on each of expert_network's relations and domains call,
    /// and the types each relation's statements name, by name (see `stored_expressions`).
    stored_calls: HashMap<String, HashSet<String>>,
    stored_types: HashMap<String, HashSet<String>>,
    /// The tables of expert_network's indexes, by the index's name as made (`CREATE INDEX`, a
    /// key's or an exclusion constraint's index): a REINDEX of one evaluates what is stored on its
    /// table (`maintenance_calls`).
    index_tables: HashMap<String, HashSet<String>>,
    /// Of `stored_calls`, those made outside a column's DEFAULT: an UPDATE or DELETE (a foreign
    /// key's action's) runs no DEFAULT but for SET DEFAULT's (PG 15: raguser's cascaded UPDATE and
    /// SET NULL ran no DEFAULT of the child's, `set_default` says where one may).
    non_default_calls: HashMap<String, HashSet<String>>,
    /// The relations with a foreign key whose ON DELETE or ON UPDATE action is SET DEFAULT: the
    /// action writes the key's columns' DEFAULTs, as the table's owner.
    set_default: HashSet<String>,
    /// The relations a write to each of expert_network's relations may reach, by name: those whose
    /// foreign keys reference it (a cascade), its partitions (rows are routed there) and its
    /// inheritance children (an UPDATE or DELETE without ONLY reaches their rows); their triggers
    /// fire too.
    fk_children: HashMap<String, HashSet<String>>,
    /// The foreign keys that reference each of expert_network's relations, by the referenced
    /// relation's name: the referencing relation, and the writes its key's actions make there
    /// when a row of the referenced one is deleted and when one is updated (`RiWrites`: ON DELETE
    /// CASCADE deletes, ON DELETE SET NULL or SET DEFAULT and every ON UPDATE action but NO ACTION
    /// and RESTRICT update; NO ACTION and RESTRICT only read the referencing rows). A foreign
    /// key's action reaches a grandchild only through such a write (`ri_reached`).
    fk_actions: HashMap<String, Vec<(String, RiWrites, RiWrites)>>,
    /// Of `fk_children`, the edges that are not foreign keys: a partition or inheritance child
    /// (an UPDATE or DELETE of the parent reaches its rows as the same kind of write) and the
    /// relations a rule's actions write.
    structural_children: HashMap<String, HashSet<String>>,
    /// The partitions of each of expert_network's partitioned tables, by name (`PARTITION OF p`,
    /// `ALTER TABLE p ATTACH PARTITION c`): CREATE INDEX on p, which only p's owner may run, makes and
    /// builds an index on each of them as that partition's owner (`partitions_kept`).
    partitions: HashMap<String, HashSet<String>>,
    /// expert_network's routines the migrations give to another role (`ALTER FUNCTION ... OWNER
    /// TO`): that role may then replace the body (CREATE OR REPLACE), and a SECURITY DEFINER body
    /// that calls the function runs the new one with its owner's rights. By name, in any order:
    /// only refuses more.
    given_away: HashSet<String>,
    /// expert_network's types and domains the migrations give to another role (`ALTER DOMAIN / TYPE
    /// ... OWNER TO`): a domain's owner may add a CHECK (`ALTER DOMAIN ... ADD CONSTRAINT`) calling a
    /// function of its own, which runs wherever a value becomes the domain, with the rights of whoever
    /// casts or writes it (a SECURITY DEFINER body: its owner's). By name: only refuses more.
    types_given_away: HashSet<String>,
    /// expert_network's domains the migrations make (`CREATE DOMAIN`): a cast of a domain's value is
    /// its base type's (the server ignores a cast made from or to a domain), so a domain given away
    /// lends no cast of its own to a value read from a column (`reads_given_away_type`).
    domains: HashSet<String>,
    /// Whether the migrations give schema expert_network itself to another role (`ALTER SCHEMA ...
    /// OWNER TO`, `CREATE SCHEMA ... AUTHORIZATION`): a schema's owner may drop and make again every
    /// object in it, whoever owns that object.
    schema_given_away: bool,
    /// Whether a migration makes a function or procedure whose body may drop schema expert_network
    /// (`policy::may_drop_schema`): any later statement, in any later file, may call it, and the
    /// server's path then skips the schema (`policy::paths_after`).
    schema_dropper: bool,
    /// The functions of expert_network's that the server calls for a type without a call that
    /// names them: an operator's function (an operator class's operators run for ORDER BY, DISTINCT,
    /// joins and index upkeep), an operator class's or family's support functions and a cast's function. See
    /// `implicit_functions`.
    implicit: HashSet<String>,
    /// The functions of the operators the migrations create in expert_network, by the operator's
    /// name (every operator of that name, whatever its operands: only refuses more).
    operator_functions: HashMap<String, HashSet<String>>,
    /// Who may add triggers to expert_network's tables, as the migrations' grants, default
    /// privileges and owner changes say, in order (see `trigger_holders.rs`).
    trigger_privileges: Vec<super::trigger_holders::Event>,
    /// Whether any of `trigger_privileges` or `body_privileges` gives a table of expert_network's to
    /// a role but the runner (`OWNER TO`): without one, no relation has another owner, and
    /// `read_owners` answers without walking what each read reaches (it was a sixth of `check` on
    /// 1000 small files, once per index, over every file's events).
    tables_given_away: bool,
    /// The grants and owner changes that function bodies make (`body_creations`), which count after
    /// every statement's: a body may run whenever it is called, after a later REVOKE too.
    body_privileges: Vec<super::trigger_holders::Event>,
    /// Functions renamed (`ALTER FUNCTION ... RENAME TO`), old name to new: the new name is still a
    /// definer's, or one with its own path (`carries`), whatever order the halves were read in.
    function_renames: Vec<(String, String)>,
    /// Every function, aggregate or procedure of expert_network's created (with its signature when
    /// the fence reads it), dropped, renamed away or moved, in the migrations' order: a name whose
    /// functions are all dropped names nothing the migrations leave, and the application's role may
    /// create one of that name later (see `function_gone`); a call matching a signature left cannot
    /// be out-matched by another schema member's overload (`has_signature`).
    function_events: Vec<(String, RoutineEvent)>,
    /// For each top-level `CREATE FUNCTION ... SECURITY DEFINER` statement, by its text: the name and
    /// the index in `function_events` of each time it made its function (see `definer_ends`).
    definers_made: HashMap<String, Vec<(String, usize)>>,
    /// The indexes in `function_events` of the events read inside a DO block, in order: a
    /// statement there may never run (under an IF, or an error an EXCEPTION clause swallows), so it
    /// ends no body (`definer_ends`).
    nested_events: Vec<usize>,
    /// Inside a DO block's statements (see `nested_events`).
    nested: usize,
    types: HashSet<String>,
    /// Types and domains renamed (`ALTER TYPE / DOMAIN ... RENAME TO`), old name to new.
    type_renames: Vec<(String, String)>,
    /// The statistics objects made in expert_network (`CREATE STATISTICS`), and those renamed
    /// (`ALTER STATISTICS ... RENAME TO`), old name to new: `Walker::statistics_found_only_in_ours`.
    statistics: HashSet<String>,
    statistics_renames: Vec<(String, String)>,
    extensions: HashSet<String>,
    /// The extensions of `extensions` some CREATE EXTENSION names a VERSION of: its functions may
    /// not be those of the default version the fence's argument lists were read from.
    versioned_extensions: HashSet<String>,
    /// The extensions of `extensions` some top-level `CREATE EXTENSION` of the migrations makes
    /// without IF NOT EXISTS or VERSION: it fails where the database holds the extension in any
    /// schema, so from then on its functions are surely expert_network's, at the default version.
    /// One made only `IF NOT EXISTS` or in a DO block (under an IF, or an EXCEPTION clause that
    /// swallows "already exists") may be installed in another schema already: the statement does
    /// nothing, and expert_network holds none of its functions for the application's role to be
    /// out-matched by (`extension_signature`).
    sure_extensions: HashSet<String>,
    /// Some statement of the file being read names `check_function_bodies`: an SQL body it makes
    /// may be made with the setting off, unchecked against the functions it calls
    /// (`extension_signature`). Per file: en-migrate resets the session after each one.
    file_unchecked: bool,
    /// The statement being read looks an unqualified type up in pg_catalog before expert_network
    /// (its file's path: `SET search_path TO expert_network` searches pg_catalog first, unlisted;
    /// the pinned `expert_network, pg_catalog, pg_temp` does not). Where it does not, a function's
    /// parameter written `point` takes a type `point` of expert_network's (a table's row type)
    /// over pg_catalog's, and its signature is `unsure` to a call cast to pg_catalog's (PG 15: the migrations made
    /// `expert_network.point`, a table, and `expert_network.f(p point)` under the pinned path; a
    /// definer's invoker called `expert_network.f('(1,2)'::pg_catalog.point)`, counted the exact
    /// match of f, and raguser's `expert_network.f(pg_catalog.point)` ran as the superuser).
    catalog_types_first: bool,
    /// Reading a function's string body (`body_creations`): a function it makes is made when the
    /// body runs, under its caller's check_function_bodies.
    in_body: bool,
    temp: HashSet<String>,
    /// The functions and procedures created in pg_temp: the migration session's own, gone when it ends.
    temp_functions: HashSet<String>,
    /// Every word, lowercased, of the string bodies that say ALTER: a routine named there may be
    /// renamed or moved by a call of that body (`altered_by_a_body`).
    altering_body_words: HashSet<String>,
    transition: HashSet<String>,
    /// The trees `add` parsed, encoded, by statement text, for the fence and lint to decode
    /// instead of parsing the statement again (see `tree`): a statement is parsed once per run.
    trees: Mutex<TextMap<Vec<u8>>>,
    /// The bytes kept in `trees`, bounded by `KEEP_TREES`.
    kept: usize,
    /// Trees decoded for a pass that reads before the fence (lint, in `check`), kept until the fence
    /// takes them, so a statement is decoded once, not once per pass; bounded by `KEEP_DECODED`.
    decoded: Mutex<Decoded>,
}

/// A map keyed by a whole statement's text, hashed with foldhash (seeded per process): every
/// statement is looked up in these maps six to eight times, and SipHash over the texts was 5% of
/// `check`'s instructions on 1000 small files.
type TextMap<V> = HashMap<Box<str>, V, foldhash::fast::RandomState>;

/// The decoded trees `Model::tree` keeps, each with its encoded size, and the sum of those sizes.
#[derive(Debug, Default)]
struct Decoded {
    trees: TextMap<(Arc<ParseResult>, usize)>,
    kept: usize,
}

/// How many bytes of encoded trees the model keeps; past it, the fence parses again.
const KEEP_TREES: usize = 16 << 20;
/// How many bytes of encoded trees may be held decoded at once (`Model::decoded`); past it, the fence
/// decodes again. A decoded tree is about a hundred times its encoded size (a 13-column CREATE TABLE:
/// 2 KB encoded, 250 KB decoded), and lint reads a whole file before the fence takes any of its trees:
/// unbounded, a 6 MB schema file held 2 GB of trees. A small file's trees fit many times over.
const KEEP_DECODED: usize = 256 << 10;

/// One change to `Model::relations` (see `Model::ops`).
#[derive(Debug, Clone)]
enum RelOp {
    /// Made as this kind (recorded once per kind).
    Made(String, Rel),
    /// An index (recorded each time one is made).
    Index(String),
    /// `CREATE INDEX sessions_nid_idx ON sessions (nid)` (Ory Kratos): an index lands in its table's
    /// schema, which is expert_network's when the migrations made a table of that name there (the
    /// one an unqualified name finds first on the pinned path).
    IndexOnOurs { name: String, table: String },
    /// `ALTER ... RENAME TO`: the new name holds whatever the old one held.
    Renamed { from: String, to: String },
    /// `ALTER TABLE selfservice_verification_requests RENAME TO selfservice_verification_flows`
    /// (Ory Kratos): unqualified, the server renames the relation the search_path finds, which is
    /// expert_network's when the migrations made one of that name. Anything else (a temporary
    /// table, a name the fence refuses) gives expert_network nothing.
    RenamedOurs { from: String, to: String },
    /// `ALTER TABLE comments RENAME CONSTRAINT "Comment_pkey" TO comments_pkey` (rallly's and nhost's
    /// migrations, Prisma's RenamePrimaryKey): the server renames a PRIMARY KEY's, UNIQUE's or
    /// EXCLUDE's index with its constraint (`RenameConstraintById`), in the table's schema. `table` is
    /// the table as written unqualified (None: written `expert_network.x`), which is expert_network's
    /// only when the migrations made one of that name. The fence cannot tell a key from a CHECK or a
    /// foreign key of the same name here, so the new name is an index only where the old one is a
    /// relation of expert_network that no write can land in (an index, as `constraint_index` and
    /// `CREATE INDEX` record them), and never for a `pg_` name (see `apply`).
    ConstraintRenamed {
        table: Option<String>,
        from: String,
        to: String,
    },
}

impl Model {
    /// Reads every statement of the files (placeholders substituted) that can create something,
    /// through each file's shared split (`fence::statements`). Parsing is most of `check`'s time, so
    /// a large set of files is read as two halves on two threads, the second half's model merged into
    /// the first's: the same model as one pass in file order.
    pub fn of<M: AsRef<Migration> + Sync>(migrations: &[M]) -> Model {
        let weight = |m: &M| m.as_ref().text.len() + super::PER_ITEM;
        let cut = super::half_cut(migrations, weight);
        let halves = [&migrations[..cut], &migrations[cut..]];
        let read = |files: &&[M]| {
            let mut m = Model::default();
            for file in *files {
                m.add(&super::statements(file.as_ref()));
            }
            m
        };
        let mut models = super::shared(&halves, |h| h.iter().map(weight).sum(), read).into_iter();
        let mut model = models.next().unwrap_or_default();
        for later in models {
            model.merge(later);
        }
        model.settle();
        model
    }

    /// Adds what `later` holds, as if its files had been read after this model's.
    fn merge(&mut self, later: Model) {
        // Replayed, not united: `later` read its renames knowing nothing of this model's relations.
        for op in later.ops {
            self.apply(op);
        }
        self.functions.extend(later.functions);
        self.pathed.extend(later.pathed);
        self.definers.extend(later.definers);
        self.body_definers.extend(later.body_definers);
        self.body_relations.extend(later.body_relations);
        self.body_function_renames
            .extend(later.body_function_renames);
        self.body_index_renames.extend(later.body_index_renames);
        self.definers_searching_ours
            .extend(later.definers_searching_ours);
        self.invokers_searching_ours
            .extend(later.invokers_searching_ours);
        self.invokers_unpathed.extend(later.invokers_unpathed);
        self.altering_body_words.extend(later.altering_body_words);
        for (name, calls) in later.invoker_calls {
            self.add_invoker_calls(name, calls);
        }
        for (rel, fns) in later.trigger_functions {
            self.trigger_functions.entry(rel).or_default().extend(fns);
        }
        for (rel, fns) in later.before_trigger_functions {
            self.before_trigger_functions
                .entry(rel)
                .or_default()
                .extend(fns);
        }
        for (rel, fns) in later.ri_before_update_functions {
            self.ri_before_update_functions
                .entry(rel)
                .or_default()
                .extend(fns);
        }
        for (rel, fns) in later.ri_before_delete_functions {
            self.ri_before_delete_functions
                .entry(rel)
                .or_default()
                .extend(fns);
        }
        for (rel, fns) in later.ri_column_update_functions {
            self.ri_column_update_functions
                .entry(rel)
                .or_default()
                .extend(fns);
        }
        for (rel, cols) in later.ri_updated_columns {
            self.ri_updated_columns.entry(rel).or_default().extend(cols);
        }
        self.columns_unknown.extend(later.columns_unknown);
        self.row_moving.extend(later.row_moving);
        for (key, fns) in later.stored_calls {
            self.stored_calls.entry(key).or_default().extend(fns);
        }
        self.acting_bodies.extend(later.acting_bodies);
        for (key, fns) in later.body_callees {
            self.body_callees.entry(key).or_default().extend(fns);
        }
        for (key, fns) in later.non_default_calls {
            self.non_default_calls.entry(key).or_default().extend(fns);
        }
        self.set_default.extend(later.set_default);
        for (key, types) in later.stored_types {
            self.stored_types.entry(key).or_default().extend(types);
        }
        for (index, tables) in later.index_tables {
            self.index_tables.entry(index).or_default().extend(tables);
        }
        for (key, children) in later.fk_children {
            self.fk_children.entry(key).or_default().extend(children);
        }
        for (key, edges) in later.fk_actions {
            self.fk_actions.entry(key).or_default().extend(edges);
        }
        for (key, children) in later.structural_children {
            self.structural_children
                .entry(key)
                .or_default()
                .extend(children);
        }
        for (key, children) in later.partitions {
            self.partitions.entry(key).or_default().extend(children);
        }
        self.trigger_privileges.extend(later.trigger_privileges);
        self.tables_given_away |= later.tables_given_away;
        self.body_privileges.extend(later.body_privileges);
        self.given_away.extend(later.given_away);
        self.types_given_away.extend(later.types_given_away);
        self.domains.extend(later.domains);
        self.schema_given_away |= later.schema_given_away;
        self.schema_dropper |= later.schema_dropper;
        self.implicit.extend(later.implicit);
        for (op, fns) in later.operator_functions {
            self.operator_functions.entry(op).or_default().extend(fns);
        }
        self.function_renames.extend(later.function_renames);
        let shift = self.function_events.len();
        self.nested_events
            .extend(later.nested_events.iter().map(|i| i + shift));
        for (sql, made) in later.definers_made {
            let at = made.into_iter().map(|(n, i)| (n, i + shift));
            self.definers_made.entry(sql).or_default().extend(at);
        }
        self.function_events.extend(later.function_events);
        self.types.extend(later.types);
        self.type_renames.extend(later.type_renames);
        self.statistics.extend(later.statistics);
        self.statistics_renames.extend(later.statistics_renames);
        self.extensions.extend(later.extensions);
        self.versioned_extensions.extend(later.versioned_extensions);
        self.sure_extensions.extend(later.sure_extensions);
        self.temp.extend(later.temp);
        self.temp_functions.extend(later.temp_functions);
        self.transition.extend(later.transition);
        if let Ok(more) = later.trees.into_inner() {
            for (sql, encoded) in more {
                self.keep_tree(sql, encoded);
            }
        }
    }

    /// Keeps a statement's encoded tree for the fence and lint, within `KEEP_TREES`; the first one
    /// kept for a text stays.
    fn keep_tree(&mut self, sql: Box<str>, encoded: Vec<u8>) {
        let Ok(trees) = self.trees.get_mut() else {
            return;
        };
        if self.kept + encoded.len() <= KEEP_TREES && !trees.contains_key(&sql) {
            self.kept += encoded.len();
            trees.insert(sql, encoded);
        }
    }

    /// The same over bare texts, each split afresh.
    #[cfg(test)]
    pub fn build<'t>(texts: impl IntoIterator<Item = &'t str>) -> Model {
        let mut m = Model::default();
        for text in texts {
            m.add(&super::split(text));
        }
        m.settle();
        m
    }

    /// Adds what one file's statements create.
    fn add(&mut self, stmts: &[super::Statement<'_>]) {
        // The search_path each statement runs under, read for a CREATE EXTENSION without SCHEMA,
        // which lands in the path's first schema, and in a file that sets the path itself for what it
        // creates unqualified (`policy::SearchPath::lands_in_schema`).
        let mut paths: Option<super::policy::Paths> = None;
        let sets_path = stmts.iter().any(|s| super::policy::may_set_path(s.sql));
        self.file_unchecked = stmts
            .iter()
            .any(|s| !s.is_literal_insert() && super::policy::names_check_function_bodies(s.sql));
        for (i, stmt) in stmts.iter().enumerate() {
            if !may_create(stmt.sql) || stmt.is_literal_insert() {
                continue;
            }
            let landing = sets_path
                && paths
                    .get_or_insert_with(|| super::policy::paths(stmts))
                    .at(i)
                    .lands_in_schema();
            let schema = landing.then_some(SCHEMA);
            self.catalog_types_first = sets_path
                && paths
                    .get_or_insert_with(|| super::policy::paths(stmts))
                    .at(i)
                    .relations()
                    .into_iter()
                    .find(|s| *s != "pg_temp")
                    == Some("pg_catalog");
            let creation = may_create_extension(stmt.sql)
                .then(|| {
                    paths
                        .get_or_insert_with(|| super::policy::paths(stmts))
                        .at(i)
                        .creation()
                })
                .flatten()
                .map(str::to_string);
            let creation = creation.as_deref();
            // A deeply nested statement is decoded, walked and dropped on a grown stack, as the fence
            // and lint do: the server accepts nesting deeper than a thread's stack (the model is read
            // on a second thread too, whose stack is a quarter of the main thread's).
            if stmt.sql.len() > super::DEEP {
                super::on_deep_stack(|| self.add_statement(stmt.sql, schema, creation));
            } else {
                self.add_statement(stmt.sql, schema, creation);
            }
        }
    }

    /// `schema`: where a table, view, sequence, type or function created unqualified lands, when the
    /// file's own path says (`SearchPath::lands_in_schema`); `creation`: the schema an object created
    /// without one lands in (known for CREATE EXTENSION).
    fn add_statement(&mut self, sql: &str, schema: Option<&str>, creation: Option<&str>) {
        let Ok(encoded) = super::parse::sql_encoded(sql, 0) else {
            return;
        };
        let Ok(parsed) = super::parse::decode(&encoded) else {
            return;
        };
        for raw in &parsed.stmts {
            if let Some(n) = raw.stmt.as_deref().and_then(|n| n.node.as_ref()) {
                let before = self.function_events.len();
                self.statement(n, schema, creation);
                if let NodeEnum::CreateFunctionStmt(f) = n {
                    self.schema_dropper |= super::policy::may_drop_schema(sql);
                    if super::body::security_definer(&f.options) {
                        self.definer_made(sql, before);
                    }
                }
            }
        }
        // Up to COMPACT_ABOVE this parse is the fence's own (`parse_statement`).
        if sql.len() <= super::literal::COMPACT_ABOVE {
            self.keep_tree(sql.into(), encoded);
        }
    }

    /// The tree of statement `sql` as `fence::parse_statement` gives it, if `add` parsed and
    /// kept it; `take` drops what was kept, for the last pass that reads it.
    pub fn tree(&self, sql: &str, take: bool) -> Option<Arc<ParseResult>> {
        if take {
            let early = self.decoded.lock().ok()?.take(sql);
            let encoded = self.trees.lock().ok()?.remove(sql);
            return match early {
                Some(tree) => Some(tree),
                None => super::parse::decode(&encoded?).ok().map(Arc::new),
            };
        }
        if let Some((tree, _)) = self.decoded.lock().ok()?.trees.get(sql) {
            return Some(tree.clone());
        }
        // Copied out so the other thread's passes never wait on this decode.
        let encoded = self.trees.lock().ok()?.get(sql)?.clone();
        let tree = Arc::new(super::parse::decode(&encoded).ok()?);
        self.decoded.lock().ok()?.keep(sql, &tree, encoded.len());
        Some(tree)
    }

    /// Drops the trees no pass took (the applied files').
    pub fn drop_trees(&self) {
        if let Ok(mut trees) = self.trees.lock() {
            *trees = TextMap::default();
        }
        if let Ok(mut decoded) = self.decoded.lock() {
            *decoded = Decoded::default();
        }
    }

    /// What the migrations made under `name` in expert_network (several entries: created more than
    /// once, as different kinds; the fence takes the strictest).
    pub fn relation(&self, name: &str) -> Option<&[Rel]> {
        self.relations.get(name).map(Vec::as_slice)
    }
    /// Whether the migrations give expert_network's routine `name` (or the one renamed to it) to
    /// another role (see `given_away`).
    pub fn given_away(&self, name: &str) -> bool {
        self.carries(&self.given_away, name)
    }
    /// The functions of expert_network's the server may call on any use of a type (see `implicit`),
    /// sorted. A SECURITY DEFINER body's ORDER BY, DISTINCT, join or write of an indexed column may
    /// run them with its owner's rights, without naming them or the operator (PG 15: a definer's
    /// `ORDER BY i.p` over a type with a DEFAULT btree class ran its support function, whose
    /// `length(x.a)` found the application's `expert_network.length(text)`, as the superuser).
    pub fn implicit_functions(&self) -> Vec<String> {
        let mut out: Vec<String> = self.implicit.iter().cloned().collect();
        out.sort();
        out
    }

    /// The functions of expert_network's operators named `op` (see `operator_functions`), sorted.
    pub fn operator_functions(&self, op: &str) -> Vec<String> {
        sorted_names(&self.operator_functions, op)
    }

    fn support_functions(&mut self, items: &[Node]) {
        // OPCLASS_ITEM_FUNCTION (`FUNCTION n f(...)`).
        const FUNCTION: i32 = 2;
        for item in items {
            if let Some(NodeEnum::CreateOpClassItem(i)) = &item.node {
                let name = i.name.as_ref().and_then(|n| own_routine(&n.objname));
                if let (FUNCTION, Some(name)) = (i.itemtype, name) {
                    self.implicit.insert(name.to_string());
                }
            }
        }
    }

    /// Whether the migrations give schema expert_network to another role (see `schema_given_away`).
    pub fn schema_given_away(&self) -> bool {
        self.schema_given_away
    }

    /// Whether a migration makes a routine whose body may drop schema expert_network (see
    /// `schema_dropper`).
    pub fn schema_dropper(&self) -> bool {
        self.schema_dropper
    }
    pub fn is_definer(&self, name: &str) -> bool {
        self.carries(&self.definers, name)
    }
    /// Whether a routine of this name may be SECURITY DEFINER when a statement alters it: one the
    /// migrations create so, or one a body creates so (`body_definers`).
    pub fn may_be_definer(&self, name: &str) -> bool {
        self.is_definer(name) || self.carries(&self.body_definers, name)
    }

    /// Whether an invoker function of this name (or renamed to it) has a string body that looks up
    /// unqualified functions in expert_network when it runs: on its own path (`own`), or, having no
    /// path of its own, on its caller's (`!own`).
    pub fn invoker_finds_ours(&self, name: &str, own: bool) -> bool {
        if own {
            self.carries(&self.invokers_searching_ours, name)
        } else {
            self.carries(&self.invokers_unpathed, name)
        }
    }

    /// expert_network's routine `name` dropped, renamed away or moved to another schema: the name is
    /// free there from now on (`function_gone`), and none of its signatures is left (`has_signature`).
    fn routine_gone(&mut self, name: &str, types: Option<Vec<Option<String>>>) {
        self.function_events
            .push((name.to_string(), RoutineEvent::Gone(types)));
    }

    fn add_invoker_calls(&mut self, name: String, calls: super::invoker_calls::Calls) {
        let all = self.invoker_calls.entry(name).or_default();
        all.overloadable |= calls.overloadable;
        all.typed.extend(calls.typed);
        all.cast.extend(calls.cast);
        all.unvalidated |= calls.unvalidated;
        all.callees.extend(calls.callees);
        all.writes.extend(calls.writes);
        all.reads.extend(calls.reads);
    }

    /// The chain of expert_network's functions, from the invoker `name` that a SECURITY DEFINER body
    /// calls, to one whose body the application's role can make run its code with the definer's
    /// owner's rights: a body that calls a function of expert_network with arguments or one of its
    /// operators (an overload added later may match better), or a call of an invoker whose path
    /// searches expert_network or which has none of its own (it takes its caller's: counted as
    /// searching, which only refuses more). The triggers of the relations a body writes are its calls
    /// too (as `definer_writes` judges a definer's own writes), and a write to a relation another
    /// role may add triggers to (`trigger_holders`) ends a chain as such a call does. Followed at any depth; a definer ends a chain, its body
    /// held to these rules itself. `name`'s own path is `invoker_finds_ours`'s.
    pub fn invoker_reaches_overloadable(&self, name: &str) -> Option<Vec<String>> {
        let mut seen = HashSet::new();
        let mut todo = vec![vec![name.to_string()]];
        while let Some(chain) = todo.pop() {
            let Some(last) = chain.last() else { continue };
            if !seen.insert(last.clone()) {
                continue;
            }
            let deeper = chain.len() > 1;
            if deeper && self.given_away(last) {
                return Some(chain);
            }
            if deeper && self.is_definer(last) {
                continue;
            }
            if deeper
                && (self.invoker_finds_ours(last, true) || self.invoker_finds_ours(last, false))
            {
                return Some(chain);
            }
            let bodies = origins(&self.function_renames, last)
                .into_iter()
                .filter_map(|n| self.invoker_calls.get(n));
            for calls in bodies {
                // A write to a table another role may add triggers to runs that role's function.
                let held = || {
                    calls
                        .writes
                        .iter()
                        .any(|r| !self.trigger_holders(r).is_empty())
                };
                // A read of a relation given to another role (or of a view over one) runs the
                // query its owner may put there (corpus 87).
                let given = || calls.reads.iter().any(|r| !self.read_owners(r).is_empty());
                // A call whose argument types are known is found by exact match when the schema
                // keeps a function of exactly those types (`has_signature`).
                let inexact = || {
                    calls.typed.iter().any(|(f, types)| {
                        let cast = calls.cast.contains(f);
                        !self.has_signature(f, types, false, None, !calls.unvalidated, cast)
                    })
                };
                if calls.overloadable || inexact() || held() || given() {
                    return Some(chain);
                }
                let fired = calls.writes.iter().flat_map(|r| self.trigger_functions(r));
                // A view the body reads runs its query's calls as the body does (corpus 86).
                let viewed = calls.reads.iter().flat_map(|r| self.view_calls(r));
                for callee in calls.callees.iter().cloned().chain(fired).chain(viewed) {
                    let mut next = chain.clone();
                    next.push(callee);
                    todo.push(next);
                }
            }
        }
        None
    }

    /// The functions that run on a write to expert_network's relation `rel`, as whoever writes: its
    /// triggers' functions, and those the expressions stored on it call (see `stored_expressions`),
    /// its columns' domains' CHECKs included.
    /// A relation renamed keeps its triggers and stored expressions, so those made under an earlier
    /// name count; and a write may reach the relations whose foreign keys reference it (ON DELETE
    /// CASCADE deletes their rows, which fires their triggers, PG 15): theirs count too, for any
    /// foreign key (only refuses more).
    pub fn trigger_functions(&self, rel: &str) -> Vec<String> {
        self.functions_of_writes(rel, &self.trigger_functions)
    }

    /// What a foreign key's action (CASCADE, SET NULL, SET DEFAULT) that writes `rel` runs inline,
    /// with the rights of `rel`'s owner: its BEFORE triggers' functions and its stored expressions'
    /// calls, as `trigger_functions` finds them (AFTER triggers run later, as the statement's role).
    /// Only the BEFORE triggers that fire on the kinds of write the actions make (`writes`: UPDATE,
    /// DELETE) count, unless a relation it reaches may turn them into an INSERT (`row_moving`).
    /// A column's DEFAULT counts only where the action may run one: a SET DEFAULT action, or a
    /// write that may become an INSERT; and a DELETE alone runs no stored expression at all (no
    /// CHECK, generated column, index expression or domain CHECK: it makes no new row version).
    /// The relations reached, and by which kinds of write, are `ri_reached`'s: a grandchild only
    /// where its own key's action writes it (PG 15: raguser's DELETE of a parent row, set NULL in a
    /// child whose rows a grandchild references by a plain key, never fired the grandchild's BEFORE
    /// UPDATE trigger; corpus 144 of pass/).
    pub fn inline_write_functions(&self, rel: &str, writes: RiWrites) -> Vec<String> {
        let mut reached = self.ri_reached(rel, writes);
        let moving = reached.keys().any(|r| self.row_moving.contains(r));
        let mut out: HashSet<String> = HashSet::new();
        if moving {
            // A row that moves is deleted and inserted: every kind of write, and what an INSERT
            // runs (every BEFORE trigger, every stored expression, DEFAULTs included).
            let both = RiWrites {
                updates: true,
                deletes: true,
            };
            reached = self.ri_reached(rel, both);
            for r in reached.keys() {
                out.extend(
                    self.before_trigger_functions
                        .get(r)
                        .into_iter()
                        .flatten()
                        .cloned(),
                );
                for ty in self.stored_types.get(r).into_iter().flatten() {
                    out.extend(self.stored_calls.get(ty).into_iter().flatten().cloned());
                }
                out.extend(self.stored_calls.get(r).into_iter().flatten().cloned());
            }
            return out.into_iter().collect();
        }
        let updated: HashSet<String> = reached
            .iter()
            .filter(|(_, w)| w.updates)
            .map(|(r, _)| r.clone())
            .collect();
        let deleted = reached.iter().filter(|(_, w)| w.deletes).map(|(r, _)| r);
        let defaults = updated.iter().any(|r| self.set_default.contains(r));
        out.extend(self.column_triggers_fired(&updated));
        for r in &updated {
            out.extend(
                self.ri_before_update_functions
                    .get(r)
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
        }
        for r in deleted {
            out.extend(
                self.ri_before_delete_functions
                    .get(r)
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
        }
        let stored = if defaults {
            &self.stored_calls
        } else {
            &self.non_default_calls
        };
        for r in &updated {
            for ty in self.stored_types.get(r).into_iter().flatten() {
                out.extend(self.stored_calls.get(ty).into_iter().flatten().cloned());
            }
            out.extend(stored.get(r).into_iter().flatten().cloned());
        }
        out.into_iter().collect()
    }

    /// The relations a foreign key's action that writes `rel` by `writes` reaches, each with the
    /// kinds of write it gets: `rel` itself, under every name it has had or takes (a relation
    /// renamed keeps its triggers, and one added under its later name fires too: PG 15), the
    /// base relation of a view of them, their partitions, inheritance children and the targets
    /// of their rules (the same kinds of write), and the relations whose foreign keys reference a
    /// relation reached, by the writes those keys' own actions make for the kinds it gets
    /// (`fk_actions`: a DELETE reaches a child's ON DELETE action, an UPDATE its ON UPDATE one;
    /// NO ACTION and RESTRICT write nothing).
    fn ri_reached(&self, rel: &str, writes: RiWrites) -> HashMap<String, RiWrites> {
        let mut seen: HashMap<String, RiWrites> = HashMap::new();
        let mut todo = vec![(rel.to_string(), writes)];
        while let Some((r, w)) = todo.pop() {
            if !w.any() {
                continue;
            }
            let had = seen.get(&r).copied().unwrap_or_default();
            let now = had.union(w);
            if now == had {
                continue;
            }
            seen.insert(r.clone(), now);
            for child in self.structural_children.get(&r).into_iter().flatten() {
                todo.push((child.clone(), now));
            }
            for kind in self.relations.get(&r).into_iter().flatten() {
                if let Rel::View(Some((schema, base)), _, _) = kind {
                    if schema == SCHEMA || schema.is_empty() {
                        todo.push((base.clone(), now));
                    }
                }
            }
            for op in &self.ops {
                match op {
                    RelOp::Renamed { from, to } | RelOp::RenamedOurs { from, to } if *to == r => {
                        todo.push((from.clone(), now))
                    }
                    RelOp::Renamed { from, to } | RelOp::RenamedOurs { from, to } if *from == r => {
                        todo.push((to.clone(), now))
                    }
                    _ => {}
                }
            }
            for (child, on_delete, on_update) in self.fk_actions.get(&r).into_iter().flatten() {
                let mut cw = RiWrites::default();
                if now.deletes {
                    cw = cw.union(*on_delete);
                }
                if now.updates {
                    cw = cw.union(*on_update);
                }
                todo.push((child.clone(), cw));
            }
        }
        seen
    }

    /// The functions of the BEFORE `UPDATE OF` triggers of the relations in `reached` that a foreign
    /// key's action may fire: those naming a column such an action may modify on any of them
    /// (`ri_updated_columns`, united over `reached`: only refuses more), and every one of them where
    /// a relation's columns are not followed by name (`columns_unknown`).
    fn column_triggers_fired(&self, reached: &HashSet<String>) -> Vec<String> {
        let unknown = reached.iter().any(|r| self.columns_unknown.contains(r));
        let modified: HashSet<&String> = reached
            .iter()
            .flat_map(|r| self.ri_updated_columns.get(r).into_iter().flatten())
            .collect();
        reached
            .iter()
            .flat_map(|r| self.ri_column_update_functions.get(r).into_iter().flatten())
            .filter(|(_, cols)| unknown || cols.iter().any(|c| modified.contains(c)))
            .map(|(f, _)| f.clone())
            .collect()
    }

    /// What `node` says of the columns a foreign key's action may modify (see
    /// `ri_updated_columns`, `columns_unknown`): read from every statement and body statement the
    /// stored expressions are read from.
    fn updated_columns(&mut self, node: &NodeEnum) {
        let ours = |r: Option<&RangeVar>| {
            r.filter(|r| r.schemaname == SCHEMA || r.schemaname.is_empty())
                .map(|r| r.relname.clone())
        };
        let (key, elts): (Option<String>, Vec<&Node>) = match node {
            NodeEnum::CreateStmt(c) => {
                let key = ours(c.relation.as_ref());
                let like = c
                    .table_elts
                    .iter()
                    .any(|e| matches!(e.node, Some(NodeEnum::TableLikeClause(_))));
                if like || !c.inh_relations.is_empty() || c.partbound.is_some() {
                    self.columns_unknown.extend(key.clone());
                }
                (key, c.table_elts.iter().collect())
            }
            NodeEnum::AlterTableStmt(a) => {
                let key = ours(a.relation.as_ref());
                let mut elts = Vec::new();
                for cmd in &a.cmds {
                    let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else {
                        continue;
                    };
                    match cmd.def.as_deref() {
                        Some(
                            d @ Node {
                                node: Some(NodeEnum::ColumnDef(_) | NodeEnum::Constraint(_)),
                            },
                        ) => elts.push(d),
                        Some(Node {
                            node: Some(NodeEnum::PartitionCmd(pc)),
                        }) => {
                            self.columns_unknown.extend(key.clone());
                            self.columns_unknown.extend(ours(pc.name.as_ref()));
                        }
                        Some(Node {
                            node: Some(NodeEnum::RangeVar(_)),
                        }) if cmd.subtype == AlterTableType::AtAddInherit as i32 => {
                            self.columns_unknown.extend(key.clone());
                        }
                        _ => {}
                    }
                }
                (key, elts)
            }
            NodeEnum::RenameStmt(r)
                if r.rename_type == pg_query::protobuf::ObjectType::ObjectColumn as i32 =>
            {
                self.columns_unknown.extend(ours(r.relation.as_ref()));
                return;
            }
            _ => return,
        };
        let Some(key) = key else { return };
        let mut cols = HashSet::new();
        for e in elts {
            match &e.node {
                Some(NodeEnum::ColumnDef(col)) => {
                    for c in &col.constraints {
                        let Some(NodeEnum::Constraint(c)) = &c.node else {
                            continue;
                        };
                        if c.contype == pg_query::protobuf::ConstrType::ConstrGenerated as i32
                            || super::definer::referencing_row_writes(c).updates
                        {
                            cols.insert(col.colname.clone());
                        }
                    }
                }
                Some(NodeEnum::Constraint(c))
                    if super::definer::referencing_row_writes(c).updates =>
                {
                    cols.extend(c.fk_attrs.iter().filter_map(|a| match &a.node {
                        Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                        _ => None,
                    }));
                }
                _ => {}
            }
        }
        self.ri_updated_columns.entry(key).or_default().extend(cols);
    }

    fn functions_of_writes(
        &self,
        rel: &str,
        triggers: &HashMap<String, HashSet<String>>,
    ) -> Vec<String> {
        self.functions_of_writes_with(rel, triggers, &self.stored_calls)
    }

    /// As `functions_of_writes`, with the relations' stored calls read from `stored` (a domain's
    /// CHECKs always from `stored_calls`: a domain has no DEFAULT the fence leaves out).
    fn functions_of_writes_with(
        &self,
        rel: &str,
        triggers: &HashMap<String, HashSet<String>>,
        stored: &HashMap<String, HashSet<String>>,
    ) -> Vec<String> {
        let mut out: HashSet<String> = HashSet::new();
        for r in self.written_with(rel) {
            out.extend(triggers.get(&r).into_iter().flatten().cloned());
            for ty in self.stored_types.get(&r).into_iter().flatten() {
                out.extend(self.stored_calls.get(ty).into_iter().flatten().cloned());
            }
            out.extend(stored.get(&r).into_iter().flatten().cloned());
        }
        out.into_iter().collect()
    }

    /// The names whose triggers a write to `rel` may fire (see `trigger_functions`): `rel`, the
    /// names it had before a rename, the relations a write to any of them reaches (`fk_children`:
    /// a cascade, a partition, an inheritance child), and the base relation of a view of them (a
    /// write through it lands there, and fires its triggers: PG 15).
    fn written_with(&self, rel: &str) -> HashSet<String> {
        let mut seen = HashSet::new();
        let mut todo = vec![rel.to_string()];
        while let Some(r) = todo.pop() {
            if !seen.insert(r.clone()) {
                continue;
            }
            todo.extend(self.fk_children.get(&r).into_iter().flatten().cloned());
            for kind in self.relations.get(&r).into_iter().flatten() {
                if let Rel::View(Some((schema, base)), _, _) = kind {
                    if schema == SCHEMA || schema.is_empty() {
                        todo.push(base.clone());
                    }
                }
            }
            todo.extend(self.ops.iter().filter_map(|op| match op {
                RelOp::Renamed { from, to } | RelOp::RenamedOurs { from, to } if *to == r => {
                    Some(from.clone())
                }
                _ => None,
            }));
        }
        seen
    }

    /// The functions of expert_network's that a read of its view `rel` calls: those its query
    /// calls, and those of the views of expert_network it reads in turn, at any depth. A view's
    /// query runs with the reader's rights for its function calls (only its relations are checked
    /// as the view's owner), so read in a SECURITY DEFINER body they run with the definer's owner's
    /// (PG 15: a definer's `SELECT ... FROM expert_network.vr_view` ran the invoker the view calls,
    /// whose `lower(t)` found the application's `expert_network.lower(text)`, as the superuser).
    pub fn view_calls(&self, rel: &str) -> Vec<String> {
        self.stored_calls_reached(rel, |r| {
            let views = self.relations.get(r).into_iter().flatten();
            // Every relation the view's query names, FROM's and its subqueries' and CTEs' alike: a
            // view read in a WHERE's subquery is expanded and runs its calls too (PG 15: a definer's
            // read of a view whose `WHERE u.id IN (SELECT ... FROM inner_view)` ran the inner view's
            // invoker, whose lower() found raguser's, as postgres; corpus 85).
            let mut reads = views.filter_map(|kind| match kind {
                Rel::View(_, from, named) => Some(from.iter().chain(named.iter())),
                _ => None,
            });
            let read = reads.next()?;
            let ours = read.filter(|(s, _)| s == SCHEMA || s.is_empty());
            Some(ours.map(|(_, n)| n.clone()).collect())
        })
    }

    /// The functions of expert_network's that the query of its materialized view `rel` calls: a
    /// REFRESH runs them in the refreshing session, as the view's owner, under that session's path
    /// (PG 15: a SECURITY DEFINER body's REFRESH, on its path searching expert_network, ran the
    /// query's invoker, whose lower() found the application's `expert_network.lower(text)`, as the
    /// superuser; corpus 91).
    pub fn refresh_calls(&self, rel: &str) -> Vec<String> {
        sorted_names(&self.stored_calls, rel)
    }

    /// The relations of expert_network (named qualified or not) that `rel` names, when it is a view.
    fn named_by_view<'m>(&'m self, rel: &str) -> impl Iterator<Item = String> + 'm {
        self.relations
            .get(rel)
            .into_iter()
            .flatten()
            .filter_map(|kind| match kind {
                Rel::View(_, _, named) => Some(named),
                _ => None,
            })
            .flatten()
            .filter(|(s, _)| s == SCHEMA || s.is_empty())
            .map(|(_, n)| n.clone())
    }

    /// A type of the migrations given to another role (`cast_type_given_away`: the type itself, or
    /// the one a domain of it is based on) of a column that a read of `rel` yields: of `rel` (under the names
    /// it had before a rename too) or of a relation a view of it names, at any depth. A type's owner
    /// may `CREATE CAST` from or to it `WITH FUNCTION` of its own, and a string body parses its casts
    /// when it runs, so a cast (or an assignment cast) of such a value in a SECURITY DEFINER body then
    /// runs that function with the definer's owner's rights (PG 15: raguser, given an enum, made a
    /// cast of it to text, and a definer's `SELECT j.status::text` gave raguser SUPERUSER; corpus 81).
    pub fn reads_given_away_type(&self, rel: &str) -> Option<String> {
        let mut seen = HashSet::new();
        let mut todo = vec![rel.to_string()];
        let mut rels: Vec<String> = Vec::new();
        while let Some(r) = todo.pop() {
            if !seen.insert(r.clone()) {
                continue;
            }
            todo.extend(self.named_by_view(&r));
            todo.extend(self.ops.iter().filter_map(|op| match op {
                RelOp::Renamed { from, to } if *to == r => Some(from.clone()),
                _ => None,
            }));
            rels.push(r);
        }
        rels.sort();
        rels.iter()
            .flat_map(|r| {
                let mut tys: Vec<&String> =
                    self.stored_types.get(r).into_iter().flatten().collect();
                tys.sort();
                tys
            })
            .find_map(|ty| self.cast_type_given_away(ty))
    }

    /// The type of the migrations given to another role whose casts a value of type `name` takes:
    /// `name` itself when it is no domain, or the type a domain of it is based on, at any depth (a
    /// domain's casts are its base type's). None for a name that is no type the migrations make.
    fn cast_type_given_away(&self, name: &str) -> Option<String> {
        let mut seen = HashSet::new();
        let mut todo = vec![name.to_string()];
        while let Some(t) = todo.pop() {
            if !seen.insert(t.clone()) || !self.types.contains(&t) {
                continue;
            }
            if !self.domains.contains(&t) {
                if self.types_given_away.contains(&t) {
                    return Some(t);
                }
                continue;
            }
            todo.extend(self.stored_types.get(&t).into_iter().flatten().cloned());
        }
        None
    }

    /// The functions of expert_network's that the CHECKs of its domain `name` call, and those of
    /// the domains it is based on in turn: a value cast or assigned to the domain runs them with
    /// the rights of whoever casts (PG 15: a definer's `x::expert_network.dm_lc`, and a PL/pgSQL
    /// variable of it, ran the CHECK's invoker, whose `lower(t)` found the application's
    /// `expert_network.lower(text)`, as the superuser). Empty for a name that is no type the
    /// migrations make.
    /// The domain of the migrations given to another role (`types_given_away`) that a value of type
    /// `name` passes the CHECKs of: `name` itself, or a domain it is based on, at any depth.
    pub fn domain_given_away(&self, name: &str) -> Option<String> {
        let mut seen = HashSet::new();
        let mut todo = vec![name.to_string()];
        while let Some(t) = todo.pop() {
            if !seen.insert(t.clone()) || !self.types.contains(&t) {
                continue;
            }
            if self.types_given_away.contains(&t) {
                return Some(t);
            }
            todo.extend(self.stored_types.get(&t).into_iter().flatten().cloned());
        }
        None
    }

    /// A domain given to another role (`domain_given_away`) that a write to `rel` checks: of a
    /// column of it, or of a relation the write reaches (see `written_with`).
    pub fn writes_given_away_domain(&self, rel: &str) -> Option<String> {
        let mut rels: Vec<String> = self.written_with(rel).into_iter().collect();
        rels.sort();
        rels.iter()
            .flat_map(|r| self.stored_types.get(r).into_iter().flatten())
            .find_map(|ty| self.domain_given_away(ty))
    }

    pub fn domain_calls(&self, name: &str) -> Vec<String> {
        self.stored_calls_reached(name, |t| {
            let based_on = self.stored_types.get(t).into_iter().flatten();
            self.types.contains(t).then(|| based_on.cloned().collect())
        })
    }

    /// The functions the expressions stored on `start` call (`stored_calls`), and on every name
    /// `next` leads to from there, at any depth; `next` says None for a name that is not of the
    /// kind followed (nothing of it counts). Sorted.
    fn stored_calls_reached(
        &self,
        start: &str,
        next: impl Fn(&str) -> Option<Vec<String>>,
    ) -> Vec<String> {
        let mut out: HashSet<String> = HashSet::new();
        let mut seen = HashSet::new();
        let mut todo = vec![start.to_string()];
        while let Some(r) = todo.pop() {
            if !seen.insert(r.clone()) {
                continue;
            }
            let Some(more) = next(&r) else { continue };
            out.extend(self.stored_calls.get(&r).into_iter().flatten().cloned());
            todo.extend(more);
        }
        let mut out: Vec<String> = out.into_iter().collect();
        out.sort();
        out
    }

    /// The partitions, at any depth, of expert_network's partitioned table `rel` (under the names
    /// it had before a rename too) that the migrations do not leave owned by each role they give
    /// `rel` to: that role may CREATE INDEX on `rel`, and the server makes the index on every
    /// partition and builds it as the partition's owner, running the index's expressions (a function
    /// of that role's) with the runner's rights, then on every ANALYZE and autovacuum of it (PG 15:
    /// raguser, given the partitioned table, indexed it on its own function, which ran as postgres
    /// while the index was built on the partition and gave raguser SUPERUSER; corpus 82). Sorted;
    /// empty when `rel` is not given away or has no partition kept.
    pub fn partitions_kept(&self, rel: &str) -> Vec<String> {
        let owners = self.own_owners(rel);
        if owners.is_empty() {
            return Vec::new();
        }
        let mut seen = HashSet::new();
        let mut todo: Vec<String> = self.names_before_renames(rel);
        let mut kept: Vec<String> = Vec::new();
        while let Some(r) = todo.pop() {
            if !seen.insert(r.clone()) {
                continue;
            }
            for child in self.partitions.get(&r).into_iter().flatten() {
                if self.own_owners(child) != owners {
                    kept.push(child.clone());
                }
                todo.extend(self.names_before_renames(child));
            }
        }
        kept.sort();
        kept.dedup();
        kept
    }

    /// The roles but the runner the migrations leave owning `rel` itself (under the names it had
    /// before a rename too), not what a write to it reaches (`relation_owners`).
    fn own_owners(&self, rel: &str) -> Vec<String> {
        if !self.tables_given_away {
            return Vec::new();
        }
        super::trigger_holders::owners(self.privilege_events(), &self.names_before_renames(rel))
    }

    /// `rel` and the names it had before a rename, at any depth.
    fn names_before_renames(&self, rel: &str) -> Vec<String> {
        self.names_before(rel, false)
    }

    /// `rel` and the names it had before a rename, at any depth: a qualified relation's rename
    /// only, or (`any_kind`) an unqualified relation's, a key's with its index and a function
    /// body's too.
    fn names_before(&self, rel: &str, any_kind: bool) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        let mut todo = vec![rel.to_string()];
        while let Some(r) = todo.pop() {
            if seen.contains(&r) {
                continue;
            }
            todo.extend(self.renamed_onto(&r, any_kind));
            seen.push(r);
        }
        seen
    }

    /// The names a single rename gave `name` from: a qualified relation's rename, or (`any_kind`)
    /// an unqualified relation's, a key's with its index, and a function body's (which runs whenever
    /// the body is called; PG 15: a plpgsql body renamed a table away and the one with an index over
    /// an acting function to its name, and a no-transaction `VACUUM (ANALYZE)` of that name ran the
    /// function bare, whose DELETE cascaded into raguser's rows in public).
    fn renamed_onto(&self, name: &str, any_kind: bool) -> Vec<String> {
        let mut from: Vec<String> = self
            .ops
            .iter()
            .filter_map(|op| match op {
                RelOp::Renamed { from, to } if to == name => Some(from.clone()),
                RelOp::RenamedOurs { from, to } | RelOp::ConstraintRenamed { from, to, .. }
                    if any_kind && to == name =>
                {
                    Some(from.clone())
                }
                _ => None,
            })
            .collect();
        if any_kind {
            from.extend(self.body_relations.iter().filter_map(|(to, b)| match b {
                BodyRel::RenamedFrom(f) if to == name => Some(f.clone()),
                _ => None,
            }));
            from.extend(
                self.body_index_renames
                    .iter()
                    .filter(|(_, to)| to == name)
                    .map(|(f, _)| f.clone()),
            );
        }
        from
    }

    /// The roles but the runner the migrations leave owning what a read of `rel` reads: `rel` and
    /// what a write to it reaches (`written_with`), and every relation of expert_network's a view
    /// of them names, at any depth, joins and subqueries included. A view's owner may replace its
    /// query, and a reader of a view that reads it runs the new query's calls with the reader's
    /// rights (PG 15: a definer's `count(*)` of the runner's join view over raguser's view ran the
    /// function raguser's replaced query called as postgres; corpus 84). Sorted.
    pub fn read_owners(&self, rel: &str) -> Vec<String> {
        if !self.tables_given_away {
            return Vec::new();
        }
        let mut seen: HashSet<String> = HashSet::new();
        let mut todo = vec![rel.to_string()];
        while let Some(r) = todo.pop() {
            if seen.contains(&r) {
                continue;
            }
            let with = self.written_with(&r);
            for w in with {
                todo.extend(self.named_by_view(&w));
                seen.insert(w);
            }
            seen.insert(r);
        }
        let names: Vec<String> = seen.into_iter().collect();
        super::trigger_holders::owners(self.privilege_events(), &names)
    }

    /// The roles but the runner that may add triggers of their own to what a write to `rel` fires
    /// (see `trigger_holders.rs`), once the migrations have run. Sorted.
    pub fn trigger_holders(&self, rel: &str) -> Vec<String> {
        let names: Vec<String> = self.written_with(rel).into_iter().collect();
        super::trigger_holders::holders(self.privilege_events(), &names)
    }

    /// Expressions the server stores on a relation of expert_network's (a column's DEFAULT, a CHECK,
    /// a generated column, an index's expressions and predicate, a trigger's WHEN) or on a domain
    /// (its CHECKs) run on every write of the relation, with the writer's rights: called from a
    /// SECURITY DEFINER body, its owner's. The function a stored expression calls is bound when it
    /// is stored, but an invoker's string body still resolves its own names when it runs (PG 15: a
    /// definer's INSERT filled a DEFAULT `expert_network.df_code()` whose `lower('CODE')`, on a path
    /// searching expert_network, ran the application's `expert_network.lower(text)` as the
    /// superuser). Every function such a statement calls anywhere is recorded for the relation or
    /// domain, and every type it names (a domain of a column): only refuses more.
    fn stored_expressions(&mut self, node: &NodeEnum) {
        self.updated_columns(node);
        // A temporary relation's, keyed `pg_temp.name`: a maintenance statement of the session's
        // temporary table evaluates them too (PG 15: a no-transaction `VACUUM (ANALYZE) pg_temp.w`
        // ran the acting function of the index `ON pg_temp.w (expert_network.k(id))` bare, whose
        // DELETE cascaded into raguser's rows in public; `maintenance_calls` counts every key).
        let ours = |r: Option<&RangeVar>| {
            r.and_then(|r| match r.schemaname.as_str() {
                "" | SCHEMA => Some(r.relname.clone()),
                "pg_temp" => Some(format!("pg_temp.{}", r.relname)),
                _ => None,
            })
        };
        let domain = |names: &[Node]| match super::walk::name_parts(names).as_deref() {
            Some([s, d]) if s == SCHEMA => Some(d.clone()),
            Some([d]) => Some(d.clone()),
            _ => None,
        };
        let key = match node {
            NodeEnum::CreateStmt(c) => ours(c.relation.as_ref()),
            NodeEnum::AlterTableStmt(a) => ours(a.relation.as_ref()),
            NodeEnum::IndexStmt(i) => ours(i.relation.as_ref()),
            NodeEnum::CreateTrigStmt(t) => ours(t.relation.as_ref()),
            // A view's query runs on every read of it, as whoever reads (see `view_calls`).
            NodeEnum::ViewStmt(v) => ours(v.view.as_ref()),
            // A materialized view's query runs on every REFRESH (see `refresh_calls`).
            NodeEnum::CreateTableAsStmt(c)
                if c.objtype == pg_query::protobuf::ObjectType::ObjectMatview as i32 =>
            {
                ours(c.into.as_ref().and_then(|i| i.rel.as_ref()))
            }
            // Its expressions are evaluated on every ANALYZE of the table (PG 14 and later).
            NodeEnum::CreateStatsStmt(c) => c.relations.iter().find_map(|r| match &r.node {
                Some(NodeEnum::RangeVar(rv)) => ours(Some(rv)),
                _ => None,
            }),
            NodeEnum::CreateDomainStmt(d) => domain(&d.domainname),
            NodeEnum::AlterDomainStmt(d) => domain(&d.type_name),
            // A rule's condition and actions run on every write of its relation it is made for, as
            // part of that write, with the writer's rights for their calls (see `rule_targets`).
            NodeEnum::RuleStmt(r) => ours(r.relation.as_ref()),
            _ => None,
        };
        let Some(key) = key else { return };
        // The relations a rule's actions write: a write to the rule's relation writes them too, and
        // fires their triggers (PG 15: a definer's INSERT into a table whose rule DO ALSO INSERTs
        // into another fired raguser's trigger there as postgres; corpus 83).
        let mut rule_targets: Vec<String> = Vec::new();
        let (mut calls, mut types) = (HashSet::new(), HashSet::new());
        let mut non_default: HashSet<String> = HashSet::new();
        let mut children: HashSet<String> = HashSet::new();
        // Of `children`, the referenced relations of foreign keys, with what their actions write.
        let mut fk_parents: Vec<(String, RiWrites, RiWrites)> = Vec::new();
        // Of `children`, the parents by inheritance or partitioning.
        let mut structural_parents: HashSet<String> = HashSet::new();
        // Depth first, without recursion: an expression may nest deeper than a stack. Each node
        // with whether it is inside a column's DEFAULT (a DEFAULT constraint, ALTER COLUMN SET
        // DEFAULT).
        let mut todo = vec![(super::nodes::Ref::of(node), false)];
        while let Some((r, in_default)) = todo.pop() {
            let mut inner_default = in_default;
            match r {
                super::nodes::Ref::FuncCall(f) => {
                    if let Some(name) = domain(&f.funcname) {
                        if !in_default {
                            non_default.insert(name.clone());
                        }
                        calls.insert(name);
                    }
                }
                super::nodes::Ref::Constraint(c) => {
                    if let Some(parent) = ours(c.pktable.as_ref()) {
                        let (on_delete, on_update) = super::definer::referencing_writes_by_kind(c);
                        fk_parents.push((parent.clone(), on_delete, on_update));
                        children.insert(parent);
                    }
                    if c.contype == pg_query::protobuf::ConstrType::ConstrDefault as i32 {
                        inner_default = true;
                    }
                    if c.contype == pg_query::protobuf::ConstrType::ConstrForeign as i32
                        && (c.fk_del_action == "d" || c.fk_upd_action == "d")
                    {
                        self.set_default.insert(key.clone());
                    }
                }
                super::nodes::Ref::AlterTableCmd(c)
                    if c.subtype == AlterTableType::AtColumnDefault as i32 =>
                {
                    inner_default = true;
                }
                super::nodes::Ref::TypeName(t) => {
                    if let Some(name) = domain(&t.names) {
                        types.insert(name);
                    }
                }
                super::nodes::Ref::InsertStmt(i) if matches!(node, NodeEnum::RuleStmt(_)) => {
                    rule_targets.extend(ours(i.relation.as_ref()));
                }
                super::nodes::Ref::UpdateStmt(u) if matches!(node, NodeEnum::RuleStmt(_)) => {
                    rule_targets.extend(ours(u.relation.as_ref()));
                }
                super::nodes::Ref::DeleteStmt(d) if matches!(node, NodeEnum::RuleStmt(_)) => {
                    rule_targets.extend(ours(d.relation.as_ref()));
                }
                _ => {}
            }
            r.children(&mut |c| todo.push((c, inner_default)));
        }
        // `PARTITION OF p` / `INHERITS (p)`, `ALTER TABLE ... INHERIT p`: a write to p reaches this
        // table's rows; `ALTER TABLE p ATTACH PARTITION c`: p's reach c's.
        let mut reached: Vec<String> = rule_targets;
        match node {
            // A rule's actions write their own targets (`rule_targets`, reached above), so a write
            // of its relation may become an INSERT: a cascaded UPDATE of the rule's table fired the
            // BEFORE INSERT trigger of the table its DO ALSO INSERT wrote, as the superuser (PG 15).
            NodeEnum::RuleStmt(_) => {
                self.row_moving.insert(key.clone());
            }
            NodeEnum::CreateStmt(c) => {
                if c.partspec.is_some() || c.partbound.is_some() {
                    self.row_moving.insert(key.clone());
                }
                for p in &c.inh_relations {
                    if let Some(NodeEnum::RangeVar(rv)) = &p.node {
                        children.extend(ours(Some(rv)));
                        structural_parents.extend(ours(Some(rv)));
                        if let (true, Some(parent)) = (c.partbound.is_some(), ours(Some(rv))) {
                            self.partitions
                                .entry(parent)
                                .or_default()
                                .insert(key.clone());
                        }
                    }
                }
            }
            NodeEnum::AlterTableStmt(a) => {
                for cmd in &a.cmds {
                    let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else {
                        continue;
                    };
                    match cmd.def.as_deref().and_then(|d| d.node.as_ref()) {
                        Some(NodeEnum::RangeVar(rv))
                            if cmd.subtype == AlterTableType::AtAddInherit as i32 =>
                        {
                            children.extend(ours(Some(rv)));
                            structural_parents.extend(ours(Some(rv)));
                        }
                        Some(NodeEnum::PartitionCmd(pc))
                            if cmd.subtype == AlterTableType::AtAttachPartition as i32 =>
                        {
                            self.row_moving.insert(key.clone());
                            self.row_moving.extend(ours(pc.name.as_ref()));
                            reached.extend(ours(pc.name.as_ref()));
                            if let Some(child) = ours(pc.name.as_ref()) {
                                self.partitions
                                    .entry(key.clone())
                                    .or_default()
                                    .insert(child);
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        for parent in structural_parents {
            self.structural_children
                .entry(parent)
                .or_default()
                .insert(key.clone());
        }
        for (parent, on_delete, on_update) in fk_parents {
            self.fk_actions
                .entry(parent)
                .or_default()
                .push((key.clone(), on_delete, on_update));
        }
        self.structural_children
            .entry(key.clone())
            .or_default()
            .extend(reached.iter().cloned());
        for parent in children {
            self.fk_children
                .entry(parent)
                .or_default()
                .insert(key.clone());
        }
        self.fk_children
            .entry(key.clone())
            .or_default()
            .extend(reached);
        self.stored_calls
            .entry(key.clone())
            .or_default()
            .extend(calls);
        self.non_default_calls
            .entry(key.clone())
            .or_default()
            .extend(non_default);
        self.stored_types.entry(key).or_default().extend(types);
    }

    /// Whether a function the migrations create as expert_network.`name`, and leave there, is
    /// found by exact match by a call with arguments of `types` (as `signature_type` writes them;
    /// `variadic`: the last written VARIADIC), see `Sig::matches`. A function renamed to `name` is
    /// not looked for: only refuses more.
    /// So is a function of an allowlisted extension the migrations install into expert_network
    /// whose input types are exactly `types` (`known::Extension::signatures`), unless the
    /// migrations drop, rename or move a routine of that name: the application's role cannot
    /// create one with the same list beside it, nor replace it (it owns neither the function nor
    /// the extension), and an overload it adds loses to the exact match (PG 15: raguser's
    /// `expert_network.unaccent(varchar)` and `unaccent(anyelement)` never ran when REINDEX
    /// evaluated an index over a wrapper calling `expert_network.unaccent($1)` of a text
    /// parameter, and `CREATE FUNCTION expert_network.unaccent(text)` failed: "already exists with
    /// same argument types"). DROP EXTENSION is refused, so the function stays.
    /// `until` as for `function_gone`. `validated`: the call is one the server resolves when it
    /// makes the calling function (an SQL string body's, see `extension_signature`).
    pub fn has_signature(
        &self,
        name: &str,
        types: &[String],
        variadic: bool,
        until: Option<usize>,
        validated: bool,
        cast: bool,
    ) -> bool {
        let events = &self.function_events[..until.unwrap_or(self.function_events.len())];
        let events = events.iter().filter(|(n, _)| n == name);
        let (left, dropped) = routines_left(events.map(|(_, e)| e));
        left.iter()
            .filter_map(|s| s.as_ref())
            .filter(|s| !(cast && s.unsure))
            .any(|s| s.matches(types, variadic))
            || (!variadic
                && !types.is_empty()
                && !dropped
                && self.extension_signature(name, types, validated))
    }

    /// Whether `name` is a function of expert_network only through an allowlisted extension the
    /// migrations make IF NOT EXISTS, in a DO block or at a VERSION (none of them surely there):
    /// the migrations make no routine of that name, and no extension that surely lands there has
    /// one (`sure_extensions`).
    pub fn maybe_elsewhere(&self, name: &str) -> bool {
        let of =
            |e: &&String| super::known::extension(e).is_some_and(|x| x.functions.contains(&name));
        !self.function_events.iter().any(|(n, _)| n == name)
            && self.extensions.iter().any(|e| of(&e))
            && !self
                .extensions
                .iter()
                .filter(|e| self.sure_extensions.contains(*e))
                .any(|e| of(&e))
    }

    /// Whether an allowlisted extension installed into expert_network, at its default version, has
    /// a function `name` of exactly the input types `types`: one the migrations surely make there
    /// (`sure_extensions`), or, for a `validated` call, one they make IF NOT EXISTS or in a DO block.
    /// Such an extension may sit in another schema already, where the statement does nothing: PG
    /// 15, with unaccent in public, `CREATE EXTENSION IF NOT EXISTS unaccent` made none in
    /// expert_network, and raguser's own `expert_network.unaccent(text)` then ran as the superuser
    /// in a PL/pgSQL definer's call of it with its text parameter, and, in ANALYZE, through an
    /// index over an SQL wrapper made with check_function_bodies off (refuse corpus 150). A
    /// validated call is an SQL string body's, which the server resolves when it makes the
    /// function (no such function in expert_network: an error) unless check_function_bodies is
    /// off: the file must not name that setting, nor the body be made by another's (`file_unchecked`,
    /// `Calls::unvalidated`).
    fn extension_signature(&self, name: &str, types: &[String], validated: bool) -> bool {
        self.extensions
            .iter()
            .filter(|e| {
                self.sure_extensions.contains(*e)
                    || (validated && !self.versioned_extensions.contains(*e))
            })
            .filter_map(|e| super::known::extension(e))
            .flat_map(|e| e.signatures)
            .any(|(n, args)| {
                *n == name && args.iter().copied().eq(types.iter().map(String::as_str))
            })
    }

    /// Records the functions the definer statement `sql` made, from `function_events[from..]`.
    fn definer_made(&mut self, sql: &str, from: usize) {
        let made: Vec<(String, usize)> = self.function_events[from..]
            .iter()
            .enumerate()
            .filter(|(_, (_, e))| matches!(e, RoutineEvent::Made(_)))
            .map(|(i, (n, _))| (n.clone(), from + i))
            .collect();
        if !made.is_empty() {
            self.definers_made
                .entry(sql.to_string())
                .or_default()
                .extend(made);
        }
    }

    /// Where each body the top-level statement `sql` gave the definer `name` stops running: the
    /// index in `function_events` of the event that surely ends it (`RoutineEvent::ends`: replaced
    /// by a `CREATE OR REPLACE` of the same input types, or dropped), or None when nothing does
    /// (the migrations leave it, or rename or move it first, or drop it in a way the fence cannot
    /// match exactly). Empty when the statement is not one the model read as such (one
    /// inside a DO block): its body counts as left.
    pub fn definer_ends(&self, sql: &str, name: &str) -> Vec<Option<usize>> {
        let Some(made) = self.definers_made.get(sql) else {
            return Vec::new();
        };
        made.iter()
            .filter(|(n, _)| n == name)
            .map(|&(_, at)| {
                let Some((_, RoutineEvent::Made(Some(sig)))) = self.function_events.get(at) else {
                    return None;
                };
                // A rename or move first takes the body elsewhere, where it runs on.
                let ends = |i: usize, e: &RoutineEvent| {
                    e.ends(sig) && self.nested_events.binary_search(&i).is_err()
                };
                let (i, (_, e)) =
                    self.function_events[at + 1..]
                        .iter()
                        .enumerate()
                        .find(|&(i, (n, e))| {
                            n == name && (ends(at + 1 + i, e) || *e == RoutineEvent::Gone(None))
                        })?;
                ends(at + 1 + i, e).then_some(at + 1 + i)
            })
            .collect()
    }

    /// Whether a call of this name with `args` arguments finds nothing the migrations leave: they
    /// dropped, renamed away or moved a function of the name, and none left takes that many
    /// arguments (`DROP FUNCTION f()` leaves `f(text)`, which a call `f(x)` still finds and a call
    /// `f()` does not). The name is then free for the application's role to fill. A function whose
    /// signature the fence does not know counts as dropped by every drop of its name, and as taking
    /// any number of arguments while it is left.
    /// `until`: judged just before `function_events[until]` (when the calling body stops running),
    /// None: after every migration.
    pub fn function_gone(&self, name: &str, args: usize, until: Option<usize>) -> bool {
        let events = &self.function_events[..until.unwrap_or(self.function_events.len())];
        let events = events.iter().filter(|(n, _)| n == name);
        let (left, dropped) = routines_left(events.map(|(_, e)| e));
        dropped
            && !left
                .iter()
                .any(|s| s.as_ref().is_none_or(|s| s.takes(args)))
    }

    /// Whether the definer `name` was created with a path of its own that searches expert_network
    /// for functions (see `definers_searching_ours`).
    pub fn definer_searched_ours(&self, name: &str) -> bool {
        self.carries(&self.definers_searching_ours, name)
    }

    /// Whether `name` is in `set`, or is a name that a function of `set` was renamed to (through any
    /// chain of renames): RENAME keeps a function's SECURITY DEFINER and its SET options.
    fn carries(&self, set: &HashSet<String>, name: &str) -> bool {
        carried(set, &self.function_renames, name)
    }
    /// Whether the migrations create a function (or aggregate) of this name in expert_network, or
    /// rename one of theirs to it (`ALTER FUNCTION expert_network.wh_dim_id RENAME TO wh_dim_key`: the
    /// body the fence read under the old name answers to the new one), or an allowlisted extension
    /// installed there has one.
    pub fn has_function(&self, name: &str) -> bool {
        self.carries(&self.functions, name)
            || self
                .extensions
                .iter()
                .filter_map(|e| super::known::extension(e))
                .any(|e| e.functions.contains(&name))
    }
    /// Whether the migrations themselves create a function of this name in expert_network (or
    /// rename one of theirs to it): `has_function` without the extensions', whose C bodies do
    /// nothing the fence lets through on the database-side check's account.
    pub fn makes_function(&self, name: &str) -> bool {
        self.carries(&self.functions, name)
    }

    /// The migrations' own functions a maintenance statement may run without naming them, sorted:
    /// those an expression stored on the relations it works on (`on`; None: any of expert_network's)
    /// calls outside a column's DEFAULT (an index's expressions or predicate, which REINDEX,
    /// VACUUM's summarizing of a BRIN index and ANALYZE evaluate, and an extended statistics
    /// object's, which ANALYZE evaluates; a CHECK counts too, as the fence does not tell them
    /// apart) and those the server calls for a type (`implicit_functions`: an operator class's
    /// support, which an index build over the type calls; these alone when `stored` is false), and
    /// the CHECKs' of the domains those expressions name. See `Walker::unguarded_maintenance`.
    pub fn maintenance_calls(&self, stored: bool, on: Option<&[String]>) -> Vec<String> {
        // The relations whose stored expressions count: those named, under the names they had
        // before a rename, with their partitions and children at any depth (VACUUM and REINDEX of
        // a partitioned table work on its partitions); every relation's where none are named.
        let keys: Option<HashSet<String>> = on.map(|tables| {
            let mut seen: HashSet<String> = HashSet::new();
            let mut todo: Vec<String> = tables.to_vec();
            while let Some(t) = todo.pop() {
                for name in self.names_before(&t, true) {
                    if seen.insert(name.clone()) {
                        todo.extend(
                            self.structural_children
                                .get(&name)
                                .into_iter()
                                .flatten()
                                .cloned(),
                        );
                        todo.extend(self.partitions.get(&name).into_iter().flatten().cloned());
                    }
                }
            }
            seen
        });
        let counted = |key: &String| keys.as_ref().is_none_or(|k| k.contains(key));
        let mut out: Vec<String> = self
            .non_default_calls
            .iter()
            .filter(|(key, _)| stored && counted(key))
            .flat_map(|(_, calls)| calls)
            .chain(self.implicit.iter())
            .filter(|f| self.acting(f))
            .cloned()
            .collect();
        // A stored coercion to a domain runs its CHECKs (an index over `(id::d)`); the column
        // types' domains count too, as the fence does not tell a cast from a column.
        if stored {
            let types: HashSet<&String> = self
                .stored_types
                .iter()
                .filter(|(key, _)| counted(key))
                .flat_map(|(_, types)| types)
                .collect();
            for ty in types {
                out.extend(self.domain_calls(ty).into_iter().filter(|f| self.acting(f)));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The tables a REINDEX INDEX of expert_network's `index` may rebuild an index of: the tables
    /// the migrations made an index of that name on, or of a name renamed to it at any depth. None
    /// where one of those names is not an index the migrations are seen making (a key's index whose
    /// name the fence does not know, one a body made): the statement then counts every relation's.
    pub fn index_tables(&self, index: &str) -> Option<Vec<String>> {
        let mut tables: Vec<String> = Vec::new();
        for name in self.names_before(index, true) {
            match self.index_tables.get(&name) {
                Some(t) => tables.extend(t.iter().cloned()),
                // A name only a rename gave is judged by the names before it.
                None if self.renamed_onto(&name, true).is_empty() => return None,
                None => {}
            }
        }
        tables.sort();
        tables.dedup();
        (!tables.is_empty()).then_some(tables)
    }

    /// Whether a function of this name may have a body judged under its own search_path: one the
    /// migrations create with `SET search_path`, or one they do not create (its body is unknown).
    pub fn may_rely_on_own_path(&self, name: &str) -> bool {
        self.carries(&self.pathed, name) || !self.carries(&self.functions, name)
    }
    /// Whether the migrations create a type (domain, enum, composite, range) of this name in
    /// expert_network, or rename one of theirs to it, or an allowlisted extension installed there has one.
    pub fn has_type(&self, name: &str) -> bool {
        carried(&self.types, &self.type_renames, name)
            || self
                .extensions
                .iter()
                .filter_map(|e| super::known::extension(e))
                .any(|e| e.types.contains(&name))
    }
    /// Whether the migrations make a statistics object of this name in expert_network, or rename one
    /// of theirs to it.
    pub fn has_statistics(&self, name: &str) -> bool {
        carried(&self.statistics, &self.statistics_renames, name)
    }
    pub fn has_extension(&self, name: &str) -> bool {
        self.extensions.contains(name)
    }
    pub fn is_temp(&self, name: &str) -> bool {
        self.temp.contains(name)
    }
    /// Whether a string body of the migrations that says ALTER names `name` anywhere (in any case):
    /// called, it may rename or move the routine of that name (`short_lived.rs`).
    pub fn altered_by_a_body(&self, name: &str) -> bool {
        self.altering_body_words.contains(&name.to_lowercase())
    }
    /// Whether the migrations create a function or procedure of this name in pg_temp.
    pub fn has_temp_function(&self, name: &str) -> bool {
        self.temp_functions.contains(name)
    }
    pub fn is_transition(&self, name: &str) -> bool {
        self.transition.contains(name)
    }

    fn relation_made(&mut self, rv: &RangeVar, schema: Option<&str>, kind: Rel) {
        if rv.relpersistence == "t" || rv.schemaname == "pg_temp" {
            self.temp.insert(rv.relname.clone());
            return;
        }
        // Unqualified creations are refused by the fence, so they make nothing known, except inside
        // CREATE SCHEMA expert_network, where they land in it, and where the file's own path puts
        // expert_network first (`schema`, see `add`).
        let ours = rv.schemaname == SCHEMA || (rv.schemaname.is_empty() && schema == Some(SCHEMA));
        if ours {
            self.trigger_privileges
                .push(super::trigger_holders::Event::Made(rv.relname.clone()));
            self.apply(RelOp::Made(rv.relname.clone(), kind));
        }
    }

    /// The sequence the server makes for a `serial` or identity column of a table of expert_network
    /// (PG 15: `CREATE TABLE t (id serial)` makes `t_id_seq`, which migrations then read unqualified,
    /// `SELECT last_value FROM t_id_seq`, or name in `setval('t_id_seq', ...)`). It lands in the
    /// table's schema under `makeObjectName(table, column, "seq")`, or, when a relation of that name
    /// is there already, under that name with a number added: either way the name is then a relation
    /// of expert_network, which is all the model says of it. A name too long to be sure how the
    /// server clips it is left out (the fence then refuses its unqualified uses, as before).
    fn implicit_sequence(&mut self, rv: &RangeVar, schema: Option<&str>, col: &ColumnDef) {
        let serial = col.type_name.as_ref().is_some_and(|t| {
            !t.pct_type
                && matches!(t.names.as_slice(), [Node { node: Some(NodeEnum::String(n)) }]
                    if SERIALS.contains(&n.sval.as_str()))
        });
        if serial {
            self.sequence_of(rv, schema, &col.colname);
        }
        for k in &col.constraints {
            if let Some(NodeEnum::Constraint(k)) = &k.node {
                if k.contype == ConstrType::ConstrIdentity as i32 {
                    self.identity_sequence(rv, schema, &col.colname, k);
                }
            }
        }
    }

    /// Records the table of an index named `name` made on `rv`, where `rv` may be expert_network's
    /// (qualified so, or unqualified).
    fn index_made(&mut self, rv: &RangeVar, name: &str) {
        if rv.schemaname == SCHEMA || rv.schemaname.is_empty() {
            self.index_tables
                .entry(name.to_string())
                .or_default()
                .insert(rv.relname.clone());
        }
    }

    /// The index a PRIMARY KEY, UNIQUE or EXCLUDE constraint makes (`CONSTRAINT "Connector_pkey"
    /// PRIMARY KEY ("id")`, as Prisma writes every key, which a later migration renames with `ALTER
    /// INDEX "Connector_pkey" RENAME TO ...`): it bears the constraint's name in the table's schema.
    /// An unnamed one (`id serial PRIMARY KEY`, `email text UNIQUE`, as diesel, sqlx, goose and Rails
    /// tables are written) gets the name the server chooses (`implicit_index_name`), which Rails'
    /// `rename_table` then renames (`ALTER INDEX "items_pkey" RENAME TO "things_pkey"`). `column` is
    /// the column a column constraint is written on.
    fn constraint_index(
        &mut self,
        rv: &RangeVar,
        schema: Option<&str>,
        k: &Constraint,
        column: Option<&str>,
    ) {
        let keyed = [
            ConstrType::ConstrPrimary,
            ConstrType::ConstrUnique,
            ConstrType::ConstrExclusion,
        ];
        let temporary = rv.relpersistence == "t" || rv.schemaname == "pg_temp";
        if temporary || !keyed.iter().any(|t| k.contype == *t as i32) {
            return;
        }
        let name = if k.conname.is_empty() {
            match implicit_index_name(&rv.relname, k, column) {
                Some(name) => name,
                None => return,
            }
        } else {
            k.conname.clone()
        };
        self.index_made(rv, &name);
        match rv.schemaname.as_str() {
            "" if schema == Some(SCHEMA) => self.apply(RelOp::Index(name)),
            "" => self.apply(RelOp::IndexOnOurs {
                name,
                table: rv.relname.clone(),
            }),
            SCHEMA => self.apply(RelOp::Index(name)),
            _ => {}
        }
    }

    /// An identity column's sequence: the one its `SEQUENCE NAME` option names (unqualified, in the
    /// table's schema), or the one the server names as for `serial`.
    fn identity_sequence(
        &mut self,
        rv: &RangeVar,
        schema: Option<&str>,
        column: &str,
        k: &Constraint,
    ) {
        let named = k.options.iter().find_map(|o| match &o.node {
            Some(NodeEnum::DefElem(d)) if d.defname == "sequence_name" => Some(d),
            _ => None,
        });
        let Some(named) = named else {
            self.sequence_of(rv, schema, column);
            return;
        };
        let parts = match named.arg.as_deref().and_then(|a| a.node.as_ref()) {
            Some(NodeEnum::List(l)) => super::walk::name_parts(&l.items),
            _ => None,
        };
        match parts.as_deref() {
            Some([name]) => self.relation_made(
                &RangeVar {
                    relname: name.clone(),
                    ..rv.clone()
                },
                schema,
                Rel::Sequence,
            ),
            Some([s, name]) => {
                let seq = RangeVar {
                    schemaname: s.clone(),
                    relname: name.clone(),
                    relpersistence: "p".into(),
                    ..RangeVar::default()
                };
                self.relation_made(&seq, schema, Rel::Sequence);
            }
            _ => {}
        }
    }

    fn sequence_of(&mut self, rv: &RangeVar, schema: Option<&str>, column: &str) {
        if let Some(name) = object_name(&rv.relname, column, "seq") {
            self.relation_made(
                &RangeVar {
                    relname: name,
                    ..rv.clone()
                },
                schema,
                Rel::Sequence,
            );
        }
    }

    /// Makes one change to `relations` and records it in `ops`.
    fn apply(&mut self, op: RelOp) {
        match &op {
            RelOp::Made(name, kind) => {
                let v = self.relations.entry(name.clone()).or_default();
                if !v.contains(kind) {
                    v.push(kind.clone());
                }
            }
            RelOp::Index(name) => self
                .relations
                .entry(name.clone())
                .or_default()
                .push(Rel::Other),
            RelOp::Renamed { from, to } => {
                let old = self.relations.get(from).cloned().unwrap_or_default();
                self.relations.entry(to.clone()).or_default().extend(old);
            }
            RelOp::IndexOnOurs { name, table } => {
                if self.relations.contains_key(table) {
                    self.relations
                        .entry(name.clone())
                        .or_default()
                        .push(Rel::Other);
                }
            }
            RelOp::RenamedOurs { from, to } => {
                if let Some(old) = self.relations.get(from).cloned() {
                    self.relations.entry(to.clone()).or_default().extend(old);
                }
            }
            RelOp::ConstraintRenamed { table, from, to } => {
                let ours = table
                    .as_ref()
                    .is_none_or(|t| self.relations.contains_key(t));
                let an_index = self
                    .relations
                    .get(from)
                    .is_some_and(|v| v.contains(&Rel::Other));
                // Where the constraint was a CHECK or a foreign key, and `from` an index of another
                // table, the server renames no index and the model says `to` is expert_network's
                // when it is nothing: an unqualified `to` then finds, on the pinned path, nothing in
                // expert_network, only pg_catalog's (whose relations initdb names `pg_*`, and `up`
                // refuses a pg_catalog holding another) and the migration's own pg_temp. A `pg_`
                // name could be pg_catalog's: it is never counted.
                if ours && an_index && !to.starts_with("pg_") {
                    self.relations
                        .entry(to.clone())
                        .or_default()
                        .push(Rel::Other);
                }
            }
        }
        self.ops.push(op);
    }

    /// `schema`: where an unqualified name lands (see `add`).
    fn named(&mut self, names: &[Node], which: Which, schema: Option<&str>) {
        let parts: Vec<&str> = names
            .iter()
            .filter_map(|n| match &n.node {
                Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
                _ => None,
            })
            .collect();
        let name = match parts.as_slice() {
            [SCHEMA, name] => name.to_string(),
            [name] if schema == Some(SCHEMA) => name.to_string(),
            _ => return,
        };
        match which {
            Which::Function => {
                self.function_events
                    .push((name.clone(), RoutineEvent::Made(None)));
                self.functions.insert(name)
            }
            Which::Type => self.types.insert(name),
            Which::Statistics => self.statistics.insert(name),
        };
    }

    fn statement(&mut self, node: &NodeEnum, schema: Option<&str>, creation: Option<&str>) {
        self.stored_expressions(node);
        match node {
            NodeEnum::CreateSchemaStmt(s) => {
                let given = s
                    .authrole
                    .as_ref()
                    .is_some_and(|r| super::trigger_holders::role(r).is_some());
                // `CREATE SCHEMA AUTHORIZATION r` without a name names the schema r.
                let name = if s.schemaname.is_empty() {
                    s.authrole.as_ref().map_or("", |r| r.rolename.as_str())
                } else {
                    s.schemaname.as_str()
                };
                self.schema_given_away |= given && name == SCHEMA;
                for elt in &s.schema_elts {
                    if let Some(n) = &elt.node {
                        self.statement(n, Some(&s.schemaname), creation);
                    }
                }
            }
            NodeEnum::CreateStmt(c) => {
                if let Some(rv) = &c.relation {
                    self.relation_made(rv, schema, Rel::Table);
                    for elt in &c.table_elts {
                        match &elt.node {
                            Some(NodeEnum::ColumnDef(col)) => {
                                self.implicit_sequence(rv, schema, col);
                                for k in &col.constraints {
                                    if let Some(NodeEnum::Constraint(k)) = &k.node {
                                        self.constraint_index(rv, schema, k, Some(&col.colname));
                                    }
                                }
                            }
                            Some(NodeEnum::Constraint(k)) => {
                                self.constraint_index(rv, schema, k, None)
                            }
                            _ => {}
                        }
                    }
                }
            }
            NodeEnum::AlterOwnerStmt(a) if ROUTINES.iter().any(|k| a.object_type == *k as i32) => {
                let to_another = a
                    .newowner
                    .as_ref()
                    .is_none_or(|r| super::trigger_holders::role(r).is_some());
                if let (true, Some(NodeEnum::ObjectWithArgs(f))) = (
                    to_another,
                    a.object.as_deref().and_then(|o| o.node.as_ref()),
                ) {
                    if let Some(name) = own_routine(&f.objname) {
                        self.given_away.insert(name.to_string());
                    }
                }
            }
            NodeEnum::AlterOwnerStmt(a)
                if a.object_type == ObjectType::ObjectDomain as i32
                    || a.object_type == ObjectType::ObjectType as i32 =>
            {
                let to_another = a
                    .newowner
                    .as_ref()
                    .is_none_or(|r| super::trigger_holders::role(r).is_some());
                let names = match a.object.as_deref().and_then(|o| o.node.as_ref()) {
                    Some(NodeEnum::List(l)) => l.items.as_slice(),
                    Some(NodeEnum::TypeName(t)) => t.names.as_slice(),
                    _ => &[],
                };
                if let (true, Some(name)) = (to_another, own_routine(names)) {
                    self.types_given_away.insert(name.to_string());
                }
            }
            NodeEnum::AlterOwnerStmt(a) if a.object_type == ObjectType::ObjectSchema as i32 => {
                let ours = matches!(a.object.as_deref().and_then(|o| o.node.as_ref()),
                    Some(NodeEnum::String(s)) if s.sval == SCHEMA);
                let to_another = a
                    .newowner
                    .as_ref()
                    .is_none_or(|r| super::trigger_holders::role(r).is_some());
                self.schema_given_away |= ours && to_another;
            }
            NodeEnum::GrantStmt(g) => {
                super::trigger_holders::grant_events(g, false, &mut self.trigger_privileges);
            }
            NodeEnum::AlterDefaultPrivilegesStmt(a) => {
                if let Some(g) = a.action.as_ref() {
                    if super::trigger_holders::defaults_reach_ours(&a.options) {
                        super::trigger_holders::grant_events(g, true, &mut self.trigger_privileges);
                    }
                }
            }
            NodeEnum::AlterTableStmt(a) => {
                let before = self.trigger_privileges.len();
                super::trigger_holders::owner_events(a, &mut self.trigger_privileges);
                self.tables_given_away |= self.trigger_privileges[before..]
                    .iter()
                    .any(super::trigger_holders::Event::gives_a_table_away);
                let Some(rv) = &a.relation else { return };
                for cmd in &a.cmds {
                    let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else {
                        continue;
                    };
                    match cmd.def.as_deref().and_then(|d| d.node.as_ref()) {
                        Some(NodeEnum::ColumnDef(col)) => {
                            self.implicit_sequence(rv, schema, col);
                            for k in &col.constraints {
                                if let Some(NodeEnum::Constraint(k)) = &k.node {
                                    self.constraint_index(rv, schema, k, Some(&col.colname));
                                }
                            }
                        }
                        // `ALTER COLUMN c ADD GENERATED ... AS IDENTITY`: the column is `cmd.name`.
                        Some(NodeEnum::Constraint(k))
                            if k.contype == ConstrType::ConstrIdentity as i32 =>
                        {
                            self.identity_sequence(rv, schema, &cmd.name, k);
                        }
                        Some(NodeEnum::Constraint(k)) => self.constraint_index(rv, schema, k, None),
                        _ => {}
                    }
                }
            }
            NodeEnum::CreateForeignTableStmt(c) => {
                if let Some(rv) = c.base_stmt.as_ref().and_then(|b| b.relation.as_ref()) {
                    self.relation_made(rv, schema, Rel::Other);
                }
            }
            NodeEnum::CreateTableAsStmt(c) => {
                let kind = if c.objtype == ObjectType::ObjectTable as i32 {
                    Rel::Table
                } else {
                    Rel::Other
                };
                if let Some(rv) = c.into.as_ref().and_then(|i| i.rel.as_ref()) {
                    self.relation_made(rv, schema, kind);
                }
            }
            NodeEnum::SelectStmt(s) => {
                if let Some(rv) = s.into_clause.as_ref().and_then(|i| i.rel.as_ref()) {
                    self.relation_made(rv, schema, Rel::Table);
                }
            }
            // An ON SELECT rule turns a table into a view (PostgreSQL before 16; pg_dump wrote one for
            // views in a dependency loop): a write or a row lock on the name then goes through it,
            // into the relations its query reads (PG 15: `CREATE TABLE` + `CREATE RULE "_RETURN"` over
            // pg_language, and an UPDATE of the table made the C language trusted).
            NodeEnum::RuleStmt(r) if r.event == pg_query::protobuf::CmdType::CmdSelect as i32 => {
                if let (Some(rv), Some(q)) = (&r.relation, r.actions.first()) {
                    let view = view_of(q);
                    if rv.schemaname.is_empty() && self.relations.contains_key(&rv.relname) {
                        self.apply(RelOp::Made(rv.relname.clone(), view));
                    } else {
                        self.relation_made(rv, schema, view);
                    }
                }
            }
            NodeEnum::ViewStmt(v) => {
                if let Some(rv) = &v.view {
                    let view = v
                        .query
                        .as_deref()
                        .map_or(Rel::View(None, Vec::new(), Vec::new()), view_of);
                    self.relation_made(rv, schema, view);
                }
            }
            NodeEnum::CreateSeqStmt(c) => {
                if let Some(rv) = &c.sequence {
                    self.relation_made(rv, schema, Rel::Sequence);
                }
            }
            // `CREATE INDEX ON t (a, b)`: the index bears the name the server chooses for it.
            NodeEnum::IndexStmt(i) if i.idxname.is_empty() => {
                let Some(rv) = &i.relation else { return };
                let Some(name) = implicit_plain_index_name(&rv.relname, i) else {
                    return;
                };
                self.index_made(rv, &name);
                match rv.schemaname.as_str() {
                    SCHEMA => self.apply(RelOp::Index(name)),
                    "" => self.apply(RelOp::IndexOnOurs {
                        name,
                        table: rv.relname.clone(),
                    }),
                    _ => {}
                }
            }
            NodeEnum::IndexStmt(i) if !i.idxname.is_empty() => {
                if let Some(rv) = &i.relation {
                    self.index_made(rv, &i.idxname);
                }
                match i.relation.as_ref().map(|r| r.schemaname.as_str()) {
                    Some(SCHEMA) => self.apply(RelOp::Index(i.idxname.clone())),
                    Some("") => self.apply(RelOp::IndexOnOurs {
                        name: i.idxname.clone(),
                        table: i
                            .relation
                            .as_ref()
                            .map(|r| r.relname.clone())
                            .unwrap_or_default(),
                    }),
                    _ => {}
                }
            }
            // A path set later is the one the body runs under from then on: an invoker given one
            // that searches expert_network is one, whatever it was created with (PG 15: a definer's
            // call of an invoker whose path an ALTER FUNCTION changed so ran the application's
            // `expert_network.lower(text)` with the owner's rights). By name, in any order: only
            // refuses more.
            NodeEnum::AlterFunctionStmt(a) => {
                let current = super::policy::SearchPath::Pinned;
                if super::definer::path_searches_ours(&a.actions, &current) {
                    if let Some(NodeEnum::String(n)) = a
                        .func
                        .as_ref()
                        .and_then(|f| f.objname.last())
                        .and_then(|n| n.node.as_ref())
                    {
                        self.invokers_searching_ours.insert(n.sval.clone());
                    }
                }
            }
            NodeEnum::RenameStmt(r) => {
                let a_type = r.rename_type == ObjectType::ObjectType as i32
                    || r.rename_type == ObjectType::ObjectDomain as i32;
                if let (true, Some(NodeEnum::List(l))) =
                    (a_type, r.object.as_ref().and_then(|o| o.node.as_ref()))
                {
                    // Unqualified (Formbricks: `ALTER TYPE "ConnectorType" RENAME TO
                    // "FeedbackSourceType"`), the server renames the type the path finds, which is
                    // expert_network's when the migrations made one of that name: `carried` counts
                    // the new name only then.
                    match l.items.as_slice() {
                        [Node {
                            node: Some(NodeEnum::String(s)),
                        }, Node {
                            node: Some(NodeEnum::String(from)),
                        }] if s.sval == SCHEMA => {
                            self.type_renames
                                .push((from.sval.clone(), r.newname.clone()));
                        }
                        [Node {
                            node: Some(NodeEnum::String(from)),
                        }] => {
                            self.type_renames
                                .push((from.sval.clone(), r.newname.clone()));
                        }
                        _ => {}
                    }
                }
                // `ALTER STATISTICS s RENAME TO t`, unqualified: the path finds expert_network's
                // only (`Walker::statistics_found_only_in_ours`), and the new name is counted only
                // where the old one is the migrations'.
                if r.rename_type == ObjectType::ObjectStatisticExt as i32 {
                    if let Some(NodeEnum::List(l)) = r.object.as_ref().and_then(|o| o.node.as_ref())
                    {
                        if let Some(from) = own_routine(&l.items) {
                            self.statistics_renames
                                .push((from.to_string(), r.newname.clone()));
                        }
                    }
                }
                let routine = ROUTINES.iter().any(|k| r.rename_type == *k as i32);
                if let (true, Some(NodeEnum::ObjectWithArgs(f))) =
                    (routine, r.object.as_ref().and_then(|o| o.node.as_ref()))
                {
                    if let Some(from) = own_routine(&f.objname) {
                        self.function_renames
                            .push((from.to_string(), r.newname.clone()));
                        self.routine_gone(from, None);
                        self.function_events
                            .push((r.newname.clone(), RoutineEvent::Made(None)));
                    }
                }
                if let Some(rv) = &r.relation {
                    let (from, to) = (rv.relname.clone(), r.newname.clone());
                    if r.rename_type == ObjectType::ObjectTabconstraint as i32 {
                        // `from` is the table here: the constraint is `subname`.
                        let table = match rv.schemaname.as_str() {
                            SCHEMA => Some(None),
                            "" => Some(Some(from)),
                            _ => None,
                        };
                        if let Some(table) = table {
                            self.apply(RelOp::ConstraintRenamed {
                                table,
                                from: r.subname.clone(),
                                to,
                            });
                        }
                    } else if r.subname.is_empty() && rv.schemaname == SCHEMA {
                        self.apply(RelOp::Renamed { from, to });
                    } else if r.subname.is_empty() && rv.schemaname.is_empty() {
                        self.apply(RelOp::RenamedOurs { from, to });
                    }
                }
            }
            NodeEnum::CreateFunctionStmt(f) => {
                self.named(&f.funcname, Which::Function, schema);
                self.body_creations(f, 0);
                self.body_acts(f);
                if let Some(body) = super::body::string_body(&f.options) {
                    if crate::files::lexer::mentions(body, "alter") {
                        self.altering_body_words.extend(
                            body.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                                .filter(|w| !w.is_empty())
                                .map(str::to_lowercase),
                        );
                    }
                }
                // Made in expert_network, qualified so or unqualified where the file's path puts
                // it first (`named` says where): `named` has just made the name, and this is its
                // signature.
                let made_here = match super::walk::name_parts(&f.funcname).as_deref() {
                    Some([s, name]) if s == SCHEMA => Some(name.clone()),
                    Some([name]) if schema == Some(SCHEMA) => Some(name.clone()),
                    _ => None,
                };
                if let (Some(name), Some(sig)) = (
                    made_here,
                    signature(&f.parameters, self.catalog_types_first),
                ) {
                    if let Some((n, RoutineEvent::Made(made))) = self.function_events.last_mut() {
                        if *n == name {
                            *made = Some(sig);
                        }
                    }
                }
                if let [Node {
                    node: Some(NodeEnum::String(s)),
                }, Node {
                    node: Some(NodeEnum::String(n)),
                }] = f.funcname.as_slice()
                {
                    if s.sval == "pg_temp" {
                        self.temp_functions.insert(n.sval.clone());
                    }
                }
                let sets_path = sets_search_path(&f.options);
                if let (true, Some(NodeEnum::String(name))) =
                    (sets_path, f.funcname.last().and_then(|n| n.node.as_ref()))
                {
                    self.pathed.insert(name.sval.clone());
                }
                self.invoker_made(f, sets_path);
                if super::body::security_definer(&f.options) {
                    if let [.., Node {
                        node: Some(NodeEnum::String(n)),
                    }] = f.funcname.as_slice()
                    {
                        self.definers.insert(n.sval.clone());
                        // `FROM CURRENT` is read as `''`: not known to search expert_network.
                        let current = super::policy::SearchPath::Custom(Vec::new());
                        if super::definer::path_searches_ours(&f.options, &current) {
                            self.definers_searching_ours.insert(n.sval.clone());
                        }
                    }
                }
            }
            NodeEnum::DefineStmt(d) => {
                let aggregate = d.kind == ObjectType::ObjectAggregate as i32;
                let which = if aggregate {
                    Which::Function
                } else {
                    Which::Type
                };
                // Unqualified, it lands where a table would (`schema`; the fence's `created_names`).
                self.named(&d.defnames, which, schema);
                if let (true, Some(name)) = (aggregate, own_routine(&d.defnames)) {
                    let calls = aggregate_calls(&d.definition);
                    self.add_invoker_calls(name.to_string(), calls);
                }
                if d.kind == ObjectType::ObjectOperator as i32 {
                    let calls =
                        definition_functions(&d.definition, super::resolve::DEFINED_FUNCTIONS);
                    if let Some(op) = own_routine(&d.defnames) {
                        self.operator_functions
                            .entry(op.to_string())
                            .or_default()
                            .extend(calls.iter().cloned());
                    }
                    self.implicit.extend(calls);
                }
            }
            // Unqualified, it lands where a table would, as `DefineStmt`'s objects do.
            NodeEnum::CreateStatsStmt(c) => self.named(&c.defnames, Which::Statistics, schema),
            NodeEnum::CreateOpClassStmt(c) => self.support_functions(&c.items),
            // A cast's function runs for every cast of a value of its type, a `::` or an
            // assignment, without a call naming it (`Walker::create_cast`).
            NodeEnum::CreateCastStmt(c) => {
                if let Some(name) = c.func.as_ref().and_then(|f| own_routine(&f.objname)) {
                    self.implicit.insert(name.to_string());
                }
            }
            NodeEnum::AlterOpFamilyStmt(a) if !a.is_drop => self.support_functions(&a.items),
            NodeEnum::CompositeTypeStmt(c) => {
                if let Some(rv) = &c.typevar {
                    if rv.schemaname == SCHEMA
                        || (rv.schemaname.is_empty() && schema == Some(SCHEMA))
                    {
                        self.types.insert(rv.relname.clone());
                    }
                }
            }
            NodeEnum::CreateEnumStmt(e) => self.named(&e.type_name, Which::Type, schema),
            NodeEnum::CreateRangeStmt(e) => {
                self.named(&e.type_name, Which::Type, schema);
                // Called for the type's values without a call naming them: a GiST index's upkeep
                // and ANALYZE's length histogram call SUBTYPE_DIFF, range input CANONICAL.
                self.implicit
                    .extend(definition_functions(&e.params, RANGE_FUNCTIONS));
            }
            NodeEnum::CreateDomainStmt(d) => {
                self.named(&d.domainname, Which::Type, schema);
                if let Some(name) = own_routine(&d.domainname) {
                    self.domains.insert(name.to_string());
                }
            }
            NodeEnum::CreateExtensionStmt(e) => {
                let named = e.options.iter().find_map(|o| match &o.node {
                    Some(NodeEnum::DefElem(d)) if d.defname == "schema" => {
                        match d.arg.as_deref().and_then(|a| a.node.as_ref()) {
                            Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
                            _ => Some(""),
                        }
                    }
                    _ => None,
                });
                // Without SCHEMA it lands in the path's first schema (the fence's rule). Only an
                // allowlisted one is ever made there: `CREATE EXTENSION IF NOT EXISTS plpgsql`, which
                // the fence accepts, leaves pg_catalog's where it is, whose comment is not ours.
                if named.or(creation) == Some(SCHEMA)
                    && super::known::extension(&e.extname).is_some()
                {
                    self.extensions.insert(e.extname.clone());
                    let versioned = e.options.iter().any(|o| {
                        matches!(&o.node, Some(NodeEnum::DefElem(d)) if d.defname == "new_version")
                    });
                    if versioned {
                        self.versioned_extensions.insert(e.extname.clone());
                    } else if !e.if_not_exists && self.nested == 0 {
                        self.sure_extensions.insert(e.extname.clone());
                    }
                }
            }
            // What a DO block creates exists afterwards as a top-level statement's would (Kong
            // wraps its DDL in DO blocks, and idempotent migrations their CREATE TYPE / TABLE).
            NodeEnum::DoStmt(d) => {
                let from = self.function_events.len();
                self.nested += 1;
                for sql in do_block_sql(&d.args) {
                    if let Ok(parsed) = super::parse::sql(&sql, 0) {
                        for raw in &parsed.stmts {
                            // A CREATE EXTENSION inside runs under the DO block's path, where the
                            // fence judged it (`ddl_checks::create_extension`): without SCHEMA it
                            // lands in that path's first schema, as a top-level one does (Airflow's
                            // pgcrypto, made in a DO block that falls back when it may not; corpus 164).
                            if let Some(n) = raw.stmt.as_deref().and_then(|n| n.node.as_ref()) {
                                self.statement(n, schema, creation);
                            }
                        }
                    }
                }
                self.nested -= 1;
                let to = self.function_events.len();
                if self.nested == 0 {
                    self.nested_events.extend(from..to);
                }
            }
            NodeEnum::DropStmt(d) if ROUTINES.iter().any(|k| d.remove_type == *k as i32) => {
                // `DROP FUNCTION f(types)` drops the function of those input types only (the
                // server's objargs leave OUT parameters out); `DROP FUNCTION f`, the only one.
                let function = d.remove_type == ObjectType::ObjectFunction as i32;
                for o in &d.objects {
                    if let Some(NodeEnum::ObjectWithArgs(f)) = &o.node {
                        if let Some(name) = own_routine(&f.objname) {
                            if function && f.args_unspecified {
                                self.function_events
                                    .push((name.to_string(), RoutineEvent::GoneOnly));
                                continue;
                            }
                            let types = function.then(|| {
                                f.objargs
                                    .iter()
                                    .map(|a| match &a.node {
                                        Some(NodeEnum::TypeName(t)) => signature_type(t),
                                        _ => None,
                                    })
                                    .collect()
                            });
                            self.routine_gone(name, types);
                        }
                    }
                }
            }
            // `ALTER FUNCTION expert_network.f(...) SET SCHEMA other`: the name is free here again.
            NodeEnum::AlterObjectSchemaStmt(a)
                if ROUTINES.iter().any(|k| a.object_type == *k as i32) && a.newschema != SCHEMA =>
            {
                if let Some(NodeEnum::ObjectWithArgs(f)) =
                    a.object.as_ref().and_then(|o| o.node.as_ref())
                {
                    if let Some(name) = own_routine(&f.objname) {
                        self.routine_gone(name, None);
                    }
                }
            }
            NodeEnum::CreateTrigStmt(t) => {
                self.trigger_made(t);
                for tr in &t.transition_rels {
                    if let Some(NodeEnum::TriggerTransition(tt)) = &tr.node {
                        self.transition.insert(tt.name.clone());
                    }
                }
            }
            _ => {}
        }
    }
}

impl Model {
    /// The events `trigger_holders` reads: the statements' in order, then the bodies' (see
    /// `body_privileges`).
    fn privilege_events(&self) -> impl Iterator<Item = &super::trigger_holders::Event> + Clone {
        self.trigger_privileges.iter().chain(&self.body_privileges)
    }

    /// A trigger on expert_network's relation: its function runs on the writes it fires on (see
    /// `trigger_functions`, `inline_write_functions`).
    fn trigger_made(&mut self, t: &pg_query::protobuf::CreateTrigStmt) {
        let on_ours = t
            .relation
            .as_ref()
            .filter(|r| r.schemaname == SCHEMA || r.schemaname.is_empty());
        let Some((r, f)) = on_ours.zip(super::walk::name_parts(&t.funcname)) else {
            return;
        };
        let (Some(name), 1..=2) = (f.last(), f.len()) else {
            return;
        };
        self.trigger_functions
            .entry(r.relname.clone())
            .or_default()
            .insert(name.clone());
        // TRIGGER_TYPE_BEFORE
        if t.timing & 2 != 0 {
            self.before_trigger_functions
                .entry(r.relname.clone())
                .or_default()
                .insert(name.clone());
            let columns: Vec<String> = t
                .columns
                .iter()
                .filter_map(|c| match &c.node {
                    Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                    _ => None,
                })
                .collect();
            // TRIGGER_TYPE_UPDATE of a column list: fired only where the UPDATE sets one of them
            // (`column_triggers_fired`).
            let by_column = !columns.is_empty() && columns.len() == t.columns.len();
            if t.events & 16 != 0 && by_column {
                self.ri_column_update_functions
                    .entry(r.relname.clone())
                    .or_default()
                    .push((name.clone(), columns));
            }
            // TRIGGER_TYPE_UPDATE, TRIGGER_TYPE_DELETE
            for (bit, map) in [
                (16, &mut self.ri_before_update_functions),
                (8, &mut self.ri_before_delete_functions),
            ] {
                if bit == 16 && by_column {
                    continue;
                }
                if t.events & bit != 0 {
                    map.entry(r.relname.clone())
                        .or_default()
                        .insert(name.clone());
                }
            }
        }
    }

    /// What an invoker routine of `f`'s name runs when it is called: what its string body calls,
    /// writes and reads (`invoker_calls`), and whether it looks up its unqualified functions in
    /// expert_network (its own path searches it, or it has none and takes its caller's). Only ever
    /// added to, so a name made twice carries both bodies' reach: a top-level statement's, and a
    /// function's body's `CREATE OR REPLACE` that may run after it (`body_sql`).
    /// Records whether `f`'s body acts and what it calls (`acting_bodies`, `body_callees`), read
    /// from its tokens: a word of an acting statement anywhere (`FOR UPDATE` too) counts, as the
    /// scan does not tell a statement from a clause.
    fn body_acts(&mut self, f: &pg_query::protobuf::CreateFunctionStmt) {
        use pg_query::protobuf::Token as T;
        let Some(name) = f.funcname.last().and_then(|n| match &n.node {
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        }) else {
            return;
        };
        let scanned = super::body::string_body(&f.options).and_then(|b| pg_query::scan(b).ok());
        let Some(scanned) = scanned else {
            self.acting_bodies.insert(name);
            return;
        };
        const ACTS: &[T] = &[
            T::Insert,
            T::Update,
            T::DeleteP,
            T::Merge,
            T::Truncate,
            T::Execute,
            T::Call,
            T::Copy,
            T::Create,
            T::Alter,
            T::Drop,
            T::Grant,
            T::Revoke,
            T::Comment,
            T::Security,
            T::Reindex,
            T::Cluster,
            T::Vacuum,
            T::Analyze,
            T::Refresh,
            T::LockP,
            T::Notify,
            T::Do,
        ];
        let tokens = &scanned.tokens;
        if tokens
            .iter()
            .any(|t| ACTS.iter().any(|a| t.token == *a as i32))
        {
            self.acting_bodies.insert(name.clone());
        }
        let body = super::body::string_body(&f.options).unwrap_or_default();
        let text = |t: &pg_query::protobuf::ScanToken| {
            body.get(t.start as usize..t.end as usize)
                .unwrap_or_default()
        };
        // A quoted name keeps its case; an unquoted one is folded, as the server folds it.
        let folded = |w: &str| match w.strip_prefix('"').and_then(|w| w.strip_suffix('"')) {
            Some(q) => q.replace("\"\"", "\""),
            None => w.to_lowercase(),
        };
        let callees = self.body_callees.entry(name).or_default();
        for pair in tokens.windows(2) {
            if pair[1].token == T::Ascii40 as i32 {
                callees.insert(folded(text(&pair[0])));
            }
        }
    }

    /// Whether a call of the migrations' function `name` may run a body that acts (`body_acts`),
    /// itself or through the migrations' functions it calls, at any depth: what the fence lets such
    /// a body do rests on the database-side check that follows each migration.
    pub fn acting(&self, name: &str) -> bool {
        let mut seen = HashSet::new();
        let mut todo = vec![name.to_string()];
        while let Some(n) = todo.pop() {
            if !seen.insert(n.clone()) || !self.makes_function(&n) {
                continue;
            }
            if self.carries(&self.acting_bodies, &n) {
                return true;
            }
            todo.extend(self.body_callees.get(&n).into_iter().flatten().cloned());
        }
        false
    }

    fn invoker_made(&mut self, f: &pg_query::protobuf::CreateFunctionStmt, sets_path: bool) {
        let string_body = f
            .options
            .iter()
            .any(|o| matches!(&o.node, Some(NodeEnum::DefElem(d)) if d.defname == "as"));
        if let (true, false, Some(NodeEnum::String(n))) = (
            string_body,
            super::body::security_definer(&f.options),
            f.funcname.last().and_then(|n| n.node.as_ref()),
        ) {
            // Only an SQL body's `$n` is surely the parameter (PL/pgSQL may DECLARE "$1").
            let positional = if super::body::language_is(&f.options, "sql") {
                super::arg_types::positional_types(f, self)
            } else {
                Vec::new()
            };
            // A cast's unqualified type is pg_catalog's only where the body's own path looks there
            // first (`invoker_calls::cast_type`). Types are looked up as relations are, pg_temp
            // first unless listed: the session's role may make a temporary type of the name.
            let catalog_first =
                super::body::function_path(&f.options, &super::policy::SearchPath::Pinned)
                    .is_some_and(|p| p.relations().first() == Some(&"pg_catalog"));
            let mut calls = super::body::string_body(&f.options).map_or_else(
                || super::invoker_calls::Calls {
                    overloadable: true,
                    ..Default::default()
                },
                |b| super::invoker_calls::of_sql_body(b, &positional, catalog_first),
            );
            calls.unvalidated = self.file_unchecked || self.in_body;
            self.add_invoker_calls(n.sval.clone(), calls);
            // `FROM CURRENT` takes the pinned path, which searches expert_network.
            let current = super::policy::SearchPath::Pinned;
            // A PL/pgSQL body that looks no name up cannot be changed by the path it runs under.
            let inert = super::body::language_is(&f.options, "plpgsql")
                && super::body::string_body(&f.options)
                    .is_some_and(super::invoker_calls::looks_up_nothing);
            if !sets_path && !inert {
                self.invokers_unpathed.insert(n.sval.clone());
            } else if super::definer::path_searches_ours(&f.options, &current) {
                self.invokers_searching_ours.insert(n.sval.clone());
            }
        }
    }

    /// What a function's string body creates when it runs: the migration may call it (a setup
    /// function called once), and so may any role it grants EXECUTE to, the application's by
    /// default. An index, a trigger, a foreign key or a rule made there runs its calls on the
    /// relation's writes as one made by a top-level statement does (PG 15: the index a called
    /// PL/pgSQL body made on a table with an ON UPDATE CASCADE foreign key computed its function as
    /// the table's owner in the application's session, and that function's `lower()` found the
    /// application's own `expert_network.lower(text)`; corpus 88). Only what a write then runs is
    /// recorded, never what the body makes (a relation, a function, a type): the body may never
    /// run, and a name counted as expert_network's would let the fence accept more.
    fn body_creations(&mut self, f: &pg_query::protobuf::CreateFunctionStmt, depth: usize) {
        let Some(body) = super::body::string_body(&f.options).filter(|b| may_make(b)) else {
            return;
        };
        let language = f.options.iter().find_map(|o| match &o.node {
            Some(NodeEnum::DefElem(d)) if d.defname == "language" => {
                match d.arg.as_deref().and_then(|a| a.node.as_ref()) {
                    Some(NodeEnum::String(s)) => Some(s.sval.to_lowercase()),
                    _ => None,
                }
            }
            _ => None,
        });
        let sqls = match language.as_deref().unwrap_or("sql") {
            "plpgsql" => plpgsql_sql(body, Some(f)),
            "sql" => vec![body.to_string()],
            _ => Vec::new(),
        };
        let was = std::mem::replace(&mut self.in_body, true);
        for sql in sqls {
            self.body_sql(&sql, depth);
        }
        self.in_body = was;
    }

    /// The statements of `sql`, run by a body, for what their relations' writes run (see
    /// `body_creations`). `depth`: how many bodies deep (a body creating a function, or running a
    /// DO block, whose body creates in turn), bounded as `invoker_calls` bounds its reading.
    fn body_sql(&mut self, sql: &str, depth: usize) {
        const DEPTH: usize = 8;
        if depth >= DEPTH || !may_make(sql) {
            return;
        }
        let Ok(parsed) = super::parse::sql(sql, 0) else {
            return;
        };
        for raw in &parsed.stmts {
            let Some(n) = raw.stmt.as_deref().and_then(|n| n.node.as_ref()) else {
                continue;
            };
            self.stored_expressions(n);
            // Only what gives a role more: a REVOKE, or an owner change back to the runner, may run
            // before the body does.
            let mut events = Vec::new();
            match n {
                NodeEnum::GrantStmt(g) if g.is_grant => {
                    super::trigger_holders::grant_events(g, false, &mut events)
                }
                NodeEnum::AlterTableStmt(a) => super::trigger_holders::owner_events(a, &mut events),
                // Default privileges a body sets reach the tables made after it runs, which may be
                // any: counted as granted on every table.
                NodeEnum::AlterDefaultPrivilegesStmt(a) => {
                    if let (Some(g), true) = (
                        a.action.as_ref().filter(|g| g.is_grant),
                        super::trigger_holders::defaults_reach_ours(&a.options),
                    ) {
                        let mut defaults = Vec::new();
                        super::trigger_holders::grant_events(g, true, &mut defaults);
                        events.extend(defaults.into_iter().map(|e| match e {
                            super::trigger_holders::Event::Defaults { grant, role } => {
                                super::trigger_holders::Event::Every { grant, role }
                            }
                            e => e,
                        }));
                    }
                }
                // Routines, types, domains and the schema given to another role, and a routine's
                // new path that searches expert_network (only ever added).
                NodeEnum::AlterOwnerStmt(_) | NodeEnum::AlterFunctionStmt(_) => {
                    self.statement(n, None, None)
                }
                _ => {}
            }
            use super::trigger_holders::Event;
            let counted: Vec<Event> = events
                .into_iter()
                .filter(|e| {
                    e.gives_a_table_away()
                        || matches!(
                            e,
                            Event::One { grant: true, .. } | Event::Every { grant: true, .. }
                        )
                })
                .collect();
            self.tables_given_away |= counted.iter().any(Event::gives_a_table_away);
            self.body_privileges.extend(counted);
            match n {
                NodeEnum::CreateTrigStmt(t) => self.trigger_made(t),
                NodeEnum::CreateFunctionStmt(f) => {
                    // A body's `CREATE OR REPLACE` of a routine the migrations made gives it a new
                    // body and options when it runs, for every caller and every index or key that
                    // runs it from then on (PG 15: an index's function, replaced by a called body
                    // with one without a path, computed its `lower()` as the table's owner in the
                    // application's session, finding the application's own; corpus 130). Its reach
                    // counts beside the old one's; its name, never as made (see `body_creations`).
                    self.invoker_made(f, sets_search_path(&f.options));
                    if let (true, Some(name)) = (
                        super::body::security_definer(&f.options),
                        own_routine(&f.funcname),
                    ) {
                        self.body_definers.insert(name.to_string());
                    }
                    self.body_creations(f, depth + 1)
                }
                NodeEnum::DoStmt(d) => {
                    for sql in do_block_sql(&d.args) {
                        self.body_sql(&sql, depth + 1);
                    }
                }
                // An aggregate's replaced support functions run for its callers as its first ones did.
                NodeEnum::DefineStmt(d) if d.kind == ObjectType::ObjectAggregate as i32 => {
                    if let Some(name) = own_routine(&d.defnames) {
                        let calls = aggregate_calls(&d.definition);
                        self.add_invoker_calls(name.to_string(), calls);
                    }
                }
                // A view's new query, or an ON SELECT rule turning a table into a view, is what a
                // later write or row lock through the name reaches (PG 15: a called body's CREATE
                // OR REPLACE VIEW over pg_language, or its `_RETURN` rule over pg_class, and the
                // migration's UPDATE of the name wrote the catalog; corpus 132).
                NodeEnum::ViewStmt(v) => {
                    if let (Some(rv), Some(q)) = (&v.view, v.query.as_deref()) {
                        self.view_of_ours(rv, q);
                    }
                }
                NodeEnum::RuleStmt(r)
                    if r.event == pg_query::protobuf::CmdType::CmdSelect as i32 =>
                {
                    if let (Some(rv), Some(q)) = (&r.relation, r.actions.first()) {
                        self.view_of_ours(rv, q);
                    }
                }
                // A relation renamed to a name the migrations made: later statements naming it reach
                // the renamed one (PG 15: a body renamed a table away and a view over pg_language to
                // the table's name, and the migration's UPDATE of the name wrote the catalog).
                NodeEnum::RenameStmt(r) if ROUTINES.iter().any(|k| r.rename_type == *k as i32) => {
                    if let Some(NodeEnum::ObjectWithArgs(f)) =
                        r.object.as_ref().and_then(|o| o.node.as_ref())
                    {
                        if let Some(from) = own_routine(&f.objname) {
                            self.body_function_renames
                                .push((from.to_string(), r.newname.clone()));
                        }
                    }
                }
                NodeEnum::RenameStmt(r) if r.subname.is_empty() => {
                    if let Some(rv) = r.relation.as_ref().filter(|rv| {
                        (rv.schemaname == SCHEMA || rv.schemaname.is_empty())
                            && RELATION_KINDS.iter().any(|k| r.rename_type == *k as i32)
                    }) {
                        self.body_relations
                            .push((r.newname.clone(), BodyRel::RenamedFrom(rv.relname.clone())));
                    }
                    if let Some(rv) = r.relation.as_ref().filter(|rv| {
                        (rv.schemaname == SCHEMA || rv.schemaname.is_empty())
                            && r.rename_type == ObjectType::ObjectIndex as i32
                    }) {
                        self.body_index_renames
                            .push((rv.relname.clone(), r.newname.clone()));
                    }
                }
                _ => {}
            }
        }
    }

    /// `rv` (expert_network's, or unqualified: the caller's path may find expert_network's) may be
    /// a view of `query` from when a body runs (`body_relations`).
    fn view_of_ours(&mut self, rv: &RangeVar, query: &Node) {
        if rv.schemaname == SCHEMA || rv.schemaname.is_empty() {
            self.body_relations
                .push((rv.relname.clone(), BodyRel::View(view_of(query))));
        }
    }

    /// What function bodies do to relations (`body_relations`), given to the names the migrations
    /// make, whenever they make them: a body runs whenever it is called, before or after any
    /// statement that follows its CREATE, so each counts for the name at every point, and so do the
    /// top-level renames, run again after it (a view a body repoints, then renamed by a statement,
    /// reads the body's query under its new name). Only ever adds, up to a fixed point; never makes
    /// a name.
    fn settle(&mut self) {
        self.settle_routines();
        if self.body_relations.is_empty() {
            return;
        }
        let renames: Vec<(String, String)> = self
            .ops
            .iter()
            .filter_map(|op| match op {
                RelOp::Renamed { from, to } | RelOp::RenamedOurs { from, to } => {
                    Some((from.clone(), to.clone()))
                }
                _ => None,
            })
            .collect();
        loop {
            let mut gains: Vec<(String, Vec<Rel>)> = Vec::new();
            for (name, op) in &self.body_relations {
                let kinds = match op {
                    BodyRel::View(kind) => vec![kind.clone()],
                    BodyRel::RenamedFrom(from) => {
                        self.relations.get(from).cloned().unwrap_or_default()
                    }
                };
                gains.push((name.clone(), kinds));
            }
            for (from, to) in &renames {
                gains.push((
                    to.clone(),
                    self.relations.get(from).cloned().unwrap_or_default(),
                ));
            }
            let mut changed = false;
            for (name, kinds) in gains {
                if let Some(v) = self.relations.get_mut(&name) {
                    for k in kinds {
                        if !v.contains(&k) {
                            v.push(k);
                            changed = true;
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }
}

impl Model {
    /// A routine a body renames gives its new name what can only refuse more: a body that looks up
    /// its functions in expert_network, its calls, writes and reads, a definer's rules for a later
    /// ALTER FUNCTION, a routine given to another role (PG 15: a body renamed a pathed invoker away
    /// and one without a path to its name, and a definer's call of the name ran the latter's
    /// `lower()` from the application's role as the superuser; corpus 133). To a fixed point, the
    /// renames of renamed names included, whenever the body runs.
    fn settle_routines(&mut self) {
        let renames = std::mem::take(&mut self.body_function_renames);
        let mut rounds = 0;
        loop {
            let mut changed = false;
            for (from, to) in &renames {
                if self.invoker_finds_ours(from, false) && !self.invoker_finds_ours(to, false) {
                    self.invokers_unpathed.insert(to.clone());
                    changed = true;
                }
                if self.invoker_finds_ours(from, true) && !self.invoker_finds_ours(to, true) {
                    self.invokers_searching_ours.insert(to.clone());
                    changed = true;
                }
                if self.may_be_definer(from) && !self.may_be_definer(to) {
                    self.body_definers.insert(to.clone());
                    changed = true;
                }
                if self.given_away(from) && !self.given_away(to) {
                    self.given_away.insert(to.clone());
                    changed = true;
                }
                let calls: Vec<super::invoker_calls::Calls> = origins(&self.function_renames, from)
                    .into_iter()
                    .filter_map(|n| self.invoker_calls.get(n).cloned())
                    .collect();
                for c in calls {
                    self.add_invoker_calls(to.clone(), c);
                }
            }
            rounds += 1;
            // Calls only ever grow and are unioned: as many rounds as renames carry them all along.
            if !changed && rounds > renames.len() {
                break;
            }
        }
        self.body_function_renames = renames;
    }
}

/// What a function's body does to a relation of the migrations (see `Model::settle`).
#[derive(Debug, Clone)]
enum BodyRel {
    /// `CREATE OR REPLACE VIEW`, or an ON SELECT rule turning a table into a view: the name may be a
    /// view of this query.
    View(Rel),
    /// `ALTER ... RENAME TO` the name: it may hold whatever this one held.
    RenamedFrom(String),
}

impl Decoded {
    /// Keeps `tree` (`size` bytes encoded) for the fence, unless that would pass `KEEP_DECODED`.
    fn keep(&mut self, sql: &str, tree: &Arc<ParseResult>, size: usize) {
        if self.kept + size > KEEP_DECODED {
            return;
        }
        // The other thread may have kept the same statement's tree meanwhile: counted once.
        if let Some((_, before)) = self.trees.insert(sql.into(), (tree.clone(), size)) {
            self.kept -= before;
        }
        self.kept += size;
    }

    fn take(&mut self, sql: &str) -> Option<Arc<ParseResult>> {
        let (tree, size) = self.trees.remove(sql)?;
        self.kept -= size;
        Some(tree)
    }
}

#[derive(Clone, Copy)]
enum Which {
    Function,
    Type,
    Statistics,
}

/// The kinds of relation a RENAME may name: what a write or a lock through the new name reaches.
const RELATION_KINDS: [ObjectType; 5] = [
    ObjectType::ObjectTable,
    ObjectType::ObjectView,
    ObjectType::ObjectMatview,
    ObjectType::ObjectForeignTable,
    ObjectType::ObjectSequence,
];

/// A view of `query`: the one relation a write through it reaches (`single_base`), the relations
/// its FROM reads (`from_relations`) and those it names anywhere (`named_relations`).
fn view_of(query: &Node) -> Rel {
    let mut from = Vec::new();
    from_relations(query, &mut Vec::new(), &mut from);
    Rel::View(single_base(query), from, named_relations(query))
}

/// The one relation an auto-updatable view writes to: a SELECT over exactly one FROM item that is a
/// plain relation, with no WITH, set operation, DISTINCT, GROUP BY, HAVING, LIMIT or OFFSET.
fn single_base(query: &Node) -> Option<(String, String)> {
    let Some(NodeEnum::SelectStmt(s)) = &query.node else {
        return None;
    };
    if s.with_clause.is_some() {
        return None;
    }
    let [from] = s.from_clause.as_slice() else {
        return None;
    };
    // A join, subquery or function in FROM is not auto-updatable: a write through the view needs an
    // INSTEAD OF trigger or a rule, and those are fenced where they are created.
    match &from.node {
        Some(NodeEnum::RangeVar(rv)) => Some((rv.schemaname.clone(), rv.relname.clone())),
        _ => None,
    }
}

/// The relations a query's FROM reads, through joins, subqueries and set operations, leaving out the
/// references to its CTEs (`ctes`, in scope): the rows a locking clause on a view of it locks. Pushes
/// onto `out`.
fn from_relations(query: &Node, ctes: &mut Vec<String>, out: &mut Vec<(String, String)>) {
    match &query.node {
        Some(NodeEnum::SelectStmt(s)) => select_from(s, ctes, out),
        Some(NodeEnum::RangeVar(rv)) => {
            let cte = rv.schemaname.is_empty() && ctes.contains(&rv.relname);
            if !cte {
                out.push((rv.schemaname.clone(), rv.relname.clone()));
            }
        }
        Some(NodeEnum::JoinExpr(j)) => {
            for side in [&j.larg, &j.rarg].into_iter().flatten() {
                from_relations(side, ctes, out);
            }
        }
        Some(NodeEnum::RangeSubselect(r)) => {
            if let Some(q) = &r.subquery {
                from_relations(q, ctes, out);
            }
        }
        _ => {}
    }
}

/// Every relation a query names, at any depth (CTE references included: a name a CTE takes is kept
/// too, which only makes a LOCK of the view stricter).
fn named_relations(query: &Node) -> Vec<(String, String)> {
    fn visit(r: super::nodes::Ref<'_>, out: &mut Vec<(String, String)>) {
        if let super::nodes::Ref::RangeVar(rv) = r {
            out.push((rv.schemaname.clone(), rv.relname.clone()));
        }
        r.children(&mut |c| visit(c, out));
    }
    let mut out = Vec::new();
    if let Some(n) = &query.node {
        visit(super::nodes::Ref::of(n), &mut out);
    }
    out
}

fn select_from(s: &SelectStmt, ctes: &mut Vec<String>, out: &mut Vec<(String, String)>) {
    let mark = ctes.len();
    if let Some(w) = &s.with_clause {
        ctes.extend(w.ctes.iter().filter_map(|c| match &c.node {
            Some(NodeEnum::CommonTableExpr(c)) => Some(c.ctename.clone()),
            _ => None,
        }));
    }
    for f in &s.from_clause {
        from_relations(f, ctes, out);
    }
    for side in [&s.larg, &s.rarg].into_iter().flatten() {
        select_from(side, ctes, out);
    }
    ctes.truncate(mark);
}

/// The SQL statements a PL/pgSQL DO block runs as written, in order (a constant EXECUTE string's
/// too, not a computed one's, nor the bodies of functions it creates, which run later); none for a body that cannot be parsed or is in
/// another language (the fence refuses those).
fn do_block_sql(args: &[Node]) -> Vec<String> {
    let mut body = None;
    for a in args {
        let Some(NodeEnum::DefElem(d)) = &a.node else {
            continue;
        };
        let arg = d.arg.as_deref().and_then(|n| n.node.as_ref());
        match (d.defname.as_str(), arg) {
            ("as", Some(NodeEnum::String(s))) => body = Some(s.sval.as_str()),
            ("language", Some(NodeEnum::String(s))) if !s.sval.eq_ignore_ascii_case("plpgsql") => {
                return Vec::new()
            }
            _ => {}
        }
    }
    match body {
        Some(body) => plpgsql_sql(body, None),
        None => Vec::new(),
    }
}

/// Whether a routine's options hold its own `SET search_path`.
fn sets_search_path(options: &[Node]) -> bool {
    options.iter().any(|o| match &o.node {
        Some(NodeEnum::DefElem(d)) if d.defname == "set" => matches!(
            d.arg.as_deref().and_then(|a| a.node.as_ref()),
            Some(NodeEnum::VariableSetStmt(v)) if v.name.eq_ignore_ascii_case("search_path")
        ),
        _ => false,
    })
}

/// The SQL statements a PL/pgSQL body runs as written, in order (see `do_block_sql`).
///
/// `function`: the CREATE FUNCTION whose body this is (None: a DO block's). PL/pgSQL compiles a body
/// against its function's header: `RETURN expr` is an error in a function returning void, `RETURN
/// NEXT` and `RETURN QUERY` outside one returning a set, an assignment to a parameter or to NEW's
/// field where no such variable is declared. So the body is read under its own header first (its
/// parameters and result, see `own_header`), then as a trigger's or a DO block's: a trigger
/// function's or a `RETURNS int` function's `CREATE INDEX` had been read under `RETURNS void`
/// alone, failed to compile there, and counted as making nothing (corpus 92).
fn plpgsql_sql(
    body: &str,
    function: Option<&pg_query::protobuf::CreateFunctionStmt>,
) -> Vec<String> {
    let mut tag = "$enm$".to_string();
    while body.contains(&tag) {
        tag.insert(1, 'x');
    }
    let void = |b: &str| {
        format!("CREATE FUNCTION en_migrate_model() RETURNS void LANGUAGE plpgsql AS {tag}{b}{tag}")
    };
    // What PL/pgSQL gives a trigger function (libpg_query cannot compile `RETURNS trigger`,
    // libpg_query#337), as the fence's own walk reads one (`body::Wrap::Trigger`).
    let trigger = |b: &str| {
        format!(
            "CREATE FUNCTION en_migrate_model(\"new\" record, \"old\" record) RETURNS record \
             LANGUAGE plpgsql AS {tag}{b}{tag}"
        )
    };
    let own = |b: &str| function.and_then(|f| own_header(f, b)).unwrap_or_default();
    let heads: Vec<&dyn Fn(&str) -> String> = match function {
        None => vec![&void],
        Some(f) if super::body::returns_trigger(f) => vec![&trigger, &void],
        Some(_) => vec![&own, &void, &trigger],
    };
    // libpg_query cannot resolve a variable of an expert_network type: read again with a stand-in,
    // as the fence does (`declared::neutralise_types`); the statements are the same.
    let bodies = [
        body.to_string(),
        super::declared::neutralise_types(body, "record", true, &|_| false),
        super::declared::neutralise_types(body, "text", true, &|_| false),
    ];
    let tree = heads.iter().find_map(|head| {
        bodies.iter().find_map(|b| {
            let sql = head(b);
            (!sql.is_empty())
                .then(|| super::parse::plpgsql_json(&sql).ok())
                .flatten()
        })
    });
    let Some(tree) = tree else {
        return Vec::new();
    };
    // Depth first, in the order written, without recursion: a body may nest deeper than a stack.
    let mut out = Vec::new();
    let mut todo = vec![&tree];
    while let Some(v) = todo.pop() {
        match v {
            serde_json::Value::Object(map) => {
                // PL/pgSQL reads a nested DO (and CALL) as a statement of its own.
                let sql = match (
                    map.get("PLpgSQL_stmt_execsql"),
                    map.get("PLpgSQL_stmt_call"),
                ) {
                    (Some(e), _) => e.pointer("/sqlstmt/PLpgSQL_expr/query"),
                    (_, Some(c)) => c.pointer("/expr/PLpgSQL_expr/query"),
                    _ => None,
                };
                if let Some(q) = sql.and_then(|q| q.as_str()) {
                    out.push(q.to_string());
                }
                // A constant EXECUTE string runs as written, and the fence walks it so
                // (`plpgsql_walk::dynamic`): linkwarden's `EXECUTE 'CREATE TYPE "Theme" AS ENUM
                // (...)'` inside an IF NOT EXISTS makes the type later columns name.
                let constant = map
                    .get("PLpgSQL_stmt_dynexecute")
                    .and_then(|d| d.pointer("/query/PLpgSQL_expr/query"))
                    .and_then(|q| q.as_str())
                    .and_then(|q| {
                        super::plpgsql_walk::sole_expression(q, |e| {
                            super::walk::const_str(e).map(str::to_string)
                        })
                    });
                if let Some(q) = constant {
                    out.push(q);
                }
                todo.extend(map.values().rev());
            }
            serde_json::Value::Array(list) => todo.extend(list.iter().rev()),
            _ => {}
        }
    }
    out
}

/// `f`'s parameters and result around `body`, as a CREATE FUNCTION libpg_query can compile (see
/// `plpgsql_sql`): named `en_migrate_model`, and a type it cannot resolve (outside pg_catalog, or a
/// `%TYPE`) read as `text` for a parameter and `record` for the result; only the body's statements
/// are taken from it. None where libpg_query cannot deparse it.
fn own_header(f: &pg_query::protobuf::CreateFunctionStmt, body: &str) -> Option<String> {
    use pg_query::protobuf::TypeName;
    let builtin = |t: &TypeName| {
        !t.pct_type
            && match super::walk::name_parts(&t.names).as_deref() {
                Some([_]) => true,
                Some([schema, _]) => schema == "pg_catalog",
                _ => false,
            }
    };
    let standin = |t: &TypeName, name: &str, keep_array: bool| TypeName {
        names: vec![Node {
            node: Some(NodeEnum::String(pg_query::protobuf::String {
                sval: name.to_string(),
            })),
        }],
        setof: t.setof,
        array_bounds: if keep_array {
            t.array_bounds.clone()
        } else {
            Vec::new()
        },
        location: t.location,
        ..Default::default()
    };
    let mut parsed = pg_query::parse(
        "CREATE FUNCTION en_migrate_model() RETURNS void LANGUAGE plpgsql AS 'x'",
        0,
    )
    .ok()?
    .protobuf;
    let stmt = parsed.stmts.first_mut()?.stmt.as_mut()?;
    let Some(NodeEnum::CreateFunctionStmt(made)) = stmt.node.as_mut() else {
        return None;
    };
    made.parameters = f.parameters.clone();
    for p in &mut made.parameters {
        if let Some(NodeEnum::FunctionParameter(fp)) = p.node.as_mut() {
            if let Some(t) = fp.arg_type.as_mut().filter(|t| !builtin(t)) {
                *t = standin(t, "text", true);
            }
            // A default is no part of what the body compiles against; nor is VARIADIC, which
            // libpg_query cannot compile ("VARIADIC parameter must be an array", as the fence's
            // walk finds, `declared::drop_variadic`): the body sees the same array either way.
            fp.defexpr = None;
            if fp.mode == pg_query::protobuf::FunctionParameterMode::FuncParamVariadic as i32 {
                fp.mode = pg_query::protobuf::FunctionParameterMode::FuncParamIn as i32;
            }
        }
    }
    made.return_type = f.return_type.clone();
    if let Some(t) = made.return_type.as_mut().filter(|t| !builtin(t)) {
        *t = standin(t, "record", false);
    }
    if f.is_procedure {
        made.is_procedure = true;
        made.return_type = None;
    }
    for o in &mut made.options {
        if let Some(NodeEnum::DefElem(d)) = o.node.as_mut() {
            if d.defname == "as" {
                d.arg = Some(Box::new(Node {
                    node: Some(NodeEnum::List(pg_query::protobuf::List {
                        items: vec![Node {
                            node: Some(NodeEnum::String(pg_query::protobuf::String {
                                sval: body.to_string(),
                            })),
                        }],
                    })),
                }));
            }
        }
    }
    pg_query::deparse(&parsed, Default::default()).ok()
}

/// Statement kinds that can create (or drop) something the model records, or change who may add
/// triggers to its tables (GRANT, REVOKE); the rest (a seed's INSERTs, UPDATEs, COMMENTs) are never
/// parsed here.
fn may_create(sql: &str) -> bool {
    let kw = super::leading_keyword(sql);
    kw.eq_ignore_ascii_case("create")
        || kw.eq_ignore_ascii_case("alter")
        || kw.eq_ignore_ascii_case("do")
        || kw.eq_ignore_ascii_case("grant")
        || kw.eq_ignore_ascii_case("revoke")
        || (kw.eq_ignore_ascii_case("select") && contains_into(sql))
        || drops_routine(sql)
}

/// The names `map` holds under `key`, sorted (for a stable order of refusals).
fn sorted_names(map: &HashMap<String, HashSet<String>>, key: &str) -> Vec<String> {
    let mut out: Vec<String> = map.get(key).into_iter().flatten().cloned().collect();
    out.sort();
    out
}

/// Whether a body's text (a SQL body is one text of several statements) may hold what
/// `Model::body_sql` records: a CREATE, an ALTER or a GRANT, a DO block's among them.
fn may_make(text: &str) -> bool {
    ["create", "alter", "grant"]
        .into_iter()
        .any(|w| crate::files::lexer::mentions(text, w))
}

/// `DROP FUNCTION / PROCEDURE / ROUTINE / AGGREGATE ...`, after any leading comments: the model
/// records what the migrations leave (`function_events`).
fn drops_routine(sql: &str) -> bool {
    let rest = &sql[super::statement_start(sql)..];
    let mut words = rest.split_ascii_whitespace();
    words.next().is_some_and(|w| w.eq_ignore_ascii_case("drop"))
        && words.next().is_some_and(|w| {
            ["function", "procedure", "routine", "aggregate"]
                .iter()
                .any(|k| w.eq_ignore_ascii_case(k))
        })
}

/// A statement that may make an extension where its path creates: `CREATE EXTENSION ...`, or a DO
/// block whose text says EXTENSION (its statements run under the block's path).
fn may_create_extension(sql: &str) -> bool {
    if is_create_extension(sql) {
        return true;
    }
    let rest = &sql[super::statement_start(sql)..];
    // `DO $$`, `DO$$` and `DO LANGUAGE plpgsql $$` alike.
    let first = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    rest[..first].eq_ignore_ascii_case("do") && crate::files::lexer::mentions(rest, "extension")
}

/// `CREATE EXTENSION ...`, after any leading comments.
fn is_create_extension(sql: &str) -> bool {
    let rest = &sql[super::statement_start(sql)..];
    let mut words = rest.split_ascii_whitespace();
    words
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("create"))
        && words
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("extension"))
}

fn contains_into(sql: &str) -> bool {
    crate::files::lexer::mentions(sql, "into")
}

/// Whether `name` is in `set`, or was renamed (`renames`: old name, new name) from a name that is,
/// however many renames ago: whatever order the files holding them were read in.
fn carried(set: &HashSet<String>, renames: &[(String, String)], name: &str) -> bool {
    origins(renames, name).into_iter().any(|n| set.contains(n))
}

/// `name` and every name it was renamed from (`renames`: old name, new name), however many renames
/// ago.
fn origins<'a>(renames: &'a [(String, String)], name: &'a str) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    let mut todo = vec![name];
    while let Some(n) = todo.pop() {
        if !seen.contains(&n) {
            seen.push(n);
            todo.extend(
                renames
                    .iter()
                    .filter(|(_, to)| to == n)
                    .map(|(from, _)| from.as_str()),
            );
        }
    }
    seen
}

/// The functions of expert_network an aggregate's definition names (SFUNC, FINALFUNC, COMBINEFUNC,
/// MSFUNC, ... = f): a call of the aggregate calls each of them, with the caller's rights, so called
/// from a SECURITY DEFINER body their string bodies run with its owner's (PG 15: a BEGIN ATOMIC
/// definer's `expert_network.ag_join(v)` ran its SFUNC, whose `lower(x)` on a path searching
/// expert_network found the application's `expert_network.lower(text)`, as the superuser). Every
/// option that names a function counts (`DEFINED_FUNCTIONS`), unqualified ones too (bound when the
/// aggregate is made, under the pinned path: only refuses more).
fn aggregate_calls(definition: &[Node]) -> super::invoker_calls::Calls {
    super::invoker_calls::Calls {
        callees: definition_functions(definition, super::resolve::DEFINED_FUNCTIONS),
        ..Default::default()
    }
}

/// The functions of expert_network's a definition's options `keys` name (`SFUNC = f`,
/// `FUNCTION = f`), qualified or not.
/// The options of a range type naming functions the server calls for its values.
pub(super) const RANGE_FUNCTIONS: &[&str] = &["subtype_diff", "canonical"];

pub(super) fn definition_functions(definition: &[Node], keys: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for opt in definition {
        let Some(NodeEnum::DefElem(d)) = &opt.node else {
            continue;
        };
        if !keys.contains(&d.defname.as_str()) {
            continue;
        }
        let names = match d.arg.as_deref().and_then(|a| a.node.as_ref()) {
            Some(NodeEnum::TypeName(t)) => t.names.as_slice(),
            Some(NodeEnum::List(l)) => l.items.as_slice(),
            _ => continue,
        };
        if let Some(name) = own_routine(names) {
            out.push(name.to_string());
        }
    }
    out
}

/// The name of a routine as a RENAME or DROP names it, when it is expert_network's: written
/// `expert_network.f`, or unqualified, which under the pinned path is expert_network's if it has one.
fn own_routine(objname: &[Node]) -> Option<&str> {
    fn name(n: &Node) -> Option<&str> {
        match &n.node {
            Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
            _ => None,
        }
    }
    match objname {
        [f] => name(f),
        [schema, f] if name(schema) == Some(SCHEMA) => name(f),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Migration files `001_f.sql`, `002_f.sql`, ... holding `texts`.
    fn files(texts: &[String]) -> Vec<Migration> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let name = format!("00{}_f.sql", i + 1);
                Migration::from_bytes(
                    i as u64 + 1,
                    "f".into(),
                    name.clone(),
                    name,
                    t.clone().into_bytes(),
                )
                .unwrap()
            })
            .collect()
    }

    /// The events of the second half are counted after the first's: where a definer of the first
    /// file stops running, and what it calls then, come out as read in one piece.
    #[test]
    fn a_definers_end_read_in_two_halves_is_where_it_is_read_in_order() {
        let filler = "SELECT 1;\n".repeat(8 << 10);
        let d = "CREATE FUNCTION expert_network.d(p text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $b$ BEGIN RETURN expert_network.helper(p); END $b$";
        let texts = [
            format!("{filler}{filler}CREATE FUNCTION expert_network.helper(v text) RETURNS text LANGUAGE sql AS 'SELECT v';\n{d};"),
            format!("{filler}DO $$ BEGIN DROP FUNCTION IF EXISTS expert_network.other(); END $$;\nCREATE OR REPLACE FUNCTION expert_network.d(p text) RETURNS text LANGUAGE sql AS 'SELECT p';\nDROP FUNCTION expert_network.helper(text);"),
        ];
        let files = files(&texts);
        let halves = Model::of(&files);
        let in_order = Model::build(texts.iter().map(String::as_str));
        // The statement's text as the fence splits it: from the end of the one before.
        let d = format!("\n{d}");
        assert_eq!(in_order.definer_ends(&d, "d"), vec![Some(3)]);
        assert_eq!(halves.definer_ends(&d, "d"), in_order.definer_ends(&d, "d"));
        assert_eq!(halves.nested_events, in_order.nested_events);
        assert_eq!(halves.nested_events, vec![2]);
        for m in [&halves, &in_order] {
            assert!(!m.function_gone("helper", 1, Some(3)));
            assert!(m.function_gone("helper", 1, None));
        }
    }

    #[test]
    fn read_in_two_halves_it_is_the_model_read_in_order() {
        // Enough text that the files are read on two threads, the second file on the second one
        // (the first holds over half the text).
        let filler = "SELECT 1;\n".repeat(8 << 10);
        let texts = [
            format!("{filler}{filler}CREATE TABLE expert_network.early (id int);\nCREATE TABLE expert_network.x (id int);"),
            format!("{filler}CREATE TABLE expert_network.late (id int);\nCREATE VIEW expert_network.x AS SELECT 1 AS id;\nCREATE FUNCTION expert_network.late_fn() RETURNS int LANGUAGE sql AS 'SELECT 1';\nCREATE TYPE expert_network.late_t AS (a int);\nCREATE TEMP TABLE scratch (a int);\nALTER TABLE expert_network.early OWNER TO raguser;"),
        ];
        let files = files(&texts);
        let halves = Model::of(&files);
        let in_order = Model::build(texts.iter().map(String::as_str));
        for name in ["early", "late", "x"] {
            assert!(halves.relation(name).is_some(), "{name}");
            assert_eq!(halves.relation(name), in_order.relation(name), "{name}");
        }
        assert_eq!(halves.relation("x").map(<[Rel]>::len), Some(2));
        assert!(
            halves.has_function("late_fn")
                && halves.has_type("late_t")
                && halves.is_temp("scratch")
        );
        let late = "CREATE TABLE expert_network.late (id int)";
        assert_eq!(halves.tree(late, true), in_order.tree(late, true));
        // The second half's OWNER TO gives the first half's table away (`tables_given_away`).
        for m in [&halves, &in_order] {
            assert_eq!(m.read_owners("early"), vec!["raguser".to_string()]);
            assert!(m.read_owners("late").is_empty());
        }
        assert!(Model::build(["CREATE TABLE expert_network.t (id int)"])
            .read_owners("t")
            .is_empty());
    }

    #[test]
    fn a_rename_in_the_second_half_knows_what_the_first_half_made() {
        // The first file outweighs the second, so the rename is read in the other half, by a model
        // that has not seen the view.
        let texts = [
            format!(
                "{}CREATE VIEW expert_network.v AS SELECT nspname FROM pg_catalog.pg_namespace;\nCREATE INDEX v_i ON expert_network.t (a);",
                "-- the heavier half\n".repeat(64)
            ),
            "ALTER VIEW expert_network.v RENAME TO w;\nALTER TABLE expert_network.w RENAME TO z;\nCREATE INDEX v_i ON expert_network.t (a);".to_string(),
        ];
        let files = files(&texts);
        assert_eq!(
            super::super::half_cut(&files, |m| m.text.len() + super::super::PER_ITEM),
            1
        );
        let halves = Model::of(&files);
        let in_order = Model::build(texts.iter().map(String::as_str));
        let view = Rel::View(
            Some(("pg_catalog".into(), "pg_namespace".into())),
            vec![("pg_catalog".into(), "pg_namespace".into())],
            vec![("pg_catalog".into(), "pg_namespace".into())],
        );
        for name in ["v", "w", "z", "v_i"] {
            assert_eq!(halves.relation(name), in_order.relation(name), "{name}");
        }
        assert_eq!(halves.relation("z"), Some(&[view][..]));
    }

    #[test]
    fn a_statement_nested_deeper_than_a_threads_stack_is_read_on_either_thread() {
        // 1000 nested CASEs, which the server accepts: their tree recurses deeper than the 2 MB stack
        // of this test's thread and of the model's second thread. One such file in each half.
        let mut deep = String::from("1");
        for _ in 0..1000 {
            deep = format!("CASE WHEN true THEN {deep} ELSE 0 END");
        }
        let filler = "SELECT 1;\n".repeat(8 << 10);
        let texts = [
            format!("{filler}{filler}CREATE VIEW expert_network.first_deep AS SELECT {deep} AS x;"),
            format!("CREATE VIEW expert_network.second_deep AS SELECT {deep} AS x;"),
        ];
        let files = files(&texts);
        let m = Model::of(&files);
        assert!(m.relation("first_deep").is_some());
        assert!(m.relation("second_deep").is_some());
    }

    #[test]
    fn trees_decoded_ahead_of_the_fence_are_bounded_and_each_still_reaches_it() {
        // Lint reads a whole file before the fence takes any of its trees: past the bound, a tree is
        // decoded for lint and again for the fence rather than held.
        let text: String = (0..2000)
            .map(|i| format!("CREATE TABLE expert_network.t{i} (id int PRIMARY KEY, a text);\n"))
            .collect();
        let stmts: Vec<&str> = super::super::split(&text).iter().map(|s| s.sql).collect();
        let m = Model::build([text.as_str()]);
        for s in &stmts {
            assert!(m.tree(s, false).is_some(), "{s}");
        }
        {
            let d = m.decoded.lock().unwrap();
            assert!(d.kept <= KEEP_DECODED, "{}", d.kept);
            assert!(!d.trees.is_empty() && d.trees.len() < stmts.len());
        }
        for s in &stmts {
            assert_eq!(
                m.tree(s, true).as_deref(),
                super::super::parse_statement(s).ok().as_ref()
            );
        }
        let d = m.decoded.lock().unwrap();
        assert_eq!((d.kept, d.trees.len()), (0, 0));
    }

    #[test]
    fn a_short_nested_statement_is_read_on_the_second_thread_as_on_the_main_one() {
        // Under `DEEP` bytes a statement is read on the thread's own stack: 100 nested `+` (a
        // 210-byte view) fit the main thread's, and must fit the second thread's too. The first file
        // outweighs the second, so the view is read on the second thread.
        let filler = "SELECT 1;\n".repeat(8 << 10);
        let view = format!(
            "CREATE VIEW expert_network.sum AS SELECT 1{} AS x;",
            "+1".repeat(100)
        );
        assert!(view.len() < super::super::DEEP);
        let files = files(&[filler, view]);
        // Read from a thread with a main thread's stack (a test's own has a spawned thread's), so
        // only the second thread's stack is in question.
        let m = std::thread::Builder::new()
            .stack_size(super::super::THREAD_STACK)
            .spawn(move || Model::of(&files).relation("sum").is_some())
            .unwrap();
        assert!(m.join().unwrap());
    }

    #[test]
    fn the_trees_it_parsed_are_the_fences_own_and_taken_once() {
        let create = "CREATE TABLE expert_network.a (id int)";
        let insert = "INSERT INTO expert_network.a (id) VALUES (1)";
        let m = Model::build([format!("{create};\n{insert};\n").as_str()]);
        let own = super::super::parse_statement(create).unwrap();
        let first = m.tree(create, false).unwrap();
        assert_eq!(*first, own);
        // A second reader before the fence gets the same decoded tree, not a decode of its own.
        assert!(Arc::ptr_eq(&first, &m.tree(create, false).unwrap()));
        assert!(Arc::ptr_eq(&first, &m.tree(create, true).unwrap()));
        assert_eq!(m.tree(create, true), None);
        // Literal rows are never parsed here, so nothing is kept for them.
        assert_eq!(m.tree(insert, false), None);
        let m = Model::build([format!("{create};").as_str()]);
        m.drop_trees();
        assert_eq!(m.tree(create, false), None);
        let m = Model::build([format!("{create};").as_str()]);
        assert!(m.tree(create, false).is_some());
        m.drop_trees();
        assert_eq!(m.tree(create, true), None);
    }
}
