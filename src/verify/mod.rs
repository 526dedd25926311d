//! `en-migrate verify`: the seed's tables-by-schema report (every table of `public` and
//! `expert_network` with its purpose), and the checks CI gates on: expert_network holds exactly the
//! tables the migrations create, BetterAuth's tables are in public, every migration is applied
//! unchanged, the roles hold their grants, the vendor seeds are there, and en-migrate left nothing of
//! its own in public but its tracker. Exit 0 when every check passes, 4 when one fails.
//!
//! Reads only, and must never write: everything runs in one `START TRANSACTION ISOLATION LEVEL
//! REPEATABLE READ READ ONLY`, so every check sees one snapshot, and verify works on a hot standby,
//! with `default_transaction_read_only` on, and (simple query protocol only, `crate::db`) through a
//! transaction-mode pooler.

mod checks;
pub mod drift;
mod grants;
mod leftovers;
mod role;
mod seeds;

use crate::cli::{Format, VerifyArgs};
use crate::db;
use crate::db::session;
use crate::db::tracker::{self, Shape};
use crate::exit::{Fail, Kind, Outcome};
use crate::expected;
use crate::fence::{SCHEMA, TRACKER};
use crate::files::migration::{Migration, Placeholders};
use crate::report::{self, VerifyCheck, VerifyReport, VerifyTable};
use anyhow::{Context, Result};
use tokio_postgres::Client;

/// BetterAuth's tables in public, as the seed lists them.
pub const BETTER_AUTH: [&str; 4] = ["user", "session", "account", "verification"];

/// Runs verify over the migrations `load` reads (on a thread, while the session opens).
pub async fn run(
    args: &VerifyArgs,
    load: impl FnOnce() -> Result<Vec<Migration>> + Send + 'static,
    format: Format,
) -> Result<Outcome> {
    let placeholders =
        Placeholders::with_sets(&args.source.set).map_err(|e| e.kind(Kind::Usage))?;
    // Both placeholders always have a value (defaults raguser, expert_network_readonly).
    let app_role = placeholders
        .get("app_role")
        .unwrap_or("raguser")
        .to_string();
    let readonly_role = placeholders
        .get("readonly_role")
        .unwrap_or("expert_network_readonly")
        .to_string();
    if args.drift || args.shadow || args.shadow_url.is_some() {
        return drift::run(args, &load()?, format).await;
    }
    // Read and derived while the session opens; the transaction starts in the session's first round
    // trip.
    let files = move || {
        let migrations = load()?;
        let texts: Vec<&str> = migrations.iter().map(|m| m.text.as_str()).collect();
        // Expected from ALL migration files, not only the applied ones: once `up` has run, the database
        // should match the files, and a pending migration is reported by the migrations check anyway
        // (its tables then show up as missing here too, which is true).
        let want = expected::derive(&texts);
        Ok((migrations, want))
    };
    let ((migrations, want), session, started) = session::open_beside(&args.connect, files, |c| {
        Box::pin(db::rows(
            c,
            "START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY",
        ))
    })
    .await?;
    crate::db::stop::register(session.client(), &args.connect, session.pid).await;
    let texts: Vec<&str> = migrations.iter().map(|m| m.text.as_str()).collect();
    let client = session.client();
    started.context("cannot start a read-only transaction for verify")?;
    let roles = [grants::app(&app_role), grants::readonly(&readonly_role)];
    let mut rep = gather(
        client,
        &migrations,
        &texts,
        &want,
        &roles,
        session.version_num,
    )
    .await;
    if let (Ok(r), Some(role)) = (&mut rep, &args.migration_role) {
        let c = role::check(client, role).await?;
        r.ok &= c.ok;
        r.checks.push(c);
    }
    // Nothing was written: ROLLBACK ends the transaction either way and hands a pooler a clean connection.
    let _ = db::rows(client, "ROLLBACK").await;
    let rep = rep?;
    report::verify(&rep, format);
    Ok(if rep.ok { Outcome::Ok } else { Outcome::Drift })
}

async fn gather(
    client: &Client,
    files: &[Migration],
    texts: &[&str],
    want: &expected::Expected,
    roles: &[grants::Want<'_>],
    version: i32,
) -> Result<VerifyReport> {
    // Three catalog reads in one round trip (polled together, in this order, so the first error in
    // this order is the one that aborted the transaction).
    let (listed, schema_exists, shape) = futures_util::future::join3(
        db::rows(client, include_str!("tables.sql")),
        db::value(
            client,
            "SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname = 'expert_network'",
        ),
        tracker::shape(client),
    )
    .await;
    let listed = listed.context("cannot list the tables of public and expert_network")?;
    let tables: Vec<VerifyTable> = listed
        .into_iter()
        .map(|r| {
            let (schema, table) = (cell(&r, 0), cell(&r, 1));
            VerifyTable {
                purpose: purpose(&schema, &table).to_string(),
                schema,
                table,
            }
        })
        .collect();
    let schema_exists = schema_exists
        .context("cannot read pg_namespace")?
        .as_deref()
        == Some("1");
    let shape = shape.with_context(|| format!("cannot read the columns of {}", tracker::TABLE))?;
    let rows = match shape {
        Shape::Foreign(_) => Vec::new(),
        _ => tracker::read(client, &shape, 0, tracker::Columns::Checksums)
            .await
            .with_context(|| {
                format!(
                    "cannot read {}; run verify as a role that may read it",
                    tracker::TABLE
                )
            })?,
    };

    // A post-deploy file that `up` holds back has not run: what it drops is still expected.
    let held = crate::plan::held(&crate::plan::plan(files, &rows, Default::default()));
    let without_held;
    let want = if held.is_empty() {
        want
    } else {
        let ran: Vec<&str> = (0..texts.len())
            .filter(|i| !held.contains(i))
            .map(|i| texts[i])
            .collect();
        without_held = expected::derive(&ran);
        &without_held
    };
    let checks = vec![
        checks::schema_tables(&want.tables, &tables, schema_exists),
        checks::betterauth(&tables),
        checks::migrations(&shape, files, &rows),
        grants::check(client, roles, schema_exists).await?,
        seeds::check(client, &want.vendor_slugs, &tables).await?,
        leftovers::check(client, &shape).await?,
        // Last: it pins search_path for the rest of the transaction.
        drift::check(client, &shape, version).await?,
    ];
    let ok = checks.iter().all(|c| c.ok);
    Ok(VerifyReport {
        summary: summary(&tables),
        tables,
        checks,
        ok,
    })
}

/// The seed's classification, plus en-migrate's own tracker.
pub fn purpose(schema: &str, table: &str) -> &'static str {
    match (schema, table) {
        ("public", t) if BETTER_AUTH.contains(&t) => "BetterAuth",
        (SCHEMA, _) => "Expert Networks App",
        ("public", TRACKER) => "en-migrate tracker",
        _ => "Other App",
    }
}

/// The seed's expected line: `public: 4 BetterAuth tables + N other tables; expert_network: 11 Expert
/// Networks tables`, with the counts found.
pub fn summary(tables: &[VerifyTable]) -> String {
    let count = |p: &str| tables.iter().filter(|t| t.purpose == p).count();
    let (auth, other, ours) = (
        count("BetterAuth"),
        count("Other App"),
        count("Expert Networks App"),
    );
    format!(
        "public: {auth} BetterAuth table{} + {other} other table{}; {SCHEMA}: {ours} Expert Networks table{}",
        plural(auth),
        plural(other),
        plural(ours)
    )
}

/// "it" or "them", for a count of names.
fn them(n: usize) -> &'static str {
    if n == 1 {
        "it"
    } else {
        "them"
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A text cell of a row; NULL or absent reads as "".
fn cell(row: &[Option<String>], i: usize) -> String {
    row.get(i).cloned().flatten().unwrap_or_default()
}

fn pass(name: &'static str, detail: String) -> VerifyCheck {
    VerifyCheck {
        name,
        ok: true,
        detail,
    }
}

fn fail(name: &'static str, detail: String) -> VerifyCheck {
    VerifyCheck {
        name,
        ok: false,
        detail,
    }
}

#[cfg(test)]
mod tests;
