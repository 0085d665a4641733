//! `lpm-server ca ...`: what it writes, checked by OpenSSL; what it refuses, in one line and
//! without changing anything.

use std::path::Path;

use crate::support::{lpm, lpm_fails, lpm_ok, mode, openssl, read};

fn init(dir: &Path) {
    lpm_ok(&["ca", "init", "--dir", dir.to_str().unwrap()]);
}

/// The serial of a certificate, as OpenSSL prints it (upper-case hex).
fn serial(dir: &Path, cert: &str) -> String {
    let (ok, out) = openssl(dir, &["x509", "-in", cert, "-noout", "-serial"]);
    assert!(ok, "{out}");
    out.trim()
        .trim_start_matches("serial=")
        .lines()
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn init_writes_a_ca_and_a_manager_certificate_that_openssl_accepts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ca");
    init(&dir);
    for (file, want) in [
        ("ca.key", 0o600),
        ("manager.key", 0o600),
        ("ca.crt", 0o644),
        ("manager.crt", 0o644),
    ] {
        assert_eq!(mode(&dir.join(file)), want, "{file}");
    }
    assert_eq!(mode(&dir) & 0o077, 0, "the CA directory is private");
    let (ok, out) = openssl(
        &dir,
        &[
            "verify",
            "-CAfile",
            "ca.crt",
            "-purpose",
            "sslclient",
            "manager.crt",
        ],
    );
    assert!(ok && out.contains("manager.crt: OK"), "{out}");
    let registry: serde_json::Value =
        serde_json::from_slice(&read(&dir.join("registry.json"))).unwrap();
    assert_eq!(registry["certificates"].as_array().unwrap().len(), 2);
}

#[test]
fn init_refuses_an_existing_ca_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ca");
    init(&dir);
    let before: Vec<Vec<u8>> = [
        "ca.crt",
        "ca.key",
        "manager.crt",
        "manager.key",
        "registry.json",
    ]
    .iter()
    .map(|f| read(&dir.join(f)))
    .collect();
    let err = lpm_fails(&["ca", "init", "--dir", dir.to_str().unwrap()]);
    assert!(err.contains("already exists"), "{err}");
    let after: Vec<Vec<u8>> = [
        "ca.crt",
        "ca.key",
        "manager.crt",
        "manager.key",
        "registry.json",
    ]
    .iter()
    .map(|f| read(&dir.join(f)))
    .collect();
    assert_eq!(before, after);
}

#[test]
fn issue_agent_writes_a_bundle_that_openssl_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ca");
    let out = tmp.path().join("web01");
    init(&dir);
    let stdout = lpm_ok(&[
        "ca",
        "issue-agent",
        "--dir",
        dir.to_str().unwrap(),
        "--host",
        "Web01.Example.NET",
        "--ip",
        "10.0.0.5",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(stdout.contains("web01.example.net"), "{stdout}");
    assert_eq!(mode(&out.join("agent.key")), 0o600);
    assert_eq!(read(&out.join("ca.crt")), read(&dir.join("ca.crt")));
    let (ok, text) = openssl(
        &out,
        &[
            "verify",
            "-CAfile",
            "ca.crt",
            "-purpose",
            "sslserver",
            "agent.crt",
        ],
    );
    assert!(ok && text.contains("agent.crt: OK"), "{text}");
    let (ok, text) = openssl(&out, &["x509", "-in", "agent.crt", "-noout", "-text"]);
    assert!(ok);
    assert!(text.contains("DNS:web01.example.net"), "{text}");
    assert!(text.contains("IP Address:10.0.0.5"), "{text}");
    let (ok, text) = openssl(&out, &["pkey", "-in", "agent.key", "-noout"]);
    assert!(ok, "{text}");
    let registry: serde_json::Value =
        serde_json::from_slice(&read(&dir.join("registry.json"))).unwrap();
    assert_eq!(registry["certificates"].as_array().unwrap().len(), 3);
}

#[test]
fn issue_agent_refuses_bad_input_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ca");
    init(&dir);
    let registry = read(&dir.join("registry.json"));
    let out = tmp.path().join("bundle");
    let d = dir.to_str().unwrap();
    let o = out.to_str().unwrap();
    let bad_ip = lpm_fails(&[
        "ca",
        "issue-agent",
        "--dir",
        d,
        "--host",
        "a.example",
        "--ip",
        "300.1.1.1",
        "--out",
        o,
    ]);
    assert!(bad_ip.contains("300.1.1.1"), "{bad_ip}");
    let bad_host = lpm_fails(&[
        "ca",
        "issue-agent",
        "--dir",
        d,
        "--host",
        "not a name",
        "--out",
        o,
    ]);
    assert!(bad_host.contains("FQDN"), "{bad_host}");
    let no_ca = lpm_fails(&[
        "ca",
        "issue-agent",
        "--dir",
        tmp.path().join("nope").to_str().unwrap(),
        "--host",
        "a.example",
        "--out",
        o,
    ]);
    assert!(no_ca.contains("ca.key"), "{no_ca}");
    assert!(!out.exists(), "a refused command created {}", out.display());
    assert_eq!(read(&dir.join("registry.json")), registry);

    // An existing bundle is not overwritten.
    lpm_ok(&[
        "ca",
        "issue-agent",
        "--dir",
        d,
        "--host",
        "a.example",
        "--out",
        o,
    ]);
    let cert = read(&out.join("agent.crt"));
    let again = lpm_fails(&[
        "ca",
        "issue-agent",
        "--dir",
        d,
        "--host",
        "a.example",
        "--out",
        o,
    ]);
    assert!(again.contains("already exists"), "{again}");
    assert_eq!(read(&out.join("agent.crt")), cert);
}

#[test]
fn revoke_and_crl_produce_crls_openssl_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ca");
    let out = tmp.path().join("web01");
    init(&dir);
    let d = dir.to_str().unwrap();
    lpm_ok(&[
        "ca",
        "issue-agent",
        "--dir",
        d,
        "--host",
        "web01.example.net",
        "--out",
        out.to_str().unwrap(),
    ]);
    let hex = serial(&out, "agent.crt");
    // Lower case with colons, as people paste it.
    let pasted: String = hex
        .to_lowercase()
        .as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap().to_owned())
        .collect::<Vec<_>>()
        .join(":");
    let stdout = lpm_ok(&[
        "ca",
        "revoke",
        "--dir",
        d,
        "--serial",
        &pasted,
        "--reason",
        "key-compromise",
    ]);
    assert!(stdout.contains(&hex), "{stdout}");
    let (ok, text) = openssl(
        &dir,
        &["crl", "-in", "crl.pem", "-CAfile", "ca.crt", "-noout"],
    );
    assert!(ok && text.contains("verify OK"), "{text}");
    let (_, text) = openssl(&dir, &["crl", "-in", "crl.pem", "-noout", "-text"]);
    assert!(text.contains(&hex), "{text}");
    assert!(text.contains("Key Compromise"), "{text}");
    let (ok, text) = openssl(
        &dir,
        &[
            "verify",
            "-crl_check",
            "-CAfile",
            "ca.crt",
            "-CRLfile",
            "crl.pem",
            &format!("{}/agent.crt", out.display()),
        ],
    );
    assert!(!ok && text.contains("revoked"), "{text}");

    // Revoking again changes nothing.
    let crl = read(&dir.join("crl.pem"));
    let again = lpm_ok(&["ca", "revoke", "--dir", d, "--serial", &hex]);
    assert!(again.contains("already revoked"), "{again}");
    assert_eq!(read(&dir.join("crl.pem")), crl);

    // `ca crl` writes a fresh one listing the same serial.
    let file = tmp.path().join("published.pem");
    lpm_ok(&["ca", "crl", "--dir", d, "--out", file.to_str().unwrap()]);
    let (ok, text) = openssl(
        tmp.path(),
        &[
            "crl",
            "-in",
            "published.pem",
            "-CAfile",
            "ca/ca.crt",
            "-noout",
            "-text",
        ],
    );
    assert!(ok && text.contains(&hex), "{text}");
    assert!(text.contains("CRL Number"), "{text}");
}

#[test]
fn revoke_refuses_unknown_or_malformed_serials_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ca");
    init(&dir);
    let d = dir.to_str().unwrap();
    let registry = read(&dir.join("registry.json"));
    let unknown = lpm_fails(&["ca", "revoke", "--dir", d, "--serial", "0A:1B:2C"]);
    assert!(unknown.contains("0A1B2C"), "{unknown}");
    let malformed = lpm_fails(&["ca", "revoke", "--dir", d, "--serial", "xyz"]);
    assert!(malformed.contains("serial"), "{malformed}");
    let bad_reason = lpm_fails(&[
        "ca", "revoke", "--dir", d, "--serial", "0A", "--reason", "boredom",
    ]);
    assert!(bad_reason.contains("boredom"), "{bad_reason}");
    assert!(!dir.join("crl.pem").exists());
    assert_eq!(read(&dir.join("registry.json")), registry);
}

#[test]
fn every_command_has_help_and_bad_usage_is_one_line() {
    for args in [
        vec!["--help"],
        vec!["ca", "--help"],
        vec!["ca", "init", "--help"],
        vec!["ca", "issue-agent", "--help"],
        vec!["ca", "revoke", "--help"],
        vec!["ca", "crl", "--help"],
        vec!["sim", "--help"],
    ] {
        let run = lpm(&args);
        assert_eq!(run.code, Some(0), "{args:?}: {run:?}");
        assert!(run.stdout.contains("Usage:"), "{args:?}: {}", run.stdout);
    }
    lpm_fails(&["ca", "init"]);
    lpm_fails(&["ca", "frobnicate"]);
    lpm_fails(&[
        "sim",
        "--ca-dir",
        "/nonexistent",
        "--count",
        "x",
        "--first-ip",
        "127.0.0.1",
    ]);
}
