//! Runtime settings (`system_config`) as typed sections, for admins: read all at once or one
//! section at a time, replace a section with `PUT` (omitted fields take their defaults).
//!
//! The sections, their keys and bounds are [`crate::settings`]'s. A change is validated field
//! by field (422 naming every bad field) and audited by the store (`settings.changed`, old and
//! new values). An IP allowlist that would shut out the caller's own address is refused (409
//! `allowlist_excludes_caller`); an accepted one takes effect on the next request. Secrets are
//! only ever named by file path. `web_tls` and `auth` are read-only: the first comes from
//! `config.toml`, the second from `lpm-server admin calibrate`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Caller;
use crate::config::WebTls;
use crate::http::error::ErrorBody;
use crate::http::{ApiError, ApiJson, ApiResult, AppState};
use crate::settings::{
    Argon2Params, ConcurrencySettings, PollingSettings, Section, SecuritySettings, SettingsError,
    SmtpSettings, SsoSettings, load, save,
};

/// Every settings section.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SettingsView {
    /// Poll intervals.
    pub polling: PollingSettings,
    /// Concurrent agent calls.
    pub concurrency: ConcurrencySettings,
    /// The IP allowlist.
    pub security: SecuritySettings,
    /// The mail relay.
    pub smtp: SmtpSettings,
    /// Azure sign-in.
    pub sso: SsoSettings,
    /// The web certificate (read-only).
    pub web_tls: WebTlsView,
    /// Password hashing (read-only).
    pub auth: AuthView,
}

/// Where the web certificate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WebTlsStrategy {
    /// Issued and renewed by the internal CA.
    InternalCa,
    /// Files the operator supplies.
    Files,
}

/// The web certificate strategy from `config.toml` and the certificate in use (read-only).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebTlsView {
    /// The strategy.
    pub strategy: WebTlsStrategy,
    /// The certificate file, for the `files` strategy.
    pub cert_file: Option<String>,
    /// The key file, for the `files` strategy.
    pub key_file: Option<String>,
    /// What the certificate says, when it can be read.
    pub certificate: Option<WebCertificateView>,
}

/// What the web certificate says.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebCertificateView {
    /// Subject common name.
    pub subject: String,
    /// DNS names and IP addresses it is valid for.
    pub sans: Vec<String>,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity.
    pub not_after: DateTime<Utc>,
    /// SHA-256 of the DER, lower-case hex.
    pub sha256_fingerprint: String,
}

/// Password hashing as configured (read-only; `lpm-server admin calibrate` sets it).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuthView {
    /// Argon2id cost parameters for new hashes.
    pub argon2: Argon2View,
    /// Whether they were calibrated on this machine (else the SDD's starting point).
    pub calibrated: bool,
}

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct Argon2View {
    /// Memory, KiB.
    pub m_kib: u32,
    /// Iterations.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

/// Every section at once.
#[utoipa::path(
    get,
    path = "/api/v1/settings",
    tag = "settings",
    operation_id = "get_settings",
    responses(
        (status = 200, description = "Every section", body = SettingsView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither an admin nor an auditor", body = ErrorBody),
    )
)]
pub async fn get_settings(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<SettingsView>> {
    caller.require_read_all()?;
    let store = &state.store;
    Ok(Json(SettingsView {
        polling: load(store).await?,
        concurrency: load(store).await?,
        security: load(store).await?,
        smtp: load(store).await?,
        sso: load(store).await?,
        web_tls: web_tls_view(&state).await,
        auth: auth_view(&state).await?,
    }))
}

/// The poll intervals.
#[utoipa::path(
    get,
    path = "/api/v1/settings/polling",
    tag = "settings",
    operation_id = "get_polling_settings",
    responses(
        (status = 200, description = "The section", body = PollingSettings),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither an admin nor an auditor", body = ErrorBody),
    )
)]
pub async fn get_polling(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<PollingSettings>> {
    get_section(&state, &caller).await
}

/// Replaces the poll intervals (60 s to one day each). The worker applies them at its next
/// round.
#[utoipa::path(
    put,
    path = "/api/v1/settings/polling",
    tag = "settings",
    operation_id = "put_polling_settings",
    request_body = PollingSettings,
    responses(
        (status = 200, description = "The section as saved", body = PollingSettings),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Only an admin may change settings", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "Fields out of bounds, named in `details.fields`", body = ErrorBody),
    )
)]
pub async fn put_polling(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(section): ApiJson<PollingSettings>,
) -> ApiResult<Json<PollingSettings>> {
    put_section(&state, &caller, section).await
}

/// The concurrency bound.
#[utoipa::path(
    get,
    path = "/api/v1/settings/concurrency",
    tag = "settings",
    operation_id = "get_concurrency_settings",
    responses(
        (status = 200, description = "The section", body = ConcurrencySettings),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither an admin nor an auditor", body = ErrorBody),
    )
)]
pub async fn get_concurrency(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ConcurrencySettings>> {
    get_section(&state, &caller).await
}

/// Replaces the concurrency bound (1 to 1,024 agent calls per worker).
#[utoipa::path(
    put,
    path = "/api/v1/settings/concurrency",
    tag = "settings",
    operation_id = "put_concurrency_settings",
    request_body = ConcurrencySettings,
    responses(
        (status = 200, description = "The section as saved", body = ConcurrencySettings),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Only an admin may change settings", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "Fields out of bounds, named in `details.fields`", body = ErrorBody),
    )
)]
pub async fn put_concurrency(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(section): ApiJson<ConcurrencySettings>,
) -> ApiResult<Json<ConcurrencySettings>> {
    put_section(&state, &caller, section).await
}

/// The IP allowlist.
#[utoipa::path(
    get,
    path = "/api/v1/settings/security",
    tag = "settings",
    operation_id = "get_security_settings",
    responses(
        (status = 200, description = "The section", body = SecuritySettings),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither an admin nor an auditor", body = ErrorBody),
    )
)]
pub async fn get_security(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<SecuritySettings>> {
    get_section(&state, &caller).await
}

/// Replaces the IP allowlist; it applies from the next request. A list that would exclude the
/// caller's own address is refused (`lpm-server admin allowlist reset` on the host is the way
/// back in should one ever lock everyone out).
#[utoipa::path(
    put,
    path = "/api/v1/settings/security",
    tag = "settings",
    operation_id = "put_security_settings",
    request_body = SecuritySettings,
    responses(
        (status = 200, description = "The section as saved (host bits cleared, duplicates dropped)", body = SecuritySettings),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Only an admin may change settings", body = ErrorBody),
        (status = 409, description = "The list would exclude the caller's address (`allowlist_excludes_caller`)", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "A malformed CIDR or too many networks", body = ErrorBody),
    )
)]
pub async fn put_security(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(section): ApiJson<SecuritySettings>,
) -> ApiResult<Json<SecuritySettings>> {
    let admin = caller.require_admin()?;
    let section = section.normalized();
    validated(&section)?;
    if !section.allows(caller.ip) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "allowlist_excludes_caller",
            format!(
                "This list would shut out your own address {}; add a network that contains it.",
                caller.ip
            ),
        )
        .with_details(serde_json::json!({ "caller_ip": caller.ip.to_string() })));
    }
    save(
        &state.store,
        &admin,
        &section,
        &caller.actor,
        state.clock.now(),
    )
    .await
    .map_err(settings_error)?;
    state.allowlist.reload(&state.store).await?;
    Ok(Json(load(&state.store).await?))
}

/// The mail relay.
#[utoipa::path(
    get,
    path = "/api/v1/settings/smtp",
    tag = "settings",
    operation_id = "get_smtp_settings",
    responses(
        (status = 200, description = "The section", body = SmtpSettings),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither an admin nor an auditor", body = ErrorBody),
    )
)]
pub async fn get_smtp(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<SmtpSettings>> {
    get_section(&state, &caller).await
}

/// Replaces the mail relay settings. The password is named by file, never sent.
#[utoipa::path(
    put,
    path = "/api/v1/settings/smtp",
    tag = "settings",
    operation_id = "put_smtp_settings",
    request_body = SmtpSettings,
    responses(
        (status = 200, description = "The section as saved", body = SmtpSettings),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Only an admin may change settings", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "Bad fields, named in `details.fields`", body = ErrorBody),
    )
)]
pub async fn put_smtp(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(section): ApiJson<SmtpSettings>,
) -> ApiResult<Json<SmtpSettings>> {
    put_section(&state, &caller, section).await
}

/// Azure sign-in.
#[utoipa::path(
    get,
    path = "/api/v1/settings/sso",
    tag = "settings",
    operation_id = "get_sso_settings",
    responses(
        (status = 200, description = "The section", body = SsoSettings),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither an admin nor an auditor", body = ErrorBody),
    )
)]
pub async fn get_sso(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<SsoSettings>> {
    get_section(&state, &caller).await
}

/// Replaces the Azure sign-in settings. The client secret is named by file, never sent.
#[utoipa::path(
    put,
    path = "/api/v1/settings/sso",
    tag = "settings",
    operation_id = "put_sso_settings",
    request_body = SsoSettings,
    responses(
        (status = 200, description = "The section as saved", body = SsoSettings),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Only an admin may change settings", body = ErrorBody),
        (status = 415, description = "The body is not sent as JSON", body = ErrorBody),
        (status = 422, description = "Bad fields, named in `details.fields`", body = ErrorBody),
    )
)]
pub async fn put_sso(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(section): ApiJson<SsoSettings>,
) -> ApiResult<Json<SsoSettings>> {
    put_section(&state, &caller, section).await
}

/// The web certificate strategy and the certificate in use (read-only: set in `config.toml`).
#[utoipa::path(
    get,
    path = "/api/v1/settings/web_tls",
    tag = "settings",
    operation_id = "get_web_tls_settings",
    responses(
        (status = 200, description = "The section", body = WebTlsView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither an admin nor an auditor", body = ErrorBody),
    )
)]
pub async fn get_web_tls(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<WebTlsView>> {
    caller.require_read_all()?;
    Ok(Json(web_tls_view(&state).await))
}

/// Password hashing parameters (read-only: set by `lpm-server admin calibrate`).
#[utoipa::path(
    get,
    path = "/api/v1/settings/auth",
    tag = "settings",
    operation_id = "get_auth_settings",
    responses(
        (status = 200, description = "The section", body = AuthView),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Neither an admin nor an auditor", body = ErrorBody),
    )
)]
pub async fn get_auth(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<AuthView>> {
    caller.require_read_all()?;
    Ok(Json(auth_view(&state).await?))
}

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings))
        .routes(routes!(get_polling, put_polling))
        .routes(routes!(get_concurrency, put_concurrency))
        .routes(routes!(get_security, put_security))
        .routes(routes!(get_smtp, put_smtp))
        .routes(routes!(get_sso, put_sso))
        .routes(routes!(get_web_tls))
        .routes(routes!(get_auth))
}

async fn get_section<S: Section>(state: &AppState, caller: &Caller) -> ApiResult<Json<S>> {
    caller.require_read_all()?;
    Ok(Json(load(&state.store).await?))
}

async fn put_section<S: Section>(
    state: &AppState,
    caller: &Caller,
    section: S,
) -> ApiResult<Json<S>> {
    let admin = caller.require_admin()?;
    save(
        &state.store,
        &admin,
        &section,
        &caller.actor,
        state.clock.now(),
    )
    .await
    .map_err(settings_error)?;
    Ok(Json(load(&state.store).await?))
}

fn validated<S: Section>(section: &S) -> ApiResult<()> {
    let errors = section.validate();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(settings_error(SettingsError::Invalid(errors)))
    }
}

/// 422 naming every bad field in `details.fields`, or the store's error.
fn settings_error(err: SettingsError) -> ApiError {
    match err {
        SettingsError::Invalid(errors) => {
            let message = errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.reason))
                .collect::<Vec<_>>()
                .join("; ");
            let fields: serde_json::Map<String, serde_json::Value> = errors
                .into_iter()
                .map(|e| (e.field, serde_json::Value::String(e.reason)))
                .collect();
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                format!("Invalid settings: {message}"),
            )
            .with_details(serde_json::json!({ "fields": fields }))
        }
        SettingsError::Store(e) => e.into(),
    }
}

async fn auth_view(state: &AppState) -> ApiResult<AuthView> {
    let stored: Option<Argon2Params> = state.store.config_get(Argon2Params::KEY).await?;
    let params = stored.unwrap_or_default();
    Ok(AuthView {
        argon2: Argon2View {
            m_kib: params.m_kib,
            t: params.t,
            p: params.p,
        },
        calibrated: stored.is_some(),
    })
}

async fn web_tls_view(state: &AppState) -> WebTlsView {
    let (strategy, cert_path, cert_file, key_file) = match &state.web_tls {
        WebTls::InternalCa => (
            WebTlsStrategy::InternalCa,
            state
                .data_dir
                .as_ref()
                .map(|d| d.join(crate::cli::serve::WEB_CERT_FILE)),
            None,
            None,
        ),
        WebTls::Files {
            cert_file,
            key_file,
        } => (
            WebTlsStrategy::Files,
            Some(cert_file.clone()),
            Some(cert_file.display().to_string()),
            Some(key_file.display().to_string()),
        ),
    };
    let certificate = match cert_path {
        Some(path) => tokio::fs::read_to_string(&path)
            .await
            .ok()
            .and_then(|pem| lpm_ca::inspect(&pem).ok())
            .and_then(|info| {
                let mut sans = info.dns_names;
                sans.extend(info.ip_addresses.iter().map(ToString::to_string));
                Some(WebCertificateView {
                    subject: info.subject_cn,
                    sans,
                    not_before: DateTime::from_timestamp(info.not_before.unix_timestamp(), 0)?,
                    not_after: DateTime::from_timestamp(info.not_after.unix_timestamp(), 0)?,
                    sha256_fingerprint: info.sha256_fingerprint,
                })
            }),
        None => None,
    };
    WebTlsView {
        strategy,
        cert_file,
        key_file,
        certificate,
    }
}
