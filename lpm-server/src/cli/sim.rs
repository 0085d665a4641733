//! `lpm-server sim`: a simulated fleet on loopback addresses, each agent with a fresh
//! certificate from the CA directory, honouring its CRL, until SIGINT or SIGTERM.

use std::fs;
use std::io::ErrorKind;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use lpm_agent_client::Identity;
use lpm_agent_client::sim::{Fleet, FleetOptions, SimTiming, SystemClock};
use lpm_ca::Ca;
use lpm_ca::time::OffsetDateTime;

use crate::cli::ca::CRL_FILE;
use crate::cli::{CliError, SimArgs, wait_for_stop};

/// The most agents one `sim` process runs.
const MAX_AGENTS: usize = 60_000;

pub(crate) fn run(args: SimArgs) -> Result<(), CliError> {
    let first_ip: Ipv4Addr = args.first_ip.trim().parse().map_err(|_| {
        CliError::Invalid(format!(
            "invalid IPv4 address {:?} for --first-ip",
            args.first_ip
        ))
    })?;
    if args.count == 0 || args.count > MAX_AGENTS {
        return Err(CliError::Invalid(format!(
            "--count must be 1 to {MAX_AGENTS}"
        )));
    }
    if args.port == 0 {
        return Err(CliError::Invalid("--port must not be 0".into()));
    }
    let ca = Ca::load(&args.ca_dir)?;
    let crl_path = args.ca_dir.join(CRL_FILE);
    let crl = match fs::read_to_string(&crl_path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(source) => {
            return Err(CliError::Io {
                path: crl_path,
                source,
            });
        }
    };
    // Thousands of agents need thousands of sockets; failing to raise the limit is not fatal.
    let fd_limit = lpm_agent_client::raise_fd_limit().ok();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Invalid(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(serve(args, ca, crl, first_ip, fd_limit))
}

async fn serve(
    args: SimArgs,
    ca: Ca,
    crl: Option<String>,
    first_ip: Ipv4Addr,
    fd_limit: Option<u64>,
) -> Result<(), CliError> {
    let mut options = FleetOptions::new(args.count, first_ip, args.port, ca.root_pem());
    options.domain = args.domain.clone();
    options.seed = args.seed;
    options.crls_pem = crl.iter().cloned().collect();
    options.timing = SimTiming {
        per_package: Duration::from_millis(args.job_step_ms),
        reboot_down: Duration::from_secs(args.reboot_down_s),
        ..SimTiming::default()
    };
    options.clock = Arc::new(SystemClock);
    let now = OffsetDateTime::now_utc();
    let fleet = Fleet::launch(options, |ip, name| {
        let issued = ca.issue_agent_server(Some(name), Some(ip), now)?;
        Identity::from_pem(&issued.cert_pem, issued.key_pem.expose_secret())
            .map_err(|e| e.to_string())
            .map_err(CertError)
    })
    .await?;

    println!(
        "lpm-server sim: CA {}, CRL {}, open-file limit {}",
        args.ca_dir.join(lpm_ca::CA_CERT_FILE).display(),
        if crl.is_some() {
            args.ca_dir.join(CRL_FILE).display().to_string()
        } else {
            "none".to_owned()
        },
        fd_limit.map_or("unchanged".to_owned(), |n| n.to_string())
    );
    for agent in fleet.agents() {
        println!(
            "agent {} {} {} ({})",
            agent.addr(),
            agent.fqdn(),
            agent.distro().pretty_name(),
            agent.distro().package_manager()
        );
    }
    let agents = fleet.agents();
    let (first, last) = (
        agents.first().map(|a| a.addr().ip().to_string()),
        agents.last().map(|a| a.addr().ip().to_string()),
    );
    println!(
        "ready: {} agents on {}..{} port {}; stop with Ctrl-C or SIGTERM",
        fleet.len(),
        first.unwrap_or_default(),
        last.unwrap_or_default(),
        fleet.port()
    );
    wait_for_stop().await;
    fleet.shutdown().await;
    println!("stopped");
    Ok(())
}

/// A certificate could not be issued for an agent.
#[derive(Debug)]
struct CertError(String);

impl std::fmt::Display for CertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<lpm_ca::CaError> for CertError {
    fn from(e: lpm_ca::CaError) -> Self {
        Self(e.to_string())
    }
}
