//! `lpm-bench`: benchmark scenarios that print their figures as `name: value unit` lines.
//!
//! Run with `cargo run --release -p lpm-tests --bin lpm-bench -- <scenario>`. PostgreSQL
//! figures come from a throwaway cluster started from the installed binaries with PostgreSQL's
//! durable defaults (fsync and synchronous commit on), so they hold for a real installation on
//! the same disk. Fleet figures come from simulated agents on loopback addresses in this
//! process. Progress goes to stderr; figures to stdout.

#[path = "bench/api.rs"]
mod api;
#[path = "bench/fleet.rs"]
mod fleet;
// Shared with lpm-api-fixture, which uses more of it.
#[allow(dead_code)]
#[path = "support/live_api.rs"]
mod live_api;
#[path = "bench/login.rs"]
mod login;

use std::net::Ipv4Addr;
use std::time::Instant;

#[path = "bench/reports.rs"]
mod reports;
#[path = "bench/worker.rs"]
mod worker;

use chrono::{Duration, TimeZone, Utc};
use clap::{Parser, Subcommand};
use lpm_core::ids::HostId;
use lpm_core::job::{JobKind, JobOptions, Schedule};
use lpm_core::ports::HostOutcome;
use lpm_core::rbac::Scope;
use lpm_store::audit::AuditEntry;
use lpm_store::jobs::{JobTarget, NewJob};
use lpm_store::testing::TempPostgres;
use lpm_store::{Actor, Store, StoreOptions};

#[derive(Debug, Parser)]
#[command(
    name = "lpm-bench",
    about = "lpm benchmarks: each prints `name: value unit` lines"
)]
struct Cli {
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Debug, Subcommand)]
enum Scenario {
    /// Job-queue throughput: claim, dispatch and complete job-host rows with 4 concurrent
    /// workers, on PostgreSQL and on SQLite.
    Queue {
        /// Rows to push through on each backend.
        #[arg(long, default_value_t = 20_000)]
        rows: u32,
        /// Concurrent workers.
        #[arg(long, default_value_t = 4)]
        workers: u32,
        /// Rows a worker claims at once.
        #[arg(long, default_value_t = 16)]
        batch: u32,
    },
    /// Time to verify an audit chain of `rows` rows, on PostgreSQL and on SQLite.
    AuditVerify {
        /// Rows in the chain.
        #[arg(long, default_value_t = 1_000_000)]
        rows: u32,
    },
    /// Reports: the compliance PDF with charts for `hosts` hosts, and `audit_rows` audit rows
    /// streamed as CSV with the peak RSS it took. Build with --release.
    Reports {
        /// Hosts in the compliance report.
        #[arg(long, default_value_t = 2_500)]
        hosts: u32,
        /// Audit rows streamed as CSV.
        #[arg(long, default_value_t = 1_000_000)]
        audit_rows: u32,
    },
    /// Polling a simulated fleet: bare TLS 1.3 handshakes to every agent, then a health sweep
    /// through lpm-agent-client, both at the same concurrency; the simulator's memory; and a
    /// full health sweep through the worker's poller with its store writes (PostgreSQL).
    FleetPoll {
        /// Simulated agents.
        #[arg(long, default_value_t = 2500)]
        agents: usize,
        /// The first agent's address.
        #[arg(long, default_value = "127.40.0.1")]
        first_ip: Ipv4Addr,
        /// The agents' port.
        #[arg(long, default_value_t = 12443)]
        port: u16,
        /// Calls in flight (the worker semaphore).
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
    },
    /// The host list over HTTPS: 2,500 hosts in PostgreSQL, `GET /api/v1/hosts?per_page=100`
    /// as an admin; peak throughput at 50 keep-alive connections, then p50 and p99 latency at
    /// a fixed offered load of 1,000 requests/s. Build with --release.
    ApiHosts {
        /// Hosts seeded.
        #[arg(long, default_value_t = 2_500)]
        hosts: u32,
        /// Keep-alive connections of the throughput run.
        #[arg(long, default_value_t = 50)]
        connections: usize,
        /// Requests per second offered in the latency run.
        #[arg(long, default_value_t = 1_000)]
        rate: u32,
        /// Seconds each run lasts.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// The store's connection pool (the server's default is 20).
        #[arg(long, default_value_t = 20)]
        pool: u32,
    },
    /// Logins: the password step against the real server over HTTPS (PostgreSQL, Argon2id
    /// calibrated here), one at a time and 20 at once. Build with --release.
    Login {
        /// Logins one after another.
        #[arg(long, default_value_t = 50)]
        sequential: usize,
        /// Rounds of 20 concurrent logins.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Argon2id parameters `m=KIB,t=N,p=N` instead of calibrating (to compare runs on a
        /// busy machine, where calibration wanders).
        #[arg(long, value_name = "m=KIB,t=N,p=N")]
        argon2: Option<String>,
    },
    /// Dispatch latency: immediate jobs of one host each, created through the store as the
    /// web process creates them, until the simulated agent receives the request; on
    /// PostgreSQL (notified through LISTEN/NOTIFY) and on SQLite (in-process).
    Dispatch {
        /// Jobs (and agents).
        #[arg(long, default_value_t = 300)]
        jobs: usize,
        /// Milliseconds between job creations.
        #[arg(long, default_value_t = 20)]
        gap_ms: u64,
        /// The first agent's address.
        #[arg(long, default_value = "127.50.0.1")]
        first_ip: Ipv4Addr,
        /// The agents' port.
        #[arg(long, default_value_t = 12443)]
        port: u16,
    },
    /// A maintenance window opening at once for `agents` hosts, each with a queued job: the
    /// time until every agent has received its request, at the worker's concurrency.
    WindowOpen {
        /// Hosts (and agents).
        #[arg(long, default_value_t = 2500)]
        agents: usize,
        /// The first agent's address.
        #[arg(long, default_value = "127.60.0.1")]
        first_ip: Ipv4Addr,
        /// The agents' port.
        #[arg(long, default_value_t = 12443)]
        port: u16,
        /// Agent calls in flight (the worker semaphore).
        #[arg(long, default_value_t = 64)]
        concurrency: u32,
    },
    /// CIDR discovery: a /22 where every address is silent, and a /22 holding 100 agents
    /// among addresses that refuse, at the SDD's probe timeout.
    CidrScan {
        /// The silent range (a tarpit on every address).
        #[arg(long, default_value = "127.30.0.0/22")]
        silent: lpm_core::net::Cidr,
        /// The mixed range.
        #[arg(long, default_value = "127.31.0.0/22")]
        mixed: lpm_core::net::Cidr,
        /// Agents in the mixed range.
        #[arg(long, default_value_t = 100)]
        agents: usize,
        /// The port probed.
        #[arg(long, default_value_t = 12443)]
        port: u16,
        /// Per-address probe timeout in milliseconds.
        #[arg(long, default_value_t = 1500)]
        timeout_ms: u64,
    },
}

type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[tokio::main]
async fn main() -> BenchResult<()> {
    let cli = Cli::parse();
    match cli.scenario {
        Scenario::Queue {
            rows,
            workers,
            batch,
        } => {
            let pg = if std::env::var_os("LPM_BENCH_NOSYNC").is_some() {
                TempPostgres::start()?
            } else {
                TempPostgres::start_durable()?
            };
            let store = Store::open(&pg.fresh_database().await?, &StoreOptions::default()).await?;
            let rate = queue(&store, rows, workers, batch).await?;
            println!("queue_claims_per_s_postgres: {rate:.0} rows/s");
            let (store, _dir) = sqlite_store().await?;
            let rate = queue(&store, rows, workers, batch).await?;
            println!("queue_claims_per_s_sqlite: {rate:.0} rows/s");
        }
        Scenario::AuditVerify { rows } => {
            let pg = TempPostgres::start_durable()?;
            let store = Store::open(&pg.fresh_database().await?, &StoreOptions::default()).await?;
            let secs = audit_verify(&store, rows).await?;
            println!("audit_verify_1m_s: {secs:.2} s");
            let (store, _dir) = sqlite_store().await?;
            let secs = audit_verify(&store, rows).await?;
            println!("audit_verify_1m_s_sqlite: {secs:.2} s");
        }
        Scenario::Reports { hosts, audit_rows } => reports::run(hosts, audit_rows)?,
        Scenario::FleetPoll {
            agents,
            first_ip,
            port,
            concurrency,
        } => fleet::fleet_poll(agents, first_ip, port, concurrency).await?,
        Scenario::ApiHosts {
            hosts,
            connections,
            rate,
            seconds,
            pool,
        } => {
            api::api_hosts(api::ApiHostsOptions {
                hosts,
                connections,
                rate,
                seconds,
                pool,
            })
            .await?
        }
        Scenario::Login {
            sequential,
            rounds,
            argon2,
        } => login::run(sequential, rounds, argon2.as_deref()).await?,
        Scenario::Dispatch {
            jobs,
            gap_ms,
            first_ip,
            port,
        } => worker::dispatch(jobs, gap_ms, first_ip, port).await?,
        Scenario::WindowOpen {
            agents,
            first_ip,
            port,
            concurrency,
        } => worker::window_open(agents, first_ip, port, concurrency).await?,
        Scenario::CidrScan {
            silent,
            mixed,
            agents,
            port,
            timeout_ms,
        } => {
            let timeout = std::time::Duration::from_millis(timeout_ms);
            fleet::cidr_scan(silent, mixed, agents, port, timeout).await?;
        }
    }
    Ok(())
}

async fn sqlite_store() -> BenchResult<(Store, tempfile::TempDir)> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    Ok((Store::open(&url, &StoreOptions::default()).await?, dir))
}

/// Seeds `rows` due job-host rows (jobs of 100 hosts) and returns rows per second through
/// claim → record_dispatch → complete with `workers` concurrent workers.
async fn queue(store: &Store, rows: u32, workers: u32, batch: u32) -> BenchResult<f64> {
    let t0 = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .ok_or("bad date")?;
    let rows = rows.max(100) / 100 * 100;
    eprintln!("seeding {rows} job-host rows on {:?}", store.backend());
    store.testing_seed_hosts(rows, t0).await?;
    for job in 0..rows / 100 {
        let targets = (1..=100)
            .map(|i| {
                HostId::new(i64::from(job * 100 + i)).map(|host| JobTarget {
                    host,
                    due_at: Some(t0),
                    waiting_reason: None,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let new = NewJob {
            kind: JobKind::ApplyPatches,
            schedule: Schedule::Immediate,
            options: JobOptions::default(),
            parent: None,
            targets,
        };
        store
            .create_job(&Scope::system(), &new, &Actor::system(), t0)
            .await?;
    }
    let now = t0 + Duration::seconds(1);
    let start = Instant::now();
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                let owner = format!("bench-{w}");
                let mut done = 0u64;
                let mut phases = [std::time::Duration::ZERO; 3];
                loop {
                    let t = Instant::now();
                    let claimed = store
                        .claim(&owner, now, Duration::minutes(5), batch)
                        .await?;
                    phases[0] += t.elapsed();
                    if claimed.is_empty() {
                        eprintln!(
                            "{owner}: claim {:?} dispatch {:?} complete {:?}",
                            phases[0], phases[1], phases[2]
                        );
                        return Ok::<u64, lpm_store::StoreError>(done);
                    }
                    // As the engine does: record every key of the batch, then call the agents.
                    let t = Instant::now();
                    let keys: Vec<_> = claimed
                        .iter()
                        .map(|w| (w.lease.clone(), w.lease.job_host.to_string()))
                        .collect();
                    for result in store.record_dispatches(&keys, now).await? {
                        result?;
                    }
                    phases[1] += t.elapsed();
                    let t = Instant::now();
                    for work in claimed {
                        let outcome = HostOutcome::Succeeded {
                            changes: vec![],
                            reboot_required: false,
                            log_tail: vec![],
                        };
                        store.complete(&work.lease, &outcome, now).await?;
                        done += 1;
                    }
                    phases[2] += t.elapsed();
                }
            })
        })
        .collect();
    let mut total = 0;
    for task in tasks {
        total += task.await??;
    }
    let secs = start.elapsed().as_secs_f64();
    if total != u64::from(rows) {
        return Err(format!("processed {total} rows, expected {rows}").into());
    }
    eprintln!("{total} rows in {secs:.2} s");
    Ok(total as f64 / secs)
}

/// Writes a chain of `rows` audit rows, then times one full verification.
async fn audit_verify(store: &Store, rows: u32) -> BenchResult<f64> {
    let at = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .ok_or("bad date")?;
    eprintln!("seeding {rows} audit rows on {:?}", store.backend());
    let mut written = 0;
    while written < rows {
        let n = (rows - written).min(20_000);
        let entries: Vec<AuditEntry> = (written..written + n)
            .map(|i| {
                AuditEntry::new(None, "bench", "host.updated", "host")
                    .target(i)
                    .from_ip("192.0.2.10")
                    .details(serde_json::json!({ "field": "status", "to": "healthy" }))
            })
            .collect();
        store.audit_many(&entries, at).await?;
        written += n;
    }
    let start = Instant::now();
    let report = store.verify_audit().await?;
    let secs = start.elapsed().as_secs_f64();
    if !report.is_intact() || report.rows_checked != u64::from(rows) {
        return Err(format!("verification failed: {report:?}").into());
    }
    Ok(secs)
}
