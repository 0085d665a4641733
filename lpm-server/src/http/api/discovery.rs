//! CIDR discovery: start a scan, follow it, cancel it, register what it found.

use utoipa_axum::router::OpenApiRouter;

use crate::http::AppState;

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
