//! The one error type of this crate, [`CaError`]: each variant says what the caller can do.

use std::net::IpAddr;
use std::path::PathBuf;

use time::OffsetDateTime;

use crate::CertKind;

/// Everything that can go wrong in `lpm-ca`.
///
/// The variants are grouped by what the caller can do about them:
///
/// - **Fix the files:** [`Io`](Self::Io), [`InsecureKeyFile`](Self::InsecureKeyFile),
///   [`AlreadyExists`](Self::AlreadyExists).
/// - **Fix the input** (answer 400 in a server): [`InvalidName`](Self::InvalidName),
///   [`InvalidIpAddress`](Self::InvalidIpAddress), [`NoSubjectAltName`](Self::NoSubjectAltName),
///   [`InvalidSerial`](Self::InvalidSerial), [`InvalidDuration`](Self::InvalidDuration),
///   [`Parse`](Self::Parse), [`NotIssuedByThisCa`](Self::NotIssuedByThisCa),
///   [`NotRenewable`](Self::NotRenewable).
/// - **Replace the CA:** [`NotCaCertificate`](Self::NotCaCertificate),
///   [`KeyMismatch`](Self::KeyMismatch), [`CaExpired`](Self::CaExpired).
/// - **Report a bug or a broken crypto library:** [`Crypto`](Self::Crypto).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaError {
    /// Reading or writing a file failed (missing directory, permissions, disk full).
    #[error("I/O error on {path}: {source}")]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// The CA private key file can be read by group or others. Nothing was loaded; restrict the
    /// file (`chmod 600`) and make sure it is owned by the service user.
    #[error(
        "CA key file {path} has mode {mode:04o}; it must not be accessible to group or others: \
         run `chmod 600 {path}`"
    )]
    InsecureKeyFile {
        /// The key file.
        path: PathBuf,
        /// Its permission bits (for example `0o644`).
        mode: u32,
    },

    /// Saving would overwrite an existing CA file. Nothing was written; choose an empty
    /// directory, or remove the old CA deliberately first.
    #[error("{path} already exists; refusing to overwrite a CA file")]
    AlreadyExists {
        /// The file that exists.
        path: PathBuf,
    },

    /// A common name or DNS name is not acceptable; `reason` says why.
    #[error("invalid name {name:?}: {reason}")]
    InvalidName {
        /// The name as given.
        name: String,
        /// Why it was refused.
        reason: &'static str,
    },

    /// An IP address cannot be put in a certificate (for example `0.0.0.0`).
    #[error("invalid IP address {ip}: {reason}")]
    InvalidIpAddress {
        /// The address as given.
        ip: IpAddr,
        /// Why it was refused.
        reason: &'static str,
    },

    /// A server certificate needs at least one DNS name or IP address.
    #[error("a server certificate needs at least one DNS name or IP address")]
    NoSubjectAltName,

    /// A serial number is not hexadecimal, empty, or longer than 20 bytes.
    #[error("invalid serial number {serial:?}: {reason}")]
    InvalidSerial {
        /// The serial as given.
        serial: String,
        /// Why it was refused.
        reason: &'static str,
    },

    /// A duration parameter (a lifetime, the CRL's next update) is out of range.
    #[error("invalid duration for {what}: {reason}")]
    InvalidDuration {
        /// Which parameter.
        what: &'static str,
        /// Why it was refused.
        reason: &'static str,
    },

    /// Input could not be parsed as PEM, as a certificate or as a private key.
    #[error("could not parse {what}: {detail}")]
    Parse {
        /// What was being parsed ("certificate PEM", "CA private key", ...).
        what: &'static str,
        /// The parser's message (never contains key material).
        detail: String,
    },

    /// The certificate given as the CA certificate is not a CA (no `basicConstraints CA:TRUE`).
    #[error("the CA certificate is not a CA certificate (basicConstraints CA:TRUE missing)")]
    NotCaCertificate,

    /// The CA private key does not belong to the CA certificate; the files come from different
    /// CAs.
    #[error("the CA private key does not match the CA certificate")]
    KeyMismatch,

    /// The CA certificate has expired: it can issue nothing more. Create a new CA and
    /// redistribute its root.
    #[error("the CA certificate expired at {not_after}; create a new CA")]
    CaExpired {
        /// When the CA certificate expired.
        not_after: OffsetDateTime,
    },

    /// The certificate was not signed by this CA (a foreign or forged certificate).
    #[error("the certificate was not issued by this CA")]
    NotIssuedByThisCa,

    /// Only leaf certificates issued by this CA can be renewed; the root cannot, and neither
    /// can certificates that carry no lpm kind marker.
    #[error("a {kind} certificate cannot be renewed")]
    NotRenewable {
        /// The kind of the certificate given.
        kind: CertKind,
    },

    /// Key generation, random number generation or signing failed inside the crypto library.
    /// Not caused by the input; retrying rarely helps.
    #[error("cryptographic operation failed while {operation}: {detail}")]
    Crypto {
        /// What was being done.
        operation: &'static str,
        /// The library's message.
        detail: String,
    },
}

impl CaError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> CaError {
        let path = path.into();
        move |source| CaError::Io { path, source }
    }

    pub(crate) fn crypto<E: std::fmt::Display>(
        operation: &'static str,
    ) -> impl FnOnce(E) -> CaError {
        move |e| CaError::Crypto {
            operation,
            detail: e.to_string(),
        }
    }

    pub(crate) fn parse<E: std::fmt::Display>(what: &'static str) -> impl FnOnce(E) -> CaError {
        move |e| CaError::Parse {
            what,
            detail: e.to_string(),
        }
    }
}
