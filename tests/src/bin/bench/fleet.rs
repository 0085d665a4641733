//! Fleet scenarios: polling 2,500 simulated agents (`fleet-poll`) and scanning /22 ranges
//! (`cidr-scan`). The simulator runs in this process, on the same runtime as the client, as a
//! worker polling a fleet on the same machine would.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use lpm_agent_client::sim::{Fleet, FleetOptions, SimTiming, Tarpit, agent_name, fleet_addresses};
use lpm_agent_client::{AgentClient, ClientOptions, FanOut, Identity, ScanOptions};
use lpm_ca::Ca;
use lpm_ca::time::OffsetDateTime;
use lpm_core::net::{Cidr, Port};

use crate::BenchResult;

/// The manager side: a CA and a client with the manager's certificate.
fn manager(ca: &Ca) -> BenchResult<AgentClient> {
    let now = OffsetDateTime::now_utc();
    let issued = ca.issue_manager_client("lpm-bench", now)?;
    let identity = Identity::from_pem(&issued.cert_pem, issued.key_pem.expose_secret())?;
    Ok(AgentClient::new(
        ca.root_pem(),
        &identity,
        ClientOptions::default(),
    )?)
}

/// Issues every agent's certificate up front, so the RSS figure holds what the simulator
/// keeps and not the transient cost of issuing.
fn identities(ca: &Ca, first: Ipv4Addr, count: usize) -> BenchResult<Vec<Identity>> {
    let now = OffsetDateTime::now_utc();
    fleet_addresses(first, count)?
        .into_iter()
        .map(|ip| {
            let name = agent_name(ip, "lpm.test");
            let c = ca.issue_agent_server(Some(&name), Some(IpAddr::V4(ip)), now)?;
            Ok(Identity::from_pem(&c.cert_pem, c.key_pem.expose_secret())?)
        })
        .collect()
}

async fn launch(ca: &Ca, first: Ipv4Addr, count: usize, port: u16) -> BenchResult<Fleet> {
    let certs = identities(ca, first, count)?;
    let mut certs = certs.into_iter();
    let mut options = FleetOptions::new(count, first, port, ca.root_pem());
    options.timing = SimTiming::default();
    Ok(Fleet::launch(options, |_, _| certs.next().ok_or("out of certificates")).await?)
}

/// Resident set size of this process in KiB: `VmRSS` of /proc/self/status.
fn vm_rss_kib() -> BenchResult<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .ok_or("no VmRSS in /proc/self/status")?;
    Ok(line
        .split_whitespace()
        .nth(1)
        .ok_or("malformed VmRSS line")?
        .parse()?)
}

/// `fleet-poll`: starts `agents` simulated agents, then times bare TLS handshakes to all of
/// them and a full health sweep through lpm-agent-client, both at `concurrency`.
pub(crate) async fn fleet_poll(
    agents: usize,
    first_ip: Ipv4Addr,
    port: u16,
    concurrency: usize,
) -> BenchResult<()> {
    let limit = lpm_agent_client::raise_fd_limit()?;
    eprintln!("open-file limit {limit}");
    let ca = Ca::generate("lpm-bench CA", OffsetDateTime::now_utc())?;
    let client = manager(&ca)?;
    eprintln!("issuing {agents} agent certificates");
    let certs = identities(&ca, first_ip, agents)?;
    let mut certs = certs.into_iter();
    // The simulator's memory: this process's RSS (VmRSS) after the fleet started, minus the
    // RSS before it, with the certificates already issued and the runtime already running.
    let before = vm_rss_kib()?;
    let started = Instant::now();
    let mut options = FleetOptions::new(agents, first_ip, port, ca.root_pem());
    options.timing = SimTiming::default();
    let fleet = Fleet::launch(options, |_, _| certs.next().ok_or("out of certificates")).await?;
    let after = vm_rss_kib()?;
    eprintln!(
        "{} agents on {}.. port {} started in {:.2} s",
        fleet.len(),
        first_ip,
        fleet.port(),
        started.elapsed().as_secs_f64()
    );
    let addresses: Vec<_> = fleet.agents().iter().map(|a| a.host_address()).collect();
    let fan = FanOut::new(concurrency);

    // Warm-up: the runtime's threads and allocator, on a few agents.
    let warm = fan
        .run(addresses.iter().take(concurrency), |a| client.handshake(a))
        .await;
    if let Some(Err(e)) = warm.into_iter().find(Result::is_err) {
        return Err(format!("warm-up handshake failed: {e}").into());
    }

    let start = Instant::now();
    let handshakes = fan.run(addresses.iter(), |a| client.handshake(a)).await;
    let handshake_s = start.elapsed().as_secs_f64();
    let failed = handshakes.iter().filter(|r| r.is_err()).count();
    if failed > 0 {
        return Err(format!("{failed} handshakes failed").into());
    }
    eprintln!("{agents} handshakes in {handshake_s:.2} s");

    let start = Instant::now();
    let sweep = fan.run(addresses.iter(), |a| client.health(a)).await;
    let sweep_s = start.elapsed().as_secs_f64();
    let failed = sweep.iter().filter(|r| r.is_err()).count();
    if failed > 0 {
        return Err(format!("{failed} health calls failed").into());
    }
    eprintln!("{agents} health calls in {sweep_s:.2} s");

    println!("handshake_s: {handshake_s:.2} s");
    println!("sweep_s: {sweep_s:.2} s");
    println!("sweep_over_handshake_ratio: {:.2}", sweep_s / handshake_s);
    println!(
        "sim_rss_mib: {:.1} MiB",
        after.saturating_sub(before) as f64 / 1024.0
    );
    let concurrency = u32::try_from(concurrency).unwrap_or(64);
    let worker_s = crate::worker::worker_sweep(&client, &fleet, concurrency).await?;
    eprintln!("{agents} hosts polled through the worker in {worker_s:.2} s");
    println!("worker_sweep_{agents}_s: {worker_s:.2} s");
    fleet.shutdown().await;
    Ok(())
}

/// `cidr-scan`: a /22 of silent hosts, then a /22 holding `agents` agents among addresses that
/// refuse connections.
pub(crate) async fn cidr_scan(
    silent_net: Cidr,
    mixed_net: Cidr,
    agents: usize,
    port: u16,
    timeout: Duration,
) -> BenchResult<()> {
    let limit = lpm_agent_client::raise_fd_limit()?;
    eprintln!("open-file limit {limit}");
    let ca = Ca::generate("lpm-bench CA", OffsetDateTime::now_utc())?;
    let client = manager(&ca)?;

    // Every address of the silent /22, network and broadcast included, accepts and is silent.
    let addrs: Vec<IpAddr> = match silent_net.net() {
        ipnet::IpNet::V4(net) => {
            let first = u32::from(net.network());
            (0..silent_net.len() as u32)
                .map(|i| IpAddr::V4(Ipv4Addr::from(first + i)))
                .collect()
        }
        ipnet::IpNet::V6(_) => return Err("the silent range must be IPv4".into()),
    };
    let mut tarpits = Vec::with_capacity(addrs.len());
    for ip in &addrs {
        tarpits.push(Tarpit::bind(SocketAddr::new(*ip, port)).await?);
    }
    eprintln!("{} tarpits on {silent_net} port {port}", tarpits.len());
    let options = ScanOptions {
        port: Port::new(port)?,
        timeout,
        ..ScanOptions::default()
    };
    let start = Instant::now();
    let report = client.scan(&silent_net, options.clone()).await;
    let silent_s = start.elapsed().as_secs_f64();
    if !report.found.is_empty() || report.probed != report.total {
        return Err(format!("unexpected silent scan: {report:?}").into());
    }
    eprintln!(
        "silent {silent_net}: {} probed at concurrency {} in {silent_s:.2} s",
        report.probed, report.concurrency
    );
    drop(tarpits);

    let first = match mixed_net.net() {
        ipnet::IpNet::V4(net) => Ipv4Addr::from(u32::from(net.network()) + 1),
        ipnet::IpNet::V6(_) => return Err("the mixed range must be IPv4".into()),
    };
    let fleet = launch(&ca, first, agents, port).await?;
    let start = Instant::now();
    let report = client.scan(&mixed_net, options).await;
    let mixed_s = start.elapsed().as_secs_f64();
    if report.found.len() != agents {
        return Err(format!("found {} of {agents} agents", report.found.len()).into());
    }
    eprintln!(
        "mixed {mixed_net}: {} agents among {} addresses at concurrency {} in {mixed_s:.2} s",
        report.found.len(),
        report.total,
        report.concurrency
    );
    println!("cidr22_silent_s: {silent_s:.2} s");
    println!("cidr22_mixed_s: {mixed_s:.2} s");
    fleet.shutdown().await;
    Ok(())
}
