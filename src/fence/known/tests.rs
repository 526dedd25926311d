//! The generated tables are sorted (every lookup is a binary search) and the entries the fence
//! depends on have the class they must have.
use super::*;

fn sorted<T: PartialOrd + std::fmt::Debug>(items: &[T]) {
    for w in items.windows(2) {
        assert!(
            w[0] < w[1],
            "not sorted or duplicated: {:?} then {:?}",
            w[0],
            w[1]
        );
    }
}

#[test]
fn tables_are_sorted_and_deduplicated() {
    let funcs: Vec<_> = functions::FUNCTIONS
        .iter()
        .map(|f| (f.name, f.min, f.max))
        .collect();
    sorted(&funcs);
    sorted(
        &relations::RELATIONS
            .iter()
            .map(|&(s, n, _)| (s, n))
            .collect::<Vec<_>>(),
    );
    sorted(types::TYPES);
    sorted(
        &name_args::NAME_ARGS
            .iter()
            .map(|f| (f.name, f.min, f.max))
            .collect::<Vec<_>>(),
    );
    sorted(
        &settings::SETTINGS
            .iter()
            .map(|&(n, _)| n)
            .collect::<Vec<_>>(),
    );
    sorted(
        &settings::PINNED_VALUES
            .iter()
            .map(|&(n, _)| n)
            .collect::<Vec<_>>(),
    );
    sorted(settings::EXTENSION_PREFIXES);
    sorted(
        &extensions::EXTENSIONS
            .iter()
            .map(|e| e.name)
            .collect::<Vec<_>>(),
    );
    for e in extensions::EXTENSIONS {
        sorted(e.functions);
        sorted(e.types);
    }
}

#[test]
fn the_tables_cover_every_major() {
    // Enough that a generator run against a half-started server would show.
    assert!(
        functions::FUNCTIONS.len() > 2500,
        "{}",
        functions::FUNCTIONS.len()
    );
    assert!(relations::RELATIONS.len() > 200);
    assert!(types::TYPES.len() > 400);
    assert!(settings::SETTINGS.len() > 350);
    // Functions that exist only in the oldest or the newest major.
    assert!(function("pg_start_backup").is_some(), "PG 13-14 only");
    assert!(function("pg_backup_start").is_some(), "PG 15+");
    assert!(function("pg_restore_relation_stats").is_some(), "PG 18");
    assert!(
        catalog_relation("pg_catalog", "pg_stat_checkpointer").is_some(),
        "PG 17+"
    );
}

#[test]
fn functions_that_name_objects_say_where() {
    for name in [
        "nextval",
        "currval",
        "pg_relation_size",
        "pg_total_relation_size",
        "to_regclass",
    ] {
        assert_eq!(function(name), Some(FnClass::NamesObject(&[0])), "{name}");
    }
    assert_eq!(function_call("setval", 2), Some(FnClass::NamesObject(&[0])));
    assert_eq!(function_call("setval", 3), Some(FnClass::NamesObject(&[0])));
    assert_eq!(
        function("pg_get_serial_sequence"),
        Some(FnClass::NamesObject(&[0]))
    );
    assert_eq!(
        function("pg_sequence_last_value"),
        Some(FnClass::NamesObject(&[0]))
    );
    assert_eq!(
        function("pg_indexes_size"),
        Some(FnClass::NamesObject(&[0]))
    );
    // The user comes first when there is one.
    assert_eq!(
        function_call("has_table_privilege", 2),
        Some(FnClass::NamesObject(&[0]))
    );
    assert_eq!(
        function_call("has_table_privilege", 3),
        Some(FnClass::NamesObject(&[1]))
    );
    assert_eq!(
        function("has_table_privilege"),
        Some(FnClass::NamesObject(&[0, 1]))
    );
    assert_eq!(
        function_call("has_column_privilege", 4),
        Some(FnClass::NamesObject(&[1]))
    );
    // Privileges on objects outside any schema read structure only.
    assert_eq!(function("has_schema_privilege"), Some(FnClass::Safe));
    assert_eq!(function("pg_has_role"), Some(FnClass::Safe));
}

#[test]
fn functions_that_run_queries_or_have_effects() {
    for name in [
        "query_to_xml",
        "cursor_to_xml",
        "table_to_xml",
        "schema_to_xml",
        "database_to_xml",
        "ts_stat",
    ] {
        assert_eq!(function(name), Some(FnClass::RunsQuery), "{name}");
    }
    // ts_rewrite runs query text only in its two-argument form.
    assert_eq!(function_call("ts_rewrite", 2), Some(FnClass::RunsQuery));
    assert_eq!(function_call("ts_rewrite", 3), Some(FnClass::Safe));
    let effect = |name| match function(name) {
        Some(FnClass::Effect(e)) => Some(e),
        _ => None,
    };
    use Effect::*;
    for (name, want) in [
        ("pg_notify", Notify),
        ("pg_stat_reset", Statistics),
        ("pg_stat_reset_single_table_counters", Statistics),
        ("pg_advisory_lock", AdvisoryLock),
        ("pg_try_advisory_xact_lock", AdvisoryLock),
        ("pg_cancel_backend", Signal),
        ("pg_terminate_backend", Signal),
        ("pg_reload_conf", Configuration),
        ("set_config", Configuration),
        ("pg_read_file", Files),
        ("pg_ls_dir", Files),
        ("pg_stat_file", Files),
        ("lo_import", Files),
        ("lo_unlink", LargeObject),
        ("lo_from_bytea", LargeObject),
        ("pg_file_write", Files), // adminpack installs into pg_catalog
        ("pg_switch_wal", Replication),
        ("pg_create_logical_replication_slot", Replication),
        ("pg_replication_origin_create", Replication),
        ("pg_stat_get_activity", ExposesData),
        ("pg_hba_file_rules", ExposesData),
        ("pg_lock_status", ExposesData),
        ("pg_export_snapshot", Other),
    ] {
        assert_eq!(effect(name), Some(want), "{name}");
        assert!(!want.reason().is_empty());
    }
    for name in [
        "lower",
        "now",
        "coalesce_no_such",
        "pg_get_keywords",
        "tsvector_update_trigger",
        "to_tsvector",
        "format",
        "gen_random_uuid",
        "pg_get_indexdef",
        "lastval",
    ] {
        if name == "coalesce_no_such" {
            assert_eq!(function(name), None);
        } else {
            assert_eq!(function(name), Some(FnClass::Safe), "{name}");
        }
    }
    // A call with an arity no overload takes gets the strictest of all.
    assert_eq!(
        function_call("pg_read_file", 9),
        Some(FnClass::Effect(Files))
    );
}

#[test]
fn catalog_relations() {
    for name in [
        "pg_class",
        "pg_attribute",
        "pg_namespace",
        "pg_type",
        "pg_proc",
        "pg_constraint",
        "pg_index",
        "pg_indexes",
        "pg_tables",
        "pg_views",
        "pg_roles",
        "pg_inherits",
        "pg_rewrite",
        "pg_depend",
        "pg_description",
        "pg_enum",
        "pg_sequence",
        "pg_policy",
        "pg_policies",
        "pg_trigger",
        "pg_attrdef",
        "pg_extension",
        "pg_statistic_ext",
    ] {
        assert_eq!(
            catalog_relation("pg_catalog", name),
            Some(RelClass::Structure),
            "{name}"
        );
    }
    for name in [
        "pg_stats",
        "pg_statistic",
        "pg_statistic_ext_data",
        "pg_authid",
        "pg_shadow",
        "pg_user_mapping",
        "pg_user_mappings",
        "pg_hba_file_rules",
        "pg_file_settings",
        "pg_settings",
        "pg_stat_activity",
        "pg_stat_user_tables",
        "pg_statio_all_tables",
        "pg_largeobject",
        "pg_replication_slots",
        "pg_subscription",
        "pg_sequences",
        "pg_locks",
    ] {
        assert_eq!(
            catalog_relation("pg_catalog", name),
            Some(RelClass::ExposesData),
            "{name}"
        );
    }
    assert_eq!(
        catalog_relation("information_schema", "columns"),
        Some(RelClass::Structure)
    );
    assert_eq!(
        catalog_relation("information_schema", "tables"),
        Some(RelClass::Structure)
    );
    assert_eq!(
        catalog_relation("information_schema", "user_mapping_options"),
        Some(RelClass::ExposesData)
    );
    assert_eq!(catalog_relation("public", "pg_class"), None);
    assert_eq!(catalog_relation("pg_catalog", "users"), None);
}

#[test]
fn types() {
    for name in [
        "int4",
        "_int4",
        "text",
        "regclass",
        "tsvector",
        "jsonb",
        "pg_class",
        "trigger",
        "int4multirange",
    ] {
        assert!(is_catalog_type(name), "{name}");
    }
    assert!(!is_catalog_type("citext"));
    assert!(
        !is_catalog_type("integer"),
        "the parser's spelling maps to int4"
    );
}

#[test]
fn settings() {
    use SettingClass::*;
    for name in [
        "lock_timeout",
        "statement_timeout",
        "idle_in_transaction_session_timeout",
        "work_mem",
        "maintenance_work_mem",
        "client_min_messages",
        "check_function_bodies",
        "xmloption",
        "row_security",
        "default_table_access_method",
        "synchronous_commit",
        "application_name",
        "TimeZone",
        "DateStyle",
        "IntervalStyle",
        "extra_float_digits",
        "plpgsql.variable_conflict",
        "app.tenant",
        "pg_trgm.similarity_threshold",
    ] {
        assert_eq!(setting(name), Plain, "{name}");
    }
    for name in [
        "search_path",
        "role",
        "session_authorization",
        "standard_conforming_strings",
        "backslash_quote",
        "escape_string_warning",
        "client_encoding",
        "track_counts",
        "track_activities",
        "default_transaction_read_only",
        "default_tablespace",
        "stats_fetch_consistency",
        "en_migrate.c",
        "EN_MIGRATE.who",
        "en_migrate.anything",
    ] {
        assert_eq!(setting(name), Pinned, "{name}");
    }
    for name in [
        "shared_buffers",
        "session_replication_role",
        "log_statement",
        "fsync",
        "max_connections",
        "lc_messages",
        "local_preload_libraries",
        "pg_stat_statements.track",
        "auto_explain.log_min_duration",
        "no_such_setting",
    ] {
        assert_eq!(setting(name), Forbidden, "{name}");
    }
    // The current transaction's characteristics end with the migration's transaction.
    for name in [
        "transaction_isolation",
        "transaction_read_only",
        "default_with_oids",
        "seed",
    ] {
        assert_eq!(setting(name), Plain, "{name}");
    }
    assert_eq!(setting("default_transaction_isolation"), Pinned);
    assert_eq!(pinned_value("standard_conforming_strings"), Some("on"));
    assert_eq!(pinned_value("Client_Encoding"), Some("UTF8"));
    assert_eq!(pinned_value("default_tablespace"), Some(""));
    assert_eq!(
        pinned_value("search_path"),
        None,
        "the fence handles search_path itself"
    );
}

#[test]
fn extensions() {
    for name in [
        "pgcrypto",
        "uuid-ossp",
        "citext",
        "pg_trgm",
        "btree_gin",
        "btree_gist",
        "hstore",
        "ltree",
        "unaccent",
        "fuzzystrmatch",
        "intarray",
        "cube",
        "earthdistance",
        "isn",
        "seg",
        "tsm_system_rows",
        "tsm_system_time",
        "moddatetime",
    ] {
        assert!(extension(name).is_some(), "{name}");
    }
    for name in [
        "dblink",
        "postgres_fdw",
        "tablefunc",
        "pageinspect",
        "pg_surgery",
        "refint",
        "adminpack",
        "pg_buffercache",
        "pg_visibility",
        "pgstattuple",
        "amcheck",
        "file_fdw",
        "lo",
        "pg_prewarm",
        "pgrowlocks",
        "pg_stat_statements",
        "xml2",
        "plperl",
        "vector",
    ] {
        assert!(extension(name).is_none(), "{name}");
    }
    let pgcrypto = extension("pgcrypto").unwrap();
    for f in ["crypt", "gen_salt", "digest", "hmac", "pgp_sym_encrypt"] {
        assert!(pgcrypto.functions.binary_search(&f).is_ok(), "{f}");
    }
    let citext = extension("citext").unwrap();
    assert!(citext.types.binary_search(&"citext").is_ok());
    assert!(
        citext.types.binary_search(&"_citext").is_ok(),
        "array types come with the type"
    );
    assert!(extension("uuid-ossp")
        .unwrap()
        .functions
        .binary_search(&"uuid_generate_v4")
        .is_ok());
    assert!(extension("pg_trgm")
        .unwrap()
        .functions
        .binary_search(&"similarity")
        .is_ok());
    assert!(extension("hstore")
        .unwrap()
        .types
        .binary_search(&"hstore")
        .is_ok());
}

#[test]
fn functions_that_resolve_names_into_objects() {
    // Text into a schema object's oid, however the call is spelt.
    for name in [
        "to_regclass",
        "regclass",
        "regclassin",
        "to_regproc",
        "regprocin",
        "to_regtype",
        "regtypein",
    ] {
        assert_eq!(function(name), Some(FnClass::NamesObject(&[0])), "{name}");
    }
    // Text search configurations are named by literals such as 'english' and stay safe.
    assert_eq!(function("to_tsvector"), Some(FnClass::Safe));
    assert_eq!(function("regconfigin"), Some(FnClass::Safe));
}

#[test]
fn name_positions_fit_the_union_table() {
    // `union` in mod.rs lists every subset of positions 0..=3; a later major with a name further
    // right would need the table grown.
    for f in functions::FUNCTIONS {
        if let FnClass::NamesObject(p) = f.class {
            assert!(
                !p.is_empty() && p.iter().all(|&i| i <= 3),
                "{}: {p:?}",
                f.name
            );
            assert!(
                p.iter()
                    .all(|&i| f.max == VARIADIC || i < usize::from(f.max)),
                "{}: {p:?}",
                f.name
            );
        }
    }
    assert_eq!(union(&[1], &[0, 2]), &[0, 1, 2]);
}

#[test]
fn secret_settings_are_the_ones_only_superusers_read() {
    for name in [
        "primary_conninfo",
        "data_directory",
        "hba_file",
        "ssl_passphrase_command",
        "Config_File",
    ] {
        assert!(is_secret_setting(name), "{name}");
    }
    for name in [
        "server_version_num",
        "lock_timeout",
        "search_path",
        "request.jwt.claims",
    ] {
        assert!(!is_secret_setting(name), "{name}");
    }
}

#[test]
fn reg_parameters_are_found_by_arity() {
    assert_eq!(name_arguments("to_tsvector", 2), vec![(0, "regconfig")]);
    assert_eq!(name_arguments("to_tsvector", 1), vec![]);
    assert_eq!(name_arguments("ts_lexize", 2), vec![(0, "regdictionary")]);
    assert_eq!(name_arguments("pg_input_is_valid", 2), vec![(1, "regtype")]);
    // No overload takes 5: every overload's positions count.
    assert_eq!(name_arguments("to_tsquery", 5), vec![(0, "regconfig")]);
    assert!(name_arguments("lower", 1).is_empty());
}
