//! The types of a PL/pgSQL body's DECLARE section, read from its text: libpg_query's PL/pgSQL parser
//! drops a type it cannot resolve, so the fence reads the declarations itself; and expert_network's own
//! types, which the parser does not know, are given a stand-in before the body is parsed, as are the
//! header's forms it cannot handle without a catalog (`VARIADIC`, `table.column%TYPE`).
//!
//! Must never let a declared type outside expert_network and the catalogs pass unchecked.

use super::plpgsql_walk::sole_expression;
use super::walk::{name_parts, Walker};
use super::SCHEMA;
use pg_query::protobuf::node::Node as N;

/// A token of PL/pgSQL text: (start, end, lower-cased text). Strings, comments and dollar-quoted text
/// are skipped; quoted identifiers keep their quotes in `text`.
fn tokens(text: &str) -> Vec<(usize, usize, String)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
    while i < b.len() {
        let c = b[i];
        if let Some((end, _)) = crate::files::lexer::comment_end(b, i) {
            i = end;
        } else if c == b'\'' {
            i += 1;
            while i < b.len() && !(b[i] == b'\'' && b.get(i + 1) != Some(&b'\'')) {
                i += if b[i] == b'\'' { 2 } else { 1 };
            }
            i += 1;
        } else if c == b'"' {
            let start = i;
            i += 1;
            while i < b.len() && !(b[i] == b'"' && b.get(i + 1) != Some(&b'"')) {
                i += if b[i] == b'"' { 2 } else { 1 };
            }
            i = (i + 1).min(b.len());
            out.push((start, i, text[start..i].to_string()));
        } else if c == b'$' && !b.get(i + 1).is_some_and(|d| d.is_ascii_digit()) {
            let end = (i + 1..b.len())
                .find(|&j| !word(b[j]) || b[j] == b'$')
                .unwrap_or(b.len());
            if b.get(end) == Some(&b'$') {
                let tag = &text[i..=end];
                i = text[end + 1..]
                    .find(tag)
                    .map_or(b.len(), |k| end + 1 + k + tag.len());
            } else {
                i += 1;
            }
        } else if word(c) {
            let start = i;
            while i < b.len() && word(b[i]) {
                i += 1;
            }
            out.push((start, i, text[start..i].to_lowercase()));
        } else {
            if !c.is_ascii_whitespace() {
                out.push((i, i + 1, (c as char).to_string()));
            }
            i += 1;
        }
    }
    out
}

fn unquote(t: &str) -> String {
    t.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .map_or_else(|| t.to_string(), |x| x.replace("\"\"", "\""))
}

/// Replaces `expert_network.name` used as a type (not followed by `(`, `.` or `%`; in a declaration,
/// with its modifier: `expert_network.vector(384)`) with `with`; in a
/// body only where a declaration's type is (`name [CONSTANT] type`), never inside a cursor's query
/// or a default's expression, whose relations the fence must see as written (a stand-in there was
/// read as a relation of that name). A declaration's unqualified type that `own` says is one of
/// expert_network's (`all_buckets s3region[]` in a body with its own search_path, as ente writes
/// it) is replaced too: libpg_query cannot look it up either. Only the parse sees the stand-in;
/// `declared_types` judges the names as written.
pub(super) fn neutralise_types(
    text: &str,
    with: &str,
    declare_only: bool,
    own: &dyn Fn(&str) -> bool,
) -> String {
    let toks = tokens(text);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut in_declare = false;
    let mut at_decl_start = false;
    // In a body, the token where the current declaration's type begins.
    let mut type_at = None;
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i].2;
        if declare_only {
            match t.as_str() {
                "declare" => {
                    in_declare = true;
                    at_decl_start = true;
                    i += 1;
                    continue;
                }
                "begin" => in_declare = false,
                ";" if in_declare => {
                    at_decl_start = true;
                    i += 1;
                    continue;
                }
                _ if in_declare && at_decl_start => {
                    // The declaration's name; its type follows, after CONSTANT if written.
                    at_decl_start = false;
                    let constant = toks.get(i + 1).is_some_and(|x| x.2 == "constant");
                    type_at = Some(i + 1 + usize::from(constant));
                    i += 1;
                    continue;
                }
                _ => {}
            }
        }
        // `name%ROWTYPE`: libpg_query reads such a variable as one without fields, so a body that
        // assigns one (`cache_record.org_id := ...`) cannot be parsed; the stand-in has them.
        if declare_only && in_declare && type_at == Some(i) {
            if let Some(k) = rowtype_end(&toks, i) {
                out.push_str(&text[last..toks[i].0]);
                out.push_str(with);
                last = toks[k].1;
                i = k + 1;
                continue;
            }
        }
        let is_type_position = !declare_only || (in_declare && type_at == Some(i));
        // In a header, an unqualified name `own` says is one of expert_network's types, written
        // where a type may be (not a call or the function's name, before `(`; not a qualified
        // name's part): `variadic target_type application_type[]` under the file's own path, as
        // logto writes it, read as an array of record otherwise.
        let header_own = !declare_only
            && i > 0
            && toks[i - 1].2 != "."
            && !matches!(
                toks.get(i + 1).map(|x| x.2.as_str()),
                Some("(") | Some(".") | Some("%")
            );
        if header_own && unquote(t) != SCHEMA && own(&unquote(t)) {
            out.push_str(&text[last..toks[i].0]);
            out.push_str(with);
            last = toks[i].1;
            i += 1;
            continue;
        }
        if declare_only && in_declare && type_at == Some(i) {
            let next = toks.get(i + 1).map(|x| x.2.as_str());
            let word = t.starts_with('"')
                || t.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80);
            if word && !matches!(next, Some(".") | Some("%")) && own(&unquote(t)) {
                let end = (next == Some("("))
                    .then(|| matching_paren(&toks, i + 1))
                    .flatten()
                    .unwrap_or(i);
                out.push_str(&text[last..toks[i].0]);
                out.push_str(with);
                last = toks[end].1;
                i = end + 1;
                continue;
            }
        }
        if is_type_position
            && unquote(t) == SCHEMA
            && toks.get(i + 1).is_some_and(|d| d.2 == ".")
            && i + 2 < toks.len()
        {
            let next = toks.get(i + 3).map(|x| x.2.as_str());
            // A declaration's type with a modifier (`expert_network.vector(384)`): the stand-in
            // takes no modifier, so it replaces the modifier too. Elsewhere `(` opens a call or
            // the header's parameter list.
            let typmod_end = (declare_only && next == Some("("))
                .then(|| matching_paren(&toks, i + 3))
                .flatten();
            if let Some(end) = typmod_end {
                out.push_str(&text[last..toks[i].0]);
                out.push_str(with);
                last = toks[end].1;
                i = end + 1;
                continue;
            }
            if !matches!(next, Some("(") | Some(".") | Some("%")) {
                out.push_str(&text[last..toks[i].0]);
                out.push_str(with);
                last = toks[i + 2].1;
                i += 3;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&text[last..]);
    out
}

/// The index of the `)` that closes the `(` at `open`, if the tokens close it.
fn matching_paren(toks: &[(usize, usize, String)], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, t) in toks.iter().enumerate().skip(open) {
        match t.2.as_str() {
            "(" => depth += 1,
            ")" => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            ";" => return None,
            _ => {}
        }
    }
    None
}

/// The index of `rowtype` when the tokens from `at` read `name[.name...]%ROWTYPE`.
fn rowtype_end(toks: &[(usize, usize, String)], at: usize) -> Option<usize> {
    let is_name = |t: &str| {
        t.starts_with('"')
            || t.chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
    };
    let mut i = at;
    loop {
        if !is_name(&toks.get(i)?.2) {
            return None;
        }
        match toks.get(i + 1)?.2.as_str() {
            "." => i += 2,
            "%" => return (toks.get(i + 2)?.2 == "rowtype").then_some(i + 2),
            _ => return None,
        }
    }
}

/// A function's header with each `table.column%TYPE` (a parameter's or the result's type) replaced by
/// `text`: libpg_query cannot look the column up and fails ("Not implemented"). The body does not
/// depend on it, and the main walk checks the names of the reference as written.
pub(super) fn drop_column_types(header: &str) -> String {
    let toks = tokens(header);
    let mut out = String::with_capacity(header.len());
    let mut last = 0;
    for i in 1..toks.len() {
        if toks[i].2 != "%" || toks.get(i + 1).is_none_or(|t| t.2 != "type") {
            continue;
        }
        // Back from the last name over `. name` to the reference's first name: at least one dot.
        let mut first = i - 1;
        while first >= 2 && toks[first - 1].2 == "." {
            first -= 2;
        }
        if first == i - 1 || toks[first].0 < last {
            continue;
        }
        out.push_str(&header[last..toks[first].0]);
        out.push_str("text");
        last = toks[i + 1].1;
    }
    out.push_str(&header[last..]);
    out
}

/// A function's header without its `VARIADIC` parameter modes. libpg_query checks that a VARIADIC
/// parameter's type is an array through a catalog it does not have, so it refuses every such function
/// ("VARIADIC parameter must be an array"). The mode changes only how callers pass the arguments:
/// the body sees the same array parameter, and the header's types were checked as names before.
pub(super) fn drop_variadic(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut last = 0;
    for (start, end, t) in tokens(header) {
        if t == "variadic" {
            out.push_str(&header[last..start]);
            last = end;
        }
    }
    out.push_str(&header[last..]);
    out
}

/// The types of DECLAREd variables, read from the text: libpg_query's JSON drops the type of a
/// variable whose type it cannot resolve (`x public.citext` comes back without a name).
pub(super) fn declared_types(w: &mut Walker<'_, '_>, body: &str, base: usize) {
    let toks = tokens(body);
    let mut in_declare = false;
    let mut at_decl_start = false;
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i].2.as_str();
        match t {
            "declare" => {
                in_declare = true;
                at_decl_start = true;
            }
            "begin" => in_declare = false,
            ";" if in_declare => at_decl_start = true,
            _ if in_declare && at_decl_start => {
                // name [CONSTANT] type ...
                at_decl_start = false;
                let mut j = i + 1;
                if toks.get(j).is_some_and(|x| x.2 == "constant") {
                    j += 1;
                }
                let name = unquote(&toks[i].2);
                if toks.get(j).is_some_and(|x| {
                    x.2 == "alias" || x.2 == "cursor" || x.2 == "no" || x.2 == "scroll"
                }) {
                    w.declared_variable(&name, None);
                    i += 1;
                    continue;
                }
                let mut parts = Vec::new();
                let start = toks.get(j).map_or(0, |x| x.0);
                while let Some(x) = toks.get(j) {
                    parts.push(unquote(&x.2));
                    if toks.get(j + 1).is_some_and(|d| d.2 == ".") {
                        j += 2;
                    } else {
                        break;
                    }
                }
                let pct = toks
                    .get(j + 1)
                    .filter(|d| d.2 == "%")
                    .and_then(|_| toks.get(j + 2))
                    .map(|x| x.2.clone());
                w.here = base + start;
                // The type as written up to `:=`, DEFAULT, NOT NULL, COLLATE or `;`.
                let end = toks[j.min(toks.len())..]
                    .iter()
                    .find(|t| {
                        matches!(
                            t.2.as_str(),
                            ":" | "=" | ";" | "default" | "not" | "collate"
                        )
                    })
                    .map_or(body.len(), |t| t.0);
                let written = body.get(start..end.max(start)).filter(|_| pct.is_none());
                w.declared_variable(&name, written);
                if pct.is_none() {
                    w.definer_type(&parts, false);
                }
                if let Some(pct @ ("type" | "rowtype")) = pct.as_deref() {
                    w.declared_type_source(&parts, pct == "rowtype");
                } else if parts.len() >= 2 {
                    w.check_schema_pub(&parts[parts.len() - 2], &parts[parts.len() - 1], true);
                } else if pct.is_none() && parts.len() == 1 {
                    // Read by the SQL parser, which maps SQL's spellings (`double precision`)
                    // to types.
                    if let Some(names) = declared_type_names(&body[start..end.max(start)]) {
                        w.type_reference(&names, false);
                    }
                }
                // libpg_query's JSON leaves out the default of a record or row variable (`r record
                // := (SELECT ...)`, a composite type's, one given the stand-in above), which the
                // server still runs: every default is walked from the text.
                if let Some((from, to)) = default_expression(&toks, j) {
                    super::plpgsql_walk::walk_expression_text(w, &body[from..to], base + from);
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
}

/// Where the default of the declaration whose type ends at token `j` is (`:= expr`, `= expr`,
/// `DEFAULT expr`, up to the `;` that ends the declaration), as byte offsets.
fn default_expression(toks: &[(usize, usize, String)], j: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut from = None;
    for (start, end, t) in toks.iter().skip(j) {
        match t.as_str() {
            "(" | "[" => depth += 1,
            ")" | "]" => depth = depth.saturating_sub(1),
            ";" if depth == 0 => return from.map(|f| (f, *start)),
            "=" | "default" if depth == 0 && from.is_none() => from = Some(*end),
            _ => {}
        }
    }
    None
}

/// The type name parts of `text` read as a type by the SQL parser (`SELECT NULL::text`); None when
/// it does not read as one (the PL/pgSQL parser reports that).
fn declared_type_names(text: &str) -> Option<Vec<String>> {
    sole_expression(&format!("NULL::{text}"), |e| match e {
        N::TypeCast(c) => name_parts(&c.type_name.as_ref()?.names),
        _ => None,
    })
}
