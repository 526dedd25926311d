//! The command line: every flag, its default and its environment variable, as clap derive types.
//! Doc comments here are the help text, so they are short imperatives.

use crate::files::directives::parse_duration;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Apply and check the expert_network schema's migrations without touching anything in public.
#[derive(Debug, Parser)]
#[command(
    name = "en-migrate",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Log more to stderr (-v debug, -vv trace); RUST_LOG overrides
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Log only errors to stderr
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print results as text or as JSON (shapes in the README)
    #[arg(long, value_enum, default_value_t = Format::Text, global = true)]
    pub format: Format,

    /// Do not read DATABASE_URL from a .env file in the working directory
    #[arg(long, global = true)]
    pub no_dotenv: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations, each in its own transaction with its tracker row
    Up(UpArgs),
    /// Show every migration and its state: applied, pending, changed or missing
    Status(StatusArgs),
    /// Check migrations against the schema fence, offline (no database)
    Check(CheckArgs),
    /// List tables by schema and check the database against the migrations
    Verify(VerifyArgs),
    /// Warn about statements that lock tables production uses, or (--live) fail on its rows
    Lint(LintArgs),
    /// Create the next numbered migration file
    New(NewArgs),
    /// Record every migration up to a version as applied, without running it
    #[command(disable_version_flag = true)]
    Baseline(BaselineArgs),
    /// Record the new checksums of applied files edited on purpose, without running them
    Repair(RepairArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout
    #[command(hide = true)]
    Man,
}

/// Where the migrations come from.
#[derive(Debug, Clone, Args)]
pub struct SourceOpts {
    /// Run the .sql files in DIR instead of the migrations built into the binary
    #[arg(long, env = "EN_MIGRATE_DIR", value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Set a placeholder, e.g. --set app_role=raguser (defaults: app_role=raguser, readonly_role=expert_network_readonly)
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
}

/// How to reach the database.
#[derive(Debug, Clone, Args)]
pub struct ConnectOpts {
    /// Connect to URL (postgres://... or key=value); else libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, value_name = "URL")]
    pub database_url: Option<String>,

    /// Give up connecting after SECONDS, retrying refused connections and a starting server until then
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub connect_timeout: u64,
}

#[derive(Debug, Args)]
pub struct UpArgs {
    #[command(flatten)]
    pub source: SourceOpts,
    #[command(flatten)]
    pub connect: ConnectOpts,

    /// Wait at most SECONDS for another runner's migration lock (exit 5 after)
    #[arg(long, default_value_t = 300, value_name = "SECONDS")]
    pub lock_wait: u64,

    /// Give each migration's locks this long before retrying (e.g. 5s, 500ms)
    #[arg(long, default_value = "5s", value_name = "DURATION", value_parser = parse_duration)]
    pub ddl_lock_timeout: std::time::Duration,

    /// Retry a migration that hit --ddl-lock-timeout this many times, with back-off
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub lock_retries: u32,

    /// Cancel any statement running longer than DURATION, overriding the role's default (e.g. 30min)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub statement_timeout: Option<std::time::Duration>,

    /// Run each migration as ROLE, a role that owns expert_network and holds nothing else
    #[arg(long, env = "EN_MIGRATE_MIGRATION_ROLE", value_name = "ROLE")]
    pub migration_role: Option<String>,

    /// Stop after applying VERSION
    #[arg(long, value_name = "VERSION")]
    pub target: Option<u64>,

    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// With --dry-run: print, per migration, exactly the SQL that would be sent
    #[arg(long, requires = "dry_run")]
    pub sql: bool,

    /// Apply pending post-deploy files too (`-- en-migrate: post-deploy`), once every earlier file is applied
    #[arg(long)]
    pub post_deploy: bool,

    /// Proceed although applied migrations have no file
    #[arg(long)]
    pub ignore_missing: bool,

    /// Apply pending migrations older than the newest applied one
    #[arg(long)]
    pub allow_out_of_order: bool,

    /// Refuse to apply when expert_network differs from the record of the last migration (exit 4)
    #[arg(long)]
    pub refuse_on_drift: bool,
    /// Treat migrations applied by a newer release (newer than every file here) as drift (exit 4)
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub source: SourceOpts,
    #[command(flatten)]
    pub connect: ConnectOpts,

    /// Exit 4 when the database holds migrations newer than every file here
    #[arg(long)]
    pub strict: bool,

    #[command(flatten)]
    pub read: ReadOpts,
}

/// How long a command that only reads waits for the server.
#[derive(Debug, Clone, Args)]
pub struct ReadOpts {
    /// Give up (exit 1, nothing changed) when the server has not answered within DURATION after
    /// connecting (e.g. 30s, 10min): a hung path must not hold a snapshot and a CI job forever
    #[arg(long, default_value = "120s", value_name = "DURATION", value_parser = parse_duration)]
    pub read_timeout: std::time::Duration,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub source: SourceOpts,

    /// Fail (exit 3) on lint warnings too
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub source: SourceOpts,

    /// Fail (exit 3) when there is any warning
    #[arg(long)]
    pub deny_warnings: bool,

    /// Also run these rules, off by default (e.g. prefer-text,prefer-timestamptz)
    #[arg(long, env = "EN_MIGRATE_LINT_RULES", value_name = "RULE,...", value_delimiter = ',', value_parser = crate::lint::Rule::from_name)]
    pub rules: Vec<crate::lint::Rule>,

    /// List every rule (name, on or off by default, severity, what it warns about, an example) and exit
    #[arg(long)]
    pub list_rules: bool,

    /// Lint the pending migrations against the database: count the rows they would fail on, size the tables they lock
    #[arg(long)]
    pub live: bool,

    #[command(flatten)]
    pub connect: ConnectOpts,

    /// With --live: give each question to the database this long (e.g. 10s)
    #[arg(long, default_value = "10s", value_name = "DURATION", value_parser = parse_duration)]
    pub live_timeout: std::time::Duration,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub source: SourceOpts,
    #[command(flatten)]
    pub connect: ConnectOpts,

    /// Compare every object of expert_network with what the migrations made; name each difference
    #[arg(long)]
    pub drift: bool,

    #[command(flatten)]
    pub read: ReadOpts,

    /// Replay the applied migrations into the empty database at URL and compare with that (implies --drift)
    #[arg(long, value_name = "URL", conflicts_with = "shadow")]
    pub shadow_url: Option<String>,

    /// Like --shadow-url, in a scratch database created on this server and dropped after (needs CREATEDB)
    #[arg(long)]
    pub shadow: bool,

    /// Check that ROLE, the role `up --migration-role` runs migrations as, holds nothing outside expert_network
    #[arg(long, env = "EN_MIGRATE_MIGRATION_ROLE", value_name = "ROLE")]
    pub migration_role: Option<String>,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub source: SourceOpts,
    #[command(flatten)]
    pub connect: ConnectOpts,

    /// Record every versioned migration up to and including VERSION
    #[arg(long, value_name = "VERSION")]
    pub version: u64,

    /// Say what would be recorded and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Record although expert_network lacks tables those migrations create
    #[arg(long)]
    pub force: bool,

    /// Wait at most SECONDS for another runner's migration lock (exit 5 after)
    #[arg(long, default_value_t = 300, value_name = "SECONDS")]
    pub lock_wait: u64,
}

#[derive(Debug, Args)]
pub struct RepairArgs {
    #[command(flatten)]
    pub source: SourceOpts,
    #[command(flatten)]
    pub connect: ConnectOpts,

    /// Only these applied files (file names, e.g. 002_seed.sql); default every changed one
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,

    /// Record the new checksums (without it, repair only shows them)
    #[arg(long)]
    pub yes: bool,

    /// Wait at most SECONDS for another runner's migration lock (exit 5 after)
    #[arg(long, default_value_t = 300, value_name = "SECONDS")]
    pub lock_wait: u64,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Name of the migration, [a-z0-9_]+ (e.g. add_campaign_budget)
    pub name: String,

    /// Create the file in DIR
    #[arg(
        long,
        env = "EN_MIGRATE_DIR",
        default_value = "sql",
        value_name = "DIR"
    )]
    pub dir: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("5s").unwrap().as_millis(), 5000);
        assert_eq!(parse_duration("250ms").unwrap().as_millis(), 250);
        assert_eq!(parse_duration("2min").unwrap().as_secs(), 120);
        assert!(parse_duration("soon").is_err());
    }

    /// `status` and `verify` wait 120 s for the server unless told otherwise, and take a bound.
    #[test]
    fn read_commands_are_bounded() {
        let bound = |args: &[&str]| match Cli::try_parse_from(args).unwrap().command {
            Command::Status(a) => a.read.read_timeout,
            Command::Verify(a) => a.read.read_timeout,
            _ => unreachable!(),
        };
        assert_eq!(bound(&["en-migrate", "status"]).as_secs(), 120);
        assert_eq!(bound(&["en-migrate", "verify"]).as_secs(), 120);
        assert_eq!(
            bound(&["en-migrate", "verify", "--read-timeout", "10min"]).as_secs(),
            600
        );
        assert!(Cli::try_parse_from(["en-migrate", "status", "--read-timeout", "soon"]).is_err());
    }
}
