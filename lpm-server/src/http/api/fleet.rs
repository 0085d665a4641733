//! `GET /api/v1/status/fleet`: the fleet summary for the dashboard.

use utoipa_axum::router::OpenApiRouter;

use crate::http::AppState;

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
