//! Deciding what to do: the applied rows of the tracker against the files on disk, as a pure function.
//!
//! Owns every drift rule (changed checksum, missing file, out-of-order pending) and the `--target`
//! cut. Knows nothing of SQL or connections, so the whole matrix is unit-tested here.

use crate::migration::Migration;
use crate::source::parse_file_name;

/// A tracker row, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub id: i64,
    pub migration_name: String,
    pub checksum: Option<String>,
    pub applied_at: Option<String>,
    pub execution_ms: Option<i64>,
}

impl Applied {
    /// The file this row records: the seed's Python runner wrote names with or without `.sql`.
    pub fn file_name(&self) -> String {
        if self.migration_name.ends_with(".sql") {
            self.migration_name.clone()
        } else {
            format!("{}.sql", self.migration_name)
        }
    }

    pub fn version(&self) -> Option<u64> {
        parse_file_name(&self.file_name())
            .ok()
            .flatten()
            .map(|n| n.version)
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub ignore_missing: bool,
    pub allow_out_of_order: bool,
    pub target: Option<u64>,
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
pub fn plan(files: &[Migration], rows: &[Applied], opts: Options) -> Plan {
    let mut p = Plan::default();
    let mut used = vec![false; rows.len()];
    // By file name; the seed's runner wrote names without `.sql`, so both spellings point at a row.
    let mut by_name: std::collections::HashMap<String, usize> =
        std::collections::HashMap::with_capacity(rows.len());
    for (ri, r) in rows.iter().enumerate().rev() {
        by_name.insert(r.file_name(), ri);
    }
    for (ri, r) in rows.iter().enumerate().rev() {
        by_name.insert(r.migration_name.clone(), ri);
    }
    for (fi, f) in files.iter().enumerate() {
        let row = by_name.get(&f.file_name).copied();
        let state = match row {
            None => State::Pending,
            Some(ri) => {
                used[ri] = true;
                match &rows[ri].checksum {
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
            version: Some(f.version),
            name: f.file_name.clone(),
            state,
            file: Some(fi),
            row,
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
            });
        }
    }
    p.entries
        .sort_by(|a, b| a.version.cmp(&b.version).then_with(|| a.name.cmp(&b.name)));
    let newest_applied = p
        .entries
        .iter()
        .filter(|e| e.state != State::Pending)
        .filter_map(|e| e.version)
        .max();
    for e in &p.entries {
        if e.state != State::Pending {
            continue;
        }
        let fi = e.file.expect("pending entries come from files");
        if newest_applied.is_some_and(|n| files[fi].version < n) {
            p.out_of_order.push(fi);
        }
        if opts.target.is_none_or(|t| files[fi].version <= t) {
            p.to_apply.push(fi);
        }
    }
    p
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
pub fn drift(p: &Plan, files: &[Migration], rows: &[Applied], opts: Options) -> Vec<String> {
    let mut out = Vec::new();
    for e in &p.entries {
        match e.state {
            State::Changed => {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn file(version: u64, body: &str) -> Migration {
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

    fn row(id: i64, name: &str, checksum: Option<&str>) -> Applied {
        Applied {
            id,
            migration_name: name.into(),
            checksum: checksum.map(str::to_string),
            applied_at: None,
            execution_ms: None,
        }
    }

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
