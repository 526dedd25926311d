//! String bodies read under the caller's `standard_conforming_strings`. The server parses a function's
//! string body (SQL, and each PL/pgSQL statement) when it runs, in the calling session, and with that
//! session's setting, which any client may turn off (`SET standard_conforming_strings = off`, a legacy
//! driver's default): then a backslash escapes the quote after it, and a plain `'...'` literal that
//! the fence read as ending there runs on, so the text after it is read as SQL the fence never saw
//! (PG 15: `SELECT 'x\' || ' ; DELETE FROM public.session; SELECT ''--'` deletes public's rows when
//! the session has it off; a SECURITY DEFINER body so written runs the hidden statement as its owner
//! for a caller who turns it off). Only a run of backslashes of odd length before a quote moves where
//! a literal ends; other backslashes change a literal's value (`'\d'`), not the statement. A string's
//! value may be SQL parsed in that session too, later: a constant `EXECUTE $e$...$e$`, a DO block or a
//! function created inside the body. So each other literal's value is scanned in turn, whatever its
//! quoting (PG 15: `EXECUTE $e$INSERT ... VALUES ('x\' || ' ); DELETE FROM public.session; -- ')$e$`
//! emptied public.session for a caller with the setting off). This module only finds such literals;
//! it must never touch a database.

use pg_query::protobuf::Token;

/// The byte offset in `body` of the first plain string literal whose end moves when
/// `standard_conforming_strings` is off. None when there is none, or the body cannot be scanned (the
/// parse that follows reports that).
pub(super) fn literal_read_otherwise(body: &str) -> Option<usize> {
    let scanned = pg_query::scan(body).ok()?;
    scanned
        .tokens
        .iter()
        .filter(|t| t.token == Token::Sconst as i32 || t.token == Token::Usconst as i32)
        .find_map(|t| {
            let start = usize::try_from(t.start).ok()?;
            let end = usize::try_from(t.end).ok()?;
            let raw = body.get(start..end)?;
            if plain(raw) && quote_escaped_when_off(raw) {
                return Some(start);
            }
            // A value that is SQL the server parses later, in the same session.
            value(raw)
                .and_then(|v| literal_read_otherwise(&v))
                .map(|_| start)
        })
}

/// The value of a string literal as the server reads it with the setting on, for the literals whose
/// value may hold a literal of its own: dollar-quoted, `'...'`, `N'...'`, `E'...'` and `U&'...'`
/// (with the default escape). None for bit strings, and for a value that cannot hold a quote.
fn value(raw: &str) -> Option<String> {
    let v = if let Some(q) = raw.strip_prefix(['E', 'e']) {
        escaped(q.strip_prefix('\'')?.strip_suffix('\'')?)
    } else if let Some(q) = raw.strip_prefix("U&").or_else(|| raw.strip_prefix("u&")) {
        unicode(&q.strip_prefix('\'')?.strip_suffix('\'')?.replace("''", "'"))
    } else {
        plain_value(raw)?
    };
    v.contains('\'').then_some(v)
}

/// The value of a dollar-quoted, `'...'` or `N'...'` literal, which no escape can change; None for
/// the others (`E'...'`, `U&'...'`, bit strings).
pub(super) fn plain_value(raw: &str) -> Option<String> {
    if let Some(rest) = raw.strip_prefix('$') {
        let tag = &raw[..rest.find('$')? + 2];
        return Some(raw.strip_prefix(tag)?.strip_suffix(tag)?.to_string());
    }
    let q = raw.strip_prefix(['N', 'n']).unwrap_or(raw);
    Some(q.strip_prefix('\'')?.strip_suffix('\'')?.replace("''", "'"))
}

/// An `E'...'` literal's value: a quote may be written `\'`, `''`, `\047`, `\x27` or `\u0027`.
fn escaped(q: &str) -> String {
    let mut out = String::with_capacity(q.len());
    let mut chars = q.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                chars.next_if_eq(&'\'');
                out.push('\'');
            }
            '\\' => {
                let Some(n) = chars.next() else { break };
                let (radix, len) = match n {
                    '0'..='7' => (8, 2),
                    'x' => (16, 2),
                    'u' => (16, 4),
                    'U' => (16, 8),
                    other => {
                        out.push(match other {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            _ => other,
                        });
                        continue;
                    }
                };
                let mut digits = if radix == 8 {
                    n.to_string()
                } else {
                    String::new()
                };
                while digits.len() < len + usize::from(radix == 8) {
                    match chars.next_if(|d| d.is_digit(radix)) {
                        Some(d) => digits.push(d),
                        None => break,
                    }
                }
                let code = u32::from_str_radix(&digits, radix).ok();
                out.extend(code.and_then(char::from_u32));
            }
            other => out.push(other),
        }
    }
    out
}

/// A `U&'...'` literal's value (quotes already undoubled): `\XXXX`, `\+XXXXXX` and `\\`.
fn unicode(q: &str) -> String {
    let mut out = String::with_capacity(q.len());
    let mut chars = q.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let len = if chars.next_if_eq(&'+').is_some() {
            6
        } else {
            4
        };
        let mut digits = String::new();
        while digits.len() < len {
            match chars.next_if(char::is_ascii_hexdigit) {
                Some(d) => digits.push(d),
                None => break,
            }
        }
        if digits.is_empty() {
            out.extend(chars.next());
        } else {
            let code = u32::from_str_radix(&digits, 16).ok();
            out.extend(code.and_then(char::from_u32));
        }
    }
    out
}

/// A literal the setting applies to: `'...'` and `N'...'`, not `E'...'`, `U&'...'`, `B'...'`,
/// `X'...'` or a dollar-quoted one.
fn plain(raw: &str) -> bool {
    raw.starts_with('\'') || raw.starts_with("N'") || raw.starts_with("n'")
}

/// Whether, inside the literal (closing quote included), an odd run of backslashes comes right before
/// a quote: with the setting off that quote is escaped instead of ending the literal or doubling.
fn quote_escaped_when_off(raw: &str) -> bool {
    let Some(open) = raw.find('\'') else {
        return false;
    };
    let mut run = 0usize;
    for c in raw[open + 1..].chars() {
        match c {
            '\\' => run += 1,
            '\'' if run % 2 == 1 => return true,
            _ => run = 0,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::literal_read_otherwise;

    #[test]
    fn a_backslash_before_a_quote_moves_the_end() {
        for body in [
            r"SELECT 'x\' || ' ; DELETE FROM public.session; SELECT ''--';",
            r"SELECT 'C:\'",
            r"SELECT 'a\''b'",
            r"SELECT N'x\\\' || 'y'",
            r"BEGIN PERFORM 'x\'; END",
            // A value parsed later in the same session: EXECUTE, a DO block, a nested body.
            r"BEGIN EXECUTE $e$SELECT 'x\' || ' ; DELETE FROM public.session; --'$e$; END",
            r"BEGIN EXECUTE 'SELECT $$a$$ || $q$ SELECT ''x\'' $q$'; END",
            r"BEGIN EXECUTE E'SELECT \'x\\\' || \' ; --\''; END",
            r"BEGIN EXECUTE E'SELECT \x27x\\\x27 || \047 ; --\047'; END",
            r"BEGIN EXECUTE U&'SELECT \0027x\\\0027 || \0027 ; --\0027'; END",
            r"DO $d$ BEGIN PERFORM $i$ SELECT 'x\' $i$; END $d$",
        ] {
            assert!(literal_read_otherwise(body).is_some(), "{body}");
        }
        for body in [
            r"SELECT 'plain', 'it''s'",
            r"SELECT x ~ '^\d+$', regexp_replace(x, '\s+', ' ', 'g')",
            r"SELECT '\\'",
            r"SELECT E'x\' || ''', $q$x\'$q$, U&'\0041'",
            "SELECT 1 -- a comment's backslash \\'",
            r"BEGIN EXECUTE $e$SELECT 'x', E'y\'z'$e$; RAISE NOTICE $m$it's$m$; END",
            r"BEGIN EXECUTE format($e$SELECT %L, '\d'$e$, x); END",
        ] {
            assert_eq!(literal_read_otherwise(body), None, "{body}");
        }
    }
}
