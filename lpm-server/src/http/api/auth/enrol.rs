//! Enrolling a second factor: TOTP (`/auth/mfa/totp/{setup,confirm}`) and WebAuthn
//! (`/auth/mfa/webauthn/register/{start,finish}`), with an enrolment token at first login or an
//! access token to add a factor later.

use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use lpm_core::model::User;
use lpm_store::StoreError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use webauthn_rs::prelude::RegisterPublicKeyCredential;

use super::login::{WebauthnChallengeView, passkeys_of};
use super::{
    ClientInfo, MfaMethod, SessionView, TokenType, internal, issue_session, unauthorized,
    verify_mfa_token,
};
use crate::auth::ceremonies::{CEREMONY_TTL, MAX_CODE_FAILURES, PendingTotp};
use crate::auth::secrets::RECOVERY_CODES;
use crate::auth::webauthn::{credential_key, user_handle};
use crate::auth::{Amr, AuthError, ExposeSecret, MfaPurpose, new_recovery_codes, totp};
use crate::http::api::Caller;
use crate::http::api::caller::bearer_token;
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiJson, ApiResult, AppState};

/// Who is enrolling, and with which token.
#[derive(Debug, Clone)]
pub struct Enroller {
    /// The account.
    pub user: User,
    /// `true` with an enrolment token (first login), `false` with an access token.
    pub first_login: bool,
    /// Whether the account has no second factor yet.
    pub first_factor: bool,
}

impl FromRequestParts<AppState> for Enroller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let now = state.clock.now();
        let token = bearer_token(parts).map(str::to_owned);
        let claims = match &token {
            Some(token) => verify_mfa_token(state, token, MfaPurpose::Enrolment, now).await,
            None => Err(AuthError::InvalidToken),
        };
        let claims = match claims {
            Ok(claims) => claims,
            Err(AuthError::TokenExpired) => {
                return Err(unauthorized(
                    "enrollment_token_expired",
                    "The enrolment has timed out (5 minutes); log in again.",
                ));
            }
            // Not an enrolment token: an access token, or nothing valid (Caller says which).
            Err(_) => {
                let caller = Caller::from_request_parts(parts, state).await?;
                let creds = state.store.credentials_by_id(caller.user.id).await?;
                return Ok(Self {
                    first_factor: creds.is_none_or(|c| c.mfa_enrolled_at.is_none()),
                    user: caller.user,
                    first_login: false,
                });
            }
        };
        let invalid = || {
            unauthorized(
                "invalid_enrollment_token",
                "The enrolment token is not valid; log in again.",
            )
        };
        let user = claims.user_id().map_err(|_| invalid())?;
        let creds = state
            .store
            .credentials_by_id(user)
            .await?
            .ok_or_else(invalid)?;
        if creds.user.disabled {
            return Err(unauthorized(
                "account_disabled",
                "This account is disabled; ask an admin.",
            ));
        }
        if creds.mfa_enrolled_at.is_some() {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "already_enrolled",
                "This account already has a second factor: log in with it.",
            ));
        }
        Ok(Self {
            user: creds.user,
            first_login: true,
            first_factor: true,
        })
    }
}

/// A TOTP secret to add to an authenticator app, shown once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TotpSetupView {
    /// The secret, base32 without padding (for typing in).
    pub secret: String,
    /// The same as an `otpauth://totp/...` URI, for a QR code.
    pub otpauth_uri: String,
}

/// The first code from the authenticator app.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TotpConfirmRequest {
    /// The 6-digit code now shown by the app.
    #[schema(max_length = 64)]
    pub code: String,
}

/// The authenticator's answer to a WebAuthn registration challenge.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct WebauthnRegisterFinishRequest {
    /// The `PublicKeyCredential` from `navigator.credentials.create`, binary fields in
    /// base64url.
    #[schema(value_type = Object)]
    pub credential: serde_json::Value,
    /// A name for the key, to tell it apart later ("YubiKey 5", "laptop"); default
    /// `Security key`.
    #[schema(max_length = 100)]
    pub name: Option<String>,
}

/// A second factor was enrolled.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnrolledView {
    /// What was enrolled.
    pub method: MfaMethod,
    /// New recovery codes, shown once, when this was the account's first second factor
    /// (empty when a factor is added later: `POST /auth/recovery-codes` makes new ones).
    pub recovery_codes: Vec<String>,
    /// The access token, when enrolment was done with an enrolment token (first login).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub access_token: Option<String>,
    /// The refresh token, with `access_token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub refresh_token: Option<String>,
    /// Seconds until the access token expires, with `access_token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub expires_in: Option<i64>,
    /// `Bearer`, with `access_token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub token_type: Option<TokenType>,
}

/// After a factor is stored: recovery codes for a first factor, the session on the
/// enrolment-token path.
async fn enrolled(
    state: &AppState,
    enroller: &Enroller,
    method: MfaMethod,
    amr: Amr,
    client: &ClientInfo,
    now: DateTime<Utc>,
) -> ApiResult<Json<EnrolledView>> {
    let actor = client.actor(&enroller.user);
    let recovery_codes = if enroller.first_factor {
        let (codes, hashes) = new_recovery_codes(RECOVERY_CODES).map_err(internal)?;
        state
            .store
            .replace_recovery_codes(enroller.user.id, &hashes, &actor, now)
            .await?;
        codes.iter().map(|c| c.expose_secret().to_owned()).collect()
    } else {
        Vec::new()
    };
    state.auth.sessions.invalidate(enroller.user.id);
    let session: Option<SessionView> = if enroller.first_login {
        Some(issue_session(state, &enroller.user, amr, method.as_str(), client, now).await?)
    } else {
        None
    };
    Ok(Json(EnrolledView {
        method,
        recovery_codes,
        access_token: session.as_ref().map(|s| s.access_token.clone()),
        refresh_token: session.as_ref().map(|s| s.refresh_token.clone()),
        expires_in: session.as_ref().map(|s| s.expires_in),
        token_type: session.map(|s| s.token_type),
    }))
}

/// Starts TOTP enrolment: a new secret, shown once; it takes effect when a code confirms it.
#[utoipa::path(
    post,
    path = "/api/v1/auth/mfa/totp/setup",
    tag = "auth",
    operation_id = "totp_setup",
    description = "Bearer: the `enrollment_token` from `/auth/login`, or an access token to add or replace the authenticator app. The secret waits 10 minutes for `/auth/mfa/totp/confirm`; until then the current app (if any) keeps working.",
    responses(
        (status = 200, description = "The secret and its `otpauth://` URI", body = TotpSetupView),
        (status = 401, description = "No valid enrolment or access token", body = ErrorBody),
        (status = 409, description = "`already_enrolled`: an enrolment token for an account that has a factor", body = ErrorBody),
    )
)]
pub async fn totp_setup(
    State(state): State<AppState>,
    enroller: Enroller,
) -> ApiResult<Json<TotpSetupView>> {
    let now = state.clock.now();
    let secret = totp::new_secret().map_err(internal)?;
    let uri = totp::otpauth_uri(&secret, enroller.user.username.as_str()).map_err(internal)?;
    let view = TotpSetupView {
        secret: secret.expose_secret().to_owned(),
        otpauth_uri: uri,
    };
    state.auth.ceremonies.totp_setups.insert(
        enroller.user.id,
        PendingTotp {
            secret,
            failures: 0,
        },
        now + CEREMONY_TTL,
        now,
    );
    Ok(Json(view))
}

/// Confirms TOTP enrolment with the first code from the app.
#[utoipa::path(
    post,
    path = "/api/v1/auth/mfa/totp/confirm",
    tag = "auth",
    operation_id = "totp_confirm",
    description = "Bearer: the same token as `/auth/mfa/totp/setup`. With an enrolment token the answer includes the session.",
    request_body = TotpConfirmRequest,
    responses(
        (status = 200, description = "Enrolled: recovery codes (first factor) and, after an enrolment token, the session", body = EnrolledView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid enrolment or access token", body = ErrorBody),
        (status = 409, description = "`no_totp_setup`: call `/auth/mfa/totp/setup` first (or again: 5 wrong codes or 10 minutes end it); `already_enrolled`", body = ErrorBody),
        (status = 422, description = "`invalid_code` (with `details.attempts_left`), or a field is missing", body = ErrorBody),
    )
)]
pub async fn totp_confirm(
    State(state): State<AppState>,
    enroller: Enroller,
    client: ClientInfo,
    ApiJson(body): ApiJson<TotpConfirmRequest>,
) -> ApiResult<Json<EnrolledView>> {
    let now = state.clock.now();
    let setups = &state.auth.ceremonies.totp_setups;
    let no_setup = || {
        ApiError::new(
            StatusCode::CONFLICT,
            "no_totp_setup",
            "No TOTP setup is waiting; call /auth/mfa/totp/setup first.",
        )
    };
    let secret = setups
        .with(&enroller.user.id, now, |p| p.secret.clone())
        .ok_or_else(no_setup)?;
    let Some(step) = totp::verify(&secret, &body.code, now).map_err(internal)? else {
        let failures = setups
            .with(&enroller.user.id, now, |p| {
                p.failures += 1;
                p.failures
            })
            .ok_or_else(no_setup)?;
        if failures >= MAX_CODE_FAILURES {
            setups.remove(&enroller.user.id);
        }
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_code",
            "Wrong code: check the app's clock and the secret, then try the next code.",
        )
        .with_details(serde_json::json!({
            "attempts_left": MAX_CODE_FAILURES.saturating_sub(failures),
            "fields": { "code": "does not match the secret" },
        })));
    };
    setups.remove(&enroller.user.id);
    state
        .store
        .enrol_totp(
            enroller.user.id,
            secret.expose_secret(),
            step,
            &client.actor(&enroller.user),
            now,
        )
        .await?;
    enrolled(
        &state,
        &enroller,
        MfaMethod::Totp,
        Amr::PwdTotp,
        &client,
        now,
    )
    .await
}

/// Starts registering a WebAuthn credential (security key, platform authenticator).
#[utoipa::path(
    post,
    path = "/api/v1/auth/mfa/webauthn/register/start",
    tag = "auth",
    operation_id = "webauthn_register_start",
    description = "Bearer: the `enrollment_token` from `/auth/login`, or an access token to add a key. The challenge waits 10 minutes for `/auth/mfa/webauthn/register/finish`.",
    responses(
        (status = 200, description = "The challenge for `navigator.credentials.create`", body = WebauthnChallengeView),
        (status = 401, description = "No valid enrolment or access token", body = ErrorBody),
        (status = 409, description = "`already_enrolled`: an enrolment token for an account that has a factor", body = ErrorBody),
    )
)]
pub async fn webauthn_register_start(
    State(state): State<AppState>,
    enroller: Enroller,
) -> ApiResult<Json<WebauthnChallengeView>> {
    let now = state.clock.now();
    let existing = passkeys_of(&state, enroller.user.id)
        .await?
        .iter()
        .map(|p| p.cred_id().clone())
        .collect::<Vec<_>>();
    let name = enroller.user.username.as_str();
    let (options, ceremony) = state
        .auth
        .webauthn
        .start_passkey_registration(user_handle(enroller.user.id), name, name, Some(existing))
        .map_err(ApiError::internal)?;
    state.auth.ceremonies.webauthn_registrations.insert(
        enroller.user.id,
        ceremony,
        now + CEREMONY_TTL,
        now,
    );
    Ok(Json(WebauthnChallengeView {
        options: serde_json::to_value(options).map_err(ApiError::internal)?,
    }))
}

/// Completes registering a WebAuthn credential.
#[utoipa::path(
    post,
    path = "/api/v1/auth/mfa/webauthn/register/finish",
    tag = "auth",
    operation_id = "webauthn_register_finish",
    description = "Bearer: the same token as `/auth/mfa/webauthn/register/start`. With an enrolment token the answer includes the session.",
    request_body = WebauthnRegisterFinishRequest,
    responses(
        (status = 200, description = "Registered: recovery codes (first factor) and, after an enrolment token, the session", body = EnrolledView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid enrolment or access token", body = ErrorBody),
        (status = 409, description = "`no_webauthn_registration`: call `/auth/mfa/webauthn/register/start` first (a challenge answers once); `already_enrolled`; `conflict`: the key is already registered", body = ErrorBody),
        (status = 422, description = "`webauthn_failed`: the answer does not match the challenge; or a field is invalid", body = ErrorBody),
    )
)]
pub async fn webauthn_register_finish(
    State(state): State<AppState>,
    enroller: Enroller,
    client: ClientInfo,
    ApiJson(body): ApiJson<WebauthnRegisterFinishRequest>,
) -> ApiResult<Json<EnrolledView>> {
    let now = state.clock.now();
    let name = body
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("Security key")
        .to_owned();
    if name.chars().count() > 100 {
        return Err(ApiError::invalid_field(
            "name",
            "must be at most 100 characters",
        ));
    }
    let credential: RegisterPublicKeyCredential = serde_json::from_value(body.credential)
        .map_err(|e| ApiError::invalid_field("credential", e.to_string()))?;
    let Some(ceremony) = state
        .auth
        .ceremonies
        .webauthn_registrations
        .take(&enroller.user.id, now)
    else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "no_webauthn_registration",
            "No WebAuthn registration is waiting; start again.",
        ));
    };
    let passkey = state
        .auth
        .webauthn
        .finish_passkey_registration(&credential, &ceremony)
        .map_err(|e| {
            tracing::info!(error = %e, user = %enroller.user.id, "WebAuthn registration refused");
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "webauthn_failed",
                "The security key's answer does not match the challenge; start again.",
            )
        })?;
    let serialised = serde_json::to_string(&passkey).map_err(ApiError::internal)?;
    state
        .store
        .add_webauthn_credential(
            enroller.user.id,
            &credential_key(passkey.cred_id()),
            &name,
            &serialised,
            &client.actor(&enroller.user),
            now,
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict { .. } => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                "This security key is already registered.",
            ),
            other => other.into(),
        })?;
    enrolled(
        &state,
        &enroller,
        MfaMethod::Webauthn,
        Amr::PwdWebauthn,
        &client,
        now,
    )
    .await
}
