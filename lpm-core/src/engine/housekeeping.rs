//! The worker's chores: its heartbeat (SDD §13, every 30 s), settling jobs a dead worker
//! left open, retention pruning (daily) and audit-chain verification, logged loudly when the
//! chain is broken (SDD §7.4).

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::engine::{EngineAgents, EngineStore, Inner};

impl<A: EngineAgents, S: EngineStore> Inner<A, S> {
    pub(crate) async fn housekeeping_loop(self: &Arc<Self>) {
        let start = self.now();
        let mut next_beat = start;
        let mut next_settle = start;
        let mut next_prune = start;
        let mut next_verify = start;
        loop {
            let now = self.now();
            if now >= next_beat {
                match self.store.heartbeat(&self.worker, now).await {
                    Ok(()) => next_beat = now + self.config.heartbeat_interval,
                    Err(e) => {
                        tracing::warn!(error = %e, "heartbeat not recorded");
                        next_beat = now + self.config.error_pause;
                    }
                }
            }
            if now >= next_settle {
                match self.store.settle_finished_jobs(now).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(jobs = n, "settled jobs a stopped worker left open"),
                    Err(e) => tracing::warn!(error = %e, "cannot settle finished jobs"),
                }
                next_settle = now + self.config.settle_interval;
            }
            if now >= next_prune {
                match self.store.prune(now).await {
                    Ok(summary) => tracing::info!(removed = %summary, "retention pruning done"),
                    Err(e) => tracing::warn!(error = %e, "retention pruning failed"),
                }
                next_prune = now + self.config.prune_interval;
            }
            if now >= next_verify {
                self.verify_audit().await;
                next_verify = now + self.config.audit_verify_interval;
            }
            let deadline: DateTime<Utc> = [next_beat, next_settle, next_prune, next_verify]
                .into_iter()
                .min()
                .unwrap_or(now + self.config.heartbeat_interval);
            if !self.pause(deadline, None).await {
                return;
            }
        }
    }

    async fn verify_audit(&self) {
        match self.store.verify_audit().await {
            Ok(check) if check.intact => {
                tracing::info!(rows = check.rows_checked, "audit chain verified: intact");
            }
            Ok(check) => tracing::error!(
                rows = check.rows_checked,
                detail = check.detail.as_deref().unwrap_or("unknown"),
                "AUDIT CHAIN BROKEN: the audit log was altered; investigate before trusting it"
            ),
            Err(e) => tracing::warn!(error = %e, "audit chain could not be verified"),
        }
    }
}
