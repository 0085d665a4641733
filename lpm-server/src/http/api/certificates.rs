//! The internal CA over HTTP: the root certificate and the CRL (public, unauthenticated), the
//! registry of issued certificates, agent bundles for hosts, renewal and revocation.
//!
//! lpm-ca does the cryptography; the `certificates` table is the registry. Agent private keys
//! are never stored: every bundle download issues a fresh certificate and key, records the
//! certificate and audits who took it (`certificate.issued`, purpose `bundle download`), and
//! answers with `Cache-Control: no-store`. Each revocation rewrites the CRL into
//! `DATA/ca/crl.pem`, the CA directory's CRL that `lpm-server sim` honours.

use std::net::IpAddr;
use std::path::Path as FsPath;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use lpm_ca::time::OffsetDateTime;
use lpm_ca::{Ca, CaError, CertInfo, RevocationReason, RevokedEntry, normalize_serial};
use lpm_core::ids::HostId;
use lpm_store::certificates::{
    CertificateQuery, CertificateRecord, CertificateSort, NewCertificate,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::id_or_404;
use super::{ApiPath, Caller, PageParams, Paged, parse_sort};
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiJson, ApiQuery, ApiResult, AppState};

/// The media type of PEM downloads, what browsers and desktops file as a certificate.
const PEM: &str = "application/x-pem-file";

/// The media type of a PEM download for a client that asks for text (`Accept: text/plain`):
/// PEM is plain ASCII text, and generated API clients read `text/*` as a string where they
/// know nothing of `application/x-pem-file`.
const PEM_AS_TEXT: &str = "text/plain; charset=utf-8";

/// How long a published CRL stays current (its `nextUpdate`). `GET /api/v1/ca/crl.pem` always
/// answers a fresh one; the file is rewritten at every revocation.
const CRL_VALIDITY_DAYS: i64 = 30;

/// The CRL file in the CA directory of the data directory.
const CRL_FILE: &str = "crl.pem";

/// What a certificate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CertificatePurpose {
    /// The CA's own root certificate.
    Root,
    /// The manager's TLS client certificate for calls to agents.
    ManagerClient,
    /// An agent's TLS server certificate.
    AgentServer,
    /// The web UI's TLS server certificate.
    WebServer,
}

impl CertificatePurpose {
    fn as_str(self) -> &'static str {
        match self {
            CertificatePurpose::Root => "root",
            CertificatePurpose::ManagerClient => "manager_client",
            CertificatePurpose::AgentServer => "agent_server",
            CertificatePurpose::WebServer => "web_server",
        }
    }

    fn from_word(word: &str) -> Option<Self> {
        [
            CertificatePurpose::Root,
            CertificatePurpose::ManagerClient,
            CertificatePurpose::AgentServer,
            CertificatePurpose::WebServer,
        ]
        .into_iter()
        .find(|p| p.as_str() == word)
    }
}

/// Why a certificate was revoked (RFC 5280 reason codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RevocationReasonView {
    /// No reason given.
    Unspecified,
    /// The private key was, or may have been, disclosed.
    KeyCompromise,
    /// The CA key was, or may have been, disclosed.
    CaCompromise,
    /// The subject's name or other information changed.
    AffiliationChanged,
    /// A new certificate replaces this one.
    Superseded,
    /// The host was retired.
    CessationOfOperation,
    /// Temporarily on hold.
    CertificateHold,
    /// The privilege the certificate carried was withdrawn.
    PrivilegeWithdrawn,
}

impl From<RevocationReasonView> for RevocationReason {
    fn from(r: RevocationReasonView) -> Self {
        match r {
            RevocationReasonView::Unspecified => RevocationReason::Unspecified,
            RevocationReasonView::KeyCompromise => RevocationReason::KeyCompromise,
            RevocationReasonView::CaCompromise => RevocationReason::CaCompromise,
            RevocationReasonView::AffiliationChanged => RevocationReason::AffiliationChanged,
            RevocationReasonView::Superseded => RevocationReason::Superseded,
            RevocationReasonView::CessationOfOperation => RevocationReason::CessationOfOperation,
            RevocationReasonView::CertificateHold => RevocationReason::CertificateHold,
            RevocationReasonView::PrivilegeWithdrawn => RevocationReason::PrivilegeWithdrawn,
        }
    }
}

impl RevocationReasonView {
    /// The word stored in the registry (lpm-ca's serde name).
    fn word(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "unspecified".to_owned())
    }

    /// A stored reason; text that is not one of the words (recorded by other tools) reads as
    /// `unspecified`.
    fn from_stored(word: &str) -> Self {
        serde_json::from_value(serde_json::Value::String(word.to_owned()))
            .unwrap_or(RevocationReasonView::Unspecified)
    }
}

/// A certificate in the registry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CertificateView {
    /// Serial number: upper-case hex without separators.
    pub serial: String,
    /// What it is for.
    pub purpose: CertificatePurpose,
    /// The host an agent certificate was issued for (`null` once the host is deleted).
    pub host_id: Option<i64>,
    /// Subject common name.
    pub subject: String,
    /// Subject alternative names: DNS names and IP addresses.
    pub sans: Vec<String>,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity.
    pub not_after: DateTime<Utc>,
    /// SHA-256 of the DER, 64 lower-case hex digits.
    pub sha256_fingerprint: String,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why it was revoked.
    pub revocation_reason: Option<RevocationReasonView>,
}

impl CertificateView {
    fn from_record(record: CertificateRecord) -> ApiResult<Self> {
        let cert = record.certificate;
        let purpose = CertificatePurpose::from_word(&cert.kind)
            .ok_or_else(|| ApiError::internal(format!("certificate kind {:?}", cert.kind)))?;
        Ok(Self {
            serial: cert.serial,
            purpose,
            host_id: cert.host.map(HostId::get),
            subject: cert.subject,
            sans: cert.sans,
            not_before: cert.not_before,
            not_after: cert.not_after,
            sha256_fingerprint: cert.fingerprint,
            issued_at: record.issued_at,
            revoked_at: record.revoked_at,
            revocation_reason: record
                .revocation_reason
                .as_deref()
                .map(RevocationReasonView::from_stored),
        })
    }
}

/// What a server administrator installs on one managed host. Save the three PEM texts as the
/// agent's `ca.crt` (`ca_pem`: the root, which also checks the manager's client
/// certificate), `agent.crt` (`cert_pem`) and `agent.key` (`key_pem`, mode 0600). The key
/// exists only in this answer: the manager keeps no copy.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CertificateBundleView {
    /// The new certificate as recorded.
    pub certificate: CertificateView,
    /// The CA certificate, PEM (`ca.crt`).
    pub ca_pem: String,
    /// The agent's server certificate, PEM (`agent.crt`).
    pub cert_pem: String,
    /// The agent's private key, PKCS#8 PEM (`agent.key`, mode 0600).
    pub key_pem: String,
}

/// Filters and order of the certificate list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CertificateFilters {
    /// Only certificates for this purpose.
    pub purpose: Option<CertificatePurpose>,
    /// Only certificates of this host.
    pub host: Option<i64>,
    /// `true`: only revoked certificates; `false`: only those not revoked; absent: both.
    pub revoked: Option<bool>,
    /// Only certificates that expire within this many days (expired ones included).
    #[param(minimum = 0, maximum = 36500)]
    pub expiring_within_days: Option<u32>,
    /// `not_after` (default) or `issued`; a leading `-` sorts descending.
    pub sort: Option<String>,
}

/// A revocation.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct RevokeRequest {
    /// Why (default: no reason given).
    pub reason: Option<RevocationReasonView>,
}

/// The root (CA) certificate, PEM: what agents and browsers install as trust anchor. Public.
#[utoipa::path(
    get,
    path = "/api/v1/ca/root.crt",
    tag = "certificates",
    operation_id = "get_root_certificate",
    security(),
    responses(
        (status = 200, description = "The root certificate (`text/plain` when `Accept` names it and not `application/x-pem-file`)", content(
            (String = "application/x-pem-file"),
            (String = "text/plain"),
        )),
        (status = 403, description = "The client address is outside the IP allowlist", body = ErrorBody),
        (status = 503, description = "This server holds no CA", body = ErrorBody),
    )
)]
pub async fn root_certificate(
    State(state): State<AppState>,
    request: HeaderMap,
) -> ApiResult<Response> {
    let ca = ca_of(&state)?;
    Ok(pem_download(
        &request,
        ca.root_pem().to_owned(),
        "lpm-root-ca.crt",
    ))
}

/// The current certificate revocation list, PEM, signed by the CA. Public.
#[utoipa::path(
    get,
    path = "/api/v1/ca/crl.pem",
    tag = "certificates",
    operation_id = "get_crl",
    security(),
    responses(
        (status = 200, description = "The CRL (`text/plain` when `Accept` names it and not `application/x-pem-file`)", content(
            (String = "application/x-pem-file"),
            (String = "text/plain"),
        )),
        (status = 403, description = "The client address is outside the IP allowlist", body = ErrorBody),
        (status = 503, description = "This server holds no CA", body = ErrorBody),
    )
)]
pub async fn crl(State(state): State<AppState>, request: HeaderMap) -> ApiResult<Response> {
    let ca = ca_of(&state)?;
    let pem = current_crl(&state, ca).await?;
    Ok(pem_download(&request, pem, "lpm-crl.pem"))
}

/// Lists the certificates the caller can see: an admin every one, an operator those of the
/// hosts they reach.
#[utoipa::path(
    get,
    path = "/api/v1/certificates",
    tag = "certificates",
    operation_id = "list_certificates",
    params(PageParams, CertificateFilters),
    responses(
        (status = 200, description = "A page of certificates", body = Paged<CertificateView>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "A bad filter or page", body = ErrorBody),
    )
)]
pub async fn list_certificates(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(paging): ApiQuery<PageParams>,
    ApiQuery(filters): ApiQuery<CertificateFilters>,
) -> ApiResult<Json<Paged<CertificateView>>> {
    let (sort, direction) =
        parse_sort(
            filters.sort.as_deref(),
            "not_after, issued",
            |field| match field {
                "not_after" => Some(CertificateSort::NotAfter),
                "issued" => Some(CertificateSort::Issued),
                _ => None,
            },
        )?;
    let expiring_before = filters
        .expiring_within_days
        .map(|days| {
            state
                .clock
                .now()
                .checked_add_signed(Duration::days(i64::from(days)))
                .filter(|_| days <= 36_500)
                .ok_or_else(|| {
                    ApiError::invalid_field("expiring_within_days", "at most 36500 days")
                })
        })
        .transpose()?;
    let query = CertificateQuery {
        kind: filters.purpose.map(|p| p.as_str().to_owned()),
        host: filters
            .host
            .map(|h| HostId::new(h).map_err(|e| ApiError::invalid_field("host", e.to_string())))
            .transpose()?,
        expiring_before,
        revoked: filters.revoked,
        sort,
        direction,
    };
    let page = state
        .store
        .list_certificates(&caller.scope, &query, paging.request()?)
        .await?;
    Ok(Json(Paged::try_from_page(
        page,
        CertificateView::from_record,
    )?))
}

/// The host's current agent certificate (the newest one not revoked), PEM. The download is
/// audited (`certificate.downloaded`).
#[utoipa::path(
    get,
    path = "/api/v1/hosts/{id}/client.crt",
    tag = "certificates",
    operation_id = "get_host_certificate",
    params(("id" = i64, Path, description = "Host id")),
    responses(
        (status = 200, description = "The certificate (`text/plain` when `Accept` names it and not `application/x-pem-file`)", content(
            (String = "application/x-pem-file"),
            (String = "text/plain"),
        )),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such host in the caller's scope, or it has no certificate yet", body = ErrorBody),
    )
)]
pub async fn host_certificate(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    request: HeaderMap,
) -> ApiResult<Response> {
    let id = id_or_404(id, "host", HostId::new)?;
    let record = state
        .store
        .current_host_certificate(&caller.scope, id)
        .await?;
    let Some((serial, pem)) = record.and_then(|r| {
        let pem = r.certificate.cert_pem?;
        Some((r.certificate.serial, pem))
    }) else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "certificate_not_found",
            "This host has no certificate yet: download a certificate bundle to issue one.",
        ));
    };
    let entry = caller
        .actor
        .entry("certificate.downloaded", "certificate", &serial)
        .details(serde_json::json!({ "host": id.get() }));
    state.store.audit(&entry, state.clock.now()).await?;
    Ok(pem_download(
        &request,
        pem,
        &format!("host-{}-agent.crt", id.get()),
    ))
}

/// Issues a fresh agent certificate and key for a host (names from its FQDN and address) and
/// answers the bundle the agent installs. The certificate is recorded and the issue audited
/// (who, when, serial; never the key). Each call issues a new certificate.
#[utoipa::path(
    post,
    path = "/api/v1/hosts/{id}/certificate-bundle",
    tag = "certificates",
    operation_id = "issue_certificate_bundle",
    params(("id" = i64, Path, description = "Host id")),
    responses(
        (status = 201, description = "The new certificate, its key and the CA certificate", body = CertificateBundleView,
            headers(("Cache-Control" = String, description = "`no-store`: the key must not be cached"))),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such host in the caller's scope", body = ErrorBody),
        (status = 422, description = "The host's name cannot go into a certificate", body = ErrorBody),
        (status = 503, description = "This server holds no CA", body = ErrorBody),
    )
)]
pub async fn issue_bundle(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    let id = id_or_404(id, "host", HostId::new)?;
    let host = state.store.get_host(&caller.scope, id).await?;
    let ca = ca_of(&state)?;
    let now = state.clock.now();
    let fqdn = host.address.fqdn().map(|f| f.as_str().to_owned());
    let ip: Option<IpAddr> = host.address.ip();
    let bundle = ca
        .agent_bundle(fqdn.as_deref(), ip, to_offset(now)?)
        .map_err(ca_error)?;
    let record = new_certificate(&bundle.info, Some(id), &bundle.agent_cert_pem)?;
    state
        .store
        .record_certificate(&record, "bundle download", &caller.actor, now)
        .await?;
    let certificate = state
        .store
        .get_certificate(&caller.scope, &record.serial)
        .await?;
    bundle_response(BundleParts {
        certificate,
        ca_pem: bundle.ca_cert_pem,
        cert_pem: bundle.agent_cert_pem,
        key_pem: bundle.agent_key_pem.expose_secret().to_owned(),
    })
}

/// Renews an agent certificate (admin): a new key and serial with the same names, answered as
/// a bundle like a download. The old certificate stays valid until it expires or is revoked
/// (revoke it with reason `superseded` once the new one is installed).
#[utoipa::path(
    post,
    path = "/api/v1/certificates/{serial}/renew",
    tag = "certificates",
    operation_id = "renew_certificate",
    params(("serial" = String, Path, description = "Serial in hex, with or without colons, any case")),
    responses(
        (status = 201, description = "The new certificate, its key and the CA certificate", body = CertificateBundleView,
            headers(("Cache-Control" = String, description = "`no-store`: the key must not be cached"))),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Only an admin may renew", body = ErrorBody),
        (status = 404, description = "No such certificate", body = ErrorBody),
        (status = 409, description = "Revoked, not an agent certificate, or not issued by this CA", body = ErrorBody),
        (status = 503, description = "This server holds no CA", body = ErrorBody),
    )
)]
pub async fn renew_certificate(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(serial): ApiPath<String>,
) -> ApiResult<Response> {
    caller.require_admin()?;
    let serial = serial_or_404(&serial)?;
    let old = state.store.get_certificate(&caller.scope, &serial).await?;
    if old.revoked_at.is_some() {
        return Err(conflict(
            "certificate_revoked",
            "A revoked certificate is not renewed: download a new bundle for the host instead.",
        ));
    }
    if old.certificate.kind != CertificatePurpose::AgentServer.as_str() {
        return Err(conflict(
            "not_renewable",
            "Only agent certificates are renewed here; the manager's own certificates are \
             renewed on the manager host.",
        ));
    }
    let Some(old_pem) = old.certificate.cert_pem.as_deref() else {
        return Err(conflict(
            "certificate_unavailable",
            "The registry does not hold this certificate itself: download a new bundle for the \
             host instead.",
        ));
    };
    let ca = ca_of(&state)?;
    let now = state.clock.now();
    let issued = ca.renew(old_pem, to_offset(now)?).map_err(ca_error)?;
    let record = new_certificate(&issued.info, old.certificate.host, &issued.cert_pem)?;
    state
        .store
        .record_certificate(&record, &format!("renewal of {serial}"), &caller.actor, now)
        .await?;
    let certificate = state
        .store
        .get_certificate(&caller.scope, &record.serial)
        .await?;
    bundle_response(BundleParts {
        certificate,
        ca_pem: ca.root_pem().to_owned(),
        cert_pem: issued.cert_pem,
        key_pem: issued.key_pem.expose_secret().to_owned(),
    })
}

/// Revokes a certificate (admin) and publishes the new CRL (also written to
/// `DATA/ca/crl.pem`). Audited.
#[utoipa::path(
    post,
    path = "/api/v1/certificates/{serial}/revoke",
    tag = "certificates",
    operation_id = "revoke_certificate",
    params(("serial" = String, Path, description = "Serial in hex, with or without colons, any case")),
    request_body = RevokeRequest,
    responses(
        (status = 200, description = "The revoked certificate", body = CertificateView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Only an admin may revoke", body = ErrorBody),
        (status = 404, description = "No such certificate", body = ErrorBody),
        (status = 409, description = "Already revoked", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "An unknown reason", body = ErrorBody),
    )
)]
pub async fn revoke_certificate(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(serial): ApiPath<String>,
    ApiJson(request): ApiJson<RevokeRequest>,
) -> ApiResult<Json<CertificateView>> {
    let admin = caller.require_admin()?;
    let serial = serial_or_404(&serial)?;
    let reason = request.reason.map(RevocationReasonView::word);
    let now = state.clock.now();
    state
        .store
        .revoke_certificate(&admin, &serial, reason.as_deref(), &caller.actor, now)
        .await
        .map_err(|e| match e {
            lpm_store::StoreError::Conflict { .. } => conflict(
                "already_revoked",
                format!("Certificate {serial} is already revoked."),
            ),
            other => other.into(),
        })?;
    if let (Some(ca), Some(dir)) = (state.ca.as_deref(), state.data_dir.as_deref()) {
        // The revocation stands even if the file cannot be written; the endpoint still serves
        // a current CRL, and the next revocation rewrites the file.
        match current_crl(&state, ca).await {
            Ok(pem) => {
                if let Err(e) = write_crl(&dir.join("ca"), &pem).await {
                    tracing::error!(error = %e, dir = %dir.display(), "the CRL file was not rewritten");
                }
            }
            Err(e) => tracing::error!(error = %e.message, "the CRL was not rebuilt"),
        }
    }
    let record = state.store.get_certificate(&caller.scope, &serial).await?;
    Ok(Json(CertificateView::from_record(record)?))
}

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(root_certificate))
        .routes(routes!(crl))
        .routes(routes!(list_certificates))
        .routes(routes!(host_certificate))
        .routes(routes!(issue_bundle))
        .routes(routes!(renew_certificate))
        .routes(routes!(revoke_certificate))
}

fn ca_of(state: &AppState) -> ApiResult<&Ca> {
    state.ca.as_deref().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ca_unavailable",
            "This server holds no certificate authority; certificates are managed where the CA \
             key lives.",
        )
    })
}

fn conflict(code: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, code, message)
}

/// A serial from a path in the registry's form; one that cannot exist is a 404.
fn serial_or_404(raw: &str) -> ApiResult<String> {
    normalize_serial(raw).map_err(|_| ApiError::not_found("certificate"))
}

fn ca_error(err: CaError) -> ApiError {
    match err {
        CaError::InvalidName { .. }
        | CaError::InvalidIpAddress { .. }
        | CaError::NoSubjectAltName => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "certificate_name_invalid",
            format!("No certificate can be issued for this host: {err}."),
        ),
        CaError::NotIssuedByThisCa | CaError::NotRenewable { .. } => ApiError::new(
            StatusCode::CONFLICT,
            "not_renewable",
            format!("This certificate cannot be renewed: {err}."),
        ),
        CaError::CaExpired { .. } => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ca_unavailable",
            "The CA certificate has expired; create a new CA.",
        ),
        other => ApiError::internal(other),
    }
}

/// The CRL over every revoked serial, numbered so that it grows with time and, within one
/// second, with every revocation (RFC 5280 asks for increasing numbers; none is stored).
async fn current_crl(state: &AppState, ca: &Ca) -> ApiResult<String> {
    let revoked = state.store.revoked_certificates().await?;
    let now = state.clock.now();
    let entries = revoked
        .iter()
        .map(|(serial, at, reason)| {
            Ok(RevokedEntry {
                serial_hex: serial.clone(),
                revoked_at: to_offset(*at)?,
                reason: reason
                    .as_deref()
                    .map(|r| RevocationReasonView::from_stored(r).into()),
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let seconds = u64::try_from(now.timestamp()).unwrap_or(0);
    let crl_number = (seconds << 16) | (entries.len() as u64 & 0xffff);
    ca.crl(
        &entries,
        crl_number,
        to_offset(now)?,
        lpm_ca::time::Duration::days(CRL_VALIDITY_DAYS),
    )
    .map_err(ApiError::internal)
}

/// Writes the CRL into `ca_dir` atomically (a temporary file renamed over the old one), creating
/// the directory (mode 0700) if needed.
async fn write_crl(ca_dir: &FsPath, pem: &str) -> std::io::Result<()> {
    let mut builder = tokio::fs::DirBuilder::new();
    builder.recursive(true).mode(0o700);
    builder.create(ca_dir).await?;
    let tmp = ca_dir.join(format!(".{CRL_FILE}.tmp"));
    tokio::fs::write(&tmp, pem).await?;
    tokio::fs::rename(&tmp, ca_dir.join(CRL_FILE)).await
}

fn new_certificate(info: &CertInfo, host: Option<HostId>, pem: &str) -> ApiResult<NewCertificate> {
    let mut sans = info.dns_names.clone();
    sans.extend(info.ip_addresses.iter().map(IpAddr::to_string));
    Ok(NewCertificate {
        serial: info.serial.clone(),
        kind: info.kind.as_str().to_owned(),
        host,
        subject: info.subject_cn.clone(),
        sans,
        not_before: to_chrono(info.not_before)?,
        not_after: to_chrono(info.not_after)?,
        fingerprint: info.sha256_fingerprint.clone(),
        cert_pem: Some(pem.to_owned()),
    })
}

struct BundleParts {
    certificate: CertificateRecord,
    ca_pem: String,
    cert_pem: String,
    key_pem: String,
}

fn bundle_response(parts: BundleParts) -> ApiResult<Response> {
    let view = CertificateBundleView {
        certificate: CertificateView::from_record(parts.certificate)?,
        ca_pem: parts.ca_pem,
        cert_pem: parts.cert_pem,
        key_pem: parts.key_pem,
    };
    let mut response = (StatusCode::CREATED, Json(view)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// A PEM text as a file download, in the media type the request asks for.
fn pem_download(request: &HeaderMap, pem: String, filename: &str) -> Response {
    let media_type = if wants_text(request) {
        PEM_AS_TEXT
    } else {
        PEM
    };
    let mut response = pem.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// Whether the request's `Accept` names `text/plain` (or `text/*`) and not
/// `application/x-pem-file`. Quality values are not weighed: PEM is the same text under
/// either type, so `application/x-pem-file` stays the answer whenever the client names it.
fn wants_text(request: &HeaderMap) -> bool {
    let ranges: Vec<String> = request
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|range| {
            let media = range.split(';').next().unwrap_or_default();
            media.trim().to_ascii_lowercase()
        })
        .collect();
    let names = |media: &str| ranges.iter().any(|range| range == media);
    (names("text/plain") || names("text/*")) && !names(PEM)
}

fn to_offset(at: DateTime<Utc>) -> ApiResult<OffsetDateTime> {
    let nanos = at
        .timestamp_nanos_opt()
        .ok_or_else(|| ApiError::internal(format!("time {at} out of range")))?;
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(nanos)).map_err(ApiError::internal)
}

fn to_chrono(at: OffsetDateTime) -> ApiResult<DateTime<Utc>> {
    DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond())
        .ok_or_else(|| ApiError::internal(format!("time {at} out of range")))
}
