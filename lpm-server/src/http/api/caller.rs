//! Who is calling: the `Caller` extractor turns `Authorization: Bearer <token>` (an access token
//! from an interactive login, or an `lpm_` API token) into the user, their RBAC scope and the
//! audit actor, or answers 401.
//!
//! Two rules are enforced here, for every operation at once, before the handler runs: an
//! auditor changes nothing (every operation but a GET answers 403 `read_only`, except the few in
//! [`NON_GET_POLICIES`] that change nothing or only the caller's own credentials), and an API
//! token manages no credentials, its owner's or anyone's (403 `interactive_session_required`
//! where the table says so).
//! The OpenAPI document carries the same table as `x-lpm-auditor-allowed` and
//! `x-lpm-api-token-allowed` on those operations.
//!
//! The user row is cached for [`SessionCache::TTL`] so that reads do not cost a database round
//! trip each; every change this process makes to a user, a group membership or a session calls
//! [`SessionCache::invalidate`], so disabling a user or revoking sessions here takes effect on
//! the next request.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, MatchedPath};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use chrono::{DateTime, Utc};
use lpm_core::ids::UserId;
use lpm_core::model::{Role, User};
use lpm_core::rbac::{AccessError, AdminProof, ReadAllProof, Scope};
use lpm_store::Actor;
use lpm_store::tokens::ApiToken;

use crate::auth::{API_TOKEN_PREFIX, AccessClaims, Amr, AuthError, hash_token};
use crate::http::{ApiError, ApiResult, AppState};

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user, as stored (groups included).
    pub user: User,
    /// What they may reach.
    pub scope: Scope,
    /// Who to record in the audit log, with the client address.
    pub actor: Actor,
    /// The client address.
    pub ip: IpAddr,
    /// How they authenticated.
    pub credential: Credential,
}

/// The credential a request carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// An access token from an interactive login.
    AccessToken {
        /// How the login proved the user.
        amr: Amr,
        /// The token's id.
        jti: String,
    },
    /// An API token.
    ApiToken {
        /// The token's id.
        id: i64,
        /// Its name.
        name: String,
    },
}

/// Who may call an operation that is not a GET, where that differs from the rule (auditors
/// may not; API tokens may).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NonGetPolicy {
    /// The HTTP method.
    pub method: &'static str,
    /// The route, as the OpenAPI document writes it.
    pub path: &'static str,
    /// An auditor may call it: it changes nothing, or only the caller's own credentials.
    pub auditor: bool,
    /// An API token may call it (`false`: it manages credentials, which needs a person who
    /// passed MFA).
    pub api_token: bool,
}

/// An auditor may call it; so may an API token.
const fn read_only(method: &'static str, path: &'static str) -> NonGetPolicy {
    NonGetPolicy {
        method,
        path,
        auditor: true,
        api_token: true,
    }
}

/// The caller's own credentials: an auditor may manage theirs, but only in an interactive
/// session that passed MFA.
const fn own_credentials(method: &'static str, path: &'static str) -> NonGetPolicy {
    NonGetPolicy {
        method,
        path,
        auditor: true,
        api_token: false,
    }
}

/// Someone else's credentials (admin only): never through an API token, or a token could
/// make an account, enrol it and mint tokens from its session.
const fn others_credentials(method: &'static str, path: &'static str) -> NonGetPolicy {
    NonGetPolicy {
        method,
        path,
        auditor: false,
        api_token: false,
    }
}

/// The operations other than GETs whose rule differs from the default (auditors refused, API
/// tokens allowed). Verifying the audit chain is a read. The live job stream's ticket is
/// refused to API tokens because the stream is opened later from the ticket alone, without
/// the token's narrower reach. An API token may revoke itself (the handler allows nothing
/// more) but never make a token.
pub const NON_GET_POLICIES: &[NonGetPolicy] = &[
    read_only("POST", "/api/v1/audit/verify"),
    own_credentials("POST", "/api/v1/ws/ticket"),
    own_credentials("POST", "/api/v1/auth/password"),
    own_credentials("POST", "/api/v1/auth/recovery-codes"),
    own_credentials("POST", "/api/v1/auth/mfa/totp/setup"),
    own_credentials("POST", "/api/v1/auth/mfa/totp/confirm"),
    own_credentials("POST", "/api/v1/auth/mfa/webauthn/register/start"),
    own_credentials("POST", "/api/v1/auth/mfa/webauthn/register/finish"),
    own_credentials("POST", "/api/v1/api-tokens"),
    read_only("DELETE", "/api/v1/api-tokens/{id}"),
    others_credentials("POST", "/api/v1/users"),
    others_credentials("POST", "/api/v1/users/{id}/password/reset"),
    others_credentials("POST", "/api/v1/users/{id}/mfa/reset"),
];

/// The policy of a non-GET operation named in [`NON_GET_POLICIES`].
pub fn non_get_policy(method: &Method, path: &str) -> Option<&'static NonGetPolicy> {
    NON_GET_POLICIES
        .iter()
        .find(|p| p.method == method.as_str() && p.path == path)
}

impl Caller {
    /// The user's id.
    pub fn user_id(&self) -> UserId {
        self.user.id
    }

    /// Proof that the caller is an admin, or 403 `admin_required`.
    pub fn require_admin(&self) -> ApiResult<AdminProof> {
        self.scope.require_admin().map_err(|_| {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "admin_required",
                "Only an admin may do this.",
            )
        })
    }

    /// Proof that the caller may read what only admins read (admins and auditors), or 403
    /// `admin_required`.
    pub fn require_read_all(&self) -> ApiResult<ReadAllProof> {
        self.scope.require_read_all().map_err(|_| {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "admin_required",
                "Only an admin or an auditor may see this.",
            )
        })
    }

    /// Whether the caller acts as an admin (an API token may act with less than its owner).
    pub fn is_admin(&self) -> bool {
        self.scope.role() == Role::Admin
    }

    /// Whether the caller came with an API token rather than an interactive login.
    pub fn is_api_token(&self) -> bool {
        matches!(self.credential, Credential::ApiToken { .. })
    }
}

/// The client address of a request: the TCP peer, or 127.0.0.1 for a test calling the router
/// directly.
pub fn client_ip(parts: &Parts) -> IpAddr {
    crate::http::allowlist::peer_ip(&parts.extensions)
}

/// The bearer token of a request, if it has one.
pub fn bearer_token(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

fn unauthorized(code: &str, message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, code, message)
}

/// Maps a token verification failure to its 401.
pub fn token_error(err: &AuthError) -> ApiError {
    match err {
        AuthError::TokenExpired => unauthorized(
            "token_expired",
            "The access token has expired; refresh it or log in again.",
        ),
        _ => unauthorized(
            "invalid_token",
            "The access token is not valid; log in again.",
        ),
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let token = bearer_token(parts).ok_or_else(|| {
            unauthorized(
                "unauthorized",
                "Send an access token or an API token as `Authorization: Bearer <token>`.",
            )
        })?;
        let caller = if token.starts_with(API_TOKEN_PREFIX) {
            api_token_caller(parts, state, token).await?
        } else {
            access_token_caller(parts, state, token).await?
        };
        enforce_non_get_policy(parts, &caller)?;
        Ok(caller)
    }
}

/// The refusal of an operation that only an interactive login (which passed MFA) may call.
fn interactive_session_required() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "interactive_session_required",
        "API tokens cannot do this; log in (with your second factor) to do it.",
    )
}

/// An auditor changes nothing; an API token manages no credentials.
fn enforce_non_get_policy(parts: &Parts, caller: &Caller) -> ApiResult<()> {
    if parts.method == Method::GET || parts.method == Method::HEAD {
        return Ok(());
    }
    let path = parts
        .extensions
        .get::<MatchedPath>()
        .map_or(parts.uri.path(), MatchedPath::as_str);
    let policy = non_get_policy(&parts.method, path);
    if !caller.scope.may_change() && !policy.is_some_and(|p| p.auditor) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "read_only",
            "An auditor can read but not change anything.",
        ));
    }
    if caller.is_api_token() && policy.is_some_and(|p| !p.api_token) {
        return Err(interactive_session_required());
    }
    Ok(())
}

async fn access_token_caller(parts: &Parts, state: &AppState, token: &str) -> ApiResult<Caller> {
    let now = state.clock.now();
    let claims = verify_access(state, token, now).await?;
    let user_id = claims.user_id().map_err(|e| token_error(&e))?;
    let session = live_session(state, user_id).await?;
    if session
        .revoked_at
        .is_some_and(|at| claims.iat <= at.timestamp())
    {
        return Err(unauthorized(
            "session_revoked",
            "Your sessions were revoked; log in again.",
        ));
    }
    let scope = Scope::for_user(&session.user)
        .map_err(|_| unauthorized("account_disabled", "This account is disabled."))?;
    let ip = client_ip(parts);
    let actor = Actor::user(
        session.user.id,
        session.user.username.as_str(),
        Some(ip.to_string()),
    );
    Ok(Caller {
        user: session.user.clone(),
        scope,
        actor,
        ip,
        credential: Credential::AccessToken {
            amr: claims.amr,
            jti: claims.jti,
        },
    })
}

/// The user behind a token, who must exist and be enabled.
async fn live_session(state: &AppState, user: UserId) -> ApiResult<Arc<CachedSession>> {
    let session = state.auth.sessions.get(&state.store, user).await?;
    let Some(session) = session else {
        return Err(unauthorized("invalid_token", "The user no longer exists."));
    };
    if session.user.disabled {
        return Err(unauthorized(
            "account_disabled",
            "This account is disabled; ask an admin.",
        ));
    }
    Ok(session)
}

/// How long a token's last use may go unrecorded when it keeps coming from the same address:
/// a busy pipeline does not write a row per request.
const TOKEN_USE_GRANULARITY: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

async fn api_token_caller(parts: &Parts, state: &AppState, token: &str) -> ApiResult<Caller> {
    let now = state.clock.now();
    let Some(stored) = state.store.api_token_by_hash(&hash_token(token)).await? else {
        return Err(unauthorized(
            "invalid_token",
            "The API token is not valid: it was revoked, or never issued.",
        ));
    };
    if stored.expired(now) {
        return Err(unauthorized("token_expired", "The API token has expired."));
    }
    let session = live_session(state, stored.owner).await?;
    let scope = Scope::for_api_token(&session.user, stored.role, stored.groups.as_deref())
        .map_err(|e| match e {
            AccessError::TokenExceedsOwner { .. } => unauthorized(
                "invalid_token",
                "The API token's role is more than its owner now holds.",
            ),
            _ => unauthorized("account_disabled", "This account is disabled."),
        })?;
    let ip = client_ip(parts);
    let actor = Actor::user(
        session.user.id,
        &format!(
            "{} (API token {})",
            session.user.username.as_str(),
            stored.id
        ),
        Some(ip.to_string()),
    );
    record_use(state, &stored, ip, &actor, now).await?;
    Ok(Caller {
        user: session.user.clone(),
        scope,
        actor,
        ip,
        credential: Credential::ApiToken {
            id: stored.id,
            name: stored.name,
        },
    })
}

/// Records the use (at most once a minute from the same address; at once, and audited, from a
/// new one).
async fn record_use(
    state: &AppState,
    token: &ApiToken,
    ip: IpAddr,
    actor: &Actor,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let ip = ip.to_string();
    let recent = token.last_used_ip.as_deref() == Some(ip.as_str())
        && token
            .last_used_at
            .is_some_and(|at| now - at < TOKEN_USE_GRANULARITY);
    if !recent {
        state
            .store
            .record_api_token_use(token, &ip, actor, now)
            .await?;
    }
    Ok(())
}

/// Verifies an access token; on an unknown key, reloads the published keys once (another web
/// process may have rotated) before refusing.
async fn verify_access(
    state: &AppState,
    token: &str,
    now: DateTime<Utc>,
) -> ApiResult<AccessClaims> {
    state
        .auth
        .verify_reloading(&state.store, now, |verifier| verifier.verify(token, now))
        .await?
        .map_err(|e| token_error(&e))
}

/// A cached user row with their last session revocation.
#[derive(Debug)]
pub struct CachedSession {
    /// The user.
    pub user: User,
    /// When their sessions were last revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A short-lived cache of user rows for the [`Caller`] extractor.
#[derive(Debug, Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<UserId, (Instant, Arc<CachedSession>)>>,
}

impl SessionCache {
    /// How long a row is trusted. Changes made by this process invalidate at once; this bounds
    /// how late one made elsewhere (another web process, the CLI) is seen.
    pub const TTL: Duration = Duration::from_secs(2);

    /// The user and their revocation time, or `None` if the user does not exist.
    pub async fn get(
        &self,
        store: &lpm_store::Store,
        user: UserId,
    ) -> ApiResult<Option<Arc<CachedSession>>> {
        if let Some(hit) = self.lookup(user) {
            return Ok(Some(hit));
        }
        let row = match store.get_user(user).await {
            Ok(row) => row,
            Err(lpm_store::StoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let revoked_at = store.sessions_revoked_since(user).await?;
        let session = Arc::new(CachedSession {
            user: row,
            revoked_at,
        });
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() > 10_000 {
                entries.clear();
            }
            entries.insert(user, (Instant::now(), Arc::clone(&session)));
        }
        Ok(Some(session))
    }

    fn lookup(&self, user: UserId) -> Option<Arc<CachedSession>> {
        let entries = self.entries.lock().ok()?;
        let (at, session) = entries.get(&user)?;
        (at.elapsed() < Self::TTL).then(|| Arc::clone(session))
    }

    /// Forgets one user (after any change to them, their groups or their sessions).
    pub fn invalidate(&self, user: UserId) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(&user);
        }
    }

    /// Forgets everyone (after a change to a group's membership).
    pub fn invalidate_all(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}
