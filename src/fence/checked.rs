//! One migration as it travels from the fence on: the file (`files::migration::Migration`: its text
//! after placeholders, its checksum and directives) and, once the fence has read it, the fence's
//! report. `up` carries these along the plan and the apply loop instead of a list of reports beside
//! the list of files; the plan reads only the file (`AsRef<Migration>`). Holds no logic of its own.

use super::Report;
use crate::files::migration::Migration;

#[derive(Debug)]
pub struct Checked {
    pub migration: Migration,
    /// `None` until the fence has read the file: `up` fences some files before connecting and the
    /// rest only once they are pending, so an applied file of a long history is never parsed.
    pub report: Option<Report>,
}

impl Checked {
    /// A file the fence has not read yet.
    pub fn unread(migration: Migration) -> Checked {
        Checked {
            migration,
            report: None,
        }
    }
}

impl std::ops::Deref for Checked {
    type Target = Migration;
    fn deref(&self) -> &Migration {
        &self.migration
    }
}

impl AsRef<Migration> for Checked {
    fn as_ref(&self) -> &Migration {
        &self.migration
    }
}
