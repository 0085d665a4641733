//! Authentication building blocks for the HTTP handlers: password hashing and policy, and
//! opaque secrets (refresh tokens, recovery codes, WebSocket tickets).

mod error;
pub mod jwt;
pub mod password;
pub mod secrets;
pub mod throttle;
pub mod totp;

pub use error::AuthError;
pub use jwt::{
    ACCESS_TTL, AccessClaims, Amr, MFA_TOKEN_TTL, MfaClaims, MfaPurpose, SigningKey, Verifier,
    VerifyingKey, issue, issue_enrolment_token, issue_mfa_token, rotation_due, verify_until,
};
pub use password::{
    Argon2Params, CalibrationResult, PasswordHasher, calibrate, check_password_policy,
    generate_password,
};
pub use secrecy::{ExposeSecret, SecretString};
pub use secrets::{
    hash_token, new_recovery_codes, new_refresh_token, new_ws_ticket, normalize_recovery_code,
    recovery_code_hash,
};
pub use throttle::{Throttle, ThrottleConfig};
