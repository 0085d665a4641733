//! TLS material and rustls configurations: the [`Identity`] a party presents, the internal CA as
//! the only trust root, CRLs, and the TLS 1.3-only client (and, with `sim`, server) configs.

use std::fmt;
use std::sync::{Arc, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{
    CertificateDer, CertificateRevocationListDer, PrivateKeyDer, ServerName, UnixTime,
};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

use crate::ConfigError;

/// A certificate chain and its private key: the manager's client identity, or an agent's
/// server identity in the simulator. `Debug` never shows the key.
pub struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

impl Identity {
    /// Reads a certificate chain (leaf first) and a private key (PKCS#8, SEC1 or PKCS#1) from
    /// PEM. Whether the key belongs to the certificate is checked when a client or server is
    /// built from it.
    pub fn from_pem(cert_pem: &str, key_pem: &str) -> Result<Self, ConfigError> {
        let chain = certs_from_pem(cert_pem, "certificate")?;
        let key =
            PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).map_err(|e| ConfigError::Pem {
                what: "private key",
                detail: e.to_string(),
            })?;
        Ok(Self { chain, key })
    }

    /// The certificate chain, leaf first.
    pub fn chain(&self) -> &[CertificateDer<'static>] {
        &self.chain
    }

    pub(crate) fn key(&self) -> PrivateKeyDer<'static> {
        self.key.clone_key()
    }
}

impl Clone for Identity {
    fn clone(&self) -> Self {
        Self {
            chain: self.chain.clone(),
            key: self.key.clone_key(),
        }
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("certificates", &self.chain.len())
            .field("key", &"[redacted]")
            .finish()
    }
}

/// The process-wide aws-lc-rs provider, passed explicitly to every config so that no process
/// default is needed (two providers compiled in would otherwise make rustls refuse to choose).
pub(crate) fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    PROVIDER
        .get_or_init(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .clone()
}

pub(crate) fn certs_from_pem(
    pem: &str,
    what: &'static str,
) -> Result<Vec<CertificateDer<'static>>, ConfigError> {
    let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ConfigError::Pem {
            what,
            detail: e.to_string(),
        })?;
    if certs.is_empty() {
        return Err(ConfigError::Pem {
            what,
            detail: "no CERTIFICATE block found".into(),
        });
    }
    Ok(certs)
}

/// The internal CA certificate(s) as the only trust anchors.
pub(crate) fn root_store(ca_pem: &str) -> Result<Arc<RootCertStore>, ConfigError> {
    let mut roots = RootCertStore::empty();
    for cert in certs_from_pem(ca_pem, "CA certificate")? {
        roots
            .add(cert)
            .map_err(|e| ConfigError::Tls(format!("CA certificate unusable as a root: {e}")))?;
    }
    Ok(Arc::new(roots))
}

/// Parses CRLs given as PEM (any number of `X509 CRL` blocks per string).
pub(crate) fn crls_from_pem(
    pems: &[String],
) -> Result<Vec<CertificateRevocationListDer<'static>>, ConfigError> {
    let mut crls = Vec::new();
    for pem in pems {
        let found = CertificateRevocationListDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ConfigError::Pem {
                what: "CRL",
                detail: e.to_string(),
            })?;
        if found.is_empty() {
            return Err(ConfigError::Pem {
                what: "CRL",
                detail: "no X509 CRL block found".into(),
            });
        }
        crls.extend(found);
    }
    Ok(crls)
}

/// The two client configurations: `strict` checks the agent certificate against the name the
/// host is registered under; `discovery` checks the chain and validity but not the name (a
/// scan knows only the address; it reports the names the certificate carries instead).
#[derive(Debug, Clone)]
pub(crate) struct ClientTls {
    pub(crate) strict: Arc<ClientConfig>,
    pub(crate) discovery: Arc<ClientConfig>,
}

pub(crate) fn client_tls(
    ca_pem: &str,
    identity: &Identity,
    crl_pems: &[String],
) -> Result<ClientTls, ConfigError> {
    let roots = root_store(ca_pem)?;
    let crls = crls_from_pem(crl_pems)?;
    let mut builder = WebPkiServerVerifier::builder_with_provider(roots, provider());
    if !crls.is_empty() {
        builder = builder.with_crls(crls).only_check_end_entity_revocation();
    }
    let verifier = builder
        .build()
        .map_err(|e| ConfigError::Tls(format!("certificate verifier: {e}")))?;
    let strict = finish_client(verifier.clone(), identity)?;
    let discovery = finish_client(Arc::new(AnyNameVerifier { inner: verifier }), identity)?;
    Ok(ClientTls {
        strict: Arc::new(strict),
        discovery: Arc::new(discovery),
    })
}

fn finish_client(
    verifier: Arc<dyn ServerCertVerifier>,
    identity: &Identity,
) -> Result<ClientConfig, ConfigError> {
    let mut config = ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| ConfigError::Tls(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_auth_cert(identity.chain.clone(), identity.key())
        .map_err(|e| ConfigError::Tls(format!("client certificate: {e}")))?;
    // HTTP/1.1 only: one call at a time per connection is what a poller needs, and the job
    // stream's WebSocket upgrade requires HTTP/1.1.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    // Every new connection authenticates both ends in full, so a revoked or replaced
    // certificate takes effect at once; connections are pooled, so the cost is paid once per
    // connection, not per call.
    config.resumption = rustls::client::Resumption::disabled();
    Ok(config)
}

/// Verifies the chain, validity, key usage and revocation like the strict verifier, but
/// accepts a certificate whose names do not match: used only by discovery probes, which report
/// the names instead of trusting them. rustls checks the name last, after the chain.
#[derive(Debug)]
struct AnyNameVerifier {
    inner: Arc<WebPkiServerVerifier>,
}

impl ServerCertVerifier for AnyNameVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// The TLS 1.3-only server configuration of a simulated agent: its identity, and a client
/// certificate from the CA required (checked against the CRLs when given).
#[cfg(feature = "sim")]
pub(crate) fn client_verifier(
    ca_pem: &str,
    crl_pems: &[String],
) -> Result<Arc<dyn rustls::server::danger::ClientCertVerifier>, ConfigError> {
    let roots = root_store(ca_pem)?;
    let crls = crls_from_pem(crl_pems)?;
    let mut builder =
        rustls::server::WebPkiClientVerifier::builder_with_provider(roots, provider());
    if !crls.is_empty() {
        builder = builder.with_crls(crls).only_check_end_entity_revocation();
    }
    builder
        .build()
        .map_err(|e| ConfigError::Tls(format!("client certificate verifier: {e}")))
}

#[cfg(feature = "sim")]
pub(crate) fn server_config(
    identity: &Identity,
    verifier: Arc<dyn rustls::server::danger::ClientCertVerifier>,
) -> Result<Arc<rustls::ServerConfig>, ConfigError> {
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| ConfigError::Tls(e.to_string()))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(identity.chain.clone(), identity.key())
        .map_err(|e| ConfigError::Tls(format!("agent certificate: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    // No resumption: a fleet of thousands of agents would otherwise hold a session cache each.
    config.send_tls13_tickets = 0;
    config.session_storage = Arc::new(rustls::server::NoServerSessionStorage {});
    Ok(Arc::new(config))
}
