//! The internal CA over HTTP: root certificate, issued certificates, bundles, revocation, CRL.

use utoipa_axum::router::OpenApiRouter;

use crate::http::AppState;

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
