#!/usr/bin/env python3
"""Classifies what PostgreSQL 13..18 have built in, for the fence, and writes src/fence/known/*.rs.

   scripts/gen-known.py DUMPS OUT      read DUMPS/<major>/*.tsv (scripts/gen-known.sh), write OUT/*.rs
   scripts/gen-known.py --dump-extensions   the extensions gen-known.sh must install and dump

The rules live here, one table per kind, so a review reads the policy and a diff of the generated
files reads what changed in PostgreSQL. A rule names what a built-in can reach; the fence decides what
a statement may do with it. Every entry is the strictest over all overloads and all majors.
"""
import re
import sys
from pathlib import Path

# ---------------------------------------------------------------------------------------------------
# Extensions. ALLOWED: none of their functions reaches another schema, runs query text, touches files
# or other sessions; the fence lets a migration install them into expert_network. Everything else is
# refused, among them: dblink, postgres_fdw, file_fdw (other servers, files); tablefunc (crosstab runs
# query text); xml2 (xpath_table runs query text); pageinspect, pg_surgery, pg_visibility, pgstattuple,
# pg_buffercache, pg_freespacemap, pgrowlocks, amcheck, pg_walinspect, old_snapshot (read or repair
# any relation's pages, other apps' rows and locks); refint (triggers that write relations named in
# text); autoinc (nextval on a sequence named in text); tcn (NOTIFY); lo (large objects); adminpack
# (files); pg_prewarm, pg_stat_statements (other applications' queries); sslinfo (the connection's
# certificate: harmless but no migration needs it); bloom (a database-wide access method); intagg,
# dict_int, dict_xsyn (no demand); the procedural languages (a language is database-wide).
# pgvector is not contrib and not on this machine: its function list is not generated, so it is not
# allowed yet (listing it by hand would be guessing).
ALLOWED_EXTENSIONS = [
    "btree_gin", "btree_gist", "citext", "cube", "earthdistance", "fuzzystrmatch", "hstore",
    "insert_username", "intarray", "isn", "ltree", "moddatetime", "pg_trgm", "pgcrypto", "seg",
    "tsm_system_rows", "tsm_system_time", "unaccent", "uuid-ossp",
]
# Refused extensions that install into pg_catalog itself: their functions would resolve as built-ins
# wherever some other application installed them, so they are classified like built-ins.
PG_CATALOG_EXTENSIONS = ["adminpack"]

# ---------------------------------------------------------------------------------------------------
# Functions. Classes: ("safe",), ("names", positions), ("query",), ("effect", Effect).

# Exact names. A callable value gives the positions from the argument types (for one overload).
def _privilege(base):
    """has_*_privilege: the object is the first argument without a user, the second with one."""
    return lambda args: ("names", [len(args) - base])

FUNCTION_RULES = {
    # Name a relation, sequence, function or type by text (regclass arguments are found by type below).
    "pg_get_serial_sequence": ("names", [0]),
    "to_regtypemod": ("names", [0]),  # to_regclass and the other to_reg*: NAMED_RESULTS below
    "pg_get_viewdef": ("names", [0]),  # (text) names a view; (oid) shares its arity
    "pg_sequence_parameters": ("names", [0]),  # an oid that names a sequence
    "row_security_active": ("names", [0]),
    "currtid2": ("names", [0]),  # PG 13: reads a relation named in text
    "has_table_privilege": _privilege(2),
    "has_sequence_privilege": _privilege(2),
    "has_any_column_privilege": _privilege(2),
    "has_column_privilege": _privilege(3),
    "has_function_privilege": _privilege(2),
    "has_type_privilege": _privilege(2),
    # Privileges on objects that belong to no schema read structure (the same as pg_database.datacl):
    # has_schema/database/tablespace/language/foreign_data_wrapper/server/parameter_privilege,
    # pg_has_role, to_regnamespace, to_regrole stay safe.
    # Run query text, or read every relation of a schema or database.
    "query_to_xml": ("query",), "query_to_xmlschema": ("query",), "query_to_xml_and_xmlschema": ("query",),
    "cursor_to_xml": ("query",), "cursor_to_xmlschema": ("query",),
    "table_to_xml": ("query",), "table_to_xmlschema": ("query",), "table_to_xml_and_xmlschema": ("query",),
    "schema_to_xml": ("query",), "schema_to_xmlschema": ("query",), "schema_to_xml_and_xmlschema": ("query",),
    "database_to_xml": ("query",), "database_to_xmlschema": ("query",),
    "database_to_xml_and_xmlschema": ("query",),
    "ts_stat": ("query",),
    "ts_rewrite": lambda args: ("query",) if args[1:2] == ["text"] else ("safe",),
    # Effects.
    "pg_notify": ("effect", "Notify"),
    "set_config": ("effect", "Configuration"),
    "pg_reload_conf": ("effect", "Configuration"),
    "pg_cancel_backend": ("effect", "Signal"),
    "pg_terminate_backend": ("effect", "Signal"),
    "pg_log_backend_memory_contexts": ("effect", "Signal"),
    "pg_rotate_logfile": ("effect", "Signal"),
    "pg_rotate_logfile_old": ("effect", "Signal"),
    "pg_switch_wal": ("effect", "Replication"),
    "pg_create_restore_point": ("effect", "Replication"),
    "pg_promote": ("effect", "Replication"),
    "pg_logical_emit_message": ("effect", "Replication"),
    "pg_log_standby_snapshot": ("effect", "Replication"),
    "pg_start_backup": ("effect", "Replication"),
    "pg_stop_backup": ("effect", "Replication"),
    "pg_current_logfile": ("effect", "Files"),
    "lo_import": ("effect", "Files"),
    "lo_export": ("effect", "Files"),
    "pg_stat_force_next_flush": ("effect", "Statistics"),
    # PG 18 writes planner statistics into pg_class/pg_statistic for relations named in text pairs.
    "pg_clear_relation_stats": ("effect", "Statistics"),
    "pg_restore_relation_stats": ("effect", "Statistics"),
    "pg_clear_attribute_stats": ("effect", "Statistics"),
    "pg_restore_attribute_stats": ("effect", "Statistics"),
    # Creates collations database-wide from the operating system's locales.
    "pg_import_system_collations": ("effect", "Other"),
    # A snapshot exported to other sessions outlives nothing, but lets another connection act inside it.
    "pg_export_snapshot": ("effect", "Other"),
    # What other applications or the server keep to themselves (see Effect::ExposesData): other
    # sessions' locks and blockers, prepared transactions, commit times and status of other apps'
    # transactions, the server's build and control data, shared memory, the authentication files and
    # settings files. Conservative for the session's own memory contexts: no migration reads them.
    "pg_lock_status": ("effect", "ExposesData"),
    "pg_blocking_pids": ("effect", "ExposesData"),
    "pg_safe_snapshot_blocking_pids": ("effect", "ExposesData"),
    "pg_isolation_test_session_is_blocked": ("effect", "ExposesData"),
    "pg_prepared_xact": ("effect", "ExposesData"),
    "pg_get_multixact_members": ("effect", "ExposesData"),
    "pg_xact_commit_timestamp": ("effect", "ExposesData"),
    "pg_xact_commit_timestamp_origin": ("effect", "ExposesData"),
    "pg_last_committed_xact": ("effect", "ExposesData"),
    "pg_xact_status": ("effect", "ExposesData"),
    "txid_status": ("effect", "ExposesData"),
    "pg_config": ("effect", "ExposesData"),
    "pg_control_checkpoint": ("effect", "ExposesData"),
    "pg_control_system": ("effect", "ExposesData"),
    "pg_control_init": ("effect", "ExposesData"),
    "pg_control_recovery": ("effect", "ExposesData"),
    "pg_get_shmem_allocations": ("effect", "ExposesData"),
    "pg_get_shmem_allocations_numa": ("effect", "ExposesData"),
    "pg_hba_file_rules": ("effect", "ExposesData"),
    "pg_ident_file_mappings": ("effect", "ExposesData"),
    "pg_show_all_file_settings": ("effect", "ExposesData"),
    "pg_show_all_settings": ("effect", "ExposesData"),
    "pg_get_backend_memory_contexts": ("effect", "ExposesData"),
    "pg_get_process_memory_contexts": ("effect", "ExposesData"),
    "pg_get_aios": ("effect", "ExposesData"),
    "pg_get_replication_slots": ("effect", "ExposesData"),
    "pg_show_replication_origin_status": ("effect", "ExposesData"),
    "pg_get_wal_summarizer_state": ("effect", "ExposesData"),
    "pg_available_wal_summaries": ("effect", "ExposesData"),
    "pg_wal_summary_contents": ("effect", "ExposesData"),
    "pg_get_loaded_modules": ("effect", "ExposesData"),
    "pg_sequence_last_value": ("names", [0]),
}

# Name patterns, tried in order when no exact rule applies.
FUNCTION_PATTERNS = [
    (r"^pg_stat_reset", ("effect", "Statistics")),
    (r"^pg_stat_get_", ("effect", "ExposesData")),  # other sessions' queries, other apps' counters
    (r"^pg_(try_)?advisory_", ("effect", "AdvisoryLock")),
    (r"^(lo_|loread$|lowrite$)", ("effect", "LargeObject")),
    (r"^pg_(ls_|read_file|read_binary_file|stat_file|file_|logdir_ls)", ("effect", "Files")),
    (r"replication_slot|^pg_replication_origin_|^pg_wal_replay_|^pg_backup_|^pg_logical_slot_"
     r"|^pg_sync_replication_slots|^pg_drop_replication_slot", ("effect", "Replication")),
    # pg_upgrade's hooks: set the next oids the server hands out, for every session.
    (r"^binary_upgrade_", ("effect", "Other")),
]

# An argument of these types is resolved by the server as a relation's name: a 'public.x' literal, or
# a value computed at run time, reaches whatever it names.
NAMING_TYPES = {"regclass"}
# A function that turns text into one of these resolves a name of a schema's object, like a cast to
# them (to_regclass, regclass(text), regclassin, regprocin, ...).
NAMED_RESULTS = {"regclass", "regproc", "regprocedure", "regoper", "regoperator", "regtype", "regcollation"}

# Arguments the server reads as the name of an object of a schema: a string literal passed there is
# coerced to the parameter's reg* type, so 'public.english' names public's text search configuration
# as a written public.english would (to_tsvector('public.english', x)). Written to name_args.rs, for
# the fence to judge such a literal as a name; a computed value of these types is an oid already
# resolved (no implicit cast from text exists but to regclass, which NAMING_TYPES covers). regrole
# names a role, no schema's object.
NAME_ARG_TYPES = {"regconfig", "regdictionary", "regproc", "regprocedure", "regoper", "regoperator",
                  "regtype", "regcollation", "regnamespace"}
# Text parameters the function itself parses as a type's name (PG 16's soft input checks).
NAME_ARG_TEXT = {"pg_input_is_valid": {1: "regtype"}, "pg_input_error_info": {1: "regtype"}}


def name_args(name, args):
    """The (position, reg* type) pairs of one overload whose argument is read as a name."""
    out = {(i, t) for i, t in enumerate(args) if t in NAME_ARG_TYPES}
    out |= {(i, t) for i, t in NAME_ARG_TEXT.get(name, {}).items() if i < len(args)}
    return out


def name_args_rs(header, entries):
    """name_args.rs from {(name, lo, hi): [argument type lists of its overloads]}, in Func's order."""
    def key(k):
        name, lo, hi = k
        return (name.encode(), lo, 255 if hi == "VARIADIC" else hi)
    lines, variadic = [], False
    for k in sorted(entries, key=key):
        pairs = sorted(set().union(*(name_args(k[0], a) for a in entries[k])))
        if pairs:
            name, lo, hi = k
            variadic |= hi == "VARIADIC"
            p = ", ".join(f"({i}, {rust_str(t)})" for i, t in pairs)
            lines.append(f"    NameArgs {{ name: {rust_str(name)}, min: {lo}, max: {hi}, args: &[{p}] }},")
    uses = "{NameArgs, VARIADIC}" if variadic else "NameArgs"
    return (header + f"use super::{uses};\n\n#[rustfmt::skip]\npub(crate) static NAME_ARGS: &[NameArgs] = &[\n"
            + "\n".join(lines) + "\n];\n")


SAFE = ("safe",)
RANK = {"safe": 0, "names": 1, "query": 2, "effect": 3}


def classify_function(name, args, returns=""):
    rule = FUNCTION_RULES.get(name)
    if rule is not None:
        return rule(args) if callable(rule) else rule
    for pattern, cls in FUNCTION_PATTERNS:
        if re.search(pattern, name):
            return cls
    if returns in NAMED_RESULTS and args[:1] in (["text"], ["cstring"]):
        return ("names", [0])
    positions = [i for i, t in enumerate(args) if t in NAMING_TYPES]
    return ("names", positions) if positions else SAFE


def stricter(a, b):
    if a[0] == "names" and b[0] == "names":
        return ("names", sorted(set(a[1]) | set(b[1])))
    return b if RANK[b[0]] > RANK[a[0]] else a


def rust_class(cls):
    kind = cls[0]
    if kind == "safe":
        return "FnClass::Safe"
    if kind == "names":
        return "FnClass::NamesObject(&[%s])" % ", ".join(map(str, cls[1]))
    if kind == "query":
        return "FnClass::RunsQuery"
    return "FnClass::Effect(Effect::%s)" % cls[1]


# ---------------------------------------------------------------------------------------------------
# Catalog relations: Structure unless listed. The pg_stat*/pg_statio* views show other sessions'
# queries and other applications' activity; pg_statistic and pg_stats* hold samples of column values.
RELATION_DATA_PATTERNS = [r"^pg_stat", r"^pg_statio_"]
# Definitions only (which columns a statistics object covers), not values.
RELATION_STRUCTURE = {("pg_catalog", "pg_statistic_ext")}
RELATION_DATA = {
    ("pg_catalog", n) for n in [
        "pg_authid", "pg_shadow",  # password hashes
        "pg_user_mapping", "pg_user_mappings",  # foreign servers' passwords
        "pg_subscription", "pg_subscription_rel",  # subconninfo holds a password
        "pg_hba_file_rules", "pg_ident_file_mappings", "pg_file_settings", "pg_config",
        "pg_largeobject",  # every application's large objects
        "pg_replication_slots", "pg_replication_origin", "pg_replication_origin_status",
        "pg_locks", "pg_prepared_xacts",  # other sessions' locks and transactions
        "pg_backend_memory_contexts", "pg_shmem_allocations", "pg_shmem_allocations_numa", "pg_aios",
        "pg_sequences",  # last_value of every application's sequences
        "pg_db_role_setting",  # per-role settings, where applications keep secrets too
        "pg_settings",  # to a superuser, the settings that hold commands and connection strings
    ]
} | {("information_schema", n) for n in ["user_mapping_options", "_pg_user_mappings"]}


def classify_relation(schema, name):
    if (schema, name) in RELATION_STRUCTURE:
        return "Structure"
    if (schema, name) in RELATION_DATA:
        return "ExposesData"
    if schema == "pg_catalog" and any(re.search(p, name) for p in RELATION_DATA_PATTERNS):
        return "ExposesData"
    return "Structure"


# ---------------------------------------------------------------------------------------------------
# Settings. From pg_settings' context: `user` is Plain, everything else (internal, postmaster, sighup,
# backend, superuser, superuser-backend) Forbidden; then these overrides.
SETTING_PINNED = {
    "search_path",  # the fence resolves names under it; it handles SET search_path itself
    "role", "session_authorization",  # the third layer's privileges (not in pg_settings)
    "standard_conforming_strings", "backslash_quote", "escape_string_warning",  # how strings are read
    # In SJIS, BIG5 or GBK a backslash can be a character's second byte: the server would read later
    # statements' strings differently from the parser that fenced them. UTF8 is what the runner uses.
    "client_encoding",
    # The session's defaults for the runner's next transactions. (transaction_isolation, _read_only
    # and _deferrable stay Plain: they end with the migration's own transaction.)
    "default_transaction_read_only", "default_transaction_isolation", "default_transaction_deferrable",
    "track_counts", "track_activities",  # the database-side check reads the statistics they feed
    "stats_fetch_consistency",  # `snapshot` would freeze what the database-side check reads
    # A table in another tablespace is a database-wide resource, which the fence refuses in DDL.
    "default_tablespace", "temp_tablespaces",
    "exit_on_error",  # the runner reports and rolls back a failed migration on its own connection
}
# The value the runner runs with: setting a Pinned setting to exactly it changes nothing (pg_dump's
# header sets these).
SETTING_PINNED_VALUES = {
    "standard_conforming_strings": "on",
    "client_encoding": "UTF8",
    "default_tablespace": "",
    "temp_tablespaces": "",
    "escape_string_warning": "on",
    "backslash_quote": "safe_encoding",
}
SETTING_FORBIDDEN = {
    "local_preload_libraries",  # loads a library into later sessions
    # Write parse trees and sort traces to the server log, which other applications' operators read.
    "debug_print_parse", "debug_print_plan", "debug_print_rewritten", "trace_notify", "trace_sort",
    "session_replication_role",  # turns off triggers and foreign keys (superuser context anyway)
}
# Settings no pg_settings shows: hidden ones, and extensions' before their library loads.
SETTING_EXTRA = {
    # Hidden from pg_settings (GUC_NO_SHOW_ALL) but settable.
    "role": "Pinned", "session_authorization": "Pinned",
    "default_with_oids": "Plain",  # old pg_dump headers; only `false` is accepted since PG 12
    "seed": "Plain",  # SET seed = setseed(): this session's random()
    "is_superuser": "Forbidden",
    "plpgsql.variable_conflict": "Plain", "plpgsql.print_strict_params": "Plain",
    "plpgsql.check_asserts": "Plain", "plpgsql.extra_warnings": "Plain", "plpgsql.extra_errors": "Plain",
    "pg_trgm.similarity_threshold": "Plain", "pg_trgm.word_similarity_threshold": "Plain",
    "pg_trgm.strict_word_similarity_threshold": "Plain",
}
# Libraries without an extension whose settings a migration must not touch.
LIBRARY_PREFIXES = ["auth_delay", "auto_explain", "basebackup_to_shell", "basic_archive", "passwordcheck",
                    "pg_prewarm", "pg_stat_statements", "plperl", "plpgsql", "plpython", "pltcl", "sepgsql"]


def classify_setting(name, context):
    if name in SETTING_EXTRA:
        return SETTING_EXTRA[name]
    if name in SETTING_PINNED:
        return "Pinned"
    if name in SETTING_FORBIDDEN:
        return "Forbidden"
    return "Plain" if context == "user" else "Forbidden"


# ---------------------------------------------------------------------------------------------------

HEADER = "//! Generated by scripts/gen-known.sh from PostgreSQL {majors}: do not edit; change the rules in\n" \
         "//! scripts/gen-known.py and run it again.\n"


def rows(path):
    if not path.exists():
        return []
    return [line.rstrip("\n").split("\t") for line in path.read_text().splitlines() if line]


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(dumps, out):
    majors = sorted((p.name for p in dumps.iterdir() if p.name.isdigit()), key=int)
    if not majors:
        sys.exit(f"no dumps in {dumps}: run scripts/gen-known.sh first")
    header = HEADER.format(majors=", ".join(majors))

    # Functions: one row per (name, min args, max args), strictest over overloads and majors; the
    # comment lists the argument types and majors so a diff says what changed.
    funcs = {}

    def add(name, nargs, ndefaults, variadic, args, v, returns="", note=""):
        argl = args.split(",") if args else []
        lo = int(nargs) - int(ndefaults)
        hi = "VARIADIC" if variadic == "t" else int(nargs)
        cls = classify_function(name, argl, returns)
        entry = funcs.setdefault((name, lo, hi), {"class": cls, "sigs": {}})
        entry["class"] = stricter(entry["class"], cls)
        entry["sigs"].setdefault((args, note), set()).add(v)

    for v in majors:
        for name, nargs, ndefaults, variadic, args, returns, *_ in rows(dumps / v / "functions.tsv"):
            add(name, nargs, ndefaults, variadic, args, v, returns)
        for ext in PG_CATALOG_EXTENSIONS:
            for kind, name, schema, *sig in rows(dumps / v / "ext" / f"{ext}.tsv"):
                if kind == "f" and schema == "pg_catalog":
                    add(name, *sig, v, note=f" {ext}")

    def key(k):
        name, lo, hi = k
        return (name.encode(), lo, 255 if hi == "VARIADIC" else hi)

    lines = []
    for k in sorted(funcs, key=key):
        name, lo, hi = k
        e = funcs[k]
        sigs = "; ".join(f"({a}){n}{majors_note(vs, majors)}" for (a, n), vs in sorted(e["sigs"].items()))
        lines.append(f"    Func {{ name: {rust_str(name)}, min: {lo}, max: {hi}, class: {rust_class(e['class'])} }}, // {sigs}")
    write(out / "name_args.rs", name_args_rs(header, {
        k: [a.split(",") if a else [] for (a, _n) in e["sigs"]] for k, e in funcs.items()}))
    write(out / "functions.rs", header + "use super::{Effect, FnClass, Func, VARIADIC};\n\n"
          "#[rustfmt::skip]\npub(crate) static FUNCTIONS: &[Func] = &[\n" + "\n".join(lines) + "\n];\n")

    rels = {}
    for v in majors:
        for schema, name, kind in rows(dumps / v / "relations.tsv"):
            rels.setdefault((schema, name), (kind, set()))[1].add(v)
    lines = [f"    ({rust_str(s)}, {rust_str(n)}, {classify_relation(s, n)}), // relkind {kind}{majors_note(vs, majors)}"
             for (s, n), (kind, vs) in sorted(rels.items(), key=lambda kv: (kv[0][0].encode(), kv[0][1].encode()))]
    write(out / "relations.rs", header + "use super::RelClass::{self, ExposesData, Structure};\n\n"
          "#[rustfmt::skip]\npub(crate) static RELATIONS: &[(&str, &str, RelClass)] = &[\n" + "\n".join(lines) + "\n];\n")

    types = sorted({r[0] for v in majors for r in rows(dumps / v / "types.tsv")}, key=str.encode)
    write(out / "types.rs", header + "\n#[rustfmt::skip]\npub(crate) static TYPES: &[&str] = &[\n"
          + "\n".join(f"    {rust_str(t)}," for t in types) + "\n];\n")

    settings, secret = {}, set()
    for v in majors:
        for name, context, _category, _vartype, hidden in rows(dumps / v / "settings.tsv"):
            settings.setdefault(name.lower(), set()).add(context)
            if hidden == "true":
                secret.add(name.lower())
    classes = {}
    for name, contexts in settings.items():
        # A setting whose context differs between majors takes the strictest.
        cls = [classify_setting(name, c) for c in sorted(contexts)]
        classes[name] = max(cls, key=["Plain", "Pinned", "Forbidden"].index)
    for name, cls in SETTING_EXTRA.items():
        classes[name] = cls
    lines = []
    for name in sorted(classes, key=str.encode):
        ctx = ", ".join(sorted(settings.get(name, {"not in pg_settings"})))
        lines.append(f"    ({rust_str(name)}, {classes[name]}), // {ctx}")
    pinned = [f"    ({rust_str(n)}, {rust_str(val)})," for n, val in sorted(SETTING_PINNED_VALUES.items())]
    prefixes = sorted({r[0] for v in majors for r in rows(dumps / v / "available-extensions.tsv")}
                      | set(LIBRARY_PREFIXES), key=str.encode)
    write(out / "settings.rs", header + "use super::SettingClass::{self, Forbidden, Pinned, Plain};\n\n"
          "#[rustfmt::skip]\npub(crate) static SETTINGS: &[(&str, SettingClass)] = &[\n" + "\n".join(lines) + "\n];\n\n"
          "/// The value the runner runs with, for the Pinned settings where setting exactly it changes nothing.\n"
          "#[rustfmt::skip]\npub(crate) static PINNED_VALUES: &[(&str, &str)] = &[\n" + "\n".join(pinned) + "\n];\n\n"
          "/// Settings a role without pg_read_all_settings may not read, in any major: commands, file paths\n"
          "/// and connection strings (a standby's primary_conninfo holds a password).\n"
          "#[rustfmt::skip]\npub(crate) static SECRET: &[&str] = &[\n"
          + "\n".join(f"    {rust_str(n)}," for n in sorted(secret, key=str.encode)) + "\n];\n\n"
          "/// Extensions and libraries whose `prefix.name` settings a migration must not set.\n"
          "#[rustfmt::skip]\npub(crate) static EXTENSION_PREFIXES: &[&str] = &[\n"
          + "\n".join(f"    {rust_str(p)}," for p in prefixes) + "\n];\n")

    exts = []
    for ext in sorted(ALLOWED_EXTENSIONS, key=str.encode):
        fs, ts, seen, sigs = set(), set(), [], None
        for v in majors:
            r = rows(dumps / v / "ext" / f"{ext}.tsv")
            if r:
                seen.append(v)
                # The argument lists of the functions with arguments, none VARIADIC and none of an
                # array type (its typname is not how a signature writes it): only those every
                # major that has the extension creates count, as a call matches exactly only where
                # the function is there (model::Model::has_signature).
                here = {(row[1], row[6]) for row in r
                        if row[0] == "f" and row[5] == "f" and row[6]
                        and not any(a.startswith("_") for a in row[6].split(","))}
                sigs = here if sigs is None else sigs & here
            for kind, name, *_ in r:
                (fs if kind == "f" else ts).add(name)
        if not seen:
            sys.exit(f"extension {ext}: no dump in any major")
        f = "".join(f"\n            {rust_str(n)}," for n in sorted(fs, key=str.encode))
        t = "".join(f"\n            {rust_str(n)}," for n in sorted(ts, key=str.encode))
        sg = "".join(f"\n            ({rust_str(n)}, &[{', '.join(rust_str(a) for a in args.split(','))}]),"
                     for n, args in sorted(sigs or (), key=lambda x: (x[0].encode(), x[1].encode())))
        exts.append(f"    // PostgreSQL {', '.join(seen)}\n    Extension {{\n        name: {rust_str(ext)},\n"
                    f"        functions: &[{f}\n        ],\n        types: &[{t}\n        ],\n"
                    f"        signatures: &[{sg}\n        ],\n    }},")
    write(out / "extensions.rs", header + "use super::Extension;\n\n#[rustfmt::skip]\npub(crate) static EXTENSIONS: &[Extension] = &[\n"
          + "\n".join(exts) + "\n];\n")


def majors_note(vs, majors):
    if set(vs) == set(majors):
        return ""
    return " PG " + ",".join(sorted(vs, key=int))


def write(path, text):
    path.write_text(text)
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1:] == ["--dump-extensions"]:
        print("\n".join(ALLOWED_EXTENSIONS + PG_CATALOG_EXTENSIONS))
    elif len(sys.argv) == 3:
        main(Path(sys.argv[1]), Path(sys.argv[2]))
    else:
        sys.exit(__doc__)
