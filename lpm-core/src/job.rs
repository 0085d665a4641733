//! Patch jobs and their per-host rows: kinds, options, and the two state machines.
//!
//! A job (`patch_jobs`) fans out to one row per host (`patch_job_hosts`); the host row is the
//! unit the queue hands out. Both carry a state whose legal transitions are methods here; an
//! illegal one is a [`TransitionError`], and the store refuses to write it.
//!
//! Host-level states:
//!
//! ```text
//!             cancel                               cancel
//!   queued ──────────────► cancelled ◄──────────── retry_waiting
//!     │ dispatch                                    ▲  │ dispatch
//!     ▼                      transient error / retry│  │
//!   dispatched ──────────────────────────────────────┘  │
//!     │ accepted (agent job id)            ◄────────────┘
//!     ▼
//!   running ──► succeeded | failed        (also: running ──► retry_waiting for the one
//!                                          in-window retry of a failed patch)
//! ```
//!
//! * `queued`: waiting for its host's maintenance window (or for a worker, when immediate).
//! * `dispatched`: a worker holds the lease and has recorded the idempotency key; the agent
//!   call is in flight. A worker that resumes such a row first asks the agent for a job with
//!   that key, so nothing is applied twice.
//! * `running`: the agent accepted the work and returned its job id.
//! * `retry_waiting`: a transient failure or a failed patch, to be retried at `due_at`.
//! * `succeeded`, `failed`, `cancelled`: terminal. Cancel only reaches rows not yet sent to
//!   an agent; a running row runs to its end (the agent API has no cancel).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::model::word_enum;

/// What a job asks the agents to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum JobKind {
    /// Apply available patches (all, or a named list).
    ApplyPatches,
    /// Install packages.
    Install,
    /// Update named packages.
    Update,
    /// Remove packages.
    Remove,
    /// Reboot the host.
    Reboot,
    /// Roll back an earlier job on each host.
    Rollback,
    /// Poll the host again now (health, patches, packages, system info).
    Refresh,
}

word_enum!(JobKind, "job kind", {
    ApplyPatches => "apply_patches",
    Install => "install",
    Update => "update",
    Remove => "remove",
    Reboot => "reboot",
    Rollback => "rollback",
    Refresh => "refresh",
});

/// When a job may start on each host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Schedule {
    /// At each host's next maintenance window.
    NextWindow,
    /// Now, regardless of windows.
    Immediate,
}

word_enum!(Schedule, "schedule", { NextWindow => "next_window", Immediate => "immediate" });

/// Whether the agent reboots after applying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RebootPolicy {
    /// Never reboot.
    #[default]
    Never,
    /// Reboot when a package asks for it.
    IfRequired,
    /// Always reboot.
    Always,
}

word_enum!(RebootPolicy, "reboot policy", {
    Never => "never",
    IfRequired => "if_required",
    Always => "always",
});

/// A package named for install (optionally pinned to a version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageSpec {
    /// Package name.
    pub name: String,
    /// Exact version, or the newest.
    #[serde(default)]
    pub version: Option<String>,
}

/// What the agent is asked to do, passed through to it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct JobOptions {
    /// Packages to act on; empty means all available patches (apply only).
    #[serde(default)]
    pub packages: Vec<PackageSpec>,
    /// Reboot behaviour after applying.
    #[serde(default)]
    pub reboot: RebootPolicy,
    /// Apply security patches only.
    #[serde(default)]
    pub security_only: bool,
    /// Ask the agent what it would do, change nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// A state change that the state machine does not allow.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("illegal {machine} transition from {from} by {event}")]
pub struct TransitionError {
    /// Which machine: "job" or "job host".
    pub machine: &'static str,
    /// The state the row was in.
    pub from: &'static str,
    /// What was attempted.
    pub event: &'static str,
}

/// The state of a whole job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum JobState {
    /// No host row has started.
    Queued,
    /// At least one host row has started and not all are finished.
    Running,
    /// Every host succeeded.
    Succeeded,
    /// Some hosts succeeded, some failed.
    PartiallyFailed,
    /// No host succeeded and at least one failed.
    Failed,
    /// Cancelled before every host finished; hosts already running ran to their end.
    Cancelled,
}

word_enum!(JobState, "job state", {
    Queued => "queued",
    Running => "running",
    Succeeded => "succeeded",
    PartiallyFailed => "partially_failed",
    Failed => "failed",
    Cancelled => "cancelled",
});

impl JobState {
    fn illegal(self, event: &'static str) -> TransitionError {
        TransitionError {
            machine: "job",
            from: self.as_str(),
            event,
        }
    }

    /// Whether the job is over.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Self::Succeeded | Self::PartiallyFailed | Self::Failed | Self::Cancelled
        )
    }

    /// The first host row started.
    pub fn start(self) -> Result<Self, TransitionError> {
        match self {
            Self::Queued => Ok(Self::Running),
            Self::Running => Ok(Self::Running),
            _ => Err(self.illegal("start")),
        }
    }

    /// A person cancelled the job. Legal while it is not over.
    pub fn cancel(self) -> Result<Self, TransitionError> {
        match self {
            Self::Queued | Self::Running => Ok(Self::Cancelled),
            _ => Err(self.illegal("cancel")),
        }
    }

    /// Every host row is terminal: the job's outcome follows from them.
    ///
    /// All succeeded: `succeeded`. Some succeeded and some failed: `partially_failed`. None
    /// succeeded and some failed: `failed`. Otherwise (every row cancelled, or succeeded and
    /// cancelled): `cancelled`.
    pub fn settle(self, hosts: &[JobHostState]) -> Result<Self, TransitionError> {
        if self.is_terminal() && self != Self::Cancelled {
            return Err(self.illegal("settle"));
        }
        if hosts.iter().any(|h| !h.is_terminal()) {
            return Err(self.illegal("settle with unfinished hosts"));
        }
        let succeeded = hosts
            .iter()
            .filter(|h| **h == JobHostState::Succeeded)
            .count();
        let failed = hosts.iter().filter(|h| **h == JobHostState::Failed).count();
        Ok(match (succeeded, failed) {
            (s, 0) if s == hosts.len() && s > 0 => Self::Succeeded,
            (s, f) if s > 0 && f > 0 => Self::PartiallyFailed,
            (0, f) if f > 0 => Self::Failed,
            _ => Self::Cancelled,
        })
    }
}

/// The state of one host's row within a job (see the module docs for the diagram).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum JobHostState {
    /// Waiting for a window or a worker.
    Queued,
    /// The idempotency key is recorded and the agent call is in flight.
    Dispatched,
    /// The agent accepted the work.
    Running,
    /// Waiting to be retried.
    RetryWaiting,
    /// Done, successfully.
    Succeeded,
    /// Done, failed (retries exhausted or the window closed).
    Failed,
    /// Cancelled before it was sent to the agent.
    Cancelled,
}

word_enum!(JobHostState, "job host state", {
    Queued => "queued",
    Dispatched => "dispatched",
    Running => "running",
    RetryWaiting => "retry_waiting",
    Succeeded => "succeeded",
    Failed => "failed",
    Cancelled => "cancelled",
});

impl JobHostState {
    fn illegal(self, event: &'static str) -> TransitionError {
        TransitionError {
            machine: "job host",
            from: self.as_str(),
            event,
        }
    }

    /// Whether the row is over.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Cancelled)
    }

    /// Whether the row has been sent to an agent (and so can no longer be cancelled).
    pub fn reached_agent(self) -> bool {
        matches!(self, Self::Dispatched | Self::Running)
    }

    /// A worker recorded the idempotency key and is calling the agent.
    pub fn dispatch(self) -> Result<Self, TransitionError> {
        match self {
            Self::Queued | Self::RetryWaiting => Ok(Self::Dispatched),
            _ => Err(self.illegal("dispatch")),
        }
    }

    /// The agent accepted the work and returned a job id.
    pub fn accept(self) -> Result<Self, TransitionError> {
        match self {
            Self::Dispatched => Ok(Self::Running),
            _ => Err(self.illegal("accept")),
        }
    }

    /// The work finished successfully on the host.
    pub fn succeed(self) -> Result<Self, TransitionError> {
        match self {
            Self::Dispatched | Self::Running => Ok(Self::Succeeded),
            _ => Err(self.illegal("succeed")),
        }
    }

    /// The work failed for good.
    pub fn fail(self) -> Result<Self, TransitionError> {
        match self {
            Self::Dispatched | Self::Running | Self::RetryWaiting => Ok(Self::Failed),
            _ => Err(self.illegal("fail")),
        }
    }

    /// Schedule another attempt (transient error, or the one in-window patch retry).
    pub fn retry_later(self) -> Result<Self, TransitionError> {
        match self {
            Self::Dispatched | Self::Running => Ok(Self::RetryWaiting),
            _ => Err(self.illegal("retry")),
        }
    }

    /// The window closed before the row was sent: it waits for the next one.
    pub fn requeue(self) -> Result<Self, TransitionError> {
        match self {
            Self::Queued | Self::RetryWaiting => Ok(Self::Queued),
            _ => Err(self.illegal("requeue")),
        }
    }

    /// A person cancelled the job; only rows not sent to an agent stop.
    pub fn cancel(self) -> Result<Self, TransitionError> {
        match self {
            Self::Queued | Self::RetryWaiting => Ok(Self::Cancelled),
            _ => Err(self.illegal("cancel")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use JobHostState as H;

    #[test]
    fn host_happy_path() {
        let s = H::Queued
            .dispatch()
            .and_then(H::accept)
            .and_then(H::succeed);
        assert_eq!(s, Ok(H::Succeeded));
    }

    #[test]
    fn host_retry_path() {
        let s = H::Queued
            .dispatch()
            .and_then(H::retry_later)
            .and_then(H::dispatch)
            .and_then(H::accept)
            .and_then(H::fail);
        assert_eq!(s, Ok(H::Failed));
    }

    #[test]
    fn terminal_host_states_refuse_everything() {
        type Event = fn(H) -> Result<H, TransitionError>;
        let events: [Event; 7] = [
            H::dispatch,
            H::accept,
            H::succeed,
            H::fail,
            H::retry_later,
            H::requeue,
            H::cancel,
        ];
        for state in [H::Succeeded, H::Failed, H::Cancelled] {
            for event in events {
                let err = event(state).err();
                assert!(err.is_some(), "{state} accepted an event");
                assert_eq!(err.map(|e| e.from), Some(state.as_str()));
            }
        }
    }

    #[test]
    fn a_row_sent_to_an_agent_cannot_be_cancelled() {
        assert!(H::Dispatched.cancel().is_err());
        assert!(H::Running.cancel().is_err());
        assert_eq!(H::RetryWaiting.cancel(), Ok(H::Cancelled));
        assert!(H::Queued.accept().is_err());
    }

    #[test]
    fn job_settles_from_its_hosts() {
        let running = JobState::Running;
        assert_eq!(
            running.settle(&[H::Succeeded, H::Succeeded]),
            Ok(JobState::Succeeded)
        );
        assert_eq!(
            running.settle(&[H::Succeeded, H::Failed]),
            Ok(JobState::PartiallyFailed)
        );
        assert_eq!(
            running.settle(&[H::Failed, H::Cancelled]),
            Ok(JobState::Failed)
        );
        assert_eq!(
            JobState::Cancelled.settle(&[H::Succeeded, H::Cancelled]),
            Ok(JobState::Cancelled)
        );
        assert!(running.settle(&[H::Succeeded, H::Running]).is_err());
        assert!(JobState::Succeeded.settle(&[H::Succeeded]).is_err());
        assert!(JobState::Failed.cancel().is_err());
        assert_eq!(JobState::Queued.start(), Ok(JobState::Running));
    }
}
