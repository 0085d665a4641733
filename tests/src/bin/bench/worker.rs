//! Worker scenarios: the engine of `lpm-server worker` in this process, over a throwaway
//! PostgreSQL (durable settings) or SQLite and a simulated fleet on loopback addresses.
//!
//! * `dispatch`: immediate jobs of one host each, created through the store as the web
//!   process creates them, one every `gap_ms`; the figure is the time from the job's
//!   `created_at` to the agent receiving `POST /api/v1/patches/apply`.
//! * `window_open_2500_s`: every host's queued job waits for one window opening at once; the
//!   time from the opening until the last agent has received its request.
//! * `worker_sweep_2500_s` (in `fleet-poll`): a full health sweep through the worker's poller,
//!   store writes included.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use lpm_agent_client::sim::{
    Fleet, FleetOptions, SimAgent, SimTiming, agent_name, fleet_addresses,
};
use lpm_agent_client::{AgentClient, ClientOptions, Identity};
use lpm_ca::Ca;
use lpm_ca::time::OffsetDateTime;
use lpm_core::engine::{EngineConfig, Loops};
use lpm_core::ids::HostId;
use lpm_core::job::{JobKind, JobOptions, Schedule};
use lpm_core::model::Name;
use lpm_core::ports::WorkerIdentity;
use lpm_core::rbac::Scope;
use lpm_core::window::MaintenanceWindow;
use lpm_server::clock::SystemClock;
use lpm_server::worker::{WorkerEngine, engine};
use lpm_store::jobs::{JobTarget, NewJob};
use lpm_store::testing::TempPostgres;
use lpm_store::{Actor, Store, StoreOptions};
use tokio::sync::oneshot;

use crate::BenchResult;

const APPLY: &str = "/api/v1/patches/apply";

/// A CA, the manager's client and a fleet.
pub(crate) struct Rig {
    pub(crate) client: AgentClient,
    pub(crate) fleet: Fleet,
}

impl Rig {
    pub(crate) async fn start(agents: usize, first_ip: Ipv4Addr, port: u16) -> BenchResult<Self> {
        let now = OffsetDateTime::now_utc();
        let ca = Ca::generate("lpm-bench CA", now)?;
        let issued = ca.issue_manager_client("lpm-bench", now)?;
        let identity = Identity::from_pem(&issued.cert_pem, issued.key_pem.expose_secret())?;
        let client = AgentClient::new(ca.root_pem(), &identity, ClientOptions::default())?;
        eprintln!("issuing {agents} agent certificates");
        let certs: Vec<Identity> = fleet_addresses(first_ip, agents)?
            .into_iter()
            .map(|ip| {
                let name = agent_name(ip, "lpm.test");
                let c = ca.issue_agent_server(Some(&name), Some(IpAddr::V4(ip)), now)?;
                Ok(Identity::from_pem(&c.cert_pem, c.key_pem.expose_secret())?)
            })
            .collect::<BenchResult<_>>()?;
        let mut certs = certs.into_iter();
        let mut options = FleetOptions::new(agents, first_ip, port, ca.root_pem());
        options.timing = SimTiming::fast();
        let fleet =
            Fleet::launch(options, |_, _| certs.next().ok_or("out of certificates")).await?;
        Ok(Self { client, fleet })
    }
}

/// Registers every agent of `fleet` as a host, in fleet order.
pub(crate) async fn register(store: &Store, fleet: &Fleet) -> BenchResult<Vec<HostId>> {
    let mut hosts = Vec::with_capacity(fleet.len());
    for agent in fleet.agents() {
        let host = store
            .create_host(
                &Scope::system(),
                &agent.host_address(),
                &[],
                &Actor::system(),
                Utc::now(),
            )
            .await?;
        hosts.push(host.id);
    }
    Ok(hosts)
}

/// The engine of `lpm-server worker` with only `loops` running, at `max_agents`.
pub(crate) fn worker(
    store: &Store,
    client: &AgentClient,
    loops: Loops,
    max_agents: u32,
) -> WorkerEngine {
    let config = EngineConfig {
        loops,
        max_agents,
        job_poll_interval: Duration::milliseconds(500),
        ..EngineConfig::default()
    };
    let identity = WorkerIdentity {
        id: format!("bench-{}", std::process::id()),
        hostname: "bench".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        started_at: Utc::now(),
    };
    engine(
        store.clone(),
        client.clone(),
        Arc::new(SystemClock),
        config,
        identity,
    )
}

/// Runs `engine` in the background until the returned sender is used (or dropped).
pub(crate) fn run(engine: &WorkerEngine) -> (oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
    let (tx, rx) = oneshot::channel::<()>();
    let engine = engine.clone();
    let handle = tokio::spawn(async move {
        engine
            .run(async {
                let _ = rx.await;
            })
            .await;
    });
    (tx, handle)
}

fn first_apply(agent: &SimAgent) -> Option<DateTime<Utc>> {
    agent
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path == APPLY)
        .map(|r| r.at)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

async fn dispatch_on(
    store: &Store,
    rig: &Rig,
    jobs: usize,
    gap: StdDuration,
) -> BenchResult<Vec<f64>> {
    let hosts = register(store, &rig.fleet).await?;
    let loops = Loops {
        health: false,
        patches: false,
        scheduler: false,
        discovery: false,
        housekeeping: false,
        executor: true,
    };
    let engine = worker(store, &rig.client, loops, 64);
    let (stop, handle) = run(&engine);
    // Let the engine subscribe before the first job.
    tokio::time::sleep(StdDuration::from_millis(500)).await;
    let mut created = Vec::with_capacity(jobs);
    for host in hosts.iter().take(jobs) {
        let at = Utc::now();
        let job = NewJob {
            kind: JobKind::ApplyPatches,
            schedule: Schedule::Immediate,
            options: JobOptions::default(),
            parent: None,
            targets: vec![JobTarget {
                host: *host,
                due_at: Some(at),
                waiting_reason: None,
            }],
        };
        store
            .create_job(&Scope::system(), &job, &Actor::system(), at)
            .await?;
        created.push(at);
        tokio::time::sleep(gap).await;
    }
    let deadline = Instant::now() + StdDuration::from_secs(60);
    let mut latencies = Vec::with_capacity(jobs);
    for (agent, at) in rig.fleet.agents().iter().zip(&created) {
        let received = loop {
            if let Some(r) = first_apply(agent) {
                break r;
            }
            if Instant::now() > deadline {
                return Err(format!("{} never received its job", agent.addr()).into());
            }
            tokio::time::sleep(StdDuration::from_millis(10)).await;
        };
        latencies.push((received - *at).num_microseconds().unwrap_or(i64::MAX) as f64 / 1000.0);
    }
    let _ = stop.send(());
    handle.await?;
    latencies.sort_by(f64::total_cmp);
    Ok(latencies)
}

/// `dispatch`: immediate jobs of one host each; job created → agent received the request.
pub(crate) async fn dispatch(
    jobs: usize,
    gap_ms: u64,
    first_ip: Ipv4Addr,
    port: u16,
) -> BenchResult<()> {
    lpm_agent_client::raise_fd_limit()?;
    let gap = StdDuration::from_millis(gap_ms);
    let rig = Rig::start(jobs, first_ip, port).await?;
    let pg = TempPostgres::start_durable()?;
    let store = Store::open(&pg.fresh_database().await?, &StoreOptions::default()).await?;
    eprintln!("{jobs} immediate jobs on PostgreSQL, one every {gap_ms} ms");
    let pg_latencies = dispatch_on(&store, &rig, jobs, gap).await?;
    store.close().await;
    // The same agents as new hosts on SQLite: they applied their patches already, which does
    // not matter, since dispatch is measured to the request's arrival.
    for agent in rig.fleet.agents() {
        agent.clear_requests();
    }
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = Store::open(&url, &StoreOptions::default()).await?;
    eprintln!("{jobs} immediate jobs on SQLite, one every {gap_ms} ms");
    let sqlite_latencies = dispatch_on(&store, &rig, jobs, gap).await?;
    println!(
        "dispatch_p50_ms_postgres: {:.1} ms",
        percentile(&pg_latencies, 50.0)
    );
    println!(
        "dispatch_p99_ms_postgres: {:.1} ms",
        percentile(&pg_latencies, 99.0)
    );
    println!(
        "dispatch_p50_ms_sqlite: {:.1} ms",
        percentile(&sqlite_latencies, 50.0)
    );
    println!(
        "dispatch_p99_ms_sqlite: {:.1} ms",
        percentile(&sqlite_latencies, 99.0)
    );
    rig.fleet.shutdown().await;
    Ok(())
}

/// `window-open`: `agents` hosts whose one window opens at once, each with a queued job.
pub(crate) async fn window_open(
    agents: usize,
    first_ip: Ipv4Addr,
    port: u16,
    concurrency: u32,
) -> BenchResult<()> {
    lpm_agent_client::raise_fd_limit()?;
    let rig = Rig::start(agents, first_ip, port).await?;
    let pg = TempPostgres::start_durable()?;
    let store = Store::open(&pg.fresh_database().await?, &StoreOptions::default()).await?;
    eprintln!("registering {agents} hosts with their windows");
    let hosts = register(&store, &rig.fleet).await?;
    let lead = Duration::seconds(20) + Duration::milliseconds(agents as i64 * 4);
    let opens = Utc::now() + lead;
    let window = MaintenanceWindow::one_time(opens, opens + Duration::hours(1))?;
    let name = Name::new("bench window")?;
    for host in &hosts {
        store
            .create_window(
                &Scope::system(),
                *host,
                &name,
                &window,
                &Actor::system(),
                Utc::now(),
            )
            .await?;
    }
    let job = NewJob {
        kind: JobKind::ApplyPatches,
        schedule: Schedule::NextWindow,
        options: JobOptions::default(),
        parent: None,
        targets: hosts
            .iter()
            .map(|h| JobTarget {
                host: *h,
                due_at: Some(opens),
                waiting_reason: None,
            })
            .collect(),
    };
    store
        .create_job(&Scope::system(), &job, &Actor::system(), Utc::now())
        .await?;
    let left = opens - Utc::now();
    if left < Duration::seconds(2) {
        return Err("seeding took longer than the lead time; the window opened early".into());
    }
    eprintln!(
        "window opens in {:.1} s; starting the worker",
        left.num_milliseconds() as f64 / 1000.0
    );
    let loops = Loops {
        health: false,
        patches: false,
        discovery: false,
        housekeeping: false,
        scheduler: true,
        executor: true,
    };
    let engine = worker(&store, &rig.client, loops, concurrency);
    let (stop, handle) = run(&engine);
    let deadline = Instant::now() + StdDuration::from_secs(600);
    let mut last = opens;
    for agent in rig.fleet.agents() {
        let received = loop {
            if let Some(r) = first_apply(agent) {
                break r;
            }
            if Instant::now() > deadline {
                return Err(format!("{} never received its job", agent.addr()).into());
            }
            tokio::time::sleep(StdDuration::from_millis(20)).await;
        };
        if received < opens {
            return Err(
                format!("{} received its job before the window opened", agent.addr()).into(),
            );
        }
        last = last.max(received);
    }
    let secs = (last - opens).num_milliseconds() as f64 / 1000.0;
    eprintln!("every agent received its job {secs:.2} s after the window opened");
    println!("window_open_{agents}_s: {secs:.2} s");
    let _ = stop.send(());
    handle.await?;
    rig.fleet.shutdown().await;
    Ok(())
}

/// `worker_sweep`: one health sweep of every registered agent through the worker's poller,
/// store writes included, on PostgreSQL. Returns seconds.
pub(crate) async fn worker_sweep(
    client: &AgentClient,
    fleet: &Fleet,
    concurrency: u32,
) -> BenchResult<f64> {
    let pg = TempPostgres::start_durable()?;
    let store = Store::open(&pg.fresh_database().await?, &StoreOptions::default()).await?;
    eprintln!("registering {} hosts", fleet.len());
    register(&store, fleet).await?;
    let loops = Loops {
        health: true,
        patches: false,
        scheduler: false,
        executor: false,
        discovery: false,
        housekeeping: false,
    };
    let engine = worker(&store, client, loops, concurrency);
    let start = Instant::now();
    let (stop, handle) = run(&engine);
    let total = fleet.len() as i64;
    loop {
        let status = store.fleet_status(&Scope::system()).await?;
        let healthy = status.by_status.get("healthy").copied().unwrap_or(0);
        if healthy == total {
            break;
        }
        if start.elapsed() > StdDuration::from_secs(600) {
            return Err(format!("only {healthy} of {total} hosts polled").into());
        }
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
    let secs = start.elapsed().as_secs_f64();
    let _ = stop.send(());
    handle.await?;
    store.close().await;
    Ok(secs)
}
