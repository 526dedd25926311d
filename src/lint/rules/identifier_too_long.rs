//! `identifier-too-long`: an identifier over 63 bytes (NAMEDATALEN - 1), which PostgreSQL cuts short
//! with only a NOTICE. The parser has already cut it in the tree, so this rule reads the scanner's
//! tokens of the statement's text instead.

use crate::lint::{Cx, Hit};
use pg_query::protobuf::Token;
use pg_query::NodeEnum;

/// PostgreSQL's longest name in bytes (NAMEDATALEN - 1 in a default build).
const MAX: usize = 63;

pub fn check(_node: &NodeEnum, cx: &Cx<'_>) -> Vec<Hit> {
    // Cheap first: no run of 64 bytes without a separator means no long identifier (a byte loop:
    // `str::split` on a set of chars cost 20 instructions a byte, on every statement).
    let mut run = 0;
    let long = cx.sql.bytes().any(|b| {
        run = if matches!(b, b' ' | b'\n' | b'.' | b',' | b'(' | b')') {
            0
        } else {
            run + 1
        };
        run > MAX
    });
    if !long {
        return vec![];
    }
    let Ok(scanned) = pg_query::scan(cx.sql) else {
        return vec![];
    };
    let mut out: Vec<Hit> = Vec::new();
    for t in scanned
        .tokens
        .iter()
        .filter(|t| t.token == Token::Ident as i32)
    {
        let Some(text) = cx.sql.get(t.start as usize..t.end as usize) else {
            continue;
        };
        let name = match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            Some(quoted) => quoted.replace("\"\"", "\""),
            None => text.to_lowercase(),
        };
        let message = format!(
            "{name:?} is {} bytes; PostgreSQL keeps the first {MAX}",
            name.len()
        );
        if name.len() > MAX && !out.iter().any(|h| h.message == message) {
            out.push(Hit::new(message));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{assert_ok, hits};
    use crate::lint::Rule::IdentifierTooLong as R;

    #[test]
    fn identifier_too_long_err() {
        assert_eq!(
            hits(R, R.about().example),
            ["\"experts_campaign_id_vendor_platform_id_status_created_at_idx_v10\" is 64 bytes; PostgreSQL keeps the first 63"]
        );
        let long = "c".repeat(64);
        assert_eq!(
            hits(
                R,
                &format!("CREATE TABLE expert_network.t (id bigint, \"{long}\" text);")
            )
            .len(),
            1
        );
        assert_eq!(
            hits(
                R,
                &format!("ALTER TABLE expert_network.t RENAME COLUMN a TO {long};")
            )
            .len(),
            1
        );
    }

    #[test]
    fn identifier_too_long_ok() {
        let max = "c".repeat(63);
        assert_ok(
            R,
            &[
                &format!("CREATE TABLE expert_network.t (id bigint, {max} text);"),
                &format!("SELECT '{}' AS x;", "c".repeat(70)),
            ],
        );
    }
}
