//! Users: accounts, roles and groups, one-time passwords, MFA reset and session revocation
//! (admin only).
//!
//! A new account, or an admin's password reset, gets a generated one-time password that is
//! shown once in the response and stored only as its Argon2id hash; the user enrols a second
//! factor at their first login. Views show the state of credentials (MFA methods, last login,
//! soft lock), never hashes or secrets. Every change to a user drops them from the session
//! cache, so a disable, a demotion or a revocation takes effect on their next request.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use lpm_core::ids::{GroupId, UserId};
use lpm_core::model::{Role, Username};
use lpm_store::StoreError;
use lpm_store::accounts::{UserChanges, UserQuery, UserSort, UserSummary};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{
    ApiPath, Caller, PageParams, Paged, body_reference, id_or_404, ids_or_422, parse_sort,
};
use crate::auth::{ExposeSecret, generate_password};
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiJson, ApiQuery, ApiResult, AppState};

/// A second factor a user has set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MfaMethod {
    /// An authenticator app (RFC 6238).
    Totp,
    /// A security key or passkey.
    Webauthn,
}

/// The state of a user's second factors (never the factors themselves).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MfaView {
    /// A second factor is confirmed; `false`: the user must enrol at their next login.
    pub enrolled: bool,
    /// When it was confirmed.
    pub enrolled_at: Option<DateTime<Utc>>,
    /// The methods set up.
    pub methods: Vec<MfaMethod>,
    /// Registered WebAuthn credentials.
    pub webauthn_credentials: i64,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
}

/// A user account as admins see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    /// Its id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// What the user may do.
    pub role: Role,
    /// Ids of their groups (an operator acts on these groups' hosts and on ungrouped ones).
    pub groups: Vec<i64>,
    /// A disabled account can do nothing.
    pub disabled: bool,
    /// Second factors.
    pub mfa: MfaView,
    /// A password is set.
    pub password_set: bool,
    /// Password logins are refused until then after repeated failures (absent when not
    /// locked).
    pub locked_until: Option<DateTime<Utc>>,
    /// The last complete login.
    pub last_login_at: Option<DateTime<Utc>>,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

impl UserView {
    fn new(summary: UserSummary, now: DateTime<Utc>) -> Self {
        let mut methods = Vec::new();
        if summary.totp {
            methods.push(MfaMethod::Totp);
        }
        if summary.webauthn_credentials > 0 {
            methods.push(MfaMethod::Webauthn);
        }
        Self {
            id: summary.user.id.get(),
            username: summary.user.username.as_str().to_owned(),
            role: summary.user.role,
            groups: summary.user.groups.iter().map(|g| g.get()).collect(),
            disabled: summary.user.disabled,
            mfa: MfaView {
                enrolled: summary.mfa_enrolled_at.is_some(),
                enrolled_at: summary.mfa_enrolled_at,
                methods,
                webauthn_credentials: summary.webauthn_credentials,
                recovery_codes_left: summary.recovery_codes_left,
            },
            password_set: summary.password_set,
            locked_until: summary.locked_until.filter(|until| *until > now),
            last_login_at: summary.last_login_at,
            created_at: summary.created_at,
        }
    }
}

/// A new account and its one-time password.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedUserView {
    /// The account.
    pub user: UserView,
    /// The one-time password: shown this once, stored only as a hash. Hand it to the user,
    /// who sets up a second factor at their first login.
    pub password: String,
}

/// A one-time password from an admin's reset.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OneTimePasswordView {
    /// The user.
    pub user_id: i64,
    /// The new password: shown this once, stored only as a hash.
    pub password: String,
}

/// Filters and order of the user list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilters {
    /// Only users with this role.
    pub role: Option<Role>,
    /// Only disabled (`true`) or enabled (`false`) accounts.
    pub disabled: Option<bool>,
    /// Only users whose login name contains this text.
    pub search: Option<String>,
    /// `username`, `role`, `created` or `last_login`; a leading `-` sorts descending.
    pub sort: Option<String>,
}

/// A new account.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// Login name: letters, digits, `.`, `_`, `-` and `@`; stored in lower case.
    #[schema(min_length = 1, max_length = 64, pattern = r"^[A-Za-z0-9._@-]{1,64}$")]
    pub username: String,
    /// What the user may do.
    pub role: Role,
    /// Ids of the groups they join.
    #[serde(default)]
    pub groups: Vec<i64>,
}

/// A change to an account; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    /// The new role.
    pub role: Option<Role>,
    /// The new groups, replacing the old ones.
    pub groups: Option<Vec<i64>>,
    /// Disable (ending every session at once) or re-enable the account.
    pub disabled: Option<bool>,
}

/// Lists the accounts.
#[utoipa::path(
    get,
    path = "/api/v1/users",
    tag = "users",
    operation_id = "list_users",
    params(PageParams, UserFilters),
    responses(
        (status = 200, description = "A page of users", body = Paged<UserView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither an admin nor an auditor", body = ErrorBody),
        (status = 422, description = "A bad filter or page", body = ErrorBody),
    )
)]
pub async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(paging): ApiQuery<PageParams>,
    ApiQuery(filters): ApiQuery<UserFilters>,
) -> ApiResult<Json<Paged<UserView>>> {
    let reader = caller.require_read_all()?;
    let (sort, direction) = parse_sort(
        filters.sort.as_deref(),
        "username, role, created, last_login",
        |field| match field {
            "username" => Some(UserSort::Username),
            "role" => Some(UserSort::Role),
            "created" => Some(UserSort::Created),
            "last_login" => Some(UserSort::LastLogin),
            _ => None,
        },
    )?;
    let query = UserQuery {
        role: filters.role,
        disabled: filters.disabled,
        search: filters.search,
        sort,
        direction,
    };
    let page = state
        .store
        .list_users(&reader, &query, paging.request()?)
        .await?;
    let now = state.clock.now();
    Ok(Json(Paged::from_page(page, |u| UserView::new(u, now))))
}

/// One account.
#[utoipa::path(
    get,
    path = "/api/v1/users/{id}",
    tag = "users",
    operation_id = "get_user",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = UserView),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither an admin nor an auditor", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
    )
)]
pub async fn get_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<UserView>> {
    let reader = caller.require_read_all()?;
    let id = id_or_404(id, "user", UserId::new)?;
    let summary = state.store.get_user_summary(&reader, id).await?;
    Ok(Json(UserView::new(summary, state.clock.now())))
}

/// Creates an account with a one-time password, shown once in the response.
#[utoipa::path(
    post,
    path = "/api/v1/users",
    tag = "users",
    operation_id = "create_user",
    request_body = CreateUser,
    responses(
        (status = 201, description = "The account and its one-time password", body = CreatedUserView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 409, description = "The username is taken", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "An invalid field (username, groups)", body = ErrorBody),
    )
)]
pub async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateUser>,
) -> ApiResult<(StatusCode, Json<CreatedUserView>)> {
    let admin = caller.require_admin()?;
    let username = Username::new(&body.username)
        .map_err(|e| ApiError::invalid_field("username", e.to_string()))?;
    let groups = ids_or_422(&body.groups, "groups", GroupId::new)?;
    let (password, hash) = one_time_password(&state).await?;
    let user = state
        .store
        .create_user_with_password(
            &admin,
            &username,
            body.role,
            &groups,
            &hash,
            &caller.actor,
            state.clock.now(),
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict { .. } => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("A user named {username} already exists."),
            ),
            other => body_reference(other, "group", "groups"),
        })?;
    let summary = state.store.get_user_summary(&admin.into(), user.id).await?;
    let view = CreatedUserView {
        user: UserView::new(summary, state.clock.now()),
        password: password.expose_secret().to_owned(),
    };
    Ok((StatusCode::CREATED, Json(view)))
}

/// Changes an account's role, groups or disabled flag, all or nothing. Disabling ends the
/// user's sessions at once.
#[utoipa::path(
    patch,
    path = "/api/v1/users/{id}",
    tag = "users",
    operation_id = "update_user",
    params(("id" = i64, Path, description = "User id")),
    request_body = UpdateUser,
    responses(
        (status = 200, description = "The changed user", body = UserView),
        (status = 400, description = "The body is not JSON, or the id not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 409, description = "It would leave no enabled admin", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "An invalid field (groups)", body = ErrorBody),
    )
)]
pub async fn update_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateUser>,
) -> ApiResult<Json<UserView>> {
    let admin = caller.require_admin()?;
    let id = id_or_404(id, "user", UserId::new)?;
    let changes = UserChanges {
        role: body.role,
        groups: body
            .groups
            .as_deref()
            .map(|g| ids_or_422(g, "groups", GroupId::new))
            .transpose()?,
        disabled: body.disabled,
    };
    let result = state
        .store
        .change_user(&admin, id, &changes, &caller.actor, state.clock.now())
        .await;
    state.auth.sessions.invalidate(id);
    result.map_err(|e| match e {
        StoreError::Conflict { .. } => last_admin(e),
        other => body_reference(other, "group", "groups"),
    })?;
    let summary = state.store.get_user_summary(&admin.into(), id).await?;
    Ok(Json(UserView::new(summary, state.clock.now())))
}

/// Deletes an account. The audit log keeps its name.
#[utoipa::path(
    delete,
    path = "/api/v1/users/{id}",
    tag = "users",
    operation_id = "delete_user",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 409, description = "The last enabled admin", body = ErrorBody),
    )
)]
pub async fn delete_user(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let admin = caller.require_admin()?;
    let id = id_or_404(id, "user", UserId::new)?;
    let result = state
        .store
        .delete_user(&admin, id, &caller.actor, state.clock.now())
        .await;
    state.auth.sessions.invalidate(id);
    result.map_err(last_admin)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Clears every second factor of a user and ends their sessions: they enrol again at their
/// next login.
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/mfa/reset",
    tag = "users",
    operation_id = "reset_user_mfa",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 204, description = "Second factors cleared, sessions ended"),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
    )
)]
pub async fn reset_user_mfa(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let admin = caller.require_admin()?;
    let id = id_or_404(id, "user", UserId::new)?;
    let result = state
        .store
        .reset_mfa(&admin, id, &caller.actor, state.clock.now())
        .await;
    state.auth.sessions.invalidate(id);
    result?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every session of a user at once: refresh tokens are revoked and access tokens already
/// issued are refused.
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/sessions/revoke",
    tag = "users",
    operation_id = "revoke_user_sessions",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 204, description = "Sessions ended"),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
    )
)]
pub async fn revoke_user_sessions(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let admin = caller.require_admin()?;
    let id = id_or_404(id, "user", UserId::new)?;
    // The store revokes without looking the user up; a missing one is still a 404.
    state.store.get_user_summary(&admin.into(), id).await?;
    let result = state
        .store
        .revoke_user_sessions(id, &caller.actor, state.clock.now())
        .await;
    state.auth.sessions.invalidate(id);
    result?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces a user's password with a new one-time password (shown once), lifts a soft lock
/// and ends their sessions.
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/password/reset",
    tag = "users",
    operation_id = "reset_user_password",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "The new one-time password", body = OneTimePasswordView),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
    )
)]
pub async fn reset_user_password(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<OneTimePasswordView>> {
    let admin = caller.require_admin()?;
    let id = id_or_404(id, "user", UserId::new)?;
    let (password, hash) = one_time_password(&state).await?;
    let result = state
        .store
        .reset_password(&admin, id, &hash, &caller.actor, state.clock.now())
        .await;
    state.auth.sessions.invalidate(id);
    result?;
    Ok(Json(OneTimePasswordView {
        user_id: id.get(),
        password: password.expose_secret().to_owned(),
    }))
}

/// A fresh one-time password and its hash. Argon2id takes a login's worth of CPU, so it runs
/// off the async workers.
async fn one_time_password(state: &AppState) -> ApiResult<(crate::auth::SecretString, String)> {
    let auth = Arc::clone(&state.auth);
    tokio::task::spawn_blocking(move || {
        let password = generate_password()?;
        let hash = auth.hasher.hash(&password)?;
        Ok::<_, crate::auth::AuthError>((password, hash))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)
}

/// The last-admin guard's refusal, in words an admin can act on.
fn last_admin(err: StoreError) -> ApiError {
    match err {
        StoreError::Conflict { .. } => ApiError::new(
            StatusCode::CONFLICT,
            "last_admin",
            "This is the last enabled admin: promote or enable another admin first.",
        ),
        other => other.into(),
    }
}

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user, delete_user))
        .routes(routes!(reset_user_mfa))
        .routes(routes!(revoke_user_sessions))
        .routes(routes!(reset_user_password))
}
