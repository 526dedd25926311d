//! The password file (`~/.pgpass`, `PGPASSFILE`, `passfile=`): `host:port:database:user:password`
//! lines read as libpq reads them: `*` alone matches anything, `\` escapes `:` and `\`, and a file
//! that the group or others can read is ignored with a warning. Never logs a password.

use std::path::Path;

/// One line: `None` is the wildcard `*`.
#[derive(Debug, PartialEq)]
struct Line {
    fields: [Option<String>; 4],
    password: String,
}

/// What a connection asks the file for; `host` is already libpq's `localhost` for the default socket.
pub struct Want<'a> {
    pub host: &'a str,
    pub port: u16,
    pub dbname: &'a str,
    pub user: &'a str,
}

/// The password of the first matching line, if the file is there, private and has one.
pub fn lookup(file: &Path, want: &Want) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(file).ok()?;
    if !meta.is_file() {
        tracing::warn!("password file {:?} is not a plain file; ignoring it", file);
        return None;
    }
    if meta.permissions().mode() & 0o077 != 0 {
        tracing::warn!(
            "password file {:?} has group or world access; permissions should be u=rw (0600) or less; ignoring it",
            file
        );
        return None;
    }
    let text = std::fs::read_to_string(file).ok()?;
    find(&text, want)
}

fn find(text: &str, want: &Want) -> Option<String> {
    let port = want.port.to_string();
    let wanted = [want.host, port.as_str(), want.dbname, want.user];
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(parse)
        .find(|line| {
            line.fields
                .iter()
                .zip(wanted)
                .all(|(f, w)| f.as_deref().is_none_or(|f| f == w))
        })
        .map(|line| line.password)
}

/// Splits a line on unescaped `:`; a line with fewer than five fields is skipped, as libpq does.
fn parse(line: &str) -> Option<Line> {
    let mut fields: Vec<(String, bool)> = vec![(String::new(), false)];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == ':' {
            // The password ends at the next unescaped ':' too.
            if fields.len() == 5 {
                break;
            }
            fields.push((String::new(), false));
            continue;
        }
        let (cur, escaped) = fields.last_mut()?;
        if c == '\\' {
            if let Some(next) = chars.next() {
                cur.push(next);
                *escaped = true;
            }
        } else {
            cur.push(c);
        }
    }
    if fields.len() < 5 {
        return None;
    }
    let mut it = fields.into_iter().map(|(text, escaped)| {
        if text == "*" && !escaped {
            None
        } else {
            Some(text)
        }
    });
    let fields = [it.next()?, it.next()?, it.next()?, it.next()?];
    let password = it.next()?.unwrap_or_else(|| "*".into());
    Some(Line { fields, password })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want<'a>(host: &'a str, port: u16, dbname: &'a str, user: &'a str) -> Want<'a> {
        Want {
            host,
            port,
            dbname,
            user,
        }
    }

    #[test]
    fn the_first_matching_line_wins_and_star_matches_anything() {
        let text = "# comment\ndb1:5432:app:ci:first\n*:5432:*:ci:second\nlocalhost:*:*:*:third\n";
        assert_eq!(
            find(text, &want("db1", 5432, "app", "ci")).as_deref(),
            Some("first")
        );
        assert_eq!(
            find(text, &want("db2", 5432, "other", "ci")).as_deref(),
            Some("second")
        );
        assert_eq!(
            find(text, &want("localhost", 6000, "x", "y")).as_deref(),
            Some("third")
        );
        assert_eq!(find(text, &want("db2", 6000, "x", "ci")), None);
    }

    #[test]
    fn backslash_escapes_colon_and_backslash_and_a_star() {
        assert_eq!(
            parse(r"h\:x:5432:d:u:pa\:ss\\w:rd").unwrap(),
            Line {
                fields: [
                    Some("h:x".into()),
                    Some("5432".into()),
                    Some("d".into()),
                    Some("u".into())
                ],
                password: r"pa:ss\w".into()
            }
        );
        // An escaped '*' is a literal star, not the wildcard.
        let text = "\\*:5432:d:u:lit\n";
        assert_eq!(find(text, &want("h", 5432, "d", "u")), None);
        assert_eq!(
            find(text, &want("*", 5432, "d", "u")).as_deref(),
            Some("lit")
        );
        assert_eq!(parse("h:5432:d:u"), None);
    }

    #[test]
    fn a_file_others_can_read_is_ignored() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("pgpass");
        std::fs::write(&f, "*:*:*:*:secret\n").unwrap();
        let w = want("h", 1, "d", "u");
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(lookup(&f, &w).as_deref(), Some("secret"));
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(lookup(&f, &w), None);
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert_eq!(lookup(&f, &w), None);
        assert_eq!(lookup(d.path(), &w), None);
        assert_eq!(lookup(&d.path().join("missing"), &w), None);
    }
}
