//! The migration-role check of `verify` (with `--migration-role`): that the role `up` runs every
//! migration as can reach nothing outside expert_network, so the server's own privilege system
//! refuses what both fences might miss. Reads only.

use super::{fail, pass};
use crate::db;
use crate::report::VerifyCheck;
use anyhow::{Context, Result};
use tokio_postgres::Client;

const NAME: &str = "migration role";

pub async fn check(client: &Client, role: &str) -> Result<VerifyCheck> {
    let oid = format!(
        "(SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = {})",
        db::literal(role)
    );
    // pg_catalog alone on the path, so objects are described with their schema (`table public.session`).
    // The transaction is verify's read-only one, rolled back at its end.
    let sql = format!(
        "SET LOCAL search_path = pg_catalog; SELECT {oid} IS NOT NULL, {}, (SELECT pg_catalog.pg_get_userbyid(n.nspowner) FROM pg_catalog.pg_namespace n WHERE n.nspname = 'expert_network')",
        crate::db::guard::outside_sql(&oid)
    );
    let row = db::rows(client, &sql)
        .await
        .context("cannot read the migration role's attributes and privileges")?
        .into_iter()
        .next()
        .unwrap_or_default();
    let cell = |i: usize| row.get(i).cloned().flatten();
    if cell(0).as_deref() != Some("t") {
        return Ok(fail(
            NAME,
            format!("role {role} does not exist; create it (see the README's privileges section) or drop --migration-role"),
        ));
    }
    let mut problems = Vec::new();
    if let Some(why) = cell(1) {
        problems.push(format!("it reaches outside expert_network: {why}"));
    }
    match cell(2) {
        Some(owner) if owner == role => {}
        Some(owner) => problems.push(format!(
            "expert_network is owned by {owner}, not by it (ALTER SCHEMA expert_network OWNER TO {role})"
        )),
        None => problems.push("schema expert_network does not exist yet".into()),
    }
    Ok(if problems.is_empty() {
        pass(
            NAME,
            format!("{role} owns expert_network and holds nothing outside it"),
        )
    } else {
        fail(NAME, format!("{role}: {}", problems.join("; ")))
    })
}
