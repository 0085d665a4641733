//! Hosts: register, list, detail, patches and packages from the last poll, delete, refresh,
//! recent jobs and group membership.
//!
//! Everything here is host-scoped: a host outside the caller's groups answers 404 exactly like
//! a missing one, whatever the operation.

use std::time::Duration as StdDuration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use lpm_core::agent::{AvailablePatch, InstalledPackage, Severity};
use lpm_core::ids::{GroupId, HostId};
use lpm_core::job::{JobHostState, JobKind, JobOptions, JobState, Schedule};
use lpm_core::model::{Host, HostAddress, HostStatus, PackageManager};
use lpm_core::net::{Fqdn, Port, parse_ip};
use lpm_store::fleet::{HostQuery, HostSort};
use lpm_store::hostdata::{HealthSnapshot, HostDetail};
use lpm_store::jobs::{HostJob, JobTarget, NewJob};
use lpm_store::{PageRequest, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{
    ApiPath, Caller, PageParams, Paged, body_reference, id_or_404, ids_or_422, parse_sort,
};
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiJson, ApiQuery, ApiResult, AppState};

/// How long a name lookup may take before the name counts as unresolvable.
pub const RESOLVE_TIMEOUT: StdDuration = StdDuration::from_secs(5);

/// A host as lists and details show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HostView {
    /// Its id.
    pub id: i64,
    /// Its DNS name, if registered by name.
    pub fqdn: Option<String>,
    /// Its address, if registered by address.
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

/// Updates available at the last patch poll.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PendingView {
    /// All available updates.
    pub patches: i64,
    /// Of which security updates.
    pub security: i64,
    /// Of which critical.
    pub critical: i64,
}

/// The last health poll of a host.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HealthView {
    /// When it ran.
    pub collected_at: DateTime<Utc>,
    /// The agent answered and said ok.
    pub ok: bool,
    /// Why not, when not.
    pub error: Option<String>,
    /// What the agent reported (version, uptime, checks).
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl From<HealthSnapshot> for HealthView {
    fn from(health: HealthSnapshot) -> Self {
        Self {
            collected_at: health.collected_at,
            ok: health.ok,
            error: health.error,
            details: health.details,
        }
    }
}

/// A host with what the last polls found: the host detail page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HostDetailView {
    /// The host.
    #[serde(flatten)]
    pub host: HostView,
    /// Short host name reported by the agent.
    pub hostname: Option<String>,
    /// os-release `ID`.
    pub os_id: Option<String>,
    /// os-release `VERSION_ID`.
    pub os_version: Option<String>,
    /// Running kernel.
    pub kernel: Option<String>,
    /// CPU architecture.
    pub arch: Option<String>,
    /// Agent version.
    pub agent_version: Option<String>,
    /// A reboot is pending.
    pub reboot_required: bool,
    /// Last boot.
    pub last_boot_at: Option<DateTime<Utc>>,
    /// Last successful health poll.
    pub last_health_at: Option<DateTime<Utc>>,
    /// Last successful patch poll.
    pub last_patch_poll_at: Option<DateTime<Utc>>,
    /// Updates available at the last patch poll.
    pub pending: PendingView,
    /// The last health poll, once there was one.
    pub health: Option<HealthView>,
}

impl HostDetailView {
    fn new(detail: HostDetail, health: Option<HealthSnapshot>) -> Self {
        Self {
            host: detail.host.into(),
            hostname: detail.hostname,
            os_id: detail.os_id,
            os_version: detail.os_version,
            kernel: detail.kernel,
            arch: detail.arch,
            agent_version: detail.agent_version,
            reboot_required: detail.reboot_required,
            last_boot_at: detail.last_boot_at,
            last_health_at: detail.last_health_at,
            last_patch_poll_at: detail.last_patch_poll_at,
            pending: PendingView {
                patches: detail.pending_patches,
                security: detail.pending_security,
                critical: detail.pending_critical,
            },
            health: health.map(HealthView::from),
        }
    }
}

/// An update a host could apply, from the last patch poll.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PatchView {
    /// Package name.
    pub package: String,
    /// Installed version.
    pub current_version: String,
    /// Version the update brings.
    pub available_version: String,
    /// Architecture.
    pub arch: String,
    /// A security update.
    pub security: bool,
    /// Severity.
    pub severity: Severity,
    /// Advisory ids (USN, RHSA, SUSE-SU ...).
    pub advisories: Vec<String>,
    /// CVE ids.
    pub cves: Vec<String>,
    /// Applying it needs a reboot.
    pub reboot_required: bool,
}

impl From<AvailablePatch> for PatchView {
    fn from(p: AvailablePatch) -> Self {
        Self {
            package: p.package,
            current_version: p.current_version,
            available_version: p.available_version,
            arch: p.arch,
            security: p.security,
            severity: p.severity,
            advisories: p.advisories,
            cves: p.cves,
            reboot_required: p.reboot_required,
        }
    }
}

/// An installed package, from the last package poll.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PackageView {
    /// Name.
    pub name: String,
    /// Installed version.
    pub version: String,
    /// Architecture.
    pub arch: String,
}

impl From<InstalledPackage> for PackageView {
    fn from(p: InstalledPackage) -> Self {
        Self {
            name: p.name,
            version: p.version,
            arch: p.arch,
        }
    }
}

/// A job as it touched one host.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HostJobView {
    /// The job's id.
    pub job_id: i64,
    /// What the job does.
    pub kind: JobKind,
    /// When it runs.
    pub schedule: Schedule,
    /// The state of the whole job.
    pub job_state: JobState,
    /// How many hosts the job covers.
    pub job_host_count: i64,
    /// Who created it (absent for the system, or a deleted user).
    pub created_by: Option<i64>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// The state of this host's part.
    pub state: JobHostState,
    /// When this host's part becomes due (absent while waiting for a window).
    pub due_at: Option<DateTime<Utc>>,
    /// Why it waits.
    pub waiting_reason: Option<String>,
    /// Percent done.
    pub progress: i64,
    /// The last error.
    pub error: Option<String>,
    /// The host needs a reboot afterwards.
    pub reboot_required: bool,
    /// When it started on the agent.
    pub started_at: Option<DateTime<Utc>>,
    /// When it finished.
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<HostJob> for HostJobView {
    fn from(HostJob { job, row }: HostJob) -> Self {
        Self {
            job_id: job.id.get(),
            kind: job.kind,
            schedule: job.schedule,
            job_state: job.state,
            job_host_count: job.host_count,
            created_by: job.created_by.map(|u| u.get()),
            created_at: job.created_at,
            state: row.state,
            due_at: row.due_at,
            waiting_reason: row.waiting_reason,
            progress: row.progress,
            error: row.error,
            reboot_required: row.reboot_required,
            started_at: row.started_at,
            finished_at: row.finished_at,
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

/// Filters and order of a host's patches.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PatchFilters {
    /// Only patches of this severity.
    pub severity: Option<Severity>,
    /// Only security (`true`) or other (`false`) updates.
    pub security: Option<bool>,
    /// Only packages whose name contains this text.
    pub search: Option<String>,
    /// `package` or `severity` (most severe first); a leading `-` sorts descending.
    pub sort: Option<String>,
}

/// Filters of a host's packages.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PackageFilters {
    /// Only packages whose name contains this text.
    pub search: Option<String>,
    /// `name`; a leading `-` sorts descending.
    pub sort: Option<String>,
}

/// A host to register: a name, an address, or both.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateHost {
    /// Its DNS name; without `ip` it must resolve.
    #[schema(example = "web-01.example.com")]
    pub fqdn: Option<String>,
    /// Its address (IPv4 or IPv6); the manager connects here when given.
    #[schema(example = "192.0.2.10")]
    pub ip: Option<String>,
    /// The agent's port (default 12443).
    #[schema(minimum = 1, maximum = 65535, default = 12443)]
    pub port: Option<u16>,
    /// Ids of its groups; an operator may name only their own (or none: ungrouped).
    #[serde(default)]
    pub groups: Vec<i64>,
}

/// The complete list of a host's groups.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HostGroups {
    /// Group ids (empty: ungrouped); an operator may name only their own.
    pub group_ids: Vec<i64>,
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

/// Registers a host. A name given without an address must resolve; the worker then checks the
/// agent (the host is `pending` until it answers).
#[utoipa::path(
    post,
    path = "/api/v1/hosts",
    tag = "hosts",
    operation_id = "create_host",
    request_body = CreateHost,
    responses(
        (status = 201, description = "The registered host", body = HostView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 409, description = "A host with this name, or address and port, exists", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "An invalid field (fqdn, ip, port, groups), or `unresolvable_host`", body = ErrorBody),
    )
)]
pub async fn create_host(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateHost>,
) -> ApiResult<(StatusCode, Json<HostView>)> {
    let fqdn = body
        .fqdn
        .as_deref()
        .map(|f| Fqdn::new(f).map_err(|e| ApiError::invalid_field("fqdn", e.to_string())))
        .transpose()?;
    let ip = body
        .ip
        .as_deref()
        .map(|ip| parse_ip(ip).map_err(|e| ApiError::invalid_field("ip", e.to_string())))
        .transpose()?;
    let port = Port::new(body.port.unwrap_or(Port::default().get()))
        .map_err(|e| ApiError::invalid_field("port", e.to_string()))?;
    let address = HostAddress::new(fqdn, ip, port)
        .map_err(|_| ApiError::invalid_field("fqdn", "give an FQDN, an IP address, or both"))?;
    let groups = ids_or_422(&body.groups, "groups", GroupId::new)?;
    if let Some(group) = groups.iter().find(|g| !caller.scope.reaches_group(**g)) {
        return Err(ApiError::invalid_field(
            "groups",
            format!("group {group} does not exist or is not one of yours"),
        ));
    }
    // With an address the manager connects there and checks the name against the agent's
    // certificate, so the name need not resolve from here; without one it must.
    if let (Some(fqdn), None) = (address.fqdn(), address.ip())
        && let Err(reason) = resolves(fqdn.as_str(), port.get()).await
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unresolvable_host",
            format!(
                "{fqdn} does not resolve ({reason}); fix its DNS entry or give its IP address too."
            ),
        )
        .with_details(serde_json::json!({ "fields": { "fqdn": reason } })));
    }
    let host = state
        .store
        .create_host(
            &caller.scope,
            &address,
            &groups,
            &caller.actor,
            state.clock.now(),
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict { .. } => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                "A host with this name, or with this address and port, is already registered.",
            ),
            other => body_reference(other, "group", "groups"),
        })?;
    Ok((StatusCode::CREATED, Json(host.into())))
}

/// Whether `name` resolves to at least one address, within [`RESOLVE_TIMEOUT`]; the reason
/// when not.
pub async fn resolves(name: &str, port: u16) -> Result<(), String> {
    match tokio::time::timeout(RESOLVE_TIMEOUT, tokio::net::lookup_host((name, port))).await {
        Ok(Ok(mut addresses)) => match addresses.next() {
            Some(_) => Ok(()),
            None => Err("no addresses".to_owned()),
        },
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer within {} s", RESOLVE_TIMEOUT.as_secs())),
    }
}

/// One host the caller can reach, with what the last polls found.
#[utoipa::path(
    get,
    path = "/api/v1/hosts/{id}",
    tag = "hosts",
    operation_id = "get_host",
    params(("id" = i64, Path, description = "Host id")),
    responses(
        (status = 200, description = "The host", body = HostDetailView),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such host in the caller's scope", body = ErrorBody),
    )
)]
pub async fn get_host(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<HostDetailView>> {
    let id = id_or_404(id, "host", HostId::new)?;
    let detail = state.store.get_host_detail(&caller.scope, id).await?;
    let health = state.store.latest_health(&caller.scope, id).await?;
    Ok(Json(HostDetailView::new(detail, health)))
}

/// Deletes a host with its snapshots, windows and job rows.
#[utoipa::path(
    delete,
    path = "/api/v1/hosts/{id}",
    tag = "hosts",
    operation_id = "delete_host",
    params(("id" = i64, Path, description = "Host id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such host in the caller's scope", body = ErrorBody),
    )
)]
pub async fn delete_host(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let id = id_or_404(id, "host", HostId::new)?;
    state
        .store
        .delete_host(&caller.scope, id, &caller.actor, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The updates a host could apply, as its last patch poll found them (an empty page before
/// the first poll).
#[utoipa::path(
    get,
    path = "/api/v1/hosts/{id}/patches",
    tag = "hosts",
    operation_id = "list_host_patches",
    params(("id" = i64, Path, description = "Host id"), PageParams, PatchFilters),
    responses(
        (status = 200, description = "A page of available updates", body = Paged<PatchView>),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such host in the caller's scope", body = ErrorBody),
        (status = 422, description = "A bad filter or page", body = ErrorBody),
    )
)]
pub async fn list_host_patches(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(paging): ApiQuery<PageParams>,
    ApiQuery(filters): ApiQuery<PatchFilters>,
) -> ApiResult<Json<Paged<PatchView>>> {
    let id = id_or_404(id, "host", HostId::new)?;
    let (by_severity, direction) = parse_sort(
        filters.sort.as_deref(),
        "package, severity",
        |field| match field {
            "package" => Some(false),
            "severity" => Some(true),
            _ => None,
        },
    )?;
    let paging = paging.request()?;
    let report = state.store.latest_patches(&caller.scope, id).await?;
    let needle = filters.search.as_deref().map(str::to_lowercase);
    let mut patches: Vec<AvailablePatch> = report
        .map(|(_, report)| report.patches)
        .unwrap_or_default()
        .into_iter()
        .filter(|p| filters.severity.is_none_or(|s| p.severity == s))
        .filter(|p| filters.security.is_none_or(|s| p.security == s))
        .filter(|p| {
            needle
                .as_deref()
                .is_none_or(|n| p.package.to_lowercase().contains(n))
        })
        .collect();
    patches.sort_by(|a, b| {
        let order = if by_severity {
            a.severity.cmp(&b.severity)
        } else {
            std::cmp::Ordering::Equal
        };
        order.then_with(|| a.package.cmp(&b.package))
    });
    if direction == lpm_store::Direction::Descending {
        patches.reverse();
    }
    Ok(Json(page_of(patches, paging, PatchView::from)))
}

/// The packages installed on a host, as its last package poll found them (an empty page
/// before the first poll).
#[utoipa::path(
    get,
    path = "/api/v1/hosts/{id}/packages",
    tag = "hosts",
    operation_id = "list_host_packages",
    params(("id" = i64, Path, description = "Host id"), PageParams, PackageFilters),
    responses(
        (status = 200, description = "A page of installed packages", body = Paged<PackageView>),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such host in the caller's scope", body = ErrorBody),
        (status = 422, description = "A bad filter or page", body = ErrorBody),
    )
)]
pub async fn list_host_packages(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(paging): ApiQuery<PageParams>,
    ApiQuery(filters): ApiQuery<PackageFilters>,
) -> ApiResult<Json<Paged<PackageView>>> {
    let id = id_or_404(id, "host", HostId::new)?;
    let ((), direction) = parse_sort(filters.sort.as_deref(), "name", |field| {
        (field == "name").then_some(())
    })?;
    let paging = paging.request()?;
    let snapshot = state.store.latest_packages(&caller.scope, id).await?;
    let needle = filters.search.as_deref().map(str::to_lowercase);
    let mut packages: Vec<InstalledPackage> = snapshot
        .map(|(_, packages)| packages)
        .unwrap_or_default()
        .into_iter()
        .filter(|p| {
            needle
                .as_deref()
                .is_none_or(|n| p.name.to_lowercase().contains(n))
        })
        .collect();
    packages.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.arch.cmp(&b.arch)));
    if direction == lpm_store::Direction::Descending {
        packages.reverse();
    }
    Ok(Json(page_of(packages, paging, PackageView::from)))
}

/// One page of a list held in memory (a poll's snapshot).
fn page_of<T, V>(items: Vec<T>, paging: PageRequest, view: impl FnMut(T) -> V) -> Paged<V> {
    let total = items.len();
    let per_page = paging.per_page() as usize;
    let skip = (paging.page() as usize - 1).saturating_mul(per_page);
    Paged {
        items: items
            .into_iter()
            .skip(skip)
            .take(per_page)
            .map(view)
            .collect(),
        total: i64::try_from(total).unwrap_or(i64::MAX),
        page: paging.page(),
        per_page: paging.per_page(),
    }
}

/// Asks for a fresh poll of the host (health, system info, patches, packages) now: creates an
/// immediate `refresh` job, which a worker runs.
#[utoipa::path(
    post,
    path = "/api/v1/hosts/{id}/refresh",
    tag = "hosts",
    operation_id = "refresh_host",
    params(("id" = i64, Path, description = "Host id")),
    responses(
        (status = 202, description = "The refresh job, queued", body = HostJobView),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such host in the caller's scope", body = ErrorBody),
    )
)]
pub async fn refresh_host(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<(StatusCode, Json<HostJobView>)> {
    let id = id_or_404(id, "host", HostId::new)?;
    let now = state.clock.now();
    let job = NewJob {
        kind: JobKind::Refresh,
        schedule: Schedule::Immediate,
        options: JobOptions::default(),
        parent: None,
        targets: vec![JobTarget {
            host: id,
            due_at: Some(now),
            waiting_reason: None,
        }],
    };
    let job = state
        .store
        .create_job(&caller.scope, &job, &caller.actor, now)
        .await?;
    let mut detail = state.store.get_job(&caller.scope, job).await?;
    let row = detail
        .hosts
        .pop()
        .ok_or_else(|| ApiError::internal(format!("refresh job {job} has no host row")))?;
    let view = HostJobView::from(HostJob {
        job: detail.job,
        row,
    });
    Ok((StatusCode::ACCEPTED, Json(view)))
}

/// The jobs that touched a host, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/hosts/{id}/jobs",
    tag = "hosts",
    operation_id = "list_host_jobs",
    params(("id" = i64, Path, description = "Host id"), PageParams),
    responses(
        (status = 200, description = "A page of the host's jobs", body = Paged<HostJobView>),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such host in the caller's scope", body = ErrorBody),
        (status = 422, description = "A bad page", body = ErrorBody),
    )
)]
pub async fn list_host_jobs(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(paging): ApiQuery<PageParams>,
) -> ApiResult<Json<Paged<HostJobView>>> {
    let id = id_or_404(id, "host", HostId::new)?;
    let page = state
        .store
        .list_host_jobs(&caller.scope, id, paging.request()?)
        .await?;
    Ok(Json(Paged::from_page(page, HostJobView::from)))
}

/// Replaces a host's groups. An operator may move a host only between their own groups (or
/// make it ungrouped), and not out of a group they do not hold.
#[utoipa::path(
    put,
    path = "/api/v1/hosts/{id}/groups",
    tag = "hosts",
    operation_id = "set_host_groups",
    params(("id" = i64, Path, description = "Host id")),
    request_body = HostGroups,
    responses(
        (status = 200, description = "The host with its new groups", body = HostView),
        (status = 400, description = "The body is not JSON, or the id not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "The host is also in a group the operator does not hold", body = ErrorBody),
        (status = 404, description = "No such host in the caller's scope", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "A group that does not exist or is not the caller's", body = ErrorBody),
    )
)]
pub async fn set_host_groups(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<HostGroups>,
) -> ApiResult<Json<HostView>> {
    let id = id_or_404(id, "host", HostId::new)?;
    // The host first: a host out of scope is a 404 whatever the body says.
    let host = state.store.get_host(&caller.scope, id).await?;
    let mut groups = ids_or_422(&body.group_ids, "group_ids", GroupId::new)?;
    groups.sort_unstable();
    groups.dedup();
    if let Some(group) = groups.iter().find(|g| !caller.scope.reaches_group(**g)) {
        return Err(ApiError::invalid_field(
            "group_ids",
            format!("group {group} does not exist or is not one of yours"),
        ));
    }
    if host.groups.iter().any(|g| !caller.scope.reaches_group(*g)) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "The host is also in a group you do not belong to; ask an admin to change its groups.",
        ));
    }
    state
        .store
        .set_host_groups(&caller.scope, id, &groups, &caller.actor, state.clock.now())
        .await
        .map_err(|e| body_reference(e, "group", "group_ids"))?;
    let host = state.store.get_host(&caller.scope, id).await?;
    Ok(Json(host.into()))
}

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_hosts, create_host))
        .routes(routes!(get_host, delete_host))
        .routes(routes!(list_host_patches))
        .routes(routes!(list_host_packages))
        .routes(routes!(refresh_host))
        .routes(routes!(list_host_jobs))
        .routes(routes!(set_host_groups))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn a_name_in_the_hosts_file_resolves_and_a_reserved_one_does_not() {
        assert_eq!(resolves("localhost", 12443).await, Ok(()));
        // RFC 6761: `.invalid` names never resolve.
        let refused = resolves("no-such-host.invalid", 12443).await;
        assert!(refused.is_err(), "{refused:?}");
    }
}
