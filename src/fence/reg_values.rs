//! Values the server coerces to a reg* type (`regclass`, `regproc`, `regconfig`, ...) or to an array
//! of one, and so reads as the names of objects: a cast (`'public.users'::regclass`,
//! `'{public.users}'::regclass[]`, `ARRAY['public.users']::regclass[]`, `'users'::text::regclass`)
//! or a reg* column's, domain's or parameter's default. Each name, an array literal's every element
//! too, is judged as that name written would be (`name_literal`); when the server looks it up is
//! part of the judgement: a literal coerced directly is bound where written, one that reaches the
//! type as text is looked up each time the expression runs (`looked_up_late`).
//!
//! Must never let a constant name reach a reg* value unjudged: an array literal this cannot read is
//! refused.

use super::resolve::{literal_text, looked_up_late};
use super::statements::REG_TYPES;
use super::walk::{name_parts, Walker};
use super::Rule;
use pg_query::protobuf::{self as pb, node::Node as N};

/// The reg* type a TypeName names, and whether it is an array of it (`regclass[]`, `_regclass`).
pub(super) fn reg_type(t: &pb::TypeName) -> Option<(String, bool)> {
    let last = name_parts(&t.names)?.pop()?;
    let is_reg = |n: &str| REG_TYPES.contains(&n) || n == "regnamespace";
    if is_reg(&last) {
        return Some((last, !t.array_bounds.is_empty()));
    }
    let element = last.strip_prefix('_').filter(|e| is_reg(e))?;
    Some((element.to_string(), true))
}

impl Walker<'_, '_> {
    /// `v`, coerced to `ty` (`array`: to an array of it). `elements_late`: the elements of an
    /// `ARRAY[...]` reach the type as text (a default's `ARRAY['x']` is built as text[] and coerced
    /// when it runs; an explicit `ARRAY['x']::regclass[]` coerces each element where written).
    pub(super) fn reg_value(&mut self, v: &N, ty: &str, array: bool, elements_late: bool) {
        // A literal cast to a reg* type on the way is judged by that cast.
        let late = match v {
            N::AConst(_) => false,
            N::TypeCast(_) if looked_up_late(v) => true,
            N::AArrayExpr(a) if array => {
                for e in a.elements.iter().filter_map(|e| e.node.as_ref()) {
                    match e {
                        N::AArrayExpr(_) => self.reg_value(e, ty, true, elements_late),
                        N::AConst(_) if elements_late => self.reg_value_text(e, ty, false, true),
                        _ => self.reg_value(e, ty, false, elements_late),
                    }
                }
                return;
            }
            _ => return,
        };
        self.reg_value_text(v, ty, array, late);
    }

    fn reg_value_text(&mut self, v: &N, ty: &str, array: bool, late: bool) {
        let Some(text) = literal_text(v) else { return };
        if !array {
            return self.name_literal(&text, ty, late);
        }
        match array_elements(&text) {
            Some(names) => {
                for name in names {
                    self.name_literal(&name, ty, late);
                }
            }
            None => self.refuse(
                Rule::ParseError,
                format!(
                    "cannot read '{text}' as an array of {ty}, whose every element names an object"
                ),
                Some("write the array as '{expert_network.a,expert_network.b}'"),
            ),
        }
    }
}

/// The non-NULL elements of an array literal, as PostgreSQL's `array_in` reads them for a type whose
/// delimiter is `,` (every reg* type's): optional dimensions (`[1:2]=`), nested braces, elements
/// quoted with `"` and `\` escapes, or unquoted (trimmed, `\` escaping a character, `NULL` for
/// null). None when the text is not such a literal (the server refuses it too).
pub(super) fn array_elements(text: &str) -> Option<Vec<String>> {
    let s = text.trim_start();
    // Dimensions: `[lo:hi]` (or `[hi]`) repeated, then `=`.
    let s = if s.starts_with('[') {
        let eq = s.find('=')?;
        let dims = &s[..eq];
        if !dims
            .chars()
            .all(|c| c.is_ascii_digit() || "[]:-+ \t\n\r".contains(c))
        {
            return None;
        }
        s[eq + 1..].trim_start()
    } else {
        s
    };
    let chars: Vec<char> = s.chars().collect();
    if chars.first() != Some(&'{') {
        return None;
    }
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    // After `{` or `,`: an element (or a nested array) may start.
    while i < chars.len() {
        match chars[i] {
            '{' => {
                depth += 1;
                i += 1;
            }
            '}' => {
                depth = depth.checked_sub(1)?;
                i += 1;
                if depth == 0 {
                    break;
                }
            }
            ',' | ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' => i += 1,
            '"' => {
                let mut e = String::new();
                i += 1;
                loop {
                    match chars.get(i)? {
                        '"' => break,
                        '\\' => {
                            e.push(*chars.get(i + 1)?);
                            i += 2;
                        }
                        c => {
                            e.push(*c);
                            i += 1;
                        }
                    }
                }
                i += 1;
                out.push(e);
            }
            _ => {
                let mut e = String::new();
                // Trailing white space is dropped, unless escaped.
                let mut kept = 0;
                let mut quoted_any = false;
                while let Some(&c) = chars.get(i) {
                    match c {
                        ',' | '{' | '}' => break,
                        '"' => return None,
                        '\\' => {
                            e.push(*chars.get(i + 1)?);
                            kept = e.len();
                            quoted_any = true;
                            i += 2;
                        }
                        c => {
                            e.push(c);
                            if !c.is_whitespace() {
                                kept = e.len();
                            }
                            i += 1;
                        }
                    }
                }
                if chars.get(i) == Some(&'{') {
                    return None;
                }
                e.truncate(kept);
                if quoted_any || !e.eq_ignore_ascii_case("null") {
                    out.push(e);
                }
            }
        }
    }
    // Nothing but white space may follow the outer braces.
    if depth != 0 || chars[i..].iter().any(|c| !c.is_whitespace()) {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::array_elements;

    #[test]
    fn array_literals_read_as_array_in_reads_them() {
        let v = |s: &str| array_elements(s).map(|v| v.join("|"));
        assert_eq!(v("{public.users}").as_deref(), Some("public.users"));
        assert_eq!(v("{}").as_deref(), Some(""));
        assert_eq!(
            v(r#"{ "public.session" , "\"public\".\"user\"",x}"#).as_deref(),
            Some(r#"public.session|"public"."user"|x"#)
        );
        assert_eq!(v("[0:1]={a,b}").as_deref(), Some("a|b"));
        assert_eq!(v("{{public.a},{b}}").as_deref(), Some("public.a|b"));
        assert_eq!(
            v("{NULL, null ,\"NULL\",\\NULL}").as_deref(),
            Some("NULL|NULL")
        );
        assert_eq!(v(r"{pub\lic.x  }").as_deref(), Some("public.x"));
        assert_eq!(v("{a\\ }").as_deref(), Some("a "));
        for bad in [
            "public.users",
            "{a",
            "{a}b",
            "{\"a}",
            "[1]{a}",
            "{a\"b\"}",
            "{a{b}}",
        ] {
            assert_eq!(array_elements(bad), None, "{bad}");
        }
    }
}
