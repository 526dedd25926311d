//! Unit tests of the linter as a whole, and the helpers every rule's tests use (`hits`, `found`,
//! `counts`, `assert_ok`).

use super::*;

pub fn migration(sql: &str) -> Migration {
    Migration::from_bytes(
        2,
        "x".into(),
        "002_x.sql".into(),
        "002_x.sql".into(),
        sql.as_bytes().to_vec(),
    )
    .unwrap()
}

/// The messages `rule` alone gives on `sql` (data rules included).
pub fn hits(rule: Rule, sql: &str) -> Vec<String> {
    found(rule, sql).into_iter().map(|w| w.message).collect()
}

/// What `rule` alone finds on `sql`, with the data rules' questions.
pub fn found(rule: Rule, sql: &str) -> Vec<Warning> {
    let opts = Options {
        rules: vec![rule],
        live: true,
        carry: false,
    };
    Linter::new(opts).file(&migration(sql))
}

/// The count query `rule` asks on `sql`, one per hit.
pub fn counts(rule: Rule, sql: &str) -> Vec<String> {
    found(rule, sql)
        .into_iter()
        .map(|w| {
            w.count
                .map(|c| format!("{} -- {}", c.sql, c.what))
                .unwrap_or_default()
        })
        .collect()
}

/// Asserts that `rule` finds nothing in any of `sqls` (a rule's `_ok` cases).
pub fn assert_ok(rule: Rule, sqls: &[&str]) {
    for sql in sqls {
        assert_eq!(
            hits(rule, sql),
            Vec::<String>::new(),
            "{}: {sql}",
            rule.name()
        );
    }
}

fn rules(sql: &str) -> Vec<&'static str> {
    lint(&migration(sql)).into_iter().map(|w| w.rule).collect()
}

/// Every rule's README example makes it warn, and `allow` on the line before silences it.
#[test]
fn every_example_warns_and_its_allow_silences_it() {
    for &rule in Rule::ALL {
        let a = rule.about();
        assert!(
            !hits(rule, a.example).is_empty() || a.needs_database,
            "{}: its example does not warn",
            a.name
        );
        let last = a.example.lines().count();
        let mut allowed: Vec<String> = a.example.lines().map(str::to_string).collect();
        allowed.insert(last - 1, format!("-- en-migrate: allow {}", a.name));
        let allowed = allowed.join("\n");
        assert_eq!(hits(rule, &allowed), Vec::<String>::new(), "{}", a.name);
    }
}

#[test]
fn allow_silences_one_rule_on_the_next_statement_only() {
    assert!(rules("-- en-migrate: allow destructive\nDROP TABLE expert_network.e;").is_empty());
    assert_eq!(
        rules("-- en-migrate: allow destructive\nSELECT 1;\nDROP TABLE expert_network.e;"),
        ["destructive"]
    );
    assert_eq!(
        rules("-- en-migrate: allow set-not-null\nDROP TABLE expert_network.e;"),
        ["destructive"]
    );
}

#[test]
fn an_allow_naming_no_rule_is_refused() {
    let m = migration("-- en-migrate: allow destructiv\nDROP TABLE expert_network.e;");
    let e = check_allows(&[m]).unwrap_err().to_string();
    assert!(e.starts_with("002_x.sql: line 1: `allow destructiv`: \"destructiv\" names no lint rule; the rules are create-index-blocking, "), "{e}");
    assert!(check_allows(&[migration("-- en-migrate: allow rename\nSELECT 1;")]).is_ok());
}

#[test]
fn style_rules_are_off_until_asked_for() {
    let sql = "CREATE TABLE expert_network.t (id serial PRIMARY KEY, at timestamp);";
    assert!(rules(sql).is_empty());
    let opts = Options::with(&[Rule::PreferIdentity, Rule::PreferTimestamptz]);
    let got: Vec<_> = Linter::new(opts)
        .file(&migration(sql))
        .into_iter()
        .map(|w| w.rule)
        .collect();
    assert_eq!(got, ["prefer-identity", "prefer-timestamptz"]);
}

#[test]
fn data_rules_run_only_live() {
    let sql = "ALTER TABLE expert_network.e ALTER COLUMN x SET NOT NULL;";
    assert_eq!(rules(sql), ["set-not-null"]);
    let opts = Options {
        live: true,
        ..Options::default()
    };
    let got: Vec<_> = Linter::new(opts)
        .file(&migration(sql))
        .into_iter()
        .map(|w| (w.rule, w.severity))
        .collect();
    assert_eq!(
        got,
        [
            ("set-not-null", Severity::Warning),
            ("not-null-over-nulls", Severity::Error)
        ]
    );
}

#[test]
fn a_table_created_in_an_earlier_file_of_a_run_is_new_when_carried() {
    let first = migration("CREATE TABLE expert_network.n (id bigint);");
    let sql = "CREATE INDEX n_id ON expert_network.n (id);";
    let second = migration(sql);
    let mut alone = Linter::new(Options::default());
    alone.file(&first);
    assert_eq!(alone.file(&second).len(), 1);
    let mut run = Linter::new(Options {
        carry: true,
        ..Options::default()
    });
    run.file(&first);
    assert_eq!(run.file(&second), vec![]);
}

#[test]
fn the_models_trees_lint_as_a_fresh_parse_does() {
    let sql = "ALTER TABLE expert_network.b ADD COLUMN c int NOT NULL;\nCREATE INDEX b_c ON expert_network.b (c);\nDROP TABLE expert_network.e;";
    let model = fence::Model::build([sql]);
    assert!(model
        .tree(
            "ALTER TABLE expert_network.b ADD COLUMN c int NOT NULL",
            false
        )
        .is_some());
    let m = migration(sql);
    let fresh = lint(&m);
    assert!(fresh.len() >= 2, "{fresh:?}");
    assert_eq!(Linter::new(Options::default()).file_in(&model, &m), fresh);
}

#[test]
fn statements_nested_deeper_than_the_stack_lint_as_the_server_parses_them() {
    // 1000 nested CASEs and a 200-join SELECT: the server runs both; their trees recurse far
    // deeper than a test thread's 2 MB stack, which aborted `check` before.
    let mut case = String::from("1");
    for i in 0..1000 {
        case = format!("CASE WHEN x > {i} THEN {case} ELSE 0 END");
    }
    let joins: String = (0..200)
        .map(|i| format!(" JOIN expert_network.t t{i} ON t{i}.x = t.x"))
        .collect();
    let sql = format!(
        "SELECT {case} FROM expert_network.t;\nSELECT 1 FROM expert_network.t t{joins};\nDROP TABLE expert_network.e;"
    );
    let w = lint(&migration(&sql));
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!((w[0].rule, w[0].line), ("destructive", 3));
}

#[test]
fn warnings_name_the_statements_first_code_line() {
    let sql = "SELECT 1;\n\n-- why\nDROP TABLE expert_network.e;";
    let w = lint(&migration(sql));
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].line, 4);
}

#[test]
fn shipped_migrations_lint_clean() {
    let p = crate::files::migration::Placeholders::default();
    let mut run = Linter::new(Options {
        live: true,
        carry: true,
        ..Options::default()
    });
    for mut m in crate::files::source::load(&crate::files::source::Source::Embedded).unwrap() {
        m.replace_text(p.substitute(&m.text).unwrap());
        assert_eq!(lint(&m), vec![], "{}", m.file_name);
        // As one pending run on an empty database, the data rules ask nothing either.
        assert_eq!(run.file(&m), vec![], "{}", m.file_name);
    }
}
