//! Name resolution the way the server does it: a relation or function name, qualified or not, is
//! followed to the object the server would find under the statement's search_path (the pinned
//! `expert_network, pg_catalog, pg_temp`, or the migration's own accepted one), and only then judged.
//!
//! Write targets never resolve to CTEs or transition tables (PostgreSQL never does that either);
//! unqualified names resolve to what the migrations create in `expert_network` (`Model`), to
//! temporary tables, to a trigger's transition tables, or to `pg_catalog` by `known`'s list; anything
//! else is refused. Where a name exists both in `expert_network` and `pg_catalog`, a write is refused
//! rather than guessed. Must never accept a write whose target may lie outside `expert_network`.

use super::known::{self, FnClass, RelClass};
use super::model::Rel;
use super::walk::{const_str, name_parts, split_qualified, Ctx, Use, Walker};
use super::{Rule, SCHEMA};
use pg_query::protobuf::{self as pb, node::Node as N};
use std::collections::HashSet;

/// Where an unqualified relation name lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found<'m> {
    Ours(&'m [Rel]),
    Catalog(RelClass),
    Temp,
}

/// Column types that are not types but the parser's shorthand for an integer with a sequence.
const SERIAL: &[&str] = &[
    "serial",
    "serial2",
    "serial4",
    "serial8",
    "smallserial",
    "bigserial",
];

/// Sequence functions: their argument must name one of expert_network's own sequences.
const SEQUENCE_FUNCTIONS: &[&str] = &["nextval", "setval", "currval", "pg_sequence_last_value"];

impl Walker<'_, '_> {
    /// A RangeVar used as `use_`.
    pub(super) fn relation(&mut self, rv: &pb::RangeVar, ctx: Ctx, use_: Use) {
        let schema = rv.schemaname.as_str();
        let rel = rv.relname.as_str();
        if !rv.catalogname.is_empty() {
            self.refuse(
                Rule::OutsideSchema,
                format!("{}.{schema}.{rel} names another database", rv.catalogname),
                Some("drop the database name: a migration reaches only its own database"),
            );
        }
        if schema.is_empty() {
            self.unqualified(rel, ctx, use_);
        } else {
            self.qualified(schema, rel, use_);
        }
    }

    fn qualified(&mut self, schema: &str, rel: &str, use_: Use) {
        match schema {
            SCHEMA if use_ == Use::Write => self.write_through(rel, 0),
            "pg_temp" if self.definer => {
                self.callers_temp("relation", &format!("pg_temp.{rel}"), "the name")
            }
            SCHEMA | "pg_temp" => {}
            "pg_catalog" | "information_schema" if use_ == Use::Read => {
                self.catalog_read(schema, rel)
            }
            _ => self.schema(schema, rel, false),
        }
    }

    fn catalog_read(&mut self, schema: &str, rel: &str) {
        match known::catalog_relation(schema, rel) {
            Some(RelClass::Structure) => {}
            Some(RelClass::ExposesData) => self.refuse(
                Rule::CatalogData,
                format!("{schema}.{rel} exposes other applications' data or the server's secrets"),
                Some("read structure from pg_class, pg_attribute and the like; a migration has no reason to copy this"),
            ),
            None => self.refuse(
                Rule::CatalogData,
                format!("{schema}.{rel} is not a catalog relation the fence knows (PostgreSQL 13 to 18)"),
                Some("read structure from the catalogs the fence knows (pg_class, pg_attribute, information_schema.columns, ...)"),
            ),
        }
    }

    /// In the string body of a SECURITY DEFINER function, whether an unqualified relation or type found
    /// in `schema` (None: a temporary one, the caller's when it runs) may be the caller's instead:
    /// pg_temp is searched before `schema` on the function's path (first when the path does not name
    /// it), or the function has no path of its own and the caller decides the order.
    fn callers_temp_first(&self, schema: Option<&str>) -> bool {
        if !self.definer {
            return false;
        }
        let Some(schema) = schema else { return true };
        if self.caller_path {
            return true;
        }
        let order = self.path.relations();
        let at = |s: &str| order.iter().position(|x| *x == s);
        match (at("pg_temp"), at(schema)) {
            (Some(temp), Some(found)) => temp < found,
            _ => true,
        }
    }

    /// `what` `name`, in a SECURITY DEFINER body, may be found in the caller's temporary schema.
    fn callers_temp(&mut self, what: &str, name: &str, fix: &str) {
        self.refuse(
            Rule::UnqualifiedName,
            format!("{what} {name} in a SECURITY DEFINER function may be found in the caller's temporary schema, where any role may create one of that name whose rules, triggers or domain checks then run with the owner's rights"),
            Some(&format!("qualify {fix} (expert_network.x, pg_catalog.x); a definer is safest with SET search_path = '' and every name qualified but pg_catalog's functions and operators")),
        );
    }

    /// Whether `name` is a temporary table where it is looked up. One the migration made exists only in
    /// the migration's session: a string body without its own path runs in the caller's, where the
    /// name finds public's table of that name, unless the body made the temporary table itself.
    fn is_temp_here(&self, name: &str) -> bool {
        (!self.caller_path && self.sink.model.is_temp(name)) || self.temps.iter().any(|t| t == name)
    }

    /// The candidates the server looks at for an unqualified relation, in order.
    fn lookup(&self, rel: &str) -> Vec<Found<'_>> {
        let model = self.sink.model;
        let mut out = Vec::new();
        for schema in self.path.relations() {
            match schema {
                SCHEMA => {
                    if let Some(kinds) = model.relation(rel) {
                        out.push(Found::Ours(kinds));
                    }
                }
                "pg_catalog" => {
                    if let Some(c) = known::catalog_relation("pg_catalog", rel) {
                        out.push(Found::Catalog(c));
                    }
                }
                _ => {
                    if self.is_temp_here(rel) {
                        out.push(Found::Temp);
                    }
                }
            }
        }
        out
    }

    /// Whether an unqualified relation name that no migration makes can be found only in
    /// expert_network (made there some other way) or in the session's own pg_temp: outside string
    /// bodies (which run under their caller's path), on a path of those schemas and pg_catalog, and
    /// named so that pg_catalog has no relation of that name. Ory Hydra drops with `DROP INDEX IF
    /// EXISTS hydra_oauth2_access_expires_at_idx` indexes whose CREATE it commented out, and
    /// constraints' indexes the server named. Every relation initdb makes in pg_catalog is named
    /// `pg_*` (PG 15: 261, none otherwise named; `known::relations`, PG 13 to 18); `CREATE TABLE
    /// pg_catalog.x` is refused even to a superuser while `allow_system_table_mods` is off, which the
    /// fence forbids, and a relation a superuser moved in (`ALTER ... SET SCHEMA pg_catalog`, which
    /// PG 15 allows) makes `up` refuse the run (`db::preflight::catalog_intruders`).
    pub(super) fn unmade_outside_the_catalogs(&self, rel: &str) -> bool {
        !self.body.is_function()
            && !self.definer
            && !self.caller_path
            && rel != super::TRACKER
            && !rel.starts_with("pg_")
            && self
                .path
                .relations()
                .iter()
                .all(|s| matches!(*s, SCHEMA | "pg_catalog" | "pg_temp"))
            && self.lookup(rel).is_empty()
    }

    /// Whether an unqualified write of the tracker's name is a write of the file's own table of that
    /// name: an earlier statement of the same file made `expert_network.schema_migrations`, the
    /// write is one of the migration's own statements or DO blocks (a string body runs under its
    /// caller's path), and its path is of expert_network, pg_catalog and pg_temp alone, on which the
    /// name finds that table (or the session's own temporary one). Such a path never holds public,
    /// so the server never reaches public's tracker through the name. Rails' structure.sql ends with
    /// `SET search_path TO <schema_search_path>;` and `INSERT INTO "schema_migrations" (version)
    /// VALUES ...` into its own table, made earlier in the same file (Lago's db/structure.sql, pass
    /// corpus 148). A write before the file makes one, in another file, or where a body's caller
    /// decides the path, stays refused: it says which table it means no more than the tracker's
    /// name does.
    fn tracker_name_is_ours(&self) -> bool {
        let rel = super::TRACKER;
        self.sink
            .tracker_made
            .is_some_and(|made| made < self.sink.statement)
            && !self.body.is_function()
            && !self.definer
            && !self.caller_path
            && self
                .path
                .relations()
                .iter()
                .all(|s| matches!(*s, SCHEMA | "pg_catalog" | "pg_temp"))
            && matches!(self.lookup(rel).first(), Some(Found::Ours(_) | Found::Temp))
    }

    fn unqualified(&mut self, rel: &str, ctx: Ctx, use_: Use) {
        if ctx.implicit_schema {
            return;
        }
        if rel == super::TRACKER && use_ != Use::Read && !self.tracker_name_is_ours() {
            self.refuse(
                Rule::UnqualifiedName,
                format!("{rel} is the name of en-migrate's tracker (public.{rel}); say which table you mean"),
                Some(&format!("write {SCHEMA}.{rel} if it is your own table; the tracker is written only by en-migrate")),
            );
            return;
        }
        if use_ == Use::Read {
            // A CTE, and inside a trigger function a transition table, hide relations of that name.
            if self.ctes.iter().any(|c| c == rel)
                || (self.body == super::walk::Body::Trigger && self.sink.model.is_transition(rel))
            {
                return;
            }
        }
        let found = self.lookup(rel);
        if self.caller_path && found.is_empty() && self.sink.model.is_temp(rel) {
            self.refuse(
                Rule::UnqualifiedName,
                format!("{rel} is a temporary table of the migration's session, but a function without its own search_path looks it up in the caller's session when it runs (under an application's \"$user\", public it is public.{rel} whenever public has one)"),
                Some(&format!("create the temporary table in the function before using it, or make {rel} a table of {SCHEMA} and write {SCHEMA}.{rel}")),
            );
            return;
        }
        if self.definer && !(self.caller_path && matches!(found.first(), Some(Found::Ours(_)))) {
            let schema = match found.first() {
                Some(Found::Ours(_)) => Some(SCHEMA),
                Some(Found::Catalog(_)) => Some("pg_catalog"),
                Some(Found::Temp) => None,
                None => Some(""),
            };
            if schema != Some("") && self.callers_temp_first(schema) {
                self.callers_temp("relation", rel, "it");
                return;
            }
            if schema == Some("pg_catalog") && self.catalog_shadowed() {
                self.shadowed_catalog_name("relation", rel);
                return;
            }
        }
        if self.caller_path && matches!(found.first(), Some(Found::Ours(_))) {
            self.refuse(
                Rule::UnqualifiedName,
                format!("{rel} in a function without its own search_path is looked up under the caller's path when it runs (under an application's \"$user\", public it is public.{rel} whenever public has one)"),
                Some(&format!("write {SCHEMA}.{rel}, or give the function SET search_path = {SCHEMA}, pg_catalog, pg_temp")),
            );
            return;
        }
        let catalog = found.iter().find_map(|f| match f {
            Found::Catalog(c) => Some(*c),
            _ => None,
        });
        match (found.first().copied(), use_) {
            (None, _) => {
                let hint = if self.ctes.iter().any(|c| c == rel) {
                    format!("{rel} is a CTE here, but a write target never resolves to a CTE; write {SCHEMA}.{rel}")
                } else {
                    format!("write {SCHEMA}.{rel}")
                };
                // The migrations do make it, but the path it is looked up under here does not
                // reach expert_network: say so rather than that nothing makes it.
                let message = if self.sink.model.relation(rel).is_some()
                    && !self.path.relations().contains(&SCHEMA)
                {
                    format!("relation {rel} is not schema-qualified, and the search_path it is looked up under here does not hold {SCHEMA} (a SET search_path without it, or a statement before that may drop the schema)")
                } else {
                    format!("relation {rel} is not schema-qualified, and no migration creates {SCHEMA}.{rel}")
                };
                self.refuse(Rule::UnqualifiedName, message, Some(&hint));
            }
            (Some(_), Use::Read) => {
                if catalog == Some(RelClass::ExposesData) {
                    self.catalog_read("pg_catalog", rel);
                }
            }
            (Some(Found::Temp), _) => {}
            (Some(Found::Ours(_)), _) if catalog.is_some() => self.refuse(
                Rule::UnqualifiedName,
                format!("{rel} names both {SCHEMA}.{rel} and pg_catalog.{rel}; which one the server finds depends on the moment"),
                Some(&format!("write {SCHEMA}.{rel}")),
            ),
            (Some(Found::Ours(_)), Use::Write) => self.write_through(rel, 0),
            (Some(Found::Ours(_)), Use::Alter) => {}
            (Some(Found::Catalog(_)), _) => self.refuse(
                Rule::OutsideSchema,
                format!("{rel} resolves to pg_catalog.{rel}: the catalogs may be read, never written, locked or altered"),
                Some(&format!("write pg_catalog.{rel} only to read it; if you meant your own table, create {SCHEMA}.{rel} and write {SCHEMA}.{rel}")),
            ),
        }
    }

    /// A write to `expert_network.rel`, or a row lock on it: through a view only when every relation
    /// its FROM reads is expert_network's too, all the way down. (An auto-updatable view reads one,
    /// its base; a FOR UPDATE / SHARE of a view locks rows in each relation of its FROM, through joins
    /// and subqueries.)
    fn write_through(&mut self, rel: &str, depth: usize) {
        self.through_views(rel, depth, false, &mut HashSet::new());
    }

    /// `LOCK expert_network.rel`: through a view, every relation its query names, at any depth.
    pub(super) fn lock_through(&mut self, rel: &str) {
        self.through_views(rel, 0, true, &mut HashSet::new());
    }

    /// Each relation is followed once (`seen`): a view the model holds several queries for (made
    /// again in another file), or one that names its own name (a rename the model reads as onto
    /// what the view reads: graphile-worker's), is no reason to walk its bases again, and walking
    /// them for every path to them made a twice-read history take 2^32 steps.
    fn through_views(&mut self, rel: &str, depth: usize, named: bool, seen: &mut HashSet<String>) {
        if !seen.insert(rel.to_string()) {
            return;
        }
        // The model outlives the walker: borrowing it does not borrow `self`.
        let model = self.sink.model;
        let Some(kinds) = model.relation(rel) else {
            return;
        };
        let bases = kinds.iter().flat_map(|k| match k {
            Rel::View(_, from, names) => {
                if named {
                    names.as_slice()
                } else {
                    from.as_slice()
                }
            }
            _ => &[],
        });
        for (schema, base) in bases {
            let ours = match schema.as_str() {
                SCHEMA => true,
                "" => {
                    let found = self.lookup(base);
                    matches!(found.first(), Some(Found::Ours(_)))
                        && !found.iter().any(|f| matches!(f, Found::Catalog(_)))
                }
                _ => false,
            };
            if !ours {
                self.refuse(
                    Rule::OutsideSchema,
                    format!("{SCHEMA}.{rel} is a view over {}{base}: a write or a lock through it (LOCK, FOR UPDATE / SHARE) may land outside {SCHEMA}", if schema.is_empty() { String::new() } else { format!("{schema}.") }),
                    Some("write to, or lock, the expert_network table itself"),
                );
            } else if depth < 32 {
                self.through_views(base, depth + 1, named, seen);
            } else {
                self.refuse(
                    Rule::OutsideSchema,
                    format!("views over views deeper than 32 at {SCHEMA}.{rel}"),
                    Some("write to the expert_network table itself"),
                );
            }
        }
    }

    /// A type named by a TypeName (column types, casts, arrays, function arguments and results,
    /// SETOF, DECLAREd PL/pgSQL variables): unqualified, it must resolve the way the server will, to a
    /// built-in type, a type (or row type) the migrations create in expert_network, an allowlisted
    /// extension's type, or a temporary table's row type; qualified, to expert_network or a catalog.
    pub(super) fn type_reference(&mut self, parts: &[String], pct_type: bool) {
        match (parts, pct_type) {
            ([name], false) => self.unqualified_type(name),
            // `t.col%TYPE`: t is an unqualified relation.
            ([rel, _], true) => self.unqualified_type_source(rel, &parts.join(".")),
            ([rel], true) => self.unqualified_type_source(rel, rel),
            (_, true) if parts.len() >= 3 => {
                self.schema(&parts[parts.len() - 3], &parts[parts.len() - 2], true)
            }
            (_, true) => {}
            _ => self.reference(parts),
        }
    }

    /// A type or domain that DROP, ALTER, COMMENT or ALTER ... OWNER names unqualified (listmonk's
    /// schema.sql: `DROP TYPE IF EXISTS list_type CASCADE` before it makes expert_network.list_type;
    /// its migrations: `ALTER TYPE content_type ADD VALUE IF NOT EXISTS 'visual'`): the server looks
    /// the name up on the search_path as it does a column's type, so one the migrations make in
    /// expert_network resolves there, as `ALTER TABLE`'s relation does. In a function body (run
    /// under another path), or for any other name, it must be written `expert_network.name`; a name
    /// pg_catalog's types have too is refused, since which one the server finds depends on the moment.
    pub(super) fn type_target(&mut self, name: &str, what: &str) {
        let model = self.sink.model;
        let ours = self.path.relations().contains(&SCHEMA)
            && (model.has_type(name) || model.relation(name).is_some());
        let in_body = self.body.is_function() || self.definer || self.caller_path;
        if !ours || in_body {
            self.target(&[name.to_string()], what);
        } else if known::is_catalog_type(name) {
            self.refuse(
                Rule::UnqualifiedName,
                format!("{what} {name} names both {SCHEMA}.{name} and pg_catalog.{name}; which one the server finds depends on the moment"),
                Some(&format!("write {SCHEMA}.{name}")),
            );
        }
    }

    fn unqualified_type(&mut self, name: &str) {
        let model = self.sink.model;
        // An array type's name is the element type's with a leading underscore.
        let element = name.strip_prefix('_').unwrap_or(name);
        let made = |n: &str| model.has_type(n) || model.relation(n).is_some();
        let ours = self.path.functions().contains(&SCHEMA) && (made(name) || made(element));
        let temp = self.is_temp_here(name);
        // Only in a SECURITY DEFINER body (`callers_temp_first`).
        let found = found_in(ours || made(name) || made(element), temp);
        if self.callers_temp_first(found) {
            self.callers_temp("type", name, "it");
            return;
        }
        // A string body without its own path resolves its types when it runs, under the caller's
        // path (proven on PG 15: a PL/pgSQL variable `m mood` called under "$user", public is of
        // public.mood), as it does its relations; a built-in is found first there.
        if self.caller_path && ours && !known::is_catalog_type(name) {
            self.refuse(
                Rule::UnqualifiedName,
                format!("type {name} in a function without its own search_path is looked up under the caller's path when it runs (under an application's \"$user\", public it is public.{name} whenever public has one)"),
                Some(&format!("write {SCHEMA}.{name}, or give the function SET search_path = {SCHEMA}, pg_catalog, pg_temp")),
            );
            return;
        }
        if found == Some("pg_catalog")
            && (known::is_catalog_type(name) || SERIAL.contains(&name))
            && self.catalog_shadowed()
        {
            self.shadowed_catalog_name("type", name);
            return;
        }
        if ours || temp || known::is_catalog_type(name) || SERIAL.contains(&name) {
            return;
        }
        let hint = if made(name) {
            format!("write {SCHEMA}.{name}: the search_path here does not include {SCHEMA}")
        } else {
            format!("write {SCHEMA}.{name} and create it in a migration (or install the extension that has it into {SCHEMA}); a type of another schema cannot be used")
        };
        self.refuse(
            Rule::UnqualifiedName,
            format!("type {name} is not schema-qualified, and it is neither a built-in type nor one the migrations create in {SCHEMA}"),
            Some(&hint),
        );
    }

    /// A PL/pgSQL variable typed by a relation, `parts` as written before `%ROWTYPE` (`rowtype`) or
    /// `%TYPE`. The server resolves it when the body is compiled, at the function's first call in a
    /// session and under the path that call runs with: the function's own when it has one, so an
    /// unqualified name resolves as any relation of the body does; the caller's otherwise, where the
    /// name finds public's relation of that name whenever public has one. `v%TYPE` names a variable.
    pub(super) fn declared_type_source(&mut self, parts: &[String], rowtype: bool) {
        let Some(rel) = parts.len().checked_sub(if rowtype { 1 } else { 2 }) else {
            return;
        };
        let written = format!(
            "{}%{}",
            parts.join("."),
            if rowtype { "ROWTYPE" } else { "TYPE" }
        );
        if rel >= 1 {
            return self.schema(&parts[rel - 1], &parts[rel], true);
        }
        let rel = parts[0].as_str();
        if self.caller_path && self.sink.model.relation(rel).is_some() {
            return self.refuse(
                Rule::UnqualifiedName,
                format!("{written} in a function without its own search_path is looked up under the caller's path when the function is first called (under an application's \"$user\", public it is public.{rel} whenever public has one)"),
                Some(&format!("write {SCHEMA}.{written}, or give the function SET search_path = {SCHEMA}, pg_catalog, pg_temp")),
            );
        }
        self.unqualified_type_source(rel, &written);
    }

    /// The relation of an unqualified `rel.col%TYPE` / `rel%ROWTYPE`.
    fn unqualified_type_source(&mut self, rel: &str, written: &str) {
        let model = self.sink.model;
        let ours = self.path.relations().contains(&SCHEMA) && model.relation(rel).is_some();
        let temp = self.is_temp_here(rel);
        if self.callers_temp_first(found_in(ours, temp)) {
            self.callers_temp("relation", written, "it");
            return;
        }
        if !(ours || temp)
            && known::catalog_relation("pg_catalog", rel).is_some()
            && self.catalog_shadowed()
        {
            self.shadowed_catalog_name("relation", rel);
            return;
        }
        match known::catalog_relation("pg_catalog", rel) {
            _ if ours || temp => {}
            Some(RelClass::Structure) => {}
            Some(RelClass::ExposesData) => self.catalog_read("pg_catalog", rel),
            None if model.relation(rel).is_some() => self.refuse(
                Rule::UnqualifiedName,
                format!("{written} names relation {rel} without its schema, and the search_path here does not include {SCHEMA}"),
                Some(&format!("write {SCHEMA}.{written}")),
            ),
            None => self.refuse(
                Rule::UnqualifiedName,
                format!("{written} names relation {rel} without its schema, and no migration creates {SCHEMA}.{rel}"),
                Some(&format!("write {SCHEMA}.{written}")),
            ),
        }
    }

    /// A name given as text (a literal argument of a NamesObject function, a `'x'::regclass`).
    /// `sequence`: it must be one of expert_network's own relations. `late`: the server looks the
    /// name up when the expression runs, not where it is written (see `looked_up_late`).
    pub(super) fn named_by_text(&mut self, text: &str, what: &str, sequence: bool, late: bool) {
        // `to_regprocedure('expert_network.f(expert_network.t[])')`: the argument types are types
        // looked up, judged as written ones; the name is what precedes them.
        let (name_text, args) = super::walk::split_signature(text);
        for arg in args {
            self.reference(&super::walk::signature_type(arg));
        }
        let parts = split_qualified(name_text);
        match parts.as_slice() {
            [name] => {
                let model = self.sink.model;
                let own = model.relation(name).is_some()
                    || (!sequence && (model.has_function(name) || model.has_type(name)));
                // Found in expert_network only by the path it is looked up under: a default, a view
                // or a trigger function runs in the applications' sessions, whose path is
                // "$user", public, and there the same text names public's object of that name (a
                // temporary one of the migration's is not in their sessions at all).
                let temp = self.is_temp_here(name);
                if (own || temp) && (self.caller_path || (late && self.stored && !self.own_path)) {
                    self.refuse(
                        Rule::UnqualifiedName,
                        format!("{what} '{text}' is looked up when it runs, under the path of the session that runs it (under an application's \"$user\", public it is public.{name} whenever public has one)"),
                        Some(&format!("write '{SCHEMA}.{text}'")),
                    );
                    return;
                }
                let ours = own || temp;
                let catalog = !sequence
                    && (known::catalog_relation("pg_catalog", name) == Some(RelClass::Structure)
                        || known::function(name).is_some()
                        || known::is_catalog_type(name));
                if !(ours || catalog) {
                    self.refuse(
                        Rule::UnqualifiedName,
                        format!(
                            "{what} '{text}' names no object the migrations create in {SCHEMA}"
                        ),
                        Some(&format!("write '{SCHEMA}.{text}'")),
                    );
                } else if !sequence
                    && known::catalog_relation("pg_catalog", name) == Some(RelClass::ExposesData)
                {
                    self.catalog_read("pg_catalog", name);
                }
            }
            [schema, name] => match schema.as_str() {
                SCHEMA | "pg_temp" => {}
                "pg_catalog" | "information_schema" if !sequence => {
                    if known::catalog_relation(schema, name) == Some(RelClass::ExposesData) {
                        self.catalog_read(schema, name);
                    }
                }
                _ => self.schema(schema, name, false),
            },
            _ => self.refuse(
                Rule::OutsideSchema,
                format!("{what} '{text}' names another database"),
                Some(&format!("write '{SCHEMA}.name'")),
            ),
        }
    }

    /// A function call: resolved, then judged by what it can reach.
    pub(super) fn function_call(&mut self, f: &pb::FuncCall) {
        let parts = name_parts(&f.funcname).unwrap_or_default();
        let args = f.args.as_slice();
        let (schema, name) = match parts.as_slice() {
            [name] => (None, name.as_str()),
            [schema, name] => (Some(schema.as_str()), name.as_str()),
            _ => {
                self.reference(&parts);
                return;
            }
        };
        if name.starts_with("dblink") && schema.is_none_or(|s| s == SCHEMA || s == "pg_catalog") {
            self.refuse(
                Rule::FileAccess,
                format!("{name}() connects to other databases, beyond any fence"),
                Some("a migration works only inside its own database"),
            );
            return;
        }
        let model = self.sink.model;
        let builtin = known::function_call(name, args.len());
        let ours = model.has_function(name);
        if ours
            && builtin.is_none()
            && schema.is_none_or(|s| s == SCHEMA)
            && (self.body != super::walk::Body::Top || model.acting(name))
        {
            self.unguarded_write(&format!("a call of {name}()"));
        }
        match schema {
            None => {
                self.definer_function(name);
                let searched_ours = self.path.functions().contains(&SCHEMA);
                match builtin {
                    Some(class) => self.builtin(name, class, args),
                    None if ours && searched_ours => {
                        self.extension_name_arguments(name, args);
                        self.definer_calls_invoker(name);
                        self.definer_calls_gone(name, args.len());
                    }
                    None => self.refuse(
                        Rule::UnknownFunction,
                        format!("{name}() is not a function the migrations create in {SCHEMA}, an allowlisted extension's, or a built-in the fence knows"),
                        Some(&unknown_function_hint(name, &format!("create it as {SCHEMA}.{name} in a migration, or write {SCHEMA}.{name}(...)"))),
                    ),
                }
            }
            Some("pg_catalog") => match builtin {
                Some(class) => self.builtin(name, class, args),
                None => self.refuse(
                    Rule::UnknownFunction,
                    format!("pg_catalog.{name}() is not a built-in function of PostgreSQL 13 to 18 the fence knows"),
                    Some("check the name; the fence allows only classified built-ins"),
                ),
            },
            // Only what the migrations (or an allowlisted extension) make there: a function made in
            // expert_network some other way, or by an extension off the allowlist (tablefunc's
            // crosstab), has a body the fence never read.
            Some(SCHEMA) => {
                self.extension_name_arguments(name, args);
                self.definer_own_function(name, args, f.func_variadic);
                self.definer_calls_invoker(name);
                self.definer_calls_gone(name, args.len());
                if !ours {
                    self.refuse(
                        Rule::UnknownFunction,
                        format!("{SCHEMA}.{name}() is created by no migration (and by no allowlisted extension)"),
                        Some(&format!("create {SCHEMA}.{name} in a migration before calling it")),
                    );
                }
            }
            // The migration session's temporary function, called where that session runs it now;
            // a kept body or expression would find the running session's pg_temp instead.
            Some("pg_temp") if self.in_session => {
                if !model.has_temp_function(name) {
                    self.refuse(
                        Rule::UnknownFunction,
                        format!("pg_temp.{name}() is created by no migration"),
                        Some(&format!("create pg_temp.{name} in the migration before calling it")),
                    );
                }
            }
            Some("pg_temp") => {
                let why = if self.body.is_function() {
                    format!("pg_temp.{name}() in a function body is the temporary function of whichever session calls it, not the migration's")
                } else {
                    // A view, default, index, check or policy binds the function itself, and goes
                    // with it (DROP ... CASCADE) when the migration's session ends.
                    format!("pg_temp.{name}() kept in a view, default, index, check or policy would be dropped with it when the migration's session ends")
                };
                self.refuse(
                    Rule::OutsideSchema,
                    why,
                    Some("call a temporary function only from the migration's own statements, DO blocks and other pg_temp functions; keep a function other code calls in expert_network"),
                )
            }
            Some(other) => self.schema(other, name, true),
        }
    }

    /// The functions a definition names (`CREATE OPERATOR ... FUNCTION = f`, an aggregate's `SFUNC` and
    /// `FINALFUNC`, a type's or text search object's support functions): the server calls them with
    /// arguments no statement spells, whenever the operator or aggregate is used. Each is resolved as a
    /// call is, and a built-in passes only if it is safe whatever it is given: `setval` as an operator
    /// resets every sequence its left operand names.
    pub(super) fn functions_defined_by(&mut self, definition: &[pb::Node]) {
        for d in definition {
            let Some(N::DefElem(d)) = &d.node else {
                continue;
            };
            if !DEFINED_FUNCTIONS.contains(&d.defname.as_str()) {
                continue;
            }
            let parts = match super::walk::inner(&d.arg) {
                Some(N::TypeName(t)) => name_parts(&t.names),
                Some(N::List(l)) => name_parts(&l.items),
                Some(N::String(v)) => Some(vec![v.sval.clone()]),
                _ => None,
            };
            self.function_named_by(parts.as_deref());
        }
    }

    /// The support functions of `CREATE OPERATOR CLASS` / `ALTER OPERATOR FAMILY ... ADD FUNCTION`: an
    /// index or a hash partitioning calls them on every row, with the row's values (a hash opclass's
    /// extended function `setval(regclass, bigint)` sets the sequence each inserted row names).
    pub(super) fn functions_of_items(&mut self, items: &[pb::Node]) {
        for i in function_items(items) {
            let parts = i.name.as_ref().and_then(|n| name_parts(&n.objname));
            self.function_named_by(parts.as_deref());
        }
    }

    fn function_named_by(&mut self, parts: Option<&[String]>) {
        match parts {
            Some([name]) => self.function_named(None, name),
            Some([schema, name]) => self.function_named(Some(schema), name),
            Some(parts) => self.reference(parts),
            None => {}
        }
    }

    fn function_named(&mut self, schema: Option<&str>, name: &str) {
        // Placeholders for the arguments the server supplies: never literals, so a built-in that
        // takes a name refuses them as computed.
        const UNSEEN: [pb::Node; 4] = [
            pb::Node { node: None },
            pb::Node { node: None },
            pb::Node { node: None },
            pb::Node { node: None },
        ];
        let ours = self.sink.model.has_function(name);
        match (schema, known::function(name)) {
            (None | Some("pg_catalog"), Some(class)) => self.builtin(name, class, &UNSEEN),
            (None, None) if ours && self.path.functions().contains(&SCHEMA) => {}
            (Some(SCHEMA), _) if ours => {}
            (Some(other), _) if other != SCHEMA && other != "pg_catalog" => {
                self.schema(other, name, true)
            }
            _ => self.refuse(
                Rule::UnknownFunction,
                format!("{name}() is not a function the migrations create in {SCHEMA}, an allowlisted extension's, or a built-in the fence knows"),
                Some(&unknown_function_hint(name, &format!("create it as {SCHEMA}.{name} in a migration"))),
            ),
        }
    }

    /// A string literal an allowlisted extension's function (installed into expert_network) reads
    /// as an object's name, as `builtin` judges pg_catalog's: unaccent(regdictionary, text) applies
    /// the dictionary it names, and `'public.unaccent'` is public's (PG 15, corpus 90).
    fn extension_name_arguments(&mut self, name: &str, args: &[pb::Node]) {
        // (function, number of arguments, position, the reg* type the literal is coerced to)
        const EXTENSION_NAME_ARGS: &[(&str, usize, usize, &str)] =
            &[("unaccent", 2, 0, "regdictionary")];
        for &(_, _, p, ty) in EXTENSION_NAME_ARGS
            .iter()
            .filter(|(f, n, _, _)| *f == name && *n == args.len())
        {
            if let Some(text) = args
                .get(p)
                .and_then(|a| a.node.as_ref())
                .and_then(super::walk::const_str)
            {
                self.name_literal(text, ty, false);
            }
        }
    }

    fn builtin(&mut self, name: &str, class: FnClass, args: &[pb::Node]) {
        if name == "current_setting" {
            self.setting_read(args.first());
        }
        // A string literal where the server coerces it to a reg* type names an object: judged as
        // the name written (a literal cast to one is judged by the cast).
        for (p, ty) in known::name_arguments(name, args.len()) {
            if let Some(text) = args
                .get(p)
                .and_then(|a| a.node.as_ref())
                .and_then(super::walk::const_str)
            {
                self.name_literal(text, ty, false);
            }
        }
        match class {
            FnClass::Safe => {}
            FnClass::NamesObject(positions) => {
                let sequence = SEQUENCE_FUNCTIONS.contains(&name);
                for &p in positions {
                    let Some(arg) = args.get(p) else { continue };
                    self.name_argument(name, arg, sequence);
                }
            }
            FnClass::RunsQuery => self.refuse(
                Rule::DynamicSql,
                format!("{name}() runs SQL given as text, which the fence cannot see"),
                Some("write the query itself"),
            ),
            FnClass::Effect(effect) => self.effect(name, effect, args),
        }
    }

    /// `current_setting(name)`: any setting a role without pg_read_all_settings may read, named by a
    /// literal; a secret one (primary_conninfo's password, a passphrase command) or a computed name is
    /// refused, since a migration run as a superuser could copy it where the application reads.
    fn setting_read(&mut self, arg: Option<&pb::Node>) {
        let Some(arg) = arg else { return };
        match arg.node.as_ref().and_then(literal_text) {
            Some(setting) if known::is_secret_setting(&setting) => {
                self.secret_setting(&format!("{setting} is a setting"))
            }
            Some(_) => {}
            None if arg.node.as_ref().is_some_and(|a| self.custom_class_name(a)) => {}
            None => self.refuse(
                Rule::DynamicName,
                "current_setting() of a computed name may read a setting only superusers may see"
                    .into(),
                Some("name the setting as a literal: current_setting('lock_timeout')"),
            ),
        }
    }

    /// Whether a computed setting name always begins with a constant holding a dot:
    /// `concat('a.', x)`, `'a.' || x`, `format('a.%s', x)` (GitLab's
    /// `current_setting(CONCAT('lock_writes.', TG_TABLE_NAME), true)`, pass corpus 84). Such a name
    /// is one of the custom class before the dot, as a literal `'a.b'` is, and no setting a role
    /// without pg_read_all_settings may not read has a dot in its name (PG 15: every row pg_settings shows the superuser and hides from raguser is a core
    /// setting of `SECRET`, none dotted). Not when the migrations make a function of that name or an
    /// operator `||` in expert_network, which the pinned path would search before pg_catalog.
    fn custom_class_name(&self, n: &N) -> bool {
        let dotted = |a: Option<&pb::Node>, upto_percent: bool| {
            a.and_then(|a| a.node.as_ref())
                .is_some_and(|a| match literal_text(a) {
                    Some(t) if upto_percent => t.split('%').next().is_some_and(|p| p.contains('.')),
                    Some(t) => t.contains('.'),
                    None => !upto_percent && self.custom_class_name(a),
                })
        };
        // pg_catalog's own, qualified or found first on the pinned path.
        let builtin = |parts: &[String]| match parts {
            [f] => !self.sink.model.has_function(f),
            [schema, _] => schema == "pg_catalog",
            _ => false,
        };
        match n {
            // VARIADIC passes an array, whose text is no prefix of the name.
            N::FuncCall(f) if f.func_variadic => false,
            N::FuncCall(f) => match name_parts(&f.funcname).as_deref() {
                Some(parts @ ([name] | [_, name])) if builtin(parts) => match name.as_str() {
                    "concat" => dotted(f.args.first(), false),
                    "format" => dotted(f.args.first(), true),
                    _ => false,
                },
                _ => false,
            },
            N::AExpr(a) if a.kind == pb::AExprKind::AexprOp as i32 => {
                let op = name_parts(&a.name);
                let plain = match op.as_deref() {
                    Some([op]) => op == "||" && self.sink.model.operator_functions(op).is_empty(),
                    Some([schema, op]) => schema == "pg_catalog" && op == "||",
                    _ => false,
                };
                plain && dotted(a.lexpr.as_deref(), false)
            }
            _ => false,
        }
    }

    /// `what` completes "... only superusers may read".
    pub(super) fn secret_setting(&mut self, what: &str) {
        self.refuse(
            Rule::CatalogData,
            format!("{what} only superusers may read (commands, file paths, connection strings)"),
            Some("read only settings any role may see"),
        );
    }

    /// An argument that names an object: a literal (through casts), or pg_get_serial_sequence of a
    /// literal (Django's sequence reset); anything computed is refused.
    fn name_argument(&mut self, func: &str, arg: &pb::Node, sequence: bool) {
        if let Some(text) = arg.node.as_ref().and_then(literal_text) {
            // A bare literal is bound where written only when the parameter is a reg* type, which
            // the fence knows of the sequence functions (regclass); elsewhere it may be text
            // (`pg_get_serial_sequence('t', 'id')`), looked up when the call runs.
            let late = arg.node.as_ref().is_some_and(|a| {
                looked_up_late(a) || (!sequence && super::walk::const_str(a).is_some())
            });
            self.named_by_text(&text, &format!("{func}()"), sequence, late);
            return;
        }
        if let Some(N::FuncCall(f)) = &arg.node {
            let parts = name_parts(&f.funcname).unwrap_or_default();
            if matches!(
                parts
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .as_slice(),
                ["pg_get_serial_sequence"] | ["pg_catalog", "pg_get_serial_sequence"]
            ) {
                self.function_call(f);
                return;
            }
        }
        self.refuse(
            Rule::DynamicName,
            format!("{func}() is given an object name computed at run time, which the fence cannot prove is in {SCHEMA}"),
            Some(&format!("pass a literal: {func}('{SCHEMA}.name')")),
        );
    }

    fn effect(&mut self, name: &str, effect: known::Effect, args: &[pb::Node]) {
        use known::Effect as E;
        let (rule, hint): (Rule, &str) = match effect {
            E::Notify => {
                if self.body.is_function() || self.sink.opts.notify {
                    return;
                }
                (Rule::Notify, "notifications belong in the application's triggers; if the migration must send one (PostgREST's NOTIFY pgrst), add `-- en-migrate: allow notify`")
            }
            E::Configuration if name == "set_config" => {
                let vals: Option<Vec<String>> = args
                    .iter()
                    .take(2)
                    .map(|a| a.node.as_ref().and_then(literal_text))
                    .collect();
                let path = vals.as_deref().is_some_and(|v| v[0].eq_ignore_ascii_case("search_path"));
                if let Some(v) = vals.as_deref() {
                    self.bodies_check_spelled(&v[0]);
                }
                // The fence judges each statement under the path the file's earlier statements set
                // (`policy::paths`), which follows a set_config only as a statement of its own: one
                // anywhere else (beside another column, under a WHERE, in a view or a default run
                // later) changes the path unseen, or is followed and never runs (corpus 71).
                if path && !self.body.is_any() && !self.set_config_alone {
                    (Rule::SessionState, "set search_path in a statement of its own: SELECT pg_catalog.set_config('search_path', '...', true), or SET LOCAL search_path = ...")
                } else if path && !self.body.is_any() && self.path_unfollowed {
                    // `U&"set\005fconfig"(...)`: a spelling `policy::paths` does not read (corpus 110).
                    (Rule::SessionState, "write set_config and search_path as plain words: SELECT pg_catalog.set_config('search_path', '...', true)")
                } else if path && !self.body.is_any() && self.no_transaction && !args.get(2).and_then(|a| a.node.as_ref()).is_some_and(reads_false) {
                    (Rule::SessionState, NO_TRANSACTION_LOCAL_PATH)
                } else {
                match vals.as_deref() {
                    Some([setting, value]) if !self.body.is_any() || !setting.eq_ignore_ascii_case("search_path") => {
                        if let Err((rule, msg, hint)) = super::policy::setting(setting, std::slice::from_ref(value), false) {
                            self.refuse(rule, msg, Some(hint));
                        }
                        self.setting_names(setting, std::slice::from_ref(value));
                        return;
                    }
                    Some(_) => (Rule::SessionState, "set search_path at the top level of the migration, or on the function (SET search_path = ...)"),
                    None => (Rule::SessionState, "pass the setting's name and value as literals"),
                }
                }
            }
            // set_config is handled above; what is left configures the server (pg_reload_conf).
            // A function's body runs in the caller's transaction, later, as the application's own
            // serialisation (Zitadel's push(), hatchet's and Cap-go's triggers): a transaction-level
            // lock ends with that transaction and changes no object, like the NOTIFY bodies may send.
            // Run by the migration itself (top level, DO block) it holds a key other applications
            // may use for the migration's length; a session-level lock outlives it, and an unlock can
            // release en-migrate's own.
            E::AdvisoryLock
                if self.body.is_function()
                    && name
                        .rsplit('.')
                        .next()
                        .is_some_and(|n| n.contains("_advisory_xact_lock")) =>
            {
                return
            }
            E::AdvisoryLock => (
                Rule::SessionState,
                "remove this call: advisory locks are shared with every application; a function's body may take a transaction-level one (pg_advisory_xact_lock)",
            ),
            E::Files | E::LargeObject => (Rule::FileAccess, "load data with INSERT statements"),
            E::ExposesData => (Rule::CatalogData, "a migration has no reason to read this"),
            E::Configuration
            | E::Sequence
            | E::Statistics
            | E::Signal
            | E::Replication
            | E::Other => (
                Rule::DatabaseWide,
                "remove this call: a migration may change only expert_network",
            ),
        };
        self.refuse(rule, format!("{name}() {}", effect.reason()), Some(hint));
    }
}

/// The options of `CREATE OPERATOR`, `CREATE AGGREGATE`, `CREATE TYPE` and `CREATE TEXT SEARCH
/// PARSER/TEMPLATE` that name a function the server will call.
pub(super) const DEFINED_FUNCTIONS: &[&str] = &[
    "function",
    "procedure",
    "restrict",
    "join",
    "sfunc",
    "sfunc1",
    "finalfunc",
    "combinefunc",
    "serialfunc",
    "deserialfunc",
    "msfunc",
    "minvfunc",
    "mfinalfunc",
    "input",
    "output",
    "receive",
    "send",
    "typmod_in",
    "typmod_out",
    "analyze",
    "subscript",
    "start",
    "gettoken",
    "end",
    "headline",
    "lextypes",
    "init",
    "lexize",
];

/// Whether a literal name reaches its function as text, so that the server looks it up each time
/// the expression runs, under the path of the session running it, rather than once where it is
/// written: its first cast is to a type other than a reg* type (`nextval('s'::text)`,
/// `CAST('s' AS varchar)::regclass`, the form of pre-8.1 dumps). A bare literal or one cast first to
/// regclass becomes the object's oid when the statement is parsed, and a stored default or view keeps
/// that oid. Late names in a migration's own top-level statement run under its path at once, but the
/// same expression stored in a default, a view, a policy or a BEGIN ATOMIC body runs in the sessions
/// of the applications.
pub(super) fn looked_up_late(n: &N) -> bool {
    let N::TypeCast(c) = n else { return false };
    match super::walk::inner(&c.arg) {
        Some(inner @ N::TypeCast(_)) => looked_up_late(inner),
        Some(_) => {
            let t = c
                .type_name
                .as_ref()
                .and_then(|t| name_parts(&t.names))
                .unwrap_or_default();
            !t.last().is_some_and(|t| {
                super::statements::REG_TYPES.contains(&t.as_str())
                    || matches!(t.as_str(), "regnamespace" | "regrole")
            })
        }
        None => false,
    }
}

/// The text of a string literal, through any casts (`'x'::text::regclass`).
pub(super) fn literal_text(n: &N) -> Option<String> {
    if let Some(t) = const_str(n) {
        return Some(t.to_string());
    }
    match n {
        N::TypeCast(c) => super::walk::inner(&c.arg).and_then(literal_text),
        _ => None,
    }
}

/// Whether a set_config's `is_local` argument is written false: a literal the server reads as false.
fn reads_false(n: &N) -> bool {
    use pg_query::protobuf::a_const::Val;
    match n {
        N::AConst(c) => match &c.val {
            Some(Val::Boolval(b)) => !b.boolval,
            Some(Val::Ival(i)) => i.ival == 0,
            Some(Val::Sval(s)) => matches!(
                s.sval.trim().to_ascii_lowercase().as_str(),
                "false" | "f" | "off" | "no" | "n" | "0"
            ),
            _ => false,
        },
        N::TypeCast(c) => super::walk::inner(&c.arg).is_some_and(reads_false),
        _ => false,
    }
}

/// The hint for a local search_path change in a no-transaction file.
pub(super) const NO_TRANSACTION_LOCAL_PATH: &str = "a no-transaction file runs each statement in a transaction of its own, so SET LOCAL search_path or set_config(..., true) lasts only for itself, while the fence would judge what follows under it: write SET search_path = ... (en-migrate puts it back after the file)";

/// Where an unqualified name a migration leaves is found on expert_network's own path, for
/// `callers_temp_first`: in expert_network when the migrations make it there, in a temporary schema
/// (None) when they make it there, else among the built-ins.
fn found_in(ours: bool, temp: bool) -> Option<&'static str> {
    if ours {
        Some(SCHEMA)
    } else if temp {
        None
    } else {
        Some("pg_catalog")
    }
}

/// The hint for an unqualified function the fence does not know: an allowlisted extension's is that
/// extension's to install into expert_network (installed elsewhere, or not yet); any other, `otherwise`.
fn unknown_function_hint(name: &str, otherwise: &str) -> String {
    match known::extension_with_function(name) {
        Some(ext) => format!("{name}() is extension {ext}'s: install it into {SCHEMA} in a migration first (CREATE EXTENSION IF NOT EXISTS \"{ext}\" WITH SCHEMA {SCHEMA})"),
        None => otherwise.to_string(),
    }
}

/// The `FUNCTION n ...` items of `CREATE OPERATOR CLASS` / `ALTER OPERATOR FAMILY ... ADD`.
pub(super) fn function_items(items: &[pb::Node]) -> impl Iterator<Item = &pb::CreateOpClassItem> {
    // OPCLASS_ITEM_FUNCTION in PostgreSQL's parsenodes.h.
    const FUNCTION: i32 = 2;
    items.iter().filter_map(|item| match &item.node {
        Some(N::CreateOpClassItem(i)) if i.itemtype == FUNCTION => Some(i),
        _ => None,
    })
}
