//! `lpm-server worker` as operators run it: a separate process on a throwaway PostgreSQL,
//! simulated agents over real mutual TLS (certificates from a `ca init` directory), hosts and
//! jobs written through the store as the web process writes them. Intervals are configured
//! short; every wait has a generous limit and no test asserts how fast something was, except
//! where a figure proves which path did the work (a notification, not the idle wake-up).

use std::io::{BufRead, BufReader};
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use lpm_agent_client::Identity;
use lpm_agent_client::sim::{Faults, Fleet, FleetOptions, SimAgent, SimTiming};
use lpm_ca::Ca;
use lpm_ca::time::OffsetDateTime;
use lpm_core::ids::{HostId, JobId};
use lpm_core::job::{JobHostState, JobKind, JobOptions, JobState, Schedule};
use lpm_core::model::{HostStatus, Name};
use lpm_core::rbac::Scope;
use lpm_core::window::MaintenanceWindow;
use lpm_store::jobs::{JobDetail, JobTarget, NewJob};
use lpm_store::testing::TempPostgres;
use lpm_store::{Actor, Store, StoreOptions};

use crate::support::{BIN, lpm_ok};

const APPLY: &str = "/api/v1/patches/apply";
const HEALTH: &str = "/api/v1/health";

/// A throwaway database, a CA directory, a simulated fleet and its hosts registered.
struct Fixture {
    dir: tempfile::TempDir,
    ca_dir: PathBuf,
    url: String,
    store: Store,
    fleet: Fleet,
    hosts: Vec<HostId>,
}

/// A running `lpm-server worker` and the JSON lines it logged.
struct Worker {
    child: Child,
    log: Arc<Mutex<Vec<serde_json::Value>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Worker {
    fn messages(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .map(|l| l["message"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// SIGKILL: no drain, no relinquished leases, as in a crash.
    fn crash(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM, then the exit status.
    fn terminate(&mut self) -> std::process::ExitStatus {
        let sent = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(sent.success());
        let status = self.child.wait().unwrap();
        // Everything it wrote has been read once the pipe is drained.
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        status
    }
}

/// The worker configuration the tests share: seconds instead of minutes, and an idle
/// wake-up of a minute, so that anything quicker was done on a notification or a due time.
const WORKER_SETTINGS: &str = "health_interval_s = 5\npatch_interval_s = 60\nlease_s = 3\n\
     retry_backoff_s = [1, 2, 4]\njob_poll_interval_s = 0.5\nidle_wakeup_s = 60\n\
     scheduler_interval_s = 1\nheartbeat_interval_s = 1\ndrain_s = 2\n";

impl Fixture {
    async fn new(pg: &TempPostgres, agents: usize, first_ip: Ipv4Addr, timing: SimTiming) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let ca_dir = dir.path().join("ca");
        lpm_ok(&["ca", "init", "--dir", ca_dir.to_str().unwrap()]);
        let ca = Ca::load(&ca_dir).unwrap();
        let url = pg.fresh_database().await.unwrap();
        let store = Store::open(&url, &StoreOptions::default()).await.unwrap();
        let mut options = FleetOptions::new(agents, first_ip, 12443, ca.root_pem());
        options.timing = timing;
        let now = OffsetDateTime::now_utc();
        let fleet = Fleet::launch(options, |ip, name| {
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
        Self {
            dir,
            ca_dir,
            url,
            store,
            fleet,
            hosts,
        }
    }

    fn agent(&self, host: HostId) -> &SimAgent {
        let i = self.hosts.iter().position(|h| *h == host).unwrap();
        &self.fleet.agents()[i]
    }

    /// Starts `lpm-server worker` with the shared settings plus `extra` lines in `[worker]`.
    fn worker(&self, id: &str, extra: &str) -> Worker {
        self.worker_on(&self.url, id, extra)
    }

    fn worker_on(&self, url: &str, id: &str, extra: &str) -> Worker {
        let config = self.dir.path().join(format!("{id}.toml"));
        std::fs::write(
            &config,
            format!(
                "data_dir = \"{}\"\n[database]\nurl = \"{url}\"\nmax_connections = 8\n\
                 [log]\nlevel = \"info\"\nformat = \"json\"\n[worker]\nid = \"{id}\"\nca_dir = \"{}\"\n{WORKER_SETTINGS}{extra}",
                self.dir.path().join("data").display(),
                self.ca_dir.display(),
            ),
        )
        .unwrap();
        spawn_worker(&config)
    }

    async fn job(&self, id: JobId) -> JobDetail {
        self.store.get_job(&Scope::system(), id).await.unwrap()
    }

    async fn create_job(
        &self,
        kind: JobKind,
        schedule: Schedule,
        targets: Vec<JobTarget>,
    ) -> (JobId, DateTime<Utc>) {
        let created = Utc::now();
        let job = NewJob {
            kind,
            schedule,
            options: JobOptions::default(),
            parent: None,
            targets,
        };
        let id = self
            .store
            .create_job(&Scope::system(), &job, &Actor::system(), created)
            .await
            .unwrap();
        (id, created)
    }

    /// Waits for a job to settle.
    async fn settled(&self, id: JobId, limit: Duration) -> JobDetail {
        wait_for(&format!("job {id} to settle"), limit, || async {
            let detail = self.job(id).await;
            detail.job.state.is_terminal().then_some(detail)
        })
        .await
    }
}

fn spawn_worker(config: &Path) -> Worker {
    let mut child = Command::new(BIN)
        .args(["worker", "--config"])
        .arg(config)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) {
                sink.lock().unwrap().push(value);
            }
        }
    });
    Worker {
        child,
        log,
        reader: Some(reader),
    }
}

/// Polls `check` every 100 ms until it yields a value; fails the test after `limit`.
async fn wait_for<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            start.elapsed() < limit,
            "gave up waiting {limit:?} for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn now_targets(hosts: &[HostId]) -> Vec<JobTarget> {
    hosts
        .iter()
        .map(|h| JobTarget {
            host: *h,
            due_at: Some(Utc::now()),
            waiting_reason: None,
        })
        .collect()
}

/// The agent's apply requests.
fn applies(agent: &SimAgent) -> Vec<DateTime<Utc>> {
    agent
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == APPLY)
        .map(|r| r.at)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_polls_the_fleet_and_runs_jobs_in_windows_and_at_once() {
    let pg = TempPostgres::shared();
    let f = Fixture::new(pg, 20, Ipv4Addr::new(127, 81, 0, 1), SimTiming::fast()).await;
    let mut worker = f.worker("w-main", "");

    // Registered hosts are polled: health, system info, patches, packages.
    wait_for("every host polled", Duration::from_secs(60), || async {
        let mut all = true;
        for host in &f.hosts {
            let d = f
                .store
                .get_host_detail(&Scope::system(), *host)
                .await
                .unwrap();
            all &= d.host.status == HostStatus::Healthy && d.last_patch_poll_at.is_some();
        }
        all.then_some(())
    })
    .await;
    for host in &f.hosts {
        let d = f
            .store
            .get_host_detail(&Scope::system(), *host)
            .await
            .unwrap();
        let agent = f.agent(*host);
        assert_eq!(d.pending_patches as usize, agent.patches().len());
        assert!(d.os_id.is_some() && d.last_health_at.is_some());
        let packages = f
            .store
            .latest_packages(&Scope::system(), *host)
            .await
            .unwrap();
        assert_eq!(
            packages.map(|(_, p)| p.len()),
            Some(agent.installed().len())
        );
    }

    // A queued job: ten hosts get a window opening in a few seconds, one host has none.
    let opens = Utc::now() + chrono::Duration::seconds(4);
    let window = MaintenanceWindow::one_time(opens, opens + chrono::Duration::minutes(10)).unwrap();
    let windowed = &f.hosts[0..10];
    for host in windowed {
        f.store
            .create_window(
                &Scope::system(),
                *host,
                &Name::new("soon").unwrap(),
                &window,
                &Actor::system(),
                Utc::now(),
            )
            .await
            .unwrap();
    }
    let no_window = f.hosts[10];
    // Half the rows come with their due time (as an API computing it would write them), half
    // without: the scheduler fills those in.
    let mut targets: Vec<JobTarget> = windowed
        .iter()
        .enumerate()
        .map(|(i, h)| JobTarget {
            host: *h,
            due_at: (i % 2 == 0).then_some(opens),
            waiting_reason: None,
        })
        .collect();
    targets.push(JobTarget {
        host: no_window,
        due_at: None,
        waiting_reason: None,
    });
    let (queued, _) = f
        .create_job(JobKind::ApplyPatches, Schedule::NextWindow, targets)
        .await;

    // An immediate job on five other hosts, while the queued one waits.
    let immediate_hosts = &f.hosts[11..16];
    let (immediate, created) = f
        .create_job(
            JobKind::ApplyPatches,
            Schedule::Immediate,
            now_targets(immediate_hosts),
        )
        .await;
    let detail = f.settled(immediate, Duration::from_secs(60)).await;
    assert_eq!(detail.job.state, JobState::Succeeded);
    let mut latencies = Vec::new();
    for host in immediate_hosts {
        let received = applies(f.agent(*host));
        assert_eq!(received.len(), 1, "one apply per host");
        latencies.push((received[0] - created).num_milliseconds());
    }
    latencies.sort_unstable();
    println!(
        "immediate dispatch: created -> agent received: {:?} ms (max {} ms)",
        latencies,
        latencies.last().unwrap()
    );
    assert!(
        *latencies.last().unwrap() < 30_000,
        "dispatched on the notification, not the 60 s idle wake-up"
    );

    // The queued job waits for its window, then runs on every windowed host.
    let detail = wait_for(
        "the windowed rows to finish",
        Duration::from_secs(90),
        || async {
            let d = f.job(queued).await;
            d.hosts
                .iter()
                .filter(|r| r.host != no_window)
                .all(|r| r.state.is_terminal())
                .then_some(d)
        },
    )
    .await;
    for row in detail.hosts.iter().filter(|r| r.host != no_window) {
        assert_eq!(row.state, JobHostState::Succeeded, "{row:?}");
        assert!(!row.changes.is_empty(), "changes recorded: {row:?}");
        let agent = f.agent(row.host);
        let received = applies(agent);
        assert_eq!(received.len(), 1);
        assert!(
            received[0] >= opens,
            "dispatched at {} before the window opened at {opens}",
            received[0]
        );
        assert!(agent.patches().is_empty(), "the agent applied everything");
        let d = f
            .store
            .get_host_detail(&Scope::system(), row.host)
            .await
            .unwrap();
        assert_eq!(d.pending_patches, 0, "the new patch state is recorded");
    }
    let held = detail.hosts.iter().find(|r| r.host == no_window).unwrap();
    assert_eq!(held.state, JobHostState::Queued);
    assert_eq!(
        held.waiting_reason.as_deref(),
        Some("no maintenance window")
    );
    assert!(applies(f.agent(no_window)).is_empty());
    assert_eq!(detail.job.state, JobState::Running, "one host still waits");

    // SIGTERM: a clean exit with a heartbeat on record.
    let beats = f.store.heartbeats().await.unwrap();
    assert!(beats.iter().any(|b| b.worker_id == "w-main"), "{beats:?}");
    let status = worker.terminate();
    assert!(status.success(), "{status:?}");
    let messages = worker.messages();
    assert!(
        messages.iter().any(|m| m == "lpm-server worker starting"),
        "{messages:?}"
    );
    assert!(messages.iter().any(|m| m == "stopped"), "{messages:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crashed_worker_s_rows_finish_under_another_without_applying_twice() {
    let pg = TempPostgres::shared();
    // Slow jobs, so the crash lands while they run.
    let timing = SimTiming {
        job_start: Duration::from_millis(300),
        per_package: Duration::from_millis(150),
        ..SimTiming::fast()
    };
    let f = Fixture::new(pg, 20, Ipv4Addr::new(127, 82, 0, 1), timing).await;
    let mut first = f.worker("w-crash-1", "");
    let (job, _) = f
        .create_job(
            JobKind::ApplyPatches,
            Schedule::Immediate,
            now_targets(&f.hosts),
        )
        .await;
    wait_for(
        "every row accepted by its agent",
        Duration::from_secs(60),
        || async {
            let d = f.job(job).await;
            d.hosts
                .iter()
                .all(|r| r.state == JobHostState::Running || r.state.is_terminal())
                .then_some(())
        },
    )
    .await;
    let running = f
        .job(job)
        .await
        .hosts
        .iter()
        .filter(|r| r.state == JobHostState::Running)
        .count();
    first.crash();
    println!("crashed the worker with {running} of 20 rows running on their agents");
    assert!(running > 0, "the crash landed mid-job");

    let _second = f.worker("w-crash-2", "");
    let detail = f.settled(job, Duration::from_secs(90)).await;
    assert_eq!(detail.job.state, JobState::Succeeded, "{detail:?}");
    for row in &detail.hosts {
        assert_eq!(row.state, JobHostState::Succeeded, "{row:?}");
        let agent = f.agent(row.host);
        assert_eq!(
            applies(agent).len(),
            1,
            "host {}: the apply was sent once",
            row.host
        );
        let counts = agent.applied_counts();
        assert_eq!(
            counts.len(),
            1,
            "host {}: one agent job: {counts:?}",
            row.host
        );
        assert!(counts.values().all(|n| *n == 1), "{counts:?}");
        assert!(agent.patches().is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_share_200_hosts_and_dispatch_each_row_exactly_once() {
    let pg = TempPostgres::shared();
    let f = Fixture::new(pg, 200, Ipv4Addr::new(127, 83, 0, 1), SimTiming::fast()).await;
    let a = f.worker("w-pair-a", "max_rows = 40\nclaim_batch = 8\n");
    let b = f.worker("w-pair-b", "max_rows = 40\nclaim_batch = 8\n");
    let mut jobs = Vec::new();
    for chunk in f.hosts.chunks(50) {
        jobs.push(
            f.create_job(
                JobKind::ApplyPatches,
                Schedule::Immediate,
                now_targets(chunk),
            )
            .await
            .0,
        );
    }
    for job in &jobs {
        let detail = f.settled(*job, Duration::from_secs(180)).await;
        assert_eq!(detail.job.state, JobState::Succeeded);
        assert!(
            detail
                .hosts
                .iter()
                .all(|r| r.state == JobHostState::Succeeded)
        );
    }
    let mut applied = 0;
    for agent in f.fleet.agents() {
        assert_eq!(applies(agent).len(), 1, "{}: one apply", agent.addr());
        let counts = agent.applied_counts();
        assert_eq!(
            counts.values().sum::<u32>(),
            1,
            "{}: {counts:?}",
            agent.addr()
        );
        applied += 1;
    }
    assert_eq!(applied, 200);
    drop((a, b));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_rides_out_a_postgres_restart() {
    // Its own cluster: a restart must not disturb the other tests.
    let pg = TempPostgres::start().unwrap();
    let timing = SimTiming {
        job_start: Duration::from_millis(200),
        per_package: Duration::from_millis(200),
        ..SimTiming::fast()
    };
    let f = Fixture::new(&pg, 20, Ipv4Addr::new(127, 84, 0, 1), timing).await;
    let _worker = f.worker("w-restart", "");
    let (first, _) = f
        .create_job(
            JobKind::ApplyPatches,
            Schedule::Immediate,
            now_targets(&f.hosts[0..10]),
        )
        .await;
    wait_for("rows running", Duration::from_secs(60), || async {
        let d = f.job(first).await;
        d.hosts
            .iter()
            .any(|r| r.state == JobHostState::Running)
            .then_some(())
    })
    .await;
    // Restart under load: rows are running on their agents.
    let pg = tokio::task::spawn_blocking(move || {
        pg.restart().unwrap();
        pg
    })
    .await
    .unwrap();
    let restarted = Instant::now();
    // Nothing lost: the rows in flight finish.
    let detail = wait_for(
        "the first job after the restart",
        Duration::from_secs(120),
        || async {
            let d = f.store.get_job(&Scope::system(), first).await.ok()?;
            d.job.state.is_terminal().then_some(d)
        },
    )
    .await;
    assert_eq!(detail.job.state, JobState::Succeeded, "{detail:?}");
    // The worker listens again: a new immediate job is dispatched on its notification.
    let (second, _) = f
        .create_job(
            JobKind::ApplyPatches,
            Schedule::Immediate,
            now_targets(&f.hosts[10..20]),
        )
        .await;
    wait_for(
        "the second job dispatched",
        Duration::from_secs(10),
        || async {
            let d = f.job(second).await;
            d.hosts
                .iter()
                .all(|r| r.state != JobHostState::Queued)
                .then_some(())
        },
    )
    .await;
    println!(
        "after the restart: first job settled and second dispatched {:.1} s after PostgreSQL came back",
        restarted.elapsed().as_secs_f64()
    );
    let detail = f.settled(second, Duration::from_secs(60)).await;
    assert_eq!(detail.job.state, JobState::Succeeded);
    for agent in f.fleet.agents() {
        assert_eq!(applies(agent).len(), 1);
    }
    drop(pg);
}

/// The gaps between consecutive times.
fn gaps(times: &[DateTime<Utc>]) -> Vec<f64> {
    times
        .windows(2)
        .map(|w| (w[1] - w[0]).num_milliseconds() as f64 / 1000.0)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flapping_agents_get_the_documented_backoff_and_no_retry_storm() {
    let pg = TempPostgres::shared();
    let f = Fixture::new(pg, 6, Ipv4Addr::new(127, 85, 0, 1), SimTiming::fast()).await;
    let failing = &f.hosts[0..3];
    for host in failing {
        f.agent(*host)
            .set_faults(Faults {
                error_status: Some(503),
                ..Faults::default()
            })
            .unwrap();
    }
    let _worker = f.worker("w-flap", "");
    // An immediate job on a failing host: the apply is retried after 1, 2 and 4 s, then the
    // row fails.
    let (job, _) = f
        .create_job(
            JobKind::ApplyPatches,
            Schedule::Immediate,
            now_targets(&f.hosts[0..1]),
        )
        .await;
    let detail = f.settled(job, Duration::from_secs(60)).await;
    let row = &detail.hosts[0];
    assert_eq!(row.state, JobHostState::Failed);
    assert!(
        row.error
            .as_deref()
            .unwrap_or_default()
            .contains("gave up after 3 retries"),
        "{row:?}"
    );
    // The first attempt sends the apply; a retry first asks the agent for the key's job (it
    // may have accepted what it could not answer), which fails alike.
    let requests = f.agent(f.hosts[0]).requests();
    let attempts: Vec<DateTime<Utc>> = requests
        .iter()
        .filter(|r| r.path == APPLY || r.path == "/api/v1/jobs")
        .map(|r| r.at)
        .collect();
    assert_eq!(
        attempts.len(),
        4,
        "one attempt and three retries: {requests:?}"
    );
    assert_eq!(applies(f.agent(f.hosts[0])).len(), 1);
    for (gap, nominal) in gaps(&attempts).into_iter().zip([1.0, 2.0, 4.0]) {
        assert!(
            gap >= nominal * 0.9,
            "retry after {gap} s, nominal {nominal} s"
        );
    }

    // Health polls of the failing hosts follow the same schedule, then the ordinary 5 s.
    wait_for(
        "the failing hosts flagged unreachable",
        Duration::from_secs(60),
        || async {
            let mut all = true;
            for host in failing {
                let d = f
                    .store
                    .get_host_detail(&Scope::system(), *host)
                    .await
                    .unwrap();
                all &= d.host.status == HostStatus::Unreachable;
            }
            all.then_some(())
        },
    )
    .await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    for host in failing {
        let polls: Vec<DateTime<Utc>> = f
            .agent(*host)
            .requests()
            .into_iter()
            .filter(|r| r.path == HEALTH)
            .map(|r| r.at)
            .collect();
        let gaps = gaps(&polls);
        assert!(gaps.len() >= 4, "{host}: {gaps:?}");
        let nominal = [1.0, 2.0, 4.0].into_iter().chain(std::iter::repeat(5.0));
        for (gap, nominal) in gaps.iter().zip(nominal) {
            assert!(
                *gap >= nominal * 0.9,
                "{host}: poll after {gap} s, nominal {nominal}: {gaps:?}"
            );
        }
    }
    for host in &f.hosts[3..6] {
        let d = f
            .store
            .get_host_detail(&Scope::system(), *host)
            .await
            .unwrap();
        assert_eq!(
            d.host.status,
            HostStatus::Healthy,
            "the others are unaffected"
        );
    }

    // The agents recover: the next ordinary poll finds them healthy.
    for host in failing {
        f.agent(*host).set_faults(Faults::default()).unwrap();
    }
    wait_for(
        "the recovered hosts healthy",
        Duration::from_secs(30),
        || async {
            let mut all = true;
            for host in failing {
                let d = f
                    .store
                    .get_host_detail(&Scope::system(), *host)
                    .await
                    .unwrap();
                all &= d.host.status == HostStatus::Healthy;
            }
            all.then_some(())
        },
    )
    .await;
}

#[test]
fn the_worker_refuses_sqlite_and_bad_settings_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "data_dir = \"{0}\"\n[database]\nurl = \"sqlite://{0}/lpm.db\"\n",
            dir.path().display()
        ),
    )
    .unwrap();
    let err = crate::support::lpm_fails(&["worker", "--config", config.to_str().unwrap()]);
    assert!(err.contains("all-in-one"), "{err}");
    std::fs::write(&config, "[worker]\nlease_s = 0\n").unwrap();
    let err = crate::support::lpm_fails(&["worker", "--config", config.to_str().unwrap()]);
    assert!(err.contains("worker.lease_s"), "{err}");
    let err = crate::support::lpm_fails(&["all-in-one", "--config", config.to_str().unwrap()]);
    assert!(err.contains("worker.lease_s"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_in_one_serves_the_web_part_and_works_jobs_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = dir.path().join("lpm.db");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:0\"\ndata_dir = \"{}\"\n[database]\nurl = \"sqlite://{}\"\n\
             [log]\nformat = \"json\"\n[worker]\nidle_wakeup_s = 1\n{WORKER_SETTINGS}",
            data.display(),
            db.display()
        )
        .replace("idle_wakeup_s = 60\n", ""),
    )
    .unwrap();
    let mut child = Command::new(BIN)
        .args(["all-in-one", "--config"])
        .arg(&config)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<serde_json::Value>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(value) = serde_json::from_str(&line) {
                let _ = tx.send(value);
            }
        }
    });
    let mut messages = Vec::new();
    let url = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("all-in-one logs that it listens");
        messages.push(line["message"].as_str().unwrap_or_default().to_owned());
        if line["message"] == "listening" {
            break line["url"].as_str().unwrap().to_owned();
        }
    };
    assert!(
        messages
            .iter()
            .any(|m| m == "lpm-server all-in-one starting"),
        "{messages:?}"
    );

    // The web part answers, and reports the worker's heartbeat as fresh.
    let ca_pem = std::fs::read(data.join("ca/ca.crt")).unwrap();
    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(&ca_pem).unwrap()])
        .build()
        .unwrap();
    wait_for(
        "a fresh worker heartbeat",
        Duration::from_secs(30),
        || async {
            let r = client
                .get(format!("{url}/status/health"))
                .send()
                .await
                .ok()?;
            (r.status() == 200).then_some(())
        },
    )
    .await;

    // Agents from the CA the process created; hosts and a job written beside it.
    let ca = Ca::load(data.join("ca")).unwrap();
    let mut options = FleetOptions::new(3, Ipv4Addr::new(127, 86, 1, 1), 12443, ca.root_pem());
    options.timing = SimTiming::fast();
    let now = OffsetDateTime::now_utc();
    let fleet = Fleet::launch(options, |ip, name| {
        let issued = ca
            .issue_agent_server(Some(name), Some(ip), now)
            .map_err(|e| e.to_string())?;
        Identity::from_pem(&issued.cert_pem, issued.key_pem.expose_secret())
            .map_err(|e| e.to_string())
    })
    .await
    .unwrap();
    let store = Store::connect(
        &format!("sqlite://{}", db.display()),
        &StoreOptions::default(),
    )
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
    let job = NewJob {
        kind: JobKind::ApplyPatches,
        schedule: Schedule::Immediate,
        options: JobOptions::default(),
        parent: None,
        targets: now_targets(&hosts),
    };
    let id = store
        .create_job(&Scope::system(), &job, &Actor::system(), Utc::now())
        .await
        .unwrap();
    let detail = wait_for("the job to settle", Duration::from_secs(60), || async {
        let d = store.get_job(&Scope::system(), id).await.ok()?;
        d.job.state.is_terminal().then_some(d)
    })
    .await;
    assert_eq!(detail.job.state, JobState::Succeeded, "{detail:?}");
    for agent in fleet.agents() {
        assert_eq!(applies(agent).len(), 1);
    }

    let sent = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(sent.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    reader.join().unwrap();
    let logged: Vec<String> = rx
        .try_iter()
        .map(|l| l["message"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(logged.iter().any(|m| m == "engine stopped"), "{logged:?}");
    assert!(logged.iter().any(|m| m == "stopped"), "{logged:?}");
}
