//! The errors of this crate: [`ClientError`] for a failed call (each carries the retry class the
//! engine needs), [`ConfigError`] for a client or simulator that cannot be set up.

use std::fmt;
use std::time::Duration;

use lpm_core::agent::{AgentError, AgentErrorClass};
use thiserror::Error;

/// The step of a call that ran out of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Resolving the host name.
    Resolve,
    /// The TCP connection.
    Connect,
    /// The TLS handshake.
    TlsHandshake,
    /// Sending the request and reading the whole response (the per-call timeout).
    Call,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Resolve => "name resolution",
            Phase::Connect => "TCP connect",
            Phase::TlsHandshake => "TLS handshake",
            Phase::Call => "call",
        })
    }
}

/// Why a TLS session with an agent could not be established. Every kind is a permanent failure:
/// the certificates or the peer's TLS stack must change before a retry can succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TlsFailure {
    /// The agent's certificate was not issued by the internal CA.
    UnknownIssuer,
    /// The agent's certificate does not carry the name (FQDN, else IP) the host is registered
    /// under.
    NameMismatch,
    /// The agent's certificate has expired or is not yet valid.
    Expired,
    /// The agent's certificate is on the CRL the client was given.
    Revoked,
    /// The agent refused the manager's client certificate (unknown CA, revoked, missing).
    RejectedByPeer,
    /// The peer does not speak TLS 1.3.
    ProtocolVersion,
    /// Any other TLS protocol failure.
    Other,
}

impl TlsFailure {
    /// A stable snake_case code for logs and the job record.
    pub fn code(self) -> &'static str {
        match self {
            TlsFailure::UnknownIssuer => "tls_unknown_issuer",
            TlsFailure::NameMismatch => "tls_name_mismatch",
            TlsFailure::Expired => "tls_certificate_expired",
            TlsFailure::Revoked => "tls_certificate_revoked",
            TlsFailure::RejectedByPeer => "tls_rejected_by_agent",
            TlsFailure::ProtocolVersion => "tls_protocol_version",
            TlsFailure::Other => "tls_error",
        }
    }
}

/// A failed call to an agent.
///
/// [`class`](Self::class) says what the retry engine should do: retry later (`Transient`),
/// retry when the agent's running job is done (`Busy`), or give up (`Permanent`).
/// [`code`](Self::code) is a stable snake_case word for logs and job records. Messages are safe
/// to show: they never contain key material.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The address lies outside the configured agent networks (AD-18). Nothing was sent to it.
    /// Permanent: change the allowlist or the host's address.
    #[error("{ip} is outside the allowed agent networks; nothing was sent")]
    NotAllowed {
        /// The refused address.
        ip: std::net::IpAddr,
    },
    /// The host name could not be resolved. Transient: DNS may come back.
    #[error("could not resolve {name}: {detail}")]
    Resolve {
        /// The name.
        name: String,
        /// What the resolver said.
        detail: String,
    },
    /// The TCP connection failed (refused, unreachable). Transient: the agent may be restarting
    /// or rebooting.
    #[error("connecting to {target} failed: {detail}")]
    Connect {
        /// The host, as `name (ip:port)` or `ip:port`.
        target: String,
        /// `refused`, `unreachable` or the system's message.
        detail: String,
    },
    /// A step took longer than its timeout. Transient.
    #[error("{phase} with {target} timed out after {after:?}")]
    Timeout {
        /// The host.
        target: String,
        /// The step that timed out.
        phase: Phase,
        /// The timeout that expired.
        after: Duration,
    },
    /// The TLS session failed on a certificate, identity or protocol question. Permanent.
    #[error("TLS with {target} failed ({}): {detail}", kind.code())]
    Tls {
        /// The host.
        target: String,
        /// What went wrong.
        kind: TlsFailure,
        /// rustls' description.
        detail: String,
    },
    /// The connection broke during the call (reset, closed before the answer). Transient.
    #[error("connection to {target} lost: {detail}")]
    ConnectionLost {
        /// The host.
        target: String,
        /// What happened.
        detail: String,
    },
    /// The agent answered with an error status. 409 `busy` (or a 409 without an error
    /// envelope) is `Busy`; another 409 code (`not_rollbackable`) is `Permanent`; 408, 429 and
    /// 5xx (503 while starting or rebooting) are `Transient`; any other status is `Permanent`.
    #[error("agent {target} answered {status} {code}: {message}")]
    Status {
        /// The host.
        target: String,
        /// The HTTP status.
        status: u16,
        /// The agent's error code (`busy`, `not_found`, ...), or `http_<status>` when the body
        /// held no error envelope.
        code: String,
        /// The agent's message.
        message: String,
    },
    /// The agent's answer could not be understood (not JSON, wrong shape, too large).
    /// Permanent: the agent does not speak this contract.
    #[error("agent {target} sent an invalid response: {detail}")]
    InvalidResponse {
        /// The host.
        target: String,
        /// What was wrong.
        detail: String,
    },
    /// The request itself is invalid (a bad idempotency key or package name); nothing was
    /// sent. Permanent: fix the input.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

impl ClientError {
    /// How the retry engine must treat this failure.
    pub fn class(&self) -> AgentErrorClass {
        match self {
            ClientError::Resolve { .. }
            | ClientError::Connect { .. }
            | ClientError::Timeout { .. }
            | ClientError::ConnectionLost { .. } => AgentErrorClass::Transient,
            ClientError::Status { status, code, .. } => match status {
                // 409 is "busy" unless the agent says it is something else, such as a job
                // that cannot be rolled back, which no retry will fix.
                409 if code == crate::wire::codes::BUSY || code == "http_409" => {
                    AgentErrorClass::Busy
                }
                409 => AgentErrorClass::Permanent,
                408 | 429 | 500..=599 => AgentErrorClass::Transient,
                _ => AgentErrorClass::Permanent,
            },
            ClientError::NotAllowed { .. }
            | ClientError::Tls { .. }
            | ClientError::InvalidResponse { .. }
            | ClientError::InvalidRequest(_) => AgentErrorClass::Permanent,
        }
    }

    /// Whether a retry may help (not [`AgentErrorClass::Permanent`]).
    pub fn is_retryable(&self) -> bool {
        self.class() != AgentErrorClass::Permanent
    }

    /// A stable snake_case code: the agent's own code for an error status, else the client's
    /// (`not_allowed`, `resolve_failed`, `connection_refused`, `connect_failed`, `timeout`,
    /// `tls_*`, `connection_lost`, `invalid_response`, `invalid_request`).
    pub fn code(&self) -> &str {
        match self {
            ClientError::NotAllowed { .. } => "not_allowed",
            ClientError::Resolve { .. } => "resolve_failed",
            ClientError::Connect { detail, .. } if detail == "refused" => "connection_refused",
            ClientError::Connect { .. } => "connect_failed",
            ClientError::Timeout { .. } => "timeout",
            ClientError::Tls { kind, .. } => kind.code(),
            ClientError::ConnectionLost { .. } => "connection_lost",
            ClientError::Status { code, .. } => code,
            ClientError::InvalidResponse { .. } => "invalid_response",
            ClientError::InvalidRequest(_) => "invalid_request",
        }
    }

    /// The HTTP status, when the agent answered with an error status.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl From<ClientError> for AgentError {
    fn from(e: ClientError) -> Self {
        AgentError {
            class: e.class(),
            code: e.code().to_owned(),
            message: e.to_string(),
        }
    }
}

/// A client, simulator or identity that cannot be set up from what was given. Fix the input
/// (the PEM files, the options); nothing was started.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A PEM input held no certificate, or could not be parsed.
    #[error("could not read {what}: {detail}")]
    Pem {
        /// Which input ("CA certificate", "client certificate", "private key", "CRL").
        what: &'static str,
        /// The parser's message (never key material).
        detail: String,
    },
    /// rustls refused the combination (a key that does not match its certificate, a CA
    /// certificate it cannot use as a trust anchor).
    #[error("TLS setup failed: {0}")]
    Tls(String),
    /// An option is out of range.
    #[error("invalid option {option}: {reason}")]
    Option {
        /// The option.
        option: &'static str,
        /// Why it was refused.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16) -> ClientError {
        status_code(code, "x")
    }

    fn status_code(status: u16, code: &str) -> ClientError {
        ClientError::Status {
            target: "t".into(),
            status,
            code: code.into(),
            message: "m".into(),
        }
    }

    #[test]
    fn statuses_are_classified_for_the_retry_engine() {
        assert_eq!(status_code(409, "busy").class(), AgentErrorClass::Busy);
        assert_eq!(status_code(409, "http_409").class(), AgentErrorClass::Busy);
        assert_eq!(
            status_code(409, "not_rollbackable").class(),
            AgentErrorClass::Permanent
        );
        for s in [408, 429, 500, 502, 503, 504] {
            assert_eq!(status(s).class(), AgentErrorClass::Transient, "{s}");
        }
        for s in [400, 401, 403, 404, 422] {
            assert_eq!(status(s).class(), AgentErrorClass::Permanent, "{s}");
        }
    }

    #[test]
    fn agent_error_carries_class_and_code() {
        let e = ClientError::Connect {
            target: "10.0.0.1:12443".into(),
            detail: "refused".into(),
        };
        let a = AgentError::from(e);
        assert_eq!(a.class, AgentErrorClass::Transient);
        assert_eq!(a.code, "connection_refused");
        assert!(a.is_retryable());
        let t = ClientError::Tls {
            target: "x".into(),
            kind: TlsFailure::UnknownIssuer,
            detail: "d".into(),
        };
        assert_eq!(t.class(), AgentErrorClass::Permanent);
        assert_eq!(t.code(), "tls_unknown_issuer");
    }
}
