//! What the reports are made of, gathered in the caller's scope: each host's patch state (for
//! compliance), CVE findings (vulnerability), finished jobs with their per-host outcomes and
//! package changes (patch history), and audit rows in id order (the audit report's stream).
//!
//! Every query keeps to the hosts a [`Scope`] reaches and a [`HostSelection`] names, so a
//! report never names a host outside them. Deleted hosts appear in the long-lived history only
//! for an admin with no host selection (nobody else can tell whose they were).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use lpm_core::agent::{AvailablePatch, ChangeAction, PackageChange, Severity};
use lpm_core::ids::{GroupId, HostId, JobId};
use lpm_core::job::{JobHostState, JobKind, JobState};
use lpm_core::model::HostStatus;
use lpm_core::rbac::{HostFilter, Scope};
use serde::Serialize;

use crate::audit::{AuditFilter, AuditRecord};
use crate::fleet::{join_ids, scope_sql};
use crate::{Store, StoreError, ts, with_db};

/// Which hosts a report covers, besides the scope: empty lists mean every host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostSelection {
    /// Only hosts in one of these groups.
    pub groups: Vec<GroupId>,
    /// Only these hosts.
    pub hosts: Vec<HostId>,
}

impl HostSelection {
    fn is_everything(&self) -> bool {
        self.groups.is_empty() && self.hosts.is_empty()
    }
}

/// The SQL condition for a host row aliased `h` (which may be NULL in an outer join: a NULL
/// host never passes unless everything is selected for an admin).
fn selection_sql(scope: &Scope, selection: &HostSelection) -> String {
    if matches!(scope.host_filter(), HostFilter::All) && selection.is_everything() {
        return "TRUE".to_owned();
    }
    let mut parts = vec!["h.id IS NOT NULL".to_owned(), scope_sql(scope, "h.id")];
    if !selection.groups.is_empty() {
        parts.push(format!(
            "EXISTS (SELECT 1 FROM host_groups rg WHERE rg.host_id = h.id AND rg.group_id IN ({}))",
            join_ids(selection.groups.iter().map(|g| g.get()))
        ));
    }
    if !selection.hosts.is_empty() {
        parts.push(format!(
            "h.id IN ({})",
            join_ids(selection.hosts.iter().map(|h| h.get()))
        ));
    }
    format!("({})", parts.join(" AND "))
}

/// Pending updates of one severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PendingCount {
    /// Updates.
    pub updates: u32,
    /// Of which security updates.
    pub security: u32,
}

/// One host's patch state, as the compliance report needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostPatchState {
    /// The host.
    pub host: HostId,
    /// Its name (FQDN, else address).
    pub name: String,
    /// Names of its groups, sorted.
    pub groups: Vec<String>,
    /// Operating system, once polled.
    pub os_name: Option<String>,
    /// Health as last seen.
    pub status: HostStatus,
    /// A reboot is pending.
    pub reboot_required: bool,
    /// Last successful patch poll.
    pub last_patch_poll_at: Option<DateTime<Utc>>,
    /// Pending updates by severity at the last patch poll. When that poll's snapshot has been
    /// pruned, the host row's counters stand in: critical ones as critical, the rest unrated.
    pub pending: BTreeMap<Severity, PendingCount>,
}

/// One host's finding of one CVE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CveFindingRecord {
    /// The host.
    pub host: HostId,
    /// Its name.
    pub host_name: String,
    /// The CVE id.
    pub cve: String,
    /// The most severe rating of the patches fixing it.
    pub severity: Severity,
    /// Advisories of the patches that fix it, from the host's last patch poll (empty once
    /// fixed).
    pub advisories: Vec<String>,
    /// When it was first seen on the host.
    pub first_seen: DateTime<Utc>,
    /// When it was seen fixed.
    pub fixed_at: Option<DateTime<Utc>>,
}

/// A finished job as the history keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobHistoryRecord {
    /// The job.
    pub job: JobId,
    /// What it did.
    pub kind: JobKind,
    /// How it ended.
    pub state: JobState,
    /// Who started it: a username, `system` when no user did, `(deleted user)` when the user
    /// is gone.
    pub started_by: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it finished.
    pub finished_at: DateTime<Utc>,
    /// Hosts it covered.
    pub host_count: i64,
    /// Hosts that failed.
    pub failed_count: i64,
    /// The job it rolled back.
    pub rollback_of: Option<JobId>,
    /// Its hosts the caller may see, by name.
    pub hosts: Vec<JobHostHistory>,
}

/// One host's part in a finished job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobHostHistory {
    /// The host id.
    pub host: HostId,
    /// Its name; `None` once the host is deleted.
    pub name: Option<String>,
    /// How it ended; `None` once the per-host detail is pruned (30 days by default) and only
    /// the package changes remain.
    pub state: Option<JobHostState>,
    /// The error, when it failed.
    pub error: Option<String>,
    /// The package changes made.
    pub changes: Vec<PackageChange>,
}

#[derive(Debug, sqlx::FromRow)]
struct HostStateRow {
    id: i64,
    name: String,
    os_name: Option<String>,
    status: String,
    reboot_required: bool,
    last_patch_poll_at: Option<DateTime<Utc>>,
    pending_patches: i64,
    pending_security: i64,
    pending_critical: i64,
}

#[derive(Debug, sqlx::FromRow)]
struct FindingRow {
    host_id: i64,
    host_name: String,
    cve: String,
    severity: String,
    first_seen: DateTime<Utc>,
    fixed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, sqlx::FromRow)]
struct JobRow {
    job_id: i64,
    kind: String,
    state: String,
    created_by: Option<i64>,
    username: Option<String>,
    created_at: DateTime<Utc>,
    finished_at: DateTime<Utc>,
    host_count: i64,
    failed_count: i64,
    rollback_of: Option<i64>,
}

#[derive(Debug, sqlx::FromRow)]
struct DetailRow {
    job_id: i64,
    host_id: i64,
    name: Option<String>,
    state: String,
    error: Option<String>,
    changes: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
struct ChangeRow {
    job_id: i64,
    host_id: i64,
    name: Option<String>,
    package: String,
    from_version: Option<String>,
    to_version: Option<String>,
    action: String,
}

/// Hosts per query when loading snapshots (each holds a whole patch list).
const SNAPSHOT_BATCH: usize = 100;
/// Ids per `IN (...)` list.
const ID_BATCH: usize = 500;

impl Store {
    /// The patch state of every host in scope and selection, by name.
    pub async fn report_host_states(
        &self,
        scope: &Scope,
        selection: &HostSelection,
    ) -> Result<Vec<HostPatchState>, StoreError> {
        let sql = format!(
            "SELECT h.id, COALESCE(h.fqdn, h.ip) AS name, h.os_name, h.status, h.reboot_required, h.last_patch_poll_at, \
             h.pending_patches, h.pending_security, h.pending_critical FROM hosts h WHERE {} \
             ORDER BY COALESCE(h.fqdn, h.ip), h.id",
            selection_sql(scope, selection)
        );
        let rows: Vec<HostStateRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(db).await?
        });
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut groups = self.group_names_of(&ids).await?;
        let mut tallies: HashMap<i64, BTreeMap<Severity, PendingCount>> = HashMap::new();
        self.each_latest_snapshot(&ids, |host, patches| {
            let tally = tallies.entry(host).or_default();
            for patch in patches {
                let count = tally.entry(patch.severity).or_default();
                count.updates += 1;
                count.security += u32::from(patch.security);
            }
        })
        .await?;
        rows.into_iter()
            .map(|r| {
                let pending = match tallies.remove(&r.id) {
                    Some(tally) => tally,
                    None => counters_only(&r),
                };
                Ok(HostPatchState {
                    host: HostId::new(r.id)?,
                    groups: groups.remove(&r.id).unwrap_or_default(),
                    status: r.status.parse()?,
                    name: r.name,
                    os_name: r.os_name,
                    reboot_required: r.reboot_required,
                    last_patch_poll_at: r.last_patch_poll_at,
                    pending,
                })
            })
            .collect()
    }

    /// The CVE findings of hosts in scope and selection that were open at some time in
    /// `[since, until)` (first seen before `until`, not fixed before `since`), of the given
    /// severities (empty: all), by CVE and host name.
    pub async fn report_cve_findings(
        &self,
        scope: &Scope,
        selection: &HostSelection,
        severities: &[Severity],
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<CveFindingRecord>, StoreError> {
        let severity_sql = if severities.is_empty() {
            "TRUE".to_owned()
        } else {
            // The words come from the enum, never from input.
            let words: Vec<String> = severities
                .iter()
                .map(|s| format!("'{}'", s.as_str()))
                .collect();
            format!("c.severity IN ({})", words.join(", "))
        };
        let sql = format!(
            "SELECT c.host_id, COALESCE(h.fqdn, h.ip) AS host_name, c.cve, c.severity, c.first_seen, c.fixed_at \
             FROM cve_history c JOIN hosts h ON h.id = c.host_id WHERE {} AND {severity_sql} \
             AND ($1 IS NULL OR c.first_seen < $1) AND ($2 IS NULL OR c.fixed_at IS NULL OR c.fixed_at >= $2) \
             ORDER BY c.cve, COALESCE(h.fqdn, h.ip), c.host_id",
            selection_sql(scope, selection)
        );
        let rows: Vec<FindingRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(until.map(ts))
                .bind(since.map(ts))
                .fetch_all(db).await?
        });
        let open_hosts: BTreeSet<i64> = rows
            .iter()
            .filter(|r| r.fixed_at.is_none())
            .map(|r| r.host_id)
            .collect();
        let open_hosts: Vec<i64> = open_hosts.into_iter().collect();
        let mut advisories: HashMap<(i64, String), BTreeSet<String>> = HashMap::new();
        self.each_latest_snapshot(&open_hosts, |host, patches| {
            for patch in patches {
                for cve in &patch.cves {
                    advisories
                        .entry((host, cve.clone()))
                        .or_default()
                        .extend(patch.advisories.iter().cloned());
                }
            }
        })
        .await?;
        rows.into_iter()
            .map(|r| {
                let found = if r.fixed_at.is_none() {
                    advisories.remove(&(r.host_id, r.cve.clone()))
                } else {
                    None
                };
                Ok(CveFindingRecord {
                    host: HostId::new(r.host_id)?,
                    host_name: r.host_name,
                    severity: r.severity.parse()?,
                    advisories: found.map(|a| a.into_iter().collect()).unwrap_or_default(),
                    cve: r.cve,
                    first_seen: r.first_seen,
                    fixed_at: r.fixed_at,
                })
            })
            .collect()
    }

    /// Finished jobs (finished in `[since, until)`) that touched a host in scope and
    /// selection, newest first, each with the hosts the caller may see. An admin with no
    /// selection sees every job, even one whose hosts are all gone.
    pub async fn report_job_history(
        &self,
        scope: &Scope,
        selection: &HostSelection,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<JobHistoryRecord>, StoreError> {
        let sel = selection_sql(scope, selection);
        let visible = if sel == "TRUE" {
            "TRUE".to_owned()
        } else {
            format!(
                "(EXISTS (SELECT 1 FROM patch_job_hosts r JOIN hosts h ON h.id = r.host_id WHERE r.job_id = j.job_id AND {sel}) \
                 OR EXISTS (SELECT 1 FROM package_change_history pc JOIN hosts h ON h.id = pc.host_id \
                 WHERE pc.job_id = j.job_id AND {sel}))"
            )
        };
        let sql = format!(
            "SELECT j.job_id, j.kind, j.state, j.created_by, u.username, j.created_at, j.finished_at, j.host_count, \
             j.failed_count, j.rollback_of FROM job_history j LEFT JOIN users u ON u.id = j.created_by \
             WHERE ($1 IS NULL OR j.finished_at >= $1) AND ($2 IS NULL OR j.finished_at < $2) AND {visible} \
             ORDER BY j.finished_at DESC, j.job_id DESC"
        );
        let jobs: Vec<JobRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(since.map(ts))
                .bind(until.map(ts))
                .fetch_all(db).await?
        });
        let mut hosts: HashMap<i64, BTreeMap<i64, JobHostHistory>> = HashMap::new();
        let ids: Vec<i64> = jobs.iter().map(|j| j.job_id).collect();
        for chunk in ids.chunks(ID_BATCH) {
            let list = join_ids(chunk.iter().copied());
            let detail_sql = format!(
                "SELECT r.job_id, r.host_id, COALESCE(h.fqdn, h.ip) AS name, r.state, r.error, r.changes \
                 FROM patch_job_hosts r LEFT JOIN hosts h ON h.id = r.host_id WHERE r.job_id IN ({list}) AND {sel}"
            );
            let change_sql = format!(
                "SELECT pc.job_id, pc.host_id, COALESCE(h.fqdn, h.ip) AS name, pc.package, pc.from_version, pc.to_version, \
                 pc.action FROM package_change_history pc LEFT JOIN hosts h ON h.id = pc.host_id \
                 WHERE pc.job_id IN ({list}) AND {sel} ORDER BY pc.id"
            );
            let (details, changes): (Vec<DetailRow>, Vec<ChangeRow>) = with_db!(self, db => {
                let details = sqlx::query_as(sqlx::AssertSqlSafe(detail_sql)).fetch_all(db).await?;
                let changes = sqlx::query_as(sqlx::AssertSqlSafe(change_sql)).fetch_all(db).await?;
                (details, changes)
            });
            for d in details {
                let changes: Vec<PackageChange> = match d.changes.as_deref() {
                    Some(json) => serde_json::from_str(json).map_err(StoreError::corrupt)?,
                    None => Vec::new(),
                };
                hosts.entry(d.job_id).or_default().insert(
                    d.host_id,
                    JobHostHistory {
                        host: HostId::new(d.host_id)?,
                        name: d.name,
                        state: Some(d.state.parse()?),
                        error: d.error,
                        changes,
                    },
                );
            }
            // The history's changes stand in only where the detail row is gone.
            let detailed: BTreeSet<(i64, i64)> = hosts
                .iter()
                .flat_map(|(job, hs)| hs.keys().map(move |h| (*job, *h)))
                .collect();
            for c in changes {
                if detailed.contains(&(c.job_id, c.host_id)) {
                    continue;
                }
                let entry = hosts
                    .entry(c.job_id)
                    .or_default()
                    .entry(c.host_id)
                    .or_insert(JobHostHistory {
                        host: HostId::new(c.host_id)?,
                        name: c.name.clone(),
                        state: None,
                        error: None,
                        changes: Vec::new(),
                    });
                entry.changes.push(PackageChange {
                    package: c.package,
                    from: c.from_version,
                    to: c.to_version,
                    action: c.action.parse::<ChangeAction>()?,
                });
            }
        }
        jobs.into_iter()
            .map(|j| {
                let mut job_hosts: Vec<JobHostHistory> = hosts
                    .remove(&j.job_id)
                    .map(|m| m.into_values().collect())
                    .unwrap_or_default();
                job_hosts.sort_by(|a, b| a.name.cmp(&b.name).then(a.host.cmp(&b.host)));
                Ok(JobHistoryRecord {
                    job: JobId::new(j.job_id)?,
                    kind: j.kind.parse()?,
                    state: j.state.parse()?,
                    started_by: match (j.created_by, j.username) {
                        (None, _) => "system".to_owned(),
                        (Some(_), Some(name)) => name,
                        (Some(_), None) => "(deleted user)".to_owned(),
                    },
                    created_at: j.created_at,
                    finished_at: j.finished_at,
                    host_count: j.host_count,
                    failed_count: j.failed_count,
                    rollback_of: j.rollback_of.map(JobId::new).transpose()?,
                    hosts: job_hosts,
                })
            })
            .collect()
    }

    /// Up to `limit` audit rows matching `filter` with ids above `after`, in id order: the
    /// keyset pages a streamed audit report reads.
    pub async fn audit_rows_after(
        &self,
        filter: &AuditFilter,
        after: i64,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        const SQL: &str = "SELECT id, at, actor_id, actor, action, target_type, target_id, ip, details, prev_hash, row_hash \
             FROM audit_log WHERE id > $1 AND ($2 IS NULL OR actor_id = $2) \
             AND ($3 IS NULL OR substr(action, 1, length($3)) = $3) \
             AND ($4 IS NULL OR at >= $4) AND ($5 IS NULL OR at < $5) ORDER BY id LIMIT $6";
        Ok(with_db!(self, db => {
            sqlx::query_as(SQL)
                .bind(after)
                .bind(filter.actor_id.map(|u| u.get()))
                .bind(&filter.action_prefix)
                .bind(filter.since.map(ts))
                .bind(filter.until.map(ts))
                .bind(i64::from(limit))
                .fetch_all(db)
                .await?
        }))
    }

    /// Names of each host's groups, sorted.
    async fn group_names_of(&self, hosts: &[i64]) -> Result<HashMap<i64, Vec<String>>, StoreError> {
        let mut names: HashMap<i64, Vec<String>> = HashMap::new();
        for chunk in hosts.chunks(ID_BATCH) {
            let sql = format!(
                "SELECT hg.host_id, g.name FROM host_groups hg JOIN groups g ON g.id = hg.group_id \
                 WHERE hg.host_id IN ({}) ORDER BY g.name",
                join_ids(chunk.iter().copied())
            );
            let rows: Vec<(i64, String)> = with_db!(self, db => {
                sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(db).await?
            });
            for (host, name) in rows {
                names.entry(host).or_default().push(name);
            }
        }
        Ok(names)
    }

    /// Calls `visit` with each host's latest patch snapshot, a batch of hosts at a time, so
    /// memory holds one batch of patch lists however large the fleet.
    async fn each_latest_snapshot(
        &self,
        hosts: &[i64],
        mut visit: impl FnMut(i64, &[AvailablePatch]),
    ) -> Result<(), StoreError> {
        for chunk in hosts.chunks(SNAPSHOT_BATCH) {
            let sql = format!(
                "SELECT p.host_id, p.patches FROM host_patch_data p WHERE p.host_id IN ({}) AND p.id = \
                 (SELECT p2.id FROM host_patch_data p2 WHERE p2.host_id = p.host_id \
                 ORDER BY p2.collected_at DESC, p2.id DESC LIMIT 1)",
                join_ids(chunk.iter().copied())
            );
            let rows: Vec<(i64, String)> = with_db!(self, db => {
                sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(db).await?
            });
            for (host, json) in rows {
                let patches: Vec<AvailablePatch> =
                    serde_json::from_str(&json).map_err(StoreError::corrupt)?;
                visit(host, &patches);
            }
        }
        Ok(())
    }
}

/// Pending counts from the host row alone (its snapshot pruned): critical ones as critical,
/// the rest unrated; security updates counted among the critical ones first.
fn counters_only(r: &HostStateRow) -> BTreeMap<Severity, PendingCount> {
    let clamp = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
    let critical = clamp(r.pending_critical);
    let all = clamp(r.pending_patches).max(critical);
    let security = clamp(r.pending_security).min(all);
    let critical_security = security.min(critical);
    let mut pending = BTreeMap::new();
    if critical > 0 {
        pending.insert(
            Severity::Critical,
            PendingCount {
                updates: critical,
                security: critical_security,
            },
        );
    }
    if all > critical {
        pending.insert(
            Severity::Unknown,
            PendingCount {
                updates: all - critical,
                security: security - critical_security,
            },
        );
    }
    pending
}
