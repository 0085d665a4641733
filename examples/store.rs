//! lpm-store alone: a SQLite store, a host, a job pushed through the queue by hand, and the
//! audit chain verified at the end.
//!
//! Run with `cargo run -p lpm-examples --example store`.

use chrono::{Duration, Utc};
use lpm_core::job::{JobKind, JobOptions, Schedule};
use lpm_core::model::HostAddress;
use lpm_core::net::{Fqdn, Port};
use lpm_core::ports::HostOutcome;
use lpm_core::rbac::Scope;
use lpm_store::jobs::{JobTarget, NewJob};
use lpm_store::{Actor, Store, StoreOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("lpm-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("lpm.db").display());
    let store = Store::open(&url, &StoreOptions::default()).await?;
    println!(
        "store: {url} (schema version {:?})",
        store.schema_version().await?
    );

    let now = Utc::now();
    let system = Scope::system();
    let address = HostAddress::new(
        Some(Fqdn::new("web-01.example.com")?),
        None,
        Port::default(),
    )?;
    let host = store
        .create_host(&system, &address, &[], &Actor::system(), now)
        .await?;
    println!(
        "registered host {} ({})",
        host.id,
        host.address.display_name()
    );

    let job = NewJob {
        kind: JobKind::ApplyPatches,
        schedule: Schedule::Immediate,
        options: JobOptions {
            security_only: true,
            ..Default::default()
        },
        parent: None,
        targets: vec![JobTarget {
            host: host.id,
            due_at: Some(now),
            waiting_reason: None,
        }],
    };
    let job_id = store
        .create_job(&system, &job, &Actor::system(), now)
        .await?;

    // What a worker does: claim, record the idempotency key, call the agent, report back.
    for work in store
        .claim("example-worker", now, Duration::minutes(5), 10)
        .await?
    {
        store
            .record_dispatch(&work.lease, "01JEXAMPLEKEY", now)
            .await?;
        store
            .record_accepted(&work.lease, "agent-job-1", now)
            .await?;
        let outcome = HostOutcome::Succeeded {
            changes: vec![],
            reboot_required: false,
            log_tail: vec![],
        };
        store.complete(&work.lease, &outcome, now).await?;
    }
    let detail = store.get_job(&system, job_id).await?;
    println!("job {} is {}", detail.job.id, detail.job.state);

    let report = store.verify_audit().await?;
    println!(
        "audit chain: {} rows, intact: {}",
        report.rows_checked,
        report.is_intact()
    );
    store.close().await;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
