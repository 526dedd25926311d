//! The tracker, `public.schema_migrations`: its shape, its rows (`Applied`), its adoption from the seed's Python runner, and
//! the SQL that reads and writes it.
//!
//! Always named `public.schema_migrations`, never through search_path. A table of that name with any
//! other shape (golang-migrate, dbmate and Rails use the name too) is refused and never changed.

use crate::db;
use crate::files::migration::Kind;
use crate::files::source::parse_file_name;
use anyhow::{Context, Result};
use std::sync::LazyLock;
use tokio_postgres::Client;

/// A tracker row, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub id: i64,
    pub migration_name: String,
    pub checksum: Option<String>,
    /// Read only with `Columns::WithTimes` (`status`); `None` otherwise.
    pub applied_at: Option<String>,
    pub execution_ms: Option<i64>,
}

impl Applied {
    /// The file this row records: the seed's Python runner wrote names with or without `.sql`.
    pub fn file_name(&self) -> String {
        if self.migration_name.ends_with(".sql") {
            self.migration_name.clone()
        } else {
            format!("{}.sql", self.migration_name)
        }
    }

    pub fn version(&self) -> Option<u64> {
        parse_file_name(&self.file_name())
            .ok()
            .flatten()
            .filter(|n| n.kind == Kind::Versioned)
            .map(|n| n.version)
    }

    /// The row of a repeatable file (`R_name.sql`), re-written on each re-apply.
    pub fn repeatable(&self) -> bool {
        self.migration_name.starts_with("R_")
    }
}

/// The tracker's name, always qualified: never found through search_path. Every statement and message
/// names the tracker through this (or `NAME`); the one spelling is the fence's (`fence::tracker_name`).
pub const TABLE: &str = concat!("public.", crate::fence::tracker_name!());
/// SQLSTATE of "the tracker moved since it was read": raised by the guard's opening, and by a
/// repeatable file's record when another runner recorded the same checksum (`record_sql`).
pub const STALE: &str = "EN003";

/// For a command that read the tracker as absent and writes it under the lock: raises `STALE` when a
/// tracker exists by the time the lock is held, as the guard's `last_id` check does for rows written
/// since a read. Without it, a second baseline that read "absent" meets the first one's rows as a raw
/// unique violation.
pub fn still_absent_sql() -> String {
    format!(
        "DO $en$ BEGIN
  IF pg_catalog.to_regclass('{TABLE}') IS NOT NULL THEN
    RAISE EXCEPTION 'the tracker appeared since it was read' USING ERRCODE = '{STALE}';
  END IF;
END $en$;\n"
    )
}

/// The tracker's name unqualified, as the catalog's `relname` holds it.
pub const NAME: &str = crate::fence::TRACKER;

/// The tracker and the relations its columns made (its id sequence, its two indexes), as an SQL list
/// of string literals: in public, all that is en-migrate's.
macro_rules! relations {
    () => {
        concat!(
            "'",
            crate::fence::tracker_name!(),
            "', ",
            "'",
            crate::fence::tracker_name!(),
            "_id_seq', ",
            "'",
            crate::fence::tracker_name!(),
            "_pkey', ",
            "'",
            crate::fence::tracker_name!(),
            "_migration_name_key'"
        )
    };
}
pub(crate) use relations;

/// One of en-migrate's own `.sql` files with the tracker named in it: the files write `{tracker}` for
/// `TABLE` and `{tracker_name}` for `NAME`, so the name stays spelt once.
pub fn named(sql: &str) -> String {
    sql.replace("{tracker}", TABLE)
        .replace("{tracker_name}", NAME)
}

/// The seed's columns, which every en-migrate tracker keeps.
const SEED_COLUMNS: [&str; 3] = ["id", "migration_name", "applied_at"];
/// The columns en-migrate adds.
pub const OUR_COLUMNS: [(&str, &str); 4] = [
    ("checksum", "text"),
    ("execution_ms", "bigint"),
    ("applied_by", "text"),
    // The record of expert_network after the run's last migration (verify/drift); TOAST compresses it.
    ("schema_snapshot", "jsonb"),
];

/// The advisory lock key every en-migrate runner of a database shares ("en-migrate" in ASCII, folded).
pub const LOCK_KEY: i64 = 0x656e_2d6d_6967_7261;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    Absent,
    /// en-migrate's own columns are all there.
    Ours,
    /// The seed's runner's table, missing some of en-migrate's columns, to be added.
    Seed {
        missing: Vec<&'static str>,
    },
    /// Somebody else's table: (column, type) as found.
    Foreign(Vec<(String, String)>),
}

/// The tracker's columns, if it exists, in order.
pub static COLUMNS_SQL: LazyLock<String> =
    LazyLock::new(|| named(include_str!("sql/tracker_columns.sql")));

/// Classifies the columns found.
pub fn classify(cols: &[(String, String)]) -> Shape {
    if cols.is_empty() {
        return Shape::Absent;
    }
    let has = |n: &str| cols.iter().any(|(c, _)| c == n);
    let known = |n: &str| SEED_COLUMNS.contains(&n) || OUR_COLUMNS.iter().any(|(c, _)| *c == n);
    let name_ok = cols
        .iter()
        .any(|(c, t)| c == "migration_name" && (t.starts_with("character varying") || t == "text"));
    if !(has("id") && name_ok && cols.iter().all(|(c, _)| known(c))) {
        return Shape::Foreign(cols.to_vec());
    }
    let missing: Vec<_> = OUR_COLUMNS
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| !has(c))
        .collect();
    if missing.is_empty() {
        Shape::Ours
    } else {
        Shape::Seed { missing }
    }
}

pub async fn shape(client: &Client) -> Result<Shape> {
    let rows = db::rows(client, &COLUMNS_SQL).await?;
    let cols: Vec<(String, String)> = rows
        .into_iter()
        .map(|r| {
            (
                r[0].clone().unwrap_or_default(),
                r[1].clone().unwrap_or_default(),
            )
        })
        .collect();
    Ok(classify(&cols))
}

/// The SQL that creates or completes the tracker. Run only under the migration lock.
pub fn ensure_sql() -> String {
    let mut sql = format!(
        "CREATE TABLE IF NOT EXISTS {TABLE} (\n\
         id SERIAL PRIMARY KEY,\n\
         migration_name VARCHAR(255) UNIQUE NOT NULL,\n\
         applied_at TIMESTAMP DEFAULT NOW(),\n\
         checksum TEXT,\n\
         execution_ms BIGINT,\n\
         applied_by TEXT);\n",
    );
    sql += &format!("ALTER TABLE {TABLE} ");
    sql += &OUR_COLUMNS
        .iter()
        .map(|(c, t)| format!("ADD COLUMN IF NOT EXISTS {c} {t}"))
        .collect::<Vec<_>>()
        .join(", ");
    sql += ";\n";
    // Rows the earlier runner wrote with explicit ids can be ahead of the sequence; en-migrate's rows
    // must come after them (ids order the tracker, and a collision would fail the insert).
    sql += &format!(
        "SELECT pg_catalog.setval(s.seq, m.max_id) FROM \
         (SELECT pg_catalog.pg_get_serial_sequence('{TABLE}', 'id')::regclass AS seq) s, \
         (SELECT pg_catalog.max(id) AS max_id FROM {TABLE}) m \
         WHERE s.seq IS NOT NULL AND m.max_id > coalesce(pg_catalog.pg_sequence_last_value(s.seq), 0);\n"
    );
    sql
}

/// What a read of the tracker's rows brings back. Every command needs each row's id, name and
/// checksum; only `status` shows when a migration was applied and how long it took. Those two
/// columns cost the server a timestamp's text per row (about 40% of the read of a long history,
/// which is on a no-op `up`'s critical path), so the other commands leave them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    Checksums,
    WithTimes,
}

/// Reads every row (`since` = only ids above it). Works on the seed's shape too.
pub fn rows_sql(shape: &Shape, since: i64, columns: Columns) -> String {
    // A tracker of an earlier en-migrate lacks only schema_snapshot: its checksums count.
    let has_ours = match shape {
        Shape::Ours => true,
        Shape::Seed { missing } => !missing.contains(&"checksum"),
        _ => false,
    };
    let checksum = if has_ours { "checksum" } else { "NULL::text" };
    let times = match columns {
        Columns::Checksums => "",
        Columns::WithTimes if has_ours => ", applied_at::text, execution_ms",
        Columns::WithTimes => ", applied_at::text, NULL::bigint",
    };
    format!(
        "SELECT id, migration_name, {checksum}{times} FROM {TABLE} WHERE id > {since} ORDER BY id"
    )
}

/// The rows `rows_sql` read, with or without their times.
pub fn parse_rows(rows: Vec<Vec<Option<String>>>) -> Vec<Applied> {
    rows.into_iter()
        .map(|mut r| Applied {
            id: r[0].as_deref().and_then(|v| v.parse().ok()).unwrap_or(0),
            migration_name: r[1].take().unwrap_or_default(),
            checksum: r[2].take(),
            applied_at: r.get_mut(3).and_then(Option::take),
            execution_ms: r.get(4).and_then(|v| v.as_deref()?.parse().ok()),
        })
        .collect()
}

pub async fn read(
    client: &Client,
    shape: &Shape,
    since: i64,
    columns: Columns,
) -> Result<Vec<Applied>> {
    if matches!(shape, Shape::Absent) {
        return Ok(Vec::new());
    }
    Ok(parse_rows(
        db::rows(client, &rows_sql(shape, since, columns)).await?,
    ))
}

/// The tracker's shape and rows in one round trip. The rows are read in en-migrate's own shape,
/// pipelined right behind the shape query (polled together, the shape first), before the shape is
/// known: the usual case, a tracker of en-migrate's shape, then needs nothing more. Where the
/// tracker is absent or foreign that read fails harmlessly on its own (each simple query is its own
/// implicit transaction; the server logs the error) and its error is dropped; the seed's shape is
/// read again in its own shape, once in a database's life, before adoption.
///
/// Never inside a transaction that must survive: the speculative read's error would abort it.
pub async fn opening(client: &Client, columns: Columns) -> Result<(Shape, Vec<Applied>)> {
    let ours = rows_sql(&Shape::Ours, 0, columns);
    let (shape, rows) = futures_util::future::join(shape(client), db::rows(client, &ours)).await;
    let unreadable = || format!("cannot read the tracker {TABLE}");
    let shape = shape.with_context(unreadable)?;
    let rows = match &shape {
        Shape::Ours => parse_rows(rows.with_context(unreadable)?),
        Shape::Seed { .. } => read(client, &shape, 0, columns)
            .await
            .with_context(unreadable)?,
        Shape::Absent | Shape::Foreign(_) => Vec::new(),
    };
    Ok((shape, rows))
}

/// The tracker row of one migration, written in the migration's own transaction. `execution_ms` is
/// measured by the server from the start of the migration (`en_migrate.t0`).
pub fn insert_sql(file_name: &str, checksum: &str) -> String {
    format!(
        "INSERT INTO {TABLE} (migration_name, checksum, execution_ms, applied_by) VALUES ({}, {}, \
         (extract(epoch FROM pg_catalog.clock_timestamp() - pg_catalog.current_setting('en_migrate.t0')::timestamptz) * 1000)::bigint, \
         pg_catalog.format('%s (en-migrate {})', session_user)) RETURNING id",
        db::literal(file_name),
        db::literal(checksum),
        env!("CARGO_PKG_VERSION"),
    )
}

/// The tracker row of a migration: a versioned file's new row, or a repeatable file's row written
/// anew on each re-apply (keyed by its file name, which is UNIQUE: the row keeps its id, and gets
/// applied_at, checksum, execution_ms and applied_by of this apply). A repeatable row that already
/// holds this checksum means another runner applied the same file since this one read the tracker:
/// SQLSTATE EN003, as for a newer row, and the run re-plans.
pub fn record_sql(m: &crate::files::migration::Migration) -> String {
    let insert = insert_sql(&m.file_name, &m.checksum);
    if !m.is_repeatable() {
        return insert;
    }
    let name = db::literal(&m.file_name);
    let insert = insert.strip_suffix(" RETURNING id").unwrap_or(&insert);
    format!(
        "DO $en_migrate$BEGIN IF EXISTS (SELECT 1 FROM {TABLE} WHERE migration_name = {name} AND checksum = {}) THEN \
         RAISE EXCEPTION 'another runner applied % since this run read the tracker', {name} USING ERRCODE = '{}'; END IF; END$en_migrate$;\n\
         {insert} ON CONFLICT (migration_name) DO UPDATE SET applied_at = EXCLUDED.applied_at, checksum = EXCLUDED.checksum, \
         execution_ms = EXCLUDED.execution_ms, applied_by = EXCLUDED.applied_by RETURNING id",
        db::literal(&m.checksum),
        STALE,
    )
}

/// Records the checksum of a row adopted from the seed's runner, the first time en-migrate sees it.
pub fn backfill_sql(id: i64, checksum: &str) -> String {
    format!(
        "UPDATE {TABLE} SET checksum = {} WHERE id = {id} AND checksum IS NULL",
        db::literal(checksum)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The database edge's catalog queries, kept as `.sql` files in src/db/sql, are PostgreSQL.
    #[test]
    fn the_catalog_queries_parse() {
        for sql in [
            &COLUMNS_SQL,
            include_str!("sql/session_opening.sql"),
            include_str!("sql/lock_holders.sql"),
        ] {
            pg_query::parse(sql, 0).unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
    }

    /// The tracker's name is spelt once, in `fence::tracker_name` (fence/rules.rs): every statement and message in src/
    /// takes it from there (`TABLE`, `NAME`, `{tracker}` in a `.sql` file). Comments, the tests*.rs
    /// files and snapshots may say it; a new spelling anywhere else (a test module inside a file too)
    /// fails here.
    #[test]
    fn the_tracker_is_spelt_once() {
        fn scan(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let file = path.file_name().unwrap().to_string_lossy().into_owned();
                if path.is_dir() {
                    if file != "snapshots" {
                        scan(&path, found);
                    }
                    continue;
                }
                if file.starts_with("tests") || !(file.ends_with(".rs") || file.ends_with(".sql")) {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, line) in text.lines().enumerate() {
                    let line = line.trim_start();
                    if !line.starts_with("//") && !line.starts_with("--") && line.contains(NAME) {
                        found.push(format!("{}:{}", path.display(), i + 1));
                    }
                }
            }
        }
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        scan(&src, &mut found);
        let spelling = src.join("fence/rules.rs");
        let (one, others): (Vec<_>, Vec<_>) = found
            .into_iter()
            .partition(|at| at.starts_with(&format!("{}:", spelling.display())));
        assert_eq!(one.len(), 1, "the spelling in fence/rules.rs: {one:?}");
        assert!(
            others.is_empty(),
            "spell the tracker as tracker::TABLE or NAME: {others:?}"
        );
        assert_eq!(TABLE, format!("public.{NAME}"));
        assert_eq!(relations!().matches(NAME).count(), 4);
    }

    fn cols(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn shapes() {
        assert_eq!(classify(&[]), Shape::Absent);
        let seed = cols(&[
            ("id", "integer"),
            ("migration_name", "character varying(255)"),
            ("applied_at", "timestamp without time zone"),
        ]);
        assert_eq!(
            classify(&seed),
            Shape::Seed {
                missing: vec!["checksum", "execution_ms", "applied_by", "schema_snapshot"]
            }
        );
        let mut ours = seed.clone();
        ours.extend(cols(&[
            ("checksum", "text"),
            ("execution_ms", "bigint"),
            ("applied_by", "text"),
        ]));
        // An earlier en-migrate's tracker is adopted by adding the record's column.
        assert_eq!(
            classify(&ours),
            Shape::Seed {
                missing: vec!["schema_snapshot"]
            }
        );
        assert!(!rows_sql(&classify(&ours), 0, Columns::WithTimes).contains("NULL"));
        ours.push(("schema_snapshot".into(), "jsonb".into()));
        assert_eq!(classify(&ours), Shape::Ours);
        let golang = cols(&[("version", "bigint"), ("dirty", "boolean")]);
        assert_eq!(classify(&golang), Shape::Foreign(golang.clone()));
        let rails = cols(&[("version", "character varying")]);
        assert!(matches!(classify(&rails), Shape::Foreign(_)));
        let mut extra = seed.clone();
        extra.push(("dirty".into(), "boolean".into()));
        assert!(matches!(classify(&extra), Shape::Foreign(_)));
    }

    #[test]
    fn a_repeatable_row_is_written_anew_and_a_versioned_one_inserted() {
        let m = |file: &str| {
            crate::files::migration::Migration::from_bytes(
                0,
                "v".into(),
                file.into(),
                file.into(),
                b"SELECT 1;".to_vec(),
            )
            .unwrap()
        };
        let versioned = record_sql(&m("001_v.sql"));
        assert_eq!(versioned, insert_sql("001_v.sql", &m("001_v.sql").checksum));
        let repeatable = record_sql(&m("R_v.sql"));
        assert!(repeatable.contains(
            "ON CONFLICT (migration_name) DO UPDATE SET applied_at = EXCLUDED.applied_at"
        ));
        assert!(repeatable.contains("ERRCODE = 'EN003'") && repeatable.ends_with("RETURNING id"));
        pg_query::parse(&repeatable, 0).unwrap();
    }

    #[test]
    fn literals_are_quoted() {
        assert!(insert_sql("001_a.sql", "ab'cd").contains("'ab''cd'"));
    }
}
