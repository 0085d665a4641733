//! What the worker's pollers and executor read and write about hosts: claiming hosts whose
//! poll is due (so several workers never poll one host twice), recording health with the
//! host's status and backoff, and the hosts' addresses and windows for dispatch.
//!
//! A host's `next_health_poll_at` / `next_patch_poll_at` is when its next poll is due (empty:
//! at once, as for a newly registered host). Claiming moves it forward by a hold time, so a
//! host being polled is not claimed again; recording the poll sets the real next time.

use chrono::{DateTime, Duration, Utc};
use lpm_core::agent::{InstalledPackage, PatchReport, SystemInfo};
use lpm_core::ids::{HostId, JobId};
use lpm_core::ports::{FleetStore, HealthRecord, HostTarget, PollKind, QueueError};

use crate::fleet::join_ids;
use crate::{Db, Store, StoreError, ts, with_db, with_tx};

/// A package snapshot identical to the last one is still written when the last is this old,
/// so retention never leaves a host without one.
const PACKAGE_SNAPSHOT_REFRESH: Duration = Duration::hours(24);

#[derive(Debug, sqlx::FromRow)]
struct TargetRow {
    id: i64,
    fqdn: Option<String>,
    ip: Option<String>,
    port: i64,
    status: String,
    consecutive_failures: i64,
    last_boot_at: Option<DateTime<Utc>>,
}

const TARGET_COLUMNS: &str = "id, fqdn, ip, port, status, consecutive_failures, last_boot_at";

impl TargetRow {
    fn into_target(self) -> Result<HostTarget, StoreError> {
        Ok(HostTarget {
            host: HostId::new(self.id)?,
            address: crate::fleet::host_address(
                self.id,
                self.fqdn.as_deref(),
                self.ip.as_deref(),
                self.port,
            )?,
            status: self.status.parse()?,
            consecutive_failures: u32::try_from(self.consecutive_failures).unwrap_or(u32::MAX),
            last_boot: self.last_boot_at,
            windows: Vec::new(),
        })
    }
}

fn column(kind: PollKind) -> &'static str {
    match kind {
        PollKind::Health => "next_health_poll_at",
        PollKind::Patches => "next_patch_poll_at",
    }
}

impl Store {
    /// Takes up to `limit` hosts whose `kind` poll is due at `now` (never polled first), and
    /// holds them until `now + hold`. On PostgreSQL concurrent workers skip each other's rows.
    pub async fn claim_polls(
        &self,
        kind: PollKind,
        now: DateTime<Utc>,
        hold: Duration,
        limit: u32,
    ) -> Result<Vec<HostTarget>, StoreError> {
        let col = column(kind);
        let due = format!(
            "SELECT id FROM hosts WHERE {col} IS NULL OR {col} <= $1 ORDER BY {col} NULLS FIRST, id LIMIT $3"
        );
        let sql = match self.db {
            Db::Postgres(_) => format!(
                "UPDATE hosts AS h SET {col} = $2 FROM ({due} FOR UPDATE SKIP LOCKED) AS d WHERE h.id = d.id \
                 RETURNING h.id, h.fqdn, h.ip, h.port, h.status, h.consecutive_failures, h.last_boot_at"
            ),
            Db::Sqlite(_) => format!(
                "UPDATE hosts SET {col} = $2 WHERE id IN ({due}) RETURNING {TARGET_COLUMNS}"
            ),
        };
        let rows: Vec<TargetRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(ts(now))
                .bind(ts(now + hold))
                .bind(i64::from(limit))
                .fetch_all(db)
                .await?
        });
        rows.into_iter().map(TargetRow::into_target).collect()
    }

    /// When the next `kind` poll of any host is due (a host never polled is due at once).
    pub async fn next_poll_at(&self, kind: PollKind) -> Result<Option<DateTime<Utc>>, StoreError> {
        let col = column(kind);
        let sql =
            format!("SELECT COUNT(CASE WHEN {col} IS NULL THEN 1 END), MIN({col}) FROM hosts");
        let (never, next): (i64, Option<DateTime<Utc>>) = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_one(db).await?
        });
        Ok(if never > 0 {
            Some(DateTime::<Utc>::MIN_UTC)
        } else {
            next
        })
    }

    /// Makes both polls of a host due at `now` (a refresh was requested).
    pub async fn poll_soon(&self, host: HostId, now: DateTime<Utc>) -> Result<(), StoreError> {
        with_db!(self, db => {
            sqlx::query("UPDATE hosts SET next_health_poll_at = $2, next_patch_poll_at = $2 WHERE id = $1")
                .bind(host.get())
                .bind(ts(now))
                .execute(db)
                .await?;
        });
        Ok(())
    }

    /// Sets when a host's next `kind` poll is due.
    pub async fn schedule_poll(
        &self,
        host: HostId,
        kind: PollKind,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let sql = format!("UPDATE hosts SET {} = $2 WHERE id = $1", column(kind));
        with_db!(self, db => {
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(host.get()).bind(ts(at)).execute(db).await?;
        });
        Ok(())
    }

    /// Records a health poll: a snapshot in `host_health_data`, and on the host its status,
    /// the reason, the failure count, when it was last reached and its next poll.
    pub async fn record_health(&self, record: &HealthRecord) -> Result<(), StoreError> {
        let at = ts(record.at);
        let reached = record.health.is_some();
        let ok = record.health.as_ref().is_some_and(|h| h.ok);
        let details = match &record.health {
            Some(h) => serde_json::json!({
                "version": h.version,
                "uptime_s": h.uptime_s,
                "checks": h.checks.iter().cloned().collect::<std::collections::BTreeMap<String, String>>(),
            }),
            None => serde_json::json!({}),
        };
        let mut tx = self.begin().await?;
        with_tx!(tx, t => {
            let n = sqlx::query(
                "UPDATE hosts SET status = $2, status_reason = $3, consecutive_failures = $4, next_health_poll_at = $5, \
                 last_health_at = CASE WHEN $6 THEN $7 ELSE last_health_at END, \
                 last_seen_at = CASE WHEN $6 THEN $7 ELSE last_seen_at END WHERE id = $1",
            )
            .bind(record.host.get())
            .bind(record.status.as_str())
            .bind(&record.reason)
            .bind(i64::from(record.consecutive_failures))
            .bind(ts(record.next_poll_at))
            .bind(reached)
            .bind(at)
            .execute(&mut **t)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound { what: "host" });
            }
            sqlx::query("INSERT INTO host_health_data (host_id, collected_at, ok, error, details) VALUES ($1, $2, $3, $4, $5)")
                .bind(record.host.get())
                .bind(at)
                .bind(ok)
                .bind(if ok { None } else { record.reason.as_deref() })
                .bind(details.to_string())
                .execute(&mut **t)
                .await?;
        });
        tx.commit().await
    }

    /// Stores an installed-packages snapshot when the list changed since the last one, or the
    /// last one is a day old. Returns whether it wrote one.
    pub async fn record_packages_if_changed(
        &self,
        host: HostId,
        packages: &[InstalledPackage],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let json = serde_json::to_string(packages).map_err(StoreError::corrupt)?;
        let last: Option<(DateTime<Utc>, String)> = with_db!(self, db => {
            sqlx::query_as(
                "SELECT collected_at, packages FROM host_package_data WHERE host_id = $1 \
                 ORDER BY collected_at DESC, id DESC LIMIT 1",
            )
            .bind(host.get())
            .fetch_optional(db)
            .await?
        });
        if let Some((at, previous)) = last
            && previous == json
            && now - at < PACKAGE_SNAPSHOT_REFRESH
        {
            return Ok(false);
        }
        self.record_package_snapshot(host, packages, now).await?;
        Ok(true)
    }

    /// The hosts with their addresses, status and windows, for the executor and scheduler
    /// (which run as the system); hosts that no longer exist are left out.
    pub async fn dispatch_targets(&self, hosts: &[HostId]) -> Result<Vec<HostTarget>, StoreError> {
        if hosts.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {TARGET_COLUMNS} FROM hosts WHERE id IN ({}) ORDER BY id",
            join_ids(hosts.iter().map(|h| h.get()))
        );
        let rows: Vec<TargetRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(db).await?
        });
        let mut windows = self.windows_of_hosts(hosts).await?;
        rows.into_iter()
            .map(|row| {
                let mut target = row.into_target()?;
                target.windows = windows
                    .remove(&target.host)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|w| w.window)
                    .collect();
                Ok(target)
            })
            .collect()
    }

    /// The agent's job id of `job` on `host`, if the row reached the agent.
    pub async fn agent_job_of(
        &self,
        job: JobId,
        host: HostId,
    ) -> Result<Option<String>, StoreError> {
        let id: Option<Option<String>> = with_db!(self, db => {
            sqlx::query_scalar("SELECT agent_job_id FROM patch_job_hosts WHERE job_id = $1 AND host_id = $2")
                .bind(job.get())
                .bind(host.get())
                .fetch_optional(db)
                .await?
        });
        Ok(id.flatten())
    }
}

impl FleetStore for Store {
    async fn claim_polls(
        &self,
        kind: PollKind,
        now: DateTime<Utc>,
        hold: Duration,
        limit: u32,
    ) -> Result<Vec<HostTarget>, QueueError> {
        Ok(Store::claim_polls(self, kind, now, hold, limit).await?)
    }

    async fn next_poll_at(&self, kind: PollKind) -> Result<Option<DateTime<Utc>>, QueueError> {
        Ok(Store::next_poll_at(self, kind).await?)
    }

    async fn poll_soon(&self, host: HostId, now: DateTime<Utc>) -> Result<(), QueueError> {
        Ok(Store::poll_soon(self, host, now).await?)
    }

    async fn schedule_poll(
        &self,
        host: HostId,
        kind: PollKind,
        at: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        Ok(Store::schedule_poll(self, host, kind, at).await?)
    }

    async fn record_health(&self, record: &HealthRecord) -> Result<(), QueueError> {
        Ok(Store::record_health(self, record).await?)
    }

    async fn record_system_info(
        &self,
        host: HostId,
        info: &SystemInfo,
        now: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        Ok(Store::record_system_info(self, host, info, now).await?)
    }

    async fn record_patches(
        &self,
        host: HostId,
        report: &PatchReport,
        now: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        Ok(self.record_patch_snapshot(host, report, now).await?)
    }

    async fn record_packages(
        &self,
        host: HostId,
        packages: &[InstalledPackage],
        now: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        self.record_packages_if_changed(host, packages, now).await?;
        Ok(())
    }

    async fn hosts(&self, hosts: &[HostId]) -> Result<Vec<HostTarget>, QueueError> {
        Ok(self.dispatch_targets(hosts).await?)
    }

    async fn agent_job_of(&self, job: JobId, host: HostId) -> Result<Option<String>, QueueError> {
        Ok(Store::agent_job_of(self, job, host).await?)
    }
}
