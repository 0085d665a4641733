//! `lpm-server sim`: spawn it, talk to its agents over mTLS with the CA directory's manager
//! certificate, stop it with SIGTERM. Its CRL is honoured.

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use lpm_agent_client::{AgentClient, ClientError, ClientOptions, Identity, TlsFailure};
use lpm_core::agent::AgentErrorClass;
use lpm_core::model::HostAddress;
use lpm_core::net::{Fqdn, Port};

use crate::support::{BIN, lpm_fails, lpm_ok, openssl};

/// A free port on `ip` (bound and released).
fn free_port(ip: Ipv4Addr) -> u16 {
    std::net::TcpListener::bind(SocketAddr::new(IpAddr::V4(ip), 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `lpm-server sim` and its stdout lines.
struct Sim {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Sim {
    fn start(ca_dir: &Path, count: usize, first_ip: Ipv4Addr, port: u16) -> (Self, Vec<String>) {
        let mut child = Command::new(BIN)
            .args([
                "sim",
                "--ca-dir",
                ca_dir.to_str().unwrap(),
                "--count",
                &count.to_string(),
                "--first-ip",
                &first_ip.to_string(),
                "--port",
                &port.to_string(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let sim = Self { child, lines };
        let mut log = Vec::new();
        loop {
            // A hang guard, not a timing figure.
            let line = sim
                .lines
                .recv_timeout(Duration::from_secs(60))
                .expect("lpm-server sim did not become ready");
            let ready = line.starts_with("ready:");
            log.push(line);
            if ready {
                return (sim, log);
            }
        }
    }

    /// Sends SIGTERM (to this child's pid only) and waits for a clean exit.
    fn stop(mut self) -> Vec<String> {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(status.success());
        let exit = self.child.wait().unwrap();
        assert!(exit.success(), "lpm-server sim exited with {exit}");
        self.lines.try_iter().collect()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        // Only if a test failed before stop(): end the child we started, by its handle.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn manager_client(ca_dir: &Path) -> AgentClient {
    let read = |f: &str| std::fs::read_to_string(ca_dir.join(f)).unwrap();
    let identity = Identity::from_pem(&read("manager.crt"), &read("manager.key")).unwrap();
    AgentClient::new(&read("ca.crt"), &identity, ClientOptions::default()).unwrap()
}

fn address(ip: Ipv4Addr, port: u16) -> HostAddress {
    let [a, b, c, d] = ip.octets();
    let name = Fqdn::new(&format!("agent-{a}-{b}-{c}-{d}.lpm.test")).unwrap();
    HostAddress::new(Some(name), Some(IpAddr::V4(ip)), Port::new(port).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_runs_agents_that_answer_over_mtls_until_sigterm() {
    let tmp = tempfile::tempdir().unwrap();
    let ca_dir = tmp.path().join("ca");
    lpm_ok(&["ca", "init", "--dir", ca_dir.to_str().unwrap()]);
    let first = Ipv4Addr::new(127, 62, 0, 254);
    let port = free_port(first);
    let (sim, log) = Sim::start(&ca_dir, 3, first, port);
    let agents: Vec<&String> = log.iter().filter(|l| l.starts_with("agent ")).collect();
    assert_eq!(agents.len(), 3, "{log:?}");
    assert!(
        agents[1].contains(&format!("127.62.1.1:{port} agent-127-62-1-1.lpm.test")),
        "{log:?}"
    );

    let client = manager_client(&ca_dir);
    for ip in [
        first,
        Ipv4Addr::new(127, 62, 1, 1),
        Ipv4Addr::new(127, 62, 1, 2),
    ] {
        let info = client.system_info(&address(ip, port)).await.unwrap();
        let [a, b, c, d] = ip.octets();
        assert_eq!(info.fqdn, format!("agent-{a}-{b}-{c}-{d}.lpm.test"));
    }
    // The agents' certificates come from the CA directory: OpenSSL agrees.
    let (ok, text) = openssl(
        tmp.path(),
        &[
            "s_client",
            "-connect",
            &format!("127.62.1.1:{port}"),
            "-tls1_3",
            "-CAfile",
            "ca/ca.crt",
            "-cert",
            "ca/manager.crt",
            "-key",
            "ca/manager.key",
            "-verify_return_error",
            "-brief",
        ],
    );
    assert!(ok || text.contains("Verification: OK"), "{text}");
    assert!(text.contains("TLSv1.3"), "{text}");

    let rest = sim.stop();
    assert!(rest.iter().any(|l| l == "stopped"), "{rest:?}");
    let err = client.health(&address(first, port)).await.unwrap_err();
    assert_eq!(err.code(), "connection_refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_honours_the_crl_of_the_ca_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let ca_dir = tmp.path().join("ca");
    let d = ca_dir.to_str().unwrap();
    lpm_ok(&["ca", "init", "--dir", d]);
    let (_, serial) = openssl(
        &ca_dir,
        &["x509", "-in", "manager.crt", "-noout", "-serial"],
    );
    let serial = serial
        .trim()
        .trim_start_matches("serial=")
        .lines()
        .next()
        .unwrap()
        .to_owned();
    lpm_ok(&["ca", "revoke", "--dir", d, "--serial", &serial]);
    let first = Ipv4Addr::new(127, 62, 2, 1);
    let port = free_port(first);
    let (sim, log) = Sim::start(&ca_dir, 1, first, port);
    assert!(log[0].contains("crl.pem"), "{log:?}");
    let err = manager_client(&ca_dir)
        .health(&address(first, port))
        .await
        .unwrap_err();
    assert_eq!(err.class(), AgentErrorClass::Permanent, "{err:?}");
    assert!(
        matches!(
            err,
            ClientError::Tls {
                kind: TlsFailure::RejectedByPeer,
                ..
            }
        ),
        "{err:?}"
    );
    sim.stop();
}

#[test]
fn sim_refuses_bad_arguments_in_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let ca_dir = tmp.path().join("ca");
    let d = ca_dir.to_str().unwrap();
    lpm_ok(&["ca", "init", "--dir", d]);
    let bad_ip = lpm_fails(&[
        "sim",
        "--ca-dir",
        d,
        "--count",
        "2",
        "--first-ip",
        "127.0.0.300",
    ]);
    assert!(bad_ip.contains("127.0.0.300"), "{bad_ip}");
    let zero = lpm_fails(&[
        "sim",
        "--ca-dir",
        d,
        "--count",
        "0",
        "--first-ip",
        "127.62.3.1",
    ]);
    assert!(zero.contains("--count"), "{zero}");
    let no_ca = lpm_fails(&[
        "sim",
        "--ca-dir",
        "/nonexistent",
        "--count",
        "1",
        "--first-ip",
        "127.62.3.1",
    ]);
    assert!(no_ca.contains("/nonexistent"), "{no_ca}");
    // An address that is not local cannot be bound.
    let not_local = lpm_fails(&[
        "sim",
        "--ca-dir",
        d,
        "--count",
        "1",
        "--first-ip",
        "192.0.2.1",
        "--port",
        "12443",
    ]);
    assert!(not_local.contains("192.0.2.1"), "{not_local}");
}
