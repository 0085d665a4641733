//! The `lpm-server` command line: argument definitions ([`Cli`]), dispatch ([`run`]) and the
//! one-line error reporting operators' scripts rely on ([`CliError`], [`usage_error`]).

mod admin;
mod ca;
mod demo;
mod openapi;
pub(crate) mod serve;
mod sim;
mod worker;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use thiserror::Error;

/// The `lpm-server` command.
#[derive(Debug, Parser)]
#[command(
    name = "lpm-server",
    version,
    about = "lpm, the Linux patch manager: its internal CA and a simulated agent fleet",
    long_about = "lpm, the Linux patch manager. Today: the internal CA (`ca ...`), a \
                  simulated agent fleet (`sim`) and the HTTPS front door (`serve`, health and \
                  the API's foundations). The API resources, the worker and the web UI \
                  (`worker`, `all-in-one`, `demo`) are to come."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage the internal certificate authority.
    #[command(subcommand)]
    Ca(CaCommand),
    /// Run simulated agents on consecutive loopback addresses until stopped.
    Sim(SimArgs),
    /// Serve the web API over HTTPS (TLS 1.3) until SIGINT or SIGTERM.
    Serve(ServeArgs),
    /// Run the background worker (pollers, scheduler, executor, discovery, housekeeping) on
    /// PostgreSQL until SIGINT or SIGTERM; several may run side by side.
    Worker(ServeArgs),
    /// Run the web API and the worker in one process on one store (the mode for SQLite)
    /// until SIGINT or SIGTERM.
    AllInOne(ServeArgs),
    /// Manage accounts from the host itself (the first admin, recovery).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// A working system in one command: SQLite, the internal CA, an admin (credentials printed
    /// and saved), simulated agents in two groups, served over HTTPS until Ctrl-C.
    Demo(DemoArgs),
    /// Print the API's OpenAPI 3.1 document as JSON on stdout: the one committed as
    /// openapi/openapi.json and served at /api/v1/openapi.json. Generate a client from it.
    Openapi,
}

/// `lpm-server demo ...`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Where everything lives (created with mode 0700; a second run reuses it).
    #[arg(long, value_name = "D", default_value = "lpm-data")]
    pub data_dir: PathBuf,
    /// How many simulated agents.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub agents: usize,
    /// The HTTPS address to serve on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8443")]
    pub listen: SocketAddr,
    /// The first agent's loopback address; the others follow.
    #[arg(long, value_name = "IP", default_value = "127.0.10.1")]
    pub first_agent_ip: Ipv4Addr,
    /// The port every simulated agent listens on.
    #[arg(long, value_name = "PORT", default_value_t = 12443)]
    pub agent_port: u16,
}

/// `lpm-server admin ...`.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an account with a generated password and TOTP secret, printed once. This is
    /// how the first admin comes to be: there is no default password.
    Create {
        /// The configuration file (for the database); environment overrides apply.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// The login name.
        #[arg(long, value_name = "U")]
        username: String,
        /// The role.
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// Manage the IP allowlist from the host itself.
    #[command(subcommand)]
    Allowlist(AllowlistCommand),
    /// Measure Argon2id on this machine and record the parameters password hashing will use.
    #[command(
        long_about = "Measure Argon2id on this machine and record the parameters \
        password hashing will use.\n\nStarting from the SDD's 64 MiB, 3 iterations, 1 lane (or \
        the parameters recorded before), the cost is scaled until one hash takes the target time \
        (250-500 ms by default: slow for a guesser, quick enough for a login). Memory grows first, \
        up to --max-memory-mib, then iterations. The result is recorded in the database \
        (system_config key auth.argon2, audited) and printed with the time measured. Run it on the \
        machine that serves logins, while it is otherwise idle; `serve` uses the parameters from \
        its next start, and each existing password is re-hashed at its owner's next login."
    )]
    Calibrate {
        /// The configuration file (for the database); environment overrides apply.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// The time one hash should take, in milliseconds.
        #[arg(long, value_name = "LOW-HIGH", default_value = "250-500", value_parser = parse_target_ms)]
        target_ms: TargetMs,
        /// The most memory one hash may use, in MiB; every login running at once uses this much.
        #[arg(long, value_name = "MIB", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=1024))]
        max_memory_mib: u32,
    },
}

/// A target range of milliseconds, `LOW-HIGH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetMs {
    /// The fastest acceptable time.
    pub low: u64,
    /// The slowest acceptable time.
    pub high: u64,
}

fn parse_target_ms(raw: &str) -> Result<TargetMs, String> {
    let (low, high) = raw
        .split_once('-')
        .ok_or_else(|| format!("{raw:?} is not LOW-HIGH (milliseconds, e.g. 250-500)"))?;
    let number = |s: &str| {
        s.trim()
            .parse::<u64>()
            .map_err(|_| format!("{s:?} is not a number of milliseconds"))
    };
    let (low, high) = (number(low)?, number(high)?);
    if low > high || high == 0 || high > 60_000 {
        return Err(format!(
            "{raw:?}: LOW must not exceed HIGH, and HIGH must be 1 to 60000"
        ));
    }
    Ok(TargetMs { low, high })
}

/// `lpm-server admin allowlist ...`.
#[derive(Debug, Subcommand)]
pub enum AllowlistCommand {
    /// Clear the IP allowlist, so every address may connect again (TLS and authentication
    /// still apply): the way back in after a list that shuts everyone out. A running server
    /// picks it up at its next start.
    Reset {
        /// The configuration file (for the database); environment overrides apply.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

/// Roles the command line accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Everything.
    Admin,
    /// Hosts in their groups and ungrouped hosts.
    Operator,
    /// Reads everything, changes nothing.
    Auditor,
}

/// `lpm-server serve|worker|all-in-one ...`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The configuration file (TOML); without it, defaults apply. Environment variables
    /// PATCH_MANAGER__SECTION__KEY override it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `lpm-server ca ...`.
#[derive(Debug, Subcommand)]
pub enum CaCommand {
    /// Create a CA in DIR: ca.crt, ca.key (0600), the manager's client certificate
    /// manager.crt and manager.key (0600), and registry.json. Refuses to overwrite a CA.
    Init {
        /// The CA directory (created with mode 0700 if missing).
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        /// The CA's common name.
        #[arg(long, default_value = "lpm internal CA")]
        name: String,
        /// The manager certificate's common name.
        #[arg(long, default_value = "lpm-manager")]
        manager_name: String,
    },
    /// Issue an agent's server certificate: writes OUT/agent.crt, OUT/agent.key (0600) and
    /// OUT/ca.crt, and records it in DIR/registry.json.
    IssueAgent {
        /// The CA directory.
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        /// The host's FQDN (goes in the certificate's SAN and CN).
        #[arg(long, value_name = "FQDN")]
        host: String,
        /// The host's IP address (goes in the SAN too).
        #[arg(long, value_name = "IP")]
        ip: Option<String>,
        /// Where to write the bundle (created with mode 0700 if missing; existing bundle
        /// files are not overwritten).
        #[arg(long, value_name = "OUT")]
        out: PathBuf,
    },
    /// Revoke a certificate issued from DIR and rewrite DIR/crl.pem.
    Revoke {
        /// The CA directory.
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        /// The serial number in hex, with or without colons, any case.
        #[arg(long, value_name = "HEX")]
        serial: String,
        /// Why.
        #[arg(long, value_enum, default_value_t = Reason::Unspecified)]
        reason: Reason,
    },
    /// Write a freshly signed CRL (PEM) of every certificate revoked in DIR.
    Crl {
        /// The CA directory.
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Days until the CRL's nextUpdate.
        #[arg(long, default_value_t = 30)]
        days: u32,
    },
}

/// Revocation reasons the command line accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Reason {
    /// No reason given.
    Unspecified,
    /// The key was or may have been disclosed.
    KeyCompromise,
    /// A new certificate replaces it.
    Superseded,
    /// The host was retired.
    CessationOfOperation,
}

impl From<Reason> for lpm_ca::RevocationReason {
    fn from(r: Reason) -> Self {
        match r {
            Reason::Unspecified => lpm_ca::RevocationReason::Unspecified,
            Reason::KeyCompromise => lpm_ca::RevocationReason::KeyCompromise,
            Reason::Superseded => lpm_ca::RevocationReason::Superseded,
            Reason::CessationOfOperation => lpm_ca::RevocationReason::CessationOfOperation,
        }
    }
}

/// `lpm-server sim ...`.
#[derive(Debug, clap::Args)]
pub struct SimArgs {
    /// A CA directory made by `lpm-server ca init`: each agent gets a fresh certificate from
    /// it, and DIR/crl.pem is honoured when present.
    #[arg(long, value_name = "DIR")]
    pub ca_dir: PathBuf,
    /// How many agents.
    #[arg(long, value_name = "N")]
    pub count: usize,
    /// The first agent's IPv4 address; the others follow, skipping .0 and .255.
    #[arg(long, value_name = "IP")]
    pub first_ip: String,
    /// The port every agent listens on.
    #[arg(long, default_value_t = 12443)]
    pub port: u16,
    /// The domain of the agents' names (agent-127-0-1-5.DOMAIN).
    #[arg(long, default_value = "lpm.test")]
    pub domain: String,
    /// Seed of the hosts' state: the same seed gives the same fleet.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Milliseconds a job spends per package.
    #[arg(long, default_value_t = 300)]
    pub job_step_ms: u64,
    /// Seconds a rebooting agent stays down.
    #[arg(long, default_value_t = 5)]
    pub reboot_down_s: u64,
}

/// Why a command failed. Every message is one line.
#[derive(Debug, Error)]
pub enum CliError {
    /// The CA refused or failed.
    #[error(transparent)]
    Ca(#[from] lpm_ca::CaError),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// A file that must not be overwritten exists.
    #[error("{path} already exists; refusing to overwrite it")]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// The registry file is unreadable.
    #[error("registry {path}: {detail}")]
    Registry {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// No certificate with this serial was issued from this CA directory.
    #[error("no certificate with serial {serial} was issued from {dir}")]
    UnknownSerial {
        /// The serial, normalized.
        serial: String,
        /// The CA directory.
        dir: PathBuf,
    },
    /// An argument is invalid.
    #[error("{0}")]
    Invalid(String),
    /// The simulator could not start.
    #[error(transparent)]
    Sim(#[from] lpm_agent_client::sim::SimError),
}

/// Runs a parsed command; prints a one-line error and returns a failure code when it fails.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Ca(command) => ca::run(command),
        Command::Sim(args) => sim::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Worker(args) => worker::run_worker(args),
        Command::AllInOne(args) => worker::run_all_in_one(args),
        Command::Admin(command) => admin::run(command),
        Command::Demo(args) => demo::run(args),
        Command::Openapi => openapi::run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lpm-server: error: {}", one_line(&e.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// Reports an argument error from clap: help and version print as usual; anything else prints
/// one line (clap's first) and returns exit code 2.
pub fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
        }
        _ => {
            let rendered = error.render().to_string();
            let first = rendered
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("invalid arguments");
            let message = first.strip_prefix("error: ").unwrap_or(first);
            eprintln!("lpm-server: error: {} (see --help)", one_line(message));
            ExitCode::from(2)
        }
    }
}

fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Waits for SIGINT or SIGTERM.
pub(crate) async fn wait_for_stop() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let sigterm = async {
        match term.as_mut() {
            Some(signal) => {
                signal.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = sigterm => {}
    }
}

/// Parses an IP address argument.
fn parse_ip(raw: &str) -> Result<IpAddr, CliError> {
    lpm_core::net::parse_ip(raw).map_err(|e| CliError::Invalid(e.to_string()))
}
