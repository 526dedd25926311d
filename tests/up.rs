//! `en-migrate up` and `status` against a real PostgreSQL, on a database shaped like the seed's.

mod common;
use common::*;

#[test]
fn up_creates_the_schema_seeds_and_grants_and_leaves_public_alone() {
    let db = TestDb::seeded();
    let public_before = db.dump_public();
    let public_tables_before = db.tables("public");

    let r = run(Some(&db.url), &["up"]);
    r.assert_code(0);
    assert_eq!(
        masked(&r.stdout, &[]),
        "applied 001_create_expert_network_schema.sql (N ms)\n\
         applied 002_seed_vendor_platforms.sql (N ms)\n\
         applied 003_grants.sql (N ms)\n\
         3 applied, 0 already applied, in N ms\n"
    );

    assert_eq!(db.tables("expert_network"), EXPECTED_TABLES);
    let vendors =
        db.one("SELECT count(*) FROM expert_network.vendor_platforms WHERE user_id IS NULL");
    assert!(vendors.parse::<i32>().unwrap() >= 11, "{vendors}");
    for slug in [
        "glg",
        "alphasights",
        "guidepoint",
        "third-bridge",
        "tegus",
        "newtonx",
    ] {
        assert_eq!(
            db.one(&format!(
                "SELECT count(*) FROM expert_network.vendor_platforms WHERE slug = '{slug}'"
            )),
            "1",
            "{slug}"
        );
    }
    assert_eq!(db.one("SELECT has_table_privilege('raguser', 'expert_network.campaigns', 'SELECT,INSERT,UPDATE,DELETE')"), "t");
    assert_eq!(db.one("SELECT has_table_privilege('expert_network_readonly', 'expert_network.campaigns', 'SELECT')"), "t");
    assert_eq!(db.one("SELECT has_table_privilege('expert_network_readonly', 'expert_network.campaigns', 'INSERT')"), "f");
    assert_eq!(
        db.one("SELECT has_schema_privilege('expert_network_readonly', 'expert_network', 'USAGE')"),
        "t"
    );

    // public: the same objects and rows, plus only the tracker.
    assert_eq!(db.dump_public(), public_before);
    let mut expected_public = public_tables_before.clone();
    expected_public.push("schema_migrations".into());
    expected_public.sort();
    assert_eq!(db.tables("public"), expected_public);

    assert_eq!(db.applied(), SHIPPED);
    let row = &db.query(
        "SELECT checksum, execution_ms, applied_by FROM public.schema_migrations WHERE id = 1",
    )[0];
    assert_eq!(row[0].as_ref().unwrap().len(), 64);
    assert!(row[1].as_ref().unwrap().parse::<i64>().unwrap() >= 0);
    assert_eq!(
        row[2].as_deref(),
        Some(format!("postgres (en-migrate {})", env!("CARGO_PKG_VERSION")).as_str())
    );

    // A second up does nothing.
    let r = run(Some(&db.url), &["up"]);
    r.assert_code(0);
    assert_eq!(r.stdout, "nothing to do: 3 migrations already applied\n");
    assert_eq!(db.one("SELECT count(*) FROM public.schema_migrations"), "3");
}

#[test]
fn status_shows_every_state() {
    let db = TestDb::seeded();
    let d = dir(&[
        ("001_a.sql", "CREATE TABLE expert_network.a (id int);"),
        ("002_b.sql", "CREATE TABLE expert_network.b (id int);"),
    ]);
    db.exec("CREATE SCHEMA expert_network");
    let path = d.path().to_str().unwrap();
    run(Some(&db.url), &["up", "--dir", path, "--target", "1"]).assert_code(0);
    let r = run(Some(&db.url), &["status", "--dir", path]);
    r.assert_code(0);
    assert_eq!(
        masked(&r.stdout, &[]),
        "migration  state     applied at                        ms\n\
         001_a.sql  applied   [applied at]  [ms]\n\
         002_b.sql  pending   -                                  -\n"
    );

    std::fs::write(
        d.path().join("001_a.sql"),
        "CREATE TABLE expert_network.a (id bigint);",
    )
    .unwrap();
    db.exec("INSERT INTO public.schema_migrations (migration_name, checksum) VALUES ('000_gone.sql', 'x')");
    assert_eq!(
        status_states(&db.url, &["--dir", path]),
        [
            ("000_gone.sql".into(), "missing".into()),
            ("001_a.sql".into(), "changed".into()),
            ("002_b.sql".to_string(), "pending".to_string())
        ]
    );
}

#[test]
fn failing_migration_rolls_back_names_file_line_and_sqlstate_and_keeps_earlier_ones() {
    let db = TestDb::seeded();
    let d = dir(&[
        ("001_schema.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.ok (id int);"),
        ("002_bad.sql", "CREATE TABLE expert_network.half (id int);\n\nINSERT INTO expert_network.half VALUES (1);\nINSERT INTO expert_network.nope VALUES (1);\n"),
        ("003_later.sql", "CREATE TABLE expert_network.later (id int);"),
    ]);
    let r = run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]);
    insta::assert_snapshot!(r.masked(&[(d.path().to_str().unwrap(), "DIR")]), @r#"
    exit: 1
    --- stdout
    applied 001_schema.sql (N ms)
    --- stderr
    Error: DIR/002_bad.sql at line 4, column 13 failed and was rolled back (SQLSTATE 42P01): relation "expert_network.nope" does not exist
    Applied before the failure (these stay applied): 001_schema.sql
    "#);
    assert_eq!(db.applied(), ["001_schema.sql"]);
    assert_eq!(db.tables("expert_network"), ["ok"]);
}

/// `up` fences the pending files while its last checks, the guard's functions and the first
/// migration's opening travel to the server together (on a database without a tracker, the tracker's
/// creation in a transaction left open): a refusal by the fence or by a check rolls all of it back.
#[test]
fn a_refusal_found_beside_the_first_migrations_opening_leaves_nothing_behind() {
    let db = TestDb::seeded();
    let d = dir(&[
        (
            "001_a.sql",
            "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.a (id int);",
        ),
        ("002_b.sql", "CREATE TABLE expert_network.b (id int);"),
        ("003_c.sql", "CREATE TABLE expert_network.c (id int);"),
        ("004_d.sql", "CREATE TABLE expert_network.d (id int);"),
        // Fenced only once pending (no word that fences it before connecting).
        ("005_out.sql", "CREATE TABLE public.out_of_bounds (id int);"),
    ]);
    let path = d.path().to_str().unwrap();
    run(Some(&db.url), &["up", "--dir", path])
        .assert_code(3)
        .assert_stderr("in pending migrations refused");
    // The tracker's creation went out beside the checks and was never committed.
    assert_eq!(db.to_regclass("public.schema_migrations"), None);
    assert_eq!(db.to_regclass("expert_network.a"), None);
    assert_eq!(advisory_locks(&db), 0);

    // With a tracker: the first pending migration's transaction, opened with public's state taken,
    // is rolled back when a check refuses (here: an object in expert_network another role owns).
    std::fs::remove_file(d.path().join("005_out.sql")).unwrap();
    run(Some(&db.url), &["up", "--dir", path, "--target", "1"]).assert_code(0);
    db.exec("CREATE TABLE expert_network.theirs (id int); ALTER TABLE expert_network.theirs OWNER TO raguser;");
    run(Some(&db.url), &["up", "--dir", path])
        .assert_code(3)
        .assert_stderr("expert_network holds what another role can change");
    assert_eq!(db.applied(), ["001_a.sql"]);
    assert_eq!(db.to_regclass("expert_network.b"), None);
    assert_eq!(advisory_locks(&db), 0);
    // Once that is mended, the run goes on from where it was.
    db.exec("DROP TABLE expert_network.theirs");
    run(Some(&db.url), &["up", "--dir", path]).assert_code(0);
    assert_eq!(
        db.applied(),
        ["001_a.sql", "002_b.sql", "003_c.sql", "004_d.sql"]
    );
}

/// Prisma writes a `BEGIN;` ... `COMMIT;` block in the middle of a file and runs the rest with
/// autocommit. Under en-migrate the whole file is one transaction: the block's COMMIT is dropped, so a
/// failure after it rolls back the block too, and the database-side check still sees the end of the
/// whole file (a COMMIT that reached the server would have committed before it).
#[test]
fn transaction_blocks_inside_a_file_run_in_its_one_transaction() {
    let db = TestDb::seeded();
    let d = dir(&[
        ("001_schema.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;"),
        (
            "002_block.sql",
            "CREATE TABLE expert_network.before_block (id int);\n-- AlterEnum\nBEGIN;\nCREATE TABLE expert_network.in_block (id int);\nCOMMIT;\nINSERT INTO expert_network.nope VALUES (1);\n",
        ),
    ]);
    let r = run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]);
    r.assert_code(1);
    assert!(r.stderr.contains("002_block.sql at line 6"), "{}", r.stderr);
    assert_eq!(db.applied(), ["001_schema.sql"]);
    assert_eq!(db.tables("expert_network"), Vec::<String>::new());
    // The same file without the failing statement: applied whole, with its tracker row.
    std::fs::write(
        d.path().join("002_block.sql"),
        "CREATE TABLE expert_network.before_block (id int);\n-- AlterEnum\nBEGIN;\nCREATE TABLE expert_network.in_block (id int);\nCOMMIT;\nCREATE TABLE expert_network.after_block (id int);\n",
    )
    .unwrap();
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]).assert_code(0);
    assert_eq!(db.applied(), ["001_schema.sql", "002_block.sql"]);
    assert_eq!(
        db.tables("expert_network"),
        ["after_block", "before_block", "in_block"]
    );
}

/// A file that asks for an isolation level first (Langfuse's `BEGIN; SET TRANSACTION ISOLATION LEVEL
/// REPEATABLE READ;`, or the SET alone) runs at it: en-migrate's own statements come first in the
/// transaction, where the server refuses that SET (SQLSTATE 25001), so the transaction opens at the
/// level instead. The first pending migration (opened beside the last checks) and a later one (opened
/// behind the previous COMMIT) alike; a file that asks for nothing runs at the server's default.
#[test]
fn a_files_leading_isolation_level_opens_its_transaction() {
    let db = TestDb::seeded();
    let d = dir(&[
        (
            "001_schema.sql",
            "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.levels (n int, level text);",
        ),
        (
            "002_rr.sql",
            "BEGIN;\nSET TRANSACTION ISOLATION LEVEL REPEATABLE READ;\nINSERT INTO expert_network.levels VALUES (2, current_setting('transaction_isolation'));\nCOMMIT;\n",
        ),
        (
            "003_serializable.sql",
            "-- no block\nset transaction isolation level serializable;\nINSERT INTO expert_network.levels VALUES (3, current_setting('transaction_isolation'));\n",
        ),
        (
            "004_default.sql",
            "INSERT INTO expert_network.levels VALUES (4, current_setting('transaction_isolation'));\n",
        ),
    ]);
    let dir = d.path().to_str().unwrap();
    run(Some(&db.url), &["up", "--dir", dir, "--target", "1"]).assert_code(0);
    run(Some(&db.url), &["up", "--dir", dir]).assert_code(0);
    assert_eq!(
        db.one("SELECT string_agg(n || ' ' || level, ', ' ORDER BY n) FROM expert_network.levels"),
        "2 repeatable read, 3 serializable, 4 read committed"
    );
    assert_eq!(
        db.applied(),
        [
            "001_schema.sql",
            "002_rr.sql",
            "003_serializable.sql",
            "004_default.sql"
        ]
    );
}

/// A migration can pass every statement and still fail at COMMIT: en-migrate runs its deferred
/// constraints before the guard, but a deferred trigger may defer again (`SET CONSTRAINTS ALL
/// DEFERRED`) and queue another one, which fires at COMMIT (here it raises). Its COMMIT travels with
/// the next migration right behind it: the failure must still be named, nothing after it applied, and
/// the next migration's transaction rolled back, not committed. Also when it is the last.
#[test]
fn a_migration_that_fails_at_commit_stops_the_run_before_the_next_one() {
    for with_later in [true, false] {
        let db = TestDb::seeded();
        let mut files = vec![
            ("001_schema.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.parent (id int PRIMARY KEY);\nCREATE TABLE expert_network.child (pid int);\n\
                CREATE FUNCTION expert_network.again() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN SET CONSTRAINTS ALL DEFERRED; INSERT INTO expert_network.parent VALUES (NEW.pid); RETURN NULL; END $$;\n\
                CREATE FUNCTION expert_network.late() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'parent % came too late', NEW.id USING ERRCODE = '23503'; END $$;\n\
                CREATE CONSTRAINT TRIGGER again AFTER INSERT ON expert_network.child DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION expert_network.again();\n\
                CREATE CONSTRAINT TRIGGER late AFTER INSERT ON expert_network.parent DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION expert_network.late();"),
            ("002_orphan.sql", "INSERT INTO expert_network.child VALUES (42);"),
        ];
        if with_later {
            files.push((
                "003_later.sql",
                "CREATE TABLE expert_network.later (id int);",
            ));
        }
        let d = dir(&files);
        let r = run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]);
        // The same whether or not a later migration follows.
        insta::allow_duplicates! {
            insta::assert_snapshot!(r.masked(&[(d.path().to_str().unwrap(), "DIR")]), @r#"
            exit: 1
            --- stdout
            applied 001_schema.sql (N ms)
            --- stderr
            Error: DIR/002_orphan.sql failed and was rolled back (SQLSTATE 23503): parent 42 came too late
            Context: PL/pgSQL function expert_network.late() line 1 at RAISE
            Applied before the failure (these stay applied): 001_schema.sql
            "#);
        }
        assert_eq!(db.applied(), ["001_schema.sql"]);
        assert_eq!(db.tables("expert_network"), ["child", "parent"]);
        assert_eq!(db.one("SELECT count(*) FROM expert_network.child"), "0");
    }
}

#[test]
fn drift_refuses_to_run_anything() {
    let db = TestDb::seeded();
    let d = dir(&[
        ("001_a.sql", "CREATE SCHEMA expert_network;"),
        ("003_c.sql", "CREATE TABLE expert_network.c (id int);"),
    ]);
    let path = d.path().to_str().unwrap();
    run(Some(&db.url), &["up", "--dir", path]).assert_code(0);

    // An edited applied file: both checksums named, exit 4, nothing applied.
    let old =
        db.one("SELECT checksum FROM public.schema_migrations WHERE migration_name = '001_a.sql'");
    std::fs::write(
        d.path().join("001_a.sql"),
        "CREATE SCHEMA expert_network; -- edited",
    )
    .unwrap();
    std::fs::write(
        d.path().join("004_d.sql"),
        "CREATE TABLE expert_network.d (id int);",
    )
    .unwrap();
    let r = run(Some(&db.url), &["up", "--dir", path]);
    insta::assert_snapshot!(r.masked(&[(path, "DIR"), (&old, "[old]")]), @"
    exit: 4
    --- stdout
    --- stderr
    Error: the database does not match the migration files, so nothing was applied:
      001_a.sql was applied with checksum [old] but the file now has [checksum]; restore the file (git checkout) or write a new migration
    ");
    assert_eq!(db.tables("expert_network"), ["c"]);
    std::fs::write(d.path().join("001_a.sql"), "CREATE SCHEMA expert_network;").unwrap();

    // A pending migration older than the newest applied one.
    std::fs::write(
        d.path().join("002_b.sql"),
        "CREATE TABLE expert_network.b (id int);",
    )
    .unwrap();
    let r = run(Some(&db.url), &["up", "--dir", path]);
    insta::assert_snapshot!(r.masked(&[(path, "DIR")]), @"
    exit: 4
    --- stdout
    --- stderr
    Error: the database does not match the migration files, so nothing was applied:
      002_b.sql is pending but older than the newest applied migration (a merged branch?); renumber it after the newest or pass --allow-out-of-order
    ");
    run(
        Some(&db.url),
        &["up", "--dir", path, "--allow-out-of-order"],
    )
    .assert_code(0);
    assert_eq!(
        db.applied(),
        ["001_a.sql", "003_c.sql", "002_b.sql", "004_d.sql"]
    );

    // An applied migration with no file.
    std::fs::remove_file(d.path().join("003_c.sql")).unwrap();
    let r = run(Some(&db.url), &["up", "--dir", path]);
    insta::assert_snapshot!(r.masked(&[(path, "DIR")]), @"
    exit: 4
    --- stdout
    --- stderr
    Error: the database does not match the migration files, so nothing was applied:
      003_c.sql is recorded as applied but has no file (deleted, renamed, or the database is newer than these migrations); restore it or pass --ignore-missing
    ");
    run(Some(&db.url), &["up", "--dir", path, "--ignore-missing"]).assert_code(0);
}

#[test]
fn the_python_runners_tracker_is_adopted() {
    let db = TestDb::seeded();
    db.exec(
        "CREATE TABLE public.schema_migrations (id SERIAL PRIMARY KEY, migration_name VARCHAR(255) UNIQUE NOT NULL, applied_at TIMESTAMP DEFAULT NOW());
         INSERT INTO public.schema_migrations (id, migration_name) VALUES (5, '001_create_expert_network_schema'), (6, '002_seed_vendor_platforms.sql');",
    );
    // The earlier runner had applied 001 and 002.
    let files = [
        std::fs::read_to_string(root().join("sql/001_create_expert_network_schema.sql")).unwrap(),
        std::fs::read_to_string(root().join("sql/002_seed_vendor_platforms.sql")).unwrap(),
    ];
    db.exec(&files[0]);
    db.exec(&files[1]);
    let r = run(Some(&db.url), &["up"]);
    r.assert_code(0);
    assert_eq!(masked(&r.stdout, &[]), SEED_ADOPTED);
    let rows = db.query(
        "SELECT id, migration_name, checksum IS NOT NULL FROM public.schema_migrations ORDER BY id",
    );
    assert_eq!(rows[0][0].as_deref(), Some("5"));
    assert_eq!(
        rows[0][1].as_deref(),
        Some("001_create_expert_network_schema")
    );
    assert_eq!(rows[1][0].as_deref(), Some("6"));
    assert!(rows.iter().all(|r| r[2].as_deref() == Some("t")));
    assert_eq!(rows.len(), 3);
    // And the next run is quiet.
    let r = run(Some(&db.url), &["up"]);
    r.assert_code(0);
    assert_eq!(r.stdout, "nothing to do: 3 migrations already applied\n");
}

#[test]
fn a_foreign_tracker_is_refused_and_left_alone() {
    let db = TestDb::seeded();
    db.exec("CREATE TABLE public.schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO public.schema_migrations VALUES (20240101, false);");
    let r = run(Some(&db.url), &["up"]);
    assert_eq!(r.masked(&[]), FOREIGN_TRACKER_UP);
    assert_eq!(
        db.query("SELECT * FROM public.schema_migrations"),
        vec![vec![Some("20240101".to_string()), Some("f".to_string())]]
    );
    assert!(db.tables("expert_network").is_empty());
}

#[test]
fn concurrent_runners_apply_each_migration_exactly_once() {
    let db = TestDb::seeded();
    let children: Vec<_> = (0..8)
        .map(|_| {
            command(Some(&db.url), &["up"], &[])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    for o in &outs {
        assert!(
            o.status.success(),
            "{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert_eq!(db.applied(), SHIPPED);
    let applied_lines: usize = outs
        .iter()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .matches("applied 0")
                .count()
        })
        .sum();
    assert_eq!(applied_lines, 3);
    assert_eq!(advisory_locks(&db), 0);
}

#[test]
fn target_and_dry_run() {
    let db = TestDb::seeded();
    let r = run(Some(&db.url), &["up", "--dry-run"]);
    r.assert_code(0);
    assert_eq!(
        r.stdout,
        format!(
            "dry run: would apply 3 migrations, in this order:\n  {}\n",
            SHIPPED.join("\n  ")
        )
    );
    assert_eq!(
        db.one("SELECT count(*) FROM pg_tables WHERE schemaname = 'expert_network'"),
        "0"
    );
    assert_eq!(
        db.one("SELECT to_regclass('public.schema_migrations') IS NULL"),
        "t"
    );
    run(Some(&db.url), &["up", "--target", "2"]).assert_code(0);
    assert_eq!(db.applied(), SHIPPED[..2]);
    run(Some(&db.url), &["up", "--target", "99"]).assert_code(2);
}

#[test]
fn placeholders_are_set_and_checked_before_connecting() {
    // A URL nobody listens on: these must fail before connecting, with exit 2.
    let nowhere = "postgres://postgres@127.0.0.1:1/x";
    let r = run(
        Some(nowhere),
        &[
            "up",
            "--set",
            "app_role=x;drop table y",
            "--connect-timeout",
            "1",
        ],
    );
    insta::assert_snapshot!(r.masked(&[]), @r#"
    exit: 2
    --- stdout
    --- stderr
    Error: --set app_role="x;drop table y": the value must be a plain identifier ([a-z_][a-z0-9_]*, at most 63 bytes)
    "#);
    let r = run(Some(nowhere), &["up", "--set", "nope=x"]);
    r.assert_code(2);

    let d = dir(&[(
        "001_a.sql",
        "CREATE SCHEMA expert_network;\nGRANT USAGE ON SCHEMA expert_network TO ${nobody};",
    )]);
    let r = run(Some(nowhere), &["up", "--dir", d.path().to_str().unwrap()]);
    insta::assert_snapshot!(r.masked(&[(d.path().to_str().unwrap(), "DIR")]), @"
    exit: 1
    --- stdout
    --- stderr
    Error: DIR/001_a.sql: line 2: unknown placeholder ${nobody}; the placeholders are ${app_role}, ${readonly_role}
    ");

    let db = TestDb::seeded();
    run(
        Some(&db.url),
        &[
            "up",
            "--set",
            "app_role=en_test_app",
            "--set",
            "readonly_role=en_test_ro",
        ],
    )
    .assert_code(0);
    assert_eq!(
        db.one("SELECT has_table_privilege('en_test_app', 'expert_network.experts', 'INSERT')"),
        "t"
    );
    assert_eq!(
        db.one("SELECT has_table_privilege('en_test_ro', 'expert_network.experts', 'SELECT')"),
        "t"
    );
    // Checksums are over the file as written, so other role names are not drift.
    run(Some(&db.url), &["up"]).assert_code(0);
}

#[test]
fn json_output_of_up() {
    let db = TestDb::seeded();
    let r = run(Some(&db.url), &["up", "--format", "json"]);
    r.assert_code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["command"], "up");
    assert_eq!(v["applied"].as_array().unwrap().len(), 3);
    assert_eq!(v["applied"][0]["version"], 1);
}

/// A migration larger than one message travels in several, cut at statement ends: it applies whole,
/// and an error deep inside it still names the right line of the file.
#[test]
fn large_migrations_travel_in_pieces_and_report_the_right_line() {
    let db = TestDb::seeded();
    let mut big =
        String::from("CREATE TABLE expert_network.big (id int PRIMARY KEY, note text);\n");
    let mut id = 0;
    while big.len() < 3 << 20 {
        big += "INSERT INTO expert_network.big (id, note) VALUES\n";
        let rows: Vec<String> = (0..500)
            .map(|_| {
                id += 1;
                format!(
                    "({id}, 'row {id} with a note long enough to add up quickly, a; semicolon')"
                )
            })
            .collect();
        big += &rows.join(",\n");
        big += ";\n";
    }
    let good = big.clone();
    let bad_line = good.lines().count() + 2;
    let bad = format!("{good}SELECT 1;\nINSERT INTO expert_network.big (id, nope) VALUES (1, 'no such column');\n");
    let d = dir(&[
        ("001_schema.sql", "CREATE SCHEMA expert_network;"),
        ("002_big.sql", &bad),
    ]);
    let r = run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]);
    // The line is the one computed above, shown as BAD_LINE: any other number stays in the text.
    let at = format!("at line {bad_line}");
    insta::assert_snapshot!(r.masked(&[(d.path().to_str().unwrap(), "DIR"), (&at, "at line BAD_LINE")]), @r#"
    exit: 1
    --- stdout
    applied 001_schema.sql (N ms)
    --- stderr
    Error: DIR/002_big.sql at line BAD_LINE, column 37 failed and was rolled back (SQLSTATE 42703): column "nope" of relation "big" does not exist
    Applied before the failure (these stay applied): 001_schema.sql
    "#);
    assert_eq!(
        db.one("SELECT to_regclass('expert_network.big') IS NULL"),
        "t"
    );
    std::fs::write(d.path().join("002_big.sql"), &good).unwrap();
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]).assert_code(0);
    assert_eq!(
        db.one("SELECT count(*) FROM expert_network.big"),
        id.to_string()
    );
}

/// A trigger has no owner: the application's role, holding TRIGGER on expert_network's tables (the
/// seed's grants), may make one of pg_catalog's trigger function and a WHEN of built-ins only, which
/// no owner of what it runs tells apart from the migrations' own, and it runs with the rights of
/// every later migration that writes the table; proven on PostgreSQL 15 through `up`, where such a
/// WHEN sent pg_authid's rows to raguser's listener (query_to_xml in pg_notify) as postgres. `up`
/// refuses a trigger there that runs a built-in the fence would not let a migration call; one of
/// built-ins that only compute passes.
#[test]
fn triggers_another_role_made_of_built_ins_with_effects_stop_up() {
    let db = TestDb::seeded();
    run(Some(&db.url), &["up"]).assert_code(0);
    let d = dir(&[(
        "004_later.sql",
        "UPDATE expert_network.vendor_platforms SET display_name = btrim(display_name);",
    )]);
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sql");
    for f in std::fs::read_dir(&shipped).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, d.path().join(f.file_name().unwrap())).unwrap();
    }
    db.exec("SET ROLE raguser; CREATE TRIGGER same BEFORE UPDATE ON expert_network.vendor_platforms FOR EACH ROW WHEN (OLD.* IS NOT DISTINCT FROM NEW.* AND pg_catalog.length(NEW.slug) > 0) EXECUTE FUNCTION pg_catalog.suppress_redundant_updates_trigger()");
    db.exec("SET ROLE raguser; CREATE TRIGGER leak BEFORE UPDATE ON expert_network.vendor_platforms FOR EACH ROW WHEN (pg_catalog.pg_notify('leak', pg_catalog.query_to_xml('SELECT rolname FROM pg_catalog.pg_authid', false, false, '')::text) IS NULL) EXECUTE FUNCTION pg_catalog.suppress_redundant_updates_trigger()");
    let r = run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]);
    r.assert_code(3);
    for f in [
        "pg_notify(text,text)",
        "query_to_xml(text,boolean,boolean,text)",
    ] {
        let want = format!(
            "trigger leak on expert_network.vendor_platforms, whose WHEN calls pg_catalog.{f}"
        );
        assert!(r.stderr.contains(&want), "{want}: {}", r.stderr);
    }
    assert!(!r.stderr.contains("trigger same"), "{}", r.stderr);
    assert_eq!(db.applied(), SHIPPED);
    db.exec("DROP TRIGGER leak ON expert_network.vendor_platforms");
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]).assert_code(0);
    assert_eq!(db.applied().len(), 4);
}

/// The application's role may create in expert_network and make triggers on its tables (the seed's
/// grants). A function or trigger of its own there runs its code with the rights of every later
/// migration (a superuser's), so `up` refuses to apply anything until they belong to the migrations'
/// role; proven on PostgreSQL 15, where `up` ran raguser's expert_network.lower(text) as postgres.
#[test]
fn objects_another_role_made_in_the_schema_stop_up_before_anything_runs() {
    let db = TestDb::seeded();
    run(Some(&db.url), &["up"]).assert_code(0);
    let d = dir(&[(
        "004_later.sql",
        "UPDATE expert_network.vendor_platforms SET display_name = lower(display_name) WHERE false;",
    )]);
    // The shipped files, then one more that calls lower() on a table of theirs.
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sql");
    for f in std::fs::read_dir(&shipped).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, d.path().join(f.file_name().unwrap())).unwrap();
    }
    // A schema of the application's own (not expert_network) holds the function a trigger's WHEN
    // calls: PG 15 ran it as postgres on the migration's UPDATE, reading pg_authid.
    db.exec("CREATE SCHEMA rag AUTHORIZATION raguser; SET ROLE raguser; CREATE FUNCTION rag.ev() RETURNS boolean LANGUAGE sql AS 'SELECT true'; CREATE TRIGGER ev BEFORE UPDATE ON expert_network.vendor_platforms FOR EACH ROW WHEN (rag.ev()) EXECUTE FUNCTION expert_network.set_updated_at()");
    // A composite type of its own named like a built-in one takes a later migration's unqualified
    // `text` (PG 15: its assignment cast from text then ran on that migration's INSERT).
    db.exec("SET ROLE raguser; CREATE TYPE expert_network.text AS (v pg_catalog.text)");
    db.exec("SET ROLE raguser; CREATE FUNCTION expert_network.lower(text) RETURNS text LANGUAGE sql AS 'SELECT pg_catalog.upper($1)'; CREATE FUNCTION expert_network.touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'; CREATE TRIGGER touch BEFORE UPDATE ON expert_network.vendor_platforms FOR EACH ROW EXECUTE FUNCTION expert_network.touch()");
    let r = run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]);
    r.assert_code(3);
    assert!(
        r.stderr
            .contains("function expert_network.lower(text) (owner raguser)"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("trigger touch on expert_network.vendor_platforms, which runs expert_network.touch() (owner raguser)"), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "trigger ev on expert_network.vendor_platforms, whose WHEN calls rag.ev() (owner raguser)"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("type expert_network.text (owner raguser)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("Hint: give those objects to the role migrations run as"),
        "{}",
        r.stderr
    );
    assert_eq!(db.applied(), SHIPPED);
    // Nothing to apply: nothing to refuse.
    run(Some(&db.url), &["up"]).assert_code(0);
    // Given to the migrations' role, they are its own.
    db.exec("ALTER FUNCTION expert_network.lower(text) OWNER TO postgres; ALTER FUNCTION expert_network.touch() OWNER TO postgres; ALTER FUNCTION rag.ev() OWNER TO postgres; DROP TYPE expert_network.text");
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]).assert_code(0);
    assert_eq!(db.applied().len(), 4);
}
