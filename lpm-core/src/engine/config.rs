//! The engine's configuration: every interval and limit it works by, so that tests and
//! benchmarks can run the same code in seconds (ARCHITECTURE.md, "Settled questions": time).

use chrono::Duration;

use crate::ports::RuntimeSettings;
use crate::retry::RetryPolicy;

/// Which of the engine's loops run. `Default` runs them all; an embedding tool (or a
/// benchmark) may run only some.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loops {
    /// The health poller.
    pub health: bool,
    /// The patch poller (system info, patches, packages).
    pub patches: bool,
    /// The scheduler (due times of queued rows from maintenance windows).
    pub scheduler: bool,
    /// The executor (claims job-host rows and works them).
    pub executor: bool,
    /// CIDR discovery runs.
    pub discovery: bool,
    /// Heartbeat, settling repair, pruning and audit-chain verification.
    pub housekeeping: bool,
}

impl Default for Loops {
    fn default() -> Self {
        Self {
            health: true,
            patches: true,
            scheduler: true,
            executor: true,
            discovery: true,
            housekeeping: true,
        }
    }
}

/// How the engine works. `Default` gives the values of SDD §5.2, §8 and §13.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineConfig {
    /// Loops to run.
    pub loops: Loops,
    /// Between health polls of one host, unless `polling.health_interval_s` says otherwise.
    /// Default 5 minutes.
    pub health_interval: Duration,
    /// Between patch polls of one host, unless `polling.patch_interval_s` says otherwise.
    /// Default 30 minutes.
    pub patch_interval: Duration,
    /// Agent calls in flight at once, unless `concurrency.max_agents` says otherwise.
    /// Default 64.
    pub max_agents: u32,
    /// Job-host rows worked at once by this worker. A row waiting on a long agent job holds
    /// no agent-call permit, so this is larger than `max_agents`. Default 1024.
    pub max_rows: u32,
    /// Rows claimed at once. Default 64.
    pub claim_batch: u32,
    /// How long a claim holds a row before another worker may take it over; renewed every
    /// third of it while the row is worked. Default 60 s.
    pub lease: Duration,
    /// How long a host claimed for a poll is held before another worker may poll it (the
    /// poll normally ends long before). Default 5 minutes.
    pub poll_hold: Duration,
    /// Backoff for transient agent failures (SDD §8.1): default 1, 5, 30 minutes ±10%.
    pub retry: RetryPolicy,
    /// While following an agent job: how often to read it when no event arrives (the
    /// WebSocket stream is the fast path, this the fallback). Default 5 s.
    pub job_poll_interval: Duration,
    /// How long an agent may stay unreachable while one of its jobs is followed before the
    /// row is retried later under the same key. Default 10 minutes.
    pub agent_silence_limit: Duration,
    /// How long a rebooting host may take to come back. Default 30 minutes.
    pub reboot_timeout: Duration,
    /// Progress of a running job is written at most this often. Default 1 s.
    pub progress_interval: Duration,
    /// Loops wake at least this often even without a notification (a safety net for missed
    /// notices). Default 30 s.
    pub idle_wakeup: Duration,
    /// The shortest pause of a loop that found nothing to do. Default 100 ms.
    pub min_pause: Duration,
    /// After a storage error, a loop waits this long before trying again. Default 1 s.
    pub error_pause: Duration,
    /// How often the scheduler re-reads windows for waiting rows. Default 60 s.
    pub scheduler_interval: Duration,
    /// Worker heartbeat (SDD §13). Default 30 s.
    pub heartbeat_interval: Duration,
    /// Repair of jobs left unsettled by a dead worker. Default 60 s.
    pub settle_interval: Duration,
    /// Retention pruning (SDD §5.2: daily). Default 24 h.
    pub prune_interval: Duration,
    /// Audit-chain verification (SDD §7.4). Default 24 h.
    pub audit_verify_interval: Duration,
    /// How often a running discovery writes its progress and checks for cancellation.
    /// Default 500 ms.
    pub discovery_progress_interval: Duration,
    /// On stop: how long rows in flight may take to finish before they are let go (their
    /// leases relinquished, so another worker resumes them by key). Default 10 s.
    pub drain: Duration,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            loops: Loops::default(),
            health_interval: Duration::minutes(5),
            patch_interval: Duration::minutes(30),
            max_agents: 64,
            max_rows: 1024,
            claim_batch: 64,
            lease: Duration::seconds(60),
            poll_hold: Duration::minutes(5),
            retry: RetryPolicy::default(),
            job_poll_interval: Duration::seconds(5),
            agent_silence_limit: Duration::minutes(10),
            reboot_timeout: Duration::minutes(30),
            progress_interval: Duration::seconds(1),
            idle_wakeup: Duration::seconds(30),
            min_pause: Duration::milliseconds(100),
            error_pause: Duration::seconds(1),
            scheduler_interval: Duration::seconds(60),
            heartbeat_interval: Duration::seconds(30),
            settle_interval: Duration::seconds(60),
            prune_interval: Duration::hours(24),
            audit_verify_interval: Duration::hours(24),
            discovery_progress_interval: Duration::milliseconds(500),
            drain: Duration::seconds(10),
        }
    }
}

/// The values in force: the configuration with the runtime settings laid over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effective {
    /// Between health polls.
    pub health_interval: Duration,
    /// Between patch polls.
    pub patch_interval: Duration,
    /// Agent calls at once.
    pub max_agents: u32,
}

impl EngineConfig {
    /// The values in force given the stored runtime settings. Values out of range are
    /// ignored (a poll interval under one second, a concurrency of zero).
    pub fn effective(&self, settings: &RuntimeSettings) -> Effective {
        let at_least_a_second = |d: Duration| (d >= Duration::seconds(1)).then_some(d);
        Effective {
            health_interval: settings
                .health_interval
                .and_then(at_least_a_second)
                .unwrap_or(self.health_interval),
            patch_interval: settings
                .patch_interval
                .and_then(at_least_a_second)
                .unwrap_or(self.patch_interval),
            max_agents: settings
                .max_agents
                .filter(|n| (1..=100_000).contains(n))
                .unwrap_or(self.max_agents),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_settings_override_the_configuration_when_sane() {
        let config = EngineConfig::default();
        let none = config.effective(&RuntimeSettings::default());
        assert_eq!(none.health_interval, Duration::minutes(5));
        assert_eq!(none.patch_interval, Duration::minutes(30));
        assert_eq!(none.max_agents, 64);
        let set = config.effective(&RuntimeSettings {
            health_interval: Some(Duration::seconds(60)),
            patch_interval: Some(Duration::milliseconds(10)),
            max_agents: Some(0),
        });
        assert_eq!(set.health_interval, Duration::seconds(60));
        assert_eq!(
            set.patch_interval,
            Duration::minutes(30),
            "too short: ignored"
        );
        assert_eq!(set.max_agents, 64, "zero: ignored");
    }
}
