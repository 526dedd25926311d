//! The errors that stop an `up` run once it applies: each says what happened to the migration at
//! hand (rolled back, not recorded, or unknown until the tracker is read) and what this run applied
//! before it, which stays applied. It builds messages only; it never touches the database.

use crate::exit::{Fail, Kind};
use crate::files::migration::Migration;
use crate::report::{self, UpReport};
use anyhow::anyhow;

/// The error for a migration that failed: where (file, line, column), what the server said, what was
/// applied before.
pub fn failed(
    m: &Migration,
    error: &crate::db::ServerError,
    (line, column): (Option<usize>, Option<usize>),
    holders: Option<String>,
    lock_retries: u32,
    rep: &UpReport,
) -> anyhow::Error {
    let at = match (line, column) {
        (Some(l), Some(c)) => format!(" at line {l}, column {c}"),
        (Some(l), None) => format!(" at line {l}"),
        _ => String::new(),
    };
    // A no-transaction migration has no transaction to roll back: PostgreSQL undid its one failed
    // statement (a failed concurrent build, which it does not undo, is reported by notx).
    let undone = if m.no_transaction {
        "failed without a transaction; PostgreSQL undid the failed statement"
    } else {
        "failed and was rolled back"
    };
    let mut msg = format!(
        "{}{at} {undone} (SQLSTATE {}): {}",
        m.path, error.code, error.message
    );
    if let Some(d) = &error.detail {
        msg += &format!("\nDetail: {d}");
    }
    if let Some(c) = &error.context {
        msg += &format!("\nContext: {}", c.replace('\n', "\n  "));
    }
    let mut hint = error.hint.clone();
    if error.code == "3F000" && hint.is_none() && error.message.contains("expert_network") {
        hint = Some("schema expert_network does not exist yet: the first migration must create it (CREATE SCHEMA IF NOT EXISTS expert_network), or apply the built-in migrations first (`en-migrate up` without --dir)".into());
    }
    if let Some(h) = holders {
        msg += &format!(
            "\nThe migration could not get its locks within --ddl-lock-timeout after {lock_retries} retries. Sessions holding locks on expert_network:\n  {h}"
        );
        hint = Some("wait for them to finish, or inspect them with SELECT * FROM pg_stat_activity WHERE pid = <pid>".into());
    }
    msg += &applied_before(rep);
    let err = anyhow::Error::new(report::MigrationError {
        text: msg,
        at: report::Located {
            file: Some(m.path.clone()),
            line,
            column,
            sqlstate: Some(error.code.clone()),
            detail: error.detail.clone(),
            context: error.context.clone(),
        },
    });
    match hint {
        Some(h) => err.hint(h),
        None => err,
    }
}

pub fn applied_before(rep: &UpReport) -> String {
    if rep.applied.is_empty() {
        "\nNothing was applied in this run.".into()
    } else {
        format!(
            "\nApplied before the failure (these stay applied): {}",
            rep.applied
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// The error for a migration whose answer never came (see stall.rs).
pub fn stalled_error(s: crate::db::stall::Stalled, m: &Migration, rep: &UpReport) -> anyhow::Error {
    anyhow!(
        "gave up waiting for the server while applying {}: {}; {} was not recorded (COMMIT was never sent), and the server ends its open transaction, freeing its locks, within idle_in_transaction_session_timeout (30s).{}",
        m.file_name,
        s.0,
        m.file_name,
        applied_before(rep)
    )
    .hint("check the network path, proxy or pooler between en-migrate and the server, then run `en-migrate up` again")
}

/// What to do when only the tracker can say whether a migration was applied.
const STATUS_THEN_UP: &str = "run `en-migrate status` to see, then `en-migrate up` to continue";

/// The error for a COMMIT whose answer never came: applied or not, only the tracker can say.
pub fn stalled_commit(
    s: crate::db::stall::Stalled,
    m: &Migration,
    rep: &UpReport,
) -> anyhow::Error {
    anyhow!(
        "gave up waiting for the server while committing {}: {}; whether it was applied, only the tracker can say.{}",
        m.file_name,
        s.0,
        applied_before(rep)
    )
    .hint(STATUS_THEN_UP)
}

/// The error for a run stopped by SIGINT or SIGTERM: what was rolled back, what stays applied.
pub fn interrupted(m: Option<&Migration>, rep: &UpReport) -> anyhow::Error {
    let sig = crate::db::stop::name(crate::db::stop::requested().unwrap_or(2));
    let current = match m {
        Some(m) if m.no_transaction => format!(
            "{} was cancelled and is not recorded (it runs without a transaction; an index a cancelled CREATE INDEX CONCURRENTLY leaves INVALID is named on the next run)",
            m.file_name
        ),
        Some(m) => format!("{} was rolled back and is not applied", m.file_name),
        None => "no migration was running".into(),
    };
    let before = applied_before(rep).replace("the failure", "the stop");
    anyhow!("stopped by {sig}: {current}.{before}")
        .kind(Kind::Interrupted)
        .hint("run `en-migrate up` again to continue")
}

pub fn connection_lost(e: tokio_postgres::Error, m: &Migration, rep: &UpReport) -> anyhow::Error {
    anyhow!(
        "the connection was lost while applying {} ({e}); the server rolls back the open transaction, so {} is not applied.{}",
        m.file_name,
        m.file_name,
        applied_before(rep)
    )
    .hint("run `en-migrate up` again when the server is reachable; it continues where this run stopped")
}

/// The error for a COMMIT whose connection was lost: applied or not, only the tracker can say.
pub fn commit_lost(error: &tokio_postgres::Error, m: &Migration, rep: &UpReport) -> anyhow::Error {
    anyhow!(
        "the connection was lost while committing {} ({error}); whether it was applied, only the tracker can say.{}",
        m.file_name,
        applied_before(rep)
    )
    .hint(STATUS_THEN_UP)
}

/// The error for a migration rolled back twice because other sessions kept changing objects outside
/// expert_network while it ran (the guard's `EN005`, after the one retry).
pub fn concurrent_twice(m: &Migration, detail: &str, rep: &UpReport) -> anyhow::Error {
    anyhow!(
        "{} was rolled back twice because other sessions kept changing objects outside schema expert_network while it ran: {detail}{}",
        m.file_name,
        applied_before(rep)
    )
    .hint("nothing of the migration was applied; run `en-migrate up` again when the other application's DDL is done")
}

/// The error for a migration that moved public's sequences (the guard's `EN004`): rolled back, but
/// the values stay moved.
pub fn moved(m: &Migration, detail: &str, rep: &UpReport) -> anyhow::Error {
    anyhow!(
        "{} moved sequences of schema public; it was rolled back, but a rollback does not put sequence values back: {detail}{}",
        m.file_name,
        applied_before(rep)
    )
    .kind(Kind::Refused)
    .hint("run the setval statements above (if no other session used those sequences since), then keep every change inside expert_network")
}

/// The error for a migration the guard caught changing something outside expert_network (`EN001`).
pub fn breach(m: &Migration, detail: &str) -> anyhow::Error {
    anyhow!(
        "{} changed something outside schema expert_network and was rolled back: {detail}",
        m.file_name
    )
    .kind(Kind::Refused)
    .hint("the database's own check caught what the static fence did not; keep every change inside expert_network")
}
