//! PEM to rustls types: the parse helpers agent clients and servers use to build rustls configs.

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::CaError;

/// All certificates in a PEM string, in order, as rustls types.
///
/// Other PEM sections (keys, CRLs) are skipped. An input without any `CERTIFICATE` section is
/// an error, so a wrong file is noticed here rather than in a TLS handshake.
pub fn certs_from_pem(pem: &str) -> Result<Vec<CertificateDer<'static>>, CaError> {
    let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(CaError::parse("certificate PEM"))?;
    if certs.is_empty() {
        return Err(CaError::Parse {
            what: "certificate PEM",
            detail: "no CERTIFICATE block found".to_owned(),
        });
    }
    Ok(certs)
}

/// The first private key in a PEM string (PKCS#8, SEC1 or PKCS#1), as a rustls type.
pub fn private_key_from_pem(pem: &str) -> Result<PrivateKeyDer<'static>, CaError> {
    PrivateKeyDer::from_pem_slice(pem.as_bytes()).map_err(|e| CaError::Parse {
        what: "private key PEM",
        // The PEM error type can quote input lines; never echo anything of a key.
        detail: match e {
            rustls_pki_types::pem::Error::NoItemsFound => "no PRIVATE KEY block found",
            _ => "malformed PEM",
        }
        .to_owned(),
    })
}
