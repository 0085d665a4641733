//! Users: CRUD, role, groups, MFA reset, session revocation (admin only).

use utoipa_axum::router::OpenApiRouter;

use crate::http::AppState;

/// This module's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
