//! Comparing two records of expert_network, and finding the migration that made an object: pure
//! functions over the records, no database.
//!
//! Never decides whether a comparison is fair (same server major, same record format): the caller
//! does that before comparing, so that nothing here can report a deparser's change of spelling as drift.

use super::Snapshot;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// In both, with different definitions.
    Changed,
    /// Expected, not found.
    Missing,
    /// Found, not expected.
    Unexpected,
}

impl State {
    pub fn word(self) -> &'static str {
        match self {
            State::Changed => "changed",
            State::Missing => "missing",
            State::Unexpected => "unexpected",
        }
    }
}

/// One object that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub state: State,
    /// What the object is and its qualified name: `table column expert_network.campaigns.title`.
    pub object: String,
    pub expected: Option<String>,
    pub found: Option<String>,
    /// Objects of this one (a missing table's columns, indexes, grants...) folded into it.
    pub includes: usize,
    /// The migration file that last defined the object, where that can be known.
    pub migration: Option<String>,
    /// The line of `migration` that names the object.
    pub line: Option<usize>,
}

/// Every difference between `expected` and `found`, by object name. A missing (or unexpected) object
/// whose table or type is missing (unexpected) too is folded into that one's `includes`.
pub fn diff(expected: &Snapshot, found: &Snapshot) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut folded: BTreeMap<String, usize> = BTreeMap::new();
    let one = |state, object: &String, e: Option<&String>, f: Option<&String>| Difference {
        state,
        object: object.clone(),
        expected: e.cloned(),
        found: f.cloned(),
        includes: 0,
        migration: None,
        line: None,
    };
    for (k, e) in &expected.objects {
        match found.objects.get(k) {
            Some(f) if f == e => {}
            Some(f) => out.push(one(State::Changed, k, Some(e), Some(f))),
            None => match top_absent(k, expected, found) {
                Some(parent) => *folded.entry(parent).or_default() += 1,
                None => out.push(one(State::Missing, k, Some(e), None)),
            },
        }
    }
    for (k, f) in &found.objects {
        if !expected.objects.contains_key(k) {
            match top_absent(k, found, expected) {
                Some(parent) => *folded.entry(parent).or_default() += 1,
                None => out.push(one(State::Unexpected, k, None, Some(f))),
            }
        }
    }
    for d in &mut out {
        d.includes = folded.get(&d.object).copied().unwrap_or(0);
    }
    out.sort_by(|a, b| a.object.cmp(&b.object));
    out
}

/// The outermost ancestor of `key` (in `side`) that `other` lacks too, if any.
fn top_absent(key: &str, side: &Snapshot, other: &Snapshot) -> Option<String> {
    let mut top = None;
    let mut at = key;
    // Parents are one or two levels deep (a column's grants belong to the column's table); the bound
    // only guards against a cycle in a hand-edited record.
    for _ in 0..8 {
        let Some(p) = side.parents.get(at) else { break };
        if other.objects.contains_key(p) {
            break;
        }
        top = Some(p.clone());
        at = p;
    }
    top
}

/// A tracker row: its id and migration name.
pub struct Row<'a> {
    pub id: i64,
    pub name: &'a str,
}

/// A migration file: its name in the tracker, its path for messages, its text.
pub struct File<'a> {
    pub name: &'a str,
    pub path: &'a str,
    pub text: &'a str,
}

/// Where the expectation of `d` was defined: the migration, among those applied in the stretch that
/// made the current expected definition, whose text names the object; the stretch ends at the oldest
/// record of the streak of records (newest first) holding that definition, and starts after the record
/// before it. Without records (a shadow comparison) every applied migration is a candidate. Unexpected
/// objects were made by no migration.
pub fn attribute(
    d: &mut Difference,
    records: &[(i64, &Snapshot)],
    rows: &[Row<'_>],
    files: &[File<'_>],
) {
    let Some(expected) = &d.expected else { return };
    let (lo, hi) = match records.len() {
        0 => (i64::MIN, i64::MAX),
        n => {
            let mut i = n - 1;
            while i > 0 && records[i - 1].1.objects.get(&d.object) == Some(expected) {
                i -= 1;
            }
            (
                if i > 0 { records[i - 1].0 } else { i64::MIN },
                records[i].0,
            )
        }
    };
    let candidates: Vec<&File<'_>> = rows
        .iter()
        .filter(|r| r.id > lo && r.id <= hi)
        .filter_map(|r| files.iter().find(|f| f.name == r.name))
        .collect();
    let (tokens, specific) = names_in(&d.object);
    let lower: Vec<String> = candidates.iter().map(|f| f.text.to_lowercase()).collect();
    let pick = (0..candidates.len())
        .rev()
        .find(|&i| tokens.iter().all(|t| mentions(&lower[i], t)))
        .or_else(|| {
            (0..candidates.len()).rev().find(|&i| {
                specific
                    .as_ref()
                    .is_some_and(|s| lower[i].contains(s.as_str()))
            })
        });
    match pick {
        Some(i) => {
            d.migration = Some(candidates[i].path.to_string());
            d.line = specific.and_then(|s| {
                lower[i]
                    .lines()
                    .position(|l| mentions(l, &s))
                    .map(|n| n + 1)
            });
        }
        None => d.migration = candidates.last().map(|f| f.path.to_string()),
    }
}

/// `text` has `name` as a whole identifier, not inside a longer one.
fn mentions(text: &str, name: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

/// Words of an object key that are not names.
const KIND_WORDS: &[&str] = &[
    "aggregate",
    "column",
    "comment",
    "composite",
    "constraint",
    "default",
    "domain",
    "expert_network",
    "extension",
    "for",
    "foreign",
    "function",
    "grants",
    "in",
    "index",
    "materialized",
    "object",
    "of",
    "on",
    "owner",
    "policy",
    "privileges",
    "procedure",
    "rule",
    "schema",
    "sequence",
    "statistics",
    "table",
    "tables",
    "trigger",
    "type",
    "view",
];

/// The names in an object key (lower-case, without argument types), and the one that is the object's
/// own: the first in `X on table Y`, the last in `a.b.c`.
fn names_in(key: &str) -> (Vec<String>, Option<String>) {
    // `default privileges of ROLE on tables in schema S`: the role is whoever ran the migrations.
    if let Some(rest) = key.strip_prefix("default privileges of ") {
        let what = rest.split(" on ").nth(1).and_then(|r| r.split(' ').next());
        let mut tokens = vec!["default privileges".to_string()];
        tokens.extend(what.map(str::to_lowercase));
        return (tokens, Some("default privileges".into()));
    }
    let head = key.split('(').next().unwrap_or(key).to_lowercase();
    let tokens: Vec<String> = head
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .filter(|t| !t.is_empty() && !KIND_WORDS.contains(t))
        .map(str::to_string)
        .collect();
    let specific = if head.contains(" on ") {
        tokens.first().cloned()
    } else {
        tokens.last().cloned()
    };
    (tokens, specific)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(objects: &[(&str, &str)], parents: &[(&str, &str)]) -> Snapshot {
        Snapshot {
            format: super::super::FORMAT,
            server_version_num: 150000,
            objects: objects
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            parents: parents
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn names_changed_missing_and_unexpected_and_folds_a_tables_parts() {
        let t = "table expert_network.a";
        let c = "table column expert_network.a.x";
        let g = "grants on table expert_network.a";
        let expected = snap(
            &[
                (t, "rls off"),
                (c, "integer"),
                (g, "raguser SELECT"),
                ("index expert_network.i", "CREATE INDEX i"),
            ],
            &[(c, t), (g, t)],
        );
        let found = snap(
            &[
                ("index expert_network.i", "CREATE INDEX i (INVALID)"),
                ("table expert_network.b", "rls off"),
            ],
            &[],
        );
        let d = diff(&expected, &found);
        let got: Vec<(State, &str, usize)> = d
            .iter()
            .map(|d| (d.state, d.object.as_str(), d.includes))
            .collect();
        assert_eq!(
            got,
            [
                (State::Changed, "index expert_network.i", 0),
                (State::Missing, t, 2),
                (State::Unexpected, "table expert_network.b", 0),
            ]
        );
        assert_eq!(d[0].found.as_deref(), Some("CREATE INDEX i (INVALID)"));
        assert!(diff(&expected, &expected).is_empty());
    }

    #[test]
    fn a_missing_column_of_a_present_table_is_named_itself() {
        let t = "table expert_network.a";
        let c = "table column expert_network.a.x";
        let expected = snap(&[(t, "rls off"), (c, "integer")], &[(c, t)]);
        let found = snap(&[(t, "rls off")], &[]);
        let d = diff(&expected, &found);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].state, d[0].object.as_str()), (State::Missing, c));
    }

    #[test]
    fn attribution_finds_the_migration_of_the_current_definition() {
        let key = "table column expert_network.a.x";
        let r1 = snap(&[(key, "integer")], &[]);
        let r2 = snap(&[(key, "bigint")], &[]);
        let r3 = snap(&[(key, "bigint")], &[]);
        let rows = [
            Row {
                id: 1,
                name: "001_a.sql",
            },
            Row {
                id: 2,
                name: "002_b.sql",
            },
            Row {
                id: 3,
                name: "003_c.sql",
            },
            Row {
                id: 4,
                name: "004_d.sql",
            },
        ];
        let files = [
            File {
                name: "001_a.sql",
                path: "sql/001_a.sql",
                text: "CREATE TABLE expert_network.a (x int);",
            },
            File {
                name: "002_b.sql",
                path: "sql/002_b.sql",
                text: "-- widen\nALTER TABLE expert_network.a\n  ALTER COLUMN x TYPE bigint;",
            },
            File {
                name: "003_c.sql",
                path: "sql/003_c.sql",
                text: "CREATE TABLE expert_network.other (y int);",
            },
            File {
                name: "004_d.sql",
                path: "sql/004_d.sql",
                text: "SELECT 1;",
            },
        ];
        // Records after migrations 1, 3 and 4: x became bigint between 1 and 3.
        let records = [(1, &r1), (3, &r2), (4, &r3)];
        let mut d = Difference {
            state: State::Changed,
            object: key.into(),
            expected: Some("bigint".into()),
            found: Some("text".into()),
            includes: 0,
            migration: None,
            line: None,
        };
        attribute(&mut d, &records, &rows, &files);
        assert_eq!(d.migration.as_deref(), Some("sql/002_b.sql"));
        assert_eq!(d.line, Some(3));

        let mut u = Difference {
            state: State::Unexpected,
            expected: None,
            ..d.clone()
        };
        u.migration = None;
        attribute(&mut u, &records, &rows, &files);
        assert_eq!(u.migration, None);
    }

    #[test]
    fn the_objects_own_name_is_picked() {
        assert_eq!(
            names_in("table constraint a_pkey on expert_network.a"),
            (
                vec!["a_pkey".to_string(), "a".to_string()],
                Some("a_pkey".to_string())
            )
        );
        assert_eq!(
            names_in("function expert_network.f(integer, text)").1,
            Some("f".to_string())
        );
        assert_eq!(
            names_in("default privileges of en on tables in schema expert_network"),
            (
                vec!["default privileges".to_string(), "tables".to_string()],
                Some("default privileges".to_string())
            )
        );
        assert_eq!(
            names_in("owner of table expert_network.campaigns").1,
            Some("campaigns".to_string())
        );
    }
}
