//! The migration lifecycle beyond `up` of numbered files, against a real server: repeatable files,
//! post-deploy files, per-file settings, `baseline`, `repair`, `up --dry-run --sql` compared with
//! what the server logs for the real run, and progress of a long `CREATE INDEX CONCURRENTLY`.

mod common;
use common::*;
use std::time::Duration;

fn p(d: &tempfile::TempDir) -> &str {
    d.path().to_str().unwrap()
}

fn write(d: &tempfile::TempDir, name: &str, body: &str) {
    std::fs::write(d.path().join(name), body).unwrap();
}

const SCHEMA_AND_TABLE: &str = "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.campaigns (id int PRIMARY KEY, budget int);\n";

/// (id, checksum) of a tracker row.
fn row_of(db: &TestDb, name: &str) -> (String, String) {
    let r = db.query(&format!(
        "SELECT id::text, checksum FROM public.schema_migrations WHERE migration_name = '{name}'"
    ));
    assert_eq!(r.len(), 1, "{name}: {r:?}");
    (r[0][0].clone().unwrap(), r[0][1].clone().unwrap())
}

fn states(db: &TestDb, d: &tempfile::TempDir, extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec!["--dir", p(d)];
    args.extend_from_slice(extra);
    status_states(&db.url, &args)
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn a_repeatable_view_is_reapplied_after_an_edit_and_after_a_set_change() {
    let db = TestDb::seeded();
    let view = |extra: &str| {
        format!("CREATE OR REPLACE VIEW expert_network.campaign_summary AS\n  SELECT count(*) AS campaigns, '${{app_role}}'::text AS for_role{extra}\n  FROM expert_network.campaigns;\n")
    };
    let d = dir(&[("001_campaigns.sql", SCHEMA_AND_TABLE)]);
    write(&d, "R_campaign_summary.sql", &view(""));
    let r = run(Some(&db.url), &["up", "--dir", p(&d)]);
    r.assert_code(0);
    assert_eq!(
        masked(&r.stdout, &[]),
        "applied 001_campaigns.sql (N ms)\n\
         applied R_campaign_summary.sql (N ms)\n\
         2 applied, 0 already applied, in N ms\n"
    );
    assert_eq!(
        db.one("SELECT for_role FROM expert_network.campaign_summary"),
        "raguser"
    );
    let (id, first) = row_of(&db, "R_campaign_summary.sql");
    assert_eq!(
        states(&db, &d, &[]),
        pairs(&[
            ("001_campaigns.sql", "applied"),
            ("R_campaign_summary.sql", "applied")
        ])
    );
    run(Some(&db.url), &["up", "--dir", p(&d)]).assert_code(0);
    assert_eq!(
        row_of(&db, "R_campaign_summary.sql"),
        (id.clone(), first.clone())
    );

    // An edit: status says changed (not drift), up re-applies it after the new numbered file,
    // and the row keeps its id.
    write(
        &d,
        "R_campaign_summary.sql",
        &view(", sum(budget) AS budget"),
    );
    write(
        &d,
        "002_more.sql",
        "ALTER TABLE expert_network.campaigns ADD COLUMN name text;\n",
    );
    assert_eq!(
        states(&db, &d, &[]),
        pairs(&[
            ("001_campaigns.sql", "applied"),
            ("002_more.sql", "pending"),
            ("R_campaign_summary.sql", "changed")
        ])
    );
    let r = run(Some(&db.url), &["up", "--dir", p(&d)]);
    r.assert_code(0);
    assert_eq!(
        masked(&r.stdout, &[]),
        "applied 002_more.sql (N ms)\n\
         applied R_campaign_summary.sql (N ms)\n\
         2 applied, 1 already applied, in N ms\n"
    );
    db.exec("INSERT INTO expert_network.campaigns VALUES (1, 40), (2, 2)");
    assert_eq!(
        db.one("SELECT budget FROM expert_network.campaign_summary"),
        "42"
    );
    let (id2, edited) = row_of(&db, "R_campaign_summary.sql");
    assert_eq!(id2, id);
    assert_ne!(edited, first);
    assert_eq!(
        db.one("SELECT count(*) FROM public.schema_migrations WHERE migration_name = 'R_campaign_summary.sql'"),
        "1"
    );

    // A --set change changes what the file sends, so it is re-applied; the same --set again is a no-op.
    db.exec("CREATE ROLE other_app NOLOGIN");
    let set = ["--set", "app_role=other_app"];
    assert_eq!(states(&db, &d, &set)[2].1, "changed");
    let mut args = vec!["up", "--dir", p(&d)];
    args.extend_from_slice(&set);
    let r = run(Some(&db.url), &args);
    r.assert_code(0);
    assert_eq!(
        masked(&r.stdout, &[]),
        "applied R_campaign_summary.sql (N ms)\n\
         1 applied, 2 already applied, in N ms\n"
    );
    assert_eq!(
        db.one("SELECT for_role FROM expert_network.campaign_summary"),
        "other_app"
    );
    let r = run(Some(&db.url), &args);
    r.assert_code(0);
    assert_eq!(r.stdout, "nothing to do: 3 migrations already applied\n");
    db.exec("DROP VIEW expert_network.campaign_summary; DROP ROLE other_app");

    // verify counts it: applied with the default --set after one more up.
    run(Some(&db.url), &["up", "--dir", p(&d)]).assert_code(0);
    let r = run(
        Some(&db.url),
        &["verify", "--dir", p(&d), "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let check = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "migrations")
        .unwrap()
        .clone();
    assert_eq!(check["ok"], true, "{check}");
    assert!(
        check["detail"].as_str().unwrap().starts_with("3 applied"),
        "{check}"
    );
}

#[test]
fn a_repeatable_file_is_fenced_like_any_migration() {
    let db = TestDb::seeded();
    let d = dir(&[
        ("001_campaigns.sql", SCHEMA_AND_TABLE),
        (
            "R_bad.sql",
            "CREATE OR REPLACE VIEW public.campaign_summary AS SELECT 1 AS one;\n",
        ),
    ]);
    let r = run(Some(&db.url), &["up", "--dir", p(&d)]);
    r.assert_code(3);
    assert_eq!(masked(&r.stdout, &[(p(&d), "DIR")]), "DIR/R_bad.sql:1:24: refused [touches-public]: public.campaign_summary is in schema public\n  \
           hint: public belongs to BetterAuth and the other applications; keep every object in expert_network\n");
    assert!(db.to_regclass("public.schema_migrations").is_none() || db.applied().is_empty());
}

#[test]
fn post_deploy_files_are_held_by_up_and_applied_by_up_post_deploy() {
    let db = TestDb::seeded();
    let d = dir(&[
        ("001_campaigns.sql", SCHEMA_AND_TABLE),
        ("002_drop_budget.sql", "-- The release before this one stopped reading budget.\n-- en-migrate: post-deploy\nALTER TABLE expert_network.campaigns DROP COLUMN budget;\n"),
        ("003_name.sql", "ALTER TABLE expert_network.campaigns ADD COLUMN name text;\n"),
    ]);
    let r = run(Some(&db.url), &["up", "--dir", p(&d)]);
    r.assert_code(0);
    assert_eq!(masked(&r.stdout, &[]), "applied 001_campaigns.sql (N ms)\n\
         applied 003_name.sql (N ms)\n\
         held 002_drop_budget.sql (post-deploy): apply it with `en-migrate up --post-deploy` once the release that stops using what it removes is rolled out\n\
         2 applied, 0 already applied, in N ms\n");
    assert_eq!(db.applied(), ["001_campaigns.sql", "003_name.sql"]);
    assert_eq!(db.one("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'expert_network' AND column_name = 'budget'"), "1");
    assert_eq!(
        states(&db, &d, &[]),
        pairs(&[
            ("001_campaigns.sql", "applied"),
            ("002_drop_budget.sql", "held"),
            ("003_name.sql", "applied")
        ])
    );
    // Held again, not out of order, by a second plain run.
    run(Some(&db.url), &["up", "--dir", p(&d)]).assert_code(0);
    let r = run(Some(&db.url), &["up", "--dir", p(&d), "--post-deploy"]);
    r.assert_code(0);
    assert_eq!(
        masked(&r.stdout, &[]),
        "applied 002_drop_budget.sql (N ms)\n\
         1 applied, 2 already applied, in N ms\n"
    );
    assert_eq!(db.one("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'expert_network' AND column_name = 'budget'"), "0");
    assert_eq!(states(&db, &d, &[])[1].1, "applied");
}

#[test]
fn per_file_directives_override_the_run_flags_as_the_server_sees_them() {
    let db = TestDb::seeded();
    let seen = "INSERT INTO expert_network.seen SELECT '{f}', pg_catalog.current_setting('lock_timeout'), pg_catalog.current_setting('statement_timeout');\n";
    let d = dir(&[
        ("001_seen.sql", &format!("CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.seen (file text, lock_timeout text, statement_timeout text);\n{}", seen.replace("{f}", "001"))),
        ("002_long.sql", &format!("-- A long rebuild that must wait for its locks.\n-- en-migrate: lock-timeout=2s\n-- en-migrate: statement-timeout=30min\n{}", seen.replace("{f}", "002"))),
        ("003_lock_only.sql", &format!("-- en-migrate: lock-timeout=250ms\n{}", seen.replace("{f}", "003"))),
    ]);
    run(
        Some(&db.url),
        &[
            "up",
            "--dir",
            p(&d),
            "--ddl-lock-timeout",
            "7s",
            "--statement-timeout",
            "1min",
        ],
    )
    .assert_code(0);
    assert_eq!(
        db.query(
            "SELECT file, lock_timeout, statement_timeout FROM expert_network.seen ORDER BY file"
        ),
        [
            ["001", "7s", "1min"],
            ["002", "2s", "30min"],
            ["003", "250ms", "1min"],
        ]
        .map(|r| r.map(|c| Some(c.to_string())).to_vec())
    );
    // A malformed directive is refused before connecting, naming file and line.
    write(
        &d,
        "004_bad.sql",
        "-- fine\n-- en-migrate: statement-timeout=forever\nSELECT 1;\n",
    );
    let r = run(
        Some("postgres://postgres@127.0.0.1:1/x"),
        &["up", "--dir", p(&d), "--connect-timeout", "1"],
    );
    assert_ne!(r.code, 0);
    r.assert_stderr("004_bad.sql: line 2: \"forever\" is not a duration");
}

/// Three tables over three files, for baseline.
fn three_tables() -> tempfile::TempDir {
    dir(&[
        ("001_a.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.a (id int);\n"),
        ("002_b.sql", "CREATE TABLE expert_network.b (id int);\n"),
        ("003_c.sql", "CREATE TABLE expert_network.c (id int);\n"),
    ])
}

#[test]
fn baseline_records_a_hand_made_schema_and_refuses_what_would_hide_a_difference() {
    let db = TestDb::seeded();
    let d = three_tables();
    db.exec("CREATE SCHEMA expert_network; CREATE TABLE expert_network.a (id int); CREATE TABLE expert_network.b (id int);");

    let r = run(
        Some(&db.url),
        &["baseline", "--dir", p(&d), "--version", "2", "--dry-run"],
    );
    r.assert_code(0);
    assert_eq!(
        masked(&r.stdout, &[]),
        "would record 001_a.sql as applied (baseline, not run)\n\
         would record 002_b.sql as applied (baseline, not run)\n"
    );
    assert!(
        db.to_regclass("public.schema_migrations").is_none(),
        "--dry-run wrote"
    );

    // 003 creates c, which the hand-made schema lacks.
    let r = run(
        Some(&db.url),
        &["baseline", "--dir", p(&d), "--version", "3"],
    );
    r.assert_code(4);
    r.assert_stderr("expert_network lacks a table that the migrations up to version 3 create: c");
    assert!(db.to_regclass("public.schema_migrations").is_none());
    run(
        Some(&db.url),
        &["baseline", "--dir", p(&d), "--version", "9"],
    )
    .assert_code(2);

    let r = run(
        Some(&db.url),
        &["baseline", "--dir", p(&d), "--version", "2"],
    );
    r.assert_code(0);
    assert_eq!(db.applied(), ["001_a.sql", "002_b.sql"]);
    let by = db
        .one("SELECT applied_by FROM public.schema_migrations WHERE migration_name = '002_b.sql'");
    assert!(by.starts_with("baseline by postgres at "), "{by}");
    assert_eq!(db.one("SELECT count(*) FROM public.schema_migrations WHERE checksum IS NOT NULL AND execution_ms IS NULL"), "2");
    // up continues from there; the baselined files never ran (their CREATE TABLE would fail).
    let r = run(Some(&db.url), &["up", "--dir", p(&d)]);
    r.assert_code(0);
    assert_eq!(
        masked(&r.stdout, &[]),
        "applied 003_c.sql (N ms)\n\
         1 applied, 2 already applied, in N ms\n"
    );
    // The tracker now holds a migration beyond 1.
    let r = run(
        Some(&db.url),
        &["baseline", "--dir", p(&d), "--version", "1"],
    );
    r.assert_code(4);
    r.assert_stderr("already records migrations beyond version 1: 002_b.sql, 003_c.sql");
    assert_eq!(advisory_locks(&db), 0);
}

#[test]
fn baseline_adopts_the_seeds_tracker_and_keeps_its_rows() {
    let db = TestDb::seeded();
    let d = three_tables();
    db.exec("CREATE SCHEMA expert_network; CREATE TABLE expert_network.a (id int); CREATE TABLE expert_network.b (id int);");
    // The seed's runner recorded 001 under an explicit id, ahead of its sequence.
    db.exec("CREATE TABLE public.schema_migrations (id SERIAL PRIMARY KEY, migration_name VARCHAR(255) UNIQUE NOT NULL, applied_at TIMESTAMP DEFAULT NOW()); \
             INSERT INTO public.schema_migrations (id, migration_name) VALUES (7, '001_a.sql')");
    let r = run(
        Some(&db.url),
        &["baseline", "--dir", p(&d), "--version", "2"],
    );
    r.assert_code(0);
    assert_eq!(
        masked(&r.stdout, &[]),
        "recorded 002_b.sql as applied (baseline, not run)\n\
         already recorded 001_a.sql\n"
    );
    assert_eq!(db.applied(), ["001_a.sql", "002_b.sql"]);
    assert_eq!(
        db.one("SELECT string_agg(id::text || ' ' || (checksum IS NULL)::text, ', ' ORDER BY id) FROM public.schema_migrations"),
        "7 true, 8 false"
    );
    assert_eq!(advisory_locks(&db), 0);
}

#[test]
fn baseline_force_records_despite_a_missing_table() {
    let db = TestDb::seeded();
    let d = three_tables();
    db.exec("CREATE SCHEMA expert_network; CREATE TABLE expert_network.a (id int);");
    let r = run(
        Some(&db.url),
        &[
            "baseline",
            "--dir",
            p(&d),
            "--version",
            "3",
            "--force",
            "--format",
            "json",
        ],
    );
    r.assert_code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["command"], "baseline");
    assert_eq!(v["missing_tables"], serde_json::json!(["b", "c"]));
    assert_eq!(db.applied(), ["001_a.sql", "002_b.sql", "003_c.sql"]);
}

#[test]
fn repair_records_an_intentional_edit_and_refuses_pending_and_missing_files() {
    let db = TestDb::seeded();
    let d = dir(&[
        ("001_a.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.a (id int);\n"),
        ("002_b.sql", "CREATE TABLE expert_network.b (id int);\n"),
    ]);
    run(Some(&db.url), &["up", "--dir", p(&d)]).assert_code(0);
    let (id, old) = row_of(&db, "001_a.sql");
    write(&d, "001_a.sql", "-- Fixed a typo in this comment.\nCREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.a (id int);\n");
    write(&d, "003_c.sql", "CREATE TABLE expert_network.c (id int);\n");
    run(Some(&db.url), &["up", "--dir", p(&d)]).assert_code(4);

    // Without --yes: shown, not changed.
    let r = run(Some(&db.url), &["repair", "--dir", p(&d)]);
    r.assert_code(0);
    assert_eq!(masked(&r.stdout, &[(&old, "[old]")]), "001_a.sql: recorded checksum [old], the file now has [checksum]\n\
         nothing was changed: run `en-migrate repair --yes` to record the new checksums (only if the edit changes nothing the database holds; otherwise restore the file and write a new migration)\n");
    assert_eq!(row_of(&db, "001_a.sql").1, old);
    // Named files that are pending, unchanged or unknown are refused.
    for (name, why) in [
        ("003_c.sql", "it is pending"),
        ("002_b.sql", "it is applied and unchanged"),
        ("009_x.sql", "no file or tracker row has that name"),
    ] {
        let r = run(Some(&db.url), &["repair", "--dir", p(&d), name, "--yes"]);
        r.assert_code(2);
        r.assert_stderr(&format!("cannot repair {name}: {why}"));
    }
    std::fs::remove_file(d.path().join("002_b.sql")).unwrap();
    let r = run(
        Some(&db.url),
        &["repair", "--dir", p(&d), "002_b.sql", "--yes"],
    );
    r.assert_code(2);
    r.assert_stderr("cannot repair 002_b.sql: it has no file");
    write(&d, "002_b.sql", "CREATE TABLE expert_network.b (id int);\n");
    assert_eq!(row_of(&db, "001_a.sql").1, old);

    let r = run(Some(&db.url), &["repair", "--dir", p(&d), "--yes"]);
    r.assert_code(0);
    assert_eq!(
        masked(&r.stdout, &[(&old, "[old]")]),
        "001_a.sql: recorded checksum [old], the file now has [checksum]\n\
         recorded the new checksum of 1 migration; nothing was run\n"
    );
    let (id2, new) = row_of(&db, "001_a.sql");
    assert_eq!(id2, id);
    assert_ne!(new, old);
    let by = db
        .one("SELECT applied_by FROM public.schema_migrations WHERE migration_name = '001_a.sql'");
    assert_eq!(
        masked(&by, &[(&old, "[old]")]),
        format!(
            "postgres (en-migrate {v}); repaired by postgres at [timestamp] UTC (en-migrate {v}) (checksum was [old])",
            v = env!("CARGO_PKG_VERSION")
        )
    );
    // Nothing ran: the edited file would fail on the existing table if it had.
    let r = run(Some(&db.url), &["up", "--dir", p(&d)]);
    r.assert_code(0);
    assert_eq!(
        masked(&r.stdout, &[]),
        "applied 003_c.sql (N ms)\n1 applied, 2 already applied, in N ms\n"
    );
    run(Some(&db.url), &["repair", "--dir", p(&d)]).assert_code(0);
}

/// A concurrent build that takes several seconds, however fast the machine.
fn slow_index() -> tempfile::TempDir {
    slow_index_files(5000, "0.001")
}

#[test]
fn a_long_create_index_concurrently_shows_what_postgresql_reports_for_it() {
    let db = TestDb::seeded();
    let d = slow_index();
    let r = run_env(Some(&db.url), &["up", "--dir", p(&d)], &[("CI", "1")]);
    r.assert_code(0);
    let lines: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("002_index.sql: running for"))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("building index: scanning table, blocks ") && l.contains(" of ")),
        "no progress of the build in:\n{}",
        r.stderr
    );
    // A migration that ends quickly shows none.
    assert!(
        !r.stderr.contains("001_big.sql: running for"),
        "{}",
        r.stderr
    );
    assert_eq!(db.one("SELECT indisvalid FROM pg_index WHERE indexrelid = 'expert_network.big_slow'::regclass"), "t");
}

#[test]
fn a_migration_waiting_for_a_lock_shows_who_blocks_it() {
    let db = TestDb::seeded();
    let d = dir(&[(
        "001_t.sql",
        "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.t (id int);\n",
    )]);
    run(Some(&db.url), &["up", "--dir", p(&d)]).assert_code(0);
    write(
        &d,
        "002_alter.sql",
        "ALTER TABLE expert_network.t ADD COLUMN n int;\n",
    );
    let mut holder = db.hold("SET application_name = 'the blocker'; BEGIN; LOCK TABLE expert_network.t IN ACCESS SHARE MODE; SELECT 'holding'");
    let r = run_env(
        Some(&db.url),
        &[
            "up",
            "--dir",
            p(&d),
            "--ddl-lock-timeout",
            "6s",
            "--lock-retries",
            "0",
        ],
        &[("CI", "1")],
    );
    r.assert_code(1);
    assert!(
        r.stderr
            .lines()
            .any(|l| l.contains("002_alter.sql: running for")
                && l.contains("waiting for a lock held by pid ")
                && l.contains("(idle in transaction: SET application_name = 'the blocker'")),
        "{}",
        r.stderr
    );
    holder.client.batch_execute("ROLLBACK").unwrap();
}

/// The statements a server logged with `log_statement = all`, in order, each whole (continuation
/// lines joined), from the log text given.
fn logged_statements(log: &str) -> Vec<String> {
    let is_header = |l: &str| {
        l.len() > 20
            && l.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && l.as_bytes()[4] == b'-'
            && l.contains("] ")
    };
    let mut out: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in log.lines() {
        if is_header(line) {
            out.extend(current.take());
            if let Some((_, stmt)) = line.split_once("LOG:  statement: ") {
                current = Some(stmt.to_string());
            }
        } else if let Some(c) = current.as_mut() {
            // The server starts every continuation line of a statement with a tab.
            c.push('\n');
            c.push_str(line.strip_prefix('\t').unwrap_or(line));
        }
    }
    out.extend(current);
    out.into_iter().map(|s| s.trim_end().to_string()).collect()
}

/// The messages `up --dry-run --sql` printed: (heading, SQL), without the COMMIT that follows each.
fn dry_run_messages(stdout: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in stdout.lines() {
        let heading = line.starts_with("-- ")
            && line.ends_with(':')
            && (line.contains(": one message")
                || line.contains("the tracker, created")
                || line.contains("its answer not waited for")
                || line.contains("takes public's state"));
        if heading {
            out.push((line.to_string(), String::new()));
        } else if let Some((_, sql)) = out.last_mut() {
            sql.push_str(line);
            sql.push('\n');
        }
    }
    out.into_iter()
        .map(|(h, s)| {
            // A migration's COMMIT is a message of its own; the tracker's follows its message too.
            let s = s.trim_end();
            let s = match h.contains(": one message") {
                true => s.strip_suffix("\nCOMMIT;").unwrap_or(s).trim_end(),
                false => s,
            };
            (h, unmarked(s))
        })
        .collect()
}

/// `sql` without the stall marker (`/* en-migrate <pid>.<nanos> */ `) each run puts in front of its
/// messages: it names the process, so two runs never share it.
fn unmarked(sql: &str) -> String {
    const AT: &str = "/* en-migrate ";
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some((head, tail)) = rest.split_once(AT) {
        out += head;
        rest = tail.split_once(" */ ").map_or(tail, |(_, t)| t);
    }
    out + rest
}

/// Public's state as the first migration takes it is known only to the run; compare around it.
fn without_state(sql: &str) -> String {
    let unmarked = unmarked(sql);
    let sql: &str = &unmarked;
    // Public's state travels from the runner to the guard as the literal `base text := '...'` (in the
    // opening and at the end of every migration after the run's first): only the real run knows it.
    const AT: &str = "base text := '";
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some((head, tail)) = rest.split_once(AT) {
        out += head;
        out += AT;
        out += "<state>";
        rest = tail.split_once("';").map_or("", |(_, t)| t);
        out += "';";
    }
    out + rest
}

/// The server log once it holds everything sent before now: a marker statement is sent after the
/// run, and the log is read once the marker is in it.
fn logged_through(url: &str, log_path: &std::path::Path, tag: &str) -> String {
    let marker = format!("en-migrate test marker {tag}");
    try_one(url, &format!("SELECT '{marker}'"));
    wait_for(std::time::Duration::from_secs(10), &marker, || {
        let log = std::fs::read_to_string(log_path).unwrap();
        log.contains(&marker).then_some(log)
    })
}

#[test]
fn dry_run_sql_is_what_the_server_logs_for_the_real_run_and_sends_only_reads() {
    let c = Dedicated::new("dryrun-log", 9);
    let admin = c.start();
    exec_url(&admin, "ALTER SYSTEM SET log_statement = 'all'");
    exec_url(&admin, "SELECT pg_reload_conf()");
    exec_url(&admin, "CREATE DATABASE app");
    let url = c.url("postgres", "app");
    wait_for(
        std::time::Duration::from_secs(10),
        "log_statement = all",
        || (try_one(&url, "SHOW log_statement").as_deref() == Some("all")).then_some(()),
    );
    let d = dir(&[
        ("001_campaigns.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.campaigns (id int PRIMARY KEY, budget int);\nCOMMENT ON TABLE expert_network.campaigns IS 'read by ${app_role}';\n"),
        ("002_index.sql", "-- en-migrate: lock-timeout=2s\n-- en-migrate: statement-timeout=30min\nCREATE INDEX campaigns_budget ON expert_network.campaigns (budget);\n"),
        ("R_summary.sql", "CREATE OR REPLACE VIEW expert_network.summary AS SELECT count(*) AS n, '${app_role}'::text AS role FROM expert_network.campaigns;\n"),
    ]);
    let log_path = c.dir.join("server.log");
    let log_len = || std::fs::read_to_string(&log_path).unwrap().len();
    let args = [
        "up",
        "--dir",
        p(&d),
        "--set",
        "app_role=reporting",
        "--ddl-lock-timeout",
        "7s",
    ];

    let before = log_len();
    let mut dry_args = args.to_vec();
    dry_args.extend(["--dry-run", "--sql"]);
    let dry = run(Some(&url), &dry_args);
    dry.assert_code(0);
    let messages = dry_run_messages(&dry.stdout);
    let headings: Vec<&str> = messages.iter().map(|(h, _)| h.as_str()).collect();
    // The tracker; 001's opening, which takes public's state in a message of its own; 001; 002; R_summary.
    insta::assert_snapshot!(headings.join("\n"), @"
    -- the tracker, created first in a transaction of its own, sent beside the last checks; its COMMIT follows in a message of its own once they pass:
    -- right behind it, in the same transaction, its answer not waited for: the guard's start, run once to fill the session's catalog caches and plans before the first migration's opening:
    -- 001_campaigns.sql: first, in a message of its own, the transaction opens and takes public's state:
    -- 001_campaigns.sql: one message, then COMMIT in a message of its own:
    -- 002_index.sql: one message, then COMMIT in a message of its own:
    -- R_summary.sql: one message, then COMMIT in a message of its own:
    ");
    // Not whole: the messages carry the guard (snapshot-tested whole in src/snapshots) and settings that
    // differ between server versions (client_connection_check_interval from 14 on).
    assert!(
        messages[3].1.contains("'read by reporting'")
            && messages[5].1.contains("'reporting'::text")
    );
    assert!(
        messages[4].1.contains("SET LOCAL lock_timeout = '2000ms'")
            && messages[4]
                .1
                .contains("SET LOCAL statement_timeout = '1800000ms'")
    );
    // The JSON form carries the same messages.
    dry_args.extend(["--format", "json"]);
    let json = run(Some(&url), &dry_args);
    json.assert_code(0);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let sqls: Vec<String> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let sql = m["sql"].as_str().unwrap().trim_end();
            unmarked(
                sql.strip_suffix("\nCOMMIT;")
                    .filter(|_| !m["migration"].is_null())
                    .unwrap_or(sql)
                    .trim_end(),
            )
        })
        .collect();
    assert_eq!(
        sqls,
        messages.iter().map(|(_, s)| s.clone()).collect::<Vec<_>>()
    );
    assert_eq!(v["messages"][5]["migration"], "R_summary.sql");
    // Nothing but reads reached the server, and nothing was written.
    let log = logged_through(&url, &log_path, "dry");
    let during_dry = logged_statements(&log[before..]);
    assert!(!during_dry.is_empty());
    // Reads, and the session pin every connection gets (`apply::SESSION_PINS`), which writes nothing.
    for s in &during_dry {
        let s_up = s.trim_start().to_ascii_uppercase();
        assert!(
            s_up.starts_with("SELECT")
                || s_up == "SET STANDARD_CONFORMING_STRINGS = ON;\nSET CHECK_FUNCTION_BODIES = ON;",
            "the dry run sent {s:?}"
        );
    }
    assert_eq!(
        try_one(&url, "SELECT to_regclass('public.schema_migrations')::text"),
        None
    );

    let mid = log_len();
    run(Some(&url), &args).assert_code(0);
    let log = logged_through(&url, &log_path, "real");
    let real: Vec<String> = logged_statements(&log[mid..])
        .iter()
        .map(|s| without_state(s))
        .collect();
    // The first migration's opening is the printed one exactly; the rest but for public's state.
    let sent = |sql: &str| real.iter().position(|s| *s == without_state(sql));

    assert!(
        real.contains(&without_state(&messages[2].1)),
        "001's opening was not sent as printed:\n{}\n--- logged:\n{}",
        messages[2].1,
        real.join("\n---\n")
    );
    let at: Vec<Option<usize>> = messages.iter().map(|(_, sql)| sent(sql)).collect();
    assert!(
        at.iter().all(Option::is_some),
        "not sent as printed: {:?}\n--- logged:\n{}",
        at,
        real.join("\n---\n")
    );
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "sent in another order: {at:?}"
    );
}

#[test]
fn concurrent_runners_reapply_an_edited_repeatable_file_exactly_once() {
    // A no-transaction file too: its row keeps its id, so a newer id cannot tell that it ran.
    for no_transaction in [false, true] {
        let db = TestDb::seeded();
        let body = |v: u32| {
            match no_transaction {
            false => format!("SELECT pg_catalog.pg_sleep(0.5);\nINSERT INTO expert_network.runs (v) VALUES ({v});\nCREATE OR REPLACE VIEW expert_network.v AS SELECT {v} AS v;\n"),
            true => format!("-- en-migrate: no-transaction\nINSERT INTO expert_network.runs (v) SELECT {v} FROM pg_catalog.pg_sleep(0.5);\n"),
        }
        };
        let d = dir(&[("001_runs.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.runs (v int);\n")]);
        write(&d, "R_v.sql", &body(1));
        run(Some(&db.url), &["up", "--dir", p(&d)]).assert_code(0);
        write(&d, "R_v.sql", &body(2));
        let runners: Vec<_> = (0..5)
            .map(|_| spawn(Some(&db.url), &["up", "--dir", p(&d)], &[]))
            .collect();
        for r in runners {
            finish(r).assert_code(0);
        }
        // Once for the first version, once for the edit: the others found it applied.
        assert_eq!(
            db.one("SELECT string_agg(v::text, ',' ORDER BY v) FROM expert_network.runs"),
            "1,2",
            "no_transaction: {no_transaction}"
        );
        if !no_transaction {
            assert_eq!(db.one("SELECT v FROM expert_network.v"), "2");
        }
        assert_eq!(db.applied(), ["001_runs.sql", "R_v.sql"]);
        assert_eq!(advisory_locks(&db), 0);
    }
}

#[test]
fn verify_expects_what_a_held_post_deploy_file_drops_until_it_is_applied() {
    let db = TestDb::seeded();
    let d = dir(&[
        ("001_ab.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.a (id int);\nCREATE TABLE expert_network.b (id int);\n"),
        ("002_drop_b.sql", "-- en-migrate: post-deploy\nDROP TABLE expert_network.b;\n"),
    ]);
    let checks = |db: &TestDb| -> Vec<(String, bool, String)> {
        let r = run(
            Some(&db.url),
            &["verify", "--dir", p(&d), "--format", "json"],
        );
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["name"] == "expert_network" || c["name"] == "migrations")
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_string(),
                    c["ok"].as_bool().unwrap(),
                    c["detail"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    run(Some(&db.url), &["up", "--dir", p(&d)]).assert_code(0);
    let held = checks(&db);
    assert!(held.iter().all(|(_, ok, _)| *ok), "{held:?}");
    insta::assert_snapshot!(held[1].2, @"1 applied, none pending, changed or missing; post-deploy 002_drop_b.sql held (`en-migrate up --post-deploy` applies it)");
    run(Some(&db.url), &["up", "--dir", p(&d), "--post-deploy"]).assert_code(0);
    let applied = checks(&db);
    assert!(applied.iter().all(|(_, ok, _)| *ok), "{applied:?}");
    assert_eq!(db.tables("expert_network"), ["a"]);
}

#[test]
fn on_a_terminal_the_progress_is_a_bar() {
    let db = TestDb::seeded();
    let d = slow_index();
    // `script` gives the run a terminal; what it drew comes back on script's stdout.
    let cmdline = format!(
        "stty cols 120 rows 40; {} up --no-dotenv --dir {}",
        bin(),
        p(&d)
    );
    let out = std::process::Command::new("script")
        .args(["-qefc", &cmdline, "/dev/null"])
        .env("DATABASE_URL", &db.url)
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("run script");
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{screen}");
    assert!(
        screen.contains("applying 002_index.sql")
            && screen.contains("building index: scanning table, blocks "),
        "{screen}"
    );
    assert!(
        screen.contains("=>") || screen.contains("==="),
        "no bar drawn:\n{screen}"
    );
    assert!(
        !screen.contains("running for"),
        "a plain line on a terminal:\n{screen}"
    );
}

#[test]
fn a_baseline_that_read_no_tracker_stops_cleanly_when_another_runner_created_it_meanwhile() {
    let db = TestDb::seeded();
    let d = three_tables();
    db.exec("CREATE SCHEMA expert_network; CREATE TABLE expert_network.a (id int);");
    let holder = db.hold_migration_lock();
    let child = spawn(
        Some(&db.url),
        &[
            "baseline",
            "--dir",
            p(&d),
            "--version",
            "1",
            "--lock-wait",
            "60",
        ],
        &[],
    );
    // It has read the tracker (absent) and now retries its write under the lock. In this database:
    // other tests' runners poll the same lock in theirs (PG 18 matrix: one of them answered first,
    // and the baseline read the tracker only after it had been made).
    wait_for(
        Duration::from_secs(30),
        "the baseline to wait for the lock",
        || {
            (db.one("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'en-migrate' AND query LIKE '%pg_try_advisory_xact_lock%'") != "0")
                .then_some(())
        },
    );
    // Another runner (here: a second baseline, by hand) creates the tracker and records 001 meanwhile.
    db.exec(
        "CREATE TABLE public.schema_migrations (id SERIAL PRIMARY KEY, migration_name VARCHAR(255) UNIQUE NOT NULL, \
         applied_at TIMESTAMP DEFAULT NOW(), checksum TEXT, execution_ms BIGINT, applied_by TEXT); \
         INSERT INTO public.schema_migrations (migration_name) VALUES ('001_a.sql');",
    );
    drop(holder);
    let r = finish(child);
    r.assert_code(1);
    assert_eq!(
        masked(&r.stderr, &[]),
        "Error: another runner wrote the tracker while this command ran; nothing was changed.\n\
         Hint: run the command again to see the tracker as it is now\n"
    );
    assert_eq!(db.applied(), ["001_a.sql"]);
    assert_eq!(db.one("SELECT count(*) FROM public.schema_migrations"), "1");
}

#[test]
fn baseline_refuses_a_file_whose_version_the_tracker_records_under_another_name() {
    let db = TestDb::seeded();
    let d = three_tables();
    db.exec("CREATE SCHEMA expert_network; CREATE TABLE expert_network.a (id int); CREATE TABLE expert_network.b (id int);");
    run(
        Some(&db.url),
        &["baseline", "--dir", p(&d), "--version", "1"],
    )
    .assert_code(0);
    std::fs::rename(d.path().join("001_a.sql"), d.path().join("001_first.sql")).unwrap();
    let r = run(
        Some(&db.url),
        &["baseline", "--dir", p(&d), "--version", "2"],
    );
    r.assert_code(4);
    assert_eq!(
        masked(&r.stderr, &[]),
        "Error: the tracker records 001_first.sql's version as 001_a.sql (renamed files); recording them too would leave those rows without a file, so nothing was changed.\n\
         Hint: give the file its recorded name back (`en-migrate status` shows what is recorded)\n"
    );
    assert_eq!(db.applied(), ["001_a.sql"]);
}
