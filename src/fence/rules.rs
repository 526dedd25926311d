//! The fence's rule identities: one enum, and for each rule its name, what it refuses (the README's
//! table, made from this list and checked against it), what to do about a refusal when the place that
//! refused has nothing more specific, and whether a refusal means the file could never apply. The
//! corpus's `tests/fence/RULES.md` names exactly these rules.
//!
//! Shaped like the lint's `Rule` (`src/lint/rule.rs`): names are looked up here and nowhere else.

use serde::Serialize;

/// The name of en-migrate's own tracker in public, which migrations may not touch: its one spelling,
/// beside the rule that keeps migrations off it. It is spelt in the fence, not in `db/tracker.rs`,
/// because the fence, earlier on the path than the database edge, must know it too;
/// `db::tracker::TABLE` is the qualified name every statement and message uses. A macro, so the
/// tracker's other names (`public.` before it, its relations' suffixes after it) are constants too.
macro_rules! tracker_name {
    () => {
        "schema_migrations"
    };
}
pub(crate) use tracker_name;

/// What a rule is about, as the README and every finding say it.
#[derive(Debug)]
pub struct About {
    pub name: &'static str,
    /// The README table's "refuses" cell (only its test reads it).
    #[cfg_attr(not(test), allow(dead_code))]
    pub summary: &'static str,
    /// What to do about a refusal, when the place that refused has nothing more specific.
    pub hint: &'static str,
    /// The file could never have applied cleanly (it does not parse, or PostgreSQL refuses it inside a
    /// transaction): `up` refuses it before connecting, whatever the tracker says.
    pub structural: bool,
}

const PUBLIC: &str =
    "public belongs to BetterAuth and the other applications; keep every object in expert_network";
const OWNER: &str =
    "a migration may change only expert_network; do this outside en-migrate, as the database's owner";
const ALLOWLIST: &str =
    "the fence is an allowlist; if this statement is safe, open an issue with it";

macro_rules! rules {
    ($($variant:ident { $name:literal, $summary:expr, $hint:expr, structural: $structural:literal })*) => {
        /// Every fence rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule { $($variant),* }

        impl Rule {
            /// Every rule, in the order the README lists them (only the tests read it).
            #[cfg_attr(not(test), allow(dead_code))]
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            pub fn about(self) -> &'static About {
                match self {
                    $(Rule::$variant => &About {
                        name: $name,
                        summary: $summary,
                        hint: $hint,
                        structural: $structural,
                    }),*
                }
            }
        }
    };
}

rules! {
    ParseError {
        "parse-error",
        "text the PostgreSQL parser cannot parse",
        ALLOWLIST,
        structural: true
    }
    UnknownStatement {
        "unknown-statement",
        "a statement kind (or function language, or PL/pgSQL statement or field) the fence does not know",
        ALLOWLIST,
        structural: true
    }
    PsqlMetaCommand {
        "psql-meta-command",
        "psql backslash commands (`\\i`, `\\gexec`, `\\copy`, ...)",
        ALLOWLIST,
        structural: true
    }
    UnqualifiedName {
        "unqualified-name",
        "a created object written without `expert_network.` (unless the file's own `SET search_path` puts expert_network first, where the server creates it), or an unqualified name (relation, function, type) that resolves to nothing the fence knows (also inside function bodies)",
        "write expert_network.name",
        structural: false
    }
    TouchesPublic {
        "touches-public",
        "anything in schema public, or the public schema itself, in any spelling (`\"public\"`, `PUBLIC`, `U&\"\\0070ublic\"`)",
        PUBLIC,
        structural: false
    }
    OutsideSchema {
        "outside-schema",
        "any other schema; writes, row locks and DDL on `pg_catalog` / `information_schema`, also through an unqualified name, a CTE-named target or a view",
        OWNER,
        structural: false
    }
    TrackerTable {
        "tracker-table",
        concat!("`public.", tracker_name!(), "`, which only en-migrate writes"),
        PUBLIC,
        structural: false
    }
    SessionState {
        "session-state",
        "settings the runner relies on or that are not plain, `search_path` naming other schemas, `SET ROLE`, `DISCARD`, `LOAD`, `ALTER ROLE/DATABASE ... SET`, advisory locks",
        "plain settings (lock_timeout, statement_timeout, ...) may be SET; remove this statement",
        structural: false
    }
    TransactionControl {
        "transaction-control",
        "`BEGIN`, `COMMIT`, `ROLLBACK`, `SAVEPOINT`, `END`, `PREPARE TRANSACTION` other than the plain `BEGIN` ... `COMMIT` blocks of a transactional file (not the `END` of a PL/pgSQL body)",
        "en-migrate runs each migration in its own transaction; use a `-- en-migrate: no-transaction` file for work that cannot",
        structural: false
    }
    DynamicSql {
        "dynamic-sql",
        "computed `EXECUTE` in PL/pgSQL (without the opt-in, or with it in a no-transaction file), `PREPARE`/`EXECUTE`/`DEALLOCATE`, functions that run SQL given as text",
        "write the statement itself, with schema-qualified names",
        structural: false
    }
    FileAccess {
        "file-access",
        "`COPY` to or from a file or program, `COPY FROM STDIN`, server file and large-object functions, dblink",
        "load data with INSERT statements",
        structural: false
    }
    Ownership {
        "ownership",
        "`DROP OWNED`, `REASSIGN OWNED`; a SECURITY DEFINER body's write to a table on which the migrations let another role add triggers (TRIGGER granted and not revoked, or `OWNER TO` it), or calls a function the migrations give to another role, or is made in a schema they give away",
        OWNER,
        structural: false
    }
    DefaultPrivileges {
        "default-privileges",
        "`ALTER DEFAULT PRIVILEGES` without `IN SCHEMA expert_network`",
        ALLOWLIST,
        structural: false
    }
    Roles {
        "roles",
        "`ALTER ROLE`, `DROP ROLE`, `GRANT role TO role`, `CREATE ROLE` with SUPERUSER/CREATEROLE/CREATEDB/REPLICATION/BYPASSRLS",
        OWNER,
        structural: false
    }
    DatabaseWide {
        "database-wide",
        "publications (other than ADD/DROP TABLE of expert_network's tables), subscriptions, event triggers, `ALTER SYSTEM`, databases, tablespaces, FDWs, languages, casts, DEFAULT operator classes for types outside expert_network, extensions not on the allowlist or outside expert_network, signals, statistics resets, sequence and replication effects",
        OWNER,
        structural: false
    }
    ConcurrentInTransaction {
        "concurrent-in-transaction",
        "`CREATE INDEX CONCURRENTLY` (and `VACUUM`, `DROP INDEX CONCURRENTLY`, ...) outside a `no-transaction` file",
        ALLOWLIST,
        structural: true
    }
    UnknownFunction {
        "unknown-function",
        "a function that is neither expert_network's own, an allowlisted extension's, nor a classified built-in",
        ALLOWLIST,
        structural: false
    }
    CatalogData {
        "catalog-data",
        "catalog relations that expose data or secrets, or that the fence does not know",
        ALLOWLIST,
        structural: false
    }
    DynamicName {
        "dynamic-name",
        "an object named by a computed value where a literal naming an expert_network object is required, or a built-in that takes a name, named by an operator, aggregate or operator class",
        ALLOWLIST,
        structural: false
    }
    Notify {
        "notify",
        "`NOTIFY` / `pg_notify()` run by the migration itself, without `-- en-migrate: allow notify`",
        ALLOWLIST,
        structural: false
    }
}

impl Rule {
    pub fn name(self) -> &'static str {
        self.about().name
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A finding's `rule` in JSON is the rule's name.
impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Tests compare findings' rules with names, as the corpus writes them.
#[cfg(test)]
impl PartialEq<&str> for Rule {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's table, made from this list.
    fn readme_table() -> String {
        let mut out = String::from("| rule | refuses |\n|---|---|\n");
        for r in Rule::ALL {
            out += &format!("| `{}` | {} |\n", r.name(), r.about().summary);
        }
        out
    }

    #[test]
    fn names_are_unique_kebab_case() {
        let mut names: Vec<_> = Rule::ALL.iter().map(|r| r.name()).collect();
        assert!(names
            .iter()
            .all(|n| n.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')));
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
    }

    /// The README's table is exactly the one this list makes (regenerate it with the test's output).
    #[test]
    fn readme_lists_every_rule() {
        let readme = include_str!("../../README.md");
        let table = readme_table();
        assert!(
            readme.contains(&table),
            "README.md's fence rule table differs; replace it with:\n{table}"
        );
    }

    /// The corpus's RULES.md names exactly these rules, in this order.
    #[test]
    fn the_corpus_names_every_rule() {
        let doc = include_str!("../../tests/fence/RULES.md");
        let named: Vec<&str> = doc
            .lines()
            .skip_while(|l| !l.starts_with("| rule |"))
            .skip(2)
            .take_while(|l| l.starts_with("| "))
            .filter_map(|l| l.split('|').nth(1))
            .map(str::trim)
            .collect();
        let want: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        assert_eq!(named, want, "tests/fence/RULES.md's rule table");
    }
}
