//! Checks made after the plan and before anything is applied, so a run that cannot finish fails with
//! nothing applied rather than half way: today, the roles the placeholders name.
//!
//! Reads only; never creates a role or changes a grant itself.

use crate::cli::SourceOpts;
use crate::db::{self, literal};
use crate::exit::Fail;
use crate::files::migration::{Migration, Placeholders};
use anyhow::{anyhow, bail, Result};
use tokio_postgres::Client;

/// Refuses the run when pending migrations name roles (through the `*_role` placeholders) that do not
/// exist and this session cannot create roles: `003_grants.sql` would otherwise fail after 001 and 002
/// were applied.
pub async fn roles<M: AsRef<Migration>>(
    client: &Client,
    source: &SourceOpts,
    migrations: &[M],
    pending: &[usize],
) -> Result<()> {
    let placeholders = Placeholders::with_sets(&source.set)?;
    let mut wanted: Vec<(String, String, &str)> = Vec::new();
    for name in placeholders
        .names()
        .into_iter()
        .filter(|n| n.ends_with("_role"))
    {
        let Some(role) = placeholders.get(&name) else {
            continue;
        };
        if let Some(&fi) = pending
            .iter()
            .find(|&&fi| migrations[fi].as_ref().placeholders.contains(&name))
        {
            wanted.push((
                name.clone(),
                role.to_string(),
                &migrations[fi].as_ref().file_name,
            ));
        }
    }
    if wanted.is_empty() {
        return Ok(());
    }
    let list = wanted
        .iter()
        .map(|(_, r, _)| literal(r))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = db::rows(
        client,
        &format!(
            "SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.rolname IN ({list}); \
             SELECT (r.rolsuper OR r.rolcreaterole)::text, pg_catalog.current_user()::text FROM pg_catalog.pg_roles r WHERE r.rolname = pg_catalog.current_user()"
        ),
    )
    .await?;
    let exists = |role: &str| {
        rows.iter()
            .any(|r| r.len() == 1 && r[0].as_deref() == Some(role))
    };
    let me = rows.iter().find(|r| r.len() == 2);
    let can_create = me.is_some_and(|r| r[0].as_deref() == Some("true"));
    let user = me
        .and_then(|r| r[1].clone())
        .unwrap_or_else(|| "this user".into());
    let missing: Vec<&(String, String, &str)> =
        wanted.iter().filter(|(_, r, _)| !exists(r)).collect();
    if missing.is_empty() || can_create {
        return Ok(());
    }
    let names: Vec<String> = missing
        .iter()
        .map(|(p, r, f)| format!("{r} (${{{p}}}, used by {f})"))
        .collect();
    let create: Vec<String> = missing
        .iter()
        .map(|(_, r, _)| format!("CREATE ROLE {r} NOLOGIN;"))
        .collect();
    let sets: Vec<String> = missing
        .iter()
        .map(|(p, _, _)| format!("--set {p}=<an existing role>"))
        .collect();
    bail!(anyhow!(
        "the migrations name roles that do not exist: {}, and {user} cannot create roles (no CREATEROLE); nothing was applied.",
        names.join(", ")
    )
    .hint(format!(
        "pre-create them as an administrator ({}), or grant CREATEROLE to {user}, or name existing roles with {}",
        create.join(" "),
        sets.join(" ")
    )))
}
