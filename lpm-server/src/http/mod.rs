//! The manager's HTTPS front door: the router, its state, the error envelope, request ids and
//! the TLS accept loop. Handlers reach storage only through lpm-store's API.
//!
//! **Architecture invariant:** only lpm-server knows axum.

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use chrono::Duration;
use lpm_core::ports::Clock;
use lpm_store::Store;

pub mod allowlist;
pub mod error;
pub mod extract;
pub mod request_id;
pub mod serve;
pub mod status;
pub mod tls;

pub use error::{ApiError, ApiResult};
pub use extract::{ApiJson, ApiQuery};
pub use serve::serve;
pub use tls::web_tls_config;

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The store.
    pub store: Store,
    /// Time (the system clock in production, a manual one in tests).
    pub clock: Arc<dyn Clock>,
    /// A worker whose last beat is older than this is stale (SDD §13: beats every 30 s).
    pub worker_stale_after: Duration,
    /// The IP allowlist enforced before anything else.
    pub allowlist: allowlist::IpAllowlist,
}

impl AppState {
    /// State over a store and a clock, with the default staleness limit of 90 s (three beats).
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            worker_stale_after: Duration::seconds(90),
            allowlist: allowlist::IpAllowlist::default(),
        }
    }
}

/// The whole application as a router, for `serve` and for tests that call it without a socket.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/status/health", get(status::health))
        .fallback(not_found)
        // Layers run outside-in: the request id first (so refusals carry one), then the
        // allowlist, before any route or authentication.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            allowlist::enforce_allowlist,
        ))
        .layer(axum::middleware::from_fn(request_id::assign_request_id))
        .with_state(state)
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::NOT_FOUND,
        "route_not_found",
        format!("No route {}.", uri.path()),
    )
}
