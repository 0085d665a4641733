//! `GET /api/v1/status/fleet`: the dashboard's summary of the hosts in the caller's scope:
//! health, compliance, pending updates, hosts needing attention, upcoming windows, jobs under
//! way, and whether a worker is alive (for the stale-worker banner).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use lpm_core::model::HostStatus;
use lpm_core::window::Occurrences;
use lpm_store::PageRequest;
use lpm_store::fleet::{HostQuery, HostSort};
use lpm_store::hostdata::PendingBySeverity;
use lpm_store::windows::StoredWindow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Caller;
use super::hosts::HostView;
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiQuery, ApiResult, AppState};

/// Hosts per status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct StatusCounts {
    /// Registered, never reached.
    pub pending: i64,
    /// Answering, all well.
    pub healthy: i64,
    /// Answering, the agent reports a problem.
    pub degraded: i64,
    /// Errors, being retried.
    pub unhealthy: i64,
    /// Retries exhausted.
    pub unreachable: i64,
}

/// Security compliance: of the hosts that answer and whose patches were polled, those with no
/// pending security update.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct ComplianceView {
    /// `compliant / reachable` as a percentage; `null` while no host counts.
    pub pct: Option<f64>,
    /// Hosts with no pending security update.
    pub compliant: i64,
    /// Hosts that answer (`healthy` or `degraded`) and were polled for patches.
    pub reachable: i64,
}

/// Pending updates summed over the hosts, per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct PendingBySeverityView {
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

impl From<PendingBySeverity> for PendingBySeverityView {
    fn from(p: PendingBySeverity) -> Self {
        Self {
            critical: p.critical,
            important: p.important,
            moderate: p.moderate,
            low: p.low,
            unknown: p.unknown,
        }
    }
}

/// A maintenance window opening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct UpcomingWindowView {
    /// The window.
    pub window_id: i64,
    /// Its name.
    pub window_name: String,
    /// Its host.
    pub host_id: i64,
    /// The host's name (FQDN, else address).
    pub host_name: String,
    /// When it opens (in the past for a window open now).
    pub opens_at: DateTime<Utc>,
    /// When it closes.
    pub closes_at: DateTime<Utc>,
    /// Whether it is open now.
    pub open_now: bool,
}

/// Whether a worker is alive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkerState {
    /// A worker beat within the staleness limit.
    Fresh,
    /// No beat within the limit: jobs, polls and scans are not progressing.
    Stale,
    /// No worker has ever beaten.
    Absent,
}

/// The workers' heartbeat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct WorkerView {
    /// Fresh, stale or absent.
    pub state: WorkerState,
    /// The newest beat of any worker.
    pub last_beat_at: Option<DateTime<Utc>>,
    /// A beat older than this many seconds is stale.
    pub stale_after_s: i64,
    /// Workers that beat within the limit.
    pub fresh_workers: i64,
}

/// Jobs under way touching the caller's hosts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ActiveJobsView {
    /// Waiting for their first host to start.
    pub queued: i64,
    /// Started and not finished.
    pub running: i64,
}

/// The fleet at a glance, over the caller's scope.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FleetStatusView {
    /// When this was computed.
    pub generated_at: DateTime<Utc>,
    /// Hosts in scope.
    pub hosts: i64,
    /// Hosts per status.
    pub by_status: StatusCounts,
    /// Security compliance.
    pub compliance: ComplianceView,
    /// Polled hosts with no pending update at all.
    pub fully_patched: i64,
    /// Hosts polled for patches at least once.
    pub polled: i64,
    /// Hosts with pending security updates.
    pub with_security_updates: i64,
    /// Hosts with pending critical updates.
    pub with_critical_updates: i64,
    /// Pending updates per severity.
    pub pending_patches: PendingBySeverityView,
    /// Hosts that need a reboot.
    pub reboot_required: i64,
    /// Unreachable then unhealthy hosts, each by when it was last seen (at most `limit`).
    pub attention: Vec<HostView>,
    /// The next window openings (windows open now first), at most `limit`.
    pub upcoming_windows: Vec<UpcomingWindowView>,
    /// Jobs under way.
    pub jobs: ActiveJobsView,
    /// The workers' heartbeat.
    pub worker: WorkerView,
}

/// How much of each list to return.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FleetParams {
    /// Entries in `attention` and `upcoming_windows`, 1 to 50.
    #[param(minimum = 1, maximum = 50, default = 10)]
    pub limit: Option<u32>,
}

/// The next `limit` openings across all windows, windows open now first: a k-way merge of each
/// window's lazy occurrences, so the work is one opening per window plus `limit`.
fn upcoming(
    windows: &[(StoredWindow, String)],
    now: DateTime<Utc>,
    limit: usize,
) -> Vec<UpcomingWindowView> {
    let view = |(stored, host): &(StoredWindow, String),
                opens_at: DateTime<Utc>,
                closes_at: DateTime<Utc>| UpcomingWindowView {
        window_id: stored.id.get(),
        window_name: stored.name.as_str().to_owned(),
        host_id: stored.host.get(),
        host_name: host.clone(),
        opens_at,
        closes_at,
        open_now: opens_at <= now && now < closes_at,
    };
    let mut out: Vec<UpcomingWindowView> = windows
        .iter()
        .filter_map(|w| {
            let open = w.0.window.current_or_next(now)?;
            open.contains(now)
                .then(|| view(w, open.opens_at, open.closes_at))
        })
        .collect();
    out.sort_by_key(|w| (w.opens_at, w.window_id));
    out.truncate(limit);
    let mut iters: Vec<Occurrences<'_>> = windows
        .iter()
        .map(|(stored, _)| stored.window.occurrences_from(now))
        .collect();
    let mut heap = BinaryHeap::new();
    for (i, it) in iters.iter_mut().enumerate() {
        if let Some(next) = it.next() {
            heap.push(Reverse((next.opens_at, i, next.closes_at)));
        }
    }
    while out.len() < limit {
        let Some(Reverse((opens_at, i, closes_at))) = heap.pop() else {
            break;
        };
        // An occurrence opening exactly now is already listed as open.
        if opens_at > now {
            out.push(view(&windows[i], opens_at, closes_at));
        }
        if let Some(next) = iters[i].next() {
            heap.push(Reverse((next.opens_at, i, next.closes_at)));
        }
    }
    out
}

/// The fleet summary over the caller's scope.
#[utoipa::path(
    get,
    path = "/api/v1/status/fleet",
    tag = "status",
    operation_id = "fleet_status",
    params(FleetParams),
    responses(
        (status = 200, description = "The summary", body = FleetStatusView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "A bad limit", body = ErrorBody),
    )
)]
pub async fn fleet_status(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<FleetParams>,
) -> ApiResult<Json<FleetStatusView>> {
    let limit = params.limit.unwrap_or(10);
    if !(1..=50).contains(&limit) {
        return Err(ApiError::invalid_field("limit", "must be between 1 and 50"));
    }
    let now = state.clock.now();
    let scope = &caller.scope;
    let fleet = state.store.fleet_status(scope).await?;
    let mut attention = Vec::new();
    for status in [HostStatus::Unreachable, HostStatus::Unhealthy] {
        let room = limit.saturating_sub(u32::try_from(attention.len()).unwrap_or(limit));
        if room == 0 {
            break;
        }
        let query = HostQuery {
            status: Some(status),
            sort: HostSort::LastSeen,
            ..Default::default()
        };
        let page = state
            .store
            .list_hosts(scope, &query, PageRequest::new(1, room)?)
            .await?;
        attention.extend(page.items.into_iter().map(HostView::from));
    }
    let windows = state.store.windows_in_scope(scope).await?;
    let jobs = state.store.active_jobs(scope).await?;
    let beats = state.store.heartbeats().await?;
    let fresh = |at: DateTime<Utc>| now - at <= state.worker_stale_after;
    let last_beat_at = beats.iter().map(|b| b.last_beat_at).max();
    let worker = WorkerView {
        state: match last_beat_at {
            None => WorkerState::Absent,
            Some(at) if fresh(at) => WorkerState::Fresh,
            Some(_) => WorkerState::Stale,
        },
        last_beat_at,
        stale_after_s: state.worker_stale_after.num_seconds(),
        fresh_workers: beats.iter().filter(|b| fresh(b.last_beat_at)).count() as i64,
    };
    let count = |status: HostStatus| fleet.by_status.get(status.as_str()).copied().unwrap_or(0);
    Ok(Json(FleetStatusView {
        generated_at: now,
        hosts: fleet.hosts,
        by_status: StatusCounts {
            pending: count(HostStatus::Pending),
            healthy: count(HostStatus::Healthy),
            degraded: count(HostStatus::Degraded),
            unhealthy: count(HostStatus::Unhealthy),
            unreachable: count(HostStatus::Unreachable),
        },
        compliance: ComplianceView {
            pct: (fleet.reachable_polled > 0)
                .then(|| 100.0 * fleet.security_compliant as f64 / fleet.reachable_polled as f64),
            compliant: fleet.security_compliant,
            reachable: fleet.reachable_polled,
        },
        fully_patched: fleet.fully_patched,
        polled: fleet.polled,
        with_security_updates: fleet.with_security_updates,
        with_critical_updates: fleet.with_critical_updates,
        pending_patches: fleet.pending.into(),
        reboot_required: fleet.reboot_required,
        attention,
        upcoming_windows: upcoming(&windows, now, limit as usize),
        jobs: ActiveJobsView {
            queued: jobs.queued,
            running: jobs.running,
        },
        worker,
    }))
}

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(fleet_status))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::{Duration, NaiveTime, TimeZone, Weekday};
    use lpm_core::ids::{HostId, WindowId};
    use lpm_core::model::Name;
    use lpm_core::window::{MaintenanceWindow, Recurrence};

    fn stored(id: i64, window: MaintenanceWindow) -> (StoredWindow, String) {
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        (
            StoredWindow {
                id: WindowId::new(id).unwrap(),
                host: HostId::new(id).unwrap(),
                name: Name::new("w").unwrap(),
                window,
                created_at: at,
            },
            format!("host-{id}"),
        )
    }

    #[test]
    fn upcoming_merges_windows_in_opening_order_open_ones_first() {
        // Tuesday 2026-11-24 12:00 UTC.
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
        let daily = MaintenanceWindow::recurring(
            Recurrence::weekly([
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
                Weekday::Sun,
            ])
            .unwrap(),
            NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
            Duration::hours(1),
            "UTC",
        )
        .unwrap();
        let open_now =
            MaintenanceWindow::one_time(now - Duration::hours(1), now + Duration::hours(1))
                .unwrap();
        let past =
            MaintenanceWindow::one_time(now - Duration::days(2), now - Duration::days(1)).unwrap();
        let windows = vec![stored(1, daily), stored(2, open_now), stored(3, past)];
        let next = upcoming(&windows, now, 4);
        let got: Vec<(i64, DateTime<Utc>, bool)> = next
            .iter()
            .map(|w| (w.window_id, w.opens_at, w.open_now))
            .collect();
        let day = |d: u32| Utc.with_ymd_and_hms(2026, 11, d, 22, 0, 0).unwrap();
        assert_eq!(
            got,
            vec![
                (2, now - Duration::hours(1), true),
                (1, day(24), false),
                (1, day(25), false),
                (1, day(26), false),
            ]
        );
        assert_eq!(next[1].host_name, "host-1");
        assert!(upcoming(&windows[2..], now, 4).is_empty());
    }
}
