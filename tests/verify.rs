//! `en-migrate verify` against a real PostgreSQL: a clean pass on a migrated seed-like database, then
//! each check driven to failure (exit 4, the detail naming what is wrong), a read-only session, and
//! the JSON shape.

mod common;
use common::*;
use serde_json::Value;

/// Runs verify with `--format json`: the exit code and the document.
fn verify_json(db: &TestDb, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["verify", "--format", "json"];
    args.extend_from_slice(extra);
    let r = run(Some(&db.url), &args);
    let v: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\nstderr:\n{}", r.stdout, r.stderr));
    (r.code, v)
}

/// The check called `name`: (ok, detail).
fn check(v: &Value, name: &str) -> (bool, String) {
    let c = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name} in {v:#}"));
    (
        c["ok"].as_bool().unwrap(),
        c["detail"].as_str().unwrap().to_string(),
    )
}

/// Names of the checks that failed.
fn failed(v: &Value) -> Vec<String> {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == false)
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

fn migrated() -> TestDb {
    let db = TestDb::seeded();
    run(Some(&db.url), &["up"]).assert_code(0);
    db
}

/// A copy of the shipped migrations in a temporary directory, for --dir.
fn copy_of_sql() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("sql")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, d.path().join(p.file_name().unwrap())).unwrap();
    }
    d
}

#[test]
fn a_migrated_seed_like_database_passes_with_the_seeds_summary() {
    let db = TestDb::seeded();
    // Before up: not yet what the migrations make it.
    let r = run(Some(&db.url), &["verify"]);
    r.assert_code(4);
    insta::assert_snapshot!("verify_before_up", masked(&r.stdout, &[]));

    run(Some(&db.url), &["up"]).assert_code(0);
    let r = run(Some(&db.url), &["verify"]);
    r.assert_code(0);
    // Counted independently of en-migrate: public's tables other than BetterAuth's four and the tracker.
    let others: usize = db
        .one("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('user', 'session', 'account', 'verification', 'schema_migrations')")
        .parse()
        .unwrap();
    assert!(others > 0);
    let summary = format!("public: 4 BetterAuth tables + {others} other tables; expert_network: 11 Expert Networks tables");
    assert_eq!(
        r.stdout.lines().last(),
        Some(summary.as_str()),
        "{}",
        r.stdout
    );

    insta::assert_snapshot!("verify_after_up", masked(&r.stdout, &[]));
    // verify only reads: nothing new in the tracker, public unchanged.
    assert_eq!(db.applied().len(), 3);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn json_has_the_documented_shape() {
    let db = migrated();
    let (code, v) = verify_json(&db, &[]);
    assert_eq!(code, 0);
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["checks", "command", "ok", "summary", "tables"]);
    assert_eq!(v["command"], "verify");
    assert_eq!(v["ok"], true);
    let tables = v["tables"].as_array().unwrap();
    for t in tables {
        let mut k: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
        k.sort();
        assert_eq!(k, ["purpose", "schema", "table"]);
    }
    let pairs: Vec<(String, String)> = tables
        .iter()
        .map(|t| {
            (
                t["schema"].as_str().unwrap().into(),
                t["table"].as_str().unwrap().into(),
            )
        })
        .collect();
    let mut sorted = pairs.clone();
    sorted.sort();
    assert_eq!(pairs, sorted, "ordered by schema, then table");
    assert_eq!(
        pairs.iter().filter(|(s, _)| s == "expert_network").count(),
        11
    );
    assert_eq!(
        tables
            .iter()
            .filter(|t| t["purpose"] == "BetterAuth")
            .count(),
        4
    );
    let names: Vec<&str> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "expert_network",
            "betterauth",
            "migrations",
            "grants",
            "vendor-seeds",
            "tracker",
            "drift"
        ]
    );
    for c in v["checks"].as_array().unwrap() {
        assert_eq!(c.as_object().unwrap().len(), 3, "{c}");
        assert!(
            c["ok"].is_boolean() && c["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{c}"
        );
    }
    assert!(v["summary"]
        .as_str()
        .unwrap()
        .ends_with("expert_network: 11 Expert Networks tables"));
}

#[test]
fn a_dropped_table_is_missing_by_name() {
    let db = migrated();
    db.exec("DROP TABLE expert_network.user_ui_preferences");
    let (code, v) = verify_json(&db, &[]);
    assert_eq!(code, 4);
    assert_eq!(failed(&v), ["expert_network", "drift"]);
    insta::assert_snapshot!(masked(&check(&v, "drift").1, &[]), @"1 difference from the record of 003_grants.sql (tracker row 3): missing table expert_network.user_ui_preferences; run `en-migrate verify --drift` for the definitions");
    let (_, detail) = check(&v, "expert_network");
    assert!(
        detail.starts_with("missing user_ui_preferences ("),
        "{detail}"
    );
    assert!(
        v["summary"]
            .as_str()
            .unwrap()
            .ends_with("expert_network: 10 Expert Networks tables"),
        "{v:#}"
    );
}

#[test]
fn a_stray_table_in_expert_network_is_unexpected_by_name() {
    let db = migrated();
    // Made by the migrating role, so the default privileges cover it and only the table check fails.
    db.exec("CREATE TABLE expert_network.scratch_copy (id int)");
    let (code, v) = verify_json(&db, &[]);
    assert_eq!(code, 4);
    assert_eq!(failed(&v), ["expert_network", "drift"]);
    let (_, detail) = check(&v, "expert_network");
    assert!(detail.starts_with("unexpected scratch_copy ("), "{detail}");
}

#[test]
fn a_revoked_grant_is_named_by_role_object_and_privilege() {
    let db = migrated();
    db.exec("REVOKE INSERT, DELETE ON expert_network.campaigns FROM raguser");
    let (code, v) = verify_json(&db, &[]);
    assert_eq!(code, 4);
    assert_eq!(failed(&v), ["grants", "drift"]);
    let (_, detail) = check(&v, "grants");
    assert_eq!(
        detail,
        "raguser lacks INSERT, DELETE on table expert_network.campaigns"
    );

    db.exec("REVOKE USAGE ON SCHEMA expert_network FROM expert_network_readonly; ALTER DEFAULT PRIVILEGES IN SCHEMA expert_network REVOKE SELECT ON TABLES FROM expert_network_readonly");
    let (_, v) = verify_json(&db, &[]);
    let (ok, detail) = check(&v, "grants");
    assert!(!ok);
    insta::assert_snapshot!(detail, @"expert_network_readonly lacks USAGE on schema expert_network; raguser lacks INSERT, DELETE on table expert_network.campaigns; expert_network_readonly lacks SELECT on tables created in expert_network later (default privileges)");

    // Sequences: the default privileges give a new one to raguser; a revoke is named.
    db.exec("CREATE SEQUENCE expert_network.ticket_no");
    let (_, v) = verify_json(&db, &[]);
    insta::assert_snapshot!(check(&v, "grants").1, @"expert_network_readonly lacks USAGE on schema expert_network; raguser lacks INSERT, DELETE on table expert_network.campaigns; expert_network_readonly lacks SELECT on tables created in expert_network later (default privileges)");
    db.exec("REVOKE UPDATE ON SEQUENCE expert_network.ticket_no FROM raguser");
    let (_, v) = verify_json(&db, &[]);
    insta::assert_snapshot!(check(&v, "grants").1, @"expert_network_readonly lacks USAGE on schema expert_network; raguser lacks UPDATE on sequence expert_network.ticket_no; raguser lacks INSERT, DELETE on table expert_network.campaigns; expert_network_readonly lacks SELECT on tables created in expert_network later (default privileges)");
    // A sequence is not a table: the table check is unmoved.
    assert!(check(&v, "expert_network").0, "{v:#}");
}

#[test]
fn grants_are_checked_for_the_roles_given_with_set() {
    let db = TestDb::seeded();
    run(
        Some(&db.url),
        &[
            "up",
            "--set",
            "app_role=en_verify_app",
            "--set",
            "readonly_role=en_verify_ro",
        ],
    )
    .assert_code(0);
    let (code, v) = verify_json(
        &db,
        &[
            "--set",
            "app_role=en_verify_app",
            "--set",
            "readonly_role=en_verify_ro",
        ],
    );
    assert_eq!(code, 0, "{v:#}");
    insta::assert_snapshot!(check(&v, "grants").1, @"en_verify_app and en_verify_ro hold what 003_grants.sql grants on expert_network");
    // The default roles were never granted anything in this database.
    let (code, v) = verify_json(&db, &[]);
    assert_eq!(code, 4);
    insta::assert_snapshot!(check(&v, "grants").1, @"raguser lacks USAGE on schema expert_network; expert_network_readonly lacks USAGE on schema expert_network; raguser lacks SELECT, INSERT, UPDATE, DELETE on table expert_network.campaign_team_assignments; expert_network_readonly lacks SELECT on table expert_network.campaign_team_assignments; raguser lacks SELECT, INSERT, UPDATE, DELETE on table expert_network.campaign_vendor_enrollments; expert_network_readonly lacks SELECT on table expert_network.campaign_vendor_enrollments; raguser lacks SELECT, INSERT, UPDATE, DELETE on table expert_network.campaigns; expert_network_readonly lacks SELECT on table expert_network.campaigns; raguser lacks SELECT, INSERT, UPDATE, DELETE on table expert_network.expert_screening_responses; expert_network_readonly lacks SELECT on table expert_network.expert_screening_responses; raguser lacks SELECT, INSERT, UPDATE, DELETE on table expert_network.experts; expert_network_readonly lacks SELECT on table expert_network.experts; raguser lacks SELECT, INSERT, UPDATE, DELETE on table expert_network.interviews; expert_network_readonly lacks SELECT on table expert_network.interviews; raguser lacks SELECT, INSERT, UPDATE, DELETE on table expert_network.projects; expert_network_readonly lacks SELECT on table expert_network.projects; raguser lacks SELECT, INSERT, UPDATE, DELETE on table expert_network.screening_questions; expert_network_readonly lacks SELECT on table expert_network.screening_questions; raguser lacks SELECT, INSERT, UPDATE, DELETE on table expert_network.team_members; expert_network_readonly lacks SELECT on table expert_network.team_members; raguser lacks SELECT, INSERT, UPDATE, DELETE on table expert_network.user_ui_preferences; expert_network_readonly lacks SELECT on table expert_network.user_ui_preferences; raguser lacks SELECT, INSERT, UPDATE, DELETE on table expert_network.vendor_platforms; expert_network_readonly lacks SELECT on table expert_network.vendor_platforms; raguser lacks SELECT, INSERT, UPDATE, DELETE on tables created in expert_network later (default privileges); raguser lacks USAGE, SELECT, UPDATE on sequences created in expert_network later (default privileges); raguser lacks EXECUTE on functions created in expert_network later (default privileges); expert_network_readonly lacks SELECT on tables created in expert_network later (default privileges)");
}

#[test]
fn an_edited_applied_file_is_changed() {
    let db = TestDb::seeded();
    let d = copy_of_sql();
    let dir = d.path().to_str().unwrap();
    run(Some(&db.url), &["up", "--dir", dir]).assert_code(0);
    assert_eq!(verify_json(&db, &["--dir", dir]).0, 0);

    let path = d.path().join("002_seed_vendor_platforms.sql");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text + "\n-- an afterthought\n").unwrap();
    let (code, v) = verify_json(&db, &["--dir", dir]);
    assert_eq!(code, 4);
    assert_eq!(failed(&v), ["migrations"]);
    insta::assert_snapshot!(masked(&check(&v, "migrations").1, &[]), @"changed since applied 002_seed_vendor_platforms.sql (applied as 160a3d565c1a, the file is now a527d0d37d22): restore the file (git checkout) and write a new migration for the change");

    // A new file is pending; its table shows as missing too.
    std::fs::write(
        d.path().join("004_notes.sql"),
        "CREATE TABLE expert_network.notes (id int);",
    )
    .unwrap();
    let (_, v) = verify_json(&db, &["--dir", dir]);
    insta::assert_snapshot!(masked(&check(&v, "migrations").1, &[]), @"pending 004_notes.sql: run `en-migrate up`; changed since applied 002_seed_vendor_platforms.sql (applied as 160a3d565c1a, the file is now a527d0d37d22): restore the file (git checkout) and write a new migration for the change");
    assert!(
        check(&v, "expert_network").1.starts_with("missing notes"),
        "{v:#}"
    );
}

#[test]
fn a_deleted_seed_row_is_a_missing_vendor() {
    let db = migrated();
    db.exec("DELETE FROM expert_network.vendor_platforms WHERE slug IN ('tegus', 'glg')");
    // A user's own vendor of the same slug does not stand in for the built-in one.
    db.exec("INSERT INTO expert_network.vendor_platforms (user_id, slug, display_name) VALUES ('usr_1', 'glg', 'My GLG')");
    let (code, v) = verify_json(&db, &[]);
    assert_eq!(code, 4);
    assert_eq!(failed(&v), ["vendor-seeds"]);
    let (_, detail) = check(&v, "vendor-seeds");
    assert!(
        detail.starts_with("missing seeded vendors glg, tegus ("),
        "{detail}"
    );
}

#[test]
fn vendor_seeds_are_skipped_when_no_migration_inserts_them() {
    let db = TestDb::seeded();
    let d = dir(&[(
        "001_a.sql",
        "CREATE SCHEMA expert_network;\nCREATE TABLE expert_network.a (id int);",
    )]);
    let path = d.path().to_str().unwrap();
    run(Some(&db.url), &["up", "--dir", path]).assert_code(0);
    let (_, v) = verify_json(&db, &["--dir", path]);
    let (ok, detail) = check(&v, "vendor-seeds");
    assert!(ok);
    assert!(detail.starts_with("skipped: "), "{detail}");
    // The tables check follows the files given, not the shipped ones.
    assert_eq!(
        check(&v, "expert_network"),
        (
            true,
            "1 table, exactly those the migrations create".to_string()
        )
    );
}

#[test]
fn a_database_without_betterauth_fails_only_that_check() {
    let db = TestDb::empty();
    run(Some(&db.url), &["up"]).assert_code(0);
    let (code, v) = verify_json(&db, &[]);
    assert_eq!(code, 4);
    assert_eq!(failed(&v), ["betterauth"]);
    let (_, detail) = check(&v, "betterauth");
    assert!(
        detail.starts_with(
            "missing public.user, public.session, public.account, public.verification:"
        ),
        "{detail}"
    );
    assert_eq!(
        v["summary"],
        "public: 0 BetterAuth tables + 0 other tables; expert_network: 11 Expert Networks tables"
    );
}

#[test]
fn en_migrate_names_left_in_public_fail_the_tracker_check() {
    let db = migrated();
    db.exec("CREATE TABLE public.schema_migrations_backup (id int); CREATE FUNCTION public.en_migrate_helper() RETURNS int LANGUAGE sql AS 'SELECT 1'");
    let (code, v) = verify_json(&db, &[]);
    assert_eq!(code, 4);
    assert_eq!(failed(&v), ["tracker"]);
    // Whole: the tracker's own sequence and indexes are not leftovers (the first run passed with them).
    insta::assert_snapshot!(check(&v, "tracker").1, @"en-migrate's names in public besides the tracker: function public.en_migrate_helper, table public.schema_migrations_backup (en-migrate creates nothing there but public.schema_migrations; find who made them before dropping)");
}

#[test]
fn a_foreign_tracker_fails_migrations_and_tracker() {
    let db = TestDb::seeded();
    db.exec("CREATE TABLE public.schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL)");
    let (code, v) = verify_json(&db, &[]);
    assert_eq!(code, 4);
    insta::assert_snapshot!(check(&v, "tracker").1, @"public.schema_migrations is not en-migrate's (columns: version bigint, dirty boolean); another tool owns it, so en-migrate cannot run here");
    insta::assert_snapshot!(check(&v, "migrations").1, @"cannot tell what was applied: public.schema_migrations is not en-migrate's tracker (see the tracker check)");
}

#[test]
fn verify_runs_in_a_read_only_session() {
    let db = migrated();
    db.exec(&format!(
        "ALTER DATABASE {} SET default_transaction_read_only = on",
        db.name
    ));
    assert_eq!(db.one("SHOW default_transaction_read_only"), "on");
    // A write would fail here; verify only reads.
    let r = run(Some(&db.url), &["verify"]);
    r.assert_code(0);
    assert_eq!(r.stderr, "");
    insta::assert_snapshot!("verify_after_up", masked(&r.stdout, &[]));
    // And a failing check is still a failed check (exit 4), not an error.
    let mut c = db.client();
    // Sent separately: a multi-statement message is one implicit transaction, read-only from its start.
    c.batch_execute("SET default_transaction_read_only = off")
        .unwrap();
    c.batch_execute("DROP TABLE expert_network.user_ui_preferences")
        .unwrap();
    let (code, v) = verify_json(&db, &[]);
    assert_eq!(code, 4);
    assert_eq!(failed(&v), ["expert_network", "drift"]);
}

#[test]
fn verify_cannot_run_without_a_server_exits_1() {
    let r = run(
        Some("postgres://postgres@127.0.0.1:1/x"),
        &["verify", "--connect-timeout", "1"],
    );
    insta::assert_snapshot!(r.masked(&[]), @"
    exit: 1
    --- stdout
    --- stderr
    Error: cannot connect to postgres@127.0.0.1:1/x
    Caused by: 127.0.0.1:1
    Caused by: Connection refused (os error 111)
    Hint: is the server running and accepting connections there? Raise --connect-timeout if it is still starting
    ");
}

/// The hardening the README suggests for the shipped grants, read from the README itself (no TRIGGER
/// or REFERENCES on expert_network's tables and no CREATE on the schema for the application's role,
/// now and for tables made later) passes the fence, applies, takes those privileges away, and leaves
/// `verify` green.
#[test]
fn the_readmes_hardening_of_the_application_roles_grants_passes_and_verifies() {
    let readme = include_str!("../README.md");
    let at = readme
        .find("```sql\nREVOKE TRIGGER")
        .expect("the README's hardening migration");
    let block = &readme[at + "```sql\n".len()..];
    let hardening = &block[..block.find("```").unwrap()];
    assert!(hardening.contains("REFERENCES"), "{hardening}");
    let db = TestDb::seeded();
    let d = shipped_with(&[
        ("004_harden_app_role.sql", hardening),
        (
            "005_later.sql",
            "CREATE TABLE expert_network.later_table (id int PRIMARY KEY);\n",
        ),
    ]);
    let path = d.path().to_str().unwrap();
    run(None, &["check", "--dir", path]).assert_code(0);
    run(Some(&db.url), &["up", "--dir", path]).assert_code(0);
    assert_eq!(
        db.one("SELECT has_table_privilege('raguser', 'expert_network.campaigns', 'TRIGGER')::text || has_table_privilege('raguser', 'expert_network.campaigns', 'REFERENCES')::text || has_schema_privilege('raguser', 'expert_network', 'CREATE')::text || has_table_privilege('raguser', 'expert_network.campaigns', 'DELETE')::text"),
        "falsefalsefalsetrue"
    );
    // A table made after it: the default privileges no longer give TRIGGER or REFERENCES.
    assert_eq!(
        db.one("SELECT has_table_privilege('raguser', 'expert_network.later_table', 'TRIGGER')::text || has_table_privilege('raguser', 'expert_network.later_table', 'REFERENCES')::text || has_table_privilege('raguser', 'expert_network.later_table', 'INSERT')::text"),
        "falsefalsetrue"
    );
    let (code, v) = verify_json(&db, &["--dir", path]);
    assert_eq!((code, failed(&v)), (0, Vec::<String>::new()), "{v:#}");
}
