//! The worker's composition: lpm-core's engine over lpm-store's [`Store`] and
//! lpm-agent-client's [`AgentClient`], with the configuration of [`WorkerConfig`]. `lpm-server
//! worker` and `all-in-one` run it; benchmarks and embedding tools build one with
//! [`engine`].

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use lpm_agent_client::{AgentClient, ClientOptions, Identity};
use lpm_core::engine::{Engine, EngineConfig, Loops};
use lpm_core::ports::{BoxFuture, Clock, Spawner, WorkerIdentity};
use lpm_core::retry::RetryPolicy;
use lpm_store::Store;

use crate::config::{Seconds, WorkerConfig};

/// The engine as lpm-server runs it.
pub type WorkerEngine = Engine<AgentClient, Store>;

/// The CA files the worker reads.
const CA_CERT_FILE: &str = "ca.crt";
const MANAGER_CERT_FILE: &str = "manager.crt";
const MANAGER_KEY_FILE: &str = "manager.key";
const CRL_FILE: &str = "crl.pem";

/// Why the worker cannot start.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// A file of the CA directory is missing or unreadable.
    #[error("{path}: {detail}")]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// The agent client refused its configuration.
    #[error("agent client: {0}")]
    Client(#[from] lpm_agent_client::ConfigError),
}

/// Spawns the engine's tasks on the current tokio runtime.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSpawner;

impl Spawner for TokioSpawner {
    fn spawn(&self, task: BoxFuture<'static, ()>) {
        tokio::spawn(task);
    }
}

fn secs(value: Seconds) -> Duration {
    // Validated when the configuration was loaded.
    value.duration().unwrap_or(Duration::seconds(1))
}

/// The engine's configuration from the worker's.
pub fn engine_config(config: &WorkerConfig) -> EngineConfig {
    let backoff: Vec<Duration> = config.retry_backoff_s.iter().map(|s| secs(*s)).collect();
    let max_delay = backoff.iter().copied().max().unwrap_or(Duration::zero());
    EngineConfig {
        loops: Loops::default(),
        health_interval: secs(config.health_interval_s),
        patch_interval: secs(config.patch_interval_s),
        max_agents: config.max_agents,
        max_rows: config.max_rows,
        claim_batch: config.claim_batch,
        lease: secs(config.lease_s),
        retry: RetryPolicy::from_schedule(backoff, max_delay, config.retry_jitter),
        job_poll_interval: secs(config.job_poll_interval_s),
        agent_silence_limit: secs(config.agent_silence_limit_s),
        reboot_timeout: secs(config.reboot_timeout_s),
        idle_wakeup: secs(config.idle_wakeup_s),
        scheduler_interval: secs(config.scheduler_interval_s),
        heartbeat_interval: secs(config.heartbeat_interval_s),
        prune_interval: secs(config.prune_interval_s),
        audit_verify_interval: secs(config.audit_verify_interval_s),
        drain: secs(config.drain_s),
        ..EngineConfig::default()
    }
}

/// This worker's identity: the configured id, or `HOSTNAME-PID-RANDOM`.
pub fn identity(config: &WorkerConfig, now: DateTime<Utc>) -> WorkerIdentity {
    let hostname = fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    let id = if config.id.is_empty() {
        let random = ulid::Ulid::generate().to_string();
        format!(
            "{hostname}-{}-{}",
            std::process::id(),
            &random[random.len() - 6..]
        )
    } else {
        config.id.clone()
    };
    WorkerIdentity {
        id,
        hostname,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        started_at: now,
    }
}

fn read(path: &Path) -> Result<String, WorkerError> {
    fs::read_to_string(path).map_err(|e| WorkerError::File {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })
}

/// The agent client: the internal CA as the only root, the manager's client certificate
/// from the CA directory, and its CRL when one was written.
pub fn agent_client(ca_dir: &Path, config: &WorkerConfig) -> Result<AgentClient, WorkerError> {
    let ca = read(&ca_dir.join(CA_CERT_FILE))?;
    let cert = read(&ca_dir.join(MANAGER_CERT_FILE))?;
    let key_path = ca_dir.join(MANAGER_KEY_FILE);
    let key = crate::config::read_secret_file(&key_path).map_err(|e| WorkerError::File {
        path: key_path.clone(),
        detail: e.to_string(),
    })?;
    let crl = match fs::read_to_string(ca_dir.join(CRL_FILE)) {
        Ok(text) => vec![text],
        Err(e) if e.kind() == ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            return Err(WorkerError::File {
                path: ca_dir.join(CRL_FILE),
                detail: e.to_string(),
            });
        }
    };
    let identity = Identity::from_pem(&cert, &key)?;
    let options = ClientOptions {
        call_timeout: secs(config.agent_call_timeout_s)
            .to_std()
            .unwrap_or(std::time::Duration::from_secs(30)),
        connect_timeout: secs(config.agent_connect_timeout_s)
            .to_std()
            .unwrap_or(std::time::Duration::from_secs(5)),
        crls_pem: crl,
        ..ClientOptions::default()
    };
    Ok(AgentClient::new(&ca, &identity, options)?)
}

/// An engine over `store` and `client` with `config`, on the current tokio runtime.
pub fn engine(
    store: Store,
    client: AgentClient,
    clock: Arc<dyn Clock>,
    config: EngineConfig,
    worker: WorkerIdentity,
) -> WorkerEngine {
    Engine::new(client, store, clock, Arc::new(TokioSpawner), config, worker)
}
