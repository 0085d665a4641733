//! The scheduler loop: keeps the due time of every waiting row at its host's next window
//! opening, so the executor claims it when the window opens (SDD §6.3, step 3).

use std::collections::HashMap;
use std::sync::Arc;

use crate::engine::schedule::due_for;
use crate::engine::{EngineAgents, EngineStore, Inner};
use crate::ids::HostId;
use crate::ports::HostTarget;

/// Rows looked at per pass.
const PASS_LIMIT: u32 = 10_000;

impl<A: EngineAgents, S: EngineStore> Inner<A, S> {
    pub(crate) async fn scheduler_loop(self: &Arc<Self>) {
        loop {
            if self.stopping() {
                return;
            }
            match self.schedule_pass().await {
                Ok(changed) if changed > 0 => {
                    tracing::debug!(rows = changed, "due times updated from windows");
                    self.wake.executor.notify_one();
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "scheduling pass failed"),
            }
            let deadline = self.now() + self.config.scheduler_interval;
            if !self.pause(deadline, Some(&self.wake.scheduler)).await {
                return;
            }
        }
    }

    /// One pass: every unleased queued row of a job that waits for windows gets the due time
    /// and waiting reason its host's windows give now. Returns how many rows changed.
    pub(crate) async fn schedule_pass(&self) -> Result<usize, crate::ports::QueueError> {
        let rows = self.store.awaiting_window(PASS_LIMIT).await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let mut ids: Vec<HostId> = rows.iter().map(|r| r.host).collect();
        ids.sort_unstable();
        ids.dedup();
        let hosts: HashMap<HostId, HostTarget> = self
            .store
            .hosts(&ids)
            .await?
            .into_iter()
            .map(|h| (h.host, h))
            .collect();
        let now = self.now();
        let mut changed = 0;
        for row in rows {
            let Some(host) = hosts.get(&row.host) else {
                continue;
            };
            let (due_at, reason) = due_for(&host.windows, now);
            if due_at == row.due_at && reason == row.waiting_reason.as_deref() {
                continue;
            }
            if self
                .store
                .set_due(row.job_host, due_at, reason, now)
                .await?
            {
                changed += 1;
            }
        }
        Ok(changed)
    }
}
