//! The migration files, before anything parses their SQL or connects: finding them (`source`), reading
//! each into one value with its checksum and placeholders (`migration`), and its `-- en-migrate:`
//! directives (`directives`); the one SQL lexer that they and every later part skip comments with
//! (`lexer`). Pure: never parses SQL beyond comments, never touches a database.

pub mod directives;
pub mod lexer;
pub mod migration;
pub mod source;

use crate::exit::{Fail, Kind};
use anyhow::{bail, Result};
use migration::{Migration, Placeholders};
use source::Source;
use std::path::Path;

/// Every migration of `--dir` (or of this binary), in order, each one value: its file, its text after
/// placeholders, its checksum and its directives. A file with an unknown `${name}` is refused here,
/// every such file named at once.
pub fn load(dir: Option<&Path>, sets: &[String]) -> Result<Vec<Migration>> {
    let placeholders = Placeholders::with_sets(sets).map_err(|e| e.kind(Kind::Usage))?;
    let src = match dir {
        Some(d) => Source::Dir(d.to_path_buf()),
        None => Source::Embedded,
    };
    let mut migrations = source::load(&src)?;
    let mut problems = Vec::new();
    for m in &mut migrations {
        // Without placeholders the text stays as read: a 50 MB seed is held once.
        if !m.text.contains("${") {
            continue;
        }
        m.placeholders = placeholders
            .names()
            .into_iter()
            .filter(|n| m.text.contains(&format!("${{{n}}}")))
            .collect();
        match placeholders.substitute(&m.text) {
            Ok(t) => {
                // A repeatable file is re-applied when what it sends changes, a `--set` included.
                if m.is_repeatable() {
                    m.checksum = migration::checksum(t.as_bytes());
                }
                m.replace_text(t);
            }
            Err(e) => problems.push(format!("{}: {e:#}", m.path)),
        }
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    Ok(migrations)
}
