//! Functions a transactional migration makes for itself and drops again before it ends, as
//! Mattermost's 000137_update_attribute_view.up.sql does (`CREATE OR REPLACE PROCEDURE
//! create_attribute_view() ... ; call create_attribute_view(); DROP PROCEDURE
//! create_attribute_view();`). Such a function never outlives the migration's transaction: no other
//! session sees a catalog row before it commits, and the DROP commits with it. Its body then runs
//! only in the migration's session, under the path the file's statements run under, not under an
//! application's `"$user", public`: so a body without its own `SET search_path` is judged under
//! that path, as if it were the function's own.
//!
//! A CREATE FUNCTION or CREATE PROCEDURE statement `i` is short-lived when, all of it proven from
//! the file's own top-level statements (a DROP inside a DO block or a function may never run):
//! - it makes one routine, `expert_network.name`, an invoker (a SECURITY DEFINER body keeps the
//!   rules written for it): written so, or as `name` alone under a path the file set itself with
//!   expert_network first (`SearchPath::lands_in_schema`: `SET search_path TO expert_network`, as
//!   Mattermost's `CREATE OR REPLACE PROCEDURE create_attribute_view()` runs on a connection whose
//!   path is the schema's), where the server makes it in expert_network;
//! - a later top-level `DROP FUNCTION | PROCEDURE | ROUTINE` statement `j` names `name` (unqualified
//!   or as expert_network's) with no argument list, or with the very input types `i` declares (a
//!   DROP of another overload would leave this one);
//! - no statement between them may change the path (`policy::may_set_path` reads none, and `policy::paths`
//!   sees no change up to `j`), or rename, move, re-own or alter a routine whose statement names
//!   `name` (RENAME TO, SET SCHEMA, OWNER TO, ALTER FUNCTION, in a DO block too).
//!
//! The caller (`mod.rs`) asks only for transactional files: in a no-transaction file each statement
//! commits on its own, and another session may call the function before the DROP.
use super::model::Model;
use super::policy::Paths;
use super::walk::name_parts;
use super::{Statement, SCHEMA};
use pg_query::protobuf::{self as pb, node::Node as N, ObjectType};
use std::collections::HashSet;

/// The indexes of the short-lived CREATE FUNCTION / CREATE PROCEDURE statements of `stmts`. The
/// file's routine DROPs are read once; only a CREATE that one of them drops has the statements
/// between read, so a dump of thousands of functions costs no scan per function.
pub(super) fn short_lived(stmts: &[Statement<'_>], paths: &Paths, model: &Model) -> HashSet<usize> {
    let drops: Vec<(usize, pb::DropStmt)> = stmts
        .iter()
        .enumerate()
        .filter(|(_, s)| super::leading_keyword(s.sql).eq_ignore_ascii_case("drop"))
        .filter_map(|(j, s)| match one_statement(s.sql) {
            Some(N::DropStmt(d)) if is_routine(d.remove_type) => Some((j, d)),
            _ => None,
        })
        .collect();
    let mut found = HashSet::new();
    if drops.is_empty() {
        return found;
    }
    for (i, s) in stmts.iter().enumerate() {
        if !super::leading_keyword(s.sql).eq_ignore_ascii_case("create") {
            continue;
        }
        let Some((name, types)) = created_invoker(s.sql, paths.at(i).lands_in_schema()) else {
            continue;
        };
        if model.altered_by_a_body(&name) {
            continue;
        }
        let Some(j) = drops
            .iter()
            .find(|(j, d)| *j > i && drops_routine(d, &name, &types))
            .map(|(j, _)| *j)
        else {
            continue;
        };
        let between_ok = stmts[i + 1..j].iter().all(|later| {
            !super::policy::may_set_path(later.sql) && !may_alter_routine(later.sql, &name)
        });
        if between_ok && paths.same_between(i, j) {
            found.insert(i);
        }
    }
    found
}

fn one_statement(sql: &str) -> Option<N> {
    let parsed = super::parse(sql).ok()?;
    match parsed.stmts.as_slice() {
        [raw] => raw.stmt.as_deref()?.node.clone(),
        _ => None,
    }
}

/// The name and input types of the invoker routine `expert_network.name` a statement makes alone;
/// `lands` says an unqualified name is made there (the statement's path is one the file set with
/// expert_network first).
fn created_invoker(sql: &str, lands: bool) -> Option<(String, Vec<String>)> {
    let N::CreateFunctionStmt(f) = one_statement(sql)? else {
        return None;
    };
    if super::body::security_definer(&f.options) {
        return None;
    }
    let name = match name_parts(&f.funcname)?.as_slice() {
        [schema, name] if schema == SCHEMA => name.clone(),
        [name] if lands => name.clone(),
        _ => return None,
    };
    let mut types = Vec::new();
    for p in &f.parameters {
        use pb::FunctionParameterMode as M;
        let Some(N::FunctionParameter(p)) = &p.node else {
            return None;
        };
        if matches!(M::try_from(p.mode), Ok(M::FuncParamOut | M::FuncParamTable)) {
            continue;
        }
        types.push(super::model::signature_type(p.arg_type.as_ref()?)?);
    }
    Some((name, types))
}

fn is_routine(kind: i32) -> bool {
    [
        ObjectType::ObjectFunction,
        ObjectType::ObjectProcedure,
        ObjectType::ObjectRoutine,
    ]
    .iter()
    .any(|k| *k as i32 == kind)
}

/// Whether the top-level DROP `d` drops the routine `name` with the input `types` (or names no list).
fn drops_routine(d: &pb::DropStmt, name: &str, types: &[String]) -> bool {
    d.objects.iter().any(|o| match &o.node {
        Some(N::ObjectWithArgs(f)) => {
            let named = match name_parts(&f.objname).as_deref() {
                Some([n]) => n == name,
                Some([s, n]) => s == SCHEMA && n == name,
                _ => false,
            };
            let args: Option<Vec<String>> = f
                .objargs
                .iter()
                .map(|a| match &a.node {
                    Some(N::TypeName(t)) => super::model::signature_type(t),
                    _ => None,
                })
                .collect();
            named && (f.args_unspecified || args.as_deref() == Some(types))
        }
        _ => false,
    })
}

/// Whether `sql` may rename, move, re-own, alter or make again a routine called `name`: an ALTER,
/// CREATE or DO statement whose text holds the name (judged by the words, so it only ever keeps more
/// refused). A body called from between that says ALTER is `Model::altered_by_a_body`'s.
fn may_alter_routine(sql: &str, name: &str) -> bool {
    let first = super::leading_keyword(sql);
    ["alter", "create", "do"]
        .iter()
        .any(|k| first.eq_ignore_ascii_case(k))
        && crate::files::lexer::mentions(sql, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(sql: &str) -> Vec<usize> {
        let stmts = super::super::split(sql);
        let paths = super::super::policy::paths(&stmts);
        let model = Model::build([sql]);
        let mut v: Vec<_> = short_lived(&stmts, &paths, &model).into_iter().collect();
        v.sort_unstable();
        v
    }

    const MAKE: &str = "CREATE OR REPLACE PROCEDURE expert_network.mk() LANGUAGE plpgsql AS $$ BEGIN INSERT INTO t VALUES (1); END $$;\n";

    #[test]
    fn made_called_and_dropped_in_the_file() {
        assert_eq!(
            found(&format!("{MAKE}CALL mk();\nDROP PROCEDURE mk();")),
            [0]
        );
        assert_eq!(
            found(&format!(
                "{MAKE}DROP PROCEDURE IF EXISTS expert_network.mk;"
            )),
            [0]
        );
        // A body and a statement between that name expert_network beside information_schema: the
        // path is noted again after them, unchanged.
        assert_eq!(
            found("CREATE PROCEDURE expert_network.mk() LANGUAGE plpgsql AS $$ BEGIN PERFORM 1 FROM information_schema.columns WHERE table_schema = 'expert_network'; END $$;\nDO $$ BEGIN PERFORM 1 FROM information_schema.tables WHERE table_schema = 'expert_network'; END $$;\nCALL mk();\nDROP PROCEDURE mk();"),
            [0]
        );
        assert_eq!(
            found("CREATE FUNCTION expert_network.f(a integer, OUT b text) LANGUAGE sql AS 'SELECT 1';\nSELECT expert_network.f(1);\nDROP FUNCTION f(int);"),
            [0]
        );
    }

    #[test]
    fn kept_or_left_behind() {
        // Never dropped, dropped only inside a DO block, another overload dropped, another name.
        assert!(found(&format!("{MAKE}CALL mk();")).is_empty());
        assert!(found(&format!("{MAKE}DO $d$ BEGIN DROP PROCEDURE mk(); END $d$;")).is_empty());
        assert!(found("CREATE FUNCTION expert_network.f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\nDROP FUNCTION f(text);").is_empty());
        assert!(found(&format!("{MAKE}DROP PROCEDURE mk2();")).is_empty());
        assert!(found(&format!("{MAKE}DROP PROCEDURE other.mk();")).is_empty());
        // Renamed or altered before the DROP, or the path changed in between.
        assert!(found(&format!(
            "{MAKE}ALTER PROCEDURE mk() RENAME TO kept;\nDROP PROCEDURE IF EXISTS mk();"
        ))
        .is_empty());
        assert!(found(&format!("{MAKE}DO $d$ BEGIN ALTER PROCEDURE expert_network.mk() RENAME TO kept; END $d$;\nDROP PROCEDURE IF EXISTS mk();")).is_empty());
        assert!(found(&format!("{MAKE}SET search_path = pg_catalog, expert_network;\nCALL expert_network.mk();\nDROP PROCEDURE mk();")).is_empty());
        // Made again between (after a rename or move by some body), or named by a body that says ALTER.
        // (the second one is dropped; the first is not proven to be)
        assert_eq!(found(&format!("{MAKE}CREATE OR REPLACE PROCEDURE expert_network.mk() LANGUAGE sql AS 'SELECT 1';\nDROP PROCEDURE mk();")), [1]);
        assert!(found(&format!("{MAKE}CREATE FUNCTION expert_network.swap() RETURNS void LANGUAGE sql AS $s$ ALTER PROCEDURE expert_network.MK() RENAME TO kept $s$;\nDROP PROCEDURE mk();")).is_empty());
        assert!(found(&format!("CREATE FUNCTION expert_network.swap() RETURNS void LANGUAGE plpgsql AS $s$ BEGIN ALTER ROUTINE expert_network.mk SET SCHEMA pg_temp; END $s$;\n{MAKE}SELECT expert_network.swap();\nDROP PROCEDURE mk();")).is_empty());
        // A definer, or a routine made outside expert_network.
        assert!(found("CREATE FUNCTION expert_network.f() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';\nDROP FUNCTION f();").is_empty());
        assert!(found("CREATE FUNCTION pg_temp.f() RETURNS int LANGUAGE sql AS 'SELECT 1';\nDROP FUNCTION pg_temp.f();").is_empty());
    }

    #[test]
    fn made_unqualified_under_the_files_own_path() {
        // Under `SET search_path TO expert_network` the server makes `mk` there.
        let own = "SET search_path TO expert_network;\n";
        let bare = "CREATE OR REPLACE PROCEDURE mk() LANGUAGE plpgsql AS $$ BEGIN INSERT INTO t VALUES (1); END $$;\n";
        assert_eq!(
            found(&format!("{own}{bare}CALL mk();\nDROP PROCEDURE mk();")),
            [1]
        );
        assert_eq!(
            found(&format!("{own}CREATE FUNCTION f(p integer) RETURNS integer LANGUAGE sql AS 'SELECT p';\nSELECT f(1);\nDROP FUNCTION IF EXISTS f(integer);")),
            [1]
        );
        // Under the pinned path alone, or one whose first schema is not expert_network, an
        // unqualified CREATE stays the body's own case (and the CREATE is refused as made outside).
        assert!(found(&format!("{bare}CALL mk();\nDROP PROCEDURE mk();")).is_empty());
        assert!(found(&format!(
            "SET search_path TO pg_temp, expert_network;\n{bare}CALL mk();\nDROP PROCEDURE mk();"
        ))
        .is_empty());
        // The path changed between the CREATE and the DROP.
        assert!(found(&format!(
            "{own}{bare}SET search_path TO pg_catalog, expert_network;\nDROP PROCEDURE mk();"
        ))
        .is_empty());
        // A statement that may drop the schema before the CREATE: the server makes it elsewhere.
        assert!(found(&format!(
            "{own}DROP SCHEMA expert_network CASCADE;\n{bare}DROP PROCEDURE mk();"
        ))
        .is_empty());
    }
}
