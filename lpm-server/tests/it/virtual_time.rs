//! The engine in virtual time: the real store (SQLite), a manual clock and scripted agents, so
//! schedules of minutes and hours are checked exactly without waiting for them. The clock is
//! moved in small steps; each agent call is stamped with the virtual time it was made at.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc, Weekday};
use lpm_core::agent::{
    AgentCommand, AgentError, AgentErrorClass, AgentHealth, AgentJob, AgentJobEvent, AgentJobState,
    InstalledPackage, PatchReport, SystemInfo,
};
use lpm_core::engine::{Engine, EngineConfig};
use lpm_core::ids::HostId;
use lpm_core::job::{JobHostState, JobKind, JobOptions, Schedule};
use lpm_core::model::{HostStatus, Name, PackageManager};
use lpm_core::net::{Cidr, Port};
use lpm_core::ports::{
    AgentApi, AgentScanner, AgentTarget, BoxFuture, Clock, FoundAgent, JobEventSource, ManualClock,
    ScanCount, WorkerIdentity,
};
use lpm_core::rbac::Scope;
use lpm_core::window::{MaintenanceWindow, Recurrence};
use lpm_server::worker::TokioSpawner;
use lpm_store::jobs::{JobTarget, NewJob};
use lpm_store::{Actor, Store, StoreOptions};

/// An agent call as the scripted fleet saw it.
#[derive(Debug, Clone)]
struct Call {
    at: DateTime<Utc>,
    host: HostId,
    op: &'static str,
    key: Option<String>,
}

/// Agents that answer at once, fail on demand, and remember the jobs they accepted.
#[derive(Debug, Clone)]
struct Scripted {
    clock: ManualClock,
    calls: Arc<Mutex<Vec<Call>>>,
    failing: Arc<Mutex<HashSet<HostId>>>,
    jobs: Arc<Mutex<HashMap<String, AgentJob>>>,
}

impl Scripted {
    fn new(clock: &ManualClock) -> Self {
        Self {
            clock: clock.clone(),
            calls: Arc::default(),
            failing: Arc::default(),
            jobs: Arc::default(),
        }
    }

    fn record(
        &self,
        target: &AgentTarget,
        op: &'static str,
        key: Option<&str>,
    ) -> Result<(), AgentError> {
        self.calls.lock().unwrap().push(Call {
            at: self.clock.now(),
            host: target.host,
            op,
            key: key.map(str::to_owned),
        });
        if self.failing.lock().unwrap().contains(&target.host) {
            return Err(AgentError {
                class: AgentErrorClass::Transient,
                code: "refused".into(),
                message: "connection refused".into(),
            });
        }
        Ok(())
    }

    fn calls(&self, host: HostId, op: &str) -> Vec<Call> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|c| c.host == host && c.op == op)
            .cloned()
            .collect()
    }

    /// A job the agent accepted under `key` (as from a worker that died afterwards).
    fn accepted(&self, key: &str) {
        self.jobs
            .lock()
            .unwrap()
            .insert(key.to_owned(), finished(key));
    }
}

fn finished(key: &str) -> AgentJob {
    AgentJob {
        id: format!("job-{key}"),
        idempotency_key: Some(key.to_owned()),
        state: AgentJobState::Succeeded,
        progress: 100,
        changes: Vec::new(),
        reboot_required: false,
        log_tail: vec!["done".into()],
        error: None,
        finished_at: None,
    }
}

/// A job stream with nothing to say: the engine falls back to reading the job.
#[derive(Debug)]
struct Quiet;

impl JobEventSource for Quiet {
    async fn next_event(&mut self) -> Option<Result<AgentJobEvent, AgentError>> {
        std::future::pending().await
    }
}

impl AgentApi for Scripted {
    type Events = Quiet;

    async fn health(&self, t: &AgentTarget) -> Result<AgentHealth, AgentError> {
        self.record(t, "health", None)?;
        Ok(AgentHealth {
            ok: true,
            version: "1.4.2".into(),
            uptime_s: 1,
            checks: Vec::new(),
        })
    }

    async fn system_info(&self, t: &AgentTarget) -> Result<SystemInfo, AgentError> {
        self.record(t, "system_info", None)?;
        Ok(SystemInfo {
            hostname: "h".into(),
            fqdn: "h.example.net".into(),
            os_id: "ubuntu".into(),
            os_version: "24.04".into(),
            os_pretty_name: "Ubuntu 24.04".into(),
            kernel: "6.8".into(),
            arch: "x86_64".into(),
            package_manager: PackageManager::Apt,
            reboot_required: false,
            last_boot: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
            agent_version: "1.4.2".into(),
        })
    }

    async fn packages(&self, t: &AgentTarget) -> Result<Vec<InstalledPackage>, AgentError> {
        self.record(t, "packages", None)?;
        Ok(Vec::new())
    }

    async fn patches(&self, t: &AgentTarget) -> Result<PatchReport, AgentError> {
        self.record(t, "patches", None)?;
        Ok(PatchReport {
            patches: Vec::new(),
            checked_at: self.clock.now(),
        })
    }

    async fn start(
        &self,
        t: &AgentTarget,
        _: &AgentCommand,
        key: &str,
    ) -> Result<String, AgentError> {
        self.record(t, "start", Some(key))?;
        let job = finished(key);
        let id = job.id.clone();
        self.jobs
            .lock()
            .unwrap()
            .entry(key.to_owned())
            .or_insert(job);
        Ok(id)
    }

    async fn job(&self, t: &AgentTarget, id: &str) -> Result<AgentJob, AgentError> {
        self.record(t, "job", None)?;
        let jobs = self.jobs.lock().unwrap();
        Ok(jobs
            .values()
            .find(|j| j.id == id)
            .cloned()
            .unwrap_or_else(|| finished(id)))
    }

    async fn job_by_key(&self, t: &AgentTarget, key: &str) -> Result<Option<AgentJob>, AgentError> {
        self.record(t, "job_by_key", Some(key))?;
        Ok(self.jobs.lock().unwrap().get(key).cloned())
    }

    async fn job_events(&self, _: &AgentTarget) -> Result<Quiet, AgentError> {
        Ok(Quiet)
    }
}

impl AgentScanner for Scripted {
    async fn scan<'a>(
        &'a self,
        _: &'a Cidr,
        _: Port,
        _: &'a (dyn Fn(ScanCount) + Send + Sync),
        _: BoxFuture<'a, ()>,
    ) -> Vec<FoundAgent> {
        Vec::new()
    }
}

/// 2026-11-24 12:00 UTC, a Tuesday.
fn noon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap()
}

struct World {
    _dir: tempfile::TempDir,
    clock: ManualClock,
    store: Store,
    agents: Scripted,
    hosts: Vec<HostId>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    running: Option<tokio::task::JoinHandle<()>>,
}

impl World {
    async fn new(hosts: u32) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("lpm.db").display());
        let store = Store::open(&url, &StoreOptions::default()).await.unwrap();
        let clock = ManualClock::new(noon());
        let mut ids = Vec::new();
        for i in 1..=hosts {
            let address = lpm_core::model::HostAddress::new(
                None,
                Some(std::net::Ipv4Addr::new(10, 9, 0, i as u8).into()),
                Port::default(),
            )
            .unwrap();
            let host = store
                .create_host(&Scope::system(), &address, &[], &Actor::system(), noon())
                .await
                .unwrap();
            ids.push(host.id);
        }
        Self {
            _dir: dir,
            agents: Scripted::new(&clock),
            clock,
            store,
            hosts: ids,
            stop: None,
            running: None,
        }
    }

    fn start(&mut self) {
        let engine = Engine::new(
            self.agents.clone(),
            self.store.clone(),
            Arc::new(self.clock.clone()),
            Arc::new(TokioSpawner),
            EngineConfig::default(),
            WorkerIdentity {
                id: "virtual".into(),
                hostname: "test".into(),
                version: "0".into(),
                started_at: noon(),
            },
        );
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        self.stop = Some(tx);
        self.running = Some(tokio::spawn(async move {
            engine
                .run(async {
                    let _ = rx.await;
                })
                .await;
        }));
    }

    /// Moves the clock to `until` in steps of `step`, letting the engine work after each.
    async fn run_until(&self, until: DateTime<Utc>, step: Duration) {
        while self.clock.now() < until {
            self.clock.advance(step);
            tokio::time::sleep(StdDuration::from_millis(15)).await;
        }
    }

    async fn finish(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // The drain waits on the manual clock: move it along until the engine returns.
        if let Some(running) = self.running.take() {
            while !running.is_finished() {
                self.clock.advance(Duration::seconds(1));
                tokio::time::sleep(StdDuration::from_millis(10)).await;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_work_is_sent_when_its_window_opens_and_never_outside_one() {
    let mut w = World::new(3).await;
    let (one_time, daily, none) = (w.hosts[0], w.hosts[1], w.hosts[2]);
    let opens = noon() + Duration::minutes(10);
    let window = MaintenanceWindow::one_time(opens, opens + Duration::minutes(30)).unwrap();
    let every_day = MaintenanceWindow::recurring(
        Recurrence::weekly([
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ])
        .unwrap(),
        NaiveTime::from_hms_opt(12, 5, 0).unwrap(),
        Duration::minutes(10),
        "UTC",
    )
    .unwrap();
    let name = Name::new("w").unwrap();
    for (host, window) in [(one_time, &window), (daily, &every_day)] {
        w.store
            .create_window(
                &Scope::system(),
                host,
                &name,
                window,
                &Actor::system(),
                noon(),
            )
            .await
            .unwrap();
    }
    let targets = vec![
        // No due time yet: the scheduler sets it.
        JobTarget {
            host: one_time,
            due_at: None,
            waiting_reason: None,
        },
        // Due at an opening whose window has closed since: it waits for the next one.
        JobTarget {
            host: daily,
            due_at: Some(noon() - Duration::hours(1)),
            waiting_reason: None,
        },
        JobTarget {
            host: none,
            due_at: None,
            waiting_reason: None,
        },
    ];
    let job = NewJob {
        kind: JobKind::ApplyPatches,
        schedule: Schedule::NextWindow,
        options: JobOptions::default(),
        parent: None,
        targets,
    };
    let id = w
        .store
        .create_job(&Scope::system(), &job, &Actor::system(), noon())
        .await
        .unwrap();
    w.start();
    w.run_until(noon() + Duration::minutes(40), Duration::seconds(5))
        .await;

    let sent = w.agents.calls(daily, "start");
    assert_eq!(sent.len(), 1, "{sent:?}");
    let at = sent[0].at;
    assert!(
        at >= noon() + Duration::minutes(5)
            && at <= noon() + Duration::minutes(5) + Duration::seconds(10),
        "the daily window opens at 12:05; sent at {at}"
    );
    let sent = w.agents.calls(one_time, "start");
    assert_eq!(sent.len(), 1, "{sent:?}");
    let at = sent[0].at;
    assert!(
        at >= opens && at <= opens + Duration::seconds(10),
        "the window opens at {opens}; sent at {at}"
    );
    assert!(w.agents.calls(none, "start").is_empty());
    let detail = w.store.get_job(&Scope::system(), id).await.unwrap();
    for row in &detail.hosts {
        if row.host == none {
            assert_eq!(row.state, JobHostState::Queued);
            assert_eq!(row.waiting_reason.as_deref(), Some("no maintenance window"));
        } else {
            assert_eq!(row.state, JobHostState::Succeeded, "{row:?}");
        }
    }
    w.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_host_is_polled_after_1_5_30_minutes_then_flagged() {
    let mut w = World::new(2).await;
    let host = w.hosts[0];
    w.agents.failing.lock().unwrap().insert(host);
    w.start();
    w.run_until(noon() + Duration::minutes(50), Duration::seconds(2))
        .await;
    let polls: Vec<DateTime<Utc>> = w
        .agents
        .calls(host, "health")
        .iter()
        .map(|c| c.at)
        .collect();
    assert!(polls.len() >= 6, "{polls:?}");
    let gaps: Vec<i64> = polls
        .windows(2)
        .map(|p| (p[1] - p[0]).num_seconds())
        .collect();
    // ±10% jitter, plus a few clock steps of slack for the engine's own work.
    let slack = 6;
    for (i, (gap, nominal)) in gaps.iter().zip([60, 300, 1800, 300, 300]).enumerate() {
        // Retries carry ±10% jitter; after them, the ordinary interval has none.
        let (low, high) = if i < 3 {
            (nominal * 9 / 10, nominal * 11 / 10 + slack)
        } else {
            (nominal, nominal + slack)
        };
        assert!(
            (low..=high).contains(gap),
            "a gap of {gap} s for a nominal {nominal} s: {gaps:?}"
        );
    }
    let d = w
        .store
        .get_host_detail(&Scope::system(), host)
        .await
        .unwrap();
    assert_eq!(d.host.status, HostStatus::Unreachable);
    let other = w
        .store
        .get_host_detail(&Scope::system(), w.hosts[1])
        .await
        .unwrap();
    assert_eq!(other.host.status, HostStatus::Healthy);
    let healthy_polls = w.agents.calls(w.hosts[1], "health").len();
    assert!(
        (10..=12).contains(&healthy_polls),
        "every 5 minutes: {healthy_polls}"
    );
    w.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_a_dead_worker_sent_are_resumed_by_key_and_never_sent_twice() {
    let mut w = World::new(2).await;
    let (reached, lost) = (w.hosts[0], w.hosts[1]);
    let job = NewJob {
        kind: JobKind::ApplyPatches,
        schedule: Schedule::Immediate,
        options: JobOptions::default(),
        parent: None,
        targets: w
            .hosts
            .iter()
            .map(|h| JobTarget {
                host: *h,
                due_at: Some(noon()),
                waiting_reason: None,
            })
            .collect(),
    };
    let id = w
        .store
        .create_job(&Scope::system(), &job, &Actor::system(), noon())
        .await
        .unwrap();
    // A worker claims both rows, records their keys, and dies: one request had reached its
    // agent, the other had not.
    let claimed = w
        .store
        .claim("dead", noon(), Duration::seconds(60), 10)
        .await
        .unwrap();
    let mut keys = HashMap::new();
    for work in &claimed {
        let key = format!("01DEADKEY{:017}", work.host.get());
        w.store
            .record_dispatch(&work.lease, &key, noon())
            .await
            .unwrap();
        keys.insert(work.host, key);
    }
    w.agents.accepted(&keys[&reached]);
    w.start();
    w.run_until(noon() + Duration::minutes(3), Duration::seconds(2))
        .await;

    let detail = w.store.get_job(&Scope::system(), id).await.unwrap();
    assert!(
        detail
            .hosts
            .iter()
            .all(|r| r.state == JobHostState::Succeeded),
        "{detail:?}"
    );
    assert!(
        w.agents.calls(reached, "start").is_empty(),
        "never sent again"
    );
    assert_eq!(w.agents.calls(reached, "job_by_key").len(), 1);
    let resent = w.agents.calls(lost, "start");
    assert_eq!(resent.len(), 1, "{resent:?}");
    assert_eq!(
        resent[0].key.as_ref(),
        Some(&keys[&lost]),
        "under the same key"
    );
    assert!(
        resent[0].at >= noon() + Duration::seconds(60),
        "only once the dead worker's lease lapsed: {}",
        resent[0].at
    );
    w.finish().await;
}
