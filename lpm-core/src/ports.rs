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

use std::net::IpAddr;

use crate::agent::PackageChange;
use crate::agent::{
    AgentCommand, AgentError, AgentHealth, AgentJob, AgentJobEvent, InstalledPackage, PatchReport,
    SystemInfo,
};
use crate::ids::{DiscoveryId, HostId, JobHostId, JobId};
use crate::job::{JobHostState, JobKind, JobOptions, Schedule, TransitionError};
use crate::model::{HostAddress, HostStatus};
use crate::net::{Cidr, Port};
use crate::window::MaintenanceWindow;

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

/// A live stream of an agent's job events (`WS /api/v1/ws/jobs`).
pub trait JobEventSource: Send {
    /// The next event; `None` when the stream ended (the agent closed it, or it broke: read
    /// `GET /api/v1/jobs/{id}` to catch up).
    fn next_event(
        &mut self,
    ) -> impl Future<Output = Option<Result<AgentJobEvent, AgentError>>> + Send;
}

/// The agent API (agent-api.md), in domain terms.
pub trait AgentApi: Send + Sync {
    /// The job event stream this implementation opens.
    type Events: JobEventSource + 'static;
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
    /// Opens `WS /api/v1/ws/jobs`: events of jobs that start after it opened.
    fn job_events(
        &self,
        target: &AgentTarget,
    ) -> impl Future<Output = Result<Self::Events, AgentError>> + Send;
}

/// How far a CIDR scan has got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanCount {
    /// Addresses settled.
    pub done: u64,
    /// Addresses in the scan.
    pub total: u64,
    /// Agents found so far.
    pub found: u64,
}

/// An agent a scan found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundAgent {
    /// Where it answered.
    pub ip: IpAddr,
    /// Its port.
    pub port: Port,
    /// The name its certificate gives, if any: what to register it under.
    pub fqdn: Option<String>,
    /// Its agent version.
    pub agent_version: Option<String>,
}

/// Scanning a CIDR range for agents (SDD §6.2).
pub trait AgentScanner: Send + Sync {
    /// Probes every address of `cidr` on `port`, reporting progress through `progress` as it
    /// goes. When `cancel` completes the scan stops promptly and returns what it found so far.
    fn scan<'a>(
        &'a self,
        cidr: &'a Cidr,
        port: Port,
        progress: &'a (dyn Fn(ScanCount) + Send + Sync),
        cancel: BoxFuture<'a, ()>,
    ) -> impl Future<Output = Vec<FoundAgent>> + Send + 'a;
}

/// Runs background tasks: the engine hands its concurrent work to the embedding runtime.
pub trait Spawner: Send + Sync + Debug {
    /// Runs `task` to completion in the background.
    fn spawn(&self, task: BoxFuture<'static, ()>);
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
    /// When the job may run: at each host's window, or now.
    pub schedule: Schedule,
    /// For a rollback, the job it undoes.
    pub parent: Option<JobId>,
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
    /// Records the keys of several claimed rows at once, before their agent calls; the result
    /// of each row in input order (a row taken over meanwhile fails alone).
    fn record_dispatches(
        &self,
        batch: &[(Lease, String)],
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<Result<(), QueueError>>, QueueError>> + Send;
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
    /// Like [`JobQueue::retry_later`] for a transient failure, but keeps the idempotency key:
    /// the agent may have accepted the request, so the next attempt asks it for the key's job
    /// first and resends under the same key.
    fn retry_later_keeping_key(
        &self,
        lease: &Lease,
        due_at: DateTime<Utc>,
        error: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// Records progress and output of the agent's job (no state change).
    fn record_progress(
        &self,
        lease: &Lease,
        progress: u8,
        log_tail: &[String],
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// Gives a claimed row back unsent: it waits as `queued` until `due_at` (`None`: until
    /// its host has a window), saying why.
    fn release(
        &self,
        lease: &Lease,
        due_at: Option<DateTime<Utc>>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// Lets go of a lease at once (a worker stopping): an unsent row waits for the next
    /// worker; a row already sent stays as it is, its lease lapsed, so the next worker resumes
    /// it by its idempotency key.
    fn relinquish(
        &self,
        lease: &Lease,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// The earliest instant after which [`JobQueue::claim`] may find work (a row falling due, a
    /// lease lapsing), if any.
    fn next_due_at(&self)
    -> impl Future<Output = Result<Option<DateTime<Utc>>, QueueError>> + Send;
    /// Unleased `queued` rows of jobs that wait for windows, for the scheduler.
    fn awaiting_window(
        &self,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<WaitingRow>, QueueError>> + Send;
    /// Sets when an unleased `queued` row is due and why it waits; `false` when the row was
    /// claimed or changed meanwhile.
    fn set_due(
        &self,
        row: JobHostId,
        due_at: Option<DateTime<Utc>>,
        waiting_reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, QueueError>> + Send;
    /// Settles jobs whose rows all finished but whose worker died before settling them.
    fn settle_finished_jobs(
        &self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64, QueueError>> + Send;
}

/// A queued row waiting for its host's window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingRow {
    /// The row.
    pub job_host: JobHostId,
    /// Its host.
    pub host: HostId,
    /// When it is due now.
    pub due_at: Option<DateTime<Utc>>,
    /// Why it waits now.
    pub waiting_reason: Option<String>,
}

/// Keys of the runtime settings (`system_config`) the engine reads; values are JSON numbers.
pub mod setting_keys {
    /// Seconds between health polls of a host (default 300).
    pub const HEALTH_INTERVAL_S: &str = "polling.health_interval_s";
    /// Seconds between patch polls of a host (default 1800).
    pub const PATCH_INTERVAL_S: &str = "polling.patch_interval_s";
    /// Agent calls in flight at once per worker (default 64).
    pub const MAX_AGENTS: &str = "concurrency.max_agents";
}

/// Runtime settings as stored; `None` where unset (the engine's configured default applies).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuntimeSettings {
    /// [`setting_keys::HEALTH_INTERVAL_S`].
    pub health_interval: Option<Duration>,
    /// [`setting_keys::PATCH_INTERVAL_S`].
    pub patch_interval: Option<Duration>,
    /// [`setting_keys::MAX_AGENTS`].
    pub max_agents: Option<u32>,
}

/// Where runtime settings come from.
pub trait SettingsSource: Send + Sync {
    /// The current settings.
    fn runtime_settings(&self) -> impl Future<Output = Result<RuntimeSettings, QueueError>> + Send;
}

/// The two periodic polls of SDD §6.6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PollKind {
    /// `GET /api/v1/health` (every 5 minutes by default).
    Health,
    /// System info, patches and packages (every 30 minutes by default).
    Patches,
}

/// A host as the pollers and the executor need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostTarget {
    /// The host.
    pub host: HostId,
    /// Its agent's address.
    pub address: HostAddress,
    /// Its status.
    pub status: HostStatus,
    /// Health polls failed in a row.
    pub consecutive_failures: u32,
    /// When it last booted, as last polled.
    pub last_boot: Option<DateTime<Utc>>,
    /// Its maintenance windows (filled for the executor; empty from the pollers).
    pub windows: Vec<MaintenanceWindow>,
}

impl HostTarget {
    /// Where to reach its agent.
    pub fn agent(&self) -> AgentTarget {
        AgentTarget {
            host: self.host,
            address: self.address.clone(),
        }
    }
}

/// The outcome of one health poll, to be recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthRecord {
    /// The host.
    pub host: HostId,
    /// When the poll ended.
    pub at: DateTime<Utc>,
    /// The host's new status.
    pub status: HostStatus,
    /// Why, for a status other than healthy (safe to show).
    pub reason: Option<String>,
    /// Failed polls in a row (0 after a success).
    pub consecutive_failures: u32,
    /// What the agent answered, when it answered.
    pub health: Option<AgentHealth>,
    /// When the next health poll is due.
    pub next_poll_at: DateTime<Utc>,
}

/// What the pollers and the executor read and write about hosts.
pub trait FleetStore: Send + Sync {
    /// Takes up to `limit` hosts whose `kind` poll is due at `now`, and holds them until
    /// `now + hold` so that no other worker polls them meanwhile.
    fn claim_polls(
        &self,
        kind: PollKind,
        now: DateTime<Utc>,
        hold: Duration,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<HostTarget>, QueueError>> + Send;
    /// When the next `kind` poll of any host is due.
    fn next_poll_at(
        &self,
        kind: PollKind,
    ) -> impl Future<Output = Result<Option<DateTime<Utc>>, QueueError>> + Send;
    /// Makes both polls of `host` due at `now` (an operator asked for a refresh).
    fn poll_soon(
        &self,
        host: HostId,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// Sets when the next `kind` poll of `host` is due.
    fn schedule_poll(
        &self,
        host: HostId,
        kind: PollKind,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// Records a health poll: snapshot, status, failure count, next poll.
    fn record_health(
        &self,
        record: &HealthRecord,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// Records system facts on the host.
    fn record_system_info(
        &self,
        host: HostId,
        info: &SystemInfo,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// Records a patch-availability snapshot.
    fn record_patches(
        &self,
        host: HostId,
        report: &PatchReport,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// Records the installed packages (a snapshot when they changed, and at least daily).
    fn record_packages(
        &self,
        host: HostId,
        packages: &[InstalledPackage],
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// The hosts with their windows; hosts that no longer exist are left out.
    fn hosts(
        &self,
        hosts: &[HostId],
    ) -> impl Future<Output = Result<Vec<HostTarget>, QueueError>> + Send;
    /// The agent's job id of `job` on `host` (what a rollback undoes), if it reached the agent.
    fn agent_job_of(
        &self,
        job: JobId,
        host: HostId,
    ) -> impl Future<Output = Result<Option<String>, QueueError>> + Send;
}

/// A CIDR scan a person requested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscoveryRequest {
    /// The run.
    pub id: DiscoveryId,
    /// The range.
    pub cidr: Cidr,
    /// The agent port.
    pub port: Port,
    /// Which claim of the run this is: a run whose worker stalled is claimed again, and the
    /// store then ignores the earlier claim's writes.
    pub claim: i64,
}

/// Discovery runs as the engine works them.
pub trait DiscoveryStore: Send + Sync {
    /// Takes the oldest queued run, or one whose worker stopped writing progress, if any.
    fn claim_discovery(
        &self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Option<DiscoveryRequest>, QueueError>> + Send;
    /// Records progress, which is also the run's heartbeat; `false` when the run was
    /// cancelled meanwhile.
    fn discovery_progress(
        &self,
        run: &DiscoveryRequest,
        count: ScanCount,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, QueueError>> + Send;
    /// Records an agent found.
    fn add_discovery_result(
        &self,
        id: DiscoveryId,
        agent: &FoundAgent,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// Ends a run (`error`: why it failed), unless another claim has taken it over.
    fn finish_discovery(
        &self,
        run: &DiscoveryRequest,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
}

/// The result of an audit-chain check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditCheck {
    /// Whether the chain holds.
    pub intact: bool,
    /// Rows read.
    pub rows_checked: u64,
    /// Where and how it breaks, when it does.
    pub detail: Option<String>,
}

/// Who a worker is, for its heartbeat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerIdentity {
    /// Unique among the workers of one installation; names its leases.
    pub id: String,
    /// The machine it runs on.
    pub hostname: String,
    /// Its version.
    pub version: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
}

/// The worker's periodic chores.
pub trait Housekeeping: Send + Sync {
    /// Records a heartbeat (SDD §13).
    fn heartbeat(
        &self,
        worker: &WorkerIdentity,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// Deletes what has outlived retention; returns a summary for the log.
    fn prune(&self, now: DateTime<Utc>) -> impl Future<Output = Result<String, QueueError>> + Send;
    /// Verifies the audit chain.
    fn verify_audit(&self) -> impl Future<Output = Result<AuditCheck, QueueError>> + Send;
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
