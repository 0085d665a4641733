//! The API reference at `/api/docs`: Swagger UI rendering `/api/v1/openapi.json`.
//!
//! Swagger UI's files are compiled into the binary (utoipa-swagger-ui's `vendored` feature), so
//! neither the build nor a browser reaching the page fetches anything from elsewhere, which is
//! what an air-gapped site needs. The page is public like the document it renders: it holds no
//! data, and every call made from it still needs an access token.

use axum::Router;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::http::AppState;

/// Where the reference is served (`/api/docs` redirects to `/api/docs/`).
pub const DOCS_PATH: &str = "/api/docs";

/// Where the OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

/// The reference's routes. The document itself is served by [`crate::http::app`], so Swagger UI
/// is only told where to fetch it.
pub fn routes() -> Router<AppState> {
    let config = Config::new([OPENAPI_PATH])
        // Swagger UI would otherwise send the document to an online validator for a badge.
        .validator_url("none")
        // Client generators name their methods after operation ids: show them.
        .display_operation_id(true)
        .persist_authorization(false);
    SwaggerUi::new(DOCS_PATH).config(config).into()
}
