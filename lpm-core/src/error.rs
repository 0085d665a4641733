//! Errors of lpm-core: bad input to a validated type, and illegal state transitions.

use thiserror::Error;

/// A value was rejected by a validating constructor; nothing was created.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValidationError {
    /// An id was not a positive integer.
    #[error("invalid {kind} id {value:?}: ids are positive integers")]
    InvalidId {
        /// Which kind of id.
        kind: &'static str,
        /// The rejected text.
        value: String,
    },
    /// A host name is not a valid fully qualified domain name.
    #[error("invalid FQDN {value:?}: {reason}")]
    InvalidFqdn {
        /// The rejected text.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// An IP address could not be parsed.
    #[error("invalid IP address {value:?}")]
    InvalidIp {
        /// The rejected text.
        value: String,
    },
    /// A CIDR range could not be parsed or is too large to scan.
    #[error("invalid CIDR range {value:?}: {reason}")]
    InvalidCidr {
        /// The rejected text.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A name (group, user, package) is empty, too long or has forbidden characters.
    #[error("invalid {field}: {reason}")]
    InvalidName {
        /// Which field.
        field: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A TCP port of 0.
    #[error("invalid port 0")]
    InvalidPort,
    /// A word that names no known variant (role, job kind, state ...).
    #[error("unknown {kind} {value:?}")]
    UnknownVariant {
        /// Which enumeration.
        kind: &'static str,
        /// The rejected text.
        value: String,
    },
}
