//! What the shipped migrations (`sql/`) are and make, named once for every test: the integration
//! tests through `tests/common`, the unit tests of the derivation through a `#[path]` module.
//! Only names: what the files hold is read from `sql/` itself.

/// The shipped migrations' file names, in order.
pub const SHIPPED: [&str; 3] = [
    "001_create_expert_network_schema.sql",
    "002_seed_vendor_platforms.sql",
    "003_grants.sql",
];

/// The seed's eleven tables in schema expert_network, sorted, that the shipped migrations create.
pub const EXPECTED_TABLES: [&str; 11] = [
    "campaign_team_assignments",
    "campaign_vendor_enrollments",
    "campaigns",
    "expert_screening_responses",
    "experts",
    "interviews",
    "projects",
    "screening_questions",
    "team_members",
    "user_ui_preferences",
    "vendor_platforms",
];
