//! The lint's rule identities: one enum, and for each rule its name, what it warns about, why it
//! matters, the safer form, one example, whether it is on by default, its severity and whether it needs
//! a database. The README's lint table, `--rules` and the `-- en-migrate: allow RULE` directive are all
//! checked against this one list; an unknown name is an error, never a silent no-op.
//!
//! Each rule's judgement lives in its own file under `rules/`, named like the rule, with its `_ok` and
//! `_err` cases beside it.

use super::rules;
use super::{Cx, Hit};
use pg_query::NodeEnum;
use serde::Serialize;

/// How a finding of the rule counts: warnings change the exit code only with `--deny-warnings`;
/// errors (a statement the data already there will make fail) always do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// What a rule is about, as the README and every output say it.
#[derive(Debug)]
pub struct About {
    pub name: &'static str,
    /// The README table's "warns about" cell.
    pub summary: &'static str,
    pub why: &'static str,
    pub instead: &'static str,
    /// One statement the rule warns about (its `_err` case, and the README's example).
    pub example: &'static str,
    /// On unless the project turns it on with `--rules`.
    pub default_on: bool,
    pub severity: Severity,
    /// Judged only with `--live`: the answer is in the rows, not in the SQL.
    pub needs_database: bool,
}

macro_rules! rules {
    ($($variant:ident => $module:ident {
        $name:literal, $summary:literal, $why:literal, $instead:literal, $example:literal,
        on: $on:literal, $severity:ident, database: $db:literal
    })*) => {
        /// Every lint rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Rule { $($variant),* }

        impl Rule {
            /// Every rule, in the order the README lists them and the lint runs them.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            pub fn about(self) -> &'static About {
                match self {
                    $(Rule::$variant => &About {
                        name: $name,
                        summary: $summary,
                        why: $why,
                        instead: $instead,
                        example: $example,
                        default_on: $on,
                        severity: Severity::$severity,
                        needs_database: $db,
                    }),*
                }
            }

            /// What this rule finds in one statement, given what the file did before it.
            pub(super) fn check(self, node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
                match self {
                    $(Rule::$variant => rules::$module::check(node, cx)),*
                }
            }
        }
    };
}

rules! {
    CreateIndexBlocking => create_index_blocking {
        "create-index-blocking",
        "`CREATE INDEX` without `CONCURRENTLY`",
        "CREATE INDEX without CONCURRENTLY blocks every write to the table until the index is built",
        "put `CREATE INDEX CONCURRENTLY` alone in a file whose first line is `-- en-migrate: no-transaction`",
        "CREATE INDEX experts_name_idx ON expert_network.experts (full_name);",
        on: true, Warning, database: false
    }
    ConstraintValidating => constraint_validating {
        "constraint-validating",
        "`ADD CONSTRAINT ... FOREIGN KEY/CHECK` without `NOT VALID`; `ADD COLUMN ... REFERENCES/CHECK`",
        "adding a FOREIGN KEY or CHECK constraint scans the whole table under a lock that blocks writes",
        "add it NOT VALID (for a new column: add the column, then the constraint), then `ALTER TABLE ... VALIDATE CONSTRAINT` in a later migration",
        "ALTER TABLE expert_network.experts ADD CONSTRAINT rate_positive CHECK (hourly_rate_usd > 0);",
        on: true, Warning, database: false
    }
    SetNotNull => set_not_null {
        "set-not-null",
        "`ALTER COLUMN ... SET NOT NULL`",
        "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
        "add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (PostgreSQL uses the constraint)",
        "ALTER TABLE expert_network.experts ALTER COLUMN bio SET NOT NULL;",
        on: true, Warning, database: false
    }
    AlterColumnType => alter_column_type {
        "alter-column-type",
        "`ALTER COLUMN ... TYPE` (a rewrite)",
        "changing a column's type rewrites the table under an ACCESS EXCLUSIVE lock",
        "add a new column, backfill it in batches, switch readers, then drop the old column",
        "ALTER TABLE expert_network.experts ALTER COLUMN hourly_rate_usd TYPE bigint;",
        on: true, Warning, database: false
    }
    VolatileDefault => volatile_default {
        "volatile-default",
        "`ADD COLUMN ... DEFAULT` a volatile function, or a `serial` or identity column (a rewrite)",
        "a column added with a volatile default rewrites the whole table under an ACCESS EXCLUSIVE lock",
        "add the column without a default (or with a constant), then backfill in batches",
        "ALTER TABLE expert_network.experts ADD COLUMN token uuid DEFAULT gen_random_uuid();",
        on: true, Warning, database: false
    }
    Destructive => destructive {
        "destructive",
        "`DROP COLUMN`, `DROP TABLE`",
        "DROP COLUMN / DROP TABLE loses data and breaks code that still reads it",
        "stop using it in a release first; drop it in a later migration once nothing reads it, or mark the file `-- en-migrate: post-deploy` so a plain `up` holds it until `up --post-deploy` after the rollout",
        "ALTER TABLE expert_network.experts DROP COLUMN bio;",
        on: true, Warning, database: false
    }
    TableRewriteLock => table_rewrite_lock {
        "table-rewrite-lock",
        "`VACUUM FULL`, `CLUSTER`, `SET LOGGED` / `SET UNLOGGED` / `SET TABLESPACE` on an existing table",
        "these rewrite or copy the whole table under an ACCESS EXCLUSIVE lock",
        "use pg_repack, or plain VACUUM, outside a migration; change persistence or tablespace in a maintenance window",
        "VACUUM FULL expert_network.experts;",
        on: true, Warning, database: false
    }
    DropIndexBlocking => drop_index_blocking {
        "drop-index-blocking",
        "`DROP INDEX` without `CONCURRENTLY`",
        "DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table: every read and write waits behind it, and it waits behind every running query",
        "put `DROP INDEX CONCURRENTLY` alone in a file whose first line is `-- en-migrate: no-transaction`",
        "DROP INDEX expert_network.experts_user_id_idx;",
        on: true, Warning, database: false
    }
    AddColumnNotNull => add_column_not_null {
        "add-column-not-null",
        "`ADD COLUMN ... NOT NULL` without a default on an existing table",
        "on a table with rows it fails (every existing row would hold NULL), after taking an ACCESS EXCLUSIVE lock",
        "add the column with a constant DEFAULT, or nullable: backfill it, then add NOT NULL through a validated CHECK",
        "ALTER TABLE expert_network.experts ADD COLUMN region text NOT NULL;",
        on: true, Warning, database: false
    }
    UniqueConstraintBlocking => unique_constraint_blocking {
        "unique-constraint-blocking",
        "`ADD PRIMARY KEY` / `ADD UNIQUE` that builds its index",
        "the constraint's index is built under an ACCESS EXCLUSIVE lock: no reads or writes until every row is indexed",
        "`CREATE UNIQUE INDEX CONCURRENTLY` in a no-transaction file, then `ADD CONSTRAINT ... UNIQUE USING INDEX` (or `PRIMARY KEY USING INDEX`)",
        "ALTER TABLE expert_network.experts ADD CONSTRAINT experts_email_key UNIQUE (email);",
        on: true, Warning, database: false
    }
    Rename => rename {
        "rename",
        "`RENAME` of a column or a table",
        "the running release still uses the old name and fails from the moment the migration commits until it is replaced",
        "add the new column (or table, or a view under the new name), write both, move readers over, then drop the old one in a later release",
        "ALTER TABLE expert_network.experts RENAME COLUMN bio TO biography;",
        on: true, Warning, database: false
    }
    DropNotNull => drop_not_null {
        "drop-not-null",
        "`ALTER COLUMN ... DROP NOT NULL`",
        "the running release may read the column assuming it is never NULL",
        "ship code that copes with NULL first, then drop NOT NULL in a later release",
        "ALTER TABLE expert_network.experts ALTER COLUMN full_name DROP NOT NULL;",
        on: true, Warning, database: false
    }
    TruncateCascade => truncate_cascade {
        "truncate-cascade",
        "`TRUNCATE ... CASCADE`",
        "CASCADE also empties every table with a foreign key to this one, and theirs, none of which the statement names",
        "truncate by name the tables you mean to empty, without CASCADE",
        "TRUNCATE expert_network.campaigns CASCADE;",
        on: true, Warning, database: false
    }
    ReindexBlocking => reindex_blocking {
        "reindex-blocking",
        "`REINDEX` without `CONCURRENTLY`",
        "REINDEX without CONCURRENTLY blocks writes to the table, and reads that would use the index, until it is done",
        "put `REINDEX ... CONCURRENTLY` alone in a file whose first line is `-- en-migrate: no-transaction`",
        "REINDEX INDEX expert_network.experts_user_id_idx;",
        on: true, Warning, database: false
    }
    DetachPartitionBlocking => detach_partition_blocking {
        "detach-partition-blocking",
        "`DETACH PARTITION` without `CONCURRENTLY`",
        "DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the partitioned table",
        "put `ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY` alone in a file whose first line is `-- en-migrate: no-transaction`",
        "ALTER TABLE expert_network.events DETACH PARTITION expert_network.events_2025;",
        on: true, Warning, database: false
    }
    DomainCheck => domain_check {
        "domain-check",
        "a domain with a `CHECK`; `ALTER DOMAIN ... ADD CONSTRAINT`",
        "a domain's CHECK is checked against every column of that type in every table, under lock, when it is added, and cannot be changed later without that scan",
        "put the CHECK on the table's column instead (NOT VALID, then VALIDATE CONSTRAINT)",
        "CREATE DOMAIN expert_network.rate AS numeric CHECK (VALUE > 0);",
        on: true, Warning, database: false
    }
    EnumValueOrder => enum_value_order {
        "enum-value-order",
        "`ALTER TYPE ... ADD VALUE` without `BEFORE`/`AFTER`",
        "the new value sorts after every other, which ORDER BY and < > comparisons on the enum follow; and the value cannot be used in the transaction that adds it",
        "say where it sorts: `ADD VALUE 'x' BEFORE 'y'` (or AFTER); allow the rule where last is right",
        "ALTER TYPE expert_network.campaign_status ADD VALUE 'paused';",
        on: true, Warning, database: false
    }
    IdentifierTooLong => identifier_too_long {
        "identifier-too-long",
        "a name over 63 bytes",
        "PostgreSQL cuts names to 63 bytes without an error, so the name in the catalog is not the one written and two long names can collide",
        "shorten the name to 63 bytes or fewer",
        "CREATE INDEX CONCURRENTLY experts_campaign_id_vendor_platform_id_status_created_at_idx_v10 ON expert_network.experts (campaign_id);",
        on: true, Warning, database: false
    }
    DuplicateAssignment => duplicate_assignment {
        "duplicate-assignment",
        "the same column twice in an `INSERT` column list or an `UPDATE ... SET`",
        "PostgreSQL refuses the statement when it runs (multiple assignments to same column), failing the migration",
        "assign each column once",
        "UPDATE expert_network.experts SET bio = '', bio = NULL WHERE id = 1;",
        on: true, Warning, database: false
    }
    ValidateSameTransaction => validate_same_transaction {
        "validate-same-transaction",
        "`ADD CONSTRAINT ... NOT VALID` then `VALIDATE CONSTRAINT` in one transaction",
        "the ADD's lock is held until COMMIT, so the validating scan runs under it: NOT VALID bought nothing",
        "validate in a later migration (or in a no-transaction file, where each statement commits on its own)",
        "ALTER TABLE expert_network.experts ADD CONSTRAINT rate_positive CHECK (hourly_rate_usd > 0) NOT VALID;\nALTER TABLE expert_network.experts VALIDATE CONSTRAINT rate_positive;",
        on: true, Warning, database: false
    }
    StoredGeneratedColumn => stored_generated_column {
        "stored-generated-column",
        "`ADD COLUMN ... GENERATED ALWAYS AS (...) STORED` on an existing table",
        "a stored generated column is computed for every row at once: the table is rewritten under an ACCESS EXCLUSIVE lock",
        "add a plain column, backfill it in batches and keep it current with a trigger (or use a VIRTUAL generated column, PostgreSQL 18+)",
        "ALTER TABLE expert_network.experts ADD COLUMN name_lower text GENERATED ALWAYS AS (lower(full_name)) STORED;",
        on: true, Warning, database: false
    }
    JsonColumn => json_column {
        "json-column",
        "a column of type `json`",
        "json has no equality operator, so DISTINCT, UNION, GROUP BY and unique indexes over it fail, and it is parsed again on every read",
        "use jsonb",
        "ALTER TABLE expert_network.experts ADD COLUMN extra json;",
        on: true, Warning, database: false
    }
    ExclusionConstraint => exclusion_constraint {
        "exclusion-constraint",
        "`ADD CONSTRAINT ... EXCLUDE` on an existing table",
        "the exclusion index is built and every row checked under an ACCESS EXCLUSIVE lock; it can neither be built concurrently nor added NOT VALID",
        "declare it when the table is created, or build a new table with it and move the rows over",
        "ALTER TABLE expert_network.interviews ADD CONSTRAINT no_overlap EXCLUDE USING gist (expert_id WITH =);",
        on: true, Warning, database: false
    }
    UpdateWholeTable => update_whole_table {
        "update-whole-table",
        "`UPDATE` without `WHERE` of an existing table",
        "one statement rewrites every row: it holds every row lock until it commits, blocking all writers, and leaves a dead copy of each row",
        "backfill in batches (`UPDATE ... WHERE id BETWEEN ...`), each committed before the next, outside migrations",
        "UPDATE expert_network.experts SET bio = '';",
        on: true, Warning, database: false
    }
    PreferBigintKey => prefer_bigint_key {
        "prefer-bigint-key",
        "an `int`/`smallint` primary or foreign key (style, off by default)",
        "a 32-bit key runs out at 2.1 billion, and widening it later rewrites the table and every table that refers to it",
        "use bigint for keys",
        "CREATE TABLE expert_network.tags (id int PRIMARY KEY, name text);",
        on: false, Warning, database: false
    }
    PreferIdentity => prefer_identity {
        "prefer-identity",
        "`serial` / `bigserial` / `smallserial` (style, off by default)",
        "serial makes a separate sequence with its own owner and grants, which copies, dumps and permission changes get wrong",
        "`bigint GENERATED ALWAYS AS IDENTITY`",
        "CREATE TABLE expert_network.tags (id bigserial PRIMARY KEY, name text);",
        on: false, Warning, database: false
    }
    PreferText => prefer_text {
        "prefer-text",
        "`varchar(n)` (style, off by default)",
        "the limit is a constraint that changing takes an ACCESS EXCLUSIVE lock (and a rewrite to shorten it); it stores nothing differently from text",
        "`text`, with `CHECK (length(col) <= n)` where the limit matters",
        "CREATE TABLE expert_network.tags (id bigint, name varchar(40));",
        on: false, Warning, database: false
    }
    PreferTimestamptz => prefer_timestamptz {
        "prefer-timestamptz",
        "`timestamp` without time zone (style, off by default)",
        "it stores wall-clock time with no zone, so its meaning depends on the writer's TimeZone setting, and arithmetic across DST changes is wrong",
        "`timestamptz`",
        "CREATE TABLE expert_network.tags (id bigint, seen_at timestamp);",
        on: false, Warning, database: false
    }
    BanChar => ban_char {
        "ban-char",
        "`char(n)` (style, off by default)",
        "char(n) pads with spaces, which some comparisons ignore and clients do not; it is never faster than text",
        "`text`, with a CHECK on its length where it matters",
        "CREATE TABLE expert_network.tags (id bigint, code char(3));",
        on: false, Warning, database: false
    }
    UniqueOverDuplicates => unique_over_duplicates {
        "unique-over-duplicates",
        "a new `UNIQUE` constraint, unique index or `PRIMARY KEY` over rows that are duplicates (or NULL, for a primary key) (`--live`)",
        "building the index fails on the first duplicate, after scanning the table under lock",
        "remove or merge the duplicate rows (and fill the NULL keys) first",
        "CREATE UNIQUE INDEX CONCURRENTLY experts_email_key ON expert_network.experts (email);",
        on: true, Error, database: true
    }
    NotNullOverNulls => not_null_over_nulls {
        "not-null-over-nulls",
        "`SET NOT NULL` over NULLs; `ADD COLUMN ... NOT NULL` without a default over rows (`--live`)",
        "the statement fails on the first NULL, after scanning the table under an ACCESS EXCLUSIVE lock",
        "backfill the NULLs first (or give the new column a DEFAULT)",
        "ALTER TABLE expert_network.experts ALTER COLUMN bio SET NOT NULL;",
        on: true, Error, database: true
    }
    ConstraintViolated => constraint_violated {
        "constraint-violated",
        "a `CHECK` or `FOREIGN KEY` (MATCH SIMPLE or FULL) that existing rows violate (`--live`)",
        "adding (or validating) the constraint fails on the first such row, after scanning the table under lock",
        "fix or delete the violating rows first, or add the constraint NOT VALID so that only new rows are checked",
        "ALTER TABLE expert_network.experts ADD CONSTRAINT rate_positive CHECK (hourly_rate_usd > 0);",
        on: true, Error, database: true
    }
}

impl Rule {
    pub fn name(self) -> &'static str {
        self.about().name
    }

    /// The rule called `name`, or an error listing every rule: `--rules` and the allow directive use it.
    pub fn from_name(name: &str) -> Result<Rule, String> {
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.name() == name)
            .ok_or_else(|| {
                format!(
                    "{name:?} names no lint rule; the rules are {}",
                    Rule::ALL
                        .iter()
                        .map(|r| r.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }
}

#[cfg(test)]
/// The README's lint table, made from this list: the README test requires the README to hold exactly it.
pub fn readme_table() -> String {
    let mut out = String::from("| rule | warns about | example | instead |\n|---|---|---|---|\n");
    for r in Rule::ALL {
        let a = r.about();
        let example = a.example.lines().next().unwrap_or_default();
        out += &format!(
            "| `{}` | {} | `{}` | {} |\n",
            a.name,
            a.summary,
            example.replace('|', "\\|"),
            a.instead.replace('|', "\\|")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_round_trip() {
        for r in Rule::ALL {
            assert_eq!(Rule::from_name(r.name()), Ok(*r));
            assert!(r
                .name()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-'));
        }
        let mut names: Vec<_> = Rule::ALL.iter().map(|r| r.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
        assert!(Rule::from_name("destructiv")
            .unwrap_err()
            .contains("names no lint rule"));
    }

    #[test]
    fn data_rules_are_errors_and_the_rest_warnings() {
        for r in Rule::ALL {
            let a = r.about();
            let want = if a.needs_database {
                Severity::Error
            } else {
                Severity::Warning
            };
            assert_eq!(a.severity, want, "{}", a.name);
        }
    }

    /// The README's table is exactly the one this list makes (regenerate it with the test's output).
    #[test]
    fn readme_lists_every_rule() {
        let readme = include_str!("../../README.md");
        let table = super::readme_table();
        assert!(
            readme.contains(&table),
            "README.md's lint table differs; replace it with:\n{table}"
        );
    }
}
