//! Test helpers: a CA from lpm-ca with the manager's identity, clients, simulated agents on
//! loopback addresses no other test uses, and waiting for jobs.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use lpm_agent_client::sim::{SimAgent, SimAgentConfig, SimTiming, agent_name};
use lpm_agent_client::wire::Job;
use lpm_agent_client::{AgentClient, ClientOptions, Identity};
use lpm_ca::time::OffsetDateTime;
use lpm_ca::{Ca, RevokedEntry};
use lpm_core::model::HostAddress;

/// Certificates are checked against the real clock by rustls, so they are issued now.
pub(crate) fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// A CA and the manager's client identity.
pub(crate) struct TestCa {
    pub(crate) ca: Ca,
    pub(crate) ca_pem: String,
    pub(crate) manager: Identity,
    pub(crate) manager_serial: String,
    pub(crate) manager_cert_pem: String,
    pub(crate) manager_key_pem: String,
}

impl TestCa {
    pub(crate) fn new() -> Self {
        let ca = Ca::generate("lpm test CA", now()).unwrap();
        let issued = ca.issue_manager_client("lpm-manager", now()).unwrap();
        let manager = Identity::from_pem(&issued.cert_pem, issued.key_pem.expose_secret()).unwrap();
        Self {
            ca_pem: ca.root_pem().to_owned(),
            manager,
            manager_serial: issued.info.serial.clone(),
            manager_cert_pem: issued.cert_pem,
            manager_key_pem: issued.key_pem.expose_secret().to_owned(),
            ca,
        }
    }

    /// An agent server identity with these SANs.
    pub(crate) fn agent_identity(&self, fqdn: Option<&str>, ip: Option<IpAddr>) -> Identity {
        let issued = self.ca.issue_agent_server(fqdn, ip, now()).unwrap();
        Identity::from_pem(&issued.cert_pem, issued.key_pem.expose_secret()).unwrap()
    }

    /// Another manager client identity from this CA, with its serial.
    pub(crate) fn other_manager(&self) -> (Identity, String) {
        let issued = self
            .ca
            .issue_manager_client("lpm-manager-2", now())
            .unwrap();
        let id = Identity::from_pem(&issued.cert_pem, issued.key_pem.expose_secret()).unwrap();
        (id, issued.info.serial)
    }

    /// A CRL listing `serials`.
    pub(crate) fn crl(&self, serials: &[&str]) -> String {
        let entries: Vec<RevokedEntry> = serials
            .iter()
            .map(|s| RevokedEntry {
                serial_hex: (*s).to_owned(),
                revoked_at: now(),
                reason: None,
            })
            .collect();
        self.ca
            .crl(&entries, 1, now(), lpm_ca::time::Duration::days(7))
            .unwrap()
    }

    /// A client with short timeouts.
    pub(crate) fn client(&self) -> AgentClient {
        self.client_with(ClientOptions {
            connect_timeout: Duration::from_secs(3),
            call_timeout: Duration::from_secs(5),
            ..ClientOptions::default()
        })
    }

    pub(crate) fn client_with(&self, options: ClientOptions) -> AgentClient {
        AgentClient::new(&self.ca_pem, &self.manager, options).unwrap()
    }

    /// An agent configuration at `ip` (port 0) named `agent-a-b-c-d.lpm.test`, with fast timing.
    pub(crate) fn agent_config(&self, ip: Ipv4Addr) -> SimAgentConfig {
        let name = agent_name(ip, "lpm.test");
        let identity = self.agent_identity(Some(&name), Some(IpAddr::V4(ip)));
        let mut config = SimAgentConfig::new(
            SocketAddr::new(IpAddr::V4(ip), 0),
            &name,
            identity,
            &self.ca_pem,
        );
        config.timing = SimTiming::fast();
        config
    }

    pub(crate) async fn agent(&self, ip: Ipv4Addr) -> SimAgent {
        SimAgent::start(self.agent_config(ip)).await.unwrap()
    }
}

static NEXT_BLOCK: AtomicU32 = AtomicU32::new(0);

/// A loopback address in a /24 of its own (127.77.N.1), so tests running in parallel never
/// share an address.
pub(crate) fn fresh_ip() -> Ipv4Addr {
    let n = NEXT_BLOCK.fetch_add(1, Ordering::SeqCst);
    Ipv4Addr::new(127, 77, u8::try_from(n % 250).unwrap(), 1)
}

/// Waits until job `id` has finished (polling through the client), with a hang guard.
pub(crate) async fn wait_job(client: &AgentClient, address: &HostAddress, id: &str) -> Job {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let job = client.job(address, id).await.unwrap();
        if job.state.is_finished() {
            return job;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "job {id} did not finish: {job:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Raises the open-file limit once, as lpm's binaries do at startup.
pub(crate) fn raise_fd_limit() {
    lpm_agent_client::raise_fd_limit().unwrap();
}
