//! CIDR discovery runs (SDD §6.2): a person requests a scan, a worker runs it with progress
//! written as it goes, and stops promptly when the run is cancelled.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::Notify;

use crate::engine::{EngineAgents, EngineStore, Inner};
use crate::ports::{DiscoveryRequest, ScanCount};

impl<A: EngineAgents, S: EngineStore> Inner<A, S> {
    pub(crate) async fn discovery_loop(self: &Arc<Self>) {
        loop {
            if self.stopping() {
                return;
            }
            match self.store.claim_discovery(self.now()).await {
                Ok(Some(run)) => {
                    self.run_discovery(run).await;
                    continue;
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "cannot claim a discovery run");
                    if !self.error_pause().await {
                        return;
                    }
                    continue;
                }
            }
            let deadline = self.idle_deadline(None);
            if !self.pause(deadline, Some(&self.wake.discovery)).await {
                return;
            }
        }
    }

    async fn run_discovery(&self, run: DiscoveryRequest) {
        tracing::info!(discovery = %run.id, cidr = %run.cidr, port = %run.port, "discovery started");
        let count = Mutex::new(ScanCount::default());
        let progress = |c: ScanCount| *count.lock().unwrap_or_else(PoisonError::into_inner) = c;
        let cancel = Notify::new();
        let done = AtomicBool::new(false);
        let finished = Notify::new();
        let mut cancelled = false;
        let mut stopped = false;
        let scan = async {
            let found = self
                .agents
                .scan(&run.cidr, run.port, &progress, Box::pin(cancel.notified()))
                .await;
            done.store(true, Ordering::SeqCst);
            finished.notify_one();
            found
        };
        let monitor = async {
            loop {
                let deadline = self.now() + self.config.discovery_progress_interval;
                let go_on = tokio::select! {
                    () = finished.notified() => true,
                    go_on = self.pause(deadline, None) => go_on,
                };
                if done.load(Ordering::SeqCst) {
                    return;
                }
                if !go_on && !stopped {
                    stopped = true;
                    cancel.notify_one();
                    continue;
                }
                let now_count = *count.lock().unwrap_or_else(PoisonError::into_inner);
                match self
                    .store
                    .discovery_progress(&run, now_count, self.now())
                    .await
                {
                    Ok(true) => {}
                    Ok(false) if !cancelled => {
                        cancelled = true;
                        tracing::info!(discovery = %run.id, "discovery cancelled or taken over; stopping the scan");
                        cancel.notify_one();
                    }
                    Ok(false) => {}
                    Err(e) => {
                        tracing::warn!(discovery = %run.id, error = %e, "progress not recorded")
                    }
                }
            }
        };
        let (found, ()) = tokio::join!(scan, monitor);
        let now = self.now();
        for agent in &found {
            if let Err(e) = self.store.add_discovery_result(run.id, agent, now).await {
                tracing::warn!(discovery = %run.id, error = %e, "discovery result not recorded");
            }
        }
        let final_count = *count.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = self
            .store
            .discovery_progress(&run, final_count, self.now())
            .await;
        let error = stopped.then_some("the worker stopped during the scan");
        if let Err(e) = self.store.finish_discovery(&run, error, now).await {
            tracing::warn!(discovery = %run.id, error = %e, "discovery end not recorded");
        }
        tracing::info!(
            discovery = %run.id,
            found = found.len(),
            probed = final_count.done,
            cancelled,
            "discovery finished"
        );
    }
}
