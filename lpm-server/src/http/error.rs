//! The one place errors become HTTP: the SDD §8.4 envelope with stable machine-readable codes.
//!
//! Every error body is `{"error": {"code", "message", "request_id", "details"}}`. Details of an
//! internal failure are logged with the request id and never echoed: no SQL, rustls or
//! filesystem text reaches a client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lpm_store::StoreError;
use serde::Serialize;

use super::request_id::current_request_id;

/// An API error: a status, a stable code and a message safe to show.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable snake_case code clients can branch on (`host_not_found`).
    pub code: String,
    /// A human-readable explanation, safe to show.
    pub message: String,
    /// Structured detail, e.g. field errors for a 422.
    pub details: serde_json::Value,
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: Body<'a>,
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message: &'a str,
    request_id: String,
    details: &'a serde_json::Value,
}

impl ApiError {
    /// An error with no details.
    pub fn new(status: StatusCode, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            details: serde_json::json!({}),
        }
    }

    /// Attaches details.
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }

    /// 400: the request cannot be read.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 401: no valid credentials.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 403: authenticated, not allowed.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 404 with a `{what}_not_found` code.
    pub fn not_found(what: &str) -> Self {
        let code = format!("{}_not_found", what.replace(' ', "_"));
        Self::new(
            StatusCode::NOT_FOUND,
            code,
            format!("No such {what}, or not in a group you can access."),
        )
    }

    /// 422: the body was read but a field is invalid.
    pub fn invalid_field(field: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            format!("Invalid {field}: {reason}"),
        )
        .with_details(serde_json::json!({ "fields": { field: reason } }))
    }

    /// 500: something failed on our side. `detail` goes to the log with the request id only.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(request_id = %current_request_id(), error = %detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Something went wrong on the server; quote the request id when you report it.",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Envelope {
            error: Body {
                code: &self.code,
                message: &self.message,
                request_id: current_request_id(),
                details: &self.details,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound { what } => ApiError::not_found(what),
            StoreError::OutOfScope { what } => ApiError::new(
                StatusCode::FORBIDDEN,
                "out_of_scope",
                format!("The {what} reaches hosts outside your groups."),
            ),
            StoreError::Conflict { what } => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("Conflicts with {what}."),
            ),
            StoreError::Invalid { field, reason } => ApiError::invalid_field(field, reason),
            StoreError::Validation(v) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                v.to_string(),
            ),
            StoreError::IllegalTransition(t) => ApiError::new(
                StatusCode::CONFLICT,
                "illegal_state",
                format!("Not possible now: {t}."),
            ),
            StoreError::StaleLease { .. } => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                "The row changed meanwhile; try again.",
            ),
            busy if busy.is_busy() => {
                tracing::warn!(request_id = %current_request_id(), error = %busy, "store busy");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "server_busy",
                    "The server is too busy to answer now; try again in a moment.",
                )
                .with_details(serde_json::json!({ "retry_after_s": 1 }))
            }
            other => ApiError::internal(other),
        }
    }
}

/// The error envelope as the OpenAPI document describes it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The inside of the error envelope.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// A stable snake_case code clients can branch on.
    pub code: String,
    /// A human-readable explanation, safe to show.
    pub message: String,
    /// The ULID of the request, as in the `X-Request-Id` header and the server's log.
    pub request_id: String,
    /// Structured detail: `fields` for a 422, `retry_after_s` for a 429 or 503, else empty.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

/// What every handler returns.
pub type ApiResult<T> = Result<T, ApiError>;
