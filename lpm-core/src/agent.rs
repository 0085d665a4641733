//! What agents report, in domain terms: the [`crate::ports::AgentApi`] port speaks these types,
//! and the agent client maps the wire format onto them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::job::{JobOptions, PackageSpec};
use crate::model::{PackageManager, word_enum};

/// How the retry engine must treat an agent failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AgentErrorClass {
    /// Refused, timed out, reset, 5xx, 503 while rebooting: retry with backoff.
    Transient,
    /// 409: another package-manager job runs on the host; retry with backoff.
    Busy,
    /// Other 4xx, certificate or identity failures: retrying will not help.
    Permanent,
}

/// A failed agent call.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{class:?} agent error {code}: {message}")]
pub struct AgentError {
    /// How to treat it.
    pub class: AgentErrorClass,
    /// A stable snake_case code (the agent's, or the client's own such as `timeout`).
    pub code: String,
    /// Human-readable detail, safe to show.
    pub message: String,
}

impl AgentError {
    /// Whether a retry may help.
    pub fn is_retryable(&self) -> bool {
        !matches!(self.class, AgentErrorClass::Permanent)
    }
}

/// Severity of an available patch, as the agent reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Severity {
    /// Fix at once.
    Critical,
    /// Fix soon.
    Important,
    /// Fix in the normal cycle.
    Moderate,
    /// Low risk.
    Low,
    /// Not rated.
    Unknown,
}

word_enum!(Severity, "severity", {
    Critical => "critical",
    Important => "important",
    Moderate => "moderate",
    Low => "low",
    Unknown => "unknown",
});

/// The agent's health answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentHealth {
    /// `true` for "ok", `false` for "degraded".
    pub ok: bool,
    /// Agent version.
    pub version: String,
    /// Seconds since the agent started.
    pub uptime_s: u64,
    /// Named checks and their words ("ok", or a problem).
    pub checks: Vec<(String, String)>,
}

/// Operating system facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemInfo {
    /// Short host name.
    pub hostname: String,
    /// Fully qualified name as the host knows it.
    pub fqdn: String,
    /// os-release `ID`, e.g. `ubuntu`.
    pub os_id: String,
    /// os-release `VERSION_ID`.
    pub os_version: String,
    /// os-release `PRETTY_NAME`.
    pub os_pretty_name: String,
    /// Running kernel.
    pub kernel: String,
    /// CPU architecture.
    pub arch: String,
    /// Package manager.
    pub package_manager: PackageManager,
    /// A reboot is pending.
    pub reboot_required: bool,
    /// When the host last booted.
    pub last_boot: DateTime<Utc>,
    /// Agent version.
    pub agent_version: String,
}

/// An installed package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstalledPackage {
    /// Name.
    pub name: String,
    /// Installed version.
    pub version: String,
    /// Architecture.
    pub arch: String,
}

/// An update the host could apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailablePatch {
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

/// The available patches and when the agent checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatchReport {
    /// Available updates.
    pub patches: Vec<AvailablePatch>,
    /// When the agent last refreshed its package metadata.
    pub checked_at: DateTime<Utc>,
}

/// The state of a job on an agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AgentJobState {
    /// Accepted, not started.
    Queued,
    /// Running.
    Running,
    /// Finished successfully.
    Succeeded,
    /// Finished with an error (changes may be partial).
    Failed,
    /// Undone by a later rollback job.
    RolledBack,
    /// Cancelled on the agent.
    Cancelled,
}

word_enum!(AgentJobState, "agent job state", {
    Queued => "queued",
    Running => "running",
    Succeeded => "succeeded",
    Failed => "failed",
    RolledBack => "rolled_back",
    Cancelled => "cancelled",
});

impl AgentJobState {
    /// Whether the agent is done with the job.
    pub fn is_finished(self) -> bool {
        !matches!(self, Self::Queued | Self::Running)
    }
}

/// What a package change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ChangeAction {
    /// A newer version replaced the old one.
    Upgrade,
    /// A new package.
    Install,
    /// A package went away.
    Remove,
    /// An older version replaced the newer one (rollback).
    Downgrade,
}

word_enum!(ChangeAction, "change action", {
    Upgrade => "upgrade",
    Install => "install",
    Remove => "remove",
    Downgrade => "downgrade",
});

/// One package change made by a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageChange {
    /// Package name.
    pub package: String,
    /// Version before (none for an install).
    pub from: Option<String>,
    /// Version after (none for a removal).
    pub to: Option<String>,
    /// What happened.
    pub action: ChangeAction,
}

/// A job as the agent reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentJob {
    /// The agent's job id.
    pub id: String,
    /// The idempotency key it was started with.
    pub idempotency_key: Option<String>,
    /// State.
    pub state: AgentJobState,
    /// Percent done, 0–100.
    pub progress: u8,
    /// Changes made so far.
    pub changes: Vec<PackageChange>,
    /// A reboot is needed to finish.
    pub reboot_required: bool,
    /// The last lines of package-manager output.
    pub log_tail: Vec<String>,
    /// The error, when failed.
    pub error: Option<String>,
    /// When it finished.
    pub finished_at: Option<DateTime<Utc>>,
}

/// A live event from an agent's job stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentJobEvent {
    /// The agent's job id.
    pub job_id: String,
    /// State after the event.
    pub state: AgentJobState,
    /// Percent done.
    pub progress: u8,
    /// An output line, if the event carries one.
    pub line: Option<String>,
    /// When it happened.
    pub at: DateTime<Utc>,
}

/// A mutating request to an agent, with everything it needs besides the idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op")]
pub enum AgentCommand {
    /// Apply patches (`packages` empty: all).
    ApplyPatches(JobOptions),
    /// Install packages.
    Install {
        /// What to install.
        packages: Vec<PackageSpec>,
    },
    /// Update one package.
    Update(PackageSpec),
    /// Remove one package.
    Remove {
        /// Package name.
        name: String,
    },
    /// Roll back an agent job.
    Rollback {
        /// The agent job to undo.
        agent_job_id: String,
    },
    /// Reboot after a delay.
    Reboot {
        /// Seconds to wait.
        delay_s: u32,
    },
}
