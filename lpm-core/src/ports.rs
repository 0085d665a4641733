//! The ports (traits) through which the orchestration engine meets the world: agents, the job
//! queue, notifications and time. lpm-agent-client, lpm-store and lpm-server implement them; an
//! embedding tool may bring its own.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::agent::PackageChange;
use crate::agent::{
    AgentCommand, AgentError, AgentHealth, AgentJob, InstalledPackage, PatchReport, SystemInfo,
};
use crate::ids::{HostId, JobHostId, JobId};
use crate::job::{JobHostState, JobKind, JobOptions, TransitionError};
use crate::model::HostAddress;

/// A boxed, sendable future, for ports that must be object-safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Time, as the engine sees it. Production reads the system clock; tests use [`ManualClock`].
pub trait Clock: Send + Sync + Debug {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
    /// Completes at or after `deadline`.
    fn sleep_until(&self, deadline: DateTime<Utc>) -> BoxFuture<'_, ()>;
}

/// A clock that moves only when told to, for virtual-time tests.
#[derive(Debug, Clone)]
pub struct ManualClock {
    inner: Arc<Mutex<ManualInner>>,
}

#[derive(Debug)]
struct ManualInner {
    now: DateTime<Utc>,
    sleepers: Vec<Waker>,
}

impl ManualClock {
    /// A clock stopped at `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            inner: Arc::new(Mutex::new(ManualInner {
                now: start,
                sleepers: Vec::new(),
            })),
        }
    }

    /// Moves time forward (a negative step is ignored) and wakes every sleeper whose deadline
    /// has come.
    pub fn advance(&self, by: Duration) {
        let wakers = {
            let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            if by > Duration::zero() {
                inner.now += by;
            }
            std::mem::take(&mut inner.sleepers)
        };
        // Woken futures re-check their deadline and re-register if it has not come.
        wakers.into_iter().for_each(Waker::wake);
    }

    /// Sets the time, forwards only.
    pub fn set(&self, to: DateTime<Utc>) {
        let now = self.now();
        self.advance(to - now);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .now
    }

    fn sleep_until(&self, deadline: DateTime<Utc>) -> BoxFuture<'_, ()> {
        Box::pin(ManualSleep {
            clock: self.clone(),
            deadline,
        })
    }
}

#[derive(Debug)]
struct ManualSleep {
    clock: ManualClock,
    deadline: DateTime<Utc>,
}

impl Future for ManualSleep {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut inner = self
            .clock
            .inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if inner.now >= self.deadline {
            Poll::Ready(())
        } else {
            inner.sleepers.push(cx.waker().clone());
            Poll::Pending
        }
    }
}

/// Where to reach one host's agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentTarget {
    /// The host.
    pub host: HostId,
    /// Its agent's address.
    pub address: HostAddress,
}

/// The agent API (agent-api.md), in domain terms.
pub trait AgentApi: Send + Sync {
    /// `GET /api/v1/health`.
    fn health(
        &self,
        target: &AgentTarget,
    ) -> impl Future<Output = Result<AgentHealth, AgentError>> + Send;
    /// `GET /api/v1/system/info`.
    fn system_info(
        &self,
        target: &AgentTarget,
    ) -> impl Future<Output = Result<SystemInfo, AgentError>> + Send;
    /// `GET /api/v1/packages`.
    fn packages(
        &self,
        target: &AgentTarget,
    ) -> impl Future<Output = Result<Vec<InstalledPackage>, AgentError>> + Send;
    /// `GET /api/v1/patches`.
    fn patches(
        &self,
        target: &AgentTarget,
    ) -> impl Future<Output = Result<PatchReport, AgentError>> + Send;
    /// Any mutating call; returns the agent's job id. The idempotency key makes a repeated
    /// call return the same job instead of starting another.
    fn start(
        &self,
        target: &AgentTarget,
        command: &AgentCommand,
        idempotency_key: &str,
    ) -> impl Future<Output = Result<String, AgentError>> + Send;
    /// `GET /api/v1/jobs/{id}`.
    fn job(
        &self,
        target: &AgentTarget,
        agent_job_id: &str,
    ) -> impl Future<Output = Result<AgentJob, AgentError>> + Send;
    /// The job this idempotency key started, if any: how a resumed row avoids applying twice.
    fn job_by_key(
        &self,
        target: &AgentTarget,
        idempotency_key: &str,
    ) -> impl Future<Output = Result<Option<AgentJob>, AgentError>> + Send;
}

/// A worker's hold on one job-host row. The `attempt` is a fencing token: it grows with every
/// claim, and a write carrying an older attempt is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    /// The row.
    pub job_host: JobHostId,
    /// The worker holding it.
    pub owner: String,
    /// Fencing token.
    pub attempt: i64,
    /// When the hold lapses unless renewed.
    pub expires_at: DateTime<Utc>,
}

/// A claimed job-host row with what the worker needs to act on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimedWork {
    /// The lease.
    pub lease: Lease,
    /// The job.
    pub job: JobId,
    /// The host.
    pub host: HostId,
    /// What to do.
    pub kind: JobKind,
    /// Options passed to the agent.
    pub options: JobOptions,
    /// The row's state when claimed (`dispatched` or `running` means a worker died mid-call).
    pub state: JobHostState,
    /// The key recorded before an earlier agent call, if any.
    pub idempotency_key: Option<String>,
    /// The agent's job id, once accepted.
    pub agent_job_id: Option<String>,
    /// Transient retries made so far.
    pub retries: u32,
    /// Patch retries made so far (at most one, inside the window).
    pub patch_retries: u32,
}

/// How a row ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum HostOutcome {
    /// It worked.
    Succeeded {
        /// Package changes the agent made.
        changes: Vec<PackageChange>,
        /// A reboot is needed to finish.
        reboot_required: bool,
        /// The last output lines.
        log_tail: Vec<String>,
    },
    /// It failed for good.
    Failed {
        /// Why, safe to show.
        error: String,
        /// Changes made before the failure.
        changes: Vec<PackageChange>,
        /// The last output lines.
        log_tail: Vec<String>,
    },
}

/// Why the queue refused a write.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QueueError {
    /// The lease lapsed and another worker claimed the row: this worker must drop it.
    #[error("stale lease on job host {0}: another worker has taken it over")]
    StaleLease(JobHostId),
    /// The change is not a legal transition.
    #[error(transparent)]
    IllegalTransition(#[from] TransitionError),
    /// The storage backend failed; the detail is in the log.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
}

/// The job queue as the engine's executor uses it.
pub trait JobQueue: Send + Sync {
    /// Claims up to `limit` rows that are due at `now` (or whose lease lapsed), for `lease_for`.
    fn claim(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_for: Duration,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<ClaimedWork>, QueueError>> + Send;
    /// Extends a lease; fails when it was taken over.
    fn renew(
        &self,
        lease: &Lease,
        now: DateTime<Utc>,
        lease_for: Duration,
    ) -> impl Future<Output = Result<Lease, QueueError>> + Send;
    /// Records the idempotency key before the agent call (`dispatched`).
    fn record_dispatch(
        &self,
        lease: &Lease,
        idempotency_key: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// Records the agent's job id (`running`).
    fn record_accepted(
        &self,
        lease: &Lease,
        agent_job_id: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// Schedules another attempt at `due_at` (`retry_waiting`) and releases the lease.
    fn retry_later(
        &self,
        lease: &Lease,
        due_at: DateTime<Utc>,
        error: &str,
        patch_retry: bool,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// Finishes the row and releases the lease; settles the job when it was the last row.
    fn complete(
        &self,
        lease: &Lease,
        outcome: &HostOutcome,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
}

/// The coordination channels of ARCHITECTURE.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A job was created (payload: job id).
    JobEnqueued,
    /// A job was cancelled (payload: job id).
    JobCancelled,
    /// A host was registered (payload: host id).
    HostRegistered,
    /// A discovery scan was requested (payload: discovery id).
    DiscoveryEnqueued,
    /// A host refresh was requested (payload: host id).
    RefreshRequested,
    /// A job or job-host changed (payload: JSON event), relayed to browsers.
    JobEvents,
}

crate::model::word_enum!(Channel, "channel", {
    JobEnqueued => "job_enqueued",
    JobCancelled => "job_cancelled",
    HostRegistered => "host_registered",
    DiscoveryEnqueued => "discovery_enqueued",
    RefreshRequested => "refresh_requested",
    JobEvents => "job_events",
});

/// One notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// The channel.
    pub channel: Channel,
    /// Its payload (an id, or JSON).
    pub payload: String,
}

/// What a subscriber receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// A notice.
    Notice(Notice),
    /// Notices may have been missed (a dropped connection was re-established, or the receiver
    /// fell behind): re-read state from the store.
    Resync,
}

/// Wake-ups between processes (PostgreSQL `LISTEN/NOTIFY`) or within one (an in-process channel).
pub trait Notifier: Send + Sync {
    /// A live subscription.
    type Subscription: Subscription;
    /// Sends a notice to every subscriber.
    fn notify(&self, notice: Notice) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// Subscribes to the given channels.
    fn subscribe(
        &self,
        channels: &[Channel],
    ) -> impl Future<Output = Result<Self::Subscription, QueueError>> + Send;
}

/// A stream of notices.
pub trait Subscription: Send {
    /// The next notice; `None` when the notifier is gone.
    fn recv(&mut self) -> impl Future<Output = Option<Received>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::task::Wake;

    struct Flag(AtomicBool);
    impl Wake for Flag {
        fn wake(self: Arc<Self>) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[test]
    fn manual_clock_wakes_sleepers_only_when_due() {
        let start = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let clock = ManualClock::new(start);
        let flag = Arc::new(Flag(AtomicBool::new(false)));
        let waker = Waker::from(flag.clone());
        let mut cx = Context::from_waker(&waker);
        let mut sleep = clock.sleep_until(start + Duration::minutes(5));
        assert!(sleep.as_mut().poll(&mut cx).is_pending());
        clock.advance(Duration::minutes(4));
        assert!(
            flag.0.load(Ordering::SeqCst),
            "advance wakes sleepers to re-check"
        );
        assert!(sleep.as_mut().poll(&mut cx).is_pending());
        clock.advance(Duration::minutes(1));
        assert!(sleep.as_mut().poll(&mut cx).is_ready());
        assert_eq!(clock.now(), start + Duration::minutes(5));
    }
}
