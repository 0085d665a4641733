//! The health and patch pollers (SDD §5.2, §6.6, §8.1), and the full poll of one host that
//! refreshes and jobs use too.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::agent::{AgentError, AgentHealth};
use crate::engine::{EngineAgents, EngineStore, Inner, Tasks, keys};
use crate::model::HostStatus;
use crate::ports::{AgentTarget, HealthRecord, HostTarget, PollKind};
use crate::retry::RetryPolicy;

/// Hosts claimed for polling at once.
const POLL_BATCH: usize = 256;

/// What a health poll means for the host: its new status, why, the failure count and when
/// to poll next. Failures follow `policy` (SDD §8.1: retries after 1, 5 and 30 minutes);
/// once its retries are spent the host is `unreachable` (flagged) and polled at the
/// ordinary `interval` again.
pub(crate) fn health_record(
    host: &HostTarget,
    result: Result<AgentHealth, AgentError>,
    now: DateTime<Utc>,
    interval: Duration,
    policy: &RetryPolicy,
) -> HealthRecord {
    match result {
        Ok(health) => {
            let problems: Vec<String> = health
                .checks
                .iter()
                .filter(|(_, word)| word != "ok")
                .map(|(name, word)| format!("{name}: {word}"))
                .collect();
            let (status, reason) = if health.ok {
                (HostStatus::Healthy, None)
            } else if problems.is_empty() {
                (
                    HostStatus::Degraded,
                    Some("the agent reports degraded".to_owned()),
                )
            } else {
                (HostStatus::Degraded, Some(problems.join(", ")))
            };
            HealthRecord {
                host: host.host,
                at: now,
                status,
                reason,
                consecutive_failures: 0,
                health: Some(health),
                next_poll_at: now + interval,
            }
        }
        Err(error) => {
            let failures = host.consecutive_failures.saturating_add(1);
            let sample = keys::sample(&[
                &host.host.get().to_le_bytes(),
                &now.timestamp_millis().to_le_bytes(),
            ]);
            let (status, reason, next) = match policy.delay(failures, sample) {
                Some(delay) => (
                    HostStatus::Unhealthy,
                    format!(
                        "{}; retry {failures} of {} in {} s",
                        error.message,
                        policy.max_retries(),
                        delay.num_seconds()
                    ),
                    now + delay,
                ),
                None => (
                    HostStatus::Unreachable,
                    format!(
                        "{}; unreachable after {} retries",
                        error.message,
                        policy.max_retries()
                    ),
                    now + interval,
                ),
            };
            HealthRecord {
                host: host.host,
                at: now,
                status,
                reason: Some(reason),
                consecutive_failures: failures,
                health: None,
                next_poll_at: next,
            }
        }
    }
}

impl<A: EngineAgents, S: EngineStore> Inner<A, S> {
    pub(crate) async fn health_loop(self: &Arc<Self>) {
        self.poll_loop(PollKind::Health).await;
    }

    pub(crate) async fn patch_loop(self: &Arc<Self>) {
        self.poll_loop(PollKind::Patches).await;
    }

    async fn poll_loop(self: &Arc<Self>, kind: PollKind) {
        let wake = match kind {
            PollKind::Health => &self.wake.health,
            PollKind::Patches => &self.wake.patches,
        };
        let mine = Arc::new(Tasks::default());
        loop {
            if self.stopping() {
                return;
            }
            let effective = self.refresh_settings().await;
            // Hosts in flight: twice the call bound keeps every permit busy without holding
            // claimed hosts waiting long.
            let cap = 2 * effective.max_agents as usize;
            let running = mine.running();
            if running >= cap {
                tokio::select! {
                    () = mine.wait_below(cap - 1) => {}
                    () = async { let _ = self.pause(self.now() + self.config.idle_wakeup, None).await; } => {}
                }
                continue;
            }
            let want = (cap - running).min(POLL_BATCH);
            let now = self.now();
            let limit = u32::try_from(want).unwrap_or(u32::MAX);
            match self
                .store
                .claim_polls(kind, now, self.config.poll_hold, limit)
                .await
            {
                Ok(hosts) => {
                    let claimed = hosts.len();
                    for host in hosts {
                        let inner = self.clone();
                        let tasks = vec![mine.clone(), self.poll_tasks.clone()];
                        self.spawn_counted(tasks, async move {
                            tokio::select! {
                                () = inner.poll_one(kind, host) => {}
                                () = inner.abandoned() => {}
                            }
                        });
                    }
                    if claimed == want {
                        continue;
                    }
                }
                Err(e) => {
                    tracing::warn!(poll = ?kind, error = %e, "cannot claim hosts to poll");
                    if !self.error_pause().await {
                        return;
                    }
                    continue;
                }
            }
            let next = match self.store.next_poll_at(kind).await {
                Ok(next) => next,
                Err(e) => {
                    tracing::warn!(poll = ?kind, error = %e, "cannot read the next poll time");
                    None
                }
            };
            if !self.pause(self.idle_deadline(next), Some(wake)).await {
                return;
            }
        }
    }

    async fn poll_one(&self, kind: PollKind, host: HostTarget) {
        match kind {
            PollKind::Health => self.poll_health(&host).await,
            PollKind::Patches => {
                let target = host.agent();
                let result = self.poll_host(&target).await;
                let now = self.now();
                let effective = self.effective();
                let next = match &result {
                    Ok(()) => now + effective.patch_interval,
                    Err(e) => {
                        // Retry sooner than the interval, with the health backoff, so a blip
                        // does not leave the patch state stale for half an hour.
                        let failures = host.consecutive_failures.saturating_add(1);
                        let sample = keys::sample(&[&host.host.get().to_le_bytes(), b"patches"]);
                        let delay = self
                            .config
                            .retry
                            .delay(failures, sample)
                            .unwrap_or(effective.patch_interval)
                            .min(effective.patch_interval);
                        tracing::debug!(host = %host.host, error = %e, "patch poll failed");
                        now + delay
                    }
                };
                if let Err(e) = self
                    .store
                    .schedule_poll(host.host, PollKind::Patches, next)
                    .await
                {
                    tracing::warn!(host = %host.host, error = %e, "next patch poll not recorded");
                }
            }
        }
    }

    /// One health poll: the call, then the snapshot and the host's status.
    pub(crate) async fn poll_health(&self, host: &HostTarget) {
        let target = host.agent();
        let result = self.limiter.run(self.agents.health(&target)).await;
        let now = self.now();
        let record = health_record(
            host,
            result,
            now,
            self.effective().health_interval,
            &self.config.retry,
        );
        if record.status != host.status {
            match record.status {
                HostStatus::Unreachable => tracing::warn!(
                    host = %host.host,
                    reason = record.reason.as_deref().unwrap_or_default(),
                    "host unreachable: retries exhausted, flagged"
                ),
                HostStatus::Unhealthy => tracing::warn!(
                    host = %host.host,
                    reason = record.reason.as_deref().unwrap_or_default(),
                    "host unhealthy"
                ),
                status => tracing::info!(host = %host.host, %status, "host status"),
            }
        }
        if let Err(e) = self.store.record_health(&record).await {
            tracing::warn!(host = %host.host, error = %e, "health poll not recorded");
        }
    }

    /// System info, patches and packages of one host, each recorded as it arrives.
    pub(crate) async fn poll_host(&self, target: &AgentTarget) -> Result<(), AgentError> {
        let host = target.host;
        let info = self.limiter.run(self.agents.system_info(target)).await?;
        self.keep(
            host,
            self.store.record_system_info(host, &info, self.now()).await,
        );
        let patches = self.limiter.run(self.agents.patches(target)).await?;
        self.keep(
            host,
            self.store.record_patches(host, &patches, self.now()).await,
        );
        let packages = self.limiter.run(self.agents.packages(target)).await?;
        self.keep(
            host,
            self.store
                .record_packages(host, &packages, self.now())
                .await,
        );
        Ok(())
    }

    fn keep(&self, host: crate::ids::HostId, written: Result<(), crate::ports::QueueError>) {
        if let Err(e) = written {
            tracing::warn!(host = %host, error = %e, "poll result not recorded");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::AgentErrorClass;
    use crate::ids::HostId;
    use crate::model::HostAddress;
    use crate::net::Port;
    use chrono::TimeZone;

    fn host(failures: u32, status: HostStatus) -> HostTarget {
        HostTarget {
            host: HostId::new(3).unwrap_or_else(|_| unreachable!()),
            address: HostAddress::new(None, Some([127, 0, 0, 1].into()), Port::default())
                .unwrap_or_else(|_| unreachable!()),
            status,
            consecutive_failures: failures,
            last_boot: None,
            windows: Vec::new(),
        }
    }

    fn refused() -> AgentError {
        AgentError {
            class: AgentErrorClass::Transient,
            code: "refused".into(),
            message: "connection refused".into(),
        }
    }

    #[test]
    fn failures_back_off_1_5_30_minutes_then_flag_the_host() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 24, 12, 0, 0)
            .single()
            .unwrap_or_default();
        let policy = RetryPolicy::default();
        let interval = Duration::minutes(5);
        let mut expected = [1, 5, 30].into_iter();
        let mut h = host(0, HostStatus::Healthy);
        for _ in 0..3 {
            let r = health_record(&h, Err(refused()), now, interval, &policy);
            assert_eq!(r.status, HostStatus::Unhealthy);
            let minutes = expected.next().unwrap_or_default();
            let wait = r.next_poll_at - now;
            assert!(
                wait >= Duration::seconds(minutes * 54) && wait <= Duration::seconds(minutes * 66),
                "{wait} for a nominal {minutes} min"
            );
            h = host(r.consecutive_failures, r.status);
        }
        let r = health_record(&h, Err(refused()), now, interval, &policy);
        assert_eq!(r.status, HostStatus::Unreachable);
        assert_eq!(
            r.next_poll_at,
            now + interval,
            "back to the ordinary interval"
        );
        assert_eq!(r.consecutive_failures, 4);
        let healthy = AgentHealth {
            ok: true,
            version: "1".into(),
            uptime_s: 1,
            checks: vec![("disk".into(), "ok".into())],
        };
        let r = health_record(&h, Ok(healthy.clone()), now, interval, &policy);
        assert_eq!((r.status, r.consecutive_failures), (HostStatus::Healthy, 0));
        let degraded = AgentHealth {
            ok: false,
            checks: vec![("disk".into(), "failing".into())],
            ..healthy
        };
        let r = health_record(&h, Ok(degraded), now, interval, &policy);
        assert_eq!(r.status, HostStatus::Degraded);
        assert_eq!(r.reason.as_deref(), Some("disk: failing"));
    }
}
