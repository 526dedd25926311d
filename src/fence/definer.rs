//! Where a SECURITY DEFINER string body finds its functions and operators. Such a body runs with
//! its owner's rights (the runner's superuser) in the caller's session, and the server looks up
//! every function and operator it leaves unqualified on the function's own path, or on the caller's
//! when it has none. Every schema on that path but pg_catalog is one another role may create in:
//! expert_network itself (the migrations grant the application's role CREATE there, as
//! `sql/003_grants.sql` does), or whatever the caller puts first. And no order makes that safe: the
//! server gathers the candidates of every schema on the path and prefers one whose argument types
//! match exactly, so `lower(v)` of a varchar finds the caller's `expert_network.lower(varchar)`
//! before `pg_catalog.lower(text)` even under `pg_catalog, expert_network`. (pg_temp is never
//! searched for functions or operators; relations and types, which cannot be overloaded, are
//! `resolve.rs`'s.) This module only judges; it must never accept a name the server may find
//! outside pg_catalog on such a path.

use super::walk::{name_parts, Walker};
use super::{Rule, SCHEMA};
use pg_query::protobuf::{self as pb, SubLinkType};

impl Walker<'_, '_> {
    /// Whether an unqualified function or operator here may be found in a schema another role may
    /// create in: inside a SECURITY DEFINER string body whose path (its own, or the caller's when it
    /// has none) searches any schema but pg_catalog for them.
    fn definer_overloadable(&self) -> bool {
        self.definer
            && (self.caller_path || self.path.functions().iter().any(|s| *s != "pg_catalog"))
    }

    /// Walks `f` as an expression the server runs with its relation's owner's rights (the runner's
    /// superuser) whenever maintenance asks for it, not only when the migrations do: an index's
    /// expressions and predicate (an EXCLUDE constraint's too) and a statistics object's expressions,
    /// which ANALYZE evaluates over sampled rows, autovacuum's included, as the table's owner (PG 15:
    /// autovacuum analyzed a table after the application's role inserted rows into it, and an
    /// index's function ran that role's `expert_network.lower(text)` as the superuser). The calls
    /// there were bound when the expression was stored, as a BEGIN ATOMIC body's are, but the string
    /// bodies of the functions they reach look up their names when they run: judged as a BEGIN
    /// ATOMIC definer's calls. The caller's path, which a
    /// function without one of its own takes, is maintenance's: autovacuum's is the server's default
    /// (`"$user", public`, where the application's role may not create since PostgreSQL 15), and
    /// PostgreSQL 17 pins `pg_catalog, pg_temp` for every maintenance command; so only a function's
    /// own path that searches expert_network, and what it reaches, count (the runner's own later
    /// ANALYZE under the pinned path is the runner's write, as a trigger's is).
    pub(super) fn owner_runs(&mut self, what: &'static str, f: impl FnOnce(&mut Self)) {
        let saved = (
            self.atomic_definer,
            self.atomic_searches_ours,
            self.owner_run,
        );
        if !self.definer {
            self.atomic_definer = true;
            self.atomic_searches_ours = false;
            self.owner_run = Some(what);
        }
        f(self);
        (
            self.atomic_definer,
            self.atomic_searches_ours,
            self.owner_run,
        ) = saved;
    }

    /// An operator named `parts` in an expression the owner runs (`owner_runs`): its function runs
    /// as a call there would, the operator bound when the expression was stored (one of
    /// expert_network's written unqualified is found there under the migration's path).
    pub(super) fn owner_runs_operator(&mut self, parts: &[String]) {
        if self.owner_run.is_none() || self.definer {
            return;
        }
        let op = match parts {
            [s, op] if s == SCHEMA => op,
            [op] => op,
            _ => return,
        };
        for f in self.sink.model.operator_functions(op) {
            self.definer_calls_invoker(&f);
        }
    }

    /// A foreign key of `table` whose ON DELETE or ON UPDATE action writes the referencing rows
    /// (CASCADE, SET NULL, SET DEFAULT): the server runs that write as `table`'s owner (the runner's
    /// superuser) whenever any role deletes or updates a referenced row, in that role's session and
    /// under its search_path, and the BEFORE triggers and stored expressions of `table` run inline
    /// with those rights (PG 15: raguser's DELETE of a parent row set the child's key NULL, and the
    /// child's plain `updated_at` trigger, without a path of its own, called raguser's
    /// `expert_network.now()` as the superuser; corpus 80). Judged as an owner-run write of `table`,
    /// on a caller's path that searches expert_network, by the kinds of write the keys' actions
    /// make (`writes`: what a DELETE runs is not what an UPDATE runs). An update also inserts the
    /// new row versions into `table`'s indexes, whose upkeep runs the functions the server calls
    /// for a type without a call naming them (`implicit_functions`): a GiST index over a range
    /// type calls its SUBTYPE_DIFF to choose a page (PG 15: raguser's update of a referenced range
    /// cascaded to the child, whose GiST index ran the range's `abs(a - b)`, finding raguser's
    /// `expert_network.abs(float8)`, as the superuser; corpus 93); any of them counts, as an
    /// index of the type may be made later. (Who may add triggers to `table` is left to the
    /// grants: see the report of corpus 80.)
    pub(super) fn referential_writes(&mut self, table: Option<&pb::RangeVar>, writes: RiWrites) {
        let Some(table) = table.filter(|t| t.schemaname == SCHEMA || t.schemaname.is_empty())
        else {
            return;
        };
        let rel = table.relname.clone();
        self.owner_runs(RI_RUN, |w| {
            w.atomic_searches_ours = true;
            let mut fns = w.sink.model.inline_write_functions(&rel, writes);
            if writes.updates {
                fns.extend(w.sink.model.implicit_functions());
            }
            fns.sort();
            fns.dedup();
            for f in fns {
                w.definer_calls_invoker(&f);
            }
            if let Some(d) = w.sink.model.writes_given_away_domain(&rel) {
                w.domain_given_away(&d);
            }
        });
    }

    /// What runs the calls being judged with the owner's rights, for the refusals.
    fn caller(&self) -> &'static str {
        if self.definer {
            "this SECURITY DEFINER function"
        } else {
            self.owner_run.unwrap_or("this SECURITY DEFINER function")
        }
    }

    /// An unqualified function `name` called in the body being walked.
    pub(super) fn definer_function(&mut self, name: &str) {
        if self.definer_overloadable() {
            self.overloadable(
                "function",
                &format!("{name}()"),
                &format!("pg_catalog.{name}(...)"),
            );
        }
    }

    /// A call of expert_network's own function `name` with `args` arguments (the last written
    /// VARIADIC: `variadic`) in a SECURITY DEFINER string body. Qualifying it does not fix which
    /// function runs: the server gathers every `expert_network.name` and prefers one whose
    /// parameter types match the arguments exactly, so `expert_network.norm(v)` of a varchar,
    /// written for `norm(text)`, runs an `expert_network.norm(varchar)` the application's role adds
    /// later, with the owner's rights. Nor can one match better when the type of every argument is
    /// known exactly (cast, a parameter, a declared variable, see `arg_types.rs`) and the list is a
    /// function's the migrations create and leave under that name (`Model::has_signature`): one
    /// with the same list cannot be created beside it, one that adds a defaulted parameter makes
    /// the call ambiguous, an error, and a VARIADIC one loses to it (PG 15, `tests/fence/pass/47_*`).
    /// Without arguments the list is empty, the same case.
    pub(super) fn definer_own_function(&mut self, name: &str, args: &[pb::Node], variadic: bool) {
        if !self.definer {
            return;
        }
        // Without arguments too, where the name is only an extension's that may sit in another
        // schema, no function of it in expert_network (`Model::maybe_elsewhere`, refuse corpus 150).
        if args.is_empty() && self.sink.model.maybe_elsewhere(name) {
            self.refuse(
                Rule::UnqualifiedName,
                format!("{SCHEMA}.{name}() is called in a SECURITY DEFINER function, and is only the function of an extension the migrations make IF NOT EXISTS or in a DO block: where the database holds that extension in another schema already, the statement does nothing, and a role that may create objects in {SCHEMA} (the application's role may) makes its own {name}(), which then runs with the owner's rights"),
                Some("make the extension with a plain CREATE EXTENSION (it fails where the extension exists elsewhere)"),
            );
        }
        if args.is_empty() {
            return;
        }
        let types: Option<Vec<String>> = args.iter().map(|a| self.known_arg_type(a)).collect();
        let exact = types.is_some_and(|types| {
            let model = self.sink.model;
            match self.definer_ends.as_slice() {
                [] => model.has_signature(name, &types, variadic, None, false, false),
                ends => ends
                    .iter()
                    .all(|&end| model.has_signature(name, &types, variadic, end, false, false)),
            }
        });
        if !exact {
            self.refuse(
                Rule::UnqualifiedName,
                format!("{SCHEMA}.{name}() is called with arguments in a SECURITY DEFINER function: a role that may create objects in {SCHEMA} (the application's role may) can add an overload of {name} whose parameter types match those arguments more closely, which the server then picks, and it runs with the owner's rights"),
                Some(&format!("pass the definer's own parameters or DECLAREd variables of exactly the parameter types the function declares, or cast each argument to its parameter's type ({SCHEMA}.{name}(v::pg_catalog.text)), in a statement without a FROM item (where a column could take the name)")),
            );
        }
    }

    /// A call of expert_network's own function `name`, qualified or found there, in a SECURITY DEFINER
    /// string body. Called there, an invoker runs with the definer's owner's rights too, and its
    /// unqualified functions and operators are looked up on its own path, or on the definer's when
    /// it has none: one that searches expert_network lets the application's role add the function
    /// that runs, as in the definer's own body. The triggers of what the definer writes are such
    /// calls too (`definer_writes`). What that invoker calls in turn runs so too, at any depth
    /// (`Model::invoker_reaches_overloadable`).
    pub(super) fn definer_calls_invoker(&mut self, name: &str) {
        // A BEGIN ATOMIC body bound its calls when it was made, but the string bodies it calls still
        // find their names when they run, with its owner's rights.
        let searches_ours = if self.definer {
            self.caller_path || self.path.functions().contains(&SCHEMA)
        } else if self.atomic_definer {
            self.atomic_searches_ours
        } else {
            return;
        };
        let model = self.sink.model;
        if model.given_away(name) {
            self.definer_calls_given_away(name);
        } else if model.invoker_finds_ours(name, true)
            || (searches_ours && model.invoker_finds_ours(name, false))
        {
            self.refuse(
                Rule::UnqualifiedName,
                format!("{SCHEMA}.{name}() runs with the owner's rights when {} calls it, and looks up its unqualified functions and operators on a search_path that searches {SCHEMA}, where a role that may create objects there (the application's role may) can add one the server picks over pg_catalog's", self.caller()),
                Some(&format!("give {SCHEMA}.{name} SET search_path = pg_catalog, pg_temp (writing {SCHEMA}.x for the schema's own names), or make it SECURITY DEFINER too so its body is held to these rules")),
            );
        } else if let Some(chain) = model.invoker_reaches_overloadable(name) {
            let via = match chain.get(1..) {
                Some(rest) if !rest.is_empty() => format!(
                    " (here through {})",
                    rest.iter()
                        .map(|f| format!("{SCHEMA}.{f}()"))
                        .collect::<Vec<_>>()
                        .join(", then ")
                ),
                _ => String::new(),
            };
            self.refuse(
                Rule::UnqualifiedName,
                format!("{SCHEMA}.{name}() runs with the owner's rights when {} calls it, and so does every function it calls in turn{via}: a call there of a function of {SCHEMA} with arguments or of one of its operators, of an invoker that searches {SCHEMA} for its unqualified names, a write to a table on which the migrations let another role add triggers, or a read of a relation the migrations give to another role (or of a view over one), lets a role that may create objects there (the application's role may) add an overload the server picks, or that role's trigger run", self.caller()),
                Some("make every function this call reaches call only pg_catalog's functions (qualified), or make it SECURITY DEFINER too so its body is held to these rules"),
            );
        }
    }

    /// A call of expert_network's `name` in a SECURITY DEFINER body (a BEGIN ATOMIC one too, which
    /// binds the function but not its body), where the migrations give that function to another
    /// role: CREATE OR REPLACE by its owner keeps the function and changes what the call runs.
    pub(super) fn definer_calls_given_away(&mut self, name: &str) {
        if (self.definer || self.atomic_definer) && self.sink.model.given_away(name) {
            self.refuse(
                Rule::Ownership,
                format!("{} calls {SCHEMA}.{name}(), which the migrations give to another role (ALTER ... OWNER TO): its owner may replace the body, which then runs with {}", self.caller(), if self.caller().starts_with("this SECURITY") { "this function's owner's rights" } else { "the owner's rights" }),
                Some(&format!("keep {SCHEMA}.{name} owned by the runner, or leave this call out")),
            );
        }
    }

    /// A type named `parts` in a SECURITY DEFINER body (a BEGIN ATOMIC one too), or in a definer's
    /// signature (`signature`): a value cast, assigned or returned as a domain of expert_network's
    /// runs the functions its CHECKs call, as the definer's call of them.
    pub(super) fn definer_type(&mut self, parts: &[String], signature: bool) {
        if !(self.definer || self.atomic_definer || signature) {
            return;
        }
        let name = match parts {
            [s, n] if s == SCHEMA => n,
            [n] => n,
            _ => return,
        };
        let (definer, atomic) = (self.definer, self.atomic_definer);
        // A signature is judged as the body's own rules are (its path is the definer's).
        self.atomic_definer |= signature && !self.definer;
        for f in self.sink.model.domain_calls(name) {
            self.definer_calls_invoker(&f);
        }
        if let Some(d) = self.sink.model.domain_given_away(name) {
            self.domain_given_away(&d);
        }
        (self.definer, self.atomic_definer) = (definer, atomic);
    }

    /// A value that becomes expert_network's domain `d` here, which the migrations give to another
    /// role: its owner may add a CHECK calling its own function (`ALTER DOMAIN ... ADD CONSTRAINT`),
    /// run with the owner's rights of what casts or writes the value (PG 15: a definer's `x::d` ran
    /// raguser's CHECK, which gave raguser CREATEROLE; corpus 78).
    fn domain_given_away(&mut self, d: &str) {
        self.refuse(
            Rule::Ownership,
            format!("{} makes a value of {SCHEMA}.{d}, a domain the migrations give to another role (ALTER DOMAIN ... OWNER TO): its owner may add a CHECK calling a function of its own, which then runs with the owner's rights", self.caller()),
            Some(&format!("keep {SCHEMA}.{d} owned by the runner")),
        );
    }

    /// A read of expert_network's relation `rel` in a SECURITY DEFINER body (a BEGIN ATOMIC one too),
    /// where the migrations give `rel` to another role (`ALTER TABLE / VIEW ... OWNER TO`): its owner
    /// may replace a view's query (CREATE OR REPLACE VIEW keeps the view a body bound), or drop a
    /// table and make a view of its name, whose function calls then run with the definer's owner's
    /// rights (PG 15: raguser, given the view, replaced its query with a call of its own function,
    /// and the definer's `SELECT count(*)` of it gave raguser CREATEROLE; corpus 79). A write is
    /// `definer_writes`'s (the owner may add triggers).
    pub(super) fn definer_reads_given_away(&mut self, rel: &str) {
        let owners = self.sink.model.read_owners(rel);
        if owners.is_empty() {
            return;
        }
        let who = owners
            .iter()
            .map(|r| if r.is_empty() { "a role" } else { r.as_str() })
            .collect::<Vec<_>>()
            .join(", ");
        self.refuse(
            Rule::Ownership,
            format!("this SECURITY DEFINER function reads {SCHEMA}.{rel}, which the migrations give to {who} (OWNER TO), or a view it reads at any depth reads a relation they give so: its owner may replace a view's query, or a table with a view of that name, whose calls then run with this function's owner's rights"),
            Some(&format!("keep {SCHEMA}.{rel} owned by the runner")),
        );
    }

    /// A read of expert_network's relation `rel` in a SECURITY DEFINER string body, where a column
    /// it yields is of a type the migrations give to another role (`Model::reads_given_away_type`):
    /// the type's owner may `CREATE CAST` from or to it `WITH FUNCTION` of its own, which the body's
    /// cast of the value, parsed when the body runs, calls with the owner's rights. A BEGIN ATOMIC
    /// body bound its casts when it was made (a domain's CHECKs, looked up when they run, are
    /// `definer_type`'s).
    pub(super) fn definer_reads_given_away_type(&mut self, rel: &str) {
        if !self.definer {
            return;
        }
        if let Some(t) = self.sink.model.reads_given_away_type(rel) {
            self.refuse(
                Rule::Ownership,
                format!("this SECURITY DEFINER function reads {SCHEMA}.{rel}, which holds values of {SCHEMA}.{t}, a type the migrations give to another role (ALTER TYPE / DOMAIN ... OWNER TO): its owner may CREATE CAST from or to it WITH FUNCTION of its own, and a cast of such a value in this body, parsed when it runs, then calls that function with this function's owner's rights"),
                Some(&format!("keep {SCHEMA}.{t} owned by the runner")),
            );
        }
    }

    /// A write (INSERT, UPDATE, DELETE, MERGE, TRUNCATE) to expert_network's relation `rel` in a
    /// SECURITY DEFINER string body: the triggers there run with the owner's rights, as a call would.
    pub(super) fn definer_writes(&mut self, rel: &pb::RangeVar) {
        let ours = rel.schemaname == SCHEMA || rel.schemaname.is_empty();
        if !(self.definer || self.atomic_definer) || !ours {
            return;
        }
        let mut fns = self.sink.model.trigger_functions(&rel.relname);
        fns.sort();
        for f in fns {
            self.definer_calls_invoker(&f);
        }
        if let Some(d) = self.sink.model.writes_given_away_domain(&rel.relname) {
            self.domain_given_away(&d);
        }
        let holders = self.sink.model.trigger_holders(&rel.relname);
        if !holders.is_empty() {
            let who = holders
                .iter()
                .map(|r| if r.is_empty() { "a role" } else { r.as_str() })
                .collect::<Vec<_>>()
                .join(", ");
            let name = &rel.relname;
            self.refuse(
                Rule::Ownership,
                format!("this SECURITY DEFINER function writes {SCHEMA}.{name}, on which the migrations let {who} add triggers (TRIGGER granted, by name, on all tables or by default privileges, or the table given to it): a trigger's function runs with the writer's rights, here the owner's"),
                Some(&format!("REVOKE TRIGGER ON {SCHEMA}.{name} FROM {who} after the grants (the application needs no TRIGGER), and keep the table's owner the runner")),
            );
        }
    }

    /// A call of expert_network's `name` in a SECURITY DEFINER string body, where the migrations drop
    /// that function (or rename it away) after making it: the body runs after them, when the name is
    /// free, and a function of that name the application's role creates then runs with the owner's
    /// rights. (PL/pgSQL resolves the call only when it runs, so the definer is created without
    /// error.) A drop of one overload leaves the others (`Model::function_gone`): the call of `args`
    /// arguments counts as gone when none left takes that many. It is judged where the body stops
    /// running (`Model::definer_ends`): a body replaced by `CREATE OR REPLACE`, or dropped, before
    /// its callee is dropped never runs while the name is free.
    pub(super) fn definer_calls_gone(&mut self, name: &str, args: usize) {
        let model = self.sink.model;
        let gone = if self.definer_ends.is_empty() {
            model.function_gone(name, args, None)
        } else {
            self.definer_ends
                .iter()
                .any(|&end| model.function_gone(name, args, end))
        };
        if self.definer && gone {
            self.refuse(
                Rule::UnknownFunction,
                format!("{SCHEMA}.{name}() is dropped or renamed away by the migrations, so this SECURITY DEFINER function would call whatever function of that name a role that may create in {SCHEMA} (the application's role may) makes later, with the owner's rights"),
                Some(&format!("call the function under the name the migrations leave it, or create {SCHEMA}.{name} again after dropping it")),
            );
        }
    }

    /// An operator named by `parts` (empty: the `=` an `IN (SELECT ...)` implies). One qualified by
    /// expert_network is overloadable there whatever the path, as a function is
    /// (`definer_own_function`).
    fn definer_operator(&mut self, parts: &[String]) {
        if self.definer && matches!(parts, [schema, _] if schema == SCHEMA) {
            let op = &parts[1];
            self.refuse(
                Rule::UnqualifiedName,
                format!("OPERATOR({SCHEMA}.{op}) in a SECURITY DEFINER function: a role that may create objects in {SCHEMA} (the application's role may) can add an operator {op} whose operand types match more closely, which the server then picks, and it runs with the owner's rights"),
                Some(&format!("write OPERATOR(pg_catalog.{op}) or a pg_catalog function instead")),
            );
            return;
        }
        if parts.len() < 2 && self.definer_overloadable() {
            let op = parts.first().map_or("=", String::as_str);
            self.overloadable("operator", op, &format!("OPERATOR(pg_catalog.{op})"));
        }
    }

    /// Whether a relation or type name found in pg_catalog may be found in expert_network first
    /// instead, where another role may create one of that name (a view, or a domain whose CHECK
    /// calls its function): the definer's own path searches expert_network before pg_catalog. (A
    /// path of the caller's, and pg_temp, are `callers_temp_first`'s.)
    pub(super) fn catalog_shadowed(&self) -> bool {
        if !self.definer || self.caller_path {
            return false;
        }
        let order = self.path.relations();
        let at = |s: &str| order.iter().position(|x| *x == s);
        matches!((at(SCHEMA), at("pg_catalog")), (Some(ours), Some(cat)) if ours < cat)
    }

    /// `what` `name`, found in pg_catalog, where `catalog_shadowed`.
    pub(super) fn shadowed_catalog_name(&mut self, what: &str, name: &str) {
        self.refuse(
            Rule::UnqualifiedName,
            format!("{what} {name} in a SECURITY DEFINER function is found in pg_catalog, but its search_path searches {SCHEMA} first, where a role that may create objects there (the application's role may) can make one of that name whose rules or domain checks then run with the owner's rights"),
            Some(&format!("write pg_catalog.{name}, or give the function SET search_path = pg_catalog, pg_temp and write {SCHEMA}.x for the schema's own names")),
        );
    }

    fn overloadable(&mut self, what: &str, name: &str, fix: &str) {
        let path = if self.caller_path {
            "the caller's search_path (the function has none of its own)"
        } else {
            "a search_path that names expert_network"
        };
        self.refuse(
            Rule::UnqualifiedName,
            format!("{what} {name} in a SECURITY DEFINER function is looked up on {path}: a role that may create objects there (the application's role may create in {SCHEMA}) can add one of that name that the server picks over pg_catalog's (searched first, or a closer match for the arguments), and it runs with the owner's rights"),
            Some(&format!("write {fix}, or give the function SET search_path = pg_catalog, pg_temp and write {SCHEMA}.x for the schema's own names")),
        );
    }

    /// The operators an expression node names, or implies, that the server looks up on the path when
    /// it parses the body: `a <op> b` (with IN, BETWEEN, NULLIF, IS DISTINCT FROM, LIKE), `x IN
    /// (SELECT ...)` and `x <op> ANY (SELECT ...)`, `CASE x WHEN v` (an `=`), `JOIN ... USING` and
    /// NATURAL JOIN (an `=` per column), `ORDER BY x USING <op>`. The others a query implies
    /// (DISTINCT, GROUP BY, a plain ORDER BY, GREATEST) come from the type's default operator class,
    /// which is not looked up by name.
    pub(super) fn implied_operators(&mut self, n: super::nodes::Ref<'_>) {
        use super::nodes::Ref;
        if !self.definer {
            return;
        }
        match n {
            Ref::AExpr(a) => {
                use pg_query::protobuf::AExprKind as K;
                let between = matches!(
                    K::try_from(a.kind),
                    Ok(K::AexprBetween
                        | K::AexprNotBetween
                        | K::AexprBetweenSym
                        | K::AexprNotBetweenSym)
                );
                // BETWEEN is parsed into `>=` and `<=`, both looked up on the path.
                let parts = if between {
                    vec![">=".to_string()]
                } else {
                    name_parts(&a.name).unwrap_or_default()
                };
                self.definer_operator(&parts)
            }
            Ref::SubLink(s) => {
                let compares = matches!(
                    SubLinkType::try_from(s.sub_link_type),
                    Ok(SubLinkType::AnySublink
                        | SubLinkType::AllSublink
                        | SubLinkType::RowcompareSublink)
                );
                if compares {
                    self.definer_operator(&name_parts(&s.oper_name).unwrap_or_default());
                }
            }
            Ref::CaseExpr(c) if c.arg.is_some() => self.definer_operator(&[]),
            Ref::JoinExpr(j) if j.is_natural || !j.using_clause.is_empty() => {
                self.definer_operator(&[])
            }
            Ref::SortBy(s) if !s.use_op.is_empty() => {
                self.definer_operator(&name_parts(&s.use_op).unwrap_or_default())
            }
            _ => {}
        }
    }
}

const RI_RUN: &str = "a foreign key's ON DELETE or ON UPDATE action (CASCADE, SET NULL, SET DEFAULT), writing the referencing rows as their table's owner in the session of any role that deletes or updates a referenced row,";

/// How foreign keys' actions write the referencing rows, as the referencing table's owner: by
/// UPDATE (ON UPDATE CASCADE, SET NULL or SET DEFAULT; ON DELETE SET NULL or SET DEFAULT) and by
/// DELETE (ON DELETE CASCADE). The kind decides what runs inline: an ON DELETE CASCADE alone fires
/// only the BEFORE DELETE triggers and evaluates no stored expression (PG 15: raguser's DELETE of a
/// parent row cascaded to a child whose BEFORE INSERT OR UPDATE trigger, CHECK and index
/// expression each called lower(), and raguser's `expert_network.lower(text)` never ran; an ON
/// UPDATE CASCADE alone fired no BEFORE DELETE trigger; corpus 80 of pass/).
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub(crate) struct RiWrites {
    pub(crate) updates: bool,
    pub(crate) deletes: bool,
}

impl RiWrites {
    pub(crate) fn any(self) -> bool {
        self.updates || self.deletes
    }

    pub(crate) fn union(self, o: RiWrites) -> RiWrites {
        RiWrites {
            updates: self.updates || o.updates,
            deletes: self.deletes || o.deletes,
        }
    }
}

/// The writes `c`'s actions make, if it is a FOREIGN KEY (none for NO ACTION and RESTRICT).
pub(super) fn referencing_row_writes(c: &pb::Constraint) -> RiWrites {
    if c.contype != pb::ConstrType::ConstrForeign as i32 {
        return RiWrites::default();
    }
    RiWrites {
        updates: matches!(c.fk_upd_action.as_str(), "c" | "n" | "d")
            || matches!(c.fk_del_action.as_str(), "n" | "d"),
        deletes: c.fk_del_action == "c",
    }
}

/// What `c`'s actions write in the referencing rows when a referenced row is deleted, and when
/// one is updated (nothing for NO ACTION and RESTRICT, whose checks only read them; none at all
/// if `c` is no FOREIGN KEY): ON DELETE CASCADE deletes them, ON DELETE SET NULL or SET DEFAULT
/// and ON UPDATE CASCADE, SET NULL or SET DEFAULT update them.
pub(super) fn referencing_writes_by_kind(c: &pb::Constraint) -> (RiWrites, RiWrites) {
    if c.contype != pb::ConstrType::ConstrForeign as i32 {
        return (RiWrites::default(), RiWrites::default());
    }
    let on_delete = RiWrites {
        updates: matches!(c.fk_del_action.as_str(), "n" | "d"),
        deletes: c.fk_del_action == "c",
    };
    let on_update = RiWrites {
        updates: matches!(c.fk_upd_action.as_str(), "c" | "n" | "d"),
        deletes: false,
    };
    (on_delete, on_update)
}

/// The writes of the keys a list of table elements (or one ALTER TABLE command's definition) holds.
pub(super) fn referential_writes_of(elts: &[pb::Node]) -> RiWrites {
    elts.iter()
        .map(|e| match &e.node {
            Some(pb::node::Node::Constraint(c)) => referencing_row_writes(c),
            Some(pb::node::Node::ColumnDef(col)) => referential_writes_of(&col.constraints),
            _ => RiWrites::default(),
        })
        .fold(RiWrites::default(), RiWrites::union)
}

/// Whether a function's options give it a search_path on which functions and operators are looked
/// up in expert_network (`current`: the path `FROM CURRENT` takes).
pub(super) fn path_searches_ours(opts: &[pb::Node], current: &super::policy::SearchPath) -> bool {
    super::body::function_path(opts, current).is_some_and(|p| p.functions().contains(&SCHEMA))
}
