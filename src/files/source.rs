//! Finding migration files: the file-name grammar, the shipped set compiled into the binary, and the
//! checks that refuse a bad file before anything connects to a database.
//!
//! Owns: which files are migrations (`NNN_name.sql`, and repeatable `R_name.sql`), their versions and
//! order (versioned files by version, then repeatable files by name), and byte-level hygiene (UTF-8, NUL,
//! UTF-16, empty files). Never parses SQL (that is `fence`) and never touches a database.

use crate::exit::Fail;
use crate::files::migration::{Kind, Migration};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// Where the migrations come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// The `sql/` directory compiled into this binary.
    Embedded,
    /// A directory given with `--dir` or `EN_MIGRATE_DIR`.
    Dir(PathBuf),
}

impl Source {
    pub fn describe(&self) -> String {
        match self {
            Source::Embedded => "the migrations built into this binary".into(),
            Source::Dir(d) => d.display().to_string(),
        }
    }
}

/// A file name that parses as a migration: `NNN_name.sql`, or `R_name.sql` (version 0, unused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName {
    pub version: u64,
    pub name: String,
    pub kind: Kind,
}

/// Parses `NNN_name.sql` and `R_name.sql`. `Ok(None)` means "not a migration, ignore it"; `Err` means "looks like one
/// but is malformed", which the caller refuses so that a typo never silently skips a migration.
pub fn parse_file_name(file: &str) -> Result<Option<FileName>, String> {
    if file.starts_with('.') {
        return Ok(None); // editor swap files, .gitkeep, hidden files
    }
    // `.sql` in any case (without a lower-cased copy of every name in a long history).
    let ext = file.len().checked_sub(4).and_then(|at| file.get(at..));
    if !ext.is_some_and(|e| e.eq_ignore_ascii_case(".sql")) {
        return Ok(None);
    }
    let Some(stem) = file.strip_suffix(".sql") else {
        return Err("the extension must be lower-case `.sql`".into());
    };
    let Some((digits, name)) = stem.split_once('_') else {
        return Err(
            "expected NNN_name.sql (a number, an underscore, a name) or R_name.sql (repeatable)"
                .into(),
        );
    };
    let plain_name = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if digits == "R" {
        if !plain_name {
            return Err("the name of a repeatable file R_name.sql must match [a-z0-9_]+".into());
        }
        return Ok(Some(FileName {
            version: 0,
            name: name.to_string(),
            kind: Kind::Repeatable,
        }));
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(
            "expected NNN_name.sql (the version must be digits) or R_name.sql (repeatable, capital R)"
                .into(),
        );
    }
    if !plain_name {
        return Err("the name after the version must match [a-z0-9_]+".into());
    }
    let version = digits
        .parse::<u64>()
        .map_err(|_| format!("version {digits} does not fit in 64 bits"))?;
    Ok(Some(FileName {
        version,
        name: name.to_string(),
        kind: Kind::Versioned,
    }))
}

/// Loads every migration of `source`, sorted by version, or refuses with every problem found.
pub fn load(source: &Source) -> Result<Vec<Migration>> {
    let mut problems = Vec::new();
    let mut found: Vec<Found> = Vec::new();
    match source {
        Source::Embedded => {
            for (file, bytes) in EMBEDDED {
                match parse_file_name(file) {
                    Ok(Some(n)) => found.push(validate(
                        n,
                        file.to_string(),
                        format!("sql/{file}"),
                        bytes.to_vec(),
                    )),
                    Ok(None) => {}
                    Err(e) => problems.push(format!("sql/{file}: {e}")),
                }
            }
        }
        Source::Dir(dir) => {
            found = list_and_read(dir, &mut problems)?;
            // The listing comes in the file system's own order: its problems are named by path, the
            // same on every machine.
            problems.sort();
        }
    }
    // Versioned files by version, then repeatable files by name: the order `up` applies them in.
    found.sort_by(|a, b| order(&a.0, &a.1).cmp(&order(&b.0, &b.1)));
    for pair in found.windows(2) {
        if pair[0].0.kind == Kind::Versioned
            && pair[1].0.kind == Kind::Versioned
            && pair[0].0.version == pair[1].0.version
        {
            problems.push(format!(
                "{} and {}: duplicate version {}; renumber one of them",
                pair[0].2, pair[1].2, pair[0].0.version
            ));
        }
    }
    let mut migrations = Vec::with_capacity(found.len());
    for (_, _, path, m) in found {
        match m {
            Ok(m) => migrations.push(m),
            Err(e) => problems.push(format!("{path}: {e:#}")),
        }
    }
    if !problems.is_empty() {
        bail!(
            "{} problem{} with the migration files in {}:\n  {}",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            source.describe(),
            problems.join("\n  ")
        );
    }
    Ok(migrations)
}

/// Where a file sorts: versioned files by version, then repeatable files by name.
fn order<'a>(n: &FileName, file: &'a str) -> (bool, u64, &'a str) {
    (n.kind == Kind::Repeatable, n.version, file)
}

/// A file found: its name, the file name and path (kept for sorting and for messages), and the
/// migration or why it is refused.
type Found = (FileName, String, String, Result<Migration>);

fn validate(n: FileName, file: String, path: String, bytes: Vec<u8>) -> Found {
    let m = Migration::from_bytes(n.version, n.name.clone(), file.clone(), path.clone(), bytes);
    (n, file, path, m)
}

/// Lists `dir` and reads and validates every migration file in it, adding what is wrong with the
/// listing to `problems`; the files come back in the order `up` applies them.
fn list_and_read(dir: &Path, problems: &mut Vec<String>) -> Result<Vec<Found>> {
    let entries = std::fs::read_dir(dir).with_context(|| {
        format!(
            "cannot read the migrations directory {}; pass --dir with an existing directory",
            dir.display()
        )
    })?;
    let mut named = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        let file = entry.file_name().to_string_lossy().into_owned();
        match parse_file_name(&file) {
            Ok(None) => continue,
            Err(e) => problems.push(format!("{}: {e}", dir.join(&file).display())),
            Ok(Some(n)) => {
                // The directory listing's type, without a stat per file; a symbolic link is
                // followed to what it names.
                let regular = match entry.file_type() {
                    Ok(t) if !t.is_symlink() => t.is_file(),
                    _ => dir.join(&file).is_file(),
                };
                if !regular {
                    problems.push(format!(
                        "{}: named like a migration but is not a regular file",
                        dir.join(&file).display()
                    ));
                    continue;
                }
                named.push((n, file));
            }
        }
    }
    // Sorted before reading, so the files come back in order. Unstable is enough: no two files
    // share a name, so no two share a place; it moves the entries in place, where a stable sort
    // copies them out and back (a long history is thousands).
    named.sort_unstable_by(|a, b| order(&a.0, &a.1).cmp(&order(&b.0, &b.1)));
    read_all(dir, named)
}

/// Reads and validates the named files, on a few threads when there are many: a long history is
/// thousands of small files, and the system calls that open and read each one are most of a no-op
/// run's work.
fn read_all(dir: &Path, named: Vec<(FileName, String)>) -> Result<Vec<Found>> {
    // Opened once: each file is then opened by its name in it, without walking the path again.
    let handle = std::fs::File::open(dir)
        .with_context(|| format!("cannot open the migrations directory {}", dir.display()))?;
    let read = |(n, file): (FileName, String)| {
        // The path as `Path::join` and `display` write it, for the messages, built once per file.
        let path = dir.join(&file).display().to_string();
        let bytes = read_in(&handle, &file).with_context(|| format!("cannot read {path}"))?;
        Ok(validate(n, file, path, bytes))
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    if threads == 1 || named.len() < 256 {
        return named.into_iter().map(read).collect();
    }
    let per = named.len().div_ceil(threads);
    let mut named = named.into_iter();
    let chunks: Vec<Vec<_>> = (0..threads)
        .map(|_| named.by_ref().take(per).collect())
        .collect();
    let read = &read;
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|c| s.spawn(move || c.into_iter().map(read).collect::<Result<Vec<_>>>()))
            .collect();
        let mut out = Vec::new();
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part?),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok(out)
    })
}

/// Bytes a migration usually fits in: read into a buffer of the thread's, then copied out at their size.
const SMALL: usize = 16 << 10;

thread_local! {
    /// The buffer `read_in` reads a small file into: zeroed once per thread, not once per file (a
    /// long history is thousands of files, and zeroing 16 kB for each was as much work as reading it).
    static BUFFER: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; SMALL]);
}

/// One file of `dir`, in three system calls when it is small (open relative to the directory, a
/// read, the read that finds the end) where `std::fs::read` makes five (it walks the path and asks
/// the size first). A larger file is read at its size, without a copy.
fn read_in(dir: &std::fs::File, file: &str) -> std::io::Result<Vec<u8>> {
    use rustix::fs::{Mode, OFlags};
    use std::io::Read;
    let fd = rustix::fs::openat(dir, file, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?;
    let mut f = std::fs::File::from(fd);
    BUFFER.with_borrow_mut(|small| {
        let mut len = 0;
        while len < SMALL {
            match f.read(&mut small[len..]) {
                Ok(0) => return Ok(small[..len].to_vec()),
                Ok(n) => len += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let size = f.metadata().map_or(0, |m| m.len() as usize);
        let mut bytes = Vec::with_capacity(size.max(SMALL) + 1);
        bytes.extend_from_slice(small);
        f.read_to_end(&mut bytes)?;
        Ok(bytes)
    })
}

/// The next file name for `en-migrate new`: one past the highest version, zero-padded like the widest
/// existing version (at least three digits).
pub fn next_file_name(dir: &Path, name: &str) -> Result<PathBuf> {
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(anyhow::anyhow!(
            "the name {name:?} must match [a-z0-9_]+ (for example add_campaign_budget)"
        )
        .kind(crate::exit::Kind::Usage));
    }
    let mut max = 0u64;
    let mut width = 3usize;
    if dir.exists() {
        for entry in
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            let file = entry?.file_name().to_string_lossy().into_owned();
            if let Ok(Some(n)) =
                parse_file_name(&file).map(|n| n.filter(|n| n.kind == Kind::Versioned))
            {
                max = max.max(n.version);
                width = width.max(file.split('_').next().map_or(0, str::len));
            }
        }
    }
    let next = max
        .checked_add(1)
        .context("the highest version is already u64::MAX")?;
    Ok(dir.join(format!("{next:0width$}_{name}.sql")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(
            parse_file_name("001_init.sql"),
            Ok(Some(FileName {
                version: 1,
                name: "init".into(),
                kind: Kind::Versioned,
            }))
        );
        assert_eq!(
            parse_file_name("R_campaign_summary.sql")
                .unwrap()
                .unwrap()
                .kind,
            Kind::Repeatable
        );
        assert!(parse_file_name("r_x.sql")
            .unwrap_err()
            .contains("capital R"));
        assert!(parse_file_name("R_X.sql").is_err());
        assert!(parse_file_name("R_.sql").is_err());
        assert_eq!(parse_file_name("9_a.sql").unwrap().unwrap().version, 9);
        assert_eq!(parse_file_name("010_b.sql").unwrap().unwrap().version, 10);
        assert_eq!(parse_file_name("README.md"), Ok(None));
        assert_eq!(parse_file_name(".001_x.sql.swp"), Ok(None));
        assert_eq!(parse_file_name("001_x.sql.swp"), Ok(None));
        assert!(parse_file_name("003-a.sql").is_err());
        assert!(parse_file_name("003_A.sql").is_err());
        assert!(parse_file_name("003_.sql").is_err());
        assert!(parse_file_name("abc_x.sql").is_err());
        assert!(parse_file_name("001_x.SQL").is_err());
        assert!(parse_file_name("99999999999999999999_x.sql")
            .unwrap_err()
            .contains("64 bits"));
        assert_eq!(
            parse_file_name("18446744073709551615_x.sql")
                .unwrap()
                .unwrap()
                .version,
            u64::MAX
        );
    }

    #[test]
    fn embedded_set_loads_in_order() {
        let m = load(&Source::Embedded).unwrap();
        assert!(m.len() >= 3);
        assert_eq!(m[0].file_name, "001_create_expert_network_schema.sql");
        assert!(m.windows(2).all(|w| w[0].version < w[1].version));
    }

    #[test]
    fn directory_problems_are_all_listed() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("001_a.sql"), "SELECT 1;").unwrap();
        std::fs::write(d.path().join("1_b.sql"), "SELECT 1;").unwrap();
        std::fs::write(d.path().join("003-c.sql"), "SELECT 1;").unwrap();
        std::fs::create_dir(d.path().join("004_d.sql")).unwrap();
        std::fs::write(d.path().join("notes.txt"), "x").unwrap();
        // Repeatable files have no version to collide on.
        std::fs::write(d.path().join("R_a.sql"), "SELECT 1;").unwrap();
        std::fs::write(d.path().join("R_b.sql"), "SELECT 1;").unwrap();
        let err = format!("{:#}", load(&Source::Dir(d.path().into())).unwrap_err());
        assert!(err.contains("duplicate version 1"), "{err}");
        assert!(err.contains("003-c.sql"), "{err}");
        assert!(err.contains("not a regular file"), "{err}");
        assert!(!err.contains("notes.txt"), "{err}");
        assert!(!err.contains("R_a.sql"), "{err}");
    }

    #[test]
    fn misnamed_files_are_listed_by_path_whatever_the_directory_order() {
        let d = tempfile::tempdir().unwrap();
        // Made in reverse order, so neither creation order nor a hash order lists them sorted.
        let names: Vec<String> = ('a'..='z')
            .rev()
            .map(|c| format!("{c}-misnamed.sql"))
            .collect();
        for n in &names {
            std::fs::write(d.path().join(n), "SELECT 1;").unwrap();
        }
        let err = format!("{:#}", load(&Source::Dir(d.path().into())).unwrap_err());
        let listed: Vec<&str> = err
            .lines()
            .filter_map(|l| l.trim().split(": ").next())
            .filter(|p| p.ends_with("-misnamed.sql"))
            .collect();
        let mut sorted = listed.clone();
        sorted.sort();
        assert_eq!(listed.len(), names.len(), "{err}");
        assert_eq!(listed, sorted, "{err}");
    }

    #[test]
    fn repeatable_files_come_after_versioned_ones_by_name() {
        let d = tempfile::tempdir().unwrap();
        for f in ["R_b.sql", "002_y.sql", "R_a.sql", "010_z.sql"] {
            std::fs::write(d.path().join(f), "SELECT 1;").unwrap();
        }
        let names: Vec<String> = load(&Source::Dir(d.path().into()))
            .unwrap()
            .into_iter()
            .map(|m| m.file_name)
            .collect();
        assert_eq!(names, ["002_y.sql", "010_z.sql", "R_a.sql", "R_b.sql"]);
        std::fs::write(d.path().join("R_c.sql"), "SELECT 1;").unwrap();
        assert!(next_file_name(d.path(), "w")
            .unwrap()
            .ends_with("011_w.sql"));
    }

    #[test]
    fn a_long_history_loads_in_order_and_links_are_followed() {
        let d = tempfile::tempdir().unwrap();
        // Past the count where the files are read on several threads.
        for i in (1..=600).rev() {
            std::fs::write(
                d.path().join(format!("{i:04}_m.sql")),
                format!("SELECT {i};"),
            )
            .unwrap();
        }
        std::fs::write(d.path().join("target.txt"), "SELECT 0;").unwrap();
        std::os::unix::fs::symlink(d.path().join("target.txt"), d.path().join("0601_link.sql"))
            .unwrap();
        let m = load(&Source::Dir(d.path().into())).unwrap();
        let versions: Vec<u64> = m.iter().map(|m| m.version).collect();
        assert_eq!(versions, (1..=601).collect::<Vec<u64>>());
        assert_eq!(m[599].text, "SELECT 600;");
        assert_eq!(m[600].text, "SELECT 0;");
        std::os::unix::fs::symlink(d.path(), d.path().join("0602_dir.sql")).unwrap();
        let err = format!("{:#}", load(&Source::Dir(d.path().into())).unwrap_err());
        assert!(
            err.contains("0602_dir.sql: named like a migration but is not a regular file"),
            "{err}"
        );
    }

    #[test]
    fn files_of_every_size_around_the_read_buffer_read_whole() {
        let d = tempfile::tempdir().unwrap();
        let dir = std::fs::File::open(d.path()).unwrap();
        // Growing, then shrinking: the thread's buffer still holds the longer file before, and none
        // of it may show in the shorter one.
        let sizes = [0, 1, SMALL - 1, SMALL, SMALL + 1, 5 * SMALL + 3];
        for (k, len) in sizes.into_iter().chain(sizes.into_iter().rev()).enumerate() {
            let bytes: Vec<u8> = (0..len).map(|i| b'a' + ((i + k) % 26) as u8).collect();
            let path = d.path().join("001_x.sql");
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(read_in(&dir, "001_x.sql").unwrap(), bytes, "{len} bytes");
        }
        let missing = read_in(&dir, "002_gone.sql");
        assert_eq!(missing.unwrap_err().kind(), std::io::ErrorKind::NotFound);
    }

    #[test]
    fn next_name_pads_like_existing() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("0007_a.sql"), "SELECT 1;").unwrap();
        let p = next_file_name(d.path(), "add_x").unwrap();
        assert!(p.ends_with("0008_add_x.sql"));
        assert!(next_file_name(d.path(), "Bad-Name").is_err());
    }
}
