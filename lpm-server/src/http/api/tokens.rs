//! API tokens for scripts, pipelines and other tools: create (the secret is shown once), list
//! (never the secret), revoke.
//!
//! A token acts for the user who made it, with a role and hosts no wider than theirs: an
//! operator mints only operator tokens within their groups, an auditor only auditor tokens, an
//! admin any. Only an interactive session, which passed MFA, may create one (the caller's
//! policy table refuses API tokens here). Admins and auditors see every token; others see and
//! revoke their own.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use lpm_core::ids::{GroupId, UserId};
use lpm_core::model::Role;
use lpm_store::tokens::{ApiToken, ApiTokenQuery, ApiTokenSort, NewApiToken};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{
    ApiPath, Caller, Credential, PageParams, Paged, body_reference, id_or_404, ids_or_422,
    parse_sort,
};
use crate::auth::{ExposeSecret, new_api_token};
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiJson, ApiQuery, ApiResult, AppState};

/// The longest token name.
const MAX_NAME_CHARS: usize = 100;

/// An API token as lists show it (never the secret).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiTokenView {
    /// Its id.
    pub id: i64,
    /// What it is for, unique per user.
    pub name: String,
    /// The role it acts with.
    pub role: Role,
    /// The groups an operator token is limited to; absent (`null`): it follows its owner's
    /// groups.
    pub group_ids: Option<Vec<i64>>,
    /// The user it acts for.
    pub user_id: i64,
    /// Their login name.
    pub username: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it stops working; absent: never.
    pub expires_at: Option<DateTime<Utc>>,
    /// It has expired and no longer works.
    pub expired: bool,
    /// When it was last used.
    pub last_used_at: Option<DateTime<Utc>>,
    /// The address it was last used from.
    pub last_used_ip: Option<String>,
}

impl ApiTokenView {
    fn new(token: ApiToken, now: DateTime<Utc>) -> Self {
        Self {
            expired: token.expired(now),
            id: token.id,
            name: token.name,
            role: token.role,
            group_ids: token
                .groups
                .map(|groups| groups.iter().map(|g| g.get()).collect()),
            user_id: token.owner.get(),
            username: token.owner_name,
            created_at: token.created_at,
            expires_at: token.expires_at,
            last_used_at: token.last_used_at,
            last_used_ip: token.last_used_ip,
        }
    }
}

/// A new token and its secret.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiTokenCreated {
    /// The secret, shown this once and stored only as a hash: send it as
    /// `Authorization: Bearer <token>`. It starts with `lpm_`, so secret scanners can find a
    /// leaked one.
    pub token: String,
    /// The token as lists show it.
    #[serde(flatten)]
    pub api_token: ApiTokenView,
}

/// A token to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiToken {
    /// What it is for (a pipeline, a script); unique among your tokens.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// The role it acts with: at most your own (an admin may pick any; others only their
    /// own role).
    pub role: Role,
    /// Operator tokens only: limit it to these groups, each of which must be yours (an
    /// admin may name any). Absent: it follows your groups as they change.
    #[serde(default)]
    pub group_ids: Option<Vec<i64>>,
    /// When it stops working (in the future); absent: never.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// Filters and order of the token list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApiTokenFilters {
    /// Only this user's tokens (admins and auditors; everyone else sees only their own).
    pub user_id: Option<i64>,
    /// Only tokens whose name contains this text.
    pub search: Option<String>,
    /// `name`, `created`, `last_used` or `expires`; a leading `-` sorts descending.
    /// Default: `created`.
    pub sort: Option<String>,
}

/// Lists API tokens: every token for admins and auditors, your own for everyone else.
#[utoipa::path(
    get,
    path = "/api/v1/api-tokens",
    tag = "api-tokens",
    operation_id = "list_api_tokens",
    params(PageParams, ApiTokenFilters),
    responses(
        (status = 200, description = "A page of tokens", body = Paged<ApiTokenView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "A bad filter or page", body = ErrorBody),
    )
)]
pub async fn list_api_tokens(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(paging): ApiQuery<PageParams>,
    ApiQuery(filters): ApiQuery<ApiTokenFilters>,
) -> ApiResult<Json<Paged<ApiTokenView>>> {
    let (sort, direction) = parse_sort(
        filters.sort.as_deref(),
        "name, created, last_used, expires",
        |field| match field {
            "name" => Some(ApiTokenSort::Name),
            "created" => Some(ApiTokenSort::Created),
            "last_used" => Some(ApiTokenSort::LastUsed),
            "expires" => Some(ApiTokenSort::Expires),
            _ => None,
        },
    )?;
    let owner = if caller.require_read_all().is_ok() {
        match filters.user_id {
            Some(id) => Some(
                UserId::new(id).map_err(|e| ApiError::invalid_field("user_id", e.to_string()))?,
            ),
            None => None,
        }
    } else {
        Some(caller.user_id())
    };
    let query = ApiTokenQuery {
        owner,
        search: filters.search,
        sort,
        direction,
    };
    let page = state
        .store
        .list_api_tokens(&query, paging.request()?)
        .await?;
    let now = state.clock.now();
    Ok(Json(Paged::from_page(page, |t| ApiTokenView::new(t, now))))
}

/// Creates an API token for yourself; the secret is in this response only.
#[utoipa::path(
    post,
    path = "/api/v1/api-tokens",
    tag = "api-tokens",
    operation_id = "create_api_token",
    request_body = CreateApiToken,
    responses(
        (status = 201, description = "The token and its secret, shown once", body = ApiTokenCreated),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "The role or groups exceed yours", body = ErrorBody),
        (status = 409, description = "You already have a token with this name", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "An invalid field (name, group_ids, expires_at)", body = ErrorBody),
    )
)]
pub async fn create_api_token(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateApiToken>,
) -> ApiResult<(StatusCode, Json<ApiTokenCreated>)> {
    let now = state.clock.now();
    let name = token_name(&body.name)?;
    let holder = caller.scope.role();
    if !holder.may_grant(body.role) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "role_exceeds_yours",
            format!(
                "A token cannot have more than your own role: you are {holder}, so it can only be {holder}."
            ),
        ));
    }
    let groups = match &body.group_ids {
        None => None,
        Some(_) if body.role != Role::Operator => {
            return Err(ApiError::invalid_field(
                "group_ids",
                "only operator tokens are limited to groups; admin and auditor tokens reach every host",
            ));
        }
        Some(raw) => {
            let groups = ids_or_422(raw, "group_ids", GroupId::new)?;
            if let Some(foreign) = groups
                .iter()
                .find(|g| holder != Role::Admin && !caller.user.groups.contains(g))
            {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "scope_exceeds_yours",
                    format!(
                        "A token cannot reach more than you do: you are not in group {foreign}."
                    ),
                ));
            }
            Some(groups)
        }
    };
    if body.expires_at.is_some_and(|at| at <= now) {
        return Err(ApiError::invalid_field(
            "expires_at",
            "must be in the future",
        ));
    }
    let (secret, hash) = new_api_token().map_err(ApiError::internal)?;
    let stored = state
        .store
        .create_api_token(
            NewApiToken {
                owner: caller.user_id(),
                name: &name,
                role: body.role,
                groups: groups.as_deref(),
                expires_at: body.expires_at,
                token_hash: &hash,
            },
            &caller.actor,
            now,
        )
        .await
        .map_err(|e| match e {
            lpm_store::StoreError::Conflict { .. } => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("You already have a token named {name:?}."),
            ),
            other => body_reference(other, "group", "group_ids"),
        })?;
    Ok((
        StatusCode::CREATED,
        Json(ApiTokenCreated {
            token: secret.expose_secret().to_owned(),
            api_token: ApiTokenView::new(stored, now),
        }),
    ))
}

/// Revokes an API token at once: the next request with it answers 401. Admins revoke any
/// token; everyone else their own; an API token only itself.
#[utoipa::path(
    delete,
    path = "/api/v1/api-tokens/{id}",
    tag = "api-tokens",
    operation_id = "revoke_api_token",
    params(("id" = i64, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Called with an API token other than this one", body = ErrorBody),
        (status = 404, description = "No such token among those you may revoke", body = ErrorBody),
    )
)]
pub async fn revoke_api_token(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let id = id_or_404(
        id,
        "API token",
        |raw| {
            if raw > 0 { Ok(raw) } else { Err(()) }
        },
    )?;
    // A token revokes only itself: a leaked narrow token must not end its owner's others.
    if let Credential::ApiToken { id: own, .. } = caller.credential
        && own != id
    {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "interactive_session_required",
            "An API token may revoke only itself; log in to revoke other tokens.",
        ));
    }
    let owner = (!caller.is_admin()).then(|| caller.user_id());
    state
        .store
        .revoke_api_token(id, owner, &caller.actor, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A token name: trimmed, 1 to 100 characters, no control characters.
fn token_name(raw: &str) -> ApiResult<String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::invalid_field(
            "name",
            format!("must be 1 to {MAX_NAME_CHARS} characters"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(ApiError::invalid_field(
            "name",
            "must not contain control characters",
        ));
    }
    Ok(name.to_owned())
}

/// The token routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_api_tokens, create_api_token))
        .routes(routes!(revoke_api_token))
}
