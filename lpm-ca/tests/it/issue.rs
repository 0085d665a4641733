//! Every kind of certificate, checked by OpenSSL: chain, purpose, SANs, key, serial, fingerprint.

use std::net::IpAddr;

use lpm_ca::{CertKind, IssuedCert, inspect, normalize_serial};

use crate::support::{Work, new_ca, now, verify_args};

/// Checks what OpenSSL sees against what `CertInfo` says, and that the key belongs to the cert.
fn check_against_openssl(work: &Work, file: &str, issued: &IssuedCert) {
    let key_file = format!("{file}.key");
    work.write(&key_file, issued.key_pem.expose_secret());

    let serial = work.openssl_ok(&["x509", "-in", file, "-noout", "-serial"]);
    let serial = serial.trim().trim_start_matches("serial=");
    assert_eq!(normalize_serial(serial).unwrap(), issued.info.serial);
    assert_eq!(issued.info.serial.len(), 32);

    let fp = work.openssl_ok(&["x509", "-in", file, "-noout", "-fingerprint", "-sha256"]);
    let fp = fp
        .trim()
        .rsplit('=')
        .next()
        .unwrap()
        .replace(':', "")
        .to_lowercase();
    assert_eq!(fp, issued.info.sha256_fingerprint);

    let cert_pub = work.openssl_ok(&["x509", "-in", file, "-noout", "-pubkey"]);
    let key_pub = work.openssl_ok(&["pkey", "-in", &key_file, "-pubout"]);
    assert_eq!(
        cert_pub.trim(),
        key_pub.trim(),
        "key does not belong to {file}"
    );
    let key_text = work.openssl_ok(&["pkey", "-in", &key_file, "-noout", "-text"]);
    assert!(
        key_text.contains("prime256v1") || key_text.contains("P-256"),
        "{key_text}"
    );

    assert_eq!(inspect(&issued.cert_pem).unwrap(), issued.info);
}

#[test]
fn agent_server_cert_verifies_for_sslserver_only() {
    let ca = new_ca("Test CA");
    let ip: IpAddr = "10.1.2.3".parse().unwrap();
    let agent = ca
        .issue_agent_server(Some("Web01.Example.NET"), Some(ip), now())
        .unwrap();
    assert_eq!(agent.info.kind, CertKind::AgentServer);
    assert_eq!(agent.info.subject_cn, "web01.example.net");
    assert_eq!(agent.info.dns_names, ["web01.example.net"]);
    assert_eq!(agent.info.ip_addresses, [ip]);

    let work = Work::new();
    work.write("ca.crt", ca.root_pem());
    work.write("agent.crt", &agent.cert_pem);
    let out = work.openssl_ok(&verify_args("sslserver", "agent.crt"));
    assert!(out.contains("agent.crt: OK"), "{out}");
    // Wrong EKU: an agent certificate is no client certificate.
    work.openssl_fails(&verify_args("sslclient", "agent.crt"));

    let san = work.openssl_ok(&[
        "x509",
        "-in",
        "agent.crt",
        "-noout",
        "-ext",
        "subjectAltName",
    ]);
    assert!(san.contains("DNS:web01.example.net"), "{san}");
    assert!(san.contains("IP Address:10.1.2.3"), "{san}");
    let text = work.openssl_ok(&["x509", "-in", "agent.crt", "-noout", "-text"]);
    assert!(text.contains("CA:FALSE"), "{text}");
    assert!(text.contains("TLS Web Server Authentication"), "{text}");
    assert!(text.contains("ecdsa-with-SHA256"), "{text}");
    check_against_openssl(&work, "agent.crt", &agent);
}

#[test]
fn agent_server_cert_with_ip_only_has_ip_cn() {
    let ca = new_ca("Test CA");
    let ip: IpAddr = "fd00::5".parse().unwrap();
    let agent = ca.issue_agent_server(None, Some(ip), now()).unwrap();
    assert_eq!(agent.info.subject_cn, "fd00::5");
    assert!(agent.info.dns_names.is_empty());

    let work = Work::new();
    work.write("ca.crt", ca.root_pem());
    work.write("agent.crt", &agent.cert_pem);
    work.openssl_ok(&verify_args("sslserver", "agent.crt"));
    let san = work.openssl_ok(&[
        "x509",
        "-in",
        "agent.crt",
        "-noout",
        "-ext",
        "subjectAltName",
    ]);
    assert!(san.contains("IP Address:FD00:0:0:0:0:0:0:5"), "{san}");
}

#[test]
fn longest_dns_name_goes_in_san_without_cn() {
    let ca = new_ca("Test CA");
    let name = format!(
        "{}.{}.{}.{}",
        "a".repeat(63),
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(61)
    );
    assert_eq!(name.len(), 253);
    let agent = ca.issue_agent_server(Some(&name), None, now()).unwrap();
    assert_eq!(agent.info.subject_cn, "");
    assert_eq!(agent.info.dns_names, [name.as_str()]);
    let work = Work::new();
    work.write("ca.crt", ca.root_pem());
    work.write("agent.crt", &agent.cert_pem);
    work.openssl_ok(&verify_args("sslserver", "agent.crt"));
    // And it renews to the same names.
    let renewed = ca.renew(&agent.cert_pem, now()).unwrap();
    assert_eq!(renewed.info.dns_names, [name.as_str()]);
    assert_eq!(renewed.info.subject_cn, "");
}

#[test]
fn manager_client_cert_verifies_for_sslclient_only() {
    let ca = new_ca("Test CA");
    let mgr = ca.issue_manager_client("lpm-manager", now()).unwrap();
    assert_eq!(mgr.info.kind, CertKind::ManagerClient);
    assert_eq!(mgr.info.subject_cn, "lpm-manager");
    assert!(mgr.info.dns_names.is_empty() && mgr.info.ip_addresses.is_empty());

    let work = Work::new();
    work.write("ca.crt", ca.root_pem());
    work.write("manager.crt", &mgr.cert_pem);
    let out = work.openssl_ok(&verify_args("sslclient", "manager.crt"));
    assert!(out.contains("manager.crt: OK"), "{out}");
    work.openssl_fails(&verify_args("sslserver", "manager.crt"));
    let text = work.openssl_ok(&["x509", "-in", "manager.crt", "-noout", "-text"]);
    assert!(text.contains("TLS Web Client Authentication"), "{text}");
    check_against_openssl(&work, "manager.crt", &mgr);
}

#[test]
fn web_server_cert_carries_every_name_given() {
    let ca = new_ca("Test CA");
    let names = vec![
        "localhost".to_owned(),
        "lpm.example.org".to_owned(),
        "localhost".to_owned(),
    ];
    let ips: Vec<IpAddr> = vec!["127.0.0.1".parse().unwrap(), "::1".parse().unwrap()];
    let web = ca.issue_web_server(&names, &ips, now()).unwrap();
    assert_eq!(web.info.kind, CertKind::WebServer);
    assert_eq!(web.info.subject_cn, "localhost");
    assert_eq!(web.info.dns_names, ["localhost", "lpm.example.org"]);
    assert_eq!(web.info.ip_addresses, ips);

    let work = Work::new();
    work.write("ca.crt", ca.root_pem());
    work.write("web.crt", &web.cert_pem);
    work.openssl_ok(&verify_args("sslserver", "web.crt"));
    work.openssl_fails(&verify_args("sslclient", "web.crt"));
    let san = work.openssl_ok(&["x509", "-in", "web.crt", "-noout", "-ext", "subjectAltName"]);
    for want in [
        "DNS:localhost",
        "DNS:lpm.example.org",
        "IP Address:127.0.0.1",
        "IP Address:0:0:0:0:0:0:0:1",
    ] {
        assert!(san.contains(want), "{want} missing in {san}");
    }
    check_against_openssl(&work, "web.crt", &web);

    // &[&str] works as well as &[String].
    let web2 = ca.issue_web_server(&["localhost"], &[], now()).unwrap();
    assert_eq!(web2.info.dns_names, ["localhost"]);
}

#[test]
fn root_is_a_pathlen_0_ca_that_signs_certs_and_crls() {
    let ca = new_ca("Test Root");
    let root = ca.root_info();
    assert_eq!(root.kind, CertKind::Root);
    assert_eq!(root.subject_cn, "Test Root");
    let years = (root.not_after - root.not_before).whole_days() / 365;
    assert_eq!(years, 10);

    let work = Work::new();
    work.write("ca.crt", ca.root_pem());
    let text = work.openssl_ok(&["x509", "-in", "ca.crt", "-noout", "-text"]);
    assert!(text.contains("CA:TRUE, pathlen:0"), "{text}");
    assert!(text.contains("Certificate Sign, CRL Sign"), "{text}");
    assert!(text.contains("ASN1 OID: prime256v1"), "{text}");
    work.openssl_ok(&["verify", "-x509_strict", "-CAfile", "ca.crt", "ca.crt"]);
    assert_eq!(inspect(ca.root_pem()).unwrap(), *root);
    assert_eq!(
        lpm_ca::certs_from_pem(ca.root_pem()).unwrap(),
        vec![ca.root_der()]
    );
}

#[test]
fn cert_from_another_ca_does_not_verify() {
    let ca = new_ca("Test CA");
    // Same name on purpose: only the signature tells them apart.
    let other = new_ca("Test CA");
    let foreign = other
        .issue_agent_server(Some("host.example"), None, now())
        .unwrap();

    let work = Work::new();
    work.write("ca.crt", ca.root_pem());
    work.write("other.crt", other.root_pem());
    work.write("foreign.crt", &foreign.cert_pem);
    let out = work.openssl_fails(&verify_args("sslserver", "foreign.crt"));
    assert!(out.contains("error"), "{out}");
    work.openssl_ok(&[
        "verify",
        "-CAfile",
        "other.crt",
        "-purpose",
        "sslserver",
        "foreign.crt",
    ]);

    assert!(matches!(
        ca.verify_issued(&foreign.cert_pem),
        Err(lpm_ca::CaError::NotIssuedByThisCa)
    ));
    assert!(other.verify_issued(&foreign.cert_pem).is_ok());
}

#[test]
fn serials_are_unique() {
    let ca = new_ca("Test CA");
    let mut serials = std::collections::HashSet::new();
    for _ in 0..20 {
        let c = ca
            .issue_agent_server(Some("same.example"), None, now())
            .unwrap();
        assert!(serials.insert(c.info.serial));
    }
    assert!(!serials.contains(&ca.root_info().serial));
}

#[test]
fn inspect_reads_a_certificate_made_elsewhere() {
    let work = Work::new();
    work.openssl_ok(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ext.key",
        "-out",
        "ext.crt",
        "-subj",
        "/CN=ext.example",
        "-days",
        "10",
        "-addext",
        "basicConstraints=critical,CA:FALSE",
        "-addext",
        "subjectAltName=DNS:ext.example,IP:192.0.2.7",
    ]);
    let pem = std::fs::read_to_string(work.path().join("ext.crt")).unwrap();
    let info = inspect(&pem).unwrap();
    assert_eq!(info.kind, CertKind::Other);
    assert_eq!(info.subject_cn, "ext.example");
    assert_eq!(info.dns_names, ["ext.example"]);
    assert_eq!(info.ip_addresses, ["192.0.2.7".parse::<IpAddr>().unwrap()]);
    assert_eq!((info.not_after - info.not_before).whole_days(), 10);
    let key = std::fs::read_to_string(work.path().join("ext.key")).unwrap();
    assert!(lpm_ca::private_key_from_pem(&key).is_ok());
    // A foreign certificate cannot be renewed here.
    let ca = new_ca("Test CA");
    assert!(matches!(
        ca.renew(&pem, now()),
        Err(lpm_ca::CaError::NotIssuedByThisCa)
    ));
}
