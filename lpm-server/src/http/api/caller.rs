//! Who is calling: the `Caller` extractor turns `Authorization: Bearer <token>` into the user, their
//! RBAC scope and the audit actor, or answers 401.
//!
//! The user row is cached for [`SessionCache::TTL`] so that reads do not cost a database round
//! trip each; every change this process makes to a user, a group membership or a session calls
//! [`SessionCache::invalidate`], so disabling a user or revoking sessions here takes effect on
//! the next request.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use chrono::{DateTime, Utc};
use lpm_core::ids::UserId;
use lpm_core::model::{Role, User};
use lpm_core::rbac::{AdminProof, Scope};
use lpm_store::Actor;

use crate::auth::{AccessClaims, Amr, AuthError};
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

    /// Whether the caller is an admin.
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
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
                "Send an access token as `Authorization: Bearer <token>`.",
            )
        })?;
        let now = state.clock.now();
        let claims = verify_access(state, token, now).await?;
        let user_id = claims.user_id().map_err(|e| token_error(&e))?;
        let session = state.auth.sessions.get(&state.store, user_id).await?;
        let Some(session) = session else {
            return Err(unauthorized("invalid_token", "The user no longer exists."));
        };
        if session.user.disabled {
            return Err(unauthorized(
                "account_disabled",
                "This account is disabled; ask an admin.",
            ));
        }
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
