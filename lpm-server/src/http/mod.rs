//! The manager's HTTPS front door: the router, its state, the error envelope, request ids and
//! the TLS accept loop. Handlers reach storage only through lpm-store's API.
//!
//! **Architecture invariant:** only lpm-server knows axum.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use chrono::{DateTime, Duration, Utc};
use lpm_core::ports::Clock;
use lpm_store::Store;
use lpm_store::auth::LockPolicy;
use tokio::sync::Semaphore;
use webauthn_rs::Webauthn;

use crate::auth::ceremonies::Ceremonies;
use crate::auth::{
    Argon2Params, AuthError, KeyRing, PasswordHasher, SecretString, Throttle, ThrottleConfig,
    VerifyingKey,
};

pub mod allowlist;
pub mod api;
pub mod docs;
pub mod error;
pub mod extract;
pub mod request_id;
pub mod serve;
pub mod spa;
pub mod status;
pub mod tls;

pub use error::{ApiError, ApiResult};
pub use extract::{ApiJson, ApiPath, ApiQuery, ListQuery};
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
    /// Keys, password hashing, throttling and the session cache.
    pub auth: Arc<AuthContext>,
    /// The internal CA (with its private key), when this process holds it: certificate
    /// endpoints answer 503 `ca_unavailable` without it.
    pub ca: Option<Arc<lpm_ca::Ca>>,
    /// The data directory (CA, CRL, keys), when there is one.
    pub data_dir: Option<PathBuf>,
    /// Where the web certificate comes from (shown read-only in the settings).
    pub web_tls: crate::config::WebTls,
    /// Job events relayed to browsers.
    pub events: Arc<api::ws::JobEventHub>,
}

/// What authentication needs at runtime.
#[derive(Debug)]
pub struct AuthContext {
    /// The JWT signing key and the published verifying keys.
    pub keys: KeyRing,
    /// Argon2id with this deployment's calibrated parameters.
    pub hasher: PasswordHasher,
    /// Login throttling by address and account.
    pub throttle: Throttle,
    /// Cached user rows for the `Caller` extractor.
    pub sessions: api::SessionCache,
    /// The WebAuthn relying party (`web.public_origin`).
    pub webauthn: Webauthn,
    /// State between the steps of logins and enrolments.
    pub ceremonies: Ceremonies,
    /// The soft lock after repeated failed logins.
    pub lock_policy: LockPolicy,
    /// Bounds the Argon2 computations running at once (each takes tens of MiB).
    hashing: Arc<Semaphore>,
    /// Password checks performed (hashes computed to verify a password), for metrics and
    /// for tests that prove a refused attempt cost nothing.
    password_checks: AtomicU64,
}

impl AsRef<KeyRing> for AuthContext {
    fn as_ref(&self) -> &KeyRing {
        &self.keys
    }
}

impl AuthContext {
    /// A context over these parts, with the default soft lock and as many concurrent Argon2
    /// computations as the machine has cores.
    pub fn new(
        keys: KeyRing,
        hasher: PasswordHasher,
        throttle: Throttle,
        webauthn: Webauthn,
    ) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self {
            keys,
            hasher,
            throttle,
            sessions: api::SessionCache::default(),
            webauthn,
            ceremonies: Ceremonies::default(),
            lock_policy: LockPolicy::default(),
            hashing: Arc::new(Semaphore::new(cores.max(2))),
            password_checks: AtomicU64::new(0),
        }
    }

    /// A context for tests and tools: a fresh unpublished key accepted for a day from `now`,
    /// cheap Argon2 parameters (never for real accounts), the default throttle and the
    /// default public origin (`https://localhost:8443`).
    pub fn ephemeral(now: DateTime<Utc>) -> Result<Self, AuthError> {
        let cheap = Argon2Params {
            m_kib: 1024,
            t: 1,
            p: 1,
        };
        let origin = url::Url::parse(crate::auth::webauthn::DEFAULT_PUBLIC_ORIGIN)
            .map_err(|e| AuthError::Origin(e.to_string()))?;
        Ok(Self::new(
            KeyRing::ephemeral(now + Duration::days(1))?,
            PasswordHasher::new(cheap)?,
            Throttle::new(ThrottleConfig::default()),
            crate::auth::webauthn::relying_party(&origin)?,
        ))
    }

    /// Whether `password` matches `phc` (`None`: an unknown user or one without a password,
    /// checked against a dummy hash so it costs the same). Runs on the blocking pool, at most
    /// one computation per core at a time, never on the async workers.
    pub async fn verify_password(
        &self,
        password: SecretString,
        phc: Option<String>,
    ) -> Result<bool, AuthError> {
        let hasher = self.hasher.clone();
        self.password_checks.fetch_add(1, Ordering::Relaxed);
        self.blocking(move || match phc {
            Some(phc) => hasher.verify(&password, &phc),
            None => hasher.verify_unknown_user(&password),
        })
        .await
    }

    /// The Argon2id PHC string of `password`, computed like [`AuthContext::verify_password`].
    pub async fn hash_password(&self, password: SecretString) -> Result<String, AuthError> {
        let hasher = self.hasher.clone();
        self.blocking(move || hasher.hash(&password)).await
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, AuthError> + Send + 'static,
    ) -> Result<T, AuthError> {
        let permit = Arc::clone(&self.hashing)
            .acquire_owned()
            .await
            .map_err(|e| AuthError::Hashing(e.to_string()))?;
        tokio::task::spawn_blocking(move || {
            // Held until the hash is done, even if the request that asked went away.
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| AuthError::Hashing(e.to_string()))?
    }

    /// How many password checks this process has run.
    pub fn password_checks(&self) -> u64 {
        self.password_checks.load(Ordering::Relaxed)
    }

    /// Runs `check` against the current verifier; when it names an unknown key, reloads the
    /// published keys once (another web process may have rotated) and checks again. The outer
    /// error is a failure to reload; the inner result is the check's.
    pub async fn verify_reloading<T>(
        &self,
        store: &Store,
        now: DateTime<Utc>,
        check: impl Fn(&crate::auth::Verifier) -> Result<T, AuthError>,
    ) -> ApiResult<Result<T, AuthError>> {
        match check(&self.keys.keys().verifier) {
            Err(AuthError::UnknownKey) => {
                self.reload_verifying_keys(store, now).await?;
                Ok(check(&self.keys.keys().verifier))
            }
            other => Ok(other),
        }
    }

    /// Reloads the published verifying keys (another process may have rotated), keeping the
    /// current signing key and its own verifying key.
    pub async fn reload_verifying_keys(&self, store: &Store, now: DateTime<Utc>) -> ApiResult<()> {
        let published = store.jwt_verifying_keys(now).await?;
        let keys = self.keys.keys();
        let own = keys.signing.verifying_key(now + Duration::days(1));
        let mut all: Vec<VerifyingKey> = published
            .into_iter()
            .map(|k| VerifyingKey {
                kid: k.kid,
                public_pem: k.public_key,
                verify_until: k.verify_until,
            })
            .collect();
        if !all.iter().any(|k| k.kid == own.kid) {
            all.push(own);
        }
        self.keys
            .replace(keys.signing.clone(), all)
            .map_err(ApiError::internal)
    }
}

impl AppState {
    /// State over a store, a clock and the authentication context, with the default
    /// staleness limit of 90 s (three beats), no CA, no data directory and the internal-CA
    /// web certificate strategy.
    pub fn new(store: Store, clock: Arc<dyn Clock>, auth: Arc<AuthContext>) -> Self {
        Self {
            store,
            clock,
            worker_stale_after: Duration::seconds(90),
            allowlist: allowlist::IpAllowlist::default(),
            auth,
            ca: None,
            data_dir: None,
            web_tls: crate::config::WebTls::InternalCa,
            events: Arc::default(),
        }
    }
}

/// The whole application as a router, for `serve` and for tests that call it without a socket.
pub fn app(state: AppState) -> Router {
    let (api, _) = api::routes().split_for_parts();
    Router::new()
        .route("/status/health", get(status::health))
        .route(docs::OPENAPI_PATH, get(openapi_document))
        .merge(docs::routes())
        .merge(api)
        .fallback(spa::fallback)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // Layers run outside-in: the request id first (so refusals carry one), then the
        // allowlist, before any route or authentication.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            allowlist::enforce_allowlist,
        ))
        .layer(axum::middleware::from_fn(request_id::assign_request_id))
        .with_state(state)
}

/// The largest request body accepted (1 MiB): enough for any API call, small enough that a
/// flood of large bodies costs little.
pub const BODY_LIMIT: usize = 1 << 20;

/// The OpenAPI document as JSON, as committed in `openapi/openapi.json`.
pub fn openapi_json() -> serde_json::Value {
    serde_json::to_value(api::openapi())
        .map(sort_keys)
        .unwrap_or_default()
}

/// The OpenAPI document as `openapi/openapi.json` holds it: pretty JSON, object keys sorted so
/// the text changes only when the API does, and a trailing newline.
pub fn openapi_text() -> Result<String, serde_json::Error> {
    let document = serde_json::to_value(api::openapi())?;
    let mut text = serde_json::to_string_pretty(&sort_keys(document))?;
    text.push('\n');
    Ok(text)
}

/// `value` with every object's keys in sorted order, whatever map serde_json was built with.
fn sort_keys(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|(a, _), (b, _)| a.cmp(b));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key, sort_keys(value)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sort_keys).collect()),
        other => other,
    }
}

/// Serves the document, built and serialised once per process on first request: it depends
/// only on the code, so neither start-up nor later requests pay for it again.
async fn openapi_document() -> axum::response::Response {
    use axum::response::IntoResponse;
    static DOCUMENT: std::sync::OnceLock<bytes::Bytes> = std::sync::OnceLock::new();
    let body = DOCUMENT.get_or_init(|| {
        serde_json::to_vec(&openapi_json())
            .map(bytes::Bytes::from)
            .unwrap_or_default()
    });
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body.clone(),
    )
        .into_response()
}

/// The JSON 404 for a path no route serves.
pub(crate) async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::NOT_FOUND,
        "route_not_found",
        format!("No route {}.", uri.path()),
    )
}
