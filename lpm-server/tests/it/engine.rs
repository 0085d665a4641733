//! The worker's engine in this process on SQLite (as `all-in-one` runs it), against simulated
//! agents over mutual TLS: rollback, reboot, refresh, partial failures with the one patch
//! retry, and CIDR discovery with progress and cancellation.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use lpm_agent_client::sim::{Faults, Fleet, FleetOptions, SimAgent, SimTiming, Tarpit};
use lpm_agent_client::{AgentClient, ClientOptions, Identity};
use lpm_ca::Ca;
use lpm_ca::time::OffsetDateTime;
use lpm_core::engine::EngineConfig;
use lpm_core::ids::{HostId, JobId};
use lpm_core::job::{JobHostState, JobKind, JobOptions, JobState, Schedule};
use lpm_core::net::{Cidr, Port};
use lpm_core::ports::{Channel, Notice, WorkerIdentity};
use lpm_core::rbac::Scope;
use lpm_server::clock::SystemClock;
use lpm_server::worker::WorkerEngine;
use lpm_store::jobs::{JobDetail, JobTarget, NewJob};
use lpm_store::{Actor, Store, StoreOptions};
use tokio::sync::oneshot;

struct Rig {
    _dir: tempfile::TempDir,
    store: Store,
    fleet: Fleet,
    client: AgentClient,
    hosts: Vec<HostId>,
    stop: Option<oneshot::Sender<()>>,
    running: Option<tokio::task::JoinHandle<()>>,
}

impl Rig {
    async fn start(agents: usize, first_ip: Ipv4Addr, timing: SimTiming) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("lpm.db").display());
        let store = Store::open(&url, &StoreOptions::default()).await.unwrap();
        let now = OffsetDateTime::now_utc();
        let ca = Ca::generate("engine test CA", now).unwrap();
        let manager = ca.issue_manager_client("lpm-manager", now).unwrap();
        let identity =
            Identity::from_pem(&manager.cert_pem, manager.key_pem.expose_secret()).unwrap();
        let options = ClientOptions {
            call_timeout: Duration::from_secs(5),
            ..ClientOptions::default()
        };
        let client = AgentClient::new(ca.root_pem(), &identity, options).unwrap();
        let mut fleet_options = FleetOptions::new(agents, first_ip, 12443, ca.root_pem());
        fleet_options.timing = timing;
        let fleet = Fleet::launch(fleet_options, |ip, name| {
            let issued = ca
                .issue_agent_server(Some(name), Some(ip), now)
                .map_err(|e| e.to_string())?;
            Identity::from_pem(&issued.cert_pem, issued.key_pem.expose_secret())
                .map_err(|e| e.to_string())
        })
        .await
        .unwrap();
        let mut hosts = Vec::new();
        for agent in fleet.agents() {
            let host = store
                .create_host(
                    &Scope::system(),
                    &agent.host_address(),
                    &[],
                    &Actor::system(),
                    Utc::now(),
                )
                .await
                .unwrap();
            hosts.push(host.id);
        }
        let mut rig = Self {
            _dir: dir,
            store,
            fleet,
            hosts,
            stop: None,
            running: None,
            client,
        };
        rig.start_engine("engine-test");
        rig
    }

    /// A new engine (another worker) over the same store and fleet.
    async fn resume(mut self) -> Self {
        self.start_engine("engine-test-2");
        self
    }

    fn start_engine(&mut self, id: &str) {
        let store = self.store.clone();
        let client = self.client.clone();
        let config = EngineConfig {
            health_interval: chrono::Duration::seconds(60),
            patch_interval: chrono::Duration::seconds(600),
            lease: chrono::Duration::seconds(5),
            job_poll_interval: chrono::Duration::milliseconds(200),
            idle_wakeup: chrono::Duration::seconds(60),
            discovery_progress_interval: chrono::Duration::milliseconds(100),
            drain: chrono::Duration::milliseconds(500),
            ..EngineConfig::default()
        };
        let identity = WorkerIdentity {
            id: id.into(),
            hostname: "test".into(),
            version: "0".into(),
            started_at: Utc::now(),
        };
        let engine: WorkerEngine =
            lpm_server::worker::engine(store, client, Arc::new(SystemClock), config, identity);
        let (tx, rx) = oneshot::channel::<()>();
        let running = tokio::spawn(async move {
            engine
                .run(async {
                    let _ = rx.await;
                })
                .await;
        });
        self.stop = Some(tx);
        self.running = Some(running);
    }

    /// Stops the engine and waits for it, leaving the store and fleet in place.
    async fn stop_engine(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(running) = self.running.take() {
            running.await.unwrap();
        }
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(running) = self.running.take() {
            running.await.unwrap();
        }
    }

    fn agent(&self, host: HostId) -> &SimAgent {
        let i = self.hosts.iter().position(|h| *h == host).unwrap();
        &self.fleet.agents()[i]
    }

    async fn job(
        &self,
        kind: JobKind,
        hosts: &[HostId],
        options: JobOptions,
        parent: Option<JobId>,
    ) -> JobId {
        let job = NewJob {
            kind,
            schedule: Schedule::Immediate,
            options,
            parent,
            targets: hosts
                .iter()
                .map(|h| JobTarget {
                    host: *h,
                    due_at: Some(Utc::now()),
                    waiting_reason: None,
                })
                .collect(),
        };
        self.store
            .create_job(&Scope::system(), &job, &Actor::system(), Utc::now())
            .await
            .unwrap()
    }

    async fn settled(&self, id: JobId) -> JobDetail {
        let start = Instant::now();
        loop {
            let d = self.store.get_job(&Scope::system(), id).await.unwrap();
            if d.job.state.is_terminal() {
                return d;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "job {id} did not settle: {d:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn until(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !check().await {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "gave up waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rollback_restores_what_the_job_changed() {
    let rig = Rig::start(2, Ipv4Addr::new(127, 86, 0, 1), SimTiming::fast()).await;
    let host = rig.hosts[0];
    let before = rig.agent(host).installed();
    let available = rig.agent(host).patches().len();
    assert!(available > 0);
    let applied = rig
        .job(JobKind::ApplyPatches, &[host], JobOptions::default(), None)
        .await;
    let detail = rig.settled(applied).await;
    assert_eq!(detail.job.state, JobState::Succeeded);
    assert_eq!(detail.hosts[0].changes.len(), available);
    assert!(rig.agent(host).patches().is_empty());

    let rollback = rig
        .job(
            JobKind::Rollback,
            &[host],
            JobOptions::default(),
            Some(applied),
        )
        .await;
    let detail = rig.settled(rollback).await;
    assert_eq!(detail.job.state, JobState::Succeeded, "{detail:?}");
    assert_eq!(rig.agent(host).installed(), before, "versions restored");
    let d = rig
        .store
        .get_host_detail(&Scope::system(), host)
        .await
        .unwrap();
    assert_eq!(
        d.pending_patches as usize, available,
        "the host was polled again"
    );

    // A host the rolled-back job never reached has nothing to undo.
    let other = rig
        .job(
            JobKind::Rollback,
            &[rig.hosts[1]],
            JobOptions::default(),
            Some(applied),
        )
        .await;
    let detail = rig.settled(other).await;
    assert_eq!(detail.hosts[0].state, JobHostState::Failed);
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reboot_job_waits_for_the_host_to_come_back_with_a_new_boot_time() {
    let rig = Rig::start(1, Ipv4Addr::new(127, 87, 0, 1), SimTiming::fast()).await;
    let host = rig.hosts[0];
    let booted = rig.agent(host).last_boot();
    let job = rig
        .job(JobKind::Reboot, &[host], JobOptions::default(), None)
        .await;
    let detail = rig.settled(job).await;
    assert_eq!(detail.job.state, JobState::Succeeded, "{detail:?}");
    assert_eq!(rig.agent(host).reboots(), 1);
    let d = rig
        .store
        .get_host_detail(&Scope::system(), host)
        .await
        .unwrap();
    assert!(
        d.last_boot_at.unwrap() > booted,
        "the new boot time is recorded"
    );
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_jobs_and_refresh_requests_poll_the_host_again() {
    let rig = Rig::start(1, Ipv4Addr::new(127, 88, 0, 1), SimTiming::fast()).await;
    let host = rig.hosts[0];
    let polled = async || {
        rig.store
            .get_host_detail(&Scope::system(), host)
            .await
            .unwrap()
            .last_health_at
    };
    until("the first poll", async || polled().await.is_some()).await;
    let first = polled().await;
    let job = rig
        .job(JobKind::Refresh, &[host], JobOptions::default(), None)
        .await;
    assert_eq!(rig.settled(job).await.job.state, JobState::Succeeded);
    let second = polled().await;
    assert!(second > first, "the refresh job polled health again");
    // The health interval is a minute: a poll within it answers the notice.
    rig.store
        .notify(&Notice {
            channel: Channel::RefreshRequested,
            payload: host.to_string(),
        })
        .await
        .unwrap();
    until("a poll on the refresh request", async || {
        polled().await > second
    })
    .await;
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_patch_is_retried_once_and_the_batch_finishes_partially() {
    let rig = Rig::start(3, Ipv4Addr::new(127, 89, 0, 1), SimTiming::fast()).await;
    let broken = rig.hosts[0];
    rig.agent(broken)
        .set_faults(Faults {
            fail_jobs_halfway: true,
            ..Faults::default()
        })
        .unwrap();
    let job = rig
        .job(
            JobKind::ApplyPatches,
            &rig.hosts,
            JobOptions::default(),
            None,
        )
        .await;
    let detail = rig.settled(job).await;
    assert_eq!(detail.job.state, JobState::PartiallyFailed);
    for row in &detail.hosts {
        let applies = rig
            .agent(row.host)
            .requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path == "/api/v1/patches/apply")
            .count();
        if row.host == broken {
            assert_eq!(row.state, JobHostState::Failed);
            assert_eq!(row.patch_retries, 1);
            assert_eq!(applies, 2, "the failed patch was retried once");
            assert!(!row.changes.is_empty(), "partial changes are recorded");
        } else {
            assert_eq!(row.state, JobHostState::Succeeded, "the others finish");
            assert_eq!(applies, 1);
        }
    }
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_finds_agents_reports_progress_and_stops_when_cancelled() {
    let rig = Rig::start(5, Ipv4Addr::new(127, 90, 0, 1), SimTiming::fast()).await;
    let admin = Scope::system().require_admin().unwrap();
    let cidr = Cidr::new("127.90.0.0/28").unwrap();
    let id = rig
        .store
        .create_discovery(&admin, &cidr, Port::default(), &Actor::system(), Utc::now())
        .await
        .unwrap();
    until("the scan to finish", async || {
        rig.store
            .get_discovery(id)
            .await
            .unwrap()
            .0
            .finished_at
            .is_some()
    })
    .await;
    let (run, results) = rig.store.get_discovery(id).await.unwrap();
    assert_eq!(run.state, "succeeded", "{run:?}");
    assert_eq!((run.done, run.total, run.found), (14, 14, 5));
    let mut found: Vec<String> = results.iter().map(|r| r.ip.clone()).collect();
    found.sort();
    let expected: Vec<String> = (1..=5).map(|i| format!("127.90.0.{i}")).collect();
    assert_eq!(found, expected);
    assert!(results.iter().all(|r| r.fqdn.is_some()));

    // A /24 of silent hosts takes a probe timeout to scan; cancelled at once, it stops.
    let mut tarpits = Vec::new();
    for i in 1..=254u8 {
        let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(127, 91, 0, i)), 12443);
        tarpits.push(Tarpit::bind(addr).await.unwrap());
    }
    let silent = Cidr::new("127.91.0.0/24").unwrap();
    let id = rig
        .store
        .create_discovery(
            &admin,
            &silent,
            Port::default(),
            &Actor::system(),
            Utc::now(),
        )
        .await
        .unwrap();
    until("the scan to start", async || {
        rig.store.get_discovery(id).await.unwrap().0.state == "running"
    })
    .await;
    rig.store
        .cancel_discovery(&admin, id, &Actor::system(), Utc::now())
        .await
        .unwrap();
    // The worker notices the cancellation and takes the next run at once.
    let next = rig
        .store
        .create_discovery(&admin, &cidr, Port::default(), &Actor::system(), Utc::now())
        .await
        .unwrap();
    until("the next run", async || {
        rig.store
            .get_discovery(next)
            .await
            .unwrap()
            .0
            .finished_at
            .is_some()
    })
    .await;
    let (run, results) = rig.store.get_discovery(id).await.unwrap();
    assert_eq!(run.state, "cancelled");
    assert!(
        run.done < run.total,
        "stopped before probing everything: {run:?}"
    );
    assert!(results.is_empty());
    drop(tarpits);
    rig.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopping_worker_lets_go_of_rows_in_flight_and_the_next_resumes_them_by_key() {
    // Jobs of a few seconds; the engine drains for two.
    let timing = SimTiming {
        per_package: Duration::from_millis(400),
        ..SimTiming::fast()
    };
    let mut rig = Rig::start(2, Ipv4Addr::new(127, 92, 0, 1), timing).await;
    let job = rig
        .job(
            JobKind::ApplyPatches,
            &rig.hosts,
            JobOptions::default(),
            None,
        )
        .await;
    until("the rows running on their agents", async || {
        let d = rig.store.get_job(&Scope::system(), job).await.unwrap();
        d.hosts.iter().all(|r| r.state == JobHostState::Running)
    })
    .await;
    rig.stop_engine().await;
    let d = rig.store.get_job(&Scope::system(), job).await.unwrap();
    let unfinished: Vec<_> = d.hosts.iter().filter(|r| !r.state.is_terminal()).collect();
    assert!(!unfinished.is_empty(), "the jobs outlast the drain: {d:?}");
    // Relinquished: claimable at once by the next worker, with the key that was sent.
    let claimed = rig
        .store
        .claim("next", Utc::now(), chrono::Duration::seconds(30), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), unfinished.len());
    for work in &claimed {
        assert!(work.idempotency_key.is_some());
        rig.store.relinquish(&work.lease, Utc::now()).await.unwrap();
    }
    let rig2 = Rig::resume(rig).await;
    let detail = rig2.settled(job).await;
    assert_eq!(detail.job.state, JobState::Succeeded, "{detail:?}");
    for agent in rig2.fleet.agents() {
        let counts = agent.applied_counts();
        assert_eq!(counts.values().sum::<u32>(), 1, "{counts:?}");
    }
    rig2.stop().await;
}
