//! libpq's connection parameters: the one table of every keyword libpq knows, with its environment
//! variable and whether en-migrate honours it, and the two parsers of a connection string (the
//! `postgres://` URL and `key=value` pairs). Parsing only: it reads no environment and no file.
//!
//! A keyword libpq knows but en-migrate cannot honour is refused by name, never dropped: a silently
//! ignored `sslcrl` or `requirepeer` would weaken what the operator asked for.

use anyhow::{anyhow, bail, Result};
use std::collections::BTreeMap;

/// Keyword -> value, as one source (a connection string, a service entry) gave them.
pub type Params = BTreeMap<String, String>;

/// What en-migrate does with a keyword.
#[derive(Debug, Clone, Copy)]
pub enum Support {
    /// Honoured as libpq documents it.
    Yes,
    /// Only these values (lower case) are accepted; the text says why the others are not.
    Only(&'static [&'static str], &'static str),
    /// Refused whenever set; the text says why and what to do instead.
    No(&'static str),
}

pub struct Keyword {
    pub name: &'static str,
    /// The environment variable libpq reads when the keyword is not given.
    pub env: Option<&'static str>,
    pub support: Support,
}

const fn kw(name: &'static str, env: Option<&'static str>, support: Support) -> Keyword {
    Keyword { name, env, support }
}

use Support::{No, Only, Yes};

/// Every keyword of libpq 18's `PQconndefaults`, in its documentation's order.
pub const KEYWORDS: &[Keyword] = &[
    kw("host", Some("PGHOST"), Yes),
    kw("hostaddr", Some("PGHOSTADDR"), Yes),
    kw("port", Some("PGPORT"), Yes),
    kw("dbname", Some("PGDATABASE"), Yes),
    kw("user", Some("PGUSER"), Yes),
    kw("password", Some("PGPASSWORD"), Yes),
    kw("passfile", Some("PGPASSFILE"), Yes),
    kw("require_auth", Some("PGREQUIREAUTH"), No("en-migrate cannot restrict the server's authentication methods; use channel_binding=require to insist on SCRAM over TLS")),
    kw("channel_binding", Some("PGCHANNELBINDING"), Yes),
    kw("connect_timeout", Some("PGCONNECT_TIMEOUT"), Yes),
    kw("client_encoding", Some("PGCLIENTENCODING"), Only(&["utf8", "utf-8", "unicode", "auto"], "en-migrate always speaks UTF8")),
    kw("options", Some("PGOPTIONS"), Yes),
    kw("application_name", Some("PGAPPNAME"), Yes),
    kw("fallback_application_name", None, Yes),
    kw("keepalives", None, Yes),
    kw("keepalives_idle", None, Yes),
    kw("keepalives_interval", None, Yes),
    kw("keepalives_count", None, Yes),
    kw("tcp_user_timeout", None, Yes),
    kw("replication", None, No("en-migrate needs a normal session, not a replication connection; remove replication")),
    kw("gssencmode", Some("PGGSSENCMODE"), Only(&["disable", "prefer"], "en-migrate has no GSSAPI; use TLS (sslmode)")),
    kw("sslmode", Some("PGSSLMODE"), Yes),
    kw("requiressl", Some("PGREQUIRESSL"), Yes),
    kw("sslnegotiation", Some("PGSSLNEGOTIATION"), Only(&["postgres"], "en-migrate negotiates TLS the PostgreSQL way only")),
    kw("sslcompression", Some("PGSSLCOMPRESSION"), Only(&["0"], "TLS compression is unsafe and rustls has none")),
    kw("sslcert", Some("PGSSLCERT"), Yes),
    kw("sslkey", Some("PGSSLKEY"), Yes),
    kw("sslpassword", None, Yes),
    kw("sslcertmode", Some("PGSSLCERTMODE"), Only(&["disable", "allow"], "en-migrate cannot tell whether the server asked for the certificate")),
    kw("sslrootcert", Some("PGSSLROOTCERT"), Yes),
    kw("sslcrl", Some("PGSSLCRL"), No("en-migrate does not check certificate revocation lists; remove sslcrl or connect with psql")),
    kw("sslcrldir", Some("PGSSLCRLDIR"), No("en-migrate does not check certificate revocation lists; remove sslcrldir or connect with psql")),
    kw("sslsni", Some("PGSSLSNI"), Yes),
    kw("sslkeylogfile", None, No("en-migrate never writes TLS keys to a file")),
    kw("requirepeer", Some("PGREQUIREPEER"), No("en-migrate cannot check the server process's OS user; remove requirepeer")),
    kw("ssl_min_protocol_version", Some("PGSSLMINPROTOCOLVERSION"), Yes),
    kw("ssl_max_protocol_version", Some("PGSSLMAXPROTOCOLVERSION"), Yes),
    kw("min_protocol_version", Some("PGMINPROTOCOLVERSION"), Only(&["3.0"], "en-migrate speaks protocol 3.0")),
    kw("max_protocol_version", Some("PGMAXPROTOCOLVERSION"), Yes),
    kw("krbsrvname", Some("PGKRBSRVNAME"), No("en-migrate has no Kerberos/GSSAPI authentication")),
    kw("gsslib", Some("PGGSSLIB"), No("en-migrate has no Kerberos/GSSAPI authentication")),
    kw("gssdelegation", Some("PGGSSDELEGATION"), Only(&["0"], "en-migrate has no Kerberos/GSSAPI authentication")),
    kw("scram_client_key", None, No("en-migrate authenticates SCRAM with a password only")),
    kw("scram_server_key", None, No("en-migrate authenticates SCRAM with a password only")),
    kw("oauth_issuer", None, No("en-migrate has no OAuth authentication")),
    kw("oauth_client_id", None, No("en-migrate has no OAuth authentication")),
    kw("oauth_client_secret", None, No("en-migrate has no OAuth authentication")),
    kw("oauth_scope", None, No("en-migrate has no OAuth authentication")),
    kw("target_session_attrs", Some("PGTARGETSESSIONATTRS"), Yes),
    kw("load_balance_hosts", Some("PGLOADBALANCEHOSTS"), Yes),
    kw("service", Some("PGSERVICE"), Yes),
    kw("servicefile", Some("PGSERVICEFILE"), Yes),
];

pub fn keyword(name: &str) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|k| k.name == name)
}

/// Refuses a keyword libpq does not know, or one en-migrate cannot honour with this value.
pub fn check(name: &str, value: &str, origin: &str) -> Result<()> {
    let Some(k) = keyword(name) else {
        bail!("invalid connection option {name:?} in {origin}; libpq has no such parameter")
    };
    match k.support {
        Yes => Ok(()),
        Only(values, _) if values.contains(&value.to_ascii_lowercase().as_str()) => Ok(()),
        Only(values, why) => bail!(
            "{name}={value} in {origin} is not supported: {why}; use {}",
            values.join(" or ")
        ),
        No(why) => bail!("{name} in {origin} is not supported: {why}"),
    }
}

/// Parses a connection string, either form, checking every keyword.
pub fn parse(conn: &str) -> Result<Params> {
    let params = if is_url(conn) {
        parse_url(conn)?
    } else {
        parse_key_values(conn)?
    };
    let origin = if is_url(conn) {
        "the connection URL"
    } else {
        "the connection string"
    };
    for (k, v) in &params {
        check(k, v, origin)?;
    }
    Ok(params)
}

pub fn is_url(s: &str) -> bool {
    s.starts_with("postgresql://") || s.starts_with("postgres://")
}

/// `postgres://[user[:password]@][host[:port][,...]][/dbname][?key=value&...]`, as libpq reads it:
/// hosts and ports become the comma lists of `host` and `port`, an empty host or port stays empty
/// (the default fills it later), and every part is percent-decoded.
fn parse_url(url: &str) -> Result<Params> {
    let bad = |what: String| anyhow!("invalid connection URL: {what}");
    let rest = url
        .strip_prefix("postgresql://")
        .or_else(|| url.strip_prefix("postgres://"))
        .ok_or_else(|| bad("it must start with postgres:// or postgresql://".into()))?;
    let (main, query) = match rest.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match main.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (main, None),
    };
    let mut out = Params::new();
    // The last '@' ends the credentials, so that an unencoded '@' in a password still works.
    let hostspec = match authority.rsplit_once('@') {
        Some((creds, hosts)) => {
            let (user, password) = match creds.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (creds, None),
            };
            if !user.is_empty() {
                out.insert("user".into(), decode(user, "the user name")?);
            }
            if let Some(p) = password {
                out.insert("password".into(), decode(p, "the password")?);
            }
            hosts
        }
        None => authority,
    };
    if !hostspec.is_empty() {
        let (mut hosts, mut ports) = (Vec::new(), Vec::new());
        for spec in hostspec.split(',') {
            let (host, port) = split_host_port(spec).map_err(bad)?;
            hosts.push(decode(host, "a host name")?);
            if !port.is_empty() && !port.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(format!(
                    "the port {port:?} of host {host:?} is not a number"
                )));
            }
            ports.push(port.to_string());
        }
        if hosts.iter().any(|h| !h.is_empty()) {
            out.insert("host".into(), hosts.join(","));
        }
        if ports.iter().any(|p| !p.is_empty()) {
            out.insert("port".into(), ports.join(","));
        }
    }
    if let Some(db) = path.filter(|p| !p.is_empty()) {
        out.insert("dbname".into(), decode(db, "the database name")?);
    }
    for pair in query.into_iter().flat_map(|q| q.split('&')) {
        if pair.is_empty() {
            continue;
        }
        let Some((k, v)) = pair.split_once('=') else {
            return Err(bad(format!(
                "the query parameter {pair:?} has no \"=value\""
            )));
        };
        let key = decode(k, "a query parameter name")?;
        let value = decode(v, &format!("the value of {key}"))?;
        // libpq's JDBC compatibility: ssl=true means sslmode=require.
        if key == "ssl" && value == "true" {
            out.insert("sslmode".into(), "require".into());
            continue;
        }
        if keyword(&key).is_none() {
            return Err(bad(format!(
                "unknown query parameter {key:?}; libpq has no such parameter"
            )));
        }
        out.insert(key, value);
    }
    Ok(out)
}

/// `host:port`, `[v6]:port`, `host`, `:port` or nothing.
fn split_host_port(spec: &str) -> Result<(&str, &str), String> {
    if let Some(v6) = spec.strip_prefix('[') {
        let (addr, after) = v6
            .split_once(']')
            .ok_or_else(|| format!("the IPv6 address in {spec:?} has no closing \"]\""))?;
        return match after {
            "" => Ok((addr, "")),
            _ => after
                .strip_prefix(':')
                .map(|p| (addr, p))
                .ok_or_else(|| format!("unexpected {after:?} after the IPv6 address in {spec:?}")),
        };
    }
    Ok(spec.split_once(':').unwrap_or((spec, "")))
}

fn decode(s: &str, what: &str) -> Result<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3).unwrap_or("");
            let v = u8::from_str_radix(hex, 16).map_err(|_| {
                anyhow!(
                    "invalid connection URL: bad percent-encoding {:?} in {what}",
                    &s[i..(i + 3).min(s.len())]
                )
            })?;
            if v == 0 {
                bail!("invalid connection URL: %00 in {what}");
            }
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| anyhow!("invalid connection URL: {what} is not UTF-8"))
}

/// `key=value` pairs separated by white space; a value may be single-quoted, and `\` escapes the
/// next character in or out of quotes (libpq's `conninfo_parse`).
fn parse_key_values(s: &str) -> Result<Params> {
    let bad = |what: String| anyhow!("invalid connection string: {what}");
    let mut out = Params::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(bad(format!(
                "missing \"=\" after {key:?} (write key=value pairs, or a postgres:// URL)"
            )));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    None => {
                        return Err(bad(format!(
                            "the quoted value of {key} has no closing quote"
                        )))
                    }
                    Some('\'') => break,
                    Some('\\') => value.extend(chars.next()),
                    Some(c) => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        out.insert(key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Vec<(String, String)> {
        parse(s).unwrap().into_iter().collect()
    }

    fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut v: Vec<_> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn urls_are_read_as_libpq_reads_them() {
        assert_eq!(
            p("postgres://u:p%40ss@db.internal:6432/app%20db?sslmode=require&application_name=x"),
            kv(&[
                ("user", "u"),
                ("password", "p@ss"),
                ("host", "db.internal"),
                ("port", "6432"),
                ("dbname", "app db"),
                ("sslmode", "require"),
                ("application_name", "x")
            ])
        );
        // No port: nothing, so that PGPORT can fill it.
        assert_eq!(
            p("postgresql://h/db"),
            kv(&[("host", "h"), ("dbname", "db")])
        );
        // Several hosts, some without a port; an IPv6 address; an unencoded '@' in a password.
        assert_eq!(
            p("postgres://u:a@b@h1:5433,[::1],h3:5434/d?target_session_attrs=read-write"),
            kv(&[
                ("user", "u"),
                ("password", "a@b"),
                ("host", "h1,::1,h3"),
                ("port", "5433,,5434"),
                ("dbname", "d"),
                ("target_session_attrs", "read-write")
            ])
        );
        // A socket directory, encoded or as a query parameter; nothing at all.
        assert_eq!(
            p("postgres://%2Fvar%2Frun%2Fpostgresql/d"),
            kv(&[("host", "/var/run/postgresql"), ("dbname", "d")])
        );
        assert_eq!(
            p("postgres:///d?host=/tmp&port=5999"),
            kv(&[("host", "/tmp"), ("port", "5999"), ("dbname", "d")])
        );
        assert_eq!(p("postgres://"), kv(&[]));
        assert_eq!(
            p("postgres://h?ssl=true"),
            kv(&[("host", "h"), ("sslmode", "require")])
        );
    }

    #[test]
    fn a_bad_url_says_which_part_is_wrong() {
        for (url, says) in [
            (
                "postgres://h:54x2/d",
                "the port \"54x2\" of host \"h\" is not a number",
            ),
            (
                "postgres://h/d?sslmod=require",
                "unknown query parameter \"sslmod\"",
            ),
            (
                "postgres://h/d?sslmode",
                "the query parameter \"sslmode\" has no \"=value\"",
            ),
            (
                "postgres://u:p%zz@h/d",
                "bad percent-encoding \"%zz\" in the password",
            ),
            ("postgres://[::1/d", "has no closing \"]\""),
            (
                "postgres://h/d?sslcrl=/x.crl",
                "sslcrl in the connection URL is not supported",
            ),
            (
                "postgres://h/d?gssencmode=require",
                "gssencmode=require in the connection URL is not supported",
            ),
        ] {
            let e = format!("{:#}", parse(url).unwrap_err());
            assert!(e.contains(says), "{url}: {e}");
        }
    }

    #[test]
    fn key_values_are_read_as_libpq_reads_them() {
        assert_eq!(
            p(r"host=h port = 5433 password='a b' dbname=a\ b user='x \'y\''"),
            kv(&[
                ("host", "h"),
                ("port", "5433"),
                ("password", "a b"),
                ("dbname", "a b"),
                ("user", "x 'y'")
            ])
        );
        assert_eq!(p("  service=prod  "), kv(&[("service", "prod")]));
        assert_eq!(p(""), kv(&[]));
        assert_eq!(
            p("options='-c search_path=x'"),
            kv(&[("options", "-c search_path=x")])
        );
    }

    #[test]
    fn the_readme_names_every_keyword_and_variable() {
        let readme = include_str!("../../../README.md");
        let section =
            &readme[readme.find("### Connecting").unwrap()..readme.find("## Exit codes").unwrap()];
        for k in KEYWORDS {
            let name = if k.name.starts_with("oauth_") {
                "oauth_*"
            } else {
                k.name
            };
            assert!(
                section.contains(&format!("`{name}`")),
                "README's Connecting section lacks {name}"
            );
            if let (Some(var), Yes) = (k.env, k.support) {
                assert!(
                    section.contains(&format!("`{var}`")),
                    "README's Connecting section lacks {var}"
                );
            }
        }
    }

    #[test]
    fn bad_key_values_say_which_part_is_wrong() {
        for (s, says) in [
            ("mydb", "missing \"=\" after \"mydb\""),
            ("host=h dbname", "missing \"=\" after \"dbname\""),
            ("host='h", "the quoted value of host has no closing quote"),
            ("hots=h", "invalid connection option \"hots\""),
            ("host=h requirepeer=postgres", "requirepeer in the connection string is not supported"),
            ("client_encoding=latin1", "client_encoding=latin1 in the connection string is not supported: en-migrate always speaks UTF8; use utf8"),
        ] {
            let e = format!("{:#}", parse(s).unwrap_err());
            assert!(e.contains(says), "{s}: {e}");
        }
        assert!(parse("client_encoding=UTF8 gssencmode=prefer").is_ok());
    }
}
