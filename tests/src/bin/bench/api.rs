//! The `api-hosts` scenario: `GET /api/v1/hosts?per_page=100&page=N` on a fleet of 2,500 hosts
//! in PostgreSQL, through the real server over HTTPS in this process, as an admin.
//!
//! Two figures, since one closed-loop run cannot give both: the peak throughput of 50 keep-alive
//! connections each sending its next request as soon as the last one answered, and the latency
//! at a fixed offered load, where requests leave on a timetable whatever the server does and
//! latency counts from the scheduled send time, so a stall is charged to every request it
//! delays (no coordinated omission).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use lpm_core::model::Role;
use lpm_store::testing::TempPostgres;
use lpm_store::{Store, StoreOptions};

use crate::BenchResult;
use crate::live_api::LiveApi;

/// Rows per page, as a UI table of hosts asks for them.
const PER_PAGE: u32 = 100;

/// What the scenario runs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ApiHostsOptions {
    /// Hosts seeded.
    pub(crate) hosts: u32,
    /// Keep-alive connections of the throughput run.
    pub(crate) connections: usize,
    /// Requests per second offered in the latency run.
    pub(crate) rate: u32,
    /// Length of each run.
    pub(crate) seconds: u64,
    /// The store's connection pool size.
    pub(crate) pool: u32,
}

/// Runs the scenario and prints `hosts_page_rps`, `hosts_page_p50_ms` and `hosts_page_p99_ms`.
pub(crate) async fn api_hosts(options: ApiHostsOptions) -> BenchResult<()> {
    let pg = TempPostgres::start_durable()?;
    let store_options = StoreOptions {
        max_connections: options.pool,
        ..StoreOptions::default()
    };
    let store = Store::open(&pg.fresh_database().await?, &store_options).await?;
    eprintln!("seeding {} hosts", options.hosts);
    store.testing_seed_hosts(options.hosts, Utc::now()).await?;
    let api = LiveApi::start(store).await?;
    let admin = api.user("bench-admin", Role::Admin, &[]).await?;
    let target = Target {
        base: api.url(),
        token: api.token(&admin)?,
        ca: reqwest::Certificate::from_pem(api.ca_pem.as_bytes())?,
        pages: options.hosts.div_ceil(PER_PAGE).max(1),
    };
    // Every page once, checked: the figures below are of correct answers.
    let client = target.client(options.connections)?;
    for page in 1..=target.pages {
        let body: serde_json::Value = target.get(&client, page).await?.json().await?;
        let rows = body["items"].as_array().map_or(0, Vec::len);
        let want = (options.hosts - (page - 1) * PER_PAGE).min(PER_PAGE) as usize;
        if rows != want || body["total"] != options.hosts {
            return Err(format!("page {page}: {rows} rows, total {}", body["total"]).into());
        }
    }

    let run = Duration::from_secs(options.seconds);
    eprintln!(
        "throughput: {} connections for {} s",
        options.connections, options.seconds
    );
    let cpu_before = CpuUse::now(&api.store).await?;
    let (rps, requests) = throughput(&target, options.connections, run).await?;
    let cpu = CpuUse::now(&api.store).await?.since(&cpu_before);
    println!("hosts_page_rps: {rps:.0} requests/s");
    // CPU per request holds on a machine shared with other work, where the rate does not:
    // this process (server and client) and the store's PostgreSQL backends.
    let per_request = |seconds: f64| seconds * 1e3 / requests as f64;
    println!(
        "hosts_page_cpu_ms: {:.3} ms",
        per_request(cpu.process + cpu.postgres)
    );
    eprintln!(
        "CPU per request: {:.3} ms in this process, {:.3} ms in PostgreSQL",
        per_request(cpu.process),
        per_request(cpu.postgres)
    );

    eprintln!(
        "latency: {} requests/s offered for {} s",
        options.rate, options.seconds
    );
    let (mut latencies, failed) = open_loop(&target, &client, options.rate, run).await?;
    latencies.sort_unstable();
    if failed > 0 {
        // Overload answers 503 (the pool stayed busy): counted, timed like the rest.
        eprintln!("{failed} requests answered other than 200");
    }
    println!(
        "hosts_page_p50_ms: {:.2} ms",
        percentile(&latencies, 0.50).as_secs_f64() * 1e3
    );
    println!(
        "hosts_page_p99_ms: {:.2} ms",
        percentile(&latencies, 0.99).as_secs_f64() * 1e3
    );
    eprintln!(
        "{} requests, max {:.2} ms",
        latencies.len(),
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
    api.stop().await?;
    Ok(())
}

/// The server and what a client needs to call it.
#[derive(Clone)]
struct Target {
    base: String,
    token: String,
    ca: reqwest::Certificate,
    pages: u32,
}

impl Target {
    /// A client trusting the server's CA that keeps up to `connections` connections open.
    fn client(&self, connections: usize) -> BenchResult<reqwest::Client> {
        Ok(reqwest::Client::builder()
            .tls_certs_only([self.ca.clone()])
            .http1_only()
            .pool_max_idle_per_host(connections)
            .build()?)
    }

    /// `GET` page `page`, failing on anything but 200.
    async fn get(&self, client: &reqwest::Client, page: u32) -> BenchResult<reqwest::Response> {
        let response = client
            .get(format!(
                "{}/api/v1/hosts?per_page={PER_PAGE}&page={page}",
                self.base
            ))
            .bearer_auth(&self.token)
            .send()
            .await?;
        if response.status() != reqwest::StatusCode::OK {
            return Err(format!("page {page}: status {}", response.status()).into());
        }
        Ok(response)
    }
}

/// Requests per second through `connections` connections, each with its own client (so its
/// own keep-alive connection), sending pages 1..=pages in turn for `run` after a warm-up; and
/// how many requests that was, warm-up included.
async fn throughput(target: &Target, connections: usize, run: Duration) -> BenchResult<(f64, u64)> {
    let target = Arc::new(target.clone());
    let counting = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let all = Arc::new(AtomicU64::new(0));
    let warm_up = Duration::from_secs(1);
    let start = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|worker| {
            let (target, counting) = (target.clone(), counting.clone());
            let (done, all) = (done.clone(), all.clone());
            tokio::spawn(async move {
                let client = target.client(1)?;
                let mut page = worker as u32 % target.pages;
                while start.elapsed() < warm_up + run {
                    let bytes = target.get(&client, page + 1).await?.bytes().await?;
                    if bytes.is_empty() {
                        return Err("empty page".into());
                    }
                    all.fetch_add(1, Ordering::Relaxed);
                    if counting.load(Ordering::Relaxed) {
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    page = (page + 1) % target.pages;
                }
                BenchResult::Ok(())
            })
        })
        .collect();
    tokio::time::sleep(warm_up).await;
    let counted_from = Instant::now();
    counting.store(true, Ordering::Relaxed);
    tokio::time::sleep(run).await;
    let counted = done.load(Ordering::Relaxed);
    let secs = counted_from.elapsed().as_secs_f64();
    for task in tasks {
        task.await??;
    }
    Ok((counted as f64 / secs, all.load(Ordering::Relaxed)))
}

/// CPU seconds used so far by this process and by the PostgreSQL backends serving the store.
struct CpuUse {
    process: f64,
    postgres: f64,
    backends: Vec<(u32, f64)>,
}

impl CpuUse {
    async fn now(store: &Store) -> BenchResult<Self> {
        let pids = store
            .testing_strings(
                "SELECT pid::text FROM pg_stat_activity WHERE datname = current_database() \
                 AND pid <> pg_backend_pid()",
            )
            .await?;
        let backends: Vec<(u32, f64)> = pids
            .iter()
            .filter_map(|pid| pid.parse().ok())
            .map(|pid: u32| (pid, cpu_seconds(&pid.to_string()).unwrap_or(0.0)))
            .collect();
        Ok(Self {
            process: cpu_seconds("self")?,
            postgres: backends.iter().map(|(_, s)| s).sum(),
            backends,
        })
    }

    /// The use between `before` and now; a backend that started meanwhile counts from zero.
    fn since(&self, before: &Self) -> CpuUse {
        let postgres = self
            .backends
            .iter()
            .map(|(pid, now)| {
                let then = before
                    .backends
                    .iter()
                    .find(|(p, _)| p == pid)
                    .map_or(0.0, |(_, s)| *s);
                now - then
            })
            .sum();
        CpuUse {
            process: self.process - before.process,
            postgres,
            backends: Vec::new(),
        }
    }
}

/// User and system CPU seconds of `/proc/{pid}` (`self` for this process).
fn cpu_seconds(pid: &str) -> BenchResult<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name is in parentheses and may hold spaces: count fields after it.
    let after = stat.rsplit_once(')').ok_or("malformed stat")?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks =
        |i: usize| -> BenchResult<f64> { Ok(fields.get(i).ok_or("short stat")?.parse::<f64>()?) };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; Linux
    // counts them in 1/100 s (USER_HZ) on every architecture it runs here.
    Ok((ticks(11)? + ticks(12)?) / 100.0)
}

/// Latencies of `rate` requests per second for `run`, each sent at its slot on a fixed
/// timetable and timed from that slot to the end of its body; and how many answered other
/// than 200 (a refusal under overload is an answer, timed like the rest).
async fn open_loop(
    target: &Target,
    client: &reqwest::Client,
    rate: u32,
    run: Duration,
) -> BenchResult<(Vec<Duration>, usize)> {
    let total = (u64::from(rate) * run.as_secs()) as usize;
    let interval = Duration::from_secs(1) / rate;
    let start = tokio::time::Instant::now() + Duration::from_millis(100);
    let mut tasks = Vec::with_capacity(total);
    for i in 0..total {
        let slot = start + interval * i as u32;
        tokio::time::sleep_until(slot).await;
        let client = client.clone();
        let url = format!(
            "{}/api/v1/hosts?per_page={PER_PAGE}&page={}",
            target.base,
            i as u32 % target.pages + 1
        );
        let token = target.token.clone();
        tasks.push(tokio::spawn(async move {
            let response = client.get(url).bearer_auth(token).send().await?;
            let ok = response.status() == reqwest::StatusCode::OK;
            response.bytes().await?;
            BenchResult::Ok((slot.elapsed(), ok))
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    let mut failed = 0;
    for task in tasks {
        let (latency, ok) = task.await??;
        latencies.push(latency);
        failed += usize::from(!ok);
    }
    Ok((latencies, failed))
}

/// The `q` quantile of sorted `values` (nearest rank).
fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}
