//! The migration files, before anything parses their SQL or connects: finding them (`source`), reading
//! each into one value with its checksum and placeholders (`migration`), and its `-- en-migrate:`
//! directives (`directives`). Pure: never parses SQL beyond comments, never touches a database.

pub mod directives;
pub mod migration;
pub mod source;
