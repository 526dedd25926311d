//! Checks made after the plan and before anything is applied, so a run that cannot finish fails with
//! nothing applied rather than half way: the roles the placeholders name, and who owns what in
//! expert_network that a migration may run, and that pg_catalog holds only what the server made.
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

/// Refuses the run when expert_network holds a function, operator, type or relation, or a trigger's
/// function on one of its tables (or a function or operator its WHEN calls, in any schema), owned by a role that is neither a superuser nor one the migrations
/// run as (`trusted`: the session user and `--migration-role`). Migrations run as that role (usually a
/// superuser) under `search_path = expert_network, pg_catalog, pg_temp`, so such an object runs the
/// other role's code with the migration's rights: the seed grants the application's role ALL on the
/// schema, and with it CREATE (an `expert_network.lower(text)` of its own is found before
/// pg_catalog's by a migration's `lower(email)`) and TRIGGER on its tables (a trigger whose function
/// it owns fires on a migration's UPDATE). Proven on PostgreSQL 15 through `up`: the application's
/// role read every password hash and ran a program as the server's OS user. The fence cannot see it:
/// the objects are not in any migration. Read once per run, before the first migration; an object
/// made while the run is under way is not seen.
pub async fn owners(client: &Client, trusted: &[&str]) -> Result<()> {
    let trusted = format!(
        "ARRAY[{}]::pg_catalog.name[]",
        trusted
            .iter()
            .map(|r| literal(r))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let sql = include_str!("sql/untrusted_owners.sql").replace("{trusted}", &trusted);
    // Both leave at once, in the pipeline ahead of the first migration's opening, which `up` sends
    // behind them (a query sent after one of them returned would land in that opening's transaction).
    let (found, builtins) = futures_util::future::join(
        listed(client, &sql),
        db::rows(client, include_str!("sql/trigger_builtins.sql")),
    )
    .await;
    let mut found = found?;
    found.extend(unsafe_trigger_builtins(builtins?));
    if found.is_empty() {
        return Ok(());
    }
    Err(anyhow!(
        "expert_network holds what another role can change and a migration would run with its own rights: {}; nothing was applied",
        found.join("; ")
    )
    .kind(crate::exit::Kind::Refused)
    .hint("give those objects to the role migrations run as (ALTER ... OWNER TO) or drop them (a trigger of built-ins: DROP TRIGGER), and REVOKE CREATE ON SCHEMA expert_network (and TRIGGER on its tables) from the role that made them"))
}

/// Of `sql/trigger_builtins.sql`'s rows (what, a pg_catalog function's name, its number of
/// arguments), the triggers that run a built-in the fence would not let a migration call with any
/// arguments (`fence::known`: one that runs SQL given as text, has an effect, is given an object's
/// name, or is unknown to it). A trigger has no owner, so one a role with TRIGGER on the table made
/// from built-ins only is told from the migrations' own by what it runs: the fence refuses such a
/// built-in in the WHEN a migration writes, and the server runs it with the rights of whoever
/// writes the table, a later migration's superuser's included. At most 20, as the owners' list.
fn unsafe_trigger_builtins(rows: Vec<Vec<Option<String>>>) -> Vec<String> {
    use crate::fence::known::{function_call, FnClass};
    rows.into_iter()
        .filter_map(|r| {
            let mut r = r.into_iter();
            let (what, name, nargs) = (r.next()??, r.next()??, r.next()??);
            let nargs: usize = nargs.parse().ok()?;
            (function_call(&name, nargs) != Some(FnClass::Safe)).then(|| {
                format!("{what}, a built-in that runs SQL, has an effect or names an object, with the rights of whoever writes the table")
            })
        })
        .take(20)
        .collect()
}

/// The first column of `sql`'s rows.
async fn listed(client: &Client, sql: &str) -> Result<Vec<String>> {
    Ok(db::rows(client, sql)
        .await?
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect())
}

/// Refuses the run (exit 3) when `sql` lists anything in its first column: `what`, then the list.
async fn refuse_listed(client: &Client, sql: &str, what: &str, hint: &str) -> Result<()> {
    let found = listed(client, sql).await?;
    if found.is_empty() {
        return Ok(());
    }
    Err(anyhow!("{what}: {}; nothing was applied", found.join("; "))
        .kind(crate::exit::Kind::Refused)
        .hint(hint))
}

/// Refuses the run when pg_catalog holds a relation, type, function or operator that initdb did not make
/// (`sql/catalog_intruders.sql`). The fence resolves an unqualified name that no object of
/// expert_network answers yet (`DROP TYPE IF EXISTS mood CASCADE` before `CREATE TYPE
/// expert_network.mood`, a `DELETE FROM t` in a migration before the one that makes t) as the server
/// does only while pg_catalog holds the server's own objects: proven on PostgreSQL 15 through `up`,
/// such migrations dropped a type a superuser had made in pg_catalog and deleted the rows of a table
/// moved there by `ALTER TABLE ... SET SCHEMA pg_catalog`, and the guard, which leaves the server's
/// schemas to the server, saw nothing. Read once per run, before the first migration.
pub async fn catalog_intruders(client: &Client) -> Result<()> {
    refuse_listed(
        client,
        include_str!("sql/catalog_intruders.sql"),
        "pg_catalog holds what the server did not make, which a migration's unqualified name may find",
        "move those objects out of pg_catalog (ALTER ... SET SCHEMA) or drop them: the fence resolves unqualified names as if pg_catalog held only the server's own",
    )
    .await
}

/// What pg_catalog holds that the server did not make, as `catalog_intruders` reads it, and the
/// extensions installed there (initdb's plpgsql is older than FirstNormalObjectId): read before and
/// after a no-transaction migration, which no database-side check follows (`db::notx`). Extensions
/// apart, since a database may hold one there from before (adminpack installs into pg_catalog).
pub async fn server_schema_objects(client: &Client) -> Result<Vec<String>> {
    let mut found = listed(client, include_str!("sql/catalog_intruders.sql")).await?;
    found.extend(
        listed(
            client,
            "SELECT 'extension ' || pg_catalog.quote_ident(e.extname) FROM pg_catalog.pg_extension e
             WHERE e.extnamespace = 'pg_catalog'::pg_catalog.regnamespace AND e.oid >= 16384 ORDER BY e.oid",
        )
        .await?,
    );
    Ok(found)
}
