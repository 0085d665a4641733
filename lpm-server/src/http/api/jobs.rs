//! Jobs: create (queued or immediate), list, detail with per-host states, cancel, rollback.

use utoipa_axum::router::OpenApiRouter;

use crate::http::AppState;

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
