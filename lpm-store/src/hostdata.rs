//! What the pollers learn about hosts: system facts on the host row, health, patch and
//! package snapshots, and the CVE first-seen / fixed-at history behind time-to-patch.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use lpm_core::agent::{InstalledPackage, PatchReport, Severity, SystemInfo};
use lpm_core::ids::HostId;
use lpm_core::model::Host;
use lpm_core::rbac::Scope;
use serde::Serialize;

use crate::{Store, StoreError, ts, with_db, with_tx};

/// A host with what the last polls found, for the host detail page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HostDetail {
    /// The host.
    pub host: Host,
    /// Short host name reported by the agent.
    pub hostname: Option<String>,
    /// os-release `ID`.
    pub os_id: Option<String>,
    /// os-release `VERSION_ID`.
    pub os_version: Option<String>,
    /// Running kernel.
    pub kernel: Option<String>,
    /// CPU architecture.
    pub arch: Option<String>,
    /// Agent version.
    pub agent_version: Option<String>,
    /// A reboot is pending.
    pub reboot_required: bool,
    /// Last boot.
    pub last_boot_at: Option<DateTime<Utc>>,
    /// Last successful health poll.
    pub last_health_at: Option<DateTime<Utc>>,
    /// Last successful patch poll.
    pub last_patch_poll_at: Option<DateTime<Utc>>,
    /// Available updates at the last patch poll.
    pub pending_patches: i64,
    /// Of which security updates.
    pub pending_security: i64,
    /// Of which critical.
    pub pending_critical: i64,
}

/// A host's health as one poll found it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HealthSnapshot {
    /// When the poll ran.
    pub collected_at: DateTime<Utc>,
    /// The agent answered and said ok.
    pub ok: bool,
    /// Why not, when not.
    pub error: Option<String>,
    /// What the agent reported (version, uptime, checks), as the poller stored it.
    pub details: serde_json::Value,
}

#[derive(Debug, sqlx::FromRow)]
struct DetailRow {
    hostname: Option<String>,
    os_id: Option<String>,
    os_version: Option<String>,
    kernel: Option<String>,
    arch: Option<String>,
    agent_version: Option<String>,
    reboot_required: bool,
    last_boot_at: Option<DateTime<Utc>>,
    last_health_at: Option<DateTime<Utc>>,
    last_patch_poll_at: Option<DateTime<Utc>>,
    pending_patches: i64,
    pending_security: i64,
    pending_critical: i64,
}

impl Store {
    /// A host in scope with its latest facts.
    pub async fn get_host_detail(
        &self,
        scope: &Scope,
        id: HostId,
    ) -> Result<HostDetail, StoreError> {
        let host = self.get_host(scope, id).await?;
        let row: DetailRow = with_db!(self, db => {
            sqlx::query_as(
                "SELECT hostname, os_id, os_version, kernel, arch, agent_version, reboot_required, last_boot_at, \
                 last_health_at, last_patch_poll_at, pending_patches, pending_security, pending_critical \
                 FROM hosts WHERE id = $1",
            )
            .bind(id.get())
            .fetch_optional(db)
            .await?
            .ok_or(StoreError::NotFound { what: "host" })?
        });
        Ok(HostDetail {
            host,
            hostname: row.hostname,
            os_id: row.os_id,
            os_version: row.os_version,
            kernel: row.kernel,
            arch: row.arch,
            agent_version: row.agent_version,
            reboot_required: row.reboot_required,
            last_boot_at: row.last_boot_at,
            last_health_at: row.last_health_at,
            last_patch_poll_at: row.last_patch_poll_at,
            pending_patches: row.pending_patches,
            pending_security: row.pending_security,
            pending_critical: row.pending_critical,
        })
    }

    /// Records what `GET /api/v1/system/info` said on the host row.
    pub async fn record_system_info(
        &self,
        host: HostId,
        info: &SystemInfo,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let n = with_db!(self, db => {
            sqlx::query(
                "UPDATE hosts SET hostname = $2, os_id = $3, os_version = $4, os_name = $5, kernel = $6, arch = $7, \
                 package_manager = $8, agent_version = $9, reboot_required = $10, last_boot_at = $11, last_seen_at = $12 \
                 WHERE id = $1",
            )
            .bind(host.get())
            .bind(&info.hostname)
            .bind(&info.os_id)
            .bind(&info.os_version)
            .bind(&info.os_pretty_name)
            .bind(&info.kernel)
            .bind(&info.arch)
            .bind(info.package_manager.as_str())
            .bind(&info.agent_version)
            .bind(info.reboot_required)
            .bind(ts(info.last_boot))
            .bind(ts(now))
            .execute(db)
            .await?
            .rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound { what: "host" });
        }
        Ok(())
    }

    /// Stores a health snapshot for a host.
    pub async fn record_health_snapshot(
        &self,
        host: HostId,
        ok: bool,
        error: Option<&str>,
        details: &serde_json::Value,
        collected_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_db!(self, db => {
            sqlx::query("INSERT INTO host_health_data (host_id, collected_at, ok, error, details) VALUES ($1, $2, $3, $4, $5)")
                .bind(host.get())
                .bind(ts(collected_at))
                .bind(ok)
                .bind(error)
                .bind(details.to_string())
                .execute(db)
                .await?;
        });
        Ok(())
    }

    /// Stores a patch-availability snapshot, updates the host's pending counts, and keeps the
    /// CVE history: a CVE seen for the first time on the host gets its first-seen time; an
    /// open CVE no longer reported is marked fixed now (the raw material of time-to-patch).
    pub async fn record_patch_snapshot(
        &self,
        host: HostId,
        report: &PatchReport,
        collected_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = ts(collected_at);
        let patches = serde_json::to_string(&report.patches).map_err(StoreError::corrupt)?;
        let count = report.patches.len() as i64;
        let security = report.patches.iter().filter(|p| p.security).count() as i64;
        let of_severity = |severity: Severity| {
            report
                .patches
                .iter()
                .filter(|p| p.severity == severity)
                .count() as i64
        };
        let critical = of_severity(Severity::Critical);
        // The worst severity among the patches that fix each CVE.
        let mut cves: Vec<(String, Severity)> = Vec::new();
        for patch in &report.patches {
            for cve in &patch.cves {
                match cves.iter_mut().find(|(c, _)| c == cve) {
                    Some((_, sev)) => *sev = (*sev).min(patch.severity),
                    None => cves.push((cve.clone(), patch.severity)),
                }
            }
        }
        let open: BTreeSet<&str> = cves.iter().map(|(c, _)| c.as_str()).collect();
        let mut tx = self.begin().await?;
        with_tx!(tx, t => {
            let n = sqlx::query(
                "UPDATE hosts SET pending_patches = $2, pending_security = $3, pending_critical = $4, \
                 last_patch_poll_at = $5, last_seen_at = $5, pending_important = $6, pending_moderate = $7, \
                 pending_low = $8, pending_unknown = $9 WHERE id = $1",
            )
            .bind(host.get()).bind(count).bind(security).bind(critical).bind(now)
            .bind(of_severity(Severity::Important)).bind(of_severity(Severity::Moderate))
            .bind(of_severity(Severity::Low)).bind(of_severity(Severity::Unknown))
            .execute(&mut **t).await?.rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound { what: "host" });
            }
            sqlx::query(
                "INSERT INTO host_patch_data (host_id, collected_at, checked_at, patch_count, security_count, patches) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(host.get()).bind(now).bind(ts(report.checked_at)).bind(count).bind(security).bind(&patches)
            .execute(&mut **t).await?;
            for (cve, severity) in &cves {
                // Re-opened after a fix (a downgrade, a rollback): it counts from now again.
                sqlx::query(
                    "INSERT INTO cve_history (host_id, cve, severity, first_seen) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (host_id, cve) DO UPDATE SET severity = excluded.severity, \
                     first_seen = CASE WHEN cve_history.fixed_at IS NULL THEN cve_history.first_seen ELSE excluded.first_seen END, \
                     fixed_at = NULL",
                )
                .bind(host.get()).bind(cve).bind(severity.as_str()).bind(now)
                .execute(&mut **t).await?;
            }
            let still_open: Vec<String> = sqlx::query_scalar("SELECT cve FROM cve_history WHERE host_id = $1 AND fixed_at IS NULL")
                .bind(host.get()).fetch_all(&mut **t).await?;
            for cve in still_open.iter().filter(|c| !open.contains(c.as_str())) {
                sqlx::query("UPDATE cve_history SET fixed_at = $3 WHERE host_id = $1 AND cve = $2")
                    .bind(host.get()).bind(cve).bind(now)
                    .execute(&mut **t).await?;
            }
        });
        tx.commit().await
    }

    /// Stores an installed-packages snapshot.
    pub async fn record_package_snapshot(
        &self,
        host: HostId,
        packages: &[InstalledPackage],
        collected_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(packages).map_err(StoreError::corrupt)?;
        with_db!(self, db => {
            sqlx::query("INSERT INTO host_package_data (host_id, collected_at, package_count, packages) VALUES ($1, $2, $3, $4)")
                .bind(host.get()).bind(ts(collected_at)).bind(packages.len() as i64).bind(&json)
                .execute(db).await?;
        });
        Ok(())
    }

    /// The last patch report of a host in scope, with when it was collected.
    pub async fn latest_patches(
        &self,
        scope: &Scope,
        host: HostId,
    ) -> Result<Option<(DateTime<Utc>, PatchReport)>, StoreError> {
        self.get_host(scope, host).await?;
        let row: Option<(DateTime<Utc>, Option<DateTime<Utc>>, String)> = with_db!(self, db => {
            sqlx::query_as(
                "SELECT collected_at, checked_at, patches FROM host_patch_data WHERE host_id = $1 ORDER BY collected_at DESC, id DESC LIMIT 1",
            )
            .bind(host.get()).fetch_optional(db).await?
        });
        row.map(|(at, checked, patches)| {
            let patches = serde_json::from_str(&patches).map_err(StoreError::corrupt)?;
            Ok((
                at,
                PatchReport {
                    patches,
                    checked_at: checked.unwrap_or(at),
                },
            ))
        })
        .transpose()
    }

    /// The last health snapshot of a host in scope.
    pub async fn latest_health(
        &self,
        scope: &Scope,
        host: HostId,
    ) -> Result<Option<HealthSnapshot>, StoreError> {
        self.get_host(scope, host).await?;
        let row: Option<(DateTime<Utc>, bool, Option<String>, String)> = with_db!(self, db => {
            sqlx::query_as(
                "SELECT collected_at, ok, error, details FROM host_health_data WHERE host_id = $1 \
                 ORDER BY collected_at DESC, id DESC LIMIT 1",
            )
            .bind(host.get()).fetch_optional(db).await?
        });
        row.map(|(collected_at, ok, error, details)| {
            Ok(HealthSnapshot {
                collected_at,
                ok,
                error,
                details: serde_json::from_str(&details).map_err(StoreError::corrupt)?,
            })
        })
        .transpose()
    }

    /// The last installed-packages snapshot of a host in scope.
    pub async fn latest_packages(
        &self,
        scope: &Scope,
        host: HostId,
    ) -> Result<Option<(DateTime<Utc>, Vec<InstalledPackage>)>, StoreError> {
        self.get_host(scope, host).await?;
        let row: Option<(DateTime<Utc>, String)> = with_db!(self, db => {
            sqlx::query_as(
                "SELECT collected_at, packages FROM host_package_data WHERE host_id = $1 ORDER BY collected_at DESC, id DESC LIMIT 1",
            )
            .bind(host.get()).fetch_optional(db).await?
        });
        row.map(|(at, packages)| {
            Ok((
                at,
                serde_json::from_str(&packages).map_err(StoreError::corrupt)?,
            ))
        })
        .transpose()
    }
}

/// Fleet aggregates for the dashboard (`GET /api/v1/status/fleet`), over the caller's scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FleetStatus {
    /// Hosts in scope.
    pub hosts: i64,
    /// Hosts by status word (`pending`, `healthy`, `degraded`, `unhealthy`, `unreachable`).
    pub by_status: std::collections::BTreeMap<String, i64>,
    /// Polled hosts with no pending update.
    pub fully_patched: i64,
    /// Hosts with pending security updates.
    pub with_security_updates: i64,
    /// Hosts with pending critical updates.
    pub with_critical_updates: i64,
    /// Hosts that need a reboot.
    pub reboot_required: i64,
    /// Hosts whose patches were polled at least once (the compliance denominator).
    pub polled: i64,
    /// `fully_patched / polled` as a percentage; `None` before any poll.
    pub compliance_pct: Option<f64>,
    /// Hosts that answer (`healthy` or `degraded`) and whose patches were polled: the
    /// denominator of security compliance.
    pub reachable_polled: i64,
    /// Of those, hosts with no pending security update.
    pub security_compliant: i64,
    /// Pending updates summed over the hosts, per severity.
    pub pending: PendingBySeverity,
}

/// Pending updates per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PendingBySeverity {
    /// Critical.
    pub critical: i64,
    /// Important.
    pub important: i64,
    /// Moderate.
    pub moderate: i64,
    /// Low.
    pub low: i64,
    /// Not rated.
    pub unknown: i64,
}

/// hosts, fully patched, with security updates, with critical updates, reboot required, polled.
type FleetTotals = (i64, i64, i64, i64, i64, i64);

/// Reachable and polled, security compliant, then pending critical, important, moderate, low,
/// unknown.
type SeverityTotals = (i64, i64, i64, i64, i64, i64, i64);

impl Store {
    /// Aggregates over the hosts in scope.
    pub async fn fleet_status(&self, scope: &Scope) -> Result<FleetStatus, StoreError> {
        let filter = crate::fleet::scope_sql(scope, "h.id");
        let by_status_sql =
            format!("SELECT h.status, COUNT(*) FROM hosts h WHERE {filter} GROUP BY h.status");
        let totals_sql = format!(
            "SELECT COUNT(*), \
             COALESCE(SUM(CASE WHEN h.last_patch_poll_at IS NOT NULL AND h.pending_patches = 0 THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN h.pending_security > 0 THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN h.pending_critical > 0 THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN h.reboot_required THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN h.last_patch_poll_at IS NOT NULL THEN 1 ELSE 0 END), 0) \
             FROM hosts h WHERE {filter}"
        );
        // SUM over BIGINT is NUMERIC on PostgreSQL: cast back.
        let severity_sql = format!(
            "SELECT \
             COALESCE(SUM(CASE WHEN h.status IN ('healthy', 'degraded') AND h.last_patch_poll_at IS NOT NULL THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN h.status IN ('healthy', 'degraded') AND h.last_patch_poll_at IS NOT NULL \
                          AND h.pending_security = 0 THEN 1 ELSE 0 END), 0), \
             CAST(COALESCE(SUM(h.pending_critical), 0) AS BIGINT), CAST(COALESCE(SUM(h.pending_important), 0) AS BIGINT), \
             CAST(COALESCE(SUM(h.pending_moderate), 0) AS BIGINT), CAST(COALESCE(SUM(h.pending_low), 0) AS BIGINT), \
             CAST(COALESCE(SUM(h.pending_unknown), 0) AS BIGINT) \
             FROM hosts h WHERE {filter}"
        );
        let (statuses, totals, severity): (Vec<(String, i64)>, FleetTotals, SeverityTotals) = with_db!(self, db => {
            let statuses = sqlx::query_as(sqlx::AssertSqlSafe(by_status_sql)).fetch_all(db).await?;
            let totals = sqlx::query_as(sqlx::AssertSqlSafe(totals_sql)).fetch_one(db).await?;
            let severity = sqlx::query_as(sqlx::AssertSqlSafe(severity_sql)).fetch_one(db).await?;
            (statuses, totals, severity)
        });
        let (reachable_polled, security_compliant, critical, important, moderate, low, unknown) =
            severity;
        let (
            hosts,
            fully_patched,
            with_security_updates,
            with_critical_updates,
            reboot_required,
            polled,
        ) = totals;
        Ok(FleetStatus {
            hosts,
            by_status: statuses.into_iter().collect(),
            fully_patched,
            with_security_updates,
            with_critical_updates,
            reboot_required,
            polled,
            compliance_pct: (polled > 0).then(|| 100.0 * fully_patched as f64 / polled as f64),
            reachable_polled,
            security_compliant,
            pending: PendingBySeverity {
                critical,
                important,
                moderate,
                low,
                unknown,
            },
        })
    }
}
