//! The schema fence, database half: inside each migration's transaction, proof from the catalogs that
//! nothing outside `expert_network` changed, so that a parser bug can never become a breach.
//!
//! Before the migration the transaction records how many catalog rows belong to `public`; after it, a
//! DO block raises SQLSTATE `EN001` (rolling the migration back) if any of those counts moved, if any
//! catalog row belonging to `public` was written by this transaction (its `xmin` is this transaction's
//! or a later one's: `age(xmin) <= 0`), or if the transaction wrote rows to a table outside
//! `expert_network` (`pg_stat_xact_user_tables`). en-migrate's own tracker is the one exception.
//! Everything is schema-qualified and runs under the pinned search_path.

/// SQLSTATE raised when the guard finds a change outside the schema.
pub const BREACH: &str = "EN001";

/// (what, FROM ... WHERE ...) for every catalog whose rows can belong to public. `ns` is public's oid,
/// `rels` public's relations other than the tracker's own.
const CATALOGS: &[(&str, &str)] = &[
    ("'relation public.' || t.relname", "pg_catalog.pg_class t WHERE t.oid IN (SELECT oid FROM rels)"),
    ("'column public.' || pg_catalog.quote_ident(t.attname) || ' of ' || t.attrelid::pg_catalog.regclass::text", "pg_catalog.pg_attribute t WHERE t.attrelid IN (SELECT oid FROM rels)"),
    ("'column default on ' || t.adrelid::pg_catalog.regclass::text", "pg_catalog.pg_attrdef t WHERE t.adrelid IN (SELECT oid FROM rels)"),
    ("'constraint ' || t.conname", "pg_catalog.pg_constraint t WHERE (t.connamespace = (SELECT oid FROM ns) AND t.conrelid NOT IN (SELECT oid FROM tracker)) OR t.conrelid IN (SELECT oid FROM rels) OR t.confrelid IN (SELECT oid FROM rels)"),
    ("'trigger ' || t.tgname", "pg_catalog.pg_trigger t WHERE t.tgrelid IN (SELECT oid FROM rels)"),
    ("'rule ' || t.rulename", "pg_catalog.pg_rewrite t WHERE t.ev_class IN (SELECT oid FROM rels)"),
    ("'policy ' || t.polname", "pg_catalog.pg_policy t WHERE t.polrelid IN (SELECT oid FROM rels)"),
    ("'function public.' || t.proname", "pg_catalog.pg_proc t WHERE t.pronamespace = (SELECT oid FROM ns)"),
    ("'type public.' || t.typname", "pg_catalog.pg_type t WHERE t.typnamespace = (SELECT oid FROM ns) AND t.typrelid NOT IN (SELECT oid FROM tracker) AND t.typname <> '_schema_migrations'"),
    ("'the public schema itself (owner, privileges, comment)'", "pg_catalog.pg_namespace t WHERE t.oid = (SELECT oid FROM ns)"),
    ("'comment on an object of public'", "pg_catalog.pg_description t WHERE t.objoid IN (SELECT oid FROM rels) OR t.objoid = (SELECT oid FROM ns)"),
    ("'inheritance involving ' || t.inhrelid::pg_catalog.regclass::text", "pg_catalog.pg_inherits t WHERE t.inhrelid IN (SELECT oid FROM rels) OR t.inhparent IN (SELECT oid FROM rels)"),
    ("'a dependency on ' || t.refobjid::pg_catalog.regclass::text", "pg_catalog.pg_depend t WHERE t.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND t.refobjid IN (SELECT oid FROM rels)"),
    ("'statistics object ' || t.stxname", "pg_catalog.pg_statistic_ext t WHERE t.stxnamespace = (SELECT oid FROM ns) OR t.stxrelid IN (SELECT oid FROM rels)"),
    ("'publication ' || t.pubname", "pg_catalog.pg_publication t"),
    ("'a table added to a publication'", "pg_catalog.pg_publication_rel t WHERE t.prrelid IN (SELECT oid FROM rels)"),
    ("'event trigger ' || t.evtname", "pg_catalog.pg_event_trigger t"),
    ("'default privileges for public or every schema'", "pg_catalog.pg_default_acl t WHERE t.defaclnamespace IN (0, (SELECT oid FROM ns))"),
    ("'extension ' || t.extname", "pg_catalog.pg_extension t WHERE t.extnamespace = (SELECT oid FROM ns)"),
    ("'operator public.' || t.oprname", "pg_catalog.pg_operator t WHERE t.oprnamespace = (SELECT oid FROM ns)"),
    ("'operator class public.' || t.opcname", "pg_catalog.pg_opclass t WHERE t.opcnamespace = (SELECT oid FROM ns)"),
    ("'operator family public.' || t.opfname", "pg_catalog.pg_opfamily t WHERE t.opfnamespace = (SELECT oid FROM ns)"),
    ("'collation public.' || t.collname", "pg_catalog.pg_collation t WHERE t.collnamespace = (SELECT oid FROM ns)"),
    ("'conversion public.' || t.conname", "pg_catalog.pg_conversion t WHERE t.connamespace = (SELECT oid FROM ns)"),
    ("'text search configuration public.' || t.cfgname", "pg_catalog.pg_ts_config t WHERE t.cfgnamespace = (SELECT oid FROM ns)"),
    ("'text search dictionary public.' || t.dictname", "pg_catalog.pg_ts_dict t WHERE t.dictnamespace = (SELECT oid FROM ns)"),
    ("'sequence settings of ' || t.seqrelid::pg_catalog.regclass::text", "pg_catalog.pg_sequence t WHERE t.seqrelid IN (SELECT oid FROM rels)"),
];

const CTES: &str = "WITH ns AS (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public'), \
     tracker AS (SELECT c.oid FROM pg_catalog.pg_class c WHERE c.relnamespace = (SELECT oid FROM ns) \
        AND c.relname IN ('schema_migrations', 'schema_migrations_id_seq', 'schema_migrations_pkey', 'schema_migrations_migration_name_key')), \
     rels AS (SELECT c.oid FROM pg_catalog.pg_class c WHERE c.relnamespace = (SELECT oid FROM ns) AND c.oid NOT IN (SELECT oid FROM tracker)) ";

/// An expression (a scalar subquery) giving the row counts of public's catalog entries as text.
pub fn counts_sql() -> String {
    let parts: Vec<String> = CATALOGS
        .iter()
        .map(|(_, from)| format!("(SELECT pg_catalog.count(*) FROM {from})"))
        .collect();
    format!(
        "({CTES}SELECT pg_catalog.concat_ws(',', {}))",
        parts.join(", ")
    )
}

/// Statements that start the check, run right after the migration lock: the counts before.
pub fn before_sql() -> String {
    format!(
        "SELECT pg_catalog.txid_current(), pg_catalog.set_config('en_migrate.before', {}, true), \
         pg_catalog.set_config('en_migrate.t0', pg_catalog.clock_timestamp()::text, true);\n",
        counts_sql()
    )
}

/// The DO block run after the migration and before its tracker row: raises `EN001` on any change.
pub fn after_sql() -> String {
    let changed: Vec<String> = CATALOGS
        .iter()
        .map(|(what, from)| match from.split_once(" WHERE ") {
            // Parenthesised: the conditions contain ORs.
            Some((table, cond)) => format!(
                "SELECT {what} AS what FROM {table} WHERE ({cond}) AND pg_catalog.age(t.xmin) <= 0"
            ),
            None => format!("SELECT {what} AS what FROM {from} WHERE pg_catalog.age(t.xmin) <= 0"),
        })
        .collect();
    let writes = "SELECT 'rows written to ' || s.schemaname || '.' || s.relname FROM pg_catalog.pg_stat_xact_user_tables s \
        WHERE s.n_tup_ins + s.n_tup_upd + s.n_tup_del > 0 AND s.schemaname <> 'expert_network' \
        AND NOT (s.schemaname = 'public' AND s.relname = 'schema_migrations')";
    format!(
        "DO $en_migrate_guard$\n\
         DECLARE\n  before text := pg_catalog.current_setting('en_migrate.before');\n  after text;\n  changed text;\n\
         BEGIN\n\
         SELECT {counts} INTO after;\n\
         {CTES}SELECT pg_catalog.string_agg(DISTINCT x.what, '; ') INTO changed FROM ({union}\nUNION ALL {writes}) x;\n\
         IF changed IS NOT NULL OR after IS DISTINCT FROM before THEN\n\
           RAISE EXCEPTION 'the migration changed something outside schema expert_network'\n\
             USING ERRCODE = '{BREACH}',\n\
             DETAIL = coalesce(changed, 'objects of schema public were dropped (catalog counts ' || before || ' -> ' || after || ')'),\n\
             HINT = 'the migration was rolled back; keep every change inside expert_network';\n\
         END IF;\n\
         END $en_migrate_guard$;\n",
        counts = counts_sql(),
        union = changed.join("\nUNION ALL "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_query_is_filtered_by_age() {
        let sql = after_sql();
        assert_eq!(
            sql.matches("pg_catalog.age(t.xmin) <= 0").count(),
            CATALOGS.len()
        );
        assert!(sql.contains("pg_publication t WHERE pg_catalog.age"));
        // Parses as PostgreSQL.
        pg_query::parse(&sql, 0).unwrap();
        pg_query::parse(&before_sql(), 0).unwrap();
    }
}
