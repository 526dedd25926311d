//! Unit tests of the argument types a SECURITY DEFINER body's call of expert_network's own
//! function may rely on (`arg_types.rs`, `definer::definer_own_function`): each accepted shape,
//! and each that must stay refused because the server may read the argument as another type.
//! Every shape was run on PG 15 (see `tests/fence/pass/47_*` and `refuse/56_*`).

use super::tests_resolve::rules;

/// The callees, then a definer `d` with `params`, in `language`, whose body is `body`.
fn definer(params: &str, language: &str, body: &str) -> String {
    format!(
        "CREATE DOMAIN expert_network.dom AS pg_catalog.text;\n\
         CREATE TABLE expert_network.t (p pg_catalog.varchar, u pg_catalog.uuid);\n\
         CREATE FUNCTION expert_network.norm(v text) RETURNS text LANGUAGE sql SET search_path = '' AS $$ SELECT v $$;\n\
         CREATE FUNCTION expert_network.member(u uuid, o integer) RETURNS boolean LANGUAGE sql SET search_path = '' AS $$ SELECT true $$;\n\
         CREATE FUNCTION expert_network.big(b bigint) RETURNS boolean LANGUAGE sql SET search_path = '' AS $$ SELECT true $$;\n\
         CREATE FUNCTION expert_network.opt(v text, n int DEFAULT 0) RETURNS text LANGUAGE sql SET search_path = '' AS $$ SELECT v $$;\n\
         CREATE FUNCTION expert_network.va(VARIADIC v text[]) RETURNS text LANGUAGE sql SET search_path = '' AS $$ SELECT '' $$;\n\
         CREATE FUNCTION expert_network.anyf(v anyelement) RETURNS text LANGUAGE sql SET search_path = '' AS $$ SELECT '' $$;\n\
         CREATE FUNCTION expert_network.d({params}) RETURNS pg_catalog.text LANGUAGE {language} SECURITY DEFINER SET search_path = '' AS $b${body}$b$;\n"
    )
}

fn sql(params: &str, body: &str) -> Vec<&'static str> {
    rules(&definer(params, "sql", body))
}

fn pl(params: &str, body: &str) -> Vec<&'static str> {
    rules(&definer(params, "plpgsql", body))
}

const NONE: Vec<&str> = Vec::new();

#[test]
fn a_definers_own_parameters_of_the_declared_types_are_known() {
    // By name, by $n, qualified by the function's name, in SQL without a FROM item.
    let p = "p text, u uuid, o integer";
    for call in [
        "expert_network.norm(p)",
        "expert_network.norm($1)",
        "expert_network.norm(d.p)",
        "expert_network.member(u, o)",
        "expert_network.member(u, 42)",
        "expert_network.member($2, -7)",
        "expert_network.opt(p)",
        "expert_network.opt(p, o)",
        "expert_network.va(VARIADIC ARRAY[p]::pg_catalog.text[])",
    ] {
        assert_eq!(
            sql(p, &format!("SELECT {call}::pg_catalog.text")),
            NONE,
            "{call}"
        );
    }
    // PL/pgSQL: by name also in a statement with a FROM item (a clash would be an error).
    let body = "BEGIN IF expert_network.member(u, o) THEN RETURN expert_network.norm(p); END IF;\n\
                RETURN (SELECT expert_network.norm(p) FROM expert_network.t LIMIT 1); END";
    assert_eq!(pl(p, body), NONE);
    // OUT parameters are not numbered after them, and are PL/pgSQL variables of their type.
    let out = "p text, OUT r text";
    assert_eq!(pl(out, "BEGIN r := expert_network.norm(r); END"), NONE);
    assert_eq!(
        pl("text", "BEGIN RETURN expert_network.norm($1); END"),
        NONE
    );
}

#[test]
fn plpgsql_variables_declared_once_with_a_plain_type_are_known() {
    let body = "DECLARE x pg_catalog.text := 'a'; n pg_catalog.int4; BEGIN\n\
                IF expert_network.member(NULL::pg_catalog.uuid, n) THEN RETURN expert_network.norm(x); END IF;\n\
                RETURN ''; END";
    assert_eq!(pl("", body), NONE);
}

#[test]
fn arguments_the_server_may_read_as_another_type_stay_refused() {
    let refused = vec!["unqualified-name"];
    // A column of the same name wins over an SQL function's parameter.
    assert_eq!(
        sql(
            "p text",
            "SELECT expert_network.norm(p) FROM expert_network.t"
        ),
        refused
    );
    assert_eq!(
        sql(
            "p text",
            "SELECT expert_network.norm(d.p) FROM expert_network.t d"
        ),
        refused
    );
    // ... and over a PL/pgSQL variable under a #variable_conflict directive.
    let directive = "#variable_conflict use_column\nBEGIN RETURN (SELECT expert_network.norm(p) FROM expert_network.t); END";
    assert_eq!(pl("p text", directive), refused);
    // A domain over text is not text; varchar(20) is varchar; an array is not its element.
    assert_eq!(
        sql("p expert_network.dom", "SELECT expert_network.norm(p)"),
        refused
    );
    assert_eq!(
        sql("p varchar(20)", "SELECT expert_network.norm(p)"),
        refused
    );
    assert_eq!(sql("p text[]", "SELECT expert_network.norm(p)"), refused);
    // A polymorphic parameter has the caller's type.
    assert_eq!(
        sql("e anyelement", "SELECT expert_network.anyf(e)"),
        refused
    );
    // A VARIADIC callee given its elements: an overload of the element types beats it.
    assert_eq!(sql("p text", "SELECT expert_network.va(p)"), refused);
    // A string literal is of unknown type; a larger integer is int8; a bigint is not an int4.
    assert_eq!(
        sql(
            "u uuid",
            "SELECT expert_network.member(u, '1')::pg_catalog.text"
        ),
        refused
    );
    assert_eq!(
        sql("", "SELECT expert_network.big(3000000000)::pg_catalog.text"),
        refused
    );
    assert_eq!(
        sql(
            "u uuid, o bigint",
            "SELECT expert_network.member(u, o)::pg_catalog.text"
        ),
        refused
    );
    // Named notation, and a label other than the function's name.
    assert_eq!(sql("p text", "SELECT expert_network.opt(v => p)"), refused);
    // %TYPE, ALIAS, a re-declaration in a nested block, a FOR loop's integer, a shadowed parameter.
    let shapes = [
        ("", "DECLARE x expert_network.t.p%TYPE; BEGIN RETURN expert_network.norm(x); END"),
        ("p text", "DECLARE a ALIAS FOR $1; BEGIN RETURN expert_network.norm(a); END"),
        ("", "DECLARE x pg_catalog.text; BEGIN DECLARE x pg_catalog.varchar; BEGIN RETURN expert_network.norm(x); END; END"),
        ("i bigint", "BEGIN FOR i IN 1..2 LOOP PERFORM expert_network.big(i); END LOOP; RETURN ''; END"),
        ("i bigint", "DECLARE i pg_catalog.int4; BEGIN PERFORM expert_network.big(i); RETURN ''; END"),
        ("p text", "<<blk>> DECLARE q pg_catalog.text; BEGIN RETURN expert_network.norm(blk.q); END"),
        ("p text", "DECLARE \"$1\" pg_catalog.varchar; BEGIN RETURN expert_network.norm($1); END"),
        ("text", "DECLARE \"$1\" pg_catalog.varchar; BEGIN RETURN expert_network.norm($1); END"),
    ];
    for (params, body) in shapes {
        assert_eq!(pl(params, body), refused, "{body}");
    }
    // EXECUTE's string: its names are never the body's variables, its $1 is USING's value.
    let execute = "BEGIN EXECUTE 'SELECT expert_network.norm($1)' USING p::pg_catalog.varchar; RETURN ''; END";
    assert_eq!(pl("p text", execute), refused);
}

#[test]
fn a_signature_the_migrations_drop_or_move_away_is_no_longer_theirs() {
    let made = "CREATE FUNCTION expert_network.norm(v text) RETURNS text LANGUAGE sql SET search_path = '' AS $$ SELECT v $$;\n\
                CREATE FUNCTION expert_network.norm(v varchar) RETURNS text LANGUAGE sql SET search_path = '' AS $$ SELECT v $$;\n";
    let call = "CREATE FUNCTION expert_network.d(p text) RETURNS pg_catalog.text LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ SELECT expert_network.norm(p) $$;\n";
    assert_eq!(rules(&format!("{made}{call}")), NONE);
    // The name made again for another list: theirs, but not the list the call matches.
    let other = "CREATE FUNCTION expert_network.norm(v integer) RETURNS text LANGUAGE sql SET search_path = '' AS $$ SELECT '' $$;\n";
    for gone in [
        "DROP FUNCTION expert_network.norm(text);\n",
        "ALTER FUNCTION expert_network.norm(text) RENAME TO norm_text;\n",
        "ALTER FUNCTION expert_network.norm(text) SET SCHEMA pg_temp;\n",
    ] {
        // (Moving it to pg_temp is refused on its own too.)
        let found = rules(&format!("{made}{call}{gone}{other}"));
        assert_eq!(found[0], "unqualified-name", "{gone}");
    }
    // Dropped, then created again: theirs again.
    let again = "DROP FUNCTION expert_network.norm(text);\n\
                 CREATE FUNCTION expert_network.norm(v text) RETURNS text LANGUAGE sql SET search_path = '' AS $$ SELECT v $$;\n";
    assert_eq!(rules(&format!("{made}{call}{again}")), NONE);
}

#[test]
fn a_definers_call_of_a_function_dropped_and_created_again_is_accepted() {
    let made = "CREATE FUNCTION expert_network.f() RETURNS int LANGUAGE sql SET search_path = '' AS $$ SELECT 1 $$;\n";
    let call = "CREATE FUNCTION expert_network.d() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ SELECT expert_network.f() $$;\n";
    let drop = "DROP FUNCTION expert_network.f();\n";
    assert_eq!(rules(&format!("{made}{call}{drop}{made}")), NONE);
    assert_eq!(
        rules(&format!("{made}{call}{drop}")),
        vec!["unknown-function"]
    );
}

/// `DROP FUNCTION f(types)` drops only the function of exactly those input types (PG 15: `DROP
/// FUNCTION IF EXISTS f()` beside `f(text)` is a notice, `f(text)` stays), as supabase/storage's
/// migrations/tenant/0052 drops `get_level()` while `get_level(text)` is the function made: the
/// definer's call still finds the migrations' function (tests/fence/pass/61_*).
#[test]
fn dropping_another_signature_leaves_a_definers_callee() {
    let made = "CREATE FUNCTION expert_network.f(v text) RETURNS text LANGUAGE sql SET search_path = '' AS $$ SELECT v $$;\n";
    let call = "CREATE FUNCTION expert_network.d(p text) RETURNS pg_catalog.text LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$ BEGIN RETURN expert_network.f(p); END $$;\n";
    for other in [
        "DROP FUNCTION IF EXISTS expert_network.f();\n",
        "DROP FUNCTION IF EXISTS expert_network.f(varchar);\n",
        "DROP FUNCTION IF EXISTS expert_network.f(text, text);\n",
        "DROP FUNCTION IF EXISTS expert_network.f(text[]);\n",
        "DROP FUNCTION IF EXISTS expert_network.f(integer), expert_network.f(OUT r text);\n",
    ] {
        assert_eq!(rules(&format!("{made}{call}{other}")), NONE, "{other}");
    }
    // What drops it, or may: the same input types however written (OUT parameters are not part of
    // the list), no list at all, a type named `_x` (which may be `x[]`), or another kind of drop.
    for gone in [
        "DROP FUNCTION expert_network.f(text);\n",
        "DROP FUNCTION IF EXISTS expert_network.f(IN v pg_catalog.text, OUT r integer);\n",
        "DROP FUNCTION IF EXISTS expert_network.f(character varying), expert_network.f(\"text\");\n",
        "DROP FUNCTION expert_network.f;\n",
        "DROP FUNCTION IF EXISTS expert_network.f(_text);\n",
        "DROP ROUTINE expert_network.f(integer);\n",
        "ALTER FUNCTION expert_network.f(integer) RENAME TO g;\n",
    ] {
        assert!(
            rules(&format!("{made}{call}{gone}")).contains(&"unknown-function"),
            "{gone}"
        );
    }
    // A call that none of the functions left takes is a call of the dropped one: `f()` after
    // `DROP FUNCTION f()` finds nothing until the application's role makes one.
    let both = "CREATE FUNCTION expert_network.f() RETURNS text LANGUAGE sql SET search_path = '' AS $$ SELECT '' $$;\n";
    let bare = "CREATE FUNCTION expert_network.e() RETURNS pg_catalog.text LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$ BEGIN RETURN expert_network.f(); END $$;\n";
    let drop = "DROP FUNCTION expert_network.f();\n";
    assert_eq!(rules(&format!("{made}{both}{bare}")), NONE);
    assert_eq!(
        rules(&format!("{made}{both}{bare}{drop}")),
        vec!["unknown-function"]
    );
    // The call with an argument then has only f(text) to find, which takes it exactly.
    assert_eq!(rules(&format!("{made}{both}{call}{drop}")), NONE);
    // A VARIADIC function is dropped by its array type, not by the element's.
    let var = "CREATE FUNCTION expert_network.v(VARIADIC xs text[]) RETURNS int LANGUAGE sql SET search_path = '' AS $$ SELECT 1 $$;\n\
               CREATE FUNCTION expert_network.dv(p text[]) RETURNS int LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$ BEGIN RETURN expert_network.v(VARIADIC p); END $$;\n";
    assert_eq!(
        rules(&format!(
            "{var}DROP FUNCTION IF EXISTS expert_network.v(text);\n"
        )),
        NONE
    );
    assert!(
        rules(&format!("{var}DROP FUNCTION expert_network.v(text[]);\n"))
            .contains(&"unknown-function")
    );
}

/// A definer's body that a `CREATE OR REPLACE` of the same input types replaces, or a drop drops,
/// before its callee is dropped never runs while the callee's name is free: the usual way to retire
/// a helper (supabase/storage's migrations replace their functions, then drop the old helpers).
/// PG 15: after the replace, `pg_get_functiondef` shows only the new body (tests/fence/pass/62_*).
#[test]
fn a_definer_replaced_or_dropped_before_its_callee_goes_is_not_judged_after() {
    let helper = "CREATE FUNCTION expert_network.helper(v text) RETURNS text LANGUAGE sql SET search_path = '' AS $$ SELECT v $$;\n";
    let d = |body: &str| {
        format!("CREATE OR REPLACE FUNCTION expert_network.d(p text) RETURNS pg_catalog.text LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $b$ BEGIN RETURN {body}; END $b$;\n")
    };
    let old = d("expert_network.helper(p)");
    let new = d("p");
    let drop = "DROP FUNCTION expert_network.helper(text);\n";
    for retire in [
        format!("{new}{drop}"),
        format!("DROP FUNCTION expert_network.d(text);\n{drop}"),
        "DROP FUNCTION IF EXISTS expert_network.d(p text), expert_network.helper(text);\n"
            .to_string(),
        format!("DROP FUNCTION expert_network.d;\n{drop}"),
    ] {
        assert_eq!(rules(&format!("{helper}{old}{retire}")), NONE, "{retire}");
    }
    // Still refused: the helper goes first; the body lives on under another name, or is replaced
    // by a function of other input types (a new overload beside it), or replaced or dropped only
    // inside a DO block (under an IF, or an error an EXCEPTION clause swallows, it stays); the same
    // text made again later, calling the helper after it is gone.
    let other = "CREATE OR REPLACE FUNCTION expert_network.d(p varchar) RETURNS pg_catalog.text LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $b$ BEGIN RETURN p; END $b$;\n";
    for keeps in [
        format!("{drop}{new}"),
        format!("ALTER FUNCTION expert_network.d(text) RENAME TO e;\nDROP FUNCTION IF EXISTS expert_network.d(text);\n{drop}"),
        format!("{other}{drop}"),
        format!("DO $do$ BEGIN IF false THEN DROP FUNCTION expert_network.d(text); END IF; END $do$;\n{drop}"),
        format!("DO $do$ BEGIN DROP FUNCTION expert_network.d(text); EXCEPTION WHEN OTHERS THEN NULL; END $do$;\n{drop}"),
        format!("{new}{old}{drop}"),
        format!("{new}{drop}{old}"),
    ] {
        assert!(
            rules(&format!("{helper}{old}{keeps}")).contains(&"unknown-function"),
            "{keeps}"
        );
    }
}

#[test]
fn plpgsql_variable_conflict_may_not_be_set_by_a_migration() {
    let f = "CREATE FUNCTION expert_network.f() RETURNS int LANGUAGE plpgsql SET search_path = '' AS $$ BEGIN RETURN 1; END $$;\n";
    assert_eq!(
        rules(&format!(
            "{f}ALTER FUNCTION expert_network.f() SET plpgsql.variable_conflict = use_column;"
        )),
        vec!["session-state"]
    );
    assert_eq!(
        rules("SET plpgsql.variable_conflict = use_variable;"),
        vec!["session-state"]
    );
    assert_eq!(rules("SET plpgsql.variable_conflict = error;"), NONE);
}

/// A function of an allowlisted extension installed into expert_network counts as one the schema
/// keeps (`Model::has_signature`, `known::Extension::signatures`): a call whose argument types are
/// exactly one of its lists is found by that exact match, in a definer's body and in the SQL body
/// of an invoker an index's expression reaches (which ANALYZE runs as the table's owner). PG 15:
/// raguser could not create `expert_network.unaccent(text)` beside the extension's ("already exists
/// with same argument types"), and its `unaccent(varchar)` and `unaccent(anyelement)` never ran when
/// REINDEX evaluated an index over `SELECT expert_network.unaccent($1)` of a text parameter; but its
/// `unaccent(text, text)` ran as the superuser for `expert_network.unaccent('expert_network.unaccent',
/// $1)`, whose literal has no type of its own.
#[test]
fn an_extensions_function_called_with_exactly_its_argument_types_is_found_by_exact_match() {
    const EXT: &str = "CREATE EXTENSION unaccent;\n\
                       CREATE TABLE expert_network.xt (name text, title varchar(255));\n";
    let definer = |params: &str, call: &str| {
        rules(&format!(
            "{EXT}CREATE FUNCTION expert_network.d({params}) RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $b$ SELECT {call} $b$;"
        ))
    };
    assert_eq!(definer("p text", "expert_network.unaccent(p)"), NONE);
    assert_eq!(
        definer("p text", "expert_network.unaccent($1)::pg_catalog.text"),
        NONE
    );
    for (params, call) in [
        ("p varchar", "expert_network.unaccent(p)"),
        (
            "p text",
            "expert_network.unaccent('expert_network.unaccent', p)",
        ),
        ("p text, q text", "expert_network.unaccent(p, q)"),
        ("p anyelement", "expert_network.unaccent(p)"),
    ] {
        assert_eq!(
            definer(params, call),
            vec!["unqualified-name"],
            "{params}: {call}"
        );
    }
    let wrapped = |params: &str, language: &str, body: &str, column: &str| {
        rules(&format!(
            "{EXT}CREATE FUNCTION expert_network.w({params}) RETURNS text LANGUAGE {language} IMMUTABLE AS $b${body}$b$;\n\
             CREATE INDEX xt_w ON expert_network.xt (expert_network.w({column}));"
        ))
    };
    assert_eq!(
        wrapped(
            "text",
            "sql",
            " SELECT expert_network.unaccent($1) ",
            "name"
        ),
        NONE
    );
    assert_eq!(
        wrapped(
            "a text, b text",
            "sql",
            " SELECT pg_catalog.concat(expert_network.unaccent($1), expert_network.unaccent($2)) ",
            "name, name"
        ),
        NONE
    );
    for (params, language, body, column) in [
        // A literal of unknown type, which raguser's unaccent(text, text) matches better.
        (
            "text",
            "sql",
            " SELECT expert_network.unaccent('expert_network.unaccent', $1) ",
            "name",
        ),
        // A varchar parameter: an unaccent(varchar) matches it exactly.
        (
            "varchar",
            "sql",
            " SELECT expert_network.unaccent($1) ",
            "title",
        ),
        // An expression, not the parameter itself.
        (
            "text",
            "sql",
            " SELECT expert_network.unaccent($1 || 'x') ",
            "name",
        ),
        // A polymorphic parameter takes the caller's type.
        (
            "anyelement",
            "sql",
            " SELECT expert_network.unaccent($1) ",
            "name",
        ),
        // No list of the extension's takes (text, text).
        (
            "text",
            "sql",
            " SELECT expert_network.unaccent($1, $1) ",
            "name",
        ),
        // PL/pgSQL may DECLARE a variable "$1" that shadows the parameter: not read there.
        (
            "text",
            "plpgsql",
            " BEGIN RETURN expert_network.unaccent($1); END ",
            "name",
        ),
    ] {
        assert_eq!(
            wrapped(params, language, body, column),
            vec!["unqualified-name"],
            "{params} {language}: {body}"
        );
    }
    // Made IF NOT EXISTS or in a DO block, it may sit in another schema already, the statement
    // doing nothing (refuse corpus 150): a definer's calls find what raguser makes; an SQL body's
    // call the server resolves when it makes the body, unless the file turns that check off.
    let maybe = |ext: &str, rest: &str| {
        rules(&format!(
            "{ext}\nCREATE TABLE expert_network.xt (name text);\n{rest}"
        ))
    };
    const DEFINER: &str = "CREATE FUNCTION expert_network.d(p text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $b$ BEGIN RETURN expert_network.unaccent(p); END $b$;";
    const WRAPPER: &str = "CREATE FUNCTION expert_network.w(text) RETURNS text LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $b$ SELECT expert_network.unaccent($1) $b$;\n\
         CREATE INDEX xt_w ON expert_network.xt (expert_network.w(name));";
    for ext in [
        "CREATE EXTENSION IF NOT EXISTS unaccent;",
        "DO $d$ BEGIN CREATE EXTENSION unaccent; EXCEPTION WHEN duplicate_object THEN NULL; END $d$;",
    ] {
        assert_eq!(maybe(ext, DEFINER), vec!["unqualified-name"], "{ext}");
        assert_eq!(maybe(ext, WRAPPER), NONE, "{ext}");
        assert_eq!(
            maybe(ext, &format!("SET check_function_bodies = off;\n{WRAPPER}")),
            vec!["unqualified-name"],
            "{ext}"
        );
    }
    assert_eq!(maybe("CREATE EXTENSION unaccent;", DEFINER), NONE);
    // Without arguments: no function of the name in expert_network at all.
    const NEW_ID: &str = "CREATE FUNCTION expert_network.n() RETURNS uuid LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $b$ BEGIN RETURN expert_network.uuid_generate_v4(); END $b$;";
    assert_eq!(
        maybe("CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\";", NEW_ID),
        vec!["unqualified-name"]
    );
    assert_eq!(maybe("CREATE EXTENSION \"uuid-ossp\";", NEW_ID), NONE);
    // An extension made at a VERSION of its own may lack the default version's functions.
    assert_eq!(
        rules(
            "CREATE EXTENSION IF NOT EXISTS unaccent VERSION '1.0';\n\
             CREATE FUNCTION expert_network.d(p text) RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $b$ SELECT expert_network.unaccent(p) $b$;"
        ),
        vec!["unqualified-name"]
    );
    // Without the extension installed into expert_network, the list is no one's.
    assert!(rules(
        "CREATE TABLE expert_network.xt (name text);\n\
         CREATE FUNCTION expert_network.w(text) RETURNS text LANGUAGE sql IMMUTABLE AS $b$ SELECT expert_network.unaccent($1) $b$;\n\
         CREATE INDEX xt_w ON expert_network.xt (expert_network.w(name));"
    )
    .contains(&"unqualified-name"));
}
