//! The database edge: connecting (`connect/`), the session, the tracker, the guard, applying a
//! migration (`apply`, `notx`) and what watches it; and here, the thin layer over tokio-postgres that
//! every one of them uses.
//!
//! Only the simple query protocol is used, on purpose: it prepares nothing server-side, so it works
//! through PgBouncer in transaction mode ("prepared statement already exists" cannot happen), and one
//! message can carry a whole migration with its tracker row. Values are spliced in only after
//! `literal()` quoting, and only values en-migrate itself made (names, checksums, numbers).

pub mod apply;
pub mod connect;
pub mod guard;
pub mod lint_live;
pub mod notx;
pub mod preflight;
pub mod progress;
pub mod schema_record;
pub mod session;
pub mod stall;
pub mod stop;
pub mod tracker;

use tokio_postgres::{Client, SimpleQueryMessage};

/// Every row of every statement in `sql`, as optional text cells.
pub async fn rows(
    client: &Client,
    sql: &str,
) -> Result<Vec<Vec<Option<String>>>, tokio_postgres::Error> {
    let msgs = client.simple_query(sql).await?;
    Ok(msgs
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(r) => {
                Some((0..r.len()).map(|i| r.get(i).map(str::to_string)).collect())
            }
            _ => None,
        })
        .collect())
}

/// The first cell of the first row.
pub async fn value(client: &Client, sql: &str) -> Result<Option<String>, tokio_postgres::Error> {
    Ok(rows(client, sql)
        .await?
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next().flatten()))
}

/// A string literal, quoted for splicing into SQL.
pub fn literal(s: &str) -> String {
    postgres_protocol::escape::escape_literal(s)
}

/// The parts of a server error that en-migrate reports.
#[derive(Debug, Clone, Default)]
pub struct ServerError {
    pub code: String,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
    /// 1-based character position in the query text, when the server gave one.
    pub position: Option<usize>,
    /// The server's CONTEXT: the PL/pgSQL line, the function or the COPY row it was in.
    pub context: Option<String>,
}

pub fn server_error(e: &tokio_postgres::Error) -> Option<ServerError> {
    let db = e.as_db_error()?;
    Some(ServerError {
        code: db.code().code().to_string(),
        message: db.message().to_string(),
        detail: db.detail().map(str::to_string),
        hint: db.hint().map(str::to_string),
        position: match db.position() {
            Some(tokio_postgres::error::ErrorPosition::Original(p)) => Some(*p as usize),
            _ => None,
        },
        context: db.where_().map(str::to_string),
    })
}

/// Like [`rows`], but a failure says how many of `sql`'s statements completed before it: the failing
/// one is the next, which names its line when the server gives no position (a runtime error).
pub async fn rows_counted(
    client: &Client,
    sql: &str,
) -> Result<Vec<Vec<Option<String>>>, (tokio_postgres::Error, usize)> {
    use futures_util::StreamExt;
    let stream = client.simple_query_raw(sql).await.map_err(|e| (e, 0))?;
    futures_util::pin_mut!(stream);
    let (mut out, mut done) = (Vec::new(), 0);
    while let Some(msg) = stream.next().await {
        match msg.map_err(|e| (e, done))? {
            SimpleQueryMessage::Row(r) => {
                out.push((0..r.len()).map(|i| r.get(i).map(str::to_string)).collect())
            }
            SimpleQueryMessage::CommandComplete(_) => done += 1,
            _ => {}
        }
    }
    Ok(out)
}

/// Byte offset of the first token of statement `k` (0-based) of `text`, whose statements end at
/// `ends` (from the fence): past the whitespace and comments that lead it.
pub fn statement_start(text: &str, ends: &[usize], k: usize) -> Option<usize> {
    let from = if k == 0 { 0 } else { *ends.get(k - 1)? };
    let b = text.as_bytes();
    let mut i = from.min(b.len());
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b';') {
            i += 1;
        }
        if b[i..].starts_with(b"--") {
            i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n + 1);
        } else if b[i..].starts_with(b"/*") {
            i = memchr::memmem::find(&b[i + 2..], b"*/").map_or(b.len(), |n| i + n + 4);
        } else {
            break;
        }
    }
    (i < b.len()).then_some(i)
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let head = &text[..offset.min(text.len())];
    let line = 1 + memchr::memchr_iter(b'\n', head.as_bytes()).count();
    let col_start = head.rfind('\n').map_or(0, |n| n + 1);
    (line, head[col_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_starts_skip_comments_and_blank_lines() {
        let text = "-- header\nCREATE TABLE a (id int);\n\n/* why */\n  SELECT 1/0;\n";
        let ends = [text.find(';').unwrap() + 1, text.rfind(';').unwrap() + 1];
        let first = statement_start(text, &ends, 0).unwrap();
        assert_eq!(line_column(text, first), (2, 1));
        let second = statement_start(text, &ends, 1).unwrap();
        assert_eq!(line_column(text, second), (5, 3));
        assert_eq!(statement_start(text, &ends, 2), None);
        assert_eq!(line_column("é\nab", 4), (2, 2));
    }
}
