-- The record of schema expert_network: one entry per object, keyed by what the object is and its
-- fully qualified name (spelled as pg_identify_object spells them, built from regclass, regprocedure
-- and regtype, which cost less per object), valued by the server's own deparse of it. No oids, no
-- attnums, no creation order: the same schema gives the same record after pg_dump | pg_restore.
-- Runs with search_path = pg_catalog, pg_temp (set by the caller), so every name the deparsers print
-- outside pg_catalog is schema-qualified whatever the session's own path is. One statement, usable
-- as a scalar subquery: {"format": N, "server_version_num": N, "objects": {key: definition},
-- "parents": {key: key of the table or type it belongs to}}.
WITH ns AS (
  SELECT n.oid, n.nspname, n.nspowner, n.nspacl FROM pg_namespace n WHERE n.nspname = 'expert_network'
-- Extension members are the extension's, not the migrations'. The probes below go by pg_depend's
-- index per object; OFFSET 0 keeps the planner from scanning all of pg_depend for an anti join.
), rel AS (
  SELECT c.oid, c.relname, c.relkind, c.relowner, c.relacl, c.relpersistence, c.reloptions,
         c.relrowsecurity, c.relforcerowsecurity, c.relispartition, c.relpartbound,
         CASE c.relkind WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view ' WHEN 'S' THEN 'sequence '
           WHEN 'f' THEN 'foreign table ' WHEN 'c' THEN 'composite type ' ELSE 'table ' END || c.oid::regclass::text AS k,
         c.oid::regclass::text AS q
  FROM pg_class c
  WHERE c.relnamespace = (SELECT oid FROM ns) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
    AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e' OFFSET 0)
), pro AS (
  SELECT p.oid, p.prokind, p.proowner, p.proacl,
         CASE p.prokind WHEN 'p' THEN 'procedure ' WHEN 'a' THEN 'aggregate ' ELSE 'function ' END || p.oid::regprocedure::text AS k
  FROM pg_proc p
  WHERE p.pronamespace = (SELECT oid FROM ns)
    AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e' OFFSET 0)
), typ AS (
  SELECT t.oid, t.typtype, t.typowner, t.typacl, t.typbasetype, t.typtypmod, t.typnotnull, t.typdefault,
         t.typcollation,
         CASE t.typtype WHEN 'd' THEN 'domain ' ELSE 'type ' END || t.oid::regtype::text AS k
  FROM pg_type t
  WHERE t.typnamespace = (SELECT oid FROM ns) AND t.typtype IN ('e', 'd', 'r')
    AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e' OFFSET 0)
), con AS (
  SELECT c.oid, c.conrelid, c.contypid,
         CASE WHEN c.conrelid <> 0 THEN 'table constraint ' || quote_ident(c.conname) || ' on ' || c.conrelid::regclass::text
              ELSE 'domain constraint ' || quote_ident(c.conname) || ' on ' || c.contypid::regtype::text END AS k
  FROM pg_constraint c
  -- PostgreSQL 18 records NOT NULL as constraints too; nullability is the column's, on every version.
  WHERE c.connamespace = (SELECT oid FROM ns) AND c.contype <> 'n'
), trg AS (
  SELECT t.oid, t.tgrelid, t.tgenabled,
         'trigger ' || quote_ident(t.tgname) || ' on ' || t.tgrelid::regclass::text AS k
  FROM pg_trigger t WHERE t.tgrelid IN (SELECT oid FROM rel) AND NOT t.tgisinternal
), pol AS (
  SELECT p.*, 'policy ' || quote_ident(p.polname) || ' on ' || p.polrelid::regclass::text AS k
  FROM pg_policy p WHERE p.polrelid IN (SELECT oid FROM rel)
), rul AS (
  SELECT r.oid, r.ev_class, r.ev_enabled,
         'rule ' || quote_ident(r.rulename) || ' on ' || r.ev_class::regclass::text AS k
  FROM pg_rewrite r WHERE r.ev_class IN (SELECT oid FROM rel) AND r.rulename <> '_RETURN'
), idx AS (
  SELECT i.indexrelid AS oid, i.indrelid, i.indisvalid,
         'index ' || i.indexrelid::regclass::text AS k
  FROM pg_index i WHERE i.indrelid IN (SELECT oid FROM rel)
), stx AS (
  SELECT s.oid, s.stxrelid,
         (SELECT o.type || ' ' || o.identity FROM pg_identify_object('pg_statistic_ext'::regclass, s.oid, 0) o) AS k
  FROM pg_statistic_ext s WHERE s.stxnamespace = (SELECT oid FROM ns)
), owned AS (
  -- Every object that can have a comment, with its key: comments are matched by (catalog, oid).
  SELECT 'pg_namespace'::regclass AS classid, oid, 'schema ' || quote_ident(nspname) AS k FROM ns
  UNION ALL SELECT 'pg_class'::regclass, oid, k FROM rel
  UNION ALL SELECT 'pg_class'::regclass, oid, k FROM idx
  UNION ALL SELECT 'pg_proc'::regclass, oid, k FROM pro
  UNION ALL SELECT 'pg_type'::regclass, oid, k FROM typ
  UNION ALL SELECT 'pg_constraint'::regclass, oid, k FROM con
  UNION ALL SELECT 'pg_trigger'::regclass, oid, k FROM trg
  UNION ALL SELECT 'pg_policy'::regclass, oid, k FROM pol
  UNION ALL SELECT 'pg_rewrite'::regclass, oid, k FROM rul
  UNION ALL SELECT 'pg_statistic_ext'::regclass, oid, k FROM stx
), acl(k, obj, owner, acl, kind) AS (
  SELECT 'grants on schema ' || quote_ident(nspname), 'schema ' || quote_ident(nspname), nspowner, nspacl, 'n'::"char" FROM ns
  UNION ALL SELECT 'grants on ' || k, k, relowner, relacl, CASE relkind WHEN 'S' THEN 's' ELSE 'r' END::"char" FROM rel WHERE relkind <> 'c'
  UNION ALL SELECT 'grants on ' || k, k, proowner, proacl, 'f'::"char" FROM pro
  UNION ALL SELECT 'grants on ' || k, k, typowner, typacl, 'T'::"char" FROM typ
), obj(k, d, p) AS (
  SELECT 'schema ' || quote_ident(nspname), 'schema', NULL::text FROM ns
  -- Relations: what kind, and the flags that are the relation's own.
  UNION ALL SELECT r.k, concat_ws('; ',
      CASE WHEN r.relkind IN ('v', 'm') THEN pg_get_viewdef(r.oid) END,
      CASE r.relpersistence WHEN 'u' THEN 'unlogged' END,
      CASE WHEN r.reloptions IS NOT NULL THEN 'with (' || array_to_string(r.reloptions, ', ') || ')' END,
      CASE WHEN r.relkind IN ('r', 'p') THEN 'row level security ' || CASE WHEN r.relrowsecurity THEN 'enabled' ELSE 'disabled' END
           || CASE WHEN r.relforcerowsecurity THEN ', forced' ELSE '' END END,
      CASE WHEN r.relkind = 'p' THEN 'partition by ' || pg_get_partkeydef(r.oid) END,
      CASE WHEN r.relispartition THEN pg_get_expr(r.relpartbound, r.oid) END,
      (SELECT 'inherits ' || string_agg(h.inhparent::regclass::text, ', ' ORDER BY h.inhseqno) FROM pg_inherits h WHERE h.inhrelid = r.oid),
      (SELECT concat_ws(' ', format_type(q.seqtypid, NULL), 'start', q.seqstart, 'increment', q.seqincrement,
              'min', q.seqmin, 'max', q.seqmax, 'cache', q.seqcache, CASE WHEN q.seqcycle THEN 'cycle' END)
       FROM pg_sequence q WHERE q.seqrelid = r.oid),
      (SELECT 'owned by ' || d.refobjid::regclass::text || '.' || quote_ident(a.attname)
       FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
       WHERE r.relkind = 'S' AND d.classid = 'pg_class'::regclass AND d.objid = r.oid
         AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') LIMIT 1)), NULL
    FROM rel r
  -- Columns of tables, foreign tables and composite types; a view's columns follow from its query.
  UNION ALL SELECT 'table column ' || r.q || '.' || quote_ident(a.attname),
      concat_ws(' ', format_type(a.atttypid, a.atttypmod),
        CASE WHEN a.attcollation <> 0 AND a.attcollation <> (SELECT t.typcollation FROM pg_type t WHERE t.oid = a.atttypid)
             THEN 'COLLATE ' || (SELECT quote_ident(n.nspname) || '.' || quote_ident(l.collname) FROM pg_collation l JOIN pg_namespace n ON n.oid = l.collnamespace WHERE l.oid = a.attcollation) END,
        CASE WHEN a.attnotnull THEN 'NOT NULL' END,
        CASE WHEN a.attgenerated = 's' THEN 'GENERATED ALWAYS AS (' || pg_get_expr(ad.adbin, ad.adrelid) || ') STORED'
             WHEN ad.adbin IS NOT NULL THEN 'DEFAULT ' || pg_get_expr(ad.adbin, ad.adrelid) END,
        CASE a.attidentity WHEN 'a' THEN 'GENERATED ALWAYS AS IDENTITY' WHEN 'd' THEN 'GENERATED BY DEFAULT AS IDENTITY' END),
      r.k
    FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = r.oid AND ad.adnum = a.attnum
    WHERE r.relkind IN ('r', 'p', 'f', 'c')
  -- Each object's parent by a join, not a subquery per object: a CTE has no index, so a subquery
  -- would scan every relation of the schema once per index or constraint.
  UNION ALL SELECT c.k, pg_get_constraintdef(c.oid), coalesce(r.k, t.k)
    FROM con c LEFT JOIN rel r ON r.oid = c.conrelid LEFT JOIN typ t ON t.oid = c.contypid
  UNION ALL SELECT i.k, pg_get_indexdef(i.oid) || CASE WHEN i.indisvalid THEN '' ELSE ' (INVALID)' END, r.k
    FROM idx i LEFT JOIN rel r ON r.oid = i.indrelid
  -- An aggregate has no CREATE FUNCTION to deparse; its signature and result stand for it.
  UNION ALL SELECT p.k, CASE WHEN p.prokind = 'a'
      THEN 'aggregate (' || pg_get_function_arguments(p.oid) || ') returns ' || pg_get_function_result(p.oid)
      ELSE pg_get_functiondef(p.oid) END, NULL
    FROM pro p
  UNION ALL SELECT t.k, pg_get_triggerdef(t.oid) || ' (' || CASE t.tgenabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled'
      WHEN 'R' THEN 'enabled on replica only' WHEN 'A' THEN 'enabled always' END || ')', r.k
    FROM trg t LEFT JOIN rel r ON r.oid = t.tgrelid
  UNION ALL SELECT p.k, concat_ws(' ',
      'AS', CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
      'FOR', CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
      'TO', (SELECT string_agg(g, ', ' ORDER BY g) FROM (SELECT CASE WHEN u.r = 0 THEN 'PUBLIC' ELSE quote_ident(a.rolname) END AS g
             FROM unnest(p.polroles) u(r) LEFT JOIN pg_roles a ON a.oid = u.r) s),
      'USING (' || pg_get_expr(p.polqual, p.polrelid) || ')',
      'WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')'), r.k
    FROM pol p LEFT JOIN rel r ON r.oid = p.polrelid
  UNION ALL SELECT r.k, pg_get_ruledef(r.oid) || CASE WHEN r.ev_enabled = 'D' THEN ' (disabled)' ELSE '' END, x.k
    FROM rul r LEFT JOIN rel x ON x.oid = r.ev_class
  UNION ALL SELECT s.k, pg_get_statisticsobjdef(s.oid), r.k FROM stx s LEFT JOIN rel r ON r.oid = s.stxrelid
  UNION ALL SELECT t.k, CASE t.typtype
      WHEN 'e' THEN 'enum (' || (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) || ')'
      WHEN 'd' THEN concat_ws(' ', format_type(t.typbasetype, t.typtypmod),
        CASE WHEN t.typcollation <> 0 AND t.typcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype)
             THEN 'COLLATE ' || (SELECT quote_ident(n.nspname) || '.' || quote_ident(l.collname) FROM pg_collation l JOIN pg_namespace n ON n.oid = l.collnamespace WHERE l.oid = t.typcollation) END,
        CASE WHEN t.typnotnull THEN 'NOT NULL' END, 'DEFAULT ' || t.typdefault)
      ELSE (SELECT concat_ws(' ', 'range of', format_type(g.rngsubtype, NULL),
              CASE WHEN g.rngcollation <> 0 THEN 'collation ' || g.rngcollation::regcollation::text END,
              CASE WHEN g.rngsubopc <> 0 THEN 'opclass ' || (SELECT quote_ident(c.opcname) FROM pg_opclass c WHERE c.oid = g.rngsubopc) END)
            FROM pg_range g WHERE g.rngtypid = t.oid) END, NULL
    FROM typ t
  UNION ALL SELECT 'extension ' || quote_ident(e.extname), 'version ' || e.extversion, NULL
    FROM pg_extension e WHERE e.extnamespace = (SELECT oid FROM ns)
  -- Owners, by role name: a restore by another role, or with --no-owner, is an owner change.
  UNION ALL SELECT 'owner of ' || a.obj, pg_get_userbyid(a.owner), a.obj FROM acl a
  -- Grants as (grantee, privilege, grantable), sorted and without the grantor; NULL means the
  -- built-in default and is spelled out as such, so an explicit default compares equal.
  UNION ALL SELECT a.k, coalesce((SELECT string_agg(g, ', ' ORDER BY g) FROM (SELECT
        CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) END || ' ' || x.privilege_type
        || CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END AS g
      FROM aclexplode(coalesce(a.acl, acldefault(a.kind, a.owner))) x) s), 'none'), a.obj FROM acl a
  UNION ALL SELECT 'grants on table column ' || r.q || '.' || quote_ident(a.attname),
      (SELECT string_agg(g, ', ' ORDER BY g) FROM (SELECT CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) END || ' ' || x.privilege_type
        || CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END AS g FROM aclexplode(a.attacl) x) s), r.k
    FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
  UNION ALL SELECT 'default privileges of ' || quote_ident(pg_get_userbyid(d.defaclrole)) || ' on '
      || CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' ELSE d.defaclobjtype::text END
      || ' in schema ' || quote_ident((SELECT nspname FROM ns)),
      (SELECT string_agg(g, ', ' ORDER BY g) FROM (SELECT CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) END || ' ' || x.privilege_type
        || CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END AS g FROM aclexplode(d.defaclacl) x) s), NULL
    FROM pg_default_acl d WHERE d.defaclnamespace = (SELECT oid FROM ns)
  UNION ALL SELECT 'comment on ' || CASE WHEN c.objsubid = 0 THEN w.k
      ELSE (SELECT o.type || ' ' || o.identity FROM pg_identify_object(c.classoid, c.objoid, c.objsubid) o) END,
      c.description, w.k
    -- Probed by index per object (OFFSET 0 keeps the planner from hashing all of pg_description,
    -- which holds every built-in object's comment too).
    FROM owned w JOIN LATERAL (SELECT * FROM pg_description d WHERE d.objoid = w.oid AND d.classoid = w.classid OFFSET 0) c ON true
)
SELECT jsonb_build_object(
  'format', 1,
  'server_version_num', current_setting('server_version_num')::int,
  'objects', coalesce((SELECT jsonb_object_agg(k, d) FROM obj WHERE k IS NOT NULL), '{}'::jsonb),
  'parents', coalesce((SELECT jsonb_object_agg(k, p) FROM obj WHERE k IS NOT NULL AND p IS NOT NULL), '{}'::jsonb))
