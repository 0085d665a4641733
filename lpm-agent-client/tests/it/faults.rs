//! Injected faults and how the client classifies them for the retry engine.

use std::time::Duration;

use lpm_agent_client::sim::Faults;
use lpm_agent_client::wire::HealthStatus;
use lpm_agent_client::{ClientError, ClientOptions, Phase};
use lpm_core::agent::AgentErrorClass;

use crate::support::{TestCa, fresh_ip};

#[tokio::test]
async fn server_errors_are_transient() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let client = ca.client();
    let address = agent.host_address();
    for status in [500, 502, 503] {
        agent
            .set_faults(Faults {
                error_status: Some(status),
                ..Faults::default()
            })
            .unwrap();
        let err = client.health(&address).await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.code(), "internal");
        assert_eq!(err.class(), AgentErrorClass::Transient, "{status}");
    }
    agent.set_faults(Faults::default()).unwrap();
    assert!(client.health(&address).await.is_ok());
}

#[tokio::test]
async fn dropped_connections_are_transient() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let client = ca.client();
    let address = agent.host_address();
    // A pooled connection first, so the drop hits a reused one and a fresh one.
    client.health(&address).await.unwrap();
    agent.update_faults(|f| f.drop_connections = true).unwrap();
    let err = client.health(&address).await.unwrap_err();
    assert!(matches!(err, ClientError::ConnectionLost { .. }), "{err:?}");
    assert_eq!(err.class(), AgentErrorClass::Transient);
    agent.update_faults(|f| f.drop_connections = false).unwrap();
    assert!(client.health(&address).await.is_ok());
}

#[tokio::test]
async fn a_hung_request_hits_the_per_call_timeout() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let client = ca.client().with_call_timeout(Duration::from_millis(300));
    assert_eq!(client.call_timeout(), Duration::from_millis(300));
    let address = agent.host_address();
    agent.update_faults(|f| f.hang = true).unwrap();
    let err = client.health(&address).await.unwrap_err();
    match &err {
        ClientError::Timeout { phase, after, .. } => {
            assert_eq!(*phase, Phase::Call);
            assert_eq!(*after, Duration::from_millis(300));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(err.class(), AgentErrorClass::Transient);
    assert_eq!(err.code(), "timeout");
    agent.update_faults(|f| f.hang = false).unwrap();
    assert!(client.health(&address).await.is_ok());
}

#[tokio::test]
async fn latency_is_added_and_degraded_health_is_reported() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let client = ca.client();
    let address = agent.host_address();
    client.health(&address).await.unwrap();
    agent
        .set_faults(Faults {
            latency: Duration::from_millis(200),
            degraded: true,
            ..Faults::default()
        })
        .unwrap();
    assert_eq!(agent.faults().latency, Duration::from_millis(200));
    let start = std::time::Instant::now();
    let health = client.health(&address).await.unwrap();
    assert!(start.elapsed() >= Duration::from_millis(200));
    assert_eq!(health.status, HealthStatus::Degraded);
    assert_ne!(health.checks["disk"], "ok");
    let slow = client.with_call_timeout(Duration::from_millis(50));
    let err = slow.health(&address).await.unwrap_err();
    assert_eq!(err.code(), "timeout");
}

#[tokio::test]
async fn a_silent_host_times_out_in_the_tls_handshake() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let client = ca.client_with(ClientOptions {
        connect_timeout: Duration::from_millis(300),
        call_timeout: Duration::from_secs(5),
        ..ClientOptions::default()
    });
    let address = agent.host_address();
    agent.update_faults(|f| f.silent = true).unwrap();
    let err = client.health(&address).await.unwrap_err();
    match &err {
        ClientError::Timeout { phase, .. } => assert_eq!(*phase, Phase::TlsHandshake),
        other => panic!("expected a handshake timeout, got {other:?}"),
    }
    assert_eq!(err.class(), AgentErrorClass::Transient);
    agent.update_faults(|f| f.silent = false).unwrap();
    assert!(client.health(&address).await.is_ok());
}

#[tokio::test]
async fn refused_connections_are_transient() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let address = agent.host_address();
    agent.shutdown().await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let err = ca.client().health(&address).await.unwrap_err();
    assert_eq!(err.code(), "connection_refused");
    assert_eq!(err.class(), AgentErrorClass::Transient);
}
