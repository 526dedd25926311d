//! Unit tests of the renderers: each output, written to a buffer, snapshotted whole. The findings and
//! warnings come from the real fence and lint over a small file, so the snapshots show what a user
//! reads.

use super::check::*;
use super::status::*;
use super::up::*;
use super::*;
use crate::fence::Finding;
use crate::lint::TableInfo;
use crate::plan::testing::file;
use crate::plan::State;

/// What `render` writes, as text.
fn text(render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    render(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// A migration the fence refuses twice and the lint warns about (one with a live table's size).
fn refused_and_linted() -> (Vec<Finding>, Vec<crate::lint::Warning>) {
    let body = "CREATE TABLE public.stolen (id int);\n\
                ALTER TABLE expert_network.experts ADD COLUMN n int NOT NULL DEFAULT pg_catalog.random()::int;\n\
                CREATE INDEX experts_n ON expert_network.experts (n);\n\
                SET search_path = public;\n";
    let m = file(4, body);
    let findings = crate::fence::check(&m).findings;
    let mut warnings = crate::lint::lint(&m);
    if let Some(w) = warnings.first_mut() {
        w.table = Some(TableInfo {
            name: "expert_network.experts".into(),
            rows_estimate: Some(1200),
            bytes: 98304,
            sessions: 2,
        });
    }
    (findings, warnings)
}

fn snap(name: &str, value: String) {
    crate::snapshots().bind(|| insta::assert_snapshot!(name, value));
}

#[test]
fn check_text_with_and_without_github_annotations() {
    let (findings, warnings) = refused_and_linted();
    assert!(findings.len() >= 2 && !warnings.is_empty());
    let rep = CheckReport {
        migrations: 4,
        statements: 9,
        findings,
        warnings,
    };
    snap("report_check", text(|w| write_check(w, &rep, false)));
    snap("report_check_github", text(|w| write_check(w, &rep, true)));
    let clean = CheckReport {
        migrations: 1,
        statements: 1,
        findings: vec![],
        warnings: vec![],
    };
    snap("report_check_ok", text(|w| write_check(w, &clean, false)));
}

#[test]
fn up_text_applied_nothing_to_do_and_dry_run() {
    let applied = AppliedItem {
        version: Some(4),
        name: "004_m4.sql".into(),
        duration_ms: 12,
    };
    let rep = UpReport {
        applied: vec![applied.clone()],
        already_applied: 3,
        ahead: vec!["009_newer.sql".into()],
        adopted: vec!["001_create_expert_network_schema.sql".into()],
        held: vec!["005_drop.sql".into()],
        total_ms: 40,
        ..UpReport::default()
    };
    let nothing = UpReport {
        already_applied: 1,
        ..UpReport::default()
    };
    let (_, warnings) = refused_and_linted();
    let dry = UpReport {
        dry_run: true,
        already_applied: 3,
        plan: vec!["004_m4.sql".into(), "R_summary.sql".into()],
        warnings,
        ..UpReport::default()
    };
    let all = [
        text(|w| write_applied(w, &applied)),
        text(|w| write_up(w, &rep, false)),
        text(|w| write_up(w, &nothing, false)),
        text(|w| write_up(w, &dry, false)),
        text(|w| {
            write_up(
                w,
                &UpReport {
                    dry_run: true,
                    ..UpReport::default()
                },
                false,
            )
        }),
    ];
    snap("report_up", all.join("---\n"));
}

#[test]
fn status_table_lists_every_state_and_the_ahead_line() {
    let row = |version: Option<u64>, name: &str, state: State, at: Option<&str>| StatusRow {
        version,
        name: name.into(),
        state,
        repeatable: version.is_none(),
        applied_at: at.map(str::to_string),
        execution_ms: at.map(|_| 7),
    };
    let rows = [
        row(
            Some(1),
            "001_a.sql",
            State::Applied,
            Some("2026-01-02 03:04:05.678901"),
        ),
        row(
            Some(2),
            "002_b.sql",
            State::Changed,
            Some("2026-01-02 03:04:06"),
        ),
        row(Some(3), "003_a_much_longer_name.sql", State::Pending, None),
        row(Some(4), "004_post.sql", State::Held, None),
        row(None, "R_summary.sql", State::Pending, None),
        row(
            Some(8),
            "008_gone.sql",
            State::Missing,
            Some("2026-01-02 03:04:07"),
        ),
        row(
            Some(9),
            "009_newer.sql",
            State::Ahead,
            Some("2026-01-02 03:04:08"),
        ),
    ];
    snap(
        "report_status",
        text(|w| write_status(w, &rows, &["009_newer.sql".to_string()])),
    );
}

#[test]
fn verify_lists_tables_checks_and_the_summary() {
    let table = |schema: &str, table: &str, purpose: &str| VerifyTable {
        schema: schema.into(),
        table: table.into(),
        purpose: purpose.into(),
    };
    let rep = VerifyReport {
        tables: vec![
            table("expert_network", "campaigns", "Expert Networks App"),
            table("public", "account", "BetterAuth"),
            table("public", "schema_migrations", "en-migrate tracker"),
        ],
        checks: vec![
            VerifyCheck {
                name: "grants",
                ok: false,
                detail: "raguser lacks INSERT on table expert_network.campaigns".into(),
            },
            VerifyCheck {
                name: "vendor-seeds",
                ok: true,
                detail: "skipped: no vendor seeds in --dir".into(),
            },
        ],
        summary:
            "public: 1 BetterAuth table + 1 other table; expert_network: 1 Expert Networks table"
                .into(),
        ok: false,
    };
    snap("report_verify", text(|w| write_verify(w, &rep)));
}

#[test]
fn rules_list_every_rule_with_its_default_and_example() {
    let out = text(write_rules);
    assert_eq!(
        out.lines().filter(|l| !l.starts_with("  ")).count(),
        crate::lint::Rule::ALL.len()
    );
    snap("report_rules", out);
}

#[test]
fn the_document_carries_command_ok_and_the_error() {
    let mut doc = serde_json::Map::new();
    doc.insert("applied".into(), serde_json::json!([]));
    let ok = text(|w| write_document(w, doc.clone(), "up", None));
    use crate::exit::Fail;
    let err = ErrorDoc::new(
        &anyhow::anyhow!("cannot read the tracker").hint("run `en-migrate status` to see"),
        1,
    );
    let failed = text(|w| write_document(w, doc.clone(), "up", Some(err)));
    // A migration's failure: where, what the server said, and the hint from the error's field, with
    // the exit code's kind given by its field.
    let located = anyhow::Error::new(MigrationError {
        text: "sql/002_b.sql at line 4, column 3 failed and was rolled back (SQLSTATE 22012): division by zero".into(),
        at: Located {
            file: Some("sql/002_b.sql".into()),
            line: Some(4),
            column: Some(3),
            sqlstate: Some("22012".into()),
            detail: Some("the detail".into()),
            context: Some("PL/pgSQL function inline_code_block line 3 at RAISE".into()),
        },
    })
    .hint("the server's hint");
    let migration =
        text(|w| write_document(w, doc.clone(), "up", Some(ErrorDoc::new(&located, 1))));
    let refused = anyhow::anyhow!("2 statements refused").kind(crate::exit::Kind::Refused);
    let refused = text(|w| write_document(w, doc, "up", Some(ErrorDoc::new(&refused, 3))));
    snap(
        "report_document",
        [ok, failed, migration, refused].join("---\n"),
    );
}
