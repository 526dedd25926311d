//! The tracker check of `verify`: `public.schema_migrations` has en-migrate's shape, and nothing else
//! of en-migrate's (by name: `en_migrate*`, `schema_migrations_*`) is in public besides what belongs to
//! the tracker. Reads only.

use super::{cell, fail, pass, them};
use crate::db;
use crate::db::tracker::Shape;
use crate::report::VerifyCheck;
use anyhow::{Context, Result};
use tokio_postgres::Client;

/// en-migrate's own objects in public besides the tracker and what belongs to it (its id sequence,
/// its indexes): a leftover of an interrupted or older run, or somebody else's object in our name.
const LEFTOVERS_SQL: &str = "WITH ns AS (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public'), \
     t AS (SELECT pg_catalog.to_regclass('public.schema_migrations') AS oid), \
     ours(name) AS (VALUES ('en_migrate'), ('schema_migrations_')) \
     SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' \
       WHEN 'S' THEN 'sequence' WHEN 'i' THEN 'index' WHEN 'I' THEN 'index' WHEN 'f' THEN 'foreign table' ELSE 'relation' END, \
       'public.' || c.relname \
     FROM pg_catalog.pg_class c WHERE c.relnamespace = (SELECT oid FROM ns) \
       AND EXISTS (SELECT 1 FROM ours WHERE pg_catalog.starts_with(pg_catalog.lower(c.relname::text), ours.name)) \
       AND c.oid IS DISTINCT FROM (SELECT oid FROM t) \
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indexrelid = c.oid AND i.indrelid = (SELECT oid FROM t)) \
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass \
         AND d.objid = c.oid AND d.refobjid = (SELECT oid FROM t) AND d.deptype IN ('a', 'i')) \
     UNION ALL \
     SELECT 'function', 'public.' || p.proname FROM pg_catalog.pg_proc p WHERE p.pronamespace = (SELECT oid FROM ns) \
       AND EXISTS (SELECT 1 FROM ours WHERE pg_catalog.starts_with(pg_catalog.lower(p.proname::text), ours.name)) \
     UNION ALL \
     SELECT 'type', 'public.' || y.typname FROM pg_catalog.pg_type y WHERE y.typnamespace = (SELECT oid FROM ns) AND y.typrelid = 0 \
       AND EXISTS (SELECT 1 FROM ours WHERE pg_catalog.starts_with(pg_catalog.lower(y.typname::text), ours.name)) \
     ORDER BY 2, 1";

/// The tracker has en-migrate's shape, and nothing else of en-migrate's is in public.
pub async fn check(client: &Client, shape: &Shape) -> Result<VerifyCheck> {
    const NAME: &str = "tracker";
    let mut problems = Vec::new();
    match shape {
        Shape::Ours => {}
        Shape::Absent => problems.push("public.schema_migrations does not exist: nothing was ever applied here; run `en-migrate up`".to_string()),
        Shape::Seed { missing } => problems.push(format!(
            "public.schema_migrations is the earlier Python runner's, without {}; `en-migrate up` adopts it",
            missing.join(", ")
        )),
        Shape::Foreign(cols) => problems.push(format!(
            "public.schema_migrations is not en-migrate's (columns: {}); another tool owns it, so en-migrate cannot run here",
            cols.iter().map(|(c, t)| format!("{c} {t}")).collect::<Vec<_>>().join(", ")
        )),
    }
    let leftovers: Vec<String> = db::rows(client, LEFTOVERS_SQL)
        .await
        .context("cannot list en-migrate's objects in public")?
        .into_iter()
        .map(|r| format!("{} {}", cell(&r, 0), cell(&r, 1)))
        .collect();
    if !leftovers.is_empty() {
        problems.push(format!(
            "en-migrate's names in public besides the tracker: {} (en-migrate creates nothing there but public.schema_migrations; find who made {} before dropping)",
            leftovers.join(", "),
            them(leftovers.len())
        ));
    }
    Ok(if problems.is_empty() {
        pass(NAME, "public.schema_migrations has en-migrate's shape, and nothing else of en-migrate's is in public".into())
    } else {
        fail(NAME, problems.join("; "))
    })
}
