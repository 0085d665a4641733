//! Run with `cargo run -p lpm-examples --example engine`.
//!
//! Embeds lpm-core's orchestration engine in-process, the way another tool would, without
//! lpm-server: lpm-store on SQLite for storage, lpm-agent-client for the agents, and the two
//! small ports every embedding brings itself: a clock and a spawner. Three simulated agents
//! are registered, polled, and patched by an immediate job.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use lpm_agent_client::sim::{Fleet, FleetOptions, SimTiming};
use lpm_agent_client::{AgentClient, ClientOptions, Identity};
use lpm_ca::Ca;
use lpm_ca::time::OffsetDateTime;
use lpm_core::engine::{Engine, EngineConfig};
use lpm_core::job::{JobKind, JobOptions, Schedule};
use lpm_core::ports::{BoxFuture, Clock, Spawner, WorkerIdentity};
use lpm_core::rbac::Scope;
use lpm_store::jobs::{JobTarget, NewJob};
use lpm_store::{Actor, Store, StoreOptions};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The real time, sleeping with tokio.
#[derive(Debug)]
struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep_until(&self, deadline: DateTime<Utc>) -> BoxFuture<'_, ()> {
        let wait = (deadline - Utc::now()).to_std().unwrap_or_default();
        Box::pin(tokio::time::sleep(wait))
    }
}

/// The engine's concurrent work on this tokio runtime.
#[derive(Debug)]
struct TokioSpawner;

impl Spawner for TokioSpawner {
    fn spawn(&self, task: BoxFuture<'static, ()>) {
        tokio::spawn(task);
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    // Three agents with certificates from a throwaway CA, and the manager's client.
    let now = OffsetDateTime::now_utc();
    let ca = Ca::generate("example lpm CA", now)?;
    let manager = ca.issue_manager_client("lpm-manager", now)?;
    let identity = Identity::from_pem(&manager.cert_pem, manager.key_pem.expose_secret())?;
    let client = AgentClient::new(ca.root_pem(), &identity, ClientOptions::default())?;
    let mut options = FleetOptions::new(3, Ipv4Addr::new(127, 0, 11, 1), 0, ca.root_pem());
    options.timing = SimTiming::fast();
    let fleet = Fleet::launch(options, |ip, name| {
        let issued = ca
            .issue_agent_server(Some(name), Some(ip), now)
            .map_err(|e| e.to_string())?;
        Identity::from_pem(&issued.cert_pem, issued.key_pem.expose_secret())
            .map_err(|e| e.to_string())
    })
    .await?;

    // The store, with the agents registered as hosts.
    let dir = std::env::temp_dir().join(format!("lpm-engine-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = Store::open(
        &format!("sqlite://{}", dir.join("lpm.db").display()),
        &StoreOptions::default(),
    )
    .await?;
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
            .await?;
        hosts.push(host.id);
    }

    // The engine: every loop, default intervals (5 min health, 30 min patches).
    let engine = Engine::new(
        client,
        store.clone(),
        Arc::new(SystemClock),
        Arc::new(TokioSpawner),
        EngineConfig::default(),
        WorkerIdentity {
            id: "example".into(),
            hostname: "localhost".into(),
            version: "0".into(),
            started_at: Utc::now(),
        },
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn({
        let engine = engine.clone();
        async move {
            engine
                .run(async {
                    let _ = stopped.await;
                })
                .await;
        }
    });

    // Patch every host now; the engine is woken by the store's notification.
    let job = NewJob {
        kind: JobKind::ApplyPatches,
        schedule: Schedule::Immediate,
        options: JobOptions::default(),
        parent: None,
        targets: hosts
            .iter()
            .map(|h| JobTarget {
                host: *h,
                due_at: Some(Utc::now()),
                waiting_reason: None,
            })
            .collect(),
    };
    let id = store
        .create_job(&Scope::system(), &job, &Actor::system(), Utc::now())
        .await?;
    let detail = loop {
        let detail = store.get_job(&Scope::system(), id).await?;
        if detail.job.state.is_terminal() {
            break detail;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    println!("job {id}: {}", detail.job.state);
    for row in &detail.hosts {
        let host = store.get_host_detail(&Scope::system(), row.host).await?;
        println!(
            "  host {} ({}): {} with {} package changes; {} patches pending now",
            row.host,
            host.host.address.display_name(),
            row.state,
            row.changes.len(),
            host.pending_patches
        );
    }

    let _ = stop.send(());
    running.await?;
    store.close().await;
    std::fs::remove_dir_all(&dir)?;
    fleet.shutdown().await;
    Ok(())
}
