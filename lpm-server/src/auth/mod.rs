//! Authentication building blocks for the HTTP handlers: Argon2id passwords and policy, EdDSA
//! access tokens, TOTP, opaque secrets (refresh tokens, recovery codes, WebSocket tickets) and
//! login throttling.
//!
//! Everything here is pure apart from the system CSPRNG and, for [`calibrate`], the wall clock
//! it measures: time arrives as a `now` parameter. Storage belongs to lpm-store, which receives
//! only hashes (refresh tokens, recovery codes, tickets), Argon2id PHC strings, public JWT keys,
//! and the TOTP step a code matched. Two modules reach further: [`rotation`] keeps the private
//! JWT keys in files and publishes them through the store, and [`ceremonies`] holds the
//! in-memory state between the steps of a login. The HTTP handlers that use all this are in
//! `crate::http::api::auth`.
//!
//! A password login runs, in this order:
//! 1. [`Throttle::check`], before any hashing;
//! 2. [`PasswordHasher::verify`] (or [`PasswordHasher::verify_unknown_user`] for an unknown
//!    name, so that both cost the same);
//! 3. [`issue_mfa_token`], or [`issue_enrolment_token`] for a user without a second factor
//!    (MFA is never optional);
//! 4. [`Verifier::verify_mfa`], then [`totp::verify`] and `Store::use_totp_step`, or
//!    [`recovery_code_hash`] and `Store::use_recovery_code`;
//! 5. [`issue`] for the access token and [`new_refresh_token`] for the session.

pub mod ceremonies;
mod error;
pub mod jwt;
pub mod keyring;
pub mod password;
pub mod rotation;
pub mod secrets;
pub mod throttle;
pub mod totp;
pub mod webauthn;

pub use error::AuthError;
pub use jwt::{
    ACCESS_TTL, AccessClaims, Amr, MFA_TOKEN_TTL, MfaClaims, MfaPurpose, SigningKey, Verifier,
    VerifyingKey, issue, issue_enrolment_token, issue_mfa_token, rotation_due, verify_until,
};
pub use keyring::{KeyRing, Keys};
pub use password::{
    Argon2Params, CalibrationResult, PasswordHasher, calibrate, check_password_policy,
    generate_password,
};
pub use secrecy::{ExposeSecret, SecretString};
pub use secrets::{
    API_TOKEN_PREFIX, hash_token, new_api_token, new_recovery_codes, new_refresh_token,
    new_ws_ticket, normalize_recovery_code, recovery_code_hash,
};
pub use throttle::{Throttle, ThrottleConfig};
