//! One file per subcommand, each holding that command's decisions (`up`, its `dryrun`, `status`,
//! `check` and `lint`, `verify`, `baseline`, `repair`); this one holds what several need: the loader
//! every command reads the files with, and for `baseline` and `repair`, which write the tracker without
//! running any migration SQL, opening a session that may write and running their tracker writes in
//! one transaction under the migration lock.
//!
//! Never sends migration SQL itself: only en-migrate's own statements on `public.schema_migrations`.

pub mod baseline;
pub mod check;
pub mod dryrun;
pub mod repair;
pub mod status;
pub mod up;
pub mod verify;

use crate::cli::SourceOpts;
use crate::db;
use crate::db::apply::{self, Settings};
use crate::db::guard::{self, Baseline};
use crate::db::session::Session;
use crate::db::tracker::{self, Shape};
use crate::exit::{Fail, Kind};
use crate::files::migration::Migration;
use anyhow::{anyhow, Result};
use std::time::{Duration, Instant};

/// The migrations every command reads (`files::load`), with each `-- en-migrate: allow RULE` checked
/// against the rules the fence and the lint know.
pub fn load(source: &SourceOpts) -> Result<Vec<Migration>> {
    let migrations = crate::files::load(source.dir.as_deref(), &source.set)?;
    crate::lint::check_allows(&migrations)?;
    Ok(migrations)
}

/// The tracker as read, refusing somebody else's.
pub async fn read_tracker(session: &Session) -> Result<(Shape, Vec<tracker::Applied>)> {
    let shape = tracker::shape(session.client()).await?;
    if let Shape::Foreign(cols) = &shape {
        return Err(anyhow!(
            "{} is not en-migrate's tracker (columns: {}); another tool owns it, and nothing was changed",
            tracker::TABLE,
            cols.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>().join(", ")
        )
        .kind(Kind::Drift));
    }
    let rows = tracker::read(session.client(), &shape, 0, tracker::Columns::Checksums).await?;
    Ok((shape, rows))
}

/// Refuses a server that will not take writes, before any write.
pub fn writable(session: &Session, command: &str) -> Result<()> {
    match &session.read_only {
        Some(why) => Err(anyhow!(
            "{why}; `{command}` writes the tracker, so it was refused before any write."
        )
        .hint("run it against the primary")),
        None => Ok(()),
    }
}

/// Runs `body` (en-migrate's own tracker statements) in one transaction that holds the migration lock
/// (polled, as `up` polls it, for at most `lock_wait`) and checks that nobody wrote the tracker since
/// it was read (`last_id`: its newest id; `None` when there was no tracker to read). `check` sees the
/// rows `body` returned and decides whether to COMMIT: an `Err` rolls everything back.
pub async fn in_lock(
    session: &Session,
    last_id: Option<i64>,
    body: &str,
    lock_wait: Duration,
    check: impl Fn(&[Vec<Option<String>>]) -> Result<()>,
) -> Result<()> {
    let client = session.client();
    let settings = Settings {
        ddl_lock_timeout: Duration::from_secs(5),
        statement_timeout: None,
        check_interval: session.version_num >= 140000,
        session_functions: false,
        function_oids: None,
        record_schema: false,
        session_user: session.user.clone(),
        migration_role: None,
        isolation: None,
    };
    let mut sql = apply::open_sql(&settings, last_id, &Baseline::None);
    sql += body;
    let started = Instant::now();
    let mut delay = Duration::from_millis(20);
    loop {
        match db::rows(client, &sql).await {
            Ok(rows) => {
                if let Err(e) = check(&rows) {
                    let _ = client.simple_query("ROLLBACK").await;
                    return Err(e);
                }
                db::rows(client, "COMMIT").await?;
                return Ok(());
            }
            Err(e) => {
                let _ = client.simple_query("ROLLBACK").await;
                match db::server_error(&e).map(|s| s.code) {
                    Some(c) if c == guard::LOCK_BUSY && started.elapsed() < lock_wait => {
                        tokio::time::sleep(delay).await;
                        delay = (delay * 3 / 2).min(Duration::from_millis(500));
                    }
                    Some(c) if c == guard::LOCK_BUSY => {
                        let holder = apply::advisory_holder(client)
                            .await
                            .unwrap_or_else(|| "a session that has just finished".into());
                        return Err(anyhow!(
                            "another en-migrate run held the migration lock for longer than --lock-wait ({}s): {holder}",
                            lock_wait.as_secs()
                        )
                        .kind(Kind::LockTimeout));
                    }
                    Some(c) if c == guard::STALE => {
                        return Err(anyhow!(
                            "another runner wrote the tracker while this command ran; nothing was changed."
                        )
                        .hint("run the command again to see the tracker as it is now"))
                    }
                    _ => return Err(e.into()),
                }
            }
        }
    }
}

/// `session_user` with the time, for the tracker's applied_by: who wrote a row that no migration run
/// wrote, and when.
pub fn who_sql(what: &str) -> String {
    format!(
        "pg_catalog.format('{what} by %s at %s (en-migrate {})', session_user, pg_catalog.to_char(pg_catalog.now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC')",
        env!("CARGO_PKG_VERSION")
    )
}

/// A line on stdout; a closed pipe (`| head`) is not an error worth a panic.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}
