//! Unit tests of relations and types named unqualified by the statements real projects write that way
//! (Temporal, supabase/auth, Ory Kratos and Hydra, listmonk): a DROP or COMMENT of a relation, an
//! `ALTER ... RENAME TO`, an index made on an unqualified table, a DROP or ALTER TYPE, a `DROP ... IF
//! EXISTS` of a relation no migration made. Each resolves as `ALTER TABLE name` or a column's type
//! does; each `_err` case is a name the server may find outside expert_network, which stays refused.
//! Run on PG 15 in `tests/fence/pass/48_*` to `51_*`; the indexes of unnamed keys in `57_*`, unnamed
//! indexes in `58_*` (named after their expressions in `65_*`), arrays of expert_network's types declared in a PL/pgSQL body in `59_*`, the
//! indexes of keys renamed with `RENAME CONSTRAINT` in `60_*`.

use super::tests_resolve::rules;

const T: &str = "CREATE TABLE expert_network.r (id int);\n\
                 CREATE INDEX r_idx ON expert_network.r (id);\n\
                 CREATE VIEW expert_network.rv AS SELECT id FROM expert_network.r;\n\
                 CREATE SEQUENCE expert_network.rs;\n";

fn ok(sql: &str) {
    assert_eq!(rules(sql), Vec::<&str>::new(), "{sql}");
}

fn err(sql: &str, rule: &str) {
    assert_eq!(rules(sql), vec![rule], "{sql}");
}

#[test]
fn drops_of_expert_networks_unqualified_relations_ok() {
    for sql in [
        "DROP INDEX IF EXISTS r_idx;",
        "DROP VIEW rv;",
        "DROP SEQUENCE IF EXISTS rs;",
        "DROP TABLE IF EXISTS rv, r CASCADE;",
        "COMMENT ON TABLE r IS 'x';",
        "COMMENT ON INDEX r_idx IS 'x';",
        "CREATE TEMP TABLE tt (a int);\nDROP TABLE tt;",
    ] {
        ok(&format!("{T}{sql}"));
    }
}

#[test]
fn drops_of_relations_outside_expert_network_err() {
    for (sql, rule) in [
        ("DROP TABLE pg_class;".to_string(), "outside-schema"),
        ("DROP VIEW IF EXISTS pg_roles;".into(), "outside-schema"),
        ("COMMENT ON TABLE pg_class IS 'x';".into(), "outside-schema"),
        ("DROP TABLE users;".into(), "unqualified-name"),
        ("DROP INDEX users_email_idx;".into(), "unqualified-name"),
        ("DROP TABLE other.r;".into(), "outside-schema"),
        ("DROP TABLE public.r;".into(), "touches-public"),
        // Made in expert_network and named like a catalog: which one the server drops depends on
        // the moment.
        (
            "CREATE VIEW expert_network.pg_roles AS SELECT 1 AS a;\nDROP VIEW pg_roles;".into(),
            "unqualified-name",
        ),
        // A string body without its own path runs under its caller's, where `r` may be public's.
        (
            format!("{T}CREATE FUNCTION expert_network.f() RETURNS void LANGUAGE sql AS $f$ DROP TABLE r $f$;"),
            "unqualified-name",
        ),
    ] {
        err(&sql, rule);
    }
}

#[test]
fn renames_and_indexes_of_unqualified_relations_of_expert_network_ok() {
    for sql in [
        // Kratos: `ALTER TABLE "selfservice_verification_requests" RENAME TO "selfservice_verification_flows"`.
        "ALTER TABLE r RENAME TO r2;\nALTER TABLE r2 ADD COLUMN b int;\nINSERT INTO r2 (id) VALUES (1);",
        "ALTER INDEX r_idx RENAME TO r_idx2;\nDROP INDEX r_idx2;",
        "ALTER TABLE r RENAME TO r2;\nALTER TABLE r2 RENAME TO r3;\nDROP TABLE r3;",
        // Kratos: `CREATE INDEX sessions_identity_id_nid_sorted_idx ON sessions (...)`.
        "CREATE INDEX r_b ON r (id);\nALTER INDEX r_b SET (fillfactor = 70);\nDROP INDEX r_b;",
    ] {
        ok(&format!("{T}{sql}"));
    }
}

#[test]
fn renames_and_indexes_of_relations_outside_expert_network_err() {
    for (sql, rule) in [
        // Neither the renamed table nor the indexed one is expert_network's: the new names are not.
        ("CREATE TEMP TABLE tt (a int);\nALTER TABLE tt RENAME TO t2;\nALTER TABLE t2 ADD COLUMN b int;\nCREATE TEMP TABLE t3 (a int);\nDROP TABLE t2;", "unqualified-name"),
        ("ALTER TABLE users RENAME TO u2;\nALTER TABLE u2 ADD COLUMN b int;", "unqualified-name"),
        ("CREATE INDEX u_idx ON users (id);\nDROP INDEX u_idx;", "unqualified-name"),
    ] {
        err(sql, rule);
    }
    // Another schema's index or renamed table is refused where it is made, and its name is not
    // expert_network's after.
    for sql in [
        "CREATE INDEX c_idx ON other.r (id);\nDROP INDEX c_idx;",
        "ALTER TABLE other.r RENAME TO o2;\nDROP TABLE o2;",
    ] {
        assert_eq!(
            rules(sql),
            vec!["outside-schema", "unqualified-name"],
            "{sql}"
        );
    }
}

const TYPES: &str = "CREATE TYPE expert_network.mood AS ENUM ('ok', 'sad');\n\
                     CREATE DOMAIN expert_network.posint AS int CHECK (VALUE > 0);\n";

#[test]
fn types_of_expert_network_named_unqualified_ok() {
    // listmonk: `DROP TYPE IF EXISTS list_type CASCADE; CREATE TYPE list_type ...` and
    // `ALTER TYPE content_type ADD VALUE IF NOT EXISTS 'visual'`.
    for sql in [
        "DROP TYPE IF EXISTS mood CASCADE;",
        "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'glad';",
        "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';",
        "COMMENT ON TYPE mood IS 'how it went';",
        "ALTER DOMAIN posint SET NOT NULL;",
        "DROP DOMAIN posint;",
        "DO $$ BEGIN ALTER TYPE mood ADD VALUE IF NOT EXISTS 'glad'; END $$;",
        // Formbricks: `ALTER TYPE "ConnectorType" RENAME TO "FeedbackSourceType"`.
        "ALTER TYPE mood RENAME TO feeling;\nALTER TYPE feeling ADD VALUE 'meh';\nCREATE TABLE expert_network.f (v feeling);",
    ] {
        ok(&format!("{TYPES}{sql}"));
    }
}

/// A composite type's attributes changed by an unqualified `ALTER TYPE` (a relation lookup, which finds
/// the one the migrations make in expert_network, as a column's type does).
#[test]
fn attributes_of_expert_networks_composite_types_named_unqualified_ok() {
    for made in [
        "SET search_path TO expert_network;\nCREATE TYPE ct_rec AS (x int, y text);\n",
        "CREATE TYPE expert_network.ct_rec AS (x int, y text);\n",
    ] {
        ok(&format!(
            "{made}ALTER TYPE ct_rec ADD ATTRIBUTE z boolean;\n\
             ALTER TYPE ct_rec RENAME ATTRIBUTE z TO zz;\n\
             ALTER TYPE ct_rec ALTER ATTRIBUTE x TYPE bigint, DROP ATTRIBUTE IF EXISTS zz;"
        ));
    }
}

#[test]
fn attributes_of_composite_types_the_path_may_find_elsewhere_err() {
    err(
        "ALTER TYPE ct_none ADD ATTRIBUTE z boolean;",
        "unqualified-name",
    );
    err(
        "ALTER TYPE ct_none RENAME ATTRIBUTE z TO zz;",
        "unqualified-name",
    );
    err(
        "ALTER TYPE public.ct_rec ADD ATTRIBUTE z boolean;",
        "touches-public",
    );
    // The attribute's type is judged too.
    err(
        "CREATE TYPE expert_network.ct_rec AS (x int);\nALTER TYPE ct_rec ADD ATTRIBUTE z public.mood;",
        "touches-public",
    );
    // In a kept body, under its caller's path.
    let body = "CREATE TYPE expert_network.ct_rec AS (x int);\n\
                CREATE FUNCTION expert_network.f() RETURNS void LANGUAGE plpgsql AS $f$ BEGIN ALTER TYPE ct_rec ADD ATTRIBUTE z int; END $f$;";
    assert!(
        rules(body).contains(&"unqualified-name"),
        "{body}: {:?}",
        rules(body)
    );
}

#[test]
fn types_named_unqualified_outside_expert_network_err() {
    for (sql, rule) in [
        ("DROP TYPE IF EXISTS list_type;".to_string(), "unqualified-name"),
        ("ALTER TYPE content_type ADD VALUE 'x';".into(), "unqualified-name"),
        ("DROP TYPE IF EXISTS int4;".into(), "unqualified-name"),
        ("ALTER TYPE list_type RENAME TO lt2;\nALTER TYPE lt2 ADD VALUE 'x';".into(), "unqualified-name"),
        ("ALTER TYPE public.mood ADD VALUE 'x';".into(), "touches-public"),
        // Made in expert_network and named like a built-in.
        ("CREATE TYPE expert_network.money AS ENUM ('a');\nDROP TYPE money;".into(), "unqualified-name"),
        // A body runs under the path of whoever calls it.
        (
            format!("{TYPES}CREATE FUNCTION expert_network.f() RETURNS void LANGUAGE plpgsql SET search_path = expert_network, pg_catalog, pg_temp AS $f$ BEGIN DROP TYPE mood; END $f$;"),
            "unqualified-name",
        ),
    ] {
        err(&sql, rule);
    }
}

#[test]
fn drops_if_exists_of_relations_no_migration_made_ok() {
    // Ory Hydra's `DROP INDEX IF EXISTS hydra_oauth2_access_expires_at_idx`, whose CREATE it
    // commented out: on the path only expert_network's or the session's own can have that name.
    for sql in [
        "DROP INDEX IF EXISTS never_made_idx;",
        "DROP TABLE IF EXISTS never_made, nor_this CASCADE;",
        "DROP VIEW IF EXISTS \"PG_ROLES\";",
        "SET search_path = expert_network, pg_catalog;\nDROP SEQUENCE IF EXISTS never_made_seq;",
        "DO $$ BEGIN DROP INDEX IF EXISTS never_made_idx; END $$;",
    ] {
        ok(sql);
    }
}

#[test]
fn alter_table_if_exists_drops_of_relations_no_migration_made_ok() {
    // medusa's tax module: `ALTER TABLE IF EXISTS "product_tax_rate" DROP CONSTRAINT IF EXISTS
    // "FK_346e0016cf045b9980747747645"`, of a table its v1 made: on the path only expert_network's or
    // the session's own can have that name, and what goes runs nothing.
    for sql in [
        "ALTER TABLE IF EXISTS \"product_tax_rate\" DROP CONSTRAINT IF EXISTS \"FK_346e0016cf045b9980747747645\";",
        "ALTER TABLE IF EXISTS never_made DROP COLUMN IF EXISTS c, DROP CONSTRAINT k;",
        "ALTER TABLE IF EXISTS never_made ALTER COLUMN c DROP DEFAULT, ALTER COLUMN d DROP NOT NULL;",
        "SET search_path TO expert_network;\nALTER TABLE IF EXISTS never_made DROP CONSTRAINT IF EXISTS k;",
        "DO $$ BEGIN ALTER TABLE IF EXISTS never_made DROP CONSTRAINT IF EXISTS k; END $$;",
    ] {
        ok(sql);
    }
    for (sql, rule) in [
        // Without IF EXISTS, or doing more than dropping, the name must be one the migrations make.
        ("ALTER TABLE never_made DROP CONSTRAINT IF EXISTS k;", "unqualified-name"),
        ("ALTER TABLE IF EXISTS never_made DROP CONSTRAINT k, ADD COLUMN c int;", "unqualified-name"),
        ("ALTER TABLE IF EXISTS never_made ALTER COLUMN c SET DEFAULT 1;", "unqualified-name"),
        ("ALTER TABLE IF EXISTS never_made OWNER TO raguser;", "unqualified-name"),
        ("ALTER TABLE IF EXISTS never_made ENABLE TRIGGER ALL;", "unqualified-name"),
        // A catalog's name, the tracker's, a body (run under its caller's path).
        ("ALTER TABLE IF EXISTS pg_class DROP CONSTRAINT IF EXISTS k;", "outside-schema"),
        ("ALTER TABLE IF EXISTS schema_migrations DROP COLUMN IF EXISTS version;", "unqualified-name"),
        ("CREATE FUNCTION expert_network.f() RETURNS void LANGUAGE plpgsql AS $f$ BEGIN ALTER TABLE IF EXISTS never_made DROP CONSTRAINT IF EXISTS k; END $f$;", "unqualified-name"),
    ] {
        err(sql, rule);
    }
}

#[test]
fn drops_if_exists_of_names_the_catalogs_may_hold_err() {
    for (sql, rule) in [
        // PG 15: as the runner's superuser, `DROP VIEW IF EXISTS pg_roles` under the pinned path
        // drops pg_catalog.pg_roles.
        ("DROP VIEW IF EXISTS pg_roles;", "outside-schema"),
        // A catalog relation of a later release, unknown to the fence.
        ("DROP VIEW IF EXISTS pg_stat_future;", "unqualified-name"),
        ("DROP INDEX never_made_idx;", "unqualified-name"),
        ("DROP TABLE IF EXISTS schema_migrations;", "unqualified-name"),
        // A body runs under the path of whoever calls it.
        ("CREATE FUNCTION expert_network.f() RETURNS void LANGUAGE plpgsql AS $f$ BEGIN DROP TABLE IF EXISTS never_made; END $f$;", "unqualified-name"),
    ] {
        err(sql, rule);
    }
}

/// Rails' structure.sql footer, as Lago's db/structure.sql ends (pass corpus 148): the tracker's
/// name, written unqualified after the file made `expert_network.schema_migrations`, on a path of
/// expert_network, pg_catalog and pg_temp alone, finds that table (PG 15: public's unchanged).
#[test]
fn the_files_own_table_of_the_trackers_name_ok() {
    const MADE: &str =
        "CREATE TABLE expert_network.schema_migrations (version character varying NOT NULL);\n";
    for tail in [
        "SET search_path TO expert_network;\nINSERT INTO \"schema_migrations\" (version) VALUES ('20250122112050'), ('20260710093947');",
        "INSERT INTO schema_migrations (version) VALUES ('1');",
        "DELETE FROM schema_migrations WHERE version = '1';",
        "ALTER TABLE schema_migrations ADD COLUMN applied_at timestamp;",
        "DO $$ BEGIN INSERT INTO schema_migrations (version) VALUES ('1'); END $$;",
    ] {
        ok(&format!("{MADE}{tail}"));
    }
}

#[test]
fn the_trackers_name_not_yet_the_files_own_err() {
    const MADE: &str =
        "CREATE TABLE expert_network.schema_migrations (version character varying NOT NULL);\n";
    for sql in [
        // Before the file makes it (or in another file): the name says no more than the tracker's.
        format!("INSERT INTO schema_migrations (version) VALUES ('1');\n{MADE}"),
        // A body runs under its caller's path, which may hold public's.
        format!("{MADE}CREATE FUNCTION expert_network.f() RETURNS void LANGUAGE plpgsql AS $f$ BEGIN INSERT INTO schema_migrations (version) VALUES ('1'); END $f$;"),
    ] {
        assert!(rules(&sql).contains(&"unqualified-name"), "{sql}");
    }
    // Qualified into public it is the tracker itself.
    assert_eq!(
        rules(&format!(
            "{MADE}INSERT INTO public.schema_migrations (version) VALUES ('1');"
        )),
        vec!["tracker-table"]
    );
}

#[test]
fn indexes_of_named_keys_of_expert_network_ok() {
    // Prisma names every key (`CONSTRAINT "Connector_pkey" PRIMARY KEY ("id")`) and renames it with
    // the table (`ALTER INDEX "Connector_pkey" RENAME TO "FeedbackSource_pkey"`), as Formbricks does.
    for sql in [
        "CREATE TABLE expert_network.c (id int, CONSTRAINT c_pkey PRIMARY KEY (id));\nALTER INDEX c_pkey RENAME TO d_pkey;\nALTER INDEX d_pkey SET (fillfactor = 90);",
        "CREATE TABLE expert_network.c (id int CONSTRAINT c_pk PRIMARY KEY, e text CONSTRAINT c_e_key UNIQUE);\nALTER INDEX c_e_key RENAME TO c_e_key2;\nCOMMENT ON INDEX c_pk IS 'k';",
        "CREATE TABLE expert_network.c (id int, e text);\nALTER TABLE c ADD CONSTRAINT c_x_key UNIQUE (e);\nALTER INDEX c_x_key RENAME TO c_y_key;",
    ] {
        ok(sql);
    }
}

#[test]
fn indexes_of_keys_outside_expert_network_or_of_no_key_err() {
    for sql in [
        // A CHECK makes no index, a temporary table's key is in pg_temp.
        "CREATE TABLE expert_network.c (id int, CONSTRAINT c_chk CHECK (id > 0));\nALTER INDEX c_chk RENAME TO z;",
        "CREATE TEMP TABLE tc (id int CONSTRAINT tc_pkey PRIMARY KEY);\nALTER INDEX tc_pkey SET (fillfactor = 90);",
        "ALTER TABLE users ADD CONSTRAINT u_key UNIQUE (id);\nALTER INDEX u_key RENAME TO u_key2;",
    ] {
        assert!(rules(sql).contains(&"unqualified-name"), "{sql}");
    }
    let sql = "CREATE TABLE other.c (id int, CONSTRAINT oc_pkey PRIMARY KEY (id));\nALTER INDEX oc_pkey RENAME TO x;";
    assert_eq!(
        rules(sql),
        vec!["outside-schema", "unqualified-name"],
        "{sql}"
    );
}

#[test]
fn indexes_of_unnamed_keys_of_expert_network_ok() {
    // An unnamed key's index bears the name PostgreSQL 15 chooses for it (`<table>_pkey`,
    // `<table>_<columns>_key`, long names clipped as makeObjectName clips them), which debsources and
    // Rails' rename_table rename after the table (`ALTER INDEX packages_pkey RENAME TO ...`).
    for sql in [
        "CREATE TABLE expert_network.p (id serial PRIMARY KEY, name text UNIQUE);\nALTER INDEX p_pkey RENAME TO q_pkey;\nALTER INDEX p_name_key RENAME TO q_name_key;",
        "CREATE TABLE expert_network.m (id int, v int, metric text, PRIMARY KEY (id), UNIQUE (v, metric));\nALTER INDEX m_v_metric_key SET (fillfactor = 90);\nCOMMENT ON INDEX m_pkey IS 'k';",
        "CREATE TABLE expert_network.w (id int, e text);\nALTER TABLE w ADD PRIMARY KEY (id);\nALTER TABLE w ADD COLUMN sku text UNIQUE;\nALTER INDEX w_pkey RENAME TO w_pk;\nALTER INDEX w_sku_key RENAME TO w_sku;",
        "CREATE TABLE expert_network.a_very_long_table_name_that_goes_on_and_on_and_on_and_on_forever (id int PRIMARY KEY, some_quite_long_column_name text UNIQUE);\nALTER INDEX a_very_long_table_name_that_goe_some_quite_long_column_name_key RENAME TO q1;\nALTER INDEX a_very_long_table_name_that_goes_on_and_on_and_on_and_on_f_pkey RENAME TO q2;",
    ] {
        ok(sql);
    }
}

#[test]
fn indexes_of_unnamed_keys_the_server_names_otherwise_err() {
    for sql in [
        // INCLUDE columns join the name's column list; USING INDEX keeps the index's own name; an
        // EXCLUDE constraint's name is left to the server; a key of a table no migration makes here.
        "CREATE TABLE expert_network.t (id int, x int, PRIMARY KEY (id) INCLUDE (x));\nALTER INDEX t_pkey RENAME TO z;",
        "CREATE TABLE expert_network.t (id int);\nCREATE UNIQUE INDEX t_id_idx ON expert_network.t (id);\nALTER TABLE expert_network.t ADD PRIMARY KEY USING INDEX t_id_idx;\nALTER INDEX t_pkey RENAME TO z;",
        "CREATE TABLE expert_network.t (id int, x int UNIQUE);\nALTER INDEX t_id_key RENAME TO z;",
        "CREATE TABLE expert_network.t (id int);\nALTER INDEX user_pkey RENAME TO z;",
        "CREATE TEMP TABLE tc (id int PRIMARY KEY);\nALTER INDEX tc_pkey SET (fillfactor = 90);",
    ] {
        assert!(rules(sql).contains(&"unqualified-name"), "{sql}");
    }
}

#[test]
fn unnamed_indexes_of_expert_network_ok() {
    // `CREATE INDEX ON t (a, b)` (node-pg-migrate's createIndex without a name) makes `t_a_b_idx`,
    // INCLUDE columns joined in, UNIQUE or not.
    for sql in [
        "CREATE TABLE expert_network.t (a int, b text, c int);\nCREATE INDEX ON expert_network.t (a, b);\nALTER INDEX t_a_b_idx RENAME TO t_ab;",
        "CREATE TABLE expert_network.t (a int, b text, c int);\nCREATE UNIQUE INDEX ON t (a) INCLUDE (c);\nDROP INDEX t_a_c_idx;",
        "CREATE TABLE expert_network.t (a int);\nCREATE INDEX ON t USING hash (a);\nCOMMENT ON INDEX t_a_idx IS 'x';",
    ] {
        ok(sql);
    }
    // An expression's column is named as FigureIndexColname names it (PG 15 made each of these
    // names; rust-lang/crates.io drops `reserved_crate_names_canon_crate_name_idx`, made by `CREATE
    // UNIQUE INDEX ON reserved_crate_names (canon_crate_name(name))`).
    let t = "CREATE TABLE expert_network.t (id int, a int, b int, email text, name text, created_at timestamp);\n\
             CREATE FUNCTION expert_network.canon(v text) RETURNS text LANGUAGE sql IMMUTABLE SET search_path = '' AS $$ SELECT pg_catalog.lower(v) $$;\n";
    for (index, name) in [
        ("lower(email)", "t_lower_idx"),
        ("(a + b)", "t_expr_idx"),
        ("(name::text)", "t_name_idx"),
        ("(created_at::date)", "t_created_at_idx"),
        ("(email COLLATE \"C\")", "t_email_idx"),
        ("nullif(a, b)", "t_nullif_idx"),
        ("expert_network.canon(name), id", "t_canon_id_idx"),
        ("((a + b)::text)", "t_text_idx"),
    ] {
        ok(&format!(
            "{t}CREATE INDEX ON t ({index});\nDROP INDEX {name};"
        ));
    }
}

#[test]
fn unnamed_indexes_the_server_names_otherwise_err() {
    for sql in [
        // An expression's index is named after the expression, a repeated column is numbered, an
        // index on a table no migration makes in expert_network stays unknown.
        "CREATE TABLE expert_network.t (a int, b text);\nCREATE INDEX ON t (lower(b));\nALTER INDEX t_expr_idx RENAME TO z;",
        "CREATE TABLE expert_network.t (a int, b text);\nCREATE INDEX ON t (a, a);\nALTER INDEX t_a_a_idx RENAME TO z;",
        "CREATE INDEX ON users (id);\nALTER INDEX users_id_idx RENAME TO z;",
        // `EXTRACT` is `date_part` before PG 14, `extract` since; two expressions named alike are
        // numbered (`t_expr_expr1_idx`); a shape the model does not name stays unknown.
        "CREATE TABLE expert_network.t (d timestamp);\nCREATE INDEX ON t (extract(year from d));\nDROP INDEX t_extract_idx;",
        "CREATE TABLE expert_network.t (d timestamp);\nCREATE INDEX ON t (extract(year from d));\nDROP INDEX t_date_part_idx;",
        "CREATE TABLE expert_network.t (a int, b int);\nCREATE INDEX ON t ((a + b), (a - b));\nDROP INDEX t_expr_expr_idx;",
        "CREATE TABLE expert_network.t (a int, b int);\nCREATE INDEX ON t (coalesce(a, b));\nDROP INDEX t_coalesce_idx;",
    ] {
        assert!(rules(sql).contains(&"unqualified-name"), "{sql}");
    }
}

#[test]
fn plpgsql_arrays_of_expert_networks_types_in_a_body_with_its_own_path_ok() {
    // ente's `DECLARE all_buckets s3region[];`: libpg_query cannot resolve the type, so the parse
    // sees a stand-in; the name itself is judged as written, under the body's own path.
    let t = "CREATE TYPE expert_network.region AS ENUM ('a', 'b');\n";
    for decl in [
        "r region[];",
        "r \"region\"[];",
        "r region;",
        "r CONSTANT region[] := '{a}';",
    ] {
        ok(&format!("{t}CREATE FUNCTION expert_network.f() RETURNS int AS $$\nDECLARE\n    {decl}\nBEGIN\n    RETURN array_length(ARRAY[r], 1);\nEND;\n$$ LANGUAGE plpgsql SET search_path = expert_network, pg_catalog, pg_temp;"));
    }
}

#[test]
fn plpgsql_arrays_of_types_the_body_may_not_reach_err() {
    let t = "CREATE TYPE expert_network.region AS ENUM ('a', 'b');\n";
    let body = |decl: &str, path: &str| {
        format!("{t}CREATE FUNCTION expert_network.f() RETURNS int AS $$\nDECLARE\n    {decl}\nBEGIN\n    RETURN 1;\nEND;\n$$ LANGUAGE plpgsql{path};")
    };
    // Without its own path the caller's path finds the type; public's, another schema's, or a type
    // no migration makes stays refused.
    assert!(rules(&body("r region[];", "")).contains(&"unqualified-name"));
    assert!(rules(&body(
        "r public.region[];",
        " SET search_path = expert_network, pg_catalog, pg_temp"
    ))
    .contains(&"touches-public"));
    assert!(rules(&body(
        "r other.region[];",
        " SET search_path = expert_network, pg_catalog, pg_temp"
    ))
    .contains(&"outside-schema"));
    assert!(!rules(&body(
        "r nowhere[];",
        " SET search_path = expert_network, pg_catalog, pg_temp"
    ))
    .is_empty());
}

#[test]
fn indexes_renamed_with_their_constraints_ok() {
    // `ALTER TABLE ... RENAME CONSTRAINT` of a key renames its index in the table's schema (PG 15:
    // rallly's RenamePrimaryKey, nhost's rename of a unique constraint), which a later migration names.
    for sql in [
        "CREATE TABLE expert_network.\"Comment\" (id text, CONSTRAINT \"Comment_pkey\" PRIMARY KEY (id));\nALTER TABLE expert_network.\"Comment\" RENAME TO comments;\nALTER TABLE expert_network.comments RENAME CONSTRAINT \"Comment_pkey\" TO comments_pkey;\nALTER INDEX comments_pkey SET (fillfactor = 90);",
        "CREATE TABLE expert_network.keys (id int PRIMARY KEY, cred text UNIQUE);\nALTER TABLE keys RENAME CONSTRAINT keys_cred_key TO keys_credential_key;\nALTER INDEX keys_credential_key RENAME TO k2;\nCOMMENT ON INDEX k2 IS 'k';",
        "CREATE TABLE expert_network.e (a int, EXCLUDE USING btree (a WITH =) );\nALTER TABLE expert_network.e ADD CONSTRAINT e_x EXCLUDE USING btree (a WITH =);\nALTER TABLE expert_network.e RENAME CONSTRAINT e_x TO e_y;\nALTER INDEX e_y SET (fillfactor = 90);",
    ] {
        ok(sql);
    }
}

#[test]
fn constraints_renamed_without_an_index_of_expert_network_err() {
    for sql in [
        // A table no migration makes here: the path may find another schema's.
        "CREATE TABLE expert_network.t (id int PRIMARY KEY);\nALTER TABLE elsewhere RENAME CONSTRAINT t_pkey TO t_pk;\nALTER INDEX t_pk SET (fillfactor = 90);",
        // A foreign key or a CHECK has no index: nothing of the old name is an index of expert_network.
        "CREATE TABLE expert_network.p (id int PRIMARY KEY);\nCREATE TABLE expert_network.c (p int CONSTRAINT c_fk REFERENCES expert_network.p, CONSTRAINT c_ck CHECK (p > 0));\nALTER TABLE expert_network.c RENAME CONSTRAINT c_fk TO c_fk2;\nALTER TABLE expert_network.c RENAME CONSTRAINT c_ck TO c_ck2;\nALTER INDEX c_fk2 SET (fillfactor = 90);\nCOMMENT ON INDEX c_ck2 IS 'x';",
        // A `pg_` name could be pg_catalog's; another schema's table; a temporary table's key.
        "CREATE TABLE expert_network.t (id int PRIMARY KEY);\nALTER TABLE expert_network.t RENAME CONSTRAINT t_pkey TO pg_t_pkey;\nALTER INDEX pg_t_pkey SET (fillfactor = 90);",
        "CREATE TABLE expert_network.t (id int PRIMARY KEY);\nALTER TABLE pg_catalog.pg_class RENAME CONSTRAINT t_pkey TO t_pk;\nALTER INDEX t_pk SET (fillfactor = 90);",
        "CREATE TEMP TABLE tc (id int PRIMARY KEY);\nALTER TABLE tc RENAME CONSTRAINT tc_pkey TO tc_pk;\nALTER INDEX tc_pk SET (fillfactor = 90);",
    ] {
        assert!(rules(sql).contains(&"unqualified-name"), "{sql}");
    }
}

/// Functions named unqualified by DROP, COMMENT, ALTER and GRANT, as rust-lang/crates.io's diesel
/// migrations write them (`DROP FUNCTION to_semver_no_prerelease(text)`, `drop function if exists
/// semver_ord(varchar)`, `comment on function semver_ord is '...'`): on the pinned path a name no
/// function of pg_catalog has (PostgreSQL 13 to 18) can only be expert_network's, made by the
/// migrations (or, by `DROP ... IF EXISTS`, any) (PG 15, `tests/fence/pass/64_*`).
#[test]
fn functions_named_unqualified_where_pg_catalog_has_none_of_the_name_ok() {
    let f = "CREATE FUNCTION expert_network.semver_ord(num varchar) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$ SELECT '[]'::jsonb $$;\n";
    for sql in [
        "comment on function semver_ord is 'x';",
        "COMMENT ON FUNCTION semver_ord(varchar) IS 'x';",
        "ALTER FUNCTION semver_ord(varchar) PARALLEL SAFE;",
        "GRANT EXECUTE ON FUNCTION semver_ord(varchar) TO raguser;",
        "drop function if exists semver_ord(varchar);",
        "DROP FUNCTION semver_ord;",
        "DROP FUNCTION IF EXISTS set_semver_ord();",
        "DROP FUNCTION IF EXISTS never_made(int), semver_ord(varchar) CASCADE;",
        "DROP PROCEDURE IF EXISTS never_made_proc();",
        "DROP AGGREGATE IF EXISTS never_made_agg(int);",
        "DO $$ BEGIN DROP FUNCTION IF EXISTS never_made(); END $$;",
        "DROP FUNCTION IF EXISTS never_made;",
        "SET search_path = pg_catalog, expert_network;\nDROP FUNCTION IF EXISTS never_made();",
    ] {
        ok(&format!("{f}{sql}"));
    }
}

/// A name pg_catalog has (in any of PostgreSQL 13 to 18) stays refused: where expert_network holds
/// no function of exactly those types, the server goes on to pg_catalog's (PG 15 leaves 5 of them
/// unpinned, `dsnowball_init(internal)` among them, which a superuser's DROP removes). So does one
/// in a string body, which runs under its caller's path.
#[test]
fn functions_named_unqualified_that_pg_catalog_may_hold_err() {
    for sql in [
        "DROP FUNCTION IF EXISTS dsnowball_init(internal);",
        "DROP FUNCTION IF EXISTS lower(text);",
        "COMMENT ON FUNCTION now IS 'x';",
        "ALTER FUNCTION plpgsql_validator(oid) OWNER TO raguser;",
        "DROP AGGREGATE IF EXISTS count(*);",
        // Without IF EXISTS, a function no migration makes in expert_network (refuse corpus 04: one
        // made unqualified, wherever the path put it).
        "DROP FUNCTION never_made();",
        "COMMENT ON FUNCTION never_made() IS 'x';",
    ] {
        assert!(rules(sql).contains(&"unqualified-name"), "{sql}");
    }
    let body = "CREATE FUNCTION expert_network.cleanup() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DROP FUNCTION IF EXISTS never_made(); END $$;";
    assert!(rules(body).contains(&"unqualified-name"), "{body}");
}

/// `ALTER INDEX IF EXISTS sgrif_testing RENAME TO index_recent_crate_downloads_by_downloads`
/// (rust-lang/crates.io renames indexes made on production by hand): a relation no migration makes,
/// found by the pinned path only in expert_network or the session's pg_temp, as `DROP ... IF
/// EXISTS` finds it (PG 15, `tests/fence/pass/66_*`). Without IF EXISTS, named `pg_*`, the
/// tracker's name, or in a string body it stays refused.
#[test]
fn renames_if_exists_of_relations_no_migration_made() {
    for sql in [
        "ALTER INDEX IF EXISTS never_made_idx RENAME TO made_idx;",
        "ALTER TABLE IF EXISTS never_made RENAME COLUMN a TO b;",
        "ALTER TABLE IF EXISTS never_made RENAME TO still_never_made;",
        "ALTER SEQUENCE IF EXISTS never_made_seq RENAME TO other_seq;",
    ] {
        ok(sql);
    }
    for sql in [
        "ALTER INDEX never_made_idx RENAME TO made_idx;",
        "ALTER INDEX IF EXISTS pg_never_made RENAME TO made_idx;",
        "ALTER TABLE IF EXISTS schema_migrations RENAME TO old_schema_migrations;",
        "CREATE FUNCTION expert_network.f() RETURNS void LANGUAGE plpgsql SET search_path = expert_network, pg_catalog, pg_temp AS $$ BEGIN ALTER INDEX IF EXISTS never_made_idx RENAME TO made_idx; END $$;",
    ] {
        assert!(rules(sql).contains(&"unqualified-name"), "{sql}");
    }
}

/// A routine the file makes and drops again (Mattermost's `create_attribute_view`, corpus 71): its
/// body is judged under the file's path, and the unqualified DROP resolves to expert_network's.
const MADE: &str = "CREATE TABLE expert_network.pv (id int);\n\
                    CREATE PROCEDURE expert_network.mk() LANGUAGE plpgsql AS $$ BEGIN INSERT INTO pv VALUES (1); END $$;\n";

#[test]
fn routines_made_and_dropped_by_the_file_ok() {
    for tail in [
        "CALL mk();\nDROP PROCEDURE mk();",
        "CALL expert_network.mk();\nDROP PROCEDURE IF EXISTS mk;",
        "BEGIN;\nCALL mk();\nCOMMIT;\nDROP ROUTINE expert_network.mk();",
    ] {
        ok(&format!("{MADE}{tail}"));
    }
    ok("CREATE TABLE expert_network.pv (id int);\n\
        CREATE FUNCTION expert_network.f(n integer) RETURNS int LANGUAGE sql AS 'SELECT count(*)::int FROM pv';\n\
        SELECT expert_network.f(1);\nDROP FUNCTION f(int);");
    // An unqualified DROP of a routine the migrations make (a later file's), kept ones included, and
    // the other statements that name one so: COMMENT, GRANT, RENAME.
    ok("CREATE FUNCTION expert_network.g() RETURNS int LANGUAGE sql AS 'SELECT 1';\nDROP FUNCTION IF EXISTS g();");
    ok("CREATE FUNCTION expert_network.g(a uuid) RETURNS int LANGUAGE sql AS 'SELECT 1';\n\
        COMMENT ON FUNCTION g(uuid) IS 'x';\n\
        DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'web') THEN GRANT EXECUTE ON FUNCTION g(UUID) TO web; END IF; END $$;\n\
        ALTER FUNCTION g(uuid) RENAME TO g2;\nSELECT expert_network.g2(NULL);");
}

#[test]
fn routines_that_outlive_the_file_or_drops_outside_err() {
    for tail in [
        // Kept, dropped only in a DO block, or another overload dropped.
        "CALL mk();",
        "DO $d$ BEGIN DROP PROCEDURE mk(); END $d$;",
        "DROP PROCEDURE mk(int);",
        // Renamed away before the DROP, which then finds nothing.
        "ALTER PROCEDURE expert_network.mk() RENAME TO kept;\nDROP PROCEDURE IF EXISTS mk();",
        // The path changes between the CREATE and the DROP.
        "SET search_path = pg_catalog, expert_network;\nDROP PROCEDURE mk();",
    ] {
        err(&format!("{MADE}{tail}"), "unqualified-name");
    }
    // A no-transaction file commits each statement: another session may call it before the DROP.
    err(
        &format!("-- en-migrate: no-transaction\n{MADE}DROP PROCEDURE mk();"),
        "unqualified-name",
    );
    // Unqualified DROPs that may find a routine outside expert_network: one pg_catalog has a function
    // of that name, one no migration makes, one inside a kept body (run under its caller's path).
    for sql in [
        "CREATE FUNCTION expert_network.lower(x int) RETURNS int LANGUAGE sql AS 'SELECT x';\nDROP FUNCTION lower(int);",
        "DROP FUNCTION touch_updated_at();",
        "COMMENT ON FUNCTION lower(text) IS 'x';",
        "CREATE FUNCTION expert_network.lower(x int) RETURNS int LANGUAGE sql AS 'SELECT x';\nGRANT EXECUTE ON FUNCTION lower(int) TO PUBLIC;",
        "CREATE FUNCTION expert_network.g() RETURNS int LANGUAGE sql AS 'SELECT 1';\n\
         CREATE FUNCTION expert_network.h() RETURNS void LANGUAGE sql AS $f$ DROP FUNCTION g() $f$;",
    ] {
        err(sql, "unqualified-name");
    }
}

/// A statement that may drop schema expert_network takes it off the path of the statements after it
/// (corpus 73): one whose text holds DROP, SCHEMA and expert_network each as a word of its own, not
/// inside `information_schema`, `schemaname`, `current_schema()` or `drop_partitions_by_system_ttl`
/// (an idempotent DO block that drops a column it finds in information_schema.columns; ThingsBoard's
/// dao/src/main/resources/sql/schema-ts-psql.sql `drop_partitions_by_system_ttl`, which reads
/// `pg_tables WHERE schemaname = current_schema()`, corpus 73's own cases stay refused).
#[test]
fn names_that_only_hold_drop_or_schema_keep_expert_network_on_the_path_ok() {
    let t = "CREATE TABLE expert_network.t (id int, old int);\n";
    let after = "ALTER TABLE t ADD COLUMN x int;\nCREATE INDEX t_x_idx ON t (x);";
    for between in [
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'expert_network' AND table_name = 't' AND column_name = 'old') THEN ALTER TABLE expert_network.t DROP COLUMN old; END IF; END $$;\n",
        "CREATE PROCEDURE expert_network.drop_partitions_by_system_ttl(IN p varchar) LANGUAGE plpgsql AS $$ BEGIN PERFORM tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = p; END $$;\n",
    ] {
        ok(&format!("{t}{between}{after}"));
    }
}

#[test]
fn a_statement_that_may_drop_the_schema_takes_it_off_the_path_err() {
    let t = "CREATE TABLE expert_network.t (id int, old int);\n";
    for between in [
        "DO $$ BEGIN DROP SCHEMA IF EXISTS expert_network CASCADE; END $$;\n",
        "DO $$ BEGIN drop /* the lot */ schema \"expert_network\" cascade; END $$;\n",
        "CREATE FUNCTION expert_network.reset() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DROP SCHEMA EXPERT_NETWORK CASCADE; END $$;\n",
    ] {
        assert!(
            rules(&format!("{t}{between}ALTER TABLE t ADD COLUMN x int;")).contains(&"unqualified-name"),
            "{between}"
        );
    }
}

/// Objects created unqualified after the file's own `SET search_path TO expert_network` (sqitch's
/// deploy scripts, Tamarou/Registry's sql/deploy/users.sql; corpus 74): they land in expert_network,
/// and later statements and files name them unqualified.
#[test]
fn creations_under_the_files_own_path_to_expert_network_ok() {
    let sql = "SET search_path TO expert_network;\n\
               CREATE TABLE IF NOT EXISTS users (id uuid PRIMARY KEY, kind text);\n\
               CREATE TYPE user_kind AS ENUM ('a', 'b');\n\
               CREATE TYPE pair AS (a int, b text);\n\
               CREATE TABLE pairs (p pair, k user_kind);\n\
               CREATE MATERIALIZED VIEW pair_counts AS SELECT count(*) AS n FROM pairs;\n\
               REFRESH MATERIALIZED VIEW pair_counts;\n\
               CREATE DOMAIN short_text AS text CHECK (length(VALUE) < 10);\n\
               CREATE SEQUENCE user_no;\n\
               CREATE VIEW active_users AS SELECT id FROM users;\n\
               CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n\
               CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();\n\
               ALTER TABLE users ALTER COLUMN kind TYPE user_kind USING kind::user_kind;\n\
               DO $$ BEGIN CREATE TABLE IF NOT EXISTS audit (id int); END $$;\n\
               INSERT INTO audit VALUES (1);";
    ok(sql);
    ok("SET search_path = expert_network, pg_catalog;\nCREATE TABLE t2 (a int);\nCREATE INDEX ON t2 (a);");
}

#[test]
fn creations_unqualified_where_the_file_says_nothing_or_another_schema_comes_first_err() {
    for sql in [
        // The pinned path alone: the file says nothing of where it meant the table to go.
        "CREATE TABLE users (id int);",
        // pg_catalog first, or the schema dropped: the server creates elsewhere.
        "SET search_path = pg_catalog, expert_network;\nCREATE TABLE users (id int);",
        "SET search_path = pg_catalog, expert_network;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';",
        "SET search_path TO expert_network;\nDROP SCHEMA expert_network;\nCREATE SCHEMA IF NOT EXISTS other;\nCREATE TABLE users (id int);",
        // A kept body creates under its caller's path.
        "SET search_path TO expert_network;\nCREATE FUNCTION expert_network.mk() RETURNS void LANGUAGE sql AS $f$ CREATE TABLE made (a int) $f$;",
    ] {
        assert!(rules(sql).contains(&"unqualified-name"), "{sql}: {:?}", rules(sql));
    }
}

/// A DO block's constant EXECUTE string makes what it says (linkwarden's
/// packages/prisma/migrations/..._add_theme: `EXECUTE 'CREATE TYPE "Theme" AS ENUM (...)'` under
/// `IF NOT EXISTS`, re-homed qualified; corpus 75): later columns name the type unqualified.
#[test]
fn types_made_by_a_constant_execute_in_a_do_block_ok() {
    ok("CREATE TABLE expert_network.\"User\" (id int);\n\
        DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON t.typnamespace = n.oid WHERE t.typname = 'Theme' AND n.nspname = current_schema()) THEN EXECUTE 'CREATE TYPE expert_network.\"Theme\" AS ENUM (''dark'', ''light'')'; END IF; END $$;\n\
        ALTER TABLE \"User\" ADD COLUMN IF NOT EXISTS \"theme\" \"Theme\" NOT NULL DEFAULT 'dark';");
    // A computed string makes nothing known (and is refused as dynamic SQL in a DO block).
    let computed = "CREATE TABLE expert_network.u (id int);\n\
         DO $$ BEGIN EXECUTE 'CREATE TYPE expert_network.' || 'mood AS ENUM (''a'')'; END $$;\n\
         ALTER TABLE u ADD COLUMN m mood;";
    assert_eq!(rules(computed), ["dynamic-sql", "unqualified-name"]);
}

/// The refuse corpus's ALTER, DROP, COMMENT and GRANT of its own routines, written unqualified, earn
/// the very findings, line by line, that the qualified ones do: the routine named is the same, and
/// so are the ownership, path and SECURITY DEFINER checks that go by its name.
#[test]
fn routines_named_unqualified_are_judged_as_the_qualified_ones() {
    let unqualify = regex::Regex::new(
        r"(?m)^(ALTER (?:FUNCTION|ROUTINE|PROCEDURE)|DROP (?:FUNCTION|ROUTINE|PROCEDURE)(?: IF EXISTS)?|COMMENT ON FUNCTION|GRANT EXECUTE ON FUNCTION) expert_network\.",
    )
    .unwrap();
    for text in [
        include_str!("../../tests/fence/refuse/42_function_path_removed.sql"),
        include_str!("../../tests/fence/refuse/47_security_definer_and_the_callers_temporary_schema.sql"),
        include_str!("../../tests/fence/refuse/48_security_definer_functions_and_operators_on_its_path.sql"),
        include_str!("../../tests/fence/refuse/54_security_definer_calls_of_the_schemas_own_overloadable_functions.sql"),
        include_str!("../../tests/fence/refuse/63_security_definer_calls_of_functions_given_to_another_role.sql"),
    ] {
        let bare = unqualify.replace_all(text, "$1 ");
        assert_ne!(bare, text);
        let lines = |sql: &str| {
            let mut f = super::tests_resolve::findings_of(sql);
            f.dedup();
            f
        };
        assert_eq!(lines(&bare), lines(text));
    }
}

/// Every other object a statement makes by name lands where a table does under the file's own
/// `SET search_path TO expert_network` (PG 15: each of these made expert_network's): a statistics
/// object, a collation, text search objects, an aggregate, an operator, a conversion, an operator
/// class and family, a shell type.
#[test]
fn other_objects_made_under_the_files_own_path_to_expert_network_ok() {
    ok("SET search_path TO expert_network;\n\
        CREATE TABLE sp_a (id bigint PRIMARY KEY, x int, y int);\n\
        CREATE STATISTICS sp_a_xy (dependencies) ON x, y FROM sp_a;\n\
        CREATE COLLATION sp_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);\n\
        CREATE COLLATION sp_c FROM \"C\";\n\
        CREATE TEXT SEARCH CONFIGURATION sp_cfg (COPY = pg_catalog.english);\n\
        CREATE TEXT SEARCH DICTIONARY sp_dict (TEMPLATE = pg_catalog.simple);\n\
        CREATE AGGREGATE sp_sum (int) (SFUNC = pg_catalog.int4pl, STYPE = int);\n\
        CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = pg_catalog.int4eq);\n\
        CREATE CONVERSION sp_conv FOR 'LATIN1' TO 'UTF8' FROM pg_catalog.iso8859_1_to_utf8;\n\
        CREATE OPERATOR FAMILY sp_fam USING btree;\n\
        CREATE TYPE sp_shell;");
}

#[test]
fn other_objects_made_unqualified_where_the_file_says_nothing_or_another_schema_comes_first_err() {
    for made in [
        "CREATE TABLE expert_network.sp_a (x int, y int);\nCREATE STATISTICS sp_a_xy ON x, y FROM expert_network.sp_a;",
        "CREATE COLLATION sp_c FROM \"C\";",
        "CREATE TEXT SEARCH CONFIGURATION sp_cfg (COPY = pg_catalog.english);",
        "CREATE AGGREGATE sp_sum (int) (SFUNC = pg_catalog.int4pl, STYPE = int);",
        "CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = pg_catalog.int4eq);",
        "CREATE OPERATOR FAMILY sp_fam USING btree;",
    ] {
        for path in ["", "SET search_path = pg_catalog, expert_network;\n"] {
            let sql = format!("{path}{made}");
            assert!(rules(&sql).contains(&"unqualified-name"), "{sql}: {:?}", rules(&sql));
        }
        // Made by a kept body, it lands under its caller's path.
        let body = format!(
            "SET search_path TO expert_network;\nCREATE FUNCTION expert_network.mk() RETURNS void LANGUAGE plpgsql AS $f$ BEGIN {} END $f$;",
            made.replace("expert_network.sp_a (x int, y int);\n", "expert_network.sp_a (x int, y int); ")
        );
        assert!(rules(&body).contains(&"unqualified-name"), "{body}: {:?}", rules(&body));
    }
}

/// A statistics object named unqualified by ALTER, COMMENT or DROP is looked up on the path but never
/// in pg_temp, and pg_catalog holds none (PG 15: with `pg_temp.s1` made, `DROP STATISTICS s1` found
/// no such object; expert_network's was altered, renamed, commented on and dropped so, and `DROP
/// STATISTICS IF EXISTS nope` and `ALTER STATISTICS IF EXISTS nope` skipped): one the migrations make
/// in expert_network (Lemmy's `DROP statistics comment_actions_liked_stat, ...`), or any with IF
/// EXISTS, is expert_network's.
#[test]
fn statistics_objects_named_unqualified_ok() {
    for path in ["", "SET search_path TO expert_network;\n"] {
        ok(&format!(
            "{path}CREATE TABLE expert_network.st_a (x int, y int);\n\
             CREATE STATISTICS expert_network.st_a_xy ON x, y FROM expert_network.st_a;\n\
             ALTER STATISTICS st_a_xy SET STATISTICS 100;\n\
             ALTER STATISTICS st_a_xy RENAME TO st_a_xy2;\n\
             COMMENT ON STATISTICS st_a_xy2 IS 'x, y';\n\
             ALTER STATISTICS st_a_xy2 OWNER TO CURRENT_USER;\n\
             DROP STATISTICS st_a_xy2;\n\
             DROP STATISTICS IF EXISTS st_gone, st_a_xy;\n\
             ALTER STATISTICS IF EXISTS st_gone SET STATISTICS 10;"
        ));
    }
    ok("SET search_path TO expert_network;\n\
        CREATE TABLE st_b (x int, y int);\n\
        CREATE statistics st_b_xy ON (x IS NULL), (y IS NULL) FROM st_b;\n\
        DROP statistics st_b_xy;");
}

#[test]
fn statistics_objects_named_unqualified_where_they_may_be_another_schemas_err() {
    // No migration makes it (without IF EXISTS), or a kept body runs under its caller's path.
    err(
        "ALTER STATISTICS st_none SET STATISTICS 10;",
        "unqualified-name",
    );
    err("DROP STATISTICS st_none;", "unqualified-name");
    err("COMMENT ON STATISTICS st_none IS 'x';", "unqualified-name");
    let made = "CREATE TABLE expert_network.st_a (x int, y int);\n\
                CREATE STATISTICS expert_network.st_a_xy ON x, y FROM expert_network.st_a;\n";
    for stmt in [
        "DROP STATISTICS st_a_xy;",
        "DROP STATISTICS IF EXISTS st_a_xy;",
        "ALTER STATISTICS st_a_xy SET STATISTICS 10;",
    ] {
        let body = format!(
            "{made}CREATE FUNCTION expert_network.f() RETURNS void LANGUAGE plpgsql AS $f$ BEGIN {stmt} END $f$;"
        );
        assert!(
            rules(&body).contains(&"unqualified-name"),
            "{body}: {:?}",
            rules(&body)
        );
    }
    err("DROP STATISTICS public.st_a_xy;", "touches-public");
}

/// An aggregate or operator made unqualified under the file's own path is expert_network's to every
/// rule that goes by what the migrations made: the findings are those of the same file written
/// qualified (an index expression applying an operator whose function reaches an overloadable call;
/// a definer calling an aggregate whose state function does).
#[test]
fn objects_made_unqualified_under_the_files_path_are_judged_as_the_qualified_ones() {
    let step = "CREATE FUNCTION expert_network.step(s int, v int) RETURNS int LANGUAGE sql AS 'SELECT s + expert_network.norm(v)';\n";
    for (qualified, bare) in [
        (
            "CREATE OPERATOR expert_network.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = expert_network.step);",
            "CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = expert_network.step);",
        ),
        (
            "CREATE AGGREGATE expert_network.agg (int) (SFUNC = expert_network.step, STYPE = int);",
            "CREATE AGGREGATE agg (int) (SFUNC = expert_network.step, STYPE = int);",
        ),
    ] {
        let tail = "CREATE TABLE expert_network.t (a int);\n\
                    CREATE INDEX t_idx ON expert_network.t ((a === 1));\n\
                    CREATE FUNCTION expert_network.d() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS 'SELECT expert_network.agg(a) FROM expert_network.t';";
        let file = |made: &str| format!("SET search_path TO expert_network;\n{step}{made}\n{tail}");
        let (q, b) = (file(qualified), file(bare));
        let found = super::tests_resolve::findings_of(&q);
        assert!(!found.is_empty(), "{q}");
        assert_eq!(super::tests_resolve::findings_of(&b), found, "{b}");
    }
}

/// `SET CONSTRAINTS` names constraints, which the server looks up along the path: in the migration's
/// statements and DO blocks, the pinned path's expert_network, pg_catalog (none deferrable) and the
/// session's temporary tables. Django's `SET CONSTRAINTS "x_fk" IMMEDIATE; ALTER TABLE ... DROP
/// CONSTRAINT "x_fk"` (pass corpus 122). A qualified name outside expert_network, and an unqualified
/// one in a function body, which the caller's path finds, stay refused.
#[test]
fn set_constraints_names_constraints_on_the_pinned_path() {
    const FK: &str = "CREATE TABLE expert_network.sa (id int PRIMARY KEY);\n\
                      CREATE TABLE expert_network.sb (a_id int CONSTRAINT sb_fk REFERENCES expert_network.sa DEFERRABLE INITIALLY DEFERRED);\n";
    for sql in [
        "SET CONSTRAINTS \"sb_fk\" IMMEDIATE; ALTER TABLE expert_network.sb DROP CONSTRAINT \"sb_fk\";",
        "SET CONSTRAINTS sb_fk, other_fk DEFERRED;",
        "SET CONSTRAINTS expert_network.sb_fk IMMEDIATE;",
        "SET CONSTRAINTS ALL IMMEDIATE;",
        "DO $$ BEGIN SET CONSTRAINTS sb_fk IMMEDIATE; END $$;",
    ] {
        ok(&format!("{FK}{sql}"));
    }
    err(
        &format!("{FK}SET CONSTRAINTS public.sb_fk IMMEDIATE;"),
        "touches-public",
    );
    err(
        &format!("{FK}SET CONSTRAINTS sb_fk, other.sb_fk IMMEDIATE;"),
        "outside-schema",
    );
    err(
        &format!("{FK}CREATE FUNCTION expert_network.f() RETURNS void LANGUAGE plpgsql SET search_path = '' AS $$ BEGIN SET CONSTRAINTS sb_fk IMMEDIATE; END $$;"),
        "unqualified-name",
    );
}

/// The server takes other spellings of a change of search_path than `SET search_path`: `SET [LOCAL]
/// SCHEMA 'x'` is the same SET to the grammar, and set_config's name may be an escape string. Each
/// is followed as the plain form is (PG 15: after `SET SCHEMA 'pg_catalog'` an unqualified
/// `CREATE OR REPLACE FUNCTION lower(text)` replaced pg_catalog's, refuse corpus 110); a spelling
/// the fence does not read for the path is refused.
#[test]
fn search_path_set_in_other_spellings_is_followed() {
    for set in [
        "SET SCHEMA 'pg_catalog';",
        "SET LOCAL SCHEMA 'pg_catalog';",
        "SET SESSION SCHEMA 'pg_catalog';",
        "SELECT set_config(E'search\\137path', 'pg_catalog', false);",
        "SELECT pg_catalog.set_config(U&'search\\005fpath', 'pg_catalog', true);",
    ] {
        for made in [
            "CREATE COLLATION sp_c FROM \"C\";",
            "CREATE OR REPLACE FUNCTION lower(text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT ''x''';",
        ] {
            err(
                &format!("SET search_path TO expert_network;\n{set}\n{made}"),
                "unqualified-name",
            );
        }
    }
    ok("SET SCHEMA 'expert_network';\nCREATE TABLE sp_t (id int);");
    err(
        "SELECT U&\"set\\005fconfig\"(E'search\\137path', 'expert_network', false);",
        "session-state",
    );
}

/// `policy::paths` leaves expert_network out of the path after a statement whose words may drop it;
/// a body's DROP SCHEMA of it spelled without those words (a Unicode escape, an escape string's
/// constant EXECUTE) is refused, as the server drops the schema all the same (PG 15: the collation
/// after it landed in pg_catalog, refuse corpus 111). The plain word is followed.
#[test]
fn drops_of_the_schema_spelled_past_the_word_test_err() {
    for drop in [
        "DO $$ BEGIN DROP SCHEMA U&\"expert\\005Fnetwork\" CASCADE; END $$;",
        "DO $$ BEGIN EXECUTE E'DROP SCHEMA expert\\137network CASCADE'; END $$;",
        // Made unqualified under the file's path: its statement holds no word of the schema's.
        "CREATE FUNCTION reset() RETURNS void LANGUAGE sql AS $b$ DROP SCHEMA U&\"expert\\005Fnetwork\" CASCADE $b$;",
    ] {
        let sql = format!("SET search_path TO expert_network, pg_catalog;\n{drop}\nCREATE COLLATION sp_c FROM \"C\";");
        assert_eq!(super::tests_resolve::findings_of(&sql).len(), 1, "{sql}");
        assert_eq!(rules(&sql), vec!["outside-schema"], "{sql}");
    }
    err(
        "SET search_path TO expert_network, pg_catalog;\nDO $$ BEGIN DROP SCHEMA expert_network CASCADE; END $$;\nCREATE COLLATION sp_c FROM \"C\";",
        "unqualified-name",
    );
}
