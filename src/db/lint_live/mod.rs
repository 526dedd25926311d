//! `lint --live`: the lint's questions answered by the target database. For each lock warning, how
//! big the table is and how many other sessions hold locks on it now (a new or empty table makes the
//! warning go away); for each data-dependent rule, how many rows the statement would fail on (none
//! makes it go away; some make it an error that names the count).
//!
//! Only reads, and must never write: everything runs in one `READ ONLY` transaction with a
//! statement_timeout and a lock_timeout, each count is bounded by `LIMIT`, and each question sits in
//! its own savepoint so that one timeout does not end the others.

use crate::db;
use crate::lint::rules::constraint_violated::key_match;
use crate::lint::{KeyOf, Severity, TableInfo, Warning, COUNT_LIMIT, KEY_MATCH};
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::time::Duration;
use tokio_postgres::Client;

/// Starts the read-only transaction every question runs in.
pub async fn begin(client: &Client, timeout: Duration) -> Result<()> {
    let ms = timeout.as_millis().max(2);
    // Names resolve as `up` resolves them (apply.rs pins the same path), not by the role's own path.
    // Half the time for a lock: a question stuck behind a lock holder (a running migration) gives up
    // first, and says so, rather than using up the time a slow count has.
    db::rows(
        client,
        &format!(
            "START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY; \
             SET LOCAL search_path = expert_network, pg_catalog, pg_temp; \
             SET LOCAL statement_timeout = {ms}; SET LOCAL lock_timeout = {}",
            ms / 2
        ),
    )
    .await
    .context("cannot start a read-only transaction for lint --live")?;
    Ok(())
}

/// Nothing was written; ROLLBACK ends the transaction either way.
pub async fn end(client: &Client) {
    let _ = db::rows(client, "ROLLBACK").await;
}

/// What the database says about one relation: absent (new), empty, or its facts.
enum Seen {
    Absent,
    Empty,
    Table(TableInfo),
}

/// Answers every warning's questions; drops the ones the data makes moot.
pub async fn resolve(client: &Client, warnings: Vec<Warning>) -> Result<Vec<Warning>> {
    let mut tables: HashMap<String, Option<TableInfo>> = HashMap::new();
    let mut out = Vec::with_capacity(warnings.len());
    for mut w in warnings {
        if let Some(count) = w.count.take() {
            let sql = match &count.key_of {
                Some(key) => match primary_key(client, key).await? {
                    Some(matched) => count.sql.replace(KEY_MATCH, &matched),
                    // No such table or no primary key yet: the statement fails for another reason.
                    None => continue,
                },
                None => count.sql.clone(),
            };
            match ask(client, &sql).await? {
                Answer::Count(0) | Answer::Moot => continue,
                Answer::Count(n) => {
                    let n = if n >= i64::from(COUNT_LIMIT) {
                        format!("at least {n}")
                    } else {
                        n.to_string()
                    };
                    w.message = format!("{}: {}: {n}", w.message, count.what);
                }
                Answer::Failed(why) => {
                    // Not counted is not proven wrong: say so as a warning, not an error.
                    w.severity = Severity::Warning;
                    w.message = format!("{}: could not count the rows ({why})", w.message);
                }
            }
        }
        if let Some(rel) = &w.locks {
            if !tables.contains_key(rel) {
                let seen = match look(client, rel).await? {
                    Seen::Table(t) => Some(t),
                    Seen::Absent | Seen::Empty => None,
                };
                tables.insert(rel.clone(), seen);
            }
            match tables.get(rel).cloned().flatten() {
                Some(t) => w.table = Some(t),
                // A table that does not exist yet or holds no rows: locking it costs nobody anything.
                None => continue,
            }
        }
        out.push(w);
    }
    Ok(out)
}

enum Answer {
    Count(i64),
    /// The table or column does not exist yet: created by this run, so there is nothing to count.
    Moot,
    Failed(String),
}

/// Runs one bounded count in a savepoint.
async fn ask(client: &Client, sql: &str) -> Result<Answer> {
    db::rows(client, "SAVEPOINT lint_question").await?;
    let answer = match db::value(client, sql).await {
        Ok(v) => Answer::Count(v.and_then(|v| v.parse().ok()).unwrap_or(0)),
        Err(e) => match db::server_error(&e) {
            // undefined_table, undefined_column, undefined_object
            Some(s) if ["42P01", "42703", "42704"].contains(&s.code.as_str()) => Answer::Moot,
            Some(s) => Answer::Failed(s.message),
            None => return Err(e).context("lint --live lost the database"),
        },
    };
    db::rows(
        client,
        "ROLLBACK TO SAVEPOINT lint_question; RELEASE SAVEPOINT lint_question",
    )
    .await?;
    Ok(answer)
}

/// `p."id" = c."campaign_id"` for the referenced table's primary key, or None if it has none.
async fn primary_key(client: &Client, key: &KeyOf) -> Result<Option<String>> {
    let sql = bind(include_str!("primary_key.sql"), &key.parent);
    let pk: Vec<String> = db::rows(client, &sql)
        .await
        .with_context(|| format!("cannot read the primary key of {}", key.parent))?
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect();
    if pk.is_empty() || pk.len() != key.columns.len() {
        return Ok(None);
    }
    let pk: Vec<&str> = pk.iter().map(String::as_str).collect();
    let fk: Vec<&str> = key.columns.iter().map(String::as_str).collect();
    Ok(Some(key_match(&pk, &fk)))
}

/// A query file with `:rel` replaced by `rel` as a literal. The file's `--` comment lines are left
/// out first: they mention `:rel` too, and a name holding a line break would end the comment.
fn bind(query: &str, rel: &str) -> String {
    query
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace(":rel", &db::literal(rel))
}

/// The relation `rel` (a table, or an index standing for its table) as the database has it now.
async fn look(client: &Client, rel: &str) -> Result<Seen> {
    let sql = bind(include_str!("table.sql"), rel);
    let row = db::rows(client, &sql)
        .await
        .with_context(|| format!("cannot look up {rel} for lint --live"))?
        .into_iter()
        .next();
    let Some(row) = row else {
        return Ok(Seen::Absent);
    };
    let cell = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
    let name = cell(0);
    let any = ask(
        client,
        &format!("SELECT count(*) FROM (SELECT 1 FROM {name} LIMIT 1) AS any_row"),
    )
    .await?;
    if matches!(any, Answer::Count(0)) {
        return Ok(Seen::Empty);
    }
    let estimate: i64 = cell(1).parse().unwrap_or(-1);
    Ok(Seen::Table(TableInfo {
        name,
        // reltuples is -1 before the first ANALYZE (0 on PostgreSQL before 14, for a table with rows).
        rows_estimate: (estimate > 0).then_some(estimate),
        bytes: cell(2).parse().unwrap_or(0),
        sessions: cell(3).parse().unwrap_or(0),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_with_a_line_break_stays_inside_its_literal() {
        let rel = "expert_network.\"x\n) SELECT pg_catalog.pg_sleep(1) --\"";
        for q in [include_str!("table.sql"), include_str!("primary_key.sql")] {
            let sql = bind(q, rel);
            assert!(
                !sql.contains(":rel") && sql.contains(&db::literal(rel)),
                "{sql}"
            );
            // One statement whose only string constant is the name.
            let parsed = pg_query::parse(&sql, 0).unwrap();
            assert_eq!(parsed.protobuf.stmts.len(), 1);
            assert!(!parsed.functions().iter().any(|f| f.contains("pg_sleep")));
        }
    }

    #[test]
    fn table_facts_read_as_a_sentence() {
        let t = TableInfo {
            name: "expert_network.experts".into(),
            rows_estimate: Some(1200),
            bytes: 98304,
            sessions: 2,
        };
        assert_eq!(
            t.describe(),
            "expert_network.experts: ~1200 rows, 96 kB, 2 other sessions hold locks on it now"
        );
        let t = TableInfo {
            rows_estimate: None,
            bytes: 8192,
            sessions: 0,
            ..t
        };
        assert_eq!(t.describe(), "expert_network.experts: rows not estimated yet, 8192 bytes, no other session holds a lock on it now");
    }
}
