//! CRLs, checked by OpenSSL: signature, content, and `verify -crl_check` on revoked and
//! non-revoked certificates.

use lpm_ca::time::Duration;
use lpm_ca::{CaError, RevocationReason, RevokedEntry};

use crate::support::{Work, new_ca, now};

/// `aa:bb:...` in lower case: how an operator might paste a serial from `openssl x509 -text`.
fn colon_lower(serial: &str) -> String {
    serial
        .as_bytes()
        .chunks(2)
        .map(|p| String::from_utf8_lossy(p).to_lowercase())
        .collect::<Vec<_>>()
        .join(":")
}

#[test]
fn crl_revokes_what_it_lists_and_nothing_else() {
    let ca = new_ca("Test CA");
    let revoked = ca
        .issue_agent_server(Some("revoked.example"), None, now())
        .unwrap();
    let superseded = ca.issue_manager_client("old-manager", now()).unwrap();
    let kept = ca
        .issue_agent_server(Some("kept.example"), None, now())
        .unwrap();
    let entries = vec![
        RevokedEntry {
            serial_hex: colon_lower(&revoked.info.serial),
            revoked_at: now() - Duration::hours(1),
            reason: Some(RevocationReason::KeyCompromise),
        },
        RevokedEntry {
            serial_hex: superseded.info.serial.clone(),
            revoked_at: now(),
            reason: None,
        },
    ];
    let crl = ca.crl(&entries, 7, now(), Duration::days(7)).unwrap();
    assert!(crl.starts_with("-----BEGIN X509 CRL-----"), "{crl}");

    let work = Work::new();
    work.write("ca.crt", ca.root_pem());
    work.write("crl.pem", &crl);
    work.write("revoked.crt", &revoked.cert_pem);
    work.write("manager.crt", &superseded.cert_pem);
    work.write("kept.crt", &kept.cert_pem);

    let out = work.openssl_ok(&["crl", "-in", "crl.pem", "-CAfile", "ca.crt", "-noout"]);
    assert!(out.contains("verify OK"), "{out}");

    let text = work
        .openssl_ok(&["crl", "-in", "crl.pem", "-noout", "-text"])
        .to_uppercase();
    assert!(
        text.contains(&format!("SERIAL NUMBER: {}", revoked.info.serial)),
        "{text}"
    );
    assert!(
        text.contains(&format!("SERIAL NUMBER: {}", superseded.info.serial)),
        "{text}"
    );
    assert!(!text.contains(&kept.info.serial), "{text}");
    assert!(text.contains("NEXT UPDATE:"), "{text}");
    assert!(text.contains("KEY COMPROMISE"), "{text}");
    assert!(text.contains("X509V3 CRL NUMBER"), "{text}");
    assert!(text.contains("X509V3 AUTHORITY KEY IDENTIFIER"), "{text}");

    let crl_check = |cert: &str, purpose: &str| {
        work.openssl(&[
            "verify",
            "-crl_check",
            "-CRLfile",
            "crl.pem",
            "-CAfile",
            "ca.crt",
            "-purpose",
            purpose,
            cert,
        ])
    };
    let run = crl_check("revoked.crt", "sslserver");
    assert!(
        !run.ok && run.all().contains("certificate revoked"),
        "{}",
        run.all()
    );
    let run = crl_check("manager.crt", "sslclient");
    assert!(
        !run.ok && run.all().contains("certificate revoked"),
        "{}",
        run.all()
    );
    let run = crl_check("kept.crt", "sslserver");
    assert!(run.ok, "{}", run.all());
}

#[test]
fn empty_crl_verifies_and_revokes_nothing() {
    let ca = new_ca("Test CA");
    let agent = ca
        .issue_agent_server(None, Some("10.0.0.1".parse().unwrap()), now())
        .unwrap();
    let crl = ca.crl(&[], 0, now(), Duration::hours(1)).unwrap();
    let work = Work::new();
    work.write("ca.crt", ca.root_pem());
    work.write("crl.pem", &crl);
    work.write("agent.crt", &agent.cert_pem);
    let out = work.openssl_ok(&["crl", "-in", "crl.pem", "-CAfile", "ca.crt", "-noout"]);
    assert!(out.contains("verify OK"), "{out}");
    work.openssl_ok(&[
        "verify",
        "-crl_check",
        "-CRLfile",
        "crl.pem",
        "-CAfile",
        "ca.crt",
        "agent.crt",
    ]);
    let text = work.openssl_ok(&["crl", "-in", "crl.pem", "-noout", "-text"]);
    assert!(text.contains("No Revoked Certificates"), "{text}");
}

#[test]
fn crl_of_another_ca_does_not_verify() {
    let ca = new_ca("Test CA");
    let other = new_ca("Test CA");
    let crl = other.crl(&[], 1, now(), Duration::days(1)).unwrap();
    let work = Work::new();
    work.write("ca.crt", ca.root_pem());
    work.write("crl.pem", &crl);
    let run = work.openssl(&["crl", "-in", "crl.pem", "-CAfile", "ca.crt", "-noout"]);
    assert!(!run.all().contains("verify OK"), "{}", run.all());
}

#[test]
fn crl_large_number_and_next_update() {
    let ca = new_ca("Test CA");
    let crl = ca.crl(&[], u64::MAX, now(), Duration::days(3)).unwrap();
    let work = Work::new();
    work.write("crl.pem", &crl);
    let text = work.openssl_ok(&["crl", "-in", "crl.pem", "-noout", "-crlnumber"]);
    assert!(text.to_uppercase().contains("FFFFFFFFFFFFFFFF"), "{text}");
}

#[test]
fn crl_input_errors() {
    let ca = new_ca("Test CA");
    let bad = RevokedEntry {
        serial_hex: "not-hex".into(),
        revoked_at: now(),
        reason: None,
    };
    assert!(matches!(
        ca.crl(&[bad], 1, now(), Duration::days(1)),
        Err(CaError::InvalidSerial { .. })
    ));
    assert!(matches!(
        ca.crl(&[], 1, now(), Duration::ZERO),
        Err(CaError::InvalidDuration { .. })
    ));
}
