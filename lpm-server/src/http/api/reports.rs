//! Reports as JSON, CSV and PDF (lpm-reports renders them), from data gathered in the caller's
//! scope, every download audited (`report.downloaded`: kind, format, filters).
//!
//! - `compliance`: each host's pending updates now (filters `group`, `host`, `severity`: only
//!   updates of these severities count).
//! - `patch-history`: finished jobs, their outcomes and package changes (`group`, `host`,
//!   `since`/`until` on the finish time).
//! - `vulnerability`: CVE findings open at some time in `[since, until)` and time-to-patch
//!   (`group`, `host`, `severity`, `since`, `until`).
//! - `audit` (admins only): audit rows in `[since, until)` with the hash chain's verification.
//!
//! An operator's report never names a host outside their scope. CSV streams (the audit report
//! from the database a page at a time), so memory stays flat for any number of rows; CSV and
//! PDF come as attachments. The audit report as JSON or PDF holds at most
//! [`MAX_AUDIT_ROWS_IN_MEMORY`] rows: larger ranges are refused with 422 `report_too_large`
//! (narrow the range, or take the CSV).

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::str::FromStr;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use lpm_core::agent::Severity;
use lpm_core::ids::{GroupId, HostId};
use lpm_core::job::{JobHostState, JobKind, JobState};
use lpm_core::model::HostStatus;
use lpm_reports::{
    AuditReport, AuditRow, BreakKind, ChainStatus, ComplianceReport, CsvWriter, CveFinding,
    HostCompliance, JobHostRecord, JobRecord, PatchHistoryReport, ReportError, ReportFilters,
    ReportMeta, SeverityCounts, VulnerabilityReport,
};
use lpm_store::audit::{AuditFilter, AuditRecord};
use lpm_store::reports::{HostPatchState, HostSelection, JobHistoryRecord};
use lpm_store::{PageRequest, Store};
use serde::{Deserialize, Deserializer, Serialize};
use tokio::sync::mpsc;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Caller;
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiQuery, ApiResult, AppState};

/// The most audit rows a JSON or PDF audit report holds; the CSV has no limit.
pub const MAX_AUDIT_ROWS_IN_MEMORY: i64 = 100_000;

/// Audit rows per database page while streaming.
const AUDIT_PAGE: u32 = 1000;

/// The most group or host ids one report request may list.
const MAX_LISTED: usize = 500;

/// CSV chunks in flight between the writer and the connection.
const STREAM_CHUNKS: usize = 4;

/// How a report is delivered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// The report's data, for the web UI.
    #[default]
    Json,
    /// Comma-separated values, streamed, as an attachment.
    Csv,
    /// A PDF with a cover, charts and tables, as an attachment.
    Pdf,
}

impl ReportFormat {
    fn as_str(self) -> &'static str {
        match self {
            ReportFormat::Json => "json",
            ReportFormat::Csv => "csv",
            ReportFormat::Pdf => "pdf",
        }
    }
}

/// What a report covers and how it is delivered. Lists are comma-separated (`group=1,2`).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// `json` (default), `csv` or `pdf`.
    #[param(inline)]
    pub format: Option<ReportFormat>,
    /// Only hosts in one of these groups (ids, at most 500).
    #[param(value_type = Option<Vec<i64>>, style = Form, explode = false)]
    #[serde(default, deserialize_with = "comma_list")]
    pub group: Option<Vec<i64>>,
    /// Only these hosts (ids, at most 500).
    #[param(value_type = Option<Vec<i64>>, style = Form, explode = false)]
    #[serde(default, deserialize_with = "comma_list")]
    pub host: Option<Vec<i64>>,
    /// Only these severities (compliance and vulnerability).
    #[param(value_type = Option<Vec<Severity>>, style = Form, explode = false)]
    #[serde(default, deserialize_with = "comma_list")]
    pub severity: Option<Vec<Severity>>,
    /// From this instant (RFC 3339), inclusive (not for compliance, a picture of now).
    pub since: Option<DateTime<Utc>>,
    /// Until this instant (RFC 3339), exclusive (not for compliance).
    pub until: Option<DateTime<Utc>>,
}

/// A comma-separated list (`1,2,3`); absent or empty: `None`.
fn comma_list<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: std::fmt::Display,
{
    let raw: Option<String> = Option::deserialize(deserializer)?;
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
        return Ok(None);
    };
    raw.split(',')
        .map(|item| {
            let item = item.trim();
            item.parse::<T>()
                .map_err(|e| serde::de::Error::custom(format!("{item:?}: {e}")))
        })
        .collect::<Result<Vec<T>, _>>()
        .map(Some)
}

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Compliance,
    PatchHistory,
    Vulnerability,
    Audit,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Compliance => "compliance",
            Kind::PatchHistory => "patch-history",
            Kind::Vulnerability => "vulnerability",
            Kind::Audit => "audit",
        }
    }
}

/// The compliance report: how many hosts are fully patched, pending updates by severity and
/// group, one row per host.
#[utoipa::path(
    get,
    path = "/api/v1/reports/compliance",
    tag = "reports",
    operation_id = "compliance_report",
    params(ReportParams),
    responses(
        (status = 200, description = "The report; CSV and PDF as attachments", content(
            (ComplianceReportDoc = "application/json"),
            (String = "text/csv"),
            (PdfDocument = "application/pdf"),
        )),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "A bad filter (an unknown group or host, since/until)", body = ErrorBody),
    )
)]
pub async fn compliance_report(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ReportParams>,
) -> ApiResult<Response> {
    if params.since.is_some() || params.until.is_some() {
        return Err(ApiError::invalid_field(
            "since",
            "the compliance report is a picture of now; since and until do not apply",
        ));
    }
    let request = resolve(&state, &caller, &params, Kind::Compliance).await?;
    let states = state
        .store
        .report_host_states(&caller.scope, &request.selection)
        .await?;
    let hosts = states
        .into_iter()
        .map(|s| host_compliance(s, &request.filters.severities))
        .collect();
    let report = ComplianceReport::new(request.meta(), hosts);
    deliver(&state, &caller, &request, report).await
}

/// The patch-history report: finished jobs, who started them, how they ended, their package
/// changes and rollbacks, with a trend of changes over time.
#[utoipa::path(
    get,
    path = "/api/v1/reports/patch-history",
    tag = "reports",
    operation_id = "patch_history_report",
    params(ReportParams),
    responses(
        (status = 200, description = "The report; CSV and PDF as attachments", content(
            (PatchHistoryReportDoc = "application/json"),
            (String = "text/csv"),
            (PdfDocument = "application/pdf"),
        )),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "A bad filter (an unknown group or host, severity, a reversed range)", body = ErrorBody),
    )
)]
pub async fn patch_history_report(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ReportParams>,
) -> ApiResult<Response> {
    if params.severity.is_some() {
        return Err(ApiError::invalid_field(
            "severity",
            "the patch-history report has no severities",
        ));
    }
    let request = resolve(&state, &caller, &params, Kind::PatchHistory).await?;
    let jobs = state
        .store
        .report_job_history(
            &caller.scope,
            &request.selection,
            request.filters.from,
            request.filters.until,
        )
        .await?;
    let report =
        PatchHistoryReport::new(request.meta(), jobs.into_iter().map(job_record).collect());
    deliver(&state, &caller, &request, report).await
}

/// The vulnerability report: open CVEs by severity, affected hosts, and time-to-patch
/// percentiles per severity.
#[utoipa::path(
    get,
    path = "/api/v1/reports/vulnerability",
    tag = "reports",
    operation_id = "vulnerability_report",
    params(ReportParams),
    responses(
        (status = 200, description = "The report; CSV and PDF as attachments", content(
            (VulnerabilityReportDoc = "application/json"),
            (String = "text/csv"),
            (PdfDocument = "application/pdf"),
        )),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "A bad filter (an unknown group or host, a reversed range)", body = ErrorBody),
    )
)]
pub async fn vulnerability_report(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ReportParams>,
) -> ApiResult<Response> {
    let request = resolve(&state, &caller, &params, Kind::Vulnerability).await?;
    let findings = state
        .store
        .report_cve_findings(
            &caller.scope,
            &request.selection,
            &request.filters.severities,
            request.filters.from,
            request.filters.until,
        )
        .await?;
    let findings = findings
        .into_iter()
        .map(|f| CveFinding {
            host: f.host_name,
            cve: f.cve,
            severity: f.severity,
            advisories: f.advisories,
            first_seen: f.first_seen,
            fixed_at: f.fixed_at,
        })
        .collect();
    let report = VulnerabilityReport::new(request.meta(), findings);
    deliver(&state, &caller, &request, report).await
}

/// The audit report (admins): who did what in `[since, until)`, with the result of verifying
/// the whole hash chain (JSON and PDF; the CSV holds the rows only).
#[utoipa::path(
    get,
    path = "/api/v1/reports/audit",
    tag = "reports",
    operation_id = "audit_report",
    params(ReportParams),
    responses(
        (status = 200, description = "The report; CSV and PDF as attachments", content(
            (AuditReportDoc = "application/json"),
            (String = "text/csv"),
            (PdfDocument = "application/pdf"),
        )),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither an admin nor an auditor", body = ErrorBody),
        (status = 422, description = "A bad filter (group, host or severity; a reversed range), or too many rows for JSON or PDF (`report_too_large`)", body = ErrorBody),
    )
)]
pub async fn audit_report(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ReportParams>,
) -> ApiResult<Response> {
    caller.require_read_all()?;
    for (field, given) in [
        ("group", params.group.is_some()),
        ("host", params.host.is_some()),
        ("severity", params.severity.is_some()),
    ] {
        if given {
            return Err(ApiError::invalid_field(
                field,
                "the audit report is filtered by since and until only",
            ));
        }
    }
    let request = resolve(&state, &caller, &params, Kind::Audit).await?;
    let filter = AuditFilter {
        since: request.filters.from,
        until: request.filters.until,
        ..AuditFilter::default()
    };
    if request.format == ReportFormat::Csv {
        record_download(&state, &caller, &request).await?;
        let store = state.store.clone();
        let runtime = tokio::runtime::Handle::current();
        return Ok(stream_csv(&request.filename(), move |out| {
            let mut csv = CsvWriter::<_, AuditRow>::new(out)?;
            let mut after = 0;
            loop {
                let page = runtime
                    .block_on(store.audit_rows_after(&filter, after, AUDIT_PAGE))
                    .map_err(|e| ReportError::Io(std::io::Error::other(e.to_string())))?;
                let Some(last) = page.last() else { break };
                after = last.id;
                for record in page {
                    csv.push(&audit_row(record))?;
                }
            }
            let rows = csv.rows();
            csv.finish()?;
            Ok(rows)
        }));
    }
    let total = state
        .store
        .list_audit(&filter, PageRequest::new(1, 1)?)
        .await?
        .total;
    if total > MAX_AUDIT_ROWS_IN_MEMORY {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "report_too_large",
            format!(
                "{total} audit rows match; a JSON or PDF report holds at most \
                 {MAX_AUDIT_ROWS_IN_MEMORY}. Narrow since/until, or download the CSV."
            ),
        ));
    }
    let chain = chain_status(&state.store).await?;
    let mut rows = Vec::new();
    let mut after = 0;
    loop {
        let page = state
            .store
            .audit_rows_after(&filter, after, AUDIT_PAGE)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        rows.extend(page.into_iter().map(audit_row));
    }
    let report = AuditReport::new(request.meta(), chain, rows);
    deliver(&state, &caller, &request, report).await
}

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(compliance_report))
        .routes(routes!(patch_history_report))
        .routes(routes!(vulnerability_report))
        .routes(routes!(audit_report))
}

/// A validated report request.
struct Request {
    kind: Kind,
    format: ReportFormat,
    now: DateTime<Utc>,
    requested_by: String,
    selection: HostSelection,
    /// As the cover states them (group and host names).
    filters: ReportFilters,
    /// As the audit row records them (ids).
    audited: serde_json::Value,
}

impl Request {
    fn meta(&self) -> ReportMeta {
        ReportMeta::new(self.now)
            .by(self.requested_by.clone())
            .with_filters(self.filters.clone())
    }

    fn filename(&self) -> String {
        format!(
            "{}-{}.{}",
            self.kind.as_str(),
            self.now.format("%Y%m%dT%H%M%SZ"),
            self.format.as_str()
        )
    }
}

/// Checks the filters against the caller's scope: a group or host the caller cannot reach
/// is refused exactly like one that does not exist.
async fn resolve(
    state: &AppState,
    caller: &Caller,
    params: &ReportParams,
    kind: Kind,
) -> ApiResult<Request> {
    if let (Some(since), Some(until)) = (params.since, params.until)
        && since >= until
    {
        return Err(ApiError::invalid_field("until", "must be after since"));
    }
    let group_ids = params.group.clone().unwrap_or_default();
    let host_ids = params.host.clone().unwrap_or_default();
    for (field, count) in [("group", group_ids.len()), ("host", host_ids.len())] {
        if count > MAX_LISTED {
            return Err(ApiError::invalid_field(
                field,
                format!("at most {MAX_LISTED} ids; select by group instead"),
            ));
        }
    }
    let mut selection = HostSelection::default();
    let mut group_names = Vec::new();
    if !group_ids.is_empty() {
        let groups = state.store.list_groups().await?;
        for raw in &group_ids {
            let found = GroupId::new(*raw)
                .ok()
                .filter(|id| caller.scope.reaches_group(*id))
                .and_then(|id| groups.iter().find(|g| g.id == id));
            let group = found.ok_or_else(|| {
                ApiError::invalid_field("group", format!("no group {raw} you can access"))
            })?;
            if !selection.groups.contains(&group.id) {
                selection.groups.push(group.id);
                group_names.push(group.name.as_str().to_owned());
            }
        }
    }
    let mut host_names = Vec::new();
    for raw in &host_ids {
        let missing = || ApiError::invalid_field("host", format!("no host {raw} you can access"));
        let id = HostId::new(*raw).map_err(|_| missing())?;
        let host = match state.store.get_host(&caller.scope, id).await {
            Ok(host) => host,
            Err(lpm_store::StoreError::NotFound { .. }) => return Err(missing()),
            Err(e) => return Err(e.into()),
        };
        if !selection.hosts.contains(&id) {
            selection.hosts.push(id);
            let name = match (host.address.fqdn(), host.address.ip()) {
                (Some(fqdn), _) => fqdn.as_str().to_owned(),
                (None, Some(ip)) => ip.to_string(),
                (None, None) => raw.to_string(),
            };
            host_names.push(name);
        }
    }
    let mut severities = params.severity.clone().unwrap_or_default();
    severities.sort();
    severities.dedup();
    let format = params.format.unwrap_or_default();
    let audited = serde_json::json!({
        "format": format.as_str(),
        "group": group_ids,
        "host": host_ids,
        "severity": severities,
        "since": params.since,
        "until": params.until,
    });
    Ok(Request {
        kind,
        format,
        now: state.clock.now(),
        requested_by: caller.user.username.as_str().to_owned(),
        selection,
        filters: ReportFilters {
            groups: group_names,
            hosts: host_names,
            severities,
            from: params.since,
            until: params.until,
        },
        audited,
    })
}

async fn record_download(state: &AppState, caller: &Caller, request: &Request) -> ApiResult<()> {
    let entry = caller
        .actor
        .entry("report.downloaded", "report", request.kind.as_str())
        .details(request.audited.clone());
    state.store.audit(&entry, state.clock.now()).await?;
    Ok(())
}

/// A report in the three forms lpm-reports renders.
trait Rendered: Serialize + Send + 'static {
    fn csv<W: Write>(&self, out: W) -> Result<u64, ReportError>;
    fn pdf(&self) -> Result<Vec<u8>, ReportError>;
}

macro_rules! rendered {
    ($($report:ty),*) => {$(
        impl Rendered for $report {
            fn csv<W: Write>(&self, out: W) -> Result<u64, ReportError> {
                self.write_csv(out)
            }
            fn pdf(&self) -> Result<Vec<u8>, ReportError> {
                self.to_pdf()
            }
        }
    )*};
}

rendered!(
    ComplianceReport,
    PatchHistoryReport,
    VulnerabilityReport,
    AuditReport
);

/// Records the download and answers the report in the requested format.
async fn deliver<R: Rendered>(
    state: &AppState,
    caller: &Caller,
    request: &Request,
    report: R,
) -> ApiResult<Response> {
    match request.format {
        ReportFormat::Json => {
            record_download(state, caller, request).await?;
            Ok(Json(report).into_response())
        }
        ReportFormat::Csv => {
            record_download(state, caller, request).await?;
            Ok(stream_csv(&request.filename(), move |out| report.csv(out)))
        }
        ReportFormat::Pdf => {
            // Laying out a PDF is CPU work: keep it off the async workers.
            let pdf = tokio::task::spawn_blocking(move || report.pdf())
                .await
                .map_err(ApiError::internal)?
                .map_err(ApiError::internal)?;
            record_download(state, caller, request).await?;
            let mut response = pdf.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            );
            attachment(&mut response, &request.filename());
            Ok(response)
        }
    }
}

fn attachment(response: &mut Response, filename: &str) {
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
}

/// An [`std::io::Write`] that hands each write to the response body as one chunk, waiting
/// while the connection is behind (so memory holds at most a few chunks).
struct ChannelWriter {
    chunks: mpsc::Sender<Result<Bytes, std::io::Error>>,
}

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.chunks
            .blocking_send(Ok(Bytes::copy_from_slice(buf)))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away"))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A CSV attachment whose body `produce` writes on a blocking thread as the client reads it.
/// A failure after the first byte can only cut the body short: it is logged, and the client
/// sees an incomplete transfer rather than a truncated file passed off as whole.
fn stream_csv<F>(filename: &str, produce: F) -> Response
where
    F: FnOnce(ChannelWriter) -> Result<u64, ReportError> + Send + 'static,
{
    let (chunks, mut body) = mpsc::channel(STREAM_CHUNKS);
    let failure = chunks.clone();
    tokio::task::spawn_blocking(move || {
        if let Err(e) = produce(ChannelWriter { chunks }) {
            let gone =
                matches!(&e, ReportError::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe);
            if !gone {
                tracing::error!(error = %e, "a streamed report failed");
                let _ = failure.blocking_send(Err(std::io::Error::other("report failed")));
            }
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| body.poll_recv(cx));
    let mut response = Body::from_stream(stream).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    attachment(&mut response, filename);
    response
}

fn host_compliance(state: HostPatchState, severities: &[Severity]) -> HostCompliance {
    let mut host = HostCompliance::new(state.name);
    host.groups = state.groups;
    host.os = state.os_name;
    let mut pending = SeverityCounts::default();
    let mut security = 0u32;
    for (severity, count) in &state.pending {
        if severities.is_empty() || severities.contains(severity) {
            pending.add(*severity, count.updates);
            security += count.security;
        }
    }
    host.pending = pending;
    host.security_patches = security;
    host.reboot_required = state.reboot_required;
    host.last_successful_poll = state.last_patch_poll_at;
    host.unreachable = state.status == HostStatus::Unreachable;
    host
}

fn job_record(job: JobHistoryRecord) -> JobRecord {
    let job_state = job.state;
    JobRecord {
        id: job.job,
        kind: job.kind,
        started_by: job.started_by,
        created_at: job.created_at,
        finished_at: Some(job.finished_at),
        state: job.state,
        rollback_of: job.rollback_of,
        hosts: job
            .hosts
            .into_iter()
            .map(|h| JobHostRecord {
                host: h
                    .name
                    .unwrap_or_else(|| format!("host {} (deleted)", h.host.get())),
                // Once the per-host detail is pruned only the changes remain: the job's
                // outcome stands for its hosts.
                state: h.state.unwrap_or(match job_state {
                    JobState::Failed => JobHostState::Failed,
                    JobState::Cancelled => JobHostState::Cancelled,
                    _ => JobHostState::Succeeded,
                }),
                changes: h.changes,
                error: h.error,
            })
            .collect(),
    }
}

fn audit_row(record: AuditRecord) -> AuditRow {
    let target = match &record.target_id {
        Some(id) => format!("{}:{id}", record.target_type),
        None => record.target_type.clone(),
    };
    let mut row = AuditRow::new(record.id, record.at, &record.actor, &record.action)
        .target(target)
        .details(record.details);
    if let Some(ip) = record.ip {
        row = row.ip(ip);
    }
    row
}

async fn chain_status(store: &Store) -> ApiResult<ChainStatus> {
    let verified = store.verify_audit().await?;
    Ok(match verified.first_broken {
        None => ChainStatus::Intact {
            rows_checked: verified.rows_checked,
        },
        Some(broken) => ChainStatus::Broken {
            first_broken_id: broken.id,
            kind: match broken.kind {
                lpm_store::audit::BreakKind::ContentsChanged => BreakKind::ContentsChanged,
                lpm_store::audit::BreakKind::LinkBroken => BreakKind::LinkBroken,
                lpm_store::audit::BreakKind::RowsMissing => BreakKind::RowsMissing,
                lpm_store::audit::BreakKind::Truncated => BreakKind::Truncated,
            },
        },
    })
}

// What the JSON forms look like, for the OpenAPI document. lpm-reports serializes the reports
// and knows nothing of OpenAPI; these types only describe that output (a test checks real
// reports against them).

/// A PDF file.
#[derive(Debug, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct PdfDocument(pub Vec<u8>);

/// Who asked for a report, when, and with which filters.
#[derive(Debug, ToSchema)]
pub struct ReportMetaDoc {
    /// When it was generated.
    pub generated_at: DateTime<Utc>,
    /// Who asked for it.
    pub generated_by: Option<String>,
    /// The filters it was produced with.
    pub filters: ReportFiltersDoc,
}

/// The filters a report was produced with (names, not ids).
#[derive(Debug, ToSchema)]
pub struct ReportFiltersDoc {
    /// Group names (empty: all).
    pub groups: Vec<String>,
    /// Host names (empty: all).
    pub hosts: Vec<String>,
    /// Severities (empty: all).
    pub severities: Vec<Severity>,
    /// From (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Until (exclusive).
    pub until: Option<DateTime<Utc>>,
}

/// Counts by severity.
#[derive(Debug, ToSchema)]
pub struct SeverityCountsDoc {
    /// Critical.
    pub critical: u32,
    /// Important.
    pub important: u32,
    /// Moderate.
    pub moderate: u32,
    /// Low.
    pub low: u32,
    /// Not rated.
    pub unknown: u32,
}

/// The compliance report.
#[derive(Debug, ToSchema)]
pub struct ComplianceReportDoc {
    /// When, by whom, with which filters.
    pub meta: ReportMetaDoc,
    /// Fleet-wide figures.
    pub fleet: FleetComplianceDoc,
    /// One entry per host, by name.
    pub hosts: Vec<HostComplianceDoc>,
}

/// Fleet-wide compliance figures.
#[derive(Debug, ToSchema)]
pub struct FleetComplianceDoc {
    /// Hosts covered.
    pub hosts: u32,
    /// Reachable, polled, nothing pending.
    pub fully_patched: u32,
    /// `fully_patched / hosts` in percent; `null` without hosts.
    pub percent_fully_patched: Option<f64>,
    /// Hosts whose retries are exhausted.
    pub unreachable: u32,
    /// Hosts never polled successfully.
    pub not_polled: u32,
    /// Hosts that need a reboot.
    pub reboot_required: u32,
    /// Pending updates by severity.
    pub pending: SeverityCountsDoc,
    /// Pending security updates.
    pub security_patches: u64,
    /// Hosts by their most severe pending update.
    pub hosts_by_worst_severity: SeverityCountsDoc,
    /// Per group (a host in several groups counts in each; `(ungrouped)` for none).
    pub by_group: Vec<GroupComplianceDoc>,
}

/// One group's compliance figures.
#[derive(Debug, ToSchema)]
pub struct GroupComplianceDoc {
    /// The group's name.
    pub group: String,
    /// Hosts.
    pub hosts: u32,
    /// Fully patched hosts.
    pub fully_patched: u32,
    /// In percent.
    pub percent_fully_patched: Option<f64>,
    /// Unreachable hosts.
    pub unreachable: u32,
    /// Pending updates by severity.
    pub pending: SeverityCountsDoc,
}

/// One host's compliance.
#[derive(Debug, ToSchema)]
pub struct HostComplianceDoc {
    /// Its name.
    pub name: String,
    /// Its groups' names.
    pub groups: Vec<String>,
    /// Operating system.
    pub os: Option<String>,
    /// Pending updates by severity.
    pub pending: SeverityCountsDoc,
    /// Pending security updates.
    pub security_patches: u32,
    /// A reboot is pending.
    pub reboot_required: bool,
    /// Last successful patch poll.
    pub last_successful_poll: Option<DateTime<Utc>>,
    /// Retries exhausted.
    pub unreachable: bool,
}

/// The patch-history report.
#[derive(Debug, ToSchema)]
pub struct PatchHistoryReportDoc {
    /// When, by whom, with which filters.
    pub meta: ReportMetaDoc,
    /// Figures over all jobs.
    pub summary: HistorySummaryDoc,
    /// For each rolled-back job id, the rollback jobs that undid it.
    pub rolled_back_by: HashMap<String, Vec<i64>>,
    /// The jobs, newest first.
    pub jobs: Vec<JobRecordDoc>,
}

/// Figures over all jobs of a patch-history report.
#[derive(Debug, ToSchema)]
pub struct HistorySummaryDoc {
    /// Jobs.
    pub jobs: u64,
    /// Jobs by state word.
    pub by_state: BTreeMap<String, u64>,
    /// Package changes.
    pub changes: u64,
    /// Changes by action word.
    pub by_action: BTreeMap<String, u64>,
    /// Rollback jobs.
    pub rollbacks: u64,
    /// Distinct hosts touched.
    pub hosts: u64,
    /// `day` or `week`.
    pub trend_period: String,
    /// Changes and jobs per period.
    pub trend: Vec<TrendPointDoc>,
}

/// One period of the trend.
#[derive(Debug, ToSchema)]
pub struct TrendPointDoc {
    /// First day of the period.
    pub start: NaiveDate,
    /// Package changes.
    pub changes: u64,
    /// Jobs.
    pub jobs: u64,
}

/// One finished job.
#[derive(Debug, ToSchema)]
pub struct JobRecordDoc {
    /// The job id.
    pub id: i64,
    /// What it did.
    pub kind: JobKind,
    /// Who started it.
    pub started_by: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it finished.
    pub finished_at: Option<DateTime<Utc>>,
    /// How it ended.
    pub state: JobState,
    /// The job it rolled back.
    pub rollback_of: Option<i64>,
    /// Its hosts the caller may see.
    pub hosts: Vec<JobHostRecordDoc>,
}

/// One host's part in a job.
#[derive(Debug, ToSchema)]
pub struct JobHostRecordDoc {
    /// The host's name.
    pub host: String,
    /// How it ended.
    pub state: JobHostState,
    /// Package changes.
    pub changes: Vec<PackageChangeDoc>,
    /// The error, when it failed.
    pub error: Option<String>,
}

/// One package change.
#[derive(Debug, ToSchema)]
pub struct PackageChangeDoc {
    /// Package name.
    pub package: String,
    /// Version before.
    pub from: Option<String>,
    /// Version after.
    pub to: Option<String>,
    /// What happened.
    pub action: lpm_core::agent::ChangeAction,
}

/// The vulnerability report.
#[derive(Debug, ToSchema)]
pub struct VulnerabilityReportDoc {
    /// When, by whom, with which filters.
    pub meta: ReportMetaDoc,
    /// Open CVEs by severity.
    pub open_cves_by_severity: SeverityCountsDoc,
    /// Open (host, CVE) findings.
    pub open_findings: u64,
    /// Hosts with an open finding.
    pub affected_hosts: u64,
    /// Time to patch per severity.
    pub time_to_patch: Vec<TimeToPatchDoc>,
    /// One entry per CVE.
    pub cves: Vec<CveSummaryDoc>,
    /// Every finding.
    pub findings: Vec<CveFindingDoc>,
}

/// Time from first seen to fixed, for one severity (nearest-rank percentiles).
#[derive(Debug, ToSchema)]
pub struct TimeToPatchDoc {
    /// The severity.
    pub severity: Severity,
    /// Fixed findings measured.
    pub fixed: u32,
    /// Findings still open.
    pub open: u32,
    /// Median, days.
    pub median_days: Option<f64>,
    /// 90th percentile, days.
    pub p90_days: Option<f64>,
}

/// One CVE across hosts.
#[derive(Debug, ToSchema)]
pub struct CveSummaryDoc {
    /// The CVE id.
    pub cve: String,
    /// Its most severe rating.
    pub severity: Severity,
    /// Advisories.
    pub advisories: Vec<String>,
    /// Hosts where it is open.
    pub affected_hosts: Vec<String>,
    /// Hosts where it was fixed.
    pub fixed_hosts: u32,
    /// When it was first seen anywhere.
    pub first_seen: DateTime<Utc>,
    /// Days its oldest open finding has been open; `null` when fixed everywhere.
    pub age_days: Option<i64>,
}

/// One host's finding of one CVE.
#[derive(Debug, ToSchema)]
pub struct CveFindingDoc {
    /// The host's name.
    pub host: String,
    /// The CVE id.
    pub cve: String,
    /// Its severity.
    pub severity: Severity,
    /// Advisories.
    pub advisories: Vec<String>,
    /// First seen on the host.
    pub first_seen: DateTime<Utc>,
    /// Seen fixed.
    pub fixed_at: Option<DateTime<Utc>>,
}

/// The audit report.
#[derive(Debug, ToSchema)]
pub struct AuditReportDoc {
    /// When, by whom, with which filters.
    pub meta: ReportMetaDoc,
    /// The hash chain's verification.
    pub chain: ChainStatusDoc,
    /// The rows, oldest first.
    pub rows: Vec<AuditRowDoc>,
}

/// The result of verifying the audit hash chain.
#[derive(Debug, ToSchema)]
pub struct ChainStatusDoc {
    /// `intact`, `broken` or `not_verified`.
    pub status: String,
    /// Rows verified (intact).
    pub rows_checked: Option<u64>,
    /// The first broken row (broken).
    pub first_broken_id: Option<i64>,
    /// What is wrong there (broken): `contents_changed`, `link_broken`, `rows_missing`,
    /// `truncated`.
    pub kind: Option<String>,
}

/// One audit row.
#[derive(Debug, ToSchema)]
pub struct AuditRowDoc {
    /// Position in the chain.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// What happened.
    pub action: String,
    /// What it was done to, `type:id`.
    pub target: Option<String>,
    /// The client address.
    pub ip: Option<String>,
    /// Details, compact JSON.
    pub details: String,
}
