//! Applying one migration: the transaction that carries the lock, the pinned session, the guard, the
//! migration and its tracker row in a single round trip, then COMMIT in a second; and the no-transaction
//! path.
//!
//! Why one transaction per migration with its tracker row: a migration is applied if and only if it is
//! recorded, whatever happens to the process or the connection. Why a transaction-level advisory lock
//! taken with `pg_try_*` and polled: the lock then dies with the transaction (nothing is left behind
//! through a transaction pooler), a role's `lock_timeout` cannot cut the wait short, and a waiting
//! runner holds no snapshot between polls, so it never stalls a `CREATE INDEX CONCURRENTLY`.
//!
//! This file sends and reads the answers; the SQL it sends is built in `apply/sql.rs`.

use crate::db::guard;
use crate::db::tracker::LOCK_KEY;
use crate::db::{self, ServerError};
use crate::files::lexer::line_of;
use crate::files::migration::Migration;
use std::time::Duration;
use tokio_postgres::Client;

mod sql;
pub use sql::{
    close_sql, ensure_tracker_sql, lexed_as_fenced_sql, message, open_sql, role_sql,
    tracker_open_sql, warm_up_sql, CHUNK, SESSION_PINS,
};
use sql::{cuts, prepare};

/// Per-transaction settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub ddl_lock_timeout: Duration,
    pub statement_timeout: Option<Duration>,
    /// The server has `client_connection_check_interval` (PostgreSQL 14+).
    pub check_interval: bool,
    /// `pg_temp.en_migrate_begin/end` exist on this session (a direct connection): see guard.rs.
    pub session_functions: bool,
    /// Their oids, `begin,end`, as they were made (`guard::session_function_oids`): the state row
    /// looks them up by these (`guard::state_row`).
    pub function_oids: Option<String>,
    /// Record the schema in this migration's tracker row (the last migration of a run: verify/drift).
    pub record_schema: bool,
    /// Who the session logged in as: a migration must leave it so.
    pub session_user: String,
    /// `--migration-role`: every migration's transaction runs as this role (`SET LOCAL ROLE`).
    pub migration_role: Option<String>,
    /// The isolation level the file asks for first (`lexer::leading_isolation`): its transaction
    /// opens at it, and the file's own SET is blanked (`sql::prepare`).
    pub isolation: Option<&'static str>,
}

impl Settings {
    /// These settings with a file's own `lock-timeout` and `statement-timeout` directives in place
    /// of the run's flags.
    pub fn for_file(&self, m: &Migration) -> Settings {
        Settings {
            ddl_lock_timeout: m.directives.lock_timeout.unwrap_or(self.ddl_lock_timeout),
            statement_timeout: m.directives.statement_timeout.or(self.statement_timeout),
            isolation: (!m.no_transaction)
                .then(|| crate::files::lexer::leading_isolation(&m.text).map(|(_, level)| level))
                .flatten(),
            ..self.clone()
        }
    }
}

/// What one attempt at a migration came to.
#[derive(Debug)]
pub enum Attempt {
    /// Applied and committed, with its tracker row's id.
    Applied {
        id: i64,
    },
    /// Ran to its tracker row (`id`) with nothing wrong; its transaction is open and waits for
    /// `commit` (or `commit_ahead`).
    Ready {
        id: i64,
    },
    LockBusy,
    Stale,
    /// Failed; rolled back. `line` and `column` are the failing statement's place in the file: where
    /// the server's error position points, else the statement after the ones that completed.
    Failed {
        error: ServerError,
        line: Option<usize>,
        column: Option<usize>,
    },
    /// The guard found a change outside the schema; rolled back.
    Breach {
        detail: String,
    },
    /// The guard found public's sequences moved: rolled back, but the values stay moved.
    Moved {
        detail: String,
    },
    /// public changed while the migration ran, through another session only; rolled back.
    Concurrent {
        detail: String,
    },
    /// The guard's session functions are not on the server session this transaction reached (a
    /// pooler or proxy gave it another one). Nothing ran: the opening's call to them failed before
    /// the migration's first statement. The caller sends the guard inline from then on.
    GuardGone,
}

/// What the COMMIT of a `Ready` migration came to.
#[derive(Debug)]
pub enum Commit {
    Done,
    /// The server refused it (a deferred constraint) and rolled back.
    Failed {
        error: ServerError,
    },
    /// The connection was lost while COMMIT was on its way: applied or not, only the tracker can say.
    Lost {
        error: tokio_postgres::Error,
    },
}

/// Runs `sql` (a whole transaction) and rolls back on error so the session is clean for the next try.
/// A failure carries how many statements of `sql` completed first.
async fn run_tx(
    client: &Client,
    sql: &str,
) -> Result<Vec<Vec<Option<String>>>, (tokio_postgres::Error, usize)> {
    match db::rows_counted(client, sql).await {
        Ok(rows) => Ok(rows),
        Err(e) => {
            if !client.is_closed() {
                let _ = client.simple_query("ROLLBACK").await;
            }
            Err(e)
        }
    }
}

/// Creates or completes the tracker and records adopted rows' checksums, under the lock.
pub async fn ensure_tracker(
    client: &Client,
    s: &Settings,
    backfill: &[(i64, String)],
) -> Result<Attempt, tokio_postgres::Error> {
    match run_tx(client, &ensure_tracker_sql(s, backfill)).await {
        Ok(_) => Ok(Attempt::Applied { id: 0 }),
        Err((e, _)) => classify(e, None),
    }
}

/// What opening a run's first migration and taking public's state came to (`take`).
#[derive(Debug)]
pub enum Taken {
    /// The transaction is open, holding the lock, with this state of public taken.
    Base(String),
    /// It did not open (another runner's lock, a tracker moved, the guard's functions missing...);
    /// rolled back.
    Not(Attempt),
}

/// Opens the run's first migration's transaction and takes public's state, in a message of its own:
/// the guard at the migration's end gets the state from the runner, never from anything the migration
/// could have rewritten. The transaction stays open for `transactional(.., open_already: true)`.
pub async fn take(
    client: &Client,
    s: &Settings,
    last_id: i64,
) -> Result<Taken, tokio_postgres::Error> {
    match run_tx(client, &open_sql(s, Some(last_id), &guard::Baseline::Take)).await {
        Ok(rows) => Ok(Taken::Base(
            rows.first()
                .and_then(|r| r.first().cloned().flatten())
                .unwrap_or_default(),
        )),
        Err((e, _)) => classify(e, None).map(Taken::Not),
    }
}

/// Creates or completes the tracker in a transaction left open (`tracker_open_sql`), for `up` to
/// commit once its last checks have passed: `None` when it is open, else why not (rolled back).
pub async fn open_tracker(
    client: &Client,
    s: &Settings,
) -> Result<Option<Attempt>, tokio_postgres::Error> {
    match run_tx(client, &tracker_open_sql(s, &[])).await {
        Ok(_) => Ok(None),
        Err((e, _)) => classify(e, None).map(Some),
    }
}

/// Runs one transactional migration: everything up to its tracker row in one round trip, leaving the
/// transaction open for `commit`. Not COMMIT in the same message: the server runs a message to its end
/// even after the client has died (PostgreSQL 13 never notices mid-statement; 14+ only at its check
/// interval), so a runner killed mid-migration would still commit. Sent apart, COMMIT only ever comes
/// from a runner that has seen the migration succeed; a dead one's transaction is rolled back when the
/// server reads EOF.
///
/// A migration larger than `CHUNK` travels in several messages cut at statement ends (`ends`, from the
/// fence), so neither en-migrate nor the server holds the whole file twice; the transaction, the guard
/// and the tracker row are the same.
///
/// The run's first migration (`baseline` is `None`) is opened by `take` first; `open_already` says
/// that was done already (`up` sends it beside its last checks), leaving `baseline` just taken.
#[allow(clippy::too_many_arguments)]
pub async fn transactional(
    client: &Client,
    m: &Migration,
    text: &str,
    ends: &[usize],
    last_id: i64,
    s: &Settings,
    baseline: &mut Option<String>,
    open_already: bool,
) -> Result<Attempt, tokio_postgres::Error> {
    let prepared = prepare(text, ends, s);
    let text = prepared.as_deref().unwrap_or(text);
    debug_assert!(!open_already || baseline.is_some());
    let taken = open_already || baseline.is_none();
    let base = match baseline.clone() {
        Some(b) => b,
        None => match take(client, s, last_id).await? {
            Taken::Base(b) => {
                *baseline = Some(b.clone());
                b
            }
            Taken::Not(a) => return Ok(a),
        },
    };
    let mut open = if taken {
        // The transaction is open already; the marker still starts the message (stall.rs).
        crate::db::stall::marker().to_string()
    } else {
        open_sql(s, Some(last_id), &guard::Baseline::Known(&base))
    };
    open += &role_sql(s);
    // Before the migration's text, in the message that carries it (the guard's start may have run in
    // `take`'s): see `guard::state_kept`.
    open += &guard::state_row(s.session_functions, s.function_oids.as_deref());
    let close = close_sql(s, m, &base);
    let opened;
    let rows = if text.len() <= CHUNK {
        let (sql, start_char) = message(&open, text, &close);
        let body = Body {
            text,
            start_char,
            line_base: 0,
            skip: statements_in(&open),
            ends,
            done: 0,
        };
        match run_tx(client, &sql).await {
            Ok(rows) => {
                opened = None;
                rows
            }
            Err((e, done)) => return classify(e, Some(Body { done, ..body })),
        }
    } else {
        match run_tx(client, &open).await {
            Ok(rows) => opened = Some(rows),
            Err((e, _)) => return classify(e, None),
        }
        let (mut start, mut line) = (0, 1);
        for end in cuts(ends, text.len()) {
            let chunk = &text[start..end];
            let marker = crate::db::stall::marker();
            line += memchr::memchr_iter(b'\n', chunk.as_bytes()).count();
            let check = lexed_as_fenced_sql(line);
            let mut msg = String::with_capacity(marker.len() + chunk.len() + check.len() + 3);
            msg += marker;
            msg += chunk;
            msg += "\n;\n";
            msg += &check;
            if let Err((e, done)) = run_tx(client, &msg).await {
                let line_base = line_of(text.as_bytes(), start) - 1;
                // Statement ends are offsets in the whole text; this chunk's, shifted to it.
                let first = ends.partition_point(|&x| x <= start);
                let last = ends.partition_point(|&x| x <= end);
                let chunk_ends: Vec<usize> = ends[first..last].iter().map(|&x| x - start).collect();
                return classify(
                    e,
                    Some(Body {
                        text: chunk,
                        start_char: marker.chars().count(),
                        line_base,
                        skip: 0,
                        ends: &chunk_ends,
                        done,
                    }),
                );
            }
            start = end;
        }
        match run_tx(client, &format!("{}{close}", crate::db::stall::marker())).await {
            Ok(rows) => rows,
            Err((e, _)) => return classify(e, None),
        }
    };
    if let Err(detail) = guard::state_kept(opened.as_deref().unwrap_or(&rows), &rows) {
        let _ = client.simple_query("ROLLBACK").await;
        return Ok(Attempt::Breach { detail });
    }
    let id = rows
        .last()
        .and_then(|r| r.first().cloned().flatten())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Ok(Attempt::Ready { id })
}

/// Commits a `Ready` migration.
pub async fn commit(client: &Client) -> Commit {
    commit_message(client, "COMMIT").await
}

/// `commit`, for a transaction whose answers were not all read (`up`'s tracker creation, with its
/// warm-up behind it): a `SELECT` ahead of the COMMIT fails in a transaction an error has aborted,
/// where the server would answer COMMIT itself with a ROLLBACK and no error.
pub async fn commit_unaborted(client: &Client) -> Commit {
    commit_message(client, "SELECT 1;\nCOMMIT").await
}

async fn commit_message(client: &Client, sql: &str) -> Commit {
    // Marked like the migration's messages, so a long COMMIT (synchronous replication) is seen running.
    match client
        .simple_query(&format!("{}{sql}", crate::db::stall::marker()))
        .await
    {
        Ok(_) => Commit::Done,
        // A deferred constraint fails here, and the server has rolled back.
        Err(e)
            if e.as_db_error().is_some()
                && !e.code().is_some_and(|c| c.code().starts_with("57P")) =>
        {
            Commit::Failed {
                error: db::server_error(&e).unwrap_or_default(),
            }
        }
        Err(error) => Commit::Lost { error },
    }
}

/// Commits a `Ready` migration with the next request, `next`, pipelined right behind the COMMIT: both
/// leave at once (polled in that order), so the server starts on `next` without waiting for a round
/// trip. COMMIT's outcome is returned as soon as it is in, so the caller can report it while `next`
/// runs; `next`'s output comes along only if it finished first (it cannot, since the server answers
/// in order, but nothing is lost if it did).
///
/// Safe for what `next` may be: a migration's opening (a new transaction, which commits nothing by
/// itself). If the COMMIT fails, the caller must never commit what `next` opened (`up` stops, and the
/// server rolls it back when the connection closes).
pub async fn commit_ahead<F: std::future::Future>(
    client: &Client,
    next: std::pin::Pin<&mut F>,
) -> (Commit, Option<F::Output>) {
    commit_then(commit(client), next).await
}

/// `commit_ahead` with the COMMIT that `commit` makes.
pub async fn commit_then<F: std::future::Future>(
    commit: impl std::future::Future<Output = Commit>,
    mut next: std::pin::Pin<&mut F>,
) -> (Commit, Option<F::Output>) {
    let c = commit;
    tokio::pin!(c);
    tokio::select! {
        biased;
        done = &mut c => (done, None),
        out = &mut next => (c.await, Some(out)),
    }
}

/// The migration text inside a message, for turning the server's error position into a file line.
struct Body<'a> {
    text: &'a str,
    /// Character offset of `text` in the message.
    start_char: usize,
    /// Lines of the file before `text`.
    line_base: usize,
    /// Statements of the message before `text` (en-migrate's opening).
    skip: usize,
    /// Where `text`'s statements end (byte offsets in `text`).
    ends: &'a [usize],
    /// Statements of the message that completed before the error.
    done: usize,
}

/// How many statements `sql` (en-migrate's own opening) holds: each completes before the migration's first.
fn statements_in(sql: &str) -> usize {
    pg_query::split_with_scanner(sql).map_or(0, |v| v.len())
}

/// Maps a failed attempt to what the runner does next; connection losses stay errors.
fn classify(
    e: tokio_postgres::Error,
    body: Option<Body<'_>>,
) -> Result<Attempt, tokio_postgres::Error> {
    let Some(err) = db::server_error(&e) else {
        return Err(e);
    };
    // The opening's own call (before the migration's text, when there is one) to a session
    // function this server session does not have: undefined, or no pg_temp at all there yet.
    let in_opening = match (err.position, &body) {
        (Some(pos), Some(b)) => pos <= b.start_char,
        _ => true,
    };
    let gone = (err.code == "42883" && err.message.contains(guard::SESSION_FUNCTION_PREFIX))
        || (err.code == "3F000" && err.message.contains("\"pg_temp\""));
    if gone && in_opening {
        return Ok(Attempt::GuardGone);
    }
    Ok(match err.code.as_str() {
        guard::LOCK_BUSY => Attempt::LockBusy,
        guard::STALE => Attempt::Stale,
        guard::BREACH => Attempt::Breach {
            detail: err.detail.clone().unwrap_or_default(),
        },
        guard::MOVED => Attempt::Moved {
            detail: err.detail.clone().unwrap_or_default(),
        },
        guard::CONCURRENT => Attempt::Concurrent {
            detail: err.detail.clone().unwrap_or_default(),
        },
        // The server ends the session on these; let the caller see a connection error.
        c if c.starts_with("57P") => return Err(e),
        _ => {
            let at = body.and_then(|b| {
                let byte = match err.position {
                    // The position counts characters of the whole message, en-migrate's opening
                    // included; past the opening it points into the migration.
                    Some(pos) if pos > b.start_char => {
                        let chars = pos - b.start_char - 1;
                        b.text.char_indices().nth(chars).map(|(i, _)| i)
                    }
                    Some(_) => None,
                    None => b
                        .done
                        .checked_sub(b.skip)
                        .and_then(|k| db::statement_start(b.text, b.ends, k)),
                }?;
                let (line, column) = db::line_column(b.text, byte);
                Some((b.line_base + line, column))
            });
            Attempt::Failed {
                error: err,
                line: at.map(|a| a.0),
                column: at.map(|a| a.1),
            }
        }
    })
}

/// Who holds locks on expert_network's relations, for the final lock-timeout message. Relation oids are
/// per database, so locks are matched in this database only.
pub async fn lock_holders(client: &Client) -> String {
    // One line per session: a session holding a table holds its indexes' locks too.
    let sql = include_str!("sql/lock_holders.sql");
    match db::rows(client, sql).await {
        Ok(rows) if !rows.is_empty() => rows
            .iter()
            .map(|r| {
                let c = |i: usize| r.get(i).cloned().flatten().unwrap_or_default();
                format!("pid {} ({}, {} on {}): {}", c(0), c(1), c(4), c(3), c(2))
            })
            .collect::<Vec<_>>()
            .join("\n  "),
        _ => {
            "no other session holds a lock on expert_network now (the blocker has finished)".into()
        }
    }
}

/// Who holds the en-migrate advisory lock in this database. Advisory locks are per database, and other
/// databases of the same server may have en-migrate runs of their own: those are not ours to name.
pub async fn advisory_holder(client: &Client) -> Option<String> {
    let hi = (LOCK_KEY >> 32) as u32;
    let lo = (LOCK_KEY & 0xffff_ffff) as u32;
    let sql = format!(
        "SELECT l.pid, coalesce(a.application_name, ''), coalesce(pg_catalog.host(a.client_addr), 'a Unix socket'), \
         coalesce(a.state, ''), coalesce(pg_catalog.date_trunc('second', pg_catalog.now() - a.xact_start)::text, '') \
         FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.classid = {hi} AND l.objid = {lo} AND l.objsubid = 1 AND l.granted \
         AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()) LIMIT 1"
    );
    let row = db::rows(client, &sql).await.ok()?.into_iter().next()?;
    let c = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
    let app = if c(1).is_empty() {
        "no application_name".to_string()
    } else {
        c(1)
    };
    let xact = if c(4).is_empty() {
        String::new()
    } else {
        format!(", transaction open for {}", c(4))
    };
    Some(format!(
        "pid {} ({app}, from {}, {}{xact})",
        c(0),
        c(2),
        c(3)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            ddl_lock_timeout: Duration::from_secs(5),
            statement_timeout: Some(Duration::from_secs(60)),
            check_interval: true,
            session_functions: false,
            function_oids: None,
            record_schema: false,
            session_user: "runner".into(),
            migration_role: None,
            isolation: None,
        }
    }

    /// The one message `up` sends for a migration, whole, as a reviewer would read it: on a direct
    /// session (the guard's functions) under --migration-role, a versioned file in the middle of a
    /// run; and through a pooler (the guard inline), a repeatable file last in its run.
    #[test]
    fn the_message_of_a_migration_reads_as_sql() {
        let text =
            "CREATE TABLE expert_network.t (id int);\nINSERT INTO expert_network.t VALUES (1);";
        let m = crate::plan::testing::file(2, text);
        let direct = Settings {
            session_functions: true,
            function_oids: Some("16390,16391".into()),
            migration_role: Some("migrator".into()),
            ..settings()
        };
        let base = "s|1|{2}|{3}|{4}|{5}|{6}|{7}|s|r|m";
        let open = open_sql(&direct, Some(7), &guard::Baseline::Known(base));
        let open = open + &role_sql(&direct);
        let (sql, start) = message(&open, text, &close_sql(&direct, &m, base));
        assert_eq!(
            sql.chars().skip(start).take(12).collect::<String>(),
            "CREATE TABLE"
        );
        let repeatable = Migration::from_bytes(
            0,
            "summary".into(),
            "R_summary.sql".into(),
            "sql/R_summary.sql".into(),
            b"CREATE OR REPLACE VIEW expert_network.v AS SELECT 1 AS one;".to_vec(),
        )
        .unwrap();
        let pooled = Settings {
            record_schema: true,
            ..settings()
        };
        let (pooled_sql, _) = message(
            &open_sql(&pooled, Some(8), &guard::Baseline::Known(base)),
            "CREATE OR REPLACE VIEW expert_network.v AS SELECT 1 AS one;",
            &close_sql(&pooled, &repeatable, base),
        );
        crate::snapshots().bind(|| {
            insta::assert_snapshot!("message_direct", crate::masked(&sql));
            insta::assert_snapshot!("message_pooled", crate::masked(&pooled_sql));
        });
    }

    #[test]
    fn the_opening_parses_and_pins_the_path() {
        let s = settings();
        let sql = open_sql(&s, Some(7), &guard::Baseline::Take);
        assert!(sql.contains("search_path = expert_network, pg_catalog, pg_temp"));
        assert!(sql.contains("last_id bigint := 7"));
        pg_query::parse(&sql, 0).unwrap();
    }

    /// The check that ends each part must read the same whatever the part left: no backslash (which
    /// `standard_conforming_strings = off` reads as an escape) and nothing outside ASCII (which
    /// another `client_encoding` reads otherwise).
    #[test]
    fn the_check_between_parts_reads_the_same_under_any_setting() {
        let sql = lexed_as_fenced_sql(1234);
        assert!(sql.is_ascii() && !sql.contains('\\'), "{sql}");
        assert!(sql.contains("up to line 1234") && sql.contains(guard::BREACH));
        pg_query::parse(&sql, 0).unwrap();
        let body = sql.split("$en$").nth(1).unwrap();
        pg_query::parse_plpgsql(&format!(
            "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $x${body}$x$"
        ))
        .unwrap();
    }
}
