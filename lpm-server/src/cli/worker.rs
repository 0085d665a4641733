//! `lpm-server worker` (the background worker on PostgreSQL; several may run side by side)
//! and `lpm-server all-in-one` (the web part and the worker in one process on one store: the
//! mode for SQLite). Both stop on SIGINT or SIGTERM: no new work is claimed, rows in flight
//! get `worker.drain_s` to finish, and the leases of those still running are relinquished so
//! another worker resumes them by their idempotency keys.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use lpm_store::{BackendKind, Store, StoreOptions};
use tokio::sync::watch;

use crate::cli::serve::{load, serve_web};
use crate::cli::{CliError, ServeArgs, wait_for_stop};
use crate::clock::SystemClock;
use crate::config::Config;
use crate::worker::{self, WorkerEngine};

/// How long a worker waits for the web process to bring the schema up to date.
const SCHEMA_WAIT: StdDuration = StdDuration::from_secs(120);

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Invalid(format!("cannot start the async runtime: {e}")))
}

fn build_engine(config: &Config, store: Store) -> Result<WorkerEngine, CliError> {
    // Thousands of agents need thousands of sockets; failing to raise the limit is not fatal.
    let fd_limit = lpm_agent_client::raise_fd_limit().ok();
    let ca_dir = config
        .worker
        .ca_dir
        .clone()
        .unwrap_or_else(|| config.data_dir.join("ca"));
    let client = worker::agent_client(&ca_dir, &config.worker)
        .map_err(|e| CliError::Invalid(format!("worker: {e}")))?;
    let identity = worker::identity(&config.worker, chrono::Utc::now());
    tracing::info!(worker = %identity.id, ca_dir = %ca_dir.display(), open_files = ?fd_limit, "worker ready");
    Ok(worker::engine(
        store,
        client,
        Arc::new(SystemClock),
        worker::engine_config(&config.worker),
        identity,
    ))
}

async fn open(config: &Config, migrate: bool) -> Result<Store, CliError> {
    let url = config
        .database_url()
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    let options = StoreOptions {
        max_connections: config.database.max_connections,
        ..StoreOptions::default()
    };
    let db = |e: lpm_store::StoreError| CliError::Invalid(format!("database: {e}"));
    let store = if migrate {
        Store::open(&url, &options).await.map_err(db)?
    } else {
        Store::connect(&url, &options).await.map_err(db)?
    };
    Ok(store)
}

/// `lpm-server worker`.
pub(crate) fn run_worker(args: ServeArgs) -> Result<(), CliError> {
    let loaded = load(&args, "worker")?;
    let config = loaded.config;
    if !(config.database.url.starts_with("postgres:")
        || config.database.url.starts_with("postgresql:"))
    {
        return Err(CliError::Invalid(
            "database.url: the worker process needs PostgreSQL (on SQLite run `lpm-server all-in-one`)".into(),
        ));
    }
    runtime()?.block_on(async {
        let store = open(&config, false).await?;
        if store.backend() != BackendKind::Postgres {
            return Err(CliError::Invalid(
                "database.url: the worker process needs PostgreSQL".into(),
            ));
        }
        store
            .wait_for_schema(SCHEMA_WAIT, StdDuration::from_millis(500))
            .await
            .map_err(|e| CliError::Invalid(format!("database: {e}")))?;
        let engine = build_engine(&config, store.clone())?;
        engine.run(wait_for_stop()).await;
        store.close().await;
        tracing::info!("stopped");
        Ok(())
    })
}

/// `lpm-server all-in-one`.
pub(crate) fn run_all_in_one(args: ServeArgs) -> Result<(), CliError> {
    let loaded = load(&args, "all-in-one")?;
    let config = loaded.config;
    runtime()?.block_on(async {
        std::fs::create_dir_all(&config.data_dir).map_err(|source| CliError::Io {
            path: config.data_dir.clone(),
            source,
        })?;
        let store = open(&config, true).await?;
        tracing::info!(backend = ?store.backend(), "store ready");
        all_in_one(&config, &store).await?;
        store.close().await;
        tracing::info!("stopped");
        Ok(())
    })
}

/// The web part and the worker on one open store until SIGINT or SIGTERM: what `all-in-one`
/// and `demo` run.
pub(crate) async fn all_in_one(config: &Config, store: &Store) -> Result<(), CliError> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let stopped = |mut rx: watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|s| *s).await;
    };
    let signal = tokio::spawn(async move {
        wait_for_stop().await;
        let _ = stop_tx.send(true);
    });
    // The worker needs the internal CA the web part would create on a first start: create it
    // before either starts.
    if matches!(config.web_tls, crate::config::WebTls::InternalCa) {
        crate::cli::serve::ensure_internal_ca(config)?;
    }
    let web_config = config.clone();
    let web_store = store.clone();
    let web_stop = stopped(stop_rx.clone());
    let web = tokio::spawn(async move { serve_web(&web_config, &web_store, web_stop).await });
    let engine = match build_engine(config, store.clone()) {
        Ok(engine) => engine,
        Err(e) => {
            signal.abort();
            web.abort();
            return Err(e);
        }
    };
    let worker = engine.run(stopped(stop_rx.clone()));
    let (web_result, ()) = tokio::join!(web, worker);
    signal.abort();
    match web_result {
        Ok(result) => result,
        Err(e) => Err(CliError::Invalid(format!("web part ended: {e}"))),
    }
}
