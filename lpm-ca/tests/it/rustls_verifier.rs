//! A second outside checker: rustls' own verifier (webpki), the code that accepts or refuses
//! these certificates in every lpm TLS handshake. Unlike OpenSSL it takes the time as input, so
//! the validity windows are checked at chosen instants.

use std::net::IpAddr;

use lpm_ca::rustls_pki_types::pem::PemObject;
use lpm_ca::rustls_pki_types::{
    CertificateDer, CertificateRevocationListDer, ServerName, UnixTime,
};
use lpm_ca::time::{Duration, OffsetDateTime};
use lpm_ca::{Ca, RevocationReason, RevokedEntry};
use webpki::{
    BorrowedCertRevocationList, CertRevocationList, EndEntityCert, Error, ExpirationPolicy,
    KeyUsage, RevocationOptionsBuilder, UnknownStatusPolicy,
};

const NOW: OffsetDateTime = lpm_ca::time::macros::datetime!(2026-11-24 10:00 UTC);

fn unix(t: OffsetDateTime) -> UnixTime {
    UnixTime::since_unix_epoch(std::time::Duration::from_secs(t.unix_timestamp() as u64))
}

/// Verifies `cert_pem` against the root of `ca` for `usage` at `at`, optionally for a server
/// name and against a CRL (unknown status denied, expired CRL refused).
fn verify(
    ca: &Ca,
    cert_pem: &str,
    usage: KeyUsage,
    at: OffsetDateTime,
    name: Option<ServerName<'_>>,
    crl_pem: Option<&str>,
) -> Result<(), Error> {
    let root = ca.root_der();
    let anchors = [webpki::anchor_from_trusted_cert(&root).unwrap().to_owned()];
    let der = CertificateDer::from_pem_slice(cert_pem.as_bytes()).unwrap();
    let ee = EndEntityCert::try_from(&der).unwrap();
    let crl_der =
        crl_pem.map(|p| CertificateRevocationListDer::from_pem_slice(p.as_bytes()).unwrap());
    let crl = crl_der
        .as_ref()
        .map(|d| CertRevocationList::from(BorrowedCertRevocationList::from_der(d).unwrap()));
    let crls: Vec<&CertRevocationList<'_>> = crl.iter().collect();
    let revocation = (!crls.is_empty()).then(|| {
        RevocationOptionsBuilder::new(&crls)
            .unwrap()
            .with_status_policy(UnknownStatusPolicy::Deny)
            .with_expiration_policy(ExpirationPolicy::Enforce)
            .build()
    });
    ee.verify_for_usage(
        webpki::ALL_VERIFICATION_ALGS,
        &anchors,
        &[],
        unix(at),
        usage,
        revocation,
        None,
    )?;
    if let Some(name) = name {
        ee.verify_is_valid_for_subject_name(&name)?;
    }
    Ok(())
}

fn dns(name: &str) -> Option<ServerName<'static>> {
    Some(ServerName::try_from(name.to_owned()).unwrap())
}

fn ip(addr: &str) -> Option<ServerName<'static>> {
    Some(ServerName::IpAddress(
        addr.parse::<IpAddr>().unwrap().into(),
    ))
}

#[test]
fn agent_cert_is_a_server_cert_for_its_names_only() {
    let ca = Ca::generate("Test CA", NOW).unwrap();
    let agent = ca
        .issue_agent_server(
            Some("db01.example.net"),
            Some("10.0.0.9".parse().unwrap()),
            NOW,
        )
        .unwrap();
    let pem = &agent.cert_pem;
    let server = KeyUsage::server_auth;
    verify(&ca, pem, server(), NOW, dns("db01.example.net"), None).unwrap();
    verify(&ca, pem, server(), NOW, dns("DB01.Example.Net"), None).unwrap();
    verify(&ca, pem, server(), NOW, ip("10.0.0.9"), None).unwrap();
    assert!(matches!(
        verify(&ca, pem, server(), NOW, dns("db02.example.net"), None),
        Err(Error::CertNotValidForName(_))
    ));
    assert!(matches!(
        verify(&ca, pem, server(), NOW, ip("10.0.0.10"), None),
        Err(Error::CertNotValidForName(_))
    ));
    assert!(matches!(
        verify(&ca, pem, KeyUsage::client_auth(), NOW, None, None),
        Err(Error::RequiredEkuNotFoundContext(_))
    ));
}

#[test]
fn manager_cert_is_a_client_cert_only() {
    let ca = Ca::generate("Test CA", NOW).unwrap();
    let mgr = ca.issue_manager_client("lpm-manager", NOW).unwrap();
    verify(&ca, &mgr.cert_pem, KeyUsage::client_auth(), NOW, None, None).unwrap();
    assert!(matches!(
        verify(&ca, &mgr.cert_pem, KeyUsage::server_auth(), NOW, None, None),
        Err(Error::RequiredEkuNotFoundContext(_))
    ));
}

#[test]
fn web_cert_serves_localhost() {
    let ca = Ca::generate("Test CA", NOW).unwrap();
    let web = ca
        .issue_web_server(
            &["localhost", "lpm.example.org"],
            &["127.0.0.1".parse().unwrap()],
            NOW,
        )
        .unwrap();
    for name in [dns("localhost"), dns("lpm.example.org"), ip("127.0.0.1")] {
        verify(&ca, &web.cert_pem, KeyUsage::server_auth(), NOW, name, None).unwrap();
    }
}

#[test]
fn validity_window_is_backdated_five_minutes() {
    let ca = Ca::generate("Test CA", NOW).unwrap();
    let agent = ca.issue_agent_server(Some("h.example"), None, NOW).unwrap();
    let check = |at| {
        verify(
            &ca,
            &agent.cert_pem,
            KeyUsage::server_auth(),
            at,
            None,
            None,
        )
    };
    check(NOW - Duration::minutes(4)).unwrap(); // a peer whose clock is 4 minutes behind
    assert!(matches!(
        check(NOW - Duration::minutes(6)),
        Err(Error::CertNotValidYet { .. })
    ));
    check(NOW + Duration::days(90) - Duration::seconds(1)).unwrap();
    assert!(matches!(
        check(NOW + Duration::days(90) + Duration::seconds(1)),
        Err(Error::CertExpired { .. })
    ));
}

#[test]
fn crl_is_honoured_by_webpki() {
    let ca = Ca::generate("Test CA", NOW).unwrap();
    let revoked = ca
        .issue_agent_server(Some("bad.example"), None, NOW)
        .unwrap();
    let kept = ca
        .issue_agent_server(Some("good.example"), None, NOW)
        .unwrap();
    let entries = [RevokedEntry {
        serial_hex: revoked.info.serial.clone(),
        revoked_at: NOW,
        reason: Some(RevocationReason::Superseded),
    }];
    let crl = ca.crl(&entries, 2, NOW, Duration::days(7)).unwrap();
    let at = NOW + Duration::hours(1);
    let server = KeyUsage::server_auth;
    assert!(matches!(
        verify(&ca, &revoked.cert_pem, server(), at, None, Some(&crl)),
        Err(Error::CertRevoked)
    ));
    // UnknownStatusPolicy::Deny: passing proves the CRL was recognised as this CA's.
    verify(&ca, &kept.cert_pem, server(), at, None, Some(&crl)).unwrap();
    // Past nextUpdate the CRL is stale.
    assert!(matches!(
        verify(
            &ca,
            &kept.cert_pem,
            server(),
            NOW + Duration::days(8),
            None,
            Some(&crl)
        ),
        Err(Error::CrlExpired { .. })
    ));
    // Another CA's CRL says nothing about this CA's certificates.
    let other = Ca::generate("Test CA", NOW).unwrap();
    let other_crl = other.crl(&entries, 2, NOW, Duration::days(7)).unwrap();
    assert!(verify(&ca, &revoked.cert_pem, server(), at, None, Some(&other_crl)).is_err());
}

#[test]
fn foreign_cert_is_refused() {
    // Same CA name on purpose: only the signature tells the two CAs apart.
    let ca = Ca::generate("Test CA", NOW).unwrap();
    let other = Ca::generate("Test CA", NOW).unwrap();
    let foreign = other
        .issue_agent_server(Some("x.example"), None, NOW)
        .unwrap();
    let err = verify(
        &ca,
        &foreign.cert_pem,
        KeyUsage::server_auth(),
        NOW,
        None,
        None,
    );
    assert!(
        matches!(err, Err(Error::InvalidSignatureForPublicKey)),
        "{err:?}"
    );
    let different_name = Ca::generate("Other CA", NOW).unwrap();
    let foreign = different_name
        .issue_agent_server(Some("x.example"), None, NOW)
        .unwrap();
    let err = verify(
        &ca,
        &foreign.cert_pem,
        KeyUsage::server_auth(),
        NOW,
        None,
        None,
    );
    assert!(matches!(err, Err(Error::UnknownIssuer)), "{err:?}");
}

#[test]
fn loaded_ca_issues_what_the_original_root_accepts() {
    let ca = Ca::generate("Test CA", NOW).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    ca.save(tmp.path()).unwrap();
    let loaded = Ca::load(tmp.path()).unwrap();
    let agent = loaded
        .issue_agent_server(Some("h.example"), None, NOW)
        .unwrap();
    verify(
        &ca,
        &agent.cert_pem,
        KeyUsage::server_auth(),
        NOW,
        dns("h.example"),
        None,
    )
    .unwrap();
    let crl = loaded.crl(&[], 1, NOW, Duration::days(1)).unwrap();
    verify(
        &ca,
        &agent.cert_pem,
        KeyUsage::server_auth(),
        NOW,
        None,
        Some(&crl),
    )
    .unwrap();
}
