//! Retention: operational data is kept 30 days and the audit log 6 months by default (SDD
//! §5.3), both configurable. The compact history (job outcomes, package changes, CVE first-seen
//! and fixed-at) is kept as long as the audit log, so history reports reach back that far.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::{Store, StoreError, ts, with_db};

/// How long to keep what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// Health and patch snapshots, finished jobs and their host rows, finished discovery runs.
    pub operational: Duration,
    /// Audit rows and the compact history.
    pub audit: Duration,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self {
            operational: Duration::days(30),
            audit: Duration::days(183),
        }
    }
}

/// What a pruning run removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PruneReport {
    /// Health snapshots.
    pub health_snapshots: u64,
    /// Patch snapshots.
    pub patch_snapshots: u64,
    /// Finished jobs (their host rows go with them).
    pub jobs: u64,
    /// Event log entries of those jobs.
    pub job_events: u64,
    /// Finished discovery runs (their results go with them).
    pub discovery_runs: u64,
    /// Compact history rows.
    pub history: u64,
    /// Expired refresh tokens and WebSocket tickets.
    pub credentials: u64,
    /// Audit rows.
    pub audit: u64,
}

impl Store {
    /// Deletes what has outlived `policy` as of `now`. Safe to run at any time and from several
    /// workers: each statement deletes a prefix by age.
    pub async fn prune(
        &self,
        policy: &RetentionPolicy,
        now: DateTime<Utc>,
    ) -> Result<PruneReport, StoreError> {
        let op_cutoff = ts(now - policy.operational);
        let audit_cutoff = ts(now - policy.audit);
        let mut report = PruneReport::default();
        with_db!(self, db => {
            report.health_snapshots = sqlx::query("DELETE FROM host_health_data WHERE collected_at < $1")
                .bind(op_cutoff).execute(db).await?.rows_affected();
            report.patch_snapshots = sqlx::query("DELETE FROM host_patch_data WHERE collected_at < $1")
                .bind(op_cutoff).execute(db).await?.rows_affected()
                + sqlx::query("DELETE FROM host_package_data WHERE collected_at < $1")
                    .bind(op_cutoff).execute(db).await?.rows_affected();
            // Events first: they have no foreign key to cascade from their job.
            report.job_events = sqlx::query(
                "DELETE FROM job_events WHERE job_id IN (SELECT id FROM patch_jobs WHERE finished_at < $1 \
                 AND state IN ('succeeded', 'partially_failed', 'failed', 'cancelled'))",
            )
            .bind(op_cutoff).execute(db).await?.rows_affected();
            report.jobs = sqlx::query(
                "DELETE FROM patch_jobs WHERE finished_at < $1 AND state IN ('succeeded', 'partially_failed', 'failed', 'cancelled')",
            )
            .bind(op_cutoff).execute(db).await?.rows_affected();
            report.discovery_runs = sqlx::query(
                "DELETE FROM discovery_runs WHERE finished_at < $1 AND state IN ('succeeded', 'failed', 'cancelled')",
            )
            .bind(op_cutoff).execute(db).await?.rows_affected();
            let mut history = 0;
            for sql in [
                "DELETE FROM job_history WHERE finished_at < $1",
                "DELETE FROM package_change_history WHERE at < $1",
                "DELETE FROM cve_history WHERE fixed_at < $1",
            ] {
                history += sqlx::query(sql).bind(audit_cutoff).execute(db).await?.rows_affected();
            }
            report.history = history;
            // Spent credentials: refresh tokens past their absolute lifetime, used or stale tickets.
            report.credentials = sqlx::query("DELETE FROM refresh_tokens WHERE expires_at < $1")
                .bind(ts(now)).execute(db).await?.rows_affected()
                + sqlx::query("DELETE FROM ws_tickets WHERE expires_at < $1")
                    .bind(ts(now)).execute(db).await?.rows_affected();
        });
        report.audit = self.prune_audit(audit_cutoff, now).await?;
        Ok(report)
    }
}
