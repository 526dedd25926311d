//! No-transaction migrations (`-- en-migrate: no-transaction`): statements sent one at a time, each
//! alone, in order, for work PostgreSQL refuses inside a transaction (CREATE INDEX CONCURRENTLY and
//! friends). Nothing is rolled back: a failure names the statement and says which earlier ones took
//! effect, and the file is not recorded, so the next `up` runs every statement again (safe only when
//! they are idempotent: `IF NOT EXISTS`, `IF EXISTS`). The session is pinned before the first and put
//! back after the last.
//!
//! The lock is a session-level advisory lock here, polled with `pg_try_advisory_lock` so the waiting
//! runner never holds a snapshot. An index left INVALID by an interrupted concurrent build is detected
//! before and after, and never reported as success through IF NOT EXISTS.
//!
//! Each statement the server also takes inside a transaction block runs in a transaction of its own
//! with the database-side check around it (`guarded_sql`), exactly as a transactional migration's
//! does, and is rolled back when it reaches outside expert_network: a bare statement had no check
//! after it, and what the fence accepts because that check follows (a computed EXECUTE under the
//! opt-in, a body made by an earlier file, another application's foreign key whose action a
//! DELETE fires) reached public unseen (PG 15 through `up`: public's rows changed, raguser made
//! SUPERUSER, a view of public dropped, each file applied and recorded). Only what must run outside
//! one (`runs_alone`: the CONCURRENTLY forms, VACUUM, a DO block that commits) still runs bare.

use crate::db::apply::{Attempt, Settings};
use crate::db::tracker::{self, LOCK_KEY};
use crate::db::{self, guard, literal};
use crate::exit::Fail;
use crate::files::lexer::{self, line_of};
use crate::files::migration::Migration;
use anyhow::{anyhow, bail, Context, Result};
use std::time::Instant;
use tokio_postgres::Client;

/// The index a `CREATE INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON [schema.]table` builds: `shown`
/// schema-qualified for messages, `regclass` the same name quoted for `to_regclass`, which folds
/// unquoted names to lower case (`"MyIdx"` must not read as `myidx`).
struct Index {
    shown: String,
    regclass: String,
}

impl std::fmt::Display for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

/// The index `text` builds, named in the schema the server makes it in: its table's. A table written
/// without a schema is found on the session's path, which is the pinned `expert_network, pg_catalog,
/// pg_temp` or the file's own `SET search_path` of those schemas alone (the fence refuses any other,
/// and refuses indexes on pg_catalog's tables): expert_network, whose table it is (Saleor's
/// `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ... ON attribute_assignedpageattributevalue` under
/// Django's path, pass corpus 121; it was looked up as `.name`, which the server rejects as invalid
/// name syntax). An index of a temporary table is the session's own, gone when it ends: it is not
/// found there, and nothing an earlier run left can be INVALID.
fn index_name(text: &str) -> Option<Index> {
    let parsed = pg_query::parse(text, 0).ok()?;
    let stmt = parsed
        .protobuf
        .stmts
        .first()?
        .stmt
        .as_ref()?
        .node
        .as_ref()?;
    match stmt {
        pg_query::NodeEnum::IndexStmt(ix) if !ix.idxname.is_empty() => {
            let schema = ix
                .relation
                .as_ref()
                .map(|r| r.schemaname.as_str())
                .filter(|s| !s.is_empty())
                .unwrap_or("expert_network");
            let quoted = |n: &str| format!("\"{}\"", n.replace('"', "\"\""));
            Some(Index {
                shown: format!("{schema}.{}", ix.idxname),
                regclass: format!("{}.{}", quoted(schema), quoted(&ix.idxname)),
            })
        }
        _ => None,
    }
}

/// Whether the server refuses `stmt` inside a transaction block, so that it runs bare, with no check
/// after it: `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX (CONCURRENTLY)`,
/// `ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY`, `VACUUM`, and a DO block whose body holds a
/// COMMIT or ROLLBACK (a batched backfill). The fence accepts no other statement the server refuses
/// in a block; anything else (a statement this cannot parse included) runs guarded, where such a
/// statement would fail with "cannot run inside a transaction block" rather than run unchecked.
fn runs_alone(stmt: &str) -> bool {
    alone(stmt).is_some()
}

/// What must run outside a transaction block, and why (`runs_alone`).
#[derive(Debug, PartialEq)]
enum Alone {
    /// A CONCURRENTLY form or VACUUM: it writes no table's rows, so fires no key's action.
    Maintenance,
    /// A DO block that commits or rolls back: its writes run unchecked (`acting_keys`).
    CommittingDo,
}

fn alone(stmt: &str) -> Option<Alone> {
    use pg_query::protobuf::Token;
    use pg_query::NodeEnum as N;
    let parsed = pg_query::parse(stmt, 0).ok()?;
    let node = parsed
        .protobuf
        .stmts
        .first()
        .and_then(|s| s.stmt.as_ref())
        .and_then(|s| s.node.as_ref())?;
    let maintenance = crate::fence::bare_maintenance(node);
    match node {
        N::DoStmt(d) => {
            let commits = d.args.iter().any(|a| {
                let Some(N::DefElem(e)) = &a.node else {
                    return false;
                };
                let body = match e.arg.as_deref().and_then(|v| v.node.as_ref()) {
                    Some(N::String(s)) if e.defname == "as" => &s.sval,
                    _ => return false,
                };
                pg_query::scan(body).is_ok_and(|t| {
                    t.tokens.iter().any(|t| {
                        t.token == Token::Commit as i32 || t.token == Token::Rollback as i32
                    })
                })
            });
            commits.then_some(Alone::CommittingDo)
        }
        _ => maintenance.then_some(Alone::Maintenance),
    }
}

/// One statement of the file in a transaction of its own, between the database-side check's start
/// and end over public's state `base` (guard.rs); `guarded` commits it once the guard's rows show its
/// start untouched (`guard::state_kept`). The guard's own statements run under
/// its path and as the login (`--migration-role` cannot read public's sequences); the statement
/// runs under the path and role the session had (the file's own `SET search_path` included), and
/// a session SET it makes lasts past the COMMIT as it did.
fn guarded_sql(s: &Settings, stmt: &str, last_id: i64, base: &str) -> String {
    let mut sql = format!("{}BEGIN;\n", crate::db::stall::marker());
    if s.migration_role.is_some() {
        sql += "SET LOCAL ROLE NONE;\n";
    }
    sql += "SELECT pg_catalog.set_config('en_migrate.p', pg_catalog.current_setting('search_path'), true);\n";
    sql += "SET LOCAL search_path = pg_catalog, pg_temp;\n";
    sql += &crate::db::guard::begin_sql(
        s.session_functions,
        LOCK_KEY,
        Some(last_id),
        &crate::db::guard::Baseline::Known(base),
    );
    sql += &crate::db::guard::state_row(s.session_functions, s.function_oids.as_deref());
    sql += "SELECT pg_catalog.set_config('search_path', pg_catalog.current_setting('en_migrate.p'), true);\n";
    if let Some(r) = &s.migration_role {
        sql += &format!("SET LOCAL ROLE {};\n", literal(r));
    }
    sql += stmt;
    // A statement may end inside a line comment, or without a semicolon.
    sql += "\n;\n";
    let current = s.migration_role.as_deref().unwrap_or(&s.session_user);
    sql += &crate::db::guard::end_sql(
        s.session_functions,
        s.function_oids.as_deref(),
        base,
        &crate::db::guard::expect(current, &s.session_user),
    );
    // The guard's end resets the role for the session (`RESET ROLE`): the file's role again.
    if let Some(r) = &s.migration_role {
        sql += &format!("SET ROLE {};\n", literal(r));
    }
    // Nothing the statement deferred past the guard may write at COMMIT (guard.rs, `SEAL`).
    sql += crate::db::guard::SEAL;
    sql
}

/// Runs `stmt` guarded (`guarded_sql`) and commits it; rolled back on the server's error, or (a
/// breach, Err of the outer Result with `Fail`'s Refused) when the guard's start was rewritten.
async fn guarded(
    client: &Client,
    s: &Settings,
    stmt: &str,
    last_id: i64,
    base: &str,
) -> Result<std::result::Result<(), tokio_postgres::Error>> {
    match db::rows_counted(client, &guarded_sql(s, stmt, last_id, base)).await {
        Ok(rows) => {
            if let Err(detail) = crate::db::guard::state_kept(&rows, &rows) {
                client.simple_query("ROLLBACK").await?;
                bail!(anyhow!("{detail}; the statement was rolled back")
                    .kind(crate::exit::Kind::Refused)
                    .hint("keep every change inside expert_network"));
            }
            // A deferred constraint fails here, as a bare statement's would at its end. What the
            // statement left to run at COMMIT that writes meets the seal (`SEAL`) and fails the
            // COMMIT, which rolls the statement back: a breach, as in a transactional file.
            let committed = client.simple_query("COMMIT").await;
            match committed.as_ref().err().and_then(db::server_error) {
                Some(x) if x.code == crate::db::guard::READ_ONLY_AT_COMMIT => {
                    bail!(anyhow!(
                        "what the statement left to run at COMMIT, after the database-side check, tried to write ({}); the statement was rolled back",
                        x.message
                    )
                    .kind(crate::exit::Kind::Refused)
                    .hint("keep every change inside expert_network"))
                }
                _ => Ok(committed.map(|_| ())),
            }
        }
        Err((e, _)) => {
            if !client.is_closed() {
                let _ = client.simple_query("ROLLBACK").await;
            }
            Ok(Err(e))
        }
    }
}

/// public's state for `guarded_sql`, taken in a transaction opened and rolled back for it, as a
/// transactional migration's opening takes it: Err with what came instead (the lock busy, the
/// tracker moved).
async fn baseline(client: &Client, s: &Settings, last_id: i64) -> Result<Result<String, Attempt>> {
    let taken = crate::db::apply::take(client, s, last_id).await?;
    Ok(match taken {
        crate::db::apply::Taken::Base(b) => {
            client.simple_query("ROLLBACK").await?;
            Ok(b)
        }
        crate::db::apply::Taken::Not(a) => Err(a),
    })
}

/// The definition of index `ix` when it exists and is valid.
async fn valid_index_def(client: &Client, ix: &Index) -> Result<Option<String>> {
    let sql = format!(
        "SELECT pg_catalog.pg_get_indexdef(i.indexrelid) FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass({}) AND i.indisvalid",
        literal(&ix.regclass)
    );
    Ok(db::value(client, &sql).await?)
}

/// The file's CREATE INDEX and the server's definition build the same index: compared as parsed and
/// deparsed, without CONCURRENTLY and IF NOT EXISTS, with the default access method spelled out.
fn same_index(def: &str, text: &str) -> bool {
    fn normal(sql: &str) -> Option<String> {
        let mut parsed = pg_query::parse(sql, 0).ok()?.protobuf;
        let stmt = parsed.stmts.first_mut()?.stmt.as_mut()?.node.as_mut()?;
        let pg_query::NodeEnum::IndexStmt(ix) = stmt else {
            return None;
        };
        ix.concurrent = false;
        ix.if_not_exists = false;
        // The server's definition names the table's schema; the file may leave it to the path,
        // whose table is expert_network's (index_name).
        if let Some(r) = ix.relation.as_mut() {
            if r.schemaname.is_empty() {
                r.schemaname = "expert_network".into();
            }
        }
        if ix.access_method.is_empty() {
            ix.access_method = "btree".into();
        }
        pg_query::deparse(&parsed, pg_query::DeparseOptions::default()).ok()
    }
    matches!((normal(def), normal(text)), (Some(a), Some(b)) if a == b)
}

async fn invalid_index(client: &Client, ix: &Index) -> Result<bool> {
    let sql = format!(
        "SELECT NOT i.indisvalid FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass({})",
        literal(&ix.regclass)
    );
    Ok(db::value(client, &sql).await?.as_deref() == Some("t"))
}

/// Applies one no-transaction migration under the session lock. Tries the lock once: waiting, its
/// back-off and its `--lock-wait` bound are the run loop's, as for transactional migrations, so the
/// bound is one bound whichever kind of migration is waiting.
pub async fn apply(
    client: &Client,
    m: &Migration,
    text: &str,
    ends: &[usize],
    last_id: i64,
    s: &Settings,
) -> Result<Attempt> {
    let got = db::value(
        client,
        &format!("SELECT pg_catalog.pg_try_advisory_lock({LOCK_KEY})"),
    )
    .await?;
    if got.as_deref() != Some("t") {
        return Ok(Attempt::LockBusy);
    }
    let result = run_locked(client, m, text, ends, last_id, s).await;
    let released = db::value(
        client,
        &format!("SELECT pg_catalog.pg_advisory_unlock({LOCK_KEY})"),
    )
    .await;
    match (&result, released) {
        (_, Ok(Some(v))) if v == "t" => {}
        (Ok(_), Ok(_)) => bail!("the migration lock was not held at release; is a transaction pooler in front of the database? Use a direct URL, the database server's own host and port"),
        // The statement's own failure ended the session (its backend was terminated): that is the
        // error to report, not the release that could not follow it.
        (Ok(Attempt::Failed { .. }), Err(_)) => {}
        (Ok(_), Err(e)) => return Err(anyhow!(e).context("cannot release the migration lock")),
        _ => {}
    }
    result
}

async fn run_locked(
    client: &Client,
    m: &Migration,
    text: &str,
    ends: &[usize],
    last_id: i64,
    s: &Settings,
) -> Result<Attempt> {
    if moved_since(client, m, last_id).await? {
        return Ok(Attempt::Stale);
    }
    let statements: Vec<&str> = if ends.is_empty() {
        vec![text]
    } else {
        lexer::statements(text, ends).map(|r| &text[r]).collect()
    };
    refuse_invalid_indexes(client, m, &statements).await?;
    // Taken as the login, before the session takes the file's role (`setup_sql`).
    let base = if statements.iter().any(|st| !runs_alone(st)) {
        match baseline(client, s, last_id).await? {
            Ok(b) => Some(b),
            Err(a) => return Ok(a),
        }
    } else {
        None
    };
    let before = crate::db::preflight::server_schema_objects(client).await?;
    db::rows(client, &setup_sql(s)).await?;
    let t0 = Instant::now();
    let guard = base.as_deref().map(|b| (s, last_id, b));
    let (done, outcome) = run_statements(client, m, text, &statements, guard).await?;
    let who = put_back(client, s).await;
    match outcome {
        Ok(()) => {
            who?;
            made_in_pg_catalog(client, m, &before).await?;
            record(client, m, text, &statements, t0, s.record_schema).await
        }
        Err((e, stmt, guarded)) => failed(client, m, text, stmt, &done, e, guarded).await,
    }
}

/// Stops the run when the file left pg_catalog holding what it did not hold before (`before`): no
/// database-side check follows a no-transaction file, and its statements took effect, but it is not
/// recorded and no later migration runs on top of it. PG 15: an unqualified `CREATE EXTENSION` after
/// the path lost expert_network installed into pg_catalog (refuse corpus 72, 73).
async fn made_in_pg_catalog(client: &Client, m: &Migration, before: &[String]) -> Result<()> {
    let after = crate::db::preflight::server_schema_objects(client).await?;
    let new: Vec<&String> = after.iter().filter(|x| !before.contains(x)).collect();
    if new.is_empty() {
        return Ok(());
    }
    let new: Vec<&str> = new.iter().map(|x| x.as_str()).collect();
    Err(anyhow!(
        "{} left pg_catalog holding what the server did not make: {}; a no-transaction file is not rolled back, so its statements took effect, and it was not recorded",
        m.file_name,
        new.join("; ")
    )
    .kind(crate::exit::Kind::Refused)
    .hint("drop those objects or move them out of pg_catalog (ALTER ... SET SCHEMA), then change the file so that it makes nothing outside expert_network"))
}

/// Whether another runner recorded anything since the tracker was read. A re-applied repeatable file
/// keeps its row's id, so another runner's re-apply of this very file shows as its row already
/// holding this checksum, not as a newer id.
async fn moved_since(client: &Client, m: &Migration, last_id: i64) -> Result<bool> {
    let same = if m.is_repeatable() {
        format!(
            " OR (migration_name = {} AND checksum = {})",
            db::literal(&m.file_name),
            db::literal(&m.checksum)
        )
    } else {
        String::new()
    };
    let moved = db::value(
        client,
        &format!(
            "SELECT EXISTS (SELECT 1 FROM {} WHERE id > {last_id}{same})",
            crate::db::tracker::TABLE
        ),
    )
    .await?;
    Ok(moved.as_deref() == Some("t"))
}

/// Refuses the file when an index it builds exists INVALID (left by an interrupted concurrent build).
async fn refuse_invalid_indexes(client: &Client, m: &Migration, statements: &[&str]) -> Result<()> {
    for stmt in statements {
        if let Some(ix) = index_name(stmt) {
            if invalid_index(client, &ix).await? {
                bail!(anyhow!(
                    "{}: index {ix} exists but is INVALID, left by an interrupted CREATE INDEX CONCURRENTLY; it is not usable and IF NOT EXISTS would skip it.",
                    m.file_name
                )
                .hint(drop_invalid(&ix)));
            }
        }
    }
    Ok(())
}

/// The same pinned session as a transactional migration, set for the session and put back after,
/// since there is no transaction to scope SET LOCAL to.
fn setup_sql(s: &Settings) -> String {
    let mut setup = format!(
        "SET search_path = expert_network, pg_catalog, pg_temp; SET standard_conforming_strings = on; SET check_function_bodies = on; SET lock_timeout = '{}ms'",
        s.ddl_lock_timeout.as_millis()
    );
    if let Some(t) = s.statement_timeout {
        setup += &format!("; SET statement_timeout = '{}ms'", t.as_millis());
    }
    if s.check_interval {
        // As for a transactional migration: a dead client's concurrent build stops within seconds
        // instead of running to its end unrecorded.
        setup += "; SET client_connection_check_interval = '2s'";
    }
    if let Some(r) = &s.migration_role {
        setup += &format!("; SET ROLE {}", literal(r));
    }
    setup
}

/// A statement's failure on the server, with the statement.
/// `guarded`: the statement ran in a transaction with the database-side check around it
/// (`guarded_sql`), and was rolled back.
type StatementFailure<'t> = std::result::Result<(), (tokio_postgres::Error, &'t str, bool)>;

/// Runs the statements one by one: the lines of those that took effect, and the first failure with
/// its statement.
async fn run_statements<'t>(
    client: &Client,
    m: &Migration,
    text: &str,
    statements: &[&'t str],
    guard: Option<(&Settings, i64, &str)>,
) -> Result<(Vec<usize>, StatementFailure<'t>)> {
    let mut done: Vec<usize> = Vec::new();
    for &stmt in statements {
        // A runner that died after this statement completed, before recording the file: the index is
        // there, valid and as the file defines it. Running it again would fail with "already exists".
        if let Some(ix) = index_name(stmt) {
            if let Some(def) = valid_index_def(client, &ix).await? {
                if same_index(&def, stmt) {
                    tracing::warn!(
                        "{}:{}: index {ix} already exists, valid and as the file defines it (an earlier run built it and stopped before recording it); not built again",
                        m.file_name,
                        line_at(text, stmt)
                    );
                    done.push(line_at(text, stmt));
                    continue;
                }
            }
        }
        // Each alone: in one message they would run in an implicit transaction. The marker lets a
        // second session find this backend while the statement runs (stall.rs). After the first, a
        // check of its own that the one before left the text read as the fence read it.
        let checked = match done.is_empty() {
            true => Ok(Vec::new()),
            false => {
                let line = line_at(text, stmt).saturating_sub(1);
                client
                    .simple_query(&crate::db::apply::lexed_as_fenced_sql(line))
                    .await
            }
        };
        // Whether a failure came from the statement run guarded (and rolled back), not from the
        // check before it or a bare run.
        let bare = alone(stmt);
        let (sent, guarded_run) = match (checked, guard) {
            (Ok(_), Some((s, last_id, base))) if bare.is_none() => (
                guarded(client, s, stmt, last_id, base)
                    .await?
                    .map(|()| Vec::new()),
                true,
            ),
            (Ok(_), _) => {
                if bare == Some(Alone::CommittingDo) {
                    refuse_acting_keys(client, m, text, stmt, &done).await?;
                }
                (
                    client
                        .simple_query(&format!("{}{stmt}", crate::db::stall::marker()))
                        .await,
                    false,
                )
            }
            (Err(e), _) => (Err(e), false),
        };
        match sent {
            Ok(_) => done.push(line_at(text, stmt)),
            Err(e) => return Ok((done, Err((e, stmt, guarded_run)))),
        }
    }
    Ok((done, Ok(())))
}

/// Before a DO block that commits is sent bare: refused (exit 3, the block not run) where another
/// schema's foreign key acts on a table of expert_network. Its writes run with no database-side check
/// around them (each of its transactions ends inside it), and the fence cannot see another
/// application's keys: PG 15 through `up`, a block's `UPDATE expert_network.v SET id = id + 100`
/// rewrote public's referencing rows by their ON UPDATE CASCADE, and the file was recorded. Read just
/// before the block, so a key made between the two is not seen.
async fn refuse_acting_keys(
    client: &Client,
    m: &Migration,
    text: &str,
    stmt: &str,
    done: &[usize],
) -> Result<()> {
    let keys: Vec<String> = db::rows(client, include_str!("sql/acting_keys.sql"))
        .await?
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect();
    if keys.is_empty() {
        return Ok(());
    }
    let stay = match done {
        [] => String::new(),
        _ => format!(" (the statements before it ran and stay: {})", lines(done)),
    };
    bail!(anyhow!(
        "{}:{}: this DO block commits, so it runs with no database-side check around it, and foreign keys of other schemas act on expert_network's rows: {}; it was not run, and the file is not recorded{stay}",
        m.path,
        line_at(text, stmt),
        keys.join("; ")
    )
    .kind(crate::exit::Kind::Refused)
    .hint("write the block without COMMIT (each statement then runs with the check around it), or in a transactional file"))
}

/// What a failed statement of a no-transaction file leads to: a plain failure when nothing took effect,
/// else an error that says what stays.
async fn failed(
    client: &Client,
    m: &Migration,
    text: &str,
    stmt: &str,
    done: &[usize],
    e: tokio_postgres::Error,
    guarded: bool,
) -> Result<Attempt> {
    let Some(error) = db::server_error(&e) else {
        return Err(anyhow!(e))
            .with_context(|| format!("the connection was lost while applying {}", m.file_name));
    };
    let start = stmt.as_ptr() as usize - text.as_ptr() as usize;
    let (line, column) = db::line_column(text, lexer::code_start(text, start..start + stmt.len()));
    if error.code.starts_with("57P") {
        bail!(anyhow!(
            "{}:{line}: the server ended the session while the statement ran (SQLSTATE {}): {}; the file was not recorded.",
            m.path,
            error.code,
            error.message
        )
        .hint("run `en-migrate up` again; a CREATE INDEX CONCURRENTLY cut off this way leaves its index INVALID, which that run names"));
    }
    // The database-side check around a statement that ran guarded (`guarded_sql`) refused it: that
    // statement was rolled back, the ones before it stay.
    let guard_code =
        [guard::BREACH, guard::MOVED, guard::CONCURRENT].contains(&error.code.as_str());
    if guarded && guard_code {
        let detail = error.detail.clone().unwrap_or_default();
        if done.is_empty() {
            return Ok(match error.code.as_str() {
                guard::BREACH => Attempt::Breach { detail },
                guard::MOVED => Attempt::Moved { detail },
                _ => Attempt::Concurrent { detail },
            });
        }
        let e = anyhow!(
            "{}:{line}: {} (SQLSTATE {}): {detail}\nThat statement was rolled back; the statements before it ran without a transaction and stay ({}); the file is not recorded.",
            m.path,
            error.message,
            error.code,
            lines(done)
        );
        if error.code == guard::CONCURRENT {
            bail!(e.hint(
                "run `en-migrate up` again once the other sessions' changes to public are done"
            ));
        }
        bail!(e
            .kind(crate::exit::Kind::Refused)
            .hint("undo what the statements before it did if they must not stay, and keep every change inside expert_network"));
    }
    // A failed concurrent build is not undone: it leaves its index behind, INVALID. Say so now rather
    // than on the next run.
    let invalid = match index_name(stmt) {
        Some(ix) if invalid_index(client, &ix).await.unwrap_or(false) => Some(ix),
        _ => None,
    };
    if done.is_empty() && invalid.is_none() {
        return Ok(Attempt::Failed {
            error,
            line: Some(line),
            column: Some(column),
        });
    }
    let detail = error
        .detail
        .as_ref()
        .map(|d| format!("\nDetail: {d}"))
        .unwrap_or_default();
    let mut msg = format!(
        "{}:{line} failed (SQLSTATE {}): {}{detail}\nIt ran without a transaction, so nothing was rolled back.",
        m.path, error.code, error.message
    );
    if !done.is_empty() {
        msg += &format!(
            " The statements before it took effect and stay ({}); the file is not recorded, so the next `up` runs them again.",
            lines(done)
        );
    }
    let hint = if let Some(ix) = invalid {
        msg += &format!(" The failed build left index {ix} INVALID.");
        format!("fix the cause, {}", drop_invalid(&ix))
    } else {
        "fix the cause; make the statements that took effect idempotent (IF NOT EXISTS, IF EXISTS) or undo them by hand, then run `en-migrate up` again".into()
    };
    bail!(anyhow!(msg).hint(hint))
}

/// The file lines of the statements that ran, for a message: `line 2, line 5`.
fn lines(done: &[usize]) -> String {
    let lines: Vec<String> = done.iter().map(|l| format!("line {l}")).collect();
    lines.join(", ")
}

/// The line of the code (not the leading comment) of `stmt`, a slice of `text`.
fn line_at(text: &str, stmt: &str) -> usize {
    let start = stmt.as_ptr() as usize - text.as_ptr() as usize;
    line_of(
        text.as_bytes(),
        lexer::code_start(text, start..start + stmt.len()),
    )
}

/// Puts the session back after the file: refuses (after the fact: nothing can be rolled back) a file
/// that left another role or session user, then `RESET ALL` and the role, so whatever the file SET
/// lasts for it alone.
async fn put_back(client: &Client, s: &Settings) -> Result<()> {
    let who = db::value(
        client,
        "SELECT pg_catalog.concat_ws('/', CURRENT_USER, SESSION_USER, pg_catalog.current_setting('track_counts'))",
    )
    .await?;
    let _ = client
        .simple_query("RESET ALL; RESET ROLE; SET SESSION AUTHORIZATION DEFAULT")
        .await;
    let current = s.migration_role.as_deref().unwrap_or(&s.session_user);
    let want = crate::db::guard::expect(current, &s.session_user);
    if who.as_deref() != Some(want.as_str()) {
        bail!(anyhow!(
            "the no-transaction migration left the session as {} (current user/session user/track_counts) where en-migrate expects {want}; it ran without a transaction, so its statements took effect, and it is not recorded.",
            who.unwrap_or_default()
        )
        .hint("SET ROLE and SET SESSION AUTHORIZATION are not allowed in a migration; undo what it did by hand"));
    }
    Ok(())
}

/// Checks the indexes the file built and writes its tracker row.
async fn record(
    client: &Client,
    m: &Migration,
    text: &str,
    statements: &[&str],
    t0: Instant,
    record_schema: bool,
) -> Result<Attempt> {
    for stmt in statements {
        if let Some(ix) = index_name(stmt) {
            if invalid_index(client, &ix).await? {
                bail!(anyhow!(
                    "{}:{}: index {ix} was left INVALID.",
                    m.file_name,
                    line_at(text, stmt)
                )
                .hint(drop_invalid(&ix)));
            }
        }
    }
    let ms = t0.elapsed().as_millis();
    let mut insert = format!(
        "SELECT pg_catalog.set_config('en_migrate.t0', (pg_catalog.clock_timestamp() - interval '{ms} milliseconds')::text, false); {}",
        tracker::record_sql(m)
    );
    if record_schema {
        insert += ";\n";
        insert += &crate::db::schema_record::record_sql();
    }
    let rows = db::rows(client, &insert).await?;
    let id = rows
        .last()
        .and_then(|r| r.first().cloned().flatten())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Ok(Attempt::Applied { id })
}

/// What to do about an INVALID index a cut-off or failed concurrent build left.
fn drop_invalid(ix: &Index) -> String {
    format!("run DROP INDEX CONCURRENTLY {ix}; then run `en-migrate up` again")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_of_a_table_left_to_the_path_is_named_in_expert_network_and_quoted() {
        // Saleor's concurrent unique index under Django's path: the server makes it beside its
        // table, expert_network's.
        let ix = index_name(
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS a_uniq ON attribute_value (\"value_id\")",
        )
        .unwrap();
        assert_eq!(ix.shown, "expert_network.a_uniq");
        assert_eq!(ix.regclass, "\"expert_network\".\"a_uniq\"");
        // A quoted name keeps its case for to_regclass.
        let ix =
            index_name("CREATE INDEX CONCURRENTLY \"MyIdx\" ON expert_network.\"T\" (a)").unwrap();
        assert_eq!(ix.shown, "expert_network.MyIdx");
        assert_eq!(ix.regclass, "\"expert_network\".\"MyIdx\"");
        assert!(index_name("CREATE INDEX CONCURRENTLY ON expert_network.t (a)").is_none());
    }

    #[test]
    fn the_servers_definition_matches_a_file_that_left_the_table_to_the_path() {
        let def =
            "CREATE UNIQUE INDEX a_uniq ON expert_network.attribute_value USING btree (value_id)";
        assert!(same_index(
            def,
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS a_uniq ON attribute_value (value_id)"
        ));
        assert!(!same_index(
            def,
            "CREATE UNIQUE INDEX CONCURRENTLY a_uniq ON other.attribute_value (value_id)"
        ));
    }
}
