//! Unit tests of the derivation: every DDL spelling that creates, renames, moves or drops a table,
//! and the vendor slugs of INSERT ... VALUES rows.

use super::*;

#[path = "../../tests/common/shipped.rs"]
mod shipped;

fn tables(texts: &[&str]) -> BTreeSet<String> {
    derive(texts).tables
}

fn vendor_slugs(texts: &[&str]) -> Vec<String> {
    derive(texts).vendor_slugs
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

fn t(texts: &[&str]) -> BTreeSet<String> {
    tables(texts)
}

#[test]
fn the_shipped_migrations_create_the_seeds_eleven_tables() {
    let texts: Vec<&str> = crate::files::source::EMBEDDED
        .iter()
        .map(|(_, b)| std::str::from_utf8(b).unwrap())
        .collect();
    let names: Vec<&str> = crate::source::EMBEDDED.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, shipped::SHIPPED);
    assert_eq!(tables(&texts), set(&shipped::EXPECTED_TABLES));
    let slugs = vendor_slugs(&texts);
    assert_eq!(slugs.len(), 11, "{slugs:?}");
    assert_eq!(slugs[0], "glg");
    assert!(slugs.contains(&"third-bridge".to_string()) && slugs.contains(&"newtonx".to_string()));
}

#[test]
fn create_table_in_every_spelling() {
    assert_eq!(
        t(&["CREATE TABLE expert_network.a (id int);
             CREATE TABLE IF NOT EXISTS expert_network.a (id int);
             create unlogged table EXPERT_NETWORK.\"MixedCase\" (id int);
             CREATE TABLE expert_network.b AS SELECT 1 AS x;
             CREATE TABLE expert_network.c AS SELECT 1 AS x WITH NO DATA;
             SELECT 1 AS x INTO expert_network.d;
             SELECT 1 AS x INTO expert_network.e UNION SELECT 2;
             CREATE TABLE expert_network.f (LIKE expert_network.a);"]),
        set(&["MixedCase", "a", "b", "c", "d", "e", "f"])
    );
}

#[test]
fn what_is_not_a_table_of_expert_network_is_left_out() {
    assert_eq!(
        t(&["CREATE TEMP TABLE scratch (id int);
             CREATE TABLE pg_temp.scratch2 (id int);
             SELECT 1 AS x INTO TEMP scratch3;
             CREATE TABLE public.other (id int);
             CREATE TABLE other_schema.x (id int);
             CREATE VIEW expert_network.v AS SELECT 1;
             CREATE MATERIALIZED VIEW expert_network.mv AS SELECT 1;
             CREATE SEQUENCE expert_network.s;
             CREATE INDEX i ON expert_network.v (x);
             CREATE TYPE expert_network.t AS (a int);
             INSERT INTO expert_network.x VALUES (1);
             -- CREATE TABLE expert_network.commented_out (id int);
             /* CREATE TABLE expert_network.also_commented (id int); */
             SELECT 'CREATE TABLE expert_network.in_a_string (id int)';"]),
        set(&[])
    );
}

#[test]
fn unqualified_names_land_in_expert_network_as_the_pinned_search_path_puts_them() {
    assert_eq!(
        t(&["CREATE TABLE a (id int); ALTER TABLE a RENAME TO b; CREATE TABLE c (id int); DROP TABLE c; SELECT 1 AS x INTO d;"]),
        set(&["b", "d"])
    );
}

#[test]
fn create_schema_elements() {
    assert_eq!(
        t(&["CREATE SCHEMA expert_network CREATE TABLE a (id int) CREATE TABLE expert_network.b (id int) CREATE VIEW v AS SELECT 1;
             CREATE SCHEMA elsewhere CREATE TABLE c (id int);"]),
        set(&["a", "b"])
    );
}

#[test]
fn renames_follow_the_table_and_only_ours() {
    assert_eq!(
        t(&[
            "CREATE TABLE expert_network.a (id int); CREATE TABLE expert_network.b (id int);",
            "ALTER TABLE expert_network.a RENAME TO a2;
             ALTER TABLE IF EXISTS expert_network.b RENAME TO b2;
             ALTER TABLE expert_network.b2 RENAME COLUMN id TO ident;
             ALTER TABLE expert_network.nope RENAME TO nope2;
             ALTER TABLE public.x RENAME TO y;
             ALTER INDEX expert_network.a2 RENAME TO a3;",
        ]),
        set(&["a3", "b2"])
    );
    // A view renamed with ALTER TABLE stays out.
    assert_eq!(t(&["CREATE VIEW expert_network.v AS SELECT 1; ALTER TABLE expert_network.v RENAME TO w;"]), set(&[]));
}

#[test]
fn drops_of_tables_and_of_the_schema() {
    assert_eq!(
        t(&[
            "CREATE TABLE expert_network.a (id int); CREATE TABLE expert_network.b (id int); CREATE TABLE expert_network.c (id int);",
            "DROP TABLE expert_network.a, expert_network.b CASCADE; DROP TABLE IF EXISTS expert_network.zz; DROP TABLE public.c; DROP VIEW expert_network.c;",
        ]),
        set(&["c"])
    );
    assert_eq!(
        t(&[
            "CREATE TABLE expert_network.a (id int);",
            "DROP SCHEMA expert_network CASCADE;",
            "CREATE SCHEMA expert_network; CREATE TABLE expert_network.z (id int);"
        ]),
        set(&["z"])
    );
    assert_eq!(t(&["CREATE TABLE expert_network.a (id int); DROP SCHEMA other, expert_network CASCADE;"]), set(&[]));
    assert_eq!(
        t(&["CREATE TABLE expert_network.a (id int); DROP SCHEMA other CASCADE;"]),
        set(&["a"])
    );
    assert_eq!(
        t(&[
            "CREATE TABLE expert_network.a (id int); ALTER SCHEMA expert_network RENAME TO old_en;"
        ]),
        set(&[])
    );
}

#[test]
fn set_schema_moves_tables_out_and_in() {
    assert_eq!(
        t(&[
            "CREATE TABLE expert_network.a (id int); CREATE TABLE expert_network.b (id int);
             ALTER TABLE expert_network.a SET SCHEMA archive;
             ALTER TABLE staging.c SET SCHEMA expert_network;
             ALTER TABLE expert_network.b SET SCHEMA expert_network;
             ALTER SEQUENCE expert_network.s SET SCHEMA archive;"
        ]),
        set(&["b", "c"])
    );
}

#[test]
fn partitions_count_as_tables_and_go_with_their_parent() {
    let create = "CREATE TABLE expert_network.events (id int, at date) PARTITION BY RANGE (at);
         CREATE TABLE expert_network.events_2024 PARTITION OF expert_network.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
         CREATE TABLE expert_network.events_2025 (id int, at date);
         ALTER TABLE expert_network.events ATTACH PARTITION expert_network.events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
         CREATE TABLE expert_network.events_default PARTITION OF expert_network.events DEFAULT;";
    assert_eq!(
        t(&[create]),
        set(&["events", "events_2024", "events_2025", "events_default"])
    );
    // DROP of the parent takes every partition, even without CASCADE.
    assert_eq!(t(&[create, "DROP TABLE expert_network.events;"]), set(&[]));
    // A detached partition survives its old parent.
    assert_eq!(t(&[create, "ALTER TABLE expert_network.events DETACH PARTITION expert_network.events_2024; DROP TABLE expert_network.events;"]), set(&["events_2024"]));
    // A renamed parent still takes its partitions.
    assert_eq!(
        t(&[
            create,
            "ALTER TABLE expert_network.events RENAME TO ev; DROP TABLE expert_network.ev;"
        ]),
        set(&[])
    );
    // Sub-partitions go too.
    assert_eq!(
        t(&["CREATE TABLE expert_network.p (k int) PARTITION BY LIST (k);
             CREATE TABLE expert_network.p1 PARTITION OF expert_network.p FOR VALUES IN (1) PARTITION BY LIST (k);
             CREATE TABLE expert_network.p1a PARTITION OF expert_network.p1 FOR VALUES IN (1);
             DROP TABLE expert_network.p;"]),
        set(&[])
    );
}

#[test]
fn inheriting_children_go_with_their_parent_only_by_cascade() {
    let create = "CREATE TABLE expert_network.base (id int); CREATE TABLE expert_network.kid () INHERITS (expert_network.base);";
    assert_eq!(
        t(&[create, "DROP TABLE expert_network.base CASCADE;"]),
        set(&[])
    );
    assert_eq!(
        t(&[create, "DROP TABLE expert_network.base;"]),
        set(&["kid"])
    );
    let later = "CREATE TABLE expert_network.base (id int); CREATE TABLE expert_network.kid (id int); ALTER TABLE expert_network.kid INHERIT expert_network.base;";
    assert_eq!(
        t(&[later, "DROP TABLE expert_network.base CASCADE;"]),
        set(&[])
    );
    assert_eq!(t(&[later, "ALTER TABLE expert_network.kid NO INHERIT expert_network.base; DROP TABLE expert_network.base CASCADE;"]), set(&["kid"]));
}

#[test]
fn do_blocks_are_replayed_but_function_bodies_are_not() {
    assert_eq!(
        t(&["DO $$
             DECLARE n int;
             BEGIN
                 IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = 'expert_network' AND tablename = 'audit') THEN
                     CREATE TABLE expert_network.audit (id int);
                 END IF;
                 SELECT count(*) INTO n FROM expert_network.audit;
                 DROP TABLE IF EXISTS expert_network.old_audit;
             END $$;
             CREATE TABLE expert_network.old_audit (id int);
             CREATE FUNCTION expert_network.f() RETURNS void LANGUAGE plpgsql AS $f$ BEGIN CREATE TABLE expert_network.in_function (id int); END $f$;
             DO LANGUAGE plpgsql $$ BEGIN DROP TABLE expert_network.old_audit; END $$;"]),
        set(&["audit"])
    );
}

#[test]
fn explain_analyze_runs_its_statement_and_plain_explain_does_not() {
    assert_eq!(
        t(&["EXPLAIN CREATE TABLE expert_network.a AS SELECT 1; EXPLAIN (ANALYZE) CREATE TABLE expert_network.b AS SELECT 1;"]),
        set(&["b"])
    );
}

#[test]
fn a_statement_that_does_not_parse_is_left_out_and_the_rest_read() {
    assert_eq!(t(&["CREATE TABLE expert_network.a (id int); CREATE TABLE expert_network.b (id int,); CREATE TABLE expert_network.c (id int);"]), set(&["a", "c"]));
    assert_eq!(t(&[""]), set(&[]));
    assert_eq!(t(&[]), set(&[]));
}

#[test]
fn leading_keywords() {
    assert_eq!(
        leading_keyword("  -- note\n/* a /* nested */ comment */ insert INTO x"),
        "INSERT"
    );
    assert_eq!(leading_keyword("(SELECT 1)"), "");
    assert_eq!(leading_keyword("-- only a comment"), "");
    assert_eq!(leading_keyword("/* unterminated"), "");
}

#[test]
fn vendor_slugs_come_from_the_slug_column_of_values_rows() {
    let texts = [
        "INSERT INTO expert_network.vendor_platforms (display_name, slug) VALUES ('GLG', 'glg'), ('X', 'x-net'::text), ('Computed', lower('NOPE'));",
        "-- later\ninsert into expert_network.vendor_platforms (slug, display_name) values ('glg', 'again'), ('tegus', 'Tegus') ON CONFLICT DO NOTHING;",
        "INSERT INTO expert_network.vendor_platforms VALUES ('no-column-list');
         INSERT INTO expert_network.vendor_platforms (slug) SELECT 'from-select';
         INSERT INTO expert_network.other (slug) VALUES ('other-table');
         INSERT INTO public.vendor_platforms (slug) VALUES ('public-table');
         INSERT INTO vendor_platforms (slug) VALUES ('unqualified');
             INSERT INTO EXPERT_NETWORK.VENDOR_PLATFORMS (SLUG) VALUES ('upper-case');",
    ];
    assert_eq!(
        vendor_slugs(&texts),
        ["glg", "x-net", "tegus", "unqualified", "upper-case"]
    );
    assert!(
        vendor_slugs(&["CREATE TABLE expert_network.vendor_platforms (slug text);"]).is_empty()
    );
}
