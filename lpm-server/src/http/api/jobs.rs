//! Jobs: create (queued or immediate), list, detail with per-host states, the event log, cancel
//! and rollback.
//!
//! The API only writes rows: the store wakes a worker (`job_enqueued`), and the worker reports
//! back into the same rows. A queued job's host row is due at its host's next maintenance
//! window (now, if one is open); a host without one is accepted and its row waits, saying why.
//! Admins and operators may create jobs; an operator names only hosts in their scope, and a
//! host out of scope is a 404 exactly like a missing one.

use std::collections::{BTreeMap, HashSet};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use lpm_core::agent::{ChangeAction, PackageChange};
use lpm_core::ids::{HostId, JobId, UserId};
use lpm_core::job::{
    JobHostState, JobKind, JobOptions, JobState, PackageSpec, RebootPolicy, Schedule,
};
use lpm_store::jobs::{
    JobDetail, JobEventRecord, JobHostRecord, JobQuery, JobSort, JobSummary, JobTarget, NewJob,
    RollbackPlan,
};
use lpm_store::windows::StoredWindow;
use lpm_store::{PageRequest, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiPath, id_or_404};
use super::{Caller, PageParams, Paged, parse_sort};
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiJson, ApiQuery, ApiResult, AppState};

/// The most hosts one job may name.
pub const MAX_JOB_HOSTS: usize = 10_000;

/// The most packages one job may name.
pub const MAX_JOB_PACKAGES: usize = 1_000;

/// How many of the newest events a job's detail carries.
pub const RECENT_EVENTS: u32 = 20;

/// When a job may start on each host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobMode {
    /// Now, regardless of maintenance windows.
    Immediate,
    /// At each host's next maintenance window (at once where one is open now).
    Queued,
}

impl From<Schedule> for JobMode {
    fn from(schedule: Schedule) -> Self {
        match schedule {
            Schedule::Immediate => JobMode::Immediate,
            Schedule::NextWindow => JobMode::Queued,
        }
    }
}

/// A package as a job names it: a name, or a name and an exact version (install only).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum PackageArg {
    /// Just the name (the newest version).
    Name(String),
    /// A name with an optional exact version.
    Pinned(PinnedPackage),
}

/// A package with an optional exact version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PinnedPackage {
    /// Package name.
    pub name: String,
    /// Exact version to install; absent: the newest.
    #[serde(default)]
    pub version: Option<String>,
}

/// A job to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateJobRequest {
    /// What to do. `rollback` is created with `POST /api/v1/jobs/{id}/rollback`; `refresh` is
    /// not a job people create here.
    pub kind: JobKind,
    /// The hosts (duplicates are ignored), at most 10,000.
    pub host_ids: Vec<i64>,
    /// Now, or at each host's next maintenance window.
    pub mode: JobMode,
    /// Packages: required for `install`, `update` and `remove`; for `apply_patches` a subset
    /// of the available updates (absent: all); not allowed for `reboot`. A `{name, version}`
    /// pins a version, for `install` only.
    #[serde(default)]
    pub packages: Vec<PackageArg>,
    /// Reboot after the change: `never` (default), `if_required` or `always`.
    #[serde(default)]
    pub reboot: Option<RebootPolicy>,
    /// Security updates only (`apply_patches` only).
    #[serde(default)]
    pub security_only: bool,
    /// Ask the agents what they would do, change nothing (not for `reboot`).
    #[serde(default)]
    pub dry_run: bool,
}

/// A package a job names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PackageView {
    /// Package name.
    pub name: String,
    /// Exact version, if pinned.
    pub version: Option<String>,
}

/// What the agents are asked to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct JobOptionsView {
    /// Packages named (empty: all available updates, for `apply_patches`).
    pub packages: Vec<PackageView>,
    /// Reboot behaviour.
    pub reboot: RebootPolicy,
    /// Security updates only.
    pub security_only: bool,
    /// Nothing is changed.
    pub dry_run: bool,
}

impl From<JobOptions> for JobOptionsView {
    fn from(options: JobOptions) -> Self {
        Self {
            packages: options
                .packages
                .into_iter()
                .map(|p| PackageView {
                    name: p.name,
                    version: p.version,
                })
                .collect(),
            reboot: options.reboot,
            security_only: options.security_only,
            dry_run: options.dry_run,
        }
    }
}

/// A job as lists show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobView {
    /// Its id.
    pub id: i64,
    /// What it does.
    pub kind: JobKind,
    /// Its state.
    pub state: JobState,
    /// Now, or at each host's window.
    pub mode: JobMode,
    /// What the agents are asked to do.
    pub options: JobOptionsView,
    /// For a rollback, the job it undoes.
    pub parent_id: Option<i64>,
    /// Who created it (`null`: the system, or a deleted user).
    pub created_by: Option<i64>,
    /// Their username.
    pub created_by_name: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When its first host started.
    pub started_at: Option<DateTime<Utc>>,
    /// When its last host finished.
    pub finished_at: Option<DateTime<Utc>>,
    /// How many hosts it covers (the caller may see fewer rows).
    pub host_count: i64,
}

impl From<JobSummary> for JobView {
    fn from(job: JobSummary) -> Self {
        Self {
            id: job.id.get(),
            kind: job.kind,
            state: job.state,
            mode: job.schedule.into(),
            options: job.options.into(),
            parent_id: job.parent.map(JobId::get),
            created_by: job.created_by.map(UserId::get),
            created_by_name: job.created_by_name,
            created_at: job.created_at,
            started_at: job.started_at,
            finished_at: job.finished_at,
            host_count: job.host_count,
        }
    }
}

/// A package change a job made on a host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PackageChangeView {
    /// Package name.
    pub package: String,
    /// Version before (none for an install).
    pub from: Option<String>,
    /// Version after (none for a removal).
    pub to: Option<String>,
    /// What happened.
    pub action: ChangeAction,
}

impl From<PackageChange> for PackageChangeView {
    fn from(change: PackageChange) -> Self {
        Self {
            package: change.package,
            from: change.from,
            to: change.to,
            action: change.action,
        }
    }
}

/// One host's row of a job.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobHostView {
    /// The row's id.
    pub id: i64,
    /// The host.
    pub host_id: i64,
    /// The host's name (FQDN, else address).
    pub host_name: Option<String>,
    /// The row's state. `dispatched` and `running` rows were sent to the agent: cancelling
    /// the job does not stop them.
    pub state: JobHostState,
    /// When the row becomes due: for a queued job, its host's next window opening.
    pub next_window_at: Option<DateTime<Utc>>,
    /// Why the row waits (e.g. the host has no maintenance window).
    pub waiting_reason: Option<String>,
    /// Attempts so far (each claim by a worker is one).
    pub attempts: i64,
    /// Retries after transient agent errors.
    pub retries: i64,
    /// In-window retries of a failed patch.
    pub patch_retries: i64,
    /// The agent's job id, once it accepted the work.
    pub agent_job_id: Option<String>,
    /// Percent done.
    pub progress: i64,
    /// The last error.
    pub error: Option<String>,
    /// Package changes made.
    pub changes: Vec<PackageChangeView>,
    /// The agent's last output lines.
    pub log_tail: Vec<String>,
    /// The host needs a reboot.
    pub reboot_required: bool,
    /// When it was first sent to the agent.
    pub started_at: Option<DateTime<Utc>>,
    /// When it finished.
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<JobHostRecord> for JobHostView {
    fn from(row: JobHostRecord) -> Self {
        Self {
            id: row.id.get(),
            host_id: row.host.get(),
            host_name: row.host_name,
            state: row.state,
            next_window_at: row.due_at,
            waiting_reason: row.waiting_reason,
            attempts: row.attempt,
            retries: row.retries,
            patch_retries: row.patch_retries,
            agent_job_id: row.agent_job_id,
            progress: row.progress,
            error: row.error,
            changes: row.changes.into_iter().map(Into::into).collect(),
            log_tail: row.log_tail,
            reboot_required: row.reboot_required,
            started_at: row.started_at,
            finished_at: row.finished_at,
        }
    }
}

/// Whether an event concerns the whole job or one host's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventLevel {
    /// The job itself.
    Job,
    /// One host's row.
    Host,
}

/// One entry of a job's event log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobEventView {
    /// Its id (the log's order).
    pub id: i64,
    /// Job or host level.
    pub level: EventLevel,
    /// The host row, for a host-level event.
    pub job_host_id: Option<i64>,
    /// The host, for a host-level event.
    pub host_id: Option<i64>,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The new state: a job state for job-level events, a host-row state otherwise.
    pub state: String,
    /// The row's attempt number at the time.
    pub attempt: i64,
    /// Why a row waits, what went wrong, or who acted.
    pub message: Option<String>,
}

impl From<JobEventRecord> for JobEventView {
    fn from(event: JobEventRecord) -> Self {
        Self {
            id: event.id,
            level: if event.job_host_id.is_some() {
                EventLevel::Host
            } else {
                EventLevel::Job
            },
            job_host_id: event.job_host_id,
            host_id: event.host_id,
            at: event.at,
            state: event.state,
            attempt: event.attempt,
            message: event.message,
        }
    }
}

/// A job with its host rows (those in the caller's scope) and its latest events.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobDetailView {
    /// The job.
    #[serde(flatten)]
    pub job: JobView,
    /// Its rows for hosts in the caller's scope.
    pub hosts: Vec<JobHostView>,
    /// The newest events (at most 20), newest first; the whole log is at `/events`.
    pub recent_events: Vec<JobEventView>,
}

/// What a cancel did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CancelView {
    /// Rows stopped before they were sent to an agent.
    pub rows_cancelled: u64,
    /// Rows already sent: they run to their end and report as usual.
    pub rows_still_running: u64,
    /// The job after the cancel.
    pub job: JobDetailView,
}

/// Filters and order of the job list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobFilters {
    /// Only jobs in this state.
    pub state: Option<JobState>,
    /// Only jobs of this kind.
    pub kind: Option<JobKind>,
    /// Only jobs with a row for this host.
    pub host: Option<i64>,
    /// Only jobs created by this user id.
    pub created_by: Option<i64>,
    /// Only jobs created at or after this time (RFC 3339).
    pub since: Option<DateTime<Utc>>,
    /// Only jobs created before this time (RFC 3339).
    pub until: Option<DateTime<Utc>>,
    /// `created` or `state`, a leading `-` sorts descending; default newest first.
    pub sort: Option<String>,
}

/// Order of the event log.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventOrder {
    /// `id` (oldest first, the default) or `-id` (newest first).
    pub sort: Option<String>,
}

/// Checks a new job's body and turns it into options and hosts.
fn validate(request: &CreateJobRequest) -> ApiResult<(JobOptions, Vec<i64>)> {
    match request.kind {
        JobKind::Rollback => {
            return Err(ApiError::invalid_field(
                "kind",
                "roll a job back with POST /api/v1/jobs/{id}/rollback",
            ));
        }
        JobKind::Refresh => {
            return Err(ApiError::invalid_field(
                "kind",
                "a refresh is not a job to create here",
            ));
        }
        _ => {}
    }
    let packages = validate_packages(request.kind, &request.packages)?;
    let reboot = request.reboot.unwrap_or_default();
    if request.security_only && request.kind != JobKind::ApplyPatches {
        return Err(ApiError::invalid_field(
            "security_only",
            "only applying patches can be limited to security updates",
        ));
    }
    if request.kind == JobKind::Reboot {
        if request.reboot.is_some_and(|r| r != RebootPolicy::Never) {
            return Err(ApiError::invalid_field(
                "reboot",
                "a reboot job reboots; leave the reboot policy out",
            ));
        }
        if request.dry_run {
            return Err(ApiError::invalid_field(
                "dry_run",
                "a reboot cannot be tried dry",
            ));
        }
    }
    if request.host_ids.is_empty() {
        return Err(ApiError::invalid_field(
            "host_ids",
            "name at least one host",
        ));
    }
    let mut seen = HashSet::new();
    let hosts: Vec<i64> = request
        .host_ids
        .iter()
        .copied()
        .filter(|id| seen.insert(*id))
        .collect();
    if hosts.len() > MAX_JOB_HOSTS {
        return Err(ApiError::invalid_field(
            "host_ids",
            format!("at most {MAX_JOB_HOSTS} hosts per job"),
        ));
    }
    let options = JobOptions {
        packages,
        reboot,
        security_only: request.security_only,
        dry_run: request.dry_run,
    };
    Ok((options, hosts))
}

fn validate_packages(kind: JobKind, packages: &[PackageArg]) -> ApiResult<Vec<PackageSpec>> {
    let needs_packages = matches!(kind, JobKind::Install | JobKind::Update | JobKind::Remove);
    if needs_packages && packages.is_empty() {
        return Err(ApiError::invalid_field(
            "packages",
            format!("a {} job names its packages", kind.as_str()),
        ));
    }
    if kind == JobKind::Reboot && !packages.is_empty() {
        return Err(ApiError::invalid_field(
            "packages",
            "a reboot job names no packages",
        ));
    }
    if packages.len() > MAX_JOB_PACKAGES {
        return Err(ApiError::invalid_field(
            "packages",
            format!("at most {MAX_JOB_PACKAGES} packages per job"),
        ));
    }
    let mut names = HashSet::new();
    let mut specs = Vec::with_capacity(packages.len());
    for (i, package) in packages.iter().enumerate() {
        let (name, version) = match package {
            PackageArg::Name(name) => (name, None),
            PackageArg::Pinned(p) => (&p.name, p.version.as_ref()),
        };
        if !is_package_name(name) {
            return Err(ApiError::invalid_field(
                "packages",
                format!(
                    "package {} is not a package name (letters, digits and . + - _ : @ ~, \
                     starting with a letter or digit, at most 200 characters)",
                    i + 1
                ),
            ));
        }
        if !names.insert(name.as_str()) {
            return Err(ApiError::invalid_field(
                "packages",
                format!("{name} is named twice"),
            ));
        }
        if let Some(version) = version {
            if kind != JobKind::Install {
                return Err(ApiError::invalid_field(
                    "packages",
                    "only an install pins versions",
                ));
            }
            if !is_version(version) {
                return Err(ApiError::invalid_field(
                    "packages",
                    format!("the version of {name} is not a package version"),
                ));
            }
        }
        specs.push(PackageSpec {
            name: name.clone(),
            version: version.cloned(),
        });
    }
    Ok(specs)
}

/// Debian, RPM and SUSE package names: what the agent passes to its package manager, so
/// nothing that a shell or an option parser could take for something else.
fn is_package_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() <= 200
        && chars.all(|c| c.is_ascii_alphanumeric() || ".+-_:@~".contains(c))
}

fn is_version(version: &str) -> bool {
    !version.is_empty()
        && version.len() <= 200
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".+-_:~".contains(c))
}

/// When each host's row becomes due, and why it waits if it has no window to wait for.
fn targets(
    mode: JobMode,
    hosts: &[HostId],
    windows: &BTreeMap<HostId, Vec<StoredWindow>>,
    now: DateTime<Utc>,
) -> Vec<JobTarget> {
    hosts
        .iter()
        .map(|host| {
            if mode == JobMode::Immediate {
                return JobTarget {
                    host: *host,
                    due_at: Some(now),
                    waiting_reason: None,
                };
            }
            let windows = windows.get(host).map(Vec::as_slice).unwrap_or_default();
            let next = windows
                .iter()
                .filter_map(|w| w.window.current_or_next(now))
                .map(|occurrence| occurrence.opens_at.max(now))
                .min();
            let waiting_reason = match (next, windows.is_empty()) {
                (Some(at), _) if at <= now => None,
                (Some(_), _) => Some("waiting for the next maintenance window".to_owned()),
                (None, true) => Some("the host has no maintenance window".to_owned()),
                (None, false) => {
                    Some("the host's maintenance windows do not open again".to_owned())
                }
            };
            JobTarget {
                host: *host,
                due_at: next,
                waiting_reason,
            }
        })
        .collect()
}

/// A job's detail as the caller may see it.
async fn detail_view(state: &AppState, caller: &Caller, id: JobId) -> ApiResult<JobDetailView> {
    let JobDetail { job, hosts } = state.store.get_job(&caller.scope, id).await?;
    let events = state
        .store
        .list_job_events(
            &caller.scope,
            id,
            true,
            PageRequest::new(1, RECENT_EVENTS).map_err(ApiError::from)?,
        )
        .await?;
    Ok(JobDetailView {
        job: job.into(),
        hosts: hosts.into_iter().map(Into::into).collect(),
        recent_events: events.items.into_iter().map(Into::into).collect(),
    })
}

fn job_id(raw: i64) -> ApiResult<JobId> {
    id_or_404(raw, "job", JobId::new)
}

/// Creates a job over hosts in the caller's scope.
#[utoipa::path(
    post,
    path = "/api/v1/jobs",
    tag = "jobs",
    operation_id = "create_job",
    request_body = CreateJobRequest,
    responses(
        (status = 201, description = "The job, with one row per host", body = JobDetailView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "A host does not exist or is not in the caller's scope (`host_not_found`)", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "An invalid field (`details.fields` names it)", body = ErrorBody),
    )
)]
pub async fn create_job(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<CreateJobRequest>,
) -> ApiResult<(StatusCode, Json<JobDetailView>)> {
    let (options, hosts) = validate(&request)?;
    // An id that cannot exist is missing, like any other host the caller cannot see.
    let hosts = hosts
        .into_iter()
        .map(|h| id_or_404(h, "host", HostId::new))
        .collect::<ApiResult<Vec<_>>>()?;
    let now = state.clock.now();
    let windows = match request.mode {
        JobMode::Queued => state.store.windows_of_hosts(&hosts).await?,
        JobMode::Immediate => BTreeMap::new(),
    };
    let job = NewJob {
        kind: request.kind,
        schedule: match request.mode {
            JobMode::Immediate => Schedule::Immediate,
            JobMode::Queued => Schedule::NextWindow,
        },
        options,
        parent: None,
        targets: targets(request.mode, &hosts, &windows, now),
    };
    let id = state
        .store
        .create_job(&caller.scope, &job, &caller.actor, now)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(detail_view(&state, &caller, id).await?),
    ))
}

/// Lists the jobs touching hosts in the caller's scope.
#[utoipa::path(
    get,
    path = "/api/v1/jobs",
    tag = "jobs",
    operation_id = "list_jobs",
    params(PageParams, JobFilters),
    responses(
        (status = 200, description = "A page of jobs", body = Paged<JobView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "A bad filter or page", body = ErrorBody),
    )
)]
pub async fn list_jobs(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(paging): ApiQuery<PageParams>,
    ApiQuery(filters): ApiQuery<JobFilters>,
) -> ApiResult<Json<Paged<JobView>>> {
    let sort = match filters.sort.as_deref() {
        None => None,
        raw => Some(parse_sort(raw, "created, state", |field| match field {
            "created" => Some(JobSort::Created),
            "state" => Some(JobSort::State),
            _ => None,
        })?),
    };
    let query = JobQuery {
        state: filters.state,
        kind: filters.kind,
        host: filters
            .host
            .map(|h| HostId::new(h).map_err(|e| ApiError::invalid_field("host", e.to_string())))
            .transpose()?,
        created_by: filters
            .created_by
            .map(|u| {
                UserId::new(u).map_err(|e| ApiError::invalid_field("created_by", e.to_string()))
            })
            .transpose()?,
        since: filters.since,
        until: filters.until,
        sort,
    };
    let page = state
        .store
        .list_jobs(&caller.scope, &query, paging.request()?)
        .await?;
    Ok(Json(Paged::from_page(page, JobView::from)))
}

/// One job: its rows for hosts in the caller's scope and its latest events.
#[utoipa::path(
    get,
    path = "/api/v1/jobs/{id}",
    tag = "jobs",
    operation_id = "get_job",
    params(("id" = i64, Path, description = "Job id")),
    responses(
        (status = 200, description = "The job", body = JobDetailView),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such job touching the caller's hosts", body = ErrorBody),
    )
)]
pub async fn get_job(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<JobDetailView>> {
    let id = job_id(id)?;
    Ok(Json(detail_view(&state, &caller, id).await?))
}

/// A job's event log: the job's own events and those of its rows for hosts in scope.
#[utoipa::path(
    get,
    path = "/api/v1/jobs/{id}/events",
    tag = "jobs",
    operation_id = "list_job_events",
    params(("id" = i64, Path, description = "Job id"), PageParams, EventOrder),
    responses(
        (status = 200, description = "A page of events", body = Paged<JobEventView>),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such job touching the caller's hosts", body = ErrorBody),
        (status = 422, description = "A bad page or sort", body = ErrorBody),
    )
)]
pub async fn list_job_events(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(paging): ApiQuery<PageParams>,
    ApiQuery(order): ApiQuery<EventOrder>,
) -> ApiResult<Json<Paged<JobEventView>>> {
    let id = job_id(id)?;
    let ((), direction) = parse_sort(order.sort.as_deref(), "id", |field| {
        (field == "id").then_some(())
    })?;
    let page = state
        .store
        .list_job_events(
            &caller.scope,
            id,
            direction == lpm_store::Direction::Descending,
            paging.request()?,
        )
        .await?;
    Ok(Json(Paged::from_page(page, JobEventView::from)))
}

fn job_finished(job_state: JobState) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "job_finished",
        format!(
            "The job is already {}.",
            job_state.as_str().replace('_', " ")
        ),
    )
}

/// Cancels a job: rows not yet sent to an agent stop; rows already sent run to their end and
/// are reported as usual (the agent API has no cancel). The caller must reach every host of
/// the job.
#[utoipa::path(
    post,
    path = "/api/v1/jobs/{id}/cancel",
    tag = "jobs",
    operation_id = "cancel_job",
    params(("id" = i64, Path, description = "Job id")),
    responses(
        (status = 200, description = "What was cancelled, and the job after it", body = CancelView),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "The job also covers hosts outside the caller's groups (`out_of_scope`)", body = ErrorBody),
        (status = 404, description = "No such job touching the caller's hosts", body = ErrorBody),
        (status = 409, description = "The job has finished or was cancelled before (`job_finished`)", body = ErrorBody),
    )
)]
pub async fn cancel_job(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CancelView>> {
    let id = job_id(id)?;
    let before = state.store.get_job(&caller.scope, id).await?;
    if before.job.state.is_terminal() {
        return Err(job_finished(before.job.state));
    }
    let cancelled = match state
        .store
        .cancel_job(&caller.scope, id, &caller.actor, state.clock.now())
        .await
    {
        Ok(n) => n,
        // Finished between the look and the cancel.
        Err(StoreError::IllegalTransition(_)) => {
            let now = state.store.get_job(&caller.scope, id).await?;
            return Err(job_finished(now.job.state));
        }
        Err(e) => return Err(e.into()),
    };
    let job = detail_view(&state, &caller, id).await?;
    let still_running = job.hosts.iter().filter(|h| h.state.reached_agent()).count() as u64;
    Ok(Json(CancelView {
        rows_cancelled: cancelled,
        rows_still_running: still_running,
        job,
    }))
}

/// Rolls a finished job back (SDD §6.5): a new `rollback` job, run at once, over the hosts
/// whose packages the job changed. The caller must reach every one of them.
#[utoipa::path(
    post,
    path = "/api/v1/jobs/{id}/rollback",
    tag = "jobs",
    operation_id = "rollback_job",
    params(("id" = i64, Path, description = "The job to roll back")),
    responses(
        (status = 201, description = "The rollback job", body = JobDetailView),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "A host the job changed is outside the caller's groups (`out_of_scope`)", body = ErrorBody),
        (status = 404, description = "No such job touching the caller's hosts", body = ErrorBody),
        (status = 409, description = "The job has not finished (`job_not_finished`) or changed no package (`nothing_to_roll_back`)", body = ErrorBody),
    )
)]
pub async fn rollback_job(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<(StatusCode, Json<JobDetailView>)> {
    let parent = job_id(id)?;
    let hosts = match state.store.plan_rollback(&caller.scope, parent).await? {
        RollbackPlan::Hosts(hosts) => hosts,
        RollbackPlan::NotFinished(job_state) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "job_not_finished",
                format!(
                    "The job is {}; roll it back once it has finished.",
                    job_state.as_str()
                ),
            ));
        }
        RollbackPlan::NothingChanged => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "nothing_to_roll_back",
                "The job changed no package on any host.",
            ));
        }
    };
    let now = state.clock.now();
    let job = NewJob {
        kind: JobKind::Rollback,
        schedule: Schedule::Immediate,
        options: JobOptions::default(),
        parent: Some(parent),
        targets: targets(JobMode::Immediate, &hosts, &BTreeMap::new(), now),
    };
    let id = state
        .store
        .create_job(&caller.scope, &job, &caller.actor, now)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(detail_view(&state, &caller, id).await?),
    ))
}

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_job, list_jobs))
        .routes(routes!(get_job))
        .routes(routes!(list_job_events))
        .routes(routes!(cancel_job))
        .routes(routes!(rollback_job))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::{Duration, TimeZone};
    use lpm_core::ids::WindowId;
    use lpm_core::model::Name;
    use lpm_core::window::MaintenanceWindow;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, hour, 0, 0).unwrap()
    }

    fn window(host: HostId, start: DateTime<Utc>, hours: i64) -> StoredWindow {
        StoredWindow {
            id: WindowId::new(1).unwrap(),
            host,
            name: Name::new("w").unwrap(),
            window: MaintenanceWindow::one_time(start, start + Duration::hours(hours)).unwrap(),
            created_at: at(0),
        }
    }

    #[test]
    fn queued_rows_are_due_at_the_earliest_window_or_wait_saying_why() {
        let hosts: Vec<HostId> = (1..=4).map(|h| HostId::new(h).unwrap()).collect();
        let mut windows = BTreeMap::new();
        windows.insert(
            hosts[0],
            vec![window(hosts[0], at(20), 2), window(hosts[0], at(14), 1)],
        );
        windows.insert(hosts[1], vec![window(hosts[1], at(11), 3)]);
        windows.insert(hosts[3], vec![window(hosts[3], at(1), 1)]);
        let rows = targets(JobMode::Queued, &hosts, &windows, at(12));
        assert_eq!(
            (rows[0].due_at, rows[0].waiting_reason.is_some()),
            (Some(at(14)), true)
        );
        assert_eq!(
            (rows[1].due_at, rows[1].waiting_reason.as_deref()),
            (Some(at(12)), None),
            "a window open now: due now"
        );
        assert_eq!(
            (rows[2].due_at, rows[2].waiting_reason.as_deref()),
            (None, Some("the host has no maintenance window"))
        );
        assert_eq!(
            (rows[3].due_at, rows[3].waiting_reason.as_deref()),
            (
                None,
                Some("the host's maintenance windows do not open again")
            )
        );
        let now = targets(JobMode::Immediate, &hosts, &windows, at(12));
        assert!(
            now.iter()
                .all(|t| t.due_at == Some(at(12)) && t.waiting_reason.is_none())
        );
    }

    #[test]
    fn package_names_are_what_a_package_manager_takes() {
        for good in [
            "openssl",
            "libc6:amd64",
            "g++",
            "python3.12",
            "0ad",
            "kernel-6.8~rc1",
        ] {
            assert!(is_package_name(good), "{good}");
        }
        for bad in [
            "",
            "-rf",
            "a b",
            "pkg;reboot",
            "$(x)",
            ".hidden",
            &"a".repeat(201),
        ] {
            assert!(!is_package_name(bad), "{bad}");
        }
        assert!(is_version("1:3.0.13-1ubuntu0.1"));
        assert!(!is_version("1.0 && reboot"));
    }
}
