#![doc = include_str!("../README.md")]
// A CA must not abort the process on a bad input: no unwrap, expect or panic outside tests.
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod ca;
mod crl;
mod error;
mod files;
mod info;
mod issued;
mod lifetimes;
mod names;
mod parse;
mod serial;

pub use ca::Ca;
pub use crl::{RevocationReason, RevokedEntry};
pub use error::CaError;
pub use files::{CA_CERT_FILE, CA_KEY_FILE};
pub use info::{CertInfo, CertKind, expiring_within, inspect, renewal_due};
pub use issued::{AgentBundle, IssuedCert, PrivateKeyPem};
pub use lifetimes::Lifetimes;
pub use parse::{certs_from_pem, private_key_from_pem};
pub use serial::normalize_serial;

/// Re-export of the `rustls-pki-types` version this crate's API uses
/// ([`CertificateDer`](rustls_pki_types::CertificateDer),
/// [`PrivateKeyDer`](rustls_pki_types::PrivateKeyDer)).
pub use rustls_pki_types;
/// Re-export of the `time` version this crate's API uses (`OffsetDateTime`, `Duration`).
pub use time;
