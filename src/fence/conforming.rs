//! String bodies read under the caller's `standard_conforming_strings`. The server parses a function's
//! string body (SQL, and each PL/pgSQL statement) when it runs, in the calling session, and with that
//! session's setting, which any client may turn off (`SET standard_conforming_strings = off`, a legacy
//! driver's default): then a backslash escapes the quote after it, and a plain `'...'` literal that
//! the fence read as ending there runs on, so the text after it is read as SQL the fence never saw
//! (PG 15: `SELECT 'x\' || ' ; DELETE FROM public.session; SELECT ''--'` deletes public's rows when
//! the session has it off; a SECURITY DEFINER body so written runs the hidden statement as its owner
//! for a caller who turns it off). Only a run of backslashes of odd length before a quote moves where
//! a literal ends; other backslashes change a literal's value (`'\d'`), not the statement. This module
//! only finds such literals; it must never touch a database.

use pg_query::protobuf::Token;

/// The byte offset in `body` of the first plain string literal whose end moves when
/// `standard_conforming_strings` is off. None when there is none, or the body cannot be scanned (the
/// parse that follows reports that).
pub(super) fn literal_read_otherwise(body: &str) -> Option<usize> {
    let scanned = pg_query::scan(body).ok()?;
    scanned
        .tokens
        .iter()
        .filter(|t| t.token == Token::Sconst as i32)
        .find_map(|t| {
            let start = usize::try_from(t.start).ok()?;
            let end = usize::try_from(t.end).ok()?;
            let raw = body.get(start..end)?;
            (plain(raw) && quote_escaped_when_off(raw)).then_some(start)
        })
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
        ] {
            assert!(literal_read_otherwise(body).is_some(), "{body}");
        }
        for body in [
            r"SELECT 'plain', 'it''s'",
            r"SELECT x ~ '^\d+$', regexp_replace(x, '\s+', ' ', 'g')",
            r"SELECT '\\'",
            r"SELECT E'x\' || ''', $q$x\'$q$, U&'\0041'",
            "SELECT 1 -- a comment's backslash \\'",
        ] {
            assert_eq!(literal_read_otherwise(body), None, "{body}");
        }
    }
}
