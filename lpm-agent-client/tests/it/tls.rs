//! TLS refusals in both directions, each a real handshake on loopback: TLS 1.2, no client
//! certificate, another CA, a revoked certificate, a name that does not match. Every refusal
//! the client sees is classified permanent.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use lpm_agent_client::sim::{Faults, SimAgent, agent_name};
use lpm_agent_client::{AgentClient, ClientError, ClientOptions, Identity, TlsFailure};
use lpm_ca::{Ca, certs_from_pem, private_key_from_pem};
use lpm_core::agent::AgentErrorClass;
use rustls::ServerConfig;
use tokio::net::TcpListener;

use crate::support::{TestCa, fresh_ip, now, provider, raw_client, raw_health};

fn tls_failure(err: &ClientError) -> TlsFailure {
    assert_eq!(err.class(), AgentErrorClass::Permanent, "{err:?}");
    match err {
        ClientError::Tls { kind, .. } => *kind,
        other => panic!("expected a TLS failure, got {other:?}"),
    }
}

#[tokio::test]
async fn the_raw_tls13_client_with_the_manager_certificate_works() {
    // The control for the refusals below: the same raw client succeeds when nothing is wrong.
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let answer = raw_health(
        raw_client(&ca, &[&rustls::version::TLS13], true),
        agent.addr(),
    )
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    ca.client().handshake(&agent.host_address()).await.unwrap();
}

#[tokio::test]
async fn the_agent_refuses_a_tls12_client() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let result = raw_health(
        raw_client(&ca, &[&rustls::version::TLS12], true),
        agent.addr(),
    )
    .await;
    let err = result.expect_err("a TLS 1.2 handshake must fail");
    assert!(
        err.to_string().contains("ProtocolVersion") || err.to_string().contains("version"),
        "{err}"
    );
}

#[tokio::test]
async fn the_agent_refuses_a_client_without_a_certificate() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let result = raw_health(
        raw_client(&ca, &[&rustls::version::TLS13], false),
        agent.addr(),
    )
    .await;
    match result {
        Err(e) => assert!(e.to_string().contains("CertificateRequired"), "{e}"),
        Ok(answer) => assert!(
            !answer.contains("HTTP/1.1"),
            "the agent answered a client without a certificate: {answer}"
        ),
    }
}

#[tokio::test]
async fn the_agent_refuses_a_manager_certificate_from_another_ca() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let foreign = Ca::generate("someone else's CA", now()).unwrap();
    let issued = foreign.issue_manager_client("lpm-manager", now()).unwrap();
    let identity = Identity::from_pem(&issued.cert_pem, issued.key_pem.expose_secret()).unwrap();
    let client = AgentClient::new(&ca.ca_pem, &identity, ClientOptions::default()).unwrap();
    let err = client.health(&agent.host_address()).await.unwrap_err();
    assert_eq!(tls_failure(&err), TlsFailure::RejectedByPeer);
}

#[tokio::test]
async fn the_agent_refuses_a_revoked_manager_certificate() {
    let ca = TestCa::new();
    let (other, _other_serial) = ca.other_manager();
    let mut config = ca.agent_config(fresh_ip());
    config.crls_pem = vec![ca.crl(&[&ca.manager_serial])];
    let agent = SimAgent::start(config).await.unwrap();
    let err = ca.client().health(&agent.host_address()).await.unwrap_err();
    assert_eq!(tls_failure(&err), TlsFailure::RejectedByPeer);
    // A certificate the CRL does not list still works.
    let client = AgentClient::new(&ca.ca_pem, &other, ClientOptions::default()).unwrap();
    client.health(&agent.host_address()).await.unwrap();
}

#[tokio::test]
async fn the_client_refuses_an_agent_certificate_from_another_ca() {
    let ca = TestCa::new();
    let ip = fresh_ip();
    let agent = ca.agent(ip).await;
    let client = ca.client();
    client.health(&agent.host_address()).await.unwrap();
    let foreign = Ca::generate("someone else's CA", now()).unwrap();
    let issued = foreign
        .issue_agent_server(Some(agent.fqdn()), Some(IpAddr::V4(ip)), now())
        .unwrap();
    agent
        .update_faults(|f| {
            f.wrong_certificate =
                Some(Identity::from_pem(&issued.cert_pem, issued.key_pem.expose_secret()).unwrap());
        })
        .unwrap();
    // A fresh client: the first one may still hold a connection made with the right one.
    let err = ca.client().health(&agent.host_address()).await.unwrap_err();
    assert_eq!(tls_failure(&err), TlsFailure::UnknownIssuer);
}

#[tokio::test]
async fn the_client_refuses_an_agent_certificate_for_another_name() {
    let ca = TestCa::new();
    let ip = fresh_ip();
    let agent = ca.agent(ip).await;
    let other_ip = IpAddr::V4(std::net::Ipv4Addr::new(127, 1, 2, 3));
    let wrong = ca.agent_identity(Some("someone-else.lpm.test"), Some(other_ip));
    agent
        .set_faults(Faults {
            wrong_certificate: Some(wrong),
            ..Faults::default()
        })
        .unwrap();
    let client = ca.client();
    let by_name = client.health(&agent.host_address()).await.unwrap_err();
    assert_eq!(tls_failure(&by_name), TlsFailure::NameMismatch);
    let handshake = client.handshake(&agent.host_address()).await.unwrap_err();
    assert_eq!(tls_failure(&handshake), TlsFailure::NameMismatch);
    let by_ip = client.health(&agent.ip_address()).await.unwrap_err();
    assert_eq!(tls_failure(&by_ip), TlsFailure::NameMismatch);
}

#[tokio::test]
async fn an_agent_known_by_ip_needs_the_ip_in_its_certificate() {
    let ca = TestCa::new();
    let ip = fresh_ip();
    let mut config = ca.agent_config(ip);
    config.identity = ca.agent_identity(Some(&agent_name(ip, "lpm.test")), None);
    let agent = SimAgent::start(config).await.unwrap();
    let client = ca.client();
    client.health(&agent.host_address()).await.unwrap();
    let err = client.health(&agent.ip_address()).await.unwrap_err();
    assert_eq!(tls_failure(&err), TlsFailure::NameMismatch);
}

#[tokio::test]
async fn the_client_refuses_an_agent_on_its_crl() {
    let ca = TestCa::new();
    let ip = fresh_ip();
    let name = agent_name(ip, "lpm.test");
    let issued = ca
        .ca
        .issue_agent_server(Some(&name), Some(IpAddr::V4(ip)), now())
        .unwrap();
    let mut config = ca.agent_config(ip);
    config.identity = Identity::from_pem(&issued.cert_pem, issued.key_pem.expose_secret()).unwrap();
    let agent = SimAgent::start(config).await.unwrap();
    let client = ca.client_with(ClientOptions {
        crls_pem: vec![ca.crl(&[&issued.info.serial])],
        ..ClientOptions::default()
    });
    let err = client.health(&agent.host_address()).await.unwrap_err();
    assert_eq!(tls_failure(&err), TlsFailure::Revoked);
}

#[tokio::test]
async fn the_client_refuses_a_tls12_only_agent() {
    let ca = TestCa::new();
    let ip = fresh_ip();
    let name = agent_name(ip, "lpm.test");
    let issued = ca
        .ca
        .issue_agent_server(Some(&name), Some(IpAddr::V4(ip)), now())
        .unwrap();
    let config = ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS12])
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            certs_from_pem(&issued.cert_pem).unwrap(),
            private_key_from_pem(issued.key_pem.expose_secret()).unwrap(),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind(SocketAddr::new(IpAddr::V4(ip), 0))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let handshakes = tokio::spawn(async move {
        let mut results = Vec::new();
        for _ in 0..1 {
            let (tcp, _) = listener.accept().await.unwrap();
            results.push(acceptor.accept(tcp).await.is_ok());
        }
        results
    });
    let address = lpm_core::model::HostAddress::new(
        Some(lpm_core::net::Fqdn::new(&name).unwrap()),
        Some(IpAddr::V4(ip)),
        lpm_core::net::Port::new(addr.port()).unwrap(),
    )
    .unwrap();
    let err = ca.client().health(&address).await.unwrap_err();
    assert_eq!(tls_failure(&err), TlsFailure::ProtocolVersion);
    assert_eq!(handshakes.await.unwrap(), vec![false]);
}
