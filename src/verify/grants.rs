//! The grants check of `verify`: that the application role and the read-only role hold what
//! `sql/003_grants.sql` grants them on schema `expert_network`, its objects, and the default privileges
//! for objects created there later. Names every missing privilege as role, object and privilege.
//!
//! Asks PostgreSQL itself (`has_*_privilege`, which count PUBLIC and role membership as the server
//! does, and `pg_default_acl`) rather than reading ACL strings. Reads only.

use super::cell;
use crate::db;
use crate::fence::SCHEMA;
use crate::report::VerifyCheck;
use anyhow::{Context, Result};
use tokio_postgres::Client;

/// What one role must hold. Mirrors 003_grants.sql: `GRANT ALL` on the schema, tables and sequences is
/// checked as the privileges the application needs from it, not as every bit ALL sets (TRUNCATE,
/// REFERENCES, TRIGGER, MAINTAIN vary by server version and are not what the app relies on; nor is
/// CREATE on the schema, which a migration of the operator's may revoke with TRIGGER: see the
/// README's "What the shipped grants let the application's role do").
pub struct Want<'a> {
    pub role: &'a str,
    pub schema: &'static [&'static str],
    pub tables: &'static [&'static str],
    pub sequences: &'static [&'static str],
    pub functions: &'static [&'static str],
    /// pg_default_acl: (defaclobjtype, what it covers, privileges).
    pub defaults: &'static [(&'static str, &'static str, &'static [&'static str])],
}

/// `GRANT ALL ON SCHEMA / ALL TABLES / ALL SEQUENCES`, `GRANT EXECUTE ON ALL FUNCTIONS`, and the same as
/// default privileges.
pub fn app(role: &str) -> Want<'_> {
    Want {
        role,
        schema: &["USAGE"],
        tables: &["SELECT", "INSERT", "UPDATE", "DELETE"],
        sequences: &["USAGE", "SELECT", "UPDATE"],
        functions: &["EXECUTE"],
        defaults: &[
            ("r", "tables", &["SELECT", "INSERT", "UPDATE", "DELETE"]),
            ("S", "sequences", &["USAGE", "SELECT", "UPDATE"]),
            ("f", "functions", &["EXECUTE"]),
        ],
    }
}

/// `GRANT USAGE ON SCHEMA`, `GRANT SELECT ON ALL TABLES`, and SELECT on future tables. 003 grants the
/// read-only role nothing on sequences or functions, so nothing is asked of it there.
pub fn readonly(role: &str) -> Want<'_> {
    Want {
        role,
        schema: &["USAGE"],
        tables: &["SELECT"],
        sequences: &[],
        functions: &[],
        defaults: &[("r", "tables", &["SELECT"])],
    }
}

const NS: &str = "(SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = 'expert_network')";

pub async fn check(
    client: &Client,
    wants: &[Want<'_>],
    schema_exists: bool,
) -> Result<VerifyCheck> {
    let names: Vec<String> = wants.iter().map(|w| db::literal(w.role)).collect();
    let existing: Vec<String> = db::rows(
        client,
        &format!(
            "SELECT rolname::text FROM pg_catalog.pg_roles WHERE rolname IN ({})",
            names.join(", ")
        ),
    )
    .await
    .context("cannot read pg_roles")?
    .into_iter()
    .filter_map(|r| r.into_iter().next().flatten())
    .collect();
    let mut problems: Vec<String> = wants
        .iter()
        .filter(|w| !existing.iter().any(|e| e == w.role))
        .map(|w| format!("role {} does not exist (003_grants.sql creates it: run `en-migrate up`, with the same --set)", w.role))
        .collect();
    let wants: Vec<&Want> = wants
        .iter()
        .filter(|w| existing.iter().any(|e| e == w.role))
        .collect();
    if !schema_exists {
        problems.push(format!(
            "schema {SCHEMA} does not exist, so nothing is granted on it"
        ));
    }
    if wants.is_empty() || !schema_exists {
        return Ok(finish(problems, &[]));
    }

    let mut missing: Vec<(String, String, String)> = Vec::new();
    let schema_want = values(
        wants
            .iter()
            .flat_map(|w| w.schema.iter().map(|p| (w.role, "schema", *p))),
    );
    let sql = format!(
        "SELECT w.role, w.privilege FROM (VALUES {schema_want}) AS w(role, kind, privilege, n) \
         WHERE NOT pg_catalog.has_schema_privilege(w.role, 'expert_network', w.privilege) ORDER BY w.n"
    );
    for r in db::rows(client, &sql)
        .await
        .context("cannot check the privileges on schema expert_network")?
    {
        missing.push((cell(&r, 0), format!("schema {SCHEMA}"), cell(&r, 1)));
    }

    let object_want = values(wants.iter().flat_map(|w| {
        let t = w.tables.iter().map(|p| (w.role, "table", *p));
        let s = w.sequences.iter().map(|p| (w.role, "sequence", *p));
        let f = w.functions.iter().map(|p| (w.role, "function", *p));
        t.chain(s).chain(f)
    }));
    // Each has_*_privilege is reached only for an object of its own kind (the kinds are repeated
    // inside the CASE), so no join order the planner picks can hand a table to has_sequence_privilege.
    let sql = format!(
        "WITH w(role, kind, privilege, n) AS (VALUES {object_want}), \
         o(kind, oid, name) AS ( \
           SELECT CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END, c.oid, \
                  CASE WHEN c.relkind = 'S' THEN 'sequence ' ELSE 'table ' END || pg_catalog.format('%I.%I', 'expert_network', c.relname) \
             FROM pg_catalog.pg_class c WHERE c.relnamespace = {NS} AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') \
           UNION ALL \
           SELECT 'function', p.oid, 'function ' || p.oid::pg_catalog.regprocedure::text \
             FROM pg_catalog.pg_proc p WHERE p.pronamespace = {NS}) \
         SELECT w.role, o.name, w.privilege FROM w JOIN o ON o.kind = w.kind \
         WHERE NOT CASE \
           WHEN w.kind = 'table' AND o.kind = 'table' THEN pg_catalog.has_table_privilege(w.role, o.oid, w.privilege) \
           WHEN w.kind = 'sequence' AND o.kind = 'sequence' THEN pg_catalog.has_sequence_privilege(w.role, o.oid, w.privilege) \
           WHEN w.kind = 'function' AND o.kind = 'function' THEN pg_catalog.has_function_privilege(w.role, o.oid, w.privilege) \
           ELSE true END \
         ORDER BY o.name, w.n"
    );
    for r in db::rows(client, &sql)
        .await
        .context("cannot check the privileges on expert_network's objects")?
    {
        missing.push((cell(&r, 0), cell(&r, 1), cell(&r, 2)));
    }

    // Default privileges of any role for the schema: which role runs future migrations is not known
    // here, and any of them granting the privilege is what 003 set up.
    let sql = format!(
        "SELECT d.defaclobjtype::text, r.rolname::text, a.privilege_type \
         FROM pg_catalog.pg_default_acl d CROSS JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) a \
         JOIN pg_catalog.pg_roles r ON r.oid = a.grantee WHERE d.defaclnamespace = {NS}"
    );
    let found: Vec<(String, String, String)> = db::rows(client, &sql)
        .await
        .context("cannot read pg_default_acl")?
        .iter()
        .map(|r| (cell(r, 0), cell(r, 1), cell(r, 2)))
        .collect();
    for w in &wants {
        for (objtype, what, privs) in w.defaults {
            for p in *privs {
                if !found
                    .iter()
                    .any(|(t, role, priv_)| t == objtype && role == w.role && priv_ == p)
                {
                    missing.push((
                        w.role.to_string(),
                        format!("{what} created in {SCHEMA} later (default privileges)"),
                        p.to_string(),
                    ));
                }
            }
        }
    }
    problems.extend(group(&missing));
    let roles: Vec<&str> = wants.iter().map(|w| w.role).collect();
    Ok(finish(problems, &roles))
}

/// `(role, kind, privilege, n), ...` as SQL VALUES rows, every value quoted; `n` keeps the order in
/// which the privileges are listed here.
fn values<'a>(rows: impl Iterator<Item = (&'a str, &'a str, &'a str)>) -> String {
    let rows: Vec<String> = rows
        .enumerate()
        .map(|(n, (a, b, c))| {
            format!(
                "({}, {}, {}, {n})",
                db::literal(a),
                db::literal(b),
                db::literal(c)
            )
        })
        .collect();
    if rows.is_empty() {
        // VALUES needs a row; this one asks nothing (no role is named '').
        "('', '', '', 0)".into()
    } else {
        rows.join(", ")
    }
}

/// Missing (role, object, privilege) triples as one line per role and object, in the order found:
/// `raguser lacks INSERT, UPDATE on table expert_network.experts`.
pub fn group(missing: &[(String, String, String)]) -> Vec<String> {
    let mut out: Vec<(String, String, Vec<String>)> = Vec::new();
    for (role, object, privilege) in missing {
        match out.iter_mut().find(|(r, o, _)| r == role && o == object) {
            Some((_, _, privs)) => privs.push(privilege.clone()),
            None => out.push((role.clone(), object.clone(), vec![privilege.clone()])),
        }
    }
    out.into_iter()
        .map(|(role, object, privs)| format!("{role} lacks {} on {object}", privs.join(", ")))
        .collect()
}

fn finish(problems: Vec<String>, roles: &[&str]) -> VerifyCheck {
    if problems.is_empty() {
        VerifyCheck {
            name: "grants",
            ok: true,
            detail: format!(
                "{} hold what 003_grants.sql grants on {SCHEMA}",
                roles.join(" and ")
            ),
        }
    } else {
        VerifyCheck {
            name: "grants",
            ok: false,
            detail: problems.join("; "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(a: &str, b: &str, c: &str) -> (String, String, String) {
        (a.into(), b.into(), c.into())
    }

    #[test]
    fn missing_privileges_are_grouped_by_role_and_object_in_order() {
        let lines = group(&[
            t("raguser", "table expert_network.experts", "INSERT"),
            t("raguser", "table expert_network.experts", "UPDATE"),
            t("ro", "table expert_network.experts", "SELECT"),
            t("raguser", "schema expert_network", "CREATE"),
        ]);
        assert_eq!(
            lines,
            [
                "raguser lacks INSERT, UPDATE on table expert_network.experts",
                "ro lacks SELECT on table expert_network.experts",
                "raguser lacks CREATE on schema expert_network",
            ]
        );
        assert!(group(&[]).is_empty());
    }

    #[test]
    fn values_are_quoted_and_never_empty() {
        assert_eq!(
            values([("a'b", "table", "SELECT"), ("r", "table", "INSERT")].into_iter()),
            "('a''b', 'table', 'SELECT', 0), ('r', 'table', 'INSERT', 1)"
        );
        assert_eq!(values(std::iter::empty()), "('', '', '', 0)");
    }
}
