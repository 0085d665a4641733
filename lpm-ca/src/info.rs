//! What a certificate says ([`CertInfo`], [`CertKind`]), read back with x509-parser, and the
//! expiry and renewal rules built on it.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::oid_registry::OID_X509_ORGANIZATIONAL_UNIT;

use crate::serial::serial_hex;
use crate::{CaError, certs_from_pem};

/// The kinds of certificate the lpm CA issues.
///
/// Each kind is recorded in the certificate's subject as an organizational unit (`OU`), so
/// [`inspect`] and [`Ca::renew`](crate::Ca::renew) can tell an agent server certificate from a
/// web server certificate although both carry the same extended key usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertKind {
    /// The self-signed CA certificate (also reported for any other CA certificate).
    Root,
    /// The manager's TLS client certificate for calls to agents (EKU clientAuth).
    ManagerClient,
    /// An agent's TLS server certificate (EKU serverAuth; SAN = host FQDN and/or IP).
    AgentServer,
    /// The web UI's TLS server certificate (EKU serverAuth).
    WebServer,
    /// A certificate without an lpm kind marker that is not a CA, for example an
    /// operator-supplied web certificate read with [`inspect`].
    Other,
}

impl CertKind {
    /// The snake_case name used in JSON (`"agent_server"`).
    pub fn as_str(self) -> &'static str {
        match self {
            CertKind::Root => "root",
            CertKind::ManagerClient => "manager_client",
            CertKind::AgentServer => "agent_server",
            CertKind::WebServer => "web_server",
            CertKind::Other => "other",
        }
    }

    /// The organizational unit that marks this kind in the subject.
    pub(crate) fn marker(self) -> Option<&'static str> {
        match self {
            CertKind::Root => Some("lpm root CA"),
            CertKind::ManagerClient => Some("lpm manager client"),
            CertKind::AgentServer => Some("lpm agent server"),
            CertKind::WebServer => Some("lpm web server"),
            CertKind::Other => None,
        }
    }

    fn from_marker(ou: &str) -> Option<CertKind> {
        [
            CertKind::Root,
            CertKind::ManagerClient,
            CertKind::AgentServer,
            CertKind::WebServer,
        ]
        .into_iter()
        .find(|k| k.marker() == Some(ou))
    }
}

impl fmt::Display for CertKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a certificate says, in the form the server's registry and UI need.
///
/// Serializes to JSON with RFC 3339 timestamps:
/// `{"serial": "3F0A…", "kind": "agent_server", "subject_cn": "web01.example.net",
/// "dns_names": ["web01.example.net"], "ip_addresses": ["10.0.0.5"],
/// "not_before": "2026-11-24T10:00:00Z", "not_after": "…", "sha256_fingerprint": "9c…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertInfo {
    /// Serial number: upper-case hex without separators, leading zero bytes removed (the form
    /// [`normalize_serial`](crate::normalize_serial) produces). 32 digits for certificates of
    /// this CA.
    pub serial: String,
    /// Which kind of certificate this is.
    pub kind: CertKind,
    /// The subject's common name; empty when the subject has none (a server certificate whose
    /// only DNS name is longer than the 64 characters a CN may hold).
    pub subject_cn: String,
    /// DNS names in the subjectAltName extension, in certificate order.
    pub dns_names: Vec<String>,
    /// IP addresses in the subjectAltName extension, in certificate order.
    pub ip_addresses: Vec<IpAddr>,
    /// Start of validity (already backdated for clock skew).
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    /// End of validity.
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// SHA-256 of the certificate's DER encoding, as 64 lower-case hex digits without
    /// separators (compare with `openssl x509 -noout -fingerprint -sha256`, which prints the
    /// same digits in upper case with colons).
    pub sha256_fingerprint: String,
}

impl CertInfo {
    /// Whether the certificate has expired at `now` (`now >= not_after`).
    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        now >= self.not_after
    }
}

/// Reads any certificate (the first one in `cert_pem`) and reports what it says.
///
/// The kind comes from the lpm marker in the subject; a certificate without one is
/// [`CertKind::Root`] when it is a CA and [`CertKind::Other`] otherwise. Nothing is verified.
pub fn inspect(cert_pem: &str) -> Result<CertInfo, CaError> {
    let der = first_cert_der(cert_pem)?;
    info_from_der(&der)
}

/// The certificates in `certs` that expire within `days` days of `now`, in input order.
///
/// Already expired certificates are included (they need attention even more); tell them apart
/// with [`CertInfo::is_expired`]. The server's expiry query and UI warn 30 days ahead:
/// `expiring_within(&certs, now, 30)`.
pub fn expiring_within(certs: &[CertInfo], now: OffsetDateTime, days: u32) -> Vec<&CertInfo> {
    let limit = now + Duration::days(i64::from(days));
    certs.iter().filter(|c| c.not_after <= limit).collect()
}

/// Whether a certificate is due for automatic renewal: two thirds of its validity period have
/// passed (`now >= not_before + 2/3 * (not_after - not_before)`).
///
/// For the default 30-day manager client certificate that is about day 20, leaving ten days
/// to retry a failed renewal. Expired certificates are due as well.
pub fn renewal_due(info: &CertInfo, now: OffsetDateTime) -> bool {
    let total = info.not_after - info.not_before;
    let due = info.not_before + total * 2 / 3;
    now >= due
}

pub(crate) fn first_cert_der(cert_pem: &str) -> Result<Vec<u8>, CaError> {
    let certs = certs_from_pem(cert_pem)?;
    certs
        .into_iter()
        .next()
        .map(|c| c.to_vec())
        .ok_or_else(|| CaError::Parse {
            what: "certificate PEM",
            detail: "no CERTIFICATE block found".to_owned(),
        })
}

pub(crate) fn parse_der(der: &[u8]) -> Result<X509Certificate<'_>, CaError> {
    x509_parser::parse_x509_certificate(der)
        .map(|(_, cert)| cert)
        .map_err(CaError::parse("X.509 certificate"))
}

pub(crate) fn info_from_der(der: &[u8]) -> Result<CertInfo, CaError> {
    let cert = parse_der(der)?;
    info_from_x509(&cert, der)
}

pub(crate) fn info_from_x509(cert: &X509Certificate<'_>, der: &[u8]) -> Result<CertInfo, CaError> {
    let subject_cn = cert
        .subject()
        .iter_common_name()
        .next()
        .map(|cn| cn.as_str().map(str::to_owned))
        .transpose()
        .map_err(CaError::parse("certificate subject CN"))?
        .unwrap_or_default();

    let mut dns_names = Vec::new();
    let mut ip_addresses = Vec::new();
    if let Some(san) = cert
        .subject_alternative_name()
        .map_err(CaError::parse("subjectAltName extension"))?
    {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(d) => dns_names.push((*d).to_owned()),
                GeneralName::IPAddress(bytes) => {
                    if let Some(ip) = ip_from_bytes(bytes) {
                        ip_addresses.push(ip);
                    }
                }
                _ => {}
            }
        }
    }

    Ok(CertInfo {
        serial: serial_hex(cert.raw_serial()),
        kind: kind_of(cert)?,
        subject_cn,
        dns_names,
        ip_addresses,
        not_before: cert.validity().not_before.to_datetime(),
        not_after: cert.validity().not_after.to_datetime(),
        sha256_fingerprint: hex::encode(Sha256::digest(der)),
    })
}

fn kind_of(cert: &X509Certificate<'_>) -> Result<CertKind, CaError> {
    let marked = cert
        .subject()
        .iter_by_oid(&OID_X509_ORGANIZATIONAL_UNIT)
        .filter_map(|ou| ou.as_str().ok())
        .find_map(CertKind::from_marker);
    if let Some(kind) = marked {
        return Ok(kind);
    }
    let is_ca = cert
        .basic_constraints()
        .map_err(CaError::parse("basicConstraints extension"))?
        .is_some_and(|bc| bc.value.ca);
    Ok(if is_ca {
        CertKind::Root
    } else {
        CertKind::Other
    })
}

fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        return Some(IpAddr::V4(Ipv4Addr::from(v4)));
    }
    if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
        return Some(IpAddr::V6(Ipv6Addr::from(v6)));
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use time::macros::datetime;

    fn info(not_before: OffsetDateTime, not_after: OffsetDateTime) -> CertInfo {
        CertInfo {
            serial: "01".into(),
            kind: CertKind::AgentServer,
            subject_cn: "h".into(),
            dns_names: vec![],
            ip_addresses: vec![],
            not_before,
            not_after,
            sha256_fingerprint: String::new(),
        }
    }

    #[test]
    fn renewal_at_two_thirds() {
        let nb = datetime!(2026-01-01 0:00 UTC);
        let c = info(nb, nb + Duration::days(30));
        assert!(!renewal_due(&c, nb));
        assert!(!renewal_due(
            &c,
            nb + Duration::days(20) - Duration::seconds(1)
        ));
        assert!(renewal_due(&c, nb + Duration::days(20)));
        assert!(renewal_due(&c, nb + Duration::days(31)));
    }

    #[test]
    fn expiring_includes_expired_in_input_order() {
        let now = datetime!(2026-06-01 0:00 UTC);
        let expired = info(now - Duration::days(100), now - Duration::days(1));
        let soon = info(now, now + Duration::days(10));
        let edge = info(now, now + Duration::days(30));
        let later = info(now, now + Duration::days(31));
        let all = vec![later.clone(), soon.clone(), expired.clone(), edge.clone()];
        let hits = expiring_within(&all, now, 30);
        assert_eq!(hits, vec![&soon, &expired, &edge]);
        assert!(hits[1].is_expired(now));
        assert!(!hits[0].is_expired(now));
        assert!(expiring_within(&all, now, 0).len() == 1);
    }

    #[test]
    fn json_shape_and_round_trip() {
        let c = info(
            datetime!(2026-01-01 0:00 UTC),
            datetime!(2026-04-01 0:00 UTC),
        );
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["kind"], "agent_server");
        assert_eq!(json["not_before"], "2026-01-01T00:00:00Z");
        assert_eq!(json["not_after"], "2026-04-01T00:00:00Z");
        let back: CertInfo = serde_json::from_value(json).unwrap();
        assert_eq!(back, c);
    }
}
