//! The connection service file (`pg_service.conf`): an INI file of named sets of connection
//! parameters, looked up as libpq does: `servicefile`/`PGSERVICEFILE` or `~/.pg_service.conf` first,
//! then `pg_service.conf` in `PGSYSCONFDIR`. Reads files only; knows nothing of the environment.

use super::params::{self, Params};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// The parameters of service `name` from the first file that defines it, and that file.
pub fn lookup(name: &str, files: &[PathBuf]) -> Result<(Params, PathBuf)> {
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            // libpq skips a file that is not there and tries the next.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot read service file {}", file.display()))
            }
        };
        if let Some(found) = entry(&text, name, file)? {
            return Ok((found, file.clone()));
        }
    }
    let looked: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    bail!(
        "definition of service {name:?} not found in {}; add a [{name}] section or fix service=/PGSERVICE",
        looked.join(" or ")
    )
}

/// The `[name]` section of one file, if it has one. Every line of the file is checked, so a typo
/// is reported whichever service it belongs to.
fn entry(text: &str, name: &str, file: &Path) -> Result<Option<Params>> {
    let mut found: Option<Params> = None;
    let mut in_section = false;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let at = || format!("service file {}, line {}", file.display(), n + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[') {
            let Some(section) = section.strip_suffix(']') else {
                bail!(
                    "syntax error in {}: a section name needs a closing \"]\"",
                    at()
                );
            };
            in_section = section == name;
            if in_section && found.is_none() {
                found = Some(Params::new());
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            bail!("syntax error in {}: expected key=value", at());
        };
        let (key, value) = (key.trim(), value.trim());
        if key == "service" {
            bail!("nested service specifications are not supported ({})", at());
        }
        params::check(key, value, &at())?;
        if in_section {
            if let Some(f) = found.as_mut() {
                // The first value of a key in the section wins, as in libpq.
                f.entry(key.to_string())
                    .or_insert_with(|| value.to_string());
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# services\n[prod]\nhost=db1.internal\nport = 6432\n\n[ci]\n  dbname=ci  \nsslmode=require\n";

    #[test]
    fn a_section_is_read_and_others_are_not() {
        let p = entry(FILE, "ci", Path::new("f")).unwrap().unwrap();
        assert_eq!(p.get("dbname").map(String::as_str), Some("ci"));
        assert_eq!(p.get("sslmode").map(String::as_str), Some("require"));
        assert!(!p.contains_key("host"));
        assert_eq!(
            entry(FILE, "prod", Path::new("f"))
                .unwrap()
                .unwrap()
                .get("port")
                .map(String::as_str),
            Some("6432")
        );
        assert!(entry(FILE, "nope", Path::new("f")).unwrap().is_none());
    }

    #[test]
    fn errors_name_the_file_and_line() {
        for (text, says) in [
            (
                "[a]\nhost\n",
                "syntax error in service file f, line 2: expected key=value",
            ),
            ("[a]\nservice=b\n", "nested service specifications"),
            ("[a\n", "closing \"]\""),
            (
                "[b]\nhots=x\n[a]\nhost=h\n",
                "invalid connection option \"hots\" in service file f, line 2",
            ),
            (
                "[a]\nsslcrl=x\n",
                "sslcrl in service file f, line 2 is not supported",
            ),
        ] {
            let e = format!("{:#}", entry(text, "a", Path::new("f")).unwrap_err());
            assert!(e.contains(says), "{text:?}: {e}");
        }
    }

    #[test]
    fn the_first_file_that_defines_the_service_wins() {
        let d = tempfile::tempdir().unwrap();
        let user = d.path().join("user.conf");
        let sys = d.path().join("pg_service.conf");
        std::fs::write(&user, "[a]\nhost=from-user\n").unwrap();
        std::fs::write(&sys, "[a]\nhost=from-sys\n[b]\nhost=b-sys\n").unwrap();
        let files = [d.path().join("missing.conf"), user.clone(), sys.clone()];
        assert_eq!(lookup("a", &files).unwrap().0["host"], "from-user");
        let (b, from) = lookup("b", &files).unwrap();
        assert_eq!((b["host"].as_str(), from), ("b-sys", sys));
        let e = lookup("c", &files).unwrap_err().to_string();
        assert!(e.contains("definition of service \"c\" not found"), "{e}");
    }
}
