//! Discovery (SDD §6.2): [`AgentClient::probe`] one address (TCP connect, TLS 1.3 handshake
//! with the manager's identity, `GET /api/v1/health`) and [`AgentClient::scan`] a CIDR range
//! with bounded concurrency, progress and cancellation.
//!
//! # Concurrency
//!
//! The SDD's defaults (128 probes at once, 1.5 s timeout) cannot finish a /22 of silent hosts
//! in its own 10 s target: 1,022 × 1.5 s / 128 ≈ 12 s. A probe costs one socket and almost no
//! CPU while it waits, so the default concurrency is sized to the range and to the process's
//! file-descriptor budget instead:
//!
//! ```text
//! concurrency = min(addresses to probe, (RLIMIT_NOFILE soft − open descriptors − 64) / 2, 1024)
//! ```
//!
//! (half the free budget, so a scan never starves the rest of the process; at least 1). With
//! the soft limit raised to the hard one ([`raise_fd_limit`], called by lpm's binaries at
//! startup) a /22 is probed all at once and a silent one takes one timeout, 1.5 s.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use futures_util::StreamExt;
use lpm_core::net::{Cidr, Port};
use tokio::sync::watch;
use tokio::time::{Instant as TokioInstant, timeout_at};
use tokio_util::sync::CancellationToken;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

use crate::client::{AgentClient, decode};
use crate::conn::{Call, Endpoint, SendError, handshake};
use crate::error::{ClientError, Phase};
use crate::wire::{Health, paths};

/// The SDD's per-host probe timeout (OI-04): TCP connect, TLS handshake and the health call
/// together.
pub const DEFAULT_PROBE_TIMEOUT: Duration = Duration::from_millis(1500);

/// The most probes a scan runs at once by default.
pub const MAX_DEFAULT_CONCURRENCY: usize = 1024;

/// An agent found by a probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoveredAgent {
    /// Where it answered.
    pub addr: SocketAddr,
    /// DNS names in its certificate's SAN: what to register it under.
    pub dns_names: Vec<String>,
    /// IP addresses in its certificate's SAN.
    pub ip_addresses: Vec<IpAddr>,
    /// Its health answer.
    pub health: Health,
}

impl DiscoveredAgent {
    /// Whether the certificate names the address it answered on (else register the host by
    /// one of [`dns_names`](Self::dns_names)).
    pub fn certificate_names_address(&self) -> bool {
        self.ip_addresses.contains(&self.addr.ip())
    }
}

/// What a probe found at one address.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProbeOutcome {
    /// An agent of this CA: mutual TLS 1.3 worked and `GET /api/v1/health` answered.
    Agent(DiscoveredAgent),
    /// Nothing listens (connection refused).
    Refused,
    /// No answer within the timeout; `phase` is the step that was waiting.
    Silent {
        /// The step that timed out.
        phase: Phase,
    },
    /// Something listens but is not an agent of this CA: the TLS handshake failed (another
    /// CA, no TLS 1.3, our certificate refused) or the health call failed.
    NotAgent(ClientError),
    /// The network failed otherwise (unreachable, reset).
    Unreachable(ClientError),
    /// The address is outside the allowlist; nothing was sent.
    NotAllowed,
}

impl ProbeOutcome {
    /// The agent, when one was found.
    pub fn agent(&self) -> Option<&DiscoveredAgent> {
        match self {
            ProbeOutcome::Agent(a) => Some(a),
            _ => None,
        }
    }
}

/// Progress of a scan, published after every probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScanProgress {
    /// Addresses settled (probed, or skipped as not allowed).
    pub done: usize,
    /// Addresses in the scan.
    pub total: usize,
    /// Agents found so far.
    pub found: usize,
}

/// How to scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// The agent port. Default 12443.
    pub port: Port,
    /// Per-address probe timeout. Default [`DEFAULT_PROBE_TIMEOUT`] (1.5 s).
    pub timeout: Duration,
    /// Probes at once; `None` sizes it to the range and the descriptor budget (see the
    /// module docs).
    pub concurrency: Option<usize>,
    /// Cancels the scan: it stops starting probes, drops those in flight (closing their
    /// sockets) and returns what it found so far.
    pub cancel: CancellationToken,
    /// Receives a [`ScanProgress`] after every settled address.
    pub progress: Option<watch::Sender<ScanProgress>>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            port: Port::AGENT_DEFAULT,
            timeout: DEFAULT_PROBE_TIMEOUT,
            concurrency: None,
            cancel: CancellationToken::new(),
            progress: None,
        }
    }
}

/// What a scan found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanReport {
    /// Addresses in the scan (for IPv4 ranges of /30 and larger: without the network and
    /// broadcast addresses).
    pub total: usize,
    /// Addresses probed to the end.
    pub probed: usize,
    /// Addresses left out because the allowlist refuses them (no packet sent).
    pub skipped_not_allowed: usize,
    /// The agents found, ordered by address.
    pub found: Vec<DiscoveredAgent>,
    /// The scan was cancelled before every address was probed.
    pub cancelled: bool,
    /// The concurrency used.
    pub concurrency: usize,
}

impl AgentClient {
    /// Probes one address: TCP connect, the TLS 1.3 handshake (the agent certificate must
    /// chain to the internal CA; its names are reported, not required to match, since a scan
    /// knows only the address) and `GET /api/v1/health`, all within `timeout`.
    pub async fn probe(&self, addr: SocketAddr, timeout: Duration) -> ProbeOutcome {
        if self.transport.check_allowed(addr.ip()).is_err() {
            return ProbeOutcome::NotAllowed;
        }
        let deadline = TokioInstant::now() + timeout;
        let ep = Endpoint::for_ip(addr);
        let stream = match self
            .transport
            .connect(&ep, &self.transport.tls.discovery, deadline, timeout)
            .await
        {
            Ok(s) => s,
            Err(ClientError::Timeout { phase, .. }) => return ProbeOutcome::Silent { phase },
            Err(ClientError::Connect { ref detail, .. }) if detail == "refused" => {
                return ProbeOutcome::Refused;
            }
            Err(e @ ClientError::Connect { .. }) => return ProbeOutcome::Unreachable(e),
            Err(e) => return ProbeOutcome::NotAgent(e),
        };
        let (dns_names, ip_addresses) = stream
            .get_ref()
            .1
            .peer_certificates()
            .and_then(|chain| chain.first())
            .map(|leaf| san_names(leaf.as_ref()))
            .unwrap_or_default();
        let call = Call {
            method: http::Method::GET,
            path: paths::HEALTH,
            body: None,
            idempotency_key: None,
        };
        let work = async {
            let conn = handshake(&ep, stream).await?;
            let (status, body, _) =
                self.transport
                    .send_on(&ep, conn, &call)
                    .await
                    .map_err(|e| match e {
                        SendError::BeforeAnswer(e) | SendError::After(e) => e,
                    })?;
            decode::<Health>(&ep, status, &body)
        };
        match timeout_at(deadline, work).await {
            Err(_) => ProbeOutcome::Silent { phase: Phase::Call },
            Ok(Err(e)) => ProbeOutcome::NotAgent(e),
            Ok(Ok(health)) => ProbeOutcome::Agent(DiscoveredAgent {
                addr,
                dns_names,
                ip_addresses,
                health,
            }),
        }
    }

    /// Scans every address of `cidr` (see [`Cidr::hosts`]) for agents on `options.port`.
    ///
    /// Addresses the allowlist refuses are skipped without a packet. Returns when every
    /// address is settled or as soon as `options.cancel` fires.
    pub async fn scan(&self, cidr: &Cidr, options: ScanOptions) -> ScanReport {
        let addrs: Vec<IpAddr> = cidr.hosts().collect();
        let total = addrs.len();
        let (allowed, skipped): (Vec<IpAddr>, Vec<IpAddr>) = addrs
            .into_iter()
            .partition(|ip| self.transport.check_allowed(*ip).is_ok());
        let concurrency = options
            .concurrency
            .unwrap_or_else(|| default_scan_concurrency(allowed.len()))
            .max(1);
        let mut progress = ScanProgress {
            done: skipped.len(),
            total,
            found: 0,
        };
        let publish = |p: ScanProgress| {
            if let Some(tx) = &options.progress {
                tx.send_replace(p);
            }
        };
        publish(progress);
        let port = options.port.get();
        let timeout = options.timeout;
        let mut probes = futures_util::stream::iter(allowed)
            .map(|ip| async move {
                let addr = SocketAddr::new(ip, port);
                self.probe(addr, timeout).await
            })
            .buffer_unordered(concurrency);
        let mut found = Vec::new();
        let mut probed = 0;
        let mut cancelled = false;
        loop {
            tokio::select! {
                biased;
                () = options.cancel.cancelled() => {
                    cancelled = true;
                    break;
                }
                next = probes.next() => match next {
                    None => break,
                    Some(outcome) => {
                        probed += 1;
                        progress.done += 1;
                        if let ProbeOutcome::Agent(agent) = outcome {
                            found.push(agent);
                            progress.found += 1;
                        }
                        publish(progress);
                    }
                }
            }
        }
        // Dropping the stream drops the probes in flight and closes their sockets.
        drop(probes);
        found.sort_by_key(|a| a.addr);
        ScanReport {
            total,
            probed,
            skipped_not_allowed: skipped.len(),
            found,
            cancelled,
            concurrency,
        }
    }
}

/// The default scan concurrency for `addresses` addresses (see the module docs).
pub fn default_scan_concurrency(addresses: usize) -> usize {
    let budget = fd_budget().unwrap_or(1024);
    addresses.min(budget / 2).clamp(1, MAX_DEFAULT_CONCURRENCY)
}

/// Free file descriptors: the soft RLIMIT_NOFILE minus the descriptors open now, minus 64
/// kept for everything else.
fn fd_budget() -> Option<usize> {
    let (soft, _hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).ok()?;
    let open = std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count());
    let soft = usize::try_from(soft).unwrap_or(usize::MAX);
    Some(soft.saturating_sub(open).saturating_sub(64))
}

/// Raises the soft open-file limit to the hard limit and returns the new soft limit. lpm's
/// binaries call it at startup: scans and simulated fleets need thousands of sockets, and
/// many systems start processes with a soft limit of 1,024.
pub fn raise_fd_limit() -> io::Result<u64> {
    let (_soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE)?;
    rlimit::increase_nofile_limit(hard)
}

/// The DNS names and IP addresses in a certificate's subjectAltName.
fn san_names(der: &[u8]) -> (Vec<String>, Vec<IpAddr>) {
    let mut dns = Vec::new();
    let mut ips = Vec::new();
    let Ok((_, cert)) = X509Certificate::from_der(der) else {
        return (dns, ips);
    };
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(d) => dns.push((*d).to_owned()),
                GeneralName::IPAddress(bytes) => match bytes.len() {
                    4 => {
                        let mut b = [0u8; 4];
                        b.copy_from_slice(bytes);
                        ips.push(IpAddr::from(b));
                    }
                    16 => {
                        let mut b = [0u8; 16];
                        b.copy_from_slice(bytes);
                        ips.push(IpAddr::from(b));
                    }
                    _ => {}
                },
                _ => {}
            }
        }
    }
    (dns, ips)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_concurrency_is_bounded() {
        assert_eq!(default_scan_concurrency(0), 1);
        assert_eq!(default_scan_concurrency(1), 1);
        assert!(default_scan_concurrency(1_000_000) <= MAX_DEFAULT_CONCURRENCY);
    }
}
