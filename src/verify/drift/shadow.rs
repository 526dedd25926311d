//! The shadow: an empty database (`--shadow-url`, or with `--shadow` a scratch database that
//! en-migrate creates on the live server and drops afterwards) into which every applied migration is
//! replayed by en-migrate's own `up`, with the same files and placeholders, so that its record is what
//! the migrations make. It catches drift from before records existed and judges a database the
//! seed's earlier runner migrated.
//!
//! Writes only to the shadow, and refuses a shadow that is not empty: it must never migrate a
//! database somebody uses.

use super::{snapshot, Expectation};
use crate::cli::{ConnectOpts, VerifyArgs};
use crate::db;
use crate::db::tracker;
use crate::exit::{Fail, Kind};
use crate::files::migration::Migration;
use crate::plan::{self, Options, State};
use anyhow::{anyhow, bail, Context, Result};
use tokio_postgres::Client;

/// Replays the applied migrations into the shadow and takes its record; `live` is the session to
/// the database being verified (it creates and drops a scratch shadow).
pub async fn expectation(
    args: &VerifyArgs,
    migrations: &[Migration],
    live: &Client,
) -> Result<Expectation> {
    let shape = tracker::shape(live).await?;
    let rows = tracker::read(live, &shape, 0, tracker::Columns::Checksums).await?;
    let p = plan::plan(migrations, &rows, Options::default());
    let applied: Vec<u64> = p
        .entries
        .iter()
        .filter(|e| e.state == State::Applied)
        .filter_map(|e| e.version)
        .collect();
    let missing: Vec<&str> = p
        .entries
        .iter()
        .filter(|e| matches!(e.state, State::Missing | State::Changed))
        .map(|e| e.name.as_str())
        .collect();
    if !missing.is_empty() {
        bail!(anyhow!(
            "cannot replay what was applied: {} differ from the files or have none.",
            missing.join(", ")
        )
        .kind(Kind::Drift)
        .hint("restore the files this database was migrated from (see `en-migrate status`)"));
    }
    let Some(&target) = applied.iter().max() else {
        bail!(
            anyhow!("nothing is applied here, so there is nothing to replay.")
                .hint("run `en-migrate up` first")
        );
    };
    // A pending file numbered below the newest applied one (left out of order here) would be applied
    // by a replay up to `target`: the shadow would hold what this database lacks, shown as drift.
    let gaps: Vec<&str> = p
        .entries
        .iter()
        .filter(|e| e.state == State::Pending && e.version.is_some_and(|v| v < target))
        .map(|e| e.name.as_str())
        .collect();
    if !gaps.is_empty() {
        bail!(anyhow!(
            "cannot replay what was applied: {} pending below the newest applied file, and a replay up to it would apply {}.",
            gaps.join(", "),
            if gaps.len() == 1 { "it" } else { "them" }
        )
        .kind(Kind::Drift)
        .hint("apply it here first (`en-migrate up --allow-out-of-order`), or compare with the record (`verify --drift` without a shadow)"));
    }
    let post_deploy = replay_post_deploy(&p, migrations, target)?;
    // The replay stops at `target`; while it leaves files after it pending, `up` holds repeatable
    // files back, and the shadow would lack what the applied ones made here.
    let after: Vec<&str> = p
        .entries
        .iter()
        .filter(|e| e.version.is_some_and(|v| v > target))
        .filter(|e| e.state == State::Pending || (post_deploy && e.state == State::Held))
        .map(|e| e.name.as_str())
        .collect();
    if !after.is_empty()
        && p.entries
            .iter()
            .any(|e| e.repeatable && e.state == State::Applied)
    {
        bail!(anyhow!(
            "cannot replay what was applied: {} pending after the newest applied file, and a replay that stops before them holds the repeatable files back.",
            after.join(", ")
        )
        .kind(Kind::Drift)
        .hint("run `en-migrate up` here first, or compare with the record (`verify --drift` without a shadow)"));
    }
    let (url, scratch) = match &args.shadow_url {
        Some(u) => (u.clone(), None),
        None => {
            let name = format!("en_migrate_shadow_{}", std::process::id());
            let url = with_database(args.connect.database_url.as_deref(), &name)?;
            db::rows(live, &format!("CREATE DATABASE {name} TEMPLATE template0"))
                .await
                .with_context(|| format!("cannot create the scratch database {name} for --shadow."))
                .map_err(|e| {
                    e.hint("give the role CREATEDB, or pass --shadow-url with an empty database")
                })?;
            (url, Some(name))
        }
    };
    let out = replay_and_read(args, &url, target, post_deploy, applied.len()).await;
    if let Some(name) = scratch {
        if let Err(e) = db::rows(
            live,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )
        .await
        {
            tracing::warn!("could not drop the scratch database {name}: {e}; drop it by hand");
        }
    }
    let (snap, described) = out?;
    Ok(Expectation {
        from: format!(
            "a shadow database ({described}) replaying {} applied migration{}",
            applied.len(),
            if applied.len() == 1 { "" } else { "s" }
        ),
        source: "shadow",
        snapshot: snap,
        records: Vec::new(),
    })
}

/// Whether the replay applies post-deploy files (`up --post-deploy`): when this database has applied
/// some, a plain replay would hold them and report their changes as drift. A database that has
/// applied some and holds others at or below `target` cannot be replayed either way.
fn replay_post_deploy(p: &plan::Plan, migrations: &[Migration], target: u64) -> Result<bool> {
    let post = |state: State| -> Vec<&str> {
        p.entries
            .iter()
            .filter(|e| e.state == state && e.version.is_some_and(|v| v <= target))
            .filter(|e| e.file.is_some_and(|f| migrations[f].directives.post_deploy))
            .map(|e| e.name.as_str())
            .collect()
    };
    let (applied, held) = (post(State::Applied), post(State::Held));
    if !applied.is_empty() && !held.is_empty() {
        bail!(anyhow!(
            "cannot replay what was applied: post-deploy {} applied and {} held, and a replay applies all of them or none.",
            applied.join(", "),
            held.join(", ")
        )
        .kind(Kind::Drift)
        .hint("run `en-migrate up --post-deploy` here first, or compare with the record (`verify --drift` without a shadow)"));
    }
    Ok(!applied.is_empty())
}

async fn replay_and_read(
    args: &VerifyArgs,
    url: &str,
    target: u64,
    post_deploy: bool,
    n: usize,
) -> Result<(super::Snapshot, String)> {
    let opts = ConnectOpts {
        database_url: Some(url.to_string()),
        connect_timeout: args.connect.connect_timeout,
    };
    let session = crate::db::session::open(&opts)
        .await
        .context("cannot connect to the shadow database")?;
    let client = session.client();
    let used = db::value(
        client,
        &format!(
            "SELECT (SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname = 'expert_network') + \
             (SELECT count(*) FROM pg_catalog.pg_class WHERE oid = pg_catalog.to_regclass('{}'))",
            tracker::TABLE
        ),
    )
    .await?;
    if used.as_deref() != Some("0") {
        bail!(anyhow!("the shadow database already has schema expert_network or a tracker; en-migrate replays the migrations into it, so it must be empty.")
            .hint("give --shadow-url an empty database (CREATE DATABASE ... TEMPLATE template0), or use --shadow"));
    }
    let exe =
        std::env::current_exe().context("cannot find en-migrate's own binary to replay with")?;
    let mut cmd = std::process::Command::new(exe);
    cmd.args([
        "up",
        "--no-dotenv",
        "--quiet",
        "--format",
        "json",
        "--target",
    ])
    .arg(target.to_string())
    .args([
        "--connect-timeout",
        &args.connect.connect_timeout.to_string(),
    ])
    .env("DATABASE_URL", url);
    if post_deploy {
        cmd.arg("--post-deploy");
    }
    if let Some(d) = &args.source.dir {
        cmd.arg("--dir").arg(d);
    }
    for s in &args.source.set {
        cmd.arg("--set").arg(s);
    }
    // Blocking is fine here: the live session only waits, in a transaction it has not begun yet.
    let out = cmd
        .output()
        .context("cannot run en-migrate up for the shadow")?;
    if !out.status.success() {
        bail!(
            "replaying the {n} applied migrations into the shadow database failed:\n{}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    db::rows(client, "START TRANSACTION READ ONLY").await?;
    let snap = snapshot(client).await;
    let _ = db::rows(client, "ROLLBACK").await;
    let name = db::value(client, "SELECT pg_catalog.current_database()")
        .await?
        .unwrap_or_default();
    Ok((snap?, name))
}

/// The live connection's URL with another database: `postgres://.../db?x` or `key=value ... dbname=`.
fn with_database(url: Option<&str>, db: &str) -> Result<String> {
    let Some(url) = url else {
        bail!("--shadow needs the database as --database-url or DATABASE_URL, to reach the scratch database the same way; or give --shadow-url");
    };
    if let Some(rest) = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))
    {
        let scheme = &url[..url.len() - rest.len()];
        let (head, query) = match rest.split_once('?') {
            Some((h, q)) => (h, format!("?{q}")),
            None => (rest, String::new()),
        };
        let authority = head.split_once('/').map_or(head, |(a, _)| a);
        return Ok(format!("{scheme}{authority}/{db}{query}"));
    }
    Ok(format!("{url} dbname={db}"))
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_scratch_database_is_reached_like_the_live_one() {
        assert_eq!(
            with_database(Some("postgres://u:p@h:5/app?sslmode=require"), "s").unwrap(),
            "postgres://u:p@h:5/s?sslmode=require"
        );
        assert_eq!(
            with_database(Some("postgresql://h"), "s").unwrap(),
            "postgresql://h/s"
        );
        assert_eq!(
            with_database(Some("host=h dbname=app"), "s").unwrap(),
            "host=h dbname=app dbname=s"
        );
        assert!(with_database(None, "s").is_err());
    }
}
