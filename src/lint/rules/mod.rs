//! One file per lint rule, each a small function from a statement to what it finds, with its `_ok`
//! and `_err` cases beside it. `rule.rs` names them; nothing here knows about output or databases.

pub mod add_column_not_null;
pub mod alter_column_type;
pub mod ban_char;
pub mod constraint_validating;
pub mod constraint_violated;
pub mod create_index_blocking;
pub mod destructive;
pub mod detach_partition_blocking;
pub mod domain_check;
pub mod drop_index_blocking;
pub mod drop_not_null;
pub mod duplicate_assignment;
pub mod enum_value_order;
pub mod exclusion_constraint;
pub mod identifier_too_long;
pub mod json_column;
pub mod not_null_over_nulls;
pub mod prefer_bigint_key;
pub mod prefer_identity;
pub mod prefer_text;
pub mod prefer_timestamptz;
pub mod reindex_blocking;
pub mod rename;
pub mod set_not_null;
pub mod stored_generated_column;
pub mod table_rewrite_lock;
pub mod truncate_cascade;
pub mod unique_constraint_blocking;
pub mod unique_over_duplicates;
pub mod update_whole_table;
pub mod validate_same_transaction;
pub mod volatile_default;
