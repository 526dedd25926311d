//! Deciding what to do: the applied rows of the tracker against the files on disk, as a pure function.
//!
//! Owns every drift rule (changed checksum, missing file, out-of-order pending), the `--target` cut,
//! post-deploy files held back from a plain `up`, and when repeatable files (`R_name.sql`) are
//! (re-)applied: after every versioned file of the run, whenever their checksum differs from the
//! recorded one, which is never drift. Knows nothing of SQL or connections, so the whole matrix is
//! unit-tested here.

use crate::db::tracker::Applied;
use crate::files::migration::Migration;

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub ignore_missing: bool,
    pub allow_out_of_order: bool,
    pub target: Option<u64>,
    /// `up --post-deploy`: apply post-deploy files too.
    pub post_deploy: bool,
    /// Migrations applied by a newer release (see `State::Ahead`) are drift too.
    pub strict: bool,
}

/// State of one migration, for `status` and for `up`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Applied,
    Pending,
    /// Applied, but the file's checksum differs from the recorded one.
    Changed,
    /// Recorded in the tracker, no file.
    Missing,
    /// A pending post-deploy file that a plain `up` holds back (`up --post-deploy` applies it).
    Held,
    /// Recorded in the tracker, no file, and newer than every file: a newer release ran first (a
    /// rolling deploy or a rollback). Not drift unless `--strict`, as Flyway treats "future" migrations.
    Ahead,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub version: Option<u64>,
    pub name: String,
    pub state: State,
    /// Index into the files, when there is a file.
    pub file: Option<usize>,
    /// Index into the rows, when there is a row.
    pub row: Option<usize>,
    /// A repeatable file (or its row): `Changed` means "re-applied by the next `up`", not drift.
    pub repeatable: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Every migration known to the files or the tracker, by version.
    pub entries: Vec<Entry>,
    /// Files to apply now, in order (after `--target`).
    pub to_apply: Vec<usize>,
    /// Pending files older than the newest applied one.
    pub out_of_order: Vec<usize>,
    /// Rows adopted from the seed's runner that have no checksum yet: (row index, file index).
    pub backfill: Vec<(usize, usize)>,
}

/// Matches rows to files and sorts everything by version.
pub fn plan<M: AsRef<Migration>>(files: &[M], rows: &[Applied], opts: Options) -> Plan {
    let files: Vec<&Migration> = files.iter().map(AsRef::as_ref).collect();
    let mut p = Plan::default();
    let mut used = vec![false; rows.len()];
    // By file name, the earliest row first; the seed's runner wrote names without `.sql`, so a row
    // named exactly like the file comes first, then one named without the extension.
    let mut by_name: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::with_capacity(rows.len());
    for (ri, r) in rows.iter().enumerate().rev() {
        by_name.insert(&r.migration_name, ri);
    }
    let row_of = |file: &str| {
        by_name.get(file).copied().or_else(|| {
            file.strip_suffix(".sql")
                .and_then(|stem| by_name.get(stem).copied())
        })
    };
    for (fi, f) in files.iter().enumerate() {
        let row = row_of(&f.file_name);
        let repeatable = f.is_repeatable();
        let state = match row {
            None if f.directives.post_deploy && !opts.post_deploy && !repeatable => State::Held,
            None => State::Pending,
            Some(ri) => {
                used[ri] = true;
                match &rows[ri].checksum {
                    // A repeatable file's row without a checksum is re-applied, never adopted.
                    None if repeatable => State::Changed,
                    None => {
                        p.backfill.push((ri, fi));
                        State::Applied
                    }
                    Some(c) if *c == f.checksum => State::Applied,
                    Some(_) => State::Changed,
                }
            }
        };
        p.entries.push(Entry {
            version: (!repeatable).then_some(f.version),
            name: f.file_name.clone(),
            state,
            file: Some(fi),
            row,
            repeatable,
        });
    }
    let newest_file = files.iter().map(|f| f.version).max();
    for (ri, r) in rows.iter().enumerate() {
        if !used[ri] {
            let version = r.version();
            // A gap in the middle (a file deleted while later ones exist) stays Missing.
            let ahead = match (version, newest_file) {
                (Some(v), Some(n)) => v > n,
                _ => false,
            };
            p.entries.push(Entry {
                version,
                name: r.migration_name.clone(),
                state: if ahead { State::Ahead } else { State::Missing },
                file: None,
                row: Some(ri),
                repeatable: r.repeatable(),
            });
        }
    }
    // Versioned by version, then repeatable by name: the order they are applied in.
    p.entries.sort_by(|a, b| {
        (a.repeatable, a.version, &a.name).cmp(&(b.repeatable, b.version, &b.name))
    });
    let newest_applied = p
        .entries
        .iter()
        .filter(|e| !matches!(e.state, State::Pending | State::Held))
        .filter_map(|e| e.version)
        .max();
    let mut cut = false;
    for e in p.entries.iter().filter(|e| !e.repeatable) {
        if e.state != State::Pending {
            continue;
        }
        let fi = e.file.expect("pending entries come from files");
        // A post-deploy file is meant to land after the files that follow it.
        if newest_applied.is_some_and(|n| files[fi].version < n)
            && !files[fi].directives.post_deploy
        {
            p.out_of_order.push(fi);
        }
        if opts.target.is_none_or(|t| files[fi].version <= t) {
            p.to_apply.push(fi);
        } else {
            cut = true;
        }
    }
    // Repeatable files are written against the newest schema, so they wait while `--target` leaves
    // versioned files pending (held post-deploy files do not count: they only take away).
    if !cut {
        for e in p.entries.iter().filter(|e| e.repeatable) {
            if let (State::Pending | State::Changed, Some(fi)) = (e.state, e.file) {
                p.to_apply.push(fi);
            }
        }
    }
    p
}

/// The held post-deploy files, in order, for `up` to say it held them.
pub fn held(p: &Plan) -> Vec<usize> {
    p.entries
        .iter()
        .filter(|e| e.state == State::Held)
        .filter_map(|e| e.file)
        .collect()
}

/// Migrations a newer release applied (`State::Ahead`), by name.
pub fn ahead(p: &Plan) -> Vec<String> {
    p.entries
        .iter()
        .filter(|e| e.state == State::Ahead)
        .map(|e| e.name.clone())
        .collect()
}

/// What stops `up` from running, as lines an operator can act on. Empty means go.
pub fn drift<M: AsRef<Migration>>(
    p: &Plan,
    files: &[M],
    rows: &[Applied],
    opts: Options,
) -> Vec<String> {
    let files: Vec<&Migration> = files.iter().map(AsRef::as_ref).collect();
    let mut out = Vec::new();
    for e in &p.entries {
        match e.state {
            State::Changed if !e.repeatable => {
                let (f, r) = (&files[e.file.unwrap_or(0)], &rows[e.row.unwrap_or(0)]);
                out.push(format!(
                    "{} was applied with checksum {} but the file now has {}; restore the file (git checkout) or write a new migration",
                    f.file_name,
                    r.checksum.as_deref().unwrap_or("-"),
                    f.checksum
                ));
            }
            State::Missing if !opts.ignore_missing => out.push(format!(
                "{} is recorded as applied but has no file (deleted, renamed, or the database is newer than these migrations); restore it or pass --ignore-missing",
                e.name
            )),
            State::Ahead if opts.strict => out.push(format!(
                "{} is applied but newer than every file here (a newer release ran first); this is drift because of --strict",
                e.name
            )),
            _ => {}
        }
    }
    if !opts.allow_out_of_order {
        for &fi in &p.out_of_order {
            out.push(format!(
                "{} is pending but older than the newest applied migration (a merged branch?); renumber it after the newest or pass --allow-out-of-order",
                files[fi].file_name
            ));
        }
    }
    out
}

/// Builders of files and tracker rows for the unit tests of the plan and of verify.
#[cfg(test)]
pub mod testing {
    use super::{Applied, Migration};

    /// Migration `version`, named `NNN_mN.sql`, with `body` as its text.
    pub fn file(version: u64, body: &str) -> Migration {
        let name = format!("{version:03}_m{version}.sql");
        Migration::from_bytes(
            version,
            format!("m{version}"),
            name.clone(),
            name,
            body.as_bytes().to_vec(),
        )
        .unwrap()
    }

    /// A tracker row with no time recorded.
    pub fn row(id: i64, name: &str, checksum: Option<&str>) -> Applied {
        Applied {
            id,
            migration_name: name.into(),
            checksum: checksum.map(str::to_string),
            applied_at: None,
            execution_ms: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{file, row};
    use super::*;

    fn states(p: &Plan) -> Vec<(String, State)> {
        p.entries
            .iter()
            .map(|e| (e.name.clone(), e.state))
            .collect()
    }

    #[test]
    fn fresh_database_applies_everything_in_order() {
        let files = vec![
            file(1, "SELECT 1;"),
            file(2, "SELECT 2;"),
            file(10, "SELECT 10;"),
        ];
        let p = plan(&files, &[], Options::default());
        assert_eq!(p.to_apply, vec![0, 1, 2]);
        assert!(drift(&p, &files, &[], Options::default()).is_empty());
    }

    #[test]
    fn applied_changed_missing_and_pending() {
        let files = vec![
            file(1, "SELECT 1;"),
            file(2, "SELECT 2;"),
            file(4, "SELECT 4;"),
        ];
        let rows = vec![
            row(1, "001_m1.sql", Some(&files[0].checksum)),
            row(2, "002_m2.sql", Some("deadbeef")),
            row(3, "003_gone.sql", Some("x")),
        ];
        let o = Options::default();
        let p = plan(&files, &rows, o);
        assert_eq!(
            states(&p),
            vec![
                ("001_m1.sql".into(), State::Applied),
                ("002_m2.sql".into(), State::Changed),
                ("003_gone.sql".into(), State::Missing),
                ("004_m4.sql".into(), State::Pending),
            ]
        );
        let d = drift(&p, &files, &rows, o);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].contains("deadbeef") && d[0].contains(&files[1].checksum));
        let d = drift(
            &p,
            &files,
            &rows,
            Options {
                ignore_missing: true,
                ..o
            },
        );
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn out_of_order_is_drift_unless_allowed() {
        let files = vec![
            file(1, "SELECT 1;"),
            file(2, "SELECT 2;"),
            file(3, "SELECT 3;"),
        ];
        let rows = vec![
            row(1, "001_m1.sql", Some(&files[0].checksum)),
            row(2, "003_m3.sql", Some(&files[2].checksum)),
        ];
        let p = plan(&files, &rows, Options::default());
        assert_eq!(p.out_of_order, vec![1]);
        assert_eq!(p.to_apply, vec![1]);
        assert_eq!(drift(&p, &files, &rows, Options::default()).len(), 1);
        assert!(drift(
            &p,
            &files,
            &rows,
            Options {
                allow_out_of_order: true,
                ..Default::default()
            }
        )
        .is_empty());
    }

    #[test]
    fn seed_runner_rows_are_adopted_with_or_without_extension() {
        let files = vec![file(1, "SELECT 1;"), file(2, "SELECT 2;")];
        let rows = vec![row(7, "001_m1", None), row(9, "002_m2.sql", None)];
        let p = plan(&files, &rows, Options::default());
        assert!(p.to_apply.is_empty());
        assert_eq!(p.backfill, vec![(0, 0), (1, 1)]);
        assert!(drift(&p, &files, &rows, Options::default()).is_empty());
    }

    #[test]
    fn target_stops_after_that_version() {
        let files = vec![
            file(1, "SELECT 1;"),
            file(2, "SELECT 2;"),
            file(3, "SELECT 3;"),
        ];
        let p = plan(
            &files,
            &[],
            Options {
                target: Some(2),
                ..Default::default()
            },
        );
        assert_eq!(p.to_apply, vec![0, 1]);
    }

    fn repeatable(name: &str, body: &str) -> Migration {
        let file = format!("R_{name}.sql");
        Migration::from_bytes(0, name.into(), file.clone(), file, body.as_bytes().to_vec()).unwrap()
    }

    fn post_deploy(version: u64) -> Migration {
        file(version, "-- en-migrate: post-deploy\nSELECT 1;")
    }

    fn post(o: Options) -> Options {
        Options {
            post_deploy: true,
            ..o
        }
    }

    #[test]
    fn repeatable_files_run_last_by_name_when_new_or_changed_and_are_never_drift() {
        let files = vec![
            file(1, "SELECT 1;"),
            file(2, "SELECT 2;"),
            repeatable("a", "SELECT 'a';"),
            repeatable("b", "SELECT 'b';"),
            repeatable("c", "SELECT 'c';"),
        ];
        let rows = vec![
            row(1, "001_m1.sql", Some(&files[0].checksum)),
            row(2, "R_a.sql", Some(&files[2].checksum)),
            row(3, "R_b.sql", Some("old")),
            row(4, "R_gone.sql", Some("x")),
        ];
        let o = Options::default();
        let p = plan(&files, &rows, o);
        assert_eq!(
            states(&p),
            vec![
                ("001_m1.sql".into(), State::Applied),
                ("002_m2.sql".into(), State::Pending),
                ("R_a.sql".into(), State::Applied),
                ("R_b.sql".into(), State::Changed),
                ("R_c.sql".into(), State::Pending),
                ("R_gone.sql".into(), State::Missing),
            ]
        );
        // The versioned file first, then the changed and the new repeatable file, by name.
        assert_eq!(p.to_apply, vec![1, 3, 4]);
        assert!(p
            .entries
            .iter()
            .filter(|e| e.repeatable)
            .all(|e| e.version.is_none()));
        // An edited repeatable file is not drift; one whose file is gone is, as for any file.
        let d = drift(&p, &files, &rows, o);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].starts_with("R_gone.sql is recorded as applied but has no file"));
        let o = Options {
            ignore_missing: true,
            ..o
        };
        assert!(drift(&p, &files, &rows, o).is_empty());
        // A repeatable row never counts as the newest version: 002 is not out of order.
        assert!(p.out_of_order.is_empty());
    }

    #[test]
    fn repeatable_files_wait_while_target_leaves_versioned_files_pending() {
        let files = vec![
            file(1, "SELECT 1;"),
            file(2, "SELECT 2;"),
            repeatable("v", "SELECT 'v';"),
        ];
        let cut = Options {
            target: Some(1),
            ..Default::default()
        };
        assert_eq!(plan(&files, &[], cut).to_apply, vec![0]);
        let rows = vec![
            row(1, "001_m1.sql", Some(&files[0].checksum)),
            row(2, "002_m2.sql", Some(&files[1].checksum)),
        ];
        assert_eq!(plan(&files, &rows, cut).to_apply, vec![2]);
        // A recorded repeatable row without a checksum is re-applied, not adopted.
        let rows = vec![
            row(1, "001_m1.sql", Some(&files[0].checksum)),
            row(2, "002_m2.sql", Some(&files[1].checksum)),
            row(3, "R_v.sql", None),
        ];
        let p = plan(&files, &rows, Options::default());
        assert_eq!((p.to_apply.clone(), p.backfill.clone()), (vec![2], vec![]));
    }

    #[test]
    fn post_deploy_files_are_held_until_asked_for_and_never_out_of_order() {
        let files = vec![
            file(1, "SELECT 1;"),
            post_deploy(2),
            file(3, "SELECT 3;"),
            repeatable("v", "SELECT 'v';"),
        ];
        let o = Options::default();
        let p = plan(&files, &[], o);
        assert_eq!(
            states(&p)[..3],
            [
                ("001_m1.sql".into(), State::Pending),
                ("002_m2.sql".into(), State::Held),
                ("003_m3.sql".into(), State::Pending),
            ]
        );
        // Held files do not stop the files after them, nor the repeatable ones.
        assert_eq!(p.to_apply, vec![0, 2, 3]);
        assert_eq!(held(&p), vec![1]);
        // Once 003 is applied, the held 002 is older than it: that is what post-deploy means.
        let rows = vec![
            row(1, "001_m1.sql", Some(&files[0].checksum)),
            row(2, "003_m3.sql", Some(&files[2].checksum)),
            row(3, "R_v.sql", Some(&files[3].checksum)),
        ];
        let p = plan(&files, &rows, o);
        assert!(p.to_apply.is_empty() && drift(&p, &files, &rows, o).is_empty());
        let p = plan(&files, &rows, post(o));
        assert_eq!((p.to_apply.clone(), held(&p)), (vec![1], vec![]));
        assert!(drift(&p, &files, &rows, post(o)).is_empty());
        // --post-deploy applies everything pending in version order, post-deploy files among them.
        let p = plan(&files, &[], post(o));
        assert_eq!(p.to_apply, vec![0, 1, 2, 3]);
        // An applied post-deploy file is just applied.
        let rows = vec![row(1, "002_m2.sql", Some(&files[1].checksum))];
        assert_eq!(plan(&files, &rows, o).entries[1].state, State::Applied);
        // An ordinary pending file older than an applied one is still out of order.
        assert_eq!(plan(&files, &rows, o).out_of_order, vec![0]);
    }

    #[test]
    fn a_newer_release_ahead_is_not_drift_unless_strict_but_a_gap_is() {
        let files = vec![file(1, "SELECT 1;"), file(2, "SELECT 2;")];
        let rows = vec![
            row(1, "001_m1.sql", Some(&files[0].checksum)),
            row(2, "002_m2.sql", Some(&files[1].checksum)),
            row(3, "003_newer.sql", Some("x")),
            row(4, "004_newest.sql", Some("y")),
        ];
        let p = plan(&files, &rows, Options::default());
        assert_eq!(
            states(&p)[2..],
            [
                ("003_newer.sql".into(), State::Ahead),
                ("004_newest.sql".into(), State::Ahead)
            ]
        );
        assert!(p.to_apply.is_empty());
        assert!(drift(&p, &files, &rows, Options::default()).is_empty());
        let strict = Options {
            strict: true,
            ..Default::default()
        };
        assert_eq!(drift(&p, &files, &rows, strict).len(), 2);

        // A file of this release still pending while a newer one is applied: out of order, drift.
        let files3 = vec![
            file(1, "SELECT 1;"),
            file(2, "SELECT 2;"),
            file(3, "SELECT 3;"),
        ];
        let rows3 = vec![
            row(1, "001_m1.sql", Some(&files3[0].checksum)),
            row(2, "004_newest.sql", Some("y")),
        ];
        let p = plan(&files3, &rows3, Options::default());
        assert_eq!(drift(&p, &files3, &rows3, Options::default()).len(), 2);

        // A gap in the middle: an applied migration whose file is gone while later files exist.
        let rows_gap = vec![
            row(1, "001_m1.sql", Some(&files3[0].checksum)),
            row(2, "002_gone.sql", Some("z")),
            row(3, "003_m3.sql", Some(&files3[2].checksum)),
        ];
        let files_gap = vec![files3[0].clone(), files3[2].clone()];
        let p = plan(&files_gap, &rows_gap, Options::default());
        assert_eq!(states(&p)[1], ("002_gone.sql".into(), State::Missing));
        assert_eq!(
            drift(&p, &files_gap, &rows_gap, Options::default()).len(),
            1
        );
    }

    #[test]
    fn repeated_run_has_nothing_to_do() {
        let files = vec![file(1, "SELECT 1;")];
        let rows = vec![row(1, "001_m1.sql", Some(&files[0].checksum))];
        let p = plan(&files, &rows, Options::default());
        assert!(p.to_apply.is_empty() && p.backfill.is_empty());
    }
}
