//! The one place where outcomes become exit codes, and errors become the text a person reads.
//!
//! Every command returns `anyhow::Result<Outcome>`. An error that deserves a code other than 1, or
//! that knows what the operator should do next, carries a [`Failure`] in its chain: its [`Kind`] and its
//! hint are fields, never words in the message. `main` calls [`code_for`] and [`write_error`]; nothing
//! else decides a code or prints an error.

use std::fmt;
use std::io::Write;

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

/// Error kinds with an exit code of their own (any other error exits 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
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

impl Kind {
    /// The JSON error document's `kind`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Usage => "usage",
            Kind::Refused => "refused",
            Kind::Drift => "drift",
            Kind::LockTimeout => "lock_timeout",
            Kind::Interrupted => "interrupted",
        }
    }
}

/// An error with what the exit code and the operator need, as fields: its kind (None: exit 1) and
/// what to do about it. It is transparent: it prints as the error it wraps, so a message is never
/// said twice and nothing has to be filtered out of the printout.
#[derive(Debug)]
pub struct Failure {
    kind: Option<Kind>,
    hint: Option<String>,
    source: anyhow::Error,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The wrapped error's own message; its causes follow through `source`.
        fmt::Display::fmt(&*self.source, f)
    }
}

impl std::error::Error for Failure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.source()
    }
}

/// Gives an error its kind or its hint: `anyhow!("...").kind(Kind::Drift).hint("run ...")`.
pub trait Fail {
    fn kind(self, kind: Kind) -> anyhow::Error;
    fn hint(self, hint: impl Into<String>) -> anyhow::Error;
}

impl Fail for anyhow::Error {
    fn kind(self, kind: Kind) -> anyhow::Error {
        let mut f = failure(self);
        f.kind = Some(kind);
        f.into()
    }

    fn hint(self, hint: impl Into<String>) -> anyhow::Error {
        let mut f = failure(self);
        f.hint = Some(hint.into());
        f.into()
    }
}

/// `err` as a Failure to fill in: itself when it is one at the top (no context above it, so none is
/// lost), else wrapped in a new one.
fn failure(mut err: anyhow::Error) -> Failure {
    // `downcast` alone would also find a Failure under context, and drop that context.
    let top: &(dyn std::error::Error + Send + Sync) = &*err;
    if top.is::<Failure>() {
        match err.downcast::<Failure>() {
            Ok(f) => return f,
            Err(e) => err = e,
        }
    }
    Failure {
        kind: None,
        hint: None,
        source: err,
    }
}

/// The Failures in `err`'s chain, outermost first.
fn failures(err: &anyhow::Error) -> impl Iterator<Item = &Failure> {
    err.chain().filter_map(|e| e.downcast_ref::<Failure>())
}

/// `err`'s chain as `anyhow::Error::chain` gives it, but with each Failure seen through to the error
/// it wraps, which is where a downcast must look (`chain` skips that error: a Failure stands in its
/// place, printing as it).
pub fn causes(err: &anyhow::Error) -> impl Iterator<Item = &(dyn std::error::Error + 'static)> {
    err.chain().map(|e| match e.downcast_ref::<Failure>() {
        Some(f) => {
            let wrapped: &(dyn std::error::Error + Send + Sync + 'static) = &*f.source;
            wrapped
        }
        None => e,
    })
}

/// The kind `err` carries; the outermost wins, so a signal's `Interrupted` overrides what it cut short.
pub fn kind(err: &anyhow::Error) -> Option<Kind> {
    failures(err).find_map(|f| f.kind)
}

/// What to do about `err`, if a Failure in its chain says; the outermost wins.
pub fn hint(err: &anyhow::Error) -> Option<&str> {
    failures(err).find_map(|f| f.hint.as_deref())
}

pub const OK: i32 = 0;
pub const ERROR: i32 = 1;
pub const USAGE: i32 = 2;
pub const REFUSED: i32 = 3;
pub const DRIFT: i32 = 4;
pub const LOCK_TIMEOUT: i32 = 5;

/// Maps a finished command to its exit code. The README's exit-code table mirrors this function.
/// `signal` is the one that stopped the run, if one did (`db::stop::requested`).
pub fn code_for(result: &anyhow::Result<Outcome>, signal: Option<i32>) -> i32 {
    match result {
        Ok(Outcome::Ok) => OK,
        Ok(Outcome::Refused) => REFUSED,
        Ok(Outcome::Drift) => DRIFT,
        Err(err) => match kind(err) {
            Some(Kind::Usage) => USAGE,
            Some(Kind::Refused) => REFUSED,
            Some(Kind::Drift) => DRIFT,
            Some(Kind::LockTimeout) => LOCK_TIMEOUT,
            Some(Kind::Interrupted) => 128 + signal.unwrap_or(2),
            None => ERROR,
        },
    }
}

/// The error and its causes, one per line, as the JSON document's `message` holds them. The driver's
/// own link for a server error says only "db error" and is left out: the server's message, which is
/// its cause, says what happened.
pub fn message(err: &anyhow::Error) -> String {
    err.chain()
        .filter(|e| {
            e.downcast_ref::<tokio_postgres::Error>()
                .is_none_or(|pg| pg.as_db_error().is_none())
        })
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\nCaused by: ")
}

/// `Error: ...`, then a `Caused by: ...` line per cause, then `Hint: ...` when the error has one.
pub fn write_error(w: &mut impl Write, err: &anyhow::Error) -> std::io::Result<()> {
    writeln!(w, "Error: {}", message(err))?;
    if let Some(h) = hint(err) {
        writeln!(w, "Hint: {h}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::{anyhow, Context};

    fn printed(err: &anyhow::Error) -> String {
        let mut out = Vec::new();
        write_error(&mut out, err).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_kind_has_its_code() {
        let code = |k: Kind| code_for(&Err(anyhow!("x").kind(k)), Some(15));
        assert_eq!(code(Kind::Usage), USAGE);
        assert_eq!(code(Kind::Refused), REFUSED);
        assert_eq!(code(Kind::Drift), DRIFT);
        assert_eq!(code(Kind::LockTimeout), LOCK_TIMEOUT);
        assert_eq!(code(Kind::Interrupted), 143);
        assert_eq!(
            code_for(&Err(anyhow!("x").kind(Kind::Interrupted)), None),
            130
        );
        assert_eq!(code_for(&Err(anyhow!("io")), None), ERROR);
        assert_eq!(code_for(&Err(anyhow!("io").hint("retry")), None), ERROR);
        assert_eq!(code_for(&Ok(Outcome::Ok), None), OK);
        assert_eq!(code_for(&Ok(Outcome::Drift), None), DRIFT);
        assert_eq!(code_for(&Ok(Outcome::Refused), None), REFUSED);
    }

    #[test]
    fn codes_survive_added_context_and_the_outermost_kind_wins() {
        let err: anyhow::Result<Outcome> =
            Err(anyhow!("held by pid 42").kind(Kind::LockTimeout)).context("waiting for the lock");
        assert_eq!(code_for(&err, None), LOCK_TIMEOUT);
        let stopped = anyhow!("drifted")
            .kind(Kind::Drift)
            .context("while planning")
            .kind(Kind::Interrupted);
        assert_eq!(kind(&stopped), Some(Kind::Interrupted));
        // A hint added above a kind keeps the kind.
        let hinted = anyhow!("refused").kind(Kind::Refused).hint("fix it");
        assert_eq!(kind(&hinted), Some(Kind::Refused));
        assert_eq!(hint(&hinted), Some("fix it"));
    }

    #[test]
    fn the_printout_is_error_causes_then_the_hint() {
        let err = Err::<(), _>(anyhow!("connection refused"))
            .context("cannot connect to localhost:5432")
            .map_err(|e| e.hint("is the server running?"))
            .context("cannot read the tracker")
            .unwrap_err();
        assert_eq!(
            printed(&err),
            "Error: cannot read the tracker\n\
             Caused by: cannot connect to localhost:5432\n\
             Caused by: connection refused\n\
             Hint: is the server running?\n"
        );
        // The kind is a field: nothing of it is printed.
        let err = anyhow!("3 statements refused\nNothing was applied in this run.")
            .kind(Kind::Refused)
            .hint("keep every object in expert_network");
        assert_eq!(
            printed(&err),
            "Error: 3 statements refused\nNothing was applied in this run.\n\
             Hint: keep every object in expert_network\n"
        );
        assert_eq!(printed(&anyhow!("plain")), "Error: plain\n");
    }

    #[test]
    fn a_wrapped_error_is_still_found_by_its_type() {
        let io = anyhow::Error::new(std::io::Error::other("reset")).hint("retry");
        assert!(causes(&io).any(|e| e.is::<std::io::Error>()));
        assert_eq!(causes(&io).count(), io.chain().count());
    }

    #[test]
    fn a_failure_wrapping_a_chain_prints_each_cause_once() {
        let inner = Err::<(), _>(std::io::Error::other("denied"))
            .context("cannot read .env")
            .unwrap_err();
        let err = inner.kind(Kind::Usage);
        assert_eq!(
            printed(&err),
            "Error: cannot read .env\nCaused by: denied\n"
        );
        assert_eq!(message(&err), "cannot read .env\nCaused by: denied");
    }
}
