//! The schema record: a normalized description of every object of expert_network (`snapshot.sql`),
//! written into the tracker row of the last migration of each `up` run, in that migration's own
//! transaction, and read back by `verify --drift`.
//!
//! Only `record_sql` writes, and only inside a migration's transaction; everything else reads.

use crate::db;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tokio_postgres::Client;

/// The record's query: one scalar jsonb (see the file's header).
const SNAPSHOT_SQL: &str = include_str!("sql/snapshot.sql");
/// Bumped whenever `snapshot.sql` describes an object differently: records of another format are
/// not compared (they would differ in spelling, not in schema).
pub const FORMAT: u32 = 1;
use crate::db::tracker::TABLE as TRACKER;
/// Deparsers print every name outside pg_catalog qualified under this path, whatever the session's.
const PATH: &str = "SET LOCAL search_path = pg_catalog, pg_temp;\n";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: u32,
    pub server_version_num: i32,
    /// Object key (`table expert_network.campaigns`) to its definition.
    pub objects: BTreeMap<String, String>,
    /// Object key to the key of the table or type it belongs to.
    #[serde(default)]
    pub parents: BTreeMap<String, String>,
}

/// The statements `up` appends to the last migration of a run, after its tracker row: the record
/// of the schema as that migration leaves it, written in the same transaction. Once per run rather
/// than per migration because taking it reads every catalog of the schema (README, Performance).
pub fn record_sql() -> String {
    format!(
        "{PATH}UPDATE {TRACKER} SET schema_snapshot = ({SNAPSHOT_SQL}) WHERE id = (SELECT max(id) FROM {TRACKER});\n"
    )
}

/// The live schema's record. Runs inside the caller's transaction (it sets search_path LOCAL).
pub async fn snapshot(client: &Client) -> Result<Snapshot> {
    let sql = format!("{PATH}SELECT ({SNAPSHOT_SQL})::text");
    let text = db::value(client, &sql)
        .await
        .context("cannot describe the objects of expert_network from the catalogs")?
        .unwrap_or_default();
    serde_json::from_str(&text).context("the schema's description is not the JSON en-migrate wrote")
}
