//! Unit tests of verify's pure parts: classification, the summary line, and the checks that need no
//! database (tables, BetterAuth, migrations). The database parts are tested in tests/verify.rs.

use super::checks::{betterauth, migrations, schema_tables};
use super::*;
use crate::db::tracker::Applied;
use crate::plan::testing::{file, row};
use std::collections::BTreeSet;

fn table(schema: &str, name: &str) -> VerifyTable {
    VerifyTable {
        schema: schema.into(),
        table: name.into(),
        purpose: purpose(schema, name).into(),
    }
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

#[test]
fn purposes_follow_the_seeds_query_plus_the_tracker() {
    assert_eq!(purpose("public", "user"), "BetterAuth");
    assert_eq!(purpose("public", "verification"), "BetterAuth");
    assert_eq!(
        purpose("expert_network", "campaigns"),
        "Expert Networks App"
    );
    // Classified by schema: a table called user in expert_network is ours.
    assert_eq!(purpose("expert_network", "user"), "Expert Networks App");
    assert_eq!(purpose("public", "schema_migrations"), "en-migrate tracker");
    assert_eq!(purpose("public", "campaigns"), "Other App");
    assert_eq!(purpose("public", "users"), "Other App");
}

#[test]
fn summary_counts_what_was_found_in_the_seeds_words() {
    let mut tables: Vec<VerifyTable> = BETTER_AUTH.iter().map(|t| table("public", t)).collect();
    tables.extend(["chats", "documents"].iter().map(|t| table("public", t)));
    tables.push(table("public", "schema_migrations"));
    tables.extend((0..11).map(|i| table("expert_network", &format!("t{i}"))));
    assert_eq!(
        summary(&tables),
        "public: 4 BetterAuth tables + 2 other tables; expert_network: 11 Expert Networks tables"
    );
    assert_eq!(
        summary(&[table("public", "user"), table("public", "x")]),
        "public: 1 BetterAuth table + 1 other table; expert_network: 0 Expert Networks tables"
    );
}

#[test]
fn schema_tables_names_missing_and_unexpected() {
    let found = [
        table("expert_network", "a"),
        table("expert_network", "stray"),
        table("public", "b"),
    ];
    let c = schema_tables(&set(&["a", "b", "c"]), &found, true);
    assert!(!c.ok);
    assert!(
        c.detail
            .starts_with("missing b, c (the migrations create them"),
        "{}",
        c.detail
    );
    assert!(
        c.detail
            .contains("unexpected stray (no migration creates it"),
        "{}",
        c.detail
    );

    let c = schema_tables(&set(&["a"]), &[table("expert_network", "a")], true);
    assert!(c.ok, "{}", c.detail);
    assert_eq!(c.detail, "1 table, exactly those the migrations create");

    let c = schema_tables(&set(&["a"]), &[], false);
    assert!(!c.ok);
    assert!(
        c.detail.contains("schema expert_network does not exist"),
        "{}",
        c.detail
    );
}

#[test]
fn betterauth_names_the_missing_tables() {
    let all: Vec<VerifyTable> = BETTER_AUTH.iter().map(|t| table("public", t)).collect();
    assert!(betterauth(&all).ok);
    let c = betterauth(&all[1..3]);
    assert!(!c.ok);
    assert!(
        c.detail
            .starts_with("missing public.user, public.verification:"),
        "{}",
        c.detail
    );
    // The same names in another schema do not count.
    let elsewhere: Vec<VerifyTable> = BETTER_AUTH
        .iter()
        .map(|t| table("expert_network", t))
        .collect();
    assert!(!betterauth(&elsewhere).ok);
}

#[test]
fn migrations_reports_pending_changed_and_missing_by_name() {
    let files = [
        file(1, "SELECT 1;"),
        file(2, "SELECT 2;"),
        file(3, "SELECT 3;"),
    ];
    let rows = [
        row(1, "001_m1.sql", Some(&files[0].checksum)),
        row(2, "002_m2.sql", Some("0123456789abcdef")),
        row(3, "009_gone.sql", Some("x")),
    ];
    let c = migrations(&Shape::Ours, &files, &rows);
    assert!(!c.ok);
    assert!(
        c.detail.contains("pending 003_m3.sql: run `en-migrate up`"),
        "{}",
        c.detail
    );
    assert!(
        c.detail.contains(&format!(
            "002_m2.sql (applied as 0123456789ab, the file is now {})",
            &files[1].checksum[..12]
        )),
        "{}",
        c.detail
    );
    assert!(
        c.detail.contains("applied but no file 009_gone.sql"),
        "{}",
        c.detail
    );

    let rows: Vec<Applied> = files
        .iter()
        .enumerate()
        .map(|(i, f)| row(i as i64 + 1, &f.file_name, Some(&f.checksum)))
        .collect();
    let c = migrations(&Shape::Ours, &files, &rows);
    assert!(c.ok, "{}", c.detail);
    assert_eq!(c.detail, "3 applied, none pending, changed or missing");

    // The earlier runner's rows: applied, checksum not yet recorded.
    let rows = [
        row(1, "001_m1", None),
        row(2, "002_m2.sql", None),
        row(3, "003_m3.sql", None),
    ];
    let c = migrations(
        &Shape::Seed {
            missing: vec!["checksum"],
        },
        &files,
        &rows,
    );
    assert!(c.ok, "{}", c.detail);
    assert!(
        c.detail.contains("3 adopted without a recorded checksum"),
        "{}",
        c.detail
    );

    let c = migrations(&Shape::Absent, &files, &[]);
    assert!(
        !c.ok
            && c.detail
                .contains("pending 001_m1.sql, 002_m2.sql, 003_m3.sql"),
        "{}",
        c.detail
    );
    let c = migrations(
        &Shape::Foreign(vec![("version".into(), "bigint".into())]),
        &files,
        &[],
    );
    assert!(
        !c.ok && c.detail.contains("not en-migrate's tracker"),
        "{}",
        c.detail
    );
}

/// verify's catalog queries, kept as `.sql` files beside it, are PostgreSQL.
#[test]
fn the_catalog_queries_parse() {
    for sql in [
        include_str!("tables.sql"),
        include_str!("leftovers.sql"),
        include_str!("vendor_user_id.sql"),
    ] {
        pg_query::parse(sql, 0).unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}
