//! Test helpers: a CA from lpm-ca with the manager's identity, clients, simulated agents on
//! loopback addresses no other test uses, waiting for jobs, and a raw rustls client.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use lpm_agent_client::sim::{SimAgent, SimAgentConfig, SimTiming, agent_name};
use lpm_agent_client::wire::Job;
use lpm_agent_client::{AgentClient, ClientOptions, Identity};
use lpm_ca::time::OffsetDateTime;
use lpm_ca::{Ca, RevokedEntry, certs_from_pem, private_key_from_pem};
use lpm_core::model::HostAddress;
use rustls::pki_types::ServerName;
use rustls::{ClientConfig, RootCertStore};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

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

pub(crate) fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

pub(crate) fn roots(ca_pem: &str) -> RootCertStore {
    let mut roots = RootCertStore::empty();
    for cert in certs_from_pem(ca_pem).unwrap() {
        roots.add(cert).unwrap();
    }
    roots
}

/// A raw rustls client of the given versions, with or without the manager's certificate.
pub(crate) fn raw_client(
    ca: &TestCa,
    versions: &[&'static rustls::SupportedProtocolVersion],
    with_cert: bool,
) -> tokio_rustls::TlsConnector {
    let builder = ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(versions)
        .unwrap()
        .with_root_certificates(roots(&ca.ca_pem));
    let config = if with_cert {
        builder
            .with_client_auth_cert(
                certs_from_pem(&ca.manager_cert_pem).unwrap(),
                private_key_from_pem(&ca.manager_key_pem).unwrap(),
            )
            .unwrap()
    } else {
        builder.with_no_client_auth()
    };
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

/// Connects with `connector` and sends one raw HTTP/1.1 request; returns what came back, or
/// the error.
pub(crate) async fn raw_request(
    connector: tokio_rustls::TlsConnector,
    addr: SocketAddr,
    request: &str,
) -> Result<String, std::io::Error> {
    let tcp = TcpStream::connect(addr).await?;
    let name = ServerName::IpAddress(addr.ip().into());
    let mut tls = connector.connect(name, tcp).await?;
    tls.write_all(request.as_bytes()).await?;
    let mut answer = Vec::new();
    tls.read_to_end(&mut answer).await?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

/// `GET /api/v1/health` over a raw connection.
pub(crate) async fn raw_health(
    connector: tokio_rustls::TlsConnector,
    addr: SocketAddr,
) -> Result<String, std::io::Error> {
    let request = "GET /api/v1/health HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n\r\n";
    raw_request(connector, addr, request).await
}
