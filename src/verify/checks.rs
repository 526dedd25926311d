//! The checks of `verify` that need no database: expert_network's tables against the migrations,
//! BetterAuth's tables in public, and the migrations against the tracker. Each returns its finding as
//! a value, naming what is wrong and what to do.

use super::{fail, pass, plural, them, BETTER_AUTH};
use crate::db::tracker::Applied;
use crate::db::tracker::Shape;
use crate::db::tracker::TABLE as TRACKER;
use crate::fence::SCHEMA;
use crate::files::migration::Migration;
use crate::plan::{self, Options, State};
use crate::report::{VerifyCheck, VerifyTable};
use std::collections::BTreeSet;

/// expert_network holds exactly the tables that the migrations create.
pub fn schema_tables(
    expected: &BTreeSet<String>,
    tables: &[VerifyTable],
    schema_exists: bool,
) -> VerifyCheck {
    const NAME: &str = "expert_network";
    let found: BTreeSet<&str> = tables
        .iter()
        .filter(|t| t.schema == SCHEMA)
        .map(|t| t.table.as_str())
        .collect();
    let missing: Vec<&str> = expected
        .iter()
        .map(String::as_str)
        .filter(|t| !found.contains(t))
        .collect();
    let unexpected: Vec<&str> = found
        .iter()
        .copied()
        .filter(|t| !expected.contains(*t))
        .collect();
    if !schema_exists {
        return fail(
            NAME,
            format!("schema {SCHEMA} does not exist; run `en-migrate up`"),
        );
    }
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!(
            "missing {} (the migrations create {}; run `en-migrate up`, or restore from a backup)",
            missing.join(", "),
            them(missing.len())
        ));
    }
    if !unexpected.is_empty() {
        problems.push(format!(
            "unexpected {} (no migration creates {}; drop {} or add the migration that makes {})",
            unexpected.join(", "),
            them(unexpected.len()),
            them(unexpected.len()),
            them(unexpected.len())
        ));
    }
    if problems.is_empty() {
        pass(
            NAME,
            format!(
                "{} table{}, exactly those the migrations create",
                found.len(),
                plural(found.len())
            ),
        )
    } else {
        fail(NAME, problems.join("; "))
    }
}

/// public holds BetterAuth's four tables.
pub fn betterauth(tables: &[VerifyTable]) -> VerifyCheck {
    const NAME: &str = "betterauth";
    let missing: Vec<String> = BETTER_AUTH
        .iter()
        .filter(|n| {
            !tables
                .iter()
                .any(|t| t.schema == "public" && t.table == **n)
        })
        .map(|n| format!("public.{n}"))
        .collect();
    if missing.is_empty() {
        pass(
            NAME,
            "public.user, session, account and verification are there".into(),
        )
    } else {
        fail(
            NAME,
            format!("missing {}: BetterAuth creates them, en-migrate never does; is this the shared database BetterAuth uses?", missing.join(", ")),
        )
    }
}

/// Every migration applied, none pending, changed or missing.
pub fn migrations(shape: &Shape, files: &[Migration], rows: &[Applied]) -> VerifyCheck {
    const NAME: &str = "migrations";
    if let Shape::Foreign(_) = shape {
        return fail(NAME, format!("cannot tell what was applied: {TRACKER} is not en-migrate's tracker (see the tracker check)"));
    }
    let p = plan::plan(files, rows, Options::default());
    let names = |s: State| {
        p.entries
            .iter()
            .filter(|e| e.state == s)
            .map(|e| e.name.clone())
            .collect::<Vec<_>>()
    };
    // A migration of a newer release (`State::Ahead`) has no file here either: verify, which checks that
    // the database matches these files, names it with the missing ones.
    let (applied, pending, mut missing) = (
        names(State::Applied),
        names(State::Pending),
        names(State::Missing),
    );
    missing.extend(names(State::Ahead));
    let changed: Vec<String> = p
        .entries
        .iter()
        .filter(|e| e.state == State::Changed)
        .map(|e| {
            if e.repeatable {
                return format!("{} (repeatable: edited, or --set changed, since applied; `en-migrate up` re-applies it)", e.name);
            }
            let recorded = e
                .row
                .and_then(|r| rows[r].checksum.clone())
                .unwrap_or_default();
            let now = e
                .file
                .map(|f| files[f].checksum.clone())
                .unwrap_or_default();
            format!(
                "{} (applied as {}, the file is now {})",
                e.name,
                short(&recorded),
                short(&now)
            )
        })
        .collect();
    let mut problems = Vec::new();
    if !pending.is_empty() {
        problems.push(format!(
            "pending {}: run `en-migrate up`",
            pending.join(", ")
        ));
    }
    if !changed.is_empty() {
        problems.push(format!("changed since applied {}: restore the file (git checkout) and write a new migration for the change", changed.join(", ")));
    }
    if !missing.is_empty() {
        problems.push(format!("applied but no file {}: restore the file, or point --dir at the migrations this database was built from", missing.join(", ")));
    }
    if !problems.is_empty() {
        return fail(NAME, problems.join("; "));
    }
    let mut detail = format!(
        "{} applied, none pending, changed or missing",
        applied.len()
    );
    let held = names(State::Held);
    if !held.is_empty() {
        detail += &format!(
            "; post-deploy {} held (`en-migrate up --post-deploy` applies {})",
            held.join(", "),
            them(held.len())
        );
    }
    if !p.backfill.is_empty() {
        detail += &format!(
            "; {} adopted without a recorded checksum (the next `en-migrate up` records it)",
            p.backfill.len()
        );
    }
    pass(NAME, detail)
}

/// The first 12 hex digits, enough to tell two checksums apart in a message.
fn short(checksum: &str) -> &str {
    checksum.get(..12).unwrap_or(checksum)
}
