//! No-transaction migrations (`-- en-migrate: no-transaction`): one statement, sent alone, for work
//! PostgreSQL refuses inside a transaction (CREATE INDEX CONCURRENTLY and friends).
//!
//! The lock is a session-level advisory lock here, polled with `pg_try_advisory_lock` so the waiting
//! runner never holds a snapshot. An index left INVALID by an interrupted concurrent build is detected
//! before and after, and never reported as success through IF NOT EXISTS.

use crate::apply::{Attempt, Settings};
use crate::db::{self, literal};
use crate::migration::Migration;
use crate::tracker::{self, LOCK_KEY};
use anyhow::{anyhow, bail, Context, Result};
use std::time::Instant;
use tokio_postgres::Client;

/// `CREATE INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON schema.table`: the index it names, schema-qualified.
fn index_name(text: &str) -> Option<String> {
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
                .map(|r| r.schemaname.clone())
                .unwrap_or_default();
            Some(format!("{schema}.{}", ix.idxname))
        }
        pg_query::NodeEnum::ReindexStmt(_) => None,
        _ => None,
    }
}

async fn invalid_index(client: &Client, name: &str) -> Result<bool> {
    let sql = format!(
        "SELECT NOT i.indisvalid FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass({})",
        literal(name)
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
    let result = run_locked(client, m, text, last_id, s).await;
    let released = db::value(
        client,
        &format!("SELECT pg_catalog.pg_advisory_unlock({LOCK_KEY})"),
    )
    .await;
    match (&result, released) {
        (_, Ok(Some(v))) if v == "t" => {}
        (Ok(_), Ok(_)) => bail!("the migration lock was not held at release; is a transaction pooler in front of the database? Use a direct URL, the database server's own host and port"),
        (Ok(_), Err(e)) => return Err(anyhow!(e).context("cannot release the migration lock")),
        _ => {}
    }
    result
}

async fn run_locked(
    client: &Client,
    m: &Migration,
    text: &str,
    last_id: i64,
    s: &Settings,
) -> Result<Attempt> {
    // A re-applied repeatable file keeps its row's id, so another runner's re-apply of this very
    // file shows as its row already holding this checksum, not as a newer id.
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
            "SELECT EXISTS (SELECT 1 FROM public.schema_migrations WHERE id > {last_id}{same})"
        ),
    )
    .await?;
    if moved.as_deref() == Some("t") {
        return Ok(Attempt::Stale);
    }
    let index = index_name(text);
    if let Some(ix) = &index {
        if invalid_index(client, ix).await? {
            bail!(
                "{}: index {ix} exists but is INVALID, left by an interrupted CREATE INDEX CONCURRENTLY; it is not usable and IF NOT EXISTS would skip it.\n\
                 Hint: run DROP INDEX CONCURRENTLY {ix}; then run `en-migrate up` again",
                m.file_name
            );
        }
    }
    // The same pinned session as a transactional migration, set for the session and reset after,
    // since there is no transaction to scope SET LOCAL to.
    let mut setup = format!(
        "SET search_path = expert_network, pg_catalog, pg_temp; SET standard_conforming_strings = on; SET lock_timeout = '{}ms'",
        s.ddl_lock_timeout.as_millis()
    );
    if let Some(t) = s.statement_timeout {
        setup += &format!("; SET statement_timeout = '{}ms'", t.as_millis());
    }
    db::rows(client, &setup).await?;
    let t0 = Instant::now();
    let outcome = client.simple_query(text).await;
    let _ = client
        .simple_query("RESET lock_timeout; RESET statement_timeout; RESET search_path; RESET standard_conforming_strings")
        .await;
    if let Err(e) = outcome {
        let Some(error) = db::server_error(&e) else {
            return Err(anyhow!(e)).with_context(|| {
                format!("the connection was lost while applying {}", m.file_name)
            });
        };
        // A failed concurrent build is not undone: it leaves its index behind, INVALID. Say so now rather
        // than on the next run.
        if let Some(ix) = &index {
            if invalid_index(client, ix).await.unwrap_or(false) {
                let detail = error
                    .detail
                    .as_ref()
                    .map(|d| format!("\nDetail: {d}"))
                    .unwrap_or_default();
                bail!(
                    "{} failed (SQLSTATE {}): {}{detail}\n\
                     It ran without a transaction, so nothing was rolled back: the failed build left index {ix} INVALID.\n\
                     Hint: fix the cause, run DROP INDEX CONCURRENTLY {ix}; then run `en-migrate up` again",
                    m.path,
                    error.code,
                    error.message
                );
            }
        }
        return Ok(Attempt::Failed { error, line: None });
    }
    if let Some(ix) = &index {
        if invalid_index(client, ix).await? {
            bail!("{}: index {ix} was left INVALID.\nHint: run DROP INDEX CONCURRENTLY {ix}; then run `en-migrate up` again", m.file_name);
        }
    }
    let ms = t0.elapsed().as_millis();
    let mut insert = format!(
        "SELECT pg_catalog.set_config('en_migrate.t0', (pg_catalog.clock_timestamp() - interval '{ms} milliseconds')::text, false); {}",
        tracker::record_sql(m)
    );
    if s.record_schema {
        insert += ";\n";
        insert += &crate::verify::drift::record_sql();
    }
    let rows = db::rows(client, &insert).await?;
    let id = rows
        .last()
        .and_then(|r| r.first().cloned().flatten())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Ok(Attempt::Applied { id })
}
