//! Authentication state: password hashes, soft locks, single-use TOTP steps, recovery codes,
//! rotating refresh tokens with reuse detection, JWT verifying keys and WebSocket tickets.
//!
//! The store keeps hashes, never secrets it could leak: refresh tokens, recovery codes and
//! tickets arrive already hashed by the caller (lpm-server), passwords as Argon2id PHC strings.
//! The TOTP secret is the one secret kept here, because verifying a code needs it.

use chrono::{DateTime, Duration, Utc};
use lpm_core::ids::UserId;
use lpm_core::model::{User, Username};
use lpm_core::rbac::AdminProof;
use serde::Serialize;

use crate::audit::append;
use crate::{Actor, Store, StoreError, ts, with_db, with_tx};

/// What login needs to know about an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The account.
    pub user: User,
    /// Argon2id PHC string; `None` until a password is set.
    pub password_hash: Option<String>,
    /// Base32 TOTP secret, once enrolment started.
    pub totp_secret: Option<String>,
    /// When the second factor was confirmed; `None`: the account must enrol before it gets
    /// access tokens.
    pub mfa_enrolled_at: Option<DateTime<Utc>>,
    /// Registered WebAuthn credentials.
    pub webauthn_credentials: i64,
    /// Consecutive failed logins.
    pub failed_logins: i64,
    /// Refuse password checks until then.
    pub locked_until: Option<DateTime<Utc>>,
}

/// The soft lock after repeated failures: after `free_failures` consecutive failures the
/// account is locked for `first_lock`, and each further lock doubles, up to `max_lock`. A
/// success resets both. Only the password step locks: a second factor the user holds is never
/// locked out by someone else's guessing of the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockPolicy {
    /// Failures allowed before the first lock.
    pub free_failures: i64,
    /// The first lock's length.
    pub first_lock: Duration,
    /// The longest lock.
    pub max_lock: Duration,
}

impl Default for LockPolicy {
    fn default() -> Self {
        Self {
            free_failures: 5,
            first_lock: Duration::minutes(1),
            max_lock: Duration::hours(1),
        }
    }
}

/// What presenting a refresh token led to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum RefreshOutcome {
    /// The token was valid and is replaced by the new one.
    Rotated {
        /// Whose session it is.
        user: UserId,
    },
    /// The token had already been rotated: it was stolen or replayed. Its whole family (every
    /// token descended from the same login) is now revoked.
    Reused {
        /// Whose session it was.
        user: UserId,
    },
    /// Idle too long or past its absolute lifetime; revoked.
    Expired,
    /// Logged out, revoked by an admin, or the user is disabled.
    Revoked,
    /// No such token.
    Unknown,
}

/// The session a refresh token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshSession {
    /// Whose it is.
    pub user: UserId,
    /// Its family: every token descended from the same login.
    pub family: String,
}

/// A registered WebAuthn credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct WebauthnCredential {
    /// Row id.
    pub id: i64,
    /// The authenticator's credential id, base64url without padding.
    pub credential_id: String,
    /// The name the user gave it.
    pub name: String,
    /// The serialised public credential (JSON), as the WebAuthn library stores it.
    pub passkey: String,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
    /// When it last completed a login.
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A published JWT verifying key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct JwtKey {
    /// Key id, as in the token header.
    pub kid: String,
    /// Ed25519 public key, PEM.
    pub public_key: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Tokens signed with it verify until then (rotation keeps an overlap).
    pub verify_until: DateTime<Utc>,
}

const CREDENTIALS_SELECT: &str = "SELECT u.id, u.password_hash, u.totp_secret, u.mfa_enrolled_at, \
     u.failed_logins, u.locked_until, \
     (SELECT COUNT(*) FROM webauthn_credentials w WHERE w.user_id = u.id) AS webauthn FROM users u";

#[derive(Debug, sqlx::FromRow)]
struct CredentialRow {
    id: i64,
    password_hash: Option<String>,
    totp_secret: Option<String>,
    mfa_enrolled_at: Option<DateTime<Utc>>,
    failed_logins: i64,
    locked_until: Option<DateTime<Utc>>,
    webauthn: i64,
}

#[derive(Debug, sqlx::FromRow)]
struct TokenRow {
    user_id: i64,
    family_id: String,
    last_used_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    rotated_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    disabled: bool,
}

impl Store {
    /// The account behind a login name, with what the login steps need; `None` when unknown
    /// (the caller still checks a dummy hash, so timing reveals nothing).
    pub async fn credentials(
        &self,
        username: &Username,
    ) -> Result<Option<Credentials>, StoreError> {
        let row: Option<CredentialRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{CREDENTIALS_SELECT} WHERE u.username = $1")))
                .bind(username.as_str())
                .fetch_optional(db)
                .await?
        });
        self.credentials_of(row).await
    }

    /// The same as [`Store::credentials`], by user id (for the steps after the password, which
    /// carry the id in a signed token).
    pub async fn credentials_by_id(&self, user: UserId) -> Result<Option<Credentials>, StoreError> {
        let row: Option<CredentialRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{CREDENTIALS_SELECT} WHERE u.id = $1")))
                .bind(user.get())
                .fetch_optional(db)
                .await?
        });
        self.credentials_of(row).await
    }

    async fn credentials_of(
        &self,
        row: Option<CredentialRow>,
    ) -> Result<Option<Credentials>, StoreError> {
        let Some(row) = row else { return Ok(None) };
        let user = self.get_user(UserId::new(row.id)?).await?;
        Ok(Some(Credentials {
            user,
            password_hash: row.password_hash,
            totp_secret: row.totp_secret,
            mfa_enrolled_at: row.mfa_enrolled_at,
            webauthn_credentials: row.webauthn,
            failed_logins: row.failed_logins,
            locked_until: row.locked_until,
        }))
    }

    /// Sets a user's password hash (Argon2id PHC string) and audits it.
    pub async fn set_password_hash(
        &self,
        user: UserId,
        hash: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if !hash.starts_with("$argon2id$") {
            return Err(StoreError::invalid(
                "password_hash",
                "expected an Argon2id PHC string",
            ));
        }
        let now = ts(now);
        let mut tx = self.begin().await?;
        let n = with_tx!(tx, t => {
            sqlx::query("UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3 WHERE id = $1")
                .bind(user.get()).bind(hash).bind(now)
                .execute(&mut **t).await?.rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound { what: "user" });
        }
        append(
            &mut tx,
            &actor.entry("user.password_set", "user", user),
            now,
        )
        .await?;
        tx.commit().await
    }

    /// Records a failed password check; returns when the account is locked until, if the
    /// failure tipped it into a (doubling) soft lock. Audited as `auth.login_failed`.
    pub async fn record_login_failure(
        &self,
        user: UserId,
        policy: &LockPolicy,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let now = ts(now);
        let mut tx = self.begin().await?;
        let lock = if tx.is_postgres() { " FOR UPDATE" } else { "" };
        let sql = format!("SELECT failed_logins, lock_level FROM users WHERE id = $1{lock}");
        let row: Option<(i64, i64)> = with_tx!(tx, t => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user.get()).fetch_optional(&mut **t).await?
        });
        let (failures, level) = row.ok_or(StoreError::NotFound { what: "user" })?;
        let failures = failures + 1;
        let (locked_until, level) = if failures >= policy.free_failures {
            let factor = 1i32
                .checked_shl(u32::try_from(level.min(20)).unwrap_or(20))
                .unwrap_or(i32::MAX);
            let length = policy
                .first_lock
                .checked_mul(factor)
                .unwrap_or(policy.max_lock)
                .min(policy.max_lock);
            (Some(now + length), level + 1)
        } else {
            (None, level)
        };
        with_tx!(tx, t => {
            sqlx::query("UPDATE users SET failed_logins = $2, lock_level = $3, locked_until = COALESCE($4, locked_until) WHERE id = $1")
                .bind(user.get()).bind(if locked_until.is_some() { 0 } else { failures }).bind(level).bind(locked_until)
                .execute(&mut **t).await?;
        });
        let entry = actor
            .entry("auth.login_failed", "user", user)
            .details(serde_json::json!({
                "consecutive_failures": failures, "locked_until": locked_until,
            }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(locked_until)
    }

    /// Records a complete login (every factor passed): clears failures and locks. Audited as
    /// `auth.login`.
    pub async fn record_login_success(
        &self,
        user: UserId,
        method: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        with_tx!(tx, t => {
            sqlx::query("UPDATE users SET failed_logins = 0, lock_level = 0, locked_until = NULL WHERE id = $1")
                .bind(user.get()).execute(&mut **t).await?;
        });
        let entry = actor
            .entry("auth.login", "user", user)
            .details(serde_json::json!({ "method": method }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await
    }

    /// Starts TOTP enrolment with a new secret (not yet confirmed). Audited.
    pub async fn begin_totp_enrolment(
        &self,
        user: UserId,
        secret: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let n = with_tx!(tx, t => {
            sqlx::query("UPDATE users SET totp_secret = $2, totp_last_step = NULL, updated_at = $3 WHERE id = $1")
                .bind(user.get()).bind(secret).bind(ts(now))
                .execute(&mut **t).await?.rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound { what: "user" });
        }
        append(
            &mut tx,
            &actor.entry("auth.totp_enrolment_started", "user", user),
            now,
        )
        .await?;
        tx.commit().await
    }

    /// Enrols a TOTP secret whose first code the user just proved: stores the secret, spends
    /// that code's `step` (so it cannot be replayed for a login), and marks the second factor
    /// confirmed if it is the first. Replaces an earlier TOTP secret. Audited as
    /// `auth.mfa_enrolled` with `method: totp`.
    pub async fn enrol_totp(
        &self,
        user: UserId,
        secret: &str,
        step: i64,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = ts(now);
        let mut tx = self.begin().await?;
        let n = with_tx!(tx, t => {
            sqlx::query(
                "UPDATE users SET totp_secret = $2, totp_last_step = $3, \
                 mfa_enrolled_at = COALESCE(mfa_enrolled_at, $4), updated_at = $4 WHERE id = $1",
            )
            .bind(user.get()).bind(secret).bind(step).bind(now)
            .execute(&mut **t).await?.rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound { what: "user" });
        }
        let entry = actor
            .entry("auth.mfa_enrolled", "user", user)
            .details(serde_json::json!({ "method": "totp" }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await
    }

    /// Marks the second factor confirmed (after a first valid code or WebAuthn registration).
    pub async fn confirm_mfa(
        &self,
        user: UserId,
        method: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = ts(now);
        let mut tx = self.begin().await?;
        with_tx!(tx, t => {
            sqlx::query("UPDATE users SET mfa_enrolled_at = COALESCE(mfa_enrolled_at, $2), updated_at = $2 WHERE id = $1")
                .bind(user.get()).bind(now).execute(&mut **t).await?;
        });
        let entry = actor
            .entry("auth.mfa_enrolled", "user", user)
            .details(serde_json::json!({ "method": method }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await
    }

    /// Spends a TOTP time step: `true` the first time a step (or a later one) is used, `false`
    /// when that step or a later one was already used. A code is accepted once (RFC 6238 §5.2).
    pub async fn use_totp_step(&self, user: UserId, step: i64) -> Result<bool, StoreError> {
        let n = with_db!(self, db => {
            sqlx::query("UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)")
                .bind(user.get()).bind(step).execute(db).await?.rows_affected()
        });
        Ok(n == 1)
    }

    /// Replaces a user's recovery codes with new (hashed) ones. Audited.
    pub async fn replace_recovery_codes(
        &self,
        user: UserId,
        hashes: &[String],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = ts(now);
        let mut tx = self.begin().await?;
        with_tx!(tx, t => {
            sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user.get()).execute(&mut **t).await?;
            for hash in hashes {
                sqlx::query("INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)")
                    .bind(user.get()).bind(hash).bind(now)
                    .execute(&mut **t).await.map_err(|e| StoreError::unique(e, "recovery code"))?;
            }
        });
        let entry = actor
            .entry("auth.recovery_codes_generated", "user", user)
            .details(serde_json::json!({ "count": hashes.len() }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await
    }

    /// Spends a recovery code: `true` if it was unused (it is now used). Audited when used.
    pub async fn use_recovery_code(
        &self,
        user: UserId,
        hash: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let now = ts(now);
        let mut tx = self.begin().await?;
        let n = with_tx!(tx, t => {
            sqlx::query("UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL")
                .bind(user.get()).bind(hash).bind(now)
                .execute(&mut **t).await?.rows_affected()
        });
        if n == 0 {
            return Ok(false);
        }
        append(
            &mut tx,
            &actor.entry("auth.recovery_code_used", "user", user),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Unused recovery codes left.
    pub async fn recovery_codes_left(&self, user: UserId) -> Result<i64, StoreError> {
        Ok(with_db!(self, db => {
            sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
                .bind(user.get()).fetch_one(db).await?
        }))
    }

    /// Clears every second factor of a user and ends their sessions (admin only): they must
    /// enrol again at their next login. Audited.
    pub async fn reset_mfa(
        &self,
        _admin: &AdminProof,
        user: UserId,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = ts(now);
        let mut tx = self.begin().await?;
        let n = with_tx!(tx, t => {
            let n = sqlx::query(
                "UPDATE users SET totp_secret = NULL, totp_last_step = NULL, mfa_enrolled_at = NULL, updated_at = $2, \
                 sessions_revoked_at = $2 WHERE id = $1",
            )
            .bind(user.get()).bind(now).execute(&mut **t).await?.rows_affected();
            sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user.get()).execute(&mut **t).await?;
            sqlx::query("DELETE FROM webauthn_credentials WHERE user_id = $1").bind(user.get()).execute(&mut **t).await?;
            sqlx::query("UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
                .bind(user.get()).bind(now).execute(&mut **t).await?;
            n
        });
        if n == 0 {
            return Err(StoreError::NotFound { what: "user" });
        }
        append(&mut tx, &actor.entry("user.mfa_reset", "user", user), now).await?;
        tx.commit().await
    }

    /// Stores a new refresh token (hashed) at login, starting a family.
    #[allow(clippy::too_many_arguments)]
    pub async fn issue_refresh_token(
        &self,
        user: UserId,
        family: &str,
        token_hash: &str,
        now: DateTime<Utc>,
        lifetime: Duration,
        ip: Option<&str>,
        user_agent: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = ts(now);
        with_db!(self, db => {
            sqlx::query(
                "INSERT INTO refresh_tokens (user_id, family_id, token_hash, created_at, last_used_at, expires_at, ip, user_agent) \
                 VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
            )
            .bind(user.get()).bind(family).bind(token_hash).bind(now).bind(ts(now + lifetime)).bind(ip).bind(user_agent)
            .execute(db).await.map_err(|e| StoreError::unique(e, "refresh token"))?;
        });
        Ok(())
    }

    /// Exchanges a refresh token for a new one (same family, same absolute expiry). A token
    /// idle longer than `idle` has expired (the 1-hour sliding inactivity of SDD §7.1). A
    /// token that was already rotated revokes its whole family: someone replayed it. Two
    /// tabs refreshing with the same token at once look exactly like that, so clients must
    /// share one refresh in flight.
    pub async fn rotate_refresh_token(
        &self,
        old_hash: &str,
        new_hash: &str,
        idle: Duration,
        now: DateTime<Utc>,
    ) -> Result<RefreshOutcome, StoreError> {
        let now = ts(now);
        let mut tx = self.begin().await?;
        let lock = if tx.is_postgres() {
            " FOR UPDATE OF t"
        } else {
            ""
        };
        let sql = format!(
            "SELECT t.user_id, t.family_id, t.last_used_at, t.expires_at, t.rotated_at, t.revoked_at, u.disabled \
             FROM refresh_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1{lock}"
        );
        let row: Option<TokenRow> = with_tx!(tx, t => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(old_hash).fetch_optional(&mut **t).await?
        });
        let Some(row) = row else {
            return Ok(RefreshOutcome::Unknown);
        };
        let user = UserId::new(row.user_id)?;
        let outcome = if row.rotated_at.is_some() {
            with_tx!(tx, t => {
                sqlx::query("UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL")
                    .bind(&row.family_id).bind(now).execute(&mut **t).await?;
            });
            let name: String = with_tx!(tx, t => {
                sqlx::query_scalar("SELECT username FROM users WHERE id = $1").bind(user.get()).fetch_one(&mut **t).await?
            });
            let entry = Actor::user(user, &name, None)
                .entry("auth.refresh_token_reused", "user", user)
                .details(serde_json::json!({ "family": row.family_id }));
            append(&mut tx, &entry, now).await?;
            RefreshOutcome::Reused { user }
        } else if row.revoked_at.is_some() || row.disabled {
            RefreshOutcome::Revoked
        } else if now - row.last_used_at > idle || now >= row.expires_at {
            with_tx!(tx, t => {
                sqlx::query("UPDATE refresh_tokens SET revoked_at = $2 WHERE token_hash = $1")
                    .bind(old_hash).bind(now).execute(&mut **t).await?;
            });
            RefreshOutcome::Expired
        } else {
            with_tx!(tx, t => {
                sqlx::query("UPDATE refresh_tokens SET rotated_at = $2 WHERE token_hash = $1")
                    .bind(old_hash).bind(now).execute(&mut **t).await?;
                sqlx::query(
                    "INSERT INTO refresh_tokens (user_id, family_id, token_hash, created_at, last_used_at, expires_at, ip, user_agent) \
                     SELECT user_id, family_id, $2, $3, $3, expires_at, ip, user_agent FROM refresh_tokens WHERE token_hash = $1",
                )
                .bind(old_hash).bind(new_hash).bind(now)
                .execute(&mut **t).await.map_err(|e| StoreError::unique(e, "refresh token"))?;
            });
            RefreshOutcome::Rotated { user }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// Logs out: revokes the token's whole family. Audited. Unknown tokens are ignored.
    pub async fn revoke_refresh_family(
        &self,
        token_hash: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let now = ts(now);
        let mut tx = self.begin().await?;
        let n = with_tx!(tx, t => {
            sqlx::query(
                "UPDATE refresh_tokens SET revoked_at = $2 WHERE revoked_at IS NULL AND family_id = \
                 (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)",
            )
            .bind(token_hash).bind(now).execute(&mut **t).await?.rows_affected()
        });
        if n == 0 {
            return Ok(false);
        }
        let user = actor.user.map(|u| u.to_string()).unwrap_or_default();
        append(&mut tx, &actor.entry("auth.logout", "user", user), now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Ends every session of a user (an admin's force-revoke, a disable, a password change).
    /// Access tokens already issued live out their 15 minutes unless the caller also checks
    /// [`Store::sessions_revoked_since`]. Audited. Returns the tokens revoked.
    pub async fn revoke_user_sessions(
        &self,
        user: UserId,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let now = ts(now);
        let mut tx = self.begin().await?;
        let n = with_tx!(tx, t => {
            // Live tokens only; a rotated one is already dead, and replaying it still trips
            // reuse detection.
            let n = sqlx::query(
                "UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND rotated_at IS NULL",
            )
            .bind(user.get()).bind(now).execute(&mut **t).await?.rows_affected();
            sqlx::query("UPDATE users SET sessions_revoked_at = $2 WHERE id = $1")
                .bind(user.get()).bind(now).execute(&mut **t).await?;
            n
        });
        let entry = actor
            .entry("user.sessions_revoked", "user", user)
            .details(serde_json::json!({ "tokens": n }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// When the user's sessions were last revoked (`None`: never), so an access token issued
    /// before that can be refused at once.
    pub async fn sessions_revoked_since(
        &self,
        user: UserId,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(with_db!(self, db => {
            sqlx::query_scalar::<_, Option<DateTime<Utc>>>("SELECT sessions_revoked_at FROM users WHERE id = $1")
                .bind(user.get()).fetch_optional(db).await?.flatten()
        }))
    }

    /// Whose session a refresh token belongs to (live or not) and its family; `None` for an
    /// unknown token.
    pub async fn refresh_token_session(
        &self,
        token_hash: &str,
    ) -> Result<Option<RefreshSession>, StoreError> {
        let row: Option<(i64, String)> = with_db!(self, db => {
            sqlx::query_as("SELECT user_id, family_id FROM refresh_tokens WHERE token_hash = $1")
                .bind(token_hash).fetch_optional(db).await?
        });
        row.map(|(user, family)| {
            Ok(RefreshSession {
                user: UserId::new(user)?,
                family,
            })
        })
        .transpose()
    }

    /// Registers a WebAuthn credential (`passkey`: the serialised public credential, never a
    /// secret) and marks the second factor confirmed if it is the first. `credential_id` is
    /// unique across all users: registering one twice is a `Conflict`. Audited as
    /// `auth.mfa_enrolled` with `method: webauthn`.
    pub async fn add_webauthn_credential(
        &self,
        user: UserId,
        credential_id: &str,
        name: &str,
        passkey: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::invalid("name", "must be 1 to 100 characters"));
        }
        let now = ts(now);
        let mut tx = self.begin().await?;
        let id: i64 = with_tx!(tx, t => {
            let id = sqlx::query_scalar(
                "INSERT INTO webauthn_credentials (user_id, credential_id, name, passkey, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(user.get()).bind(credential_id).bind(name).bind(passkey).bind(now)
            .fetch_one(&mut **t).await.map_err(|e| StoreError::unique(e, "WebAuthn credential"))?;
            sqlx::query("UPDATE users SET mfa_enrolled_at = COALESCE(mfa_enrolled_at, $2), updated_at = $2 WHERE id = $1")
                .bind(user.get()).bind(now).execute(&mut **t).await?;
            id
        });
        let entry = actor
            .entry("auth.mfa_enrolled", "user", user)
            .details(serde_json::json!({ "method": "webauthn", "credential": id, "name": name }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A user's WebAuthn credentials, oldest first.
    pub async fn webauthn_credentials(
        &self,
        user: UserId,
    ) -> Result<Vec<WebauthnCredential>, StoreError> {
        Ok(with_db!(self, db => {
            sqlx::query_as(
                "SELECT id, credential_id, name, passkey, created_at, last_used_at FROM webauthn_credentials \
                 WHERE user_id = $1 ORDER BY id",
            )
            .bind(user.get()).fetch_all(db).await?
        }))
    }

    /// Records that a WebAuthn credential was just used, with its updated serialised form when
    /// the authenticator's counter or backup state moved (`None`: unchanged). Returns whether
    /// the credential exists for that user.
    pub async fn touch_webauthn_credential(
        &self,
        user: UserId,
        credential_id: &str,
        passkey: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = with_db!(self, db => {
            sqlx::query(
                "UPDATE webauthn_credentials SET last_used_at = $3, passkey = COALESCE($4, passkey) \
                 WHERE user_id = $1 AND credential_id = $2",
            )
            .bind(user.get()).bind(credential_id).bind(ts(now)).bind(passkey)
            .execute(db).await?.rows_affected()
        });
        Ok(n == 1)
    }

    /// Publishes a JWT verifying key (the web process keeps the private half in a file).
    pub async fn publish_jwt_key(
        &self,
        kid: &str,
        public_key_pem: &str,
        now: DateTime<Utc>,
        verify_until: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_db!(self, db => {
            sqlx::query("INSERT INTO jwt_keys (kid, public_key, created_at, verify_until) VALUES ($1, $2, $3, $4)")
                .bind(kid).bind(public_key_pem).bind(ts(now)).bind(ts(verify_until))
                .execute(db).await.map_err(|e| StoreError::unique(e, "JWT key"))?;
        });
        Ok(())
    }

    /// Keys that still verify at `now`, newest first.
    pub async fn jwt_verifying_keys(&self, now: DateTime<Utc>) -> Result<Vec<JwtKey>, StoreError> {
        Ok(with_db!(self, db => {
            sqlx::query_as("SELECT kid, public_key, created_at, verify_until FROM jwt_keys WHERE verify_until > $1 ORDER BY created_at DESC")
                .bind(ts(now)).fetch_all(db).await?
        }))
    }

    /// Stores a WebSocket ticket (hashed) for a user.
    pub async fn create_ws_ticket(
        &self,
        ticket_hash: &str,
        user: UserId,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_db!(self, db => {
            sqlx::query("INSERT INTO ws_tickets (ticket_hash, user_id, expires_at) VALUES ($1, $2, $3)")
                .bind(ticket_hash).bind(user.get()).bind(ts(expires_at))
                .execute(db).await.map_err(|e| StoreError::unique(e, "ticket"))?;
        });
        Ok(())
    }

    /// Spends a WebSocket ticket: its user the first time, before it expires; `None` after.
    pub async fn consume_ws_ticket(
        &self,
        ticket_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UserId>, StoreError> {
        let user: Option<i64> = with_db!(self, db => {
            sqlx::query_scalar(
                "UPDATE ws_tickets SET used_at = $2 WHERE ticket_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id",
            )
            .bind(ticket_hash).bind(ts(now)).fetch_optional(db).await?
        });
        Ok(user.map(UserId::new).transpose()?)
    }
}
