//! The HTTPS front door over a real TLS 1.3 socket: health, the error envelope with request
//! ids, TLS 1.2 refused, graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use lpm_ca::Ca;
use lpm_core::ports::ManualClock;
use lpm_server::http::{AppState, AuthContext, app, serve, web_tls_config};
use lpm_store::{Store, StoreOptions};
use tokio::sync::oneshot;

struct TestServer {
    addr: SocketAddr,
    ca_pem: String,
    store: Store,
    clock: ManualClock,
    state: AppState,
    stop: Option<oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
        let issued_at = lpm_ca::time::OffsetDateTime::now_utc();
        let ca = Ca::generate("test CA", issued_at).unwrap();
        let web = ca
            .issue_web_server(&["localhost"], &["127.0.0.1".parse().unwrap()], issued_at)
            .unwrap();
        let tls = web_tls_config(&web.cert_pem, web.key_pem.expose_secret()).unwrap();
        let url = format!("sqlite://{}", dir.path().join("lpm.db").display());
        let store = Store::open(&url, &StoreOptions::default()).await.unwrap();
        let clock = ManualClock::new(now);
        let auth = AuthContext::ephemeral(now).unwrap();
        let state = AppState::new(store.clone(), Arc::new(clock.clone()), Arc::new(auth));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let done = tokio::spawn(serve(listener, tls, app(state.clone()), async {
            let _ = stopped.await;
        }));
        Self {
            addr,
            ca_pem: ca.root_pem().to_owned(),
            store,
            clock,
            state,
            stop: Some(stop),
            done,
            _dir: dir,
        }
    }

    fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .tls_certs_only([reqwest::Certificate::from_pem(self.ca_pem.as_bytes()).unwrap()])
            .build()
            .unwrap()
    }

    fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.addr.port())
    }
}

#[tokio::test]
async fn health_reports_the_database_and_the_worker_heartbeat() {
    let server = TestServer::start().await;
    let client = server.client();
    let absent = client
        .get(server.url("/status/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(absent.status(), 503);
    let body: serde_json::Value = absent.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"status": "unhealthy", "database": "ok", "worker": "absent"})
    );

    let now = lpm_core::ports::Clock::now(&server.clock);
    server
        .store
        .heartbeat("w1", "box", "0.1.0", now, now)
        .await
        .unwrap();
    let fresh = client
        .get(server.url("/status/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.status(), 200);
    server.clock.advance(Duration::seconds(91));
    let stale: serde_json::Value = client
        .get(server.url("/status/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stale["worker"], "stale");
}

#[tokio::test]
async fn errors_use_the_envelope_and_carry_the_request_id() {
    let server = TestServer::start().await;
    let response = server
        .client()
        .get(server.url("/api/v1/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let header = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(header.len(), 26, "a ULID");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "route_not_found");
    assert_eq!(body["error"]["request_id"], header.as_str());
    assert!(body["error"]["details"].is_object());
}

#[tokio::test]
async fn the_ip_allowlist_refuses_other_addresses_before_anything_else() {
    let server = TestServer::start().await;
    let client = server.client();
    assert_eq!(
        client
            .get(server.url("/status/health"))
            .send()
            .await
            .unwrap()
            .status(),
        503
    );
    // Only a range that does not hold 127.0.0.1: this client is now outside.
    server
        .state
        .allowlist
        .set(vec!["10.0.0.0/8".parse().unwrap()]);
    let refused = client
        .get(server.url("/status/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "ip_not_allowed");
    assert!(
        body["error"]["request_id"]
            .as_str()
            .is_some_and(|id| id.len() == 26)
    );
    server
        .state
        .allowlist
        .set(vec!["127.0.0.0/8".parse().unwrap()]);
    assert_eq!(
        client
            .get(server.url("/status/health"))
            .send()
            .await
            .unwrap()
            .status(),
        503
    );
}

#[tokio::test]
async fn tls_1_2_is_refused_and_shutdown_closes_the_listener() {
    let mut server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.crt");
    std::fs::write(&ca, &server.ca_pem).unwrap();
    let url = server.url("/status/health");
    let curl = |max: &'static str| {
        // Async, so the server on this runtime keeps answering while curl waits.
        tokio::process::Command::new("curl")
            .args([
                "-s",
                "-o",
                "/dev/null",
                "--max-time",
                "10",
                "--tls-max",
                max,
                "--cacert",
            ])
            .arg(&ca)
            .arg(&url)
            .status()
    };
    let old = curl("1.2")
        .await
        .expect("curl runs: install curl (Debian package curl)");
    assert!(!old.success(), "a TLS 1.2 client must be refused");
    assert!(curl("1.3").await.unwrap().success(), "TLS 1.3 works");

    let _ = server.stop.take().unwrap().send(());
    tokio::time::timeout(std::time::Duration::from_secs(35), &mut server.done)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    // Our server is gone: the port is closed (or, if a parallel test's server took it over,
    // that one presents a certificate from another CA, which this client refuses).
    let after = server
        .client()
        .get(server.url("/status/health"))
        .send()
        .await;
    assert!(after.is_err(), "the listener is closed: {after:?}");
}
