//! The executor: claims due job-host rows, sends each to its agent exactly once, follows the
//! agent's job to its end and records the outcome.
//!
//! # Exactly once
//!
//! A row's idempotency key is recorded (`dispatched`) before the agent is called, and every
//! call for the row carries it. A row that comes back with a key (its worker died, or a
//! transient failure left the outcome unknown, or its window closed after a failed send) is
//! *resumed*: the agent is first asked for the key's job, which is followed if it exists;
//! only if it does not is the request sent, under the same key, so an agent that did accept
//! it answers with the same job. A new key is made only for a fresh claim and for the one
//! retry of a failed patch (whose first job did run).
//!
//! Work that takes several agent calls (removing several packages, updating pinned versions)
//! derives one key per step from the row's key; a resumed row asks for each step's job in
//! turn and sends only from the first step the agent has never seen.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError};

use chrono::{DateTime, Utc};

use crate::agent::{
    AgentCommand, AgentError, AgentErrorClass, AgentJob, AgentJobEvent, AgentJobState,
    PackageChange,
};
use crate::engine::schedule::{self, WindowGate};
use crate::engine::{EngineAgents, EngineStore, Inner, keys};
use crate::ids::HostId;
use crate::job::{JobHostState, JobKind, JobOptions, Schedule};
use crate::ports::{
    AgentTarget, ClaimedWork, HostOutcome, HostTarget, JobEventSource, Lease, QueueError,
};
use crate::retry::{RetryDecision, after_patch_failure};

/// Output lines kept per row.
const LOG_LINES: usize = 50;

/// What a row has produced so far.
#[derive(Debug, Default)]
struct Progress {
    changes: Vec<PackageChange>,
    reboot_required: bool,
    /// Output of the steps that finished.
    done_log: Vec<String>,
    /// Output of the step running now.
    step_log: Vec<String>,
    percent: u8,
    dirty: bool,
    written_at: Option<DateTime<Utc>>,
}

impl Progress {
    fn log_tail(&self) -> Vec<String> {
        let all: Vec<&String> = self.done_log.iter().chain(&self.step_log).collect();
        let skip = all.len().saturating_sub(LOG_LINES);
        all.into_iter().skip(skip).cloned().collect()
    }

    fn absorb(&mut self, job: &AgentJob) {
        self.changes.extend(job.changes.iter().cloned());
        self.reboot_required |= job.reboot_required;
        let lines = if job.log_tail.is_empty() {
            std::mem::take(&mut self.step_log)
        } else {
            job.log_tail.clone()
        };
        self.done_log.extend(lines);
        self.step_log.clear();
        let skip = self.done_log.len().saturating_sub(LOG_LINES);
        self.done_log.drain(..skip);
    }

    fn seen(&mut self, job: &AgentJob) {
        if job.progress != self.percent
            || (!job.log_tail.is_empty() && job.log_tail != self.step_log)
        {
            self.percent = job.progress;
            if !job.log_tail.is_empty() {
                self.step_log = job.log_tail.clone();
            }
            self.dirty = true;
        }
    }

    fn event(&mut self, event: &AgentJobEvent) {
        self.percent = event.progress;
        if let Some(line) = &event.line {
            self.step_log.push(line.clone());
            let skip = self.step_log.len().saturating_sub(LOG_LINES);
            self.step_log.drain(..skip);
        }
        self.dirty = true;
    }
}

/// Why a row cannot be turned into agent calls.
enum Unplannable {
    /// The job itself says nothing to do: the row fails with this message.
    Fail(String),
    /// The store failed.
    Store(QueueError),
}

fn is_patch_kind(kind: JobKind) -> bool {
    matches!(
        kind,
        JobKind::ApplyPatches | JobKind::Install | JobKind::Update | JobKind::Remove
    )
}

/// The agent calls a row makes, in order (ARCHITECTURE.md, "Job options": several packages
/// are one call where the agent API allows it, else one call each).
fn plan(
    kind: JobKind,
    options: &JobOptions,
    rollback_of: Option<String>,
) -> Result<Vec<AgentCommand>, String> {
    let packages = &options.packages;
    match kind {
        JobKind::ApplyPatches => Ok(vec![AgentCommand::ApplyPatches(options.clone())]),
        JobKind::Install if packages.is_empty() => {
            Err("the job names no package to install".into())
        }
        JobKind::Install => Ok(vec![AgentCommand::Install {
            packages: packages.clone(),
        }]),
        JobKind::Update if packages.is_empty() => Err("the job names no package to update".into()),
        // Updates to the newest versions are one apply call with the package list.
        JobKind::Update if packages.iter().all(|p| p.version.is_none()) => {
            Ok(vec![AgentCommand::ApplyPatches(options.clone())])
        }
        JobKind::Update => Ok(packages
            .iter()
            .map(|p| AgentCommand::Update(p.clone()))
            .collect()),
        JobKind::Remove if packages.is_empty() => Err("the job names no package to remove".into()),
        JobKind::Remove => Ok(packages
            .iter()
            .map(|p| AgentCommand::Remove {
                name: p.name.clone(),
            })
            .collect()),
        JobKind::Rollback => match rollback_of {
            Some(agent_job_id) => Ok(vec![AgentCommand::Rollback { agent_job_id }]),
            None => Err("the job being rolled back never reached this host's agent".into()),
        },
        JobKind::Reboot => Ok(vec![AgentCommand::Reboot { delay_s: 0 }]),
        JobKind::Refresh => Ok(Vec::new()),
    }
}

async fn next_event<E: JobEventSource>(
    events: &mut Option<E>,
) -> Option<Result<AgentJobEvent, AgentError>> {
    match events {
        Some(stream) => stream.next_event().await,
        None => std::future::pending().await,
    }
}

impl<A: EngineAgents, S: EngineStore> Inner<A, S> {
    pub(crate) async fn executor_loop(self: &Arc<Self>) {
        loop {
            if self.stopping() {
                return;
            }
            let cap = self.config.max_rows as usize;
            let running = self.row_tasks.running();
            if running < cap {
                let want = (cap - running).min(self.config.claim_batch as usize);
                let limit = u32::try_from(want).unwrap_or(u32::MAX);
                let claimed = self
                    .store
                    .claim(&self.worker.id, self.now(), self.config.lease, limit)
                    .await;
                match claimed {
                    Ok(works) => {
                        let n = works.len();
                        self.start_rows(works).await;
                        if n == want {
                            continue;
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot claim job-host rows");
                        if !self.error_pause().await {
                            return;
                        }
                        continue;
                    }
                }
                let next = match self.store.next_due_at().await {
                    Ok(next) => next,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot read when work falls due");
                        None
                    }
                };
                if !self
                    .pause(self.idle_deadline(next), Some(&self.wake.executor))
                    .await
                {
                    return;
                }
            } else {
                let deadline = self.now() + self.config.idle_wakeup;
                let go_on = tokio::select! {
                    () = self.row_tasks.wait_below(cap - 1) => true,
                    go_on = self.pause(deadline, None) => go_on,
                };
                if !go_on {
                    return;
                }
            }
        }
    }

    /// Sorts a claimed batch: rows whose window is shut go back to wait, fresh rows get their
    /// keys recorded in one write, and every row then runs in its own task.
    async fn start_rows(self: &Arc<Self>, works: Vec<ClaimedWork>) {
        if works.is_empty() {
            return;
        }
        let mut ids: Vec<HostId> = works.iter().map(|w| w.host).collect();
        ids.sort_unstable();
        ids.dedup();
        let hosts: HashMap<HostId, HostTarget> = match self.store.hosts(&ids).await {
            Ok(hosts) => hosts.into_iter().map(|h| (h.host, h)).collect(),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the hosts of claimed rows; giving them back");
                self.give_back(&works).await;
                return;
            }
        };
        let now = self.now();
        let mut fresh = Vec::new();
        for work in works {
            // A host deleted after the claim took its rows with it.
            let Some(host) = hosts.get(&work.host).cloned() else {
                continue;
            };
            if work.schedule == Schedule::NextWindow
                && !work.state.reached_agent()
                && let WindowGate::Wait { due_at, reason } = schedule::gate(&host.windows, now)
            {
                if let Err(e) = self.store.release(&work.lease, due_at, reason, now).await {
                    tracing::debug!(job_host = %work.lease.job_host, error = %e, "row not released");
                }
                continue;
            }
            match work.idempotency_key.clone() {
                Some(key) => self.spawn_row(work, host, key, true),
                None if work.state.reached_agent() => {
                    // Keys are recorded before sending, so this is a hand-edited row.
                    tracing::error!(job_host = %work.lease.job_host, "row in flight without an idempotency key; failing it");
                    let outcome = HostOutcome::Failed {
                        error: "the row was sent without an idempotency key".into(),
                        changes: Vec::new(),
                        log_tail: Vec::new(),
                    };
                    let _ = self.store.complete(&work.lease, &outcome, now).await;
                }
                None => {
                    let key = keys::row_key(
                        &self.worker.id,
                        work.lease.job_host.get(),
                        work.lease.attempt,
                        now,
                    );
                    fresh.push((work, host, key));
                }
            }
        }
        if fresh.is_empty() {
            return;
        }
        let batch: Vec<(Lease, String)> = fresh
            .iter()
            .map(|(w, _, key)| (w.lease.clone(), key.clone()))
            .collect();
        match self.store.record_dispatches(&batch, now).await {
            Ok(results) => {
                for ((mut work, host, key), result) in fresh.into_iter().zip(results) {
                    match result {
                        Ok(()) => {
                            work.state = JobHostState::Dispatched;
                            work.idempotency_key = Some(key.clone());
                            self.spawn_row(work, host, key, false);
                        }
                        Err(e) => {
                            tracing::debug!(job_host = %work.lease.job_host, error = %e, "row not dispatched")
                        }
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot record dispatches; giving the rows back");
                let works: Vec<ClaimedWork> = fresh.into_iter().map(|(w, _, _)| w).collect();
                self.give_back(&works).await;
            }
        }
    }

    async fn give_back(&self, works: &[ClaimedWork]) {
        let now = self.now();
        for work in works {
            if let Err(e) = self.store.relinquish(&work.lease, now).await {
                tracing::debug!(job_host = %work.lease.job_host, error = %e, "lease left to lapse");
            }
        }
    }

    fn spawn_row(
        self: &Arc<Self>,
        work: ClaimedWork,
        host: HostTarget,
        key: String,
        resumed: bool,
    ) {
        let id = work.lease.job_host;
        self.rows
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, work.lease.clone());
        let inner = self.clone();
        self.spawn_counted(vec![self.row_tasks.clone()], async move {
            let lease = work.lease.clone();
            let result = tokio::select! {
                r = inner.run_row(&work, &host, &key, resumed) => Some(r),
                () = inner.keep_lease(&lease) => None,
                // Stopping: the lease stays registered, to be relinquished.
                () = inner.abandoned() => return,
            };
            inner
                .rows
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&id);
            match result {
                Some(Ok(())) => {}
                Some(Err(QueueError::StaleLease(_))) | None => {
                    tracing::info!(job_host = %id, "row taken over by another worker; dropped");
                }
                Some(Err(e)) => tracing::warn!(
                    job_host = %id,
                    error = %e,
                    "row left unfinished; it resumes by its key once the lease lapses"
                ),
            }
            inner.wake.executor.notify_one();
        });
    }

    /// Renews the lease every third of its length; returns only when it was taken over.
    async fn keep_lease(&self, lease: &Lease) {
        loop {
            let wake = self.now() + self.config.lease / 3;
            self.clock.sleep_until(wake).await;
            match self.store.renew(lease, self.now(), self.config.lease).await {
                Ok(_) => {}
                Err(QueueError::StaleLease(_)) => return,
                Err(e) => {
                    tracing::warn!(job_host = %lease.job_host, error = %e, "lease not renewed")
                }
            }
        }
    }

    async fn run_row(
        &self,
        work: &ClaimedWork,
        host: &HostTarget,
        key: &str,
        resumed: bool,
    ) -> Result<(), QueueError> {
        let lease = &work.lease;
        let mut state = work.state;
        if !state.reached_agent() {
            // A kept key (transient retry, or a window that closed): record it again.
            self.store.record_dispatch(lease, key, self.now()).await?;
            state = JobHostState::Dispatched;
        }
        let target = host.agent();
        if work.kind == JobKind::Refresh {
            return self.refresh_row(work, host).await;
        }
        let commands = match self.commands(work).await {
            Ok(commands) => commands,
            Err(Unplannable::Fail(message)) => {
                return self
                    .finish_failed(work, &target, message, Progress::default(), false)
                    .await;
            }
            Err(Unplannable::Store(e)) => return Err(e),
        };
        let mut progress = Progress::default();
        let mut ask_first = resumed;
        for (step, command) in commands.iter().enumerate() {
            let step_key = keys::step_key(key, step);
            let existing = if ask_first {
                match self
                    .limiter
                    .run(self.agents.job_by_key(&target, &step_key))
                    .await
                {
                    Ok(found) => found,
                    Err(e) => return self.after_agent_error(work, &target, e, progress).await,
                }
            } else {
                None
            };
            // Steps are sent in order: after the first the agent never saw, none was sent.
            ask_first = existing.is_some();
            let reboot = matches!(command, AgentCommand::Reboot { .. });
            let boot_before = if reboot && existing.is_none() {
                self.boot_time(&target, host).await
            } else {
                host.last_boot
            };
            let job_id = match &existing {
                Some(job) => job.id.clone(),
                None => match self
                    .limiter
                    .run(self.agents.start(&target, command, &step_key))
                    .await
                {
                    Ok(id) => id,
                    Err(e) => return self.after_agent_error(work, &target, e, progress).await,
                },
            };
            if state == JobHostState::Dispatched {
                self.store
                    .record_accepted(lease, &job_id, self.now())
                    .await?;
                state = JobHostState::Running;
            }
            let finished = match existing.filter(|j| j.state.is_finished()) {
                Some(job) => Ok(job),
                None if reboot => self.await_reboot(&target, &job_id, boot_before).await,
                None => self.follow(lease, &target, &job_id, &mut progress).await?,
            };
            match finished {
                Ok(job) if job.state == AgentJobState::Succeeded => progress.absorb(&job),
                Ok(job) => {
                    progress.absorb(&job);
                    let error = job
                        .error
                        .clone()
                        .unwrap_or_else(|| format!("the agent's job ended {}", job.state));
                    return self.after_job_failure(work, host, error, progress).await;
                }
                Err(e) => return self.after_agent_error(work, &target, e, progress).await,
            }
        }
        self.poll_after(&target).await;
        let outcome = HostOutcome::Succeeded {
            log_tail: progress.log_tail(),
            changes: progress.changes,
            reboot_required: progress.reboot_required,
        };
        self.store.complete(lease, &outcome, self.now()).await
    }

    async fn commands(&self, work: &ClaimedWork) -> Result<Vec<AgentCommand>, Unplannable> {
        let rollback_of = match (work.kind, work.parent) {
            (JobKind::Rollback, Some(parent)) => self
                .store
                .agent_job_of(parent, work.host)
                .await
                .map_err(Unplannable::Store)?,
            _ => None,
        };
        plan(work.kind, &work.options, rollback_of).map_err(Unplannable::Fail)
    }

    /// A refresh row (SDD §6.6): health, then system info, patches and packages.
    async fn refresh_row(&self, work: &ClaimedWork, host: &HostTarget) -> Result<(), QueueError> {
        let target = host.agent();
        let health = self.limiter.run(self.agents.health(&target)).await;
        let now = self.now();
        let record = super::pollers::health_record(
            host,
            health.clone(),
            now,
            self.effective().health_interval,
            &self.config.retry,
        );
        if let Err(e) = self.store.record_health(&record).await {
            tracing::warn!(host = %host.host, error = %e, "health not recorded");
        }
        let polled = match health {
            Ok(_) => self.poll_host(&target).await,
            Err(e) => Err(e),
        };
        match polled {
            Ok(()) => {
                let outcome = HostOutcome::Succeeded {
                    changes: Vec::new(),
                    reboot_required: false,
                    log_tail: Vec::new(),
                };
                self.store.complete(&work.lease, &outcome, self.now()).await
            }
            Err(e) => {
                self.after_agent_error(work, &target, e, Progress::default())
                    .await
            }
        }
    }

    /// A call failed: a permanent error fails the row; a transient one is retried with backoff
    /// under the same key (the agent may have accepted what it could not answer), until the
    /// retries are spent.
    async fn after_agent_error(
        &self,
        work: &ClaimedWork,
        target: &AgentTarget,
        error: AgentError,
        progress: Progress,
    ) -> Result<(), QueueError> {
        let message = format!("{}: {}", error.code, error.message);
        if !error.is_retryable() {
            return self
                .finish_failed(work, target, message, progress, true)
                .await;
        }
        let now = self.now();
        let sample = keys::sample(&[
            &work.lease.job_host.get().to_le_bytes(),
            &work.lease.attempt.to_le_bytes(),
        ]);
        match self.config.retry.after_transient(work.retries, now, sample) {
            RetryDecision::RetryAt(at) => {
                tracing::info!(
                    job_host = %work.lease.job_host,
                    host = %work.host,
                    retry = work.retries + 1,
                    at = %at,
                    error = %message,
                    "agent call failed; retrying later under the same key"
                );
                self.store
                    .retry_later_keeping_key(&work.lease, at, &message, now)
                    .await
            }
            RetryDecision::GiveUp(_) => {
                let message = format!(
                    "{message} (gave up after {} retries)",
                    self.config.retry.max_retries()
                );
                self.finish_failed(work, target, message, progress, false)
                    .await
            }
        }
    }

    /// The agent's job failed: a patch is retried once, at once, if its window is still open
    /// (SDD §8.2, §8.3); otherwise the row fails with what the job changed.
    async fn after_job_failure(
        &self,
        work: &ClaimedWork,
        host: &HostTarget,
        error: String,
        progress: Progress,
    ) -> Result<(), QueueError> {
        let now = self.now();
        let target = host.agent();
        if is_patch_kind(work.kind) {
            let closes_at = match work.schedule {
                Schedule::Immediate => None,
                Schedule::NextWindow => match schedule::gate(&host.windows, now) {
                    WindowGate::Open { closes_at } => Some(closes_at),
                    WindowGate::Wait { .. } => Some(now),
                },
            };
            if let RetryDecision::RetryAt(at) =
                after_patch_failure(work.patch_retries, now, closes_at)
            {
                tracing::info!(job_host = %work.lease.job_host, host = %work.host, error = %error, "job failed on the host; retrying once");
                self.poll_after(&target).await;
                return self
                    .store
                    .retry_later(&work.lease, at, &error, true, now)
                    .await;
            }
        }
        self.finish_failed(work, &target, error, progress, true)
            .await
    }

    async fn finish_failed(
        &self,
        work: &ClaimedWork,
        target: &AgentTarget,
        error: String,
        progress: Progress,
        poll: bool,
    ) -> Result<(), QueueError> {
        tracing::info!(job_host = %work.lease.job_host, host = %work.host, error = %error, "row failed");
        if poll {
            self.poll_after(target).await;
        }
        let outcome = HostOutcome::Failed {
            error,
            log_tail: progress.log_tail(),
            changes: progress.changes,
        };
        self.store.complete(&work.lease, &outcome, self.now()).await
    }

    /// After a job the host is polled again, so its patch state is current when the row ends.
    async fn poll_after(&self, target: &AgentTarget) {
        if let Err(e) = self.poll_host(target).await {
            tracing::debug!(host = %target.host, error = %e, "poll after the job failed; the patch poller will catch up");
        }
    }

    async fn boot_time(&self, target: &AgentTarget, host: &HostTarget) -> Option<DateTime<Utc>> {
        match self.limiter.run(self.agents.system_info(target)).await {
            Ok(info) => {
                let _ = self
                    .store
                    .record_system_info(target.host, &info, self.now())
                    .await;
                Some(info.last_boot)
            }
            Err(_) => host.last_boot,
        }
    }

    /// Follows an agent job to its end: events from the job stream as they come, a read of
    /// the job when none arrives for a while (or the stream is gone). Transient read failures
    /// are tolerated for [`super::EngineConfig::agent_silence_limit`].
    async fn follow(
        &self,
        lease: &Lease,
        target: &AgentTarget,
        job_id: &str,
        progress: &mut Progress,
    ) -> Result<Result<AgentJob, AgentError>, QueueError> {
        let mut events = match self.limiter.run(self.agents.job_events(target)).await {
            Ok(stream) => Some(stream),
            Err(e) => {
                tracing::debug!(host = %target.host, error = %e, "no job stream; polling the job");
                None
            }
        };
        let mut last_contact = self.now();
        loop {
            match self.limiter.run(self.agents.job(target, job_id)).await {
                Ok(job) if job.state.is_finished() => return Ok(Ok(job)),
                Ok(job) => {
                    last_contact = self.now();
                    progress.seen(&job);
                    self.write_progress(lease, progress).await?;
                }
                Err(e) if !e.is_retryable() => return Ok(Err(e)),
                Err(e) => {
                    if self.now() - last_contact > self.config.agent_silence_limit {
                        return Ok(Err(e));
                    }
                }
            }
            let poll_at = self.now() + self.config.job_poll_interval;
            loop {
                let event = tokio::select! {
                    e = next_event(&mut events) => e,
                    () = self.clock.sleep_until(poll_at) => break,
                };
                match event {
                    Some(Ok(event)) if event.job_id == job_id => {
                        last_contact = self.now();
                        progress.event(&event);
                        if event.state.is_finished() {
                            break;
                        }
                        self.write_progress(lease, progress).await?;
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => events = None,
                }
            }
        }
    }

    async fn write_progress(
        &self,
        lease: &Lease,
        progress: &mut Progress,
    ) -> Result<(), QueueError> {
        let now = self.now();
        let due = progress
            .written_at
            .is_none_or(|at| now - at >= self.config.progress_interval);
        if !progress.dirty || !due {
            return Ok(());
        }
        match self
            .store
            .record_progress(lease, progress.percent, &progress.log_tail(), now)
            .await
        {
            Ok(()) => {
                progress.dirty = false;
                progress.written_at = Some(now);
                Ok(())
            }
            Err(e @ QueueError::StaleLease(_)) => Err(e),
            Err(e) => {
                tracing::debug!(job_host = %lease.job_host, error = %e, "progress not recorded");
                Ok(())
            }
        }
    }

    /// A reboot: waits until the agent answers again with a boot time after `before`, then
    /// reads its reboot job (an agent may have lost it across the reboot: then the new boot
    /// time is the success).
    async fn await_reboot(
        &self,
        target: &AgentTarget,
        job_id: &str,
        before: Option<DateTime<Utc>>,
    ) -> Result<AgentJob, AgentError> {
        let deadline = self.now() + self.config.reboot_timeout;
        loop {
            self.clock
                .sleep_until(self.now() + self.config.job_poll_interval)
                .await;
            if let Ok(info) = self.limiter.run(self.agents.system_info(target)).await
                && before.is_none_or(|b| info.last_boot > b)
            {
                let _ = self
                    .store
                    .record_system_info(target.host, &info, self.now())
                    .await;
                break;
            }
            if self.now() >= deadline {
                return Err(AgentError {
                    class: AgentErrorClass::Transient,
                    code: "reboot_timeout".into(),
                    message: format!(
                        "the host did not come back within {} s of its reboot",
                        self.config.reboot_timeout.num_seconds()
                    ),
                });
            }
        }
        match self.limiter.run(self.agents.job(target, job_id)).await {
            Ok(job) if job.state.is_finished() => Ok(job),
            _ => Ok(AgentJob {
                id: job_id.to_owned(),
                idempotency_key: None,
                state: AgentJobState::Succeeded,
                progress: 100,
                changes: Vec::new(),
                reboot_required: false,
                log_tail: vec!["The host is back up with a new boot time.".into()],
                error: None,
                finished_at: Some(self.now()),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::PackageSpec;

    fn spec(name: &str, version: Option<&str>) -> PackageSpec {
        PackageSpec {
            name: name.into(),
            version: version.map(Into::into),
        }
    }

    #[test]
    fn several_packages_are_one_call_where_the_agent_api_allows_it() {
        let options = JobOptions {
            packages: vec![spec("openssl", None), spec("curl", None)],
            ..JobOptions::default()
        };
        let update = plan(JobKind::Update, &options, None).unwrap_or_default();
        assert_eq!(update, vec![AgentCommand::ApplyPatches(options.clone())]);
        let remove = plan(JobKind::Remove, &options, None).unwrap_or_default();
        assert_eq!(remove.len(), 2, "one DELETE per package");
        let install = plan(JobKind::Install, &options, None).unwrap_or_default();
        assert_eq!(install.len(), 1);
        let pinned = JobOptions {
            packages: vec![spec("openssl", Some("3.0.13")), spec("curl", None)],
            ..JobOptions::default()
        };
        assert_eq!(
            plan(JobKind::Update, &pinned, None)
                .unwrap_or_default()
                .len(),
            2,
            "a pinned version needs PUT /packages/{{name}} each"
        );
        assert!(plan(JobKind::Remove, &JobOptions::default(), None).is_err());
        assert!(plan(JobKind::Rollback, &JobOptions::default(), None).is_err());
        assert_eq!(
            plan(JobKind::Rollback, &JobOptions::default(), Some("j1".into())).unwrap_or_default(),
            vec![AgentCommand::Rollback {
                agent_job_id: "j1".into()
            }]
        );
    }
}
