//! en-migrate: parse the command line, set up logging to stderr, run the command, and turn its
//! outcome into an exit code in one place (`exit::code_for`).

mod apply;
mod check;
mod cli;
mod connect;
mod db;
mod exit;
mod expected;
mod fence;
mod guard;
mod lint;
mod migration;
mod notx;
mod plan;
mod report;
mod session;
mod source;
mod status;
mod stop;
mod tracker;
mod up;
mod verify;

use clap::Parser;
use cli::{Cli, Command};
use exit::Outcome;

fn main() {
    // Like sqlx-cli and dbmate: a .env in the working directory may carry DATABASE_URL. It is read
    // before parsing because clap takes `--database-url` from the environment; it never overrides a
    // variable that is already set.
    if !std::env::args().any(|a| a == "--no-dotenv") {
        let _ = dotenvy::dotenv();
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // clap prints help/version to stdout with exit 0, usage errors to stderr with exit 2.
            let _ = e.print();
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
    std::process::exit(exit::code_for(&result));
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
            println!(
                "{}",
                serde_json::json!({"command": "new", "path": path.display().to_string()})
            );
        } else {
            println!("{}", path.display());
        }
        return Ok(Outcome::Ok);
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(stop::guard(async {
        match &cli.command {
            Command::Up(args) => up::run(args, cli.format).await,
            Command::Status(args) => status::run(args, cli.format).await,
            Command::Verify(args) => verify::run(args, cli.format).await,
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

/// `Error: ...` then `Caused by: ...` lines. The exit-code kind (`exit::Failure`) rides along as
/// context; it is not printed, since the messages already say what happened.
fn print_error(err: &anyhow::Error) {
    let kind = exit::kind(err).map(|k| k.to_string());
    let mut lines = err
        .chain()
        .map(|e| e.to_string())
        .filter(|l| Some(l) != kind.as_ref());
    if let Some(top) = lines.next() {
        eprintln!("Error: {top}");
    }
    for cause in lines {
        eprintln!("Caused by: {cause}");
    }
}
