//! `lpm-server demo` as a newcomer runs it: it reaches a healthy `/status/health` with the
//! worker beating, its printed credentials log in with password and TOTP, and the simulated
//! fleet is registered and polled.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use lpm_server::auth::{SecretString, totp};
use serde_json::{Value, json};

use crate::support::{BIN, mode};

struct Demo(Child);

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn the_demo_is_healthy_and_its_login_works() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("lpm-data");
    let port = free_port();
    let agent_port = free_port();
    let child = Command::new(BIN)
        .args(["demo", "--agents", "4", "--first-agent-ip", "127.0.13.1"])
        .arg("--data-dir")
        .arg(&data)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--agent-port", &agent_port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _demo = Demo(child);

    let url = |path: &str| format!("https://localhost:{port}{path}");
    let started = Instant::now();
    // The demo's own CA signs its web certificate: trust that, and nothing else.
    let ca_file = data.join("ca").join("ca.crt");
    while !ca_file.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no CA after 120 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let ca = reqwest::Certificate::from_pem(&std::fs::read(&ca_file).unwrap()).unwrap();
    let client = reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .unwrap();
    let health = loop {
        if let Ok(response) = client.get(url("/status/health")).send().await
            && response.status() == 200
        {
            break response.json::<Value>().await.unwrap();
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the demo did not become healthy within 120 s"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(health["worker"], "ok");

    let credentials_path = data.join("demo-credentials.json");
    assert_eq!(mode(&credentials_path), 0o600);
    let credentials: Value =
        serde_json::from_slice(&std::fs::read(&credentials_path).unwrap()).unwrap();

    let login: Value = client
        .post(url("/api/v1/auth/login"))
        .json(&json!({"username": credentials["username"], "password": credentials["password"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(login["mfa_required"], true, "{login}");
    let secret = SecretString::from(credentials["totp_secret"].as_str().unwrap().to_owned());
    let code = totp::code_at(&secret, chrono::Utc::now()).unwrap();
    let tokens: Value = client
        .post(url("/api/v1/auth/mfa/totp"))
        .json(&json!({"mfa_token": login["mfa_token"], "code": code}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{tokens}"));

    // The worker polls every registered agent; wait until all four answered.
    loop {
        let hosts: Value = client
            .get(url("/api/v1/hosts?status=healthy"))
            .bearer_auth(access)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if hosts["total"] == 4 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "the fleet was not polled healthy within 180 s: {hosts}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
