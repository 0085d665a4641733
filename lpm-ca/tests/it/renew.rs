//! Renewal: new key and serial, same kind, subject and SANs; the old certificate unaffected;
//! foreign certificates and the root refused.

use std::net::IpAddr;

use lpm_ca::time::Duration;
use lpm_ca::{CaError, CertKind};

use crate::support::{Work, new_ca, now, verify_args};

fn subject(work: &Work, file: &str) -> String {
    work.openssl_ok(&[
        "x509", "-in", file, "-noout", "-subject", "-nameopt", "RFC2253",
    ])
}

#[test]
fn renewed_agent_cert_keeps_names_and_gets_new_key_and_serial() {
    let ca = new_ca("Test CA");
    let ip: IpAddr = "10.9.8.7".parse().unwrap();
    let t0 = now() - Duration::days(60);
    let old = ca
        .issue_agent_server(Some("db01.example.net"), Some(ip), t0)
        .unwrap();
    let t1 = now();
    let new = ca.renew(&old.cert_pem, t1).unwrap();

    assert_ne!(new.info.serial, old.info.serial);
    assert_ne!(new.key_pem.expose_secret(), old.key_pem.expose_secret());
    assert_eq!(new.info.kind, CertKind::AgentServer);
    assert_eq!(new.info.subject_cn, old.info.subject_cn);
    assert_eq!(new.info.dns_names, old.info.dns_names);
    assert_eq!(new.info.ip_addresses, old.info.ip_addresses);
    assert!(new.info.not_after > old.info.not_after);
    assert_eq!(
        new.info.not_after - new.info.not_before,
        Duration::days(90) + Duration::minutes(5)
    );

    let work = Work::new();
    work.write("ca.crt", ca.root_pem());
    work.write("old.crt", &old.cert_pem);
    work.write("new.crt", &new.cert_pem);
    assert_eq!(subject(&work, "old.crt"), subject(&work, "new.crt"));
    work.openssl_ok(&verify_args("sslserver", "new.crt"));
    work.openssl_fails(&verify_args("sslclient", "new.crt"));
    // The old certificate is untouched and still valid.
    work.openssl_ok(&verify_args("sslserver", "old.crt"));
    assert_eq!(lpm_ca::inspect(&old.cert_pem).unwrap(), old.info);
}

#[test]
fn renew_keeps_kind_for_manager_and_web() {
    let ca = new_ca("Test CA");
    let mgr = ca.issue_manager_client("lpm-manager", now()).unwrap();
    let mgr2 = ca.renew(&mgr.cert_pem, now()).unwrap();
    assert_eq!(mgr2.info.kind, CertKind::ManagerClient);
    assert_eq!(mgr2.info.subject_cn, "lpm-manager");

    let web = ca
        .issue_web_server(&["localhost"], &["127.0.0.1".parse().unwrap()], now())
        .unwrap();
    let web2 = ca.renew(&web.cert_pem, now()).unwrap();
    assert_eq!(web2.info.kind, CertKind::WebServer);
    assert_eq!(web2.info.dns_names, web.info.dns_names);
    assert_eq!(web2.info.ip_addresses, web.info.ip_addresses);

    let work = Work::new();
    work.write("ca.crt", ca.root_pem());
    work.write("mgr.crt", &mgr2.cert_pem);
    work.write("web.crt", &web2.cert_pem);
    work.openssl_ok(&verify_args("sslclient", "mgr.crt"));
    work.openssl_fails(&verify_args("sslserver", "mgr.crt"));
    work.openssl_ok(&verify_args("sslserver", "web.crt"));
}

#[test]
fn renewing_a_foreign_cert_fails() {
    let ca = new_ca("Test CA");
    let other = new_ca("Test CA"); // same name, different key
    let foreign = other
        .issue_agent_server(Some("x.example"), None, now())
        .unwrap();
    assert!(matches!(
        ca.renew(&foreign.cert_pem, now()),
        Err(CaError::NotIssuedByThisCa)
    ));
    assert!(matches!(
        ca.renew(other.root_pem(), now()),
        Err(CaError::NotIssuedByThisCa)
    ));
}

#[test]
fn renewing_the_root_or_garbage_fails() {
    let ca = new_ca("Test CA");
    assert!(matches!(
        ca.renew(ca.root_pem(), now()),
        Err(CaError::NotRenewable {
            kind: CertKind::Root
        })
    ));
    assert!(matches!(
        ca.renew("not a pem", now()),
        Err(CaError::Parse { .. })
    ));
}

#[test]
fn expired_cert_of_this_ca_can_still_be_renewed() {
    let ca = new_ca("Test CA");
    let old = ca
        .issue_manager_client("m", now() - Duration::days(40))
        .unwrap();
    assert!(old.info.is_expired(now()));
    let new = ca.renew(&old.cert_pem, now()).unwrap();
    assert!(!new.info.is_expired(now()));
}
