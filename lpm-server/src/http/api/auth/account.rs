//! The caller's own account: who they are and how they log in (`GET /auth/me`), a new password
//! (`POST /auth/password`) and new recovery codes (`POST /auth/recovery-codes`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use lpm_core::model::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::login::methods_of;
use super::{AuthFailure, ClientInfo, MfaMethod, TooManyAttempts, internal};
use crate::auth::password::MAX_PASSWORD_CHARS;
use crate::auth::secrets::RECOVERY_CODES;
use crate::auth::{
    AuthError, ExposeSecret, SecretString, check_password_policy, new_recovery_codes,
};
use crate::http::api::Caller;
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiJson, ApiResult, AppState};

/// A registered WebAuthn credential.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebauthnCredentialView {
    /// Its id.
    pub id: i64,
    /// The name given at registration.
    pub name: String,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
    /// When it last completed a login.
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The caller and how they log in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeView {
    /// User id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// The role this request acts with: the account's, or an API token's, which may be less.
    pub role: Role,
    /// Ids of the groups they belong to.
    pub groups: Vec<i64>,
    /// The second factors they can log in with.
    pub methods: Vec<MfaMethod>,
    /// When their first second factor was enrolled.
    pub mfa_enrolled_at: Option<DateTime<Utc>>,
    /// Their WebAuthn credentials.
    pub webauthn_credentials: Vec<WebauthnCredentialView>,
    /// Unused recovery codes left.
    pub recovery_codes_left: i64,
}

/// The current password and the new one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    /// The password now.
    #[schema(max_length = 1024, format = Password)]
    pub current_password: String,
    /// The new password: 12 to 1024 characters, not one repeated character, not the username.
    #[schema(min_length = 12, max_length = 1024, format = Password)]
    pub new_password: String,
}

/// New recovery codes, shown once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecoveryCodesView {
    /// The codes (`xxxx-xxxx-xxxx`); each logs in once in place of the second factor. Every
    /// earlier code no longer works.
    pub recovery_codes: Vec<String>,
}

/// The caller: account, role, groups and second factors.
#[utoipa::path(
    get,
    path = "/api/v1/auth/me",
    tag = "auth",
    operation_id = "get_me",
    responses(
        (status = 200, description = "The caller", body = MeView),
        (status = 401, description = "Not logged in", body = ErrorBody),
    )
)]
pub async fn me(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<MeView>> {
    let creds = state
        .store
        .credentials_by_id(caller.user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    let methods = methods_of(&state, &creds).await?;
    let webauthn_credentials = state
        .store
        .webauthn_credentials(caller.user.id)
        .await?
        .into_iter()
        .map(|c| WebauthnCredentialView {
            id: c.id,
            name: c.name,
            created_at: c.created_at,
            last_used_at: c.last_used_at,
        })
        .collect();
    Ok(Json(MeView {
        id: creds.user.id.get(),
        username: creds.user.username.as_str().to_owned(),
        role: caller.scope.role(),
        groups: creds.user.groups.iter().map(|g| g.get()).collect(),
        methods,
        mfa_enrolled_at: creds.mfa_enrolled_at,
        webauthn_credentials,
        recovery_codes_left: state.store.recovery_codes_left(caller.user.id).await?,
    }))
}

/// Changes the caller's password. Every session of the account ends, this one included: log in
/// again with the new password.
#[utoipa::path(
    post,
    path = "/api/v1/auth/password",
    tag = "auth",
    operation_id = "change_password",
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed; every session ended"),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `new_password` breaks the policy, or `current_password` is wrong", body = ErrorBody),
        (status = 429, description = "`too_many_attempts`: too many wrong current passwords", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientInfo,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> Result<StatusCode, AuthFailure> {
    let now = state.clock.now();
    let user = &caller.user;
    match check_password_policy(&body.new_password, user.username.as_str()) {
        Ok(()) => {}
        Err(AuthError::WeakPassword { reason }) => {
            return Err(ApiError::invalid_field("new_password", reason).into());
        }
        Err(e) => return Err(internal(e).into()),
    }
    if body.current_password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(ApiError::invalid_field("current_password", "is not your password").into());
    }
    if body.new_password == body.current_password {
        return Err(
            ApiError::invalid_field("new_password", "must differ from the current one").into(),
        );
    }
    // A stolen access token must not become a password oracle: the same throttle and lock as
    // the login's password step.
    if let Err(AuthError::Throttled { retry_after }) =
        state
            .auth
            .throttle
            .check(client.ip, user.username.as_str(), now)
    {
        return Err(TooManyAttempts::new(retry_after).into());
    }
    let creds = state
        .store
        .credentials_by_id(user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    if let Some(until) = creds.locked_until
        && until > now
    {
        return Err(TooManyAttempts::until(until, now).into());
    }
    let matched = state
        .auth
        .verify_password(
            SecretString::from(body.current_password),
            creds.password_hash,
        )
        .await
        .or_else(|e| match e {
            AuthError::UnsupportedHash => Ok(false),
            other => Err(internal(other)),
        })?;
    if !matched {
        state
            .store
            .record_login_failure(user.id, &state.auth.lock_policy, &caller.actor, now)
            .await?;
        return Err(ApiError::invalid_field("current_password", "is not your password").into());
    }
    let hash = state
        .auth
        .hash_password(SecretString::from(body.new_password))
        .await
        .map_err(internal)?;
    state
        .store
        .set_password_hash(user.id, &hash, &caller.actor, now)
        .await?;
    state
        .store
        .revoke_user_sessions(user.id, &caller.actor, now)
        .await?;
    state.auth.sessions.invalidate(user.id);
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces the caller's recovery codes with 10 new ones, shown once.
#[utoipa::path(
    post,
    path = "/api/v1/auth/recovery-codes",
    tag = "auth",
    operation_id = "regenerate_recovery_codes",
    responses(
        (status = 200, description = "The new codes; the old ones no longer work", body = RecoveryCodesView),
        (status = 401, description = "Not logged in", body = ErrorBody),
    )
)]
pub async fn regenerate_recovery_codes(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<RecoveryCodesView>> {
    let now = state.clock.now();
    let (codes, hashes) = new_recovery_codes(RECOVERY_CODES).map_err(internal)?;
    state
        .store
        .replace_recovery_codes(caller.user.id, &hashes, &caller.actor, now)
        .await?;
    state.auth.sessions.invalidate(caller.user.id);
    Ok(Json(RecoveryCodesView {
        recovery_codes: codes.iter().map(|c| c.expose_secret().to_owned()).collect(),
    }))
}
