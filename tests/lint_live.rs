//! `en-migrate lint --live` against a real PostgreSQL: the data-dependent rules counted on tables with
//! and without offending rows, lock warnings sized and silenced on empty or new tables, only pending
//! migrations judged, and nothing written (it works with `default_transaction_read_only`).

mod common;
use common::*;
use serde_json::Value;

/// One statement per data rule on expert_network.projects, each also a lock warning.
const TUNE: &str =
    "ALTER TABLE expert_network.projects ADD CONSTRAINT projects_name_key UNIQUE (name);\n\
    ALTER TABLE expert_network.projects ALTER COLUMN description SET NOT NULL;\n\
    ALTER TABLE expert_network.projects ADD CONSTRAINT projects_user_ok CHECK (user_id <> 'u2');\n\
    ALTER TABLE expert_network.projects ADD COLUMN region text NOT NULL;\n";

fn migrated() -> TestDb {
    let db = TestDb::seeded();
    run(Some(&db.url), &["up"]).assert_code(0);
    db
}

fn projects(db: &TestDb, rows: &[(&str, &str, Option<&str>)]) {
    for (user, name, description) in rows {
        let d = description.map_or("NULL".to_string(), |d| format!("'{d}'"));
        db.exec(&format!(
            "INSERT INTO expert_network.projects (user_id, name, description) VALUES ('{user}', '{name}', {d})"
        ));
    }
    db.exec("ANALYZE expert_network.projects");
}

/// Runs `lint --live --format json` over the shipped migrations and `extra`: exit code, document.
fn lint_live(db: &TestDb, extra: &[(&str, &str)]) -> (i32, Value) {
    let d = shipped_with(extra);
    let r = run(
        Some(&db.url),
        &[
            "lint",
            "--live",
            "--format",
            "json",
            "--dir",
            d.path().to_str().unwrap(),
        ],
    );
    let v: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\nstderr:\n{}", r.stdout, r.stderr));
    (r.code, v)
}

/// (severity, rule, message) of every finding.
fn findings(v: &Value) -> Vec<(String, String, String)> {
    v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["severity"].as_str().unwrap().to_string(),
                w["rule"].as_str().unwrap().to_string(),
                w["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn errors(v: &Value) -> Vec<(String, String)> {
    findings(v)
        .into_iter()
        .filter(|(s, _, _)| s == "error")
        .map(|(_, r, m)| (r, m))
        .collect()
}

#[test]
fn offending_rows_make_each_data_rule_an_error_that_names_the_count() {
    let db = migrated();
    projects(
        &db,
        &[("u1", "a", Some("x")), ("u1", "b", None), ("u2", "a", None)],
    );
    let before = db.catalog("expert_network", true);
    let (code, v) = lint_live(&db, &[("004_tune.sql", TUNE)]);
    assert_eq!(code, 3, "{v:#}");
    assert_eq!(
        errors(&v),
        [
            ("unique-over-duplicates".into(), "UNIQUE (name) on expert_network.projects: values of (name) held by more than one row: 1".into()),
            ("not-null-over-nulls".into(), "ALTER COLUMN description SET NOT NULL on expert_network.projects: rows holding NULL in description: 2".into()),
            ("constraint-violated".into(), "ADD CONSTRAINT projects_user_ok CHECK on expert_network.projects: rows failing CHECK (user_id <> 'u2'): 1".into()),
            ("not-null-over-nulls".into(), "ADD COLUMN region NOT NULL without a default on expert_network.projects: rows, each of which would hold NULL in region: 3".into()),
        ]
    );
    // Only read.
    assert_eq!(db.catalog("expert_network", true), before);
    // An unqualified name is looked up as `up` would resolve it (in expert_network), not on the
    // role's own search_path, where it names nothing and the error would vanish.
    let (code, v) = lint_live(
        &db,
        &[(
            "004_tune.sql",
            "ALTER TABLE projects ALTER COLUMN description SET NOT NULL;",
        )],
    );
    assert_eq!(code, 3, "{v:#}");
    assert_eq!(
        errors(&v),
        [("not-null-over-nulls".into(), "ALTER COLUMN description SET NOT NULL on projects: rows holding NULL in description: 2".into())]
    );
    assert_eq!(v["warnings"][0]["table"]["name"], "expert_network.projects");
    // A post-deploy file a plain `up` holds back is still pending: `up --post-deploy` runs it.
    let (code, v) = lint_live(
        &db,
        &[(
            "004_tune.sql",
            "-- en-migrate: post-deploy\nALTER TABLE expert_network.projects ALTER COLUMN description SET NOT NULL;",
        )],
    );
    assert_eq!(code, 3, "{v:#}");
    assert_eq!(errors(&v).len(), 1, "{v:#}");
}

#[test]
fn a_foreign_key_counts_rows_that_refer_to_nothing() {
    let db = migrated();
    projects(&db, &[("u1", "a", Some("x")), ("u2", "b", Some("y"))]);
    db.exec("CREATE TABLE expert_network.owners (user_id text PRIMARY KEY); INSERT INTO expert_network.owners VALUES ('u1')");
    let fk = "ALTER TABLE expert_network.projects ADD CONSTRAINT projects_owner_fk FOREIGN KEY (user_id) REFERENCES expert_network.owners (user_id);\n";
    let (code, v) = lint_live(&db, &[("004_fk.sql", fk)]);
    assert_eq!(code, 3, "{v:#}");
    assert_eq!(
        errors(&v),
        [("constraint-violated".into(), "ADD CONSTRAINT projects_owner_fk FOREIGN KEY on expert_network.projects: rows referring to no row of expert_network.owners: 1".into())]
    );
    // A bare REFERENCES means the owners' primary key, which the database names.
    let bare = "ALTER TABLE expert_network.projects ADD CONSTRAINT projects_owner_fk FOREIGN KEY (user_id) REFERENCES expert_network.owners;\n";
    let (code, v) = lint_live(&db, &[("004_fk.sql", bare)]);
    assert_eq!(code, 3, "{v:#}");
    assert_eq!(
        errors(&v),
        [("constraint-violated".into(), "ADD CONSTRAINT projects_owner_fk FOREIGN KEY on expert_network.projects: rows referring to no row of expert_network.owners: 1".into())]
    );
    db.exec("INSERT INTO expert_network.owners VALUES ('u2')");
    let (code, v) = lint_live(&db, &[("004_fk.sql", fk)]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(errors(&v), []);
}

#[test]
fn clean_rows_leave_only_lock_warnings_that_say_how_big_and_busy_the_table_is() {
    let db = migrated();
    projects(
        &db,
        &[
            ("u1", "a", Some("x")),
            ("u1", "b", Some("y")),
            ("u3", "c", Some("z")),
        ],
    );
    // Another session is using the table: it holds ACCESS SHARE until it ends.
    let mut other = db.hold("BEGIN; SELECT count(*) FROM expert_network.projects");
    let clean: String = TUNE.lines().take(3).map(|l| format!("{l}\n")).collect();
    let (code, v) = lint_live(&db, &[("004_tune.sql", &clean)]);
    assert_eq!(code, 0, "{v:#}");
    let rules: Vec<String> = findings(&v)
        .into_iter()
        .map(|(s, r, _)| format!("{s} {r}"))
        .collect();
    assert_eq!(
        rules,
        [
            "warning unique-constraint-blocking",
            "warning set-not-null",
            "warning constraint-validating"
        ]
    );
    for w in v["warnings"].as_array().unwrap() {
        let t = &w["table"];
        assert_eq!(t["name"], "expert_network.projects", "{w:#}");
        assert_eq!(t["rows_estimate"], 3, "{w:#}");
        assert_eq!(t["sessions"], 1, "{w:#}");
        assert!(t["bytes"].as_i64().unwrap() > 0, "{w:#}");
    }
    other.client.batch_execute("ROLLBACK").unwrap();
}

#[test]
fn an_empty_table_and_a_table_new_in_the_run_keep_lint_silent() {
    let db = migrated();
    let d = shipped_with(&[
        ("004_tune.sql", TUNE),
        ("005_tags.sql", "CREATE TABLE expert_network.tags (id bigint, name text);\n"),
        ("006_tags_index.sql", "CREATE INDEX tags_name_idx ON expert_network.tags (name);\nALTER TABLE expert_network.tags ALTER COLUMN name SET NOT NULL;\n"),
    ]);
    let r = run(
        Some(&db.url),
        &["lint", "--live", "--dir", d.path().to_str().unwrap()],
    );
    r.assert_code(0);
    assert_eq!(r.stdout, "ok: no warnings in 3 pending migrations\n");
    // Offline, the same files warn: nothing says the table is empty or new to the run.
    let r = run(None, &["lint", "--dir", d.path().to_str().unwrap()]);
    insta::assert_snapshot!(r.masked(&[(d.path().to_str().unwrap(), "DIR")]), @"
    exit: 0
    --- stdout
    DIR/004_tune.sql:1:1: warning [unique-constraint-blocking]: ADD CONSTRAINT projects_name_key UNIQUE on expert_network.projects builds its index under an ACCESS EXCLUSIVE lock
      why: the constraint's index is built under an ACCESS EXCLUSIVE lock: no reads or writes until every row is indexed
      instead: `CREATE UNIQUE INDEX CONCURRENTLY` in a no-transaction file, then `ADD CONSTRAINT ... UNIQUE USING INDEX` (or `PRIMARY KEY USING INDEX`)
    DIR/004_tune.sql:2:1: warning [set-not-null]: ALTER COLUMN description SET NOT NULL on expert_network.projects
      why: SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock
      instead: add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (PostgreSQL uses the constraint)
    DIR/004_tune.sql:3:1: warning [constraint-validating]: ADD CONSTRAINT projects_user_ok CHECK on expert_network.projects without NOT VALID
      why: adding a FOREIGN KEY or CHECK constraint scans the whole table under a lock that blocks writes
      instead: add it NOT VALID (for a new column: add the column, then the constraint), then `ALTER TABLE ... VALIDATE CONSTRAINT` in a later migration
    DIR/004_tune.sql:4:1: warning [add-column-not-null]: ADD COLUMN region NOT NULL without a default on expert_network.projects
      why: on a table with rows it fails (every existing row would hold NULL), after taking an ACCESS EXCLUSIVE lock
      instead: add the column with a constant DEFAULT, or nullable: backfill it, then add NOT NULL through a validated CHECK
    DIR/006_tags_index.sql:1:1: warning [create-index-blocking]: CREATE INDEX on expert_network.tags without CONCURRENTLY
      why: CREATE INDEX without CONCURRENTLY blocks every write to the table until the index is built
      instead: put `CREATE INDEX CONCURRENTLY` alone in a file whose first line is `-- en-migrate: no-transaction`
    DIR/006_tags_index.sql:2:1: warning [set-not-null]: ALTER COLUMN name SET NOT NULL on expert_network.tags
      why: SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock
      instead: add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (PostgreSQL uses the constraint)
    --- stderr
    ");
}

#[test]
fn live_lint_only_reads_and_works_where_writes_are_refused() {
    let db = migrated();
    projects(&db, &[("u1", "a", None)]);
    db.exec(&format!(
        "ALTER DATABASE {} SET default_transaction_read_only = on",
        db.name
    ));
    let d = shipped_with(&[("004_tune.sql", TUNE)]);
    let r = run(
        Some(&db.url),
        &["lint", "--live", "--dir", d.path().to_str().unwrap()],
    );
    insta::assert_snapshot!(r.masked(&[(d.path().to_str().unwrap(), "DIR")]), @"
    exit: 3
    --- stdout
    DIR/004_tune.sql:1:1: warning [unique-constraint-blocking]: ADD CONSTRAINT projects_name_key UNIQUE on expert_network.projects builds its index under an ACCESS EXCLUSIVE lock
      table: expert_network.projects: ~1 rows, 40 kB, no other session holds a lock on it now
      why: the constraint's index is built under an ACCESS EXCLUSIVE lock: no reads or writes until every row is indexed
      instead: `CREATE UNIQUE INDEX CONCURRENTLY` in a no-transaction file, then `ADD CONSTRAINT ... UNIQUE USING INDEX` (or `PRIMARY KEY USING INDEX`)
    DIR/004_tune.sql:2:1: warning [set-not-null]: ALTER COLUMN description SET NOT NULL on expert_network.projects
      table: expert_network.projects: ~1 rows, 40 kB, no other session holds a lock on it now
      why: SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock
      instead: add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (PostgreSQL uses the constraint)
    DIR/004_tune.sql:2:1: error [not-null-over-nulls]: ALTER COLUMN description SET NOT NULL on expert_network.projects: rows holding NULL in description: 1
      why: the statement fails on the first NULL, after scanning the table under an ACCESS EXCLUSIVE lock
      instead: backfill the NULLs first (or give the new column a DEFAULT)
    DIR/004_tune.sql:3:1: warning [constraint-validating]: ADD CONSTRAINT projects_user_ok CHECK on expert_network.projects without NOT VALID
      table: expert_network.projects: ~1 rows, 40 kB, no other session holds a lock on it now
      why: adding a FOREIGN KEY or CHECK constraint scans the whole table under a lock that blocks writes
      instead: add it NOT VALID (for a new column: add the column, then the constraint), then `ALTER TABLE ... VALIDATE CONSTRAINT` in a later migration
    DIR/004_tune.sql:4:1: warning [add-column-not-null]: ADD COLUMN region NOT NULL without a default on expert_network.projects
      table: expert_network.projects: ~1 rows, 40 kB, no other session holds a lock on it now
      why: on a table with rows it fails (every existing row would hold NULL), after taking an ACCESS EXCLUSIVE lock
      instead: add the column with a constant DEFAULT, or nullable: backfill it, then add NOT NULL through a validated CHECK
    DIR/004_tune.sql:4:1: error [not-null-over-nulls]: ADD COLUMN region NOT NULL without a default on expert_network.projects: rows, each of which would hold NULL in region: 1
      why: the statement fails on the first NULL, after scanning the table under an ACCESS EXCLUSIVE lock
      instead: backfill the NULLs first (or give the new column a DEFAULT)
    --- stderr
    ");
    let r = run_env(
        Some(&db.url),
        &["lint", "--live", "--dir", d.path().to_str().unwrap()],
        &[("GITHUB_ACTIONS", "true")],
    );
    insta::assert_snapshot!(r.masked(&[(d.path().to_str().unwrap(), "DIR")]), @"
    exit: 3
    --- stdout
    DIR/004_tune.sql:1:1: warning [unique-constraint-blocking]: ADD CONSTRAINT projects_name_key UNIQUE on expert_network.projects builds its index under an ACCESS EXCLUSIVE lock
      table: expert_network.projects: ~1 rows, 40 kB, no other session holds a lock on it now
      why: the constraint's index is built under an ACCESS EXCLUSIVE lock: no reads or writes until every row is indexed
      instead: `CREATE UNIQUE INDEX CONCURRENTLY` in a no-transaction file, then `ADD CONSTRAINT ... UNIQUE USING INDEX` (or `PRIMARY KEY USING INDEX`)
    DIR/004_tune.sql:2:1: warning [set-not-null]: ALTER COLUMN description SET NOT NULL on expert_network.projects
      table: expert_network.projects: ~1 rows, 40 kB, no other session holds a lock on it now
      why: SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock
      instead: add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (PostgreSQL uses the constraint)
    DIR/004_tune.sql:2:1: error [not-null-over-nulls]: ALTER COLUMN description SET NOT NULL on expert_network.projects: rows holding NULL in description: 1
      why: the statement fails on the first NULL, after scanning the table under an ACCESS EXCLUSIVE lock
      instead: backfill the NULLs first (or give the new column a DEFAULT)
    DIR/004_tune.sql:3:1: warning [constraint-validating]: ADD CONSTRAINT projects_user_ok CHECK on expert_network.projects without NOT VALID
      table: expert_network.projects: ~1 rows, 40 kB, no other session holds a lock on it now
      why: adding a FOREIGN KEY or CHECK constraint scans the whole table under a lock that blocks writes
      instead: add it NOT VALID (for a new column: add the column, then the constraint), then `ALTER TABLE ... VALIDATE CONSTRAINT` in a later migration
    DIR/004_tune.sql:4:1: warning [add-column-not-null]: ADD COLUMN region NOT NULL without a default on expert_network.projects
      table: expert_network.projects: ~1 rows, 40 kB, no other session holds a lock on it now
      why: on a table with rows it fails (every existing row would hold NULL), after taking an ACCESS EXCLUSIVE lock
      instead: add the column with a constant DEFAULT, or nullable: backfill it, then add NOT NULL through a validated CHECK
    DIR/004_tune.sql:4:1: error [not-null-over-nulls]: ADD COLUMN region NOT NULL without a default on expert_network.projects: rows, each of which would hold NULL in region: 1
      why: the statement fails on the first NULL, after scanning the table under an ACCESS EXCLUSIVE lock
      instead: backfill the NULLs first (or give the new column a DEFAULT)
    ::warning file=DIR/004_tune.sql,line=1,title=en-migrate lint unique-constraint-blocking::ADD CONSTRAINT projects_name_key UNIQUE on expert_network.projects builds its index under an ACCESS EXCLUSIVE lock (expert_network.projects: ~1 rows, 40 kB, no other session holds a lock on it now). `CREATE UNIQUE INDEX CONCURRENTLY` in a no-transaction file, then `ADD CONSTRAINT ... UNIQUE USING INDEX` (or `PRIMARY KEY USING INDEX`)
    ::warning file=DIR/004_tune.sql,line=2,title=en-migrate lint set-not-null::ALTER COLUMN description SET NOT NULL on expert_network.projects (expert_network.projects: ~1 rows, 40 kB, no other session holds a lock on it now). add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (PostgreSQL uses the constraint)
    ::error file=DIR/004_tune.sql,line=2,title=en-migrate lint not-null-over-nulls::ALTER COLUMN description SET NOT NULL on expert_network.projects: rows holding NULL in description: 1. backfill the NULLs first (or give the new column a DEFAULT)
    ::warning file=DIR/004_tune.sql,line=3,title=en-migrate lint constraint-validating::ADD CONSTRAINT projects_user_ok CHECK on expert_network.projects without NOT VALID (expert_network.projects: ~1 rows, 40 kB, no other session holds a lock on it now). add it NOT VALID (for a new column: add the column, then the constraint), then `ALTER TABLE ... VALIDATE CONSTRAINT` in a later migration
    ::warning file=DIR/004_tune.sql,line=4,title=en-migrate lint add-column-not-null::ADD COLUMN region NOT NULL without a default on expert_network.projects (expert_network.projects: ~1 rows, 40 kB, no other session holds a lock on it now). add the column with a constant DEFAULT, or nullable: backfill it, then add NOT NULL through a validated CHECK
    ::error file=DIR/004_tune.sql,line=4,title=en-migrate lint not-null-over-nulls::ADD COLUMN region NOT NULL without a default on expert_network.projects: rows, each of which would hold NULL in region: 1. backfill the NULLs first (or give the new column a DEFAULT)
    --- stderr
    ");
}

#[test]
fn a_count_that_cannot_finish_in_time_is_a_warning_that_says_so() {
    let db = migrated();
    projects(&db, &[("u1", "a", None)]);
    // Another session holds ACCESS EXCLUSIVE: every read of the table waits, so lock_timeout fires.
    let mut holder = db.hold("BEGIN; LOCK TABLE expert_network.projects IN ACCESS EXCLUSIVE MODE");
    let d = shipped_with(&[(
        "004_tune.sql",
        "ALTER TABLE expert_network.projects ALTER COLUMN description SET NOT NULL;\n",
    )]);
    let r = run(
        Some(&db.url),
        &[
            "lint",
            "--live",
            "--live-timeout",
            "300ms",
            "--format",
            "json",
            "--dir",
            d.path().to_str().unwrap(),
        ],
    );
    r.assert_code(0);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        findings(&v),
        [
            ("warning".into(), "set-not-null".into(), "ALTER COLUMN description SET NOT NULL on expert_network.projects".into()),
            ("warning".into(), "not-null-over-nulls".into(), "ALTER COLUMN description SET NOT NULL on expert_network.projects: could not count the rows (canceling statement due to lock timeout)".into()),
        ]
    );
    assert_eq!(v["warnings"][0]["table"]["sessions"], 1, "{v:#}");
    holder.client.batch_execute("ROLLBACK").unwrap();
}

#[test]
fn a_primary_key_counts_null_keys_and_match_full_counts_half_null_keys() {
    let db = migrated();
    db.exec(
        "CREATE TABLE expert_network.pairs (a int, b int); \
         CREATE TABLE expert_network.parents (x int, y int, UNIQUE (x, y)); \
         INSERT INTO expert_network.parents VALUES (1, 1); \
         INSERT INTO expert_network.pairs VALUES (1, 1), (NULL, 2), (NULL, NULL), (3, 3); \
         ANALYZE expert_network.pairs",
    );
    let (code, v) = lint_live(
        &db,
        &[(
            "004_keys.sql",
            "ALTER TABLE expert_network.pairs ADD PRIMARY KEY (a, b);\n\
             ALTER TABLE expert_network.pairs ADD CONSTRAINT f FOREIGN KEY (a, b) REFERENCES expert_network.parents (x, y) MATCH FULL;\n",
        )],
    );
    assert_eq!(code, 3, "{v:#}");
    // The server agrees: each statement fails on these rows.
    for sql in [
        "ALTER TABLE expert_network.pairs ADD PRIMARY KEY (a, b)",
        "ALTER TABLE expert_network.pairs ADD CONSTRAINT f FOREIGN KEY (a, b) REFERENCES expert_network.parents (x, y) MATCH FULL",
    ] {
        assert!(db.client().batch_execute(sql).is_err(), "{sql} applied");
    }
    assert_eq!(
        errors(&v),
        [
            // (NULL, 2) and (NULL, NULL): a primary key refuses any NULL in its columns.
            ("unique-over-duplicates".into(), "PRIMARY KEY (a, b) on expert_network.pairs: values of (a, b) held by more than one row, or NULL: 2".into()),
            // (3, 3) has no parent, and MATCH FULL refuses (NULL, 2); (NULL, NULL) passes.
            ("constraint-violated".into(), "ADD CONSTRAINT f FOREIGN KEY on expert_network.pairs: rows referring to no row of expert_network.parents: 2".into()),
        ]
    );
}
