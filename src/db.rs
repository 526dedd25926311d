//! The thin layer over tokio-postgres that every database part uses.
//!
//! Only the simple query protocol is used, on purpose: it prepares nothing server-side, so it works
//! through PgBouncer in transaction mode ("prepared statement already exists" cannot happen), and one
//! message can carry a whole migration with its tracker row. Values are spliced in only after
//! `literal()` quoting, and only values en-migrate itself made (names, checksums, numbers).

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
    })
}
