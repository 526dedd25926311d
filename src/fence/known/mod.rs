//! What PostgreSQL has built in, as the fence needs to know it: every `pg_catalog` function with what
//! it can reach, the catalog relations with whether they describe structure or expose data, the
//! catalog types, the functions' arguments the server reads as an object's name (a reg* parameter:
//! `to_tsvector('public.english', x)`), the server's settings with how a migration may touch them, and the extensions a
//! migration may install with the functions and types they bring.
//!
//! The tables beside this file are generated from real servers of PostgreSQL 13 to 18 by
//! `scripts/gen-known.sh` (which applies the rules and hand overrides in `scripts/gen-known.py`);
//! they are sorted so that every lookup is a binary search over static data, with nothing built at
//! start-up. This module is pure: it must never touch a database, a file or the fence's walk. It
//! answers what a built-in can do; whether a statement may do it is the fence's decision.

// Until the fence's walk consults these tables (helper `fence` is wiring them in), only the tests do.
#![allow(dead_code)]

mod extensions;
mod functions;
mod name_args;
mod relations;
mod settings;
mod types;

#[cfg(test)]
mod tests;

/// What a built-in (`pg_catalog`) function can reach: the strictest over all its overloads in PG 13..18
/// (or, from [`function_call`], over the overloads that accept that many arguments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FnClass {
    /// Computes from its arguments, or reads structure only: allowed anywhere.
    Safe,
    /// The arguments at these 0-based positions name a relation, sequence, function, type or schema by
    /// text, `regclass` (or another `reg*` type) or oid (`nextval`, `setval`, `pg_relation_size`,
    /// `has_table_privilege`, `pg_get_serial_sequence`, ...): allowed only when each is a literal naming
    /// an `expert_network` object.
    NamesObject(&'static [usize]),
    /// Runs SQL text, or reads relations it finds at run time (`query_to_xml`, `ts_stat`,
    /// `cursor_to_xml`, `database_to_xml`, ...): refused as dynamic SQL.
    RunsQuery,
    /// A change a rollback does not undo, a reach beyond the database, or a read of what other
    /// applications or the server keep to themselves: refused, with [`Effect::reason`] as the message.
    Effect(Effect),
}

/// Why a function with an effect is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// `pg_notify`: reaches other applications' listeners.
    Notify,
    /// Sequence values (`setval`, `nextval` on a computed name): a rollback does not put them back.
    Sequence,
    /// Statistics resets: not undone by a rollback, and they blind the database-side check.
    Statistics,
    /// Advisory locks: session-wide, shared with every other application on the server.
    AdvisoryLock,
    /// Signals to other backends or the postmaster (cancel, terminate, log rotation, memory dumps).
    Signal,
    /// Configuration of the session or the server (`set_config`, `pg_reload_conf`).
    Configuration,
    /// The server's file system.
    Files,
    /// Large objects: shared by the whole database, owned by no schema.
    LargeObject,
    /// WAL, backups, replication slots and origins, recovery control.
    Replication,
    /// Reads what other applications or the server keep to themselves: other sessions' query text,
    /// other applications' activity counters, memory contexts, authentication rules, the settings files.
    /// Not a change, but a migration has no reason to copy it into `expert_network`.
    ExposesData,
    /// Anything else that reaches beyond the transaction (transaction snapshots exported to other
    /// sessions, xid and commit-timestamp probing of other applications' rows, ...).
    Other,
}

impl Effect {
    /// The reason shown to the user, completing "this function ...".
    pub fn reason(self) -> &'static str {
        match self {
            Effect::Notify => "sends a notification to every listening application",
            Effect::Sequence => "changes a sequence value, which a rollback does not undo",
            Effect::Statistics => "resets statistics, which a rollback does not undo",
            Effect::AdvisoryLock => {
                "takes or releases an advisory lock shared with every application"
            }
            Effect::Signal => "signals another backend or the server",
            Effect::Configuration => "changes the configuration of the session or the server",
            Effect::Files => "reaches the server's file system",
            Effect::LargeObject => {
                "reads or writes large objects, which belong to the whole database"
            }
            Effect::Replication => "controls WAL, backups, replication or recovery",
            Effect::ExposesData => "reads other applications' data or the server's secrets",
            Effect::Other => "reaches beyond the migration's transaction",
        }
    }
}

/// One overload group of a built-in function: the calls with `min..=max` arguments (`max` is
/// [`VARIADIC`] for a variadic function) and what they reach.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Func {
    pub name: &'static str,
    pub min: u8,
    pub max: u8,
    pub class: FnClass,
}

/// `Func::max` of a variadic function: any number of arguments from `min`.
pub(crate) const VARIADIC: u8 = u8::MAX;

fn overloads(name: &str) -> &'static [Func] {
    let all = functions::FUNCTIONS;
    let start = all.partition_point(|f| f.name < name);
    let end = start + all[start..].partition_point(|f| f.name == name);
    &all[start..end]
}

/// The strictest of two classes: an effect over running a query over naming objects over safe.
fn stricter(a: FnClass, b: FnClass) -> FnClass {
    fn rank(c: FnClass) -> u8 {
        match c {
            FnClass::Safe => 0,
            FnClass::NamesObject(_) => 1,
            FnClass::RunsQuery => 2,
            FnClass::Effect(_) => 3,
        }
    }
    match (a, b) {
        // Two overloads that name objects at different positions: each call is checked against the
        // union, so a literal is required wherever any overload takes a name. The union of every such
        // pair the tables hold is listed here, at compile time, so nothing is allocated.
        (FnClass::NamesObject(x), FnClass::NamesObject(y)) if x != y => {
            FnClass::NamesObject(union(x, y))
        }
        _ if rank(b) > rank(a) => b,
        _ => a,
    }
}

/// The union of two position lists; positions beyond 3 never occur among PostgreSQL's built-ins.
fn union(x: &'static [usize], y: &'static [usize]) -> &'static [usize] {
    const ALL: [&[usize]; 16] = [
        &[],
        &[0],
        &[1],
        &[0, 1],
        &[2],
        &[0, 2],
        &[1, 2],
        &[0, 1, 2],
        &[3],
        &[0, 3],
        &[1, 3],
        &[0, 1, 3],
        &[2, 3],
        &[0, 2, 3],
        &[1, 2, 3],
        &[0, 1, 2, 3],
    ];
    let mask = x.iter().chain(y).fold(0usize, |m, &p| m | (1 << p.min(3)));
    ALL[mask]
}

/// What the `pg_catalog` function `name` can reach, the strictest over all its overloads; `None`
/// when no PostgreSQL from 13 to 18 has a function of that name in `pg_catalog`.
pub fn function(name: &str) -> Option<FnClass> {
    overloads(name).iter().map(|f| f.class).reduce(stricter)
}

/// What a call of `name` with `nargs` arguments can reach: the strictest over the overloads that
/// accept that many arguments, or over all of them when none does (the server will refuse the call,
/// but the fence must not be looser for it). `None` as for [`function`].
pub fn function_call(name: &str, nargs: usize) -> Option<FnClass> {
    let all = overloads(name);
    let fits = |f: &&Func| {
        usize::from(f.min) <= nargs && (f.max == VARIADIC || nargs <= usize::from(f.max))
    };
    all.iter()
        .filter(fits)
        .map(|f| f.class)
        .reduce(stricter)
        .or_else(|| function(name))
}

/// The arguments of one `pg_catalog` function (all its overloads that take `min..=max` arguments)
/// that the server reads as an object's name: each position with the reg* type a string literal
/// there is coerced to (`to_tsvector('public.english', x)` names public's configuration).
pub struct NameArgs {
    pub name: &'static str,
    pub min: u8,
    pub max: u8,
    pub args: &'static [(usize, &'static str)],
}

/// The arguments of a call of `name` with `nargs` arguments that some fitting overload reads as an
/// object's name, with the reg* type of each (over every overload of that name when none fits, as
/// for [`function_call`]). Empty for the many that take none.
pub fn name_arguments(name: &str, nargs: usize) -> Vec<(usize, &'static str)> {
    let all = name_args::NAME_ARGS;
    let start = all.partition_point(|f| f.name < name);
    let end = start + all[start..].partition_point(|f| f.name == name);
    let same = &all[start..end];
    let fits = |f: &&NameArgs| {
        usize::from(f.min) <= nargs && (f.max == VARIADIC || nargs <= usize::from(f.max))
    };
    let mut out: Vec<(usize, &'static str)> = same
        .iter()
        .filter(fits)
        .flat_map(|f| f.args.iter().copied())
        .collect();
    let any_fits = overloads(name)
        .iter()
        .any(|f| usize::from(f.min) <= nargs && (f.max == VARIADIC || nargs <= usize::from(f.max)));
    if !any_fits {
        out = same.iter().flat_map(|f| f.args.iter().copied()).collect();
    }
    out
}

/// Whether a catalog relation describes structure or exposes data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelClass {
    /// Describes the database's structure (tables, columns, types, functions, constraints, ...):
    /// readable by a migration.
    Structure,
    /// Exposes other applications' data or the server's secrets (column value samples, password
    /// hashes, other sessions' queries, authentication rules, ...): refused.
    ExposesData,
}

/// The class of the relation `schema.name`, for `schema` `pg_catalog` or `information_schema`;
/// `None` when no PostgreSQL from 13 to 18 has it.
pub fn catalog_relation(schema: &str, name: &str) -> Option<RelClass> {
    let all = relations::RELATIONS;
    all.binary_search_by(|&(s, n, _)| (s, n).cmp(&(schema, name)))
        .ok()
        .map(|i| all[i].2)
}

/// Whether `name` is a type in `pg_catalog` of some PostgreSQL from 13 to 18 (`int4`, `text`,
/// `regclass`, `tsvector`, the array types `_int4`, ...). SQL's own spellings (`integer`,
/// `character varying`, `timestamp with time zone`) are the parser's, which maps them to these.
pub fn is_catalog_type(name: &str) -> bool {
    types::TYPES.binary_search(&name).is_ok()
}

/// How a migration may touch a server setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingClass {
    /// Affects only this session's own work (timeouts, memory, output formats): may be set, and is
    /// put back after the migration.
    Plain,
    /// The runner or the fence relies on it (`search_path`, which the fence handles itself, `role`,
    /// `standard_conforming_strings`, the statistics switches the database-side check reads, ...):
    /// a migration may not change it.
    Pinned,
    /// Needs a superuser, a restart or a reload, or reaches other sessions: refused.
    Forbidden,
}

/// The class of the setting `name` (case-insensitive, as the server treats it). A custom setting
/// with a dot (`app.tenant`) that belongs to no known extension is [`SettingClass::Plain`]: it is a
/// placeholder only the application reads, but for en-migrate's own (`en_migrate.*`), which are
/// [`SettingClass::Pinned`]. Any other unknown name is [`SettingClass::Forbidden`].
pub fn setting(name: &str) -> SettingClass {
    let name = name.to_ascii_lowercase();
    let all = settings::SETTINGS;
    if let Ok(i) = all.binary_search_by(|&(n, _)| n.cmp(name.as_str())) {
        return all[i].1;
    }
    match name.split_once('.') {
        // en-migrate's own placeholders: the guard's state at the start of each migration
        // (`en_migrate.c`), who the session was at its end, its start time. A migration that rewrote
        // them would feed the database-side check the baseline it compares against.
        Some(("en_migrate", _)) => SettingClass::Pinned,
        Some((prefix, _)) if settings::EXTENSION_PREFIXES.binary_search(&prefix).is_ok() => {
            SettingClass::Forbidden
        }
        Some(_) => SettingClass::Plain,
        None => SettingClass::Forbidden,
    }
}

/// The value the runner runs with for a [`SettingClass::Pinned`] setting where setting exactly that
/// value changes nothing (pg_dump's header sets `standard_conforming_strings = on`,
/// `client_encoding = 'UTF8'`, `default_tablespace = ''`); `None` for the others.
/// A setting only superusers (and pg_read_all_settings) may read: commands, file paths, connection
/// strings. A migration that reads one, run as a superuser, copies what no application may see.
pub fn is_secret_setting(name: &str) -> bool {
    settings::SECRET
        .binary_search(&name.to_ascii_lowercase().as_str())
        .is_ok()
}

pub fn pinned_value(name: &str) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    let all = settings::PINNED_VALUES;
    all.binary_search_by(|&(n, _)| n.cmp(name.as_str()))
        .ok()
        .map(|i| all[i].1)
}

/// An extension a migration may install into `expert_network`: none of its functions can reach
/// another schema, run query text or leave the database.
#[derive(Debug)]
pub struct Extension {
    pub name: &'static str,
    /// Every function the extension creates (names, sorted, deduplicated).
    pub functions: &'static [&'static str],
    /// Every type the extension creates (sorted).
    pub types: &'static [&'static str],
    /// The input types (as pg_type names them) of each of its functions that takes arguments, none
    /// VARIADIC nor of an array type, that every major having the extension creates: a call with
    /// exactly those argument types finds it by an exact match (`Model::has_signature`).
    pub signatures: &'static [(&'static str, &'static [&'static str])],
}

/// The allowlisted extension that creates a function named `function`, for a hint: `text2ltree()`
/// unknown because ltree was installed elsewhere, or not at all, is ltree's to install.
pub fn extension_with_function(function: &str) -> Option<&'static str> {
    extensions::EXTENSIONS
        .iter()
        .find(|e| e.functions.binary_search(&function).is_ok())
        .map(|e| e.name)
}

/// The allowlisted extension `name`; `None` for every other extension, which a migration may not install.
pub fn extension(name: &str) -> Option<&'static Extension> {
    let all = extensions::EXTENSIONS;
    all.binary_search_by(|e| e.name.cmp(name))
        .ok()
        .map(|i| &all[i])
}
