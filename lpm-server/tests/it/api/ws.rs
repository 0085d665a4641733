//! The live job stream over WSS: tickets are single-use and short-lived, and each socket sees
//! only events of jobs and hosts in its user's scope.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use lpm_core::job::{JobKind, JobOptions, Schedule};
use lpm_core::rbac::Scope;
use lpm_store::Actor;
use lpm_store::jobs::{JobTarget, NewJob};
use reqwest::StatusCode;
use serde_json::Value;
use tokio_rustls::TlsConnector;
use tokio_tungstenite::tungstenite::Message;

use super::harness::{Api, code};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_rustls::client::TlsStream<tokio::net::TcpStream>>;

async fn ticket(api: &Api, token: &str) -> String {
    let (status, body) = api.post(token, "/api/v1/ws/ticket", Value::Null).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["expires_in"], 60);
    body["ticket"].as_str().unwrap().to_owned()
}

async fn connect(api: &Api, ticket: &str) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in lpm_ca::certs_from_pem(api.ca.root_pem()).unwrap() {
        roots.add(cert).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_protocol_versions(&[&rustls::version::TLS13])
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect(api.addr).await.unwrap();
    let tls = TlsConnector::from(Arc::new(config))
        .connect("localhost".try_into().unwrap(), tcp)
        .await
        .unwrap();
    let url = format!(
        "wss://localhost:{}/api/v1/ws/jobs?ticket={ticket}",
        api.addr.port()
    );
    tokio_tungstenite::client_async(url, tls)
        .await
        .map(|(socket, _)| socket)
}

async fn next_event(socket: &mut Socket) -> Value {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("no event within 10 s")
            .expect("stream ended")
            .unwrap();
        if let Message::Text(text) = frame {
            return serde_json::from_str(&text).unwrap();
        }
    }
}

async fn immediate_job(api: &Api, host: lpm_core::ids::HostId) -> i64 {
    let job = NewJob {
        kind: JobKind::ApplyPatches,
        schedule: Schedule::Immediate,
        options: JobOptions::default(),
        parent: None,
        targets: vec![JobTarget {
            host,
            due_at: Some(api.now()),
            waiting_reason: None,
        }],
    };
    api.store
        .create_job(&Scope::system(), &job, &Actor::system(), api.now())
        .await
        .unwrap()
        .get()
}

#[tokio::test]
async fn each_socket_sees_only_its_scope() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let mut admin = connect(&api, &ticket(&api, &fleet.admin).await)
        .await
        .unwrap();
    let mut op_a = connect(&api, &ticket(&api, &fleet.op_a).await)
        .await
        .unwrap();
    let mut op_b = connect(&api, &ticket(&api, &fleet.op_b).await)
        .await
        .unwrap();

    let job_a = immediate_job(&api, fleet.host_a.id).await;
    let job_free = immediate_job(&api, fleet.host_free.id).await;

    for socket in [&mut admin, &mut op_a] {
        let first = next_event(socket).await;
        assert_eq!(
            (first["type"].as_str(), first["job_id"].as_i64()),
            (Some("job"), Some(job_a))
        );
        assert_eq!(first["state"], "queued");
        assert_eq!(next_event(socket).await["job_id"], job_free);
    }
    // B's first event is the ungrouped host's job: A's job never reached it.
    assert_eq!(next_event(&mut op_b).await["job_id"], job_free);
    api.stop().await;
}

#[tokio::test]
async fn tickets_are_single_use_and_expire() {
    let api = Api::start().await;
    let fleet = api.fleet().await;
    let once = ticket(&api, &fleet.admin).await;
    connect(&api, &once).await.unwrap();
    assert!(connect(&api, &once).await.is_err(), "a ticket works once");

    let late = ticket(&api, &fleet.admin).await;
    api.clock.advance(chrono::Duration::seconds(61));
    assert!(
        connect(&api, &late).await.is_err(),
        "a ticket expires after 60 s"
    );

    let (status, body) = api
        .call(
            reqwest::Method::GET,
            "/api/v1/ws/jobs?ticket=nope",
            None,
            None,
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
    let (status, _) = api
        .call(reqwest::Method::POST, "/api/v1/ws/ticket", None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    api.stop().await;
}
