//! en-migrate: parse the command line, set up logging to stderr, run the command, and turn its
//! outcome into an exit code in one place (`exit::code_for`).

mod cli;
mod commands;
mod db;
mod exit;
mod expected;
mod fence;
mod files;
mod lint;
mod plan;
mod report;
mod verify;

use cli::{Cli, Command};
use commands::{check, status, up};
use db::stop;
use exit::{Fail, Outcome};
use files::source;

/// mimalloc rather than glibc's malloc: the fence decodes every parse tree into many small boxes and
/// drops them soon after, and glibc's malloc and free were a seventh of `check`'s instructions on
/// 1000 small files.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Like sqlx-cli and dbmate: a .env in the working directory may carry DATABASE_URL. It is read
    // before parsing because clap takes `--database-url` from the environment; it never overrides a
    // variable that is already set.
    if !std::env::args().any(|a| a == "--no-dotenv") {
        // A missing .env is fine; a malformed one is an error, not silently half read.
        match dotenvy::dotenv() {
            Err(dotenvy::Error::LineParse(line, at)) => {
                let n = std::fs::read_to_string(".env")
                    .ok()
                    .and_then(|t| t.lines().position(|l| l.contains(line.as_str())))
                    .map_or(String::new(), |i| format!("line {}: ", i + 1));
                print_error(&anyhow::anyhow!(".env in the working directory cannot be read: {n}{line:?} is not NAME=VALUE (at character {at})").hint("fix or remove that line, or pass --no-dotenv"));
                std::process::exit(exit::ERROR);
            }
            Err(dotenvy::Error::Io(e)) if e.kind() != std::io::ErrorKind::NotFound => {
                print_error(
                    &anyhow::anyhow!(".env in the working directory cannot be read: {e}")
                        .hint("fix its permissions or pass --no-dotenv"),
                );
                std::process::exit(exit::ERROR);
            }
            _ => {}
        }
    }
    let parsed = <Cli as clap::CommandFactory>::command()
        .try_get_matches()
        .and_then(|m| {
            let name = m.subcommand_name().unwrap_or_default().to_string();
            <Cli as clap::FromArgMatches>::from_arg_matches(&m).map(|c| (c, name))
        });
    let (cli, name) = match parsed {
        Ok(c) => c,
        Err(e) => {
            // clap prints help/version to stdout with exit 0, usage errors to stderr with exit 2.
            let _ = e.print();
            if e.use_stderr() && json_requested() {
                let err = anyhow::anyhow!("{}", e.render()).kind(exit::Kind::Usage);
                report::emit(
                    &command_word(),
                    Some(report::ErrorDoc::new(&err, exit::USAGE)),
                );
            }
            std::process::exit(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    init_logging(&cli);
    let result = run(&cli);
    if let Err(err) = &result {
        print_error(err);
    }
    let code = exit::code_for(&result, stop::requested());
    let scripts = matches!(cli.command, Command::Completions { .. } | Command::Man);
    if cli.format == cli::Format::Json && !scripts {
        let error = match &result {
            Err(err) => Some(report::ErrorDoc::new(err, code)),
            Ok(o) if code != exit::OK => Some(report::ErrorDoc::outcome(*o, code)),
            Ok(_) => None,
        };
        report::emit(&name, error);
    }
    std::process::exit(code);
}

/// `--format json` on a command line clap refused: its error is a JSON document too.
fn json_requested() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.windows(2)
        .any(|w| w[0] == "--format" && w[1] == "json")
        || args.iter().any(|a| a == "--format=json")
}

/// The subcommand a refused command line named, as far as it can be told (the first bare word).
fn command_word() -> String {
    std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-') && a != "json" && a != "text")
        .unwrap_or_default()
}

fn run(cli: &Cli) -> anyhow::Result<Outcome> {
    if let Command::Check(args) = &cli.command {
        return check::run(args, cli.format);
    }
    if let Command::Lint(args) = &cli.command {
        return check::lint(args, cli.format);
    }
    if let Command::Completions { shell } = &cli.command {
        clap_complete::generate(
            *shell,
            &mut <Cli as clap::CommandFactory>::command(),
            "en-migrate",
            &mut std::io::stdout(),
        );
        return Ok(Outcome::Ok);
    }
    if let Command::Man = &cli.command {
        clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
            .render(&mut std::io::stdout())?;
        return Ok(Outcome::Ok);
    }
    if let Command::New(args) = &cli.command {
        let path = source::next_file_name(&args.dir, &args.name)?;
        std::fs::create_dir_all(&args.dir)?;
        std::fs::write(&path, format!(
            "-- {}: describe what this migration does and why.\n-- Keep every name schema-qualified: expert_network.table_name.\n\n",
            path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default()
        ))?;
        if cli.format == cli::Format::Json {
            report::document(
                "new",
                &serde_json::json!({"path": path.display().to_string()}),
            );
        } else {
            println!("{}", path.display());
        }
        return Ok(Outcome::Ok);
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        // Its blocking threads load and fence files (`up`'s early fence): a main thread's stack.
        .thread_stack_size(fence::THREAD_STACK)
        .build()?;
    rt.block_on(stop::guard(async {
        match &cli.command {
            Command::Up(args) => up::run(args, cli.format).await,
            Command::Status(args) => {
                read_bounded(&args.connect, &args.read, status::run(args, cli.format)).await
            }
            Command::Verify(args) => {
                read_bounded(
                    &args.connect,
                    &args.read,
                    commands::verify::run(args, cli.format),
                )
                .await
            }
            Command::Baseline(args) => commands::baseline::run(args, cli.format).await,
            Command::Repair(args) => commands::repair::run(args, cli.format).await,
            Command::Check(_)
            | Command::Lint(_)
            | Command::New(_)
            | Command::Completions { .. }
            | Command::Man => {
                unreachable!("handled before the runtime starts")
            }
        }
    }))
}

/// `status` and `verify`, which only read, wait for the server at most `--read-timeout` after
/// connecting (`--connect-timeout`): a hung path must not hold a snapshot and a job forever.
async fn read_bounded(
    connect: &cli::ConnectOpts,
    read: &cli::ReadOpts,
    command: impl std::future::Future<Output = anyhow::Result<Outcome>>,
) -> anyhow::Result<Outcome> {
    let bound = read.read_timeout + std::time::Duration::from_secs(connect.connect_timeout);
    match tokio::time::timeout(bound, command).await {
        Ok(out) => out,
        Err(_) => Err(anyhow::anyhow!(
            "no answer from the server within {}s; nothing was changed (this command only reads).",
            bound.as_secs()
        )
        .hint("check the network path, proxy or pooler between en-migrate and the server")),
    }
}

fn init_logging(cli: &Cli) {
    let default = if cli.quiet {
        "error"
    } else {
        match cli.verbose {
            0 => "warn",
            1 => "en_migrate=debug,info",
            _ => "trace",
        }
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let ansi = std::env::var_os("NO_COLOR").is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false)
        .without_time()
        .init();
}

/// The error on stderr, as `exit::write_error` lays it out.
fn print_error(err: &anyhow::Error) {
    let _ = exit::write_error(&mut std::io::stderr().lock(), err);
}

/// The unit tests' insta settings: every snapshot in `src/snapshots` under the name its test gives,
/// whichever folder the test's file sits in. Results are compared whole.
#[cfg(test)]
fn snapshots() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/src/snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s
}

/// `sql` with what changes from run to run masked: the stall marker, the guard's per-process tag
/// and the version in the tracker's `applied_by`.
#[cfg(test)]
fn masked(sql: &str) -> String {
    sql.replace(db::stall::marker(), "/* en-migrate [marker] */ ")
        .replace(db::guard::tag(), "[tag]")
        .replace(
            concat!("en-migrate ", env!("CARGO_PKG_VERSION")),
            "en-migrate [version]",
        )
}
