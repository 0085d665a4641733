//! The audit log (admin only): list it with filters, and verify its hash chain on demand
//! (SDD §7.4). A verification is itself recorded (`audit.verified`), so the log shows who
//! checked it, when, and what they found.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use lpm_core::ids::UserId;
use lpm_store::audit::{AuditEntry, AuditFilter, AuditRecord, AuditSort, BreakKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Caller, PageParams, Paged, parse_sort};
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiJson, ApiQuery, ApiResult, AppState};

/// One audit row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditRecordView {
    /// Its position in the chain.
    pub id: i64,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// The acting user (`null`: the system).
    pub actor_id: Option<i64>,
    /// The acting name (a username, or `system`).
    pub actor: String,
    /// What happened (`host.created`, `job.cancelled` ...).
    pub action: String,
    /// The kind of thing acted on.
    pub target_type: String,
    /// Its id.
    pub target_id: Option<String>,
    /// The client address.
    pub ip: Option<String>,
    /// What else was recorded: any JSON value (`null` when nothing was).
    pub details: serde_json::Value,
    /// The previous row's hash.
    pub prev_hash: String,
    /// This row's hash.
    pub row_hash: String,
}

impl From<AuditRecord> for AuditRecordView {
    fn from(r: AuditRecord) -> Self {
        // Details are stored as JSON text; text that is not JSON (a hand-edited row) is shown
        // as it is rather than hidden.
        let details =
            serde_json::from_str(&r.details).unwrap_or(serde_json::Value::String(r.details));
        Self {
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor: r.actor,
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            ip: r.ip,
            details,
            prev_hash: r.prev_hash,
            row_hash: r.row_hash,
        }
    }
}

/// Filters and order of the audit list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilters {
    /// Only this actor name (`system` for the worker and the command line).
    pub actor: Option<String>,
    /// Only this acting user id.
    pub actor_id: Option<i64>,
    /// Only actions starting with this (`auth.` for every sign-in event).
    pub action: Option<String>,
    /// Only this kind of target (`host`, `job`, `user` ...).
    pub target_type: Option<String>,
    /// Only this target id.
    pub target_id: Option<String>,
    /// Only rows recorded at or after this time (RFC 3339).
    pub since: Option<DateTime<Utc>>,
    /// Only rows recorded before this time (RFC 3339).
    pub until: Option<DateTime<Utc>>,
    /// `id` or `time`, a leading `-` sorts descending; default newest first.
    pub sort: Option<String>,
}

/// Which rows to verify; both bounds are optional (the oldest kept row, the newest row).
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// The first row to check.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub from_id: Option<i64>,
    /// The last row to check.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub to_id: Option<i64>,
}

/// What is wrong with a broken row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BreakKindView {
    /// The row's contents do not match its hash.
    ContentsChanged,
    /// The row does not follow the previous one (rows deleted, inserted or swapped).
    LinkBroken,
    /// Rows before this one are missing.
    RowsMissing,
    /// Rows were cut off the end: the last row is not the recorded head.
    Truncated,
}

impl From<BreakKind> for BreakKindView {
    fn from(kind: BreakKind) -> Self {
        match kind {
            BreakKind::ContentsChanged => BreakKindView::ContentsChanged,
            BreakKind::LinkBroken => BreakKindView::LinkBroken,
            BreakKind::RowsMissing => BreakKindView::RowsMissing,
            BreakKind::Truncated => BreakKindView::Truncated,
        }
    }
}

/// The first row at which the chain fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct BrokenRowView {
    /// The row's id (for truncation: the recorded head).
    pub id: i64,
    /// What is wrong.
    pub kind: BreakKindView,
}

/// The chain's head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct HeadView {
    /// The newest row's id (0: none yet).
    pub id: i64,
    /// Its hash.
    pub hash: String,
}

/// The outcome of a verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct VerifyView {
    /// Whether every row checked holds.
    pub ok: bool,
    /// Rows read.
    pub rows_checked: u64,
    /// Rows up to this id were removed by retention (0: none); they are not checked.
    pub pruned_through: i64,
    /// The first broken row, if any.
    pub first_broken: Option<BrokenRowView>,
    /// The head the rows were verified against.
    pub head: HeadView,
}

/// Lists audit rows.
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "audit",
    operation_id = "list_audit",
    params(PageParams, AuditFilters),
    responses(
        (status = 200, description = "A page of audit rows", body = Paged<AuditRecordView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither an admin nor an auditor", body = ErrorBody),
        (status = 422, description = "A bad filter or page", body = ErrorBody),
    )
)]
pub async fn list_audit(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(paging): ApiQuery<PageParams>,
    ApiQuery(filters): ApiQuery<AuditFilters>,
) -> ApiResult<Json<Paged<AuditRecordView>>> {
    caller.require_read_all()?;
    let sort = match filters.sort.as_deref() {
        None => None,
        raw => Some(parse_sort(raw, "id, time", |field| match field {
            "id" => Some(AuditSort::Id),
            "time" => Some(AuditSort::Time),
            _ => None,
        })?),
    };
    let filter = AuditFilter {
        actor_id: filters
            .actor_id
            .map(|u| UserId::new(u).map_err(|e| ApiError::invalid_field("actor_id", e.to_string())))
            .transpose()?,
        action_prefix: filters.action.filter(|a| !a.is_empty()),
        since: filters.since,
        until: filters.until,
        actor: filters.actor,
        target_type: filters.target_type,
        target_id: filters.target_id,
        sort,
    };
    let page = state.store.list_audit(&filter, paging.request()?).await?;
    Ok(Json(Paged::from_page(page, AuditRecordView::from)))
}

/// Verifies the hash chain (the whole log, or a range of it) and records that it was checked.
#[utoipa::path(
    post,
    path = "/api/v1/audit/verify",
    tag = "audit",
    operation_id = "verify_audit",
    request_body = VerifyRequest,
    responses(
        (status = 200, description = "The outcome; `ok: false` names the first broken row", body = VerifyView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither an admin nor an auditor", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "A bound below 1, or `from_id` after `to_id`", body = ErrorBody),
    )
)]
pub async fn verify_audit(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<VerifyRequest>,
) -> ApiResult<Json<VerifyView>> {
    caller.require_read_all()?;
    for (field, bound) in [("from_id", request.from_id), ("to_id", request.to_id)] {
        if bound.is_some_and(|b| b < 1) {
            return Err(ApiError::invalid_field(field, "rows are numbered from 1"));
        }
    }
    if let (Some(from), Some(to)) = (request.from_id, request.to_id)
        && from > to
    {
        return Err(ApiError::invalid_field(
            "from_id",
            "must not be after to_id",
        ));
    }
    let report = state
        .store
        .verify_audit_range(request.from_id, request.to_id)
        .await?;
    let view = VerifyView {
        ok: report.first_broken.is_none(),
        rows_checked: report.rows_checked,
        pruned_through: report.pruned_through,
        first_broken: report.first_broken.map(|b| BrokenRowView {
            id: b.id,
            kind: b.kind.into(),
        }),
        head: HeadView {
            id: report.head_id,
            hash: report.head_hash,
        },
    };
    let mut entry = AuditEntry::new(
        caller.actor.user,
        &caller.actor.name,
        "audit.verified",
        "audit_log",
    )
    .details(serde_json::json!({
        "from_id": request.from_id, "to_id": request.to_id, "ok": view.ok,
        "rows_checked": view.rows_checked, "first_broken": view.first_broken, "head_id": view.head.id,
    }));
    entry.ip = caller.actor.ip.clone();
    state.store.audit(&entry, state.clock.now()).await?;
    Ok(Json(view))
}

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_audit))
        .routes(routes!(verify_audit))
}
