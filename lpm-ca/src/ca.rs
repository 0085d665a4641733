//! The certificate authority itself ([`Ca`]): create, save and load it, issue and renew leaf
//! certificates, build agent bundles.

use std::fmt;
use std::net::IpAddr;
use std::path::Path;

use rcgen::string::Ia5String;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyIdMethod, KeyPair, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256, PublicKeyData, SanType,
    SerialNumber,
};
use rustls_pki_types::CertificateDer;
use time::OffsetDateTime;
use x509_parser::extensions::ParsedExtension;

use crate::files::{load_ca, save_ca};
use crate::info::{first_cert_der, info_from_der, info_from_x509, parse_der};
use crate::names::{MAX_CN_LEN, validate_common_name, validate_dns_name, validate_ip};
use crate::serial::random_serial;
use crate::{AgentBundle, CaError, CertInfo, CertKind, IssuedCert, Lifetimes, PrivateKeyPem};

/// Organization written into every subject this CA produces.
const ORGANIZATION: &str = "lpm";

/// The internal certificate authority: the root certificate and its private key.
///
/// All keys are ECDSA P-256 and all signatures ECDSA with SHA-256. The CA keeps no registry
/// of what it issued: every issuing call returns a [`CertInfo`] for the caller to record, and
/// [`Ca::crl`] takes the revoked serials from the caller.
///
/// Nothing here reads the clock: every operation that depends on time takes `now`.
pub struct Ca {
    pub(crate) issuer: Issuer<'static, KeyPair>,
    pub(crate) key_id_method: KeyIdMethod,
    root_der: CertificateDer<'static>,
    root_pem: String,
    root_info: CertInfo,
    lifetimes: Lifetimes,
}

impl fmt::Debug for Ca {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ca")
            .field("root", &self.root_info)
            .field("lifetimes", &self.lifetimes)
            .field("key", &"[redacted]")
            .finish()
    }
}

impl Ca {
    /// Creates a new CA in memory with the default [`Lifetimes`]: a fresh P-256 key and a
    /// self-signed root valid from `now - 5 min` for ten years, with `basicConstraints CA:TRUE,
    /// pathlen:0` and key usages `keyCertSign` and `cRLSign`. Call [`save`](Self::save) to keep
    /// it.
    pub fn generate(common_name: &str, now: OffsetDateTime) -> Result<Ca, CaError> {
        Self::generate_with_lifetimes(common_name, Lifetimes::default(), now)
    }

    /// Like [`generate`](Self::generate), with other lifetimes (the root's lifetime is taken
    /// from `lifetimes.root`).
    pub fn generate_with_lifetimes(
        common_name: &str,
        lifetimes: Lifetimes,
        now: OffsetDateTime,
    ) -> Result<Ca, CaError> {
        lifetimes.validate()?;
        validate_common_name(common_name)?;
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)
            .map_err(CaError::crypto("generating the CA key"))?;
        let mut params = CertificateParams::default();
        params.distinguished_name = subject(CertKind::Root, Some(common_name));
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        params.serial_number = Some(SerialNumber::from_slice(&random_serial()?));
        params.not_before = now - lifetimes.backdate;
        params.not_after = now + lifetimes.root;
        let cert = params
            .self_signed(&key)
            .map_err(CaError::crypto("signing the CA certificate"))?;
        Self::from_parts(cert.der().to_vec(), key, lifetimes)
    }

    /// Builds a CA from its certificate and private key in PEM (the key as PKCS#8, SEC1 or
    /// PKCS#1), with the default [`Lifetimes`]. Checks that the certificate is a CA and that
    /// the key belongs to it.
    pub fn from_pem(ca_cert_pem: &str, ca_key_pem: &str) -> Result<Ca, CaError> {
        let der = first_cert_der(ca_cert_pem)?;
        // rcgen's messages name the failure, never the key material.
        let key = KeyPair::from_pem(ca_key_pem).map_err(CaError::parse("CA private key"))?;
        Self::from_parts(der, key, Lifetimes::default())
    }

    /// Loads the CA saved in `dir` (`ca.crt` and `ca.key`), with the default [`Lifetimes`].
    ///
    /// Refuses with [`CaError::InsecureKeyFile`] a key file that group or others may read,
    /// write or execute (`mode & 0o077 != 0`).
    pub fn load(dir: impl AsRef<Path>) -> Result<Ca, CaError> {
        let (cert_pem, key_pem) = load_ca(dir.as_ref())?;
        Self::from_pem(&cert_pem, &key_pem)
    }

    /// Saves the CA into `dir`: `ca.crt` (PEM, mode 0644) and `ca.key` (PKCS#8 PEM, mode
    /// 0600 from the moment it is created). Creates `dir` with mode 0700 if it does not exist.
    ///
    /// Refuses with [`CaError::AlreadyExists`] when either file exists: a CA key is never
    /// overwritten.
    pub fn save(&self, dir: impl AsRef<Path>) -> Result<(), CaError> {
        save_ca(
            dir.as_ref(),
            &self.root_pem,
            &self.issuer.key().serialize_pem(),
        )
    }

    /// Replaces the lifetimes used for the certificates issued from now on (the root's own
    /// validity does not change).
    pub fn with_lifetimes(mut self, lifetimes: Lifetimes) -> Result<Ca, CaError> {
        lifetimes.validate()?;
        self.lifetimes = lifetimes;
        Ok(self)
    }

    /// The lifetimes in use.
    pub fn lifetimes(&self) -> &Lifetimes {
        &self.lifetimes
    }

    /// The root (CA) certificate, PEM: what agents and browsers install as trust anchor.
    pub fn root_pem(&self) -> &str {
        &self.root_pem
    }

    /// The root certificate, DER, as the rustls type (for a `RootCertStore`).
    pub fn root_der(&self) -> CertificateDer<'static> {
        self.root_der.clone()
    }

    /// What the root certificate says.
    pub fn root_info(&self) -> &CertInfo {
        &self.root_info
    }

    /// Issues the manager's TLS client certificate: subject `CN=common_name`, key usage
    /// digitalSignature, extended key usage clientAuth, no SAN.
    pub fn issue_manager_client(
        &self,
        common_name: &str,
        now: OffsetDateTime,
    ) -> Result<IssuedCert, CaError> {
        validate_common_name(common_name)?;
        self.issue(
            CertKind::ManagerClient,
            Some(common_name),
            Vec::new(),
            Vec::new(),
            now,
        )
    }

    /// Issues an agent's TLS server certificate: extended key usage serverAuth, SAN = the DNS
    /// name and/or the IP address (at least one), CN = the FQDN, else the IP.
    ///
    /// The DNS name must be LDH labels, at most 253 characters, without a wildcard or trailing
    /// dot; it is stored in lower case.
    pub fn issue_agent_server(
        &self,
        fqdn: Option<&str>,
        ip: Option<IpAddr>,
        now: OffsetDateTime,
    ) -> Result<IssuedCert, CaError> {
        let dns = fqdn.map(validate_dns_name).transpose()?;
        let ip = ip.map(validate_ip).transpose()?;
        self.issue_server(
            CertKind::AgentServer,
            dns.into_iter().collect(),
            ip.into_iter().collect(),
            now,
        )
    }

    /// Issues the web UI's TLS server certificate (AD-15): extended key usage serverAuth, SAN =
    /// every name and address given (duplicates dropped, order kept), CN = the first name, else
    /// the first address. The server passes at least `localhost` and `127.0.0.1`.
    pub fn issue_web_server<S: AsRef<str>>(
        &self,
        names: &[S],
        ips: &[IpAddr],
        now: OffsetDateTime,
    ) -> Result<IssuedCert, CaError> {
        let mut dns = Vec::new();
        for name in names {
            let name = validate_dns_name(name.as_ref())?;
            if !dns.contains(&name) {
                dns.push(name);
            }
        }
        let mut addrs = Vec::new();
        for &ip in ips {
            let ip = validate_ip(ip)?;
            if !addrs.contains(&ip) {
                addrs.push(ip);
            }
        }
        self.issue_server(CertKind::WebServer, dns, addrs, now)
    }

    /// Issues a fresh agent certificate and key and packs them with the CA certificate: what a
    /// server administrator downloads for one host. See [`AgentBundle::files`].
    pub fn agent_bundle(
        &self,
        fqdn: Option<&str>,
        ip: Option<IpAddr>,
        now: OffsetDateTime,
    ) -> Result<AgentBundle, CaError> {
        let issued = self.issue_agent_server(fqdn, ip, now)?;
        Ok(AgentBundle {
            agent_cert_pem: issued.cert_pem,
            agent_key_pem: issued.key_pem,
            ca_cert_pem: self.root_pem.clone(),
            info: issued.info,
        })
    }

    /// Renews a certificate this CA issued: a new key and a new serial, with the same kind,
    /// subject and SANs, valid from `now` for the kind's lifetime. The old certificate is not
    /// touched; revoke it (reason `superseded`) if it must stop working before it expires.
    ///
    /// Refuses certificates not signed by this CA ([`CaError::NotIssuedByThisCa`]), the root
    /// and certificates without an lpm kind marker ([`CaError::NotRenewable`]).
    pub fn renew(
        &self,
        existing_cert_pem: &str,
        now: OffsetDateTime,
    ) -> Result<IssuedCert, CaError> {
        let old = self.verify_issued(existing_cert_pem)?;
        match old.kind {
            CertKind::ManagerClient | CertKind::AgentServer | CertKind::WebServer => {}
            kind => return Err(CaError::NotRenewable { kind }),
        }
        let cn = (!old.subject_cn.is_empty()).then_some(old.subject_cn.as_str());
        self.issue(
            old.kind,
            cn,
            old.dns_names.clone(),
            old.ip_addresses.clone(),
            now,
        )
    }

    /// Checks that `cert_pem` (its first certificate) was signed by this CA's key and returns
    /// what it says. Validity dates are not checked: an expired certificate of this CA passes.
    pub fn verify_issued(&self, cert_pem: &str) -> Result<CertInfo, CaError> {
        let der = first_cert_der(cert_pem)?;
        let cert = parse_der(&der)?;
        let root = parse_der(&self.root_der)?;
        if cert.issuer().as_raw() != root.subject().as_raw() {
            return Err(CaError::NotIssuedByThisCa);
        }
        cert.verify_signature(Some(root.public_key()))
            .map_err(|_| CaError::NotIssuedByThisCa)?;
        info_from_x509(&cert, &der)
    }

    fn issue_server(
        &self,
        kind: CertKind,
        dns: Vec<String>,
        ips: Vec<IpAddr>,
        now: OffsetDateTime,
    ) -> Result<IssuedCert, CaError> {
        let cn = match (dns.first(), ips.first()) {
            (Some(name), _) => name.clone(),
            (None, Some(ip)) => ip.to_string(),
            (None, None) => return Err(CaError::NoSubjectAltName),
        };
        // A CN holds at most 64 characters; longer DNS names live in the SAN only, which is
        // what TLS clients check anyway.
        let cn = (cn.len() <= MAX_CN_LEN).then_some(cn);
        self.issue(kind, cn.as_deref(), dns, ips, now)
    }

    /// Signs a leaf certificate of `kind`; names are already validated.
    fn issue(
        &self,
        kind: CertKind,
        common_name: Option<&str>,
        dns: Vec<String>,
        ips: Vec<IpAddr>,
        now: OffsetDateTime,
    ) -> Result<IssuedCert, CaError> {
        let ca_not_after = self.root_info.not_after;
        if now >= ca_not_after {
            return Err(CaError::CaExpired {
                not_after: ca_not_after,
            });
        }
        let (eku, lifetime) = match kind {
            CertKind::ManagerClient => (
                ExtendedKeyUsagePurpose::ClientAuth,
                self.lifetimes.manager_client,
            ),
            CertKind::AgentServer => (
                ExtendedKeyUsagePurpose::ServerAuth,
                self.lifetimes.agent_server,
            ),
            CertKind::WebServer => (
                ExtendedKeyUsagePurpose::ServerAuth,
                self.lifetimes.web_server,
            ),
            CertKind::Root | CertKind::Other => return Err(CaError::NotRenewable { kind }),
        };
        if kind != CertKind::ManagerClient && dns.is_empty() && ips.is_empty() {
            return Err(CaError::NoSubjectAltName);
        }

        let mut params = CertificateParams::default();
        params.distinguished_name = subject(kind, common_name);
        params.subject_alt_names = dns
            .into_iter()
            .map(|d| {
                Ia5String::try_from(d.clone())
                    .map(SanType::DnsName)
                    .map_err(|_| CaError::InvalidName {
                        name: d,
                        reason: "not an IA5 (ASCII) string",
                    })
            })
            .chain(ips.into_iter().map(|ip| Ok(SanType::IpAddress(ip))))
            .collect::<Result<_, _>>()?;
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![eku];
        params.use_authority_key_identifier_extension = true;
        params.serial_number = Some(SerialNumber::from_slice(&random_serial()?));
        params.not_before = now - self.lifetimes.backdate;
        params.not_after = (now + lifetime).min(ca_not_after);

        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)
            .map_err(CaError::crypto("generating a key"))?;
        let cert = params
            .signed_by(&key, &self.issuer)
            .map_err(CaError::crypto("signing a certificate"))?;
        Ok(IssuedCert {
            cert_pem: cert.pem(),
            key_pem: PrivateKeyPem::new(key.serialize_pem()),
            info: info_from_der(cert.der())?,
        })
    }

    fn from_parts(der: Vec<u8>, key: KeyPair, lifetimes: Lifetimes) -> Result<Ca, CaError> {
        let cert = parse_der(&der)?;
        let is_ca = cert
            .basic_constraints()
            .map_err(CaError::parse("basicConstraints extension"))?
            .is_some_and(|bc| bc.value.ca);
        if !is_ca {
            return Err(CaError::NotCaCertificate);
        }
        if *cert.public_key().subject_public_key.data != *key.der_bytes() {
            return Err(CaError::KeyMismatch);
        }
        let key_id_method = cert
            .iter_extensions()
            .find_map(|ext| match ext.parsed_extension() {
                ParsedExtension::SubjectKeyIdentifier(id) => {
                    Some(KeyIdMethod::PreSpecified(id.0.to_vec()))
                }
                _ => None,
            })
            .unwrap_or(KeyIdMethod::Sha256);
        let root_info = info_from_x509(&cert, &der)?;
        let root_der = CertificateDer::from(der.clone());
        let issuer =
            Issuer::from_ca_cert_der(&root_der, key).map_err(CaError::parse("CA certificate"))?;
        let root_pem = pem::encode_config(
            &pem::Pem::new("CERTIFICATE", der),
            pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
        );
        Ok(Ca {
            issuer,
            key_id_method,
            root_der,
            root_pem,
            root_info,
            lifetimes,
        })
    }
}

/// The subject of a certificate of `kind`: `O=lpm, OU=<kind marker>, CN=<common name>`.
fn subject(kind: CertKind, common_name: Option<&str>) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, ORGANIZATION);
    if let Some(marker) = kind.marker() {
        dn.push(DnType::OrganizationalUnitName, marker);
    }
    if let Some(cn) = common_name {
        dn.push(DnType::CommonName, cn);
    }
    dn
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-24 10:00 UTC);

    #[test]
    fn ca_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Ca>();
    }

    #[test]
    fn debug_does_not_print_keys() {
        let ca = Ca::generate("Test CA", NOW).unwrap();
        let issued = ca.issue_manager_client("mgr", NOW).unwrap();
        let ca_debug = format!("{ca:?}");
        let issued_debug = format!("{issued:?}");
        assert!(ca_debug.contains("[redacted]"));
        assert!(!ca_debug.contains("PRIVATE KEY"));
        assert!(!issued_debug.contains("PRIVATE KEY"), "{issued_debug}");
        assert!(issued.key_pem.expose_secret().contains("PRIVATE KEY"));
    }

    #[test]
    fn leaf_validity_is_backdated_and_clamped_to_the_root() {
        let lifetimes = Lifetimes {
            root: time::Duration::days(60),
            ..Lifetimes::default()
        };
        let ca = Ca::generate_with_lifetimes("Short CA", lifetimes, NOW).unwrap();
        let agent = ca.issue_agent_server(Some("a.example"), None, NOW).unwrap();
        assert_eq!(agent.info.not_before, NOW - time::Duration::minutes(5));
        assert_eq!(agent.info.not_after, ca.root_info().not_after);
        let mgr = ca.issue_manager_client("mgr", NOW).unwrap();
        assert_eq!(mgr.info.not_after, NOW + time::Duration::days(30));
        let late = NOW + time::Duration::days(61);
        assert!(matches!(
            ca.issue_manager_client("mgr", late),
            Err(CaError::CaExpired { .. })
        ));
    }

    #[test]
    fn invalid_lifetimes_rejected() {
        let bad = Lifetimes {
            agent_server: time::Duration::ZERO,
            ..Lifetimes::default()
        };
        let ca = Ca::generate("Test CA", NOW).unwrap();
        assert!(matches!(
            ca.with_lifetimes(bad),
            Err(CaError::InvalidDuration { .. })
        ));
    }
}
