//! Sessions after login: refresh-token rotation with reuse detection (`/auth/refresh`) and
//! logout (`/auth/logout`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use lpm_store::auth::RefreshOutcome;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ClientInfo, REFRESH_IDLE, SessionView, TokenType, family_amr, internal, unauthorized};
use crate::auth::{Amr, ExposeSecret, hash_token, issue, new_refresh_token};
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiJson, ApiResult, AppState};

/// A refresh token.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RefreshRequest {
    /// The refresh token from the login or the last refresh.
    pub refresh_token: String,
}

/// Exchanges a refresh token for a new access token and a new refresh token. The old refresh
/// token is spent: presenting it again revokes the whole session (`refresh_token_reused`),
/// so clients must not refresh twice in parallel.
#[utoipa::path(
    post,
    path = "/api/v1/auth/refresh",
    tag = "auth",
    operation_id = "refresh",
    security(),
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "The renewed session", body = SessionView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "`invalid_refresh_token`, `refresh_token_expired` (an hour idle, or 12 hours old), `refresh_token_revoked` (logged out, revoked, account disabled) or `refresh_token_reused` (an already used token: the session is revoked)", body = ErrorBody),
        (status = 422, description = "A field is missing", body = ErrorBody),
    )
)]
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> ApiResult<Json<SessionView>> {
    let now = state.clock.now();
    let old_hash = hash_token(&body.refresh_token);
    let (new_token, new_hash) = new_refresh_token().map_err(internal)?;
    let outcome = state
        .store
        .rotate_refresh_token(&old_hash, &new_hash, REFRESH_IDLE, now)
        .await?;
    let user = match outcome {
        RefreshOutcome::Rotated { user } => user,
        RefreshOutcome::Reused { user } => {
            state.auth.sessions.invalidate(user);
            return Err(unauthorized(
                "refresh_token_reused",
                "This refresh token was already used, so the session may be stolen; it is now \
                 revoked. Log in again.",
            ));
        }
        RefreshOutcome::Expired => {
            return Err(unauthorized(
                "refresh_token_expired",
                "The session has expired; log in again.",
            ));
        }
        RefreshOutcome::Revoked => {
            return Err(unauthorized(
                "refresh_token_revoked",
                "The session was ended; log in again.",
            ));
        }
        RefreshOutcome::Unknown => {
            return Err(unauthorized(
                "invalid_refresh_token",
                "The refresh token is not valid; log in again.",
            ));
        }
    };
    let session = state.store.refresh_token_session(&new_hash).await?;
    let amr = session
        .and_then(|s| family_amr(&s.family))
        .unwrap_or_else(|| {
            tracing::warn!(%user, "refresh family without an amr; assuming password and TOTP");
            Amr::PwdTotp
        });
    let account = state.store.get_user(user).await?;
    let keys = state.auth.keys.keys();
    let access_token = issue(&keys.signing, &account, amr, now).map_err(internal)?;
    Ok(Json(SessionView {
        access_token,
        refresh_token: new_token.expose_secret().to_owned(),
        expires_in: crate::auth::ACCESS_TTL.num_seconds(),
        token_type: TokenType::Bearer,
    }))
}

/// Ends the session of a refresh token (its whole family). Answers 204 whatever the token, so
/// it cannot be used to test tokens. Access tokens already issued run out within 15 minutes.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    operation_id = "logout",
    security(),
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "The session is over"),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "A field is missing", body = ErrorBody),
    )
)]
pub async fn logout(
    State(state): State<AppState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    let hash = hash_token(&body.refresh_token);
    let Some(session) = state.store.refresh_token_session(&hash).await? else {
        return Ok(StatusCode::NO_CONTENT);
    };
    let user = session.user;
    let account = match state.store.get_user(user).await {
        Ok(account) => account,
        Err(lpm_store::StoreError::NotFound { .. }) => return Ok(StatusCode::NO_CONTENT),
        Err(e) => return Err(ApiError::from(e)),
    };
    state
        .store
        .revoke_refresh_family(&hash, &client.actor(&account), now)
        .await?;
    state.auth.sessions.invalidate(user);
    Ok(StatusCode::NO_CONTENT)
}
