//! The one error type of [`crate::auth`]; each variant says what the caller can do about it.

use std::path::PathBuf;
use std::time::Duration;

/// What went wrong in an authentication building block.
///
/// Token variants are deliberately coarse: a handler answers all of them with 401 and must not
/// tell the client which check failed, beyond "expired" (so it refreshes).
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The password breaks the policy: ask the user for another one (the reason may be shown).
    #[error("password rejected: {reason}")]
    WeakPassword {
        /// Why, in words fit for the user.
        reason: &'static str,
    },
    /// A stored password hash is not an Argon2id PHC string this server can check: the
    /// account's password must be reset by an admin.
    #[error("stored password hash is not a valid Argon2id PHC string")]
    UnsupportedHash,
    /// Argon2 parameters are out of range: fix the configuration.
    #[error("invalid Argon2 parameters: {0}")]
    InvalidParams(String),
    /// Hashing failed inside Argon2 (memory allocation, most likely): answer 500 and retry later.
    #[error("password hashing failed: {0}")]
    Hashing(String),
    /// The system random number generator failed: answer 500; nothing can be issued.
    #[error("the system random number generator failed")]
    Random,
    /// Too many attempts: answer 429 with this `Retry-After`, without checking the password.
    #[error("too many attempts; retry after {retry_after:?}")]
    Throttled {
        /// How long until one more attempt is allowed.
        retry_after: Duration,
    },
    /// The token is malformed, forged, signed with another algorithm or key, tampered with,
    /// or meant for another purpose: answer 401 and make the client log in again.
    #[error("invalid token")]
    InvalidToken,
    /// The token's signing key is not (or no longer) among the verifying keys: reload the keys
    /// from the store once (another process may have rotated), else answer 401.
    #[error("token signed by an unknown key")]
    UnknownKey,
    /// The token has expired: answer 401; the client refreshes (access) or starts the login
    /// again (MFA and enrolment tokens).
    #[error("token expired")]
    TokenExpired,
    /// A TOTP secret is not valid base32 of at least 128 bits: the user must enrol again.
    #[error("invalid TOTP secret: {0}")]
    TotpSecret(String),
    /// Key material could not be parsed or used: regenerate the key.
    #[error("invalid signing key: {0}")]
    Key(String),
    /// The public origin cannot serve as a WebAuthn relying party: fix `web.public_origin`.
    #[error("invalid public origin {0}")]
    Origin(String),
    /// Refused to overwrite an existing key file: remove it first or choose another path.
    #[error("{} already exists; refusing to overwrite it", path.display())]
    KeyFileExists {
        /// The file.
        path: PathBuf,
    },
    /// The private key file is readable by group or others: `chmod 600` it.
    #[error("{} has mode {mode:o}; a private key must not be readable by group or others (chmod 600)", path.display())]
    KeyFileInsecure {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// Reading or writing a key file failed: check the path and permissions.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}
