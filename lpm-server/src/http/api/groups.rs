//! Host groups: CRUD and host and user membership.
//!
//! Admins see and change every group. Operators see only the groups they belong to (others
//! answer 404) and change none; they move their hosts between their own groups through
//! `PUT /api/v1/hosts/{id}/groups`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use lpm_core::ids::{GroupId, HostId, UserId};
use lpm_core::model::Name;
use lpm_core::rbac::Scope;
use lpm_store::StoreError;
use lpm_store::accounts::{GroupQuery, GroupSort, GroupSummary};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{
    ApiPath, Caller, PageParams, Paged, body_reference, id_or_404, ids_or_422, parse_sort,
};
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiJson, ApiQuery, ApiResult, AppState};

/// The longest group description.
const MAX_DESCRIPTION_CHARS: usize = 1000;

/// A group as lists show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupView {
    /// Its id.
    pub id: i64,
    /// Its unique name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// Member hosts.
    pub host_count: i64,
    /// Member users.
    pub user_count: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl From<GroupSummary> for GroupView {
    fn from(summary: GroupSummary) -> Self {
        Self {
            id: summary.group.id.get(),
            name: summary.group.name.as_str().to_owned(),
            description: summary.group.description,
            host_count: summary.host_count,
            user_count: summary.user_count,
            created_at: summary.created_at,
        }
    }
}

/// A group with its members.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupDetailView {
    /// Its id.
    pub id: i64,
    /// Its unique name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// Member hosts.
    pub host_count: i64,
    /// Member users.
    pub user_count: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Ids of its hosts.
    pub host_ids: Vec<i64>,
    /// Ids of its users.
    pub user_ids: Vec<i64>,
}

/// Filters and order of the group list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupFilters {
    /// Only groups whose name contains this text.
    pub search: Option<String>,
    /// `name`, `hosts`, `users` or `created`; a leading `-` sorts descending.
    pub sort: Option<String>,
}

/// A new group.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateGroup {
    /// A unique name, 1 to 100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// Free text, at most 1000 characters.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub description: String,
}

/// A change to a group; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateGroup {
    /// A new unique name, 1 to 100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    /// A new description, at most 1000 characters.
    #[schema(max_length = 1000)]
    pub description: Option<String>,
}

/// The complete list of a group's hosts.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupHosts {
    /// Host ids; hosts not named leave the group.
    pub host_ids: Vec<i64>,
}

/// The complete list of a group's users.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupUsers {
    /// User ids; users not named leave the group.
    pub user_ids: Vec<i64>,
}

/// Lists the groups the caller can see: all for an admin, their own for an operator.
#[utoipa::path(
    get,
    path = "/api/v1/groups",
    tag = "groups",
    operation_id = "list_groups",
    params(PageParams, GroupFilters),
    responses(
        (status = 200, description = "A page of groups", body = Paged<GroupView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "A bad filter or page", body = ErrorBody),
    )
)]
pub async fn list_groups(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(paging): ApiQuery<PageParams>,
    ApiQuery(filters): ApiQuery<GroupFilters>,
) -> ApiResult<Json<Paged<GroupView>>> {
    let (sort, direction) = parse_sort(
        filters.sort.as_deref(),
        "name, hosts, users, created",
        |field| match field {
            "name" => Some(GroupSort::Name),
            "hosts" => Some(GroupSort::Hosts),
            "users" => Some(GroupSort::Users),
            "created" => Some(GroupSort::Created),
            _ => None,
        },
    )?;
    let query = GroupQuery {
        search: filters.search,
        sort,
        direction,
    };
    let page = state
        .store
        .list_group_summaries(&caller.scope, &query, paging.request()?)
        .await?;
    Ok(Json(Paged::from_page(page, GroupView::from)))
}

/// One group with its members; an operator sees only their own groups.
#[utoipa::path(
    get,
    path = "/api/v1/groups/{id}",
    tag = "groups",
    operation_id = "get_group",
    params(("id" = i64, Path, description = "Group id")),
    responses(
        (status = 200, description = "The group and its members", body = GroupDetailView),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such group among the caller's", body = ErrorBody),
    )
)]
pub async fn get_group(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<GroupDetailView>> {
    let id = id_or_404(id, "group", GroupId::new)?;
    Ok(Json(group_detail(&state, &caller.scope, id).await?))
}

/// Creates a group.
#[utoipa::path(
    post,
    path = "/api/v1/groups",
    tag = "groups",
    operation_id = "create_group",
    request_body = CreateGroup,
    responses(
        (status = 201, description = "The new group", body = GroupView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "An invalid field (name, description)", body = ErrorBody),
    )
)]
pub async fn create_group(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateGroup>,
) -> ApiResult<(StatusCode, Json<GroupView>)> {
    let admin = caller.require_admin()?;
    let name = group_name(&body.name)?;
    check_description(&body.description)?;
    let group = state
        .store
        .create_group(
            &admin,
            &name,
            &body.description,
            &caller.actor,
            state.clock.now(),
        )
        .await
        .map_err(|e| name_taken(e, &name))?;
    let summary = state
        .store
        .get_group_summary(&caller.scope, group.id)
        .await?;
    Ok((StatusCode::CREATED, Json(summary.into())))
}

/// Renames a group or changes its description.
#[utoipa::path(
    patch,
    path = "/api/v1/groups/{id}",
    tag = "groups",
    operation_id = "update_group",
    params(("id" = i64, Path, description = "Group id")),
    request_body = UpdateGroup,
    responses(
        (status = 200, description = "The changed group", body = GroupView),
        (status = 400, description = "The body is not JSON, or the id not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "An invalid field (name, description)", body = ErrorBody),
    )
)]
pub async fn update_group(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateGroup>,
) -> ApiResult<Json<GroupView>> {
    let admin = caller.require_admin()?;
    let id = id_or_404(id, "group", GroupId::new)?;
    let name = body.name.as_deref().map(group_name).transpose()?;
    if let Some(description) = &body.description {
        check_description(description)?;
    }
    let current = state.store.get_group_summary(&caller.scope, id).await?;
    let name = name.unwrap_or(current.group.name);
    let description = body.description.unwrap_or(current.group.description);
    state
        .store
        .update_group(
            &admin,
            id,
            &name,
            &description,
            &caller.actor,
            state.clock.now(),
        )
        .await
        .map_err(|e| name_taken(e, &name))?;
    let summary = state.store.get_group_summary(&caller.scope, id).await?;
    Ok(Json(summary.into()))
}

/// Deletes a group. Its hosts and users stay; hosts left in no group become ungrouped, and so
/// reachable by every operator.
#[utoipa::path(
    delete,
    path = "/api/v1/groups/{id}",
    tag = "groups",
    operation_id = "delete_group",
    params(("id" = i64, Path, description = "Group id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
    )
)]
pub async fn delete_group(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let admin = caller.require_admin()?;
    let id = id_or_404(id, "group", GroupId::new)?;
    let result = state
        .store
        .delete_group(&admin, id, &caller.actor, state.clock.now())
        .await;
    // Its members' scopes changed.
    state.auth.sessions.invalidate_all();
    result?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces a group's hosts.
#[utoipa::path(
    put,
    path = "/api/v1/groups/{id}/hosts",
    tag = "groups",
    operation_id = "set_group_hosts",
    params(("id" = i64, Path, description = "Group id")),
    request_body = GroupHosts,
    responses(
        (status = 200, description = "The group and its members", body = GroupDetailView),
        (status = 400, description = "The body is not JSON, or the id not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "An unknown host id", body = ErrorBody),
    )
)]
pub async fn set_group_hosts(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<GroupHosts>,
) -> ApiResult<Json<GroupDetailView>> {
    let admin = caller.require_admin()?;
    let id = id_or_404(id, "group", GroupId::new)?;
    let hosts = ids_or_422(&body.host_ids, "host_ids", HostId::new)?;
    state
        .store
        .set_group_hosts(&admin, id, &hosts, &caller.actor, state.clock.now())
        .await
        .map_err(|e| body_reference(e, "host", "host_ids"))?;
    Ok(Json(group_detail(&state, &caller.scope, id).await?))
}

/// Replaces a group's users.
#[utoipa::path(
    put,
    path = "/api/v1/groups/{id}/users",
    tag = "groups",
    operation_id = "set_group_users",
    params(("id" = i64, Path, description = "Group id")),
    request_body = GroupUsers,
    responses(
        (status = 200, description = "The group and its members", body = GroupDetailView),
        (status = 400, description = "The body is not JSON, or the id not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "An unknown user id", body = ErrorBody),
    )
)]
pub async fn set_group_users(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<GroupUsers>,
) -> ApiResult<Json<GroupDetailView>> {
    let admin = caller.require_admin()?;
    let id = id_or_404(id, "group", GroupId::new)?;
    let users = ids_or_422(&body.user_ids, "user_ids", UserId::new)?;
    let result = state
        .store
        .set_group_users(&admin, id, &users, &caller.actor, state.clock.now())
        .await;
    // Users who joined or left have a new scope.
    state.auth.sessions.invalidate_all();
    result.map_err(|e| body_reference(e, "user", "user_ids"))?;
    Ok(Json(group_detail(&state, &caller.scope, id).await?))
}

async fn group_detail(state: &AppState, scope: &Scope, id: GroupId) -> ApiResult<GroupDetailView> {
    let summary = state.store.get_group_summary(scope, id).await?;
    let members = state.store.group_members(id).await?;
    Ok(GroupDetailView {
        id: summary.group.id.get(),
        name: summary.group.name.as_str().to_owned(),
        description: summary.group.description,
        host_count: summary.host_count,
        user_count: summary.user_count,
        created_at: summary.created_at,
        host_ids: members.hosts.iter().map(|h| h.get()).collect(),
        user_ids: members.users.iter().map(|u| u.get()).collect(),
    })
}

fn group_name(raw: &str) -> ApiResult<Name> {
    Name::new(raw).map_err(|e| ApiError::invalid_field("name", e.to_string()))
}

fn check_description(description: &str) -> ApiResult<()> {
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(ApiError::invalid_field(
            "description",
            "must be at most 1000 characters",
        ));
    }
    Ok(())
}

fn name_taken(err: StoreError, name: &Name) -> ApiError {
    match err {
        StoreError::Conflict { .. } => ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!("A group named {name} already exists."),
        ),
        other => other.into(),
    }
}

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_groups, create_group))
        .routes(routes!(get_group, update_group, delete_group))
        .routes(routes!(set_group_hosts))
        .routes(routes!(set_group_users))
}
