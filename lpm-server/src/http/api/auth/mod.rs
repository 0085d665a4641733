//! Authentication over HTTP (SDD §7.1): password login, the mandatory second factor (TOTP,
//! WebAuthn or a recovery code), enrolment, sessions (refresh and logout), and the caller's own
//! account (`me`, password, recovery codes).
//!
//! # A login
//! 1. `POST /auth/login {username, password}`. In this order: the in-memory [`Throttle`]
//!    (per address and per username) and the store's soft lock are checked before any hashing,
//!    so a refused attempt costs nothing; an unknown name is checked against a dummy hash, and a
//!    disabled account gets the same 401 as a wrong password. Hashing runs on the blocking pool,
//!    a bounded number at a time. The right password answers `mfa_required` with an MFA token
//!    and the methods the user has, or `mfa_enrollment_required` with an enrolment token for a
//!    user without a second factor: MFA is never optional, so login never answers tokens.
//! 2. `POST /auth/mfa/totp`, `/auth/mfa/recovery` or `/auth/mfa/webauthn/{start,finish}` with
//!    the MFA token answer the session: a 15-minute access token and a refresh token.
//! 3. `POST /auth/refresh` rotates the refresh token (1 hour of inactivity ends a session, 12
//!    hours end it whatever); presenting a rotated token again revokes its whole family
//!    (`refresh_token_reused`). `POST /auth/logout` revokes the family.
//!
//! # Limits on guessing, and who they can hurt
//! - The password step: [`Throttle`] (10 a minute per username, 20 per address) answers 429
//!   `too_many_attempts` with `Retry-After`. Every 5 consecutive failures lock the account (1
//!   minute, doubling up to an hour: [`LockPolicy`]); a locked account answers exactly like the
//!   throttle (429 `too_many_attempts`, same shape), so the client cannot tell the two apart.
//!   429 rather than 423 Locked: the client's move is the same (wait `Retry-After`), and 423 is
//!   a WebDAV status generic clients do not know. One leak remains: someone who made five
//!   failed attempts on a name and waits out the throttle sees 429 for an existing account and
//!   401 for an unknown one; hiding that would mean locking names that do not exist.
//!   Refused attempts are not audited (that would let anyone write audit rows at will); every
//!   attempt that reached the password check is, as `auth.login_failed`.
//! - The second step is limited per MFA token, not per account: each token takes at most 5
//!   wrong codes, then answers 401 `mfa_token_exhausted` and must be replaced by a new password
//!   step; an exhausted token counts as one failed login toward the soft lock. A token comes
//!   only from the right password, so strangers cannot spend a user's attempts at their
//!   factor. TOTP codes and recovery codes are single-use; each token issues one session.
//! - What this guarantees to the real user while someone else guesses: an MFA token they hold
//!   keeps working (its attempts are its own), and completing it clears the lock (a complete
//!   login proves the owner is there); their sessions keep refreshing (refresh is neither
//!   throttled nor locked); their second factor is never locked. What it cannot guarantee: a
//!   new password step during the lock; the lock is what stops the guessing, it ends by itself
//!   within the hour, and `Retry-After` says when.
//!
//! # Enrolment
//! The enrolment token (or, to add a factor later, an access token) is the bearer token of
//! `POST /auth/mfa/totp/setup` → `{secret, otpauth_uri}` and `/auth/mfa/totp/confirm {code}`,
//! and of `/auth/mfa/webauthn/register/{start,finish}`. The secret shown by `setup` is kept in
//! memory until a code proves it, so re-enrolling never breaks the authenticator in use. The
//! first factor comes with 10 recovery codes, shown once, and (on the enrolment-token path) the
//! session. An enrolment token is refused once the account has a factor.
//!
//! # Session families
//! A refresh-token family is one login: its id is `<ulid>:<amr>`, so a refreshed access token
//! keeps saying how the user proved who they are without another column.
//!
//! [`Throttle`]: crate::auth::Throttle
//! [`LockPolicy`]: lpm_store::auth::LockPolicy

use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use lpm_core::model::User;
use lpm_store::Actor;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::caller::client_ip;
use crate::auth::{Amr, issue};
use crate::auth::{AuthError, MfaClaims, MfaPurpose, new_refresh_token};
use crate::http::{ApiError, ApiResult, AppState};

mod account;
mod enrol;
mod login;
mod session;

pub use account::{
    ChangePasswordRequest, MeView, RecoveryCodesView, WebauthnCredentialView, change_password, me,
    regenerate_recovery_codes,
};
pub use enrol::{
    EnrolledView, Enroller, TotpConfirmRequest, TotpSetupView, WebauthnRegisterFinishRequest,
    totp_confirm, totp_setup, webauthn_register_finish, webauthn_register_start,
};
pub use login::{
    LoginRequest, LoginView, MfaCodeRequest, MfaTokenRequest, WebauthnChallengeView,
    WebauthnLoginFinishRequest, login, mfa_recovery, mfa_totp, webauthn_login_finish,
    webauthn_login_start,
};
pub use session::{RefreshRequest, logout, refresh};

/// A refresh token ends after this long without use (SDD §7.1's automatic logoff).
pub const REFRESH_IDLE: Duration = Duration::hours(1);
/// A session ends this long after its login, however active.
pub const SESSION_LIFETIME: Duration = Duration::hours(12);

/// A second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MfaMethod {
    /// A 6-digit code from an authenticator app (RFC 6238).
    Totp,
    /// A security key or platform authenticator.
    Webauthn,
    /// A single-use recovery code.
    Recovery,
}

impl MfaMethod {
    /// The word the audit log records.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Totp => "totp",
            Self::Webauthn => "webauthn",
            Self::Recovery => "recovery",
        }
    }
}

/// The kind of an access token: always `Bearer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum TokenType {
    /// Send it as `Authorization: Bearer <access_token>`.
    Bearer,
}

/// A new session: an access token for the API and the refresh token that renews it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionView {
    /// The access token (a JWT), for `Authorization: Bearer`.
    pub access_token: String,
    /// The refresh token for `POST /auth/refresh`; single-use, kept only as a hash.
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Always `Bearer`.
    pub token_type: TokenType,
}

/// Where a request came from, for throttling and the audit log.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    /// The client address.
    pub ip: IpAddr,
    /// The `User-Agent`, cut to 200 characters.
    pub user_agent: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(200).collect());
        Ok(Self {
            ip: client_ip(parts),
            user_agent,
        })
    }
}

impl ClientInfo {
    /// The audit actor for `user` from this client.
    pub fn actor(&self, user: &User) -> Actor {
        Actor::user(user.id, user.username.as_str(), Some(self.ip.to_string()))
    }
}

/// 429 `too_many_attempts` with `Retry-After` (whole seconds, at least 1) and
/// `details.retry_after_s`.
pub struct TooManyAttempts {
    retry_after_s: u64,
}

impl TooManyAttempts {
    /// Wait `retry_after` before trying again.
    pub fn new(retry_after: std::time::Duration) -> Self {
        let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
        Self {
            retry_after_s: secs.max(1),
        }
    }

    /// Wait until `until`.
    pub fn until(until: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        Self::new((until - now).to_std().unwrap_or_default())
    }
}

impl std::fmt::Debug for TooManyAttempts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TooManyAttempts({} s)", self.retry_after_s)
    }
}

impl From<TooManyAttempts> for AuthFailure {
    fn from(t: TooManyAttempts) -> Self {
        Self::TooMany(t)
    }
}

/// An error of the auth endpoints: the envelope, or a 429 that also sets `Retry-After`.
#[derive(Debug)]
pub enum AuthFailure {
    /// Any other error.
    Api(ApiError),
    /// Too many attempts.
    TooMany(TooManyAttempts),
}

impl From<ApiError> for AuthFailure {
    fn from(e: ApiError) -> Self {
        Self::Api(e)
    }
}

impl From<lpm_store::StoreError> for AuthFailure {
    fn from(e: lpm_store::StoreError) -> Self {
        Self::Api(e.into())
    }
}

impl IntoResponse for AuthFailure {
    fn into_response(self) -> Response {
        match self {
            Self::Api(e) => e.into_response(),
            Self::TooMany(t) => {
                let error = ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_attempts",
                    format!(
                        "Too many attempts; try again in {} seconds.",
                        t.retry_after_s
                    ),
                )
                .with_details(serde_json::json!({ "retry_after_s": t.retry_after_s }));
                let mut response = error.into_response();
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, t.retry_after_s.into());
                response
            }
        }
    }
}

/// 401 with `code`.
pub(crate) fn unauthorized(code: &str, message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, code, message)
}

/// A building block failed where it should not (randomness, a key): 500.
pub(crate) fn internal(e: AuthError) -> ApiError {
    ApiError::internal(e)
}

/// The claims of an MFA (`Login`) or enrolment token; on an unknown key the published keys are
/// reloaded once (another process may have rotated).
pub(crate) async fn verify_mfa_token(
    state: &AppState,
    token: &str,
    purpose: MfaPurpose,
    now: DateTime<Utc>,
) -> Result<MfaClaims, AuthError> {
    let verify = || {
        state
            .auth
            .keys
            .keys()
            .verifier
            .verify_mfa(token, purpose, now)
    };
    match verify() {
        Err(AuthError::UnknownKey) => {
            state
                .auth
                .reload_verifying_keys(&state.store, now)
                .await
                .map_err(|_| AuthError::UnknownKey)?;
            verify()
        }
        other => other,
    }
}

/// The 401 for an MFA token that does not verify.
pub(crate) fn mfa_token_error(err: &AuthError) -> ApiError {
    match err {
        AuthError::TokenExpired => unauthorized(
            "mfa_token_expired",
            "The login has timed out (5 minutes); log in again.",
        ),
        _ => unauthorized(
            "invalid_mfa_token",
            "The MFA token is not valid; log in again.",
        ),
    }
}

/// Starts a session for `user` after every factor passed: an access token, a refresh token
/// (stored as a hash, starting a family), the login audited (`auth.login`) and the caller
/// cache refreshed.
pub(crate) async fn issue_session(
    state: &AppState,
    user: &User,
    amr: Amr,
    method: &str,
    client: &ClientInfo,
    now: DateTime<Utc>,
) -> ApiResult<SessionView> {
    let keys = state.auth.keys.keys();
    let access_token = issue(&keys.signing, user, amr, now).map_err(internal)?;
    let (refresh, hash) = new_refresh_token().map_err(internal)?;
    let family = format!("{}:{}", ulid::Ulid::generate(), amr_tag(amr));
    let ip = client.ip.to_string();
    state
        .store
        .issue_refresh_token(
            user.id,
            &family,
            &hash,
            now,
            SESSION_LIFETIME,
            Some(&ip),
            client.user_agent.as_deref(),
        )
        .await?;
    state
        .store
        .record_login_success(user.id, method, &client.actor(user), now)
        .await?;
    state.auth.sessions.invalidate(user.id);
    Ok(SessionView {
        access_token,
        refresh_token: crate::auth::ExposeSecret::expose_secret(&refresh).to_owned(),
        expires_in: crate::auth::ACCESS_TTL.num_seconds(),
        token_type: TokenType::Bearer,
    })
}

/// The `amr` claim's word for `amr`.
pub(crate) fn amr_tag(amr: Amr) -> String {
    match serde_json::to_value(amr) {
        Ok(serde_json::Value::String(tag)) => tag,
        _ => "pwd+totp".to_owned(),
    }
}

/// The `amr` of a refresh family id `<ulid>:<amr>`.
pub(crate) fn family_amr(family: &str) -> Option<Amr> {
    let (_, tag) = family.rsplit_once(':')?;
    serde_json::from_value(serde_json::Value::String(tag.to_owned())).ok()
}

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login::login))
        .routes(routes!(login::mfa_totp))
        .routes(routes!(login::mfa_recovery))
        .routes(routes!(login::webauthn_login_start))
        .routes(routes!(login::webauthn_login_finish))
        .routes(routes!(enrol::totp_setup))
        .routes(routes!(enrol::totp_confirm))
        .routes(routes!(enrol::webauthn_register_start))
        .routes(routes!(enrol::webauthn_register_finish))
        .routes(routes!(session::refresh))
        .routes(routes!(session::logout))
        .routes(routes!(account::me))
        .routes(routes!(account::change_password))
        .routes(routes!(account::regenerate_recovery_codes))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn a_family_id_carries_the_amr() {
        for amr in [Amr::PwdTotp, Amr::PwdWebauthn, Amr::Recovery, Amr::Oidc] {
            let family = format!("{}:{}", ulid::Ulid::generate(), amr_tag(amr));
            assert_eq!(family_amr(&family), Some(amr), "{family}");
        }
        assert_eq!(family_amr("no-amr-here"), None);
        assert_eq!(family_amr("x:nonsense"), None);
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let secs = |d| TooManyAttempts::new(d).retry_after_s;
        assert_eq!(secs(std::time::Duration::from_millis(5_001)), 6);
        assert_eq!(secs(std::time::Duration::from_secs(6)), 6);
        assert_eq!(secs(std::time::Duration::ZERO), 1);
    }
}
