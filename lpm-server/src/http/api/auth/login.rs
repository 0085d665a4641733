//! The two steps of a login: the password (`/auth/login`), then a second factor with the MFA
//! token (`/auth/mfa/totp`, `/auth/mfa/recovery`, `/auth/mfa/webauthn/{start,finish}`).

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use lpm_core::model::Username;
use lpm_store::audit::AuditEntry;
use lpm_store::auth::Credentials;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use webauthn_rs::prelude::{Passkey, PublicKeyCredential};

use super::{
    AuthFailure, ClientInfo, MfaMethod, SessionView, TooManyAttempts, internal, issue_session,
    mfa_token_error, unauthorized, verify_mfa_token,
};
use crate::auth::ceremonies::{CEREMONY_TTL, TokenRefusal};
use crate::auth::password::MAX_PASSWORD_CHARS;
use crate::auth::webauthn::credential_key;
use crate::auth::{
    Amr, AuthError, MfaClaims, MfaPurpose, SecretString, issue_enrolment_token, issue_mfa_token,
    recovery_code_hash, totp,
};
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiJson, ApiResult, AppState};

/// A username and password.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// The login name (case does not matter).
    #[schema(max_length = 200)]
    pub username: String,
    /// The password.
    #[schema(max_length = 1024, format = Password)]
    pub password: String,
}

/// What the password step answers: never a session directly (MFA is mandatory), but either the
/// second step (`mfa_required`, `mfa_token`, `methods`) or, for an account without a second
/// factor, enrolment (`mfa_enrollment_required`, `enrollment_token`). The session fields are
/// reserved for sign-ins whose second factor is already proven elsewhere (single sign-on).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct LoginView {
    /// The access token, when the login is complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub access_token: Option<String>,
    /// The refresh token, when the login is complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub refresh_token: Option<String>,
    /// Seconds until the access token expires, when the login is complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub expires_in: Option<i64>,
    /// `Bearer`, when the login is complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub token_type: Option<super::TokenType>,
    /// `true`: send a second factor with `mfa_token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub mfa_required: Option<bool>,
    /// The token for the second step (5 minutes, at most 5 wrong codes).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub mfa_token: Option<String>,
    /// The second factors this account can use.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub methods: Option<Vec<MfaMethod>>,
    /// `true`: the account has no second factor yet; enrol one with `enrollment_token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub mfa_enrollment_required: Option<bool>,
    /// The bearer token of the enrolment endpoints only (5 minutes).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub enrollment_token: Option<String>,
}

/// A code for the second step.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MfaCodeRequest {
    /// The `mfa_token` from `/auth/login`.
    pub mfa_token: String,
    /// The code: 6 digits (TOTP) or `xxxx-xxxx-xxxx` (recovery; case, spaces and dashes do
    /// not matter).
    #[schema(max_length = 64)]
    pub code: String,
}

/// The MFA token alone.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MfaTokenRequest {
    /// The `mfa_token` from `/auth/login`.
    pub mfa_token: String,
}

/// A WebAuthn challenge for `navigator.credentials.create` or `.get`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebauthnChallengeView {
    /// The options, `{"publicKey": {...}}` with binary fields in base64url: decode them and
    /// pass the result to the browser's WebAuthn API.
    #[schema(value_type = Object)]
    pub options: serde_json::Value,
}

/// The authenticator's answer to a WebAuthn login challenge.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct WebauthnLoginFinishRequest {
    /// The `mfa_token` from `/auth/login`.
    pub mfa_token: String,
    /// The `PublicKeyCredential` from `navigator.credentials.get`, binary fields in base64url.
    #[schema(value_type = Object)]
    pub credential: serde_json::Value,
}

fn invalid_credentials() -> ApiError {
    unauthorized(
        "invalid_credentials",
        "Wrong username or password, or the account is disabled.",
    )
}

/// Logs in with a password: the first of two steps.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    operation_id = "login",
    security(),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "The password is right: the second step (`mfa_required`) or enrolment (`mfa_enrollment_required`)", body = LoginView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "`invalid_credentials`: wrong username or password, or a disabled account", body = ErrorBody),
        (status = 422, description = "A field is missing or too long", body = ErrorBody),
        (status = 429, description = "`too_many_attempts`: throttled or the account is locked for a while", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<LoginView>, AuthFailure> {
    let now = state.clock.now();
    if body.username.chars().count() > 200 {
        return Err(ApiError::invalid_field("username", "must be at most 200 characters").into());
    }
    if body.password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(ApiError::invalid_field("password", "must be at most 1024 characters").into());
    }
    if let Err(AuthError::Throttled { retry_after }) =
        state.auth.throttle.check(client.ip, &body.username, now)
    {
        return Err(TooManyAttempts::new(retry_after).into());
    }
    let creds = match Username::new(&body.username) {
        Ok(name) => state.store.credentials(&name).await?,
        Err(_) => None,
    };
    if let Some(until) = creds.as_ref().and_then(|c| c.locked_until)
        && until > now
    {
        return Err(TooManyAttempts::until(until, now).into());
    }
    let password = SecretString::from(body.password);
    let phc = creds.as_ref().and_then(|c| c.password_hash.clone());
    let matched = match state.auth.verify_password(password.clone(), phc).await {
        Ok(matched) => matched,
        Err(AuthError::UnsupportedHash) => {
            tracing::warn!(username = %body.username, "stored password hash is not Argon2id; an admin must reset the password");
            false
        }
        Err(e) => return Err(internal(e).into()),
    };
    let Some(creds) = creds else {
        let entry = AuditEntry::new(None, "anonymous", "auth.login_failed", "user")
            .from_ip(client.ip)
            .details(serde_json::json!({
                "username": body.username.chars().take(64).collect::<String>(),
                "reason": "unknown_user",
            }));
        state.store.audit(&entry, now).await?;
        return Err(invalid_credentials().into());
    };
    let actor = client.actor(&creds.user);
    if !matched || creds.user.disabled {
        state
            .store
            .record_login_failure(creds.user.id, &state.auth.lock_policy, &actor, now)
            .await?;
        return Err(invalid_credentials().into());
    }
    if let Some(phc) = &creds.password_hash
        && state.auth.hasher.needs_rehash(phc)
    {
        // The parameters changed (calibration): re-hash while the password is at hand.
        let rehashed = state.auth.hash_password(password).await.map_err(internal)?;
        state
            .store
            .set_password_hash(creds.user.id, &rehashed, &actor, now)
            .await?;
    }
    let signing = &state.auth.keys.keys().signing;
    if creds.mfa_enrolled_at.is_none() {
        let token = issue_enrolment_token(signing, &creds.user, now).map_err(internal)?;
        return Ok(Json(LoginView {
            mfa_enrollment_required: Some(true),
            enrollment_token: Some(token),
            ..LoginView::default()
        }));
    }
    let methods = methods_of(&state, &creds).await?;
    let token = issue_mfa_token(signing, &creds.user, now).map_err(internal)?;
    Ok(Json(LoginView {
        mfa_required: Some(true),
        mfa_token: Some(token),
        methods: Some(methods),
        ..LoginView::default()
    }))
}

/// The second factors an enrolled account can use now.
pub(crate) async fn methods_of(state: &AppState, creds: &Credentials) -> ApiResult<Vec<MfaMethod>> {
    let mut methods = Vec::new();
    if creds.totp_secret.is_some() && creds.mfa_enrolled_at.is_some() {
        methods.push(MfaMethod::Totp);
    }
    if creds.webauthn_credentials > 0 {
        methods.push(MfaMethod::Webauthn);
    }
    if state.store.recovery_codes_left(creds.user.id).await? > 0 {
        methods.push(MfaMethod::Recovery);
    }
    Ok(methods)
}

/// A verified MFA token and its account, ready for a second factor.
struct SecondStep {
    claims: MfaClaims,
    creds: Credentials,
    expires: DateTime<Utc>,
}

/// Checks the MFA token: valid, not used, not exhausted, its account still enabled.
async fn second_step(state: &AppState, token: &str, now: DateTime<Utc>) -> ApiResult<SecondStep> {
    let claims = verify_mfa_token(state, token, MfaPurpose::Login, now)
        .await
        .map_err(|e| mfa_token_error(&e))?;
    match state.auth.ceremonies.mfa_tokens.check(&claims.jti, now) {
        Ok(()) => {}
        Err(TokenRefusal::Used) => {
            return Err(unauthorized(
                "mfa_token_used",
                "This login step is already complete; log in again for another session.",
            ));
        }
        Err(TokenRefusal::Exhausted) => return Err(exhausted()),
    }
    let user = claims.user_id().map_err(|e| mfa_token_error(&e))?;
    let creds = state
        .store
        .credentials_by_id(user)
        .await?
        .ok_or_else(|| mfa_token_error(&AuthError::InvalidToken))?;
    if creds.user.disabled {
        return Err(unauthorized(
            "account_disabled",
            "This account is disabled; ask an admin.",
        ));
    }
    let expires = DateTime::from_timestamp(claims.exp, 0).unwrap_or(now)
        + chrono::Duration::seconds(crate::auth::jwt::LEEWAY_SECS);
    Ok(SecondStep {
        claims,
        creds,
        expires,
    })
}

fn exhausted() -> ApiError {
    unauthorized(
        "mfa_token_exhausted",
        "Too many wrong codes for this login; log in again.",
    )
}

/// A wrong second factor: counted against the token, audited (`auth.mfa_failed`); the token's
/// last attempt also counts as a failed login toward the soft lock.
async fn wrong_factor(
    state: &AppState,
    step: &SecondStep,
    method: MfaMethod,
    client: &ClientInfo,
    code: &str,
    message: &str,
    now: DateTime<Utc>,
) -> ApiError {
    let mfa = &state.auth.ceremonies.mfa_tokens;
    let spent = mfa.fail(&step.claims.jti, step.expires, now);
    let actor = client.actor(&step.creds.user);
    let entry = actor
        .entry("auth.mfa_failed", "user", step.creds.user.id)
        .details(
            serde_json::json!({ "method": method.as_str(), "reason": code, "token_spent": spent }),
        );
    if let Err(e) = state.store.audit(&entry, now).await {
        return e.into();
    }
    if spent {
        if let Err(e) = state
            .store
            .record_login_failure(step.creds.user.id, &state.auth.lock_policy, &actor, now)
            .await
        {
            return e.into();
        }
        return exhausted();
    }
    let left = mfa.attempts_left(&step.claims.jti, now);
    unauthorized(code, message).with_details(serde_json::json!({ "attempts_left": left }))
}

/// Every factor passed: one session per MFA token.
async fn complete(
    state: &AppState,
    step: &SecondStep,
    amr: Amr,
    method: MfaMethod,
    client: &ClientInfo,
    now: DateTime<Utc>,
) -> ApiResult<Json<SessionView>> {
    if !state
        .auth
        .ceremonies
        .mfa_tokens
        .use_once(&step.claims.jti, step.expires, now)
    {
        return Err(unauthorized(
            "mfa_token_used",
            "This login step is already complete; log in again for another session.",
        ));
    }
    let session = issue_session(state, &step.creds.user, amr, method.as_str(), client, now).await?;
    Ok(Json(session))
}

/// Completes a login with a TOTP code; each code is accepted once.
#[utoipa::path(
    post,
    path = "/api/v1/auth/mfa/totp",
    tag = "auth",
    operation_id = "login_mfa_totp",
    security(),
    request_body = MfaCodeRequest,
    responses(
        (status = 200, description = "The session", body = SessionView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "`invalid_code` (with `details.attempts_left`), `code_already_used`, `invalid_mfa_token`, `mfa_token_expired`, `mfa_token_used`, `mfa_token_exhausted` or `account_disabled`", body = ErrorBody),
        (status = 409, description = "`totp_not_enrolled`: this account has no TOTP", body = ErrorBody),
        (status = 422, description = "A field is missing", body = ErrorBody),
    )
)]
pub async fn mfa_totp(
    State(state): State<AppState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<MfaCodeRequest>,
) -> ApiResult<Json<SessionView>> {
    let now = state.clock.now();
    let step = second_step(&state, &body.mfa_token, now).await?;
    let Some(secret) = step
        .creds
        .totp_secret
        .clone()
        .filter(|_| step.creds.mfa_enrolled_at.is_some())
    else {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "totp_not_enrolled",
            "This account has no authenticator app; use another method.",
        ));
    };
    let secret = SecretString::from(secret);
    let matched = totp::verify(&secret, &body.code, now).map_err(internal)?;
    let Some(step_no) = matched else {
        return Err(wrong_factor(
            &state,
            &step,
            MfaMethod::Totp,
            &client,
            "invalid_code",
            "Wrong code.",
            now,
        )
        .await);
    };
    if !state
        .store
        .use_totp_step(step.creds.user.id, step_no)
        .await?
    {
        return Err(wrong_factor(
            &state,
            &step,
            MfaMethod::Totp,
            &client,
            "code_already_used",
            "This code was already used; wait for the next one.",
            now,
        )
        .await);
    }
    complete(&state, &step, Amr::PwdTotp, MfaMethod::Totp, &client, now).await
}

/// Completes a login with a recovery code; each code is accepted once.
#[utoipa::path(
    post,
    path = "/api/v1/auth/mfa/recovery",
    tag = "auth",
    operation_id = "login_mfa_recovery",
    security(),
    request_body = MfaCodeRequest,
    responses(
        (status = 200, description = "The session", body = SessionView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "`invalid_code` (with `details.attempts_left`), `invalid_mfa_token`, `mfa_token_expired`, `mfa_token_used`, `mfa_token_exhausted` or `account_disabled`", body = ErrorBody),
        (status = 422, description = "A field is missing", body = ErrorBody),
    )
)]
pub async fn mfa_recovery(
    State(state): State<AppState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<MfaCodeRequest>,
) -> ApiResult<Json<SessionView>> {
    let now = state.clock.now();
    let step = second_step(&state, &body.mfa_token, now).await?;
    let used = body.code.chars().count() <= 64
        && state
            .store
            .use_recovery_code(
                step.creds.user.id,
                &recovery_code_hash(&body.code),
                &client.actor(&step.creds.user),
                now,
            )
            .await?;
    if !used {
        return Err(wrong_factor(
            &state,
            &step,
            MfaMethod::Recovery,
            &client,
            "invalid_code",
            "Wrong or already used recovery code.",
            now,
        )
        .await);
    }
    complete(
        &state,
        &step,
        Amr::Recovery,
        MfaMethod::Recovery,
        &client,
        now,
    )
    .await
}

/// The account's WebAuthn credentials, as webauthn-rs passkeys.
pub(crate) async fn passkeys_of(
    state: &AppState,
    user: lpm_core::ids::UserId,
) -> ApiResult<Vec<Passkey>> {
    let stored = state.store.webauthn_credentials(user).await?;
    stored
        .iter()
        .map(|c| {
            serde_json::from_str::<Passkey>(&c.passkey)
                .map_err(|e| ApiError::internal(format!("WebAuthn credential {}: {e}", c.id)))
        })
        .collect()
}

/// Starts a WebAuthn login: the challenge for the account's registered credentials.
#[utoipa::path(
    post,
    path = "/api/v1/auth/mfa/webauthn/start",
    tag = "auth",
    operation_id = "login_mfa_webauthn_start",
    security(),
    request_body = MfaTokenRequest,
    responses(
        (status = 200, description = "The challenge for `navigator.credentials.get`", body = WebauthnChallengeView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "`invalid_mfa_token`, `mfa_token_expired`, `mfa_token_used`, `mfa_token_exhausted` or `account_disabled`", body = ErrorBody),
        (status = 409, description = "`webauthn_not_registered`: this account has no security key", body = ErrorBody),
        (status = 422, description = "A field is missing", body = ErrorBody),
    )
)]
pub async fn webauthn_login_start(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<MfaTokenRequest>,
) -> ApiResult<Json<WebauthnChallengeView>> {
    let now = state.clock.now();
    let step = second_step(&state, &body.mfa_token, now).await?;
    let passkeys = passkeys_of(&state, step.creds.user.id).await?;
    if passkeys.is_empty() {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "webauthn_not_registered",
            "This account has no security key; use another method.",
        ));
    }
    let (options, ceremony) = state
        .auth
        .webauthn
        .start_passkey_authentication(&passkeys)
        .map_err(ApiError::internal)?;
    let expires = step.expires.min(now + CEREMONY_TTL);
    state
        .auth
        .ceremonies
        .webauthn_logins
        .insert(step.claims.jti.clone(), ceremony, expires, now);
    Ok(Json(WebauthnChallengeView {
        options: serde_json::to_value(options).map_err(ApiError::internal)?,
    }))
}

/// Completes a WebAuthn login with the authenticator's answer.
#[utoipa::path(
    post,
    path = "/api/v1/auth/mfa/webauthn/finish",
    tag = "auth",
    operation_id = "login_mfa_webauthn_finish",
    security(),
    request_body = WebauthnLoginFinishRequest,
    responses(
        (status = 200, description = "The session", body = SessionView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "`webauthn_failed` (with `details.attempts_left`), `invalid_mfa_token`, `mfa_token_expired`, `mfa_token_used`, `mfa_token_exhausted` or `account_disabled`", body = ErrorBody),
        (status = 409, description = "`no_webauthn_challenge`: call `/auth/mfa/webauthn/start` first (a challenge answers once)", body = ErrorBody),
        (status = 422, description = "A field is missing, or `credential` is not a WebAuthn assertion", body = ErrorBody),
    )
)]
pub async fn webauthn_login_finish(
    State(state): State<AppState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<WebauthnLoginFinishRequest>,
) -> ApiResult<Json<SessionView>> {
    let now = state.clock.now();
    let step = second_step(&state, &body.mfa_token, now).await?;
    let credential: PublicKeyCredential = serde_json::from_value(body.credential)
        .map_err(|e| ApiError::invalid_field("credential", e.to_string()))?;
    let Some(ceremony) = state
        .auth
        .ceremonies
        .webauthn_logins
        .take(&step.claims.jti, now)
    else {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "no_webauthn_challenge",
            "No WebAuthn challenge is waiting for this login; start again.",
        ));
    };
    let result = match state
        .auth
        .webauthn
        .finish_passkey_authentication(&credential, &ceremony)
    {
        Ok(result) => result,
        Err(e) => {
            tracing::info!(error = %e, user = %step.creds.user.id, "WebAuthn assertion refused");
            return Err(wrong_factor(
                &state,
                &step,
                MfaMethod::Webauthn,
                &client,
                "webauthn_failed",
                "The security key's answer was not accepted.",
                now,
            )
            .await);
        }
    };
    let mut passkeys = passkeys_of(&state, step.creds.user.id).await?;
    let used = passkeys
        .iter_mut()
        .find(|p| p.cred_id() == result.cred_id());
    if let Some(passkey) = used {
        let changed = passkey.update_credential(&result) == Some(true);
        let serialised = if changed {
            Some(serde_json::to_string(passkey).map_err(ApiError::internal)?)
        } else {
            None
        };
        state
            .store
            .touch_webauthn_credential(
                step.creds.user.id,
                &credential_key(result.cred_id()),
                serialised.as_deref(),
                now,
            )
            .await?;
    }
    complete(
        &state,
        &step,
        Amr::PwdWebauthn,
        MfaMethod::Webauthn,
        &client,
        now,
    )
    .await
}
