//! The schema fence, database half: inside each migration's transaction, proof from the catalogs that
//! nothing in `public` changed, so that a parser bug can never become a breach.
//!
//! The state of `public` is one text: a line per catalog row that belongs to it (its relations and
//! their columns, defaults, constraints, triggers, rules, policies, inheritance, statistics, sequences,
//! publication membership, dependencies on them; every object with a dependency on the schema, with
//! functions and types by row version; comments; the schema itself; publications, event triggers,
//! default privileges, extensions), each with its row version (`xmin`), so an insert, an update (ALTER,
//! GRANT, TRUNCATE's new relfilenode) and a delete all change the text; plus a line per public table
//! this transaction wrote rows to. The state is taken after the lock and again after the migration; any
//! difference raises SQLSTATE `EN001` and the migration rolls back. en-migrate's own tracker is the one
//! exception. Every lookup is by index from public's relation oids, so the cost follows the size of
//! `public`, not of the database.

/// SQLSTATE raised when the guard finds a change.
pub const BREACH: &str = "EN001";
/// SQLSTATE of "another runner holds the lock".
pub const LOCK_BUSY: &str = "EN002";
/// SQLSTATE of "the tracker moved since it was read".
pub const STALE: &str = "EN003";

/// The state of public, as one text expression (a scalar subquery).
pub const STATE: &str = "(WITH ns AS (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public'),
 rels AS (SELECT c.oid, c.relname, c.xmin FROM pg_catalog.pg_class c
          WHERE c.relnamespace = (SELECT oid FROM ns)
            AND c.relname NOT IN ('schema_migrations', 'schema_migrations_id_seq', 'schema_migrations_pkey', 'schema_migrations_migration_name_key')),
 ra AS (SELECT coalesce(pg_catalog.array_agg(oid), '{}') AS a FROM rels),
 deps AS (SELECT d.classid, d.objid, d.xmin FROM pg_catalog.pg_depend d
          WHERE d.refclassid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.refobjid = (SELECT oid FROM ns))
 SELECT coalesce(pg_catalog.string_agg(x, E'\\n' ORDER BY x), '') FROM (
  SELECT 'relation public.' || relname || ' @' || xmin FROM rels
  UNION ALL SELECT 'column ' || attrelid::pg_catalog.regclass || '.' || attname || ' @' || xmin FROM pg_catalog.pg_attribute WHERE attrelid = ANY ((SELECT a FROM ra)::pg_catalog.oid[])
  UNION ALL SELECT 'column default on ' || adrelid::pg_catalog.regclass || ' @' || xmin FROM pg_catalog.pg_attrdef WHERE adrelid = ANY ((SELECT a FROM ra)::pg_catalog.oid[])
  UNION ALL SELECT 'constraint ' || conname || ' on ' || conrelid::pg_catalog.regclass || ' @' || xmin FROM pg_catalog.pg_constraint WHERE conrelid = ANY ((SELECT a FROM ra)::pg_catalog.oid[])
  UNION ALL SELECT 'trigger ' || tgname || ' on ' || tgrelid::pg_catalog.regclass || ' @' || xmin FROM pg_catalog.pg_trigger WHERE tgrelid = ANY ((SELECT a FROM ra)::pg_catalog.oid[])
  UNION ALL SELECT 'rule ' || rulename || ' on ' || ev_class::pg_catalog.regclass || ' @' || xmin FROM pg_catalog.pg_rewrite WHERE ev_class = ANY ((SELECT a FROM ra)::pg_catalog.oid[])
  UNION ALL SELECT 'policy ' || polname || ' on ' || polrelid::pg_catalog.regclass || ' @' || xmin FROM pg_catalog.pg_policy WHERE polrelid = ANY ((SELECT a FROM ra)::pg_catalog.oid[])
  UNION ALL SELECT 'inheritance ' || inhrelid::pg_catalog.regclass || ' of ' || inhparent::pg_catalog.regclass || ' @' || xmin FROM pg_catalog.pg_inherits WHERE inhrelid = ANY ((SELECT a FROM ra)::pg_catalog.oid[]) OR inhparent = ANY ((SELECT a FROM ra)::pg_catalog.oid[])
  UNION ALL SELECT 'statistics ' || stxname || ' @' || xmin FROM pg_catalog.pg_statistic_ext WHERE stxrelid = ANY ((SELECT a FROM ra)::pg_catalog.oid[])
  UNION ALL SELECT 'publication of ' || prrelid::pg_catalog.regclass || ' @' || xmin FROM pg_catalog.pg_publication_rel WHERE prrelid = ANY ((SELECT a FROM ra)::pg_catalog.oid[])
  UNION ALL SELECT 'sequence settings of ' || seqrelid::pg_catalog.regclass || ' @' || xmin FROM pg_catalog.pg_sequence WHERE seqrelid = ANY ((SELECT a FROM ra)::pg_catalog.oid[])
  UNION ALL SELECT 'a dependency on ' || refobjid::pg_catalog.regclass || ' from ' || pg_catalog.pg_describe_object(classid, objid, objsubid) || ' @' || xmin FROM pg_catalog.pg_depend WHERE refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND refobjid = ANY ((SELECT a FROM ra)::pg_catalog.oid[])
  UNION ALL SELECT 'object in public: ' || pg_catalog.pg_describe_object(classid, objid, 0) || ' @' || xmin FROM deps
  UNION ALL SELECT 'function public.' || proname || ' @' || xmin FROM pg_catalog.pg_proc WHERE oid IN (SELECT objid FROM deps WHERE classid = 'pg_catalog.pg_proc'::pg_catalog.regclass)
  UNION ALL SELECT 'type public.' || typname || ' @' || xmin FROM pg_catalog.pg_type WHERE oid IN (SELECT objid FROM deps WHERE classid = 'pg_catalog.pg_type'::pg_catalog.regclass)
  UNION ALL SELECT 'comment on ' || pg_catalog.pg_describe_object(classoid, objoid, objsubid) || ' @' || xmin FROM pg_catalog.pg_description
     WHERE objoid = ANY ((SELECT a FROM ra)::pg_catalog.oid[]) OR objoid = (SELECT oid FROM ns) OR objoid IN (SELECT objid FROM deps)
  UNION ALL SELECT 'the public schema itself @' || xmin FROM pg_catalog.pg_namespace WHERE oid = (SELECT oid FROM ns)
  UNION ALL SELECT 'publication ' || pubname || ' @' || xmin FROM pg_catalog.pg_publication
  UNION ALL SELECT 'event trigger ' || evtname || ' @' || xmin FROM pg_catalog.pg_event_trigger
  UNION ALL SELECT 'default privileges ' || defaclnamespace::pg_catalog.regnamespace || ' @' || xmin FROM pg_catalog.pg_default_acl WHERE defaclnamespace IN (0, (SELECT oid FROM ns))
  UNION ALL SELECT 'extension ' || extname || ' @' || xmin FROM pg_catalog.pg_extension WHERE extnamespace = (SELECT oid FROM ns)
  UNION ALL SELECT 'rows written to public.' || relname FROM rels
     WHERE pg_catalog.pg_stat_get_xact_tuples_inserted(oid) + pg_catalog.pg_stat_get_xact_tuples_updated(oid) + pg_catalog.pg_stat_get_xact_tuples_deleted(oid) > 0
 ) t(x))";

/// PL/pgSQL that opens a migration: the lock (polled by the caller: it raises `EN002` when busy), the
/// check that nobody applied anything since the tracker was read (`EN003`), the start time, and the
/// state of public before. `$1` is the last tracker id seen, or NULL before the tracker exists.
fn begin_body(lock_key: i64) -> String {
    format!(
        "BEGIN
  IF NOT pg_catalog.pg_try_advisory_xact_lock({lock_key}) THEN
    RAISE EXCEPTION 'another en-migrate holds the migration lock' USING ERRCODE = '{LOCK_BUSY}';
  END IF;
  -- Nested, so the query (which needs the tracker to exist) is planned only when there is one.
  IF last_id IS NOT NULL THEN
    IF EXISTS (SELECT 1 FROM public.schema_migrations WHERE id > last_id) THEN
      RAISE EXCEPTION 'the tracker changed since it was read' USING ERRCODE = '{STALE}';
    END IF;
  END IF;
  PERFORM pg_catalog.set_config('en_migrate.t0', pg_catalog.clock_timestamp()::text, true);
  IF guard THEN
    PERFORM pg_catalog.set_config('en_migrate.before', {STATE}, true);
  END IF;
END"
    )
}

/// PL/pgSQL that closes a migration: the state of public after, compared with the state before.
const END_BODY: &str = "DECLARE
  before text := pg_catalog.current_setting('en_migrate.before');
  after text;
  gone text;
  added text;
BEGIN
  after := STATE_HERE;
  IF after IS DISTINCT FROM before THEN
    SELECT pg_catalog.string_agg(l, '; ') INTO gone FROM pg_catalog.unnest(pg_catalog.string_to_array(before, E'\\n')) l
      WHERE l <> ALL (pg_catalog.string_to_array(after, E'\\n'));
    SELECT pg_catalog.string_agg(l, '; ') INTO added FROM pg_catalog.unnest(pg_catalog.string_to_array(after, E'\\n')) l
      WHERE l <> ALL (pg_catalog.string_to_array(before, E'\\n'));
    RAISE EXCEPTION 'the migration changed something in schema public'
      USING ERRCODE = 'EN001',
            DETAIL = pg_catalog.concat_ws('; ', 'now: ' || added, 'before: ' || gone),
            HINT = 'the migration was rolled back; keep every change inside expert_network';
  END IF;
END";

/// Functions created once per direct session in pg_temp, so PL/pgSQL plans the state query once per
/// session rather than once per migration. Through a pooler the inline forms below are used instead,
/// since a temporary function lives on one server connection only.
pub fn session_functions(lock_key: i64) -> String {
    format!(
        "CREATE OR REPLACE FUNCTION pg_temp.en_migrate_begin(last_id bigint, guard boolean) RETURNS void LANGUAGE plpgsql AS $en$\n{}\n$en$;\n\
         CREATE OR REPLACE FUNCTION pg_temp.en_migrate_end() RETURNS void LANGUAGE plpgsql AS $en$\n{}\n$en$;\n",
        begin_body(lock_key),
        END_BODY.replace("STATE_HERE", STATE)
    )
}

/// The statement that opens a migration, after BEGIN and the SET LOCALs.
pub fn begin_sql(
    session_functions: bool,
    lock_key: i64,
    last_id: Option<i64>,
    guard: bool,
) -> String {
    let last = last_id.map_or("NULL".to_string(), |i| i.to_string());
    if session_functions {
        format!("SELECT pg_temp.en_migrate_begin({last}, {guard});\n")
    } else {
        format!(
            "DO $en$ DECLARE last_id bigint := {last}; guard boolean := {guard};\n{}\n$en$;\n",
            begin_body(lock_key)
        )
    }
}

/// The statement that closes a migration, before its tracker row.
pub fn end_sql(session_functions: bool) -> String {
    if session_functions {
        "SELECT pg_temp.en_migrate_end();\n".to_string()
    } else {
        format!("DO $en$ {} $en$;\n", END_BODY.replace("STATE_HERE", STATE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_parses_as_postgresql() {
        for f in [true, false] {
            pg_query::parse(&begin_sql(f, 42, Some(7), true), 0).unwrap();
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
    fn every_catalog_line_carries_its_row_version_or_is_a_write() {
        for line in STATE.lines().filter(|l| l.contains("UNION ALL SELECT")) {
            assert!(
                line.contains("xmin") || line.contains("rows written"),
                "{line}"
            );
        }
    }
}
