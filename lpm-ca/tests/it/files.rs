//! The CA directory: round trip, file modes, insecure key refused, no overwrite.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use lpm_ca::{CA_CERT_FILE, CA_KEY_FILE, Ca, CaError};

use crate::support::{Work, new_ca, now, verify_args};

fn mode(path: &std::path::Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn save_and_load_round_trip_with_modes() {
    let ca = new_ca("Round Trip CA");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ca");
    ca.save(&dir).unwrap();

    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join(CA_KEY_FILE)), 0o600);
    assert_eq!(mode(&dir.join(CA_CERT_FILE)), 0o644);
    let key = fs::read_to_string(dir.join(CA_KEY_FILE)).unwrap();
    assert!(
        key.starts_with(&format!("-----BEGIN {}-----", ["PRIVATE", "KEY"].join(" "))),
        "PKCS#8 expected"
    );

    let loaded = Ca::load(&dir).unwrap();
    assert_eq!(loaded.root_pem(), ca.root_pem());
    assert_eq!(loaded.root_der(), ca.root_der());
    assert_eq!(loaded.root_info(), ca.root_info());
    assert_eq!(
        fs::read_to_string(dir.join(CA_CERT_FILE)).unwrap(),
        ca.root_pem()
    );

    // The loaded CA signs certificates that chain to the original root, and CRLs.
    let agent = loaded
        .issue_agent_server(Some("h.example"), None, now())
        .unwrap();
    assert!(ca.verify_issued(&agent.cert_pem).is_ok());
    let work = Work::new();
    work.write("ca.crt", ca.root_pem());
    work.write("agent.crt", &agent.cert_pem);
    work.openssl_ok(&verify_args("sslserver", "agent.crt"));
    let crl = loaded
        .crl(&[], 1, now(), lpm_ca::time::Duration::days(7))
        .unwrap();
    work.write("crl.pem", crl);
    let out = work.openssl_ok(&["crl", "-in", "crl.pem", "-CAfile", "ca.crt", "-noout"]);
    assert!(out.contains("verify OK"), "{out}");
}

#[test]
fn group_or_world_readable_key_is_refused() {
    let ca = new_ca("Test CA");
    let tmp = tempfile::tempdir().unwrap();
    ca.save(tmp.path()).unwrap();
    let key = tmp.path().join(CA_KEY_FILE);
    for bad in [0o644, 0o640, 0o604, 0o660, 0o601] {
        fs::set_permissions(&key, fs::Permissions::from_mode(bad)).unwrap();
        match Ca::load(tmp.path()) {
            Err(CaError::InsecureKeyFile { path, mode }) => {
                assert_eq!(path, key);
                assert_eq!(mode, bad);
            }
            other => panic!("mode {bad:o}: expected InsecureKeyFile, got {other:?}"),
        }
    }
    let msg = Ca::load(tmp.path()).unwrap_err().to_string();
    assert!(msg.contains("chmod 600"), "{msg}");
    for good in [0o600, 0o400] {
        fs::set_permissions(&key, fs::Permissions::from_mode(good)).unwrap();
        Ca::load(tmp.path()).unwrap();
    }
}

#[test]
fn saving_over_an_existing_ca_fails_and_changes_nothing() {
    let first = new_ca("First");
    let second = new_ca("Second");
    let tmp = tempfile::tempdir().unwrap();
    first.save(tmp.path()).unwrap();
    let key_before = fs::read(tmp.path().join(CA_KEY_FILE)).unwrap();

    match second.save(tmp.path()) {
        Err(CaError::AlreadyExists { path }) => assert_eq!(path, tmp.path().join(CA_CERT_FILE)),
        other => panic!("expected AlreadyExists, got {other:?}"),
    }
    // Only the key present (certificate lost): still refused, the key is kept.
    fs::remove_file(tmp.path().join(CA_CERT_FILE)).unwrap();
    match second.save(tmp.path()) {
        Err(CaError::AlreadyExists { path }) => assert_eq!(path, tmp.path().join(CA_KEY_FILE)),
        other => panic!("expected AlreadyExists, got {other:?}"),
    }
    assert_eq!(fs::read(tmp.path().join(CA_KEY_FILE)).unwrap(), key_before);
    assert!(!tmp.path().join(CA_CERT_FILE).exists());
}

#[test]
fn load_errors_name_the_problem() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(matches!(
        Ca::load(tmp.path().join("missing")),
        Err(CaError::Io { .. })
    ));

    // Key of one CA with the certificate of another.
    let a = new_ca("A");
    let b = new_ca("B");
    a.save(tmp.path().join("a")).unwrap();
    b.save(tmp.path().join("b")).unwrap();
    let a_cert = fs::read_to_string(tmp.path().join("a").join(CA_CERT_FILE)).unwrap();
    let b_key = fs::read_to_string(tmp.path().join("b").join(CA_KEY_FILE)).unwrap();
    assert!(matches!(
        Ca::from_pem(&a_cert, &b_key),
        Err(CaError::KeyMismatch)
    ));

    // A leaf certificate is no CA.
    let leaf = a.issue_manager_client("m", now()).unwrap();
    assert!(matches!(
        Ca::from_pem(&leaf.cert_pem, leaf.key_pem.expose_secret()),
        Err(CaError::NotCaCertificate)
    ));
    assert!(matches!(
        Ca::from_pem(&a_cert, "garbage"),
        Err(CaError::Parse { .. })
    ));
}
