//! The schema fence, database half: inside each migration's transaction, proof from the catalogs that
//! nothing in `public` changed, so that a parser bug can never become a breach.
//!
//! The state of `public` is, for every catalog that holds its rows (its relations and their columns,
//! defaults, constraints, triggers, rules, policies, inheritance, statistics, sequences, publication
//! membership and the dependencies on them; every object that depends on the schema, with functions and
//! types; comments; the schema itself; publications, event triggers, default privileges, extensions),
//! the number of rows and how many of them this transaction wrote (`age(xmin) <= 0`): an insert or a
//! delete moves the first, an update (ALTER, GRANT, TRUNCATE's new relfilenode) writes a new row
//! version and moves the second. Plus the number of rows this transaction wrote to public's tables.
//! The state is taken after the lock by a run's first migration, with the oids of public's objects it
//! was taken over; after every migration it is taken again over the same oids, recomputing only the
//! catalogs this transaction wrote (`pg_stat_get_xact_tuples_*`; a catalog it did not write cannot
//! have changed through it), and any difference raises SQLSTATE `EN001`, describes the rows this
//! transaction wrote, and rolls the migration back. en-migrate's own tracker is the one exception.
//! Every lookup goes by index from public's oids, so the cost follows the size of `public`, not of the
//! database.

/// SQLSTATE raised when the guard finds a change.
pub const BREACH: &str = "EN001";
/// SQLSTATE of "another runner holds the lock".
pub const LOCK_BUSY: &str = "EN002";
/// SQLSTATE of "the tracker moved since it was read".
pub const STALE: &str = "EN003";

/// Where public's catalog rows are: (what a changed row is, FROM ... WHERE ...). `ra` is the array of
/// public's relation oids other than the tracker's, `rt` those of them that can have columns,
/// defaults, constraints, triggers or rows (tables, views, foreign tables), `rs` its sequences; `fa`
/// and `ta` the functions and types that depend on the schema, `ns` its oid. Every lookup goes through
/// an index on those oids, and the narrower arrays keep the probes few.
const SOURCES: &[(&str, &str)] = &[
    ("'relation public.' || t.relname", "pg_catalog.pg_class t WHERE t.oid = ANY (ra)"),
    ("'column ' || t.attrelid::pg_catalog.regclass || '.' || t.attname", "pg_catalog.pg_attribute t WHERE t.attrelid = ANY (ra) AND t.attnum > 0"),
    ("'column default on ' || t.adrelid::pg_catalog.regclass", "pg_catalog.pg_attrdef t WHERE t.adrelid = ANY (rt)"),
    ("'constraint ' || t.conname || ' on ' || t.conrelid::pg_catalog.regclass", "pg_catalog.pg_constraint t WHERE t.conrelid = ANY (rt)"),
    ("'trigger ' || t.tgname || ' on ' || t.tgrelid::pg_catalog.regclass", "pg_catalog.pg_trigger t WHERE t.tgrelid = ANY (rt)"),
    ("'rule ' || t.rulename || ' on ' || t.ev_class::pg_catalog.regclass", "pg_catalog.pg_rewrite t WHERE t.ev_class = ANY (rt)"),
    ("'policy ' || t.polname || ' on ' || t.polrelid::pg_catalog.regclass", "pg_catalog.pg_policy t WHERE t.polrelid = ANY (rt)"),
    ("'inheritance of ' || t.inhrelid::pg_catalog.regclass", "pg_catalog.pg_inherits t WHERE t.inhrelid = ANY (ra)"),
    ("'a child of ' || t.inhparent::pg_catalog.regclass", "pg_catalog.pg_inherits t WHERE t.inhparent = ANY (ra)"),
    ("'statistics object ' || t.stxname", "pg_catalog.pg_statistic_ext t WHERE t.stxrelid = ANY (rt)"),
    ("'publication of ' || t.prrelid::pg_catalog.regclass", "pg_catalog.pg_publication_rel t WHERE t.prrelid = ANY (rt)"),
    ("'sequence settings of ' || t.seqrelid::pg_catalog.regclass", "pg_catalog.pg_sequence t WHERE t.seqrelid = ANY (rs)"),
    ("'a dependency on ' || t.refobjid::pg_catalog.regclass || ': ' || pg_catalog.pg_describe_object(t.classid, t.objid, t.objsubid)", "pg_catalog.pg_depend t WHERE t.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND t.refobjid = ANY (ra)"),
    ("'object in public: ' || pg_catalog.pg_describe_object(t.classid, t.objid, 0)", "pg_catalog.pg_depend t WHERE t.refclassid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND t.refobjid = ns"),
    ("'function public.' || t.proname", "pg_catalog.pg_proc t WHERE t.oid = ANY (fa)"),
    ("'type public.' || t.typname", "pg_catalog.pg_type t WHERE t.oid = ANY (ta)"),
    ("'comment on ' || pg_catalog.pg_describe_object(t.classoid, t.objoid, t.objsubid)", "pg_catalog.pg_description t WHERE t.objoid = ANY (ra || fa || ta || ns)"),
    ("'the public schema itself'", "pg_catalog.pg_namespace t WHERE t.oid = ns"),
    ("'publication ' || t.pubname", "pg_catalog.pg_publication t WHERE true"),
    ("'event trigger ' || t.evtname", "pg_catalog.pg_event_trigger t WHERE true"),
    ("'default privileges'", "pg_catalog.pg_default_acl t WHERE t.defaclnamespace IN (0, ns)"),
    ("'extension ' || t.extname", "pg_catalog.pg_extension t WHERE t.extnamespace = ns"),
];

/// PL/pgSQL statements that set the oid arrays (see `SOURCES`).
const LOOKUP: &str = "SELECT oid INTO ns FROM pg_catalog.pg_namespace WHERE nspname = 'public';
  SELECT coalesce(pg_catalog.array_agg(c.oid), '{}'),
         coalesce(pg_catalog.array_agg(c.oid) FILTER (WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')), '{}'),
         coalesce(pg_catalog.array_agg(c.oid) FILTER (WHERE c.relkind = 'S'), '{}')
    INTO ra, rt, rs FROM pg_catalog.pg_class c WHERE c.relnamespace = ns
    AND c.relname NOT IN ('schema_migrations', 'schema_migrations_id_seq', 'schema_migrations_pkey', 'schema_migrations_migration_name_key');
  SELECT coalesce(pg_catalog.array_agg(d.objid) FILTER (WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass), '{}'),
         coalesce(pg_catalog.array_agg(d.objid) FILTER (WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass), '{}')
    INTO fa, ta FROM pg_catalog.pg_depend d
    WHERE d.refclassid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.refobjid = ns;";

const DECLARE: &str = "ns oid; ra oid[]; rt oid[]; rs oid[]; fa oid[]; ta oid[];";

/// How the baseline carries the oid arrays after the state: `state|ns|ra|rt|rs|fa|ta`.
const OIDS_TEXT: &str = "'|' || ns || '|' || ra::text || '|' || rt::text || '|' || rs::text || '|' || fa::text || '|' || ta::text";
/// And how the end reads them back from `base`, the baseline split at `|`.
const OIDS_READ: &str = "ns := base[2]::oid; ra := base[3]::oid[]; rt := base[4]::oid[]; rs := base[5]::oid[]; fa := base[6]::oid[]; ta := base[7]::oid[];";

/// The state of public: per source, how many rows there are and how many of them this transaction
/// wrote (`age(xmin) <= 0`: its own row versions, subtransactions' included); an insert or a delete
/// moves the first, an update (ALTER, GRANT, TRUNCATE's new relfilenode) writes a new row version and
/// moves the second, which is always 0 before a migration. And how many rows this transaction wrote to
/// public's tables. Cheap: no text per row. Taken whole by a run's first migration.
fn state_sql() -> String {
    let parts: Vec<String> = SOURCES.iter().map(|(_, from)| part_sql(from)).collect();
    format!("pg_catalog.concat_ws(',', {}, {WRITTEN})", parts.join(", "))
}

/// One source's part of the state.
fn part_sql(from: &str) -> String {
    format!("(SELECT pg_catalog.count(*) || '/' || pg_catalog.count(*) FILTER (WHERE pg_catalog.age(t.xmin) <= 0) FROM {from})")
}

/// The last part of the state: rows this transaction wrote to public's tables.
const WRITTEN: &str = "(SELECT coalesce(pg_catalog.sum(pg_catalog.pg_stat_get_xact_tuples_inserted(r) + pg_catalog.pg_stat_get_xact_tuples_updated(r) + pg_catalog.pg_stat_get_xact_tuples_deleted(r)), 0) FROM pg_catalog.unnest(rt) r)";

/// PL/pgSQL that recomputes, after a migration, only the parts of the state whose catalog this
/// transaction wrote (`pg_stat_get_xact_tuples_*`; a catalog it did not write cannot have changed
/// through it) into `parts`, which holds the state before. The counters also hold the session's
/// writes not yet flushed to the statistics (about a second's worth), so a catalog is recomputed more
/// often than needed, never less. One test per catalog and one statement per source, so the executor
/// starts only the scans it needs.
fn recompute_sql() -> String {
    let mut sql = String::new();
    // One test per catalog, however many sources read it. Every source's FROM starts with its
    // catalog's name.
    let catalog = |from: &str| {
        from.split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let mut catalogs: Vec<String> = Vec::new();
    for (_, from) in SOURCES {
        if !catalogs.contains(&catalog(from)) {
            catalogs.push(catalog(from));
        }
    }
    for c in catalogs {
        let writes = ["inserted", "updated", "deleted"]
            .map(|w| format!("pg_catalog.pg_stat_get_xact_tuples_{w}('{c}'::pg_catalog.regclass)"))
            .join(" + ");
        sql += &format!("  IF {writes} > 0 THEN\n");
        for (i, (_, from)) in SOURCES.iter().enumerate() {
            if catalog(from) == c {
                sql += &format!("    parts[{}] := {};\n", i + 1, part_sql(from));
            }
        }
        sql += "  END IF;\n";
    }
    sql += &format!("  parts[{}] := {WRITTEN};\n", SOURCES.len() + 1);
    sql
}

/// On a breach only: the rows this transaction wrote (`age(xmin) <= 0`: its own row versions and later
/// ones), described for the error message, and the tables it wrote rows to.
fn detail_sql() -> String {
    let parts: Vec<String> = SOURCES
        .iter()
        .map(|(what, from)| format!("SELECT {what} FROM {from} AND pg_catalog.age(t.xmin) <= 0"))
        .collect();
    format!(
        "SELECT pg_catalog.string_agg(DISTINCT x, '; ') FROM ({}
           UNION ALL SELECT 'rows written to ' || r::pg_catalog.regclass FROM pg_catalog.unnest(ra) r
             WHERE pg_catalog.pg_stat_get_xact_tuples_inserted(r) + pg_catalog.pg_stat_get_xact_tuples_updated(r) + pg_catalog.pg_stat_get_xact_tuples_deleted(r) > 0) d(x)",
        parts.join("\n UNION ALL ")
    )
}

/// PL/pgSQL that opens a migration: the lock (polled by the caller: it raises `EN002` when busy), the
/// check that nobody applied anything since the tracker was read (`EN003`), the start time, and (with
/// `guard`) the baseline: the state of public and the oids it was taken over (`OIDS_TEXT`).
/// `last_id` is the last tracker id seen, or NULL before the tracker exists.
fn begin_body(lock_key: i64, params: &str, returns: bool) -> String {
    format!(
        "DECLARE {params} {DECLARE}
BEGIN
  IF NOT pg_catalog.pg_try_advisory_xact_lock({lock_key}) THEN
    RAISE EXCEPTION 'another en-migrate holds the migration lock' USING ERRCODE = '{LOCK_BUSY}';
  END IF;
  -- Nested, so the query (which needs the tracker to exist) is planned only when there is one. max()
  -- reads one end of the primary key whatever the plan; `id > last_id` could be planned as a scan of
  -- the whole tracker, which grows with every migration.
  IF last_id IS NOT NULL THEN
    IF (SELECT pg_catalog.max(id) FROM public.schema_migrations) > last_id THEN
      RAISE EXCEPTION 'the tracker changed since it was read' USING ERRCODE = '{STALE}';
    END IF;
  END IF;
  PERFORM pg_catalog.set_config('en_migrate.t0', pg_catalog.clock_timestamp()::text, true);
  IF guard THEN
    {LOOKUP}
    PERFORM pg_catalog.set_config('en_migrate.before', {state} || {OIDS_TEXT}, true);
  END IF;
  {ret}
END",
        state = state_sql(),
        ret = if returns {
            "RETURN pg_catalog.current_setting('en_migrate.before', true);"
        } else {
            ""
        },
    )
}

/// PL/pgSQL that closes a migration: the state of public after, over the baseline's oids, compared
/// with the state before. The oids are the baseline's, not looked up again (finding public's relations
/// means reading all of pg_class, which grows with every migration): an object that is new in public
/// depends on the schema or on one of its relations, so it moves a part of the state all the same.
fn end_body() -> String {
    format!(
        "DECLARE {DECLARE}
  base text[] := pg_catalog.string_to_array(pg_catalog.current_setting('en_migrate.before'), '|');
  parts text[] := pg_catalog.string_to_array(base[1], ',');
  after text;
  what text;
BEGIN
  {OIDS_READ}
{recompute}  after := pg_catalog.array_to_string(parts, ',');
  IF after IS DISTINCT FROM base[1] THEN
    {detail} INTO what;
    RAISE EXCEPTION 'the migration changed something in schema public'
      USING ERRCODE = '{BREACH}',
            DETAIL = coalesce(what, 'objects of schema public were dropped or changed (if another application changed public while en-migrate ran, run up again)') || ' (catalog state ' || base[1] || ' -> ' || after || ')',
            HINT = 'the migration was rolled back; keep every change inside expert_network';
  END IF;
END",
        recompute = recompute_sql(),
        detail = detail_sql()
    )
}

/// The settings of the end function. Its plans are generic, planned once for any oids
/// (`force_generic_plan`: left to choose, the planner keeps re-planning the queries whose arrays are
/// empty). A generic plan would read small catalogs such as pg_attrdef or pg_constraint whole and test
/// every row against every oid, a cost that grows with every migration's new rows; by index it is one
/// probe per oid, and a plain index scan is cheaper than a bitmap for the few rows each returns.
/// `jit = off` because before PostgreSQL 17 a disabled scan is costed so high that JIT would compile
/// the plan (hundreds of milliseconds).
const END_SETTINGS: &str = "SET plan_cache_mode = force_generic_plan SET enable_seqscan = off SET enable_bitmapscan = off SET jit = off";

/// Functions created once per direct session in pg_temp, so PL/pgSQL plans the state queries once per
/// session rather than once per migration. Through a pooler the inline forms below are used instead,
/// since a temporary function lives on one server connection only.
pub fn session_functions(lock_key: i64) -> String {
    format!(
        "CREATE OR REPLACE FUNCTION pg_temp.en_migrate_begin(last_id bigint, guard boolean) RETURNS text LANGUAGE plpgsql AS $en$\n{}\n$en$;\n\
         CREATE OR REPLACE FUNCTION pg_temp.en_migrate_end() RETURNS void LANGUAGE plpgsql {END_SETTINGS} AS $en$\n{}\n$en$;\n",
        begin_body(lock_key, "", true),
        end_body()
    )
}

/// What the opening knows of public's state.
pub enum Baseline<'a> {
    /// Not needed (the tracker's own transaction).
    None,
    /// Take it now, and return it as the first row of the message's results.
    Take,
    /// Known from this run's first migration: nothing can have changed public since but a breach
    /// (which stops the run) or another session, so one state query per migration is enough.
    Known(&'a str),
}

/// The statements that open a migration, after BEGIN and the SET LOCALs.
pub fn begin_sql(
    session_functions: bool,
    lock_key: i64,
    last_id: Option<i64>,
    baseline: &Baseline<'_>,
) -> String {
    let last = last_id.map_or("NULL".to_string(), |i| i.to_string());
    let take = matches!(baseline, Baseline::Take);
    let mut sql = if session_functions {
        format!("SELECT pg_temp.en_migrate_begin({last}, {take});\n")
    } else {
        let mut sql = format!(
            "DO $en$ {} $en$;\n",
            begin_body(
                lock_key,
                &format!("last_id bigint := {last}; guard boolean := {take};"),
                false
            )
        );
        if take {
            sql += "SELECT pg_catalog.current_setting('en_migrate.before', true);\n";
        }
        sql
    };
    if let Baseline::Known(state) = baseline {
        sql += &format!(
            "SELECT pg_catalog.set_config('en_migrate.before', {}, true);\n",
            crate::db::literal(state)
        );
    }
    sql
}

/// The statement that closes a migration, before its tracker row.
pub fn end_sql(session_functions: bool) -> String {
    if session_functions {
        "SELECT pg_temp.en_migrate_end();\n".to_string()
    } else {
        format!("DO $en$ {} $en$;\n", end_body())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_parses_as_postgresql() {
        for f in [true, false] {
            pg_query::parse(&begin_sql(f, 42, Some(7), &Baseline::Take), 0).unwrap();
            pg_query::parse(&begin_sql(f, 42, Some(7), &Baseline::Known("1/2,3/4")), 0).unwrap();
            pg_query::parse(&end_sql(f), 0).unwrap();
        }
        pg_query::parse(&session_functions(42), 0).unwrap();
        pg_query::parse_plpgsql(
            &session_functions(42)
                .split(";\nCREATE")
                .next()
                .unwrap()
                .replace("pg_temp.", ""),
        )
        .unwrap();
    }

    #[test]
    fn every_source_is_counted_and_described() {
        let (state, detail) = (state_sql(), detail_sql());
        assert_eq!(state.matches(" || '/' || ").count(), SOURCES.len());
        let recompute = recompute_sql();
        assert_eq!(recompute.matches(" || '/' || ").count(), SOURCES.len());
        // One test per catalog: pg_depend and pg_inherits serve two sources each.
        assert_eq!(recompute.matches("IF ").count(), SOURCES.len() - 2);
        assert!(recompute.contains(&format!("parts[{}] := {WRITTEN}", SOURCES.len() + 1)));
        assert!(SOURCES
            .iter()
            .all(|(_, from)| from.starts_with("pg_catalog.pg_")));
        assert_eq!(
            detail.matches("pg_catalog.age(t.xmin) <= 0").count(),
            SOURCES.len()
        );
    }
}
