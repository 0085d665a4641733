//! The agent API's wire format (agent-api.md), in ONE module: every JSON body, path, header and
//! error code the client sends or reads and the simulator serves, with the mapping onto
//! lpm-core's domain types. A difference found later in the real agent is a change here.
//!
//! # Choices where agent-api.md is silent
//!
//! What a careful agent author would do, written down so the client and the simulator agree:
//!
//! - **Finding a job by idempotency key** (what `AgentApi::job_by_key` needs after a worker
//!   died mid-call): `GET /api/v1/jobs?idempotency_key=KEY`. The agent answers the jobs started
//!   with that key (zero or one). The client also filters the answer on each job's
//!   `idempotency_key` field itself, so an agent that ignores the unknown query parameter and
//!   returns every job still gives the right answer.
//! - **Repeated idempotency key**: the same key with the same request answers `202` with the
//!   same `job_id`, whatever state that job is in, and starts nothing. The same key with a
//!   *different* request (other method, path or body) is refused with `422
//!   idempotency_key_reused`. A mutating request without the header is refused with `400
//!   idempotency_key_required`. Keys are 1–255 visible ASCII characters.
//! - **Checking the key before "busy"**: a retry with the key of the job that is running
//!   returns that job, not `409 busy`.
//! - **Pagination** of `GET /api/v1/packages`: `page` is 1-based, `per_page` 1–1000; without
//!   `page` the whole list comes back. `total` is always the full count.
//! - **Error codes** (the `code` of the error envelope): `busy` (409), `not_rollbackable`
//!   (409), `rebooting` and `starting` (503), `not_found` (404, unknown job), `package_not_found`
//!   and `version_not_found` (404), `bad_request` (400), `idempotency_key_required` (400),
//!   `idempotency_key_reused` (422), `internal` (500).
//! - **Reboot**: after `delay_s` the agent stops: connections are refused while the host is
//!   down. When it comes back it answers `503 starting` for a short while, then serves again
//!   with a new `last_boot`. The reboot job itself is found `succeeded` after the restart.
//! - **Rollback**: possible for a finished `apply_patches`, `install`, `update` or `remove`
//!   job that changed something, was not a dry run and was not rolled back already, while
//!   every package it changed still has the version the job left; otherwise `409
//!   not_rollbackable`. A successful rollback sets the original job's state to `rolled_back`.
//! - **Dry run**: the job lists the changes it would make, changes nothing, and cannot be
//!   rolled back.
//! - **Change records**: `from` is `null` for an install, `to` is `null` for a removal.
//! - **Severity words** the client does not know are read as `unknown`; unknown job states are
//!   an invalid response. Unknown fields are ignored everywhere (forward compatibility).
//! - **The job stream** sends one text frame per event; the agent pings every 20 s and the
//!   client answers. Binary frames are ignored.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use lpm_core::agent::{
    AgentHealth, AgentJob, AgentJobEvent, AgentJobState, AvailablePatch, ChangeAction,
    InstalledPackage, PackageChange, PatchReport, Severity, SystemInfo as DomainSystemInfo,
};
use lpm_core::job::{JobOptions, PackageSpec, RebootPolicy};
use lpm_core::model::PackageManager;
use serde::{Deserialize, Deserializer, Serialize};

/// The header carrying the idempotency key on every mutating request.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";

/// The paths of the API.
pub mod paths {
    /// `GET`: health.
    pub const HEALTH: &str = "/api/v1/health";
    /// `GET`: system information.
    pub const SYSTEM_INFO: &str = "/api/v1/system/info";
    /// `POST`: reboot.
    pub const REBOOT: &str = "/api/v1/system/reboot";
    /// `GET`: installed packages; `POST`: install.
    pub const PACKAGES: &str = "/api/v1/packages";
    /// `GET`: available patches.
    pub const PATCHES: &str = "/api/v1/patches";
    /// `POST`: apply patches.
    pub const APPLY: &str = "/api/v1/patches/apply";
    /// `GET`: jobs.
    pub const JOBS: &str = "/api/v1/jobs";
    /// WebSocket: the job event stream.
    pub const WS_JOBS: &str = "/api/v1/ws/jobs";
}

/// The error codes this contract uses (see the module docs for the statuses).
pub mod codes {
    /// 409: another package-manager job runs.
    pub const BUSY: &str = "busy";
    /// 409: the job cannot be rolled back.
    pub const NOT_ROLLBACKABLE: &str = "not_rollbackable";
    /// 503: the agent is going down for a reboot.
    pub const REBOOTING: &str = "rebooting";
    /// 503: the agent is starting.
    pub const STARTING: &str = "starting";
    /// 404: no such job.
    pub const NOT_FOUND: &str = "not_found";
    /// 404: no such package (not installed, or not in the repositories).
    pub const PACKAGE_NOT_FOUND: &str = "package_not_found";
    /// 404: the repositories have no such version.
    pub const VERSION_NOT_FOUND: &str = "version_not_found";
    /// 400: malformed request.
    pub const BAD_REQUEST: &str = "bad_request";
    /// 400: a mutating request without `Idempotency-Key`.
    pub const IDEMPOTENCY_KEY_REQUIRED: &str = "idempotency_key_required";
    /// 422: the key was used for a different request.
    pub const IDEMPOTENCY_KEY_REUSED: &str = "idempotency_key_reused";
    /// 500: the agent failed.
    pub const INTERNAL: &str = "internal";
}

/// `{"error": {"code", "message"}}`: the body of every non-2xx answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    /// The error.
    pub error: ErrorBody,
}

/// The inside of [`ErrorEnvelope`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// snake_case code.
    pub code: String,
    /// Human-readable detail.
    pub message: String,
}

impl ErrorEnvelope {
    /// An envelope with `code` and `message`.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            error: ErrorBody {
                code: code.to_owned(),
                message: message.into(),
            },
        }
    }
}

/// `"ok"` or `"degraded"`; any other word reads as [`HealthStatus::Unknown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// Everything works.
    Ok,
    /// A check reports a problem.
    Degraded,
    /// A word this client does not know.
    #[serde(other)]
    Unknown,
}

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// Overall status.
    pub status: HealthStatus,
    /// Agent version.
    pub version: String,
    /// Seconds since the agent started.
    pub uptime_s: u64,
    /// Named checks (`package_manager`, `disk`, ...) and their words.
    #[serde(default)]
    pub checks: BTreeMap<String, String>,
}

/// `os` in [`SystemInfo`] (os-release fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsInfo {
    /// `ID`, e.g. `ubuntu`.
    pub id: String,
    /// `VERSION_ID`, e.g. `24.04`.
    pub version_id: String,
    /// `PRETTY_NAME`.
    pub pretty_name: String,
}

/// `GET /api/v1/system/info`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemInfo {
    /// Short host name.
    pub hostname: String,
    /// The host's own FQDN.
    pub fqdn: String,
    /// Operating system.
    pub os: OsInfo,
    /// Running kernel.
    pub kernel: String,
    /// CPU architecture.
    pub arch: String,
    /// `apt`, `dnf` or `zypper`.
    pub package_manager: PackageManager,
    /// A reboot is pending.
    pub reboot_required: bool,
    /// When the host last booted.
    pub last_boot: DateTime<Utc>,
    /// Agent version.
    pub agent_version: String,
}

/// One installed package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// Name.
    pub name: String,
    /// Installed version.
    pub version: String,
    /// Architecture.
    pub arch: String,
}

/// `GET /api/v1/packages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageList {
    /// The packages (of the page asked for).
    pub packages: Vec<Package>,
    /// How many packages are installed in all.
    pub total: u64,
}

/// `?page=N&per_page=M` of `GET /api/v1/packages` (1-based page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageQuery {
    /// Page, from 1.
    pub page: u32,
    /// Items per page, 1–1000.
    pub per_page: u32,
}

fn lenient_severity<'de, D: Deserializer<'de>>(d: D) -> Result<Severity, D::Error> {
    let word = String::deserialize(d)?;
    Ok(word.parse().unwrap_or(Severity::Unknown))
}

/// One available update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patch {
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
    /// `critical`, `important`, `moderate`, `low` or `unknown`.
    #[serde(deserialize_with = "lenient_severity")]
    pub severity: Severity,
    /// Advisory ids.
    #[serde(default)]
    pub advisories: Vec<String>,
    /// CVE ids.
    #[serde(default)]
    pub cves: Vec<String>,
    /// Applying it needs a reboot.
    pub reboot_required: bool,
}

/// `GET /api/v1/patches`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatchList {
    /// Available updates.
    pub patches: Vec<Patch>,
    /// When the agent last refreshed its metadata.
    pub checked_at: DateTime<Utc>,
}

/// `POST /api/v1/patches/apply`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyRequest {
    /// Package names, or `null` for every available patch.
    pub packages: Option<Vec<String>>,
    /// Security patches only.
    #[serde(default)]
    pub security_only: bool,
    /// Report what would change, change nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Reboot afterwards: `never`, `if_required`, `always`.
    #[serde(default)]
    pub reboot: RebootPolicy,
}

impl From<&JobOptions> for ApplyRequest {
    fn from(o: &JobOptions) -> Self {
        Self {
            packages: (!o.packages.is_empty())
                .then(|| o.packages.iter().map(|p| p.name.clone()).collect()),
            security_only: o.security_only,
            dry_run: o.dry_run,
            reboot: o.reboot,
        }
    }
}

/// A package to install, optionally pinned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageRequest {
    /// Name.
    pub name: String,
    /// Version, or `null` for the newest.
    #[serde(default)]
    pub version: Option<String>,
}

impl From<&PackageSpec> for PackageRequest {
    fn from(p: &PackageSpec) -> Self {
        Self {
            name: p.name.clone(),
            version: p.version.clone(),
        }
    }
}

/// `POST /api/v1/packages` (install).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallRequest {
    /// What to install.
    pub packages: Vec<PackageRequest>,
}

/// `PUT /api/v1/packages/{name}` (update one).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UpdateRequest {
    /// Target version, or `null` for the newest.
    #[serde(default)]
    pub version: Option<String>,
}

/// `POST /api/v1/system/reboot`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RebootRequest {
    /// Seconds before going down.
    #[serde(default)]
    pub delay_s: u32,
}

/// `202 {"job_id"}`: a mutating request was accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobAccepted {
    /// The agent's job id.
    pub job_id: String,
}

/// What an agent job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Apply patches.
    ApplyPatches,
    /// Install packages.
    Install,
    /// Update one package.
    Update,
    /// Remove one package.
    Remove,
    /// Undo an earlier job.
    Rollback,
    /// Reboot the host.
    Reboot,
}

impl JobKind {
    /// The wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::ApplyPatches => "apply_patches",
            JobKind::Install => "install",
            JobKind::Update => "update",
            JobKind::Remove => "remove",
            JobKind::Rollback => "rollback",
            JobKind::Reboot => "reboot",
        }
    }
}

/// One package change a job made (or, in a dry run, would make).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Package name.
    pub package: String,
    /// Version before; `null` for an install.
    pub from: Option<String>,
    /// Version after; `null` for a removal.
    pub to: Option<String>,
    /// `upgrade`, `install`, `remove` or `downgrade`.
    pub action: ChangeAction,
}

/// A job as the agent reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// The agent's job id.
    pub id: String,
    /// What it does.
    pub kind: JobKind,
    /// `queued`, `running`, `succeeded`, `failed`, `rolled_back` or `cancelled`.
    pub state: AgentJobState,
    /// The key it was started with.
    #[serde(default)]
    pub idempotency_key: Option<String>,
    /// Percent done.
    pub progress: u8,
    /// When accepted.
    pub created_at: DateTime<Utc>,
    /// When it started running.
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    /// When it finished.
    #[serde(default)]
    pub finished_at: Option<DateTime<Utc>>,
    /// Changes made so far.
    #[serde(default)]
    pub changes: Vec<Change>,
    /// A reboot is needed to finish.
    #[serde(default)]
    pub reboot_required: bool,
    /// The last output lines.
    #[serde(default)]
    pub log_tail: Vec<String>,
    /// Why it failed.
    #[serde(default)]
    pub error: Option<String>,
    /// For a rollback: the job it undoes.
    #[serde(default)]
    pub rollback_of: Option<String>,
}

/// `GET /api/v1/jobs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobList {
    /// The jobs, oldest first.
    pub jobs: Vec<Job>,
}

/// Filters of `GET /api/v1/jobs`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct JobQuery {
    /// Only jobs in this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<AgentJobState>,
    /// Only the job started with this idempotency key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

/// One frame of the job stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobEvent {
    /// The agent's job id.
    pub job_id: String,
    /// State after the event.
    pub state: AgentJobState,
    /// Percent done.
    pub progress: u8,
    /// A package-manager output line, if the event carries one.
    #[serde(default)]
    pub line: Option<String>,
    /// When it happened.
    pub at: DateTime<Utc>,
}

impl From<Health> for AgentHealth {
    fn from(h: Health) -> Self {
        AgentHealth {
            ok: h.status == HealthStatus::Ok,
            version: h.version,
            uptime_s: h.uptime_s,
            checks: h.checks.into_iter().collect(),
        }
    }
}

impl From<SystemInfo> for DomainSystemInfo {
    fn from(s: SystemInfo) -> Self {
        DomainSystemInfo {
            hostname: s.hostname,
            fqdn: s.fqdn,
            os_id: s.os.id,
            os_version: s.os.version_id,
            os_pretty_name: s.os.pretty_name,
            kernel: s.kernel,
            arch: s.arch,
            package_manager: s.package_manager,
            reboot_required: s.reboot_required,
            last_boot: s.last_boot,
            agent_version: s.agent_version,
        }
    }
}

impl From<Package> for InstalledPackage {
    fn from(p: Package) -> Self {
        InstalledPackage {
            name: p.name,
            version: p.version,
            arch: p.arch,
        }
    }
}

impl From<Patch> for AvailablePatch {
    fn from(p: Patch) -> Self {
        AvailablePatch {
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

impl From<PatchList> for PatchReport {
    fn from(p: PatchList) -> Self {
        PatchReport {
            patches: p.patches.into_iter().map(Into::into).collect(),
            checked_at: p.checked_at,
        }
    }
}

impl From<Change> for PackageChange {
    fn from(c: Change) -> Self {
        PackageChange {
            package: c.package,
            from: c.from,
            to: c.to,
            action: c.action,
        }
    }
}

impl From<Job> for AgentJob {
    fn from(j: Job) -> Self {
        AgentJob {
            id: j.id,
            idempotency_key: j.idempotency_key,
            state: j.state,
            progress: j.progress.min(100),
            changes: j.changes.into_iter().map(Into::into).collect(),
            reboot_required: j.reboot_required,
            log_tail: j.log_tail,
            error: j.error,
            finished_at: j.finished_at,
        }
    }
}

impl From<JobEvent> for AgentJobEvent {
    fn from(e: JobEvent) -> Self {
        AgentJobEvent {
            job_id: e.job_id,
            state: e.state,
            progress: e.progress.min(100),
            line: e.line,
            at: e.at,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn job_matches_the_contract_example() {
        let json = r#"{"id": "j1", "kind": "apply_patches", "state": "running",
            "idempotency_key": "k", "progress": 40, "created_at": "2026-11-24T10:00:00Z",
            "started_at": null, "finished_at": null,
            "changes": [{"package": "openssl", "from": "3.0.13-0ubuntu3.1",
                         "to": "3.0.13-0ubuntu3.4", "action": "upgrade"}],
            "reboot_required": false, "log_tail": ["x"], "error": null, "rollback_of": null,
            "some_future_field": 1}"#;
        let job: Job = serde_json::from_str(json).unwrap();
        assert_eq!(job.kind, JobKind::ApplyPatches);
        assert_eq!(job.state, AgentJobState::Running);
        assert_eq!(job.changes[0].action, ChangeAction::Upgrade);
        let domain = AgentJob::from(job);
        assert_eq!(domain.progress, 40);
        assert_eq!(domain.idempotency_key.as_deref(), Some("k"));
    }

    #[test]
    fn unknown_severity_reads_as_unknown_but_unknown_state_fails() {
        let p: Patch = serde_json::from_str(
            r#"{"package":"a","current_version":"1","available_version":"2","arch":"amd64",
                "security":true,"severity":"apocalyptic","reboot_required":false}"#,
        )
        .unwrap();
        assert_eq!(p.severity, Severity::Unknown);
        assert!(p.cves.is_empty());
        let bad = r#"{"job_id":"j","state":"exploded","progress":1,"at":"2026-01-01T00:00:00Z"}"#;
        assert!(serde_json::from_str::<JobEvent>(bad).is_err());
    }

    #[test]
    fn apply_request_from_options() {
        let all = ApplyRequest::from(&JobOptions::default());
        assert_eq!(
            serde_json::to_value(&all).unwrap(),
            serde_json::json!({"packages": null, "security_only": false, "dry_run": false,
                               "reboot": "never"})
        );
        let some = JobOptions {
            packages: vec![PackageSpec {
                name: "openssl".into(),
                version: None,
            }],
            reboot: RebootPolicy::IfRequired,
            security_only: true,
            dry_run: false,
        };
        let req = ApplyRequest::from(&some);
        assert_eq!(req.packages, Some(vec!["openssl".to_owned()]));
        assert_eq!(req.reboot, RebootPolicy::IfRequired);
    }
}
