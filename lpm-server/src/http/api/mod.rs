//! The manager's REST API under `/api/v1`: one module per resource, each contributing its
//! routes and their OpenAPI description through `utoipa-axum`, so the published document is
//! made from the handlers' own types.
//!
//! Conventions every module keeps:
//! - Handlers take [`Caller`] (401 without a valid access token) and pass its `scope` to the
//!   store for anything host-scoped: a host out of scope answers 404, exactly like a missing one.
//!   Admin-only operations call [`Caller::require_admin`] first (403 `admin_required`).
//! - Request bodies arrive through [`ApiJson`](crate::http::ApiJson), query strings through
//!   [`ApiQuery`](crate::http::ApiQuery) and path segments through
//!   [`ApiPath`] (never axum's own extractors, whose rejections are plain
//!   text), so malformed input is a 400/404/422 in the SDD §8.4 envelope; validation that needs
//!   more than serde answers [`ApiError::invalid_field`](crate::http::ApiError::invalid_field).
//! - Every `#[utoipa::path]` has an `operation_id`, one tag, a doc comment (its summary) and
//!   every status the operation can answer, errors with `body = ErrorBody`: 401 whenever it
//!   takes a [`Caller`], 403 with `require_admin`, 404 with a path id, 422 with a query or
//!   body. `openapi/openapi.json` is regenerated with `scripts/regen-openapi`; the tests in
//!   `tests/it/openapi.rs` and `scripts/check-openapi` (schemathesis against a live server)
//!   hold every operation to this.
//! - Lists take [`PageParams`] and `sort` ([`parse_sort`]) and answer [`Paged`].
//! - Every change is audited by the store in the change's own transaction (pass
//!   `caller.actor`).
//! - Response bodies are this crate's own `…View` types (with `ToSchema`), never storage rows.

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::http::{ApiError, ApiResult, AppState};

pub mod audit;
pub mod auth;
pub mod caller;
pub mod certificates;
pub mod discovery;
pub mod fleet;
pub mod groups;
pub mod hosts;
pub mod jobs;
pub mod page;
pub mod reports;
pub mod settings;
pub mod tokens;
pub mod users;
pub mod windows;
pub mod ws;

pub use crate::http::ApiPath;
pub use caller::{Caller, Credential, SessionCache};
pub use page::{PageParams, Paged, parse_sort};

/// The document's frame: title, version, the bearer scheme and the tags.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "lpm manager API",
        description = "Patch a fleet of Linux servers safely: hosts, groups, maintenance windows, \
                       jobs, discovery, certificates, reports and the audit log. Every error is \
                       `{\"error\": {code, message, request_id, details}}`. Authenticate with \
                       `Authorization: Bearer <token>`: an access token from logging in, or an \
                       API token (`lpm_...`, made with `POST /api/v1/api-tokens`) for scripts. \
                       An auditor reads everything and changes nothing: every operation but a \
                       GET answers 403 `read_only` to one, except those marked \
                       `x-lpm-auditor-allowed: true`. Operations marked \
                       `x-lpm-api-token-allowed: false` manage credentials and need an \
                       interactive login.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "Log in, second factors, sessions"),
        (name = "users", description = "Accounts, roles and sessions (admin)"),
        (name = "api-tokens", description = "Tokens for scripts and pipelines"),
        (name = "groups", description = "Host groups and their members"),
        (name = "hosts", description = "Managed hosts, their patches and packages"),
        (name = "windows", description = "Maintenance windows per host"),
        (name = "jobs", description = "Patch, install, remove, reboot and rollback jobs"),
        (name = "discovery", description = "CIDR scans for agents"),
        (name = "certificates", description = "The internal CA and issued certificates"),
        (name = "settings", description = "Runtime settings (admin)"),
        (name = "status", description = "Fleet summary"),
        (name = "audit", description = "The tamper-evident audit log"),
        (name = "reports", description = "Compliance, patch history, vulnerability and audit reports")
    )
)]
#[derive(Debug)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("JWT".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// Every `/api/v1` route with its OpenAPI description.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::routes())
        .merge(users::routes())
        .merge(tokens::routes())
        .merge(groups::routes())
        .merge(hosts::routes())
        .merge(windows::routes())
        .merge(jobs::routes())
        .merge(discovery::routes())
        .merge(certificates::routes())
        .merge(settings::routes())
        .merge(fleet::routes())
        .merge(audit::routes())
        .merge(reports::routes())
        .merge(ws::routes())
}

/// The OpenAPI document of the whole API, as committed in `openapi/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut document = routes().into_openapi();
    share_inlined_schemas(&mut document);
    document_unsupported_media(&mut document);
    document_non_get_policies(&mut document);
    document
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Marks the operations of [`caller::NON_GET_POLICIES`] with `x-lpm-auditor-allowed` and
/// `x-lpm-api-token-allowed`, and documents the auditor's 403 on every other authenticated
/// operation that is not a GET, so clients (and the tests) read the rule from the document.
fn document_non_get_policies(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::content::ContentBuilder;
    use utoipa::openapi::extensions::ExtensionsBuilder;
    use utoipa::openapi::{Ref, RefOr, ResponseBuilder};

    for (path, item) in document.paths.paths.iter_mut() {
        let operations = [
            ("POST", &mut item.post),
            ("PUT", &mut item.put),
            ("PATCH", &mut item.patch),
            ("DELETE", &mut item.delete),
        ];
        for (method, operation) in operations {
            let Some(operation) = operation else {
                continue;
            };
            // Operations that need no login (`security: [{}]`) have no caller to refuse.
            let public = operation
                .security
                .as_ref()
                .is_some_and(|s| s.iter().all(|r| r == &Default::default()));
            if public {
                continue;
            }
            let method = axum::http::Method::from_bytes(method.as_bytes()).ok();
            let policy = method.and_then(|m| caller::non_get_policy(&m, path));
            let refusal = match policy {
                Some(policy) => {
                    let extensions = ExtensionsBuilder::new()
                        .add("x-lpm-auditor-allowed", policy.auditor)
                        .add("x-lpm-api-token-allowed", policy.api_token)
                        .build();
                    operation
                        .extensions
                        .get_or_insert_with(Default::default)
                        .merge(extensions);
                    (!policy.api_token).then_some(
                        "called with an API token: only an interactive login may manage \
                         credentials (`interactive_session_required`)",
                    )
                }
                None => Some("the caller is an auditor, who may change nothing (`read_only`)"),
            };
            let Some(refusal) = refusal else {
                continue;
            };
            let response = match operation.responses.responses.remove("403") {
                Some(RefOr::T(mut existing)) => {
                    existing.description = format!("{}; or {refusal}", existing.description);
                    existing
                }
                _ => ResponseBuilder::new()
                    .description(capitalized(refusal))
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("ErrorBody")))
                            .build(),
                    )
                    .build(),
            };
            operation
                .responses
                .responses
                .insert("403".into(), RefOr::T(response));
        }
    }
}

/// Every operation that reads a JSON body answers 415 when the body is not sent as JSON
/// (`ApiJson`'s rejection); the document says so for each of them.
fn document_unsupported_media(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::content::ContentBuilder;
    use utoipa::openapi::{Ref, RefOr, ResponseBuilder};

    for item in document.paths.paths.values_mut() {
        let operations = [
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            if operation.request_body.is_none() || operation.responses.responses.contains_key("415")
            {
                continue;
            }
            let response = ResponseBuilder::new()
                .description("The body is not sent as JSON")
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build();
            operation
                .responses
                .responses
                .insert("415".into(), RefOr::T(response));
        }
    }
}

/// utoipa copies a generic's type argument into the generic schema (`Paged_HostView` holds a
/// whole `HostView`), so a generated client would get a second, oddly named class for every
/// list's items. A property, or an array's items, that is a copy of a named schema becomes a
/// reference to it.
fn share_inlined_schemas(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{ArrayItems, Schema};
    use utoipa::openapi::{Ref, RefOr};

    let Some(components) = document.components.as_mut() else {
        return;
    };
    let named: Vec<(String, serde_json::Value)> = components
        .schemas
        .iter()
        .filter(|(_, schema)| matches!(schema, RefOr::T(Schema::Object(_))))
        .filter_map(|(name, schema)| Some((name.clone(), serde_json::to_value(schema).ok()?)))
        .collect();
    let copy_of = |schema: &RefOr<Schema>| -> Option<String> {
        if !matches!(schema, RefOr::T(Schema::Object(_))) {
            return None;
        }
        let value = serde_json::to_value(schema).ok()?;
        named
            .iter()
            .find(|(_, named)| *named == value)
            .map(|(name, _)| name.clone())
    };
    for schema in components.schemas.values_mut() {
        let RefOr::T(Schema::Object(object)) = schema else {
            continue;
        };
        for property in object.properties.values_mut() {
            let slot = match property {
                RefOr::T(Schema::Array(array)) => match &mut array.items {
                    ArrayItems::RefOrSchema(items) => items.as_mut(),
                    _ => continue,
                },
                other => other,
            };
            if let Some(name) = copy_of(slot) {
                *slot = RefOr::Ref(Ref::from_schema_name(name));
            }
        }
    }
}

/// A path id as its typed id; an id that cannot exist (zero, negative) is a 404 like any
/// other missing `what`.
pub fn id_or_404<T, E>(
    raw: i64,
    what: &str,
    new: impl FnOnce(i64) -> Result<T, E>,
) -> ApiResult<T> {
    new(raw).map_err(|_| ApiError::not_found(what))
}

/// Ids named in a request body as their typed ids, or 422 naming `field` when one cannot
/// exist (zero, negative).
pub fn ids_or_422<T, E: std::fmt::Display>(
    raw: &[i64],
    field: &str,
    new: impl Fn(i64) -> Result<T, E>,
) -> ApiResult<Vec<T>> {
    raw.iter()
        .map(|&id| new(id).map_err(|e| ApiError::invalid_field(field, format!("{id}: {e}"))))
        .collect()
}

/// A store error for a request whose body names a `what` that is not found (or not in the
/// caller's scope, which looks the same): a 422 naming the body's `field`, since the resource
/// in the path exists and the body is what is wrong. Other errors map as usual.
pub fn body_reference(err: lpm_store::StoreError, what: &str, field: &str) -> ApiError {
    match err {
        lpm_store::StoreError::NotFound { what: missing } if missing == what => {
            ApiError::invalid_field(
                field,
                format!("names a {what} that does not exist or that you cannot access"),
            )
        }
        other => other.into(),
    }
}
