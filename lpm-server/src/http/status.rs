//! `GET /status/health`: the manager's own liveness check (SDD OI-06), unauthenticated and
//! minimal: the process answers, the database answers, a worker beat recently.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Serialize;

use super::AppState;

/// The health answer.
#[derive(Debug, Serialize)]
pub struct Health {
    /// `ok`, or `unhealthy` when a check fails.
    pub status: &'static str,
    /// `ok` or `unreachable`.
    pub database: &'static str,
    /// `ok`, `stale` (no beat within the limit) or `absent` (no worker ever beat).
    pub worker: &'static str,
}

/// 200 when the database answers and a worker beat within the staleness limit, else 503.
pub async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let now = state.clock.now();
    let database = match state.store.ping().await {
        Ok(()) => "ok",
        Err(e) => {
            tracing::warn!(error = %e, "health: database unreachable");
            "unreachable"
        }
    };
    let worker = match state.store.heartbeats().await {
        Ok(beats) => match beats.first() {
            None => "absent",
            Some(b) if now - b.last_beat_at <= state.worker_stale_after => "ok",
            Some(_) => "stale",
        },
        Err(_) => "absent",
    };
    let healthy = database == "ok" && worker == "ok";
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = Health {
        status: if healthy { "ok" } else { "unhealthy" },
        database,
        worker,
    };
    (status, Json(body))
}
