//! A bounded chaos run (about 30 s): rounds of concurrent `up`s while runners are killed with SIGKILL and
//! SIGTERM, their backends terminated, and the server restarted, at random moments. After every round
//! each migration is recorded at most once and whole (its table there with its one row if and only if it
//! is recorded), and at the end a plain `up` records every migration exactly once. The seed is printed, so
//! a failing round can be replayed with EN_MIGRATE_CHAOS_SEED.

mod common;
use common::*;
use std::time::{Duration, Instant};

const MIGRATIONS: usize = 12;

fn files() -> tempfile::TempDir {
    table_migrations(MIGRATIONS, |i| ((i * 37) % 9 + 1) as f64 / 10.0)
}

/// Every recorded migration whole and recorded once; every unrecorded one absent.
fn assert_whole(url: &str, round: usize, seed: u64) {
    let dup = try_one(
        url,
        "SELECT count(*) - count(DISTINCT migration_name) FROM public.schema_migrations",
    )
    .unwrap_or_else(|| "0".into());
    assert_eq!(
        dup, "0",
        "round {round} (seed {seed}): a migration recorded twice"
    );
    for i in 2..=MIGRATIONS {
        let recorded = try_one(
            url,
            &format!("SELECT count(*) FROM public.schema_migrations WHERE migration_name = '{i:03}_t{i}.sql'"),
        )
        .unwrap_or_else(|| "0".into());
        // Two queries: a query naming a table that does not exist fails even where it would not read it.
        let exists = try_one(
            url,
            &format!("SELECT to_regclass('expert_network.t{i}') IS NOT NULL"),
        )
        .unwrap();
        let rows = if exists == "t" {
            try_one(url, &format!("SELECT count(*) FROM expert_network.t{i}")).unwrap()
        } else {
            "-1".to_string()
        };
        match recorded.as_str() {
            "1" => assert_eq!(
                rows, "1",
                "round {round} (seed {seed}): t{i} recorded but holds {rows} rows"
            ),
            _ => assert_eq!(
                rows, "-1",
                "round {round} (seed {seed}): t{i} exists but is not recorded"
            ),
        }
    }
}

#[test]
fn concurrent_runners_kills_terminations_and_a_restart_lose_and_duplicate_nothing() {
    let mut rng = Rng::seeded();
    let seed = rng.0;
    let c = Dedicated::new("chaos", 19);
    let admin = c.start();
    exec_url(&admin, "CREATE DATABASE cdb");
    let url = c.url("postgres", "cdb");
    let d = files();
    let dir = d.path().to_str().unwrap().to_string();
    let started = Instant::now();
    let mut restarted = false;
    let mut round = 0;
    while started.elapsed() < Duration::from_secs(25) && round < 8 {
        round += 1;
        let mut children = patient_runners(&url, &dir, 4);
        std::thread::sleep(Duration::from_millis(100 + rng.next(600)));
        let victim = rng.next(children.len() as u64) as usize;
        match rng.next(if restarted { 3 } else { 4 }) {
            0 => {
                let _ = children[victim].kill();
            }
            1 => {
                let _ = std::process::Command::new("kill")
                    .args(["-TERM", &children[victim].id().to_string()])
                    .status();
            }
            2 => {
                let _ = try_one(&url, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'en-migrate' AND state = 'active' AND pid <> pg_backend_pid()");
            }
            _ => {
                restarted = true;
                c.stop();
                c.start();
            }
        }
        for child in children {
            let r = finish(child);
            assert!(
                !r.stderr.contains("panicked"),
                "round {round} (seed {seed}): {}",
                r.stderr
            );
            // Any outcome of a disturbed run is fine if it is an honest one; never a success that lied.
            if r.code == 0 {
                assert!(
                    !r.stderr.contains("Error:"),
                    "round {round} (seed {seed}): {}",
                    r.stderr
                );
            }
        }
        assert_whole(&url, round, seed);
    }
    // Undisturbed, a plain run finishes the job with no repair.
    let r = run(Some(&url), &["up", "--dir", &dir]);
    r.assert_code(0);
    assert_whole(&url, round + 1, seed);
    assert_eq!(
        try_one(
            &url,
            "SELECT count(DISTINCT migration_name) FROM public.schema_migrations"
        )
        .as_deref(),
        Some(MIGRATIONS.to_string().as_str()),
        "seed {seed}"
    );
    assert_eq!(
        try_one(
            &url,
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
        )
        .as_deref(),
        Some("0")
    );
}
