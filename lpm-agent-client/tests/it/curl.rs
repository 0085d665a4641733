//! curl as an outside client of the simulator: TLS 1.3 with the manager's certificate works,
//! by IP and by name; TLS 1.2 fails.

use std::io::ErrorKind;
use std::process::{Command, Output};

use crate::support::{TestCa, fresh_ip};

fn curl(args: &[&str], dir: &std::path::Path) -> Output {
    match Command::new("curl").args(args).current_dir(dir).output() {
        Ok(output) => output,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            panic!("`curl` is not on PATH: install curl (Debian package curl)")
        }
        Err(e) => panic!("running curl: {e}"),
    }
}

#[tokio::test]
async fn curl_speaks_tls13_to_the_simulator_and_tls12_fails() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.crt"), &ca.ca_pem).unwrap();
    std::fs::write(dir.path().join("m.crt"), &ca.manager_cert_pem).unwrap();
    std::fs::write(dir.path().join("m.key"), &ca.manager_key_pem).unwrap();
    let addr = agent.addr();
    let by_ip = format!("https://{addr}/api/v1/health");
    let tls = ["--cacert", "ca.crt", "--cert", "m.crt", "--key", "m.key"];
    let path = dir.path().to_owned();

    let run = |extra: Vec<String>| {
        let path = path.clone();
        let mut args: Vec<String> = vec!["--silent".into(), "--show-error".into()];
        args.extend(tls.iter().map(|s| (*s).to_owned()));
        args.extend(extra);
        tokio::task::spawn_blocking(move || {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            curl(&refs, &path)
        })
    };

    let ok = run(vec!["--tlsv1.3".into(), by_ip.clone()]).await.unwrap();
    let body = String::from_utf8_lossy(&ok.stdout);
    assert!(
        ok.status.success(),
        "curl failed: {}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let health: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health["status"], "ok");

    // By name, checked against the DNS SAN.
    let by_name = format!(
        "https://{}:{}/api/v1/system/info",
        agent.fqdn(),
        addr.port()
    );
    let resolve = format!("{}:{}:{}", agent.fqdn(), addr.port(), addr.ip());
    let ok = run(vec![
        "--tlsv1.3".into(),
        "--resolve".into(),
        resolve,
        by_name,
    ])
    .await
    .unwrap();
    assert!(
        ok.status.success(),
        "curl by name failed: {}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let info: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(info["fqdn"], agent.fqdn());

    let old = run(vec!["--tls-max".into(), "1.2".into(), by_ip.clone()])
        .await
        .unwrap();
    assert!(
        !old.status.success(),
        "TLS 1.2 was accepted: {}",
        String::from_utf8_lossy(&old.stdout)
    );

    // And without the client certificate, TLS 1.3 or not, no answer.
    let path2 = dir.path().to_owned();
    let bare = tokio::task::spawn_blocking(move || {
        curl(
            &[
                "--silent",
                "--show-error",
                "--tlsv1.3",
                "--cacert",
                "ca.crt",
                &by_ip,
            ],
            &path2,
        )
    })
    .await
    .unwrap();
    assert!(
        !bare.status.success(),
        "answered without a client certificate"
    );
}
