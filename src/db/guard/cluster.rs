//! The database-side check beyond public's catalogs: what a rollback undoes but lies outside any
//! schema (roles, memberships, role settings, all shared by every database of the server; large
//! objects, the database, tablespaces and the other objects of `WIDE_CATALOGS`), what a
//! rollback does not undo (public's sequence values), and the session the migration leaves behind.
//!
//! Read once per run for the baseline (roles, memberships, sequences' exact values), and per migration
//! only through this backend's own statistics counters (`pg_stat_get_xact_*`): a catalog or sequence
//! this session did not touch cannot have changed through it, and another session's work never counts
//! here, so the blame is exact. Must never read a relation of public, only catalogs and counters.

/// The three shared catalogs a role change writes, in the order of the counters' text.
const ROLE_CATALOGS: [&str; 3] = ["pg_authid", "pg_auth_members", "pg_db_role_setting"];

/// This transaction's writes to the role catalogs so far, `inserted,updated,deleted` per catalog.
pub fn role_counters_sql() -> String {
    let parts: Vec<String> = ROLE_CATALOGS
        .iter()
        .flat_map(|c| {
            ["inserted", "updated", "deleted"].map(|w| {
                format!(
                    "pg_catalog.pg_stat_get_xact_tuples_{w}('pg_catalog.{c}'::pg_catalog.regclass)"
                )
            })
        })
        .collect();
    format!("pg_catalog.concat_ws(',', {})", parts.join(", "))
}

/// A role's attributes as one hash, for telling an altered role from its baseline: 8 hex digits, since
/// the baseline travels with every migration's message. No text that depends on the session's
/// settings (DateStyle, TimeZone): the migration may have changed them.
const ROLE_HASH: &str = "pg_catalog.left(pg_catalog.md5(pg_catalog.concat_ws(',', r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin, r.rolreplication, r.rolbypassrls, r.rolconnlimit, pg_catalog.date_part('epoch', r.rolvaliduntil))), 8)";

/// PL/pgSQL taking the run's baseline of roles and memberships into `roles` and `members`.
pub fn baseline_sql() -> String {
    format!(
        "SELECT coalesce(pg_catalog.string_agg(r.oid || ':' || {ROLE_HASH}, ','), '') INTO roles FROM pg_catalog.pg_roles r;
    SELECT coalesce(pg_catalog.string_agg(m.roleid || ':' || m.member, ','), '') INTO members FROM pg_catalog.pg_auth_members m;"
    )
}

/// The attributes that reach outside any schema, as text, for role `r` of pg_roles.
const ATTRIBUTES: &str = "pg_catalog.concat_ws(', ', CASE WHEN r.rolsuper THEN 'SUPERUSER' END, CASE WHEN r.rolcreaterole THEN 'CREATEROLE' END, CASE WHEN r.rolcreatedb THEN 'CREATEDB' END, CASE WHEN r.rolreplication THEN 'REPLICATION' END, CASE WHEN r.rolbypassrls THEN 'BYPASSRLS' END)";

/// Whether `objid` of catalog `classid` (a pg_shdepend row `d`) lies inside expert_network (`en`).
const INSIDE: &str = "(d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = d.objid AND c.relnamespace = en))
      OR (d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND EXISTS (SELECT FROM pg_catalog.pg_proc p WHERE p.oid = d.objid AND p.pronamespace = en))
      OR (d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND EXISTS (SELECT FROM pg_catalog.pg_type t WHERE t.oid = d.objid AND t.typnamespace = en))
      OR (d.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.objid = en)
      OR (d.classid = 'pg_catalog.pg_default_acl'::pg_catalog.regclass AND EXISTS (SELECT FROM pg_catalog.pg_default_acl a WHERE a.oid = d.objid AND a.defaclnamespace = en))
      OR (d.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND EXISTS (SELECT FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid WHERE p.oid = d.objid AND c.relnamespace = en))";

/// A scalar subquery: why role `role` (an oid expression) holds something outside expert_network, or
/// NULL. Counts the role itself and every role it is a member of, directly or not: a superuser,
/// CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS attribute, a predefined role (`pg_*`: files,
/// signals, all data), or an object or privilege outside expert_network in any database (ownership,
/// grants on public's tables or schema, on the database itself). Privileges granted to PUBLIC are
/// everyone's and not counted. Used by the guard for new memberships and by `verify` for the
/// migration role.
pub fn outside_sql(role: &str) -> String {
    format!(
        "(WITH RECURSIVE up(r) AS (SELECT ({role})::oid UNION SELECT m.roleid FROM pg_catalog.pg_auth_members m JOIN up ON m.member = up.r),
      ns(en) AS (SELECT (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = 'expert_network'))
    SELECT pg_catalog.string_agg(DISTINCT why, '; ') FROM (
      SELECT r.rolname || ' has ' || {ATTRIBUTES} FROM up JOIN pg_catalog.pg_roles r ON r.oid = up.r
        WHERE r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls
      UNION ALL SELECT r.rolname || ' is a predefined role' FROM up JOIN pg_catalog.pg_roles r ON r.oid = up.r WHERE r.oid < 16384
      UNION ALL SELECT r.rolname || CASE d.deptype WHEN 'o' THEN ' owns ' ELSE ' holds privileges on ' END ||
          CASE WHEN d.dbid IN (0, (SELECT b.oid FROM pg_catalog.pg_database b WHERE b.datname = pg_catalog.current_database()))
               THEN coalesce(pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid), 'an object')
               ELSE 'objects in database ' || coalesce((SELECT b.datname FROM pg_catalog.pg_database b WHERE b.oid = d.dbid)::text, '?') END
        FROM up JOIN pg_catalog.pg_roles r ON r.oid = up.r
        JOIN pg_catalog.pg_shdepend d ON d.refclassid = 'pg_catalog.pg_authid'::pg_catalog.regclass AND d.refobjid = up.r, ns
        WHERE NOT (d.dbid = (SELECT b.oid FROM pg_catalog.pg_database b WHERE b.datname = pg_catalog.current_database()) AND ({INSIDE}))
    ) w(why))"
    )
}

/// PL/pgSQL for the end of a migration: with the role catalogs' counters at the start in `rc0` and now
/// in `rc1` (see `role_counters_sql`), adds to `found` what changed: an existing role altered or
/// dropped, a new role with an attribute that reaches outside any schema, a membership revoked or one
/// into a role that holds something outside expert_network, any role or database setting. A plain new
/// role and its grants on expert_network pass.
pub fn roles_check_sql() -> String {
    let baseline_oids = "SELECT pg_catalog.split_part(x, ':', 1)::oid FROM pg_catalog.unnest(pg_catalog.string_to_array(b[10], ',')) x";
    let members = "SELECT x FROM pg_catalog.unnest(pg_catalog.string_to_array(b[11], ',')) x";
    format!(
        "  IF rc1 IS DISTINCT FROM rc0 THEN
    c0 := pg_catalog.string_to_array(rc0, ','); c1 := pg_catalog.string_to_array(rc1, ',');
    IF c1[2] <> c0[2] OR c1[3] <> c0[3] THEN
      SELECT pg_catalog.string_agg(coalesce('role ' || r.rolname || ' was altered (ALTER ROLE: attributes, password, name or validity)', 'a role was dropped'), '; ')
        INTO what FROM pg_catalog.unnest(pg_catalog.string_to_array(b[10], ',')) x
        LEFT JOIN pg_catalog.pg_roles r ON r.oid = pg_catalog.split_part(x, ':', 1)::oid
        WHERE r.oid IS NULL OR {ROLE_HASH} <> pg_catalog.split_part(x, ':', 2);
      found := found || coalesce(what, 'an existing role was changed (ALTER ROLE: its password or name)');
    END IF;
    IF c1[1] <> c0[1] THEN
      SELECT pg_catalog.string_agg('role ' || r.rolname || ' was created with ' || {ATTRIBUTES}, '; ') INTO what
        FROM pg_catalog.pg_roles r WHERE r.oid NOT IN ({baseline_oids})
        AND (r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls);
      IF what IS NOT NULL THEN found := found || what; END IF;
    END IF;
    IF c1[5] <> c0[5] OR c1[6] <> c0[6] THEN
      found := found || 'a membership of an existing role was revoked or changed (GRANT/REVOKE role)'::text;
    END IF;
    IF c1[4] <> c0[4] THEN
      SELECT pg_catalog.string_agg('role ' || pg_catalog.pg_get_userbyid(m.member) || ' was made a member of ' || pg_catalog.pg_get_userbyid(m.roleid) || ', which reaches outside expert_network: ' || w.why, '; ')
        INTO what FROM pg_catalog.pg_auth_members m
        CROSS JOIN LATERAL (SELECT {outside} AS why) w
        WHERE (m.roleid || ':' || m.member) NOT IN ({members}) AND w.why IS NOT NULL;
      IF what IS NOT NULL THEN found := found || what; END IF;
    END IF;
    IF c1[7] <> c0[7] OR c1[8] <> c0[8] OR c1[9] <> c0[9] THEN
      found := found || 'a role or database setting was changed (ALTER ROLE/DATABASE ... SET)'::text;
    END IF;
  END IF;
",
        outside = outside_sql("m.roleid")
    )
}

/// The catalogs of what belongs to no schema, the whole database's or the server's, that no
/// migration the fence passes writes, with what a write to each is: large objects (another
/// application's data, owned by no schema), the database, tablespaces, privileges on server
/// parameters (PostgreSQL 15: `GRANT SET ON PARAMETER session_replication_role TO raguser` let the
/// application's role switch off every table's triggers and foreign keys, public's included),
/// comments and labels on shared objects, languages, access methods, transforms, foreign-data
/// wrappers, servers and user mappings, subscriptions and replication origins. On PG 15 a body the
/// fence cannot see committed each of these through `up` before the guard read them. Read as this
/// backend's write counters at the migration's start and end, as the role catalogs are: any row
/// this transaction inserted, updated or deleted there is a breach, with no scan of the catalog.
/// By the catalog's fixed oid (each is set in the server's source, `pg_*.h`, and is the same in every
/// release), so a catalog an older server lacks (pg_parameter_acl before 15) reads 0; the counters are
/// read twice in every migration, and looking the 15 names up with `to_regclass` each time cost about
/// a tenth of a migration's check on an empty public (callgrind). `wide_oids_check_sql`, run with the
/// baseline, stops a run on a server where a name has another oid.
pub const WIDE_CATALOGS: &[(&str, u32, &str)] = &[
    ("pg_largeobject_metadata", 2995, "a large object was created, dropped, given to a role or granted (large objects belong to the whole database, to no schema)"),
    ("pg_largeobject", 2613, "a large object's data was written or truncated (large objects belong to the whole database, to no schema)"),
    ("pg_database", 1262, "a database's privileges, owner or options were changed"),
    ("pg_tablespace", 1213, "a tablespace was created, dropped, altered or granted"),
    ("pg_parameter_acl", 6243, "a privilege on a server parameter was granted or revoked (GRANT SET | ALTER SYSTEM ON PARAMETER)"),
    ("pg_shdescription", 2396, "a comment on a database, role or tablespace was written"),
    ("pg_shseclabel", 3592, "a security label on a database, role or tablespace was written"),
    ("pg_language", 2612, "a procedural language was created, dropped, given away or granted"),
    ("pg_am", 2601, "an access method was created or dropped"),
    ("pg_transform", 3576, "a transform was created or dropped"),
    ("pg_foreign_data_wrapper", 2328, "a foreign-data wrapper was created, dropped, altered or granted"),
    ("pg_foreign_server", 1417, "a foreign server was created, dropped, altered or granted"),
    ("pg_user_mapping", 1418, "a user mapping was created, dropped or altered"),
    ("pg_subscription", 6100, "a subscription was created, dropped or altered"),
    ("pg_replication_origin", 6000, "a replication origin was created or dropped"),
];

/// This transaction's writes to each of `WIDE_CATALOGS` so far: per catalog `inserted/updated/deleted`,
/// `,`-separated.
pub fn wide_counters_sql() -> String {
    let parts: Vec<String> = WIDE_CATALOGS
        .iter()
        .map(|(_, oid, _)| {
            let counts = ["inserted", "updated", "deleted"]
                .map(|w| format!("pg_catalog.pg_stat_get_xact_tuples_{w}({oid}::pg_catalog.oid)"))
                .join(", ");
            // No operator (`+`): the start runs under the migration's path, where expert_network's
            // own may be found first.
            format!("pg_catalog.concat_ws('/', {counts})")
        })
        .collect();
    format!("pg_catalog.concat_ws(',', {})", parts.join(", "))
}

/// PL/pgSQL for the run's baseline: stops the run where a catalog of `WIDE_CATALOGS` the server has
/// is not at the oid en-migrate reads its counters by (it would read another relation's, or none).
pub fn wide_oids_check_sql() -> String {
    let rows: Vec<String> = WIDE_CATALOGS
        .iter()
        .map(|(c, oid, _)| format!("('pg_catalog.{c}', {oid})"))
        .collect();
    format!(
        "SELECT pg_catalog.string_agg(v.c, ', ') INTO lv FROM (VALUES {}) v(c, o) WHERE pg_catalog.to_regclass(v.c)::pg_catalog.oid <> v.o;
    IF lv IS NOT NULL THEN
      RAISE EXCEPTION 'catalogs of this server are not where en-migrate reads them: %', lv
        USING ERRCODE = '0A000', HINT = 'this PostgreSQL is newer than en-migrate knows: upgrade en-migrate';
    END IF;",
        rows.join(", ")
    )
}

/// PL/pgSQL for the end of a migration: with `WIDE_CATALOGS`' counters at its start in `wc0`, adds to
/// `found` each of them this transaction wrote. Read once, compared whole: only a migration that
/// wrote one looks further.
pub fn wide_check_sql() -> String {
    let checks: String = WIDE_CATALOGS
        .iter()
        .enumerate()
        .map(|(i, (c, _, what))| {
            let what = what.replace('\'', "''");
            format!(
                "    IF c1[{k}] IS DISTINCT FROM c0[{k}] THEN found := found || '{what} (pg_catalog.{c} written)'::text; END IF;\n",
                k = i + 1
            )
        })
        .collect();
    format!(
        "  wc1 := {};\n  IF wc1 IS DISTINCT FROM wc0 THEN\n    c0 := pg_catalog.string_to_array(wc0, ','); c1 := pg_catalog.string_to_array(wc1, ',');\n{checks}  END IF;\n",
        wide_counters_sql()
    )
}

/// This migration's reads of each of public's sequences (`rs`), as text: every nextval, setval or
/// read of the sequence's page counts, through any function and in any subtransaction.
pub const SEQ_READS: &str = "(SELECT coalesce(pg_catalog.string_agg(pg_catalog.pg_stat_get_xact_blocks_fetched(s)::text, ',' ORDER BY o), '') FROM pg_catalog.unnest(rs) WITH ORDINALITY u(s, o))";

/// The values of the sequences en-migrate may read (`rq`), cheaply: `-` for one never called.
pub const SEQ_VALUES: &str = "(SELECT coalesce(pg_catalog.string_agg(coalesce(pg_catalog.pg_sequence_last_value(s)::text, '-'), ',' ORDER BY o), '') FROM pg_catalog.unnest(rq) WITH ORDINALITY u(s, o))";

/// PL/pgSQL for the run's baseline: `rq`, the sequences of `rs` en-migrate may read, and `seqx`, their
/// exact `last_value:is_called` (a never-called sequence's value is where it will start).
pub const SEQ_BASELINE: &str = "rq := ARRAY(SELECT s FROM pg_catalog.unnest(rs) s WHERE pg_catalog.has_sequence_privilege(s, 'SELECT'));
    seqx := '';
    FOR i IN 1 .. coalesce(pg_catalog.array_length(rq, 1), 0) LOOP
      EXECUTE pg_catalog.format('SELECT last_value || '':'' || is_called FROM %s', rq[i]::pg_catalog.regclass) INTO lv;
      seqx := seqx || CASE WHEN i > 1 THEN ',' ELSE '' END || lv;
    END LOOP;";

/// PL/pgSQL for the end of a migration: with the reads at its start in `sr0` and the values in `sv0`,
/// names every sequence of public whose value the migration moved, with the setval that puts it
/// back, and sets `moved`. A sequence it cannot read (no SELECT privilege) but used is named too.
/// Over no sequence the reads are '' at both ends, and are not read again (nested, so that no query
/// starts: a condition with a subquery is run as one, whatever its AND leaves out).
pub fn sequences_check_sql() -> String {
    format!(
        "  IF pg_catalog.cardinality(rs) > 0 THEN IF {SEQ_READS} IS DISTINCT FROM sr0 THEN
    c0 := pg_catalog.string_to_array(sr0, ','); v0 := pg_catalog.string_to_array(sv0, ','); x0 := pg_catalog.string_to_array(b[9], ',');
    FOR i IN 1 .. coalesce(pg_catalog.array_length(rs, 1), 0) LOOP
      CONTINUE WHEN pg_catalog.pg_stat_get_xact_blocks_fetched(rs[i])::text = c0[i];
      j := pg_catalog.array_position(rq, rs[i]);
      IF j IS NULL THEN
        found := found || ('sequence ' || rs[i]::pg_catalog.regclass || ' was used, and en-migrate cannot read its value to say whether it moved (grant the runner SELECT on it)');
        moved := true;
        CONTINUE;
      END IF;
      EXECUTE pg_catalog.format('SELECT last_value::text, is_called FROM %s', rs[i]::pg_catalog.regclass) INTO lv, ic;
      IF v0[j] = '-' THEN
        ov := pg_catalog.split_part(x0[j], ':', 1); oc := false;
      ELSE
        ov := v0[j]; oc := true;
      END IF;
      IF lv <> ov OR ic <> oc THEN
        found := found || pg_catalog.format('sequence %s moved from %s (is_called %s) to %s (is_called %s), and a rollback does not put it back; put it back with SELECT pg_catalog.setval(%L, %s, %s)',
          rs[i]::pg_catalog.regclass, ov, oc::text, lv, ic::text, rs[i]::pg_catalog.regclass::text, ov, oc::text);
        moved := true;
      END IF;
    END LOOP;
  END IF; END IF;
"
    )
}
