//! The SQL of one migration's transaction, built as text: what opens it (the pins, the lock, the
//! guard's start), what closes it (the guard's end, the session put back, the tracker row), the one
//! message a migration travels in and where a large one is cut. Pure: apply.rs sends it.

use super::Settings;
use crate::db::tracker::{self, LOCK_KEY};
use crate::db::{self, guard};
use crate::files::migration::Migration;

/// The statements that open every en-migrate transaction: the pins, the lock, (with a tracker) the
/// check that nobody applied anything since we last read it, and (with `guard`) the state of public
/// before the migration.
pub fn open_sql(s: &Settings, last_id: Option<i64>, baseline: &guard::Baseline<'_>) -> String {
    // The marker lets a second session find this transaction's backend (stall.rs).
    let mut sql = match s.isolation {
        Some(level) => format!(
            "{}BEGIN ISOLATION LEVEL {level};\n",
            crate::db::stall::marker()
        ),
        None => format!("{}BEGIN;\n", crate::db::stall::marker()),
    };
    sql += &pins_sql(s, RUNNER_PATH);
    sql += &guard::begin_sql(s.session_functions, LOCK_KEY, last_id, baseline);
    sql += MIGRATION_PATH;
    sql
}

/// The guard's start over public, run for its side effects on the session alone (catalog caches,
/// the session functions' plans) inside the tracker's open creation, where nothing waits for it
/// (`up`'s `ahead`). Every error is caught in a block of its own, so the transaction its COMMIT
/// follows is never aborted by it; what it sets (`set_config(..., true)`) ends with that transaction.
pub fn warm_up_sql(s: &Settings) -> String {
    let call = if s.session_functions {
        format!(
            "PERFORM pg_temp.en_migrate_begin_{}(NULL, true, NULL);",
            guard::tag()
        )
    } else {
        format!(
            "{};",
            guard::begin_body(
                LOCK_KEY,
                "last_id bigint := NULL; guard boolean := true; base text := NULL;"
            )
        )
    };
    // OTHERS leaves out a cancel (a statement_timeout, a stop's cancel request) and a failed ASSERT.
    format!("DO $en$ BEGIN {call} EXCEPTION WHEN OTHERS OR query_canceled OR assert_failure THEN NULL; END $en$;")
}

/// The path en-migrate's own statements run under (the guard's start in a DO block, the tracker
/// row): expert_network holds what earlier migrations made, and first on the path an operator or a
/// type of its (`-` for two timestamptz, a domain `text`) would be found before pg_catalog's in the
/// runner's unqualified operators and casts, running migration code after the guard had looked.
const RUNNER_PATH: &str = "SET LOCAL search_path = pg_catalog, pg_temp;\n";

/// The migration's path. Pinned: unqualified names cannot resolve into public, and pg_temp is
/// searched last, never first.
const MIGRATION_PATH: &str = "SET LOCAL search_path = expert_network, pg_catalog, pg_temp;\n";

/// Everything the runner relies on, pinned for the transaction: at its start, and again after the
/// migration (after `RESET ALL`) for the tracker row, with `path` (see `RUNNER_PATH`).
fn pins_sql(s: &Settings, path: &str) -> String {
    let mut sql = String::from(path);
    // Strings are read as the fence read them (libpg_query assumes standard_conforming_strings).
    sql += "SET LOCAL standard_conforming_strings = on;\n";
    sql += &format!(
        "SET LOCAL lock_timeout = '{}ms';\n",
        s.ddl_lock_timeout.as_millis()
    );
    if let Some(t) = s.statement_timeout {
        sql += &format!("SET LOCAL statement_timeout = '{}ms';\n", t.as_millis());
    }
    // A client that stops answering (a hung proxy, a dead pod) leaves this transaction idle, holding
    // its locks: the server ends it within this bound. en-migrate itself never idles in it longer than a
    // round trip (COMMIT follows the migration at once).
    sql += "SET LOCAL idle_in_transaction_session_timeout = '30s';\n";
    if s.check_interval {
        // A killed client's backend notices within seconds even in the middle of a long statement.
        sql += "SET LOCAL client_connection_check_interval = '2s';\n";
    }
    sql
}

/// What follows a migration: the guard (guard.rs, which sees the session as the migration left it),
/// then the session put back, so that whatever the migration SET or RESET (pg_dump's header, a
/// `set_config('search_path', '', false)`, `SET lock_timeout`) took effect for it alone: `RESET ALL`
/// (which leaves the role and the session user alone; the guard has refused a migration that changed
/// those), the path the tracker row needs, `standard_conforming_strings` for the session (see
/// `SESSION_PINS`), the start time that `RESET ALL` cleared (the transaction's), the tracker row, and
/// the transaction made read-only (`guard::SEAL`). The next migration pins the rest itself.
pub fn close_sql(s: &Settings, m: &Migration, base: &str) -> String {
    let current = s.migration_role.as_deref().unwrap_or(&s.session_user);
    let mut sql = guard::end_sql(
        s.session_functions,
        s.function_oids.as_deref(),
        base,
        &guard::expect(current, &s.session_user),
    );
    if m.allows.iter().any(|(_, r)| r == "dynamic-sql") {
        sql += guard::NO_DYNAMIC_DEFINERS;
    }
    // Pinned again after RESET ALL: the path the tracker row needs, and the stall bounds, so a client
    // that goes silent before COMMIT still leaves no lock behind.
    sql += "RESET ALL;\n";
    sql += &pins_sql(s, RUNNER_PATH);
    sql += SESSION_PINS;
    sql += "SELECT pg_catalog.set_config('en_migrate.t0', pg_catalog.now()::text, true);\n";
    sql += &tracker::record_sql(m);
    sql += ";\n";
    if s.record_schema {
        sql += &crate::db::schema_record::record_sql();
    }
    sql += guard::SEAL;
    sql
}

/// Settings that must hold for the session, not only the transaction: PostgreSQL lexes a whole
/// message before it runs any of it, so a `SET LOCAL` inside the message comes too late for the
/// migration's own string literals, which must be read as the fence read them whatever the role's or
/// database's default. Set once when the session opens and again after each migration's `RESET ALL`.
/// `check_function_bodies` on: the fence takes an SQL string body's calls as resolved by the server
/// when the function is made unless the file names that setting; a role's or database's default of
/// off let a wrapper's call of an extension's function that sat in public be made unresolved, and
/// raguser's own function of its name then ran as the superuser in ANALYZE (PG 15, refuse corpus 142).
pub const SESSION_PINS: &str =
    "SET standard_conforming_strings = on;\nSET check_function_bodies = on;\n";

/// After the opening: the migration's own role, once the lock and the tracker check ran as en-migrate.
pub fn role_sql(s: &Settings) -> String {
    s.migration_role
        .as_deref()
        .map(|r| format!("SET LOCAL ROLE {};\n", db::literal(r)))
        .unwrap_or_default()
}

/// The transaction of `ensure_tracker`.
pub fn ensure_tracker_sql(s: &Settings, backfill: &[(i64, String)]) -> String {
    let mut sql = tracker_open_sql(s, backfill);
    sql += "COMMIT;";
    sql
}

/// `ensure_tracker_sql` without its COMMIT: the transaction stays open, holding the lock, for a
/// COMMIT sent once the run's last checks have passed (`up`'s `ahead`), or a ROLLBACK if not.
pub fn tracker_open_sql(s: &Settings, backfill: &[(i64, String)]) -> String {
    let mut sql = open_sql(s, None, &guard::Baseline::None);
    // The tracker's DDL names types and a default (`TEXT`, `NOW()`) that must be pg_catalog's.
    sql += RUNNER_PATH;
    sql += &tracker::ensure_sql();
    for (id, sum) in backfill {
        sql += &tracker::backfill_sql(*id, sum);
        sql += ";\n";
    }
    sql
}

/// The one message that carries a migration to its tracker row (COMMIT follows apart), and the
/// character offset of the migration's text in it. `up --dry-run --sql` prints what this builds.
pub fn message(open: &str, text: &str, close: &str) -> (String, usize) {
    let mut sql = String::with_capacity(open.len() + text.len() + close.len() + 3);
    sql += open;
    let start_char = sql.chars().count();
    sql += text;
    // A migration may end without a semicolon or inside a line comment.
    sql += "\n;\n";
    sql += close;
    (sql, start_char)
}

/// The text as it is sent, when it differs from the file: its `BEGIN;` ... `COMMIT;` blocks dropped (a
/// wrapper around the whole file, or Prisma's blocks inside one: en-migrate's transaction is the
/// migration's; see `transaction_blocks`), and under `--migration-role` the
/// shipped `CREATE SCHEMA IF NOT EXISTS expert_network` too, a no-op once the schema exists (checked
/// before the run: it must, owned by that role) that PostgreSQL would still refuse to a role without
/// CREATE on the database. Blanked with spaces, so the server's positions and lines stay the file's.
pub(super) fn prepare(text: &str, ends: &[usize], s: &Settings) -> Option<String> {
    let mut drop: Vec<std::ops::Range<usize>> = Vec::new();
    drop.extend(crate::files::lexer::transaction_blocks(text, ends));
    // Its level opens the transaction (`open_sql`); run after en-migrate's statements it would fail.
    if s.isolation.is_some() {
        drop.extend(crate::files::lexer::leading_isolation(text).map(|(r, _)| r));
    }
    if s.migration_role.is_some() {
        drop.extend(crate::files::lexer::statements_like(
            text,
            ends,
            &["create", "schema", "if", "not", "exists", "expert_network"],
        ));
    }
    (!drop.is_empty()).then(|| crate::files::lexer::blank(text, &drop))
}

/// Migrations larger than this travel in messages of about this size.
pub const CHUNK: usize = 1 << 20;

/// Ends every part of a migration sent in pieces (and runs between a no-transaction file's statements,
/// each its own message): PostgreSQL lexes a whole message before it runs any
/// of it, so the next part (and the close after the last) is read under whatever the part before left,
/// and a `standard_conforming_strings` turned off, or another `client_encoding`, by a route the fence
/// cannot see (dynamic SQL under the opt-in, a function that existed before) would have the server read
/// its strings unlike the fence did. Raising here aborts the transaction, so the next part is never
/// sent. One `IF` per part; ASCII without backslashes and qualified functions only, so it reads and
/// runs the same under any setting or search_path the migration left (`line` is where the part ends).
pub fn lexed_as_fenced_sql(line: usize) -> String {
    format!(
        "DO $en$ BEGIN IF NOT (pg_catalog.texteq(pg_catalog.current_setting('standard_conforming_strings'), 'on') \
         AND pg_catalog.texteq(pg_catalog.current_setting('client_encoding'), 'UTF8')) THEN \
         RAISE EXCEPTION 'the migration changed how PostgreSQL reads its text' USING ERRCODE = '{}', \
         DETAIL = pg_catalog.concat('up to line {line} it left standard_conforming_strings = ', \
         pg_catalog.current_setting('standard_conforming_strings'), ' and client_encoding = ', \
         pg_catalog.current_setting('client_encoding'), ', under which the server would read the rest of the file ', \
         'unlike the fence read it. Keep standard_conforming_strings on and client_encoding UTF8'); \
         END IF; END $en$;\n",
        guard::BREACH
    )
}

/// Where to cut `len` bytes of text into messages of about `CHUNK`, at statement ends.
pub(super) fn cuts(ends: &[usize], len: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut last = 0;
    for &e in ends {
        if e - last >= CHUNK {
            out.push(e);
            last = e;
        }
    }
    if last < len {
        out.push(len);
    }
    out
}
