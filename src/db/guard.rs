//! The schema fence, database half: inside each migration's transaction, proof from the catalogs that
//! nothing outside `expert_network` changed (in `public`, where the other applications live, and in
//! every other schema but the server's own: pg_catalog, information_schema, pg_toast and the sessions'
//! temporary schemas), so that a parser bug can never become a breach. "public" below stands for all
//! of those schemas: a `DROP ... CASCADE` of an expert_network object drops what depends on it in
//! any of them (another schema's view over expert_network's table, an FK of its table).
//!
//! The state of `public` is, for every catalog that holds its rows (its relations and their columns,
//! defaults, constraints, triggers, rules, policies, inheritance, statistics, sequences, publication
//! membership and the dependencies on them; every object that depends on the schema, with functions and
//! types; comments; the schema itself; publications, event triggers, default privileges; and every
//! extension installed outside expert_network, with its comment and its members; and the server's own
//! objects where a grant, an owner or a row added to them reaches every schema: see `SOURCES`; a
//! built-in's row updated in place is read apart, see `BUILT_IN_CATALOGS`; and what belongs to no
//! schema, large objects, the database, tablespaces, privileges on parameters, by this backend's
//! write counters: see `cluster::WIDE_CATALOGS`),
//! the number of rows and how many of them this transaction wrote (`age(xmin) <= 0`): an insert or a
//! delete moves the first, an update (ALTER, GRANT, TRUNCATE's new relfilenode) writes a new row
//! version and moves the second. Plus the number of rows this transaction wrote to public's tables.
//! The state is taken after the lock by a run's first migration, with the oids of public's objects it
//! was taken over; after every migration it is taken again over the same oids, recomputing only the
//! catalogs this transaction wrote (`pg_stat_get_xact_tuples_*`; a catalog it did not write cannot
//! have changed through it), and any difference raises SQLSTATE `EN001`, describes the rows this
//! transaction wrote, and rolls the migration back. en-migrate's own tracker is the one exception.
//! What the migration made in pg_catalog or information_schema, which no dependency row of public's
//! records, is read apart by the oid index above a mark taken at its start (`made_in_server_schemas_sql`).
//! And the pages of public's relations this migration read (`PUBLIC_READS`): another application's
//! rows copied into expert_network change no catalog row.
//! Every lookup goes by index from public's oids, so the cost follows the size of `public`, not of the
//! database.

/// SQLSTATE raised when the guard finds a change.
pub const BREACH: &str = "EN001";
/// SQLSTATE of "another runner holds the lock".
pub const LOCK_BUSY: &str = "EN002";
/// SQLSTATE of "the tracker moved since it was read" (the tracker's, which raises it too).
pub use crate::db::tracker::STALE;
/// SQLSTATE raised when the migration moved a sequence of public: rolled back, but not the value.
pub const MOVED: &str = "EN004";
/// SQLSTATE raised when public changed during the migration, but not through it.
pub const CONCURRENT: &str = "EN005";

mod cluster;
use crate::db::tracker::TABLE as TRACKER;
pub use cluster::outside_sql;
use cluster::{SEQ_BASELINE, SEQ_READS, SEQ_VALUES};

/// The schemas the guard watches, as a condition on pg_namespace's row: all but expert_network, the
/// server's own (pg_catalog, information_schema, pg_toast: the fence refuses writes there, and
/// pg_catalog's rows are every migration's own), and the sessions' temporary schemas (other sessions'
/// temporary tables come and go, and are theirs).
macro_rules! outside_schemas {
    () => {
        "nspname NOT IN ('expert_network', 'pg_catalog', 'information_schema', 'pg_toast') AND NOT nspname OPERATOR(pg_catalog.~) '^pg_(toast_)?temp_'"
    };
}

/// The name of the schema whose oid is `$oid`, by index, for the messages.
macro_rules! nsp {
    ($oid:literal) => {
        concat!(
            "(SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE n.oid = ",
            $oid,
            ")"
        )
    };
}

/// The oids of the extensions installed outside expert_network, as SQL (see `SOURCES`).
macro_rules! outside_extensions {
    () => {
        "(SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extnamespace IS DISTINCT FROM (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = 'expert_network'))"
    };
}

/// The oids of the extensions installed in expert_network, as SQL (see `SOURCES`).
macro_rules! inside_extensions {
    () => {
        "(SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = 'expert_network'))"
    };
}

/// The catalogs of objects in no schema that are never expert_network's, as a `regclass[]` literal's
/// text: every row is another application's or the server's (a migration that writes one is refused
/// by `cluster::WIDE_CATALOGS` or by the publication and event trigger sources). A large object's
/// comment names pg_largeobject.
macro_rules! schemaless_catalogs {
    () => {
        "{pg_catalog.pg_largeobject,pg_catalog.pg_largeobject_metadata,pg_catalog.pg_publication,pg_catalog.pg_event_trigger,pg_catalog.pg_foreign_server,pg_catalog.pg_foreign_data_wrapper,pg_catalog.pg_language,pg_catalog.pg_am,pg_catalog.pg_transform,pg_catalog.pg_subscription}"
    };
}

/// Where public's catalog rows are: (what a changed row is, FROM ... WHERE ...). `ra` is the array of
/// public's relation oids other than the tracker's, `rt` those of them that can have columns,
/// defaults, constraints, triggers or rows (tables, views, foreign tables), `rs` its sequences; `fa`
/// and `ta` the functions and types that depend on the schemas, `ns` their oids. Every lookup goes through
/// an index on those oids, and the narrower arrays keep the probes few `oa` holds the schemas' other objects
/// (operators, text search configurations, collations, ...) and `oq` their catalogs, for the
/// dependencies on them and for telling a drop of theirs from another session's.
const SOURCES: &[(&str, &str)] = &[
    (concat!("'relation ' || ", nsp!("t.relnamespace"), " || '.' || t.relname"), "pg_catalog.pg_class t WHERE t.oid = ANY (ra || tk)"),
    ("'column ' || t.attrelid::pg_catalog.regclass || '.' || t.attname", "pg_catalog.pg_attribute t WHERE t.attrelid = ANY (ra || tk) AND t.attnum > 0"),
    ("'column default on ' || t.adrelid::pg_catalog.regclass", "pg_catalog.pg_attrdef t WHERE t.adrelid = ANY (rt)"),
    ("'constraint ' || t.conname || ' on ' || t.conrelid::pg_catalog.regclass", "pg_catalog.pg_constraint t WHERE t.conrelid = ANY (rt)"),
    // The constraints of public's domains, which name no relation: `ALTER DOMAIN public.d RENAME
    // CONSTRAINT` or `VALIDATE CONSTRAINT` updates this row alone (PG 15: both passed the guard).
    // Read only when pg_constraint was written, one probe per type of public's.
    ("'constraint ' || t.conname || ' on domain ' || t.contypid::pg_catalog.regtype", "pg_catalog.pg_constraint t WHERE t.contypid = ANY (ta)"),
    ("'trigger ' || t.tgname || ' on ' || t.tgrelid::pg_catalog.regclass", "pg_catalog.pg_trigger t WHERE t.tgrelid = ANY (rt)"),
    ("'rule ' || t.rulename || ' on ' || t.ev_class::pg_catalog.regclass", "pg_catalog.pg_rewrite t WHERE t.ev_class = ANY (rt)"),
    ("'policy ' || t.polname || ' on ' || t.polrelid::pg_catalog.regclass", "pg_catalog.pg_policy t WHERE t.polrelid = ANY (rt)"),
    ("'inheritance of ' || t.inhrelid::pg_catalog.regclass", "pg_catalog.pg_inherits t WHERE t.inhrelid = ANY (ra)"),
    ("'a child of ' || t.inhparent::pg_catalog.regclass", "pg_catalog.pg_inherits t WHERE t.inhparent = ANY (ra)"),
    ("'statistics object ' || t.stxname", "pg_catalog.pg_statistic_ext t WHERE t.stxrelid = ANY (rt)"),
    ("'publication of ' || t.prrelid::pg_catalog.regclass", "pg_catalog.pg_publication_rel t WHERE t.prrelid = ANY (rt)"),
    ("'sequence settings of ' || t.seqrelid::pg_catalog.regclass", "pg_catalog.pg_sequence t WHERE t.seqrelid = ANY (rs)"),
    // The flags of public's indexes, which only an update changes (`ALTER TABLE ... CLUSTER ON`, a
    // `REPLICA IDENTITY USING INDEX` moved from one index to another: pg_index alone, PG 15); a new
    // or dropped index shows through its relation and its dependencies (see `UPDATED_ONLY`).
    ("'index flags of ' || t.indexrelid::pg_catalog.regclass", "pg_catalog.pg_index t WHERE t.indexrelid = ANY (ra)"),
    // What depends on public's functions, types and other objects: a default, an index or a column of
    // expert_network's over public.english ('public.english' coerced to regconfig), public.f, a
    // public type, which public could then no longer drop without cascading into expert_network.
    ("'a dependency on ' || pg_catalog.pg_describe_object(t.refclassid, t.refobjid, 0) || ': ' || pg_catalog.pg_describe_object(t.classid, t.objid, t.objsubid)", "pg_catalog.pg_depend t WHERE t.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND t.refobjid = ANY (fa)"),
    ("'a dependency on ' || pg_catalog.pg_describe_object(t.refclassid, t.refobjid, 0) || ': ' || pg_catalog.pg_describe_object(t.classid, t.objid, t.objsubid)", "pg_catalog.pg_depend t WHERE t.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND t.refobjid = ANY (ta)"),
    ("'a dependency on ' || pg_catalog.pg_describe_object(t.refclassid, t.refobjid, 0) || ': ' || pg_catalog.pg_describe_object(t.classid, t.objid, t.objsubid)", "pg_catalog.pg_depend t WHERE t.refclassid = ANY (oq) AND t.refobjid = ANY (oa)"),
    ("'a dependency on ' || t.refobjid::pg_catalog.regclass || ': ' || pg_catalog.pg_describe_object(t.classid, t.objid, t.objsubid)", "pg_catalog.pg_depend t WHERE t.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND t.refobjid = ANY (ra || tk)"),
    (concat!("'object in ' || ", nsp!("t.refobjid"), " || ': ' || pg_catalog.pg_describe_object(t.classid, t.objid, 0)"), "pg_catalog.pg_depend t WHERE t.refclassid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND t.refobjid = ANY (ns)"),
    (concat!("'function ' || ", nsp!("t.pronamespace"), " || '.' || t.proname"), "pg_catalog.pg_proc t WHERE t.oid = ANY (fa)"),
    (concat!("'type ' || ", nsp!("t.typnamespace"), " || '.' || t.typname"), "pg_catalog.pg_type t WHERE t.oid = ANY (ta)"),
    // The labels of public's enum types: `ALTER TYPE public.mood ADD VALUE` or `RENAME VALUE` writes
    // pg_enum alone, no row of the type's or of pg_depend (PG 15: both passed the guard).
    ("'label ' || pg_catalog.quote_literal(t.enumlabel) || ' of enum ' || t.enumtypid::pg_catalog.regtype", "pg_catalog.pg_enum t WHERE t.enumtypid = ANY (ta)"),
    // The rows of public's other objects themselves (`oa`), by catalog: a rename or an option changed
    // updates the object's own row and no dependency (PG 15: `ALTER COLLATION public.c RENAME`, `ALTER
    // TEXT SEARCH CONFIGURATION public.english RENAME`, `ALTER TEXT SEARCH DICTIONARY public.d
    // (StopWords = ...)` and `ALTER CONVERSION ... RENAME` passed the guard).
    (concat!("'collation ' || ", nsp!("t.collnamespace"), " || '.' || t.collname"), "pg_catalog.pg_collation t WHERE t.oid = ANY (oa)"),
    (concat!("'conversion ' || ", nsp!("t.connamespace"), " || '.' || t.conname"), "pg_catalog.pg_conversion t WHERE t.oid = ANY (oa)"),
    (concat!("'operator ' || ", nsp!("t.oprnamespace"), " || '.' || t.oprname"), "pg_catalog.pg_operator t WHERE t.oid = ANY (oa)"),
    (concat!("'operator class ' || ", nsp!("t.opcnamespace"), " || '.' || t.opcname"), "pg_catalog.pg_opclass t WHERE t.oid = ANY (oa)"),
    (concat!("'operator family ' || ", nsp!("t.opfnamespace"), " || '.' || t.opfname"), "pg_catalog.pg_opfamily t WHERE t.oid = ANY (oa)"),
    (concat!("'text search configuration ' || ", nsp!("t.cfgnamespace"), " || '.' || t.cfgname"), "pg_catalog.pg_ts_config t WHERE t.oid = ANY (oa)"),
    (concat!("'text search dictionary ' || ", nsp!("t.dictnamespace"), " || '.' || t.dictname"), "pg_catalog.pg_ts_dict t WHERE t.oid = ANY (oa)"),
    (concat!("'text search parser ' || ", nsp!("t.prsnamespace"), " || '.' || t.prsname"), "pg_catalog.pg_ts_parser t WHERE t.oid = ANY (oa)"),
    (concat!("'text search template ' || ", nsp!("t.tmplnamespace"), " || '.' || t.tmplname"), "pg_catalog.pg_ts_template t WHERE t.oid = ANY (oa)"),
    // With `oa`: a comment on public's collation, operator, text search object or statistics object
    // writes pg_description alone (PG 15: `COMMENT ON COLLATION public.coll` passed the guard).
    // With `sa`, the constraints, triggers, rules and policies of public's relations and domains, and
    // every comment on a built-in (an oid below 16384) or on an object of a catalog whose rows are
    // never expert_network's (large objects, publications, event triggers, servers, wrappers,
    // languages, access methods, transforms, subscriptions): each such comment writes pg_description
    // alone (PG 15: `COMMENT ON POLICY ... ON public.t`, `ON LARGE OBJECT`, `ON PUBLICATION`, `ON
    // FUNCTION pg_catalog.now()` passed the guard). The OR makes it one scan of pg_description's
    // index, read only at the baseline and after a migration that wrote a comment.
    ("'comment on ' || pg_catalog.pg_describe_object(t.classoid, t.objoid, t.objsubid)", concat!("pg_catalog.pg_description t WHERE (t.objoid = ANY (ra || fa || ta || ns || oa || sa) OR t.objoid < 16384 OR t.classoid = ANY ('", schemaless_catalogs!(), "'::pg_catalog.regclass[]::pg_catalog.oid[]))")),
    // A foreign table's own options (`ALTER FOREIGN TABLE public.ft OPTIONS (...)`: pg_foreign_table
    // alone, PG 15 passed the guard); its columns' options are pg_attribute's.
    ("'options of foreign table ' || t.ftrelid::pg_catalog.regclass", "pg_catalog.pg_foreign_table t WHERE t.ftrelid = ANY (rt)"),
    // Every schema but the sessions' temporary ones, so a schema created, dropped or renamed (whose
    // objects no oid of the baseline names) moves the state too.
    ("CASE t.nspname WHEN 'public' THEN 'the public schema itself' ELSE 'schema ' || t.nspname END", "pg_catalog.pg_namespace t WHERE t.nspname <> 'expert_network' AND NOT t.nspname OPERATOR(pg_catalog.~) '^pg_(toast_)?temp_'"),
    ("'publication ' || t.pubname", "pg_catalog.pg_publication t WHERE true"),
    ("'event trigger ' || t.evtname", "pg_catalog.pg_event_trigger t WHERE true"),
    // A cast belongs to no schema: one between types of no schema's but expert_network's changes
    // how every application's expressions of those types resolve (PG 15: a body the fence cannot
    // see committed `CREATE CAST (int4 AS text) WITH INOUT AS IMPLICIT` through `up`). One from or
    // to a type of expert_network (an extension's there: citext, hstore) is the migration's; one
    // over a type of public's is a dependency on it, counted above. The 230-odd rows are read
    // whole only at the run's baseline and after a migration that wrote pg_cast.
    ("'cast from ' || pg_catalog.format_type(t.castsource, NULL) || ' to ' || pg_catalog.format_type(t.casttarget, NULL)", "pg_catalog.pg_cast t WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_type y WHERE y.oid IN (t.castsource, t.casttarget) AND y.typnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = 'expert_network'))"),
    // The server's own objects (an oid below 16384, FirstNormalObjectId: none a migration makes),
    // reached through a body the fence cannot see. A grant to a role on one, or an owner given to
    // it, adds a pg_shdepend row (GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_file TO raguser): by
    // the depender index, a probe per catalog that holds built-ins with owners. A grant to PUBLIC adds none: the built-ins whose privileges
    // initdb narrowed (pg_read_file, lo_import, ...: `pb`; pg_authid, pg_statistic, ...: `pr`;
    // looked up with the baseline) are watched row by row. Rows added to a built-in operator family (which every
    // index on its types then uses) or to a built-in text search configuration's mapping (every
    // application's to_tsvector('english', ...)) count too. Not every built-in row: scanning all
    // of pg_proc or pg_type's would double the cost of every migration that writes them, and each
    // catalog watched costs every migration three counter reads.
    ("'a grant or an owner on built-in ' || pg_catalog.pg_describe_object(t.classid, t.objid, t.objsubid)", "pg_catalog.pg_shdepend t WHERE t.dbid = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()) AND t.classid = ANY ('{pg_catalog.pg_proc,pg_catalog.pg_class,pg_catalog.pg_type,pg_catalog.pg_namespace,pg_catalog.pg_language,pg_catalog.pg_operator,pg_catalog.pg_opclass,pg_catalog.pg_opfamily,pg_catalog.pg_collation,pg_catalog.pg_conversion,pg_catalog.pg_ts_config,pg_catalog.pg_ts_dict,pg_catalog.pg_extension}'::pg_catalog.regclass[]::pg_catalog.oid[]) AND t.objid < 16384"),
    ("'built-in ' || pg_catalog.pg_describe_object('pg_catalog.pg_proc'::pg_catalog.regclass, t.oid, 0)", "pg_catalog.pg_proc t WHERE t.oid = ANY (pb)"),
    ("'built-in relation ' || t.relname", "pg_catalog.pg_class t WHERE t.oid = ANY (pr)"),
    ("'an operator of built-in ' || pg_catalog.pg_describe_object('pg_catalog.pg_opfamily'::pg_catalog.regclass, t.amopfamily, 0)", "pg_catalog.pg_amop t WHERE t.amopfamily < 16384"),
    ("'a function of built-in ' || pg_catalog.pg_describe_object('pg_catalog.pg_opfamily'::pg_catalog.regclass, t.amprocfamily, 0)", "pg_catalog.pg_amproc t WHERE t.amprocfamily < 16384"),
    ("'a mapping of built-in ' || pg_catalog.pg_describe_object('pg_catalog.pg_ts_config'::pg_catalog.regclass, t.mapcfg, 0)", "pg_catalog.pg_ts_config_map t WHERE t.mapcfg < 16384"),
    ("'default privileges'", "pg_catalog.pg_default_acl t WHERE (t.defaclnamespace = 0 OR t.defaclnamespace = ANY (ns))"),
    // Every extension outside expert_network, not only public's: `CREATE EXTENSION IF NOT EXISTS x
    // WITH SCHEMA expert_network` does nothing when x is installed elsewhere, and what the migration
    // then does to "its" extension (a comment, a member added, an update) lands on the other one.
    ("'extension ' || t.extname", concat!("pg_catalog.pg_extension t WHERE t.oid IN ", outside_extensions!())),
    ("'comment on ' || pg_catalog.pg_describe_object(t.classoid, t.objoid, t.objsubid)", concat!("pg_catalog.pg_description t WHERE t.classoid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND t.objoid IN ", outside_extensions!())),
    ("'a member of ' || pg_catalog.pg_describe_object(t.refclassid, t.refobjid, 0) || ': ' || pg_catalog.pg_describe_object(t.classid, t.objid, t.objsubid)", concat!("pg_catalog.pg_depend t WHERE t.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND t.refobjid IN ", outside_extensions!())),
    // An object of a watched schema (or an index or trigger on a watched relation) made a member of, or
    // dependent on, an extension inside expert_network: `ALTER EXTENSION citext ADD TABLE
    // public.t` or `ALTER FUNCTION public.f() DEPENDS ON EXTENSION citext` writes one pg_depend row
    // whose referenced side is the extension, which the sources above never read (PG 15: both
    // passed the guard; pg_dump then leaves the member out of public's dump, and expert_network's
    // `DROP EXTENSION citext` drops it). By the extensions' index, then one probe per member of
    // theirs; none without an extension in expert_network. And a member of no schema that is never
    // expert_network's (`ALTER EXTENSION citext ADD EVENT TRIGGER e`, `ADD SERVER`, `ADD FOREIGN DATA
    // WRAPPER`: PG 15 passed the guard, and `DROP EXTENSION citext` then drops it), or a cast over no
    // type of expert_network's (`ADD CAST (int AS bigint)`), tested first and by the row's class.
    ("'a member of ' || pg_catalog.pg_describe_object(t.refclassid, t.refobjid, 0) || ': ' || pg_catalog.pg_describe_object(t.classid, t.objid, t.objsubid)", concat!("pg_catalog.pg_depend t WHERE t.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND t.refobjid IN ", inside_extensions!(), " AND t.deptype IN ('e', 'x') AND ((t.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND t.objid = ANY (ns)) OR t.classid = ANY ('", schemaless_catalogs!(), "'::pg_catalog.regclass[]::pg_catalog.oid[]) OR (t.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND EXISTS (SELECT FROM pg_catalog.pg_cast k WHERE k.oid = t.objid AND NOT EXISTS (SELECT FROM pg_catalog.pg_type y WHERE y.oid IN (k.castsource, k.casttarget) AND y.typnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = 'expert_network')))) OR EXISTS (SELECT FROM pg_catalog.pg_depend n WHERE n.classid = t.classid AND n.objid = t.objid AND ((n.refclassid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND n.refobjid = ANY (ns)) OR (t.classid IN ('pg_catalog.pg_trigger'::pg_catalog.regclass, 'pg_catalog.pg_class'::pg_catalog.regclass) AND n.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND n.refobjid = ANY (ra)))))")),
];

/// PL/pgSQL statements that set the oid arrays (see `SOURCES`).
const LOOKUP: &str = concat!("SELECT coalesce(pg_catalog.array_agg(oid), '{}') INTO ns FROM pg_catalog.pg_namespace WHERE ", outside_schemas!(), ";
  SELECT coalesce(pg_catalog.array_agg(c.oid), '{}'),
         coalesce(pg_catalog.array_agg(c.oid) FILTER (WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')), '{}'),
         coalesce(pg_catalog.array_agg(c.oid) FILTER (WHERE c.relkind = 'S'), '{}')
    INTO ra, rt, rs FROM pg_catalog.pg_class c WHERE c.relnamespace = ANY (ns)
    AND NOT (c.relname IN (", crate::db::tracker::relations!(), ") AND c.relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = 'public'));
  SELECT coalesce(pg_catalog.array_agg(d.objid) FILTER (WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass), '{}'),
         coalesce(pg_catalog.array_agg(d.objid) FILTER (WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass), '{}'),
         coalesce(pg_catalog.array_agg(d.objid) FILTER (WHERE d.classid NOT IN ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass)), '{}')
    INTO fa, ta, oa FROM pg_catalog.pg_depend d
    WHERE d.refclassid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.refobjid = ANY (ns);
  SELECT coalesce(pg_catalog.array_agg(DISTINCT d.classid), '{}') INTO oq FROM pg_catalog.pg_depend d
    WHERE d.refclassid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.refobjid = ANY (ns)
    AND d.classid NOT IN ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass);
  SELECT coalesce(pg_catalog.array_agg(c.oid), '{}'), coalesce(pg_catalog.max(c.oid) FILTER (WHERE c.relkind = 'r'), 0)
    INTO tk, tt FROM pg_catalog.pg_class c WHERE c.relname IN (", crate::db::tracker::relations!(), ")
    AND c.relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = 'public');
  sa := ARRAY(SELECT k.oid FROM pg_catalog.pg_constraint k WHERE k.conrelid = ANY (rt) UNION ALL SELECT k.oid FROM pg_catalog.pg_constraint k WHERE k.contypid = ANY (ta)
      UNION ALL SELECT g.oid FROM pg_catalog.pg_trigger g WHERE g.tgrelid = ANY (rt) UNION ALL SELECT w.oid FROM pg_catalog.pg_rewrite w WHERE w.ev_class = ANY (rt)
      UNION ALL SELECT y.oid FROM pg_catalog.pg_policy y WHERE y.polrelid = ANY (rt));
  pb := ARRAY(SELECT p.oid FROM pg_catalog.pg_proc p WHERE p.oid < 16384 AND p.proacl IS NOT NULL);
  pr := ARRAY(SELECT c.oid FROM pg_catalog.pg_class c WHERE c.oid < 16384 AND c.relacl IS NOT NULL
      AND NOT EXISTS (SELECT FROM pg_catalog.aclexplode(c.relacl) a WHERE a.grantee = 0 AND a.privilege_type = 'SELECT'));");

const DECLARE: &str =
    "ns oid[]; ra oid[]; rt oid[]; rs oid[]; fa oid[]; ta oid[]; oa oid[]; oq oid[]; pb oid[]; pr oid[]; sa oid[]; rq oid[]; tk oid[]; tt oid; b text[]; lv text; xd bigint;";

const OIDS_TEXT: &str = "'|' || ns::text || '|' || ra::text || '|' || rt::text || '|' || rs::text || '|' || fa::text || '|' || ta::text";
/// And how the end reads them back from `b`, the baseline split at `|`. Fields 8 to 11 are public's
/// readable sequences, their exact values, the roles and the memberships (cluster.rs); 12 and 13,
/// after them so the start's fields keep their places, `oa` and `oq`, and 14 and 15 `pb` and `pr` (see `SOURCES`);
/// 16 the lasting counts (`lasting_sql`), 17 and 18 the tracker's relations `tk` and its table `tt`
/// (`TRACKER_ROWS`), 19 `sa`, the constraints, triggers, rules and policies of public's relations and
/// domains (see `SOURCES`), read only where used (`SA_READ`).
const OIDS_READ: &str = "ns := b[2]::oid[]; ra := b[3]::oid[]; rt := b[4]::oid[]; rs := b[5]::oid[]; fa := b[6]::oid[]; ta := b[7]::oid[]; oa := b[12]::oid[]; oq := b[13]::oid[]; pb := b[14]::oid[]; pr := b[15]::oid[]; tk := b[17]::oid[]; tt := b[18]::oid;";

/// PL/pgSQL reading `sa` (field 19), the longest of the baseline's arrays on a public with many
/// constraints and triggers, only where it is used: in the recount of pg_description and on the way
/// to a breach's description. Read with the rest, it cost every migration's end about 100,000
/// instructions on the seed-like public (callgrind).
const SA_READ: &str = "sa := b[19]::oid[];";

/// The rows written to en-migrate's own tracker table (`tt`) so far in this session, as counted for the
/// transaction: taken at a migration's start (`en_migrate.c`) and again at its end, where a
/// difference is the migration's (en-migrate writes its tracker row only after the guard). Its
/// structure is watched with public's (`tk` in `SOURCES`): a trigger, rule, default, check, index
/// expression or policy a migration put on the tracker would run at the tracker row's INSERT, after
/// the guard had looked (PG 15: a trigger made on it through `allow dynamic-sql` emptied
/// public.session when the row went in, and the run reported success). Its rows are not in public's
/// `WRITTEN`, whose counts carry the session's earlier tracker rows from one migration to the next.
const TRACKER_ROWS: &str = "(pg_catalog.pg_stat_get_xact_tuples_inserted(tt) + pg_catalog.pg_stat_get_xact_tuples_updated(tt) + pg_catalog.pg_stat_get_xact_tuples_deleted(tt))::text";

/// The blocks of public's relations but its sequences (`ra` without `rs`: tables, indexes, materialized
/// views) read so far by this session, as counted for the transaction: taken at a migration's start
/// (`en_migrate.c`) and again at its end, where a difference is the migration's own reads. A read
/// changes no catalog row, so nothing else here sees it, and the fence cannot follow a computed name:
/// PG 15, under `allow dynamic-sql`, a DO block's `EXECUTE 'SELECT ... FROM ' || quote_ident('pub' ||
/// 'lic') || '."user"' INTO s` copied every user's email into an expert_network table, and the run
/// reported success (guard_db.rs, `reads_of_public_copied_into_expert_network_are_refused`). The counter takes every read of the relation's pages, through
/// any function, view or index, in any subtransaction (a rolled-back one too), and is not flushed
/// within the transaction. Neither en-migrate nor a migration the fence passes reads public's
/// relations (the tracker's are not among them); a key of another application's table referencing
/// expert_network's is checked by reading that table, so a migration that deletes or updates the
/// referenced rows is refused too, and says so.
const PUBLIC_READS: &str = "(SELECT coalesce(pg_catalog.sum(pg_catalog.pg_stat_get_xact_blocks_fetched(r)), 0)::text FROM pg_catalog.unnest(ra) r WHERE NOT r = ANY (rs))";

/// The state of public: per source, how many rows there are and how many of them this transaction
/// wrote (`age(xmin) <= 0`: its own row versions, subtransactions' included); an insert or a delete
/// moves the first, an update (ALTER, GRANT, TRUNCATE's new relfilenode) writes a new row version and
/// moves the second, which is always 0 before a migration. And how many rows this transaction wrote to
/// public's tables. Cheap: no text per row. Taken whole by a run's first migration.
fn state_sql() -> String {
    let parts: Vec<String> = SOURCES.iter().map(|(_, from)| part_sql(from)).collect();
    format!("pg_catalog.concat_ws(',', {}, {WRITTEN})", parts.join(", "))
}

/// A catalog row `t` written by this transaction (or one of its subtransactions). `age(xmin) <= 0`
/// alone also takes the rows of other sessions' transactions that began after this one and have
/// committed since (issue 13: another application's CREATE TABLE was blamed on the migration), so a
/// row that passes it is kept only if its transaction is still in progress: a visible row whose
/// transaction is in progress is this transaction's. The row's 64-bit xid, which `txid_status` takes
/// (pg_xact_status under its PostgreSQL 10 name, taking a bigint), is `xd - age(xmin)`: `age` counts
/// back from one xid fixed for the whole transaction, whose 64-bit value is `xd` (`XID`). Integer
/// arithmetic only: the same widening through text casts (`xmin::text::bigint`, `::text::xid8`) cost
/// every query about 9,000 instructions to set up, a fifth of a one-row lookup's (callgrind). Without
/// an xid, this transaction wrote nothing, and `xd` is NULL. CASE, so the status is looked up only
/// for the few rows that pass.
const OWN: &str = "CASE WHEN pg_catalog.age(t.xmin) <= 0 THEN pg_catalog.txid_status(xd - pg_catalog.age(t.xmin)) = 'in progress' END";

/// PL/pgSQL setting `xd` for `OWN`: the 64-bit value of the xid `age()` counts from in this
/// transaction (its own xid, or the next one as it was when `age()` was first called here, before the
/// transaction had one: `age` of its own xid says how far apart the two are), NULL if it has none.
/// Read once where the guard starts reading the catalogs, which writes nothing, so it cannot change
/// under the queries: as a variable it is a parameter of their plans, where a join to the function in
/// every query cost each of them a plan node to start and end (about a tenth of a small migration's
/// check, callgrind).
const XID: &str = "xd := pg_catalog.pg_current_xact_id_if_assigned()::text::bigint; xd := xd + pg_catalog.age((xd & 4294967295)::text::xid);";

/// One source's part of the state.
fn part_sql(from: &str) -> String {
    format!(
        "(SELECT pg_catalog.count(*) || '/' || pg_catalog.count(*) FILTER (WHERE {OWN}) FROM {from})"
    )
}

/// The last part of the state: rows this transaction wrote to public's tables.
const WRITTEN: &str = "(SELECT coalesce(pg_catalog.sum(pg_catalog.pg_stat_get_xact_tuples_inserted(r) + pg_catalog.pg_stat_get_xact_tuples_updated(r) + pg_catalog.pg_stat_get_xact_tuples_deleted(r)), 0) FROM pg_catalog.unnest(rt) r)";

/// Catalogs recomputed only when this transaction updated them: their sources watch what only an
/// update changes, and their inserts and deletes move other sources too. pg_index takes an insert
/// from every index a migration makes, so its count is read only for the few that update one.
const UPDATED_ONLY: &[&str] = &["pg_catalog.pg_index"];

/// PL/pgSQL that recomputes, after a migration, only the parts of the state whose catalog this
/// transaction wrote (`pg_stat_get_xact_tuples_*`; a catalog it did not write cannot have changed
/// through it) into `parts`, which holds the state before. The counters also hold the session's
/// writes not yet flushed to the statistics (about a second's worth), so a catalog is recomputed more
/// often than needed, never less. One test per catalog and one statement per source, so the executor
/// starts only the scans it needs; and none for a source that an empty oid array leaves without rows
/// (`no_rows_without`: on an empty public most of them), whose part is then the baseline's "0/0" as
/// it was taken over the same arrays. Each statement costs about 100,000 instructions to start and
/// end even when it reads nothing (callgrind, PG 15): on an empty public that was half the check.
fn recompute_sql() -> String {
    let mut sql = String::new();
    // One test per catalog, however many sources read it. Every source's FROM starts with its
    // catalog's name.
    let catalog = |from: &str| {
        from.split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let mut catalogs: Vec<String> = Vec::new();
    for (_, from) in SOURCES {
        if !catalogs.contains(&catalog(from)) {
            catalogs.push(catalog(from));
        }
    }
    for c in catalogs {
        let kinds: &[&str] = if UPDATED_ONLY.contains(&c.as_str()) {
            &["updated"]
        } else {
            &["inserted", "updated", "deleted"]
        };
        let writes = kinds
            .iter()
            .map(|w| format!("pg_catalog.pg_stat_get_xact_tuples_{w}('{c}'::pg_catalog.regclass)"))
            .collect::<Vec<_>>()
            .join(" + ");
        sql += &format!("  IF {writes} > 0 THEN\n");
        if SOURCES
            .iter()
            .any(|(_, from)| catalog(from) == c && from.contains(" sa)"))
        {
            sql += &format!("    {SA_READ}\n");
        }
        for (i, (_, from)) in SOURCES.iter().enumerate() {
            if catalog(from) == c {
                let set = format!("parts[{}] := {};", i + 1, part_sql(from));
                let arrays = no_rows_without(from);
                if arrays.is_empty() {
                    sql += &format!("    {set}\n");
                } else {
                    let some: Vec<String> = arrays
                        .iter()
                        .map(|a| format!("pg_catalog.cardinality({a}) > 0"))
                        .collect();
                    sql += &format!("    IF {} THEN {set} END IF;\n", some.join(" AND "));
                }
            }
        }
        sql += "  END IF;\n";
    }
    // Over public's tables (`rt`): none, no rows written to them.
    sql += &format!(
        "  IF pg_catalog.cardinality(rt) > 0 THEN parts[{}] := {WRITTEN}; END IF;\n",
        SOURCES.len() + 1
    );
    sql
}

/// The oid arrays whose emptiness leaves source `from` no row: those its condition requires a column
/// to be in, as a top-level conjunct `t.col = ANY (array)` (`= ANY` of an empty array is false for
/// every row). None where the condition has a top-level OR, or names the arrays only inside an
/// expression (`ANY (ra || fa)`, `(... OR t.x = ANY (ns))`).
fn no_rows_without(from: &str) -> Vec<&str> {
    let Some((_, cond)) = from.split_once(" t WHERE ") else {
        return Vec::new();
    };
    // The condition cut at its top-level ANDs: outside parentheses and quotes.
    let (mut conjuncts, mut depth, mut quoted, mut start) = (Vec::new(), 0i32, false, 0);
    let mut i = 0;
    while i < cond.len() {
        let rest = &cond[i..];
        match rest.as_bytes()[0] {
            b'\'' => quoted = !quoted,
            b'(' if !quoted => depth += 1,
            b')' if !quoted => depth -= 1,
            _ if quoted || depth != 0 => {}
            _ if rest.starts_with(" OR ") => return Vec::new(),
            _ if rest.starts_with(" AND ") => {
                conjuncts.push(&cond[start..i]);
                start = i + " AND ".len();
                i = start;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    conjuncts.push(&cond[start..]);
    let ident = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    conjuncts
        .into_iter()
        .filter_map(|c| {
            let (col, array) = c.trim().strip_prefix("t.")?.split_once(" = ANY (")?;
            let array = array.strip_suffix(')')?;
            (ident(col) && ident(array)).then_some(array)
        })
        .collect()
}

/// The catalogs whose built-in rows (an oid below 16384) a superuser can change in place, none of
/// them watched row by row in `SOURCES`: `ALTER FUNCTION pg_catalog.upper(text) RENAME TO x`, `COST`,
/// `SET`, `REVOKE EXECUTE ... FROM PUBLIC` (on PG 15 each of these passed the guard and committed,
/// and every application's upper() was gone), `ALTER OPERATOR pg_catalog.= ... SET (RESTRICT = ...)`,
/// `ALTER TEXT SEARCH DICTIONARY pg_catalog.english_stem (StopWords = ...)`, a rename of a built-in
/// collation, conversion, operator class or family, parser, template or language. Such a change
/// updates the object's row; a built-in row cannot be inserted or deleted (initdb pins them). Not
/// pg_class: nearly every migration updates its rows (relhasindex, relnatts, ...), so its ~400
/// built-ins would be read at the end of nearly every migration; its built-ins' grants are `pr`'s.
const BUILT_IN_CATALOGS: &[&str] = &[
    "pg_proc",
    "pg_type",
    "pg_operator",
    "pg_opclass",
    "pg_opfamily",
    "pg_collation",
    "pg_conversion",
    "pg_language",
    "pg_ts_config",
    "pg_ts_dict",
    "pg_ts_parser",
    "pg_ts_template",
];

/// PL/pgSQL for the end of a migration: the built-in rows of `BUILT_IN_CATALOGS` this transaction
/// updated, added to `found`. The rows are read only for a catalog this transaction updated
/// (`pg_stat_get_xact_tuples_updated`), so a migration that updates none of them (creating tables,
/// indexes, functions, types: inserts) pays one expression of counter reads; one that does (CREATE
/// OR REPLACE of an existing function, ALTER TYPE) reads that catalog's built-ins by the oid index
/// (pg_proc's 3,000: about half a millisecond on PG 15).
fn built_ins_sql() -> String {
    let updated = |c: &str| {
        format!("pg_catalog.pg_stat_get_xact_tuples_updated('pg_catalog.{c}'::pg_catalog.regclass)")
    };
    let all: Vec<String> = BUILT_IN_CATALOGS.iter().map(|c| updated(c)).collect();
    // One statement: each branch's counter test is a one-time filter, so only the catalogs this
    // transaction updated are read.
    let branches: Vec<String> = BUILT_IN_CATALOGS
        .iter()
        .map(|c| {
            let from = format!("pg_catalog.{c} t WHERE {} > 0 AND t.oid < 16384", updated(c));
            format!("SELECT pg_catalog.pg_describe_object('pg_catalog.{c}'::pg_catalog.regclass, t.oid, 0) FROM {from} AND {OWN}")
        })
        .collect();
    format!(
        "  IF {} > 0 THEN\n    SELECT pg_catalog.string_agg('built-in ' || x, '; ') INTO bi FROM ({}) d(x);\n    IF bi IS NOT NULL THEN\n      found := found || (bi || ' changed: a built-in is every schema''s');\n    END IF;\n  END IF;\n",
        all.join(" + "),
        branches.join("\n      UNION ALL ")
    )
}

/// The catalogs of objects that live in a schema, with their schema column: where a migration could
/// make one in pg_catalog or information_schema (see `made_in_server_schemas_sql`).
const MADE_IN: &[(&str, &str)] = &[
    ("pg_class", "relnamespace"),
    ("pg_type", "typnamespace"),
    ("pg_proc", "pronamespace"),
    ("pg_operator", "oprnamespace"),
    ("pg_opclass", "opcnamespace"),
    ("pg_opfamily", "opfnamespace"),
    ("pg_collation", "collnamespace"),
    ("pg_conversion", "connamespace"),
    ("pg_statistic_ext", "stxnamespace"),
    ("pg_ts_config", "cfgnamespace"),
    ("pg_ts_dict", "dictnamespace"),
    ("pg_ts_parser", "prsnamespace"),
    ("pg_ts_template", "tmplnamespace"),
];

/// A lower bound of every oid handed out after it, taken at a migration's start: the largest type
/// oid. Oids come from one counter for the whole server, so anything made later has a larger one,
/// until the counter wraps around past 2^32 (then a new object may hide below it).
const OID_MARK: &str = "(SELECT pg_catalog.max(t.oid) FROM pg_catalog.pg_type t)::text";

/// PL/pgSQL for the end of a migration: the objects this transaction made in pg_catalog or
/// information_schema (`sys`), added to `found`. The rest of the guard leaves those schemas to the
/// server, and pg_catalog is pinned, so what is made there leaves no dependency row to count; yet a
/// type made there is what every application's unqualified name finds (PG 15: a range's
/// `MULTIRANGE_TYPE_NAME = pg_catalog.session` shadowed BetterAuth's public.session). Read by the oid
/// index from `lo0`, this migration's `OID_MARK`, so only rows newer than the migration's start are
/// read, and only in the catalogs this transaction inserted into; `OWN`, so another session's objects
/// are not the migration's. An object moved there (`ALTER ... SET SCHEMA pg_catalog`) keeps its old
/// oid and is not seen here: the fence refuses it, and `up` refuses to start while pg_catalog holds a
/// relation, type, function or operator the server did not make.
fn made_in_server_schemas_sql() -> String {
    let mut sql = String::new();
    for (c, nsp) in MADE_IN {
        sql += &format!(
            "  IF pg_catalog.pg_stat_get_xact_tuples_inserted('pg_catalog.{c}'::pg_catalog.regclass) > 0 THEN
    SELECT pg_catalog.string_agg(pg_catalog.pg_describe_object('pg_catalog.{c}'::pg_catalog.regclass, t.oid, 0), '; ') INTO what
      FROM pg_catalog.{c} t WHERE t.oid > lo0 AND t.{nsp} = ANY (sys) AND {OWN};
    IF what IS NOT NULL THEN
      found := found || (what || ' made in pg_catalog or information_schema, the server''s own schemas, whose names every application finds');
    END IF;
  END IF;
"
        );
    }
    sql
}

/// Whether the pg_catalog.pg_depend row `t`'s dependent object is another session's temporary one (a
/// temporary table's column of a watched type, a temporary view over a watched table, a default, a
/// constraint, a trigger or a function in a temporary schema). By index, one probe per row: read only
/// for the run's baseline and when the state moved with nothing of the migration's to explain it.
const TEMP_DEPENDER: &str = "(t.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = t.objid AND c.relpersistence = 't'))
      OR (t.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND EXISTS (SELECT FROM pg_catalog.pg_rewrite w JOIN pg_catalog.pg_class c ON c.oid = w.ev_class WHERE w.oid = t.objid AND c.relpersistence = 't'))
      OR (t.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND EXISTS (SELECT FROM pg_catalog.pg_attrdef d JOIN pg_catalog.pg_class c ON c.oid = d.adrelid WHERE d.oid = t.objid AND c.relpersistence = 't'))
      OR (t.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND EXISTS (SELECT FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid WHERE k.oid = t.objid AND c.relpersistence = 't'))
      OR (t.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND EXISTS (SELECT FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid WHERE g.oid = t.objid AND c.relpersistence = 't'))
      OR (t.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND EXISTS (SELECT FROM pg_catalog.pg_type y JOIN pg_catalog.pg_namespace n ON n.oid = y.typnamespace WHERE y.oid = t.objid AND n.nspname OPERATOR(pg_catalog.~) '^pg_temp_'))
      OR (t.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND EXISTS (SELECT FROM pg_catalog.pg_proc f JOIN pg_catalog.pg_namespace n ON n.oid = f.pronamespace WHERE f.oid = t.objid AND n.nspname OPERATOR(pg_catalog.~) '^pg_temp_'))";

/// Whether the pg_catalog.pg_inherits row `t`'s child is a temporary table (another session's
/// `CREATE TEMP TABLE x () INHERITS (public.t)`; a temporary partition of a permanent table the server
/// refuses). By index, one probe per row, read where `TEMP_DEPENDER` is.
const TEMP_CHILD: &str = "EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = t.inhrelid AND c.relpersistence = 't')";

/// The sources whose rows another session's temporary objects add and take away (see `lasting_sql`),
/// with what marks such a row: the dependencies on watched objects, and the children of watched
/// tables (a temporary table cannot be a parent of a lasting one: "inheritance of" needs nothing).
fn temp_prone(from: &str) -> Option<&'static str> {
    if from.starts_with("pg_catalog.pg_depend t WHERE")
        && !from.contains("pg_namespace")
        && !from.contains("pg_extension")
    {
        Some(TEMP_DEPENDER)
    } else if from == "pg_catalog.pg_inherits t WHERE t.inhparent = ANY (ra)" {
        Some(TEMP_CHILD)
    } else {
        None
    }
}

/// How many rows each temp-prone source holds without other sessions' temporary dependers and children, as text:
/// taken with the run's baseline, and again when the state moved with nothing of the migration's
/// to explain it, so that the temporary objects other applications' sessions make and drop over
/// public's tables and types all the time are not taken for a change of public.
fn lasting_sql() -> String {
    let parts: Vec<String> = SOURCES
        .iter()
        .filter_map(|(_, from)| Some((from, temp_prone(from)?)))
        .map(|(from, temp)| format!("(SELECT pg_catalog.count(*) FROM {from} AND NOT ({temp}))"))
        .collect();
    format!("pg_catalog.concat_ws(',', {})", parts.join(", "))
}

/// Whether every part of the state but the temp-prone ones is as the baseline's (`p0`).
fn others_unmoved_sql() -> String {
    let mut same: Vec<String> = SOURCES
        .iter()
        .enumerate()
        .filter(|(_, (_, from))| temp_prone(from).is_none())
        .map(|(i, _)| format!("parts[{k}] IS NOT DISTINCT FROM p0[{k}]", k = i + 1))
        .collect();
    same.push(format!(
        "parts[{k}] IS NOT DISTINCT FROM p0[{k}]",
        k = SOURCES.len() + 1
    ));
    same.join(" AND ")
}

/// On a breach only: the rows this transaction wrote (`age(xmin) <= 0`: its own row versions and later
/// ones), described for the error message, and the tables it wrote rows to.
fn detail_sql() -> String {
    let parts: Vec<String> = SOURCES
        .iter()
        .map(|(what, from)| format!("SELECT {what} FROM {from} AND {OWN}"))
        .collect();
    format!(
        "SELECT pg_catalog.string_agg(DISTINCT x, '; ') FROM ({}
           UNION ALL SELECT 'rows written to ' || r::pg_catalog.regclass FROM pg_catalog.unnest(ra) r
             WHERE pg_catalog.pg_stat_get_xact_tuples_inserted(r) + pg_catalog.pg_stat_get_xact_tuples_updated(r) + pg_catalog.pg_stat_get_xact_tuples_deleted(r) > 0) d(x)",
        parts.join("\n UNION ALL ")
    )
}

/// PL/pgSQL that opens a migration: the lock (polled by the caller: it raises `EN002` when busy), the
/// check that nobody applied anything since the tracker was read (`EN003`), the start time, and (with
/// `guard`) the check that the statistics the guard counts on are kept, the run's baseline when `base`
/// is NULL (the state of public, the oids it was taken over, public's sequences and the roles: see
/// `OIDS_TEXT` and cluster.rs) and this migration's starting point (`en_migrate.c`: public's sequence
/// values and reads, the role catalogs' and `cluster::WIDE_CATALOGS`' write counters). Returns the baseline.
/// `last_id` is the last tracker id seen, or NULL before the tracker exists.
pub(crate) fn begin_body(lock_key: i64, params: &str) -> String {
    format!(
        "DECLARE {params} {DECLARE} seqx text; roles text; members text; sv text;
BEGIN
  IF NOT pg_catalog.pg_try_advisory_xact_lock({lock_key}) THEN
    RAISE EXCEPTION 'another en-migrate holds the migration lock' USING ERRCODE = '{LOCK_BUSY}';
  END IF;
  -- Nested, so the query (which needs the tracker to exist) is planned only when there is one. max()
  -- reads one end of the primary key whatever the plan; `id > last_id` could be planned as a scan of
  -- the whole tracker, which grows with every migration.
  IF last_id IS NOT NULL THEN
    IF (SELECT pg_catalog.max(id) FROM {TRACKER}) > last_id THEN
      RAISE EXCEPTION 'the tracker changed since it was read' USING ERRCODE = '{STALE}';
    END IF;
  END IF;
  -- Assignments, not PERFORM: a plain expression is evaluated without starting the executor.
  lv := pg_catalog.set_config('en_migrate.t0', pg_catalog.clock_timestamp()::text, true);
  IF guard THEN
    IF pg_catalog.current_setting('track_counts') <> 'on' THEN
      RAISE EXCEPTION 'track_counts is off in this session, and the database-side check counts on it'
        USING ERRCODE = '{BREACH}', HINT = 'turn track_counts on for the role and database en-migrate runs as (ALTER ROLE ... RESET track_counts)';
    END IF;
    IF base IS NULL THEN
      {LOOKUP}
    {SEQ_BASELINE}
    {wide_oids}
    {roles}
      {XID}
      base := {state} || {OIDS_TEXT} || '|' || rq::text || '|' || seqx || '|' || roles || '|' || members || '|' || oa::text || '|' || oq::text || '|' || pb::text || '|' || pr::text || '|' || {lasting} || '|' || tk::text || '|' || tt::text || '|' || sa::text;
    ELSE
      -- Known: `base` holds only what the start needs, public's sequences, the tracker table and
      -- public's relations (`rs|rq|tt|ra`; see begin_sql).
      b := pg_catalog.string_to_array(base, '|');
      rs := b[1]::oid[]; rq := b[2]::oid[]; tt := b[3]::oid; ra := b[4]::oid[];
    END IF;
    -- The values first: reading them counts as reads of the sequences. Over no sequence both are
    -- '', read without a query.
    sv := ''; lv := '';
    IF pg_catalog.cardinality(rq) > 0 THEN sv := {SEQ_VALUES}; END IF;
    IF pg_catalog.cardinality(rs) > 0 THEN lv := {SEQ_READS}; END IF;
    lv := pg_catalog.set_config('en_migrate.c', sv || ';' || lv || ';' || {counters} || ';' || {OID_MARK} || ';' || {wide} || ';' || {TRACKER_ROWS} || ';' || {PUBLIC_READS}, true);
  END IF;
  {ret}
END",
        state = state_sql(),
        lasting = lasting_sql(),
        roles = cluster::baseline_sql(),
        counters = cluster::role_counters_sql(),
        wide = cluster::wide_counters_sql(),
        wide_oids = cluster::wide_oids_check_sql(),
        ret = if params.is_empty() {
            "RETURN base;"
        } else {
            "PERFORM pg_catalog.set_config('en_migrate.before', base, true);"
        },
    )
}

/// PL/pgSQL that closes a migration, given the baseline (`base`, from the runner, never from a setting
/// the migration could have rewritten) and who the session must be (`expect`: current user, session
/// user, track_counts, as `en_migrate.who` holds them; see `WHO`). Collects every finding: the session
/// left changed, public's sequences moved (`EN004`: a rollback does not undo it), the roles changed,
/// and public's catalog state against the baseline (`EN001`). The state is taken over the baseline's
/// oids, not looked up again (finding public's relations means reading all of pg_class, which grows
/// with every migration): an object that is new in public depends on the schema or on one of its
/// relations, so it moves a part of the state all the same. A state that moved with no row written by
/// this transaction and no lock of its on public's objects was moved by another session (`EN005`).
/// A drop leaves no row to describe, only its lock: on a sequence of public's (whose reads and
/// nextval take the weak modes, any other is a drop or an ALTER), on a constraint, trigger, rule or
/// policy of public's (`sa`: `ALTER DOMAIN public.d DROP CONSTRAINT` locks the constraint alone), or
/// the deletion lock on a publication or an event trigger that is gone, all of which are others' (PG
/// 15: each of these was blamed on another session, and retried). Gone, not only locked: `ALTER
/// PUBLICATION supabase_realtime ADD TABLE expert_network.t`, which a migration may do, takes the
/// same lock on the publication.
fn end_body(params: &str) -> String {
    format!(
        "DECLARE {params} {DECLARE}
  parts text[];
  c text[] := pg_catalog.string_to_array(pg_catalog.current_setting('en_migrate.c', true), ';');
  sv0 text := c[1]; sr0 text := c[2]; rc0 text := c[3]; rc1 text;
  lo0 oid := coalesce(c[4]::oid, 16383); wc0 text := c[5]; wc1 text;
  sys oid[] := ARRAY['pg_catalog'::pg_catalog.regnamespace::oid, coalesce(pg_catalog.to_regnamespace('information_schema')::oid, 0)];
  who text := pg_catalog.current_setting('en_migrate.who', true);
  found text[] := '{{}}'; moved boolean := false; other text; bi text;
  after text; what text; c0 text[]; c1 text[]; v0 text[]; x0 text[]; j int; ic boolean; ov text; oc boolean;
  p0 text[]; rd boolean;
BEGIN
  {XID}
  b := pg_catalog.string_to_array(base, '|');
  parts := pg_catalog.string_to_array(b[1], ',');
  {OIDS_READ} rq := b[8]::oid[];
  IF c IS NULL THEN
    found := found || 'the state en-migrate took at the start of the migration is gone'::text;
  END IF;
  IF {TRACKER_ROWS} IS DISTINCT FROM c[6] THEN
    found := found || ('rows written to en-migrate''s tracker ' || tt::pg_catalog.regclass::text || ', which only en-migrate writes');
  END IF;
  -- Read first, before anything of the check's own: a finding only where no write is (`PUBLIC_READS`).
  rd := {PUBLIC_READS} IS DISTINCT FROM c[7];
  IF who IS DISTINCT FROM expect THEN
    found := found || ('the migration left the session as ' || coalesce(who, '?') || ' (current user/session user/track_counts) where en-migrate expects ' || expect || ': SET ROLE, SET SESSION AUTHORIZATION and track_counts are not put back after a migration');
  END IF;
{sequences}  rc1 := {counters};
{roles}{wide}{built_ins}{made}{recompute}  after := pg_catalog.array_to_string(parts, ',');
  IF after IS DISTINCT FROM b[1] THEN
    {SA_READ}
    {detail} INTO what;
    IF what IS NULL AND EXISTS (SELECT FROM pg_catalog.pg_locks l WHERE l.pid = pg_catalog.pg_backend_pid()
        AND ((l.locktype = 'relation' AND l.relation = ANY (ra) AND (NOT l.relation = ANY (rs) OR l.mode NOT IN ('AccessShareLock', 'RowExclusiveLock')))
          OR (l.locktype = 'object' AND (l.objid = ANY (fa || ta || oa || ns || sa) OR (l.mode = 'AccessExclusiveLock' AND ((l.classid = 'pg_catalog.pg_publication'::pg_catalog.regclass AND NOT EXISTS (SELECT FROM pg_catalog.pg_publication p WHERE p.oid = l.objid))
            OR (l.classid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass AND NOT EXISTS (SELECT FROM pg_catalog.pg_event_trigger e WHERE e.oid = l.objid)))))))) THEN
      what := 'objects outside schema expert_network were dropped or changed';
    END IF;
    IF what IS NOT NULL THEN
      found := found || (what || ' (catalog state ' || b[1] || ' -> ' || after || ')');
    ELSE
      -- The baseline's parts, read only here: `parts` now holds this migration's.
      p0 := pg_catalog.string_to_array(b[1], ',');
      IF NOT ({others_unmoved} AND {lasting} IS NOT DISTINCT FROM b[16]) THEN
        other := 'objects outside schema expert_network appeared, changed or went while the migration ran, none of them by it (catalog state ' || b[1] || ' -> ' || after || ')';
      END IF;
    END IF;
  END IF;
  -- Every write reads what it writes: a read is named only where nothing else was found.
  IF rd AND pg_catalog.cardinality(found) = 0 THEN
    found := found || ('data of ' || coalesce((SELECT pg_catalog.string_agg(r::pg_catalog.regclass::text, ', ') FROM pg_catalog.unnest(ra) r WHERE NOT r = ANY (rs) AND pg_catalog.pg_stat_get_xact_blocks_fetched(r) > 0), 'relations outside schema expert_network') || ' read by the migration: another application''s rows copied into expert_network are a breach too (a foreign key of another application''s table that references expert_network''s rows is checked by reading it)');
  END IF;
  IF moved THEN
    RAISE EXCEPTION 'the migration moved sequences of schema public'
      USING ERRCODE = '{MOVED}', DETAIL = pg_catalog.array_to_string(found, '; '),
            HINT = 'the migration was rolled back, but sequence values are not: put them back as shown, then keep every change inside expert_network';
  ELSIF pg_catalog.cardinality(found) > 0 THEN
    RAISE EXCEPTION 'the migration changed something outside schema expert_network'
      USING ERRCODE = '{BREACH}', DETAIL = pg_catalog.array_to_string(found, '; '),
            HINT = 'the migration was rolled back; keep every change inside expert_network';
  ELSIF other IS NOT NULL THEN
    RAISE EXCEPTION 'another session changed objects outside schema expert_network while the migration ran'
      USING ERRCODE = '{CONCURRENT}', DETAIL = other, HINT = 'the migration was rolled back; run up again';
  END IF;
END",
        sequences = cluster::sequences_check_sql(),
        counters = cluster::role_counters_sql(),
        roles = cluster::roles_check_sql(),
        wide = cluster::wide_check_sql(),
        recompute = recompute_sql(),
        built_ins = built_ins_sql(),
        made = made_in_server_schemas_sql(),
        detail = detail_sql(),
        lasting = lasting_sql(),
        others_unmoved = others_unmoved_sql(),
    )
}

/// The settings of the guard's functions. `search_path` first: whatever path the migration left, the
/// guard's operators and casts resolve in pg_catalog only. Its plans are generic, planned once for any
/// oids (`force_generic_plan`: left to choose, the planner keeps re-planning the queries whose arrays
/// are empty). A generic plan would read small catalogs such as pg_attrdef or pg_constraint whole and
/// test every row against every oid, a cost that grows with every migration's new rows; by index it is
/// one probe per oid, and a plain index scan is cheaper than a bitmap for the few rows each returns.
/// `jit = off` because before PostgreSQL 17 a disabled scan is costed so high that JIT would compile
/// the plan (hundreds of milliseconds).
const END_SETTINGS: &str = "SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan SET enable_seqscan = off SET enable_bitmapscan = off SET jit = off";

/// A per-process suffix for the guard's function names, so a migration cannot replace them with
/// functions of its own in pg_temp by guessing their names.
pub(crate) fn tag() -> &'static str {
    static TAG: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TAG.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        format!("{:016x}", h.finish())
    })
}

/// The start of the session functions' names: an error that names it, raised by the opening, means the
/// server session lacks them (`apply::Attempt::GuardGone`).
pub const SESSION_FUNCTION_PREFIX: &str = "pg_temp.en_migrate_begin_";

/// Whether a run applying `migrations` creates the session functions: creating them (and pg_temp)
/// costs more than inline planning saves on a handful of migrations. `up` decides by it, and
/// `up --dry-run --sql` shows what `up` would send.
pub fn worth_session_functions(migrations: usize) -> bool {
    migrations > 3
}

/// Functions created once per session in pg_temp, so PL/pgSQL plans the state queries once per session
/// rather than once per migration (compiling the inline form costs milliseconds per migration). A
/// temporary function lives on one server session only: through a transaction pooler a later
/// transaction may reach another one, where the opening's call fails before anything of the migration
/// ran, and the run sends the inline forms below from then on. The name carries a random tag per
/// process, so no other runner's functions are ever called.
///
/// Created without PL/pgSQL's validator (`check_function_bodies`, for this message's implicit
/// transaction only): it compiles the whole body to check its syntax and throws the result away, and
/// the first call compiles it again. That was about half of the creation's 7-10 ms, once per run; the
/// body is en-migrate's own, and a mistake in it still fails at the first call, before any migration.
pub fn session_functions(lock_key: i64) -> String {
    let t = tag();
    format!(
        "SET LOCAL check_function_bodies = off;\n\
         CREATE OR REPLACE FUNCTION pg_temp.en_migrate_begin_{t}(last_id bigint, guard boolean, base text) RETURNS text LANGUAGE plpgsql {END_SETTINGS} AS $en$\n{}\n$en$;\n\
         CREATE OR REPLACE FUNCTION pg_temp.en_migrate_end_{t}(base text, expect text) RETURNS void LANGUAGE plpgsql {END_SETTINGS} AS $en$\n{}\n$en$;\n",
        begin_body(lock_key, ""),
        end_body("")
    ) + &session_function_oids()
}

/// What the opening knows of public's state.
pub enum Baseline<'a> {
    /// Not needed (the tracker's own transaction).
    None,
    /// Take it now, and return it as the first row of the message's results.
    Take,
    /// Known from this run's first migration: nothing can have changed public since but a breach
    /// (which stops the run) or another session, so one state query per migration is enough.
    Known(&'a str),
}

/// The statements that open a migration, after BEGIN and the SET LOCALs.
pub fn begin_sql(
    session_functions: bool,
    lock_key: i64,
    last_id: Option<i64>,
    baseline: &Baseline<'_>,
) -> String {
    let last = last_id.map_or("NULL".to_string(), |i| i.to_string());
    let guard = !matches!(baseline, Baseline::None);
    // The start needs only public's sequences, the tracker table and public's relations of the
    // baseline (fields 5, 8, 18 and 3, see `OIDS_READ`; `PUBLIC_READS`); the whole of it goes to the end.
    let base = match baseline {
        Baseline::Known(b) => {
            let f: Vec<&str> = b.split('|').collect();
            let field = |i: usize| f.get(i).copied().unwrap_or("{}");
            crate::db::literal(&format!(
                "{}|{}|{}|{}",
                field(4),
                field(7),
                field(17),
                field(2)
            ))
        }
        _ => "NULL".to_string(),
    };
    if session_functions {
        format!(
            "SELECT pg_temp.en_migrate_begin_{}({last}, {guard}, {base});\n",
            tag()
        )
    } else {
        let mut sql = format!(
            "DO $en$ {} $en$;\n",
            begin_body(
                lock_key,
                &format!(
                    "last_id bigint := {last}; guard boolean := {guard}; base text := {base};"
                ),
            )
        );
        if matches!(baseline, Baseline::Take) {
            sql += "SELECT pg_catalog.current_setting('en_migrate.before', true);\n";
        }
        sql
    }
}

/// After `end_sql`, for a file under `-- en-migrate: allow dynamic-sql`: no function of expert_network
/// whose catalog row this transaction wrote may be SECURITY DEFINER. A DO block's computed `EXECUTE`
/// may make one the fence never read, and it runs with its owner's rights (the runner's) for every
/// caller granted EXECUTE, the application's role by default, after this check: PG 15 through `up`, a
/// DO block's `EXECUTE 'CREATE FUNCTION expert_network.' || 'run(q text) ... SECURITY ' || 'DEFINER
/// ... EXECUTE q'` applied, and raguser's call of it with `ALTER ROLE raguser SUPERUSER` made it a
/// superuser (guard_db.rs). A file with the opt-in makes its definers in another file. Read under the
/// path `end_sql` pinned, with its operators qualified all the same.
pub const NO_DYNAMIC_DEFINERS: &str = concat!(
    "DO $en$ DECLARE d text; BEGIN SELECT pg_catalog.string_agg(p.oid::pg_catalog.regprocedure::text, ', ') INTO d ",
    "FROM pg_catalog.pg_proc p WHERE p.pronamespace OPERATOR(pg_catalog.=) ",
    "(SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname OPERATOR(pg_catalog.=) 'expert_network'::pg_catalog.name) ",
    "AND p.prosecdef AND pg_catalog.age(p.xmin) OPERATOR(pg_catalog.<=) 0; IF d IS NOT NULL THEN ",
    "RAISE EXCEPTION 'the migration made or altered a SECURITY DEFINER function of expert_network under allow dynamic-sql' ",
    "USING ERRCODE = 'EN001', DETAIL = 'SECURITY DEFINER under allow dynamic-sql: ' || d, ",
    "HINT = 'computed SQL may have made it unseen by the fence, and it would run with the owner''s rights for every caller: make SECURITY DEFINER functions in a file without the opt-in'; ",
    "END IF; END $en$;\n"
);

/// Who the session is at the end of a migration, read before anything resets it: the current user
/// (`SET ROLE`), the session user (`SET SESSION AUTHORIZATION`) and `track_counts`, whose session
/// value `RESET ALL` would put back before the guard could see it. Keywords and qualified functions
/// only, so no search_path the migration set can reach it.
pub const WHO: &str = "SELECT pg_catalog.set_config('en_migrate.who', pg_catalog.concat_ws('/', CURRENT_USER, SESSION_USER, pg_catalog.current_setting('track_counts')), true);\n";

/// Runs now what the migration left to run at COMMIT: the events of its deferred constraint triggers
/// (`CREATE CONSTRAINT TRIGGER ... INITIALLY DEFERRED`, a deferrable key's checks, or any it deferred
/// with `SET CONSTRAINTS`). At COMMIT they would run after the guard had looked, so whatever they
/// change would be committed unchecked (PG 15: a deferred trigger's `EXECUTE` under `allow
/// dynamic-sql` emptied public.session). Fired here, before `WHO`, they run as the migration's role
/// and inside what the guard sees; a constraint they find broken fails the migration as COMMIT would
/// have. `ALL` names no constraint, so no path the migration left reaches it.
pub const FIRE_DEFERRED: &str = "SET CONSTRAINTS ALL IMMEDIATE;\n";

/// The last statement of a migration's transaction before COMMIT: nothing after the guard may write.
/// `FIRE_DEFERRED` runs what the migration deferred, but a trigger it fires may defer again (`SET
/// CONSTRAINTS ALL DEFERRED` in its body, then a write that queues another deferred event: PG 15
/// fired that event at COMMIT, after the guard had looked). Read-only from here on, every write such an
/// event tries fails, and with it the COMMIT, which rolls the whole migration back (a COMMIT failing
/// with `25006` is reported as the breach it is, `READ_ONLY_AT_COMMIT`). Nothing can turn it back:
/// PostgreSQL refuses read-write after the transaction's first query, `RESET ALL` included.
pub const SEAL: &str = "SET LOCAL transaction_read_only = on;\n";

/// The SQLSTATE of a write refused in a read-only transaction: at COMMIT, only what `SEAL` stopped.
pub const READ_ONLY_AT_COMMIT: &str = "25006";

/// `en_migrate.c`, the guard's start of this migration (public's sequence values and reads, the
/// role catalogs' write counters, the oid mark), as a row for the runner: read once before the
/// migration's text and once right before the guard's end reads it (`end_sql`), and compared by the
/// runner before it commits (`state_kept`). A setting is the session's, and a migration that runs
/// what the fence cannot see (EXECUTE under the opt-in) may rewrite it: PG 15 through `up`, one
/// made raguser SUPERUSER and set the role counters it held to their new values, and the guard saw
/// no role change; the file was applied and recorded. The rows travel to the runner as the server
/// runs them, where no later statement can change them. With it, the row version of each of the
/// guard's session functions (its ctid) when it calls them: an inline guard has none: their names
/// carry a random tag, but a body the fence cannot see may find them in pg_proc and `CREATE OR
/// REPLACE` the end with one that checks nothing (PG 15 through `up`: then reached public). Any
/// change to a function's row writes a new version at another ctid: the old one, deleted by this
/// transaction, keeps its place until the transaction ends, and both reads are in it. One dropped
/// and made again has another oid, and its row is missing. A replacement at COMMIT is a write the
/// read-only seal (`SEAL`) refuses.
///
/// `oids`: the functions' oids as `session_function_oids` read them when they were made, so the
/// row is an index lookup by constants. Resolving the two signatures in the statement instead
/// (`to_regprocedure` parses each argument type with the SQL parser) cost 617,000 instructions a
/// row on PG 15 against 273,000 (callgrind, a top-level statement in a transaction), twice per
/// migration. Without them (`up --dry-run --sql`, which makes no functions), the signatures.
pub fn state_row(session_functions: bool, oids: Option<&str>) -> String {
    const INLINE: &str = "SELECT pg_catalog.concat('en_migrate.c=', pg_catalog.current_setting('en_migrate.c', true));\n";
    if !session_functions {
        return INLINE.into();
    }
    let t = tag();
    let oids = match oids {
        Some(o) => format!("'{{{o}}}'"),
        None => format!(
            "ARRAY[pg_catalog.to_regprocedure('pg_temp.en_migrate_begin_{t}(bigint,boolean,text)'), pg_catalog.to_regprocedure('pg_temp.en_migrate_end_{t}(text,text)')]"
        ),
    };
    format!(
        "SELECT pg_catalog.concat('en_migrate.c=', pg_catalog.current_setting('en_migrate.c', true), ' functions=', \
         (SELECT pg_catalog.array_agg(p.ctid) FROM pg_catalog.pg_proc p WHERE p.oid = ANY ({oids})));\n"
    )
}

/// The oids of the session functions, read in the message that makes them (`session_functions`), as
/// `state_row` takes them: `begin,end`.
fn session_function_oids() -> String {
    let t = tag();
    format!(
        "SELECT pg_catalog.concat_ws(',', 'pg_temp.en_migrate_begin_{t}(bigint,boolean,text)'::pg_catalog.regprocedure::pg_catalog.oid, 'pg_temp.en_migrate_end_{t}(text,text)'::pg_catalog.regprocedure::pg_catalog.oid);\n"
    )
}

/// Whether the guard's end read the start `state_row` showed before the migration, with the same
/// functions: the first such row
/// of `before` (en-migrate's opening: the migration's own rows come after it) against the last of
/// `after` (its close: only en-migrate's statements follow the migration's). Err with the breach's
/// detail when not, or when either is missing.
pub fn state_kept(
    before: &[Vec<Option<String>>],
    after: &[Vec<Option<String>>],
) -> Result<(), String> {
    let is = |r: &&Vec<Option<String>>| {
        r.first()
            .and_then(|v| v.as_deref())
            .is_some_and(|v| v.starts_with("en_migrate.c="))
    };
    match (before.iter().find(is), after.iter().rev().find(is)) {
        (Some(a), Some(b)) if a == b => Ok(()),
        _ => Err("the migration rewrote en_migrate.c, the state en-migrate's database-side check took at its start and compares against at its end, or replaced the check's own functions".into()),
    }
}

/// What `WHO` must read: `current_user/session_user/on`.
pub fn expect(current_user: &str, session_user: &str) -> String {
    format!("{current_user}/{session_user}/on")
}

/// The statements that close a migration, before its tracker row: the migration's deferred triggers
/// fired (`FIRE_DEFERRED`), who the session is (`WHO`), the role put back (a `--migration-role`'s, or
/// one the migration set), the guard's own path, and the guard over the baseline `base`. The caller
/// then puts the session back (`RESET ALL` and the pins).
pub fn end_sql(session_functions: bool, oids: Option<&str>, base: &str, expect: &str) -> String {
    let mut sql = String::from(FIRE_DEFERRED);
    sql += WHO;
    sql += "RESET ROLE;\nSET LOCAL search_path = pg_catalog, pg_temp;\n";
    sql += &state_row(session_functions, oids);
    let (base, expect) = (crate::db::literal(base), crate::db::literal(expect));
    if session_functions {
        sql += &format!(
            "SELECT pg_temp.en_migrate_end_{}({base}, {expect});\n",
            tag()
        );
    } else {
        sql += &format!(
            "DO $en$ {} $en$;\n",
            end_body(&format!("base text := {base}; expect text := {expect};"))
        );
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_parses_as_postgresql() {
        for f in [true, false] {
            pg_query::parse(&begin_sql(f, 42, Some(7), &Baseline::Take), 0).unwrap();
            pg_query::parse(&begin_sql(f, 42, Some(7), &Baseline::Known("1/2,3/4")), 0).unwrap();
            pg_query::parse(&end_sql(f, None, "1/2", &expect("a", "b")), 0).unwrap();
            pg_query::parse(&end_sql(f, Some("1,2"), "1/2", &expect("a", "b")), 0).unwrap();
        }
        let functions = session_functions(42);
        pg_query::parse(&functions, 0).unwrap();
        // The server skips PL/pgSQL's own check of these bodies (see `session_functions`): this is it.
        let made = functions.trim_end_matches(&session_function_oids());
        assert!(
            made.len() < functions.len(),
            "the oids are read in the same message"
        );
        let bodies: Vec<&str> = made
            .split(";\nCREATE")
            .filter(|f| !f.starts_with("SET LOCAL"))
            .collect();
        assert_eq!(bodies.len(), 2);
        for f in bodies {
            let f = f.trim_start_matches("CREATE").replace("pg_temp.", "");
            pg_query::parse_plpgsql(&format!("CREATE{f}")).unwrap();
        }
    }

    /// What a reviewer reads: the functions a direct session creates, whole. Their inline form,
    /// through a pooler, is in apply.rs's snapshot of a whole message.
    #[test]
    fn the_session_functions_read_as_sql() {
        crate::snapshots().bind(|| {
            insta::assert_snapshot!(
                "guard_session_functions",
                crate::masked(&session_functions(42))
            );
        });
    }

    #[test]
    fn every_source_is_counted_and_described() {
        let (state, detail) = (state_sql(), detail_sql());
        assert_eq!(state.matches(" || '/' || ").count(), SOURCES.len());
        let recompute = recompute_sql();
        assert_eq!(recompute.matches(" || '/' || ").count(), SOURCES.len());
        // One test per catalog: pg_depend serves seven sources, pg_inherits, pg_description, pg_class,
        // pg_constraint and pg_proc two.
        let gates = recompute
            .matches("  IF pg_catalog.pg_stat_get_xact_tuples_inserted(")
            .count()
            + recompute
                .matches("  IF pg_catalog.pg_stat_get_xact_tuples_updated(")
                .count();
        assert_eq!(gates, SOURCES.len() - 11);
        // pg_index's is read on an update alone (`UPDATED_ONLY`).
        assert!(recompute.contains("  IF pg_catalog.pg_stat_get_xact_tuples_updated('pg_catalog.pg_index'::pg_catalog.regclass) > 0 THEN"));
        assert!(recompute.contains(&format!("parts[{}] := {WRITTEN}", SOURCES.len() + 1)));
        assert!(SOURCES
            .iter()
            .all(|(_, from)| from.starts_with("pg_catalog.pg_")));
        assert_eq!(detail.matches(OWN).count(), SOURCES.len());
        // The recompute skips a part over an empty `rt` for the rows written to public's tables.
        assert!(WRITTEN.contains("unnest(rt)"));
    }

    #[test]
    fn a_source_is_skipped_only_when_an_empty_array_leaves_it_no_row() {
        let of = no_rows_without;
        assert_eq!(of("pg_catalog.pg_class t WHERE t.oid = ANY (ra)"), ["ra"]);
        assert_eq!(
            of("pg_catalog.pg_attribute t WHERE t.attrelid = ANY (ra) AND t.attnum > 0"),
            ["ra"]
        );
        assert_eq!(
            of("pg_catalog.pg_depend t WHERE t.refclassid = ANY (oq) AND t.refobjid = ANY (oa)"),
            ["oq", "oa"]
        );
        assert_eq!(
            of("pg_catalog.pg_depend t WHERE t.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND t.refobjid = ANY (fa)"),
            ["fa"]
        );
        // In an expression, an OR, or not an array variable: never skipped.
        assert!(
            of("pg_catalog.pg_description t WHERE t.objoid = ANY (ra || fa || ta || ns)")
                .is_empty()
        );
        assert!(of("pg_catalog.pg_default_acl t WHERE (t.defaclnamespace = 0 OR t.defaclnamespace = ANY (ns))").is_empty());
        assert!(of("pg_catalog.pg_class t WHERE t.relkind = 'r' OR t.oid = ANY (ra)").is_empty());
        assert!(of("pg_catalog.pg_class t WHERE t.oid = ANY (ra) OR true").is_empty());
        assert!(of("pg_catalog.pg_class t WHERE t.relname = ' AND t.oid = ANY (ra)'").is_empty());
        assert!(of("pg_catalog.pg_shdepend t WHERE t.classid = ANY ('{pg_catalog.pg_proc}'::pg_catalog.regclass[]::pg_catalog.oid[])").is_empty());
        assert!(of("pg_catalog.pg_publication t WHERE true").is_empty());
        // Every source over public's relations, functions and types is among those skipped, but the
        // three that watch the tracker's structure too (`ra || tk`: the tracker is always there).
        let skipped = SOURCES
            .iter()
            .filter(|(_, f)| !no_rows_without(f).is_empty())
            .count();
        assert_eq!(skipped, 31);
        let tracker = SOURCES
            .iter()
            .filter(|(_, f)| f.contains("ANY (ra || tk)"))
            .count();
        assert_eq!(tracker, 3);
    }
}
