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
        &settings::SETTINGS
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
fn key_functions() {
    assert_eq!(function("nextval"), Some(FnClass::NamesObject(&[0])));
    assert_eq!(function("setval"), Some(FnClass::NamesObject(&[0])));
    assert_eq!(function("query_to_xml"), Some(FnClass::RunsQuery));
    assert_eq!(function("pg_notify"), Some(FnClass::Effect(Effect::Notify)));
    assert_eq!(
        function("set_config"),
        Some(FnClass::Effect(Effect::Configuration))
    );
    assert_eq!(function("lower"), Some(FnClass::Safe));
    assert_eq!(function("no_such_function"), None);
}

#[test]
fn key_relations_types_settings_extensions() {
    assert_eq!(
        catalog_relation("pg_catalog", "pg_class"),
        Some(RelClass::Structure)
    );
    assert_eq!(
        catalog_relation("pg_catalog", "pg_authid"),
        Some(RelClass::ExposesData)
    );
    assert_eq!(
        catalog_relation("pg_catalog", "pg_stats"),
        Some(RelClass::ExposesData)
    );
    assert_eq!(catalog_relation("public", "pg_class"), None);
    assert!(is_catalog_type("regclass"));
    assert!(!is_catalog_type("citext"));
    assert_eq!(setting("lock_timeout"), SettingClass::Plain);
    assert_eq!(setting("Statement_Timeout"), SettingClass::Plain);
    assert_eq!(setting("search_path"), SettingClass::Pinned);
    assert_eq!(setting("standard_conforming_strings"), SettingClass::Pinned);
    assert_eq!(setting("shared_buffers"), SettingClass::Forbidden);
    assert_eq!(setting("app.tenant"), SettingClass::Plain);
    assert_eq!(setting("pg_stat_statements.track"), SettingClass::Forbidden);
    assert!(extension("pgcrypto").is_some());
    assert!(extension("dblink").is_none());
}
