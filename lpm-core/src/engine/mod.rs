//! The orchestration engine: what turns lpm from an inventory into a patch manager. It polls
//! agents, schedules queued work into maintenance windows, sends each job-host row to its
//! agent exactly once, follows it to the end and records the outcome; it also runs CIDR
//! discoveries and the worker's chores.
//!
//! It talks to the world only through the [ports](crate::ports): agents ([`AgentApi`],
//! [`AgentScanner`]), storage ([`JobQueue`], [`FleetStore`], [`SettingsSource`],
//! [`DiscoveryStore`], [`Housekeeping`]), wake-ups ([`Notifier`]), time ([`Clock`]) and a
//! [`Spawner`] for its concurrent work. So an embedding tool runs it in-process with its own
//! parts, and tests run it in virtual time.
//!
//! # Loops
//!
//! [`Engine::run`] runs these until its stop signal, each waking on its notification
//! channel, at the time its next piece of work falls due, or every
//! [`EngineConfig::idle_wakeup`] as a safety net:
//!
//! * **Health poller**: claims hosts whose health poll is due (several workers never poll a
//!   host twice), calls `GET /api/v1/health`, records the snapshot and the host's status:
//!   `healthy`, `degraded`; on failure `unhealthy` with the retry policy's backoff (1, 5, 30
//!   minutes ±10%), and `unreachable` (flagged) once those retries are spent, after which it
//!   is polled at the ordinary interval again.
//! * **Patch poller**: system info, available patches and installed packages.
//! * **Scheduler**: sets each waiting row's due time to its host's next window opening (or
//!   holds it, saying why, while the host has no window).
//! * **Executor**: claims due rows under a lease (renewed while it works), records an
//!   idempotency key before calling the agent, follows the agent's job through its event
//!   stream with polling as the fallback, records progress and the result, then polls the
//!   host again. A row claimed after a crash asks the agent for its key's job first, so
//!   nothing runs twice. Transient failures are retried with backoff under the same key; a
//!   failed patch is retried once while the window is open; rows whose window closed before
//!   they were sent wait for the next one.
//! * **Discovery**: runs requested CIDR scans with progress and cancellation.
//! * **Housekeeping**: heartbeat, settling jobs a dead worker left open, retention pruning
//!   and audit-chain verification.

mod config;
mod discovery;
mod executor;
mod housekeeping;
mod keys;
mod limiter;
mod pollers;
pub mod schedule;
mod scheduler;

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};
use tokio::sync::{Notify, watch};

pub use config::{Effective, EngineConfig, Loops};

use crate::ids::{HostId, JobHostId};
use crate::ports::{
    AgentApi, AgentScanner, Channel, Clock, DiscoveryStore, FleetStore, Housekeeping, JobQueue,
    Lease, Notice, Notifier, Received, SettingsSource, Spawner, Subscription, WorkerIdentity,
};
use limiter::Limiter;

/// Every storage port the engine needs, in one bound. Implemented for anything that
/// implements them all (lpm-store's `Store` does).
pub trait EngineStore:
    JobQueue + FleetStore + SettingsSource + DiscoveryStore + Housekeeping + Notifier + 'static
{
}

impl<T> EngineStore for T where
    T: JobQueue + FleetStore + SettingsSource + DiscoveryStore + Housekeeping + Notifier + 'static
{
}

/// Every agent port the engine needs, in one bound (lpm-agent-client's `AgentClient`).
pub trait EngineAgents: AgentApi + AgentScanner + 'static {}

impl<T> EngineAgents for T where T: AgentApi + AgentScanner + 'static {}

/// The notification channels the engine listens on.
const CHANNELS: [Channel; 5] = [
    Channel::JobEnqueued,
    Channel::JobCancelled,
    Channel::HostRegistered,
    Channel::DiscoveryEnqueued,
    Channel::RefreshRequested,
];

/// The engine. Cheap to clone; clones share everything.
pub struct Engine<A, S> {
    inner: Arc<Inner<A, S>>,
}

impl<A, S> Clone for Engine<A, S> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<A, S> std::fmt::Debug for Engine<A, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("worker", &self.inner.worker.id)
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// Wake-ups of the loops.
#[derive(Debug, Default)]
pub(crate) struct Wake {
    pub(crate) executor: Notify,
    pub(crate) scheduler: Notify,
    pub(crate) health: Notify,
    pub(crate) patches: Notify,
    pub(crate) discovery: Notify,
}

impl Wake {
    fn all(&self) {
        for notify in [
            &self.executor,
            &self.scheduler,
            &self.health,
            &self.patches,
            &self.discovery,
        ] {
            notify.notify_one();
        }
    }
}

/// A count of spawned tasks of one kind, with a wake-up whenever one ends.
#[derive(Debug, Default)]
pub(crate) struct Tasks {
    running: AtomicUsize,
    ended: Notify,
}

impl Tasks {
    pub(crate) fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }

    fn started(&self) {
        self.running.fetch_add(1, Ordering::SeqCst);
    }

    fn finished(&self) {
        self.running.fetch_sub(1, Ordering::SeqCst);
        self.ended.notify_waiters();
    }

    /// Waits until at most `limit` tasks run.
    pub(crate) async fn wait_below(&self, limit: usize) {
        loop {
            let ended = self.ended.notified();
            tokio::pin!(ended);
            ended.as_mut().enable();
            if self.running() <= limit {
                return;
            }
            ended.await;
        }
    }
}

pub(crate) struct Inner<A, S> {
    pub(crate) agents: A,
    pub(crate) store: S,
    pub(crate) clock: Arc<dyn Clock>,
    spawner: Arc<dyn Spawner>,
    pub(crate) config: EngineConfig,
    pub(crate) worker: WorkerIdentity,
    pub(crate) limiter: Limiter,
    effective: Mutex<Effective>,
    pub(crate) wake: Wake,
    stop: watch::Sender<bool>,
    abandon: watch::Sender<bool>,
    /// Job-host rows being worked, with their leases (what a stop relinquishes).
    pub(crate) rows: Mutex<HashMap<JobHostId, Lease>>,
    pub(crate) row_tasks: Arc<Tasks>,
    pub(crate) poll_tasks: Arc<Tasks>,
}

impl<A: EngineAgents, S: EngineStore> Engine<A, S> {
    /// An engine over these ports. `worker.id` names this worker's leases: it must be unique
    /// among the workers sharing a store.
    pub fn new(
        agents: A,
        store: S,
        clock: Arc<dyn Clock>,
        spawner: Arc<dyn Spawner>,
        config: EngineConfig,
        worker: WorkerIdentity,
    ) -> Self {
        let effective = config.effective(&Default::default());
        Self {
            inner: Arc::new(Inner {
                agents,
                store,
                clock,
                spawner,
                limiter: Limiter::new(effective.max_agents),
                effective: Mutex::new(effective),
                config,
                worker,
                wake: Wake::default(),
                stop: watch::Sender::new(false),
                abandon: watch::Sender::new(false),
                rows: Mutex::new(HashMap::new()),
                row_tasks: Arc::default(),
                poll_tasks: Arc::default(),
            }),
        }
    }

    /// The agent-side ports.
    pub fn agents(&self) -> &A {
        &self.inner.agents
    }

    /// The storage ports.
    pub fn store(&self) -> &S {
        &self.inner.store
    }

    /// Runs every configured loop until `stop` completes, then drains: rows in flight get
    /// [`EngineConfig::drain`] to finish; those still running are let go (their leases
    /// relinquished, so another worker resumes them by their idempotency keys).
    pub async fn run(&self, stop: impl Future<Output = ()> + Send) {
        let inner = &self.inner;
        let loops = inner.config.loops;
        tracing::info!(
            worker = %inner.worker.id,
            max_agents = inner.limiter.limit(),
            max_rows = inner.config.max_rows,
            lease_s = inner.config.lease.num_seconds(),
            "engine starting"
        );
        let work = async {
            tokio::join!(
                inner.notices(),
                async {
                    if loops.health {
                        inner.health_loop().await;
                    }
                },
                async {
                    if loops.patches {
                        inner.patch_loop().await;
                    }
                },
                async {
                    if loops.scheduler {
                        inner.scheduler_loop().await;
                    }
                },
                async {
                    if loops.executor {
                        inner.executor_loop().await;
                    }
                },
                async {
                    if loops.discovery {
                        inner.discovery_loop().await;
                    }
                },
                async {
                    if loops.housekeeping {
                        inner.housekeeping_loop().await;
                    }
                },
            );
        };
        let signal = async {
            stop.await;
            tracing::info!(worker = %inner.worker.id, "engine stopping");
            inner.stop.send_replace(true);
        };
        tokio::join!(work, signal);
        inner.drain().await;
        tracing::info!(worker = %inner.worker.id, "engine stopped");
    }

    /// Asks the engine to poll one host (health, system info, patches, packages) now, as
    /// `refresh_requested` does.
    pub async fn refresh(&self, host: HostId) {
        let now = self.inner.clock.now();
        if let Err(e) = self.inner.store.poll_soon(host, now).await {
            tracing::warn!(host = %host, error = %e, "refresh not recorded");
        }
        self.inner.wake.health.notify_one();
        self.inner.wake.patches.notify_one();
    }
}

impl<A: EngineAgents, S: EngineStore> Inner<A, S> {
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn stopping(&self) -> bool {
        *self.stop.borrow()
    }

    pub(crate) fn effective(&self) -> Effective {
        *self
            .effective
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Re-reads the runtime settings; on failure keeps the values in force.
    pub(crate) async fn refresh_settings(&self) -> Effective {
        match self.store.runtime_settings().await {
            Ok(settings) => {
                let effective = self.config.effective(&settings);
                let mut current = self
                    .effective
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                if *current != effective {
                    tracing::info!(
                        health_interval_s = effective.health_interval.num_seconds(),
                        patch_interval_s = effective.patch_interval.num_seconds(),
                        max_agents = effective.max_agents,
                        "runtime settings in force"
                    );
                    self.limiter.resize(effective.max_agents);
                    *current = effective;
                }
                effective
            }
            Err(e) => {
                tracing::warn!(error = %e, "runtime settings unreadable; keeping the current ones");
                self.effective()
            }
        }
    }

    /// Sleeps until `deadline` (no earlier than [`EngineConfig::min_pause`] from now unless
    /// woken), until `wake` is notified, or until stop. `false` when stopping.
    pub(crate) async fn pause(&self, deadline: DateTime<Utc>, wake: Option<&Notify>) -> bool {
        let mut stop = self.stop.subscribe();
        if *stop.borrow_and_update() {
            return false;
        }
        let never = Notify::new();
        let wake = wake.unwrap_or(&never);
        tokio::select! {
            () = self.clock.sleep_until(deadline) => true,
            () = wake.notified() => true,
            _ = stop.wait_for(|s| *s) => false,
        }
    }

    /// A pause after a storage error.
    pub(crate) async fn error_pause(&self) -> bool {
        let deadline = self.now() + self.config.error_pause;
        self.pause(deadline, None).await
    }

    /// The deadline of an idle loop: the next due instant, no sooner than the minimum pause
    /// and no later than the idle wake-up.
    pub(crate) fn idle_deadline(&self, next_due: Option<DateTime<Utc>>) -> DateTime<Utc> {
        let now = self.now();
        let latest = now + self.config.idle_wakeup;
        let earliest = now + self.config.min_pause;
        next_due.map_or(latest, |due| due.clamp(earliest, latest))
    }

    /// Completes when the engine is told to let go of rows in flight.
    pub(crate) async fn abandoned(&self) {
        let mut abandon = self.abandon.subscribe();
        let _ = abandon.wait_for(|a| *a).await;
    }

    /// Spawns `task`, counted in each of `tasks` while it runs.
    pub(crate) fn spawn_counted(
        &self,
        tasks: Vec<Arc<Tasks>>,
        task: impl Future<Output = ()> + Send + 'static,
    ) {
        for t in &tasks {
            t.started();
        }
        self.spawner.spawn(Box::pin(async move {
            task.await;
            for t in &tasks {
                t.finished();
            }
        }));
    }

    async fn notices(&self) {
        let mut stop = self.stop.subscribe();
        loop {
            if self.stopping() {
                return;
            }
            let subscribed = tokio::select! {
                s = self.store.subscribe(&CHANNELS) => s,
                _ = stop.wait_for(|s| *s) => return,
            };
            match subscribed {
                Ok(mut subscription) => {
                    // Whatever happened before the subscription is read from the store.
                    self.wake.all();
                    loop {
                        let received = tokio::select! {
                            r = subscription.recv() => r,
                            _ = stop.wait_for(|s| *s) => return,
                        };
                        match received {
                            Some(Received::Notice(notice)) => self.route(notice).await,
                            Some(Received::Resync) => {
                                tracing::info!("notifications resumed; re-reading the queue");
                                self.wake.all();
                            }
                            None => break,
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot subscribe to notifications"),
            }
            if !self.error_pause().await {
                return;
            }
        }
    }

    async fn route(&self, notice: Notice) {
        match notice.channel {
            Channel::JobEnqueued | Channel::JobCancelled => {
                self.wake.executor.notify_one();
                self.wake.scheduler.notify_one();
            }
            Channel::HostRegistered => {
                self.wake.health.notify_one();
                self.wake.patches.notify_one();
            }
            Channel::DiscoveryEnqueued => self.wake.discovery.notify_one(),
            Channel::RefreshRequested => match notice.payload.parse::<HostId>() {
                Ok(host) => {
                    if let Err(e) = self.store.poll_soon(host, self.now()).await {
                        tracing::warn!(host = %host, error = %e, "refresh not recorded");
                    }
                    self.wake.health.notify_one();
                    self.wake.patches.notify_one();
                }
                Err(_) => {
                    tracing::warn!(payload = %notice.payload, "refresh request for no valid host")
                }
            },
            Channel::JobEvents => {}
        }
    }

    /// Lets rows in flight finish within the drain time, then lets go of the rest.
    async fn drain(&self) {
        let deadline = self.now() + self.config.drain;
        let finished = async {
            tokio::join!(self.row_tasks.wait_below(0), self.poll_tasks.wait_below(0));
        };
        tokio::select! {
            () = finished => {}
            () = self.clock.sleep_until(deadline) => {
                tracing::info!(
                    rows = self.row_tasks.running(),
                    polls = self.poll_tasks.running(),
                    "letting go of work still in flight"
                );
            }
        }
        self.abandon.send_replace(true);
        // Abandoned tasks end at their next await; give them a moment.
        let grace = self.now() + Duration::seconds(5);
        tokio::select! {
            () = async { tokio::join!(self.row_tasks.wait_below(0), self.poll_tasks.wait_below(0)); } => {}
            () = self.clock.sleep_until(grace) => {}
        }
        let leases: Vec<Lease> = self
            .rows
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain()
            .map(|(_, lease)| lease)
            .collect();
        let now = self.now();
        for lease in &leases {
            if let Err(e) = self.store.relinquish(lease, now).await {
                tracing::info!(job_host = %lease.job_host, error = %e, "lease left to lapse");
            }
        }
        if !leases.is_empty() {
            tracing::info!(
                rows = leases.len(),
                "relinquished the leases of rows in flight"
            );
        }
    }
}
