//! The tracker check of `verify`: `public.schema_migrations` has en-migrate's shape, and nothing else
//! of en-migrate's (by name: `en_migrate*`, `schema_migrations_*`) is in public besides what belongs to
//! the tracker. Reads only.

use super::{cell, fail, pass, them};
use crate::db;
use crate::db::tracker::TABLE as TRACKER;
use crate::db::tracker::{self, Shape};
use crate::report::VerifyCheck;
use anyhow::{Context, Result};
use std::sync::LazyLock;
use tokio_postgres::Client;

/// en-migrate's own objects in public besides the tracker and what belongs to it (its id sequence,
/// its indexes): a leftover of an interrupted or older run, or somebody else's object in our name.
static LEFTOVERS_SQL: LazyLock<String> =
    LazyLock::new(|| tracker::named(include_str!("leftovers.sql")));

/// The tracker has en-migrate's shape, and nothing else of en-migrate's is in public.
pub async fn check(client: &Client, shape: &Shape) -> Result<VerifyCheck> {
    const NAME: &str = "tracker";
    let mut problems = Vec::new();
    match shape {
        Shape::Ours => {}
        Shape::Absent => problems.push(format!("{TRACKER} does not exist: nothing was ever applied here; run `en-migrate up`")),
        Shape::Seed { missing } => problems.push(format!(
            "{TRACKER} is the earlier Python runner's, without {}; `en-migrate up` adopts it",
            missing.join(", ")
        )),
        Shape::Foreign(cols) => problems.push(format!(
            "{TRACKER} is not en-migrate's (columns: {}); another tool owns it, so en-migrate cannot run here",
            cols.iter().map(|(c, t)| format!("{c} {t}")).collect::<Vec<_>>().join(", ")
        )),
    }
    let leftovers: Vec<String> = db::rows(client, &LEFTOVERS_SQL)
        .await
        .context("cannot list en-migrate's objects in public")?
        .into_iter()
        .map(|r| format!("{} {}", cell(&r, 0), cell(&r, 1)))
        .collect();
    if !leftovers.is_empty() {
        problems.push(format!(
            "en-migrate's names in public besides the tracker: {} (en-migrate creates nothing there but {TRACKER}; find who made {} before dropping)",
            leftovers.join(", "),
            them(leftovers.len())
        ));
    }
    Ok(if problems.is_empty() {
        pass(
            NAME,
            format!(
                "{TRACKER} has en-migrate's shape, and nothing else of en-migrate's is in public"
            ),
        )
    } else {
        fail(NAME, problems.join("; "))
    })
}
