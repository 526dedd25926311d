//! What `up` sends in the one round trip before its first migration, while the pending files are
//! being fenced (`up.rs`): the last checks (the roles the migrations grant to, `--migration-role`,
//! who owns expert_network's objects, what pg_catalog holds), the guard's session functions, and the
//! first pending migration's opening with public's state taken, or, on a database without a tracker,
//! the tracker's creation in a transaction left open. Nothing of it commits: when the fence or a
//! check refuses, `up` rolls it back and a refused run leaves nothing behind; once they pass,
//! `settle_opened` commits the tracker with the first opening pipelined right behind it.
//!
//! Why not the tracker's creation inside the first migration's transaction: public's state is taken
//! at a migration's start, when the transaction has written nothing; a state taken after the creation
//! counts the tracker's catalog rows as the transaction's own, and a change another session makes to
//! public while the migration runs would then be blamed on the migration.

use super::settings;
use crate::cli::UpArgs;
use crate::db::apply::{self, Commit, Settings, Taken};
use crate::db::session::{self, Session};
use crate::db::tracker::{self, Shape};
use crate::fence::Checked;
use crate::files::migration::Placeholders;
use crate::plan::Plan;
use anyhow::{anyhow, bail, Result};

/// Everything `up` checks on the server before the first migration, sent together (polled in this
/// order, so they leave in it): the roles the migrations grant to, `--migration-role`, who owns
/// expert_network's objects, what pg_catalog holds, the guard's session functions, and the first
/// pending migration's opening with public's state taken (or, with no tracker yet, the tracker's
/// creation, left uncommitted), when that migration is transactional and the tracker needs no adoption. Returns the checks' verdict (the first refusal, in
/// that order), the settings of the run, and the opening if it opened (the caller rolls it back on a
/// refusal; one that did not open is left to the loop, which meets the same cause and handles it).
pub async fn ahead(
    session: &Session,
    args: &UpArgs,
    migrations: &[Checked],
    p: &Plan,
    shape: &Shape,
    rows: &[tracker::Applied],
) -> (Result<()>, Settings, Opened) {
    let client = session.client();
    let pending = !p.to_apply.is_empty();
    let roles = crate::db::preflight::roles(client, &args.source, migrations, &p.to_apply);
    let migration_role = async {
        let (Some(role), true) = (&args.migration_role, pending) else {
            return Ok(());
        };
        let placeholders = Placeholders::with_sets(&args.source.set)?;
        let roles: Vec<&str> = ["app_role", "readonly_role"]
            .iter()
            .filter_map(|k| placeholders.get(k))
            .collect();
        session::check_migration_role(client, role, &roles).await
    };
    let trusted: Vec<&str> = std::iter::once(session.user.as_str())
        .chain(args.migration_role.as_deref())
        .collect();
    let owners = async {
        if !pending {
            return Ok(());
        }
        let (owners, catalog) = futures_util::future::join(
            crate::db::preflight::owners(client, &trusted),
            crate::db::preflight::catalog_intruders(client),
        )
        .await;
        owners.and(catalog)
    };
    // The guard's functions are created before the opening calls them; if that fails, so does the
    // opening (`GuardGone`), and the loop sends the guard inline.
    let mut settings = settings(session, args, p.to_apply.len());
    // Their oids come back in the same message, for the state row (`guard::state_row`).
    let create = crate::db::guard::session_functions(tracker::LOCK_KEY);
    let functions = async {
        if !settings.session_functions {
            return None;
        }
        let rows = crate::db::rows(client, &create)
            .await
            .map_err(|e| tracing::debug!("the guard travels inline: {e}"))
            .ok()?;
        let oids = rows.first()?.first()?.clone()?;
        let well_formed = oids.split(',').count() == 2
            && oids
                .split(',')
                .all(|o| !o.is_empty() && o.bytes().all(|b| b.is_ascii_digit()));
        well_formed.then_some(oids)
    };
    let first = p.to_apply.first().map(|&fi| &migrations[fi]);
    let bytes: usize = p.to_apply.iter().map(|&fi| migrations[fi].text.len()).sum();
    let opens = first.is_some_and(|m| !m.no_transaction)
        && p.backfill.is_empty()
        && bytes <= FENCE_AHEAD_BYTES
        && p.to_apply.len() <= FENCE_AHEAD_FILES;
    let first_settings = first.map(|m| settings.for_file(m));
    let tracker_settings = settings.clone();
    let last_id = rows.iter().map(|r| r.id).max().unwrap_or(0);
    let open = async {
        let (true, Some(s)) = (opens, &first_settings) else {
            return Opened::Nothing;
        };
        // Anything that keeps it from opening is left to the loop, which meets the same cause and
        // handles it (waits for another runner's lock, re-reads a tracker that moved, ...).
        let why = match shape {
            Shape::Ours => match apply::take(client, s, last_id).await {
                Ok(Taken::Base(base)) => return Opened::Taken(base),
                Ok(Taken::Not(a)) => format!("{a:?}"),
                Err(e) => e.to_string(),
            },
            Shape::Absent => {
                let creation = apply::open_tracker(client, &tracker_settings);
                tokio::pin!(creation);
                // Polled once, the creation is on its way (done already only when the connection
                // is gone); the warm-up leaves right behind it.
                let out = match futures_util::FutureExt::now_or_never(creation.as_mut()) {
                    Some(out) => out,
                    None => {
                        warm_up(client, s);
                        creation.await
                    }
                };
                match out {
                    Ok(None) => return Opened::Tracker,
                    Ok(Some(a)) => format!("{a:?}"),
                    Err(e) => e.to_string(),
                }
            }
            _ => return Opened::Nothing,
        };
        tracing::debug!("the first migration's transaction did not open beside the checks: {why}");
        Opened::Nothing
    };
    let (roles, migration_role, owners, functions, opened) =
        futures_util::future::join5(roles, migration_role, owners, functions, open).await;
    settings.session_functions = functions.is_some();
    settings.function_oids = functions;
    (roles.and(migration_role).and(owners), settings, opened)
}

/// How long the opening may wait for the fence before `up` gives it up (rolls it back and lets the
/// loop open it again): well inside the idle_in_transaction_session_timeout its transaction pins
/// (30 s), after which the server would end the session.
pub const LONGEST_IDLE: std::time::Duration = std::time::Duration::from_secs(10);

/// Pending files beyond which nothing is opened ahead of the fence, whose time could then approach
/// `LONGEST_IDLE` on a slow or throttled machine (`check` here: about 360 MB/s on one large file, 14
/// MB/s on 1000 small ones).
const FENCE_AHEAD_BYTES: usize = 64 << 20;
const FENCE_AHEAD_FILES: usize = 2000;

/// What `ahead` opened behind the checks, to be committed or rolled back by their verdict.
pub enum Opened {
    Nothing,
    /// The first pending migration's transaction, with public's state taken.
    Taken(String),
    /// The tracker's creation, holding the lock, not committed yet (there was no tracker).
    Tracker,
}

/// Once the checks have passed: commits the tracker `ahead` created, with the first migration's
/// opening pipelined right behind the COMMIT. Returns the tracker's shape now, and public's state if
/// the first migration's transaction is open with it.
pub async fn settle_opened(
    client: &tokio_postgres::Client,
    opened: Opened,
    shape: Shape,
    first: &Settings,
    last_id: i64,
) -> Result<(Shape, Option<String>)> {
    match opened {
        Opened::Nothing => Ok((shape, None)),
        Opened::Taken(base) => Ok((shape, Some(base))),
        Opened::Tracker => {
            let take = apply::take(client, first, last_id);
            tokio::pin!(take);
            let (commit, out) =
                apply::commit_then(apply::commit_unaborted(client), take.as_mut()).await;
            match commit {
                Commit::Done => {}
                // Aborted under the warm-up (which catches what it can): nothing was created, and
                // the opening behind it failed too. The loop creates the tracker as it would have.
                Commit::Failed { error } if error.code == "25P02" => {
                    if out.is_none() {
                        let _ = take.await;
                    }
                    let _ = client.simple_query("ROLLBACK").await;
                    tracing::debug!("the tracker's creation was aborted beside the checks: {}", error.message);
                    return Ok((Shape::Absent, None));
                }
                Commit::Failed { error } => bail!(
                    "cannot create {}: {} (SQLSTATE {})",
                    tracker::TABLE,
                    error.message,
                    error.code
                ),
                Commit::Lost { error } => {
                    return Err(anyhow!(error).context(format!(
                        "the connection was lost while the creation of {} was being committed; no migration had been sent",
                        tracker::TABLE
                    )))
                }
            }
            let out = match out {
                Some(out) => out,
                None => take.await,
            };
            // A Take that did not open is the loop's to meet again (see `ahead`).
            let base = match out {
                Ok(Taken::Base(base)) => Some(base),
                _ => None,
            };
            Ok((Shape::Ours, base))
        }
    }
}

/// Sends the warm-up (`apply::warm_up_sql`) behind the tracker's open creation without waiting for
/// its answer: the server runs it while the creation's answer travels back and the client decides,
/// so the first migration's opening, sent after the COMMIT, finds the catalogs it reads cached and
/// its plans made (the first call of the guard's start on a new session spent about 22 ms filling
/// the catalog caches and 10 ms planning, against 4 ms once warm: PostgreSQL 15, seed-like public).
/// Its answer is dropped unread (tokio-postgres reads and discards what a dropped request's answer
/// holds); it cannot abort the transaction, whose COMMIT follows it.
fn warm_up(client: &tokio_postgres::Client, s: &Settings) {
    use futures_util::FutureExt;
    let sql = apply::warm_up_sql(s);
    // One poll sends the request; tokio-postgres queues it before the first await.
    let mut request = Box::pin(client.simple_query(&sql));
    let _ = request.as_mut().now_or_never();
}
