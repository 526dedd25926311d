//! The two calls into libpg_query the fence makes, without the limits pg_query's wrappers add on top
//! of the server's grammar: `pg_query::parse` decodes with prost's default recursion limit (100, which a
//! 50-term `||` chain or 30 nested CASEs exceed) and then walks the whole tree again to list tables
//! and functions the fence never reads (seconds and gigabytes for a million-literal IN list);
//! `pg_query::parse_plpgsql` reads its JSON with serde_json's 128-level limit (40 nested IFs).
//!
//! Here the protobuf is decoded with prost's `no-recursion-limit` feature (Cargo.toml) and the JSON
//! with the limit disabled and the stack grown on demand (serde_stacker), so the only limit left is the
//! server's own. Owns nothing else; must never interpret the tree.

use pg_query::protobuf::ParseResult;
use prost::Message;
use std::ffi::{c_char, c_int, CStr, CString};

#[repr(C)]
struct PgQueryError {
    message: *mut c_char,
    funcname: *mut c_char,
    filename: *mut c_char,
    lineno: c_int,
    cursorpos: c_int,
    context: *mut c_char,
}

#[repr(C)]
struct PgQueryProtobuf {
    len: usize,
    data: *mut c_char,
}

#[repr(C)]
struct PgQueryProtobufParseResult {
    parse_tree: PgQueryProtobuf,
    stderr_buffer: *mut c_char,
    error: *mut PgQueryError,
}

#[repr(C)]
struct PgQueryPlpgsqlParseResult {
    plpgsql_funcs: *mut c_char,
    error: *mut PgQueryError,
}

// Linked from the libpg_query that the pg_query crate builds; the layouts above are pg_query.h's.
extern "C" {
    fn pg_query_parse_protobuf_opts(
        input: *const c_char,
        options: c_int,
    ) -> PgQueryProtobufParseResult;
    fn pg_query_free_protobuf_parse_result(result: PgQueryProtobufParseResult);
    fn pg_query_parse_plpgsql(input: *const c_char) -> PgQueryPlpgsqlParseResult;
    fn pg_query_free_plpgsql_parse_result(result: PgQueryPlpgsqlParseResult);
}

/// The message of a libpg_query error, as pg_query's `Error` would print it.
///
/// # Safety
/// `error` is a non-null pointer from a libpg_query result that has not been freed yet.
unsafe fn message(error: *const PgQueryError) -> String {
    // SAFETY: the caller guarantees `error` is live; libpg_query always sets `message`.
    let m = unsafe { CStr::from_ptr((*error).message) };
    pg_query::Error::Parse(m.to_string_lossy().into_owned()).to_string()
}

/// Parses SQL text (mode 0: a list of statements; other modes as PL/pgSQL's expressions use them).
pub fn sql(text: &str, mode: i32) -> Result<ParseResult, String> {
    with_encoded(text, mode, decode)?
}

/// Parses SQL text into the protobuf bytes of its tree, for `decode`: a tree kept for later takes a
/// tenth of its decoded size this way, and most of a parse's cost is making these bytes.
pub fn sql_encoded(text: &str, mode: i32) -> Result<Vec<u8>, String> {
    with_encoded(text, mode, |data| Ok(data.to_vec()))?
}

/// Decodes what `sql_encoded` made.
pub fn decode(data: &[u8]) -> Result<ParseResult, String> {
    ParseResult::decode(data).map_err(|e| format!("cannot decode the parse tree: {e}"))
}

thread_local! {
    /// Whether this thread has called libpg_query on its own stack (`prime`).
    static PRIMED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Makes one call of libpg_query on this thread's own stack, once per thread, ahead of calls on a
/// stack of stacker's (`fence::on_deep_stack`). libpg_query sizes its stack-depth budget
/// (PostgreSQL's max_stack_depth) at each call by the headroom left below it on the thread's own
/// stack; on another stack it cannot measure that and keeps the budget of the thread's last call,
/// which before any call is PostgreSQL's floor of 100 kB: a view of 1000 nested CASEs, which the
/// server accepts, failed to parse there once no split by the scanner came first.
pub fn prime() {
    if !PRIMED.get() {
        let _ = with_encoded("", 0, |_| ());
        PRIMED.set(true);
    }
}

/// `read` over the protobuf bytes of `text`'s parse tree, or the parser's error.
fn with_encoded<T>(text: &str, mode: i32, read: impl FnOnce(&[u8]) -> T) -> Result<T, String> {
    let input = CString::new(text).map_err(|e| format!("the text holds a NUL byte: {e}"))?;
    // SAFETY: `input` is a valid NUL-terminated string that outlives the call; the result is freed
    // exactly once below, after its buffers were read.
    unsafe {
        let result = pg_query_parse_protobuf_opts(input.as_ptr(), mode);
        let out = if result.error.is_null() {
            let data = std::slice::from_raw_parts(
                result.parse_tree.data as *const u8,
                result.parse_tree.len,
            );
            Ok(read(data))
        } else {
            Err(message(result.error))
        };
        pg_query_free_protobuf_parse_result(result);
        out
    }
}

/// Why a PL/pgSQL body could not be read.
#[derive(Debug)]
pub enum PlError {
    /// libpg_query refused the text (PostgreSQL's own PL/pgSQL grammar).
    Syntax(String),
    /// The tree libpg_query wrote holds a statement kind or field `plpgsql.rs` does not know.
    Shape(String),
}

impl std::fmt::Display for PlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlError::Syntax(e) | PlError::Shape(e) => f.write_str(e),
        }
    }
}

/// Parses a CREATE FUNCTION / DO statement's PL/pgSQL body into the typed tree of `plpgsql.rs`.
pub fn plpgsql(text: &str) -> Result<Vec<super::plpgsql::Function>, PlError> {
    plpgsql_as(text)
}

/// The same parse, untyped: for the model, which only collects the SQL a DO block runs and judges
/// nothing (the fence reads the typed tree, which refuses what it does not know).
pub fn plpgsql_json(text: &str) -> Result<serde_json::Value, PlError> {
    plpgsql_as(text)
}

/// The PL/pgSQL parse read as `T`, without serde_json's recursion limit (the stack grows instead).
fn plpgsql_as<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, PlError> {
    plpgsql_with(text, |raw| {
        let mut de = serde_json::Deserializer::from_str(raw);
        de.disable_recursion_limit();
        let de = serde_stacker::Deserializer::new(&mut de);
        T::deserialize(de)
            .map_err(|e| PlError::Shape(format!("cannot read the PL/pgSQL tree: {e}")))
    })
}

fn plpgsql_with<T>(
    text: &str,
    read: impl FnOnce(&str) -> Result<T, PlError>,
) -> Result<T, PlError> {
    let input = CString::new(text)
        .map_err(|e| PlError::Syntax(format!("the text holds a NUL byte: {e}")))?;
    // SAFETY: as in `sql`; the JSON text is read before the result is freed.
    unsafe {
        let result = pg_query_parse_plpgsql(input.as_ptr());
        let out = if result.error.is_null() {
            let raw = CStr::from_ptr(result.plpgsql_funcs).to_string_lossy();
            read(&raw)
        } else {
            Err(PlError::Syntax(message(result.error)))
        };
        pg_query_free_plpgsql_parse_result(result);
        out
    }
}
