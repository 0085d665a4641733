//! The web listener's TLS: version 1.3 only (AD-13), with the certificate from the internal CA
//! or from PEM files the operator supplies (AD-15).

use std::sync::Arc;

use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// Why a TLS configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum TlsConfigError {
    /// The certificate PEM holds no certificate or cannot be read.
    #[error("the web certificate cannot be read: {0}")]
    Certificate(String),
    /// The key PEM holds no private key or cannot be read.
    #[error("the web certificate's private key cannot be read: {0}")]
    Key(String),
    /// The key does not belong to the certificate, or is of an unsupported kind.
    #[error("the web certificate and key do not fit together: {0}")]
    Mismatch(String),
}

/// A TLS 1.3-only server configuration, offering HTTP/1.1 (the WebSocket upgrade needs it).
pub fn web_tls_config(
    cert_chain_pem: &str,
    key_pem: &str,
) -> Result<Arc<ServerConfig>, TlsConfigError> {
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(cert_chain_pem.as_bytes())
            .collect::<Result<_, _>>()
            .map_err(|e| TlsConfigError::Certificate(e.to_string()))?;
    if chain.is_empty() {
        return Err(TlsConfigError::Certificate(
            "no certificate in the PEM".into(),
        ));
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes())
        .map_err(|e| TlsConfigError::Key(e.to_string()))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| TlsConfigError::Mismatch(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| TlsConfigError::Mismatch(e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
