//! Hosts: register, list, detail, patches and packages from the last poll, delete, refresh.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use lpm_core::ids::{GroupId, HostId};
use lpm_core::model::{Host, HostStatus, PackageManager};
use lpm_store::fleet::{HostQuery, HostSort};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::id_or_404;
use super::{Caller, PageParams, Paged, parse_sort};
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiPath, ApiQuery, ApiResult, AppState};

/// A host as lists and details show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HostView {
    /// Its id.
    pub id: i64,
    /// Its DNS name, if registered by name.
    pub fqdn: Option<String>,
    /// Its address, if registered (or resolved) by address.
    pub ip: Option<String>,
    /// The agent's port.
    pub port: u16,
    /// Health as last seen.
    pub status: HostStatus,
    /// Operating system, once polled.
    pub os_name: Option<String>,
    /// Package manager, once polled.
    pub package_manager: Option<PackageManager>,
    /// Ids of its groups (empty: ungrouped).
    pub groups: Vec<i64>,
    /// When the agent last answered.
    pub last_seen_at: Option<DateTime<Utc>>,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
}

impl From<Host> for HostView {
    fn from(host: Host) -> Self {
        Self {
            id: host.id.get(),
            fqdn: host.address.fqdn().map(|f| f.as_str().to_owned()),
            ip: host.address.ip().map(|ip| ip.to_string()),
            port: host.address.port().get(),
            status: host.status,
            os_name: host.os_name,
            package_manager: host.package_manager,
            groups: host.groups.iter().map(|g| g.get()).collect(),
            last_seen_at: host.last_seen_at,
            created_at: host.created_at,
        }
    }
}

/// Filters and order of the host list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HostFilters {
    /// Only hosts with this status.
    pub status: Option<HostStatus>,
    /// Only members of this group.
    pub group: Option<i64>,
    /// Only hosts whose OS name contains this text.
    pub os: Option<String>,
    /// Only hosts whose name or address contains this text.
    pub search: Option<String>,
    /// `name`, `status`, `last_seen` or `created`; a leading `-` sorts descending.
    pub sort: Option<String>,
}

/// Lists the hosts the caller can reach.
#[utoipa::path(
    get,
    path = "/api/v1/hosts",
    tag = "hosts",
    operation_id = "list_hosts",
    params(PageParams, HostFilters),
    responses(
        (status = 200, description = "A page of hosts", body = Paged<HostView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "A bad filter or page", body = ErrorBody),
    )
)]
pub async fn list_hosts(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(paging): ApiQuery<PageParams>,
    ApiQuery(filters): ApiQuery<HostFilters>,
) -> ApiResult<Json<Paged<HostView>>> {
    let (sort, direction) = parse_sort(
        filters.sort.as_deref(),
        "name, status, last_seen, created",
        |field| match field {
            "name" => Some(HostSort::Name),
            "status" => Some(HostSort::Status),
            "last_seen" => Some(HostSort::LastSeen),
            "created" => Some(HostSort::Created),
            _ => None,
        },
    )?;
    let query = HostQuery {
        status: filters.status,
        group: filters
            .group
            .map(|g| GroupId::new(g).map_err(|e| ApiError::invalid_field("group", e.to_string())))
            .transpose()?,
        os: filters.os,
        search: filters.search,
        sort,
        direction,
    };
    let page = state
        .store
        .list_hosts(&caller.scope, &query, paging.request()?)
        .await?;
    Ok(Json(Paged::from_page(page, HostView::from)))
}

/// One host the caller can reach.
#[utoipa::path(
    get,
    path = "/api/v1/hosts/{id}",
    tag = "hosts",
    operation_id = "get_host",
    params(("id" = i64, Path, description = "Host id")),
    responses(
        (status = 200, description = "The host", body = HostView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such host in the caller's scope", body = ErrorBody),
    )
)]
pub async fn get_host(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<HostView>> {
    let id = id_or_404(id, "host", HostId::new)?;
    let host = state.store.get_host(&caller.scope, id).await?;
    Ok(Json(host.into()))
}

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_hosts))
        .routes(routes!(get_host))
}
