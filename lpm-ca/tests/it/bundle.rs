//! Per-host agent bundles and the PEM to rustls-type helpers.

use lpm_ca::rustls_pki_types::PrivateKeyDer;
use lpm_ca::{AgentBundle, CaError, CertKind, certs_from_pem, private_key_from_pem};

use crate::support::{Work, new_ca, now, verify_args};

#[test]
fn bundle_files_verify_and_each_download_is_fresh() {
    let ca = new_ca("Test CA");
    let ip = "192.168.10.20".parse().unwrap();
    let bundle = ca
        .agent_bundle(Some("app01.example.net"), Some(ip), now())
        .unwrap();
    assert_eq!(bundle.info.kind, CertKind::AgentServer);
    assert_eq!(bundle.ca_cert_pem, ca.root_pem());

    let files = bundle.files();
    let names: Vec<_> = files.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["agent.crt", "agent.key", "ca.crt"]);
    let work = Work::new();
    for (name, contents) in &files {
        work.write(name, contents);
    }
    work.openssl_ok(&verify_args("sslserver", "agent.crt"));
    let cert_pub = work.openssl_ok(&["x509", "-in", "agent.crt", "-noout", "-pubkey"]);
    let key_pub = work.openssl_ok(&["pkey", "-in", "agent.key", "-pubout"]);
    assert_eq!(cert_pub, key_pub);

    let again = ca
        .agent_bundle(Some("app01.example.net"), Some(ip), now())
        .unwrap();
    assert_ne!(again.info.serial, bundle.info.serial);
    assert_ne!(again.agent_key_pem, bundle.agent_key_pem);

    let debug = format!("{bundle:?}");
    assert!(!debug.contains("PRIVATE KEY"), "{debug}");
    assert!(debug.contains("[redacted]"), "{debug}");
    assert_eq!(AgentBundle::AGENT_KEY_FILE, "agent.key");
}

#[test]
fn pem_helpers_return_rustls_types() {
    let ca = new_ca("Test CA");
    let bundle = ca.agent_bundle(Some("h.example"), None, now()).unwrap();
    let chain = format!("{}{}", bundle.agent_cert_pem, bundle.ca_cert_pem);
    let certs = certs_from_pem(&chain).unwrap();
    assert_eq!(certs.len(), 2);
    assert_eq!(certs[1], ca.root_der());

    let key = private_key_from_pem(bundle.agent_key_pem.expose_secret()).unwrap();
    assert!(matches!(key, PrivateKeyDer::Pkcs8(_)));

    assert!(matches!(certs_from_pem(""), Err(CaError::Parse { .. })));
    assert!(matches!(
        certs_from_pem(bundle.agent_key_pem.expose_secret()),
        Err(CaError::Parse { .. })
    ));
    assert!(matches!(
        private_key_from_pem(&bundle.agent_cert_pem),
        Err(CaError::Parse { .. })
    ));
    // Built at run time: a PEM frame around garbage, not a key.
    let label = ["PRIVATE", "KEY"].join(" ");
    let broken = format!("-----BEGIN {label}-----\n!!!!\n-----END {label}-----\n");
    let err = private_key_from_pem(&broken).unwrap_err().to_string();
    assert!(!err.contains("!!!!"), "{err}");
}
