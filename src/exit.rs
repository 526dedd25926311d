//! The one place where outcomes become exit codes.
//!
//! Every command returns `anyhow::Result<Outcome>`; errors that deserve a code other than 1 carry a
//! [`Failure`] somewhere in their chain. `main` calls [`code_for`] and nothing else decides a code.

use std::fmt;

/// What a command that ran to its end reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything asked for was done or was already true.
    Ok,
    /// The schema fence refused something (exit 3).
    Refused,
    /// Drift or a failed verification (exit 4).
    Drift,
}

/// Error kinds with an exit code of their own. Carried inside `anyhow::Error` so that context can be
/// added on the way up without losing the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Bad flags or arguments (exit 2).
    Usage,
    /// The fence refused a statement, statically or at run time (exit 3).
    Refused,
    /// The database and the migration files disagree (exit 4).
    Drift,
    /// Another runner held the migration lock for longer than `--lock-wait` (exit 5).
    LockTimeout,
    /// SIGINT or SIGTERM stopped the run (exit 128 + the signal: 130 or 143, as shells report it).
    Interrupted,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Failure::Usage => "invalid usage",
            Failure::Refused => "refused by the schema fence",
            Failure::Drift => "the database does not match the migrations",
            Failure::LockTimeout => "timed out waiting for the migration lock",
            Failure::Interrupted => "stopped by a signal",
        })
    }
}

impl std::error::Error for Failure {}

pub const OK: i32 = 0;
pub const ERROR: i32 = 1;
pub const USAGE: i32 = 2;
pub const REFUSED: i32 = 3;
pub const DRIFT: i32 = 4;
pub const LOCK_TIMEOUT: i32 = 5;

/// The exit-code kind an error carries, as context or as a cause.
pub fn kind(err: &anyhow::Error) -> Option<Failure> {
    err.downcast_ref::<Failure>().copied().or_else(|| {
        err.chain()
            .find_map(|e| e.downcast_ref::<Failure>())
            .copied()
    })
}

/// Maps a finished command to its exit code. The README's exit-code table mirrors this function.
/// `signal` is the one that stopped the run, if one did (`db::stop::requested`).
pub fn code_for(result: &anyhow::Result<Outcome>, signal: Option<i32>) -> i32 {
    match result {
        Ok(Outcome::Ok) => OK,
        Ok(Outcome::Refused) => REFUSED,
        Ok(Outcome::Drift) => DRIFT,
        Err(err) => match kind(err) {
            Some(Failure::Usage) => USAGE,
            Some(Failure::Refused) => REFUSED,
            Some(Failure::Drift) => DRIFT,
            Some(Failure::LockTimeout) => LOCK_TIMEOUT,
            Some(Failure::Interrupted) => 128 + signal.unwrap_or(2),
            None => ERROR,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::{anyhow, Context};

    #[test]
    fn codes_survive_added_context() {
        let err: anyhow::Result<Outcome> =
            Err(anyhow::Error::new(Failure::LockTimeout)).context("waiting for pid 42");
        assert_eq!(code_for(&err, None), LOCK_TIMEOUT);
        assert_eq!(code_for(&Err(anyhow!("io")), None), ERROR);
        assert_eq!(code_for(&Ok(Outcome::Drift), None), DRIFT);
        assert_eq!(code_for(&Ok(Outcome::Refused), None), REFUSED);
        assert_eq!(code_for(&Err(Failure::Usage.into()), None), USAGE);
        assert_eq!(code_for(&Err(Failure::Interrupted.into()), Some(15)), 143);
    }
}
