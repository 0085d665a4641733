//! Runtime settings (`system_config`) as typed sections.

use utoipa_axum::router::OpenApiRouter;

use crate::http::AppState;

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
