//! AD-18, outgoing side: a call or probe to an address outside the allowlist fails before any
//! packet is sent. A listener that counts the connections it accepts proves none was tried.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use lpm_agent_client::wire::RebootRequest;
use lpm_agent_client::{Allowlist, ClientError, ClientOptions, IdempotencyKey, ProbeOutcome};
use lpm_core::agent::AgentErrorClass;
use lpm_core::model::HostAddress;
use lpm_core::net::Port;
use tokio::net::TcpListener;

use crate::support::{TestCa, fresh_ip};

/// A listener on a fresh address that counts accepted connections.
async fn counting_listener() -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind(SocketAddr::new(IpAddr::V4(fresh_ip()), 0))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    (addr, accepted)
}

fn not_allowed(err: &ClientError, addr: SocketAddr) {
    assert_eq!(err, &ClientError::NotAllowed { ip: addr.ip() });
    assert_eq!(err.class(), AgentErrorClass::Permanent);
    assert_eq!(err.code(), "not_allowed");
}

#[tokio::test]
async fn calls_and_probes_outside_the_allowlist_send_nothing() {
    let ca = TestCa::new();
    let (addr, accepted) = counting_listener().await;
    let address = HostAddress::new(None, Some(addr.ip()), Port::new(addr.port()).unwrap()).unwrap();
    let strict = ca.client_with(ClientOptions {
        allowlist: Some(Allowlist::new(["10.0.0.0/8".parse().unwrap()])),
        ..ClientOptions::default()
    });

    not_allowed(&strict.health(&address).await.unwrap_err(), addr);
    let key = IdempotencyKey::new("k").unwrap();
    not_allowed(
        &strict
            .reboot(&address, &RebootRequest::default(), &key)
            .await
            .unwrap_err(),
        addr,
    );
    not_allowed(&strict.job_events(&address).await.unwrap_err(), addr);
    assert_eq!(
        strict.probe(addr, Duration::from_secs(1)).await,
        ProbeOutcome::NotAllowed
    );
    // Give a stray connection time to show up, had one been attempted.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(accepted.load(Ordering::SeqCst), 0);

    // The control: with the address allowed, the same call reaches the listener.
    let allowed = ca.client_with(ClientOptions {
        allowlist: Some(Allowlist::new(["127.0.0.0/8".parse().unwrap()])),
        ..ClientOptions::default()
    });
    assert!(allowed.health(&address).await.is_err()); // the listener is no agent
    assert!(accepted.load(Ordering::SeqCst) >= 1);
}
