//! What issuing returns: [`IssuedCert`], the per-host [`AgentBundle`], and [`PrivateKeyPem`],
//! a private key that does not show itself in `Debug` output or logs.

use std::fmt;

use crate::CertInfo;

/// A PEM-encoded (PKCS#8) private key. Its `Debug` output is `PrivateKeyPem([redacted])`, and it
/// implements neither `Display` nor `Serialize`, so it does not end up in a log or a JSON
/// response by accident. Call [`expose_secret`](Self::expose_secret) where the key is really
/// needed (writing the key file, building a download).
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKeyPem(String);

impl PrivateKeyPem {
    pub(crate) fn new(pem: String) -> Self {
        Self(pem)
    }

    /// The PEM text of the key.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PrivateKeyPem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKeyPem([redacted])")
    }
}

/// A freshly issued certificate with its new private key.
///
/// Record `info` (serial, kind, names, validity, fingerprint) in the registry; the key is never
/// stored by the CA.
#[derive(Debug, Clone)]
pub struct IssuedCert {
    /// The certificate, PEM.
    pub cert_pem: String,
    /// Its private key (ECDSA P-256, PKCS#8 PEM).
    pub key_pem: PrivateKeyPem,
    /// What the certificate says, read back from the DER that was signed.
    pub info: CertInfo,
}

/// Everything a server administrator installs on one managed host: the agent's certificate and
/// key, and the CA certificate that the agent uses to check the manager's client certificate.
///
/// Each call to [`Ca::agent_bundle`](crate::Ca::agent_bundle) issues a new certificate and key;
/// the caller records `info` (and audits the download) and then forgets the key.
#[derive(Debug, Clone)]
pub struct AgentBundle {
    /// The agent's server certificate, PEM.
    pub agent_cert_pem: String,
    /// The agent's private key, PEM. Install it with mode 0600.
    pub agent_key_pem: PrivateKeyPem,
    /// The CA (root) certificate, PEM.
    pub ca_cert_pem: String,
    /// What the agent certificate says.
    pub info: CertInfo,
}

impl AgentBundle {
    /// File name of the agent certificate in [`files`](Self::files).
    pub const AGENT_CERT_FILE: &'static str = "agent.crt";
    /// File name of the agent key in [`files`](Self::files).
    pub const AGENT_KEY_FILE: &'static str = "agent.key";
    /// File name of the CA certificate in [`files`](Self::files).
    pub const CA_CERT_FILE: &'static str = "ca.crt";

    /// The bundle as `(file name, contents)` pairs, ready for a zip or tar archive:
    /// `agent.crt`, `agent.key`, `ca.crt`. Give `agent.key` mode 0600 in the archive.
    pub fn files(&self) -> Vec<(&'static str, &[u8])> {
        vec![
            (Self::AGENT_CERT_FILE, self.agent_cert_pem.as_bytes()),
            (
                Self::AGENT_KEY_FILE,
                self.agent_key_pem.expose_secret().as_bytes(),
            ),
            (Self::CA_CERT_FILE, self.ca_cert_pem.as_bytes()),
        ]
    }
}
