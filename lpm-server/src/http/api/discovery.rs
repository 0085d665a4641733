//! Discovery (SDD §6.2): request a CIDR scan for agents, follow its progress, cancel it, review
//! what it found and register the selected agents as hosts.
//!
//! Every operation is admin-only: a scan probes whole networks from the manager and its results
//! map them, which is beyond what an operator's group scope covers, and SDD §6.2 gives scans to
//! the admin. The API only records the request (the store wakes a worker through
//! `discovery_enqueued`); the worker scans and writes progress and results.

use std::collections::HashSet;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use lpm_core::ids::{DiscoveryId, GroupId};
use lpm_core::net::{Cidr, Port};
use lpm_store::discovery::{DiscoveryQuery, DiscoveryResult, DiscoveryRun};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiPath, body_reference, id_or_404, ids_or_422};
use super::{Caller, PageParams, Paged, parse_sort};
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiJson, ApiQuery, ApiResult, AppState};

/// The most results one registration may name.
pub const MAX_REGISTER: usize = 1_000;

/// Where a scan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DiscoveryState {
    /// Waiting for a worker.
    Queued,
    /// Being scanned.
    Running,
    /// Every address was probed.
    Succeeded,
    /// The scan stopped on an error.
    Failed,
    /// Cancelled by an admin.
    Cancelled,
}

impl DiscoveryState {
    fn as_str(self) -> &'static str {
        match self {
            DiscoveryState::Queued => "queued",
            DiscoveryState::Running => "running",
            DiscoveryState::Succeeded => "succeeded",
            DiscoveryState::Failed => "failed",
            DiscoveryState::Cancelled => "cancelled",
        }
    }

    fn parse(raw: &str) -> ApiResult<Self> {
        [
            DiscoveryState::Queued,
            DiscoveryState::Running,
            DiscoveryState::Succeeded,
            DiscoveryState::Failed,
            DiscoveryState::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
        .ok_or_else(|| ApiError::internal(format!("stored discovery state {raw:?}")))
    }
}

/// A scan and its progress.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DiscoveryView {
    /// Its id.
    pub id: i64,
    /// The range scanned.
    pub cidr: String,
    /// The agent port probed.
    pub port: i64,
    /// Where it stands.
    pub state: DiscoveryState,
    /// Addresses probed so far.
    pub probed: i64,
    /// Addresses to probe.
    pub total: i64,
    /// Agents found so far.
    pub found: i64,
    /// When it was requested.
    pub created_at: DateTime<Utc>,
    /// When it finished.
    pub finished_at: Option<DateTime<Utc>>,
    /// Why it failed.
    pub error: Option<String>,
}

impl TryFrom<DiscoveryRun> for DiscoveryView {
    type Error = ApiError;
    fn try_from(run: DiscoveryRun) -> ApiResult<Self> {
        Ok(Self {
            id: run.id,
            cidr: run.cidr,
            port: run.port,
            state: DiscoveryState::parse(&run.state)?,
            probed: run.done,
            total: run.total,
            found: run.found,
            created_at: run.created_at,
            finished_at: run.finished_at,
            error: run.error,
        })
    }
}

/// An agent a scan found.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DiscoveryResultView {
    /// Its id (what registration names).
    pub id: i64,
    /// Its address.
    pub ip: String,
    /// Its port.
    pub port: i64,
    /// The name it reported, if any.
    pub fqdn: Option<String>,
    /// Its agent version.
    pub agent_version: Option<String>,
    /// The host it already is: the one it was registered as from a scan, else the host at
    /// its address and port or under its name (registered by hand or from another scan);
    /// null while it is no host.
    pub registered_host_id: Option<i64>,
}

impl From<DiscoveryResult> for DiscoveryResultView {
    fn from(r: DiscoveryResult) -> Self {
        Self {
            id: r.id,
            ip: r.ip,
            port: r.port,
            fqdn: r.fqdn,
            agent_version: r.agent_version,
            registered_host_id: r.registered_host_id,
        }
    }
}

/// A scan to start.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDiscoveryRequest {
    /// The range, e.g. `10.20.0.0/22`; at most a /16 (65,536 addresses).
    pub cidr: String,
    /// The agent port to probe (default 12443).
    #[serde(default)]
    pub port: Option<u16>,
}

/// Results to register as hosts.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// Result ids of this scan (duplicates are ignored), at most 1,000.
    pub result_ids: Vec<i64>,
    /// Groups to put the new hosts in (default: none).
    #[serde(default)]
    pub groups: Vec<i64>,
}

/// What registering one result did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationOutcome {
    /// A new host was created.
    Registered,
    /// The agent was already a host (registered before from a scan, or by hand); it was not
    /// created again, nor moved to the groups named.
    AlreadyRegistered,
}

/// One registered result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegistrationView {
    /// The result.
    pub result_id: i64,
    /// The host it is registered as.
    pub host_id: i64,
    /// Whether it was created now.
    pub outcome: RegistrationOutcome,
}

/// What a registration did, result by result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegisterView {
    /// One entry per result named, in id order.
    pub results: Vec<RegistrationView>,
}

/// Filters and order of the scan list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiscoveryFilters {
    /// Only scans in this state.
    pub state: Option<DiscoveryState>,
    /// `created` (oldest first) or `-created` (newest first, the default).
    pub sort: Option<String>,
}

/// Filters of a scan's results.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultFilters {
    /// Only results that are a host already (`true`, see `registered_host_id`) or not yet
    /// (`false`).
    pub registered: Option<bool>,
}

fn discovery_id(raw: i64) -> ApiResult<DiscoveryId> {
    id_or_404(raw, "discovery", DiscoveryId::new)
}

/// Starts a scan of a CIDR range for agents.
#[utoipa::path(
    post,
    path = "/api/v1/discovery/cidr",
    tag = "discovery",
    operation_id = "create_discovery",
    request_body = CreateDiscoveryRequest,
    responses(
        (status = 202, description = "The scan, queued for a worker", body = DiscoveryView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "Not a CIDR range, larger than a /16, or port 0", body = ErrorBody),
    )
)]
pub async fn create_discovery(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<CreateDiscoveryRequest>,
) -> ApiResult<(StatusCode, Json<DiscoveryView>)> {
    let admin = caller.require_admin()?;
    let cidr =
        Cidr::new(&request.cidr).map_err(|e| ApiError::invalid_field("cidr", e.to_string()))?;
    let port = match request.port {
        None => Port::AGENT_DEFAULT,
        Some(p) => Port::new(p).map_err(|e| ApiError::invalid_field("port", e.to_string()))?,
    };
    let id = state
        .store
        .create_discovery(&admin, &cidr, port, &caller.actor, state.clock.now())
        .await?;
    let run = state.store.get_discovery_run(id).await?;
    Ok((StatusCode::ACCEPTED, Json(run.try_into()?)))
}

/// Lists scans.
#[utoipa::path(
    get,
    path = "/api/v1/discovery",
    tag = "discovery",
    operation_id = "list_discoveries",
    params(PageParams, DiscoveryFilters),
    responses(
        (status = 200, description = "A page of scans", body = Paged<DiscoveryView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither an admin nor an auditor", body = ErrorBody),
        (status = 422, description = "A bad filter or page", body = ErrorBody),
    )
)]
pub async fn list_discoveries(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(paging): ApiQuery<PageParams>,
    ApiQuery(filters): ApiQuery<DiscoveryFilters>,
) -> ApiResult<Json<Paged<DiscoveryView>>> {
    caller.require_read_all()?;
    let oldest_first = match filters.sort.as_deref() {
        None => false,
        raw => {
            let ((), direction) =
                parse_sort(raw, "created", |field| (field == "created").then_some(()))?;
            direction == lpm_store::Direction::Ascending
        }
    };
    let query = DiscoveryQuery {
        state: filters.state.map(|s| s.as_str().to_owned()),
        oldest_first,
    };
    let page = state
        .store
        .list_discoveries(&query, paging.request()?)
        .await?;
    Ok(Json(Paged::try_from_page(page, DiscoveryView::try_from)?))
}

/// One scan and its progress.
#[utoipa::path(
    get,
    path = "/api/v1/discovery/{id}",
    tag = "discovery",
    operation_id = "get_discovery",
    params(("id" = i64, Path, description = "Scan id")),
    responses(
        (status = 200, description = "The scan", body = DiscoveryView),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither an admin nor an auditor", body = ErrorBody),
        (status = 404, description = "No such scan", body = ErrorBody),
    )
)]
pub async fn get_discovery(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DiscoveryView>> {
    caller.require_read_all()?;
    let run = state.store.get_discovery_run(discovery_id(id)?).await?;
    Ok(Json(run.try_into()?))
}

/// Cancels a queued or running scan; what it found so far stays.
#[utoipa::path(
    post,
    path = "/api/v1/discovery/{id}/cancel",
    tag = "discovery",
    operation_id = "cancel_discovery",
    params(("id" = i64, Path, description = "Scan id")),
    responses(
        (status = 200, description = "The cancelled scan", body = DiscoveryView),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such scan", body = ErrorBody),
        (status = 409, description = "The scan has finished (`discovery_finished`)", body = ErrorBody),
    )
)]
pub async fn cancel_discovery(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DiscoveryView>> {
    let admin = caller.require_admin()?;
    let id = discovery_id(id)?;
    match state
        .store
        .cancel_discovery(&admin, id, &caller.actor, state.clock.now())
        .await
    {
        Ok(()) => {}
        Err(lpm_store::StoreError::Conflict { .. }) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "discovery_finished",
                "The scan has already finished.",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    let run = state.store.get_discovery_run(id).await?;
    Ok(Json(run.try_into()?))
}

/// The agents a scan found, in the order found.
#[utoipa::path(
    get,
    path = "/api/v1/discovery/{id}/results",
    tag = "discovery",
    operation_id = "list_discovery_results",
    params(("id" = i64, Path, description = "Scan id"), PageParams, ResultFilters),
    responses(
        (status = 200, description = "A page of results", body = Paged<DiscoveryResultView>),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither an admin nor an auditor", body = ErrorBody),
        (status = 404, description = "No such scan", body = ErrorBody),
        (status = 422, description = "A bad filter or page", body = ErrorBody),
    )
)]
pub async fn list_discovery_results(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(paging): ApiQuery<PageParams>,
    ApiQuery(filters): ApiQuery<ResultFilters>,
) -> ApiResult<Json<Paged<DiscoveryResultView>>> {
    caller.require_read_all()?;
    let page = state
        .store
        .list_discovery_results(discovery_id(id)?, filters.registered, paging.request()?)
        .await?;
    Ok(Json(Paged::from_page(page, DiscoveryResultView::from)))
}

/// Registers selected results as hosts, each as `POST /api/v1/hosts` would (audited, and a
/// worker checks it at once). A result already registered, or whose address or name is
/// already a host, is reported as such and not created again.
#[utoipa::path(
    post,
    path = "/api/v1/discovery/{id}/register",
    tag = "discovery",
    operation_id = "register_discovery_results",
    params(("id" = i64, Path, description = "Scan id")),
    request_body = RegisterRequest,
    responses(
        (status = 200, description = "What happened to each result", body = RegisterView),
        (status = 400, description = "The body is not JSON, or the id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such scan", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "No result named, too many, one that is not this scan's, or a group that does not exist; nothing was registered", body = ErrorBody),
    )
)]
pub async fn register_discovery_results(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<RegisterRequest>,
) -> ApiResult<Json<RegisterView>> {
    let admin = caller.require_admin()?;
    let id = discovery_id(id)?;
    if request.result_ids.is_empty() {
        return Err(ApiError::invalid_field(
            "result_ids",
            "name at least one result",
        ));
    }
    let mut results = request.result_ids.clone();
    results.sort_unstable();
    results.dedup();
    if results.len() > MAX_REGISTER {
        return Err(ApiError::invalid_field(
            "result_ids",
            format!("at most {MAX_REGISTER} results at once"),
        ));
    }
    // Check everything named before registering anything.
    let groups = ids_or_422(&request.groups, "groups", GroupId::new)?;
    let known: HashSet<GroupId> = state
        .store
        .list_groups()
        .await?
        .into_iter()
        .map(|g| g.id)
        .collect();
    if let Some(missing) = groups.iter().find(|g| !known.contains(g)) {
        return Err(ApiError::invalid_field(
            "groups",
            format!("{missing}: no such group"),
        ));
    }
    state
        .store
        .discovery_results(id, &results)
        .await
        .map_err(|e| body_reference(e, "discovery result", "result_ids"))?;
    let mut done = Vec::with_capacity(results.len());
    for result in results {
        let registration = state
            .store
            .register_discovery_result(
                &admin,
                id,
                result,
                &groups,
                &caller.actor,
                state.clock.now(),
            )
            .await?;
        done.push(RegistrationView {
            result_id: result,
            host_id: registration.host.get(),
            outcome: if registration.created {
                RegistrationOutcome::Registered
            } else {
                RegistrationOutcome::AlreadyRegistered
            },
        });
    }
    Ok(Json(RegisterView { results: done }))
}

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_discovery))
        .routes(routes!(list_discoveries))
        .routes(routes!(get_discovery))
        .routes(routes!(cancel_discovery))
        .routes(routes!(list_discovery_results))
        .routes(routes!(register_discovery_results))
}
