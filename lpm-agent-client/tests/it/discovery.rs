//! Discovery: probes of every kind of address, a CIDR scan of a loopback /22 holding 100
//! simulated agents, progress, cancellation, and a fan-out over a fleet.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use lpm_agent_client::sim::{Fleet, FleetOptions, SimTiming, Tarpit, fleet_addresses};
use lpm_agent_client::wire::HealthStatus;
use lpm_agent_client::{
    Allowlist, CancellationToken, ClientOptions, FanOut, Identity, Phase, ProbeOutcome,
    ScanOptions, ScanProgress,
};
use lpm_ca::Ca;
use lpm_core::net::{Cidr, Port};
use tokio::sync::watch;

use crate::support::{TestCa, fresh_ip, now, raise_fd_limit};

/// A /22 of its own for each scan test (127.78.0.0/22, 127.78.4.0/22, ...).
fn fresh_22() -> Ipv4Addr {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    Ipv4Addr::new(127, 78, u8::try_from(n * 4).unwrap(), 0)
}

async fn fleet(ca: &TestCa, first: Ipv4Addr, count: usize) -> Fleet {
    let mut options = FleetOptions::new(count, first, 0, &ca.ca_pem);
    options.timing = SimTiming::fast();
    Fleet::launch(options, |ip, name| {
        ca.ca
            .issue_agent_server(Some(name), Some(ip), now())
            .map(|c| Identity::from_pem(&c.cert_pem, c.key_pem.expose_secret()))
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn probes_tell_agents_from_everything_else() {
    let ca = TestCa::new();
    let ip = fresh_ip();
    let agent = ca.agent(ip).await;
    let client = ca.client();
    let timeout = Duration::from_secs(5);

    let found = client.probe(agent.addr(), timeout).await;
    let agent_found = found.agent().expect("an agent");
    assert_eq!(agent_found.addr, agent.addr());
    assert_eq!(agent_found.dns_names, vec![agent.fqdn().to_owned()]);
    assert!(agent_found.certificate_names_address());
    assert_eq!(agent_found.health.status, HealthStatus::Ok);

    // Nothing listening: refused.
    let closed = SocketAddr::new(
        IpAddr::V4(Ipv4Addr::new(127, 77, 251, 1)),
        agent.addr().port(),
    );
    assert_eq!(client.probe(closed, timeout).await, ProbeOutcome::Refused);

    // A tarpit: silent in the TLS handshake.
    let tarpit = Tarpit::bind(SocketAddr::new(IpAddr::V4(fresh_ip()), 0))
        .await
        .unwrap();
    assert_eq!(
        client
            .probe(tarpit.addr(), Duration::from_millis(300))
            .await,
        ProbeOutcome::Silent {
            phase: Phase::TlsHandshake
        }
    );

    // Something with another CA's certificate: not one of ours.
    let foreign = Ca::generate("other", now()).unwrap();
    let issued = foreign
        .issue_agent_server(Some(agent.fqdn()), Some(IpAddr::V4(ip)), now())
        .unwrap();
    agent
        .update_faults(|f| {
            f.wrong_certificate =
                Some(Identity::from_pem(&issued.cert_pem, issued.key_pem.expose_secret()).unwrap())
        })
        .unwrap();
    match client.probe(agent.addr(), timeout).await {
        ProbeOutcome::NotAgent(e) => assert_eq!(e.code(), "tls_unknown_issuer"),
        other => panic!("expected NotAgent, got {other:?}"),
    }

    // A certificate of our CA that names only the FQDN is still found, and says so.
    let by_name_only = ca.agent_identity(Some("named-only.lpm.test"), None);
    agent
        .update_faults(|f| f.wrong_certificate = Some(by_name_only))
        .unwrap();
    let found = client.probe(agent.addr(), timeout).await;
    let named = found.agent().expect("an agent of our CA");
    assert_eq!(named.dns_names, vec!["named-only.lpm.test".to_owned()]);
    assert!(!named.certificate_names_address());
}

#[tokio::test]
async fn a_scan_of_a_22_finds_exactly_the_100_agents() {
    raise_fd_limit();
    let ca = TestCa::new();
    let net = fresh_22();
    let [a, b, c, _] = net.octets();
    // 100 agents from .1.200 onwards: they straddle a /24 boundary inside the /22.
    let fleet = fleet(&ca, Ipv4Addr::new(a, b, c + 1, 200), 100).await;
    let cidr = Cidr::new(&format!("{net}/22")).unwrap();
    let (tx, mut rx) = watch::channel(ScanProgress::default());
    let seen = tokio::spawn(async move {
        let mut updates = 0;
        while rx.changed().await.is_ok() {
            updates += 1;
        }
        (updates, *rx.borrow())
    });
    let options = ScanOptions {
        port: Port::new(fleet.port()).unwrap(),
        timeout: Duration::from_secs(10),
        progress: Some(tx),
        ..ScanOptions::default()
    };
    let report = ca.client().scan(&cidr, options).await;
    let (updates, last) = seen.await.unwrap();

    assert_eq!(report.total, 1022);
    assert_eq!(report.probed, 1022);
    assert!(!report.cancelled);
    let expected: Vec<SocketAddr> = fleet.agents().iter().map(|a| a.addr()).collect();
    let found: Vec<SocketAddr> = report.found.iter().map(|f| f.addr).collect();
    assert_eq!(found, expected);
    for (agent, f) in fleet.agents().iter().zip(&report.found) {
        assert_eq!(f.dns_names, vec![agent.fqdn().to_owned()]);
    }
    assert_eq!(
        last,
        ScanProgress {
            done: 1022,
            total: 1022,
            found: 100
        }
    );
    assert!(updates > 1, "progress was reported {updates} times");
    let expected_addrs = fleet_addresses(Ipv4Addr::new(a, b, c + 1, 200), 100).unwrap();
    assert_eq!(expected_addrs.len(), 100);
}

#[tokio::test]
async fn a_cancelled_scan_stops() {
    raise_fd_limit();
    let ca = TestCa::new();
    let net = fresh_22();
    let [a, b, c, _] = net.octets();
    // Silent hosts at the start of the range and a probe timeout far beyond the test.
    let mut tarpits = Vec::new();
    let first = Tarpit::bind(SocketAddr::new(IpAddr::V4(Ipv4Addr::new(a, b, c, 1)), 0))
        .await
        .unwrap();
    let port = first.addr().port();
    tarpits.push(first);
    for d in 2..=8 {
        let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(a, b, c, d)), port);
        tarpits.push(Tarpit::bind(addr).await.unwrap());
    }
    let cidr = Cidr::new(&format!("{net}/22")).unwrap();
    let cancel = CancellationToken::new();
    let (tx, mut rx) = watch::channel(ScanProgress::default());
    let options = ScanOptions {
        port: Port::new(port).unwrap(),
        timeout: Duration::from_secs(600),
        concurrency: Some(4),
        cancel: cancel.clone(),
        progress: Some(tx),
    };
    let client = ca.client();
    let scan = tokio::spawn(async move { client.scan(&cidr, options).await });
    // Let it start, then cancel while every probe waits on a tarpit.
    rx.changed().await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    cancel.cancel();
    // A hang guard, not a timing figure: the scan must return after cancellation.
    let report = tokio::time::timeout(Duration::from_secs(5), scan)
        .await
        .expect("the scan did not stop after cancellation")
        .unwrap();
    assert!(report.cancelled);
    assert_eq!(report.concurrency, 4);
    assert!(report.probed < report.total);
    assert!(report.found.is_empty());
    drop(tarpits);
}

#[tokio::test]
async fn a_scan_skips_what_the_allowlist_refuses() {
    let ca = TestCa::new();
    let ip = fresh_ip();
    let agent = ca.agent(ip).await;
    let [a, b, c, _] = ip.octets();
    let allowed: Cidr = format!("{a}.{b}.{c}.0/30").parse().unwrap();
    let client = ca.client_with(ClientOptions {
        allowlist: Some(Allowlist::from_cidrs([allowed])),
        ..ClientOptions::default()
    });
    let cidr: Cidr = format!("{a}.{b}.{c}.0/28").parse().unwrap();
    let options = ScanOptions {
        port: Port::new(agent.addr().port()).unwrap(),
        ..ScanOptions::default()
    };
    let report = client.scan(&cidr, options).await;
    assert_eq!(report.total, 14);
    assert_eq!(report.skipped_not_allowed, 11); // .4 to .14
    assert_eq!(report.probed, 3);
    assert_eq!(report.found.len(), 1);
    assert_eq!(report.found[0].addr, agent.addr());
}

#[tokio::test]
async fn fan_out_polls_a_fleet_within_its_bound() {
    let ca = TestCa::new();
    let net = fresh_22();
    let fleet = fleet(&ca, Ipv4Addr::from(u32::from(net) + 1), 20).await;
    let client = ca.client();
    let fan = FanOut::new(4);
    let addresses: Vec<_> = fleet.agents().iter().map(|a| a.host_address()).collect();
    let results = fan
        .run(addresses.iter(), |address| client.system_info(address))
        .await;
    assert_eq!(results.len(), 20);
    for (agent, result) in fleet.agents().iter().zip(results) {
        assert_eq!(result.unwrap().fqdn, agent.fqdn());
    }
}
