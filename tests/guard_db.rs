//! The database-side check beyond public's catalogs, against a real server: roles, memberships and
//! role settings; public's sequence values (which a rollback does not put back); the session a
//! migration leaves behind, put back before the next one; another session's DDL told apart from the
//! migration's; and `--migration-role`. What the static fence refuses is reached here through a
//! function that existed before en-migrate (its body is the fence's blind spot), as in fence_db.rs.

mod common;
use common::*;

/// A role name no other test (roles are the whole server's) uses.
fn role(db: &TestDb, what: &str) -> String {
    format!("{}_{what}", db.name)
}

/// A seeded database with expert_network and `expert_network.innocent()`, which runs `attack` when called.
fn with_innocent(attack: &str) -> TestDb {
    innocent_in(TestDb::seeded(), attack)
}

/// `db` with expert_network and `expert_network.innocent()`, which runs `attack` when called.
fn innocent_in(db: TestDb, attack: &str) -> TestDb {
    db.exec(&format!(
        "CREATE SCHEMA expert_network;
         CREATE FUNCTION expert_network.innocent() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE {}; END $$;",
        literal(attack)
    ));
    db
}

/// The migrations as written, with each call of a function that existed before en-migrate made through
/// a function the migration defines under `allow dynamic-sql`: the fence refuses a call of an
/// expert_network function that no migration creates, so the body it cannot see is reached this way.
fn sneaky_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let files: Vec<(String, String)> = files
        .iter()
        .map(|(name, text)| {
            let mut text = text.to_string();
            for f in ["innocent", "make"] {
                let call = format!("SELECT expert_network.{f}();");
                if text.contains(&call) {
                    text = format!("-- en-migrate: allow dynamic-sql\n{}", text.replace(
                        &call,
                        &format!("CREATE OR REPLACE FUNCTION expert_network.call_{f}() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE concat('SELECT expert_network.', '{f}()'); END $$;\nSELECT expert_network.call_{f}();"),
                    ));
                }
            }
            (name.to_string(), text)
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    dir(&refs)
}

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `up` over one good migration, then one that calls innocent(): the second is refused (exit 3) and
/// rolled back, the first stays.
fn up_sneaky(db: &TestDb) -> Run {
    let d = sneaky_dir(&[
        ("001_ok.sql", "CREATE TABLE expert_network.fine (id int);"),
        (
            "002_sneaky.sql",
            "CREATE TABLE expert_network.t (id int);\nSELECT expert_network.innocent();",
        ),
    ]);
    let r = run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]);
    assert_eq!(db.applied(), vec!["001_ok.sql".to_string()], "{}", r.stderr);
    assert_eq!(db.to_regclass("expert_network.t"), None);
    r
}

/// A read of another application's rows changes no catalog row, yet copied into expert_network it is
/// the breach itself: PG 15, a DO block's `EXECUTE` of a computed name under `allow dynamic-sql` read
/// every user's email of public."user" into an expert_network table, and the run reported success. The
/// guard counts the blocks of public's relations this migration read (guard.rs, `PUBLIC_READS`):
/// as a run's first migration, and as a later one (the session functions and a known baseline).
#[test]
fn reads_of_public_copied_into_expert_network_are_refused() {
    let attack =
        "INSERT INTO expert_network.t SELECT count(*) FROM public.\"user\" WHERE email LIKE '%@%'";
    let db = with_innocent(attack);
    up_sneaky(&db)
        .assert_code(3)
        .assert_stderr("public.\"user\"")
        .assert_stderr("read by the migration");
    let db = with_innocent(attack);
    let mut files: Vec<(String, String)> = (1..=4)
        .map(|i| {
            (
                format!("00{i}_ok.sql"),
                format!("CREATE TABLE expert_network.fine{i} (id int);"),
            )
        })
        .collect();
    files.push((
        "005_sneaky.sql".into(),
        "CREATE TABLE expert_network.t (id int);\nSELECT expert_network.innocent();".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let d = sneaky_dir(&refs);
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()])
        .assert_code(3)
        .assert_stderr("read by the migration");
    assert_eq!(db.applied().len(), 4);
    assert_eq!(db.to_regclass("expert_network.t"), None);
}

/// Under `allow dynamic-sql` a DO block's computed EXECUTE may make a SECURITY DEFINER function the
/// fence never read, run later with the runner's rights by any caller: PG 15, `up` applied one that
/// EXECUTEs its text parameter, and raguser's call made raguser a superuser. The check after such a
/// file refuses any definer of expert_network its transaction made or altered (guard.rs,
/// `NO_DYNAMIC_DEFINERS`); a file without the opt-in makes its definers as before.
#[test]
fn definers_made_under_dynamic_sql_are_refused() {
    let db = TestDb::seeded();
    let d = dir(&[
        ("001_schema.sql", "CREATE SCHEMA expert_network;"),
        (
            "002_sneaky.sql",
            "-- en-migrate: allow dynamic-sql\nDO $$ BEGIN EXECUTE 'CREATE FUNCTION expert_network.' || 'run(q text) RETURNS void LANGUAGE plpgsql SECURITY ' || 'DEFINER SET search_path = pg_catalog, pg_temp AS $f$ BEGIN EXECUTE q; END $f$'; END $$;",
        ),
    ]);
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()])
        .assert_code(3)
        .assert_stderr("expert_network.run(text)");
    assert_eq!(db.applied(), vec!["001_schema.sql".to_string()]);
    let d = dir(&[
        ("001_schema.sql", "CREATE SCHEMA expert_network;"),
        (
            "002_definer.sql",
            "CREATE FUNCTION expert_network.now_utc() RETURNS timestamp LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$ SELECT pg_catalog.timezone('UTC', pg_catalog.now()) $f$;",
        ),
    ]);
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]).assert_code(0);
}

fn roles_state(db: &TestDb, name: &str) -> String {
    db.one(&format!(
        "SELECT concat_ws(',', rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication, rolconnlimit, \
         (SELECT count(*) FROM pg_auth_members m WHERE m.member = r.oid), (SELECT count(*) FROM pg_db_role_setting s WHERE s.setrole = r.oid)) \
         FROM pg_roles r WHERE rolname = '{name}'"
    ))
}

#[test]
fn changes_to_roles_memberships_and_role_settings_are_refused() {
    for (label, attack, says) in [
        ("superuser", "ALTER ROLE {r} SUPERUSER", "was altered"),
        (
            "createrole",
            "ALTER ROLE {r} CREATEROLE BYPASSRLS",
            "was altered",
        ),
        ("password", "ALTER ROLE {r} PASSWORD 'x'", "role"),
        (
            "new superuser",
            "CREATE ROLE {r}_new SUPERUSER",
            "was created with SUPERUSER",
        ),
        (
            "membership",
            "GRANT pg_read_server_files TO {r}",
            "pg_read_server_files is a predefined role",
        ),
        (
            "owner of public",
            "GRANT {r}_owner TO {r}",
            "owns table public.chats",
        ),
        (
            "setting",
            "ALTER ROLE {r} SET work_mem = '1MB'",
            "role or database setting",
        ),
        (
            "database setting",
            "ALTER DATABASE {d} SET work_mem = '1MB'",
            "role or database setting",
        ),
    ] {
        let db = TestDb::seeded();
        let r = role(&db, "app");
        db.exec(&format!(
            "CREATE ROLE {r} NOLOGIN; CREATE ROLE {r}_owner NOLOGIN; ALTER TABLE public.chats OWNER TO {r}_owner;"
        ));
        let attack = attack.replace("{r}", &r).replace("{d}", &db.name);
        db.exec(&format!(
            "CREATE SCHEMA expert_network;
             CREATE FUNCTION expert_network.innocent() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE {}; END $$;",
            literal(&attack)
        ));
        let before = roles_state(&db, &r);
        let out = up_sneaky(&db);
        assert_eq!(out.code, 3, "{label}: {}", out.stderr);
        out.assert_stderr("002_sneaky.sql changed something outside schema expert_network")
            .assert_stderr(says);
        assert_eq!(roles_state(&db, &r), before, "{label}");
        assert_eq!(
            db.one(&format!(
                "SELECT count(*) FROM pg_roles WHERE rolname = '{r}_new'"
            )),
            "0"
        );
        assert_eq!(db.one(&format!("SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = '{}'", db.name)), "0");
        db.exec(&format!(
            "ALTER TABLE public.chats OWNER TO CURRENT_USER; DROP ROLE {r}; DROP ROLE {r}_owner;"
        ));
    }
}

#[test]
fn a_plain_new_role_and_its_grants_on_expert_network_pass() {
    let db = TestDb::seeded();
    let r = role(&db, "plain");
    // A membership into a plain role, granted where the static fence cannot see it.
    db.exec(&format!(
        "CREATE SCHEMA expert_network;
         CREATE FUNCTION expert_network.innocent() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'GRANT {r} TO {r}_reader'; END $$;"
    ));
    let d = sneaky_dir(&[(
        "001_roles.sql",
        &format!(
            "CREATE ROLE {r} NOLOGIN;\nCREATE ROLE {r}_reader NOLOGIN;\nSELECT expert_network.innocent();\n\
             GRANT USAGE ON SCHEMA expert_network TO {r};\nALTER DEFAULT PRIVILEGES IN SCHEMA expert_network GRANT SELECT ON TABLES TO {r};"
        ),
    )]);
    let out = run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]);
    out.assert_code(0);
    assert_eq!(
        db.one(&format!(
            "SELECT count(*) FROM pg_roles WHERE rolname LIKE '{r}%'"
        )),
        "2"
    );
    db.exec(&format!(
        "DROP OWNED BY {r}; DROP ROLE {r}_reader; DROP ROLE {r};"
    ));
}

#[test]
fn a_moved_sequence_of_public_stops_the_run_with_the_setval_that_puts_it_back() {
    for attack in [
        "SELECT setval('public.campaign_code_seq', 5000)",
        "SELECT nextval('public.campaign_code_seq')",
        "SELECT setval('public.campaign_code_seq', 1000, false)",
    ] {
        let db = with_innocent(attack);
        // A value another application reached before the run.
        db.exec("SELECT setval('public.campaign_code_seq', 1234)");
        let out = up_sneaky(&db);
        out.assert_code(3)
            .assert_stderr("002_sneaky.sql moved sequences of schema public")
            .assert_stderr("a rollback does not put sequence values back")
            .assert_stderr("SELECT pg_catalog.setval('public.campaign_code_seq', 1234, true)");
        // The value stayed moved (that is the point), and the hint's statement puts it back.
        assert_ne!(
            db.one("SELECT last_value || ':' || is_called FROM public.campaign_code_seq"),
            "1234:true",
            "{attack}"
        );
        db.exec("SELECT pg_catalog.setval('public.campaign_code_seq', 1234, true)");
        assert_eq!(
            db.one("SELECT last_value || ':' || is_called FROM public.campaign_code_seq"),
            "1234:true"
        );
    }
}

/// What a migration makes in pg_catalog or information_schema is every application's (a type there is
/// what their unqualified names find), and pg_catalog leaves no dependency row to count: the guard
/// reads the rows made since the migration's start by the oid index.
#[test]
fn what_a_migration_makes_in_the_servers_schemas_is_refused() {
    for (attack, what, gone) in [
        (
            "CREATE TYPE pg_catalog.session AS ENUM ('a')",
            "type session",
            "pg_catalog.to_regtype('pg_catalog.session')",
        ),
        (
            "CREATE FUNCTION pg_catalog.evil() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "function evil()",
            "pg_catalog.to_regprocedure('pg_catalog.evil()')",
        ),
        (
            "CREATE TABLE information_schema.evil (a int)",
            "table information_schema.evil",
            "pg_catalog.to_regclass('information_schema.evil')",
        ),
    ] {
        let db = with_innocent(attack);
        up_sneaky(&db)
            .assert_code(3)
            .assert_stderr("002_sneaky.sql changed something outside schema expert_network and was rolled back")
            .assert_stderr(&format!("{what} made in pg_catalog or information_schema"));
        // Rolled back: the object is not there.
        assert_eq!(db.one(&format!("SELECT {gone} IS NULL")), "t", "{attack}");
    }
}

/// On an empty public most of the guard's parts are counts over no oids, which it leaves as they were
/// without reading them (guard.rs, `no_rows_without`): what a migration adds to public or to another
/// schema is still seen, through the schemas themselves.
#[test]
fn on_an_empty_public_what_a_migration_adds_outside_is_still_refused() {
    for (attack, what) in [
        (
            "CREATE TABLE public.evil (id int)",
            "object in public: table public.evil",
        ),
        (
            "CREATE FUNCTION public.evil() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "object in public: function public.evil()",
        ),
        (
            "CREATE TYPE public.evil AS ENUM ('a')",
            "object in public: type public.evil",
        ),
        (
            "CREATE SEQUENCE public.evil",
            "object in public: sequence public.evil",
        ),
        ("CREATE SCHEMA evil", "schema evil"),
    ] {
        let db = innocent_in(TestDb::empty(), attack);
        up_sneaky(&db)
            .assert_code(3)
            .assert_stderr("002_sneaky.sql changed something outside schema expert_network and was rolled back")
            .assert_stderr(what);
    }
}

/// `up` over a quick migration and a slow one, with `other` run by another session while the slow
/// one sleeps.
fn up_while_slow(db: &TestDb, other: &str) -> Run {
    up_while_slow_with(db, || db.exec(other))
}

/// The same with `during` done while the slow one sleeps; what it returns (sessions it holds) is kept
/// until `up` has finished.
fn up_while_slow_with<T>(db: &TestDb, during: impl FnOnce() -> T) -> Run {
    up_while_slow_doing(db, "CREATE TABLE expert_network.b (id int);", during)
}

/// The same with `slow` as the slow migration's work before it sleeps.
fn up_while_slow_doing<T>(db: &TestDb, slow: &str, during: impl FnOnce() -> T) -> Run {
    db.exec("CREATE SCHEMA expert_network");
    let slow = format!("{slow}\nSELECT pg_catalog.pg_sleep(1.5);");
    let d = sneaky_dir(&[
        ("001_a.sql", "CREATE TABLE expert_network.a (id int);"),
        ("002_slow.sql", &slow),
    ]);
    let child = spawn(
        Some(&db.url),
        &["up", "--dir", d.path().to_str().unwrap()],
        &[],
    );
    wait_for(
        std::time::Duration::from_secs(30),
        "the slow migration",
        || (!db.one(SLEEPING).is_empty()).then_some(()),
    );
    let _kept = during();
    finish(child)
}

/// When the slow migration's current attempt started sleeping, or "".
const SLEEPING: &str = "SELECT coalesce(max(query_start)::text, '') FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()";

#[test]
fn another_applications_sequence_use_during_the_run_is_not_the_migrations() {
    let db = TestDb::seeded();
    up_while_slow(&db, "SELECT nextval('public.campaign_code_seq')").assert_code(0);
    assert_eq!(db.applied().len(), 2);
}

/// Each migration sees the pinned session, whatever the one before it SET, RESET or set_config'd.
#[test]
fn the_session_is_put_back_after_every_migration() {
    let db = with_innocent(
        "SELECT set_config('search_path', 'public', false), set_config('standard_conforming_strings', 'off', false), \
         set_config('lock_timeout', '0', false), set_config('work_mem', '77kB', false)",
    );
    db.exec(
        "CREATE FUNCTION expert_network.make() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'CREATE TABLE carried (id int)'; END $$;",
    );
    // Even where the database's own default would read the next migration's strings differently.
    db.exec(&format!(
        "ALTER DATABASE {} SET standard_conforming_strings = off",
        db.name
    ));
    let before = db.dump_public();
    let d = sneaky_dir(&[
        ("001_set.sql", "SELECT expert_network.innocent();"),
        ("002_unqualified.sql", "SELECT expert_network.make();"),
        (
            "003_seen.sql",
            "CREATE TABLE expert_network.seen AS SELECT pg_catalog.current_setting('search_path') AS path, \
             pg_catalog.current_setting('standard_conforming_strings') AS scs, pg_catalog.current_setting('lock_timeout') AS lt, \
             pg_catalog.current_setting('work_mem') AS wm, pg_catalog.length('a\\b') AS len;",
        ),
    ]);
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]).assert_code(0);
    // The unqualified CREATE TABLE of the next migration landed in expert_network, not public.
    assert!(db.tables("expert_network").contains(&"carried".to_string()));
    assert_eq!(db.dump_public(), before);
    let default_wm = db.one("SHOW work_mem");
    assert_eq!(
        db.query("SELECT path, scs, lt, wm, len FROM expert_network.seen")[0],
        vec![
            Some("expert_network, pg_catalog, pg_temp".to_string()),
            Some("on".into()),
            Some("5s".into()),
            Some(default_wm),
            // 'a\b' is three characters as the fence read it, not 'a' and a backspace.
            Some("3".into()),
        ]
    );
}

#[test]
fn a_role_session_user_or_statistics_switch_left_changed_is_refused() {
    for (label, attack) in [
        ("role", "SELECT set_config('role', '{r}', false)"),
        ("local role", "SET LOCAL ROLE {r}"),
        ("session authorization", "SET SESSION AUTHORIZATION {r}"),
        (
            "track_counts",
            "SELECT set_config('track_counts', 'off', true)",
        ),
    ] {
        let db = TestDb::seeded();
        let r = role(&db, "who");
        db.exec(&format!("CREATE ROLE {r} NOLOGIN"));
        db.exec(&format!(
            "CREATE SCHEMA expert_network;
             CREATE FUNCTION expert_network.innocent() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE {}; END $$;
             GRANT USAGE ON SCHEMA expert_network TO {r}; GRANT CREATE ON SCHEMA expert_network TO {r};",
            literal(&attack.replace("{r}", &r))
        ));
        let out = up_sneaky(&db);
        assert_eq!(out.code, 3, "{label}: {}", out.stderr);
        out.assert_stderr("the migration left the session as");
        db.exec(&format!("DROP OWNED BY {r}; DROP ROLE {r};"));
    }
}

/// issue 13 point 8: another application's DDL in public while a migration runs is not the migration's.
#[test]
fn another_sessions_ddl_in_public_retries_the_migration_once() {
    let db = TestDb::seeded();
    up_while_slow(&db, "CREATE TABLE public.other_app (id int)")
        .assert_code(0)
        .assert_stderr(
            "another session changed objects outside schema expert_network while it ran",
        );
    assert_eq!(db.applied().len(), 2);
    assert!(db.tables("public").contains(&"other_app".to_string()));
}

/// Other applications' sessions make temporary objects over public's and other schemas' (a temporary
/// view of a table, a temporary table with a column of an enum) and keep them while a migration
/// runs: they are those sessions', not a change of what the migration must not touch, and no
/// migration is rolled back for them.
#[test]
fn other_sessions_temporary_objects_over_watched_ones_are_not_a_change() {
    let db = TestDb::seeded();
    db.exec(
        "CREATE SCHEMA other; CREATE TYPE other.st AS ENUM ('a'); CREATE TABLE other.orders (id int, s other.st)",
    );
    let out = up_while_slow_with(&db, || {
        [
            db.hold("CREATE TEMP TABLE tt AS SELECT * FROM other.orders"),
            db.hold("CREATE TEMP VIEW tv AS SELECT id, user_id FROM public.session"),
        ]
    });
    out.assert_code(0);
    assert!(
        !out.stderr.contains("another session changed"),
        "rolled back for temporary objects: {}",
        out.stderr
    );
    assert_eq!(db.applied().len(), 2);
}

/// The same for another session's temporary child of a watched table (`INHERITS`, or `ALTER TABLE
/// ... INHERIT`; a temporary partition of a permanent table the server refuses): its pg_inherits row
/// is that session's, and goes with it. Seen only by a migration that writes pg_inherits itself (a
/// partition of its own), the one whose end recounts public's children.
#[test]
fn other_sessions_temporary_children_of_watched_tables_are_not_a_change() {
    let db = TestDb::seeded();
    db.exec("CREATE SCHEMA other; CREATE TABLE other.orders (id int)");
    let slow = "CREATE TABLE expert_network.p (id int) PARTITION BY RANGE (id);\n\
                CREATE TABLE expert_network.p1 PARTITION OF expert_network.p FOR VALUES FROM (0) TO (10);";
    let out = up_while_slow_doing(&db, slow, || {
        [
            db.hold("CREATE TEMP TABLE tc () INHERITS (public.session)"),
            db.hold("CREATE TEMP TABLE td (id int); ALTER TABLE td INHERIT other.orders"),
        ]
    });
    out.assert_code(0);
    assert!(
        !out.stderr.contains("another session changed"),
        "rolled back for temporary children: {}",
        out.stderr
    );
    assert_eq!(db.applied().len(), 2);
    // A lasting child made meanwhile is still a change of what the migration watches.
    let db = TestDb::seeded();
    db.exec("CREATE SCHEMA other; CREATE TABLE other.orders (id int)");
    up_while_slow_doing(&db, slow, || {
        db.exec("CREATE TABLE other.kid () INHERITS (other.orders)")
    })
    .assert_stderr("another session changed objects outside schema expert_network while it ran");
}

/// The migration's own temporary child of public's table is its change, and refused.
#[test]
fn the_migrations_own_temporary_child_of_a_watched_table_is_refused() {
    let db = with_innocent("CREATE TEMP TABLE mine () INHERITS (public.session)");
    up_sneaky(&db)
        .assert_code(3)
        .assert_stderr("a child of public.session");
}

#[test]
fn other_sessions_that_keep_changing_public_stop_the_run_with_exit_1() {
    let db = TestDb::seeded();
    db.exec("CREATE SCHEMA expert_network");
    let d = sneaky_dir(&[(
        "001_slow.sql",
        "CREATE TABLE expert_network.b (id int);\nSELECT pg_catalog.pg_sleep(1.5);",
    )]);
    let child = spawn(
        Some(&db.url),
        &["up", "--dir", d.path().to_str().unwrap()],
        &[],
    );
    let mut seen = String::new();
    for k in 0..2 {
        // Each attempt's sleep starts anew: wait for one this loop has not seen yet.
        seen = wait_for(
            std::time::Duration::from_secs(30),
            "an attempt of the slow migration",
            || {
                let start = db.one(SLEEPING);
                (!start.is_empty() && start != seen).then_some(start)
            },
        );
        db.exec(&format!("CREATE TABLE public.busy_{k} (id int)"));
    }
    let out = finish(child);
    out.assert_code(1)
        .assert_stderr("other sessions kept changing objects outside schema expert_network")
        .assert_stderr("run `en-migrate up` again");
    assert!(db.applied().is_empty());
}

/// The README's setup for `--migration-role`: a NOLOGIN role owns expert_network, the runner may
/// become it, the roles 003_grants.sql grants to exist already. Returns (role, --set arguments).
fn migration_role(db: &TestDb) -> (String, Vec<String>) {
    let (owner, app, ro) = (role(db, "owner"), role(db, "app"), role(db, "ro"));
    db.exec(&format!(
        "CREATE ROLE {owner} NOLOGIN; CREATE SCHEMA expert_network AUTHORIZATION {owner}; GRANT {owner} TO CURRENT_USER;
         CREATE ROLE {app} NOLOGIN; CREATE ROLE {ro} NOLOGIN;"
    ));
    let sets = vec![
        "--set".into(),
        format!("app_role={app}"),
        "--set".into(),
        format!("readonly_role={ro}"),
    ];
    (owner, sets)
}

fn drop_roles(db: &TestDb) {
    db.exec("DROP SCHEMA IF EXISTS expert_network CASCADE; DROP TABLE IF EXISTS public.schema_migrations");
    for what in ["owner", "app", "ro"] {
        let r = role(db, what);
        db.exec(&format!("DROP OWNED BY {r}; DROP ROLE {r};"));
    }
}

#[test]
fn the_shipped_migrations_apply_under_the_migration_role_and_verify_checks_it() {
    let db = TestDb::seeded();
    let (owner, sets) = migration_role(&db);
    let mut args = vec!["up", "--migration-role", &owner];
    args.extend(sets.iter().map(String::as_str));
    run(Some(&db.url), &args).assert_code(0);
    assert_eq!(db.applied().len(), 3);
    assert_eq!(
        db.one("SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables WHERE schemaname = 'expert_network'"),
        owner
    );
    // The tracker row is en-migrate's own, written as the login.
    assert_eq!(
        db.one("SELECT tableowner FROM pg_tables WHERE tablename = 'schema_migrations'"),
        db.one("SELECT current_user")
    );
    let mut verify = vec!["verify", "--migration-role", &owner, "--format", "json"];
    verify.extend(sets.iter().map(String::as_str));
    let check = |r: &Run| -> serde_json::Value {
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "migration role")
            .unwrap()
            .clone()
    };
    let ok = run(Some(&db.url), &verify);
    assert_eq!(check(&ok)["ok"], true, "{}", ok.stdout);
    // A grant on public's table, an attribute, a membership that has them: each reported, whole.
    let mut details = String::new();
    for grant in [
        format!("GRANT SELECT ON public.session TO {owner}"),
        format!("ALTER ROLE {owner} CREATEDB"),
        format!("GRANT pg_monitor TO {owner}"),
    ] {
        db.exec(&grant);
        let bad = run(Some(&db.url), &verify);
        bad.assert_code(4);
        let c = check(&bad);
        assert_eq!(c["ok"], false);
        details += &format!("{}\n", c["detail"].as_str().unwrap());
    }
    insta::assert_snapshot!(masked(&details, &[(&owner, "OWNER")]), @"
    OWNER: it reaches outside expert_network: OWNER holds privileges on table public.session
    OWNER: it reaches outside expert_network: OWNER has CREATEDB; OWNER holds privileges on table public.session
    OWNER: it reaches outside expert_network: pg_monitor is a predefined role; pg_read_all_settings is a predefined role; pg_read_all_stats is a predefined role; pg_stat_scan_tables is a predefined role; OWNER has CREATEDB; OWNER holds privileges on table public.session
    ");
    db.exec(&format!("REVOKE SELECT ON public.session FROM {owner}; ALTER ROLE {owner} NOCREATEDB; REVOKE pg_monitor FROM {owner};"));
    drop_roles(&db);
}

#[test]
fn under_the_migration_role_the_server_refuses_what_reaches_outside() {
    let db = TestDb::seeded();
    let (owner, sets) = migration_role(&db);
    db.exec(&format!(
        "CREATE FUNCTION expert_network.innocent() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DELETE FROM public.session; END $$;
         ALTER FUNCTION expert_network.innocent() OWNER TO {owner};"
    ));
    let before = db.dump_public();
    let d = sneaky_dir(&[("001_sneaky.sql", "SELECT expert_network.innocent();")]);
    let mut args = vec![
        "up",
        "--migration-role",
        &owner,
        "--dir",
        d.path().to_str().unwrap(),
    ];
    args.extend(sets.iter().map(String::as_str));
    run(Some(&db.url), &args)
        .assert_code(1)
        .assert_stderr("42501");
    assert_eq!(db.dump_public(), before);
    drop_roles(&db);
}

#[test]
fn the_migration_role_needs_the_granted_roles_to_exist_first() {
    let db = TestDb::seeded();
    let (owner, _) = migration_role(&db);
    let missing = role(&db, "missing");
    let r = run(
        Some(&db.url),
        &[
            "up",
            "--migration-role",
            &owner,
            "--set",
            &format!("app_role={missing}"),
        ],
    );
    r.assert_code(1)
        .assert_stderr("do not exist")
        .assert_stderr(&missing)
        .assert_stderr(&format!("CREATE ROLE {missing} NOLOGIN;"));
    assert_eq!(db.to_regclass("public.schema_migrations"), None);
    let stranger = run(
        Some(&db.url),
        &["up", "--migration-role", "no_such_role_here"],
    );
    stranger.assert_code(1).assert_stderr("no such role");
    drop_roles(&db);
}

/// An extension installed outside expert_network is another application's, even when a migration
/// "creates" it: `CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA expert_network` does nothing when
/// public has pgcrypto, and the migration's comment then lands on public's extension; one created
/// without SCHEMA lands in pg_catalog when expert_network is missing. The static fence cannot tell
/// (the file creates the extension, as far as it can see); the database-side check can.
#[test]
fn what_lands_on_an_extension_outside_expert_network_is_refused() {
    let db = TestDb::seeded();
    db.exec("CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA public");
    let comment = "SELECT coalesce(pg_catalog.obj_description(oid, 'pg_extension'), '-') FROM pg_catalog.pg_extension WHERE extname = 'pgcrypto'";
    let before = db.one(comment);
    let d = dir(&[
        (
            "001_ok.sql",
            "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.fine (id int);",
        ),
        (
            "002_comment.sql",
            "CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA expert_network;\nCOMMENT ON EXTENSION pgcrypto IS 'taken';",
        ),
    ]);
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()])
        .assert_code(3)
        .assert_stderr("changed something outside schema expert_network")
        .assert_stderr("comment on extension pgcrypto");
    assert_eq!(db.applied(), vec!["001_ok.sql".to_string()]);
    assert_eq!(db.one(comment), before);

    // Without SCHEMA an extension lands in the path's first schema that exists: with expert_network
    // missing, that is pg_catalog.
    let db = TestDb::seeded();
    let d = dir(&[("001_trgm.sql", "CREATE EXTENSION IF NOT EXISTS pg_trgm;")]);
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()])
        .assert_code(3)
        .assert_stderr("changed something outside schema expert_network")
        .assert_stderr("extension pg_trgm");
    assert_eq!(
        db.one("SELECT count(*) FROM pg_catalog.pg_extension WHERE extname = 'pg_trgm'"),
        "0"
    );

    // A member added to it, through a function that existed before en-migrate.
    let db = with_innocent("ALTER EXTENSION pgcrypto ADD FUNCTION expert_network.innocent()");
    db.exec("CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA public");
    up_sneaky(&db)
        .assert_code(3)
        .assert_stderr("changed something outside schema expert_network")
        .assert_stderr("a member of extension pgcrypto");
    assert_eq!(
        db.one("SELECT count(*) FROM pg_catalog.pg_depend WHERE refclassid = 'pg_catalog.pg_extension'::regclass AND objid = 'expert_network.innocent()'::regprocedure"),
        "0"
    );
}

/// `DROP ... CASCADE` of an expert_network object also drops what other schemas built on it: a view
/// of public's or of another application's schema, a foreign key, a column of an expert_network
/// domain, a function's default, an operator over an expert_network function. The fence cannot see
/// those dependents (they are not in the migrations); the database-side check refuses the migration
/// (exit 3) and every one of them is still there. A cascade into expert_network's own objects passes.
#[test]
fn a_cascade_into_what_other_schemas_built_on_expert_network_is_refused() {
    let own = "CREATE SCHEMA IF NOT EXISTS expert_network;
CREATE TABLE expert_network.t (id int PRIMARY KEY);
CREATE DOMAIN expert_network.d AS int;
CREATE FUNCTION expert_network.g() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION expert_network.g2(int, int) RETURNS boolean LANGUAGE sql AS 'SELECT true';";
    let cases = [
        (
            "CREATE VIEW public.en_view AS SELECT id FROM expert_network.t",
            "DROP TABLE expert_network.t CASCADE;",
            "SELECT pg_catalog.to_regclass('public.en_view') IS NOT NULL",
        ),
        (
            "CREATE SCHEMA reporting; CREATE VIEW reporting.en_view AS SELECT id FROM expert_network.t",
            "DROP TABLE expert_network.t CASCADE;",
            "SELECT pg_catalog.to_regclass('reporting.en_view') IS NOT NULL",
        ),
        (
            "CREATE SCHEMA billing; CREATE TABLE billing.orders (t_id int REFERENCES expert_network.t (id))",
            "DROP TABLE expert_network.t CASCADE;",
            "SELECT count(*) = 1 FROM pg_catalog.pg_constraint WHERE conrelid = 'billing.orders'::regclass AND contype = 'f'",
        ),
        (
            "CREATE TABLE public.en_uses (v expert_network.d)",
            "DROP DOMAIN expert_network.d CASCADE;",
            "SELECT count(*) = 1 FROM pg_catalog.pg_attribute WHERE attrelid = 'public.en_uses'::regclass AND attname = 'v' AND NOT attisdropped",
        ),
        (
            "CREATE FUNCTION public.en_f(x int DEFAULT expert_network.g()) RETURNS int LANGUAGE sql AS 'SELECT x'",
            "DROP FUNCTION expert_network.g() CASCADE;",
            "SELECT pg_catalog.to_regprocedure('public.en_f(int)') IS NOT NULL",
        ),
        (
            "CREATE OPERATOR public.### (leftarg = int, rightarg = int, function = expert_network.g2)",
            "DROP FUNCTION expert_network.g2(int, int) CASCADE;",
            "SELECT count(*) = 1 FROM pg_catalog.pg_operator WHERE oprname = '###'",
        ),
    ];
    for (dependent, drop, survives) in cases {
        let db = TestDb::seeded();
        let d = dir(&[("001_own.sql", own)]);
        run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]).assert_code(0);
        db.exec(dependent);
        std::fs::write(d.path().join("002_drop.sql"), drop).unwrap();
        run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()])
            .assert_code(3)
            .assert_stderr("002_drop.sql changed something outside schema expert_network");
        assert_eq!(db.applied(), vec!["001_own.sql".to_string()], "{dependent}");
        assert_eq!(db.one(survives), "t", "{dependent}");
        assert_eq!(
            db.one("SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname = 'expert_network'"),
            "1"
        );
    }

    let db = TestDb::seeded();
    let d = dir(&[
        ("001_own.sql", own),
        (
            "002_view.sql",
            "CREATE VIEW expert_network.v AS SELECT id FROM expert_network.t;",
        ),
        ("003_drop.sql", "DROP TABLE expert_network.t CASCADE;"),
    ]);
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]).assert_code(0);
    assert_eq!(db.to_regclass("expert_network.v"), None);
}

/// A dependency of expert_network's on an object of public that is no relation (a text search
/// configuration named by a regconfig default, a function by a regproc one) is refused at run time
/// too: public could no longer drop its object without cascading into expert_network. The fence
/// cannot see these (ALTER COLUMN ... SET DEFAULT does not say the column's type).
#[test]
fn a_dependency_on_an_object_of_public_is_refused() {
    for (setup, default) in [
        (
            "CREATE TEXT SEARCH CONFIGURATION public.english (COPY = pg_catalog.english)",
            "ALTER TABLE expert_network.docs ALTER COLUMN cfg SET DEFAULT 'public.english';",
        ),
        (
            "CREATE FUNCTION public.hook() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "ALTER TABLE expert_network.docs ALTER COLUMN fn SET DEFAULT 'public.hook';",
        ),
    ] {
        let db = TestDb::seeded();
        db.exec(setup);
        let d = dir(&[
            ("001_own.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;\nCREATE TABLE expert_network.docs (body text, cfg regconfig, fn regproc);"),
            ("002_default.sql", default),
        ]);
        run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()])
            .assert_code(3)
            .assert_stderr("002_default.sql changed something outside schema expert_network")
            .assert_stderr("a dependency on ");
        assert_eq!(db.applied(), vec!["001_own.sql".to_string()]);
        assert_eq!(db.one("SELECT count(*) FROM pg_catalog.pg_attrdef WHERE adrelid = 'expert_network.docs'::regclass"), "0");
    }
}

/// What a body the fence cannot see does to the server's own objects in pg_catalog: a grant on a
/// built-in whose privileges initdb narrowed (to a role, or to PUBLIC), an owner given to one, a
/// built-in text search configuration's mapping changed (every application's to_tsvector('english',
/// ...)). Refused (exit 3), and the built-in is as it was.
#[test]
fn changes_to_the_servers_own_objects_are_refused() {
    for (attack, what, state) in [
        (
            "GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_file(text) TO raguser",
            "a grant or an owner on built-in function pg_read_file(text)",
            "SELECT proacl::text FROM pg_catalog.pg_proc WHERE oid = 'pg_catalog.pg_read_file(text)'::regprocedure",
        ),
        (
            "GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_file(text) TO PUBLIC",
            "built-in function pg_read_file(text)",
            "SELECT proacl::text FROM pg_catalog.pg_proc WHERE oid = 'pg_catalog.pg_read_file(text)'::regprocedure",
        ),
        (
            "GRANT SELECT ON pg_catalog.pg_authid TO PUBLIC",
            "built-in relation pg_authid",
            "SELECT relacl::text FROM pg_catalog.pg_class WHERE oid = 'pg_catalog.pg_authid'::regclass",
        ),
        (
            "ALTER FUNCTION pg_catalog.now() OWNER TO raguser",
            "a grant or an owner on built-in function now()",
            "SELECT proowner::regrole::text FROM pg_catalog.pg_proc WHERE oid = 'pg_catalog.now()'::regprocedure",
        ),
        (
            "ALTER TEXT SEARCH CONFIGURATION pg_catalog.english ALTER MAPPING FOR asciiword WITH simple",
            "a mapping of built-in text search configuration english",
            "SELECT pg_catalog.to_tsvector('english', 'stars')::text",
        ),
    ] {
        refused_unchanged(&with_innocent(attack), attack, what, state);
    }
}

/// `up_sneaky` over `db`, whose innocent() runs `attack`: refused by the guard, naming `what`, and
/// `state` (a query) reads as before.
fn refused_unchanged(db: &TestDb, attack: &str, what: &str, state: &str) {
    let before = db.one(state);
    up_sneaky(db)
        .assert_code(3)
        .assert_stderr("changed something outside schema expert_network")
        .assert_stderr(what);
    assert_eq!(db.one(state), before, "{attack}");
}

/// What belongs to no schema, the whole database's or the server's, changed by a body the fence
/// cannot see: another application's large object unlinked, overwritten, given away or granted, a
/// privilege on a server parameter (the application's role could then `SET session_replication_role
/// = replica`, which switches off every table's triggers and foreign keys, public's included), on the
/// database or on a tablespace, a comment on the database, an access method, a cast between two
/// built-in types (every application's `1 || 'x'` resolves otherwise). On PG 15 each of these
/// committed through `up` before the guard read these catalogs. Refused (exit 3), and each is as it
/// was.
#[test]
fn changes_to_what_belongs_to_no_schema_are_refused() {
    let database = "DO $d$ BEGIN EXECUTE pg_catalog.format('GRANT CREATE ON DATABASE %I TO raguser', pg_catalog.current_database()); END $d$";
    let comment = "DO $d$ BEGIN EXECUTE pg_catalog.format('COMMENT ON DATABASE %I IS %L', pg_catalog.current_database(), 'taken'); END $d$";
    let attacks = [
        ("SELECT pg_catalog.lo_unlink(4242)", "a large object was created, dropped", "SELECT count(*) FROM pg_catalog.pg_largeobject_metadata"),
        ("SELECT pg_catalog.lo_put(4242, 0, '\\x41')", "a large object's data was written", "SELECT encode(lo_get(4242), 'escape')"),
        ("ALTER LARGE OBJECT 4242 OWNER TO raguser", "pg_largeobject_metadata written", "SELECT lomowner::regrole::text FROM pg_catalog.pg_largeobject_metadata"),
        ("GRANT SELECT, UPDATE ON LARGE OBJECT 4242 TO raguser", "pg_largeobject_metadata written", "SELECT coalesce(lomacl::text, '-') FROM pg_catalog.pg_largeobject_metadata"),
        (database, "pg_database written", "SELECT coalesce(datacl::text, '-') FROM pg_catalog.pg_database WHERE datname = current_database()"),
        (comment, "a comment on a database, role or tablespace", "SELECT count(*) FROM pg_catalog.pg_shdescription"),
        ("GRANT CREATE ON TABLESPACE pg_default TO raguser", "pg_tablespace written", "SELECT coalesce(spcacl::text, '-') FROM pg_catalog.pg_tablespace WHERE spcname = 'pg_default'"),
        ("CREATE ACCESS METHOD en_heap2 TYPE TABLE HANDLER heap_tableam_handler", "an access method was created", "SELECT count(*) FROM pg_catalog.pg_am"),
        ("CREATE CAST (int4 AS text) WITH INOUT AS IMPLICIT", "cast from integer to text", "SELECT count(*) FROM pg_catalog.pg_cast"),
        ("GRANT SET ON PARAMETER session_replication_role TO raguser", "a privilege on a server parameter was granted", "SELECT count(*) FROM pg_catalog.pg_parameter_acl"),
    ];
    for (attack, what, state) in attacks {
        let db = with_innocent(attack);
        // Privileges on parameters are PostgreSQL 15's.
        if attack.contains("PARAMETER") && server_version(&db.url) < 150000 {
            continue;
        }
        db.exec("SELECT pg_catalog.lo_from_bytea(4242, 'another application''s data')");
        refused_unchanged(&db, attack, what, state);
    }
}

/// A built-in changed in place, by a body the fence cannot see: each of these updates the object's
/// row, which no grant, owner or pg_amop row records (on PG 15 they committed before: every
/// application's upper() renamed away, lower() revoked from PUBLIC, money renamed). A built-in the guard itself calls (count, int4) cannot be
/// renamed this way either: the guard's end then fails, and the migration is rolled back.
#[test]
fn changes_in_place_to_built_ins_are_refused() {
    for (attack, catalog, what) in [
        (
            "ALTER FUNCTION pg_catalog.upper(text) RENAME TO upper_gone",
            "pg_proc",
            "built-in function upper_gone(text)",
        ),
        (
            "ALTER FUNCTION pg_catalog.lower(text) COST 77",
            "pg_proc",
            "built-in function lower(text)",
        ),
        (
            "ALTER FUNCTION pg_catalog.lower(text) SET work_mem = '64MB'",
            "pg_proc",
            "built-in function lower(text)",
        ),
        (
            "REVOKE EXECUTE ON FUNCTION pg_catalog.lower(text) FROM PUBLIC",
            "pg_proc",
            "built-in function lower(text)",
        ),
        (
            "ALTER AGGREGATE pg_catalog.bit_and(int4) RENAME TO band",
            "pg_proc",
            "built-in function band(integer)",
        ),
        (
            "ALTER TYPE pg_catalog.money RENAME TO money_gone",
            "pg_type",
            "built-in type money_gone",
        ),
        (
            "REVOKE USAGE ON TYPE pg_catalog.text FROM PUBLIC",
            "pg_type",
            "built-in type text",
        ),
        (
            "ALTER OPERATOR pg_catalog.= (int4, int4) SET (RESTRICT = scalarltsel)",
            "pg_operator",
            "built-in operator =(integer,integer)",
        ),
        (
            "ALTER OPERATOR FAMILY pg_catalog.integer_ops USING btree RENAME TO io2",
            "pg_opfamily",
            "built-in operator family io2",
        ),
        (
            "ALTER COLLATION pg_catalog.\"POSIX\" RENAME TO posix_gone",
            "pg_collation",
            "built-in collation posix_gone",
        ),
        (
            "ALTER CONVERSION pg_catalog.utf8_to_big5 RENAME TO u2",
            "pg_conversion",
            "built-in conversion u2",
        ),
        (
            "REVOKE USAGE ON LANGUAGE sql FROM PUBLIC",
            "pg_language",
            "built-in language sql",
        ),
        (
            "ALTER TEXT SEARCH DICTIONARY pg_catalog.english_stem (StopWords = danish)",
            "pg_ts_dict",
            "built-in text search dictionary english_stem",
        ),
        (
            "ALTER TEXT SEARCH PARSER pg_catalog.default RENAME TO d2",
            "pg_ts_parser",
            "built-in text search parser d2",
        ),
    ] {
        let db = with_innocent(attack);
        let state = format!("SELECT pg_catalog.md5(pg_catalog.string_agg(t::text, ',' ORDER BY t.oid)) FROM pg_catalog.{catalog} t WHERE t.oid < 16384");
        let before = db.one(&state);
        up_sneaky(&db)
            .assert_code(3)
            .assert_stderr("changed something outside schema expert_network")
            .assert_stderr(what);
        assert_eq!(db.one(&state), before, "{attack}");
    }
}

/// The runner's own statements (the guard's start when it travels inline, the tracker row) name
/// operators and types unqualified: under the migration's path an earlier migration's `-` for two
/// timestamptz or `>` for integer and bigint would run in them, after the guard had looked.
#[test]
fn the_runners_own_statements_never_find_expert_networks_operators() {
    let db = TestDb::seeded();
    db.exec("CREATE SCHEMA expert_network");
    let log = "INSERT INTO expert_network.cap_log VALUES ('ran in the runner''s statement')";
    let d = dir(&[
        (
            "001_operators.sql",
            &format!(
                "CREATE TABLE expert_network.cap_log (note text);
CREATE FUNCTION expert_network.cap_minus(a timestamptz, b timestamptz) RETURNS interval LANGUAGE sql
    AS $f$ {log}; SELECT pg_catalog.make_interval(days => 1000) $f$;
CREATE OPERATOR expert_network.- (leftarg = timestamptz, rightarg = timestamptz, function = expert_network.cap_minus);
CREATE FUNCTION expert_network.cap_gt(a integer, b bigint) RETURNS boolean LANGUAGE sql
    AS $f$ {log}; SELECT false $f$;
CREATE OPERATOR expert_network.> (leftarg = integer, rightarg = bigint, function = expert_network.cap_gt);"
            ),
        ),
        ("002_next.sql", "CREATE TABLE expert_network.cap_next (id int);"),
    ]);
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]).assert_code(0);
    assert_eq!(db.one("SELECT count(*) FROM expert_network.cap_log"), "0");
    assert_eq!(
        db.one("SELECT bool_and(execution_ms < 3600000) FROM public.schema_migrations"),
        "t"
    );
}

/// What a migration leaves to run at COMMIT runs inside the guard's view: a deferred constraint
/// trigger whose body (under `allow dynamic-sql`, which leaves the body to the database-side check)
/// empties public.session fires when the migration ends, before the guard looks, and is refused,
/// inline (one migration) and through the session functions (five); so is one that a deferred
/// trigger queues after deferring everything again (`SET CONSTRAINTS ALL DEFERRED` in its body),
/// which fires at COMMIT, after the guard, in a transaction made read-only, whose COMMIT then fails.
/// A deferrable key of expert_network's own, checked only at the end, still passes when its rows
/// come in any order, and fails the migration when they never match, as COMMIT would have.
#[test]
fn what_a_migration_defers_to_commit_is_checked_by_the_guard() {
    let later = "-- en-migrate: allow dynamic-sql\n\
        CREATE TABLE expert_network.d (id int);\n\
        CREATE FUNCTION expert_network.later() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN EXECUTE concat('DELETE FROM public.', 'session'); RETURN NULL; END $$;\n\
        CREATE CONSTRAINT TRIGGER later AFTER INSERT ON expert_network.d DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION expert_network.later();\n\
        INSERT INTO expert_network.d VALUES (1);";
    let deferred_again = "-- en-migrate: allow dynamic-sql\n\
        CREATE TABLE expert_network.d (id int);\n\
        CREATE TABLE expert_network.e (id int);\n\
        CREATE FUNCTION expert_network.again() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN SET CONSTRAINTS ALL DEFERRED; INSERT INTO expert_network.e VALUES (1); RETURN NULL; END $$;\n\
        CREATE FUNCTION expert_network.later() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN EXECUTE concat('DELETE FROM public.', 'session'); RETURN NULL; END $$;\n\
        CREATE CONSTRAINT TRIGGER again AFTER INSERT ON expert_network.d DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION expert_network.again();\n\
        CREATE CONSTRAINT TRIGGER later AFTER INSERT ON expert_network.e DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION expert_network.later();\n\
        INSERT INTO expert_network.d VALUES (1);";
    let at_commit = "what it left to run at COMMIT, after the database-side check, tried to write";
    for (before, attack, said) in [
        (0, later, "public.session"),
        (4, later, "public.session"),
        (0, deferred_again, at_commit),
        (4, deferred_again, at_commit),
    ] {
        let db = TestDb::seeded();
        let dumped = db.dump_public();
        assert_ne!(db.one("SELECT count(*) FROM public.session"), "0");
        let mut files: Vec<(String, String)> = (1..=before)
            .map(|k| {
                (
                    format!("00{k}_ok.sql"),
                    format!("CREATE TABLE expert_network.fine_{k} (id int);"),
                )
            })
            .collect();
        files.insert(
            0,
            (
                "000_schema.sql".into(),
                "CREATE SCHEMA expert_network;".into(),
            ),
        );
        files.push(("009_later.sql".into(), attack.into()));
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let d = dir(&refs);
        run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()])
            .assert_code(3)
            .assert_stderr(
                "009_later.sql changed something outside schema expert_network and was rolled back",
            )
            .assert_stderr(said);
        assert_eq!(db.dump_public(), dumped, "{before} before: public changed");
        assert_eq!(db.applied().len(), before + 1);
        assert!(db.to_regclass("expert_network.d").is_none());
    }

    let db = TestDb::seeded();
    let keys = "CREATE SCHEMA expert_network;\n\
        CREATE TABLE expert_network.parent (id int PRIMARY KEY);\n\
        CREATE TABLE expert_network.child (id int PRIMARY KEY, parent int REFERENCES expert_network.parent DEFERRABLE INITIALLY DEFERRED);";
    let d = dir(&[
        ("001_keys.sql", keys),
        ("002_child_first.sql", "INSERT INTO expert_network.child VALUES (1, 10);\nINSERT INTO expert_network.parent VALUES (10);"),
        ("003_orphan.sql", "INSERT INTO expert_network.child VALUES (2, 20);"),
    ]);
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()])
        .assert_code(1)
        .assert_stderr("003_orphan.sql")
        .assert_stderr("violates foreign key constraint");
    assert_eq!(
        db.applied(),
        vec![
            "001_keys.sql".to_string(),
            "002_child_first.sql".to_string()
        ]
    );
    assert_eq!(db.one("SELECT count(*) FROM expert_network.child"), "1");
}

/// en-migrate's tracker is public's one table the guard leaves its rows to en-migrate, not its
/// structure: a trigger a migration puts on it (through a body the fence cannot see) would run at
/// the tracker row's INSERT, after the guard had looked, and a default or a check calling the
/// migration's function likewise. Each is refused (exit 3), public is as it was and the tracker keeps
/// no trigger; and rows the migration writes to the tracker itself are refused too.
#[test]
fn what_a_migration_does_to_the_tracker_is_refused() {
    let evil = "CREATE OR REPLACE FUNCTION expert_network.evil() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN EXECUTE concat('DELETE FROM public.', 'session'); RETURN NULL; END $$;\n\
        CREATE OR REPLACE FUNCTION expert_network.evil_value() RETURNS text LANGUAGE plpgsql AS $$ BEGIN EXECUTE concat('DELETE FROM public.', 'session'); RETURN 'x'; END $$;\n";
    for (attack, said) in [
        ("CREATE TRIGGER x AFTER INSERT ON public.schema_migrations FOR EACH ROW EXECUTE FUNCTION expert_network.evil()", "trigger x on table public.schema_migrations"),
        ("ALTER TABLE public.schema_migrations ALTER COLUMN applied_by SET DEFAULT expert_network.evil_value()", "public.schema_migrations"),
        ("ALTER TABLE public.schema_migrations ADD CONSTRAINT x CHECK (expert_network.evil_value() IS NOT NULL)", "public.schema_migrations"),
        ("DELETE FROM public.schema_migrations", "rows written to en-migrate's tracker public.schema_migrations"),
    ] {
        let db = TestDb::seeded();
        let dumped = db.dump_public();
        let d = dir(&[
            ("001_schema.sql", "CREATE SCHEMA expert_network;\nCREATE TABLE expert_network.fine (id int);"),
            (
                "002_tracker.sql",
                &format!(
                    "-- en-migrate: allow dynamic-sql\n{evil}\
                     CREATE FUNCTION expert_network.plant() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE concat('', {}); END $$;\n\
                     SELECT expert_network.plant();",
                    literal(attack)
                ),
            ),
        ]);
        run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()])
            .assert_code(3)
            .assert_stderr("002_tracker.sql changed something outside schema expert_network and was rolled back")
            .assert_stderr(said);
        assert_eq!(db.dump_public(), dumped, "{attack}: public changed");
        assert_eq!(db.applied(), vec!["001_schema.sql".to_string()], "{attack}");
        assert_eq!(db.one("SELECT count(*) FROM pg_catalog.pg_trigger WHERE tgrelid = 'public.schema_migrations'::regclass"), "0");
    }
}

/// public's objects that are neither relations, functions nor types keep their own rows watched, not
/// only what depends on them: a rename or an option changed updates the object's row and no
/// dependency, an enum's labels live in pg_enum alone, and so do an index's CLUSTER and REPLICA
/// IDENTITY flags in pg_index (moved from one index to another: the table's row keeps its 'i'). Each change through a body the fence
/// cannot see is refused (exit 3), and the object is as it was.
#[test]
fn changes_to_the_rows_of_publics_other_objects_are_refused() {
    let setup = "CREATE TYPE public.mood AS ENUM ('a', 'b');
         CREATE COLLATION public.coll (locale = 'C');
         CREATE TEXT SEARCH CONFIGURATION public.english (COPY = pg_catalog.english);
         CREATE TEXT SEARCH DICTIONARY public.dict (TEMPLATE = pg_catalog.simple);
         CREATE CONVERSION public.conv FOR 'LATIN1' TO 'UTF8' FROM pg_catalog.iso8859_1_to_utf8;
         ALTER TABLE public.session REPLICA IDENTITY USING INDEX session_pkey;";
    let state = "SELECT concat_ws(' ', (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'public.mood'::regtype),
         (SELECT collname FROM pg_collation WHERE collnamespace = 'public'::regnamespace),
         (SELECT cfgname FROM pg_ts_config WHERE cfgnamespace = 'public'::regnamespace),
         (SELECT coalesce(dictinitoption, '-') FROM pg_ts_dict WHERE dictnamespace = 'public'::regnamespace),
         (SELECT conname FROM pg_conversion WHERE connamespace = 'public'::regnamespace),
         (SELECT string_agg(indexrelid::regclass || ':' || indisclustered || indisreplident, ',' ORDER BY indexrelid) FROM pg_index WHERE indrelid = 'public.session'::regclass))";
    for (attack, what) in [
        (
            "ALTER TYPE public.mood ADD VALUE 'evil'",
            "label 'evil' of enum public.mood",
        ),
        (
            "ALTER TYPE public.mood RENAME VALUE 'a' TO 'z'",
            "label 'z' of enum public.mood",
        ),
        (
            "ALTER COLLATION public.coll RENAME TO coll2",
            "collation public.coll2",
        ),
        (
            "ALTER TEXT SEARCH CONFIGURATION public.english RENAME TO e2",
            "text search configuration public.e2",
        ),
        (
            "ALTER TEXT SEARCH DICTIONARY public.dict (StopWords = english)",
            "text search dictionary public.dict",
        ),
        (
            "ALTER CONVERSION public.conv RENAME TO conv2",
            "conversion public.conv2",
        ),
        // Flags of public's indexes, which only pg_index holds.
        (
            "ALTER TABLE public.session CLUSTER ON session_token_key",
            "index flags of public.session_token_key",
        ),
        (
            "ALTER TABLE public.session REPLICA IDENTITY USING INDEX session_token_key",
            "index flags of public.session_token_key",
        ),
    ] {
        let db = TestDb::seeded();
        db.exec(setup);
        let before = db.one(state);
        let db = innocent_in(db, attack);
        up_sneaky(&db)
            .assert_code(3)
            .assert_stderr("002_sneaky.sql changed something outside schema expert_network and was rolled back")
            .assert_stderr(what);
        assert_eq!(db.one(state), before, "{attack}");
    }
}

/// A no-transaction file's DO block that commits runs bare, with no database-side check around it,
/// and the fence cannot see another application's foreign keys: PG 15 through `up`, before, the
/// block's `UPDATE ... SET id = id + 100` rewrote public's referencing rows by their ON UPDATE
/// CASCADE and the file was recorded. Refused now (exit 3) where another schema's key acts on
/// expert_network's rows, the block not run; without such a key the same file applies.
#[test]
fn a_committing_do_block_is_not_run_bare_where_another_schemas_key_acts_on_expert_network() {
    let own = "CREATE SCHEMA expert_network;
CREATE TABLE expert_network.v (id int PRIMARY KEY, note text);
INSERT INTO expert_network.v VALUES (1, 'one'), (2, 'two');";
    let block = "-- en-migrate: no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS v_note ON expert_network.v (note);
DO $$ BEGIN UPDATE expert_network.v SET id = id + 100; COMMIT; END $$;
";
    let db = TestDb::seeded();
    let d = dir(&[("001_own.sql", own)]);
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]).assert_code(0);
    db.exec("CREATE TABLE public.en_links (v_id int REFERENCES expert_network.v (id) ON UPDATE CASCADE); INSERT INTO public.en_links VALUES (1);");
    std::fs::write(d.path().join("002_notx.sql"), block).unwrap();
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()])
        .assert_code(3)
        .assert_stderr("002_notx.sql:3: this DO block commits")
        .assert_stderr(
            "en_links_v_id_fkey on public.en_links (ON UPDATE CASCADE, ON DELETE NO ACTION)",
        )
        .assert_stderr("the statements before it ran and stay: line 2");
    assert_eq!(
        db.one("SELECT string_agg(v_id::text, ',') FROM public.en_links"),
        "1"
    );
    assert_eq!(
        db.one("SELECT string_agg(id::text, ',' ORDER BY id) FROM expert_network.v"),
        "1,2"
    );
    assert_eq!(db.applied(), vec!["001_own.sql".to_string()]);

    db.exec("DROP TABLE public.en_links");
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]).assert_code(0);
    assert_eq!(
        db.one("SELECT string_agg(id::text, ',' ORDER BY id) FROM expert_network.v"),
        "101,102"
    );
    assert_eq!(db.applied().len(), 2);
}

/// A no-transaction file's statement runs guarded and sealed as a transactional migration does: a
/// write its statement queues past the guard's end (a deferred trigger queued by a deferred trigger
/// that defers everything again, both made by an earlier file under `allow dynamic-sql`) meets the
/// seal at COMMIT. PG 15 through `up`, before: the COMMIT's error (SQLSTATE 25006) was reported as
/// the statement's own failure, exit 1; now it is the breach it is, exit 3, and public is untouched.
#[test]
fn what_a_no_transaction_statement_defers_to_commit_is_a_breach() {
    let own = "-- en-migrate: allow dynamic-sql
CREATE SCHEMA expert_network;
CREATE TABLE expert_network.d (id int);
CREATE TABLE expert_network.e (id int);
CREATE FUNCTION expert_network.again() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN SET CONSTRAINTS ALL DEFERRED; INSERT INTO expert_network.e VALUES (1); RETURN NULL; END $$;
CREATE FUNCTION expert_network.later() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN EXECUTE concat('DELETE FROM public.', 'session'); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER again AFTER INSERT ON expert_network.d DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION expert_network.again();
CREATE CONSTRAINT TRIGGER later AFTER INSERT ON expert_network.e DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION expert_network.later();";
    let db = TestDb::seeded();
    let dumped = db.dump_public();
    let d = dir(&[
        ("001_own.sql", own),
        (
            "002_notx.sql",
            "-- en-migrate: no-transaction\nINSERT INTO expert_network.d VALUES (1);\n",
        ),
    ]);
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()])
        .assert_code(3)
        .assert_stderr("what the statement left to run at COMMIT, after the database-side check, tried to write");
    assert_eq!(db.dump_public(), dumped);
    assert_eq!(db.applied(), vec!["001_own.sql".to_string()]);
    assert_eq!(db.one("SELECT count(*) FROM expert_network.d"), "0");
}

/// A no-transaction file's statements ran bare, with no database-side check after them, while the
/// fence accepts what reaches public only at run time because that check follows a transactional
/// migration: an earlier file's function whose body drops with CASCADE, another application's
/// foreign key whose ON DELETE CASCADE a DELETE fires, an earlier file's EXECUTE under the opt-in.
/// PG 15 through `up`, before: each file was applied and recorded, and public's view was dropped,
/// its rows deleted or rewritten. Each statement the server takes in a transaction block now runs
/// in one with the check around it: refused (exit 3), that statement rolled back, the concurrent
/// index before it kept (a no-transaction file is not undone), the file not recorded.
#[test]
fn a_no_transaction_files_statements_are_checked_as_a_migrations_are() {
    let own = "CREATE SCHEMA IF NOT EXISTS expert_network;
CREATE TABLE expert_network.t (id int PRIMARY KEY, note text);
INSERT INTO expert_network.t VALUES (1, 'one');
CREATE FUNCTION expert_network.cleanup() RETURNS void LANGUAGE sql AS $$ DROP TABLE expert_network.t CASCADE $$;
-- en-migrate: allow dynamic-sql
CREATE FUNCTION expert_network.run_sql(s text) RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE s; END $$;";
    let other = "CREATE VIEW public.en_view AS SELECT id FROM expert_network.t;
CREATE TABLE public.en_links (t_id int REFERENCES expert_network.t (id) ON DELETE CASCADE);
INSERT INTO public.en_links VALUES (1);";
    let survives = "SELECT concat_ws(',', pg_catalog.to_regclass('public.en_view') IS NOT NULL, (SELECT count(*) FROM public.en_links), (SELECT count(*) FROM public.\"user\" WHERE name = 'pwned'))";
    for attack in [
        "SELECT expert_network.cleanup();",
        "DELETE FROM expert_network.t WHERE id = 1;",
        "SELECT expert_network.run_sql(concat('UPDATE public.', 'user SET name = ''pwned'''));",
    ] {
        let db = TestDb::seeded();
        let d = dir(&[("001_own.sql", own)]);
        run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]).assert_code(0);
        db.exec(other);
        std::fs::write(
            d.path().join("002_notx.sql"),
            format!("-- en-migrate: no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_note ON expert_network.t (note);\n{attack}\n"),
        )
        .unwrap();
        run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()])
            .assert_code(3)
            .assert_stderr(
                "002_notx.sql:3: the migration changed something outside schema expert_network",
            )
            .assert_stderr("That statement was rolled back");
        assert_eq!(db.applied(), vec!["001_own.sql".to_string()], "{attack}");
        assert_eq!(db.one(survives), "t,1,0", "{attack}");
        assert_eq!(
            db.to_regclass("expert_network.t_note").as_deref(),
            Some("expert_network.t_note")
        );
        // Alone in its file, the statement is refused as a transactional migration's is.
        std::fs::write(
            d.path().join("002_notx.sql"),
            format!("-- en-migrate: no-transaction\n{attack}\n"),
        )
        .unwrap();
        run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()])
            .assert_code(3)
            .assert_stderr("002_notx.sql changed something outside schema expert_network");
        assert_eq!(db.one(survives), "t,1,0", "{attack}");
    }

    // What real no-transaction files hold still applies: the concurrent forms and VACUUM bare, a
    // batched backfill's committing DO block bare, the rest guarded (the file's own path and
    // session settings kept across its statements).
    let db = TestDb::seeded();
    let d = dir(&[
        ("001_own.sql", own),
        (
            "002_notx.sql",
            "-- en-migrate: no-transaction
SET search_path TO expert_network;
CREATE TYPE mood AS ENUM ('ok');
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'sad';
CREATE INDEX CONCURRENTLY IF NOT EXISTS t_note ON t (note);
SET lock_timeout = '3s';
UPDATE t SET note = pg_catalog.current_setting('lock_timeout') WHERE id = 1;
DO $$ BEGIN UPDATE expert_network.t SET note = note || '!'; COMMIT; END $$;
VACUUM ANALYZE t;
REINDEX INDEX CONCURRENTLY t_note;
DROP INDEX CONCURRENTLY IF EXISTS t_note;",
        ),
    ]);
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]).assert_code(0);
    assert_eq!(db.applied().len(), 2);
    assert_eq!(db.one("SELECT note FROM expert_network.t"), "3s!");
    assert_eq!(
        db.one("SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'expert_network.mood'::regtype"),
        "ok,sad"
    );
}

/// What a migration runs out of the fence's sight (EXECUTE under the opt-in) cannot fool the check:
/// it may rewrite `en_migrate.c`, the check's start of the migration (PG 15 through `up`, before:
/// raguser made SUPERUSER with the role counters set to their new values passed and was recorded),
/// and it may put a trigger on en-migrate's tracker, which fired on the migration's own tracker
/// row after the check had looked and rewrote public's rows (recorded too). Both are refused now
/// and rolled back, a second migration in the run (its start in the same message) as the first.
#[test]
fn a_migration_cannot_rewrite_the_checks_start_or_arm_the_tracker() {
    let run_sql = "-- en-migrate: allow dynamic-sql\nCREATE FUNCTION expert_network.run_sql(s text) RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE s; END $$;\n";
    let forge = format!(
        "SELECT expert_network.run_sql($q$SELECT pg_catalog.set_config('en_migrate' || '.c', (SELECT pg_catalog.string_agg(CASE WHEN o = 3 THEN {} ELSE v END, ';' ORDER BY o) FROM pg_catalog.unnest(pg_catalog.string_to_array(pg_catalog.current_setting('en_migrate' || '.c'), ';')) WITH ORDINALITY u(v, o)), true)$q$);",
        ["pg_authid", "pg_auth_members", "pg_db_role_setting"]
            .iter()
            .flat_map(|c| ["inserted", "updated", "deleted"].map(|w| format!("pg_catalog.pg_stat_get_xact_tuples_{w}('pg_catalog.{c}'::regclass)")))
            .collect::<Vec<_>>()
            .join(" || ',' || ")
    );
    let arm = "CREATE FUNCTION expert_network.later() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN EXECUTE concat('UPDATE public.', 'user SET name = ''after the check'''); RETURN NULL; END $$;
SELECT expert_network.run_sql(concat('CREATE TRIGGER later AFTER INSERT ON public.', 'schema_migrations FOR EACH ROW EXECUTE FUNCTION expert_network.later()'));";
    for (attack, why) in [
        (
            format!("{run_sql}SELECT expert_network.run_sql(concat('ALTER ROLE rag', 'user SUPERUSER'));\n{forge}"),
            "the migration rewrote en_migrate.c",
        ),
        (format!("{run_sql}{arm}"), "trigger later on table public.schema_migrations"),
    ] {
        for first in [true, false] {
            let db = TestDb::seeded();
            let mut files = vec![("001_ok.sql", "CREATE SCHEMA IF NOT EXISTS expert_network;")];
            if !first {
                files.push(("002_ok.sql", "CREATE TABLE expert_network.fine (id int);"));
            }
            files.push(("003_attack.sql", attack.as_str()));
            let d = dir(&files);
            run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()])
                .assert_code(3)
                .assert_stderr("003_attack.sql changed something outside schema expert_network")
                .assert_stderr(why);
            assert_eq!(db.applied().len(), files.len() - 1);
            assert_eq!(db.one("SELECT rolsuper FROM pg_roles WHERE rolname = 'raguser'"), "f");
            assert_eq!(db.one("SELECT count(*) FROM public.\"user\" WHERE name = 'after the check'"), "0");
            assert_eq!(db.one("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.schema_migrations'::regclass"), "0");
        }
    }
}

/// The guard's functions live in the session's pg_temp under a random tag; a body the fence cannot
/// see can still find them in pg_proc and replace the end with one that checks nothing, then reach
/// public. The runner reads their row versions before the migration and again right before the end
/// runs: refused (exit 3), public unchanged; so is a replaced start, which the next migration would
/// have called, and an end dropped and made again (another oid: its row is gone from the second read).
#[test]
fn a_migration_cannot_replace_the_checks_functions() {
    let replace = |which: &str, body: &str, attack: &str, drop_first: bool| {
        // Dropped first, the function made again is a new row with another oid.
        let drop = if drop_first {
            "EXECUTE concat('DROP FUNCTION ', f::text);"
        } else {
            ""
        };
        format!(
            "-- en-migrate: allow dynamic-sql\n\
             CREATE FUNCTION expert_network.swap() RETURNS void LANGUAGE plpgsql AS $$ DECLARE f regprocedure; n text; a text; r text; BEGIN\n\
               SELECT p.oid::regprocedure, p.oid::regproc::text, pg_catalog.pg_get_function_arguments(p.oid), pg_catalog.pg_get_function_result(p.oid) INTO f, n, a, r FROM pg_catalog.pg_proc p WHERE p.proname LIKE '{which}%' AND p.pronamespace = pg_catalog.pg_my_temp_schema();\n\
               {drop}\n\
               EXECUTE concat('CREATE OR REPLACE FUNCTION ', n, '(', a, ') RETURNS ', r, ' LANGUAGE plpgsql AS $b$ BEGIN {body} END $b$');\n\
               {attack}\n\
             END $$;\n\
             SELECT expert_network.swap();"
        )
    };
    // A replaced end, and then public reached; a replaced start alone (what it would leave unset
    // shows at the next migration, but the replacement is seen at this one's end).
    for (which, body, attack, drop_first) in [
        (
            "en_migrate_end_",
            "",
            "EXECUTE concat('DELETE FROM public.', 'session');",
            false,
        ),
        ("en_migrate_begin_", "RETURN NULL;", "", false),
        (
            "en_migrate_end_",
            "",
            "EXECUTE concat('DELETE FROM public.', 'session');",
            true,
        ),
    ] {
        let db = TestDb::seeded();
        let dumped = db.dump_public();
        let files: Vec<(String, String)> = vec![
            (
                "001_schema.sql".into(),
                "CREATE SCHEMA expert_network;".into(),
            ),
            (
                "002_a.sql".into(),
                "CREATE TABLE expert_network.a (id int);".into(),
            ),
            (
                "003_b.sql".into(),
                "CREATE TABLE expert_network.b (id int);".into(),
            ),
            (
                "004_swap.sql".into(),
                replace(which, body, attack, drop_first),
            ),
            (
                "005_c.sql".into(),
                "CREATE TABLE expert_network.c (id int);".into(),
            ),
        ];
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let d = dir(&refs);
        run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()])
            .assert_code(3)
            .assert_stderr(
                "004_swap.sql changed something outside schema expert_network and was rolled back",
            )
            .assert_stderr("replaced the check's own functions");
        assert_eq!(db.dump_public(), dumped, "{which}: public changed");
        assert_eq!(db.applied().len(), 3, "{which}");
    }
}

/// What only a row of public's that names no relation records: a constraint of public's domain
/// renamed or validated (pg_constraint's row, by the domain), a comment on public's collation or
/// operator (pg_description, by the object), and an object of public's made a member of, or
/// dependent on, an extension inside expert_network (one pg_depend row on the extension: pg_dump
/// then leaves the member out of public's dump, and expert_network's `DROP EXTENSION` drops it).
/// On PG 15 each of these committed through `up` before. Refused (exit 3), and each is as it was.
#[test]
fn changes_public_records_only_by_domain_comment_or_extension_are_refused() {
    let setup = "CREATE DOMAIN public.posint AS int CONSTRAINT posint_pos CHECK (VALUE > 0);
         ALTER DOMAIN public.posint ADD CONSTRAINT posint_small CHECK (VALUE < 1000000) NOT VALID;
         CREATE COLLATION public.coll (locale = 'C');
         CREATE FUNCTION public.f(i int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT i + 1';
         CREATE TABLE public.loner (id int);
         CREATE INDEX loner_id_idx ON public.loner (id);
         CREATE SCHEMA expert_network;
         CREATE EXTENSION citext SCHEMA expert_network;";
    let state = "SELECT concat_ws(' ', (SELECT string_agg(conname || convalidated, ',' ORDER BY conname) FROM pg_constraint WHERE contypid = 'public.posint'::regtype),
         (SELECT count(*) FROM pg_description WHERE objoid = 'public.coll'::regcollation),
         (SELECT count(*) FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'citext') AND deptype IN ('e', 'x') AND classid IN ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_collation'::regclass)))";
    for (attack, what) in [
        (
            "ALTER DOMAIN public.posint RENAME CONSTRAINT posint_pos TO pp",
            "constraint pp on domain public.posint",
        ),
        (
            "ALTER DOMAIN public.posint VALIDATE CONSTRAINT posint_small",
            "constraint posint_small on domain public.posint",
        ),
        (
            "COMMENT ON COLLATION public.coll IS 'taken'",
            "comment on collation public.coll",
        ),
        (
            "ALTER EXTENSION citext ADD TABLE public.loner",
            "a member of extension citext: table public.loner",
        ),
        (
            "ALTER EXTENSION citext ADD COLLATION public.coll",
            "a member of extension citext: collation public.coll",
        ),
        (
            "ALTER FUNCTION public.f(int) DEPENDS ON EXTENSION citext",
            "a member of extension citext: function public.f(integer)",
        ),
        (
            "ALTER INDEX public.loner_id_idx DEPENDS ON EXTENSION citext",
            "a member of extension citext: index public.loner_id_idx",
        ),
    ] {
        let db = TestDb::seeded();
        db.exec(setup);
        let before = db.one(state);
        db.exec(&format!(
            "CREATE FUNCTION expert_network.innocent() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE {}; END $$;",
            literal(attack)
        ));
        up_sneaky(&db)
            .assert_code(3)
            .assert_stderr("002_sneaky.sql changed something outside schema expert_network and was rolled back")
            .assert_stderr(what);
        assert_eq!(db.one(state), before, "{attack}");
    }
    // expert_network's own extensions and their members, its domains' constraints and comments pass.
    let db = TestDb::seeded();
    let d = dir(&[
        ("001_ext.sql", "CREATE SCHEMA expert_network;\nCREATE EXTENSION citext SCHEMA expert_network;\nCREATE EXTENSION ltree SCHEMA expert_network;\nCREATE FUNCTION expert_network.g() RETURNS int LANGUAGE sql AS 'SELECT 1';\nCREATE DOMAIN expert_network.d AS int;\nALTER DOMAIN expert_network.d ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID;\nALTER DOMAIN expert_network.d VALIDATE CONSTRAINT c;\nCOMMENT ON DOMAIN expert_network.d IS 'ours';"),
        ("002_more.sql", "CREATE EXTENSION isn SCHEMA expert_network;\nCOMMENT ON DOMAIN expert_network.d IS NULL;"),
    ]);
    run(Some(&db.url), &["up", "--dir", d.path().to_str().unwrap()]).assert_code(0);
}

/// A seeded database with expert_network, `expert_network.innocent()` running `attack`, and `setup`
/// run after them (another application's objects, or an extension in expert_network).
fn with_innocent_after(setup: &str, attack: &str) -> TestDb {
    let db = with_innocent(attack);
    db.exec(setup);
    db
}

/// Each attack, reached through a body the fence cannot see, is refused by the guard (exit 3, EN001)
/// with `what` in its detail.
fn assert_refused(cases: &[(&str, &str, &str)]) {
    for (setup, attack, what) in cases {
        let db = with_innocent_after(setup, attack);
        up_sneaky(&db)
            .assert_code(3)
            .assert_stderr("002_sneaky.sql changed something outside schema expert_network and was rolled back")
            .assert_stderr(what);
    }
}

/// A comment writes pg_description alone: on a constraint, trigger, rule or policy of public's, on
/// an object of no schema that is never expert_network's, or on a built-in (PG 15: each passed).
#[test]
fn comments_on_publics_parts_on_objects_of_no_schema_and_on_built_ins_are_refused() {
    assert_refused(&[
        (
            "CREATE TABLE public.w (id int CONSTRAINT w_pos CHECK (id > 0)); ALTER TABLE public.w ENABLE ROW LEVEL SECURITY; CREATE POLICY w_pol ON public.w USING (true)",
            "COMMENT ON POLICY w_pol ON public.w IS 'x'",
            "comment on policy w_pol on table public.w",
        ),
        (
            "CREATE TABLE public.w (id int CONSTRAINT w_pos CHECK (id > 0))",
            "COMMENT ON CONSTRAINT w_pos ON public.w IS 'x'",
            "comment on constraint w_pos on table public.w",
        ),
        (
            "CREATE TABLE public.w (id int); CREATE RULE w_rule AS ON INSERT TO public.w WHERE NEW.id < 0 DO INSTEAD NOTHING",
            "COMMENT ON RULE w_rule ON public.w IS 'x'",
            "comment on rule w_rule on table public.w",
        ),
        (
            "SELECT pg_catalog.lo_from_bytea(4242, 'data')",
            "COMMENT ON LARGE OBJECT 4242 IS 'x'",
            "comment on large object 4242",
        ),
        (
            "CREATE PUBLICATION other_pub",
            "COMMENT ON PUBLICATION other_pub IS 'x'",
            "comment on publication other_pub",
        ),
        (
            "SELECT 1",
            "COMMENT ON FUNCTION pg_catalog.now() IS 'x'",
            "comment on function now()",
        ),
    ]);
}

/// A foreign table's own options are pg_foreign_table's alone (PG 15: `ALTER FOREIGN TABLE ...
/// OPTIONS` passed).
#[test]
fn a_foreign_tables_options_changed_are_refused() {
    assert_refused(&[(
        "CREATE FOREIGN DATA WRAPPER other_fdw; CREATE SERVER other_srv FOREIGN DATA WRAPPER other_fdw; CREATE FOREIGN TABLE public.ft (a int) SERVER other_srv OPTIONS (table_name 'x')",
        "ALTER FOREIGN TABLE public.ft OPTIONS (SET table_name 'z')",
        "options of foreign table public.ft",
    )]);
}

/// An object of no schema made a member of an extension in expert_network, whose drop would then
/// drop it (PG 15: `ADD EVENT TRIGGER`, `ADD SERVER`, `ADD CAST` of a built-in cast passed).
#[test]
fn objects_of_no_schema_added_to_expert_networks_extension_are_refused() {
    let ext = "CREATE EXTENSION citext SCHEMA expert_network";
    assert_refused(&[
        (
            &format!("{ext}; CREATE FUNCTION public.evt() RETURNS event_trigger LANGUAGE plpgsql AS 'BEGIN END'; CREATE EVENT TRIGGER other_evt ON ddl_command_end EXECUTE FUNCTION public.evt()"),
            "ALTER EXTENSION citext ADD EVENT TRIGGER other_evt",
            "a member of extension citext: event trigger other_evt",
        ),
        (
            &format!("{ext}; CREATE FOREIGN DATA WRAPPER other_fdw; CREATE SERVER other_srv FOREIGN DATA WRAPPER other_fdw"),
            "ALTER EXTENSION citext ADD SERVER other_srv",
            "a member of extension citext: server other_srv",
        ),
        (
            ext,
            "ALTER EXTENSION citext ADD CAST (int AS bigint)",
            "a member of extension citext: cast from integer to bigint",
        ),
    ]);
}

/// A drop leaves no row to describe, only its lock: the migration's own drops of public's sequence,
/// domain constraint, or of a publication or event trigger are a breach (EN001), not another
/// session's change (PG 15: each was blamed on another session, EN005, and retried).
#[test]
fn drops_that_leave_only_a_lock_are_blamed_on_the_migration() {
    let drop = "objects outside schema expert_network were dropped or changed";
    assert_refused(&[
        ("CREATE SEQUENCE public.s", "DROP SEQUENCE public.s", drop),
        (
            "CREATE DOMAIN public.d AS int CONSTRAINT d_pos CHECK (VALUE > 0)",
            "ALTER DOMAIN public.d DROP CONSTRAINT d_pos",
            drop,
        ),
        ("CREATE PUBLICATION other_pub", "DROP PUBLICATION other_pub", drop),
        (
            "CREATE FUNCTION public.evt() RETURNS event_trigger LANGUAGE plpgsql AS 'BEGIN END'; CREATE EVENT TRIGGER other_evt ON ddl_command_end EXECUTE FUNCTION public.evt()",
            "DROP EVENT TRIGGER other_evt",
            drop,
        ),
    ]);
}
