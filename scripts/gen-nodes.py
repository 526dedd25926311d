#!/usr/bin/env python3
"""Writes src/fence/nodes.rs, the fence's typed view of pg_query's parse tree, from the protobuf.rs that
prost generated for the pg_query crate in Cargo.lock (itself generated from libpg_query's pg_query.proto).

For every node kind (a variant of pg_query::protobuf::node::Node) it emits:
  - a variant of `Ref<'a>`, a borrowed node of that kind, and `Ref::of`, an exhaustive match over
    `node::Node` with no catch-all arm: a node kind added to pg_query is a compile error until this is
    run again;
  - `Ref::children`, every message-typed field of the kind (Node, Vec<Node>, Option<Box<Node>>, a node
    message such as RangeVar or TypeName, a oneof of them), in declaration order: the fence descends
    into all of them unless a handler says otherwise, so no field can be forgotten;
  - `Ref::location`, the node's own `location` field when it has one;
  - `Stmt<'a>`, the statement kinds (the variants named *Stmt), and `Ref::stmt`, so the fence's
    statement allowlist is an exhaustive match too.

Usage: scripts/gen-nodes.py [PROTOBUF_RS] > src/fence/nodes.rs   (make gen-nodes)
Without PROTOBUF_RS it is the cargo registry's copy of the version in Cargo.lock. A unit test runs this and compares.
"""

import glob
import os
import re
import subprocess
import sys


def protobuf_rs():
    if len(sys.argv) > 1:
        m = re.search(r"pg_query-([0-9.]+)", sys.argv[1])
        return sys.argv[1], m.group(1) if m else "?"
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    with open(os.path.join(root, "Cargo.lock")) as f:
        m = re.search(r'name = "pg_query"\nversion = "([^"]+)"', f.read())
    if not m:
        sys.exit("gen-nodes: pg_query is not in Cargo.lock")
    home = os.environ.get("CARGO_HOME") or os.path.expanduser("~/.cargo")
    found = sorted(glob.glob(os.path.join(home, "registry", "src", "*", "pg_query-" + m.group(1), "src", "protobuf.rs")))
    if found:
        return found[0], m.group(1)
    sys.exit("gen-nodes: pg_query's source is not in the cargo registry; run cargo build first")


def normalise(ty):
    ty = re.sub(r"\s+", "", ty).replace(",>", ">")
    ty = ty.replace("::prost::alloc::string::String", "RustString")
    for prefix in ("::prost::alloc::vec::", "::core::option::", "::prost::alloc::boxed::", "super::"):
        ty = ty.replace(prefix, "")
    return ty


def parse(text):
    text = "\n".join(l for l in text.splitlines() if not l.strip().startswith("//"))
    structs = {}
    for m in re.finditer(r"pub struct (\w+) \{(\}|.*?\n\})", text, re.S):
        fields, depth, cur = [], 0, ""
        for ch in re.sub(r"#\[[^\]]*\]", "", m.group(2).rstrip("}"), flags=re.S):
            if ch == "<":
                depth += 1
            elif ch == ">":
                depth -= 1
            if ch == "," and depth == 0:
                fields.append(cur)
                cur = ""
            else:
                cur += ch
        out = []
        for f in fields:
            f = re.sub(r"#\[[^\]]*\]", "", f, flags=re.S).strip()
            fm = re.match(r"pub (\w+):(.*)$", f, re.S)
            if fm:
                out.append((fm.group(1), normalise(fm.group(2))))
        structs[m.group(1)] = out
    enums = {}
    for m in re.finditer(r"pub mod (\w+) \{.*?pub enum (\w+) \{(.*?)\n    \}", text, re.S):
        body = re.sub(r"#\[[^\]]*\]", "", m.group(3), flags=re.S)
        variants = [(v, normalise(t)) for v, t in re.findall(r"(\w+)\(\s*([^()]*?)\s*,?\s*\)", body)]
        enums[m.group(1) + "::" + m.group(2)] = variants
    return structs, enums


def main():
    path, version = protobuf_rs()
    with open(path) as f:
        structs, enums = parse(f.read())
    kinds = enums["node::Node"]  # (variant, type): type is `X` or `Box<X>`
    unbox = lambda t: t[4:-1] if t.startswith("Box<") else t
    variant_of = {}
    for v, t in kinds:
        assert unbox(t) not in variant_of, f"{unbox(t)} is the payload of two node kinds"
        variant_of[unbox(t)] = v

    def visits(field, ty):
        """The lines that visit one field, or [] for a scalar; fails on a type it does not know."""
        inner = ty
        if inner.startswith("Option<") and inner.endswith(">"):
            inner = unbox(inner[7:-1])
            if inner == "Node":
                return [f"if let Some(x) = n.{field}.as_ref().and_then(|x| x.node.as_ref()) {{ f(Ref::of(x)); }}"]
            if inner in variant_of:
                return [f"if let Some(x) = &n.{field} {{ f(Ref::{variant_of[inner]}(x)); }}"]
            if inner in enums:
                arms = ", ".join(
                    f"pb::{inner}::{v}(x) => f(Ref::{variant_of[unbox(t)]}(x))" for v, t in enums[inner]
                )
                return [f"if let Some(x) = &n.{field} {{ match x {{ {arms} }} }}"]
        if inner.startswith("Vec<") and inner.endswith(">"):
            inner = inner[4:-1]
            if inner == "Node":
                return [f"for x in &n.{field} {{ if let Some(x) = &x.node {{ f(Ref::of(x)); }} }}"]
            if inner in variant_of:
                return [f"for x in &n.{field} {{ f(Ref::{variant_of[inner]}(x)); }}"]
            if inner in ("u64", "RustString"):
                return []
        if ty in ("i32", "u32", "i64", "u64", "bool", "f64", "RustString"):
            return []
        sys.exit(f"gen-nodes: field {field}: {ty} is a type this generator does not know")

    out = []
    w = out.append
    w("//! Generated by scripts/gen-nodes.py from pg_query " + version + "'s protobuf.rs (libpg_query's")
    w("//! pg_query.proto): do not edit; run `make gen-nodes` after upgrading pg_query.")
    w("//!")
    w("//! The fence's typed view of a parse tree: `Ref` is a borrowed node of any kind, `Ref::of` an")
    w("//! exhaustive match over `node::Node`, `Ref::children` every message-typed field of every kind, and")
    w("//! `Stmt` the statement kinds. A kind pg_query adds is a compile error here or in `statements.rs`;")
    w("//! a field it adds is visited. Must never judge anything: that is the walk's.")
    w("")
    w("#![allow(clippy::enum_variant_names)] // pg_query's names: SubscriptingRef, InsertStmt, ...")
    w("")
    w("use pg_query::protobuf as pb;")
    w("use pg_query::protobuf::node::Node;")
    w("")
    w("/// A node of any kind, borrowed from the tree.")
    w("#[derive(Debug, Clone, Copy)]")
    w("pub(crate) enum Ref<'a> {")
    for v, t in kinds:
        w(f"    {v}(&'a pb::{unbox(t)}),")
    w("}")
    w("")
    stmts = [(v, t) for v, t in kinds if v.endswith("Stmt")]
    w("/// A node that is a statement kind.")
    w("#[derive(Debug, Clone, Copy)]")
    w("#[allow(dead_code)] // the fence refuses some kinds by name alone, without reading them")
    w("pub(crate) enum Stmt<'a> {")
    for v, t in stmts:
        w(f"    {v}(&'a pb::{unbox(t)}),")
    w("}")
    w("")
    w("impl<'a> Ref<'a> {")
    w("    /// The node inside a `Node`.")
    w("    pub(crate) fn of(n: &'a Node) -> Ref<'a> {")
    w("        match n {")
    for v, t in kinds:
        w(f"            Node::{v}(x) => Ref::{v}(x),")
    w("        }")
    w("    }")
    w("")
    w("    /// The node's kind, as pg_query names it.")
    w("    pub(crate) fn kind(self) -> &'static str {")
    w("        match self {")
    for v, t in kinds:
        w(f"            Ref::{v}(_) => \"{v}\",")
    w("        }")
    w("    }")
    w("")
    w("    /// The address of the node itself: which child a handler has already visited.")
    w("    pub(crate) fn addr(self) -> *const () {")
    w("        match self {")
    for v, t in kinds:
        w(f"            Ref::{v}(x) => std::ptr::from_ref(x).cast(),")
    w("        }")
    w("    }")
    w("")
    w("    /// The node's own `location` (a byte offset in the parsed text; -1 when unknown).")
    w("    pub(crate) fn location(self) -> Option<i32> {")
    w("        match self {")
    with_loc = [v for v, t in kinds if ("location", "i32") in structs[unbox(t)]]
    without = [v for v, t in kinds if v not in with_loc]
    for v in with_loc:
        w(f"            Ref::{v}(x) => Some(x.location),")
    w("            " + " | ".join(f"Ref::{v}(_)" for v in without) + " => None,")
    w("        }")
    w("    }")
    w("")
    w("    /// The statement kind, if the node is one.")
    w("    pub(crate) fn stmt(self) -> Option<Stmt<'a>> {")
    w("        match self {")
    for v, t in stmts:
        w(f"            Ref::{v}(x) => Some(Stmt::{v}(x)),")
    w("            " + " | ".join(f"Ref::{v}(_)" for v, t in kinds if not v.endswith("Stmt")) + " => None,")
    w("        }")
    w("    }")
    w("")
    w("    /// Calls `f` on every child node, in field order.")
    w("    pub(crate) fn children(self, f: &mut dyn FnMut(Ref<'a>)) {")
    w("        match self {")
    for v, t in kinds:
        lines = [l for field, ty in structs[unbox(t)] for l in visits(field, ty)]
        if not lines:
            w(f"            Ref::{v}(_) => {{}}")
            continue
        w(f"            Ref::{v}(n) => {{")
        for l in lines:
            w("                " + l)
        w("            }")
    w("        }")
    w("    }")
    w("}")
    sys.stdout.write("\n".join(out) + "\n")


main()
