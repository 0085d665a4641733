//! Run with `cargo run -p lpm-examples --example poll_agent`.
//!
//! Starts one simulated agent (lpm-agent-client's `sim` feature) with certificates from a
//! throwaway lpm-ca CA, then polls it the way the manager does, with lpm-agent-client alone:
//! health, system information, available patches, an apply with an idempotency key, and the
//! job followed over the WebSocket stream.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use futures_util::StreamExt;
use lpm_agent_client::sim::{SimAgent, SimAgentConfig};
use lpm_agent_client::wire::ApplyRequest;
use lpm_agent_client::{AgentClient, ClientOptions, IdempotencyKey, Identity};
use lpm_ca::Ca;
use lpm_ca::time::OffsetDateTime;
use lpm_core::job::RebootPolicy;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[tokio::main]
async fn main() -> Result<()> {
    // A CA, the manager's client certificate, and the agent's server certificate.
    let now = OffsetDateTime::now_utc();
    let ca = Ca::generate("example lpm CA", now)?;
    let manager = ca.issue_manager_client("lpm-manager", now)?;
    let ip = Ipv4Addr::new(127, 0, 10, 1);
    let name = "web01.lpm.test";
    let agent_cert = ca.issue_agent_server(Some(name), Some(IpAddr::V4(ip)), now)?;

    // The simulated agent: a real HTTPS + WSS server, TLS 1.3, client certificate required.
    let agent = SimAgent::start(SimAgentConfig::new(
        SocketAddr::new(IpAddr::V4(ip), 0),
        name,
        Identity::from_pem(&agent_cert.cert_pem, agent_cert.key_pem.expose_secret())?,
        ca.root_pem(),
    ))
    .await?;
    println!("agent {} listening on {}", agent.fqdn(), agent.addr());

    // From here on, only the client: the internal CA as the only root, the manager's identity.
    let identity = Identity::from_pem(&manager.cert_pem, manager.key_pem.expose_secret())?;
    let client = AgentClient::new(ca.root_pem(), &identity, ClientOptions::default())?;
    let host = agent.host_address(); // connect to the IP, verify the FQDN

    let health = client.health(&host).await?;
    println!(
        "health: {:?}, agent {} up {} s",
        health.status, health.version, health.uptime_s
    );
    let info = client.system_info(&host).await?;
    println!(
        "system: {} ({}), kernel {}, {} packages via {}",
        info.fqdn,
        info.os.pretty_name,
        info.kernel,
        client.packages(&host, None).await?.total,
        info.package_manager
    );
    let patches = client.patches(&host).await?.patches;
    println!("{} patches available:", patches.len());
    for p in &patches {
        println!(
            "  {:<20} {} -> {}  {:?} {}",
            p.package,
            p.current_version,
            p.available_version,
            p.severity,
            p.cves.join(" ")
        );
    }

    // Subscribe first: the stream carries events of jobs that start after it opened.
    let mut events = client.job_events(&host).await?;
    let key = IdempotencyKey::new("01JDX3Q7ZK8M9N0P1Q2R3S4T5V")?;
    let request = ApplyRequest {
        packages: None,
        security_only: true,
        dry_run: false,
        reboot: RebootPolicy::Never,
    };
    let job = client.apply_patches(&host, &request, &key).await?;
    // Sending the same key again (as a worker resuming after a crash would) starts nothing.
    let again = client.apply_patches(&host, &request, &key).await?;
    assert_eq!(job, again);
    println!("job {} started", job.job_id);
    while let Some(event) = events.next().await {
        let event = event?;
        if event.job_id != job.job_id {
            continue;
        }
        if let Some(line) = &event.line {
            println!("  [{:>3}%] {line}", event.progress);
        }
        if event.state.is_finished() {
            break;
        }
    }
    events.close().await?;
    let done = client.job(&host, &job.job_id).await?;
    println!(
        "job {}: {} changes, reboot required: {}",
        done.state,
        done.changes.len(),
        done.reboot_required
    );
    println!(
        "patches left: {}",
        client.patches(&host).await?.patches.len()
    );
    agent.shutdown().await;
    Ok(())
}
