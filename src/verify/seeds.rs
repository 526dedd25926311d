//! The vendor-seeds check of `verify`: every vendor slug that the migrations insert into
//! `expert_network.vendor_platforms` (derived by `expected::derive` from all of them, 002 today,
//! rather than from a file picked by name) is there. With `--dir` files that seed no vendors there is
//! nothing to check, and the check says `skipped`. Reads only.

use super::{fail, pass, plural, them};
use crate::db;
use crate::fence::SCHEMA;
use crate::report::{VerifyCheck, VerifyTable};
use anyhow::{Context, Result};
use tokio_postgres::Client;

/// Every vendor slug the migrations insert is present as a built-in vendor (user_id NULL, the
/// convention of 001 and 002; a user's own vendor of the same slug does not stand in for it).
pub async fn check(
    client: &Client,
    slugs: &[String],
    tables: &[VerifyTable],
) -> Result<VerifyCheck> {
    const NAME: &str = "vendor-seeds";
    if slugs.is_empty() {
        return Ok(pass(
            NAME,
            format!("skipped: no migration inserts slugs into {SCHEMA}.vendor_platforms"),
        ));
    }
    if !tables
        .iter()
        .any(|t| t.schema == SCHEMA && t.table == "vendor_platforms")
    {
        return Ok(fail(
            NAME,
            format!(
                "{SCHEMA}.vendor_platforms does not exist, so its {} seeded vendors are missing",
                slugs.len()
            ),
        ));
    }
    let has_user_id = db::value(client, include_str!("vendor_user_id.sql"))
        .await
        .context("cannot read the columns of expert_network.vendor_platforms")?
        .as_deref()
        == Some("1");
    let list: Vec<String> = slugs.iter().map(|s| db::literal(s)).collect();
    let sql = format!(
        "SELECT s.slug FROM pg_catalog.unnest(ARRAY[{}]::text[]) WITH ORDINALITY AS s(slug, n) \
         WHERE NOT EXISTS (SELECT 1 FROM expert_network.vendor_platforms v WHERE v.slug = s.slug{}) ORDER BY s.n",
        list.join(", "),
        if has_user_id { " AND v.user_id IS NULL" } else { "" }
    );
    let missing: Vec<String> = db::rows(client, &sql)
        .await
        .context(
            "cannot read expert_network.vendor_platforms; run verify as a role that may read it",
        )?
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect();
    Ok(if missing.is_empty() {
        pass(
            NAME,
            format!("all {} vendors the migrations seed are there", slugs.len()),
        )
    } else {
        fail(
            NAME,
            format!(
                "missing seeded vendor{} {} (a seed migration is not re-run once applied: re-insert {} or restore from a backup)",
                plural(missing.len()),
                missing.join(", "),
                them(missing.len())
            ),
        )
    })
}
